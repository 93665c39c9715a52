//! Decoding of one `inet_diag_msg` reply (tcp, udp, raw, dccp, sctp, mptcp) into an
//! [`InetSock`] on the stack: fixed fields from the 72-byte struct, attributes by type with the
//! first occurrence winning (iproute2 `parse_rtattr`), slices borrowed from the buffer.
//! No allocation; malformed attributes are skipped, a short struct is rejected.

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::InetDiagMsg;
use sockscope_netlink::msg::{ne_u32_array, FirstOfEach};

use crate::model::{InetAttrs, InetSock, Source, Table};

/// Decodes a reply payload. `protocol` is the dump's protocol (replaced by
/// INET_DIAG_PROTOCOL when present). Returns the socket and the attribute deficit (leftover
/// bytes that do not form an attribute, and the length field found there), if any.
pub fn decode(
    payload: &[u8],
    table: Option<Table>,
    protocol: u16,
) -> Option<(InetSock<'_>, Option<(isize, u16)>)> {
    let (m, attr_bytes) = InetDiagMsg::parse(payload)?;
    let mut s = from_msg(&m, table, protocol);
    let deficit = decode_attrs(attr_bytes, &mut s);
    Some((s, deficit))
}

/// Decodes a payload that may be shorter than `inet_diag_msg` (TCPDIAG_FILE replay, where ss
/// reads whatever is in its buffer): missing bytes read as zero and there are no attributes.
pub fn decode_lenient(
    payload: &[u8],
    table: Option<Table>,
    protocol: u16,
) -> (InetSock<'_>, Option<(isize, u16)>) {
    if let Some(r) = decode(payload, table, protocol) {
        return r;
    }
    let mut fixed = [0u8; InetDiagMsg::LEN];
    let n = payload.len().min(fixed.len());
    fixed[..n].copy_from_slice(&payload[..n]);
    match InetDiagMsg::parse(&fixed) {
        Some((m, _)) => (from_msg(&m, table, protocol), None),
        None => (
            InetSock {
                table,
                protocol,
                ..InetSock::default()
            },
            None,
        ),
    }
}

/// The fixed fields of the reply; borrows nothing.
fn from_msg<'a>(m: &InetDiagMsg<'_>, table: Option<Table>, protocol: u16) -> InetSock<'a> {
    InetSock {
        source: Source::Netlink,
        family: m.family(),
        table,
        protocol,
        state: m.state(),
        timer: m.timer(),
        retrans: m.retrans(),
        sport: m.sport(),
        dport: m.dport(),
        src: m.src(),
        dst: m.dst(),
        ifindex: m.ifindex(),
        cookie: m.cookie(),
        expires: m.expires(),
        rqueue: m.rqueue(),
        wqueue: m.wqueue(),
        uid: m.uid(),
        inode: m.inode(),
        attrs: InetAttrs::default(),
        proc_extra: None,
    }
}

/// Fills `s.attrs` (and `s.protocol` from INET_DIAG_PROTOCOL). Types above INET_DIAG_MAX, and
/// types carrying NLA flag bits, are ignored like parse_rtattr does.
fn decode_attrs<'a>(bytes: &'a [u8], s: &mut InetSock<'a>) -> Option<(isize, u16)> {
    let mut it = FirstOfEach::new(bytes, INET_DIAG_MAX);
    for a in it.by_ref() {
        let t = a.kind;
        let p = a.payload;
        let at = &mut s.attrs;
        match t {
            INET_DIAG_MEMINFO => at.meminfo = ne_u32_array::<4>(p),
            INET_DIAG_INFO => at.info = Some(p),
            INET_DIAG_VEGASINFO => at.vegas = ne_u32_array::<4>(p),
            INET_DIAG_CONG => at.cong = Some(a.c_str()),
            INET_DIAG_TOS => at.tos = a.u8(),
            INET_DIAG_TCLASS => at.tclass = a.u8(),
            INET_DIAG_SKMEMINFO => at.skmeminfo = Some(p),
            INET_DIAG_SHUTDOWN => at.shutdown = a.u8(),
            INET_DIAG_DCTCPINFO => at.dctcp = Some(p),
            INET_DIAG_PROTOCOL => {
                if let Some(v) = a.u8() {
                    s.protocol = v as u16;
                }
            }
            INET_DIAG_SKV6ONLY => at.v6only = a.u8(),
            INET_DIAG_LOCALS => at.locals = Some(p),
            INET_DIAG_PEERS => at.peers = Some(p),
            INET_DIAG_MARK => at.mark = a.u32(),
            INET_DIAG_BBRINFO => at.bbr = Some(p),
            INET_DIAG_CLASS_ID => at.class_id = a.u32(),
            INET_DIAG_MD5SIG => at.md5sig = Some(p),
            INET_DIAG_ULP_INFO => at.ulp = Some(p),
            INET_DIAG_CGROUP_ID => at.cgroup_id = a.u64(),
            INET_DIAG_SOCKOPT => at.sockopt = Some(p),
            _ => {}
        }
    }
    it.deficit()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    /// A reply captured on this machine (kernel 6.18) inside a private network namespace with
    /// `ss -D FILE -tl`: a python listener on 127.0.0.1:9000 (the payload after the nlmsghdr;
    /// attributes SHUTDOWN, MARK, CGROUP_ID, SOCKOPT).
    pub(crate) const LISTEN_V4: &[u8] = &[
        0x02, 0x0a, 0x00, 0x00, 0x23, 0x28, 0x00, 0x00, 0x7f, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36,
        0x99, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaa, 0xb9, 0x04, 0x00, 0x05, 0x00, 0x08,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x00,
        0x15, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x00, 0x16, 0x00, 0x52,
        0x00, 0x00, 0x00,
    ];

    #[test]
    fn listen_socket_fields() {
        let (s, d) = decode(LISTEN_V4, Some(Table::Tcp), 6).unwrap();
        assert_eq!(d, None);
        assert_eq!((s.family, s.state, s.sport, s.dport), (2, 10, 9000, 0));
        assert_eq!(&s.src[..4], &[127, 0, 0, 1]);
        assert_eq!((s.rqueue, s.wqueue, s.inode), (0, 128, 309674));
        assert_eq!(s.cookie, 0x19936);
        assert_eq!(s.attrs.shutdown, Some(0));
        assert_eq!(s.attrs.mark, Some(0));
        assert_eq!(s.attrs.cgroup_id, Some(1));
        assert_eq!(s.attrs.sockopt, Some(&[0x52u8, 0][..]));
        assert_eq!(s.attrs.v6only, None);
        assert_eq!(s.protocol, 6);
        assert_eq!(s.table, Some(Table::Tcp));
    }

    #[test]
    fn all_attributes_first_wins() {
        let mut p = LISTEN_V4[..72].to_vec();
        p.extend(attr(
            INET_DIAG_MEMINFO,
            &[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0],
        ));
        p.extend(attr(INET_DIAG_INFO, &[7; 232]));
        p.extend(attr(INET_DIAG_VEGASINFO, &[0; 16]));
        p.extend(attr(INET_DIAG_CONG, b"cubic\0"));
        p.extend(attr(INET_DIAG_CONG, b"bbr\0"));
        p.extend(attr(INET_DIAG_TOS, &[0x10]));
        p.extend(attr(INET_DIAG_TCLASS, &[0x20]));
        p.extend(attr(INET_DIAG_SKMEMINFO, &[0; 36]));
        p.extend(attr(INET_DIAG_SHUTDOWN, &[3]));
        p.extend(attr(INET_DIAG_DCTCPINFO, &[0; 16]));
        p.extend(attr(INET_DIAG_PROTOCOL, &[1]));
        p.extend(attr(INET_DIAG_SKV6ONLY, &[1]));
        p.extend(attr(INET_DIAG_LOCALS, &[0; 8]));
        p.extend(attr(INET_DIAG_PEERS, &[0; 4]));
        p.extend(attr(INET_DIAG_MARK, &0x20u32.to_ne_bytes()));
        p.extend(attr(INET_DIAG_BBRINFO, &[0; 20]));
        p.extend(attr(INET_DIAG_CLASS_ID, &5u32.to_ne_bytes()));
        p.extend(attr(INET_DIAG_MD5SIG, &[0; 100]));
        p.extend(attr(INET_DIAG_ULP_INFO, &[0; 12]));
        p.extend(attr(INET_DIAG_CGROUP_ID, &0x1234u64.to_ne_bytes()));
        p.extend(attr(INET_DIAG_SOCKOPT, &[0x05, 0x00]));
        p.extend(attr(40, &[9])); // unknown type: ignored
        p.extend(attr(INET_DIAG_MARK | 0x8000, &[0; 4])); // flagged type: ignored
        let (s, d) = decode(&p, Some(Table::Raw), 255).unwrap();
        assert_eq!(d, None);
        let a = s.attrs;
        assert_eq!(a.meminfo, Some([1, 2, 3, 4]));
        assert_eq!(a.info.map(|i| i.len()), Some(232));
        assert_eq!(a.vegas, Some([0; 4]));
        assert_eq!(a.cong, Some(&b"cubic"[..]));
        assert_eq!(
            (a.tos, a.tclass, a.shutdown, a.v6only),
            (Some(0x10), Some(0x20), Some(3), Some(1))
        );
        assert_eq!(a.skmeminfo.map(|m| m.len()), Some(36));
        assert_eq!(
            s.protocol, 1,
            "INET_DIAG_PROTOCOL replaces the dump protocol"
        );
        assert_eq!(
            (a.mark, a.class_id, a.cgroup_id),
            (Some(0x20), Some(5), Some(0x1234))
        );
        assert_eq!(a.locals.map(|x| x.len()), Some(8));
        assert_eq!(a.peers.map(|x| x.len()), Some(4));
        assert_eq!(a.md5sig.map(|x| x.len()), Some(100));
        assert_eq!(a.ulp.map(|x| x.len()), Some(12));
        assert_eq!(a.bbr.map(|x| x.len()), Some(20));
        assert_eq!(a.dctcp.map(|x| x.len()), Some(16));
        assert_eq!(a.sockopt, Some(&[5u8, 0][..]));
    }

    #[test]
    fn malformed_attributes_are_tolerated() {
        // A short MARK is skipped (and, being first, shadows a later good one, as in ss);
        // trailing garbage is reported as a deficit.
        let mut p = LISTEN_V4[..72].to_vec();
        p.extend(attr(INET_DIAG_MARK, &[1]));
        p.extend(attr(INET_DIAG_MARK, &7u32.to_ne_bytes()));
        p.extend_from_slice(&[0xff, 0x00, 0x01, 0x00, 0x00]);
        let (s, d) = decode(&p, None, 6).unwrap();
        assert_eq!(s.attrs.mark, None);
        assert_eq!(d, Some((5, 0xff)));
        assert!(decode(&p[..71], None, 6).is_none());
        let (s, d) = decode_lenient(&p[..10], None, 6);
        assert_eq!((s.family, s.state, s.sport, d), (2, 10, 9000, None));
    }
}
