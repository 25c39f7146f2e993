//! The operation log from the API's side: [`Audit`] turns "who, from where, did what" into the
//! writes of one entry (`storage::oplog`), which each handler puts into the batch of the change
//! it describes — so a change is never stored without its entry, nor an entry without its
//! change — and `oplog.search` reads them back.
//!
//! What is recorded: every login (`login`, `login_failed` with the reason, `locked` when the
//! attempt locked the account), `logout`, and every call of a method that changes something
//! under the method's name (`settings.set/apply/rollback` with the diff, `users.*`,
//! `blocks.add/remove`, `dkim.*`, `smime.*`, `webhooks.*`, `queue.force_send`). Reads are not
//! recorded, nor is sending (the delivery log has it). A call that fails records nothing: the
//! change did not happen — except a failed login, which is the point.

use std::net::IpAddr;

use hikyaku_rpc::types::oplog::{ActorKind as WireKind, OplogEntry, OplogPage, OplogQuery};
use serde_json::Value;

use super::auth::Caller;
use super::reports::page_limit;
use super::time::{format_ms, parse_ms};
use super::{lock, ApiContext, ApiError};
use crate::clock::now_ms;
use crate::ids::Id;
use crate::storage::oplog::{self, ActorKind, Filter, OplogRecord};
use crate::storage::{Op, Store};

/// Who is acting, from where, and the action's name: an entry waiting for its target and
/// details.
#[derive(Debug, Clone)]
pub(crate) struct Audit {
    actor: String,
    kind: ActorKind,
    ip: IpAddr,
    action: &'static str,
}

impl Audit {
    /// The caller of a method doing `action`.
    pub(crate) fn new(caller: &Caller, ip: IpAddr, action: &'static str) -> Self {
        let (actor, kind) = match caller {
            Caller::Account { name, .. } => (name.clone(), ActorKind::Account),
            Caller::ApiUser { name, .. } => (name.clone(), ActorKind::ApiUser),
            Caller::Anonymous => (String::new(), ActorKind::Anonymous),
        };
        Self {
            actor,
            kind,
            ip,
            action,
        }
    }

    /// A login attempt naming `account` (the caller has no credential yet).
    pub(crate) fn login(account: &str, ip: IpAddr, action: &'static str) -> Self {
        Self {
            actor: account.to_string(),
            kind: ActorKind::Account,
            ip,
            action,
        }
    }

    /// The writes of this entry, now, with `target` and `details` (`Value::Null`: none).
    pub(crate) fn ops(
        &self,
        ctx: &ApiContext,
        target: Option<&str>,
        details: Value,
    ) -> Result<Vec<Op>, ApiError> {
        let now = now_ms();
        let id = lock(&ctx.ids).next(now);
        let record = OplogRecord {
            time_ms: now,
            actor: self.actor.clone(),
            kind: self.kind,
            ip: self.ip.to_string(),
            action: self.action.to_string(),
            target: target.map(str::to_string),
            details,
        };
        Ok(oplog::append_ops(
            id,
            &record,
            ctx.config().accounts.oplog_retention_days,
        )?)
    }

    /// Writes the entry on its own (synced), for changes that are not one batch of ours: a
    /// force send (a message to the shards) or a replay (many batches), recorded right after.
    pub(crate) async fn record(
        &self,
        ctx: &ApiContext,
        target: Option<&str>,
        details: Value,
    ) -> Result<(), ApiError> {
        let ops = self.ops(ctx, target, details)?;
        ctx.committer.commit(ops).await?;
        Ok(())
    }
}

fn wire_kind(k: ActorKind) -> WireKind {
    match k {
        ActorKind::Account => WireKind::Account,
        ActorKind::ApiUser => WireKind::ApiUser,
        ActorKind::Anonymous => WireKind::Anonymous,
    }
}

/// `oplog.search`.
pub(crate) fn search(
    store: &Store,
    retention_days: u64,
    q: &OplogQuery,
) -> Result<OplogPage, ApiError> {
    let to_ms = match q.to.as_deref() {
        Some(t) => parse_ms("to", t)?,
        None => now_ms() + 60_000,
    };
    let from_ms = match q.from.as_deref() {
        // Everything kept (a day more than the retention: the purge runs once a day).
        None => to_ms.saturating_sub(retention_days.saturating_add(1).saturating_mul(86_400_000)),
        Some(t) => parse_ms("from", t)?,
    };
    if from_ms >= to_ms {
        return Err(ApiError::invalid("from", "must be before to"));
    }
    let limit = page_limit(q.limit, 100, 1000)? as usize;
    let after =
        match q.cursor.as_deref() {
            None => None,
            Some(c) => Some(Id::parse(c).ok_or_else(|| {
                ApiError::invalid("cursor", "not a cursor returned by this method")
            })?),
        };
    let filter = Filter {
        from_ms,
        to_ms,
        actor: q.account.clone(),
        action: q.action.clone(),
        after,
        limit,
    };
    let (found, corrupt) = oplog::search(store, &filter)?;
    if corrupt > 0 {
        tracing::warn!(corrupt, "operation-log search skipped unreadable entries");
    }
    let next_cursor = (found.len() == limit)
        .then(|| found.last().map(|(id, _)| id.to_string()))
        .flatten();
    Ok(OplogPage {
        entries: found
            .into_iter()
            .map(|(_, r)| OplogEntry {
                time: format_ms(r.time_ms),
                account: r.actor,
                kind: wire_kind(r.kind),
                ip: r.ip,
                action: r.action,
                target: r.target,
                details: r.details,
            })
            .collect(),
        next_cursor,
    })
}
