//! Micro benchmark: user-space filter evaluation (sockets/s). Sockets decoded from a dump
//! multiplied from captured kernel replies (see `support`; source ports 5001..5010 in turn) are
//! checked against parsed ss filter expressions with `Filter::matches` (ss's user-space
//! semantics, spec §3.7). The `decode_only` case is the same walk without a filter, so the
//! difference is the evaluation cost. No root, no network.
//!
//! Run: `cargo bench --bench filter`.

mod support;

use std::hint::black_box;
use std::ops::ControlFlow;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sockscope_query::filter::{self, Filter, Selection, SystemNames};
use sockscope_query::model::{Sock, Table, TableSet};
use sockscope_query::plan::{FamilySet, Visitor};
use sockscope_query::replay::replay_bytes;
use sockscope_query::resolver::ResolverConfig;

struct Matches<'a> {
    filter: Option<&'a Filter>,
    seen: usize,
    matched: usize,
}

impl Visitor for Matches<'_> {
    fn socket(&mut self, sock: Sock<'_>) -> ControlFlow<()> {
        self.seen += 1;
        if self.filter.is_none_or(|f| f.matches(sock)) {
            self.matched += 1;
        }
        ControlFlow::Continue(())
    }
}

const SOCKETS: usize = 10_000;

fn parse(expr: &str) -> Filter {
    let mut tables = TableSet(0);
    tables.insert(Table::Tcp);
    let mut families = FamilySet(0);
    families.insert(2); // AF_INET
    families.insert(10); // AF_INET6
    let sel = Selection {
        tables,
        families,
        preferred_family: 0,
        resolve_rpc: false,
    };
    let words: Vec<Vec<u8>> = expr.split(' ').map(|w| w.as_bytes().to_vec()).collect();
    let mut names = SystemNames::new(ResolverConfig::default());
    filter::parse(&words, None, &sel, &mut names, &mut || (32768, 60999))
        .unwrap_or_else(|e| panic!("{expr:?}: {e:?}"))
}

fn filters(c: &mut Criterion) {
    let mut g = c.benchmark_group("filter");
    g.throughput(Throughput::Elements(SOCKETS as u64));
    let data = support::dump(SOCKETS, &support::templates(false));
    let cases = [
        ("decode_only", None, SOCKETS),
        ("sport_eq", Some("sport = :5001"), SOCKETS / 10),
        (
            "compound",
            Some("( sport = :5001 or sport = :5002 ) and dport >= :1024 and ! dst 10.0.0.0/8"),
            SOCKETS / 5,
        ),
    ];
    for (name, expr, expected) in cases {
        let f = expr.map(parse);
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut v = Matches {
                    filter: f.as_ref(),
                    seen: 0,
                    matched: 0,
                };
                let _ = replay_bytes(black_box(&data), &mut v);
                assert_eq!((v.seen, v.matched), (SOCKETS, expected), "{name}");
                v.matched
            })
        });
    }
    g.finish();
}

criterion_group!(benches, filters);
criterion_main!(benches);
