//! One shard: its listener, its sessions, its queue, and its end of the channel mesh.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use futures::future::{select, Either};
use glommio::channels::channel_mesh::{Full, MeshBuilder, Receivers, Senders};
use glommio::net::TcpListener;
use glommio::sync::Gate;

use super::{connection, Shared};
use crate::control::ControlRequest;
use crate::ids::IdGen;
use crate::intake::QueuedNotice;
use crate::queue::spread::HotDomains;
use crate::queue::{Reloaded, ShardQueue};

/// Bytes of freshly accepted deliveries each shard keeps in memory for their first attempt.
const HOT_CACHE_BYTES: usize = 32 << 20;

/// Shard-local state; lives in an `Rc` on its executor and is never shared across threads.
/// Fresh deliveries due within this horizon keep what intake wrote in memory (`queue::hot`).
const HOT_HORIZON_MS: u64 = 5_000;

pub(super) struct ShardCtx {
    pub(super) index: usize,
    pub(super) shared: Arc<Shared>,
    pub(super) ids: RefCell<IdGen>,
    pub(super) queue: RefCell<ShardQueue>,
    /// What intake already holds for deliveries not attempted yet (`queue::hot`).
    pub(super) hot: RefCell<crate::queue::hot::HotCache>,
    senders: Senders<Vec<QueuedNotice>>,
    /// Set when the drain starts; sessions check it between commands.
    pub(super) draining: std::cell::Cell<bool>,
    /// Wakes idle sessions when the drain starts.
    pub(super) drain_event: event_listener::Event,
    /// Outbound delivery state.
    pub(super) delivery: super::delivery::DeliveryState,
    /// Recent recipients per domain routed by this shard's intake (which domains to spread).
    hot_domains: RefCell<HotDomains>,
    /// The compiled settings this shard runs with (config, relay allow list, sandbox sink,
    /// classifier, policy); `settings.apply` swaps it between two tasks, so every session and
    /// delivery sees one consistent version (taken with [`Self::settings`]).
    settings: RefCell<Arc<crate::config::Snapshot>>,
}

impl ShardCtx {
    /// The current settings as written.
    pub(super) fn config(&self) -> Arc<crate::config::Config> {
        self.settings.borrow().config.clone()
    }

    /// The current settings, compiled.
    pub(super) fn settings(&self) -> Arc<crate::config::Snapshot> {
        self.settings.borrow().clone()
    }

    /// Now, in ms since the epoch, by the engine's clock (`Shared::clock`).
    pub(super) fn now_ms(&self) -> u64 {
        self.shared.clock.now_ms()
    }

    /// Serves the control plane's requests until the channel closes.
    async fn control_loop(self: Rc<Self>, rx: flume::Receiver<ControlRequest>) {
        while let Ok(req) = rx.recv_async().await {
            match req {
                ControlRequest::Enqueue(notices) => self.enqueue_local(notices),
                ControlRequest::ForceSend {
                    domain,
                    delivery,
                    reply,
                } => {
                    let moved =
                        self.queue
                            .borrow_mut()
                            .force(domain.as_deref(), delivery, self.now_ms());
                    self.delivery.wake.notify(usize::MAX);
                    let _ = reply.send(moved);
                }
                ControlRequest::QueueDepth { reply } => {
                    let _ = reply.send(self.queue.borrow().depth());
                }
                ControlRequest::Apply { settings, reply } => {
                    *self.settings.borrow_mut() = settings;
                    self.delivery.wake.notify(usize::MAX);
                    let _ = reply.send(());
                }
            }
        }
    }
    /// Adds durable recipients this shard delivers to its queue (keeping what intake
    /// handed along for their first attempt) and wakes their workers.
    pub(super) fn enqueue_local(&self, notices: Vec<QueuedNotice>) {
        let now = self.now_ms();
        let mut q = self.queue.borrow_mut();
        let mut hot = self.hot.borrow_mut();
        for mut n in notices {
            if let Some(fresh) = n.fresh.take() {
                // A recipient held for hours would only sit in the cache until evicted.
                if n.not_before_ms <= now.saturating_add(HOT_HORIZON_MS) {
                    hot.insert(n.delivery_id.0, fresh);
                }
            }
            self.delivery.notify(&n.domain);
            // Held recipients (prohibited hours) are due later: the timer wheel keeps them.
            q.push_at(n, now);
        }
    }

    /// Hands durable recipients to the shards that queue them: their domain's home shard, or
    /// any shard for a hot domain (`queue::spread`).
    pub(super) async fn route(&self, notices: Vec<QueuedNotice>) {
        let shards = self.shared.shards;
        if shards == 1 {
            self.enqueue_local(notices);
            return;
        }
        let mut per_shard: Vec<Vec<QueuedNotice>> = (0..shards).map(|_| Vec::new()).collect();
        {
            let mut hot = self.hot_domains.borrow_mut();
            for n in notices {
                let (owner, became_hot) = hot.owner(n.domain_hash, n.delivery_id, shards);
                if became_hot {
                    tracing::info!(shard = self.index, domain = %n.domain, "hot domain: its recipients are spread over all shards");
                }
                if let Some(v) = per_shard.get_mut(owner) {
                    v.push(n);
                }
            }
        }
        self.send_to_owners(per_shard).await;
    }

    /// Sends each batch to its shard (`per_shard[i]` to shard `i`; its own is queued here).
    pub(super) async fn send_to_owners(&self, per_shard: Vec<Vec<QueuedNotice>>) {
        for (owner, batch) in per_shard.into_iter().enumerate() {
            if batch.is_empty() {
                continue;
            }
            if owner == self.index {
                self.enqueue_local(batch);
            } else if self.senders.send_to(owner, batch).await.is_err() {
                // The peer is gone (shutting down). The entries are durable and will be
                // reloaded by their owner at the next start, so nothing is lost.
                tracing::warn!(owner, "peer shard gone; entries stay in the spool");
            }
        }
    }
}

/// Runs one shard until the drain completes.
pub(super) async fn run_shard(
    shared: Arc<Shared>,
    mesh: MeshBuilder<Vec<QueuedNotice>, Full>,
    stops: Arc<Vec<flume::Receiver<()>>>,
    controls: Arc<Vec<flume::Receiver<ControlRequest>>>,
) -> Result<(), super::ShardError> {
    use super::ShardError;
    let (senders, receivers) = mesh.join().await.map_err(|e| ShardError::Mesh(e.into()))?;
    let index = senders.peer_id();
    let stop = stops
        .get(index)
        .cloned()
        .ok_or(ShardError::NoStopChannel(index))?;

    let store = shared.store.clone();
    let shards = shared.shards;
    let now = shared.clock.now_ms();
    let Reloaded {
        queue,
        stats,
        damaged,
        forward,
    } = glommio::executor()
        .spawn_blocking(move || ShardQueue::reload(&store, index, shards, now))
        .await
        .map_err(ShardError::Reload)?;
    tracing::info!(
        shard = index,
        entries = stats.entries,
        forwarded = forward.iter().map(Vec::len).sum::<usize>(),
        domains = queue.domain_count(),
        corrupt = stats.corrupt,
        "queue reloaded"
    );

    let bind = |listener: &'static str, addr: std::net::SocketAddr| {
        TcpListener::bind(addr).map_err(|e| ShardError::Bind {
            listener,
            addr,
            source: e.into(),
        })
    };
    let listener = bind("relay", shared.config.relay.listen)?;

    let ctx = Rc::new(ShardCtx {
        index,
        shared: shared.clone(),
        ids: RefCell::new(IdGen::new(index)),
        queue: RefCell::new(queue),
        hot: RefCell::new(crate::queue::hot::HotCache::new(HOT_CACHE_BYTES)),
        senders,
        draining: std::cell::Cell::new(false),
        drain_event: event_listener::Event::new(),
        delivery: super::delivery::DeliveryState::default(),
        hot_domains: RefCell::new(HotDomains::default()),
        settings: RefCell::new(shared.settings.clone()),
    });
    if !damaged.is_empty() {
        super::outcomes::record_damaged(&ctx, &damaged).await;
    }
    let control = controls
        .get(index)
        .cloned()
        .map(|rx| glommio::spawn_local(ctx.clone().control_loop(rx)).detach());
    let inbox = spawn_inbox(ctx.clone(), receivers);
    // A hot domain's backlog found at home goes to the shards that own its entries now.
    let forwarding = ctx.clone();
    glommio::spawn_local(async move { forwarding.send_to_owners(forward).await }).detach();
    let dispatcher = glommio::spawn_local(super::delivery::dispatcher(ctx.clone())).detach();
    let housekeeping =
        (index == 0).then(|| glommio::spawn_local(housekeeping(ctx.clone())).detach());
    tracing::info!(shard = index, listen = %shared.config.relay.listen, "relay listener ready");

    let gate = Gate::new();
    let receive_listener = bind("receiving", shared.config.receive.listen)?;
    tracing::info!(shard = index, listen = %shared.config.receive.listen, "receiving listener ready");
    let receiving =
        glommio::spawn_local(receive_loop(ctx.clone(), receive_listener, gate.clone())).detach();
    accept_loop(&ctx, &listener, &gate, &stop).await;
    drop(listener);

    ctx.draining.set(true);
    ctx.drain_event.notify(usize::MAX);
    receiving.cancel();
    let drain = Duration::from_secs(shared.config.drain_timeout_secs);
    let closed = select(
        Box::pin(gate.close()),
        Box::pin(glommio::timer::sleep(drain)),
    )
    .await;
    if let Either::Right(_) = closed {
        tracing::warn!(shard = index, "drain timeout: closing remaining sessions");
    }
    ctx.senders.close();
    inbox.cancel();
    ctx.delivery.wake.notify(usize::MAX);
    dispatcher.cancel();
    if let Some(h) = housekeeping {
        h.cancel();
    }
    if let Some(c) = control {
        c.cancel();
    }
    tracing::info!(
        shard = index,
        queued = ctx.queue.borrow().len(),
        "shard stopped"
    );
    Ok(())
}

async fn accept_loop(
    ctx: &Rc<ShardCtx>,
    listener: &TcpListener,
    gate: &Gate,
    stop: &flume::Receiver<()>,
) {
    let shared = &ctx.shared;
    loop {
        if shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let accepted = match select(Box::pin(listener.accept()), stop.recv_async()).await {
            Either::Left((accepted, _)) => accepted,
            Either::Right(_) => return,
        };
        let stream = match accepted {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "accept failed");
                glommio::timer::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        start_session(ctx, gate, stream, connection::Kind::Relay);
    }
}

/// Counts the connection against its listener's limit and serves it under the drain gate
/// (over the limit, the session only sends `421 4.7.0` and closes).
fn start_session(
    ctx: &Rc<ShardCtx>,
    gate: &Gate,
    stream: glommio::net::TcpStream,
    kind: connection::Kind,
) {
    fn counter(c: &ShardCtx, kind: connection::Kind) -> &std::sync::atomic::AtomicUsize {
        match kind {
            connection::Kind::Relay => &c.shared.relay_connections,
            connection::Kind::Receive => &c.shared.receive_connections,
        }
    }
    let limit = match kind {
        connection::Kind::Relay => ctx.config().relay.max_connections,
        connection::Kind::Receive => ctx.config().receive.max_connections,
    };
    let count = counter(ctx, kind).fetch_add(1, Ordering::SeqCst) + 1;
    let metrics = ctx.shared.metrics.clone();
    let listener = connection::listener(kind);
    metrics.connection_opened(listener);
    if count > limit {
        metrics.refused(listener, crate::metrics::Refusal::ConnectionLimit);
    }
    let session_ctx = ctx.clone();
    let spawned = gate.spawn(async move {
        connection::serve(stream, session_ctx.clone(), count > limit, kind).await;
        counter(&session_ctx, kind).fetch_sub(1, Ordering::SeqCst);
        session_ctx.shared.metrics.connection_closed(listener);
    });
    match spawned {
        Ok(task) => {
            task.detach();
        }
        Err(e) => {
            counter(ctx, kind).fetch_sub(1, Ordering::SeqCst);
            metrics.connection_closed(listener);
            tracing::warn!(error = %e, ?kind, "could not start a session");
        }
    }
}

/// Accepts on the receiving listener until the drain starts.
async fn receive_loop(ctx: Rc<ShardCtx>, listener: TcpListener, gate: Gate) {
    loop {
        let drain = ctx.drain_event.listen();
        if ctx.draining.get() || ctx.shared.shutdown.load(Ordering::SeqCst) {
            return;
        }
        let accepted = match select(Box::pin(listener.accept()), drain).await {
            Either::Left((accepted, _)) => accepted,
            Either::Right(_) => return,
        };
        let stream = match accepted {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(error = %e, "receiving listener: accept failed");
                glommio::timer::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        start_session(&ctx, &gate, stream, connection::Kind::Receive);
    }
}

fn spawn_inbox(
    ctx: Rc<ShardCtx>,
    mut receivers: Receivers<Vec<QueuedNotice>>,
) -> glommio::task::JoinHandle<()> {
    let streams = receivers.streams();
    let handle = glommio::spawn_local(async move {
        let tasks: Vec<_> = streams
            .into_iter()
            .map(|(_, rx)| {
                let ctx = ctx.clone();
                glommio::spawn_local(async move {
                    while let Some(batch) = rx.recv().await {
                        ctx.enqueue_local(batch);
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await;
        }
    });
    handle.detach()
}

/// Shard 0 deletes finished messages' bodies every 10 minutes and, at the same passes, checks
/// whether the daily retention purge is due (`maintenance::retention` decides), on the
/// blocking pool (both scan the spool).
async fn housekeeping(ctx: Rc<ShardCtx>) {
    const GC_EVERY: Duration = Duration::from_secs(600);
    let mut passes: u64 = 0;
    loop {
        glommio::timer::sleep(if passes == 0 {
            Duration::from_secs(30)
        } else {
            GC_EVERY
        })
        .await;
        if ctx.draining.get() {
            return;
        }
        passes += 1;
        let store = ctx.shared.store.clone();
        let clock = ctx.shared.clock.clone();
        let policy =
            crate::maintenance::retention::RetentionPolicy::from_config(&ctx.config().delivery);
        let result = glommio::executor()
            .spawn_blocking(move || {
                match &policy {
                    Ok(p) => log_retention(crate::maintenance::run_retention(&store, &*clock, p)),
                    // Validation refuses such settings; keep the data rather than guess.
                    Err(e) => tracing::error!(error = %e, "retention purge skipped"),
                }
                crate::maintenance::collect_garbage(&store, clock.now_ms())
            })
            .await;
        match result {
            Ok(stats) => tracing::info!(
                live = stats.live,
                deleted = stats.deleted,
                "spool housekeeping"
            ),
            Err(e) => tracing::error!(error = %e, "spool housekeeping failed"),
        }
    }
}

fn log_retention(
    outcome: Result<crate::maintenance::RetentionOutcome, crate::storage::StorageError>,
) {
    match outcome {
        Ok(crate::maintenance::RetentionOutcome::Purged {
            slot_ms,
            cutoff_ms,
            jobs,
            idempotency_keys,
        }) => tracing::info!(
            slot_ms,
            cutoff_ms,
            jobs,
            idempotency_keys,
            "report data before the retention cutoff purged"
        ),
        Ok(crate::maintenance::RetentionOutcome::Waited { .. }) => {}
        Err(e) => tracing::error!(error = %e, "retention purge failed"),
    }
}
