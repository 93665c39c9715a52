//! What the netstat persona (net-tools 2.10) needs beyond ss's socket dumps: its socket rows
//! (tcp, udp, udplite, raw from sock_diag; unix from unix_diag with RefCnt from /proc), the
//! `-p` program scan, its name databases, IPv4 routes and interfaces over rtnetlink, and the
//! /proc/net files for which netlink has no equal (`-s`, `-g`, `-6r`, IPv6 lines of `-ie`).
//!
//! * [`sockets`]: [`sockets::SocketDumper`] → [`sockets::InetRow`] / [`sockets::UnixRow`].
//! * [`held_rows`]: [`held_rows::HeldRows`], rows kept compactly until they are printed.
//! * [`programs`]: [`programs::ProgramMap`], netstat's `PID/Program name` cache.
//! * [`names`]: [`names::NetstatNames`] and its file-backed [`names::SystemNames`].
//! * [`rtnl`]: IPv4 main-table routes, links with stats64, IPv4 addresses.
//! * [`procnet`]: igmp/igmp6, ipv6_route, if_inet6, snmp/netstat/snmp6/sctp parsers.
//!
//! Like the rest of this crate: nothing is printed; the caller renders.

pub mod held_rows;
pub mod names;
pub mod procnet;
pub mod programs;
pub mod rtnl;
pub mod sockets;
