//! Secondary indexes of the delivery log, and retention.
//!
//! The log itself is keyed by time (`time · delivery id · status`), which makes "what happened
//! between t1 and t2" a range scan and retention a range delete. Searches by recipient, domain,
//! status, API user or message id use index entries in the `log_index` column family:
//!
//! `kind (1) · day (4, BE, days since epoch) · value · 0x00 · time (8) · delivery id (8) · status (1)`
//!
//! with an empty value; the suffix after `0x00` is exactly the log key. Putting the day right
//! after the kind keeps retention a handful of range deletes (one per kind) instead of one
//! delete per record, at the price of one seek per day of the searched range (at most the
//! retention period, 40 by default). Recipients and user names are lower-cased, so searches are
//! case-insensitive (SPEC §13.1).

use super::records::{DeliveryLogRecord, DeliveryStatus};
use super::{keys, Cf, Op, StorageError, Store};
use crate::ids::Id;

const DAY_MS: u64 = 86_400_000;

/// What an index entry is keyed by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexKind {
    /// Lower-cased recipient address.
    Recipient,
    /// Destination domain.
    Domain,
    /// Delivery status.
    Status,
    /// Lower-cased API user (or source IP for unauthenticated submissions).
    Submitter,
    /// Our message id (hex).
    MessageId,
    /// The message's `Message-ID` header (lower-cased, without `<>`) → our message id, so a
    /// bounce that quotes the original header can be matched after the body is gone.
    HeaderMessageId,
}

impl IndexKind {
    const ALL: [IndexKind; 6] = [
        IndexKind::Recipient,
        IndexKind::Domain,
        IndexKind::Status,
        IndexKind::Submitter,
        IndexKind::MessageId,
        IndexKind::HeaderMessageId,
    ];

    fn tag(self) -> u8 {
        match self {
            IndexKind::Recipient => b'r',
            IndexKind::Domain => b'd',
            IndexKind::Status => b's',
            IndexKind::Submitter => b'u',
            IndexKind::MessageId => b'm',
            IndexKind::HeaderMessageId => b'h',
        }
    }
}

fn status_name(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Queued => "queued",
        DeliveryStatus::Succeeded => "succeeded",
        DeliveryStatus::Failed => "failed",
        DeliveryStatus::Deferred => "deferred",
    }
}

fn index_key(kind: IndexKind, day: u32, value: &str, log_key: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(6 + value.len() + log_key.len());
    k.push(kind.tag());
    k.extend_from_slice(&day.to_be_bytes());
    k.extend_from_slice(value.as_bytes());
    k.push(0);
    k.extend_from_slice(log_key);
    k
}

fn day_of(ms: u64) -> u32 {
    u32::try_from(ms / DAY_MS).unwrap_or(u32::MAX)
}

/// The writes that store `record` in the log with all its index entries (one batch).
pub fn record_ops(record: &DeliveryLogRecord, delivery: Id) -> Result<Vec<Op>, StorageError> {
    let log_key = keys::log_key(record.time_ms, delivery, record.status.code());
    let day = day_of(record.time_ms);
    let submitter = record
        .api_user
        .as_deref()
        .unwrap_or(&record.source_ip)
        .to_ascii_lowercase();
    let values = [
        (IndexKind::Recipient, record.recipient.to_lowercase()),
        (IndexKind::Domain, record.domain.to_ascii_lowercase()),
        (IndexKind::Status, status_name(record.status).to_string()),
        (IndexKind::Submitter, submitter),
        (IndexKind::MessageId, record.message_id.clone()),
    ];
    let mut ops = Vec::with_capacity(1 + values.len());
    ops.push(Op::Put {
        cf: Cf::DeliveryLog,
        key: log_key.to_vec(),
        value: serde_json::to_vec(record)?,
    });
    for (kind, value) in values {
        ops.push(Op::Put {
            cf: Cf::LogIndex,
            key: index_key(kind, day, &value, &log_key),
            value: Vec::new(),
        });
    }
    // The graph counters count the record in the same batch (`stats.graph`).
    ops.extend(super::graph_counters::record_ops(record));
    Ok(ops)
}

fn header_value(header_message_id: &str) -> String {
    header_message_id
        .trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase()
}

/// The index entry from a message's `Message-ID` header to our message id (written at intake).
pub fn header_id_op(header_message_id: &str, time_ms: u64, message: crate::ids::Id) -> Op {
    Op::Put {
        cf: Cf::LogIndex,
        key: index_key(
            IndexKind::HeaderMessageId,
            day_of(time_ms),
            &header_value(header_message_id),
            &message.to_be_bytes(),
        ),
        value: Vec::new(),
    }
}

/// Our message ids whose `Message-ID` header is `header_message_id`, queued in the range.
pub fn messages_by_header_id(
    store: &Store,
    header_message_id: &str,
    from_ms: u64,
    to_ms: u64,
) -> Result<Vec<crate::ids::Id>, StorageError> {
    let value = header_value(header_message_id);
    let mut out = Vec::new();
    for day in day_of(from_ms)..=day_of(to_ms) {
        let from = index_key(IndexKind::HeaderMessageId, day, &value, &[]);
        let mut to = from.clone();
        to.extend_from_slice(&[0xff; 9]);
        store.scan(Cf::LogIndex, &from, Some(&to), |k, _| {
            if let Some(id) = k
                .get(from.len()..)
                .and_then(|t| <[u8; 8]>::try_from(t).ok())
            {
                out.push(crate::ids::Id(u64::from_be_bytes(id)));
            }
            true
        })?;
    }
    Ok(out)
}

/// Range deletes removing every log record and index entry older than `cutoff_ms`
/// (rounded down to a whole day for the indexes, whose granularity is a day).
pub fn retention_ops(cutoff_ms: u64) -> Vec<Op> {
    let mut ops = vec![Op::DeleteRange {
        cf: Cf::DeliveryLog,
        from: vec![0; 8],
        to: cutoff_ms.to_be_bytes().to_vec(),
    }];
    let cutoff_day = day_of(cutoff_ms);
    for kind in IndexKind::ALL {
        let mut from = vec![kind.tag()];
        from.extend_from_slice(&0u32.to_be_bytes());
        let mut to = vec![kind.tag()];
        to.extend_from_slice(&cutoff_day.to_be_bytes());
        ops.push(Op::DeleteRange {
            cf: Cf::LogIndex,
            from,
            to,
        });
    }
    ops
}

/// A search over the delivery log: a time range plus at most one indexed field (the most
/// selective one the caller has), further filters applied to the records.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    /// Inclusive start, ms since epoch.
    pub from_ms: u64,
    /// Exclusive end, ms since epoch.
    pub to_ms: u64,
    /// Recipient (case-insensitive).
    pub recipient: Option<String>,
    /// Destination domain.
    pub domain: Option<String>,
    /// Status.
    pub status: Option<DeliveryStatus>,
    /// API user or source IP.
    pub submitter: Option<String>,
    /// Our message id (hex).
    pub message_id: Option<String>,
    /// Subject substring (case-insensitive; filter only, not indexed).
    pub subject_contains: Option<String>,
    /// Most records returned.
    pub limit: usize,
    /// Only records whose log key sorts after this one (pagination cursor).
    pub after: Option<Vec<u8>>,
}

impl LogQuery {
    fn index(&self) -> Option<(IndexKind, String)> {
        if let Some(v) = &self.message_id {
            return Some((IndexKind::MessageId, v.clone()));
        }
        if let Some(v) = &self.recipient {
            return Some((IndexKind::Recipient, v.to_lowercase()));
        }
        if let Some(v) = &self.submitter {
            return Some((IndexKind::Submitter, v.to_ascii_lowercase()));
        }
        if let Some(v) = &self.domain {
            return Some((IndexKind::Domain, v.to_ascii_lowercase()));
        }
        self.status
            .map(|s| (IndexKind::Status, status_name(s).to_string()))
    }

    fn matches(&self, r: &DeliveryLogRecord) -> bool {
        r.time_ms >= self.from_ms
            && r.time_ms < self.to_ms
            && self
                .recipient
                .as_ref()
                .is_none_or(|v| r.recipient.to_lowercase() == v.to_lowercase())
            && self
                .domain
                .as_ref()
                .is_none_or(|v| r.domain.eq_ignore_ascii_case(v))
            && self.status.is_none_or(|s| r.status == s)
            && self.submitter.as_ref().is_none_or(|v| {
                r.api_user
                    .as_deref()
                    .unwrap_or(&r.source_ip)
                    .eq_ignore_ascii_case(v)
            })
            && self.message_id.as_ref().is_none_or(|v| &r.message_id == v)
            && self
                .subject_contains
                .as_ref()
                .is_none_or(|v| r.subject.to_lowercase().contains(&v.to_lowercase()))
    }
}

/// Runs a query, oldest first. Corrupt records are skipped and counted in the second value.
pub fn search(
    store: &Store,
    q: &LogQuery,
) -> Result<(Vec<DeliveryLogRecord>, usize), StorageError> {
    let (records, corrupt) = search_keyed(store, q)?;
    Ok((records.into_iter().map(|(_, r)| r).collect(), corrupt))
}

/// A record with its log key.
pub type Keyed = (Vec<u8>, DeliveryLogRecord);

/// Like [`search`], with each record's log key (the cursor for the next page).
pub fn search_keyed(store: &Store, q: &LogQuery) -> Result<(Vec<Keyed>, usize), StorageError> {
    let limit = if q.limit == 0 { usize::MAX } else { q.limit };
    let mut out = Vec::new();
    let mut corrupt = 0usize;
    let after = q.after.as_deref();
    let mut consider = |key: &[u8], value: &[u8], out: &mut Vec<Keyed>| {
        if after.is_some_and(|a| key <= a) {
            return true;
        }
        match serde_json::from_slice::<DeliveryLogRecord>(value) {
            Ok(r) if q.matches(&r) => out.push((key.to_vec(), r)),
            Ok(_) => {}
            Err(_) => corrupt += 1,
        }
        out.len() < limit
    };
    match q.index() {
        None => {
            let mut from = q.from_ms.to_be_bytes().to_vec();
            if let Some(a) = after {
                if a > from.as_slice() {
                    from = a.to_vec();
                }
            }
            store.scan(
                Cf::DeliveryLog,
                &from,
                Some(&q.to_ms.to_be_bytes()),
                |k, v| consider(k, v, &mut out),
            )?;
        }
        Some((kind, value)) => {
            let first_day = after
                .and_then(|a| a.get(..8))
                .and_then(|t| t.try_into().ok())
                .map(u64::from_be_bytes)
                .map_or(q.from_ms, |t| t.max(q.from_ms));
            // Day by day, so memory holds one day's candidates at most.
            'days: for day in day_of(first_day)..=day_of(q.to_ms.saturating_sub(1)) {
                let from = index_key(kind, day, &value, &q.from_ms.to_be_bytes());
                let to = index_key(kind, day, &value, &q.to_ms.to_be_bytes());
                let prefix_len = from.len() - 8;
                let mut log_keys = Vec::new();
                store.scan(Cf::LogIndex, &from, Some(&to), |k, _| {
                    if let Some(lk) = k.get(prefix_len..) {
                        if after.is_none_or(|a| lk > a) {
                            log_keys.push(lk.to_vec());
                        }
                    }
                    true
                })?;
                for lk in log_keys {
                    if let Some(v) = store.get(Cf::DeliveryLog, &lk)? {
                        if !consider(&lk, &v, &mut out) {
                            break 'days;
                        }
                    }
                }
            }
        }
    }
    Ok((out, corrupt))
}

#[cfg(test)]
mod tests;
