//! iproute2 6.1 `ip`'s global options (ip/ip.c `main`), parsed the same way: words starting
//! with `-` before the object, `--` ends them, `--opt` is `-opt`, and every option is
//! recognized by prefix in ip.c's fixed order (so `-h` is `-human`, `-b` is `-batch`, `-br`
//! is `-brief`, `-n` is `-netns`, `-N` is `-Numeric`, `-c[=WHEN]` is `-color`). Unknown
//! options: `Option "-x" is unknown, try "ip -help".`, status 255.
//!
//! `-netns NAME` takes effect while parsing (as in ip.c, which switches namespace on the spot;
//! a failure exits 255 before later options are looked at), through the `netns` callback.
//!
//! Also here: the object table of `do_cmd` (prefix matched in its order) and the helpers all
//! object parsers share (`matches`, `NEXT_ARG` failures, `invarg`, `duparg2`).

use crate::exit::Exit;

use super::usage;

/// iproute2 `matches(prefix, string)` as a bool: `word` is a non-empty prefix of `full`.
pub fn matches(word: &[u8], full: &str) -> bool {
    !word.is_empty() && full.as_bytes().starts_with(word)
}

/// `-c`/`-color` setting.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ColorOpt {
    #[default]
    Never,
    Auto,
    Always,
}

/// The global options.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Global {
    /// `preferred_family` (`-4 -6 -0 -M -B -f`); 0 = AF_UNSPEC.
    pub family: u8,
    pub human: u32,
    pub iec: u32,
    pub stats: u32,
    pub details: u32,
    pub resolve: u32,
    pub oneline: u32,
    pub timestamp: u32,
    pub brief: u32,
    pub json: u32,
    pub pretty: u32,
    pub numeric: u32,
    pub force: u32,
    pub echo: u32,
    pub all: bool,
    pub color: ColorOpt,
    pub loops: i32,
    pub batch: Option<Vec<u8>>,
    pub rcvbuf: Option<u32>,
    /// The words after the options (object first).
    pub rest: Vec<Vec<u8>>,
}

/// `Error: argument "ARG" is wrong: MSG` + newline, status 255 (iproute2 `invarg`; several
/// callers pass messages that end in `\n` themselves, giving an empty line).
pub fn invarg(msg: &str, arg: &[u8]) -> Exit {
    let mut t = b"Error: argument \"".to_vec();
    t.extend_from_slice(arg);
    t.extend_from_slice(b"\" is wrong: ");
    t.extend_from_slice(msg.as_bytes());
    t.push(b'\n');
    Exit::stderr(255, t)
}

/// `incomplete_command()`.
pub fn incomplete() -> Exit {
    Exit::stderr(255, "Command line is not complete. Try option \"help\"\n")
}

/// `duparg2(key, arg)`.
pub fn duparg2(key: &str, arg: &[u8]) -> Exit {
    let mut t = format!("Error: either \"{key}\" is duplicate, or \"").into_bytes();
    t.extend_from_slice(arg);
    t.extend_from_slice(b"\" is a garbage.\n");
    Exit::stderr(255, t)
}

/// The main usage (`usage()` of ip.c), status 255.
pub fn main_usage() -> Exit {
    Exit::stderr(255, usage::MAIN)
}

/// `read_family`.
pub fn read_family(name: &[u8]) -> u8 {
    match name {
        b"inet" => 2,
        b"inet6" => 10,
        b"link" => 17,
        b"mpls" => 28,
        b"bridge" => 7,
        _ => 0,
    }
}

/// `matches_color`: `-c`, `-color`, `-c=always|auto|never` (an empty value is `always`).
fn color_opt(opt: &[u8]) -> Option<ColorOpt> {
    let (name, val) = match opt.iter().position(|&b| b == b'=') {
        Some(i) => (&opt[..i], Some(&opt[i + 1..])),
        None => (opt, None),
    };
    if !matches(name, "-color") {
        return None;
    }
    match val {
        None | Some(b"") | Some(b"always") => Some(ColorOpt::Always),
        Some(b"auto") => Some(ColorOpt::Auto),
        Some(b"never") => Some(ColorOpt::Never),
        Some(_) => None,
    }
}

/// `get_unsigned(val, arg, 0)`.
pub fn get_unsigned(arg: &[u8]) -> Option<u32> {
    let v = sockscope_query::rtnl::names::c_strtoul(arg, 0)?;
    u32::try_from(v).ok()
}

/// Parses the global options. `netns(name)` is called for every `-netns NAME` when it is
/// reached; an `Err` from it ends parsing (ip exits 255 there).
pub fn parse(
    words: Vec<Vec<u8>>,
    netns: &mut dyn FnMut(&[u8]) -> Result<(), Exit>,
) -> Result<Global, Exit> {
    let mut g = Global {
        loops: 10,
        ..Global::default()
    };
    let mut i = 0;
    while i < words.len() {
        let word = &words[i];
        if word.as_slice() == b"--" {
            i += 1;
            break;
        }
        if word.first() != Some(&b'-') {
            break;
        }
        let opt: &[u8] = if word.get(1) == Some(&b'-') {
            &word[1..]
        } else {
            word
        };
        // The option's argument (NEXT_ARG-style: missing → usage, as ip.c does).
        let arg = |i: &mut usize| -> Result<Vec<u8>, Exit> {
            *i += 1;
            words.get(*i).cloned().ok_or_else(main_usage)
        };
        if matches(opt, "-loops") {
            let a = arg(&mut i)?;
            g.loops = atoi(&a);
        } else if matches(opt, "-family") {
            let a = arg(&mut i)?;
            if a == b"help" {
                return Err(main_usage());
            }
            g.family = read_family(&a);
            if g.family == 0 {
                return Err(invarg("invalid protocol family", &a));
            }
        } else if opt == b"-4" {
            g.family = 2;
        } else if opt == b"-6" {
            g.family = 10;
        } else if opt == b"-0" {
            g.family = 17;
        } else if opt == b"-M" {
            g.family = 28;
        } else if opt == b"-B" {
            g.family = 7;
        } else if matches(opt, "-human") || matches(opt, "-human-readable") {
            g.human += 1;
        } else if matches(opt, "-iec") {
            g.iec += 1;
        } else if matches(opt, "-stats") || matches(opt, "-statistics") {
            g.stats += 1;
        } else if matches(opt, "-details") {
            g.details += 1;
        } else if matches(opt, "-resolve") {
            g.resolve += 1;
        } else if matches(opt, "-oneline") {
            g.oneline += 1;
        } else if matches(opt, "-timestamp") || matches(opt, "-tshort") {
            // -tshort also sets timestamp_short; neither matters for listings.
            g.timestamp += 1;
        } else if matches(opt, "-Version") {
            return Err(Exit::stdout(
                0,
                "ip utility, iproute2-6.1.0, libbpf 1.1.2\n",
            ));
        } else if matches(opt, "-force") {
            g.force += 1;
        } else if matches(opt, "-batch") {
            g.batch = Some(arg(&mut i)?);
        } else if matches(opt, "-brief") {
            g.brief += 1;
        } else if matches(opt, "-json") {
            g.json += 1;
        } else if matches(opt, "-pretty") {
            g.pretty += 1;
        } else if matches(opt, "-rcvbuf") {
            let a = arg(&mut i)?;
            match get_unsigned(&a) {
                Some(v) => g.rcvbuf = Some(v),
                None => {
                    let mut t = b"Invalid rcvbuf size '".to_vec();
                    t.extend_from_slice(&a);
                    t.extend_from_slice(b"'\n");
                    return Err(Exit::stderr(255, t));
                }
            }
        } else if let Some(c) = color_opt(opt) {
            g.color = c;
        } else if matches(opt, "-help") {
            return Err(main_usage());
        } else if matches(opt, "-netns") {
            i += 1;
            let Some(name) = words.get(i) else {
                return Err(incomplete());
            };
            netns(name)?;
        } else if matches(opt, "-Numeric") {
            g.numeric += 1;
        } else if matches(opt, "-all") {
            g.all = true;
        } else if opt == b"-echo" {
            g.echo += 1;
        } else {
            let mut t = b"Option \"".to_vec();
            t.extend_from_slice(opt);
            t.extend_from_slice(b"\" is unknown, try \"ip -help\".\n");
            return Err(Exit::stderr(255, t));
        }
        i += 1;
    }
    g.rest = words.into_iter().skip(i).collect();
    Ok(g)
}

/// C `atoi`: optional white space and sign, then digits; anything else stops (0 if none).
fn atoi(s: &[u8]) -> i32 {
    let mut it = s.iter().skip_while(|c| c.is_ascii_whitespace()).peekable();
    let neg = match it.peek() {
        Some(b'-') => {
            it.next();
            true
        }
        Some(b'+') => {
            it.next();
            false
        }
        _ => false,
    };
    let mut v: i64 = 0;
    for &c in it {
        if !c.is_ascii_digit() {
            break;
        }
        v = (v * 10 + i64::from(c - b'0')).min(i64::from(i32::MAX) + 1);
    }
    (if neg { -v } else { v }) as i32
}

/// The objects of ip.c's `cmds[]` table, in its order.
pub const OBJECTS: &[&str] = &[
    "address",
    "addrlabel",
    "maddress",
    "route",
    "rule",
    "neighbor",
    "neighbour",
    "ntable",
    "ntbl",
    "link",
    "l2tp",
    "fou",
    "ila",
    "macsec",
    "tunnel",
    "tunl",
    "tuntap",
    "tap",
    "token",
    "tcpmetrics",
    "tcp_metrics",
    "monitor",
    "xfrm",
    "mroute",
    "mrule",
    "netns",
    "netconf",
    "vrf",
    "sr",
    "nexthop",
    "mptcp",
    "ioam",
    "help",
    "stats",
];

/// `do_cmd`'s lookup: the first object `word` is a prefix of.
pub fn find_object(word: &[u8]) -> Option<&'static str> {
    OBJECTS.iter().copied().find(|o| matches(word, o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(s: &[&str]) -> Vec<Vec<u8>> {
        s.iter().map(|x| x.as_bytes().to_vec()).collect()
    }

    fn p(s: &[&str]) -> Result<Global, Exit> {
        parse(w(s), &mut |_| Ok(()))
    }

    #[test]
    fn prefixes_follow_ip_c_order() {
        let g = p(&[
            "-s", "-s", "-d", "-h", "-iec", "-j", "-p", "-br", "-o", "-N", "-r", "route",
        ])
        .unwrap();
        assert_eq!(
            (g.stats, g.details, g.human, g.iec, g.json, g.pretty),
            (2, 1, 1, 1, 1, 1)
        );
        assert_eq!((g.brief, g.oneline, g.numeric, g.resolve), (1, 1, 1, 1));
        assert_eq!(g.rest, w(&["route"]));
        let g = p(&["--json", "-statistics", "-4", "l"]).unwrap();
        assert_eq!((g.json, g.stats, g.family), (1, 1, 2));
        let g = p(&["-c", "r"]).unwrap();
        assert_eq!(g.color, ColorOpt::Always);
        let g = p(&["-color=auto", "-c=never", "r"]).unwrap();
        assert_eq!(g.color, ColorOpt::Never);
        let g = p(&["-f", "inet6", "-6", "--", "-x"]).unwrap();
        assert_eq!((g.family, g.rest.clone()), (10, w(&["-x"])));
        let g = p(&["-t", "-ts", "-a", "-rc", "0x100", "-l", "3", "r"]).unwrap();
        assert_eq!(
            (g.timestamp, g.all, g.rcvbuf, g.loops),
            (2, true, Some(256), 3)
        );
    }

    #[test]
    fn errors_and_exits() {
        let e = p(&["-x", "route"]).unwrap_err();
        assert_eq!(
            (e.status, e.stderr),
            (
                255,
                b"Option \"-x\" is unknown, try \"ip -help\".\n".to_vec()
            )
        );
        let e = p(&["--bogus"]).unwrap_err();
        assert_eq!(
            e.stderr,
            b"Option \"-bogus\" is unknown, try \"ip -help\".\n".to_vec()
        );
        let e = p(&["-c=sometimes", "r"]).unwrap_err();
        assert_eq!(e.status, 255);
        let e = p(&["-f", "ipx"]).unwrap_err();
        assert_eq!(
            e.stderr,
            b"Error: argument \"ipx\" is wrong: invalid protocol family\n".to_vec()
        );
        let e = p(&["-f"]).unwrap_err();
        assert_eq!((e.status, e.stderr.starts_with(b"Usage: ip ")), (255, true));
        let e = p(&["-V", "-x"]).unwrap_err();
        assert_eq!(
            (e.status, e.stdout),
            (0, b"ip utility, iproute2-6.1.0, libbpf 1.1.2\n".to_vec())
        );
        let e = p(&["-rc", "x"]).unwrap_err();
        assert_eq!(e.stderr, b"Invalid rcvbuf size 'x'\n".to_vec());
        let e = p(&["-n"]).unwrap_err();
        assert_eq!(e.status, 255);
        let e = p(&["-he"]).unwrap_err();
        assert_eq!(e.status, 255);
        let mut seen = Vec::new();
        let r = parse(w(&["-n", "ns1", "-x"]), &mut |n| {
            seen.push(n.to_vec());
            Err(Exit::stderr(255, "no"))
        });
        assert_eq!((r.unwrap_err().stderr, seen), (b"no".to_vec(), w(&["ns1"])));
    }

    #[test]
    fn objects_by_prefix() {
        assert_eq!(find_object(b"r"), Some("route"));
        assert_eq!(find_object(b"ro"), Some("route"));
        assert_eq!(find_object(b"l"), Some("link"));
        assert_eq!(find_object(b"m"), Some("maddress"));
        assert_eq!(find_object(b"a"), Some("address"));
        assert_eq!(find_object(b"n"), Some("neighbor"));
        assert_eq!(find_object(b"s"), Some("sr"));
        assert_eq!(find_object(b"h"), Some("help"));
        assert_eq!(find_object(b"routes"), None);
        assert_eq!(find_object(b""), None);
        assert_eq!(atoi(b" -12x"), -12);
        assert_eq!(atoi(b"x"), 0);
    }
}
