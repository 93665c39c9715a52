//! Zero-extending readers for the small kernel structs the ss printer decodes from raw
//! attribute bytes: `tcp_bbr_info`, `tcp_dctcp_info`, `mptcp_info`, `sctp_info`,
//! `tcp_diag_md5sig`, `inet_diag_sockopt`, `xdp_diag_umem`/`stats`, `sock_filter`, plus a
//! netlink attribute walker for nested attributes (INET_DIAG_ULP_INFO).
//!
//! Layouts: iproute2 v6.1.0 include/uapi/linux/{inet_diag,mptcp,sctp,tcp,xdp_diag,filter}.h.
//! ss copies short payloads into a zeroed struct (or reads past them, which is undefined); here
//! every missing byte reads as 0 and nothing can panic.

/// Native-endian reads at fixed offsets; bytes past the end read as 0.
#[derive(Clone, Copy)]
pub struct Bytes<'a>(pub &'a [u8]);

impl Bytes<'_> {
    fn arr<const N: usize>(&self, off: usize) -> [u8; N] {
        let mut out = [0u8; N];
        if let Some(tail) = self.0.get(off..) {
            let n = tail.len().min(N);
            out[..n].copy_from_slice(&tail[..n]);
        }
        out
    }
    pub fn u8(&self, off: usize) -> u8 {
        self.0.get(off).copied().unwrap_or(0)
    }
    pub fn u16(&self, off: usize) -> u16 {
        u16::from_ne_bytes(self.arr(off))
    }
    pub fn u32(&self, off: usize) -> u32 {
        u32::from_ne_bytes(self.arr(off))
    }
    pub fn u64(&self, off: usize) -> u64 {
        u64::from_ne_bytes(self.arr(off))
    }
}

/// `struct tcp_bbr_info` (INET_DIAG_BBRINFO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BbrInfo {
    pub bw_lo: u32,
    pub bw_hi: u32,
    pub min_rtt: u32,
    pub pacing_gain: u32,
    pub cwnd_gain: u32,
}

impl BbrInfo {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        BbrInfo {
            bw_lo: r.u32(0),
            bw_hi: r.u32(4),
            min_rtt: r.u32(8),
            pacing_gain: r.u32(12),
            cwnd_gain: r.u32(16),
        }
    }
    /// Bottleneck bandwidth estimate in bytes per second.
    pub fn bw(&self) -> u64 {
        (u64::from(self.bw_hi) << 32) | u64::from(self.bw_lo)
    }
}

/// `struct tcp_dctcp_info` (INET_DIAG_DCTCPINFO).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DctcpInfo {
    pub enabled: u16,
    pub ce_state: u16,
    pub alpha: u32,
    pub ab_ecn: u32,
    pub ab_tot: u32,
}

impl DctcpInfo {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        DctcpInfo {
            enabled: r.u16(0),
            ce_state: r.u16(2),
            alpha: r.u32(4),
            ab_ecn: r.u32(8),
            ab_tot: r.u32(12),
        }
    }
}

/// `struct mptcp_info` (INET_DIAG_INFO of MPTCP sockets).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MptcpInfo {
    pub subflows: u8,
    pub add_addr_signal: u8,
    pub add_addr_accepted: u8,
    pub subflows_max: u8,
    pub add_addr_signal_max: u8,
    pub add_addr_accepted_max: u8,
    pub flags: u32,
    pub token: u32,
    pub write_seq: u64,
    pub snd_una: u64,
    pub rcv_nxt: u64,
    pub local_addr_used: u8,
    pub local_addr_max: u8,
    pub csum_enabled: u8,
}

/// `mptcpi_flags` bits.
pub const MPTCP_INFO_FLAG_FALLBACK: u32 = 1;
pub const MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED: u32 = 2;

impl MptcpInfo {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        MptcpInfo {
            subflows: r.u8(0),
            add_addr_signal: r.u8(1),
            add_addr_accepted: r.u8(2),
            subflows_max: r.u8(3),
            add_addr_signal_max: r.u8(4),
            add_addr_accepted_max: r.u8(5),
            flags: r.u32(8),
            token: r.u32(12),
            write_seq: r.u64(16),
            snd_una: r.u64(24),
            rcv_nxt: r.u64(32),
            local_addr_used: r.u8(40),
            local_addr_max: r.u8(41),
            csum_enabled: r.u8(42),
        }
    }
}

/// The part of `struct sctp_info` (INET_DIAG_INFO of SCTP sockets) that ss prints.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SctpInfo {
    pub tag: u32,
    pub state: u32,
    pub rwnd: u32,
    pub unackdata: u16,
    pub penddata: u16,
    pub instrms: u16,
    pub outstrms: u16,
    pub fragmentation_point: u32,
    pub inqueue: u32,
    pub outqueue: u32,
    pub overall_error: u32,
    pub max_burst: u32,
    pub maxseg: u32,
    pub peer_rwnd: u32,
    pub peer_tag: u32,
    pub peer_capable: u8,
    pub peer_sack: u8,
    pub s_autoclose: u32,
    pub s_adaptation_ind: u32,
    pub s_pd_point: u32,
    pub s_nodelay: u8,
    pub s_disable_fragments: u8,
    pub s_v4mapped: u8,
    pub s_frag_interleave: u8,
}

impl SctpInfo {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        // Offsets: 14 u64 assoc counters at 56..168, sockaddr_storage at 168..296, primary
        // transport fields at 296..344, socket fields from 344.
        SctpInfo {
            tag: r.u32(0),
            state: r.u32(4),
            rwnd: r.u32(8),
            unackdata: r.u16(12),
            penddata: r.u16(14),
            instrms: r.u16(16),
            outstrms: r.u16(18),
            fragmentation_point: r.u32(20),
            inqueue: r.u32(24),
            outqueue: r.u32(28),
            overall_error: r.u32(32),
            max_burst: r.u32(36),
            maxseg: r.u32(40),
            peer_rwnd: r.u32(44),
            peer_tag: r.u32(48),
            peer_capable: r.u8(52),
            peer_sack: r.u8(53),
            s_autoclose: r.u32(344),
            s_adaptation_ind: r.u32(348),
            s_pd_point: r.u32(352),
            s_nodelay: r.u8(356),
            s_disable_fragments: r.u8(357),
            s_v4mapped: r.u8(358),
            s_frag_interleave: r.u8(359),
        }
    }
}

/// Size of `struct tcp_diag_md5sig` (`family`, `prefixlen`, `keylen`, `addr[16]`, `key[80]`).
pub const MD5SIG_SIZE: usize = 100;
/// `TCP_MD5SIG_MAXKEYLEN`.
pub const MD5_MAXKEYLEN: usize = 80;

/// One `struct tcp_diag_md5sig`.
#[derive(Clone, Copy, Debug)]
pub struct Md5Sig {
    pub family: u8,
    pub prefixlen: u8,
    pub keylen: u16,
    pub addr: [u8; 16],
    pub key: [u8; MD5_MAXKEYLEN],
}

impl Md5Sig {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        let mut addr = [0u8; 16];
        let mut key = [0u8; MD5_MAXKEYLEN];
        if let Some(a) = b.get(4..) {
            let n = a.len().min(16);
            addr[..n].copy_from_slice(&a[..n]);
        }
        if let Some(k) = b.get(20..) {
            let n = k.len().min(MD5_MAXKEYLEN);
            key[..n].copy_from_slice(&k[..n]);
        }
        Md5Sig {
            family: r.u8(0),
            prefixlen: r.u8(1),
            keylen: r.u16(2),
            addr,
            key,
        }
    }
    /// The key bytes (`keylen` clamped to the array size).
    pub fn key(&self) -> &[u8] {
        &self.key[..usize::from(self.keylen).min(MD5_MAXKEYLEN)]
    }
}

/// The md5sig records in an INET_DIAG_MD5SIG payload the way ss walks them: the first record
/// always, then one more for every further (partial) 100 bytes.
pub fn md5sigs(b: &[u8]) -> impl Iterator<Item = Md5Sig> + '_ {
    let n = b.len().div_ceil(MD5SIG_SIZE).max(1);
    (0..n).map(move |i| Md5Sig::from_bytes(b.get(i * MD5SIG_SIZE..).unwrap_or(&[])))
}

/// `struct inet_diag_sockopt` flag names in ss's print order, with (byte, bit).
pub const SOCKOPT_FLAGS: [(&str, usize, u8); 11] = [
    ("recverr", 0, 0),
    ("is_icsk", 0, 1),
    ("freebind", 0, 2),
    ("hdrincl", 0, 3),
    ("mc_loop", 0, 4),
    ("transparent", 0, 5),
    ("mc_all", 0, 6),
    ("nodefrag", 0, 7),
    ("bind_addr_no_port", 1, 0),
    ("recverr_rfc4884", 1, 1),
    ("defer_connect", 1, 2),
];

/// Whether a one-bit field of `inet_diag_sockopt` is set. Bit fields are allocated from the
/// least significant bit on little-endian targets, from the most significant on big-endian.
pub fn sockopt_flag(b: &[u8], byte: usize, bit: u8) -> bool {
    let v = b.get(byte).copied().unwrap_or(0);
    let shift = if cfg!(target_endian = "little") {
        bit
    } else {
        7 - bit
    };
    v & (1 << shift) != 0
}

/// `struct xdp_diag_umem`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct XdpUmem {
    pub size: u64,
    pub id: u32,
    pub num_pages: u32,
    pub chunk_size: u32,
    pub headroom: u32,
    pub ifindex: u32,
    pub queue_id: u32,
    pub flags: u32,
    pub refs: u32,
}

impl XdpUmem {
    pub fn from_bytes(b: &[u8]) -> Self {
        let r = Bytes(b);
        XdpUmem {
            size: r.u64(0),
            id: r.u32(8),
            num_pages: r.u32(12),
            chunk_size: r.u32(16),
            headroom: r.u32(20),
            ifindex: r.u32(24),
            queue_id: r.u32(28),
            flags: r.u32(32),
            refs: r.u32(36),
        }
    }
}

/// `struct xdp_diag_stats`: rx dropped, rx invalid, rx queue full, fill ring empty,
/// tx invalid, tx ring empty.
pub fn xdp_stats(b: &[u8]) -> [u64; 6] {
    let r = Bytes(b);
    [
        r.u64(0),
        r.u64(8),
        r.u64(16),
        r.u64(24),
        r.u64(32),
        r.u64(40),
    ]
}

/// One classic BPF instruction (`struct sock_filter`: u16 code, u8 jt, u8 jf, u32 k).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SockFilter {
    pub code: u16,
    pub jt: u8,
    pub jf: u8,
    pub k: u32,
}

/// The complete instructions of a PACKET_DIAG_FILTER payload (ss uses `payload / 8`).
pub fn sock_filters(b: &[u8]) -> impl Iterator<Item = SockFilter> + '_ {
    b.chunks_exact(8).map(|c| {
        let r = Bytes(c);
        SockFilter {
            code: r.u16(0),
            jt: r.u8(2),
            jf: r.u8(3),
            k: r.u32(4),
        }
    })
}

/// Walks netlink attributes (`struct rtattr`: u16 len, u16 type, payload, 4-byte alignment)
/// and returns the payload of the first attribute of type `ty`, like libnetlink's
/// `parse_rtattr` (first occurrence wins, the type is not masked). Malformed tails end the
/// walk.
pub fn nla_find(mut b: &[u8], ty: u16) -> Option<&[u8]> {
    while b.len() >= 4 {
        let len = usize::from(u16::from_ne_bytes([b[0], b[1]]));
        let t = u16::from_ne_bytes([b[2], b[3]]);
        if len < 4 || len > b.len() {
            return None;
        }
        if t == ty {
            return b.get(4..len);
        }
        let next = (len + 3) & !3;
        b = b.get(next..)?;
    }
    None
}

/// `rta_getattr_str`: the bytes up to the first NUL.
pub fn c_str(b: &[u8]) -> &[u8] {
    match b.iter().position(|&c| c == 0) {
        Some(i) => &b[..i],
        None => b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nla(ty: u16, payload: &[u8]) -> Vec<u8> {
        let mut v = Vec::new();
        v.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(payload);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }

    #[test]
    fn nla_walk_finds_first_occurrence_and_survives_garbage() {
        let mut b = nla(1, b"mptcp\0");
        b.extend(nla(3, &[1, 2, 3, 4, 5]));
        b.extend(nla(3, &[9]));
        assert_eq!(nla_find(&b, 1), Some(&b"mptcp\0"[..]));
        assert_eq!(nla_find(&b, 3), Some(&[1u8, 2, 3, 4, 5][..]));
        assert_eq!(nla_find(&b, 2), None);
        assert_eq!(nla_find(&[0xff, 0xff, 1, 0], 1), None);
        assert_eq!(nla_find(&[2, 0, 1, 0, 0, 0], 1), None);
        assert_eq!(nla_find(&[], 1), None);
        assert_eq!(c_str(b"mptcp\0junk"), b"mptcp");
    }

    #[test]
    fn short_structs_zero_extend() {
        let b = BbrInfo::from_bytes(&[1, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(b.bw(), (2u64 << 32) | 1);
        assert_eq!(b.min_rtt, 0);
        assert_eq!(DctcpInfo::from_bytes(&[]), DctcpInfo::default());
        let m = MptcpInfo::from_bytes(&[0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(m.subflows_max, 2);
        assert_eq!(m.flags, 2);
        assert_eq!(m.token, 0);
        assert_eq!(SctpInfo::from_bytes(&[7]).tag, 7);
        assert_eq!(xdp_stats(&[]), [0; 6]);
    }

    #[test]
    fn md5_records_follow_ss_iteration() {
        assert_eq!(md5sigs(&[]).count(), 1);
        assert_eq!(md5sigs(&[0; 100]).count(), 1);
        assert_eq!(md5sigs(&[0; 150]).count(), 2);
        let mut rec = vec![0u8; 100];
        rec[0] = 2;
        rec[1] = 32;
        rec[2..4].copy_from_slice(&3u16.to_ne_bytes());
        rec[4..8].copy_from_slice(&[127, 0, 0, 1]);
        rec[20..23].copy_from_slice(b"k y");
        let s = md5sigs(&rec).next().unwrap();
        assert_eq!((s.family, s.prefixlen, s.key()), (2, 32, &b"k y"[..]));
        assert_eq!(&s.addr[..4], &[127, 0, 0, 1]);
        rec[2..4].copy_from_slice(&500u16.to_ne_bytes());
        assert_eq!(Md5Sig::from_bytes(&rec).key().len(), MD5_MAXKEYLEN);
    }

    #[test]
    fn sockopt_bits() {
        // is_icsk, mc_loop, mc_all (sample x10) and defer_connect.
        let b = if cfg!(target_endian = "little") {
            [0b0101_0010, 0b100]
        } else {
            [0b0100_1010, 0b0010_0000]
        };
        let set: Vec<&str> = SOCKOPT_FLAGS
            .iter()
            .filter(|(_, byte, bit)| sockopt_flag(&b, *byte, *bit))
            .map(|(n, _, _)| *n)
            .collect();
        assert_eq!(set, ["is_icsk", "mc_loop", "mc_all", "defer_connect"]);
    }

    #[test]
    fn bpf_instructions() {
        let mut b = Vec::new();
        for (code, k) in [(0x28u16, 12u32), (0x06, 65535)] {
            b.extend_from_slice(&code.to_ne_bytes());
            b.extend_from_slice(&[0, 0]);
            b.extend_from_slice(&k.to_ne_bytes());
        }
        b.push(0xaa); // partial trailing instruction is ignored
        let v: Vec<SockFilter> = sock_filters(&b).collect();
        assert_eq!(
            v,
            [
                SockFilter {
                    code: 0x28,
                    jt: 0,
                    jf: 0,
                    k: 12
                },
                SockFilter {
                    code: 6,
                    jt: 0,
                    jf: 0,
                    k: 65535
                }
            ]
        );
    }
}
