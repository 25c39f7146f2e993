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
