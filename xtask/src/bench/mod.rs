//! `cargo xtask bench`: times sockscope against iproute2 and net-tools on large fixtures in a
//! private network namespace, next to the kernel floor, and reports the ratios.
//!
//! Flow: build the release binaries (`sockscope`, `sockscope-testbed`) → build the fixture
//! ([`fixture`]) → probe every command once (warm-up; detects personas that are not
//! implemented yet, which are listed as "n/a"; compares the outputs) → timed runs, alternating
//! the order of a scenario's commands from run to run ([`run`]) → markdown on stdout,
//! `target/bench/results.json`, `target/bench/chart.svg` ([`report`], [`chart`]) → teardown
//! (also on failure and Ctrl-C: the first interrupt stops at the next command and cleans up,
//! a second one exits at once; a later run deletes namespaces a dead run left behind).
//!
//! `--scaling` instead grows one TCP fixture through 10k, 100k and 1M sockets and times
//! `ss -tan`, `sockscope -tan` and the floor at each size (`target/bench/scaling.{md,json,svg}`).

mod chart;
mod fixture;
mod netns;
mod report;
mod run;
mod scenario;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use fixture::{grouped, Fixture};
use scenario::{Compare, Scenario};

pub const USAGE: &str =
    "usage: cargo xtask bench [--quick | --huge | --sockets N] [--runs N] [--scaling]\n\
    \x20                       [--only TEXT]... [--timeout S] [--no-build] [--publish]\n\
    \n  (default)     100,000 TCP sockets, 5 runs, every scenario\
    \n  --quick       10,000 TCP sockets, 3 runs (the CI check)\
    \n  --huge        1,000,000 TCP sockets (about 3 GB of kernel memory)\
    \n  --sockets N   N TCP sockets\
    \n  --runs N      timed runs per command (after one warm-up run)\
    \n  --scaling     time ss -tan and sockscope -tan at 10k, 100k and 1M sockets\
    \n  --only TEXT   only scenarios whose name contains TEXT\
    \n  --timeout S   give up on a command after S seconds (default 60, 20 with --quick)\
    \n  --no-build    use the release binaries already built\
    \n  --publish     also copy the results to benches/results/ (for the README)\n\
    \nNeeds root (network namespaces), iproute2 and net-tools.\n";

/// Parsed command line.
#[derive(Clone, Debug, PartialEq)]
pub struct Options {
    pub sockets: usize,
    pub runs: usize,
    pub scaling: bool,
    pub only: Vec<String>,
    pub build: bool,
    pub publish: bool,
    pub quick: bool,
    /// Seconds after which a command is killed.
    pub timeout: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            sockets: 100_000,
            runs: 5,
            scaling: false,
            only: Vec::new(),
            build: true,
            publish: false,
            quick: false,
            timeout: 60,
        }
    }
}

/// `None` for `--help`.
pub fn parse_args(args: &[String]) -> Result<Option<Options>> {
    let mut o = Options::default();
    let mut runs = None;
    let mut timeout = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--quick" => {
                o.quick = true;
                o.sockets = 10_000;
            }
            "--huge" => o.sockets = 1_000_000,
            "--sockets" => {
                o.sockets = it
                    .next()
                    .and_then(|v| v.replace('_', "").parse().ok())
                    .filter(|n| *n >= 2)
                    .context("--sockets needs a number of at least 2")?
            }
            "--runs" => {
                runs = Some(
                    it.next()
                        .and_then(|v| v.parse().ok())
                        .filter(|n| *n >= 1)
                        .context("--runs needs a positive number")?,
                )
            }
            "--scaling" => o.scaling = true,
            "--timeout" => {
                timeout = Some(
                    it.next()
                        .and_then(|v| v.parse().ok())
                        .filter(|n| *n >= 1)
                        .context("--timeout needs a positive number of seconds")?,
                )
            }
            "--only" => o
                .only
                .push(it.next().context("--only needs a text")?.clone()),
            "--no-build" => o.build = false,
            "--publish" => o.publish = true,
            "-h" | "--help" => return Ok(None),
            other => bail!("unknown argument {other:?}\n{USAGE}"),
        }
    }
    o.runs = runs.unwrap_or(if o.quick { 3 } else { 5 });
    if o.quick && timeout.is_none() {
        // The CI budget: every reference finishes in a few seconds at 10k sockets.
        o.timeout = 20;
    }
    if let Some(t) = timeout {
        o.timeout = t;
    }
    Ok(Some(o))
}

static INTERRUPTED: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// SIGINT/SIGTERM/SIGHUP: the first sets a flag the harness checks between steps (then it
/// cleans up); a second one exits at once.
fn install_interrupt() -> Result<()> {
    let flag = INTERRUPTED.get_or_init(|| Arc::new(AtomicBool::new(false)));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(flag))
            .context("installing signal handler")?;
        signal_hook::flag::register(sig, Arc::clone(flag)).context("installing signal handler")?;
    }
    Ok(())
}

/// Fails once an interrupt arrived.
pub fn check_interrupt() -> Result<()> {
    if INTERRUPTED.get().is_some_and(|f| f.load(Ordering::Relaxed)) {
        bail!("interrupted; fixture torn down");
    }
    Ok(())
}

/// Where things are.
#[derive(Clone, Debug)]
pub struct Paths {
    pub root: PathBuf,
    pub sockscope: PathBuf,
    pub testbed: PathBuf,
    /// `target/bench`.
    pub out: PathBuf,
}

fn paths(root: &Path) -> Paths {
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(t) if Path::new(&t).is_absolute() => PathBuf::from(t),
        Some(t) => root.join(t),
        None => root.join("target"),
    };
    Paths {
        root: root.to_path_buf(),
        sockscope: target.join("release/sockscope"),
        testbed: target.join("release/sockscope-testbed"),
        out: target.join("bench"),
    }
}

fn build(root: &Path) -> Result<()> {
    eprintln!(
        "building release binaries (cargo build --release -p sockscope -p sockscope-testbed)"
    );
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(root)
        .args([
            "build",
            "--release",
            "-p",
            "sockscope",
            "-p",
            "sockscope-testbed",
        ])
        .status()
        .context("running cargo build")?;
    if !status.success() {
        bail!("cargo build --release failed");
    }
    Ok(())
}

/// Finds `name` in PATH (the reference tools).
fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_else(|| "/usr/sbin:/usr/bin:/sbin:/bin".into());
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Entry point of `cargo xtask bench ARGS`.
pub fn main(root: &Path, args: &[String]) -> Result<()> {
    let Some(opts) = parse_args(args)? else {
        print!("{USAGE}");
        return Ok(());
    };
    if !rustix::process::geteuid().is_root() {
        bail!("cargo xtask bench needs root (it creates network namespaces)");
    }
    let t0 = Instant::now();
    let paths = paths(root);
    if opts.build {
        build(root)?;
    }
    for bin in [&paths.sockscope, &paths.testbed] {
        if !bin.is_file() {
            bail!("{} is missing (run without --no-build)", bin.display());
        }
    }
    install_interrupt()?;
    for name in netns::sweep_stale() {
        eprintln!("removed namespace {name} left by an earlier run");
    }
    std::fs::create_dir_all(paths.out.join("out"))
        .with_context(|| format!("creating {}", paths.out.display()))?;
    let machine = report::Machine::probe();
    let other_tcp = fixture::machine_tcp_sockets();
    if let Some(n) = other_tcp.filter(|n| *n * 100 > opts.sockets) {
        eprintln!(
            "warning: {} TCP sockets already exist on this machine (other namespaces); every \
             dump walks them too, so absolute times are inflated (ratios less so)",
            grouped(n)
        );
    }
    if opts.scaling {
        scaling(&opts, &paths, &machine, other_tcp, t0)
    } else {
        full(&opts, &paths, &machine, other_tcp, t0)
    }
}

/// One command of a scenario as it will be run.
#[derive(Clone, Debug)]
struct Cmd {
    role: report::Role,
    argv: Vec<OsString>,
    env: Option<(String, String)>,
    out: PathBuf,
    err: PathBuf,
}

impl Cmd {
    /// Runs the command once through the testbed's timer (see [`run::measure`]).
    fn measure(&self, paths: &Paths, timeout: u64) -> Result<run::Sample> {
        run::measure(
            &paths.testbed,
            &self.argv,
            self.env.as_ref(),
            &self.out,
            &self.err,
            timeout,
        )
    }
}

/// `sockscope` with a scenario's arguments.
fn sockscope_argv(paths: &Paths, sc: &Scenario) -> Vec<OsString> {
    let mut argv = vec![paths.sockscope.clone().into_os_string()];
    argv.extend(sc.ours.iter().map(OsString::from));
    argv
}

/// Probes and times `scenarios`; the results in scenario order.
fn run_scenarios(
    scenarios: Vec<Scenario>,
    runs: usize,
    timeout: u64,
    paths: &Paths,
) -> Result<Vec<report::ScenarioResult>> {
    use report::Role;
    let mut results = Vec::new();
    let mut active: Vec<Vec<Cmd>> = Vec::new();
    let pb = ProgressBar::new(scenarios.len() as u64);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>9} [{bar:32}] {pos}/{len} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix("warm-up");
    for sc in scenarios {
        pb.set_message(sc.id.clone());
        let slug = scenario::slug(&sc.id);
        let file =
            |role: &str, ext: &str| paths.out.join("out").join(format!("{slug}.{role}.{ext}"));
        let mut res = report::ScenarioResult::new(sc.clone());
        let mut cmds = Vec::new();

        // The reference.
        let mut ref_status = 0;
        match (&sc.reference_skip, which(&sc.reference[0])) {
            (Some(why), _) => res.reference.note = Some(why.clone()),
            (None, None) => {
                res.reference.note = Some(format!("{} is not installed", sc.reference[0]))
            }
            (None, Some(prog)) => {
                let mut argv = vec![prog.into_os_string()];
                argv.extend(sc.reference[1..].iter().map(OsString::from));
                let cmd = Cmd {
                    role: Role::Reference,
                    argv,
                    env: None,
                    out: file("ref", "out"),
                    err: file("ref", "err"),
                };
                let probe = cmd.measure(paths, timeout)?;
                if probe.timed_out {
                    res.reference.note = Some(format!(
                        "{} not run: it took more than {timeout} s (--timeout)",
                        sc.reference[0]
                    ));
                } else {
                    ref_status = probe.status;
                    if probe.status != 0 {
                        res.reference.note =
                            Some(format!("exit {}: {}", probe.status, first_line(&cmd.err)));
                    }
                    res.reference.measured = Some(report::Measured::new(&cmd.argv));
                    cmds.push(cmd);
                }
            }
        }
        check_interrupt()?;

        // sockscope.
        let cmd = Cmd {
            role: Role::Sockscope,
            argv: sockscope_argv(paths, &sc),
            env: None,
            out: file("sockscope", "out"),
            err: file("sockscope", "err"),
        };
        let probe = cmd.measure(paths, timeout)?;
        let err_text = std::fs::read_to_string(&cmd.err).unwrap_or_default();
        if probe.timed_out {
            res.sockscope.note = Some(format!(
                "timed out: sockscope {} took more than {timeout} s (--timeout)",
                sc.ours.join(" ")
            ));
        } else if probe.status != ref_status
            || err_text.contains("not implemented")
            || err_text.contains("not supported")
        {
            res.sockscope.note = Some(format!(
                "n/a (exit {}: {})",
                probe.status,
                first_line(&cmd.err)
            ));
        } else {
            if res.reference.measured.is_some() {
                res.output = compare_outputs(sc.compare, &file("ref", "out"), &cmd.out);
            }
            res.sockscope.measured = Some(report::Measured::new(&cmd.argv));
            cmds.push(cmd);
        }
        check_interrupt()?;

        // The floors: of sockscope's request and, where it differs, of the reference's.
        for (role, args, name) in [
            (Role::Floor, &sc.floor, "floor"),
            (Role::ReferenceFloor, &sc.reference_floor, "ref-floor"),
        ] {
            let Some(args) = args else { continue };
            let mut argv = vec![paths.testbed.clone().into_os_string()];
            argv.extend(args.iter().map(OsString::from));
            let cmd = Cmd {
                role,
                argv,
                env: None,
                out: file(name, "out"),
                err: file(name, "err"),
            };
            let probe = cmd.measure(paths, timeout)?;
            let slot = if role == Role::Floor {
                &mut res.floor
            } else {
                &mut res.reference_floor
            };
            if probe.timed_out || probe.status != 0 {
                slot.note = Some(format!("failed: {}", first_line(&cmd.err)));
            } else {
                slot.measured = Some(report::Measured::new(&cmd.argv));
                cmds.push(cmd);
            }
        }
        // sockscope's variant, beside the default.
        if let Some(variant) = &sc.variant {
            let cmd = Cmd {
                role: Role::Variant,
                argv: sockscope_argv(paths, &sc),
                env: Some(variant.env.clone()),
                out: file("variant", "out"),
                err: file("variant", "err"),
            };
            let probe = cmd.measure(paths, timeout)?;
            if probe.timed_out || probe.status != ref_status {
                res.variant.note = Some(format!("failed: {}", first_line(&cmd.err)));
            } else {
                if res.reference.measured.is_some() {
                    // Timed all the same, but flagged: a variant must print what the default does.
                    let verdict = compare_outputs(sc.compare, &file("ref", "out"), &cmd.out);
                    if !verdict.starts_with("identical") && !verdict.starts_with("same line count")
                    {
                        res.variant.note = Some(format!("output: {verdict}"));
                    }
                }
                res.variant.measured = Some(report::Measured::new(&cmd.argv));
                cmds.push(cmd);
            }
        }
        check_interrupt()?;
        results.push(res);
        active.push(cmds);
        pb.inc(1);
    }
    pb.finish_and_clear();

    // Timed runs: every scenario once per round, its commands in rotating order.
    let total: usize = active.iter().map(Vec::len).sum::<usize>() * runs;
    let pb = ProgressBar::new(total as u64);
    pb.set_style(
        ProgressStyle::with_template("{prefix:>9} [{bar:32}] {pos}/{len} {elapsed} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_prefix("timing");
    let t0 = Instant::now();
    // Commands that timed out in a timed run are not run again.
    let mut dropped: Vec<Vec<bool>> = active.iter().map(|c| vec![false; c.len()]).collect();
    for r in 0..runs {
        for ((res, cmds), dropped) in results.iter_mut().zip(&active).zip(&mut dropped) {
            pb.set_message(format!("run {}/{runs}: {}", r + 1, res.scenario.id));
            for i in run::order(r, cmds.len()) {
                let Some(cmd) = cmds.get(i) else { continue };
                if dropped.get(i).copied().unwrap_or(true) {
                    pb.inc(1);
                    continue;
                }
                let sample = cmd.measure(paths, timeout)?;
                check_interrupt()?;
                let slot = match cmd.role {
                    Role::Reference => &mut res.reference,
                    Role::Sockscope => &mut res.sockscope,
                    Role::Floor => &mut res.floor,
                    Role::ReferenceFloor => &mut res.reference_floor,
                    Role::Variant => &mut res.variant,
                };
                if sample.timed_out {
                    slot.note = Some(format!(
                        "timed out after {timeout} s in timed run {}; later runs skipped",
                        r + 1
                    ));
                    if let Some(d) = dropped.get_mut(i) {
                        *d = true;
                    }
                } else if let Some(m) = slot.measured.as_mut() {
                    m.push(sample);
                }
                pb.inc(1);
            }
        }
    }
    pb.finish_and_clear();
    eprintln!(
        "timed {} command runs in {:.1} s",
        total,
        t0.elapsed().as_secs_f64()
    );
    Ok(results)
}

fn first_line(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut s: String = line.chars().take(100).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

/// The verdict on the two outputs of the warm-up run.
fn compare_outputs(how: Compare, reference: &Path, ours: &Path) -> String {
    let (Ok(a), Ok(b)) = (std::fs::read(reference), std::fs::read(ours)) else {
        return "not compared (unreadable output)".into();
    };
    let lines = |x: &[u8]| x.iter().filter(|&&c| c == b'\n').count();
    let (la, lb) = (lines(&a), lines(&b));
    match how {
        Compare::Exact if a == b => format!("identical ({} lines)", grouped(la)),
        Compare::Exact => {
            let at = a
                .split(|&c| c == b'\n')
                .zip(b.split(|&c| c == b'\n'))
                .position(|(x, y)| x != y)
                .map_or(la.min(lb) + 1, |i| i + 1);
            format!(
                "DIFFERS (lines {} vs {}, first at line {})",
                grouped(la),
                grouped(lb),
                grouped(at)
            )
        }
        Compare::Lines if la == lb => format!("same line count ({})", grouped(la)),
        Compare::Lines => format!("LINE COUNT DIFFERS ({} vs {})", grouped(la), grouped(lb)),
    }
}

fn full(
    opts: &Options,
    paths: &Paths,
    machine: &report::Machine,
    other_tcp: Option<usize>,
    t0: Instant,
) -> Result<()> {
    let setup = Instant::now();
    let mut fx = Fixture::new(paths.testbed.clone(), "main")?;
    fx.grow_tcp(opts.sockets)?;
    fx.add_udp((opts.sockets / 100).max(10))?;
    fx.add_unix((opts.sockets / 25).max(40))?;
    eprintln!(
        "fixture: {} UDP and {} unix sockets",
        grouped(fx.counts.udp),
        grouped(fx.counts.unix)
    );
    fx.add_routes(fixture::MAX_ROUTES4, 200_000)?;
    fx.add_links(2_500)?;
    fx.verify_tcp()?;
    let setup_secs = setup.elapsed().as_secs_f64();
    eprintln!(
        "fixture ready in {setup_secs:.1} s (namespace {})",
        fx.netns()
    );

    let mut list = scenario::all(&fx.counts, cores());
    if !opts.only.is_empty() {
        list.retain(|s| opts.only.iter().any(|o| s.id.contains(o.as_str())));
    }
    let results = run_scenarios(list, opts.runs, opts.timeout, paths)?;
    let info = report::RunInfo {
        machine: machine.clone(),
        fixture: fx.describe(),
        tcp_sockets: fx.counts.tcp_sockets(),
        runs: opts.runs,
        command: command_line(opts),
        setup_secs,
        total_secs: 0.0,
        other_tcp,
    };
    drop(fx);
    let info = report::RunInfo {
        total_secs: t0.elapsed().as_secs_f64(),
        ..info
    };
    let md = report::markdown(&info, &results);
    print!("{md}");
    std::fs::write(paths.out.join("results.md"), &md)?;
    let json = report::json(&info, &results);
    std::fs::write(paths.out.join("results.json"), json)?;
    std::fs::write(paths.out.join("chart.svg"), chart::ratios(&info, &results))?;
    eprintln!(
        "wrote {0}/results.md, {0}/results.json and {0}/chart.svg ({1:.0} s in all)",
        paths.out.display(),
        info.total_secs
    );
    if opts.publish {
        publish(paths, &["results.md", "results.json", "chart.svg"])?;
    }
    Ok(())
}

/// This machine's cores, as sockscope counts them to choose how it asks for TCP.
fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The sizes of `--scaling`.
pub const SCALING_SIZES: [usize; 3] = [10_000, 100_000, 1_000_000];

fn scaling(
    opts: &Options,
    paths: &Paths,
    machine: &report::Machine,
    other_tcp: Option<usize>,
    t0: Instant,
) -> Result<()> {
    let setup = Instant::now();
    let mut fx = Fixture::new(paths.testbed.clone(), "scaling")?;
    let mut points = Vec::new();
    for size in SCALING_SIZES {
        fx.grow_tcp(size)?;
        fx.verify_tcp()?;
        let results = run_scenarios(scenario::scaling(cores()), opts.runs, opts.timeout, paths)?;
        let res = results.into_iter().next().context("no scaling result")?;
        points.push(report::ScalingPoint {
            sockets: fx.counts.tcp_sockets(),
            result: res,
        });
    }
    let setup_secs = setup.elapsed().as_secs_f64();
    let fixture = fx.describe();
    drop(fx);
    let info = report::RunInfo {
        machine: machine.clone(),
        fixture,
        tcp_sockets: points.last().map_or(0, |p| p.sockets),
        runs: opts.runs,
        command: command_line(opts),
        setup_secs,
        total_secs: t0.elapsed().as_secs_f64(),
        other_tcp,
    };
    let md = report::scaling_markdown(&info, &points);
    print!("{md}");
    std::fs::write(paths.out.join("scaling.md"), &md)?;
    std::fs::write(
        paths.out.join("scaling.json"),
        report::scaling_json(&info, &points),
    )?;
    std::fs::write(paths.out.join("scaling.svg"), chart::scaling(&points))?;
    eprintln!(
        "wrote {0}/scaling.md, {0}/scaling.json and {0}/scaling.svg",
        paths.out.display()
    );
    if opts.publish {
        publish(paths, &["scaling.md", "scaling.json", "scaling.svg"])?;
    }
    Ok(())
}

/// Copies result files to `benches/results/` (committed; the README links them).
fn publish(paths: &Paths, files: &[&str]) -> Result<()> {
    let dir = paths.root.join("benches/results");
    std::fs::create_dir_all(&dir)?;
    for f in files {
        std::fs::copy(paths.out.join(f), dir.join(f))
            .with_context(|| format!("copying {f} to {}", dir.display()))?;
    }
    eprintln!("copied to {}", dir.display());
    Ok(())
}

/// The command that reproduces this run.
fn command_line(o: &Options) -> String {
    let mut s = String::from("cargo xtask bench");
    if o.scaling {
        s.push_str(" --scaling");
    } else if o.quick && o.sockets == 10_000 {
        s.push_str(" --quick");
    } else if o.sockets == 1_000_000 {
        s.push_str(" --huge");
    } else if o.sockets != 100_000 {
        s.push_str(&format!(" --sockets {}", o.sockets));
    }
    let default_runs = if o.quick { 3 } else { 5 };
    if o.runs != default_runs {
        s.push_str(&format!(" --runs {}", o.runs));
    }
    for only in &o.only {
        s.push_str(&format!(" --only '{only}'"));
    }
    let default_timeout = if o.quick { 20 } else { 60 };
    if o.timeout != default_timeout {
        s.push_str(&format!(" --timeout {}", o.timeout));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options() {
        let o = parse_args(&args(&[])).unwrap().unwrap();
        assert_eq!((o.sockets, o.runs, o.scaling), (100_000, 5, false));
        let o = parse_args(&args(&["--quick"])).unwrap().unwrap();
        assert_eq!((o.sockets, o.runs, o.timeout), (10_000, 3, 20));
        let o = parse_args(&args(&["--timeout", "9"])).unwrap().unwrap();
        assert_eq!(o.timeout, 9);
        let o = parse_args(&args(&["--huge", "--runs", "7"]))
            .unwrap()
            .unwrap();
        assert_eq!((o.sockets, o.runs), (1_000_000, 7));
        let o = parse_args(&args(&["--sockets", "20_000", "--only", "-tan"]))
            .unwrap()
            .unwrap();
        assert_eq!((o.sockets, o.only.len()), (20_000, 1));
        assert!(parse_args(&args(&["--help"])).unwrap().is_none());
        assert!(parse_args(&args(&["--runs", "0"])).is_err());
        assert!(parse_args(&args(&["--bogus"])).is_err());
    }

    #[test]
    fn command_lines_reproduce_the_options() {
        let o = parse_args(&args(&["--quick"])).unwrap().unwrap();
        assert_eq!(command_line(&o), "cargo xtask bench --quick");
        let o = parse_args(&args(&[])).unwrap().unwrap();
        assert_eq!(command_line(&o), "cargo xtask bench");
        let o = parse_args(&args(&["--huge", "--runs", "3"]))
            .unwrap()
            .unwrap();
        assert_eq!(command_line(&o), "cargo xtask bench --huge --runs 3");
    }

    #[test]
    fn outputs_are_compared() {
        let dir = std::env::temp_dir();
        let a = dir.join(format!("xtask-cmp-{}.a", std::process::id()));
        let b = a.with_extension("b");
        std::fs::write(&a, "x\ny\nz\n").unwrap();
        std::fs::write(&b, "x\nY\nz\n").unwrap();
        assert_eq!(
            compare_outputs(Compare::Exact, &a, &b),
            "DIFFERS (lines 3 vs 3, first at line 2)"
        );
        assert_eq!(
            compare_outputs(Compare::Lines, &a, &b),
            "same line count (3)"
        );
        std::fs::write(&b, "x\ny\nz\n").unwrap();
        assert_eq!(
            compare_outputs(Compare::Exact, &a, &b),
            "identical (3 lines)"
        );
        let _ = std::fs::remove_file(&a);
        let _ = std::fs::remove_file(&b);
    }
}
