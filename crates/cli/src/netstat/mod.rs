//! The netstat persona (not implemented yet).

use std::ffi::{OsStr, OsString};

use crate::persona::{not_implemented, Persona};

/// Runs the netstat persona with the words after the program name; returns the exit status.
pub fn run(_prog: &OsStr, _args: Vec<OsString>) -> i32 {
    not_implemented(Persona::Netstat).emit()
}
