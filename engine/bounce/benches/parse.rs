//! Messages parsed per second over the bounce corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn load() -> Vec<Vec<u8>> {
    hikyaku_bounce::scoring::throughput_messages()
        .expect("corpus missing")
        .into_iter()
        .map(|(_, raw)| raw)
        .collect()
}

fn bench(c: &mut Criterion) {
    let msgs = load();
    assert!(!msgs.is_empty(), "corpus is empty");
    let _ = hikyaku_bounce::Classifier::builtin();
    let mut g = c.benchmark_group("bounce");
    g.throughput(Throughput::Elements(msgs.len() as u64));
    g.sample_size(20);
    g.bench_function("parse_corpus", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &msgs {
                n += hikyaku_bounce::parse(std::hint::black_box(m))
                    .recipients
                    .len();
            }
            n
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
