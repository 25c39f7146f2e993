//! The delivery side of a shard: dispatches ready recipients of the shard's domains to
//! per-domain workers, each of which uses one outbound connection (or the sandbox sink), and
//! records every outcome durably before acting on it.
//!
//! Limits per domain (`max_connections`) are counted by the owning shard; since every domain
//! has exactly one owning shard, the count is exact without cross-shard coordination.

use std::collections::HashMap;
use std::net::{SocketAddr, ToSocketAddrs};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures::future::select;
use hikyaku_smtp::client::{ClientConfig, OutboundMessage, TlsPolicy};

use super::conn_pool::{Conn, PoolKey, PARK_KEEP};
use super::envelope::{outgoing_head, per_recipient, return_path};
use super::outbound::Outbound;
use super::outcomes::{
    fail_ready, load, record, record_all, sandbox_worker, suppressed, to_attempt, Loaded,
};
use super::shard::ShardCtx;
use crate::clock::now_ms;
use crate::config::{DomainPolicy, TlsMode};
use crate::delivery::{Attempt, Remote};
use crate::intake::QueuedNotice;
use crate::storage::keys::domain_hash;

/// How long an idle outbound connection waits for more mail for its domain before QUIT.
/// Mail for a domain tends to come in runs; keeping the session saves a TCP + TLS + EHLO
/// handshake per message (the same idea as Postfix's connection cache).
const IDLE_KEEP: Duration = Duration::from_millis(1000);

/// Shard-local delivery state.
#[derive(Default)]
pub(super) struct DeliveryState {
    /// Workers (connections) active per domain.
    pub(super) active: std::cell::RefCell<HashMap<String, usize>>,
    /// Wakes the dispatcher when new work arrives or a worker ends.
    pub(super) wake: event_listener::Event,
    /// Round-robin position over each domain policy's `source_ips`.
    source_rr: std::cell::Cell<usize>,
    /// Idle workers wait here, per domain, for more recipients.
    idle: std::cell::RefCell<HashMap<String, Rc<event_listener::Event>>>,
    /// Connections handed over between domains that share a host.
    pool: super::conn_pool::ConnPool,
}

impl DeliveryState {
    /// New recipients for `domain` are queued: hand them to an idle connection of that domain
    /// if there is one, else let the dispatcher decide.
    pub(super) fn notify(&self, domain: &str) {
        match self.idle.borrow().get(domain) {
            Some(event) => {
                event.notify(1);
            }
            None => {
                self.wake.notify(1);
            }
        }
    }
}

/// Runs the dispatcher until the shard drains.
pub(super) async fn dispatcher(ctx: Rc<ShardCtx>) {
    loop {
        if ctx.draining.get() {
            return;
        }
        // Listen before looking at the queue: a push between the scan and the wait must not
        // be missed (event_listener only wakes listeners registered at notify time).
        let listener = ctx.delivery.wake.listen();
        let expired = ctx.delivery.pool.expired(PARK_KEEP);
        close_all(expired);
        let now = now_ms();
        let ready = {
            let mut q = ctx.queue.borrow_mut();
            q.advance(now);
            q.ready_domains()
        };
        for (domain, count) in ready {
            let config = ctx.config();
            let policy = config.delivery.policy(&domain);
            let per_conn = policy.max_messages_per_connection.max(1);
            let active = ctx
                .delivery
                .active
                .borrow()
                .get(&domain)
                .copied()
                .unwrap_or(0);
            let wanted = count.div_ceil(per_conn).min(policy.max_connections);
            for _ in active..wanted {
                *ctx.delivery
                    .active
                    .borrow_mut()
                    .entry(domain.clone())
                    .or_default() += 1;
                let worker_ctx = ctx.clone();
                let d = domain.clone();
                glommio::spawn_local(async move {
                    domain_worker(&worker_ctx, &d).await;
                    if let Some(n) = worker_ctx.delivery.active.borrow_mut().get_mut(&d) {
                        *n = n.saturating_sub(1);
                    }
                    worker_ctx.delivery.wake.notify(1);
                })
                .detach();
            }
        }
        let next_due = ctx.queue.borrow().next_due();
        let wait_ms = next_due.map_or(1000, |due| due.saturating_sub(now).clamp(1, 1000));
        let _ = select(
            listener,
            Box::pin(glommio::timer::sleep(Duration::from_millis(wait_ms))),
        )
        .await;
    }
}

/// The next source address of `pool` of `addr`'s family (round robin per shard); `None` when
/// the pool has none of that family, and the kernel chooses.
fn pick_source(
    ctx: &ShardCtx,
    pool: &[std::net::IpAddr],
    addr: &SocketAddr,
) -> Option<std::net::IpAddr> {
    let family: Vec<&std::net::IpAddr> = pool
        .iter()
        .filter(|ip| ip.is_ipv4() == addr.is_ipv4())
        .collect();
    if family.is_empty() {
        return None;
    }
    let n = ctx.delivery.source_rr.get();
    ctx.delivery.source_rr.set(n.wrapping_add(1));
    family.get(n % family.len()).map(|ip| **ip)
}

/// Where a domain's mail goes.
pub(super) enum Route {
    Hosts(Vec<(String, SocketAddr)>),
    Fail(Attempt),
}

async fn route(ctx: &ShardCtx, domain: &str) -> Route {
    let config = ctx.config();
    let d = &config.delivery;
    let fixed = d
        .policy(domain)
        .transport
        .clone()
        .or_else(|| d.smart_host.clone());
    if let Some(target) = fixed {
        let resolved = glommio::executor()
            .spawn_blocking(move || {
                target
                    .to_socket_addrs()
                    .map(|a| (target.clone(), a.collect::<Vec<_>>()))
            })
            .await;
        return match resolved {
            Ok((name, addrs)) if !addrs.is_empty() => {
                let host = name
                    .rsplit_once(':')
                    .map_or(name.clone(), |(h, _)| h.to_string());
                Route::Hosts(addrs.into_iter().map(|a| (host.clone(), a)).collect())
            }
            Ok((name, _)) => Route::Fail(Attempt::TempFail {
                reply: None,
                reason: format!("{name}: no address"),
            }),
            Err(e) => Route::Fail(Attempt::TempFail {
                reply: None,
                reason: format!("resolving the transport: {e}"),
            }),
        };
    }
    super::mx::route(ctx, domain).await
}

/// Delivers ready recipients of `domain` until none are left or the connection is used up.
async fn domain_worker(ctx: &Rc<ShardCtx>, domain: &str) {
    let config = ctx.config();
    if config.sandbox {
        return sandbox_worker(ctx, domain).await;
    }
    let policy = config.delivery.policy(domain).clone();
    let hosts = match route(ctx, domain).await {
        Route::Hosts(h) => h,
        Route::Fail(attempt) => return fail_ready(ctx, domain, &attempt, &Remote::default()).await,
    };
    match open_connection(ctx, domain, &hosts, &policy).await {
        Opened::Conn(conn) => deliver_on(ctx, domain, &policy, *conn).await,
        Opened::Failed(attempt, remote) => fail_ready(ctx, domain, &attempt, &remote).await,
        Opened::Nothing => {}
    }
}

/// How `open_connection` ended.
enum Opened {
    Conn(Box<Conn>),
    /// No host could be used: every ready recipient gets this outcome.
    Failed(Attempt, Remote),
    /// The domain's mail went elsewhere (or the shard drains) while waiting for a host slot.
    Nothing,
}

/// How often a worker waiting for a host slot looks again (slots freed on other shards do
/// not wake it).
const SLOT_RECHECK: Duration = Duration::from_millis(100);

/// Closes connections taken out of the pool, in the background.
fn close_all(conns: Vec<Conn>) {
    for c in conns {
        glommio::spawn_local(async move {
            c.out.quit().await;
            drop(c.permit);
        })
        .detach();
    }
}

/// A session to the first usable host of `hosts`: a connection parked by another domain of
/// this shard for the same host, else a new one within the host's cap. When every host is at
/// its cap the worker waits for a hand-over or a free slot (see `conn_pool`).
async fn open_connection(
    ctx: &Rc<ShardCtx>,
    domain: &str,
    hosts: &[(String, SocketAddr)],
    policy: &DomainPolicy,
) -> Opened {
    let config = ctx.config();
    let timeout = Duration::from_secs(config.delivery.connect_timeout_secs);
    let mut addrs: Vec<SocketAddr> = hosts.iter().map(|(_, a)| *a).collect();
    addrs.sort_unstable();
    addrs.dedup();
    // One place in each host's queue of waiters, however many ports it is listed with.
    let mut ips: Vec<std::net::IpAddr> = addrs.iter().map(SocketAddr::ip).collect();
    ips.dedup();
    let mut waited = false;
    loop {
        let mut tls_policy = match policy.tls {
            TlsMode::Required => TlsPolicy::Required,
            TlsMode::Opportunistic => TlsPolicy::Opportunistic,
            TlsMode::Disabled => TlsPolicy::Disabled,
        };
        let mut last_error = String::from("no usable address");
        let mut tries = 0;
        let mut busy = 0;
        let mut host_iter = hosts.iter();
        while let Some((name, addr)) = host_iter.next() {
            let key = PoolKey {
                addr: *addr,
                host: name.clone(),
                tls: tls_policy,
                sources: policy.source_ips.clone(),
            };
            let mut close = Vec::new();
            let parked = ctx.delivery.pool.take(&key, &mut close);
            close_all(close);
            if let Some(conn) = parked {
                return Opened::Conn(Box::new(conn));
            }
            // The host's cap over all shards: a busy host is skipped like an unreachable
            // one, but without counting as a failed attempt.
            let Some(permit) = ctx.shared.host_limits.try_acquire(
                addr.ip(),
                config.delivery.max_connections_per_host,
                waited,
            ) else {
                busy += 1;
                continue;
            };
            tries += 1;
            let client = ClientConfig {
                helo_name: ctx.shared.hostname.clone(),
                tls_policy,
                tls_available: ctx.shared.tls_client.is_some(),
                chunking: policy.chunking,
            };
            let source = pick_source(ctx, &policy.source_ips, addr);
            let tls = ctx.shared.tls_client.clone();
            let mut out = match Outbound::connect(*addr, source, name, client, tls, timeout).await {
                Ok(out) => out,
                Err(e) => {
                    last_error = e.0;
                    continue;
                }
            };
            tracing::debug!(host = %name, %addr, source = ?out.local_ip(), "connected");
            if out.ready().await {
                let remote = Remote {
                    host: Some(name.clone()),
                    ip: Some(addr.ip().to_string()),
                    tls: out.tls_version().map(str::to_string),
                };
                return Opened::Conn(Box::new(Conn {
                    out,
                    remote,
                    permit,
                    key,
                    used: 0,
                    counted: ctx.shared.metrics.outbound_opened(),
                }));
            }
            if out.retry_without_tls() && tries < 8 {
                // Broken STARTTLS under the opportunistic policy: same host, no TLS.
                tls_policy = TlsPolicy::Disabled;
                host_iter = hosts.iter();
                continue;
            }
            let failure = out.failure().map(|f| to_attempt(&f));
            if let Some(attempt @ Attempt::PermFail { .. }) = failure {
                let remote = Remote {
                    host: Some(name.clone()),
                    ip: Some(addr.ip().to_string()),
                    tls: None,
                };
                return Opened::Failed(attempt, remote);
            }
            last_error = failure
                .map(|f| f.summary())
                .or(out.closed.clone())
                .unwrap_or_else(|| "connection closed".into());
        }
        if tries > 0 || busy == 0 {
            let attempt = Attempt::TempFail {
                reply: None,
                reason: last_error,
            };
            return Opened::Failed(attempt, Remote::default());
        }
        // Every host is at its cap: no attempt is recorded, the recipients stay ready. Wait
        // for a hand-over on this shard or a released slot on any.
        let mut waiting = ctx.delivery.pool.wait(&addrs);
        let mut host_waiters: Vec<_> = ips
            .iter()
            .map(|ip| ctx.shared.host_limits.wait(*ip))
            .collect();
        let wakers: Vec<&mut event_listener::EventListener> = waiting
            .offered
            .iter_mut()
            .chain(host_waiters.iter_mut().map(|w| &mut w.released))
            .collect();
        let _ = select(
            futures::future::select_all(wakers),
            Box::pin(glommio::timer::sleep(SLOT_RECHECK)),
        )
        .await;
        drop(waiting);
        drop(host_waiters);
        waited = true;
        if ctx.draining.get() || ctx.queue.borrow().ready_count(domain) == 0 {
            return Opened::Nothing;
        }
    }
}

/// Recipients of one message to one domain that go in one transaction (Postfix's
/// `default_destination_recipient_limit`); a server refusing some with `452` defers only those.
const RCPT_BATCH: usize = 50;

/// `item` and the recipients of the same message that are next in the domain's queue (they
/// were queued together, so they are adjacent), up to [`RCPT_BATCH`]: one transaction and one
/// copy of the body for all. A VERP return path is per recipient, so then each goes alone.
/// A recipient of another message popped on the way is left in `carry` for the next round.
async fn gather(
    ctx: &ShardCtx,
    domain: &str,
    item: Loaded,
    carry: &mut Option<Loaded>,
) -> Vec<Loaded> {
    let alone = per_recipient(ctx, &item);
    let mut items = vec![item];
    while !alone && items.len() < RCPT_BATCH {
        let next = ctx.queue.borrow_mut().pop(domain);
        let Some(w) = next else {
            break;
        };
        let Some(next) = load(ctx, domain, w).await else {
            continue;
        };
        if next.entry.message_id != items[0].entry.message_id {
            *carry = Some(next);
            break;
        }
        match suppressed(ctx, &next.entry.recipient) {
            Some(attempt) => record(ctx, &next, &attempt, &Remote::default()).await,
            None => items.push(next),
        }
    }
    items
}

/// Puts a popped but unsent recipient back at the end of its domain's ready queue, keeping
/// what is already loaded for it.
fn requeue(ctx: &ShardCtx, item: &Loaded) {
    let fresh = Some(Arc::new(crate::queue::hot::FreshDelivery {
        entry: item.entry.clone(),
        meta: item.meta.clone(),
        body: item.body.clone(),
    }));
    ctx.enqueue_local(vec![QueuedNotice {
        delivery_id: item.waiting.delivery_id,
        domain_hash: domain_hash(&item.entry.domain),
        domain: item.entry.domain.clone(),
        not_before_ms: now_ms(),
        priority: item.entry.priority,
        fresh,
    }]);
}

/// Sends the domain's ready recipients over `conn`, one at a time, until none are left, the
/// connection is used up, or it is wanted by another domain of the same host.
async fn deliver_on(ctx: &Rc<ShardCtx>, domain: &str, policy: &DomainPolicy, conn: Conn) {
    let Conn {
        mut out,
        remote,
        permit,
        key,
        used,
        counted,
    } = conn;
    let interval = Duration::from_millis(policy.interval_ms);
    let max_messages = policy.max_messages_per_connection.max(1);
    let mut idle_since: Option<std::time::Instant> = None;
    let mut pending: Option<glommio::task::JoinHandle<()>> = None;
    let mut n = used;
    // A recipient popped while gathering a transaction that belongs to the next one.
    let mut carry: Option<Loaded> = None;
    while n < max_messages {
        let next = match carry.take() {
            Some(item) => Some(Ok(item)),
            None => ctx.queue.borrow_mut().pop(domain).map(Err),
        };
        let Some(next) = next else {
            let since = *idle_since.get_or_insert_with(std::time::Instant::now);
            let Some(left) = IDLE_KEEP.checked_sub(since.elapsed()) else {
                break;
            };
            if ctx.draining.get()
                || ctx.delivery.pool.needs(key.addr)
                || ctx
                    .shared
                    .host_limits
                    .yield_for_waiter(key.addr.ip(), ctx.delivery.pool.waiters(key.addr))
            {
                // Someone waits for this host: hand the connection over on this shard, or
                // close it to free its slot for another shard.
                break;
            }
            let event = ctx
                .delivery
                .idle
                .borrow_mut()
                .entry(domain.to_string())
                .or_insert_with(|| Rc::new(event_listener::Event::new()))
                .clone();
            let listener = event.listen();
            let wanted = ctx.delivery.pool.wanted(key.addr);
            if ctx.queue.borrow().ready_count(domain) == 0 {
                let slice = left.min(SLOT_RECHECK);
                let _ = select(
                    listener,
                    select(wanted, Box::pin(glommio::timer::sleep(slice))),
                )
                .await;
            }
            continue;
        };
        idle_since = None;
        let item = match next {
            Ok(item) => item,
            Err(w) => match load(ctx, domain, w).await {
                Some(item) => item,
                None => continue,
            },
        };
        if let Some(attempt) = suppressed(ctx, &item.entry.recipient) {
            record(ctx, &item, &attempt, &Remote::default()).await;
            continue;
        }
        let items = gather(ctx, domain, item, &mut carry).await;
        n += 1;
        if n > 1 && !interval.is_zero() {
            glommio::timer::sleep(interval).await;
        }
        let first = &items[0];
        let head = outgoing_head(ctx, first).await;
        let body = first.body.clone();
        let msg = OutboundMessage {
            mail_from: return_path(ctx, first),
            recipients: items.iter().map(|i| i.entry.recipient.clone()).collect(),
            size: head.len() + body.len(),
            smtputf8: first.meta.smtputf8,
            eight_bit: body.iter().any(|b| *b >= 0x80),
            head,
            body,
        };
        let outcome = out.deliver(msg).await;
        let mut verdicts = outcome
            .map(|o| o.recipients)
            .unwrap_or_default()
            .into_iter();
        let attempts: Vec<Attempt> = items
            .iter()
            .map(|_| {
                verdicts
                    .next()
                    .map(|r| to_attempt(&r.result))
                    .unwrap_or(Attempt::TempFail {
                        reply: None,
                        reason: "connection lost".into(),
                    })
            })
            .collect();
        if out.closed.is_some()
            && (n > 1 || used > 0)
            && attempts
                .iter()
                .all(|a| matches!(a, Attempt::TempFail { reply: None, .. }))
        {
            // A reused connection died without a word about this message: most likely the
            // server closed it while it was idle. That says nothing about the recipient, so
            // no attempt is recorded; it goes back to the ready queue and the next worker
            // takes it over a fresh connection (as Postfix does with dead cached connections).
            // A fresh connection failing the same way records a deferral as usual.
            tracing::debug!(%domain, reason = ?out.closed, "reused connection was dead; retrying the message on a new one");
            for item in &items {
                requeue(ctx, item);
            }
            break;
        }
        // Pipelining of depth one: this outcome's durable write overlaps the next message's
        // transmission. The queue entry is deleted in that write, so a crash before it is
        // durable only means the message is sent again (at least once, as documented).
        if let Some(previous) = pending.take() {
            previous.await;
        }
        let record_ctx = ctx.clone();
        let record_remote = remote.clone();
        pending = Some(
            glommio::spawn_local(async move {
                record_all(&record_ctx, items.iter().zip(&attempts), &record_remote).await;
            })
            .detach(),
        );
        if out.closed.is_some() {
            break;
        }
    }
    if let Some(item) = carry.take() {
        requeue(ctx, &item);
    }
    ctx.delivery.idle.borrow_mut().remove(domain);
    // Hand over before awaiting anything: another idle worker of this host could otherwise
    // see the same waiter and give its connection too.
    let reusable = out.closed.is_none() && n < max_messages && !ctx.draining.get();
    let out = if reusable && ctx.delivery.pool.needs(key.addr) {
        ctx.delivery.pool.park(Conn {
            out,
            remote,
            permit,
            key,
            used: n,
            counted,
        });
        None
    } else {
        Some((out, permit))
    };
    if let Some(previous) = pending.take() {
        previous.await;
    }
    if let Some((out, permit)) = out {
        if out.closed.is_none() {
            out.quit().await;
        }
        drop(permit);
    }
}
