//! sockscope-netlink: netlink sockets, request building, the dump loop and kernel wire layouts,
//! plus the one other kernel interface sockscope speaks: a BPF task-file iterator.
//!
//! Mirrors the kernel UAPI and knows nothing of the user's view: no filters, no formatting,
//! no /proc. All `unsafe` of the workspace lives here (a few `setsockopt` calls netlink-sys
//! lacks, `strerror_r`, the `bpf` syscall and a read-only mmap of the kernel's BTF).
//!
//! Map of the crate:
//! * [`consts`]: UAPI numbers (message types, flags, attribute numbers, show bits).
//! * [`msg`]: zero-copy parsing of a datagram into messages ([`msg::Messages`]), of a message
//!   payload into attributes ([`msg::Attrs`]), and of `NLMSG_ERROR`/`NLMSG_DONE` with their
//!   extended-ack text.
//! * [`diag`]: zero-copy views of the fixed part of every sock_diag reply
//!   (`inet_diag_msg`, `unix_diag_msg`, ...) and of the fixed-size attribute payloads.
//! * [`request`]: byte-exact request encodings (the ones ss 6.1 sends).
//! * [`socket`]: [`socket::NlSocket`] (ss's socket options), [`socket::RecvBuffer`] (one
//!   reused receive buffer) and the dump loop [`socket::NlSocket::dump`].
//! * `prefetch`: [`socket::NlSocket::dump_prefetched`], the same dump loop with receiving on a
//!   second thread so the kernel's dump overlaps the caller's decoding.
//! * [`bpf`]: every process's socket descriptors from an `iter/task_file` program assembled
//!   from the kernel's BTF (the fast path of `-p`).

pub mod bpf;
pub mod consts;
pub mod diag;
pub mod msg;
pub mod os;
mod prefetch;
pub mod request;
pub mod socket;

pub use msg::{Attrs, ErrorMsg, Messages, NlMsgHeader};
pub use socket::{DumpError, DumpHandler, DumpSummary, NlSocket, OpenError, RecvBuffer};

use std::fmt;

/// A positive errno value whose `Display` is the C library's `strerror` text (what `perror`
/// prints after the colon), e.g. `Invalid argument` for 22.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Errno(pub i32);

impl Errno {
    /// The errno of the last failed libc call on this thread.
    pub fn last() -> Errno {
        Errno(std::io::Error::last_os_error().raw_os_error().unwrap_or(0))
    }

    /// From an `io::Error` (0 when it carries no OS error code).
    pub fn from_io(e: &std::io::Error) -> Errno {
        Errno(e.raw_os_error().unwrap_or(0))
    }
}

impl fmt::Display for Errno {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&strerror(self.0))
    }
}

/// The C library's message for `errno` (glibc's `strerror`, e.g. `No such file or directory`;
/// `Unknown error N` for unknown and negative numbers, as glibc prints them).
pub fn strerror(errno: i32) -> String {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: `buf` is a writable buffer of the given length; the XSI strerror_r writes a
    // NUL-terminated string into it (truncated if needed) and does not keep the pointer.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: strerror_r succeeded, so `buf` holds a NUL-terminated string within its bounds
    // (the last byte is never written past; we also force-terminate below to be certain).
    buf[buf.len() - 1] = 0;
    let cstr = unsafe { std::ffi::CStr::from_ptr(buf.as_ptr()) };
    cstr.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strerror_matches_glibc_texts() {
        assert_eq!(strerror(libc::EINVAL), "Invalid argument");
        assert_eq!(strerror(libc::ENOENT), "No such file or directory");
        assert_eq!(Errno(libc::EPERM).to_string(), "Operation not permitted");
        assert_eq!(strerror(0), "Success");
        assert_eq!(strerror(100000), "Unknown error 100000");
    }
}
