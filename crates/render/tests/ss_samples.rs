//! Rebuilds the sockets of captured `ss` runs (spec §5, samples copied to tests/data) as model
//! values and checks that sockscope's printer produces the captured bytes exactly.

mod common;

use common::{assert_same, ip, render, sample, tcp, Fake};
use sockscope_query::model::{
    family, state, InetSock, NetlinkSock, PacketInfo, PacketSock, ProcInetExtra, Sock, Source,
    Table as Db, UnixSock,
};
use sockscope_render::ss::{SsOptions, SsPrinter};

/// One TCP socket of the capture machine (sample 54 order).
struct Row {
    st: u8,
    rq: u32,
    wq: u32,
    src: &'static str,
    sport: u16,
    dst: &'static str,
    dport: u16,
    ifindex: u32,
    ino: u32,
    sk: u64,
    mark: u32,
    timer: u8,
    expires: u32,
    shutdown: u8,
    v6only: Option<u8>,
}

#[allow(clippy::too_many_arguments)]
const fn row(
    st: u8,
    rq: u32,
    wq: u32,
    src: &'static str,
    sport: u16,
    dst: &'static str,
    dport: u16,
    ino: u32,
    sk: u64,
) -> Row {
    Row {
        st,
        rq,
        wq,
        src,
        sport,
        dst,
        dport,
        ifindex: 0,
        ino,
        sk,
        mark: 0,
        timer: 0,
        expires: 0,
        shutdown: 0,
        v6only: None,
    }
}

fn tcp_rows() -> Vec<Row> {
    use state::*;
    let l6 = |wq, src, sport, ino, sk, v6| Row {
        v6only: Some(v6),
        ..row(LISTEN, 0, wq, src, sport, "::", 0, ino, sk)
    };
    vec![
        Row {
            ifindex: 2,
            ..row(LISTEN, 0, 5, "0.0.0.0", 8085, "0.0.0.0", 0, 310140, 0x27)
        },
        row(LISTEN, 0, 128, "0.0.0.0", 8080, "0.0.0.0", 0, 310133, 0x28),
        row(LISTEN, 0, 5, "0.0.0.0", 22, "0.0.0.0", 0, 310138, 0x29),
        Row {
            mark: 0x20,
            ..row(LISTEN, 0, 5, "10.9.8.1", 8087, "0.0.0.0", 0, 310143, 0x2a)
        },
        row(LISTEN, 0, 5, "127.0.0.1", 9000, "0.0.0.0", 0, 310134, 0x2b),
        row(
            ESTABLISHED,
            0,
            0,
            "127.0.0.1",
            34130,
            "127.0.0.1",
            8082,
            310150,
            0x19,
        ),
        Row {
            timer: 3,
            expires: 57000,
            ..row(
                TIME_WAIT,
                0,
                0,
                "127.0.0.1",
                47214,
                "127.0.0.1",
                9100,
                0,
                0x5d,
            )
        },
        row(
            ESTABLISHED,
            0,
            0,
            "127.0.0.1",
            59170,
            "127.0.0.1",
            9000,
            310144,
            0x1a,
        ),
        Row {
            shutdown: 2,
            ..row(
                FIN_WAIT2,
                0,
                0,
                "127.0.0.1",
                59186,
                "127.0.0.1",
                9000,
                310156,
                0x1b,
            )
        },
        Row {
            timer: 3,
            expires: 3924,
            ..row(
                TIME_WAIT,
                0,
                0,
                "127.0.0.1",
                59202,
                "127.0.0.1",
                9000,
                0,
                0x2c,
            )
        },
        Row {
            timer: 2,
            expires: 7_140_000,
            ..row(
                ESTABLISHED,
                0,
                0,
                "10.9.8.1",
                59106,
                "10.9.8.1",
                8087,
                310154,
                0x1c,
            )
        },
        row(
            ESTABLISHED,
            0,
            0,
            "10.9.8.2",
            39139,
            "10.9.8.1",
            8080,
            310148,
            0x1d,
        ),
        row(
            ESTABLISHED,
            100,
            0,
            "127.0.0.1",
            9000,
            "127.0.0.1",
            59170,
            310145,
            0x1e,
        ),
        Row {
            mark: 0x20,
            ..row(
                ESTABLISHED,
                0,
                0,
                "10.9.8.1",
                8087,
                "10.9.8.1",
                59106,
                310155,
                0x1f,
            )
        },
        row(
            ESTABLISHED,
            0,
            0,
            "10.9.8.1",
            8080,
            "10.9.8.2",
            39139,
            310149,
            0x20,
        ),
        Row {
            shutdown: 1,
            ..row(
                CLOSE_WAIT,
                1,
                0,
                "127.0.0.1",
                9000,
                "127.0.0.1",
                59186,
                310157,
                0x21,
            )
        },
        row(
            ESTABLISHED,
            0,
            0,
            "127.0.0.1",
            36060,
            "127.0.0.1",
            22,
            310152,
            0x22,
        ),
        row(
            ESTABLISHED,
            0,
            0,
            "127.0.0.1",
            22,
            "127.0.0.1",
            36060,
            310153,
            0x23,
        ),
        l6(4096, "::", 8082, 310136, 0x2d, 0),
        l6(10, "::", 8081, 310135, 0x2e, 1),
        l6(5, "::", 80, 310139, 0x2f, 1),
        l6(5, "::1", 9001, 310137, 0x30, 1),
        Row {
            ifindex: 2,
            ..l6(5, "fe80::e043:fdff:fec4:3e3a", 8086, 310141, 0x31, 1)
        },
        row(
            ESTABLISHED,
            0,
            0,
            "::ffff:127.0.0.1",
            8082,
            "::ffff:127.0.0.1",
            34130,
            310151,
            0x24,
        ),
        row(ESTABLISHED, 50, 0, "::1", 55672, "::1", 9001, 310146, 0x25),
        row(ESTABLISHED, 0, 0, "::1", 9001, "::1", 55672, 310147, 0x26),
    ]
}

/// The netlink view of a row: what the kernel sends without extra requests (full sockets get
/// SHUTDOWN and CGROUP_ID=1; TIME-WAIT sockets neither).
fn inet_of(r: &Row) -> InetSock<'static> {
    let mut s = tcp(r.st, r.rq, r.wq, r.src, r.sport, r.dst, r.dport);
    s.ifindex = r.ifindex;
    s.inode = r.ino;
    s.cookie = r.sk;
    s.timer = r.timer;
    s.expires = r.expires;
    if r.st != state::TIME_WAIT {
        s.attrs.shutdown = Some(r.shutdown);
        s.attrs.cgroup_id = Some(1);
    }
    if r.mark != 0 {
        s.attrs.mark = Some(r.mark);
    }
    s.attrs.v6only = r.v6only;
    s
}

fn connected(r: &Row) -> bool {
    !matches!(r.st, state::LISTEN | state::TIME_WAIT)
}

fn tcp_only() -> SsOptions {
    SsOptions {
        netid_column: false,
        ..SsOptions::default()
    }
}

fn run(opts: SsOptions, socks: &[InetSock<'_>]) -> String {
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Inet(s), None)).collect();
    render(opts, &mut res, &v)
}

#[test]
fn sample_07_tln() {
    let socks: Vec<_> = tcp_rows()
        .iter()
        .filter(|r| r.st == state::LISTEN)
        .map(inet_of)
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("07"));
}

#[test]
fn sample_54_tane() {
    let socks: Vec<_> = tcp_rows().iter().map(inet_of).collect();
    let got = run(
        SsOptions {
            numeric: true,
            extended: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("54"));
}

#[test]
fn sample_55_tno() {
    let socks: Vec<_> = tcp_rows()
        .iter()
        .filter(|r| connected(r))
        .map(inet_of)
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            timers: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("55"));
}

#[test]
fn sample_62_tna_cgroup() {
    let socks: Vec<_> = tcp_rows().iter().map(inet_of).collect();
    let got = run(
        SsOptions {
            numeric: true,
            cgroup: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("62"));
}

#[test]
fn sample_61_tn_tos() {
    let socks: Vec<_> = tcp_rows()
        .iter()
        .filter(|r| connected(r))
        .map(|r| {
            let mut s = inet_of(r);
            let special = r.sport == 39139;
            s.attrs.tos = Some(if special { 0x10 } else { 0 });
            s.attrs.class_id = Some(if special { 6 } else { 0 });
            if s.family == family::INET6 {
                s.attrs.tclass = Some(0);
            }
            s
        })
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            tos: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("61"));
}

#[test]
fn sample_70_tanr_resolves_hosts_and_v4_mapped_as_ipv4() {
    let socks: Vec<_> = tcp_rows().iter().map(inet_of).collect();
    let mut res = Fake {
        hosts: vec![(vec![127, 0, 0, 1], "localhost")],
        ..Fake::default()
    };
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Inet(s), None)).collect();
    let got = render(
        SsOptions {
            numeric: true,
            resolve: true,
            ..tcp_only()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("70"));
    // The v4-mapped address was looked up as the 4-byte IPv4 address, never as IPv6.
    assert!(!res
        .log
        .iter()
        .any(|l| l.starts_with("host 10 [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255")));
}

#[test]
fn sample_x15_terminal_80_columns() {
    let socks: Vec<_> = tcp_rows()
        .iter()
        .filter(|r| {
            (r.sport == 9000 || r.dport == 9000)
                && r.st != state::TIME_WAIT
                && r.src.starts_with("127")
        })
        .map(inet_of)
        .collect();
    let got = run(
        SsOptions {
            screen_width: Some(80),
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("x15"));
}

fn listeners_with_users() -> (Vec<InetSock<'static>>, Vec<String>) {
    let mut socks = Vec::new();
    let mut users = Vec::new();
    let fd = |n: u32| format!("(\"python3\",pid=9391,fd={n})");
    for r in tcp_rows().iter().filter(|r| r.st == state::LISTEN) {
        let n = match r.sport {
            8085 => 11,
            8080 => 3,
            22 => 8,
            8087 => 13,
            9000 => 4,
            8082 => 6,
            8081 => 5,
            80 => 9,
            9001 => 7,
            _ => 12,
        };
        socks.push(inet_of(r));
        users.push(fd(n));
        if r.sport == 9000 {
            socks.push(tcp(state::LISTEN, 0, 3, "127.0.0.1", 7000, "0.0.0.0", 0));
            users.push(
                "(\"python3\",pid=13052,fd=4),(\"python3\",pid=13052,fd=3),(\"python3\",pid=13010,fd=4),(\"python3\",pid=13010,fd=3)"
                    .into(),
            );
            socks.push(tcp(state::LISTEN, 0, 2, "127.0.0.1", 7100, "0.0.0.0", 0));
            users.push("(\"python3\",pid=13052,fd=7),(\"python3\",pid=13010,fd=7)".into());
        }
    }
    (socks, users)
}

#[test]
fn sample_x16_terminal_100_columns_with_users() {
    let (socks, users) = listeners_with_users();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks
        .iter()
        .zip(&users)
        .map(|(s, u)| (Sock::Inet(s), Some(u.as_bytes())))
        .collect();
    let got = render(
        SsOptions {
            numeric: true,
            screen_width: Some(100),
            ..tcp_only()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("x16"));
}

#[test]
fn sample_08_tlnp_compact_users() {
    let (socks, users) = listeners_with_users();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks
        .iter()
        .zip(&users)
        .filter(|(s, _)| s.sport != 7000 && s.sport != 7100)
        .map(|(s, u)| (Sock::Inet(s), Some(u.as_bytes())))
        .collect();
    let got = render(
        SsOptions {
            numeric: true,
            ..tcp_only()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("08"));
}

#[test]
fn sample_x02_service_name_and_users() {
    let (socks, users) = listeners_with_users();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks
        .iter()
        .zip(&users)
        .filter(|(s, _)| s.sport == 7000)
        .map(|(s, u)| (Sock::Inet(s), Some(u.as_bytes())))
        .collect();
    let mut p = SsPrinter::new(tcp_only());
    p.dump_started(Db::Tcp);
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    for (s, u) in v {
        p.print(s, u, &mut res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample("x02"));
}

// ---------------------------------------------------------------------------------------------
// -i / -m samples: the kernel values are taken from the capture text; derived values (send
// rate, %g forms, order, layout) must come out identical.

#[derive(Default)]
struct Extra {
    info: Vec<u8>,
    bbr: Option<Vec<u8>>,
    cong: Option<&'static [u8]>,
    skmem: Option<Vec<u8>>,
}

fn put32(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 4].copy_from_slice(&(v as u32).to_ne_bytes());
}

fn put64(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 8].copy_from_slice(&v.to_ne_bytes());
}

fn us(v: &str) -> u64 {
    (v.parse::<f64>().unwrap() * 1000.0).round() as u64
}

/// Kernel-side values for the TCP info / skmem items in a captured Process text.
fn extra_from_text(text: &str) -> Extra {
    let mut e = Extra {
        info: vec![0u8; 232],
        ..Extra::default()
    };
    let i = &mut e.info;
    put32(i, 88, 3); // reordering 3: not printed
    put32(i, 76, 0x7fff_ffff); // snd_ssthresh "infinite": not printed
    let mut toks = text.split_whitespace();
    while let Some(t) = toks.next() {
        let (k, v) = t.split_once(':').unwrap_or((t, ""));
        match k {
            "ts" => i[5] |= 1,
            "sack" => i[5] |= 2,
            "bbr" if v.is_empty() => e.cong = Some(b"bbr"),
            "wscale" => {
                let (a, b) = v.split_once(',').unwrap();
                i[5] |= 4;
                i[6] = a.parse::<u8>().unwrap() | (b.parse::<u8>().unwrap() << 4);
            }
            "rto" => put32(i, 8, us(v)),
            "ato" => put32(i, 12, us(v)),
            "mss" => put32(i, 16, v.parse().unwrap()),
            "rcvmss" => put32(i, 20, v.parse().unwrap()),
            "lastsnd" => put32(i, 44, v.parse().unwrap()),
            "lastrcv" => put32(i, 52, v.parse().unwrap()),
            "lastack" => put32(i, 56, v.parse().unwrap()),
            "pmtu" => put32(i, 60, v.parse().unwrap()),
            "rcv_ssthresh" => put32(i, 64, v.parse().unwrap()),
            "rtt" => {
                let (a, b) = v.split_once('/').unwrap();
                put32(i, 68, us(a));
                put32(i, 72, us(b));
            }
            "cwnd" => put32(i, 80, v.parse().unwrap()),
            "advmss" => put32(i, 84, v.parse().unwrap()),
            "rcv_space" => put32(i, 96, v.parse().unwrap()),
            "bytes_acked" => put64(i, 120, v.parse().unwrap()),
            "bytes_received" => put64(i, 128, v.parse().unwrap()),
            "segs_out" => put32(i, 136, v.parse().unwrap()),
            "segs_in" => put32(i, 140, v.parse().unwrap()),
            "minrtt" => put32(i, 148, us(v)),
            "data_segs_in" => put32(i, 152, v.parse().unwrap()),
            "data_segs_out" => put32(i, 156, v.parse().unwrap()),
            "busy" => put64(
                i,
                168,
                v.trim_end_matches("ms").parse::<u64>().unwrap() * 1000,
            ),
            "delivered" => put32(i, 192, v.parse().unwrap()),
            "bytes_sent" => put64(i, 200, v.parse().unwrap()),
            "snd_wnd" => put32(i, 228, v.parse().unwrap()),
            "app_limited" => i[7] |= 1,
            "pacing_rate" | "delivery_rate" => {
                let bps: u64 = toks
                    .next()
                    .unwrap()
                    .trim_end_matches("bps")
                    .parse()
                    .unwrap();
                put64(i, if k == "pacing_rate" { 104 } else { 160 }, bps / 8);
            }
            "send" => {
                toks.next(); // derived from cwnd, mss and rtt
            }
            "bbr" => {
                // bbr:(bw:Nbps,mrtt:X[,pacing_gain:G][,cwnd_gain:H])
                let inner = t.trim_start_matches("bbr:(").trim_end_matches(')');
                let mut b = vec![0u8; 20];
                for kv in inner.split(',') {
                    let (k, v) = kv.split_once(':').unwrap();
                    match k {
                        "bw" => {
                            let bw = v.trim_end_matches("bps").parse::<u64>().unwrap() / 8;
                            put32(&mut b, 0, bw & 0xffff_ffff);
                            put32(&mut b, 4, bw >> 32);
                        }
                        "mrtt" => put32(&mut b, 8, us(v)),
                        "pacing_gain" => put32(
                            &mut b,
                            12,
                            (v.parse::<f64>().unwrap() * 256.0).round() as u64,
                        ),
                        "cwnd_gain" => put32(
                            &mut b,
                            16,
                            (v.parse::<f64>().unwrap() * 256.0).round() as u64,
                        ),
                        _ => panic!("bbr item {k}"),
                    }
                }
                e.bbr = Some(b);
            }
            "skmem" => {
                let inner = v.trim_start_matches('(').trim_end_matches(')');
                let mut m = Vec::new();
                for (item, prefix) in inner
                    .split(',')
                    .zip(["r", "rb", "t", "tb", "f", "w", "o", "bl", "d"])
                {
                    let n: u32 = item.strip_prefix(prefix).unwrap().parse().unwrap();
                    m.extend_from_slice(&n.to_ne_bytes());
                }
                e.skmem = Some(m);
            }
            _ => {} // ino:, sk:, cgroup:, <->, timer:(...) come from the row
        }
    }
    e
}

/// The Process text of every socket line in a capture (continuation lines joined).
fn process_texts(capture: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for l in capture.lines().skip(1) {
        if let Some(cont) = l.strip_prefix('\t') {
            out.last_mut().unwrap().push_str(cont);
        } else {
            // Everything after the peer port cell; the cells before contain no "bps"/":(".
            out.push(l.to_string());
        }
    }
    out
}

fn with_extras<'a>(rows: &[Row], extras: &'a [Extra]) -> Vec<InetSock<'a>> {
    rows.iter()
        .zip(extras)
        .map(|(r, e)| {
            let mut s = inet_of(r);
            s.attrs.info = Some(&e.info);
            s.attrs.bbr = e.bbr.as_deref();
            s.attrs.cong = e.cong;
            s.attrs.skmeminfo = e.skmem.as_deref();
            s
        })
        .collect()
}

#[test]
fn sample_57_tni() {
    let want = sample("57");
    let rows: Vec<Row> = tcp_rows().into_iter().filter(connected).collect();
    let extras: Vec<Extra> = process_texts(&want)
        .iter()
        .map(|t| extra_from_text(t))
        .collect();
    assert_eq!(extras.len(), rows.len());
    let socks = with_extras(&rows, &extras);
    let got = run(
        SsOptions {
            numeric: true,
            info: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &want);
}

#[test]
fn sample_60_tnoeimo() {
    let want = sample("60");
    let rows: Vec<Row> = tcp_rows().into_iter().filter(connected).collect();
    let extras: Vec<Extra> = process_texts(&want)
        .iter()
        .map(|t| extra_from_text(t))
        .collect();
    let socks = with_extras(&rows, &extras);
    let opts = SsOptions {
        numeric: true,
        oneline: true,
        extended: true,
        info: true,
        memory: true,
        timers: true,
        ..tcp_only()
    };
    let got = run(opts, &socks);
    assert_same(&got, &want);
}

#[test]
fn sample_56_tnm() {
    let want = sample("56");
    let rows: Vec<Row> = tcp_rows().into_iter().filter(connected).collect();
    let extras: Vec<Extra> = process_texts(&want)
        .iter()
        .map(|t| extra_from_text(t))
        .collect();
    let socks: Vec<InetSock<'_>> = rows
        .iter()
        .zip(&extras)
        .map(|(r, e)| {
            let mut s = inet_of(r);
            s.attrs.skmeminfo = e.skmem.as_deref();
            s
        })
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            memory: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &want);
}

// ---------------------------------------------------------------------------------------------
// Other kinds

/// The unix sockets of the capture machine (sample 29 order): (type, state, rq, wq, name,
/// inode, peer, vfs inode, icons).
#[allow(clippy::type_complexity)]
fn unix_rows() -> Vec<(
    u8,
    u8,
    u32,
    u32,
    Option<&'static [u8]>,
    u32,
    Option<u32>,
    Option<u32>,
    bool,
)> {
    use state::*;
    let stream: Option<&[u8]> = Some(b"/tmp/sst/stream.sock\0");
    let abs: Option<&[u8]> = Some(b"\0sst-abstract");
    vec![
        (
            1,
            ESTABLISHED,
            10,
            0,
            stream,
            310240,
            Some(310239),
            Some(10027606),
            false,
        ),
        (
            1,
            ESTABLISHED,
            0,
            0,
            None,
            310246,
            Some(310247),
            None,
            false,
        ),
        (
            1,
            ESTABLISHED,
            0,
            768,
            None,
            310239,
            Some(310240),
            None,
            false,
        ),
        (
            2,
            ESTABLISHED,
            0,
            768,
            None,
            310245,
            Some(310244),
            None,
            false,
        ),
        (1, ESTABLISHED, 0, 0, abs, 310243, Some(310242), None, false),
        (1, LISTEN, 0, 5, stream, 310238, None, Some(10027606), true),
        (
            2,
            ESTABLISHED,
            20,
            0,
            Some(b"/tmp/sst/dgram.sock"),
            310244,
            None,
            Some(10027607),
            false,
        ),
        (
            5,
            LISTEN,
            0,
            5,
            Some(b"/tmp/sst/seq.sock"),
            310250,
            None,
            Some(10027608),
            true,
        ),
        (
            5,
            ESTABLISHED,
            0,
            0,
            Some(b"/tmp/sst/seq.sock"),
            310252,
            Some(310251),
            Some(10027608),
            false,
        ),
        (
            1,
            ESTABLISHED,
            0,
            0,
            None,
            310242,
            Some(310243),
            None,
            false,
        ),
        (
            1,
            ESTABLISHED,
            0,
            0,
            None,
            310247,
            Some(310246),
            None,
            false,
        ),
        (
            2,
            ESTABLISHED,
            0,
            0,
            None,
            310248,
            Some(310249),
            None,
            false,
        ),
        (
            2,
            ESTABLISHED,
            0,
            0,
            None,
            310249,
            Some(310248),
            None,
            false,
        ),
        (
            5,
            ESTABLISHED,
            0,
            0,
            None,
            310251,
            Some(310252),
            None,
            false,
        ),
        (
            2,
            CLOSE,
            0,
            0,
            Some(b"\x0009828"),
            310253,
            None,
            None,
            false,
        ),
        (1, LISTEN, 0, 5, abs, 310241, None, None, true),
    ]
}

#[test]
fn sample_29_xae_unix_details() {
    let skmem: Vec<u8> = [0u32, 212992, 0, 212992, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let socks: Vec<UnixSock<'_>> = unix_rows()
        .into_iter()
        .map(|(ty, st, rq, wq, name, ino, peer, vfs, icons)| UnixSock {
            sock_type: ty,
            state: st,
            inode: ino,
            name,
            vfs: vfs.map(|v| (v, 0xFE0_0000)),
            peer,
            icons: if icons { Some(&[][..]) } else { None },
            rqlen: Some((rq, wq)),
            meminfo: Some(&skmem),
            shutdown: Some(0),
            ..UnixSock::default()
        })
        .collect();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Unix(s), None)).collect();
    let got = render(
        SsOptions {
            extended: true,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("29"));
    // Sample 24 (-xa): the same sockets without details.
    let got = render(SsOptions::default(), &mut res, &v);
    assert_same(&got, &sample("24"));
}

#[test]
fn sample_x13_proc_unix() {
    // /proc/net/unix gives '@' for abstract names, no peers, and (quirk) ESTAB for datagram
    // sockets; the query side sorts by type then inode.
    let rows: [(u8, u8, &str, u32); 16] = [
        (1, state::LISTEN, "/tmp/sst/stream.sock", 310238),
        (1, state::ESTABLISHED, "", 310239),
        (1, state::ESTABLISHED, "/tmp/sst/stream.sock", 310240),
        (1, state::LISTEN, "@sst-abstract", 310241),
        (1, state::ESTABLISHED, "", 310242),
        (1, state::ESTABLISHED, "@sst-abstract", 310243),
        (1, state::ESTABLISHED, "", 310246),
        (1, state::ESTABLISHED, "", 310247),
        (2, state::ESTABLISHED, "/tmp/sst/dgram.sock", 310244),
        (2, state::ESTABLISHED, "", 310245),
        (2, state::ESTABLISHED, "", 310248),
        (2, state::ESTABLISHED, "", 310249),
        (2, state::ESTABLISHED, "@09828", 310253),
        (5, state::LISTEN, "/tmp/sst/seq.sock", 310250),
        (5, state::ESTABLISHED, "", 310251),
        (5, state::ESTABLISHED, "/tmp/sst/seq.sock", 310252),
    ];
    let socks: Vec<UnixSock<'_>> = rows
        .iter()
        .map(|&(ty, st, name, ino)| UnixSock {
            source: Source::Proc,
            sock_type: ty,
            state: st,
            inode: ino,
            name: if name.is_empty() {
                None
            } else {
                Some(name.as_bytes())
            },
            ..UnixSock::default()
        })
        .collect();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Unix(s), None)).collect();
    let got = render(SsOptions::default(), &mut res, &v);
    assert_same(&got, &sample("x13"));
}

#[test]
fn sample_x04_packet_bpf_details() {
    let mem = |r: u32| -> Vec<u8> {
        [r, 212992, 0, 212992, 0, 0, 0, 0, 0]
            .iter()
            .flat_map(|v| v.to_ne_bytes())
            .collect()
    };
    let (m1, m2, m3) = (mem(9152), mem(19156), mem(1664));
    let mut filter = Vec::new();
    for (code, k) in [(0x28u16, 12u32), (0x06, 65535)] {
        filter.extend_from_slice(&code.to_ne_bytes());
        filter.extend_from_slice(&[0, 0]);
        filter.extend_from_slice(&k.to_ne_bytes());
    }
    let info = |index| {
        Some(PacketInfo {
            index,
            version: 0,
            reserve: 0,
            copy_thresh: 0,
            tstamp: 0,
            flags: 1,
        })
    };
    let socks = [
        PacketSock {
            sock_type: 3,
            protocol: 3,
            inode: 310254,
            cookie: 0x39,
            info: info(2),
            meminfo: Some(&m1),
            ..PacketSock::default()
        },
        PacketSock {
            sock_type: 2,
            protocol: 0x0800,
            inode: 310255,
            cookie: 0x3a,
            info: info(0),
            meminfo: Some(&m2),
            ..PacketSock::default()
        },
        PacketSock {
            sock_type: 3,
            protocol: 0x86dd,
            inode: 417885,
            cookie: 0x1a3f3,
            info: info(0),
            meminfo: Some(&m3),
            filter: Some(&filter),
            ..PacketSock::default()
        },
    ];
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Packet(s), None)).collect();
    let got = render(
        SsOptions {
            extended: true,
            bpf: true,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("x04"));
}

#[test]
fn sample_36_raw_udp_packet_service_protocol_switch() {
    let pm: Vec<u8> = [3328u32, 0, 0, 0, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let pm2: Vec<u8> = [4164u32, 0, 0, 0, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let p1 = PacketSock {
        sock_type: 3,
        protocol: 3,
        info: Some(PacketInfo {
            index: 2,
            ..PacketInfo::default()
        }),
        meminfo: Some(&pm),
        ..PacketSock::default()
    };
    let p2 = PacketSock {
        sock_type: 2,
        protocol: 0x0800,
        meminfo: Some(&pm2),
        ..PacketSock::default()
    };
    // raw from /proc (netid "raw", port = protocol number), udp from netlink.
    let raw = |fam: &str, proto: u16| {
        let (f, a) = ip(fam);
        InetSock {
            source: Source::Proc,
            family: f,
            table: Some(Db::Raw),
            protocol: 255,
            state: state::CLOSE,
            sport: proto,
            src: a,
            dst: a,
            ..InetSock::default()
        }
    };
    let r1 = raw("0.0.0.0", 1);
    let r2 = raw("::", 58);
    let udp = |st, rq, src: &str, sport, dst: &str, dport, v6only| {
        let mut s = tcp(st, rq, 0, src, sport, dst, dport);
        s.table = Some(Db::Udp);
        s.protocol = 17;
        s.attrs.v6only = v6only;
        s
    };
    let u1 = udp(state::CLOSE, 0, "0.0.0.0", 53, "0.0.0.0", 0, None);
    let u2 = udp(state::CLOSE, 832, "127.0.0.1", 5000, "0.0.0.0", 0, None);
    let u3 = udp(
        state::ESTABLISHED,
        0,
        "127.0.0.1",
        5002,
        "127.0.0.1",
        5000,
        None,
    );
    let u4 = udp(state::ESTABLISHED, 0, "::1", 53944, "::1", 5001, None);
    let u5 = udp(state::CLOSE, 0, "::", 5001, "::", 0, Some(0));

    let mut res = Fake::default();
    let mut p = SsPrinter::new(SsOptions::default());
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    for s in [&p1, &p2] {
        p.print(Sock::Packet(s), None, &mut res, &mut out).unwrap();
    }
    p.dump_started(Db::Raw);
    for s in [&r1, &r2] {
        p.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    p.dump_started(Db::Udp);
    for s in [&u1, &u2, &u3, &u4, &u5] {
        p.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample_36());
}

fn sample_36() -> String {
    // Sample 36 (`ss -a -A 'all,!tcp,!unix,!netlink'`), stored inline: the capture file is not
    // among the copied ones because it also needs the DCCP stderr line.
    "Netid State  Recv-Q Send-Q Local Address:Port      Peer Address:PortProcess\n\
p_raw UNCONN 3328   0                  *:v0                    *           \n\
p_dgr UNCONN 4164   0                 ip:*                     *           \n\
raw   UNCONN 0      0            0.0.0.0:icmp           0.0.0.0:*          \n\
raw   UNCONN 0      0                  *:ipv6-icmp            *:*          \n\
udp   UNCONN 0      0            0.0.0.0:domain         0.0.0.0:*          \n\
udp   UNCONN 832    0          127.0.0.1:5000           0.0.0.0:*          \n\
udp   ESTAB  0      0          127.0.0.1:5002         127.0.0.1:5000       \n\
udp   ESTAB  0      0              [::1]:53944            [::1]:5001       \n\
udp   UNCONN 0      0                  *:5001                 *:*          \n"
        .to_string()
}

#[test]
fn sample_65_proc_raw_numeric_with_e_prints_nothing_extra() {
    let raw = |fam: &str, proto: u16| {
        let (f, a) = ip(fam);
        InetSock {
            source: Source::Proc,
            family: f,
            table: Some(Db::Raw),
            protocol: 255,
            state: state::CLOSE,
            sport: proto,
            src: a,
            dst: a,
            inode: 77,
            uid: 5,
            ..InetSock::default()
        }
    };
    let (r1, r2) = (raw("0.0.0.0", 1), raw("::", 58));
    let mut res = Fake::default();
    let mut p = SsPrinter::new(SsOptions {
        numeric: true,
        extended: true,
        ..tcp_only()
    });
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    p.dump_started(Db::Raw);
    p.print(Sock::Inet(&r1), None, &mut res, &mut out).unwrap();
    p.print(Sock::Inet(&r2), None, &mut res, &mut out).unwrap();
    p.finish(&mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample("65"));
}

#[test]
fn sample_x12_proc_tcp_details() {
    let mk = |st, rq, wq, dst: &str, dport, ino, sk| {
        let mut s = tcp(st, rq, wq, "127.0.0.1", 9000, dst, dport);
        s.source = Source::Proc;
        s.inode = ino;
        s.proc_extra = Some(ProcInetExtra {
            sk,
            ..ProcInetExtra::default()
        });
        s
    };
    let socks = [
        mk(state::LISTEN, 0, 0, "0.0.0.0", 0, 310134, 0xee263bed),
        mk(
            state::ESTABLISHED,
            100,
            0,
            "127.0.0.1",
            59170,
            310145,
            0x684d68e,
        ),
        mk(
            state::CLOSE_WAIT,
            1,
            0,
            "127.0.0.1",
            59186,
            310157,
            0xf0d37ae8,
        ),
    ];
    let got = run(
        SsOptions {
            numeric: true,
            extended: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("x12"));
}

#[test]
fn sample_x08_and_35_netlink() {
    // (protocol, portid, rmem)
    let rows: [(u8, u32, u32); 11] = [
        (0, 9391, 0),
        (0, 0, 0),
        (0, 9391, 0),
        (4, 0, 832),
        (4, 14666, 4352),
        (6, 0, 0),
        (9, 0, 0),
        (10, 0, 0),
        (12, 0, 0),
        (15, 0, 0),
        (16, 0, 0),
    ];
    let mems: Vec<Vec<u8>> = rows
        .iter()
        .map(|r| {
            [r.2, 0, 0, 0, 0, 0, 0, 0, 0]
                .iter()
                .flat_map(|v: &u32| v.to_ne_bytes())
                .collect()
        })
        .collect();
    let socks: Vec<NetlinkSock<'_>> = rows
        .iter()
        .zip(&mems)
        .map(|(&(protocol, portid, _), m)| NetlinkSock {
            sock_type: 3,
            protocol,
            portid,
            meminfo: Some(m),
            groups: Some(if protocol == 0 && portid == 9391 {
                1
            } else {
                0
            }),
            ..NetlinkSock::default()
        })
        .collect();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> =
        socks.iter().map(|s| (Sock::Netlink(s), None)).collect();
    let got = render(
        SsOptions {
            numeric: true,
            netid_column: false,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("x08"));

    // Sample 35 (`ss -f netlink -e`, an earlier run): names, State hidden, the kernel rtnl
    // socket first and the ss socket of that run (pid 10646) instead of pid 14666.
    let mut socks35 = socks.clone();
    socks35.swap(0, 1);
    socks35[4].portid = 10646;
    let v: Vec<(Sock<'_>, Option<&[u8]>)> =
        socks35.iter().map(|s| (Sock::Netlink(s), None)).collect();
    let got = render(
        SsOptions {
            extended: true,
            netid_column: false,
            state_column: false,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("35"));
}

#[test]
fn sample_x05_mptcp_info() {
    let mk_info = |token: u32, ws: u64, rn: u64| -> Vec<u8> {
        let mut b = vec![0u8; 44];
        b[3] = 2; // subflows_max
        b[8..12].copy_from_slice(&2u32.to_ne_bytes()); // remote_key
        b[12..16].copy_from_slice(&token.to_ne_bytes());
        b[16..24].copy_from_slice(&ws.to_ne_bytes());
        b[24..32].copy_from_slice(&ws.to_ne_bytes());
        b[32..40].copy_from_slice(&rn.to_ne_bytes());
        b
    };
    let i1 = mk_info(0xed112d8e, 0xd3a4197c0ce386b, 0xec4145de193c3215);
    let i2 = mk_info(0x32e63215, 0xec4145de193c3215, 0xd3a4197c0ce386b);
    let mk = |st, src_port, dport, info: Option<&'static [u8]>| {
        let mut s = tcp(
            st,
            0,
            if st == state::LISTEN { 2 } else { 0 },
            "127.0.0.1",
            src_port,
            if dport == 0 { "0.0.0.0" } else { "127.0.0.1" },
            dport,
        );
        s.table = Some(Db::Mptcp);
        s.protocol = 262;
        s.attrs.info = info;
        s
    };
    let i1: &'static [u8] = Box::leak(i1.into_boxed_slice());
    let i2: &'static [u8] = Box::leak(i2.into_boxed_slice());
    let socks = [
        mk(state::ESTABLISHED, 7100, 54540, Some(i1)),
        mk(state::ESTABLISHED, 54540, 7100, Some(i2)),
        mk(state::LISTEN, 7100, 0, None),
    ];
    let got = run(
        SsOptions {
            numeric: true,
            info: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("x05"));
}

fn nla(ty: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(payload);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

#[test]
fn sample_x07_tcp_ulp_mptcp_subflow() {
    let want = sample("x07");
    let texts = process_texts(&want);
    let extras: Vec<Extra> = texts.iter().map(|t| extra_from_text(t)).collect();
    let ulp = |flags: u32, tok_loc: u32, seq: u64, sfseq: u32, ssnoff: u32| -> Vec<u8> {
        let mut sf = Vec::new();
        sf.extend(nla(8, &flags.to_ne_bytes()));
        sf.extend(nla(1, &0u32.to_ne_bytes()));
        sf.extend(nla(2, &tok_loc.to_ne_bytes()));
        sf.extend(nla(9, &[0]));
        sf.extend(nla(10, &[0]));
        sf.extend(nla(4, &seq.to_ne_bytes()));
        sf.extend(nla(5, &sfseq.to_ne_bytes()));
        sf.extend(nla(6, &ssnoff.to_ne_bytes()));
        sf.extend(nla(7, &0u32.to_ne_bytes()));
        let mut u = nla(1, b"mptcp\0");
        u.extend(nla(3, &sf));
        u
    };
    let u1 = ulp(0x83, 0x32e63215, 0xd3a4197c0ce386b, 1, 0x4adb8fa8);
    let u2 = ulp(0xc1, 0xed112d8e, 0xec4145de193c3215, 0, 0xa254b3d8);
    let mut s1 = tcp(
        state::ESTABLISHED,
        0,
        0,
        "127.0.0.1",
        54540,
        "127.0.0.1",
        7100,
    );
    let mut s2 = tcp(
        state::ESTABLISHED,
        0,
        0,
        "127.0.0.1",
        7100,
        "127.0.0.1",
        54540,
    );
    for (s, (e, (ino, sk, u))) in [&mut s1, &mut s2].into_iter().zip(
        extras
            .iter()
            .zip([(417888, 0x1a3f7, &u1), (417890, 0x1a3f8, &u2)]),
    ) {
        s.inode = ino;
        s.cookie = sk;
        s.attrs.shutdown = Some(0);
        s.attrs.cgroup_id = Some(1);
        s.attrs.info = Some(&e.info);
        s.attrs.bbr = e.bbr.as_deref();
        s.attrs.cong = e.cong;
        s.attrs.ulp = Some(u);
    }
    let got = run(
        SsOptions {
            numeric: true,
            info: true,
            extended: true,
            ..tcp_only()
        },
        &[s1, s2],
    );
    assert_same(&got, &want);
}

#[test]
fn sample_x10_inet_sockopt() {
    let mut s = tcp(
        state::ESTABLISHED,
        0,
        0,
        "127.0.0.1",
        34130,
        "127.0.0.1",
        8082,
    );
    let so = if cfg!(target_endian = "little") {
        [0b0101_0010u8, 0]
    } else {
        [0b0100_1010, 0]
    };
    s.attrs.sockopt = Some(&so);
    let got = run(
        SsOptions {
            numeric: true,
            inet_sockopt: true,
            state_column: true,
            ..tcp_only()
        },
        &[s],
    );
    assert_same(&got, &sample("x10"));
}

#[test]
fn sample_x11_tos_ipv6() {
    let rows: Vec<Row> = tcp_rows()
        .into_iter()
        .filter(|r| connected(r) && r.src.contains(':'))
        .collect();
    let socks: Vec<InetSock<'_>> = rows
        .iter()
        .map(|r| {
            let mut s = inet_of(r);
            s.attrs.tos = Some(0);
            s.attrs.tclass = Some(0);
            s.attrs.class_id = Some(0);
            s
        })
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            tos: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("x11"));
}

#[test]
fn sample_66_tlpt_service_names() {
    let (socks, users) = listeners_with_users();
    let mut res = Fake::default();
    let users: Vec<String> = users
        .iter()
        .map(|u| u.replace("pid=9391,", "pid=9391,tid=9391,"))
        .collect();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks
        .iter()
        .zip(&users)
        .filter(|(s, _)| s.sport != 7000 && s.sport != 7100)
        .map(|(s, u)| (Sock::Inet(s), Some(u.as_bytes())))
        .collect();
    let mut p = SsPrinter::new(tcp_only());
    p.dump_started(Db::Tcp);
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    for (s, u) in v {
        p.print(s, u, &mut res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample("66"));
}

fn unix_socks<'a>(skmem: &'a [u8]) -> Vec<UnixSock<'a>> {
    unix_rows()
        .into_iter()
        .map(|(ty, st, rq, wq, name, ino, peer, vfs, icons)| UnixSock {
            sock_type: ty,
            state: st,
            inode: ino,
            name,
            vfs: vfs.map(|v| (v, 0xFE0_0000)),
            peer,
            icons: if icons { Some(&[][..]) } else { None },
            rqlen: Some((rq, wq)),
            meminfo: Some(skmem),
            shutdown: Some(0),
            ..UnixSock::default()
        })
        .collect()
}

fn unix_skmem() -> Vec<u8> {
    [0u32, 212992, 0, 212992, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect()
}

#[test]
fn sample_30_xm_unix_skmem() {
    let mut per_sock: Vec<Vec<u8>> = Vec::new();
    let base = unix_skmem();
    let socks: Vec<UnixSock<'_>> = unix_socks(&base)
        .into_iter()
        .filter(|s| s.state == state::ESTABLISHED)
        .collect();
    // Sockets with unsent data show it as wmem_alloc.
    for s in &socks {
        let mut m = base.clone();
        let t = s.rqlen.unwrap().1;
        m[8..12].copy_from_slice(&t.to_ne_bytes());
        per_sock.push(m);
    }
    let socks: Vec<UnixSock<'_>> = socks
        .into_iter()
        .zip(&per_sock)
        .map(|(s, m)| UnixSock {
            meminfo: Some(m),
            ..s
        })
        .collect();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks.iter().map(|s| (Sock::Unix(s), None)).collect();
    let got = render(
        SsOptions {
            memory: true,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("30"));
}

#[test]
fn sample_72_xnp_unix_users() {
    let skmem = unix_skmem();
    let socks: Vec<UnixSock<'_>> = unix_socks(&skmem)
        .into_iter()
        .filter(|s| s.state == state::ESTABLISHED)
        .collect();
    let fds = [37, 43, 36, 42, 40, 41, 49, 39, 44, 45, 46, 48];
    let users: Vec<String> = fds
        .iter()
        .map(|fd| format!("(\"python3\",pid=9391,fd={fd})"))
        .collect();
    let mut res = Fake::default();
    let v: Vec<(Sock<'_>, Option<&[u8]>)> = socks
        .iter()
        .zip(&users)
        .map(|(s, u)| (Sock::Unix(s), Some(u.as_bytes())))
        .collect();
    let got = render(
        SsOptions {
            numeric: true,
            ..SsOptions::default()
        },
        &mut res,
        &v,
    );
    assert_same(&got, &sample("72"));
}

#[test]
fn sample_31_packet_sockets() {
    let pm: Vec<u8> = [3328u32, 0, 0, 0, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let pm2: Vec<u8> = [4164u32, 0, 0, 0, 0, 0, 0, 0, 0]
        .iter()
        .flat_map(|v| v.to_ne_bytes())
        .collect();
    let p1 = PacketSock {
        sock_type: 3,
        protocol: 3,
        info: Some(PacketInfo {
            index: 2,
            ..PacketInfo::default()
        }),
        meminfo: Some(&pm),
        ..PacketSock::default()
    };
    let p2 = PacketSock {
        sock_type: 2,
        protocol: 0x0800,
        meminfo: Some(&pm2),
        ..PacketSock::default()
    };
    let mut res = Fake::default();
    let got = render(
        SsOptions::default(),
        &mut res,
        &[(Sock::Packet(&p1), None), (Sock::Packet(&p2), None)],
    );
    assert_same(&got, &sample("31"));
}

fn udp_sock(st: u8, rq: u32, src: &str, sport: u16, dst: &str, dport: u16) -> InetSock<'static> {
    let mut s = tcp(st, rq, 0, src, sport, dst, dport);
    s.table = Some(Db::Udp);
    s.protocol = 17;
    s
}

#[test]
fn sample_64_uane() {
    let rows = [
        (state::CLOSE, 0, "0.0.0.0", 53, "0.0.0.0", 0, 310233, 0x32),
        (
            state::CLOSE,
            832,
            "127.0.0.1",
            5000,
            "0.0.0.0",
            0,
            310231,
            0x33,
        ),
        (
            state::ESTABLISHED,
            0,
            "127.0.0.1",
            5002,
            "127.0.0.1",
            5000,
            310234,
            0x17,
        ),
        (
            state::ESTABLISHED,
            0,
            "::1",
            53944,
            "::1",
            5001,
            310235,
            0x18,
        ),
        (state::CLOSE, 0, "::", 5001, "::", 0, 310232, 0x34),
    ];
    let socks: Vec<InetSock<'_>> = rows
        .iter()
        .map(|&(st, rq, src, sport, dst, dport, ino, sk)| {
            let mut s = udp_sock(st, rq, src, sport, dst, dport);
            s.inode = ino;
            s.cookie = sk;
            s.attrs.shutdown = Some(0);
            s.attrs.cgroup_id = Some(1);
            if st == state::CLOSE && s.family == family::INET6 {
                s.attrs.v6only = Some(0);
            }
            s
        })
        .collect();
    let got = run(
        SsOptions {
            numeric: true,
            extended: true,
            ..tcp_only()
        },
        &socks,
    );
    assert_same(&got, &sample("64"));
}

#[test]
fn sample_01_default_listing_unix_udp_tcp() {
    let skmem = unix_skmem();
    let unix: Vec<UnixSock<'_>> = unix_socks(&skmem)
        .into_iter()
        .filter(|s| s.state == state::ESTABLISHED)
        .collect();
    let udp = [
        udp_sock(state::ESTABLISHED, 0, "127.0.0.1", 5002, "127.0.0.1", 5000),
        udp_sock(state::ESTABLISHED, 0, "::1", 53944, "::1", 5001),
    ];
    let tcp: Vec<InetSock<'_>> = tcp_rows()
        .iter()
        .filter(|r| connected(r))
        .map(inet_of)
        .collect();
    let mut res = Fake::default();
    let mut p = SsPrinter::new(SsOptions::default());
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    for s in &unix {
        p.print(Sock::Unix(s), None, &mut res, &mut out).unwrap();
    }
    p.dump_started(Db::Raw);
    p.dump_started(Db::Udp);
    for s in &udp {
        p.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    p.dump_started(Db::Tcp);
    for s in &tcp {
        p.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample("01"));
}

#[test]
fn sample_67_summary() {
    use sockscope_render::summary::{write_summary, Summary};
    // /proc/net/sockstat(6) and snmp values of the capture run.
    let s = Summary {
        socks: 51,
        tcp4_hashed: 16,
        tcp_orphans: 0,
        tcp_tws: 2,
        tcp_total: 100025,
        tcp6_hashed: 8,
        udp4: 3,
        udp6: 2,
        raw4: 1,
        raw6: 1,
        tcp_estab: 13,
        ..Summary::default()
    };
    let mut out = Vec::new();
    write_summary(&s, &mut out).unwrap();
    assert_same(&String::from_utf8(out).unwrap(), &sample("67"));
}

/// Where ss 6.1 cuts its first batch (5-chunk rule), measured on this machine: in a private
/// netns with 95 000 unconnected-shape unix sockets (45 000 socketpairs + 90 bound abstract
/// sockets with long names), `ss -xa` printed its first 69 903 socket lines (all
/// `u_str ESTAB 0      0      * NNNNNN * NNNNNN`) at one width and the remaining lines, which
/// contained the long names, at another; `ss -xaH` cut after 69 905 lines. sockscope's
/// rebuild of those 95 090 sockets was byte-identical to ss's 9 253 190-byte output (also with
/// `-H` and on a 120-column terminal). This pins the cut points.
#[test]
fn first_batch_cut_matches_ss() {
    let first_batch = |header: bool| -> usize {
        let mut p = SsPrinter::new(SsOptions {
            header,
            ..SsOptions::default()
        });
        let mut out = Vec::new();
        let mut res = Fake::default();
        p.header(&mut out).unwrap();
        for i in 0..200_000u32 {
            let u = UnixSock {
                sock_type: 1,
                state: state::ESTABLISHED,
                inode: 900_000 - i,
                peer: Some(899_999 - i),
                rqlen: Some((0, 0)),
                ..UnixSock::default()
            };
            p.print(Sock::Unix(&u), None, &mut res, &mut out).unwrap();
            if !out.is_empty() {
                return i as usize;
            }
        }
        panic!("no early batch");
    };
    assert_eq!(first_batch(true), 69_903);
    assert_eq!(first_batch(false), 69_905);
}
