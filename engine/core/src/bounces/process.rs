//! What happens to a message received on the receiving listener: parse it, match each failed
//! recipient to its delivery, and turn that into error-log records, `failed` delivery-log
//! records, block-list entries and (optionally) a forward to the original sender. Pure storage
//! logic (reads and prepared writes), run on a shard's blocking pool.

use hikyaku_bounce::{BounceReport, FailedRecipient, Kind};

use super::log::{raw_op, record_key, BounceRecord, ErrorSource};
use super::verp::Verp;
use crate::config::BounceConfig;
use crate::ids::Id;
use crate::storage::keys::log_key;
use crate::storage::log_index::{self, LogQuery};
use crate::storage::{Cf, DeliveryLogRecord, DeliveryStatus, Op, StorageError, Store};
use crate::suppression::{self, Counted};

/// How far back a bounce is matched by Message-ID and recipient.
const MATCH_WINDOW_MS: u64 = 40 * 86_400_000;

/// A received message.
pub struct Received<'a> {
    /// The message as received.
    pub raw: &'a [u8],
    /// Envelope recipients (a VERP return path among them names the delivery).
    pub envelope_rcpts: Vec<String>,
    /// Reception time.
    pub now_ms: u64,
    /// An id minted for this message (keys of its error-log records).
    pub id: Id,
}

/// The outcome, to be committed in one batch.
#[derive(Debug, Default)]
pub struct Processed {
    /// The writes.
    pub ops: Vec<Op>,
    /// Error-log records written.
    pub records: Vec<BounceRecord>,
    /// Blocking errors counted by this bounce (`ops` holds the counter merges): once `ops` is
    /// committed, `suppression::auto_block` decides who goes on the block list.
    pub counted: Vec<Counted>,
    /// Original envelope senders to forward the bounce to.
    pub forward_to: Vec<String>,
    /// What the message was.
    pub kind: Option<Kind>,
}

/// The delivery a bounce refers to.
struct Matched {
    record: DeliveryLogRecord,
    by: &'static str,
}

/// Finds the delivery-log records of `delivery` (they are keyed by time, and the first one is
/// written at the millisecond the id was minted).
pub(crate) fn delivery_record(
    store: &Store,
    delivery: Id,
) -> Result<Option<DeliveryLogRecord>, StorageError> {
    let from = log_key(delivery.millis(), Id(0), 0);
    let to = log_key(delivery.millis() + 60_000, Id(0), 0);
    let mut found = None;
    store.scan(Cf::DeliveryLog, &from, Some(&to), |k, v| {
        if k.get(8..16) == Some(&delivery.to_be_bytes()[..]) {
            found = serde_json::from_slice::<DeliveryLogRecord>(v).ok();
            return found.is_none();
        }
        true
    })?;
    Ok(found)
}

/// What the Message-ID of the returned original says about a failed recipient.
enum ByMessageId {
    /// The bounce carries no Message-ID, or it is not one of ours.
    Unknown,
    /// One of our messages, and its delivery to this recipient.
    Delivery(Box<DeliveryLogRecord>),
    /// One of our messages, but the recipient was not among its recipients.
    NotARecipient,
}

fn by_message_id(
    store: &Store,
    report: &BounceReport,
    failed: &FailedRecipient,
    now_ms: u64,
) -> Result<ByMessageId, StorageError> {
    let Some(header_id) = &report.original_message_id else {
        return Ok(ByMessageId::Unknown);
    };
    let from = now_ms.saturating_sub(MATCH_WINDOW_MS);
    let messages = log_index::messages_by_header_id(store, header_id, from, now_ms)?;
    if messages.is_empty() {
        return Ok(ByMessageId::Unknown);
    }
    let addresses = std::iter::once(&failed.recipient).chain(failed.original_recipient.as_ref());
    for address in addresses {
        for message in &messages {
            let q = LogQuery {
                from_ms: message.millis(),
                to_ms: now_ms + 60_000,
                recipient: Some(address.clone()),
                message_id: Some(message.to_string()),
                limit: 1,
                ..LogQuery::default()
            };
            if let Some(r) = log_index::search(store, &q)?.0.into_iter().next() {
                return Ok(ByMessageId::Delivery(Box::new(r)));
            }
        }
    }
    Ok(ByMessageId::NotARecipient)
}

/// How a failed recipient relates to our deliveries.
enum Match {
    /// Its delivery.
    Delivery(Box<Matched>),
    /// The bounce names no delivery or message of ours.
    Unmatched,
    /// The bounce names a delivery or message of ours (VERP, Message-ID) and this recipient is
    /// not among its recipients: the parser may have picked a wrong address (a list, a
    /// colleague in copy), so the failure is recorded unmatched and neither fails a delivery
    /// nor counts towards blocking (issue 18).
    NotARecipient,
}

/// Finds the delivery a failed recipient belongs to.
fn find_delivery(
    store: &Store,
    report: &BounceReport,
    failed: &FailedRecipient,
    verp_record: Option<&DeliveryLogRecord>,
    now_ms: u64,
) -> Result<Match, StorageError> {
    if let Some(r) = verp_record {
        // A VERP return path names one delivery, so one recipient: the failed address, or the
        // address the sender used before an alias replaced it (`Original-Recipient`).
        return Ok(if failed.is_for(&r.recipient) {
            Match::Delivery(Box::new(Matched {
                record: r.clone(),
                by: "verp",
            }))
        } else {
            Match::NotARecipient
        });
    }
    Ok(match by_message_id(store, report, failed, now_ms)? {
        ByMessageId::Unknown => Match::Unmatched,
        ByMessageId::Delivery(record) => Match::Delivery(Box::new(Matched {
            record: *record,
            by: "message_id",
        })),
        ByMessageId::NotARecipient => Match::NotARecipient,
    })
}

/// Parses and matches one received message.
pub fn process(
    store: &Store,
    verp: &Verp,
    classifier: &hikyaku_bounce::Classifier,
    config: &BounceConfig,
    msg: &Received<'_>,
) -> Result<Processed, StorageError> {
    // Bytes from anyone on the internet go through third-party MIME code: a panic there
    // (one was found by fuzzing) must cost this message its analysis, not the session.
    let report = std::panic::catch_unwind(|| hikyaku_bounce::parse_with(classifier, msg.raw))
        .unwrap_or_else(|_| {
            tracing::warn!(id = %msg.id, "bounce parser panicked; message kept as not a bounce");
            hikyaku_bounce::BounceReport::none(hikyaku_bounce::Kind::NotBounce)
        });
    let mut out = Processed {
        kind: Some(report.kind),
        ..Processed::default()
    };
    // Auto-replies, challenges, filter and list notices, delay warnings, complaints and
    // reports never fail a delivery nor count towards blocking: the received-message record
    // keeps them with their kind.
    if !report.kind.is_failure() || !report.is_bounce || report.recipients.is_empty() {
        return Ok(out);
    }
    let (raw, raw_key) = raw_op(msg.now_ms, msg.id, msg.raw);
    out.ops.push(raw);
    let verp_delivery = msg.envelope_rcpts.iter().find_map(|r| verp.decode(r));
    let verp_record = match verp_delivery {
        Some(id) => delivery_record(store, id)?,
        None => None,
    };
    for (n, failed) in report.recipients.iter().enumerate() {
        let found = find_delivery(store, &report, failed, verp_record.as_ref(), msg.now_ms)?;
        let not_a_recipient = matches!(found, Match::NotARecipient);
        let matched = match found {
            Match::Delivery(m) => Some(*m),
            Match::Unmatched | Match::NotARecipient => None,
        };
        let status = failed.status.as_u8();
        // Unmatched, the address the sender used is the one to count: an alias's internal
        // target is never sent to.
        let recipient = matched.as_ref().map_or_else(
            || {
                failed
                    .original_recipient
                    .clone()
                    .unwrap_or_else(|| failed.recipient.clone())
            },
            |m| m.record.recipient.clone(),
        );
        let domain = recipient
            .rsplit_once('@')
            .map_or(String::new(), |(_, d)| d.to_ascii_lowercase());
        let record = BounceRecord {
            time_ms: msg.now_ms,
            delivery_id: matched.as_ref().map(|m| m.record.delivery_id.clone()),
            message_id: matched.as_ref().map(|m| m.record.message_id.clone()),
            api_user: matched.as_ref().and_then(|m| m.record.api_user.clone()),
            recipient: recipient.clone(),
            domain,
            error_status: status,
            reason: failed.status.reason().to_string(),
            smtp_status: failed.smtp_status,
            enhanced_status: failed.enhanced_status.clone(),
            diagnostic: failed.diagnostic.clone(),
            reporting_mta: failed.reporting_mta.clone(),
            matched_by: matched.as_ref().map(|m| m.by.to_string()),
            raw_key: raw_key.clone(),
            source: ErrorSource::Bounce,
            remote_host: None,
            kind: Some(report.kind.as_str().to_string()),
        };
        out.ops.push(Op::Put {
            cf: Cf::Bounces,
            key: record_key(msg.now_ms, msg.id, u8::try_from(n.min(254)).unwrap_or(254)),
            value: serde_json::to_vec(&record)?,
        });
        if let Some(m) = &matched {
            // The delivery is failed now, also when it had succeeded (then it is in both logs).
            let mut failed_record = m.record.clone();
            failed_record.time_ms = msg.now_ms;
            failed_record.status = DeliveryStatus::Failed;
            failed_record.error_status = Some(status);
            failed_record.smtp_reply = Some(format!("bounce: {}", failed.diagnostic));
            if let Some(id) = Id::parse(&failed_record.delivery_id) {
                out.ops.extend(log_index::record_ops(&failed_record, id)?);
            }
            if config.forward_to_sender && !m.record.envelope_from.is_empty() {
                out.forward_to.push(m.record.envelope_from.clone());
            }
        }
        if !not_a_recipient && config.block_statuses.contains(&status) {
            out.ops.push(suppression::count_error_op(&recipient));
            out.counted.push(Counted {
                address: recipient.clone(),
                error_status: status,
                reason: failed.status.reason().to_string(),
                source: ErrorSource::Bounce.as_str(),
            });
        }
        out.records.push(record);
    }
    out.forward_to.sort();
    out.forward_to.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests;
