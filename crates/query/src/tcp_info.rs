//! Length-tolerant decoding of the kernel's `struct tcp_info` (the INET_DIAG_INFO payload of
//! TCP sockets).
//!
//! Layout: include/uapi/linux/tcp.h (Linux 6.x, 280 bytes up to `tcpi_accecn_opt_seen`). Kernels
//! send whatever size they were built with: old kernels send a shorter struct (4.4 sends 144
//! bytes, 4.9 sends 168 …), newer kernels a longer one. ss 6.1 zero-extends short payloads and
//! ignores bytes past its own struct (which ends with `tcpi_snd_wnd` at byte 232); this decoder
//! does the same for every field it knows, so a missing field reads as 0 and unknown trailing
//! bytes are ignored. Values are native-endian (netlink carries host order); the two bit-field
//! bytes follow the C ABI bit allocation of the target (LSB first on little-endian).
//!
//! Decoding never panics, whatever the input length.

/// `tcpi_options` bits (include/uapi/linux/tcp.h `TCPI_OPT_*`).
pub mod opt {
    pub const TIMESTAMPS: u8 = 1;
    pub const SACK: u8 = 2;
    pub const WSCALE: u8 = 4;
    /// ECN was negotiated at TCP session init.
    pub const ECN: u8 = 8;
    /// At least one packet with ECT was received.
    pub const ECN_SEEN: u8 = 16;
    /// SYN-ACK acked data in SYN sent or received.
    pub const SYN_DATA: u8 = 32;
    pub const USEC_TS: u8 = 64;
    pub const TFO_CHILD: u8 = 128;
}

/// Size of `struct tcp_info` as iproute2 6.1 knows it (ends with `tcpi_snd_wnd`).
pub const SS61_SIZE: usize = 232;
/// Size of the newest layout this decoder knows (ends with `tcpi_accecn_opt_seen`).
pub const KNOWN_SIZE: usize = 280;

/// Every field of `struct tcp_info` through the Linux 6.x layout, with the kernel's names minus
/// the `tcpi_` prefix. Fields absent from a short payload are 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TcpInfo {
    pub state: u8,
    pub ca_state: u8,
    pub retransmits: u8,
    pub probes: u8,
    pub backoff: u8,
    pub options: u8,
    /// Bit field `tcpi_snd_wscale:4`.
    pub snd_wscale: u8,
    /// Bit field `tcpi_rcv_wscale:4`.
    pub rcv_wscale: u8,
    /// Bit field `tcpi_delivery_rate_app_limited:1`.
    pub delivery_rate_app_limited: bool,
    /// Bit field `tcpi_fastopen_client_fail:2`.
    pub fastopen_client_fail: u8,

    pub rto: u32,
    pub ato: u32,
    pub snd_mss: u32,
    pub rcv_mss: u32,

    pub unacked: u32,
    pub sacked: u32,
    pub lost: u32,
    pub retrans: u32,
    pub fackets: u32,

    pub last_data_sent: u32,
    pub last_ack_sent: u32,
    pub last_data_recv: u32,
    pub last_ack_recv: u32,

    pub pmtu: u32,
    pub rcv_ssthresh: u32,
    pub rtt: u32,
    pub rttvar: u32,
    pub snd_ssthresh: u32,
    pub snd_cwnd: u32,
    pub advmss: u32,
    pub reordering: u32,

    pub rcv_rtt: u32,
    pub rcv_space: u32,

    pub total_retrans: u32,

    pub pacing_rate: u64,
    pub max_pacing_rate: u64,
    pub bytes_acked: u64,
    pub bytes_received: u64,
    pub segs_out: u32,
    pub segs_in: u32,

    pub notsent_bytes: u32,
    pub min_rtt: u32,
    pub data_segs_in: u32,
    pub data_segs_out: u32,

    pub delivery_rate: u64,

    pub busy_time: u64,
    pub rwnd_limited: u64,
    pub sndbuf_limited: u64,

    pub delivered: u32,
    pub delivered_ce: u32,

    pub bytes_sent: u64,
    pub bytes_retrans: u64,
    pub dsack_dups: u32,
    pub reord_seen: u32,

    pub rcv_ooopack: u32,

    pub snd_wnd: u32,
    // ---- fields newer than iproute2 6.1 (kept, not printed by ss) ----
    pub rcv_wnd: u32,
    pub rehash: u32,
    pub total_rto: u16,
    pub total_rto_recoveries: u16,
    pub total_rto_time: u32,
    pub received_ce: u32,
    pub delivered_e1_bytes: u32,
    pub delivered_e0_bytes: u32,
    pub delivered_ce_bytes: u32,
    pub received_e1_bytes: u32,
    pub received_e0_bytes: u32,
    pub received_ce_bytes: u32,
    pub accecn_fail_mode: u16,
    pub accecn_opt_seen: u16,
}

/// Native-endian reads at fixed offsets of a zero-extended view of the payload.
struct Reader<'a>(&'a [u8]);

impl Reader<'_> {
    #[inline]
    fn bytes<const N: usize>(&self, off: usize) -> [u8; N] {
        // The whole field present (the usual case): a fixed-size load, not a `memcpy` call.
        if let Some(Ok(whole)) = self
            .0
            .get(off..off.saturating_add(N))
            .map(<[u8; N]>::try_from)
        {
            return whole;
        }
        let mut out = [0u8; N];
        // Copy whatever part of [off, off+N) exists; the rest stays zero (zero-extension).
        if let Some(tail) = self.0.get(off..) {
            let n = tail.len().min(N);
            out[..n].copy_from_slice(&tail[..n]);
        }
        out
    }
    fn u8(&self, off: usize) -> u8 {
        self.0.get(off).copied().unwrap_or(0)
    }
    fn u16(&self, off: usize) -> u16 {
        u16::from_ne_bytes(self.bytes::<2>(off))
    }
    fn u32(&self, off: usize) -> u32 {
        u32::from_ne_bytes(self.bytes::<4>(off))
    }
    fn u64(&self, off: usize) -> u64 {
        u64::from_ne_bytes(self.bytes::<8>(off))
    }
}

/// Splits the `tcpi_snd_wscale:4, tcpi_rcv_wscale:4` byte. GCC allocates bit fields from the
/// least significant bit on little-endian targets and from the most significant on big-endian.
fn split_wscale(b: u8) -> (u8, u8) {
    if cfg!(target_endian = "little") {
        (b & 0x0f, b >> 4)
    } else {
        (b >> 4, b & 0x0f)
    }
}

/// Splits the `tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2` byte.
fn split_app_limited(b: u8) -> (bool, u8) {
    if cfg!(target_endian = "little") {
        (b & 1 != 0, (b >> 1) & 3)
    } else {
        (b & 0x80 != 0, (b >> 5) & 3)
    }
}

impl TcpInfo {
    /// Decodes a `struct tcp_info` payload of any length: short payloads are zero-extended,
    /// bytes past [`KNOWN_SIZE`] are ignored.
    pub fn from_bytes(b: &[u8]) -> TcpInfo {
        let r = Reader(b);
        let (snd_wscale, rcv_wscale) = split_wscale(r.u8(6));
        let (app_limited, tfo_fail) = split_app_limited(r.u8(7));
        TcpInfo {
            state: r.u8(0),
            ca_state: r.u8(1),
            retransmits: r.u8(2),
            probes: r.u8(3),
            backoff: r.u8(4),
            options: r.u8(5),
            snd_wscale,
            rcv_wscale,
            delivery_rate_app_limited: app_limited,
            fastopen_client_fail: tfo_fail,
            rto: r.u32(8),
            ato: r.u32(12),
            snd_mss: r.u32(16),
            rcv_mss: r.u32(20),
            unacked: r.u32(24),
            sacked: r.u32(28),
            lost: r.u32(32),
            retrans: r.u32(36),
            fackets: r.u32(40),
            last_data_sent: r.u32(44),
            last_ack_sent: r.u32(48),
            last_data_recv: r.u32(52),
            last_ack_recv: r.u32(56),
            pmtu: r.u32(60),
            rcv_ssthresh: r.u32(64),
            rtt: r.u32(68),
            rttvar: r.u32(72),
            snd_ssthresh: r.u32(76),
            snd_cwnd: r.u32(80),
            advmss: r.u32(84),
            reordering: r.u32(88),
            rcv_rtt: r.u32(92),
            rcv_space: r.u32(96),
            total_retrans: r.u32(100),
            pacing_rate: r.u64(104),
            max_pacing_rate: r.u64(112),
            bytes_acked: r.u64(120),
            bytes_received: r.u64(128),
            segs_out: r.u32(136),
            segs_in: r.u32(140),
            notsent_bytes: r.u32(144),
            min_rtt: r.u32(148),
            data_segs_in: r.u32(152),
            data_segs_out: r.u32(156),
            delivery_rate: r.u64(160),
            busy_time: r.u64(168),
            rwnd_limited: r.u64(176),
            sndbuf_limited: r.u64(184),
            delivered: r.u32(192),
            delivered_ce: r.u32(196),
            bytes_sent: r.u64(200),
            bytes_retrans: r.u64(208),
            dsack_dups: r.u32(216),
            reord_seen: r.u32(220),
            rcv_ooopack: r.u32(224),
            snd_wnd: r.u32(228),
            rcv_wnd: r.u32(232),
            rehash: r.u32(236),
            total_rto: r.u16(240),
            total_rto_recoveries: r.u16(242),
            total_rto_time: r.u32(244),
            received_ce: r.u32(248),
            delivered_e1_bytes: r.u32(252),
            delivered_e0_bytes: r.u32(256),
            delivered_ce_bytes: r.u32(260),
            received_e1_bytes: r.u32(264),
            received_e0_bytes: r.u32(268),
            received_ce_bytes: r.u32(272),
            accecn_fail_mode: r.u16(276),
            accecn_opt_seen: r.u16(278),
        }
    }

    /// True when `tcpi_options` has the given [`opt`] bit.
    pub fn has_opt(&self, bit: u8) -> bool {
        self.options & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a full-size payload where every field has a distinct recognisable value.
    fn full() -> Vec<u8> {
        let mut b = vec![0u8; KNOWN_SIZE];
        b[0] = 1; // state ESTABLISHED
        b[1] = 2;
        b[2] = 3;
        b[3] = 4;
        b[4] = 5;
        b[5] = opt::TIMESTAMPS | opt::SACK | opt::WSCALE;
        // snd_wscale 7, rcv_wscale 10 (little-endian bit allocation)
        b[6] = if cfg!(target_endian = "little") {
            7 | (10 << 4)
        } else {
            (7 << 4) | 10
        };
        // app_limited 1, fastopen_client_fail 2
        b[7] = if cfg!(target_endian = "little") {
            1 | (2 << 1)
        } else {
            0x80 | (2 << 5)
        };
        let mut put32 = |off: usize, v: u32| b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
        for off in (8..104).step_by(4) {
            put32(off, 1000 + off as u32);
        }
        for off in [
            136, 140, 144, 148, 152, 156, 192, 196, 216, 220, 224, 228, 232, 236,
        ] {
            put32(off, 1000 + off as u32);
        }
        for off in (244..276).step_by(4) {
            put32(off, 1000 + off as u32);
        }
        for off in [104usize, 112, 120, 128, 160, 168, 176, 184, 200, 208] {
            b[off..off + 8].copy_from_slice(&(0x1_0000_0000u64 + off as u64).to_ne_bytes());
        }
        for off in [240usize, 242, 276, 278] {
            b[off..off + 2].copy_from_slice(&(off as u16).to_ne_bytes());
        }
        b
    }

    #[test]
    fn exact_size_decodes_every_field() {
        let t = TcpInfo::from_bytes(&full());
        assert_eq!(
            (t.state, t.ca_state, t.retransmits, t.probes, t.backoff),
            (1, 2, 3, 4, 5)
        );
        assert!(t.has_opt(opt::WSCALE) && t.has_opt(opt::SACK) && !t.has_opt(opt::ECN));
        assert_eq!((t.snd_wscale, t.rcv_wscale), (7, 10));
        assert!(t.delivery_rate_app_limited);
        assert_eq!(t.fastopen_client_fail, 2);
        assert_eq!(t.rto, 1008);
        assert_eq!(t.ato, 1012);
        assert_eq!(t.snd_mss, 1016);
        assert_eq!(t.rcv_mss, 1020);
        assert_eq!(t.unacked, 1024);
        assert_eq!(t.fackets, 1040);
        assert_eq!(t.last_data_sent, 1044);
        assert_eq!(t.last_ack_recv, 1056);
        assert_eq!(t.pmtu, 1060);
        assert_eq!(t.rtt, 1068);
        assert_eq!(t.rttvar, 1072);
        assert_eq!(t.snd_ssthresh, 1076);
        assert_eq!(t.snd_cwnd, 1080);
        assert_eq!(t.reordering, 1088);
        assert_eq!(t.total_retrans, 1100);
        assert_eq!(t.pacing_rate, 0x1_0000_0000 + 104);
        assert_eq!(t.max_pacing_rate, 0x1_0000_0000 + 112);
        assert_eq!(t.bytes_received, 0x1_0000_0000 + 128);
        assert_eq!(t.segs_out, 1136);
        assert_eq!(t.min_rtt, 1148);
        assert_eq!(t.data_segs_out, 1156);
        assert_eq!(t.delivery_rate, 0x1_0000_0000 + 160);
        assert_eq!(t.sndbuf_limited, 0x1_0000_0000 + 184);
        assert_eq!(t.delivered_ce, 1196);
        assert_eq!(t.bytes_retrans, 0x1_0000_0000 + 208);
        assert_eq!(t.reord_seen, 1220);
        assert_eq!(t.rcv_ooopack, 1224);
        assert_eq!(t.snd_wnd, 1228);
        assert_eq!(t.rcv_wnd, 1232);
        assert_eq!(t.rehash, 1236);
        assert_eq!((t.total_rto, t.total_rto_recoveries), (240, 242));
        assert_eq!(t.total_rto_time, 1244);
        assert_eq!(t.received_ce_bytes, 1272);
        assert_eq!((t.accecn_fail_mode, t.accecn_opt_seen), (276, 278));
    }

    #[test]
    fn short_payloads_are_zero_extended() {
        let b = full();
        // Linux 4.4 sends 144 bytes: everything through tcpi_segs_in.
        let t = TcpInfo::from_bytes(&b[..144]);
        assert_eq!(t.segs_in, 1140);
        assert_eq!(t.notsent_bytes, 0);
        assert_eq!(t.min_rtt, 0);
        assert_eq!(t.delivery_rate, 0);
        assert_eq!(t.snd_wnd, 0);
        // 104 bytes: up to tcpi_total_retrans, no 64-bit counters at all.
        let t = TcpInfo::from_bytes(&b[..104]);
        assert_eq!(t.total_retrans, 1100);
        assert_eq!(t.pacing_rate, 0);
        // A field cut in the middle reads its present low-address bytes only.
        let t = TcpInfo::from_bytes(&b[..106]);
        let mut want = [0u8; 8];
        want[..2].copy_from_slice(&b[104..106]);
        assert_eq!(t.pacing_rate, u64::from_ne_bytes(want));
        // ss 6.1 size: everything through snd_wnd, newer fields zero.
        let t = TcpInfo::from_bytes(&b[..SS61_SIZE]);
        assert_eq!(t.snd_wnd, 1228);
        assert_eq!(t.rcv_wnd, 0);
        assert_eq!(t.accecn_opt_seen, 0);
    }

    #[test]
    fn empty_and_tiny_payloads_do_not_panic() {
        assert_eq!(TcpInfo::from_bytes(&[]), TcpInfo::default());
        let t = TcpInfo::from_bytes(&[10]);
        assert_eq!(t.state, 10);
        assert_eq!(t.rto, 0);
    }

    #[test]
    fn oversized_payloads_ignore_trailing_bytes() {
        let mut b = full();
        let exact = TcpInfo::from_bytes(&b);
        b.extend_from_slice(&[0xff; 64]);
        assert_eq!(TcpInfo::from_bytes(&b), exact);
    }
}
