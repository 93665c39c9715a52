//! Micro benchmark: sock_diag message decoding (messages/s). A dump multiplied from captured
//! kernel replies (see `support`) is replayed through `sockscope_query::replay::replay_bytes`,
//! which walks the messages and decodes each into a borrowed `Sock` exactly as a live dump does,
//! into a visitor that only counts. No root, no network.
//!
//! Run: `cargo bench --bench decode`.

mod support;

use std::hint::black_box;
use std::ops::ControlFlow;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sockscope_query::model::Sock;
use sockscope_query::plan::Visitor;
use sockscope_query::replay::replay_bytes;

/// Counts sockets; keeps each decoded view alive through `black_box`.
struct Count(usize);

impl Visitor for Count {
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
        black_box(&sock);
        self.0 += 1;
        ControlFlow::Continue(())
    }
}

const SOCKETS: usize = 10_000;

fn decode(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Elements(SOCKETS as u64));
    for (name, estab_only) in [("mixed", false), ("established_with_tcp_info", true)] {
        let data = support::dump(SOCKETS, &support::templates(estab_only));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut v = Count(0);
                let _ = replay_bytes(black_box(&data), &mut v);
                assert_eq!(v.0, SOCKETS);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
