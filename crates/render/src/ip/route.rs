//! `ip route show` lines and JSON objects, field for field as iproute2 6.1's `print_route`
//! (ip/iproute.c) prints them: type, destination, source, nhid, `as to`, tos, gateway, via,
//! dev, table, proto, scope, src, metric, flags, mark, realms, uid, cache flags and cache
//! info, metrics, iif, pref, ttl-propagate, multipath next hops — with the fields a selector
//! pinned down left out (`dev`, `proto`, `table`, ... when filtered on).
//!
//! With `-d`, a route using a nexthop object (`nhid N`) is followed by that object's
//! `nh_info` line (one RTM_GETNEXTHOP per id, cached by the lookup).
//!
//! Not printed (iproute2 prints it; these commands and this fixture never produce it):
//! lightweight-tunnel encapsulation (RTA_ENCAP, also inside nexthop objects).

use sockscope_query::rtnl::consts::*;
use sockscope_query::rtnl::lookup::Lookup;
use sockscope_query::rtnl::names::{rtntype_name, IpNames};
use sockscope_query::rtnl::nexthops::NhEntry;
use sockscope_query::rtnl::routes::{af_bit_len, CacheInfo, Metrics, Nexthop, Route, RouteFilter};

use super::fmt::{addr_n2a, family_name, format_host};
use super::out::{Color, Out};
use crate::cfmt;

/// Options of the route printer.
#[derive(Clone, Copy, Debug)]
pub struct RouteOptions {
    /// `-d` (show_details > 0).
    pub details: bool,
    /// `-s` (show_stats > 0): cache users/used/age.
    pub stats: bool,
    /// `-r`: host names for full-length destinations, gateways, `as to`, `via`.
    pub resolve: bool,
    /// `sysconf(_SC_CLK_TCK)` for `expires`/`age` (100 on Linux).
    pub user_hz: u32,
}

impl Default for RouteOptions {
    fn default() -> Self {
        RouteOptions {
            details: false,
            stats: false,
            resolve: false,
            user_hz: 100,
        }
    }
}

/// Everything the route printer needs besides the output.
pub struct RouteCtx<'a> {
    pub opts: RouteOptions,
    pub names: &'a IpNames,
    pub lookup: &'a mut dyn Lookup,
    /// The selectors in force (they suppress fields).
    pub filter: &'a RouteFilter,
    scratch: Vec<u8>,
}

impl<'a> RouteCtx<'a> {
    pub fn new(
        opts: RouteOptions,
        names: &'a IpNames,
        lookup: &'a mut dyn Lookup,
        filter: &'a RouteFilter,
    ) -> RouteCtx<'a> {
        RouteCtx {
            opts,
            names,
            lookup,
            filter,
            scratch: Vec::with_capacity(128),
        }
    }
}

/// `get_real_family`: IPv4/IPv6 multicast routing entries carry RTNL_FAMILY_IPMR/IP6MR.
fn real_family(rtype: u8, family: u8) -> u8 {
    if rtype != RTN_MULTICAST {
        return family;
    }
    match family {
        RTNL_FAMILY_IPMR => AF_INET,
        RTNL_FAMILY_IP6MR => AF_INET6,
        f => f,
    }
}

/// The destination/source text: `ADDR/LEN`, the (resolved) host for a full-length prefix.
fn prefix_text(cx: &mut RouteCtx<'_>, family: u8, p: &[u8], len: u8, host_len: i32) {
    cx.scratch.clear();
    if i32::from(len) != host_len {
        addr_n2a(&mut cx.scratch, u16::from(family), p);
        cx.scratch.push(b'/');
        cfmt::u64_dec(&mut cx.scratch, u64::from(len));
    } else {
        format_host(
            &mut cx.scratch,
            u16::from(family),
            p,
            cx.opts.resolve,
            &mut *cx.lookup,
        );
    }
}

/// `print_rt_flags`: `flags` array in JSON, `NAME ` words in text.
pub fn print_rt_flags(o: &mut Out, flags: u32) {
    o.open_arr(Some("flags"));
    const NAMES: [(u32, &[u8]); 11] = [
        (RTNH_F_DEAD, b"dead"),
        (RTNH_F_ONLINK, b"onlink"),
        (RTNH_F_PERVASIVE, b"pervasive"),
        (RTNH_F_OFFLOAD, b"offload"),
        (RTNH_F_TRAP, b"trap"),
        (RTM_F_NOTIFY, b"notify"),
        (RTNH_F_LINKDOWN, b"linkdown"),
        (RTNH_F_UNRESOLVED, b"unresolved"),
        (RTM_F_OFFLOAD, b"rt_offload"),
        (RTM_F_TRAP, b"rt_trap"),
        (RTM_F_OFFLOAD_FAILED, b"rt_offload_failed"),
    ];
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            o.str_any_elem(name, b" ");
        }
    }
    o.close_arr();
}

impl Out {
    /// `print_string(PRINT_ANY, NULL, "%s<post>", v)`: an array element or text.
    pub fn str_any_elem(&mut self, v: &[u8], post: &[u8]) {
        if self.is_json() {
            self.j_str(None, v);
        } else {
            self.text(v);
            self.text(post);
        }
    }
}

fn print_gateway(o: &mut Out, cx: &mut RouteCtx<'_>, family: u8, gw: &[u8]) {
    cx.scratch.clear();
    format_host(
        &mut cx.scratch,
        u16::from(family),
        gw,
        cx.opts.resolve,
        &mut *cx.lookup,
    );
    if o.is_json() {
        o.j_str(Some("gateway"), &cx.scratch);
    } else {
        o.text(b"via ");
        o.text_color(Color::family(family), b"", &cx.scratch, b" ");
    }
}

fn print_newdst(o: &mut Out, cx: &mut RouteCtx<'_>, family: u8, p: &[u8]) {
    cx.scratch.clear();
    format_host(
        &mut cx.scratch,
        u16::from(family),
        p,
        cx.opts.resolve,
        &mut *cx.lookup,
    );
    if o.is_json() {
        o.j_str(Some("to"), &cx.scratch);
    } else {
        o.text(b"as to ");
        o.text_color(Color::family(family), b"", &cx.scratch, b" ");
    }
}

fn print_via(o: &mut Out, cx: &mut RouteCtx<'_>, p: &[u8]) {
    let Some(v) = sockscope_query::rtnl::routes::Via::parse(p) else {
        return;
    };
    cx.scratch.clear();
    format_host(
        &mut cx.scratch,
        v.family,
        v.addr,
        cx.opts.resolve,
        &mut *cx.lookup,
    );
    if o.is_json() {
        o.open_obj(Some("via"));
        o.j_str(Some("family"), family_name(v.family));
        o.j_str(Some("host"), &cx.scratch);
        o.close_obj();
    } else {
        o.text(b"via ");
        o.text(family_name(v.family));
        o.text(b" ");
        o.text_color(Color::family(v.family as u8), b"", &cx.scratch, b" ");
    }
}

fn print_flow(o: &mut Out, cx: &mut RouteCtx<'_>, flow: u32) {
    let from = flow >> 16;
    let to = flow & 0xffff;
    let mut b1 = [0u8; 24];
    let mut b2 = [0u8; 24];
    if o.is_json() {
        o.open_obj(Some("flow"));
        if from != 0 {
            let n = cx.names.realm(from, &mut b1);
            o.j_str(Some("from"), n);
        }
        let n = cx.names.realm(to, &mut b2);
        o.j_str(Some("to"), n);
        o.close_obj();
    } else {
        o.text(if from != 0 { b"realms " } else { b"realm " });
        if from != 0 {
            let n = cx.names.realm(from, &mut b1);
            o.text(n);
            o.text(b"/");
        }
        let n = cx.names.realm(to, &mut b2);
        o.text(n);
        o.text(b" ");
    }
}

fn print_ifidx(o: &mut Out, cx: &mut RouteCtx<'_>, index: u32, key: &str, pre: &[u8]) {
    let name = cx.lookup.ifname(index);
    if o.is_json() {
        o.j_str(Some(key), name);
    } else {
        o.text(pre);
        o.text_color(Color::Ifname, b"", name, b" ");
    }
}

/// `print_cache_flags`: the `cache` line of cloned IPv4 routes.
fn print_cache_flags(o: &mut Out, flags: u32) {
    let mut flags = flags & !0xffff;
    if o.is_json() {
        o.j_name("cache");
        o.open_arr(None);
    } else {
        o.text(o.sl());
        o.text(b"    cache ");
        if flags == 0 {
            return;
        }
        o.text(b"<");
    }
    const NAMES: [(u32, &[u8]); 14] = [
        (RTCF_LOCAL, b"local"),
        (RTCF_REJECT, b"reject"),
        (RTCF_MULTICAST, b"mc"),
        (RTCF_BROADCAST, b"brd"),
        (RTCF_DNAT, b"dst-nat"),
        (RTCF_SNAT, b"src-nat"),
        (RTCF_MASQ, b"masq"),
        (RTCF_DIRECTDST, b"dst-direct"),
        (RTCF_DIRECTSRC, b"src-direct"),
        (RTCF_REDIRECTED, b"redirected"),
        (RTCF_DOREDIRECT, b"redirect"),
        (RTCF_FAST, b"fastroute"),
        (RTCF_NOTIFY, b"notify"),
        (RTCF_TPROXY, b"proxy"),
    ];
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            flags &= !bit;
            if o.is_json() {
                o.j_str(None, name);
            } else {
                o.text(name);
                o.text(if flags != 0 { b"," } else { b"> " });
            }
        }
    }
    if flags != 0 {
        // print_hex(PRINT_ANY, "flags", "%x>", flags): a key inside the array in JSON.
        let mut h = Vec::new();
        cfmt::hex(&mut h, u64::from(flags));
        if o.is_json() {
            o.j_str(Some("flags"), &h);
        } else {
            o.text(&h);
            o.text(b">");
        }
    }
    if o.is_json() {
        o.close_arr();
    }
}

/// `print_rta_cacheinfo`.
fn print_cacheinfo(o: &mut Out, cx: &RouteCtx<'_>, ci: &CacheInfo) {
    let hz = cx.opts.user_hz.max(1);
    if ci.expires != 0 {
        o.i64_any(
            "expires",
            b"expires ",
            i64::from(ci.expires / hz as i32),
            b"sec ",
        );
    }
    if ci.error != 0 {
        o.u64_any("error", b"error ", u64::from(ci.error), b" ");
    }
    if cx.opts.stats {
        if ci.clntref != 0 {
            o.u64_any("users", b"users ", u64::from(ci.clntref), b" ");
        }
        if ci.used != 0 {
            o.u64_any("used", b"used ", u64::from(ci.used), b" ");
        }
        if ci.lastuse != 0 {
            o.u64_any("age", b"age ", u64::from(ci.lastuse / hz), b"sec ");
        }
    }
    if ci.id != 0 {
        o.hex_any("ipid", u64::from(ci.id), |b| {
            b.extend_from_slice(b"ipid 0x");
            cfmt::hex_pad(b, u64::from(ci.id), 4);
            b.push(b' ');
        });
    }
    if ci.ts != 0 || ci.tsage != 0 {
        o.hex_any("ts", u64::from(ci.ts), |b| {
            b.extend_from_slice(b"ts 0x");
            cfmt::hex(b, u64::from(ci.ts));
        });
        o.u64_any("tsage", b"tsage ", u64::from(ci.tsage), b"sec ");
    }
}

const MX_NAMES: [&str; 18] = [
    "",
    "",
    "mtu",
    "window",
    "rtt",
    "rttvar",
    "ssthresh",
    "cwnd",
    "advmss",
    "reordering",
    "hoplimit",
    "initcwnd",
    "features",
    "rto_min",
    "initrwnd",
    "quickack",
    "congctl",
    "fastopen_no_cookie",
];

/// `print_rta_metrics`.
fn print_metrics(o: &mut Out, m: &Metrics<'_>) {
    o.open_arr(Some("metrics"));
    o.open_obj(None);
    let lock = m.lock();
    for i in 2..=RTAX_MAX {
        let bit = 1u32.checked_shl(u32::from(i)).unwrap_or(0);
        let present = m.get(i);
        if present.is_none() && lock & bit == 0 {
            continue;
        }
        let mut val = 0u32;
        if present.is_some() && i != RTAX_CC_ALGO {
            val = m.u32(i).unwrap_or(0);
        }
        if i == RTAX_HOPLIMIT && val as i32 == -1 {
            continue;
        }
        let name = MX_NAMES[i as usize];
        if !o.is_json() {
            o.text(name.as_bytes());
            o.text(b" ");
            if lock & bit != 0 {
                o.text(b"lock ");
            }
        }
        match i {
            RTAX_FEATURES => {
                let mut features = val;
                if features & RTAX_FEATURE_ECN != 0 {
                    if o.is_json() {
                        o.j_null(Some("ecn"));
                    } else {
                        o.text(b"ecn ");
                    }
                    features &= !RTAX_FEATURE_ECN;
                }
                if features != 0 {
                    o.hex_any("features", u64::from(val), |b| {
                        cfmt::alt_hex(b, u64::from(val));
                        b.push(b' ');
                    });
                }
            }
            RTAX_RTT | RTAX_RTTVAR | RTAX_RTO_MIN => {
                if i == RTAX_RTT {
                    val /= 8;
                } else if i == RTAX_RTTVAR {
                    val /= 4;
                }
                if o.is_json() {
                    o.j_u64(Some(name), u64::from(val));
                } else if val >= 1000 {
                    let mut t = Vec::new();
                    cfmt::g(&mut t, f64::from(val) / 1e3);
                    o.text(&t);
                    o.text(b"s ");
                } else {
                    let mut t = Vec::new();
                    cfmt::u64_dec(&mut t, u64::from(val));
                    o.text(&t);
                    o.text(b"ms ");
                }
            }
            RTAX_CC_ALGO => {
                let s = sockscope_query::rtnl::c_str(present.unwrap_or(&[]));
                o.str_any(Color::None, "congestion", b"", s, b" ");
            }
            _ => o.u64_any(name, b"", u64::from(val), b" "),
        }
    }
    o.close_obj();
    o.close_arr();
}

fn print_pref(o: &mut Out, pref: u8) {
    match pref {
        ICMPV6_ROUTER_PREF_LOW => o.str_any(Color::None, "pref", b"pref ", b"low", b""),
        ICMPV6_ROUTER_PREF_MEDIUM => o.str_any(Color::None, "pref", b"pref ", b"medium", b""),
        ICMPV6_ROUTER_PREF_HIGH => o.str_any(Color::None, "pref", b"pref ", b"high", b""),
        _ => o.u64_any("pref", b"", u64::from(pref), b""),
    }
}

fn print_nexthop(
    o: &mut Out,
    cx: &mut RouteCtx<'_>,
    r: &Route<'_>,
    nh: &Nexthop<'_>,
    first: &mut bool,
) {
    let mc_cache = r.flags & RTM_F_CLONED != 0 && r.rtype == RTN_MULTICAST;
    o.open_obj(None);
    if mc_cache {
        o.text(if *first { b"Oifs: " } else { b" " });
        *first = false;
    } else {
        o.text(o.sl());
        o.text(b"\tnexthop ");
    }
    if nh.has_attrs {
        if let Some(p) = nh.attr(RTA_NEWDST) {
            print_newdst(o, cx, r.family, p);
        }
        if let Some(p) = nh.attr(RTA_GATEWAY) {
            print_gateway(o, cx, r.family, p);
        }
        if let Some(p) = nh.attr(RTA_VIA) {
            print_via(o, cx, p);
        }
        if let Some(f) = sockscope_query::rtnl::attr_u32(nh.attr(RTA_FLOW)) {
            print_flow(o, cx, f);
        }
    }
    let name = cx.lookup.ifname(nh.ifindex as u32);
    if mc_cache {
        o.str_any(Color::None, "dev", b"", name, b"");
        if nh.hops != 1 {
            o.i64_any("ttl", b"(ttl>", i64::from(nh.hops), b")");
        }
        o.text(b" ");
    } else {
        o.str_any(Color::None, "dev", b"dev ", name, b" ");
        if r.family != AF_MPLS {
            o.i64_any("weight", b"weight ", i64::from(nh.hops) + 1, b" ");
        }
    }
    print_rt_flags(o, u32::from(nh.flags));
    o.close_obj();
}

/// `print_cache_nexthop_id(fp, "\n\tnh_info ", "nh_info", id)` (`-d`, ip/ipnexthop.c
/// `__print_nexthop_entry`).
fn print_nh_info(o: &mut Out, cx: &mut RouteCtx<'_>, id: u32) {
    let Some(payload) = cx.lookup.nexthop(id).map(<[u8]>::to_vec) else {
        return;
    };
    let Some(e) = NhEntry::parse(&payload) else {
        return;
    };
    let mut b1 = [0u8; 24];
    // The prefix is printed with a literal newline (not `_SL_`).
    o.text(b"\n\tnh_info ");
    o.open_obj(Some("nh_info"));
    o.u64_any("id", b"id ", u64::from(e.id()), b" ");
    if let Some(members) = e.group() {
        o.open_arr(Some("group"));
        o.text(b"group ");
        for (i, (mid, w)) in members.enumerate() {
            o.open_obj(None);
            if i > 0 {
                o.text(b"/");
            }
            o.u64_any("id", b"", u64::from(mid), b"");
            if w != 0 {
                o.u64_any("weight", b",", u64::from(w) + 1, b"");
            }
            o.close_obj();
        }
        o.text(b" ");
        o.close_arr();
    }
    let gt = e.group_type();
    if gt != NEXTHOP_GRP_TYPE_MPATH {
        let n: &[u8] = if gt == NEXTHOP_GRP_TYPE_RES {
            b"resilient"
        } else {
            b"<unknown type>"
        };
        o.str_any(Color::None, "type", b"type ", n, b" ");
    }
    if let Some(rg) = e.res_group() {
        o.open_obj(Some("resilient_args"));
        o.u64_any("buckets", b"buckets ", u64::from(rg.buckets), b" ");
        for (key, jiffies) in [
            ("idle_timer", u64::from(rg.idle_timer)),
            ("unbalanced_timer", u64::from(rg.unbalanced_timer)),
            ("unbalanced_time", rg.unbalanced_time),
        ] {
            // __jiffies_to_tv then %g of the seconds.
            let usec = jiffies.wrapping_mul(10_000);
            let secs = (usec / 1_000_000) as f64 + (usec % 1_000_000) as f64 / 1e6;
            let mut t = Vec::new();
            cfmt::g(&mut t, secs);
            if o.is_json() {
                o.j_raw(Some(key), |b| b.extend_from_slice(&t));
            } else {
                o.text(key.as_bytes());
                o.text(b" ");
                o.text(&t);
                o.text(b" ");
            }
        }
        o.close_obj();
    }
    if let Some(gw) = e.gateway() {
        print_gateway(o, cx, e.family, gw);
    }
    if e.oif() != 0 {
        print_ifidx(o, cx, e.oif(), "dev", b"dev ");
    }
    let n = cx.names.scope(e.scope, &mut b1);
    o.str_any(Color::None, "scope", b"scope ", n, b" ");
    if e.blackhole() {
        if o.is_json() {
            o.j_null(Some("blackhole"));
        } else {
            o.text(b"blackhole ");
        }
    }
    let n = cx.names.protocol(e.protocol, &mut b1);
    o.str_any(Color::None, "protocol", b"proto ", n, b" ");
    print_rt_flags(o, e.flags);
    if e.fdb() {
        if o.is_json() {
            o.j_null(Some("fdb"));
        } else {
            o.text(b"fdb");
        }
    }
    o.close_obj();
}

/// Prints one route that passed the filter (iproute2 `print_route` after `filter_nlmsg`).
pub fn print_route(o: &mut Out, r: &Route<'_>, cx: &mut RouteCtx<'_>) {
    let f = cx.filter;
    let host_len = af_bit_len(r.family);
    let mut b1 = [0u8; 24];
    o.open_obj(None);
    if r.msg_type == RTM_DELROUTE {
        if o.is_json() {
            o.j_bool(Some("deleted"), true);
        } else {
            o.text(b"Deleted ");
        }
    }
    if (r.rtype != RTN_UNICAST || cx.opts.details)
        && (f.typemask == 0 || f.typemask & RouteFilter::type_bit(r.rtype) != 0)
    {
        let mut t = Vec::new();
        match rtntype_name(r.rtype) {
            Some(n) if !cx.names.numeric => t.extend_from_slice(n.as_bytes()),
            _ => cfmt::u64_dec(&mut t, u64::from(r.rtype)),
        }
        o.str_any(Color::None, "type", b"", &t, b" ");
    }

    // Destination.
    let mut color = Color::None;
    if let Some(dst) = r.attr(RTA_DST) {
        let fam = real_family(r.rtype, r.family);
        color = Color::family(fam);
        prefix_text(cx, fam, dst, r.dst_len, host_len);
    } else if r.dst_len != 0 {
        cx.scratch.clear();
        cx.scratch.extend_from_slice(b"0/");
        cfmt::u64_dec(&mut cx.scratch, u64::from(r.dst_len));
        cx.scratch.push(b' ');
    } else {
        cx.scratch.clear();
        cx.scratch.extend_from_slice(b"default");
    }
    let dst_text = std::mem::take(&mut cx.scratch);
    o.str_any(color, "dst", b"", &dst_text, b" ");
    cx.scratch = dst_text;

    if let Some(src) = r.attr(RTA_SRC) {
        let fam = real_family(r.rtype, r.family);
        prefix_text(cx, fam, src, r.src_len, host_len);
        let t = std::mem::take(&mut cx.scratch);
        o.str_any(Color::family(fam), "from", b"from ", &t, b" ");
        cx.scratch = t;
    } else if r.src_len != 0 {
        let mut t = b"0/".to_vec();
        cfmt::u64_dec(&mut t, u64::from(r.src_len));
        o.str_any(Color::None, "src", b"from ", &t, b" ");
    }
    if let Some(id) = r.attr_u32(RTA_NH_ID) {
        o.u64_any("nhid", b"nhid ", u64::from(id), b" ");
    }
    if let Some(p) = r.attr(RTA_NEWDST) {
        print_newdst(o, cx, r.family, p);
    }
    if r.tos != 0 && !f.tos_set {
        let n = cx.names.dsfield(r.tos, &mut b1);
        o.str_any(Color::None, "tos", b"tos ", n, b" ");
    }
    if let Some(gw) = r.attr(RTA_GATEWAY) {
        if f.via.bitlen != host_len {
            print_gateway(o, cx, r.family, gw);
        }
    }
    if let Some(p) = r.attr(RTA_VIA) {
        print_via(o, cx, p);
    }
    if let Some(oif) = r.oif() {
        if !f.oif_set {
            print_ifidx(o, cx, oif, "dev", b"dev ");
        }
    }
    let table = r.table();
    if table != 0 && (table != RT_TABLE_MAIN || cx.opts.details) && f.table == 0 {
        let n = cx.names.table(table, &mut b1);
        o.str_any(Color::None, "table", b"table ", n, b" ");
    }
    if r.flags & RTM_F_CLONED == 0 {
        if (r.protocol != RTPROT_BOOT || cx.opts.details) && !f.protocol_set {
            let n = cx.names.protocol(r.protocol, &mut b1);
            o.str_any(Color::None, "protocol", b"proto ", n, b" ");
        }
        if (r.scope != RT_SCOPE_UNIVERSE || cx.opts.details) && !f.scope_set {
            let n = cx.names.scope(r.scope, &mut b1);
            o.str_any(Color::None, "scope", b"scope ", n, b" ");
        }
    }
    if let Some(ps) = r.attr(RTA_PREFSRC) {
        if f.prefsrc.bitlen != host_len {
            cx.scratch.clear();
            addr_n2a(&mut cx.scratch, u16::from(r.family), ps);
            if o.is_json() {
                o.j_str(Some("prefsrc"), &cx.scratch);
            } else {
                o.text(b"src ");
                o.text_color(Color::family(r.family), b"", &cx.scratch, b" ");
            }
        }
    }
    if let Some(m) = r.priority() {
        if !f.metric_set {
            o.u64_any("metric", b"metric ", u64::from(m), b" ");
        }
    }
    print_rt_flags(o, r.flags);
    if let Some(mark) = r.attr_u32(RTA_MARK) {
        if mark != 0 {
            if o.is_json() {
                o.j_u64(Some("mark"), u64::from(mark));
            } else if mark >= 16 {
                let mut t = b"mark 0x".to_vec();
                cfmt::hex(&mut t, u64::from(mark));
                t.push(b' ');
                o.text(&t);
            } else {
                let mut t = b"mark ".to_vec();
                cfmt::u64_dec(&mut t, u64::from(mark));
                t.push(b' ');
                o.text(&t);
            }
        }
    }
    if let Some(flow) = r.attr_u32(RTA_FLOW) {
        if f.realm_mask != u32::MAX {
            print_flow(o, cx, flow);
        }
    }
    if let Some(uid) = r.attr_u32(RTA_UID) {
        o.u64_any("uid", b"uid ", u64::from(uid), b" ");
    }
    if r.family == AF_INET {
        if r.flags & RTM_F_CLONED != 0 {
            print_cache_flags(o, r.flags);
        }
        if let Some(ci) = r.cacheinfo() {
            print_cacheinfo(o, cx, &ci);
        }
    } else if r.family == AF_INET6 {
        if let Some(ci) = r.cacheinfo() {
            print_cacheinfo(o, cx, &ci);
        }
    }
    if let Some(m) = r.metrics() {
        print_metrics(o, &m);
    }
    if let Some(iif) = r.attr_u32(RTA_IIF) {
        if !f.iif_set {
            print_ifidx(o, cx, iif, "iif", b"iif ");
        }
    }
    if let Some(p) = r.pref() {
        print_pref(o, p);
    }
    if let Some(p) = r.attr(RTA_TTL_PROPAGATE).and_then(|p| p.first().copied()) {
        if o.is_json() {
            o.j_bool(Some("ttl-propogate"), p != 0);
        } else {
            o.text(b"ttl-propogate ");
            o.text(if p != 0 { b"enabled" } else { b"disabled" });
        }
    }
    if cx.opts.details {
        if let Some(id) = r.attr_u32(RTA_NH_ID) {
            print_nh_info(o, cx, id);
        }
    }
    if let Some(nhs) = r.nexthops() {
        o.open_arr(Some("nexthops"));
        let mut first = true;
        for nh in nhs {
            print_nexthop(o, cx, r, &nh, &mut first);
        }
        o.close_arr();
    }
    o.text(b"\n");
    o.close_obj();
}

#[cfg(test)]
mod tests {
    use super::super::out::OutOptions;
    use super::super::testing::{attr, FakeLookup};
    use super::*;

    fn rtmsg(
        family: u8,
        dst_len: u8,
        table: u8,
        proto: u8,
        scope: u8,
        ty: u8,
        flags: u32,
    ) -> Vec<u8> {
        let mut v = vec![family, dst_len, 0, 0, table, proto, scope, ty];
        v.extend_from_slice(&flags.to_ne_bytes());
        v
    }

    fn render(p: &[u8], opts: OutOptions, f: &RouteFilter, ro: RouteOptions) -> String {
        let names = IpNames::builtin(false);
        let mut lk = FakeLookup::default();
        let mut cx = RouteCtx::new(ro, &names, &mut lk, f);
        let mut o = Out::new(opts);
        let r = Route::parse(RTM_NEWROUTE, p).unwrap();
        print_route(&mut o, &r, &mut cx);
        String::from_utf8(o.buf).unwrap()
    }

    fn main_filter() -> RouteFilter {
        RouteFilter {
            table: RT_TABLE_MAIN,
            ..Default::default()
        }
    }

    #[test]
    fn kernel_route_line() {
        let mut p = rtmsg(2, 24, 254, 2, 253, 1, 0);
        p.extend(attr(RTA_TABLE, &254u32.to_ne_bytes()));
        p.extend(attr(RTA_DST, &[192, 0, 2, 0]));
        p.extend(attr(RTA_PREFSRC, &[192, 0, 2, 1]));
        p.extend(attr(RTA_OIF, &2u32.to_ne_bytes()));
        let t = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(
            t,
            "192.0.2.0/24 dev veth0 proto kernel scope link src 192.0.2.1 \n"
        );
        let j = render(
            &p,
            OutOptions {
                json: true,
                ..Default::default()
            },
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(
            j,
            "{\"dst\":\"192.0.2.0/24\",\"dev\":\"veth0\",\"protocol\":\"kernel\",\"scope\":\"link\",\"prefsrc\":\"192.0.2.1\",\"flags\":[]}"
        );
        let d = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions {
                details: true,
                ..Default::default()
            },
        );
        assert_eq!(
            d,
            "unicast 192.0.2.0/24 dev veth0 proto kernel scope link src 192.0.2.1 \n"
        );
    }

    #[test]
    fn metrics_and_ipv6_pref() {
        let mut mx = attr(RTAX_LOCK, &(1u32 << RTAX_MTU).to_ne_bytes());
        mx.extend(attr(RTAX_MTU, &1300u32.to_ne_bytes()));
        mx.extend(attr(RTAX_RTT, &800u32.to_ne_bytes()));
        mx.extend(attr(RTAX_RTO_MIN, &1500u32.to_ne_bytes()));
        mx.extend(attr(RTAX_FEATURES, &1u32.to_ne_bytes()));
        mx.extend(attr(RTAX_CC_ALGO, b"reno\0"));
        let mut p = rtmsg(2, 24, 254, 3, 0, 1, RTNH_F_ONLINK);
        p.extend(attr(RTA_DST, &[198, 19, 9, 0]));
        p.extend(attr(RTA_GATEWAY, &[192, 0, 2, 2]));
        p.extend(attr(RTA_OIF, &2u32.to_ne_bytes()));
        p.extend(attr(RTA_METRICS, &mx));
        let t = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(
            t,
            "198.19.9.0/24 via 192.0.2.2 dev veth0 onlink mtu lock 1300 rtt 100ms features ecn rto_min 1.5s congctl reno \n"
        );
        let j = render(
            &p,
            OutOptions {
                json: true,
                ..Default::default()
            },
            &main_filter(),
            RouteOptions::default(),
        );
        assert!(j.ends_with(
            "\"flags\":[\"onlink\"],\"metrics\":[{\"mtu\":1300,\"rtt\":100,\"ecn\":null,\"rto_min\":1500,\"congestion\":\"reno\"}]}"
        ), "{j}");

        let mut ci = Vec::new();
        for v in [0u32, 0, 356_600, 0, 0, 0, 0, 0] {
            ci.extend_from_slice(&v.to_ne_bytes());
        }
        let mut p = rtmsg(10, 48, 254, 3, 0, 1, 0);
        p.extend(attr(
            RTA_DST,
            &[0x20, 1, 0xd, 0xb8, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        ));
        p.extend(attr(
            RTA_GATEWAY,
            &[0x20, 1, 0xd, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2],
        ));
        p.extend(attr(RTA_OIF, &2u32.to_ne_bytes()));
        p.extend(attr(RTA_PRIORITY, &1024u32.to_ne_bytes()));
        p.extend(attr(RTA_CACHEINFO, &ci));
        p.extend(attr(RTA_PREF, &[0]));
        let t = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(
            t,
            "2001:db8:200::/48 via 2001:db8:1::2 dev veth0 metric 1024 expires 3566sec pref medium\n"
        );
    }

    #[test]
    fn multipath_and_filters_suppress_fields() {
        let mut nh = Vec::new();
        for (gw, ifi, hops) in [([192u8, 0, 2, 2], 2i32, 0u8), ([198, 51, 100, 2], 4, 1)] {
            let a = attr(RTA_GATEWAY, &gw);
            nh.extend_from_slice(&((8 + a.len()) as u16).to_ne_bytes());
            nh.push(0);
            nh.push(hops);
            nh.extend_from_slice(&ifi.to_ne_bytes());
            nh.extend(a);
        }
        let mut p = rtmsg(2, 24, 254, 3, 0, 1, 0);
        p.extend(attr(RTA_DST, &[198, 18, 5, 0]));
        p.extend(attr(RTA_MULTIPATH, &nh));
        let t = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(
            t,
            "198.18.5.0/24 \n\tnexthop via 192.0.2.2 dev veth0 weight 1 \n\tnexthop via 198.51.100.2 dev br0 weight 2 \n"
        );
        let o = render(
            &p,
            OutOptions {
                oneline: true,
                ..Default::default()
            },
            &main_filter(),
            RouteOptions::default(),
        );
        assert!(o.starts_with("198.18.5.0/24 \\\tnexthop via"), "{o}");

        let mut p = rtmsg(2, 24, 100, 4, 253, 1, 0);
        p.extend(attr(RTA_TABLE, &100u32.to_ne_bytes()));
        p.extend(attr(RTA_DST, &[198, 18, 200, 0]));
        p.extend(attr(RTA_OIF, &4u32.to_ne_bytes()));
        let all = RouteFilter::default();
        let t = render(&p, OutOptions::default(), &all, RouteOptions::default());
        assert_eq!(
            t,
            "198.18.200.0/24 dev br0 table 100 proto static scope link \n"
        );
        let f = RouteFilter {
            oif: 4,
            oif_set: true,
            protocol: 4,
            protocol_set: true,
            scope_set: true,
            ..Default::default()
        };
        let t = render(&p, OutOptions::default(), &f, RouteOptions::default());
        assert_eq!(t, "198.18.200.0/24 table 100 \n");
    }

    #[test]
    fn special_destinations_and_types() {
        let p = rtmsg(2, 0, 100, 3, 0, RTN_UNREACHABLE, 0);
        let t = render(
            &p,
            OutOptions::default(),
            &RouteFilter::default(),
            RouteOptions::default(),
        );
        assert_eq!(t, "unreachable default table 100 \n");
        let p = rtmsg(2, 8, 254, 3, 0, 1, 0);
        let t = render(
            &p,
            OutOptions::default(),
            &main_filter(),
            RouteOptions::default(),
        );
        assert_eq!(t, "0/8  \n", "0/LEN carries its own space");
        let mut p = rtmsg(2, 32, 255, 2, 254, RTN_LOCAL, 0);
        p.extend(attr(RTA_DST, &[127, 0, 0, 1]));
        let mut f = main_filter();
        f.typemask = RouteFilter::type_bit(RTN_UNICAST);
        let t = render(&p, OutOptions::default(), &f, RouteOptions::default());
        assert_eq!(
            t, "127.0.0.1 proto kernel scope host \n",
            "type hidden by the type filter"
        );
    }
}
