//! `ip link show` records as iproute2 6.1's `print_linkinfo` (ip/ipaddress.c) prints them:
//! the first line (index, `name@link`, flags, mtu, qdisc, master, state, mode, group, qlen),
//! the `link/TYPE` line with addresses and netns, the `-d` details (promiscuity, kind data for
//! veth, bridge, bridge ports, macvlan/macvtap and tun/tap, address generation mode, queues,
//! GSO/TSO/GRO limits), the alias, the `-s`/`-s -s` statistics block (`print_stats64`), the
//! altnames; the brief (`-br`) form; and the JSON objects of all of these.
//!
//! Not printed (no such links here): XDP programs, SR-IOV VF lists, kinds other than the
//! above (their `-d` line shows only the kind name), the RTM_GETLINK-less SIOCGIFTXQLEN
//! fallback for `qlen`.

use sockscope_query::rtnl::consts::*;
use sockscope_query::rtnl::links::{nested, Link, LinkInfo, Stats64};
use sockscope_query::rtnl::lookup::Lookup;
use sockscope_query::rtnl::names::IpNames;
use sockscope_query::rtnl::{attr_u16, attr_u32, attr_u64, c_str};

use super::fmt::{hexstring, ll_addr_n2a, ll_type_n2a, print_num, size_columns, Human};
use super::out::{Color, Out};
use crate::cfmt;

/// Options of the link printer.
#[derive(Clone, Copy, Debug, Default)]
pub struct LinkOptions {
    /// `-d`.
    pub details: bool,
    /// `-s` count (1 = counters, 2+ = also the error breakdown).
    pub stats: u32,
    /// `-br`.
    pub brief: bool,
    /// `-h` / `-iec`.
    pub human: Human,
    /// `ip link` (iproute2 `do_link`): the `mode` field and the alias are printed.
    pub do_link: bool,
}

/// Everything the link printer needs besides the output.
pub struct LinkCtx<'a> {
    pub opts: LinkOptions,
    pub names: &'a IpNames,
    pub lookup: &'a mut dyn Lookup,
}

const OPER_STATES: [&[u8]; 7] = [
    b"UNKNOWN",
    b"NOTPRESENT",
    b"DOWN",
    b"LOWERLAYERDOWN",
    b"TESTING",
    b"DORMANT",
    b"UP",
];

/// `print_link_flags`.
fn print_link_flags(o: &mut Out, flags: u32, mdown: bool) {
    o.open_arr_any("flags", b"<");
    let mut flags = flags;
    if flags & IFF_UP != 0 && flags & IFF_RUNNING == 0 {
        o.str_any_elem(b"NO-CARRIER", if flags != 0 { b"," } else { b"" });
    }
    flags &= !IFF_RUNNING;
    const NAMES: [(u32, &[u8]); 18] = [
        (IFF_LOOPBACK, b"LOOPBACK"),
        (IFF_BROADCAST, b"BROADCAST"),
        (IFF_POINTOPOINT, b"POINTOPOINT"),
        (IFF_MULTICAST, b"MULTICAST"),
        (IFF_NOARP, b"NOARP"),
        (IFF_ALLMULTI, b"ALLMULTI"),
        (IFF_PROMISC, b"PROMISC"),
        (IFF_MASTER, b"MASTER"),
        (IFF_SLAVE, b"SLAVE"),
        (IFF_DEBUG, b"DEBUG"),
        (IFF_DYNAMIC, b"DYNAMIC"),
        (IFF_AUTOMEDIA, b"AUTOMEDIA"),
        (IFF_PORTSEL, b"PORTSEL"),
        (IFF_NOTRAILERS, b"NOTRAILERS"),
        (IFF_UP, b"UP"),
        (IFF_LOWER_UP, b"LOWER_UP"),
        (IFF_DORMANT, b"DORMANT"),
        (IFF_ECHO, b"ECHO"),
    ];
    for (bit, name) in NAMES {
        if flags & bit != 0 {
            flags &= !bit;
            o.str_any_elem(name, if flags != 0 { b"," } else { b"" });
        }
    }
    if flags != 0 {
        let mut h = Vec::new();
        cfmt::hex(&mut h, u64::from(flags));
        o.str_any_elem(&h, b"");
    }
    if mdown {
        if o.is_json() {
            o.j_str(None, b"M-DOWN");
        } else {
            o.text(b",M-DOWN");
        }
    }
    o.close_arr_any(b"> ");
}

/// `print_name_and_link`: `name` or `name@link`; returns the M-DOWN flag.
fn print_name_and_link(
    o: &mut Out,
    cx: &mut LinkCtx<'_>,
    name: &[u8],
    l: &Link<'_>,
    brief: bool,
) -> bool {
    let mut shown: Vec<u8> = name.to_vec();
    let mut mdown = false;
    if let Some(iflink) = l.link() {
        if iflink != 0 {
            if l.attr(IFLA_LINK_NETNSID).is_some() {
                if o.is_json() {
                    o.j_i64(Some("link_index"), i64::from(iflink as i32));
                } else {
                    shown.extend_from_slice(b"@if");
                    cfmt::u64_dec(&mut shown, u64::from(iflink));
                }
            } else {
                let peer = cx.lookup.ifname(iflink).to_vec();
                if o.is_json() {
                    o.j_str(Some("link"), &peer);
                } else {
                    shown.push(b'@');
                    shown.extend_from_slice(&peer);
                }
                // ll_index_to_flags: -1 (all bits) when the index is not cached.
                let fl = cx.lookup.ifflags(iflink).unwrap_or(u32::MAX);
                mdown = fl & IFF_UP == 0;
            }
        } else if o.is_json() {
            o.j_null(Some("link"));
        } else {
            shown.extend_from_slice(b"@NONE");
        }
    }
    // The C buffer is SPRINT_BUF (64 bytes).
    shown.truncate(63);
    if brief {
        let mut padded = shown.clone();
        if padded.len() < 16 {
            padded.resize(16, b' ');
        }
        if o.is_json() {
            o.j_str(Some("ifname"), &shown);
        } else {
            o.text_color(Color::Ifname, b"", &padded, b" ");
        }
    } else {
        o.str_any(Color::Ifname, "ifname", b"", &shown, b": ");
    }
    mdown
}

/// `print_operstate`.
fn print_operstate(o: &mut Out, state: u8, brief: bool) {
    match OPER_STATES.get(state as usize) {
        None => {
            if o.is_json() {
                o.j_u64(Some("operstate_index"), u64::from(state));
            } else {
                let mut t = b"state ".to_vec();
                cfmt::alt_hex(&mut t, u64::from(state));
                o.text(&t);
            }
        }
        Some(name) if brief => {
            if o.is_json() {
                o.j_str(Some("operstate"), name);
            } else {
                let mut padded = name.to_vec();
                padded.resize(padded.len().max(14), b' ');
                o.text_color(Color::operstate(state), b"", &padded, b" ");
            }
        }
        Some(name) => {
            if o.is_json() {
                o.j_str(Some("operstate"), name);
            } else {
                o.text(b"state ");
                o.text_color(Color::operstate(state), b"", name, b" ");
            }
        }
    }
}

fn ll_addr(l: &Link<'_>, attr: u16) -> Option<Vec<u8>> {
    let p = l.attr(attr)?;
    let mut t = Vec::with_capacity(20);
    ll_addr_n2a(&mut t, p, l.ifi_type);
    Some(t)
}

/// `br_dump_bridge_id`: `%.2x%.2x.` + glibc `ether_ntoa` (`%x:%x:...`).
fn bridge_id(p: &[u8]) -> Vec<u8> {
    let mut a = [0u8; 8];
    let n = p.len().min(8);
    a[..n].copy_from_slice(&p[..n]);
    let mut t = Vec::with_capacity(24);
    cfmt::hex_pad(&mut t, u64::from(a[0]), 2);
    cfmt::hex_pad(&mut t, u64::from(a[1]), 2);
    t.push(b'.');
    for (i, &b) in a[2..8].iter().enumerate() {
        if i > 0 {
            t.push(b':');
        }
        cfmt::hex(&mut t, u64::from(b));
    }
    t
}

/// `_bridge_print_timer` / `_print_timer`: jiffies (centiseconds) as `%4i.%.2i`, a raw
/// number in JSON.
fn print_timer(o: &mut Out, name: &str, jiffies: u64) {
    let usec = jiffies.wrapping_mul(10_000);
    let sec = (usec / 1_000_000) as i32;
    let cs = ((usec % 1_000_000) / 10_000) as i32;
    let mut t = Vec::new();
    cfmt::i64_dec(&mut t, i64::from(sec));
    t.push(b'.');
    if cs < 10 {
        t.push(b'0');
    }
    cfmt::i64_dec(&mut t, i64::from(cs));
    if o.is_json() {
        o.j_name(name);
        o.j_raw(None, |b| b.extend_from_slice(&t));
    } else {
        o.text(name.as_bytes());
        o.text(b" ");
        if t.len() < 7 {
            let pad = 7 - t.len();
            o.text(&b"       "[..pad]);
        }
        o.text(&t);
        o.text(b" ");
    }
}

fn u8a(p: Option<&[u8]>) -> Option<u8> {
    p.and_then(|p| p.first().copied())
}

/// `bridge_print_opt`.
fn print_bridge(o: &mut Out, tb: &[Option<&[u8]>]) {
    let g = |i: u16| tb.get(i as usize).copied().flatten();
    let u32f = |o: &mut Out, i: u16, key: &str, label: &[u8]| {
        if let Some(v) = attr_u32(g(i)) {
            o.u64_any(key, label, u64::from(v), b" ");
        }
    };
    let u16f = |o: &mut Out, i: u16, key: &str, label: &[u8]| {
        if let Some(v) = attr_u16(g(i)) {
            o.u64_any(key, label, u64::from(v), b" ");
        }
    };
    let u8f = |o: &mut Out, i: u16, key: &str, label: &[u8]| {
        if let Some(v) = u8a(g(i)) {
            o.u64_any(key, label, u64::from(v), b" ");
        }
    };
    let u64f = |o: &mut Out, i: u16, key: &str, label: &[u8]| {
        if let Some(v) = attr_u64(g(i)) {
            o.u64_any(key, label, v, b" ");
        }
    };
    u32f(o, IFLA_BR_FORWARD_DELAY, "forward_delay", b"forward_delay ");
    u32f(o, IFLA_BR_HELLO_TIME, "hello_time", b"hello_time ");
    u32f(o, IFLA_BR_MAX_AGE, "max_age", b"max_age ");
    u32f(o, IFLA_BR_AGEING_TIME, "ageing_time", b"ageing_time ");
    u32f(o, IFLA_BR_STP_STATE, "stp_state", b"stp_state ");
    u16f(o, IFLA_BR_PRIORITY, "priority", b"priority ");
    u8f(
        o,
        IFLA_BR_VLAN_FILTERING,
        "vlan_filtering",
        b"vlan_filtering ",
    );
    if let Some(p) = g(IFLA_BR_VLAN_PROTOCOL) {
        let v = p.get(..2).map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
        let mut t = Vec::new();
        match v {
            0x8100 => t.extend_from_slice(b"802.1Q"),
            0x88a8 => t.extend_from_slice(b"802.1ad"),
            _ => {
                t.push(b'[');
                cfmt::u64_dec(&mut t, u64::from(v));
                t.push(b']');
            }
        }
        o.str_any(Color::None, "vlan_protocol", b"vlan_protocol ", &t, b" ");
    }
    if let Some(p) = g(IFLA_BR_BRIDGE_ID) {
        o.str_any(Color::None, "bridge_id", b"bridge_id ", &bridge_id(p), b" ");
    }
    if g(IFLA_BR_ROOT_ID).is_some() {
        // iproute2 6.1 formats the bridge id here (it passes IFLA_BR_BRIDGE_ID).
        let id = bridge_id(g(IFLA_BR_BRIDGE_ID).unwrap_or(&[]));
        o.str_any(Color::None, "root_id", b"designated_root ", &id, b" ");
    }
    u16f(o, IFLA_BR_ROOT_PORT, "root_port", b"root_port ");
    u32f(
        o,
        IFLA_BR_ROOT_PATH_COST,
        "root_path_cost",
        b"root_path_cost ",
    );
    u8f(
        o,
        IFLA_BR_TOPOLOGY_CHANGE,
        "topology_change",
        b"topology_change ",
    );
    u8f(
        o,
        IFLA_BR_TOPOLOGY_CHANGE_DETECTED,
        "topology_change_detected",
        b"topology_change_detected ",
    );
    for (i, name) in [
        (IFLA_BR_HELLO_TIMER, "hello_timer"),
        (IFLA_BR_TCN_TIMER, "tcn_timer"),
        (IFLA_BR_TOPOLOGY_CHANGE_TIMER, "topology_change_timer"),
        (IFLA_BR_GC_TIMER, "gc_timer"),
    ] {
        if let Some(p) = g(i) {
            print_timer(o, name, attr_u64(Some(p)).unwrap_or(0));
        }
    }
    u16f(
        o,
        IFLA_BR_VLAN_DEFAULT_PVID,
        "vlan_default_pvid",
        b"vlan_default_pvid ",
    );
    u8f(
        o,
        IFLA_BR_VLAN_STATS_ENABLED,
        "vlan_stats_enabled",
        b"vlan_stats_enabled ",
    );
    u8f(
        o,
        IFLA_BR_VLAN_STATS_PER_PORT,
        "vlan_stats_per_port",
        b"vlan_stats_per_port ",
    );
    if let Some(v) = attr_u16(g(IFLA_BR_GROUP_FWD_MASK)) {
        o.hex_any("group_fwd_mask", u64::from(v), |b| {
            b.extend_from_slice(b"group_fwd_mask ");
            cfmt::alt_hex(b, u64::from(v));
            b.push(b' ');
        });
    }
    if let Some(p) = g(IFLA_BR_GROUP_ADDR) {
        let mut t = Vec::new();
        ll_addr_n2a(&mut t, p, ARPHRD_ETHER);
        o.str_any(Color::None, "group_addr", b"group_address ", &t, b" ");
    }
    u8f(
        o,
        IFLA_BR_MCAST_SNOOPING,
        "mcast_snooping",
        b"mcast_snooping ",
    );
    if let Some(p) = g(IFLA_BR_MULTI_BOOLOPT) {
        // struct br_boolopt_multi { __u32 optval; __u32 optmask; }
        let optval = attr_u32(Some(p)).unwrap_or(0);
        let optmask = attr_u32(p.get(4..)).unwrap_or(0);
        let ll = 1u32 << BR_BOOLOPT_NO_LL_LEARN;
        let mcvl = 1u32 << BR_BOOLOPT_MCAST_VLAN_SNOOPING;
        if optmask & ll != 0 {
            o.u64_any(
                "no_linklocal_learn",
                b"no_linklocal_learn ",
                u64::from(optval & ll != 0),
                b" ",
            );
        }
        if optmask & mcvl != 0 {
            o.u64_any(
                "mcast_vlan_snooping",
                b"mcast_vlan_snooping ",
                u64::from(optval & mcvl != 0),
                b" ",
            );
        }
    }
    u8f(o, IFLA_BR_MCAST_ROUTER, "mcast_router", b"mcast_router ");
    u8f(
        o,
        IFLA_BR_MCAST_QUERY_USE_IFADDR,
        "mcast_query_use_ifaddr",
        b"mcast_query_use_ifaddr ",
    );
    u8f(o, IFLA_BR_MCAST_QUERIER, "mcast_querier", b"mcast_querier ");
    u32f(
        o,
        IFLA_BR_MCAST_HASH_ELASTICITY,
        "mcast_hash_elasticity",
        b"mcast_hash_elasticity ",
    );
    u32f(
        o,
        IFLA_BR_MCAST_HASH_MAX,
        "mcast_hash_max",
        b"mcast_hash_max ",
    );
    u32f(
        o,
        IFLA_BR_MCAST_LAST_MEMBER_CNT,
        "mcast_last_member_cnt",
        b"mcast_last_member_count ",
    );
    u32f(
        o,
        IFLA_BR_MCAST_STARTUP_QUERY_CNT,
        "mcast_startup_query_cnt",
        b"mcast_startup_query_count ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_LAST_MEMBER_INTVL,
        "mcast_last_member_intvl",
        b"mcast_last_member_interval ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_MEMBERSHIP_INTVL,
        "mcast_membership_intvl",
        b"mcast_membership_interval ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_QUERIER_INTVL,
        "mcast_querier_intvl",
        b"mcast_querier_interval ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_QUERY_INTVL,
        "mcast_query_intvl",
        b"mcast_query_interval ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_QUERY_RESPONSE_INTVL,
        "mcast_query_response_intvl",
        b"mcast_query_response_interval ",
    );
    u64f(
        o,
        IFLA_BR_MCAST_STARTUP_QUERY_INTVL,
        "mcast_startup_query_intvl",
        b"mcast_startup_query_interval ",
    );
    u8f(
        o,
        IFLA_BR_MCAST_STATS_ENABLED,
        "mcast_stats_enabled",
        b"mcast_stats_enabled ",
    );
    u8f(
        o,
        IFLA_BR_MCAST_IGMP_VERSION,
        "mcast_igmp_version",
        b"mcast_igmp_version ",
    );
    u8f(
        o,
        IFLA_BR_MCAST_MLD_VERSION,
        "mcast_mld_version",
        b"mcast_mld_version ",
    );
    u8f(
        o,
        IFLA_BR_NF_CALL_IPTABLES,
        "nf_call_iptables",
        b"nf_call_iptables ",
    );
    u8f(
        o,
        IFLA_BR_NF_CALL_IP6TABLES,
        "nf_call_ip6tables",
        b"nf_call_ip6tables ",
    );
    u8f(
        o,
        IFLA_BR_NF_CALL_ARPTABLES,
        "nf_call_arptables",
        b"nf_call_arptables ",
    );
}

/// `bridge_slave_print_opt`.
fn print_bridge_slave(o: &mut Out, cx: &mut LinkCtx<'_>, tb: &[Option<&[u8]>]) {
    let g = |i: u16| tb.get(i as usize).copied().flatten();
    let on_off = |o: &mut Out, i: u16, key: &str, label: &[u8]| {
        if let Some(v) = u8a(g(i)) {
            o.on_off_any(key, label, v != 0, b" ");
        }
    };
    if let Some(st) = u8a(g(IFLA_BRPORT_STATE)) {
        const STATES: [&[u8]; 5] = [
            b"disabled",
            b"listening",
            b"learning",
            b"forwarding",
            b"blocking",
        ];
        match STATES.get(st as usize) {
            Some(n) => o.str_any(Color::None, "state", b"state ", n, b" "),
            None => o.i64_any("state_index", b"state (", i64::from(st), b") "),
        }
    }
    if let Some(v) = attr_u16(g(IFLA_BRPORT_PRIORITY)) {
        o.i64_any("priority", b"priority ", i64::from(v), b" ");
    }
    if let Some(v) = attr_u32(g(IFLA_BRPORT_COST)) {
        o.i64_any("cost", b"cost ", i64::from(v as i32), b" ");
    }
    on_off(o, IFLA_BRPORT_MODE, "hairpin", b"hairpin ");
    on_off(o, IFLA_BRPORT_GUARD, "guard", b"guard ");
    on_off(o, IFLA_BRPORT_PROTECT, "root_block", b"root_block ");
    on_off(o, IFLA_BRPORT_FAST_LEAVE, "fastleave", b"fastleave ");
    on_off(o, IFLA_BRPORT_LEARNING, "learning", b"learning ");
    on_off(o, IFLA_BRPORT_UNICAST_FLOOD, "flood", b"flood ");
    for (i, key, label) in [
        (IFLA_BRPORT_ID, "id", &b"port_id "[..]),
        (IFLA_BRPORT_NO, "no", &b"port_no "[..]),
    ] {
        if let Some(v) = attr_u16(g(i)) {
            o.hex_any(key, u64::from(v), |b| {
                b.extend_from_slice(label);
                cfmt::alt_hex(b, u64::from(v));
                b.push(b' ');
            });
        }
    }
    if let Some(v) = attr_u16(g(IFLA_BRPORT_DESIGNATED_PORT)) {
        o.u64_any("designated_port", b"designated_port ", u64::from(v), b" ");
    }
    if let Some(v) = attr_u16(g(IFLA_BRPORT_DESIGNATED_COST)) {
        o.u64_any("designated_cost", b"designated_cost ", u64::from(v), b" ");
    }
    if let Some(p) = g(IFLA_BRPORT_BRIDGE_ID) {
        o.str_any(
            Color::None,
            "bridge_id",
            b"designated_bridge ",
            &bridge_id(p),
            b" ",
        );
    }
    if let Some(p) = g(IFLA_BRPORT_ROOT_ID) {
        o.str_any(
            Color::None,
            "root_id",
            b"designated_root ",
            &bridge_id(p),
            b" ",
        );
    }
    for (i, name) in [
        (IFLA_BRPORT_HOLD_TIMER, "hold_timer"),
        (IFLA_BRPORT_MESSAGE_AGE_TIMER, "message_age_timer"),
        (IFLA_BRPORT_FORWARD_DELAY_TIMER, "forward_delay_timer"),
    ] {
        if let Some(p) = g(i) {
            print_timer(o, name, attr_u64(Some(p)).unwrap_or(0));
        }
    }
    if let Some(v) = u8a(g(IFLA_BRPORT_TOPOLOGY_CHANGE_ACK)) {
        o.u64_any(
            "topology_change_ack",
            b"topology_change_ack ",
            u64::from(v),
            b" ",
        );
    }
    if let Some(v) = u8a(g(IFLA_BRPORT_CONFIG_PENDING)) {
        o.u64_any("config_pending", b"config_pending ", u64::from(v), b" ");
    }
    on_off(o, IFLA_BRPORT_PROXYARP, "proxy_arp", b"proxy_arp ");
    on_off(
        o,
        IFLA_BRPORT_PROXYARP_WIFI,
        "proxy_arp_wifi",
        b"proxy_arp_wifi ",
    );
    if let Some(v) = u8a(g(IFLA_BRPORT_MULTICAST_ROUTER)) {
        o.u64_any("multicast_router", b"mcast_router ", u64::from(v), b" ");
    }
    if let Some(v) = u8a(g(IFLA_BRPORT_FAST_LEAVE)) {
        o.text(b"mcast_fast_leave ");
        o.text(if v != 0 { b"on " } else { b"off " });
    }
    on_off(o, IFLA_BRPORT_MCAST_FLOOD, "mcast_flood", b"mcast_flood ");
    on_off(o, IFLA_BRPORT_BCAST_FLOOD, "bcast_flood", b"bcast_flood ");
    on_off(
        o,
        IFLA_BRPORT_MCAST_TO_UCAST,
        "mcast_to_unicast",
        b"mcast_to_unicast ",
    );
    on_off(
        o,
        IFLA_BRPORT_NEIGH_SUPPRESS,
        "neigh_suppress",
        b"neigh_suppress ",
    );
    if let Some(v) = attr_u16(g(IFLA_BRPORT_GROUP_FWD_MASK)) {
        o.hex_any("group_fwd_mask", u64::from(v), |b| {
            b.extend_from_slice(b"group_fwd_mask ");
            cfmt::alt_hex(b, u64::from(v));
            b.push(b' ');
        });
        // _bitmask2str with fwd_mask_tbl {0: stp, 2: lacp, 14: lldp}.
        let mut s = Vec::new();
        for i in 0..16u32 {
            if v & (1 << i) != 0 {
                match i {
                    0 => s.extend_from_slice(b"stp,"),
                    2 => s.extend_from_slice(b"lacp,"),
                    14 => s.extend_from_slice(b"lldp,"),
                    _ => {
                        s.extend_from_slice(b"0x");
                        cfmt::hex(&mut s, 1u64 << i);
                        s.push(b',');
                    }
                }
            }
        }
        if s.is_empty() {
            s.extend_from_slice(b"0x0");
        } else {
            s.pop();
        }
        o.str_any(
            Color::None,
            "group_fwd_mask_str",
            b"group_fwd_mask_str ",
            &s,
            b" ",
        );
    }
    on_off(o, IFLA_BRPORT_VLAN_TUNNEL, "vlan_tunnel", b"vlan_tunnel ");
    on_off(o, IFLA_BRPORT_ISOLATED, "isolated", b"isolated ");
    on_off(o, IFLA_BRPORT_LOCKED, "locked", b"locked ");
    if let Some(v) = attr_u32(g(IFLA_BRPORT_BACKUP_PORT)) {
        let n = cx.lookup.ifname(v).to_vec();
        o.str_any(Color::None, "backup_port", b"backup_port ", &n, b" ");
    }
}

/// `macvlan_print_opt`.
fn print_macvlan(o: &mut Out, tb: &[Option<&[u8]>]) {
    let g = |i: u16| tb.get(i as usize).copied().flatten();
    let Some(mode) = attr_u32(g(IFLA_MACVLAN_MODE)) else {
        return;
    };
    let name: &[u8] = match mode {
        MACVLAN_MODE_PRIVATE => b"private",
        MACVLAN_MODE_VEPA => b"vepa",
        MACVLAN_MODE_BRIDGE => b"bridge",
        MACVLAN_MODE_PASSTHRU => b"passthru",
        MACVLAN_MODE_SOURCE => b"source",
        _ => b"unknown",
    };
    o.str_any(Color::None, "mode", b"mode ", name, b" ");
    let flags = attr_u16(g(IFLA_MACVLAN_FLAGS)).unwrap_or(0);
    if flags & MACVLAN_FLAG_NOPROMISC != 0 {
        if o.is_json() {
            o.j_bool(Some("nopromisc"), true);
        } else {
            o.text(b"nopromisc ");
        }
    }
    if flags & MACVLAN_FLAG_NODST != 0 {
        if o.is_json() {
            o.j_bool(Some("nodst"), true);
        } else {
            o.text(b"nodst ");
        }
    }
    if let Some(v) = attr_u32(g(IFLA_MACVLAN_BC_QUEUE_LEN)) {
        o.u64_any("bcqueuelen", b"bcqueuelen ", u64::from(v), b" ");
    }
    if let Some(v) = attr_u32(g(IFLA_MACVLAN_BC_QUEUE_LEN_USED)) {
        o.u64_any("usedbcqueuelen", b"usedbcqueuelen ", u64::from(v), b" ");
    }
    if mode != MACVLAN_MODE_SOURCE {
        return;
    }
    let Some(count) = attr_u32(g(IFLA_MACVLAN_MACADDR_COUNT)) else {
        return;
    };
    o.i64_any(
        "macaddr_count",
        b"remotes (",
        i64::from(count as i32),
        b") ",
    );
    let Some(data) = g(IFLA_MACVLAN_MACADDR_DATA) else {
        return;
    };
    o.open_arr(Some("macaddr_data"));
    for a in sockscope_query::rtnl::Attrs::new(data) {
        if a.kind != IFLA_MACVLAN_MACADDR || a.payload.len() < 6 {
            continue;
        }
        let mut t = Vec::new();
        for (i, b) in a.payload[..6].iter().enumerate() {
            if i > 0 {
                t.push(b':');
            }
            cfmt::hex_pad(&mut t, u64::from(*b), 2);
        }
        if o.is_json() {
            o.j_str(None, &t);
        } else {
            t.push(b' ');
            o.text(&t);
        }
    }
    o.close_arr();
}

/// `tun_print_opt`.
fn print_tun(o: &mut Out, cx: &mut LinkCtx<'_>, tb: &[Option<&[u8]>]) {
    let g = |i: u16| tb.get(i as usize).copied().flatten();
    if let Some(t) = u8a(g(IFLA_TUN_TYPE)) {
        let mut s = Vec::new();
        match t {
            IFF_TUN => s.extend_from_slice(b"tun"),
            IFF_TAP => s.extend_from_slice(b"tap"),
            _ => {
                s.extend_from_slice(b"UNKNOWN:");
                cfmt::u64_dec(&mut s, u64::from(t));
            }
        }
        o.str_any(Color::None, "type", b"type ", &s, b" ");
    }
    for (i, key, label) in [
        (IFLA_TUN_PI, "pi", &b"pi "[..]),
        (IFLA_TUN_VNET_HDR, "vnet_hdr", &b"vnet_hdr "[..]),
    ] {
        if let Some(v) = u8a(g(i)) {
            o.on_off_any(key, label, v != 0, b" ");
        }
    }
    // print_mq
    if u8a(g(IFLA_TUN_MULTI_QUEUE)).unwrap_or(0) == 0 {
        if o.is_json() {
            o.j_bool(Some("multi_queue"), false);
        }
    } else {
        if o.is_json() {
            o.j_bool(Some("multi_queue"), true);
        } else {
            o.text(b"multi_queue ");
        }
        if let Some(v) = attr_u32(g(IFLA_TUN_NUM_QUEUES)) {
            o.u64_any("numqueues", b"numqueues ", u64::from(v), b" ");
        }
        if let Some(v) = attr_u32(g(IFLA_TUN_NUM_DISABLED_QUEUES)) {
            o.u64_any("numdisabled", b"numdisabled ", u64::from(v), b" ");
        }
    }
    if let Some(v) = u8a(g(IFLA_TUN_PERSIST)) {
        o.on_off_any("persist", b"persist ", v != 0, b" ");
    }
    if let Some(uid) = attr_u32(g(IFLA_TUN_OWNER)) {
        match cx.lookup.user_name(uid).map(<[u8]>::to_vec) {
            Some(n) => o.str_any(Color::None, "user", b"user ", &n, b" "),
            None => o.u64_any("user", b"user ", u64::from(uid), b" "),
        }
    }
    if let Some(gid) = attr_u32(g(IFLA_TUN_GROUP)) {
        match cx.lookup.group_name(gid).map(<[u8]>::to_vec) {
            Some(n) => o.str_any(Color::None, "group", b"group ", &n, b" "),
            None => o.u64_any("group", b"group ", u64::from(gid), b" "),
        }
    }
}

/// `print_linktype` (`-d`): the kind and slave-kind lines.
fn print_linktype(o: &mut Out, cx: &mut LinkCtx<'_>, li: &LinkInfo<'_>) {
    o.open_obj(Some("linkinfo"));
    if let Some(kind) = li.kind {
        o.nl();
        o.str_any(Color::None, "info_kind", b"    ", kind, b" ");
        // iproute2 link utilities with a print_opt among those compiled into ip; veth has
        // a utility without one.
        let has_print = matches!(kind, b"bridge" | b"macvlan" | b"macvtap" | b"tun");
        if has_print {
            let data = li.data.unwrap_or(&[]);
            o.open_obj(Some("info_data"));
            if li.data.is_some() {
                match kind {
                    b"bridge" => {
                        let tb: [Option<&[u8]>; 48] = nested(data);
                        print_bridge(o, &tb);
                    }
                    b"tun" => {
                        let tb: [Option<&[u8]>; 10] = nested(data);
                        print_tun(o, cx, &tb);
                    }
                    _ => {
                        let tb: [Option<&[u8]>; 9] = nested(data);
                        print_macvlan(o, &tb);
                    }
                }
            }
            o.close_obj();
        }
    }
    if let Some(sk) = li.slave_kind {
        o.nl();
        let mut t = sk.to_vec();
        if !o.is_json() {
            t.extend_from_slice(b"_slave");
        }
        o.str_any(Color::None, "info_slave_kind", b"    ", &t, b" ");
        if sk == b"bridge" {
            o.open_obj(Some("info_slave_data"));
            if let Some(d) = li.slave_data {
                let tb: [Option<&[u8]>; 40] = nested(d);
                print_bridge_slave(o, cx, &tb);
            }
            o.close_obj();
        }
    }
    o.close_obj();
}

/// `print_stats64` (text and JSON), `what` = `stats64` or `stats`.
pub fn print_stats64(
    o: &mut Out,
    s: &Stats64,
    carrier_changes: Option<u32>,
    what: &str,
    level: u32,
    human: Human,
) {
    if o.is_json() {
        o.open_obj(Some(what));
        o.open_obj(Some("rx"));
        o.j_u64(Some("bytes"), s.rx_bytes);
        o.j_u64(Some("packets"), s.rx_packets);
        o.j_u64(Some("errors"), s.rx_errors);
        o.j_u64(Some("dropped"), s.rx_dropped);
        o.j_u64(Some("over_errors"), s.rx_over_errors);
        o.j_u64(Some("multicast"), s.multicast);
        if s.rx_compressed != 0 {
            o.j_u64(Some("compressed"), s.rx_compressed);
        }
        if level > 1 {
            o.j_u64(Some("length_errors"), s.rx_length_errors);
            o.j_u64(Some("crc_errors"), s.rx_crc_errors);
            o.j_u64(Some("frame_errors"), s.rx_frame_errors);
            o.j_u64(Some("fifo_errors"), s.rx_fifo_errors);
            o.j_u64(Some("missed_errors"), s.rx_missed_errors);
            if s.rx_nohandler != 0 {
                o.j_u64(Some("nohandler"), s.rx_nohandler);
            }
            if s.rx_otherhost_dropped != 0 {
                o.j_u64(Some("otherhost"), s.rx_otherhost_dropped);
            }
        }
        o.close_obj();
        o.open_obj(Some("tx"));
        o.j_u64(Some("bytes"), s.tx_bytes);
        o.j_u64(Some("packets"), s.tx_packets);
        o.j_u64(Some("errors"), s.tx_errors);
        o.j_u64(Some("dropped"), s.tx_dropped);
        o.j_u64(Some("carrier_errors"), s.tx_carrier_errors);
        o.j_u64(Some("collisions"), s.collisions);
        if s.tx_compressed != 0 {
            o.j_u64(Some("compressed"), s.tx_compressed);
        }
        if level > 1 {
            o.j_u64(Some("aborted_errors"), s.tx_aborted_errors);
            o.j_u64(Some("fifo_errors"), s.tx_fifo_errors);
            o.j_u64(Some("window_errors"), s.tx_window_errors);
            o.j_u64(Some("heartbeat_errors"), s.tx_heartbeat_errors);
            if let Some(cc) = carrier_changes {
                o.j_u64(Some("carrier_changes"), u64::from(cc));
            }
        }
        o.close_obj();
        o.close_obj();
        return;
    }
    let mut cols = [10usize, 7, 6, 7, 7, 7, 10, 9];
    size_columns(
        &mut cols,
        [
            s.rx_bytes,
            s.rx_packets,
            s.rx_errors,
            s.rx_dropped,
            s.rx_missed_errors,
            s.multicast,
            s.rx_compressed,
            0,
        ],
        human,
    );
    if level > 1 {
        size_columns(
            &mut cols,
            [
                0,
                s.rx_length_errors,
                s.rx_crc_errors,
                s.rx_frame_errors,
                s.rx_fifo_errors,
                s.rx_over_errors,
                s.rx_nohandler,
                s.rx_otherhost_dropped,
            ],
            human,
        );
    }
    size_columns(
        &mut cols,
        [
            s.tx_bytes,
            s.tx_packets,
            s.tx_errors,
            s.tx_dropped,
            s.tx_carrier_errors,
            s.collisions,
            s.tx_compressed,
            0,
        ],
        human,
    );
    let cc = carrier_changes.map_or(0, u64::from);
    if level > 1 {
        size_columns(
            &mut cols,
            [
                0,
                0,
                s.tx_aborted_errors,
                s.tx_fifo_errors,
                s.tx_window_errors,
                s.tx_heartbeat_errors,
                cc,
                0,
            ],
            human,
        );
    }
    let sl = o.sl();
    let b = &mut o.buf;
    totals_rows(
        b,
        &cols,
        sl,
        b"    RX: ",
        [b"missed", b"mcast"],
        [
            s.rx_bytes,
            s.rx_packets,
            s.rx_errors,
            s.rx_dropped,
            s.rx_missed_errors,
            s.multicast,
        ],
        s.rx_compressed,
        human,
    );
    if level > 1 {
        error_rows(
            b,
            &cols,
            sl,
            b"    RX errors:",
            [b"length", b"crc", b"frame", b"fifo", b"overrun"],
            [
                Some(s.rx_length_errors),
                Some(s.rx_crc_errors),
                Some(s.rx_frame_errors),
                Some(s.rx_fifo_errors),
                Some(s.rx_over_errors),
            ],
            &[
                (b" nohandler", s.rx_nohandler),
                (b" otherhost", s.rx_otherhost_dropped),
            ],
            human,
        );
    }
    b.extend_from_slice(sl);
    totals_rows(
        b,
        &cols,
        sl,
        b"    TX: ",
        [b"carrier", b"collsns"],
        [
            s.tx_bytes,
            s.tx_packets,
            s.tx_errors,
            s.tx_dropped,
            s.tx_carrier_errors,
            s.collisions,
        ],
        s.tx_compressed,
        human,
    );
    if level > 1 {
        let transns: &[u8] = if carrier_changes.is_some() {
            b"transns"
        } else {
            b""
        };
        error_rows(
            b,
            &cols,
            sl,
            b"    TX errors:",
            [b"aborted", b"fifo", b"window", b"heartbt", transns],
            [
                Some(s.tx_aborted_errors),
                Some(s.tx_fifo_errors),
                Some(s.tx_window_errors),
                Some(s.tx_heartbeat_errors),
                carrier_changes.map(|_| cc),
            ],
            &[],
            human,
        );
    }
}

/// The `RX errors:` / `TX errors:` rows of `print_stats64` (`-s -s`): the label row, then the
/// counter row. The five columns after the head are always labelled (a label may be empty); a
/// counter of `None` is left out. `extra` columns (6 and 7) appear, label and counter, only
/// when their counter is non-zero.
#[allow(clippy::too_many_arguments)]
fn error_rows(
    b: &mut Vec<u8>,
    cols: &[usize],
    sl: &[u8],
    head: &[u8],
    labels: [&[u8]; 5],
    counters: [Option<u64>; 5],
    extra: &[(&[u8], u64)],
    human: Human,
) {
    b.extend_from_slice(sl);
    b.extend_from_slice(head);
    rs(b, cols[0] - 10, b"");
    for (i, label) in labels.into_iter().enumerate() {
        b.push(b' ');
        rs(b, cols[i + 1], label);
    }
    for (j, (label, v)) in extra.iter().enumerate() {
        if *v != 0 {
            rs(b, cols[6 + j] + 1, label);
        }
    }
    b.extend_from_slice(sl);
    cfmt::pad(b, cols[0] + 5);
    for (i, v) in counters.into_iter().enumerate() {
        if let Some(v) = v {
            print_num(b, cols[i + 1], v, human);
        }
    }
    for (j, (_, v)) in extra.iter().enumerate() {
        if *v != 0 {
            print_num(b, cols[6 + j], *v, human);
        }
    }
}

/// `"%*s"`: `s` right-aligned in `w` (C's int width; never negative here).
fn rs(b: &mut Vec<u8>, w: usize, s: &[u8]) {
    if s.len() < w {
        cfmt::pad(b, w - s.len());
    }
    b.extend_from_slice(s);
}

/// The RX or TX totals of `print_stats64`: the label row (`bytes packets errors dropped` plus
/// the two direction-specific labels, `compressed` only when that counter is non-zero), then
/// the counter row.
#[allow(clippy::too_many_arguments)]
fn totals_rows(
    b: &mut Vec<u8>,
    cols: &[usize],
    sl: &[u8],
    head: &[u8],
    labels: [&[u8]; 2],
    counters: [u64; 6],
    compressed: u64,
    human: Human,
) {
    b.extend_from_slice(head);
    rs(b, cols[0] - 4, b"bytes");
    for (i, label) in [&b"packets"[..], b"errors", b"dropped", labels[0], labels[1]]
        .into_iter()
        .enumerate()
    {
        b.push(b' ');
        rs(b, cols[i + 1], label);
    }
    b.push(b' ');
    rs(
        b,
        cols[6],
        if compressed != 0 { b"compressed" } else { b"" },
    );
    b.extend_from_slice(sl);
    b.extend_from_slice(b"    ");
    for (i, v) in counters.into_iter().enumerate() {
        print_num(b, cols[i], v, human);
    }
    if compressed != 0 {
        print_num(b, cols[6], compressed, human);
    }
}

/// `print_proto_down`.
fn print_proto_down(o: &mut Out, l: &Link<'_>) {
    if u8a(l.attr(IFLA_PROTO_DOWN)).unwrap_or(0) != 0 {
        if o.is_json() {
            o.j_bool(Some("proto_down"), true);
        } else {
            o.text(b" protodown on ");
        }
    }
    if let Some(nest) = l.attr(IFLA_PROTO_DOWN_REASON) {
        // iproute2 6.1 tests tb[IFLA_PROTO_DOWN_REASON_VALUE] of the *link* table (index 2,
        // IFLA_BROADCAST) before reading the nested value.
        if l.attr(IFLA_BROADCAST).is_none() {
            return;
        }
        let pr: [Option<&[u8]>; 3] = nested(nest);
        let mut reason = u32::from(u8a(pr[IFLA_PROTO_DOWN_REASON_VALUE as usize]).unwrap_or(0));
        if reason == 0 {
            return;
        }
        o.open_arr_any("proto_down_reason", b"protodown_reason <");
        let mut start = true;
        let mut i = 0u64;
        while reason != 0 {
            if reason & 1 != 0 {
                let mut t = Vec::new();
                cfmt::u64_dec(&mut t, i);
                if o.is_json() {
                    o.j_str(None, &t);
                } else {
                    if !start {
                        o.text(b",");
                    }
                    o.text(&t);
                }
                start = false;
            }
            reason >>= 1;
            i += 1;
        }
        o.close_arr_any(b">");
    }
}

fn print_brief(o: &mut Out, cx: &mut LinkCtx<'_>, l: &Link<'_>, name: &[u8]) {
    let mdown = print_name_and_link(o, cx, name, l, true);
    if let Some(st) = l.operstate() {
        print_operstate(o, st, true);
    }
    if let Some(a) = ll_addr(l, IFLA_ADDRESS) {
        o.str_any(Color::Mac, "address", b"", &a, b" ");
    }
    print_link_flags(o, l.flags, mdown);
    o.text(b"\n");
}

/// Prints one link that passed the filters (iproute2 `print_linkinfo` from the `Deleted`
/// marker on). Returns `false` when iproute2 would print nothing (a link without a valid
/// name).
pub fn print_link(o: &mut Out, l: &Link<'_>, cx: &mut LinkCtx<'_>) -> bool {
    let Some(name) = l.name() else {
        return false;
    };
    if !sockscope_query::rtnl::links::is_valid_ifname(name) {
        return false;
    }
    if l.msg_type == RTM_DELLINK {
        if o.is_json() {
            o.j_bool(Some("deleted"), true);
        } else {
            o.text(b"Deleted ");
        }
    }
    if cx.opts.brief {
        print_brief(o, cx, l, name);
        return true;
    }
    o.i64_any("ifindex", b"", i64::from(l.index), b": ");
    let mdown = print_name_and_link(o, cx, name, l, false);
    print_link_flags(o, l.flags, mdown);
    if let Some(mtu) = l.mtu() {
        o.i64_any("mtu", b"mtu ", i64::from(mtu as i32), b" ");
    }
    if let Some(q) = l.attr_str(IFLA_QDISC) {
        o.str_any(Color::None, "qdisc", b"qdisc ", q, b" ");
    }
    if let Some(m) = l.master() {
        let n = cx.lookup.ifname(m).to_vec();
        o.str_any(Color::None, "master", b"master ", &n, b" ");
    }
    if let Some(st) = l.operstate() {
        print_operstate(o, st, false);
    }
    if cx.opts.do_link {
        if let Some(mode) = l.attr_u8(IFLA_LINKMODE) {
            if mode >= 2 {
                o.i64_any("linkmode_index", b"mode ", i64::from(mode), b" ");
            } else {
                let n: &[u8] = if mode == 0 { b"DEFAULT" } else { b"DORMANT" };
                o.str_any(Color::None, "linkmode", b"mode ", n, b" ");
            }
        }
    }
    if let Some(g) = l.attr_u32(IFLA_GROUP) {
        let mut b1 = [0u8; 24];
        let n = cx.names.group(g as i32, &mut b1);
        o.str_any(Color::None, "group", b"group ", n, b" ");
    }
    if let Some(q) = l.txqlen() {
        if q != 0 {
            o.i64_any("txqlen", b"qlen ", i64::from(q as i32), b"");
        }
    }
    if let Some(ev) = l.attr_u32(IFLA_EVENT) {
        const EVENTS: [&[u8]; 7] = [
            b"NONE",
            b"REBOOT",
            b"FEATURE CHANGE",
            b"BONDING FAILOVER",
            b"NOTIFY PEERS",
            b"RESEND IGMP",
            b"BONDING OPTION",
        ];
        match EVENTS.get(ev as usize) {
            None => o.i64_any("event", b"event ", i64::from(ev as i32), b" "),
            Some(n) if ev != 0 => o.str_any(Color::None, "event", b"event ", n, b" "),
            Some(_) => {}
        }
    }

    // The link/TYPE line (`ip link` lists family AF_PACKET, so always).
    o.nl();
    let mut t = Vec::new();
    ll_type_n2a(&mut t, l.ifi_type, cx.names.numeric);
    o.str_any(Color::None, "link_type", b"    link/", &t, b" ");
    if let Some(a) = ll_addr(l, IFLA_ADDRESS) {
        o.str_any(Color::Mac, "address", b"", &a, b"");
    }
    if let Some(a) = ll_addr(l, IFLA_BROADCAST) {
        if l.flags & IFF_POINTOPOINT != 0 {
            o.text(b" peer ");
            if o.is_json() {
                o.j_bool(Some("link_pointtopoint"), true);
            }
        } else {
            o.text(b" brd ");
        }
        o.str_any(Color::Mac, "broadcast", b"", &a, b"");
    }
    if let Some(perm) = l.attr(IFLA_PERM_ADDRESS) {
        if l.attr(IFLA_ADDRESS) != Some(perm) {
            let a = ll_addr(l, IFLA_PERM_ADDRESS).unwrap_or_default();
            o.text(b" permaddr ");
            o.str_any(Color::Mac, "permaddr", b"", &a, b"");
        }
    }
    if let Some(id) = l.link_netnsid() {
        if o.is_json() {
            o.j_i64(Some("link_netnsid"), i64::from(id));
        } else if id >= 0 {
            match cx.lookup.netns_name(id).map(<[u8]>::to_vec) {
                Some(n) => {
                    o.text(b" link-netns ");
                    o.text(&n);
                }
                None => {
                    let mut t = b" link-netnsid ".to_vec();
                    cfmt::i64_dec(&mut t, i64::from(id));
                    o.text(&t);
                }
            }
        } else {
            o.text(b" link-netnsid unknown");
        }
    }
    if let Some(id) = l.attr_u32(IFLA_NEW_NETNSID) {
        let id = id as i32;
        match cx.lookup.netns_name(id).map(<[u8]>::to_vec) {
            Some(n) => {
                o.text(b" new-netns ");
                o.text(&n);
            }
            None => {
                let mut t = b" new-netnsid ".to_vec();
                cfmt::i64_dec(&mut t, i64::from(id));
                o.text(&t);
            }
        }
    }
    if let Some(id) = l.attr_u32(IFLA_NEW_IFINDEX) {
        let mut t = b" new-ifindex ".to_vec();
        cfmt::i64_dec(&mut t, i64::from(id as i32));
        o.text(&t);
    }
    if l.attr(IFLA_PROTO_DOWN).is_some() {
        print_proto_down(o, l);
    }

    if cx.opts.details {
        if let Some(v) = l.attr_u32(IFLA_PROMISCUITY) {
            o.u64_any("promiscuity", b" promiscuity ", u64::from(v), b" ");
        }
        if let Some(v) = l.attr_u32(IFLA_ALLMULTI) {
            o.u64_any("allmulti", b" allmulti ", u64::from(v), b" ");
        }
        if let Some(v) = l.attr_u32(IFLA_MIN_MTU) {
            o.u64_any("min_mtu", b"minmtu ", u64::from(v), b" ");
        }
        if let Some(v) = l.attr_u32(IFLA_MAX_MTU) {
            o.u64_any("max_mtu", b"maxmtu ", u64::from(v), b" ");
        }
        if let Some(li) = l.linkinfo() {
            print_linktype(o, cx, &li);
        }
        if cx.opts.do_link {
            if let Some(mode) = l.inet6_addr_gen_mode() {
                let mut t = Vec::new();
                match mode {
                    IN6_ADDR_GEN_MODE_EUI64 => t.extend_from_slice(b"eui64"),
                    IN6_ADDR_GEN_MODE_NONE => t.extend_from_slice(b"none"),
                    IN6_ADDR_GEN_MODE_STABLE_PRIVACY => t.extend_from_slice(b"stable_secret"),
                    IN6_ADDR_GEN_MODE_RANDOM => t.extend_from_slice(b"random"),
                    m => {
                        t.extend_from_slice(b"0x");
                        cfmt::hex_pad(&mut t, u64::from(m), 2);
                    }
                }
                o.str_any(
                    Color::None,
                    "inet6_addr_gen_mode",
                    b"addrgenmode ",
                    &t,
                    b" ",
                );
            }
        }
        for (attr, key, label) in [
            (IFLA_NUM_TX_QUEUES, "num_tx_queues", &b"numtxqueues "[..]),
            (IFLA_NUM_RX_QUEUES, "num_rx_queues", b"numrxqueues "),
            (IFLA_GSO_MAX_SIZE, "gso_max_size", b"gso_max_size "),
            (IFLA_GSO_MAX_SEGS, "gso_max_segs", b"gso_max_segs "),
            (IFLA_TSO_MAX_SIZE, "tso_max_size", b"tso_max_size "),
            (IFLA_TSO_MAX_SEGS, "tso_max_segs", b"tso_max_segs "),
            (IFLA_GRO_MAX_SIZE, "gro_max_size", b"gro_max_size "),
        ] {
            if let Some(v) = l.attr_u32(attr) {
                o.u64_any(key, label, u64::from(v), b" ");
            }
        }
        if let Some(n) = l.attr_str(IFLA_PHYS_PORT_NAME) {
            o.str_any(Color::None, "phys_port_name", b"portname ", n, b" ");
        }
        for (attr, key, label) in [
            (IFLA_PHYS_PORT_ID, "phys_port_id", &b"portid "[..]),
            (IFLA_PHYS_SWITCH_ID, "phys_switch_id", b"switchid "),
        ] {
            if let Some(p) = l.attr(attr) {
                let mut t = Vec::new();
                hexstring(&mut t, p);
                o.str_any(Color::None, key, label, &t, b" ");
            }
        }
        if let Some(n) = l.attr_str(IFLA_PARENT_DEV_BUS_NAME) {
            o.str_any(Color::None, "parentbus", b"parentbus ", n, b" ");
        }
        if let Some(n) = l.attr_str(IFLA_PARENT_DEV_NAME) {
            o.str_any(Color::None, "parentdev", b"parentdev ", n, b" ");
        }
    }

    if cx.opts.do_link || cx.opts.details {
        if let Some(alias) = l.attr_str(IFLA_IFALIAS) {
            o.text(o.sl());
            o.text(b"    ");
            o.str_any(Color::None, "ifalias", b"alias ", alias, b"");
        }
    }
    if cx.opts.do_link && cx.opts.stats > 0 {
        o.nl();
        if let Some((s, is64)) = l.stats() {
            let cc = l.attr_u32(IFLA_CARRIER_CHANGES);
            print_stats64(
                o,
                &s,
                cc,
                if is64 { "stats64" } else { "stats" },
                cx.opts.stats,
                cx.opts.human,
            );
        }
    }
    if l.attr(IFLA_PROP_LIST).is_some() {
        o.open_arr(Some("altnames"));
        for alt in l.altnames() {
            o.text(o.sl());
            o.text(b"    altname ");
            o.str_any_elem(alt, b"");
        }
        o.close_arr();
    }
    o.text(b"\n");
    true
}

/// The kind of a link (IFLA_INFO_KIND or IFLA_INFO_SLAVE_KIND) for `type KIND` filters
/// (iproute2 `match_link_kind`: an absent IFLA_LINKINFO never matches).
pub fn link_kind<'a>(l: &Link<'a>, slave: bool) -> Option<&'a [u8]> {
    let li = l.linkinfo()?;
    Some(if slave { li.slave_kind } else { li.kind }.unwrap_or(b""))
}

/// `rta_getattr_str` helper re-exported for callers filtering on names.
pub fn attr_c_str(p: &[u8]) -> &[u8] {
    c_str(p)
}

#[cfg(test)]
mod tests {
    use super::super::out::OutOptions;
    use super::super::testing::{attr, FakeLookup};
    use super::*;

    fn ifinfo(index: i32, ty: u16, flags: u32) -> Vec<u8> {
        let mut v = vec![0, 0];
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(&index.to_ne_bytes());
        v.extend_from_slice(&flags.to_ne_bytes());
        v.extend_from_slice(&0u32.to_ne_bytes());
        v
    }

    fn veth0(stats: bool) -> Vec<u8> {
        let mut p = ifinfo(
            2,
            1,
            IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING | IFF_LOWER_UP,
        );
        p.extend(attr(IFLA_IFNAME, b"veth0\0"));
        p.extend(attr(IFLA_TXQLEN, &1000u32.to_ne_bytes()));
        p.extend(attr(IFLA_OPERSTATE, &[6]));
        p.extend(attr(IFLA_LINKMODE, &[0]));
        p.extend(attr(IFLA_MTU, &1500u32.to_ne_bytes()));
        p.extend(attr(IFLA_GROUP, &0u32.to_ne_bytes()));
        p.extend(attr(IFLA_LINK, &2u32.to_ne_bytes()));
        p.extend(attr(IFLA_QDISC, b"noqueue\0"));
        p.extend(attr(IFLA_CARRIER_CHANGES, &2u32.to_ne_bytes()));
        p.extend(attr(IFLA_IFALIAS, b"uplink to peer b\0"));
        p.extend(attr(IFLA_LINK_NETNSID, &0u32.to_ne_bytes()));
        p.extend(attr(IFLA_ADDRESS, &[2, 0, 0, 0, 0, 1]));
        p.extend(attr(IFLA_BROADCAST, &[0xff; 6]));
        if stats {
            let mut st = [0u64; 25];
            st[0] = 85; // rx_packets
            st[1] = 90;
            st[2] = 76520;
            st[3] = 76912;
            st[6] = 3; // rx_dropped
            st[24] = 2; // otherhost
            let b: Vec<u8> = st.iter().flat_map(|v| v.to_ne_bytes()).collect();
            p.extend(attr(IFLA_STATS64, &b));
        }
        p.extend(attr(
            IFLA_PROP_LIST | 0x8000,
            &attr(IFLA_ALT_IFNAME, b"uplink0\0"),
        ));
        p
    }

    fn render(p: &[u8], oo: OutOptions, lo: LinkOptions) -> String {
        let names = IpNames::builtin(false);
        let mut lk = FakeLookup::default();
        let mut cx = LinkCtx {
            opts: lo,
            names: &names,
            lookup: &mut lk,
        };
        let mut o = Out::new(oo);
        let l = Link::parse(RTM_NEWLINK, p).unwrap();
        print_link(&mut o, &l, &mut cx);
        String::from_utf8(o.buf).unwrap()
    }

    fn link_opts() -> LinkOptions {
        LinkOptions {
            do_link: true,
            ..Default::default()
        }
    }

    #[test]
    fn first_lines_like_the_capture() {
        let t = render(&veth0(false), OutOptions::default(), link_opts());
        assert_eq!(
            t,
            "2: veth0@if2: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000\n    link/ether 02:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netns nspb\n    alias uplink to peer b\n    altname uplink0\n"
        );
        let j = render(
            &veth0(false),
            OutOptions {
                json: true,
                ..Default::default()
            },
            link_opts(),
        );
        assert_eq!(
            j,
            "\"ifindex\":2,\"link_index\":2,\"ifname\":\"veth0\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"operstate\":\"UP\",\"linkmode\":\"DEFAULT\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:01\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"link_netnsid\":0,\"ifalias\":\"uplink to peer b\",\"altnames\":[\"uplink0\"]"
        );
        let b = render(
            &veth0(false),
            OutOptions::default(),
            LinkOptions {
                brief: true,
                ..link_opts()
            },
        );
        assert_eq!(
            b,
            "veth0@if2        UP             02:00:00:00:00:01 <BROADCAST,MULTICAST,UP,LOWER_UP> \n"
        );
    }

    #[test]
    fn stats_blocks() {
        let s = render(
            &veth0(true),
            OutOptions::default(),
            LinkOptions {
                stats: 2,
                ..link_opts()
            },
        );
        let want = "    alias uplink to peer b\n    RX:  bytes packets errors dropped  missed   mcast           \n         76520      85      0       3       0       0 \n    RX errors:  length    crc   frame    fifo overrun otherhost\n                     0      0       0       0       0         2 \n    TX:  bytes packets errors dropped carrier collsns           \n         76912      90      0       0       0       0 \n    TX errors: aborted   fifo  window heartbt transns\n                     0      0       0       0       2 \n    altname uplink0\n";
        assert!(s.ends_with(want), "{s}");
        let h = render(
            &veth0(true),
            OutOptions::default(),
            LinkOptions {
                stats: 1,
                human: Human {
                    on: true,
                    iec: false,
                },
                ..link_opts()
            },
        );
        assert!(
            h.contains("\n         76.5k      85      0       3       0       0 \n"),
            "{h}"
        );
    }

    #[test]
    fn flags_edge_cases() {
        let mut o = Out::new(OutOptions::default());
        print_link_flags(
            &mut o,
            IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_PROMISC,
            false,
        );
        print_link_flags(&mut o, 0, false);
        print_link_flags(&mut o, IFF_UP | IFF_RUNNING | (1 << 24), true);
        assert_eq!(
            String::from_utf8(o.buf).unwrap(),
            "<NO-CARRIER,BROADCAST,MULTICAST,PROMISC,UP> <> <UP,1000000,M-DOWN> "
        );
        assert_eq!(
            bridge_id(&[0x80, 0, 2, 0, 0, 0, 0, 0xb]),
            b"8000.2:0:0:0:0:b"
        );
        let mut o = Out::new(OutOptions::default());
        print_timer(&mut o, "gc_timer", 26917);
        print_timer(&mut o, "hold_timer", 0);
        assert_eq!(o.buf, b"gc_timer  269.17 hold_timer    0.00 ");
    }
}
