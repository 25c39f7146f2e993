//! Recording delivery outcomes, and loading what a delivery needs.
//!
//! Every outcome is one batch through the group committer (delivery-log record with its
//! indexes, the queue entry removed or updated) before the in-memory queue changes; when many
//! recipients get an outcome at once (an unreachable domain, the sandbox) they share one batch
//! of up to [`RECORD_BATCH`]. Loading takes what intake handed along (`queue::hot`) or reads
//! the spool.

use std::sync::Arc;

use hikyaku_smtp::client::DeliveryResult;

use super::shard::ShardCtx;
use crate::clock::now_ms;
use crate::delivery::{decide, decision_ops, Attempt, Remote, RetryPolicy};
use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::queue::Waiting;
use crate::storage::keys::{domain_hash, queue_key};
use crate::storage::{Cf, MessageMeta, Op, QueueEntry};
use crate::suppression;

/// A recipient loaded for delivery.
pub(super) struct Loaded {
    pub(super) waiting: Waiting,
    pub(super) entry: QueueEntry,
    pub(super) meta: Option<Arc<MessageMeta>>,
    pub(super) body: Arc<[u8]>,
}

pub(super) fn load(ctx: &ShardCtx, domain: &str, w: Waiting) -> Option<Loaded> {
    if let Some(fresh) = ctx.hot.borrow_mut().take(w.delivery_id.0) {
        return Some(Loaded {
            waiting: w,
            entry: fresh.entry.clone(),
            meta: Some(fresh.meta.clone()),
            body: fresh.body.clone(),
        });
    }
    let store = &ctx.shared.store;
    let key = queue_key(domain_hash(domain), w.delivery_id);
    let entry: QueueEntry = match store.get(Cf::Queue, &key) {
        Ok(Some(v)) => serde_json::from_slice(&v).ok()?,
        _ => return None,
    };
    let mid = Id::parse(&entry.message_id)?;
    let meta = store
        .get(Cf::MessageMeta, &mid.to_be_bytes())
        .ok()
        .flatten()
        .and_then(|v| serde_json::from_slice(&v).ok())
        .map(Arc::new);
    let body: Arc<[u8]> = store
        .get(Cf::Messages, &mid.to_be_bytes())
        .ok()
        .flatten()
        .map(Arc::from)
        .unwrap_or_else(|| Arc::from(Vec::new()));
    Some(Loaded {
        waiting: w,
        entry,
        meta,
        body,
    })
}

/// The writes recording `attempt` for `item`, and the queue notice when it is retried later.
fn outcome_ops(
    ctx: &ShardCtx,
    item: &Loaded,
    attempt: &Attempt,
    remote: &Remote,
    now: u64,
) -> Option<(Vec<Op>, Option<QueuedNotice>)> {
    let config = ctx.config();
    let d = &config.delivery;
    let policy = RetryPolicy {
        first_ms: d.retry_first_secs * 1000,
        max_ms: d.retry_max_secs * 1000,
        give_up_after_ms: d.give_up_after_secs * 1000,
    };
    let decision = decide(
        attempt,
        item.entry.attempts.saturating_add(1),
        item.entry.created_ms,
        now,
        &policy,
        &ctx.classifier.borrow(),
    );
    match decision_ops(&item.entry, item.meta.as_deref(), &decision, remote, now) {
        Ok((ops, next)) => Some((
            ops,
            next.map(|next| QueuedNotice {
                delivery_id: item.waiting.delivery_id,
                domain_hash: domain_hash(&next.domain),
                domain: next.domain.clone(),
                not_before_ms: next.not_before_ms,
                priority: next.priority,
                fresh: None,
            }),
        )),
        Err(e) => {
            tracing::error!(error = %e, "encoding a delivery record failed");
            None
        }
    }
}

/// Records each `(item, attempt)` durably in one batch, then requeues the deferred ones. One
/// fsync for a whole batch matters when a domain fails: every ready recipient gets the same
/// outcome at once.
pub(super) async fn record_all<'a>(
    ctx: &ShardCtx,
    items: impl IntoIterator<Item = (&'a Loaded, &'a Attempt)>,
    remote: &Remote,
) {
    let now = now_ms();
    let mut ops = Vec::new();
    let mut notices = Vec::new();
    for (item, attempt) in items {
        if let Some((mut item_ops, notice)) = outcome_ops(ctx, item, attempt, remote, now) {
            ops.append(&mut item_ops);
            notices.extend(notice);
        }
    }
    if ops.is_empty() {
        return;
    }
    if let Err(e) = ctx.shared.committer.commit(ops).await {
        // Not recorded: the entries stay as they were on disk and are retried after a restart.
        tracing::error!(error = %e, "recording delivery outcomes failed");
        return;
    }
    let mut queue = ctx.queue.borrow_mut();
    for notice in notices {
        queue.push_at(notice, now);
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

pub(super) fn to_attempt(result: &DeliveryResult) -> Attempt {
    match result {
        DeliveryResult::Delivered { reply } => Attempt::Delivered {
            reply: reply.to_string(),
        },
        DeliveryResult::TempFail { reply, reason } => Attempt::TempFail {
            reply: reply.as_ref().map(ToString::to_string),
            reason: reason.clone(),
        },
        DeliveryResult::PermFail { reply } => Attempt::PermFail {
            code: reply.code,
            enhanced: reply.enhanced.clone(),
            text: reply.text.clone(),
        },
    }
}

/// Gives every ready recipient of `domain` the same outcome (the domain is unreachable).
pub(super) async fn fail_ready(ctx: &ShardCtx, domain: &str, attempt: &Attempt, remote: &Remote) {
    let batch: Vec<Waiting> = {
        let mut q = ctx.queue.borrow_mut();
        std::iter::from_fn(|| q.pop(domain)).collect()
    };
    for chunk in batch.chunks(RECORD_BATCH) {
        let items: Vec<(Loaded, Attempt)> = chunk
            .iter()
            .filter_map(|w| load(ctx, domain, *w))
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
        let items: Vec<(Loaded, Attempt)> = batch
            .into_iter()
            .filter_map(|w| load(ctx, domain, w))
            .map(|item| {
                let outcome = suppressed(ctx, &item.entry.recipient)
                    .unwrap_or_else(|| ctx.sandbox.borrow().deliver(&item.entry.recipient));
                (item, outcome)
            })
            .collect();
        record_all(ctx, items.iter().map(|(i, a)| (i, a)), &remote).await;
    }
}
