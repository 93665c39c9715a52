//! Masking of the values that legitimately move between two runs of `-o`/`-e`/`-i` output.
//!
//! Only these are masked (ss 6.1 `tcp_show_info`/`tcp_timer_print`, spec §4.6–4.7): the time
//! left on a timer (`timer:(NAME,TIME,N)`), and the time- or rate-derived `-i` items `rto:`,
//! `rtt:`, `ato:`, `lastsnd:`, `lastrcv:`, `lastack:`, `rcv_rtt:`, `minrtt:`, `busy:`,
//! `rwnd_limited:`, `sndbuf_limited:`, `bbr:(…)`, `send R`, `pacing_rate R`, `delivery_rate R`.
//! Each value is replaced by `#`. Counters (retransmits, segs, backoff, bytes) are not masked:
//! they only move on a real event, which the runner's single retry absorbs.
//!
//! Because these values sit in the Process column, whose width is the longest token of the
//! column, their length changes that column's padding — i.e. the trailing spaces of every line
//! (compact mode, spec §4.3). Masked comparisons therefore also drop trailing spaces. Only
//! option sets that print timers or TCP info use the mask at all ([`wants_mask`]).

/// Keys whose value (up to the next space) is replaced by `#`.
const VALUE_KEYS: &[&[u8]] = &[
    b"rto:",
    b"rtt:",
    b"ato:",
    b"lastsnd:",
    b"lastrcv:",
    b"lastack:",
    b"rcv_rtt:",
    b"minrtt:",
    b"busy:",
    b"rwnd_limited:",
    b"sndbuf_limited:",
];

/// Words whose following word (a bandwidth) is replaced by `#`.
const RATE_WORDS: &[&[u8]] = &[b"send", b"pacing_rate", b"delivery_rate"];

/// Whether an ss argument vector makes ss print timers or TCP internals: `-o`, `-e` (implies
/// `-o`), `-i`, `-b` (implies `-o`), also inside clusters (`-tnoi`) and as (abbreviated) long
/// options. Arguments of `-f -A -D -F -N` are skipped; words (filters) are ignored.
pub fn wants_mask<S: AsRef<str>>(args: &[S]) -> bool {
    const LONG: &[&str] = &["options", "extended", "info", "bpf"];
    const LONG_WITH_ARG: &[&str] = &["family", "query", "socket", "diag", "filter", "net"];
    let mut it = args.iter().map(AsRef::as_ref);
    while let Some(a) = it.next() {
        if a == "--" {
            return false;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, has_value) = match long.split_once('=') {
                Some((n, _)) => (n, true),
                None => (long, false),
            };
            if name.len() >= 2 && LONG.iter().any(|l| l.starts_with(name)) {
                return true;
            }
            if !has_value && name.len() >= 2 && LONG_WITH_ARG.iter().any(|l| l.starts_with(name)) {
                it.next();
            }
            continue;
        }
        let Some(cluster) = a.strip_prefix('-') else {
            continue;
        };
        for (i, c) in cluster.char_indices() {
            match c {
                'o' | 'e' | 'i' | 'b' => return true,
                'f' | 'A' | 'D' | 'F' | 'N' => {
                    if i + 1 == cluster.len() {
                        it.next();
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    false
}

/// Masks moving values (see the module doc) and strips trailing spaces, line by line.
pub fn mask(out: &[u8]) -> Vec<u8> {
    let mut res = Vec::with_capacity(out.len());
    let mut lines = out.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let start = res.len();
        mask_line(line, &mut res);
        while res.len() > start && res.last() == Some(&b' ') {
            res.pop();
        }
        if lines.peek().is_some() {
            res.push(b'\n');
        }
    }
    res
}

fn mask_line(line: &[u8], res: &mut Vec<u8>) {
    let mut mask_next = false;
    for (i, tok) in line.split(|&b| b == b' ').enumerate() {
        if i > 0 {
            res.push(b' ');
        }
        if tok.is_empty() {
            continue;
        }
        if mask_next {
            res.push(b'#');
            mask_next = false;
            continue;
        }
        if RATE_WORDS.contains(&tok) {
            mask_next = true;
            res.extend_from_slice(tok);
        } else if let Some(k) = VALUE_KEYS.iter().find(|k| tok.starts_with(k)) {
            res.extend_from_slice(k);
            res.push(b'#');
        } else if tok.starts_with(b"bbr:(") {
            res.extend_from_slice(b"bbr:(#)");
        } else if let Some(t) = mask_timer(tok) {
            res.extend_from_slice(&t);
        } else {
            res.extend_from_slice(tok);
        }
    }
}

/// `timer:(NAME,TIME,N)` → `timer:(NAME,#,N)` (TIME may be empty: `timer:(on,,0)`).
fn mask_timer(tok: &[u8]) -> Option<Vec<u8>> {
    let body = tok.strip_prefix(b"timer:(")?;
    let c1 = body.iter().position(|&b| b == b',')?;
    let rest = body.get(c1 + 1..)?;
    let c2 = rest.iter().position(|&b| b == b',')?;
    let mut v = b"timer:(".to_vec();
    v.extend_from_slice(body.get(..=c1)?);
    v.push(b'#');
    v.extend_from_slice(rest.get(c2..)?);
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> String {
        String::from_utf8(mask(s.as_bytes())).unwrap()
    }

    #[test]
    fn timers_are_masked_and_trailing_spaces_dropped() {
        assert_eq!(
            m("SYN-SENT 0 1 127.0.0.1:58448 127.0.0.1:7000  timer:(on,136ms,1)   \nX  \n"),
            "SYN-SENT 0 1 127.0.0.1:58448 127.0.0.1:7000  timer:(on,#,1)\nX\n"
        );
        assert_eq!(
            m(" timer:(keepalive,119min,0) ino:5"),
            " timer:(keepalive,#,0) ino:5"
        );
        assert_eq!(m(" timer:(on,,0)"), " timer:(on,#,0)");
        assert_eq!(m(" timer:(persist,1.656ms,0)"), " timer:(persist,#,0)");
        // Inner spaces and the column layout before the Process cell are untouched.
        assert_eq!(m("a    b  timer:(x"), "a    b  timer:(x");
    }

    #[test]
    fn tcp_info_values_are_masked() {
        let line = "\t bbr wscale:10,0 rto:204 backoff:6 rtt:0.018/0.009 ato:40 mss:35328 \
                    bbr:(bw:25693083248bps,mrtt:0.011,pacing_gain:2.88672,cwnd_gain:2.88672) \
                    send 172714666667bps lastsnd:15548 lastrcv:15504 lastack:15548 \
                    pacing_rate 374584320000bps delivery_rate 25Gbps delivered:2 app_limited \
                    busy:15552ms rwnd_limited:15552ms(100.0%) rcv_rtt:41.884 rcv_space:4096 \
                    minrtt:0.011 snd_wnd:70656";
        let want = "\t bbr wscale:10,0 rto:# backoff:6 rtt:# ato:# mss:35328 bbr:(#) send # \
                    lastsnd:# lastrcv:# lastack:# pacing_rate # delivery_rate # delivered:2 \
                    app_limited busy:# rwnd_limited:# rcv_rtt:# rcv_space:4096 minrtt:# \
                    snd_wnd:70656";
        assert_eq!(m(line), want);
    }

    #[test]
    fn no_trailing_newline_is_kept_as_is() {
        assert_eq!(m("a \nb "), "a\nb");
        assert_eq!(m(""), "");
    }

    #[test]
    fn mask_only_for_timer_and_info_options() {
        for yes in [
            &["-o"][..],
            &["-tnoi"],
            &["-e"],
            &["-xae"],
            &["-ti"],
            &["-0", "-a", "-b", "-e"],
            &["--options"],
            &["--ext"],
            &["--info"],
            &["-t", "state", "listening", "-e"],
            &["--family=inet", "-o"],
        ] {
            assert!(wants_mask(yes), "{yes:?}");
        }
        for no in [
            &[][..],
            &["-tan"],
            &["-f", "inet"],
            &["-finet"],
            &["-A", "inet"],
            &["-Ainet,tcp"],
            &["-N", "foo", "-tl"],
            &["--family", "inet"],
            &["-D", "/tmp/out", "-t"],
            &["--", "-o"],
            &["state", "established"],
            &["-tn", "--tos"],
            &["--inet-sockopt"],
        ] {
            assert!(!wants_mask(no), "{no:?}");
        }
    }
}
