//! Prometheus metrics: the counters the engine bumps while it works, and the text a scrape of
//! `GET /metrics` returns (served by `api::server` under the RPC connection-IP allow-list).
//!
//! Sans-I/O: this module owns plain atomics and encodes them; the runtime and the API call
//! the `record`/`observe` functions, and the scrape hands in what only the shards or RocksDB
//! know ([`QueueDepth`], [`RocksSizes`]). One [`Metrics`] is shared by `Arc` between the
//! shards (`runtime::Shared`), the group-commit writer and the API (`ApiContext`).
//!
//! Cost on the hot path: counters are fixed arrays of `AtomicU64` indexed by enums (no label
//! lookup, no lock, no allocation); a message accepted over SMTP costs two counter additions
//! and one histogram observation (two more), i.e. four relaxed atomic adds. Delivery outcomes
//! are tallied per recorded batch in fixed arrays ([`OutcomeTally`]) and added once the batch
//! is durable. prometheus-client's own `Family` (a locked map) and
//! `Histogram` (a lock per observation) are therefore not used on these paths; the crate
//! encodes what these atomics hold at scrape time ([`encode`]).

mod encode;
mod histogram;
#[cfg(test)]
mod tests;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

pub use encode::{
    render, top_domains, FamilySizes, Gathered, OutboxGauge, QueueDepth, RocksSizes, CONTENT_TYPE,
    TOP_DOMAINS,
};
pub use histogram::{AtomicHistogram, HistogramSnapshot};

use histogram::{ACCEPT_BOUNDS_US, BATCH_BOUNDS, DELIVERY_BOUNDS_US, FSYNC_BOUNDS_US, MICROS};

/// Why a scrape could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum MetricsError {
    /// The text encoder failed (it writes to a `String`, so only a bug in an encoder would).
    #[error("encoding the metrics: {0}")]
    Encode(#[from] std::fmt::Error),
}

/// Where a message came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    /// The SMTP relay (applications).
    Relay = 0,
    /// The SMTP receiving listener (bounces, inbound mail, DMARC reports).
    Receive = 1,
    /// The JSON-RPC sending API (`send.single`, bulk jobs).
    Api = 2,
}

impl Listener {
    const ALL: [Listener; 3] = [Listener::Relay, Listener::Receive, Listener::Api];

    fn label(self) -> &'static str {
        match self {
            Listener::Relay => "relay",
            Listener::Receive => "receive",
            Listener::Api => "api",
        }
    }
}

/// Why a message (or, for the connection limit, a connection) was refused at intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// `530`/`554` at MAIL: not authenticated and not in the relay's IP list.
    RelayDenied = 0,
    /// `552`: over the listener's size limit.
    Size = 1,
    /// `550 5.6.11`: bare CR/LF with `bare_line_ending = "reject"`.
    BareLineEnding = 2,
    /// `421 4.7.0` at connect: the listener's `max_connections` was reached.
    ConnectionLimit = 3,
    /// `451`: the durable write failed (or the message could not be prepared for it).
    Storage = 4,
    /// A registered S/MIME sender's message could not be signed.
    Signing = 5,
}

impl Refusal {
    const ALL: [Refusal; 6] = [
        Refusal::RelayDenied,
        Refusal::Size,
        Refusal::BareLineEnding,
        Refusal::ConnectionLimit,
        Refusal::Storage,
        Refusal::Signing,
    ];

    fn label(self) -> &'static str {
        match self {
            Refusal::RelayDenied => "relay_denied",
            Refusal::Size => "size",
            Refusal::BareLineEnding => "bare_line_ending",
            Refusal::ConnectionLimit => "connection_limit",
            Refusal::Storage => "storage",
            Refusal::Signing => "signing",
        }
    }

    /// The refusal an SMTP reply line written by the session stands for, if it is one of the
    /// session's own refusals (the driver sees only the bytes it sends). Matched on the code
    /// and enhanced code the session's canned replies use.
    pub fn of_reply_line(line: &[u8]) -> Option<Refusal> {
        if line.first() != Some(&b'5') {
            return None;
        }
        if line.starts_with(b"530 5.7.0 ") || line.starts_with(b"554 5.7.1 ") {
            Some(Refusal::RelayDenied)
        } else if line.starts_with(b"552 ") {
            Some(Refusal::Size)
        } else if line.starts_with(b"550 5.6.11 ") {
            Some(Refusal::BareLineEnding)
        } else {
            None
        }
    }
}

/// Outcome of a delivery attempt, as recorded in the delivery log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted by the destination (or the sandbox sink).
    Succeeded = 0,
    /// Temporary failure; retried later.
    Deferred = 1,
    /// Permanent failure, with an error status.
    Failed = 2,
}

impl Outcome {
    const ALL: [Outcome; 3] = [Outcome::Succeeded, Outcome::Deferred, Outcome::Failed];

    fn label(self) -> &'static str {
        match self {
            Outcome::Succeeded => "succeeded",
            Outcome::Deferred => "deferred",
            Outcome::Failed => "failed",
        }
    }

    /// The outcome of a delivery-log status; `None` for `queued` (not an outcome).
    pub fn of_status(status: crate::storage::DeliveryStatus) -> Option<Outcome> {
        use crate::storage::DeliveryStatus as S;
        match status {
            S::Succeeded => Some(Outcome::Succeeded),
            S::Deferred => Some(Outcome::Deferred),
            S::Failed => Some(Outcome::Failed),
            S::Queued => None,
        }
    }
}

/// Error statuses are 1…99 (SPEC §13.5); index 0 collects anything out of range.
const ERROR_STATUSES: usize = 100;

fn zeros<const N: usize>() -> [AtomicU64; N] {
    std::array::from_fn(|_| AtomicU64::new(0))
}

/// The label values of `hikyaku_shaping_rules_fired_total`.
pub const SHAPING_ACTIONS: [&str; 3] = ["suspend", "reduce", "bounce"];

/// The engine's metrics. Every field is an atomic (or a fixed array of them): writers on any
/// thread, readers only at scrape time.
#[derive(Debug)]
pub struct Metrics {
    accepted: [AtomicU64; 3],
    accepted_recipients: [AtomicU64; 3],
    refused: [[AtomicU64; 6]; 3],
    outcomes: [AtomicU64; 3],
    failures: [AtomicU64; ERROR_STATUSES],
    /// SMTP accept latency, per listener (relay, receive).
    accept_latency: [AtomicHistogram; 2],
    /// Queue → final outcome, per final outcome (succeeded, failed).
    delivery_latency: [AtomicHistogram; 2],
    commit_batch: AtomicHistogram,
    commit_fsync: AtomicHistogram,
    commit_failures: AtomicU64,
    connections_in: [AtomicI64; 2],
    connections_accepted: [AtomicU64; 2],
    connections_out: AtomicI64,
    /// Shaping rule firings by action (suspend, reduce, bounce).
    shaping_fired: [AtomicU64; 3],
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// All zero.
    pub fn new() -> Self {
        Self {
            accepted: zeros(),
            accepted_recipients: zeros(),
            refused: std::array::from_fn(|_| zeros()),
            outcomes: zeros(),
            failures: zeros(),
            accept_latency: std::array::from_fn(|_| AtomicHistogram::new(ACCEPT_BOUNDS_US, MICROS)),
            delivery_latency: std::array::from_fn(|_| {
                AtomicHistogram::new(DELIVERY_BOUNDS_US, MICROS)
            }),
            commit_batch: AtomicHistogram::new(BATCH_BOUNDS, 1.0),
            commit_fsync: AtomicHistogram::new(FSYNC_BOUNDS_US, MICROS),
            commit_failures: AtomicU64::new(0),
            connections_in: std::array::from_fn(|_| AtomicI64::new(0)),
            connections_accepted: zeros(),
            connections_out: AtomicI64::new(0),
            shaping_fired: zeros(),
        }
    }

    /// A shaping rule fired with `action` (`suspend`, `reduce` or `bounce`).
    pub fn shaping_fired(&self, action: &str) {
        let i = SHAPING_ACTIONS
            .iter()
            .position(|a| *a == action)
            .unwrap_or(0);
        add(&self.shaping_fired[i], 1);
    }

    /// A message answered `250` (durable) with `recipients` recipients.
    pub fn accepted(&self, listener: Listener, recipients: usize) {
        add(&self.accepted[listener as usize], 1);
        add(
            &self.accepted_recipients[listener as usize],
            u64::try_from(recipients).unwrap_or(u64::MAX),
        );
    }

    /// `messages` messages with `recipients` recipients in all answered at once (a bulk-job
    /// chunk).
    pub fn accepted_many(&self, listener: Listener, messages: u64, recipients: u64) {
        add(&self.accepted[listener as usize], messages);
        add(&self.accepted_recipients[listener as usize], recipients);
    }

    /// A message or connection refused at intake.
    pub fn refused(&self, listener: Listener, why: Refusal) {
        add(&self.refused[listener as usize][why as usize], 1);
    }

    /// SMTP accept latency (end of DATA to the reply), for an accepted message.
    pub fn accept_latency(&self, listener: Listener, elapsed: std::time::Duration) {
        let slot = match listener {
            Listener::Relay => 0,
            Listener::Receive => 1,
            Listener::Api => return,
        };
        if let Some(h) = self.accept_latency.get(slot) {
            h.observe(micros(elapsed));
        }
    }

    /// A delivery outcome was durably recorded for one recipient queued at `queued_ms`.
    /// Final outcomes also feed the delivery-latency histogram.
    pub fn outcome(&self, outcome: Outcome, error_status: Option<u8>, queued_ms: u64, now_ms: u64) {
        add(&self.outcomes[outcome as usize], 1);
        let latency_us = now_ms.saturating_sub(queued_ms).saturating_mul(1000);
        match outcome {
            Outcome::Succeeded => self.delivery_latency[0].observe(latency_us),
            Outcome::Failed => {
                add(&self.failures[error_index(error_status)], 1);
                self.delivery_latency[1].observe(latency_us);
            }
            Outcome::Deferred => {}
        }
    }

    /// Adds the outcomes of one durably recorded batch ([`OutcomeTally`]).
    pub fn apply(&self, tally: &OutcomeTally) {
        for (counter, n) in self.outcomes.iter().zip(tally.outcomes) {
            if n > 0 {
                add(counter, u64::from(n));
            }
        }
        if tally.outcomes[Outcome::Failed as usize] > 0 {
            for (counter, n) in self.failures.iter().zip(tally.failures) {
                if n > 0 {
                    add(counter, u64::from(n));
                }
            }
        }
        for (i, h) in self.delivery_latency.iter().enumerate() {
            if let (Some(counts), Some(sum)) = (tally.latency.get(i), tally.latency_sum_us.get(i)) {
                if counts.iter().any(|n| *n > 0) {
                    h.add_counts(counts, *sum);
                }
            }
        }
    }

    /// One commit group: `requests` requests written with one synced write taking `elapsed`.
    pub fn commit(&self, requests: usize, elapsed: std::time::Duration, ok: bool) {
        self.commit_batch
            .observe(u64::try_from(requests).unwrap_or(u64::MAX));
        self.commit_fsync.observe(micros(elapsed));
        if !ok {
            add(&self.commit_failures, 1);
        }
    }

    /// An inbound SMTP connection opened on `listener` (relay or receive); call
    /// [`Metrics::connection_closed`] when it ends.
    pub fn connection_opened(&self, listener: Listener) {
        if let Some(i) = in_slot(listener) {
            self.connections_in[i].fetch_add(1, Ordering::Relaxed);
            add(&self.connections_accepted[i], 1);
        }
    }

    /// The end of a connection counted by [`Metrics::connection_opened`].
    pub fn connection_closed(&self, listener: Listener) {
        if let Some(i) = in_slot(listener) {
            self.connections_in[i].fetch_sub(1, Ordering::Relaxed);
        }
    }

    /// An outbound connection opened; the guard counts it closed when dropped.
    pub fn outbound_opened(self: &std::sync::Arc<Self>) -> OutboundGuard {
        self.connections_out.fetch_add(1, Ordering::Relaxed);
        OutboundGuard {
            metrics: self.clone(),
        }
    }
}

const DELIVERY_BUCKETS: usize = DELIVERY_BOUNDS_US.len() + 1;

/// The outcomes of one batch of recipients, counted in place while the batch is built and
/// added to [`Metrics`] once it is durable ([`Metrics::apply`]): fixed arrays (about 600
/// bytes), so recording outcomes allocates nothing for the metrics, and a batch of 256
/// recipients costs a few dozen atomic additions instead of a thousand.
#[derive(Debug, Clone)]
pub struct OutcomeTally {
    outcomes: [u32; 3],
    failures: [u32; ERROR_STATUSES],
    /// Delivery-latency bucket counts for succeeded and failed.
    latency: [[u32; DELIVERY_BUCKETS]; 2],
    latency_sum_us: [u64; 2],
}

impl Default for OutcomeTally {
    fn default() -> Self {
        Self {
            outcomes: [0; 3],
            failures: [0; ERROR_STATUSES],
            latency: [[0; DELIVERY_BUCKETS]; 2],
            latency_sum_us: [0; 2],
        }
    }
}

impl OutcomeTally {
    /// Counts one recipient's outcome (see [`Metrics::outcome`]).
    pub fn add(&mut self, outcome: Outcome, error_status: Option<u8>, queued_ms: u64, now_ms: u64) {
        bump(&mut self.outcomes[outcome as usize]);
        let slot = match outcome {
            Outcome::Succeeded => 0,
            Outcome::Failed => {
                bump(&mut self.failures[error_index(error_status)]);
                1
            }
            Outcome::Deferred => return,
        };
        let latency_us = now_ms.saturating_sub(queued_ms).saturating_mul(1000);
        let bucket = AtomicHistogram::bucket_of(DELIVERY_BOUNDS_US, latency_us);
        if let Some(n) = self.latency[slot].get_mut(bucket) {
            bump(n);
        }
        self.latency_sum_us[slot] = self.latency_sum_us[slot].saturating_add(latency_us);
    }
}

fn bump(n: &mut u32) {
    *n = n.saturating_add(1);
}

/// Index of an error status in the failure counters (0 for none or out of range).
fn error_index(error_status: Option<u8>) -> usize {
    let i = error_status.map_or(0, usize::from);
    if i < ERROR_STATUSES {
        i
    } else {
        0
    }
}

/// Counts one open outbound connection for as long as it lives.
#[derive(Debug)]
pub struct OutboundGuard {
    metrics: std::sync::Arc<Metrics>,
}

impl Drop for OutboundGuard {
    fn drop(&mut self) {
        self.metrics.connections_out.fetch_sub(1, Ordering::Relaxed);
    }
}

fn in_slot(listener: Listener) -> Option<usize> {
    match listener {
        Listener::Relay => Some(0),
        Listener::Receive => Some(1),
        Listener::Api => None,
    }
}

fn add(counter: &AtomicU64, n: u64) {
    counter.fetch_add(n, Ordering::Relaxed);
}

fn micros(d: std::time::Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}
