//! `ip maddr [show|list|lst] [dev] NAME` (ip/ipmaddr.c `do_multiaddr`, `multiaddr_list`):
//! the memberships of `/proc/net/dev_mcast`, `/proc/net/igmp` and `/proc/net/igmp6`
//! (`-0`, `-4`, `-6` pick one list), printed as iproute2 prints them. An unknown device just
//! matches nothing.

use sockscope_query::rtnl::lookup::SystemLookup;
use sockscope_query::rtnl::maddrs::{self, MaddrFamilies, MaddrFiles};
use sockscope_render::ip::maddr::print_mlist;

use super::args::{duparg2, matches, Global};
use super::{next_arg, out_options, status, unknown_command, unsupported, usage, Sink};
use crate::exit::Exit;

/// `do_multiaddr`: dispatch on the command word.
pub fn run(g: &Global, words: &[Vec<u8>]) -> i32 {
    let Some(cmd) = words.first() else {
        return status(list(g, &[]));
    };
    let w = cmd.as_slice();
    if matches(w, "add") {
        return unsupported("maddress add");
    }
    if matches(w, "delete") {
        return unsupported("maddress delete");
    }
    if matches(w, "list") || matches(w, "show") || matches(w, "lst") {
        return status(list(g, &words[1..]));
    }
    if matches(w, "help") {
        return Exit::stderr(255, usage::MADDR).emit();
    }
    unknown_command(w, "maddr")
}

fn list(g: &Global, words: &[Vec<u8>]) -> Result<i32, Exit> {
    let mut dev: Option<&[u8]> = None;
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_slice();
        let a = if w == b"dev" {
            next_arg(words, &mut i)?
        } else {
            if matches(w, "help") {
                return Err(Exit::stderr(255, usage::MADDR));
            }
            w
        };
        if dev.is_some() {
            return Err(duparg2("dev", a));
        }
        dev = Some(a);
        i += 1;
    }
    let fam = g.family;
    let families = MaddrFamilies {
        link: fam == 0 || fam == 17,
        inet: fam == 0 || fam == 2,
        inet6: fam == 0 || fam == 10,
    };
    let list = maddrs::read(&MaddrFiles::default(), families, dev);
    let mut sink = Sink::new(out_options(g));
    let mut lookup = SystemLookup::default();
    print_mlist(
        &mut sink.out,
        &list,
        g.oneline > 0,
        g.resolve > 0,
        &mut lookup,
    );
    sink.flush();
    Ok(0)
}
