//! Messages parsed per second of CPU time (not wall time) over the shared
//! corpus, for a machine whose other load makes criterion's wall-clock
//! figure mostly a measure of the scheduler. Linux only: reads the thread's
//! on-CPU time from `/proc/thread-self/schedstat`.
//!
//! `cargo run --release -p hikyaku-bounce --example cpu_throughput [PASSES]`
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

fn on_cpu_ns() -> u64 {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").expect("schedstat");
    s.split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .expect("schedstat format")
}

fn main() {
    let passes: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("PASSES must be a number"))
        .unwrap_or(20);
    let msgs: Vec<Vec<u8>> = hikyaku_bounce::scoring::throughput_messages()
        .expect("corpus missing")
        .into_iter()
        .map(|(_, raw)| raw)
        .collect();
    let _ = hikyaku_bounce::Classifier::builtin();
    let mut rates = Vec::new();
    let mut named = 0usize;
    for _ in 0..passes {
        let (cpu0, wall0) = (on_cpu_ns(), Instant::now());
        for m in &msgs {
            named += hikyaku_bounce::parse(std::hint::black_box(m))
                .recipients
                .len();
        }
        let cpu = (on_cpu_ns() - cpu0) as f64 / 1e9;
        let wall = wall0.elapsed().as_secs_f64();
        rates.push((msgs.len() as f64 / cpu, msgs.len() as f64 / wall));
    }
    rates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (cpu_med, _) = rates[rates.len() / 2];
    let mut walls: Vec<f64> = rates.iter().map(|r| r.1).collect();
    walls.sort_by(f64::total_cmp);
    println!(
        "{} messages x {passes} passes ({named} recipients named): median {:.0} msgs per CPU-second \
         (min {:.0}, max {:.0}); wall-clock median {:.0} msgs/s",
        msgs.len(),
        cpu_med,
        rates[0].0,
        rates[rates.len() - 1].0,
        walls[walls.len() / 2],
    );
}
