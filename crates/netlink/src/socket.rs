//! The netlink socket (set up like iproute2's `rtnl_open_byproto`), the reusable receive buffer
//! and the dump loop (iproute2's `rtnl_dump_filter_l` semantics), plus a request/reply helper
//! for single answers (RTM_GETLINK by index).
//!
//! The dump loop receives every datagram into ONE caller-owned [`RecvBuffer`] and hands each
//! message to the handler as a borrowed `(&NlMsgHeader, &[u8])`: no copy, no allocation per
//! message. Errors are typed ([`DumpError`]); deciding what to print is the caller's job.

use std::ops::ControlFlow;
use std::os::fd::AsRawFd;

use crate::consts::*;
use crate::msg::{DoneMsg, ErrorMsg, Messages, NlMsgHeader};
use crate::Errno;

/// Failure to set up a netlink socket. `Display` gives iproute2's perror texts.
#[derive(Debug, thiserror::Error, Clone, Copy, PartialEq, Eq)]
pub enum OpenError {
    #[error("Cannot open netlink socket: {0}")]
    Socket(Errno),
    #[error("SO_SNDBUF: {0}")]
    SndBuf(Errno),
    #[error("SO_RCVBUF: {0}")]
    RcvBuf(Errno),
    #[error("Cannot bind netlink socket: {0}")]
    Bind(Errno),
    #[error("Cannot getsockname: {0}")]
    GetSockName(Errno),
}

/// Why a dump (or a request/reply exchange) ended without success.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum DumpError {
    /// `send` failed (ss gives up silently).
    #[error("netlink send error: {0}")]
    Send(Errno),
    /// `recvmsg` failed (not EINTR/EAGAIN, which are retried).
    #[error("netlink receive error {0} ({code})", code = .0 .0)]
    Recv(Errno),
    /// `recvmsg` returned 0.
    #[error("EOF on netlink")]
    Eof,
    /// `NLMSG_DONE` with less than 4 bytes of payload.
    #[error("DONE truncated")]
    DoneTruncated,
    /// `NLMSG_DONE` carrying a negative status.
    #[error("dump failed: {}", crate::strerror(*.errno))]
    Done {
        /// Positive errno.
        errno: i32,
        /// NLMSGERR_ATTR_MSG text, when the kernel sent one.
        ext_ack: Option<String>,
    },
    /// `NLMSG_ERROR` shorter than `struct nlmsgerr`.
    #[error("ERROR truncated")]
    ErrorTruncated,
    /// `NLMSG_ERROR` (errno 0 = an ACK where a dump reply was expected).
    #[error("RTNETLINK answers: {}", crate::strerror(*.errno))]
    Error {
        /// Positive errno.
        errno: i32,
        ext_ack: Option<String>,
    },
    /// Bytes left in a datagram that do not form a message (malformed framing).
    #[error("!!!Remnant of size {0}")]
    Remnant(isize),
    /// The handler returned `ControlFlow::Break`.
    #[error("dump stopped by the caller")]
    Stopped,
}

/// What a successful dump observed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DumpSummary {
    /// Some reply carried NLM_F_DUMP_INTR (ss: `Dump was interrupted and may be inconsistent.`).
    pub interrupted: bool,
    /// Datagrams that did not fit the receive buffer (ss: `Message truncated`).
    pub truncated: u32,
    /// Data messages handed to the handler.
    pub messages: u64,
}

/// Receives the results of [`NlSocket::dump_with`].
pub trait DumpHandler {
    /// One data message addressed to us (never DONE or ERROR). `Break` ends the dump with
    /// [`DumpError::Stopped`].
    fn message(&mut self, header: &NlMsgHeader, payload: &[u8]) -> ControlFlow<()>;
    /// Every datagram as received, before its messages are handled (ss `-D` writes these).
    fn datagram(&mut self, _bytes: &[u8]) {}
    /// A datagram was larger than the buffer (`real_len` bytes); its tail was lost. The dump
    /// goes on, as in iproute2.
    fn truncated(&mut self, _real_len: usize) {}
}

pub(crate) struct FnHandler<F>(pub(crate) F);

impl<F: FnMut(&NlMsgHeader, &[u8]) -> ControlFlow<()>> DumpHandler for FnHandler<F> {
    fn message(&mut self, header: &NlMsgHeader, payload: &[u8]) -> ControlFlow<()> {
        (self.0)(header, payload)
    }
}

/// The per-datagram half of the dump loop, shared by [`NlSocket::dump_with`] and the
/// prefetching loop, so both end, skip and report in exactly the same way.
pub(crate) struct DumpState {
    port_id: u32,
    seq: u32,
    summary: DumpSummary,
}

impl DumpState {
    pub(crate) fn new(port_id: u32, seq: u32) -> DumpState {
        DumpState {
            port_id,
            seq,
            summary: DumpSummary::default(),
        }
    }

    /// Handles one received datagram (`real` = its length before truncation, `sender` = the
    /// sender's port id). `Some` ends the dump with that result.
    pub(crate) fn datagram(
        &mut self,
        datagram: &[u8],
        real: usize,
        sender: u32,
        handler: &mut dyn DumpHandler,
    ) -> Option<Result<DumpSummary, DumpError>> {
        handler.datagram(datagram);
        let mut msgs = Messages::new(datagram);
        for (h, payload) in msgs.by_ref() {
            if sender != 0 || h.pid != self.port_id || h.seq != self.seq {
                continue;
            }
            if h.flags & NLM_F_DUMP_INTR != 0 {
                self.summary.interrupted = true;
            }
            match h.kind {
                NLMSG_DONE => {
                    let Some(done) = DoneMsg::parse(payload) else {
                        return Some(Err(DumpError::DoneTruncated));
                    };
                    if done.error < 0 {
                        return Some(Err(DumpError::Done {
                            errno: done.error.wrapping_neg(),
                            ext_ack: done.ext_ack.msg.map(lossy),
                        }));
                    }
                    return Some(Ok(self.summary));
                }
                NLMSG_ERROR => {
                    return Some(Err(match ErrorMsg::parse(h.flags, payload) {
                        Some(e) => DumpError::Error {
                            errno: e.errno(),
                            ext_ack: e.ext_ack.msg.map(lossy),
                        },
                        None => DumpError::ErrorTruncated,
                    }));
                }
                _ => {
                    self.summary.messages += 1;
                    if handler.message(&h, payload).is_break() {
                        return Some(Err(DumpError::Stopped));
                    }
                }
            }
        }
        if real > datagram.len() {
            self.summary.truncated += 1;
            handler.truncated(real);
            return None;
        }
        if msgs.remnant() != 0 {
            return Some(Err(DumpError::Remnant(msgs.remnant())));
        }
        None
    }

    /// Whether the dump loop would end at this datagram whatever the handler says: a DONE or
    /// ERROR addressed to us, or bytes that do not form a message. The prefetching receiver
    /// stops there, so it never waits for a datagram the kernel will not send.
    pub(crate) fn ends_at(&self, datagram: &[u8], real: usize, sender: u32) -> bool {
        let mut msgs = Messages::new(datagram);
        for (h, _) in msgs.by_ref() {
            if sender == 0
                && h.pid == self.port_id
                && h.seq == self.seq
                && (h.kind == NLMSG_DONE || h.kind == NLMSG_ERROR)
            {
                return true;
            }
        }
        real <= datagram.len() && msgs.remnant() != 0
    }
}

fn lossy(m: &[u8]) -> String {
    String::from_utf8_lossy(m).into_owned()
}

/// The receive buffer, reused for every datagram of every dump it is passed to.
#[derive(Debug)]
pub struct RecvBuffer {
    buf: Vec<u8>,
}

impl RecvBuffer {
    /// Smallest size accepted: iproute2 never receives into less than 32 KiB.
    pub const MIN: usize = 32 * 1024;
    /// Default size. The kernel caps dump datagrams near 32 KiB (`max_recvmsg_len` is limited
    /// to SKB_WITH_OVERHEAD(32768) in af_netlink.c), so this leaves ample room.
    pub const DEFAULT: usize = 64 * 1024;

    pub fn new() -> RecvBuffer {
        RecvBuffer::with_capacity(Self::DEFAULT)
    }

    pub fn with_capacity(cap: usize) -> RecvBuffer {
        RecvBuffer {
            buf: vec![0u8; cap.max(Self::MIN)],
        }
    }

    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// Moves the bytes out, leaving an empty buffer behind (no allocation).
    pub(crate) fn take(&mut self) -> RecvBuffer {
        RecvBuffer {
            buf: std::mem::take(&mut self.buf),
        }
    }

    /// The first `len` received bytes.
    pub(crate) fn filled(&self, len: usize) -> &[u8] {
        self.buf.get(..len).unwrap_or(&[])
    }

    pub(crate) fn grow_to(&mut self, len: usize) {
        if len > self.buf.len() {
            let new = len.next_power_of_two();
            self.buf.resize(new, 0);
        }
    }
}

impl Default for RecvBuffer {
    fn default() -> Self {
        RecvBuffer::new()
    }
}

/// A netlink socket bound to a kernel-assigned port id.
pub struct NlSocket {
    sock: netlink_sys::Socket,
    port_id: u32,
    protocol: i32,
    peek_first: bool,
}

impl std::fmt::Debug for NlSocket {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NlSocket")
            .field("fd", &self.sock.as_raw_fd())
            .field("port_id", &self.port_id)
            .field("protocol", &self.protocol)
            .finish()
    }
}

fn setsockopt_int(fd: i32, level: i32, name: i32, value: i32) -> Result<(), Errno> {
    // SAFETY: passes a pointer to a live c_int and its exact size; the kernel copies the value
    // and keeps no reference. `fd` is an open socket owned by the caller.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &value as *const libc::c_int as *const libc::c_void,
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    if rc < 0 {
        Err(Errno::last())
    } else {
        Ok(())
    }
}

impl NlSocket {
    /// Opens a socket of netlink `protocol` like iproute2: SO_SNDBUF 32768, SO_RCVBUF 1 MiB,
    /// NETLINK_EXT_ACK 1 (failure ignored: old kernels), bind to port 0 with `groups`, then
    /// getsockname to learn the port id.
    pub fn open(protocol: i32, groups: u32) -> Result<NlSocket, OpenError> {
        let mut sock = netlink_sys::Socket::new(protocol as isize)
            .map_err(|e| OpenError::Socket(Errno::from_io(&e)))?;
        let fd = sock.as_raw_fd();
        setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_SNDBUF, 32768).map_err(OpenError::SndBuf)?;
        setsockopt_int(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, 1024 * 1024)
            .map_err(OpenError::RcvBuf)?;
        let _ = setsockopt_int(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
        sock.bind(&netlink_sys::SocketAddr::new(0, groups))
            .map_err(|e| OpenError::Bind(Errno::from_io(&e)))?;
        let mut addr = netlink_sys::SocketAddr::new(0, 0);
        sock.get_address(&mut addr)
            .map_err(|e| OpenError::GetSockName(Errno::from_io(&e)))?;
        Ok(NlSocket {
            sock,
            port_id: addr.port_number(),
            protocol,
            peek_first: false,
        })
    }

    /// A NETLINK_SOCK_DIAG socket.
    pub fn sock_diag() -> Result<NlSocket, OpenError> {
        NlSocket::open(NETLINK_SOCK_DIAG, 0)
    }

    /// A NETLINK_ROUTE socket. Its replies can exceed any fixed buffer (links with many VFs),
    /// so it peeks at each datagram's size first and grows the buffer when needed.
    pub fn route() -> Result<NlSocket, OpenError> {
        let mut s = NlSocket::open(NETLINK_ROUTE, 0)?;
        s.peek_first = true;
        Ok(s)
    }

    /// The kernel-assigned port id (`nl_pid` from getsockname).
    pub fn port_id(&self) -> u32 {
        self.port_id
    }

    pub fn protocol(&self) -> i32 {
        self.protocol
    }

    /// Peek at every datagram's size before receiving it (iproute2's way; one extra syscall per
    /// datagram, never truncates).
    pub fn set_peek_first(&mut self, on: bool) {
        self.peek_first = on;
    }

    /// Asks the kernel to validate dump requests strictly and to apply their filters itself
    /// (`NETLINK_GET_STRICT_CHK`, iproute2 `rtnl_set_strict_dump`; failure on old kernels is
    /// ignored there, so the error is only informative).
    pub fn set_strict_check(&self, on: bool) -> Result<(), Errno> {
        setsockopt_int(
            self.sock.as_raw_fd(),
            SOL_NETLINK,
            NETLINK_GET_STRICT_CHK,
            i32::from(on),
        )
    }

    /// Sets SO_RCVBUF (iproute2 `-rc SIZE`; the kernel caps it at `net.core.rmem_max`).
    pub fn set_rcvbuf(&self, size: i32) -> Result<(), Errno> {
        setsockopt_int(
            self.sock.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_RCVBUF,
            size,
        )
    }

    /// Sends one complete request to the kernel (port 0).
    pub fn send(&self, request: &[u8]) -> Result<(), DumpError> {
        let kernel = netlink_sys::SocketAddr::new(0, 0);
        self.sock
            .send_to(request, &kernel, 0)
            .map(|_| ())
            .map_err(|e| DumpError::Send(Errno::from_io(&e)))
    }

    /// Receives one datagram into `rb`. Returns (bytes available in the buffer, real datagram
    /// length, sender port id). EINTR/EAGAIN are retried, as in iproute2.
    pub(crate) fn recv_datagram(
        &self,
        rb: &mut RecvBuffer,
    ) -> Result<(usize, usize, u32), DumpError> {
        if self.peek_first {
            let mut empty: &mut [u8] = &mut [];
            let (n, _) = retry(|| {
                self.sock
                    .recv_from(&mut empty, libc::MSG_PEEK | libc::MSG_TRUNC)
            })?;
            rb.grow_to(n);
        }
        let cap = rb.buf.len();
        let mut slice: &mut [u8] = &mut rb.buf[..];
        let (n, addr) = retry(|| self.sock.recv_from(&mut slice, libc::MSG_TRUNC))?;
        if n == 0 {
            return Err(DumpError::Eof);
        }
        Ok((n.min(cap), n, addr.port_number()))
    }

    /// Receives the next whole datagram the kernel sends (multicast listeners: `ss -E`).
    /// Datagrams from other senders are dropped; one larger than the buffer is dropped too
    /// and the buffer grows for the next (ss reports "Message truncated" and goes on).
    pub fn receive_multicast<'b>(&self, rb: &'b mut RecvBuffer) -> Result<&'b [u8], Errno> {
        loop {
            let (len, real, sender) = match self.recv_datagram(rb) {
                Ok(r) => r,
                Err(DumpError::Recv(e)) => return Err(e),
                Err(_) => return Err(Errno(libc::EIO)),
            };
            if real > len {
                rb.grow_to(real);
                continue;
            }
            if sender == 0 {
                return Ok(rb.filled(len));
            }
        }
    }

    /// Runs a dump whose request was already sent with sequence number `seq`, calling
    /// `on_message` for every data message (see [`NlSocket::dump_with`]).
    pub fn dump<F>(
        &self,
        rb: &mut RecvBuffer,
        seq: u32,
        on_message: F,
    ) -> Result<DumpSummary, DumpError>
    where
        F: FnMut(&NlMsgHeader, &[u8]) -> ControlFlow<()>,
    {
        self.dump_with(rb, seq, &mut FnHandler(on_message))
    }

    /// The dump loop (iproute2 `rtnl_dump_filter_l`):
    /// * messages not sent by the kernel (sender port ≠ 0), not addressed to our port id, or
    ///   with another sequence number are skipped;
    /// * NLM_F_DUMP_INTR on any message is remembered ([`DumpSummary::interrupted`]);
    /// * NLMSG_DONE ends the dump after the rest of its datagram is skipped: a negative status
    ///   is [`DumpError::Done`] (with ext-ack text), a short one [`DumpError::DoneTruncated`];
    /// * NLMSG_ERROR fails the dump ([`DumpError::Error`] / [`DumpError::ErrorTruncated`]);
    /// * a datagram larger than the buffer is reported to [`DumpHandler::truncated`] and the
    ///   dump goes on (the buffer grows for the next one); otherwise bytes that do not form a
    ///   message are [`DumpError::Remnant`].
    pub fn dump_with(
        &self,
        rb: &mut RecvBuffer,
        seq: u32,
        handler: &mut dyn DumpHandler,
    ) -> Result<DumpSummary, DumpError> {
        let mut dump = DumpState::new(self.port_id, seq);
        loop {
            let (len, real, sender) = self.recv_datagram(rb)?;
            if let Some(end) = dump.datagram(rb.filled(len), real, sender, handler) {
                return end;
            }
            rb.grow_to(real);
        }
    }

    /// Sends `request` (whose header carries `seq`) and waits for the one answer with that
    /// sequence number (iproute2 `rtnl_talk` with an answer buffer): `on_reply` gets the first
    /// non-error reply; an NLMSG_ERROR becomes [`DumpError::Error`] (errno 0 = plain ACK).
    pub fn request<R>(
        &self,
        rb: &mut RecvBuffer,
        request: &[u8],
        seq: u32,
        mut on_reply: impl FnMut(&NlMsgHeader, &[u8]) -> R,
    ) -> Result<R, DumpError> {
        self.send(request)?;
        loop {
            let (len, real, sender) = self.recv_datagram(rb)?;
            let datagram = rb.buf.get(..len).unwrap_or(&[]);
            let mut msgs = Messages::new(datagram);
            for (h, payload) in msgs.by_ref() {
                if sender != 0 || h.pid != self.port_id || h.seq != seq {
                    continue;
                }
                if h.kind == NLMSG_ERROR {
                    let e = ErrorMsg::parse(h.flags, payload).ok_or(DumpError::ErrorTruncated)?;
                    return Err(DumpError::Error {
                        errno: e.errno(),
                        ext_ack: e
                            .ext_ack
                            .msg
                            .map(|m| String::from_utf8_lossy(m).into_owned()),
                    });
                }
                return Ok(on_reply(&h, payload));
            }
            if real > len {
                rb.grow_to(real);
                continue;
            }
            if msgs.remnant() != 0 {
                return Err(DumpError::Remnant(msgs.remnant()));
            }
        }
    }
}

fn retry<T>(mut f: impl FnMut() -> std::io::Result<T>) -> Result<T, DumpError> {
    loop {
        match f() {
            Ok(v) => return Ok(v),
            Err(e) => match e.raw_os_error() {
                Some(libc::EINTR) | Some(libc::EAGAIN) => continue,
                _ => return Err(DumpError::Recv(Errno::from_io(&e))),
            },
        }
    }
}

/// Runs `attempt` (which must send a fresh request and dump it) again while the dump reports
/// NLM_F_DUMP_INTR, at most `max_attempts` times in all. The last summary (possibly still
/// interrupted) or the first error is returned. ss itself never restarts; this is for callers
/// that want a consistent snapshot and can discard what an interrupted attempt delivered.
pub fn retry_interrupted<E>(
    max_attempts: u32,
    mut attempt: impl FnMut(u32) -> Result<DumpSummary, E>,
) -> Result<DumpSummary, E> {
    let mut n = 0;
    loop {
        let s = attempt(n)?;
        n += 1;
        if !s.interrupted || n >= max_attempts.max(1) {
            return Ok(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request;

    #[test]
    fn retry_interrupted_is_bounded() {
        let mut calls = 0;
        let r: Result<DumpSummary, ()> = retry_interrupted(3, |_| {
            calls += 1;
            Ok(DumpSummary {
                interrupted: true,
                ..Default::default()
            })
        });
        assert!(r.unwrap().interrupted);
        assert_eq!(calls, 3);
        let mut calls = 0;
        let r: Result<DumpSummary, ()> = retry_interrupted(5, |i| {
            calls += 1;
            Ok(DumpSummary {
                interrupted: i < 1,
                ..Default::default()
            })
        });
        assert!(!r.unwrap().interrupted);
        assert_eq!(calls, 2);
        let r: Result<DumpSummary, &str> = retry_interrupted(5, |_| Err("boom"));
        assert_eq!(r, Err("boom"));
    }

    #[test]
    fn recv_buffer_sizes() {
        assert_eq!(RecvBuffer::with_capacity(100).capacity(), RecvBuffer::MIN);
        let mut b = RecvBuffer::new();
        assert_eq!(b.capacity(), 64 * 1024);
        b.grow_to(70_000);
        assert_eq!(b.capacity(), 128 * 1024);
    }

    /// Live check against the running kernel: a netlink-socket dump always contains at least
    /// our own socket, and an AF_VSOCK/unknown-family dump fails cleanly. Skipped when sockets
    /// cannot be opened (e.g. a sandbox without netlink).
    #[test]
    fn live_netlink_dump_sees_own_socket() {
        let Ok(s) = NlSocket::sock_diag() else { return };
        assert_ne!(s.port_id(), 0);
        let mut req = Vec::new();
        request::netlink_diag(
            &mut req,
            SS_MAGIC_SEQ,
            NDIAG_PROTO_ALL,
            NDIAG_SHOW_MEMINFO | NDIAG_SHOW_GROUPS,
        );
        s.send(&req).unwrap();
        let mut rb = RecvBuffer::new();
        let mut own = false;
        let sum = s
            .dump(&mut rb, SS_MAGIC_SEQ, |h, p| {
                assert_eq!(h.kind, SOCK_DIAG_BY_FAMILY);
                let (m, _) = crate::diag::NetlinkDiagMsg::parse(p).unwrap();
                if m.portid() == s.port_id() && m.protocol() == NETLINK_SOCK_DIAG as u8 {
                    own = true;
                }
                ControlFlow::Continue(())
            })
            .unwrap();
        assert!(own);
        assert!(sum.messages >= 1);

        // Stopping from the handler.
        s.send(&req).unwrap();
        let r = s.dump(&mut rb, SS_MAGIC_SEQ, |_, _| ControlFlow::Break(()));
        assert_eq!(r, Err(DumpError::Stopped));
    }
}
