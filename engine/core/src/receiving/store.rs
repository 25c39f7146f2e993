//! The `received` column family: typed writes and reads of received messages.
//!
//! Keys: `part (1) | time ms (8, BE) | id (8, BE)`, where `part` is [`META`] for the JSON
//! record and [`RAW`] for the message bytes, and the time is the id's own millisecond (the
//! id is minted at reception, so that is the reception time), which makes `received.get` by
//! id a point read. Records and bodies are two key ranges rather than two suffixes of one key
//! so that a listing scans records only and never walks through body blocks (a suffix layout
//! interleaves them; RocksDB would read every body the iterator passes). Retention is still
//! a constant-cost range delete: one per part, in one batch.

use serde::{Deserialize, Serialize};

use crate::ids::Id;
use crate::storage::{Cf, Op, StorageError, Store};

/// Key part of the records.
const META: u8 = 0x00;
/// Key part of the raw messages.
const RAW: u8 = 0x01;

/// What a received message was, as bounce parsing classified it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReceivedKind {
    /// A delivery status notification or a non-standard bounce.
    Bounce,
    /// An abuse/feedback report (RFC 5965).
    Feedback,
    /// An auto-reply (vacation, out of office).
    AutoReply,
    /// Anything else: mail for an inbound domain, DMARC reports, ...
    Other,
}

impl ReceivedKind {
    /// The kind of a bounce-parsing result (`None`: not parsed, counted as other).
    pub fn of(kind: Option<hikyaku_bounce::Kind>) -> Self {
        use hikyaku_bounce::Kind;
        match kind {
            // A delay warning is a DSN too, even though it fails nothing.
            Some(Kind::Dsn | Kind::NonStandard | Kind::Delayed) => Self::Bounce,
            Some(Kind::Feedback) => Self::Feedback,
            // Machine answers to the sender that are not about a refused recipient.
            Some(
                Kind::AutoReply | Kind::ChallengeResponse | Kind::ContentFilter | Kind::ListOwner,
            ) => Self::AutoReply,
            Some(Kind::Report | Kind::NotBounce) | None => Self::Other,
        }
    }
}

/// One received message, without its body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceivedRecord {
    /// Reception time, ms since the epoch.
    pub time_ms: u64,
    /// Envelope sender; empty for the null reverse path.
    pub mail_from: String,
    /// Envelope recipients.
    pub recipients: Vec<String>,
    /// The sending client's IP.
    pub peer_ip: String,
    /// Its HELO/EHLO name.
    pub helo: String,
    /// Received over TLS.
    pub tls: bool,
    /// Size of the raw message in bytes.
    pub size: u64,
    /// Classification.
    pub kind: ReceivedKind,
    /// Decoded `Subject`.
    pub subject: Option<String>,
    /// `Message-ID` header, without angle brackets.
    pub header_message_id: Option<String>,
    /// Keys (hex) of the error-log records this message produced (bounces only).
    pub error_log_keys: Vec<String>,
    /// API users of the deliveries a bounce was matched to (what an API user may list).
    pub api_users: Vec<String>,
}

/// A message read back whole.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredMessage {
    /// The record.
    pub record: ReceivedRecord,
    /// The message exactly as received (CRLF line ends, dot-unstuffed).
    pub raw: Vec<u8>,
}

/// Outcome of [`get`]: a damaged entry is a value for the caller to report, not an error.
#[derive(Debug, Clone, PartialEq)]
pub enum Lookup {
    /// Record and body (boxed: the record is large next to the other variants).
    Found(Box<StoredMessage>),
    /// No such message (never received, or past retention).
    Missing,
    /// The record does not decode, or its body is gone.
    Corrupt(String),
}

/// A listing filter.
#[derive(Debug, Clone, Default)]
pub struct ReceivedQuery {
    /// Inclusive start, ms.
    pub from_ms: u64,
    /// Exclusive end, ms.
    pub to_ms: u64,
    /// Only this kind.
    pub kind: Option<ReceivedKind>,
    /// Only messages with this envelope recipient (case-insensitive).
    pub recipient: Option<String>,
    /// Only messages with an envelope recipient in this domain (case-insensitive).
    pub domain: Option<String>,
    /// Only messages about this API user's deliveries.
    pub api_user: Option<String>,
    /// Continue after this record key (a cursor).
    pub after: Option<Vec<u8>>,
    /// Most records (0 = all).
    pub limit: usize,
}

impl ReceivedQuery {
    fn matches(&self, r: &ReceivedRecord) -> bool {
        let domain_of = |a: &str| a.rsplit_once('@').map_or("", |(_, d)| d).to_string();
        self.kind.is_none_or(|k| r.kind == k)
            && self
                .recipient
                .as_ref()
                .is_none_or(|v| r.recipients.iter().any(|a| a.eq_ignore_ascii_case(v)))
            && self.domain.as_ref().is_none_or(|v| {
                r.recipients
                    .iter()
                    .any(|a| domain_of(a).eq_ignore_ascii_case(v))
            })
            && self
                .api_user
                .as_ref()
                .is_none_or(|v| r.api_users.iter().any(|u| u.eq_ignore_ascii_case(v)))
    }
}

/// One page of a listing.
#[derive(Debug, Clone, Default)]
pub struct ListPage {
    /// Matching records with their keys, oldest first.
    pub records: Vec<(Vec<u8>, Id, ReceivedRecord)>,
    /// Records in the range that did not decode (skipped).
    pub corrupt: usize,
}

/// Lower-case hex.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn key(part: u8, time_ms: u64, id: Id) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(part);
    k.extend_from_slice(&time_ms.to_be_bytes());
    k.extend_from_slice(&id.to_be_bytes());
    k
}

fn bound(part: u8, time_ms: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(9);
    k.push(part);
    k.extend_from_slice(&time_ms.to_be_bytes());
    k
}

/// The writes that keep one received message: its record and its body.
pub fn keep_ops(id: Id, record: &ReceivedRecord, raw: Vec<u8>) -> Result<[Op; 2], StorageError> {
    Ok([
        Op::Put {
            cf: Cf::Received,
            key: key(META, id.millis(), id),
            value: serde_json::to_vec(record)?,
        },
        Op::Put {
            cf: Cf::Received,
            key: key(RAW, id.millis(), id),
            value: raw,
        },
    ])
}

/// Lists records in `[from_ms, to_ms)`, oldest first; reads no bodies.
pub fn list(store: &Store, q: &ReceivedQuery) -> Result<ListPage, StorageError> {
    let limit = if q.limit == 0 { usize::MAX } else { q.limit };
    let mut from = bound(META, q.from_ms);
    if let Some(after) = &q.after {
        if after >= &from {
            let mut next = after.clone();
            next.push(0);
            from = next;
        }
    }
    let mut page = ListPage::default();
    store.scan(Cf::Received, &from, Some(&bound(META, q.to_ms)), |k, v| {
        let id = k
            .get(9..17)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map(|b| Id(u64::from_be_bytes(b)));
        match (id, serde_json::from_slice::<ReceivedRecord>(v)) {
            (Some(id), Ok(r)) => {
                if q.matches(&r) {
                    page.records.push((k.to_vec(), id, r));
                }
            }
            _ => page.corrupt += 1,
        }
        page.records.len() < limit
    })?;
    Ok(page)
}

/// Reads one message, record and body.
pub fn get(store: &Store, id: Id) -> Result<Lookup, StorageError> {
    let Some(meta) = store.get(Cf::Received, &key(META, id.millis(), id))? else {
        return Ok(Lookup::Missing);
    };
    let record = match serde_json::from_slice::<ReceivedRecord>(&meta) {
        Ok(r) => r,
        Err(e) => return Ok(Lookup::Corrupt(format!("record does not decode: {e}"))),
    };
    match store.get(Cf::Received, &key(RAW, id.millis(), id))? {
        Some(raw) => Ok(Lookup::Found(Box::new(StoredMessage { record, raw }))),
        None => Ok(Lookup::Corrupt("the raw message is missing".into())),
    }
}

/// Range deletes of every record and body received before `cutoff_ms`.
pub fn retention_ops(cutoff_ms: u64) -> [Op; 2] {
    [META, RAW].map(|part| Op::DeleteRange {
        cf: Cf::Received,
        from: bound(part, 0),
        to: bound(part, cutoff_ms),
    })
}
