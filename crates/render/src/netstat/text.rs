//! Small printf helpers shared by the netstat printers, and net-tools' address texts
//! (lib/inet.c `INET_rresolve`, lib/inet6.c `INET6_rresolve` / `fix_v4_address`).

use sockscope_query::netstat::names::NetstatNames;

use crate::addr;
use crate::cfmt;

/// `%-Ns`: `s` then blanks up to `width`.
#[inline]
pub fn left(out: &mut Vec<u8>, s: &[u8], width: usize) {
    out.extend_from_slice(s);
    if s.len() < width {
        cfmt::pad(out, width - s.len());
    }
}

/// `%Ns`: blanks up to `width`, then `s`.
#[inline]
pub fn right(out: &mut Vec<u8>, s: &[u8], width: usize) {
    if s.len() < width {
        cfmt::pad(out, width - s.len());
    }
    out.extend_from_slice(s);
}

/// `%Nlu` / `%Nd`-style right-justified decimal.
#[inline]
pub fn u_right(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut b = itoa_buf();
    let s = fmt_u64(&mut b, v);
    right(out, s, width);
}

/// `%-Nlu`.
#[inline]
pub fn u_left(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut b = itoa_buf();
    let s = fmt_u64(&mut b, v);
    left(out, s, width);
}

/// `%Nd` for a signed value.
#[inline]
pub fn i_right(out: &mut Vec<u8>, v: i64, width: usize) {
    let mut b = [0u8; 21];
    let s = fmt_i64(&mut b, v);
    right(out, s, width);
}

fn fmt_i64(buf: &mut [u8; 21], v: i64) -> &[u8] {
    let mut i = buf.len();
    let mut m = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// `%-Nd` for a signed value.
#[inline]
pub fn i_left(out: &mut Vec<u8>, v: i64, width: usize) {
    cfmt::i64_left(out, v, width);
}

fn itoa_buf() -> [u8; 20] {
    [0u8; 20]
}

fn fmt_u64(buf: &mut [u8; 20], mut v: u64) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

/// The dotted quad of a network-order IPv4 address.
pub fn dotted(out: &mut Vec<u8>, a: [u8; 4]) {
    addr::ntop4(out, a);
}

/// lib/inet.c `INET_sprint` (the socket tables, `-g`, gateways with the host bit): numeric →
/// dotted quad; 0.0.0.0 → `0.0.0.0`; otherwise a host lookup when the first octet is not 0
/// (the 0xffffff00 mask compared against the network-order word on a little-endian host), a
/// network lookup (`getnetbyaddr`) when it is; no name → dotted quad. Names are cut to 127
/// bytes (128-byte buffer).
pub fn inet_host(
    out: &mut Vec<u8>,
    a: [u8; 4],
    numeric: bool,
    force_host: bool,
    names: &mut dyn NetstatNames,
) {
    if numeric || a == [0; 4] {
        dotted(out, a);
        return;
    }
    let host = force_host || a[0] != 0;
    let name = if host {
        names.host4(a)
    } else {
        names.net4(u32::from_be_bytes(a))
    };
    match name {
        Some(n) => out.extend_from_slice(&n[..n.len().min(127)]),
        None => dotted(out, a),
    }
}

/// `INET_sprintmask` for route destinations (lib/inet_gr.c `rprint_fib`): numeric → dotted;
/// 0.0.0.0/0 → `default`, 0.0.0.0 with another mask → `0.0.0.0`; bits outside the mask or the
/// host flag → host lookup; else network lookup.
pub fn inet_route_dst(
    out: &mut Vec<u8>,
    a: [u8; 4],
    mask: [u8; 4],
    host_flag: bool,
    numeric: bool,
    names: &mut dyn NetstatNames,
) {
    if numeric {
        dotted(out, a);
        return;
    }
    if a == [0; 4] {
        if mask == [0; 4] {
            out.extend_from_slice(b"default");
        } else {
            out.extend_from_slice(b"0.0.0.0");
        }
        return;
    }
    let ad = u32::from_ne_bytes(a);
    let m = u32::from_ne_bytes(mask);
    let host = ad & !m != 0 || host_flag;
    let name = if host {
        names.host4(a)
    } else {
        names.net4(u32::from_be_bytes(a))
    };
    match name {
        Some(n) => out.extend_from_slice(&n[..n.len().min(127)]),
        None => dotted(out, a),
    }
}

/// lib/inet6.c `INET6_sprint`: numeric → `inet_ntop`; else `::` → `[::]`, other addresses
/// through `getnameinfo` (name or numeric text); then `fix_v4_address` (a v4-mapped address
/// whose text has a dot keeps only the part after the last `:` before that dot).
pub fn inet6_host(out: &mut Vec<u8>, a: &[u8; 16], numeric: bool, names: &mut dyn NetstatNames) {
    let start = out.len();
    if numeric {
        addr::ntop6(out, a);
    } else if a.iter().all(|&b| b == 0) {
        out.extend_from_slice(b"[::]");
        return;
    } else {
        match names.host6(a) {
            Some(n) => out.extend_from_slice(&n[..n.len().min(127)]),
            None => addr::ntop6(out, a),
        }
    }
    fix_v4_address(out, start, a);
}

/// lib/inet6.c `fix_v4_address` on `out[start..]`.
pub fn fix_v4_address(out: &mut Vec<u8>, start: usize, a: &[u8; 16]) {
    if !addr::is_v4_mapped(a) {
        return;
    }
    let text = &out[start..];
    let Some(dot) = text.iter().position(|&c| c == b'.') else {
        return;
    };
    let mut s = dot;
    while s > 0 && text[s] != b':' {
        s -= 1;
    }
    if text[s] == b':' {
        out.drain(start..start + s + 1);
    }
}

#[cfg(test)]
pub(crate) mod testing {
    use super::*;
    use sockscope_query::netstat::names::ServiceProto;
    use std::collections::HashMap;

    /// Fixed answers for printer tests.
    #[derive(Default)]
    pub struct FixedNames {
        pub hosts4: HashMap<[u8; 4], Vec<u8>>,
        pub nets: HashMap<u32, Vec<u8>>,
        pub hosts6: HashMap<[u8; 16], Vec<u8>>,
        pub services: HashMap<(u16, ServiceProto), Vec<u8>>,
        pub users: HashMap<u32, Vec<u8>>,
    }

    impl NetstatNames for FixedNames {
        fn host4(&mut self, a: [u8; 4]) -> Option<&[u8]> {
            self.hosts4.get(&a).map(|v| &v[..])
        }
        fn net4(&mut self, n: u32) -> Option<&[u8]> {
            self.nets.get(&n).map(|v| &v[..])
        }
        fn host6(&mut self, a: &[u8; 16]) -> Option<&[u8]> {
            self.hosts6.get(a).map(|v| &v[..])
        }
        fn service(&mut self, p: u16, proto: ServiceProto) -> Option<&[u8]> {
            self.services.get(&(p, proto)).map(|v| &v[..])
        }
        fn user(&mut self, uid: u32) -> Option<&[u8]> {
            self.users.get(&uid).map(|v| &v[..])
        }
    }

    pub fn fixture_names() -> FixedNames {
        let mut n = FixedNames::default();
        n.hosts4.insert([127, 0, 0, 1], b"localhost".to_vec());
        n.hosts4.insert([192, 0, 2, 1], b"alpha.example".to_vec());
        n.hosts4.insert([192, 0, 2, 2], b"peer-b.example".to_vec());
        n.hosts4.insert(
            [198, 51, 100, 2],
            b"a-really-long-peer-hostname.example.net".to_vec(),
        );
        n.nets.insert(0x7f00_0000, b"loopback".to_vec());
        n.nets.insert(0xc633_6400, b"testnet".to_vec());
        let mut lo6 = [0u8; 16];
        lo6[15] = 1;
        n.hosts6.insert(lo6, b"localhost".to_vec());
        for (p, s) in [
            (22u16, "ssh"),
            (80, "http"),
            (443, "https"),
            (5432, "postgresql"),
            (7000, "bbs"),
            (7100, "font-service"),
            (8080, "http-alt"),
            (25, "smtp"),
        ] {
            n.services
                .insert((p, ServiceProto::Tcp), s.as_bytes().to_vec());
        }
        for (p, s) in [(123u16, "ntp"), (161, "snmp"), (514, "syslog")] {
            n.services
                .insert((p, ServiceProto::Udp), s.as_bytes().to_vec());
        }
        n.services.insert((1, ServiceProto::Raw), b"icmp".to_vec());
        n.services
            .insert((58, ServiceProto::Raw), b"ipv6-icmp".to_vec());
        n.users.insert(0, b"root".to_vec());
        n
    }
}

#[cfg(test)]
mod tests {
    use super::testing::fixture_names;
    use super::*;

    fn s(v: Vec<u8>) -> String {
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn widths() {
        let mut o = Vec::new();
        left(&mut o, b"ab", 4);
        right(&mut o, b"cd", 4);
        u_right(&mut o, 42, 6);
        u_left(&mut o, 7, 3);
        i_right(&mut o, -1, 4);
        i_left(&mut o, -5, 3);
        assert_eq!(s(o), "ab    cd    427    -1-5 ");
    }

    #[test]
    fn host_texts() {
        let mut n = fixture_names();
        let mut o = Vec::new();
        inet_host(&mut o, [127, 0, 0, 1], false, false, &mut n);
        o.push(b' ');
        inet_host(&mut o, [0, 0, 0, 0], false, false, &mut n);
        o.push(b' ');
        inet_host(&mut o, [192, 0, 2, 99], false, false, &mut n);
        o.push(b' ');
        inet_host(&mut o, [127, 0, 0, 1], true, false, &mut n);
        assert_eq!(s(o), "localhost 0.0.0.0 192.0.2.99 127.0.0.1");
        let mut o = Vec::new();
        inet_route_dst(&mut o, [0; 4], [0; 4], false, false, &mut n);
        o.push(b' ');
        inet_route_dst(
            &mut o,
            [198, 51, 100, 0],
            [255, 255, 255, 0],
            false,
            false,
            &mut n,
        );
        o.push(b' ');
        inet_route_dst(&mut o, [127, 0, 0, 0], [255, 0, 0, 0], false, false, &mut n);
        o.push(b' ');
        inet_route_dst(
            &mut o,
            [198, 51, 100, 1],
            [255, 255, 255, 0],
            false,
            false,
            &mut n,
        );
        assert_eq!(s(o), "default testnet loopback 198.51.100.1");
        let mut o = Vec::new();
        let mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
        inet6_host(&mut o, &mapped, false, &mut n);
        o.push(b' ');
        inet6_host(&mut o, &mapped, true, &mut n);
        o.push(b' ');
        inet6_host(&mut o, &[0; 16], false, &mut n);
        o.push(b' ');
        inet6_host(&mut o, &[0; 16], true, &mut n);
        o.push(b' ');
        let mut lo = [0u8; 16];
        lo[15] = 1;
        inet6_host(&mut o, &lo, false, &mut n);
        assert_eq!(s(o), "127.0.0.1 127.0.0.1 [::] :: localhost");
    }
}
