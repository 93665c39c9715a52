//! rtnetlink queries: routes, links (with stats64), addresses and multicast memberships, as
//! borrowed views decoded in place from the receive buffer (like [`crate::model`] does for
//! sockets), plus the name databases and lookups `ip` and `netstat` print with.
//!
//! Map of the module:
//! * [`Rtnl`]: one NETLINK_ROUTE socket with its reused receive and request buffers; every
//!   dump of this module runs on it (`ip` turns strict checking on, as iproute2 6.1 does).
//! * [`routes`]: `RTM_GETROUTE` dumps → [`routes::Route`] (header + attribute table, metrics,
//!   multipath next hops, cache info).
//! * [`links`]: `RTM_GETLINK` dumps and gets → [`links::Link`] (flags, names, stats64, link
//!   info of the kind), and [`links::LinkTable`], a stored dump for printers that need every
//!   link's name and flags before printing (as iproute2's `ip link` does).
//! * [`nexthops`]: nexthop objects by id (`RTM_GETNEXTHOP`), for `ip -d route`.
//! * [`addrs`]: `RTM_GETADDR` dumps → [`addrs::Addr`].
//! * [`maddrs`]: multicast memberships from `/proc/net/{dev_mcast,igmp,igmp6}` (what
//!   `ip maddr` and `netstat -g` read) and the `RTM_GETMULTICAST` dump.
//! * [`names`]: `/etc/iproute2` databases (rt_tables, rt_protos, rt_scopes, rt_realms,
//!   rt_dsfield, group) with iproute2's lookup rules, read once here and handed to printers.
//! * [`lookup`]: the [`lookup::Lookup`] trait printers use for interface names/flags, host
//!   names, netns names and user/group names, and [`lookup::SystemLookup`] implementing it over
//!   rtnetlink and files.
//!
//! Nothing here prints. Errors are typed; the caller chooses iproute2's or netstat's words.
//! Hot paths (route and link dumps) allocate nothing per record: the callback gets a view
//! whose slices point into the receive buffer.
//!
//! Example (all IPv4 routes of the main table):
//! ```no_run
//! use std::ops::ControlFlow;
//! use sockscope_query::rtnl::{routes, Rtnl};
//! let mut rtnl = Rtnl::open().unwrap();
//! let req = routes::RouteDumpRequest { family: 2, table: Some(254), ..Default::default() };
//! routes::dump(&mut rtnl, &req, &mut |r: &routes::Route<'_>| {
//!     println!("{:?}/{}", r.attr(1), r.dst_len);
//!     ControlFlow::Continue(())
//! }).unwrap();
//! ```

pub mod addrs;
pub mod links;
pub mod lookup;
pub mod maddrs;
pub mod names;
pub mod nexthops;
pub mod routes;

use std::ops::ControlFlow;

/// The UAPI numbers of the netlink crate (RTM_*, RTA_*, IFLA_*, IFF_*, ...), re-exported for
/// printers that depend on this crate only.
pub use sockscope_netlink::consts;
/// Attribute list walker (`RTA_OK`/`RTA_NEXT`), re-exported for the same reason.
pub use sockscope_netlink::Attrs;

use sockscope_netlink::{
    DumpError, DumpSummary, Errno, NlMsgHeader, NlSocket, OpenError, RecvBuffer,
};

/// A NETLINK_ROUTE socket with its buffers and sequence counter.
#[derive(Debug)]
pub struct Rtnl {
    sock: NlSocket,
    rb: RecvBuffer,
    req: Vec<u8>,
    seq: u32,
}

impl Rtnl {
    /// Opens the socket the way iproute2's `rtnl_open` does (SO_SNDBUF 32 KiB, SO_RCVBUF
    /// 1 MiB, extended acks). Datagram sizes are peeked before each receive, so a link with a
    /// long VF list never truncates.
    pub fn open() -> Result<Rtnl, OpenError> {
        Ok(Rtnl {
            sock: NlSocket::route()?,
            rb: RecvBuffer::new(),
            req: Vec::with_capacity(256),
            seq: 0,
        })
    }

    /// Turns on `NETLINK_GET_STRICT_CHK` (iproute2 does this for every `ip` command; errors
    /// are ignored there because old kernels lack the option).
    pub fn set_strict_check(&mut self) -> Result<(), Errno> {
        self.sock.set_strict_check(true)
    }

    /// Sets the socket's SO_RCVBUF (`ip -rc SIZE`).
    pub fn set_rcvbuf(&mut self, size: i32) -> Result<(), Errno> {
        self.sock.set_rcvbuf(size)
    }

    /// Receive without peeking: one syscall per datagram instead of two. Only for dumps whose
    /// messages are small (routes, addresses); a larger datagram would be truncated.
    pub fn set_fast_receive(&mut self, on: bool) {
        self.sock.set_peek_first(!on);
    }

    /// Makes the receive buffer at least `cap` bytes (with [`Rtnl::set_fast_receive`], a
    /// datagram larger than the buffer would lose its tail).
    pub fn set_recv_capacity(&mut self, cap: usize) {
        if cap > self.rb.capacity() {
            self.rb = RecvBuffer::with_capacity(cap);
        }
    }

    /// The underlying socket.
    pub fn socket(&self) -> &NlSocket {
        &self.sock
    }

    fn next_seq(&mut self) -> u32 {
        self.seq = self.seq.wrapping_add(1);
        self.seq
    }

    /// Builds a request with `build(buffer, seq)`, sends it and runs the dump loop, handing
    /// every data message to `f`.
    pub fn dump_raw(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>, u32),
        f: &mut dyn FnMut(&NlMsgHeader, &[u8]) -> ControlFlow<()>,
    ) -> Result<DumpSummary, DumpError> {
        let seq = self.next_seq();
        self.req.clear();
        build(&mut self.req, seq);
        self.sock.send(&self.req)?;
        self.sock.dump(&mut self.rb, seq, |h, p| f(h, p))
    }

    /// Builds a request, sends it and waits for its one answer (iproute2 `rtnl_talk` with an
    /// answer buffer); `f` sees the reply message. NLMSG_ERROR → [`DumpError::Error`].
    pub fn request_raw<R>(
        &mut self,
        build: impl FnOnce(&mut Vec<u8>, u32),
        f: impl FnMut(&NlMsgHeader, &[u8]) -> R,
    ) -> Result<R, DumpError> {
        let seq = self.next_seq();
        self.req.clear();
        build(&mut self.req, seq);
        let req = std::mem::take(&mut self.req);
        let r = self.sock.request(&mut self.rb, &req, seq, f);
        self.req = req;
        r
    }
}

/// Reads a native-endian u32 from the start of an attribute payload (`rta_getattr_u32`).
#[inline]
pub fn attr_u32(p: Option<&[u8]>) -> Option<u32> {
    let p = p?;
    let b = p.get(..4)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// Reads a native-endian u16 from the start of an attribute payload.
#[inline]
pub fn attr_u16(p: Option<&[u8]>) -> Option<u16> {
    let b = p?.get(..2)?;
    Some(u16::from_ne_bytes([b[0], b[1]]))
}

/// Reads a native-endian u64 from the start of an attribute payload.
#[inline]
pub fn attr_u64(p: Option<&[u8]>) -> Option<u64> {
    let b = p?.get(..8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_ne_bytes(a))
}

/// The payload up to the first NUL (`rta_getattr_str`).
#[inline]
pub fn c_str(p: &[u8]) -> &[u8] {
    match p.iter().position(|&b| b == 0) {
        Some(i) => &p[..i],
        None => p,
    }
}

/// Fills `tb[type]` with the first attribute of each type ≤ N-1 (iproute2 `parse_rtattr`;
/// `mask_nested` = `parse_rtattr_flags(..., NLA_F_NESTED)`, used for link attributes).
#[inline]
pub(crate) fn parse_attrs<'a, const N: usize>(
    buf: &'a [u8],
    tb: &mut [Option<&'a [u8]>; N],
    mask_nested: bool,
) {
    let mut rest = buf;
    while rest.len() >= 4 {
        let len = u16::from_ne_bytes([rest[0], rest[1]]) as usize;
        let mut kind = u16::from_ne_bytes([rest[2], rest[3]]);
        if len < 4 || len > rest.len() {
            break;
        }
        if mask_nested {
            kind &= !sockscope_netlink::consts::NLA_F_NESTED;
        }
        if let Some(slot) = tb.get_mut(kind as usize) {
            if slot.is_none() {
                *slot = rest.get(4..len);
            }
        }
        let step = (len + 3) & !3;
        rest = rest.get(step..).unwrap_or(&[]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::attr;

    #[test]
    fn attr_table_first_wins_and_stops_on_garbage() {
        let mut b = attr(1, &[1, 2, 3, 4]);
        b.extend(attr(1, &[9, 9, 9, 9]));
        b.extend(attr(3 | 0x8000, b"x"));
        b.extend(attr(7, b"too-high"));
        b.extend_from_slice(&[200, 0, 2, 0]); // claims 200 bytes
        let mut tb: [Option<&[u8]>; 4] = [None; 4];
        parse_attrs(&b, &mut tb, false);
        assert_eq!(tb[1], Some(&[1u8, 2, 3, 4][..]));
        assert_eq!(tb[3], None, "nested flag not masked");
        assert_eq!(tb[2], None);
        let mut tb: [Option<&[u8]>; 4] = [None; 4];
        parse_attrs(&b, &mut tb, true);
        assert_eq!(tb[3], Some(&b"x"[..]));
        assert_eq!(attr_u32(tb[1]), Some(u32::from_ne_bytes([1, 2, 3, 4])));
        assert_eq!(attr_u32(tb[3]), None, "short payload");
        assert_eq!(attr_u16(tb[1]), Some(u16::from_ne_bytes([1, 2])));
        assert_eq!(attr_u64(tb[1]), None);
        assert_eq!(c_str(b"ab\0cd"), b"ab");
        assert_eq!(c_str(b"ab"), b"ab");
    }
}
