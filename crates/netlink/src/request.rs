//! Byte-exact request encodings: the sock_diag dump requests ss 6.1 sends (one per kind), the
//! legacy inet_diag request, RTM_GETLINK (dump and per-index get), and the rtnetlink requests
//! of the `ip` persona (route dump, filtered link dump, link get by name, address, multicast
//! and nsid requests, as iproute2 6.1 sends them).
//!
//! Every builder appends one complete message to `out` (which the caller reuses) and returns
//! nothing: requests are small and fixed, so there is no failure mode. Layouts follow the UAPI
//! structs; header flags and sequence numbers are what ss uses (`NLM_F_REQUEST|NLM_F_DUMP` =
//! 0x301, seq 123456, pid 0) unless the caller passes others.

use crate::consts::*;
use crate::msg::NlMsgHeader;

fn start(out: &mut Vec<u8>, kind: u16, flags: u16, seq: u32) -> usize {
    let at = out.len();
    out.extend_from_slice(
        &NlMsgHeader {
            len: 0,
            kind,
            flags,
            seq,
            pid: 0,
        }
        .to_bytes(),
    );
    at
}

fn finish(out: &mut [u8], at: usize) {
    let len = (out.len() - at) as u32;
    if let Some(b) = out.get_mut(at..at + 4) {
        b.copy_from_slice(&len.to_ne_bytes());
    }
}

/// Appends an rtattr header + payload with no trailing padding (ss sends the bytecode and the
/// protocol attribute as iovecs of exactly `RTA_LENGTH(len)` bytes).
fn put_attr_unpadded(out: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    out.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    out.extend_from_slice(&kind.to_ne_bytes());
    out.extend_from_slice(payload);
}

/// Appends an attribute padded to 4 bytes (what `addattr_l` does).
pub fn put_attr(out: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    put_attr_unpadded(out, kind, payload);
    while out.len() % 4 != 0 {
        out.push(0);
    }
}

/// Parameters of an inet dump request (v2 or legacy).
#[derive(Clone, Copy, Debug, Default)]
pub struct InetRequest<'a> {
    /// AF_INET or AF_INET6 (v2 only; the legacy request always says AF_INET).
    pub family: u8,
    /// IP protocol; values above 255 (MPTCP 262) go into `INET_DIAG_REQ_PROTOCOL` and their low
    /// byte into the struct, as ss does.
    pub protocol: u16,
    /// `idiag_ext` bits.
    pub ext: u8,
    /// State bit mask.
    pub states: u32,
    /// `INET_DIAG_REQ_BYTECODE` payload.
    pub bytecode: Option<&'a [u8]>,
}

/// `SOCK_DIAG_BY_FAMILY` + `struct inet_diag_req_v2` (56 bytes, zeroed sockid), then the
/// optional bytecode attribute (type 1) and, for protocols above 255, `INET_DIAG_REQ_PROTOCOL`
/// (type 3, u32). nlmsg_len = 72 (+ 4 + bytecode) (+ 8).
pub fn inet_diag_v2(out: &mut Vec<u8>, seq: u32, r: &InetRequest<'_>) {
    let at = start(out, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[r.family, r.protocol as u8, r.ext, 0]);
    out.extend_from_slice(&r.states.to_ne_bytes());
    out.extend_from_slice(&[0u8; 48]);
    if let Some(bc) = r.bytecode {
        put_attr_unpadded(out, INET_DIAG_REQ_BYTECODE, bc);
    }
    if r.protocol > 255 {
        put_attr_unpadded(
            out,
            INET_DIAG_REQ_PROTOCOL,
            &(r.protocol as u32).to_ne_bytes(),
        );
    }
    finish(out, at);
}

/// The legacy `TCPDIAG_GETSOCK` (18) / `DCCPDIAG_GETSOCK` (19) request: `struct inet_diag_req`
/// (60 bytes: family AF_INET, src_len 0, dst_len 0, ext, sockid, states, dbs 0) plus the
/// optional bytecode attribute. Returns `false` (and appends nothing) for other protocols,
/// which have no legacy request (ss's `tcpdiag_send` fails the same way).
pub fn inet_diag_legacy(out: &mut Vec<u8>, seq: u32, r: &InetRequest<'_>) -> bool {
    let kind = match r.protocol {
        IPPROTO_TCP => TCPDIAG_GETSOCK,
        IPPROTO_DCCP => DCCPDIAG_GETSOCK,
        _ => return false,
    };
    let at = start(out, kind, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[AF_INET, 0, 0, r.ext]);
    out.extend_from_slice(&[0u8; 48]);
    out.extend_from_slice(&r.states.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    if let Some(bc) = r.bytecode {
        put_attr_unpadded(out, INET_DIAG_REQ_BYTECODE, bc);
    }
    finish(out, at);
    true
}

/// One inet socket as `struct inet_diag_sockid` names it (what a dump reported).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetSockId {
    /// Host-order ports.
    pub sport: u16,
    pub dport: u16,
    /// Network-order address bytes (the first 4 for AF_INET).
    pub src: [u8; 16],
    pub dst: [u8; 16],
    pub ifindex: u32,
    pub cookie: u64,
}

/// `SOCK_DESTROY` (21, flags REQUEST|ACK) + `struct inet_diag_req_v2` naming one socket, as ss
/// `-K` sends it: the socket's family, the dump's protocol (low byte), `raw_protocol` in the pad
/// byte (`struct inet_diag_req_raw`; 0 except for raw sockets), states and ext 0, the sockid.
pub fn sock_destroy(
    out: &mut Vec<u8>,
    seq: u32,
    family: u8,
    protocol: u16,
    raw_protocol: u8,
    id: &InetSockId,
) {
    let at = start(out, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, seq);
    out.extend_from_slice(&[family, protocol as u8, 0, raw_protocol]);
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&id.sport.to_be_bytes());
    out.extend_from_slice(&id.dport.to_be_bytes());
    out.extend_from_slice(&id.src);
    out.extend_from_slice(&id.dst);
    out.extend_from_slice(&id.ifindex.to_ne_bytes());
    out.extend_from_slice(&(id.cookie as u32).to_ne_bytes());
    out.extend_from_slice(&((id.cookie >> 32) as u32).to_ne_bytes());
    finish(out, at);
}

/// `struct unix_diag_req` (24 bytes): AF_UNIX, protocol 0, states, ino 0, show, cookie 0.
pub fn unix_diag(out: &mut Vec<u8>, seq: u32, states: u32, show: u32) {
    let at = start(out, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[AF_UNIX, 0, 0, 0]);
    out.extend_from_slice(&states.to_ne_bytes());
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&show.to_ne_bytes());
    out.extend_from_slice(&[0u8; 8]);
    finish(out, at);
}

/// The 20-byte request shared by packet, netlink and xdp (`{family, protocol, pad, ino, show,
/// cookie[2]}`).
fn show_req(out: &mut Vec<u8>, seq: u32, family: u8, protocol: u8, show: u32) {
    let at = start(out, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[family, protocol, 0, 0]);
    out.extend_from_slice(&0u32.to_ne_bytes());
    out.extend_from_slice(&show.to_ne_bytes());
    out.extend_from_slice(&[0u8; 8]);
    finish(out, at);
}

/// `struct packet_diag_req` (20 bytes): AF_PACKET, protocol 0, show.
pub fn packet_diag(out: &mut Vec<u8>, seq: u32, show: u32) {
    show_req(out, seq, AF_PACKET, 0, show);
}

/// `struct netlink_diag_req` (20 bytes): AF_NETLINK, `protocol` (255 = all), show.
pub fn netlink_diag(out: &mut Vec<u8>, seq: u32, protocol: u8, show: u32) {
    show_req(out, seq, AF_NETLINK, protocol, show);
}

/// `struct xdp_diag_req` (20 bytes): AF_XDP, show.
pub fn xdp_diag(out: &mut Vec<u8>, seq: u32, show: u32) {
    show_req(out, seq, AF_XDP, 0, show);
}

/// `struct vsock_diag_req` (24 bytes): AF_VSOCK, states, ino 0, show 0, cookie 0.
pub fn vsock_diag(out: &mut Vec<u8>, seq: u32, states: u32) {
    let at = start(out, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[AF_VSOCK, 0, 0, 0]);
    out.extend_from_slice(&states.to_ne_bytes());
    out.extend_from_slice(&[0u8; 16]);
    finish(out, at);
}

/// `struct tipc_sock_diag_req` (8 bytes): AF_TIPC, protocol 0, pad, states.
pub fn tipc_diag(out: &mut Vec<u8>, seq: u32, states: u32) {
    let at = start(out, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[AF_TIPC, 0, 0, 0]);
    out.extend_from_slice(&states.to_ne_bytes());
    finish(out, at);
}

fn ifinfomsg(out: &mut Vec<u8>, index: i32) {
    // struct ifinfomsg: family u8, pad u8, type u16, index i32, flags u32, change u32.
    out.extend_from_slice(&[AF_UNSPEC, 0, 0, 0]);
    out.extend_from_slice(&index.to_ne_bytes());
    out.extend_from_slice(&[0u8; 8]);
}

/// RTM_GETLINK dump (`NLM_F_REQUEST|NLM_F_DUMP`, AF_UNSPEC) with `IFLA_EXT_MASK` =
/// `ext_mask` (iproute2's `rtnl_linkdump_req` uses RTEXT_FILTER_VF).
pub fn getlink_dump(out: &mut Vec<u8>, seq: u32, ext_mask: u32) {
    let at = start(out, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
    ifinfomsg(out, 0);
    put_attr(out, IFLA_EXT_MASK, &ext_mask.to_ne_bytes());
    finish(out, at);
}

/// RTM_GETLINK for one interface index (`NLM_F_REQUEST` only, as iproute2's `ll_link_get`),
/// with `IFLA_EXT_MASK` = RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS.
pub fn getlink_index(out: &mut Vec<u8>, seq: u32, index: u32) {
    let at = start(out, RTM_GETLINK, NLM_F_REQUEST, seq);
    ifinfomsg(out, index as i32);
    put_attr(
        out,
        IFLA_EXT_MASK,
        &(RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS).to_ne_bytes(),
    );
    finish(out, at);
}

/// Parameters of an `RTM_GETROUTE` dump (iproute2 `rtnl_routedump_req` + `iproute_dump_filter`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RouteDumpRequest {
    /// `rtm_family` (AF_UNSPEC dumps every family the kernel has a dumper for).
    pub family: u8,
    /// `rtm_protocol`: only routes of this origin (0 = all; honoured under strict checking).
    pub protocol: u8,
    /// `rtm_flags` (iproute2 sets only RTM_F_CLONED, for the route cache).
    pub flags: u32,
    /// `RTA_TABLE` (u32) when set.
    pub table: Option<u32>,
    /// `RTA_OIF` (u32) when set.
    pub oif: Option<u32>,
}

/// `RTM_GETROUTE` dump (`NLM_F_REQUEST|NLM_F_DUMP`): `struct rtmsg` with only family, protocol
/// and flags set (strict checking rejects anything else in the header), then RTA_TABLE and
/// RTA_OIF as iproute2 adds them.
pub fn getroute_dump(out: &mut Vec<u8>, seq: u32, r: &RouteDumpRequest) {
    let at = start(out, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq);
    // family, dst_len, src_len, tos, table, protocol, scope, type, flags
    out.extend_from_slice(&[r.family, 0, 0, 0, 0, r.protocol, 0, 0]);
    out.extend_from_slice(&r.flags.to_ne_bytes());
    if let Some(t) = r.table {
        put_attr(out, RTA_TABLE, &t.to_ne_bytes());
    }
    if let Some(i) = r.oif {
        put_attr(out, RTA_OIF, &i.to_ne_bytes());
    }
    finish(out, at);
}

fn ifinfomsg_family(out: &mut Vec<u8>, family: u8, index: i32) {
    out.extend_from_slice(&[family, 0, 0, 0]);
    out.extend_from_slice(&index.to_ne_bytes());
    out.extend_from_slice(&[0u8; 8]);
}

/// Filters of a filtered `RTM_GETLINK` dump (iproute2 `iplink_filter_req`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LinkDumpRequest<'a> {
    /// `ifi_family` (`ip link` uses AF_PACKET).
    pub family: u8,
    /// `IFLA_EXT_MASK` (RTEXT_FILTER_*).
    pub ext_mask: u32,
    /// `IFLA_MASTER`: only ports of this master (kernel-side filter).
    pub master: Option<u32>,
    /// `IFLA_LINKINFO { IFLA_INFO_KIND }`: only links of this kind (no NUL, as iproute2 sends).
    pub kind: Option<&'a [u8]>,
}

/// `RTM_GETLINK` dump with `IFLA_EXT_MASK`, then the optional `IFLA_MASTER` and
/// `IFLA_LINKINFO`/`IFLA_INFO_KIND` filters, in iproute2's order.
pub fn getlink_dump_filtered(out: &mut Vec<u8>, seq: u32, r: &LinkDumpRequest<'_>) {
    let at = start(out, RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq);
    ifinfomsg_family(out, r.family, 0);
    put_attr(out, IFLA_EXT_MASK, &r.ext_mask.to_ne_bytes());
    if let Some(m) = r.master {
        put_attr(out, IFLA_MASTER, &m.to_ne_bytes());
    }
    if let Some(kind) = r.kind {
        let nest = out.len();
        put_attr(out, IFLA_LINKINFO, &[]);
        put_attr(out, IFLA_INFO_KIND, kind);
        let len = (out.len() - nest) as u16;
        if let Some(b) = out.get_mut(nest..nest + 2) {
            b.copy_from_slice(&len.to_ne_bytes());
        }
    }
    finish(out, at);
}

/// One `RTM_GETLINK` (`NLM_F_REQUEST` only) by index and/or name: `IFLA_IFNAME` (or
/// `IFLA_ALT_IFNAME` when `alt`, for names that are not valid interface names, as iproute2's
/// `iplink_get`/`ll_link_get` choose), NUL-terminated, then `IFLA_EXT_MASK`.
pub fn getlink(
    out: &mut Vec<u8>,
    seq: u32,
    family: u8,
    index: u32,
    name: Option<(&[u8], bool)>,
    ext_mask: u32,
) {
    let at = start(out, RTM_GETLINK, NLM_F_REQUEST, seq);
    ifinfomsg_family(out, family, index as i32);
    if let Some((name, alt)) = name {
        let mut z = Vec::with_capacity(name.len() + 1);
        z.extend_from_slice(name);
        z.push(0);
        put_attr(out, if alt { IFLA_ALT_IFNAME } else { IFLA_IFNAME }, &z);
    }
    put_attr(out, IFLA_EXT_MASK, &ext_mask.to_ne_bytes());
    finish(out, at);
}

/// `RTM_GETADDR` dump: `struct ifaddrmsg` with `family` and `index` (0 = every interface).
pub fn getaddr_dump(out: &mut Vec<u8>, seq: u32, family: u8, index: u32) {
    let at = start(out, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[family, 0, 0, 0]);
    out.extend_from_slice(&index.to_ne_bytes());
    finish(out, at);
}

/// `RTM_GETMULTICAST` dump (`struct ifaddrmsg` with `family`; answered for AF_INET and
/// AF_INET6 with RTM_NEWMULTICAST messages carrying IFA_MULTICAST).
pub fn getmulticast_dump(out: &mut Vec<u8>, seq: u32, family: u8) {
    let at = start(out, RTM_GETMULTICAST, NLM_F_REQUEST | NLM_F_DUMP, seq);
    out.extend_from_slice(&[family, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_ne_bytes());
    finish(out, at);
}

/// `RTM_GETNSID` for the namespace open on `fd` (iproute2 `get_netnsid_from_name`):
/// `struct rtgenmsg` (AF_UNSPEC, padded to 4) + `NETNSA_FD` (u32).
pub fn getnsid_fd(out: &mut Vec<u8>, seq: u32, fd: u32) {
    let at = start(out, RTM_GETNSID, NLM_F_REQUEST, seq);
    out.extend_from_slice(&[AF_UNSPEC, 0, 0, 0]);
    put_attr(out, NETNSA_FD, &fd.to_ne_bytes());
    finish(out, at);
}

/// `RTM_GETNEXTHOP` for one nexthop object (iproute2 `__ipnh_get_id`): `struct nhmsg` with
/// `family`, then `NHA_ID`.
pub fn getnexthop(out: &mut Vec<u8>, seq: u32, family: u8, id: u32) {
    let at = start(out, RTM_GETNEXTHOP, NLM_F_REQUEST, seq);
    out.extend_from_slice(&[family, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_ne_bytes());
    put_attr(out, NHA_ID, &id.to_ne_bytes());
    finish(out, at);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hdr(b: &[u8]) -> NlMsgHeader {
        NlMsgHeader::parse(b).unwrap()
    }

    #[test]
    fn inet_v2_plain_matches_ss() {
        // strace of `ss -tan` on this machine: len 72, type 20, flags 0x301, seq 123456,
        // family AF_INET, protocol 6, ext 0, states 0xfff, zero sockid.
        let mut v = Vec::new();
        inet_diag_v2(
            &mut v,
            SS_MAGIC_SEQ,
            &InetRequest {
                family: AF_INET,
                protocol: IPPROTO_TCP,
                ext: 0,
                states: 0xfff,
                bytecode: None,
            },
        );
        let mut want = vec![
            72, 0, 0, 0, 20, 0, 0x01, 0x03, 0x40, 0xe2, 0x01, 0, 0, 0, 0, 0,
        ];
        want.extend_from_slice(&[2, 6, 0, 0, 0xff, 0x0f, 0, 0]);
        want.extend_from_slice(&[0u8; 48]);
        assert_eq!(v, want);
    }

    #[test]
    fn inet_v2_bytecode_and_mptcp_protocol() {
        let bc = [1u8, 2, 3, 4, 5, 6, 7, 8];
        let mut v = Vec::new();
        inet_diag_v2(
            &mut v,
            SS_MAGIC_SEQ,
            &InetRequest {
                family: AF_INET6,
                protocol: IPPROTO_MPTCP,
                ext: 0x41,
                states: 0xb37,
                bytecode: Some(&bc),
            },
        );
        let h = hdr(&v);
        assert_eq!(h.len as usize, v.len());
        assert_eq!(v.len(), 72 + 4 + 8 + 8);
        assert_eq!(&v[16..20], &[10, 6, 0x41, 0]); // 262 & 0xff = 6
        assert_eq!(&v[20..24], &0xb37u32.to_ne_bytes());
        assert_eq!(&v[72..76], &[12, 0, 1, 0]); // rta_len 12, INET_DIAG_REQ_BYTECODE
        assert_eq!(&v[76..84], &bc);
        assert_eq!(&v[84..88], &[8, 0, 3, 0]); // rta_len 8, INET_DIAG_REQ_PROTOCOL
        assert_eq!(&v[88..92], &262u32.to_ne_bytes());
    }

    #[test]
    fn legacy_request() {
        let mut v = Vec::new();
        let r = InetRequest {
            family: AF_INET6,
            protocol: IPPROTO_DCCP,
            ext: 0x0e,
            states: 0x480,
            bytecode: None,
        };
        assert!(inet_diag_legacy(&mut v, SS_MAGIC_SEQ, &r));
        let h = hdr(&v);
        assert_eq!(
            (h.len, h.kind, h.flags, h.seq),
            (76, DCCPDIAG_GETSOCK, 0x301, 123456)
        );
        assert_eq!(&v[16..20], &[AF_INET, 0, 0, 0x0e]);
        assert_eq!(&v[20..68], &[0u8; 48]);
        assert_eq!(&v[68..72], &0x480u32.to_ne_bytes());
        assert_eq!(&v[72..76], &[0u8; 4]);

        let mut w = Vec::new();
        assert!(!inet_diag_legacy(
            &mut w,
            1,
            &InetRequest {
                protocol: IPPROTO_UDP,
                ..r
            }
        ));
        assert!(w.is_empty());
        let tcp = InetRequest {
            protocol: IPPROTO_TCP,
            bytecode: Some(&[9, 9, 9, 9]),
            ..r
        };
        assert!(inet_diag_legacy(&mut w, 1, &tcp));
        assert_eq!(hdr(&w).kind, TCPDIAG_GETSOCK);
        assert_eq!(hdr(&w).len, 84);
    }

    #[test]
    fn destroy_request_names_the_socket() {
        let mut v = Vec::new();
        let id = InetSockId {
            sport: 9000,
            dport: 40000,
            src: [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            dst: [127, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
            ifindex: 3,
            cookie: 0x1122_3344_5566_7788,
        };
        sock_destroy(&mut v, 7, AF_INET, 262, 0, &id);
        let h = hdr(&v);
        assert_eq!(
            (h.len, h.kind, h.flags, h.seq),
            (72, SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, 7)
        );
        assert_eq!(&v[16..24], &[AF_INET, 6, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&v[24..28], &[0x23, 0x28, 0x9c, 0x40]);
        assert_eq!(&v[28..32], &[127, 0, 0, 1]);
        assert_eq!(&v[44..48], &[127, 0, 0, 2]);
        assert_eq!(&v[60..64], &3u32.to_ne_bytes());
        assert_eq!(&v[64..68], &0x5566_7788u32.to_ne_bytes());
        assert_eq!(&v[68..72], &0x1122_3344u32.to_ne_bytes());
        let mut raw = Vec::new();
        sock_destroy(&mut raw, 8, AF_INET6, IPPROTO_RAW, 58, &id);
        assert_eq!(&raw[16..20], &[AF_INET6, 255, 0, 58]);
    }

    #[test]
    fn other_kinds_lengths_and_fields() {
        let mut v = Vec::new();
        unix_diag(
            &mut v,
            SS_MAGIC_SEQ,
            0xfff,
            UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN,
        );
        assert_eq!(hdr(&v).len, 40);
        assert_eq!(&v[16..20], &[1, 0, 0, 0]);
        assert_eq!(&v[20..24], &0xfffu32.to_ne_bytes());
        assert_eq!(&v[28..32], &0x15u32.to_ne_bytes());

        let mut v = Vec::new();
        packet_diag(&mut v, SS_MAGIC_SEQ, 0x3d);
        assert_eq!(hdr(&v).len, 36);
        assert_eq!(&v[16..20], &[17, 0, 0, 0]);
        assert_eq!(&v[24..28], &0x3du32.to_ne_bytes());

        let mut v = Vec::new();
        netlink_diag(
            &mut v,
            SS_MAGIC_SEQ,
            NDIAG_PROTO_ALL,
            NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS,
        );
        assert_eq!(hdr(&v).len, 36);
        assert_eq!(&v[16..20], &[16, 255, 0, 0]);
        assert_eq!(&v[24..28], &3u32.to_ne_bytes());

        let mut v = Vec::new();
        vsock_diag(&mut v, SS_MAGIC_SEQ, 0xb37);
        assert_eq!(hdr(&v).len, 40);
        assert_eq!(&v[16..24], &[40, 0, 0, 0, 0x37, 0x0b, 0, 0]);

        let mut v = Vec::new();
        tipc_diag(&mut v, SS_MAGIC_SEQ, 0x482);
        assert_eq!(hdr(&v).len, 24);
        assert_eq!(&v[16..24], &[30, 0, 0, 0, 0x82, 0x04, 0, 0]);

        let mut v = Vec::new();
        xdp_diag(&mut v, SS_MAGIC_SEQ, 0x1f);
        assert_eq!(hdr(&v).len, 36);
        assert_eq!(&v[16..20], &[44, 0, 0, 0]);
        assert_eq!(&v[24..28], &0x1fu32.to_ne_bytes());
        assert_eq!(hdr(&v).flags, 0x301);
        assert_eq!(hdr(&v).kind, SOCK_DIAG_BY_FAMILY);
    }

    #[test]
    fn getlink_requests() {
        let mut v = Vec::new();
        getlink_dump(&mut v, 7, RTEXT_FILTER_VF);
        let h = hdr(&v);
        assert_eq!((h.len, h.kind, h.flags, h.seq), (40, RTM_GETLINK, 0x301, 7));
        assert_eq!(&v[32..40], &[8, 0, 29, 0, 1, 0, 0, 0]);

        let mut v = Vec::new();
        getlink_index(&mut v, 9, 3);
        let h = hdr(&v);
        assert_eq!((h.len, h.kind, h.flags), (40, RTM_GETLINK, NLM_F_REQUEST));
        assert_eq!(&v[20..24], &3i32.to_ne_bytes());
        assert_eq!(&v[32..40], &[8, 0, 29, 0, 9, 0, 0, 0]);
    }

    #[test]
    fn rtnl_requests() {
        let mut v = Vec::new();
        getroute_dump(
            &mut v,
            5,
            &RouteDumpRequest {
                family: AF_INET,
                protocol: 4,
                flags: RTM_F_CLONED,
                table: Some(RT_TABLE_MAIN),
                oif: Some(3),
            },
        );
        let h = hdr(&v);
        assert_eq!(
            (h.len, h.kind, h.flags, h.seq),
            (44, RTM_GETROUTE, 0x301, 5)
        );
        assert_eq!(&v[16..24], &[2, 0, 0, 0, 0, 4, 0, 0]);
        assert_eq!(&v[24..28], &0x200u32.to_ne_bytes());
        assert_eq!(&v[28..36], &[8, 0, 15, 0, 254, 0, 0, 0]);
        assert_eq!(&v[36..44], &[8, 0, 4, 0, 3, 0, 0, 0]);

        let mut v = Vec::new();
        getroute_dump(&mut v, 1, &RouteDumpRequest::default());
        assert_eq!(hdr(&v).len, 28);

        let mut v = Vec::new();
        getlink_dump_filtered(
            &mut v,
            2,
            &LinkDumpRequest {
                family: AF_PACKET,
                ext_mask: RTEXT_FILTER_VF,
                master: Some(4),
                kind: Some(b"bridge"),
            },
        );
        let h = hdr(&v);
        assert_eq!((h.kind, h.flags), (RTM_GETLINK, 0x301));
        assert_eq!(h.len as usize, v.len());
        assert_eq!(v[16], AF_PACKET);
        assert_eq!(&v[32..40], &[8, 0, 29, 0, 1, 0, 0, 0]);
        assert_eq!(&v[40..48], &[8, 0, 10, 0, 4, 0, 0, 0]);
        // nest: 4 + (4 + 6 + 2 pad) = 16
        assert_eq!(&v[48..52], &[16, 0, 18, 0]);
        assert_eq!(&v[52..56], &[10, 0, 1, 0]);
        assert_eq!(&v[56..62], b"bridge");
        assert_eq!(v.len(), 64);

        let mut v = Vec::new();
        getlink(
            &mut v,
            3,
            AF_PACKET,
            0,
            Some((b"a-very-long-altname", true)),
            1,
        );
        let h = hdr(&v);
        assert_eq!(
            (h.kind, h.flags, h.len as usize),
            (RTM_GETLINK, NLM_F_REQUEST, v.len())
        );
        assert_eq!(&v[32..36], &[24, 0, 53, 0]);
        assert_eq!(&v[36..56], b"a-very-long-altname\0");

        let mut v = Vec::new();
        getaddr_dump(&mut v, 4, AF_INET6, 0);
        assert_eq!((hdr(&v).len, hdr(&v).kind), (24, RTM_GETADDR));
        let mut v = Vec::new();
        getmulticast_dump(&mut v, 4, AF_INET);
        assert_eq!(
            (hdr(&v).len, hdr(&v).kind, v[16]),
            (24, RTM_GETMULTICAST, 2)
        );
        let mut v = Vec::new();
        getnsid_fd(&mut v, 9, 7);
        assert_eq!(
            (hdr(&v).len, hdr(&v).kind, hdr(&v).flags),
            (28, RTM_GETNSID, 1)
        );
        assert_eq!(&v[20..28], &[8, 0, 3, 0, 7, 0, 0, 0]);
        let mut v = Vec::new();
        getnexthop(&mut v, 2, AF_INET, 3);
        assert_eq!(
            (hdr(&v).len, hdr(&v).kind, hdr(&v).flags),
            (32, RTM_GETNEXTHOP, 1)
        );
        assert_eq!(&v[24..32], &[8, 0, 1, 0, 3, 0, 0, 0]);
    }
}
