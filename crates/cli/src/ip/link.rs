//! `ip link [show|list|lst] [dev] NAME | up | group G | master DEV | nomaster | type KIND |
//! vrf NAME` (ip/iplink.c `do_iplink` → ip/ipaddress.c `ipaddr_list_flush_or_save` with
//! `do_link`): the selectors, the single `RTM_GETLINK` for `dev NAME` or the (kernel-filtered)
//! dump stored whole before printing, and iproute2's per-link filters. In JSON every stored
//! link gets an object, so links the user-space filters drop show up as `{}` (iproute2 opens
//! the object before filtering).

use sockscope_query::rtnl::consts::*;
use sockscope_query::rtnl::links::{self, Link, LinkDumpRequest, LinkTable};
use sockscope_query::rtnl::lookup::{SystemLookup, TableLookup};
use sockscope_query::rtnl::names::{IpNames, NamesConfig};
use sockscope_query::rtnl::Rtnl;
use sockscope_render::ip::fmt::Human;
use sockscope_render::ip::link::{link_kind, print_link, LinkCtx, LinkOptions};

use super::args::{duparg2, invarg, matches, Global};
use super::{
    dump_error_text, next_arg, out_options, prefix_error, status, talk_error_text, unknown_command,
    unsupported, usage, Sink,
};
use crate::exit::Exit;

/// `do_iplink`: dispatch on the command word.
pub fn run(g: &Global, words: &[Vec<u8>]) -> i32 {
    let Some(cmd) = words.first() else {
        return status(list(g, &[]));
    };
    let w = cmd.as_slice();
    if matches(w, "add") {
        return unsupported("link add");
    }
    if matches(w, "set") || matches(w, "change") {
        return unsupported("link set");
    }
    if matches(w, "replace") {
        return unsupported("link replace");
    }
    if matches(w, "delete") {
        return unsupported("link delete");
    }
    if matches(w, "show") || matches(w, "lst") || matches(w, "list") {
        return status(list(g, &words[1..]));
    }
    for (name, what) in [
        ("xstats", "link xstats"),
        ("afstats", "link afstats"),
        ("property", "link property"),
    ] {
        if matches(w, name) {
            return unsupported(what);
        }
    }
    if matches(w, "help") {
        return Exit::stderr(255, usage::LINK).emit();
    }
    unknown_command(w, "link")
}

/// The per-link filters of `print_linkinfo`.
#[derive(Debug, Default)]
struct LinkFilter<'a> {
    up: bool,
    /// -1 = any.
    group: i32,
    /// 0 = any, -1 = no master (kernel-side), else the master's index.
    master: i32,
    kind: Option<&'a [u8]>,
    slave_kind: Option<&'a [u8]>,
    label: bool,
}

/// The address flag words `get_filter` accepts (they filter addresses, not links).
fn is_addr_flag(w: &[u8]) -> bool {
    let w = w.strip_prefix(b"-").unwrap_or(w);
    matches!(
        w,
        b"dynamic"
            | b"primary"
            | b"secondary"
            | b"temporary"
            | b"nodad"
            | b"optimistic"
            | b"dadfailed"
            | b"home"
            | b"deprecated"
            | b"tentative"
            | b"permanent"
            | b"mngtmpaddr"
            | b"noprefixroute"
            | b"autojoin"
            | b"stable-privacy"
    )
}

/// `print_linkinfo`'s early returns: whether the link is printed.
fn passes(l: &Link<'_>, f: &LinkFilter<'_>) -> bool {
    if l.msg_type != RTM_NEWLINK && l.msg_type != RTM_DELLINK {
        return false;
    }
    if f.up && l.flags & IFF_UP == 0 {
        return false;
    }
    match l.name() {
        Some(n) if links::is_valid_ifname(n) => {}
        _ => return false,
    }
    if f.label {
        return false;
    }
    if let Some(grp) = l.attr_u32(IFLA_GROUP) {
        if f.group != -1 && grp as i32 != f.group {
            return false;
        }
    }
    match l.master() {
        Some(m) => {
            if f.master > 0 && m as i32 != f.master {
                return false;
            }
        }
        None => {
            if f.master > 0 {
                return false;
            }
        }
    }
    if let Some(k) = f.kind {
        if link_kind(l, false) != Some(k) {
            return false;
        }
    }
    if let Some(k) = f.slave_kind {
        if link_kind(l, true) != Some(k) {
            return false;
        }
    }
    true
}

fn list(g: &Global, words: &[Vec<u8>]) -> Result<i32, Exit> {
    let names = IpNames::load(&NamesConfig::default(), g.numeric > 0);
    let mut lookup = SystemLookup::default();
    let mut f = LinkFilter {
        group: -1,
        ..Default::default()
    };
    let mut dev: Option<&[u8]> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_slice();
        if w == b"to" {
            let a = next_arg(words, &mut i)?;
            // The family is AF_PACKET here: get_prefix refuses any prefix.
            return Err(prefix_error(a, AF_PACKET));
        } else if w == b"scope" {
            let a = next_arg(words, &mut i)?;
            if names.scope_id(a).is_none() && a != b"all" {
                return Err(invarg("invalid \"scope\"\n", a));
            }
        } else if w == b"up" {
            f.up = true;
        } else if is_addr_flag(w) {
        } else if w == b"label" {
            next_arg(words, &mut i)?;
            f.label = true;
        } else if w == b"group" {
            let a = next_arg(words, &mut i)?;
            let Some(grp) = names.group_id(a) else {
                return Err(invarg("Invalid \"group\" value\n", a));
            };
            f.group = grp;
        } else if w == b"master" {
            let a = next_arg(words, &mut i)?;
            let idx = lookup.index_of(a);
            if idx == 0 {
                return Err(invarg("Device does not exist\n", a));
            }
            f.master = idx as i32;
        } else if w == b"vrf" {
            let a = next_arg(words, &mut i)?;
            let idx = lookup.index_of(a);
            if idx == 0 || !is_vrf(a) {
                return Err(invarg("Not a valid VRF name\n", a));
            }
            f.master = idx as i32;
        } else if w == b"nomaster" {
            f.master = -1;
        } else if w == b"type" {
            let a = next_arg(words, &mut i)?;
            match a.strip_suffix(b"_slave") {
                Some(k) => f.slave_kind = Some(k),
                None => f.kind = Some(a),
            }
        } else {
            let a = if w == b"dev" {
                next_arg(words, &mut i)?
            } else {
                if matches(w, "help") {
                    return Err(Exit::stderr(255, usage::LINK));
                }
                w
            };
            if dev.is_some() {
                return Err(duparg2("dev", a));
            }
            dev = Some(a);
        }
        i += 1;
    }
    let mut ifindex = 0;
    if let Some(d) = dev {
        ifindex = lookup.index_of(d);
        if ifindex == 0 {
            let mut t = b"Device \"".to_vec();
            t.extend_from_slice(d);
            t.extend_from_slice(b"\" does not exist.\n");
            return Err(Exit::stderr(1, t));
        }
    }

    let mut rtnl = match Rtnl::open() {
        Ok(r) => r,
        Err(e) => return Err(Exit::stderr(1, format!("{e}\n"))),
    };
    let _ = rtnl.set_strict_check();
    if let Some(size) = g.rcvbuf {
        let _ = rtnl.set_rcvbuf(size as i32);
    }
    let mut sink = Sink::new(out_options(g));
    let opts = LinkOptions {
        details: g.details > 0,
        stats: g.stats,
        brief: g.brief > 0,
        human: Human {
            on: g.human > 0,
            iec: g.iec > 0,
        },
        do_link: true,
    };
    sink.out.begin_document();

    if let Some(d) = dev.filter(|_| f.group == -1) {
        // iplink_get: one RTM_GETLINK by name (with statistics).
        let mut table = LinkTable::default();
        let r = rtnl.request_raw(
            |out, seq| {
                sockscope_netlink::request::getlink(
                    out,
                    seq,
                    AF_PACKET,
                    0,
                    Some((d, !links::is_valid_ifname(d))),
                    RTEXT_FILTER_VF,
                )
            },
            |h, p| table.push(h.kind, p),
        );
        if let Err(e) = r {
            if let Some(t) = talk_error_text(&e) {
                eprint!("{t}");
            }
            let errno = match e {
                sockscope_netlink::DumpError::Error { errno, .. } => errno,
                _ => 0,
            };
            eprintln!(
                "Cannot send link get request: {}",
                sockscope_netlink::strerror(errno)
            );
            sink.out.end_document();
            sink.flush();
            return Ok(1);
        }
        let mut cx = LinkCtx {
            opts,
            names: &names,
            lookup: &mut lookup,
        };
        for l in table.iter() {
            sink.out.open_obj(None);
            if passes(&l, &f) {
                print_link(&mut sink.out, &l, &mut cx);
            }
            sink.out.close_obj();
        }
        sink.out.end_document();
        sink.flush();
        return Ok(0);
    }

    let table = if ifindex != 0 {
        // ipaddr_link_get: by index (with `group`).
        let mut t = LinkTable::default();
        let mask = if g.stats > 0 {
            RTEXT_FILTER_VF
        } else {
            RTEXT_FILTER_VF | RTEXT_FILTER_SKIP_STATS
        };
        let _ = rtnl.request_raw(
            |out, seq| {
                sockscope_netlink::request::getlink(out, seq, AF_PACKET, ifindex, None, mask)
            },
            |h, p| t.push(h.kind, p),
        );
        t
    } else {
        let req = LinkDumpRequest {
            family: AF_PACKET,
            ext_mask: RTEXT_FILTER_VF,
            master: (f.master != 0).then_some(f.master as u32),
            kind: f.kind,
        };
        // Link messages can be large (VF lists): a big buffer, no peeking.
        rtnl.set_recv_capacity(1 << 20);
        rtnl.set_fast_receive(true);
        match LinkTable::collect(&mut rtnl, &req) {
            Ok(t) => t,
            Err(e) => {
                if let Some(t) = dump_error_text(&e) {
                    eprint!("{t}");
                }
                eprintln!("Dump terminated");
                sink.out.end_document();
                sink.flush();
                return Ok(0);
            }
        }
    };
    // Names and flags of the stored links come from the table (iproute2's link cache).
    let mut tl = TableLookup {
        table: &table,
        inner: &mut lookup,
    };
    let mut cx = LinkCtx {
        opts,
        names: &names,
        lookup: &mut tl,
    };
    for l in table.iter() {
        sink.out.open_obj(None);
        if passes(&l, &f) {
            print_link(&mut sink.out, &l, &mut cx);
        }
        sink.out.close_obj();
        sink.maybe_flush();
    }
    sink.out.end_document();
    sink.flush();
    Ok(0)
}

/// `name_is_vrf`: the device's kind is `vrf`.
fn is_vrf(name: &[u8]) -> bool {
    let Ok(mut rtnl) = Rtnl::open() else {
        return false;
    };
    links::get(&mut rtnl, AF_UNSPEC, 0, Some(name), RTEXT_FILTER_VF, |l| {
        l.linkinfo().and_then(|li| li.kind) == Some(&b"vrf"[..])
    })
    .ok()
    .flatten()
    .unwrap_or(false)
}
