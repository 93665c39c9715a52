//! sockscope-cli: personas (ss, netstat, ip), their argument tables, plans and exit codes.
//!
//! The only place that touches argv, the environment, terminals and exit statuses.
#![forbid(unsafe_code)]

pub mod exit;
pub mod gen;
pub mod getopt;
pub mod ip;
pub mod netstat;
pub mod persona;
pub mod ss;

use persona::Persona;

/// Runs sockscope with the process arguments and returns the exit status.
pub fn main() -> i32 {
    let inv = persona::dispatch(std::env::args_os().collect());
    match inv.persona {
        Persona::Ss => ss::run::run(&inv.prog, inv.args),
        Persona::Netstat => netstat::run(&inv.prog, inv.args),
        Persona::Ip => ip::run(&inv.prog, inv.args),
    }
}
