//! The scenarios: each is a `sockscope ...` command, the reference command it must beat, and
//! optionally the floor (the same netlink dump done by `sockscope-testbed floor-dump`, every
//! reply discarded), plus the issue's targets for it.
//!
//! Floor requests are the ones sockscope makes, where ss makes its two TCP requests (all
//! states, 0xfff; the bytecode for the filter) one after the other (`TcpWalk`): for `-tan` and
//! `-tanm`, ss's two requests at the same time on two threads; for its `dport` filter scenario
//! and `-tanp`, one legacy request for both families; `-p` adds only user-space work (the owner
//! scan). Otherwise ss 6.1's requests (spec §2.3): TCP for AF_INET then AF_INET6, `idiag_ext`
//! 0x0e for `-i` and 0x41 for `-m`, unix with show NAME|PEER|RQLEN. The netstat socket
//! scenarios get the same floor as ss (sockscope answers them from sock_diag as well); route
//! and link listings get a plain RTM_GETROUTE / RTM_GETLINK dump.

use super::fixture::{grouped, Counts};

/// Which measure a target bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    /// sockscope's median wall / the reference's median wall.
    WallVsReference,
    /// sockscope's median wall / the floor's median wall.
    WallVsFloor,
    /// sockscope's median peak RSS / the reference's.
    RssVsReference,
    /// sockscope's median wall / sockscope's median wall in the scenario with this id (what
    /// an option costs on top of the plain listing, e.g. `-p` over `-tan`).
    WallVsOurs(&'static str),
}

impl Metric {
    pub fn label(self) -> &'static str {
        match self {
            Metric::WallVsReference => "wall vs reference",
            Metric::WallVsFloor => "wall vs floor",
            Metric::RssVsReference => "peak RSS vs reference",
            Metric::WallVsOurs("ss -tan") => "wall vs sockscope -tan",
            Metric::WallVsOurs(_) => "wall vs sockscope in another scenario",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Metric::WallVsReference => "wall_vs_reference",
            Metric::WallVsFloor => "wall_vs_floor",
            Metric::RssVsReference => "rss_vs_reference",
            Metric::WallVsOurs(_) => "wall_vs_ours",
        }
    }
}

/// An upper bound from the issue (defined at 100k sockets).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Target {
    pub metric: Metric,
    pub limit: f64,
}

/// How the first run's outputs of sockscope and the reference are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    /// Byte for byte (the listing is stable while the fixture is idle).
    Exact,
    /// Line counts only (timers, counters or global totals move between two runs).
    Lines,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    /// The name in reports: the reference command line.
    pub id: String,
    /// The reference program (looked up in PATH) and its arguments.
    pub reference: Vec<String>,
    /// The arguments to `sockscope` (a persona word first for netstat and ip).
    pub ours: Vec<String>,
    /// `sockscope-testbed` arguments of the floor, if there is one.
    pub floor: Option<Vec<String>>,
    /// The floor of the reference's own way of asking, where sockscope asks differently (TCP:
    /// ss's requests at the same time, where ss makes them in turn): timed too, so both can
    /// be read.
    pub reference_floor: Option<Vec<String>>,
    /// sockscope once more with an environment variable set (another way of asking, to be
    /// compared side by side), if there is one.
    pub variant: Option<Variant>,
    pub compare: Compare,
    /// Why the reference is not run (it would take minutes), if it is not.
    pub reference_skip: Option<String>,
    pub targets: Vec<Target>,
}

/// A second timed sockscope command: the same arguments with `env` set.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    /// What it is, in reports (e.g. "one walk").
    pub label: String,
    pub env: (String, String),
}

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(String::from).collect()
}

fn scenario(reference: &str, ours: &str, floor: Option<&str>, compare: Compare) -> Scenario {
    Scenario {
        id: reference.to_string(),
        reference: words(reference),
        ours: words(ours),
        floor: floor.map(words),
        reference_floor: None,
        variant: None,
        compare,
        reference_skip: None,
        targets: Vec::new(),
    }
}

/// How sockscope asks for TCP's two families in a scenario (its `TcpWalk`).
#[derive(Clone, Copy)]
enum Walk {
    /// ss's two requests at the same time (a plain listing on two cores).
    Concurrent,
    /// One legacy request (with a kernel filter, with `-p`, or on one core).
    Once,
}

impl Walk {
    /// How sockscope asks for a plain listing on a machine with `cores` cores.
    fn plain(cores: usize) -> Walk {
        if cores > 1 {
            Walk::Concurrent
        } else {
            Walk::Once
        }
    }

    fn floor(self) -> &'static str {
        match self {
            Walk::Concurrent => "floor-dump inet --parallel",
            Walk::Once => "floor-dump inet --one-walk",
        }
    }
}

/// A TCP listing that sockscope asks for in its own way (`walk`): its floor is that request,
/// and the floor of ss's requests in turn is timed too. `floor_args` narrow both (a filter's
/// port).
fn tcp_scenario(reference: &str, ours: &str, walk: Walk, floor_args: &[String]) -> Scenario {
    let mut s = scenario(reference, ours, None, Compare::Exact);
    let floor = |base: &str| {
        let mut w = words(base);
        w.extend(floor_args.iter().cloned());
        w
    };
    s.floor = Some(floor(walk.floor()));
    s.reference_floor = Some(floor("floor-dump inet"));
    s
}

/// Above this many TCP sockets `ss -tanp` and `netstat -tanp` are not run (more than 300 s and
/// 400 s at 1M sockets in the baseline measurements).
pub const PROC_WALK_LIMIT: usize = 200_000;
/// Above this many IPv6 routes `netstat -rn -A inet6` is not run (320 s at 200k routes).
pub const NETSTAT_INET6_ROUTE_LIMIT: usize = 10_000;

/// The full scenario list for a fixture, on a machine with `cores` cores.
pub fn all(c: &Counts, cores: usize) -> Vec<Scenario> {
    let wall = |limit| Target {
        metric: Metric::WallVsReference,
        limit,
    };
    let mut v = Vec::new();

    let mut tan = tcp_scenario("ss -tan", "-tan", Walk::plain(cores), &[]);
    tan.targets = vec![
        wall(0.6),
        Target {
            metric: Metric::WallVsFloor,
            limit: 1.3,
        },
        Target {
            metric: Metric::RssVsReference,
            limit: 1.0,
        },
    ];
    v.push(tan);

    if let Some(f) = c.dport_filter() {
        let filter = f.words().join(" ");
        v.push(tcp_scenario(
            &format!("ss -tan {filter}"),
            &format!("-tan {filter}"),
            Walk::Once,
            &f.floor_args(),
        ));
    }

    let mut tanp = tcp_scenario("ss -tanp", "-tanp", Walk::Once, &[]);
    tanp.targets = vec![
        wall(0.1),
        Target {
            metric: Metric::WallVsOurs("ss -tan"),
            limit: 1.5,
        },
    ];
    if c.tcp_sockets() > PROC_WALK_LIMIT {
        tanp.reference_skip = Some(format!(
            "ss -tanp not run above {} sockets: more than 300 s at 1M",
            grouped(PROC_WALK_LIMIT)
        ));
    }
    v.push(tanp);

    let mut tani = scenario(
        "ss -tani",
        "-tani",
        Some("floor-dump inet --ext 0x0e"),
        Compare::Lines,
    );
    tani.targets = vec![wall(0.6)];
    v.push(tani);

    let mut tanm = tcp_scenario(
        "ss -tanm",
        "-tanm",
        Walk::plain(cores),
        &words("--ext 0x41"),
    );
    tanm.compare = Compare::Lines;
    tanm.targets = vec![wall(0.6)];
    v.push(tanm);

    v.push(scenario(
        "ss -xa",
        "-xa",
        Some("floor-dump unix"),
        Compare::Exact,
    ));
    v.push(scenario("ss -s", "-s", None, Compare::Lines));

    v.push(scenario(
        "netstat -tan",
        "netstat -tan",
        Some("floor-dump inet"),
        Compare::Lines,
    ));
    let mut ntanp = scenario(
        "netstat -tanp",
        "netstat -tanp",
        Some("floor-dump inet"),
        Compare::Lines,
    );
    if c.tcp_sockets() > PROC_WALK_LIMIT {
        ntanp.reference_skip = Some(format!(
            "netstat -tanp not run above {} sockets: more than 400 s at 1M",
            grouped(PROC_WALK_LIMIT)
        ));
    }
    v.push(ntanp);

    v.push(scenario(
        "netstat -rn",
        "netstat -rn",
        Some("floor-dump route --family 4"),
        Compare::Exact,
    ));
    let mut rn6 = scenario(
        "netstat -rn -A inet6",
        "netstat -rn -A inet6",
        Some("floor-dump route --family 6"),
        Compare::Exact,
    );
    if c.routes6 > NETSTAT_INET6_ROUTE_LIMIT {
        rn6.reference_skip = Some(format!(
            "net-tools not run above {} IPv6 routes: it takes minutes (320 s for 200k)",
            grouped(NETSTAT_INET6_ROUTE_LIMIT)
        ));
    }
    v.push(rn6);

    v.push(scenario(
        "ip route show",
        "ip route show",
        Some("floor-dump route --family 4"),
        Compare::Exact,
    ));
    v.push(scenario(
        "ip -6 route show",
        "ip -6 route show",
        Some("floor-dump route --family 6"),
        Compare::Exact,
    ));
    v.push(scenario(
        "ip -s link",
        "ip -s link",
        Some("floor-dump link"),
        Compare::Lines,
    ));
    v
}

/// The `--scaling` list (`cores` as for [`all`]): `ss -tan`, its floors, and sockscope's one
/// walk beside its default.
pub fn scaling(cores: usize) -> Vec<Scenario> {
    let mut s = tcp_scenario("ss -tan", "-tan", Walk::plain(cores), &[]);
    s.variant = Some(Variant {
        label: "one walk".into(),
        env: ("SOCKSCOPE_TCP_WALK".into(), "once".into()),
    });
    vec![s]
}

/// A file-name-safe form of a scenario id.
pub fn slug(id: &str) -> String {
    let mut s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    while s.contains("__") {
        s = s.replace("__", "_");
    }
    s.trim_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{split, TcpGroup, BASE_PORT};
    use super::*;

    fn counts(sockets: usize, routes6: usize) -> Counts {
        let mut c = Counts {
            routes6,
            ..Counts::default()
        };
        for (i, pairs) in split(sockets / 2, 6).into_iter().enumerate() {
            c.tcp_groups.push(TcpGroup {
                port: BASE_PORT + i as u16,
                pairs,
                v6: i % 2 == 1,
            });
        }
        c
    }

    #[test]
    fn every_issue_scenario_is_listed() {
        let ids: Vec<String> = all(&counts(100_000, 200_000), 2)
            .into_iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(
            ids,
            [
                "ss -tan",
                "ss -tan dport = :5001",
                "ss -tanp",
                "ss -tani",
                "ss -tanm",
                "ss -xa",
                "ss -s",
                "netstat -tan",
                "netstat -tanp",
                "netstat -rn",
                "netstat -rn -A inet6",
                "ip route show",
                "ip -6 route show",
                "ip -s link",
            ]
        );
    }

    #[test]
    fn slow_references_are_skipped_with_a_note() {
        let s = all(&counts(100_000, 200_000), 2);
        assert!(s[2].reference_skip.is_none());
        assert!(s[10].reference_skip.is_some());
        let s = all(&counts(1_000_000, 5_000), 2);
        assert!(s[2].reference_skip.is_some());
        assert!(s[8].reference_skip.is_some());
        assert!(s[10].reference_skip.is_none());
    }

    #[test]
    fn filter_scenario_has_matching_floor() {
        let s = all(&counts(100_000, 0), 2);
        assert_eq!(s[1].ours, ["-tan", "dport", "=", ":5001"]);
        assert_eq!(
            s[1].floor.as_deref(),
            Some(&["floor-dump", "inet", "--one-walk", "--dport", "5001"].map(String::from)[..])
        );
    }

    #[test]
    fn plain_listing_floors_follow_the_cores() {
        let floor = |cores, i: usize| all(&counts(100_000, 0), cores)[i].floor.clone();
        let w = |s: &str| Some(words(s));
        // 0: -tan, 4: -tanm.
        assert_eq!(floor(2, 0), w("floor-dump inet --parallel"));
        assert_eq!(floor(2, 4), w("floor-dump inet --parallel --ext 0x41"));
        assert_eq!(floor(1, 0), w("floor-dump inet --one-walk"));
        assert_eq!(floor(1, 4), w("floor-dump inet --one-walk --ext 0x41"));
        assert_eq!(scaling(1)[0].floor, w("floor-dump inet --one-walk"));
    }

    #[test]
    fn slugs_are_file_names() {
        assert_eq!(slug("ss -tan dport = :5001"), "ss_tan_dport_5001");
        assert_eq!(slug("netstat -rn -A inet6"), "netstat_rn_A_inet6");
    }
}
