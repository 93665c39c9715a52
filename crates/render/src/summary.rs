//! The `ss -s` summary text (spec §4.10, misc/ss.c `print_summary`) from plain numbers.
//!
//! The query side fills [`Summary`] from /proc/net/sockstat(6) and /proc/net/snmp
//! (`sockscope_query::summary::read`); this module only formats. ss keeps the values in C
//! `int`s, so sums wrap like 32-bit integers.

use std::io::{self, Write};

use crate::cfmt;

/// ss's `struct ssummary` plus the `Tcp: CurrEstab` value, as the query crate reads it from
/// /proc (one definition for both sides).
pub use sockscope_query::summary::Summary;

/// Writes the summary exactly as `print_summary` prints it (ending with an empty line).
pub fn write_summary<W: Write + ?Sized>(s: &Summary, w: &mut W) -> io::Result<()> {
    let mut b = Vec::with_capacity(512);
    let d = |b: &mut Vec<u8>, v: i32| cfmt::i64_dec(b, i64::from(v));
    b.extend_from_slice(b"Total: ");
    d(&mut b, s.socks);
    b.extend_from_slice(b"\nTCP:   ");
    d(&mut b, s.tcp_total.wrapping_add(s.tcp_tws));
    b.extend_from_slice(b" (estab ");
    d(&mut b, s.tcp_estab);
    b.extend_from_slice(b", closed ");
    d(
        &mut b,
        s.tcp_total.wrapping_sub(
            s.tcp4_hashed
                .wrapping_add(s.tcp6_hashed)
                .wrapping_sub(s.tcp_tws),
        ),
    );
    b.extend_from_slice(b", orphaned ");
    d(&mut b, s.tcp_orphans);
    b.extend_from_slice(b", timewait ");
    d(&mut b, s.tcp_tws);
    b.extend_from_slice(b")\n\nTransport Total     IP        IPv6\n");
    let v4 = s.raw4.wrapping_add(s.udp4).wrapping_add(s.tcp4_hashed);
    let v6 = s.raw6.wrapping_add(s.udp6).wrapping_add(s.tcp6_hashed);
    let rows: [(&[u8], i32, i32, i32); 5] = [
        (b"RAW", s.raw4.wrapping_add(s.raw6), s.raw4, s.raw6),
        (b"UDP", s.udp4.wrapping_add(s.udp6), s.udp4, s.udp6),
        (
            b"TCP",
            s.tcp4_hashed.wrapping_add(s.tcp6_hashed),
            s.tcp4_hashed,
            s.tcp6_hashed,
        ),
        (b"INET", v4.wrapping_add(v6), v4, v6),
        (b"FRAG", s.frag4.wrapping_add(s.frag6), s.frag4, s.frag6),
    ];
    for (name, total, ip4, ip6) in rows {
        // printf("NAME\t  %-9d %-9d %-9d\n", …)
        b.extend_from_slice(name);
        b.extend_from_slice(b"\t  ");
        cfmt::i64_left(&mut b, i64::from(total), 9);
        b.push(b' ');
        cfmt::i64_left(&mut b, i64::from(ip4), 9);
        b.push(b' ');
        cfmt::i64_left(&mut b, i64::from(ip6), 9);
        b.push(b'\n');
    }
    b.push(b'\n');
    w.write_all(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sample_67() {
        // /proc/net/sockstat of the capture: sockets: used 51; TCP: inuse 16 orphan 0 tw 2
        // alloc 100025; TCP6: inuse 8; UDP 3/2; RAW 1/1; FRAG 0; CurrEstab 13.
        let s = Summary {
            socks: 51,
            tcp_total: 100025,
            tcp_tws: 2,
            tcp4_hashed: 16,
            tcp6_hashed: 8,
            udp4: 3,
            udp6: 2,
            raw4: 1,
            raw6: 1,
            tcp_estab: 13,
            ..Summary::default()
        };
        let mut out = Vec::new();
        write_summary(&s, &mut out).unwrap();
        let want = "Total: 51\n\
TCP:   100027 (estab 13, closed 100003, orphaned 0, timewait 2)\n\
\n\
Transport Total     IP        IPv6\n\
RAW\t  2         1         1        \n\
UDP\t  5         3         2        \n\
TCP\t  24        16        8        \n\
INET\t  31        20        11       \n\
FRAG\t  0         0         0        \n\
\n";
        assert_eq!(String::from_utf8(out).unwrap(), want);
    }

    #[test]
    fn sums_wrap_like_c_int() {
        let s = Summary {
            tcp_total: i32::MAX,
            tcp_tws: 1,
            ..Summary::default()
        };
        let mut out = Vec::new();
        write_summary(&s, &mut out).unwrap();
        assert!(String::from_utf8(out)
            .unwrap()
            .contains("TCP:   -2147483648 ("));
    }
}
