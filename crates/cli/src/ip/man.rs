//! The man page's IP PERSONA section (rendered by [`crate::gen`]).

use clap_mangen::roff::{bold, italic, roman, Roff};

fn item(roff: &mut Roff, tag: &str, text: &str) {
    roff.control("TP", []);
    roff.text([bold(tag)]);
    roff.text([roman(text)]);
}

fn para(roff: &mut Roff, text: &str) {
    roff.control("PP", []);
    roff.text([roman(text)]);
}

/// Appends the section.
pub fn section(r: &mut Roff) {
    r.control("SH", ["IP PERSONA"]);
    r.text([
        bold("ip"),
        roman(" ["),
        italic("OPTIONS"),
        roman("] "),
        bold("route"),
        roman("|"),
        bold("link"),
        roman("|"),
        bold("maddress"),
        roman(" ["),
        bold("show"),
        roman(" "),
        italic("SELECTORS"),
        roman(
            "] writes what iproute2 6.1.0's ip writes for the same words on the same kernel \
               state, byte for byte, with the same exit status. Objects, commands and options \
               are recognized by prefix in ip's order (ip r, ip ro sh, ip -s -s l).",
        ),
    ]);
    item(
        r,
        "OPTIONS",
        "-4, -6, -0, -M, -B, -f FAMILY, -s (repeated), -d, -r, -N, -o, -br, -j, -p, -h, -iec, \
         -c[=always|auto|never], -n NETNS, -rc SIZE, and ip's no-op options (-t, -ts, -a, -l, \
         -force, -echo); -V prints ip's version line.",
    );
    item(
        r,
        "route [list|show|lst] SELECTORS",
        "table main|local|all|cache|ID|NAME, vrf, cached, tos, proto, scope, type, dev, iif, \
         mark, metric, via [FAMILY] PREFIX, src, realms, from [root|match|exact] PREFIX, \
         [to] [root|match|exact] PREFIX. Dumped over rtnetlink with strict checking (the \
         kernel filters table, device, protocol and cloned routes), then filtered as ip does.",
    );
    item(
        r,
        "link [show|list|lst] [dev] NAME | up | group G | master DEV | nomaster | type KIND | vrf NAME",
        "Flags, qdisc, state, mode, group, qlen, link-layer addresses, link-netns, alias, \
         altnames; -s/-s -s statistics (stats64, -h/-iec forms); -d details for veth, bridge, \
         bridge ports, macvlan/macvtap and tun/tap (other kinds show their kind name only).",
    );
    item(
        r,
        "maddress [show|list|lst] [dev] NAME",
        "Link-layer, IPv4 and IPv6 memberships from /proc/net/dev_mcast, igmp and igmp6, as ip \
         reads them.",
    );
    para(
        r,
        "Other objects (address, neighbour, rule, ...), commands that change state (add, \
         delete, set, flush, ...), route get, and -batch print \"sockscope: ip WHAT is not \
         supported by sockscope\" and exit with status 2. Exit statuses otherwise follow ip: 0 \
         success; 1 unknown object, device or prefix; 2 a failed dump (\"Dump terminated\"); \
         255 usage errors and invalid arguments.",
    );
    para(
        r,
        "Not reproduced: lightweight-tunnel encapsulation of routes, XDP and SR-IOV VF \
         information of links.",
    );
}
