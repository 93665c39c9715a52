//! A second, small socket fixture for the socket-owner tests (`-p`, `-T` and sockscope's
//! `pid`/`comm`/`uid`/`user` filter keywords): several processes with awkward names holding
//! every kind of socket, some of them shared, some owned by `nobody`.
//!
//! Processes (all in one process group led by A, killed together on drop):
//! * **A**, forked from the test process and named [`NAME_A`] (a space, a quote and a comma)
//!   with `PR_SET_NAME`, creates: TCP listener 127.0.0.1:7200 plus a `dup` of it, a connection
//!   to it (client and accepted end), UDP 127.0.0.1:7201 and [::1]:7202, raw ICMP and ICMPv6,
//!   a unix stream listener `own.sock` (fixture directory) with a connected pair, an abstract
//!   dgram `@sockscope-own`, a unix stream socketpair, a packet dgram socket (ETH_P_ARP on
//!   v1: nothing sends ARP there, so its queue stays empty) and a route netlink socket;
//!   last a thread named [`NAME_T`] (shares the descriptor table: `-T` lists it).
//! * **B**, forked from A after those: inherits every descriptor (so each of A's sockets has
//!   owners in two processes, the listener four), is named [`NAME_B`] (ss cuts names at `)`)
//!   and adds a TCP listener 127.0.0.1:7205.
//! * **N**, forked from A: closes the inherited descriptors, becomes uid/gid 65534 (`nobody`),
//!   makes itself dumpable again (so `nobody` may read its /proc/PID/fd) and creates TCP
//!   listener 127.0.0.1:7203, UDP 127.0.0.1:7204 and an abstract unix stream listener
//!   `@sockscope-nobody` — the only sockets with a uid other than 0.
//! * **E**, forked from A: closes the inherited descriptors, creates TCP listener [::1]:7206 and
//!   an abstract unix dgram `@sockscope-exec`, then executes `sleep` through a symlink named
//!   [`NAME_E`], which becomes its name.
//!
//! Between `fork` and `exec`/`_exit` the processes use raw libc calls on memory prepared before
//! the fork (see `child.rs` for why); the thread is a raw `clone` on a stack allocated before.

use std::ffi::CString;
use std::io::Read;
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::Path;
use std::time::{Duration, Instant};

use libc::{c_int, c_void};

use super::netns::NetNs;
use super::sys::{
    accept, bind, chk, connect, enter_netns, fork_child, listen, report_and_hold, sock, tcp4, tcp6,
    un_addr, v4, v6, Fail, Sa, UnAddr, LO4, LO6, R,
};
use super::TempDir;

/// A's name: a space, a double quote and a comma, printed raw by ss.
pub const NAME_A: &str = "a b\"c,d";
/// B's name; ss shows the part before the `)`.
pub const NAME_B: &str = "x)y z";
/// What ss prints for B.
pub const SHOWN_B: &str = "x";
/// N's name.
pub const NAME_N: &str = "own-nobody";
/// E's name: the symlink it was executed through.
pub const NAME_E: &str = "exec \"q\" 1";
/// The thread's name.
pub const NAME_T: &str = "thr a\"b";

/// The uid/gid N switches to.
pub const NOBODY: u32 = 65534;

const REPORT_MAGIC: u32 = 0x5353_4f57;
/// magic, status, line, errno, pid B, pid N, pid E, tid T.
const REPORT_LEN: usize = 32;
const THREAD_STACK: usize = 64 * 1024;

/// The processes of a running fixture.
#[derive(Clone, Copy, Debug)]
pub struct Pids {
    pub a: i32,
    pub b: i32,
    pub n: i32,
    pub e: i32,
    /// The thread of A.
    pub t: i32,
}

/// Everything the processes need, prepared before the fork.
struct Plan {
    ns_path: CString,
    devnull: CString,
    exec_path: CString,
    sleep_arg: CString,
    name_a: CString,
    name_b: CString,
    name_n: CString,
    un_stream: UnAddr,
    abs_dgram: UnAddr,
    abs_nobody: UnAddr,
    abs_exec: UnAddr,
    stack: Vec<u8>,
}

/// A running owners fixture.
pub struct OwnersFixture {
    a: libc::pid_t,
    ctl: Option<OwnedFd>,
    pids: Pids,
    dir: TempDir,
    ns: NetNs,
}

impl OwnersFixture {
    /// Creates the namespace and the processes; panics with the failing step.
    pub fn new() -> OwnersFixture {
        super::require_root_and_tools();
        let ns = NetNs::new();
        let dir = TempDir::new("-own");
        let exec_path = dir.path().join(NAME_E);
        if let Err(e) = std::os::unix::fs::symlink("/bin/sleep", &exec_path) {
            panic!("symlink {}: {e}", exec_path.display());
        }
        let cs = |s: &str| CString::new(s).expect("no NUL");
        let plan = Plan {
            ns_path: CString::new(ns.path().into_os_string().into_encoded_bytes()).expect("path"),
            devnull: cs("/dev/null"),
            exec_path: CString::new(exec_path.into_os_string().into_encoded_bytes()).expect("path"),
            sleep_arg: cs("100000"),
            name_a: cs(NAME_A),
            name_b: cs(NAME_B),
            name_n: cs(NAME_N),
            un_stream: un_addr(
                dir.path().join("own.sock").as_os_str().as_encoded_bytes(),
                false,
            ),
            abs_dgram: un_addr(b"sockscope-own", true),
            abs_nobody: un_addr(b"sockscope-nobody", true),
            abs_exec: un_addr(b"sockscope-exec", true),
            stack: vec![0u8; THREAD_STACK],
        };

        let _churn = super::churn_guard();
        let (pid, parent_end) = fork_child(|ctl, parent| main_a(&plan, ctl, parent));
        let mut fx = OwnersFixture {
            a: pid,
            ctl: Some(parent_end),
            pids: Pids {
                a: pid,
                b: 0,
                n: 0,
                e: 0,
                t: 0,
            },
            dir,
            ns,
        };
        fx.await_report();
        drop(_churn);
        fx.await_exec();
        fx
    }

    pub fn ns(&self) -> &NetNs {
        &self.ns
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn pids(&self) -> Pids {
        self.pids
    }

    fn await_report(&mut self) {
        let Some(ctl) = self.ctl.as_ref() else {
            unreachable!("control socket already closed")
        };
        let mut pfd = libc::pollfd {
            fd: ctl.as_raw_fd(),
            events: libc::POLLIN,
            revents: 0,
        };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, 30_000) };
        assert!(n == 1, "owners fixture did not report within 30 s");
        let mut buf = [0u8; REPORT_LEN];
        let mut f = std::fs::File::from(ctl.try_clone().expect("dup control socket"));
        if let Err(e) = f.read_exact(&mut buf) {
            panic!("owners fixture died before reporting ({e})");
        }
        let word = |i: usize| u32::from_ne_bytes([buf[i], buf[i + 1], buf[i + 2], buf[i + 3]]);
        assert_eq!(word(0), REPORT_MAGIC, "garbled owners fixture report");
        if word(4) != 0 {
            let errno = word(12) as i32;
            panic!(
                "owners fixture step at tests/harness/owners.rs:{} failed: {} (errno {errno})",
                word(8),
                std::io::Error::from_raw_os_error(errno)
            );
        }
        self.pids.b = word(16) as i32;
        self.pids.n = word(20) as i32;
        self.pids.e = word(24) as i32;
        self.pids.t = word(28) as i32;
    }

    /// E's name changes when its `execve` is done.
    fn await_exec(&self) {
        let path = format!("/proc/{}/comm", self.pids.e);
        let want = format!("{NAME_E}\n");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let now = std::fs::read_to_string(&path).unwrap_or_default();
            if now == want {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "process E ({}) did not exec as {NAME_E:?} (comm {now:?})",
                self.pids.e
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for OwnersFixture {
    fn drop(&mut self) {
        let _churn = super::churn_guard();
        if self.a > 0 {
            // SAFETY: A leads its own process group, which holds only the processes this
            // fixture created; then A (our child) is reaped.
            unsafe {
                libc::kill(-self.a, libc::SIGKILL);
                let mut st = 0;
                libc::waitpid(self.a, &mut st, 0);
            }
        }
        self.ctl = None;
        // `dir` and `ns` are dropped after this.
    }
}

// ---- the processes ---------------------------------------------------------------------

/// Descriptors of A: the control socket and the two ends of the readiness pipe.
const CTL: c_int = 3;
const READY_W: c_int = 4;
const READY_R: c_int = 5;

/// A child's readiness record: (failing line or 0, errno).
fn tell(r: R<()>) {
    let (line, errno) = match r {
        Ok(()) => (0u32, 0i32),
        Err(f) => (f.line.max(1), f.errno),
    };
    let mut rec = [0u8; 8];
    rec[..4].copy_from_slice(&line.to_ne_bytes());
    rec[4..].copy_from_slice(&errno.to_ne_bytes());
    // SAFETY: writing 8 bytes from a stack buffer to our pipe end.
    unsafe { libc::write(READY_W, rec.as_ptr().cast(), rec.len()) };
}

fn main_a(plan: &Plan, ctl: c_int, parent: libc::pid_t) -> ! {
    // SAFETY (whole function): raw syscalls on descriptors and memory this process owns.
    unsafe {
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::getppid() != parent {
            libc::_exit(1);
        }
        libc::setpgid(0, 0);
        if ctl != CTL && libc::dup2(ctl, CTL) != CTL {
            libc::_exit(2);
        }
        libc::syscall(libc::SYS_close_range, 4u32, u32::MAX, 0u32);
        let mut p = [0 as c_int; 2];
        if libc::pipe2(p.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            libc::_exit(3);
        }
        // Out of the way first: the pipe may have been given 4 and 5 in either order.
        let (r, w) = (
            libc::fcntl(p[0], libc::F_DUPFD_CLOEXEC, 16),
            libc::fcntl(p[1], libc::F_DUPFD_CLOEXEC, 16),
        );
        if r < 0
            || w < 0
            || libc::dup3(w, READY_W, libc::O_CLOEXEC) != READY_W
            || libc::dup3(r, READY_R, libc::O_CLOEXEC) != READY_R
        {
            libc::_exit(3);
        }
        libc::syscall(libc::SYS_close_range, 6u32, u32::MAX, 0u32);
        let null = libc::open(plan.devnull.as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
            if null > 5 {
                libc::close(null);
            }
        }
        libc::prctl(libc::PR_SET_NAME, plan.name_a.as_ptr());
        let mut report = [0u32; REPORT_LEN / 4];
        report[0] = REPORT_MAGIC;
        match enter_netns(&plan.ns_path).and_then(|()| build_a(plan, &mut report)) {
            Ok(()) => {}
            Err(f) => {
                report[1] = 1;
                report[2] = f.line;
                report[3] = f.errno as u32;
            }
        }
        report_and_hold(CTL, &report);
    }
}

/// `fork()`: in the child, run `f`, report readiness and hold on; returns the child's pid.
fn spawn(f: &dyn Fn() -> R<()>, keep_running: bool) -> R<libc::pid_t> {
    // SAFETY: the child runs raw libc calls only and never returns.
    let pid = chk(unsafe { libc::fork() })?;
    if pid == 0 {
        // SAFETY: raw syscalls in the child.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            libc::close(CTL);
            libc::close(READY_R);
        }
        let r = f();
        let failed = r.is_err();
        tell(r);
        if failed || !keep_running {
            // SAFETY: leaving the child.
            unsafe { libc::_exit(i32::from(failed)) };
        }
        loop {
            // SAFETY: waiting for SIGKILL.
            unsafe { libc::pause() };
        }
    }
    Ok(pid)
}

/// Closes every descriptor but the readiness pipe (N and E start from a clean table).
fn close_inherited() {
    // SAFETY: closing descriptors of this process only.
    unsafe {
        libc::syscall(libc::SYS_close_range, 0u32, (READY_W - 1) as u32, 0u32);
        libc::syscall(libc::SYS_close_range, (READY_W + 1) as u32, u32::MAX, 0u32);
    }
}

fn build_a(plan: &Plan, report: &mut [u32; REPORT_LEN / 4]) -> R<()> {
    use libc::SOL_SOCKET;
    let reuse = |fd: c_int| super::sys::setint(fd, SOL_SOCKET, libc::SO_REUSEADDR, 1);
    // TCP: a listener, a second descriptor for it, a connection (both ends).
    let l = tcp4()?;
    reuse(l)?;
    bind(l, v4(LO4, 7200))?;
    listen(l, 16)?;
    // SAFETY: dup of an owned descriptor.
    chk(unsafe { libc::dup(l) })?;
    let c = tcp4()?;
    connect(c, v4(LO4, 7200))?;
    accept(l)?;
    // UDP, RAW.
    let u4 = sock(libc::AF_INET, libc::SOCK_DGRAM, 0)?;
    bind(u4, v4(LO4, 7201))?;
    let u6 = sock(libc::AF_INET6, libc::SOCK_DGRAM, 0)?;
    bind(u6, v6(LO6, 7202, 0))?;
    sock(libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_ICMP)?;
    sock(libc::AF_INET6, libc::SOCK_RAW, libc::IPPROTO_ICMPV6)?;
    // UNIX.
    let us = sock(libc::AF_UNIX, libc::SOCK_STREAM, 0)?;
    bind(us, Sa::Un(plan.un_stream))?;
    listen(us, 4)?;
    let uc = sock(libc::AF_UNIX, libc::SOCK_STREAM, 0)?;
    connect(uc, Sa::Un(plan.un_stream))?;
    accept(us)?;
    let ud = sock(libc::AF_UNIX, libc::SOCK_DGRAM, 0)?;
    bind(ud, Sa::Un(plan.abs_dgram))?;
    let mut sp = [0 as c_int; 2];
    // SAFETY: sp is a valid 2-element array.
    chk(unsafe { libc::socketpair(libc::AF_UNIX, libc::SOCK_STREAM, 0, sp.as_mut_ptr()) })?;
    // PACKET: ARP on v1 (silent: the fixture sends no IPv4 over the veth pair).
    let arp = libc::ETH_P_ARP as u16;
    let pk = sock(libc::AF_PACKET, libc::SOCK_DGRAM, c_int::from(arp.to_be()))?;
    let v1 = super::sys::ifindex(pk, b"v1")?;
    bind(pk, Sa::Ll(arp, v1))?;
    // NETLINK.
    let nl = sock(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_ROUTE)?;
    bind(nl, Sa::Nl(0, 0))?;

    // B: everything of A, plus its own listener.
    let b = spawn(
        &|| {
            // SAFETY: naming this process.
            unsafe { libc::prctl(libc::PR_SET_NAME, plan.name_b.as_ptr()) };
            let l = tcp4()?;
            bind(l, v4(LO4, 7205))?;
            listen(l, 4)
        },
        true,
    )?;
    // N: nobody's sockets only.
    let n = spawn(
        &|| {
            close_inherited();
            // SAFETY: dropping privileges and naming this process.
            unsafe {
                libc::prctl(libc::PR_SET_NAME, plan.name_n.as_ptr());
                chk(libc::setgroups(0, std::ptr::null()))?;
                chk(libc::setgid(NOBODY))?;
                chk(libc::setuid(NOBODY))?;
                // A uid change makes the process undumpable (its /proc files root's) and
                // clears the parent-death signal.
                chk(libc::prctl(libc::PR_SET_DUMPABLE, 1))?;
                chk(libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL))?;
            }
            let l = tcp4()?;
            bind(l, v4(LO4, 7203))?;
            listen(l, 4)?;
            let u = sock(libc::AF_INET, libc::SOCK_DGRAM, 0)?;
            bind(u, v4(LO4, 7204))?;
            let x = sock(libc::AF_UNIX, libc::SOCK_STREAM, 0)?;
            bind(x, Sa::Un(plan.abs_nobody))?;
            listen(x, 4)
        },
        true,
    )?;
    // E: two sockets, then exec (the readiness pipe is close-on-exec).
    let e = spawn(
        &|| {
            close_inherited();
            let l = tcp6()?;
            bind(l, v6(LO6, 7206, 0))?;
            listen(l, 4)?;
            let x = sock(libc::AF_UNIX, libc::SOCK_DGRAM, 0)?;
            bind(x, Sa::Un(plan.abs_exec))?;
            tell(Ok(()));
            let argv = [
                plan.exec_path.as_ptr(),
                plan.sleep_arg.as_ptr(),
                std::ptr::null(),
            ];
            let envp = [std::ptr::null::<libc::c_char>()];
            // SAFETY: NUL-terminated argv/envp arrays of live C strings.
            unsafe { libc::execve(plan.exec_path.as_ptr(), argv.as_ptr(), envp.as_ptr()) };
            Err(Fail::here())
        },
        false,
    )?;
    // Three readiness records (E's comes before its exec; a failed exec adds a fourth, which
    // the test sees as E's name never changing).
    for _ in 0..3 {
        let mut rec = [0u8; 8];
        let mut got = 0;
        while got < rec.len() {
            // SAFETY: reading into a stack buffer.
            let n = unsafe {
                libc::read(
                    READY_R,
                    rec[got..].as_mut_ptr().cast::<c_void>(),
                    rec.len() - got,
                )
            };
            if n <= 0 {
                return Err(Fail::here());
            }
            got += n as usize;
        }
        let line = u32::from_ne_bytes([rec[0], rec[1], rec[2], rec[3]]);
        if line != 0 {
            return Err(Fail {
                line,
                errno: i32::from_ne_bytes([rec[4], rec[5], rec[6], rec[7]]),
            });
        }
    }
    // The thread, last (fork copies only the calling thread).
    let top = plan.stack.as_ptr() as usize + plan.stack.len();
    let top = (top & !15) as *mut c_void;
    let flags = libc::CLONE_VM
        | libc::CLONE_FS
        | libc::CLONE_FILES
        | libc::CLONE_SIGHAND
        | libc::CLONE_THREAD
        | libc::CLONE_SYSVSEM;
    // SAFETY: the stack was allocated before the fork and is never used by anything else;
    // the thread function only makes raw syscalls.
    let t =
        chk(unsafe { libc::clone(thread_main, top, flags, plan.name_a.as_ptr() as *mut c_void) })?;
    report[4] = b as u32;
    report[5] = n as u32;
    report[6] = e as u32;
    report[7] = t as u32;
    // Let the thread name itself before the report goes out.
    let want = NAME_T.as_bytes();
    for _ in 0..1000 {
        if thread_named(t, want) {
            return Ok(());
        }
        super::sys::sleep_ms(1);
    }
    Err(Fail::with(libc::ETIMEDOUT))
}

/// The thread: names itself and waits for SIGKILL. Only raw syscalls (it shares the creating
/// thread's TLS, so nothing that uses errno meaningfully or allocates).
extern "C" fn thread_main(_arg: *mut c_void) -> c_int {
    static NAME: &[u8] = b"thr a\"b\0";
    // SAFETY: raw syscalls; NAME is NUL-terminated.
    unsafe {
        libc::syscall(libc::SYS_prctl, libc::PR_SET_NAME, NAME.as_ptr());
        loop {
            libc::syscall(libc::SYS_pause);
        }
    }
}

/// Whether /proc/self/task/TID/comm reads `want` (+ newline), with raw calls only.
fn thread_named(tid: c_int, want: &[u8]) -> bool {
    let mut path = *b"/proc/self/task/0000000000/comm\0";
    let mut digits = [0u8; 10];
    let mut n = 0;
    let mut v = tid as u32;
    loop {
        digits[n] = b'0' + (v % 10) as u8;
        n += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let mut at = 16;
    for i in (0..n).rev() {
        path[at] = digits[i];
        at += 1;
    }
    let tail = b"/comm\0";
    path[at..at + tail.len()].copy_from_slice(tail);
    let mut buf = [0u8; 32];
    // SAFETY: NUL-terminated path; reading into a stack buffer.
    let got = unsafe {
        let fd = libc::open(path.as_ptr().cast(), libc::O_RDONLY | libc::O_CLOEXEC);
        if fd < 0 {
            return false;
        }
        let r = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
        libc::close(fd);
        r
    };
    got as usize == want.len() + 1 && &buf[..want.len()] == want
}
