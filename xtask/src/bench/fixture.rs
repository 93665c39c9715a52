//! The benchmark fixtures, built inside one private network namespace:
//! * TCP: N established loopback pairs' worth of sockets held by `sockscope-testbed hold-tcp`
//!   processes (at most 9,900 pairs each: one process may hold at most 20,000 descriptors on
//!   these machines), alternating IPv4 and IPv6, one listening port per process (5001, 5002,
//!   ...). The `dport` filter scenario matches the client side of the first few processes.
//! * UDP (`hold-udp`) and unix stream sockets (`hold-unix`, listeners in a temporary directory).
//! * Routes on a veth (`sbr0`): IPv4 /32s in 198.18.0.0/15 and IPv6 /64s in 2001:db8::/32,
//!   added by `ip -batch` in chunks (for progress).
//! * Links: veth pairs `sbl<i>a`/`sbl<i>b`, same way.
//!
//! Setup shows progress bars (indicatif; hidden when stderr is not a terminal) and one summary
//! line per step. Dropping the [`Fixture`] tears everything down — holders released by closing
//! their stdin, temporary directory removed, namespace left and deleted — also when the run
//! fails or is interrupted; holders also exit on their own if the harness dies (stdin EOF).

use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use super::netns::Netns;

/// Most pairs (or sockets) one holder process opens (the testbed enforces the same bound).
pub const MAX_PER_HOLDER: usize = 9_900;
/// The first holder's listening port; holder i listens on `BASE_PORT + i`. Below the
/// ephemeral range (32768–60999), so no server-side socket has a dport in the holder range.
pub const BASE_PORT: u16 = 5001;
/// Fewest TCP holder processes (the baseline's layout: 100k sockets = 6 × 8,334 pairs).
pub const MIN_TCP_HOLDERS: usize = 6;
/// The IPv4 route range 198.18.0.0/15 holds exactly this many /32s.
pub const MAX_ROUTES4: usize = 131_072;

/// One `hold-tcp` process's share.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TcpGroup {
    pub port: u16,
    pub pairs: usize,
    pub v6: bool,
}

/// What the fixture holds.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub tcp_groups: Vec<TcpGroup>,
    pub udp: usize,
    pub unix: usize,
    pub routes4: usize,
    pub routes6: usize,
    pub veth_pairs: usize,
}

impl Counts {
    /// Established TCP sockets (two per pair; the listeners are not counted).
    pub fn tcp_sockets(&self) -> usize {
        self.tcp_groups.iter().map(|g| g.pairs * 2).sum()
    }

    /// Every TCP socket a dump of all states returns right after setup (pairs + listeners).
    pub fn tcp_dump_len(&self) -> usize {
        self.tcp_sockets() + self.tcp_groups.len()
    }

    /// The `dport` filter of the filter scenario and how many sockets it matches: the client
    /// sockets of the first k holders, k ≈ 20% of the holders so that ~10% of all TCP sockets
    /// match (`dport = :5001` for the 6-holder layouts, a port range for larger ones).
    pub fn dport_filter(&self) -> Option<DportFilter> {
        let groups = &self.tcp_groups;
        let first = groups.first()?;
        let k = ((groups.len() as f64 * 0.2).round() as usize).clamp(1, groups.len());
        let last = groups.get(k - 1)?;
        Some(DportFilter {
            lo: first.port,
            hi: last.port,
            matches: groups.iter().take(k).map(|g| g.pairs).sum(),
        })
    }
}

/// A destination-port filter over the first holders' ports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DportFilter {
    pub lo: u16,
    pub hi: u16,
    pub matches: usize,
}

impl DportFilter {
    /// The ss filter words.
    pub fn words(&self) -> Vec<String> {
        let w = if self.lo == self.hi {
            format!("dport = :{}", self.lo)
        } else {
            format!("dport >= :{} and dport <= :{}", self.lo, self.hi)
        };
        w.split(' ').map(String::from).collect()
    }

    /// The matching `sockscope-testbed floor-dump inet` arguments.
    pub fn floor_args(&self) -> Vec<String> {
        if self.lo == self.hi {
            vec!["--dport".into(), self.lo.to_string()]
        } else {
            vec![
                "--dport-range".into(),
                self.lo.to_string(),
                self.hi.to_string(),
            ]
        }
    }
}

/// Splits `total` into `max(min_parts, ⌈total / MAX_PER_HOLDER⌉)` near-equal parts.
pub fn split(total: usize, min_parts: usize) -> Vec<usize> {
    if total == 0 {
        return Vec::new();
    }
    let parts = total
        .div_ceil(MAX_PER_HOLDER)
        .max(min_parts)
        .min(total)
        .max(1);
    let base = total / parts;
    let extra = total % parts;
    (0..parts).map(|i| base + usize::from(i < extra)).collect()
}

/// The running fixture. Field order matters for drop: the namespace goes last.
pub struct Fixture {
    testbed: PathBuf,
    holders: Vec<Child>,
    tmp: PathBuf,
    pub counts: Counts,
    ns: Netns,
}

fn bar(len: u64, prefix: &str) -> ProgressBar {
    let pb = ProgressBar::new(len);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>9} [{bar:32}] {human_pos}/{human_len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix(prefix.to_string());
    pb
}

/// `12,345`: thousands separators for messages.
pub fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

impl Fixture {
    /// Creates the namespace `tag` and moves the calling (main) thread into it.
    pub fn new(testbed: PathBuf, tag: &str) -> Result<Fixture> {
        let mut ns = Netns::create(tag)?;
        ns.enter()?;
        let tmp = std::env::temp_dir().join(ns.name());
        std::fs::create_dir_all(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        Ok(Fixture {
            testbed,
            holders: Vec::new(),
            tmp,
            counts: Counts::default(),
            ns,
        })
    }

    pub fn netns(&self) -> &str {
        self.ns.name()
    }

    /// Starts one holder (own process group: a Ctrl-C at the terminal reaches the harness,
    /// which then releases holders in order).
    fn spawn_holder(&mut self, args: &[String]) -> Result<()> {
        let child = Command::new(&self.testbed)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .with_context(|| format!("starting {}", self.testbed.display()))?;
        self.holders.push(child);
        Ok(())
    }

    /// Waits for the `ready` line of the holders from index `from` on, advancing `pb` by the
    /// given weight per holder.
    fn wait_ready(&mut self, from: usize, weights: &[u64], pb: &ProgressBar) -> Result<()> {
        for (i, child) in self.holders.iter_mut().enumerate().skip(from) {
            let mut line = String::new();
            if let Some(out) = child.stdout.take() {
                let _ = BufReader::new(out).read_line(&mut line);
            }
            if !line.starts_with("ready ") {
                let _ = child.wait();
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                bail!("fixture holder failed: {}", err.trim());
            }
            pb.inc(weights.get(i - from).copied().unwrap_or(0));
            super::check_interrupt()?;
        }
        Ok(())
    }

    /// Adds TCP holders until at least `sockets` established TCP sockets are held.
    pub fn grow_tcp(&mut self, sockets: usize) -> Result<()> {
        let have: usize = self.counts.tcp_groups.iter().map(|g| g.pairs).sum();
        let want = sockets.div_ceil(2);
        if want <= have {
            return Ok(());
        }
        let min = if self.counts.tcp_groups.is_empty() {
            MIN_TCP_HOLDERS
        } else {
            1
        };
        let parts = split(want - have, min);
        let from = self.holders.len();
        let t0 = Instant::now();
        let mut groups = Vec::new();
        for pairs in &parts {
            let index = self.counts.tcp_groups.len() + groups.len();
            let port = u16::try_from(usize::from(BASE_PORT) + index)
                .ok()
                .filter(|p| *p < 32768)
                .context("too many TCP holders for the port range below 32768")?;
            let g = TcpGroup {
                port,
                pairs: *pairs,
                v6: index % 2 == 1,
            };
            let mut args = vec![
                "hold-tcp".to_string(),
                "--pairs".into(),
                pairs.to_string(),
                "--port".into(),
                port.to_string(),
            ];
            if g.v6 {
                args.push("--v6".into());
            }
            self.spawn_holder(&args)?;
            groups.push(g);
        }
        let weights: Vec<u64> = parts.iter().map(|p| *p as u64 * 2).collect();
        let pb = bar(weights.iter().sum(), "tcp");
        let r = self.wait_ready(from, &weights, &pb);
        pb.finish_and_clear();
        r?;
        self.counts.tcp_groups.extend(groups);
        eprintln!(
            "fixture: {} established TCP sockets in {} processes (+{} in {:.1} s)",
            grouped(self.counts.tcp_sockets()),
            self.counts.tcp_groups.len(),
            grouped((want - have) * 2),
            t0.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Adds `n` UDP sockets (alternating IPv4/IPv6 holders).
    pub fn add_udp(&mut self, n: usize) -> Result<()> {
        let parts = split(n, 2);
        let from = self.holders.len();
        for (i, count) in parts.iter().enumerate() {
            let mut args = vec!["hold-udp".to_string(), "--count".into(), count.to_string()];
            if i % 2 == 1 {
                args.push("--v6".into());
            }
            self.spawn_holder(&args)?;
        }
        let weights: Vec<u64> = parts.iter().map(|p| *p as u64).collect();
        let pb = bar(n as u64, "udp");
        let r = self.wait_ready(from, &weights, &pb);
        pb.finish_and_clear();
        r?;
        self.counts.udp += n;
        Ok(())
    }

    /// Adds about `n` unix stream sockets (n/2 connections, each holder with its listener).
    pub fn add_unix(&mut self, n: usize) -> Result<()> {
        let parts = split(n / 2, 1);
        let from = self.holders.len();
        for count in &parts {
            let path = self.tmp.join(format!("u{}.sock", self.holders.len()));
            let args = vec![
                "hold-unix".to_string(),
                "--pairs".into(),
                count.to_string(),
                "--path".into(),
                path.to_string_lossy().into_owned(),
            ];
            self.spawn_holder(&args)?;
        }
        let weights: Vec<u64> = parts.iter().map(|p| *p as u64 * 2).collect();
        let pb = bar(weights.iter().sum(), "unix");
        let r = self.wait_ready(from, &weights, &pb);
        pb.finish_and_clear();
        r?;
        self.counts.unix += parts.iter().sum::<usize>() * 2;
        Ok(())
    }

    /// Feeds `lines` to `ip -n NS -batch -` in chunks of `chunk` lines.
    fn ip_batch(&self, lines: &[String], chunk: usize, prefix: &str) -> Result<()> {
        let pb = bar(lines.len() as u64, prefix);
        let r = (|| {
            for part in lines.chunks(chunk.max(1)) {
                let mut text = String::with_capacity(part.len() * 48);
                for l in part {
                    text.push_str(l);
                    text.push('\n');
                }
                let mut child = Command::new("ip")
                    .args(["-n", self.ns.name(), "-batch", "-"])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .context("running ip -batch")?;
                if let Some(mut stdin) = child.stdin.take() {
                    stdin
                        .write_all(text.as_bytes())
                        .context("writing to ip -batch")?;
                }
                let out = child.wait_with_output().context("waiting for ip -batch")?;
                if !out.status.success() {
                    bail!(
                        "ip -batch ({prefix}): {}",
                        String::from_utf8_lossy(&out.stderr).trim()
                    );
                }
                pb.inc(part.len() as u64);
                super::check_interrupt()?;
            }
            Ok(())
        })();
        pb.finish_and_clear();
        r
    }

    /// Adds a veth pair `sbr0`/`sbr1` (both up) carrying `v4` IPv4 /32 routes in
    /// 198.18.0.0/15 and `v6` IPv6 /64 routes in 2001:db8::/32.
    pub fn add_routes(&mut self, v4: usize, v6: usize) -> Result<()> {
        let t0 = Instant::now();
        let v4 = v4.min(MAX_ROUTES4);
        let v6 = v6.min(1 << 32);
        let ns = self.ns.name().to_string();
        super::netns::ip(&[
            "-n", &ns, "link", "add", "sbr0", "type", "veth", "peer", "name", "sbr1",
        ])?;
        super::netns::ip(&["-n", &ns, "link", "set", "sbr0", "up"])?;
        super::netns::ip(&["-n", &ns, "link", "set", "sbr1", "up"])?;
        let lines: Vec<String> = (0..v4).map(route4_line).collect();
        self.ip_batch(&lines, 16_384, "routes v4")?;
        self.counts.routes4 = v4;
        let lines: Vec<String> = (0..v6).map(route6_line).collect();
        self.ip_batch(&lines, 16_384, "routes v6")?;
        self.counts.routes6 = v6;
        eprintln!(
            "fixture: {} IPv4 + {} IPv6 routes on sbr0 in {:.1} s",
            grouped(v4),
            grouped(v6),
            t0.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Adds `pairs` veth pairs.
    pub fn add_links(&mut self, pairs: usize) -> Result<()> {
        let t0 = Instant::now();
        let lines: Vec<String> = (0..pairs)
            .map(|i| format!("link add sbl{i}a type veth peer name sbl{i}b"))
            .collect();
        self.ip_batch(&lines, 250, "links")?;
        self.counts.veth_pairs += pairs;
        eprintln!(
            "fixture: {} veth pairs in {:.1} s",
            grouped(pairs),
            t0.elapsed().as_secs_f64()
        );
        Ok(())
    }

    /// Checks with a floor dump that the kernel reports every TCP socket we hold.
    pub fn verify_tcp(&self) -> Result<()> {
        let out = Command::new(&self.testbed)
            .args(["floor-dump", "inet"])
            .stdin(Stdio::null())
            .output()
            .context("running floor-dump")?;
        let text = String::from_utf8_lossy(&out.stdout);
        let n: usize = text
            .split_whitespace()
            .next()
            .and_then(|w| w.parse().ok())
            .with_context(|| format!("floor-dump said {:?}", text.trim()))?;
        if n < self.counts.tcp_dump_len() {
            bail!(
                "the kernel reports {n} TCP sockets, the fixture holds {}",
                self.counts.tcp_dump_len()
            );
        }
        Ok(())
    }

    /// A one-line description for reports.
    pub fn describe(&self) -> String {
        let c = &self.counts;
        let mut s = format!(
            "{} established TCP sockets (loopback, IPv4+IPv6, {} processes)",
            grouped(c.tcp_sockets()),
            c.tcp_groups.len()
        );
        if c.udp > 0 || c.unix > 0 {
            let _ = write!(s, ", {} UDP, {} unix", grouped(c.udp), grouped(c.unix));
        }
        if c.routes4 > 0 || c.routes6 > 0 {
            let _ = write!(
                s,
                ", {} IPv4 + {} IPv6 routes",
                grouped(c.routes4),
                grouped(c.routes6)
            );
        }
        if c.veth_pairs > 0 {
            let _ = write!(s, ", {} veth pairs", grouped(c.veth_pairs));
        }
        s
    }
}

/// TCP sockets of every namespace on the machine (the active objects of the TCP slab caches in
/// /proc/slabinfo: full, time-wait and request sockets, IPv4 and IPv6), or `None` when
/// unreadable. Sockets of other namespaces share the kernel's established hash table, whose
/// walk every dump pays for, so they slow the floor and every tool alike.
pub fn machine_tcp_sockets() -> Option<usize> {
    let text = std::fs::read_to_string("/proc/slabinfo").ok()?;
    Some(slab_tcp_objects(&text))
}

fn slab_tcp_objects(slabinfo: &str) -> usize {
    const CACHES: [&str; 6] = [
        "TCP",
        "TCPv6",
        "tw_sock_TCP",
        "tw_sock_TCPv6",
        "request_sock_TCP",
        "request_sock_TCPv6",
    ];
    slabinfo
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            let name = w.next()?;
            let active: usize = w.next()?.parse().ok()?;
            CACHES.contains(&name).then_some(active)
        })
        .sum()
}

fn route4_line(i: usize) -> String {
    // 198.18.0.0 + i, i < 2^17.
    let a = 18 + (i >> 16);
    format!(
        "route add 198.{a}.{}.{}/32 dev sbr0",
        (i >> 8) & 0xff,
        i & 0xff
    )
}

fn route6_line(i: usize) -> String {
    format!(
        "route add 2001:db8:{:x}:{:x}::/64 dev sbr0",
        (i >> 16) & 0xffff,
        i & 0xffff
    )
}

impl Drop for Fixture {
    fn drop(&mut self) {
        // Release every holder first (close all stdins), then reap them.
        for child in &mut self.holders {
            drop(child.stdin.take());
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        for child in &mut self.holders {
            loop {
                match child.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() > deadline => {
                        let _ = child.kill();
                        let _ = child.wait();
                        break;
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.tmp);
        // `self.ns` drops after this: leave the namespace and delete it.
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_respects_the_descriptor_budget() {
        assert_eq!(
            split(50_000, 6),
            vec![8_334, 8_334, 8_333, 8_333, 8_333, 8_333]
        );
        let big = split(500_000, 6);
        assert_eq!(big.len(), 51);
        assert!(big.iter().all(|p| *p <= MAX_PER_HOLDER));
        assert_eq!(big.iter().sum::<usize>(), 500_000);
        assert_eq!(split(3, 6), vec![1, 1, 1]);
        assert!(split(0, 6).is_empty());
    }

    #[test]
    fn dport_filter_matches_about_ten_percent() {
        let mut c = Counts::default();
        for (i, pairs) in split(50_000, 6).into_iter().enumerate() {
            c.tcp_groups.push(TcpGroup {
                port: BASE_PORT + i as u16,
                pairs,
                v6: i % 2 == 1,
            });
        }
        let f = c.dport_filter().expect("filter");
        assert_eq!(f.words(), ["dport", "=", ":5001"]);
        assert_eq!(f.floor_args(), ["--dport", "5001"]);
        assert_eq!(f.matches, 8_334);
        c.tcp_groups.clear();
        for (i, pairs) in split(500_000, 6).into_iter().enumerate() {
            c.tcp_groups.push(TcpGroup {
                port: BASE_PORT + i as u16,
                pairs,
                v6: false,
            });
        }
        let f = c.dport_filter().expect("filter");
        assert_eq!(f.words().join(" "), "dport >= :5001 and dport <= :5010");
        let share = f.matches as f64 / c.tcp_sockets() as f64;
        assert!((0.08..0.12).contains(&share), "{share}");
    }

    #[test]
    fn route_lines_stay_in_the_documentation_ranges() {
        assert_eq!(route4_line(0), "route add 198.18.0.0/32 dev sbr0");
        assert_eq!(
            route4_line(MAX_ROUTES4 - 1),
            "route add 198.19.255.255/32 dev sbr0"
        );
        assert_eq!(
            route6_line(199_999),
            "route add 2001:db8:3:d3f::/64 dev sbr0"
        );
    }

    #[test]
    fn slabinfo_tcp_caches_are_summed() {
        let text = "slabinfo - version: 2.1\n\
            # name <active_objs> <num_objs> ...\n\
            tw_sock_TCPv6        160    224    256   16    1 : tunables 0 0 0\n\
            TCPv6              50105  50154   2496   13    8 : tunables 0 0 0\n\
            UDP                   10     20   1024   16    4 : tunables 0 0 0\n\
            TCP                50112  50180   2368   13    8 : tunables 0 0 0\n";
        assert_eq!(slab_tcp_objects(text), 160 + 50105 + 50112);
    }

    #[test]
    fn grouped_numbers() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }
}
