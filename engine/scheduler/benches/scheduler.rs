//! Scheduler throughput at shard scale: 1,000,000 entries over 10,000 destinations.
//!
//! Prints the memory figure (bytes per entry, from capacities) once, then measures: enqueue
//! of 1M deferred entries, advancing through 72 h in 10 s steps (and in one jump), and popping
//! 1M ready entries round robin over the destinations.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use hikyaku_scheduler::{DestId, Entry, Priority, Scheduler};

const N: u64 = 1_000_000;
const DESTS: u64 = 10_000;
const SPAN_MS: u64 = 72 * 3_600_000;
const START_MS: u64 = 1_800_000_000_000;

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Entries with hikyaku-shaped ids (ms << 20 | seq), random destinations, priorities and
/// retry times spread over 72 h.
fn entries(deferred: bool) -> Vec<Entry<()>> {
    let mut rng = 0x1234_5678_9abc_def1u64;
    (0..N)
        .map(|i| {
            let r = xorshift(&mut rng);
            Entry {
                id: ((START_MS + i / 1000) << 20) | (i % 1000),
                dest: DestId((r % DESTS) as u32),
                priority: Priority::ALL[((r >> 32) % 3) as usize],
                not_before_ms: if deferred {
                    START_MS + 1 + (r >> 20) % SPAN_MS
                } else {
                    START_MS
                },
                payload: (),
            }
        })
        .collect()
}

fn filled(deferred: bool) -> Scheduler<()> {
    let mut s = Scheduler::new();
    s.advance(START_MS);
    for e in entries(deferred) {
        s.enqueue(e, START_MS).unwrap();
    }
    s
}

fn report_memory() {
    for (label, deferred) in [("deferred", true), ("ready", false)] {
        let s = filled(deferred);
        let m = s.memory_usage();
        eprintln!(
            "memory, {} entries {label} over {DESTS} destinations: nodes {} B, index {} B, \
             queues {} B, total {} B = {:.1} bytes/entry",
            s.len(),
            m.nodes,
            m.index,
            m.queues,
            m.total(),
            m.total() as f64 / s.len() as f64
        );
    }
}

fn bench(c: &mut Criterion) {
    report_memory();
    let mut g = c.benchmark_group("scheduler_1m");
    g.throughput(Throughput::Elements(N));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(8));

    g.bench_function("enqueue_deferred", |b| {
        b.iter_batched(
            || entries(true),
            |es| {
                let mut s = Scheduler::new();
                s.advance(START_MS);
                for e in es {
                    s.enqueue(e, START_MS).unwrap();
                }
                s
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("advance_72h_10s_steps", |b| {
        b.iter_batched(
            || filled(true),
            |mut s| {
                let mut now = START_MS;
                let mut moved = 0;
                while now <= START_MS + SPAN_MS + 1000 {
                    now += 10_000;
                    moved += s.advance(now);
                }
                assert_eq!(moved, N as usize);
                s
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("advance_72h_one_jump", |b| {
        b.iter_batched(
            || filled(true),
            |mut s| {
                assert_eq!(s.advance(START_MS + SPAN_MS + 1000), N as usize);
                s
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("pop_round_robin", |b| {
        b.iter_batched(
            || filled(false),
            |mut s| {
                let mut n = 0;
                while let Some(d) = s.next_ready_dest() {
                    if s.pop(d).is_some() {
                        n += 1;
                    }
                }
                assert_eq!(n, N);
                s
            },
            BatchSize::PerIteration,
        )
    });

    g.bench_function("pop_then_defer_cycle", |b| {
        b.iter_batched(
            || filled(false),
            |mut s| {
                // A temporary failure for every entry: pop, defer 10 min.
                let mut n = 0;
                while let Some(d) = s.next_ready_dest() {
                    let Some(e) = s.pop(d) else { continue };
                    s.defer(e, START_MS + 600_000).unwrap();
                    n += 1;
                }
                assert_eq!(n, N);
                s
            },
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
