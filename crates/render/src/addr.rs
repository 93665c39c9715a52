//! Numeric address text exactly as glibc's `inet_ntop` writes it (ss prints addresses with
//! `rt_addr_n2a` → `inet_ntop`), appended to a byte vector without allocation.
//!
//! IPv6 follows glibc resolv/inet_ntop.c: the first longest run of two or more zero words is
//! compressed to `::`, words print as lowercase hex without leading zeros, and the last 32 bits
//! print as a dotted quad when the first 96 bits are zero with a non-zero 7th word (`::1.2.3.4`)
//! or are `::ffff:` (v4-mapped). This differs from Rust's `Ipv6Addr` display for the first
//! ("IPv4-compatible") form.

use crate::cfmt;

/// Appends the dotted-quad form of an IPv4 address.
#[inline]
pub fn ntop4(out: &mut Vec<u8>, a: [u8; 4]) {
    // At most 15 bytes: built in a 16-byte block and appended with one fixed-size copy.
    let mut buf = [0u8; 16];
    let n = quad(&mut buf, 0, a);
    cfmt::push_block(out, &buf, n);
}

/// Writes the dotted quad of `a` at `buf[n..]` (15 bytes at most); returns the new end.
#[inline]
fn quad(buf: &mut [u8], mut n: usize, a: [u8; 4]) -> usize {
    for (i, &b) in a.iter().enumerate() {
        if i > 0 {
            buf[n] = b'.';
            n += 1;
        }
        if b >= 100 {
            buf[n] = b'0' + b / 100;
            n += 1;
        }
        if b >= 10 {
            buf[n] = b'0' + (b / 10) % 10;
            n += 1;
        }
        buf[n] = b'0' + b % 10;
        n += 1;
    }
    n
}

/// Writes `w` as lowercase hex without leading zeros at `buf[n..]`; returns the new end.
#[inline]
fn hex_word(buf: &mut [u8], mut n: usize, w: u16) -> usize {
    let digits = (16 - w.leading_zeros() as usize).div_ceil(4).max(1);
    for d in (0..digits).rev() {
        buf[n] = cfmt::HEX[usize::from((w >> (4 * d)) & 0xf)];
        n += 1;
    }
    n
}

/// Appends glibc's text form of an IPv6 address.
pub fn ntop6(out: &mut Vec<u8>, a: &[u8; 16]) {
    let mut words = [0u16; 8];
    for (i, w) in words.iter_mut().enumerate() {
        *w = u16::from_be_bytes([a[2 * i], a[2 * i + 1]]);
    }
    // Longest run of zero words; the first one wins on ties; shorter than 2 is not compressed.
    let (mut best_base, mut best_len) = (usize::MAX, 0usize);
    let (mut cur_base, mut cur_len) = (usize::MAX, 0usize);
    for (i, &w) in words.iter().enumerate() {
        if w == 0 {
            if cur_base == usize::MAX {
                cur_base = i;
                cur_len = 1;
            } else {
                cur_len += 1;
            }
        } else if cur_base != usize::MAX {
            if best_base == usize::MAX || cur_len > best_len {
                best_base = cur_base;
                best_len = cur_len;
            }
            cur_base = usize::MAX;
        }
    }
    if cur_base != usize::MAX && (best_base == usize::MAX || cur_len > best_len) {
        best_base = cur_base;
        best_len = cur_len;
    }
    if best_base != usize::MAX && best_len < 2 {
        best_base = usize::MAX;
    }
    // At most 45 bytes (`ffff:…:255.255.255.255`): built in a block, appended with one copy.
    let mut buf = [0u8; 48];
    let mut n = 0;
    let in_best = |i: usize| best_base != usize::MAX && i >= best_base && i < best_base + best_len;
    for (i, &w) in words.iter().enumerate() {
        if in_best(i) {
            if i == best_base {
                buf[n] = b':';
                n += 1;
            }
            continue;
        }
        if i != 0 {
            buf[n] = b':';
            n += 1;
        }
        if i == 6 && best_base == 0 && (best_len == 6 || (best_len == 5 && words[5] == 0xffff)) {
            n = quad(&mut buf, n, [a[12], a[13], a[14], a[15]]);
            cfmt::push_block(out, &buf, n);
            return;
        }
        n = hex_word(&mut buf, n, w);
    }
    if best_base != usize::MAX && best_base + best_len == 8 {
        buf[n] = b':';
        n += 1;
    }
    cfmt::push_block(out, &buf, n);
}

/// True for `::ffff:a.b.c.d`.
pub fn is_v4_mapped(a: &[u8; 16]) -> bool {
    a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn six(s: &str) -> String {
        let a: Ipv6Addr = s.parse().unwrap();
        let mut v = Vec::new();
        ntop6(&mut v, &a.octets());
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn ipv6_forms_match_glibc() {
        // Expected strings are glibc inet_ntop output.
        assert_eq!(six("::"), "::");
        assert_eq!(six("::1"), "::1");
        assert_eq!(six("::ffff:127.0.0.1"), "::ffff:127.0.0.1");
        assert_eq!(six("::ffff:0:0"), "::ffff:0.0.0.0");
        assert_eq!(six("::1.2.3.4"), "::1.2.3.4");
        assert_eq!(six("::2"), "::2");
        assert_eq!(
            six("fe80::e043:fdff:fec4:3e3a"),
            "fe80::e043:fdff:fec4:3e3a"
        );
        assert_eq!(six("2001:db8::1"), "2001:db8::1");
        assert_eq!(six("2001:db8:0:1:0:0:0:1"), "2001:db8:0:1::1");
        assert_eq!(six("2001:db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
        assert_eq!(six("1:0:1:1:1:1:1:1"), "1:0:1:1:1:1:1:1");
        assert_eq!(six("1:2:3:4:5:6:7::"), "1:2:3:4:5:6:7:0");
        assert_eq!(six("1::"), "1::");
        assert_eq!(six("ff02::1:ff00:1"), "ff02::1:ff00:1");
        assert_eq!(six("0:0:0:0:0:1:0:0"), "::1:0:0");
        assert_eq!(
            six("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        );
        assert_eq!(six("::ffff:255.255.255.255"), "::ffff:255.255.255.255");
        assert_eq!(six("abc:f0:e00:d000::"), "abc:f0:e00:d000::");
    }

    #[test]
    fn ipv6_agrees_with_std_outside_the_dotted_forms() {
        // Rust's Display follows RFC 5952, as glibc does, except for the dotted forms (std
        // prints `::1.2.3.4` as `::102:304`): compare many words mixes with zero runs.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..20_000 {
            let mut w = [0u16; 8];
            for x in &mut w {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *x = match seed % 4 {
                    0 | 1 => 0,
                    2 => (seed >> 8) as u16 & 0xff,
                    _ => (seed >> 16) as u16,
                };
            }
            let a = Ipv6Addr::from(w);
            if w[..5] == [0; 5] && (w[5] == 0xffff || (w[5] == 0 && w[6] != 0)) {
                continue;
            }
            let mut v = Vec::new();
            ntop6(&mut v, &a.octets());
            assert_eq!(String::from_utf8(v).unwrap(), a.to_string(), "{w:x?}");
        }
    }

    #[test]
    fn ipv4_and_mapped() {
        let mut v = Vec::new();
        ntop4(&mut v, [10, 9, 8, 1]);
        assert_eq!(v, b"10.9.8.1");
        let a: Ipv6Addr = "::ffff:10.0.0.1".parse().unwrap();
        assert!(is_v4_mapped(&a.octets()));
        assert!(!is_v4_mapped(&Ipv6Addr::LOCALHOST.octets()));
    }
}
