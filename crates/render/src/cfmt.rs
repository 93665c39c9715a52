//! Exact re-implementations of the C `printf` conversions ss uses (`%g`, `%.3g`, `%.1f`,
//! `%.0f`, `%#x`, `%x`, `%0Nx`, `%-Nd`, `%03d`, `%d`, `%u`), appending bytes to a `Vec<u8>`.
//!
//! Why: ss's text is produced by glibc printf and must be reproduced byte for byte (spec §7).
//! Floating-point conversions go through Rust's correctly rounded decimal formatting (the same
//! digits glibc produces: exact binary value, ties to even) into a stack buffer, then get the C
//! `%g` rules applied (ISO C 7.21.6.1: style e if X < -4 or X >= P, else style f with precision
//! P-1-X, trailing zeros removed). Nothing here allocates except growth of the output vector.

use std::fmt::Write as _;

/// A fixed-capacity `fmt::Write` target on the stack; output beyond the capacity is dropped
/// (the largest text written here, `%.1f` of f64::MAX, is 311 bytes).
struct StackBuf {
    buf: [u8; 400],
    len: usize,
}

impl StackBuf {
    fn new() -> Self {
        StackBuf {
            buf: [0; 400],
            len: 0,
        }
    }
    fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let room = self.buf.len() - self.len;
        let n = s.len().min(room);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
        Ok(())
    }
}

/// Writes the non-finite forms glibc uses; returns true if `v` was not finite.
fn non_finite(out: &mut Vec<u8>, v: f64) -> bool {
    if v.is_nan() {
        out.extend_from_slice(if v.is_sign_negative() {
            b"-nan"
        } else {
            b"nan"
        });
        true
    } else if v.is_infinite() {
        out.extend_from_slice(if v < 0.0 { b"-inf" } else { b"inf" });
        true
    } else {
        false
    }
}

/// Removes trailing zeros after a decimal point, and the point itself if nothing follows.
fn strip_fraction_zeros(s: &[u8]) -> &[u8] {
    if !s.contains(&b'.') {
        return s;
    }
    let mut end = s.len();
    while end > 0 && s[end - 1] == b'0' {
        end -= 1;
    }
    if end > 0 && s[end - 1] == b'.' {
        end -= 1;
    }
    &s[..end]
}

/// Powers of ten exactly representable as f64 (10^0 ..= 10^22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// `round(|v| * 10^k)` when that is certain to be the correctly rounded decimal, else `None`
/// and the caller takes the exact path. `|v| * 10^k` must stay below 2^52.
fn scaled_round(v: f64, k: i64) -> Option<u64> {
    let a = v.abs();
    let t = if k >= 0 {
        a * *POW10.get(k as usize)?
    } else {
        a / *POW10.get(k.unsigned_abs() as usize)?
    };
    if t >= 4.0e15 {
        return None;
    }
    let floor = t.floor();
    let frac = t - floor;
    // 10^k is exact, the product or quotient correctly rounded, and below 2^52 every n + 0.5
    // is a double: rounding is monotonic, so `t` lies on the same side of each tie as the exact
    // |v| * 10^k, or on the tie itself. Only that case is uncertain (a true tie rounds to even
    // in C); the exact path decides it.
    if frac == 0.5 {
        return None;
    }
    Some(floor as u64 + u64::from(frac > 0.5))
}

/// `%.{p}g` without the exact formatter for the common case (|v| in [1e-4, 1e15), p <= 15).
fn g_fast(out: &mut Vec<u8>, v: f64, p: usize) -> bool {
    let a = v.abs();
    if p > 15 || !(1e-4..1e15).contains(&a) {
        return false;
    }
    // Decimal exponent of `a` before rounding.
    let mut exp = match POW10.iter().rposition(|&x| x <= a) {
        Some(i) => i as i64,
        None => [1e-1, 1e-2, 1e-3]
            .iter()
            .position(|&x| a >= x)
            .map_or(-4, |i| -(i as i64) - 1),
    };
    let Some(mut n) = scaled_round(v, p as i64 - 1 - exp) else {
        return false;
    };
    if n >= POW10[p] as u64 {
        // Rounding carried into a new digit (9.999996 -> 10.0000): one more exponent.
        exp += 1;
        match scaled_round(v, p as i64 - 1 - exp) {
            Some(m) => n = m,
            None => return false,
        }
    }
    if exp >= p as i64 {
        return false; // style e: leave it to the exact path (rare here)
    }
    if v.is_sign_negative() {
        out.push(b'-');
    }
    // n has exactly p digits (leading digit non-zero); the point goes after exp+1 of them.
    let mut digits = [b'0'; 24];
    let mut m = n;
    for i in (0..p).rev() {
        digits[i] = b'0' + (m % 10) as u8;
        m /= 10;
    }
    let digits = &digits[..p];
    if exp >= 0 {
        let int_len = exp as usize + 1;
        out.extend_from_slice(&digits[..int_len]);
        let frac = strip_zeros(&digits[int_len..]);
        if !frac.is_empty() {
            out.push(b'.');
            out.extend_from_slice(frac);
        }
    } else {
        out.extend_from_slice(b"0.");
        for _ in 0..(-exp - 1) {
            out.push(b'0');
        }
        out.extend_from_slice(strip_zeros(digits));
    }
    true
}

/// `digits` without its trailing zeros.
fn strip_zeros(digits: &[u8]) -> &[u8] {
    let end = digits.iter().rposition(|&c| c != b'0').map_or(0, |i| i + 1);
    &digits[..end]
}

/// C `%.{prec}g` (`prec` 0 behaves as 1, like C).
pub fn g_prec(out: &mut Vec<u8>, v: f64, prec: usize) {
    if non_finite(out, v) {
        return;
    }
    let p = prec.max(1);
    if v != 0.0 && g_fast(out, v, p) {
        return;
    }
    g_exact(out, v, p);
}

/// `%.{p}g` through the correctly rounded formatter (any value).
fn g_exact(out: &mut Vec<u8>, v: f64, p: usize) {
    // Style e with P-1 digits after the point gives the decimal exponent X after rounding.
    let mut e = StackBuf::new();
    let _ = write!(e, "{:.*e}", p - 1, v);
    let s = e.as_bytes();
    let epos = s.iter().position(|&c| c == b'e').unwrap_or(s.len());
    let exp: i64 = parse_exp(s.get(epos + 1..).unwrap_or(&[]));
    if exp < -4 || exp >= p as i64 {
        out.extend_from_slice(strip_fraction_zeros(&s[..epos]));
        out.push(b'e');
        out.push(if exp < 0 { b'-' } else { b'+' });
        let a = exp.unsigned_abs();
        if a < 10 {
            out.push(b'0');
        }
        u64_dec(out, a);
    } else {
        let mut f = StackBuf::new();
        let _ = write!(f, "{:.*}", (p as i64 - 1 - exp) as usize, v);
        out.extend_from_slice(strip_fraction_zeros(f.as_bytes()));
    }
}

fn parse_exp(s: &[u8]) -> i64 {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        _ => (false, s),
    };
    let mut v: i64 = 0;
    for &c in digits {
        if c.is_ascii_digit() {
            v = v.saturating_mul(10).saturating_add(i64::from(c - b'0'));
        }
    }
    if neg {
        -v
    } else {
        v
    }
}

/// C `%g`.
pub fn g(out: &mut Vec<u8>, v: f64) {
    g_prec(out, v, 6);
}

/// C `%.{prec}f`.
pub fn f_prec(out: &mut Vec<u8>, v: f64, prec: usize) {
    if non_finite(out, v) {
        return;
    }
    if prec <= 6 {
        if let Some(n) = scaled_round(v, prec as i64) {
            if v.is_sign_negative() {
                out.push(b'-');
            }
            let scale = POW10[prec] as u64;
            u64_dec(out, n / scale);
            if prec > 0 {
                out.push(b'.');
                let frac = n % scale;
                let mut d = [b'0'; 6];
                let mut m = frac;
                for i in (0..prec).rev() {
                    d[i] = b'0' + (m % 10) as u8;
                    m /= 10;
                }
                out.extend_from_slice(&d[..prec]);
            }
            return;
        }
    }
    let mut f = StackBuf::new();
    let _ = write!(f, "{:.*}", prec, v);
    out.extend_from_slice(f.as_bytes());
}

/// Appends the first `len` bytes of a small fixed block. Copying the whole block is an inlined
/// fixed-size move; the surplus is cut off again. (Cheaper than a `memcpy` call for the short
/// numbers and addresses that make up most cells.)
#[inline]
pub fn push_block<const N: usize>(out: &mut Vec<u8>, block: &[u8; N], len: usize) {
    let keep = out.len() + len.min(N);
    out.extend_from_slice(block);
    out.truncate(keep);
}

const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Number of decimal digits of `v` (1 for 0).
#[inline]
fn digits(v: u64) -> usize {
    let mut n = 1;
    let mut x = v;
    while x >= 10 {
        x /= 10;
        n += 1;
    }
    n
}

/// Writes the decimal digits of `v` into `buf[at..at + digits(v)]`; returns the digit count.
#[inline]
fn put_digits(buf: &mut [u8; 24], at: usize, v: u64) -> usize {
    let n = digits(v);
    let mut i = at + n;
    let mut x = v;
    while x >= 100 {
        let d = (x % 100) as usize * 2;
        x /= 100;
        i -= 2;
        buf[i] = PAIRS[d];
        buf[i + 1] = PAIRS[d + 1];
    }
    if x >= 10 {
        let d = x as usize * 2;
        i -= 2;
        buf[i] = PAIRS[d];
        buf[i + 1] = PAIRS[d + 1];
    } else {
        i -= 1;
        buf[i] = b'0' + x as u8;
    }
    n
}

/// C `%u` / `%llu`.
#[inline]
pub fn u64_dec(out: &mut Vec<u8>, v: u64) {
    let mut buf = [0u8; 24];
    let n = put_digits(&mut buf, 0, v);
    push_block(out, &buf, n);
}

/// C `%d` / `%lld`.
#[inline]
pub fn i64_dec(out: &mut Vec<u8>, v: i64) {
    let mut buf = [0u8; 24];
    let neg = v < 0;
    if neg {
        buf[0] = b'-';
    }
    let n = put_digits(&mut buf, usize::from(neg), v.unsigned_abs()) + usize::from(neg);
    push_block(out, &buf, n);
}

/// C `%-{width}d`: decimal, padded with spaces on the right to `width`.
#[inline]
pub fn i64_left(out: &mut Vec<u8>, v: i64, width: usize) {
    let mut buf = [b' '; 24];
    let neg = v < 0;
    if neg {
        buf[0] = b'-';
    }
    let n = put_digits(&mut buf, usize::from(neg), v.unsigned_abs()) + usize::from(neg);
    if width <= buf.len() {
        push_block(out, &buf, n.max(width));
    } else {
        push_block(out, &buf, n);
        pad(out, width - n);
    }
}

/// C `%0{width}d` for non-negative values (`%03d` of the timer milliseconds).
pub fn u64_zero(out: &mut Vec<u8>, v: u64, width: usize) {
    for _ in digits(v)..width {
        out.push(b'0');
    }
    u64_dec(out, v);
}

/// Appends `n` spaces.
pub fn pad(out: &mut Vec<u8>, n: usize) {
    out.resize(out.len() + n, b' ');
}

/// Lowercase hex digits.
pub(crate) const HEX: &[u8; 16] = b"0123456789abcdef";

/// C `%0{width}x` (`width` 0 or 1 = plain `%x` / `%llx`).
pub fn hex_pad(out: &mut Vec<u8>, v: u64, width: usize) {
    let mut tmp = [0u8; 16];
    let mut i = tmp.len();
    let mut x = v;
    loop {
        i -= 1;
        tmp[i] = HEX[(x & 0xf) as usize];
        x >>= 4;
        if x == 0 {
            break;
        }
    }
    let digits = tmp.len() - i;
    for _ in digits..width {
        out.push(b'0');
    }
    out.extend_from_slice(&tmp[i..]);
}

/// C `%x` / `%llx`.
pub fn hex(out: &mut Vec<u8>, v: u64) {
    hex_pad(out, v, 0);
}

/// C `%#x`: `0x` prefix except for zero, which prints as `0`.
pub fn alt_hex(out: &mut Vec<u8>, v: u64) {
    if v != 0 {
        out.extend_from_slice(b"0x");
    }
    hex(out, v);
}

/// C `%o` with a fixed width of 3 and zero fill (`\ooo` escapes).
pub fn oct3(out: &mut Vec<u8>, v: u8) {
    out.push(b'0' + (v >> 6));
    out.push(b'0' + ((v >> 3) & 7));
    out.push(b'0' + (v & 7));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_g(v: f64, p: usize) -> Vec<u8> {
        let mut o = Vec::new();
        g_exact(&mut o, v, p);
        o
    }

    fn exact_f(v: f64, p: usize) -> Vec<u8> {
        let mut f = StackBuf::new();
        let _ = write!(f, "{:.*}", p, v);
        f.as_bytes().to_vec()
    }

    /// The fast paths agree with the exact formatter on the values ss formats (kernel
    /// integers divided by 1000, 256, 8, percentages) and on pseudo-random doubles.
    #[test]
    fn fast_paths_equal_exact() {
        let mut vals: Vec<f64> = Vec::new();
        for i in 0..200_000u64 {
            vals.push(i as f64 / 1000.0);
            vals.push(i as f64 / 256.0);
            vals.push((i * 7919) as f64 / 8.0 * 1000.0);
            vals.push(-(i as f64) / 1000.0);
        }
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mant = (x >> 11) as f64 / (1u64 << 53) as f64;
            let e = (x % 40) as i32 - 20;
            vals.push(mant * 10f64.powi(e));
        }
        // Rates in bits per second (`%.0f` with -n): large, often whole, sometimes near a tie.
        for i in 0..100_000u64 {
            let base = (i * 1_234_567_891) as f64 * 8.0;
            for add in [0.0, 0.25, 0.5, 0.75] {
                let v = base + add;
                vals.push(v);
                vals.push(f64::from_bits(v.to_bits() + 1));
                vals.push(f64::from_bits(v.to_bits().saturating_sub(1)));
            }
            vals.push(base / 3.0);
        }
        vals.extend([
            0.5,
            1.5,
            2.5,
            0.125,
            9.9999995,
            99999.95,
            999999.5,
            0.00015,
            1e-5,
            3745843200000.0,
            873813333333.3334,
            2.5e11 + 0.5,
            1e15 - 0.5,
        ]);
        for &v in &vals {
            for p in [1usize, 3, 6] {
                let mut fast = Vec::new();
                g_prec(&mut fast, v, p);
                assert_eq!(fast, exact_g(v, p), "%.{p}g of {v:e}");
            }
            for p in [0usize, 1, 3] {
                let mut fast = Vec::new();
                f_prec(&mut fast, v, p);
                assert_eq!(fast, exact_f(v, p), "%.{p}f of {v:e}");
            }
        }
    }

    fn s(f: impl FnOnce(&mut Vec<u8>)) -> String {
        let mut v = Vec::new();
        f(&mut v);
        String::from_utf8(v).unwrap()
    }

    /// (value, %g, %.3g, %.1f, %.0f) as printed by glibc 2.36 printf on this machine
    /// (generated with a small C program; see the module docs).
    #[allow(clippy::excessive_precision)]
    const CASES: &[(f64, &str, &str, &str, &str)] = &[
        (0.0, "0", "0", "0.0", "0"),
        (1.0, "1", "1", "1.0", "1"),
        (0.5, "0.5", "0.5", "0.5", "0"),
        (1.5, "1.5", "1.5", "1.5", "2"),
        (2.5, "2.5", "2.5", "2.5", "2"),
        (0.25, "0.25", "0.25", "0.2", "0"),
        (0.125, "0.125", "0.125", "0.1", "0"),
        (204.0, "204", "204", "204.0", "204"),
        (0.006, "0.006", "0.006", "0.0", "0"),
        (0.003, "0.003", "0.003", "0.0", "0"),
        (0.03, "0.03", "0.03", "0.0", "0"),
        (0.016, "0.016", "0.016", "0.0", "0"),
        (0.113, "0.113", "0.113", "0.1", "0"),
        (0.218, "0.218", "0.218", "0.2", "0"),
        (2.88671875, "2.88672", "2.89", "2.9", "3"),
        (40.0, "40", "40", "40.0", "40"),
        (0.0001, "0.0001", "0.0001", "0.0", "0"),
        (0.00001, "1e-05", "1e-05", "0.0", "0"),
        (0.000123456789, "0.000123457", "0.000123", "0.0", "0"),
        (123456.0, "123456", "1.23e+05", "123456.0", "123456"),
        (1234567.0, "1.23457e+06", "1.23e+06", "1234567.0", "1234567"),
        (999999.5, "1e+06", "1e+06", "999999.5", "1000000"),
        (999999.4, "999999", "1e+06", "999999.4", "999999"),
        (9999995.0, "1e+07", "1e+07", "9999995.0", "9999995"),
        (0.1, "0.1", "0.1", "0.1", "0"),
        (
            1e21,
            "1e+21",
            "1e+21",
            "1000000000000000000000.0",
            "1000000000000000000000",
        ),
        (
            1e22,
            "1e+22",
            "1e+22",
            "10000000000000000000000.0",
            "10000000000000000000000",
        ),
        (
            123456789012345678.0,
            "1.23457e+17",
            "1.23e+17",
            "123456789012345680.0",
            "123456789012345680",
        ),
        (3.25159265358979, "3.25159", "3.25", "3.3", "3"),
        (100.5, "100.5", "100", "100.5", "100"),
        (
            1e15,
            "1e+15",
            "1e+15",
            "1000000000000000.0",
            "1000000000000000",
        ),
        (
            1e16,
            "1e+16",
            "1e+16",
            "10000000000000000.0",
            "10000000000000000",
        ),
        (2.5e-5, "2.5e-05", "2.5e-05", "0.0", "0"),
        (65535.0, "65535", "6.55e+04", "65535.0", "65535"),
        (
            4294967.295,
            "4.29497e+06",
            "4.29e+06",
            "4294967.3",
            "4294967",
        ),
        (0.0000095, "9.5e-06", "9.5e-06", "0.0", "0"),
        (99.95, "99.95", "100", "100.0", "100"),
        (0.9999995, "1", "1", "1.0", "1"),
        (9.9999995, "10", "10", "10.0", "10"),
        (
            436546666666.6667,
            "4.36547e+11",
            "4.37e+11",
            "436546666666.7",
            "436546666667",
        ),
        (
            26214390624.0,
            "2.62144e+10",
            "2.62e+10",
            "26214390624.0",
            "26214390624",
        ),
        (
            1247585543688.0,
            "1.24759e+12",
            "1.25e+12",
            "1247585543688.0",
            "1247585543688",
        ),
        (302.0e6, "3.02e+08", "3.02e+08", "302000000.0", "302000000"),
        (
            1.5e12,
            "1.5e+12",
            "1.5e+12",
            "1500000000000.0",
            "1500000000000",
        ),
        (5e-324, "4.94066e-324", "4.94e-324", "0.0", "0"),
        (12.25, "12.25", "12.2", "12.2", "12"),
        (0.05, "0.05", "0.05", "0.1", "0"),
        (0.15, "0.15", "0.15", "0.1", "0"),
        (0.35, "0.35", "0.35", "0.3", "0"),
        (9.5, "9.5", "9.5", "9.5", "10"),
        (0.45, "0.45", "0.45", "0.5", "0"),
    ];

    #[test]
    fn float_conversions_match_glibc() {
        for &(v, g6, g3, f1, f0) in CASES {
            assert_eq!(s(|o| g(o, v)), g6, "%g of {v:e}");
            assert_eq!(s(|o| g_prec(o, v, 3)), g3, "%.3g of {v:e}");
            assert_eq!(s(|o| f_prec(o, v, 1)), f1, "%.1f of {v:e}");
            assert_eq!(s(|o| f_prec(o, v, 0)), f0, "%.0f of {v:e}");
        }
    }

    #[test]
    fn huge_values_and_specials() {
        let max = s(|o| f_prec(o, f64::MAX, 1));
        assert_eq!(max.len(), 311);
        assert!(max.starts_with("17976931348623157081452742373170435679"));
        assert!(max.ends_with("858368.0"));
        assert_eq!(s(|o| g(o, f64::MAX)), "1.79769e+308");
        assert_eq!(s(|o| g_prec(o, f64::MAX, 3)), "1.8e+308");
        assert_eq!(s(|o| g(o, f64::INFINITY)), "inf");
        assert_eq!(s(|o| g(o, f64::NAN)), "nan");
        assert_eq!(s(|o| g(o, -0.0)), "-0");
        assert_eq!(s(|o| g(o, -1.5)), "-1.5");
        assert_eq!(s(|o| g_prec(o, 0.5, 0)), "0.5");
    }

    #[test]
    fn integer_conversions() {
        assert_eq!(s(|o| i64_left(o, 0, 6)), "0     ");
        assert_eq!(s(|o| i64_left(o, 4096, 6)), "4096  ");
        assert_eq!(s(|o| i64_left(o, -1, 6)), "-1    ");
        assert_eq!(s(|o| i64_left(o, 1234567, 6)), "1234567");
        assert_eq!(s(|o| i64_left(o, 31, 9)), "31       ");
        assert_eq!(s(|o| u64_zero(o, 5, 3)), "005");
        assert_eq!(s(|o| u64_zero(o, 924, 3)), "924");
        assert_eq!(s(|o| alt_hex(o, 0)), "0");
        assert_eq!(s(|o| alt_hex(o, 16)), "0x10");
        assert_eq!(s(|o| alt_hex(o, 6)), "0x6");
        assert_eq!(s(|o| hex(o, 0x1a3f3)), "1a3f3");
        assert_eq!(s(|o| hex(o, u64::MAX)), "ffffffffffffffff");
        assert_eq!(s(|o| hex_pad(o, 0, 4)), "0000");
        assert_eq!(s(|o| hex_pad(o, 0x28, 2)), "28");
        assert_eq!(s(|o| hex_pad(o, 6, 2)), "06");
        assert_eq!(s(|o| hex_pad(o, 1, 8)), "00000001");
        assert_eq!(s(|o| hex_pad(o, 0x32e63215, 4)), "32e63215");
        assert_eq!(s(|o| i64_dec(o, i64::MIN)), "-9223372036854775808");
        assert_eq!(s(|o| u64_dec(o, u64::MAX)), "18446744073709551615");
        assert_eq!(s(|o| oct3(o, 0)), "000");
        assert_eq!(s(|o| oct3(o, b' ')), "040");
        assert_eq!(s(|o| oct3(o, 255)), "377");
    }
}
