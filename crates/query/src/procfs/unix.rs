//! /proc/net/unix parsed like ss 6.1's `unix_show` (misc/ss.c).
//!
//! Reproduced quirks: the header must exist; a header starting with `Peer` selects a
//! non-standard "new format" whose 2nd-4th columns are peer, rq, wq (otherwise those are
//! zeroed); the state map St 1..4 → CLOSE, SYN-SENT, ESTAB, CLOSING, LISTEN when Flags has bit
//! 16; an unconnected datagram socket shows as ESTAB because the Num column (kernel address,
//! truncated to 32 bits) is still in the peer field when the state is fixed up; Path is one
//! white-space-delimited word; lines come from a 256-byte fgets (so a longer line continues as
//! a "line" of its own) and `flags` keeps its previous value when a line fails to convert it;
//! records are emitted sorted by (type, inode) in batches of 1681 (ss's MAX_UNIX_REMEMBER is
//! 1 MiB / sizeof(struct sockstat) = 1680, and a batch is flushed when the count exceeds it).
//!
//! Not reproduced: in the new format ss also looks the peer's name up among the records kept
//! so far (`?` when absent); the model has no field for it, so peers print as `*`.

use std::ops::ControlFlow;

use super::scan::{Fgets, Scan};
use super::{state_bit, ReadOutcome};
use crate::model::{state, Source, Table, TableSet, UnixSock};

/// ss's batch size: `MAX_UNIX_REMEMBER` (1048576 / 624) + 1 records per sorted batch.
pub const BATCH: usize = 1048576 / 624 + 1;

/// unix socket types (include/linux/net.h).
const SOCK_STREAM: u32 = 1;
const SOCK_DGRAM: u32 = 2;
const SOCK_SEQPACKET: u32 = 5;

/// ss's `unix_type_skip`: a known type whose table is not enabled.
pub fn unix_type_skipped(sock_type: u32, tables: TableSet) -> bool {
    match sock_type {
        SOCK_STREAM => !tables.contains(Table::UnixStream),
        SOCK_DGRAM => !tables.contains(Table::UnixDgram),
        SOCK_SEQPACKET => !tables.contains(Table::UnixSeqpacket),
        _ => false,
    }
}

#[derive(Clone, Copy, Debug)]
struct Rec<'a> {
    sock_type: u32,
    ino: u32,
    state: i32,
    peer: u32,
    rq: u32,
    wq: u32,
    name: Option<&'a [u8]>,
}

/// Reads a whole /proc/net/unix file. `Failed` when the header is missing (ss returns -1).
pub fn read_file(
    data: &[u8],
    states: u32,
    tables: TableSet,
    emit: &mut dyn FnMut(&UnixSock<'_>) -> ControlFlow<()>,
) -> ReadOutcome {
    let mut lines = Fgets::new(data, 256);
    let Some(header) = lines.next() else {
        return ReadOutcome::Failed;
    };
    let newformat = header.starts_with(b"Peer");
    let mut flags: u32 = 0;
    let mut batch: Vec<Rec<'_>> = Vec::new();

    for piece in lines {
        let mut sc = Scan::new(piece);
        let mut r = Rec {
            sock_type: 0,
            ino: 0,
            state: 0,
            peer: 0,
            rq: 0,
            wq: 0,
            name: None,
        };
        // "%x: %x %x %x %x %x %d %s"
        'scan: {
            macro_rules! get {
                ($e:expr) => {
                    match $e {
                        Some(v) => v,
                        None => break 'scan,
                    }
                };
            }
            r.peer = get!(sc.hex_u32(None));
            if !sc.lit(b':') {
                break 'scan;
            }
            r.rq = get!(sc.hex_u32(None));
            r.wq = get!(sc.hex_u32(None));
            flags = get!(sc.hex_u32(None));
            r.sock_type = get!(sc.hex_u32(None));
            r.state = get!(sc.hex_u32(None)) as i32;
            r.ino = get!(sc.dec_i32()) as u32;
            r.name = Some(get!(sc.word()));
        }

        if flags & (1 << 16) != 0 {
            r.state = state::LISTEN as i32;
        } else if (1..=4).contains(&r.state) {
            const MAP: [u8; 4] = [
                state::CLOSE,
                state::SYN_SENT,
                state::ESTABLISHED,
                state::CLOSING,
            ];
            r.state = MAP[(r.state - 1) as usize] as i32;
            if r.sock_type == SOCK_DGRAM && r.state == state::CLOSE as i32 && r.peer != 0 {
                r.state = state::ESTABLISHED as i32;
            }
        }
        if unix_type_skipped(r.sock_type, tables) || states & state_bit(r.state) == 0 {
            continue;
        }
        if !newformat {
            r.peer = 0;
            r.rq = 0;
            r.wq = 0;
        }
        batch.push(r);
        if batch.len() >= BATCH && flush(&mut batch, newformat, emit).is_break() {
            return ReadOutcome::Stopped;
        }
    }
    if flush(&mut batch, newformat, emit).is_break() {
        return ReadOutcome::Stopped;
    }
    ReadOutcome::Done
}

fn flush(
    batch: &mut Vec<Rec<'_>>,
    newformat: bool,
    emit: &mut dyn FnMut(&UnixSock<'_>) -> ControlFlow<()>,
) -> ControlFlow<()> {
    // ss inserts into a list kept sorted by (type, ino), after existing equal keys: a stable sort.
    batch.sort_by_key(|r| (r.sock_type, r.ino));
    for r in batch.iter() {
        let s = UnixSock {
            source: Source::Proc,
            sock_type: r.sock_type as u8,
            state: r.state as u8,
            inode: r.ino,
            name: r.name,
            peer: newformat.then_some(r.peer),
            rqlen: Some((r.rq, r.wq)),
            ..UnixSock::default()
        };
        if emit(&s).is_break() {
            batch.clear();
            return ControlFlow::Break(());
        }
    }
    batch.clear();
    ControlFlow::Continue(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_unix() -> TableSet {
        let mut t = TableSet::default();
        t.insert(Table::UnixStream);
        t.insert(Table::UnixDgram);
        t.insert(Table::UnixSeqpacket);
        t
    }

    fn collect(data: &[u8], states: u32, tables: TableSet) -> (Vec<String>, ReadOutcome) {
        let mut v = Vec::new();
        let r = read_file(data, states, tables, &mut |s| {
            v.push(format!(
                "{} {} {} {:?} {:?} {:?}",
                s.sock_type,
                s.state,
                s.inode,
                s.name.map(|n| String::from_utf8_lossy(n).into_owned()),
                s.peer,
                s.rqlen
            ));
            ControlFlow::Continue(())
        });
        (v, r)
    }

    // Lines in the kernel's format (captured shape from this machine, values chosen).
    const UNIX: &[u8] = b"Num       RefCount Protocol Flags    Type St Inode Path\n\
00000000328054d7: 00000003 00000000 00000000 0001 03  1058\n\
00000000d294260f: 00000002 00000000 00010000 0001 01  1057 /run/listen.sock\n\
000000008a1b2c3d: 00000002 00000000 00000000 0002 01  2000 @09828\n\
0000000000000000: 00000002 00000000 00000000 0002 01  1999\n\
00000000aa000001: 00000002 00000000 00000000 0005 03  300 /tmp/with space\n";

    #[test]
    fn states_sort_and_estab_quirk() {
        let (v, r) = collect(UNIX, 0xfff, all_unix());
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(
            v,
            vec![
                "1 10 1057 Some(\"/run/listen.sock\") None Some((0, 0))",
                "1 1 1058 None None Some((0, 0))",
                // Num 0 -> no quirk: UNCONN; the autobound one (Num != 0) is ESTAB.
                "2 7 1999 None None Some((0, 0))",
                "2 1 2000 Some(\"@09828\") None Some((0, 0))",
                // Path with a space: only the first word.
                "5 1 300 Some(\"/tmp/with\") None Some((0, 0))",
            ]
        );
        // Only listeners, and only stream: type skip uses the enabled tables.
        let (v, _) = collect(UNIX, 1 << state::LISTEN, all_unix());
        assert_eq!(v.len(), 1);
        let mut dgram_only = TableSet::default();
        dgram_only.insert(Table::UnixDgram);
        let (v, _) = collect(UNIX, 0xfff, dgram_only);
        assert_eq!(v.len(), 2);
    }

    #[test]
    fn new_format_and_missing_header() {
        let data = b"Peer header\n00000005: 00000007 00000008 00000000 0001 03  77 /x\n";
        let (v, _) = collect(data, 0xfff, all_unix());
        assert_eq!(v, vec!["1 1 77 Some(\"/x\") Some(5) Some((7, 8))"]);
        assert_eq!(collect(b"", 0xfff, all_unix()).1, ReadOutcome::Failed);
    }

    #[test]
    fn long_line_continues_as_its_own_record() {
        // A 300-byte path: fgets returns the line in two pieces; the second fails to convert
        // and becomes a type-0 state-0 record (shown with -a, since bit 0 is requested).
        let mut data = b"Num       RefCount Protocol Flags    Type St Inode Path\n".to_vec();
        data.extend_from_slice(b"00000000328054d7: 00000002 00000000 00000000 0001 01  42 /");
        data.extend_from_slice(&[b'p'; 300]);
        data.push(b'\n');
        let (v, r) = collect(&data, 0xfff, all_unix());
        assert_eq!(r, ReadOutcome::Done);
        assert_eq!(v.len(), 2);
        assert!(v[0].starts_with("0 0 0 None"), "{}", v[0]);
        assert!(v[1].starts_with("1 7 42 Some(\"/ppp"), "{}", v[1]);
    }

    #[test]
    fn batches_are_sorted_separately() {
        let mut data = b"Num RefCount Protocol Flags Type St Inode Path\n".to_vec();
        for i in 0..(BATCH + 2) {
            let ino = 100_000 - i; // descending
            data.extend_from_slice(
                format!("00000001: 00000002 00000000 00000000 0001 01 {ino}\n").as_bytes(),
            );
        }
        let mut inos = Vec::new();
        read_file(&data, 0xfff, all_unix(), &mut |s| {
            inos.push(s.inode);
            ControlFlow::Continue(())
        });
        assert_eq!(inos.len(), BATCH + 2);
        assert!(inos[..BATCH].windows(2).all(|w| w[0] <= w[1]));
        // The two records after the first batch form a second, separately sorted batch.
        assert!(inos[BATCH] < inos[BATCH + 1]);
        assert!(inos[BATCH - 1] > inos[BATCH + 1]);
    }
}
