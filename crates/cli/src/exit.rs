//! [`Exit`]: an early end of a persona run (help, version, usage errors, "nothing to show"),
//! carried as data so that argument handling stays pure and testable; only
//! [`Exit::emit`] touches the real stdout/stderr.
//!
//! Also [`strerror`], the C library's text for an errno, which ss prints through `perror`.

use std::io::{self, Write};

/// What to print and which status to exit with when a run stops before any socket is dumped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Exit {
    /// Process exit status (ss's `exit(-1)` is 255).
    pub status: i32,
    /// Bytes for standard output (e.g. the usage text of `-h`).
    pub stdout: Vec<u8>,
    /// Bytes for standard error (e.g. a getopt message followed by the usage text).
    pub stderr: Vec<u8>,
}

impl Exit {
    /// Exit with `status`, printing `text` on stdout.
    pub fn stdout(status: i32, text: impl Into<Vec<u8>>) -> Exit {
        Exit {
            status,
            stdout: text.into(),
            stderr: Vec::new(),
        }
    }

    /// Exit with `status`, printing `text` on stderr.
    pub fn stderr(status: i32, text: impl Into<Vec<u8>>) -> Exit {
        Exit {
            status,
            stdout: Vec::new(),
            stderr: text.into(),
        }
    }

    /// Writes the texts to the process's stdout and stderr and returns the status.
    ///
    /// Write errors are ignored on purpose: ss uses stdio and does not check them either, and
    /// a closed pipe must not turn an early exit into a panic.
    pub fn emit(&self) -> i32 {
        if !self.stdout.is_empty() {
            let mut out = io::stdout().lock();
            let _ = out.write_all(&self.stdout);
            let _ = out.flush();
        }
        if !self.stderr.is_empty() {
            let mut err = io::stderr().lock();
            let _ = err.write_all(&self.stderr);
            let _ = err.flush();
        }
        self.status
    }
}

/// The C library's message for an I/O error, without Rust's ` (os error N)` suffix, as
/// `perror(3)` and `strerror(3)` print it (`No such file or directory`).
///
/// std formats OS errors as `strerror_r(errno) + " (os error N)"`, so cutting the suffix
/// gives glibc's wording without `unsafe` FFI. Errors that carry no errno are printed as is.
pub fn strerror(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => {
            let suffix = format!(" (os error {code})");
            match text.strip_suffix(&suffix) {
                Some(msg) => msg.to_owned(),
                None => text,
            }
        }
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_matches_glibc_wording() {
        let e = io::Error::from_raw_os_error(2);
        assert_eq!(strerror(&e), "No such file or directory");
        let e = io::Error::from_raw_os_error(13);
        assert_eq!(strerror(&e), "Permission denied");
        let e = io::Error::other("custom");
        assert_eq!(strerror(&e), "custom");
    }

    #[test]
    fn constructors_fill_the_right_stream() {
        let e = Exit::stdout(0, "x\n");
        assert_eq!(
            (e.status, &e.stdout[..], &e.stderr[..]),
            (0, &b"x\n"[..], &b""[..])
        );
        let e = Exit::stderr(255, "y\n");
        assert_eq!(
            (e.status, &e.stdout[..], &e.stderr[..]),
            (255, &b""[..], &b"y\n"[..])
        );
    }
}
