//! Test support: a fixed-answer [`Resolver`] modelled on the reference capture machine
//! (netns "sst", spec §5.1), socket builders, and a helper that renders a list of sockets.
#![allow(dead_code)]

use std::net::IpAddr;

use sockscope_query::model::{family, InetSock, Sock, Table as Db};
use sockscope_query::names::Resolver;
use sockscope_render::ss::{SsOptions, SsPrinter};

/// Answers like the capture machine: a few /etc/services and /etc/protocols entries, the
/// default ephemeral range, `v0` as interface 2, two process names, no resolvable cgroups.
pub struct Fake {
    pub services: Vec<(u16, &'static str, &'static str)>,
    pub rpc: Vec<(u16, &'static str, &'static str)>,
    pub protocols: Vec<(u8, &'static str)>,
    pub ephemeral: (u32, u32),
    pub ifnames: Vec<(u32, &'static str)>,
    pub hosts: Vec<(Vec<u8>, &'static str)>,
    pub procs: Vec<(u32, &'static str)>,
    pub cgroups: Vec<(u64, &'static str)>,
    /// Every lookup, for assertions on what was asked.
    pub log: Vec<String>,
    pub scratch: Vec<u8>,
}

impl Default for Fake {
    fn default() -> Self {
        Fake {
            services: vec![
                (22, "tcp", "ssh"),
                (80, "tcp", "http"),
                (8080, "tcp", "http-alt"),
                (8081, "tcp", "tproxy"),
                (7000, "tcp", "bbs"),
                (53, "tcp", "domain"),
                (53, "udp", "domain"),
                (40000, "tcp", "in-ephemeral-range"),
            ],
            rpc: vec![],
            protocols: vec![(1, "icmp"), (58, "ipv6-icmp"), (6, "tcp")],
            ephemeral: (32768, 60999),
            ifnames: vec![(1, "lo"), (2, "v0")],
            hosts: vec![],
            procs: vec![(9391, "python3"), (10646, "ss")],
            cgroups: vec![(0x100, "/system.slice/x.service")],
            log: vec![],
            scratch: Vec::new(),
        }
    }
}

impl Resolver for Fake {
    fn service(&mut self, port: u16, proto: &str) -> Option<&[u8]> {
        self.log.push(format!("service {port} {proto}"));
        self.services
            .iter()
            .find(|(p, pr, _)| *p == port && (proto.is_empty() || *pr == proto))
            .map(|(_, _, n)| n.as_bytes())
    }
    fn rpc_service(&mut self, port: u16, proto: &str) -> Option<&[u8]> {
        self.rpc
            .iter()
            .find(|(p, pr, _)| *p == port && *pr == proto)
            .map(|(_, _, n)| n.as_bytes())
    }
    fn protocol(&mut self, proto: u8) -> Option<&[u8]> {
        self.log.push(format!("protocol {proto}"));
        self.protocols
            .iter()
            .find(|(p, _)| *p == proto)
            .map(|(_, n)| n.as_bytes())
    }
    fn ephemeral_range(&mut self) -> (u32, u32) {
        self.ephemeral
    }
    fn ifname(&mut self, index: u32) -> &[u8] {
        if let Some((_, n)) = self.ifnames.iter().find(|(i, _)| *i == index) {
            return n.as_bytes();
        }
        self.scratch = format!("if{index}").into_bytes();
        &self.scratch
    }
    fn host(&mut self, fam: u8, addr: &[u8]) -> Option<&[u8]> {
        self.log.push(format!("host {fam} {addr:?}"));
        self.hosts
            .iter()
            .find(|(a, _)| a == addr)
            .map(|(_, n)| n.as_bytes())
    }
    fn process_name(&mut self, pid: u32) -> Option<&[u8]> {
        self.procs
            .iter()
            .find(|(p, _)| *p == pid)
            .map(|(_, n)| n.as_bytes())
    }
    fn cgroup_path(&mut self, id: u64) -> Option<&[u8]> {
        self.cgroups
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.as_bytes())
    }
}

/// 16-byte address + family from text.
pub fn ip(s: &str) -> (u8, [u8; 16]) {
    let a: IpAddr = s.parse().expect("address");
    let mut out = [0u8; 16];
    match a {
        IpAddr::V4(v) => {
            out[..4].copy_from_slice(&v.octets());
            (family::INET, out)
        }
        IpAddr::V6(v) => (family::INET6, v.octets()),
    }
}

/// A TCP socket from netlink with the basic fields set.
#[allow(clippy::too_many_arguments)]
pub fn tcp(
    st: u8,
    rq: u32,
    wq: u32,
    src: &str,
    sport: u16,
    dst: &str,
    dport: u16,
) -> InetSock<'static> {
    let (f, s) = ip(src);
    let (_, d) = ip(dst);
    InetSock {
        family: f,
        table: Some(Db::Tcp),
        protocol: 6,
        state: st,
        sport,
        dport,
        src: s,
        dst: d,
        rqueue: rq,
        wqueue: wq,
        ..InetSock::default()
    }
}

/// Renders sockets (each with optional users text) with a fresh printer, header included.
pub fn render(opts: SsOptions, res: &mut Fake, socks: &[(Sock<'_>, Option<&[u8]>)]) -> String {
    let mut p = SsPrinter::new(opts);
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    for (s, u) in socks {
        p.print(*s, *u, res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    String::from_utf8(out).expect("utf8 output")
}

/// The bytes of a stored capture.
pub fn sample(name: &str) -> String {
    let path = format!("{}/tests/data/ss-{name}.out", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Compares line by line first for a readable failure, then byte for byte.
pub fn assert_same(got: &str, want: &str) {
    for (i, (g, w)) in got.split('\n').zip(want.split('\n')).enumerate() {
        assert_eq!(g, w, "line {} differs", i + 1);
    }
    assert_eq!(got, want);
}
