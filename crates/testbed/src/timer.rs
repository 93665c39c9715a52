//! `time --out PATH --err PATH -- CMD ARGS...`: runs one command for `cargo xtask bench` and
//! prints `WALL_NS USER_US SYS_US MAXRSS_KIB STATUS` on stdout.
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
use std::time::Instant;

use nix::sys::resource::{getrusage, UsageWho};
use nix::sys::time::TimeValLike;

/// Parsed arguments.
#[derive(Debug, PartialEq, Eq)]
struct Args<'a> {
    out: &'a str,
    err: &'a str,
    argv: &'a [String],
}

fn parse(args: &[String]) -> Result<Args<'_>, String> {
    let mut out = None;
    let mut err = None;
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "--out" => out = args.get(i + 1).map(String::as_str),
            "--err" => err = args.get(i + 1).map(String::as_str),
            "--" => {
                let argv = args.get(i + 1..).unwrap_or_default();
                if argv.is_empty() {
                    return Err("no command after --".into());
                }
                return Ok(Args {
                    out: out.ok_or("--out is required")?,
                    err: err.ok_or("--err is required")?,
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
    let status = child
        .wait()
        .map_err(|e| format!("waiting for {prog}: {e}"))?;
    let wall = t0.elapsed();
    let usage = getrusage(UsageWho::RUSAGE_CHILDREN).map_err(|e| format!("getrusage: {e}"))?;
    let code = status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(255);
    println!(
        "{} {} {} {} {}",
        wall.as_nanos(),
        usage.user_time().num_microseconds(),
        usage.system_time().num_microseconds(),
        usage.max_rss(),
        code
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
                argv: &v[5..],
            })
        );
        assert!(parse(&args(&["--out", "o", "--err", "e", "--"])).is_err());
        assert!(parse(&args(&["--out", "o", "--", "ss"])).is_err());
        assert!(parse(&args(&["--out", "o"])).is_err());
    }
}
