//! A closed stdout pipe (`sockscope -xa | head -1`) ends sockscope the way it ends ss: killed
//! by SIGPIPE, with nothing on stderr (no panic, no message).

use std::io::Read;
use std::os::unix::net::UnixStream;
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use crate::harness::bin_under_test;

/// Runs `bin -xa` with enough unix sockets for the output to overflow the pipe, reads one
/// byte, closes the pipe and returns (signal, stderr).
fn run_and_close(bin: &std::path::Path) -> (Option<i32>, String) {
    let mut child = Command::new(bin)
        .arg("-xa")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the tool");
    let mut out = child.stdout.take().expect("stdout pipe");
    let mut first = [0u8; 1];
    out.read_exact(&mut first).expect("some output");
    drop(out);
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr pipe")
        .read_to_string(&mut err)
        .expect("read stderr");
    let status = child.wait().expect("wait");
    (status.signal(), err)
}

#[test]
fn closed_pipe_ends_like_ss() {
    // 2,000 socket pairs: about 4,000 lines, several times a pipe's 64 KiB.
    let pairs: Vec<_> = (0..2000)
        .map(|_| UnixStream::pair().expect("socketpair"))
        .collect();
    let (ref_signal, ref_err) = run_and_close(std::path::Path::new("/usr/bin/ss"));
    let (signal, err) = run_and_close(&bin_under_test());
    drop(pairs);
    assert_eq!(ref_signal, Some(libc::SIGPIPE), "reference ss: {ref_err}");
    assert_eq!(signal, Some(libc::SIGPIPE), "sockscope must die of SIGPIPE");
    assert_eq!(err, "", "nothing on stderr");
}
