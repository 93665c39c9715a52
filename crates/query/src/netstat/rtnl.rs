//! The rtnetlink dumps `netstat -r` (IPv4) and `netstat -i` need, with the conversions that
//! make them equal to what net-tools reads from `/proc/net/route`, `/proc/net/dev` and the
//! interface ioctls (spec 2.3.2, 2.4):
//!
//! * IPv4 routes: RTM_GETROUTE dump, main table only (RTA_TABLE, else `rtm_table`), types
//!   BROADCAST and MULTICAST skipped (net/ipv4/fib_trie.c `fib_route_seq_show`); the first
//!   nexthop gives device and gateway (an IPv6 `via` gives none); metrics from RTA_METRICS.
//! * links: RTM_GETLINK dump (name, flags, mtu, txqlen, type, hardware address, IFLA_STATS64,
//!   IFLA_MAP).
//! * IPv4 addresses: RTM_GETADDR dump (label, local, prefix length, broadcast, peer).
//!
//! The messages are decoded by [`crate::rtnl`]'s views and dumped on its [`Rtnl`] socket;
//! this module only turns them into the rows net-tools prints.

use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::msg::{ne_u32, ne_u64};
use sockscope_netlink::request::LinkDumpRequest;
use sockscope_netlink::DumpError;

use crate::rtnl::addrs::{self, Addr};
use crate::rtnl::links::{self, Link as LinkView};
use crate::rtnl::routes::{self, Route, RouteDumpRequest};
use crate::rtnl::Rtnl;

/// `RTPROT_RA` (include/uapi/linux/rtnetlink.h): a route learnt from a router advertisement.
const RTPROT_RA: u8 = 9;

/// `RTF_*` flags of /proc/net/route (include/uapi/linux/route.h).
pub const RTF_UP: u32 = 0x0001;
pub const RTF_GATEWAY: u32 = 0x0002;
pub const RTF_HOST: u32 = 0x0004;
pub const RTF_REJECT: u32 = 0x0200;

/// One row of the IPv4 FIB as /proc/net/route shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route4 {
    /// Destination (network order).
    pub dst: [u8; 4],
    pub prefix_len: u8,
    /// Gateway of the first nexthop (0.0.0.0 for none or an IPv6 gateway).
    pub gateway: [u8; 4],
    /// RTF_UP | RTF_GATEWAY | RTF_HOST | RTF_REJECT.
    pub flags: u32,
    /// RTA_PRIORITY as netstat prints it (`%d`).
    pub metric: i32,
    /// Output interface index of the first nexthop (0: none, netstat prints `*`).
    pub ifindex: u32,
    /// advmss + 40 when the route has an advmss metric, else 0 (/proc's "MTU" column).
    pub mss: u32,
    pub window: u32,
    /// rtt >> 3.
    pub irtt: u32,
}

impl Route4 {
    /// The netmask in network byte order.
    pub fn mask(&self) -> [u8; 4] {
        let m: u32 = if self.prefix_len == 0 {
            0
        } else {
            u32::MAX << (32 - u32::from(self.prefix_len.min(32)))
        };
        m.to_be_bytes()
    }
}

/// The link counters (IFLA_STATS64), parsed by the ip persona's rtnetlink layer.
pub use crate::rtnl::links::Stats64 as LinkStats;

/// The counters as /proc/net/dev (and so netstat) shows them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DevCounters {
    pub rx_bytes: u64,
    pub rx_packets: u64,
    pub rx_errors: u64,
    /// rx_dropped + rx_missed_errors.
    pub rx_dropped: u64,
    pub rx_fifo: u64,
    /// length + over + crc + frame errors.
    pub rx_frame: u64,
    pub rx_compressed: u64,
    pub multicast: u64,
    pub tx_bytes: u64,
    pub tx_packets: u64,
    pub tx_errors: u64,
    pub tx_dropped: u64,
    pub tx_fifo: u64,
    pub collisions: u64,
    /// carrier + aborted + window + heartbeat errors.
    pub tx_carrier: u64,
    pub tx_compressed: u64,
}

impl LinkStats {
    /// The sums net/core/net-procfs.c `dev_seq_printf_stats` prints.
    pub fn proc_dev(&self) -> DevCounters {
        let s = self;
        DevCounters {
            rx_bytes: s.rx_bytes,
            rx_packets: s.rx_packets,
            rx_errors: s.rx_errors,
            rx_dropped: s.rx_dropped.wrapping_add(s.rx_missed_errors),
            rx_fifo: s.rx_fifo_errors,
            rx_frame: s
                .rx_length_errors
                .wrapping_add(s.rx_over_errors)
                .wrapping_add(s.rx_crc_errors)
                .wrapping_add(s.rx_frame_errors),
            rx_compressed: s.rx_compressed,
            multicast: s.multicast,
            tx_bytes: s.tx_bytes,
            tx_packets: s.tx_packets,
            tx_errors: s.tx_errors,
            tx_dropped: s.tx_dropped,
            tx_fifo: s.tx_fifo_errors,
            collisions: s.collisions,
            tx_carrier: s
                .tx_carrier_errors
                .wrapping_add(s.tx_aborted_errors)
                .wrapping_add(s.tx_window_errors)
                .wrapping_add(s.tx_heartbeat_errors),
            tx_compressed: s.tx_compressed,
        }
    }
}

/// `struct ifmap` as SIOCGIFMAP reports it (from IFLA_MAP).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IfMap {
    pub mem_start: u64,
    pub mem_end: u64,
    /// `unsigned short` in struct ifmap.
    pub base_addr: u16,
    pub irq: u8,
    pub dma: u8,
}

/// One network device.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Link {
    pub index: u32,
    pub name: Vec<u8>,
    /// `ifi_flags` (netstat shows the low 16 bits, as SIOCGIFFLAGS gives them).
    pub flags: u32,
    /// ARPHRD_* (`ifi_type`).
    pub hw_type: u16,
    /// IFLA_ADDRESS (empty when absent).
    pub address: Vec<u8>,
    pub mtu: u32,
    pub txqlen: Option<u32>,
    pub map: IfMap,
    pub stats: Option<LinkStats>,
}

/// One IPv4 address.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Addr4 {
    pub index: u32,
    pub label: Vec<u8>,
    pub prefix_len: u8,
    pub local: [u8; 4],
    pub address: [u8; 4],
    pub broadcast: [u8; 4],
}

impl Addr4 {
    /// `ifa_mask` in network byte order.
    pub fn mask(&self) -> [u8; 4] {
        Route4 {
            prefix_len: self.prefix_len,
            ..Route4::default()
        }
        .mask()
    }
}

fn a4(p: &[u8]) -> Option<[u8; 4]> {
    p.get(..4).map(|b| [b[0], b[1], b[2], b[3]])
}

/// Opens the route socket for one dump; an unopenable socket reads as a failed dump.
fn open() -> Result<Rtnl, DumpError> {
    Rtnl::open().map_err(|_| DumpError::Eof)
}

/// Parses one RTM_NEWROUTE payload; `None` when it is not a main-table row of /proc/net/route.
pub fn parse_route4(p: &[u8]) -> Option<Route4> {
    Route::parse(RTM_NEWROUTE, p).and_then(|r| Route4::from_route(&r))
}

impl Route4 {
    /// The /proc/net/route row of an IPv4 route; `None` when /proc/net/route does not list
    /// it (another family or table, a broadcast or multicast route).
    pub fn from_route(r: &Route<'_>) -> Option<Route4> {
        if r.family != AF_INET
            || r.table() != RT_TABLE_MAIN
            || r.rtype == RTN_BROADCAST
            || r.rtype == RTN_MULTICAST
        {
            return None;
        }
        let mut row = Route4 {
            prefix_len: r.dst_len,
            dst: r.attr(RTA_DST).and_then(a4).unwrap_or_default(),
            ifindex: r.first_oif().unwrap_or(0),
            metric: r.priority().unwrap_or(0) as i32,
            flags: RTF_UP,
            ..Route4::default()
        };
        if let Some(m) = r.metrics() {
            row.mss = m.u32(RTAX_ADVMSS).map_or(0, |v| v.wrapping_add(40));
            row.window = m.u32(RTAX_WINDOW).unwrap_or(0);
            row.irtt = m.u32(RTAX_RTT).map_or(0, |v| v >> 3);
        }
        if r.rtype == RTN_UNREACHABLE || r.rtype == RTN_PROHIBIT {
            row.flags |= RTF_REJECT;
        }
        if let Some(g) = r.first_gateway().and_then(a4) {
            row.gateway = g;
            row.flags |= RTF_GATEWAY;
        }
        if row.prefix_len == 32 {
            row.flags |= RTF_HOST;
        }
        Some(row)
    }
}

/// Dumps every route of `family` on a fresh socket, handing each to `f` in dump order.
fn dump_routes(family: u8, mut f: impl FnMut(&Route<'_>)) -> Result<(), DumpError> {
    let mut rtnl = open()?;
    rtnl.set_fast_receive(true);
    let req = RouteDumpRequest {
        family,
        ..RouteDumpRequest::default()
    };
    routes::dump(&mut rtnl, &req, &mut |r| {
        f(r);
        ControlFlow::Continue(())
    })
    .map(|_| ())
}

/// Hands each row of the IPv4 main table to `f`, in dump (trie) order, as it arrives.
pub fn for_each_route4(mut f: impl FnMut(&Route4)) -> Result<(), DumpError> {
    dump_routes(AF_INET, |r| {
        if let Some(row) = Route4::from_route(r) {
            f(&row);
        }
    })
}

/// One IPv6 route of an RTM_GETROUTE dump, expanded to one entry per nexthop as
/// /proc/net/ipv6_route lists multipath siblings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route6 {
    pub table: u32,
    pub dst: [u8; 16],
    pub dst_len: u8,
    /// The gateway (all zero without one).
    pub gateway: [u8; 16],
    pub has_gateway: bool,
    /// RTA_PRIORITY.
    pub metric: u32,
    pub ifindex: u32,
    /// rtm_type (RTN_*).
    pub rtype: u8,
    /// rtm_protocol (RTPROT_*).
    pub protocol: u8,
    /// The route expires (RTA_CACHEINFO `rta_expires` ≠ 0, or RTA_EXPIRES).
    pub expires: bool,
}

impl Route6 {
    /// The RTF_* flags /proc/net/ipv6_route would show (`fib6_flags`), rebuilt from the dump:
    /// reject types are REJECT|NONEXTHOP, local and anycast routes UP|NONEXTHOP, others UP;
    /// GATEWAY with a gateway, EXPIRES with RTA_EXPIRES, ADDRCONF for router-advertised
    /// routes (and DEFAULT for their default route).
    pub fn proc_flags(&self) -> u32 {
        use super::procnet::rtf;
        let mut f = match self.rtype {
            RTN_UNREACHABLE | RTN_BLACKHOLE | RTN_PROHIBIT | RTN_THROW => {
                rtf::REJECT | rtf::NONEXTHOP
            }
            RTN_LOCAL | RTN_ANYCAST => rtf::UP | rtf::NONEXTHOP,
            _ => rtf::UP,
        };
        if self.has_gateway {
            f |= rtf::GATEWAY;
        }
        if self.expires {
            f |= rtf::EXPIRES;
        }
        if self.protocol == RTPROT_RA {
            f |= rtf::ADDRCONF;
            if self.dst_len == 0 && self.has_gateway {
                f |= rtf::DEFAULT;
            }
        }
        f
    }
}

fn a16(p: &[u8]) -> Option<[u8; 16]> {
    let b = p.get(..16)?;
    let mut a = [0u8; 16];
    a.copy_from_slice(b);
    Some(a)
}

/// Parses one RTM_NEWROUTE payload of AF_INET6 into one row per nexthop.
pub fn parse_route6(p: &[u8], out: &mut Vec<Route6>) {
    if let Some(r) = Route::parse(RTM_NEWROUTE, p) {
        Route6::push_rows(&r, out);
    }
}

impl Route6 {
    /// Appends the rows of an IPv6 route: one, or one per next hop of a multipath route.
    pub fn push_rows(r: &Route<'_>, out: &mut Vec<Route6>) {
        if r.family != AF_INET6 {
            return;
        }
        let gateway = |p: Option<&[u8]>| p.and_then(a16);
        let mut row = Route6 {
            dst_len: r.dst_len,
            table: r.table(),
            protocol: r.protocol,
            rtype: r.rtype,
            dst: gateway(r.attr(RTA_DST)).unwrap_or_default(),
            ifindex: r.oif().unwrap_or(0),
            metric: r.priority().unwrap_or(0),
            // struct rta_cacheinfo's `expires` (offset 8) is filled only for routes with
            // RTF_EXPIRES.
            expires: r.attr(RTA_EXPIRES).is_some()
                || r.attr(RTA_CACHEINFO)
                    .and_then(|c| ne_u32(c, 8))
                    .is_some_and(|e| e != 0),
            ..Route6::default()
        };
        if let Some(g) = gateway(r.attr(RTA_GATEWAY)) {
            row.gateway = g;
            row.has_gateway = true;
        }
        let Some(hops) = r.nexthops() else {
            out.push(row);
            return;
        };
        for nh in hops {
            let mut one = row.clone();
            one.ifindex = nh.ifindex as u32;
            one.gateway = [0; 16];
            one.has_gateway = false;
            if let Some(g) = gateway(nh.attr(RTA_GATEWAY)) {
                one.gateway = g;
                one.has_gateway = true;
            }
            out.push(one);
        }
    }
}

/// Hands each IPv6 route row of every table to `f` as it arrives, in dump order (tables in
/// the kernel's hash order, each table's tree walked as /proc/net/ipv6_route walks it).
pub fn for_each_route6(mut f: impl FnMut(&Route6)) -> Result<(), DumpError> {
    let mut rows = Vec::new();
    dump_routes(AF_INET6, |r| {
        rows.clear();
        Route6::push_rows(r, &mut rows);
        rows.iter().for_each(&mut f);
    })
}

/// Parses one RTM_NEWLINK payload.
pub fn parse_link(p: &[u8]) -> Option<Link> {
    LinkView::parse(RTM_NEWLINK, p).and_then(|l| Link::from_view(&l))
}

impl Link {
    /// The device as netstat sees it; `None` without a name.
    pub fn from_view(v: &LinkView<'_>) -> Option<Link> {
        let name = v.name().filter(|n| !n.is_empty())?;
        // struct rtnl_link_ifmap: mem_start, mem_end, base_addr (u64), irq u16, dma u8, port u8.
        let map = v.attr(IFLA_MAP).map_or_else(IfMap::default, |q| IfMap {
            mem_start: ne_u64(q, 0).unwrap_or(0),
            mem_end: ne_u64(q, 8).unwrap_or(0),
            base_addr: ne_u64(q, 16).unwrap_or(0) as u16,
            irq: q
                .get(24..26)
                .map_or(0, |b| u16::from_ne_bytes([b[0], b[1]]) as u8),
            dma: q.get(26).copied().unwrap_or(0),
        });
        Some(Link {
            index: v.index as u32,
            name: name.to_vec(),
            flags: v.flags,
            hw_type: v.ifi_type,
            address: v.attr(IFLA_ADDRESS).unwrap_or_default().to_vec(),
            mtu: v.mtu().unwrap_or(0),
            txqlen: v.txqlen(),
            map,
            stats: v.attr(IFLA_STATS64).map(LinkStats::parse64),
        })
    }
}

/// Every link in dump (ifindex) order.
pub fn dump_links() -> Result<Vec<Link>, DumpError> {
    let mut out = Vec::new();
    let mut rtnl = open()?;
    let req = LinkDumpRequest {
        family: 0,
        ext_mask: RTEXT_FILTER_VF,
        master: None,
        kind: None,
    };
    links::dump(&mut rtnl, &req, &mut |l| {
        out.extend(Link::from_view(l));
        ControlFlow::Continue(())
    })?;
    Ok(out)
}

/// Parses one RTM_NEWADDR payload of AF_INET.
pub fn parse_addr4(p: &[u8]) -> Option<Addr4> {
    Addr::parse(p).and_then(|a| Addr4::from_addr(&a))
}

impl Addr4 {
    /// The address as the interface ioctls report it; `None` for another family.
    pub fn from_addr(a: &Addr<'_>) -> Option<Addr4> {
        if a.family != AF_INET {
            return None;
        }
        let address = a.address().and_then(a4).unwrap_or_default();
        Some(Addr4 {
            index: a.index,
            label: a.label().unwrap_or_default().to_vec(),
            prefix_len: a.prefixlen,
            local: a.local().and_then(a4).unwrap_or(address),
            address,
            broadcast: a.broadcast().and_then(a4).unwrap_or_default(),
        })
    }
}

/// Every IPv4 address in dump order (devices in index order, each device's list in order).
pub fn dump_addrs4() -> Result<Vec<Addr4>, DumpError> {
    let mut v = Vec::new();
    let mut rtnl = open()?;
    addrs::dump(&mut rtnl, AF_INET, 0, &mut |a| {
        v.extend(Addr4::from_addr(a));
        ControlFlow::Continue(())
    })?;
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn routes_follow_proc_net_route() {
        // 198.19.5.0/24 via 192.0.2.2 dev 3 metric 7, advmss 1360, rtt 800 (100 ms * 8).
        let mut p = vec![AF_INET, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0];
        p.extend(attr(RTA_TABLE, &254u32.to_ne_bytes()));
        p.extend(attr(RTA_DST, &[198, 19, 5, 0]));
        p.extend(attr(RTA_GATEWAY, &[192, 0, 2, 2]));
        p.extend(attr(RTA_OIF, &3u32.to_ne_bytes()));
        p.extend(attr(RTA_PRIORITY, &7u32.to_ne_bytes()));
        let mut m = attr(RTAX_ADVMSS, &1360u32.to_ne_bytes());
        m.extend(attr(RTAX_RTT, &800u32.to_ne_bytes()));
        m.extend(attr(RTAX_WINDOW, &65535u32.to_ne_bytes()));
        p.extend(attr(RTA_METRICS, &m));
        let r = parse_route4(&p).unwrap();
        assert_eq!(r.dst, [198, 19, 5, 0]);
        assert_eq!(r.gateway, [192, 0, 2, 2]);
        assert_eq!(r.flags, RTF_UP | RTF_GATEWAY);
        assert_eq!((r.metric, r.ifindex), (7, 3));
        assert_eq!((r.mss, r.window, r.irtt), (1400, 65535, 100));
        assert_eq!(r.mask(), [255, 255, 255, 0]);
        // unreachable /32 in main: reject + host, no gateway.
        let mut u = vec![AF_INET, 32, 0, 0, 254, 3, 0, RTN_UNREACHABLE, 0, 0, 0, 0];
        u.extend(attr(RTA_DST, &[198, 19, 2, 1]));
        let r = parse_route4(&u).unwrap();
        assert_eq!(r.flags, RTF_UP | RTF_REJECT | RTF_HOST);
        // other tables and broadcast routes are not rows.
        let mut t = vec![AF_INET, 24, 0, 0, 100, 3, 0, 1, 0, 0, 0, 0];
        t.extend(attr(RTA_TABLE, &100u32.to_ne_bytes()));
        assert!(parse_route4(&t).is_none());
        let b = vec![AF_INET, 32, 0, 0, 254, 3, 0, RTN_BROADCAST, 0, 0, 0, 0];
        assert!(parse_route4(&b).is_none());
        // multipath: first nexthop's device and gateway.
        let mut mp = vec![AF_INET, 24, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0];
        let gw = attr(RTA_GATEWAY, &[192, 0, 2, 2]);
        let mut nh = ((8 + gw.len()) as u16).to_ne_bytes().to_vec();
        nh.extend_from_slice(&[0, 0]);
        nh.extend_from_slice(&5u32.to_ne_bytes());
        nh.extend(gw);
        let gw2 = attr(RTA_GATEWAY, &[198, 51, 100, 2]);
        nh.extend_from_slice(&((8 + gw2.len()) as u16).to_ne_bytes());
        nh.extend_from_slice(&[0, 1]);
        nh.extend_from_slice(&6u32.to_ne_bytes());
        nh.extend(gw2);
        mp.extend(attr(RTA_MULTIPATH, &nh));
        let r = parse_route4(&mp).unwrap();
        assert_eq!((r.ifindex, r.gateway), (5, [192, 0, 2, 2]));
    }

    #[test]
    fn ipv6_routes_expand_multipath() {
        let mut p = vec![AF_INET6, 48, 0, 0, 254, 3, 0, 1, 0, 0, 0, 0];
        let mut dst = [0u8; 16];
        dst[..6].copy_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0x03, 0x00]);
        p.extend(attr(RTA_DST, &dst));
        p.extend(attr(RTA_PRIORITY, &1024u32.to_ne_bytes()));
        let mut g1 = [0u8; 16];
        g1[15] = 2;
        let gw = attr(RTA_GATEWAY, &g1);
        let mut nh = ((8 + gw.len()) as u16).to_ne_bytes().to_vec();
        nh.extend_from_slice(&[0, 0]);
        nh.extend_from_slice(&2u32.to_ne_bytes());
        nh.extend(gw.clone());
        nh.extend_from_slice(&((8 + gw.len()) as u16).to_ne_bytes());
        nh.extend_from_slice(&[0, 0]);
        nh.extend_from_slice(&5u32.to_ne_bytes());
        nh.extend(gw);
        p.extend(attr(RTA_MULTIPATH, &nh));
        let mut rows = Vec::new();
        parse_route6(&p, &mut rows);
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].ifindex, rows[1].ifindex), (2, 5));
        assert!(rows[1].has_gateway);
        assert_eq!(rows[0].proc_flags(), 0x3);
        assert_eq!(
            (rows[0].dst_len, rows[0].metric, rows[0].table),
            (48, 1024, 254)
        );
        let mut u = vec![AF_INET6, 48, 0, 0, 254, 3, 0, RTN_UNREACHABLE, 0, 0, 0, 0];
        u.extend(attr(RTA_OIF, &1u32.to_ne_bytes()));
        let mut rows = Vec::new();
        parse_route6(&u, &mut rows);
        assert_eq!(rows[0].proc_flags(), 0x0020_0200);
        let mut l = vec![AF_INET6, 128, 0, 0, 255, 2, 0, RTN_LOCAL, 0, 0, 0, 0];
        l.extend(attr(RTA_EXPIRES, &5u32.to_ne_bytes()));
        let mut rows = Vec::new();
        parse_route6(&l, &mut rows);
        assert_eq!(rows[0].proc_flags(), 0x0060_0001);
    }

    #[test]
    fn links_and_addresses() {
        let mut p = vec![0u8, 0];
        p.extend_from_slice(&1u16.to_ne_bytes());
        p.extend_from_slice(&4u32.to_ne_bytes());
        p.extend_from_slice(&0x1043u32.to_ne_bytes());
        p.extend_from_slice(&0u32.to_ne_bytes());
        p.extend(attr(IFLA_IFNAME, b"br0\0"));
        p.extend(attr(IFLA_MTU, &1400u32.to_ne_bytes()));
        p.extend(attr(IFLA_ADDRESS, &[2, 0, 0, 0, 0, 0x0b]));
        let mut st = vec![0u8; 8 * 24];
        st[0] = 12; // rx_packets
        st[6 * 8] = 1; // rx_dropped
        st[15 * 8] = 2; // rx_missed
        st[17 * 8] = 3; // tx_carrier
        st[16 * 8] = 4; // tx_aborted
        p.extend(attr(IFLA_STATS64, &st));
        let l = parse_link(&p).unwrap();
        assert_eq!((l.index, l.name.as_slice(), l.mtu), (4, &b"br0"[..], 1400));
        assert_eq!(l.hw_type, 1);
        let d = l.stats.unwrap().proc_dev();
        assert_eq!((d.rx_packets, d.rx_dropped, d.tx_carrier), (12, 3, 7));
        let mut a = vec![AF_INET, 24, 0, 0];
        a.extend_from_slice(&2u32.to_ne_bytes());
        a.extend(attr(IFA_ADDRESS, &[192, 0, 2, 10]));
        a.extend(attr(IFA_LOCAL, &[192, 0, 2, 10]));
        a.extend(attr(IFA_LABEL, b"veth0:1\0"));
        let ad = parse_addr4(&a).unwrap();
        assert_eq!(ad.label, b"veth0:1");
        assert_eq!(ad.mask(), [255, 255, 255, 0]);
        assert_eq!(ad.broadcast, [0, 0, 0, 0]);
    }
}
