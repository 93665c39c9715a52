//! ss's IPv6 TCP request, dumped on another thread while the IPv4 one is shown
//! ([`TcpWalk::Concurrent`](crate::plan::TcpWalk::Concurrent)).
//!
//! Each of ss's two requests walks all of the kernel's TCP tables; on two cores both walks
//! run at once. The IPv6 sockets wait in a [`HeldInet`] until the IPv4 ones are shown, so the
//! output is ss's. This side prints nothing: a dump that does not end cleanly (an error, a
//! truncated datagram, a malformed message, a cancel) yields nothing, and the caller makes
//! ss's IPv6 request itself, which meets the same kernel and reports what ss would. A
//! [`Pending`] dump is always cancelled and joined before its scope ends, whichever way the
//! caller's requests end.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::{Scope, ScopedJoinHandle};

use sockscope_netlink::consts::{IPPROTO_TCP, SS_MAGIC_SEQ};
use sockscope_netlink::request;
use sockscope_netlink::{DumpHandler, NlMsgHeader, NlSocket, RecvBuffer};

use crate::diag;
use crate::held::HeldInet;
use crate::model::{family, Table};
use crate::plan::Plan;

/// ss's IPv6 TCP request running on a thread of `'scope`.
pub(crate) struct Pending<'scope, 'c> {
    handle: Option<ScopedJoinHandle<'scope, Option<AheadV6>>>,
    cancel: &'c AtomicBool,
}

impl<'scope, 'c> Pending<'scope, 'c> {
    /// Starts [`dump_ipv6`] on a thread of `scope`; `None` when no thread can be started.
    pub(crate) fn spawn<'env>(
        scope: &'scope Scope<'scope, 'env>,
        plan: &'env Plan,
        table: Table,
        ids: bool,
        cancel: &'c AtomicBool,
    ) -> Option<Pending<'scope, 'c>>
    where
        'c: 'scope,
    {
        let handle = std::thread::Builder::new()
            .name("tcp6-dump".into())
            .spawn_scoped(scope, move || dump_ipv6(plan, table, ids, cancel))
            .ok()?;
        Some(Pending {
            handle: Some(handle),
            cancel,
        })
    }

    /// Waits for the dump to end: its sockets when it ended cleanly.
    pub(crate) fn finish(&mut self) -> Option<AheadV6> {
        self.handle.take()?.join().ok().flatten()
    }

    /// Stops the dump (its sockets are not to be shown) and waits for the thread.
    pub(crate) fn abandon(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            // A panic on that thread is dropped with its sockets, not passed on.
            let _ = h.join();
        }
    }
}

impl Drop for Pending<'_, '_> {
    fn drop(&mut self) {
        self.abandon();
    }
}

/// The IPv6 sockets of a clean dump, in the kernel's order.
pub(crate) struct AheadV6 {
    pub(crate) held: HeldInet,
    /// The kernel flagged the dump NLM_F_DUMP_INTR.
    pub(crate) interrupted: bool,
}

struct Hold<'a> {
    held: HeldInet,
    table: Table,
    clean: bool,
    cancel: &'a AtomicBool,
}

impl DumpHandler for Hold<'_> {
    fn message(&mut self, _h: &NlMsgHeader, p: &[u8]) -> ControlFlow<()> {
        if self.cancel.load(Ordering::Relaxed) {
            self.clean = false;
            return ControlFlow::Break(());
        }
        match diag::inet::decode(p, Some(self.table), IPPROTO_TCP) {
            // ss skips what it cannot decode, and so does the caller's replay.
            None => ControlFlow::Continue(()),
            // ss would print a diagnostic here, between its sockets: let it.
            Some((_, Some(_deficit))) => {
                self.clean = false;
                ControlFlow::Break(())
            }
            Some((s, None)) => {
                if s.family == family::INET6 {
                    self.held.push(&s, IPPROTO_TCP);
                }
                ControlFlow::Continue(())
            }
        }
    }

    fn truncated(&mut self, _real_len: usize) {
        self.clean = false;
    }
}

/// Sends ss's IPv6 TCP request for `plan` on a socket of its own and holds every socket of
/// the answer (`ids`: see [`HeldInet::new`]). Stops early, yielding nothing, once `cancel`
/// is set.
pub(crate) fn dump_ipv6(
    plan: &Plan,
    table: Table,
    ids: bool,
    cancel: &AtomicBool,
) -> Option<AheadV6> {
    let sock = NlSocket::sock_diag().ok()?;
    let mut req = Vec::with_capacity(256);
    request::inet_diag_v2(
        &mut req,
        SS_MAGIC_SEQ,
        &plan.inet_request(family::INET6, IPPROTO_TCP),
    );
    sock.send(&req).ok()?;
    let mut h = Hold {
        held: HeldInet::new(ids),
        table,
        clean: true,
        cancel,
    };
    let summary = sock
        .dump_with(&mut RecvBuffer::new(), SS_MAGIC_SEQ, &mut h)
        .ok()?;
    h.clean.then_some(AheadV6 {
        held: h.held,
        interrupted: summary.interrupted,
    })
}
