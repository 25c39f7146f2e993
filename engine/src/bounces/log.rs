//! The error log: one record per failed recipient of a received bounce (SPEC §9), time-keyed
//! in the `bounces` column family, next to the raw bounce it came from.
//!
//! Keys: `time_ms (8) | bounce id (8) | n (1)` for records (n = recipient index) and the same
//! with `n = 0xFF` for the raw message, so retention is one range delete over time.

use serde::{Deserialize, Serialize};

use crate::ids::Id;
use crate::storage::{Cf, Op, StorageError, Store};

/// Index byte of the raw message.
const RAW: u8 = 0xff;

/// One failed recipient reported by a received bounce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BounceRecord {
    /// When the bounce was received, ms since the epoch.
    pub time_ms: u64,
    /// The matched delivery; `None` for an unmatched bounce.
    pub delivery_id: Option<String>,
    /// Our message id of the matched delivery.
    pub message_id: Option<String>,
    /// API user of the matched delivery.
    pub api_user: Option<String>,
    /// The failed recipient.
    pub recipient: String,
    /// Its domain (lower-case).
    pub domain: String,
    /// Error status (SPEC §13.5).
    pub error_status: u8,
    /// The error status's reason text.
    pub reason: String,
    /// Basic reply code quoted by the bounce.
    pub smtp_status: Option<u16>,
    /// Enhanced status code quoted by the bounce.
    pub enhanced_status: Option<String>,
    /// Diagnostic text.
    pub diagnostic: String,
    /// Reporting MTA.
    pub reporting_mta: Option<String>,
    /// How the delivery was found: `verp`, `message_id`, or `None` when unmatched.
    pub matched_by: Option<String>,
    /// Key of the raw bounce in the same column family (hex).
    pub raw_key: String,
}

/// Keys of one received message: its records and its raw copy.
pub(crate) fn record_key(time_ms: u64, bounce: Id, n: u8) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.extend_from_slice(&time_ms.to_be_bytes());
    k.extend_from_slice(&bounce.to_be_bytes());
    k.push(n);
    k
}

/// The write that keeps the raw bounce.
pub(crate) fn raw_op(time_ms: u64, bounce: Id, raw: &[u8]) -> (Op, String) {
    let key = record_key(time_ms, bounce, RAW);
    let hex = key.iter().map(|b| format!("{b:02x}")).collect();
    (
        Op::Put {
            cf: Cf::Bounces,
            key,
            value: raw.to_vec(),
        },
        hex,
    )
}

/// A search over the error log.
#[derive(Debug, Clone, Default)]
pub struct BounceQuery {
    /// Inclusive start, ms.
    pub from_ms: u64,
    /// Exclusive end, ms.
    pub to_ms: u64,
    /// Recipient (case-insensitive).
    pub recipient: Option<String>,
    /// Domain.
    pub domain: Option<String>,
    /// Error status.
    pub error_status: Option<u8>,
    /// API user (only matched bounces have one).
    pub api_user: Option<String>,
    /// Our message id.
    pub message_id: Option<String>,
    /// Only records after this key.
    pub after: Option<Vec<u8>>,
    /// Most records (0 = all).
    pub limit: usize,
}

impl BounceQuery {
    fn matches(&self, r: &BounceRecord) -> bool {
        self.recipient
            .as_ref()
            .is_none_or(|v| r.recipient.eq_ignore_ascii_case(v))
            && self
                .domain
                .as_ref()
                .is_none_or(|v| r.domain.eq_ignore_ascii_case(v))
            && self.error_status.is_none_or(|s| r.error_status == s)
            && self.api_user.as_ref().is_none_or(|v| {
                r.api_user
                    .as_deref()
                    .is_some_and(|u| u.eq_ignore_ascii_case(v))
            })
            && self
                .message_id
                .as_ref()
                .is_none_or(|v| r.message_id.as_deref() == Some(v.as_str()))
    }
}

/// Runs a search, oldest first, with each record's key.
pub fn search(
    store: &Store,
    q: &BounceQuery,
) -> Result<Vec<(Vec<u8>, BounceRecord)>, StorageError> {
    let limit = if q.limit == 0 { usize::MAX } else { q.limit };
    let mut from = q.from_ms.to_be_bytes().to_vec();
    if let Some(a) = &q.after {
        if a > &from {
            let mut next = a.clone();
            next.push(0);
            from = next;
        }
    }
    let mut out = Vec::new();
    store.scan(Cf::Bounces, &from, Some(&q.to_ms.to_be_bytes()), |k, v| {
        if k.last() == Some(&RAW) {
            return true;
        }
        if let Ok(r) = serde_json::from_slice::<BounceRecord>(v) {
            if q.matches(&r) {
                out.push((k.to_vec(), r));
            }
        }
        out.len() < limit
    })?;
    Ok(out)
}

/// Range delete of everything older than `cutoff_ms`.
pub fn retention_op(cutoff_ms: u64) -> Op {
    Op::DeleteRange {
        cf: Cf::Bounces,
        from: vec![0; 8],
        to: cutoff_ms.to_be_bytes().to_vec(),
    }
}
