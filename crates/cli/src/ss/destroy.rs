//! `-K` and `-E` on the ss persona's side: which shown sockets are destroyed first, ss's
//! message when the kernel refuses, and the follow loop over destroy events (spec 2.6, 2.7).
//! The kernel requests themselves are `sockscope_query::kill`'s.

use std::io;
use std::ops::ControlFlow;

use sockscope_query::kill::{self, Destroyed, FollowEnd, Killer};
use sockscope_query::model::{family, Sock, Source, Table};
use sockscope_query::plan::{Plan, Visitor};

use crate::exit::strerror;

/// `-K`: a SOCK_DESTROY for every inet socket of a netlink dump that passed the filter, before
/// it is printed (ss's `show_one_inet_sock`).
pub(crate) struct Kill {
    /// None when the second netlink socket could not be opened: ss's dump then fails before
    /// it starts, which the fallbacks handle; here every dump is abandoned at its first socket.
    killer: Option<Killer>,
    /// The last refusal ended the current dump (see [`Visitor::take_dump_failure`]).
    failed: bool,
}

impl Kill {
    pub(crate) fn open() -> Kill {
        Kill {
            killer: Killer::open().ok(),
            failed: false,
        }
    }

    /// `Continue(true)`: destroyed (or not destroyable by ss's rules: /proc, replay, not
    /// inet), print it; `Continue(false)`: already gone or not supported, skip it silently;
    /// `Break`: refused, the message is printed and the dump must end.
    pub(crate) fn destroy(&mut self, sock: Sock<'_>) -> ControlFlow<(), bool> {
        let Sock::Inet(s) = sock else {
            return ControlFlow::Continue(true);
        };
        // /proc lines and TCPDIAG_FILE replays are printed, never destroyed.
        if s.source != Source::Netlink {
            return ControlFlow::Continue(true);
        }
        let Some(killer) = self.killer.as_mut() else {
            self.failed = true;
            return ControlFlow::Break(());
        };
        // Destroy events carry no table: ss asks with its IPPROTO_MAX there.
        let protocol = s
            .table
            .and_then(kill::dump_protocol)
            .unwrap_or(sockscope_netlink::consts::IPPROTO_MAX);
        match killer.destroy(s, protocol) {
            Destroyed::Yes => ControlFlow::Continue(true),
            Destroyed::Skipped => ControlFlow::Continue(false),
            Destroyed::Failed(errno) => {
                eprintln!(
                    "SOCK_DESTROY answers: {}",
                    strerror(&io::Error::from_raw_os_error(errno))
                );
                self.failed = true;
                ControlFlow::Break(())
            }
        }
    }

    pub(crate) fn take_failure(&mut self) -> bool {
        std::mem::take(&mut self.failed)
    }
}

/// A sink that can be followed: every accepted socket is printed by [`Visitor::socket`].
pub(crate) trait EventSink: Visitor {
    /// Called after every event, shown or not: renders what is buffered (ss renders after each
    /// message, so a header still alone when the first events are filtered out is printed
    /// alone, with its own widths) and flushes, so that each event is seen when it happens
    /// (ss leaves its stdout block-buffered; the bytes are the same).
    fn render_and_flush(&mut self) -> io::Result<()>;
    /// The write error that made [`Visitor::socket`] break, if that was the reason.
    fn take_write_error(&mut self) -> Option<io::Error>;
}

/// `-E`: joins the destroy-event groups of the selected tcp/udp tables and inet families and
/// prints every event that passes the family check and the filter, forever. Returns the exit
/// status for when it ends: 255 when no group is selected, the socket cannot be opened,
/// receiving fails (with ss's message) or an event cannot be handled; a write error is
/// reported like any other.
pub(crate) fn follow(plan: &Plan, sink: &mut dyn EventSink) -> i32 {
    let groups = kill::destroy_groups(
        plan.tables.contains(Table::Tcp),
        plan.tables.contains(Table::Udp),
        plan.families.contains(family::INET),
        plan.families.contains(family::INET6),
    );
    if groups == 0 {
        return 255;
    }
    let families = plan.families;
    let ended = kill::follow_destroy_events(groups, |sock| {
        let wanted = match sock {
            Sock::Inet(s) => families.contains(s.family),
            _ => true,
        };
        if wanted && sink.socket(sock).is_break() {
            return ControlFlow::Break(());
        }
        match sink.render_and_flush() {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                super::run::write_failed(&e);
                ControlFlow::Break(())
            }
        }
    });
    match ended {
        Ok(FollowEnd::Stopped) => match sink.take_write_error() {
            Some(e) => {
                super::run::write_failed(&e);
                255
            }
            None => 255,
        },
        Ok(FollowEnd::Recv(errno)) => {
            eprintln!(
                "netlink receive error {} ({})",
                strerror(&io::Error::from_raw_os_error(errno.0)),
                errno.0
            );
            255
        }
        Ok(FollowEnd::UnknownFamily(_)) | Err(_) => 255,
    }
}
