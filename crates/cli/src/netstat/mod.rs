//! The netstat persona: net-tools 2.10 `netstat`, byte for byte, from netlink where netlink
//! has the data (spec netstat-2.10-ip-6.1.md sections 1–3).
//!
//! Flow: [`args::parse`] (glibc getopt_long over [`options::LONG_OPTIONS`], per-option
//! actions, netstat's derived flags, the Windows/BSD forms) → [`run`] (mode, listing, `-c`
//! loop, exit status). [`options::netstat_command`] describes the same options for the man
//! page and completions; [`usage`] holds the fixed texts.

use std::ffi::{OsStr, OsString};

pub mod args;
pub mod man;
pub mod options;
pub mod run;
pub mod usage;

/// Runs the netstat persona with the words after the program name; returns the exit status.
pub fn run(prog: &OsStr, args: Vec<OsString>) -> i32 {
    run::run(prog, args)
}
