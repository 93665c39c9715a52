//! The small part of C stdio that ss's /proc parsers depend on, reproduced over `&[u8]`:
//! `fgets` into a fixed buffer (long lines come back in pieces) and the `sscanf` conversions
//! `%x %llx %08x %d %u %s %[^\n]` with glibc's semantics (leading white space skipped,
//! 64-bit saturating conversion then truncation to the target type, field widths).
//!
//! Nothing here allocates or panics; every read is bounds-checked.

/// Splits `data` the way repeated `fgets(buf, size, fp)` calls would: each piece ends after a
/// `\n` or after `size - 1` bytes, whichever comes first (so a line longer than the buffer is
/// returned in several pieces, the last one carrying the newline).
#[derive(Clone, Debug)]
pub struct Fgets<'a> {
    data: &'a [u8],
    max: usize,
}

impl<'a> Fgets<'a> {
    pub fn new(data: &'a [u8], bufsize: usize) -> Fgets<'a> {
        Fgets {
            data,
            max: bufsize.saturating_sub(1).max(1),
        }
    }
}

impl<'a> Iterator for Fgets<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.data.is_empty() {
            return None;
        }
        let limit = self.data.len().min(self.max);
        let end = match memchr::memchr(b'\n', &self.data[..limit]) {
            Some(i) => i + 1,
            None => limit,
        };
        let (piece, rest) = self.data.split_at(end);
        self.data = rest;
        Some(piece)
    }
}

/// C `isspace` in the "C" locale.
pub fn is_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r')
}

/// A cursor performing sscanf-style conversions. A failed conversion leaves the cursor where it
/// was, and callers stop at the first failure (as sscanf does) and count successes.
#[derive(Clone, Debug)]
pub struct Scan<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Scan<'a> {
    /// The input ends at the first NUL byte, like a C string.
    pub fn new(s: &'a [u8]) -> Scan<'a> {
        let end = memchr::memchr(0, s).unwrap_or(s.len());
        Scan {
            s: &s[..end],
            pos: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// White space in the format: skips any amount (including none).
    pub fn ws(&mut self) {
        while self.peek().is_some_and(is_space) {
            self.pos += 1;
        }
    }

    /// A literal character in the format (no white space skipped before it).
    pub fn lit(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// Digits of `radix` with an optional sign, at most `width` bytes (sign included). Returns
    /// the magnitude saturated to u64 and whether it was negative.
    fn number(&mut self, radix: u32, width: Option<usize>) -> Option<(u64, bool)> {
        self.ws();
        let start = self.pos;
        let limit = width.map_or(self.s.len(), |w| (start + w).min(self.s.len()));
        let mut p = start;
        let mut neg = false;
        if p < limit && matches!(self.s[p], b'+' | b'-') {
            neg = self.s[p] == b'-';
            p += 1;
        }
        let digits_start = p;
        let mut v: u64 = 0;
        let mut overflow = false;
        while p < limit {
            let Some(d) = (self.s[p] as char).to_digit(radix) else {
                break;
            };
            match v
                .checked_mul(radix as u64)
                .and_then(|x| x.checked_add(d as u64))
            {
                Some(x) => v = x,
                None => overflow = true,
            }
            p += 1;
        }
        if p == digits_start {
            return None;
        }
        self.pos = p;
        Some((if overflow { u64::MAX } else { v }, neg))
    }

    /// `%llx` (and `%x` before truncation): strtoull semantics.
    pub fn hex_u64(&mut self, width: Option<usize>) -> Option<u64> {
        let (v, neg) = self.number(16, width)?;
        Some(if neg { v.wrapping_neg() } else { v })
    }

    /// `%x` into an `unsigned int` / `int`: the 64-bit value truncated to 32 bits.
    pub fn hex_u32(&mut self, width: Option<usize>) -> Option<u32> {
        self.hex_u64(width).map(|v| v as u32)
    }

    /// `%d` into an `int`: strtol (64-bit, saturating) then truncation.
    pub fn dec_i32(&mut self) -> Option<i32> {
        let (v, neg) = self.number(10, None)?;
        let l: i64 = if neg {
            if v > i64::MAX as u64 + 1 {
                i64::MIN
            } else {
                (v as i64).wrapping_neg()
            }
        } else if v > i64::MAX as u64 {
            i64::MAX
        } else {
            v as i64
        };
        Some(l as i32)
    }

    /// `%u` into an `unsigned int`: strtoul (64-bit, negation wraps) then truncation.
    pub fn dec_u32(&mut self) -> Option<u32> {
        let (v, neg) = self.number(10, None)?;
        Some(if neg {
            v.wrapping_neg() as u32
        } else {
            v as u32
        })
    }

    /// The unread rest of the input.
    pub fn rest(&self) -> &'a [u8] {
        &self.s[self.pos.min(self.s.len())..]
    }

    /// `%s`: a non-empty run of non-space bytes after skipping white space.
    pub fn word(&mut self) -> Option<&'a [u8]> {
        self.ws();
        let start = self.pos;
        while self.peek().is_some_and(|c| !is_space(c)) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.s[start..self.pos])
    }

    /// `%[^\n]`: a non-empty run of bytes up to a newline (no white space skipped).
    pub fn until_newline(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c != b'\n') {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.s[start..self.pos])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fgets_pieces() {
        let data = b"ab\ncdefgh\nij";
        let v: Vec<&[u8]> = Fgets::new(data, 5).collect();
        assert_eq!(v, vec![&b"ab\n"[..], b"cdef", b"gh\n", b"ij"]);
        assert_eq!(Fgets::new(b"", 256).count(), 0);
    }

    #[test]
    fn conversions() {
        let mut s = Scan::new(
            b"  0A 0100007F:0016 -1 4294967295 99999999999999999999 ffffffffffffffffff zz",
        );
        assert_eq!(s.hex_u32(None), Some(10));
        assert_eq!(s.hex_u32(None), Some(0x0100_007f));
        assert!(s.lit(b':'));
        assert_eq!(s.hex_u32(None), Some(0x16));
        assert_eq!(s.dec_i32(), Some(-1));
        assert_eq!(s.dec_i32(), Some(-1)); // 4294967295 as long, truncated to int
        assert_eq!(s.dec_i32(), Some(-1)); // LONG_MAX truncated
        assert_eq!(s.hex_u64(None), Some(u64::MAX)); // saturated
        assert_eq!(s.hex_u32(None), None);
        assert_eq!(s.word(), Some(&b"zz"[..]));
        assert_eq!(s.word(), None);
    }

    #[test]
    fn widths_and_strings() {
        let mut s = Scan::new(b"0000000000000000FFFF00000100007F:0016 rest of line\nnext");
        let a: Vec<u32> = (0..4).map(|_| s.hex_u32(Some(8)).unwrap()).collect();
        assert_eq!(a, vec![0, 0, 0xffff_0000, 0x0100_007f]);
        assert!(s.lit(b':'));
        assert_eq!(s.hex_u32(None), Some(0x16));
        s.ws();
        assert_eq!(s.until_newline(), Some(&b"rest of line"[..]));
        assert_eq!(s.until_newline(), None);
        let mut u = Scan::new(b"-1 12\0 34");
        assert_eq!(u.dec_u32(), Some(u32::MAX));
        assert_eq!(u.dec_u32(), Some(12));
        assert_eq!(u.dec_u32(), None); // the NUL ends the string
    }
}
