//! The `/etc/iproute2` name databases and iproute2 6.1's rules for them (lib/rt_names.c,
//! ip/rtm_map.c): route protocols, scopes, realms, DS fields, tables and link groups, plus
//! the route type names.
//!
//! The files are read once by [`IpNames::load`] (this crate does the I/O; printers get the
//! result). Two iproute2 behaviours are kept on purpose:
//! * protocols, scopes, realms and DS fields have built-in names; the files are read only the
//!   first time a lookup misses the built-ins (or a name is parsed), and from then on the file
//!   entries replace the built-ins. So `0` prints `unknown` as a realm until some realm number
//!   without a built-in name has been printed, and `cosmos` (Debian's rt_realms) afterwards.
//!   The "files read" state is a `Cell` here.
//! * tables and groups are hash chains: later file lines for the same id shadow earlier ones
//!   and the built-ins (`local`, `main`, `default`; group `default`), and name lookups walk
//!   the buckets in order.
//!
//! Lines are parsed like `fread_id_name`: leading blanks skipped, `#` comments and empty lines
//! ignored, then `0x%x %s` or `%d %s`; a line matching neither ends the file (iproute2 prints
//! "Database ... is corrupted" and stops reading it).

use std::cell::Cell;
use std::path::{Path, PathBuf};

/// A 256-slot table with built-in names and lazily merged file entries.
#[derive(Clone, Debug)]
struct LazyTab {
    builtin: Vec<Option<Box<[u8]>>>,
    merged: Vec<Option<Box<[u8]>>>,
    loaded: Cell<bool>,
}

impl LazyTab {
    fn new(builtin: &[(usize, &str)], file_entries: &[(i64, Vec<u8>)]) -> LazyTab {
        let mut b: Vec<Option<Box<[u8]>>> = vec![None; 256];
        for &(i, n) in builtin {
            b[i] = Some(n.as_bytes().into());
        }
        let mut merged = b.clone();
        for (id, name) in file_entries {
            // rtnl_tab_initialize: `if (id < 0 || id > size) continue;` (256 itself would be
            // out of bounds in C; ignored here).
            if (0..256).contains(id) {
                merged[*id as usize] = Some(name.as_slice().into());
            }
        }
        LazyTab {
            builtin: b,
            merged,
            loaded: Cell::new(false),
        }
    }

    /// The name of `id` (< 256) with the lazy-load rule.
    fn get(&self, id: usize) -> Option<&[u8]> {
        if !self.loaded.get() {
            if let Some(Some(n)) = self.builtin.get(id) {
                return Some(n);
            }
            self.loaded.set(true);
        }
        self.merged.get(id).and_then(|n| n.as_deref())
    }

    /// Name → id over the loaded table (the a2n functions load the files first).
    fn find(&self, name: &[u8]) -> Option<u32> {
        self.loaded.set(true);
        self.merged
            .iter()
            .position(|n| n.as_deref() == Some(name))
            .map(|i| i as u32)
    }
}

/// A 256-bucket hash of (id, name) entries; newest first within a bucket.
#[derive(Clone, Debug)]
struct HashTab {
    buckets: Vec<Vec<(u32, Box<[u8]>)>>,
}

impl HashTab {
    fn new(builtin: &[(u32, &str)], files: &[Vec<(i64, Vec<u8>)>]) -> HashTab {
        let mut buckets: Vec<Vec<(u32, Box<[u8]>)>> = vec![Vec::new(); 256];
        for &(id, n) in builtin {
            buckets[(id & 255) as usize].push((id, n.as_bytes().into()));
        }
        for file in files {
            for (id, name) in file {
                if *id < 0 {
                    continue;
                }
                let id = *id as u32;
                buckets[(id & 255) as usize].insert(0, (id, name.as_slice().into()));
            }
        }
        HashTab { buckets }
    }

    /// Hashed lookup (rt_tables).
    fn get_hashed(&self, id: u32) -> Option<&[u8]> {
        self.buckets[(id & 255) as usize]
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| &n[..])
    }

    /// Walk of every bucket (rtnl_group_n2a).
    fn get_walk(&self, id: u32) -> Option<&[u8]> {
        self.buckets
            .iter()
            .flat_map(|b| b.iter())
            .find(|(i, _)| *i == id)
            .map(|(_, n)| &n[..])
    }

    fn find(&self, name: &[u8]) -> Option<u32> {
        self.buckets
            .iter()
            .flat_map(|b| b.iter())
            .find(|(_, n)| &n[..] == name)
            .map(|(i, _)| *i)
    }
}

/// Writes `v` in decimal into `buf` and returns it (the numeric fallbacks).
fn num(buf: &mut [u8; 24], v: i64) -> &[u8] {
    let mut i = buf.len();
    let mut x = v.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (x % 10) as u8;
        x /= 10;
        if x == 0 {
            break;
        }
    }
    if v < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// Where the databases live (iproute2 6.1's CONFDIR).
#[derive(Clone, Debug)]
pub struct NamesConfig {
    pub dir: PathBuf,
}

impl Default for NamesConfig {
    fn default() -> Self {
        NamesConfig {
            dir: PathBuf::from("/etc/iproute2"),
        }
    }
}

/// The loaded databases.
#[derive(Clone, Debug)]
pub struct IpNames {
    /// `-N` / `-Numeric`: every name lookup prints the number.
    pub numeric: bool,
    protos: LazyTab,
    scopes: LazyTab,
    realms: LazyTab,
    dsfield: LazyTab,
    tables: HashTab,
    groups: HashTab,
}

const BUILTIN_PROTOS: &[(usize, &str)] = &[
    (0, "unspec"),
    (1, "redirect"),
    (2, "kernel"),
    (3, "boot"),
    (4, "static"),
    (8, "gated"),
    (9, "ra"),
    (10, "mrt"),
    (11, "zebra"),
    (12, "bird"),
    (42, "babel"),
    (13, "dnrouted"),
    (14, "xorp"),
    (15, "ntk"),
    (16, "dhcp"),
    (18, "keepalived"),
    (186, "bgp"),
    (187, "isis"),
    (188, "ospf"),
    (189, "rip"),
    (192, "eigrp"),
];

const BUILTIN_SCOPES: &[(usize, &str)] = &[
    (0, "global"),
    (255, "nowhere"),
    (254, "host"),
    (253, "link"),
    (200, "site"),
];

/// Parses one database file into (id, name) entries with `fread_id_name` rules.
pub fn parse_db(text: &[u8]) -> Vec<(i64, Vec<u8>)> {
    let mut out = Vec::new();
    for raw in text.split(|&b| b == b'\n') {
        let mut p = raw;
        while let Some((&c, rest)) = p.split_first() {
            if c != b' ' && c != b'\t' {
                break;
            }
            p = rest;
        }
        if p.is_empty() || p[0] == b'#' {
            continue;
        }
        match parse_id_name(p) {
            Some(e) => out.push(e),
            None => break,
        }
    }
    out
}

fn skip_ws(s: &[u8]) -> &[u8] {
    let n = s.iter().take_while(|c| c.is_ascii_whitespace()).count();
    &s[n..]
}

/// `sscanf(p, "0x%x %s")` then `sscanf(p, "%d %s")`.
fn parse_id_name(p: &[u8]) -> Option<(i64, Vec<u8>)> {
    let word = |s: &[u8]| -> Option<Vec<u8>> {
        let s = skip_ws(s);
        let n = s.iter().take_while(|c| !c.is_ascii_whitespace()).count();
        (n > 0).then(|| s[..n].to_vec())
    };
    if let Some(rest) = p.strip_prefix(b"0x") {
        if let Some((v, after)) = scan_int(rest, 16) {
            if let Some(name) = word(after) {
                return Some((v as i32 as i64, name));
            }
        }
    }
    let (v, after) = scan_int(p, 10)?;
    let name = word(after)?;
    Some((v as i32 as i64, name))
}

/// scanf `%x`/`%d`: optional white space, sign, (`0x` for base 16) and at least one digit.
fn scan_int(s: &[u8], base: u32) -> Option<(i64, &[u8])> {
    let mut s = skip_ws(s);
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = rest;
        }
    }
    if base == 16 && s.len() >= 2 && s[0] == b'0' && (s[1] | 0x20) == b'x' && s.len() > 2 {
        s = &s[2..];
    }
    let n = s
        .iter()
        .take_while(|c| (*c).is_ascii_digit() || (base == 16 && c.is_ascii_hexdigit()))
        .count();
    if n == 0 {
        return None;
    }
    let mut v: i64 = 0;
    for &c in &s[..n] {
        let d = (c as char).to_digit(base).unwrap_or(0) as i64;
        v = v.wrapping_mul(i64::from(base)).wrapping_add(d);
    }
    Some((if neg { v.wrapping_neg() } else { v }, &s[n..]))
}

/// The `*.conf` files of a `.d` directory in `readdir` order (iproute2 reads them that way).
fn conf_dir(dir: &Path) -> Vec<Vec<u8>> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let name = e.file_name();
        let n = name.as_encoded_bytes();
        if n.first() == Some(&b'.') || n.len() <= 5 || !n.ends_with(b".conf") {
            continue;
        }
        if let Ok(t) = std::fs::read(e.path()) {
            out.push(t);
        }
    }
    out
}

impl IpNames {
    /// Reads every database under `cfg.dir` (missing files are empty).
    pub fn load(cfg: &NamesConfig, numeric: bool) -> IpNames {
        let read = |f: &str| std::fs::read(cfg.dir.join(f)).unwrap_or_default();
        let mut protos = parse_db(&read("rt_protos"));
        for t in conf_dir(&cfg.dir.join("rt_protos.d")) {
            protos.extend(parse_db(&t));
        }
        let mut table_files = vec![parse_db(&read("rt_tables"))];
        for t in conf_dir(&cfg.dir.join("rt_tables.d")) {
            table_files.push(parse_db(&t));
        }
        IpNames::from_entries(
            numeric,
            &protos,
            &parse_db(&read("rt_scopes")),
            &parse_db(&read("rt_realms")),
            &parse_db(&read("rt_dsfield")),
            &table_files,
            &parse_db(&read("group")),
        )
    }

    /// Builds the databases from parsed entries (for tests and for callers that read the
    /// files themselves).
    pub fn from_entries(
        numeric: bool,
        protos: &[(i64, Vec<u8>)],
        scopes: &[(i64, Vec<u8>)],
        realms: &[(i64, Vec<u8>)],
        dsfield: &[(i64, Vec<u8>)],
        tables: &[Vec<(i64, Vec<u8>)>],
        groups: &[(i64, Vec<u8>)],
    ) -> IpNames {
        IpNames {
            numeric,
            protos: LazyTab::new(BUILTIN_PROTOS, protos),
            scopes: LazyTab::new(BUILTIN_SCOPES, scopes),
            realms: LazyTab::new(&[(0, "unknown")], realms),
            dsfield: LazyTab::new(&[(0, "0")], dsfield),
            tables: HashTab::new(&[(253, "default"), (254, "main"), (255, "local")], tables),
            groups: HashTab::new(&[(0, "default")], std::slice::from_ref(&groups.to_vec())),
        }
    }

    /// No files at all (built-in names only).
    pub fn builtin(numeric: bool) -> IpNames {
        IpNames::from_entries(numeric, &[], &[], &[], &[], &[], &[])
    }

    /// `rtnl_rtprot_n2a`: name or `%u`.
    pub fn protocol<'a>(&'a self, id: u8, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if !self.numeric {
            if let Some(n) = self.protos.get(id as usize) {
                return n;
            }
        }
        num(buf, i64::from(id))
    }

    /// `rtnl_rtscope_n2a`: name or `%d`.
    pub fn scope<'a>(&'a self, id: u8, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if !self.numeric {
            if let Some(n) = self.scopes.get(id as usize) {
                return n;
            }
        }
        num(buf, i64::from(id))
    }

    /// `rtnl_rtrealm_n2a` (ids ≥ 256 print as numbers).
    pub fn realm<'a>(&'a self, id: u32, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if id < 256 && !self.numeric {
            if let Some(n) = self.realms.get(id as usize) {
                return n;
            }
        }
        num(buf, i64::from(id))
    }

    /// `rtnl_dsfield_n2a`: the name (not with `-N`), else `0x%02x`.
    pub fn dsfield<'a>(&'a self, id: u8, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if !self.numeric {
            if let Some(n) = self.dsfield.get(id as usize) {
                return n;
            }
        }
        const HEX: &[u8; 16] = b"0123456789abcdef";
        buf[..4].copy_from_slice(&[b'0', b'x', HEX[(id >> 4) as usize], HEX[(id & 15) as usize]]);
        &buf[..4]
    }

    /// `rtnl_rttable_n2a`: name or `%u`.
    pub fn table<'a>(&'a self, id: u32, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if !self.numeric {
            if let Some(n) = self.tables.get_hashed(id) {
                return n;
            }
        }
        num(buf, i64::from(id))
    }

    /// `rtnl_group_n2a`: name or `%d`.
    pub fn group<'a>(&'a self, id: i32, buf: &'a mut [u8; 24]) -> &'a [u8] {
        if !self.numeric && id >= 0 {
            if let Some(n) = self.groups.get_walk(id as u32) {
                return n;
            }
        }
        num(buf, i64::from(id))
    }

    /// `rtnl_rttable_a2n`: a name, or a number up to 2^32-1 (any base strtoul accepts).
    pub fn table_id(&self, arg: &[u8]) -> Option<u32> {
        if let Some(id) = self.tables.find(arg) {
            return Some(id);
        }
        let v = c_strtoul(arg, 0)?;
        u32::try_from(v).ok()
    }

    /// `rtnl_rtprot_a2n`: a name or a number ≤ 255.
    pub fn protocol_id(&self, arg: &[u8]) -> Option<u8> {
        if let Some(id) = self.protos.find(arg) {
            return Some(id as u8);
        }
        u8::try_from(c_strtoul(arg, 0)?).ok()
    }

    /// `rtnl_rtscope_a2n`.
    pub fn scope_id(&self, arg: &[u8]) -> Option<u8> {
        if let Some(id) = self.scopes.find(arg) {
            return Some(id as u8);
        }
        u8::try_from(c_strtoul(arg, 0)?).ok()
    }

    /// `rtnl_rtrealm_a2n`.
    pub fn realm_id(&self, arg: &[u8]) -> Option<u32> {
        if let Some(id) = self.realms.find(arg) {
            return Some(id);
        }
        let v = c_strtoul(arg, 0)?;
        (v <= 255).then_some(v as u32)
    }

    /// `rtnl_dsfield_a2n`: a name or a hex number ≤ 255 (base 16, `0x` optional).
    pub fn dsfield_id(&self, arg: &[u8]) -> Option<u8> {
        if let Some(id) = self.dsfield.find(arg) {
            return Some(id as u8);
        }
        u8::try_from(c_strtoul(arg, 16)?).ok()
    }

    /// `rtnl_group_a2n`: a name or a non-negative number (strtol, any base).
    pub fn group_id(&self, arg: &[u8]) -> Option<i32> {
        if let Some(id) = self.groups.find(arg) {
            return Some(id as i32);
        }
        let v = c_strtol(arg, 0)?;
        (v >= 0).then_some(v as i32)
    }
}

/// Route type names (`rtnl_rtntype_n2a`); `None` = print the number.
pub fn rtntype_name(t: u8) -> Option<&'static str> {
    Some(match t {
        0 => "none",
        1 => "unicast",
        2 => "local",
        3 => "broadcast",
        4 => "anycast",
        5 => "multicast",
        6 => "blackhole",
        7 => "unreachable",
        8 => "prohibit",
        9 => "throw",
        10 => "nat",
        11 => "xresolve",
        _ => return None,
    })
}

/// `rtnl_rtntype_a2n`: exact `local`/`nat`/`throw`, prefixes of the others, or a number ≤ 255.
pub fn rtntype_id(arg: &[u8]) -> Option<u8> {
    let m = |full: &str| crate::rtnl::names::matches(arg, full.as_bytes());
    Some(if arg == b"local" {
        2
    } else if arg == b"nat" {
        10
    } else if m("broadcast") || arg == b"brd" {
        3
    } else if m("anycast") {
        4
    } else if m("multicast") {
        5
    } else if m("prohibit") {
        8
    } else if m("unreachable") {
        7
    } else if m("blackhole") {
        6
    } else if m("xresolve") {
        11
    } else if m("unicast") {
        1
    } else if arg == b"throw" {
        9
    } else {
        return u8::try_from(c_strtoul(arg, 0)?).ok();
    })
}

/// iproute2 `matches(prefix, string)` as a bool: `prefix` is a non-empty prefix of `string`.
pub fn matches(prefix: &[u8], string: &[u8]) -> bool {
    !prefix.is_empty() && string.starts_with(prefix)
}

/// C `strtoul(arg, &end, base)` that must consume the whole (non-empty) argument: optional
/// leading white space and sign (a minus negates modulo 2^64, as C does), base 0 detects
/// `0x` (hex) and a leading `0` (octal). `None` on no digits, trailing garbage or overflow.
pub fn c_strtoul(arg: &[u8], base: u32) -> Option<u64> {
    let mut s = skip_ws(arg);
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first() {
        if c == b'-' || c == b'+' {
            neg = c == b'-';
            s = rest;
        }
    }
    let mut base = base;
    let has_0x = s.len() > 2 && s[0] == b'0' && (s[1] | 0x20) == b'x' && s[2].is_ascii_hexdigit();
    if (base == 0 || base == 16) && has_0x {
        s = &s[2..];
        base = 16;
    } else if base == 0 {
        base = if s.first() == Some(&b'0') { 8 } else { 10 };
    }
    if s.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s {
        let d = (c as char).to_digit(base)?;
        v = v.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// C `strtol` with the same whole-argument rule (range of a 64-bit long).
pub fn c_strtol(arg: &[u8], base: u32) -> Option<i64> {
    let t = skip_ws(arg);
    let (neg, digits) = match t.split_first() {
        Some((b'-', r)) => (true, r),
        Some((b'+', r)) => (false, r),
        _ => (false, t),
    };
    if digits.first().is_some_and(|c| *c == b'-' || *c == b'+') {
        return None;
    }
    let v = c_strtoul(digits, base)?;
    if neg {
        (v <= 1u64 << 63).then(|| (v as i64).wrapping_neg())
    } else {
        i64::try_from(v).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(v: &[(i64, &str)]) -> Vec<(i64, Vec<u8>)> {
        v.iter().map(|(i, n)| (*i, n.as_bytes().to_vec())).collect()
    }

    #[test]
    fn db_line_rules() {
        let t = b"# comment\n  \n\t255\tlocal\n0x10 hex # trailing\n0X11 odd\n5x\n6\n7 after\n";
        // "5x" is (5, "x") as sscanf reads it; "6" has no name: the file ends there.
        let v = parse_db(t);
        assert_eq!(v, e(&[(255, "local"), (16, "hex"), (0, "X11"), (5, "x")]));
        assert_eq!(
            parse_db(b"-1 neg\n12 twelve"),
            e(&[(-1, "neg"), (12, "twelve")])
        );
    }

    #[test]
    fn lazy_realm_and_protocol() {
        let n = IpNames::from_entries(
            false,
            &e(&[(2, "kernel-x"), (99, "openr")]),
            &[],
            &e(&[(0, "cosmos")]),
            &[],
            &[],
            &[],
        );
        let mut b = [0u8; 24];
        assert_eq!(n.realm(0, &mut b), b"unknown");
        assert_eq!(
            n.protocol(2, &mut b),
            b"kernel",
            "built-in before the files are read"
        );
        assert_eq!(n.realm(7, &mut b), b"7");
        assert_eq!(n.realm(0, &mut b), b"cosmos", "files read after the miss");
        assert_eq!(n.protocol(99, &mut b), b"openr");
        assert_eq!(n.protocol(2, &mut b), b"kernel-x");
        assert_eq!(n.protocol(250, &mut b), b"250");
        let n = IpNames::builtin(true);
        assert_eq!(n.protocol(2, &mut b), b"2");
        assert_eq!(n.scope(253, &mut b), b"253");
        assert_eq!(n.dsfield(0x10, &mut b), b"0x10");
    }

    #[test]
    fn tables_and_groups() {
        let n = IpNames::from_entries(
            false,
            &[],
            &[],
            &[],
            &e(&[(0x28, "AF11")]),
            &[
                e(&[(255, "local"), (100, "hundred"), (100, "cent")]),
                e(&[(356, "big")]),
            ],
            &e(&[(0, "default"), (5, "five")]),
        );
        let mut b = [0u8; 24];
        assert_eq!(n.table(100, &mut b), b"cent", "later line shadows");
        assert_eq!(n.table(254, &mut b), b"main");
        assert_eq!(n.table(356, &mut b), b"big");
        assert_eq!(n.table(7, &mut b), b"7");
        assert_eq!(n.table_id(b"hundred"), Some(100));
        assert_eq!(n.table_id(b"main"), Some(254));
        assert_eq!(n.table_id(b"0x10"), Some(16));
        assert_eq!(n.table_id(b"4294967295"), Some(u32::MAX));
        assert_eq!(n.table_id(b"4294967296"), None);
        assert_eq!(n.table_id(b"nosuch"), None);
        assert_eq!(n.table_id(b"-1"), None);
        assert_eq!(n.group(5, &mut b), b"five");
        assert_eq!(n.group(6, &mut b), b"6");
        assert_eq!(n.group_id(b"five"), Some(5));
        assert_eq!(n.group_id(b"-3"), None);
        assert_eq!(n.dsfield(0x28, &mut b), b"AF11");
        assert_eq!(n.dsfield(0x10, &mut b), b"0x10");
        assert_eq!(n.dsfield_id(b"10"), Some(16));
        assert_eq!(n.dsfield_id(b"AF11"), Some(0x28));
        assert_eq!(n.scope_id(b"link"), Some(253));
        assert_eq!(n.protocol_id(b"static"), Some(4));
        assert_eq!(n.protocol_id(b"256"), None);
        assert_eq!(n.realm_id(b"unknown"), Some(0));
    }

    #[test]
    fn route_types_and_numbers() {
        assert_eq!(rtntype_name(7), Some("unreachable"));
        assert_eq!(rtntype_name(12), None);
        assert_eq!(rtntype_id(b"unr"), Some(7));
        assert_eq!(
            rtntype_id(b"u"),
            Some(7),
            "unreachable is tried before unicast"
        );
        assert_eq!(rtntype_id(b"uni"), Some(1));
        assert_eq!(rtntype_id(b"loc"), None, "local must be exact");
        assert_eq!(rtntype_id(b"b"), Some(3));
        assert_eq!(rtntype_id(b"bl"), Some(6));
        assert_eq!(rtntype_id(b"9"), Some(9));
        assert_eq!(c_strtoul(b"010", 0), Some(8));
        assert_eq!(c_strtoul(b"0x", 0), None);
        assert_eq!(c_strtoul(b" 12", 10), Some(12));
        assert_eq!(c_strtoul(b"12 ", 10), None);
        assert_eq!(c_strtoul(b"-1", 10), Some(u64::MAX));
        assert_eq!(c_strtol(b"-5", 0), Some(-5));
        assert!(matches(b"sh", b"show") && !matches(b"", b"show") && !matches(b"shows", b"show"));
    }
}
