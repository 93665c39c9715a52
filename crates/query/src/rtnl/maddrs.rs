//! Multicast memberships: what `ip maddr` (and `netstat -g`) show.
//!
//! iproute2 6.1's `ip maddr` reads three /proc files, not netlink, because only they carry
//! the user counts and the link-layer list (ip/ipmaddr.c `read_dev_mcast`, `read_igmp`,
//! `read_igmp6`): [`read`] parses them with the same `sscanf` rules and merges the entries the
//! way `maddr_ins` does — ordered by ifindex, and within one ifindex link-layer entries first,
//! then IPv4, then IPv6, each in file order. [`dump_multicast`] is the `RTM_GETMULTICAST`
//! alternative (addresses and ifindex only).

use std::ops::ControlFlow;
use std::path::PathBuf;

use sockscope_netlink::consts::*;
use sockscope_netlink::{request, DumpError, DumpSummary};

use super::{parse_attrs, Rtnl};

/// `RTM_NEWMULTICAST`, the reply type of an `RTM_GETMULTICAST` dump.
pub const RTM_NEWMULTICAST: u16 = 56;

/// One membership.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Maddr {
    pub index: i32,
    /// Interface name as the file prints it.
    pub ifname: Vec<u8>,
    /// AF_PACKET (link layer), AF_INET or AF_INET6.
    pub family: u8,
    /// The address bytes (6 for Ethernet, 4, 16).
    pub addr: Vec<u8>,
    /// Reference count (`ip maddr` prints ` users N` when it is not 1).
    pub users: i32,
    /// Link-layer entry added statically (`ip maddr add`): dev_mcast's global-use column.
    pub is_static: bool,
}

/// The files read; defaults are the fixed paths iproute2 opens.
#[derive(Clone, Debug)]
pub struct MaddrFiles {
    pub dev_mcast: PathBuf,
    pub igmp: PathBuf,
    pub igmp6: PathBuf,
}

impl Default for MaddrFiles {
    fn default() -> Self {
        MaddrFiles {
            dev_mcast: PathBuf::from("/proc/net/dev_mcast"),
            igmp: PathBuf::from("/proc/net/igmp"),
            igmp6: PathBuf::from("/proc/net/igmp6"),
        }
    }
}

/// Which lists to read (`ip -0/-4/-6 maddr`; all three by default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MaddrFamilies {
    pub link: bool,
    pub inet: bool,
    pub inet6: bool,
}

impl MaddrFamilies {
    pub const ALL: MaddrFamilies = MaddrFamilies {
        link: true,
        inet: true,
        inet6: true,
    };
}

/// A tiny `sscanf` over one line: conversions consume from the front; each returns `None`
/// on a matching failure (the C call then stops and later fields keep their old values).
struct Scan<'a> {
    s: &'a [u8],
}

impl<'a> Scan<'a> {
    fn skip_ws(&mut self) {
        while let Some((&c, rest)) = self.s.split_first() {
            if !c.is_ascii_whitespace() {
                break;
            }
            self.s = rest;
        }
    }

    /// `%d` (optional sign, decimal digits; wraps like the C conversion into an int).
    fn int(&mut self) -> Option<i32> {
        self.skip_ws();
        let mut neg = false;
        if let Some((&c, rest)) = self.s.split_first() {
            if c == b'-' || c == b'+' {
                neg = c == b'-';
                self.s = rest;
            }
        }
        let n = self.s.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        let mut v: i64 = 0;
        for &c in &self.s[..n] {
            v = v.wrapping_mul(10).wrapping_add(i64::from(c - b'0'));
        }
        self.s = &self.s[n..];
        Some(if neg {
            v.wrapping_neg() as i32
        } else {
            v as i32
        })
    }

    /// `%s` (a run of non-white-space).
    fn word(&mut self) -> Option<&'a [u8]> {
        self.skip_ws();
        let n = self
            .s
            .iter()
            .take_while(|c| !c.is_ascii_whitespace())
            .count();
        if n == 0 {
            return None;
        }
        let w = &self.s[..n];
        self.s = &self.s[n..];
        Some(w)
    }

    /// `%08x` (at most 8 hex digits, optional 0x prefix as scanf allows).
    fn hex8(&mut self) -> Option<u32> {
        self.skip_ws();
        let mut width = 8usize;
        if self.s.len() >= 2 && self.s[0] == b'0' && (self.s[1] | 0x20) == b'x' {
            self.s = &self.s[2..];
            width -= 2;
        }
        let n = self
            .s
            .iter()
            .take(width)
            .take_while(|c| c.is_ascii_hexdigit())
            .count();
        if n == 0 {
            return None;
        }
        let mut v: u32 = 0;
        for &c in &self.s[..n] {
            v = (v << 4) | hex_val(c);
        }
        self.s = &self.s[n..];
        Some(v)
    }
}

fn hex_val(c: u8) -> u32 {
    match c {
        b'0'..=b'9' => u32::from(c - b'0'),
        b'a'..=b'f' => u32::from(c - b'a' + 10),
        b'A'..=b'F' => u32::from(c - b'A' + 10),
        _ => 0,
    }
}

/// iproute2 `parse_hex`: pairs of hex digits; an odd length (or a pair that is not hex) is an
/// error.
fn parse_hex(s: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let mut rest = s;
    while !rest.is_empty() {
        if rest.len() < 2 {
            return None;
        }
        // sscanf("%02x") on the pair: up to two hex digits.
        let (a, b) = (rest[0], rest[1]);
        if !a.is_ascii_hexdigit() {
            return None;
        }
        let v = if b.is_ascii_hexdigit() {
            (hex_val(a) << 4) | hex_val(b)
        } else {
            hex_val(a)
        };
        out.push(v as u8);
        rest = &rest[2..];
    }
    Some(out)
}

fn lines(text: &[u8]) -> impl Iterator<Item = &[u8]> {
    text.split(|&b| b == b'\n').filter(|l| !l.is_empty())
}

/// Parses `/proc/net/dev_mcast` (`IDX NAME USERS GLOBAL_USE HEX`).
pub fn parse_dev_mcast(text: &[u8], dev: Option<&[u8]>, out: &mut Vec<Maddr>) {
    for line in lines(text) {
        let mut sc = Scan { s: line };
        let (Some(index), Some(name), Some(users), Some(st), Some(hexa)) =
            (sc.int(), sc.word(), sc.int(), sc.int(), sc.word())
        else {
            continue;
        };
        if dev.is_some_and(|d| d != name) {
            continue;
        }
        if let Some(addr) = parse_hex(hexa) {
            out.push(Maddr {
                index,
                ifname: name.to_vec(),
                family: AF_PACKET,
                addr,
                users,
                is_static: st != 0,
            });
        }
    }
}

/// Parses `/proc/net/igmp`: a header line, then per device `IDX\tNAME : COUNT QUERIER` and
/// per group `\t\t\t\tHEX USERS TIMER REPORTER` (the group as the raw in-memory u32).
pub fn parse_igmp(text: &[u8], dev: Option<&[u8]>, out: &mut Vec<Maddr>) {
    let mut index = 0i32;
    let mut name: Vec<u8> = Vec::new();
    let mut users = 0i32;
    for line in text.split(|&b| b == b'\n').skip(1) {
        if line.is_empty() {
            continue;
        }
        if line[0] != b'\t' {
            let mut sc = Scan { s: line };
            if let Some(i) = sc.int() {
                index = i;
                if let Some(w) = sc.word() {
                    let w = w.strip_suffix(b":").unwrap_or(w);
                    name = w.to_vec();
                }
            }
            continue;
        }
        if dev.is_some_and(|d| d != name.as_slice()) {
            continue;
        }
        let mut sc = Scan { s: line };
        let Some(raw) = sc.hex8() else { continue };
        if let Some(u) = sc.int() {
            users = u;
        }
        out.push(Maddr {
            index,
            ifname: name.clone(),
            family: AF_INET,
            addr: raw.to_ne_bytes().to_vec(),
            users,
            is_static: false,
        });
    }
}

/// Parses `/proc/net/igmp6` (`IDX NAME HEX32 USERS FLAGS TIMER`).
pub fn parse_igmp6(text: &[u8], dev: Option<&[u8]>, out: &mut Vec<Maddr>) {
    for line in lines(text) {
        let mut sc = Scan { s: line };
        let (Some(index), Some(name), Some(hexa), Some(users)) =
            (sc.int(), sc.word(), sc.word(), sc.int())
        else {
            continue;
        };
        if dev.is_some_and(|d| d != name) {
            continue;
        }
        if let Some(addr) = parse_hex(hexa) {
            out.push(Maddr {
                index,
                ifname: name.to_vec(),
                family: AF_INET6,
                addr,
                users,
                is_static: false,
            });
        }
    }
}

/// Reads the selected files (missing files contribute nothing, as in iproute2) and returns
/// the merged list, optionally only the entries of interface `dev` (compared by name).
pub fn read(files: &MaddrFiles, families: MaddrFamilies, dev: Option<&[u8]>) -> Vec<Maddr> {
    let mut out = Vec::new();
    if families.link {
        if let Ok(t) = std::fs::read(&files.dev_mcast) {
            parse_dev_mcast(&t, dev, &mut out);
        }
    }
    if families.inet {
        if let Ok(t) = std::fs::read(&files.igmp) {
            parse_igmp(&t, dev, &mut out);
        }
    }
    if families.inet6 {
        if let Ok(t) = std::fs::read(&files.igmp6) {
            parse_igmp6(&t, dev, &mut out);
        }
    }
    merge(&mut out);
    out
}

/// Orders entries as iproute2's `maddr_ins` insertion does: by ifindex, stable.
pub fn merge(list: &mut [Maddr]) {
    list.sort_by_key(|m| m.index);
}

/// Receives (ifindex, family, group address) of each membership of [`dump_multicast`].
pub type MulticastFn<'f> = dyn FnMut(u32, u8, &[u8]) -> ControlFlow<()> + 'f;

/// Dumps IPv4 or IPv6 multicast memberships over netlink (`RTM_GETMULTICAST`), calling `f`
/// with (ifindex, family, group address) for each.
pub fn dump_multicast(
    rtnl: &mut Rtnl,
    family: u8,
    f: &mut MulticastFn<'_>,
) -> Result<DumpSummary, DumpError> {
    rtnl.dump_raw(
        |out, seq| request::getmulticast_dump(out, seq, family),
        &mut |h, p| {
            if h.kind != RTM_NEWMULTICAST {
                return ControlFlow::Continue(());
            }
            let Some(hdr) = p.get(..IFADDRMSG_LEN) else {
                return ControlFlow::Continue(());
            };
            let index = u32::from_ne_bytes([hdr[4], hdr[5], hdr[6], hdr[7]]);
            let mut tb = [None; 8];
            parse_attrs(&p[IFADDRMSG_LEN..], &mut tb, false);
            match tb[IFA_MULTICAST as usize] {
                Some(a) => f(index, hdr[0], a),
                None => ControlFlow::Continue(()),
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEV_MCAST: &[u8] = b"1    lo              1     0     01005e000001\n\
2    veth0           1     0     333300000001\n\
2    veth0           2     1     01005e010203\n\
4    br0             1     0     01005e00006\n";

    const IGMP: &[u8] = b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
1\tlo        :     1      V3\n\
\t\t\t\t010000E0     1 0:00000000\t\t0\n\
2\tveth0     :     2      V3\n\
\t\t\t\t030201EF     1 0:00000000\t\t0\n\
\t\t\t\t010000E0     1 0:00000000\t\t0\n\
4\tbr0       :     2      V3\n\
\t\t\t\t060504EF     2 0:00000000\t\t0\n";

    const IGMP6: &[u8] =
        b"1    lo              ff020000000000000000000000000001     1 0000000C 0\n\
2    veth0           ff150000000000000000000000001234     1 00000004 0\n\
2    veth0           ff0200000000000000000001ff000001     2 00000004 0\n";

    #[test]
    fn parse_and_merge() {
        let mut v = Vec::new();
        parse_dev_mcast(DEV_MCAST, None, &mut v);
        assert_eq!(v.len(), 3, "the odd-length address is skipped");
        assert!(v[2].is_static && v[2].users == 2);
        assert_eq!(v[2].addr, vec![1, 0, 0x5e, 1, 2, 3]);
        parse_igmp(IGMP, None, &mut v);
        parse_igmp6(IGMP6, None, &mut v);
        merge(&mut v);
        let summary: Vec<(i32, u8)> = v.iter().map(|m| (m.index, m.family)).collect();
        assert_eq!(
            summary,
            vec![
                (1, AF_PACKET),
                (1, AF_INET),
                (1, AF_INET6),
                (2, AF_PACKET),
                (2, AF_PACKET),
                (2, AF_INET),
                (2, AF_INET),
                (2, AF_INET6),
                (2, AF_INET6),
                (4, AF_INET),
            ]
        );
        let ig = &v[5];
        assert_eq!(ig.ifname, b"veth0");
        assert_eq!(
            u32::from_ne_bytes([ig.addr[0], ig.addr[1], ig.addr[2], ig.addr[3]]),
            0x030201EF
        );
        assert_eq!(v[9].users, 2);
        assert_eq!(v[8].users, 2);
        assert_eq!(v[8].addr.len(), 16);
    }

    #[test]
    fn dev_filter_compares_names() {
        let mut v = Vec::new();
        parse_dev_mcast(DEV_MCAST, Some(b"veth0"), &mut v);
        parse_igmp(IGMP, Some(b"veth0"), &mut v);
        parse_igmp6(IGMP6, Some(b"nosuch"), &mut v);
        assert_eq!(v.len(), 4);
        assert!(v.iter().all(|m| m.ifname == b"veth0"));
    }

    #[test]
    fn scanner_rules() {
        assert_eq!(parse_hex(b"0a0B"), Some(vec![10, 11]));
        assert_eq!(parse_hex(b"0a0"), None);
        assert_eq!(parse_hex(b"zz"), None);
        let mut s = Scan {
            s: b"  -12abc 0x1f",
        };
        assert_eq!(s.int(), Some(-12));
        assert_eq!(s.word(), Some(&b"abc"[..]));
        assert_eq!(s.hex8(), Some(0x1f));
        assert_eq!(s.int(), None);
    }
}
