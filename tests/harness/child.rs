//! The fixture child process: joins the namespace and creates the socket inventory documented
//! in `fixture.rs`, then holds the sockets until killed. Runs between `fork` and `_exit` of a
//! multi-threaded parent, so it only uses the raw wrappers of `sys.rs` on memory prepared
//! before the fork ([`Plan`]): no allocation, no locks, no panics.

use std::ffi::CString;
use std::path::{Path, PathBuf};

use libc::{c_int, socklen_t};

use super::netns::NetNs;
use super::sys::{
    accept, bind, chk, close, connect, connect_pending, enter_netns, ifindex, ioctl_q, listen,
    nonblock, report_and_hold, send_n, setbytes, setint, sleep_ms, sock, tcp4, tcp6, un_addr, v4,
    v6, Fail, Sa, UnAddr, ANY4, ANY6, LL0_6, LO4, LO6, R, V0_4, V0_6, V1_4, V1_6,
};

/// Name of the fixture process (`comm`, at most 15 bytes), shown by `-p`.
const COMM: &[u8] = b"ssfixture\0";

/// The report the child writes on its control socket: four native-endian u32 words —
/// magic ("SSFX"), status (0 ok), failing line of child.rs, errno.
pub const REPORT_MAGIC: u32 = 0x5353_4658;
pub const REPORT_LEN: usize = 16;

/// Everything the child needs, prepared (allocated) by the parent before the fork.
pub struct Plan {
    ns_path: CString,
    devnull: CString,
    un_stream: UnAddr,
    un_dgram: UnAddr,
    un_seq: UnAddr,
    un_pending: UnAddr,
    abs_stream: UnAddr,
    abs_dgram: UnAddr,
}

impl Plan {
    pub fn new(ns: &NetNs, dir: &Path) -> Plan {
        let path = |name: &str| -> UnAddr {
            let p: PathBuf = dir.join(name);
            un_addr(p.as_os_str().as_encoded_bytes(), false)
        };
        Plan {
            ns_path: CString::new(ns.path().into_os_string().into_encoded_bytes())
                .expect("ns path"),
            devnull: CString::new("/dev/null").expect("literal"),
            un_stream: path("stream.sock"),
            un_dgram: path("dgram.sock"),
            un_seq: path("seq.sock"),
            un_pending: path("pending.sock"),
            abs_stream: un_addr(b"sockscope-abstract", true),
            abs_dgram: un_addr(b"sockscope-dgram", true),
        }
    }
}

pub fn child_main(plan: &Plan, ctl: c_int, parent: libc::pid_t) -> ! {
    // SAFETY (whole function): raw syscalls on descriptors and memory this process owns.
    unsafe {
        // Die with the test thread that forked us (and never outlive a killed test run).
        libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
        if libc::getppid() != parent {
            libc::_exit(1);
        }
        // Control socket to fd 3, close every other inherited descriptor (pipes of concurrent
        // commands of other test groups must not be kept open by us), stdio to /dev/null.
        let ctl = if ctl == 3 { 3 } else { libc::dup2(ctl, 3) };
        if ctl != 3 {
            libc::_exit(2);
        }
        libc::syscall(libc::SYS_close_range, 4u32, u32::MAX, 0u32);
        let null = libc::open(plan.devnull.as_ptr(), libc::O_RDWR);
        if null >= 0 {
            for fd in 0..3 {
                libc::dup2(null, fd);
            }
            if null > 2 {
                libc::close(null);
            }
        }
        libc::prctl(libc::PR_SET_NAME, COMM.as_ptr());
        let result = enter_netns(&plan.ns_path).and_then(|()| build(plan));
        let (ok, line, errno) = match result {
            Ok(()) => (0u32, 0u32, 0i32),
            Err(f) => (1, f.line, f.errno),
        };
        report_and_hold(3, &[REPORT_MAGIC, ok, line, errno as u32]);
    }
}

// ---- the inventory ---------------------------------------------------------------------------

fn build(plan: &Plan) -> R<()> {
    use libc::{IPPROTO_IP, IPPROTO_IPV6, IPPROTO_TCP, SOL_SOCKET};
    let reuse = |fd: c_int| setint(fd, SOL_SOCKET, libc::SO_REUSEADDR, 1);

    // ---- TCP listeners
    let l_any = tcp4()?;
    reuse(l_any)?;
    setint(l_any, IPPROTO_IP, libc::IP_FREEBIND, 1)?;
    bind(l_any, v4(ANY4, 8080))?;
    listen(l_any, 128)?;
    let l_lo = tcp4()?;
    reuse(l_lo)?;
    bind(l_lo, v4(LO4, 9000))?;
    listen(l_lo, 5)?;
    let l6only = tcp6()?;
    reuse(l6only)?;
    setint(l6only, IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
    bind(l6only, v6(ANY6, 8081, 0))?;
    listen(l6only, 10)?;
    let l6dual = tcp6()?;
    reuse(l6dual)?;
    setint(l6dual, IPPROTO_IPV6, libc::IPV6_V6ONLY, 0)?;
    bind(l6dual, v6(ANY6, 8082, 0))?;
    listen(l6dual, 4096)?;
    let l6lo = tcp6()?;
    reuse(l6lo)?;
    bind(l6lo, v6(LO6, 9001, 0))?;
    listen(l6lo, 5)?;
    let l_ssh = tcp4()?;
    bind(l_ssh, v4(ANY4, 22))?;
    listen(l_ssh, 5)?;
    let l_http = tcp6()?;
    setint(l_http, IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
    bind(l_http, v6(ANY6, 80, 0))?;
    listen(l_http, 5)?;
    let l_dev = tcp4()?;
    setbytes(l_dev, SOL_SOCKET, libc::SO_BINDTODEVICE, b"v0\0")?;
    bind(l_dev, v4(ANY4, 8085))?;
    listen(l_dev, 5)?;
    let l_ll = tcp6()?;
    let v0_index = ifindex(l_ll, b"v0")?;
    bind(l_ll, v6(LL0_6, 8086, v0_index as u32))?;
    listen(l_ll, 5)?;
    let l_mark = tcp4()?;
    setint(l_mark, SOL_SOCKET, libc::SO_MARK, 0x20)?;
    bind(l_mark, v4(V0_4, 8087))?;
    listen(l_mark, 5)?;
    let l_zw = tcp4()?;
    // Small receive buffer, inherited by the accepted socket: its window closes quickly.
    setint(l_zw, SOL_SOCKET, libc::SO_RCVBUF, 4096)?;
    bind(l_zw, v4(LO4, 9002))?;
    listen(l_zw, 5)?;
    let l_full = tcp4()?;
    bind(l_full, v4(LO4, 7000))?;
    listen(l_full, 0)?;
    let l_defer = tcp4()?;
    setint(l_defer, IPPROTO_TCP, libc::TCP_DEFER_ACCEPT, 3600)?;
    bind(l_defer, v4(LO4, 7001))?;
    listen(l_defer, 8)?;

    // ---- established TCP pairs
    let c1 = tcp4()?;
    connect(c1, v4(LO4, 9000))?;
    let _a1 = accept(l_lo)?;
    send_n(c1, b'x', 100)?; // server Recv-Q 100
    let c2 = tcp6()?;
    setint(c2, IPPROTO_IPV6, libc::IPV6_TCLASS, 0x20)?;
    connect(c2, v6(LO6, 9001, 0))?;
    let a2 = accept(l6lo)?;
    send_n(a2, b'y', 50)?; // client Recv-Q 50
    let c3 = tcp4()?;
    bind(c3, v4(V1_4, 0))?;
    setint(c3, IPPROTO_IP, libc::IP_TOS, 0x10)?;
    connect(c3, v4(V0_4, 8080))?;
    let _a3 = accept(l_any)?;
    let c4 = tcp4()?;
    connect(c4, v4(LO4, 8082))?; // v4-mapped peer on the dual-stack listener
    let _a4 = accept(l6dual)?;
    let c5 = tcp4()?;
    setbytes(c5, IPPROTO_TCP, libc::TCP_CONGESTION, b"reno")?;
    connect(c5, v4(LO4, 22))?;
    let _a5 = accept(l_ssh)?;
    let c6 = tcp6()?;
    bind(c6, v6(V1_6, 0, 0))?;
    connect(c6, v6(V0_6, 8081, 0))?;
    let _a6 = accept(l6only)?;
    let c7 = tcp4()?;
    setint(c7, SOL_SOCKET, libc::SO_KEEPALIVE, 1)?;
    connect(c7, v4(V0_4, 8087))?;
    let _a7 = accept(l_mark)?;
    // half-closed: client FIN-WAIT-2 (not orphaned, so it stays), server CLOSE-WAIT
    let c8 = tcp4()?;
    connect(c8, v4(LO4, 9000))?;
    let _a8 = accept(l_lo)?;
    // SAFETY: plain syscall on an owned fd.
    chk(unsafe { libc::shutdown(c8, libc::SHUT_WR) })?;

    // ---- zero-window pair: data queued in both directions, client Send-Q > 0
    let czw = tcp4()?;
    setint(czw, SOL_SOCKET, libc::SO_SNDBUF, 16384)?;
    connect(czw, v4(LO4, 9002))?;
    let azw = accept(l_zw)?;
    send_n(azw, b'z', 1000)?;
    nonblock(czw)?;
    let chunk = [b'w'; 1024];
    let mut filled = false;
    for _ in 0..4096 {
        // SAFETY: buffer valid for its length.
        let n = unsafe { libc::send(czw, chunk.as_ptr().cast(), chunk.len(), 0) };
        if n < 0 {
            let e = std::io::Error::last_os_error().raw_os_error().unwrap_or(0);
            if e == libc::EAGAIN {
                filled = true;
                break;
            }
            return Err(Fail::with(e));
        }
    }
    if !filled {
        return Err(Fail::with(libc::ENOBUFS));
    }

    // ---- full accept queue (listen(0)): one connection queued (via SYN cookies, since the
    // request queue of a backlog-0 listener counts as full), further SYNs dropped ⇒ SYN-SENT.
    let cf = tcp4()?;
    connect(cf, v4(LO4, 7000))?;
    for _ in 0..2 {
        let cs = tcp4()?;
        // Maximum SYN retries (MAX_TCP_SYNCNT): the socket stays in SYN-SENT for the whole
        // test instead of giving up after ~127 s.
        setint(cs, IPPROTO_TCP, libc::TCP_SYNCNT, 127)?;
        connect_pending(cs, v4(LO4, 7000))?;
    }
    // ---- SYN-RECV: TCP_DEFER_ACCEPT makes the listener drop the bare final ACK and keep the
    // request socket; with the ACK seen, no SYN-ACK is resent until the defer period ends.
    let cd = tcp4()?;
    connect(cd, v4(LO4, 7001))?;

    // ---- UDP
    let udp4 = || sock(libc::AF_INET, libc::SOCK_DGRAM, 0);
    let udp6 = || sock(libc::AF_INET6, libc::SOCK_DGRAM, 0);
    let u_lo = udp4()?;
    setint(u_lo, IPPROTO_IP, libc::IP_RECVERR, 1)?;
    bind(u_lo, v4(LO4, 5000))?;
    let u6 = udp6()?;
    setint(u6, IPPROTO_IPV6, libc::IPV6_V6ONLY, 0)?;
    bind(u6, v6(ANY6, 5001, 0))?;
    let u_dns = udp4()?;
    bind(u_dns, v4(ANY4, 53))?;
    let u_conn = udp4()?;
    bind(u_conn, v4(LO4, 5002))?;
    connect(u_conn, v4(LO4, 5000))?;
    send_n(u_conn, b'd', 30)?; // u_lo Recv-Q > 0
    let u6c = udp6()?;
    connect(u6c, v6(LO6, 5001, 0))?;
    let u6only = udp6()?;
    setint(u6only, IPPROTO_IPV6, libc::IPV6_V6ONLY, 1)?;
    bind(u6only, v6(V0_6, 5003, 0))?;

    // ---- RAW
    sock(libc::AF_INET, libc::SOCK_RAW, libc::IPPROTO_ICMP)?;
    sock(libc::AF_INET6, libc::SOCK_RAW, libc::IPPROTO_ICMPV6)?;

    // ---- UNIX
    let ustream = || sock(libc::AF_UNIX, libc::SOCK_STREAM, 0);
    let udgram = || sock(libc::AF_UNIX, libc::SOCK_DGRAM, 0);
    let us = ustream()?;
    bind(us, Sa::Un(plan.un_stream))?;
    listen(us, 5)?;
    let ucs = ustream()?;
    connect(ucs, Sa::Un(plan.un_stream))?;
    let _uas = accept(us)?;
    send_n(ucs, b'u', 10)?;
    let ua = ustream()?;
    bind(ua, Sa::Un(plan.abs_stream))?;
    listen(ua, 5)?;
    let uac = ustream()?;
    connect(uac, Sa::Un(plan.abs_stream))?;
    let _uaa = accept(ua)?;
    let ud = udgram()?;
    bind(ud, Sa::Un(plan.un_dgram))?;
    let udc = udgram()?;
    connect(udc, Sa::Un(plan.un_dgram))?;
    send_n(udc, b'q', 20)?;
    let mut sp = [0 as c_int; 2];
    for ty in [libc::SOCK_STREAM, libc::SOCK_DGRAM, libc::SOCK_SEQPACKET] {
        // SAFETY: sp is a valid 2-element array.
        chk(unsafe { libc::socketpair(libc::AF_UNIX, ty, 0, sp.as_mut_ptr()) })?;
    }
    let uq = sock(libc::AF_UNIX, libc::SOCK_SEQPACKET, 0)?;
    bind(uq, Sa::Un(plan.un_seq))?;
    listen(uq, 5)?;
    let uqc = sock(libc::AF_UNIX, libc::SOCK_SEQPACKET, 0)?;
    connect(uqc, Sa::Un(plan.un_seq))?;
    let _uqa = accept(uq)?;
    // Autobind: binding with only the family triggers an abstract 5-hex-digit name.
    let uauto = udgram()?;
    {
        // SAFETY: a family-only sockaddr_un of length sizeof(sa_family_t).
        let mut sa: libc::sockaddr_un = unsafe { std::mem::zeroed() };
        sa.sun_family = libc::AF_UNIX as libc::sa_family_t;
        let len = std::mem::size_of::<libc::sa_family_t>() as socklen_t;
        // SAFETY: address valid for len bytes.
        chk(unsafe { libc::bind(uauto, (&sa as *const libc::sockaddr_un).cast(), len) })?;
    }
    let upend = ustream()?;
    bind(upend, Sa::Un(plan.un_pending))?;
    listen(upend, 4)?;
    for _ in 0..2 {
        let c = ustream()?;
        connect(c, Sa::Un(plan.un_pending))?; // never accepted
    }
    let uabsd = udgram()?;
    bind(uabsd, Sa::Un(plan.abs_dgram))?;

    // ---- NETLINK
    let n1 = sock(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_ROUTE)?;
    bind(
        n1,
        Sa::Nl(0, (libc::RTMGRP_LINK | libc::RTMGRP_IPV4_IFADDR) as u32),
    )?;
    let n2 = sock(libc::AF_NETLINK, libc::SOCK_DGRAM, libc::NETLINK_GENERIC)?;
    bind(n2, Sa::Nl(0, 0))?;
    let n3 = sock(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_USERSOCK)?;
    bind(n3, Sa::Nl(0, 0))?;
    let n3_portid = {
        // SAFETY: getsockname writes at most `len` bytes into nl.
        let mut nl: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
        let mut len = std::mem::size_of::<libc::sockaddr_nl>() as socklen_t;
        chk(unsafe {
            libc::getsockname(n3, (&mut nl as *mut libc::sockaddr_nl).cast(), &mut len)
        })?;
        nl.nl_pid
    };
    let n4 = sock(libc::AF_NETLINK, libc::SOCK_RAW, libc::NETLINK_USERSOCK)?;
    bind(n4, Sa::Nl(0, 0))?;
    connect(n4, Sa::Nl(n3_portid, 0))?;

    // ---- PACKET (the veth pair is quiet by now, see netns.rs)
    let eth_p_all = libc::ETH_P_ALL as u16;
    let p1 = sock(
        libc::AF_PACKET,
        libc::SOCK_RAW,
        c_int::from(eth_p_all.to_be()),
    )?;
    let v0 = ifindex(p1, b"v0")?;
    bind(p1, Sa::Ll(eth_p_all, v0))?;
    let eth_p_ip = libc::ETH_P_IP as u16;
    let p2 = sock(
        libc::AF_PACKET,
        libc::SOCK_DGRAM,
        c_int::from(eth_p_ip.to_be()),
    )?;
    let v1 = ifindex(p2, b"v1")?;
    bind(p2, Sa::Ll(eth_p_ip, v1))?;
    let eth_p_ipv6 = libc::ETH_P_IPV6 as u16;
    let p3 = sock(
        libc::AF_PACKET,
        libc::SOCK_RAW,
        c_int::from(eth_p_ipv6.to_be()),
    )?;
    // ldh [12]; ret #0 — classic BPF (linux/filter.h: BPF_LD|BPF_H|BPF_ABS = 0x28,
    // BPF_RET|BPF_K = 0x06). Drops every frame, so the queue stays empty.
    let mut prog = [
        libc::sock_filter {
            code: 0x28,
            jt: 0,
            jf: 0,
            k: 12,
        },
        libc::sock_filter {
            code: 0x06,
            jt: 0,
            jf: 0,
            k: 0,
        },
    ];
    let fprog = libc::sock_fprog {
        len: prog.len() as u16,
        filter: prog.as_mut_ptr(),
    };
    // SAFETY: fprog points at `prog`, alive for the call.
    chk(unsafe {
        libc::setsockopt(
            p3,
            SOL_SOCKET,
            libc::SO_ATTACH_FILTER,
            (&fprog as *const libc::sock_fprog).cast(),
            std::mem::size_of::<libc::sock_fprog>() as socklen_t,
        )
    })?;

    // ---- TIME-WAIT (last, so it has most of its 60 s left): client closes first.
    let ctw = tcp4()?;
    connect(ctw, v4(LO4, 9000))?;
    let atw = accept(l_lo)?;
    close(ctw)?;
    sleep_ms(50);
    close(atw)?;

    // ---- settle: wait until the zero-window pair's queues stop moving (window updates and
    // receive-queue collapsing go on for a few hundred ms), then a little more for delayed
    // ACK timers of the other connections to fire.
    let mut last = (-1, -1, -1);
    let mut stable = 0;
    for _ in 0..200 {
        sleep_ms(50);
        let now = (
            ioctl_q(azw, libc::FIONREAD)?,
            ioctl_q(czw, libc::TIOCOUTQ)?,
            ioctl_q(czw, libc::FIONREAD)?,
        );
        if now == last {
            stable += 1;
            if stable >= 10 {
                return Ok(());
            }
        } else {
            stable = 0;
            last = now;
        }
    }
    Err(Fail::with(libc::ETIMEDOUT))
}
