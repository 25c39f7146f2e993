//! Stall detection: a shard whose task queue runs past its time slice by more than
//! [`STALL_THRESHOLD`] (a blocking call, a long loop without a yield) is reported with where
//! it was. glommio arms a timer when a task queue starts running; when it fires, the shard
//! thread gets a signal (SIGUSR1) that records its backtrace, and once the queue yields the
//! stall is logged as a warning with the executor, the overage and that backtrace. glommio
//! logs through the `log` crate, which the daemon's `tracing` subscriber takes in (target
//! `glommio::executor::stall`).

use std::time::Duration;

use glommio::{StallDetectionHandler, TaskQueueHandle};

/// How far past its time slice (glommio's preemption timer, 100 ms) a task queue may run
/// before it is reported.
pub(super) const STALL_THRESHOLD: Duration = Duration::from_millis(10);

/// glommio's stall handler (log the detection) with our threshold; one per shard thread.
#[derive(Debug, Default)]
pub(super) struct ReportStalls;

impl StallDetectionHandler for ReportStalls {
    fn threshold(&self, _queue: TaskQueueHandle, _budget: Duration) -> Option<Duration> {
        Some(STALL_THRESHOLD)
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::ReportStalls;

    /// The name the report must carry: the function that held the shard.
    const CULPRIT: &str = "hold_the_shard_without_yielding";

    /// Runs on the executor thread for `how_long` without ever yielding (a blocking call or a
    /// long loop in a task, as a bug would). Not inlined, so the backtrace names it.
    #[inline(never)]
    fn hold_the_shard_without_yielding(how_long: Duration) -> u64 {
        let start = Instant::now();
        let mut spins = 0u64;
        while start.elapsed() < how_long {
            spins = std::hint::black_box(spins.wrapping_add(1));
        }
        spins
    }

    /// The child of [`a_blocked_shard_is_logged_with_where_it_was`]: logging set up as the
    /// daemon does (a `tracing` fmt subscriber on standard error, which takes in glommio's
    /// `log` records), then an executor with our handler whose only task blocks for 300 ms,
    /// three times the 100 ms slice plus [`super::STALL_THRESHOLD`]. Run on its own it just
    /// prints the stall; the parent test reads it.
    #[test]
    #[ignore = "run in a child process by a_blocked_shard_is_logged_with_where_it_was"]
    fn stalling_shard_child() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("info"))
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .init();
        let handle = glommio::LocalExecutorBuilder::new(glommio::Placement::Unbound)
            .name("stall-test")
            .detect_stalls(Some(Box::new(ReportStalls)))
            .spawn(|| async {
                hold_the_shard_without_yielding(Duration::from_millis(300));
                // The stall is reported once the task queue gives the CPU back.
                glommio::timer::sleep(Duration::from_millis(20)).await;
            })
            .unwrap();
        handle.join().unwrap();
    }

    /// A shard held past its slice is logged as a warning that names the stall, by how much
    /// it overran, and where the shard was (the blocking function in the backtrace). Run in a
    /// child process because the logging is process-wide, as in the daemon.
    #[test]
    fn a_blocked_shard_is_logged_with_where_it_was() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "runtime::stall::tests::stalling_shard_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env_remove("RUST_LOG")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "child failed: {stdout}\n{stderr}");
        let report = stderr
            .lines()
            .find(|l| l.contains("went over-budget"))
            .unwrap_or_else(|| panic!("no stall logged:\n{stdout}\n{stderr}"));
        assert!(
            report.contains("WARN") && report.contains("glommio::executor::stall"),
            "{report}"
        );
        assert!(report.contains("[stall-detector -- executor"), "{report}");
        // Our threshold on top of glommio's 100 ms slice: the handler in use is ours.
        let budget = format!("(budget: {}ms)", 100 + super::STALL_THRESHOLD.as_millis());
        assert!(report.contains(&budget), "{report}");
        assert!(
            stderr.contains(CULPRIT),
            "the backtrace does not say where the shard was:\n{stderr}"
        );
    }
}
