//! The socket listing of net-tools 2.10 `netstat` (netstat.c `tcp_do_one`, `udp_do_one`,
//! `raw_do_one`, `finish_this_one`, `unix_do_one`, `igmp_do_one`; spec 2.1, 2.2, 2.5):
//! headers, which rows are listed, and the rows, byte for byte.

use std::io::{self, Write};

use sockscope_query::netstat::names::{NetstatNames, ServiceProto};
use sockscope_query::netstat::procnet::GroupRow;
use sockscope_query::netstat::programs::ProgramMap;
use sockscope_query::netstat::sockets::{InetKind, InetRow, UnixRow, SO_ACCEPTCON};

use super::text::{self, left, right, u_left, u_right};
use crate::cfmt;

/// `-a`, `-l` as netstat tests them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub all: bool,
    pub listening: bool,
}

impl Listing {
    /// `(servers and established)`, `(only servers)`, `(w/o servers)`.
    pub fn title(self) -> &'static [u8] {
        if self.all {
            b"(servers and established)"
        } else if self.listening {
            b"(only servers)"
        } else {
            b"(w/o servers)"
        }
    }

    /// Whether an inet row is listed: TCP "servers" have remote port 0; UDP, UDP-Lite and RAW
    /// servers have an all-zero remote address (spec 2.1.3).
    pub fn inet_listed(self, kind: InetKind, row: &InetRow) -> bool {
        if self.all {
            return true;
        }
        let server = match kind {
            InetKind::Tcp => row.dport == 0,
            _ => {
                let n = if row.family == 10 { 16 } else { 4 };
                row.dst[..n].iter().all(|&b| b == 0)
            }
        };
        server == self.listening
    }

    /// Whether a unix row is listed: servers are unconnected with the ACC flag.
    pub fn unix_listed(self, row: &UnixRow) -> bool {
        if self.all {
            return true;
        }
        let server = row.state == 1 && row.flags & SO_ACCEPTCON != 0;
        server == self.listening
    }
}

/// What the inet and unix rows show.
#[derive(Clone, Copy, Debug, Default)]
pub struct SocketOptions {
    pub listing: Listing,
    pub numeric_hosts: bool,
    pub numeric_ports: bool,
    pub numeric_users: bool,
    /// `-W`: addresses are not cut to 23 columns.
    pub wide: bool,
    /// `-e` (netstat's flag_exp > 1): User and Inode columns.
    pub extend: bool,
    /// `-p`.
    pub programs: bool,
    /// `-o`.
    pub timers: bool,
    /// Clock ticks per second of the timer values (`sysconf(_SC_CLK_TCK)`).
    pub hz: u32,
}

/// The `Active Internet connections` header (two lines).
pub fn inet_header(opts: &SocketOptions, out: &mut Vec<u8>) {
    out.extend_from_slice(b"Active Internet connections ");
    out.extend_from_slice(opts.listing.title());
    out.extend_from_slice(
        b"\nProto Recv-Q Send-Q Local Address           Foreign Address         State      ",
    );
    if opts.extend {
        out.extend_from_slice(b" User       Inode     ");
    }
    if opts.programs {
        out.extend_from_slice(b" PID/Program name    ");
    }
    if opts.timers {
        out.extend_from_slice(b" Timer");
    }
    out.push(b'\n');
}

/// The `Active UNIX domain sockets` header (two lines).
pub fn unix_header(opts: &SocketOptions, out: &mut Vec<u8>) {
    out.extend_from_slice(b"Active UNIX domain sockets ");
    out.extend_from_slice(opts.listing.title());
    out.extend_from_slice(b"\nProto RefCnt Flags       Type       State         I-Node  ");
    if opts.programs {
        out.extend_from_slice(b" PID/Program name    ");
    }
    out.extend_from_slice(b" Path\n");
}

/// The `-g` header (three lines; always both families' title).
pub fn groups_header(out: &mut Vec<u8>) {
    out.extend_from_slice(
        b"IPv6/IPv4 Group Memberships\nInterface       RefCnt Group\n--------------- ------ ---------------------\n",
    );
}

/// TCP state names by number (netstat.c `tcp_state[]`).
pub fn tcp_state_name(state: u8) -> &'static [u8] {
    const NAMES: [&[u8]; 12] = [
        b"",
        b"ESTABLISHED",
        b"SYN_SENT",
        b"SYN_RECV",
        b"FIN_WAIT1",
        b"FIN_WAIT2",
        b"TIME_WAIT",
        b"CLOSE",
        b"CLOSE_WAIT",
        b"LAST_ACK",
        b"LISTEN",
        b"CLOSING",
    ];
    NAMES.get(usize::from(state)).copied().unwrap_or(b"")
}

/// The UDP/UDP-Lite state text: 1 `ESTABLISHED`, 7 empty, else `UNKNOWN`.
pub fn udp_state_name(state: u8) -> &'static [u8] {
    match state {
        1 => b"ESTABLISHED",
        7 => b"",
        _ => b"UNKNOWN",
    }
}

/// Prints inet rows (one printer per listing; scratch buffers are reused).
pub struct InetPrinter {
    pub opts: SocketOptions,
    line: Vec<u8>,
    host: Vec<u8>,
    port: Vec<u8>,
    local: Vec<u8>,
    remote: Vec<u8>,
}

impl InetPrinter {
    pub fn new(opts: SocketOptions) -> InetPrinter {
        InetPrinter {
            opts,
            line: Vec::with_capacity(256),
            host: Vec::with_capacity(64),
            port: Vec::with_capacity(64),
            local: Vec::with_capacity(64),
            remote: Vec::with_capacity(64),
        }
    }

    /// netstat.c `addr_do_one`: `HOST:PORT`, cut to 23 bytes unless `-W` (port to at most 18).
    fn addr_port(
        &mut self,
        remote: bool,
        family: u8,
        a: &[u8; 16],
        port: u16,
        proto: Option<ServiceProto>,
        names: &mut dyn NetstatNames,
    ) {
        let o = self.opts;
        self.host.clear();
        if family == 10 {
            text::inet6_host(&mut self.host, a, o.numeric_hosts, names);
        } else {
            text::inet_host(
                &mut self.host,
                [a[0], a[1], a[2], a[3]],
                o.numeric_hosts,
                false,
                names,
            );
        }
        self.port.clear();
        if port == 0 {
            self.port.push(b'*');
        } else {
            let name = match (o.numeric_ports, proto) {
                (false, Some(p)) => names.service(port, p),
                _ => None,
            };
            match name {
                Some(n) => self.port.extend_from_slice(&n[..n.len().min(63)]),
                None => cfmt::u64_dec(&mut self.port, u64::from(port)),
            }
        }
        let buf = if remote {
            &mut self.remote
        } else {
            &mut self.local
        };
        buf.clear();
        let (al, pl) = (self.host.len(), self.port.len());
        if !o.wide && al + pl > 22 {
            let pl2 = pl.min(18);
            let al2 = 22 - pl2;
            buf.extend_from_slice(&self.host[..al.min(al2)]);
            buf.push(b':');
            buf.extend_from_slice(&self.port[..pl2]);
        } else {
            // snprintf into a 128-byte buffer.
            buf.extend_from_slice(&self.host);
            buf.push(b':');
            buf.extend_from_slice(&self.port);
            buf.truncate(127);
        }
    }

    /// Prints one inet row (`row` must already be selected by [`Listing::inet_listed`]).
    pub fn row<W: Write + ?Sized>(
        &mut self,
        kind: InetKind,
        row: &InetRow,
        names: &mut dyn NetstatNames,
        programs: Option<&ProgramMap>,
        out: &mut W,
    ) -> io::Result<()> {
        let proto = match kind {
            InetKind::Tcp => Some(ServiceProto::Tcp),
            InetKind::Udp | InetKind::UdpLite => Some(ServiceProto::Udp),
            InetKind::Raw => Some(ServiceProto::Raw),
        };
        self.addr_port(false, row.family, &row.src, row.sport, proto, names);
        self.addr_port(true, row.family, &row.dst, row.dport, proto, names);
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let name = kind.proto_name(row.family);
        match kind {
            InetKind::Tcp | InetKind::Raw => {
                left(&mut line, name.as_bytes(), 4);
                line.push(b' ');
            }
            _ => left(&mut line, name.as_bytes(), 5),
        }
        line.push(b' ');
        // %6ld of unsigned long values.
        text::i_right(&mut line, row.recv_q as i64, 6);
        line.push(b' ');
        text::i_right(&mut line, row.send_q as i64, 6);
        line.push(b' ');
        match kind {
            InetKind::Tcp => {
                let w = self.local.len().max(23);
                left(&mut line, &self.local, w);
                line.push(b' ');
                let w = self.remote.len().max(23);
                left(&mut line, &self.remote, w);
                line.push(b' ');
                left(&mut line, tcp_state_name(row.state), 11);
            }
            InetKind::Udp | InetKind::UdpLite => {
                left(&mut line, &self.local, 23);
                line.push(b' ');
                left(&mut line, &self.remote, 23);
                line.push(b' ');
                left(&mut line, udp_state_name(row.state), 11);
            }
            InetKind::Raw => {
                left(&mut line, &self.local, 23);
                line.push(b' ');
                left(&mut line, &self.remote, 23);
                line.push(b' ');
                text::i_left(&mut line, i64::from(row.state), 11);
            }
        }
        self.finish(&mut line, row, kind, names, programs);
        let r = out.write_all(&line);
        self.line = line;
        r
    }

    /// netstat.c `finish_this_one`: User/Inode, program, timer, newline.
    fn finish(
        &mut self,
        line: &mut Vec<u8>,
        row: &InetRow,
        kind: InetKind,
        names: &mut dyn NetstatNames,
        programs: Option<&ProgramMap>,
    ) {
        let o = self.opts;
        if o.extend {
            line.push(b' ');
            let user = if o.numeric_users {
                None
            } else {
                names.user(row.uid)
            };
            match user {
                Some(u) => left(line, u, 10),
                None => text::i_left(line, i64::from(row.uid as i32), 10),
            }
            line.push(b' ');
            u_left(line, row.inode, 10);
        }
        if o.programs {
            line.push(b' ');
            let label = programs.and_then(|p| p.label(row.inode));
            left(line, label.unwrap_or(b"-"), 20);
        }
        if o.timers {
            line.push(b' ');
            timer_text(line, kind, row, o.hz);
        }
        line.push(b'\n');
    }
}

/// The timer text of `-o` (netstat.c: TCP divides by the clock tick rate, UDP/RAW by 100).
pub fn timer_text(out: &mut Vec<u8>, kind: InetKind, row: &InetRow, hz: u32) {
    let hz = if kind == InetKind::Tcp {
        hz.max(1)
    } else {
        100
    };
    let secs = |out: &mut Vec<u8>| {
        let v = row.timer_ticks as f64 / f64::from(hz);
        let start = out.len();
        cfmt::f_prec(out, v, 2);
        // %2.2f: at least two characters (always true for "d.dd").
        if out.len() - start < 2 {
            out.insert(start, b' ');
        }
    };
    let rp = |out: &mut Vec<u8>| {
        out.push(b'/');
        cfmt::i64_dec(out, i64::from(row.retrans));
        out.push(b'/');
        cfmt::i64_dec(out, i64::from(row.probes as i32));
        out.push(b')');
    };
    if kind == InetKind::Tcp {
        let label: &[u8] = match row.timer {
            0 => b"off (",
            1 => b"on (",
            2 => b"keepalive (",
            3 => b"timewait (",
            4 => b"probe (",
            _ => b"",
        };
        if row.timer == 0 {
            out.extend_from_slice(b"off (0.00");
        } else if label.is_empty() {
            out.extend_from_slice(b"unkn-");
            cfmt::i64_dec(out, i64::from(row.timer));
            out.extend_from_slice(b" (");
            secs(out);
        } else {
            out.extend_from_slice(label);
            secs(out);
        }
        rp(out);
        return;
    }
    match row.timer {
        0 => out.extend_from_slice(b"off (0.00"),
        1 | 2 => {
            out.extend_from_slice(b"on");
            cfmt::i64_dec(out, i64::from(row.timer));
            out.extend_from_slice(b" (");
            secs(out);
        }
        t => {
            out.extend_from_slice(b"unkn-");
            cfmt::i64_dec(out, i64::from(t));
            out.extend_from_slice(b" (");
            secs(out);
        }
    }
    rp(out);
}

/// One unix row (netstat.c `unix_do_one`).
pub fn unix_row(
    out: &mut Vec<u8>,
    opts: &SocketOptions,
    row: &UnixRow,
    programs: Option<&ProgramMap>,
) {
    left(out, if row.protocol == 0 { b"unix" } else { b"??" }, 5);
    out.push(b' ');
    text::i_left(out, row.refcnt as i64, 6);
    out.push(b' ');
    let mut flags = Vec::with_capacity(16);
    flags.extend_from_slice(b"[ ");
    if row.flags & SO_ACCEPTCON != 0 {
        flags.extend_from_slice(b"ACC ");
    }
    if row.flags & (1 << 17) != 0 {
        flags.extend_from_slice(b"W ");
    }
    if row.flags & (1 << 18) != 0 {
        flags.extend_from_slice(b"N ");
    }
    flags.push(b']');
    left(out, &flags, 11);
    out.push(b' ');
    let ty: &[u8] = match row.sock_type {
        1 => b"STREAM",
        2 => b"DGRAM",
        3 => b"RAW",
        4 => b"RDM",
        5 => b"SEQPACKET",
        _ => b"UNKNOWN",
    };
    left(out, ty, 10);
    out.push(b' ');
    let st: &[u8] = match row.state {
        0 => b"FREE",
        1 if row.flags & SO_ACCEPTCON != 0 => b"LISTENING",
        1 => b"",
        2 => b"CONNECTING",
        3 => b"CONNECTED",
        4 => b"DISCONNECTING",
        _ => b"UNKNOWN",
    };
    left(out, st, 13);
    out.push(b' ');
    u_left(out, row.inode, 8);
    if opts.programs {
        out.push(b' ');
        let label = programs.and_then(|p| p.label(row.inode));
        left(out, label.unwrap_or(b"-"), 20);
    }
    out.push(b' ');
    out.extend_from_slice(&row.path);
    out.push(b'\n');
}

/// One `-g` row: `%-15s %-6d %s`.
pub fn group_row(
    out: &mut Vec<u8>,
    row: &GroupRow,
    numeric_hosts: bool,
    names: &mut dyn NetstatNames,
) {
    left(out, &row.device, 15);
    out.push(b' ');
    text::i_left(out, i64::from(row.users), 6);
    out.push(b' ');
    let start = out.len();
    if row.family == 10 {
        text::inet6_host(out, &row.group, numeric_hosts, names);
    } else {
        let g = [row.group[0], row.group[1], row.group[2], row.group[3]];
        text::inet_host(out, g, numeric_hosts, false, names);
    }
    out.truncate(start + (out.len() - start).min(127));
    out.push(b'\n');
}

/// `right`-justified helper re-exported for the other printers.
pub fn pad_right(out: &mut Vec<u8>, s: &[u8], width: usize) {
    right(out, s, width);
}

/// `%Nlu` helper re-exported for the other printers.
pub fn num_right(out: &mut Vec<u8>, v: u64, width: usize) {
    u_right(out, v, width);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::netstat::text::testing::fixture_names;

    fn v4(a: [u8; 4]) -> [u8; 16] {
        let mut x = [0u8; 16];
        x[..4].copy_from_slice(&a);
        x
    }

    fn v6(s: &str) -> [u8; 16] {
        s.parse::<std::net::Ipv6Addr>().unwrap().octets()
    }

    fn print(kind: InetKind, row: &InetRow, opts: SocketOptions) -> String {
        let mut names = fixture_names();
        let mut p = InetPrinter::new(opts);
        let mut out = Vec::new();
        p.row(kind, row, &mut names, None, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn tcp(src: [u8; 4], sp: u16, dst: [u8; 4], dp: u16, state: u8) -> InetRow {
        InetRow {
            family: 2,
            state,
            src: v4(src),
            dst: v4(dst),
            sport: sp,
            dport: dp,
            ..InetRow::default()
        }
    }

    #[test]
    fn headers_match_the_captures() {
        let mut o = Vec::new();
        inet_header(&SocketOptions::default(), &mut o);
        assert_eq!(o, b"Active Internet connections (w/o servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State      \n");
        let mut o = Vec::new();
        let opts = SocketOptions {
            listing: Listing {
                all: true,
                listening: false,
            },
            extend: true,
            programs: true,
            timers: true,
            ..SocketOptions::default()
        };
        inet_header(&opts, &mut o);
        assert!(o.ends_with(b"State       User       Inode      PID/Program name     Timer\n"));
        let mut o = Vec::new();
        unix_header(&opts, &mut o);
        assert_eq!(o, b"Active UNIX domain sockets (servers and established)\nProto RefCnt Flags       Type       State         I-Node   PID/Program name     Path\n");
    }

    #[test]
    fn tcp_rows_numeric_and_named() {
        let n = SocketOptions {
            numeric_hosts: true,
            numeric_ports: true,
            ..SocketOptions::default()
        };
        let mut r = tcp([127, 0, 0, 1], 51590, [127, 0, 0, 1], 7000, 1);
        r.send_q = 2803712;
        assert_eq!(
            print(InetKind::Tcp, &r, n),
            "tcp        0 2803712 127.0.0.1:51590         127.0.0.1:7000          ESTABLISHED\n"
        );
        let l = tcp([0, 0, 0, 0], 22, [0, 0, 0, 0], 0, 10);
        assert_eq!(
            print(InetKind::Tcp, &l, SocketOptions::default()),
            "tcp        0      0 0.0.0.0:ssh             0.0.0.0:*               LISTEN     \n"
        );
        let r = tcp([192, 0, 2, 1], 41894, [192, 0, 2, 2], 80, 1);
        assert_eq!(
            print(InetKind::Tcp, &r, SocketOptions::default()),
            "tcp        0      0 alpha.example:41894     peer-b.example:http     ESTABLISHED\n"
        );
        // Long IPv6 addresses are cut to 23 columns unless -W.
        let long = v6("2001:db8:aaaa:bbbb:cccc:dddd:eeee:1");
        let r6 = InetRow {
            family: 10,
            state: 1,
            src: long,
            dst: long,
            sport: 57244,
            dport: 8443,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::Tcp, &r6, n),
            "tcp6       0      0 2001:db8:aaaa:bbb:57244 2001:db8:aaaa:bbbb:8443 ESTABLISHED\n"
        );
        let w = SocketOptions { wide: true, ..n };
        assert_eq!(
            print(InetKind::Tcp, &r6, w),
            "tcp6       0      0 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:57244 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1:8443 ESTABLISHED\n"
        );
        // A long host name and a service name: 18 + ':' + port.
        let r = tcp([192, 0, 2, 1], 40000, [198, 51, 100, 2], 80, 1);
        assert!(print(InetKind::Tcp, &r, SocketOptions::default())
            .contains(" a-really-long-peer:http "));
        // v4-mapped addresses lose their prefix even when names are resolved.
        let mapped = v6("::ffff:127.0.0.1");
        let rm = InetRow {
            family: 10,
            state: 1,
            src: mapped,
            dst: mapped,
            sport: 9090,
            dport: 47822,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::Tcp, &rm, SocketOptions::default()),
            "tcp6       0      0 127.0.0.1:9090          127.0.0.1:47822         ESTABLISHED\n"
        );
        let lst = InetRow {
            family: 10,
            state: 10,
            sport: 443,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::Tcp, &lst, SocketOptions::default()),
            "tcp6       0      0 [::]:https              [::]:*                  LISTEN     \n"
        );
    }

    #[test]
    fn udp_raw_and_tails() {
        let opts = SocketOptions {
            numeric_hosts: true,
            numeric_ports: true,
            numeric_users: true,
            extend: true,
            programs: true,
            timers: true,
            hz: 100,
            listing: Listing {
                all: true,
                listening: false,
            },
            ..SocketOptions::default()
        };
        let u = InetRow {
            family: 2,
            state: 7,
            recv_q: 2496,
            src: v4([127, 0, 0, 1]),
            sport: 40002,
            inode: 437684,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::Udp, &u, opts),
            "udp     2496      0 127.0.0.1:40002         0.0.0.0:*                           0          437684     -                    off (0.00/0/0)\n"
        );
        let r = InetRow {
            family: 2,
            state: 7,
            recv_q: 70720,
            sport: 1,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::Raw, &r, SocketOptions::default()),
            "raw    70720      0 0.0.0.0:icmp            0.0.0.0:*               7          \n"
        );
        let ul = InetRow {
            family: 10,
            state: 7,
            src: v6("::1"),
            sport: 5001,
            ..InetRow::default()
        };
        assert_eq!(
            print(InetKind::UdpLite, &ul, SocketOptions::default()),
            "udpl6      0      0 localhost:5001          [::]:*                             \n"
        );
        let mut t = tcp([127, 0, 0, 1], 37502, [127, 0, 0, 1], 5432, 1);
        t.timer = 2;
        t.timer_ticks = 719479;
        t.inode = 437659;
        assert!(print(InetKind::Tcp, &t, opts).ends_with(
            "ESTABLISHED 0          437659     -                    keepalive (7194.79/0/0)\n"
        ));
        t.timer = 9;
        t.timer_ticks = 5;
        assert!(print(InetKind::Tcp, &t, opts).ends_with(" unkn-9 (0.05/0/0)\n"));
        let named = SocketOptions {
            numeric_users: false,
            ..opts
        };
        assert!(print(InetKind::Tcp, &t, named).contains("ESTABLISHED root       437659"));
    }

    #[test]
    fn listing_rules() {
        let conn = Listing::default();
        let srv = Listing {
            all: false,
            listening: true,
        };
        let l = tcp([0; 4], 22, [0; 4], 0, 10);
        let e = tcp([127, 0, 0, 1], 1, [127, 0, 0, 1], 2, 1);
        assert!(!conn.inet_listed(InetKind::Tcp, &l) && conn.inet_listed(InetKind::Tcp, &e));
        assert!(srv.inet_listed(InetKind::Tcp, &l) && !srv.inet_listed(InetKind::Tcp, &e));
        // UDP: connected means a non-zero remote address, whatever the port.
        let mut u = tcp([127, 0, 0, 1], 1, [127, 0, 0, 1], 0, 7);
        assert!(conn.inet_listed(InetKind::Udp, &u));
        u.dst = [0; 16];
        assert!(srv.inet_listed(InetKind::Udp, &u));
    }

    #[test]
    fn unix_and_group_rows() {
        let opts = SocketOptions::default();
        let mut o = Vec::new();
        let r = UnixRow {
            refcnt: 2,
            flags: SO_ACCEPTCON,
            sock_type: 1,
            state: 1,
            inode: 437691,
            path: b"/tmp/nspa-stream.sock".to_vec(),
            ..UnixRow::default()
        };
        unix_row(&mut o, &opts, &r, None);
        let r2 = UnixRow {
            refcnt: 2,
            sock_type: 2,
            state: 1,
            inode: 437703,
            ..UnixRow::default()
        };
        unix_row(&mut o, &opts, &r2, None);
        assert_eq!(
            String::from_utf8(o).unwrap(),
            "unix  2      [ ACC ]     STREAM     LISTENING     437691   /tmp/nspa-stream.sock\n\
             unix  2      [ ]         DGRAM                    437703   \n"
        );
        let mut names = fixture_names();
        let mut o = Vec::new();
        let mut g = [0u8; 16];
        g[..4].copy_from_slice(&[224, 0, 0, 1]);
        let row = GroupRow {
            device: b"lo        ".to_vec(),
            users: 1,
            family: 2,
            group: g,
        };
        group_row(&mut o, &row, true, &mut names);
        assert_eq!(o, b"lo              1      224.0.0.1\n");
    }
}
