//! Where webhook state lives in the spool, and the only code that builds its keys.
//!
//! * Endpoints: family `admin`, key `webhook/` + endpoint id (8, BE), value [`Endpoint`] JSON
//!   (with the secret, which the API shows once, at creation).
//! * Outbox: family `outbox`, key part (1) · endpoint id (8, BE) · sequence (8, BE), value the
//!   event JSON. Part `0x00` holds pending events in commit order, part `0x01` the dead
//!   letters (same endpoint · sequence), so both are one range per endpoint. Part `0x02`
//!   holds what is known about each dead letter ([`DeadInfo`]: when, why) under the same
//!   endpoint · sequence; dead letters written before it existed have none.
//! * Retry state of an endpoint's head batch: family `admin`, key `webhook-retry/` + endpoint
//!   id (8, BE), value [`RetryState`] JSON; written when the batch fails, deleted when it is
//!   delivered or dead-lettered, so the retry window survives restarts.

use serde::{Deserialize, Serialize};

use super::event::EventKind;
use super::retry::RetryState;
use crate::storage::{Cf, Op, StorageError, Store};

/// Key prefix of endpoint records in `admin`.
const ENDPOINT_PREFIX: &[u8] = b"webhook/";
/// Outbox part of pending events.
pub const PENDING: u8 = 0x00;
/// Outbox part of dead letters.
pub const DEAD: u8 = 0x01;
/// Outbox part of what is known about each dead letter.
pub const DEAD_INFO: u8 = 0x02;
/// Key prefix of the per-endpoint retry state in `admin` (sorts before [`ENDPOINT_PREFIX`],
/// outside its range).
const RETRY_PREFIX: &[u8] = b"webhook-retry/";

/// When and why an event was dead-lettered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeadInfo {
    /// When, ms since the epoch.
    pub dead_ms: u64,
    /// The last error of its batch, or why it never was pending (outbox full).
    pub error: String,
}

/// One dead letter as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadLetter {
    /// Its outbox sequence (the listing cursor).
    pub seq: u64,
    /// The event JSON, as it will be posted again on replay.
    pub event: Vec<u8>,
    /// When and why, if recorded.
    pub info: Option<DeadInfo>,
}

/// An endpoint's filter (SPEC §13.3), as written by the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterSpec {
    /// Header name (`To` = the envelope recipient).
    pub header: String,
    /// Java-style regex that must match the whole value.
    #[serde(rename = "match")]
    pub pattern: String,
}

/// A stored endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// Id (random, non-zero).
    pub id: u64,
    /// Where events are POSTed (`http://` or `https://`).
    pub url: String,
    /// Subscribed event types.
    pub events: Vec<EventKind>,
    /// Optional filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<FilterSpec>,
    /// `whsec_…` signing secret.
    pub secret: String,
    /// Creation time, ms since the epoch.
    pub created_ms: u64,
}

/// The wire form of an endpoint id.
pub fn id_text(id: u64) -> String {
    format!("wh_{id:016x}")
}

/// Parses [`id_text`]'s form (the `wh_` prefix is optional).
pub fn parse_id(text: &str) -> Option<u64> {
    let hex = text.strip_prefix("wh_").unwrap_or(text);
    if hex.is_empty() || hex.len() > 16 {
        return None;
    }
    u64::from_str_radix(hex, 16).ok().filter(|v| *v != 0)
}

fn endpoint_key(id: u64) -> Vec<u8> {
    let mut k = ENDPOINT_PREFIX.to_vec();
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// Outbox key.
pub fn outbox_key(part: u8, endpoint: u64, seq: u64) -> Vec<u8> {
    let mut k = Vec::with_capacity(17);
    k.push(part);
    k.extend_from_slice(&endpoint.to_be_bytes());
    k.extend_from_slice(&seq.to_be_bytes());
    k
}

/// `[from, to)` of one endpoint's part.
pub fn range(part: u8, endpoint: u64) -> (Vec<u8>, Vec<u8>) {
    let from = outbox_key(part, endpoint, 0);
    let to = match endpoint.checked_add(1) {
        Some(next) => outbox_key(part, next, 0),
        None => vec![part + 1],
    };
    (from, to)
}

/// The sequence number of an outbox key.
pub fn seq_of(key: &[u8]) -> Option<u64> {
    key.get(9..17)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
}

/// The write that stores an endpoint.
pub fn put_endpoint_op(e: &Endpoint) -> Result<Op, StorageError> {
    Ok(Op::Put {
        cf: Cf::Admin,
        key: endpoint_key(e.id),
        value: serde_json::to_vec(e)?,
    })
}

/// The writes that remove an endpoint with its pending events, dead letters and retry state.
pub fn remove_endpoint_ops(id: u64) -> Vec<Op> {
    let mut ops = vec![
        Op::Delete {
            cf: Cf::Admin,
            key: endpoint_key(id),
        },
        delete_retry_op(id),
    ];
    for part in [PENDING, DEAD, DEAD_INFO] {
        let (from, to) = range(part, id);
        ops.push(Op::DeleteRange {
            cf: Cf::Outbox,
            from,
            to,
        });
    }
    ops
}

/// Every stored endpoint; an undecodable record is logged and skipped (it cannot be routed
/// to, and `webhooks.remove` still deletes it by id).
pub fn endpoints(store: &Store) -> Result<Vec<Endpoint>, StorageError> {
    let mut out = Vec::new();
    let mut to = ENDPOINT_PREFIX.to_vec();
    if let Some(last) = to.last_mut() {
        *last += 1;
    }
    store.scan(Cf::Admin, ENDPOINT_PREFIX, Some(&to), |k, v| {
        match serde_json::from_slice::<Endpoint>(v) {
            Ok(e) => out.push(e),
            Err(e) => tracing::error!(key = ?k, error = %e, "damaged webhook endpoint record"),
        }
        true
    })?;
    Ok(out)
}

/// Whether an endpoint record exists.
pub fn exists(store: &Store, id: u64) -> Result<bool, StorageError> {
    Ok(store.get(Cf::Admin, &endpoint_key(id))?.is_some())
}

/// Outbox entries: (key, event JSON).
pub type Entries = Vec<(Vec<u8>, Vec<u8>)>;

/// Up to `max` entries of a part of an endpoint, oldest first.
pub fn read(store: &Store, part: u8, endpoint: u64, max: usize) -> Result<Entries, StorageError> {
    read_from(store, part, endpoint, 0, max)
}

/// Up to `max` entries of a part of an endpoint with a sequence of at least `from_seq`, oldest
/// first. The sender reads from just after what it last deleted: a scan from the start of
/// the range would step over every deleted event's tombstone on each read (quadratic until
/// RocksDB compacts them away).
pub fn read_from(
    store: &Store,
    part: u8,
    endpoint: u64,
    from_seq: u64,
    max: usize,
) -> Result<Entries, StorageError> {
    let (_, to) = range(part, endpoint);
    let from = outbox_key(part, endpoint, from_seq);
    let mut out = Vec::new();
    store.scan(Cf::Outbox, &from, Some(&to), |k, v| {
        out.push((k.to_vec(), v.to_vec()));
        out.len() < max
    })?;
    Ok(out)
}

/// Count and highest sequence of a part of an endpoint (a full range scan: start-up and
/// `webhooks.status` only).
pub fn count(store: &Store, part: u8, endpoint: u64) -> Result<(u64, u64), StorageError> {
    let (from, to) = range(part, endpoint);
    let (mut n, mut max) = (0u64, 0u64);
    store.scan(Cf::Outbox, &from, Some(&to), |k, _| {
        n += 1;
        max = max.max(seq_of(k).unwrap_or(0));
        true
    })?;
    Ok((n, max))
}

/// The time (ms) of the oldest pending event of an endpoint, from its JSON.
pub fn oldest_pending_ms(store: &Store, endpoint: u64) -> Result<Option<u64>, StorageError> {
    Ok(read(store, PENDING, endpoint, 1)?
        .first()
        .and_then(|(_, v)| {
            serde_json::from_slice::<serde_json::Value>(v)
                .ok()?
                .get("time_ms")?
                .as_u64()
        }))
}

/// The outbox put recording when and why the event `seq` of `endpoint` was dead-lettered.
pub fn dead_info_put(endpoint: u64, seq: u64, info: &DeadInfo) -> (Vec<u8>, Vec<u8>) {
    // A struct of an integer and a string always serialises.
    let value = serde_json::to_vec(info).unwrap_or_default();
    (outbox_key(DEAD_INFO, endpoint, seq), value)
}

/// Up to `max` dead letters of an endpoint with a sequence above `after`, oldest first, each
/// with its [`DeadInfo`] when one was recorded (a point read per letter).
pub fn dead_letters(
    store: &Store,
    endpoint: u64,
    after: Option<u64>,
    max: usize,
) -> Result<Vec<DeadLetter>, StorageError> {
    let (from, to) = range(DEAD, endpoint);
    let from = match after.and_then(|a| a.checked_add(1)) {
        Some(next) => outbox_key(DEAD, endpoint, next),
        None if after.is_some() => return Ok(Vec::new()),
        None => from,
    };
    let mut letters = Vec::new();
    store.scan(Cf::Outbox, &from, Some(&to), |k, v| {
        if let Some(seq) = seq_of(k) {
            letters.push(DeadLetter {
                seq,
                event: v.to_vec(),
                info: None,
            });
        }
        letters.len() < max
    })?;
    for letter in &mut letters {
        let key = outbox_key(DEAD_INFO, endpoint, letter.seq);
        letter.info = store
            .get(Cf::Outbox, &key)?
            .and_then(|v| serde_json::from_slice(&v).ok());
    }
    Ok(letters)
}

fn retry_key(id: u64) -> Vec<u8> {
    let mut k = RETRY_PREFIX.to_vec();
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The stored retry state of an endpoint's head batch; an undecodable record counts as none
/// (the batch then starts a new retry window, the same as before this record existed).
pub fn retry_state(store: &Store, id: u64) -> Result<Option<RetryState>, StorageError> {
    Ok(store
        .get(Cf::Admin, &retry_key(id))?
        .and_then(|v| serde_json::from_slice(&v).ok()))
}

/// The write that stores an endpoint's retry state.
pub fn put_retry_op(id: u64, state: &RetryState) -> Result<Op, StorageError> {
    Ok(Op::Put {
        cf: Cf::Admin,
        key: retry_key(id),
        value: serde_json::to_vec(state)?,
    })
}

/// The write that deletes an endpoint's retry state.
pub fn delete_retry_op(id: u64) -> Op {
    Op::Delete {
        cf: Cf::Admin,
        key: retry_key(id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_part_endpoint_and_sequence() {
        let a = outbox_key(PENDING, 1, 5);
        let b = outbox_key(PENDING, 1, 6);
        let c = outbox_key(PENDING, 2, 0);
        let d = outbox_key(DEAD, 1, 0);
        assert!(a < b && b < c && c < d);
        let (from, to) = range(PENDING, 1);
        assert!(from <= a && b < to && c >= to);
        assert_eq!(seq_of(&b), Some(6));
        let (_, end) = range(PENDING, u64::MAX);
        assert_eq!(end, vec![DEAD]);
    }

    #[test]
    fn ids_round_trip() {
        assert_eq!(id_text(0xabc), "wh_0000000000000abc");
        assert_eq!(parse_id("wh_0000000000000abc"), Some(0xabc));
        assert_eq!(parse_id("abc"), Some(0xabc));
        assert_eq!(parse_id("wh_"), None);
        assert_eq!(parse_id("wh_0"), None);
        assert_eq!(parse_id("wh_xyz"), None);
        assert_eq!(parse_id("wh_00000000000000000"), None);
    }

    #[test]
    fn dead_letters_page_with_their_info_and_retry_state_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &crate::config::StorageConfig::default()).unwrap();
        let info = DeadInfo {
            dead_ms: 7,
            error: "HTTP 500".into(),
        };
        let mut ops = Vec::new();
        for seq in [3u64, 5, 9] {
            ops.push(Op::Put {
                cf: Cf::Outbox,
                key: outbox_key(DEAD, 4, seq),
                value: format!("{{\"n\":{seq}}}").into_bytes(),
            });
        }
        let (key, value) = dead_info_put(4, 5, &info);
        ops.push(Op::Put {
            cf: Cf::Outbox,
            key,
            value,
        });
        // Another endpoint's letter and a pending event are not listed.
        for key in [outbox_key(DEAD, 5, 1), outbox_key(PENDING, 4, 4)] {
            ops.push(Op::Put {
                cf: Cf::Outbox,
                key,
                value: b"{}".to_vec(),
            });
        }
        store.write_ops(&ops, false).unwrap();
        let page = dead_letters(&store, 4, None, 2).unwrap();
        assert_eq!(page.iter().map(|l| l.seq).collect::<Vec<_>>(), [3, 5]);
        assert_eq!(page[0].event, br#"{"n":3}"#);
        assert_eq!(
            (page[0].info.as_ref(), page[1].info.as_ref()),
            (None, Some(&info))
        );
        let rest = dead_letters(&store, 4, Some(5), 2).unwrap();
        assert_eq!(rest.iter().map(|l| l.seq).collect::<Vec<_>>(), [9]);
        assert!(dead_letters(&store, 4, Some(u64::MAX), 2)
            .unwrap()
            .is_empty());

        assert_eq!(retry_state(&store, 4).unwrap(), None);
        let state = RetryState {
            head_seq: 3,
            first_attempt_ms: 1_000,
            failures: 2,
        };
        store
            .write_ops(&[put_retry_op(4, &state).unwrap()], false)
            .unwrap();
        assert_eq!(retry_state(&store, 4).unwrap(), Some(state));
        // Not an endpoint record.
        assert!(endpoints(&store).unwrap().is_empty());
        store.write_ops(&remove_endpoint_ops(4), false).unwrap();
        assert_eq!(retry_state(&store, 4).unwrap(), None);
        assert!(dead_letters(&store, 4, None, 10).unwrap().is_empty());
        assert_eq!(read(&store, DEAD_INFO, 4, 10).unwrap(), Vec::new());
        assert_eq!(dead_letters(&store, 5, None, 10).unwrap().len(), 1);
    }
}
