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
/// `IPPROTO_MAX`: the protocol ss's `-E` printer starts from (no Netid name).
pub const IPPROTO_MAX: u16 = 256;

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

// ---- rtnetlink: routes, addresses, multicast, nsid (include/uapi/linux/rtnetlink.h) --------------
// Used by the `ip` persona (route/link/maddr) and netstat's routing and interface tables.

pub const RTM_NEWADDR: u16 = 20;
pub const RTM_DELADDR: u16 = 21;
pub const RTM_GETADDR: u16 = 22;
pub const RTM_NEWROUTE: u16 = 24;
pub const RTM_DELROUTE: u16 = 25;
pub const RTM_GETROUTE: u16 = 26;
pub const RTM_GETMULTICAST: u16 = 58;
pub const RTM_NEWNSID: u16 = 88;
pub const RTM_GETNSID: u16 = 90;

/// Set on dump replies the kernel filtered itself (strict checking honoured the request).
pub const NLM_F_DUMP_FILTERED: u16 = 0x20;
/// setsockopt(SOL_NETLINK, NETLINK_GET_STRICT_CHK): validate dump requests and filter in the
/// kernel (include/uapi/linux/netlink.h).
pub const NETLINK_GET_STRICT_CHK: i32 = 12;

/// `struct rtmsg` is 12 bytes: family, dst_len, src_len, tos, table, protocol, scope, type,
/// flags (u32).
pub const RTMSG_LEN: usize = 12;
/// `struct ifaddrmsg` is 8 bytes: family, prefixlen, flags, scope, index (u32).
pub const IFADDRMSG_LEN: usize = 8;
/// `struct rtgenmsg` is 1 byte; attributes start at NLMSG_ALIGN(1) = 4.
pub const RTGENMSG_SPACE: usize = 4;
/// `struct rtnexthop` is 8 bytes: len (u16), flags, hops, ifindex (i32).
pub const RTNEXTHOP_LEN: usize = 8;

/// Route types (`enum rtm_type`, `rtm_type`).
pub const RTN_UNSPEC: u8 = 0;
pub const RTN_UNICAST: u8 = 1;
pub const RTN_LOCAL: u8 = 2;
pub const RTN_BROADCAST: u8 = 3;
pub const RTN_ANYCAST: u8 = 4;
pub const RTN_MULTICAST: u8 = 5;
pub const RTN_BLACKHOLE: u8 = 6;
pub const RTN_UNREACHABLE: u8 = 7;
pub const RTN_PROHIBIT: u8 = 8;
pub const RTN_THROW: u8 = 9;
pub const RTN_NAT: u8 = 10;
pub const RTN_XRESOLVE: u8 = 11;

/// Route origins (`rtm_protocol`).
pub const RTPROT_UNSPEC: u8 = 0;
pub const RTPROT_REDIRECT: u8 = 1;
pub const RTPROT_KERNEL: u8 = 2;
pub const RTPROT_BOOT: u8 = 3;
pub const RTPROT_STATIC: u8 = 4;

/// Route scopes (`rtm_scope`).
pub const RT_SCOPE_UNIVERSE: u8 = 0;
pub const RT_SCOPE_SITE: u8 = 200;
pub const RT_SCOPE_LINK: u8 = 253;
pub const RT_SCOPE_HOST: u8 = 254;
pub const RT_SCOPE_NOWHERE: u8 = 255;

/// Reserved table ids (`enum rt_class_t`).
pub const RT_TABLE_UNSPEC: u32 = 0;
pub const RT_TABLE_COMPAT: u32 = 252;
pub const RT_TABLE_DEFAULT: u32 = 253;
pub const RT_TABLE_MAIN: u32 = 254;
pub const RT_TABLE_LOCAL: u32 = 255;

/// `rtm_flags` bits.
pub const RTM_F_NOTIFY: u32 = 0x100;
pub const RTM_F_CLONED: u32 = 0x200;
pub const RTM_F_EQUALIZE: u32 = 0x400;
pub const RTM_F_PREFIX: u32 = 0x800;
pub const RTM_F_LOOKUP_TABLE: u32 = 0x1000;
pub const RTM_F_FIB_MATCH: u32 = 0x2000;
pub const RTM_F_OFFLOAD: u32 = 0x4000;
pub const RTM_F_TRAP: u32 = 0x8000;
pub const RTM_F_OFFLOAD_FAILED: u32 = 0x2000_0000;

/// Next-hop flags (`rtnh_flags`, also in the low byte of `rtm_flags`).
pub const RTNH_F_DEAD: u32 = 1;
pub const RTNH_F_PERVASIVE: u32 = 2;
pub const RTNH_F_ONLINK: u32 = 4;
pub const RTNH_F_OFFLOAD: u32 = 8;
pub const RTNH_F_LINKDOWN: u32 = 16;
pub const RTNH_F_UNRESOLVED: u32 = 32;
pub const RTNH_F_TRAP: u32 = 64;

/// IPv4 route cache flags in the upper half of `rtm_flags` (include/uapi/linux/in_route.h).
pub const RTCF_NOTIFY: u32 = 0x0001_0000;
pub const RTCF_DIRECTDST: u32 = 0x0002_0000;
pub const RTCF_REDIRECTED: u32 = 0x0004_0000;
pub const RTCF_TPROXY: u32 = 0x0008_0000;
pub const RTCF_FAST: u32 = 0x0020_0000;
pub const RTCF_MASQ: u32 = 0x0040_0000;
pub const RTCF_SNAT: u32 = 0x0080_0000;
pub const RTCF_DOREDIRECT: u32 = 0x0100_0000;
pub const RTCF_DIRECTSRC: u32 = 0x0400_0000;
pub const RTCF_DNAT: u32 = 0x0800_0000;
pub const RTCF_BROADCAST: u32 = 0x1000_0000;
pub const RTCF_MULTICAST: u32 = 0x2000_0000;
pub const RTCF_REJECT: u32 = 0x4000_0000;
pub const RTCF_LOCAL: u32 = 0x8000_0000;

/// Route attributes (`enum rtattr_type_t`).
pub const RTA_DST: u16 = 1;
pub const RTA_SRC: u16 = 2;
pub const RTA_IIF: u16 = 3;
pub const RTA_OIF: u16 = 4;
pub const RTA_GATEWAY: u16 = 5;
pub const RTA_PRIORITY: u16 = 6;
pub const RTA_PREFSRC: u16 = 7;
pub const RTA_METRICS: u16 = 8;
pub const RTA_MULTIPATH: u16 = 9;
pub const RTA_FLOW: u16 = 11;
pub const RTA_CACHEINFO: u16 = 12;
pub const RTA_TABLE: u16 = 15;
pub const RTA_MARK: u16 = 16;
pub const RTA_MFC_STATS: u16 = 17;
pub const RTA_VIA: u16 = 18;
pub const RTA_NEWDST: u16 = 19;
pub const RTA_PREF: u16 = 20;
pub const RTA_ENCAP_TYPE: u16 = 21;
pub const RTA_ENCAP: u16 = 22;
pub const RTA_EXPIRES: u16 = 23;
pub const RTA_UID: u16 = 25;
pub const RTA_TTL_PROPAGATE: u16 = 26;
pub const RTA_IP_PROTO: u16 = 27;
pub const RTA_SPORT: u16 = 28;
pub const RTA_DPORT: u16 = 29;
pub const RTA_NH_ID: u16 = 30;
/// iproute2 6.1's RTA_MAX: its parse_rtattr ignores larger types.
pub const RTA_MAX: u16 = RTA_NH_ID;

/// Route metrics (nested in RTA_METRICS).
pub const RTAX_LOCK: u16 = 1;
pub const RTAX_MTU: u16 = 2;
pub const RTAX_WINDOW: u16 = 3;
pub const RTAX_RTT: u16 = 4;
pub const RTAX_RTTVAR: u16 = 5;
pub const RTAX_SSTHRESH: u16 = 6;
pub const RTAX_CWND: u16 = 7;
pub const RTAX_ADVMSS: u16 = 8;
pub const RTAX_REORDERING: u16 = 9;
pub const RTAX_HOPLIMIT: u16 = 10;
pub const RTAX_INITCWND: u16 = 11;
pub const RTAX_FEATURES: u16 = 12;
pub const RTAX_RTO_MIN: u16 = 13;
pub const RTAX_INITRWND: u16 = 14;
pub const RTAX_QUICKACK: u16 = 15;
pub const RTAX_CC_ALGO: u16 = 16;
pub const RTAX_FASTOPEN_NO_COOKIE: u16 = 17;
/// iproute2 6.1's RTAX_MAX.
pub const RTAX_MAX: u16 = RTAX_FASTOPEN_NO_COOKIE;
pub const RTAX_FEATURE_ECN: u32 = 1 << 0;

/// RTA_PREF values (include/uapi/linux/icmpv6.h ICMPV6_ROUTER_PREF_*).
pub const ICMPV6_ROUTER_PREF_LOW: u8 = 3;
pub const ICMPV6_ROUTER_PREF_MEDIUM: u8 = 0;
pub const ICMPV6_ROUTER_PREF_HIGH: u8 = 1;

/// Address attributes (include/uapi/linux/if_addr.h).
pub const IFA_ADDRESS: u16 = 1;
pub const IFA_LOCAL: u16 = 2;
pub const IFA_LABEL: u16 = 3;
pub const IFA_BROADCAST: u16 = 4;
pub const IFA_ANYCAST: u16 = 5;
pub const IFA_CACHEINFO: u16 = 6;
pub const IFA_MULTICAST: u16 = 7;
pub const IFA_FLAGS: u16 = 8;

/// Net namespace id attributes (include/uapi/linux/net_namespace.h).
pub const NETNSA_NSID: u16 = 1;
pub const NETNSA_PID: u16 = 2;
pub const NETNSA_FD: u16 = 3;

/// Address families beyond the socket ones above.
pub const AF_MPLS: u8 = 28;
pub const AF_BRIDGE: u8 = 7;
/// Multicast routing "families" of the route dump (include/uapi/linux/rtnetlink.h).
pub const RTNL_FAMILY_IPMR: u8 = 128;
pub const RTNL_FAMILY_IP6MR: u8 = 129;

// ---- include/uapi/linux/if_link.h: link attributes ---------------------------------------------

pub const IFLA_ADDRESS: u16 = 1;
pub const IFLA_BROADCAST: u16 = 2;
pub const IFLA_MTU: u16 = 4;
pub const IFLA_LINK: u16 = 5;
pub const IFLA_QDISC: u16 = 6;
pub const IFLA_STATS: u16 = 7;
pub const IFLA_MASTER: u16 = 10;
pub const IFLA_PROTINFO: u16 = 12;
pub const IFLA_TXQLEN: u16 = 13;
pub const IFLA_MAP: u16 = 14;
pub const IFLA_OPERSTATE: u16 = 16;
pub const IFLA_LINKMODE: u16 = 17;
pub const IFLA_LINKINFO: u16 = 18;
pub const IFLA_IFALIAS: u16 = 20;
pub const IFLA_NUM_VF: u16 = 21;
pub const IFLA_VFINFO_LIST: u16 = 22;
pub const IFLA_STATS64: u16 = 23;
pub const IFLA_AF_SPEC: u16 = 26;
pub const IFLA_GROUP: u16 = 27;
pub const IFLA_PROMISCUITY: u16 = 30;
pub const IFLA_NUM_TX_QUEUES: u16 = 31;
pub const IFLA_NUM_RX_QUEUES: u16 = 32;
pub const IFLA_CARRIER: u16 = 33;
pub const IFLA_PHYS_PORT_ID: u16 = 34;
pub const IFLA_CARRIER_CHANGES: u16 = 35;
pub const IFLA_PHYS_SWITCH_ID: u16 = 36;
pub const IFLA_LINK_NETNSID: u16 = 37;
pub const IFLA_PHYS_PORT_NAME: u16 = 38;
pub const IFLA_PROTO_DOWN: u16 = 39;
pub const IFLA_GSO_MAX_SEGS: u16 = 40;
pub const IFLA_GSO_MAX_SIZE: u16 = 41;
pub const IFLA_XDP: u16 = 43;
pub const IFLA_EVENT: u16 = 44;
pub const IFLA_NEW_NETNSID: u16 = 45;
pub const IFLA_NEW_IFINDEX: u16 = 49;
pub const IFLA_MIN_MTU: u16 = 50;
pub const IFLA_MAX_MTU: u16 = 51;
pub const IFLA_PERM_ADDRESS: u16 = 54;
pub const IFLA_PROTO_DOWN_REASON: u16 = 55;
pub const IFLA_PARENT_DEV_NAME: u16 = 56;
pub const IFLA_PARENT_DEV_BUS_NAME: u16 = 57;
pub const IFLA_GRO_MAX_SIZE: u16 = 58;
pub const IFLA_TSO_MAX_SIZE: u16 = 59;
pub const IFLA_TSO_MAX_SEGS: u16 = 60;
pub const IFLA_ALLMULTI: u16 = 61;
/// iproute2 6.1's IFLA_MAX (its parse_rtattr ignores larger types).
pub const IFLA_MAX: u16 = IFLA_ALLMULTI;

/// IFLA_PROTO_DOWN_REASON nested attributes.
pub const IFLA_PROTO_DOWN_REASON_MASK: u16 = 1;
pub const IFLA_PROTO_DOWN_REASON_VALUE: u16 = 2;

/// IFLA_LINKINFO nested attributes.
pub const IFLA_INFO_KIND: u16 = 1;
pub const IFLA_INFO_DATA: u16 = 2;
pub const IFLA_INFO_XSTATS: u16 = 3;
pub const IFLA_INFO_SLAVE_KIND: u16 = 4;
pub const IFLA_INFO_SLAVE_DATA: u16 = 5;

/// IFLA_AF_SPEC → AF_INET6 nested attributes.
pub const IFLA_INET6_ADDR_GEN_MODE: u16 = 8;
pub const IN6_ADDR_GEN_MODE_EUI64: u8 = 0;
pub const IN6_ADDR_GEN_MODE_NONE: u8 = 1;
pub const IN6_ADDR_GEN_MODE_STABLE_PRIVACY: u8 = 2;
pub const IN6_ADDR_GEN_MODE_RANDOM: u8 = 3;

/// Bridge (IFLA_INFO_DATA of kind "bridge").
pub const IFLA_BR_FORWARD_DELAY: u16 = 1;
pub const IFLA_BR_HELLO_TIME: u16 = 2;
pub const IFLA_BR_MAX_AGE: u16 = 3;
pub const IFLA_BR_AGEING_TIME: u16 = 4;
pub const IFLA_BR_STP_STATE: u16 = 5;
pub const IFLA_BR_PRIORITY: u16 = 6;
pub const IFLA_BR_VLAN_FILTERING: u16 = 7;
pub const IFLA_BR_VLAN_PROTOCOL: u16 = 8;
pub const IFLA_BR_GROUP_FWD_MASK: u16 = 9;
pub const IFLA_BR_ROOT_ID: u16 = 10;
pub const IFLA_BR_BRIDGE_ID: u16 = 11;
pub const IFLA_BR_ROOT_PORT: u16 = 12;
pub const IFLA_BR_ROOT_PATH_COST: u16 = 13;
pub const IFLA_BR_TOPOLOGY_CHANGE: u16 = 14;
pub const IFLA_BR_TOPOLOGY_CHANGE_DETECTED: u16 = 15;
pub const IFLA_BR_HELLO_TIMER: u16 = 16;
pub const IFLA_BR_TCN_TIMER: u16 = 17;
pub const IFLA_BR_TOPOLOGY_CHANGE_TIMER: u16 = 18;
pub const IFLA_BR_GC_TIMER: u16 = 19;
pub const IFLA_BR_GROUP_ADDR: u16 = 20;
pub const IFLA_BR_MCAST_ROUTER: u16 = 22;
pub const IFLA_BR_MCAST_SNOOPING: u16 = 23;
pub const IFLA_BR_MCAST_QUERY_USE_IFADDR: u16 = 24;
pub const IFLA_BR_MCAST_QUERIER: u16 = 25;
pub const IFLA_BR_MCAST_HASH_ELASTICITY: u16 = 26;
pub const IFLA_BR_MCAST_HASH_MAX: u16 = 27;
pub const IFLA_BR_MCAST_LAST_MEMBER_CNT: u16 = 28;
pub const IFLA_BR_MCAST_STARTUP_QUERY_CNT: u16 = 29;
pub const IFLA_BR_MCAST_LAST_MEMBER_INTVL: u16 = 30;
pub const IFLA_BR_MCAST_MEMBERSHIP_INTVL: u16 = 31;
pub const IFLA_BR_MCAST_QUERIER_INTVL: u16 = 32;
pub const IFLA_BR_MCAST_QUERY_INTVL: u16 = 33;
pub const IFLA_BR_MCAST_QUERY_RESPONSE_INTVL: u16 = 34;
pub const IFLA_BR_MCAST_STARTUP_QUERY_INTVL: u16 = 35;
pub const IFLA_BR_NF_CALL_IPTABLES: u16 = 36;
pub const IFLA_BR_NF_CALL_IP6TABLES: u16 = 37;
pub const IFLA_BR_NF_CALL_ARPTABLES: u16 = 38;
pub const IFLA_BR_VLAN_DEFAULT_PVID: u16 = 39;
pub const IFLA_BR_VLAN_STATS_ENABLED: u16 = 41;
pub const IFLA_BR_MCAST_STATS_ENABLED: u16 = 42;
pub const IFLA_BR_MCAST_IGMP_VERSION: u16 = 43;
pub const IFLA_BR_MCAST_MLD_VERSION: u16 = 44;
pub const IFLA_BR_VLAN_STATS_PER_PORT: u16 = 45;
pub const IFLA_BR_MULTI_BOOLOPT: u16 = 46;
/// iproute2 6.1's IFLA_BR_MAX.
pub const IFLA_BR_MAX: u16 = 47;
/// `br_boolopt_multi` bits.
pub const BR_BOOLOPT_NO_LL_LEARN: u32 = 0;
pub const BR_BOOLOPT_MCAST_VLAN_SNOOPING: u32 = 1;

/// Bridge port (IFLA_INFO_SLAVE_DATA of slave kind "bridge").
pub const IFLA_BRPORT_STATE: u16 = 1;
pub const IFLA_BRPORT_PRIORITY: u16 = 2;
pub const IFLA_BRPORT_COST: u16 = 3;
pub const IFLA_BRPORT_MODE: u16 = 4;
pub const IFLA_BRPORT_GUARD: u16 = 5;
pub const IFLA_BRPORT_PROTECT: u16 = 6;
pub const IFLA_BRPORT_FAST_LEAVE: u16 = 7;
pub const IFLA_BRPORT_LEARNING: u16 = 8;
pub const IFLA_BRPORT_UNICAST_FLOOD: u16 = 9;
pub const IFLA_BRPORT_PROXYARP: u16 = 10;
pub const IFLA_BRPORT_PROXYARP_WIFI: u16 = 12;
pub const IFLA_BRPORT_ROOT_ID: u16 = 13;
pub const IFLA_BRPORT_BRIDGE_ID: u16 = 14;
pub const IFLA_BRPORT_DESIGNATED_PORT: u16 = 15;
pub const IFLA_BRPORT_DESIGNATED_COST: u16 = 16;
pub const IFLA_BRPORT_ID: u16 = 17;
pub const IFLA_BRPORT_NO: u16 = 18;
pub const IFLA_BRPORT_TOPOLOGY_CHANGE_ACK: u16 = 19;
pub const IFLA_BRPORT_CONFIG_PENDING: u16 = 20;
pub const IFLA_BRPORT_MESSAGE_AGE_TIMER: u16 = 21;
pub const IFLA_BRPORT_FORWARD_DELAY_TIMER: u16 = 22;
pub const IFLA_BRPORT_HOLD_TIMER: u16 = 23;
pub const IFLA_BRPORT_MULTICAST_ROUTER: u16 = 25;
pub const IFLA_BRPORT_MCAST_FLOOD: u16 = 27;
pub const IFLA_BRPORT_MCAST_TO_UCAST: u16 = 28;
pub const IFLA_BRPORT_VLAN_TUNNEL: u16 = 29;
pub const IFLA_BRPORT_BCAST_FLOOD: u16 = 30;
pub const IFLA_BRPORT_GROUP_FWD_MASK: u16 = 31;
pub const IFLA_BRPORT_NEIGH_SUPPRESS: u16 = 32;
pub const IFLA_BRPORT_ISOLATED: u16 = 33;
pub const IFLA_BRPORT_BACKUP_PORT: u16 = 34;
pub const IFLA_BRPORT_LOCKED: u16 = 39;
/// iproute2 6.1's IFLA_BRPORT_MAX.
pub const IFLA_BRPORT_MAX: u16 = IFLA_BRPORT_LOCKED;

/// macvlan / macvtap (IFLA_INFO_DATA).
pub const IFLA_MACVLAN_MODE: u16 = 1;
pub const IFLA_MACVLAN_FLAGS: u16 = 2;
pub const IFLA_MACVLAN_MACADDR: u16 = 4;
pub const IFLA_MACVLAN_MACADDR_DATA: u16 = 5;
pub const IFLA_MACVLAN_MACADDR_COUNT: u16 = 6;
pub const IFLA_MACVLAN_BC_QUEUE_LEN: u16 = 7;
pub const IFLA_MACVLAN_BC_QUEUE_LEN_USED: u16 = 8;
/// iproute2 6.1's IFLA_MACVLAN_MAX.
pub const IFLA_MACVLAN_MAX: u16 = 8;
pub const MACVLAN_MODE_PRIVATE: u32 = 1;
pub const MACVLAN_MODE_VEPA: u32 = 2;
pub const MACVLAN_MODE_BRIDGE: u32 = 4;
pub const MACVLAN_MODE_PASSTHRU: u32 = 8;
pub const MACVLAN_MODE_SOURCE: u32 = 16;
pub const MACVLAN_FLAG_NOPROMISC: u16 = 1;
pub const MACVLAN_FLAG_NODST: u16 = 2;

/// tun / tap (IFLA_INFO_DATA of kind "tun").
pub const IFLA_TUN_OWNER: u16 = 1;
pub const IFLA_TUN_GROUP: u16 = 2;
pub const IFLA_TUN_TYPE: u16 = 3;
pub const IFLA_TUN_PI: u16 = 4;
pub const IFLA_TUN_VNET_HDR: u16 = 5;
pub const IFLA_TUN_PERSIST: u16 = 6;
pub const IFLA_TUN_MULTI_QUEUE: u16 = 7;
pub const IFLA_TUN_NUM_QUEUES: u16 = 8;
pub const IFLA_TUN_NUM_DISABLED_QUEUES: u16 = 9;
/// iproute2 6.1's IFLA_TUN_MAX.
pub const IFLA_TUN_MAX: u16 = 9;
/// `IFLA_TUN_TYPE` values (include/uapi/linux/if_tun.h).
pub const IFF_TUN: u8 = 0x0001;
pub const IFF_TAP: u8 = 0x0002;

/// `ifi_flags` bits (include/uapi/linux/if.h, `net_device_flags`).
pub const IFF_UP: u32 = 1 << 0;
pub const IFF_BROADCAST: u32 = 1 << 1;
pub const IFF_DEBUG: u32 = 1 << 2;
pub const IFF_LOOPBACK: u32 = 1 << 3;
pub const IFF_POINTOPOINT: u32 = 1 << 4;
pub const IFF_NOTRAILERS: u32 = 1 << 5;
pub const IFF_RUNNING: u32 = 1 << 6;
pub const IFF_NOARP: u32 = 1 << 7;
pub const IFF_PROMISC: u32 = 1 << 8;
pub const IFF_ALLMULTI: u32 = 1 << 9;
pub const IFF_MASTER: u32 = 1 << 10;
pub const IFF_SLAVE: u32 = 1 << 11;
pub const IFF_MULTICAST: u32 = 1 << 12;
pub const IFF_PORTSEL: u32 = 1 << 13;
pub const IFF_AUTOMEDIA: u32 = 1 << 14;
pub const IFF_DYNAMIC: u32 = 1 << 15;
pub const IFF_LOWER_UP: u32 = 1 << 16;
pub const IFF_DORMANT: u32 = 1 << 17;
pub const IFF_ECHO: u32 = 1 << 18;

/// ARP hardware types that change how a link address is printed (include/uapi/linux/if_arp.h).
pub const ARPHRD_NETROM: u16 = 0;
pub const ARPHRD_ETHER: u16 = 1;
pub const ARPHRD_AX25: u16 = 3;
pub const ARPHRD_TUNNEL: u16 = 768;
pub const ARPHRD_TUNNEL6: u16 = 769;
pub const ARPHRD_SIT: u16 = 776;
pub const ARPHRD_IPGRE: u16 = 778;
pub const ARPHRD_ROSE: u16 = 270;
pub const ARPHRD_IP6GRE: u16 = 823;

// ---- include/uapi/linux/nexthop.h: nexthop objects (`ip -d route` prints them as nh_info) ----

pub const RTM_NEWNEXTHOP: u16 = 104;
pub const RTM_GETNEXTHOP: u16 = 106;
/// `struct nhmsg` is 8 bytes: family, scope, protocol, resvd, flags (u32).
pub const NHMSG_LEN: usize = 8;
pub const NHA_ID: u16 = 1;
pub const NHA_GROUP: u16 = 2;
pub const NHA_GROUP_TYPE: u16 = 3;
pub const NHA_BLACKHOLE: u16 = 4;
pub const NHA_OIF: u16 = 5;
pub const NHA_GATEWAY: u16 = 6;
pub const NHA_ENCAP_TYPE: u16 = 7;
pub const NHA_ENCAP: u16 = 8;
pub const NHA_FDB: u16 = 11;
pub const NHA_RES_GROUP: u16 = 12;
/// iproute2 6.1's NHA_MAX (NHA_RES_BUCKET).
pub const NHA_MAX: u16 = 13;
pub const NHA_RES_GROUP_BUCKETS: u16 = 1;
pub const NHA_RES_GROUP_IDLE_TIMER: u16 = 2;
pub const NHA_RES_GROUP_UNBALANCED_TIMER: u16 = 3;
pub const NHA_RES_GROUP_UNBALANCED_TIME: u16 = 4;
pub const NEXTHOP_GRP_TYPE_MPATH: u16 = 0;
pub const NEXTHOP_GRP_TYPE_RES: u16 = 1;
