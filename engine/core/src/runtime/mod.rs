//! The thread-per-core runtime: the only module that imports glommio.
//!
//! `run` opens the spool, starts the group-commit writer, then one glommio executor per shard
//! (pinned one per CPU when there are enough CPUs). Every shard binds the relay address with
//! SO_REUSEPORT, so the kernel spreads connections over shards without a shared accept lock,
//! and queues the domains in its hash slice plus its share of the hot domains spread over all
//! shards (`queue::spread`); recipients for other shards travel over glommio's channel mesh
//! once they are durable. A signal thread turns SIGTERM or
//! SIGINT into a drain: shards stop accepting, let sessions in flight finish (bounded by
//! `drain_timeout_secs`), then the writer flushes and `run` returns.

mod connect;
mod connection;
mod delivery;
mod envelope;
mod error;
mod mx;
mod outbound;
mod outcomes;
mod receive;
mod shaping;
mod shard;
mod stall;
mod stream;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use glommio::channels::channel_mesh::{Full, MeshBuilder};
use glommio::{CpuSet, LocalExecutorPoolBuilder, PoolPlacement};

use crate::config::Config;
use crate::intake::QueuedNotice;
use crate::storage::{Committer, Store};

pub use error::{RuntimeError, ShardError, StartError};

/// State shared by every shard (immutable after start, apart from counters).
pub(crate) struct Shared {
    /// The configuration the process started with (listen addresses and other restart-only
    /// keys are read from here).
    pub(crate) config: Config,
    /// The settings in force at start (file plus the last applied version), compiled; shards
    /// keep their own swappable copy from here on.
    pub(crate) settings: Arc<crate::config::Snapshot>,
    pub(crate) hostname: String,
    pub(crate) shards: usize,
    pub(crate) store: Arc<Store>,
    pub(crate) committer: Committer,
    pub(crate) tls: Option<Arc<rustls::ServerConfig>>,
    pub(crate) relay_connections: AtomicUsize,
    /// Connections on the receiving listener, over all shards.
    pub(crate) receive_connections: AtomicUsize,
    /// VERP return-path signer/verifier.
    pub(crate) verp: crate::bounces::Verp,
    /// One-click unsubscribe token signer/verifier.
    pub(crate) unsubscribe: crate::unsubscribe::Signer,
    /// Active DKIM keys (changed by the API, read at delivery).
    pub(crate) dkim: Arc<crate::dkim::Registry>,
    /// S/MIME signers (changed by the API, read at intake).
    pub(crate) smime: Arc<crate::smime::Table>,
    /// Open outbound connections per destination IP, over all shards.
    pub(crate) host_limits: Arc<crate::delivery::HostLimits>,
    /// Traffic shaping state per site and source IP, over all shards (shared with the API
    /// for `shaping.status` and `shaping.clear`).
    pub(crate) shaper: Arc<crate::shaping::Shaper>,
    /// Open outbound connections per destination domain, over all shards (a hot domain is
    /// delivered by every shard; `delivery::domain_limits`).
    pub(crate) domain_limits: Arc<crate::delivery::DomainLimits>,
    pub(crate) shutdown: AtomicBool,
    /// DNS service handle (not started in sandbox mode).
    pub(crate) dns: Option<hikyaku_dns::DnsHandle>,
    /// Outbound STARTTLS configuration.
    pub(crate) tls_client: Option<Arc<rustls::ClientConfig>>,
    /// Prometheus metrics (shared with the API, which serves `/metrics`).
    pub(crate) metrics: Arc<crate::metrics::Metrics>,
    /// The time every delivery decision is taken at (retries, holds, idle connections, the
    /// retention purge): the system's clock, passed in so the decisions can be driven by a
    /// `ManualClock` in tests.
    pub(crate) clock: Arc<dyn crate::clock::Clock>,
}

/// Starts the engine and blocks until it has drained after SIGTERM/SIGINT.
pub fn run(config: Config) -> Result<(), RuntimeError> {
    config.validate()?;
    let hostname = config.effective_hostname();
    let shards = config.effective_shards();
    let store = Store::open(&config.data_dir, &config.storage)?;
    crate::api::settings_record_boot(&store, &config)?;
    let (live, settings_version) = crate::api::effective_config(&store, &config)?;
    if settings_version > 0 {
        tracing::info!(
            version = settings_version,
            "applied settings loaded from the spool"
        );
    }
    let live_config = Arc::new(live);
    if let Some(initial) = crate::api::bootstrap_credentials(&store, crate::clock::now_ms())
        .map_err(StartError::Bootstrap)?
    {
        print_initial_credentials(&initial, &config);
    }
    let metrics = Arc::new(crate::metrics::Metrics::new());
    let (committer, writer) =
        Committer::start_measured(store.clone(), &config.storage, Some(metrics.clone()))
            .map_err(StartError::Writer)?;
    let tls = if config.relay.starttls {
        Some(crate::tls::server_config(
            config.relay.tls_cert.as_deref(),
            config.relay.tls_key.as_deref(),
            &config.data_dir,
            &hostname,
        )?)
    } else {
        None
    };
    let settings = crate::config::Snapshot::compile(live_config).map_err(StartError::Settings)?;
    let tls_client =
        Some(crate::tls_client::opportunistic_config().map_err(StartError::OutboundTls)?);
    let dns = if config.sandbox {
        None
    } else {
        let dns_config = hikyaku_dns::DnsConfig {
            servers: config.delivery.dns_servers.clone(),
            ..hikyaku_dns::DnsConfig::default()
        };
        let (handle, _thread) =
            hikyaku_dns::DnsService::start(dns_config).map_err(StartError::Dns)?;
        Some(handle)
    };
    let verp = crate::bounces::Verp::load_or_create(&store)?;
    let unsubscribe = crate::unsubscribe::Signer::load_or_create(&store)?;
    let dkim = Arc::new(crate::dkim::Registry::load(&store).map_err(StartError::Dkim)?);
    let (link, control_rxs) = crate::control::EngineLink::new(shards, 1024);
    let api_ctx = crate::api::ApiContext::new(
        settings.clone(),
        store.clone(),
        committer.clone(),
        link,
        hostname.clone(),
        dkim.clone(),
    )
    .map_err(StartError::Api)?
    .with_metrics(metrics.clone());
    let smime = api_ctx.smime.clone();
    let shaper = api_ctx.shaper.clone();
    let api = crate::api::start(api_ctx).map_err(StartError::Api)?;
    let shared = Arc::new(Shared {
        config,
        settings,
        hostname,
        shards,
        store: store.clone(),
        committer,
        tls,
        relay_connections: AtomicUsize::new(0),
        receive_connections: AtomicUsize::new(0),
        verp,
        unsubscribe,
        dkim,
        smime,
        host_limits: Arc::new(crate::delivery::HostLimits::default()),
        shaper,
        domain_limits: Arc::new(crate::delivery::DomainLimits::default()),
        shutdown: AtomicBool::new(false),
        dns,
        tls_client,
        metrics,
        clock: Arc::new(crate::clock::SystemClock),
    });

    let (stop_txs, stop_rxs): (Vec<_>, Vec<_>) =
        (0..shards).map(|_| flume::bounded::<()>(1)).unzip();
    spawn_signal_thread(shared.clone(), stop_txs)?;

    let placement = placement(shards)?;
    let mesh: MeshBuilder<Vec<QueuedNotice>, Full> = MeshBuilder::full(shards, 1024);
    let stop_rxs = Arc::new(stop_rxs);
    let control_rxs = Arc::new(control_rxs);
    let shared_for_shards = shared.clone();
    let handles = LocalExecutorPoolBuilder::new(placement)
        .name("shard")
        .detect_stalls(Some(Box::new(|| Box::new(stall::ReportStalls))))
        .on_all_shards(move || {
            let shared = shared_for_shards.clone();
            let stop_rxs = stop_rxs.clone();
            let control_rxs = control_rxs.clone();
            async move { shard::run_shard(shared, mesh, stop_rxs, control_rxs).await }
        })
        .map_err(|e| StartError::Executors(e.into()))?;

    let mut failure = None;
    for (i, result) in handles.join_all().into_iter().enumerate() {
        match result {
            Ok(Ok(())) => {}
            Ok(Err(source)) => {
                tracing::error!(shard = i, error = %source, "shard failed");
                // One failed shard brings the others down so the process exits non-zero.
                shared.shutdown.store(true, Ordering::SeqCst);
                failure.get_or_insert(RuntimeError::Shard { shard: i, source });
            }
            Err(e) => {
                failure.get_or_insert(RuntimeError::Shard {
                    shard: i,
                    source: ShardError::Executor(e.into()),
                });
            }
        }
    }
    // The API goes before the writer: calls in flight still commit.
    api.stop();
    // Dropping the last Committer lets the writer drain what is queued and exit.
    drop(shared);
    writer.join();
    store.flush()?;
    tracing::info!("spool flushed; stopped");
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Whether a glommio (io_uring) executor starts on this machine, with the default I/O memory
/// of a shard (`hikyakud tune probe`); the error says why not.
pub fn io_uring_check() -> Result<(), String> {
    let handle = glommio::LocalExecutorBuilder::new(glommio::Placement::Unbound)
        .name("probe")
        .spawn(|| async move {
            glommio::timer::sleep(std::time::Duration::from_millis(1)).await;
        })
        .map_err(|e| e.to_string())?;
    handle.join().map_err(|e| e.to_string())
}

/// First start: the only time the administrator password and API key are shown. They go to
/// standard output, for the person who started the daemon: standard error carries only log
/// records, so that `--log-format json` stays one JSON object per line.
fn print_initial_credentials(c: &crate::api::InitialCredentials, config: &Config) {
    let url = format!("http://{}", config.rpc.listen);
    let mut text = format!(
        "\n=== hikyaku first start: initial credentials (shown once, stored only as hashes) ===\n\
         group administrator: account \"admin\", password {}\n",
        c.admin_password
    );
    if let Some(key) = &c.api_key {
        text.push_str(&format!(
            "API user \"default\" (send + transactional): API key {key}\n\
             try: HIKYAKU_URL={url} HIKYAKU_KEY={key} hikyaku send --to someone@example.com --subject Hi --text Hello\n"
        ));
    }
    text.push_str(
        "=====================================================================================\n",
    );
    let mut out = std::io::stdout().lock();
    if let Err(e) = std::io::Write::write_all(&mut out, text.as_bytes())
        .and_then(|()| std::io::Write::flush(&mut out))
    {
        tracing::warn!(error = %e, "could not print the initial credentials to standard output");
    }
}

fn placement(shards: usize) -> Result<PoolPlacement, RuntimeError> {
    let cpus = CpuSet::online().map_err(|e| StartError::Executors(e.into()))?;
    if shards <= cpus.len() {
        Ok(PoolPlacement::MaxSpread(shards, Some(cpus)))
    } else {
        // More shards than CPUs (tests, experiments): fence them to the online set instead of
        // pinning one per CPU, which glommio cannot do.
        Ok(PoolPlacement::Fenced(shards, cpus))
    }
}

fn spawn_signal_thread(
    shared: Arc<Shared>,
    stops: Vec<flume::Sender<()>>,
) -> Result<(), RuntimeError> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut signals =
        signal_hook::iterator::Signals::new([SIGTERM, SIGINT]).map_err(StartError::Signals)?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(sig) = signals.forever().next() {
                tracing::info!(
                    signal = sig,
                    "draining: no new connections, finishing sessions"
                );
                shared.shutdown.store(true, Ordering::SeqCst);
                for tx in &stops {
                    let _ = tx.try_send(());
                }
            }
        })
        .map_err(StartError::Signals)?;
    Ok(())
}
