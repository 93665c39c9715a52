//! Numeric constants of the kernel UAPI this crate speaks: netlink message types and flags,
//! sock_diag request types, per-family attribute numbers and "show" bits, rtnetlink link
//! attributes, and the extended-ack attribute numbers.
//!
//! Values are copied from the UAPI headers named in each block (include/uapi/linux/...), as
//! shipped with iproute2 v6.1.0. Nothing here depends on the running kernel.

// ---- include/uapi/linux/netlink.h -------------------------------------------------------------

/// Netlink protocol numbers (socket(2) third argument).
pub const NETLINK_ROUTE: i32 = 0;
pub const NETLINK_SOCK_DIAG: i32 = 4;

/// `struct nlmsghdr` is 16 bytes; messages and attributes are 4-byte aligned.
pub const NLMSG_HDRLEN: usize = 16;
pub const NLMSG_ALIGNTO: usize = 4;

pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;

pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_ECHO: u16 = 0x08;
/// Dump was inconsistent due to a sequence change (set on dump replies).
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_ROOT: u16 = 0x100;
pub const NLM_F_MATCH: u16 = 0x200;
/// `NLM_F_ROOT | NLM_F_MATCH`.
pub const NLM_F_DUMP: u16 = 0x300;
/// Flags of `NLMSG_ERROR`: request payload was capped / ext-ack TLVs follow.
pub const NLM_F_CAPPED: u16 = 0x100;
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// setsockopt(SOL_NETLINK, ...) options.
pub const SOL_NETLINK: i32 = 270;
pub const NETLINK_EXT_ACK: i32 = 11;

/// `enum nlmsgerr_attrs` (extended ack TLVs after `struct nlmsgerr` or DONE's error int).
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// Attribute type flag bits that are not part of the type number.
pub const NLA_F_NESTED: u16 = 0x8000;
pub const NLA_F_NET_BYTEORDER: u16 = 0x4000;
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// The sequence number ss puts in every sock_diag dump request (misc/ss.c MAGIC_SEQ).
pub const SS_MAGIC_SEQ: u32 = 123456;

// ---- include/uapi/linux/sock_diag.h, inet_diag.h ------------------------------------------------

pub const SOCK_DIAG_BY_FAMILY: u16 = 20;
pub const SOCK_DESTROY: u16 = 21;
/// Legacy inet_diag request types (`struct inet_diag_req`).
pub const TCPDIAG_GETSOCK: u16 = 18;
pub const DCCPDIAG_GETSOCK: u16 = 19;

/// Request attributes (`enum { INET_DIAG_REQ_NONE, ... }`).
pub const INET_DIAG_REQ_BYTECODE: u16 = 1;
pub const INET_DIAG_REQ_SK_BPF_STORAGES: u16 = 2;
pub const INET_DIAG_REQ_PROTOCOL: u16 = 3;

/// Reply attributes of `inet_diag_msg`.
pub const INET_DIAG_MEMINFO: u16 = 1;
pub const INET_DIAG_INFO: u16 = 2;
pub const INET_DIAG_VEGASINFO: u16 = 3;
pub const INET_DIAG_CONG: u16 = 4;
pub const INET_DIAG_TOS: u16 = 5;
pub const INET_DIAG_TCLASS: u16 = 6;
pub const INET_DIAG_SKMEMINFO: u16 = 7;
pub const INET_DIAG_SHUTDOWN: u16 = 8;
pub const INET_DIAG_DCTCPINFO: u16 = 9;
pub const INET_DIAG_PROTOCOL: u16 = 10;
pub const INET_DIAG_SKV6ONLY: u16 = 11;
pub const INET_DIAG_LOCALS: u16 = 12;
pub const INET_DIAG_PEERS: u16 = 13;
pub const INET_DIAG_PAD: u16 = 14;
pub const INET_DIAG_MARK: u16 = 15;
pub const INET_DIAG_BBRINFO: u16 = 16;
pub const INET_DIAG_CLASS_ID: u16 = 17;
pub const INET_DIAG_MD5SIG: u16 = 18;
pub const INET_DIAG_ULP_INFO: u16 = 19;
pub const INET_DIAG_SK_BPF_STORAGES: u16 = 20;
pub const INET_DIAG_CGROUP_ID: u16 = 21;
pub const INET_DIAG_SOCKOPT: u16 = 22;
/// Highest reply attribute iproute2 6.1 knows; parse_rtattr ignores larger types.
pub const INET_DIAG_MAX: u16 = INET_DIAG_SOCKOPT;

/// `idiag_ext` request bits are `1 << (attr - 1)`.
pub const fn inet_ext_bit(attr: u16) -> u8 {
    1u8 << (attr - 1)
}

/// IP protocol numbers used by the inet dumps.
pub const IPPROTO_TCP: u16 = 6;
pub const IPPROTO_UDP: u16 = 17;
pub const IPPROTO_DCCP: u16 = 33;
pub const IPPROTO_SCTP: u16 = 132;
pub const IPPROTO_RAW: u16 = 255;
pub const IPPROTO_MPTCP: u16 = 262;

// ---- include/uapi/linux/unix_diag.h ---------------------------------------------------------------

pub const UDIAG_SHOW_NAME: u32 = 0x01;
pub const UDIAG_SHOW_VFS: u32 = 0x02;
pub const UDIAG_SHOW_PEER: u32 = 0x04;
pub const UDIAG_SHOW_ICONS: u32 = 0x08;
pub const UDIAG_SHOW_RQLEN: u32 = 0x10;
pub const UDIAG_SHOW_MEMINFO: u32 = 0x20;
pub const UDIAG_SHOW_UID: u32 = 0x40;

pub const UNIX_DIAG_NAME: u16 = 0;
pub const UNIX_DIAG_VFS: u16 = 1;
pub const UNIX_DIAG_PEER: u16 = 2;
pub const UNIX_DIAG_ICONS: u16 = 3;
pub const UNIX_DIAG_RQLEN: u16 = 4;
pub const UNIX_DIAG_MEMINFO: u16 = 5;
pub const UNIX_DIAG_SHUTDOWN: u16 = 6;
pub const UNIX_DIAG_UID: u16 = 7;
/// iproute2 6.1's UNIX_DIAG_MAX (its header stops at UNIX_DIAG_UID).
pub const UNIX_DIAG_MAX: u16 = UNIX_DIAG_UID;

// ---- include/uapi/linux/packet_diag.h -------------------------------------------------------------

pub const PACKET_SHOW_INFO: u32 = 0x01;
pub const PACKET_SHOW_MCLIST: u32 = 0x02;
pub const PACKET_SHOW_RING_CFG: u32 = 0x04;
pub const PACKET_SHOW_FANOUT: u32 = 0x08;
pub const PACKET_SHOW_MEMINFO: u32 = 0x10;
pub const PACKET_SHOW_FILTER: u32 = 0x20;

pub const PACKET_DIAG_INFO: u16 = 0;
pub const PACKET_DIAG_MCLIST: u16 = 1;
pub const PACKET_DIAG_RX_RING: u16 = 2;
pub const PACKET_DIAG_TX_RING: u16 = 3;
pub const PACKET_DIAG_FANOUT: u16 = 4;
pub const PACKET_DIAG_UID: u16 = 5;
pub const PACKET_DIAG_MEMINFO: u16 = 6;
pub const PACKET_DIAG_FILTER: u16 = 7;
pub const PACKET_DIAG_MAX: u16 = PACKET_DIAG_FILTER;

// ---- include/uapi/linux/netlink_diag.h ------------------------------------------------------------

pub const NDIAG_SHOW_MEMINFO: u32 = 0x01;
pub const NDIAG_SHOW_GROUPS: u32 = 0x02;
pub const NDIAG_SHOW_RING_CFG: u32 = 0x04;
pub const NDIAG_SHOW_FLAGS: u32 = 0x08;
/// `sdiag_protocol` value asking for sockets of every netlink protocol.
pub const NDIAG_PROTO_ALL: u8 = 255;

pub const NETLINK_DIAG_MEMINFO: u16 = 0;
pub const NETLINK_DIAG_GROUPS: u16 = 1;
pub const NETLINK_DIAG_RX_RING: u16 = 2;
pub const NETLINK_DIAG_TX_RING: u16 = 3;
pub const NETLINK_DIAG_FLAGS: u16 = 4;
pub const NETLINK_DIAG_MAX: u16 = NETLINK_DIAG_FLAGS;

// ---- include/uapi/linux/xdp_diag.h ----------------------------------------------------------------

pub const XDP_SHOW_INFO: u32 = 1 << 0;
pub const XDP_SHOW_RING_CFG: u32 = 1 << 1;
pub const XDP_SHOW_UMEM: u32 = 1 << 2;
pub const XDP_SHOW_MEMINFO: u32 = 1 << 3;
pub const XDP_SHOW_STATS: u32 = 1 << 4;

pub const XDP_DIAG_INFO: u16 = 1;
pub const XDP_DIAG_UID: u16 = 2;
pub const XDP_DIAG_RX_RING: u16 = 3;
pub const XDP_DIAG_TX_RING: u16 = 4;
pub const XDP_DIAG_UMEM: u16 = 5;
pub const XDP_DIAG_UMEM_FILL_RING: u16 = 6;
pub const XDP_DIAG_UMEM_COMPLETION_RING: u16 = 7;
pub const XDP_DIAG_MEMINFO: u16 = 8;
pub const XDP_DIAG_STATS: u16 = 9;
pub const XDP_DIAG_MAX: u16 = XDP_DIAG_STATS;

// ---- include/uapi/linux/sock_diag.h: SK_MEMINFO_* indexes -------------------------------------------

pub const SK_MEMINFO_RMEM_ALLOC: usize = 0;
pub const SK_MEMINFO_RCVBUF: usize = 1;
pub const SK_MEMINFO_WMEM_ALLOC: usize = 2;
pub const SK_MEMINFO_SNDBUF: usize = 3;
pub const SK_MEMINFO_FWD_ALLOC: usize = 4;
pub const SK_MEMINFO_WMEM_QUEUED: usize = 5;
pub const SK_MEMINFO_OPTMEM: usize = 6;
pub const SK_MEMINFO_BACKLOG: usize = 7;
pub const SK_MEMINFO_DROPS: usize = 8;

// ---- include/uapi/linux/rtnetlink.h, if_link.h ------------------------------------------------------

pub const RTM_NEWLINK: u16 = 16;
pub const RTM_DELLINK: u16 = 17;
pub const RTM_GETLINK: u16 = 18;
/// `struct ifinfomsg` is 16 bytes.
pub const IFINFOMSG_LEN: usize = 16;
pub const IFLA_IFNAME: u16 = 3;
pub const IFLA_EXT_MASK: u16 = 29;
pub const IFLA_PROP_LIST: u16 = 52;
pub const IFLA_ALT_IFNAME: u16 = 53;
pub const RTEXT_FILTER_VF: u32 = 1 << 0;
pub const RTEXT_FILTER_SKIP_STATS: u32 = 1 << 3;

// ---- address families (include/linux/socket.h) --------------------------------------------------

pub const AF_UNSPEC: u8 = 0;
pub const AF_UNIX: u8 = 1;
pub const AF_INET: u8 = 2;
pub const AF_INET6: u8 = 10;
pub const AF_NETLINK: u8 = 16;
pub const AF_PACKET: u8 = 17;
pub const AF_TIPC: u8 = 30;
pub const AF_VSOCK: u8 = 40;
pub const AF_XDP: u8 = 44;
