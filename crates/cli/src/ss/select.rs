//! The rest of ss 6.1's selection algorithm (spec §1.3 steps 3–8 and 10) after the options:
//! state words (§3.1), defaults, the merge of tables and families, the three "no ... to show"
//! exits, the `-D` check, and Netid/State column visibility; the result is a
//! [`sockscope_query::plan::Plan`] plus the filter words left for the expression parser.
//!
//! Step 2 (`-s`) is the caller's: print the summary, then stop if
//! [`SsArgs::summary_only`](super::args::SsArgs::summary_only), else call [`select`].
//! Step 9 (the filter expression) is not done here: it may narrow `plan.families` and change
//! `plan.preferred_family` (ss's `parse_hostcond`), but never the tables or states that decide
//! the column visibility computed here.

use std::ffi::OsString;
use std::os::unix::ffi::OsStrExt;

use sockscope_query::model::{state, Table};
use sockscope_query::plan::{Plan, Sources};

use super::args::{family_defaults, query_tables, table_defaults, SsArgs, USAGE_STATUS};
use crate::exit::Exit;

/// What ss will dump and how the table looks, before the filter expression is parsed.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Tables, families, states, preferred family, `idiag_ext`, `udiag_show` and sources;
    /// `bytecode` is left `None` for the filter compiler.
    pub plan: Plan,
    /// Netid column shown (more than one table enabled).
    pub show_netid: bool,
    /// State column shown (more than one state enabled).
    pub show_state: bool,
    /// The words after the state words: the filter expression (section 3), unparsed.
    pub filter_words: Vec<OsString>,
}

/// `idiag_ext` bits (`1 << (INET_DIAG_x - 1)`, linux/inet_diag.h).
pub mod ext {
    pub const MEMINFO: u8 = 0x01;
    pub const INFO: u8 = 0x02;
    pub const VEGASINFO: u8 = 0x04;
    pub const CONG: u8 = 0x08;
    pub const TOS: u8 = 0x10;
    pub const TCLASS: u8 = 0x20;
    pub const SKMEMINFO: u8 = 0x40;
}

/// `udiag_show` bits (linux/unix_diag.h).
pub mod show {
    pub const NAME: u32 = 0x01;
    pub const VFS: u32 = 0x02;
    pub const PEER: u32 = 0x04;
    pub const ICONS: u32 = 0x08;
    pub const RQLEN: u32 = 0x10;
    pub const MEMINFO: u32 = 0x20;
    /// Never asked for by ss; sockscope asks when the filter has `uid`/`user` conditions.
    pub const UID: u32 = 0x40;
}

/// A state word's bits (ss's `scan_state`, spec §3.1): case-insensitive (ASCII, like
/// `strcasecmp` in the C locale). `None` for an unknown name.
pub fn state_word(name: &[u8]) -> Option<u32> {
    let bit = |s: u8| 1u32 << s;
    let is = |w: &str| name.eq_ignore_ascii_case(w.as_bytes());
    let all = state::ALL;
    let bits = if is("close") || is("closed") || is("unconnected") {
        bit(state::CLOSE)
    } else if is("syn-rcv") || is("syn-recv") {
        bit(state::SYN_RECV)
    } else if is("established") {
        bit(state::ESTABLISHED)
    } else if is("all") {
        all
    } else if is("connected") {
        all & !(bit(state::CLOSE) | bit(state::LISTEN))
    } else if is("synchronized") {
        all & !(bit(state::CLOSE) | bit(state::LISTEN) | bit(state::SYN_SENT))
    } else if is("bucket") {
        bit(state::SYN_RECV) | bit(state::TIME_WAIT)
    } else if is("big") {
        all & !(bit(state::SYN_RECV) | bit(state::TIME_WAIT))
    } else {
        // ss's sstate_namel[] (index = state number).
        const NAMES: [&str; 12] = [
            "unknown",
            "established",
            "syn-sent",
            "syn-recv",
            "fin-wait-1",
            "fin-wait-2",
            "time-wait",
            "unconnected",
            "close-wait",
            "last-ack",
            "listening",
            "closing",
        ];
        let n = NAMES.iter().position(|w| is(w))?;
        1 << n
    };
    Some(bits)
}

/// Spec §1.3 steps 3–8 and 10. Errors are ss's exits: bad or missing state name (255), the
/// three "no ... to show" messages and the `-D` check (status 0).
#[allow(clippy::needless_update)] // `..Plan::default()` guards against contract additions
pub fn select(args: &SsArgs, sources: Sources) -> Result<Selection, Exit> {
    let mut sel = args.selection;
    let words = &args.words;

    // Step 3: `state`/`exclude`/`excl` pairs, only at the very beginning (keywords compared
    // with strcmp, i.e. case-sensitively).
    let mut i = 0;
    let mut saw_states = false;
    while let Some(word) = words.get(i) {
        let keyword = word.as_bytes();
        let add = match keyword {
            b"state" => true,
            b"exclude" | b"excl" => false,
            _ => break,
        };
        // iproute2's NEXT_ARG(): a keyword without a name.
        let Some(name) = words.get(i + 1) else {
            return Err(Exit::stderr(
                USAGE_STATUS,
                "Command line is not complete. Try option \"help\"\n",
            ));
        };
        let Some(bits) = state_word(name.as_bytes()) else {
            let mut m = b"ss: wrong state name: ".to_vec();
            m.extend_from_slice(name.as_bytes());
            m.push(b'\n');
            return Err(Exit::stderr(USAGE_STATUS, m));
        };
        if add {
            if !saw_states {
                sel.state_filter = 0;
            }
            sel.state_filter |= bits;
        } else {
            if !saw_states {
                sel.state_filter = state::ALL;
            }
            sel.state_filter &= !bits;
        }
        saw_states = true;
        i += 2;
    }

    // Step 4: no selection option at all.
    if sel.do_default {
        if sel.state_filter == 0 {
            sel.state_filter = state::SS_CONN;
        }
        for &t in query_tables(b"all").unwrap_or_default() {
            sel.set_table(t, true);
        }
    }

    // Step 5: a non-zero state filter replaces the accumulated defaults (`exclude all` leaves
    // them: sample x29).
    if sel.state_filter != 0 {
        sel.states = sel.state_filter;
    }

    // Step 6: merge (ss's filter_merge_defaults).
    for t in Table::ALL {
        if sel.dbs.contains(t) {
            let fams = table_defaults(t).1;
            if fams.0 & sel.families.0 == 0 {
                sel.families.0 |= fams.0;
            }
        }
    }
    for af in 0..64u8 {
        if !sel.families.contains(af) {
            continue;
        }
        if let Some((dbs, _)) = family_defaults(af) {
            if dbs.0 & sel.dbs.0 == 0 {
                sel.dbs.0 |= dbs.0;
            }
        }
    }

    // Step 7.
    let nothing =
        |what: &str| Exit::stderr(0, format!("ss: no {what} to show with such filter.\n"));
    if sel.dbs.0 == 0 {
        return Err(nothing("socket tables"));
    }
    if sel.families.0 == 0 {
        return Err(nothing("families"));
    }
    if sel.states == 0 {
        return Err(nothing("socket states"));
    }

    // Step 8.
    if args.diag.is_some() && !sel.dbs.contains(Table::Tcp) {
        return Err(Exit::stderr(
            0,
            "ss: tcpdiag dump requested and no tcp in filter.\n",
        ));
    }

    let mut inet_ext = 0;
    if args.memory {
        inet_ext |= ext::MEMINFO | ext::SKMEMINFO;
    }
    if args.info {
        inet_ext |= ext::INFO | ext::VEGASINFO | ext::CONG;
    }
    if args.tos {
        inet_ext |= ext::TOS | ext::TCLASS;
    }
    let mut unix_show = show::NAME | show::PEER | show::RQLEN;
    if args.memory {
        unix_show |= show::MEMINFO;
    }
    if args.details {
        unix_show |= show::VFS | show::ICONS;
    }

    Ok(Selection {
        plan: Plan {
            tables: sel.dbs,
            families: sel.families,
            states: sel.states,
            preferred_family: sel.preferred_family,
            inet_ext,
            unix_show,
            bytecode: None,
            sources,
            // Fields other crates add to the contract later keep their defaults until set here.
            ..Plan::default()
        },
        // Step 10: a column is hidden when at most one bit is set.
        show_netid: sel.dbs.0.count_ones() > 1,
        show_state: sel.states.count_ones() > 1,
        filter_words: words.get(i..).unwrap_or_default().to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ss::args::{parse, NoHooks};
    use sockscope_query::model::family;
    use std::ffi::OsStr;

    fn run(line: &str) -> Result<Selection, Exit> {
        let words = line.split_whitespace().map(OsString::from).collect();
        let args = parse(OsStr::new("ss"), words, false, &mut NoHooks)?;
        select(&args, Sources::default())
    }

    /// Table names as in the Netid column / `-A` aliases, for the expectation table below.
    fn table_bits(names: &str) -> u32 {
        use Table::*;
        let mut bits = 0;
        for name in names.split_whitespace() {
            let t = match name {
                "tcp" => Tcp,
                "mptcp" => Mptcp,
                "dccp" => Dccp,
                "udp" => Udp,
                "raw" => Raw,
                "u_dgr" => UnixDgram,
                "u_str" => UnixStream,
                "u_seq" => UnixSeqpacket,
                "p_dgr" => PacketDgram,
                "p_raw" => PacketRaw,
                "netlink" => Netlink,
                "sctp" => Sctp,
                "v_str" => VsockStream,
                "v_dgr" => VsockDgram,
                "tipc" => Tipc,
                "xdp" => Xdp,
                "INET" => {
                    bits |= table_bits("tcp mptcp dccp udp raw sctp");
                    continue;
                }
                "ALL" => {
                    bits |= table_bits(
                        "tcp mptcp dccp udp raw u_dgr u_str u_seq p_dgr p_raw netlink sctp v_str \
                         v_dgr xdp",
                    );
                    continue;
                }
                other => panic!("test table: unknown table {other}"),
            };
            bits |= t.bit();
        }
        bits
    }

    fn family_bits(names: &str) -> u64 {
        let mut bits = 0u64;
        for name in names.split_whitespace() {
            let af = match name {
                "unix" => family::UNIX,
                "inet" => family::INET,
                "inet6" => family::INET6,
                "netlink" => family::NETLINK,
                "packet" => family::PACKET,
                "tipc" => family::TIPC,
                "vsock" => family::VSOCK,
                "xdp" => family::XDP,
                "-" => family::UNSPEC,
                other => panic!("test table: unknown family {other}"),
            };
            bits |= 1 << af;
        }
        bits
    }

    /// argv | tables | families | states | preferred family | columns (N = Netid, S = State)
    /// | filter words. `ALL` = every table but tipc, `INET` = the six inet tables.
    const SELECTIONS: &str = "
        # plain ss: every table but tipc, SS_CONN (1.3 'Resulting defaults')
                        | ALL        | unix inet inet6 netlink packet vsock xdp | b37 | - | NS |
        # samples 04, 05, 06; ss -u and x27 ss -w: one state, no State column
        -t              | tcp        | inet inet6  | b37 | -       | S  |
        -ta             | tcp        | inet inet6  | fff | -       | S  |
        -tl             | tcp        | inet inet6  | 480 | -       | S  |
        -u              | udp        | inet inet6  | 002 | -       |    |
        -w              | raw        | inet inet6  | 002 | -       |    |
        # x28 ss -0 (packet sockets are CLOSE), 23 ss -x
        -0              | p_dgr p_raw | packet     | 080 | packet  | N  |
        -x              | u_dgr u_str u_seq | unix | b37 | unix    | NS |
        # x26: the first -A discards -t
        -t -A udp -a    | udp        | inet inet6  | fff | -       | S  |
        # 33: -A forces SS_CONN while netlink sockets are CLOSE; 35: -f netlink shows them
        -A netlink      | netlink    | netlink     | b37 | -       | S  |
        -f netlink -e   | netlink    | netlink     | 080 | netlink |    |
        # 87, 88
        -A unix_stream -a | u_str    | unix        | fff | -       | S  |
        -A u_dgr,u_seq -a | u_dgr u_seq | unix     | fff | -       | NS |
        # 36
        -a -A all,!tcp,!unix,!netlink | mptcp dccp udp raw sctp p_dgr p_raw v_str v_dgr xdp | inet inet6 packet vsock xdp | fff | - | NS |
        # 96, 103, x06
        -a -A inet      | INET       | inet inet6  | fff | -       | NS |
        -n -A raw -a -6 | raw        | inet6       | fff | inet6   | S  |
        -an -A mptcp,tcp sport = :7100 | tcp mptcp | inet inet6 | fff | - | NS | sport = :7100
        # 91, 92: the last of -l / -a wins
        -l -a -t        | tcp        | inet inet6  | fff | -       | S  |
        -a -l -t        | tcp        | inet inet6  | 480 | -       | S  |
        # 1.3 combinations
        -t -4           | tcp        | inet        | b37 | inet    | S  |
        -4 -x           | INET u_dgr u_str u_seq | inet unix | b37 | unix | NS |
        -t -x           | tcp u_dgr u_str u_seq | inet inet6 unix | b37 | unix | NS |
        -t -6 -4        | tcp        | inet inet6  | b37 | inet    | S  |
        --tipc          | tipc       | tipc        | 482 | tipc    | S  |
        --vsock -a      | v_str v_dgr | vsock      | fff | vsock   | NS |
        --xdp           | xdp        | xdp         | 080 | xdp     |    |
        -A tipc -l      | tipc       | tipc        | 480 | -       | S  |
        # state words: 12-17, 89, 90, x25
        -tn state established | tcp  | inet inet6  | 002 | -       |    |
        -tn state listening   | tcp  | inet inet6  | 400 | -       |    |
        -tn exclude established | tcp | inet inet6 | ffd | -       | S  |
        -tan state connected  | tcp  | inet inet6  | b7f | -       | S  |
        -tan state bucket     | tcp  | inet inet6  | 048 | -       | S  |
        -tn state listening state established | tcp | inet inet6 | 402 | - | S |
        -ta exclude listening exclude established | tcp | inet inet6 | bfd | - | S |
        -t excl listening     | tcp  | inet inet6  | bff | -       | S  |
        state listening sport = :22 -t | tcp | inet inet6 | 400 | - | | sport = :22
        # x29: exclude all leaves state_filter 0, the table defaults stay; with do_default SS_CONN
        -ta exclude all | tcp        | inet inet6  | b37 | -       | S  |
        exclude all     | ALL        | unix inet inet6 netlink packet vsock xdp | b37 | - | NS |
        state LISTENING | ALL        | unix inet inet6 netlink packet vsock xdp | 400 | - | N |
        # a later state word belongs to the expression; keywords are case-sensitive
        -t sport = :22 state listening | tcp | inet inet6 | b37 | - | S | sport = :22 state listening
        -t State listening | tcp     | inet inet6  | b37 | -       | S  | State listening
        # 68: -s with a table option goes on to list
        -s -t           | tcp        | inet inet6  | b37 | -       | S  |
    ";

    #[test]
    fn selection_table() {
        let mut checked = 0;
        for row in SELECTIONS.lines().map(str::trim) {
            if row.is_empty() || row.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = row.split('|').map(str::trim).collect();
            let [line, tables, families, states, preferred, columns, words] = cols[..] else {
                panic!("test table: bad row {row}");
            };
            let s = match run(line) {
                Ok(s) => s,
                Err(e) => panic!("ss {line}: {e:?}"),
            };
            let want_words: Vec<OsString> = words.split_whitespace().map(OsString::from).collect();
            let want_pref = family_bits(preferred).trailing_zeros() as u8;
            assert_eq!(
                (
                    s.plan.tables.0,
                    s.plan.families.0,
                    s.plan.states,
                    s.plan.preferred_family,
                    s.show_netid,
                    s.show_state,
                    &s.filter_words
                ),
                (
                    table_bits(tables),
                    family_bits(families),
                    u32::from_str_radix(states, 16).unwrap_or(u32::MAX),
                    want_pref,
                    columns.contains('N'),
                    columns.contains('S'),
                    &want_words
                ),
                "ss {line}"
            );
            checked += 1;
        }
        assert_eq!(checked, 42);
    }

    #[test]
    fn exits() {
        let cases: &[(&str, Exit)] = &[
            // x30
            (
                "-A tcp,!tcp",
                Exit::stderr(0, "ss: no socket tables to show with such filter.\n"),
            ),
            (
                "-t -A !tcp",
                Exit::stderr(0, "ss: no socket tables to show with such filter.\n"),
            ),
            // sample 81
            (
                "state bogus",
                Exit::stderr(255, "ss: wrong state name: bogus\n"),
            ),
            (
                "state listen",
                Exit::stderr(255, "ss: wrong state name: listen\n"),
            ),
            (
                "state",
                Exit::stderr(255, "Command line is not complete. Try option \"help\"\n"),
            ),
            (
                "-t state listening exclude",
                Exit::stderr(255, "Command line is not complete. Try option \"help\"\n"),
            ),
            (
                "-u -D -",
                Exit::stderr(0, "ss: tcpdiag dump requested and no tcp in filter.\n"),
            ),
        ];
        for (line, want) in cases {
            match run(line) {
                Ok(s) => panic!("ss {line}: expected an exit, got {:?}", s.plan),
                Err(e) => assert_eq!(&e, want, "ss {line}"),
            }
        }
    }

    #[test]
    fn exclude_all_keeps_the_table_defaults() {
        // `exclude all` leaves state_filter 0, so the states OR-ed in by the table options stay
        // (x29); "no socket states" is therefore not reached this way.
        for line in [
            "-t exclude all",
            "-t state all exclude all",
            "-A tcp exclude all",
        ] {
            assert_eq!(
                run(line).map(|s| s.plan.states).ok(),
                Some(0xb37),
                "ss {line}"
            );
        }
        assert_eq!(run("-u exclude all").map(|s| s.plan.states).ok(), Some(0x2));
    }

    #[test]
    fn diag_with_tcp_is_selected() {
        let s = run("-D - -t").unwrap();
        assert!(s.plan.tables.contains(Table::Tcp));
    }

    #[test]
    fn request_extensions() {
        let p = |line: &str| {
            let s = run(line).unwrap();
            (s.plan.inet_ext, s.plan.unix_show)
        };
        assert_eq!(p("-t"), (0, 0x15));
        assert_eq!(p("-tm"), (0x41, 0x35));
        assert_eq!(p("-ti"), (0x0e, 0x15));
        assert_eq!(p("-t --tos"), (0x30, 0x15));
        assert_eq!(p("-xe"), (0, 0x1f));
        assert_eq!(p("-tnOeimo"), (0x4f, 0x3f));
    }

    #[test]
    fn state_words() {
        let cases: &[(&str, Option<u32>)] = &[
            ("close", Some(0x80)),
            ("closed", Some(0x80)),
            ("unconnected", Some(0x80)),
            ("syn-rcv", Some(0x08)),
            ("syn-recv", Some(0x08)),
            ("established", Some(0x02)),
            ("ESTABLISHED", Some(0x02)),
            ("syn-sent", Some(0x04)),
            ("fin-wait-1", Some(0x10)),
            ("fin-wait-2", Some(0x20)),
            ("time-wait", Some(0x40)),
            ("close-wait", Some(0x100)),
            ("last-ack", Some(0x200)),
            ("listening", Some(0x400)),
            ("closing", Some(0x800)),
            ("unknown", Some(0x001)),
            ("UNKNOWN", Some(0x001)),
            ("all", Some(0xfff)),
            ("connected", Some(0xb7f)),
            ("synchronized", Some(0xb7b)),
            ("bucket", Some(0x048)),
            ("big", Some(0xfb7)),
            ("listen", None),
            ("", None),
            ("estab", None),
        ];
        for &(name, want) in cases {
            assert_eq!(state_word(name.as_bytes()), want, "{name}");
        }
    }
}
