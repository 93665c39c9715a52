//! Private network namespaces for the compatibility tests.
//!
//! Each test group gets its own namespace `sockscope-t-<pid>-<n>` (created with `ip netns add`,
//! so it is pinned at `/run/netns/<name>` and usable by `ip netns exec` and `ss -N`), with:
//! * `/etc/netns/<name>/nsswitch.conf` (files only) and `/etc/netns/<name>/hosts`, which
//!   `ip netns exec` bind-mounts over `/etc/…`, so no name lookup leaves the machine;
//! * `lo` up and a veth pair `v0`/`v1` with addresses from 198.18.0.0/15 and 2001:db8::/32 plus
//!   fixed link-local addresses (`addrgenmode none`, every IPv6 address `nodad`);
//! * IPv6 router solicitations off and MLD report intervals at 1 ms, and a wait until the veth
//!   pair has been silent for a while — packet sockets and the ICMPv6 raw socket queue every
//!   frame they see, so late MLD/RS traffic would make their Recv-Q move between two runs.
//!
//! Everything is undone on drop (also when the test panics). Stale namespaces of test processes
//! that no longer exist (a run killed with SIGKILL) are removed when a new one is created.

use std::fs;
use std::os::fd::AsRawFd;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::NAME_PREFIX;

/// Interface names inside every test namespace.
pub const V0: &str = "v0";
pub const V1: &str = "v1";
/// Addresses (RFC 2544 benchmarking range and the IPv6 documentation prefix).
pub const V0_IP4: &str = "198.18.0.1";
pub const V1_IP4: &str = "198.18.0.2";
pub const V0_IP6: &str = "2001:db8::1";
pub const V1_IP6: &str = "2001:db8::2";
pub const V0_LL6: &str = "fe80::1";
pub const V1_LL6: &str = "fe80::2";

/// `nsswitch.conf` of the namespace: every database from files only.
const NSSWITCH: &str = "\
passwd: files
group: files
shadow: files
hosts: files
networks: files
protocols: files
services: files
ethers: files
rpc: files
netgroup: files
";

/// `hosts` of the namespace: names for loopback and the test addresses (used by `-r`).
/// The link-local addresses deliberately have no name (numeric fallback).
const HOSTS: &str = "\
127.0.0.1\tlocalhost
::1\tip6-localhost
198.18.0.1\tv0.sockscope.test v0-host
198.18.0.2\tv1.sockscope.test v1-host
2001:db8::1\tv0-6.sockscope.test
2001:db8::2\tv1-6.sockscope.test
";

/// A network namespace owned by one test group.
pub struct NetNs {
    name: String,
    etc_dir: PathBuf,
}

impl NetNs {
    /// Creates and configures a fresh namespace; panics with the failing command on error.
    pub fn new() -> NetNs {
        remove_stale();
        let name = format!("{NAME_PREFIX}{}", super::unique_suffix());
        run_checked(Command::new("ip").args(["netns", "add", &name]));
        // From here on Drop cleans up whatever was created.
        let ns = NetNs {
            etc_dir: Path::new("/etc/netns").join(&name),
            name,
        };
        ns.write_etc();
        ns.configure();
        ns
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// `/run/netns/<name>`, the bind-mounted namespace file.
    pub fn path(&self) -> PathBuf {
        Path::new("/run/netns").join(&self.name)
    }

    /// `ip netns exec <name> <program>` (with the /etc/netns bind mounts and private /sys).
    pub fn exec(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.name]).arg(program);
        c
    }

    /// Runs `ip -n <name> ARGS`, panicking on failure.
    pub fn ip(&self, args: &[&str]) {
        run_checked(Command::new("ip").args(["-n", &self.name]).args(args));
    }

    /// [`NetNs::ip`] with the arguments written as one line of words (split at whitespace),
    /// for fixture scripts: `ns.ip_words("route add 198.18.4.0/24 via 198.18.0.2")`.
    pub fn ip_words(&self, line: &str) {
        self.ip(&line.split_whitespace().collect::<Vec<_>>());
    }

    /// Writes `/proc/sys/KEY = VALUE` inside the namespace (panics on failure).
    pub fn sysctl(&self, pairs: &[(&str, &str)]) {
        self.in_netns(|| {
            for (k, v) in pairs {
                let p = format!("/proc/sys/{k}");
                if let Err(e) = std::fs::write(&p, v) {
                    panic!("cannot set {p}: {e}");
                }
            }
        });
    }

    /// Makes new links quiet and usable at once: unsolicited IGMP reports go out within a
    /// second (instead of trickling in during a comparison) and IPv6 skips DAD.
    pub fn quiet_links(&self) {
        self.sysctl(&[
            ("net/ipv4/conf/all/igmpv3_unsolicited_report_interval", "1"),
            (
                "net/ipv4/conf/default/igmpv3_unsolicited_report_interval",
                "1",
            ),
            ("net/ipv4/conf/all/igmpv2_unsolicited_report_interval", "1"),
            (
                "net/ipv4/conf/default/igmpv2_unsolicited_report_interval",
                "1",
            ),
            ("net/ipv6/conf/all/accept_dad", "0"),
            ("net/ipv6/conf/default/accept_dad", "0"),
        ]);
    }

    /// Runs `f` on a helper thread that first joins the namespace with `setns(CLONE_NEWNET)`.
    /// setns on a thread switches only that thread (its `/proc/thread-self/net`, its
    /// `/proc/sys/net` view and the sockets it creates); the thread ends afterwards.
    pub fn in_netns<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        let path = self.path();
        std::thread::scope(|s| {
            s.spawn(|| {
                let file = fs::File::open(&path)
                    .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
                // SAFETY: plain syscall on a valid fd; affects only this thread.
                let rc = unsafe { libc::setns(file.as_raw_fd(), libc::CLONE_NEWNET) };
                assert!(
                    rc == 0,
                    "setns({}) failed: {}",
                    path.display(),
                    std::io::Error::last_os_error()
                );
                f()
            })
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    }

    /// Reads a file of `/proc/thread-self/net` (e.g. `tcp`, `dev`) as seen inside the namespace.
    pub fn read_proc_net(&self, file: &str) -> String {
        let p = format!("/proc/thread-self/net/{file}");
        self.in_netns(move || fs::read_to_string(&p).unwrap_or_else(|e| panic!("read {p}: {e}")))
    }

    fn write_etc(&self) {
        let mk = fs::create_dir_all(&self.etc_dir)
            .and_then(|()| fs::write(self.etc_dir.join("nsswitch.conf"), NSSWITCH))
            .and_then(|()| fs::write(self.etc_dir.join("hosts"), HOSTS));
        if let Err(e) = mk {
            panic!("cannot write {}: {e}", self.etc_dir.display());
        }
    }

    fn configure(&self) {
        // Sysctls first: the `default` values are inherited by the veth devices created below.
        // accept_ra/router_solicitations 0: no router solicitations (they would repeat with
        // exponential backoff for hours); MLD unsolicited report interval 1 ms: the reports
        // for the solicited-node groups go out right when the links come up.
        self.in_netns(|| {
            for (key, val) in [
                ("net/ipv6/conf/all/accept_ra", "0"),
                ("net/ipv6/conf/default/accept_ra", "0"),
                ("net/ipv6/conf/all/router_solicitations", "0"),
                ("net/ipv6/conf/default/router_solicitations", "0"),
                (
                    "net/ipv6/conf/default/mldv1_unsolicited_report_interval",
                    "1",
                ),
                (
                    "net/ipv6/conf/default/mldv2_unsolicited_report_interval",
                    "1",
                ),
                ("net/ipv6/conf/default/dad_transmits", "0"),
            ] {
                let p = format!("/proc/sys/{key}");
                if let Err(e) = fs::write(&p, val) {
                    panic!("cannot set {p} inside the test namespace: {e}");
                }
            }
            // Linux ≥ 6.7 retransmits the first SYNs at linear 1 s intervals; exponential
            // backoff from the start means fewer SYN-SENT retransmit events (which change
            // the timer's retransmit count and `-i` counters) while the comparisons run.
            let linear = "/proc/sys/net/ipv4/tcp_syn_linear_timeouts";
            if Path::new(linear).exists() {
                if let Err(e) = fs::write(linear, "0") {
                    panic!("cannot set {linear} inside the test namespace: {e}");
                }
            }
        });
        self.ip(&["link", "set", "lo", "up"]);
        self.ip(&[
            "link",
            "add",
            V0,
            "address",
            "02:00:5e:10:00:01",
            "type",
            "veth",
            "peer",
            "name",
            V1,
            "address",
            "02:00:5e:10:00:02",
        ]);
        for dev in [V0, V1] {
            // No EUI-64 link-local address (its value would depend on the MAC and it would go
            // through DAD); we add fixed ones below.
            self.ip(&["link", "set", dev, "addrgenmode", "none"]);
        }
        self.ip(&["addr", "add", &format!("{V0_IP4}/24"), "dev", V0]);
        self.ip(&["addr", "add", &format!("{V1_IP4}/24"), "dev", V1]);
        for (addr, dev) in [(V0_IP6, V0), (V1_IP6, V1), (V0_LL6, V0), (V1_LL6, V1)] {
            self.ip(&[
                "-6",
                "addr",
                "add",
                &format!("{addr}/64"),
                "dev",
                dev,
                "nodad",
            ]);
        }
        self.ip(&["link", "set", V0, "up"]);
        self.ip(&["link", "set", V1, "up"]);
        self.wait_quiet();
    }

    /// Waits until no packet has crossed the veth pair for 600 ms (at least 300 ms after the
    /// links came up; at most 10 s, then the fixture would not be deterministic: panic).
    fn wait_quiet(&self) {
        let start = Instant::now();
        let mut last = self.veth_packets();
        let mut still_since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(100));
            let now = self.veth_packets();
            if now != last {
                last = now;
                still_since = Instant::now();
            } else if still_since.elapsed() >= Duration::from_millis(600)
                && start.elapsed() >= Duration::from_millis(300)
            {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the veth pair in namespace {} never became quiet (packet counters keep \
                 moving: {last:?}); packet-socket queues would not be deterministic",
                self.name
            );
        }
    }

    /// (rx packets, tx packets) summed over v0 and v1, from `/proc/net/dev` of the namespace.
    fn veth_packets(&self) -> (u64, u64) {
        let dev = self.read_proc_net("dev");
        let mut sum = (0, 0);
        for line in dev.lines() {
            let Some((ifname, rest)) = line.split_once(':') else {
                continue;
            };
            if ![V0, V1].contains(&ifname.trim()) {
                continue;
            }
            let nums: Vec<u64> = rest
                .split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect();
            // Columns: rx bytes packets errs drop fifo frame compressed multicast, tx bytes packets…
            sum.0 += nums.get(1).copied().unwrap_or(0);
            sum.1 += nums.get(9).copied().unwrap_or(0);
        }
        sum
    }
}

impl Drop for NetNs {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = fs::remove_dir_all(&self.etc_dir);
    }
}

/// Runs a command, panicking with its stderr when it fails.
pub fn run_checked(cmd: &mut Command) {
    let out = cmd
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Removes namespaces, /etc/netns entries and temporary directories left behind by earlier
/// harness processes that died without cleaning up (their pid no longer exists).
fn remove_stale() {
    let dead = |name: &str| -> bool {
        let Some(rest) = name.strip_prefix(NAME_PREFIX) else {
            return false;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            return false;
        };
        pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists()
    };
    for dir in ["/run/netns", "/etc/netns"] {
        let Ok(rd) = fs::read_dir(dir) else { continue };
        for ent in rd.flatten() {
            let name = ent.file_name().to_string_lossy().into_owned();
            if !dead(&name) {
                continue;
            }
            if dir == "/run/netns" {
                let _ = Command::new("ip")
                    .args(["netns", "del", &name])
                    .stderr(Stdio::null())
                    .status();
            } else {
                let _ = fs::remove_dir_all(ent.path());
            }
        }
    }
    if let Ok(rd) = fs::read_dir(std::env::temp_dir()) {
        for ent in rd.flatten() {
            let name = ent.file_name().to_string_lossy().into_owned();
            if dead(&name) {
                let _ = fs::remove_dir_all(ent.path());
            }
        }
    }
}

/// What [`run_tool`] got back.
pub struct ToolOutput {
    pub stdout: Vec<u8>,
    pub stderr: String,
    pub code: Option<i32>,
}

/// Runs `bin ARGS` inside `ns` with the environment cleared (PATH only), stdin from /dev/null,
/// in `/`; as `nobody` (through setpriv, after `ip netns exec` joined the namespace as root)
/// when asked.
pub fn run_tool<S: AsRef<std::ffi::OsStr>>(
    ns: &NetNs,
    bin: &str,
    args: &[S],
    as_nobody: bool,
) -> ToolOutput {
    let mut c = ns.exec(if as_nobody { "setpriv" } else { bin });
    if as_nobody {
        let id = super::owners::NOBODY;
        c.args([
            format!("--reuid={id}"),
            format!("--regid={id}"),
            "--clear-groups".into(),
            "--".into(),
            bin.into(),
        ]);
    }
    let o = c
        .args(args)
        .env_clear()
        .env("PATH", super::child_path_env())
        .current_dir("/")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {bin}: {e}"));
    ToolOutput {
        stdout: o.stdout,
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        code: o.status.code(),
    }
}
