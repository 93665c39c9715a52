//! /proc/net/packet parsed like ss 6.1's `packet_show_line` through `generic_record_read`
//! (misc/ss.c): header skipped, `"%llx %*d %d %x %d %d %u %u %u"` = sk, (RefCnt), Type,
//! Proto (hex), Iface, R, Rmem, User, Inode. The state is always CLOSE; ss's raw/dgram table
//! check looks at a field that is still zero, so both types always show. ss never copies the
//! `sk` column into its record, so `-e` prints `sk:0` in this mode (cookie 0 here).

use std::ops::ControlFlow;

use super::scan::{Fgets, Scan};
use super::ReadOutcome;
use crate::model::{PacketSock, Source};

/// Parses one line (without newline). Fields that fail to convert read as 0.
pub fn parse_line(line: &[u8]) -> PacketSock<'static> {
    let mut sc = Scan::new(line);
    let (mut ty, mut prot, mut iface, mut rq, mut uid, mut ino) =
        (0i32, 0u32, 0i32, 0i32, 0u32, 0u32);
    'scan: {
        macro_rules! get {
            ($e:expr) => {
                match $e {
                    Some(v) => v,
                    None => break 'scan,
                }
            };
        }
        let _sk = get!(sc.hex_u64(None));
        get!(sc.dec_i32());
        ty = get!(sc.dec_i32());
        prot = get!(sc.hex_u32(None));
        iface = get!(sc.dec_i32());
        let _running = get!(sc.dec_i32());
        rq = get!(sc.dec_i32());
        uid = get!(sc.dec_u32());
        ino = get!(sc.dec_u32());
    }
    PacketSock {
        source: Source::Proc,
        sock_type: ty as u8,
        protocol: prot as u16,
        inode: ino,
        uid: Some(uid),
        proc_rmem: rq as u32,
        proc_ifindex: iface as u32,
        ..PacketSock::default()
    }
}

/// Reads a whole file (`generic_record_read` rules: every line after the header must end in a
/// newline within 255 bytes, else [`ReadOutcome::Failed`]).
pub fn read_file(
    data: &[u8],
    emit: &mut dyn FnMut(&PacketSock<'_>) -> ControlFlow<()>,
) -> ReadOutcome {
    let mut lines = Fgets::new(data, 256);
    if lines.next().is_none() {
        return ReadOutcome::Done;
    }
    for piece in lines {
        let Some(line) = piece.strip_suffix(b"\n") else {
            return ReadOutcome::Failed;
        };
        if emit(&parse_line(line)).is_break() {
            return ReadOutcome::Stopped;
        }
    }
    ReadOutcome::Done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packet_lines() {
        // Header as on this machine; lines in the kernel's packet_seq_show format.
        let data = b"sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n\
00000000a1b2c3d4 3      3    0003   2     1 0      0      31337 \n\
00000000a1b2c3d5 3      2    88cc   0     1 1280   1000   31338 \n";
        let mut v = Vec::new();
        let r = read_file(data, &mut |p| {
            v.push((
                p.sock_type,
                p.protocol,
                p.proc_ifindex,
                p.proc_rmem,
                p.uid,
                p.inode,
                p.cookie,
                p.source,
            ));
            ControlFlow::Continue(())
        });
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(
            v,
            vec![
                (3, 3, 2, 0, Some(0), 31337, 0, Source::Proc),
                (2, 0x88cc, 0, 1280, Some(1000), 31338, 0, Source::Proc)
            ]
        );
        assert_eq!(
            read_file(b"hdr\nno newline", &mut |_| ControlFlow::Continue(())),
            ReadOutcome::Failed
        );
        let junk = parse_line(b"zz 1 2");
        assert_eq!((junk.sock_type, junk.inode), (0, 0));
    }
}
