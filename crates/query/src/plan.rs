//! What to dump (a [`Plan`]) and how results come back (a [`Visitor`]).
//!
//! The caller (cli) turns options into a plan; [`run`] dumps the kinds in ss's fixed order
//! (netlink, packet, unix, raw, udp, tcp, dccp, sctp, vsock, tipc, xdp, mptcp), choosing netlink or
//! the /proc fallback exactly as ss 6.1 does, and hands every socket to the visitor.

use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::model::{Sock, Table, TableSet};

/// A set of address families as a bit mask over AF numbers (bit n = AF n, n < 64).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FamilySet(pub u64);

impl FamilySet {
    pub fn contains(self, af: u8) -> bool {
        af < 64 && self.0 & (1u64 << af) != 0
    }
    pub fn insert(&mut self, af: u8) {
        self.0 |= 1u64 << af;
    }
}

/// Where /proc-based data lives. Mirrors ss's `PROC_ROOT` and `PROC_NET_*` variables, but the
/// cli reads the environment; this crate only gets paths.
#[derive(Clone, Debug, Default)]
pub struct Sources {
    /// `PROC_ROOT` (None = `/proc`). When set, netlink is not used at all (ss 1.4).
    pub proc_root: Option<PathBuf>,
    /// `PROC_NET_TCP` etc.: per-file overrides; presence forces the /proc path for that kind.
    pub proc_net_tcp: Option<PathBuf>,
    pub proc_net_tcp6: Option<PathBuf>,
    pub proc_net_udp: Option<PathBuf>,
    pub proc_net_udp6: Option<PathBuf>,
    pub proc_net_raw: Option<PathBuf>,
    pub proc_net_raw6: Option<PathBuf>,
    pub proc_net_unix: Option<PathBuf>,
    pub proc_net_packet: Option<PathBuf>,
    pub proc_net_netlink: Option<PathBuf>,
    pub proc_net_sockstat: Option<PathBuf>,
    pub proc_net_sockstat6: Option<PathBuf>,
    pub proc_net_snmp: Option<PathBuf>,
    pub proc_ip_local_port_range: Option<PathBuf>,
    /// Presence of `PROC_NET_DCCP` / `PROC_NET_SCTP` / `PROC_NET_MPTCP` disables that kind.
    pub disable_dccp: bool,
    pub disable_sctp: bool,
    pub disable_mptcp: bool,
    /// `TCPDIAG_FILE`: TCP sockets are replayed from this recorded dump instead of the kernel.
    pub tcpdiag_file: Option<PathBuf>,
}

/// Everything a dump needs to know, computed by the caller from the options (ss 1.3).
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub tables: TableSet,
    pub families: FamilySet,
    /// State bit mask (bit n = TCP state n), sent as is.
    pub states: u32,
    /// AF_INET / AF_INET6 / AF_UNSPEC (0): which inet families are requested, in which order.
    pub preferred_family: u8,
    /// `idiag_ext` bits for inet requests.
    pub inet_ext: u8,
    /// `udiag_show` bits for unix requests.
    pub unix_show: u32,
    /// INET_DIAG_REQ_BYTECODE payload, when the filter compiled.
    pub bytecode: Option<Vec<u8>>,
    pub sources: Sources,
}

/// Receives the results of [`run`].
pub trait Visitor {
    /// One socket that the kernel (or /proc) reported and that belongs to an enabled table and
    /// family. `Break` stops the whole run.
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()>;
    /// A dump of `table` is about to start (ss sets its service-lookup protocol here).
    fn dump_started(&mut self, _table: Table) {}
    /// A message ss would print on stderr at this point, in ss's exact words, without newline.
    fn diagnostic(&mut self, _text: &str) {}
}
