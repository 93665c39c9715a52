//! The netstat persona's printers (net-tools 2.10 byte for byte, and `--json`):
//!
//! * [`sockets`]: the `Active Internet connections` / `Active UNIX domain sockets` tables and
//!   the `-g` group list, with netstat's row selection rules;
//! * [`routes`]: `-r` for IPv4 (three `-e` layouts, cache header) and IPv6;
//! * [`iface`]: `-i` short and long (ifconfig-style) forms, the natural interface order;
//! * [`stats`]: `-s` with its binary-search and indentation quirks;
//! * [`json`]: the same rows as JSON;
//! * [`text`]: printf helpers and net-tools' address texts.
//!
//! Nothing here does I/O other than writing to a buffer or a `Write`; names come through
//! [`sockscope_query::netstat::names::NetstatNames`].

pub mod iface;
pub mod json;
pub mod routes;
pub mod sockets;
pub mod stats;
pub mod text;
