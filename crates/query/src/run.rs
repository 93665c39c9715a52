//! Execution of a [`Plan`]: ss 6.1's `main` dump sequence (netlink, packet, unix, raw, udp,
//! tcp, dccp, sctp, vsock, tipc, xdp, mptcp), each kind's preconditions, its netlink request,
//! the inet v2 → legacy → /proc fallback chain, and ss's stderr texts for netlink errors
//! (spec sections 2.1–2.5, 2.9, 1.4).
//!
//! One receive buffer and one request buffer serve the whole run; a fresh socket is opened per
//! kind (as ss does), plus one with its own buffers for TCP's IPv6 request when it runs
//! concurrently ([`crate::ahead`]). Sockets are decoded on the stack and handed to the
//! [`Visitor`] by reference; nothing is allocated per socket.

use std::io::Write;
use std::ops::ControlFlow;
use std::sync::atomic::AtomicBool;

use sockscope_netlink::consts::*;
use sockscope_netlink::request::{self, InetRequest};
use sockscope_netlink::{
    DumpError, DumpHandler, DumpSummary, Messages, NlMsgHeader, NlSocket, RecvBuffer,
};

use crate::ahead::Pending;
use crate::diag;
use crate::held::{HeldInet, HELD_EXT};
use crate::model::{family, state, Sock, Table};
use crate::plan::{Plan, TcpWalk, Visitor};
use crate::procfs::{self, inet::InetProcKind, ReadOutcome};
use crate::replay;
use crate::QueryError;

/// Why a message callback stopped the dump.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stop {
    /// The visitor returned `Break`: the whole run ends.
    Visitor,
    /// ss's callback returned -1 (packet socket without MEMINFO): the dump fails.
    Abort,
}

/// Result of one netlink dump attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    Ok,
    Failed,
    /// Visitor stop or fatal error: do nothing more.
    Halt,
}

struct Handler<'v, 't, 'w, F> {
    v: &'v mut dyn Visitor,
    f: F,
    why: Option<Stop>,
    /// `ss -D`: every datagram is written here and messages are not decoded.
    tee: Option<&'t mut (dyn Write + 'w)>,
    tee_err: Option<std::io::Error>,
    /// For [`Visitor::upcoming_inodes`]: how to find a message's inode, and the list reused
    /// for every datagram.
    hints: Option<(InodeOf, Vec<u32>)>,
}

/// Reads the socket inode from a dump message's payload.
type InodeOf = fn(&[u8]) -> Option<u32>;

fn inet_inode(p: &[u8]) -> Option<u32> {
    sockscope_netlink::diag::InetDiagMsg::parse(p).map(|(m, _)| m.inode())
}

fn unix_inode(p: &[u8]) -> Option<u32> {
    sockscope_netlink::diag::UnixDiagMsg::parse(p).map(|(m, _)| m.inode())
}

impl<F> DumpHandler for Handler<'_, '_, '_, F>
where
    F: FnMut(&mut dyn Visitor, &NlMsgHeader, &[u8]) -> ControlFlow<Stop>,
{
    fn message(&mut self, h: &NlMsgHeader, p: &[u8]) -> ControlFlow<()> {
        if self.tee.is_some() {
            return ControlFlow::Continue(());
        }
        self.decode(h, p)
    }

    fn datagram(&mut self, bytes: &[u8]) {
        if let Some(w) = self.tee.as_mut() {
            if self.tee_err.is_none() {
                if let Err(e) = w.write_all(bytes) {
                    self.tee_err = Some(e);
                }
            }
        } else if let Some((inode_of, list)) = self.hints.as_mut().filter(|_| !self.v.waiting()) {
            list.clear();
            list.extend(Messages::new(bytes).filter_map(|(_, p)| inode_of(p)));
            self.v.upcoming_inodes(list);
        }
    }

    fn truncated(&mut self, _real_len: usize) {
        self.v.diagnostic("Message truncated");
    }
}

impl<F> Handler<'_, '_, '_, F>
where
    F: FnMut(&mut dyn Visitor, &NlMsgHeader, &[u8]) -> ControlFlow<Stop>,
{
    fn decode(&mut self, h: &NlMsgHeader, p: &[u8]) -> ControlFlow<()> {
        match (self.f)(&mut *self.v, h, p) {
            ControlFlow::Continue(()) => ControlFlow::Continue(()),
            ControlFlow::Break(w) => {
                self.why = Some(w);
                ControlFlow::Break(())
            }
        }
    }
}

const DUMP_INTERRUPTED: &str = "Dump was interrupted and may be inconsistent.";

fn deficit_text(d: (isize, u16)) -> String {
    format!("!!!Deficit {}, rta_len={}", d.0, d.1)
}

/// Held sockets whose inodes are hinted together (about one datagram's worth).
const HINT_RUN: usize = 64;

/// Shows held TCP sockets of a one-walk dump. A visitor that wants inode hints gets them for
/// each run of [`HINT_RUN`] sockets before they are shown, as it would per datagram.
fn replay_to(held: &HeldInet, table: Table, v: &mut dyn Visitor) -> ControlFlow<()> {
    if held.is_empty() {
        return ControlFlow::Continue(());
    }
    if !v.wants_inode_hints() {
        return held.replay(Some(table), IPPROTO_TCP, |s| v.socket(Sock::Inet(s)));
    }
    let mut inodes = Vec::new();
    let _ = held.replay(None, IPPROTO_TCP, |s| {
        inodes.push(s.inode);
        ControlFlow::Continue(())
    });
    let mut at = 0;
    held.replay(Some(table), IPPROTO_TCP, |s| {
        if at % HINT_RUN == 0 {
            let run = inodes.get(at..).unwrap_or_default();
            v.upcoming_inodes(&run[..run.len().min(HINT_RUN)]);
        }
        at += 1;
        v.socket(Sock::Inet(s))
    })
}

/// How [`Runner::tcp_one_walk`] ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OneWalk {
    /// Every socket was shown, or the run was stopped.
    Done,
    /// Failed after showing sockets (reported): go on as after a failed legacy request.
    Failed,
    /// Failed before showing anything (not reported): make ss's requests instead.
    NothingShown,
}

/// One kind's dump function.
type Step<'r> = fn(&mut Runner<'r>);

pub(crate) struct Runner<'a> {
    plan: &'a Plan,
    v: &'a mut dyn Visitor,
    rb: RecvBuffer,
    req: Vec<u8>,
    fatal: Option<QueryError>,
    stopped: bool,
    hz: Option<u32>,
}

impl<'a> Runner<'a> {
    pub(crate) fn new(plan: &'a Plan, v: &'a mut dyn Visitor) -> Runner<'a> {
        Runner {
            plan,
            v,
            rb: RecvBuffer::new(),
            req: Vec::with_capacity(256),
            fatal: None,
            stopped: false,
            hz: None,
        }
    }

    fn halted(&self) -> bool {
        self.stopped || self.fatal.is_some()
    }

    fn hz(&mut self) -> u32 {
        *self.hz.get_or_insert_with(procfs::user_hz)
    }

    /// ss 6.1 `main`: every enabled kind in its fixed order.
    pub(crate) fn run(mut self) -> Result<(), QueryError> {
        let t = self.plan.tables;
        let steps: [(bool, Step<'a>); 12] = [
            (t.contains(Table::Netlink), Runner::netlink_show),
            (
                t.contains(Table::PacketRaw) || t.contains(Table::PacketDgram),
                Runner::packet_show,
            ),
            (
                t.contains(Table::UnixStream)
                    || t.contains(Table::UnixDgram)
                    || t.contains(Table::UnixSeqpacket),
                Runner::unix_show,
            ),
            (t.contains(Table::Raw), Runner::raw_show),
            (t.contains(Table::Udp), Runner::udp_show),
            (t.contains(Table::Tcp), Runner::tcp_show),
            (t.contains(Table::Dccp), Runner::dccp_show),
            (t.contains(Table::Sctp), Runner::sctp_show),
            (
                t.contains(Table::VsockStream) || t.contains(Table::VsockDgram),
                Runner::vsock_show,
            ),
            (t.contains(Table::Tipc), Runner::tipc_show),
            (t.contains(Table::Xdp), Runner::xdp_show),
            (t.contains(Table::Mptcp), Runner::mptcp_show),
        ];
        for (enabled, step) in steps {
            if enabled {
                step(&mut self);
            }
            if self.halted() {
                break;
            }
        }
        match self.fatal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    // ---- shared machinery --------------------------------------------------------------------

    fn open(&mut self) -> Option<NlSocket> {
        match NlSocket::sock_diag() {
            Ok(s) => Some(s),
            Err(e) => {
                self.v.diagnostic(&e.to_string());
                None
            }
        }
    }

    /// Prints what iproute2's dump loop prints for `e` (spec 2.2); a remnant is fatal.
    fn report(&mut self, e: &DumpError, suppress: bool) {
        let text = match e {
            DumpError::Send(_) | DumpError::Stopped => return,
            DumpError::Recv(errno) => format!("netlink receive error {} ({})", errno, errno.0),
            DumpError::Eof => "EOF on netlink".to_string(),
            DumpError::DoneTruncated => "DONE truncated".to_string(),
            DumpError::Done { errno, ext_ack } => {
                match ext_ack.as_deref().filter(|m| !m.is_empty()) {
                    Some(m) => {
                        let dot = if m.ends_with('.') { "" } else { "." };
                        format!("Error: {m}{dot}")
                    }
                    None => match *errno {
                        libc::ENOENT | libc::EOPNOTSUPP => return,
                        libc::EMSGSIZE => "Error: Buffer too small for object.".to_string(),
                        n => format!("RTNETLINK answers: {}", sockscope_netlink::strerror(n)),
                    },
                }
            }
            DumpError::ErrorTruncated => "ERROR truncated".to_string(),
            DumpError::Error { errno, .. } => {
                // Sockets are NETLINK_SOCK_DIAG here: ENOENT/EOPNOTSUPP are silent.
                if matches!(*errno, libc::ENOENT | libc::EOPNOTSUPP) || suppress {
                    return;
                }
                format!("RTNETLINK answers: {}", sockscope_netlink::strerror(*errno))
            }
            DumpError::Remnant(n) => {
                self.v.diagnostic(&format!("!!!Remnant of size {n}"));
                self.fatal = Some(QueryError::Remnant(*n));
                return;
            }
        };
        self.v.diagnostic(&text);
    }

    /// Runs one dump on `sock` (request already sent) and reports errors like ss.
    fn dump_on<'w, F>(
        &mut self,
        sock: &NlSocket,
        suppress: bool,
        tee: Option<&mut (dyn Write + 'w)>,
        inode_of: Option<InodeOf>,
        f: F,
    ) -> Outcome
    where
        F: FnMut(&mut dyn Visitor, &NlMsgHeader, &[u8]) -> ControlFlow<Stop>,
    {
        let (r, why) = self.dump_raw(sock, tee, inode_of, f);
        self.conclude(r, why, suppress)
    }

    /// Runs one dump on `sock` (request already sent); reports nothing but a write error of
    /// `tee`. Returns the dump's result and why the callback stopped it, if it did.
    fn dump_raw<'w, F>(
        &mut self,
        sock: &NlSocket,
        tee: Option<&mut (dyn Write + 'w)>,
        inode_of: Option<InodeOf>,
        f: F,
    ) -> (Result<DumpSummary, DumpError>, Option<Stop>)
    where
        F: FnMut(&mut dyn Visitor, &NlMsgHeader, &[u8]) -> ControlFlow<Stop>,
    {
        let hinted = inode_of.filter(|_| self.v.wants_inode_hints());
        let mut h = Handler {
            v: &mut *self.v,
            f,
            why: None,
            tee,
            tee_err: None,
            hints: hinted.map(|f| (f, Vec::new())),
        };
        let r = if self.plan.prefetch_ahead >= 2 && h.tee.is_none() {
            sock.dump_prefetched(&mut self.rb, SS_MAGIC_SEQ, &mut h, self.plan.prefetch_ahead)
        } else {
            sock.dump_with(&mut self.rb, SS_MAGIC_SEQ, &mut h)
        };
        let why = h.why;
        if let Some(e) = h.tee_err.take() {
            if self.fatal.is_none() {
                self.fatal = Some(QueryError::Write(e));
            }
        }
        (r, why)
    }

    /// Turns a dump's result into an [`Outcome`], printing what ss prints for it.
    fn conclude(
        &mut self,
        r: Result<DumpSummary, DumpError>,
        why: Option<Stop>,
        suppress: bool,
    ) -> Outcome {
        match r {
            Ok(sum) => {
                if sum.interrupted {
                    self.v.diagnostic(DUMP_INTERRUPTED);
                }
                if self.halted() {
                    Outcome::Halt
                } else {
                    Outcome::Ok
                }
            }
            Err(DumpError::Stopped) if why == Some(Stop::Visitor) => {
                self.stopped = true;
                Outcome::Halt
            }
            Err(e) => {
                self.report(&e, suppress);
                if self.halted() {
                    Outcome::Halt
                } else {
                    Outcome::Failed
                }
            }
        }
    }

    /// iproute2 `handle_netlink_request`: open, send the request in `self.req`, dump.
    fn simple_dump<F>(&mut self, inode_of: Option<InodeOf>, f: F) -> Outcome
    where
        F: FnMut(&mut dyn Visitor, &NlMsgHeader, &[u8]) -> ControlFlow<Stop>,
    {
        let Some(sock) = self.open() else {
            return Outcome::Failed;
        };
        if sock.send(&self.req).is_err() {
            return Outcome::Failed;
        }
        self.dump_on(&sock, false, None, inode_of, f)
    }

    fn first_enabled(&self, tables: &[Table]) -> Option<Table> {
        tables
            .iter()
            .copied()
            .find(|t| self.plan.tables.contains(*t))
    }

    fn inet_families(&self) -> bool {
        self.plan.families.contains(family::INET) || self.plan.families.contains(family::INET6)
    }

    // ---- inet --------------------------------------------------------------------------------

    /// iproute2 `inet_show_netlink` (spec 2.4). Returns true when every step succeeded.
    fn inet_netlink<'w>(
        &mut self,
        protocol: u16,
        table: Table,
        tee: Option<&mut (dyn Write + 'w)>,
    ) -> bool {
        let Some(sock) = self.open() else {
            return false;
        };
        let preferred = self.plan.preferred_family;
        let fam = if preferred == family::INET6 {
            family::INET6
        } else {
            family::INET
        };
        if protocol == IPPROTO_TCP && tee.is_none() && self.held_walk_applies() {
            match self.plan.tcp_walk {
                TcpWalk::Concurrent { ids } => return self.tcp_concurrent(sock, table, ids),
                TcpWalk::Once { .. } => match self.tcp_one_walk(table) {
                    OneWalk::Done => return true,
                    OneWalk::Failed => return false,
                    OneWalk::NothingShown => {}
                },
                TcpWalk::PerFamily => {}
            }
        }
        self.inet_requests(sock, protocol, table, tee, fam, None)
    }

    /// ss's requests from `fam` on, with its fallbacks (spec 2.4). `ahead`: the IPv6 request,
    /// dumped meanwhile on another thread; when it ended cleanly its answer stands for the
    /// IPv6 request, else that request is made here. It is abandoned when ss falls back to
    /// one legacy request.
    fn inet_requests<'w>(
        &mut self,
        sock: NlSocket,
        protocol: u16,
        table: Table,
        mut tee: Option<&mut (dyn Write + 'w)>,
        mut fam: u8,
        mut ahead: Option<&mut Pending<'_, '_>>,
    ) -> bool {
        let preferred = self.plan.preferred_family;
        let suppress = protocol > 255;
        let families = self.plan.families;
        let bytecode = if tee.is_some() {
            None
        } else {
            self.plan.bytecode.as_deref()
        };
        loop {
            let r = InetRequest {
                bytecode,
                ..self.plan.inet_request(fam, protocol)
            };
            self.req.clear();
            if fam != family::UNSPEC {
                request::inet_diag_v2(&mut self.req, SS_MAGIC_SEQ, &r);
            } else if !request::inet_diag_legacy(&mut self.req, SS_MAGIC_SEQ, &r) {
                return false;
            }
            if sock.send(&self.req).is_err() {
                return false;
            }
            let out = self.dump_on(
                &sock,
                suppress,
                tee.as_deref_mut(),
                Some(inet_inode),
                |v, _h, p| {
                    let Some((s, deficit)) = diag::inet::decode(p, Some(table), protocol) else {
                        return ControlFlow::Continue(());
                    };
                    if !families.contains(s.family) {
                        return ControlFlow::Continue(());
                    }
                    if let Some(d) = deficit {
                        v.diagnostic(&deficit_text(d));
                    }
                    match v.socket(Sock::Inet(&s)) {
                        ControlFlow::Continue(()) => ControlFlow::Continue(()),
                        ControlFlow::Break(()) if v.take_dump_failure() => {
                            ControlFlow::Break(Stop::Abort)
                        }
                        ControlFlow::Break(()) => ControlFlow::Break(Stop::Visitor),
                    }
                },
            );
            match out {
                Outcome::Halt => return true,
                Outcome::Failed => {
                    if fam != family::UNSPEC {
                        fam = family::UNSPEC;
                        if let Some(a) = ahead.as_deref_mut() {
                            a.abandon();
                        }
                        continue;
                    }
                    return false;
                }
                Outcome::Ok => {
                    if fam == family::INET && preferred != family::INET {
                        fam = family::INET6;
                        if let Some(a) = ahead.as_deref_mut().and_then(Pending::finish) {
                            if replay_to(&a.held, table, &mut *self.v).is_break() {
                                self.stopped = true;
                            } else if a.interrupted {
                                self.v.diagnostic(DUMP_INTERRUPTED);
                            }
                            return true;
                        }
                        continue;
                    }
                    return true;
                }
            }
        }
    }

    /// TCP's two families as ss asks for them, the IPv6 request dumped on another thread
    /// while the IPv4 one is shown: see [`TcpWalk::Concurrent`] and [`crate::ahead`].
    fn tcp_concurrent(&mut self, sock: NlSocket, table: Table, ids: bool) -> bool {
        let plan = self.plan;
        let cancel = AtomicBool::new(false);
        std::thread::scope(|scope| {
            // Without a thread, the IPv6 request is simply made after the IPv4 one. Dropping
            // the pending dump (shown already, or not to be shown) cancels and joins it.
            let mut ahead = Pending::spawn(scope, plan, table, ids, &cancel);
            self.inet_requests(sock, IPPROTO_TCP, table, None, family::INET, ahead.as_mut())
        })
    }

    /// Whether TCP's IPv6 sockets may be held while the IPv4 ones are shown: see [`TcpWalk`].
    fn held_walk_applies(&self) -> bool {
        let p = self.plan;
        p.tcp_walk != TcpWalk::PerFamily
            && p.preferred_family == family::UNSPEC
            && p.families.contains(family::INET)
            && p.families.contains(family::INET6)
            && p.inet_ext & !HELD_EXT == 0
    }

    /// Both families of TCP from one walk of the kernel's tables: the legacy request, which
    /// the kernel answers for AF_UNSPEC, where ss's two v2 requests walk the tables once per
    /// family (at a million sockets the second walk costs a third of the dump). IPv4 sockets
    /// are shown as they come, IPv6 ones wait in a [`HeldInet`] until the walk is over, so the
    /// order is ss's: each family in the kernel's order, IPv4 first.
    ///
    /// When the walk fails before anything was shown, nothing is reported and ss's own
    /// requests follow (meeting the same error and reporting it as ss does). A failure after
    /// sockets were shown is reported, and the legacy request having failed, TCP goes on from
    /// /proc, as in ss.
    fn tcp_one_walk(&mut self, table: Table) -> OneWalk {
        let Ok(sock) = NlSocket::sock_diag() else {
            return OneWalk::NothingShown;
        };
        // The legacy request asks for both families whatever the family given here.
        let r = self.plan.inet_request(family::INET, IPPROTO_TCP);
        self.req.clear();
        if !request::inet_diag_legacy(&mut self.req, SS_MAGIC_SEQ, &r)
            || sock.send(&self.req).is_err()
        {
            return OneWalk::NothingShown;
        }
        // IPv6 sockets wait for the end of the walk; IPv4 ones only while the visitor waits.
        let ids = self.plan.tcp_walk.held_ids();
        let mut held6 = HeldInet::new(ids);
        let mut held4 = HeldInet::new(ids);
        let mut shown = false;
        let (r, why) = self.dump_raw(&sock, None, Some(inet_inode), |v, _h, p| {
            let Some((s, deficit)) = diag::inet::decode(p, Some(table), IPPROTO_TCP) else {
                return ControlFlow::Continue(());
            };
            if let Some(d) = deficit {
                v.diagnostic(&deficit_text(d));
            }
            match s.family {
                family::INET => {}
                family::INET6 => {
                    held6.push(&s, IPPROTO_TCP);
                    return ControlFlow::Continue(());
                }
                _ => return ControlFlow::Continue(()),
            }
            if v.waiting() {
                held4.push(&s, IPPROTO_TCP);
                return ControlFlow::Continue(());
            }
            shown = true;
            let mut flow = ControlFlow::Continue(());
            if !held4.is_empty() {
                flow = replay_to(&held4, table, v);
                held4.clear();
            }
            if flow.is_continue() {
                flow = v.socket(Sock::Inet(&s));
            }
            match flow {
                ControlFlow::Continue(()) => ControlFlow::Continue(()),
                ControlFlow::Break(()) if v.take_dump_failure() => ControlFlow::Break(Stop::Abort),
                ControlFlow::Break(()) => ControlFlow::Break(Stop::Visitor),
            }
        });
        if r.is_err() && !shown && why.is_none() {
            return OneWalk::NothingShown;
        }
        match self.conclude(r, why, false) {
            Outcome::Halt => OneWalk::Done,
            Outcome::Failed => OneWalk::Failed,
            Outcome::Ok => {
                let v = &mut *self.v;
                if replay_to(&held4, table, v).is_break() || replay_to(&held6, table, v).is_break()
                {
                    self.stopped = true;
                }
                OneWalk::Done
            }
        }
    }

    /// The /proc fallback of tcp/udp/raw: v4 file required (when AF_INET is wanted), v6 file
    /// optional; a failing v4 file skips v6 (ss's `goto outerr`).
    fn inet_proc(&mut self, kind: InetProcKind) {
        let s = &self.plan.sources;
        let (o4, n4, o6, n6) = match kind {
            InetProcKind::Tcp => (&s.proc_net_tcp, "net/tcp", &s.proc_net_tcp6, "net/tcp6"),
            InetProcKind::Udp => (&s.proc_net_udp, "net/udp", &s.proc_net_udp6, "net/udp6"),
            InetProcKind::Raw => (&s.proc_net_raw, "net/raw", &s.proc_net_raw6, "net/raw6"),
        };
        let p4 = procfs::proc_path(s, o4.as_deref(), n4);
        let p6 = procfs::proc_path(s, o6.as_deref(), n6);
        let hz = if kind == InetProcKind::Tcp {
            self.hz()
        } else {
            0
        };
        let states = self.plan.states;
        let families = self.plan.families;
        for (fam, path, required) in [(family::INET, p4, true), (family::INET6, p6, false)] {
            if !families.contains(fam) {
                continue;
            }
            let Some(data) = procfs::read_file(&path) else {
                if required {
                    return;
                }
                continue;
            };
            let v = &mut *self.v;
            let mut stop = false;
            let r = procfs::inet::read_file(&data, fam, kind, states, hz, &mut |sock| {
                let f = v.socket(Sock::Inet(sock));
                stop = f.is_break();
                f
            });
            if stop || r == ReadOutcome::Stopped {
                self.stopped = true;
                return;
            }
            if r == ReadOutcome::Failed {
                return;
            }
        }
    }

    fn raw_show(&mut self) {
        if !self.inet_families() {
            return;
        }
        self.v.dump_started(Table::Raw);
        let s = &self.plan.sources;
        if s.proc_root.is_none()
            && s.proc_net_raw.is_none()
            && self.inet_netlink(IPPROTO_RAW, Table::Raw, None)
        {
            return;
        }
        if !self.halted() {
            self.inet_proc(InetProcKind::Raw);
        }
    }

    fn udp_show(&mut self) {
        if !self.inet_families() {
            return;
        }
        self.v.dump_started(Table::Udp);
        let s = &self.plan.sources;
        if s.proc_root.is_none()
            && s.proc_net_udp.is_none()
            && self.inet_netlink(IPPROTO_UDP, Table::Udp, None)
        {
            return;
        }
        if !self.halted() {
            self.inet_proc(InetProcKind::Udp);
        }
    }

    fn tcp_show(&mut self) {
        if !self.inet_families() {
            return;
        }
        self.v.dump_started(Table::Tcp);
        if let Some(path) = self.plan.sources.tcpdiag_file.clone() {
            if replay::replay_tcpdiag_file(&path, &mut *self.v).is_break() {
                self.stopped = true;
            }
            return;
        }
        let s = &self.plan.sources;
        if s.proc_root.is_none()
            && s.proc_net_tcp.is_none()
            && self.inet_netlink(IPPROTO_TCP, Table::Tcp, None)
        {
            return;
        }
        if !self.halted() {
            self.inet_proc(InetProcKind::Tcp);
        }
    }

    /// dccp, sctp, mptcp: netlink only, nothing on failure.
    fn inet_only_netlink(&mut self, protocol: u16, table: Table, disabled: bool) {
        if !self.inet_families() {
            return;
        }
        self.v.dump_started(table);
        if !disabled && self.plan.sources.proc_root.is_none() {
            self.inet_netlink(protocol, table, None);
        }
    }

    fn dccp_show(&mut self) {
        self.inet_only_netlink(IPPROTO_DCCP, Table::Dccp, self.plan.sources.disable_dccp);
    }

    fn sctp_show(&mut self) {
        self.inet_only_netlink(IPPROTO_SCTP, Table::Sctp, self.plan.sources.disable_sctp);
    }

    fn mptcp_show(&mut self) {
        self.inet_only_netlink(IPPROTO_MPTCP, Table::Mptcp, self.plan.sources.disable_mptcp);
    }

    /// `ss -D`: the TCP dump sequence with every received datagram written to `out`.
    pub(crate) fn write_tcp_dump(mut self, out: &mut dyn Write) -> Result<(), QueryError> {
        self.inet_netlink(IPPROTO_TCP, Table::Tcp, Some(out));
        match self.fatal.take() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    // ---- unix --------------------------------------------------------------------------------

    fn unix_show(&mut self) {
        if !self.plan.families.contains(family::UNIX) {
            return;
        }
        if let Some(t) =
            self.first_enabled(&[Table::UnixDgram, Table::UnixStream, Table::UnixSeqpacket])
        {
            self.v.dump_started(t);
        }
        let s = &self.plan.sources;
        if s.proc_root.is_none() && s.proc_net_unix.is_none() {
            self.req.clear();
            request::unix_diag(
                &mut self.req,
                SS_MAGIC_SEQ,
                self.plan.states,
                self.plan.unix_show,
            );
            let tables = self.plan.tables;
            let out = self.simple_dump(Some(unix_inode), |v, _h, p| {
                let Some((s, deficit)) = diag::unix::decode(p) else {
                    return ControlFlow::Continue(());
                };
                if procfs::unix::unix_type_skipped(s.sock_type as u32, tables) {
                    return ControlFlow::Continue(());
                }
                if let Some(d) = deficit {
                    v.diagnostic(&deficit_text(d));
                }
                v.socket(Sock::Unix(&s)).map_break(|()| Stop::Visitor)
            });
            if out != Outcome::Failed {
                return;
            }
        }
        let path = procfs::proc_path(
            &self.plan.sources,
            self.plan.sources.proc_net_unix.as_deref(),
            "net/unix",
        );
        let Some(data) = procfs::read_file(&path) else {
            return;
        };
        let (states, tables) = (self.plan.states, self.plan.tables);
        let v = &mut *self.v;
        if procfs::unix::read_file(&data, states, tables, &mut |s| v.socket(Sock::Unix(s)))
            == ReadOutcome::Stopped
        {
            self.stopped = true;
        }
    }

    // ---- packet ------------------------------------------------------------------------------

    fn packet_show(&mut self) {
        if !self.plan.families.contains(family::PACKET)
            || self.plan.states & (1 << state::CLOSE) == 0
        {
            return;
        }
        if let Some(t) = self.first_enabled(&[Table::PacketDgram, Table::PacketRaw]) {
            self.v.dump_started(t);
        }
        let s = &self.plan.sources;
        if s.proc_root.is_none() && s.proc_net_packet.is_none() {
            self.req.clear();
            request::packet_diag(
                &mut self.req,
                SS_MAGIC_SEQ,
                PACKET_SHOW_INFO
                    | PACKET_SHOW_MEMINFO
                    | PACKET_SHOW_FILTER
                    | PACKET_SHOW_RING_CFG
                    | PACKET_SHOW_FANOUT,
            );
            let out = self.simple_dump(None, |v, _h, p| {
                let Some((s, deficit)) = diag::packet::decode(p) else {
                    return ControlFlow::Continue(());
                };
                if let Some(d) = deficit {
                    v.diagnostic(&deficit_text(d));
                }
                // ss: "use /proc/net/packet if all info are not available".
                if s.meminfo.is_none() {
                    return ControlFlow::Break(Stop::Abort);
                }
                v.socket(Sock::Packet(&s)).map_break(|()| Stop::Visitor)
            });
            if out != Outcome::Failed {
                return;
            }
        }
        let path = procfs::proc_path(
            &self.plan.sources,
            self.plan.sources.proc_net_packet.as_deref(),
            "net/packet",
        );
        let Some(data) = procfs::read_file(&path) else {
            return;
        };
        let v = &mut *self.v;
        if procfs::packet::read_file(&data, &mut |s| v.socket(Sock::Packet(s)))
            == ReadOutcome::Stopped
        {
            self.stopped = true;
        }
    }

    // ---- netlink -----------------------------------------------------------------------------

    fn netlink_show(&mut self) {
        if !self.plan.families.contains(family::NETLINK)
            || self.plan.states & (1 << state::CLOSE) == 0
        {
            return;
        }
        self.v.dump_started(Table::Netlink);
        let s = &self.plan.sources;
        if s.proc_root.is_none() && s.proc_net_netlink.is_none() {
            self.req.clear();
            request::netlink_diag(
                &mut self.req,
                SS_MAGIC_SEQ,
                NDIAG_PROTO_ALL,
                NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO,
            );
            let out = self.simple_dump(None, |v, _h, p| {
                let Some((s, deficit)) = diag::netlink::decode(p) else {
                    return ControlFlow::Continue(());
                };
                if let Some(d) = deficit {
                    v.diagnostic(&deficit_text(d));
                }
                v.socket(Sock::Netlink(&s)).map_break(|()| Stop::Visitor)
            });
            if out != Outcome::Failed {
                return;
            }
        }
        let path = procfs::proc_path(
            &self.plan.sources,
            self.plan.sources.proc_net_netlink.as_deref(),
            "net/netlink",
        );
        let Some(data) = procfs::read_file(&path) else {
            return;
        };
        let v = &mut *self.v;
        if procfs::netlink::read_file(&data, &mut |s| v.socket(Sock::Netlink(s)))
            == ReadOutcome::Stopped
        {
            self.stopped = true;
        }
    }

    // ---- vsock, tipc, xdp (netlink only, even with PROC_ROOT) --------------------------------

    fn vsock_show(&mut self) {
        if !self.plan.families.contains(family::VSOCK) {
            return;
        }
        if let Some(t) = self.first_enabled(&[Table::VsockStream, Table::VsockDgram]) {
            self.v.dump_started(t);
        }
        self.req.clear();
        request::vsock_diag(&mut self.req, SS_MAGIC_SEQ, self.plan.states);
        let tables = self.plan.tables;
        self.simple_dump(None, |v, _h, p| {
            let Some(s) = diag::other::decode_vsock(p) else {
                return ControlFlow::Continue(());
            };
            // ss's vsock_type_skip: only STREAM and DGRAM are checked against the tables.
            let skip = match s.sock_type {
                1 => !tables.contains(Table::VsockStream),
                2 => !tables.contains(Table::VsockDgram),
                _ => false,
            };
            if skip {
                return ControlFlow::Continue(());
            }
            v.socket(Sock::Vsock(&s)).map_break(|()| Stop::Visitor)
        });
    }

    /// TIPC: the request is made like ss, but the model has no TIPC socket type yet, so
    /// replies are consumed and not reported. (This kernel has no TIPC: the request gets
    /// ENOENT, silently, exactly as with ss.)
    fn tipc_show(&mut self) {
        self.v.dump_started(Table::Tipc);
        self.req.clear();
        request::tipc_diag(&mut self.req, SS_MAGIC_SEQ, self.plan.states);
        self.simple_dump(None, |_, _, _| ControlFlow::Continue(()));
    }

    fn xdp_show(&mut self) {
        if !self.plan.families.contains(family::XDP) || self.plan.states & (1 << state::CLOSE) == 0
        {
            return;
        }
        self.v.dump_started(Table::Xdp);
        self.req.clear();
        request::xdp_diag(
            &mut self.req,
            SS_MAGIC_SEQ,
            XDP_SHOW_INFO | XDP_SHOW_RING_CFG | XDP_SHOW_UMEM | XDP_SHOW_MEMINFO | XDP_SHOW_STATS,
        );
        self.simple_dump(None, |v, _h, p| {
            let Some((s, deficit)) = diag::other::decode_xdp(p) else {
                return ControlFlow::Continue(());
            };
            if let Some(d) = deficit {
                v.diagnostic(&deficit_text(d));
            }
            v.socket(Sock::Xdp(&s)).map_break(|()| Stop::Visitor)
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ahead;
    use crate::model::TableSet;
    use crate::plan::{FamilySet, Sources};

    #[derive(Default)]
    struct Rec {
        events: Vec<String>,
        diags: Vec<String>,
        stop_after: Option<usize>,
        seen: usize,
        /// [`Visitor::waiting`] answers true this many times.
        waits: std::cell::Cell<usize>,
        /// (family, sport, dport) of every inet socket, in order.
        inet: Vec<(u8, u16, u16)>,
    }

    impl Visitor for Rec {
        fn waiting(&self) -> bool {
            let n = self.waits.get();
            self.waits.set(n.saturating_sub(1));
            n > 0
        }
        fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
            let e = match sock {
                Sock::Inet(s) => {
                    self.inet.push((s.family, s.sport, s.dport));
                    format!("inet {:?} {} {} {:?}", s.table, s.family, s.sport, s.source)
                }
                Sock::Unix(s) => format!("unix {} {}", s.sock_type, s.inode),
                Sock::Packet(s) => format!("packet {} {:?}", s.inode, s.source),
                Sock::Netlink(s) => format!("netlink {} {:?}", s.protocol, s.source),
                Sock::Vsock(_) => "vsock".into(),
                Sock::Xdp(_) => "xdp".into(),
            };
            self.events.push(e);
            self.seen += 1;
            if self.stop_after == Some(self.seen) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        }
        fn dump_started(&mut self, t: Table) {
            self.events.push(format!("start {t:?}"));
        }
        fn diagnostic(&mut self, text: &str) {
            self.diags.push(text.to_string());
        }
    }

    fn all_plan(root: &std::path::Path) -> Plan {
        let mut tables = TableSet::default();
        for t in Table::ALL {
            if t != Table::Tipc {
                tables.insert(t);
            }
        }
        let mut families = FamilySet::default();
        for f in [
            family::INET,
            family::INET6,
            family::UNIX,
            family::PACKET,
            family::NETLINK,
        ] {
            families.insert(f);
        }
        Plan {
            tables,
            families,
            states: 0xfff,
            unix_show: 0x15,
            sources: Sources {
                proc_root: Some(root.to_path_buf()),
                ..Sources::default()
            },
            ..Plan::default()
        }
    }

    fn fake_proc(tag: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("sockscope-run-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(d.join("net")).unwrap();
        let hdr = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
        let line = |port: &str| {
            format!("   0: 0100007F:{port} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 11 1 0000000000000000 100 0 0 10 0\n")
        };
        std::fs::write(d.join("net/tcp"), format!("{hdr}{}", line("0016"))).unwrap();
        std::fs::write(d.join("net/udp"), format!("{hdr}{}", line("0035"))).unwrap();
        std::fs::write(d.join("net/raw"), format!("{hdr}{}", line("0001"))).unwrap();
        std::fs::write(
            d.join("net/unix"),
            "Num       RefCount Protocol Flags    Type St Inode Path\n00000000328054d7: 00000002 00000000 00010000 0001 01  9 /s\n",
        )
        .unwrap();
        std::fs::write(
            d.join("net/packet"),
            "sk RefCnt Type Proto Iface R Rmem User Inode\n0 3 3 0003 0 1 0 0 77\n",
        )
        .unwrap();
        std::fs::write(
            d.join("net/netlink"),
            "sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode\n0 0 0 00000000 0 0 0 2 0 4\n",
        )
        .unwrap();
        d
    }

    /// PROC_ROOT: every kind comes from /proc in ss's order; dccp/sctp/mptcp are silent; the
    /// missing tcp6/udp6/raw6 files are skipped.
    #[test]
    fn proc_root_order_and_sources() {
        let d = fake_proc("order");
        let plan = all_plan(&d);
        let mut r = Rec::default();
        crate::plan::run(&plan, &mut r).unwrap();
        assert_eq!(
            r.events,
            vec![
                "start Netlink",
                "netlink 0 Proc",
                "start PacketDgram",
                "packet 77 Proc",
                "start UnixDgram",
                "unix 1 9",
                "start Raw",
                "inet Some(Raw) 2 1 Proc",
                "start Udp",
                "inet Some(Udp) 2 53 Proc",
                "start Tcp",
                "inet Some(Tcp) 2 22 Proc",
                "start Dccp",
                "start Sctp",
                "start Mptcp",
            ]
        );
        assert!(r.diags.is_empty(), "{:?}", r.diags);

        // The visitor can stop the run: nothing after the second socket.
        let mut r = Rec {
            stop_after: Some(2),
            ..Rec::default()
        };
        crate::plan::run(&plan, &mut r).unwrap();
        assert_eq!(r.seen, 2);
        assert_eq!(r.events.last().map(String::as_str), Some("packet 77 Proc"));

        // Preconditions: no CLOSE bit ⇒ no netlink/packet; no AF_UNIX ⇒ no unix.
        let mut p2 = plan.clone();
        p2.states = 1 << state::LISTEN;
        p2.families = FamilySet::default();
        p2.families.insert(family::INET);
        let mut r = Rec::default();
        crate::plan::run(&p2, &mut r).unwrap();
        assert_eq!(r.events[0], "start Raw");
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Per-file overrides force /proc for their kind only; TCPDIAG_FILE replays TCP.
    #[test]
    fn overrides_and_replay() {
        let d = fake_proc("ovr");
        let mut plan = all_plan(&d);
        plan.sources.proc_root = None;
        plan.tables = TableSet(Table::Tcp.bit() | Table::Udp.bit());
        plan.sources.proc_net_udp = Some(d.join("net/udp"));
        plan.sources.disable_dccp = true;
        plan.sources.tcpdiag_file = Some(std::path::PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src/testdata/ss1.dump"
        )));
        let mut r = Rec::default();
        crate::plan::run(&plan, &mut r).unwrap();
        assert_eq!(
            r.events[..3],
            ["start Udp", "inet Some(Udp) 2 53 Proc", "start Tcp"]
        );
        assert_eq!(r.events.len(), 3 + 4, "{:?}", r.events);
        assert!(r.events[3].starts_with("inet Some(Tcp) 2 22 Replay"));
        std::fs::remove_dir_all(&d).unwrap();
    }

    /// Live (this kernel): a netlink-socket dump sees the sock_diag socket doing the dump, and
    /// the DCCP request fails like ss (`RTNETLINK answers: Invalid argument`).
    #[test]
    fn live_kernel() {
        NlSocket::sock_diag().expect("sock_diag netlink socket (tests run on Linux)");
        let mut plan = all_plan(std::path::Path::new("/proc"));
        plan.sources.proc_root = None;
        plan.tables = TableSet(Table::Netlink.bit() | Table::Dccp.bit());
        let mut r = Rec::default();
        crate::plan::run(&plan, &mut r).unwrap();
        assert!(
            r.events.iter().any(|e| e == "netlink 4 Netlink"),
            "{:?}",
            r.events
        );
        assert_eq!(r.diags, vec!["RTNETLINK answers: Invalid argument"]);
    }

    /// Collecting the first dump before decoding it yields the same sockets in the same order.
    #[test]
    fn prefetched_dumps_decode_the_same() {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let pairs: Vec<_> = (0..50)
            .map(|_| std::os::unix::net::UnixStream::pair().unwrap())
            .collect();
        // Only our own sockets: other tests open and close sockets concurrently.
        let ours: Vec<String> = pairs
            .iter()
            .flat_map(|(a, b)| [a.as_raw_fd(), b.as_raw_fd()])
            .map(|fd| {
                let ino = std::fs::metadata(format!("/proc/self/fd/{fd}"))
                    .unwrap()
                    .ino();
                format!("unix 1 {ino}")
            })
            .collect();
        let mut plan = all_plan(std::path::Path::new("/proc"));
        plan.sources.proc_root = None;
        plan.tables = TableSet(Table::UnixStream.bit());
        let mut plain = Rec::default();
        crate::plan::run(&plan, &mut plain).unwrap();
        let mut prefetched = [Rec::default(), Rec::default()];
        for (rec, ahead) in prefetched.iter_mut().zip([2, usize::MAX]) {
            plan.prefetch_ahead = ahead;
            crate::plan::run(&plan, rec).unwrap();
        }
        let unix = |r: &Rec| -> Vec<String> {
            r.events
                .iter()
                .filter(|e| ours.contains(e))
                .cloned()
                .collect()
        };
        assert_eq!(unix(&plain).len(), 100, "{:?}", plain.events);
        for rec in &prefetched {
            assert_eq!(unix(&plain), unix(rec));
        }
    }

    /// The one-walk path on the live kernel shows our TCP sockets exactly as ss's two requests
    /// do (IPv4 first), and only applies where the held form keeps what the output needs.
    #[test]
    fn one_walk_equals_two_walks() {
        use std::net::{TcpListener, TcpStream};
        let mut keep = Vec::new();
        let mut listeners = Vec::new();
        let mut ports = Vec::new();
        for at in ["127.0.0.1:0", "[::1]:0"] {
            let l = TcpListener::bind(at).expect("loopback listener");
            let addr = l.local_addr().unwrap();
            ports.push(addr.port());
            for _ in 0..40 {
                let c = TcpStream::connect(addr).unwrap();
                ports.push(c.local_addr().unwrap().port());
                keep.push(c);
                keep.push(l.accept().unwrap().0);
            }
            // One more waits in the accept queue.
            let pending = TcpStream::connect(addr).unwrap();
            ports.push(pending.local_addr().unwrap().port());
            keep.push(pending);
            listeners.push(l);
        }
        let mut plan = all_plan(std::path::Path::new("/proc"));
        plan.sources.proc_root = None;
        plan.tables = TableSet(Table::Tcp.bit());
        plan.preferred_family = family::UNSPEC;
        // Both ends ours (a listener's peer port is 0): other tests' sockets cannot match.
        let ours = |r: &Rec| -> Vec<(u8, u16, u16)> {
            r.inet
                .iter()
                .filter(|(_, sport, dport)| {
                    ports.contains(sport) && (*dport == 0 || ports.contains(dport))
                })
                .copied()
                .collect()
        };
        let mut two = Rec::default();
        crate::plan::run(&plan, &mut two).unwrap();
        plan.tcp_walk = TcpWalk::Once { ids: true };
        let mut one = Rec::default();
        let mut runner = Runner::new(&plan, &mut one);
        assert!(runner.held_walk_applies());
        assert_eq!(runner.tcp_one_walk(Table::Tcp), OneWalk::Done);
        drop(runner);
        // Per family: the listener and 41 connections of two sockets (one waits in the accept
        // queue: its client and the kernel's child).
        assert_eq!(ours(&two).len(), 2 * (1 + 2 * 41), "{:?}", two.inet);
        assert_eq!(ours(&one), ours(&two));
        assert!(one.diags.is_empty(), "{:?}", one.diags);
        // A visitor that is not ready for a while: IPv4 sockets are held meanwhile, then shown
        // in order before the next one.
        for waits in [5, 1_000_000] {
            let mut late = Rec {
                waits: std::cell::Cell::new(waits),
                ..Rec::default()
            };
            let mut runner = Runner::new(&plan, &mut late);
            assert_eq!(runner.tcp_one_walk(Table::Tcp), OneWalk::Done);
            drop(runner);
            assert_eq!(ours(&late), ours(&two), "waits {waits}");
        }
        // ss's requests at once: the same sockets in the same order.
        let mut p = plan.clone();
        p.tcp_walk = TcpWalk::Concurrent { ids: true };
        let mut both = Rec::default();
        let mut runner = Runner::new(&p, &mut both);
        assert!(runner.held_walk_applies());
        assert!(runner.inet_netlink(IPPROTO_TCP, Table::Tcp, None));
        drop(runner);
        assert_eq!(ours(&both), ours(&two), "concurrent");
        assert!(both.diags.is_empty(), "{:?}", both.diags);
        // The IPv6 side's own answer: exactly the IPv6 sockets of ss's requests, in order (the
        // fallback below would hide it if it were always empty).
        let clean = ahead::dump_ipv6(&plan, Table::Tcp, true, &AtomicBool::new(false))
            .expect("a clean IPv6 dump");
        let mut v6 = Rec::default();
        assert!(replay_to(&clean.held, Table::Tcp, &mut v6).is_continue());
        let want: Vec<_> = ours(&two)
            .into_iter()
            .filter(|s| s.0 == family::INET6)
            .collect();
        assert_eq!(want.len(), 1 + 2 * 41);
        assert_eq!(ours(&v6), want);
        // A cancelled IPv6 dump yields nothing, and then the IPv6 request is made in turn.
        let cancelled = AtomicBool::new(true);
        assert!(ahead::dump_ipv6(&plan, Table::Tcp, true, &cancelled).is_none());
        let mut fallback = Rec::default();
        let mut runner = Runner::new(&plan, &mut fallback);
        let sock = runner.open().expect("sock_diag socket");
        let done = std::thread::scope(|scope| {
            let mut nothing = Pending::spawn(scope, &plan, Table::Tcp, true, &cancelled);
            assert!(nothing.is_some());
            runner.inet_requests(
                sock,
                IPPROTO_TCP,
                Table::Tcp,
                None,
                family::INET,
                nothing.as_mut(),
            )
        });
        assert!(done);
        drop(runner);
        assert_eq!(ours(&fallback), ours(&two));

        let applies = |f: &dyn Fn(&mut Plan)| {
            let mut p = plan.clone();
            f(&mut p);
            let mut rec = Rec::default();
            Runner::new(&p, &mut rec).held_walk_applies()
        };
        assert!(applies(&|_| ()));
        assert!(!applies(&|p| p.tcp_walk = TcpWalk::PerFamily));
        assert!(applies(&|p| p.tcp_walk = TcpWalk::Once { ids: false }));
        assert!(applies(&|p| p.tcp_walk = TcpWalk::Concurrent { ids: false }));
        assert!(!applies(&|p| p.inet_ext = 1 << 1));
        assert!(applies(&|p| p.inet_ext = HELD_EXT));
        assert!(!applies(&|p| p.inet_ext = HELD_EXT | 1 << 1));
        assert!(!applies(&|p| p.preferred_family = family::INET));
        assert!(!applies(&|p| p.families = FamilySet(1 << family::INET6)));
    }

    #[test]
    fn error_texts() {
        let plan = Plan::default();
        let mut rec = Rec::default();
        let mut run = Runner::new(&plan, &mut rec);
        run.report(
            &DumpError::Done {
                errno: libc::ENOENT,
                ext_ack: None,
            },
            false,
        );
        run.report(
            &DumpError::Done {
                errno: libc::EMSGSIZE,
                ext_ack: None,
            },
            false,
        );
        run.report(
            &DumpError::Done {
                errno: libc::EINVAL,
                ext_ack: Some("bad bytecode".into()),
            },
            false,
        );
        run.report(
            &DumpError::Done {
                errno: libc::EINVAL,
                ext_ack: Some("done.".into()),
            },
            false,
        );
        run.report(
            &DumpError::Done {
                errno: libc::EINVAL,
                ext_ack: Some(String::new()),
            },
            true,
        );
        run.report(
            &DumpError::Error {
                errno: libc::EOPNOTSUPP,
                ext_ack: None,
            },
            false,
        );
        run.report(
            &DumpError::Error {
                errno: libc::EINVAL,
                ext_ack: None,
            },
            true,
        );
        run.report(
            &DumpError::Error {
                errno: libc::EINVAL,
                ext_ack: Some("x".into()),
            },
            false,
        );
        run.report(&DumpError::ErrorTruncated, false);
        run.report(&DumpError::DoneTruncated, false);
        run.report(&DumpError::Eof, false);
        run.report(
            &DumpError::Recv(sockscope_netlink::Errno(libc::ENOBUFS)),
            false,
        );
        run.report(&DumpError::Remnant(12), false);
        assert!(matches!(run.fatal, Some(QueryError::Remnant(12))));
        drop(run);
        assert_eq!(
            rec.diags,
            vec![
                "Error: Buffer too small for object.",
                "Error: bad bytecode.",
                "Error: done.",
                "RTNETLINK answers: Invalid argument",
                "RTNETLINK answers: Invalid argument",
                "ERROR truncated",
                "DONE truncated",
                "EOF on netlink",
                "netlink receive error No buffer space available (105)",
                "!!!Remnant of size 12",
            ]
        );
    }
}
