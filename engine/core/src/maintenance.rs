//! Background housekeeping of the spool: deleting message bodies no recipient needs any more,
//! and the daily retention purge of report data. Both run on the blocking pool of shard 0
//! (they scan) and write without fsync: losing a deletion in a crash only means doing it again
//! next time.
//!
//! The purge deletes by range (one tombstone per key range, whatever the number of records
//! behind it), so it is one small write that intake batches never wait behind; the space comes
//! back as compaction drops the covered files. When it runs and what it keeps is decided in
//! [`retention`], without I/O.

pub mod retention;

use std::collections::HashSet;

use crate::clock::Clock;
use crate::ids::Id;
use crate::storage::{log_index, retention_mark, Cf, Op, QueueEntry, StorageError, Store};
use retention::{Decision, RetentionPolicy};

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

/// Range-deletes the report data recorded before `cutoff_ms`: delivery-log records and their
/// index entries (whole UTC days for the indexes), the error log with the raw bounces, the
/// messages kept by the receiving listener, the graph counters (whole hours and UTC days) and
/// the shaping rule firings;
/// `extra` goes into the same batch. Then bulk jobs finished before the cutoff and idempotency
/// keys past their 24 hours at `now_ms`. Returns how many jobs and keys went.
fn purge(
    store: &Store,
    now_ms: u64,
    cutoff_ms: u64,
    extra: Option<Op>,
) -> Result<(usize, usize), StorageError> {
    let mut ops = log_index::retention_ops(cutoff_ms);
    ops.push(crate::bounces::retention_op(cutoff_ms));
    ops.extend(crate::receiving::retention_ops(cutoff_ms));
    ops.extend(crate::storage::graph_counters::retention_ops(cutoff_ms));
    ops.push(crate::storage::shaping_log::retention_op(cutoff_ms));
    ops.extend(crate::storage::oplog::retention_ops(store, now_ms)?);
    ops.extend(extra);
    store.write_ops(&ops, false)?;
    crate::api::apply_retention(store, now_ms, cutoff_ms)
}

/// A purge at the rolling cutoff `now_ms − days × 24 h`, without the daily schedule (tests of
/// the families' retention, which predate the schedule).
pub fn apply_retention(store: &Store, now_ms: u64, days: u64) -> Result<(), StorageError> {
    purge(
        store,
        now_ms,
        now_ms.saturating_sub(days.saturating_mul(86_400_000)),
        None,
    )?;
    Ok(())
}

/// What a retention check did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetentionOutcome {
    /// Not due; the next purge is due at `next_ms`.
    Waited {
        /// The next slot, ms since the epoch.
        next_ms: u64,
    },
    /// Report data before `cutoff_ms` was deleted.
    Purged {
        /// The slot served (earlier than the check after downtime).
        slot_ms: u64,
        /// Local midnight starting the oldest day kept.
        cutoff_ms: u64,
        /// Bulk jobs deleted.
        jobs: usize,
        /// Idempotency keys deleted.
        idempotency_keys: usize,
    },
}

/// One check of the daily purge: purges when `policy` says one is due at `clock`'s time given
/// the last purge recorded in the spool, and records this one in the same batch as the deletes.
pub fn run_retention(
    store: &Store,
    clock: &dyn Clock,
    policy: &RetentionPolicy,
) -> Result<RetentionOutcome, StorageError> {
    let now = clock.now_ms();
    match policy.decide(retention_mark::last_purge(store)?, now) {
        Decision::Wait { next_ms } => Ok(RetentionOutcome::Waited { next_ms }),
        Decision::Purge { slot_ms, cutoff_ms } => {
            let (jobs, idempotency_keys) =
                purge(store, now, cutoff_ms, Some(retention_mark::mark_op(now)))?;
            Ok(RetentionOutcome::Purged {
                slot_ms,
                cutoff_ms,
                jobs,
                idempotency_keys,
            })
        }
    }
}

#[cfg(test)]
mod retention_tests;

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
