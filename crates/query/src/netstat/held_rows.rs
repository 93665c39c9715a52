//! A compact store of socket rows that are printed later than they are dumped.
//!
//! The netstat persona dumps a kind's IPv6 sockets on a second thread while the IPv4 rows are
//! printed, and prints the IPv6 rows after them, as net-tools does. Held as rows of about 8
//! bytes instead of as their text (about 80), 100,000 IPv6 sockets cost under a megabyte.
//!
//! Encoding, per row: a 16-bit flag word, the state, the two ports, then only the fields whose
//! flag is set. Zero fields are left out; an address equal to the previous row's is left out;
//! the inode is the difference to the previous non-zero one (sockets created together get
//! neighbouring numbers).

use std::ops::ControlFlow;

use crate::compact::{put_varint, unzigzag, zigzag, Reader};
use crate::model::family;

use super::sockets::InetRow;

/// Flag bits of a row's header word: which optional fields follow.
mod flag {
    /// The local address differs from the previous row's: 16 bytes follow.
    pub const SRC: u16 = 1 << 0;
    /// The remote address differs from the previous row's: 16 bytes follow.
    pub const DST: u16 = 1 << 1;
    /// AF_INET (else AF_INET6).
    pub const INET: u16 = 1 << 2;
    pub const RECV_Q: u16 = 1 << 3;
    pub const SEND_Q: u16 = 1 << 4;
    pub const UID: u16 = 1 << 5;
    /// Zigzag difference to the previous non-zero inode (absent = 0).
    pub const INODE: u16 = 1 << 6;
    /// Timer code (u8) and ticks (varint).
    pub const TIMER: u16 = 1 << 7;
    pub const RETRANS: u16 = 1 << 8;
    pub const PROBES: u16 = 1 << 9;
}

/// What the previous row left for the next one to refer to (encoder and decoder alike).
#[derive(Clone, Copy, Debug, Default)]
struct Prev {
    src: [u8; 16],
    dst: [u8; 16],
    inode: u64,
}

/// Socket rows held in arrival order (see the module docs).
#[derive(Debug, Default)]
pub struct HeldRows {
    bytes: Vec<u8>,
    count: usize,
    prev: Prev,
}

impl HeldRows {
    pub fn new() -> HeldRows {
        HeldRows::default()
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Bytes used by the held rows.
    pub fn size(&self) -> usize {
        self.bytes.len()
    }

    pub fn push(&mut self, r: &InetRow) {
        let b = &mut self.bytes;
        let p = &mut self.prev;
        let mut flags = 0u16;
        for (bit, on) in [
            (flag::SRC, r.src != p.src),
            (flag::DST, r.dst != p.dst),
            (flag::INET, r.family == family::INET),
            (flag::RECV_Q, r.recv_q != 0),
            (flag::SEND_Q, r.send_q != 0),
            (flag::UID, r.uid != 0),
            (flag::INODE, r.inode != 0),
            (flag::TIMER, r.timer != 0 || r.timer_ticks != 0),
            (flag::RETRANS, r.retrans != 0),
            (flag::PROBES, r.probes != 0),
        ] {
            if on {
                flags |= bit;
            }
        }
        b.extend_from_slice(&flags.to_le_bytes());
        b.push(r.state);
        b.extend_from_slice(&r.sport.to_le_bytes());
        b.extend_from_slice(&r.dport.to_le_bytes());
        if flags & flag::SRC != 0 {
            b.extend_from_slice(&r.src);
            p.src = r.src;
        }
        if flags & flag::DST != 0 {
            b.extend_from_slice(&r.dst);
            p.dst = r.dst;
        }
        for (bit, v) in [
            (flag::RECV_Q, r.recv_q),
            (flag::SEND_Q, r.send_q),
            (flag::UID, u64::from(r.uid)),
        ] {
            if flags & bit != 0 {
                put_varint(b, v);
            }
        }
        if flags & flag::INODE != 0 {
            put_varint(b, zigzag(r.inode.wrapping_sub(p.inode) as i64));
            p.inode = r.inode;
        }
        if flags & flag::TIMER != 0 {
            b.push(r.timer);
            put_varint(b, r.timer_ticks);
        }
        for (bit, v) in [(flag::RETRANS, r.retrans), (flag::PROBES, r.probes)] {
            if flags & bit != 0 {
                put_varint(b, u64::from(v));
            }
        }
        self.count += 1;
    }

    /// Hands every held row to `f` in the order they were pushed; stops at the first `Break`
    /// and returns it.
    pub fn replay(&self, mut f: impl FnMut(&InetRow) -> ControlFlow<()>) -> ControlFlow<()> {
        let mut r = Reader {
            b: &self.bytes,
            at: 0,
        };
        let mut p = Prev::default();
        for _ in 0..self.count {
            // The bytes were written by `push`; a short read would be a bug here, not bad input.
            let Some(row) = read_row(&mut r, &mut p) else {
                debug_assert!(false, "held row bytes end early");
                break;
            };
            f(&row)?;
        }
        ControlFlow::Continue(())
    }
}

fn read_row(r: &mut Reader<'_>, p: &mut Prev) -> Option<InetRow> {
    let flags = r.u16()?;
    let state = r.u8()?;
    let sport = r.u16()?;
    let dport = r.u16()?;
    if flags & flag::SRC != 0 {
        p.src = r.addr()?;
    }
    if flags & flag::DST != 0 {
        p.dst = r.addr()?;
    }
    let recv_q = optional(r, flags, flag::RECV_Q)?;
    let send_q = optional(r, flags, flag::SEND_Q)?;
    let uid = optional(r, flags, flag::UID)? as u32;
    let inode = if flags & flag::INODE != 0 {
        p.inode = p.inode.wrapping_add(unzigzag(r.varint()?) as u64);
        p.inode
    } else {
        0
    };
    let (timer, timer_ticks) = if flags & flag::TIMER != 0 {
        (r.u8()?, r.varint()?)
    } else {
        (0, 0)
    };
    let retrans = optional(r, flags, flag::RETRANS)? as u32;
    let probes = optional(r, flags, flag::PROBES)? as u32;
    Some(InetRow {
        family: if flags & flag::INET != 0 {
            family::INET
        } else {
            family::INET6
        },
        state,
        recv_q,
        send_q,
        src: p.src,
        dst: p.dst,
        sport,
        dport,
        uid,
        inode,
        timer,
        timer_ticks,
        retrans,
        probes,
    })
}

/// A varint field that is present when `bit` is set in `flags`, else 0.
fn optional(r: &mut Reader<'_>, flags: u16, bit: u16) -> Option<u64> {
    if flags & bit != 0 {
        r.varint()
    } else {
        Some(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator (xorshift).
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        /// Mostly small values, sometimes zero, sometimes the extremes.
        fn field(&mut self, max: u64) -> u64 {
            match self.next() % 6 {
                0 => 0,
                1 => max,
                2 => self.next() % max.clamp(1, 100),
                _ => self.next() % max.max(1),
            }
        }
    }

    fn row(r: &mut Rng, prev: &InetRow) -> InetRow {
        let addr = |r: &mut Rng, prev: [u8; 16]| {
            if r.next() % 3 == 0 {
                prev
            } else {
                let mut a = [0u8; 16];
                for x in a.iter_mut() {
                    *x = (r.next() % 4) as u8;
                }
                a
            }
        };
        InetRow {
            family: if r.next() % 2 == 0 {
                family::INET
            } else {
                family::INET6
            },
            state: r.field(255) as u8,
            recv_q: r.field(u64::MAX),
            send_q: r.field(u64::MAX),
            src: addr(r, prev.src),
            dst: addr(r, prev.dst),
            sport: r.field(65535) as u16,
            dport: r.field(65535) as u16,
            uid: r.field(u64::from(u32::MAX)) as u32,
            inode: match r.next() % 3 {
                0 => prev.inode.wrapping_add(1),
                _ => r.field(u64::MAX),
            },
            timer: r.field(4) as u8,
            timer_ticks: r.field(u64::MAX),
            retrans: r.field(u64::from(u32::MAX)) as u32,
            probes: r.field(u64::from(u32::MAX)) as u32,
        }
    }

    #[test]
    fn rows_round_trip_in_order() {
        let mut r = Rng(0x9e37_79b9_7f4a_7c15);
        let mut rows: Vec<InetRow> = Vec::new();
        let mut prev = row(
            &mut r,
            &row(&mut Rng(7), &row(&mut Rng(3), &InetRow::default())),
        );
        for _ in 0..20_000 {
            prev = row(&mut r, &prev);
            rows.push(prev);
        }
        let mut held = HeldRows::new();
        for x in &rows {
            held.push(x);
        }
        assert_eq!(held.len(), rows.len());
        let mut back = Vec::new();
        let flow = held.replay(|x| {
            back.push(*x);
            ControlFlow::Continue(())
        });
        assert!(flow.is_continue());
        assert_eq!(back.len(), rows.len());
        for (i, (a, b)) in rows.iter().zip(&back).enumerate() {
            assert_eq!(a, b, "row {i}");
        }
        // A break stops the replay there.
        let mut n = 0;
        let flow = held.replay(|_| {
            n += 1;
            if n == 5 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert!(flow.is_break());
        assert_eq!(n, 5);
    }

    #[test]
    fn a_listing_takes_a_few_bytes_a_row() {
        // Loopback connections as a fixture makes them: same addresses, neighbouring inodes,
        // empty queues, no timers.
        let mut held = HeldRows::new();
        for i in 0..10_000u64 {
            held.push(&InetRow {
                family: family::INET6,
                state: 1,
                src: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                dst: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1],
                sport: 5001,
                dport: 40_000 + i as u16,
                inode: 1_000_000 + 2 * i,
                ..InetRow::default()
            });
        }
        let per = held.size() as f64 / held.len() as f64;
        assert!(per < 10.0, "{per} bytes a row");
    }
}
