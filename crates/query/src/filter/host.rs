//! Filter values (spec §3.4, §3.5): ss 6.1's `parse_hostcond`, `parse_devcond`,
//! `parse_markmask` and `parse_cgroupcond` (misc/ss.c), with the number parsers of iproute2's
//! lib/utils.c (`get_integer`, `get_u32`, `get_prefix_1`, ...) and C's `strtol`/`sscanf("%i")`
//! rules they rely on.
//!
//! Name look-ups go through [`FilterNames`]. [`SystemNames`] answers them like ss on this
//! system, with these documented limits:
//! * host names: `/etc/hosts` only (files-only NSS, as the test namespaces configure it) plus
//!   glibc's numeric forms (`inet_aton` for IPv4, e.g. `2130706433`); no DNS;
//! * RPC service names (ss learns them from rpcbind with `-r`) are never known;
//! * `cgroup PATH`: the id is the inode number of the cgroup directory (what
//!   `name_to_handle_at` returns on kernfs); on other file systems the outcome of
//!   `name_to_handle_at` is judged from the file system type (see `file_handle_id`);
//! * user names (sockscope's `user` keyword): `/etc/passwd` only (files-only NSS), the first
//!   line with that name.

use std::path::{Path, PathBuf};

use super::{FilterError, HostCond, Prefix, Selection};
use crate::model::{family, Table};
use crate::plan::FamilySet;
use crate::resolver::{ResolverConfig, SystemResolver};

/// The name databases the filter needs.
pub trait FilterNames {
    /// glibc's `getservbyname(name, proto)`: (the port, host order, of the first matching
    /// entry; the port left in glibc's static result buffer afterwards — see
    /// [`SystemResolver::getservbyname`]).
    fn getservbyname(&mut self, name: &[u8], proto: &str) -> (Option<u16>, Option<u16>);
    /// `gethostbyname2(name, af)` (`af` AF_INET or AF_INET6): the addresses, in order.
    fn host_addrs(&mut self, name: &[u8], af: u8) -> Vec<Vec<u8>>;
    /// An interface name or altname → index from the link cache (0 = unknown). `Err` carries
    /// the stderr text of a failed link cache initialisation (ss then exits 1).
    fn link_index(&mut self, name: &[u8]) -> Result<u32, String>;
    /// A netlink protocol name (`nl_proto_tab` + `/etc/iproute2/nl_protos`).
    fn netlink_proto(&mut self, name: &[u8]) -> Option<u8>;
    /// `get_cgroup2_id(path)`: `Err` carries the reason lines ss prints (with newlines).
    fn cgroup_id(&mut self, path: &[u8]) -> Result<u64, String>;
    /// ss's cgroup bytecode probe (§3.8.4).
    fn cgroup_filter_supported(&mut self) -> bool;
    /// `getpwnam(name)` from the passwd file (sockscope's `user` keyword): the uid.
    fn user_uid(&mut self, _name: &[u8]) -> Option<u32> {
        None
    }
}

// ---------------------------------------------------------------------------------------
// C number parsing.

fn is_c_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `strtoul`/`strtol` core: (negative, magnitude saturated to u64::MAX on overflow, overflow,
/// bytes consumed; 0 = no conversion).
fn c_strto(s: &[u8], base: u32) -> (bool, u64, bool, usize) {
    let mut i = 0;
    while s.get(i).copied().is_some_and(is_c_space) {
        i += 1;
    }
    let mut neg = false;
    if let Some(&c @ (b'+' | b'-')) = s.get(i) {
        neg = c == b'-';
        i += 1;
    }
    let mut base = base;
    let digit = |c: u8| (c as char).to_digit(36);
    if (base == 0 || base == 16)
        && s.get(i) == Some(&b'0')
        && matches!(s.get(i + 1), Some(b'x' | b'X'))
        && s.get(i + 2).and_then(|&c| digit(c)).is_some_and(|d| d < 16)
    {
        i += 2;
        base = 16;
    } else if base == 0 {
        base = if s.get(i) == Some(&b'0') { 8 } else { 10 };
    }
    let start = i;
    let mut v: u64 = 0;
    let mut over = false;
    while let Some(d) = s.get(i).and_then(|&c| digit(c)).filter(|&d| d < base) {
        match v
            .checked_mul(u64::from(base))
            .and_then(|x| x.checked_add(u64::from(d)))
        {
            Some(x) => v = x,
            None => over = true,
        }
        i += 1;
    }
    if i == start {
        return (false, 0, false, 0);
    }
    (neg, if over { u64::MAX } else { v }, over, i)
}

/// `strtoul(s, &end, base)`: (value, consumed, ERANGE).
pub(crate) fn strtoul(s: &[u8], base: u32) -> (u64, usize, bool) {
    let (neg, v, over, n) = c_strto(s, base);
    if over {
        return (u64::MAX, n, true);
    }
    (if neg { v.wrapping_neg() } else { v }, n, false)
}

/// `strtol(s, &end, base)` on LP64: (value, consumed, ERANGE).
pub(crate) fn strtol(s: &[u8], base: u32) -> (i64, usize, bool) {
    let (neg, v, over, n) = c_strto(s, base);
    if neg {
        if over || v > 1u64 << 63 {
            return (i64::MIN, n, true);
        }
        (0i64.wrapping_sub(v as i64), n, false)
    } else {
        if over || v > i64::MAX as u64 {
            return (i64::MAX, n, true);
        }
        (v as i64, n, false)
    }
}

/// iproute2 `get_integer(&v, s, 0)`.
pub(crate) fn get_integer(s: &[u8]) -> Option<i32> {
    if s.is_empty() {
        return None;
    }
    let (v, n, erange) = strtol(s, 0);
    if n == 0 || n != s.len() || erange {
        return None;
    }
    i32::try_from(v).ok()
}

/// iproute2 `get_u32(&v, s, 0)` (also `get_unsigned`).
pub(crate) fn get_u32(s: &[u8]) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let (v, n, erange) = strtoul(s, 0);
    if n == 0 || n != s.len() || erange {
        return None;
    }
    u32::try_from(v).ok()
}

/// iproute2 `get_u16(&v, s, 0)`.
fn get_u16(s: &[u8]) -> Option<u16> {
    get_u32(s).and_then(|v| u16::try_from(v).ok())
}

/// One `%i` conversion of `sscanf` (int): (value, consumed) or `None` when nothing converts.
fn scanf_i(s: &[u8]) -> Option<(u32, usize)> {
    let (v, n, _) = strtol(s, 0);
    if n == 0 {
        return None;
    }
    // glibc stores the long result into an int: truncation.
    Some((v as u32, n))
}

// ---------------------------------------------------------------------------------------
// Addresses.

/// iproute2 `get_addr_ipv4`: up to four parts, each a C number ≤ 255, missing parts zero.
fn get_addr_ipv4(s: &[u8]) -> Option<[u8; 4]> {
    let mut out = [0u8; 4];
    let mut rest = s;
    for (i, slot) in out.iter_mut().enumerate() {
        let (v, n, _) = strtoul(rest, 0);
        if n == 0 || v > 255 {
            return None;
        }
        *slot = v as u8;
        match rest.get(n) {
            None => return Some(out),
            Some(b'.') if i < 3 => rest = &rest[n + 1..],
            _ => return None,
        }
    }
    None
}

/// `inet_pton(AF_INET6, ...)`.
fn inet_pton6(s: &[u8]) -> Option<[u8; 16]> {
    let t = std::str::from_utf8(s).ok()?;
    // Rust's parser accepts the same text forms as glibc's inet_pton for IPv6, except zone
    // ids, which neither accepts.
    t.parse::<std::net::Ipv6Addr>().ok().map(|a| a.octets())
}

/// iproute2 `get_addr_1` for the families a filter can ask for: (family, bytes, bitlen) where
/// bitlen -2 means `default`/`all`/`any` and -1 "not given".
fn get_addr_1(s: &[u8], fam: u8) -> Option<(u8, [u8; 16], i32)> {
    if s == b"default" || s == b"all" || s == b"any" {
        return Some((fam, [0; 16], -2));
    }
    if s.contains(&b':') {
        if fam != family::UNSPEC && fam != family::INET6 {
            return None;
        }
        return Some((family::INET6, inet_pton6(s)?, -1));
    }
    if fam != family::UNSPEC && fam != family::INET {
        return None;
    }
    let a = get_addr_ipv4(s)?;
    let mut d = [0u8; 16];
    d[..4].copy_from_slice(&a);
    Some((family::INET, d, -1))
}

/// `mask2bits`: a contiguous netmask's length.
fn mask2bits(mask: [u8; 4]) -> Option<u32> {
    let m = u32::from_be_bytes(mask);
    let host = !m;
    if host & host.wrapping_add(1) != 0 {
        return None;
    }
    Some(m.leading_ones())
}

/// iproute2 `get_prefix_1`.
fn get_prefix_1(s: &[u8], fam: u8) -> Option<Prefix> {
    let (addr, slash) = match memchr::memchr(b'/', s) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let (af, data, bitlen) = get_addr_1(addr, fam)?;
    let max = match af {
        family::INET => 32,
        family::INET6 => 128,
        _ => 0,
    };
    let bits = match slash {
        Some(len) => {
            if bitlen == -2 {
                return None;
            }
            // get_netmask: an unsigned number (base auto), else a dotted IPv4 netmask.
            let plen = match get_u32(len) {
                Some(v) => v,
                None => match get_addr_1(len, family::INET) {
                    Some((family::INET, d, _)) => mask2bits([d[0], d[1], d[2], d[3]])?,
                    _ => return None,
                },
            };
            if plen > max {
                return None;
            }
            plen as i32
        }
        None if bitlen == -2 => 0,
        None => max as i32,
    };
    Some(Prefix {
        family: af,
        bitlen: bits,
        data,
    })
}

/// glibc `inet_aton` in its exact form (what `gethostbyname2` accepts for an all-digits name):
/// `a`, `a.b`, `a.b.c`, `a.b.c.d` with C numbers, the last part filling the remaining bytes.
pub fn inet_aton_exact(s: &[u8]) -> Option<[u8; 4]> {
    let mut parts = [0u64; 4];
    let mut n = 0;
    let mut rest = s;
    loop {
        if !rest.first().is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let (v, used, over) = strtoul(rest, 0);
        if over || n >= 4 {
            return None;
        }
        parts[n] = v;
        n += 1;
        rest = &rest[used..];
        match rest.first() {
            None => break,
            Some(b'.') => rest = &rest[1..],
            _ => return None,
        }
    }
    let (head, last) = (&parts[..n - 1], parts[n - 1]);
    if head.iter().any(|&p| p > 255) || last >= 1u64 << (8 * (5 - n)).min(32) && n > 1 {
        return None;
    }
    if n == 1 && last > u64::from(u32::MAX) {
        return None;
    }
    let mut v: u32 = 0;
    for (i, &p) in head.iter().enumerate() {
        v |= (p as u32) << (24 - 8 * i);
    }
    v |= last as u32;
    Some(v.to_be_bytes())
}

// ---------------------------------------------------------------------------------------
// sockscope's values.

/// A `pid`/`uid` value: a decimal number that fits in 32 bits (no sign, no C prefixes: `010`
/// is ten). `what` names the keyword in the message (exit 1, like ss's value errors).
pub(crate) fn parse_id(text: &[u8], what: &str) -> Result<u32, FilterError> {
    let n = (!text.is_empty() && text.iter().all(u8::is_ascii_digit))
        .then(|| std::str::from_utf8(text).ok()?.parse::<u32>().ok())
        .flatten();
    n.ok_or_else(|| {
        FilterError::exit(
            1,
            format!("Cannot parse {what} {}.\n", String::from_utf8_lossy(text)),
        )
    })
}

/// A `user` value: a name from the passwd file (files only), else a decimal uid.
pub(crate) fn parse_user(text: &[u8], names: &mut dyn FilterNames) -> Result<u32, FilterError> {
    if let Some(uid) = names.user_uid(text) {
        return Ok(uid);
    }
    parse_id(text, "user").map_err(|_| {
        let name = String::from_utf8_lossy(text);
        FilterError::exit(
            1,
            format!("Error: no user \"{name}\" in /etc/passwd.\nCannot parse user {name}.\n"),
        )
    })
}

// ---------------------------------------------------------------------------------------
// The parse state that values change.

/// The part of the selection that filter values read and change (ss's globals
/// `preferred_family` and `current_filter.families`, `.dbs`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ctx {
    pub sel: Selection,
    pub families: FamilySet,
    pub preferred_family: u8,
}

impl Ctx {
    /// The side effect at the end of `parse_hostcond` (spec §3.4): a token whose family is not
    /// AF_UNSPEC replaces the families by that family and makes it the preferred one.
    fn narrow(&mut self, fam: u8) {
        if fam != family::UNSPEC {
            self.families = FamilySet(0);
            self.families.insert(fam);
            self.preferred_family = fam;
        }
    }
}

fn cannot_parse_host(msg: Option<String>) -> FilterError {
    let mut s = msg.unwrap_or_default();
    s.push_str("Cannot parse dst/src address.\n");
    FilterError::exit(1, s)
}

/// `find_port`: in port-only mode the whole text, else from the first `:`; a leading `:` of
/// the port text is cut (and ends the address there).
fn find_port(addr: &[u8], is_port: bool) -> (&[u8], Option<&[u8]>) {
    let at = if is_port {
        Some(0)
    } else {
        memchr::memchr(b':', addr)
    };
    match at {
        None => (addr, None),
        Some(i) => {
            let port = &addr[i..];
            match port.first() {
                Some(b':') => (&addr[..i], Some(&port[1..])),
                _ => (addr, Some(port)),
            }
        }
    }
}

/// ss's `parse_hostcond` (spec §3.4). Errors carry ss's stderr lines and exit status 1.
pub(crate) fn parse_hostcond(
    text: &[u8],
    is_port: bool,
    ctx: &mut Ctx,
    names: &mut dyn FilterNames,
) -> Result<HostCond, FilterError> {
    let mut fam = ctx.preferred_family;
    let mut addr = text;
    for (prefix, af) in [
        (&b"unix:"[..], family::UNIX),
        (b"link:", family::PACKET),
        (b"netlink:", family::NETLINK),
        (b"vsock:", family::VSOCK),
        (b"inet:", family::INET),
        (b"inet6:", family::INET6),
    ] {
        if let Some(rest) = text.strip_prefix(prefix) {
            fam = af;
            addr = rest;
            break;
        }
    }
    // ss works on C strings: an argument cannot hold a NUL, and a file line is cut at one.
    let mut h = HostCond {
        addr: Prefix::default(),
        more: Vec::new(),
        port: -1,
        pattern: None,
    };
    let fail = || cannot_parse_host(None);

    match fam {
        family::UNIX => {
            h.addr.family = family::UNIX;
            h.addr.bitlen = (8 * addr.len()) as i16 as i32;
            h.pattern = Some(addr.into());
        }
        family::PACKET => {
            h.addr.family = family::PACKET;
            let (a, port) = find_port(addr, is_port);
            if let Some(p) = port.filter(|p| !p.is_empty() && *p != b"*") {
                h.port = match get_integer(p) {
                    Some(v) => v,
                    None => {
                        let idx = ll_name_to_index(p, names)?;
                        // (int) of the unsigned index must be positive.
                        if idx as i32 <= 0 {
                            return Err(fail());
                        }
                        idx as i32
                    }
                };
            }
            if !is_port && !a.is_empty() && a != b"*" {
                h.addr.bitlen = 32;
                let proto = ll_proto_a2n(a).ok_or_else(fail)?;
                h.addr.data[..4].copy_from_slice(&u32::from(proto).to_ne_bytes());
            }
        }
        family::NETLINK => {
            h.addr.family = family::NETLINK;
            let (a, port) = find_port(addr, is_port);
            if let Some(p) = port.filter(|p| !p.is_empty() && *p != b"*") {
                h.port = match get_integer(p) {
                    Some(v) => v,
                    None if p == b"kernel" => 0,
                    None => return Err(fail()),
                };
            }
            if !is_port && !a.is_empty() && a != b"*" {
                h.addr.bitlen = 32;
                let proto = match names.netlink_proto(a) {
                    Some(p) => u32::from(p),
                    None => {
                        let (v, n, _) = strtoul(a, 0);
                        if n == 0 || n != a.len() || v > 255 {
                            return Err(fail());
                        }
                        v as u32
                    }
                };
                h.addr.data[..4].copy_from_slice(&proto.to_ne_bytes());
            }
        }
        family::VSOCK => {
            let (a, port) = find_port(addr, is_port);
            if let Some(p) = port.filter(|p| *p != b"*") {
                // The u32 lands in an int: 4294967295 is -1, "any".
                h.port = get_u32(p).ok_or_else(fail)? as i32;
            }
            let mut cid = u32::MAX;
            if !is_port && !a.is_empty() && a != b"*" {
                cid = get_u32(a).ok_or_else(fail)?;
            }
            // vsock_set_inet_prefix resets the prefix length: CIDs are never compared.
            h.addr = Prefix {
                family: family::VSOCK,
                bitlen: 0,
                data: [0; 16],
            };
            h.addr.data[..4].copy_from_slice(&cid.to_ne_bytes());
        }
        _ => {
            // inet, inet6 or unspecified. `cut` is where the port text starts inside the
            // address text (ss writes a NUL over a leading ':' there, ending the address).
            let (mut a, mut port, mut cut): (&[u8], Option<&[u8]>, Option<usize>) =
                if let Some(rest) = addr.strip_prefix(b"[") {
                    let Some(close) = memchr::memchr(b']', rest) else {
                        return Err(fail());
                    };
                    (&rest[..close], Some(&rest[close + 1..]), None)
                } else if addr.first() == Some(&b'*') {
                    (addr, Some(&addr[1..]), Some(1))
                } else {
                    // The last ':' after the first '/' (or anywhere without '/').
                    let from = memchr::memchr(b'/', addr).unwrap_or(0);
                    match memchr::memrchr(b':', &addr[from..]) {
                        Some(i) => (addr, Some(&addr[from + i..]), Some(from + i)),
                        None => (addr, None, None),
                    }
                };
            if is_port {
                port = Some(a);
                cut = Some(0);
            }
            if let Some(mut p) = port.filter(|p| !p.is_empty()) {
                if p.first() == Some(&b':') {
                    if let Some(i) = cut {
                        a = a.get(..i).unwrap_or(a);
                    }
                    p = &p[1..];
                }
                if !p.is_empty() && p[0] != b'*' {
                    h.port = parse_port(p, ctx, names)?;
                }
            }
            if !is_port && !a.is_empty() && a[0] != b'*' {
                match get_prefix_1(a, fam) {
                    Some(p) => h.addr = p,
                    None => {
                        let found = dns_hosts(a, fam, names);
                        if found.is_empty() {
                            return Err(cannot_parse_host(Some(format!(
                                "Error: an inet prefix is expected rather than \"{}\".\n",
                                String::from_utf8_lossy(a)
                            ))));
                        }
                        let mut it = found.into_iter();
                        if let Some(first) = it.next() {
                            h.addr = first;
                        }
                        // remember_he inserts every further address right after the first.
                        let mut rest: Vec<Prefix> = it.collect();
                        rest.reverse();
                        h.more = rest;
                    }
                }
            }
        }
    }
    ctx.narrow(fam);
    Ok(h)
}

/// The port text of an inet host (spec §3.4 step 5).
///
/// ss calls `getservbyname` for udp (udp table enabled), then for tcp (tcp table enabled), and
/// keeps both pointers. glibc returns its one static buffer each time, so the two results are
/// the same object: the "ambiguous port" test never fires, and the port used is whatever the
/// last call left in the buffer — the tcp port if tcp has the name, else (when the udp look-up
/// found it) the last entry of the services file, which the failed tcp search parsed last.
fn parse_port(p: &[u8], ctx: &Ctx, names: &mut dyn FilterNames) -> Result<i32, FilterError> {
    if let Some(v) = get_integer(p) {
        return Ok(v);
    }
    let t = ctx.sel.tables;
    let mut buffer: Option<u16> = None;
    let mut lookup = |proto: &str| {
        let (found, left) = names.getservbyname(p, proto);
        if left.is_some() {
            buffer = left;
        }
        found.is_some()
    };
    let udp = t.contains(Table::Udp) && lookup("udp");
    let tcp = t.contains(Table::Tcp) && lookup("tcp");
    let shown = String::from_utf8_lossy(p);
    // ss: `if (se1 && se2 && se1->s_port != se2->s_port)` — one buffer, never true.
    if udp || tcp {
        return Ok(i32::from(buffer.unwrap_or(0)));
    }
    // ss would now look through the RPC names learned from rpcbind (-r); sockscope has none
    // (see the module docs).
    Err(cannot_parse_host(Some(format!(
        "Error: \"{shown}\" does not look like a port.\n"
    ))))
}

/// `get_dns_host`: the addresses of a host name for the family (AF_UNSPEC: IPv4 then IPv6),
/// each as a full-length prefix, first one first (ss's chain order is made by the caller).
fn dns_hosts(name: &[u8], fam: u8, names: &mut dyn FilterNames) -> Vec<Prefix> {
    let mut out = Vec::new();
    let mut lookup = |af: u8, out: &mut Vec<Prefix>| {
        for a in gethostbyname2(name, af, names) {
            let mut data = [0u8; 16];
            let n = a.len().min(16);
            data[..n].copy_from_slice(&a[..n]);
            out.push(Prefix {
                family: af,
                bitlen: (n * 8) as i32,
                data,
            });
        }
    };
    match fam {
        family::UNSPEC => {
            lookup(family::INET, &mut out);
            lookup(family::INET6, &mut out);
        }
        f => lookup(f, &mut out),
    }
    out
}

/// glibc's `gethostbyname2` on a files-only system: an all-digits-and-dots name is converted
/// numerically (IPv4 `inet_aton`; IPv6 always fails) without a database look-up; a name with a
/// `:` starting with a hex digit or `:` is converted with `inet_pton` for IPv6; anything else
/// is looked up in the hosts database.
fn gethostbyname2(name: &[u8], af: u8, names: &mut dyn FilterNames) -> Vec<Vec<u8>> {
    let first = name.first().copied().unwrap_or(0);
    if first.is_ascii_digit()
        && name.iter().all(|&c| c.is_ascii_digit() || c == b'.')
        && name.last() != Some(&b'.')
    {
        return match (af, inet_aton_exact(name)) {
            (family::INET, Some(a)) => vec![a.to_vec()],
            _ => Vec::new(),
        };
    }
    if (first.is_ascii_hexdigit() && name.contains(&b':')) || first == b':' {
        return match (af, inet_pton6(name)) {
            (family::INET6, Some(a)) => vec![a.to_vec()],
            _ => Vec::new(),
        };
    }
    names.host_addrs(name, af)
}

/// Link-layer protocol names (lib/ll_proto.c `llproto_names`), matched case-insensitively.
const LL_PROTOS: &[(&str, u16)] = &[
    ("loop", 0x0060),
    ("pup", 0x0200),
    ("pupat", 0x0201),
    ("ip", 0x0800),
    ("x25", 0x0805),
    ("arp", 0x0806),
    ("bpq", 0x08ff),
    ("ieeepup", 0x0a00),
    ("ieeepupat", 0x0a01),
    ("dec", 0x6000),
    ("dna_dl", 0x6001),
    ("dna_rc", 0x6002),
    ("dna_rt", 0x6003),
    ("lat", 0x6004),
    ("diag", 0x6005),
    ("cust", 0x6006),
    ("sca", 0x6007),
    ("rarp", 0x8035),
    ("atalk", 0x809b),
    ("aarp", 0x80f3),
    ("ipx", 0x8137),
    ("ipv6", 0x86dd),
    ("ppp_disc", 0x8863),
    ("ppp_ses", 0x8864),
    ("atmmpoa", 0x884c),
    ("atmfate", 0x8884),
    ("802_3", 0x0001),
    ("ax25", 0x0002),
    ("all", 0x0003),
    ("802_2", 0x0004),
    ("snap", 0x0005),
    ("ddcmp", 0x0006),
    ("wan_ppp", 0x0007),
    ("ppp_mp", 0x0008),
    ("localtalk", 0x0009),
    ("can", 0x000c),
    ("ppptalk", 0x0010),
    ("tr_802_2", 0x0011),
    ("mobitex", 0x0015),
    ("control", 0x0016),
    ("irda", 0x0017),
    ("econet", 0x0018),
    ("tipc", 0x88ca),
    ("profinet", 0x8892),
    ("aoe", 0x88a2),
    ("ethercat", 0x88a4),
    ("802.1Q", 0x8100),
    ("802.1ad", 0x88a8),
    ("mpls_uc", 0x8847),
    ("mpls_mc", 0x8848),
    ("teb", 0x6558),
    ("LLDP", 0x88cc),
    ("ipv4", 0x0800),
];

/// `ll_proto_a2n`: a protocol name or a 16-bit number (base auto); host order.
pub(crate) fn ll_proto_a2n(s: &[u8]) -> Option<u16> {
    LL_PROTOS
        .iter()
        .find(|(n, _)| n.as_bytes().eq_ignore_ascii_case(s))
        .map(|&(_, v)| v)
        .or_else(|| get_u16(s))
}

/// Netlink protocol names (lib/rt_names.c `nl_proto_tab`).
pub(crate) const NL_PROTOS: &[(u8, &str)] = &[
    (0, "rtnl"),
    (1, "unused"),
    (2, "usersock"),
    (3, "fw"),
    (4, "tcpdiag"),
    (5, "nflog"),
    (6, "xfrm"),
    (7, "selinux"),
    (8, "iscsi"),
    (9, "audit"),
    (10, "fiblookup"),
    (11, "connector"),
    (12, "nft"),
    (13, "ip6fw"),
    (14, "dec-rt"),
    (15, "uevent"),
    (16, "genl"),
    (18, "scsi-trans"),
    (19, "ecryptfs"),
    (20, "rdma"),
    (21, "crypto"),
];

/// iproute2's `ll_name_to_index`: the link cache, then `if%u` (`sscanf`: leading blanks, a sign,
/// decimal digits, trailing text ignored).
fn ll_name_to_index(name: &[u8], names: &mut dyn FilterNames) -> Result<u32, FilterError> {
    let idx = names
        .link_index(name)
        .map_err(|e| FilterError::exit(1, e))?;
    if idx != 0 {
        return Ok(idx);
    }
    if let Some(rest) = name.strip_prefix(b"if") {
        let (v, n, _) = strtoul(rest, 10);
        if n > 0 {
            return Ok(v as u32);
        }
    }
    Ok(0)
}

/// `parse_devcond`: an interface name, else an unsigned number (base auto).
pub(crate) fn parse_devcond(text: &[u8], names: &mut dyn FilterNames) -> Result<u32, FilterError> {
    let idx = ll_name_to_index(text, names)?;
    if idx != 0 {
        return Ok(idx);
    }
    get_u32(text).ok_or_else(|| FilterError::exit(1, "Cannot parse device.\n"))
}

/// `parse_markmask`: `%i` or `%i/%i` (sscanf: trailing text after the last number ignored).
pub(crate) fn parse_markmask(text: &[u8]) -> Result<(u32, u32), FilterError> {
    let fail = || {
        FilterError::exit(
            1,
            format!("Cannot parse mark {}.\n", String::from_utf8_lossy(text)),
        )
    };
    let (mark, n) = scanf_i(text).ok_or_else(fail)?;
    if !text.contains(&b'/') {
        return Ok((mark, 0xffff_ffff));
    }
    if text.get(n) != Some(&b'/') {
        return Err(fail());
    }
    let (mask, _) = scanf_i(&text[n + 1..]).ok_or_else(fail)?;
    Ok((mark, mask))
}

/// `parse_cgroupcond`: the cgroup2 id of a path; reasons then `Cannot parse cgroup X.`.
pub(crate) fn parse_cgroupcond(
    text: &[u8],
    names: &mut dyn FilterNames,
) -> Result<u64, FilterError> {
    let fail = |reason: String| {
        FilterError::exit(
            1,
            format!(
                "{reason}Cannot parse cgroup {}.\n",
                String::from_utf8_lossy(text)
            ),
        )
    };
    match names.cgroup_id(text) {
        Ok(0) => Err(fail(String::new())),
        Ok(id) => Ok(id),
        Err(reason) => Err(fail(reason)),
    }
}

// ---------------------------------------------------------------------------------------
// The real name databases.

/// [`FilterNames`] for this system: `/etc/services`, `/etc/hosts`, rtnetlink, `/proc/mounts`,
/// `/etc/iproute2/nl_protos` and a sock_diag probe.
pub struct SystemNames {
    resolver: SystemResolver,
    links: Option<crate::links::LinkMap>,
    nl_protos: Option<Vec<(u8, Vec<u8>)>>,
    nl_protos_file: PathBuf,
    mounts_file: PathBuf,
    cgroup_supported: Option<bool>,
}

impl SystemNames {
    pub fn new(cfg: ResolverConfig) -> SystemNames {
        let mounts_file = cfg.mounts_file.clone();
        SystemNames {
            resolver: SystemResolver::new(cfg),
            links: None,
            nl_protos: None,
            nl_protos_file: PathBuf::from("/etc/iproute2/nl_protos"),
            mounts_file,
            cgroup_supported: None,
        }
    }

    /// The cgroup2 mount point (iproute2 `find_fs_mount`).
    fn cgroup2_mount(&self) -> Result<PathBuf, String> {
        let data = std::fs::read(&self.mounts_file).map_err(|e| {
            format!(
                "Failed to open mounts file: {}\n",
                sockscope_netlink::Errno::from_io(&e)
            )
        })?;
        let text = String::from_utf8_lossy(&data);
        for line in text.lines() {
            let f: Vec<&str> = line.split_ascii_whitespace().collect();
            if f.len() < 3 {
                break;
            }
            if f[2] == "cgroup2" {
                return Ok(PathBuf::from(f[1]));
            }
        }
        Err("Failed to find cgroup2 mount\n".into())
    }
}

/// What `name_to_handle_at` with an 8-byte handle gives for a path, judged by the file
/// system (statfs magic, include/uapi/linux/magic.h): kernfs (cgroup2, cgroup v1, sysfs)
/// hands out the node id, which is the inode number; tmpfs and proc cannot encode a handle
/// that small (EOVERFLOW/EOPNOTSUPP); other file systems (ext4, xfs, ...) encode inode and
/// generation, for which the inode number stands in (a value no socket's cgroup id has).
fn file_handle_id(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    const TMPFS_MAGIC: i64 = 0x0102_1994;
    const PROC_SUPER_MAGIC: i64 = 0x9fa0;
    const DEVPTS_SUPER_MAGIC: i64 = 0x1cd1;
    const BTRFS_SUPER_MAGIC: i64 = 0x9123_683e;
    const OVERLAYFS_SUPER_MAGIC: i64 = 0x794c_7630;
    let fs = rustix::fs::statfs(path).ok()?;
    match fs.f_type as i64 {
        TMPFS_MAGIC
        | PROC_SUPER_MAGIC
        | DEVPTS_SUPER_MAGIC
        | BTRFS_SUPER_MAGIC
        | OVERLAYFS_SUPER_MAGIC => None,
        _ => std::fs::metadata(path).ok().map(|m| m.ino()),
    }
}

impl FilterNames for SystemNames {
    fn getservbyname(&mut self, name: &[u8], proto: &str) -> (Option<u16>, Option<u16>) {
        self.resolver.getservbyname(name, proto)
    }

    fn user_uid(&mut self, name: &[u8]) -> Option<u32> {
        self.resolver.user_uid(name)
    }

    fn host_addrs(&mut self, name: &[u8], af: u8) -> Vec<Vec<u8>> {
        self.resolver.host_addrs(name, af)
    }

    fn link_index(&mut self, name: &[u8]) -> Result<u32, String> {
        if self.links.is_none() {
            let map = crate::links::LinkMap::dump().map_err(|e| format!("{e}\n"))?;
            self.links = Some(map);
        }
        Ok(self.links.as_ref().and_then(|m| m.index(name)).unwrap_or(0))
    }

    fn netlink_proto(&mut self, name: &[u8]) -> Option<u8> {
        if self.nl_protos.is_none() {
            let mut tab: Vec<(u8, Vec<u8>)> = NL_PROTOS
                .iter()
                .map(|&(n, s)| (n, s.as_bytes().to_vec()))
                .collect();
            // rtnl_tab_initialize: "NUMBER NAME" lines, '#' comments; later entries win.
            if let Ok(data) = std::fs::read(&self.nl_protos_file) {
                for line in data.split(|&b| b == b'\n') {
                    let mut f = line
                        .split(|&b| b == b' ' || b == b'\t')
                        .filter(|w| !w.is_empty());
                    let (Some(id), Some(n)) = (f.next(), f.next()) else {
                        continue;
                    };
                    if id.first() == Some(&b'#') {
                        continue;
                    }
                    let (v, used, _) = strtol(id, 0);
                    if used != id.len() || !(0..256).contains(&v) {
                        continue;
                    }
                    tab.retain(|(k, _)| i64::from(*k) != v);
                    tab.push((v as u8, n.to_vec()));
                }
            }
            tab.sort_by_key(|(k, _)| *k);
            self.nl_protos = Some(tab);
        }
        self.nl_protos
            .as_ref()?
            .iter()
            .find(|(_, n)| n == name)
            .map(|(k, _)| *k)
    }

    fn cgroup_id(&mut self, path: &[u8]) -> Result<u64, String> {
        use std::os::unix::ffi::OsStrExt;
        use std::os::unix::fs::MetadataExt;
        if let Some(id) = file_handle_id(Path::new(std::ffi::OsStr::from_bytes(path))) {
            return Ok(id);
        }
        let rel = {
            let mut r = path;
            while let Some(rest) = r.strip_prefix(b"/") {
                r = rest;
            }
            r
        };
        if rel.is_empty() {
            return Err("Invalid cgroup2 path\n".into());
        }
        let mnt = self.cgroup2_mount()?;
        if std::fs::metadata(&mnt).is_err() {
            return Err("Failed to open cgroup2 mount\n".into());
        }
        let full = mnt.join(std::ffi::OsStr::from_bytes(rel));
        match std::fs::metadata(&full) {
            Ok(m) => Ok(m.ino()),
            Err(e) => Err(format!(
                "Failed to get cgroup2 ID: {}\n",
                sockscope_netlink::Errno::from_io(&e)
            )),
        }
    }

    fn cgroup_filter_supported(&mut self) -> bool {
        *self.cgroup_supported.get_or_insert_with(cgroup_probe)
    }
}

/// ss's `cgroup_filter_check`: an AF_INET/TCP dump (no states) with the bytecode
/// `{CGROUP_COND, 12, 16} + u64 0`; unsupported only if the kernel answers EINVAL.
fn cgroup_probe() -> bool {
    use sockscope_netlink::request::{inet_diag_v2, InetRequest};
    use sockscope_netlink::{DumpError, NlSocket, RecvBuffer};
    let Ok(sock) = NlSocket::sock_diag() else {
        return false;
    };
    let mut bc = vec![13u8, 12, 16, 0];
    bc.extend_from_slice(&0u64.to_ne_bytes());
    let mut req = Vec::new();
    let seq = 123456;
    inet_diag_v2(
        &mut req,
        seq,
        &InetRequest {
            family: family::INET,
            protocol: 6,
            ext: 0,
            states: 0,
            bytecode: Some(&bc),
        },
    );
    if sock.send(&req).is_err() {
        return false;
    }
    let mut rb = RecvBuffer::new();
    match sock.dump(&mut rb, seq, |_, _| std::ops::ControlFlow::Continue(())) {
        Ok(_) => true,
        Err(DumpError::Error { errno, .. } | DumpError::Done { errno, .. }) => {
            errno != libc::EINVAL
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_numbers() {
        assert_eq!(get_integer(b"22"), Some(22));
        assert_eq!(get_integer(b"0x16"), Some(22));
        assert_eq!(get_integer(b"026"), Some(22));
        assert_eq!(get_integer(b" 22"), Some(22));
        assert_eq!(get_integer(b"-1"), Some(-1));
        assert_eq!(get_integer(b"22 "), None);
        assert_eq!(get_integer(b""), None);
        assert_eq!(get_integer(b"0x"), None);
        assert_eq!(get_integer(b"08"), None);
        assert_eq!(get_integer(b"2147483648"), None);
        assert_eq!(get_integer(b"99999999999999999999"), None);
        assert_eq!(get_u32(b"4294967295"), Some(u32::MAX));
        assert_eq!(get_u32(b"4294967296"), None);
        assert_eq!(get_u32(b"-1"), None);
        assert_eq!(get_u32(b"0"), Some(0));
        assert_eq!(strtoul(b"0x", 0), (0, 1, false));
        assert_eq!(strtol(b"-9223372036854775808", 10), (i64::MIN, 20, false));
        assert!(strtol(b"-9223372036854775809", 10).2);
    }

    #[test]
    fn prefixes() {
        let p =
            |s: &str, f: u8| get_prefix_1(s.as_bytes(), f).map(|p| (p.family, p.bitlen, p.data));
        let v4 = |a: [u8; 4]| {
            let mut d = [0; 16];
            d[..4].copy_from_slice(&a);
            d
        };
        assert_eq!(p("127.0.0.1", 0), Some((2, 32, v4([127, 0, 0, 1]))));
        assert_eq!(p("193.233.7", 0), Some((2, 32, v4([193, 233, 7, 0]))));
        assert_eq!(p("0x7f.1", 0), Some((2, 32, v4([127, 1, 0, 0]))));
        assert_eq!(p("10.9.8.0/24", 0), Some((2, 24, v4([10, 9, 8, 0]))));
        assert_eq!(
            p("10.0.0.0/255.255.0.0", 0),
            Some((2, 16, v4([10, 0, 0, 0])))
        );
        assert_eq!(p("10.0.0.0/0x10", 0), Some((2, 16, v4([10, 0, 0, 0]))));
        assert_eq!(p("10.0.0.0/33", 0), None);
        assert_eq!(p("10.0.0.0/255.0.255.0", 0), None);
        assert_eq!(p("1.2.3.256", 0), None);
        assert_eq!(p("1.2.3.4.5", 0), None);
        assert_eq!(p("::1", 0).map(|x| x.1), Some(128));
        assert_eq!(p("::1", 2), None);
        assert_eq!(p("1.2.3.4", 10), None);
        assert_eq!(p("any", 0), Some((0, 0, [0; 16])));
        assert_eq!(p("default", 10), Some((10, 0, [0; 16])));
        assert_eq!(p("all/8", 0), None);
        assert_eq!(p("fe80::/10", 0).map(|x| x.1), Some(10));
    }

    #[test]
    fn aton() {
        assert_eq!(inet_aton_exact(b"2130706433"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton_exact(b"127.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton_exact(b"127.65536"), Some([127, 1, 0, 0]));
        assert_eq!(inet_aton_exact(b"127.0.1"), Some([127, 0, 0, 1]));
        assert_eq!(inet_aton_exact(b"1.2.3.4"), Some([1, 2, 3, 4]));
        assert_eq!(inet_aton_exact(b"1.2.3.256"), None);
        assert_eq!(inet_aton_exact(b"256.1"), None);
        assert_eq!(inet_aton_exact(b"1.16777216"), None);
        assert_eq!(inet_aton_exact(b"4294967296"), None);
        assert_eq!(inet_aton_exact(b"1..2"), None);
    }

    #[test]
    fn marks() {
        assert_eq!(parse_markmask(b"0x20"), Ok((0x20, 0xffff_ffff)));
        assert_eq!(parse_markmask(b"0x20/0xff"), Ok((0x20, 0xff)));
        assert_eq!(parse_markmask(b"32xyz"), Ok((32, 0xffff_ffff)));
        assert_eq!(parse_markmask(b"010/0"), Ok((8, 0)));
        assert_eq!(parse_markmask(b"0xffffffff"), Ok((u32::MAX, u32::MAX)));
        assert_eq!(parse_markmask(b"-1"), Ok((u32::MAX, u32::MAX)));
        assert_eq!(
            parse_markmask(b"x"),
            Err(FilterError::exit(1, "Cannot parse mark x.\n"))
        );
        assert!(parse_markmask(b"1x/2").is_err());
        assert!(parse_markmask(b"1/").is_err());
    }

    #[test]
    fn link_protocols() {
        assert_eq!(ll_proto_a2n(b"IP"), Some(0x800));
        assert_eq!(ll_proto_a2n(b"all"), Some(3));
        assert_eq!(ll_proto_a2n(b"802.1q"), Some(0x8100));
        assert_eq!(ll_proto_a2n(b"0x88cc"), Some(0x88cc));
        assert_eq!(ll_proto_a2n(b"65536"), None);
        assert_eq!(ll_proto_a2n(b"nope"), None);
    }
}
