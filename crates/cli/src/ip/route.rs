//! `ip route [list|show|lst] SELECTORS` (ip/iproute.c `do_iproute` and
//! `iproute_list_flush_or_save`): the command word, the selectors with iproute2's prefix
//! rules and error texts, the kernel-filtered dump (strict checking: table, oif, protocol,
//! cloned) and the user-space filter, printed as iproute2 prints them.

use std::ops::ControlFlow;

use sockscope_query::rtnl::consts::*;
use sockscope_query::rtnl::lookup::SystemLookup;
use sockscope_query::rtnl::names::{c_strtoul, rtntype_id, IpNames, NamesConfig};
use sockscope_query::rtnl::routes::{self, Prefix, RouteDumpRequest, RouteFilter};
use sockscope_query::rtnl::{links, Rtnl};
use sockscope_render::ip::route::{print_route, RouteCtx, RouteOptions};

use super::args::{get_unsigned, invarg, matches, read_family, Global};
use super::{
    dump_error_text, next_arg, out_options, prefix_error, status, unknown_command, unsupported,
    usage, Sink,
};
use crate::exit::Exit;

/// `do_iproute`: dispatch on the command word.
pub fn run(g: &Global, words: &[Vec<u8>]) -> i32 {
    let Some(cmd) = words.first() else {
        return status(list(g, &[]));
    };
    let w = cmd.as_slice();
    let modify = [
        ("add", "route add"),
        ("change", "route change"),
        ("replace", "route replace"),
        ("prepend", "route prepend"),
        ("append", "route append"),
        ("test", "route test"),
        ("delete", "route delete"),
    ];
    for (name, what) in modify {
        if matches(w, name) || (name == "change" && w == b"chg") {
            return unsupported(what);
        }
    }
    if matches(w, "list") || matches(w, "show") || matches(w, "lst") {
        return status(list(g, &words[1..]));
    }
    for (name, what) in [
        ("get", "route get"),
        ("flush", "route flush"),
        ("save", "route save"),
        ("restore", "route restore"),
        ("showdump", "route showdump"),
    ] {
        if matches(w, name) {
            return unsupported(what);
        }
    }
    if matches(w, "help") {
        return Exit::stderr(255, usage::ROUTE).emit();
    }
    unknown_command(w, "route")
}

fn get_prefix(arg: &[u8], family: u8) -> Result<Prefix, Exit> {
    if family == AF_PACKET {
        return Err(prefix_error(arg, family));
    }
    Prefix::parse(arg, family).map_err(|_| prefix_error(arg, family))
}

/// `get_rt_realms_or_raw`: `[FROM/]TO` realm names or numbers, else a raw u32.
fn parse_realms(names: &IpNames, arg: &[u8]) -> Option<u32> {
    let named = || -> Option<u32> {
        let (from, to) = match arg.iter().position(|&b| b == b'/') {
            Some(i) => (Some(&arg[..i]), &arg[i + 1..]),
            None => (None, arg),
        };
        let mut realms = 0u32;
        if let Some(f) = from {
            realms = names.realm_id(f)? << 16;
        }
        if !to.is_empty() {
            realms |= names.realm_id(to)?;
        }
        Some(realms)
    };
    named().or_else(|| get_unsigned(arg))
}

/// `ipvrf_get_table`: the table of a VRF device (0 when `name` is not one).
fn vrf_table(rtnl: &mut Rtnl, name: &[u8]) -> u32 {
    let r = links::get(rtnl, AF_UNSPEC, 0, Some(name), RTEXT_FILTER_VF, |l| {
        let li = l.linkinfo()?;
        if li.kind != Some(&b"vrf"[..]) {
            return None;
        }
        let tb: [Option<&[u8]>; 2] = links::nested(li.data?);
        sockscope_query::rtnl::attr_u32(tb[1])
    });
    r.ok().flatten().flatten().unwrap_or(0)
}

/// `iproute_list_flush_or_save(..., IPROUTE_LIST)`.
fn list(g: &Global, words: &[Vec<u8>]) -> Result<i32, Exit> {
    let names = IpNames::load(&NamesConfig::default(), g.numeric > 0);
    let mut rtnl = match Rtnl::open() {
        Ok(r) => r,
        Err(e) => return Err(Exit::stderr(1, format!("{e}\n"))),
    };
    let _ = rtnl.set_strict_check();
    if let Some(size) = g.rcvbuf {
        let _ = rtnl.set_rcvbuf(size as i32);
    }
    let mut lookup = SystemLookup::default();
    lookup.set_nexthop_family(g.family);

    let mut f = RouteFilter {
        family: g.family,
        table: RT_TABLE_MAIN,
        ..Default::default()
    };
    let mut dump_family = g.family;
    let mut od: Option<&[u8]> = None;
    let mut id: Option<&[u8]> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_slice();
        if matches(w, "table") {
            let a = next_arg(words, &mut i)?;
            match names.table_id(a) {
                Some(t) => f.table = t,
                None if a == b"all" => f.table = 0,
                None if a == b"cache" => f.cloned = true,
                None if a == b"help" => return Err(Exit::stderr(255, usage::ROUTE)),
                None => return Err(invarg("table id value is invalid\n", a)),
            }
        } else if matches(w, "vrf") {
            let a = next_arg(words, &mut i)?;
            let t = vrf_table(&mut rtnl, a);
            if t == 0 {
                return Err(invarg("Invalid VRF\n", a));
            }
            f.table = t;
            f.typemask = !(RouteFilter::type_bit(RTN_LOCAL) | RouteFilter::type_bit(RTN_BROADCAST));
        } else if matches(w, "cached") || matches(w, "cloned") {
            f.cloned = true;
        } else if w == b"tos" || matches(w, "dsfield") {
            let a = next_arg(words, &mut i)?;
            let Some(t) = names.dsfield_id(a) else {
                return Err(invarg("TOS value is invalid\n", a));
            };
            f.tos = t;
            f.tos_set = true;
        } else if matches(w, "protocol") {
            let a = next_arg(words, &mut i)?;
            f.protocol_set = true;
            match names.protocol_id(a) {
                Some(p) => f.protocol = p,
                None if a == b"all" => {
                    f.protocol = 0;
                    f.protocol_set = false;
                }
                None => return Err(invarg("invalid \"protocol\"\n", a)),
            }
        } else if matches(w, "scope") {
            let a = next_arg(words, &mut i)?;
            f.scope_set = true;
            match names.scope_id(a) {
                Some(s) => f.scope = s,
                None if a == b"all" => {
                    f.scope = RT_SCOPE_NOWHERE;
                    f.scope_set = false;
                }
                None => return Err(invarg("invalid \"scope\"\n", a)),
            }
        } else if matches(w, "type") {
            let a = next_arg(words, &mut i)?;
            let Some(t) = rtntype_id(a) else {
                return Err(invarg("node type value is invalid\n", a));
            };
            f.typemask = RouteFilter::type_bit(t);
        } else if w == b"dev" || w == b"oif" {
            od = Some(next_arg(words, &mut i)?);
        } else if w == b"iif" {
            id = Some(next_arg(words, &mut i)?);
        } else if w == b"mark" {
            let a = next_arg(words, &mut i)?;
            let Some(m) = get_unsigned(a) else {
                return Err(invarg("invalid mark value", a));
            };
            f.mark = m;
            f.mark_set = true;
        } else if matches(w, "metric") || matches(w, "priority") || w == b"preference" {
            let a = next_arg(words, &mut i)?;
            let Some(m) = c_strtoul(a, 0).and_then(|v| u32::try_from(v).ok()) else {
                return Err(invarg("\"metric\" value is invalid\n", a));
            };
            f.metric = m;
            f.metric_set = true;
        } else if w == b"via" {
            let mut a = next_arg(words, &mut i)?;
            let mut fam = read_family(a);
            if fam == 0 {
                fam = dump_family;
            } else {
                a = next_arg(words, &mut i)?;
            }
            f.via = get_prefix(a, fam)?;
        } else if w == b"src" {
            let a = next_arg(words, &mut i)?;
            f.prefsrc = get_prefix(a, dump_family)?;
        } else if matches(w, "realms") {
            let a = next_arg(words, &mut i)?;
            let Some(realm) = parse_realms(&names, a) else {
                return Err(invarg("invalid realms\n", a));
            };
            f.realm = realm;
            f.realm_mask = u32::MAX;
            if realm & 0xffff == 0 && a.last() == Some(&b'/') {
                f.realm_mask &= !0xffff;
            }
            if realm & 0xffff_0000 == 0 && (!a.contains(&b'/') || a.first() == Some(&b'/')) {
                f.realm_mask &= !0xffff_0000;
            }
        } else if matches(w, "from") {
            let a = next_arg(words, &mut i)?;
            if matches(a, "root") {
                let p = next_arg(words, &mut i)?;
                f.rsrc = get_prefix(p, dump_family)?;
            } else if matches(a, "match") {
                let p = next_arg(words, &mut i)?;
                f.msrc = get_prefix(p, dump_family)?;
            } else {
                let p = if matches(a, "exact") {
                    next_arg(words, &mut i)?
                } else {
                    a
                };
                f.msrc = get_prefix(p, dump_family)?;
                f.rsrc = f.msrc;
            }
        } else {
            let mut a = w;
            if matches(a, "to") {
                a = next_arg(words, &mut i)?;
            }
            if matches(a, "root") {
                let p = next_arg(words, &mut i)?;
                f.rdst = get_prefix(p, dump_family)?;
            } else if matches(a, "match") {
                let p = next_arg(words, &mut i)?;
                f.mdst = get_prefix(p, dump_family)?;
            } else {
                let p = if matches(a, "exact") {
                    next_arg(words, &mut i)?
                } else {
                    a
                };
                f.mdst = get_prefix(p, dump_family)?;
                f.rdst = f.mdst;
            }
        }
        i += 1;
    }
    if dump_family == AF_UNSPEC && f.table != 0 {
        dump_family = AF_INET;
    }
    for (name, is_iif) in [(id, true), (od, false)] {
        let Some(name) = name else { continue };
        let idx = lookup.index_of(name);
        if idx == 0 {
            let mut t = b"Cannot find device \"".to_vec();
            t.extend_from_slice(name);
            t.extend_from_slice(b"\"\n");
            return Err(Exit::stderr(1, t));
        }
        if is_iif {
            f.iif = idx;
            f.iif_set = true;
        } else {
            f.oif = idx;
            f.oif_set = true;
        }
    }

    let req = RouteDumpRequest {
        family: dump_family,
        protocol: f.protocol,
        flags: if f.cloned { RTM_F_CLONED } else { 0 },
        table: (f.table != 0).then_some(f.table),
        oif: (f.oif != 0).then_some(f.oif),
    };
    // Route messages are small: receive without peeking (one syscall per datagram, and the
    // kernel then fills 32 KiB datagrams instead of page-sized ones).
    rtnl.set_fast_receive(true);

    let mut sink = Sink::new(out_options(g));
    let opts = RouteOptions {
        details: g.details > 0,
        stats: g.stats > 0,
        resolve: g.resolve > 0,
        user_hz: 100,
    };
    let mut sel = f.clone();
    let mut cx = RouteCtx::new(opts, &names, &mut lookup, &f);
    sink.out.begin_document();
    let r = routes::dump(&mut rtnl, &req, &mut |route| {
        if sel.matches(route) {
            print_route(&mut sink.out, route, &mut cx);
            sink.maybe_flush();
        }
        ControlFlow::Continue(())
    });
    let ok = match &r {
        Ok(s) => {
            if s.interrupted {
                eprintln!("Dump was interrupted and may be inconsistent.");
            }
            true
        }
        // save_route_errhndlr: a missing main table is not an error.
        Err(sockscope_netlink::DumpError::Done { errno: 2, .. }) => f.table == RT_TABLE_MAIN,
        Err(_) => false,
    };
    if ok {
        sink.out.end_document();
        sink.flush();
        return Ok(0);
    }
    sink.flush();
    let e = r.err();
    if let Some(text) = e.as_ref().and_then(dump_error_text) {
        eprint!("{text}");
    }
    if let Some(sockscope_netlink::DumpError::Remnant(_)) = e {
        return Ok(1);
    }
    eprintln!("Dump terminated");
    Ok(2)
}
