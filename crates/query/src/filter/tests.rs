//! Tests of the filter language: parser (expression → tree), values and their side effects,
//! messages and exit statuses, ss's bytecode (every capture of spec §3.8.3), the kernel
//! machine mirror, user-space semantics per kind, and a property test tying compiler, kernel
//! mirror and evaluator together.

use super::eval::{eval_kernel, eval_user, KernelEntry, View};
use super::*;
use crate::model::{family, state, InetSock, NetlinkSock, PacketInfo, PacketSock, UnixSock};

/// Fixed name databases.
struct Names {
    cgroup_ok: bool,
    probes: usize,
}

impl Default for Names {
    fn default() -> Self {
        Names {
            cgroup_ok: true,
            probes: 0,
        }
    }
}

impl FilterNames for Names {
    fn getservbyname(&mut self, name: &[u8], proto: &str) -> (Option<u16>, Option<u16>) {
        let found = match (name, proto) {
            (b"ssh", _) => Some(22),
            (b"http-alt", "tcp") => Some(8080),
            (b"amb", "tcp") => Some(1),
            (b"amb", "udp") => Some(2),
            (b"same", _) => Some(7),
            (b"udponly", "udp") => Some(9),
            _ => None,
        };
        // The file's last entry is "last 60179/tcp".
        (found, found.or(Some(60179)))
    }
    fn host_addrs(&mut self, name: &[u8], af: u8) -> Vec<Vec<u8>> {
        match (name, af) {
            (b"multi", family::INET) => vec![vec![198, 18, 0, 2], vec![127, 0, 0, 1]],
            (b"multi", family::INET6) => {
                vec![std::net::Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)
                    .octets()
                    .to_vec()]
            }
            (b"localhost", family::INET) => vec![vec![127, 0, 0, 1]],
            (b"six", family::INET6) => vec![std::net::Ipv6Addr::LOCALHOST.octets().to_vec()],
            // A host named like a sockscope keyword (ss resolves it after dst/src).
            (b"user", family::INET) => vec![vec![198, 18, 0, 9]],
            _ => Vec::new(),
        }
    }
    fn link_index(&mut self, name: &[u8]) -> Result<u32, String> {
        Ok(match name {
            b"lo" => 1,
            b"v0" => 2,
            b"v1" => 3,
            _ => 0,
        })
    }
    fn netlink_proto(&mut self, name: &[u8]) -> Option<u8> {
        host::NL_PROTOS
            .iter()
            .find(|(_, n)| n.as_bytes() == name)
            .map(|(k, _)| *k)
    }
    fn cgroup_id(&mut self, path: &[u8]) -> Result<u64, String> {
        match path {
            b"/sys/fs/cgroup/test" | b"/test" => Ok(77),
            b"/" => Err("Invalid cgroup2 path\n".into()),
            _ => Err("Failed to get cgroup2 ID: No such file or directory\n".into()),
        }
    }
    fn cgroup_filter_supported(&mut self) -> bool {
        self.probes += 1;
        self.cgroup_ok
    }
    fn user_uid(&mut self, name: &[u8]) -> Option<u32> {
        match name {
            b"root" => Some(0),
            b"nobody" => Some(65534),
            b"42" => Some(7),
            _ => None,
        }
    }
}

fn tables(names: &[Table]) -> TableSet {
    let mut t = TableSet(0);
    for &n in names {
        t.insert(n);
    }
    t
}

fn fams(afs: &[u8]) -> FamilySet {
    let mut f = FamilySet(0);
    for &a in afs {
        f.insert(a);
    }
    f
}

/// `ss -t`: tcp, inet+inet6, no preferred family.
fn tcp_sel() -> Selection {
    Selection {
        tables: tables(&[Table::Tcp]),
        families: fams(&[family::INET, family::INET6]),
        preferred_family: 0,
        resolve_rpc: false,
    }
}

fn words(s: &str) -> Vec<Vec<u8>> {
    s.split_whitespace()
        .map(|w| w.as_bytes().to_vec())
        .collect()
}

fn parse_with(expr: &str, sel: &Selection) -> Result<Filter, FilterError> {
    parse(&words(expr), None, sel, &mut Names::default(), &mut || {
        (32768, 60999)
    })
}

fn tree(expr: &str) -> String {
    match parse_with(expr, &tcp_sel()) {
        Ok(f) => f.ast.map_or("-".into(), |a| a.to_string()),
        Err(FilterError::Syntax { found, at }) => format!(
            "SYNTAX {} at {at}",
            found.map_or("END".into(), |t| String::from_utf8_lossy(&t).into_owned())
        ),
        Err(FilterError::Exit { status, stderr }) => format!("EXIT {status}: {stderr}"),
    }
}

/// expression → printed tree (or error), one per line: `EXPR ⇒ RESULT`.
const TREES: &str = r#"
 ⇒ -
dport = :22 ⇒ (dst *:22)
dport :22 ⇒ (dst *:22)
dport eq 22 ⇒ (dst *:22)
dport == :0x16 ⇒ (dst *:22)
dport = :026 ⇒ (dst *:22)
sport != :22 ⇒ (not (src *:22))
sport ne :ssh ⇒ (not (src *:22))
sport >= :1024 ⇒ (sport>= 1024)
sport ge :1024 ⇒ (sport>= 1024)
sport > :1024 ⇒ (not (sport<= 1024))
sport gt :1024 ⇒ (not (sport<= 1024))
sport < :1024 ⇒ (not (sport>= 1024))
dport leq :1024 ⇒ (dport<= 1024)
dport lt :1024 ⇒ (not (dport>= 1024))
dport = :* ⇒ (dst *)
dport = * ⇒ (dst *)
dport = :-1 ⇒ (dst *)
dst 127.0.0.1 ⇒ (dst 127.0.0.1/32)
dst = 127.0.0.1 ⇒ (dst 127.0.0.1/32)
dst 127.0.0.1:22 ⇒ (dst 127.0.0.1/32:22)
dst 127.0.0.1:ssh ⇒ (dst 127.0.0.1/32:22)
dst 10.9.8.0/24 ⇒ (dst 10.9.8.0/24)
dst 10.9.8.0/24:8080 ⇒ (dst 10.9.8.0/24:8080)
dst 10.0.0.0/255.255.0.0 ⇒ (dst 10.0.0.0/16)
dst 193.233.7 ⇒ (dst 193.233.7.0/32)
src [::1] ⇒ (src [::1]/128)
src [::1]:9001 ⇒ (src [::1]/128:9001)
src [fe80::]/10 ⇒ EXIT 1: Error: "/10" does not look like a port.\nCannot parse dst/src address.\n
src fe80::/10 ⇒ (src [fe80::]/10)
src ::1/128 ⇒ (src [::1]/128)
src ::/0:22 ⇒ (src [::]/0:22)
src [::ffff:127.0.0.1] ⇒ (src [::ffff:127.0.0.1]/128)
src inet6:[::] ⇒ (src [::]/128)
src inet:0.0.0.0 ⇒ (src 0.0.0.0/32)
src *:22 ⇒ (src *:22)
src * ⇒ (src *)
src *22 ⇒ (src *:22)
src any ⇒ (src *)
src 0/0 ⇒ (src 0.0.0.0/0)
src ::1 ⇒ EXIT 1: Error: an inet prefix is expected rather than ":".\nCannot parse dst/src address.\n
src multi ⇒ (src 198.18.0.2/32|[2001:db8::1]/128|127.0.0.1/32)
src localhost:22 ⇒ (src 127.0.0.1/32:22)
src 2130706433 ⇒ (src 127.0.0.1/32)
src 127.65536 ⇒ (src 127.1.0.0/32)
src six ⇒ (src [::1]/128)
dport = :22 or sport = :22 ⇒ (or (dst *:22) (src *:22))
( dport = :22 or sport = :22 ) ⇒ (or (dst *:22) (src *:22))
sport = :22 or sport = :9000 and dport = :59170 ⇒ (and (or (src *:22) (src *:9000)) (dst *:59170))
sport = :22 or ( sport = :9000 and dport = :59170 ) ⇒ (or (src *:22) (and (src *:9000) (dst *:59170)))
sport = :22 dport = :ssh ⇒ (and (src *:22) (dst *:22))
a ⇒ EXIT 1: Error: an inet prefix is expected rather than "a".\nCannot parse dst/src address.\n
! dport = :22 or sport = :1 ⇒ (or (not (dst *:22)) (src *:1))
not not autobound ⇒ (not (not autobound))
! ( autobound || dport = :1 ) && sport = :2 ⇒ (and (not (or autobound (dst *:1))) (src *:2))
autobound autobound ⇒ (and autobound autobound)
dev lo ⇒ (dev 1)
dev = v0 ⇒ (dev 2)
dev != v1 ⇒ (not (dev 3))
dev 7 ⇒ (dev 7)
dev 0x10 ⇒ (dev 16)
dev if9 ⇒ (dev 9)
fwmark 0x20 ⇒ (fwmark 0x20/0xffffffff)
fwmark = 0x20/0xff ⇒ (fwmark 0x20/0xff)
fwmark != 1/1 ⇒ (not (fwmark 0x1/0x1))
cgroup /sys/fs/cgroup/test ⇒ (cgroup 77)
cgroup != /test ⇒ (not (cgroup 77))
dst ⇒ SYNTAX END at column 4
dst = ⇒ SYNTAX END at column 6
( dport = :22 ⇒ SYNTAX END at column 14
dport = :22 ) ⇒ SYNTAX ) at column 13
) ⇒ SYNTAX ) at column 1
( ) ⇒ SYNTAX ) at column 3
and dport = :1 ⇒ SYNTAX and at column 1
dport = :1 or ⇒ SYNTAX END at column 14
dport = :1 or or sport = :1 ⇒ SYNTAX or at column 15
dst != 1.2.3.4 ⇒ SYNTAX != at column 5
dst > 1.2.3.4 ⇒ SYNTAX > at column 5
dport = = :22 ⇒ SYNTAX = at column 9
dport >= >= :22 ⇒ SYNTAX >= at column 10
! ⇒ SYNTAX END at column 2
dev ⇒ SYNTAX END at column 4
dev >= lo ⇒ SYNTAX >= at column 5
fwmark ⇒ SYNTAX END at column 7
= ⇒ SYNTAX = at column 1
dev lo lo ⇒ SYNTAX lo at column 8
dst 1.2.3.4 5.6.7.8 ⇒ SYNTAX 5.6.7.8 at column 13
autobound = ⇒ SYNTAX = at column 11
foo bar ⇒ EXIT 1: Error: an inet prefix is expected rather than "foo".\nCannot parse dst/src address.\n
dport = :nosuchservice ⇒ EXIT 1: Error: "nosuchservice" does not look like a port.\nCannot parse dst/src address.\n
dport = :http-alt ⇒ (dst *:8080)
dport = :udponly ⇒ EXIT 1: Error: "udponly" does not look like a port.\nCannot parse dst/src address.\n
dev nosuchdev ⇒ EXIT 1: Cannot parse device.\n
dev lo nosuchdev ⇒ EXIT 1: Cannot parse device.\n
dev lo 127.0.0.1 ⇒ EXIT 1: Cannot parse device.\n
fwmark x ⇒ EXIT 1: Cannot parse mark x.\n
fwmark 1/x ⇒ EXIT 1: Cannot parse mark 1/x.\n
cgroup /nope ⇒ EXIT 1: Failed to get cgroup2 ID: No such file or directory\nCannot parse cgroup /nope.\n
cgroup / ⇒ EXIT 1: Invalid cgroup2 path\nCannot parse cgroup /.\n
) foo ⇒ SYNTAX ) at column 1
dst [::1 ⇒ EXIT 1: Cannot parse dst/src address.\n
dst 1.2.3.4/33 ⇒ EXIT 1: Error: an inet prefix is expected rather than "1.2.3.4/33".\nCannot parse dst/src address.\n
dst inet:::1 ⇒ EXIT 1: Error: an inet prefix is expected rather than ":".\nCannot parse dst/src address.\n
src inet6:1.2.3.4 ⇒ EXIT 1: Error: an inet prefix is expected rather than "1.2.3.4".\nCannot parse dst/src address.\n
dst [::1]x ⇒ EXIT 1: Error: "x" does not look like a port.\nCannot parse dst/src address.\n
src unix:/tmp/* ⇒ (src unix:"/tmp/*")
src unix: ⇒ (src unix:"")
src link:ip ⇒ (src link:2048/32)
src link:ip:lo ⇒ (src link:2048/32:1)
src link:*:v0 ⇒ (src link:0/0:2)
src link:0x86dd ⇒ (src link:34525/32)
src link:bogus ⇒ EXIT 1: Cannot parse dst/src address.\n
src link:ip:nosuch ⇒ EXIT 1: Cannot parse dst/src address.\n
sport = link:v0 ⇒ (src link:0/0:2)
src netlink:rtnl:kernel ⇒ (src netlink:0/32:0)
src netlink:genl:* ⇒ (src netlink:16/32)
src netlink:17 ⇒ (src netlink:17/32)
src netlink:256 ⇒ EXIT 1: Cannot parse dst/src address.\n
src netlink:rtnl:x ⇒ EXIT 1: Cannot parse dst/src address.\n
src vsock:3:1024 ⇒ (src vsock:3/0:1024)
src vsock:*:* ⇒ (src vsock:4294967295/0)
src vsock:3: ⇒ EXIT 1: Cannot parse dst/src address.\n
src vsock:x ⇒ EXIT 1: Cannot parse dst/src address.\n
sport = vsock:4294967295 ⇒ (src vsock:4294967295/0)
pid = 5 ⇒ (pid= 5)
pid 5 ⇒ (pid= 5)
pid == 5 ⇒ (pid= 5)
pid != 5 ⇒ (not (pid= 5))
pid ne 5 ⇒ (not (pid= 5))
pid > 5 ⇒ (pid> 5)
pid lt 5 ⇒ (pid< 5)
pid >= 5 ⇒ (pid>= 5)
pid leq 5 ⇒ (pid<= 5)
pid = 4294967295 ⇒ (pid= 4294967295)
pid = 010 ⇒ (pid= 10)
uid = 0 ⇒ (uid= 0)
uid ne 1000 ⇒ (not (uid= 1000))
uid < 1000 ⇒ (uid< 1000)
user = root ⇒ (uid= 0)
user nobody ⇒ (uid= 65534)
user != nobody ⇒ (not (uid= 65534))
user = 1234 ⇒ (uid= 1234)
user = 42 ⇒ (uid= 7)
comm = ssfix* ⇒ (comm "ssfix*")
comm ssfix* ⇒ (comm "ssfix*")
comm != a"b ⇒ (not (comm "a\"b"))
comm = dst ⇒ (comm "dst")
comm and ⇒ (comm "and")
comm = = ⇒ (comm "=")
comm = pid ⇒ (comm "pid")
! pid = 5 ⇒ (not (pid= 5))
sport = :22 pid = 5 ⇒ (and (src *:22) (pid= 5))
pid = 5 or comm = x* ⇒ (or (pid= 5) (comm "x*"))
dst 127.0.0.1 uid = 0 ⇒ (and (dst 127.0.0.1/32) (uid= 0))
dev lo user root ⇒ (and (dev 1) (uid= 0))
( pid = 1 ) and not ( uid >= 1000 or comm sshd ) ⇒ (and (pid= 1) (not (or (uid>= 1000) (comm "sshd"))))
dst user ⇒ (dst 198.18.0.9/32)
dst = user ⇒ (dst 198.18.0.9/32)
src user:22 ⇒ (src 198.18.0.9/32:22)
dst pid ⇒ EXIT 1: Error: an inet prefix is expected rather than "pid".\nCannot parse dst/src address.\n
dst = comm ⇒ EXIT 1: Error: an inet prefix is expected rather than "comm".\nCannot parse dst/src address.\n
dport = uid ⇒ EXIT 1: Error: "uid" does not look like a port.\nCannot parse dst/src address.\n
dport uid ⇒ EXIT 1: Error: "uid" does not look like a port.\nCannot parse dst/src address.\n
dev pid ⇒ EXIT 1: Cannot parse device.\n
fwmark = uid ⇒ EXIT 1: Cannot parse mark uid.\n
pid = x ⇒ EXIT 1: Cannot parse pid x.\n
pid = -1 ⇒ EXIT 1: Cannot parse pid -1.\n
pid = 0x10 ⇒ EXIT 1: Cannot parse pid 0x10.\n
pid = 4294967296 ⇒ EXIT 1: Cannot parse pid 4294967296.\n
uid = root ⇒ EXIT 1: Cannot parse uid root.\n
user = nosuch ⇒ EXIT 1: Error: no user "nosuch" in /etc/passwd.\nCannot parse user nosuch.\n
pid ⇒ SYNTAX END at column 4
pid = ⇒ SYNTAX END at column 6
comm > x ⇒ SYNTAX > at column 6
user >= root ⇒ SYNTAX >= at column 6
pid = 1 2 ⇒ SYNTAX 2 at column 9
pid = 1 ) ⇒ SYNTAX ) at column 9
"#;

#[test]
fn parser_trees() {
    let mut n = 0;
    for line in TREES.lines().filter(|l| !l.trim().is_empty()) {
        let (expr, want) = line
            .split_once(" ⇒ ")
            .unwrap_or((line.trim_end_matches(" ⇒"), ""));
        let want = want.replace("\\n", "\n");
        let expr = expr.trim();
        let got = tree(expr);
        assert_eq!(got, want, "expression `{expr}`");
        n += 1;
    }
    assert!(n >= 120, "{n} cases");
}

#[test]
fn service_ports_follow_glibcs_static_buffer() {
    let mut sel = tcp_sel();
    sel.tables = tables(&[Table::Tcp, Table::Udp]);
    let port = |e: &str, sel: &Selection| parse_with(e, sel).map(|f| f.ast.unwrap().to_string());
    // Different tcp and udp ports: never "ambiguous" (one buffer); the tcp look-up came last.
    assert_eq!(port("dport = :amb", &sel).as_deref(), Ok("(dst *:1)"));
    assert_eq!(port("dport = :same", &sel).as_deref(), Ok("(dst *:7)"));
    // udp has it, tcp not: the failed tcp search left the file's last entry in the buffer
    // (checked against ss 6.1: `ss -tu sport = :who` filters on the last line's port).
    assert_eq!(
        port("dport = :udponly", &sel).as_deref(),
        Ok("(dst *:60179)")
    );
    assert_eq!(
        port("dport = :http-alt", &sel).as_deref(),
        Ok("(dst *:8080)")
    );
    sel.tables = tables(&[Table::Udp]);
    let f = parse_with("dport = :amb", &sel).unwrap();
    assert_eq!(f.ast.unwrap().to_string(), "(dst *:2)");
    sel.tables = tables(&[Table::Raw]);
    assert!(
        parse_with("dport = :ssh", &sel).is_err(),
        "no tcp/udp: no service look-up"
    );
}

#[test]
fn family_side_effects() {
    let all = fams(&[family::INET, family::INET6, family::UNIX, family::PACKET]);
    let sel = Selection {
        tables: tables(&[Table::Tcp, Table::UnixStream]),
        families: all,
        preferred_family: 0,
        resolve_rpc: false,
    };
    let f = |e: &str| {
        let f = parse_with(e, &sel).unwrap();
        (f.families, f.preferred_family)
    };
    // Sample 99: an explicit family replaces the families.
    assert_eq!(f("src inet6:[::]"), (fams(&[family::INET6]), family::INET6));
    // No explicit family and no preferred family: nothing changes.
    assert_eq!(f("src [::]"), (all, 0));
    assert_eq!(f("dport = :22"), (all, 0));
    // The last explicit family wins, and becomes the default for later hosts.
    assert_eq!(
        f("src inet:1.2.3.4 or src unix:/x"),
        (fams(&[family::UNIX]), family::UNIX)
    );
    let g = parse_with("src unix:/x or src /y", &sel).unwrap();
    assert_eq!(
        g.ast.unwrap().to_string(),
        r#"(or (src unix:"/x") (src unix:"/y"))"#
    );
    // A preferred family from the options (-x) narrows too (`ss -x src /tmp/x`).
    let mut x = sel;
    x.preferred_family = family::UNIX;
    let h = parse_with("src /tmp/x", &x).unwrap();
    assert_eq!(
        (h.families, h.preferred_family),
        (fams(&[family::UNIX]), family::UNIX)
    );
    // -4: hosts are IPv4 only.
    let mut four = sel;
    four.preferred_family = family::INET;
    assert!(parse_with("src [::1]", &four).is_err());
    assert!(parse_with("src 1.2.3.4", &four).is_ok());
    // Port-only conditions with a preferred family narrow as well.
    assert_eq!(
        parse_with("dport = :22", &four).map(|f| f.families).ok(),
        Some(fams(&[family::INET]))
    );
}

#[test]
fn cgroup_probe_runs_when_the_node_is_built() {
    let mut names = Names {
        cgroup_ok: false,
        probes: 0,
    };
    let r = parse(
        &words("cgroup /test"),
        None,
        &tcp_sel(),
        &mut names,
        &mut || (1, 2),
    );
    assert_eq!(
        r,
        Err(FilterError::exit(
            255,
            "It looks like such filter is not supported! Too old kernel?\n"
        ))
    );
    assert_eq!(names.probes, 1);
    // A bad path fails before the probe.
    let mut names = Names {
        cgroup_ok: false,
        probes: 0,
    };
    let r = parse(
        &words("cgroup /nope"),
        None,
        &tcp_sel(),
        &mut names,
        &mut || (1, 2),
    );
    assert!(matches!(r, Err(FilterError::Exit { status: 1, .. })));
    assert_eq!(names.probes, 0);
}

#[test]
fn filter_file_and_words() {
    let w = words("sport = :22");
    let f = parse(
        &w,
        Some(b"# a comment\n or\n\tdport = :80\n"),
        &tcp_sel(),
        &mut Names::default(),
        &mut || (1, 2),
    )
    .unwrap();
    assert_eq!(f.ast.unwrap().to_string(), "(or (src *:22) (dst *:80))");
    // The file alone; a syntax error in it reports its line.
    let e = parse(
        &[],
        Some(b"dport = :80\n)\n"),
        &tcp_sel(),
        &mut Names::default(),
        &mut || (1, 2),
    );
    assert_eq!(
        e.as_ref().err().and_then(FilterError::hint).as_deref(),
        Some("sockscope: filter: unexpected ')' at line 2, column 1 of the filter file")
    );
    // Escaped blanks keep a word together.
    let w = vec![b"src unix:/tmp/a\\ b".to_vec()];
    let f = parse(&w, None, &tcp_sel(), &mut Names::default(), &mut || (1, 2)).unwrap();
    assert_eq!(f.ast.unwrap().to_string(), r#"(src unix:"/tmp/a b")"#);
    // Only the autobound expressions read the port range.
    let mut reads = 0;
    let _ = parse(
        &words("autobound"),
        None,
        &tcp_sel(),
        &mut Names::default(),
        &mut || {
            reads += 1;
            (5, 6)
        },
    )
    .unwrap();
    assert_eq!(reads, 1);
}

#[test]
fn syntax_hint_text() {
    let e = parse_with("dport = :22 )", &tcp_sel()).unwrap_err();
    assert_eq!(
        e.hint().as_deref(),
        Some("sockscope: filter: unexpected ')' at column 13")
    );
    let e = parse_with("dst", &tcp_sel()).unwrap_err();
    assert_eq!(
        e.hint().as_deref(),
        Some("sockscope: filter: unexpected end of the expression at column 4")
    );
}

// ---------------------------------------------------------------------------------------
// Bytecode.

fn hex(b: &[u8]) -> String {
    b.iter()
        .map(|x| format!("{x:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn bytecode(expr: &str) -> Option<String> {
    parse_with(expr, &tcp_sel())
        .unwrap()
        .compile()
        .map(|b| hex(&b))
}

#[test]
fn captured_encodings() {
    // Spec §3.8.3 (strace of ss on this machine).
    let cases: &[(&str, Option<&str>)] = &[
        (
            "dport = :22 or sport = :22",
            Some(
                "08 10 14 00 00 00 00 00 16 00 00 00 00 00 00 00 01 04 14 00 \
                 07 10 14 00 00 00 00 00 16 00 00 00 00 00 00 00",
            ),
        ),
        (
            "! dst 127.0.0.1/8",
            Some("08 10 14 00 02 08 00 00 ff ff ff ff 7f 00 00 01 01 04 08 00"),
        ),
        (
            "src [::1]",
            Some(
                "07 1c 20 00 0a 80 00 00 ff ff ff ff 00 00 00 00 00 00 00 00 00 00 00 00 \
                 00 00 00 01",
            ),
        ),
        ("sport >= :1024", Some("02 08 0c 00 00 00 00 04")),
        ("sport > :1024", Some("03 08 0c 00 00 00 00 04 01 04 08 00")),
        ("autobound", Some("06 04 08 00")),
        (
            "fwmark = 0x20/0xff",
            Some("0a 0c 10 00 20 00 00 00 ff 00 00 00"),
        ),
        ("dev lo", None),
        // §3.8.3: AND relocates the left side's reject exit by the right side's length.
        (
            "dst 127.0.0.1 and dport = :22",
            Some(
                "08 10 24 00 02 20 00 00 ff ff ff ff 7f 00 00 01 \
                 08 10 14 00 00 00 00 00 16 00 00 00 00 00 00 00",
            ),
        ),
        // dev anywhere: nothing is sent.
        ("dport = :22 or ! dev lo", None),
        ("( dev lo )", None),
        ("cgroup /test", Some("0d 0c 10 00 4d 00 00 00 00 00 00 00")),
        ("dport < :10", Some("04 08 0c 00 00 00 0a 00 01 04 08 00")),
        ("dport <= :10", Some("05 08 0c 00 00 00 0a 00")),
        // The port field is 16 bits.
        ("sport >= :70000", Some("02 08 0c 00 00 00 70 11")),
    ];
    for (expr, want) in cases {
        assert_eq!(bytecode(expr).as_deref(), *want, "{expr}");
    }
}

#[test]
fn relocation_rules() {
    // NOT(OR(a, b)) AND c: a's reject exit leads into b; b's reject exit (the end of the
    // NOT's inner part) means "accept the NOT"; the NOT's JMP is the reject exit relocated
    // past c.
    let b = bytecode("! ( sport = :1 or sport = :2 ) and sport = :3").unwrap();
    assert_eq!(
        b,
        "07 10 14 00 00 00 00 00 01 00 00 00 00 00 00 00 \
         01 04 14 00 \
         07 10 14 00 00 00 00 00 02 00 00 00 00 00 00 00 \
         01 04 18 00 \
         07 10 14 00 00 00 00 00 03 00 00 00 00 00 00 00"
    );
    // AND(a, AND(b, c)) and AND(AND(a, b), c) both chain reject exits to the end.
    assert_eq!(
        bytecode("autobound and ( autobound and autobound )").unwrap(),
        "06 04 10 00 06 04 0c 00 06 04 08 00"
    );
    assert_eq!(
        bytecode("autobound and autobound and autobound").unwrap(),
        "06 04 10 00 06 04 0c 00 06 04 08 00"
    );
    // OR: a JMP over the right side.
    assert_eq!(
        bytecode("autobound or autobound").unwrap(),
        "06 04 08 00 01 04 08 00 06 04 08 00"
    );
    // Several addresses: one op per address, all copies of the first, JMPs to the end.
    assert_eq!(
        bytecode("dst localhost").unwrap(),
        "08 10 14 00 02 20 00 00 ff ff ff ff 7f 00 00 01"
    );
    let m = bytecode("dst multi").unwrap();
    let one = "08 10 14 00 02 20 00 00 ff ff ff ff c6 12 00 02";
    assert_eq!(m, format!("{one} 01 04 28 00 {one} 01 04 14 00 {one}"));
}

fn entry(fam: u8, src: [u8; 16], sport: u16, dst: [u8; 16], dport: u16) -> KernelEntry {
    KernelEntry {
        family: fam,
        saddr: src,
        daddr: dst,
        sport,
        dport,
        ..KernelEntry::default()
    }
}

fn v4(a: [u8; 4]) -> [u8; 16] {
    let mut d = [0; 16];
    d[..4].copy_from_slice(&a);
    d
}

fn v6(s: &str) -> [u8; 16] {
    s.parse::<std::net::Ipv6Addr>().unwrap().octets()
}

#[test]
fn kernel_machine() {
    let prog = |e: &str| parse_with(e, &tcp_sel()).unwrap().compile().unwrap();
    let lo = entry(
        family::INET,
        v4([127, 0, 0, 1]),
        22,
        v4([127, 0, 0, 1]),
        40000,
    );
    let mapped = entry(
        family::INET6,
        v6("::ffff:127.0.0.1"),
        8082,
        v6("::ffff:127.0.0.1"),
        34130,
    );
    let six = entry(family::INET6, v6("::1"), 9001, v6("::1"), 55672);
    let cases: &[(&str, &KernelEntry, bool)] = &[
        ("sport = :22", &lo, true),
        ("sport = :23", &lo, false),
        ("dport = :22 or sport = :22", &lo, true),
        ("! dport = :22", &lo, true),
        ("! sport = :22", &lo, false),
        ("dst 127.0.0.1", &mapped, true),
        ("dst 127.0.0.0/8", &mapped, true),
        ("dst 10.0.0.0/8", &mapped, false),
        ("dst [::ffff:127.0.0.1]", &mapped, true),
        ("dst [::ffff:127.0.0.1]", &lo, false),
        ("src [::1]", &six, true),
        ("src [::1]", &lo, false),
        ("src 0.0.0.0/0", &six, false),
        ("src ::/0", &lo, false),
        ("src *:9001", &six, true),
        ("sport >= :9001 and sport <= :9001", &six, true),
        ("sport > :9001", &six, false),
        ("sport < :9001", &six, false),
        ("( sport = :1 or sport = :2 ) or sport = :22", &lo, true),
        (
            "! ( sport = :1 or sport = :22 ) and dport = :40000",
            &lo,
            false,
        ),
        (
            "! ( sport = :1 or sport = :2 ) and dport = :40000",
            &lo,
            true,
        ),
        ("fwmark 0", &lo, true),
        ("fwmark 1", &lo, false),
        ("autobound", &lo, false),
    ];
    for (e, ent, want) in cases {
        let p = prog(e);
        assert_eq!(interp::audit(&p), Ok(()), "{e}");
        assert_eq!(interp::run(&p, ent), *want, "{e} on {ent:?}");
        let ast = parse_with(e, &tcp_sel()).unwrap().ast.unwrap();
        assert_eq!(eval_kernel(&ast, ent), *want, "tree semantics of {e}");
    }
    // The audit rejects what the kernel rejects.
    assert!(interp::audit(&[]).is_err());
    assert!(interp::audit(&[6, 4, 8]).is_err());
    assert!(
        interp::audit(&[6, 4, 12, 0]).is_err(),
        "no past the reject exit"
    );
    assert!(
        interp::audit(&[6, 4, 6, 0, 6, 4, 8, 0]).is_err(),
        "unaligned no"
    );
    assert!(interp::audit(&[99, 4, 8, 0]).is_err());
    // A unix pattern's family (ss sends it; the kernel refuses).
    let mut u = Vec::new();
    u.extend_from_slice(&[7, 16, 20, 0, 1, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0]);
    assert!(interp::audit(&u).is_err());
    // A jump into the middle of an op.
    let bad = [1u8, 4, 8, 0, 2, 8, 12, 0, 0, 0, 0, 0];
    assert!(interp::audit(&bad).is_err());
    assert_eq!(interp::audit(&[1, 4, 4, 0, 6, 4, 8, 0]), Ok(()));
}

// ---------------------------------------------------------------------------------------
// User-space semantics per kind.

fn inet(fam: u8, src: [u8; 16], sport: u16, dst: [u8; 16], dport: u16) -> InetSock<'static> {
    InetSock {
        family: fam,
        table: Some(Table::Tcp),
        protocol: 6,
        state: state::ESTABLISHED,
        src,
        sport,
        dst,
        dport,
        ..InetSock::default()
    }
}

fn user(expr: &str, sel: &Selection, sock: Sock<'_>) -> bool {
    parse_with(expr, sel).unwrap().matches(sock)
}

#[test]
fn user_space_inet() {
    let s = tcp_sel();
    let lo = inet(
        family::INET,
        v4([127, 0, 0, 1]),
        40000,
        v4([127, 0, 0, 1]),
        22,
    );
    let any6 = inet(family::INET6, v6("::"), 80, v6("::"), 0);
    let mapped = inet(
        family::INET6,
        v6("::ffff:127.0.0.1"),
        8082,
        v6("::ffff:127.0.0.1"),
        1,
    );
    let l = Sock::Inet(&lo);
    assert!(user("dport = :22", &s, l));
    assert!(user("dst 127.0.0.1:22", &s, l));
    assert!(!user("dst 127.0.0.1:23", &s, l));
    assert!(user("autobound", &s, l), "40000 is in 32768..60999");
    assert!(user("dst localhost", &s, l));
    assert!(user("dst multi", &s, l), "second address");
    // ss compares raw bits in user space: an IPv4 pattern of zeros matches `::`.
    assert!(user("src 0.0.0.0", &s, Sock::Inet(&any6)));
    assert!(user("src 127.0.0.1", &s, Sock::Inet(&mapped)));
    assert!(!user("src [::1]", &s, l));
    // Ports compare as ints.
    assert!(!user("sport >= :70000", &s, l));
    assert!(user("sport >= :-5", &s, l));
    // /proc sockets: no interface, mark or cgroup.
    let mut p = lo;
    p.ifindex = 2;
    assert!(user("dev v0", &s, Sock::Inet(&p)));
    p.source = Source::Proc;
    assert!(!user("dev v0", &s, Sock::Inet(&p)));
    assert!(user("dev 0", &s, Sock::Inet(&p)));
    let mut m = lo;
    m.attrs.mark = Some(0x20);
    assert!(user("fwmark 0x20", &s, Sock::Inet(&m)));
    assert!(user("fwmark 0/0xf", &s, Sock::Inet(&m)));
    assert!(!user("fwmark 0x20/0xf", &s, Sock::Inet(&m)));
}

#[test]
fn user_space_other_kinds() {
    let sel = Selection {
        tables: tables(&[Table::UnixStream, Table::Netlink, Table::PacketRaw]),
        families: fams(&[family::UNIX, family::NETLINK, family::PACKET]),
        preferred_family: 0,
        resolve_rpc: false,
    };
    let named = UnixSock {
        sock_type: 1,
        state: state::LISTEN,
        inode: 310238,
        name: Some(b"/tmp/sst/stream.sock\0"),
        peer: Some(0),
        ..UnixSock::default()
    };
    let abs = UnixSock {
        inode: 5,
        name: Some(b"\0sockscope-abstract"),
        ..UnixSock::default()
    };
    let auto = UnixSock {
        inode: 6,
        name: Some(b"\x0000a1f"),
        ..UnixSock::default()
    };
    let unnamed = UnixSock {
        inode: 7,
        peer: Some(310238),
        ..UnixSock::default()
    };
    let u = |s: &UnixSock<'static>, e: &str| user(e, &sel, Sock::Unix(s));
    assert!(u(&named, "src unix:*stream*"));
    assert!(u(&named, "src unix:/TMP/*"), "FNM_CASEFOLD");
    assert!(!u(&named, "src unix:/var/*"));
    assert!(u(&abs, "src unix:@sockscope-*"));
    assert!(
        u(&unnamed, "dst unix:*"),
        "a missing name is the empty string"
    );
    assert!(!u(&unnamed, "dst unix:?*"));
    assert!(u(&auto, "autobound"));
    assert!(u(&unnamed, "autobound"));
    assert!(!u(&abs, "autobound"));
    assert!(!u(&named, "autobound"));
    // Inet conditions on unix sockets: the "ports" are the inodes.
    assert!(u(&named, "sport = :310238"));
    assert!(u(&unnamed, "dport = :310238"));
    assert!(u(&unnamed, "src 0.0.0.0"), "no name: zero address words");
    assert!(!u(&named, "src 0.0.0.0"), "a name pointer never matches");
    let mut proc = named;
    proc.source = Source::Proc;
    assert!(!u(&proc, "sport = :310238"), "/proc: ports are 0");
    assert!(u(&proc, "sport = :0"));
    let mut ptext = named;
    ptext.source = Source::Proc;
    ptext.name = Some(b"@abc");
    assert!(u(&ptext, "src unix:@abc"));

    let nl = NetlinkSock {
        protocol: 0,
        portid: (-4096i32) as u32,
        ..NetlinkSock::default()
    };
    let n = |e: &str| user(e, &sel, Sock::Netlink(&nl));
    assert!(n("src netlink:rtnl"));
    assert!(!n("src netlink:genl"));
    assert!(n("autobound"));
    assert!(n("src netlink:rtnl:-4096"));
    assert!(n("dport = :-1"), "-1 is 'any'");
    assert!(n("dport <= :-1"));
    assert!(!n("dport >= :0"));

    let pk = PacketSock {
        sock_type: 3,
        protocol: 3,
        info: Some(PacketInfo {
            index: 2,
            ..PacketInfo::default()
        }),
        ..PacketSock::default()
    };
    let p = |e: &str| user(e, &sel, Sock::Packet(&pk));
    assert!(p("src link:all"));
    assert!(p("src link:all:v0"));
    assert!(!p("src link:ip"));
    assert!(p("src link:*:2"));
    assert!(!p("autobound"));
    assert!(p("dev v0"));
}

// ---------------------------------------------------------------------------------------
// Modes.

#[test]
fn programs_per_mode() {
    let f = parse_with("dport = :22", &tcp_sel()).unwrap();
    let ss = f.compile();
    assert_eq!(f.program(Mode::Auto), (ss.clone(), true));
    assert_eq!(f.program(Mode::User), (None, true));
    let (k, recheck) = f.program(Mode::Kernel);
    assert!(!recheck);
    let k = k.unwrap();
    assert_eq!(interp::audit(&k), Ok(()));
    let ss = ss.unwrap();
    assert!(k.len() > ss.len() && k[..2] == ss[..2]);
    // dev: ss sends nothing; the exact program uses DEV_COND.
    let d = parse_with("dev v0", &tcp_sel()).unwrap();
    assert_eq!(d.program(Mode::Auto), (None, true));
    let (k, recheck) = d.program(Mode::Kernel);
    assert_eq!(k.as_deref(), Some(&[9u8, 8, 12, 0, 2, 0, 0, 0][..]));
    assert!(!recheck);
    // Unix patterns cannot be expressed: kernel mode behaves like auto.
    let u = parse_with("src unix:/x", &tcp_sel()).unwrap();
    assert!(u.program(Mode::Kernel).1);
}

// ---------------------------------------------------------------------------------------
// Property: the compiler, the kernel mirror and the evaluators agree.

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Expressions over a small vocabulary that makes matches likely.
    fn leaf() -> impl Strategy<Value = String> {
        let port = prop_oneof![
            Just(22u32),
            Just(80),
            Just(8080),
            Just(40000),
            Just(0),
            Just(65535)
        ];
        let addr = prop_oneof![
            Just("127.0.0.1"),
            Just("127.0.0.0/8"),
            Just("0.0.0.0"),
            Just("0/0"),
            Just("198.18.0.0/15"),
            Just("[::1]"),
            Just("[::]"),
            Just("::/0"),
            Just("[::ffff:127.0.0.1]"),
            Just("::ffff:0:0/96"),
            Just("7f00::/8"),
            Just("2001:db8::/32"),
            Just("::/1"),
            Just("multi"),
            Just("localhost"),
            Just("six"),
        ];
        prop_oneof![
            (
                prop_oneof![Just("sport"), Just("dport")],
                prop_oneof![
                    Just("="),
                    Just("!="),
                    Just(">="),
                    Just("<="),
                    Just(">"),
                    Just("<")
                ],
                port.clone()
            )
                .prop_map(|(k, o, p)| format!("{k} {o} :{p}")),
            (prop_oneof![Just("src"), Just("dst")], addr.clone())
                .prop_map(|(k, a)| format!("{k} {a}")),
            (prop_oneof![Just("src"), Just("dst")], addr, port).prop_map(|(k, a, p)| {
                if a.starts_with('[') || !a.contains('/') {
                    format!("{k} {a}:{p}")
                } else {
                    format!("{k} {a}")
                }
            }),
            Just("autobound".to_string()),
            (0u32..4, prop_oneof![Just(0xffff_ffffu32), Just(1), Just(0)])
                .prop_map(|(m, k)| format!("fwmark {m}/{k:#x}")),
            Just("sport >= :70000".to_string()),
            Just("dport <= :-3".to_string()),
        ]
    }

    fn expr() -> impl Strategy<Value = String> {
        leaf().prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("( {a} ) or ( {b} )")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("( {a} ) and {b}")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("{a} {b}")),
                inner.clone().prop_map(|a| format!("! ( {a} )")),
                inner.prop_map(|a| format!("not {a}")),
            ]
        })
    }

    fn sock_addr() -> impl Strategy<Value = (u8, [u8; 16])> {
        prop_oneof![
            Just((family::INET, v4([127, 0, 0, 1]))),
            Just((family::INET, v4([0, 0, 0, 0]))),
            Just((family::INET, v4([198, 18, 0, 2]))),
            Just((family::INET6, v6("::1"))),
            Just((family::INET6, v6("::"))),
            Just((family::INET6, v6("::ffff:127.0.0.1"))),
            Just((family::INET6, v6("2001:db8::1"))),
            Just((family::INET6, v6("7f00::1"))),
            any::<[u8; 4]>().prop_map(|a| (family::INET, v4(a))),
            any::<[u8; 16]>().prop_map(|a| (family::INET6, a)),
        ]
    }

    prop_compose! {
        fn sock()(
            (fam, src) in sock_addr(),
            (_, dst) in sock_addr(),
            sport in prop_oneof![Just(22u16), Just(80), Just(8080), Just(40000), Just(0), Just(65535), any::<u16>()],
            dport in prop_oneof![Just(22u16), Just(80), Just(40000), any::<u16>()],
            mark in 0u32..4,
            auto in any::<bool>(),
        ) -> (InetSock<'static>, bool) {
            // Both sides have the socket's family (the other address is reinterpreted).
            let dst = if fam == family::INET { v4([dst[0], dst[1], dst[2], dst[3]]) } else { dst };
            let mut s = inet(fam, src, sport, dst, dport);
            s.attrs.mark = Some(mark);
            (s, auto)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn compiler_kernel_and_evaluator_agree(e in expr(), (s, auto) in sock()) {
            let f = parse_with(&e, &tcp_sel()).unwrap();
            let ast = f.ast.clone().unwrap();
            let view = View::of(Sock::Inet(&s));
            let ent = view.kernel_entry(auto);
            let ss = f.compile().unwrap();
            prop_assert_eq!(interp::audit(&ss), Ok(()));
            let kernel = interp::run(&ss, &ent);
            // The tree's kernel semantics is what the program does.
            prop_assert_eq!(eval_kernel(&ast, &ent), kernel, "kernel tree vs program: {}", e);
            // ss's final verdict, and what user mode computes without bytecode.
            let user = eval_user(&ast, &view, f.ephemeral);
            let final_ = kernel && user;
            let user_mode = user && eval_kernel(&ast, &ent);
            prop_assert_eq!(user_mode, final_);
            // Everything the (final) evaluator accepts, the kernel accepts.
            prop_assert!(!user_mode || kernel);
            prop_assert_eq!(kernel && user_mode, user_mode);
            // The exact program alone decides like ss.
            let (exact, recheck) = f.program(Mode::Kernel);
            let exact = exact.unwrap();
            prop_assert!(!recheck);
            prop_assert_eq!(interp::audit(&exact), Ok(()));
            prop_assert_eq!(interp::run(&exact, &ent), final_, "exact program: {}", e);
        }
    }
}

#[test]
fn user_mode_emulates_the_kernels_bind_lock() {
    // What ss showed on this kernel for `ss -tan 'not autobound'` with a listener on 7777, a
    // client bound explicitly to 5555, an accepted child and a client with a kernel-chosen
    // port: the listener and the explicit client only.
    let f = parse_with("not autobound", &tcp_sel()).unwrap();
    let lo = v4([127, 0, 0, 1]);
    let mut listener = inet(family::INET, lo, 7777, v4([0; 4]), 0);
    listener.state = state::LISTEN;
    let explicit = inet(family::INET, lo, 5555, lo, 7777);
    let child = inet(family::INET, lo, 7777, lo, 5555);
    let eph = inet(family::INET, lo, 48956, lo, 7777);
    let mut tw = inet(family::INET, lo, 7777, lo, 40000);
    tw.state = state::TIME_WAIT;
    for mode in [Mode::User, Mode::Auto, Mode::Kernel] {
        let mut m = f.matcher(mode);
        let got: Vec<bool> = [&listener, &explicit, &child, &eph, &tw]
            .iter()
            .map(|s| m.accept(Sock::Inet(s)))
            .collect();
        let want = match mode {
            Mode::User => vec![true, true, false, false, false],
            // Auto: user space only sees the ports (the kernel filtered before); kernel mode
            // trusts the kernel for inet sockets.
            Mode::Auto => vec![true, true, true, false, true],
            Mode::Kernel => vec![true; 5],
        };
        assert_eq!(got, want, "{mode:?}");
    }
    // /proc and TCPDIAG_FILE sockets were not filtered by a kernel: kernel mode checks them.
    let mut p = eph;
    p.source = Source::Proc;
    assert!(!f.matcher(Mode::Kernel).accept(Sock::Inet(&p)));
    let mut replayed = eph;
    replayed.source = Source::Replay;
    assert!(!f.matcher(Mode::Kernel).accept(Sock::Inet(&replayed)));
    // Other kinds are always checked in user space.
    let nl = NetlinkSock {
        portid: 5,
        ..NetlinkSock::default()
    };
    assert!(f.matcher(Mode::Kernel).accept(Sock::Netlink(&nl)));
    let nl_auto = NetlinkSock {
        portid: (-5i32) as u32,
        ..NetlinkSock::default()
    };
    assert!(!f.matcher(Mode::Kernel).accept(Sock::Netlink(&nl_auto)));
}

// ---------------------------------------------------------------------------------------
// sockscope's keywords: pid, comm, uid, user.

/// Socket owners for the tests: (inode, pid, name), newest first per inode.
#[derive(Clone, Debug, Default)]
struct FakeOwners(Vec<(u32, i32, &'static [u8])>);

impl OwnerLookup for FakeOwners {
    fn any_owner(&self, inode: u32, pred: &mut dyn FnMut(i32, &[u8]) -> bool) -> bool {
        inode != 0
            && self
                .0
                .iter()
                .any(|&(i, pid, name)| i == inode && pred(pid, name))
    }
}

fn all_kinds_sel() -> Selection {
    Selection {
        tables: tables(&[
            Table::Tcp,
            Table::UnixStream,
            Table::Netlink,
            Table::PacketRaw,
        ]),
        families: fams(&[
            family::INET,
            family::INET6,
            family::UNIX,
            family::NETLINK,
            family::PACKET,
        ]),
        preferred_family: 0,
        resolve_rpc: false,
    }
}

#[test]
fn owner_and_uid_conditions_per_kind() {
    let owners = FakeOwners(vec![
        (100, 4000, b"a b\"c"),
        (100, 3000, b"ssfixture"),
        (200, 3000, b"ssfixture"),
        (300, 5, b"nl-owner"),
        (400, 6, b"pk"),
    ]);
    let sel = all_kinds_sel();
    let check = |expr: &str, sock: Sock<'_>| {
        parse_with(expr, &sel)
            .unwrap()
            .matches_with(sock, Some(&owners))
    };
    let mut tcp = inet(
        family::INET,
        v4([127, 0, 0, 1]),
        22,
        v4([127, 0, 0, 1]),
        40000,
    );
    tcp.inode = 100;
    tcp.uid = 1000;
    let t = Sock::Inet(&tcp);
    assert!(check("pid = 3000", t));
    assert!(check("pid = 4000", t), "any owner");
    assert!(!check("pid = 5", t));
    assert!(check("pid != 5", t));
    assert!(!check("pid != 3000", t), "`!=` is NOT of `=`");
    assert!(
        check("pid > 3500", t) && check("pid < 3500", t),
        "existential"
    );
    assert!(!check("pid > 4000", t) && check("pid >= 4000", t));
    assert!(check("pid <= 3000", t) && !check("pid < 3000", t));
    assert!(check("comm = ssfix*", t));
    assert!(check("comm a?b\"c", t), "spaces and quotes");
    let escaped = vec![b"comm".to_vec(), b"a\\ b\"c".to_vec()];
    let f = parse(&escaped, None, &sel, &mut Names::default(), &mut || (1, 2)).unwrap();
    assert!(f.matches_with(t, Some(&owners)), "an escaped blank");
    assert!(!check("comm = SSFIX*", t), "case-sensitive");
    assert!(check("comm != sshd", t));
    assert!(check("uid = 1000", t) && check("uid >= 1000", t) && !check("uid > 1000", t));
    assert!(check("uid != 0", t) && !check("user = root", t));
    assert!(check("sport = :22 and pid = 3000 and uid = 1000", t));
    assert!(!check("sport = :23 and pid = 3000", t));
    // Without the owners map no socket has an owner.
    let f = parse_with("pid = 3000", &sel).unwrap();
    assert!(!f.matches(t));
    assert!(parse_with("not pid = 3000", &sel).unwrap().matches(t));
    // TIME-WAIT: inode 0 has no owners; the kernel reports uid 0.
    let mut tw = tcp;
    tw.inode = 0;
    tw.uid = 0;
    tw.state = state::TIME_WAIT;
    assert!(!check("pid = 3000", Sock::Inet(&tw)));
    assert!(check("uid = 0", Sock::Inet(&tw)));

    // unix: uid only when the dump asked for it (UDIAG_SHOW_UID).
    let mut un = UnixSock {
        inode: 200,
        uid: Some(65534),
        ..UnixSock::default()
    };
    assert!(check("pid = 3000", Sock::Unix(&un)));
    assert!(check("user = nobody", Sock::Unix(&un)));
    assert!(check("uid = 65534 and comm = ssfixture", Sock::Unix(&un)));
    un.uid = None;
    assert!(!check("uid = 65534", Sock::Unix(&un)));
    assert!(!check("uid >= 0", Sock::Unix(&un)), "no uid: never matches");
    assert!(check("uid != 65534", Sock::Unix(&un)));

    // netlink: owners by inode (ss's -p prints none), no uid.
    let nl = NetlinkSock {
        inode: 300,
        ..NetlinkSock::default()
    };
    assert!(check("pid = 5", Sock::Netlink(&nl)));
    assert!(check("comm = nl-*", Sock::Netlink(&nl)));
    assert!(!check("uid = 0", Sock::Netlink(&nl)));

    // packet: owners and the PACKET_DIAG_UID.
    let pk = PacketSock {
        inode: 400,
        uid: Some(0),
        ..PacketSock::default()
    };
    assert!(check("pid = 6 and uid = 0", Sock::Packet(&pk)));
    assert!(!check("comm = ssfixture", Sock::Packet(&pk)));
}

#[test]
fn relaxed_programs() {
    let sel = tcp_sel();
    let bc = |e: &str| parse_with(e, &sel).unwrap().compile().map(|b| hex(&b));
    // Alone, or where they can make the whole expression true: nothing is sent.
    for e in [
        "pid = 5",
        "not pid = 5",
        "sport = :22 or pid = 5",
        "not ( pid = 5 and sport = :22 )",
        "uid = 0 or not comm = x",
        "not not uid = 0",
    ] {
        assert_eq!(bc(e), None, "{e}");
    }
    // Beside ss's conditions they vanish; ss's part compiles to ss's bytes.
    let same = [
        ("sport = :22 and pid = 5", "sport = :22"),
        ("pid = 5 and sport = :22", "sport = :22"),
        ("not ( pid = 5 or sport = :22 )", "not sport = :22"),
        (
            "( uid = 0 and dport = :9000 ) or sport = :22",
            "dport = :9000 or sport = :22",
        ),
        ("not ( comm = x or not sport = :22 )", "not not sport = :22"),
        (
            "sport = :22 and ( not pid = 1 or dport = :1 )",
            "sport = :22",
        ),
    ];
    for (e, ss) in same {
        assert_eq!(bc(e), bc(ss), "{e}");
        assert!(bc(e).is_some());
    }
    // dev anywhere still means no program (ss's rule).
    assert_eq!(bc("dev lo and pid = 5"), None);

    let f = parse_with("dport = :22 and uid = 0", &sel).unwrap();
    assert!(f.has_userspace_only() && f.needs_uid() && !f.needs_owners());
    assert_eq!(f.program(Mode::Auto), (f.compile(), true));
    let (k, recheck) = f.program(Mode::Kernel);
    assert!(recheck, "user space has the final word");
    let exact = parse_with("dport = :22", &sel)
        .unwrap()
        .program(Mode::Kernel)
        .0;
    assert_eq!(k, exact);
    let f = parse_with("comm = x", &sel).unwrap();
    assert!(f.needs_owners() && !f.needs_uid());
    assert_eq!(f.program(Mode::Kernel), (None, true));
    assert_eq!(f.program(Mode::Auto), (None, true));
    assert!(!parse_with("dport = :22", &sel)
        .unwrap()
        .has_userspace_only());
}

#[test]
fn owner_keywords_in_every_mode() {
    let owners = FakeOwners(vec![(10, 77, b"web"), (11, 78, b"db")]);
    let sel = tcp_sel();
    let lo = v4([127, 0, 0, 1]);
    let mut a = inet(family::INET, lo, 8080, lo, 40000);
    a.inode = 10;
    let mut b = inet(family::INET, lo, 5432, lo, 40001);
    b.inode = 11;
    b.uid = 999;
    let mut tw = inet(family::INET, lo, 8080, lo, 40002);
    tw.state = state::TIME_WAIT;
    let socks = [&a, &b, &tw];
    for (expr, want) in [
        ("pid = 77", [true, false, false]),
        ("not pid = 77", [false, true, true]),
        ("comm = web or uid = 999", [true, true, false]),
        ("sport = :8080 and not comm = web", [false, false, true]),
        ("not ( sport = :5432 and comm d* )", [true, false, true]),
        ("pid > 77 or sport = :8080", [true, true, true]),
        ("user = root", [true, false, true]),
    ] {
        let f = parse_with(expr, &sel).unwrap();
        for mode in [Mode::Auto, Mode::User, Mode::Kernel] {
            let (prog, _) = f.program(mode);
            let mut m = f.matcher(mode);
            let got: Vec<bool> = socks
                .iter()
                .map(|s| {
                    // What the kernel would let through, then the matcher's verdict.
                    let kernel = prog.as_ref().is_none_or(|p| {
                        interp::run(p, &View::of(Sock::Inet(s)).kernel_entry(false))
                    });
                    kernel && m.accept_with(Sock::Inet(s), Some(&owners))
                })
                .collect();
            assert_eq!(got, want, "{expr} in {mode:?}");
        }
    }
}

mod owner_props {
    use super::*;
    use proptest::prelude::*;

    fn leaf() -> impl Strategy<Value = String> {
        prop_oneof![
            (
                prop_oneof![Just("pid"), Just("uid")],
                prop_oneof![
                    Just("="),
                    Just("!="),
                    Just(">"),
                    Just("<"),
                    Just(">="),
                    Just("<=")
                ],
                prop_oneof![Just(0u32), Just(1), Just(2), Just(1000)]
            )
                .prop_map(|(k, o, n)| format!("{k} {o} {n}")),
            prop_oneof![Just("web"), Just("w*"), Just("?b"), Just("*")]
                .prop_map(|g| format!("comm = {g}")),
            prop_oneof![Just("root"), Just("nobody")].prop_map(|u| format!("user != {u}")),
            (
                prop_oneof![Just("sport"), Just("dport")],
                prop_oneof![Just(22u16), Just(80)]
            )
                .prop_map(|(k, p)| format!("{k} = :{p}")),
            Just("sport > :1000".to_string()),
            Just("src 127.0.0.0/8".to_string()),
            Just("dst [::1]".to_string()),
            Just("autobound".to_string()),
        ]
    }

    fn expr() -> impl Strategy<Value = String> {
        leaf().prop_recursive(4, 24, 3, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("( {a} ) or ( {b} )")),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("( {a} ) and {b}")),
                inner.clone().prop_map(|a| format!("! ( {a} )")),
                inner.prop_map(|a| format!("not {a}")),
            ]
        })
    }

    /// The kernel's semantics of ss's conditions with sockscope's conditions evaluated for
    /// real: what an ideal kernel program would do.
    fn ideal(n: &Node, e: &KernelEntry, v: &View<'_>) -> bool {
        match n {
            Node::And(a, b) => ideal(a, e, v) && ideal(b, e, v),
            Node::Or(a, b) => ideal(a, e, v) || ideal(b, e, v),
            Node::Not(a) => !ideal(a, e, v),
            x if x.is_userspace_only() => eval_user(x, v, (32768, 60999)),
            x => eval_kernel(x, e),
        }
    }

    prop_compose! {
        fn sock()(
            six in any::<bool>(),
            sport in prop_oneof![Just(22u16), Just(80), Just(40000)],
            dport in prop_oneof![Just(22u16), Just(80), Just(40000)],
            uid in prop_oneof![Just(0u32), Just(1), Just(1000), Just(65534)],
            inode in 0u32..4,
            auto in any::<bool>(),
        ) -> (InetSock<'static>, bool) {
            let (fam, a) = if six { (family::INET6, v6("::1")) } else { (family::INET, v4([127, 0, 0, 1])) };
            let mut s = inet(fam, a, sport, a, dport);
            s.uid = uid;
            s.inode = inode;
            (s, auto)
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The relaxed program never drops a socket the expression accepts, the tree's kernel
        /// semantics is what the program does, and all three modes decide alike.
        #[test]
        fn relaxed_program_never_drops(e in expr(), (s, auto) in sock()) {
            let owners = FakeOwners(vec![
                (1, 2, b"web"),
                (1, 1000, b"db"),
                (2, 1, b"web"),
                (3, 0, b"x b"),
            ]);
            let f = parse_with(&e, &tcp_sel()).unwrap();
            let ast = f.ast.clone().unwrap();
            let mut view = View::of(Sock::Inet(&s));
            view.owners = eval::Owners(Some(&owners));
            let ent = view.kernel_entry(auto);
            let prog = f.compile();
            if let Some(p) = &prog {
                prop_assert_eq!(interp::audit(p), Ok(()));
            }
            let kernel = prog.as_ref().is_none_or(|p| interp::run(p, &ent));
            prop_assert_eq!(eval_kernel(&ast, &ent), kernel, "tree vs program: {}", &e);
            let user = eval_user(&ast, &view, f.ephemeral);
            // Never dropped: whatever the ideal kernel and user space accept, the program does.
            prop_assert!(!(ideal(&ast, &ent, &view) && user) || kernel, "dropped: {}", &e);
            let final_ = kernel && user;
            // user mode: no program, user space applies both rule sets.
            prop_assert_eq!(user && eval_kernel(&ast, &ent), final_);
            // kernel mode: its program, then user space when the tree needs it.
            let (exact, recheck) = f.program(Mode::Kernel);
            let has_ours = ast.any(&Node::is_userspace_only);
            prop_assert!(recheck || !has_ours);
            if let Some(p) = &exact {
                prop_assert_eq!(interp::audit(p), Ok(()));
            }
            let k = exact.as_ref().is_none_or(|p| interp::run(p, &ent));
            let ideal_exact = ideal(&ast, &ent, &view) && user;
            prop_assert!(!ideal_exact || k, "exact program dropped: {}", &e);
            if recheck {
                prop_assert_eq!(k && user, final_, "kernel mode: {}", &e);
            } else {
                prop_assert_eq!(k, final_, "kernel mode without re-check: {}", &e);
            }
        }
    }
}
