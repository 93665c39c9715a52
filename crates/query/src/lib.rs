//! sockscope-query: the socket model, the sock_diag queries that fill it, ss's /proc fallbacks,
//! and the name databases output needs (services, protocols, interfaces, cgroups).
//!
//! This crate never prints, never reads argv, the environment or a terminal: paths and options
//! come in through [`plan::Plan`] and [`plan::Sources`]; messages for the user come out through
//! [`plan::Visitor::diagnostic`] with ss's exact wording, and the caller decides where they go.
#![forbid(unsafe_code)]

mod ahead;
pub mod cgroup;
mod compact;
pub mod diag;
mod error;
pub mod filter;
mod held;
pub mod kill;
pub mod links;
pub mod model;
pub mod names;
pub mod netstat;
pub mod owners;
pub mod plan;
pub mod procfs;
pub mod replay;
pub mod resolver;
pub mod rtnl;
mod run;
pub mod summary;
pub mod tcp_info;
#[cfg(test)]
mod testutil;

pub use error::QueryError;
pub use model::*;
