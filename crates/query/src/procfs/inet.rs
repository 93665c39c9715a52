//! /proc/net/{tcp,tcp6,udp,udp6,raw,raw6} lines, parsed like ss 6.1's `tcp_show_line` /
//! `dgram_show_line` via `generic_record_read` (misc/ss.c).
//!
//! Quirks kept on purpose: the header line is skipped unread; a line that does not end in a
//! newline within 255 bytes fails the file (EINVAL); a line without the expected `:` separators
//! silently ends the file; the state is taken from the second character of the data part and
//! checked against the requested states before anything else is parsed; sscanf's partial
//! conversions leave later fields at their defaults (TCP: rto 0, cwnd 2, ssthresh -1 when fewer
//! than 12 fields, e.g. TIME-WAIT lines).

use std::ops::ControlFlow;

use super::scan::{Fgets, Scan};
use super::{state_bit, ReadOutcome};
use crate::model::{family, InetSock, ProcInetExtra, Source, Table};

/// Which file format a line comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InetProcKind {
    Tcp,
    Udp,
    Raw,
}

impl InetProcKind {
    fn table(self) -> Table {
        match self {
            InetProcKind::Tcp => Table::Tcp,
            InetProcKind::Udp => Table::Udp,
            InetProcKind::Raw => Table::Raw,
        }
    }
    /// ss's `s.type` for these lines: tcp 6, udp 17, raw 0 (so the Netid is `raw`).
    fn protocol(self) -> u16 {
        match self {
            InetProcKind::Tcp => 6,
            InetProcKind::Udp => 17,
            InetProcKind::Raw => 0,
        }
    }
}

/// What one line turned into. (Returned by value and consumed at once, so the size
/// difference between the variants costs nothing.)
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Line<'a> {
    /// ss's worker returned -1: reading this file ends (successfully).
    Stop,
    /// The state is not requested.
    Skip,
    Sock(InetSock<'a>),
}

/// The three parts of a line (ss `proc_inet_split_line`): local address text, remote address
/// text (each `ADDR:PORT` with a 4-digit port) and the data part.
fn split_line(line: &[u8]) -> Option<(&[u8], &[u8], &[u8])> {
    let p = memchr::memchr(b':', line)?;
    let loc_start = p + 2;
    let loc_all = line.get(loc_start..)?;
    let q = memchr::memchr(b':', loc_all)?;
    // ss writes a NUL at q+5 (after 4 port digits) and starts the remote part at q+6.
    let loc = loc_all.get(..q + 5)?;
    let rem_all = loc_all.get(q + 6..)?;
    let r = memchr::memchr(b':', rem_all)?;
    let rem = rem_all.get(..r + 5)?;
    let data = rem_all.get(r + 6..)?;
    Some((loc, rem, data))
}

/// `sscanf(loc, "%x:%x")` (IPv4) or `"%08x%08x%08x%08x:%x"` (IPv6); unparsed parts stay 0.
/// Addresses are stored as the kernel printed the 32-bit words, i.e. network order bytes on a
/// little-endian host, exactly like ss's `memcpy` of the scanned ints.
fn parse_addr(text: &[u8], fam: u8) -> ([u8; 16], u16) {
    let mut addr = [0u8; 16];
    let mut port = 0u32;
    let mut sc = Scan::new(text);
    let words = if fam == family::INET { 1 } else { 4 };
    let width = if fam == family::INET { None } else { Some(8) };
    let mut ok = true;
    for i in 0..words {
        match sc.hex_u32(width) {
            Some(w) => addr[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes()),
            None => {
                ok = false;
                break;
            }
        }
    }
    if ok && sc.lit(b':') {
        if let Some(p) = sc.hex_u32(None) {
            port = p;
        }
    }
    (addr, port as u16)
}

/// Parses one line (without its newline) of a tcp/udp/raw file.
pub fn parse_line(line: &[u8], fam: u8, kind: InetProcKind, states: u32, hz: u32) -> Line<'_> {
    let Some((loc, rem, data)) = split_line(line) else {
        return Line::Stop;
    };
    // State from data[1] (a hex digit; 'A'.. for >= 10), checked before anything else.
    let c = data.get(1).copied().unwrap_or(0) as i32;
    let st = if c >= b'A' as i32 {
        c - b'A' as i32 + 10
    } else {
        c - b'0' as i32
    };
    if states & state_bit(st) == 0 {
        return Line::Skip;
    }
    let (src, sport) = parse_addr(loc, fam);
    let (dst, dport) = parse_addr(rem, fam);

    let mut s = InetSock {
        source: Source::Proc,
        family: fam,
        table: Some(kind.table()),
        protocol: kind.protocol(),
        sport,
        dport,
        src,
        dst,
        ..InetSock::default()
    };
    let mut extra = ProcInetExtra {
        hz,
        ..ProcInetExtra::default()
    };
    let mut sc = Scan::new(data);

    if kind == InetProcKind::Tcp {
        // "%x %x:%x %x:%x %x %d %d %u %d %llx %d %d %d %u %d %[^\n]"
        let (mut state, mut wq, mut rq, mut timer, mut timeout, mut retrans) =
            (0u32, 0u32, 0u32, 0u32, 0u32, 0u32);
        let (mut uid, mut probes, mut ino, mut refcnt, mut sk) = (0i32, 0i32, 0u32, 0i32, 0u64);
        let (mut rto, mut ato, mut qack, mut cwnd, mut ssthresh) = (0i32, 0i32, 0i32, 0u32, 0i32);
        let mut opt: &[u8] = &[];
        let n = 'scan: {
            let mut n = 0;
            macro_rules! step {
                ($e:expr) => {
                    match $e {
                        Some(v) => {
                            n += 1;
                            v
                        }
                        None => break 'scan n,
                    }
                };
            }
            macro_rules! lit {
                ($c:expr) => {
                    if !sc.lit($c) {
                        break 'scan n;
                    }
                };
            }
            state = step!(sc.hex_u32(None));
            wq = step!(sc.hex_u32(None));
            lit!(b':');
            rq = step!(sc.hex_u32(None));
            timer = step!(sc.hex_u32(None));
            lit!(b':');
            timeout = step!(sc.hex_u32(None));
            retrans = step!(sc.hex_u32(None));
            uid = step!(sc.dec_i32());
            probes = step!(sc.dec_i32());
            ino = step!(sc.dec_u32());
            refcnt = step!(sc.dec_i32());
            sk = step!(sc.hex_u64(None));
            rto = step!(sc.dec_i32());
            ato = step!(sc.dec_i32());
            qack = step!(sc.dec_i32());
            cwnd = step!(sc.dec_u32());
            ssthresh = step!(sc.dec_i32());
            sc.ws();
            opt = step!(sc.until_newline());
            n
        };
        if n < 17 {
            opt = &[];
        }
        if n < 12 {
            rto = 0;
            cwnd = 2;
            ssthresh = -1;
            ato = 0;
            qack = 0;
        }
        let retrans = if timer != 1 { probes as u32 } else { retrans };
        s.state = state as u8;
        s.wqueue = wq;
        s.rqueue = rq;
        s.timer = timer as u8;
        s.retrans = retrans as u8;
        // ss: timeout = (timeout * 1000 + hz - 1) / hz in unsigned int arithmetic.
        s.expires = timeout.wrapping_mul(1000).wrapping_add(hz.wrapping_sub(1)) / hz.max(1);
        s.uid = uid as u32;
        s.inode = ino;
        s.cookie = sk;
        extra.sk = sk;
        extra.refcnt = refcnt as u32;
        extra.rto = rto as u32;
        extra.ato = ato as u32;
        extra.qack = qack as u32;
        extra.cwnd = cwnd;
        extra.ssthresh = ssthresh;
        extra.opt = opt;
    } else {
        // "%x %x:%x %*x:%*x %*x %d %*d %u %d %llx %[^\n]" — 8 conversions, and ss keeps `opt`
        // only when n >= 9, so it is always dropped.
        let (mut state, mut wq, mut rq) = (0u32, 0u32, 0u32);
        let (mut uid, mut ino, mut refcnt, mut sk) = (0i32, 0u32, 0i32, 0u64);
        'scan: {
            macro_rules! get {
                ($e:expr) => {
                    match $e {
                        Some(v) => v,
                        None => break 'scan,
                    }
                };
            }
            macro_rules! lit {
                ($c:expr) => {
                    if !sc.lit($c) {
                        break 'scan;
                    }
                };
            }
            state = get!(sc.hex_u32(None));
            wq = get!(sc.hex_u32(None));
            lit!(b':');
            rq = get!(sc.hex_u32(None));
            get!(sc.hex_u32(None));
            lit!(b':');
            get!(sc.hex_u32(None));
            get!(sc.hex_u32(None));
            uid = get!(sc.dec_i32());
            get!(sc.dec_i32());
            ino = get!(sc.dec_u32());
            refcnt = get!(sc.dec_i32());
            sk = get!(sc.hex_u64(None));
        }
        s.state = state as u8;
        s.wqueue = wq;
        s.rqueue = rq;
        s.uid = uid as u32;
        s.inode = ino;
        s.cookie = sk;
        extra.sk = sk;
        extra.refcnt = refcnt as u32;
    }
    s.proc_extra = Some(extra);
    Line::Sock(s)
}

/// ss's `generic_record_read` over a whole file: header skipped, every further piece read with
/// a 256-byte fgets must end in a newline (else [`ReadOutcome::Failed`]); a line that cannot be
/// split ends the file silently.
pub fn read_file(
    data: &[u8],
    fam: u8,
    kind: InetProcKind,
    states: u32,
    hz: u32,
    emit: &mut dyn FnMut(&InetSock<'_>) -> ControlFlow<()>,
) -> ReadOutcome {
    let mut lines = Fgets::new(data, 256);
    if lines.next().is_none() {
        return ReadOutcome::Done;
    }
    for piece in lines {
        let Some(line) = piece.strip_suffix(b"\n") else {
            return ReadOutcome::Failed;
        };
        match parse_line(line, fam, kind, states, hz) {
            Line::Stop => return ReadOutcome::Done,
            Line::Skip => {}
            Line::Sock(s) => {
                if emit(&s).is_break() {
                    return ReadOutcome::Stopped;
                }
            }
        }
    }
    ReadOutcome::Done
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured from this machine's /proc/net/tcp (kernel 6.18), trailing padding kept.
    const TCP: &[u8] = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 639 1 00000000c28d4e1a 100 0 0 10 0                       \n   1: 0100007F:2328 0100007F:9C40 01 00000005:00000003 02:000008FC 00000000  1000        0 4242 2 00000000deadbeef 20 4 31 10 -1 extra words\n   2: 0100007F:2329 0100007F:9C41 06 00000000:00000000 03:00001770 00000000     0        0 0 3 00000000aaaabbbb\n";

    fn collect(
        data: &[u8],
        fam: u8,
        kind: InetProcKind,
        states: u32,
    ) -> (Vec<String>, ReadOutcome) {
        let mut out = Vec::new();
        let r = read_file(data, fam, kind, states, 100, &mut |s| {
            let e = s.proc_extra.unwrap();
            out.push(format!(
                "{} {:?} {}:{} {:?}:{} rq{} wq{} t{} x{} r{} uid{} ino{} sk{:x} rto{} ato{} q{} cw{} ss{} opt{:?}",
                s.state,
                &s.src[..4],
                s.sport,
                s.protocol,
                &s.dst[..4],
                s.dport,
                s.rqueue,
                s.wqueue,
                s.timer,
                s.expires,
                s.retrans,
                s.uid,
                s.inode,
                e.sk,
                e.rto,
                e.ato,
                e.qack,
                e.cwnd,
                e.ssthresh,
                String::from_utf8_lossy(e.opt)
            ));
            ControlFlow::Continue(())
        });
        (out, r)
    }

    #[test]
    fn tcp_lines() {
        let (v, r) = collect(TCP, family::INET, InetProcKind::Tcp, 0xfff);
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(v.len(), 3);
        assert_eq!(
            v[0],
            "10 [0, 0, 0, 0] 2024:6 [0, 0, 0, 0]:0 rq0 wq0 t0 x0 r0 uid0 ino639 skc28d4e1a rto100 ato0 q0 cw10 ss0 opt\"\""
        );
        // timer 2 (keepalive): retrans comes from probes (0); 0x8fc ticks = 23000 ms at 100 Hz.
        assert_eq!(
            v[1],
            "1 [127, 0, 0, 1] 9000:6 [127, 0, 0, 1]:40000 rq3 wq5 t2 x23000 r0 uid1000 ino4242 skdeadbeef rto20 ato4 q31 cw10 ss-1 opt\"extra words\""
        );
        // TIME-WAIT lines have 11 fields: rto 0, cwnd 2, ssthresh -1.
        assert_eq!(
            v[2],
            "6 [127, 0, 0, 1] 9001:6 [127, 0, 0, 1]:40001 rq0 wq0 t3 x60000 r0 uid0 ino0 skaaaabbbb rto0 ato0 q0 cw2 ss-1 opt\"\""
        );
        // State filter uses data[1] before parsing.
        let (v, _) = collect(TCP, family::INET, InetProcKind::Tcp, 1 << 10);
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn tcp6_and_udp_raw() {
        let tcp6 = b"  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0000000011112222 100 0 0 10 0\n";
        let (v, _) = collect(tcp6, family::INET6, InetProcKind::Tcp, 0xfff);
        assert_eq!(v.len(), 1);
        assert!(v[0].starts_with("10 [0, 0, 0, 0] 8080:6"), "{}", v[0]);

        let mut got = Vec::new();
        read_file(
            tcp6,
            family::INET6,
            InetProcKind::Tcp,
            0xfff,
            100,
            &mut |s| {
                got.push(s.src);
                ControlFlow::Continue(())
            },
        );
        let mut want = [0u8; 16];
        want[15] = 1; // ::1
        assert_eq!(got, vec![want]);

        let udp = b"   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            \n  123: 0100007F:1388 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5555 2 00000000cafe0000 0          \n";
        let (v, r) = collect(udp, family::INET, InetProcKind::Udp, 0xfff);
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(
            v,
            vec!["7 [127, 0, 0, 1] 5000:17 [0, 0, 0, 0]:0 rq0 wq0 t0 x0 r0 uid0 ino5555 skcafe0000 rto0 ato0 q0 cw0 ss0 opt\"\""]
        );
        let raw = b"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n   1: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 999 2 0000000012340000 0\n";
        let (v, _) = collect(raw, family::INET, InetProcKind::Raw, 0xfff);
        assert!(v[0].starts_with("7 [0, 0, 0, 0] 1:0 "), "{}", v[0]);
    }

    #[test]
    fn odd_files() {
        // Missing header: the first line is taken as the header.
        let one = b"   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 639 1 0 100 0 0 10 0\n";
        assert_eq!(
            collect(one, family::INET, InetProcKind::Tcp, 0xfff).0.len(),
            0
        );
        // Empty file.
        assert_eq!(
            collect(b"", family::INET, InetProcKind::Tcp, 0xfff).1,
            ReadOutcome::Done
        );
        // Last line without newline: EINVAL after the lines before it.
        let mut cut = TCP.to_vec();
        cut.pop();
        let (v, r) = collect(&cut, family::INET, InetProcKind::Tcp, 0xfff);
        assert_eq!((v.len(), r), (2, ReadOutcome::Failed));
        // A line longer than 255 bytes fails too.
        let mut long = TCP[..TCP.iter().position(|&c| c == b'\n').unwrap() + 1].to_vec();
        long.extend_from_slice(&[b'x'; 300]);
        long.push(b'\n');
        assert_eq!(
            collect(&long, family::INET, InetProcKind::Tcp, 0xfff).1,
            ReadOutcome::Failed
        );
        // A line without ':' ends the file silently; short and garbage lines never panic.
        let stop =
            b"hdr\nno colon here\n   0: 00000000:07E8 00000000:0000 0A 0:0 0:0 0 0 0 1 1 0\n";
        assert_eq!(
            collect(stop, family::INET, InetProcKind::Tcp, 0xfff),
            (vec![], ReadOutcome::Done)
        );
        for junk in [
            &b"h\n:\n"[..],
            b"h\n0: 1:\n",
            b"h\n0: 1:2345 :\n",
            b"h\n0: 00:0000 00:0000 \n",
            b"h\n\n",
        ] {
            let _ = collect(junk, family::INET6, InetProcKind::Tcp, 0xfff);
            let _ = collect(junk, family::INET, InetProcKind::Udp, 0xffff_ffff);
        }
    }

    #[test]
    fn stop_from_callback() {
        let r = read_file(
            TCP,
            family::INET,
            InetProcKind::Tcp,
            0xfff,
            100,
            &mut |_| ControlFlow::Break(()),
        );
        assert_eq!(r, ReadOutcome::Stopped);
    }
}
