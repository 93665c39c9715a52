//! /proc/net/netlink parsed like ss 6.1's `netlink_show` (misc/ss.c): the header must exist
//! (256-byte fgets), then each piece is scanned with `"%llx %d %d %x %d %d %llx %d"` = sk,
//! Eth (protocol), Pid, Groups, Rmem, Wmem, Dump (printed as `cb=`), Locks. The variables live
//! outside ss's loop, so a field that fails to convert keeps the previous line's value; no
//! newline check is made. Every line is shown as not connected (state 0, no peer), inode 0.

use std::ops::ControlFlow;

use super::scan::{Fgets, Scan};
use super::ReadOutcome;
use crate::model::{NetlinkSock, Source};

#[derive(Clone, Copy, Debug, Default)]
struct Vars {
    sk: u64,
    prot: i32,
    pid: i32,
    groups: u32,
    rq: i32,
    wq: i32,
    cb: u64,
}

/// Reads a whole file; `Failed` when there is no header line.
pub fn read_file(
    data: &[u8],
    emit: &mut dyn FnMut(&NetlinkSock<'_>) -> ControlFlow<()>,
) -> ReadOutcome {
    let mut lines = Fgets::new(data, 256);
    if lines.next().is_none() {
        return ReadOutcome::Failed;
    }
    let mut v = Vars::default();
    for piece in lines {
        let mut sc = Scan::new(piece);
        'scan: {
            macro_rules! get {
                ($e:expr) => {
                    match $e {
                        Some(x) => x,
                        None => break 'scan,
                    }
                };
            }
            v.sk = get!(sc.hex_u64(None));
            v.prot = get!(sc.dec_i32());
            v.pid = get!(sc.dec_i32());
            v.groups = get!(sc.hex_u32(None));
            v.rq = get!(sc.dec_i32());
            v.wq = get!(sc.dec_i32());
            v.cb = get!(sc.hex_u64(None));
            let _locks = get!(sc.dec_i32());
        }
        let s = NetlinkSock {
            source: Source::Proc,
            protocol: v.prot as u8,
            portid: v.pid as u32,
            groups: Some(v.groups),
            proc_sk: v.sk,
            proc_cb: v.cb,
            proc_rmem: v.rq as u32,
            proc_wmem: v.wq as u32,
            ..NetlinkSock::default()
        };
        if emit(&s).is_break() {
            return ReadOutcome::Stopped;
        }
    }
    ReadOutcome::Done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn netlink_lines() {
        // First lines captured from this machine's /proc/net/netlink, plus odd ones.
        let data = b"sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n\
00000000bce0a09b 0   0          00000000 0        0        0     2        0        4       \n\
00000000cabc3d78 4   4294967295 00000011 128      64       1     2        0        564     \n\
zz\n";
        let mut v = Vec::new();
        let r = read_file(data, &mut |s| {
            v.push((
                s.proc_sk,
                s.protocol,
                s.portid as i32,
                s.groups,
                s.proc_rmem,
                s.proc_wmem,
                s.proc_cb,
            ));
            ControlFlow::Continue(())
        });
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(v[0], (0xbce0a09b, 0, 0, Some(0), 0, 0, 0));
        assert_eq!(v[1], (0xcabc3d78, 4, -1, Some(0x11), 128, 64, 1));
        // A line that converts nothing repeats the previous values (ss's stale variables).
        assert_eq!(v[2], v[1]);
        assert_eq!(
            read_file(b"", &mut |_| ControlFlow::Continue(())),
            ReadOutcome::Failed
        );
    }
}
