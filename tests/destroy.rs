//! `-K` (destroy the sockets shown) and `-E` (follow destroy events) against the live ss
//! (spec 2.6, 2.7).
//!
//! The sockets are opened by this test process on a thread that joined a fresh namespace
//! (fixed ports, so both tools see the same addresses): TCP listeners 127.0.0.1:9400 and
//! [::1]:9400 with three accepted connections each from ports 7500-7502 / 7600-7602, and
//! connected UDP sockets 127.0.0.1:5300 → :5301 and [::1]:5302 → :5303.
//!
//! * `-K` destroys what it shows, so ss and sockscope each run on their own copy of the
//!   sockets (two namespaces). Each case selects at most one end of each connection: destroying
//!   one end resets the other, so which ends are left to list would depend on the dump order. The kernel orders its hash table per namespace, so the rows are
//!   compared sorted (the header, the widths, each row and the exit status must be equal),
//!   and then what is left (`ss -tuan`) is compared the same way.
//! * `-K` as `nobody`: SOCK_DESTROY is refused (EPERM); both tools run on the same sockets.
//! * `-E` runs forever: ss (unbuffered through `stdbuf -o0`, else its block-buffered stdout is
//!   lost when it is killed) and sockscope subscribe side by side, the sockets are closed, and
//!   the outputs are compared once they stop growing.

use std::io::Read;
use std::os::fd::OwnedFd;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use libc::c_int;

use crate::harness::diff::line_diff;
use crate::harness::netns::{run_tool, NetNs};
use crate::harness::sys::{
    accept, bind, connect, listen, owned_fds, setint, sock, v4, v6, LO4, LO6, R,
};
use crate::harness::{bin_under_test, child_path_env, require_root_and_tools, REFERENCE_SS};

fn stream(domain: c_int) -> R<c_int> {
    sock(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0)
}

/// Opens the sockets of the module doc inside `ns`; they live as long as the returned fds.
fn open_sockets(ns: &NetNs) -> Vec<OwnedFd> {
    let fds = ns.in_netns(|| -> R<Vec<c_int>> {
        let mut fds = Vec::new();
        for (domain, at, first) in [(libc::AF_INET, 4, 7500u16), (libc::AF_INET6, 6, 7600)] {
            let addr = |port| {
                if at == 4 {
                    v4(LO4, port)
                } else {
                    v6(LO6, port, 0)
                }
            };
            let l = stream(domain)?;
            fds.push(l);
            setint(l, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
            bind(l, addr(9400))?;
            listen(l, 16)?;
            for i in 0..3 {
                let c = stream(domain)?;
                fds.push(c);
                bind(c, addr(first + i))?;
                connect(c, addr(9400))?;
                fds.push(accept(l)?);
            }
        }
        for (domain, from, to) in [
            (libc::AF_INET, v4(LO4, 5300), v4(LO4, 5301)),
            (libc::AF_INET6, v6(LO6, 5302, 0), v6(LO6, 5303, 0)),
        ] {
            let u = sock(domain, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0)?;
            fds.push(u);
            bind(u, from)?;
            connect(u, to)?;
        }
        Ok(fds)
    });
    owned_fds(fds, "tests/destroy.rs")
}

fn sut() -> String {
    bin_under_test().to_string_lossy().into_owned()
}

/// The header line, then the other lines sorted.
fn header_and_sorted_rows(out: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(out);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default().to_owned();
    let mut rows: Vec<&str> = lines.collect();
    rows.sort_unstable();
    let mut v = header.into_bytes();
    for r in rows {
        v.push(b'\n');
        v.extend_from_slice(r.as_bytes());
    }
    v
}

fn rows(out: &[u8]) -> usize {
    out.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count()
}

#[test]
fn kill_destroys_what_ss_destroys() {
    require_root_and_tools();
    // (option set, rows the reference must print: each case has to destroy something)
    let cases: &[(&[&str], usize)] = &[
        (&["-K", "-tn", "dport", "=", ":9400"], 6),
        (&["-K", "-una"], 2),
        (&["-K", "-tan", "sport", "=", ":7501"], 1),
        (&["-K", "-tuna", "-6", "sport", "!=", ":9400"], 4),
        (&["-K", "-tln"], 2),
        (&["-K", "-n", "dst", "[::1]:9400"], 3),
    ];
    let sut = sut();
    let mut failures = Vec::new();
    for (args, min_rows) in cases {
        let (ns_ref, ns_sut) = (NetNs::new(), NetNs::new());
        let (_ref_fds, _sut_fds) = (open_sockets(&ns_ref), open_sockets(&ns_sut));
        let want = run_tool(&ns_ref, REFERENCE_SS, args, false);
        let got = run_tool(&ns_sut, &sut, args, false);
        assert!(
            rows(&want.stdout) > *min_rows,
            "ss {args:?} destroyed fewer sockets than the case expects:\n{}",
            String::from_utf8_lossy(&want.stdout)
        );
        let left = ["-tuan"];
        let (left_ref, left_sut) = (
            run_tool(&ns_ref, REFERENCE_SS, &left, false),
            run_tool(&ns_sut, REFERENCE_SS, &left, false),
        );
        let (w, g) = (
            header_and_sorted_rows(&want.stdout),
            header_and_sorted_rows(&got.stdout),
        );
        let (lw, lg) = (
            header_and_sorted_rows(&left_ref.stdout),
            header_and_sorted_rows(&left_sut.stdout),
        );
        if w != g || want.code != got.code {
            failures.push(format!(
                "{args:?}: exit {:?} vs {:?}; stderr {:?}\n{}",
                want.code,
                got.code,
                got.stderr,
                line_diff(&w, &g)
            ));
        } else if lw != lg {
            failures.push(format!(
                "{args:?}: sockets left differ\n{}",
                line_diff(&lw, &lg)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn kill_refused_without_privilege() {
    require_root_and_tools();
    let ns = NetNs::new();
    let _fds = open_sockets(&ns);
    let sut = sut();
    let mut failures = Vec::new();
    for args in [
        &["-K", "-tn", "dport", "=", ":9400"][..],
        &["-K", "-tan"],
        &["-K", "-una"],
        &["-K", "-tuna", "-6"],
        &["-K", "-xa"],
    ] {
        let want = run_tool(&ns, REFERENCE_SS, args, true);
        let got = run_tool(&ns, &sut, args, true);
        if want.stdout != got.stdout || want.code != got.code || want.stderr != got.stderr {
            failures.push(format!(
                "{args:?}: exit {:?} vs {:?}, stderr {:?} vs {:?}\n{}",
                want.code,
                got.code,
                want.stderr,
                got.stderr,
                line_diff(&want.stdout, &got.stdout)
            ));
        }
    }
    // Nothing was destroyed: the listeners and all 12 connections are still there.
    let left = run_tool(&ns, REFERENCE_SS, &["-tanH"], false);
    assert_eq!(rows(&left.stdout), 14, "a refused -K destroyed something");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A follower process whose stdout is collected on a thread.
struct Follower {
    child: Child,
    out: std::sync::mpsc::Receiver<Vec<u8>>,
    collected: Vec<u8>,
}

impl Follower {
    fn start(ns: &NetNs, program: &[&str], args: &[&str]) -> Follower {
        let mut child = ns
            .exec(program[0])
            .args(&program[1..])
            .args(args)
            .env_clear()
            .env("PATH", child_path_env())
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {program:?}: {e}"));
        let mut pipe = child.stdout.take().expect("piped stdout");
        let (tx, out) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = pipe.read(&mut buf) {
                if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                    break;
                }
            }
        });
        Follower {
            child,
            out,
            collected: Vec::new(),
        }
    }

    fn collect(&mut self) -> &[u8] {
        while let Ok(chunk) = self.out.try_recv() {
            self.collected.extend_from_slice(&chunk);
        }
        &self.collected
    }
}

impl Drop for Follower {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Sockets of `NETLINK_SOCK_DIAG` (protocol 4) in `ns` that joined multicast groups.
fn subscribed(ns: &NetNs) -> usize {
    ns.read_proc_net("netlink")
        .lines()
        .skip(1)
        .filter(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            f.get(1) == Some(&"4")
                && f.get(3)
                    .is_some_and(|g| !g.trim_start_matches('0').is_empty())
        })
        .count()
}

#[test]
fn events_match_ss() {
    require_root_and_tools();
    let ns = NetNs::new();
    let sut = sut();
    let sets: &[&[&str]] = &[
        &["-E"],
        &["-E", "-n"],
        &["-E", "-n", "-u"],
        &["-E", "-tn", "-6"],
        &["-E", "-n", "dport", "=", ":9400"],
        &["-E", "-Hn", "-4", "sport", "=", ":9400"],
        &["-E", "-ne"],
    ];
    let mut pairs: Vec<(&[&str], Follower, Follower)> = sets
        .iter()
        .map(|args| {
            let reference = Follower::start(&ns, &["stdbuf", "-o0", REFERENCE_SS], args);
            // The same for the binary under test, so that ss can stand in for it (sockscope
            // writes each event itself; the preloaded stdio setting does not reach it).
            let under_test = Follower::start(&ns, &["stdbuf", "-o0", sut.as_str()], args);
            (*args, reference, under_test)
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(20);
    while subscribed(&ns) < 2 * sets.len() {
        assert!(
            Instant::now() < deadline,
            "the followers did not all join their groups: {} of {}",
            subscribed(&ns),
            2 * sets.len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // Every socket is destroyed once its descriptors are closed (TCP ones after their FIN
    // exchange; the kernel sends the events from a work queue).
    drop(open_sockets(&ns));

    // Wait until every output is non-empty where ss printed something and nothing has changed
    // for a while.
    let mut last = Vec::new();
    let mut stable_since = Instant::now();
    loop {
        let now: Vec<(Vec<u8>, Vec<u8>)> = pairs
            .iter_mut()
            .map(|(_, r, s)| (r.collect().to_vec(), s.collect().to_vec()))
            .collect();
        if now != last {
            last = now;
            stable_since = Instant::now();
        } else if stable_since.elapsed() > Duration::from_millis(1500) {
            break;
        }
        assert!(Instant::now() < deadline, "destroy events kept coming");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut failures = Vec::new();
    for ((args, _, _), (want, got)) in pairs.iter().zip(&last) {
        if want != got {
            failures.push(format!("{args:?}:\n{}", line_diff(want, got)));
        }
    }
    // The sets that see TCP must have printed the 14 TCP sockets (and more).
    assert!(
        rows(&last[0].0) >= 15,
        "ss -E saw too few events:\n{}",
        String::from_utf8_lossy(&last[0].0)
    );
    assert!(
        rows(&last[2].0) == 3,
        "ss -E -n -u must print the header and the two UDP sockets:\n{}",
        String::from_utf8_lossy(&last[2].0)
    );
    pairs.clear();

    // No tcp/udp table with an inet family selected: exit 255 at once, silently.
    for args in [&["-E", "-x"][..], &["-E", "-w"], &["-E", "-A", "unix"]] {
        let want = run_tool(&ns, REFERENCE_SS, args, false);
        let got = run_tool(&ns, &sut, args, false);
        if want.stdout != got.stdout || want.code != got.code || want.code != Some(255) {
            failures.push(format!(
                "{args:?}: exit {:?} vs {:?}\n{}",
                want.code,
                got.code,
                line_diff(&want.stdout, &got.stdout)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
