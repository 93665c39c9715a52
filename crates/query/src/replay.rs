//! `TCPDIAG_FILE`: TCP sockets replayed from a recorded dump, as ss 6.1's
//! `tcp_show_netlink_file` does (misc/ss.c). The file is the raw concatenation of the kernel's
//! reply datagrams (what `ss -D FILE` writes, see [`crate::plan::write_tcp_dump`]).
//!
//! Reproduced behaviour: messages are read one by one (header, then `NLMSG_ALIGN(len - 16)`
//! bytes); the first `NLMSG_DONE` ends the replay (so a file holding an IPv4 and an IPv6 dump
//! only shows the IPv4 part); `NLMSG_ERROR` prints `TCPDIAG answered: <strerror>` (or
//! `ERROR truncated`); reaching the end of the file before a DONE prints
//! `Unexpected EOF reading $TCPDIAG_FILE` without a newline; no family, port id or sequence
//! check is made and every other message is taken as an `inet_diag_msg` of a TCP socket.

use std::io::Read;
use std::ops::ControlFlow;
use std::path::Path;

use sockscope_netlink::consts::*;
use sockscope_netlink::msg::{nl_align, ErrorMsg, NlMsgHeader};

use crate::diag;
use crate::model::{Sock, Source, Table};
use crate::plan::Visitor;

const EOF_TEXT: &str = "Unexpected EOF reading $TCPDIAG_FILE";

/// Replays `path`; `Break` when the visitor asked to stop.
pub fn replay_tcpdiag_file(path: &Path, v: &mut dyn Visitor) -> ControlFlow<()> {
    let mut data = Vec::new();
    match std::fs::File::open(path) {
        Ok(mut f) => {
            if let Err(e) = f.read_to_end(&mut data) {
                let errno = sockscope_netlink::Errno::from_io(&e);
                let what = if data.len() < NlMsgHeader::LEN {
                    "Reading header from"
                } else {
                    "Reading"
                };
                v.diagnostic(&format!("{what} $TCPDIAG_FILE: {errno}"));
                return ControlFlow::Continue(());
            }
        }
        Err(e) => {
            v.diagnostic(&format!(
                "fopen($TCPDIAG_FILE): {}",
                sockscope_netlink::Errno::from_io(&e)
            ));
            return ControlFlow::Continue(());
        }
    }
    replay_bytes(&data, v)
}

/// Replays an in-memory recording (the body of [`replay_tcpdiag_file`]).
pub fn replay_bytes(data: &[u8], v: &mut dyn Visitor) -> ControlFlow<()> {
    let mut pos = 0usize;
    loop {
        let Some(h) = data.get(pos..).and_then(NlMsgHeader::parse) else {
            v.diagnostic_raw(EOF_TEXT);
            return ControlFlow::Continue(());
        };
        // ss: fread(h + 1, 1, NLMSG_ALIGN(nlmsg_len - sizeof(*h))) in size_t arithmetic; a
        // length below 16 wraps to an impossible size and ends in the EOF message.
        let body_len = (h.len as usize).checked_sub(NlMsgHeader::LEN).map(nl_align);
        let body_start = pos + NlMsgHeader::LEN;
        let Some(body) = body_len.and_then(|n| data.get(body_start..body_start.checked_add(n)?))
        else {
            v.diagnostic_raw(EOF_TEXT);
            return ControlFlow::Continue(());
        };
        pos = body_start + body.len();
        match h.kind {
            NLMSG_DONE => return ControlFlow::Continue(()),
            NLMSG_ERROR => {
                match ErrorMsg::parse(h.flags, body) {
                    Some(e) if h.len as usize >= NlMsgHeader::LEN + ErrorMsg::MIN_LEN => v
                        .diagnostic(&format!(
                            "TCPDIAG answered: {}",
                            sockscope_netlink::strerror(e.errno())
                        )),
                    _ => v.diagnostic("ERROR truncated"),
                }
                return ControlFlow::Continue(());
            }
            _ => {
                // Attributes span nlmsg_len - 16 bytes (the aligned tail is padding).
                let payload = body
                    .get(..h.len as usize - NlMsgHeader::LEN)
                    .unwrap_or(body);
                let (mut s, deficit) =
                    diag::inet::decode_lenient(payload, Some(Table::Tcp), IPPROTO_TCP);
                s.source = Source::Replay;
                if let Some(d) = deficit {
                    v.diagnostic(&format!("!!!Deficit {}, rta_len={}", d.0, d.1));
                }
                v.socket(Sock::Inet(&s))?;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::InetSock;

    /// The iproute2 test suite's recorded dump (testsuite/tests/ss/ss1.dump): four IPv4
    /// sockets, DONE, then an IPv6 dump that ss never reaches.
    const SS1: &[u8] = include_bytes!("testdata/ss1.dump");

    #[derive(Default)]
    struct Rec {
        socks: Vec<String>,
        diags: Vec<String>,
        raw: Vec<String>,
    }

    impl Visitor for Rec {
        fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
            if let Sock::Inet(s) = sock {
                self.socks.push(fmt(s));
            }
            ControlFlow::Continue(())
        }
        fn diagnostic(&mut self, text: &str) {
            self.diags.push(text.to_string());
        }
        fn diagnostic_raw(&mut self, text: &str) {
            self.raw.push(text.to_string());
        }
    }

    fn fmt(s: &InetSock<'_>) -> String {
        format!(
            "{} {} {}.{}.{}.{}:{} {}.{}.{}.{}:{} r{} w{} t{} x{} uid{} ino{} sk{:x} sh{:?} p{}",
            s.family,
            s.state,
            s.src[0],
            s.src[1],
            s.src[2],
            s.src[3],
            s.sport,
            s.dst[0],
            s.dst[1],
            s.dst[2],
            s.dst[3],
            s.dport,
            s.rqueue,
            s.wqueue,
            s.timer,
            s.expires,
            s.uid,
            s.inode,
            s.cookie,
            s.attrs.shutdown,
            s.protocol
        )
    }

    #[test]
    fn ss1_dump_replays_like_ss() {
        let mut r = Rec::default();
        assert!(replay_bytes(SS1, &mut r).is_continue());
        // `TCPDIAG_FILE=ss1.dump ss -tane` prints exactly these four sockets
        // (ino:411 sk:3, ino:15840 sk:6, uid:1000 ino:15057 sk:7, ino:15834 sk:5; timers
        // keepalive 119min on the established ones; all `<->`).
        assert_eq!(
            r.socks,
            vec![
                "2 10 0.0.0.0:22 0.0.0.0:0 r0 w128 t0 x0 uid0 ino411 sk3 shSome(0) p6",
                "2 1 10.0.0.1:22 10.0.0.1:36266 r0 w0 t2 x7180950 uid0 ino15840 sk6 shSome(0) p6",
                "2 1 10.0.0.1:36266 10.0.0.1:22 r0 w0 t2 x7180937 uid1000 ino15057 sk7 shSome(0) p6",
                "2 1 10.0.0.1:22 10.0.0.2:50312 r0 w0 t2 x7153358 uid0 ino15834 sk5 shSome(0) p6",
            ]
        );
        assert!(r.diags.is_empty());
        assert!(r.raw.is_empty());
    }

    /// Recorded on this machine with `ip netns exec NS ss -D FILE -tl` (kernel 6.18): the IPv4
    /// dump (127.0.0.1:9000 and a listener bound to device index 3 on port 8085), DONE, then
    /// the IPv6 dump ([::]:9001 v6only, [::]:9002) and its DONE.
    const CAP_TL: &[u8] = include_bytes!("testdata/cap_tl.dump");
    /// `ss -D FILE -tami` in the same namespace: listeners and an established loopback pair,
    /// with MEMINFO, SKMEMINFO, INFO (280-byte tcp_info), CONG and BBRINFO attributes.
    const CAP_TAMI: &[u8] = include_bytes!("testdata/cap_tami.dump");

    #[test]
    fn kernel_capture_listeners() {
        /// state, sport, ifindex, inode, cookie, wqueue, mark, cgroup, shutdown, sockopt length
        type Row = (
            u8,
            u16,
            u32,
            u32,
            u64,
            u32,
            Option<u32>,
            Option<u64>,
            Option<u8>,
            usize,
        );
        let mut socks = Vec::new();
        struct V<'x>(&'x mut Vec<Row>);
        impl Visitor for V<'_> {
            fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
                if let Sock::Inet(s) = sock {
                    let a = s.attrs;
                    self.0.push((
                        s.state,
                        s.sport,
                        s.ifindex,
                        s.inode,
                        s.cookie,
                        s.wqueue,
                        a.mark,
                        a.cgroup_id,
                        a.shutdown,
                        a.sockopt.map_or(0, |o| o.len()),
                    ));
                }
                ControlFlow::Continue(())
            }
        }
        assert!(replay_bytes(CAP_TL, &mut V(&mut socks)).is_continue());
        // `TCPDIAG_FILE=cap_tl.dump ss -tlne` shows exactly these two (ino:309674 sk:19936,
        // ino:309691 sk:19937, both cgroup:/ and <->); the IPv6 half is never reached.
        assert_eq!(
            socks,
            vec![
                (
                    10,
                    9000,
                    0,
                    309674,
                    0x19936,
                    128,
                    Some(0),
                    Some(1),
                    Some(0),
                    2
                ),
                (
                    10,
                    8085,
                    3,
                    309691,
                    0x19937,
                    1,
                    Some(0),
                    Some(1),
                    Some(0),
                    2
                ),
            ]
        );
    }

    #[test]
    fn kernel_capture_with_info_and_memory() {
        let mut out = Vec::new();
        struct V<'x>(&'x mut Vec<String>);
        impl Visitor for V<'_> {
            fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
                if let Sock::Inet(s) = sock {
                    let a = s.attrs;
                    self.0.push(format!(
                        "{} {}>{} rq{} info{} cong{} skmem{} mem{} bbr{}",
                        s.state,
                        s.sport,
                        s.dport,
                        s.rqueue,
                        a.info.map_or(0, |i| i.len()),
                        String::from_utf8_lossy(a.cong.unwrap_or(b"-")),
                        a.skmeminfo.map_or(0, |m| m.len()),
                        a.meminfo.is_some(),
                        a.bbr.map_or(0, |b| b.len())
                    ));
                }
                ControlFlow::Continue(())
            }
        }
        assert!(replay_bytes(CAP_TAMI, &mut V(&mut out)).is_continue());
        assert_eq!(
            out,
            vec![
                "10 9000>0 rq0 info280 congbbr skmem36 memtrue bbr0",
                "10 8085>0 rq0 info280 congbbr skmem36 memtrue bbr0",
                "1 9000>58716 rq5 info280 congbbr skmem36 memtrue bbr20",
                "1 58716>9000 rq0 info280 congbbr skmem36 memtrue bbr20",
            ]
        );
    }

    #[test]
    fn eof_error_and_stop() {
        // Without its DONE (cut right after the 4th message): the EOF text, no newline.
        let mut r = Rec::default();
        let _ = replay_bytes(&SS1[..0x180], &mut r);
        assert_eq!(r.socks.len(), 4);
        assert_eq!(r.raw, vec![EOF_TEXT]);
        // Cut inside a message.
        let mut r = Rec::default();
        let _ = replay_bytes(&SS1[..0x70], &mut r);
        assert_eq!((r.socks.len(), r.raw.len()), (1, 1));
        // A header with nlmsg_len < 16.
        let mut r = Rec::default();
        let _ = replay_bytes(
            &[4, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4],
            &mut r,
        );
        assert_eq!((r.socks.len(), r.raw.len()), (0, 1));

        // NLMSG_ERROR -EINVAL and a truncated one.
        let mut err = NlMsgHeader {
            len: 36,
            kind: NLMSG_ERROR,
            flags: 0,
            seq: 0,
            pid: 0,
        }
        .to_bytes()
        .to_vec();
        err.extend_from_slice(&(-22i32).to_ne_bytes());
        err.extend_from_slice(&[0u8; 16]);
        let mut r = Rec::default();
        let _ = replay_bytes(&err, &mut r);
        assert_eq!(r.diags, vec!["TCPDIAG answered: Invalid argument"]);
        let mut short = NlMsgHeader {
            len: 24,
            kind: NLMSG_ERROR,
            flags: 0,
            seq: 0,
            pid: 0,
        }
        .to_bytes()
        .to_vec();
        short.extend_from_slice(&[0u8; 8]);
        let mut r = Rec::default();
        let _ = replay_bytes(&short, &mut r);
        assert_eq!(r.diags, vec!["ERROR truncated"]);

        // The visitor can stop the replay.
        struct First(usize);
        impl Visitor for First {
            fn socket(&mut self, _: Sock<'_>) -> ControlFlow<()> {
                self.0 += 1;
                ControlFlow::Break(())
            }
        }
        let mut f = First(0);
        assert!(replay_bytes(SS1, &mut f).is_break());
        assert_eq!(f.0, 1);
    }

    #[test]
    fn missing_file() {
        let mut r = Rec::default();
        let _ = replay_tcpdiag_file(Path::new("/nonexistent/ss1.dump"), &mut r);
        assert_eq!(
            r.diags,
            vec!["fopen($TCPDIAG_FILE): No such file or directory"]
        );
    }
}
