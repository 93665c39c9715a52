//! A compact store for inet sockets that are shown later than the kernel reports them.
//!
//! When TCP's two families come from one kernel walk (see `run.rs`), the IPv6 sockets arrive
//! mixed with the IPv4 ones, but ss shows every IPv4 socket first. The IPv6 ones wait here,
//! in 7 to 11 bytes each instead of the ~120 of their netlink message, so holding half of
//! a million sockets costs a few megabytes.
//!
//! Kept: every fixed field of `inet_diag_msg`, the attributes the kernel sends when no
//! `idiag_ext` bit is set (shutdown, v6only, mark, cgroup id, sockopt), and the two memory
//! attributes `-m` asks for (meminfo, skmeminfo: [`HELD_EXT`]). Other requested attributes
//! (tcp_info, congestion, tos, ...) are not kept, so a caller holds sockets only for requests
//! without other extension bits. A store made with `HeldInet::new(false)` also drops uid,
//! inode and cookie, for outputs that neither print nor filter on them.
//!
//! Encoding, per socket: a 16-bit flag word, the state, the two ports, then only the fields
//! whose flag is set. Zero fields are left out; an address equal to the previous socket's is
//! left out; inode and cookie are stored as the difference to the previous socket's (sockets
//! created together get neighbouring numbers); the small attributes are left out when they
//! equal the previous socket's.

use std::ops::ControlFlow;

use sockscope_netlink::consts::{inet_ext_bit, INET_DIAG_MEMINFO, INET_DIAG_SKMEMINFO};

use crate::compact::{put_varint, unzigzag, zigzag, Reader};
use crate::model::{family, InetAttrs, InetSock, Source, Table};

/// Flag bits of a held socket's header word: which optional fields follow.
mod flag {
    /// The local address differs from the previous socket's: 16 bytes follow.
    pub const SRC: u16 = 1 << 0;
    /// The remote address differs from the previous socket's: 16 bytes follow.
    pub const DST: u16 = 1 << 1;
    /// AF_INET (else AF_INET6).
    pub const INET: u16 = 1 << 2;
    /// timer (u8), retrans (u8), expires (varint).
    pub const TIMER: u16 = 1 << 3;
    pub const IFINDEX: u16 = 1 << 4;
    pub const RQUEUE: u16 = 1 << 5;
    pub const WQUEUE: u16 = 1 << 6;
    pub const UID: u16 = 1 << 7;
    /// Inode, as a zigzag difference to the previous non-zero inode (absent = 0).
    pub const INODE: u16 = 1 << 8;
    /// Cookie, as a zigzag difference to the previous non-zero cookie (absent = 0).
    pub const COOKIE: u16 = 1 << 9;
    /// The small attributes differ from the previous socket's: they follow.
    pub const ATTRS: u16 = 1 << 10;
    /// The protocol differs from the dump's (INET_DIAG_PROTOCOL): u16 follows.
    pub const PROTOCOL: u16 = 1 << 11;
}

/// Presence bits of the small-attribute block.
mod attr {
    pub const SHUTDOWN: u8 = 1 << 0;
    pub const V6ONLY: u8 = 1 << 1;
    pub const MARK: u8 = 1 << 2;
    pub const CGROUP_ID: u8 = 1 << 3;
    pub const SOCKOPT: u8 = 1 << 4;
    pub const MEMINFO: u8 = 1 << 5;
    pub const SKMEMINFO: u8 = 1 << 6;
}

/// `struct inet_diag_sockopt` is 2 bytes; longer payloads (a future kernel) keep this many.
const SOCKOPT_MAX: usize = 8;
/// INET_DIAG_SKMEMINFO is 9 u32 (SK_MEMINFO_VARS of 6.x, ss 6.1 prints at most those); longer
/// payloads (a future kernel) keep this many bytes.
const SKMEMINFO_MAX: usize = 64;

/// The `idiag_ext` bits whose answers a held socket keeps: INET_DIAG_MEMINFO and
/// INET_DIAG_SKMEMINFO (`ss -m`).
pub(crate) const HELD_EXT: u8 = inet_ext_bit(INET_DIAG_MEMINFO) | inet_ext_bit(INET_DIAG_SKMEMINFO);

/// The attributes the kernel sends without being asked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Small {
    shutdown: Option<u8>,
    v6only: Option<u8>,
    mark: Option<u32>,
    cgroup_id: Option<u64>,
    /// Length and bytes.
    sockopt: Option<(u8, [u8; SOCKOPT_MAX])>,
    meminfo: Option<[u32; 4]>,
    /// Length and bytes.
    skmeminfo: Option<(u8, [u8; SKMEMINFO_MAX])>,
}

impl Small {
    fn of(a: &InetAttrs<'_>) -> Small {
        Small {
            shutdown: a.shutdown,
            v6only: a.v6only,
            mark: a.mark,
            cgroup_id: a.cgroup_id,
            sockopt: a.sockopt.map(prefix),
            meminfo: a.meminfo,
            skmeminfo: a.skmeminfo.map(prefix),
        }
    }
}

/// The first `N` bytes of `bytes` (all, when shorter) and their count.
fn prefix<const N: usize>(bytes: &[u8]) -> (u8, [u8; N]) {
    let n = bytes.len().min(N);
    let mut b = [0u8; N];
    b[..n].copy_from_slice(&bytes[..n]);
    (n as u8, b)
}

/// What the previous socket left for the next one to refer to (encoder and decoder alike).
#[derive(Clone, Copy, Debug, Default)]
struct Prev {
    src: [u8; 16],
    dst: [u8; 16],
    inode: u32,
    cookie: u64,
    small: Small,
}

/// Inet sockets held in arrival order (see the module docs).
#[derive(Debug, Default)]
pub(crate) struct HeldInet {
    bytes: Vec<u8>,
    count: usize,
    prev: Prev,
    /// Drop uid, inode and cookie (they read back as 0).
    without_ids: bool,
}

impl HeldInet {
    /// An empty store; `ids`: keep uid, inode and cookie.
    pub(crate) fn new(ids: bool) -> HeldInet {
        HeldInet {
            without_ids: !ids,
            ..HeldInet::default()
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Forgets every held socket (keeps the memory).
    pub(crate) fn clear(&mut self) {
        self.bytes.clear();
        self.count = 0;
        self.prev = Prev::default();
    }

    /// Adds `s` (its requested attributes, if any, are dropped); `protocol` is the dump's.
    pub(crate) fn push(&mut self, s: &InetSock<'_>, protocol: u16) {
        let b = &mut self.bytes;
        let p = &mut self.prev;
        let small = Small::of(&s.attrs);
        let mut flags = 0u16;
        let mut set = |bit: u16, on: bool| {
            if on {
                flags |= bit;
            }
        };
        set(flag::SRC, s.src != p.src);
        set(flag::DST, s.dst != p.dst);
        set(flag::INET, s.family == family::INET);
        set(
            flag::TIMER,
            s.timer != 0 || s.retrans != 0 || s.expires != 0,
        );
        set(flag::IFINDEX, s.ifindex != 0);
        set(flag::RQUEUE, s.rqueue != 0);
        set(flag::WQUEUE, s.wqueue != 0);
        let ids = !self.without_ids;
        set(flag::UID, ids && s.uid != 0);
        set(flag::INODE, ids && s.inode != 0);
        set(flag::COOKIE, ids && s.cookie != 0);
        set(flag::ATTRS, small != p.small);
        set(flag::PROTOCOL, s.protocol != protocol);
        b.extend_from_slice(&flags.to_le_bytes());
        b.push(s.state);
        b.extend_from_slice(&s.sport.to_le_bytes());
        b.extend_from_slice(&s.dport.to_le_bytes());
        if flags & flag::SRC != 0 {
            b.extend_from_slice(&s.src);
            p.src = s.src;
        }
        if flags & flag::DST != 0 {
            b.extend_from_slice(&s.dst);
            p.dst = s.dst;
        }
        if flags & flag::TIMER != 0 {
            b.extend_from_slice(&[s.timer, s.retrans]);
            put_varint(b, u64::from(s.expires));
        }
        for (bit, v) in [
            (flag::IFINDEX, s.ifindex),
            (flag::RQUEUE, s.rqueue),
            (flag::WQUEUE, s.wqueue),
            (flag::UID, s.uid),
        ] {
            if flags & bit != 0 {
                put_varint(b, u64::from(v));
            }
        }
        if flags & flag::INODE != 0 {
            put_varint(b, zigzag(i64::from(s.inode) - i64::from(p.inode)));
            p.inode = s.inode;
        }
        if flags & flag::COOKIE != 0 {
            put_varint(b, zigzag(s.cookie.wrapping_sub(p.cookie) as i64));
            p.cookie = s.cookie;
        }
        if flags & flag::ATTRS != 0 {
            put_small(b, &small);
            p.small = small;
        }
        if flags & flag::PROTOCOL != 0 {
            b.extend_from_slice(&s.protocol.to_le_bytes());
        }
        self.count += 1;
    }

    /// Hands every held socket to `f` in the order they were pushed, as sockets of `table`
    /// from a netlink dump of `protocol`. Stops at the first `Break` and returns it.
    pub(crate) fn replay(
        &self,
        table: Option<Table>,
        protocol: u16,
        mut f: impl FnMut(&InetSock<'_>) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        let mut r = Reader {
            b: &self.bytes,
            at: 0,
        };
        let mut p = Prev::default();
        for _ in 0..self.count {
            // The bytes were written by `push`; a short read would be a bug here, not bad input.
            let Some(()) = decode_one(&mut r, &mut p, table, protocol, &mut f)? else {
                debug_assert!(false, "held socket bytes end early");
                break;
            };
        }
        ControlFlow::Continue(())
    }
}

/// Decodes one socket and hands it to `f`; `None` when the bytes end early.
fn decode_one(
    r: &mut Reader<'_>,
    p: &mut Prev,
    table: Option<Table>,
    protocol: u16,
    f: &mut impl FnMut(&InetSock<'_>) -> ControlFlow<()>,
) -> ControlFlow<(), Option<()>> {
    let Some(decoded) = read_one(r, p) else {
        return ControlFlow::Continue(None);
    };
    let (fixed, proto) = decoded;
    let (sockopt, skmeminfo) = (p.small.sockopt, p.small.skmeminfo);
    let mut s: InetSock<'_> = fixed;
    s.table = table;
    s.protocol = proto.unwrap_or(protocol);
    s.attrs = InetAttrs {
        shutdown: p.small.shutdown,
        v6only: p.small.v6only,
        mark: p.small.mark,
        cgroup_id: p.small.cgroup_id,
        sockopt: sockopt.as_ref().map(|(n, b)| &b[..usize::from(*n)]),
        meminfo: p.small.meminfo,
        skmeminfo: skmeminfo.as_ref().map(|(n, b)| &b[..usize::from(*n)]),
        ..InetAttrs::default()
    };
    f(&s)?;
    ControlFlow::Continue(Some(()))
}

/// The fixed fields of one socket and its protocol when it differs from the dump's.
fn read_one(r: &mut Reader<'_>, p: &mut Prev) -> Option<(InetSock<'static>, Option<u16>)> {
    let flags = r.u16()?;
    let mut s = InetSock {
        source: Source::Netlink,
        family: if flags & flag::INET != 0 {
            family::INET
        } else {
            family::INET6
        },
        state: r.u8()?,
        sport: r.u16()?,
        dport: r.u16()?,
        ..InetSock::default()
    };
    if flags & flag::SRC != 0 {
        p.src = r.addr()?;
    }
    if flags & flag::DST != 0 {
        p.dst = r.addr()?;
    }
    s.src = p.src;
    s.dst = p.dst;
    if flags & flag::TIMER != 0 {
        s.timer = r.u8()?;
        s.retrans = r.u8()?;
        s.expires = r.varint()? as u32;
    }
    for (bit, field) in [
        (flag::IFINDEX, &mut s.ifindex),
        (flag::RQUEUE, &mut s.rqueue),
        (flag::WQUEUE, &mut s.wqueue),
        (flag::UID, &mut s.uid),
    ] {
        if flags & bit != 0 {
            *field = r.varint()? as u32;
        }
    }
    if flags & flag::INODE != 0 {
        p.inode = (i64::from(p.inode) + unzigzag(r.varint()?)) as u32;
        s.inode = p.inode;
    }
    if flags & flag::COOKIE != 0 {
        p.cookie = p.cookie.wrapping_add(unzigzag(r.varint()?) as u64);
        s.cookie = p.cookie;
    }
    if flags & flag::ATTRS != 0 {
        p.small = read_small(r)?;
    }
    let proto = if flags & flag::PROTOCOL != 0 {
        Some(r.u16()?)
    } else {
        None
    };
    Some((s, proto))
}

fn put_small(b: &mut Vec<u8>, a: &Small) {
    let mut present = 0u8;
    for (bit, on) in [
        (attr::SHUTDOWN, a.shutdown.is_some()),
        (attr::V6ONLY, a.v6only.is_some()),
        (attr::MARK, a.mark.is_some()),
        (attr::CGROUP_ID, a.cgroup_id.is_some()),
        (attr::SOCKOPT, a.sockopt.is_some()),
        (attr::MEMINFO, a.meminfo.is_some()),
        (attr::SKMEMINFO, a.skmeminfo.is_some()),
    ] {
        if on {
            present |= bit;
        }
    }
    b.push(present);
    b.extend(a.shutdown);
    b.extend(a.v6only);
    if let Some(m) = a.mark {
        put_varint(b, u64::from(m));
    }
    if let Some(id) = a.cgroup_id {
        put_varint(b, id);
    }
    if let Some((n, bytes)) = a.sockopt {
        b.push(n);
        b.extend_from_slice(&bytes[..usize::from(n)]);
    }
    if let Some(m) = a.meminfo {
        m.iter().for_each(|&v| put_varint(b, u64::from(v)));
    }
    if let Some((n, bytes)) = a.skmeminfo {
        // Whole u32s as varints (mostly 0 or a buffer size), a ragged tail as bytes.
        b.push(n);
        let (words, tail) = bytes[..usize::from(n)].split_at(usize::from(n) / 4 * 4);
        for w in words.chunks_exact(4) {
            put_varint(b, u64::from(u32::from_ne_bytes([w[0], w[1], w[2], w[3]])));
        }
        b.extend_from_slice(tail);
    }
}

fn read_small(r: &mut Reader<'_>) -> Option<Small> {
    let present = r.u8()?;
    let on = |bit: u8| present & bit != 0;
    let mut a = Small::default();
    if on(attr::SHUTDOWN) {
        a.shutdown = Some(r.u8()?);
    }
    if on(attr::V6ONLY) {
        a.v6only = Some(r.u8()?);
    }
    if on(attr::MARK) {
        a.mark = Some(r.varint()? as u32);
    }
    if on(attr::CGROUP_ID) {
        a.cgroup_id = Some(r.varint()?);
    }
    if on(attr::SOCKOPT) {
        let n = usize::from(r.u8()?).min(SOCKOPT_MAX);
        let mut bytes = [0u8; SOCKOPT_MAX];
        bytes[..n].copy_from_slice(r.take(n)?);
        a.sockopt = Some((n as u8, bytes));
    }
    if on(attr::MEMINFO) {
        let mut m = [0u32; 4];
        for v in &mut m {
            *v = r.varint()? as u32;
        }
        a.meminfo = Some(m);
    }
    if on(attr::SKMEMINFO) {
        let n = usize::from(r.u8()?).min(SKMEMINFO_MAX);
        let mut bytes = [0u8; SKMEMINFO_MAX];
        let whole = n / 4 * 4;
        for w in bytes[..whole].chunks_exact_mut(4) {
            w.copy_from_slice(&(r.varint()? as u32).to_ne_bytes());
        }
        bytes[whole..n].copy_from_slice(r.take(n - whole)?);
        a.skmeminfo = Some((n as u8, bytes));
    }
    Some(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sockscope_netlink::consts::IPPROTO_TCP;

    fn v6(last: u8) -> [u8; 16] {
        let mut a = [0u8; 16];
        a[0] = 0x20;
        a[1] = 0x01;
        a[2] = 0x0d;
        a[3] = 0xb8;
        a[15] = last;
        a
    }

    /// Every field and kept attribute, varied from socket to socket.
    fn sample(i: u32) -> InetSock<'static> {
        const SOCKOPT: [&[u8]; 3] = [&[1, 0], &[0, 2], &[1, 2, 3, 4, 5, 6, 7, 8, 9]];
        // 9 u32 as 6.x sends them, a ragged 10 bytes, and 80 bytes (more than are kept).
        const SKMEM: [&[u8]; 3] = [
            &[
                0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x13, 0x28, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 7,
                0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
            ],
            &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
            &[0xab; 80],
        ];
        InetSock {
            source: Source::Netlink,
            family: if i % 5 == 0 {
                family::INET
            } else {
                family::INET6
            },
            table: Some(Table::Tcp),
            protocol: if i == 7 { 262 } else { IPPROTO_TCP },
            state: (i % 12) as u8,
            timer: (i % 3) as u8,
            retrans: (i % 2) as u8,
            sport: 40000 + i as u16,
            dport: if i % 4 == 0 { 0 } else { 443 },
            src: v6(if i % 3 == 0 { 1 } else { 2 }),
            dst: v6((i % 7) as u8),
            ifindex: i % 4,
            cookie: if i == 3 {
                0
            } else {
                1000 + u64::from(i * 37 % 11)
            },
            expires: i * 1000,
            rqueue: i % 2 * 70000,
            wqueue: i % 3,
            uid: if i % 2 == 0 { 0 } else { 1000 },
            inode: if i % 6 == 0 { 0 } else { 50_000 - i * 13 },
            attrs: InetAttrs {
                shutdown: (i % 4 != 0).then_some((i % 4) as u8),
                v6only: (i % 5 != 0).then_some((i % 2) as u8),
                mark: (i % 3 == 0).then_some(0xdead_beef),
                cgroup_id: Some(if i < 10 { 77 } else { u64::MAX - 1 }),
                sockopt: Some(SOCKOPT[(i % 3) as usize]),
                meminfo: (i % 7 != 1).then_some([i, 0, u32::MAX - i, 1 << 20]),
                skmeminfo: (i % 6 != 2).then_some(SKMEM[(i / 2 % 3) as usize]),
                ..InetAttrs::default()
            },
            proc_extra: None,
        }
    }

    fn key(s: &InetSock<'_>) -> String {
        let a = &s.attrs;
        format!(
            "{:?} {} {} {} {} {} {} {} {:?} {:?} {} {} {} {} {} {} {} {:?} {:?} {:?} {:?} {:?} {:?} {:?}",
            s.source,
            s.family,
            s.protocol,
            s.state,
            s.timer,
            s.retrans,
            s.sport,
            s.dport,
            s.src,
            s.dst,
            s.ifindex,
            s.cookie,
            s.expires,
            s.rqueue,
            s.wqueue,
            s.uid,
            s.inode,
            a.shutdown,
            a.v6only,
            a.mark,
            a.cgroup_id,
            a.sockopt.map(|so| so.to_vec()),
            a.meminfo,
            a.skmeminfo.map(|m| m.to_vec()),
        )
    }

    #[test]
    fn replay_gives_back_every_field_in_order() {
        let socks: Vec<InetSock<'static>> = (0..40).map(sample).collect();
        let mut held = HeldInet::default();
        for s in &socks {
            held.push(s, IPPROTO_TCP);
        }
        assert_eq!(held.count, socks.len());
        let mut got = Vec::new();
        let flow = held.replay(Some(Table::Tcp), IPPROTO_TCP, |s| {
            assert_eq!(s.table, Some(Table::Tcp));
            assert!(s.attrs.info.is_none() && s.proc_extra.is_none());
            got.push(key(s));
            ControlFlow::Continue(())
        });
        assert!(flow.is_continue());
        let want: Vec<String> = socks
            .iter()
            .map(|s| {
                // A sockopt longer than 8 bytes keeps its first 8, a skmeminfo its first 64.
                let mut s = *s;
                s.attrs.sockopt = s.attrs.sockopt.map(|so| &so[..so.len().min(8)]);
                s.attrs.skmeminfo = s.attrs.skmeminfo.map(|m| &m[..m.len().min(64)]);
                key(&s)
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn without_ids_uid_inode_and_cookie_read_back_as_zero() {
        let mut held = HeldInet::new(false);
        let mut full = HeldInet::new(true);
        for i in 0..20 {
            held.push(&sample(i), IPPROTO_TCP);
            full.push(&sample(i), IPPROTO_TCP);
        }
        assert!(held.bytes.len() < full.bytes.len());
        let mut got = Vec::new();
        let _ = held.replay(None, IPPROTO_TCP, |s| {
            assert_eq!((s.uid, s.inode, s.cookie), (0, 0, 0));
            got.push((s.sport, s.dport, s.state, s.attrs.cgroup_id));
            ControlFlow::Continue(())
        });
        let want: Vec<_> = (0..20)
            .map(sample)
            .map(|s| (s.sport, s.dport, s.state, s.attrs.cgroup_id))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn replay_stops_at_break() {
        let mut held = HeldInet::default();
        for i in 0..10 {
            held.push(&sample(i), IPPROTO_TCP);
        }
        let mut n = 0;
        let flow = held.replay(None, IPPROTO_TCP, |_| {
            n += 1;
            if n == 3 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert!(flow.is_break());
        assert_eq!(n, 3);
    }

    #[test]
    fn loopback_connections_take_about_a_dozen_bytes() {
        // What a busy listener's IPv6 connections look like: same addresses, no queues,
        // neighbouring inodes and cookies, the same default attributes; with `-m`, the same
        // memory figures too (idle sockets), which must not cost more.
        const SKMEM: [u8; 36] = [
            0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0x1e, 0x3c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 0, 0, 0, 0, 0, 0, 0,
        ];
        for memory in [false, true] {
            let mut held = HeldInet::default();
            let n = 1000u32;
            let mut socks = Vec::new();
            for i in 0..n {
                let s = InetSock {
                    family: family::INET6,
                    state: 1,
                    sport: 5001,
                    dport: 30000 + i as u16,
                    src: v6(1),
                    dst: v6(1),
                    inode: 90_000 + (i * 7919) % 2000,
                    cookie: 4096 + u64::from(i),
                    attrs: InetAttrs {
                        shutdown: Some(0),
                        v6only: Some(0),
                        mark: Some(0),
                        cgroup_id: Some(8),
                        sockopt: Some(&[0, 0]),
                        meminfo: memory.then_some([0, 0, 0, 0]),
                        skmeminfo: memory.then_some(&SKMEM[..]),
                        ..InetAttrs::default()
                    },
                    ..InetSock::default()
                };
                held.push(&s, IPPROTO_TCP);
                socks.push(key(&s));
            }
            let per = held.bytes.len() as f64 / f64::from(n);
            assert!(per < 13.0, "memory {memory}: {per} bytes a socket");
            let mut got = Vec::new();
            let _ = held.replay(None, IPPROTO_TCP, |s| {
                got.push(key(s));
                ControlFlow::Continue(())
            });
            assert_eq!(got, socks, "memory {memory}");
        }
    }
}
