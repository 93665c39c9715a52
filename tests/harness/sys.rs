//! Raw libc wrappers for the fixture child (`child.rs`): socket calls that report failures as
//! `Fail { line, errno }` instead of panicking or allocating (the child runs between `fork` and
//! `_exit` of a multi-threaded parent). Every fallible wrapper is `#[track_caller]`, so the
//! reported line is the call site in `child.rs`.

use std::panic::Location;
use std::time::Duration;

use libc::{c_int, c_void, socklen_t};

/// A prebuilt `sockaddr_un` and its address length.
#[derive(Clone, Copy)]
pub struct UnAddr {
    sa: libc::sockaddr_un,
    len: socklen_t,
}

/// Builds a `sockaddr_un` (abstract: leading NUL, length counts the name exactly; path:
/// NUL-terminated, length up to and including the terminator as glibc's SUN_LEN + 1 does).
pub fn un_addr(name: &[u8], abstract_: bool) -> UnAddr {
    // SAFETY: sockaddr_un is plain old data; all-zero is a valid value.
    let mut sa: libc::sockaddr_un = unsafe { std::mem::zeroed() };
    sa.sun_family = libc::AF_UNIX as libc::sa_family_t;
    let off = usize::from(abstract_);
    assert!(
        name.len() + off < sa.sun_path.len(),
        "unix socket name too long: {name:?}"
    );
    for (i, b) in name.iter().enumerate() {
        sa.sun_path[i + off] = *b as libc::c_char;
    }
    let base = std::mem::size_of::<libc::sa_family_t>();
    let len = if abstract_ {
        base + 1 + name.len()
    } else {
        base + name.len() + 1
    };
    UnAddr {
        sa,
        len: len as socklen_t,
    }
}

/// Failure inside the child: source line of the failing call and errno.
#[derive(Clone, Copy)]
pub struct Fail {
    pub line: u32,
    pub errno: i32,
}

impl Fail {
    #[track_caller]
    pub fn here() -> Fail {
        let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
        Fail {
            line: Location::caller().line(),
            errno,
        }
    }

    #[track_caller]
    pub fn with(errno: i32) -> Fail {
        Fail {
            line: Location::caller().line(),
            errno,
        }
    }
}

pub type R<T> = Result<T, Fail>;

/// Takes ownership of the descriptors a fixture's steps opened in this process (they close on
/// drop); a failed step panics with its line in `file` and its errno.
pub fn owned_fds(fds: R<Vec<c_int>>, file: &str) -> Vec<std::os::fd::OwnedFd> {
    use std::os::fd::FromRawFd;
    let fds = fds.unwrap_or_else(|f| {
        panic!(
            "fixture step at {file}:{} failed: {}",
            f.line,
            std::io::Error::from_raw_os_error(f.errno)
        )
    });
    // SAFETY: each descriptor was just opened by this process and is owned by nobody else.
    fds.into_iter()
        .map(|fd| unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) })
        .collect()
}

#[track_caller]
pub fn chk(rc: c_int) -> R<c_int> {
    if rc < 0 {
        Err(Fail::here())
    } else {
        Ok(rc)
    }
}

// ---- small libc wrappers (child side) --------------------------------------------------------

pub const fn v4(a: [u8; 4], port: u16) -> Sa {
    Sa::V4(a, port)
}
pub const fn v6(a: [u8; 16], port: u16, scope: u32) -> Sa {
    Sa::V6(a, port, scope)
}
/// Test addresses (network byte order): 0.0.0.0, 127.0.0.1, v0/v1 of netns.rs, ::, ::1, …
pub const ANY4: [u8; 4] = [0, 0, 0, 0];
pub const LO4: [u8; 4] = [127, 0, 0, 1];
pub const V0_4: [u8; 4] = [198, 18, 0, 1];
pub const V1_4: [u8; 4] = [198, 18, 0, 2];
pub const ANY6: [u8; 16] = [0; 16];
pub const LO6: [u8; 16] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
pub const V0_6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
pub const V1_6: [u8; 16] = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
pub const LL0_6: [u8; 16] = [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

/// Socket addresses used by the fixture.
#[derive(Clone, Copy)]
pub enum Sa {
    V4([u8; 4], u16),
    V6([u8; 16], u16, u32),
    Un(UnAddr),
    Nl(u32, u32),
    Ll(u16, c_int),
}

/// Storage big enough for every address kind, plus its length.
pub struct SaBuf {
    st: libc::sockaddr_storage,
    len: socklen_t,
}

impl Sa {
    fn encode(self) -> SaBuf {
        // SAFETY: sockaddr_storage is plain old data; the casts below stay within it because
        // every sockaddr_* type is smaller than sockaddr_storage.
        unsafe {
            let mut st: libc::sockaddr_storage = std::mem::zeroed();
            let p = (&mut st as *mut libc::sockaddr_storage).cast::<u8>();
            let len = match self {
                Sa::V4(a, port) => {
                    let sin = libc::sockaddr_in {
                        sin_family: libc::AF_INET as libc::sa_family_t,
                        sin_port: port.to_be(),
                        sin_addr: libc::in_addr {
                            s_addr: u32::from_ne_bytes(a),
                        },
                        sin_zero: [0; 8],
                    };
                    p.cast::<libc::sockaddr_in>().write(sin);
                    std::mem::size_of::<libc::sockaddr_in>()
                }
                Sa::V6(a, port, scope) => {
                    let sin6 = libc::sockaddr_in6 {
                        sin6_family: libc::AF_INET6 as libc::sa_family_t,
                        sin6_port: port.to_be(),
                        sin6_flowinfo: 0,
                        sin6_addr: libc::in6_addr { s6_addr: a },
                        sin6_scope_id: scope,
                    };
                    p.cast::<libc::sockaddr_in6>().write(sin6);
                    std::mem::size_of::<libc::sockaddr_in6>()
                }
                Sa::Un(u) => {
                    p.cast::<libc::sockaddr_un>().write(u.sa);
                    u.len as usize
                }
                Sa::Nl(pid, groups) => {
                    let mut nl: libc::sockaddr_nl = std::mem::zeroed();
                    nl.nl_family = libc::AF_NETLINK as libc::sa_family_t;
                    nl.nl_pid = pid;
                    nl.nl_groups = groups;
                    p.cast::<libc::sockaddr_nl>().write(nl);
                    std::mem::size_of::<libc::sockaddr_nl>()
                }
                Sa::Ll(proto, ifindex) => {
                    let mut ll: libc::sockaddr_ll = std::mem::zeroed();
                    ll.sll_family = libc::AF_PACKET as libc::c_ushort;
                    ll.sll_protocol = proto.to_be();
                    ll.sll_ifindex = ifindex;
                    p.cast::<libc::sockaddr_ll>().write(ll);
                    std::mem::size_of::<libc::sockaddr_ll>()
                }
            };
            SaBuf {
                st,
                len: len as socklen_t,
            }
        }
    }
}

pub fn ptr(b: &SaBuf) -> *const libc::sockaddr {
    (&b.st as *const libc::sockaddr_storage).cast()
}

#[track_caller]
pub fn sock(domain: c_int, ty: c_int, proto: c_int) -> R<c_int> {
    // SAFETY: plain syscall.
    chk(unsafe { libc::socket(domain, ty, proto) })
}

#[track_caller]
pub fn tcp4() -> R<c_int> {
    sock(libc::AF_INET, libc::SOCK_STREAM, 0)
}

#[track_caller]
pub fn tcp6() -> R<c_int> {
    sock(libc::AF_INET6, libc::SOCK_STREAM, 0)
}

#[track_caller]
pub fn setint(fd: c_int, level: c_int, name: c_int, val: c_int) -> R<()> {
    let len = std::mem::size_of::<c_int>() as socklen_t;
    // SAFETY: val lives for the call; len matches.
    chk(unsafe { libc::setsockopt(fd, level, name, (&val as *const c_int).cast(), len) })?;
    Ok(())
}

#[track_caller]
pub fn setbytes(fd: c_int, level: c_int, name: c_int, val: &[u8]) -> R<()> {
    // SAFETY: pointer/length of a live slice.
    chk(unsafe { libc::setsockopt(fd, level, name, val.as_ptr().cast(), val.len() as socklen_t) })?;
    Ok(())
}

#[track_caller]
pub fn bind(fd: c_int, sa: Sa) -> R<()> {
    let b = sa.encode();
    // SAFETY: address buffer valid for b.len bytes.
    chk(unsafe { libc::bind(fd, ptr(&b), b.len) })?;
    Ok(())
}

#[track_caller]
pub fn connect(fd: c_int, sa: Sa) -> R<()> {
    let b = sa.encode();
    // SAFETY: address buffer valid for b.len bytes.
    chk(unsafe { libc::connect(fd, ptr(&b), b.len) })?;
    Ok(())
}

/// Non-blocking connect that must end in EINPROGRESS (the SYN is sent, no answer expected).
#[track_caller]
pub fn connect_pending(fd: c_int, sa: Sa) -> R<()> {
    nonblock(fd)?;
    let b = sa.encode();
    // SAFETY: address buffer valid for b.len bytes.
    let rc = unsafe { libc::connect(fd, ptr(&b), b.len) };
    let errno = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
    if rc == 0 {
        return Err(Fail::with(libc::EISCONN));
    }
    if errno != libc::EINPROGRESS {
        return Err(Fail::with(errno));
    }
    Ok(())
}

#[track_caller]
pub fn listen(fd: c_int, backlog: c_int) -> R<()> {
    // SAFETY: plain syscall.
    chk(unsafe { libc::listen(fd, backlog) })?;
    Ok(())
}

/// accept() after waiting (at most 5 s) for a connection, so a broken kernel cannot hang us.
#[track_caller]
pub fn accept(fd: c_int) -> R<c_int> {
    let mut pfd = libc::pollfd {
        fd,
        events: libc::POLLIN,
        revents: 0,
    };
    // SAFETY: one valid pollfd; accept with null address pointers is allowed.
    unsafe {
        if chk(libc::poll(&mut pfd, 1, 5000))? == 0 {
            return Err(Fail::with(libc::ETIMEDOUT));
        }
        chk(libc::accept(fd, std::ptr::null_mut(), std::ptr::null_mut()))
    }
}

/// Sends exactly `n` copies of `byte` (n ≤ 4096) in one call; short writes are failures.
#[track_caller]
pub fn send_n(fd: c_int, byte: u8, n: usize) -> R<()> {
    let buf = [byte; 4096];
    let n = n.min(buf.len());
    // SAFETY: buffer valid for n bytes.
    let sent = unsafe { libc::send(fd, buf.as_ptr().cast::<c_void>(), n, 0) };
    if sent < 0 {
        return Err(Fail::here());
    }
    if sent as usize != n {
        return Err(Fail::with(libc::EMSGSIZE));
    }
    Ok(())
}

#[track_caller]
pub fn nonblock(fd: c_int) -> R<()> {
    // SAFETY: fcntl on an owned fd.
    unsafe {
        let fl = chk(libc::fcntl(fd, libc::F_GETFL))?;
        chk(libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK))?;
    }
    Ok(())
}

#[track_caller]
pub fn close(fd: c_int) -> R<()> {
    // SAFETY: closing an fd we own.
    chk(unsafe { libc::close(fd) })?;
    Ok(())
}

pub fn sleep_ms(ms: u64) {
    std::thread::sleep(Duration::from_millis(ms));
}

/// Interface index by name, via SIOCGIFINDEX on an existing socket of the namespace.
#[track_caller]
pub fn ifindex(fd: c_int, name: &[u8]) -> R<c_int> {
    // SAFETY: ifreq is plain old data; the name fits (checked by the slice copy bound).
    unsafe {
        let mut ifr: libc::ifreq = std::mem::zeroed();
        for (i, b) in name.iter().take(libc::IFNAMSIZ - 1).enumerate() {
            ifr.ifr_name[i] = *b as libc::c_char;
        }
        chk(libc::ioctl(fd, libc::SIOCGIFINDEX, &mut ifr))?;
        Ok(ifr.ifr_ifru.ifru_ifindex)
    }
}

/// Queue length via ioctl (FIONREAD = unread bytes, TIOCOUTQ = SIOCOUTQ = unsent+unacked).
#[track_caller]
pub fn ioctl_q(fd: c_int, req: libc::c_ulong) -> R<c_int> {
    let mut v: c_int = 0;
    // SAFETY: the ioctl writes one int.
    chk(unsafe { libc::ioctl(fd, req, &mut v) })?;
    Ok(v)
}

/// Forks a fixture child connected to the parent by a unix stream socketpair: the child runs
/// `child(its end of the pair, the parent's pid)`, which must never return (it ends in
/// [`report_and_hold`] or `_exit`); the parent gets the child's pid and its own end.
pub fn fork_child(child: impl FnOnce(c_int, libc::pid_t)) -> (libc::pid_t, std::os::fd::OwnedFd) {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    let mut fds = [0 as c_int; 2];
    // SAFETY: fds is a valid 2-element array.
    let rc = unsafe {
        libc::socketpair(
            libc::AF_UNIX,
            libc::SOCK_STREAM | libc::SOCK_CLOEXEC,
            0,
            fds.as_mut_ptr(),
        )
    };
    assert!(rc == 0, "socketpair: {}", std::io::Error::last_os_error());
    // SAFETY: both fds were just created and are owned by nobody else.
    let (parent_end, child_end) =
        unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: the child only runs `child`, which uses raw libc calls on memory prepared before
    // the fork and never returns (if it did, the child exits at once).
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        child(child_end.as_raw_fd(), parent);
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(99) };
    }
    assert!(pid > 0, "fork: {}", std::io::Error::last_os_error());
    drop(child_end);
    (pid, parent_end)
}

/// Joins the network namespace at `path` (a NUL-terminated path prepared before the fork).
pub fn enter_netns(path: &std::ffi::CStr) -> R<()> {
    // SAFETY: valid NUL-terminated path; fd closed right after use.
    unsafe {
        let fd = chk(libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC))?;
        chk(libc::setns(fd, libc::CLONE_NEWNET))?;
        libc::close(fd);
    }
    Ok(())
}

/// Writes the child's report (native-endian u32 words) on the control descriptor `ctl`, then
/// holds every socket until the parent closes its end (or kills the child), and exits.
pub fn report_and_hold(ctl: c_int, report: &[u32]) -> ! {
    let mut rep = [0u8; 64];
    let n = (report.len() * 4).min(rep.len());
    for (i, w) in report.iter().take(n / 4).enumerate() {
        rep[i * 4..i * 4 + 4].copy_from_slice(&w.to_ne_bytes());
    }
    // SAFETY: raw read/write on an open descriptor with live stack buffers; _exit never returns.
    unsafe {
        libc::write(ctl, rep.as_ptr().cast(), n);
        let mut b = [0u8; 1];
        loop {
            let r = libc::read(ctl, b.as_mut_ptr().cast(), 1);
            if r == 0 || (r < 0 && *libc::__errno_location() != libc::EINTR) {
                libc::_exit(0);
            }
        }
    }
}
