//! sockscope-render: ss-exact text output and JSON.
//!
//! Does no I/O except writing to a `Write`; names come from a [`sockscope_query::names::Resolver`].
//!
//! * [`table`]: ss's ten-column token table (measuring, 1 MiB-chunk batching, rendering).
//! * [`ss`]: turns sockets into table cells exactly like iproute2 6.1's `ss`.
//! * [`summary`]: the `ss -s` text.
//! * [`json`]: a streaming JSON array writer (`--json`, beyond ss; docs/json.md).
//! * [`cfmt`]: C printf conversions (`%g`, `%.3g`, `%.1f`, `%#x`, …) used by all of the above.
//! * [`addr`]: glibc `inet_ntop` text; [`kstructs`]: small kernel structs read from raw
//!   attribute bytes.
#![forbid(unsafe_code)]

pub mod addr;
pub mod cfmt;
pub mod ip;
pub mod json;
pub mod kstructs;
pub mod netstat;
pub mod ss;
pub mod summary;
pub mod table;
