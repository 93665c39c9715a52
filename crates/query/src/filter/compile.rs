//! Filter trees to `INET_DIAG_REQ_BYTECODE` (spec §3.8).
//!
//! [`compile`] is ss 6.1's `ssfilter_bytecompile` (misc/ss.c), byte for byte: ops
//! `{u8 code, u8 yes, u16 no}` in host order, every condition falling through on success
//! (`yes` = its length) and jumping 4 bytes past its end on failure (`no` = length + 4, which
//! at the end of the program means "reject"); AND relocates the left side's reject exits,
//! OR inserts a JMP over the right side, NOT appends `{JMP, 4, 8}`; `dev` compiles to nothing,
//! which makes the whole expression non-compilable.
//!
//! [`compile_exact`] is sockscope's program for `--filter-mode kernel`: ss's program AND an
//! encoding of ss's user-space rules for inet sockets (raw-bit address compares across
//! families, every address of a host name, `autobound` as the ephemeral port range, ports as
//! ints, `dev` as DEV_COND), so that the kernel alone decides what ss would show.
//!
//! sockscope's user-space-only conditions (`pid`, `comm`, `uid`) have no op code. Both
//! compilers relax them by polarity: "accept" where an even number of NOTs is above them and
//! "reject" under an odd number. AND and OR are monotone and NOT swaps the direction, so the
//! relaxed program accepts every socket the exact tree accepts (it may accept more; user space
//! re-checks those). The constants are folded away (`x AND true` is `x`), and an expression
//! that folds to "accept" sends no program at all. Trees without these conditions compile to
//! exactly ss's bytes.

use super::{HostCond, Node, Prefix};
use crate::model::family;

/// Op codes (include/uapi/linux/inet_diag.h).
pub mod op {
    pub const NOP: u8 = 0;
    pub const JMP: u8 = 1;
    pub const S_GE: u8 = 2;
    pub const S_LE: u8 = 3;
    pub const D_GE: u8 = 4;
    pub const D_LE: u8 = 5;
    pub const AUTO: u8 = 6;
    pub const S_COND: u8 = 7;
    pub const D_COND: u8 = 8;
    pub const DEV_COND: u8 = 9;
    pub const MARK_COND: u8 = 10;
    pub const S_EQ: u8 = 11;
    pub const D_EQ: u8 = 12;
    pub const CGROUP_COND: u8 = 13;
}

/// `struct inet_diag_hostcond` without the address: family, prefix_len, 2 pad bytes, s32 port.
const HOSTCOND_LEN: usize = 8;

/// Largest program sockscope sends (the rtattr length is a u16).
const MAX_PROGRAM: usize = 0xffff - 4;

fn push_op(out: &mut Vec<u8>, code: u8, yes: u8, no: u16) {
    out.push(code);
    out.push(yes);
    out.extend_from_slice(&no.to_ne_bytes());
}

/// One host condition op: `{code, L, L+4}` + hostcond + `alen` address bytes.
fn push_cond(
    out: &mut Vec<u8>,
    code: u8,
    fam: u8,
    prefix: u8,
    port: i32,
    addr: &[u8],
    alen: usize,
) {
    let oplen = 4 + HOSTCOND_LEN + alen;
    push_op(out, code, oplen as u8, (oplen + 4) as u16);
    out.extend_from_slice(&[fam, prefix, 0, 0]);
    out.extend_from_slice(&port.to_ne_bytes());
    let mut a = [0u8; 16];
    let n = addr.len().min(16);
    a[..n].copy_from_slice(&addr[..n]);
    out.extend_from_slice(&a[..alen]);
}

fn port_op(code: u8, port: i32) -> Vec<u8> {
    let mut v = Vec::with_capacity(8);
    push_op(&mut v, code, 8, 12);
    // `{0, 0, port}`: the port travels in the u16 `no` field.
    push_op(&mut v, 0, 0, port as u16);
    v
}

/// `ssfilter_patch`: every op of `a` (walked by `yes`) whose `no` is exactly 4 past the end of
/// `a` gets `reloc` added.
fn patch(a: &mut [u8], reloc: usize) {
    let len = a.len();
    let mut at = 0usize;
    while at < len {
        let rem = len - at;
        let (Some(&yes), Some(no)) = (a.get(at + 1), a.get(at + 2..at + 4)) else {
            return;
        };
        let no = u16::from_ne_bytes([no[0], no[1]]);
        if usize::from(no) == rem + 4 {
            let v = no.wrapping_add(reloc as u16).to_ne_bytes();
            a[at + 2] = v[0];
            a[at + 3] = v[1];
        }
        if yes == 0 {
            return;
        }
        at += usize::from(yes);
    }
}

fn and(mut a: Vec<u8>, b: Vec<u8>) -> Vec<u8> {
    patch(&mut a, b.len());
    a.extend_from_slice(&b);
    a
}

fn or(mut a: Vec<u8>, b: Vec<u8>) -> Vec<u8> {
    push_op(&mut a, op::JMP, 4, (b.len() + 4) as u16);
    a.extend_from_slice(&b);
    a
}

fn not(mut a: Vec<u8>) -> Vec<u8> {
    push_op(&mut a, op::JMP, 4, 8);
    a
}

/// ss's host condition: one op per address, each a copy of the first (upstream quirk), JMPs
/// to the end between them; the address is 16 bytes if the first is IPv6, else 4.
fn hostcond(code: u8, h: &HostCond) -> Vec<u8> {
    let a = &h.addr;
    let alen = if a.family == family::INET6 { 16 } else { 4 };
    let count = 1 + h.more.len();
    let oplen = 4 + HOSTCOND_LEN + alen;
    let len = count * oplen + (count - 1) * 4;
    let mut out = Vec::with_capacity(len);
    for i in 0..count {
        push_cond(
            &mut out,
            code,
            a.family,
            a.bitlen as u8,
            h.port,
            &a.data,
            alen,
        );
        if i + 1 < count {
            let dist = len - out.len();
            push_op(&mut out, op::JMP, 4, dist as u16);
        }
    }
    out
}

/// A compiled subtree: a program, or a constant the relaxation produced.
enum Bc {
    True,
    False,
    Prog(Vec<u8>),
}

impl Bc {
    fn and(a: Bc, b: Bc) -> Bc {
        match (a, b) {
            (Bc::False, _) | (_, Bc::False) => Bc::False,
            (Bc::True, x) | (x, Bc::True) => x,
            (Bc::Prog(a), Bc::Prog(b)) => Bc::Prog(and(a, b)),
        }
    }

    fn or(a: Bc, b: Bc) -> Bc {
        match (a, b) {
            (Bc::True, _) | (_, Bc::True) => Bc::True,
            (Bc::False, x) | (x, Bc::False) => x,
            (Bc::Prog(a), Bc::Prog(b)) => Bc::Prog(or(a, b)),
        }
    }

    fn not(a: Bc) -> Bc {
        match a {
            Bc::True => Bc::False,
            Bc::False => Bc::True,
            Bc::Prog(a) => Bc::Prog(not(a)),
        }
    }

    /// The program to send: none for "accept everything".
    fn program(self) -> Option<Vec<u8>> {
        match self {
            Bc::True => None,
            // Not reachable from a whole tree (its top is a positive position, where the
            // relaxation only yields "accept"), but a rejecting program is the right meaning.
            Bc::False => Some(falsity()),
            Bc::Prog(p) => Some(p),
        }
    }
}

/// ss's bytecode for `n`; `None` when ss sends none (the tree contains `dev`), or when the
/// relaxed tree accepts everything (see the module docs).
pub fn compile(n: &Node) -> Option<Vec<u8>> {
    ss_bc(n, true)?.program()
}

/// ss's compiler over a subtree at a position of the given polarity.
fn ss_bc(n: &Node, positive: bool) -> Option<Bc> {
    Some(Bc::Prog(match n {
        Node::Auto => {
            let mut v = Vec::with_capacity(4);
            push_op(&mut v, op::AUTO, 4, 8);
            v
        }
        Node::DCond(h) => hostcond(op::D_COND, h),
        Node::SCond(h) => hostcond(op::S_COND, h),
        Node::DGe(p) => port_op(op::D_GE, *p),
        Node::DLe(p) => port_op(op::D_LE, *p),
        Node::SGe(p) => port_op(op::S_GE, *p),
        Node::SLe(p) => port_op(op::S_LE, *p),
        Node::And(a, b) => return Some(Bc::and(ss_bc(a, positive)?, ss_bc(b, positive)?)),
        Node::Or(a, b) => return Some(Bc::or(ss_bc(a, positive)?, ss_bc(b, positive)?)),
        Node::Not(a) => return Some(Bc::not(ss_bc(a, !positive)?)),
        Node::Dev(_) => return None,
        Node::Pid(..) | Node::Comm(_) | Node::Uid(..) => {
            return Some(if positive { Bc::True } else { Bc::False })
        }
        Node::Mark { mark, mask } => {
            let mut v = Vec::with_capacity(12);
            push_op(&mut v, op::MARK_COND, 12, 16);
            v.extend_from_slice(&mark.to_ne_bytes());
            v.extend_from_slice(&mask.to_ne_bytes());
            v
        }
        Node::Cgroup(id) => {
            let mut v = Vec::with_capacity(12);
            push_op(&mut v, op::CGROUP_COND, 12, 16);
            v.extend_from_slice(&id.to_ne_bytes());
            v
        }
    }))
}

/// Whether the tree has a host condition of a non-inet family (unix, link, netlink, vsock):
/// the kernel rejects ss's program then, and sockscope's exact program cannot express it.
pub fn has_foreign_hostcond(n: &Node) -> bool {
    n.any(&|x| match x {
        Node::DCond(h) | Node::SCond(h) => {
            !matches!(h.addr.family, family::UNSPEC | family::INET | family::INET6)
        }
        _ => false,
    })
}

// ---------------------------------------------------------------------------------------
// The exact program.

/// Always true: `sport >= 0`.
fn truth() -> Vec<u8> {
    port_op(op::S_GE, 0)
}

fn falsity() -> Vec<u8> {
    not(truth())
}

/// `port >= p` for a port in 0..=65535 compared as an int.
fn ge(code: u8, p: i32) -> Vec<u8> {
    if p <= 0 {
        truth()
    } else if p > 0xffff {
        falsity()
    } else {
        port_op(code, p)
    }
}

/// `port <= p` compared as an int.
fn le(code: u8, p: i32) -> Vec<u8> {
    if p < 0 {
        falsity()
    } else if p >= 0xffff {
        truth()
    } else {
        port_op(code, p)
    }
}

/// True exactly for IPv6 sockets: an INET6 condition with prefix 0 and any port.
fn is_v6(code: u8) -> Vec<u8> {
    let mut v = Vec::new();
    push_cond(&mut v, code, family::INET6, 0, -1, &[0; 16], 16);
    v
}

/// ss's user-space test of one address of `h` on inet sockets (raw bits + v4-mapped rule).
fn user_addr(code: u8, port: i32, p: &Prefix) -> Option<Vec<u8>> {
    let bits = u32::try_from(p.bitlen).ok()?;
    let cond = |fam: u8, prefix: u32, addr: &[u8], alen: usize| {
        let mut v = Vec::new();
        push_cond(&mut v, code, fam, prefix as u8, port, addr, alen);
        v
    };
    match p.family {
        family::INET if bits <= 32 => {
            // IPv4 sockets and v4-mapped IPv6 ones (the kernel's INET rule), or the first
            // bits of any IPv6 address (ss's raw compare).
            let mut raw6 = [0u8; 16];
            raw6[..4].copy_from_slice(&p.data[..4]);
            Some(or(
                cond(family::INET, bits, &p.data[..4], 4),
                cond(family::INET6, bits, &raw6, 16),
            ))
        }
        family::INET6 if bits <= 128 => {
            let v6 = cond(family::INET6, bits, &p.data, 16);
            // IPv4 sockets hold their address in the first word, zeros after it.
            let v4_bits = if bits <= 32 {
                Some(bits)
            } else {
                let tail_zero = (32..bits as usize).all(|b| p.data[b / 8] & (0x80 >> (b % 8)) == 0);
                tail_zero.then_some(32)
            };
            Some(match v4_bits {
                // Only for IPv4 sockets: the INET condition would also take v4-mapped ones.
                Some(b4) => or(
                    v6,
                    and(not(is_v6(code)), cond(family::INET, b4, &p.data[..4], 4)),
                ),
                None => v6,
            })
        }
        _ => None,
    }
}

fn user_hostcond(code: u8, h: &HostCond) -> Option<Vec<u8>> {
    if !matches!(h.addr.family, family::UNSPEC | family::INET | family::INET6) {
        return None;
    }
    if h.addr.bitlen == 0 {
        let mut v = Vec::new();
        push_cond(&mut v, code, family::UNSPEC, 0, h.port, &[0; 4], 4);
        return Some(v);
    }
    let mut prog = user_addr(code, h.port, &h.addr)?;
    for p in &h.more {
        prog = or(prog, user_addr(code, h.port, p)?);
    }
    Some(prog)
}

/// ss's user-space rules for inet sockets as a program, at a position of the given polarity.
fn user(n: &Node, ephemeral: (i32, i32), positive: bool) -> Option<Bc> {
    Some(Bc::Prog(match n {
        Node::And(a, b) => {
            return Some(Bc::and(
                user(a, ephemeral, positive)?,
                user(b, ephemeral, positive)?,
            ))
        }
        Node::Or(a, b) => {
            return Some(Bc::or(
                user(a, ephemeral, positive)?,
                user(b, ephemeral, positive)?,
            ))
        }
        Node::Not(a) => return Some(Bc::not(user(a, ephemeral, !positive)?)),
        Node::Pid(..) | Node::Comm(_) | Node::Uid(..) => {
            return Some(if positive { Bc::True } else { Bc::False })
        }
        Node::DCond(h) => user_hostcond(op::D_COND, h)?,
        Node::SCond(h) => user_hostcond(op::S_COND, h)?,
        Node::DGe(p) => ge(op::D_GE, *p),
        Node::DLe(p) => le(op::D_LE, *p),
        Node::SGe(p) => ge(op::S_GE, *p),
        Node::SLe(p) => le(op::S_LE, *p),
        Node::Auto => and(ge(op::S_GE, ephemeral.0), le(op::S_LE, ephemeral.1)),
        Node::Dev(i) => {
            let mut v = Vec::with_capacity(8);
            push_op(&mut v, op::DEV_COND, 8, 12);
            v.extend_from_slice(&i.to_ne_bytes());
            v
        }
        Node::Mark { .. } | Node::Cgroup(_) => return ss_bc(n, positive),
    }))
}

/// sockscope's exact program (see the module docs): the kernel's verdict on it equals ss's
/// final verdict (kernel AND user space) for inet sockets whose bind lock, mark and cgroup
/// the kernel reports as user space sees them — relaxed for `pid`, `comm` and `uid`, which
/// user space must then still check. `None` when the tree has non-inet host conditions, the
/// program would be too long, or the relaxed tree accepts everything.
pub fn compile_exact(n: &Node, ephemeral: (i32, i32)) -> Option<Vec<u8>> {
    let u = user(n, ephemeral, true)?;
    let whole = match ss_bc(n, true) {
        Some(k) => Bc::and(k, u),
        None => u,
    };
    whole.program().filter(|p| p.len() <= MAX_PROGRAM)
}
