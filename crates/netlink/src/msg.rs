//! Zero-copy netlink framing: the message header, the messages of one datagram, the rtattr/NLA
//! list of a payload, and the two control messages (`NLMSG_ERROR`, `NLMSG_DONE`) with their
//! extended-ack TLVs.
//!
//! Every parser here works on `&[u8]` received from the kernel (or read from a file) and never
//! indexes out of bounds: short input yields `None` / a typed error, never a panic. Framing rules
//! follow the UAPI macros exactly (NLMSG_OK/NLMSG_NEXT, RTA_OK/RTA_NEXT), including their
//! behaviour on bad lengths, because ss reports the same leftovers ("!!!Remnant", "!!!Deficit").

use crate::consts::*;

/// `NLMSG_ALIGN` / `RTA_ALIGN`: round up to 4 bytes.
pub const fn nl_align(len: usize) -> usize {
    (len + NLMSG_ALIGNTO - 1) & !(NLMSG_ALIGNTO - 1)
}

/// Reads a native-endian u16 at `off` (None when out of bounds).
#[inline]
pub fn ne_u16(b: &[u8], off: usize) -> Option<u16> {
    let s = b.get(off..off.checked_add(2)?)?;
    Some(u16::from_ne_bytes([s[0], s[1]]))
}

/// Reads a native-endian u32 at `off` (None when out of bounds).
#[inline]
pub fn ne_u32(b: &[u8], off: usize) -> Option<u32> {
    let s = b.get(off..off.checked_add(4)?)?;
    Some(u32::from_ne_bytes([s[0], s[1], s[2], s[3]]))
}

/// Reads a native-endian u64 at `off` (None when out of bounds).
#[inline]
pub fn ne_u64(b: &[u8], off: usize) -> Option<u64> {
    let s = b.get(off..off.checked_add(8)?)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Some(u64::from_ne_bytes(a))
}

/// Reads `N` consecutive native-endian u32 values from the start of `b` (None when short).
#[inline]
pub fn ne_u32_array<const N: usize>(b: &[u8]) -> Option<[u32; N]> {
    if b.len() < N * 4 {
        return None;
    }
    let mut out = [0u32; N];
    for (i, chunk) in b.chunks_exact(4).take(N).enumerate() {
        out[i] = u32::from_ne_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    Some(out)
}

/// `struct nlmsghdr` (host byte order).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NlMsgHeader {
    /// Length of the message including this header.
    pub len: u32,
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    /// Port id of the sender (for replies: the port id of the requesting socket).
    pub pid: u32,
}

impl NlMsgHeader {
    pub const LEN: usize = NLMSG_HDRLEN;

    /// Parses the first 16 bytes of `b`.
    pub fn parse(b: &[u8]) -> Option<NlMsgHeader> {
        Some(NlMsgHeader {
            len: ne_u32(b, 0)?,
            kind: ne_u16(b, 4)?,
            flags: ne_u16(b, 6)?,
            seq: ne_u32(b, 8)?,
            pid: ne_u32(b, 12)?,
        })
    }

    /// The 16 wire bytes of this header.
    pub fn to_bytes(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        out[0..4].copy_from_slice(&self.len.to_ne_bytes());
        out[4..6].copy_from_slice(&self.kind.to_ne_bytes());
        out[6..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..12].copy_from_slice(&self.seq.to_ne_bytes());
        out[12..16].copy_from_slice(&self.pid.to_ne_bytes());
        out
    }
}

/// The messages of one datagram, as `NLMSG_OK`/`NLMSG_NEXT` walk them: iteration stops at the
/// first header that is short or claims more bytes than remain; [`Messages::remnant`] then says
/// how many bytes were left (ss's `!!!Remnant of size N`; it can be negative when the last
/// message's aligned length overshoots the datagram, exactly as the C `int` arithmetic does).
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    buf: &'a [u8],
    /// Bytes not yet consumed, as the C loop's signed `msglen`.
    remaining: isize,
}

impl<'a> Messages<'a> {
    pub fn new(datagram: &'a [u8]) -> Messages<'a> {
        Messages {
            buf: datagram,
            remaining: datagram.len() as isize,
        }
    }

    /// Bytes left over after iteration stopped (0 when the datagram was consumed exactly).
    pub fn remnant(&self) -> isize {
        self.remaining
    }
}

impl<'a> Iterator for Messages<'a> {
    /// The header and the payload (`nlmsg_len - 16` bytes after the header).
    type Item = (NlMsgHeader, &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining < NLMSG_HDRLEN as isize {
            return None;
        }
        let hdr = NlMsgHeader::parse(self.buf)?;
        let len = hdr.len as usize;
        if len < NLMSG_HDRLEN || len as isize > self.remaining {
            return None;
        }
        let payload = self.buf.get(NLMSG_HDRLEN..len)?;
        let step = nl_align(len);
        self.remaining -= step as isize;
        self.buf = self.buf.get(step..).unwrap_or(&[]);
        Some((hdr, payload))
    }
}

/// One attribute: its type as sent (flag bits included) and its payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attr<'a> {
    pub kind: u16,
    pub payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The type without `NLA_F_NESTED` / `NLA_F_NET_BYTEORDER`.
    pub fn type_masked(&self) -> u16 {
        self.kind & NLA_TYPE_MASK
    }
    pub fn u8(&self) -> Option<u8> {
        self.payload.first().copied()
    }
    pub fn u16(&self) -> Option<u16> {
        ne_u16(self.payload, 0)
    }
    pub fn u32(&self) -> Option<u32> {
        ne_u32(self.payload, 0)
    }
    pub fn u64(&self) -> Option<u64> {
        ne_u64(self.payload, 0)
    }
    /// The payload up to (not including) the first NUL byte, as C string readers see it.
    pub fn c_str(&self) -> &'a [u8] {
        match memchr_nul(self.payload) {
            Some(i) => &self.payload[..i],
            None => self.payload,
        }
    }
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == 0)
}

/// An rtattr/NLA list walked like `RTA_OK`/`RTA_NEXT` (4-byte alignment). Iteration stops at
/// the first attribute whose length is short or runs past the end; [`Attrs::deficit`] then
/// reports the leftover like ss's `!!!Deficit N, rta_len=M` (tolerant: the caller decides
/// whether that is worth a diagnostic; nothing here panics).
#[derive(Clone, Debug)]
pub struct Attrs<'a> {
    buf: &'a [u8],
    remaining: isize,
}

impl<'a> Attrs<'a> {
    pub fn new(buf: &'a [u8]) -> Attrs<'a> {
        Attrs {
            buf,
            remaining: buf.len() as isize,
        }
    }

    /// After iteration: `Some((leftover, rta_len))` when bytes were left that do not form an
    /// attribute (`rta_len` is the length field found there, 0 if fewer than 2 bytes remain).
    pub fn deficit(&self) -> Option<(isize, u16)> {
        if self.remaining == 0 {
            None
        } else {
            Some((self.remaining, ne_u16(self.buf, 0).unwrap_or(0)))
        }
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Attr<'a>;

    fn next(&mut self) -> Option<Attr<'a>> {
        if self.remaining < 4 {
            return None;
        }
        let len = ne_u16(self.buf, 0)? as usize;
        let kind = ne_u16(self.buf, 2)?;
        if len < 4 || len as isize > self.remaining {
            return None;
        }
        let payload = self.buf.get(4..len)?;
        let step = nl_align(len);
        self.remaining -= step as isize;
        self.buf = self.buf.get(step..).unwrap_or(&[]);
        Some(Attr { kind, payload })
    }
}

/// The first attribute of each type `<= max` (`max` < 64), in message order: iproute2's
/// `parse_rtattr` rule (first occurrence wins) for decoders that fill a struct as they go.
/// Later duplicates and higher types are skipped; [`FirstOfEach::deficit`] as for [`Attrs`].
#[derive(Clone, Debug)]
pub struct FirstOfEach<'a> {
    attrs: Attrs<'a>,
    max: u16,
    seen: u64,
}

impl<'a> FirstOfEach<'a> {
    pub fn new(buf: &'a [u8], max: u16) -> FirstOfEach<'a> {
        FirstOfEach {
            attrs: Attrs::new(buf),
            max: max.min(63),
            seen: 0,
        }
    }

    /// See [`Attrs::deficit`].
    pub fn deficit(&self) -> Option<(isize, u16)> {
        self.attrs.deficit()
    }
}

impl<'a> Iterator for FirstOfEach<'a> {
    type Item = Attr<'a>;

    fn next(&mut self) -> Option<Attr<'a>> {
        loop {
            let a = self.attrs.next()?;
            if a.kind > self.max || self.seen & (1 << a.kind) != 0 {
                continue;
            }
            self.seen |= 1 << a.kind;
            return Some(a);
        }
    }
}

/// Fills `table[type]` with the first attribute of each type `<= table.len() - 1`, as iproute2's
/// `parse_rtattr` does (first occurrence wins; types are compared with their flag bits, so a
/// nested-flagged type never matches). Returns the deficit like [`Attrs::deficit`].
pub fn attr_table<'a, const N: usize>(
    buf: &'a [u8],
    table: &mut [Option<&'a [u8]>; N],
) -> Option<(isize, u16)> {
    let mut it = Attrs::new(buf);
    for a in it.by_ref() {
        let t = a.kind as usize;
        if let Some(slot) = table.get_mut(t) {
            if slot.is_none() {
                *slot = Some(a.payload);
            }
        }
    }
    it.deficit()
}

/// The extended-ack TLVs ss uses: the message text and the offset of the bad attribute.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExtAck<'a> {
    /// NLMSGERR_ATTR_MSG without its terminating NUL.
    pub msg: Option<&'a [u8]>,
    /// NLMSGERR_ATTR_OFFS.
    pub offs: Option<u32>,
}

/// Highest ext-ack attribute iproute2 6.1's libmnl policy accepts (NLMSGERR_ATTR_MISS_NEST).
const NLMSGERR_ATTR_MAX: u16 = 6;

/// Parses ext-ack TLVs the way iproute2's libmnl callback does: an attribute type above
/// `NLMSGERR_ATTR_MAX`, an empty or unterminated MSG, or an OFFS that is not 4 bytes rejects
/// the whole set (ss then prints no text). Returns `None` when rejected.
pub fn parse_ext_ack(tlvs: &[u8]) -> Option<ExtAck<'_>> {
    let mut out = ExtAck::default();
    for a in Attrs::new(tlvs) {
        let t = a.type_masked();
        if t > NLMSGERR_ATTR_MAX {
            return None;
        }
        match t {
            NLMSGERR_ATTR_MSG => {
                if a.payload.last() != Some(&0) {
                    return None;
                }
                out.msg = Some(a.c_str());
            }
            NLMSGERR_ATTR_OFFS => {
                if a.payload.len() != 4 {
                    return None;
                }
                out.offs = a.u32();
            }
            _ => {}
        }
    }
    Some(out)
}

/// A parsed `NLMSG_ERROR` payload (`struct nlmsgerr` + optional ext-ack TLVs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ErrorMsg<'a> {
    /// The kernel's value: 0 for an ACK, `-errno` for an error.
    pub error: i32,
    /// The header of the request this answers (the first 16 bytes of the echoed request).
    pub request: NlMsgHeader,
    pub ext_ack: ExtAck<'a>,
}

impl<'a> ErrorMsg<'a> {
    /// Size of `struct nlmsgerr`: the error int plus the echoed request header.
    pub const MIN_LEN: usize = 4 + NLMSG_HDRLEN;

    /// Parses the payload of an `NLMSG_ERROR` message with header flags `flags`. `None` when
    /// the payload is shorter than `struct nlmsgerr` (ss: `ERROR truncated`).
    pub fn parse(flags: u16, payload: &'a [u8]) -> Option<ErrorMsg<'a>> {
        let error = ne_u32(payload, 0)? as i32;
        let request = NlMsgHeader::parse(payload.get(4..)?)?;
        let mut ext_ack = ExtAck::default();
        if flags & NLM_F_ACK_TLVS != 0 {
            // TLVs follow the echoed request, or only its header when NLM_F_CAPPED is set
            // (include/uapi/linux/netlink.h, struct nlmsgerr comment).
            let echoed = if flags & NLM_F_CAPPED != 0 {
                NLMSG_HDRLEN
            } else {
                (request.len as usize).max(NLMSG_HDRLEN)
            };
            let off = nl_align(4 + echoed);
            if let Some(tlvs) = payload.get(off..) {
                ext_ack = parse_ext_ack(tlvs).unwrap_or_default();
            }
        }
        Some(ErrorMsg {
            error,
            request,
            ext_ack,
        })
    }

    /// The positive errno (0 for an ACK).
    pub fn errno(&self) -> i32 {
        self.error.wrapping_neg()
    }
}

/// A parsed `NLMSG_DONE` payload: the dump's final status and ext-ack TLVs after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DoneMsg<'a> {
    /// 0 on success, `-errno` when the dump failed.
    pub error: i32,
    pub ext_ack: ExtAck<'a>,
}

impl<'a> DoneMsg<'a> {
    /// `None` when the payload is shorter than an int (ss: `DONE truncated`). TLVs are looked
    /// for right after the int whatever the flags say (iproute2's `nl_dump_ext_ack_done`).
    pub fn parse(payload: &'a [u8]) -> Option<DoneMsg<'a>> {
        let error = ne_u32(payload, 0)? as i32;
        let ext_ack = payload.get(4..).and_then(parse_ext_ack).unwrap_or_default();
        Some(DoneMsg { error, ext_ack })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(kind: u16, flags: u16, seq: u32, pid: u32, payload: &[u8]) -> Vec<u8> {
        let h = NlMsgHeader {
            len: (16 + payload.len()) as u32,
            kind,
            flags,
            seq,
            pid,
        };
        let mut v = h.to_bytes().to_vec();
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        crate::request::put_attr(&mut v, kind, payload);
        v
    }

    #[test]
    fn header_roundtrip() {
        let h = NlMsgHeader {
            len: 72,
            kind: 20,
            flags: 0x301,
            seq: 123456,
            pid: 0,
        };
        let b = h.to_bytes();
        assert_eq!(b, [72, 0, 0, 0, 20, 0, 1, 3, 0x40, 0xe2, 1, 0, 0, 0, 0, 0]);
        assert_eq!(NlMsgHeader::parse(&b), Some(h));
        assert_eq!(NlMsgHeader::parse(&b[..15]), None);
    }

    #[test]
    fn messages_walk_and_remnant() {
        let mut d = msg(20, 2, 1, 7, &[1, 2, 3, 4, 5]);
        d.extend(msg(3, 2, 1, 7, &0i32.to_ne_bytes()));
        let mut it = Messages::new(&d);
        let (h1, p1) = it.next().unwrap();
        assert_eq!((h1.kind, h1.len, p1), (20, 21, &[1u8, 2, 3, 4, 5][..]));
        let (h2, p2) = it.next().unwrap();
        assert_eq!((h2.kind, p2.len()), (3, 4));
        assert!(it.next().is_none());
        assert_eq!(it.remnant(), 0);

        // A header claiming more than remains stops the walk and leaves a remnant.
        let mut bad = msg(20, 2, 1, 7, &[0; 8]);
        bad.extend_from_slice(&[100, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        let mut it = Messages::new(&bad);
        assert!(it.next().is_some());
        assert!(it.next().is_none());
        assert_eq!(it.remnant(), 16);

        // Too short for a header, and a header whose length is below 16.
        let mut it = Messages::new(&[1, 2, 3]);
        assert!(it.next().is_none());
        assert_eq!(it.remnant(), 3);
        let zero_len = [0u8; 16];
        let mut it = Messages::new(&zero_len);
        assert!(it.next().is_none());
        assert_eq!(it.remnant(), 16);
    }

    #[test]
    fn messages_unaligned_last_overshoots_like_c() {
        // nlmsg_len 18 in an 18-byte datagram: accepted, then NLMSG_NEXT subtracts 20.
        let mut d = NlMsgHeader {
            len: 18,
            kind: 20,
            flags: 0,
            seq: 0,
            pid: 0,
        }
        .to_bytes()
        .to_vec();
        d.extend_from_slice(&[9, 9]);
        let mut it = Messages::new(&d);
        let (_, p) = it.next().unwrap();
        assert_eq!(p, &[9, 9]);
        assert!(it.next().is_none());
        assert_eq!(it.remnant(), -2);
    }

    #[test]
    fn attrs_alignment_and_deficit() {
        let mut b = attr(4, b"cubic\0");
        b.extend(attr(8, &[3]));
        b.extend(attr(21, &7u64.to_ne_bytes()));
        let got: Vec<_> = Attrs::new(&b).map(|a| (a.kind, a.payload.len())).collect();
        assert_eq!(got, vec![(4, 6), (8, 1), (21, 8)]);
        let a: Vec<_> = Attrs::new(&b).collect();
        assert_eq!(a[0].c_str(), b"cubic");
        assert_eq!(a[1].u8(), Some(3));
        assert_eq!(a[2].u64(), Some(7));
        assert_eq!(a[1].u32(), None);

        // Garbage tail: 6 bytes whose rta_len (0x50) exceeds the rest.
        let mut c = attr(8, &[1]);
        c.extend_from_slice(&[0x50, 0, 1, 0, 0, 0]);
        let mut it = Attrs::new(&c);
        assert_eq!(it.by_ref().count(), 1);
        assert_eq!(it.deficit(), Some((6, 0x50)));

        // rta_len < 4 stops too; 2 bytes left reports their value, 1 byte reports 0.
        let mut it = Attrs::new(&[2, 0, 0, 0]);
        assert_eq!(it.by_ref().count(), 0);
        assert_eq!(it.deficit(), Some((4, 2)));
        let mut it = Attrs::new(&[7]);
        assert_eq!(it.by_ref().count(), 0);
        assert_eq!(it.deficit(), Some((1, 0)));
        let mut it = Attrs::new(&[]);
        assert_eq!(it.by_ref().count(), 0);
        assert_eq!(it.deficit(), None);
    }

    #[test]
    fn attr_table_first_wins_and_ignores_flagged_types() {
        let mut b = attr(1, &[1]);
        b.extend(attr(1, &[2]));
        b.extend(attr(2 | NLA_F_NESTED, &[3]));
        b.extend(attr(40, &[4]));
        let mut t: [Option<&[u8]>; 4] = [None; 4];
        assert_eq!(attr_table(&b, &mut t), None);
        assert_eq!(t[1], Some(&[1u8][..]));
        assert_eq!(t[2], None);
    }

    #[test]
    fn error_with_ext_ack() {
        // NLMSG_ERROR -EINVAL, echoed request capped to its header, ext-ack MSG + OFFS.
        let req = NlMsgHeader {
            len: 72,
            kind: 20,
            flags: 0x301,
            seq: 123456,
            pid: 0,
        };
        let mut p = (-22i32).to_ne_bytes().to_vec();
        p.extend_from_slice(&req.to_bytes());
        p.extend(attr(NLMSGERR_ATTR_MSG, b"Unknown family\0"));
        p.extend(attr(NLMSGERR_ATTR_OFFS, &20u32.to_ne_bytes()));
        let e = ErrorMsg::parse(NLM_F_CAPPED | NLM_F_ACK_TLVS, &p).unwrap();
        assert_eq!(e.errno(), 22);
        assert_eq!(e.request, req);
        assert_eq!(e.ext_ack.msg, Some(&b"Unknown family"[..]));
        assert_eq!(e.ext_ack.offs, Some(20));
        // Without ACK_TLVS the TLVs are not looked at.
        let e = ErrorMsg::parse(NLM_F_CAPPED, &p).unwrap();
        assert_eq!(e.ext_ack, ExtAck::default());
        // Not capped: TLVs follow the whole echoed request (72 bytes claimed, so they would
        // start past the end here: no ext-ack, no panic).
        let e = ErrorMsg::parse(NLM_F_ACK_TLVS, &p).unwrap();
        assert_eq!(e.ext_ack.msg, None);
        // Truncated.
        assert!(ErrorMsg::parse(0, &p[..19]).is_none());
    }

    #[test]
    fn error_uncapped_with_full_echo() {
        let mut echoed = NlMsgHeader {
            len: 20,
            kind: 18,
            flags: 1,
            seq: 5,
            pid: 0,
        }
        .to_bytes()
        .to_vec();
        echoed.extend_from_slice(&[1, 2, 3, 4]);
        let mut p = (-19i32).to_ne_bytes().to_vec();
        p.extend_from_slice(&echoed);
        p.extend(attr(NLMSGERR_ATTR_MSG, b"no dev\0"));
        let e = ErrorMsg::parse(NLM_F_ACK_TLVS, &p).unwrap();
        assert_eq!(e.errno(), 19);
        assert_eq!(e.ext_ack.msg, Some(&b"no dev"[..]));
    }

    #[test]
    fn ext_ack_rejections_like_libmnl() {
        assert_eq!(parse_ext_ack(&attr(NLMSGERR_ATTR_MSG, b"no nul")), None);
        assert_eq!(parse_ext_ack(&attr(NLMSGERR_ATTR_MSG, b"")), None);
        assert_eq!(parse_ext_ack(&attr(NLMSGERR_ATTR_OFFS, &[1, 2])), None);
        assert_eq!(parse_ext_ack(&attr(9, &[0; 4])), None);
        let cookie = attr(3, &[1, 2, 3, 4]);
        assert_eq!(parse_ext_ack(&cookie), Some(ExtAck::default()));
    }

    #[test]
    fn done_parsing() {
        // Captured from this kernel: DONE for a raw v2 request (raw_diag absent): -ENOENT.
        let d = [
            0x14, 0, 0, 0, 0x03, 0, 0x02, 0, 0x40, 0xe2, 0x01, 0, 0xb2, 0x16, 0, 0, 0xfe, 0xff,
            0xff, 0xff,
        ];
        let (h, p) = Messages::new(&d).next().unwrap();
        assert_eq!(
            (h.kind, h.flags, h.seq, h.pid),
            (NLMSG_DONE, NLM_F_MULTI, 123456, 5810)
        );
        let done = DoneMsg::parse(p).unwrap();
        assert_eq!(done.error, -2);
        assert_eq!(done.ext_ack.msg, None);
        assert!(DoneMsg::parse(&[0, 0]).is_none());

        let mut p = (-22i32).to_ne_bytes().to_vec();
        p.extend(attr(NLMSGERR_ATTR_MSG, b"bad filter\0"));
        let done = DoneMsg::parse(&p).unwrap();
        assert_eq!(done.ext_ack.msg, Some(&b"bad filter"[..]));
    }

    #[test]
    fn u32_array_reader() {
        let b: Vec<u8> = (1u32..=3).flat_map(|v| v.to_ne_bytes()).collect();
        assert_eq!(ne_u32_array::<3>(&b), Some([1, 2, 3]));
        assert_eq!(ne_u32_array::<4>(&b), None);
        assert_eq!(ne_u32(&b, usize::MAX - 1), None);
    }
}
