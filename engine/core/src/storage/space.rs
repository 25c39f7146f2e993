//! Disk space of the spool, and recovery from a full disk without a restart.
//!
//! Two defences. **A reserve**: when the spool's filesystem has less than
//! `storage.min_free_mb` free, new mail (a message body or a received message) is refused
//! before it is written, so the space left stays for what drains the queue — outcome
//! records, deletes, log entries, bounces' records — and RocksDB's own flushes. Intake
//! resumes once a quarter more than the reserve is free again (hysteresis: no flapping at
//! the boundary). **Recovery**: if a write still fails (another process filled the disk),
//! RocksDB keeps the error as a background error and refuses every later write; the C API
//! has no `Resume()`, so once space is back the store closes and reopens the database in
//! process (the WAL replays; nothing acknowledged is lost) and writes continue. Postfix
//! answers the same situation with `452 4.3.1 Insufficient system storage` via
//! `queue_minfree`; KumoMTA relies on the operator. The decision functions here are pure; the
//! monitor thread in `Store::open` feeds them `statvfs` readings every half second.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// How often the monitor reads the free space.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// Whether intake is paused, given the free bytes, the reserve and the current state.
pub fn intake_paused(free: u64, reserve: u64, paused: bool) -> bool {
    if paused {
        free < reserve.saturating_add(reserve / 4)
    } else {
        free < reserve
    }
}

/// Whether to reopen the database: writes have been failing, and the reserve is free again
/// (reopening on a still-full disk would fail the same way).
pub fn should_reopen(write_failing: bool, free: u64, reserve: u64) -> bool {
    write_failing && free >= reserve
}

/// Whether a failed write's message names a full filesystem (ENOSPC or EDQUOT as RocksDB
/// words them: `IO error: No space left on device: While appending to file ...`).
pub fn out_of_space(message: &str) -> bool {
    message.contains("No space left on device") || message.contains("Disk quota exceeded")
}

/// What a write of `bytes` costs the filesystem until the next reading: the WAL now, and the
/// same again when the memtable is flushed to a table file while that WAL still exists.
pub fn write_cost(bytes: u64) -> u64 {
    bytes.saturating_mul(2)
}

/// Bytes an unprivileged process may still write on the filesystem holding `path`.
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    let st = rustix::fs::statvfs(path).map_err(std::io::Error::from)?;
    Ok(st.f_bavail.saturating_mul(st.f_frsize))
}

/// The spool's space state, shared by the writer, intake and the monitor.
#[derive(Debug, Default)]
pub struct SpaceState {
    free_bytes: AtomicU64,
    reserve_bytes: AtomicU64,
    intake_paused: AtomicBool,
    write_failing: AtomicBool,
    failing_since_ms: AtomicU64,
    recoveries: AtomicU64,
}

/// A snapshot for `system.status` and `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SpaceStatus {
    /// Free bytes at the last reading.
    pub free_bytes: u64,
    /// `storage.min_free_mb` in bytes.
    pub reserve_bytes: u64,
    /// New mail is refused for lack of space.
    pub intake_paused: bool,
    /// The last spool write failed (a full disk, usually): since when, ms since the epoch.
    pub failing_since_ms: Option<u64>,
    /// Times the database was reopened after writes had failed.
    pub recoveries: u64,
}

impl SpaceState {
    /// A state with this reserve and nothing measured yet (intake open).
    pub fn new(reserve_bytes: u64) -> Self {
        let s = Self::default();
        s.reserve_bytes.store(reserve_bytes, Ordering::Relaxed);
        s.free_bytes.store(u64::MAX, Ordering::Relaxed);
        s
    }

    /// Takes a reading; returns whether the database should be reopened.
    pub fn observe(&self, free: u64) -> bool {
        self.free_bytes.store(free, Ordering::Relaxed);
        self.set_paused(free);
        should_reopen(
            self.write_failing.load(Ordering::Relaxed),
            free,
            self.reserve_bytes.load(Ordering::Relaxed),
        )
    }

    /// Counts a successful write of `bytes` against the last reading, so that intake pauses
    /// as soon as the estimate crosses the reserve rather than at the next reading (half a
    /// second of fast intake is megabytes).
    pub fn wrote(&self, bytes: u64) {
        let cost = write_cost(bytes);
        let estimate = self
            .free_bytes
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |free| {
                (free != u64::MAX).then(|| free.saturating_sub(cost))
            });
        if let Ok(before) = estimate {
            self.set_paused(before.saturating_sub(cost));
        }
    }

    /// Records a failed write. One that ran out of space pauses intake at once: the new mail
    /// that asked for it is answered `452 4.3.1`, and the next reading decides when to resume.
    pub fn write_failed(&self, out_of_space: bool, now_ms: u64) {
        self.write_result(false, now_ms);
        if out_of_space {
            self.free_bytes.store(0, Ordering::Relaxed);
            self.set_paused(0);
        }
    }

    fn set_paused(&self, free: u64) {
        let reserve = self.reserve_bytes.load(Ordering::Relaxed);
        let was = self.intake_paused.load(Ordering::Relaxed);
        let now = intake_paused(free, reserve, was);
        if now != was {
            self.intake_paused.store(now, Ordering::Relaxed);
            if now {
                tracing::warn!(
                    free,
                    reserve,
                    "spool disk nearly full: new mail refused until space is freed"
                );
            } else {
                tracing::info!(free, reserve, "spool disk has room again: accepting mail");
            }
        }
    }

    /// Whether new mail must be refused now.
    pub fn intake_paused(&self) -> bool {
        self.intake_paused.load(Ordering::Relaxed)
    }

    /// Records the outcome of a write.
    pub fn write_result(&self, ok: bool, now_ms: u64) {
        if ok {
            if self.write_failing.swap(false, Ordering::Relaxed) {
                self.failing_since_ms.store(0, Ordering::Relaxed);
            }
        } else if !self.write_failing.swap(true, Ordering::Relaxed) {
            self.failing_since_ms
                .store(now_ms.max(1), Ordering::Relaxed);
        }
    }

    /// Counts a reopen; writes are presumed healthy until one fails again.
    pub fn recovered(&self) {
        self.recoveries.fetch_add(1, Ordering::Relaxed);
        self.write_result(true, 0);
    }

    /// The current state.
    pub fn status(&self) -> SpaceStatus {
        let free = self.free_bytes.load(Ordering::Relaxed);
        let since = self.failing_since_ms.load(Ordering::Relaxed);
        SpaceStatus {
            free_bytes: if free == u64::MAX { 0 } else { free },
            reserve_bytes: self.reserve_bytes.load(Ordering::Relaxed),
            intake_paused: self.intake_paused(),
            failing_since_ms: (since != 0).then_some(since),
            recoveries: self.recoveries.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: u64 = 1 << 20;

    #[test]
    fn intake_pauses_below_the_reserve_and_resumes_with_a_margin() {
        // (free, paused before) → paused after
        let table = [
            (300 * MB, false, false),
            (255 * MB, false, true),
            (256 * MB, false, false),
            (300 * MB, true, true), // under reserve + 25 %
            (320 * MB, true, false),
            (0, false, true),
        ];
        for (free, before, after) in table {
            assert_eq!(
                intake_paused(free, 256 * MB, before),
                after,
                "{free} {before}"
            );
        }
        assert!(!intake_paused(0, 0, false), "a zero reserve never pauses");
    }

    #[test]
    fn reopen_only_when_writes_fail_and_space_is_back() {
        assert!(!should_reopen(false, 10 * MB, MB));
        assert!(!should_reopen(true, MB - 1, MB));
        assert!(should_reopen(true, MB, MB));
    }

    #[test]
    fn the_state_follows_readings_and_write_outcomes() {
        let s = SpaceState::new(100);
        assert!(!s.intake_paused());
        assert!(!s.observe(50));
        assert!(s.intake_paused());
        s.write_result(false, 1_000);
        s.write_result(false, 2_000);
        assert_eq!(s.status().failing_since_ms, Some(1_000));
        assert!(!s.observe(99), "still no room");
        assert!(s.observe(200), "room again: reopen");
        assert!(!s.intake_paused());
        s.recovered();
        let st = s.status();
        assert_eq!(
            (st.recoveries, st.failing_since_ms, st.free_bytes),
            (1, None, 200)
        );
    }

    #[test]
    fn writes_between_readings_count_against_the_reserve() {
        let s = SpaceState::new(100);
        s.wrote(1_000);
        assert!(!s.intake_paused(), "nothing measured yet: no estimate");
        assert!(!s.observe(200));
        s.wrote(40);
        assert!(!s.intake_paused(), "200 - 80 is still over the reserve");
        s.wrote(20);
        assert!(s.intake_paused(), "120 - 40 is under it");
        assert_eq!(s.status().free_bytes, 80);
        s.observe(300);
        assert!(!s.intake_paused(), "the next reading corrects the estimate");
    }

    #[test]
    fn a_write_that_ran_out_of_space_pauses_intake_at_once() {
        let s = SpaceState::new(100);
        s.observe(1_000);
        s.write_failed(false, 5);
        assert!(
            !s.intake_paused(),
            "another failure says nothing about space"
        );
        s.write_failed(true, 6);
        assert!(s.intake_paused());
        assert_eq!(s.status().failing_since_ms, Some(5));
        assert!(out_of_space(
            "IO error: No space left on device: While appending to file: 000012.log"
        ));
        assert!(!out_of_space("Corruption: block checksum mismatch"));
    }

    #[test]
    fn free_space_of_a_real_directory() {
        let dir = tempfile::tempdir().unwrap();
        assert!(free_bytes(dir.path()).unwrap() > 0);
        assert!(free_bytes(&dir.path().join("missing")).is_err());
    }
}
