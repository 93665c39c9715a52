//! The ss persona: iproute2 6.1.0's `ss` command line (options, usage text, state words,
//! selection of tables/families/states) and, in [`run`], its execution.
//!
//! Flow: [`args::parse`] (getopt + per-option actions) → `-s` summary if asked
//! ([`args::SsArgs::summary_only`]) → [`select::select`] (state words, defaults, merge) →
//! filter expression → dump and render.

pub mod args;
mod destroy;
pub mod env;
pub mod options;
pub mod run;
pub mod select;
pub mod usage;
