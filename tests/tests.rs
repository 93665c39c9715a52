//! The one integration-test binary: `sockscope` against the live `/usr/bin/ss` (iproute2 6.1.0).
//!
//! * `harness/` — namespaces, the socket fixture, the runner (run both tools, compare stdout
//!   bytes and exit status, retry once, readable diffs) and the masking of moving values.
//! * `ss_compat` — option-set groups run inside a private namespace holding the fixture.
//! * `replay` — `TCPDIAG_FILE` replay (no namespace) and the `PROC_ROOT`/`PROC_NET_*` paths.
//!
//! Needs root. `SOCKSCOPE_TEST_BIN=/usr/bin/ss cargo test --test integration` compares ss with
//! itself and must pass (that validates the harness and the fixture); without it the binary
//! under test is `sockscope`.

mod closed_pipe;
mod destroy;
mod filters;
mod harness;
mod ip_compat;
mod netstat_compat;
mod process;
mod replay;
mod ss_compat;
mod tcp_walks;
