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

use libc::c_int;

use crate::harness::netns::NetNs;
use crate::harness::runner::{Place, Runner};
use crate::harness::sys::{
    accept, bind, chk, close, connect, listen, owned_fds, setint, sock, v4, v6, LO4, LO6, R,
};

const CONNECTIONS: usize = 600;
const TIME_WAIT: usize = 60;

fn stream(domain: c_int) -> R<c_int> {
    sock(domain, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0)
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
            let l = stream(domain)?;
            fds.push(l);
            setint(l, libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
            bind(l, at)?;
            listen(l, 64)?;
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

/// Listings whose IPv6 sockets are held (both families, no extension attributes; with `-p`
/// the held sockets' owners are looked up as they are shown), and some that do not (`-m`,
/// one family) as a control. The sockets' owner is this test process.
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
