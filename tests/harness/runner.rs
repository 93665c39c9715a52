//! Runs the reference `ss` and the binary under test on the same option set and compares
//! stdout bytes, exit status and (for `-D FILE`) the written file.
//!
//! * Option sets are written like shell words: `"PROC_ROOT=/proc -tane"` — leading
//!   `NAME=VALUE` words are environment variables, the rest is argv. Placeholders `{NS}`
//!   (namespace name), `{DIR}` (fixture directory), `{OUT}` (a scratch file, compared after
//!   the run), `{DUMP}` (tests/data/ss1.dump) are substituted.
//! * Each run: `ip netns exec <ns> unshare --pid --fork --kill-child --mount-proc <bin> ARGS`,
//!   environment cleared except PATH (+ the set's variables), stdin /dev/null, stdout and
//!   stderr to pipes (so both tools see "no terminal", compact mode). The private PID
//!   namespace makes the tool pid 1 in both runs, so its own NETLINK_SOCK_DIAG socket (which
//!   `ss -f netlink` lists as `tcpdiag:COMM/PID`) gets port id 1 both times; the binary under
//!   test is started through a symlink named `ss` so that COMM is `ss` for both tools. The
//!   `-p` group runs without the PID namespace (it must see the fixture process).
//! * Reference then binary under test; on any difference the pair is run once more (kernel
//!   state may move between runs: a SYN retransmit, a persist probe); a difference in both
//!   attempts is a failure. Stderr is never compared, only reported.
//! * Values that move between runs are masked ([`super::mask`]) only for option sets that
//!   print timers or TCP info, and only when the group allows it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use super::diff::{line_diff, visible_block};
use super::mask::{mask, wants_mask};
use super::netns::NetNs;
use super::{TempDir, REFERENCE_SS};

/// A mask for [`Runner::mask_with`]: output bytes in, comparable bytes out.
pub type MaskFn = fn(&[u8]) -> Vec<u8>;

/// Differences shown in full per group (the rest are only listed) unless verbose.
const MAX_DETAILS: usize = 25;

/// Where the two tools run.
pub enum Place<'a> {
    /// Inside the namespace; `pidns` adds the private PID namespace (see the module doc).
    Netns { ns: &'a NetNs, pidns: bool },
    /// Directly in the test's own namespace (for replays that read no kernel state).
    Host,
}

/// Whether masked comparison may be used for `-o`/`-e`/`-i`/`-b` sets.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MaskPolicy {
    Auto,
    Never,
}

/// What one run produced.
struct Outcome {
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    status: Option<ExitStatus>,
    timed_out: bool,
    out_file: Option<Vec<u8>>,
}

/// A parsed option set.
struct Case {
    text: String,
    env: Vec<(String, String)>,
    args: Vec<String>,
    uses_out: bool,
    masked: bool,
}

/// Compares the reference with the binary under test.
pub struct Runner<'a> {
    place: Place<'a>,
    reference: PathBuf,
    sut: PathBuf,
    tmp: TempDir,
    vars: BTreeMap<&'static str, String>,
    policy: MaskPolicy,
    exclusive: bool,
    /// Socket count of the namespace ("sockets: used") to wait for before each run.
    sockets_baseline: Option<u64>,
    timeout: Duration,
    /// Words appended to the argv of the binary under test only (its extensions, e.g.
    /// `--filter-mode kernel`); the reference never sees them.
    sut_extra: Vec<String>,
    /// Environment variables set for the binary under test only (its extensions).
    sut_env: Vec<(String, String)>,
    /// The tool's name in reports (`ss`, or `ip` after [`Runner::tool`]).
    tool: String,
    /// What the reference prints for `-V` (checked by [`Runner::preflight`]).
    version_needle: String,
    /// A mask applied to both outputs of every set (replaces the ss masking).
    custom_mask: Option<MaskFn>,
}

impl<'a> Runner<'a> {
    pub fn new(place: Place<'a>) -> Runner<'a> {
        super::require_root_and_tools();
        let tmp = TempDir::new("-run");
        // The binary under test is started as `<tmp>/ss` (COMM "ss", see the module doc).
        let sut = tmp.path().join("ss");
        let target = super::bin_under_test();
        if let Err(e) = std::os::unix::fs::symlink(&target, &sut) {
            panic!(
                "cannot create {} -> {}: {e}",
                sut.display(),
                target.display()
            );
        }
        let mut vars = BTreeMap::new();
        vars.insert(
            "{OUT}",
            tmp.path().join("out.bin").to_string_lossy().into_owned(),
        );
        vars.insert(
            "{DUMP}",
            data_file("ss1.dump").to_string_lossy().into_owned(),
        );
        if let Place::Netns { ns, .. } = &place {
            vars.insert("{NS}", ns.name().to_owned());
        }
        Runner {
            place,
            reference: PathBuf::from(REFERENCE_SS),
            sut,
            tmp,
            vars,
            policy: MaskPolicy::Auto,
            exclusive: false,
            sockets_baseline: None,
            timeout: Duration::from_secs(30),
            sut_extra: Vec::new(),
            sut_env: Vec::new(),
            tool: "ss".into(),
            version_needle: "ss utility, iproute2-6.1.0\n".into(),
            custom_mask: None,
        }
    }

    /// Compares another tool of the persona family instead of ss: the binary under test is
    /// started through a symlink named `name` (its persona is chosen from argv[0]), the
    /// reference is `reference`, and `-V` must print `version_needle` in the preflight.
    pub fn tool(mut self, name: &str, reference: &str, version_needle: &str) -> Self {
        let link = self.tmp.path().join(name);
        let target = super::bin_under_test();
        if let Err(e) = std::os::unix::fs::symlink(&target, &link) {
            panic!(
                "cannot create {} -> {}: {e}",
                link.display(),
                target.display()
            );
        }
        self.sut = link;
        self.reference = PathBuf::from(reference);
        self.tool = name.to_owned();
        self.version_needle = version_needle.to_owned();
        self
    }

    /// Masks both outputs of every set with `f` before comparing (instead of ss's masking).
    pub fn mask_with(mut self, f: MaskFn) -> Self {
        self.custom_mask = Some(f);
        self
    }

    /// Runs one set with both tools and returns (reference stdout, reference exit code,
    /// under-test stdout, under-test exit code), unmasked (for extra checks such as parsing
    /// JSON).
    pub fn outputs(&self, set: &str) -> (Vec<u8>, Option<i32>, Vec<u8>, Option<i32>) {
        let case = self.parse(set);
        let r = self.run(&self.reference, &case);
        let t = self.run(&self.sut, &case);
        (
            r.stdout,
            r.status.and_then(|s| s.code()),
            t.stdout,
            t.status.and_then(|s| s.code()),
        )
    }

    /// Appends `words` to every command line of the binary under test (not the reference's).
    /// GNU argument permutation makes options after the filter words work.
    pub fn sut_args(mut self, words: &[&str]) -> Self {
        self.sut_extra = words.iter().map(|w| (*w).to_owned()).collect();
        self
    }

    /// Sets an environment variable for the binary under test only, not the reference
    /// (replaces an earlier value of `key`).
    pub fn set_sut_env(&mut self, key: &str, value: &str) {
        self.sut_env.retain(|(k, _)| k != key);
        self.sut_env.push((key.to_owned(), value.to_owned()));
    }

    /// Adds a `{NAME}` placeholder.
    pub fn var(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.vars.insert(key, value.into());
        self
    }

    pub fn mask_policy(mut self, policy: MaskPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// Hold the process-wide quiet lock around each comparison (machine-global counters).
    pub fn exclusive(mut self) -> Self {
        self.exclusive = true;
        self
    }

    /// Before each run, wait until the namespace's socket count is back at the fixture's own
    /// count. The sockets of the previous run (netlink sockets are freed after an RCU grace
    /// period) are still counted for a few milliseconds after it exits, and `-s` prints that
    /// count as `Total:`.
    pub fn settle_sockets(mut self) -> Self {
        let Place::Netns { ns, .. } = &self.place else {
            panic!("settle_sockets needs a namespace")
        };
        let mut min = u64::MAX;
        let mut same = 0;
        for _ in 0..200 {
            let n = sockets_used(ns);
            if n == min {
                same += 1;
                if same >= 10 {
                    break;
                }
            } else if n < min {
                min = n;
                same = 0;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.sockets_baseline = Some(min);
        self
    }

    /// Proves the execution chain works (a broken `ip netns exec`/`unshare` would make both
    /// runs fail identically and every comparison pass vacuously): the reference must print
    /// its version, and for every `(args, needle)` its stdout must contain `needle`.
    pub fn preflight(&self, expectations: &[(&str, &str)]) {
        let mut all = vec![("-V", self.version_needle.as_str())];
        all.extend_from_slice(expectations);
        for (args, needle) in all {
            let case = self.parse(args);
            let o = self.run(&self.reference, &case);
            let out = String::from_utf8_lossy(&o.stdout);
            assert!(
                out.contains(needle) && o.status.is_some_and(|s| s.success()),
                "preflight failed: `{}` via {} did not print {needle:?} (status {:?})\n\
                 stdout:\n{}stderr:\n{}",
                case.text,
                self.describe(&self.reference, &case),
                o.status,
                visible_block(&o.stdout, "| ", 40),
                visible_block(&o.stderr, "| ", 40),
            );
        }
    }

    /// Like [`Runner::preflight`] for `{OUT}`: the reference run of `set` must write a
    /// non-empty file (so that equal "no file" outcomes cannot pass vacuously).
    pub fn preflight_file(&self, set: &str) {
        let case = self.parse(set);
        assert!(
            case.uses_out,
            "preflight_file needs a set with {{OUT}}: {set}"
        );
        let o = self.run(&self.reference, &case);
        assert!(
            o.out_file.as_ref().is_some_and(|f| !f.is_empty()),
            "preflight failed: `{set}` via {} wrote no data to {{OUT}} (status {:?})\nstderr:\n{}",
            self.describe(&self.reference, &case),
            o.status,
            visible_block(&o.stderr, "| ", 40),
        );
    }

    /// Compares every option set; panics at the end with a summary of all differences.
    pub fn check_group(&self, group: &str, sets: &[&str]) {
        assert!(!sets.is_empty(), "group {group} has no option sets");
        let mut failures = Vec::new();
        let mut retried = Vec::new();
        for set in sets {
            let case = self.parse(set);
            match self.compare(&case) {
                Ok(None) => {}
                Ok(Some(first)) => retried.push((case.text.clone(), first)),
                Err(msg) => failures.push((case.text.clone(), msg)),
            }
        }
        eprintln!(
            "[{group}] {} option sets: {} identical, {} identical only on retry, {} different",
            sets.len(),
            sets.len() - failures.len() - retried.len(),
            retried.len(),
            failures.len()
        );
        // SOCKSCOPE_TEST_VERBOSE=1 also shows what differed in the first attempt.
        let verbose = std::env::var_os("SOCKSCOPE_TEST_VERBOSE").is_some();
        for (text, first) in &retried {
            eprintln!("[{group}]   passed on retry: {} {text}", self.tool);
            if verbose {
                eprintln!("{first}");
            }
        }
        if !failures.is_empty() {
            let mut msg = format!(
                "{} of {} option sets of group `{group}` differ from {}:\n",
                failures.len(),
                sets.len(),
                self.reference.display()
            );
            for (text, _) in &failures {
                let _ = writeln!(msg, "  {} {text}", self.tool);
            }
            // Details of the first MAX_DETAILS differences (all with SOCKSCOPE_TEST_VERBOSE).
            let limit = if verbose { usize::MAX } else { MAX_DETAILS };
            for (_, detail) in failures.iter().take(limit) {
                msg.push('\n');
                msg.push_str(detail);
            }
            if failures.len() > limit {
                let _ = writeln!(
                    msg,
                    "\n… details of {} more differences omitted (set SOCKSCOPE_TEST_VERBOSE=1)",
                    failures.len() - limit
                );
            }
            panic!("{msg}");
        }
    }

    fn parse(&self, set: &str) -> Case {
        let subst = |w: &str| -> String {
            let mut s = w.to_owned();
            for (k, v) in &self.vars {
                s = s.replace(k, v);
            }
            assert!(
                !s.contains('{') || !s.contains('}'),
                "unknown placeholder in {w:?}"
            );
            s
        };
        let mut env = Vec::new();
        let mut args = Vec::new();
        for w in set.split_whitespace() {
            let is_env = args.is_empty()
                && w.split_once('=').is_some_and(|(k, _)| {
                    !k.is_empty()
                        && k.bytes()
                            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                });
            if is_env {
                if let Some((k, v)) = w.split_once('=') {
                    env.push((k.to_owned(), subst(v)));
                }
            } else {
                args.push(subst(w));
            }
        }
        let masked = self.policy == MaskPolicy::Auto && wants_mask(&args);
        Case {
            text: set.to_owned(),
            env,
            args,
            uses_out: set.contains("{OUT}"),
            masked,
        }
    }

    /// Ok(None): identical at once; Ok(Some(first difference)): identical on the retry;
    /// Err: report.
    fn compare(&self, case: &Case) -> Result<Option<String>, String> {
        let first = self.compare_once(case);
        let Err(first_report) = first else {
            return Ok(None);
        };
        match self.compare_once(case) {
            Ok(()) => Ok(Some(first_report)),
            Err(second_report) => {
                let mut msg = second_report;
                if !first_report.is_empty() {
                    msg.push_str("  (the first attempt differed as well)\n");
                }
                Err(msg)
            }
        }
    }

    fn compare_once(&self, case: &Case) -> Result<(), String> {
        let _quiet = self.exclusive.then(super::quiet_guard);
        let r = self.run(&self.reference, case);
        let t = self.run(&self.sut, case);
        drop(_quiet);
        if let Some(problem) = harness_problem(&r) {
            return Err(format!(
                "=== {} {}\n  HARNESS PROBLEM running the reference: {problem}\n  command: {}\n{}",
                self.tool,
                case.text,
                self.describe(&self.reference, case),
                visible_block(&r.stderr, "  | ", 20)
            ));
        }
        let (ro, to) = if let Some(m) = self.custom_mask {
            (m(&r.stdout), m(&t.stdout))
        } else if case.masked {
            (mask(&r.stdout), mask(&t.stdout))
        } else {
            (r.stdout.clone(), t.stdout.clone())
        };
        let same_out = ro == to;
        let same_status = r.status == t.status && !r.timed_out && !t.timed_out;
        let same_file = r.out_file == t.out_file;
        if same_out && same_status && same_file {
            return Ok(());
        }
        let mut m = String::new();
        let _ = writeln!(m, "=== {} {}", self.tool, case.text);
        let _ = writeln!(
            m,
            "  reference:    {}",
            self.describe(&self.reference, case)
        );
        let _ = writeln!(m, "  under test:   {}", self.describe(&self.sut, case));
        let _ = writeln!(
            m,
            "  exit status:  reference {}, under test {}{}",
            fmt_status(&r),
            fmt_status(&t),
            if same_status { "" } else { "   <-- differs" }
        );
        if !same_out {
            let _ = writeln!(
                m,
                "  stdout differs{} (- reference, + under test, cat -A notation):",
                if case.masked {
                    " after masking moving values and trailing spaces"
                } else {
                    ""
                }
            );
            m.push_str(&indent(&line_diff(&ro, &to)));
        }
        if !same_file {
            let _ = writeln!(m, "  file {{OUT}} differs (- reference, + under test):");
            let rf = r.out_file.as_deref().unwrap_or(b"<no file written>");
            let tf = t.out_file.as_deref().unwrap_or(b"<no file written>");
            m.push_str(&indent(&line_diff(rf, tf)));
        }
        let _ = writeln!(m, "  stderr (reference):");
        m.push_str(&visible_block(&r.stderr, "    | ", 12));
        let _ = writeln!(m, "  stderr (under test):");
        m.push_str(&visible_block(&t.stderr, "    | ", 12));
        Err(m)
    }

    fn out_path(&self) -> PathBuf {
        self.tmp.path().join("out.bin")
    }

    fn command(&self, bin: &Path, case: &Case) -> Command {
        let mut c = match &self.place {
            Place::Netns { ns, pidns: true } => {
                let mut c = ns.exec("/usr/bin/unshare");
                c.args(["--pid", "--fork", "--kill-child", "--mount-proc"])
                    .arg(bin);
                c
            }
            Place::Netns { ns, pidns: false } => ns.exec(bin),
            Place::Host => Command::new(bin),
        };
        c.args(&case.args);
        if bin == self.sut {
            c.args(&self.sut_extra);
        }
        c.env_clear().env("PATH", super::child_path_env());
        if bin == self.sut {
            for (k, v) in &self.sut_env {
                c.env(k, v);
            }
        }
        for (k, v) in &case.env {
            c.env(k, v);
        }
        c.current_dir(self.tmp.path());
        c
    }

    fn describe(&self, bin: &Path, case: &Case) -> String {
        let c = self.command(bin, case);
        let mut s = String::new();
        for (k, v) in &case.env {
            let _ = write!(s, "{k}={} ", shell_quote(v));
        }
        s.push_str(&shell_quote(&c.get_program().to_string_lossy()));
        for a in c.get_args() {
            s.push(' ');
            s.push_str(&shell_quote(&a.to_string_lossy()));
        }
        s
    }

    fn run(&self, bin: &Path, case: &Case) -> Outcome {
        use std::os::unix::process::CommandExt as _;
        if case.uses_out {
            let _ = std::fs::remove_file(self.out_path());
        }
        if let (Some(want), Place::Netns { ns, .. }) = (self.sockets_baseline, &self.place) {
            let deadline = std::time::Instant::now() + Duration::from_secs(3);
            while sockets_used(ns) != want && std::time::Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
        let mut cmd = self.command(bin, case);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd.process_group(0);
        let mut child = match cmd.spawn() {
            Ok(c) => c,
            Err(e) => {
                return Outcome {
                    stdout: Vec::new(),
                    stderr: format!("harness: cannot spawn {:?}: {e}", cmd.get_program())
                        .into_bytes(),
                    status: None,
                    timed_out: false,
                    out_file: None,
                }
            }
        };
        let reader = |p: Option<Box<dyn Read + Send>>| {
            std::thread::spawn(move || {
                let mut v = Vec::new();
                if let Some(mut p) = p {
                    let _ = p.read_to_end(&mut v);
                }
                v
            })
        };
        let out_t = reader(
            child
                .stdout
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        let err_t = reader(
            child
                .stderr
                .take()
                .map(|p| Box::new(p) as Box<dyn Read + Send>),
        );
        // Watchdog: kill the whole process group (our child's, by its id) on timeout.
        let pgid = child.id() as libc::pid_t;
        let (done_tx, done_rx) = mpsc::channel::<()>();
        let timeout = self.timeout;
        let watchdog = std::thread::spawn(move || {
            if let Err(mpsc::RecvTimeoutError::Timeout) = done_rx.recv_timeout(timeout) {
                // SAFETY: signalling the process group we created for this run.
                unsafe { libc::kill(-pgid, libc::SIGKILL) };
                return true;
            }
            false
        });
        let status = child.wait().ok();
        let _ = done_tx.send(());
        let timed_out = watchdog.join().unwrap_or(false);
        let stdout = out_t.join().unwrap_or_default();
        let mut stderr = err_t.join().unwrap_or_default();
        if timed_out {
            stderr.extend_from_slice(format!("\nharness: killed after {timeout:?}\n").as_bytes());
        }
        let out_file = if case.uses_out {
            std::fs::read(self.out_path()).ok()
        } else {
            None
        };
        Outcome {
            stdout,
            stderr,
            status,
            timed_out,
            out_file,
        }
    }
}

/// "sockets: used N" of the namespace's /proc/net/sockstat.
fn sockets_used(ns: &NetNs) -> u64 {
    let text = ns.read_proc_net("sockstat");
    text.lines()
        .find_map(|l| l.strip_prefix("sockets: used "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no 'sockets: used' in sockstat of {}:\n{text}", ns.name()))
}

/// Signs that the reference never ran (so equal outputs would prove nothing).
fn harness_problem(o: &Outcome) -> Option<String> {
    let err = String::from_utf8_lossy(&o.stderr);
    if o.status.is_none() {
        return Some("could not be started or waited for".into());
    }
    if o.timed_out {
        return Some("timed out".into());
    }
    for marker in [
        "unshare: ",
        "exec of \"",
        "Cannot open network namespace \"sockscope-t-",
    ] {
        if err
            .lines()
            .any(|l| l.starts_with(marker) || l.contains(marker))
        {
            return Some(format!("execution chain error ({marker:?} in stderr)"));
        }
    }
    None
}

fn fmt_status(o: &Outcome) -> String {
    match (o.timed_out, o.status) {
        (true, _) => "TIMEOUT".into(),
        (false, None) => "not run".into(),
        (false, Some(s)) => match (s.code(), std::os::unix::process::ExitStatusExt::signal(&s)) {
            (Some(c), _) => c.to_string(),
            (None, Some(sig)) => format!("killed by signal {sig}"),
            (None, None) => format!("{s:?}"),
        },
    }
}

fn indent(s: &str) -> String {
    s.lines().map(|l| format!("    {l}\n")).collect()
}

fn shell_quote(s: &str) -> String {
    if !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./=:,@%+".contains(&b))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A file of `tests/data/`, which must exist (clear failure otherwise).
pub fn data_file(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name);
    assert!(p.is_file(), "test data file {} is missing", p.display());
    p
}
