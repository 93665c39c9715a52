//! sockscope-render: ss-exact text output and JSON.
//!
//! Does no I/O except writing to a `Write`; names come from a [`sockscope_query::names::Resolver`].
#![forbid(unsafe_code)]
