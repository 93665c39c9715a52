//! Micro benchmark: ss table rendering (lines/s). Sockets decoded from a dump multiplied from
//! captured kernel replies (see `support`) go through `SsPrinter` as `ss -tan` and `ss -tani`
//! would print them (numeric, no terminal), into a reused in-memory buffer. The numbers include
//! decoding (see the `decode` bench for that part alone). No root, no network.
//!
//! Run: `cargo bench --bench render`.

mod support;

use std::hint::black_box;
use std::ops::ControlFlow;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use sockscope_query::model::Sock;
use sockscope_query::plan::Visitor;
use sockscope_query::replay::replay_bytes;
use sockscope_query::resolver::{ResolverConfig, SystemResolver};
use sockscope_render::ss::{ServiceProto, SsOptions, SsPrinter};
use sockscope_render::table::{
    Table, COL_ADDR, COL_EXT, COL_NETID, COL_RADDR, COL_RECVQ, COL_RSERV, COL_SENDQ, COL_SERV,
    COL_STATE,
};

struct Print<'a> {
    printer: SsPrinter,
    resolver: &'a mut SystemResolver,
    out: &'a mut Vec<u8>,
}

impl Visitor for Print<'_> {
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
        match self.printer.print(sock, None, self.resolver, self.out) {
            Ok(()) => ControlFlow::Continue(()),
            Err(_) => ControlFlow::Break(()),
        }
    }
}

const SOCKETS: usize = 10_000;

fn render(c: &mut Criterion) {
    let mut g = c.benchmark_group("render");
    let data = support::dump(SOCKETS, &support::templates(true));
    let mut resolver = SystemResolver::new(ResolverConfig::default());
    let mut out = Vec::with_capacity(SOCKETS * 400);
    for (name, info, lines_per_socket) in [("ss_tan", false, 1), ("ss_tani", true, 2)] {
        let opts = SsOptions {
            numeric: true,
            info,
            netid_column: false,
            ..SsOptions::default()
        };
        let mut print_all = |out: &mut Vec<u8>| {
            out.clear();
            let mut v = Print {
                printer: SsPrinter::new(opts),
                resolver: &mut resolver,
                out,
            };
            v.printer.set_service_proto(ServiceProto::Tcp);
            let _ = v.printer.header(v.out);
            let _ = replay_bytes(black_box(&data), &mut v);
            let _ = v.printer.finish(v.out);
            black_box(v.out.len())
        };
        // Sanity (also when this bench is filtered out): one header line plus the expected
        // lines per socket.
        print_all(&mut out);
        let lines = out.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines, 1 + SOCKETS * lines_per_socket, "{name}");
        g.throughput(Throughput::Elements((SOCKETS * lines_per_socket) as u64));
        g.bench_function(name, |b| b.iter(|| print_all(&mut out)));
    }
    g.finish();
}

/// Lines in the table-only bench: about one 5-chunk batch of `-tan` lines.
const TABLE_LINES: usize = 60_000;

/// A table holding one batch of `-tan` lines, half IPv4, half IPv6 (State, Recv-Q, Send-Q,
/// addresses and ports; Netid off), as `SsPrinter` fills it.
fn tan_table(sink: &mut Vec<u8>, ports: &[Vec<u8>]) -> Table {
    let mut t = Table::new(None);
    t.set_disabled(COL_NETID, true);
    t.header(sink).expect("header");
    for i in 0..TABLE_LINES {
        let (addr, peer): (&[u8], &[u8]) = if i % 2 == 0 {
            (b"127.0.0.1:", b"127.0.0.1:")
        } else {
            (b"[::1]:", b"[::1]:")
        };
        t.set(COL_STATE, sink).expect("set");
        t.out(b"ESTAB");
        t.set(COL_RECVQ, sink).expect("set");
        t.out_left_padded(b"0", 6);
        t.set(COL_SENDQ, sink).expect("set");
        t.out_left_padded(b"0", 6);
        t.set(COL_ADDR, sink).expect("set");
        t.out(addr);
        t.set(COL_SERV, sink).expect("set");
        t.out(&ports[5001 + i % 6]);
        t.set(COL_RADDR, sink).expect("set");
        t.out(peer);
        t.set(COL_RSERV, sink).expect("set");
        t.out(&ports[32768 + i % 28000]);
        // As `SsPrinter`, the line stays open at the Process column until the next one starts.
        t.set(COL_EXT, sink).expect("set");
    }
    t
}

/// The table alone: widths and printing of one batch, no decoding or cell formatting.
fn table(c: &mut Criterion) {
    let mut g = c.benchmark_group("table");
    g.throughput(Throughput::Elements(TABLE_LINES as u64));
    // Port cells, formatted once (the table is measured, not number formatting).
    let ports: Vec<Vec<u8>> = (0..=u16::MAX).map(|p| p.to_string().into_bytes()).collect();
    let mut out = Vec::with_capacity(TABLE_LINES * 100);
    let mut sink = Vec::with_capacity(TABLE_LINES * 100);
    // Sanity: the lines form one batch (nothing printed while filling), printed whole.
    let mut t = tan_table(&mut out, &ports);
    assert!(out.is_empty(), "a batch ended early");
    t.render(&mut sink).expect("render");
    let lines = sink.iter().filter(|&&b| b == b'\n').count();
    assert_eq!(lines, 1 + TABLE_LINES);
    g.bench_function("render_tan_batch", |b| {
        b.iter_batched_ref(
            || {
                out.clear();
                tan_table(&mut out, &ports)
            },
            |t| {
                sink.clear();
                t.render(&mut sink).expect("render");
                black_box(sink.len())
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("fill_tan_batch", |b| {
        b.iter(|| {
            out.clear();
            let t = tan_table(&mut out, &ports);
            black_box(t.chunks())
        })
    });
    g.finish();
}

/// IPv6 address text (glibc's `inet_ntop` forms) for a mix of typical addresses.
fn addr(c: &mut Criterion) {
    let addrs: Vec<[u8; 16]> = [
        "::1",
        "2001:db8::7:1",
        "fe80::e043:fdff:fec4:3e3a",
        "::ffff:10.1.2.3",
    ]
    .iter()
    .map(|a| a.parse::<std::net::Ipv6Addr>().expect("address").octets())
    .collect();
    let mut g = c.benchmark_group("addr");
    g.throughput(Throughput::Elements(1000 * addrs.len() as u64));
    let mut out = Vec::with_capacity(64 * 1024);
    g.bench_function("ntop6", |b| {
        b.iter(|| {
            out.clear();
            for _ in 0..1000 {
                for a in &addrs {
                    sockscope_render::addr::ntop6(&mut out, black_box(a));
                }
            }
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, render, table, addr);
criterion_main!(benches);
