//! A dump loop whose datagrams are received on a second thread.
//!
//! The kernel builds each dump datagram inside the `recvmsg` call that asks for the next one,
//! so a plain loop alternates between waiting for the kernel and decoding. On a machine with a
//! second core, [`NlSocket::dump_prefetched`] lets a receiver thread keep the kernel busy while
//! the caller's thread decodes: the listing then costs about the kernel's dump time instead of
//! dump + decode. Datagrams travel through reused buffers (no allocation per datagram once the
//! pool has grown), and every check, skip and error is the one of [`NlSocket::dump_with`]
//! ([`DumpState`]), run on the caller's thread in arrival order, so results are identical.
//!
//! How far the receiver may run ahead is the caller's choice: two buffers when decoding keeps
//! up (double buffering, least memory), unbounded when the caller's thread first waits for
//! something else (ss -p waits for the process scan), so the kernel's dump is not held up.

use std::sync::mpsc;

use crate::socket::{DumpError, DumpHandler, DumpState, DumpSummary, NlSocket, RecvBuffer};

/// One datagram as the receiver got it.
struct Received {
    rb: RecvBuffer,
    /// Bytes in `rb` (at most its capacity).
    len: usize,
    /// The datagram's real length (larger than `len` when it was truncated).
    real: usize,
    sender: u32,
}

impl NlSocket {
    /// [`NlSocket::dump_with`] with the receiving done on another thread (see the module
    /// comment), at most `ahead` datagrams (at least 2; `usize::MAX` = no limit) ahead of the
    /// handler. Same results, same handler calls in the same order. Falls back to the plain
    /// loop when no thread can be started.
    pub fn dump_prefetched(
        &self,
        rb: &mut RecvBuffer,
        seq: u32,
        handler: &mut dyn DumpHandler,
        ahead: usize,
    ) -> Result<DumpSummary, DumpError> {
        let cap = rb.capacity();
        let (free_tx, free_rx) = mpsc::channel::<RecvBuffer>();
        let (full_tx, full_rx) = mpsc::channel::<Result<Received, DumpError>>();
        let _ = free_tx.send(rb.take());
        let pool = Pool {
            free: free_rx,
            allowed: ahead.max(2) - 1,
        };
        let probe = DumpState::new(self.port_id(), seq);
        std::thread::scope(|s| {
            let receiver = std::thread::Builder::new()
                .name("nl-recv".into())
                .spawn_scoped(s, move || self.receive(&probe, pool, full_tx));
            if receiver.is_err() {
                // The closure (and the channel ends it owned) is gone; take a buffer back.
                *rb = RecvBuffer::with_capacity(cap);
                return self.dump_with(rb, seq, handler);
            }
            let (result, last) = decode(
                DumpState::new(self.port_id(), seq),
                full_rx,
                free_tx,
                handler,
            );
            *rb = last.unwrap_or_else(|| RecvBuffer::with_capacity(cap));
            result
        })
    }

    /// The receiver thread: fills free buffers until the dump ends or the decoder hangs up.
    fn receive(
        &self,
        probe: &DumpState,
        mut pool: Pool,
        full: mpsc::Sender<Result<Received, DumpError>>,
    ) {
        // A truncated datagram grows every later buffer, as the plain loop grows its one.
        let mut need = 0;
        while let Some(mut rb) = pool.next() {
            rb.grow_to(need);
            match self.recv_datagram(&mut rb) {
                Err(e) => {
                    let _ = full.send(Err(e));
                    return;
                }
                Ok((len, real, sender)) => {
                    need = need.max(real);
                    let end = probe.ends_at(rb.filled(len), real, sender);
                    let sent = full.send(Ok(Received {
                        rb,
                        len,
                        real,
                        sender,
                    }));
                    if end || sent.is_err() {
                        return;
                    }
                }
            }
        }
    }
}

/// The receiver's buffers: those the decoder handed back, or new ones while fewer than
/// `ahead` exist.
struct Pool {
    free: mpsc::Receiver<RecvBuffer>,
    /// New buffers that may still be allocated.
    allowed: usize,
}

impl Pool {
    /// A buffer to receive into; None when the decoder has hung up.
    fn next(&mut self) -> Option<RecvBuffer> {
        match self.free.try_recv() {
            Ok(rb) => Some(rb),
            Err(mpsc::TryRecvError::Disconnected) => None,
            Err(mpsc::TryRecvError::Empty) if self.allowed > 0 => {
                self.allowed -= 1;
                // The smallest size (32 KiB): the kernel builds dump datagrams of at most
                // SKB_WITH_OVERHEAD(32768) bytes, and the receiver grows buffers anyway after
                // a larger one; so the extra buffers cost no more memory than they hold.
                Some(RecvBuffer::with_capacity(RecvBuffer::MIN))
            }
            Err(mpsc::TryRecvError::Empty) => self.free.recv().ok(),
        }
    }
}

/// The decoder side: handles datagrams in arrival order and hands their buffers back. Owning
/// both channel ends means returning hangs up on the receiver, which then stops at its next
/// send (the kernel answers its pending `recvmsg` because the dump is still running) or at its
/// next wait for a free buffer. Returns the result and the last buffer used.
fn decode(
    mut dump: DumpState,
    full: mpsc::Receiver<Result<Received, DumpError>>,
    free: mpsc::Sender<RecvBuffer>,
    handler: &mut dyn DumpHandler,
) -> (Result<DumpSummary, DumpError>, Option<RecvBuffer>) {
    let mut last = None;
    for item in full.iter() {
        let r = match item {
            Ok(r) => r,
            Err(e) => return (Err(e), last),
        };
        let end = dump.datagram(r.rb.filled(r.len), r.real, r.sender, handler);
        if let Some(result) = end {
            return (result, Some(r.rb));
        }
        if let Err(mpsc::SendError(rb)) = free.send(r.rb) {
            last = Some(rb);
        }
    }
    // The receiver stopped without an ending datagram (it cannot: it stops only after sending
    // one, or an error); report it as the socket closing.
    (Err(DumpError::Eof), last)
}

#[cfg(test)]
mod tests {
    use std::net::UdpSocket;
    use std::ops::ControlFlow;

    use super::*;
    use crate::consts::*;
    use crate::diag::InetDiagMsg;
    use crate::request::{self, InetRequest};

    /// (sport, inode) of every UDP socket of this network namespace, in dump order.
    fn udp_dump(prefetched: bool, stop_after: Option<usize>) -> Result<Vec<(u16, u32)>, DumpError> {
        let s = NlSocket::sock_diag().expect("sock_diag socket");
        let mut req = Vec::new();
        let r = InetRequest {
            family: AF_INET,
            protocol: IPPROTO_UDP,
            ext: 0,
            states: 0xfff,
            bytecode: None,
        };
        request::inet_diag_v2(&mut req, 7, &r);
        s.send(&req)?;
        let mut rb = RecvBuffer::new();
        let mut seen = Vec::new();
        let mut on_message = |_: &crate::NlMsgHeader, p: &[u8]| {
            let (m, _) = InetDiagMsg::parse(p).expect("inet_diag_msg");
            seen.push((m.sport(), m.inode()));
            if stop_after == Some(seen.len()) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        };
        let mut h = crate::socket::FnHandler(&mut on_message);
        let sum = if prefetched {
            s.dump_prefetched(
                &mut rb,
                7,
                &mut h,
                if stop_after.is_some() { 2 } else { usize::MAX },
            )?
        } else {
            s.dump_with(&mut rb, 7, &mut h)?
        };
        assert_eq!(sum.messages as usize, seen.len());
        assert!(
            rb.capacity() >= RecvBuffer::MIN,
            "the caller gets a buffer back"
        );
        Ok(seen)
    }

    /// A request the kernel refuses (DCCP, absent from most kernels, or a bogus protocol
    /// number) ends both loops with the same error.
    #[test]
    fn prefetched_dump_reports_errors_like_plain_dump() {
        let run = |prefetched: bool| {
            let s = NlSocket::sock_diag().expect("sock_diag socket");
            let mut req = Vec::new();
            let r = InetRequest {
                family: AF_INET,
                protocol: 250,
                ext: 0,
                states: 0xfff,
                bytecode: None,
            };
            request::inet_diag_v2(&mut req, 9, &r);
            s.send(&req).unwrap();
            let mut rb = RecvBuffer::new();
            let mut h = crate::socket::FnHandler(|_: &crate::NlMsgHeader, _: &[u8]| {
                ControlFlow::Continue(())
            });
            if prefetched {
                s.dump_prefetched(&mut rb, 9, &mut h, usize::MAX)
            } else {
                s.dump_with(&mut rb, 9, &mut h)
            }
        };
        let plain = run(false);
        assert!(plain.is_err(), "{plain:?}");
        assert_eq!(run(true), plain);
    }

    /// Enough sockets for many datagrams: both loops see the same messages in the same order,
    /// and a handler that stops early ends the prefetched dump cleanly (the receiver thread is
    /// joined, the next dump works).
    #[test]
    fn prefetched_dump_equals_plain_dump() {
        let held: Vec<UdpSocket> = (0..600)
            .filter_map(|_| UdpSocket::bind("127.0.0.1:0").ok())
            .collect();
        assert!(held.len() >= 500, "could not open test sockets");
        let plain = udp_dump(false, None).unwrap();
        let fetched = udp_dump(true, None).unwrap();
        let ours = |v: &[(u16, u32)]| -> Vec<(u16, u32)> {
            let ports: Vec<u16> = held
                .iter()
                .map(|s| s.local_addr().unwrap().port())
                .collect();
            v.iter()
                .filter(|(p, _)| ports.contains(p))
                .copied()
                .collect()
        };
        assert_eq!(ours(&plain).len(), held.len());
        assert_eq!(ours(&plain), ours(&fetched));
        assert_eq!(
            udp_dump(true, Some(3)),
            Err(DumpError::Stopped),
            "a handler's Break ends the dump"
        );
        assert!(udp_dump(true, None).unwrap().len() >= held.len());
    }
}
