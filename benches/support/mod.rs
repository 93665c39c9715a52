//! Shared input of the micro benchmarks: dumps of any size made from captured kernel replies
//! (`benches/data/*.dump`, see the README there), so decoding, filtering and rendering run on
//! real attribute layouts without root or a live fixture.
//!
//! [`dump`] returns a TCPDIAG_FILE-format buffer (what `sockscope_query::replay::replay_bytes`
//! reads): `n` data messages cycled from the captures, each with its own source and destination
//! port (source ports 5001..=5010 in turn, so `sport = :5001` matches 10%), then one NLMSG_DONE.
#![allow(dead_code)]

const CAPTURES: [&[u8]; 2] = [
    include_bytes!("../data/cap_tami.dump"),
    include_bytes!("../data/cap_tl.dump"),
];

/// NLMSG_DONE (linux/netlink.h).
const NLMSG_DONE: u16 = 3;
/// SOCK_DIAG_BY_FAMILY: the type of every inet reply.
const SOCK_DIAG_BY_FAMILY: u16 = 20;
/// Offset of `id.idiag_sport` in a message: nlmsghdr (16) + family, state, timer, retrans.
const SPORT_AT: usize = 20;

/// The data messages of a capture (whole messages, header included).
fn messages(capture: &'static [u8]) -> Vec<&'static [u8]> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    while let Some(h) = capture.get(pos..pos + 16) {
        let len = u32::from_ne_bytes([h[0], h[1], h[2], h[3]]) as usize;
        let kind = u16::from_ne_bytes([h[4], h[5]]);
        let Some(msg) = capture.get(pos..pos + len) else {
            break;
        };
        if kind == SOCK_DIAG_BY_FAMILY && len >= SPORT_AT + 4 {
            out.push(msg);
        }
        pos += (len + 3) & !3;
        if len < 16 {
            break;
        }
    }
    out
}

/// Data messages of the captures; `estab_only` keeps only ESTABLISHED sockets (state 1), which
/// carry the full tcp_info.
pub fn templates(estab_only: bool) -> Vec<&'static [u8]> {
    CAPTURES
        .iter()
        .flat_map(|c| messages(c))
        .filter(|m| !estab_only || m.get(17) == Some(&1))
        .collect()
}

/// A replayable dump of `n` sockets cycled from `templates`, ports rewritten per socket.
pub fn dump(n: usize, templates: &[&[u8]]) -> Vec<u8> {
    assert!(!templates.is_empty(), "no captured messages");
    let mut out = Vec::with_capacity(n * 512);
    for i in 0..n {
        let t = templates[i % templates.len()];
        let at = out.len();
        out.extend_from_slice(t);
        while out.len() % 4 != 0 {
            out.push(0);
        }
        let sport = 5001 + (i % 10) as u16;
        let dport = 32768 + ((i * 7919) % 28000) as u16;
        out[at + SPORT_AT..at + SPORT_AT + 2].copy_from_slice(&sport.to_be_bytes());
        out[at + SPORT_AT + 2..at + SPORT_AT + 4].copy_from_slice(&dport.to_be_bytes());
    }
    // NLMSG_DONE with a zero status.
    out.extend_from_slice(&20u32.to_ne_bytes());
    out.extend_from_slice(&NLMSG_DONE.to_ne_bytes());
    out.extend_from_slice(&[0u8; 10]);
    out.extend_from_slice(&0i32.to_ne_bytes());
    out
}
