//! Token buckets (message and connection rates) and a one-minute meter of what was sent.

use super::spec::Rate;

/// A token bucket refilled continuously at `rate`, holding at most `burst` tokens.
#[derive(Debug, Clone)]
pub struct Bucket {
    tokens: f64,
    last_ms: u64,
}

impl Bucket {
    /// A full bucket.
    pub fn full(burst: f64, now_ms: u64) -> Bucket {
        Bucket {
            tokens: burst,
            last_ms: now_ms,
        }
    }

    fn refill(&mut self, per_ms: f64, burst: f64, now_ms: u64) {
        let elapsed = now_ms.saturating_sub(self.last_ms) as f64;
        self.tokens = (self.tokens + elapsed * per_ms).min(burst);
        self.last_ms = self.last_ms.max(now_ms);
    }

    /// Takes one token at `rate × factor`; when none is left, the ms until one is.
    pub fn take(&mut self, rate: Rate, factor: f64, burst: f64, now_ms: u64) -> Result<(), u64> {
        let per_ms = rate.per_ms_f() * factor.max(0.001);
        let burst = burst.max(1.0);
        self.refill(per_ms, burst, now_ms);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            return Ok(());
        }
        Err(((1.0 - self.tokens) / per_ms).ceil().max(1.0) as u64)
    }

    /// Gives back a token taken for a message that then could not go.
    pub fn refund(&mut self) {
        self.tokens += 1.0;
    }

    /// Tokens left now (for status views).
    pub fn available(&mut self, rate: Rate, factor: f64, burst: f64, now_ms: u64) -> f64 {
        self.refill(rate.per_ms_f() * factor.max(0.001), burst.max(1.0), now_ms);
        self.tokens
    }
}

/// Messages per second over the last minute, in one-second slots.
#[derive(Debug, Clone)]
pub struct Meter {
    slots: [u32; 60],
    /// The second of the newest slot.
    second: u64,
}

impl Default for Meter {
    fn default() -> Self {
        Meter {
            slots: [0; 60],
            second: 0,
        }
    }
}

impl Meter {
    fn roll(&mut self, now_ms: u64) {
        let now = now_ms / 1000;
        let gap = now.saturating_sub(self.second);
        if gap >= 60 {
            self.slots = [0; 60];
        } else {
            for s in 1..=gap {
                self.slots[((self.second + s) % 60) as usize] = 0;
            }
        }
        self.second = self.second.max(now);
    }

    /// Counts one event now.
    pub fn add(&mut self, now_ms: u64) {
        self.roll(now_ms);
        let slot = &mut self.slots[(self.second % 60) as usize];
        *slot = slot.saturating_add(1);
    }

    /// Events in the last minute.
    pub fn last_minute(&mut self, now_ms: u64) -> u64 {
        self.roll(now_ms);
        self.slots.iter().map(|&n| u64::from(n)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_its_rate_and_says_how_long_to_wait() {
        let rate = Rate {
            count: 10.0,
            per_ms: 1000,
        };
        let mut b = Bucket::full(5.0, 0);
        for _ in 0..5 {
            assert_eq!(b.take(rate, 1.0, 5.0, 0), Ok(()));
        }
        assert_eq!(b.take(rate, 1.0, 5.0, 0), Err(100));
        assert_eq!(b.take(rate, 1.0, 5.0, 100), Ok(()));
        // Half the rate: 200 ms per token.
        assert_eq!(b.take(rate, 0.5, 5.0, 100), Err(200));
        // A long pause refills only up to the burst.
        assert!((b.available(rate, 1.0, 5.0, 60_000) - 5.0).abs() < 1e-9);
        // Time going backwards never mints tokens.
        let mut c = Bucket::full(1.0, 10_000);
        assert_eq!(c.take(rate, 1.0, 1.0, 10_000), Ok(()));
        assert!(c.take(rate, 1.0, 1.0, 5_000).is_err());
    }

    #[test]
    fn the_meter_counts_the_last_sixty_seconds() {
        let mut m = Meter::default();
        for t in 0..120 {
            m.add(t * 1000);
        }
        assert_eq!(m.last_minute(119_000), 60);
        assert_eq!(m.last_minute(150_000), 29);
        assert_eq!(m.last_minute(500_000), 0);
    }
}
