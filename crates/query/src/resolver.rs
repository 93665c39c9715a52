//! [`SystemResolver`]: the name databases ss consults, read from files and the kernel, each
//! loaded lazily on first use and cached in hash maps.
//!
//! * services: `<etc>/services` with getservbyport semantics (the first entry for the port and
//!   protocol; protocol `""` = any) and getservbyname semantics for the filter
//!   ([`SystemResolver::service_port`]: the first entry whose name or alias and protocol match);
//! * protocols: `<etc>/protocols` with getprotobynumber semantics (the first entry);
//! * ephemeral range: `ip_local_port_range` (default 1024–4999 when unreadable or short);
//! * interface names: RTM_GETLINK per index (ss's `ll_index_to_name`), `if<N>` fallback,
//!   `*` for index 0;
//! * host names (`-r`): `<etc>/hosts` only — files-only NSS semantics (first line whose address
//!   matches, its canonical name). DNS is NOT queried; IPv4-mapped IPv6 addresses are looked
//!   up as IPv4, as ss does; by name ([`SystemResolver::host_addrs`], the filter's
//!   gethostbyname2): every line of the family whose name or alias matches (ASCII
//!   case-insensitively), in file order (glibc's files backend with `multi on`);
//! * process names: `<proc>/PID/stat`, the text between the first `(` and the next `)`;
//! * cgroup paths: see [`crate::cgroup`];
//! * user names (the filter's `user` keyword): `<etc>/passwd` with files-only getpwnam
//!   semantics (the first `name:password:uid:...` line with that name; blank, `#` and NIS
//!   `+`/`-` lines are skipped).
//!
//! The messages ss prints while resolving (only cgroup failures) go to a diagnostic sink, or
//! are queued for [`SystemResolver::take_diagnostics`] when none is set.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ops::Range;
use std::path::PathBuf;

use crate::cgroup::CgroupMap;
use crate::links::LinkNameCache;
use crate::names::Resolver;
use crate::plan::Sources;
use crate::procfs::scan::Scan;

/// Where the resolver reads from.
#[derive(Clone, Debug)]
pub struct ResolverConfig {
    /// Directory holding `services`, `protocols`, `hosts` (default `/etc`).
    pub etc_dir: PathBuf,
    /// `PROC_ROOT` (default `/proc`): process names.
    pub proc_root: PathBuf,
    /// The `ip_local_port_range` file (default `<proc_root>/sys/net/ipv4/ip_local_port_range`).
    pub ip_local_port_range: PathBuf,
    /// The mounts list searched for cgroup2 (iproute2 always uses `/proc/mounts`).
    pub mounts_file: PathBuf,
}

impl Default for ResolverConfig {
    fn default() -> Self {
        ResolverConfig {
            etc_dir: PathBuf::from("/etc"),
            proc_root: PathBuf::from("/proc"),
            ip_local_port_range: PathBuf::from("/proc/sys/net/ipv4/ip_local_port_range"),
            mounts_file: PathBuf::from("/proc/mounts"),
        }
    }
}

impl ResolverConfig {
    /// The paths ss would use for these sources (`PROC_ROOT`, `PROC_IP_LOCAL_PORT_RANGE`).
    pub fn from_sources(s: &Sources) -> ResolverConfig {
        let proc_root = s
            .proc_root
            .clone()
            .unwrap_or_else(|| PathBuf::from("/proc"));
        ResolverConfig {
            ip_local_port_range: crate::procfs::proc_path(
                s,
                s.proc_ip_local_port_range.as_deref(),
                "sys/net/ipv4/ip_local_port_range",
            ),
            proc_root,
            ..ResolverConfig::default()
        }
    }
}

/// A name database file kept in memory with index ranges into it.
#[derive(Debug, Default)]
struct Text {
    data: Vec<u8>,
}

impl Text {
    fn get(&self, r: &Range<u32>) -> &[u8] {
        self.data
            .get(r.start as usize..r.end as usize)
            .unwrap_or(&[])
    }
}

/// Splits a database line into fields, dropping a `#` comment. Yields ranges into `data`.
fn fields(data: &[u8], line: Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    let slice = &data[line.clone()];
    let end = line.start + memchr::memchr(b'#', slice).unwrap_or(slice.len());
    let mut i = line.start;
    std::iter::from_fn(move || {
        while i < end && matches!(data[i], b' ' | b'\t' | b'\r') {
            i += 1;
        }
        if i >= end {
            return None;
        }
        let s = i;
        while i < end && !matches!(data[i], b' ' | b'\t' | b'\r') {
            i += 1;
        }
        Some(s..i)
    })
}

fn lines(data: &[u8]) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= data.len() {
            return None;
        }
        let s = i;
        let e = memchr::memchr(b'\n', &data[i..]).map_or(data.len(), |n| i + n);
        i = e + 1;
        Some(s..e)
    })
}

fn r32(r: Range<usize>) -> Range<u32> {
    r.start as u32..r.end as u32
}

fn parse_num<T: std::str::FromStr>(b: &[u8]) -> Option<T> {
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// name or alias → (protocol range, port) of every entry, in file order.
type ByName = HashMap<Box<[u8]>, Vec<(Range<u32>, u16)>>;

/// (protocol, name) ranges of one /etc/services entry.
type ServiceEntry = (Range<u32>, Range<u32>);

/// Where resolver messages go.
type Sink = Box<dyn FnMut(&str)>;

#[derive(Debug, Default)]
struct Services {
    text: Text,
    /// port → entries (protocol, name) in file order.
    by_port: HashMap<u16, Vec<ServiceEntry>>,
    /// name or alias → entries (protocol, port) in file order.
    by_name: ByName,
    /// Port of the file's last entry.
    last: Option<u16>,
}

impl Services {
    fn parse(data: Vec<u8>) -> Services {
        let mut by_port: HashMap<u16, Vec<ServiceEntry>> = HashMap::new();
        let mut by_name = ByName::new();
        let mut last = None;
        for line in lines(&data) {
            let mut f = fields(&data, line);
            let (Some(name), Some(pp)) = (f.next(), f.next()) else {
                continue;
            };
            let aliases: Vec<Range<usize>> = f.collect();
            let spec = &data[pp.clone()];
            let Some(slash) = memchr::memchr(b'/', spec) else {
                continue;
            };
            let Some(port) = parse_num::<u16>(&spec[..slash]) else {
                continue;
            };
            let proto = pp.start + slash + 1..pp.end;
            last = Some(port);
            for n in std::iter::once(&name).chain(aliases.iter()) {
                by_name
                    .entry(data[n.clone()].into())
                    .or_default()
                    .push((r32(proto.clone()), port));
            }
            by_port
                .entry(port)
                .or_default()
                .push((r32(proto), r32(name)));
        }
        Services {
            text: Text { data },
            by_port,
            by_name,
            last,
        }
    }

    /// The port of the last entry of the file (what glibc's files backend leaves in its
    /// result buffer after a search that found nothing).
    fn last_port(&self) -> Option<u16> {
        self.last
    }

    fn port_of(&self, name: &[u8], proto: &str) -> Option<u16> {
        let list = self.by_name.get(name)?;
        list.iter()
            .find(|(p, _)| proto.is_empty() || self.text.get(p) == proto.as_bytes())
            .map(|&(_, port)| port)
    }

    fn lookup(&self, port: u16, proto: &str) -> Option<&[u8]> {
        let list = self.by_port.get(&port)?;
        list.iter()
            .find(|(p, _)| proto.is_empty() || self.text.get(p) == proto.as_bytes())
            .map(|(_, n)| self.text.get(n))
    }
}

#[derive(Debug, Default)]
struct Protocols {
    text: Text,
    by_number: HashMap<u8, Range<u32>>,
}

impl Protocols {
    fn parse(data: Vec<u8>) -> Protocols {
        let mut by_number = HashMap::new();
        for line in lines(&data) {
            let mut f = fields(&data, line);
            let (Some(name), Some(num)) = (f.next(), f.next()) else {
                continue;
            };
            let Some(n) = parse_num::<u8>(&data[num]) else {
                continue;
            };
            by_number.entry(n).or_insert(r32(name));
        }
        Protocols {
            text: Text { data },
            by_number,
        }
    }
}

#[derive(Debug, Default)]
struct Hosts {
    text: Text,
    v4: HashMap<[u8; 4], Range<u32>>,
    v6: HashMap<[u8; 16], Range<u32>>,
    /// Every line in file order: address (4 or 16 bytes) and its names.
    lines: Vec<(Vec<u8>, Vec<Range<u32>>)>,
}

impl Hosts {
    fn parse(data: Vec<u8>) -> Hosts {
        let (mut v4, mut v6) = (HashMap::new(), HashMap::new());
        let mut all = Vec::new();
        for line in lines(&data) {
            let mut f = fields(&data, line);
            let (Some(addr), Some(name)) = (f.next(), f.next()) else {
                continue;
            };
            let Ok(a) = std::str::from_utf8(&data[addr]) else {
                continue;
            };
            let mut names = vec![r32(name.clone())];
            names.extend(f.map(r32));
            if let Ok(ip) = a.parse::<Ipv4Addr>() {
                v4.entry(ip.octets()).or_insert(r32(name));
                all.push((ip.octets().to_vec(), names));
            } else if let Ok(ip) = a.parse::<Ipv6Addr>() {
                v6.entry(ip.octets()).or_insert(r32(name));
                all.push((ip.octets().to_vec(), names));
            }
        }
        Hosts {
            text: Text { data },
            v4,
            v6,
            lines: all,
        }
    }
}

/// The system's name databases (see the module docs).
pub struct SystemResolver {
    cfg: ResolverConfig,
    services: Option<Services>,
    protocols: Option<Protocols>,
    hosts: Option<Hosts>,
    ephemeral: Option<(u32, u32)>,
    ifnames: LinkNameCache,
    procnames: HashMap<u32, Option<Box<[u8]>>>,
    cgroups: CgroupMap,
    sink: Option<Sink>,
    pending: Vec<String>,
}

impl std::fmt::Debug for SystemResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemResolver")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

impl Default for SystemResolver {
    fn default() -> Self {
        SystemResolver::new(ResolverConfig::default())
    }
}

impl SystemResolver {
    pub fn new(cfg: ResolverConfig) -> SystemResolver {
        let cgroups = CgroupMap::new(cfg.mounts_file.clone());
        SystemResolver {
            cfg,
            services: None,
            protocols: None,
            hosts: None,
            ephemeral: None,
            ifnames: LinkNameCache::default(),
            procnames: HashMap::new(),
            cgroups,
            sink: None,
            pending: Vec::new(),
        }
    }

    /// Sends resolver messages (ss's stderr texts, without newline) to `sink` as they happen.
    pub fn set_diagnostic_sink(&mut self, sink: Box<dyn FnMut(&str)>) {
        self.sink = Some(sink);
    }

    /// Messages queued while no sink was set.
    pub fn take_diagnostics(&mut self) -> Vec<String> {
        std::mem::take(&mut self.pending)
    }

    /// Pre-fills interface names (e.g. from a [`crate::links::LinkMap`] dump).
    pub fn add_ifname(&mut self, index: u32, name: &[u8]) {
        self.ifnames.insert(index, name);
    }

    /// getservbyname(name, proto) (`proto` `"tcp"`/`"udp"`, `""` = any): the port of the
    /// first entry whose name or an alias is `name` (case-sensitive) for that protocol.
    pub fn service_port(&mut self, name: &[u8], proto: &str) -> Option<u16> {
        self.getservbyname(name, proto).0
    }

    /// getservbyname as glibc's non-reentrant function behaves: (the port if found, the port
    /// left in its static result buffer). The files backend parses every entry into that
    /// buffer while searching, so a search that finds nothing leaves the file's last entry
    /// there (`None`: the file has no entry, the buffer keeps its earlier content).
    pub fn getservbyname(&mut self, name: &[u8], proto: &str) -> (Option<u16>, Option<u16>) {
        if self.services.is_none() {
            self.services = Some(Services::parse(self.read_etc("services")));
        }
        let Some(s) = self.services.as_ref() else {
            return (None, None);
        };
        match s.port_of(name, proto) {
            Some(p) => (Some(p), Some(p)),
            None => (None, s.last_port()),
        }
    }

    /// gethostbyname2(name, family) from the hosts file: the addresses (4 bytes for AF_INET,
    /// 16 for AF_INET6) of every line of that family naming `name` (ASCII case-insensitive).
    pub fn host_addrs(&mut self, name: &[u8], family: u8) -> Vec<Vec<u8>> {
        if self.hosts.is_none() {
            self.hosts = Some(Hosts::parse(self.read_etc("hosts")));
        }
        let Some(h) = self.hosts.as_ref() else {
            return Vec::new();
        };
        let want = match family {
            crate::model::family::INET => 4,
            crate::model::family::INET6 => 16,
            _ => return Vec::new(),
        };
        h.lines
            .iter()
            .filter(|(a, names)| {
                a.len() == want
                    && names
                        .iter()
                        .any(|n| h.text.get(n).eq_ignore_ascii_case(name))
            })
            .map(|(a, _)| a.clone())
            .collect()
    }

    /// getpwnam(name)'s uid from the passwd file (see the module docs). Read on every call:
    /// a filter names few users.
    pub fn user_uid(&self, name: &[u8]) -> Option<u32> {
        passwd_uid(&self.read_etc("passwd"), name)
    }

    fn read_etc(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.cfg.etc_dir.join(name)).unwrap_or_default()
    }
}

/// The uid of `name` in passwd-format `data`.
fn passwd_uid(data: &[u8], name: &[u8]) -> Option<u32> {
    if name.is_empty() {
        return None;
    }
    data.split(|&b| b == b'\n').find_map(|line| {
        if matches!(line.first(), None | Some(b'#' | b'+' | b'-')) {
            return None;
        }
        let mut f = line.split(|&b| b == b':');
        if f.next()? != name {
            return None;
        }
        let uid = f.nth(1)?;
        parse_num(uid)
    })
}

impl Resolver for SystemResolver {
    fn service(&mut self, port: u16, proto: &str) -> Option<&[u8]> {
        if self.services.is_none() {
            self.services = Some(Services::parse(self.read_etc("services")));
        }
        self.services.as_ref()?.lookup(port, proto)
    }

    fn protocol(&mut self, proto: u8) -> Option<&[u8]> {
        if self.protocols.is_none() {
            self.protocols = Some(Protocols::parse(self.read_etc("protocols")));
        }
        let p = self.protocols.as_ref()?;
        p.by_number.get(&proto).map(|r| p.text.get(r))
    }

    fn ephemeral_range(&mut self) -> (u32, u32) {
        *self.ephemeral.get_or_insert_with(|| {
            // fscanf(f, "%d %d", &min, &max) < 2 ⇒ 1024..4999.
            let data = std::fs::read(&self.cfg.ip_local_port_range).unwrap_or_default();
            let mut sc = Scan::new(&data);
            match (sc.dec_i32(), sc.dec_i32()) {
                (Some(a), Some(b)) => (a as u32, b as u32),
                _ => (1024, 4999),
            }
        })
    }

    fn ifname(&mut self, index: u32) -> &[u8] {
        if index == 0 {
            return b"*";
        }
        self.ifnames
            .name_or(index, || format!("if{index}").into_bytes())
    }

    fn host(&mut self, family: u8, addr: &[u8]) -> Option<&[u8]> {
        if self.hosts.is_none() {
            self.hosts = Some(Hosts::parse(self.read_etc("hosts")));
        }
        let h = self.hosts.as_ref()?;
        let r = match (family, addr.len()) {
            (crate::model::family::INET, n) if n >= 4 => {
                h.v4.get(&[addr[0], addr[1], addr[2], addr[3]])
            }
            (crate::model::family::INET6, n) if n >= 16 => {
                let mut a = [0u8; 16];
                a.copy_from_slice(&addr[..16]);
                if a[..10].iter().all(|&b| b == 0) && a[10] == 0xff && a[11] == 0xff {
                    h.v4.get(&[a[12], a[13], a[14], a[15]])
                } else {
                    h.v6.get(&a)
                }
            }
            _ => None,
        }?;
        Some(h.text.get(r))
    }

    fn process_name(&mut self, pid: u32) -> Option<&[u8]> {
        if !self.procnames.contains_key(&pid) {
            let path = self.cfg.proc_root.join(pid.to_string()).join("stat");
            let name = std::fs::read(path).ok().and_then(|data| {
                // fscanf(fp, "%*d (%[^)])"): an int, white space, '(' and a non-empty run of
                // bytes up to the first ')'.
                let mut sc = Scan::new(&data);
                sc.dec_i32()?;
                sc.ws();
                if !sc.lit(b'(') {
                    return None;
                }
                let rest = sc.rest();
                let end = memchr::memchr(b')', rest).unwrap_or(rest.len());
                (end > 0).then(|| rest[..end].to_vec().into_boxed_slice())
            });
            self.procnames.insert(pid, name);
        }
        self.procnames.get(&pid).and_then(|n| n.as_deref())
    }

    fn cgroup_path(&mut self, id: u64) -> Option<&[u8]> {
        let (sink, pending) = (&mut self.sink, &mut self.pending);
        let mut diag = |s: &str| match sink.as_mut() {
            Some(f) => f(s),
            None => pending.push(s.to_string()),
        };
        self.cgroups.path(id, &mut diag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(tag: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("sockscope-res-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn passwd_lookup() {
        let data = b"# comment\nroot:x:0:0:root:/root:/bin/bash\n+nis::::::\n\
                     nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
                     dup:x:7:7::/:/bin/sh\ndup:x:8:8::/:/bin/sh\nbad:x:x:1::/:\nshort:x\n";
        assert_eq!(passwd_uid(data, b"root"), Some(0));
        assert_eq!(passwd_uid(data, b"nobody"), Some(65534));
        assert_eq!(passwd_uid(data, b"dup"), Some(7), "first line wins");
        assert_eq!(passwd_uid(data, b"bad"), None);
        assert_eq!(passwd_uid(data, b"short"), None);
        assert_eq!(passwd_uid(data, b"+nis"), None);
        assert_eq!(passwd_uid(data, b"roo"), None);
        assert_eq!(passwd_uid(data, b""), None);
        let d = tmp("passwd");
        std::fs::write(d.join("passwd"), data).unwrap();
        let r = SystemResolver::new(ResolverConfig {
            etc_dir: d.clone(),
            ..ResolverConfig::default()
        });
        assert_eq!(r.user_uid(b"nobody"), Some(65534));
        assert_eq!(r.user_uid(b"nosuchuser"), None);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn etc_databases() {
        let d = tmp("etc");
        std::fs::write(
            d.join("services"),
            "# comment\nssh\t\t22/tcp\t\t\t\t# SSH\nfoo 9000/udp\nbar 9000/tcp alias\nbaz 9000/tcp\nbad x/tcp\nrpc 111/udp\n",
        )
        .unwrap();
        std::fs::write(
            d.join("protocols"),
            "ip\t0\tIP\nicmp\t1\tICMP\nipv6-icmp 58 IPv6-ICMP\nalt-icmp 1\n",
        )
        .unwrap();
        std::fs::write(d.join("hosts"), "127.0.0.1\tlocalhost\n::1 ip6-localhost ip6-loopback\n127.0.0.1 second\n# 10.0.0.1 hidden\n192.0.2.7 web.example www\n").unwrap();
        let cfg = ResolverConfig {
            etc_dir: d.clone(),
            ..ResolverConfig::default()
        };
        let mut r = SystemResolver::new(cfg);
        assert_eq!(r.service(22, "tcp"), Some(&b"ssh"[..]));
        assert_eq!(r.service(22, "udp"), None);
        assert_eq!(r.service(9000, "tcp"), Some(&b"bar"[..]));
        assert_eq!(
            r.service(9000, ""),
            Some(&b"foo"[..]),
            "any protocol: first entry"
        );
        assert_eq!(r.service(111, "udp"), Some(&b"rpc"[..]));
        assert_eq!(r.service_port(b"ssh", "tcp"), Some(22));
        assert_eq!(r.service_port(b"ssh", "udp"), None);
        assert_eq!(r.service_port(b"alias", "tcp"), Some(9000));
        assert_eq!(r.service_port(b"foo", "udp"), Some(9000));
        assert_eq!(r.service_port(b"SSH", "tcp"), None, "case-sensitive");
        assert_eq!(r.service_port(b"bad", "tcp"), None);
        assert_eq!(r.getservbyname(b"ssh", "tcp"), (Some(22), Some(22)));
        assert_eq!(
            r.getservbyname(b"ssh", "udp"),
            (None, Some(111)),
            "last entry"
        );
        assert_eq!(r.host_addrs(b"LocalHost", 2), vec![vec![127, 0, 0, 1]]);
        assert_eq!(r.host_addrs(b"second", 2), vec![vec![127, 0, 0, 1]]);
        assert_eq!(r.host_addrs(b"www", 2), vec![vec![192, 0, 2, 7]]);
        assert_eq!(r.host_addrs(b"www", 10), Vec::<Vec<u8>>::new());
        assert_eq!(r.host_addrs(b"ip6-loopback", 10).len(), 1);
        assert_eq!(r.host_addrs(b"hidden", 2), Vec::<Vec<u8>>::new());
        assert_eq!(r.protocol(1), Some(&b"icmp"[..]));
        assert_eq!(r.protocol(58), Some(&b"ipv6-icmp"[..]));
        assert_eq!(r.protocol(255), None);
        assert_eq!(r.host(2, &[127, 0, 0, 1]), Some(&b"localhost"[..]));
        assert_eq!(r.host(2, &[192, 0, 2, 7]), Some(&b"web.example"[..]));
        assert_eq!(r.host(2, &[10, 0, 0, 1]), None);
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(r.host(10, &v6), Some(&b"ip6-localhost"[..]));
        let mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 7];
        assert_eq!(r.host(10, &mapped), Some(&b"web.example"[..]));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn proc_files() {
        let d = tmp("proc");
        std::fs::create_dir_all(d.join("42")).unwrap();
        std::fs::create_dir_all(d.join("43")).unwrap();
        std::fs::write(d.join("42/stat"), "42 (my proc) S 1 42 42 0 -1\n").unwrap();
        std::fs::write(d.join("43/stat"), "43 (a)b) R 1\n").unwrap();
        std::fs::create_dir_all(d.join("sys/net/ipv4")).unwrap();
        std::fs::write(d.join("sys/net/ipv4/ip_local_port_range"), "32768\t60999\n").unwrap();
        let src = Sources {
            proc_root: Some(d.clone()),
            ..Sources::default()
        };
        let mut r = SystemResolver::new(ResolverConfig::from_sources(&src));
        assert_eq!(r.process_name(42), Some(&b"my proc"[..]));
        assert_eq!(r.process_name(43), Some(&b"a"[..]), "cut at the first ')'");
        assert_eq!(r.process_name(44), None);
        assert_eq!(r.ephemeral_range(), (32768, 60999));

        let src = Sources {
            proc_root: Some(d.join("none")),
            ..Sources::default()
        };
        let mut r = SystemResolver::new(ResolverConfig::from_sources(&src));
        assert_eq!(r.ephemeral_range(), (1024, 4999));
        std::fs::remove_dir_all(&d).unwrap();
    }

    #[test]
    fn ifnames_and_cgroup_diagnostics() {
        let d = tmp("cg");
        std::fs::write(d.join("mounts"), "proc /proc proc rw 0 0\n").unwrap();
        let cfg = ResolverConfig {
            mounts_file: d.join("mounts"),
            ..ResolverConfig::default()
        };
        let mut r = SystemResolver::new(cfg);
        assert_eq!(r.ifname(0), b"*");
        assert_eq!(r.ifname(1), b"lo");
        assert_eq!(r.ifname(0x7fff_fff0), b"if2147483632");
        r.add_ifname(77, b"v0");
        assert_eq!(r.ifname(77), b"v0");
        assert_eq!(r.cgroup_path(5), None);
        assert_eq!(
            r.take_diagnostics(),
            vec!["Failed to find cgroup2 mount"; 2]
        );
        let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        let s2 = seen.clone();
        r.set_diagnostic_sink(Box::new(move |m| s2.borrow_mut().push(m.to_string())));
        assert_eq!(r.cgroup_path(5), None);
        assert_eq!(*seen.borrow(), vec!["Failed to find cgroup2 mount"]);
        std::fs::remove_dir_all(&d).unwrap();
    }
}
