//! `send.single`: build, check, queue durably, hand to the owning shards. The write is the
//! same one-batch commit as SMTP intake, so a message accepted here survives a crash exactly
//! like one accepted over SMTP.

use std::collections::HashSet;
use std::sync::Mutex;

use hikyaku_rpc::types::send::{DeliveryRef, SendResult, SendSingle};
use hikyaku_smtp::Transaction;
use serde::{Deserialize, Serialize};

use super::message::{self, Limits};
use super::{lock, ApiContext, ApiError};
use crate::clock::now_ms;
use crate::intake::{prepare, IntakeContext};
use crate::storage::{Cf, Op};

/// How long an idempotency key is remembered.
const IDEMPOTENCY_MS: u64 = 24 * 3600 * 1000;

/// Keys of calls in flight, so two concurrent calls with one key cannot both send.
#[derive(Default)]
pub(crate) struct InFlight(Mutex<HashSet<String>>);

#[derive(Serialize, Deserialize)]
struct Remembered {
    time_ms: u64,
    result: SendResult,
}

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

/// Commits one built message (plus `extra` writes in the same batch) and queues it.
pub(crate) async fn queue(
    ctx: &ApiContext,
    tx: &Transaction,
    header_message_id: String,
    tags: &[String],
    extra: impl FnOnce(&SendResult) -> Result<Vec<Op>, ApiError>,
) -> Result<SendResult, ApiError> {
    let now = now_ms();
    let intake_ctx = IntakeContext {
        hostname: &ctx.hostname,
        peer_ip: std::net::IpAddr::from([127, 0, 0, 1]),
        tls_version: None,
        tags,
    };
    let prepared = {
        let mut ids = lock(&ctx.ids);
        prepare(tx, &intake_ctx, &mut ids, now)?
    };
    let result = SendResult {
        message_id: prepared.message_id.to_string(),
        header_message_id,
        deliveries: tx
            .recipients
            .iter()
            .zip(&prepared.notices)
            .map(|(r, n)| DeliveryRef {
                recipient: r.to_string(),
                delivery_id: n.delivery_id.to_string(),
            })
            .collect(),
        duplicate: false,
    };
    let mut ops = prepared.ops;
    ops.extend(extra(&result)?);
    ctx.committer.commit(ops).await?;
    // Durable now. If the shards are gone (shutdown) the entries are reloaded at the next
    // start, so the caller's success answer stays true.
    if let Err(e) = ctx.link.enqueue(prepared.notices).await {
        tracing::warn!(error = %e, "queued durably; shards will pick it up at restart");
    }
    Ok(result)
}

/// `send.single`.
pub(crate) async fn send_single(
    ctx: &ApiContext,
    caller_key: &str,
    api_user: Option<&str>,
    p: SendSingle,
) -> Result<SendResult, ApiError> {
    let idem_key = match &p.idempotency_key {
        Some(k) if k.is_empty() || k.len() > 200 => {
            return Err(ApiError::invalid(
                "idempotency_key",
                "must be 1-200 characters",
            ))
        }
        Some(k) => Some(format!("idem/{}/{k}", caller_key.to_ascii_lowercase()).into_bytes()),
        None => None,
    };
    let _guard = match &idem_key {
        Some(key) => {
            if let Some(bytes) = ctx.store.get(Cf::Admin, key)? {
                if let Ok(r) = serde_json::from_slice::<Remembered>(&bytes) {
                    if now_ms().saturating_sub(r.time_ms) < IDEMPOTENCY_MS {
                        return Ok(SendResult {
                            duplicate: true,
                            ..r.result
                        });
                    }
                }
            }
            Some(InFlightGuard::take(&ctx.sending_in_flight, key)?)
        }
        None => None,
    };
    let header_message_id = new_header_message_id(ctx);
    let tx = message::build(&p, api_user, &header_message_id, now_ms(), limits(ctx))?;
    queue(ctx, &tx, header_message_id, &p.tags, |result| {
        Ok(match &idem_key {
            Some(key) => vec![Op::Put {
                cf: Cf::Admin,
                key: key.clone(),
                value: serde_json::to_vec(&Remembered {
                    time_ms: now_ms(),
                    result: result.clone(),
                })
                .map_err(crate::storage::StorageError::from)?,
            }],
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
