//! The data behind `ss -s` (spec 4.10): /proc/net/sockstat, sockstat6 and the `Tcp:`
//! CurrEstab value of /proc/net/snmp, read the way ss 6.1's `get_sockstat` and `get_snmp_int`
//! do (including their fallbacks: missing sockstat ⇒ all zeros plus an error, missing sockstat6
//! ⇒ fine, unknown snmp key ⇒ ESRCH).

use sockscope_netlink::Errno;

use crate::plan::Sources;
use crate::procfs::scan::{Fgets, Scan};
use crate::procfs::{proc_path, read_file};

/// ss's `struct ssummary` plus CurrEstab. All values are C `int`s.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// `sockets: used N`.
    pub socks: i32,
    /// `TCP: inuse A orphan B tw C alloc D mem E`.
    pub tcp4_hashed: i32,
    pub tcp_orphans: i32,
    pub tcp_tws: i32,
    pub tcp_total: i32,
    pub tcp_mem: i32,
    /// `TCP6: inuse N`.
    pub tcp6_hashed: i32,
    pub udp4: i32,
    pub udp6: i32,
    pub raw4: i32,
    pub raw6: i32,
    /// `FRAG: inuse N memory M` / `FRAG6: ...`.
    pub frag4: i32,
    pub frag4_mem: i32,
    pub frag6: i32,
    pub frag6_mem: i32,
    /// /proc/net/snmp `Tcp:` CurrEstab (0 when unavailable).
    pub tcp_estab: i32,
}

/// A summary source that could not be read; `Display` is ss's perror text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SummaryError {
    #[error("ss: get_sockstat: {0}")]
    Sockstat(Errno),
    #[error("ss: get_snmpstat: {0}")]
    Snmp(Errno),
}

fn open(path: &std::path::Path) -> Result<Vec<u8>, Errno> {
    std::fs::read(path).map_err(|e| Errno::from_io(&e))
}

/// Reads everything ss's summary needs. Errors are returned in the order ss prints them,
/// next to the values ss would print anyway (zeros where a source was missing).
pub fn read(sources: &Sources) -> (Summary, Vec<SummaryError>) {
    let mut s = Summary::default();
    let mut errors = Vec::new();
    match open(&proc_path(
        sources,
        sources.proc_net_sockstat.as_deref(),
        "net/sockstat",
    )) {
        Ok(data) => {
            parse_sockstat(&data, &mut s);
            let p6 = proc_path(
                sources,
                sources.proc_net_sockstat6.as_deref(),
                "net/sockstat6",
            );
            if let Some(data6) = read_file(&p6) {
                parse_sockstat(&data6, &mut s);
            }
        }
        Err(e) => errors.push(SummaryError::Sockstat(e)),
    }
    match open(&proc_path(
        sources,
        sources.proc_net_snmp.as_deref(),
        "net/snmp",
    )) {
        Ok(data) => match snmp_int(&data, b"Tcp:", b"CurrEstab") {
            Some(v) => s.tcp_estab = v,
            None => errors.push(SummaryError::Snmp(Errno(libc::ESRCH))),
        },
        Err(e) => errors.push(SummaryError::Snmp(e)),
    }
    (s, errors)
}

/// Applies every `ID REST` line of a sockstat file (ss's `get_sockstat_line`).
pub fn parse_sockstat(data: &[u8], s: &mut Summary) {
    for line in Fgets::new(data, 256) {
        // sscanf(line, "%[^ ] %[^\n]\n", id, rem) == 2
        let Some(sp) = memchr::memchr(b' ', line) else {
            continue;
        };
        if sp == 0 {
            continue;
        }
        let id = &line[..sp];
        let mut rest = &line[sp..];
        while let Some((&c, r)) = rest.split_first() {
            if !crate::procfs::scan::is_space(c) {
                break;
            }
            rest = r;
        }
        let rem_end = memchr::memchr(b'\n', rest).unwrap_or(rest.len());
        let rem = &rest[..rem_end];
        if rem.is_empty() {
            continue;
        }
        let mut targets: [Option<&mut i32>; 5] = [None, None, None, None, None];
        match id {
            b"sockets:" => targets[0] = Some(&mut s.socks),
            b"UDP:" => targets[0] = Some(&mut s.udp4),
            b"UDP6:" => targets[0] = Some(&mut s.udp6),
            b"RAW:" => targets[0] = Some(&mut s.raw4),
            b"RAW6:" => targets[0] = Some(&mut s.raw6),
            b"TCP6:" => targets[0] = Some(&mut s.tcp6_hashed),
            b"FRAG:" => {
                targets[0] = Some(&mut s.frag4);
                targets[1] = Some(&mut s.frag4_mem);
            }
            b"FRAG6:" => {
                targets[0] = Some(&mut s.frag6);
                targets[1] = Some(&mut s.frag6_mem);
            }
            b"TCP:" => {
                let Summary {
                    tcp4_hashed,
                    tcp_orphans,
                    tcp_tws,
                    tcp_total,
                    tcp_mem,
                    ..
                } = s;
                targets = [
                    Some(tcp4_hashed),
                    Some(tcp_orphans),
                    Some(tcp_tws),
                    Some(tcp_total),
                    Some(tcp_mem),
                ];
            }
            _ => continue,
        }
        // "%*s%d" repeated: skip a word, read an int; stop at the first failure.
        let mut sc = Scan::new(rem);
        for t in targets.into_iter().flatten() {
            if sc.word().is_none() {
                break;
            }
            match sc.dec_i32() {
                Some(v) => *t = v,
                None => break,
            }
        }
    }
}

/// ss's `get_snmp_int`: finds the header line starting with `proto`, counts the spaces up to
/// the column named `key`, and reads the value after as many spaces on the next line (which
/// must start with `proto` too). `None` is ss's ESRCH. Lines are read with a 1024-byte fgets.
pub fn snmp_int(data: &[u8], proto: &[u8], key: &[u8]) -> Option<i32> {
    let mut lines = Fgets::new(data, 1024);
    while let Some(line) = lines.next() {
        if !line.starts_with(proto) {
            continue;
        }
        let mut pos: i64 = 0;
        let mut i = 0usize;
        while let Some(j) = line.get(i..).and_then(|r| memchr::memchr(b' ', r)) {
            pos += 1;
            i += j + 1;
            let after = &line[i..];
            if after.starts_with(key) && matches!(after.get(key.len()), Some(b' ') | Some(b'\n')) {
                break;
            }
        }
        let next = lines.next()?;
        if !next.starts_with(proto) {
            return None;
        }
        let mut i = 0usize;
        while let Some(j) = next.get(i..).and_then(|r| memchr::memchr(b' ', r)) {
            i += j + 1;
            pos -= 1;
            if pos == 0 {
                return Some(Scan::new(&next[i..]).dec_i32().unwrap_or(0));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    // The formats of this machine (kernel 6.18); values chosen for the test.
    const SOCKSTAT: &[u8] = b"sockets: used 41\nTCP: inuse 3 orphan 1 tw 2 alloc 7 mem 1\nUDP: inuse 4 mem 2\nUDPLITE: inuse 0\nRAW: inuse 1\nFRAG: inuse 5 memory 640\n";
    const SOCKSTAT6: &[u8] = b"TCP6: inuse 2\nUDP6: inuse 1\nUDPLITE6: inuse 0\nRAW6: inuse 3\nFRAG6: inuse 0 memory 0\n";
    const SNMP: &[u8] = b"Ip: Forwarding DefaultTTL\nIp: 1 64\nTcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\nTcp: 1 200 120000 -1 10 5 0 0 6 100 101 0 0 2 0\nUdp: InDatagrams\nUdp: 3\n";

    #[test]
    fn sockstat_lines() {
        let mut s = Summary::default();
        parse_sockstat(SOCKSTAT, &mut s);
        parse_sockstat(SOCKSTAT6, &mut s);
        assert_eq!(
            s,
            Summary {
                socks: 41,
                tcp4_hashed: 3,
                tcp_orphans: 1,
                tcp_tws: 2,
                tcp_total: 7,
                tcp_mem: 1,
                tcp6_hashed: 2,
                udp4: 4,
                udp6: 1,
                raw4: 1,
                raw6: 3,
                frag4: 5,
                frag4_mem: 640,
                frag6: 0,
                frag6_mem: 0,
                tcp_estab: 0
            }
        );
        // Partial lines keep earlier values; lines without a space are ignored.
        let mut s = Summary {
            tcp_mem: 9,
            ..Summary::default()
        };
        parse_sockstat(b"TCP: inuse 1 orphan\nnospace\n", &mut s);
        assert_eq!((s.tcp4_hashed, s.tcp_orphans, s.tcp_mem), (1, 0, 9));
    }

    #[test]
    fn snmp_lookup() {
        assert_eq!(snmp_int(SNMP, b"Tcp:", b"CurrEstab"), Some(6));
        assert_eq!(snmp_int(SNMP, b"Tcp:", b"RtoAlgorithm"), Some(1));
        assert_eq!(snmp_int(SNMP, b"Tcp:", b"InCsumErrors"), Some(0));
        // Unknown key: ss ends up on the last column.
        assert_eq!(snmp_int(SNMP, b"Tcp:", b"Nope"), Some(0));
        assert_eq!(
            snmp_int(b"Tcp: CurrEstab\nUdp: 1\n", b"Tcp:", b"CurrEstab"),
            None
        );
        assert_eq!(snmp_int(b"", b"Tcp:", b"CurrEstab"), None);
    }

    #[test]
    fn read_with_sources() {
        let dir = std::env::temp_dir().join(format!("sockscope-summary-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("net")).unwrap();
        std::fs::write(dir.join("net/sockstat"), SOCKSTAT).unwrap();
        std::fs::write(dir.join("net/snmp"), SNMP).unwrap();
        let src = Sources {
            proc_root: Some(dir.clone()),
            ..Sources::default()
        };
        let (s, e) = read(&src);
        assert!(e.is_empty());
        assert_eq!((s.socks, s.tcp_estab, s.raw6), (41, 6, 0));
        let missing = Sources {
            proc_root: Some(dir.join("nope")),
            ..Sources::default()
        };
        let (s, e) = read(&missing);
        assert_eq!(s, Summary::default());
        assert_eq!(
            e.iter().map(|x| x.to_string()).collect::<Vec<_>>(),
            vec![
                "ss: get_sockstat: No such file or directory",
                "ss: get_snmpstat: No such file or directory"
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
