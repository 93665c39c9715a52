//! Timing one command: `sockscope-testbed time --out FILE --err FILE -- CMD...` runs it with
//! stdout and stderr going to files (as the baseline did) and reports its wall time (spawn to
//! reap), its own user and system time and its peak RSS. The measuring process is that small
//! testbed binary rather than the harness, because a child's `ru_maxrss` includes the peak RSS
//! of the address space it was spawned from (see the testbed's `timer` module); the harness
//! already sits in the fixture's namespace, so no wrapper process is timed.
//!
//! Also the statistics over runs (min / median / max) and the schedule that alternates the
//! commands of a scenario from run to run.

use std::ffi::OsString;
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{bail, Context, Result};

/// One timed run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Sample {
    /// Seconds from spawn to reap.
    pub wall: f64,
    /// Seconds of user CPU time of the child.
    pub user: f64,
    /// Seconds of system CPU time of the child.
    pub sys: f64,
    /// Peak resident set size of the child, KiB (`ru_maxrss`).
    pub rss_kib: u64,
    /// Exit code, or 128 + signal number when it was killed.
    pub status: i32,
    /// Killed for running past the timeout.
    pub timed_out: bool,
}

impl Sample {
    /// Parses the timer's line `WALL_NS USER_US SYS_US MAXRSS_KIB STATUS [TIMED_OUT]`.
    pub fn parse(line: &str) -> Option<Sample> {
        let mut w = line.split_whitespace();
        let mut num = || w.next()?.parse::<i64>().ok();
        let (wall, user, sys, rss, status) = (num()?, num()?, num()?, num()?, num()?);
        let timed_out = num() == Some(1);
        Some(Sample {
            wall: wall as f64 / 1e9,
            user: user as f64 / 1e6,
            sys: sys as f64 / 1e6,
            rss_kib: u64::try_from(rss).ok()?,
            status: i32::try_from(status).ok()?,
            timed_out,
        })
    }
}

/// Runs `argv` once through `timer` (the testbed binary), with `env` added to the environment,
/// stdout to `out` and stderr to `err`, stdin from /dev/null, killed after `timeout_secs`.
pub fn measure(
    timer: &Path,
    argv: &[OsString],
    env: Option<&(String, String)>,
    out: &Path,
    err: &Path,
    timeout_secs: u64,
) -> Result<Sample> {
    if argv.is_empty() {
        bail!("empty command");
    }
    let mut command = Command::new(timer);
    if let Some((k, v)) = env {
        command.env(k, v);
    }
    let res = command
        .arg("time")
        .arg("--out")
        .arg(out)
        .arg("--err")
        .arg(err)
        .arg("--timeout")
        .arg(timeout_secs.to_string())
        .arg("--")
        .args(argv)
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("starting {}", timer.display()))?;
    let text = String::from_utf8_lossy(&res.stdout);
    match Sample::parse(&text) {
        Some(s) if res.status.success() => Ok(s),
        _ => bail!(
            "timing {:?} failed: {}",
            argv.iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            String::from_utf8_lossy(&res.stderr).trim()
        ),
    }
}

/// min / median / max of one measure over runs.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

impl Spread {
    /// Over `values` (median of an even count = mean of the middle two); zeros when empty.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Spread {
        let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
        if v.is_empty() {
            return Spread::default();
        }
        v.sort_by(f64::total_cmp);
        let n = v.len();
        let median = if n % 2 == 1 {
            v[n / 2]
        } else {
            (v[n / 2 - 1] + v[n / 2]) / 2.0
        };
        Spread {
            min: v[0],
            median,
            max: v[n - 1],
        }
    }
}

/// Statistics of one command's samples.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Stats {
    pub runs: usize,
    pub wall: Spread,
    pub user: Spread,
    pub sys: Spread,
    pub rss_kib: Spread,
}

impl Stats {
    pub fn of(samples: &[Sample]) -> Stats {
        Stats {
            runs: samples.len(),
            wall: Spread::of(samples.iter().map(|s| s.wall)),
            user: Spread::of(samples.iter().map(|s| s.user)),
            sys: Spread::of(samples.iter().map(|s| s.sys)),
            rss_kib: Spread::of(samples.iter().map(|s| s.rss_kib as f64)),
        }
    }
}

/// The order in which run `run` executes a scenario's `n` commands: rotated by one per run, so
/// every command goes first, second, ... equally often (no command always profits from, or
/// pays for, what ran just before it).
pub fn order(run: usize, n: usize) -> Vec<usize> {
    (0..n).map(|i| (i + run) % n.max(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spread_is_min_median_max() {
        let s = Spread::of([3.0, 1.0, 2.0]);
        assert_eq!((s.min, s.median, s.max), (1.0, 2.0, 3.0));
        assert_eq!(Spread::of([4.0, 1.0, 2.0, 3.0]).median, 2.5);
        assert_eq!(Spread::of([]), Spread::default());
    }

    #[test]
    fn order_rotates() {
        assert_eq!(order(0, 3), [0, 1, 2]);
        assert_eq!(order(1, 3), [1, 2, 0]);
        assert_eq!(order(2, 2), [0, 1]);
        assert_eq!(order(5, 1), [0]);
    }

    #[test]
    fn timer_lines_parse() {
        let s = Sample::parse("6847038 1500 4699 2984 3\n").expect("sample");
        assert!((s.wall - 0.006847038).abs() < 1e-12);
        assert!((s.user - 0.0015).abs() < 1e-12);
        assert!((s.sys - 0.004699).abs() < 1e-12);
        assert_eq!((s.rss_kib, s.status, s.timed_out), (2984, 3, false));
        let s = Sample::parse("60000000000 1 2 3 137 1").expect("sample");
        assert_eq!((s.status, s.timed_out), (137, true));
        assert_eq!(Sample::parse("1 2 3"), None);
        assert_eq!(Sample::parse("a b c d e"), None);
    }
}
