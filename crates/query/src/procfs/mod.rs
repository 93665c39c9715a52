//! ss's /proc fallbacks (spec 2.9): where each file is looked for (`PROC_ROOT`, `PROC_NET_*`),
//! and line parsers for /proc/net/{tcp,tcp6,udp,udp6,raw,raw6,unix,packet,netlink} that
//! reproduce ss 6.1's C parsing quirks (fgets buffer sizes, sscanf conversions, state checks
//! made before parsing, the unix ESTAB quirk and sort order).
//!
//! Parsers borrow the file contents and hand each socket to a callback as a borrowed model
//! value; they never print and never panic on malformed input.

pub mod inet;
pub mod netlink;
pub mod packet;
pub mod scan;
pub mod unix;

use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

use crate::plan::Sources;

/// The result of reading one /proc file the way ss's readers do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReadOutcome {
    /// Finished (possibly early, where ss stops silently).
    Done,
    /// ss's reader returned -1 (e.g. a line without newline: EINVAL).
    Failed,
    /// The callback asked to stop.
    Stopped,
}

/// Path of a /proc file as ss's `generic_proc_open` builds it: the override when set, else
/// `${PROC_ROOT:-/proc}/NAME`, truncated to 126 bytes like ss's `snprintf(store, 127, ...)`.
pub fn proc_path(sources: &Sources, override_path: Option<&Path>, name: &str) -> PathBuf {
    if let Some(p) = override_path {
        return p.to_path_buf();
    }
    let root: &[u8] = match &sources.proc_root {
        Some(r) => r.as_os_str().as_bytes(),
        None => b"/proc",
    };
    let mut v = Vec::with_capacity(root.len() + 1 + name.len());
    v.extend_from_slice(root);
    v.push(b'/');
    v.extend_from_slice(name.as_bytes());
    v.truncate(126);
    PathBuf::from(OsString::from_vec(v))
}

/// Reads a whole file (None when it cannot be opened or read, like a failed fopen).
pub fn read_file(path: &Path) -> Option<Vec<u8>> {
    std::fs::read(path).ok()
}

/// Clock ticks per second (sysconf(_SC_CLK_TCK)), the unit of /proc/net/tcp timers.
pub fn user_hz() -> u32 {
    let hz = rustix::param::clock_ticks_per_second();
    if hz == 0 || hz > u32::MAX as u64 {
        100
    } else {
        hz as u32
    }
}

/// `1 << state` as the C expression evaluates on x86-64 (the shift count is taken modulo 32),
/// so out-of-range states from odd files behave like ss instead of panicking.
pub fn state_bit(state: i32) -> u32 {
    1u32.wrapping_shl(state as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_follow_generic_proc_open() {
        let mut s = Sources::default();
        assert_eq!(
            proc_path(&s, None, "net/tcp"),
            PathBuf::from("/proc/net/tcp")
        );
        s.proc_root = Some(PathBuf::from("/tmp/fake"));
        assert_eq!(
            proc_path(&s, None, "net/unix"),
            PathBuf::from("/tmp/fake/net/unix")
        );
        let ov = PathBuf::from("/x/tcp");
        assert_eq!(proc_path(&s, Some(&ov), "net/tcp"), ov);
        s.proc_root = Some(PathBuf::from(""));
        assert_eq!(proc_path(&s, None, "net/tcp"), PathBuf::from("/net/tcp"));
        s.proc_root = Some(PathBuf::from("/".repeat(200)));
        assert_eq!(proc_path(&s, None, "net/tcp").as_os_str().len(), 126);
    }

    #[test]
    fn state_bits_like_x86() {
        assert_eq!(state_bit(10), 0x400);
        assert_eq!(state_bit(42), 0x400);
        assert_eq!(state_bit(-48), 1 << 16);
    }
}
