//! Event webhooks from a durable outbox (issue 14, part 1; SPEC §10).
//!
//! * [`event`]: the event a stored record implies (sans-I/O).
//! * [`router`]: which endpoints get it; the [`Hook`] the spool calls in `add_to_batch`, so
//!   each event is written to the `outbox` family in the same `WriteBatch` as its record: no
//!   event is lost across kill -9 and none exists for something not stored.
//! * [`store`]: endpoint records and outbox keys.
//! * [`sign`], [`retry`]: Standard Webhooks signing and the backoff schedule (sans-I/O).
//! * [`sender`]: one task per endpoint on the control plane that posts batches in order.

pub mod event;
pub mod retry;
pub mod router;
pub mod sender;
pub mod sign;
pub mod store;

use serde::{Deserialize, Serialize};

pub use event::{Event, EventKind};
pub use router::{inbound_ops, Hook, Router};
pub use store::{Endpoint, FilterSpec};

use crate::storage::{StorageError, Store};

/// Webhook failures.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The spool failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// An endpoint's filter does not compile.
    #[error("filter: {0}")]
    Filter(#[from] crate::policy::filter::FilterError),
    /// Signing failed.
    #[error(transparent)]
    Sign(#[from] sign::SignError),
    /// The HTTP client could not be built (CA file).
    #[error("webhook HTTP client: {0}")]
    Client(String),
}

/// `[webhooks]` settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WebhooksConfig {
    /// Events per POST at most.
    pub batch_max: usize,
    /// How long a sender waits for more events before posting a batch that is not full (ms).
    pub batch_ms: u64,
    /// Timeout of one POST, connection included (ms).
    pub timeout_ms: u64,
    /// Pending events per endpoint at most; beyond it new events go to the dead letters
    /// (kept and replayable) with a warning, so a dead endpoint cannot fill the disk.
    pub max_pending: u64,
    /// First retry delay (ms), doubled per failure.
    pub retry_first_ms: u64,
    /// Longest retry delay (ms).
    pub retry_max_ms: u64,
    /// A batch still failing this long after its first attempt is dead-lettered (hours).
    pub retry_hours: u64,
    /// PEM file of extra CA certificates for `https://` endpoints (internal CAs), trusted in
    /// addition to the webpki roots.
    pub ca_file: Option<std::path::PathBuf>,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        Self {
            batch_max: 100,
            batch_ms: 200,
            timeout_ms: 10_000,
            max_pending: 1_000_000,
            retry_first_ms: 1_000,
            retry_max_ms: 600_000,
            retry_hours: 24,
            ca_file: None,
        }
    }
}

impl WebhooksConfig {
    /// The retry schedule.
    pub fn schedule(&self) -> retry::Schedule {
        retry::Schedule {
            first_ms: self.retry_first_ms.max(1),
            cap_ms: self.retry_max_ms.max(self.retry_first_ms.max(1)),
            give_up_ms: self.retry_hours.saturating_mul(3_600_000),
        }
    }

    /// Problems, each naming its key.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=10_000).contains(&self.batch_max) {
            out.push(format!(
                "webhooks.batch_max: must be 1..=10000, got {}",
                self.batch_max
            ));
        }
        if self.timeout_ms == 0 {
            out.push("webhooks.timeout_ms: must be at least 1".into());
        }
        if self.retry_hours == 0 {
            out.push("webhooks.retry_hours: must be at least 1".into());
        }
        out
    }
}

/// Loads the endpoints into the spool's hook and sets the outbox sequence above every stored
/// key (called once when the spool opens). Counts each endpoint's pending events: a scan of
/// the outbox, which is short unless an endpoint has been down for long.
pub fn load(store: &Store) -> Result<(), WebhookError> {
    let hook = store.webhooks();
    let router = Router::build(store::endpoints(store)?, &hook.router())?;
    for route in router.routes() {
        let id = route.endpoint.id;
        let (pending, max_pending) = store::count(store, store::PENDING, id)?;
        let (_, max_dead) = store::count(store, store::DEAD, id)?;
        route
            .state
            .pending
            .store(pending, std::sync::atomic::Ordering::SeqCst);
        hook.seen_seq(max_pending.max(max_dead));
    }
    hook.install(router);
    Ok(())
}

/// Pending count and age of the oldest pending event per endpoint, for `/metrics`:
/// `(endpoint id text, pending, oldest age in seconds)`. Reads one key per endpoint.
pub fn outbox_gauges(store: &Store, now_ms: u64) -> Vec<(String, u64, f64)> {
    store
        .webhooks()
        .router()
        .routes()
        .iter()
        .map(|r| {
            let id = r.endpoint.id;
            let oldest = store::oldest_pending_ms(store, id).ok().flatten();
            let age = oldest.map_or(0.0, |t| now_ms.saturating_sub(t) as f64 / 1000.0);
            (
                store::id_text(id),
                r.state.pending.load(std::sync::atomic::Ordering::Relaxed),
                age,
            )
        })
        .collect()
}
