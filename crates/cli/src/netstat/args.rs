//! netstat's command line, parsed as net-tools 2.10 parses it: glibc `getopt_long` over the
//! table of [`super::options`] (argument permutation, clustered short options, long options
//! abbreviated to a prefix with glibc's ambiguity rule, `POSIXLY_CORRECT`), each option acted
//! on in command-line order (`-V` exits at once, an unknown family stops the run), then the
//! derived flags of netstat.c `main` (spec 1.1, 1.2).
//!
//! The forms of the other platforms' netstat that do not collide with a Linux meaning are
//! recognised on top (spec 3; documented in the man page):
//! * a trailing number (the last word, an operand): repeat every N seconds (Windows, BSD);
//! * `-p PROTO` — `-p` as the last letter of its word, followed by a protocol word — selects
//!   a protocol instead of the program column (Windows `-p proto`, BSD `-p protocol`);
//! * `-f inet|inet6|unix` — `-f` last in its word, followed by one of these — selects a family
//!   (BSD); any other `-f` is still Bluetooth RFCOMM as in 2.10;
//! * `-b` = `-p` (Windows); `/?` = `-h` (Windows; `-?` keeps 2.10's meaning, the usage on
//!   stderr with status 3).

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use super::options::{Val, AFTRANS_CNT, LONG_OPTIONS, SHORT_OPTIONS};
use super::usage::{AF_LIST, USAGE, VERSION};
use crate::exit::Exit;
use crate::getopt::GetoptError;

/// The per-family flags of lib/af.c (`flag_unx`, `flag_inet`, ...).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Families {
    pub unix: u32,
    pub ipx: u32,
    pub ax25: u32,
    pub ddp: u32,
    pub netrom: u32,
    pub inet: u32,
    pub inet6: u32,
    pub econet: u32,
    pub rose: u32,
    pub x25: u32,
    pub ash: u32,
    pub bluetooth: u32,
}

/// Everything netstat's `main` knows after option parsing and the derived-flag rules.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetstatArgs {
    pub interfaces: u32,
    pub route: u32,
    pub masquerade: u32,
    pub statistics: u32,
    pub all: u32,
    pub listening: u32,
    pub continuous: u32,
    pub groups: u32,
    /// Number of `-e` (netstat's `flag_exp` is this + 1).
    pub extend: u32,
    pub programs: u32,
    pub wide: u32,
    pub timers: u32,
    pub verbose: bool,
    pub numeric_hosts: bool,
    pub numeric_ports: bool,
    pub numeric_users: bool,
    /// `-N` (only makes `-r` numeric in 2.10).
    pub symbolic: bool,
    pub cache: bool,
    pub fib: bool,
    pub tcp: u32,
    pub sctp: u32,
    pub udp: u32,
    pub udplite: u32,
    pub raw: u32,
    pub l2cap: u32,
    pub rfcomm: u32,
    /// The family list (`afname`): comma-joined names in order, duplicates kept.
    pub afname: String,
    pub families: Families,
    /// "no explicit protocol": protocols were switched on by rule 1.
    pub noprot: bool,
    /// `flag_arg`: the number of selected socket kinds/families.
    pub arg_count: u32,
    /// sockscope: `--json`.
    pub json: bool,
    /// sockscope (Windows/BSD): a trailing number, seconds between rounds.
    pub interval: Option<u32>,
    /// stderr text netstat writes while parsing and then carries on (`--tcpip`, "Too much
    /// address family arguments.").
    pub notes: Vec<u8>,
}

impl NetstatArgs {
    /// `-i`, `-r`, `-M`, `-s` together.
    fn mode_count(&self) -> u32 {
        self.interfaces + self.route + self.masquerade + self.statistics
    }

    /// netstat's `flag_exp`.
    pub fn flag_exp(&self) -> u32 {
        1 + self.extend
    }

    /// Repeat the listing (`-c`, or a trailing interval).
    pub fn repeat(&self) -> bool {
        self.continuous > 0 || self.interval.is_some()
    }
}

/// lib/af.c `aftrans[]`: option word → family name and flag.
const AFTRANS: [(&str, &str); 16] = [
    ("ax25", "ax25"),
    ("ip", "inet"),
    ("ip6", "inet6"),
    ("ipx", "ipx"),
    ("rose", "rose"),
    ("appletalk", "ddp"),
    ("netrom", "netrom"),
    ("inet", "inet"),
    ("inet6", "inet6"),
    ("ddp", "ddp"),
    ("unix", "unix"),
    ("tcpip", "inet"),
    ("econet", "ec"),
    ("x25", "x25"),
    ("ash", "ash"),
    ("bluetooth", "bluetooth"),
];

/// The usage text on stderr with status 3 (`usage(E_OPTERR)`), after `prefix`.
fn usage_error(prefix: Vec<u8>) -> Exit {
    let mut err = prefix;
    err.extend_from_slice(USAGE.as_bytes());
    err.extend_from_slice(AF_LIST.as_bytes());
    Exit {
        status: 3,
        stdout: Vec::new(),
        stderr: err,
    }
}

/// `-h`: usage on stdout, the family list on stderr, status 0.
pub fn help_exit() -> Exit {
    Exit {
        status: 0,
        stdout: USAGE.as_bytes().to_vec(),
        stderr: AF_LIST.as_bytes().to_vec(),
    }
}

/// Protocol words of Windows (`TCP`, `UDP`, `TCPv6`, `UDPv6`, `IP`, `IPv6`, `ICMP`, `ICMPv6`)
/// and BSD (`tcp`, `udp`, `raw`, `icmp`, `icmp6`, `ip6`, `udplite`, `sctp`): the short options
/// and family they stand for.
fn protocol_word(w: &[u8]) -> Option<(u8, Option<&'static str>)> {
    let lower = w.to_ascii_lowercase();
    Some(match &lower[..] {
        b"tcp" => (b't', None),
        b"udp" => (b'u', None),
        b"tcpv6" | b"tcp6" => (b't', Some("inet6")),
        b"udpv6" | b"udp6" => (b'u', Some("inet6")),
        b"raw" => (b'w', None),
        b"ip" | b"icmp" => (b'w', Some("inet")),
        b"ipv6" | b"ip6" | b"icmpv6" | b"icmp6" => (b'w', Some("inet6")),
        b"udplite" => (b'U', None),
        b"sctp" => (b'S', None),
        _ => return None,
    })
}

/// BSD `-f` family words.
fn family_word(w: &[u8]) -> Option<&'static str> {
    match w {
        b"inet" => Some("inet"),
        b"inet6" => Some("inet6"),
        b"unix" => Some("unix"),
        _ => None,
    }
}

struct Parser {
    a: NetstatArgs,
    /// Operands in order (non-option words).
    operands: Vec<Vec<u8>>,
}

impl Parser {
    /// lib/af.c `aftrans_opt`: adds each comma-separated family; unknown → exit 1.
    fn aftrans(&mut self, arg: &[u8]) -> Result<(), Exit> {
        let arg = &arg[..arg.len().min(255)];
        for tok in arg.split(|&b| b == b',') {
            let Some(&(_, name)) = AFTRANS.iter().find(|(alias, _)| alias.as_bytes() == tok) else {
                let mut m = b"Unknown address family `".to_vec();
                m.extend_from_slice(tok);
                m.extend_from_slice(b"'.\n");
                return Err(Exit {
                    status: 1,
                    stdout: Vec::new(),
                    stderr: std::mem::take(&mut self.a.notes)
                        .into_iter()
                        .chain(m)
                        .collect(),
                });
            };
            if name.len() + self.a.afname.len() + 1 >= 256 {
                self.a
                    .notes
                    .extend_from_slice(b"Too much address family arguments.\n");
                return Ok(());
            }
            let f = &mut self.a.families;
            match name {
                "ax25" => f.ax25 += 1,
                "inet" => f.inet += 1,
                "inet6" => f.inet6 += 1,
                "ipx" => f.ipx += 1,
                "rose" => f.rose += 1,
                "ddp" => f.ddp += 1,
                "netrom" => f.netrom += 1,
                "unix" => f.unix += 1,
                "ec" => f.econet += 1,
                "x25" => f.x25 += 1,
                "ash" => f.ash += 1,
                _ => f.bluetooth += 1,
            }
            if !self.a.afname.is_empty() {
                self.a.afname.push(',');
            }
            self.a.afname.push_str(name);
        }
        Ok(())
    }

    /// The `switch (i)` of netstat.c `main` for one option.
    fn act(&mut self, c: u8, optarg: Option<&[u8]>) -> Result<(), Exit> {
        let a = &mut self.a;
        match c {
            b'A' => return self.aftrans(optarg.unwrap_or_default()),
            b'M' => a.masquerade += 1,
            b'a' => a.all += 1,
            b'l' => a.listening += 1,
            b'c' => a.continuous += 1,
            b'd' => {}
            b'g' => a.groups += 1,
            b'e' => a.extend += 1,
            b'p' | b'b' => a.programs += 1,
            b'i' => a.interfaces += 1,
            b'W' => a.wide += 1,
            b'n' => {
                a.numeric_hosts = true;
                a.numeric_ports = true;
                a.numeric_users = true;
            }
            b'!' => a.numeric_hosts = true,
            b'@' => a.numeric_ports = true,
            b'#' => a.numeric_users = true,
            b'N' => a.symbolic = true,
            b'C' => a.cache = true,
            b'F' => a.fib = true,
            b'o' => a.timers += 1,
            b'6' => return self.aftrans(b"inet6"),
            b'4' => return self.aftrans(b"inet"),
            b'V' => {
                return Err(Exit {
                    status: 0,
                    stdout: VERSION.as_bytes().to_vec(),
                    stderr: std::mem::take(&mut a.notes),
                })
            }
            b'v' => a.verbose = true,
            b'r' => a.route += 1,
            b't' => a.tcp += 1,
            b'S' => a.sctp += 1,
            b'u' => a.udp += 1,
            b'U' => a.udplite += 1,
            b'w' => a.raw += 1,
            b'2' => a.l2cap += 1,
            b'f' => a.rfcomm += 1,
            b'x' => return self.aftrans(b"unix"),
            b'Z' => {
                let mut err = std::mem::take(&mut a.notes);
                err.extend_from_slice(b"SELinux is not enabled on this machine.\n");
                return Err(Exit {
                    status: 1,
                    stdout: Vec::new(),
                    stderr: err,
                });
            }
            b'?' => return Err(usage_error(std::mem::take(&mut a.notes))),
            b'h' => {
                let mut e = help_exit();
                let mut err = std::mem::take(&mut a.notes);
                err.append(&mut e.stderr);
                e.stderr = err;
                return Err(e);
            }
            b's' => a.statistics += 1,
            _ => {}
        }
        Ok(())
    }

    fn getopt_error(&mut self, prog: &[u8], e: GetoptError) -> Exit {
        let mut prefix = std::mem::take(&mut self.a.notes);
        prefix.extend_from_slice(&e.message(prog));
        usage_error(prefix)
    }

    /// A `--name[=value]` word (glibc `process_long_option`). Returns how many following
    /// words were consumed as the value.
    fn long(&mut self, prog: &[u8], body: &[u8], next: Option<&[u8]>) -> Result<usize, Exit> {
        let (name, inline) = match body.iter().position(|&b| b == b'=') {
            Some(eq) => (&body[..eq], Some(&body[eq + 1..])),
            None => (body, None),
        };
        let mut found = LONG_OPTIONS.iter().position(|o| o.0.as_bytes() == name);
        if found.is_none() {
            let mut first: Option<usize> = None;
            let mut ambiguous: Vec<usize> = Vec::new();
            for (i, o) in LONG_OPTIONS.iter().enumerate() {
                if !o.0.as_bytes().starts_with(name) {
                    continue;
                }
                match first {
                    None => first = Some(i),
                    Some(f) => {
                        let p = LONG_OPTIONS[f];
                        if p.1 != o.1 || p.2 != o.2 {
                            if ambiguous.is_empty() {
                                ambiguous.push(f);
                            }
                            ambiguous.push(i);
                        }
                    }
                }
            }
            if !ambiguous.is_empty() {
                let e = GetoptError::Ambiguous {
                    given: body.to_vec(),
                    candidates: ambiguous
                        .iter()
                        .map(|&i| LONG_OPTIONS[i].0.to_owned())
                        .collect(),
                };
                return Err(self.getopt_error(prog, e));
            }
            found = first;
        }
        let Some(idx) = found else {
            return Err(self.getopt_error(prog, GetoptError::Unrecognized(body.to_vec())));
        };
        let (full, takes_arg, val) = LONG_OPTIONS[idx];
        let mut used = 0;
        let value = match (takes_arg, inline) {
            (false, Some(_)) => {
                let e = GetoptError::NoArgumentAllowed(full.to_owned());
                return Err(self.getopt_error(prog, e));
            }
            (false, None) => None,
            (true, Some(v)) => Some(v.to_vec()),
            (true, None) => match next {
                Some(v) => {
                    used = 1;
                    Some(v.to_vec())
                }
                None => {
                    let e = GetoptError::LongRequiresArgument(full.to_owned());
                    return Err(self.getopt_error(prog, e));
                }
            },
        };
        match val {
            Val::Family => {
                if idx >= AFTRANS_CNT {
                    self.a
                        .notes
                        .extend_from_slice(b"netstat.c: Internal Error `longopts 1 range'.\n");
                } else {
                    self.aftrans(full.as_bytes())?;
                }
            }
            Val::Short(c) => self.act(c, value.as_deref())?,
            Val::Json => self.a.json = true,
        }
        Ok(used)
    }
}

/// Parses the words after the program name. `Err` is an early end (help, version, usage or
/// family errors) with exactly what netstat prints and its status.
pub fn parse(prog: &[u8], words: &[OsString], posixly_correct: bool) -> Result<NetstatArgs, Exit> {
    let words: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
    let mut p = Parser {
        a: NetstatArgs::default(),
        operands: Vec::new(),
    };
    let takes_arg = |c: u8| -> Option<bool> {
        let s = SHORT_OPTIONS.as_bytes();
        let i = s.iter().position(|&x| x == c && c != b':')?;
        Some(s.get(i + 1) == Some(&b':'))
    };
    let mut i = 0;
    // Whether the last word of the command line is an operand (for the trailing interval).
    let mut last_is_operand = false;
    while i < words.len() {
        let w = words[i];
        if w == b"--" {
            p.operands.extend(words[i + 1..].iter().map(|w| w.to_vec()));
            last_is_operand = i + 1 < words.len();
            break;
        }
        if w.len() < 2 || w[0] != b'-' {
            if posixly_correct {
                p.operands.extend(words[i..].iter().map(|w| w.to_vec()));
                last_is_operand = true;
                break;
            }
            p.operands.push(w.to_vec());
            last_is_operand = i + 1 == words.len();
            i += 1;
            continue;
        }
        i += 1;
        if w[1] == b'-' {
            let used = p.long(prog, &w[2..], words.get(i).copied())?;
            i += used;
            continue;
        }
        let mut j = 1;
        while j < w.len() {
            let c = w[j];
            let last = j + 1 == w.len();
            let Some(arg) = takes_arg(c) else {
                return Err(p.getopt_error(prog, GetoptError::InvalidOption(c)));
            };
            if arg {
                let value = if !last {
                    w[j + 1..].to_vec()
                } else if let Some(v) = words.get(i) {
                    i += 1;
                    v.to_vec()
                } else {
                    return Err(p.getopt_error(prog, GetoptError::ShortRequiresArgument(c)));
                };
                p.act(c, Some(&value))?;
                break;
            }
            // Windows/BSD `-p PROTO` and BSD `-f FAMILY` (see the module documentation).
            if last && c == b'p' {
                if let Some((opt, fam)) = words.get(i).and_then(|n| protocol_word(n)) {
                    i += 1;
                    if let Some(f) = fam {
                        p.aftrans(f.as_bytes())?;
                    }
                    p.act(opt, None)?;
                    j += 1;
                    continue;
                }
            }
            if last && c == b'f' {
                if let Some(f) = words.get(i).and_then(|n| family_word(n)) {
                    i += 1;
                    p.aftrans(f.as_bytes())?;
                    j += 1;
                    continue;
                }
            }
            p.act(c, None)?;
            j += 1;
        }
    }
    // Windows `/?`.
    if p.operands.iter().any(|o| o == b"/?") {
        let mut e = help_exit();
        let mut err = std::mem::take(&mut p.a.notes);
        err.append(&mut e.stderr);
        e.stderr = err;
        return Err(e);
    }
    // A trailing number (the last word of the command line, an operand) is the interval.
    if let Some(last_op) = p.operands.last().filter(|_| last_is_operand) {
        if !last_op.is_empty() && last_op.iter().all(u8::is_ascii_digit) {
            if let Some(n) = std::str::from_utf8(last_op)
                .ok()
                .and_then(|s| s.parse::<u32>().ok())
                .filter(|&n| n > 0)
            {
                p.a.interval = Some(n);
            }
        }
    }
    let mut a = p.a;
    if a.mode_count() > 1 {
        return Err(usage_error(std::mem::take(&mut a.notes)));
    }
    derive(&mut a);
    Ok(a)
}

/// netstat.c `main`'s rules after option parsing (spec 1.2).
fn derive(a: &mut NetstatArgs) {
    let fam = &mut a.families;
    let protos = a.tcp + a.sctp + a.udp + a.udplite + a.raw;
    if (fam.inet > 0 || fam.inet6 > 0 || a.statistics > 0) && protos == 0 {
        a.noprot = true;
        a.tcp = 1;
        a.sctp = 1;
        a.udp = 1;
        a.udplite = 1;
        a.raw = 1;
    }
    let protos = a.tcp + a.sctp + a.udp + a.udplite + a.raw;
    if (protos > 0 || a.groups > 0) && fam.inet == 0 && fam.inet6 == 0 {
        fam.inet = 1;
        fam.inet6 = 1;
    }
    if fam.bluetooth > 0 && a.l2cap == 0 && a.rfcomm == 0 {
        a.l2cap = 1;
        a.rfcomm = 1;
    }
    a.arg_count = a.tcp
        + a.sctp
        + a.udplite
        + a.udp
        + a.raw
        + fam.unix
        + fam.ipx
        + fam.ax25
        + fam.netrom
        + a.groups
        + fam.x25
        + fam.rose
        + a.l2cap
        + a.rfcomm;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(words: &[&str]) -> Result<NetstatArgs, Exit> {
        let w: Vec<OsString> = words.iter().map(OsString::from).collect();
        parse(b"netstat", &w, false)
    }

    fn err(words: &[&str]) -> (i32, String, String) {
        let e = p(words).unwrap_err();
        (
            e.status,
            String::from_utf8(e.stdout).unwrap(),
            String::from_utf8(e.stderr).unwrap(),
        )
    }

    #[test]
    fn clusters_counts_and_operands() {
        let a = p(&["foo", "-tulpn", "-ee"]).unwrap();
        assert_eq!((a.tcp, a.udp, a.listening, a.programs), (1, 1, 1, 1));
        assert!(a.numeric_hosts && a.numeric_ports && a.numeric_users);
        assert_eq!(a.flag_exp(), 3);
        // Derived: protocols without family select both families.
        assert_eq!((a.families.inet, a.families.inet6), (1, 1));
        assert_eq!(a.arg_count, 2);
        assert!(!a.noprot);
        let a = p(&["-A", "inet6,unix", "-4"]).unwrap();
        assert_eq!(a.afname, "inet6,unix,inet");
        assert!(a.noprot);
        assert_eq!(a.families.unix, 1);
        let a = p(&["-Ainet6"]).unwrap();
        assert_eq!(a.afname, "inet6");
        let a = p(&["--protocol=ip6", "--prot", "unix"]).unwrap();
        assert_eq!(a.afname, "inet6,unix");
        let a = p(&["-g"]).unwrap();
        assert_eq!(a.arg_count, 1);
        assert!(!a.noprot && a.tcp == 0);
        let a = p(&["-g", "-4"]).unwrap();
        assert!(a.noprot && a.tcp == 1);
        let a = p(&["-s"]).unwrap();
        assert!(a.noprot && a.raw == 1);
    }

    #[test]
    fn long_options_follow_glibc() {
        // Family options share (has_arg, flag, val): a prefix of several is the first one.
        let a = p(&["--ine"]).unwrap();
        assert_eq!(a.afname, "inet");
        assert_eq!(p(&["--inet6"]).unwrap().afname, "inet6");
        let (s, _, e) = err(&["--in"]);
        assert_eq!(s, 3);
        assert!(e.starts_with(
            "netstat: option '--in' is ambiguous; possibilities: '--inet' '--interfaces'\nusage: netstat"
        ));
        let (_, _, e) = err(&["--num"]);
        assert!(e.starts_with("netstat: option '--num' is ambiguous; possibilities: '--numeric' '--numeric-hosts' '--numeric-ports' '--numeric-users'\n"));
        let (_, _, e) = err(&["--un"]);
        assert!(e.starts_with(
            "netstat: option '--un' is ambiguous; possibilities: '--unix' '--unix'\n"
        ));
        assert_eq!(p(&["--unix"]).unwrap().families.unix, 1);
        let (_, _, e) = err(&["--foo"]);
        assert!(e.starts_with("netstat: unrecognized option '--foo'\n"));
        let (_, _, e) = err(&["--tcp=1"]);
        assert!(e.starts_with("netstat: option '--tcp' doesn't allow an argument\n"));
        let (_, _, e) = err(&["--protocol"]);
        assert!(e.starts_with("netstat: option '--protocol' requires an argument\n"));
        let a = p(&["--tcpip"]).unwrap();
        assert_eq!(a.notes, b"netstat.c: Internal Error `longopts 1 range'.\n");
        assert!(a.afname.is_empty());
        assert_eq!(p(&["--prog", "--ext"]).unwrap().programs, 1);
        assert!(p(&["--json"]).unwrap().json);
    }

    #[test]
    fn early_exits() {
        let (s, out, e) = err(&["-y"]);
        assert_eq!(s, 3);
        assert!(out.is_empty());
        assert!(e.starts_with("netstat: invalid option -- 'y'\nusage: netstat [-vWeenNcCF]"));
        assert!(e.ends_with("    ddp (Appletalk DDP) x25 (CCITT X.25) \n"));
        let (s, _, e) = err(&["-A"]);
        assert_eq!(s, 3);
        assert!(e.starts_with("netstat: option requires an argument -- 'A'\n"));
        let (s, out, e) = err(&["-h", "-y"]);
        assert_eq!((s, out.len(), e.lines().count()), (0, USAGE.len(), 3));
        let (s, out, _) = err(&["-tV", "-y"]);
        assert_eq!(s, 0);
        assert!(out.starts_with("net-tools 2.10\n"));
        let (s, _, e) = err(&["-A", "bogus"]);
        assert_eq!((s, e.as_str()), (1, "Unknown address family `bogus'.\n"));
        let (s, _, e) = err(&["-A", "inet,"]);
        assert_eq!((s, e.as_str()), (1, "Unknown address family `'.\n"));
        let (s, _, e) = err(&["-Z"]);
        assert_eq!(
            (s, e.as_str()),
            (1, "SELinux is not enabled on this machine.\n")
        );
        let (s, out, e) = err(&["-?"]);
        assert_eq!((s, out.len()), (3, 0));
        assert!(e.starts_with("usage: netstat"));
        for bad in [&["-r", "-i"][..], &["-ii"], &["-rr"], &["-s", "-M"]] {
            assert_eq!(err(bad).0, 3, "{bad:?}");
        }
        assert!(p(&["-T"]).is_err());
    }

    #[test]
    fn platform_forms() {
        let a = p(&["-tn", "5"]).unwrap();
        assert_eq!(a.interval, Some(5));
        assert!(a.repeat());
        assert_eq!(p(&["5", "-tn"]).unwrap().interval, None, "not trailing");
        assert_eq!(p(&["-tn", "0"]).unwrap().interval, None);
        assert_eq!(p(&["-A", "5"]).map(|_| ()).unwrap_err().status, 1);
        let a = p(&["-sp", "tcp"]).unwrap();
        assert_eq!((a.statistics, a.tcp, a.programs), (1, 1, 0));
        assert!(a.afname.is_empty());
        let a = p(&["-an", "-p", "UDPv6"]).unwrap();
        assert_eq!((a.udp, a.programs), (1, 0));
        assert_eq!(a.afname, "inet6");
        let a = p(&["-pn", "tcp"]).unwrap();
        assert_eq!((a.programs, a.tcp), (1, 0), "-p not last in its word");
        let a = p(&["-p", "nonsense"]).unwrap();
        assert_eq!(a.programs, 1);
        let a = p(&["-f", "inet6", "-r"]).unwrap();
        assert_eq!((a.afname.as_str(), a.rfcomm), ("inet6", 0));
        let a = p(&["-f"]).unwrap();
        assert_eq!(a.rfcomm, 1);
        assert_eq!(p(&["-b"]).unwrap().programs, 1);
        let (s, out, _) = err(&["-t", "/?"]);
        assert_eq!((s, out.as_str()), (0, USAGE));
    }

    #[test]
    fn posixly_correct_stops_at_the_first_operand() {
        let w: Vec<OsString> = ["foo", "-t"].iter().map(OsString::from).collect();
        let a = parse(b"netstat", &w, true).unwrap();
        assert_eq!(a.tcp, 0);
    }
}
