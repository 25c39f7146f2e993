//! A fixed-bucket histogram made of atomics, for the hot paths of every shard.
//!
//! prometheus-client's own `Histogram` takes a write lock per observation; the shards observe
//! once per message from several threads, so this one is lock-free instead: one relaxed
//! `fetch_add` on the bucket the value falls in and one on the sum. The count is the sum of
//! the buckets, computed at scrape time. Values are integers in a base unit (microseconds,
//! messages) compared with integer bounds, so an observation needs no float arithmetic.

use std::sync::atomic::{AtomicU64, Ordering};

/// Cumulative-at-scrape histogram with static bucket bounds.
#[derive(Debug)]
pub struct AtomicHistogram {
    /// Upper bounds (inclusive, as Prometheus' `le`), ascending, in the base unit.
    bounds: &'static [u64],
    /// One counter per bound plus the overflow (`+Inf`) bucket; not cumulative.
    buckets: Box<[AtomicU64]>,
    /// Sum of every observed value, in the base unit.
    sum: AtomicU64,
    /// Base unit per exposed unit (1e6 for microseconds shown as seconds); a division, so
    /// that 400 000 µs show as exactly 0.4.
    divisor: f64,
}

/// What a scrape reads from an [`AtomicHistogram`], in the exposed unit.
#[derive(Debug, Clone, PartialEq)]
pub struct HistogramSnapshot {
    /// Sum of observed values.
    pub sum: f64,
    /// Number of observations.
    pub count: u64,
    /// `(upper bound, observations in this bucket alone)`, without the `+Inf` bucket (the
    /// encoder adds it from `count`).
    pub buckets: Vec<(f64, u64)>,
}

impl AtomicHistogram {
    /// A histogram over `bounds` (ascending, in the base unit); `divisor` converts the base
    /// unit into the unit the metric is exposed in.
    pub fn new(bounds: &'static [u64], divisor: f64) -> Self {
        Self {
            bounds,
            buckets: (0..=bounds.len()).map(|_| AtomicU64::new(0)).collect(),
            sum: AtomicU64::new(0),
            divisor,
        }
    }

    /// Records one value (base unit). Two relaxed atomic additions, no lock, no allocation.
    pub fn observe(&self, value: u64) {
        let i = Self::bucket_of(self.bounds, value);
        if let Some(bucket) = self.buckets.get(i) {
            bucket.fetch_add(1, Ordering::Relaxed);
        }
        self.sum.fetch_add(value, Ordering::Relaxed);
    }

    /// The bucket `value` falls in (`bounds.len()` is the `+Inf` bucket).
    pub fn bucket_of(bounds: &[u64], value: u64) -> usize {
        bounds.partition_point(|b| *b < value)
    }

    /// Adds counts gathered elsewhere (one per bucket, as [`Self::bucket_of`] numbers them)
    /// and their sum: one atomic addition per non-empty bucket.
    pub fn add_counts(&self, counts: &[u32], sum: u64) {
        for (bucket, n) in self.buckets.iter().zip(counts) {
            if *n > 0 {
                bucket.fetch_add(u64::from(*n), Ordering::Relaxed);
            }
        }
        self.sum.fetch_add(sum, Ordering::Relaxed);
    }

    /// Reads the histogram for encoding. Observations racing with the read may be counted in
    /// their bucket but not yet in the sum (or the reverse); the next scrape sees both.
    pub fn snapshot(&self) -> HistogramSnapshot {
        let mut count = 0u64;
        let mut buckets = Vec::with_capacity(self.bounds.len());
        for (i, b) in self.buckets.iter().enumerate() {
            let n = b.load(Ordering::Relaxed);
            count = count.saturating_add(n);
            if let Some(bound) = self.bounds.get(i) {
                buckets.push((*bound as f64 / self.divisor, n));
            }
        }
        HistogramSnapshot {
            sum: self.sum.load(Ordering::Relaxed) as f64 / self.divisor,
            count,
            buckets,
        }
    }
}

/// Microseconds per second.
pub const MICROS: f64 = 1e6;

/// SMTP accept latency (end of DATA to the `250`): one fsync is 0.1–1 ms on an SSD, a group
/// commit under load a few ms; seconds mean a slow disk or a full commit queue.
pub const ACCEPT_BOUNDS_US: &[u64] = &[
    250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    2_500_000, 10_000_000,
];

/// Delivery latency (queued to the final outcome): from sub-second sandbox/LAN deliveries to
/// the 72 h resend period.
pub const DELIVERY_BOUNDS_US: &[u64] = &[
    10_000,
    50_000,
    100_000,
    250_000,
    500_000,
    1_000_000,
    2_500_000,
    5_000_000,
    10_000_000,
    30_000_000,
    60_000_000,
    300_000_000,
    900_000_000,
    3_600_000_000,
    10_800_000_000,
    43_200_000_000,
    86_400_000_000,
    259_200_000_000,
];

/// Synced write of one commit group (RocksDB write + WAL fsync).
pub const FSYNC_BOUNDS_US: &[u64] = &[
    50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 1_000_000,
];

/// Requests (messages or outcome batches) per commit group; `storage.max_commit_batch` caps it.
pub const BATCH_BOUNDS: &[u64] = &[1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096];
