//! The socket tables of `netstat` (tcp, udp, udplite, raw, unix) read the way net-tools 2.10
//! shows them, from sock_diag where it has the data:
//!
//! * inet kinds: one `SOCK_DIAG_BY_FAMILY` dump per (protocol, family), states 0..=11 (the
//!   states `/proc/net/tcp` shows; the kernel adds NEW_SYN_RECV for SYN_RECV and never shows
//!   TCP_BOUND_INACTIVE without its own bit), `INET_DIAG_INFO` only for `-o` (the retransmit
//!   and probe counts of the timer text). Kernel order is kept: both sock_diag and the /proc
//!   files walk the same hash tables (spec 2.1.9). Column semantics follow the /proc files
//!   netstat reads: Send-Q of a TCP listener is 0 (sock_diag reports the backlog maximum
//!   there), timer R/P are icsk_retransmits/icsk_probes_out (`tcp_info` bytes 2 and 3; the
//!   kernel puts probes_out in `idiag_retrans` for timers 2 and 4), expiry in clock ticks.
//!   Should a dump fail (no inet_diag in the kernel), the /proc file is parsed instead, with
//!   netstat's own `sscanf` rules (netstat.c `tcp_do_one`).
//! * unix: rows from unix_diag; RefCnt, which unix_diag lacks, and the embryonic sockets
//!   waiting in a listener's accept queue (inode 0, which unix_diag skips), from
//!   `/proc/net/unix`, merged in kernel order (both walk the same hash table).
//!
//! Nothing is printed here; rows go to a callback.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use sockscope_netlink::consts::*;
use sockscope_netlink::diag::{InetDiagMsg, UnixDiagMsg};
use sockscope_netlink::msg::Attrs;
use sockscope_netlink::{request, DumpError, NlSocket, RecvBuffer};

use crate::procfs::scan::{Fgets, Scan};

/// IPPROTO_UDPLITE (include/uapi/linux/in.h).
pub const IPPROTO_UDPLITE: u16 = 136;

/// The inet socket kinds of netstat, in its listing order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InetKind {
    Tcp,
    Udp,
    UdpLite,
    Raw,
}

impl InetKind {
    /// The protocol of the sock_diag request.
    pub fn protocol(self) -> u16 {
        match self {
            InetKind::Tcp => IPPROTO_TCP,
            InetKind::Udp => IPPROTO_UDP,
            InetKind::UdpLite => IPPROTO_UDPLITE,
            InetKind::Raw => IPPROTO_RAW,
        }
    }

    /// The /proc/net file netstat reads for this kind and family (`tcp`, `udplite6`, …).
    pub fn proc_file(self, family: u8) -> &'static str {
        let v6 = family == AF_INET6;
        match (self, v6) {
            (InetKind::Tcp, false) => "net/tcp",
            (InetKind::Tcp, true) => "net/tcp6",
            (InetKind::Udp, false) => "net/udp",
            (InetKind::Udp, true) => "net/udp6",
            (InetKind::UdpLite, false) => "net/udplite",
            (InetKind::UdpLite, true) => "net/udplite6",
            (InetKind::Raw, false) => "net/raw",
            (InetKind::Raw, true) => "net/raw6",
        }
    }

    /// netstat's Proto column (`tcp`, `udp6`, `udpl`, `raw6`, …).
    pub fn proto_name(self, family: u8) -> &'static str {
        let v6 = family == AF_INET6;
        match (self, v6) {
            (InetKind::Tcp, false) => "tcp",
            (InetKind::Tcp, true) => "tcp6",
            (InetKind::Udp, false) => "udp",
            (InetKind::Udp, true) => "udp6",
            (InetKind::UdpLite, false) => "udpl",
            (InetKind::UdpLite, true) => "udpl6",
            (InetKind::Raw, false) => "raw",
            (InetKind::Raw, true) => "raw6",
        }
    }
}

/// One inet socket with exactly what a netstat row shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InetRow {
    /// AF_INET or AF_INET6.
    pub family: u8,
    /// Kernel state number (TCP numbering for every kind).
    pub state: u8,
    pub recv_q: u64,
    pub send_q: u64,
    /// Addresses in network byte order (first 4 bytes for AF_INET).
    pub src: [u8; 16],
    pub dst: [u8; 16],
    /// Host byte order; for raw sockets the local "port" is the IP protocol.
    pub sport: u16,
    pub dport: u16,
    pub uid: u32,
    pub inode: u64,
    /// /proc timer code: 0 off, 1 retransmit, 2 keepalive, 3 time-wait, 4 zero-window probe.
    pub timer: u8,
    /// Time left on the timer in clock ticks (`sysconf(_SC_CLK_TCK)` per second).
    pub timer_ticks: u64,
    /// icsk_retransmits (the R of `(T/R/P)`).
    pub retrans: u32,
    /// icsk_probes_out (the P of `(T/R/P)`).
    pub probes: u32,
}

/// Why a dump could not be made.
#[derive(Debug)]
pub enum SocketsError {
    /// The netlink socket could not be used and the /proc file could not be read either:
    /// netstat's `perror(FILE)` text.
    Proc {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// Dumps sockets; one receive buffer serves every dump of a run.
#[derive(Debug)]
pub struct SocketDumper {
    rb: RecvBuffer,
    req: Vec<u8>,
    proc_root: PathBuf,
    hz: u32,
}

impl SocketDumper {
    /// `proc_root` is where the /proc files live (netstat: `/proc`).
    pub fn new(proc_root: &Path) -> SocketDumper {
        SocketDumper {
            rb: RecvBuffer::new(),
            req: Vec::with_capacity(128),
            proc_root: proc_root.to_path_buf(),
            hz: crate::procfs::user_hz(),
        }
    }

    /// Clock ticks per second (the unit of [`InetRow::timer_ticks`]).
    pub fn hz(&self) -> u32 {
        self.hz
    }

    /// The path of a /proc file (`net/tcp` → `/proc/net/tcp`).
    pub fn proc_path(&self, name: &str) -> PathBuf {
        self.proc_root.join(name)
    }

    /// Whether netstat would find the file of `kind`/`family` (its "support" test).
    pub fn supported(&self, kind: InetKind, family: u8) -> bool {
        self.proc_path(kind.proc_file(family)).exists()
    }

    /// Every socket of `kind` and `family`, in kernel order. `timers` asks for the
    /// retransmit/probe counts (`-o`); `details` (`-o` or `-e`) also fills what sock_diag
    /// does not report for TCP request sockets (SYN_RECV): /proc's retransmit count
    /// (`num_timeout`, sock_diag has `num_retrans`) and the listener's uid (sock_diag
    /// reports 0) — read from /proc/net/tcp[6] once, and only when such a socket appears.
    pub fn inet(
        &mut self,
        kind: InetKind,
        family: u8,
        timers: bool,
        details: bool,
        emit: &mut dyn FnMut(&InetRow) -> ControlFlow<()>,
    ) -> Result<(), SocketsError> {
        match self.inet_netlink(kind, family, timers, details, emit) {
            Ok(()) | Err(DumpError::Stopped) => Ok(()),
            Err(_) => self.inet_proc(kind, family, emit),
        }
    }

    fn inet_netlink(
        &mut self,
        kind: InetKind,
        family: u8,
        timers: bool,
        details: bool,
        emit: &mut dyn FnMut(&InetRow) -> ControlFlow<()>,
    ) -> Result<(), DumpError> {
        let sock = NlSocket::sock_diag().map_err(|_| DumpError::Eof)?;
        self.req.clear();
        let ext = if timers && kind == InetKind::Tcp {
            inet_ext_bit(INET_DIAG_INFO)
        } else {
            0
        };
        request::inet_diag_v2(
            &mut self.req,
            1,
            &request::InetRequest {
                family,
                protocol: kind.protocol(),
                ext,
                states: 0xfff,
                bytecode: None,
            },
        );
        sock.send(&self.req)?;
        let hz = u64::from(self.hz);
        let proc_file = self.proc_path(kind.proc_file(family));
        let mut requests: Option<HashMap<RowKey, InetRow>> = None;
        sock.dump(&mut self.rb, 1, |h, payload| {
            if h.kind != SOCK_DIAG_BY_FAMILY {
                return ControlFlow::Continue(());
            }
            match row_from_diag(payload, kind, hz) {
                Some(mut row) if row.family == family => {
                    if details && kind == InetKind::Tcp && row.state == 3 && row.inode == 0 {
                        let map = requests.get_or_insert_with(|| request_rows(&proc_file));
                        if let Some(p) = map.get(&row_key(&row)) {
                            row.retrans = p.retrans;
                            row.probes = p.probes;
                            row.uid = p.uid;
                        }
                    }
                    emit(&row)
                }
                _ => ControlFlow::Continue(()),
            }
        })
        .map(|_| ())
    }

    /// The /proc fallback: netstat's own parsing of the file.
    fn inet_proc(
        &mut self,
        kind: InetKind,
        family: u8,
        emit: &mut dyn FnMut(&InetRow) -> ControlFlow<()>,
    ) -> Result<(), SocketsError> {
        let path = self.proc_path(kind.proc_file(family));
        let data = match std::fs::read(&path) {
            Ok(d) => d,
            Err(error) => return Err(SocketsError::Proc { path, error }),
        };
        for (n, line) in Fgets::new(&data, 8192).enumerate() {
            if n == 0 {
                continue;
            }
            if let Some(row) = parse_proc_inet_line(line, kind) {
                if row.family == family && emit(&row).is_break() {
                    break;
                }
            }
        }
        Ok(())
    }
}

/// A socket's 4-tuple.
type RowKey = ([u8; 16], u16, [u8; 16], u16);

fn row_key(r: &InetRow) -> RowKey {
    (r.src, r.sport, r.dst, r.dport)
}

/// The SYN_RECV lines of a /proc/net/tcp[6] file by 4-tuple.
fn request_rows(path: &Path) -> HashMap<RowKey, InetRow> {
    let mut map = HashMap::new();
    let Ok(data) = std::fs::read(path) else {
        return map;
    };
    for line in Fgets::new(&data, 8192).skip(1) {
        if let Some(r) = parse_proc_inet_line(line, InetKind::Tcp) {
            if r.state == 3 {
                map.insert(row_key(&r), r);
            }
        }
    }
    map
}

/// An `inet_diag_msg` (plus INET_DIAG_INFO when present) as a netstat row.
pub fn row_from_diag(payload: &[u8], kind: InetKind, hz: u64) -> Option<InetRow> {
    let (m, attrs) = InetDiagMsg::parse(payload)?;
    let family = m.family();
    let state = m.state();
    let mut row = InetRow {
        family,
        state,
        recv_q: u64::from(m.rqueue()),
        send_q: u64::from(m.wqueue()),
        src: m.src(),
        dst: m.dst(),
        sport: m.sport(),
        dport: m.dport(),
        uid: m.uid(),
        inode: u64::from(m.inode()),
        timer: m.timer(),
        // ms → clock ticks as jiffies_delta_to_clock_t would give them.
        timer_ticks: u64::from(m.expires()) * hz / 1000,
        retrans: 0,
        probes: 0,
    };
    if kind == InetKind::Tcp {
        if state == 10 {
            // /proc prints write_seq - snd_una (0) for listeners; sock_diag the max backlog.
            row.send_q = 0;
        }
        let info = if attrs.is_empty() {
            None
        } else {
            Attrs::new(attrs)
                .find(|a| a.kind == INET_DIAG_INFO)
                .map(|a| a.payload)
        };
        // tcp_info: state, ca_state, retransmits, probes, ...
        let (retransmits, probes) = match info {
            Some(i) if i.len() >= 4 => (u32::from(i[2]), u32::from(i[3])),
            _ => (0, 0),
        };
        let diag_retrans = u32::from(m.retrans());
        match row.timer {
            1 => {
                row.retrans = diag_retrans;
                row.probes = probes;
            }
            2 | 4 => {
                row.retrans = retransmits;
                row.probes = diag_retrans;
            }
            3 => {}
            _ => {
                row.retrans = retransmits;
                row.probes = probes;
            }
        }
    } else {
        // udp/raw: the kernel prints timer 0 and zero counts.
        row.timer = 0;
        row.timer_ticks = 0;
    }
    Some(row)
}

/// One line of /proc/net/{tcp,udp,udplite,raw}[6] read with netstat's format
/// `"%d: %64[0-9A-Fa-f]:%X %64[0-9A-Fa-f]:%X %X %lX:%lX %X:%lX %lX %d %d %lu"`; `None` for
/// lines netstat calls bogus (fewer than 11 fields for tcp, 10 for udp/raw).
pub fn parse_proc_inet_line(line: &[u8], kind: InetKind) -> Option<InetRow> {
    let mut sc = Scan::new(line);
    let mut fields = 0;
    sc.dec_i32()?;
    if !sc.lit(b':') {
        return None;
    }
    sc.ws();
    let (src, fam_len) = hex_addr(&mut sc)?;
    if !sc.lit(b':') {
        return None;
    }
    let sport = sc.hex_u32(None)? as u16;
    sc.ws();
    let (dst, _) = hex_addr(&mut sc)?;
    if !sc.lit(b':') {
        return None;
    }
    let dport = sc.hex_u32(None)? as u16;
    fields += 5;
    let mut row = InetRow {
        family: if fam_len > 8 { AF_INET6 } else { AF_INET },
        src,
        dst,
        sport,
        dport,
        ..InetRow::default()
    };
    let mut rest = || -> Option<()> {
        row.state = sc.hex_u32(None)? as u8;
        fields += 1;
        row.send_q = sc.hex_u64(None)?;
        fields += 1;
        if !sc.lit(b':') {
            return None;
        }
        row.recv_q = sc.hex_u64(None)?;
        fields += 1;
        row.timer = sc.hex_u32(None)? as u8;
        fields += 1;
        if !sc.lit(b':') {
            return None;
        }
        row.timer_ticks = sc.hex_u64(None)?;
        fields += 1;
        row.retrans = sc.hex_u64(None)? as u32;
        fields += 1;
        row.uid = sc.dec_u32()?;
        fields += 1;
        row.probes = sc.dec_i32()? as u32;
        fields += 1;
        let mut inode = Scan::new(sc.rest());
        row.inode = u64::from(inode.dec_u32()?);
        fields += 1;
        Some(())
    };
    let _ = rest();
    let min = if kind == InetKind::Tcp { 11 } else { 10 };
    if fields < min {
        return None;
    }
    if kind != InetKind::Tcp {
        // udp_do_one forces the retransmit count to 0; raw prints what it parsed (0).
        row.retrans = 0;
    }
    Some(row)
}

/// A hex address as /proc prints it: 8 digits (IPv4, one native-endian word) or 32 (IPv6,
/// four words). Returns the network-order bytes and the digit count.
fn hex_addr(sc: &mut Scan<'_>) -> Option<([u8; 16], usize)> {
    let rest = sc.rest();
    let n = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let mut out = [0u8; 16];
    let words = if n > 8 { 4 } else { 1 };
    for i in 0..words {
        let w = sc.hex_u32(Some(8))?;
        out[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
    }
    Some((out, n))
}

// ---- unix ------------------------------------------------------------------------------------

/// `__SO_ACCEPTCON`: the "listening" flag in /proc/net/unix.
pub const SO_ACCEPTCON: u32 = 1 << 16;

/// One unix socket row as netstat prints it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnixRow {
    pub refcnt: u64,
    /// 0 (`unix`) or another protocol number (`??`).
    pub protocol: u64,
    /// `__SO_ACCEPTCON` etc.
    pub flags: u32,
    /// SOCK_STREAM 1, SOCK_DGRAM 2, SOCK_SEQPACKET 5, ...
    pub sock_type: u32,
    /// `struct socket` state as /proc prints it (SS_UNCONNECTED 1 … SS_DISCONNECTING 4).
    pub state: u32,
    pub inode: u64,
    /// The path as netstat reads it with `%s`: up to the first blank; empty for none.
    pub path: Vec<u8>,
}

/// The path text of a UNIX_DIAG_NAME payload as /proc/net/unix prints it (`@` for the
/// abstract NUL and for NUL bytes inside the name, the trailing NUL of a path dropped), cut
/// at the first blank as netstat's `%s` scan does.
pub fn unix_path_text(name: &[u8], out: &mut Vec<u8>) {
    out.clear();
    let (body, abstract_) = match name.first() {
        None => return,
        Some(0) => (&name[1..], true),
        // addr->len counts the trailing NUL of a path; the kernel prints len - 1 bytes.
        Some(_) => (&name[..name.len() - 1], false),
    };
    if abstract_ {
        out.push(b'@');
    }
    for &b in body {
        let c = if b == 0 { b'@' } else { b };
        if crate::procfs::scan::is_space(c) {
            break;
        }
        out.push(c);
    }
}

/// Parses /proc/net/unix as netstat's `unix_do_one` does (`"%p: %lX %lX %lX %X %X %lu %s"`,
/// header skipped, lines with fewer than 6 fields dropped). Without an `Inode` header column
/// netstat prints the inode as path; such kernels are long gone, the column is assumed.
pub fn parse_proc_unix(data: &[u8]) -> Vec<UnixRow> {
    let mut rows = Vec::new();
    for (n, line) in Fgets::new(data, 8192).enumerate() {
        if n == 0 {
            continue;
        }
        let mut sc = Scan::new(line);
        let mut row = UnixRow::default();
        let mut fields = 0;
        let mut parse = || -> Option<()> {
            sc.hex_u64(None)?;
            if !sc.lit(b':') {
                return None;
            }
            fields += 1;
            row.refcnt = sc.hex_u64(None)?;
            fields += 1;
            row.protocol = sc.hex_u64(None)?;
            fields += 1;
            row.flags = sc.hex_u64(None)? as u32;
            fields += 1;
            row.sock_type = sc.hex_u32(None)?;
            fields += 1;
            row.state = sc.hex_u32(None)?;
            fields += 1;
            row.inode = u64::from(sc.dec_u32()?);
            fields += 1;
            row.path = sc.word()?.to_vec();
            Some(())
        };
        let _ = parse();
        if fields >= 6 {
            rows.push(row);
        }
    }
    rows
}

/// The /proc state of a unix socket from its sk_state and whether it has a file
/// (af_unix.c `unix_seq_show`): ESTABLISHED → CONNECTED, else UNCONNECTED; without a
/// `struct socket` (inode 0) CONNECTING / DISCONNECTING.
pub fn unix_proc_state(sk_state: u8, inode: u64) -> u32 {
    const TCP_ESTABLISHED: u8 = 1;
    match (inode != 0, sk_state == TCP_ESTABLISHED) {
        (true, true) => 3,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 4,
    }
}

impl SocketDumper {
    /// Every unix socket in kernel order, merged with /proc/net/unix (see the module
    /// documentation). Errors only when neither source can be read (netstat's message for
    /// the missing file is the caller's).
    pub fn unix(&mut self) -> Result<Vec<UnixRow>, SocketsError> {
        let path = self.proc_path("net/unix");
        let proc_rows = std::fs::read(&path).map(|d| parse_proc_unix(&d));
        let diag = self.unix_netlink();
        match (diag, proc_rows) {
            (Ok(d), Ok(p)) => Ok(merge_unix(d, p)),
            (Ok(d), Err(_)) => Ok(d),
            (Err(_), Ok(p)) => Ok(p),
            (Err(_), Err(error)) => Err(SocketsError::Proc { path, error }),
        }
    }

    fn unix_netlink(&mut self) -> Result<Vec<UnixRow>, DumpError> {
        let sock = NlSocket::sock_diag().map_err(|_| DumpError::Eof)?;
        self.req.clear();
        request::unix_diag(&mut self.req, 1, u32::MAX, UDIAG_SHOW_NAME);
        sock.send(&self.req)?;
        let mut rows = Vec::new();
        let mut path = Vec::new();
        sock.dump(&mut self.rb, 1, |h, payload| {
            if h.kind != SOCK_DIAG_BY_FAMILY {
                return ControlFlow::Continue(());
            }
            let Some((m, attrs)) = UnixDiagMsg::parse(payload) else {
                return ControlFlow::Continue(());
            };
            path.clear();
            if let Some(a) = Attrs::new(attrs).find(|a| a.kind == UNIX_DIAG_NAME) {
                unix_path_text(a.payload, &mut path);
            }
            let inode = u64::from(m.inode());
            rows.push(UnixRow {
                refcnt: 0,
                protocol: 0,
                flags: if m.state() == 10 { SO_ACCEPTCON } else { 0 },
                sock_type: u32::from(m.sock_type()),
                state: unix_proc_state(m.state(), inode),
                inode,
                path: path.clone(),
            });
            ControlFlow::Continue(())
        })?;
        Ok(rows)
    }
}

/// Takes RefCnt from the /proc rows and inserts the /proc-only embryonic rows (inode 0) at
/// their place in kernel order. Sockets that appeared between the two reads keep the usual
/// counts (2 unconnected, 3 connected); sockets gone from the dump are not shown.
pub fn merge_unix(diag: Vec<UnixRow>, proc_rows: Vec<UnixRow>) -> Vec<UnixRow> {
    let index: HashMap<u64, usize> = proc_rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.inode != 0)
        .map(|(i, r)| (r.inode, i))
        .collect();
    let mut out = Vec::with_capacity(diag.len() + 4);
    let mut cursor = 0;
    for mut d in diag {
        match index.get(&d.inode) {
            Some(&j) => {
                if j >= cursor {
                    for p in proc_rows[cursor..j].iter().filter(|p| p.inode == 0) {
                        out.push(p.clone());
                    }
                    cursor = j + 1;
                }
                d.refcnt = proc_rows[j].refcnt;
            }
            None => d.refcnt = if d.state == 3 { 3 } else { 2 },
        }
        out.push(d);
    }
    for p in proc_rows.get(cursor..).unwrap_or_default() {
        if p.inode == 0 {
            out.push(p.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_tcp_lines_as_netstat_reads_them() {
        let l = b"   1: 0100007F:2328 0100007F:9C40 01 00000005:00000003 02:000008FC 00000002  1000        7 4242 2 00000000deadbeef 20 4 31 10 -1\n";
        let r = parse_proc_inet_line(l, InetKind::Tcp).unwrap();
        assert_eq!(r.family, AF_INET);
        assert_eq!(&r.src[..4], &[127, 0, 0, 1]);
        assert_eq!((r.sport, r.dport), (0x2328, 0x9c40));
        assert_eq!((r.state, r.send_q, r.recv_q), (1, 5, 3));
        assert_eq!((r.timer, r.timer_ticks, r.retrans), (2, 0x8fc, 2));
        assert_eq!((r.uid, r.probes, r.inode), (1000, 7, 4242));
        let tw = b"   2: 0100007F:2329 0100007F:9C41 06 00000000:00000000 03:00001770 00000000     0        0 0 3 00000000aaaabbbb\n";
        let r = parse_proc_inet_line(tw, InetKind::Tcp).unwrap();
        assert_eq!((r.state, r.timer, r.inode), (6, 3, 0));
        let v6 = b"   0: 00000000000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 5555 1 0000000000000000 100 0 0 10 0\n";
        let r = parse_proc_inet_line(v6, InetKind::Tcp).unwrap();
        assert_eq!(r.family, AF_INET6);
        assert_eq!(r.src[15], 1);
        assert_eq!(r.sport, 443);
        assert!(parse_proc_inet_line(b"garbage\n", InetKind::Tcp).is_none());
        let udp = b"  45: 0100007F:0202 00000000:0000 07 00000000:00000340 00:00000000 00000003     0        0 437681 2 0000000000000000 0\n";
        let r = parse_proc_inet_line(udp, InetKind::Udp).unwrap();
        assert_eq!((r.recv_q, r.retrans, r.inode), (0x340, 0, 437681));
    }

    #[test]
    fn unix_names_and_states() {
        let mut out = Vec::new();
        unix_path_text(b"/tmp/a b.sock\0", &mut out);
        assert_eq!(out, b"/tmp/a");
        unix_path_text(b"\0abs\0x", &mut out);
        assert_eq!(out, b"@abs@x");
        unix_path_text(b"/tmp/x\0", &mut out);
        assert_eq!(out, b"/tmp/x");
        unix_path_text(b"", &mut out);
        assert!(out.is_empty());
        assert_eq!(unix_proc_state(1, 5), 3);
        assert_eq!(unix_proc_state(7, 5), 1);
        assert_eq!(unix_proc_state(10, 5), 1);
        assert_eq!(unix_proc_state(1, 0), 2);
        assert_eq!(unix_proc_state(7, 0), 4);
    }

    fn u(inode: u64, refcnt: u64, path: &[u8]) -> UnixRow {
        UnixRow {
            refcnt,
            inode,
            state: 3,
            sock_type: 1,
            path: path.to_vec(),
            ..UnixRow::default()
        }
    }

    #[test]
    fn proc_unix_and_merge() {
        let text = b"Num       RefCount Protocol Flags    Type St Inode Path\n\
0000000000000000: 00000002 00000000 00010000 0001 01 437691 /tmp/nspa-stream.sock\n\
0000000000000000: 00000003 00000000 00000000 0001 03 437693 /tmp/nspa-stream.sock\n\
0000000000000000: 00000003 00000000 00000000 0001 02     0 /tmp/nspa-stream.sock\n\
0000000000000000: 00000002 00000000 00010000 0001 01 437704 /tmp/nspa with space.sock\n\
0000000000000000: 00000003 00000000 00000000 0002 03 437701\n\
bogus\n";
        let p = parse_proc_unix(text);
        assert_eq!(p.len(), 5);
        assert_eq!(p[0].flags, SO_ACCEPTCON);
        assert_eq!(p[0].refcnt, 2);
        assert_eq!(p[2].state, 2);
        assert_eq!(p[3].path, b"/tmp/nspa");
        assert!(p[4].path.is_empty());
        let diag = vec![
            u(437691, 0, b"/tmp/nspa-stream.sock"),
            u(437693, 0, b"/tmp/nspa-stream.sock"),
            u(437704, 0, b"/tmp/nspa"),
            u(999, 0, b""),
            u(437701, 0, b""),
        ];
        let m = merge_unix(diag, p);
        let inodes: Vec<(u64, u64)> = m.iter().map(|r| (r.inode, r.refcnt)).collect();
        assert_eq!(
            inodes,
            vec![
                (437691, 2),
                (437693, 3),
                (0, 3),
                (437704, 2),
                (999, 3),
                (437701, 3)
            ]
        );
    }

    #[test]
    fn diag_rows_follow_proc_semantics() {
        // inet_diag_msg: family, state, timer, retrans, sockid (48), expires, rqueue, wqueue,
        // uid, inode.
        let mut p = vec![AF_INET, 10, 0, 0];
        p.extend_from_slice(&8080u16.to_be_bytes());
        p.extend_from_slice(&0u16.to_be_bytes());
        p.extend_from_slice(&[127, 0, 0, 1]);
        p.extend_from_slice(&[0; 12]);
        p.extend_from_slice(&[0; 16]);
        p.extend_from_slice(&[0; 4]); // if
        p.extend_from_slice(&[0; 8]); // cookie
        p.extend_from_slice(&0u32.to_ne_bytes());
        p.extend_from_slice(&1u32.to_ne_bytes());
        p.extend_from_slice(&128u32.to_ne_bytes());
        p.extend_from_slice(&1000u32.to_ne_bytes());
        p.extend_from_slice(&4242u32.to_ne_bytes());
        let r = row_from_diag(&p, InetKind::Tcp, 100).unwrap();
        assert_eq!(
            (r.state, r.recv_q, r.send_q),
            (10, 1, 0),
            "listener Send-Q is 0"
        );
        assert_eq!((r.sport, r.uid, r.inode), (8080, 1000, 4242));
        // Keepalive timer: expires 1390 ms → 139 ticks; R from tcp_info, P from idiag_retrans.
        p[1] = 1;
        p[2] = 2;
        p[3] = 5;
        p[52..56].copy_from_slice(&1390u32.to_ne_bytes());
        let mut info = vec![1u8, 0, 3, 4];
        info.extend_from_slice(&[0; 100]);
        let len = (4 + info.len()) as u16;
        p.extend_from_slice(&len.to_ne_bytes());
        p.extend_from_slice(&INET_DIAG_INFO.to_ne_bytes());
        p.extend_from_slice(&info);
        let r = row_from_diag(&p, InetKind::Tcp, 100).unwrap();
        assert_eq!(
            (r.timer, r.timer_ticks, r.retrans, r.probes),
            (2, 139, 3, 5)
        );
        let r = row_from_diag(&p, InetKind::Udp, 100).unwrap();
        assert_eq!((r.timer, r.retrans, r.send_q), (0, 0, 128));
    }
}
