//! Typed reads of what a delivery needs from the spool: its queue entry, the message's metadata
//! and its body.
//!
//! Every read answers with a value the caller must look at: the record, [`ReadError::Missing`],
//! [`ReadError::Corrupt`] (present but undecodable) or [`ReadError::Io`] (RocksDB failed; the
//! data may be fine). The delivery path used to turn the first two into an empty body or a null
//! sender and send that; a damaged message is now never sent (KumoMTA's spool makes the same
//! distinction in `crates/spool/src/lib.rs`).
//!
//! Damaged entries are kept for inspection under `damaged/` keys of the `admin` family (see
//! [`damaged_op`]): the queue entry is removed so it does not come back at every start, and the
//! raw bytes, the reason and the time stay until an operator looks at them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::keys::{domain_hash, queue_key};
use super::{Cf, MessageMeta, Op, QueueEntry, StorageError, Store};
use crate::ids::Id;

/// Why a record could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// No record under the key.
    #[error("missing")]
    Missing,
    /// A record is there but does not decode.
    #[error("corrupt: {0}")]
    Corrupt(String),
    /// The read itself failed; the record may be intact.
    #[error(transparent)]
    Io(#[from] StorageError),
}

fn decode<T: serde::de::DeserializeOwned>(raw: &[u8]) -> Result<T, ReadError> {
    serde_json::from_slice(raw).map_err(|e| ReadError::Corrupt(e.to_string()))
}

fn get(store: &Store, cf: Cf, key: &[u8]) -> Result<Vec<u8>, ReadError> {
    store.get(cf, key)?.ok_or(ReadError::Missing)
}

/// The queue entry of `delivery` in `domain`'s queue.
pub fn queue_entry(store: &Store, domain: &str, delivery: Id) -> Result<QueueEntry, ReadError> {
    decode(&get(
        store,
        Cf::Queue,
        &queue_key(domain_hash(domain), delivery),
    )?)
}

/// The metadata of message `message`.
pub fn message_meta(store: &Store, message: Id) -> Result<MessageMeta, ReadError> {
    decode(&get(store, Cf::MessageMeta, &message.to_be_bytes())?)
}

/// The stored body of message `message`. An empty value is corrupt: intake never stores one
/// (every message carries at least our `Received` header).
pub fn message_body(store: &Store, message: Id) -> Result<Vec<u8>, ReadError> {
    let body = get(store, Cf::Messages, &message.to_be_bytes())?;
    if body.is_empty() {
        return Err(ReadError::Corrupt("empty body".into()));
    }
    Ok(body)
}

/// Everything one delivery needs, read and checked.
#[derive(Debug, Clone)]
pub struct Spooled {
    /// The queue entry.
    pub entry: QueueEntry,
    /// The message's metadata.
    pub meta: Arc<MessageMeta>,
    /// The body.
    pub body: Arc<[u8]>,
}

/// What reading a queued delivery found.
#[derive(Debug)]
pub enum DeliveryRead {
    /// Intact: deliver it.
    Ready(Spooled),
    /// No queue entry any more (finished or removed meanwhile): nothing to do.
    Gone,
    /// Something is missing or undecodable: never send it.
    Damaged(Damage),
}

/// A damaged delivery: what is known of it and what is wrong.
#[derive(Debug, Clone)]
pub struct Damage {
    /// The delivery.
    pub delivery: Id,
    /// Its destination domain (from the in-memory queue; empty when only the key is known).
    pub domain: String,
    /// Key of its queue entry.
    pub queue_key: Vec<u8>,
    /// The queue entry, when it decoded.
    pub entry: Option<QueueEntry>,
    /// The metadata, when it decoded.
    pub meta: Option<Arc<MessageMeta>>,
    /// The raw queue entry as stored (kept for inspection).
    pub raw_entry: Option<Vec<u8>>,
    /// What is wrong, for the delivery log: "message body missing", …
    pub reason: String,
}

/// Reads delivery `delivery` of `domain` with its message. `Err` only for I/O failures (the
/// caller retries later); damage is a value.
pub fn read_delivery(
    store: &Store,
    domain: &str,
    delivery: Id,
) -> Result<DeliveryRead, StorageError> {
    let key = queue_key(domain_hash(domain), delivery).to_vec();
    let raw_entry = match store.get(Cf::Queue, &key)? {
        Some(raw) => raw,
        None => return Ok(DeliveryRead::Gone),
    };
    let mut damage = Damage {
        delivery,
        domain: domain.to_string(),
        queue_key: key,
        entry: None,
        meta: None,
        raw_entry: None,
        reason: String::new(),
    };
    let entry: QueueEntry = match decode(&raw_entry) {
        Ok(e) => e,
        Err(e) => {
            damage.raw_entry = Some(raw_entry);
            damage.reason = format!("queue entry {e}");
            return Ok(DeliveryRead::Damaged(damage));
        }
    };
    damage.raw_entry = Some(raw_entry);
    damage.entry = Some(entry.clone());
    let Some(message) = Id::parse(&entry.message_id) else {
        damage.reason = format!(
            "queue entry names no valid message id ({:?})",
            entry.message_id
        );
        return Ok(DeliveryRead::Damaged(damage));
    };
    let meta = match message_meta(store, message) {
        Ok(m) => Arc::new(m),
        Err(ReadError::Io(e)) => return Err(e),
        Err(e) => {
            damage.reason = format!("message metadata {e}");
            return Ok(DeliveryRead::Damaged(damage));
        }
    };
    damage.meta = Some(meta.clone());
    let body = match message_body(store, message) {
        Ok(b) => Arc::from(b),
        Err(ReadError::Io(e)) => return Err(e),
        Err(e) => {
            damage.reason = format!("message body {e}");
            return Ok(DeliveryRead::Damaged(damage));
        }
    };
    Ok(DeliveryRead::Ready(Spooled { entry, meta, body }))
}

/// A damaged delivery kept for inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DamagedRecord {
    /// When it was found, ms since the epoch.
    pub time_ms: u64,
    /// Delivery id (hex).
    pub delivery_id: String,
    /// Destination domain.
    pub domain: String,
    /// What is wrong.
    pub reason: String,
    /// The queue entry as stored (lossy UTF-8; entries are JSON).
    pub raw_entry: Option<String>,
}

const DAMAGED_PREFIX: &[u8] = b"damaged/";

/// The write that keeps `damage` for inspection (committed with the `failed` record and the
/// queue entry's removal).
pub fn damaged_op(damage: &Damage, now_ms: u64) -> Result<Op, StorageError> {
    let record = DamagedRecord {
        time_ms: now_ms,
        delivery_id: damage.delivery.to_string(),
        domain: damage.domain.clone(),
        reason: damage.reason.clone(),
        raw_entry: damage
            .raw_entry
            .as_deref()
            .map(|r| String::from_utf8_lossy(r).into_owned()),
    };
    let mut key = DAMAGED_PREFIX.to_vec();
    key.extend_from_slice(&damage.delivery.to_be_bytes());
    Ok(Op::Put {
        cf: Cf::Admin,
        key,
        value: serde_json::to_vec(&record)?,
    })
}

/// The queue-entry removal of a damaged delivery.
pub fn remove_entry_op(damage: &Damage) -> Op {
    Op::Delete {
        cf: Cf::Queue,
        key: damage.queue_key.clone(),
    }
}

impl Damage {
    /// A queue entry found undecodable by a range scan (the queue reload at start), known by
    /// its key alone; `None` when the key is not a queue key.
    pub fn undecodable_entry(key: &[u8], raw: &[u8], error: &str) -> Option<Damage> {
        let id = key.get(8..16).and_then(|b| <[u8; 8]>::try_from(b).ok())?;
        Some(Damage {
            delivery: Id(u64::from_be_bytes(id)),
            domain: String::new(),
            queue_key: key.to_vec(),
            entry: None,
            meta: None,
            raw_entry: Some(raw.to_vec()),
            reason: format!("queue entry corrupt: {error}"),
        })
    }
}

/// Every damaged delivery kept, oldest id first.
pub fn damaged(store: &Store) -> Result<Vec<DamagedRecord>, StorageError> {
    let mut end = DAMAGED_PREFIX.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let mut out = Vec::new();
    store.scan(Cf::Admin, DAMAGED_PREFIX, Some(&end), |_, v| {
        match serde_json::from_slice::<DamagedRecord>(v) {
            Ok(r) => out.push(r),
            Err(e) => out.push(DamagedRecord {
                time_ms: 0,
                delivery_id: String::new(),
                domain: String::new(),
                reason: format!("damaged-record itself undecodable: {e}"),
                raw_entry: Some(String::from_utf8_lossy(v).into_owned()),
            }),
        }
        true
    })?;
    Ok(out)
}

/// How many damaged deliveries are kept (for `system.status`).
pub fn damaged_count(store: &Store) -> Result<u64, StorageError> {
    let mut end = DAMAGED_PREFIX.to_vec();
    if let Some(last) = end.last_mut() {
        *last += 1;
    }
    let mut n = 0u64;
    store.scan(Cf::Admin, DAMAGED_PREFIX, Some(&end), |_, _| {
        n += 1;
        true
    })?;
    Ok(n)
}

#[cfg(test)]
mod tests;
