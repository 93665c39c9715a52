//! The socket fixture: a known, deterministic set of sockets inside a test namespace.
//!
//! The sockets are created by a **child process** forked from the test process (one per test
//! group). The child closes every inherited descriptor except its control socket, points
//! 0/1/2 at /dev/null, names itself `ssfixture`, joins the namespace with `setns(CLONE_NEWNET)`
//! and only then creates sockets, so that they belong to the namespace and get the same fd
//! numbers every time (which `-p` prints). A separate single-threaded process keeps `-p`/`-T`
//! output independent of the test harness's own threads. Between `fork` and `_exit` the child
//! uses raw libc calls only: no allocation, no locks, no panics (the parent is multi-threaded).
//!
//! The child's code is in `child.rs` (with the libc wrappers of `sys.rs`).
//!
//! Inventory (ports fixed; "eph" = kernel-chosen ephemeral port, stable for the fixture's life):
//! * TCP listeners: 0.0.0.0:8080 (backlog 128, IP_FREEBIND), 127.0.0.1:9000, [::]:8081 v6only,
//!   [::]:8082 dual stack (backlog 4096), [::1]:9001, 0.0.0.0:22, [::]:80 v6only,
//!   0.0.0.0:8085 SO_BINDTODEVICE v0, [fe80::1%v0]:8086, 198.18.0.1:8087 SO_MARK 0x20,
//!   127.0.0.1:9002 (SO_RCVBUF 4096), 127.0.0.1:7000 listen(0) with a full accept queue,
//!   127.0.0.1:7001 with TCP_DEFER_ACCEPT.
//! * TCP connections: eph→9000 with 100 unread bytes at the server; [::1]eph→9001 (client
//!   IPV6_TCLASS 0x20) with 50 unread bytes at the client; 198.18.0.2:eph→198.18.0.1:8080
//!   (client IP_TOS 0x10); eph→8082 (v4-mapped at the server); eph→22 (client congestion
//!   control `reno`); [2001:db8::2]:eph→[2001:db8::1]:8081; eph→198.18.0.1:8087 (client
//!   SO_KEEPALIVE); eph→9000 half-closed (client FIN-WAIT-2, server CLOSE-WAIT); eph→9002
//!   zero-window pair (client Send-Q > 0 and 1000 unread bytes; server Recv-Q > 0);
//!   eph→7000 established but never accepted; two SYN-SENT eph→7000 (SYNs dropped because
//!   the accept queue is full; TCP_SYNCNT 127 keeps them alive); eph→7001 whose server side
//!   is a SYN-RECV request socket (TCP_DEFER_ACCEPT drops the bare ACK; no SYN-ACK resends);
//!   one TIME-WAIT eph→9000 (client closed first; created last, lives 60 s).
//! * UDP: 127.0.0.1:5000 (IP_RECVERR, 30 bytes queued), [::]:5001 dual, 0.0.0.0:53,
//!   127.0.0.1:5002 connected to :5000, [::1]:eph connected to [::1]:5001,
//!   [2001:db8::1]:5003 v6only.
//! * RAW: IPv4 ICMP, IPv6 ICMPv6.
//! * UNIX (paths under the per-fixture temp dir): stream listener `stream.sock` with an
//!   accepted pair (10 unread bytes), abstract stream listener `@sockscope-abstract` with a
//!   pair, dgram `dgram.sock` with a connected client (20 bytes queued), stream, dgram and
//!   seqpacket socketpairs, seqpacket listener `seq.sock` with a pair, an autobound dgram
//!   socket, stream listener `pending.sock` with two unaccepted connections, abstract dgram
//!   `@sockscope-dgram`.
//! * NETLINK: route socket bound to groups RTMGRP_LINK|RTMGRP_IPV4_IFADDR, generic socket,
//!   two NETLINK_USERSOCK sockets, one connected to the other.
//! * PACKET: raw ETH_P_ALL bound to v0, dgram ETH_P_IP bound to v1, raw ETH_P_IPV6 unbound
//!   with a 2-instruction classic BPF filter that drops everything (so its queue stays empty).
//!
//! After creation the child waits until the zero-window pair's queues stop moving; the parent
//! then checks the TCP state census in /proc/net/tcp{,6} of the namespace (exact counts), so a
//! kernel that does not produce e.g. SYN-RECV fails loudly instead of silently testing less.

use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;

use super::child::{child_main, Plan, REPORT_LEN, REPORT_MAGIC};
use super::netns::NetNs;
use super::sys::fork_child;
use super::TempDir;

/// TCP states as printed in /proc/net/tcp (include/net/tcp_states.h).
const ST_ESTABLISHED: u8 = 0x01;
const ST_SYN_SENT: u8 = 0x02;
const ST_SYN_RECV: u8 = 0x03;
const ST_FIN_WAIT2: u8 = 0x05;
const ST_TIME_WAIT: u8 = 0x06;
const ST_CLOSE_WAIT: u8 = 0x08;
const ST_LISTEN: u8 = 0x0a;

/// Expected census of the TCP fixture (see the inventory above).
const EXPECTED_TCP: &[(u8, &str, usize)] = &[
    (ST_LISTEN, "LISTEN", 13),
    // 7 pairs (14) + zero-window pair (2) + unaccepted child and its client (2)
    // + client of the deferred connection (1).
    (ST_ESTABLISHED, "ESTABLISHED", 19),
    (ST_SYN_SENT, "SYN-SENT", 2),
    (ST_SYN_RECV, "SYN-RECV", 1),
    (ST_FIN_WAIT2, "FIN-WAIT-2", 1),
    (ST_TIME_WAIT, "TIME-WAIT", 1),
    (ST_CLOSE_WAIT, "CLOSE-WAIT", 1),
];

/// A running fixture: namespace, temp dir and the child process holding the sockets.
pub struct Fixture {
    child: libc::pid_t,
    ctl: Option<OwnedFd>,
    dir: TempDir,
    // Dropped after the child is killed (field order), see Drop.
    ns: NetNs,
}

impl Fixture {
    /// Creates a namespace and the full socket inventory; panics with a precise message if
    /// any step fails or the resulting TCP states are not exactly the expected ones.
    pub fn new() -> Fixture {
        super::require_root_and_tools();
        let ns = NetNs::new();
        let dir = TempDir::new("-fx");
        let plan = Plan::new(&ns, dir.path());

        let _churn = super::churn_guard();
        let (pid, parent_end) = fork_child(|ctl, parent| child_main(&plan, ctl, parent));
        let mut fx = Fixture {
            child: pid,
            ctl: Some(parent_end),
            dir,
            ns,
        };
        fx.await_report();
        drop(_churn);
        fx.verify_tcp_census();
        fx
    }

    pub fn ns(&self) -> &NetNs {
        &self.ns
    }

    /// The per-fixture directory holding the unix socket paths.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn await_report(&mut self) {
        let Some(ctl) = self.ctl.as_ref() else {
            unreachable!("control socket already closed")
        };
        let mut pfd = libc::pollfd {
            fd: ctl.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 60_000) };
        assert!(n == 1, "fixture child did not report within 60 s");
        let mut buf = [0u8; REPORT_LEN];
        let mut f = std::fs::File::from(ctl.try_clone().expect("dup control socket"));
        if let Err(e) = f.read_exact(&mut buf) {
            panic!(
                "fixture child died before reporting ({e}); status {}",
                self.reap_status()
            );
        }
        let word = |i: usize| u32::from_ne_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
        assert_eq!(word(0), REPORT_MAGIC, "garbled fixture report");
        if word(4) != 0 {
            let errno = word(12) as i32;
            panic!(
                "fixture step at tests/harness/child.rs:{} failed: {} (errno {errno})",
                word(8),
                std::io::Error::from_raw_os_error(errno)
            );
        }
    }

    fn reap_status(&mut self) -> String {
        let mut status = 0;
        // SAFETY: waiting for our own child.
        let r = unsafe { libc::waitpid(self.child, &mut status, 0) };
        if r == self.child {
            self.child = 0;
        }
        format!("{status:#x}")
    }

    /// Checks the exact TCP state census and the queues of the zero-window pair.
    fn verify_tcp_census(&self) {
        let text = self.ns.read_proc_net("tcp") + &self.ns.read_proc_net("tcp6");
        let rows = parse_proc_tcp(&text);
        let mut problems = Vec::new();
        for &(st, name, want) in EXPECTED_TCP {
            let got = rows.iter().filter(|r| r.state == st).count();
            if got != want {
                problems.push(format!("{name}: expected {want}, found {got}"));
            }
        }
        let zw_client = rows
            .iter()
            .find(|r| r.state == ST_ESTABLISHED && r.rport == 9002);
        let zw_server = rows
            .iter()
            .find(|r| r.state == ST_ESTABLISHED && r.lport == 9002);
        match (zw_client, zw_server) {
            (Some(c), Some(s)) if c.tx > 0 && c.rx == 1000 && s.rx > 0 => {}
            other => problems.push(format!(
                "zero-window pair queues not as intended (client tx>0 rx=1000, server rx>0): {other:?}"
            )),
        }
        assert!(
            problems.is_empty(),
            "fixture TCP census in {} is wrong:\n  {}\n/proc/net/tcp{{,6}}:\n{text}",
            self.ns.name(),
            problems.join("\n  ")
        );
    }
}

impl Drop for Fixture {
    fn drop(&mut self) {
        let _churn = super::churn_guard();
        if self.child > 0 {
            // SAFETY: signalling and reaping our own child by its pid.
            unsafe {
                libc::kill(self.child, libc::SIGKILL);
                let mut st = 0;
                libc::waitpid(self.child, &mut st, 0);
            }
        }
        self.ctl = None;
        // `dir` and `ns` are dropped after this (temp dir removed, namespace deleted).
    }
}

/// One row of /proc/net/tcp{,6}.
#[derive(Debug, Clone, Copy)]
struct TcpRow {
    lport: u16,
    rport: u16,
    state: u8,
    tx: u32,
    rx: u32,
}

/// Parses /proc/net/tcp{,6} lines (`sl local rem st tx:rx …`, hex; header lines skipped).
fn parse_proc_tcp(text: &str) -> Vec<TcpRow> {
    let port = |a: &str| {
        a.rsplit_once(':')
            .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
    };
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let (tx, rx) = f.get(4)?.split_once(':')?;
            Some(TcpRow {
                lport: port(f.get(1)?)?,
                rport: port(f.get(2)?)?,
                state: u8::from_str_radix(f.get(3)?, 16).ok()?,
                tx: u32::from_str_radix(tx, 16).ok()?,
                rx: u32::from_str_radix(rx, 16).ok()?,
            })
        })
        .collect()
}
