//! `send.single`: build, check, queue durably, hand to the owning shards. The write is the
//! same one-batch commit as SMTP intake, so a message accepted here survives a crash exactly
//! like one accepted over SMTP.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Mutex;

use hikyaku_rpc::types::send::{DeliveryRef, SendResult, SendSingle};
use hikyaku_smtp::Transaction;

use super::message::{self, Limits, Refused};
use super::{idempotency, lock, rejected, ApiContext, ApiError};
use crate::clock::now_ms;
use crate::intake::{prepare_signed, IntakeContext};
use crate::storage::Op;

/// Keys of calls in flight, so two concurrent calls with one key cannot both send.
#[derive(Default)]
pub(crate) struct InFlight(Mutex<HashSet<String>>);

/// The size and recipient limits of the relay apply to the API too.
pub(crate) fn limits(ctx: &ApiContext) -> Limits {
    let c = ctx.config();
    Limits {
        max_bytes: c.relay.max_message_size_kb.saturating_mul(1024),
        max_recipients: c.relay.max_recipients,
    }
}

/// A fresh Message-ID for a message built here.
pub(crate) fn new_header_message_id(ctx: &ApiContext) -> String {
    let id = lock(&ctx.ids).next(now_ms());
    format!("{id}.api@{}", ctx.hostname)
}

/// One built message to commit and queue, with where it came from.
pub(crate) struct Submission<'a> {
    /// The message and its well-formed recipients.
    pub(crate) tx: &'a Transaction,
    /// Its Message-ID header.
    pub(crate) header_message_id: String,
    /// Tags for the delivery log.
    pub(crate) tags: &'a [String],
    /// The caller's IP address (the delivery log's `source_ip`).
    pub(crate) source_ip: IpAddr,
    /// Recipients refused for their format: logged as failed with status 9 in the same batch.
    pub(crate) refused: &'a [Refused],
    /// Subject as given, for the refused recipients' log records.
    pub(crate) subject: &'a str,
}

/// Commits one built message (plus `extra` writes in the same batch) and queues it.
pub(crate) async fn queue(
    ctx: &ApiContext,
    sub: Submission<'_>,
    extra: impl FnOnce(&SendResult) -> Result<Vec<Op>, ApiError>,
) -> Result<SendResult, ApiError> {
    let now = now_ms();
    let tx = sub.tx;
    let settings = ctx.snapshot();
    let intake_ctx = IntakeContext {
        hostname: &ctx.hostname,
        peer_ip: sub.source_ip,
        tls_version: None,
        tags: sub.tags,
        policy: &settings.policy,
    };
    let signed = smime_sign(ctx, tx, now).await?;
    let (prepared, refused_ids) = {
        let mut ids = lock(&ctx.ids);
        let prepared = prepare_signed(tx, signed, &intake_ctx, &mut ids, now)?;
        let refused_ids: Vec<_> = sub.refused.iter().map(|_| ids.next(now)).collect();
        (prepared, refused_ids)
    };
    let mut ops = prepared.ops;
    let envelope_from = tx
        .mail_from
        .as_ref()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let facts = rejected::Facts {
        message_id: prepared.message_id,
        api_user: tx.auth_user.as_deref(),
        source_ip: sub.source_ip,
        envelope_from: &envelope_from,
        subject: sub.subject,
        size: tx.body.len() as u64,
        tags: sub.tags,
        now_ms: now,
    };
    let mut rejected_list = Vec::with_capacity(sub.refused.len());
    for (r, id) in sub.refused.iter().zip(refused_ids) {
        let (entry, log_ops) = rejected::record(r, id, &facts)?;
        rejected_list.push(entry);
        ops.extend(log_ops);
    }
    let result = SendResult {
        message_id: prepared.message_id.to_string(),
        header_message_id: sub.header_message_id,
        deliveries: tx
            .recipients
            .iter()
            .zip(&prepared.notices)
            .map(|(r, n)| DeliveryRef {
                recipient: r.to_string(),
                delivery_id: n.delivery_id.to_string(),
            })
            .collect(),
        rejected: rejected_list,
        duplicate: false,
    };
    ops.extend(extra(&result)?);
    ctx.committer.commit_new_mail(ops).await.inspect_err(|_| {
        ctx.metrics.refused(
            crate::metrics::Listener::Api,
            crate::metrics::Refusal::Storage,
        );
    })?;
    ctx.metrics
        .accepted(crate::metrics::Listener::Api, prepared.notices.len());
    // Malformed recipients were recorded failed (error status 9) in the same batch.
    for _ in &result.rejected {
        ctx.metrics
            .outcome(crate::metrics::Outcome::Failed, Some(9), now, now);
    }
    // Durable now. If the shards are gone (shutdown) the entries are reloaded at the next
    // start, so the caller's success answer stays true.
    if let Err(e) = ctx.link.enqueue(prepared.notices).await {
        tracing::warn!(error = %e, "queued durably; shards will pick it up at restart");
    }
    Ok(result)
}

/// The S/MIME-signed form of `tx.body` when its header-From has a signer (see
/// `crate::smime`), signed on tokio's blocking pool (about 1 ms of CPU for RSA-2048). A
/// registered sender's mail is never queued unsigned: the call fails instead.
pub(crate) async fn smime_sign(
    ctx: &ApiContext,
    tx: &Transaction,
    now: u64,
) -> Result<Option<Vec<u8>>, ApiError> {
    let Some(slot) = ctx.smime.signer_for_message(&tx.body) else {
        return Ok(None);
    };
    let body = tx.body.clone();
    tokio::task::spawn_blocking(move || crate::smime::sign_with(&slot, &body, now))
        .await
        .map_err(|e| ApiError::Unavailable(format!("worker failed: {e}")))?
        .map_err(ApiError::from)
}

/// Who is sending: the key idempotency records are filed under, the API user, the IP.
pub(crate) struct Sender<'a> {
    /// Key of the caller (see `handlers::caller_key`).
    pub(crate) caller_key: &'a str,
    /// The API user whose mail this is, if the caller is one.
    pub(crate) api_user: Option<&'a str>,
    /// The caller's IP address.
    pub(crate) source_ip: IpAddr,
}

/// `send.single`.
pub(crate) async fn send_single(
    ctx: &ApiContext,
    sender: Sender<'_>,
    p: SendSingle,
) -> Result<SendResult, ApiError> {
    let idem_key = match &p.idempotency_key {
        Some(k) if k.is_empty() || k.len() > 200 => {
            return Err(ApiError::invalid(
                "idempotency_key",
                "must be 1-200 characters",
            ))
        }
        Some(k) => Some(idempotency::key(sender.caller_key, k)),
        None => None,
    };
    let _guard = match &idem_key {
        Some(key) => {
            if let Some(r) = idempotency::lookup(&ctx.store, key, now_ms())? {
                return Ok(SendResult {
                    duplicate: true,
                    ..r
                });
            }
            Some(InFlightGuard::take(&ctx.sending_in_flight, key)?)
        }
        None => None,
    };
    let header_message_id = new_header_message_id(ctx);
    let built = message::build_partial(
        &p,
        sender.api_user,
        &header_message_id,
        now_ms(),
        limits(ctx),
    )?;
    let sub = Submission {
        tx: &built.tx,
        header_message_id,
        tags: &p.tags,
        source_ip: sender.source_ip,
        refused: &built.refused,
        subject: &p.subject,
    };
    queue(ctx, sub, |result| {
        Ok(match &idem_key {
            Some(key) => vec![idempotency::remember_op(key, now_ms(), result)?],
            None => Vec::new(),
        })
    })
    .await
}

/// Holds an idempotency key for the duration of one call.
struct InFlightGuard<'a> {
    set: &'a InFlight,
    key: String,
}

impl<'a> InFlightGuard<'a> {
    fn take(set: &'a InFlight, key: &[u8]) -> Result<Self, ApiError> {
        let key = String::from_utf8_lossy(key).into_owned();
        if !lock(&set.0).insert(key.clone()) {
            return Err(ApiError::Conflict(
                "a call with this idempotency key is in progress".into(),
            ));
        }
        Ok(Self { set, key })
    }
}

impl Drop for InFlightGuard<'_> {
    fn drop(&mut self) {
        lock(&self.set.0).remove(&self.key);
    }
}
