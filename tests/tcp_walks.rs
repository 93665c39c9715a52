//! TCP's two families against the live ss. ss asks once per family, one request after the
//! other. sockscope asks with one request (one kernel walk) or with ss's two at the same time,
//! and holds the IPv6 sockets until the IPv4 ones are shown (query `run.rs`, `TcpWalk`). The
//! order must still be ss's: every IPv4 socket first, each family in the kernel's order.
//!
//! The sockets are opened by this test process on a thread that joined a fresh namespace:
//! listeners 127.0.0.1:6000 and [::1]:6001, 600 connections to each (2,400 established
//! sockets from ephemeral ports, so the two families are mixed all over the kernel's hash
//! table), and 60 more connections of each family closed client first (client TIME-WAIT).
//! About 300 KB of answers: the walk spans many netlink datagrams. Outputs are compared byte
//! for byte, kernel order included.

use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicBool, Ordering};

use libc::c_int;

use crate::harness::bin_under_test;
use crate::harness::netns::NetNs;
use crate::harness::runner::{Place, Runner};
use crate::harness::sys::{
    accept, bind, chk, close, connect, listen, owned_fds, setbytes, setint, sock, v4, v6, Sa, LO4,
    LO6, R,
};

const CONNECTIONS: usize = 600;
const TIME_WAIT: usize = 60;

fn stream(domain: c_int) -> R<c_int> {
    sock(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0)
}

/// A stream socket listening at `at` (SO_REUSEADDR, backlog 64).
fn listener(domain: c_int, at: Sa) -> R<c_int> {
    let l = stream(domain)?;
    setint(l, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
    bind(l, at)?;
    listen(l, 64)?;
    Ok(l)
}

/// Marks `fd` close-on-exec: processes the tests start (in this test or any other running in
/// parallel) must not inherit it, or `-p` would list them as owners too.
fn cloexec(fd: c_int) -> R<c_int> {
    // SAFETY: plain syscall on an owned fd.
    chk(unsafe { libc::fcntl(fd, libc::F_SETFD, libc::FD_CLOEXEC) })?;
    Ok(fd)
}

/// Opens the sockets of the module doc inside `ns`; they live as long as the returned fds.
fn open_sockets(ns: &NetNs) -> Vec<OwnedFd> {
    let fds = ns.in_netns(|| -> R<Vec<c_int>> {
        let mut fds = Vec::new();
        let families = [
            (libc::AF_INET, v4(LO4, 6000)),
            (libc::AF_INET6, v6(LO6, 6001, 0)),
        ];
        let mut listeners = Vec::new();
        for (domain, at) in families {
            let l = listener(domain, at)?;
            fds.push(l);
            listeners.push((domain, at, l));
        }
        // Alternate the families so that neither is created in one block.
        for i in 0..CONNECTIONS + TIME_WAIT {
            for &(domain, at, l) in &listeners {
                let c = stream(domain)?;
                connect(c, at)?;
                let a = cloexec(accept(l)?)?;
                if i < CONNECTIONS {
                    fds.extend([c, a]);
                } else {
                    // Client closes first: its end waits in TIME-WAIT.
                    close(c)?;
                    close(a)?;
                }
            }
        }
        Ok(fds)
    });
    owned_fds(fds, "tests/tcp_walks.rs")
}

/// Listings whose IPv6 sockets are held (both families, no extension attributes but `-m`'s;
/// with `-p` the held sockets' owners are looked up as they are shown), and some that do not
/// (`-i`'s `--tos`, one family) as a control. The sockets' owner is this test process.
const SETS: &[&str] = &[
    "-tan",
    "-tn",
    "-ta",
    "-tl",
    "-tanH",
    "-tanO",
    "-tane",
    "-tan state established",
    "-tan state time-wait",
    "-tn dport = :6001 or sport = :6000",
    "-tn src [::1] or dst 127.0.0.1",
    // No IPv4 line shown: the IPv6 lines follow the header, or nothing at all.
    "-tn src [::1] or src 127.0.0.9",
    "-tnH src [::1] or src 127.0.0.9",
    "-tan -6",
    "-tan -4",
    "-tn -A inet,inet6",
    "-tanp",
    "-tnp state established sport = :6001",
    "-tanm",
    "-tnme state established",
    "-tan --tos",
];

#[test]
fn both_families_in_ss_order() {
    let ns = NetNs::new();
    let _sockets = open_sockets(&ns);
    let mut runner = Runner::new(Place::Netns {
        ns: &ns,
        pidns: false,
    });
    runner.preflight(&[
        ("-Htn", "127.0.0.1:6000"),
        ("-Htn", "[::1]:6001"),
        ("-Htn state time-wait", "[::1]:6001"),
        ("-Htn state time-wait", "127.0.0.1:6000"),
    ]);
    // Enough rows that the comparison is of a walk over many datagrams.
    let (reference, ..) = runner.outputs("-Htan");
    let rows = reference
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    let want = 2 + 4 * CONNECTIONS + 2 * TIME_WAIT;
    assert_eq!(
        rows, want,
        "the reference sees {rows} TCP sockets, not {want}"
    );
    // Both ways of holding the IPv6 sockets (the default picks one by the number of cores),
    // and ss's own requests in turn.
    for walk in ["once", "concurrent", "per-family"] {
        runner.set_sut_env("SOCKSCOPE_TCP_WALK", walk);
        runner.check_group(&format!("tcp_walks/{walk}"), SETS);
    }
    drop(runner);
    // The filter's user-space and kernel-only evaluation (sockscope's own option).
    for mode in ["kernel", "user"] {
        let runner = Runner::new(Place::Netns {
            ns: &ns,
            pidns: false,
        })
        .sut_args(&["--filter-mode", mode]);
        runner.check_group(
            &format!("tcp_walks/{mode}"),
            &["-tn dport = :6001 or sport = :6000", "-tan src [::1]"],
        );
    }
}

/// Opens and drops connections of both families to listeners on ports 6100 and 6101 until
/// `stop` is set (at most `MAX_CHURN` rounds). Clients close with a reset (SO_LINGER 0), so
/// nothing is left in TIME-WAIT. Returns the number of rounds.
fn churn(stop: &AtomicBool) -> R<usize> {
    const MAX_CHURN: usize = 200_000;
    let mut listeners = Vec::new();
    for (domain, at) in [
        (libc::AF_INET, v4(LO4, 6100)),
        (libc::AF_INET6, v6(LO6, 6101, 0)),
    ] {
        listeners.push((domain, at, listener(domain, at)?));
    }
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `linger` is a plain C struct; its bytes are what setsockopt reads.
    let linger_bytes = unsafe {
        std::slice::from_raw_parts(
            (&linger as *const libc::linger).cast::<u8>(),
            std::mem::size_of::<libc::linger>(),
        )
    };
    let mut rounds = 0;
    while rounds < MAX_CHURN && !stop.load(Ordering::Relaxed) {
        let mut open = Vec::new();
        for &(domain, at, l) in &listeners {
            let c = stream(domain)?;
            connect(c, at)?;
            setbytes(c, libc::SOL_SOCKET, libc::SO_LINGER, linger_bytes)?;
            open.push(c);
            open.push(accept(l)?);
        }
        for fd in open {
            close(fd)?;
        }
        rounds += 1;
    }
    for (_, _, l) in listeners {
        close(l)?;
    }
    Ok(rounds)
}

/// Sockets that come and go while sockscope lists them (a busy server): each way of asking
/// still exits 0, says nothing but ss's "interrupted" warning, prints well-formed lines with
/// every IPv4 socket before every IPv6 one, and shows each of the standing listeners once.
/// (Which short-lived sockets a dump catches depends on timing, for ss too.)
#[test]
fn churning_sockets_keep_the_listing_sound() {
    let ns = NetNs::new();
    let _sockets = open_sockets(&ns);
    let stop = AtomicBool::new(false);
    let bin = bin_under_test();
    let rounds = std::thread::scope(|scope| {
        let churner = scope.spawn(|| ns.in_netns(|| churn(&stop)));
        let mut runs = 0;
        for walk in ["concurrent", "once", "per-family"] {
            for _ in 0..8 {
                let out = ns
                    .exec(&bin)
                    .arg("-tan")
                    .env("SOCKSCOPE_TCP_WALK", walk)
                    .output()
                    .expect("run sockscope");
                runs += 1;
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert!(
                    stderr
                        .lines()
                        .all(|l| l == "Dump was interrupted and may be inconsistent."),
                    "{walk}: stderr {stderr:?}"
                );
                assert_eq!(out.status.code(), Some(0), "{walk}: {stderr}");
                let text = String::from_utf8(out.stdout).expect("UTF-8 listing");
                let mut lines = text.lines();
                assert!(
                    lines.next().is_some_and(|h| h.starts_with("State")),
                    "{walk}: header"
                );
                let (mut seen_v6, mut listeners) = (false, [0; 2]);
                for line in lines {
                    let f: Vec<&str> = line.split_whitespace().collect();
                    assert_eq!(f.len(), 5, "{walk}: {line:?}");
                    assert!(f[1].parse::<u32>().is_ok() && f[2].parse::<u32>().is_ok());
                    let v6 = f[3].starts_with('[');
                    assert!(v6 || !seen_v6, "{walk}: IPv4 after IPv6: {line:?}");
                    seen_v6 |= v6;
                    match (f[0], f[3]) {
                        ("LISTEN", "127.0.0.1:6000") => listeners[0] += 1,
                        ("LISTEN", "[::1]:6001") => listeners[1] += 1,
                        _ => {}
                    }
                }
                assert_eq!(listeners, [1, 1], "{walk}: the standing listeners");
            }
        }
        stop.store(true, Ordering::Relaxed);
        let rounds = churner
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
            .unwrap_or_else(|f| panic!("churn: line {}, errno {}", f.line, f.errno));
        assert_eq!(runs, 24);
        rounds
    });
    // The listings ran while sockets churned, not after.
    assert!(rounds >= 100, "only {rounds} churn rounds");
}
