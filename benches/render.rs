//! Micro benchmark: ss table rendering (lines/s). Sockets decoded from a dump multiplied from
//! captured kernel replies (see `support`) go through `SsPrinter` as `ss -tan` and `ss -tani`
//! would print them (numeric, no terminal), into a reused in-memory buffer. The numbers include
//! decoding (see the `decode` bench for that part alone). No root, no network.
//!
//! Run: `cargo bench --bench render`.

mod support;

use std::hint::black_box;
use std::ops::ControlFlow;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sockscope_query::model::Sock;
use sockscope_query::plan::Visitor;
use sockscope_query::replay::replay_bytes;
use sockscope_query::resolver::{ResolverConfig, SystemResolver};
use sockscope_render::ss::{ServiceProto, SsOptions, SsPrinter};

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
        g.throughput(Throughput::Elements((SOCKETS * lines_per_socket) as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                let mut v = Print {
                    printer: SsPrinter::new(opts),
                    resolver: &mut resolver,
                    out: &mut out,
                };
                v.printer.set_service_proto(ServiceProto::Tcp);
                let _ = v.printer.header(v.out);
                let _ = replay_bytes(black_box(&data), &mut v);
                let _ = v.printer.finish(v.out);
                black_box(out.len())
            })
        });
        // Sanity: one header line plus the expected lines per socket.
        let lines = out.iter().filter(|&&b| b == b'\n').count();
        assert_eq!(lines, 1 + SOCKETS * lines_per_socket, "{name}");
    }
    g.finish();
}

criterion_group!(benches, render);
criterion_main!(benches);
