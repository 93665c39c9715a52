//! Routes over rtnetlink: the `RTM_GETROUTE` dump and [`Route`], a view of one
//! `RTM_NEWROUTE` message decoded in place (`struct rtmsg` + the attribute table iproute2's
//! `print_route` builds with `parse_rtattr(tb, RTA_MAX, ...)`).
//!
//! The view costs one pass over the attributes and no allocation; nested data (metrics,
//! multipath next hops, cache info) is decoded only when asked for. Attribute payloads are
//! taken as the kernel sent them; fixed-size readers return `None` for short payloads instead
//! of reading past them (where iproute2 would read whatever follows).

use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::{request, DumpError, DumpSummary};

pub use sockscope_netlink::request::RouteDumpRequest;

use super::{attr_u32, parse_attrs, Rtnl};

/// Size of the attribute table (iproute2 6.1's RTA_MAX + 1).
pub const TB_LEN: usize = RTA_MAX as usize + 1;

/// One route (an `RTM_NEWROUTE`/`RTM_DELROUTE` message), borrowed from the receive buffer.
#[derive(Clone, Copy, Debug)]
pub struct Route<'a> {
    /// Message type (RTM_NEWROUTE or RTM_DELROUTE).
    pub msg_type: u16,
    /// `rtm_family` (AF_INET, AF_INET6, AF_MPLS, RTNL_FAMILY_IPMR, ...).
    pub family: u8,
    pub dst_len: u8,
    pub src_len: u8,
    pub tos: u8,
    /// `rtm_table` (the 8-bit table; see [`Route::table`] for the full id).
    pub table_hdr: u8,
    pub protocol: u8,
    pub scope: u8,
    /// `rtm_type` (RTN_*).
    pub rtype: u8,
    /// `rtm_flags` (RTNH_F_* in the low byte, RTM_F_*, RTCF_* in the upper half).
    pub flags: u32,
    tb: [Option<&'a [u8]>; TB_LEN],
}

/// `struct rta_cacheinfo` (RTA_CACHEINFO), zero-extended when the kernel sends less.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CacheInfo {
    pub clntref: u32,
    pub lastuse: u32,
    /// Jiffies in USER_HZ units (iproute2 divides by `sysconf(_SC_CLK_TCK)`).
    pub expires: i32,
    pub error: u32,
    pub used: u32,
    pub id: u32,
    pub ts: u32,
    pub tsage: u32,
}

impl CacheInfo {
    /// Decodes the 32-byte struct; missing bytes read as zero.
    pub fn parse(p: &[u8]) -> CacheInfo {
        let mut a = [0u8; 32];
        let n = p.len().min(32);
        a[..n].copy_from_slice(&p[..n]);
        let w = |i: usize| u32::from_ne_bytes([a[i], a[i + 1], a[i + 2], a[i + 3]]);
        CacheInfo {
            clntref: w(0),
            lastuse: w(4),
            expires: w(8) as i32,
            error: w(12),
            used: w(16),
            id: w(20),
            ts: w(24),
            tsage: w(28),
        }
    }
}

/// The RTA_METRICS nest (`RTAX_*` attributes).
#[derive(Clone, Copy, Debug)]
pub struct Metrics<'a> {
    tb: [Option<&'a [u8]>; RTAX_MAX as usize + 1],
}

impl<'a> Metrics<'a> {
    pub fn parse(nest: &'a [u8]) -> Metrics<'a> {
        let mut tb = [None; RTAX_MAX as usize + 1];
        parse_attrs(nest, &mut tb, false);
        Metrics { tb }
    }

    /// The raw payload of metric `i` (RTAX_MTU..=RTAX_MAX), if present.
    pub fn get(&self, i: u16) -> Option<&'a [u8]> {
        self.tb.get(i as usize).copied().flatten()
    }

    /// Metric `i` as u32 (`rta_getattr_u32`).
    pub fn u32(&self, i: u16) -> Option<u32> {
        attr_u32(self.get(i))
    }

    /// The RTAX_LOCK bit mask (0 when absent).
    pub fn lock(&self) -> u32 {
        self.u32(RTAX_LOCK).unwrap_or(0)
    }
}

/// An RTA_VIA payload: `struct rtvia { family; addr[] }`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Via<'a> {
    pub family: u16,
    pub addr: &'a [u8],
}

impl<'a> Via<'a> {
    pub fn parse(p: &'a [u8]) -> Option<Via<'a>> {
        let f = p.get(..2)?;
        Some(Via {
            family: u16::from_ne_bytes([f[0], f[1]]),
            addr: p.get(2..)?,
        })
    }
}

/// One `struct rtnexthop` of RTA_MULTIPATH with its attributes.
#[derive(Clone, Copy, Debug)]
pub struct Nexthop<'a> {
    /// `rtnh_flags` (RTNH_F_*).
    pub flags: u8,
    /// `rtnh_hops` (weight - 1; for IPv4 multicast cache entries the TTL threshold).
    pub hops: u8,
    pub ifindex: i32,
    /// Whether the next hop carries attributes (`rtnh_len > sizeof(struct rtnexthop)`).
    pub has_attrs: bool,
    tb: [Option<&'a [u8]>; TB_LEN],
}

impl<'a> Nexthop<'a> {
    pub fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.tb.get(t as usize).copied().flatten()
    }
}

/// Iterator over RTA_MULTIPATH, walked like iproute2's `print_rta_multipath`: stops when less
/// than a `struct rtnexthop` remains or a next hop claims more than remains. (A next hop whose
/// `rtnh_len` is below 8 also stops the walk; iproute2 would loop on it forever.)
#[derive(Clone, Debug)]
pub struct Nexthops<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for Nexthops<'a> {
    type Item = Nexthop<'a>;

    fn next(&mut self) -> Option<Nexthop<'a>> {
        let r = self.rest;
        if r.len() < RTNEXTHOP_LEN {
            return None;
        }
        let len = u16::from_ne_bytes([r[0], r[1]]) as usize;
        if len > r.len() || len < RTNEXTHOP_LEN {
            self.rest = &[];
            return None;
        }
        let mut nh = Nexthop {
            flags: r[2],
            hops: r[3],
            ifindex: i32::from_ne_bytes([r[4], r[5], r[6], r[7]]),
            has_attrs: len > RTNEXTHOP_LEN,
            tb: [None; TB_LEN],
        };
        if nh.has_attrs {
            parse_attrs(&r[RTNEXTHOP_LEN..len], &mut nh.tb, false);
        }
        let step = (len + 3) & !3;
        self.rest = r.get(step..).unwrap_or(&[]);
        Some(nh)
    }
}

impl<'a> Route<'a> {
    /// Decodes a route message payload. `None` when it is shorter than `struct rtmsg`
    /// (iproute2: "BUG: wrong nlmsg len").
    #[inline]
    pub fn parse(msg_type: u16, payload: &'a [u8]) -> Option<Route<'a>> {
        let h = payload.get(..RTMSG_LEN)?;
        let mut r = Route {
            msg_type,
            family: h[0],
            dst_len: h[1],
            src_len: h[2],
            tos: h[3],
            table_hdr: h[4],
            protocol: h[5],
            scope: h[6],
            rtype: h[7],
            flags: u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
            tb: [None; TB_LEN],
        };
        parse_attrs(&payload[RTMSG_LEN..], &mut r.tb, false);
        Some(r)
    }

    /// The payload of attribute `t` (first occurrence), if present and `t <= RTA_MAX`.
    #[inline]
    pub fn attr(&self, t: u16) -> Option<&'a [u8]> {
        self.tb.get(t as usize).copied().flatten()
    }

    /// Attribute `t` read as u32.
    #[inline]
    pub fn attr_u32(&self, t: u16) -> Option<u32> {
        attr_u32(self.attr(t))
    }

    /// The table id: RTA_TABLE when present, else `rtm_table` (iproute2 `rtm_get_table`).
    #[inline]
    pub fn table(&self) -> u32 {
        self.attr_u32(RTA_TABLE)
            .unwrap_or(u32::from(self.table_hdr))
    }

    pub fn oif(&self) -> Option<u32> {
        self.attr_u32(RTA_OIF)
    }

    pub fn priority(&self) -> Option<u32> {
        self.attr_u32(RTA_PRIORITY)
    }

    /// RTA_PREF (u8).
    pub fn pref(&self) -> Option<u8> {
        self.attr(RTA_PREF).and_then(|p| p.first().copied())
    }

    pub fn cacheinfo(&self) -> Option<CacheInfo> {
        self.attr(RTA_CACHEINFO).map(CacheInfo::parse)
    }

    pub fn metrics(&self) -> Option<Metrics<'a>> {
        self.attr(RTA_METRICS).map(Metrics::parse)
    }

    pub fn via(&self) -> Option<Via<'a>> {
        self.attr(RTA_VIA).and_then(Via::parse)
    }

    /// The next hops of RTA_MULTIPATH, if present.
    pub fn nexthops(&self) -> Option<Nexthops<'a>> {
        self.attr(RTA_MULTIPATH).map(|rest| Nexthops { rest })
    }

    /// The first next hop's output interface: RTA_OIF, else the first RTA_MULTIPATH entry's
    /// ifindex (what `netstat -r` shows for a multipath route).
    pub fn first_oif(&self) -> Option<u32> {
        self.oif()
            .or_else(|| self.nexthops()?.next().map(|n| n.ifindex as u32))
    }

    /// The first gateway: RTA_GATEWAY, else that of the first next hop.
    pub fn first_gateway(&self) -> Option<&'a [u8]> {
        self.attr(RTA_GATEWAY)
            .or_else(|| self.nexthops()?.next()?.attr(RTA_GATEWAY))
    }
}

/// `get_prefix` refused the argument (the caller prints iproute2's message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BadPrefix;

/// A prefix given on the command line (iproute2 `inet_prefix` as `get_prefix` fills it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Prefix {
    /// AF_INET, AF_INET6, or 0 for `default`/`all`/`any` parsed without a family.
    pub family: u8,
    /// Prefix length in bits (`-1` never remains after parsing; `default` is 0).
    pub bitlen: i32,
    /// PREFIXLEN_SPECIFIED: `/LEN` was given, or the word `default`.
    pub len_specified: bool,
    /// Address bytes (network order), zero-filled.
    pub data: [u8; 16],
}

/// iproute2 `af_bit_len`.
pub fn af_bit_len(family: u8) -> i32 {
    match family {
        AF_INET6 => 128,
        AF_INET => 32,
        AF_MPLS => 20,
        _ => 0,
    }
}

/// `strtoul(s, &end, 0)` on a prefix of `s`: (value, bytes consumed), consumed 0 = no digits.
fn strtoul_prefix(s: &[u8]) -> (u64, usize) {
    let mut i = 0;
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let mut base = 10u64;
    if i + 1 < s.len()
        && s[i] == b'0'
        && (s[i + 1] | 0x20) == b'x'
        && s.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
    {
        base = 16;
        i += 2;
    } else if i < s.len() && s[i] == b'0' {
        base = 8;
    }
    let start = i;
    let mut v: u64 = 0;
    let mut overflow = false;
    while i < s.len() {
        let Some(d) = (s[i] as char).to_digit(base as u32) else {
            break;
        };
        match v
            .checked_mul(base)
            .and_then(|x| x.checked_add(u64::from(d)))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        i += 1;
    }
    if i == start {
        return (0, 0);
    }
    if overflow {
        v = u64::MAX;
    } else if neg {
        v = v.wrapping_neg();
    }
    (v, i)
}

/// iproute2 `get_addr_ipv4`: up to four `strtoul(.., 0)` parts separated by dots, each
/// ≤ 255 (`10.8` is 10.8.0.0).
fn parse_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut cp = s;
    for (i, slot) in out.iter_mut().enumerate() {
        let (n, used) = strtoul_prefix(cp);
        if used == 0 || n > 255 {
            return None;
        }
        *slot = n as u8;
        let rest = &cp[used..];
        if rest.is_empty() {
            return Some(out);
        }
        if i == 3 || rest[0] != b'.' {
            return None;
        }
        cp = &rest[1..];
    }
    Some(out)
}

/// `mask2bits`: a contiguous netmask → its length.
fn mask2bits(mask: [u8; 4]) -> Option<u32> {
    let m = u32::from_be_bytes(mask);
    let host = !m;
    if host & host.wrapping_add(1) != 0 {
        return None;
    }
    Some(m.count_ones())
}

impl Prefix {
    /// iproute2 `get_prefix_1(dst, arg, family)`: `default`, `all`, `any`, an IPv6 address
    /// (contains `:`), or an IPv4 address, each optionally `/LEN` (LEN also as a dotted
    /// netmask). `Err` where iproute2 fails ("... prefix is expected rather than ...").
    /// AF_MPLS and AF_PACKET are not supported here.
    pub fn parse(arg: &[u8], family: u8) -> Result<Prefix, BadPrefix> {
        let (addr, len) = match arg.iter().position(|&b| b == b'/') {
            Some(i) => (&arg[..i], Some(&arg[i + 1..])),
            None => (arg, None),
        };
        let mut p = Prefix::default();
        let mut raw_bitlen: i32;
        if addr == b"default" {
            p.family = family;
            raw_bitlen = -2;
            p.len_specified = true;
        } else if addr == b"all" || addr == b"any" {
            p.family = family;
            raw_bitlen = -2;
        } else if addr.contains(&b':') {
            if family != AF_UNSPEC && family != AF_INET6 {
                return Err(BadPrefix);
            }
            let text = std::str::from_utf8(addr).map_err(|_| BadPrefix)?;
            let a: std::net::Ipv6Addr = text.parse().map_err(|_| BadPrefix)?;
            p.family = AF_INET6;
            p.data = a.octets();
            raw_bitlen = -1;
        } else {
            if family != AF_UNSPEC && family != AF_INET {
                return Err(BadPrefix);
            }
            let a = parse_ipv4(addr).ok_or(BadPrefix)?;
            p.family = AF_INET;
            p.data[..4].copy_from_slice(&a);
            raw_bitlen = -1;
        }
        let host = af_bit_len(p.family);
        match len {
            Some(l) => {
                if raw_bitlen == -2 {
                    return Err(BadPrefix);
                }
                // get_netmask: get_unsigned(base 0) or a dotted IPv4 netmask.
                let plen = match crate::rtnl::names::c_strtoul(l, 0) {
                    Some(v) if v <= u64::from(u32::MAX) && !l.is_empty() => v as u32,
                    _ => {
                        let m = parse_ipv4(l).ok_or(BadPrefix)?;
                        mask2bits(m).ok_or(BadPrefix)?
                    }
                };
                if plen as i64 > i64::from(host) {
                    return Err(BadPrefix);
                }
                p.len_specified = true;
                raw_bitlen = plen as i32;
            }
            None => {
                raw_bitlen = if raw_bitlen == -2 { 0 } else { host };
            }
        }
        p.bitlen = raw_bitlen;
        Ok(p)
    }

    /// Whether the filter is set at all (`family || PREFIXLEN_SPECIFIED`).
    pub fn is_active(&self) -> bool {
        self.family != 0 || self.len_specified
    }
}

/// iproute2 `inet_addr_match`: the first `bits` bits of `a` and `b` are equal.
pub fn prefix_match(a: &[u8; 16], b: &[u8; 16], bits: i32) -> bool {
    let bits = bits.clamp(0, 128) as usize;
    let full = bits / 8;
    if a[..full] != b[..full] {
        return false;
    }
    let rem = bits % 8;
    if rem == 0 {
        return true;
    }
    let mask = 0xffu8 << (8 - rem);
    (a[full] ^ b[full]) & mask == 0
}

/// iproute2's user-space route filter (`filter` of ip/iproute.c and `filter_nlmsg`).
/// Masks are all-ones when the selector was given.
#[derive(Clone, Debug, Default)]
pub struct RouteFilter {
    /// `-4`/`-6` (preferred family; 0 = any).
    pub family: u8,
    /// Table id (0 = `table all`).
    pub table: u32,
    /// `table cache`/`cached`.
    pub cloned: bool,
    pub protocol: u8,
    pub protocol_set: bool,
    pub scope: u8,
    pub scope_set: bool,
    /// Bit per route type (`type T`); 0 = all.
    pub typemask: u64,
    pub tos: u8,
    pub tos_set: bool,
    pub iif: u32,
    pub iif_set: bool,
    pub oif: u32,
    pub oif_set: bool,
    pub mark: u32,
    pub mark_set: bool,
    pub realm: u32,
    pub realm_mask: u32,
    pub metric: u32,
    pub metric_set: bool,
    pub prefsrc: Prefix,
    pub via: Prefix,
    pub rdst: Prefix,
    pub mdst: Prefix,
    pub rsrc: Prefix,
    pub msrc: Prefix,
    /// `ip6_multiple_tables` of `filter_nlmsg` (a function-static in iproute2): set once an
    /// IPv6 route of a table other than main was seen.
    pub ip6_multiple_tables: bool,
}

fn copy_prefix(p: Option<&[u8]>, nbytes: usize) -> [u8; 16] {
    let mut d = [0u8; 16];
    if let Some(p) = p {
        let n = nbytes.min(p.len()).min(16);
        d[..n].copy_from_slice(&p[..n]);
    }
    d
}

impl RouteFilter {
    /// The type bit of `t` (`1 << t` of iproute2; 0 for types it cannot represent).
    pub fn type_bit(t: u8) -> u64 {
        1u64.checked_shl(u32::from(t)).unwrap_or(0)
    }

    /// `filter_nlmsg`: whether `r` is shown. Updates `ip6_multiple_tables`.
    pub fn matches(&mut self, r: &Route<'_>) -> bool {
        let table = r.table();
        if self.family != 0 && r.family != self.family {
            return false;
        }
        if r.family == AF_INET6 && table != RT_TABLE_MAIN {
            self.ip6_multiple_tables = true;
        }
        if self.cloned == (r.flags & RTM_F_CLONED == 0) {
            return false;
        }
        if r.family == AF_INET6 && !self.ip6_multiple_tables {
            if self.table != 0 {
                if self.table == RT_TABLE_LOCAL {
                    if r.rtype != RTN_LOCAL {
                        return false;
                    }
                } else if self.table == RT_TABLE_MAIN {
                    if r.rtype == RTN_LOCAL {
                        return false;
                    }
                } else {
                    return false;
                }
            }
        } else if self.table > 0 && self.table != table {
            return false;
        }
        if self.protocol_set && self.protocol != r.protocol {
            return false;
        }
        if self.scope_set && self.scope != r.scope {
            return false;
        }
        if self.typemask != 0 && self.typemask & Self::type_bit(r.rtype) == 0 {
            return false;
        }
        if self.tos_set && self.tos != r.tos {
            return false;
        }
        let dst_len = i32::from(r.dst_len);
        let src_len = i32::from(r.src_len);
        if self.rdst.family != 0 {
            if r.family != self.rdst.family || self.rdst.bitlen > dst_len {
                return false;
            }
        } else if self.rdst.len_specified && self.rdst.bitlen > dst_len {
            return false;
        }
        if self.mdst.family != 0 {
            if r.family != self.mdst.family || (self.mdst.bitlen >= 0 && self.mdst.bitlen < dst_len)
            {
                return false;
            }
        } else if self.mdst.len_specified && self.mdst.bitlen >= 0 && self.mdst.bitlen < dst_len {
            return false;
        }
        if self.rsrc.family != 0 {
            if r.family != self.rsrc.family || self.rsrc.bitlen > src_len {
                return false;
            }
        } else if self.rsrc.len_specified && self.rsrc.bitlen > src_len {
            return false;
        }
        if self.msrc.family != 0 {
            if r.family != self.msrc.family || (self.msrc.bitlen >= 0 && self.msrc.bitlen < src_len)
            {
                return false;
            }
        } else if self.msrc.len_specified && self.msrc.bitlen >= 0 && self.msrc.bitlen < src_len {
            return false;
        }
        let via_attr = r.via();
        if self.via.family != 0 {
            let fam = via_attr.map_or(u16::from(r.family), |v| v.family);
            if fam != u16::from(self.via.family) {
                return false;
            }
        }
        if self.prefsrc.family != 0 && r.family != self.prefsrc.family {
            return false;
        }
        let host_bytes = (af_bit_len(r.family) / 8) as usize;
        let dst = copy_prefix(r.attr(RTA_DST), usize::from(r.dst_len).div_ceil(8));
        let src = if self.rsrc.is_active() || self.msrc.is_active() {
            copy_prefix(r.attr(RTA_SRC), usize::from(r.src_len).div_ceil(8))
        } else {
            [0; 16]
        };
        let mut via = [0u8; 16];
        if self.via.bitlen > 0 {
            if let Some(g) = r.attr(RTA_GATEWAY) {
                via = copy_prefix(Some(g), host_bytes);
            }
            if let Some(v) = via_attr {
                via = copy_prefix(Some(v.addr), v.addr.len());
            }
        }
        let mut prefsrc = [0u8; 16];
        if self.prefsrc.bitlen > 0 {
            if let Some(p) = r.attr(RTA_PREFSRC) {
                prefsrc = copy_prefix(Some(p), host_bytes);
            }
        }
        if self.rdst.is_active() && !prefix_match(&dst, &self.rdst.data, self.rdst.bitlen) {
            return false;
        }
        if self.mdst.is_active() && !prefix_match(&dst, &self.mdst.data, dst_len) {
            return false;
        }
        if self.rsrc.is_active() && !prefix_match(&src, &self.rsrc.data, self.rsrc.bitlen) {
            return false;
        }
        if self.msrc.is_active()
            && self.msrc.bitlen >= 0
            && !prefix_match(&src, &self.msrc.data, src_len)
        {
            return false;
        }
        if self.via.family != 0 && !prefix_match(&via, &self.via.data, self.via.bitlen) {
            return false;
        }
        if self.prefsrc.family != 0
            && !prefix_match(&prefsrc, &self.prefsrc.data, self.prefsrc.bitlen)
        {
            return false;
        }
        if self.realm_mask != 0 {
            let realms = r.attr_u32(RTA_FLOW).unwrap_or(0);
            if (realms ^ self.realm) & self.realm_mask != 0 {
                return false;
            }
        }
        if self.iif_set && r.attr_u32(RTA_IIF).unwrap_or(0) != self.iif {
            return false;
        }
        if self.oif_set && r.oif().unwrap_or(0) != self.oif {
            return false;
        }
        if self.mark_set && r.attr_u32(RTA_MARK).unwrap_or(0) != self.mark {
            return false;
        }
        if self.metric_set && r.priority().unwrap_or(0) != self.metric {
            return false;
        }
        true
    }
}

/// Dumps routes: sends `req` on `rtnl` and calls `f` for every route message, in the kernel's
/// order. Other message types are skipped. `Break` from `f` ends the dump with
/// [`DumpError::Stopped`]. A table that does not exist (strict checking) ends it with
/// `DumpError::Done { errno: ENOENT, .. }`.
pub fn dump(
    rtnl: &mut Rtnl,
    req: &RouteDumpRequest,
    f: &mut dyn FnMut(&Route<'_>) -> ControlFlow<()>,
) -> Result<DumpSummary, DumpError> {
    rtnl.dump_raw(
        |out, seq| request::getroute_dump(out, seq, req),
        &mut |h, p| {
            if h.kind != RTM_NEWROUTE && h.kind != RTM_DELROUTE {
                return ControlFlow::Continue(());
            }
            match Route::parse(h.kind, p) {
                Some(r) => f(&r),
                None => ControlFlow::Continue(()),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    fn rtmsg(family: u8, dst_len: u8, table: u8, proto: u8, scope: u8, ty: u8) -> Vec<u8> {
        let mut v = vec![family, dst_len, 0, 0, table, proto, scope, ty];
        v.extend_from_slice(&0u32.to_ne_bytes());
        v
    }

    #[test]
    fn parse_plain_route() {
        let mut p = rtmsg(2, 24, 254, 4, 0, 1);
        p.extend(attr(RTA_TABLE, &254u32.to_ne_bytes()));
        p.extend(attr(RTA_DST, &[198, 18, 5, 0]));
        p.extend(attr(RTA_GATEWAY, &[192, 0, 2, 2]));
        p.extend(attr(RTA_OIF, &3u32.to_ne_bytes()));
        p.extend(attr(RTA_PRIORITY, &100u32.to_ne_bytes()));
        p.extend(attr(99, &[1, 2, 3, 4])); // above RTA_MAX: ignored
        let r = Route::parse(RTM_NEWROUTE, &p).unwrap();
        assert_eq!((r.family, r.dst_len, r.protocol, r.rtype), (2, 24, 4, 1));
        assert_eq!(r.table(), 254);
        assert_eq!(r.attr(RTA_DST), Some(&[198u8, 18, 5, 0][..]));
        assert_eq!(r.oif(), Some(3));
        assert_eq!(r.priority(), Some(100));
        assert_eq!(r.first_gateway(), Some(&[192u8, 0, 2, 2][..]));
        assert!(r.metrics().is_none() && r.nexthops().is_none());
        assert!(Route::parse(RTM_NEWROUTE, &p[..11]).is_none());
    }

    #[test]
    fn table_falls_back_to_header() {
        let p = rtmsg(10, 64, 255, 2, 0, 2);
        let r = Route::parse(RTM_NEWROUTE, &p).unwrap();
        assert_eq!(r.table(), 255);
        let mut p = rtmsg(2, 0, 252, 3, 0, 7);
        p.extend(attr(RTA_TABLE, &100_000u32.to_ne_bytes()));
        assert_eq!(Route::parse(RTM_NEWROUTE, &p).unwrap().table(), 100_000);
    }

    #[test]
    fn multipath_metrics_cacheinfo_via() {
        let mut nh1 = vec![0u8; 8];
        let a = attr(RTA_GATEWAY, &[192, 0, 2, 2]);
        nh1[0..2].copy_from_slice(&((8 + a.len()) as u16).to_ne_bytes());
        nh1[2] = RTNH_F_ONLINK as u8;
        nh1[3] = 0;
        nh1[4..8].copy_from_slice(&2i32.to_ne_bytes());
        nh1.extend(a);
        let mut nh2 = vec![8, 0, 0, 1];
        nh2.extend_from_slice(&4i32.to_ne_bytes());
        let mut mp = nh1.clone();
        mp.extend(&nh2);
        mp.extend_from_slice(&[3, 0, 0, 0]); // short tail: ignored

        let mut mx = attr(RTAX_LOCK, &(1u32 << RTAX_MTU).to_ne_bytes());
        mx.extend(attr(RTAX_MTU, &1300u32.to_ne_bytes()));
        mx.extend(attr(RTAX_CC_ALGO, b"reno\0"));

        let mut ci = Vec::new();
        for v in [1u32, 2, 360000, 0, 5, 0, 0, 0] {
            ci.extend_from_slice(&v.to_ne_bytes());
        }
        let mut p = rtmsg(2, 24, 254, 3, 0, 1);
        p.extend(attr(RTA_MULTIPATH, &mp));
        p.extend(attr(RTA_METRICS, &mx));
        p.extend(attr(RTA_CACHEINFO, &ci[..12])); // short: zero-extended
        p.extend(attr(RTA_VIA, &[10, 0, 0x20, 1, 0x0d, 0xb8]));
        let r = Route::parse(RTM_NEWROUTE, &p).unwrap();
        let nhs: Vec<_> = r.nexthops().unwrap().collect();
        assert_eq!(nhs.len(), 2);
        assert_eq!((nhs[0].ifindex, nhs[0].hops, nhs[0].flags), (2, 0, 4));
        assert_eq!(nhs[0].attr(RTA_GATEWAY), Some(&[192u8, 0, 2, 2][..]));
        assert!(!nhs[1].has_attrs);
        assert_eq!((nhs[1].ifindex, nhs[1].hops), (4, 1));
        assert_eq!(r.first_oif(), Some(2));
        assert_eq!(r.first_gateway(), Some(&[192u8, 0, 2, 2][..]));
        let m = r.metrics().unwrap();
        assert_eq!(m.lock(), 4);
        assert_eq!(m.u32(RTAX_MTU), Some(1300));
        assert_eq!(m.get(RTAX_CC_ALGO), Some(&b"reno\0"[..]));
        assert_eq!(m.u32(RTAX_WINDOW), None);
        let c = r.cacheinfo().unwrap();
        assert_eq!((c.clntref, c.lastuse, c.expires, c.used), (1, 2, 360000, 0));
        let v = r.via().unwrap();
        assert_eq!(v.family, u16::from_ne_bytes([10, 0]));
        assert_eq!(v.addr, &[0x20, 1, 0x0d, 0xb8]);
    }

    #[test]
    fn zero_length_nexthop_stops() {
        let mut p = rtmsg(2, 24, 254, 3, 0, 1);
        p.extend(attr(RTA_MULTIPATH, &[0, 0, 0, 0, 1, 0, 0, 0]));
        let r = Route::parse(RTM_NEWROUTE, &p).unwrap();
        assert_eq!(r.nexthops().unwrap().count(), 0);
    }

    #[test]
    fn prefixes_parse_like_get_prefix() {
        let p = Prefix::parse(b"198.18.0.0/15", 0).unwrap();
        assert_eq!((p.family, p.bitlen, p.len_specified), (AF_INET, 15, true));
        assert_eq!(&p.data[..4], &[198, 18, 0, 0]);
        let p = Prefix::parse(b"10.8", AF_INET).unwrap();
        assert_eq!(
            (&p.data[..4], p.bitlen, p.len_specified),
            (&[10u8, 8, 0, 0][..], 32, false)
        );
        let p = Prefix::parse(b"010.0x10.0.1/255.255.0.0", 0).unwrap();
        assert_eq!((&p.data[..4], p.bitlen), (&[8u8, 16, 0, 1][..], 16));
        let p = Prefix::parse(b"default", 0).unwrap();
        assert_eq!((p.family, p.bitlen, p.len_specified), (0, 0, true));
        let p = Prefix::parse(b"all", AF_INET6).unwrap();
        assert_eq!((p.family, p.bitlen, p.len_specified), (AF_INET6, 0, false));
        let p = Prefix::parse(b"2001:db8::/32", 0).unwrap();
        assert_eq!((p.family, p.bitlen), (AF_INET6, 32));
        assert!(Prefix::parse(b"2001:db8::1", AF_INET).is_err());
        assert!(Prefix::parse(b"192.0.2.1", AF_INET6).is_err());
        assert!(Prefix::parse(b"garbage", 0).is_err());
        assert!(Prefix::parse(b"1.2.3.4/33", 0).is_err());
        assert!(Prefix::parse(b"default/0", 0).is_err());
        assert!(Prefix::parse(b"256.1.1.1", 0).is_err());
        assert!(Prefix::parse(b"1.2.3.4.5", 0).is_err());
        assert!(Prefix::parse(b"1.2.3.4/255.0.255.0", 0).is_err());
    }

    #[test]
    fn filter_selectors() {
        let mk = |dst: [u8; 4], len: u8, table: u8, ty: u8| {
            let mut p = rtmsg(AF_INET, len, table, 3, 0, ty);
            p.extend(attr(RTA_DST, &dst));
            p.extend(attr(RTA_OIF, &2u32.to_ne_bytes()));
            p
        };
        let a = mk([198, 18, 5, 0], 24, 254, RTN_UNICAST);
        let b = mk([203, 0, 113, 0], 24, 254, RTN_BLACKHOLE);
        let c = mk([198, 18, 0, 0], 15, 254, RTN_UNICAST);
        let routes: Vec<_> = [&a, &b, &c]
            .iter()
            .map(|p| Route::parse(RTM_NEWROUTE, p).unwrap())
            .collect();
        let shown = |f: &mut RouteFilter| -> Vec<usize> {
            (0..3).filter(|&i| f.matches(&routes[i])).collect()
        };
        let mut f = RouteFilter {
            table: RT_TABLE_MAIN,
            ..Default::default()
        };
        assert_eq!(shown(&mut f), vec![0, 1, 2]);
        f.rdst = Prefix::parse(b"198.18.0.0/15", 0).unwrap();
        assert_eq!(shown(&mut f), vec![0, 2], "root: inside the prefix");
        f.rdst = Prefix::default();
        f.mdst = Prefix::parse(b"198.18.5.1", 0).unwrap();
        assert_eq!(shown(&mut f), vec![0, 2], "match: covering the address");
        f.rdst = Prefix::parse(b"198.18.0.0/15", 0).unwrap();
        f.mdst = f.rdst;
        assert_eq!(shown(&mut f), vec![2], "exact");
        let mut f = RouteFilter {
            table: RT_TABLE_MAIN,
            typemask: RouteFilter::type_bit(RTN_BLACKHOLE),
            ..Default::default()
        };
        assert_eq!(shown(&mut f), vec![1]);
        let mut f = RouteFilter {
            table: 100,
            ..Default::default()
        };
        assert_eq!(shown(&mut f), Vec::<usize>::new());
        let mut f = RouteFilter {
            oif: 3,
            oif_set: true,
            ..Default::default()
        };
        assert_eq!(shown(&mut f), Vec::<usize>::new());
        let mut f = RouteFilter {
            cloned: true,
            ..Default::default()
        };
        assert_eq!(shown(&mut f), Vec::<usize>::new());
        let mut f = RouteFilter {
            family: AF_INET6,
            ..Default::default()
        };
        assert_eq!(shown(&mut f), Vec::<usize>::new());
    }

    #[test]
    fn ipv6_single_table_quirk() {
        let mut l = rtmsg(AF_INET6, 128, 255, 2, 0, RTN_LOCAL);
        l.extend(attr(RTA_TABLE, &255u32.to_ne_bytes()));
        let m = rtmsg(AF_INET6, 64, 254, 2, 0, RTN_UNICAST);
        let rl = Route::parse(RTM_NEWROUTE, &l).unwrap();
        let rm = Route::parse(RTM_NEWROUTE, &m).unwrap();
        // Before any non-main IPv6 route was seen, `table local` means "type local".
        let mut f = RouteFilter {
            table: RT_TABLE_LOCAL,
            ..Default::default()
        };
        assert!(!f.matches(&rm));
        assert!(f.matches(&rl));
        assert!(f.ip6_multiple_tables);
        assert!(!f.matches(&rm));
    }

    /// Live: the local table of a fresh namespace is not needed; the main table dump of the
    /// current namespace must at least succeed (possibly empty).
    #[test]
    fn live_dump_main() {
        let Ok(mut rtnl) = Rtnl::open() else { return };
        let _ = rtnl.set_strict_check();
        let req = RouteDumpRequest {
            family: AF_INET,
            table: Some(RT_TABLE_LOCAL),
            ..Default::default()
        };
        let mut n = 0;
        let r = dump(&mut rtnl, &req, &mut |r| {
            assert_eq!(r.family, AF_INET);
            assert_eq!(r.table(), RT_TABLE_LOCAL);
            n += 1;
            ControlFlow::Continue(())
        });
        assert!(r.is_ok(), "{r:?}");
        assert!(n >= 1, "the local table holds at least 127.0.0.1");
    }
}
