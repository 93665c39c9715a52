//! Alternative data sources: `TCPDIAG_FILE` replay of a captured `-D` dump (no namespace; the
//! iproute2 test-suite capture `ss1.dump`, copied into `tests/data/`) and the /proc fallback
//! paths selected by `PROC_ROOT` / `PROC_NET_*` (inside a fixture namespace).

use crate::harness::fixture::Fixture;
use crate::harness::runner::{MaskPolicy, Place, Runner};

/// Replays of `tests/data/ss1.dump`. The values are frozen in the file, so nothing is masked;
/// only TCP sets (any other table would list the host's sockets) and no `-r` (lookups of the
/// dump's 10.0.0.x addresses would go to the host resolver).
const TCPDIAG: &[&str] = &[
    "TCPDIAG_FILE={DUMP} -tan",
    "TCPDIAG_FILE={DUMP} -ta",
    "TCPDIAG_FILE={DUMP} -t",
    "TCPDIAG_FILE={DUMP} -tn",
    "TCPDIAG_FILE={DUMP} -tl",
    "TCPDIAG_FILE={DUMP} -tln",
    "TCPDIAG_FILE={DUMP} -tanH",
    "TCPDIAG_FILE={DUMP} -tanO",
    "TCPDIAG_FILE={DUMP} -tane",
    "TCPDIAG_FILE={DUMP} -tani",
    "TCPDIAG_FILE={DUMP} -tano",
    "TCPDIAG_FILE={DUMP} -tanoi",
    "TCPDIAG_FILE={DUMP} -tanm",
    "TCPDIAG_FILE={DUMP} -tanO -i -e",
    "TCPDIAG_FILE={DUMP} -tan -e -m -i -O",
    "TCPDIAG_FILE={DUMP} -tn state established",
    "TCPDIAG_FILE={DUMP} -tn exclude established",
    "TCPDIAG_FILE={DUMP} -ta state listening",
    "TCPDIAG_FILE={DUMP} -tan -4",
    "TCPDIAG_FILE={DUMP} -tan -6",
    "TCPDIAG_FILE={DUMP} -tan --tos",
    "TCPDIAG_FILE={DUMP} -tan --inet-sockopt",
    "TCPDIAG_FILE={DUMP} -A tcp -a",
    "TCPDIAG_FILE={DUMP} -tanb",
    "TCPDIAG_FILE=/nonexistent/ss1.dump -tan",
    "TCPDIAG_FILE=/dev/null -tan",
];

/// /proc fallbacks inside the namespace (`/proc/net/*` as seen by the tool, private PID
/// namespace as in the other groups).
const PROC: &[&str] = &[
    "PROC_ROOT=/proc -tan",
    "PROC_ROOT=/proc -ta",
    "PROC_ROOT=/proc -tln",
    "PROC_ROOT=/proc -tane",
    "PROC_ROOT=/proc -tano",
    "PROC_ROOT=/proc -tani",
    "PROC_ROOT=/proc -xa",
    "PROC_ROOT=/proc -xan",
    "PROC_ROOT=/proc -x",
    "PROC_ROOT=/proc -uan",
    "PROC_ROOT=/proc -uane",
    "PROC_ROOT=/proc -wan",
    "PROC_ROOT=/proc -0a",
    "PROC_ROOT=/proc -0ae",
    "PROC_ROOT=/proc -f netlink -a",
    "PROC_ROOT=/proc -a",
    "PROC_ROOT=/proc -M -a",
    "PROC_NET_TCP=/proc/net/tcp -tan",
    "PROC_NET_TCP=/proc/net/tcp PROC_NET_TCP6=/proc/net/tcp6 -tane",
    "PROC_NET_TCP6=/proc/net/tcp6 -tan -6",
    "PROC_NET_UNIX=/proc/net/unix -xa",
    "PROC_NET_UDP=/proc/net/udp -uan",
    "PROC_NET_RAW=/proc/net/raw -wan",
    "PROC_NET_PACKET=/proc/net/packet -0a",
    "PROC_NET_NETLINK=/proc/net/netlink -f netlink -a",
    "PROC_NET_MPTCP=/nonexistent -a",
    "PROC_ROOT=/nonexistent -tan",
    "PROC_ROOT=/nonexistent -xa",
];

#[test]
fn tcpdiag_replay() {
    let runner = Runner::new(Place::Host).mask_policy(MaskPolicy::Never);
    runner.preflight(&[("TCPDIAG_FILE={DUMP} -tan", "10.0.0.1:36266")]);
    runner.check_group("tcpdiag_replay", TCPDIAG);
}

#[test]
fn proc_fallback() {
    let fx = Fixture::new();
    let runner = Runner::new(Place::Netns {
        ns: fx.ns(),
        pidns: true,
    });
    runner.preflight(&[("PROC_ROOT=/proc -Htan", "127.0.0.1:7001")]);
    runner.check_group("proc_fallback", PROC);
}
