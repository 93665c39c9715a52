//! sockscope-query: the socket model, the sock_diag queries that fill it, ss's /proc fallbacks,
//! and the name databases output needs (services, protocols, interfaces, cgroups).
//!
//! This crate never prints, never reads argv, the environment or a terminal: paths and options
//! come in through [`plan::Plan`] and [`plan::Sources`]; messages for the user come out through
//! [`plan::Visitor::diagnostic`] with ss's exact wording, and the caller decides where they go.
#![forbid(unsafe_code)]

pub mod model;
pub mod names;
pub mod plan;

pub use model::*;
