//! The delivery side of a shard: dispatches ready recipients of the shard's domains to
//! per-domain workers, each of which uses one outbound connection (or the sandbox sink), and
//! records every outcome durably before acting on it. Opening connections is `connect`'s;
//! every decision is `delivery::connection_plan`'s.
//!
//! Limits per domain (`max_connections`) are counted process-wide (`delivery::domain_limits`):
//! a hot domain is queued on every shard (`queue::spread`), and each worker holds one slot of
//! its domain from before it connects until it ends, so the limit is exact over all shards.

use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use futures::future::select;

use super::connect::{close_all, open_connection, route, Conn, Opened, Route, SLOT_RECHECK};
use super::envelope::{outgoing_head, per_recipient, return_path};
use super::outcomes::{fail_ready, load, record, record_all, sandbox_worker, suppressed, Loaded};
use super::shaping;
use super::shard::ShardCtx;
use crate::config::DomainPolicy;
use crate::delivery::connection_plan::{
    after_use, dead_reused, idle_action, outbound_message, verdicts, AfterUse, IdleAction,
};
use crate::delivery::pool::{ConnPool, PARK_KEEP};
use crate::delivery::Remote;
use crate::intake::QueuedNotice;
use crate::storage::keys::domain_hash;

/// How long an idle outbound connection waits for more mail for its domain before QUIT.
/// Mail for a domain tends to come in runs; keeping the session saves a TCP + TLS + EHLO
/// handshake per message (the same idea as Postfix's connection cache).
const IDLE_KEEP: Duration = Duration::from_millis(1000);

/// Shard-local delivery state.
#[derive(Default)]
pub(super) struct DeliveryState {
    /// Workers (connections) active per domain on this shard.
    pub(super) active: std::cell::RefCell<HashMap<String, usize>>,
    /// Domains this shard was refused a slot for (`DomainLimits` keeps it starved until it
    /// gets one or has no ready mail left for the domain).
    waiting: std::cell::RefCell<std::collections::HashSet<String>>,
    /// Wakes the dispatcher when new work arrives or a worker ends.
    pub(super) wake: event_listener::Event,
    /// Round-robin position over each domain policy's `source_ips`.
    pub(super) source_rr: std::cell::Cell<usize>,
    /// Idle workers wait here, per domain, for more recipients.
    idle: std::cell::RefCell<HashMap<String, Rc<event_listener::Event>>>,
    /// Connections handed over between domains that share a host.
    pub(super) pool: ConnPool<Conn>,
    /// The shaper's clear count this shard last acted on (`shaping::release_if_cleared`).
    pub(super) shaping_clears: std::cell::Cell<u64>,
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
        // be missed (event_listener only wakes listeners registered at notify time). The same
        // for a slot of a domain this shard waits for, freed on another shard.
        let listener = ctx.delivery.wake.listen();
        let released = ctx.shared.domain_limits.released();
        let now = ctx.now_ms();
        let expired = ctx.delivery.pool.expired(PARK_KEEP, now);
        close_all(expired);
        super::shaping::release_if_cleared(&ctx);
        let ready = {
            let mut q = ctx.queue.borrow_mut();
            q.advance(now);
            q.ready_domains()
        };
        start_workers(&ctx, ready);
        let next_due = ctx.queue.borrow().next_due();
        let wait_ms = next_due.map_or(1000, |due| due.saturating_sub(now).clamp(1, 1000));
        let sleep = Box::pin(glommio::timer::sleep(Duration::from_millis(wait_ms)));
        let _ = select(listener, select(released, sleep)).await;
    }
}

/// Starts workers for the ready domains, as many as their ready recipients here need (one per
/// `max_messages_per_connection`), each holding a slot of its domain's `max_connections`
/// counted over all shards; a domain whose slots are taken waits for a release.
fn start_workers(ctx: &Rc<ShardCtx>, ready: Vec<(String, usize)>) {
    let limits = &ctx.shared.domain_limits;
    let waited = std::mem::take(&mut *ctx.delivery.waiting.borrow_mut());
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
        let hash = domain_hash(&domain);
        for _ in active..wanted {
            let Some(permit) = limits.try_acquire(hash, policy.max_connections, ctx.index) else {
                ctx.delivery.waiting.borrow_mut().insert(domain.clone());
                break;
            };
            *ctx.delivery
                .active
                .borrow_mut()
                .entry(domain.clone())
                .or_default() += 1;
            let worker_ctx = ctx.clone();
            let d = domain.clone();
            glommio::spawn_local(async move {
                domain_worker(&worker_ctx, &d).await;
                drop(permit);
                if let Some(n) = worker_ctx.delivery.active.borrow_mut().get_mut(&d) {
                    *n = n.saturating_sub(1);
                }
                worker_ctx.delivery.wake.notify(1);
            })
            .detach();
        }
    }
    // Domains refused before and not now (served, or nothing left to send here) stop holding
    // back the other shards.
    for d in waited {
        if !ctx.delivery.waiting.borrow().contains(&d) {
            limits.not_waiting(domain_hash(&d), ctx.index);
        }
    }
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
    let site = {
        let settings = ctx.settings();
        let names: Vec<&str> = hosts.iter().map(|(n, _)| n.as_str()).collect();
        crate::shaping::site_key(&settings.shaping, domain, &names)
    };
    match open_connection(ctx, domain, &hosts, &policy, &site).await {
        Opened::Conn(conn) => deliver_on(ctx, domain, &policy, &site, *conn).await,
        Opened::Failed(attempt, remote) => {
            shaping::observe(ctx, &site, None, domain, [&attempt]);
            fail_ready(ctx, domain, &attempt, &remote).await;
        }
        Opened::Hold(until_ms, why) => shaping::hold(ctx, domain, until_ms, &format!("{why:?}")),
        Opened::Bounce(reason) => {
            let attempt = shaping::bounce_attempt(reason);
            fail_ready(ctx, domain, &attempt, &Remote::default()).await;
        }
        Opened::Nothing => {}
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
        not_before_ms: ctx.now_ms(),
        priority: item.entry.priority,
        fresh,
    }]);
}

/// A worker's use of one connection: the session, what is in flight, and what was popped
/// for the next transaction.
struct OnConn {
    conn: Conn,
    /// Messages sent on the connection, by this worker and before.
    sent: usize,
    /// The previous transaction's outcome write (overlaps the next transmission).
    pending: Option<glommio::task::JoinHandle<()>>,
    /// A recipient popped while gathering a transaction that belongs to the next one.
    carry: Option<Loaded>,
    /// Since when no recipient was ready (ms, the shard's clock).
    idle_since: Option<u64>,
}

/// Sends the domain's ready recipients over `conn`, one transaction at a time, until none are
/// left, the connection is used up or closed, or another domain of the same host wants it.
async fn deliver_on(
    ctx: &Rc<ShardCtx>,
    domain: &str,
    policy: &DomainPolicy,
    site: &crate::shaping::SiteKey,
    conn: Conn,
) {
    let interval = Duration::from_millis(policy.interval_ms);
    let max_messages = site_messages_per_connection(ctx, site)
        .map_or(policy.max_messages_per_connection, |m| {
            m.min(policy.max_messages_per_connection)
        })
        .max(1);
    let reused = conn.used > 0;
    let mut s = OnConn {
        sent: conn.used,
        conn,
        pending: None,
        carry: None,
        idle_since: None,
    };
    while s.sent < max_messages {
        let Some(item) = next_item(ctx, domain, &mut s).await else {
            break;
        };
        let items = gather(ctx, domain, item, &mut s.carry).await;
        if let shaping::Pace::Stop = shaping::pace(ctx, site, s.conn.source).await {
            for item in &items {
                requeue(ctx, item);
            }
            break;
        }
        s.sent += 1;
        if s.sent > 1 && !interval.is_zero() {
            glommio::timer::sleep(interval).await;
        }
        let first = &items[0];
        let head = outgoing_head(ctx, first).await;
        let recipients = items.iter().map(|i| i.entry.recipient.clone()).collect();
        let msg = outbound_message(
            return_path(ctx, first),
            recipients,
            head,
            first.body.clone(),
            first.meta.smtputf8,
        );
        let outcome = s.conn.out.deliver(msg).await;
        let closed = s.conn.out.closed.clone();
        let attempts = verdicts(items.len(), outcome, closed.as_deref());
        shaping::observe(ctx, site, s.conn.source, domain, &attempts);
        if dead_reused(closed.is_some(), reused || s.sent > 1, &attempts) {
            tracing::debug!(%domain, reason = ?closed, "reused connection was dead; retrying the message on a new one");
            for item in &items {
                requeue(ctx, item);
            }
            break;
        }
        // Pipelining of depth one: this outcome's durable write overlaps the next message's
        // transmission. The queue entry is deleted in that write, so a crash before it is
        // durable only means the message is sent again (at least once, as documented).
        if let Some(previous) = s.pending.take() {
            previous.await;
        }
        let (record_ctx, remote) = (ctx.clone(), s.conn.remote.clone());
        s.pending = Some(
            glommio::spawn_local(async move {
                record_all(&record_ctx, items.iter().zip(&attempts), &remote).await;
            })
            .detach(),
        );
        if closed.is_some() {
            break;
        }
    }
    release(ctx, domain, s, max_messages).await;
}

/// The site's `messages_per_connection` when shaping is on and it sets one.
fn site_messages_per_connection(ctx: &ShardCtx, site: &crate::shaping::SiteKey) -> Option<usize> {
    let settings = ctx.settings();
    let plan = &settings.shaping;
    plan.enabled
        .then(|| plan.limits(&site.site).messages_per_connection)
        .flatten()
}

/// The next recipient to send over the connection (loaded, not suppressed), waiting while the
/// domain has none ready; `None` when the worker should stop using the connection.
async fn next_item(ctx: &ShardCtx, domain: &str, s: &mut OnConn) -> Option<Loaded> {
    loop {
        let next = match s.carry.take() {
            Some(item) => Some(Ok(item)),
            None => ctx.queue.borrow_mut().pop(domain).map(Err),
        };
        let Some(next) = next else {
            let now = ctx.now_ms();
            let idle = Duration::from_millis(now.saturating_sub(*s.idle_since.get_or_insert(now)));
            let addr = s.conn.key.addr;
            let action = idle_action(idle, IDLE_KEEP, SLOT_RECHECK, || {
                // Someone waits for this host: hand the connection over on this shard, or
                // close it to free its slot for another shard.
                ctx.draining.get()
                    || ctx.delivery.pool.needs(addr)
                    || ctx
                        .shared
                        .host_limits
                        .yield_for_waiter(addr.ip(), ctx.delivery.pool.waiters(addr))
            });
            let IdleAction::Wait(slice) = action else {
                return None;
            };
            let event = ctx
                .delivery
                .idle
                .borrow_mut()
                .entry(domain.to_string())
                .or_insert_with(|| Rc::new(event_listener::Event::new()))
                .clone();
            // Listen before looking at the queue, so a push in between is not missed.
            let listener = event.listen();
            let wanted = ctx.delivery.pool.wanted(addr);
            if ctx.queue.borrow().ready_count(domain) == 0 {
                let sleep = Box::pin(glommio::timer::sleep(slice));
                let _ = select(listener, select(wanted, sleep)).await;
            }
            continue;
        };
        s.idle_since = None;
        let item = match next {
            Ok(item) => item,
            Err(w) => match load(ctx, domain, w).await {
                Some(item) => item,
                None => continue,
            },
        };
        match suppressed(ctx, &item.entry.recipient) {
            Some(attempt) => record(ctx, &item, &attempt, &Remote::default()).await,
            None => return Some(item),
        }
    }
}

/// Ends a worker's use of its connection: the carried recipient back to the queue, the
/// connection parked for a waiter of the same host, or closed (`connection_plan::after_use`).
async fn release(ctx: &ShardCtx, domain: &str, mut s: OnConn, max_messages: usize) {
    if let Some(item) = s.carry.take() {
        requeue(ctx, &item);
    }
    ctx.delivery.idle.borrow_mut().remove(domain);
    // Decide and hand over before awaiting anything: another idle worker of this host could
    // otherwise see the same waiter and give its connection too.
    let fate = after_use(
        s.conn.out.closed.is_some(),
        s.sent,
        max_messages,
        ctx.draining.get(),
        ctx.delivery.pool.needs(s.conn.key.addr),
    );
    let conn = if fate == AfterUse::Park {
        s.conn.used = s.sent;
        ctx.delivery.pool.park(s.conn, ctx.now_ms());
        None
    } else {
        Some(s.conn)
    };
    if let Some(previous) = s.pending.take() {
        previous.await;
    }
    if let Some(conn) = conn {
        if fate == AfterUse::Quit {
            conn.out.quit().await;
        }
        drop(conn.permit);
    }
}
