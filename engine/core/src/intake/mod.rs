//! Intake: turns a complete SMTP transaction into the spool writes that make it durable.
//!
//! Pure (no I/O): the caller commits the returned [`Prepared::ops`] through the group committer
//! and only then answers `250`. One message becomes one body record, one metadata record, and
//! per recipient one queue entry plus one `queued` delivery-log record, all in one batch, so a
//! crash leaves either the whole message or nothing.

mod headers;

pub use headers::{parse_header_block, rfc5322_date, HeaderFacts};

use hikyaku_smtp::{Reply, Transaction};

use crate::ids::{Id, IdGen};
use crate::storage::keys::{domain_hash, queue_key};
use crate::storage::log_index;
use crate::storage::{
    Cf, DeliveryLogRecord, DeliveryStatus, MessageMeta, Op, QueueEntry, StorageError, Submitter,
};

/// Facts about the connection that the transaction itself does not carry.
#[derive(Debug, Clone)]
pub struct IntakeContext<'a> {
    /// Our hostname (for `Received` and generated `Message-ID`).
    pub hostname: &'a str,
    /// Peer address.
    pub peer_ip: std::net::IpAddr,
    /// TLS protocol in use, e.g. "TLSv1.3".
    pub tls_version: Option<&'a str>,
    /// Tags given through the sending API; they flow into every delivery-log record.
    pub tags: &'a [String],
    /// The message policy of the settings snapshot the session started with.
    pub policy: &'a crate::policy::Policy,
}

/// A recipient that the owning shard must add to its in-memory queue once the write is durable.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedNotice {
    /// Delivery id.
    pub delivery_id: Id,
    /// Hash of the lower-cased domain (decides the owning shard).
    pub domain_hash: u64,
    /// Lower-cased destination domain.
    pub domain: String,
    /// Earliest attempt time, ms since the epoch.
    pub not_before_ms: u64,
    /// Priority class: 0 high, 1 normal, 2 low (the priority filters set it; normal today).
    pub priority: u8,
    /// What intake just wrote, so the first attempt need not read it back (`queue::hot`);
    /// `None` for entries reloaded from or requeued in the spool.
    pub fresh: Option<std::sync::Arc<crate::queue::hot::FreshDelivery>>,
}

/// Everything a transaction turns into.
#[derive(Debug)]
pub struct Prepared {
    /// Our message id (also in the `250` reply).
    pub message_id: Id,
    /// The writes, to be committed durably as one batch.
    pub ops: Vec<Op>,
    /// Recipients for the owning shards' queues.
    pub notices: Vec<QueuedNotice>,
}

/// Builds the spool writes for `tx`. `ids` mints the message id and one delivery id per
/// recipient.
pub fn prepare(
    tx: &Transaction,
    ctx: &IntakeContext<'_>,
    ids: &mut IdGen,
    now_ms: u64,
) -> Result<Prepared, StorageError> {
    prepare_signed(tx, None, ctx, ids, now_ms)
}

/// [`prepare`] for a message S/MIME-signed at intake (`crate::smime`, the last step of SPEC
/// §6): `signed` is stored and sent in place of `tx.body`, while the header facts and the
/// policy still read the header block the application wrote (signing moves its `Content-*`
/// fields into the signed part, and a rule may look at them).
pub fn prepare_signed(
    tx: &Transaction,
    signed: Option<Vec<u8>>,
    ctx: &IntakeContext<'_>,
    ids: &mut IdGen,
    now_ms: u64,
) -> Result<Prepared, StorageError> {
    let message_id = ids.next(now_ms);
    let stripped;
    let tx = if ctx.policy.strip_received {
        stripped = Transaction {
            helo: tx.helo.clone(),
            mail_from: tx.mail_from.clone(),
            recipients: tx.recipients.clone(),
            body: headers::strip_received(&tx.body),
            smtputf8: tx.smtputf8,
            eight_bit_mime: tx.eight_bit_mime,
            auth_user: tx.auth_user.clone(),
            tls: tx.tls,
        };
        &stripped
    } else {
        tx
    };
    let parsed = headers::parse_header_block(&tx.body);
    let facts = HeaderFacts::of(parsed.as_ref());
    let view = ctx.policy.view_parsed(parsed.as_ref());
    let header_message_id = facts
        .message_id
        .clone()
        .unwrap_or_else(|| format!("{message_id}@{}", ctx.hostname));
    let signed_tx;
    let tx = match signed {
        Some(body) => {
            signed_tx = Transaction {
                helo: tx.helo.clone(),
                mail_from: tx.mail_from.clone(),
                recipients: tx.recipients.clone(),
                body: if ctx.policy.strip_received {
                    headers::strip_received(&body)
                } else {
                    body
                },
                smtputf8: tx.smtputf8,
                eight_bit_mime: tx.eight_bit_mime,
                auth_user: tx.auth_user.clone(),
                tls: tx.tls,
            };
            &signed_tx
        }
        None => tx,
    };
    let stored = headers::stored_message(tx, ctx, &facts, message_id, &header_message_id, now_ms);
    let envelope_from = tx
        .mail_from
        .as_ref()
        .map(|a| a.to_string())
        .unwrap_or_default();
    let submitter = Submitter {
        api_user: tx.auth_user.clone(),
        source_ip: ctx.peer_ip.to_string(),
    };
    let size = stored.len() as u64;
    let meta = MessageMeta {
        message_id: message_id.to_string(),
        header_message_id,
        envelope_from: envelope_from.clone(),
        submitter: submitter.clone(),
        size,
        subject: facts.subject.clone().unwrap_or_default(),
        received_ms: now_ms,
        recipients: u32::try_from(tx.recipients.len()).unwrap_or(u32::MAX),
        smtputf8: tx.smtputf8,
        tags: ctx.tags.to_vec(),
        from_domain: facts.from_domain.clone().unwrap_or_default(),
    };
    let mut ops = Vec::with_capacity(2 + 2 * tx.recipients.len());
    let body: std::sync::Arc<[u8]> = std::sync::Arc::from(stored.as_slice());
    let shared_meta = std::sync::Arc::new(meta.clone());
    ops.push(Op::Put {
        cf: Cf::Messages,
        key: message_id.to_be_bytes().to_vec(),
        value: stored,
    });
    ops.push(Op::Put {
        cf: Cf::MessageMeta,
        key: message_id.to_be_bytes().to_vec(),
        value: serde_json::to_vec(&meta)?,
    });
    ops.push(log_index::header_id_op(
        &meta.header_message_id,
        now_ms,
        message_id,
    ));
    let mut notices = Vec::with_capacity(tx.recipients.len());
    for rcpt in &tx.recipients {
        let rcpt_text = rcpt.to_string();
        let plan = ctx.policy.plan(&view, &rcpt_text);
        // The planned recipient (the original, or a `rewrite` forward), then `copy` forwards.
        let original = (plan.recipient == rcpt_text).then(|| rcpt.domain_lowercase());
        let targets = std::iter::once((plan.recipient.clone(), original))
            .chain(plan.copies.iter().map(|c| (c.clone(), None)));
        for (recipient, known_domain) in targets {
            let delivery_id = ids.next(now_ms);
            let domain = known_domain.unwrap_or_else(|| domain_of(&recipient));
            let hash = domain_hash(&domain);
            let not_before_ms = plan
                .hold
                .as_ref()
                .map_or(now_ms, |h| h.next_allowed(now_ms));
            let entry = QueueEntry {
                delivery_id: delivery_id.to_string(),
                message_id: message_id.to_string(),
                recipient,
                domain: domain.clone(),
                attempts: 0,
                not_before_ms,
                created_ms: now_ms,
                priority: plan.priority,
                hold: plan.hold.as_ref().map(crate::policy::HoldWindow::to_config),
                unsubscribe: plan.unsubscribe,
            };
            let record = DeliveryLogRecord {
                time_ms: now_ms,
                delivery_id: delivery_id.to_string(),
                message_id: message_id.to_string(),
                api_user: submitter.api_user.clone(),
                source_ip: submitter.source_ip.clone(),
                envelope_from: envelope_from.clone(),
                recipient: entry.recipient.clone(),
                domain: domain.clone(),
                status: DeliveryStatus::Queued,
                error_status: None,
                smtp_reply: plan
                    .hold
                    .as_ref()
                    .filter(|_| not_before_ms > now_ms)
                    .map(|h| {
                        format!(
                            "held for prohibited hours {} until {}",
                            h.describe(),
                            rfc5322_date(not_before_ms)
                        )
                    }),
                size,
                subject: meta.subject.clone(),
                tags: meta.tags.clone(),
            };
            ops.push(Op::Put {
                cf: Cf::Queue,
                key: queue_key(hash, delivery_id).to_vec(),
                value: serde_json::to_vec(&entry)?,
            });
            ops.extend(log_index::record_ops(&record, delivery_id)?);
            notices.push(QueuedNotice {
                delivery_id,
                domain_hash: hash,
                domain,
                not_before_ms,
                priority: entry.priority,
                fresh: Some(std::sync::Arc::new(crate::queue::hot::FreshDelivery {
                    entry,
                    meta: shared_meta.clone(),
                    body: body.clone(),
                })),
            });
        }
    }
    Ok(Prepared {
        message_id,
        ops,
        notices,
    })
}

/// The lower-cased domain of an address already checked (a forwarding address from settings).
fn domain_of(address: &str) -> String {
    address
        .rsplit_once('@')
        .map_or(String::new(), |(_, d)| d.to_ascii_lowercase())
}

/// The reply to new mail whose durable write was refused or failed: `452 4.3.1` while the
/// spool's disk is under its free-space reserve (nothing was attempted; the sender retries
/// once space is back), `451 4.3.0` for any other storage failure.
pub fn storage_refusal(e: &StorageError) -> Reply {
    match e {
        StorageError::NoSpace => Reply::insufficient_storage(),
        _ => Reply::storage_failure(),
    }
}

#[cfg(test)]
mod tests;
