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

fn by_message_id(
    store: &Store,
    report: &BounceReport,
    failed: &FailedRecipient,
    now_ms: u64,
) -> Result<Option<DeliveryLogRecord>, StorageError> {
    let Some(header_id) = &report.original_message_id else {
        return Ok(None);
    };
    let from = now_ms.saturating_sub(MATCH_WINDOW_MS);
    for message in log_index::messages_by_header_id(store, header_id, from, now_ms)? {
        let q = LogQuery {
            from_ms: message.millis(),
            to_ms: now_ms + 60_000,
            recipient: Some(failed.recipient.clone()),
            message_id: Some(message.to_string()),
            limit: 1,
            ..LogQuery::default()
        };
        if let Some(r) = log_index::search(store, &q)?.0.into_iter().next() {
            return Ok(Some(r));
        }
    }
    Ok(None)
}

/// Parses and matches one received message.
pub fn process(
    store: &Store,
    verp: &Verp,
    classifier: &hikyaku_bounce::Classifier,
    config: &BounceConfig,
    msg: &Received<'_>,
) -> Result<Processed, StorageError> {
    let report = hikyaku_bounce::parse_with(classifier, msg.raw);
    let mut out = Processed {
        kind: Some(report.kind),
        ..Processed::default()
    };
    if !report.is_bounce || report.recipients.is_empty() {
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
        let matched = match &verp_record {
            // A VERP bounce is about one delivery: the recipient it names (or the only one).
            Some(r)
                if report.recipients.len() == 1
                    || r.recipient.eq_ignore_ascii_case(&failed.recipient) =>
            {
                Some(Matched {
                    record: r.clone(),
                    by: "verp",
                })
            }
            _ => by_message_id(store, &report, failed, msg.now_ms)?.map(|record| Matched {
                record,
                by: "message_id",
            }),
        };
        let status = failed.status.as_u8();
        let recipient = matched
            .as_ref()
            .map_or(failed.recipient.clone(), |m| m.record.recipient.clone());
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
        if config.block_statuses.contains(&status) {
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
