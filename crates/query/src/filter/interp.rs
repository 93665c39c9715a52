//! A mirror of the kernel's inet_diag bytecode machine (net/ipv4/inet_diag.c, Linux 6.x):
//! [`audit`] is `inet_diag_bc_audit` (what makes a request fail with EINVAL/EPERM) and
//! [`run`] is `inet_diag_bc_run`. sockscope never needs them to list sockets; the tests use
//! them to check that both compilers produce programs the kernel accepts and that mean what
//! the trees mean.

use super::compile::op;
use super::eval::{kcond, KernelEntry};

fn u16_at(bc: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_ne_bytes([*bc.get(at)?, *bc.get(at + 1)?]))
}

fn u32_at(bc: &[u8], at: usize) -> Option<u32> {
    let b = bc.get(at..at + 4)?;
    Some(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
}

/// Why the kernel would refuse a program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditError {
    /// EINVAL, with the rule that failed.
    Invalid(&'static str),
}

/// `valid_cc`: walking from the start by `yes`, offset `len - cc_from_end`... i.e. whether a
/// jump target `cc` bytes before the end lands on an op boundary.
fn valid_cc(bc: &[u8], cc: usize) -> bool {
    let mut len = bc.len() as isize;
    let mut at = 0usize;
    let cc = cc as isize;
    while len >= 0 {
        if cc > len {
            return false;
        }
        if cc == len {
            return true;
        }
        let Some(&yes) = bc.get(at + 1) else {
            return false;
        };
        if yes < 4 || yes & 3 != 0 {
            return false;
        }
        len -= isize::from(yes);
        at += usize::from(yes);
    }
    false
}

/// `inet_diag_bc_audit` (with CAP_NET_ADMIN, so MARK_COND is allowed).
pub fn audit(bc: &[u8]) -> Result<(), AuditError> {
    let bad = |why| Err(AuditError::Invalid(why));
    if bc.len() < 4 {
        return bad("shorter than one op");
    }
    let mut len = bc.len() as isize;
    let mut at = 0usize;
    while len > 0 {
        let mut min_len: isize = 4;
        let code = bc[at];
        let yes = isize::from(bc.get(at + 1).copied().unwrap_or(0));
        let no = u16_at(bc, at + 2).unwrap_or(0) as isize;
        match code {
            op::S_COND | op::D_COND => {
                min_len += 8;
                if len < min_len {
                    return bad("hostcond: no room for the condition");
                }
                let fam = bc[at + 4];
                let prefix = isize::from(bc[at + 5]);
                let alen = match fam {
                    0 => 0,
                    2 => 4,
                    10 => 16,
                    _ => return bad("hostcond: family"),
                };
                min_len += alen;
                if len < min_len {
                    return bad("hostcond: no room for the address");
                }
                if prefix > 8 * alen {
                    return bad("hostcond: prefix length");
                }
            }
            op::DEV_COND => {
                min_len += 4;
                if len < min_len {
                    return bad("devcond: no room");
                }
            }
            op::S_EQ | op::S_GE | op::S_LE | op::D_EQ | op::D_GE | op::D_LE => {
                min_len += 4;
                if len < min_len {
                    return bad("port comparison: no room");
                }
            }
            op::MARK_COND => {
                min_len += 8;
                if len < min_len {
                    return bad("markcond: no room");
                }
            }
            op::CGROUP_COND => {
                min_len += 8;
                if len < min_len {
                    return bad("cgroupcond: no room");
                }
            }
            op::AUTO | op::JMP | op::NOP => {}
            _ => return bad("unknown op code"),
        }
        if code != op::NOP {
            if no < min_len || no > len + 4 || no & 3 != 0 {
                return bad("no: out of range");
            }
            if no < len && !valid_cc(bc, (len - no) as usize) {
                return bad("no: not on an op boundary");
            }
        }
        if yes < min_len || yes > len + 4 || yes & 3 != 0 {
            return bad("yes: out of range");
        }
        at += yes as usize;
        len -= yes;
    }
    if len == 0 {
        Ok(())
    } else {
        bad("program overruns its end")
    }
}

/// `inet_diag_bc_run`: whether the program accepts `e`. Assumes an audited program (reads
/// out of bounds count as a reject, never a panic).
pub fn run(bc: &[u8], e: &KernelEntry) -> bool {
    let mut len = bc.len() as isize;
    let mut at = 0usize;
    while len > 0 {
        let Some(&code) = bc.get(at) else {
            return false;
        };
        let second = u16_at(bc, at + 6);
        let yes = match code {
            op::NOP => true,
            op::JMP => false,
            op::S_EQ => second.is_some_and(|p| e.sport == p),
            op::S_GE => second.is_some_and(|p| e.sport >= p),
            op::S_LE => second.is_some_and(|p| e.sport <= p),
            op::D_EQ => second.is_some_and(|p| e.dport == p),
            op::D_GE => second.is_some_and(|p| e.dport >= p),
            op::D_LE => second.is_some_and(|p| e.dport <= p),
            op::AUTO => e.auto,
            op::S_COND | op::D_COND => {
                let (Some(&fam), Some(&prefix), Some(port)) =
                    (bc.get(at + 4), bc.get(at + 5), u32_at(bc, at + 8))
                else {
                    return false;
                };
                let addr = bc.get(at + 12..).unwrap_or(&[]);
                kcond(e, code == op::S_COND, fam, prefix, port as i32, addr)
            }
            op::DEV_COND => u32_at(bc, at + 4).is_some_and(|i| i == e.ifindex),
            op::MARK_COND => match (u32_at(bc, at + 4), u32_at(bc, at + 8)) {
                (Some(mark), Some(mask)) => e.mark & mask == mark,
                _ => false,
            },
            op::CGROUP_COND => match bc.get(at + 4..at + 12) {
                Some(b) => {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(b);
                    u64::from_ne_bytes(w) == e.cgroup
                }
                None => false,
            },
            _ => true,
        };
        let step = if yes {
            isize::from(bc.get(at + 1).copied().unwrap_or(0))
        } else {
            u16_at(bc, at + 2).unwrap_or(0) as isize
        };
        if step <= 0 {
            return false;
        }
        len -= step;
        at = at.wrapping_add(step as usize);
    }
    len == 0
}
