//! The name databases net-tools 2.10 `netstat` consults, with the C library's lookup rules,
//! behind the [`NetstatNames`] trait so that renderers stay free of I/O.
//!
//! netstat asks libc (NSS); sockscope reads the same files with the same rules (files-only:
//! DNS is not queried, like the rest of sockscope):
//! * hosts (`gethostbyaddr`, and `getnameinfo` for IPv6): glibc's `nss_files` — the first line
//!   of `hosts` whose address equals the one asked, its canonical (first) name. For an IPv4
//!   query, IPv6 lines holding a v4-mapped address or `::1` (as 127.0.0.1) also match; for an
//!   IPv6 query IPv4 lines never match, so v4-mapped addresses stay numeric (glibc
//!   `files-hosts.c` `parse_line`).
//! * networks (`getnetbyaddr`): the first line of `networks` whose number, padded to four parts
//!   with `.0` and read by `inet_network`, equals the host-order address (glibc
//!   `files-network.c`).
//! * services: net-tools reads every `getservent()` entry once and prepends it to a per
//!   protocol list (`tcp`, `udp`, `raw`), then prepends every `getprotoent()` entry to the
//!   `raw` list (lib/inet.c `read_services`), so the LAST entry of a file wins and protocol
//!   names win over `raw` services. Names are cut to 63 bytes (a 64-byte buffer).
//! * users (`getpwuid`): the first line of `passwd` with that uid.

use std::collections::HashMap;
use std::path::PathBuf;

/// Which service list a port is looked up in (UDP-Lite uses `udp`, as netstat does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServiceProto {
    Tcp,
    Udp,
    Raw,
}

/// The lookups netstat's output needs. Returned slices live until the next call.
pub trait NetstatNames {
    /// `gethostbyaddr(addr, 4, AF_INET)`: the host name, `None` when unknown.
    fn host4(&mut self, addr: [u8; 4]) -> Option<&[u8]>;
    /// `getnetbyaddr(net, AF_INET)` with `net` in host byte order.
    fn net4(&mut self, net: u32) -> Option<&[u8]>;
    /// The host part `getnameinfo(sockaddr_in6 with scope 0, flags 0)` finds by name, `None`
    /// when it would fall back to the numeric text.
    fn host6(&mut self, addr: &[u8; 16]) -> Option<&[u8]>;
    /// The service name of `port` in the list of `proto` (see the module documentation).
    fn service(&mut self, port: u16, proto: ServiceProto) -> Option<&[u8]>;
    /// `getpwuid(uid)->pw_name`.
    fn user(&mut self, uid: u32) -> Option<&[u8]>;
}

/// Splits a database line into whitespace-separated fields, dropping a `#` comment.
fn fields(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    let end = memchr::memchr(b'#', line).unwrap_or(line.len());
    line[..end]
        .split(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c'))
        .filter(|f| !f.is_empty())
}

fn lines(data: &[u8]) -> impl Iterator<Item = &[u8]> {
    data.split(|&b| b == b'\n')
}

fn parse_u32(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(b).ok()?.parse().ok()
}

/// `inet_pton(AF_INET)`: exactly four decimal parts 0..=255 (no leading-zero octal forms).
pub fn pton4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut parts = s.split(|&b| b == b'.');
    for o in out.iter_mut() {
        let p = parts.next()?;
        if p.is_empty() || p.len() > 3 || !p.iter().all(u8::is_ascii_digit) {
            return None;
        }
        if p.len() > 1 && p[0] == b'0' {
            return None;
        }
        let v: u32 = std::str::from_utf8(p).ok()?.parse().ok()?;
        *o = u8::try_from(v).ok()?;
    }
    parts.next().is_none().then_some(out)
}

/// `inet_pton(AF_INET6)`.
pub fn pton6(s: &[u8]) -> Option<[u8; 16]> {
    let text = std::str::from_utf8(s).ok()?;
    text.parse::<std::net::Ipv6Addr>().ok().map(|a| a.octets())
}

/// `inet_network`: up to four parts separated by dots, each decimal, octal (leading 0) or
/// hex (0x); the parts fill the address from the most significant byte.
pub fn inet_network(s: &[u8]) -> Option<u32> {
    let mut v: u32 = 0;
    let mut n = 0;
    for part in s.split(|&b| b == b'.') {
        if n == 4 || part.is_empty() {
            return None;
        }
        let (digits, radix) = if let Some(h) = part
            .strip_prefix(b"0x")
            .or_else(|| part.strip_prefix(b"0X"))
        {
            (h, 16)
        } else if part.len() > 1 && part[0] == b'0' {
            (&part[1..], 8)
        } else {
            (part, 10)
        };
        let t = std::str::from_utf8(digits).ok()?;
        let x = u32::from_str_radix(t, radix).ok()?;
        if x > 255 {
            return None;
        }
        v = (v << 8) | x;
        n += 1;
    }
    (n > 0).then_some(v)
}

/// Where [`SystemNames`] reads from.
#[derive(Clone, Debug)]
pub struct NamesConfig {
    /// Directory with `hosts`, `networks`, `services`, `protocols`, `passwd` (default `/etc`).
    pub etc_dir: PathBuf,
}

impl Default for NamesConfig {
    fn default() -> Self {
        NamesConfig {
            etc_dir: PathBuf::from("/etc"),
        }
    }
}

/// Names kept in one byte arena: value = (start, len).
#[derive(Debug, Default)]
struct Arena {
    bytes: Vec<u8>,
}

impl Arena {
    fn add(&mut self, s: &[u8]) -> (u32, u32) {
        let start = self.bytes.len() as u32;
        self.bytes.extend_from_slice(s);
        (start, s.len() as u32)
    }
    fn get(&self, r: (u32, u32)) -> &[u8] {
        let s = r.0 as usize;
        self.bytes.get(s..s + r.1 as usize).unwrap_or_default()
    }
}

#[derive(Debug, Default)]
struct Hosts {
    v4: HashMap<[u8; 4], (u32, u32)>,
    v6: HashMap<[u8; 16], (u32, u32)>,
}

impl Hosts {
    fn parse(data: &[u8], arena: &mut Arena) -> Hosts {
        let mut h = Hosts::default();
        for line in lines(data) {
            let mut f = fields(line);
            let (Some(addr), Some(name)) = (f.next(), f.next()) else {
                continue;
            };
            if let Some(a4) = pton4(addr) {
                h.v4.entry(a4).or_insert_with(|| arena.add(name));
            } else if let Some(a6) = pton6(addr) {
                h.v6.entry(a6).or_insert_with(|| arena.add(name));
                // An AF_INET query also sees v4-mapped and loopback IPv6 lines (in file order
                // with the IPv4 lines: the first matching line of either kind wins).
                let as4 = if a6[..10].iter().all(|&b| b == 0) && a6[10] == 0xff && a6[11] == 0xff {
                    Some([a6[12], a6[13], a6[14], a6[15]])
                } else if a6 == std::net::Ipv6Addr::LOCALHOST.octets() {
                    Some([127, 0, 0, 1])
                } else {
                    None
                };
                if let Some(a4) = as4 {
                    h.v4.entry(a4).or_insert_with(|| arena.add(name));
                }
            }
        }
        h
    }
}

/// netstat's name databases read from files (see the module documentation), loaded lazily.
#[derive(Debug, Default)]
pub struct SystemNames {
    cfg: NamesConfig,
    arena: Arena,
    hosts: Option<Hosts>,
    networks: Option<Vec<(u32, (u32, u32))>>,
    services: Option<HashMap<(u16, ServiceProto), (u32, u32)>>,
    users: Option<HashMap<u32, (u32, u32)>>,
}

impl SystemNames {
    pub fn new(cfg: NamesConfig) -> SystemNames {
        SystemNames {
            cfg,
            ..SystemNames::default()
        }
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.cfg.etc_dir.join(name)).unwrap_or_default()
    }

    fn load_services(&mut self) {
        let mut map = HashMap::new();
        let services = self.read("services");
        for line in lines(&services) {
            let mut f = fields(line);
            let (Some(name), Some(spec)) = (f.next(), f.next()) else {
                continue;
            };
            let Some(slash) = memchr::memchr(b'/', spec) else {
                continue;
            };
            let Some(port) = parse_u32(&spec[..slash]).and_then(|p| u16::try_from(p).ok()) else {
                continue;
            };
            let proto = match &spec[slash + 1..] {
                b"tcp" => ServiceProto::Tcp,
                b"udp" => ServiceProto::Udp,
                b"raw" => ServiceProto::Raw,
                _ => continue,
            };
            let name = &name[..name.len().min(63)];
            // Later entries replace earlier ones: the list is searched from its head.
            let r = self.arena.add(name);
            map.insert((port, proto), r);
        }
        // getprotoent entries go to the head of the raw list after every service.
        let mut protos: HashMap<u16, (u32, u32)> = HashMap::new();
        let protocols = self.read("protocols");
        for line in lines(&protocols) {
            let mut f = fields(line);
            let (Some(name), Some(num)) = (f.next(), f.next()) else {
                continue;
            };
            let Some(n) = parse_u32(num).and_then(|p| u16::try_from(p).ok()) else {
                continue;
            };
            let name = &name[..name.len().min(63)];
            let r = self.arena.add(name);
            protos.insert(n, r);
        }
        for (n, r) in protos {
            map.insert((n, ServiceProto::Raw), r);
        }
        self.services = Some(map);
    }

    fn load_users(&mut self) {
        let mut map = HashMap::new();
        let passwd = self.read("passwd");
        for line in lines(&passwd) {
            let mut f = line.split(|&b| b == b':');
            let (Some(name), Some(_), Some(uid)) = (f.next(), f.next(), f.next()) else {
                continue;
            };
            if name.is_empty() {
                continue;
            }
            let Some(uid) = parse_u32(uid) else { continue };
            let arena = &mut self.arena;
            map.entry(uid).or_insert_with(|| arena.add(name));
        }
        self.users = Some(map);
    }

    fn load_networks(&mut self) {
        let mut v = Vec::new();
        let data = self.read("networks");
        for line in lines(&data) {
            let mut f = fields(line);
            let (Some(name), Some(num)) = (f.next(), f.next()) else {
                continue;
            };
            // glibc pads "127" to "127.0.0.0" before inet_network.
            let dots = num.iter().filter(|&&b| b == b'.').count();
            let mut padded = num.to_vec();
            for _ in dots..3 {
                padded.extend_from_slice(b".0");
            }
            if let Some(n) = inet_network(&padded) {
                let r = self.arena.add(name);
                v.push((n, r));
            }
        }
        self.networks = Some(v);
    }
}

impl NetstatNames for SystemNames {
    fn host4(&mut self, addr: [u8; 4]) -> Option<&[u8]> {
        if self.hosts.is_none() {
            let data = self.read("hosts");
            self.hosts = Some(Hosts::parse(&data, &mut self.arena));
        }
        let r = *self.hosts.as_ref()?.v4.get(&addr)?;
        Some(self.arena.get(r))
    }

    fn net4(&mut self, net: u32) -> Option<&[u8]> {
        if self.networks.is_none() {
            self.load_networks();
        }
        let r = self
            .networks
            .as_ref()?
            .iter()
            .find(|(n, _)| *n == net)
            .map(|(_, r)| *r)?;
        Some(self.arena.get(r))
    }

    fn host6(&mut self, addr: &[u8; 16]) -> Option<&[u8]> {
        if addr.iter().all(|&b| b == 0) {
            // glibc's gethostbyaddr refuses the unspecified address.
            return None;
        }
        if self.hosts.is_none() {
            let data = self.read("hosts");
            self.hosts = Some(Hosts::parse(&data, &mut self.arena));
        }
        let r = *self.hosts.as_ref()?.v6.get(addr)?;
        Some(self.arena.get(r))
    }

    fn service(&mut self, port: u16, proto: ServiceProto) -> Option<&[u8]> {
        if self.services.is_none() {
            self.load_services();
        }
        let r = *self.services.as_ref()?.get(&(port, proto))?;
        Some(self.arena.get(r))
    }

    fn user(&mut self, uid: u32) -> Option<&[u8]> {
        if self.users.is_none() {
            self.load_users();
        }
        let r = *self.users.as_ref()?.get(&uid)?;
        Some(self.arena.get(r))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn etc(files: &[(&str, &str)]) -> (SystemNames, PathBuf) {
        let d = std::env::temp_dir().join(format!(
            "sockscope-nsnames-{}-{}",
            std::process::id(),
            files.len()
        ));
        std::fs::create_dir_all(&d).unwrap();
        for (n, t) in files {
            std::fs::write(d.join(n), t).unwrap();
        }
        (SystemNames::new(NamesConfig { etc_dir: d.clone() }), d)
    }

    #[test]
    fn address_parsers() {
        assert_eq!(pton4(b"192.0.2.1"), Some([192, 0, 2, 1]));
        assert_eq!(pton4(b"192.0.2"), None);
        assert_eq!(pton4(b"192.0.2.256"), None);
        assert_eq!(pton4(b"01.2.3.4"), None);
        assert_eq!(inet_network(b"127.0.0.0"), Some(0x7f00_0000));
        assert_eq!(inet_network(b"0x7f.0.0.0"), Some(0x7f00_0000));
        assert_eq!(inet_network(b"010.0.0.0"), Some(0x0800_0000));
        assert_eq!(inet_network(b"1.2.3.4.5"), None);
    }

    #[test]
    fn databases_follow_libc_and_net_tools_rules() {
        let (mut n, d) = etc(&[
            (
                "hosts",
                "127.0.0.1 localhost\n::1 localhost ip6-localhost\n192.0.2.1\talpha.example a\n\
                 ::ffff:192.0.2.9 mapped.example\n2001:db8::2 peer6 # c\n192.0.2.1 second\n",
            ),
            (
                "networks",
                "default 0.0.0.0\nloopback 127\ntestnet 198.51.100.0\n",
            ),
            (
                "services",
                "ssh 22/tcp\nfirst 9000/tcp\nlast 9000/tcp\nntp 123/udp\nsctp-only 99/sctp\n\
                 rawsvc 1/raw\nrawsvc2 77/raw\n",
            ),
            ("protocols", "ip 0 IP\nicmp 1 ICMP\nipv6-icmp 58\n"),
            (
                "passwd",
                "root:x:0:0:root:/root:/bin/sh\nalso:x:0:0::/:/bin/sh\n",
            ),
        ]);
        assert_eq!(n.host4([192, 0, 2, 1]), Some(&b"alpha.example"[..]));
        assert_eq!(n.host4([192, 0, 2, 9]), Some(&b"mapped.example"[..]));
        assert_eq!(n.host4([127, 0, 0, 1]), Some(&b"localhost"[..]));
        assert_eq!(n.host4([10, 0, 0, 1]), None);
        let mut v6 = [0u8; 16];
        v6[15] = 1;
        assert_eq!(n.host6(&v6), Some(&b"localhost"[..]));
        let mapped = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1];
        assert_eq!(
            n.host6(&mapped),
            None,
            "IPv4 lines never answer IPv6 queries"
        );
        assert_eq!(n.host6(&[0; 16]), None);
        assert_eq!(n.net4(0x7f00_0000), Some(&b"loopback"[..]));
        assert_eq!(n.net4(0xc633_6400), Some(&b"testnet"[..]));
        assert_eq!(n.net4(0x0a00_0000), None);
        assert_eq!(n.service(9000, ServiceProto::Tcp), Some(&b"last"[..]));
        assert_eq!(n.service(123, ServiceProto::Udp), Some(&b"ntp"[..]));
        assert_eq!(n.service(123, ServiceProto::Tcp), None);
        assert_eq!(n.service(1, ServiceProto::Raw), Some(&b"icmp"[..]));
        assert_eq!(n.service(77, ServiceProto::Raw), Some(&b"rawsvc2"[..]));
        assert_eq!(n.service(58, ServiceProto::Raw), Some(&b"ipv6-icmp"[..]));
        assert_eq!(n.service(99, ServiceProto::Tcp), None);
        assert_eq!(n.user(0), Some(&b"root"[..]));
        assert_eq!(n.user(1000), None);
        std::fs::remove_dir_all(d).unwrap();
    }
}
