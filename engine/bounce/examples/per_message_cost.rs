//! Prints the messages of the shared corpus that take the most parse time
//! (median of repeated parses), with their sizes: where a speed pass looks
//! first. `cargo run --release -p hikyaku-bounce --example per_message_cost [TOP]`;
//! with `FILE N` instead, parses that one file N times (for `perf record`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    missing_docs
)]

use std::time::Instant;

fn main() {
    if let (Some(file), Some(n)) = (std::env::args().nth(1), std::env::args().nth(2)) {
        let raw = std::fs::read(&file).unwrap();
        let n: usize = n.parse().unwrap();
        let s = Instant::now();
        for _ in 0..n {
            std::hint::black_box(hikyaku_bounce::parse(std::hint::black_box(&raw)));
        }
        println!(
            "{:.1} us per parse",
            s.elapsed().as_secs_f64() / n as f64 * 1e6
        );
        return;
    }
    let top: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let messages = hikyaku_bounce::scoring::throughput_messages().expect("corpus missing");
    let _ = hikyaku_bounce::parse(b"From: a@b.c\n\nx");
    let mut rows = Vec::new();
    let mut total = 0.0;
    for (p, raw) in &messages {
        let mut t = Vec::new();
        for _ in 0..7 {
            let s = Instant::now();
            std::hint::black_box(hikyaku_bounce::parse(std::hint::black_box(raw)));
            t.push(s.elapsed().as_secs_f64());
        }
        t.sort_by(f64::total_cmp);
        total += t[3];
        rows.push((
            t[3],
            raw.len(),
            p.file_name().unwrap().to_string_lossy().into_owned(),
        ));
    }
    rows.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("total {:.1} ms over {} messages", total * 1e3, rows.len());
    for (t, len, name) in rows.iter().take(top) {
        println!(
            "{:8.1} us {:5.1} %  {:8} bytes  {name}",
            t * 1e6,
            t / total * 100.0,
            len
        );
    }
}
