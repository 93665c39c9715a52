//! The netstat persona against the live net-tools 2.10 `netstat` (`/usr/bin/netstat`): option
//! sets compared byte for byte on stdout and by exit status inside private namespaces.
//!
//! * Sockets: the shared socket fixture of `harness/fixture.rs` (TCP in every state, UDP,
//!   RAW, UNIX of every type incl. un-accepted connections, listeners), compared without a PID
//!   namespace so that `-p` sees the fixture process. Timer seconds (`(12.34/`) are masked.
//! * Routes, interfaces, groups, statistics: a namespace A with a peer B —
//!   links: `vp0`(A)↔`vp1`(B), `vp2`(A)↔`vp3`(B), the harness pair `v0`↔`v1` (both in A), bridge `br0` (no ports:
//!   NO-CARRIER, promiscuous), tun `tun0` (down); addresses with an alias label (`v0:1`);
//!   IPv4 routes in tables main, 100 and 200: gateway, metric, multipath (two nexthops),
//!   blackhole, unreachable, prohibit, throw, metrics (advmss, rtt, window), scope link, a
//!   host route, a network named in the namespace's /etc/networks, a metric ≥ 2^31; IPv6
//!   routes: default, `pref`, `expires`, multipath, unreachable, blackhole, another table;
//!   multicast joins (IPv4 and IPv6, one group joined twice) held by sockets of this test;
//!   traffic over `vp0`, then a wait until every counter of A is still.
//! * The `-c` loop (three rounds under `timeout -s INT 2.5`), and `--json` (parsed).
//!
//! Not compared: `-gc` (net-tools reads uninitialised memory from its second round on).

use std::net::{Ipv4Addr, Ipv6Addr, UdpSocket};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::fixture::Fixture;
use crate::harness::netns::NetNs;
use crate::harness::runner::{MaskPolicy, Place, Runner};

/// The reference netstat (Debian net-tools 2.10).
const REFERENCE_NETSTAT: &str = "/usr/bin/netstat";

/// Replaces the seconds of timer texts (`on (0.20/`, `keepalive (7199.98/`) by `#`: they
/// move between two runs. Nothing else is touched.
fn mask_timers(out: &[u8]) -> Vec<u8> {
    let mut res = Vec::with_capacity(out.len());
    let mut i = 0;
    while i < out.len() {
        if out[i] == b'(' {
            let mut j = i + 1;
            while out.get(j).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                j += 1;
            }
            if j > i + 1 && out.get(j) == Some(&b'/') && out[i + 1..j].contains(&b'.') {
                res.extend_from_slice(b"(#/");
                i = j + 1;
                continue;
            }
        }
        res.push(out[i]);
        i += 1;
    }
    res
}

/// Every run of digits as `#` (counters that moved during a `-c` run).
fn mask_digits(out: &[u8]) -> Vec<u8> {
    let mut res = Vec::with_capacity(out.len());
    for (i, &c) in out.iter().enumerate() {
        if c.is_ascii_digit() {
            if i == 0 || !out[i - 1].is_ascii_digit() {
                res.push(b'#');
            }
        } else {
            res.push(c);
        }
    }
    res
}

fn runner_for(ns: &NetNs, masked: bool) -> Runner<'_> {
    let mut r = Runner::new(Place::Netns { ns, pidns: false })
        .tool("netstat", REFERENCE_NETSTAT, "net-tools 2.10\n")
        .mask_policy(MaskPolicy::Never);
    if masked {
        r = r.mask_with(mask_timers);
    }
    r
}

// ---- sockets -------------------------------------------------------------------------------

/// Socket listings (no timers): the default set, -a/-l, every kind, families, names and
/// numbers, -e, -p, -W, long options and abbreviations, words among options.
const SOCKETS: &[&str] = &[
    "",
    "-n",
    "-a",
    "-an",
    "-l",
    "-ln",
    "-t",
    "-tn",
    "-ta",
    "-tan",
    "-taW",
    "-tanW",
    "-tl",
    "-tln",
    "-tlnp",
    "-tanp",
    "-tane",
    "-tanee",
    "-tanee --numeric-users",
    "-tan --numeric-hosts",
    "-ta --numeric-ports",
    "-e",
    "-tae",
    "-tap",
    "-u",
    "-ua",
    "-uan",
    "-ul",
    "-uanp",
    "-w",
    "-wa",
    "-wan",
    "-U",
    "-anU",
    "-an --udplite",
    "-x",
    "-xa",
    "-xan",
    "-xl",
    "-xap",
    "-xanee",
    "-A unix",
    "-A unix -a",
    "--unix -l",
    "-an -4",
    "-an -6",
    "-an -A inet",
    "-an -A inet6",
    "-an --inet",
    "-an --inet6",
    "-tan -4 -6",
    "-t -6 -n",
    "-x -6 -n",
    "-tuwan",
    "-tuxan",
    "-v",
    "-av",
    "--tcp --all --numeric",
    "--tc --al --nu",
    "--prog -tln",
    "--ext -tan",
    "--protocol=inet6 -tan",
    "--protocol inet -tan",
    "-A inet,inet6 -tn",
    "-A ip6 -an",
    "-A tcpip -tn",
    "--ip -tn",
    "foo -tn bar",
    "-tn -- -x",
    "-d -tn",
    "-N -tn",
    "-lpn",
    "-aneep",
    "-g",
    "-gn",
    "-gn -4",
    "-gn -6",
    "--groups --numeric",
    "--tcpip",
];

/// Sets with `-o` (timer figures masked).
const TIMERS: &[&str] = &[
    "-tano", "-tanope", "-uanope", "-wanope", "-uao", "-to", "-tlo", "-anoe",
];

/// Usage, version, option errors, unsupported families and modes.
const MESSAGES: &[&str] = &[
    "-V",
    "--version",
    "-h",
    "--help",
    "-?",
    "-y",
    "-T",
    "-j",
    "--foo",
    "--foo=bar",
    "--tcp=1",
    "--num",
    "--in",
    "--un",
    "--u",
    "-A",
    "--protocol",
    "-A bogus",
    "-A inet,",
    "-r -i",
    "-ii",
    "-rr",
    "-s -M",
    "-M",
    "-Z",
    "-anS",
    "-S",
    "--ipx",
    "--ax25",
    "--netrom",
    "--x25",
    "--rose",
    "-f",
    "-2",
    "-tf",
    "--bluetooth",
    "-A ash",
    "-Vy",
    "-yV",
    "-tV",
];

/// Whether a netstat option set asks for programs (`-p` among short options, or `--program`).
fn has_p(set: &str) -> bool {
    set.split_whitespace().any(|w| {
        w.starts_with("--prog") || (w.starts_with('-') && !w.starts_with("--") && w.contains('p'))
    })
}

fn socket_group(group: &str, masked: bool, sets: &[&str]) {
    let fx = Fixture::new();
    let mut runner =
        runner_for(fx.ns(), masked).var("{DIR}", fx.dir().to_string_lossy().into_owned());
    runner.preflight(&[
        ("-tln", "127.0.0.1:9000"),
        ("-xa", "stream.sock"),
        ("-tlnp", "/"),
    ]);
    runner.check_group(group, sets);
    // -p once more with the kernel's task-file iterator forced (the fixture is small, so the
    // default reads /proc).
    runner.set_sut_env("SOCKSCOPE_OWNERS", "kernel");
    let with_p: Vec<&str> = sets.iter().copied().filter(|s| has_p(s)).collect();
    if !with_p.is_empty() {
        runner.check_group(&format!("{group} SOCKSCOPE_OWNERS=kernel"), &with_p);
    }
    drop(runner);
    drop(fx);
}

#[test]
fn netstat_sockets() {
    socket_group("netstat sockets", false, SOCKETS);
}

#[test]
fn netstat_timers() {
    socket_group("netstat timers", true, TIMERS);
}

#[test]
fn netstat_messages() {
    socket_group("netstat messages", false, MESSAGES);
}

// ---- routes, interfaces, groups, statistics ------------------------------------------------

/// Namespace A (with the harness pair `v0`/`v1`), its peer B, and the sockets holding the
/// multicast joins.
struct NetFixture {
    _sockets: Vec<UdpSocket>,
    _peer: NetNs,
    ns: NetNs,
}

/// The interface index of `dev` in `ns` (`ip -o link show dev DEV` starts with `N:`).
fn ifindex(ns: &NetNs, dev: &str) -> u32 {
    let out = Command::new("ip")
        .args(["-n", ns.name(), "-o", "link", "show", "dev", dev])
        .output()
        .unwrap_or_else(|e| panic!("ip link show {dev}: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    text.split(':')
        .next()
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no ifindex for {dev} in {text:?}"))
}

impl NetFixture {
    fn new() -> NetFixture {
        let ns = NetNs::new();
        let peer = NetNs::new();
        ns.quiet_links();
        peer.quiet_links();
        let a = |line: &str| ns.ip_words(line);
        let b = |line: &str| peer.ip_words(line);
        let pn = peer.name().to_owned();
        a(&format!("link add vp0 type veth peer name vp1 netns {pn}"));
        a(&format!("link add vp2 type veth peer name vp3 netns {pn}"));
        a("link add br0 type bridge");
        a("tuntap add mode tun name tun0");
        a("link set dev vp0 address 02:00:00:00:00:01");
        a("link set dev br0 address 02:00:00:00:00:0b");
        b("link set dev vp1 address 02:00:00:00:00:02");
        a("link set dev br0 mtu 1400");
        a("link set dev vp2 address 02:00:00:00:00:03");
        a("link set vp0 up");
        a("link set vp2 up");
        b("link set vp3 up");
        a("link set br0 up");
        a("link set br0 promisc on");
        a("link set v1 allmulticast on");
        b("link set vp1 up");
        a("addr add 192.0.2.1/24 dev vp0");
        a("addr add 198.18.0.10/24 dev v0 label v0:1");
        a("-6 addr add 2001:db8:1::1/64 dev vp0 nodad");
        a("addr add 203.0.113.1/24 brd + dev br0");
        a("-6 addr add 2001:db8:2::1/64 dev br0 nodad");
        a("addr add 198.51.100.1/24 dev vp2");
        a("-6 addr add 2001:db8:3::1/64 dev vp2 nodad");
        b("addr add 198.51.100.2/24 dev vp3");
        b("-6 addr add 2001:db8:3::2/64 dev vp3 nodad");
        b("addr add 192.0.2.2/24 dev vp1");
        b("-6 addr add 2001:db8:1::2/64 dev vp1 nodad");

        let r = |line: &str| ns.ip_words(&format!("route add {line}"));
        r("default via 192.0.2.2 dev vp0");
        r("198.18.4.0/24 via 198.18.0.2 dev v0 proto static metric 100");
        r("198.18.5.0/24 nexthop via 198.18.0.2 dev v0 weight 1 nexthop via 198.51.100.2 dev vp2 weight 2");
        r("blackhole 198.19.1.0/24");
        r("unreachable 198.19.2.0/24");
        r("prohibit 198.19.3.0/24 metric 5");
        r("throw 198.19.4.0/24");
        r("198.19.5.0/24 via 192.0.2.2 mtu 1400 advmss 1360 rtt 100ms rttvar 50ms window 65535");
        r("198.19.6.0/24 dev vp0 scope link src 192.0.2.1");
        r("198.19.7.1 via 198.18.0.2");
        r("198.19.8.0/24 via 192.0.2.2 proto bird");
        r("198.19.9.0/24 dev vp0");
        r("198.19.10.0/24 dev vp0 metric 4278198272");
        r("198.18.100.0/24 via 192.0.2.2 table 100");
        r("unreachable default table 100 metric 4278198272");
        r("198.18.200.0/24 dev br0 table 200 proto static");
        let r6 = |line: &str| ns.ip_words(&format!("-6 route add {line}"));
        r6("default via 2001:db8:1::2 dev vp0 metric 1024");
        r6("2001:db8:100::/48 via 2001:db8:1::2 dev vp0 pref high");
        r6("2001:db8:200::/48 via 2001:db8:1::2 dev vp0 expires 3600");
        r6("2001:db8:300::/48 nexthop via 2001:db8:1::2 dev vp0 nexthop via 2001:db8:3::2 dev vp2");
        r6("unreachable 2001:db8:dead::/48");
        r6("blackhole 2001:db8:beef::/48");
        r6("2001:db8:500::/48 dev br0 table 100");

        // Names of the namespace: a network name (`-r`), a gateway name longer than 15.
        let etc = std::path::Path::new("/etc/netns").join(ns.name());
        let w = std::fs::write(
            etc.join("networks"),
            "testnet\t198.19.9.0\nloopback\t127.0.0.0\n",
        )
        .and_then(|()| {
            use std::io::Write;
            let mut h = std::fs::OpenOptions::new()
                .append(true)
                .open(etc.join("hosts"))?;
            h.write_all(
                b"192.0.2.2\ta-really-long-peer-hostname.example\n2001:db8:1::2\tpeer6.example\n",
            )
        });
        if let Err(e) = w {
            panic!("cannot write names under {}: {e}", etc.display());
        }

        // Multicast joins (kept by this process) and traffic over vp0.
        let v0 = ifindex(&ns, "v0");
        let br0 = ifindex(&ns, "br0");
        let sockets = ns.in_netns(|| {
            let mut v = Vec::new();
            let join4 = |group: &str, iface: &str| {
                let s = UdpSocket::bind("0.0.0.0:0").expect("udp socket");
                let g: Ipv4Addr = group.parse().expect("group");
                let i: Ipv4Addr = iface.parse().expect("iface");
                s.join_multicast_v4(&g, &i).expect("IP_ADD_MEMBERSHIP");
                s
            };
            let join6 = |group: &str, index: u32| {
                let s = UdpSocket::bind("[::]:0").expect("udp6 socket");
                let g: Ipv6Addr = group.parse().expect("group");
                s.join_multicast_v6(&g, index).expect("IPV6_JOIN_GROUP");
                s
            };
            v.push(join4("239.1.2.3", "198.18.0.1"));
            v.push(join4("239.4.5.6", "203.0.113.1"));
            v.push(join4("239.4.5.6", "203.0.113.1"));
            v.push(join6("ff15::1234", v0));
            v.push(join6("ff05::beef", br0));
            let tx = UdpSocket::bind("192.0.2.1:0").expect("udp tx");
            for i in 0..20u32 {
                let _ = tx.send_to(&[i as u8; 200], "192.0.2.2:9");
            }
            let tx6 = UdpSocket::bind("[2001:db8:1::1]:0").expect("udp6 tx");
            for i in 0..5u32 {
                let _ = tx6.send_to(&[i as u8; 100], "[2001:db8:1::2]:9");
            }
            v
        });
        let fx = NetFixture {
            _sockets: sockets,
            _peer: peer,
            ns,
        };
        fx.wait_counters_still();
        fx
    }

    /// Waits until /proc/net/dev and /proc/net/snmp of A have not changed for 1 s.
    fn wait_counters_still(&self) {
        let start = Instant::now();
        let read = || {
            (
                self.ns.read_proc_net("dev"),
                self.ns.read_proc_net("snmp"),
                self.ns.read_proc_net("snmp6"),
            )
        };
        let mut last = read();
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = read();
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= Duration::from_millis(1000) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "counters of {} never stopped moving",
                self.ns.name()
            );
        }
    }

    fn runner(&self) -> Runner<'_> {
        let r = runner_for(&self.ns, false);
        r.preflight(&[
            (
                "-rn",
                "198.19.5.0      192.0.2.2       255.255.255.0   UG     1400 65535    100 vp0",
            ),
            ("-6rn", "2001:db8:300::/48"),
            ("-i", "vp0"),
            ("-gn", "239.4.5.6"),
        ]);
        r
    }
}

/// Routes: every layout, names and numbers, cache headers, IPv6, family lists and errors.
const ROUTES: &[&str] = &[
    "-r",
    "-rn",
    "-re",
    "-rne",
    "-ree",
    "-rnee",
    "-rneee",
    "-rneeee",
    "-rnv",
    "-rN",
    "-rC",
    "-rnC",
    "-rCe",
    "-rCee",
    "-rF",
    "-rFC",
    "-6r",
    "-6rn",
    "-6rne",
    "-rn -A inet6",
    "-rn -A inet6 -e",
    "-rn -4 -6",
    "-rn -6 -4",
    "-rnC -6",
    "--route --numeric",
    "--rou -n",
    "--route --inet6",
    "-r -A unix",
    "-r -x",
    "-r -A ash",
    "-r -A econet",
    "-r -A bluetooth",
    "-r -A ax25",
    "-r -A netrom",
    "-r -A rose",
    "-r -A ipx",
    "-r -A ddp",
    "-r -A x25",
    "-rn -A inet,unix",
];

/// Interfaces, groups and statistics.
const IFACES_STATS: &[&str] = &[
    "-i",
    "-iv",
    "-iN",
    "-ia",
    "-in",
    "-ie",
    "-iae",
    "-iee",
    "--interfaces",
    "--interfaces --all --extend",
    "-g",
    "-gn",
    "-gn -4",
    "-gn -6",
    "-gnv",
    "-s",
    "-st",
    "-su",
    "-sw",
    "-sS",
    "-sU",
    "-s -6",
    "-s -6 -t",
    "-s -6 -u",
    "-s -6 -w",
    "-s -A inet6",
    "-s --inet6",
    "-s -4",
    "-s -4 -6",
    "-s -x",
    "-sc",
    "--statistics --tcp",
];

#[test]
fn netstat_routes() {
    let fx = NetFixture::new();
    let r = fx.runner();
    r.check_group("netstat routes", ROUTES);
}

#[test]
fn netstat_interfaces_groups_statistics() {
    let fx = NetFixture::new();
    let r = fx.runner();
    r.check_group("netstat interfaces/groups/statistics", IFACES_STATS);
}

/// The IPv6 routes built from rtnetlink (used above 5,000 routes) equal the /proc rows except
/// for the reference counts.
#[test]
fn netstat_ipv6_routes_from_rtnetlink() {
    let fx = NetFixture::new();
    let r = fx.runner();
    let strip_ref = |out: &[u8]| -> Vec<String> {
        String::from_utf8_lossy(out)
            .lines()
            .map(|l| {
                // `… Flag Met Ref  Use If`: blank out the Ref column (the 5th field).
                let mut f: Vec<&str> = l.split_whitespace().collect();
                if f.len() == 7 && f[4].chars().all(|c| c.is_ascii_digit()) {
                    f[4] = "R";
                }
                f.join(" ")
            })
            .collect()
    };
    // Limit 0: every row comes from the dump as it arrives; 3: the first rows are kept until
    // the limit is passed, then printed ahead of the rest.
    for limit in [0, 3] {
        for set in ["-6rn", "-6r", "-6rne"] {
            let (want, ws, _, _) = r.outputs(set);
            let (_, _, got, gs) =
                r.outputs(&format!("SOCKSCOPE_IPV6_ROUTE_PROC_LIMIT={limit} {set}"));
            assert_eq!(ws, gs, "{set}: exit status");
            assert_eq!(strip_ref(&want), strip_ref(&got), "{set} (limit {limit})");
            assert!(want.len() > 200, "{set}: reference printed too little");
        }
    }
}

/// `-c` repeats every second until interrupted (three rounds in 2.5 s, exit 124 from timeout).
#[test]
fn netstat_continuous() {
    let fx = NetFixture::new();
    let tmp = crate::harness::TempDir::new("-nsc");
    let link = tmp.path().join("netstat");
    std::os::unix::fs::symlink(crate::harness::bin_under_test(), &link).expect("symlink");
    let run = |bin: &std::path::Path, args: &[&str]| {
        let out = fx
            .ns
            .exec("/usr/bin/timeout")
            .args(["-s", "INT", "2.5"])
            .arg(bin)
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run");
        (out.stdout, out.status.code())
    };
    for args in [
        &["-tnc"][..],
        &["-ic"],
        &["-iec"],
        &["-rnc"],
        &["-xnc"],
        &["-snc"],
    ] {
        // Counters may move while the rounds run (a neighbour probe): one retry, as the
        // runner does.
        let attempt = || {
            let (want, ws) = run(std::path::Path::new(REFERENCE_NETSTAT), args);
            let (got, gs) = run(&link, args);
            (want, ws, got, gs)
        };
        let mut r = attempt();
        if r.0 != r.2 || r.1 != r.3 {
            r = attempt();
        }
        let (mut want, ws, mut got, gs) = r;
        assert_eq!(ws, gs, "{args:?}: exit status");
        if want != got && args[0].starts_with("-i") {
            // Interface counters that moved during the rounds: compare them as `#`.
            want = mask_digits(&want);
            got = mask_digits(&got);
        }
        assert!(
            want == got,
            "{args:?} differs:\n--- reference\n{}\n--- sockscope\n{}",
            String::from_utf8_lossy(&want),
            String::from_utf8_lossy(&got)
        );
    }
    // The Windows/BSD trailing interval repeats too (net-tools ignores the word).
    let (got, gs) = run(&link, &["-rn", "1"]);
    assert_eq!(gs, Some(124));
    let rounds = String::from_utf8_lossy(&got)
        .matches("Kernel IP routing table")
        .count();
    assert!(rounds >= 2, "interval 1 s printed {rounds} rounds");
}

/// `--json` (beyond net-tools) parses and has one object per row of the text listing.
#[test]
fn netstat_json() {
    let fx = NetFixture::new();
    let r = fx.runner();
    for (set, text_set, header_lines) in [
        ("-rn --json", "-rn", 2usize),
        ("-6rn --json", "-6rn", 2),
        ("-ia --json", "-ia", 2),
        ("-gn --json", "-gn", 3),
        ("-s --json", "-s", 0),
    ] {
        let (_, _, out, status) = r.outputs(set);
        assert_eq!(status, Some(0), "{set}");
        let v: serde_json::Value = serde_json::from_slice(&out)
            .unwrap_or_else(|e| panic!("{set}: {e}\n{}", String::from_utf8_lossy(&out)));
        let rows = v.as_array().map_or(0, Vec::len);
        assert!(rows > 0, "{set}: no rows");
        if header_lines > 0 {
            let (text, _, _, _) = r.outputs(text_set);
            let want = String::from_utf8_lossy(&text).lines().count() - header_lines;
            assert_eq!(rows, want, "{set}: rows");
        }
    }
    let sockets = Fixture::new();
    let r = runner_for(sockets.ns(), false);
    let (text, _, _, _) = r.outputs("-tan");
    let (_, _, out, _) = r.outputs("-tan --json");
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    let arr = v.as_array().expect("array");
    assert_eq!(
        arr.len(),
        String::from_utf8_lossy(&text).lines().count() - 2
    );
    assert!(arr
        .iter()
        .any(|o| o["state"] == "LISTEN" && o["local"]["port"] == 9000));
}

#[test]
fn timer_mask_touches_only_timer_figures() {
    assert_eq!(
        mask_timers(b"x keepalive (7194.79/0/0)\ny off (0.00/0/0) (12/x) (a.1/"),
        b"x keepalive (#/0/0)\ny off (#/0/0) (12/x) (a.1/".to_vec()
    );
}
