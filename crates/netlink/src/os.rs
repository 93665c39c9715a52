//! Process-level OS calls the personas need and safe Rust does not offer: entering a named
//! network namespace the way iproute2's `netns_switch` does (`ss -N`, `ip -n`), and dying of
//! SIGPIPE like a C tool when stdout is a closed pipe.

use std::ffi::OsStr;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use crate::Errno;

/// Why entering a namespace failed; the variant says which step, as iproute2 reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetnsError {
    /// `open("/var/run/netns/NAME")` failed.
    Open(Errno),
    /// `setns(fd, CLONE_NEWNET)` failed.
    Setns(Errno),
    /// `unshare(CLONE_NEWNS)` failed.
    Unshare(Errno),
    /// `mount --make-rslave /` failed.
    MakeSlave(Errno),
    /// Mounting a fresh sysfs on /sys failed.
    MountSys(Errno),
}

/// Moves this process into the named network namespace (`/var/run/netns/NAME`), gives it a
/// private mount namespace with a fresh `/sys` for that namespace, and bind-mounts each entry
/// of `/etc/netns/NAME/` over `/etc/` (iproute2 lib/namespace.c `netns_switch` + `bind_etc`).
/// Bind failures are returned as messages (iproute2 prints them and carries on).
pub fn enter_netns(name: &OsStr) -> Result<Vec<String>, NetnsError> {
    let mut path = PathBuf::from("/var/run/netns");
    path.push(name);
    let ns = File::open(&path).map_err(|e| NetnsError::Open(Errno::from_io(&e)))?;
    // SAFETY: plain syscalls on a valid descriptor / flags; no memory is shared with the kernel.
    if unsafe { libc::setns(ns.as_raw_fd(), libc::CLONE_NEWNET) } != 0 {
        return Err(NetnsError::Setns(Errno::last()));
    }
    drop(ns);
    // SAFETY: CLONE_NEWNS only detaches the mount table; sockscope is single-threaded here.
    if unsafe { libc::unshare(libc::CLONE_NEWNS) } != 0 {
        return Err(NetnsError::Unshare(Errno::last()));
    }
    mount(c"", c"/", c"none", libc::MS_SLAVE | libc::MS_REC).map_err(NetnsError::MakeSlave)?;
    let mut flags = 0;
    if sys_is_readonly() {
        flags |= libc::MS_RDONLY;
    }
    // SAFETY: umount2 on a constant path; failure (nothing mounted) is fine, as in iproute2.
    unsafe { libc::umount2(c"/sys".as_ptr(), libc::MNT_DETACH) };
    let cname = cstring(name.as_bytes());
    mount(&cname, c"/sys", c"sysfs", flags).map_err(NetnsError::MountSys)?;
    Ok(bind_etc(name))
}

fn sys_is_readonly() -> bool {
    let mut st = std::mem::MaybeUninit::<libc::statvfs>::uninit();
    // SAFETY: statvfs writes a full struct into `st` on success; we read it only then.
    let rc = unsafe { libc::statvfs(c"/sys".as_ptr(), st.as_mut_ptr()) };
    rc == 0 && unsafe { st.assume_init() }.f_flag & libc::ST_RDONLY != 0
}

fn bind_etc(name: &OsStr) -> Vec<String> {
    let mut msgs = Vec::new();
    let dir = Path::new("/etc/netns").join(name);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return msgs;
    };
    for entry in entries.flatten() {
        let file = entry.file_name();
        if file == "." || file == ".." {
            continue;
        }
        let src = dir.join(&file);
        let dst = Path::new("/etc").join(&file);
        let (s, d) = (
            cstring(src.as_os_str().as_bytes()),
            cstring(dst.as_os_str().as_bytes()),
        );
        if let Err(e) = mount(&s, &d, c"none", libc::MS_BIND) {
            msgs.push(format!(
                "Bind {} -> {} failed: {}",
                src.display(),
                dst.display(),
                e
            ));
        }
    }
    msgs
}

fn cstring(bytes: &[u8]) -> std::ffi::CString {
    // Interior NULs cannot come from a path or argv element; fall back to an empty name.
    std::ffi::CString::new(bytes).unwrap_or_default()
}

fn mount(
    src: &std::ffi::CStr,
    dst: &std::ffi::CStr,
    fstype: &std::ffi::CStr,
    flags: libc::c_ulong,
) -> Result<(), Errno> {
    // SAFETY: all pointers are valid NUL-terminated strings that outlive the call; data is NULL.
    let rc = unsafe {
        libc::mount(
            src.as_ptr(),
            dst.as_ptr(),
            fstype.as_ptr(),
            flags,
            std::ptr::null(),
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(Errno::last())
    }
}

/// Ends the process the way a C tool ends when it writes to a closed pipe: killed by SIGPIPE
/// (the Rust runtime ignores SIGPIPE, so restore the default action first, then raise it).
pub fn die_of_sigpipe() -> ! {
    // SAFETY: resetting a signal disposition to SIG_DFL and raising it are async-signal-safe
    // and touch no Rust-managed state.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    // Not reached when SIGPIPE kills us; if it was blocked, exit like a shell would report it.
    std::process::exit(128 + libc::SIGPIPE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_namespace_is_an_open_error() {
        let e = enter_netns(OsStr::new("sockscope-no-such-ns-for-test")).unwrap_err();
        assert_eq!(e, NetnsError::Open(Errno(libc::ENOENT)));
    }
}
