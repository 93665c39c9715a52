//! Pins the `--json` schema (docs/json.md): the output must parse as one JSON array, with the
//! documented keys and value types, only for the attributes a socket has.

mod common;

use common::{tcp, Fake};
use serde_json::Value;
use sockscope_query::model::{
    state, NetlinkSock, PacketInfo, PacketSock, Sock, Source, UnixSock, VsockSock, XdpSock,
};
use sockscope_render::json::{JsonOptions, JsonWriter};

fn emit(opts: JsonOptions, socks: &[(Sock<'_>, Option<&[u8]>)]) -> (String, Value) {
    let mut w = JsonWriter::new(opts);
    let mut out = Vec::new();
    let mut res = Fake::default();
    for (s, u) in socks {
        w.print(*s, *u, &mut res, &mut out).unwrap();
    }
    w.finish(&mut out).unwrap();
    let text = String::from_utf8(out).expect("JSON output is UTF-8");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    (text, v)
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object().unwrap().keys().map(String::as_str).collect()
}

#[test]
fn empty_output_is_an_empty_array() {
    let (text, v) = emit(JsonOptions::default(), &[]);
    assert_eq!(text, "[]\n");
    assert_eq!(v, Value::Array(vec![]));
}

#[test]
fn json_lines_for_events() {
    let a = tcp(state::CLOSE, 0, 0, "127.0.0.1", 9400, "0.0.0.0", 0);
    let b = tcp(state::CLOSE, 1, 0, "::1", 9400, "::1", 7600);
    let mut w = JsonWriter::new(JsonOptions {
        cgroup_paths: false,
        lines: true,
    });
    let mut out = Vec::new();
    let mut res = Fake::default();
    for s in [&a, &b] {
        w.print(Sock::Inet(s), None, &mut res, &mut out).unwrap();
    }
    w.finish(&mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 2);
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["state"], "UNCONN");
    }
    assert!(text.ends_with("}\n"));
}

#[test]
fn one_object_per_line() {
    let a = tcp(state::LISTEN, 0, 128, "0.0.0.0", 22, "0.0.0.0", 0);
    let b = tcp(state::ESTABLISHED, 1, 2, "::1", 22, "::1", 40000);
    let (text, v) = emit(
        JsonOptions::default(),
        &[(Sock::Inet(&a), None), (Sock::Inet(&b), None)],
    );
    assert!(text.starts_with("[\n{"));
    assert!(text.ends_with("}\n]\n"));
    assert_eq!(text.lines().count(), 4);
    assert_eq!(v.as_array().unwrap().len(), 2);
}

#[test]
fn inet_minimal_and_full() {
    let minimal = tcp(state::LISTEN, 0, 128, "0.0.0.0", 22, "0.0.0.0", 0);
    let mut full = tcp(
        state::ESTABLISHED,
        5,
        6,
        "fe80::1",
        443,
        "2001:db8::2",
        51000,
    );
    full.ifindex = 2;
    full.inode = 77;
    full.uid = 1000;
    full.cookie = u64::MAX;
    full.timer = 2;
    full.expires = 7_140_000;
    full.retrans = 1;
    let mut info = vec![0u8; 232];
    info[68..72].copy_from_slice(&1234u32.to_ne_bytes());
    info[7] = 1;
    let skmem: Vec<u8> = (1u32..=9).flat_map(|v| v.to_ne_bytes()).collect();
    full.attrs.info = Some(&info);
    full.attrs.cong = Some(b"cubic\0");
    full.attrs.skmeminfo = Some(&skmem);
    full.attrs.mark = Some(0x20);
    full.attrs.cgroup_id = Some(0x100);
    full.attrs.v6only = Some(1);
    full.attrs.shutdown = Some(2);
    full.attrs.tos = Some(0x10);
    full.attrs.class_id = Some(6);
    let users: &[u8] = b"(\"nginx\",pid=1,fd=3)";
    let (text, v) = emit(
        JsonOptions {
            cgroup_paths: true,
            lines: false,
        },
        &[
            (Sock::Inet(&minimal), None),
            (Sock::Inet(&full), Some(users)),
        ],
    );
    // Key order is fixed (serde_json sorts keys, so check the raw text).
    assert_eq!(
        text.lines().nth(1).unwrap(),
        "{\"netid\":\"tcp\",\"state\":\"LISTEN\",\"recv_q\":0,\"send_q\":128,\"family\":\"inet\",\"protocol\":6,\
\"local\":{\"address\":\"0.0.0.0\",\"port\":22},\"peer\":{\"address\":\"0.0.0.0\",\"port\":0},\
\"inode\":0,\"uid\":0,\"cookie\":0},"
    );
    let m = &v[0];
    let mut k = keys(m);
    k.sort_unstable();
    assert_eq!(
        k,
        [
            "cookie", "family", "inode", "local", "netid", "peer", "protocol", "recv_q", "send_q",
            "state", "uid"
        ]
    );
    assert_eq!(m["netid"], "tcp");
    assert_eq!(m["state"], "LISTEN");
    assert_eq!(m["send_q"], 128);
    assert_eq!(m["local"]["address"], "0.0.0.0");
    assert_eq!(m["local"]["port"], 22);
    assert!(m["local"].get("interface").is_none());

    let f = &v[1];
    assert_eq!(f["family"], "inet6");
    assert_eq!(f["local"]["address"], "fe80::1");
    assert_eq!(f["local"]["interface"], "v0");
    assert_eq!(f["peer"]["address"], "2001:db8::2");
    assert_eq!(f["peer"]["port"], 51000);
    assert_eq!(f["cookie"].as_u64(), Some(u64::MAX));
    assert_eq!(f["mark"], 32);
    assert_eq!(f["cgroup_id"], 256);
    assert_eq!(f["cgroup"], "/system.slice/x.service");
    assert_eq!(f["v6only"], true);
    assert_eq!(f["shutdown"]["recv"], false);
    assert_eq!(f["shutdown"]["send"], true);
    assert_eq!(f["timer"]["name"], "keepalive");
    assert_eq!(f["timer"]["expires_ms"], 7_140_000);
    assert_eq!(f["timer"]["retrans"], 1);
    assert_eq!(f["tos"], 16);
    assert_eq!(f["class_id"], 6);
    assert!(f.get("tclass").is_none());
    assert_eq!(f["congestion"], "cubic");
    assert_eq!(f["skmem"]["rmem_alloc"], 1);
    assert_eq!(f["skmem"]["drops"], 9);
    assert_eq!(f["tcp_info"]["rtt"], 1234);
    assert_eq!(f["tcp_info"]["delivery_rate_app_limited"], true);
    assert_eq!(f["tcp_info"]["snd_wnd"], 0);
    assert_eq!(f["users"], "(\"nginx\",pid=1,fd=3)");
    // Without cgroup_paths no lookup is made.
    let (_, v) = emit(JsonOptions::default(), &[(Sock::Inet(&full), None)]);
    assert!(v[0].get("cgroup").is_none());
    assert!(v[0].get("users").is_none());
}

#[test]
fn unix_names_and_escaping() {
    let path = UnixSock {
        sock_type: 1,
        state: state::LISTEN,
        inode: 5,
        name: Some(b"/tmp/a \"b\"\\c\n\0"),
        icons: Some(&[1, 0, 0, 0, 2, 0, 0, 0]),
        ..UnixSock::default()
    };
    let abs = UnixSock {
        sock_type: 2,
        state: state::CLOSE,
        inode: 6,
        name: Some(b"\0sst\0x\xff"),
        peer: Some(9),
        ..UnixSock::default()
    };
    let proc_abs = UnixSock {
        source: Source::Proc,
        sock_type: 5,
        state: state::ESTABLISHED,
        inode: 7,
        name: Some(b"@sst"),
        ..UnixSock::default()
    };
    let (_, v) = emit(
        JsonOptions::default(),
        &[
            (Sock::Unix(&path), None),
            (Sock::Unix(&abs), None),
            (Sock::Unix(&proc_abs), None),
        ],
    );
    assert_eq!(v[0]["netid"], "u_str");
    assert_eq!(v[0]["local"]["path"], "/tmp/a \"b\"\\c\n");
    if cfg!(target_endian = "little") {
        assert_eq!(v[0]["pending"], serde_json::json!([1, 2]));
    }
    assert_eq!(v[1]["netid"], "u_dgr");
    assert_eq!(v[1]["state"], "UNCONN");
    assert_eq!(v[1]["local"]["abstract"], "sst\u{0}x\u{fffd}");
    assert_eq!(v[1]["peer"]["inode"], 9);
    assert_eq!(v[2]["local"]["abstract"], "sst");
    assert!(v[2].get("cookie").is_none());
}

#[test]
fn other_kinds() {
    let pm: Vec<u8> = [3328u32, 1].iter().flat_map(|v| v.to_ne_bytes()).collect();
    let p = PacketSock {
        sock_type: 3,
        protocol: 3,
        inode: 1,
        info: Some(PacketInfo {
            index: 2,
            ..PacketInfo::default()
        }),
        meminfo: Some(&pm),
        ..PacketSock::default()
    };
    let n = NetlinkSock {
        protocol: 0,
        portid: u32::MAX,
        state: 1,
        dst_group: 1,
        groups: Some(1),
        ..NetlinkSock::default()
    };
    let vs = VsockSock {
        sock_type: 1,
        state: state::LISTEN,
        src_cid: u32::MAX,
        src_port: 1024,
        ..VsockSock::default()
    };
    let x = XdpSock {
        info: Some((2, 3)),
        ..XdpSock::default()
    };
    let (_, v) = emit(
        JsonOptions::default(),
        &[
            (Sock::Packet(&p), None),
            (Sock::Netlink(&n), None),
            (Sock::Vsock(&vs), None),
            (Sock::Xdp(&x), None),
        ],
    );
    assert_eq!(v[0]["netid"], "p_raw");
    assert_eq!(v[0]["recv_q"], 3328);
    assert_eq!(v[0]["interface"], "v0");
    assert_eq!(v[0]["skmem"]["rcvbuf"], 1);
    assert!(v[0]["skmem"].get("wmem_alloc").is_none());
    assert_eq!(v[1]["netid"], "nl");
    assert_eq!(v[1]["protocol_name"], "rtnl");
    assert_eq!(v[1]["portid"], -1);
    assert_eq!(v[1]["peer"]["group"], 1);
    assert_eq!(v[2]["netid"], "v_str");
    assert_eq!(v[2]["local"]["cid"], 4294967295u64);
    assert_eq!(v[3]["netid"], "xdp");
    assert_eq!(v[3]["interface"], "v0");
    assert_eq!(v[3]["queue_id"], 3);
}
