//! `netstat -r` as net-tools 2.10 prints it (lib/inet_gr.c `rprint_fib`, `rprint_cache`,
//! lib/inet6_gr.c `rprint_fib6`; spec 2.3): the IPv4 FIB in the three `-e` layouts, the
//! (always empty) IPv4 cache header and the IPv6 table.

use sockscope_query::netstat::names::NetstatNames;
use sockscope_query::netstat::procnet::{rtf, Route6Row};
use sockscope_query::netstat::rtnl::{Route4, RTF_GATEWAY, RTF_HOST, RTF_REJECT, RTF_UP};

use super::text::{self, left};
use crate::cfmt;

/// The route layout: netstat's `flag_exp` with 1 and 2 swapped, AND 3 (spec 2.3.1).
/// `-r` → 2, `-re` → 1, `-ree` → 3, `-reee` → 0 (title only).
pub fn route_ext(extend_count: u32) -> u32 {
    let flag_exp = 1 + extend_count;
    let v = match flag_exp {
        2 => 1,
        1 => 2,
        n => n,
    };
    v & 3
}

/// `Kernel IP routing table` and the column header of layout `ext`.
pub fn fib4_header(out: &mut Vec<u8>, ext: u32) {
    out.extend_from_slice(b"Kernel IP routing table\n");
    match ext {
        1 => out.extend_from_slice(
            b"Destination     Gateway         Genmask         Flags Metric Ref    Use Iface\n",
        ),
        2 => out.extend_from_slice(
            b"Destination     Gateway         Genmask         Flags   MSS Window  irtt Iface\n",
        ),
        3 => out.extend_from_slice(
            b"Destination     Gateway         Genmask         Flags Metric Ref    Use Iface    MSS   Window irtt\n",
        ),
        _ => {}
    }
}

/// `Kernel IP routing cache` and its header (the rows of /proc/net/rt_cache are empty since
/// Linux 3.6; only the 2.2-format header is known).
pub fn cache4_header(out: &mut Vec<u8>, ext: u32) {
    out.extend_from_slice(b"Kernel IP routing cache\n");
    match ext {
        1 => out.extend_from_slice(
            b"Source          Destination     Gateway         Flags Metric Ref    Use Iface\n",
        ),
        2 => out.extend_from_slice(
            b"Source          Destination     Gateway         Flags   MSS Window  irtt Iface\n",
        ),
        3 => out.extend_from_slice(
            b"Source          Destination     Gateway         Flags Metric Ref    Use Iface    MSS   Window irtt  TOS HHRef HHUptod     SpecDst\n",
        ),
        _ => {}
    }
}

/// The flag letters of an IPv4 route (U, G; `!` replaces them for reject routes; H).
pub fn fib4_flags(flags: u32) -> Vec<u8> {
    let mut f = Vec::with_capacity(4);
    push_fib4_flags(&mut f, flags);
    f
}

/// Appends the flags of [`fib4_flags`].
fn push_fib4_flags(f: &mut Vec<u8>, flags: u32) {
    let start = f.len();
    if flags & RTF_UP != 0 {
        f.push(b'U');
    }
    if flags & RTF_GATEWAY != 0 {
        f.push(b'G');
    }
    if flags & RTF_REJECT != 0 {
        f.truncate(start);
        f.push(b'!');
    }
    if flags & RTF_HOST != 0 {
        f.push(b'H');
    }
}

/// Prints one IPv4 FIB row of layout `ext` (0 prints nothing). `ifname` is the device name
/// (`*` for none); `numeric` is `-n`, `--numeric-hosts` or `-N`.
pub fn fib4_row(
    out: &mut Vec<u8>,
    r: &Route4,
    ifname: &[u8],
    ext: u32,
    numeric: bool,
    names: &mut dyn NetstatNames,
) {
    if ext == 0 {
        return;
    }
    let mask = r.mask();
    let reject = r.flags & RTF_REJECT != 0;
    // Cells are written in place (no buffer per row: a full table has 100,000s of rows), cut
    // to netstat's 15 bytes and padded. Destination, gateway (a dash for reject routes, whose
    // gateway is still looked up, as net-tools does), mask and flags open every layout.
    let cell = |out: &mut Vec<u8>, write: &mut dyn FnMut(&mut Vec<u8>), width: usize| {
        let start = out.len();
        write(out);
        out.truncate(start + width);
        cfmt::pad(out, start + width - out.len());
        out.push(b' ');
    };
    cell(
        out,
        &mut |o| {
            text::inet_route_dst(o, r.dst, mask, r.flags & RTF_HOST != 0, numeric, names);
        },
        15,
    );
    if reject {
        text::inet_host(&mut Vec::new(), r.gateway, numeric, true, names);
        out.extend_from_slice(b"-               ");
    } else {
        cell(
            out,
            &mut |o| text::inet_host(o, r.gateway, numeric, true, names),
            15,
        );
    }
    cell(out, &mut |o| text::dotted(o, mask), 15);
    let start = out.len();
    push_fib4_flags(out, r.flags);
    cfmt::pad(out, (start + 5).saturating_sub(out.len()));
    match (ext, reject) {
        (1, true) => {
            out.push(b' ');
            text::i_left(out, i64::from(r.metric), 6);
            out.extend_from_slice(b" -  ");
            text::i_right(out, 0, 7);
            out.extend_from_slice(b" -\n");
        }
        (1, false) => {
            out.push(b' ');
            text::i_left(out, i64::from(r.metric), 6);
            out.push(b' ');
            text::i_left(out, 0, 2);
            out.push(b' ');
            text::i_right(out, 0, 7);
            out.push(b' ');
            out.extend_from_slice(ifname);
            out.push(b'\n');
        }
        (2, true) => out.extend_from_slice(b"     - -          - -\n"),
        (2, false) => {
            out.push(b' ');
            text::i_right(out, i64::from(r.mss as i32), 5);
            out.push(b' ');
            text::i_left(out, i64::from(r.window as i32), 5);
            out.push(b' ');
            text::i_right(out, i64::from(r.irtt as i32), 6);
            out.push(b' ');
            out.extend_from_slice(ifname);
            out.push(b'\n');
        }
        (_, true) => {
            out.push(b' ');
            text::i_left(out, i64::from(r.metric), 6);
            out.extend_from_slice(b" -  ");
            text::i_right(out, 0, 7);
            out.extend_from_slice(b" -        -     -      -\n");
        }
        (_, false) => {
            out.push(b' ');
            text::i_left(out, i64::from(r.metric), 6);
            out.push(b' ');
            text::i_left(out, 0, 3);
            out.push(b' ');
            text::i_right(out, 0, 6);
            out.push(b' ');
            left(out, &ifname[..ifname.len().min(6)], 6);
            out.extend_from_slice(b"   ");
            text::i_left(out, i64::from(r.mss as i32), 5);
            out.push(b' ');
            text::i_left(out, i64::from(r.window as i32), 6);
            out.push(b' ');
            text::i_left(out, i64::from(r.irtt as i32), 0);
            out.push(b'\n');
        }
    }
}

/// `Kernel IPv6 routing table` (or `cache`) and the column header.
pub fn fib6_header(out: &mut Vec<u8>, cache: bool) {
    if cache {
        out.extend_from_slice(b"Kernel IPv6 routing cache\n");
    } else {
        out.extend_from_slice(b"Kernel IPv6 routing table\n");
    }
    out.extend_from_slice(
        b"Destination                    Next Hop                   Flag Met Ref  Use If\n",
    );
}

/// The flag letters of an IPv6 route (U ! G H D A C a e m n f).
pub fn fib6_flags(flags: u32) -> Vec<u8> {
    let mut f = Vec::with_capacity(8);
    for (bit, c) in [
        (rtf::UP, b'U'),
        (rtf::REJECT, b'!'),
        (rtf::GATEWAY, b'G'),
        (rtf::HOST, b'H'),
        (rtf::DEFAULT, b'D'),
        (rtf::ADDRCONF, b'A'),
        (rtf::CACHE, b'C'),
        (rtf::ALLONLINK, b'a'),
        (rtf::EXPIRES, b'e'),
        (rtf::MODIFIED, b'm'),
        (rtf::NONEXTHOP, b'n'),
        (rtf::FLOW, b'f'),
    ] {
        if flags & bit != 0 {
            f.push(c);
        }
    }
    f
}

/// Whether a /proc/net/ipv6_route row belongs to the FIB (`cache` false) or the cache listing.
pub fn fib6_listed(r: &Route6Row, cache: bool) -> bool {
    (r.flags & rtf::CACHE != 0) == cache
}

/// One IPv6 row: `%-30s %-26s %-4s %-3d %-1d %6d %s`.
pub fn fib6_row(out: &mut Vec<u8>, r: &Route6Row, numeric: bool, names: &mut dyn NetstatNames) {
    let mut dst = Vec::with_capacity(48);
    text::inet6_host(&mut dst, &r.dst, numeric, names);
    dst.push(b'/');
    crate::cfmt::i64_dec(&mut dst, i64::from(r.dst_len as i32));
    dst.truncate(127);
    let mut nh = Vec::with_capacity(48);
    text::inet6_host(&mut nh, &r.next_hop, numeric, names);
    nh.truncate(127);
    left(out, &dst, 30);
    out.push(b' ');
    left(out, &nh, 26);
    out.push(b' ');
    left(out, &fib6_flags(r.flags), 4);
    out.push(b' ');
    text::i_left(out, i64::from(r.metric), 3);
    out.push(b' ');
    text::i_left(out, i64::from(r.refcnt), 1);
    out.push(b' ');
    text::i_right(out, i64::from(r.use_count), 6);
    out.push(b' ');
    out.extend_from_slice(&r.device);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netstat::text::testing::fixture_names;

    fn route(dst: [u8; 4], plen: u8, gw: [u8; 4], flags: u32) -> Route4 {
        Route4 {
            dst,
            prefix_len: plen,
            gateway: gw,
            flags,
            ifindex: 2,
            ..Route4::default()
        }
    }

    fn s(v: Vec<u8>) -> String {
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn ext_cycle() {
        assert_eq!(
            (0..6).map(route_ext).collect::<Vec<_>>(),
            vec![2, 1, 3, 0, 1, 2]
        );
    }

    #[test]
    fn ipv4_layouts() {
        let mut n = fixture_names();
        let ug = RTF_UP | RTF_GATEWAY;
        let mut o = Vec::new();
        let d = route([0; 4], 0, [192, 0, 2, 254], ug);
        fib4_row(&mut o, &d, b"veth0", 2, false, &mut n);
        let mut r5 = route([198, 19, 5, 0], 24, [192, 0, 2, 2], ug);
        r5.mss = 1400;
        r5.window = 65535;
        r5.irtt = 100;
        fib4_row(&mut o, &r5, b"veth0", 2, false, &mut n);
        let rej = route([198, 19, 2, 0], 24, [0; 4], RTF_UP | RTF_REJECT);
        fib4_row(&mut o, &rej, b"*", 2, false, &mut n);
        let net = route([198, 51, 100, 0], 24, [0; 4], RTF_UP);
        fib4_row(&mut o, &net, b"br0", 2, false, &mut n);
        let long = route([198, 19, 8, 0], 24, [198, 51, 100, 2], ug);
        fib4_row(&mut o, &long, b"br0", 2, false, &mut n);
        assert_eq!(
            s(o),
            "default         192.0.2.254     0.0.0.0         UG        0 0          0 veth0\n\
             198.19.5.0      peer-b.example  255.255.255.0   UG     1400 65535    100 veth0\n\
             198.19.2.0      -               255.255.255.0   !         - -          - -\n\
             testnet         0.0.0.0         255.255.255.0   U         0 0          0 br0\n\
             198.19.8.0      a-really-long-p 255.255.255.0   UG        0 0          0 br0\n"
        );
        let mut o = Vec::new();
        let mut m = route([198, 18, 0, 0], 15, [192, 0, 2, 2], ug);
        m.metric = 100;
        fib4_row(&mut o, &m, b"veth0", 1, true, &mut n);
        let mut rj = rej.clone();
        rj.metric = 5;
        fib4_row(&mut o, &rj, b"*", 1, true, &mut n);
        fib4_row(&mut o, &r5, b"veth0", 3, true, &mut n);
        fib4_row(&mut o, &rj, b"*", 3, true, &mut n);
        fib4_row(&mut o, &r5, b"veth0", 0, true, &mut n);
        let h = route([198, 19, 7, 1], 32, [192, 0, 2, 2], ug | RTF_HOST);
        fib4_row(&mut o, &h, b"veth0", 2, true, &mut n);
        assert_eq!(
            s(o),
            "198.18.0.0      192.0.2.2       255.254.0.0     UG    100    0        0 veth0\n\
             198.19.2.0      -               255.255.255.0   !     5      -        0 -\n\
             198.19.5.0      192.0.2.2       255.255.255.0   UG    0      0        0 veth0    1400  65535  100\n\
             198.19.2.0      -               255.255.255.0   !     5      -        0 -        -     -      -\n\
             198.19.7.1      192.0.2.2       255.255.255.255 UGH       0 0          0 veth0\n"
        );
    }

    #[test]
    fn ipv6_rows() {
        let mut n = fixture_names();
        let p = |s: &str| s.parse::<std::net::Ipv6Addr>().unwrap().octets();
        let null = Route6Row::null(b"lo".to_vec());
        let mut o = Vec::new();
        fib6_row(&mut o, &null, false, &mut n);
        fib6_row(&mut o, &null, true, &mut n);
        let long = Route6Row {
            dst: p("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1"),
            dst_len: 128,
            next_hop: [0; 16],
            metric: 0,
            refcnt: 3,
            use_count: 0,
            flags: rtf::UP | rtf::NONEXTHOP,
            device: b"veth0".to_vec(),
        };
        fib6_row(&mut o, &long, true, &mut n);
        assert_eq!(
            s(o),
            "[::]/0                         [::]                       !n   -1  1      0 lo\n\
             ::/0                           ::                         !n   -1  1      0 lo\n\
             2001:db8:aaaa:bbbb:cccc:dddd:eeee:1/128 ::                         Un   0   3      0 veth0\n"
        );
        assert!(fib6_listed(&long, false) && !fib6_listed(&long, true));
    }
}
