//! The retry schedule of a batch, without I/O: exponential backoff with jitter, capped, for a
//! bounded time from the batch's first attempt, then the dead letters.
//!
//! The first attempt's time and the failure count of an endpoint's head batch are persisted
//! ([`RetryState`], see `store`), so a restart continues the window and the backoff instead of
//! starting both again: a daemon restarted daily still dead-letters a batch after 24 h.

use serde::{Deserialize, Serialize};

/// Retry parameters (from `[webhooks]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// First delay.
    pub first_ms: u64,
    /// Longest delay.
    pub cap_ms: u64,
    /// Give up (dead-letter) this long after the first attempt.
    pub give_up_ms: u64,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Try again after this many milliseconds.
    RetryIn(u64),
    /// Move the batch to the dead letters.
    DeadLetter,
}

/// The persisted retry state of an endpoint's head batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetryState {
    /// Outbox sequence of the batch's first event (what identifies the head across restarts:
    /// batch size settings may change, the head event does not until it is delivered).
    pub head_seq: u64,
    /// When the batch was first attempted, ms since the epoch.
    pub first_attempt_ms: u64,
    /// Failed attempts so far.
    pub failures: u32,
}

/// Where a new batch headed by `head_seq` starts its retry clock: `(first attempt ms,
/// failures)`. A saved state about the same head event continues (the batch failed before a
/// restart); one about another event is stale (that event was delivered or dead-lettered but
/// the state was not cleared, e.g. a crash between the two writes) and the batch starts now.
/// A saved time in the future (clock stepped back) is clamped to now.
pub fn resume(saved: Option<RetryState>, head_seq: u64, now_ms: u64) -> (u64, u32) {
    match saved {
        Some(s) if s.head_seq == head_seq => (s.first_attempt_ms.min(now_ms), s.failures),
        _ => (now_ms, 0),
    }
}

impl Schedule {
    /// The delay before attempt `failures + 1` without jitter: `first · 2^(failures-1)`,
    /// capped.
    pub fn base_delay(&self, failures: u32) -> u64 {
        let shift = failures.saturating_sub(1).min(40);
        self.first_ms.saturating_mul(1u64 << shift).min(self.cap_ms)
    }

    /// After `failures` failed attempts (≥ 1), the first at `first_attempt_ms`, now `now_ms`;
    /// `jitter` in `[0, 1)` spreads retries over `[delay/2, delay)` ("equal jitter"), so a
    /// receiver coming back is not hit by every endpoint's batch at once, while the delay still
    /// grows. A retry that would start after the give-up time is not made.
    pub fn next(&self, failures: u32, first_attempt_ms: u64, now_ms: u64, jitter: f64) -> Next {
        let elapsed = now_ms.saturating_sub(first_attempt_ms);
        if elapsed >= self.give_up_ms {
            return Next::DeadLetter;
        }
        let base = self.base_delay(failures);
        let half = base / 2;
        let spread = ((base - half) as f64 * jitter.clamp(0.0, 0.999_999)) as u64;
        let delay = half + spread;
        if elapsed.saturating_add(delay) > self.give_up_ms {
            // One last attempt right at the deadline rather than none at all.
            return Next::RetryIn(self.give_up_ms - elapsed);
        }
        Next::RetryIn(delay.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Schedule = Schedule {
        first_ms: 1_000,
        cap_ms: 600_000,
        give_up_ms: 86_400_000,
    };

    #[test]
    fn doubles_from_one_second_to_the_cap() {
        let delays: Vec<u64> = (1..=12).map(|n| S.base_delay(n)).collect();
        assert_eq!(
            delays,
            [
                1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000,
                600_000, 600_000
            ]
        );
        assert_eq!(S.base_delay(1_000), 600_000);
    }

    #[test]
    fn jitter_stays_in_the_upper_half() {
        for n in 1..20 {
            let base = S.base_delay(n);
            for j in [0.0, 0.25, 0.5, 0.99, 1.0] {
                let Next::RetryIn(d) = S.next(n, 0, 1, j) else {
                    panic!("gave up early")
                };
                assert!(d >= base / 2 && d <= base, "{n} {j} {d}");
            }
        }
    }

    #[test]
    fn dead_letters_after_a_day() {
        assert_eq!(S.next(100, 0, 86_400_000, 0.5), Next::DeadLetter);
        assert_eq!(S.next(100, 0, 90_000_000, 0.5), Next::DeadLetter);
        // Close to the deadline: the last retry lands on it.
        assert_eq!(S.next(100, 0, 86_300_000, 0.9), Next::RetryIn(100_000));
        // The whole schedule: a batch failing forever is tried about 200 times, then moved
        // into the dead letters within the day.
        let (mut now, mut n) = (0u64, 0u32);
        loop {
            n += 1;
            match S.next(n, 0, now, 0.5) {
                Next::RetryIn(d) => now += d,
                Next::DeadLetter => break,
            }
        }
        assert_eq!(now, 86_400_000);
        assert!((150..250).contains(&n), "{n}");
    }

    #[test]
    fn the_window_survives_restarts() {
        let saved = RetryState {
            head_seq: 42,
            first_attempt_ms: 1_000,
            failures: 150,
        };
        // A daemon restarted a day after the head batch first failed dead-letters it at once.
        let now = 1_000 + 86_400_000;
        let (first, failures) = resume(Some(saved), 42, now);
        assert_eq!((first, failures), (1_000, 150));
        assert_eq!(S.next(failures + 1, first, now, 0.5), Next::DeadLetter);
        // Half-way through, the backoff continues at the cap instead of starting at 1 s.
        let (first, failures) = resume(Some(saved), 42, 1_000 + 43_200_000);
        assert_eq!(
            S.next(failures + 1, first, 1_000 + 43_200_000, 0.0),
            Next::RetryIn(300_000)
        );
        // Without saved state, or with state about another head event, the clock starts now.
        assert_eq!(resume(None, 42, now), (now, 0));
        assert_eq!(resume(Some(saved), 43, now), (now, 0));
        assert_eq!(S.next(1, now, now, 0.0), Next::RetryIn(500));
        // A clock stepped back does not put the first attempt in the future.
        assert_eq!(resume(Some(saved), 42, 500), (500, 150));
        // The record's JSON form (stored in `admin`).
        let json = serde_json::to_string(&saved).unwrap();
        assert_eq!(
            json,
            r#"{"head_seq":42,"first_attempt_ms":1000,"failures":150}"#
        );
        assert_eq!(serde_json::from_str::<RetryState>(&json).unwrap(), saved);
    }
}
