//! Idempotency keys of `send.single` (SPEC §4: the same key within 24 h returns the first
//! call's result and sends nothing new).
//!
//! Each key is one record in the `admin` column family, `idem/<caller>/<key>`, holding the
//! time of the first call and its result; it is written in the same durable batch as the mail
//! it describes, so a remembered result always names mail that is really queued. A record older
//! than [`TTL_MS`] counts as absent, whether or not the hourly retention pass
//! ([`crate::maintenance::apply_retention`]) has deleted it yet. Every function takes `now_ms`
//! so expiry is tested with an injected time.

use hikyaku_rpc::types::send::SendResult;
use serde::{Deserialize, Serialize};

use crate::storage::{Cf, Op, StorageError, Store};

/// How long an idempotency key is remembered (SPEC §4).
pub(crate) const TTL_MS: u64 = 24 * 3600 * 1000;

const PREFIX: &[u8] = b"idem/";
/// First key after every `idem/…` key (`'0'` follows `'/'`).
const END: &[u8] = b"idem0";

#[derive(Serialize, Deserialize)]
struct Remembered {
    time_ms: u64,
    result: SendResult,
}

/// The record key of `key` given by the caller filed under `caller_key`.
pub(crate) fn key(caller_key: &str, key: &str) -> Vec<u8> {
    format!("idem/{}/{key}", caller_key.to_ascii_lowercase()).into_bytes()
}

/// The result remembered under `key`, unless there is none, it is older than [`TTL_MS`] at
/// `now_ms`, or it cannot be read (a corrupt record is treated as absent: the worst outcome
/// is one send the caller asked for again).
pub(crate) fn lookup(
    store: &Store,
    key: &[u8],
    now_ms: u64,
) -> Result<Option<SendResult>, StorageError> {
    let Some(bytes) = store.get(Cf::Admin, key)? else {
        return Ok(None);
    };
    Ok(match serde_json::from_slice::<Remembered>(&bytes) {
        Ok(r) if !expired(r.time_ms, now_ms) => Some(r.result),
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(key = %String::from_utf8_lossy(key), error = %e, "corrupt idempotency record ignored");
            None
        }
    })
}

/// The write that remembers `result` under `key` from `now_ms` on.
pub(crate) fn remember_op(
    key: &[u8],
    now_ms: u64,
    result: &SendResult,
) -> Result<Op, StorageError> {
    Ok(Op::Put {
        cf: Cf::Admin,
        key: key.to_vec(),
        value: serde_json::to_vec(&Remembered {
            time_ms: now_ms,
            result: result.clone(),
        })?,
    })
}

fn expired(time_ms: u64, now_ms: u64) -> bool {
    now_ms.saturating_sub(time_ms) >= TTL_MS
}

/// Deletes every record expired at `now_ms` (and unreadable ones); returns how many.
pub(crate) fn prune(store: &Store, now_ms: u64) -> Result<usize, StorageError> {
    let mut doomed = Vec::new();
    store.scan(Cf::Admin, PREFIX, Some(END), |k, v| {
        let old = serde_json::from_slice::<Remembered>(v)
            .map(|r| expired(r.time_ms, now_ms))
            .unwrap_or(true);
        if old {
            doomed.push(k.to_vec());
        }
        true
    })?;
    for chunk in doomed.chunks(1000) {
        let ops: Vec<Op> = chunk
            .iter()
            .map(|k| Op::Delete {
                cf: Cf::Admin,
                key: k.clone(),
            })
            .collect();
        store.write_ops(&ops, false)?;
    }
    Ok(doomed.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    fn result(id: &str) -> SendResult {
        SendResult {
            message_id: id.into(),
            header_message_id: format!("{id}@h"),
            deliveries: Vec::new(),
            rejected: Vec::new(),
            duplicate: false,
        }
    }

    #[test]
    fn a_key_is_known_for_24_hours_then_unknown_and_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let t0 = 1_700_000_000_000;
        let old = key("u:App", "order-1");
        let young = key("u:app", "order-2");
        assert_eq!(old, b"idem/u:app/order-1");
        store
            .write_ops(
                &[
                    remember_op(&old, t0, &result("a")).unwrap(),
                    remember_op(&young, t0 + 3_600_000, &result("b")).unwrap(),
                ],
                false,
            )
            .unwrap();
        let found = |k: &[u8], now| lookup(&store, k, now).unwrap().map(|r| r.message_id);
        assert_eq!(found(&old, t0), Some("a".into()));
        assert_eq!(found(&old, t0 + TTL_MS - 1), Some("a".into()));
        // At 24 h the key is unknown even before the retention pass deletes it.
        assert_eq!(found(&old, t0 + TTL_MS), None);
        assert_eq!(found(&young, t0 + TTL_MS), Some("b".into()));
        // Pruning at that time deletes only the expired record.
        assert_eq!(prune(&store, t0 + TTL_MS).unwrap(), 1);
        assert!(store.get(Cf::Admin, &old).unwrap().is_none());
        assert!(store.get(Cf::Admin, &young).unwrap().is_some());
        assert_eq!(prune(&store, t0 + TTL_MS).unwrap(), 0);
    }

    #[test]
    fn the_daily_retention_pass_deletes_expired_keys() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let t0 = 1_700_000_000_000;
        let k = key("u:app", "order-1");
        store
            .write_ops(&[remember_op(&k, t0, &result("a")).unwrap()], false)
            .unwrap();
        crate::maintenance::apply_retention(&store, t0 + TTL_MS - 1, 40).unwrap();
        assert!(store.get(Cf::Admin, &k).unwrap().is_some());
        crate::maintenance::apply_retention(&store, t0 + TTL_MS, 40).unwrap();
        assert!(store.get(Cf::Admin, &k).unwrap().is_none());
    }

    #[test]
    fn a_corrupt_record_is_absent_and_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let k = key("u:app", "x");
        store
            .write_ops(
                &[Op::Put {
                    cf: Cf::Admin,
                    key: k.clone(),
                    value: b"{not json".to_vec(),
                }],
                false,
            )
            .unwrap();
        assert!(lookup(&store, &k, 0).unwrap().is_none());
        assert_eq!(prune(&store, 0).unwrap(), 1);
    }
}
