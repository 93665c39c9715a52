//! Item-by-item checks of the ss printer (spec §4.4–4.9, §4.11) with constructed sockets and a
//! fake resolver. Each test renders one socket without header, so every cell is exactly as
//! wide as its text and the expected lines are easy to read.

mod common;

use std::io::{self, Write};

use common::{ip, tcp, Fake};
use sockscope_query::model::{
    family, state, InetSock, NetlinkSock, PacketInfo, PacketRing, PacketSock, ProcInetExtra, Sock,
    Source, Table as Db, UnixSock, VsockSock, XdpSock,
};
use sockscope_render::ss::{ms_timer, ServiceProto, SsOptions, SsPrinter};

fn bare() -> SsOptions {
    SsOptions {
        header: false,
        netid_column: false,
        state_column: false,
        numeric: true,
        ..SsOptions::default()
    }
}

fn line_with(
    opts: SsOptions,
    proto: ServiceProto,
    res: &mut Fake,
    sock: Sock<'_>,
    users: Option<&[u8]>,
) -> String {
    let mut p = SsPrinter::new(opts);
    p.set_service_proto(proto);
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    p.print(sock, users, res, &mut out).unwrap();
    p.finish(&mut out).unwrap();
    let s = String::from_utf8(out).unwrap();
    s.strip_suffix('\n').expect("line end").to_string()
}

fn line(opts: SsOptions, sock: Sock<'_>) -> String {
    line_with(opts, ServiceProto::Tcp, &mut Fake::default(), sock, None)
}

fn est() -> InetSock<'static> {
    tcp(
        state::ESTABLISHED,
        0,
        0,
        "127.0.0.1",
        2222,
        "127.0.0.1",
        5000,
    )
}

const EST: &str = "0      0      127.0.0.1:2222 127.0.0.1:5000";

fn timer_text(ms: u32) -> String {
    let mut v = Vec::new();
    ms_timer(&mut v, ms);
    String::from_utf8(v).unwrap()
}

#[test]
fn timer_texts() {
    for (ms, want) in [
        (180, "180ms"),
        (5, "005ms"),
        (3924, "3.924ms"),
        (57000, "57sec"),
        (61000, "1min1sec"),
        (7_140_000, "119min"),
        (0, ""),
        (1000, "1sec"),
        (10_500, "10sec"),
        (600_000, "10min"),
        (599_999, "9min59sec"),
        (60_000, "1min"),
        (u32::MAX, "71582min"),
    ] {
        assert_eq!(timer_text(ms), want, "{ms} ms");
    }
}

#[test]
fn timer_items() {
    let mut s = est();
    s.timer = 1;
    s.expires = 0;
    s.retrans = 3;
    let o = SsOptions {
        timers: true,
        ..bare()
    };
    assert_eq!(line(o, Sock::Inet(&s)), format!("{EST} timer:(on,,3)"));
    s.timer = 7; // newer kernels' delayed-ACK timer
    s.expires = 180;
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} timer:(unknown,180ms,3)")
    );
    s.timer = 4;
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} timer:(persist,180ms,3)")
    );
    // -e and -b imply timers; no timers without any of them.
    assert!(line(
        SsOptions {
            bpf: true,
            ..bare()
        },
        Sock::Inet(&s)
    )
    .contains("timer:(persist"));
    assert_eq!(line(bare(), Sock::Inet(&s)), EST);
    // SCTP prints T3_RTX whatever the timer number.
    s.protocol = 132;
    s.table = Some(Db::Sctp);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} timer:(T3_RTX,180ms,3)")
    );
}

#[test]
fn netid_and_state_names() {
    let o = SsOptions {
        netid_column: true,
        state_column: true,
        ..bare()
    };
    let mut s = est();
    for (proto, netid) in [
        (0u16, "raw"),
        (1, "???"),
        (255, "???"),
        (58, "icmp6"),
        (17, "udp"),
        (6, "tcp"),
        (262, "mptcp"),
        (33, "dccp"),
        (132, "sctp"),
    ] {
        s.protocol = proto;
        let l = line_with(
            o,
            ServiceProto::Tcp,
            &mut Fake::default(),
            Sock::Inet(&s),
            None,
        );
        assert!(l.starts_with(&format!("{netid} ESTAB ")), "{proto}: {l}");
    }
    for (st, name) in [
        (0u8, "UNKNOWN"),
        (2, "SYN-SENT"),
        (3, "SYN-RECV"),
        (4, "FIN-WAIT-1"),
        (9, "LAST-ACK"),
        (11, "CLOSING"),
        (7, "UNCONN"),
        (12, "UNKNOWN"),
    ] {
        let mut s = est();
        s.state = st;
        assert!(line(o, Sock::Inet(&s)).starts_with(&format!("tcp {name} ")));
    }
}

#[test]
fn queues_are_signed_left_justified_6() {
    let s = tcp(
        state::LISTEN,
        4294967295,
        1234567,
        "127.0.0.1",
        22,
        "0.0.0.0",
        0,
    );
    assert_eq!(
        line(bare(), Sock::Inet(&s)),
        "-1     1234567 127.0.0.1:22 0.0.0.0:*"
    );
}

#[test]
fn repeated_addresses_print_as_on_their_own() {
    // One printer, sockets whose address cells differ in one thing only (family, v6only,
    // scope, the bytes), each repeated: every line must read as it does from a fresh printer.
    let o = SsOptions {
        header: false,
        ..bare()
    };
    let mut socks = Vec::new();
    for (src, dst, v6only, ifindex) in [
        ("::", "::", Some(0), 0),
        ("::", "::", Some(1), 0),
        ("::", "::", Some(0), 0),
        ("fe80::1", "fe80::2", None, 2),
        ("fe80::1", "fe80::2", None, 9),
        ("fe80::1", "fe80::2", None, 0),
        ("::ffff:10.0.0.1", "::1", None, 0),
        ("10.0.0.1", "127.0.0.1", None, 0),
        ("10.0.0.1", "127.0.0.1", None, 0),
        ("::1", "::1", None, 0),
        ("::1", "::2", None, 0),
    ] {
        let mut s = tcp(state::ESTABLISHED, 0, 0, src, 80, dst, 5000);
        s.attrs.v6only = v6only;
        s.ifindex = ifindex;
        socks.push(s);
        socks.push(s);
    }
    let mut p = SsPrinter::new(o);
    let mut out = Vec::new();
    let mut res = Fake::default();
    for s in &socks {
        p.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    p.finish(&mut out).unwrap();
    // Widths are shared by the batch: compare the cells, not the padding.
    let cells = |l: &str| l.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = String::from_utf8(out).unwrap();
    let got: Vec<String> = text.lines().map(cells).collect();
    let want: Vec<String> = socks
        .iter()
        .map(|s| cells(&line(o, Sock::Inet(s))))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got[1], "0 0 *:80 *:5000");
    assert_eq!(got[2], "0 0 [::]:80 [::]:5000");
    assert_eq!(got[9], "0 0 [fe80::1]%if9:80 [fe80::2]:5000");
    assert_eq!(got[15], "0 0 10.0.0.1:80 127.0.0.1:5000");
}

#[test]
fn inet_address_forms() {
    let o = bare();
    let v6 = |src: &str, dst: &str, v6only: Option<u8>| {
        let mut s = tcp(state::LISTEN, 0, 0, src, 80, dst, 0);
        s.attrs.v6only = v6only;
        line(o, Sock::Inet(&s))
    };
    assert_eq!(v6("::", "::", Some(0)), "0      0      *:80 *:*");
    assert_eq!(v6("::", "::", None), "0      0      *:80 *:*");
    assert_eq!(v6("::", "::", Some(1)), "0      0      [::]:80 [::]:*");
    assert_eq!(
        v6("::ffff:10.0.0.1", "::", None),
        "0      0      [::ffff:10.0.0.1]:80 *:*"
    );
    assert_eq!(
        v6("2001:db8::1", "::", Some(1)),
        "0      0      [2001:db8::1]:80 [::]:*"
    );
    // The interface suffix is only ever printed on the local side.
    let mut s = tcp(state::ESTABLISHED, 0, 0, "fe80::1", 80, "fe80::2", 5000);
    s.ifindex = 2;
    assert_eq!(
        line(o, Sock::Inet(&s)),
        "0      0      [fe80::1]%v0:80 [fe80::2]:5000"
    );
    s.ifindex = 9;
    assert_eq!(
        line(o, Sock::Inet(&s)),
        "0      0      [fe80::1]%if9:80 [fe80::2]:5000"
    );
    // IPv4 0.0.0.0 stays numeric.
    let s = tcp(state::LISTEN, 0, 0, "0.0.0.0", 80, "0.0.0.0", 0);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        "0      0      0.0.0.0:80 0.0.0.0:*"
    );
}

#[test]
fn resolved_host_names() {
    let o = SsOptions {
        resolve: true,
        ..bare()
    };
    let mut res = Fake {
        hosts: vec![
            (vec![10, 0, 0, 1], "host-a"),
            (ip("2001:db8::5").1.to_vec(), "odd:name"),
        ],
        ..Fake::default()
    };
    let s = tcp(
        state::ESTABLISHED,
        0,
        0,
        "::ffff:10.0.0.1",
        80,
        "2001:db8::5",
        5000,
    );
    // v4-mapped looked up as IPv4; a name containing ':' is bracketed like an address.
    assert_eq!(
        line_with(o, ServiceProto::Tcp, &mut res, Sock::Inet(&s), None),
        "0      0      host-a:80 [odd:name]:5000"
    );
    let s = tcp(state::ESTABLISHED, 0, 0, "10.0.0.1", 80, "10.0.0.2", 5000);
    assert_eq!(
        line_with(o, ServiceProto::Tcp, &mut res, Sock::Inet(&s), None),
        "0      0      host-a:80 10.0.0.2:5000"
    );
    // Without -r nothing is looked up.
    let mut res2 = Fake::default();
    line_with(bare(), ServiceProto::Tcp, &mut res2, Sock::Inet(&s), None);
    assert!(!res2.log.iter().any(|l| l.starts_with("host")));
}

#[test]
fn service_names_follow_the_current_protocol_string() {
    let named = SsOptions {
        numeric: false,
        ..bare()
    };
    let mut res = Fake::default();
    let s = tcp(state::ESTABLISHED, 0, 0, "127.0.0.1", 22, "127.0.0.1", 53);
    assert_eq!(
        line_with(named, ServiceProto::Tcp, &mut res, Sock::Inet(&s), None),
        "0      0      127.0.0.1:ssh 127.0.0.1:domain"
    );
    assert!(res.log.contains(&"service 22 tcp".to_string()));
    // Unset (no raw/udp/tcp dump ran): "any protocol".
    let mut res = Fake::default();
    line_with(named, ServiceProto::Unset, &mut res, Sock::Inet(&s), None);
    assert!(res.log.contains(&"service 22 ".to_string()));
    // After the raw dump, later kinds print protocol names for their ports (ss quirk).
    let mut res = Fake::default();
    let s = tcp(state::ESTABLISHED, 0, 0, "127.0.0.1", 6, "127.0.0.1", 300);
    assert_eq!(
        line_with(named, ServiceProto::Raw, &mut res, Sock::Inet(&s), None),
        "0      0      127.0.0.1:tcp 127.0.0.1:ipproto-300"
    );
    // Ephemeral ports are never looked up; port 0 is '*'.
    let mut res = Fake::default();
    let s = tcp(state::ESTABLISHED, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 0);
    assert_eq!(
        line_with(named, ServiceProto::Tcp, &mut res, Sock::Inet(&s), None),
        "0      0      127.0.0.1:40000 127.0.0.1:*"
    );
    assert!(!res.log.iter().any(|l| l.starts_with("service 40000")));
    // RPC names win, even inside the ephemeral range.
    let mut res = Fake {
        rpc: vec![(40000, "tcp", "rpc.mountd")],
        ..Fake::default()
    };
    assert_eq!(
        line_with(named, ServiceProto::Tcp, &mut res, Sock::Inet(&s), None),
        "0      0      127.0.0.1:rpc.mountd 127.0.0.1:*"
    );
    // -n: numbers, even for raw.
    let mut res = Fake::default();
    let s = tcp(state::ESTABLISHED, 0, 0, "127.0.0.1", 1, "127.0.0.1", 22);
    assert_eq!(
        line_with(bare(), ServiceProto::Raw, &mut res, Sock::Inet(&s), None),
        "0      0      127.0.0.1:1 127.0.0.1:22"
    );
    assert!(res.log.is_empty());
}

#[test]
fn details_items() {
    let o = SsOptions {
        extended: true,
        ..bare()
    };
    let mut s = est();
    s.uid = 1000;
    s.inode = 42;
    s.cookie = 0xffff_ffff_0000_0001;
    s.attrs.mark = Some(0x20);
    s.attrs.cgroup_id = Some(0x100);
    s.attrs.shutdown = Some(3);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} uid:1000 ino:42 sk:ffffffff00000001 fwmark:0x20 cgroup:/system.slice/x.service ---")
    );
    // Zero uid / mark / cgroup are not printed; unknown cgroup ids are "unreachable".
    let mut s = est();
    s.attrs.mark = Some(0);
    s.attrs.cgroup_id = Some(0xabc);
    s.attrs.shutdown = Some(1);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} ino:0 sk:0 cgroup:unreachable:abc -->")
    );
    s.attrs.shutdown = Some(2);
    assert!(line(o, Sock::Inet(&s)).ends_with(" <--"));
    // v6only only for IPv6 sockets that carry the attribute, before the shutdown mask.
    let mut s = tcp(state::LISTEN, 0, 0, "::", 80, "::", 0);
    s.attrs.v6only = Some(1);
    s.attrs.shutdown = Some(0);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        "0      0      [::]:80 [::]:* ino:0 sk:0 v6only:1 <->"
    );
    let mut s = est();
    s.attrs.v6only = Some(1);
    assert_eq!(line(o, Sock::Inet(&s)), format!("{EST} ino:0 sk:0"));
}

#[test]
fn users_come_first_in_the_process_cell() {
    let o = SsOptions {
        extended: true,
        timers: true,
        ..bare()
    };
    let mut s = est();
    s.timer = 2;
    s.expires = 1000;
    let got = line_with(
        o,
        ServiceProto::Tcp,
        &mut Fake::default(),
        Sock::Inet(&s),
        Some(b"(\"sshd\",pid=1,fd=3)"),
    );
    assert_eq!(
        got,
        format!("{EST} users:((\"sshd\",pid=1,fd=3)) timer:(keepalive,1sec,0) ino:0 sk:0")
    );
}

#[test]
fn tos_cgroup_sockopt_items() {
    let mut s = est();
    s.attrs.tos = Some(0);
    s.attrs.tclass = Some(0xb8);
    s.attrs.class_id = Some(0x10001);
    s.attrs.cgroup_id = Some(0);
    let o = SsOptions {
        tos: true,
        cgroup: true,
        ..bare()
    };
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} tos:0 tclass:0xb8 class_id:0x10001 cgroup:unreachable:0")
    );
    let so = if cfg!(target_endian = "little") {
        [0b1000_1001u8, 0b111]
    } else {
        [0b1001_0001, 0b1110_0000]
    };
    s.attrs.sockopt = Some(&so);
    let o = SsOptions {
        inet_sockopt: true,
        oneline: true,
        ..bare()
    };
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} inet-sockopt: ( recverr hdrincl nodefrag bind_addr_no_port recverr_rfc4884 defer_connect)")
    );
    // Too short an attribute prints nothing.
    s.attrs.sockopt = Some(&so[..1]);
    assert_eq!(line(o, Sock::Inet(&s)), EST);
}

fn skmem(vals: &[u32]) -> Vec<u8> {
    vals.iter().flat_map(|v| v.to_ne_bytes()).collect()
}

#[test]
fn memory_items() {
    let o = SsOptions {
        memory: true,
        ..bare()
    };
    let mut s = est();
    assert_eq!(line(o, Sock::Inet(&s)), format!("{EST}\n\t"));
    s.attrs.meminfo = Some([1, 2, 3, 4]);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST}\n\t mem:(r1,w2,f3,t4)")
    );
    let m7 = skmem(&[1, 2, 3, 4, 5, 6, 7]);
    s.attrs.skmeminfo = Some(&m7);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST}\n\t skmem:(r1,rb2,t3,tb4,f5,w6,o7)")
    );
    let m8 = skmem(&[1, 2, 3, 4, 5, 6, 7, 8]);
    s.attrs.skmeminfo = Some(&m8);
    assert_eq!(
        line(SsOptions { oneline: true, ..o }, Sock::Inet(&s)),
        format!("{EST} skmem:(r1,rb2,t3,tb4,f5,w6,o7,bl8)")
    );
    // Short arrays read as zeros instead of garbage.
    let m2 = skmem(&[9, 9]);
    s.attrs.skmeminfo = Some(&m2);
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST}\n\t skmem:(r9,rb9,t0,tb0,f0,w0,o0)")
    );
}

#[test]
fn info_continuation_rules() {
    let o = SsOptions {
        info: true,
        ..bare()
    };
    // udp with -i: nothing; raw from netlink with -i: an empty continuation (ss quirk).
    let mut u = est();
    u.protocol = 17;
    assert_eq!(line(o, Sock::Inet(&u)), EST);
    let mut r = est();
    r.protocol = 255;
    assert_eq!(line(o, Sock::Inet(&r)), format!("{EST}\n\t"));
    assert_eq!(line(SsOptions { oneline: true, ..o }, Sock::Inet(&r)), EST);
}

/// A tcp_info payload with reordering 3 and an "infinite" ssthresh so that only the fields a
/// test sets print.
fn info(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut b = vec![0u8; 232];
    b[88..92].copy_from_slice(&3u32.to_ne_bytes());
    b[76..80].copy_from_slice(&0xffffu32.to_ne_bytes());
    f(&mut b);
    b
}

fn set32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_ne_bytes());
}

fn set64(b: &mut [u8], off: usize, v: u64) {
    b[off..off + 8].copy_from_slice(&v.to_ne_bytes());
}

fn info_line(opts: SsOptions, s: &InetSock<'_>) -> String {
    let l = line(
        SsOptions {
            info: true,
            oneline: true,
            ..opts
        },
        Sock::Inet(s),
    );
    l.strip_prefix(EST).unwrap_or(&l).to_string()
}

#[test]
fn tcp_info_items_in_order() {
    let i = info(|b| {
        b[4] = 2; // backoff
        b[5] = 1 | 2 | 4 | 8 | 16 | 32; // ts sack wscale ecn ecnseen fastopen
        b[6] = 7 | (9 << 4);
        b[7] = 1; // app limited
        set32(b, 8, 201_000); // rto
        set32(b, 12, 40_000); // ato
        set32(b, 16, 1448); // snd_mss
        set32(b, 20, 536); // rcv_mss
        set32(b, 24, 5); // unacked
        set32(b, 28, 2); // sacked
        set32(b, 32, 1); // lost
        set32(b, 36, 1); // retrans
        set32(b, 40, 4); // fackets
        set32(b, 44, 10); // last data sent
        set32(b, 52, 20); // last data recv
        set32(b, 56, 30); // last ack recv
        set32(b, 60, 1500);
        set32(b, 64, 64000); // rcv_ssthresh
        set32(b, 68, 1234); // rtt 1.234 ms
        set32(b, 72, 617);
        set32(b, 76, 7); // ssthresh
        set32(b, 80, 10); // cwnd
        set32(b, 84, 1460);
        set32(b, 88, 5); // reordering
        set32(b, 92, 2500); // rcv_rtt
        set32(b, 96, 29200); // rcv_space
        set32(b, 100, 9); // total_retrans
        set64(b, 104, 1_250_000); // pacing 10 Mbit/s
        set64(b, 112, 125_000_000_000); // max pacing 1 Tbit/s
        set64(b, 120, 1000); // bytes_acked
        set64(b, 128, 2000); // bytes_received
        set32(b, 136, 11);
        set32(b, 140, 12);
        set32(b, 144, 100); // notsent
        set32(b, 148, 999); // min_rtt
        set32(b, 152, 13); // data_segs_in
        set32(b, 156, 14); // data_segs_out
        set64(b, 160, 125); // delivery rate 1000 bit/s
        set64(b, 168, 8000); // busy 8 ms
        set64(b, 176, 2000); // rwnd limited 2 ms = 25%
        set64(b, 184, 1000); // sndbuf limited 12.5%
        set32(b, 192, 15);
        set32(b, 196, 16);
        set64(b, 200, 3000); // bytes_sent
        set64(b, 208, 4000); // bytes_retrans
        set32(b, 216, 17); // dsack dups
        set32(b, 220, 18); // reord seen
        set32(b, 224, 19); // rcv_ooopack
        set32(b, 228, 20); // snd_wnd
    });
    let mut s = est();
    s.attrs.info = Some(&i);
    s.attrs.cong = Some(b"cubic\0");
    let want = " ts sack ecn ecnseen fastopen cubic wscale:7,9 rto:201 backoff:2 rtt:1.234/0.617 ato:40 \
mss:1448 pmtu:1500 rcvmss:536 advmss:1460 cwnd:10 ssthresh:7 bytes_sent:3000 bytes_retrans:4000 \
bytes_acked:1000 bytes_received:2000 segs_out:11 segs_in:12 data_segs_out:14 data_segs_in:13 \
send 93.9Mbps lastsnd:10 lastrcv:20 lastack:30 pacing_rate 10Mbps/1Tbps delivery_rate 1kbps \
delivered:15 delivered_ce:16 app_limited busy:8ms rwnd_limited:2ms(25.0%) sndbuf_limited:1ms(12.5%) \
unacked:5 retrans:1/9 lost:1 sacked:2 dsack_dups:17 fackets:4 reordering:5 reord_seen:18 \
rcv_rtt:2.5 rcv_space:29200 rcv_ssthresh:64000 notsent:100 minrtt:0.999 rcv_ooopack:19 snd_wnd:20";
    assert_eq!(
        info_line(
            SsOptions {
                timers: true,
                numeric: false,
                ..bare()
            },
            &s
        ),
        want
    );
    // Without -o/-e/-b the option flags are not printed; -n prints raw bit rates.
    let l = info_line(bare(), &s);
    assert!(l.starts_with(" cubic wscale:7,9 "), "{l}");
    assert!(
        l.contains(" send 93873582bps ")
            && l.contains(" pacing_rate 10000000bps/1000000000000bps "),
        "{l}"
    );
}

#[test]
fn tcp_info_conditions() {
    // rto 3 s (the initial value) and min_rtt ~0 are hidden; sacked hidden for listeners;
    // ssthresh >= 0xFFFF hidden; reordering 3 hidden.
    let i = info(|b| {
        set32(b, 8, 3_000_000);
        set32(b, 28, 5);
        set32(b, 148, u32::MAX);
        set64(b, 104, u64::MAX);
    });
    let mut s = tcp(state::LISTEN, 0, 0, "127.0.0.1", 2222, "127.0.0.1", 5000);
    s.attrs.info = Some(&i);
    assert_eq!(info_line(bare(), &s), "");
    s.state = state::ESTABLISHED;
    assert_eq!(info_line(bare(), &s), " sacked:5");
    // Short (old kernel) payloads: missing fields are zero, so reordering:0 shows.
    let short = &i[..40];
    let mut s = est();
    s.attrs.info = Some(short);
    assert_eq!(info_line(bare(), &s), " sacked:5 reordering:0");
}

#[test]
fn congestion_control_extras() {
    let i = info(|b| {
        set32(b, 16, 1000);
        set32(b, 80, 10);
        set32(b, 68, 100_000); // 100 ms
    });
    let mut s = est();
    s.attrs.info = Some(&i);
    // Vegas rtt replaces tcpi_rtt for the send rate when enabled and valid.
    assert_eq!(
        info_line(
            SsOptions {
                numeric: false,
                ..bare()
            },
            &s
        ),
        " rtt:100/0 mss:1000 cwnd:10 send 800kbps"
    );
    s.attrs.vegas = Some([1, 0, 50_000, 0]);
    assert!(info_line(
        SsOptions {
            numeric: false,
            ..bare()
        },
        &s
    )
    .ends_with(" send 1.6Mbps"));
    s.attrs.vegas = Some([1, 0, 0x7fff_ffff, 0]);
    assert!(info_line(
        SsOptions {
            numeric: false,
            ..bare()
        },
        &s
    )
    .ends_with(" send 800kbps"));
    s.attrs.vegas = None;
    // DCTCP both forms.
    let mut d = vec![0u8; 16];
    d[0..2].copy_from_slice(&1u16.to_ne_bytes());
    d[2..4].copy_from_slice(&2u16.to_ne_bytes());
    set32(&mut d, 4, 1024);
    set32(&mut d, 8, 3);
    set32(&mut d, 12, 4);
    s.attrs.dctcp = Some(&d);
    assert!(
        info_line(bare(), &s).contains(" dctcp:(ce_state:2,alpha:1024,ab_ecn:3,ab_tot:4) send ")
    );
    let mut d2 = d.clone();
    d2[0] = 0;
    d2[1] = 0;
    s.attrs.dctcp = Some(&d2);
    assert!(info_line(bare(), &s).contains(" dctcp:fallback_mode send "));
    s.attrs.dctcp = None;
    // BBR with zero gains omits them; bandwidth through sprint_bw.
    let mut bbr = vec![0u8; 20];
    set32(&mut bbr, 0, 37_707_031); // 301.656 Mbit/s
    set32(&mut bbr, 8, 6);
    s.attrs.bbr = Some(&bbr);
    assert!(info_line(
        SsOptions {
            numeric: false,
            ..bare()
        },
        &s
    )
    .contains(" bbr:(bw:302Mbps,mrtt:0.006) send "));
    // A truncated bbr attribute is zero-extended.
    s.attrs.bbr = Some(&bbr[..4]);
    assert!(info_line(
        SsOptions {
            numeric: false,
            ..bare()
        },
        &s
    )
    .contains(" bbr:(bw:302Mbps,mrtt:0) "));
}

#[test]
fn bandwidth_suffixes() {
    let cases = [
        (999u64, "999"),
        (1000, "1k"),
        (1_234_567, "1.23M"),
        (999_999_999, "1e+03M"),
        (1_000_000_000, "1G"),
        (1_250_000_000_000, "1.25T"),
        (0, "0"),
    ];
    for (bits, want) in cases {
        // pacing_rate is bytes/s × 8; use multiples of 8 via the bbr bandwidth instead.
        let i = info(|_| {});
        let mut bbr = vec![0u8; 20];
        let bytes = bits / 8;
        let rem_bits = bits % 8;
        if rem_bits != 0 {
            continue;
        }
        set32(&mut bbr, 0, bytes as u32);
        set32(&mut bbr, 4, (bytes >> 32) as u32);
        let mut s = est();
        s.attrs.info = Some(&i);
        s.attrs.bbr = Some(&bbr);
        let l = info_line(
            SsOptions {
                numeric: false,
                ..bare()
            },
            &s,
        );
        assert_eq!(l, format!(" bbr:(bw:{want}bps,mrtt:0)"), "{bits}");
    }
}

/// A writer that records everything, to check what bypasses the table.
#[derive(Default)]
struct Recorder(Vec<u8>);
impl Write for Recorder {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn md5_keys_are_written_before_the_table() {
    let mut sig = vec![0u8; 200];
    sig[0] = family::INET;
    sig[1] = 32;
    sig[2..4].copy_from_slice(&4u16.to_ne_bytes());
    sig[4..8].copy_from_slice(&[127, 0, 0, 1]);
    sig[20..24].copy_from_slice(b"a b,");
    sig[100] = family::INET6;
    sig[101] = 128;
    sig[102..104].copy_from_slice(&2u16.to_ne_bytes());
    sig[119] = 1; // ::1
    sig[120..122].copy_from_slice(&[b'\\', 0xff]);
    let mut s = est();
    s.attrs.md5sig = Some(&sig);
    let mut p = SsPrinter::new(SsOptions {
        info: true,
        ..bare()
    });
    let mut w = Recorder::default();
    p.print(Sock::Inet(&s), None, &mut Fake::default(), &mut w)
        .unwrap();
    assert_eq!(w.0, b"a\\040b\\054\\134\\377");
    p.finish(&mut w).unwrap();
    let text = String::from_utf8_lossy(&w.0).to_string();
    assert_eq!(
        text,
        format!("a\\040b\\054\\134\\377{EST}\n\t md5keys:127.0.0.1/32=,::1/128=\n")
    );
}

#[test]
fn tls_ulp_items() {
    fn nla(ty: u16, p: &[u8]) -> Vec<u8> {
        let mut v = ((4 + p.len()) as u16).to_ne_bytes().to_vec();
        v.extend_from_slice(&ty.to_ne_bytes());
        v.extend_from_slice(p);
        while v.len() % 4 != 0 {
            v.push(0);
        }
        v
    }
    let mut tls = nla(1, &0x0304u16.to_ne_bytes());
    tls.extend(nla(2, &52u16.to_ne_bytes()));
    tls.extend(nla(3, &2u16.to_ne_bytes())); // txconf sw
    tls.extend(nla(4, &9u16.to_ne_bytes())); // rxconf unknown(9)
    tls.extend(nla(5, &[]));
    let mut ulp = nla(1, b"tls\0");
    ulp.extend(nla(2, &tls));
    let mut s = est();
    s.attrs.ulp = Some(&ulp);
    assert_eq!(
        info_line(bare(), &s),
        " tcp-ulp-tls version: 1.3 cipher: aes-gcm-256 rxconf: unknown(9) txconf: sw zc_ro_tx"
    );
    let mut tls = nla(1, &0x0301u16.to_ne_bytes());
    tls.extend(nla(2, &99u16.to_ne_bytes()));
    let mut ulp = nla(1, b"tls\0");
    ulp.extend(nla(2, &tls));
    s.attrs.ulp = Some(&ulp);
    assert_eq!(info_line(bare(), &s), " tcp-ulp-tls version: unknown(769)");
}

#[test]
fn sctp_associations_locals_peers_and_info() {
    let o = SsOptions {
        netid_column: true,
        state_column: true,
        info: true,
        oneline: true,
        ..bare()
    };
    let mut ep = tcp(state::LISTEN, 0, 0, "10.0.0.1", 9, "0.0.0.0", 0);
    ep.protocol = 132;
    ep.table = Some(Db::Sctp);
    ep.inode = 77;
    let mut locals = vec![0u8; 256];
    locals[0..2].copy_from_slice(&u16::from(family::INET).to_ne_bytes());
    locals[4..8].copy_from_slice(&[10, 0, 0, 1]);
    locals[128..130].copy_from_slice(&u16::from(family::INET6).to_ne_bytes());
    locals[128 + 8 + 15] = 1;
    ep.attrs.locals = Some(&locals);
    let mut assoc = ep;
    assoc.state = 3; // SCTP_STATE_ESTABLISHED
    assoc.attrs.locals = None;
    let mut si = vec![0u8; 368];
    set32(&mut si, 0, 0xabc); // tag
    set32(&mut si, 4, 3); // state
    set32(&mut si, 8, 4096); // rwnd
    si[16..18].copy_from_slice(&10u16.to_ne_bytes()); // instrms
    set32(&mut si, 48, 0xdef); // peer tag
    si[356] = 1; // nodelay
    assoc.attrs.info = Some(&si);
    let mut p = SsPrinter::new(o);
    let mut out = Vec::new();
    let mut res = Fake::default();
    p.print(Sock::Inet(&ep), None, &mut res, &mut out).unwrap();
    p.print(Sock::Inet(&assoc), None, &mut res, &mut out)
        .unwrap();
    p.finish(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The State column is as wide as "`- ESTAB"; the association has an empty Netid cell.
    assert_eq!(
        lines[0],
        "sctp LISTEN   0      0      10.0.0.1:9 0.0.0.0:* locals:10.0.0.1,::1"
    );
    assert_eq!(lines[1], "     `- ESTAB 0      0      10.0.0.1:9 0.0.0.0:* tag:abc state:ESTAB rwnd:4096 instrms:10 ptag:def nodelay:1");
}

#[test]
fn proc_tcp_info_and_opt() {
    let mut s = est();
    s.source = Source::Proc;
    s.inode = 5;
    s.proc_extra = Some(ProcInetExtra {
        sk: 0xffff8888,
        rto: 20,
        ato: 4,
        qack: 3,
        cwnd: 10,
        ssthresh: -1,
        hz: 100,
        opt: b"extra text",
        ..ProcInetExtra::default()
    });
    let o = SsOptions {
        extended: true,
        info: true,
        memory: true,
        ..bare()
    };
    assert_eq!(
        line(o, Sock::Inet(&s)),
        format!("{EST} ino:5 sk:ffff8888 opt:\"extra text\" rto:0.2 ato:0.04 qack:1 bidir cwnd:10 reordering:0")
    );
    // rto of exactly 3*hz is hidden; ssthresh shown when set.
    s.proc_extra = Some(ProcInetExtra {
        rto: 300,
        ssthresh: 7,
        cwnd: 2,
        hz: 100,
        ..ProcInetExtra::default()
    });
    assert_eq!(
        line(
            SsOptions {
                info: true,
                ..bare()
            },
            Sock::Inet(&s)
        ),
        format!("{EST} cwnd:2 ssthresh:7 reordering:0")
    );
    // udp/raw lines from /proc never print extras.
    let mut u = s;
    u.table = Some(Db::Udp);
    u.protocol = 17;
    assert_eq!(
        line_with(
            o,
            ServiceProto::Udp,
            &mut Fake::default(),
            Sock::Inet(&u),
            None
        ),
        EST
    );
}

#[test]
fn unix_names() {
    let o = bare();
    let mk = |name: Option<&'static [u8]>| UnixSock {
        sock_type: 1,
        state: state::ESTABLISHED,
        inode: 0x8000_0001,
        name,
        peer: Some(5),
        ..UnixSock::default()
    };
    assert_eq!(
        line(o, Sock::Unix(&mk(Some(b"\0a\0b")))),
        "0      0      @a@b -2147483647 * 5"
    );
    assert_eq!(
        line(o, Sock::Unix(&mk(Some(b"/run/x.sock\0\0")))),
        "0      0      /run/x.sock -2147483647 * 5"
    );
    assert_eq!(
        line(o, Sock::Unix(&mk(Some(b"")))),
        "0      0       -2147483647 * 5"
    );
    assert_eq!(
        line(o, Sock::Unix(&mk(None))),
        "0      0      * -2147483647 * 5"
    );
    let mut u = mk(Some(b"/x"));
    u.peer = None;
    u.shutdown = Some(1);
    u.icons = Some(&[7, 0, 0, 0, 8, 0, 0, 0][..]);
    let l = line(
        SsOptions {
            extended: true,
            ..o
        },
        Sock::Unix(&u),
    );
    assert_eq!(
        l,
        if cfg!(target_endian = "little") {
            "0      0      /x -2147483647 * 0 --> peers: 7 8"
        } else {
            l.as_str()
        }
    );
}

#[test]
fn packet_items() {
    let o = SsOptions {
        extended: true,
        oneline: true,
        ..bare()
    };
    let m = skmem(&[100]);
    let ring = PacketRing {
        block_size: 4096,
        block_nr: 2,
        frame_size: 2048,
        frame_nr: 4,
        retire_tmo: 0,
        sizeof_priv: 0,
        features: 0x1,
    };
    let p = PacketSock {
        sock_type: 2,
        protocol: 0x1234,
        inode: 9,
        cookie: 0xa,
        uid: Some(7),
        info: Some(PacketInfo {
            index: 2,
            version: 2,
            copy_thresh: 1,
            flags: 0x2 | 0x10,
            ..PacketInfo::default()
        }),
        rx_ring: Some(ring),
        fanout: Some((6 << 16) | 3),
        meminfo: Some(&m),
        ..PacketSock::default()
    };
    assert_eq!(
        line(o, Sock::Packet(&p)),
        "100    0      [4660]:v0 * uid:7 ino:9 sk:a ver:2 cpy_thresh:1 flags(  auxdata loss ) \
ring_rx(blk_size:4096,blk_nr:2,frm_size:2048,frm_nr:4,tmo:0,features:0x1) fanout(id:3,type:0x6)"
    );
    // /proc/net/packet records: rmem and ifindex columns, sk printed as 0, nothing else.
    let p = PacketSock {
        source: Source::Proc,
        sock_type: 3,
        protocol: 3,
        inode: 9,
        uid: Some(0),
        proc_rmem: 5,
        proc_ifindex: 1,
        ..PacketSock::default()
    };
    assert_eq!(line(o, Sock::Packet(&p)), "5      0      *:lo * ino:9 sk:0");
    // Names need no -n; with -n the protocol is a number in brackets.
    let p = PacketSock {
        sock_type: 3,
        protocol: 0x0806,
        ..PacketSock::default()
    };
    assert_eq!(
        line(
            SsOptions {
                numeric: false,
                ..bare()
            },
            Sock::Packet(&p)
        ),
        "0      0      arp:* *"
    );
    assert_eq!(line(bare(), Sock::Packet(&p)), "0      0      [2054]:* *");
}

#[test]
fn netlink_items() {
    let named = SsOptions {
        numeric: false,
        ..bare()
    };
    let mk = |protocol, portid| NetlinkSock {
        protocol,
        portid,
        ..NetlinkSock::default()
    };
    assert_eq!(
        line(named, Sock::Netlink(&mk(0, 0))),
        "0      0      rtnl:kernel *"
    );
    assert_eq!(
        line(named, Sock::Netlink(&mk(16, 9391))),
        "0      0      genl:python3/9391 *"
    );
    assert_eq!(
        line(named, Sock::Netlink(&mk(17, 77))),
        "0      0      17:77 *"
    );
    assert_eq!(
        line(named, Sock::Netlink(&mk(4, u32::MAX))),
        "0      0      tcpdiag:* *"
    );
    assert_eq!(
        line(named, Sock::Netlink(&mk(4, u32::MAX - 5))),
        "0      0      tcpdiag:-6 *"
    );
    assert_eq!(
        line(bare(), Sock::Netlink(&mk(0, 0))),
        "0      0      0:0 *"
    );
    let mut c = mk(0, 5);
    c.state = 1;
    c.dst_group = 2;
    c.dst_portid = 0;
    assert_eq!(line(bare(), Sock::Netlink(&c)), "0      0      0:5 2:0");
    let m = skmem(&[1, 2, 3]);
    c.meminfo = Some(&m);
    c.groups = Some(0x10);
    assert_eq!(
        line(
            SsOptions {
                memory: true,
                extended: true,
                ..bare()
            },
            Sock::Netlink(&c)
        ),
        "1      3      0:5 2:0 sk=0 cb=0 groups=0x00000010\t skmem:(r1,rb2,t3,tb0,f0,w0,o0)"
    );
    let p = NetlinkSock {
        source: Source::Proc,
        protocol: 9,
        portid: 0,
        proc_sk: 0xabc,
        proc_cb: 1,
        proc_rmem: 4,
        proc_wmem: 5,
        ..NetlinkSock::default()
    };
    assert_eq!(
        line(
            SsOptions {
                memory: true,
                extended: true,
                ..bare()
            },
            Sock::Netlink(&p)
        ),
        "4      5      9:0 * sk=abc cb=1 groups=0x00000000"
    );
}

#[test]
fn vsock_and_xdp_items() {
    let v = VsockSock {
        sock_type: 1,
        state: state::LISTEN,
        src_cid: u32::MAX,
        src_port: 1024,
        dst_cid: 2,
        dst_port: u32::MAX,
        ..VsockSock::default()
    };
    assert_eq!(
        line(
            SsOptions {
                netid_column: true,
                ..bare()
            },
            Sock::Vsock(&v)
        ),
        "v_str 0      0      *:1024 2:*"
    );
    let umem = {
        let mut u = vec![0u8; 40];
        set64(&mut u, 0, 1 << 20);
        set32(&mut u, 8, 1);
        set32(&mut u, 12, 256);
        set32(&mut u, 16, 4096);
        set32(&mut u, 24, 2);
        set32(&mut u, 28, 3);
        set32(&mut u, 32, 1);
        set32(&mut u, 36, 2);
        u
    };
    let stats = {
        let mut st = vec![0u8; 48];
        for i in 0..6 {
            set64(&mut st, i * 8, i as u64 + 1);
        }
        st
    };
    let m = skmem(&[8]);
    let x = XdpSock {
        sock_type: 3,
        inode: 3,
        cookie: 0xc,
        info: Some((2, 3)),
        rx_ring: Some(512),
        umem: Some(&umem),
        fill_ring: Some(1024),
        stats: Some(&stats),
        meminfo: Some(&m),
        ..XdpSock::default()
    };
    let want_tail = "umem(id:1,size:1048576,num_pages:256,chunk_size:4096,headroom:0,ifindex:2,qid:3,zc:1,refs:2)";
    assert_eq!(
        line(SsOptions { extended: true, ..bare() }, Sock::Xdp(&x)),
        format!(
            "8      0      v0:q3 * ino:3 sk:c\n\trx(entries:512)\n\t{want_tail}\n\tfr(entries:1024)\n\tstats(rx dropped:1,rx invalid:2,rx queue full:3,rx fill ring empty:4,tx invalid:5,tx ring empty:6)"
        )
    );
    let l = line(
        SsOptions {
            extended: true,
            oneline: true,
            ..bare()
        },
        Sock::Xdp(&x),
    );
    assert!(
        l.contains(&format!(" t{want_tail} fr(entries:1024) stats(")),
        "{l}"
    );
    let x = XdpSock {
        info: None,
        ..XdpSock::default()
    };
    assert_eq!(line(bare(), Sock::Xdp(&x)), "0      0      * *");
}

#[test]
fn follow_mode_renders_every_socket_without_measuring_process() {
    let o = SsOptions {
        follow: true,
        netid_column: false,
        state_column: false,
        extended: true,
        ..SsOptions::default()
    };
    let mut p = SsPrinter::new(o);
    let mut out = Vec::new();
    p.header(&mut out).unwrap();
    assert!(out.is_empty());
    let a = est();
    p.print(Sock::Inet(&a), None, &mut Fake::default(), &mut out)
        .unwrap();
    let first = String::from_utf8(out.clone()).unwrap();
    assert_eq!(first, "Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n0      0          127.0.0.1:2222    127.0.0.1:5000 ino:0 sk:0\n");
    let mut b = tcp(
        state::ESTABLISHED,
        0,
        0,
        "10.10.10.10",
        2222,
        "127.0.0.1",
        5000,
    );
    b.inode = 123456;
    out.clear();
    p.print(Sock::Inet(&b), None, &mut Fake::default(), &mut out)
        .unwrap();
    // Widths only grow; the Process column stays at the header's 7.
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "0      0        10.10.10.10:2222    127.0.0.1:5000 ino:123456 sk:0\n"
    );
    assert_eq!(p.table().max_len(8), 7);
}

#[test]
fn huge_outputs_are_rendered_in_batches_and_widths_only_grow() {
    let o = SsOptions {
        netid_column: false,
        state_column: false,
        numeric: true,
        ..SsOptions::default()
    };
    let mut p = SsPrinter::new(o);
    let mut out = Vec::new();
    let mut res = Fake::default();
    p.header(&mut out).unwrap();
    let narrow = tcp(state::ESTABLISHED, 0, 0, "1.1.1.1", 1, "1.1.1.1", 1);
    let wide = tcp(state::ESTABLISHED, 0, 0, "100.100.100.100", 1, "1.1.1.1", 1);
    let mut n = 0usize;
    while out.is_empty() {
        p.print(Sock::Inet(&narrow), None, &mut res, &mut out)
            .unwrap();
        n += 1;
        assert!(n < 1_000_000);
    }
    // About 5 MiB of tokens went into the first batch (each line is ~56 bytes of tokens).
    assert!(n > 80_000, "{n}");
    p.print(Sock::Inet(&wide), None, &mut res, &mut out)
        .unwrap();
    p.finish(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), n + 2);
    assert_eq!(
        lines[1].trim_end(),
        "0      0            1.1.1.1:1         1.1.1.1:1"
    );
    assert_eq!(lines[n - 1], lines[1]);
    // Lines of the second batch are aligned to the wider address.
    assert_eq!(
        lines[n].trim_end(),
        format!("0      0{}1.1.1.1:1         1.1.1.1:1", " ".repeat(14))
    );
    assert_eq!(
        lines[n + 1].trim_end(),
        format!(
            "0      0{}100.100.100.100:1         1.1.1.1:1",
            " ".repeat(6)
        )
    );
}

struct Broken;
impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> io::Result<usize> {
        Err(io::Error::from(io::ErrorKind::BrokenPipe))
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn write_errors_propagate() {
    let mut p = SsPrinter::new(SsOptions::default());
    p.header(&mut Broken).unwrap();
    let s = est();
    p.print(Sock::Inet(&s), None, &mut Fake::default(), &mut Broken)
        .unwrap();
    assert_eq!(
        p.finish(&mut Broken).unwrap_err().kind(),
        io::ErrorKind::BrokenPipe
    );
    let mut p = SsPrinter::new(SsOptions {
        follow: true,
        ..SsOptions::default()
    });
    assert_eq!(
        p.print(Sock::Inet(&s), None, &mut Fake::default(), &mut Broken)
            .unwrap_err()
            .kind(),
        io::ErrorKind::BrokenPipe
    );
}
