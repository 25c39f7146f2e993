//! Background housekeeping of the spool: deleting message bodies no recipient needs any more,
//! and delivery-log retention. Both run on the blocking pool of shard 0 (they scan) and write
//! without fsync: losing a deletion in a crash only means doing it again next time.

use std::collections::HashSet;

use crate::ids::Id;
use crate::storage::{log_index, Cf, Op, QueueEntry, StorageError, Store};

/// How long a body without queue entries is kept anyway: covers a message whose metadata was
/// written after the queue scan of the same pass started.
const GRACE_MS: u64 = 60_000;

/// What a garbage-collection pass did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct GcStats {
    /// Messages still referenced by a queue entry.
    pub live: usize,
    /// Messages whose body and metadata were deleted.
    pub deleted: usize,
}

/// Deletes body and metadata of every message that no queue entry references and that is
/// older than the grace period. Intake writes a message's metadata and its queue entries in
/// one batch, so an unreferenced message can only be one whose deliveries all finished.
pub fn collect_garbage(store: &Store, now_ms: u64) -> Result<GcStats, StorageError> {
    let mut live: HashSet<u64> = HashSet::new();
    store.scan(Cf::Queue, b"", None, |_, v| {
        if let Ok(entry) = serde_json::from_slice::<QueueEntry>(v) {
            if let Some(id) = Id::parse(&entry.message_id) {
                live.insert(id.0);
            }
        }
        true
    })?;
    let cutoff = now_ms.saturating_sub(GRACE_MS);
    let mut doomed = Vec::new();
    store.scan(Cf::MessageMeta, b"", None, |k, _| {
        if let Ok(bytes) = <[u8; 8]>::try_from(k) {
            let id = Id(u64::from_be_bytes(bytes));
            if !live.contains(&id.0) && id.millis() < cutoff {
                doomed.push(id);
            }
        }
        true
    })?;
    for chunk in doomed.chunks(1000) {
        let ops: Vec<Op> = chunk
            .iter()
            .flat_map(|id| {
                [Cf::Messages, Cf::MessageMeta].map(|cf| Op::Delete {
                    cf,
                    key: id.to_be_bytes().to_vec(),
                })
            })
            .collect();
        store.write_ops(&ops, false)?;
    }
    Ok(GcStats {
        live: live.len(),
        deleted: doomed.len(),
    })
}

/// Range-deletes delivery-log records (and their index entries), error-log records and
/// received messages older than `days`.
pub fn apply_retention(store: &Store, now_ms: u64, days: u64) -> Result<(), StorageError> {
    let cutoff = now_ms.saturating_sub(days.saturating_mul(86_400_000));
    let mut ops = log_index::retention_ops(cutoff);
    ops.push(crate::bounces::retention_op(cutoff));
    ops.extend(crate::receiving::retention_ops(cutoff));
    ops.extend(crate::storage::graph_counters::retention_ops(cutoff));
    store.write_ops(&ops, false)?;
    // Bulk jobs finished as long ago as the oldest log kept, and idempotency keys past 24 h.
    let (jobs, keys) = crate::api::apply_retention(store, now_ms, cutoff)?;
    if jobs + keys > 0 {
        tracing::info!(
            jobs,
            idempotency_keys = keys,
            "API records past retention deleted"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;
    use crate::ids::IdGen;
    use crate::intake::{prepare, IntakeContext};
    use hikyaku_smtp::{parse_address, Transaction};

    #[test]
    fn only_unreferenced_old_messages_are_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let ctx = IntakeContext {
            hostname: "h",
            peer_ip: "127.0.0.1".parse().unwrap(),
            tls_version: None,
            tags: &[],
            policy: &crate::policy::NO_POLICY,
        };
        let tx = Transaction {
            helo: "c".into(),
            mail_from: None,
            recipients: vec![parse_address("a@x.test", false).unwrap()],
            body: b"Subject: s\r\n\r\nb\r\n".to_vec(),
            smtputf8: false,
            eight_bit_mime: false,
            auth_user: None,
            tls: false,
        };
        let mut ids = IdGen::new(0);
        let t0 = 1_700_000_000_000;
        let done = prepare(&tx, &ctx, &mut ids, t0).unwrap();
        let pending = prepare(&tx, &ctx, &mut ids, t0).unwrap();
        let fresh = prepare(&tx, &ctx, &mut ids, t0 + 10 * GRACE_MS).unwrap();
        for p in [&done, &pending, &fresh] {
            store.write_ops(&p.ops, false).unwrap();
        }
        // `done` finished: its queue entry is gone; `fresh` finished too but is within grace.
        for p in [&done, &fresh] {
            let queue_ops: Vec<Op> = p
                .ops
                .iter()
                .filter_map(|op| match op {
                    Op::Put {
                        cf: Cf::Queue, key, ..
                    } => Some(Op::Delete {
                        cf: Cf::Queue,
                        key: key.clone(),
                    }),
                    _ => None,
                })
                .collect();
            store.write_ops(&queue_ops, false).unwrap();
        }
        let stats = collect_garbage(&store, t0 + 10 * GRACE_MS + 1).unwrap();
        assert_eq!(
            stats,
            GcStats {
                live: 1,
                deleted: 1
            }
        );
        let body = |id: Id| store.get(Cf::Messages, &id.to_be_bytes()).unwrap();
        assert!(body(done.message_id).is_none());
        assert!(body(pending.message_id).is_some());
        assert!(body(fresh.message_id).is_some());
    }
}
