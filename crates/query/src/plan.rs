//! What to dump (a [`Plan`]) and how results come back (a [`Visitor`]).
//!
//! The caller (cli) turns options into a plan; [`run`] dumps the kinds in ss's fixed order
//! (netlink, packet, unix, raw, udp, tcp, dccp, sctp, vsock, tipc, xdp, mptcp), choosing netlink or
//! the /proc fallback exactly as ss 6.1 does, and hands every socket to the visitor.

use std::ops::ControlFlow;
use std::path::PathBuf;

use crate::model::{Sock, Table, TableSet};
use crate::QueryError;

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
    /// `SOCKSCOPE_OWNERS` (beyond ss): where `-p` finds socket owners.
    pub owners: crate::owners::OwnerSource,
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
    /// Receive netlink dumps on a second thread while this one decodes
    /// ([`sockscope_netlink::NlSocket::dump_prefetched`]), at most this many datagrams ahead;
    /// 0 = receive and decode on this thread. A few (2-4) suit a machine with a spare core; `usize::MAX`
    /// when every socket waits for something computed meanwhile on another thread (the `-p`
    /// /proc scan), so the kernel's dump goes on during the wait. Output and messages are the
    /// same in every mode.
    pub prefetch_ahead: usize,
    /// How TCP's two families are dumped: see [`TcpWalk`].
    pub tcp_walk: TcpWalk,
}

impl Plan {
    /// ss's inet_diag request for one family of `protocol`: the plan's states, extension bits
    /// and bytecode.
    pub(crate) fn inet_request(
        &self,
        family: u8,
        protocol: u16,
    ) -> sockscope_netlink::request::InetRequest<'_> {
        sockscope_netlink::request::InetRequest {
            family,
            protocol,
            ext: self.inet_ext,
            states: self.states,
            bytecode: self.bytecode.as_deref(),
        }
    }
}

/// How TCP's two families are asked of the kernel.
///
/// ss sends one request per family, one after the other, and each walks all of the kernel's
/// TCP tables. Both other ways show the same sockets in the same order (every IPv4 socket
/// first, each family in the kernel's order) by holding the IPv6 sockets compactly until the
/// IPv4 ones are shown; they apply only when both families are wanted with no `idiag_ext`
/// bits but `-m`'s (the held form keeps every field and those answers, not the other
/// requested attributes). `ids`: held sockets keep uid, inode and cookie; without, they read
/// back as 0 (a third of a held socket's size), for outputs that neither print nor filter on
/// them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TcpWalk {
    /// Exactly ss's requests, one after the other (`-K` needs them: its fallbacks depend on
    /// which request a refusal ends).
    #[default]
    PerFamily,
    /// One legacy request for both families: the kernel walks its tables once, half the
    /// kernel work of ss's two. For one core.
    Once { ids: bool },
    /// ss's two requests at the same time, the IPv6 one received on another thread: twice
    /// the kernel work of one walk, but on two cores in about 60% of its time (100,000
    /// sockets: 51 against 89 ms).
    Concurrent { ids: bool },
}

impl TcpWalk {
    /// Whether held sockets keep uid, inode and cookie.
    pub fn held_ids(self) -> bool {
        match self {
            TcpWalk::PerFamily => true,
            TcpWalk::Once { ids } | TcpWalk::Concurrent { ids } => ids,
        }
    }
}

/// Receives the results of [`run`].
pub trait Visitor {
    /// One socket that the kernel (or /proc) reported and that belongs to an enabled table and
    /// family. `Break` stops the whole run.
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()>;
    /// Asked after [`Visitor::socket`] returned `Break` for an inet socket of a netlink dump:
    /// `true` when only that dump failed (ss's callback returning -1, e.g. `-K` whose
    /// SOCK_DESTROY was refused), so ss's fallbacks for the kind run next; `false` (the
    /// default) ends the whole run.
    fn take_dump_failure(&mut self) -> bool {
        false
    }
    /// Whether [`Visitor::upcoming_inodes`] should be called (finding the inodes costs a pass
    /// over each datagram's headers).
    fn wants_inode_hints(&self) -> bool {
        false
    }
    /// Whether [`Visitor::socket`] and [`Visitor::upcoming_inodes`] would block now (`-p`
    /// before its owner scan has finished). TCP's one-walk dump then holds the sockets
    /// compactly and shows them once this is false, instead of letting the kernel's messages
    /// pile up meanwhile; no hints are given while waiting.
    fn waiting(&self) -> bool {
        false
    }
    /// The inodes of the sockets about to be handed to [`Visitor::socket`] (one netlink
    /// datagram's worth, in order; inet and unix dumps only). A visitor that looks every socket
    /// up in a large table can touch their entries here all at once, so the cache misses
    /// overlap instead of being paid one after another.
    fn upcoming_inodes(&mut self, _inodes: &[u32]) {}
    /// A dump of `table` is about to start (ss sets its service-lookup protocol here).
    fn dump_started(&mut self, _table: Table) {}
    /// A message ss would print on stderr at this point, in ss's exact words, without newline.
    fn diagnostic(&mut self, _text: &str) {}
    /// A message ss prints on stderr WITHOUT a trailing newline (only
    /// `Unexpected EOF reading $TCPDIAG_FILE`); print `text` exactly. Defaults to
    /// [`Visitor::diagnostic`] for visitors that do not care.
    fn diagnostic_raw(&mut self, text: &str) {
        self.diagnostic(text)
    }
}

/// Dumps every kind the plan enables, in ss's order, handing each socket to `visitor`.
///
/// * Kinds and their preconditions (spec 2.3): netlink, packet, unix, raw, udp, tcp, dccp,
///   sctp, vsock, tipc, xdp, mptcp; inet kinds need AF_INET or AF_INET6 in `families`, unix
///   needs AF_UNIX, packet/netlink/xdp need their family and the CLOSE state bit, vsock its
///   family, tipc only its table.
/// * [`Visitor::dump_started`] is called once per kind that passes its preconditions, with
///   `Tcp`, `Udp`, `Raw`, `Dccp`, `Sctp`, `Mptcp`, `Netlink`, `Tipc`, `Xdp`, or for kinds with
///   several tables the first enabled one in table order (`UnixDgram`/`UnixStream`/
///   `UnixSeqpacket`, `PacketDgram`/`PacketRaw`, `VsockStream`/`VsockDgram`).
/// * Sources: `PROC_ROOT` disables netlink for tcp/udp/raw/unix/packet/netlink (→ /proc) and
///   for dccp/sctp/mptcp (→ nothing); `PROC_NET_{TCP,UDP,RAW,UNIX,PACKET,NETLINK}` force /proc
///   for their kind; `disable_*` switch dccp/sctp/mptcp off; `tcpdiag_file` replays TCP.
/// * Netlink failures fall back exactly like ss (inet: v2, then the legacy request for
///   tcp/dccp, then /proc for tcp/udp/raw; packet without MEMINFO or failing: /proc), and
///   ss's stderr texts arrive through [`Visitor::diagnostic`].
/// * A `Break` from the visitor ends the run with `Ok(())`.
///
/// Errors: only [`QueryError::Remnant`] (ss exits 1 without output).
pub fn run(plan: &Plan, visitor: &mut dyn Visitor) -> Result<(), QueryError> {
    crate::run::Runner::new(plan, visitor).run()
}

/// `ss -D FILE`: performs the TCP dump sequence of [`run`] (v2 per family, legacy retry) with
/// the plan's states and `inet_ext` (never bytecode: ss parses the filter only after `-D`) and
/// writes every datagram the kernel sends, byte for byte, to `out`. Sockets are not decoded;
/// netlink errors still reach [`Visitor::diagnostic`]. The result can be replayed with
/// `Sources::tcpdiag_file`.
pub fn write_tcp_dump(
    plan: &Plan,
    out: &mut dyn std::io::Write,
    visitor: &mut dyn Visitor,
) -> Result<(), QueryError> {
    crate::run::Runner::new(plan, visitor).write_tcp_dump(out)
}
