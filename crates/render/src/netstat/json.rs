//! `sockscope netstat --json` (beyond net-tools): the rows of each listing as JSON objects,
//! one array per listing (one per round with `-c`). The schema is in docs/json.md under
//! "netstat". Addresses are numeric (no name lookups), numbers are raw kernel values; strings
//! that are not UTF-8 get U+FFFD for the invalid bytes.

use sockscope_query::netstat::procnet::{GroupRow, IfInet6Row, Route6Row, SnmpSection};
use sockscope_query::netstat::rtnl::Route4;
use sockscope_query::netstat::sockets::{InetKind, InetRow, UnixRow, SO_ACCEPTCON};

use super::iface::Iface;
use super::routes::{fib4_flags, fib6_flags};
use super::sockets::{tcp_state_name, udp_state_name};
use crate::{addr, cfmt};

/// Streams one JSON array: `[`, objects separated by `,\n`, `]\n`.
#[derive(Debug, Default)]
pub struct Array {
    count: u64,
}

impl Array {
    pub fn new() -> Array {
        Array { count: 0 }
    }

    /// Starts an object (writes `[` or `,\n` first).
    pub fn item(&mut self, out: &mut Vec<u8>) {
        out.extend_from_slice(if self.count == 0 { b"[\n" } else { b",\n" });
        self.count += 1;
    }

    /// Closes the array (`[]` when empty).
    pub fn finish(&mut self, out: &mut Vec<u8>) {
        if self.count == 0 {
            out.extend_from_slice(b"[]\n");
        } else {
            out.extend_from_slice(b"\n]\n");
        }
        self.count = 0;
    }
}

/// A JSON string literal for arbitrary bytes.
pub fn string(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    for chunk in s.utf8_chunks() {
        for &c in chunk.valid().as_bytes() {
            match c {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0..=0x1f => {
                    out.extend_from_slice(b"\\u00");
                    cfmt::hex_pad(out, u64::from(c), 2);
                }
                _ => out.push(c),
            }
        }
        if !chunk.invalid().is_empty() {
            out.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
    out.push(b'"');
}

/// Object writer: keys in call order, commas handled.
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(out: &'a mut Vec<u8>) -> Obj<'a> {
        out.push(b'{');
        Obj { out, first: true }
    }
    fn key(&mut self, k: &str) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        self.out.push(b'"');
        self.out.extend_from_slice(k.as_bytes());
        self.out.extend_from_slice(b"\":");
    }
    fn u(&mut self, k: &str, v: u64) {
        self.key(k);
        cfmt::u64_dec(self.out, v);
    }
    fn i(&mut self, k: &str, v: i64) {
        self.key(k);
        cfmt::i64_dec(self.out, v);
    }
    fn s(&mut self, k: &str, v: &[u8]) {
        self.key(k);
        string(self.out, v);
    }
    fn raw(&mut self, k: &str, f: impl FnOnce(&mut Vec<u8>)) {
        self.key(k);
        f(self.out);
    }
    fn close(self) {
        self.out.push(b'}');
    }
}

fn addr_text(out: &mut Vec<u8>, family: u8, a: &[u8; 16]) {
    let mut t = Vec::with_capacity(40);
    if family == 10 {
        addr::ntop6(&mut t, a);
    } else {
        addr::ntop4(&mut t, [a[0], a[1], a[2], a[3]]);
    }
    string(out, &t);
}

fn endpoint(out: &mut Vec<u8>, family: u8, a: &[u8; 16], port: u16) {
    let mut o = Obj::open(out);
    o.raw("address", |b| addr_text(b, family, a));
    o.u("port", u64::from(port));
    o.close();
}

/// One inet row. `user` is the user name when known; `program` the `PID/NAME` label.
pub fn inet_row(
    out: &mut Vec<u8>,
    kind: InetKind,
    r: &InetRow,
    user: Option<&[u8]>,
    program: Option<(u32, &[u8])>,
    hz: u32,
) {
    let mut o = Obj::open(out);
    o.s("proto", kind.proto_name(r.family).as_bytes());
    o.u("recv_q", r.recv_q);
    o.u("send_q", r.send_q);
    o.raw("local", |b| endpoint(b, r.family, &r.src, r.sport));
    o.raw("foreign", |b| endpoint(b, r.family, &r.dst, r.dport));
    match kind {
        InetKind::Tcp => o.s("state", tcp_state_name(r.state)),
        InetKind::Udp | InetKind::UdpLite => o.s("state", udp_state_name(r.state)),
        InetKind::Raw => o.u("state", u64::from(r.state)),
    }
    o.u("uid", u64::from(r.uid));
    if let Some(u) = user {
        o.s("user", u);
    }
    o.u("inode", r.inode);
    if let Some((pid, label)) = program {
        o.raw("program", |b| {
            let mut p = Obj::open(b);
            p.u("pid", u64::from(pid));
            let name = label
                .iter()
                .position(|&c| c == b'/')
                .map_or(label, |i| &label[i + 1..]);
            p.s("name", name);
            p.close();
        });
    }
    o.raw("timer", |b| {
        let mut t = Obj::open(b);
        let name: &[u8] = match (kind, r.timer) {
            (_, 0) => b"off",
            (InetKind::Tcp, 1) => b"on",
            (InetKind::Tcp, 2) => b"keepalive",
            (InetKind::Tcp, 3) => b"timewait",
            (InetKind::Tcp, 4) => b"probe",
            (InetKind::Tcp, _) => b"unknown",
            (_, 1 | 2) => b"on",
            _ => b"unknown",
        };
        t.s("name", name);
        t.u("code", u64::from(r.timer));
        let hz = if kind == InetKind::Tcp {
            hz.max(1)
        } else {
            100
        };
        t.u(
            "expires_ms",
            r.timer_ticks.saturating_mul(1000) / u64::from(hz),
        );
        t.u("retrans", u64::from(r.retrans));
        t.u("probes", u64::from(r.probes));
        t.close();
    });
    o.close();
}

/// One unix row.
pub fn unix_row(out: &mut Vec<u8>, r: &UnixRow, program: Option<(u32, &[u8])>) {
    let mut o = Obj::open(out);
    o.s("proto", if r.protocol == 0 { b"unix" } else { b"??" });
    o.u("refcnt", r.refcnt);
    o.raw("flags", |b| {
        b.push(b'[');
        let mut first = true;
        for (bit, name) in [
            (SO_ACCEPTCON, &b"ACC"[..]),
            (1 << 17, b"W"),
            (1 << 18, b"N"),
        ] {
            if r.flags & bit != 0 {
                if !first {
                    b.push(b',');
                }
                first = false;
                string(b, name);
            }
        }
        b.push(b']');
    });
    let ty: &[u8] = match r.sock_type {
        1 => b"STREAM",
        2 => b"DGRAM",
        3 => b"RAW",
        4 => b"RDM",
        5 => b"SEQPACKET",
        _ => b"UNKNOWN",
    };
    o.s("type", ty);
    let st: &[u8] = match r.state {
        0 => b"FREE",
        1 if r.flags & SO_ACCEPTCON != 0 => b"LISTENING",
        1 => b"",
        2 => b"CONNECTING",
        3 => b"CONNECTED",
        4 => b"DISCONNECTING",
        _ => b"UNKNOWN",
    };
    o.s("state", st);
    o.u("inode", r.inode);
    if let Some((pid, label)) = program {
        o.raw("program", |b| {
            let mut p = Obj::open(b);
            p.u("pid", u64::from(pid));
            let name = label
                .iter()
                .position(|&c| c == b'/')
                .map_or(label, |i| &label[i + 1..]);
            p.s("name", name);
            p.close();
        });
    }
    o.s("path", &r.path);
    o.close();
}

/// One `-g` row.
pub fn group_row(out: &mut Vec<u8>, r: &GroupRow) {
    let mut o = Obj::open(out);
    o.s("proto", if r.family == 10 { b"igmp6" } else { b"igmp" });
    let dev = r.device.trim_ascii_end();
    o.s("interface", dev);
    o.i("refcnt", i64::from(r.users));
    o.s("family", if r.family == 10 { b"inet6" } else { b"inet" });
    o.raw("group", |b| addr_text(b, r.family, &r.group));
    o.close();
}

fn a4(a: [u8; 4]) -> [u8; 16] {
    let mut x = [0u8; 16];
    x[..4].copy_from_slice(&a);
    x
}

/// One IPv4 route.
pub fn route4_row(out: &mut Vec<u8>, r: &Route4, ifname: &[u8]) {
    let mut o = Obj::open(out);
    o.s("family", b"inet");
    o.raw("destination", |b| addr_text(b, 2, &a4(r.dst)));
    o.u("prefix_len", u64::from(r.prefix_len));
    o.raw("gateway", |b| addr_text(b, 2, &a4(r.gateway)));
    o.raw("genmask", |b| addr_text(b, 2, &a4(r.mask())));
    o.s("flags", &fib4_flags(r.flags));
    o.i("metric", i64::from(r.metric));
    o.u("ref", 0);
    o.u("use", 0);
    o.s("iface", ifname);
    o.u("mss", u64::from(r.mss));
    o.u("window", u64::from(r.window));
    o.u("irtt", u64::from(r.irtt));
    o.close();
}

/// One IPv6 route (a /proc/net/ipv6_route line).
pub fn route6_row(out: &mut Vec<u8>, r: &Route6Row) {
    let mut o = Obj::open(out);
    o.s("family", b"inet6");
    o.raw("destination", |b| addr_text(b, 10, &r.dst));
    o.u("prefix_len", u64::from(r.dst_len));
    o.raw("next_hop", |b| addr_text(b, 10, &r.next_hop));
    o.s("flags", &fib6_flags(r.flags));
    o.i("metric", i64::from(r.metric));
    o.i("ref", i64::from(r.refcnt));
    o.i("use", i64::from(r.use_count));
    o.s("iface", &r.device);
    o.close();
}

/// One interface (short and long form carry the same object).
pub fn iface(out: &mut Vec<u8>, i: &Iface, inet6: &[&IfInet6Row]) {
    let mut o = Obj::open(out);
    o.s("iface", &i.name);
    o.u("flags", u64::from(i.flags));
    o.raw("flag_letters", |b| {
        let mut f = Vec::new();
        super::iface::short_flags(&mut f, i.flags);
        string(b, &f);
    });
    o.i("mtu", i64::from(i.mtu));
    o.u("hw_type", u64::from(i.hw_type));
    if let Some(q) = i.txqlen {
        o.i("txqueuelen", i64::from(q));
    }
    if let Some((a, m, b, d)) = i.inet {
        o.raw("inet", |w| {
            let mut x = Obj::open(w);
            x.raw("address", |w| addr_text(w, 2, &a4(a)));
            x.raw("netmask", |w| addr_text(w, 2, &a4(m)));
            x.raw("broadcast", |w| addr_text(w, 2, &a4(b)));
            x.raw("destination", |w| addr_text(w, 2, &a4(d)));
            x.close();
        });
    }
    o.raw("inet6", |w| {
        w.push(b'[');
        for (k, r) in inet6.iter().enumerate() {
            if k > 0 {
                w.push(b',');
            }
            let mut x = Obj::open(w);
            x.raw("address", |w| addr_text(w, 10, &r.addr));
            x.u("prefixlen", u64::from(r.prefix_len));
            x.u("scopeid", u64::from(r.scope));
            x.close();
        }
        w.push(b']');
    });
    if let Some(c) = &i.counters {
        o.raw("counters", |w| {
            let mut x = Obj::open(w);
            x.u("rx_ok", c.rx_packets);
            x.u("rx_err", c.rx_errors);
            x.u("rx_drp", c.rx_dropped);
            x.u("rx_ovr", c.rx_fifo);
            x.u("tx_ok", c.tx_packets);
            x.u("tx_err", c.tx_errors);
            x.u("tx_drp", c.tx_dropped);
            x.u("tx_ovr", c.tx_fifo);
            x.u("rx_bytes", c.rx_bytes);
            x.u("tx_bytes", c.tx_bytes);
            x.u("rx_frame", c.rx_frame);
            x.u("tx_carrier", c.tx_carrier);
            x.u("collisions", c.collisions);
            x.close();
        });
    }
    o.close();
}

/// One statistics section: `{"section":"Ip","counters":{"Forwarding":2,...}}` (every counter
/// of the file, in file order).
pub fn stat_section(out: &mut Vec<u8>, s: &SnmpSection) {
    let mut o = Obj::open(out);
    o.s("section", &s.name);
    o.raw("counters", |w| {
        w.push(b'{');
        for (k, (key, v)) in s.values.iter().enumerate() {
            if k > 0 {
                w.push(b',');
            }
            string(w, key);
            w.push(b':');
            cfmt::u64_dec(w, *v);
        }
        w.push(b'}');
    });
    o.close();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_parse_as_json() {
        let mut out = Vec::new();
        let mut a = Array::new();
        a.item(&mut out);
        let r = InetRow {
            family: 2,
            state: 10,
            sport: 22,
            inode: 5,
            timer: 2,
            timer_ticks: 139,
            ..InetRow::default()
        };
        inet_row(
            &mut out,
            InetKind::Tcp,
            &r,
            Some(b"root"),
            Some((7, b"7/sshd")),
            100,
        );
        a.item(&mut out);
        unix_row(
            &mut out,
            &UnixRow {
                refcnt: 2,
                flags: SO_ACCEPTCON,
                sock_type: 1,
                state: 1,
                inode: 9,
                path: b"/tmp/\"x\"".to_vec(),
                ..UnixRow::default()
            },
            None,
        );
        a.item(&mut out);
        stat_section(
            &mut out,
            &SnmpSection {
                name: b"Ip".to_vec(),
                values: vec![(b"Forwarding".to_vec(), 2)],
            },
        );
        a.finish(&mut out);
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(v[0]["proto"], "tcp");
        assert_eq!(v[0]["state"], "LISTEN");
        assert_eq!(v[0]["local"]["port"], 22);
        assert_eq!(v[0]["program"]["name"], "sshd");
        assert_eq!(v[0]["timer"]["name"], "keepalive");
        assert_eq!(v[0]["timer"]["expires_ms"], 1390);
        assert_eq!(v[1]["flags"][0], "ACC");
        assert_eq!(v[1]["state"], "LISTENING");
        assert_eq!(v[1]["path"], "/tmp/\"x\"");
        assert_eq!(v[2]["counters"]["Forwarding"], 2);
        let mut e = Vec::new();
        Array::new().finish(&mut e);
        assert_eq!(e, b"[]\n");
    }
}
