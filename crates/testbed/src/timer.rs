//! `time --out PATH --err PATH [--timeout SECS] -- CMD ARGS...`: runs one command for
//! `cargo xtask bench` and prints `WALL_NS USER_US SYS_US MAXRSS_KIB STATUS TIMED_OUT` on
//! stdout (TIMED_OUT is 1 when the command ran past the timeout and was killed with SIGKILL).
//!
//! Why a separate small process measures, not the harness itself: `ru_maxrss` of a process
//! includes the high-water RSS of the address space it had *before* `execve` (the kernel's
//! exec_mmap folds the old mm's hiwater into `signal->maxrss`), and a spawned child starts out in
//! (a copy of, or with vfork a share of) its parent's address space. Spawned from the harness,
//! every tool would report at least the harness's own peak (tens of MiB after building route
//! lists); spawned from this process, the inherited part is this binary's ~1 MiB.
//!
//! The child's user/system time and peak RSS come from `getrusage(RUSAGE_CHILDREN)` after it is
//! reaped: it is our only child, so the totals are its own.

use std::fs::File;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use nix::sys::resource::{getrusage, UsageWho};
use nix::sys::signal::{kill, Signal};
use nix::sys::time::TimeValLike;
use nix::unistd::Pid;

/// Parsed arguments.
#[derive(Debug, PartialEq, Eq)]
struct Args<'a> {
    out: &'a str,
    err: &'a str,
    timeout: Option<Duration>,
    argv: &'a [String],
}

fn parse(args: &[String]) -> Result<Args<'_>, String> {
    let mut out = None;
    let mut err = None;
    let mut timeout = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "--out" => out = args.get(i + 1).map(String::as_str),
            "--err" => err = args.get(i + 1).map(String::as_str),
            "--timeout" => {
                let secs: u64 = crate::parse_num(args.get(i + 1), "--timeout")?;
                timeout = Some(Duration::from_secs(secs));
            }
            "--" => {
                let argv = args.get(i + 1..).unwrap_or_default();
                if argv.is_empty() {
                    return Err("no command after --".into());
                }
                return Ok(Args {
                    out: out.ok_or("--out is required")?,
                    err: err.ok_or("--err is required")?,
                    timeout,
                    argv,
                });
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
        i += 2;
    }
    Err("missing -- CMD".into())
}

pub fn run(args: &[String]) -> Result<(), String> {
    let a = parse(args)?;
    let stdout = File::create(a.out).map_err(|e| format!("creating {}: {e}", a.out))?;
    let stderr = File::create(a.err).map_err(|e| format!("creating {}: {e}", a.err))?;
    let (prog, rest) = a.argv.split_first().ok_or("empty command")?;
    let mut cmd = Command::new(prog);
    cmd.args(rest)
        .stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr);
    let t0 = Instant::now();
    let mut child = cmd.spawn().map_err(|e| format!("starting {prog}: {e}"))?;
    // The watchdog kills the child when the timeout passes before we tell it the child ended.
    // (Between our reap and `done` the pid could in theory be reused; pids are allocated
    // sequentially, so that window of microseconds is not a practical risk.)
    let (done, ended) = mpsc::channel::<()>();
    let watchdog = a.timeout.map(|limit| {
        let pid = Pid::from_raw(child.id() as i32);
        std::thread::spawn(move || match ended.recv_timeout(limit) {
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = kill(pid, Signal::SIGKILL);
                true
            }
            _ => false,
        })
    });
    let status = child.wait();
    let wall = t0.elapsed();
    let _ = done.send(());
    let timed_out = watchdog.is_some_and(|w| w.join().unwrap_or(false));
    let status = status.map_err(|e| format!("waiting for {prog}: {e}"))?;
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    let code = status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(255);
    println!(
        "{} {} {} {} {} {}",
        wall.as_nanos(),
        usage.user_time().num_microseconds(),
        usage.system_time().num_microseconds(),
        usage.max_rss(),
        code,
        u8::from(timed_out)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn arguments() {
        let v = args(&["--out", "o", "--err", "e", "--", "ss", "-tan"]);
        assert_eq!(
            parse(&v),
            Ok(Args {
                out: "o",
                err: "e",
                timeout: None,
                argv: &v[5..],
            })
        );
        let v = args(&["--out", "o", "--err", "e", "--timeout", "5", "--", "x"]);
        assert_eq!(
            parse(&v).map(|a| a.timeout),
            Ok(Some(Duration::from_secs(5)))
        );
        assert!(parse(&args(&["--out", "o", "--err", "e", "--"])).is_err());
        assert!(parse(&args(&["--out", "o", "--", "ss"])).is_err());
        assert!(parse(&args(&["--out", "o"])).is_err());
    }

    #[test]
    fn a_command_past_its_timeout_is_killed() {
        let dir = std::env::temp_dir();
        let out = dir.join(format!("testbed-timer-{}.out", std::process::id()));
        let err = out.with_extension("err");
        let v = args(&[
            "--out",
            out.to_str().expect("utf-8 temp dir"),
            "--err",
            err.to_str().expect("utf-8 temp dir"),
            "--timeout",
            "1",
            "--",
            "sleep",
            "30",
        ]);
        let t0 = Instant::now();
        assert_eq!(run(&v), Ok(()));
        assert!(t0.elapsed() < Duration::from_secs(10));
        let _ = std::fs::remove_file(&out);
        let _ = std::fs::remove_file(&err);
    }
}
