//! The error log (SPEC §9): one record per failure, time-keyed in the `bounces` column family.
//! A failure comes from one of two places, named in each record's `source`:
//! - `smtp`: a delivery that ended `failed` here — a 5xx reply, an unknown host, the resend
//!   period running out, a suppressed recipient — written in the same batch as its `failed`
//!   delivery-log record ([`smtp_failure_op`]);
//! - `bounce`: a failed recipient of a bounce received later, next to the raw bounce.
//!
//! Keys: `time_ms (8) | id (8) | n (1)`, so retention is one range delete over time. For a
//! bounce the id is the received message's and `n` the recipient index, with `n = 0xFF` for
//! the raw message; for an SMTP failure the id is the delivery's and `n = 0`.

use serde::{Deserialize, Serialize};

use crate::delivery::{Attempt, Remote};
use crate::ids::Id;
use crate::storage::{Cf, DeliveryLogRecord, Op, StorageError, Store};

/// Where an error-log record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ErrorSource {
    /// Our own delivery attempt (or the suppression check before it).
    Smtp,
    /// A bounce received on the receiving listener (records written before `source` existed
    /// are all bounces).
    #[default]
    Bounce,
}

impl ErrorSource {
    /// The name used in records, the API and exports.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorSource::Smtp => "smtp",
            ErrorSource::Bounce => "bounce",
        }
    }
}

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
    /// How the delivery was found: `verp`, `message_id`, or `None` when unmatched (and for
    /// SMTP failures, whose delivery is known).
    pub matched_by: Option<String>,
    /// Key of the raw bounce in the same column family (hex); empty for SMTP failures.
    #[serde(default)]
    pub raw_key: String,
    /// Where the failure came from.
    #[serde(default)]
    pub source: ErrorSource,
    /// The host that refused the delivery (SMTP failures): name, address and TLS, as in the
    /// delivery log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_host: Option<String>,
    /// What the received message was (`dsn`, `non_standard`), for bounces; `None` for SMTP
    /// failures and records written before the kind was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The error-log record of a delivery that just failed here (`failed` holds its delivery-log
/// record, whose error status is set), keyed by the delivery.
pub fn smtp_failure_op(
    failed: &DeliveryLogRecord,
    delivery: Id,
    attempt: &Attempt,
    remote: &Remote,
) -> Result<Op, StorageError> {
    let error_status = failed.error_status.unwrap_or(99);
    let (smtp_status, enhanced_status, diagnostic) = match attempt {
        Attempt::PermFail {
            code,
            enhanced,
            text,
        } => (Some(*code), enhanced.clone(), text.clone()),
        Attempt::TempFail {
            reply: Some(reply), ..
        } => match Attempt::from_reply_line(reply) {
            Some(Attempt::TempFail { reason, .. }) => (
                reply.get(..3).and_then(|c| c.parse().ok()),
                enhanced_of(reply),
                reason,
            ),
            _ => (None, None, reply.clone()),
        },
        other => (None, None, other.summary()),
    };
    // A suppressed recipient was never offered to any host, whatever the batch it was in.
    let suppressed = matches!(attempt, Attempt::Blocked | Attempt::Unsubscribed);
    let remote_host = remote.host.as_ref().filter(|_| !suppressed).map(|host| {
        let mut s = host.clone();
        if let Some(ip) = &remote.ip {
            s.push_str(&format!(" [{ip}]"));
        }
        s
    });
    let record = BounceRecord {
        time_ms: failed.time_ms,
        delivery_id: Some(failed.delivery_id.clone()),
        message_id: Some(failed.message_id.clone()),
        api_user: failed.api_user.clone(),
        recipient: failed.recipient.clone(),
        domain: failed.domain.clone(),
        error_status,
        reason: hikyaku_bounce::ErrorStatus::from_u8(error_status)
            .map_or("other", hikyaku_bounce::ErrorStatus::reason)
            .to_string(),
        smtp_status,
        enhanced_status,
        diagnostic,
        reporting_mta: None,
        matched_by: None,
        raw_key: String::new(),
        source: ErrorSource::Smtp,
        remote_host,
        kind: None,
    };
    Ok(Op::Put {
        cf: Cf::Bounces,
        key: record_key(failed.time_ms, delivery, 0),
        value: serde_json::to_vec(&record)?,
    })
}

/// The enhanced status code right after the basic code of a reply line, if any.
fn enhanced_of(reply: &str) -> Option<String> {
    let first = reply.get(4..)?.split(' ').next()?;
    let mut parts = first.split('.');
    let ok = parts.clone().count() == 3
        && parts.all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    ok.then(|| first.to_string())
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
    /// Only failures from this source.
    pub source: Option<ErrorSource>,
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
            && self.source.is_none_or(|s| r.source == s)
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
