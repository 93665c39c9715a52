//! The /proc/net files netstat needs where netlink cannot give the same answer, parsed with
//! net-tools 2.10's rules (spec 0.1, 2.3.4, 2.4, 2.5, 2.6):
//!
//! * `igmp`, `igmp6`: multicast memberships with their user counts (`netstat -g`; rtnetlink
//!   RTM_GETMULTICAST has the groups but not the counts);
//! * `ipv6_route`: `netstat -6r` (null entries, one row per multipath sibling, refcounts —
//!   none of which an RTM_GETROUTE dump carries);
//! * `if_inet6`: the IPv6 lines of `netstat -ie`, in the file's (hash) order;
//! * `snmp`, `netstat`, `snmp6`, `sctp/snmp`: the counters of `netstat -s` (no netlink
//!   source for the system-wide MIBs).
//!
//! Parsers take the file bytes, never panic, and skip what they cannot read.

use crate::procfs::scan::{is_space, Fgets, Scan};

/// 32 hex digits → 16 address bytes (the kernel's `%pi6` without colons).
fn hex16(s: &[u8]) -> Option<[u8; 16]> {
    if s.len() != 32 {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, o) in out.iter_mut().enumerate() {
        let hi = (s[2 * i] as char).to_digit(16)?;
        let lo = (s[2 * i + 1] as char).to_digit(16)?;
        *o = (hi * 16 + lo) as u8;
    }
    Some(out)
}

fn hex_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() || s.len() > 8 {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(s).ok()?, 16).ok()
}

fn words(line: &[u8]) -> impl Iterator<Item = &[u8]> {
    line.split(|&b| is_space(b)).filter(|w| !w.is_empty())
}

// ---- multicast groups --------------------------------------------------------------------

/// One row of `netstat -g`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRow {
    /// The device text as netstat holds it (IPv4: up to 15 bytes, trailing blanks kept).
    pub device: Vec<u8>,
    pub users: i32,
    /// AF_INET (first 4 bytes used) or AF_INET6.
    pub family: u8,
    pub group: [u8; 16],
}

/// A line netstat complains about on stderr (`warning, got bogus igmp line %d.`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BogusLine {
    pub v6: bool,
    pub line: usize,
}

/// `/proc/net/igmp` as netstat's `igmp_do_one` reads it: a device line
/// (`"%d\t%15c"` after an `Idx` header, the 15 characters cut at their last `:`) sets the
/// device; a line starting with a TAB gives `"\t%8[0-9A-Fa-f] %d"` = group (the kernel prints
/// the in-memory word with `%08X`) and users.
pub fn parse_igmp(data: &[u8], rows: &mut Vec<GroupRow>, bogus: &mut Vec<BogusLine>) {
    let mut idx_flag = false;
    let mut device: Vec<u8> = Vec::new();
    for (lnr, line) in Fgets::new(data, 8192).enumerate() {
        if lnr == 0 && memchr::memmem::find(line, b"Device").is_some() {
            idx_flag = line.starts_with(b"Idx");
            continue;
        }
        if line.first() != Some(&b'\t') {
            let text = if idx_flag {
                let mut sc = Scan::new(line);
                if sc.dec_i32().is_none() {
                    bogus.push(BogusLine {
                        v6: false,
                        line: lnr,
                    });
                    continue;
                }
                sc.ws();
                sc.rest()
            } else {
                line
            };
            // %15c needs 15 characters.
            let Some(chars) = text.get(..15) else {
                bogus.push(BogusLine {
                    v6: false,
                    line: lnr,
                });
                continue;
            };
            device = match memchr::memrchr(b':', chars) {
                Some(i) => chars[..i].to_vec(),
                None => chars.to_vec(),
            };
            // The C string stops at a NUL byte.
            if let Some(z) = memchr::memchr(0, &device) {
                device.truncate(z);
            }
            continue;
        }
        let mut w = words(line);
        let (Some(hex), Some(users)) = (w.next(), w.next()) else {
            bogus.push(BogusLine {
                v6: false,
                line: lnr,
            });
            continue;
        };
        let hex_len = hex.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let (Some(v), Some(users)) = (hex_u32(&hex[..hex_len.min(8)]), Scan::new(users).dec_i32())
        else {
            bogus.push(BogusLine {
                v6: false,
                line: lnr,
            });
            continue;
        };
        if hex_len > 8 {
            bogus.push(BogusLine {
                v6: false,
                line: lnr,
            });
            continue;
        }
        let mut group = [0u8; 16];
        group[..4].copy_from_slice(&v.to_ne_bytes());
        rows.push(GroupRow {
            device: device.clone(),
            users,
            family: 2,
            group,
        });
    }
}

/// `/proc/net/igmp6` with `"%d %15s %64[0-9A-Fa-f] %d"`.
pub fn parse_igmp6(data: &[u8], rows: &mut Vec<GroupRow>, bogus: &mut Vec<BogusLine>) {
    for (lnr, line) in Fgets::new(data, 8192).enumerate() {
        let mut w = words(line);
        let parsed = (|| {
            Scan::new(w.next()?).dec_i32()?;
            let dev = w.next()?;
            let hex = w.next()?;
            let users = Scan::new(w.next()?).dec_i32()?;
            let group = hex16(hex)?;
            Some((dev, users, group))
        })();
        match parsed {
            Some((dev, users, group)) => rows.push(GroupRow {
                device: dev[..dev.len().min(15)].to_vec(),
                users,
                family: 10,
                group,
            }),
            None => bogus.push(BogusLine {
                v6: true,
                line: lnr,
            }),
        }
    }
}

// ---- IPv6 routes -------------------------------------------------------------------------

/// One line of /proc/net/ipv6_route.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route6Row {
    pub dst: [u8; 16],
    pub dst_len: u32,
    pub next_hop: [u8; 16],
    /// `%08x` read as int: 0xffffffff prints as -1.
    pub metric: i32,
    pub refcnt: i32,
    pub use_count: i32,
    pub flags: u32,
    pub device: Vec<u8>,
}

impl Route6Row {
    /// The null entry the kernel lists after a table without a `::/0` route (`::/0 :: !n -1 1
    /// 0` on the loopback device `device`).
    pub fn null(device: Vec<u8>) -> Route6Row {
        Route6Row {
            dst: [0; 16],
            dst_len: 0,
            next_hop: [0; 16],
            metric: -1,
            refcnt: 1,
            use_count: 0,
            flags: rtf::REJECT | rtf::NONEXTHOP,
            device,
        }
    }
}

/// `RTF_*` flags of route6 lines (include/uapi/linux/route.h, ipv6_route.h).
pub mod rtf {
    pub const UP: u32 = 0x0001;
    pub const GATEWAY: u32 = 0x0002;
    pub const HOST: u32 = 0x0004;
    pub const REINSTATE: u32 = 0x0008;
    pub const DYNAMIC: u32 = 0x0010;
    pub const MODIFIED: u32 = 0x0020;
    pub const REJECT: u32 = 0x0200;
    pub const DEFAULT: u32 = 0x0001_0000;
    pub const ALLONLINK: u32 = 0x0002_0000;
    pub const ADDRCONF: u32 = 0x0004_0000;
    pub const NONEXTHOP: u32 = 0x0020_0000;
    pub const EXPIRES: u32 = 0x0040_0000;
    pub const CACHE: u32 = 0x0100_0000;
    pub const FLOW: u32 = 0x0200_0000;
}

/// Parses /proc/net/ipv6_route (32-hex dst, plen, src, src plen, next hop, then four `%08x`
/// and the device).
pub fn parse_ipv6_route(data: &[u8]) -> Vec<Route6Row> {
    let mut rows = Vec::new();
    for line in Fgets::new(data, 1024) {
        let mut w = words(line);
        let parsed = (|| {
            let dst = hex16(w.next()?)?;
            let dst_len = hex_u32(w.next()?)?;
            let _src = w.next()?;
            let _src_len = w.next()?;
            let next_hop = hex16(w.next()?)?;
            let metric = hex_u32(w.next()?)? as i32;
            let refcnt = hex_u32(w.next()?)? as i32;
            let use_count = hex_u32(w.next()?)? as i32;
            let flags = hex_u32(w.next()?)?;
            let dev = w.next()?;
            Some(Route6Row {
                dst,
                dst_len,
                next_hop,
                metric,
                refcnt,
                use_count,
                flags,
                device: dev[..dev.len().min(15)].to_vec(),
            })
        })();
        if let Some(r) = parsed {
            rows.push(r);
        }
    }
    rows
}

// ---- if_inet6 ----------------------------------------------------------------------------

/// One line of /proc/net/if_inet6.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IfInet6Row {
    pub addr: [u8; 16],
    pub ifindex: u32,
    pub prefix_len: u32,
    pub scope: u32,
    pub flags: u32,
    pub device: Vec<u8>,
}

/// Parses /proc/net/if_inet6.
pub fn parse_if_inet6(data: &[u8]) -> Vec<IfInet6Row> {
    let mut rows = Vec::new();
    for line in Fgets::new(data, 8192) {
        let mut w = words(line);
        let parsed = (|| {
            let addr = hex16(w.next()?)?;
            let ifindex = hex_u32(w.next()?)?;
            let prefix_len = hex_u32(w.next()?)?;
            let scope = hex_u32(w.next()?)?;
            let flags = hex_u32(w.next()?)?;
            let dev = w.next()?;
            Some(IfInet6Row {
                addr,
                ifindex,
                prefix_len,
                scope,
                flags,
                device: dev[..dev.len().min(20)].to_vec(),
            })
        })();
        if let Some(r) = parsed {
            rows.push(r);
        }
    }
    rows
}

// ---- SNMP counters -----------------------------------------------------------------------

/// One section of counters (`Ip`, `TcpExt`, `Icmp6`, ...) in file order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnmpSection {
    pub name: Vec<u8>,
    /// (key, value) in the kernel's order.
    pub values: Vec<(Vec<u8>, u64)>,
}

/// The sections of a file; `error` when netstat would stop with "Problem while parsing".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SnmpFile {
    pub sections: Vec<SnmpSection>,
    pub error: bool,
}

/// `strtoull(p, &p, 10)`: leading blanks, optional sign, digits; returns the value and the
/// rest (unchanged when nothing was converted, as C leaves the pointer in place).
fn strtoull(s: &[u8]) -> (u64, &[u8]) {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut neg = false;
    let mut j = i;
    if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
        neg = s[j] == b'-';
        j += 1;
    }
    let start = j;
    let mut v: u64 = 0;
    let mut overflow = false;
    while j < s.len() && s[j].is_ascii_digit() {
        match v
            .checked_mul(10)
            .and_then(|x| x.checked_add(u64::from(s[j] - b'0')))
        {
            Some(x) => v = x,
            None => overflow = true,
        }
        j += 1;
    }
    if j == start {
        return (0, s);
    }
    let v = if overflow {
        u64::MAX
    } else if neg {
        v.wrapping_neg()
    } else {
        v
    };
    (v, &s[j..])
}

/// `/proc/net/snmp` or `/proc/net/netstat` as statistics.c `process_fd` reads them: pairs of
/// lines `Name: keys…` / `Name: values…`, an empty line skipped; `filter` keeps only the
/// sections whose name starts with it (`-s -6` reads only `Tcp` from /proc/net/snmp).
pub fn parse_snmp_pairs(data: &[u8], filter: Option<&[u8]>) -> SnmpFile {
    let mut out = SnmpFile::default();
    let mut lines = data.split_inclusive(|&b| b == b'\n');
    while let Some(keys) = lines.next() {
        if keys.first() == Some(&b'\n') {
            continue;
        }
        let Some(vals) = lines.next() else {
            break;
        };
        let (Some(sp), Some(np)) = (memchr::memchr(b':', keys), memchr::memchr(b':', vals)) else {
            out.error = true;
            return out;
        };
        let name = &keys[..sp];
        if let Some(f) = filter {
            if !name.starts_with(f) {
                continue;
            }
        }
        let mut section = SnmpSection {
            name: name.to_vec(),
            values: Vec::new(),
        };
        let mut vrest = &vals[np + 1..];
        for key in keys[sp + 1..]
            .split(|&b| matches!(b, b' ' | b'\t' | b'\n'))
            .filter(|k| !k.is_empty())
        {
            let (v, r) = strtoull(vrest);
            vrest = r;
            section.values.push((key.to_vec(), v));
        }
        out.sections.push(section);
    }
    out
}

/// `/proc/net/snmp6` as `process6_fd` reads it: `Key value` lines; a section is the key up to
/// and including its first `6`, and a new one starts whenever a key does not contain the
/// current section name.
pub fn parse_snmp6(data: &[u8]) -> Vec<SnmpSection> {
    let mut sections: Vec<SnmpSection> = Vec::new();
    let mut value: u64 = 0;
    for line in Fgets::new(data, 1024) {
        let mut w = words(line);
        let Some(key) = w.next() else { continue };
        // sscanf's %llu: when the value does not convert, the previous one stays.
        if let Some(word) = w.next() {
            let (v, rest) = strtoull(word);
            if rest.len() != word.len() {
                value = v;
            }
        }
        let title_end = memchr::memchr(b'6', key).map_or(key.len(), |i| i + 1);
        let title = &key[..title_end];
        let same = sections
            .last()
            .is_some_and(|s| memchr::memmem::find(key, &s.name).is_some());
        if !same {
            sections.push(SnmpSection {
                name: title.to_vec(),
                values: Vec::new(),
            });
        }
        if let Some(s) = sections.last_mut() {
            s.values.push((key.to_vec(), value));
        }
    }
    sections
}

/// `/proc/net/sctp/snmp`: `Key value` lines, all in section `Sctp`.
pub fn parse_sctp_snmp(data: &[u8]) -> SnmpSection {
    let mut s = SnmpSection {
        name: b"Sctp".to_vec(),
        values: Vec::new(),
    };
    for line in Fgets::new(data, 1024) {
        let end = line
            .iter()
            .position(|&b| matches!(b, b' ' | b'\t' | b'\n'))
            .unwrap_or(line.len());
        let key = &line[..end];
        let rest = line.get(end + 1..).unwrap_or_default();
        let rest = &rest[rest
            .iter()
            .take_while(|&&b| matches!(b, b' ' | b'\t' | b'\n'))
            .count()..];
        if rest.is_empty() {
            continue;
        }
        let (v, _) = strtoull(rest);
        s.values.push((key.to_vec(), v));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn igmp_files() {
        let v4 = b"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n\
1\tlo        :     1      V3\n\t\t\t\t010000E0     1 0:00000000\t\t0\n\
4\tbr0       :     3      V3\n\t\t\t\t060504EF     2 0:00000000\t\t0\n";
        let mut rows = Vec::new();
        let mut bogus = Vec::new();
        parse_igmp(v4, &mut rows, &mut bogus);
        assert!(bogus.is_empty());
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].device, b"lo        ");
        assert_eq!(&rows[0].group[..4], &[224, 0, 0, 1]);
        assert_eq!(rows[1].users, 2);
        assert_eq!(&rows[1].group[..4], &[239, 4, 5, 6]);
        let v6 = b"1    lo              ff020000000000000000000000000001     1 0000000C 0\n\
2    veth0           ff150000000000000000000000001234     2 00000004 0\nbad\n";
        parse_igmp6(v6, &mut rows, &mut bogus);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[3].device, b"veth0");
        assert_eq!(rows[3].users, 2);
        assert_eq!(rows[3].group[0], 0xff);
        assert_eq!(rows[3].group[15], 0x34);
        assert_eq!(bogus, vec![BogusLine { v6: true, line: 2 }]);
    }

    #[test]
    fn route6_and_if_inet6() {
        let r = parse_ipv6_route(b"20010db8050000000000000000000000 30 00000000000000000000000000000000 00 00000000000000000000000000000000 00000400 00000001 00000000 00000001      br0\n00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo\n");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].dst_len, 48);
        assert_eq!(r[0].metric, 1024);
        assert_eq!(r[1].metric, -1);
        assert_eq!(r[1].flags, 0x0020_0200);
        assert_eq!(r[1].device, b"lo");
        let a = parse_if_inet6(b"20010db8000200000000000000000001 04 40 00 82      br0\n");
        assert_eq!(a[0].prefix_len, 64);
        assert_eq!(a[0].ifindex, 4);
        assert_eq!(a[0].device, b"br0");
    }

    #[test]
    fn snmp_files() {
        let f = parse_snmp_pairs(
            b"Ip: Forwarding DefaultTTL\nIp: 2 64\nTcp: RtoAlgorithm MaxConn\nTcp: 1 -1\n",
            None,
        );
        assert!(!f.error);
        assert_eq!(f.sections.len(), 2);
        assert_eq!(f.sections[0].values[1], (b"DefaultTTL".to_vec(), 64));
        assert_eq!(f.sections[1].values[1].1, u64::MAX);
        let t = parse_snmp_pairs(b"Ip: A\nIp: 1\nTcp: B\nTcp: 2\n", Some(b"Tcp"));
        assert_eq!(t.sections.len(), 1);
        assert_eq!(t.sections[0].name, b"Tcp");
        let bad = parse_snmp_pairs(b"Ip: A\nIp: 1\nno colon\nhere\n", None);
        assert!(bad.error);
        assert_eq!(bad.sections.len(), 1);
        let six = parse_snmp6(
            b"Ip6InReceives \t30\nIp6OutTransmits 44\nIcmp6InMsgs 6\nIcmp6InType129 2\n\
Udp6InDatagrams 0\nUdpLite6InDatagrams 0\n",
        );
        let names: Vec<&[u8]> = six.iter().map(|s| &s.name[..]).collect();
        assert_eq!(names, vec![&b"Ip6"[..], b"Icmp6", b"Udp6", b"UdpLite6"]);
        assert_eq!(six[1].values[1], (b"Icmp6InType129".to_vec(), 2));
        let sctp = parse_sctp_snmp(b"SctpCurrEstab          \t0\nSctpActiveEstabs 3\n");
        assert_eq!(sctp.values[1], (b"SctpActiveEstabs".to_vec(), 3));
        assert_eq!(strtoull(b" 12x"), (12, &b"x"[..]));
        assert_eq!(strtoull(b"x"), (0, &b"x"[..]));
    }
}
