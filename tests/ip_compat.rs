//! The `ip` persona against the live iproute2 6.1 `ip` (`/usr/sbin/ip`): option sets compared
//! byte for byte on stdout and by exit status inside a private namespace holding a routing
//! and link fixture; JSON sets are also compared as parsed JSON.
//!
//! Fixture (namespace A = a harness namespace, with its own `lo`, `v0`, `v1`; namespace B =
//! the peer):
//! * links: `veth0`(A)↔`veth1`(B) with altname `uplink0` and an alias; `veth2`(A)↔`veth3`(B)
//!   with `veth2` a port of bridge `br0` (MTU 1400); `br1` (no ports, promiscuous → NO-CARRIER);
//!   macvlan `mv0` on `veth0`; tap `tap0` (down); veth pair `va`↔`vb` inside A (`vb` down →
//!   `M-DOWN`); fixed MAC addresses everywhere;
//! * addresses: 192.0.2.1/24 and 192.0.2.10/24 (label `veth0:1`) and 2001:db8:1::1/64 on
//!   `veth0`, 198.51.100.1/24 and 2001:db8:2::1/64 on `br0`, 203.0.113.1/24 on `br1`;
//! * routes in tables main, 100 and 200 of every type (unicast, local, broadcast, anycast,
//!   multicast, blackhole, unreachable, prohibit, throw), a weighted IPv4 multipath route and
//!   an IPv6 one, metrics (mtu lock, advmss, rtt, rttvar, window, initcwnd, ssthresh, cwnd,
//!   reordering, rto_min, initrwnd, quickack, congctl, features ecn, fastopen_no_cookie,
//!   hoplimit), tos, realm, protocols, scope link + src, IPv6 expires and pref, IPv6
//!   source-specific routing, a host route whose destination has a name in the
//!   namespace's /etc/hosts (for `-r`), routes using nexthop objects (a gateway, a weighted
//!   group, a blackhole; `-d` prints them as `nh_info`);
//! * multicast: IPv4 and IPv6 group joins held by sockets of the test process, a static
//!   link-layer address (`ip maddr add`);
//! * traffic: UDP datagrams over both veth pairs and the bridge, then a wait until every
//!   interface counter of A has been still for a second (counters are compared exactly).
//!
//! Masked (they move between two runs): bridge timers (`gc_timer` …) and IPv6 `expires`.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use crate::harness::netns::NetNs;
use crate::harness::runner::{MaskPolicy, Place, Runner};

/// The reference `ip` (iproute2 6.1.0).
const REFERENCE_IP: &str = "/usr/sbin/ip";

/// Keys whose numeric value is replaced by `0` (text `key  12.34` and JSON `"key": 12.34`).
const MOVING: &[&[u8]] = &[
    b"gc_timer",
    b"hello_timer",
    b"tcn_timer",
    b"topology_change_timer",
    b"hold_timer",
    b"message_age_timer",
    b"forward_delay_timer",
    b"expires",
];

/// Replaces the values of [`MOVING`] keys (and the blanks before them) by `0`; JSON stays
/// valid.
fn mask_moving(out: &[u8]) -> Vec<u8> {
    let mut res = Vec::with_capacity(out.len());
    let mut i = 0;
    'outer: while i < out.len() {
        for key in MOVING {
            if out[i..].starts_with(key) && (i == 0 || !out[i - 1].is_ascii_alphanumeric()) {
                let mut j = i + key.len();
                let mut sep = Vec::new();
                if out.get(j) == Some(&b'"') {
                    sep.push(b'"');
                    j += 1;
                }
                while let Some(&c) = out.get(j) {
                    if c == b':' {
                        sep.push(c);
                    } else if c != b' ' {
                        break;
                    }
                    j += 1;
                }
                let start = j;
                while out
                    .get(j)
                    .is_some_and(|c| c.is_ascii_digit() || *c == b'.' || *c == b'-')
                {
                    j += 1;
                }
                if j > start {
                    res.extend_from_slice(key);
                    res.extend_from_slice(&sep);
                    res.push(b'0');
                    i = j;
                    continue 'outer;
                }
            }
        }
        res.push(out[i]);
        i += 1;
    }
    res
}

/// The two namespaces, the links, addresses, routes and the multicast sockets.
struct IpFixture {
    _sockets: Vec<UdpSocket>,
    peer: NetNs,
    ns: NetNs,
}

impl IpFixture {
    fn new() -> IpFixture {
        let ns = NetNs::new();
        let peer = NetNs::new();
        ns.quiet_links();
        peer.quiet_links();
        let a = |line: &str| ns.ip_words(line);
        let b = |line: &str| peer.ip_words(line);
        let pn = peer.name().to_owned();
        a(&format!(
            "link add veth0 type veth peer name veth1 netns {pn}"
        ));
        a(&format!(
            "link add veth2 type veth peer name veth3 netns {pn}"
        ));
        a("link add va type veth peer name vb");
        a("link add br0 type bridge");
        a("link add br1 type bridge");
        a("link set veth2 master br0");
        a("tuntap add mode tap name tap0");
        a("link add mv0 link veth0 type macvlan mode bridge");
        for (dev, mac) in [
            ("veth0", "02:00:00:00:00:01"),
            ("veth2", "02:00:00:00:00:03"),
            ("br0", "02:00:00:00:00:0b"),
            ("br1", "02:00:00:00:00:0c"),
            ("mv0", "02:00:00:00:00:0d"),
            ("tap0", "02:00:00:00:00:0e"),
            ("va", "02:00:00:00:00:a1"),
            ("vb", "02:00:00:00:00:b1"),
        ] {
            a(&format!("link set dev {dev} address {mac}"));
        }
        b("link set dev veth1 address 02:00:00:00:00:02");
        b("link set dev veth3 address 02:00:00:00:00:04");
        a("link property add dev veth0 altname uplink0");
        ns.ip(&["link", "set", "dev", "veth0", "alias", "uplink to peer b"]);
        a("link set dev br0 mtu 1400");
        for d in ["veth0", "veth2", "br0", "br1", "va", "mv0"] {
            a(&format!("link set {d} up"));
        }
        a("link set br1 promisc on");
        a("link set veth2 allmulticast on");
        b("link set veth1 up");
        b("link set veth3 up");

        a("addr add 192.0.2.1/24 dev veth0");
        a("addr add 192.0.2.10/24 dev veth0 label veth0:1");
        a("-6 addr add 2001:db8:1::1/64 dev veth0 nodad");
        a("addr add 198.51.100.1/24 brd + dev br0");
        a("-6 addr add 2001:db8:2::1/64 dev br0 nodad");
        a("addr add 203.0.113.1/24 dev br1");
        b("addr add 192.0.2.2/24 dev veth1");
        b("-6 addr add 2001:db8:1::2/64 dev veth1 nodad");
        b("addr add 198.51.100.2/24 dev veth3");
        b("-6 addr add 2001:db8:2::2/64 dev veth3 nodad");

        let r = |line: &str| ns.ip_words(&format!("route add {line}"));
        r("default via 192.0.2.254 dev veth0 onlink");
        r("198.18.128.0/17 via 192.0.2.2 dev veth0 proto static metric 100");
        r("198.18.5.0/24 nexthop via 192.0.2.2 dev veth0 weight 1 nexthop via 198.51.100.2 dev br0 weight 2");
        r("blackhole 198.19.1.0/24");
        r("unreachable 198.19.2.0/24");
        r("prohibit 198.19.3.0/24 metric 5");
        r("throw 198.19.4.0/24");
        r("198.19.5.0/24 via 192.0.2.2 mtu 1400 advmss 1360 rtt 100ms rttvar 50ms window 65535 initcwnd 10");
        r("198.19.6.0/24 dev veth0 scope link src 192.0.2.1");
        r("198.19.7.1 via 192.0.2.2");
        r("198.19.8.0/24 via 198.51.100.2 proto bird");
        r("198.19.9.0/24 via 192.0.2.2 mtu lock 1300 congctl reno features ecn");
        r("198.19.10.0/24 tos 0x10 via 192.0.2.2");
        r("198.19.11.0/24 via 192.0.2.2 realm 7 proto 99");
        r("198.19.12.0/24 via 192.0.2.2 rto_min 1500ms quickack 1 ssthresh 20 cwnd 30 initrwnd 40 reordering 5 fastopen_no_cookie 1");
        r("198.18.0.2/32 dev v0 metric 7");
        r("198.18.100.0/24 via 192.0.2.2 table 100");
        r("unreachable default table 100 metric 4278198272");
        r("198.18.200.0/24 dev br0 table 200 proto static");
        r("anycast 198.19.13.0/24 dev veth0 table 200");
        r("multicast 224.1.0.0/16 dev veth0 table 200");
        r("broadcast 198.19.14.255 dev veth0 table 200");
        r("local 198.19.15.1 dev veth0 table 200");
        let r6 = |line: &str| ns.ip_words(&format!("-6 route add {line}"));
        r6("default via 2001:db8:1::ff dev veth0 metric 1024");
        r6("2001:db8:100::/48 via 2001:db8:1::2 dev veth0 pref high");
        r6("2001:db8:101::/48 via 2001:db8:1::2 dev veth0 pref low");
        r6("2001:db8:200::/48 via 2001:db8:1::2 dev veth0 expires 3600");
        r6("2001:db8:300::/48 nexthop via 2001:db8:1::2 dev veth0 nexthop via 2001:db8:2::2 dev br0 weight 3");
        r6("unreachable 2001:db8:dead::/48");
        r6("blackhole 2001:db8:beef::/48");
        r6("prohibit 2001:db8:bad::/48");
        r6("2001:db8:400::/48 via 2001:db8:1::2 dev veth0 mtu 1280 hoplimit 10");
        r6("2001:db8:500::/48 dev br0 table 100");
        r6("2001:db8:600::/48 from 2001:db8:1::/64 via 2001:db8:1::2 dev veth0");
        // Nexthop objects (`ip -d route` prints them as nh_info).
        a("nexthop add id 1 via 192.0.2.2 dev veth0");
        a("nexthop add id 2 via 198.51.100.2 dev br0");
        a("nexthop add id 3 group 1/2,3");
        a("nexthop add id 4 blackhole");
        r("198.19.30.0/24 nhid 1");
        r("198.19.31.0/24 nhid 3");
        r("198.19.32.0/24 nhid 4");
        a("maddr add 01:00:5e:01:02:03 dev veth0");

        // Multicast joins, held by sockets of this process that live in namespace A.
        let sockets = ns.in_netns(|| {
            let mut v = Vec::new();
            let j4 = |group: [u8; 4], ifaddr: [u8; 4]| {
                let s = UdpSocket::bind("0.0.0.0:0").expect("udp socket");
                s.join_multicast_v4(&Ipv4Addr::from(group), &Ipv4Addr::from(ifaddr))
                    .expect("IP_ADD_MEMBERSHIP");
                s
            };
            v.push(j4([239, 1, 2, 3], [192, 0, 2, 1]));
            v.push(j4([239, 4, 5, 6], [198, 51, 100, 1]));
            v.push(j4([239, 4, 5, 6], [198, 51, 100, 1]));
            // Interface index from /proc/net/if_inet6 of the namespace (fields: address,
            // index in hex, prefix length, scope, flags, name).
            let idx = |name: &str| -> u32 {
                let text =
                    std::fs::read_to_string("/proc/thread-self/net/if_inet6").expect("if_inet6");
                text.lines()
                    .find_map(|l| {
                        let f: Vec<&str> = l.split_whitespace().collect();
                        (f.get(5) == Some(&name)).then(|| u32::from_str_radix(f[1], 16).ok())?
                    })
                    .unwrap_or_else(|| panic!("no ifindex for {name}"))
            };
            let j6 = |group: &str, dev: &str| {
                let s = UdpSocket::bind("[::]:0").expect("udp6 socket");
                let g: Ipv6Addr = group.parse().unwrap();
                s.join_multicast_v6(&g, idx(dev)).expect("IPV6_JOIN_GROUP");
                s
            };
            v.push(j6("ff15::1234", "veth0"));
            v.push(j6("ff05::beef", "br0"));
            // Some traffic over both veth pairs and the bridge (counters).
            let send = |from: &str, to: &str, n: usize, len: usize| {
                let s = UdpSocket::bind(from).expect("bind");
                let to: SocketAddr = to.parse().unwrap();
                for _ in 0..n {
                    let _ = s.send_to(&vec![0x55u8; len], to);
                }
            };
            send("192.0.2.1:0", "192.0.2.2:9", 5, 1200);
            send("[2001:db8:1::1]:0", "[2001:db8:1::2]:9", 3, 100);
            send("198.51.100.1:0", "198.51.100.2:9", 4, 300);
            v
        });
        let fx = IpFixture {
            _sockets: sockets,
            peer,
            ns,
        };
        fx.wait_counters_still();
        fx
    }

    /// Waits until /proc/net/dev of A has not changed for 1 s (at most 20 s).
    fn wait_counters_still(&self) {
        let start = Instant::now();
        let mut last = self.ns.read_proc_net("dev");
        let mut since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = self.ns.read_proc_net("dev");
            if now != last {
                last = now;
                since = Instant::now();
            } else if since.elapsed() >= Duration::from_millis(1000) {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "interface counters of {} never stopped moving",
                self.ns.name()
            );
        }
    }

    fn runner(&self, masked: bool) -> Runner<'_> {
        let mut r = Runner::new(Place::Netns {
            ns: &self.ns,
            pidns: false,
        })
        .tool("ip", REFERENCE_IP, "ip utility, iproute2-6.1.0")
        .mask_policy(MaskPolicy::Never)
        .var("{PEER}", self.peer.name().to_owned());
        if masked {
            r = r.mask_with(mask_moving);
        }
        r.preflight(&[
            ("route show table 200", "multicast 224.1.0.0/16 dev veth0"),
            ("link show veth0", "link-netns sockscope-t-"),
            ("maddr show dev veth0", "01:00:5e:01:02:03 users 2 static"),
        ]);
        r
    }
}

const ROUTES: &[&str] = &[
    "route",
    "r",
    "ro sh",
    "route show",
    "route list table main",
    "route lst",
    "-4 route show",
    "-6 route show",
    "route show table all",
    "-6 route show table all",
    "route show table local",
    "-6 route show table local",
    "route show table 100",
    "-6 route show table 100",
    "route show table 200",
    "r s t 200",
    "route show table all type unreachable",
    "route show table all type multicast",
    "route show table all type local",
    "route show table all type broadcast",
    "route show table all type anycast",
    "route show table all proto static",
    "route show proto kernel",
    "route show proto all",
    "route show scope link",
    "route show scope all",
    "route show type blackhole",
    "route show type prohibit",
    "route show type throw",
    "-6 route show type prohibit",
    "route show dev br0",
    "route show table all dev veth0",
    "route show via 192.0.2.2",
    "route show via inet 192.0.2.0/24",
    "route show src 192.0.2.1",
    "route show root 198.18.0.0/15",
    "route show match 198.18.5.1",
    "route show to match 198.19.5.5/32",
    "route show exact 198.18.128.0/17",
    "route show 198.19.7.1",
    "route show default",
    "route show table all default",
    "route show all",
    "route show root 198.19.0.0/16 type unicast",
    "route show tos 0x10",
    "route show metric 100",
    "route show realm 7",
    "route show iif lo",
    "route show mark 0",
    "-6 route show from 2001:db8:1::/64",
    "route show table all from 2001:db8:1::/64",
    "-d route show",
    "-d -6 route show",
    "-d route show table all",
    "-s -6 route show",
    "-N route show",
    "-N route show table all",
    "-o route show",
    "-o -6 route show",
    "-r route show",
    "-c route",
    "-c -6 route",
    "route show table cache",
    "route show cached",
    "-6 route show cache",
    "-n {NS} route",
    "-n {PEER} route show table all",
];

const LINKS: &[&str] = &[
    "link",
    "l",
    "link show",
    "link lst",
    "-4 link",
    "-0 link show lo",
    "link show veth0",
    "link show dev uplink0",
    "link show va",
    "link show vb",
    "link show up",
    "link show type bridge",
    "link show type veth",
    "link show type bridge_slave",
    "link show type macvlan",
    "link show master br0",
    "link show nomaster",
    "link show group default",
    "link show label foo",
    "link show primary",
    "-s link",
    "-s -s l",
    "-s -s -s link",
    "-h -s link",
    "-h -s -s link",
    "-h -iec -s link",
    "-iec -s -s link",
    "-s link show dev veth0",
    "-s -s link show veth0",
    "-6 -s link show lo",
    "-d link",
    "-d -s link show veth0",
    "-d link show tap0",
    "-d link show mv0",
    "-d link show veth2",
    "-N -d link show veth0",
    "-br link",
    "-br -s link",
    "-N -br link",
    "-o link",
    "-o -s link",
    "-o -d link show veth0",
    "-c link",
    "-c -br link",
    "-n {PEER} link",
    "-n {PEER} -s -s link",
];

const MADDR: &[&str] = &[
    "maddr",
    "maddr show",
    "m",
    "maddr show dev veth0",
    "maddr show veth0",
    "maddr show dev br0",
    "-4 maddr",
    "-6 maddr",
    "-0 maddr",
    "-o maddr",
    "-c maddr show dev lo",
    "maddr show dev nosuchdev",
];

const JSON: &[&str] = &[
    "-j route",
    "-j -p route",
    "-j route show table all",
    "-j -6 route show",
    "-j -p -6 route show",
    "-j route show table local",
    "-p -j route show table 100",
    "-j -d route show table all",
    "-j -N route show table all",
    "--json r s t 200",
    "-j link",
    "-j -s link",
    "-j -s -s link",
    "-j -p -s -s link show veth0",
    "-j -p link show br1",
    "-j -d link",
    "-j -d -p link show veth2",
    "-j -d link show tap0",
    "-j -d link show mv0",
    "-j -br link",
    "-j link show up",
    "-j link show type foo",
    "-j maddr",
    "-j -p maddr show dev veth0",
    "-j -o maddr",
];

/// Error paths and command-line handling: stdout (usually empty) and exit status.
const ERRORS: &[&str] = &[
    "route show table 5",
    "-j route show table 5",
    "route show table nosuch",
    "route show table",
    "route show dev nosuchdev",
    "route show garbage",
    "-6 route show garbage",
    "-0 route show 1.2.3.4",
    "route show type foo",
    "route show proto foo",
    "route show metric x",
    "route foo",
    "route help",
    "link show dev nosuchdev",
    "link show dev veth0 dev br0",
    "link show master nosuch",
    "link show to 1.2.3.4",
    "-j link show dev if999",
    "link xyz",
    "link help",
    "maddr xyz",
    "maddr show dev veth0 lo",
    "maddr help",
    "foo",
    "-x route",
    "--bogus",
    "-c=sometimes route",
    "-f ipx route",
    "-s",
    "help",
    "-V",
    "-n sockscope-no-such-ns route",
];

#[test]
fn ip_routes() {
    let fx = IpFixture::new();
    fx.runner(true).check_group("ip-routes", ROUTES);
}

#[test]
fn ip_links_and_maddr() {
    let fx = IpFixture::new();
    let r = fx.runner(true);
    r.check_group("ip-links", LINKS);
    r.check_group("ip-maddr", MADDR);
    r.check_group("ip-errors", ERRORS);
}

#[test]
fn ip_json() {
    let fx = IpFixture::new();
    let r = fx.runner(true);
    r.check_group("ip-json", JSON);
    // Also as parsed JSON (after masking the moving values, which keeps the JSON valid).
    let mut bad = Vec::new();
    for set in JSON {
        let (ro, rs, to, ts) = r.outputs(set);
        let parse = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(&mask_moving(b));
        match (parse(&ro), parse(&to)) {
            (Ok(a), Ok(b)) if a == b && rs == ts => {}
            (Ok(a), Ok(b)) => bad.push(format!("{set}: parsed JSON differs:\n  {a}\n  {b}")),
            (Err(e), _) => bad.push(format!("{set}: reference output is not JSON: {e}")),
            (_, Err(e)) => bad.push(format!("{set}: output under test is not JSON: {e}")),
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn moving_values_are_masked_but_nothing_else() {
    assert_eq!(
        mask_moving(b"x gc_timer  269.17 mcast 1 expires 3599sec pref"),
        b"x gc_timer0 mcast 1 expires0sec pref".to_vec()
    );
    assert_eq!(
        mask_moving(b"{\"gc_timer\":114.13,\"expires\": 3565,\"xexpires\":5}"),
        b"{\"gc_timer\":0,\"expires\":0,\"xexpires\":5}".to_vec()
    );
    assert_eq!(
        mask_moving(b"mtu 1500 expires"),
        b"mtu 1500 expires".to_vec()
    );
}
