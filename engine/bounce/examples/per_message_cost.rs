//! Where the parser's time goes, message by message.
//!
//! Without an argument: each message of the throughput corpus parsed 15
//! times, its fastest time kept (the least disturbed by the machine's other
//! load), the 40 slowest printed with their share of the total.
//! With a file: that message parsed 20 times inside `hot`, for a profile of
//! one message without the start-up (tables built on the first parse):
//!   valgrind --tool=callgrind --toggle-collect='per_message_cost::hot' \
//!     target/release/examples/per_message_cost FILE
//!
//! `cargo run --release -p hikyaku-bounce --example per_message_cost [FILE]`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]
use std::time::Instant;
fn main() {
    if let Some(path) = std::env::args().nth(1) {
        let raw = std::fs::read(path).expect("read");
        let _ = hikyaku_bounce::Classifier::builtin();
        let _ = hikyaku_bounce::parse(&raw);
        hot(&raw);
        return;
    }
    let msgs = hikyaku_bounce::scoring::throughput_messages().expect("corpus");
    let _ = hikyaku_bounce::Classifier::builtin();
    let mut rows: Vec<(f64, usize, String)> = msgs
        .iter()
        .map(|(p, m)| {
            let mut best = f64::MAX;
            for _ in 0..15 {
                let t = Instant::now();
                std::hint::black_box(hikyaku_bounce::parse(std::hint::black_box(m)));
                best = best.min(t.elapsed().as_secs_f64());
            }
            (
                best * 1e6,
                m.len(),
                p.file_name().unwrap().to_string_lossy().into_owned(),
            )
        })
        .collect();
    let total: f64 = rows.iter().map(|r| r.0).sum();
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("total {total:.0} us for {} msgs", rows.len());
    let mut acc = 0.0;
    for (i, r) in rows.iter().enumerate().take(40) {
        acc += r.0;
        println!(
            "{i:3} {:8.1} us {:7} B  cum {:5.1}%  {}",
            r.0,
            r.1,
            acc / total * 100.0,
            r.2
        );
    }
}

/// Twenty parses of one message, kept out of line so that a profiler can
/// count only them.
#[inline(never)]
fn hot(raw: &[u8]) {
    for _ in 0..20 {
        std::hint::black_box(hikyaku_bounce::parse(std::hint::black_box(raw)));
    }
}
