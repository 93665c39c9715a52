//! `floor-dump`: the least work user space can do for a listing: open the netlink socket, send
//! the same dump request the tool sends, receive every datagram into one reused buffer and
//! discard it (the sequence/port/DONE checks of the shared dump loop are all that runs per
//! message). `cargo xtask bench` times it next to ss and sockscope, so each ratio can also be
//! read against what the kernel allows.
//!
//! Requests (layouts from the UAPI headers; the field values ss 6.1 sends, per the spec §2.3):
//! * `inet`: `inet_diag_req_v2` for TCP, AF_INET then AF_INET6 on one socket (ss's order), with
//!   the given state mask and `idiag_ext`, optionally with the bytecode ss compiles for
//!   `dport = :P` or `dport >= :A and dport <= :B` (spec §3.8.2); `--parallel`: each family
//!   on its own socket and thread at the same time (sockscope's way on two cores);
//!   `--one-walk`: one legacy request for both families.
//! * `unix`: `unix_diag_req` with the given states and `udiag_show`.
//! * `route`: RTM_GETROUTE dump of one family (struct rtmsg all zero except the family).
//! * `link`: RTM_GETLINK dump with IFLA_EXT_MASK (iproute2 sends RTEXT_FILTER_VF).

use std::io::Write;
use std::ops::ControlFlow;

use sockscope_netlink::consts::*;
use sockscope_netlink::request::{self, InetRequest};
use sockscope_netlink::{NlMsgHeader, NlSocket, RecvBuffer};

use crate::parse_num;

/// The netlink message type of an RTM_GETROUTE request (linux/rtnetlink.h).
const RTM_GETROUTE: u16 = 26;
/// INET_DIAG_BC_* op codes (linux/inet_diag.h).
const BC_D_GE: u8 = 4;
const BC_D_LE: u8 = 5;
const BC_D_COND: u8 = 8;

/// How the TCP families are asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Walk {
    /// One v2 dump per family on one socket, one after the other (ss).
    InTurn,
    /// One legacy `TCPDIAG_GETSOCK` walk for both families.
    Once,
    /// Each family's v2 dump on its own thread and socket, at the same time.
    Parallel,
}

/// The TCP request's fields.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tcp {
    families: Vec<u8>,
    states: u32,
    ext: u8,
    bytecode: Option<Vec<u8>>,
}

impl Tcp {
    fn request(&self, family: u8) -> InetRequest<'_> {
        InetRequest {
            family,
            protocol: IPPROTO_TCP,
            ext: self.ext,
            states: self.states,
            bytecode: self.bytecode.as_deref(),
        }
    }
}

/// Which dump to run.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Floor {
    Inet { tcp: Tcp, walk: Walk },
    Unix { states: u32, show: u32 },
    Route { family: u8 },
    Link { ext_mask: u32 },
}

fn families(spec: &str) -> Result<Vec<u8>, String> {
    match spec {
        "4" => Ok(vec![AF_INET]),
        "6" => Ok(vec![AF_INET6]),
        "46" => Ok(vec![AF_INET, AF_INET6]),
        other => Err(format!("--family: {other:?} is not 4, 6 or 46")),
    }
}

fn parse(args: &[String]) -> Result<Floor, String> {
    let kind = args.first().map(String::as_str).unwrap_or_default();
    let mut it = args.iter().skip(1);
    let mut fams = vec![AF_INET, AF_INET6];
    let mut states = 0xfffu32;
    let mut ext = 0u8;
    let mut show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
    let mut ext_mask = RTEXT_FILTER_VF;
    let mut bytecode = None;
    let mut walk = Walk::InTurn;
    while let Some(a) = it.next() {
        match a.as_str() {
            "--one-walk" => walk = Walk::Once,
            // --one-walk wins over --parallel.
            "--parallel" if walk == Walk::InTurn => walk = Walk::Parallel,
            "--parallel" => {}
            "--family" => fams = families(it.next().map(String::as_str).unwrap_or_default())?,
            "--states" => states = parse_num(it.next(), "--states")?,
            "--ext" => ext = parse_num(it.next(), "--ext")?,
            "--show" => show = parse_num(it.next(), "--show")?,
            "--ext-mask" => ext_mask = parse_num(it.next(), "--ext-mask")?,
            "--dport" => bytecode = Some(bc_dport_eq(parse_num(it.next(), "--dport")?)),
            "--dport-range" => {
                let lo = parse_num(it.next(), "--dport-range")?;
                let hi = parse_num(it.next(), "--dport-range")?;
                bytecode = Some(bc_dport_range(lo, hi));
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match kind {
        "inet" => Ok(Floor::Inet {
            tcp: Tcp {
                families: fams,
                states,
                ext,
                bytecode,
            },
            walk,
        }),
        "unix" => Ok(Floor::Unix { states, show }),
        "route" if fams.len() == 1 => Ok(Floor::Route { family: fams[0] }),
        "route" => Err("route needs --family 4 or --family 6".into()),
        "link" => Ok(Floor::Link { ext_mask }),
        other => Err(format!("unknown dump {other:?}: inet, unix, route or link")),
    }
}

/// `dport = :P` as ss compiles it: a D_COND op (yes = 16 falls through, no = 20 rejects)
/// followed by a host condition with family UNSPEC, prefix 0, the port and a zero IPv4-sized
/// address.
fn bc_dport_eq(port: u16) -> Vec<u8> {
    let mut bc = vec![BC_D_COND, 16];
    bc.extend_from_slice(&20u16.to_ne_bytes());
    bc.extend_from_slice(&[0, 0, 0, 0]); // family, prefix_len, 2 pad bytes
    bc.extend_from_slice(&i32::from(port).to_ne_bytes());
    bc.extend_from_slice(&[0; 4]);
    bc
}

/// `dport >= :LO and dport <= :HI`: D_GE then D_LE, each op + an operand word carrying the port
/// in its `no` field; the first op's reject exit is relocated past the second (AND, §3.8.2).
fn bc_dport_range(lo: u16, hi: u16) -> Vec<u8> {
    let mut bc = Vec::with_capacity(16);
    for (code, no, port) in [(BC_D_GE, 20u16, lo), (BC_D_LE, 12, hi)] {
        bc.extend_from_slice(&[code, 8]);
        bc.extend_from_slice(&no.to_ne_bytes());
        bc.extend_from_slice(&[0, 0]);
        bc.extend_from_slice(&port.to_ne_bytes());
    }
    bc
}

/// RTM_GETROUTE dump request: nlmsghdr + struct rtmsg (12 bytes) with only the family set.
fn getroute_dump(out: &mut Vec<u8>, seq: u32, family: u8) {
    let header = NlMsgHeader {
        len: 28,
        kind: RTM_GETROUTE,
        flags: NLM_F_REQUEST | NLM_F_DUMP,
        seq,
        pid: 0,
    };
    out.extend_from_slice(&header.to_bytes());
    out.extend_from_slice(&[family, 0, 0, 0, 0, 0, 0, 0]);
    out.extend_from_slice(&0u32.to_ne_bytes());
}

/// Each family's v2 TCP dump on its own thread and socket, all at once; returns the number of
/// data messages.
fn parallel_inet(tcp: &Tcp) -> Result<u64, String> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = tcp
            .families
            .iter()
            .map(|&family| {
                scope.spawn(move || -> Result<u64, String> {
                    let sock = NlSocket::sock_diag().map_err(|e| format!("netlink socket: {e}"))?;
                    let mut req = Vec::with_capacity(128);
                    request::inet_diag_v2(&mut req, SS_MAGIC_SEQ, &tcp.request(family));
                    sock.send(&req).map_err(|e| format!("send: {e}"))?;
                    let mut rb = RecvBuffer::new();
                    let summary = sock
                        .dump(&mut rb, SS_MAGIC_SEQ, |_, _| ControlFlow::Continue(()))
                        .map_err(|e| format!("dump: {e}"))?;
                    Ok(summary.messages)
                })
            })
            .collect();
        threads.into_iter().try_fold(0, |n, t| {
            Ok(n + t.join().map_err(|_| "dump thread panicked".to_string())??)
        })
    })
}

/// Runs `floor-dump ARGS` and prints the number of data messages received.
pub fn run(args: &[String]) -> Result<(), String> {
    let floor = parse(args)?;
    if let Floor::Inet {
        tcp,
        walk: Walk::Parallel,
    } = &floor
    {
        return report(parallel_inet(tcp)?);
    }
    let mut rb = RecvBuffer::new();
    let mut req = Vec::with_capacity(128);
    let mut messages = 0u64;
    let sock = match floor {
        Floor::Route { .. } | Floor::Link { .. } => {
            let mut s = NlSocket::route().map_err(|e| format!("netlink socket: {e}"))?;
            // The floor does not peek: dump datagrams are capped near 32 KiB by the kernel, and
            // the loop grows the buffer if one ever is larger.
            s.set_peek_first(false);
            s
        }
        _ => NlSocket::sock_diag().map_err(|e| format!("netlink socket: {e}"))?,
    };
    let mut dump = |req: &[u8], seq: u32| -> Result<(), String> {
        sock.send(req).map_err(|e| format!("send: {e}"))?;
        let summary = sock
            .dump(&mut rb, seq, |_, _| ControlFlow::Continue(()))
            .map_err(|e| format!("dump: {e}"))?;
        messages += summary.messages;
        Ok(())
    };
    let mut seq = SS_MAGIC_SEQ;
    match &floor {
        Floor::Inet {
            tcp,
            walk: Walk::Once,
        } => {
            request::inet_diag_legacy(&mut req, seq, &tcp.request(AF_INET));
            dump(&req, seq)?;
        }
        Floor::Inet { tcp, .. } => {
            for &family in &tcp.families {
                req.clear();
                request::inet_diag_v2(&mut req, seq, &tcp.request(family));
                dump(&req, seq)?;
                seq = seq.wrapping_add(1);
            }
        }
        Floor::Unix { states, show } => {
            request::unix_diag(&mut req, seq, *states, *show);
            dump(&req, seq)?;
        }
        Floor::Route { family } => {
            getroute_dump(&mut req, seq, *family);
            dump(&req, seq)?;
        }
        Floor::Link { ext_mask } => {
            request::getlink_dump(&mut req, seq, *ext_mask);
            dump(&req, seq)?;
        }
    }
    report(messages)
}

/// The one line of output: how many data messages the dump had.
fn report(messages: u64) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{messages} messages").map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn dport_eq_matches_the_captured_ss_encoding() {
        // Spec §3.8.3, first alternative of `dport = :22 or sport = :22`.
        assert_eq!(
            bc_dport_eq(22),
            [8, 0x10, 0x14, 0, 0, 0, 0, 0, 0x16, 0, 0, 0, 0, 0, 0, 0]
        );
    }

    #[test]
    fn dport_range_is_an_and_of_two_compares() {
        // `sport >= :1024` is `02 08 0c 00 00 00 00 04` (§3.8.3); AND relocates the first
        // op's reject exit (12) by the 8 bytes of the second.
        assert_eq!(
            bc_dport_range(1024, 1025),
            [4, 8, 20, 0, 0, 0, 0, 4, 5, 8, 12, 0, 0, 0, 1, 4]
        );
    }

    #[test]
    fn getroute_request_is_28_bytes() {
        let mut out = Vec::new();
        getroute_dump(&mut out, 7, AF_INET6);
        assert_eq!(out.len(), 28);
        let h = NlMsgHeader::parse(&out).expect("header");
        assert_eq!((h.len, h.kind, h.flags, h.seq), (28, 26, 0x301, 7));
        assert_eq!(out[16], AF_INET6);
    }

    #[test]
    fn arguments_select_the_dump() {
        assert_eq!(
            parse(&args(&["inet", "--ext", "0x0e", "--dport", "5001"])),
            Ok(Floor::Inet {
                tcp: Tcp {
                    families: vec![AF_INET, AF_INET6],
                    states: 0xfff,
                    ext: 0x0e,
                    bytecode: Some(bc_dport_eq(5001)),
                },
                walk: Walk::InTurn,
            })
        );
        let walk = |words: &[&str]| match parse(&args(words)) {
            Ok(Floor::Inet { walk, .. }) => Some(walk),
            _ => None,
        };
        assert_eq!(walk(&["inet", "--parallel"]), Some(Walk::Parallel));
        assert_eq!(walk(&["inet", "--one-walk"]), Some(Walk::Once));
        assert_eq!(
            walk(&["inet", "--one-walk", "--parallel"]),
            Some(Walk::Once)
        );
        assert_eq!(
            walk(&["inet", "--parallel", "--one-walk"]),
            Some(Walk::Once)
        );
        assert_eq!(
            parse(&args(&["unix"])),
            Ok(Floor::Unix {
                states: 0xfff,
                show: 0x15
            })
        );
        assert_eq!(
            parse(&args(&["route", "--family", "6"])),
            Ok(Floor::Route { family: AF_INET6 })
        );
        assert!(parse(&args(&["route"])).is_err());
        assert!(parse(&args(&["bogus"])).is_err());
        assert!(parse(&args(&["inet", "--family", "5"])).is_err());
    }

    #[test]
    fn live_floor_dump_of_this_namespace_succeeds() {
        // Needs only a sock_diag socket (no privileges for a plain TCP dump).
        assert_eq!(run(&args(&["inet", "--family", "4"])), Ok(()));
        assert_eq!(run(&args(&["inet", "--parallel"])), Ok(()));
    }
}
