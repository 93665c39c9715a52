//! Links over rtnetlink: `RTM_GETLINK` dumps (optionally filtered by master or kind in the
//! kernel) and single gets, decoded in place into [`Link`] (`struct ifinfomsg` + the
//! attribute table iproute2's `print_linkinfo` builds with
//! `parse_rtattr_flags(tb, IFLA_MAX, ..., NLA_F_NESTED)`), with the 64-bit counters as
//! [`Stats64`] and the kind data as [`LinkInfo`].
//!
//! [`LinkTable`] keeps a whole dump (one byte arena, no per-link allocation besides the
//! index): `ip link` needs every link's name and flags before it prints the first one (peer
//! names, `M-DOWN`), as iproute2 stores its dump before printing.

use std::collections::HashMap;
use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::{request, DumpError, DumpSummary};

pub use sockscope_netlink::request::LinkDumpRequest;

use super::{attr_u32, c_str, parse_attrs, Rtnl};

/// Size of the attribute table (iproute2 6.1's IFLA_MAX + 1).
pub const TB_LEN: usize = IFLA_MAX as usize + 1;

/// One link (an `RTM_NEWLINK`/`RTM_DELLINK` message), borrowed from the buffer it was received
/// or stored in.
#[derive(Clone, Copy, Debug)]
pub struct Link<'a> {
    /// Message type (RTM_NEWLINK or RTM_DELLINK).
    pub msg_type: u16,
    /// `ifi_family`.
    pub family: u8,
    /// `ifi_type` (ARPHRD_*).
    pub ifi_type: u16,
    /// `ifi_index`.
    pub index: i32,
    /// `ifi_flags` (IFF_*).
    pub flags: u32,
    /// `ifi_change`.
    pub change: u32,
    tb: [Option<&'a [u8]>; TB_LEN],
}

/// `struct rtnl_link_stats64` (iproute2 6.1's 25 counters), zero-extended when the kernel sends
/// fewer; also filled from the 32-bit `struct rtnl_link_stats` (IFLA_STATS).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats64 {
    pub rx_packets: u64,
    pub tx_packets: u64,
    pub rx_bytes: u64,
    pub tx_bytes: u64,
    pub rx_errors: u64,
    pub tx_errors: u64,
    pub rx_dropped: u64,
    pub tx_dropped: u64,
    pub multicast: u64,
    pub collisions: u64,
    pub rx_length_errors: u64,
    pub rx_over_errors: u64,
    pub rx_crc_errors: u64,
    pub rx_frame_errors: u64,
    pub rx_fifo_errors: u64,
    pub rx_missed_errors: u64,
    pub tx_aborted_errors: u64,
    pub tx_carrier_errors: u64,
    pub tx_fifo_errors: u64,
    pub tx_heartbeat_errors: u64,
    pub tx_window_errors: u64,
    pub rx_compressed: u64,
    pub tx_compressed: u64,
    pub rx_nohandler: u64,
    pub rx_otherhost_dropped: u64,
}

impl Stats64 {
    /// Number of counters iproute2 6.1 knows.
    pub const FIELDS: usize = 25;

    fn from_array(a: &[u64; Self::FIELDS]) -> Stats64 {
        Stats64 {
            rx_packets: a[0],
            tx_packets: a[1],
            rx_bytes: a[2],
            tx_bytes: a[3],
            rx_errors: a[4],
            tx_errors: a[5],
            rx_dropped: a[6],
            tx_dropped: a[7],
            multicast: a[8],
            collisions: a[9],
            rx_length_errors: a[10],
            rx_over_errors: a[11],
            rx_crc_errors: a[12],
            rx_frame_errors: a[13],
            rx_fifo_errors: a[14],
            rx_missed_errors: a[15],
            tx_aborted_errors: a[16],
            tx_carrier_errors: a[17],
            tx_fifo_errors: a[18],
            tx_heartbeat_errors: a[19],
            tx_window_errors: a[20],
            rx_compressed: a[21],
            tx_compressed: a[22],
            rx_nohandler: a[23],
            rx_otherhost_dropped: a[24],
        }
    }

    /// From IFLA_STATS64 bytes (u64 each; missing counters are zero, extra ones ignored).
    pub fn parse64(p: &[u8]) -> Stats64 {
        let mut a = [0u64; Self::FIELDS];
        for (slot, c) in a.iter_mut().zip(p.chunks_exact(8)) {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            *slot = u64::from_ne_bytes(b);
        }
        Stats64::from_array(&a)
    }

    /// From IFLA_STATS bytes (`struct rtnl_link_stats`, 24 u32 counters in the same order).
    pub fn parse32(p: &[u8]) -> Stats64 {
        let mut a = [0u64; Self::FIELDS];
        for (slot, c) in a.iter_mut().take(24).zip(p.chunks_exact(4)) {
            *slot = u64::from(u32::from_ne_bytes([c[0], c[1], c[2], c[3]]));
        }
        Stats64::from_array(&a)
    }
}

/// The IFLA_LINKINFO nest.
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkInfo<'a> {
    /// IFLA_INFO_KIND as a C string (`veth`, `bridge`, ...).
    pub kind: Option<&'a [u8]>,
    /// IFLA_INFO_DATA (nested, kind specific).
    pub data: Option<&'a [u8]>,
    pub xstats: Option<&'a [u8]>,
    /// IFLA_INFO_SLAVE_KIND as a C string.
    pub slave_kind: Option<&'a [u8]>,
    pub slave_data: Option<&'a [u8]>,
}

impl<'a> LinkInfo<'a> {
    pub fn parse(nest: &'a [u8]) -> LinkInfo<'a> {
        let mut tb = [None; 6];
        parse_attrs(nest, &mut tb, true);
        LinkInfo {
            kind: tb[IFLA_INFO_KIND as usize].map(c_str),
            data: tb[IFLA_INFO_DATA as usize],
            xstats: tb[IFLA_INFO_XSTATS as usize],
            slave_kind: tb[IFLA_INFO_SLAVE_KIND as usize].map(c_str),
            slave_data: tb[IFLA_INFO_SLAVE_DATA as usize],
        }
    }
}

/// Parses a nested attribute list into a table of `N` slots (NLA_F_NESTED masked, first
/// occurrence wins), for the kind-specific data of [`LinkInfo`].
pub fn nested<const N: usize>(nest: &[u8]) -> [Option<&[u8]>; N] {
    let mut tb = [None; N];
    parse_attrs(nest, &mut tb, true);
    tb
}

impl<'a> Link<'a> {
    /// Decodes an RTM_NEWLINK/DELLINK payload; `None` when shorter than `struct ifinfomsg`.
    pub fn parse(msg_type: u16, payload: &'a [u8]) -> Option<Link<'a>> {
        let h = payload.get(..IFINFOMSG_LEN)?;
        let mut l = Link {
            msg_type,
            family: h[0],
            ifi_type: u16::from_ne_bytes([h[2], h[3]]),
            index: i32::from_ne_bytes([h[4], h[5], h[6], h[7]]),
            flags: u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
            change: u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
            tb: [None; TB_LEN],
        };
        parse_attrs(&payload[IFINFOMSG_LEN..], &mut l.tb, true);
        Some(l)
    }

    /// The payload of attribute `t` (NLA_F_NESTED masked), if present and `t <= IFLA_MAX`.
    #[inline]
    pub fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.tb.get(t as usize).copied().flatten()
    }

    #[inline]
    pub fn attr_u32(&self, t: u16) -> Option<u32> {
        attr_u32(self.attr(t))
    }

    pub fn attr_u8(&self, t: u16) -> Option<u8> {
        self.attr(t).and_then(|p| p.first().copied())
    }

    /// Attribute `t` as a C string (up to the first NUL).
    pub fn attr_str(&self, t: u16) -> Option<&'a [u8]> {
        self.attr(t).map(c_str)
    }

    /// IFLA_IFNAME.
    pub fn name(&self) -> Option<&'a [u8]> {
        self.attr_str(IFLA_IFNAME)
    }

    pub fn mtu(&self) -> Option<u32> {
        self.attr_u32(IFLA_MTU)
    }

    /// IFLA_LINK (the lower/peer device index).
    pub fn link(&self) -> Option<u32> {
        self.attr_u32(IFLA_LINK)
    }

    pub fn master(&self) -> Option<u32> {
        self.attr_u32(IFLA_MASTER)
    }

    pub fn operstate(&self) -> Option<u8> {
        self.attr_u8(IFLA_OPERSTATE)
    }

    pub fn txqlen(&self) -> Option<u32> {
        self.attr_u32(IFLA_TXQLEN)
    }

    pub fn link_netnsid(&self) -> Option<i32> {
        self.attr_u32(IFLA_LINK_NETNSID).map(|v| v as i32)
    }

    /// The counters: IFLA_STATS64 (`true`) or else IFLA_STATS (`false`), as iproute2's
    /// `get_rtnl_link_stats_rta` prefers them.
    pub fn stats(&self) -> Option<(Stats64, bool)> {
        if let Some(p) = self.attr(IFLA_STATS64) {
            return Some((Stats64::parse64(p), true));
        }
        self.attr(IFLA_STATS).map(|p| (Stats64::parse32(p), false))
    }

    pub fn linkinfo(&self) -> Option<LinkInfo<'a>> {
        self.attr(IFLA_LINKINFO).map(LinkInfo::parse)
    }

    /// The IFLA_ALT_IFNAME entries of IFLA_PROP_LIST, in order.
    pub fn altnames(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        let list = self.attr(IFLA_PROP_LIST).unwrap_or(&[]);
        sockscope_netlink::Attrs::new(list)
            .filter(|a| a.kind == IFLA_ALT_IFNAME)
            .map(|a| c_str(a.payload))
    }

    /// IFLA_AF_SPEC → AF_INET6 → IFLA_INET6_ADDR_GEN_MODE.
    pub fn inet6_addr_gen_mode(&self) -> Option<u8> {
        let spec = self.attr(IFLA_AF_SPEC)?;
        // parse_rtattr_one_nested(AF_INET6, ...): the first attribute of type AF_INET6.
        let inet6 = sockscope_netlink::Attrs::new(spec).find(|a| a.kind == u16::from(AF_INET6))?;
        let tb: [Option<&[u8]>; 10] = nested(inet6.payload);
        tb[IFLA_INET6_ADDR_GEN_MODE as usize].and_then(|p| p.first().copied())
    }
}

/// Dumps links with the kernel-side filters of `req`, calling `f` for every RTM_NEWLINK (and
/// RTM_DELLINK) message in the kernel's order (ifindex order).
pub fn dump(
    rtnl: &mut Rtnl,
    req: &LinkDumpRequest<'_>,
    f: &mut dyn FnMut(&Link<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, DumpError> {
    rtnl.dump_raw(
        |out, seq| request::getlink_dump_filtered(out, seq, req),
        &mut |h, p| {
            if h.kind != RTM_NEWLINK && h.kind != RTM_DELLINK {
                return ControlFlow::Continue(());
            }
            match Link::parse(h.kind, p) {
                Some(l) => f(&l),
                None => ControlFlow::Continue(()),
            }
        },
    )
}

/// Whether `name` is a valid interface name for IFLA_IFNAME (iproute2 `check_ifname`, after
/// the kernel's `dev_valid_name`): 1–15 bytes, no `/` and no white space. Other names are
/// looked up as IFLA_ALT_IFNAME.
pub fn is_valid_ifname(name: &[u8]) -> bool {
    !name.is_empty()
        && name.len() < 16
        && !name
            .iter()
            .any(|&c| c == b'/' || matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
}

/// Gets one link by index and/or name (`RTM_GETLINK` without NLM_F_DUMP) and hands the
/// answer to `f`. Errors: the kernel's (`DumpError::Error { errno: ENODEV, .. }` for an
/// unknown device).
pub fn get<R>(
    rtnl: &mut Rtnl,
    family: u8,
    index: u32,
    name: Option<&[u8]>,
    ext_mask: u32,
    mut f: impl FnMut(&Link<'_>) -> R,
) -> Result<Option<R>, DumpError> {
    rtnl.request_raw(
        |out, seq| {
            request::getlink(
                out,
                seq,
                family,
                index,
                name.map(|n| (n, !is_valid_ifname(n))),
                ext_mask,
            )
        },
        |h, p| {
            if h.kind != RTM_NEWLINK {
                return None;
            }
            Link::parse(h.kind, p).map(|l| f(&l))
        },
    )
}

/// A stored link dump: every message's bytes in one arena, in dump order, with an index by
/// ifindex.
#[derive(Clone, Debug, Default)]
pub struct LinkTable {
    data: Vec<u8>,
    msgs: Vec<Stored>,
    by_index: HashMap<i32, usize>,
}

/// Where one stored message is, plus what name lookups need without decoding it again.
#[derive(Clone, Copy, Debug)]
struct Stored {
    off: usize,
    len: usize,
    msg_type: u16,
    flags: u32,
    /// IFLA_IFNAME within the payload (offset, length without the NUL).
    name: Option<(usize, usize)>,
}

/// Finds IFLA_IFNAME in a link payload (the kernel puts it first, so this usually reads one
/// attribute): (offset, length) of the C string.
fn find_ifname(payload: &[u8]) -> Option<(usize, usize)> {
    let mut off = IFINFOMSG_LEN;
    while let Some(h) = payload.get(off..off + 4) {
        let len = u16::from_ne_bytes([h[0], h[1]]) as usize;
        let kind = u16::from_ne_bytes([h[2], h[3]]) & !NLA_F_NESTED;
        if len < 4 || off + len > payload.len() {
            return None;
        }
        if kind == IFLA_IFNAME {
            let p = &payload[off + 4..off + len];
            return Some((off + 4, c_str(p).len()));
        }
        off += (len + 3) & !3;
    }
    None
}

impl LinkTable {
    /// Runs a link dump and stores every link message.
    pub fn collect(rtnl: &mut Rtnl, req: &LinkDumpRequest<'_>) -> Result<LinkTable, DumpError> {
        let mut t = LinkTable::default();
        rtnl.dump_raw(
            |out, seq| request::getlink_dump_filtered(out, seq, req),
            &mut |h, p| {
                t.push(h.kind, p);
                ControlFlow::Continue(())
            },
        )?;
        Ok(t)
    }

    /// Stores one message (anything but RTM_NEWLINK/RTM_DELLINK or a payload shorter than
    /// `struct ifinfomsg` is ignored).
    pub fn push(&mut self, msg_type: u16, payload: &[u8]) {
        if msg_type != RTM_NEWLINK && msg_type != RTM_DELLINK {
            return;
        }
        // Only the header is read here; the attributes are decoded when the link is used.
        let Some(h) = payload.get(4..8) else {
            return;
        };
        if payload.len() < IFINFOMSG_LEN {
            return;
        }
        let index = i32::from_ne_bytes([h[0], h[1], h[2], h[3]]);
        let flags = u32::from_ne_bytes([payload[8], payload[9], payload[10], payload[11]]);
        let pos = self.msgs.len();
        self.by_index.insert(index, pos);
        let off = self.data.len();
        self.msgs.push(Stored {
            off,
            len: payload.len(),
            msg_type,
            flags,
            name: find_ifname(payload).map(|(o, l)| (off + o, l)),
        });
        self.data.extend_from_slice(payload);
    }

    pub fn len(&self) -> usize {
        self.msgs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.msgs.is_empty()
    }

    fn at(&self, i: usize) -> Option<Link<'_>> {
        let m = self.msgs.get(i)?;
        Link::parse(m.msg_type, self.data.get(m.off..m.off + m.len)?)
    }

    /// The links in dump order.
    pub fn iter(&self) -> impl Iterator<Item = Link<'_>> + '_ {
        (0..self.msgs.len()).filter_map(|i| self.at(i))
    }

    /// The stored link with this ifindex.
    pub fn by_index(&self, index: i32) -> Option<Link<'_>> {
        self.by_index.get(&index).and_then(|&i| self.at(i))
    }

    /// IFLA_IFNAME and `ifi_flags` of the stored RTM_NEWLINK with this ifindex, without
    /// decoding the message (what iproute2's link cache answers after storing a dump).
    pub fn name_flags(&self, index: i32) -> Option<(&[u8], u32)> {
        let m = self.msgs.get(*self.by_index.get(&index)?)?;
        if m.msg_type != RTM_NEWLINK {
            return None;
        }
        let (o, l) = m.name?;
        Some((self.data.get(o..o + l)?, m.flags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    fn ifinfo(index: i32, ty: u16, flags: u32) -> Vec<u8> {
        let mut v = vec![AF_UNSPEC, 0];
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&index.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v
    }

    fn sample() -> Vec<u8> {
        let mut p = ifinfo(2, 1, IFF_UP | IFF_BROADCAST | IFF_RUNNING);
        p.extend(attr(IFLA_IFNAME, b"veth0\0"));
        p.extend(attr(IFLA_MTU, &1500u32.to_ne_bytes()));
        p.extend(attr(IFLA_LINK, &7u32.to_ne_bytes()));
        p.extend(attr(IFLA_LINK_NETNSID, &(-1i32).to_ne_bytes()));
        p.extend(attr(IFLA_OPERSTATE, &[6]));
        let mut st = Vec::new();
        for i in 0..25u64 {
            st.extend_from_slice(&(i * 10).to_ne_bytes());
        }
        p.extend(attr(IFLA_STATS64, &st));
        let mut li = attr(IFLA_INFO_KIND, b"veth\0");
        li.extend(attr(IFLA_INFO_SLAVE_KIND, b"bridge\0"));
        li.extend(attr(IFLA_INFO_SLAVE_DATA | NLA_F_NESTED, &attr(1, &[3])));
        p.extend(attr(IFLA_LINKINFO | NLA_F_NESTED, &li));
        let mut props = attr(IFLA_ALT_IFNAME, b"uplink0\0");
        props.extend(attr(IFLA_ALT_IFNAME, b"second\0"));
        p.extend(attr(IFLA_PROP_LIST | NLA_F_NESTED, &props));
        let inet6 = attr(IFLA_INET6_ADDR_GEN_MODE, &[1]);
        let mut spec = attr(u16::from(AF_INET), &[]);
        // The kernel nests the per-family data without NLA_F_NESTED (nla_nest_start_noflag).
        spec.extend(attr(u16::from(AF_INET6), &inet6));
        p.extend(attr(IFLA_AF_SPEC | NLA_F_NESTED, &spec));
        p
    }

    #[test]
    fn parse_link() {
        let p = sample();
        let l = Link::parse(RTM_NEWLINK, &p).unwrap();
        assert_eq!((l.index, l.ifi_type), (2, 1));
        assert_eq!(l.name(), Some(&b"veth0"[..]));
        assert_eq!(l.mtu(), Some(1500));
        assert_eq!(l.link(), Some(7));
        assert_eq!(l.link_netnsid(), Some(-1));
        assert_eq!(l.operstate(), Some(6));
        let (s, is64) = l.stats().unwrap();
        assert!(is64);
        assert_eq!(
            (s.rx_packets, s.tx_bytes, s.rx_otherhost_dropped),
            (0, 30, 240)
        );
        let li = l.linkinfo().unwrap();
        assert_eq!(li.kind, Some(&b"veth"[..]));
        assert_eq!(li.slave_kind, Some(&b"bridge"[..]));
        let sd: [Option<&[u8]>; 4] = nested(li.slave_data.unwrap());
        assert_eq!(sd[1], Some(&[3u8][..]));
        let alts: Vec<_> = l.altnames().collect();
        assert_eq!(alts, vec![&b"uplink0"[..], &b"second"[..]]);
        assert_eq!(l.inet6_addr_gen_mode(), Some(1));
        assert!(Link::parse(RTM_NEWLINK, &p[..15]).is_none());
    }

    #[test]
    fn stats_widths() {
        let mut st32 = Vec::new();
        for i in 0..24u32 {
            st32.extend_from_slice(&(i + 1).to_ne_bytes());
        }
        let s = Stats64::parse32(&st32);
        assert_eq!(
            (s.rx_packets, s.rx_nohandler, s.rx_otherhost_dropped),
            (1, 24, 0)
        );
        let s = Stats64::parse64(&[1, 0, 0, 0, 0, 0, 0, 0, 9]);
        assert_eq!((s.rx_packets, s.tx_packets), (1, 0));
    }

    #[test]
    fn table_keeps_order_and_index() {
        let mut t = LinkTable::default();
        let a = sample();
        let mut b = ifinfo(1, 772, IFF_UP | IFF_LOOPBACK);
        b.extend(attr(IFLA_IFNAME, b"lo\0"));
        t.push(RTM_NEWLINK, &a);
        t.push(RTM_NEWLINK, &b);
        t.push(RTM_NEWROUTE, &b);
        t.push(RTM_NEWLINK, &b[..10]);
        assert_eq!(t.len(), 2);
        let names: Vec<_> = t.iter().map(|l| l.name().unwrap().to_vec()).collect();
        assert_eq!(names, vec![b"veth0".to_vec(), b"lo".to_vec()]);
        assert_eq!(t.by_index(1).unwrap().ifi_type, 772);
        assert!(t.by_index(3).is_none());
        assert_eq!(
            t.name_flags(2),
            Some((&b"veth0"[..], IFF_UP | IFF_BROADCAST | IFF_RUNNING))
        );
        assert_eq!(t.name_flags(1).map(|n| n.0), Some(&b"lo"[..]));
        assert_eq!(t.name_flags(3), None);
    }

    #[test]
    fn ifname_validity() {
        assert!(is_valid_ifname(b"veth0"));
        assert!(is_valid_ifname(b"123456789012345"));
        assert!(!is_valid_ifname(b"1234567890123456"));
        assert!(!is_valid_ifname(b""));
        assert!(!is_valid_ifname(b"a/b"));
        assert!(!is_valid_ifname(b"a b"));
    }

    /// Live: the loopback link of the current namespace, by dump and by name.
    #[test]
    fn live_loopback() {
        let Ok(mut rtnl) = Rtnl::open() else { return };
        let req = LinkDumpRequest {
            family: AF_PACKET,
            ext_mask: RTEXT_FILTER_VF,
            ..Default::default()
        };
        let t = LinkTable::collect(&mut rtnl, &req).unwrap();
        let lo = t.by_index(1).unwrap();
        assert_eq!(lo.name(), Some(&b"lo"[..]));
        assert!(lo.stats().is_some());
        let got = get(&mut rtnl, AF_UNSPEC, 0, Some(b"lo"), RTEXT_FILTER_VF, |l| {
            l.index
        })
        .unwrap();
        assert_eq!(got, Some(1));
        let err = get(&mut rtnl, AF_UNSPEC, 0, Some(b"no-such-dev-x"), 1, |l| {
            l.index
        });
        assert!(
            matches!(err, Err(DumpError::Error { errno: 19, .. })),
            "{err:?}"
        );
    }
}
