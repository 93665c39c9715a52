//! `ss -K`: destroying inet sockets (SOCK_DESTROY, kernel CONFIG_INET_DIAG_DESTROY) and `ss -E`:
//! following the kernel's socket-destroy events (the SKNLGRP_* multicast groups of
//! NETLINK_SOCK_DIAG). Both talk to the kernel only; choosing sockets and printing them is the
//! caller's (spec 2.6, 2.7).

use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::request::{self, InetSockId};
use sockscope_netlink::{DumpError, Messages, NlSocket, OpenError, RecvBuffer};

use crate::diag;
use crate::model::{InetSock, Sock, Table};

/// What a SOCK_DESTROY request came to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destroyed {
    /// The kernel acknowledged: the socket is closed (ss then prints it).
    Yes,
    /// ENOENT or EOPNOTSUPP: already gone, or a kind that cannot be destroyed; ss skips it
    /// silently.
    Skipped,
    /// Any other error (EPERM without CAP_NET_ADMIN, ...): ss prints `SOCK_DESTROY answers:
    /// <strerror>` and abandons the dump.
    Failed(i32),
}

/// The dump protocol ss's inet dumps run with for `table` (the low byte goes into the request).
pub fn dump_protocol(table: Table) -> Option<u16> {
    Some(match table {
        Table::Tcp => IPPROTO_TCP,
        Table::Udp => IPPROTO_UDP,
        Table::Raw => IPPROTO_RAW,
        Table::Dccp => IPPROTO_DCCP,
        Table::Sctp => IPPROTO_SCTP,
        Table::Mptcp => IPPROTO_MPTCP,
        _ => return None,
    })
}

/// A second NETLINK_SOCK_DIAG socket that sends SOCK_DESTROY requests while a dump is read
/// from the first (ss's `rth2`).
pub struct Killer {
    sock: NlSocket,
    rb: RecvBuffer,
    req: Vec<u8>,
    seq: u32,
}

impl Killer {
    pub fn open() -> Result<Killer, OpenError> {
        Ok(Killer {
            sock: NlSocket::sock_diag()?,
            rb: RecvBuffer::with_capacity(8192),
            req: Vec::with_capacity(80),
            seq: 0,
        })
    }

    /// Asks the kernel to destroy `s`, naming it by the sockid its dump reported, and waits for
    /// the answer. `protocol` is the dump's protocol (ss's `diag_arg->protocol`); raw sockets
    /// also carry their own protocol (INET_DIAG_PROTOCOL, in `s.protocol`).
    pub fn destroy(&mut self, s: &InetSock<'_>, protocol: u16) -> Destroyed {
        let raw_protocol = if protocol == IPPROTO_RAW {
            s.protocol as u8
        } else {
            0
        };
        let id = InetSockId {
            sport: s.sport,
            dport: s.dport,
            src: s.src,
            dst: s.dst,
            ifindex: s.ifindex,
            cookie: s.cookie,
        };
        self.seq = self.seq.wrapping_add(1);
        self.req.clear();
        request::sock_destroy(
            &mut self.req,
            self.seq,
            s.family,
            protocol,
            raw_protocol,
            &id,
        );
        match self
            .sock
            .request(&mut self.rb, &self.req, self.seq, |_, _| ())
        {
            // Only an NLMSG_ERROR answers SOCK_DESTROY; error 0 is the acknowledgement.
            Err(DumpError::Error { errno: 0, .. }) | Ok(()) => Destroyed::Yes,
            Err(DumpError::Error { errno, .. })
                if errno == libc::ENOENT || errno == libc::EOPNOTSUPP =>
            {
                Destroyed::Skipped
            }
            Err(DumpError::Error { errno, .. }) => Destroyed::Failed(errno),
            Err(DumpError::Send(e)) | Err(DumpError::Recv(e)) => Destroyed::Failed(e.0),
            Err(_) => Destroyed::Failed(libc::EPROTO),
        }
    }
}

/// The multicast groups `ss -E` joins for the selected tables and families (SKNLGRP_INET_TCP,
/// _INET_UDP, _INET6_TCP, _INET6_UDP_DESTROY = groups 1-4, as a bind() mask); 0 = none.
pub fn destroy_groups(tcp: bool, udp: bool, inet: bool, inet6: bool) -> u32 {
    let mut g = 0;
    for (on, group) in [
        (inet && tcp, 1),
        (inet && udp, 2),
        (inet6 && tcp, 3),
        (inet6 && udp, 4),
    ] {
        if on {
            g |= 1u32 << (group - 1);
        }
    }
    g
}

/// Why following events ended (it never ends on its own).
#[derive(Debug)]
pub enum FollowEnd {
    /// The visitor asked to stop.
    Stopped,
    /// A message of a family ss has no printer for (ss's `generic_show_sock` returns -1).
    UnknownFamily(u8),
    /// Receiving failed (ss prints `netlink receive error ...` and exits 255).
    Recv(sockscope_netlink::Errno),
}

/// Joins `groups` and hands every inet socket of every destroy event to `on_socket` (with the
/// protocol ss uses for events, IPPROTO_MAX, replaced by the event's INET_DIAG_PROTOCOL), until
/// `on_socket` breaks or receiving fails. Messages not from the kernel's multicast (port id 0,
/// sequence 0) are skipped, as ss's dump loop does.
pub fn follow_destroy_events(
    groups: u32,
    mut on_socket: impl FnMut(Sock<'_>) -> ControlFlow<()>,
) -> Result<FollowEnd, OpenError> {
    let sock = NlSocket::open(NETLINK_SOCK_DIAG, groups)?;
    let mut rb = RecvBuffer::new();
    loop {
        let bytes = match sock.receive_multicast(&mut rb) {
            Ok(b) => b,
            Err(e) => return Ok(FollowEnd::Recv(e)),
        };
        for (h, payload) in Messages::new(bytes) {
            if h.pid != 0 || h.seq != 0 {
                continue;
            }
            let family = payload.first().copied().unwrap_or(0);
            if family != AF_INET && family != AF_INET6 {
                return Ok(FollowEnd::UnknownFamily(family));
            }
            let Some((s, _)) = diag::inet::decode(payload, None, IPPROTO_MAX) else {
                continue;
            };
            if on_socket(Sock::Inet(&s)).is_break() {
                return Ok(FollowEnd::Stopped);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_follow_tables_and_families() {
        assert_eq!(destroy_groups(true, true, true, true), 0xf);
        assert_eq!(destroy_groups(true, false, true, false), 0x1);
        assert_eq!(destroy_groups(false, true, true, false), 0x2);
        assert_eq!(destroy_groups(true, false, false, true), 0x4);
        assert_eq!(destroy_groups(false, true, false, true), 0x8);
        assert_eq!(destroy_groups(false, false, true, true), 0);
        assert_eq!(destroy_groups(true, true, false, false), 0);
    }

    #[test]
    fn destroy_requests_use_the_dump_protocol() {
        assert_eq!(dump_protocol(Table::Tcp), Some(IPPROTO_TCP));
        assert_eq!(dump_protocol(Table::Raw), Some(IPPROTO_RAW));
        assert_eq!(dump_protocol(Table::Mptcp), Some(IPPROTO_MPTCP));
        assert_eq!(dump_protocol(Table::UnixStream), None);
    }
}
