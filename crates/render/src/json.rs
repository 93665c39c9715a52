//! Streaming JSON output (`--json`, beyond ss): one array, one object per socket, written as
//! sockets arrive. Hand-written into one reused buffer with the `cfmt` digit writers (no serde
//! on the hot path); the schema is documented in docs/json.md and pinned by tests that parse
//! the output with serde_json.
//!
//! Objects contain only what the socket record has (absent attributes are omitted, never
//! `null`). Numbers are raw kernel values in kernel units; no service, host or protocol name
//! lookups are made (only interface names, netlink protocol names and, on request, cgroup
//! paths). Byte strings that are not valid UTF-8 (paths, names) have the invalid bytes replaced
//! by U+FFFD.

use std::io::{self, Write};

use sockscope_query::model::{
    family, u32_at, InetSock, NetlinkSock, PacketSock, Sock, Source, UnixSock, VsockSock, XdpSock,
};
use sockscope_query::names::Resolver;
use sockscope_query::tcp_info::TcpInfo;

use crate::addr;
use crate::cfmt;
use crate::kstructs::{self, BbrInfo, MptcpInfo};
use crate::ss;

/// JSON output options.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonOptions {
    /// Resolve `cgroup_id` to a `cgroup` path (may make the resolver print diagnostics).
    pub cgroup_paths: bool,
    /// One object per line and no enclosing array (JSON Lines), for output that never ends
    /// (`-E`).
    pub lines: bool,
}

/// Writes `[`, then one object per [`JsonWriter::print`], then `]` in [`JsonWriter::finish`].
pub struct JsonWriter {
    opts: JsonOptions,
    count: u64,
    started: bool,
    buf: Vec<u8>,
}

/// Appends a JSON string literal for arbitrary bytes.
fn json_str(b: &mut Vec<u8>, s: &[u8]) {
    b.push(b'"');
    for chunk in s.utf8_chunks() {
        for &c in chunk.valid().as_bytes() {
            match c {
                b'"' => b.extend_from_slice(b"\\\""),
                b'\\' => b.extend_from_slice(b"\\\\"),
                b'\n' => b.extend_from_slice(b"\\n"),
                b'\r' => b.extend_from_slice(b"\\r"),
                b'\t' => b.extend_from_slice(b"\\t"),
                0..=0x1f => {
                    b.extend_from_slice(b"\\u00");
                    cfmt::hex_pad(b, u64::from(c), 2);
                }
                _ => b.push(c),
            }
        }
        if !chunk.invalid().is_empty() {
            b.extend_from_slice("\u{fffd}".as_bytes());
        }
    }
    b.push(b'"');
}

/// A JSON object being written; keys are plain ASCII identifiers.
struct Obj<'a> {
    b: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> Obj<'a> {
    fn open(b: &'a mut Vec<u8>) -> Obj<'a> {
        b.push(b'{');
        Obj { b, first: true }
    }
    fn key(&mut self, k: &str) {
        if !self.first {
            self.b.push(b',');
        }
        self.first = false;
        self.b.push(b'"');
        self.b.extend_from_slice(k.as_bytes());
        self.b.extend_from_slice(b"\":");
    }
    fn u(&mut self, k: &str, v: u64) {
        self.key(k);
        cfmt::u64_dec(self.b, v);
    }
    fn i(&mut self, k: &str, v: i64) {
        self.key(k);
        cfmt::i64_dec(self.b, v);
    }
    fn s(&mut self, k: &str, v: &[u8]) {
        self.key(k);
        json_str(self.b, v);
    }
    fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.b.extend_from_slice(if v { b"true" } else { b"false" });
    }
    /// A string value produced by `f` writing raw (already safe) text.
    fn text(&mut self, k: &str, f: impl FnOnce(&mut Vec<u8>)) {
        self.key(k);
        self.b.push(b'"');
        f(self.b);
        self.b.push(b'"');
    }
    fn obj(&mut self, k: &str, f: impl FnOnce(&mut Obj<'_>)) {
        self.key(k);
        let mut o = Obj::open(self.b);
        f(&mut o);
        o.close();
    }
    fn close(self) {
        self.b.push(b'}');
    }
}

impl JsonWriter {
    pub fn new(opts: JsonOptions) -> JsonWriter {
        JsonWriter {
            opts,
            count: 0,
            started: false,
            buf: Vec::with_capacity(4096),
        }
    }

    /// Writes the opening bracket (called implicitly by the first `print` or `finish`).
    pub fn begin<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        if !self.started {
            self.started = true;
            if !self.opts.lines {
                w.write_all(b"[")?;
            }
        }
        Ok(())
    }

    /// Number of objects written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Writes one socket object. `users` is the same text the ss printer takes.
    pub fn print<W: Write + ?Sized>(
        &mut self,
        sock: Sock<'_>,
        users: Option<&[u8]>,
        res: &mut dyn Resolver,
        w: &mut W,
    ) -> io::Result<()> {
        self.begin(w)?;
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        if !self.opts.lines {
            buf.extend_from_slice(if self.count == 0 { b"\n" } else { b",\n" });
        }
        {
            let mut o = Obj::open(&mut buf);
            match sock {
                Sock::Inet(s) => inet(&mut o, &self.opts, res, s),
                Sock::Unix(s) => unix(&mut o, s),
                Sock::Packet(s) => packet(&mut o, res, s),
                Sock::Netlink(s) => netlink(&mut o, s),
                Sock::Vsock(s) => vsock(&mut o, s),
                Sock::Xdp(s) => xdp(&mut o, res, s),
            }
            if let Some(u) = users {
                o.s("users", u);
            }
            o.close();
        }
        if self.opts.lines {
            buf.push(b'\n');
        }
        let r = w.write_all(&buf);
        self.buf = buf;
        self.count += 1;
        r
    }

    /// Closes the array (`[]` when nothing was printed) and ends the line.
    pub fn finish<W: Write + ?Sized>(&mut self, w: &mut W) -> io::Result<()> {
        self.begin(w)?;
        if self.opts.lines {
            return Ok(());
        }
        w.write_all(if self.count > 0 { b"\n]\n" } else { b"]\n" })
    }
}

fn common(o: &mut Obj<'_>, netid: &[u8], state: u8, rq: u32, wq: u32) {
    o.s("netid", netid);
    o.s("state", ss::state_name(state));
    o.u("recv_q", u64::from(rq));
    o.u("send_q", u64::from(wq));
}

fn skmem(o: &mut Obj<'_>, m: &[u8]) {
    const NAMES: [&str; 9] = [
        "rmem_alloc",
        "rcvbuf",
        "wmem_alloc",
        "sndbuf",
        "fwd_alloc",
        "wmem_queued",
        "optmem",
        "backlog",
        "drops",
    ];
    o.obj("skmem", |s| {
        for (i, n) in NAMES.iter().enumerate() {
            if let Some(v) = u32_at(m, i) {
                s.u(n, u64::from(v));
            }
        }
    });
}

fn inet_addr(o: &mut Obj<'_>, key: &str, af: u8, a: &[u8; 16], port: u16, ifname: Option<&[u8]>) {
    o.obj(key, |e| {
        e.text("address", |b| {
            if af == family::INET {
                addr::ntop4(b, [a[0], a[1], a[2], a[3]]);
            } else {
                addr::ntop6(b, a);
            }
        });
        e.u("port", u64::from(port));
        if let Some(n) = ifname {
            e.s("interface", n);
        }
    });
}

fn inet(o: &mut Obj<'_>, opts: &JsonOptions, res: &mut dyn Resolver, s: &InetSock<'_>) {
    let a = &s.attrs;
    let netid: &[u8] = match (s.source, s.table) {
        (Source::Proc, Some(sockscope_query::model::Table::Tcp)) => b"tcp",
        (Source::Proc, Some(sockscope_query::model::Table::Udp)) => b"udp",
        (Source::Proc, _) => b"raw",
        _ => ss::inet_netid(s.protocol),
    };
    common(o, netid, s.state, s.rqueue, s.wqueue);
    o.s(
        "family",
        if s.family == family::INET {
            b"inet"
        } else {
            b"inet6"
        },
    );
    o.u("protocol", u64::from(s.protocol));
    let ifname = if s.ifindex != 0 {
        Some(res.ifname(s.ifindex))
    } else {
        None
    };
    inet_addr(o, "local", s.family, &s.src, s.sport, ifname);
    inet_addr(o, "peer", s.family, &s.dst, s.dport, None);
    o.u("inode", u64::from(s.inode));
    o.u("uid", u64::from(s.uid));
    if s.source.is_netlink_format() {
        o.u("cookie", s.cookie);
    }
    if let Some(px) = s.proc_extra {
        o.u("sk", px.sk);
    }
    if let Some(m) = a.mark {
        o.u("mark", u64::from(m));
    }
    if let Some(id) = a.cgroup_id {
        o.u("cgroup_id", id);
        if opts.cgroup_paths {
            if let Some(p) = res.cgroup_path(id) {
                o.s("cgroup", p);
            }
        }
    }
    if s.family == family::INET6 {
        if let Some(v) = a.v6only {
            o.bool("v6only", v != 0);
        }
    }
    if let Some(m) = a.shutdown {
        o.obj("shutdown", |sd| {
            sd.bool("recv", m & 1 != 0);
            sd.bool("send", m & 2 != 0);
        });
    }
    if s.timer != 0 {
        o.obj("timer", |t| {
            t.s(
                "name",
                match s.timer {
                    1 => b"on",
                    2 => b"keepalive",
                    3 => b"timewait",
                    4 => b"persist",
                    _ => b"unknown",
                },
            );
            t.u("expires_ms", u64::from(s.expires));
            t.u("retrans", u64::from(s.retrans));
        });
    }
    if let Some(v) = a.tos {
        o.u("tos", u64::from(v));
    }
    if let Some(v) = a.tclass {
        o.u("tclass", u64::from(v));
    }
    if let Some(v) = a.class_id {
        o.u("class_id", u64::from(v));
    }
    if let Some(c) = a.cong {
        o.s("congestion", kstructs::c_str(c));
    }
    if let Some(m) = a.skmeminfo {
        skmem(o, m);
    }
    if let Some([r, w, f, t]) = a.meminfo {
        o.obj("meminfo", |mi| {
            mi.u("rmem", u64::from(r));
            mi.u("wmem", u64::from(w));
            mi.u("fmem", u64::from(f));
            mi.u("tmem", u64::from(t));
        });
    }
    if let Some(info) = a.info {
        match s.protocol {
            262 => mptcp_info(o, &MptcpInfo::from_bytes(info)),
            132 => {}
            _ if s.table != Some(sockscope_query::model::Table::Udp) => {
                tcp_info(o, &TcpInfo::from_bytes(info))
            }
            _ => {}
        }
    }
    if let Some(b) = a.bbr {
        let b = BbrInfo::from_bytes(b);
        o.obj("bbr", |x| {
            x.u("bw", b.bw());
            x.u("min_rtt", u64::from(b.min_rtt));
            x.u("pacing_gain", u64::from(b.pacing_gain));
            x.u("cwnd_gain", u64::from(b.cwnd_gain));
        });
    }
}

fn tcp_info(o: &mut Obj<'_>, i: &TcpInfo) {
    o.obj("tcp_info", |t| {
        t.u("state", u64::from(i.state));
        t.u("ca_state", u64::from(i.ca_state));
        t.u("retransmits", u64::from(i.retransmits));
        t.u("probes", u64::from(i.probes));
        t.u("backoff", u64::from(i.backoff));
        t.u("options", u64::from(i.options));
        t.u("snd_wscale", u64::from(i.snd_wscale));
        t.u("rcv_wscale", u64::from(i.rcv_wscale));
        t.bool("delivery_rate_app_limited", i.delivery_rate_app_limited);
        t.u("fastopen_client_fail", u64::from(i.fastopen_client_fail));
        for (k, v) in [
            ("rto", i.rto),
            ("ato", i.ato),
            ("snd_mss", i.snd_mss),
            ("rcv_mss", i.rcv_mss),
            ("unacked", i.unacked),
            ("sacked", i.sacked),
            ("lost", i.lost),
            ("retrans", i.retrans),
            ("fackets", i.fackets),
            ("last_data_sent", i.last_data_sent),
            ("last_ack_sent", i.last_ack_sent),
            ("last_data_recv", i.last_data_recv),
            ("last_ack_recv", i.last_ack_recv),
            ("pmtu", i.pmtu),
            ("rcv_ssthresh", i.rcv_ssthresh),
            ("rtt", i.rtt),
            ("rttvar", i.rttvar),
            ("snd_ssthresh", i.snd_ssthresh),
            ("snd_cwnd", i.snd_cwnd),
            ("advmss", i.advmss),
            ("reordering", i.reordering),
            ("rcv_rtt", i.rcv_rtt),
            ("rcv_space", i.rcv_space),
            ("total_retrans", i.total_retrans),
        ] {
            t.u(k, u64::from(v));
        }
        for (k, v) in [
            ("pacing_rate", i.pacing_rate),
            ("max_pacing_rate", i.max_pacing_rate),
            ("bytes_acked", i.bytes_acked),
            ("bytes_received", i.bytes_received),
            ("segs_out", u64::from(i.segs_out)),
            ("segs_in", u64::from(i.segs_in)),
            ("notsent_bytes", u64::from(i.notsent_bytes)),
            ("min_rtt", u64::from(i.min_rtt)),
            ("data_segs_in", u64::from(i.data_segs_in)),
            ("data_segs_out", u64::from(i.data_segs_out)),
            ("delivery_rate", i.delivery_rate),
            ("busy_time", i.busy_time),
            ("rwnd_limited", i.rwnd_limited),
            ("sndbuf_limited", i.sndbuf_limited),
            ("delivered", u64::from(i.delivered)),
            ("delivered_ce", u64::from(i.delivered_ce)),
            ("bytes_sent", i.bytes_sent),
            ("bytes_retrans", i.bytes_retrans),
            ("dsack_dups", u64::from(i.dsack_dups)),
            ("reord_seen", u64::from(i.reord_seen)),
            ("rcv_ooopack", u64::from(i.rcv_ooopack)),
            ("snd_wnd", u64::from(i.snd_wnd)),
            ("rcv_wnd", u64::from(i.rcv_wnd)),
            ("rehash", u64::from(i.rehash)),
            ("total_rto", u64::from(i.total_rto)),
            ("total_rto_recoveries", u64::from(i.total_rto_recoveries)),
            ("total_rto_time", u64::from(i.total_rto_time)),
        ] {
            t.u(k, v);
        }
    });
}

fn mptcp_info(o: &mut Obj<'_>, m: &MptcpInfo) {
    o.obj("mptcp_info", |t| {
        t.u("subflows", u64::from(m.subflows));
        t.u("add_addr_signal", u64::from(m.add_addr_signal));
        t.u("add_addr_accepted", u64::from(m.add_addr_accepted));
        t.u("subflows_max", u64::from(m.subflows_max));
        t.u("add_addr_signal_max", u64::from(m.add_addr_signal_max));
        t.u("add_addr_accepted_max", u64::from(m.add_addr_accepted_max));
        t.u("flags", u64::from(m.flags));
        t.u("token", u64::from(m.token));
        t.u("write_seq", m.write_seq);
        t.u("snd_una", m.snd_una);
        t.u("rcv_nxt", m.rcv_nxt);
    });
}

fn unix(o: &mut Obj<'_>, s: &UnixSock<'_>) {
    let (rq, wq) = s.rqlen.unwrap_or((0, 0));
    common(o, ss::unix_netid(s.sock_type), s.state, rq, wq);
    o.s("family", b"unix");
    if let Some(n) = s.name {
        o.obj("local", |l| match n.split_first() {
            // netlink: abstract names start with NUL; /proc shows them with '@'.
            Some((0, rest)) => l.s("abstract", rest),
            Some((b'@', rest)) if s.source == Source::Proc => l.s("abstract", rest),
            _ => l.s("path", kstructs::c_str(n)),
        });
    }
    o.u("inode", u64::from(s.inode));
    if let Some(p) = s.peer {
        o.obj("peer", |x| x.u("inode", u64::from(p)));
    }
    if s.source.is_netlink_format() {
        o.u("cookie", s.cookie);
    }
    if let Some(u) = s.uid {
        o.u("uid", u64::from(u));
    }
    if let Some((ino, dev)) = s.vfs {
        o.obj("vfs", |v| {
            v.u("inode", u64::from(ino));
            v.u("dev_major", u64::from((dev >> 8) & 0xfff));
            v.u(
                "dev_minor",
                u64::from((dev & 0xff) | ((dev >> 12) & 0xfff00)),
            );
        });
    }
    if let Some(icons) = s.icons {
        o.key("pending");
        o.b.push(b'[');
        for (i, c) in icons.chunks_exact(4).enumerate() {
            if i > 0 {
                o.b.push(b',');
            }
            cfmt::u64_dec(o.b, u64::from(u32::from_ne_bytes([c[0], c[1], c[2], c[3]])));
        }
        o.b.push(b']');
    }
    if let Some(m) = s.shutdown {
        o.obj("shutdown", |sd| {
            sd.bool("recv", m & 1 != 0);
            sd.bool("send", m & 2 != 0);
        });
    }
    if let Some(m) = s.meminfo {
        skmem(o, m);
    }
}

fn packet(o: &mut Obj<'_>, res: &mut dyn Resolver, s: &PacketSock<'_>) {
    let proc = s.source == Source::Proc;
    let rq = if proc {
        s.proc_rmem
    } else {
        s.meminfo.and_then(|m| u32_at(m, 0)).unwrap_or(0)
    };
    let iface = if proc {
        s.proc_ifindex
    } else {
        s.info.map_or(0, |i| i.index)
    };
    common(
        o,
        if s.sock_type == 3 { b"p_raw" } else { b"p_dgr" },
        7,
        rq,
        0,
    );
    o.s("family", b"packet");
    o.u("protocol", u64::from(s.protocol));
    if iface != 0 {
        o.u("ifindex", u64::from(iface));
        o.s("interface", res.ifname(iface));
    }
    o.u("inode", u64::from(s.inode));
    if !proc {
        o.u("cookie", s.cookie);
    }
    if let Some(u) = s.uid {
        o.u("uid", u64::from(u));
    }
    if let Some(i) = s.info {
        o.obj("info", |x| {
            x.u("version", u64::from(i.version));
            x.u("copy_thresh", u64::from(i.copy_thresh));
            x.u("flags", u64::from(i.flags));
        });
    }
    if let Some(f) = s.fanout {
        o.obj("fanout", |x| {
            x.u("id", u64::from(f & 0xffff));
            x.u("type", u64::from(f >> 16));
        });
    }
    if let Some(f) = s.filter {
        o.u("bpf_instructions", (f.len() / 8) as u64);
    }
    if let Some(m) = s.meminfo {
        skmem(o, m);
    }
}

fn netlink(o: &mut Obj<'_>, s: &NetlinkSock<'_>) {
    let proc = s.source == Source::Proc;
    let (rq, wq) = if proc {
        (s.proc_rmem, s.proc_wmem)
    } else {
        let m = s.meminfo.unwrap_or(&[]);
        (u32_at(m, 0).unwrap_or(0), u32_at(m, 2).unwrap_or(0))
    };
    common(o, b"nl", 7, rq, wq);
    o.s("family", b"netlink");
    o.u("protocol", u64::from(s.protocol));
    if let Some(n) = ss::nl_proto_name(s.protocol) {
        o.s("protocol_name", n);
    }
    o.i("portid", i64::from(s.portid as i32));
    if !proc && s.state == 1 {
        o.obj("peer", |p| {
            p.u("group", u64::from(s.dst_group));
            p.i("portid", i64::from(s.dst_portid as i32));
        });
    }
    if let Some(g) = s.groups {
        o.u("groups", u64::from(g));
    }
    o.u("inode", u64::from(s.inode));
    if !proc {
        o.u("cookie", s.cookie);
    }
    if let Some(m) = s.meminfo {
        skmem(o, m);
    }
}

fn vsock(o: &mut Obj<'_>, s: &VsockSock) {
    common(o, ss::vsock_netid(s.sock_type), s.state, 0, 0);
    o.s("family", b"vsock");
    o.obj("local", |l| {
        l.u("cid", u64::from(s.src_cid));
        l.u("port", u64::from(s.src_port));
    });
    o.obj("peer", |l| {
        l.u("cid", u64::from(s.dst_cid));
        l.u("port", u64::from(s.dst_port));
    });
    o.u("inode", u64::from(s.inode));
    o.u("cookie", s.cookie);
}

fn xdp(o: &mut Obj<'_>, res: &mut dyn Resolver, s: &XdpSock<'_>) {
    let rq = s.meminfo.and_then(|m| u32_at(m, 0)).unwrap_or(0);
    common(o, b"xdp", 7, rq, 0);
    o.s("family", b"xdp");
    if let Some((ifindex, queue)) = s.info {
        if ifindex != 0 {
            o.u("ifindex", u64::from(ifindex));
            o.s("interface", res.ifname(ifindex));
        }
        o.u("queue_id", u64::from(queue));
    }
    o.u("inode", u64::from(s.inode));
    o.u("cookie", s.cookie);
    if let Some(u) = s.uid {
        o.u("uid", u64::from(u));
    }
    if let Some(m) = s.meminfo {
        skmem(o, m);
    }
}
