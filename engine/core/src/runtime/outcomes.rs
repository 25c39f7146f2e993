//! Recording delivery outcomes, and loading what a delivery needs.
//!
//! Every outcome is one batch through the group committer (delivery-log record with its
//! indexes, for failures an error-log record and the blocking-error count, the queue entry
//! removed or updated) before the in-memory queue changes; when many recipients get an outcome
//! at once (an unreachable domain, the sandbox) they share one batch of up to
//! [`RECORD_BATCH`]. Automatic blocking is decided after that commit ([`auto_block`]).
//! Loading takes what intake handed along (`queue::hot`) or reads the spool with typed reads
//! on the blocking pool ([`load_many`]); a damaged delivery is never sent.

use std::sync::Arc;

use super::shard::ShardCtx;
use crate::delivery::plan::{plan_outcome, Planned};
use crate::delivery::{damaged_ops, Attempt, Remote};
use crate::intake::QueuedNotice;
use crate::queue::Waiting;
use crate::storage::keys::domain_hash;
use crate::storage::spool::{read_delivery, Damage, DeliveryRead};
use crate::storage::{DeliveryStatus, MessageMeta, Op, QueueEntry};
use crate::suppression::{self, Counted};

/// A recipient loaded for delivery: every part present and decoded.
pub(super) struct Loaded {
    pub(super) waiting: Waiting,
    pub(super) entry: QueueEntry,
    pub(super) meta: Arc<MessageMeta>,
    pub(super) body: Arc<[u8]>,
}

/// How long a recipient whose spool read failed (I/O, not damage) waits before the next try.
const READ_RETRY_MS: u64 = 30_000;

/// How long a recipient whose outcome could not be recorded (a full disk) waits before it is
/// tried again. Its queue entry on disk is unchanged, so trying again is always right; leaving
/// it out of the queue would wedge it until a restart.
const RECORD_RETRY_MS: u64 = 10_000;

/// Loads one recipient; `None` when there is nothing to send (see [`load_many`]).
pub(super) async fn load(ctx: &ShardCtx, domain: &str, w: Waiting) -> Option<Loaded> {
    load_many(ctx, domain, vec![w]).await.pop()
}

/// Loads recipients for delivery: what intake handed along (`queue::hot`) at once, the rest
/// read from the spool on the blocking pool (one hop for the whole batch), so a cold read —
/// a blob file, a block not in the cache — never stalls the shard's other connections.
/// What cannot be sent is dealt with here and left out of the result: a recipient whose queue
/// entry is gone was finished meanwhile; a damaged one is recorded `failed` and kept for
/// inspection ([`record_damaged`]); one whose read failed is retried after [`READ_RETRY_MS`].
pub(super) async fn load_many(ctx: &ShardCtx, domain: &str, ws: Vec<Waiting>) -> Vec<Loaded> {
    let mut out = Vec::with_capacity(ws.len());
    let mut cold = Vec::new();
    {
        let mut hot = ctx.hot.borrow_mut();
        for w in ws {
            match hot.take(w.delivery_id.0) {
                Some(fresh) => out.push(Loaded {
                    waiting: w,
                    entry: fresh.entry.clone(),
                    meta: fresh.meta.clone(),
                    body: fresh.body.clone(),
                }),
                None => cold.push(w),
            }
        }
    }
    if cold.is_empty() {
        return out;
    }
    let store = ctx.shared.store.clone();
    let owned_domain = domain.to_string();
    let reads = glommio::executor()
        .spawn_blocking(move || {
            cold.into_iter()
                .map(|w| (w, read_delivery(&store, &owned_domain, w.delivery_id)))
                .collect::<Vec<_>>()
        })
        .await;
    let mut damaged = Vec::new();
    let mut retry = Vec::new();
    for (w, read) in reads {
        match read {
            Ok(DeliveryRead::Ready(s)) => out.push(Loaded {
                waiting: w,
                entry: s.entry,
                meta: s.meta,
                body: s.body,
            }),
            Ok(DeliveryRead::Gone) => {}
            Ok(DeliveryRead::Damaged(d)) => damaged.push(d),
            Err(e) => {
                tracing::warn!(error = %e, delivery = %w.delivery_id, "spool read failed; retried later");
                retry.push(QueuedNotice {
                    delivery_id: w.delivery_id,
                    domain_hash: domain_hash(domain),
                    domain: domain.to_string(),
                    not_before_ms: ctx.now_ms().saturating_add(READ_RETRY_MS),
                    priority: 1,
                    fresh: None,
                });
            }
        }
    }
    if !retry.is_empty() {
        ctx.enqueue_local(retry);
    }
    if !damaged.is_empty() {
        record_damaged(ctx, &damaged).await;
    }
    out
}

/// Records damaged deliveries: `failed` (error status 99) with the damage named, the queue
/// entry removed, the raw entry kept under `damaged/` (counted by `system.status`).
pub(super) async fn record_damaged(ctx: &ShardCtx, damaged: &[Damage]) {
    let now = ctx.now_ms();
    let mut ops = Vec::new();
    for d in damaged {
        tracing::error!(delivery = %d.delivery, domain = %d.domain, reason = %d.reason, "damaged spool entry: not sent, recorded failed");
        match damaged_ops(d, now) {
            Ok(mut o) => ops.append(&mut o),
            Err(e) => tracing::error!(error = %e, "encoding a damaged-delivery record failed"),
        }
    }
    match ctx.shared.committer.commit(ops).await {
        Ok(()) => {
            // Their queue time is unknown (the entry did not decode): counted, latency 0.
            for _ in damaged {
                ctx.shared
                    .metrics
                    .outcome(crate::metrics::Outcome::Failed, Some(99), now, now);
            }
        }
        // Not recorded: the entries stay in the queue on disk and are looked at after a restart.
        Err(e) => tracing::error!(error = %e, "recording damaged deliveries failed"),
    }
}

/// What recording one outcome writes and leads to.
struct OutcomeOps {
    ops: Vec<Op>,
    /// The queue notice when the recipient is retried later.
    retry: Option<QueuedNotice>,
    /// A blocking error counted (the counter merge is in `ops`).
    counted: Option<Counted>,
    /// What `/metrics` counts once the batch is durable: outcome, error status, queue time.
    metric: Option<(crate::metrics::Outcome, Option<u8>, u64)>,
}

/// The writes recording `attempt` for `item` at `now` (`delivery::plan`).
fn outcome_ops(
    ctx: &ShardCtx,
    item: &Loaded,
    attempt: &Attempt,
    remote: &Remote,
    now: u64,
) -> Option<OutcomeOps> {
    let settings = ctx.settings();
    let config = &settings.config;
    let planned = plan_outcome(
        item.waiting.delivery_id,
        &item.entry,
        Some(&item.meta),
        attempt,
        remote,
        &settings.retry,
        &settings.classifier,
        now,
    );
    let Planned {
        decision,
        mut ops,
        retry,
    } = match planned {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "encoding a delivery record failed");
            return None;
        }
    };
    // Synchronous failures count towards automatic blocking exactly as bounces do.
    let counted = match (decision.status, decision.error_status) {
        (DeliveryStatus::Failed, Some(status))
            if config.bounce.block_statuses.contains(&status) =>
        {
            ops.push(suppression::count_error_op(&item.entry.recipient));
            Some(Counted {
                address: item.entry.recipient.clone(),
                error_status: status,
                reason: hikyaku_bounce::ErrorStatus::from_u8(status)
                    .map_or("other", hikyaku_bounce::ErrorStatus::reason)
                    .to_string(),
                source: crate::bounces::ErrorSource::Smtp.as_str(),
            })
        }
        _ => None,
    };
    Some(OutcomeOps {
        ops,
        retry,
        counted,
        metric: crate::metrics::Outcome::of_status(decision.status)
            .map(|o| (o, decision.error_status, item.entry.created_ms)),
    })
}

/// Records each `(item, attempt)` durably in one batch, then requeues the deferred ones. One
/// fsync for a whole batch matters when a domain fails: every ready recipient gets the same
/// outcome at once.
pub(super) async fn record_all<'a>(
    ctx: &ShardCtx,
    items: impl IntoIterator<Item = (&'a Loaded, &'a Attempt)>,
    remote: &Remote,
) {
    let now = ctx.now_ms();
    let mut ops = Vec::new();
    let mut notices = Vec::new();
    let mut counted = Vec::new();
    let mut tally = crate::metrics::OutcomeTally::default();
    let mut again = Vec::new();
    for (item, attempt) in items {
        again.push(QueuedNotice {
            delivery_id: item.waiting.delivery_id,
            domain_hash: domain_hash(&item.entry.domain),
            domain: item.entry.domain.clone(),
            not_before_ms: now.saturating_add(RECORD_RETRY_MS),
            priority: item.entry.priority,
            fresh: None,
        });
        if let Some(mut o) = outcome_ops(ctx, item, attempt, remote, now) {
            ops.append(&mut o.ops);
            notices.extend(o.retry);
            counted.extend(o.counted);
            if let Some((outcome, error_status, queued_ms)) = o.metric {
                tally.add(outcome, error_status, queued_ms, now);
            }
        }
    }
    if ops.is_empty() {
        return;
    }
    if let Err(e) = ctx.shared.committer.commit(ops).await {
        // Not recorded: the entries stay as they were on disk; try them again later (a message
        // delivered meanwhile may then be delivered twice — at least once, never lost).
        tracing::error!(error = %e, retry_in_ms = RECORD_RETRY_MS, "recording delivery outcomes failed");
        let mut queue = ctx.queue.borrow_mut();
        for notice in again {
            queue.push_at(notice, now);
        }
        return;
    }
    ctx.shared.metrics.apply(&tally);
    {
        let mut queue = ctx.queue.borrow_mut();
        for notice in notices {
            queue.push_at(notice, now);
        }
    }
    auto_block(ctx, counted).await;
}

/// Automatic blocking after blocking errors were counted and committed (`suppression::
/// auto_block`): reads the merged counters on the blocking pool and commits the block-list
/// entries of those that reached the threshold. Shared by delivery outcomes and received
/// bounces, so both count the same way.
pub(super) async fn auto_block(ctx: &ShardCtx, counted: Vec<Counted>) {
    if counted.is_empty() {
        return;
    }
    let threshold = ctx.config().bounce.block_after;
    let store = ctx.shared.store.clone();
    let now = ctx.now_ms();
    let decided = glommio::executor()
        .spawn_blocking(move || suppression::auto_block(&store, &counted, threshold, now))
        .await;
    match decided {
        Ok((ops, blocked)) if !ops.is_empty() => match ctx.shared.committer.commit(ops).await {
            Ok(()) => {
                for b in blocked {
                    tracing::info!(recipient = %b, "auto-blocked");
                }
            }
            Err(e) => tracing::error!(error = %e, "writing automatic blocks failed"),
        },
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "reading error counters failed"),
    }
}

/// Records `attempt` for `item` durably, then updates the in-memory queue.
pub(super) async fn record(ctx: &ShardCtx, item: &Loaded, attempt: &Attempt, remote: &Remote) {
    record_all(ctx, [(item, attempt)], remote).await;
}

/// Recipients recorded per batch when many get an outcome at once (bounds the batch size).
const RECORD_BATCH: usize = 256;

/// Suppression check: blocked/unsubscribed recipients fail without any connection.
pub(super) fn suppressed(ctx: &ShardCtx, recipient: &str) -> Option<Attempt> {
    match suppression::check(&ctx.shared.store, recipient) {
        Ok(Some(suppression::List::Blocked)) => Some(Attempt::Blocked),
        Ok(Some(suppression::List::Unsubscribed)) => Some(Attempt::Unsubscribed),
        _ => None,
    }
}

/// Gives every ready recipient of `domain` the same outcome (the domain is unreachable).
pub(super) async fn fail_ready(ctx: &ShardCtx, domain: &str, attempt: &Attempt, remote: &Remote) {
    let batch: Vec<Waiting> = {
        let mut q = ctx.queue.borrow_mut();
        std::iter::from_fn(|| q.pop(domain)).collect()
    };
    for chunk in batch.chunks(RECORD_BATCH) {
        let items: Vec<(Loaded, Attempt)> = load_many(ctx, domain, chunk.to_vec())
            .await
            .into_iter()
            .map(|item| {
                let outcome =
                    suppressed(ctx, &item.entry.recipient).unwrap_or_else(|| attempt.clone());
                (item, outcome)
            })
            .collect();
        record_all(ctx, items.iter().map(|(i, a)| (i, a)), remote).await;
    }
}

/// Sandbox: outcomes come from the simulated sink, no network at all; whatever is ready is
/// recorded in batches.
pub(super) async fn sandbox_worker(ctx: &ShardCtx, domain: &str) {
    let remote = Remote {
        host: Some("sandbox".into()),
        ip: None,
        tls: None,
    };
    let settings = ctx.settings();
    loop {
        let batch: Vec<Waiting> = {
            let mut q = ctx.queue.borrow_mut();
            std::iter::from_fn(|| q.pop(domain))
                .take(RECORD_BATCH)
                .collect()
        };
        if batch.is_empty() {
            break;
        }
        let items: Vec<(Loaded, Attempt)> = load_many(ctx, domain, batch)
            .await
            .into_iter()
            .map(|item| {
                let outcome = suppressed(ctx, &item.entry.recipient)
                    .unwrap_or_else(|| settings.sandbox.deliver(&item.entry.recipient));
                (item, outcome)
            })
            .collect();
        record_all(ctx, items.iter().map(|(i, a)| (i, a)), &remote).await;
    }
}
