//! The JSON-RPC API server (issue 5): runs on the control-plane thread, a tokio runtime of its
//! own, next to (never inside) the glommio shards.
//!
//! Reads (delivery log, block lists, statistics, users) go straight to RocksDB, which is safe
//! from any thread; durable writes of mail go through the same group committer as SMTP intake;
//! what lives in a shard's memory (its queue, its settings) is reached through
//! [`crate::control::EngineLink`]'s bounded channels. Every method is declared once in
//! `hikyaku_rpc::methods`; [`handlers`] binds each to its implementation behind one check of
//! connection IP, rate limit, credential and access rule ([`auth`]).

mod accounts;
mod auth;
mod bootstrap;
mod bounce_reports;
mod console_http;
mod dkim;
mod dmarc;
mod error;
mod graph;
mod handlers;
mod idempotency;
mod jobs;
mod jobs_store;
mod message;
mod my_account;
mod oplog;
mod received;
mod rejected;
mod reports;
mod sending;
mod server;
mod sessions;
mod settings;
mod shaping;
mod smime;
mod spf;
pub(crate) mod time;
mod unsubscribe_http;
mod webhooks;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

pub use bootstrap::{bootstrap_credentials, InitialCredentials};
pub use error::ApiError;
pub use server::{start, ApiServer};
pub use settings::{effective_config, record_boot as settings_record_boot};

use crate::config::{Config, Snapshot};
use crate::control::EngineLink;
use crate::ids::IdGen;
use crate::storage::{Committer, Store};

/// The retention pass of the API's own records (called by
/// [`crate::maintenance::apply_retention`]): bulk jobs that finished before `cutoff_ms` and
/// idempotency keys older than 24 h at `now_ms`. Returns (jobs, keys) deleted.
pub fn apply_retention(
    store: &Store,
    now_ms: u64,
    cutoff_ms: u64,
) -> Result<(usize, usize), crate::storage::StorageError> {
    let jobs = jobs_store::prune(store, cutoff_ms)?;
    let keys = idempotency::prune(store, now_ms)?;
    Ok((jobs, keys))
}

/// Id-generator slot of the control plane (shards use 0..shards, at most 255 of them).
pub const CONTROL_PLANE_ID_SLOT: usize = 255;

/// Everything the handlers share.
pub struct ApiContext {
    /// The applied settings, compiled (swapped by `settings.apply`).
    pub(crate) snapshot: RwLock<Arc<Snapshot>>,
    pub(crate) store: Arc<Store>,
    pub(crate) committer: Committer,
    pub(crate) link: EngineLink,
    pub(crate) hostname: String,
    pub(crate) started: std::time::Instant,
    pub(crate) ids: Mutex<IdGen>,
    pub(crate) auth: auth::AuthState,
    pub(crate) jobs: jobs::Jobs,
    pub(crate) settings: settings::SettingsState,
    pub(crate) sending_in_flight: sending::InFlight,
    /// Signs and checks one-click unsubscribe tokens.
    pub(crate) unsubscribe: crate::unsubscribe::Signer,
    /// Active DKIM keys, shared with the delivery shards.
    pub(crate) dkim: Arc<crate::dkim::Registry>,
    /// S/MIME signers, loaded here and shared with the shards' intake (see `runtime::run`).
    pub(crate) smime: Arc<crate::smime::Table>,
    /// Prometheus metrics, shared with the shards (served at `GET /metrics`).
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
    /// Traffic shaping state, shared with the shards (`shaping.status`, `shaping.clear`).
    pub(crate) shaper: Arc<crate::shaping::Shaper>,
}

impl ApiContext {
    /// Builds the context (the server thread owns it from then on).
    pub fn new(
        settings: Arc<Snapshot>,
        store: Arc<Store>,
        committer: Committer,
        link: EngineLink,
        hostname: String,
        dkim: Arc<crate::dkim::Registry>,
    ) -> Result<Self, ApiError> {
        let auth = auth::AuthState::new(&settings.config, &store)?;
        let state = settings::SettingsState::load(&store, &settings.config)?;
        let unsubscribe = crate::unsubscribe::Signer::load_or_create(&store)?;
        let smime = Arc::new(crate::smime::Table::load(&store)?);
        Ok(Self {
            snapshot: RwLock::new(settings),
            store,
            committer,
            link,
            hostname,
            started: std::time::Instant::now(),
            ids: Mutex::new(IdGen::new(CONTROL_PLANE_ID_SLOT)),
            auth,
            jobs: jobs::Jobs::default(),
            settings: state,
            sending_in_flight: sending::InFlight::default(),
            unsubscribe,
            dkim,
            smime,
            metrics: Arc::new(crate::metrics::Metrics::new()),
            shaper: Arc::new(crate::shaping::Shaper::default()),
        })
    }

    /// Uses the engine's metrics (the shards' and the writer's) instead of a private set.
    pub fn with_metrics(mut self, metrics: Arc<crate::metrics::Metrics>) -> Self {
        self.metrics = metrics;
        self
    }

    /// The configuration in force now.
    pub(crate) fn config(&self) -> Arc<Config> {
        self.snapshot().config.clone()
    }

    /// The settings in force now, compiled (the policy for API sends).
    pub(crate) fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(c) => c.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }
}

/// A map guarded by a mutex that never stays poisoned (a panicking handler must not take the
/// API down with it).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Per-IP token buckets.
pub(crate) type Buckets = HashMap<std::net::IpAddr, (f64, std::time::Instant)>;
