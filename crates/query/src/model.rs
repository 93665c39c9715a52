//! The socket model shared by every kind: what a sock_diag answer (or a /proc line) says about
//! one socket, as borrowed views over the receive buffer.
//!
//! Nothing here allocates: variable-length attributes are kept as `&[u8]` slices into the buffer
//! the message was received in, and fixed-size kernel structs are copied into small `Copy`
//! structs. A renderer decides what of this it needs; decoding happens only on access.
//! This module must not format anything for display.

/// The socket tables ("dbs") in ss's bit order (`ss -A` names, Netid column).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Table {
    Tcp = 0,
    Mptcp = 1,
    Dccp = 2,
    Udp = 3,
    Raw = 4,
    UnixDgram = 5,
    UnixStream = 6,
    UnixSeqpacket = 7,
    PacketDgram = 8,
    PacketRaw = 9,
    Netlink = 10,
    Sctp = 11,
    VsockStream = 12,
    VsockDgram = 13,
    Tipc = 14,
    Xdp = 15,
}

impl Table {
    pub const ALL: [Table; 16] = [
        Table::Tcp,
        Table::Mptcp,
        Table::Dccp,
        Table::Udp,
        Table::Raw,
        Table::UnixDgram,
        Table::UnixStream,
        Table::UnixSeqpacket,
        Table::PacketDgram,
        Table::PacketRaw,
        Table::Netlink,
        Table::Sctp,
        Table::VsockStream,
        Table::VsockDgram,
        Table::Tipc,
        Table::Xdp,
    ];
    pub const fn bit(self) -> u32 {
        1 << self as u32
    }
}

/// A set of [`Table`]s as a bit mask (bit = `Table as u8`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TableSet(pub u32);

impl TableSet {
    pub fn contains(self, t: Table) -> bool {
        self.0 & t.bit() != 0
    }
    pub fn insert(&mut self, t: Table) {
        self.0 |= t.bit();
    }
    pub fn remove(&mut self, t: Table) {
        self.0 &= !t.bit();
    }
}

/// TCP state numbering as used by sock_diag for every kind (ss prints index 7 as `UNCONN`).
pub mod state {
    pub const UNKNOWN: u8 = 0;
    pub const ESTABLISHED: u8 = 1;
    pub const SYN_SENT: u8 = 2;
    pub const SYN_RECV: u8 = 3;
    pub const FIN_WAIT1: u8 = 4;
    pub const FIN_WAIT2: u8 = 5;
    pub const TIME_WAIT: u8 = 6;
    pub const CLOSE: u8 = 7;
    pub const CLOSE_WAIT: u8 = 8;
    pub const LAST_ACK: u8 = 9;
    pub const LISTEN: u8 = 10;
    pub const CLOSING: u8 = 11;
    /// Every state bit ss knows (bits 0..=11).
    pub const ALL: u32 = 0xfff;
    /// ss's default "connected" set: all minus LISTEN, CLOSE, TIME-WAIT, SYN-RECV.
    pub const SS_CONN: u32 = 0xb37;
}

/// Address families (AF_* values) the model distinguishes.
pub mod family {
    pub const UNSPEC: u8 = 0;
    pub const UNIX: u8 = 1;
    pub const INET: u8 = 2;
    pub const INET6: u8 = 10;
    pub const NETLINK: u8 = 16;
    pub const PACKET: u8 = 17;
    pub const TIPC: u8 = 30;
    pub const VSOCK: u8 = 40;
    pub const XDP: u8 = 44;
}

/// One socket of any kind, borrowed from the buffer it was decoded from.
#[derive(Clone, Copy, Debug)]
pub enum Sock<'a> {
    Inet(&'a InetSock<'a>),
    Unix(&'a UnixSock<'a>),
    Packet(&'a PacketSock<'a>),
    Netlink(&'a NetlinkSock<'a>),
    Vsock(&'a VsockSock),
    Xdp(&'a XdpSock<'a>),
}

/// Where a socket record came from; some fields only exist in one source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Source {
    #[default]
    Netlink,
    /// Parsed from a /proc/net text file (ss's fallback path).
    Proc,
    /// A recorded netlink dump played back (`TCPDIAG_FILE`): decoded like [`Source::Netlink`],
    /// but no kernel filtered it and there is no live socket to destroy.
    Replay,
}

impl Source {
    /// Decoded from a netlink message (live or recorded), not from /proc text.
    pub fn is_netlink_format(self) -> bool {
        self != Source::Proc
    }
}

/// An inet socket (tcp, udp, raw, mptcp, sctp, dccp), IPv4 or IPv6.
#[derive(Clone, Copy, Debug, Default)]
pub struct InetSock<'a> {
    pub source: Source,
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// The table the dump was made for (decides Netid and service lookups).
    pub table: Option<Table>,
    /// IP protocol: the dump's protocol, replaced by INET_DIAG_PROTOCOL when present.
    pub protocol: u16,
    pub state: u8,
    pub timer: u8,
    pub retrans: u8,
    /// Host order ports.
    pub sport: u16,
    pub dport: u16,
    /// Addresses in network byte order; only the first 4 bytes are used for AF_INET.
    pub src: [u8; 16],
    pub dst: [u8; 16],
    pub ifindex: u32,
    pub cookie: u64,
    pub expires: u32,
    pub rqueue: u32,
    pub wqueue: u32,
    pub uid: u32,
    pub inode: u32,
    pub attrs: InetAttrs<'a>,
    /// Fields only the /proc text format has (ss's fallback path).
    pub proc_extra: Option<ProcInetExtra<'a>>,
}

/// Optional inet_diag attributes. Slices point into the receive buffer; `None` = absent.
/// The first occurrence of an attribute type wins (as in ss's parse_rtattr).
#[derive(Clone, Copy, Debug, Default)]
pub struct InetAttrs<'a> {
    /// INET_DIAG_MEMINFO (1): struct inet_diag_meminfo {rmem, wmem, fmem, tmem}.
    pub meminfo: Option<[u32; 4]>,
    /// INET_DIAG_INFO (2): raw struct tcp_info bytes (any length; see [`crate::tcp_info`]).
    pub info: Option<&'a [u8]>,
    /// INET_DIAG_VEGASINFO (3): {enabled, rttcnt, rtt, minrtt}.
    pub vegas: Option<[u32; 4]>,
    /// INET_DIAG_CONG (4): congestion algorithm name without the trailing NUL.
    pub cong: Option<&'a [u8]>,
    /// INET_DIAG_TOS (5).
    pub tos: Option<u8>,
    /// INET_DIAG_TCLASS (6).
    pub tclass: Option<u8>,
    /// INET_DIAG_SKMEMINFO (7): u32 array (SK_MEMINFO_*), length varies by kernel.
    pub skmeminfo: Option<&'a [u8]>,
    /// INET_DIAG_SHUTDOWN (8).
    pub shutdown: Option<u8>,
    /// INET_DIAG_DCTCPINFO (9): raw struct tcp_dctcp_info.
    pub dctcp: Option<&'a [u8]>,
    /// INET_DIAG_SKV6ONLY (11).
    pub v6only: Option<u8>,
    /// INET_DIAG_LOCALS (12) / PEERS (13): arrays of sockaddr_storage (SCTP).
    pub locals: Option<&'a [u8]>,
    pub peers: Option<&'a [u8]>,
    /// INET_DIAG_MARK (15).
    pub mark: Option<u32>,
    /// INET_DIAG_BBRINFO (16): raw struct tcp_bbr_info.
    pub bbr: Option<&'a [u8]>,
    /// INET_DIAG_CLASS_ID (17).
    pub class_id: Option<u32>,
    /// INET_DIAG_MD5SIG (18): array of struct tcp_diag_md5sig.
    pub md5sig: Option<&'a [u8]>,
    /// INET_DIAG_ULP_INFO (19): nested attributes (INET_ULP_INFO_*).
    pub ulp: Option<&'a [u8]>,
    /// INET_DIAG_CGROUP_ID (21).
    pub cgroup_id: Option<u64>,
    /// INET_DIAG_SOCKOPT (22): struct inet_diag_sockopt bit fields (raw bytes).
    pub sockopt: Option<&'a [u8]>,
}

/// What only /proc/net/{tcp,udp,raw}[6] lines carry.
#[derive(Clone, Copy, Debug, Default)]
pub struct ProcInetExtra<'a> {
    /// Kernel socket pointer as printed by the kernel (`sk:` in `-e`).
    pub sk: u64,
    pub refcnt: u32,
    /// Clock-tick based TCP values (tcp only), raw as in the file. ss shows rto as
    /// `rto/hz` (0 when exactly `3*hz`), ato as `ato/hz`, qack as `qack/2` (+ ` bidir` when that
    /// is odd), ssthresh -1 as 0. Lines with fewer than 12 fields (TIME-WAIT) already carry ss's
    /// defaults here: rto 0, ato 0, qack 0, cwnd 2, ssthresh -1.
    pub rto: u32,
    pub ato: u32,
    pub qack: u32,
    pub cwnd: u32,
    pub ssthresh: i32,
    /// Clock ticks per second (`sysconf(_SC_CLK_TCK)`) the values above are counted in.
    pub hz: u32,
    /// Text left over at the end of the line (`opt:"..."` with `-e`).
    pub opt: &'a [u8],
}

/// A unix domain socket.
#[derive(Clone, Copy, Debug, Default)]
pub struct UnixSock<'a> {
    pub source: Source,
    /// SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5.
    pub sock_type: u8,
    pub state: u8,
    pub inode: u32,
    pub cookie: u64,
    /// UNIX_DIAG_NAME: raw name bytes; abstract names start with a NUL byte.
    pub name: Option<&'a [u8]>,
    /// UNIX_DIAG_VFS: (inode, device).
    pub vfs: Option<(u32, u32)>,
    /// UNIX_DIAG_PEER: peer inode.
    pub peer: Option<u32>,
    /// UNIX_DIAG_ICONS: u32 array of pending connection inodes (listeners).
    pub icons: Option<&'a [u8]>,
    /// UNIX_DIAG_RQLEN: (rqueue, wqueue).
    pub rqlen: Option<(u32, u32)>,
    /// UNIX_DIAG_MEMINFO: u32 array (SK_MEMINFO_*).
    pub meminfo: Option<&'a [u8]>,
    /// UNIX_DIAG_SHUTDOWN.
    pub shutdown: Option<u8>,
    /// UNIX_DIAG_UID.
    pub uid: Option<u32>,
}

/// struct packet_diag_info.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketInfo {
    pub index: u32,
    pub version: u32,
    pub reserve: u32,
    pub copy_thresh: u32,
    pub tstamp: u32,
    pub flags: u32,
}

/// struct packet_diag_ring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketRing {
    pub block_size: u32,
    pub block_nr: u32,
    pub frame_size: u32,
    pub frame_nr: u32,
    pub retire_tmo: u32,
    pub sizeof_priv: u32,
    pub features: u32,
}

/// A packet (AF_PACKET) socket.
#[derive(Clone, Copy, Debug, Default)]
pub struct PacketSock<'a> {
    pub source: Source,
    /// SOCK_RAW 3 or SOCK_DGRAM 2.
    pub sock_type: u8,
    /// Ethernet protocol number, host order.
    pub protocol: u16,
    pub inode: u32,
    pub cookie: u64,
    pub info: Option<PacketInfo>,
    pub rx_ring: Option<PacketRing>,
    pub tx_ring: Option<PacketRing>,
    pub fanout: Option<u32>,
    pub uid: Option<u32>,
    /// PACKET_DIAG_MEMINFO: u32 array (SK_MEMINFO_*).
    pub meminfo: Option<&'a [u8]>,
    /// PACKET_DIAG_FILTER: array of 8-byte struct sock_filter.
    pub filter: Option<&'a [u8]>,
    /// /proc/net/packet only: rmem and ifindex columns.
    pub proc_rmem: u32,
    pub proc_ifindex: u32,
}

/// A netlink socket.
#[derive(Clone, Copy, Debug, Default)]
pub struct NetlinkSock<'a> {
    pub source: Source,
    pub sock_type: u8,
    pub protocol: u8,
    /// 1 = connected (only changes the peer column).
    pub state: u8,
    pub portid: u32,
    pub dst_portid: u32,
    pub dst_group: u32,
    pub inode: u32,
    pub cookie: u64,
    /// NETLINK_DIAG_MEMINFO: u32 array (SK_MEMINFO_*).
    pub meminfo: Option<&'a [u8]>,
    /// NETLINK_DIAG_GROUPS: first word of the groups bitmap.
    pub groups: Option<u32>,
    /// /proc/net/netlink only: sk pointer, cb pointer, rmem, wmem.
    pub proc_sk: u64,
    pub proc_cb: u64,
    pub proc_rmem: u32,
    pub proc_wmem: u32,
}

/// A vsock socket.
#[derive(Clone, Copy, Debug, Default)]
pub struct VsockSock {
    pub sock_type: u8,
    pub state: u8,
    pub shutdown: u8,
    pub src_cid: u32,
    pub src_port: u32,
    pub dst_cid: u32,
    pub dst_port: u32,
    pub inode: u32,
    pub cookie: u64,
}

/// An AF_XDP socket.
#[derive(Clone, Copy, Debug, Default)]
pub struct XdpSock<'a> {
    pub sock_type: u8,
    pub inode: u32,
    pub cookie: u64,
    /// XDP_DIAG_INFO: (ifindex, queue_id).
    pub info: Option<(u32, u32)>,
    pub uid: Option<u32>,
    pub rx_ring: Option<u32>,
    pub tx_ring: Option<u32>,
    pub umem: Option<&'a [u8]>,
    pub fill_ring: Option<u32>,
    pub completion_ring: Option<u32>,
    pub meminfo: Option<&'a [u8]>,
    pub stats: Option<&'a [u8]>,
}

/// Reads the i-th native-endian u32 of an attribute payload, if present.
pub fn u32_at(bytes: &[u8], i: usize) -> Option<u32> {
    let b = bytes.get(i * 4..i * 4 + 4)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}
