//! The results model and its renderings: the markdown tables printed on stdout (ratios per
//! scenario, per-command details, the targets) and `results.json`; the same for the
//! `--scaling` mode. Also [`Machine`], the description of the machine a run was made on.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::process::Command;

use serde_json::{json, Value};

use super::fixture::grouped;
use super::run::{Sample, Stats};
use super::scenario::{Metric, Scenario};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Reference,
    Sockscope,
    Floor,
    /// The floor of the reference's request ([`Scenario::reference_floor`]).
    ReferenceFloor,
    /// sockscope with [`Scenario::variant`]'s environment.
    Variant,
}

/// The samples of one command.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Measured {
    pub argv: Vec<String>,
    pub samples: Vec<Sample>,
}

impl Measured {
    pub fn new(argv: &[OsString]) -> Measured {
        Measured {
            argv: argv
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect(),
            samples: Vec::new(),
        }
    }

    pub fn push(&mut self, s: Sample) {
        self.samples.push(s);
    }

    pub fn stats(&self) -> Stats {
        Stats::of(&self.samples)
    }

    /// The command line as shown in reports: the program's file name, then the arguments.
    pub fn display(&self) -> String {
        let mut words = self.argv.iter();
        let prog = words
            .next()
            .map(|p| p.rsplit('/').next().unwrap_or(p).to_string())
            .unwrap_or_default();
        std::iter::once(prog)
            .chain(words.cloned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// One role of a scenario: measured, or a note saying why not.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleResult {
    pub measured: Option<Measured>,
    pub note: Option<String>,
}

impl RoleResult {
    /// The median wall time, when there are samples.
    pub fn wall(&self) -> Option<f64> {
        let m = self.measured.as_ref().filter(|m| !m.samples.is_empty())?;
        Some(m.stats().wall.median)
    }

    /// The median of user + system time over the runs.
    pub fn cpu(&self) -> Option<f64> {
        let m = self.measured.as_ref().filter(|m| !m.samples.is_empty())?;
        Some(super::run::Spread::of(m.samples.iter().map(|s| s.user + s.sys)).median)
    }

    pub fn rss_kib(&self) -> Option<f64> {
        let m = self.measured.as_ref().filter(|m| !m.samples.is_empty())?;
        Some(m.stats().rss_kib.median)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioResult {
    pub scenario: Scenario,
    pub reference: RoleResult,
    pub sockscope: RoleResult,
    pub floor: RoleResult,
    pub reference_floor: RoleResult,
    pub variant: RoleResult,
    /// The verdict of the output comparison of the warm-up run.
    pub output: String,
}

fn ratio(a: Option<f64>, b: Option<f64>) -> Option<f64> {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => Some(a / b),
        _ => None,
    }
}

impl ScenarioResult {
    pub fn new(scenario: Scenario) -> ScenarioResult {
        ScenarioResult {
            scenario,
            reference: RoleResult::default(),
            sockscope: RoleResult::default(),
            floor: RoleResult::default(),
            reference_floor: RoleResult::default(),
            variant: RoleResult::default(),
            output: String::new(),
        }
    }

    pub fn vs_reference(&self) -> Option<f64> {
        ratio(self.sockscope.wall(), self.reference.wall())
    }

    pub fn vs_floor(&self) -> Option<f64> {
        ratio(self.sockscope.wall(), self.floor.wall())
    }

    pub fn reference_vs_floor(&self) -> Option<f64> {
        ratio(self.reference.wall(), self.floor.wall())
    }

    /// sockscope's median wall / the median wall of the reference's own request's floor.
    pub fn vs_reference_floor(&self) -> Option<f64> {
        ratio(self.sockscope.wall(), self.reference_floor.wall())
    }

    /// sockscope's median CPU time (user + sys) / the reference's: insensitive to other load on
    /// the machine, unlike wall time.
    pub fn cpu_vs_reference(&self) -> Option<f64> {
        ratio(self.sockscope.cpu(), self.reference.cpu())
    }

    pub fn rss_vs_reference(&self) -> Option<f64> {
        ratio(self.sockscope.rss_kib(), self.reference.rss_kib())
    }

    /// The value of `m`; `all` is the whole run (for [`Metric::WallVsOurs`]).
    pub fn metric(&self, m: Metric, all: &[ScenarioResult]) -> Option<f64> {
        match m {
            Metric::WallVsReference => self.vs_reference(),
            Metric::WallVsFloor => self.vs_floor(),
            Metric::RssVsReference => self.rss_vs_reference(),
            Metric::WallVsOurs(id) => {
                let other = all.iter().find(|r| r.scenario.id == id)?;
                ratio(self.sockscope.wall(), other.sockscope.wall())
            }
        }
    }

    fn role(&self, r: Role) -> &RoleResult {
        match r {
            Role::Reference => &self.reference,
            Role::Sockscope => &self.sockscope,
            Role::Floor => &self.floor,
            Role::ReferenceFloor => &self.reference_floor,
            Role::Variant => &self.variant,
        }
    }
}

/// What the machine is.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub memory: String,
    pub kernel: String,
    pub tools: Vec<String>,
    pub rustc: String,
    pub date: String,
    /// `/proc/loadavg`'s 1-minute average when the run started.
    pub load: String,
}

fn first_output_line(prog: &str, args: &[&str]) -> String {
    Command::new(prog)
        .args(args)
        .output()
        .ok()
        .map(|o| {
            let text = if o.stdout.is_empty() {
                o.stderr
            } else {
                o.stdout
            };
            String::from_utf8_lossy(&text)
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

/// The 1-minute load average (other work on the machine slows wall times).
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(String::from))
        .unwrap_or_default()
}

impl Machine {
    pub fn probe() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu = cpuinfo
            .lines()
            .find(|l| l.starts_with("model name"))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown CPU".into());
        let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
        let memory = meminfo
            .lines()
            .find(|l| l.starts_with("MemTotal:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map(|kb| format!("{:.0} GiB", kb / 1024.0 / 1024.0))
            .unwrap_or_default();
        let uname = rustix::system::uname();
        let kernel = format!(
            "{} {}",
            uname.sysname().to_string_lossy(),
            uname.release().to_string_lossy()
        );
        let tools = vec![
            first_output_line("ss", &["-V"]),
            first_output_line("ip", &["-V"]),
            first_output_line("netstat", &["-V"]),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
        let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
        Machine {
            cpu,
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            memory,
            kernel,
            tools,
            rustc: first_output_line(&rustc, &["-V"]),
            date: first_output_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"]),
            load: load_average(),
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{} cores ({}), {} RAM, {}; {}; {}",
            self.cores,
            self.cpu,
            self.memory,
            self.kernel,
            self.tools.join(", "),
            self.rustc
        )
    }

    fn json(&self) -> Value {
        json!({
            "cpu": self.cpu,
            "cores": self.cores,
            "memory": self.memory,
            "kernel": self.kernel,
            "tools": self.tools,
            "rustc": self.rustc,
            "date": self.date,
            "load_average_at_start": self.load,
        })
    }
}

/// What a run was.
#[derive(Clone, Debug, PartialEq)]
pub struct RunInfo {
    pub machine: Machine,
    pub fixture: String,
    pub tcp_sockets: usize,
    pub runs: usize,
    pub command: String,
    pub setup_secs: f64,
    pub total_secs: f64,
    /// TCP sockets on the machine outside the fixture when the run started (see
    /// `fixture::machine_tcp_sockets`).
    pub other_tcp: Option<usize>,
}

impl RunInfo {
    /// The sentence about sockets outside the fixture, if there were enough to matter.
    pub fn other_tcp_note(&self) -> Option<String> {
        let n = self.other_tcp?;
        (n * 100 > self.tcp_sockets.max(1)).then(|| {
            format!(
                "Note: {} TCP sockets of other namespaces were on the machine; they share the \
                 kernel's established hash table, whose walk every dump (floor included) pays for.",
                grouped(n)
            )
        })
    }
}

/// `201.3 ms`, `2.12 s`.
pub fn secs(x: f64) -> String {
    if x < 0.01 {
        format!("{:.2} ms", x * 1e3)
    } else if x < 1.0 {
        format!("{:.1} ms", x * 1e3)
    } else {
        format!("{x:.2} s")
    }
}

/// KiB as `7.0 MiB`.
pub fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

fn x(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{r:.2}x"))
}

/// The table cell of one role: its median wall, or `n/a` / `not run`.
fn cell(r: &RoleResult, notes: &mut Vec<String>) -> String {
    match (r.wall(), &r.note) {
        (Some(w), None) => secs(w),
        (Some(w), Some(n)) => {
            notes.push(n.clone());
            format!("{} [{}]", secs(w), notes.len())
        }
        (None, Some(n)) => {
            notes.push(n.clone());
            let word = if n.starts_with("n/a") {
                "n/a"
            } else {
                "not run"
            };
            format!("{word} [{}]", notes.len())
        }
        (None, None) => "–".into(),
    }
}

/// The markdown report.
pub fn markdown(info: &RunInfo, results: &[ScenarioResult]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "### sockscope vs ss / netstat / ip\n");
    let _ = writeln!(
        s,
        "Fixture: {}. Medians of {} timed runs per command (after one warm-up run; the commands \
         of a scenario alternate their order from run to run), output to a file; the floor is a \
         minimal dump of the same netlink request, every reply discarded. Where sockscope asks \
         the kernel differently (TCP's two families: ss's two requests at the same time, on \
         two threads, or one request for both, where ss makes its two one after the other), \
         the floor of the reference's way follows in parentheses, and so does sockscope's \
         ratio to it.\n",
        info.fixture, info.runs
    );
    let _ = writeln!(
        s,
        "Machine: {}. Date: {}. Load average at start / end: {} / {}.\n",
        info.machine.describe(),
        info.machine.date,
        info.machine.load,
        load_average()
    );
    let _ = writeln!(s, "Reproduce (as root): `{}`\n", info.command);
    if let Some(n) = info.other_tcp_note() {
        let _ = writeln!(s, "{n}\n");
    }
    let mut notes = Vec::new();
    let _ = writeln!(
        s,
        "| scenario | reference | sockscope | floor | sockscope / reference | sockscope / floor \
         | reference / floor | CPU sockscope / reference | peak RSS reference → sockscope | output |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|---:|---|---|");
    for r in results {
        let rss = match (r.reference.rss_kib(), r.sockscope.rss_kib()) {
            (Some(a), Some(b)) => format!("{} → {}", mib(a), mib(b)),
            (None, Some(b)) => format!("– → {}", mib(b)),
            (Some(a), None) => format!("{} → –", mib(a)),
            (None, None) => "–".into(),
        };
        let ref_cell = cell(&r.reference, &mut notes);
        let ours_cell = cell(&r.sockscope, &mut notes);
        let mut floor_cell = cell(&r.floor, &mut notes);
        let mut vs_floor = x(r.vs_floor());
        if r.scenario.reference_floor.is_some() {
            floor_cell = format!("{floor_cell} ({})", cell(&r.reference_floor, &mut notes));
            vs_floor = format!("{vs_floor} ({})", x(r.vs_reference_floor()));
        }
        let ratio = match r.vs_reference() {
            Some(v) => format!("**{v:.2}x**"),
            None if r.sockscope.wall().is_none() => "n/a".into(),
            None => "–".into(),
        };
        let _ = writeln!(
            s,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            r.scenario.id,
            ref_cell,
            ours_cell,
            floor_cell,
            ratio,
            vs_floor,
            x(r.reference_vs_floor()),
            x(r.cpu_vs_reference()),
            rss,
            if r.output.is_empty() {
                "–"
            } else {
                &r.output
            }
        );
    }
    if !notes.is_empty() {
        let _ = writeln!(s);
        for (i, n) in notes.iter().enumerate() {
            let _ = writeln!(s, "[{}] {}  ", i + 1, n);
        }
    }

    let _ = writeln!(s, "\n#### Targets\n");
    if info.tcp_sockets != 100_000 {
        let _ = writeln!(
            s,
            "(The targets are defined at 100,000 sockets; this run has {}.)\n",
            grouped(info.tcp_sockets)
        );
    }
    let _ = writeln!(s, "| scenario | measure | target | measured | |");
    let _ = writeln!(s, "|---|---|---:|---:|---|");
    for r in results {
        for t in &r.scenario.targets {
            let v = r.metric(t.metric, results);
            let verdict = match v {
                Some(v) if v <= t.limit => "met",
                Some(_) => "**MISSED**",
                None => "not measured",
            };
            let _ = writeln!(
                s,
                "| `{}` | {} | ≤ {:.2}x | {} | {} |",
                r.scenario.id,
                t.metric.label(),
                t.limit,
                x(v),
                verdict
            );
        }
    }

    let _ = writeln!(
        s,
        "\n#### Details (seconds; user, sys and peak RSS are medians)\n"
    );
    let _ = writeln!(
        s,
        "| scenario | command | runs | wall min | wall median | wall max | user | sys | peak RSS |"
    );
    let _ = writeln!(s, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in results {
        for role in [
            Role::Reference,
            Role::Sockscope,
            Role::Floor,
            Role::ReferenceFloor,
        ] {
            let Some(m) = r.role(role).measured.as_ref() else {
                continue;
            };
            if m.samples.is_empty() {
                continue;
            }
            let st = m.stats();
            let _ = writeln!(
                s,
                "| `{}` | `{}` | {} | {:.4} | {:.4} | {:.4} | {:.4} | {:.4} | {} |",
                r.scenario.id,
                m.display(),
                st.runs,
                st.wall.min,
                st.wall.median,
                st.wall.max,
                st.user.median,
                st.sys.median,
                mib(st.rss_kib.median)
            );
        }
    }
    let _ = writeln!(
        s,
        "\nFixture setup {:.1} s; whole run {:.0} s.",
        info.setup_secs, info.total_secs
    );
    s
}

fn role_json(r: &RoleResult) -> Value {
    let Some(m) = &r.measured else {
        return json!({ "measured": false, "note": r.note });
    };
    let st = m.stats();
    let spread = |s: super::run::Spread| json!({ "min": s.min, "median": s.median, "max": s.max });
    json!({
        "measured": !m.samples.is_empty(),
        "note": r.note,
        "argv": m.argv,
        "runs": st.runs,
        "wall_s": spread(st.wall),
        "user_s": spread(st.user),
        "sys_s": spread(st.sys),
        "peak_rss_kib": spread(st.rss_kib),
        "samples": m.samples.iter().map(|s| json!({
            "wall_s": s.wall, "user_s": s.user, "sys_s": s.sys,
            "peak_rss_kib": s.rss_kib, "status": s.status,
        })).collect::<Vec<_>>(),
    })
}

fn scenario_json(r: &ScenarioResult, all: &[ScenarioResult]) -> Value {
    json!({
        "id": r.scenario.id,
        "reference": role_json(&r.reference),
        "sockscope": role_json(&r.sockscope),
        "floor": role_json(&r.floor),
        "reference_floor": role_json(&r.reference_floor),
        "variant": r.scenario.variant.as_ref().map(|v| json!({
            "label": v.label,
            "env": [v.env.0, v.env.1],
            "result": role_json(&r.variant),
        })),
        "output": r.output,
        "ratios": {
            "wall_vs_reference": r.vs_reference(),
            "wall_vs_floor": r.vs_floor(),
            "wall_vs_reference_floor": r.vs_reference_floor(),
            "reference_vs_floor": r.reference_vs_floor(),
            "cpu_vs_reference": r.cpu_vs_reference(),
            "rss_vs_reference": r.rss_vs_reference(),
        },
        "targets": r.scenario.targets.iter().map(|t| {
            let v = r.metric(t.metric, all);
            json!({
                "measure": t.metric.key(),
                "limit": t.limit,
                "value": v,
                "met": v.map(|v| v <= t.limit),
            })
        }).collect::<Vec<_>>(),
    })
}

fn info_json(info: &RunInfo) -> Value {
    json!({
        "command": info.command,
        "machine": info.machine.json(),
        "fixture": info.fixture,
        "tcp_sockets": info.tcp_sockets,
        "runs": info.runs,
        "setup_s": info.setup_secs,
        "total_s": info.total_secs,
        "other_tcp_sockets": info.other_tcp,
    })
}

/// `results.json`.
pub fn json(info: &RunInfo, results: &[ScenarioResult]) -> String {
    let v = json!({
        "run": info_json(info),
        "scenarios": results.iter().map(|r| scenario_json(r, results)).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

/// One size of the `--scaling` mode.
#[derive(Clone, Debug, PartialEq)]
pub struct ScalingPoint {
    pub sockets: usize,
    pub result: ScenarioResult,
}

/// The growth limit of the issue: 10× the sockets may take at most 11× the time.
pub const LINEAR_LIMIT: f64 = 11.0;

/// Wall time at this size / wall time at the previous size, per role.
fn growth(points: &[ScalingPoint], i: usize, role: Role) -> Option<f64> {
    let prev = points.get(i.checked_sub(1)?)?;
    ratio(
        points.get(i)?.result.role(role).wall(),
        prev.result.role(role).wall(),
    )
}

/// The same for CPU time (user + system): unlike wall time it does not grow when other load on
/// the machine takes the CPU away from the tool.
fn cpu_growth(points: &[ScalingPoint], i: usize, role: Role) -> Option<f64> {
    let prev = points.get(i.checked_sub(1)?)?;
    ratio(
        points.get(i)?.result.role(role).cpu(),
        prev.result.role(role).cpu(),
    )
}

/// Growth of one role's median user (or, with `sys`, system) time from the previous point.
fn split_growth(points: &[ScalingPoint], i: usize, role: Role, sys: bool) -> Option<f64> {
    let median = |p: &ScalingPoint| {
        let m = p.result.role(role).measured.as_ref()?;
        let st = m.stats();
        Some(if sys { st.sys.median } else { st.user.median })
    };
    ratio(
        median(points.get(i)?),
        median(points.get(i.checked_sub(1)?)?),
    )
}

pub fn scaling_markdown(info: &RunInfo, points: &[ScalingPoint]) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "### Scaling: `ss -tan` and `sockscope -tan` against socket count\n"
    );
    let _ = writeln!(
        s,
        "One fixture grown through the sizes (loopback TCP pairs, IPv4+IPv6); medians of {} timed \
         runs per command. Machine: {}. Date: {}. Load average at start / end: {} / {}. \
         Reproduce (as root): `{}`\n",
        info.runs,
        info.machine.describe(),
        info.machine.date,
        info.machine.load,
        load_average(),
        info.command
    );
    if let Some(n) = info.other_tcp_note() {
        let _ = writeln!(s, "{n}\n");
    }
    let label = points
        .first()
        .and_then(|p| p.result.scenario.variant.as_ref())
        .map_or("variant", |v| v.label.as_str());
    let _ = writeln!(
        s,
        "| TCP sockets | floor (ss's requests at once) | floor (in turn) | ss -tan | sockscope -tan \
         | sockscope / ss | sockscope / floor | growth ss | growth sockscope \
         | sockscope -tan, {label} | growth, {label} \
         | CPU (user+sys) ss / sockscope | CPU growth ss / sockscope | peak RSS ss → sockscope |"
    );
    let _ = writeln!(
        s,
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for (i, p) in points.iter().enumerate() {
        let r = &p.result;
        let w = |role: &RoleResult| role.wall().map_or_else(|| "–".into(), secs);
        let rss = match (r.reference.rss_kib(), r.sockscope.rss_kib()) {
            (Some(a), Some(b)) => format!("{} → {}", mib(a), mib(b)),
            _ => "–".into(),
        };
        let cpu = |role: &RoleResult| role.cpu().map_or_else(|| "–".into(), secs);
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} | {} / {} | {} |",
            grouped(p.sockets),
            w(&r.floor),
            w(&r.reference_floor),
            w(&r.reference),
            w(&r.sockscope),
            x(r.vs_reference()),
            x(r.vs_floor()),
            x(growth(points, i, Role::Reference)),
            x(growth(points, i, Role::Sockscope)),
            w(&r.variant),
            x(growth(points, i, Role::Variant)),
            cpu(&r.reference),
            cpu(&r.sockscope),
            x(cpu_growth(points, i, Role::Reference)),
            x(cpu_growth(points, i, Role::Sockscope)),
            rss
        );
    }
    if let Some(last) = points.len().checked_sub(1).filter(|&l| l > 0) {
        let g = growth(points, last, Role::Sockscope);
        let verdict = match g {
            Some(g) if g <= LINEAR_LIMIT => "met",
            Some(_) => "**MISSED**",
            None => "not measured",
        };
        let c = cpu_growth(points, last, Role::Sockscope);
        let floor_g = growth(points, last, Role::Floor);
        let ref_floor_g = growth(points, last, Role::ReferenceFloor);
        let _ = writeln!(
            s,
            "\nTarget: {} sockets take at most {LINEAR_LIMIT}x the time of {} — sockscope wall \
             time: {} ({verdict}); CPU time {}; the floor's own wall-time growth: {} (ss's \
             requests in turn: {}); sockscope, {label}: {}.",
            grouped(points[last].sockets),
            grouped(points[last - 1].sockets),
            x(g),
            x(c),
            x(floor_g),
            x(ref_floor_g),
            x(growth(points, last, Role::Variant))
        );
        let _ = writeln!(
            s,
            "\nWhere the growth is: sockscope's user time (decoding, formatting, writing) grows \
             {}, its system time (the kernel's dump, mostly) {}; the floor's system time {}.",
            x(split_growth(points, last, Role::Sockscope, false)),
            x(split_growth(points, last, Role::Sockscope, true)),
            x(split_growth(points, last, Role::Floor, true)),
        );
    }
    s
}

pub fn scaling_json(info: &RunInfo, points: &[ScalingPoint]) -> String {
    let v = json!({
        "run": info_json(info),
        "points": points.iter().enumerate().map(|(i, p)| json!({
            "sockets": p.sockets,
            "result": scenario_json(&p.result, std::slice::from_ref(&p.result)),
            "growth": {
                "reference": growth(points, i, Role::Reference),
                "sockscope": growth(points, i, Role::Sockscope),
                "floor": growth(points, i, Role::Floor),
                "reference_floor": growth(points, i, Role::ReferenceFloor),
                "variant": growth(points, i, Role::Variant),
            },
            "cpu_growth": {
                "reference": cpu_growth(points, i, Role::Reference),
                "sockscope": cpu_growth(points, i, Role::Sockscope),
                "floor": cpu_growth(points, i, Role::Floor),
            },
            "user_growth": {
                "sockscope": split_growth(points, i, Role::Sockscope, false),
            },
            "sys_growth": {
                "sockscope": split_growth(points, i, Role::Sockscope, true),
                "floor": split_growth(points, i, Role::Floor, true),
            },
        })).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::scenario::{Compare, Target};
    use super::*;

    fn sample(wall: f64, rss: u64) -> Sample {
        Sample {
            wall,
            user: wall / 2.0,
            sys: wall / 2.0,
            rss_kib: rss,
            status: 0,
            timed_out: false,
        }
    }

    fn role(walls: &[f64], rss: u64) -> RoleResult {
        RoleResult {
            measured: Some(Measured {
                argv: vec!["/usr/bin/ss".into(), "-tan".into()],
                samples: walls.iter().map(|w| sample(*w, rss)).collect(),
            }),
            note: None,
        }
    }

    pub(crate) fn result(id: &str, r: &[f64], o: &[f64], f: &[f64]) -> ScenarioResult {
        let sc = Scenario {
            id: id.into(),
            reference: vec!["ss".into(), "-tan".into()],
            ours: vec!["-tan".into()],
            floor: None,
            reference_floor: None,
            variant: None,
            compare: Compare::Exact,
            reference_skip: None,
            targets: vec![Target {
                metric: Metric::WallVsReference,
                limit: 0.6,
            }],
        };
        let mut res = ScenarioResult::new(sc);
        res.reference = role(r, 7000);
        res.sockscope = role(o, 3000);
        res.floor = role(f, 2000);
        res.output = "identical (3 lines)".into();
        res
    }

    fn info() -> RunInfo {
        RunInfo {
            machine: Machine::default(),
            fixture: "test".into(),
            tcp_sockets: 100_000,
            runs: 3,
            command: "cargo xtask bench".into(),
            setup_secs: 1.0,
            total_secs: 2.0,
            other_tcp: Some(50),
        }
    }

    #[test]
    fn ratios_use_medians() {
        let r = result(
            "ss -tan",
            &[0.2, 0.3, 0.1],
            &[0.1, 0.5, 0.08],
            &[0.05, 0.05, 0.06],
        );
        assert!((r.vs_reference().unwrap() - 0.5).abs() < 1e-9);
        assert!((r.vs_floor().unwrap() - 2.0).abs() < 1e-9);
        assert!((r.rss_vs_reference().unwrap() - 3000.0 / 7000.0).abs() < 1e-9);
    }

    #[test]
    fn reference_floor_follows_in_parentheses() {
        let mut r = result("ss -tan", &[0.2], &[0.1], &[0.08]);
        r.scenario.reference_floor = Some(vec!["floor-dump".into(), "inet".into()]);
        r.reference_floor = result("x", &[0.1], &[0.1], &[0.1]).floor;
        let md = markdown(&info(), std::slice::from_ref(&r));
        assert!(
            md.contains("| `ss -tan` | 200.0 ms | 100.0 ms | 80.0 ms (100.0 ms) | **0.50x** | 1.25x (1.00x) |"),
            "{md}"
        );
        let v: Value = serde_json::from_str(&json(&info(), &[r])).expect("valid json");
        assert_eq!(
            v["scenarios"][0]["ratios"]["wall_vs_reference_floor"],
            json!(1.0)
        );
    }

    #[test]
    fn markdown_lists_ratios_targets_and_na() {
        let mut na = result("netstat -tan", &[0.3], &[], &[0.1]);
        na.sockscope = RoleResult {
            measured: None,
            note: Some(
                "n/a (exit 2: sockscope: the netstat persona is not implemented yet)".into(),
            ),
        };
        let results = vec![result("ss -tan", &[0.2], &[0.1], &[0.09]), na];
        let md = markdown(&info(), &results);
        assert!(
            md.contains("| `ss -tan` | 200.0 ms | 100.0 ms | 90.0 ms | **0.50x** | 1.11x |"),
            "{md}"
        );
        assert!(
            md.contains("| `netstat -tan` | 300.0 ms | n/a [1] |"),
            "{md}"
        );
        assert!(md.contains("[1] n/a (exit 2"), "{md}");
        assert!(
            md.contains("| `ss -tan` | wall vs reference | ≤ 0.60x | 0.50x | met |"),
            "{md}"
        );
        assert!(md.contains("| `netstat -tan` | wall vs reference | ≤ 0.60x | – | not measured |"));
        let v: Value = serde_json::from_str(&json(&info(), &results)).expect("valid json");
        assert_eq!(v["scenarios"][0]["ratios"]["wall_vs_reference"], json!(0.5));
        assert_eq!(v["scenarios"][1]["sockscope"]["measured"], json!(false));
        assert_eq!(v["scenarios"][0]["targets"][0]["met"], json!(true));
    }

    #[test]
    fn scaling_growth_is_checked() {
        let points = vec![
            ScalingPoint {
                sockets: 100_000,
                result: result("ss -tan", &[0.2], &[0.1], &[0.1]),
            },
            ScalingPoint {
                sockets: 1_000_000,
                result: result("ss -tan", &[2.1], &[1.2], &[1.0]),
            },
        ];
        let md = scaling_markdown(&info(), &points);
        assert!(
            md.contains("sockscope wall time: 12.00x (**MISSED**); CPU time 12.00x"),
            "{md}"
        );
        let v: Value = serde_json::from_str(&scaling_json(&info(), &points)).expect("json");
        let g = v["points"][1]["growth"]["sockscope"]
            .as_f64()
            .expect("growth");
        assert!((g - 12.0).abs() < 1e-9, "{g}");
    }

    #[test]
    fn time_formats() {
        assert_eq!(secs(0.004), "4.00 ms");
        assert_eq!(secs(0.2013), "201.3 ms");
        assert_eq!(secs(2.125), "2.12 s");
        assert_eq!(mib(7168.0), "7.0 MiB");
    }
}
