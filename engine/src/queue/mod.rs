//! The per-shard queue: recipients waiting for delivery, grouped by destination domain.
//!
//! Each shard owns the domains whose hash falls in its slice (see [`crate::storage::keys`]), so
//! this structure is single-threaded (`&mut self`, no locks) and holds only what scheduling
//! needs: the delivery id and the earliest attempt time, 16 bytes per recipient plus the
//! domain's entry. The full record stays in RocksDB and is read when a delivery starts.

use std::collections::{HashMap, VecDeque};

use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::storage::keys::{queue_key, shard_hash_range};
use crate::storage::{Cf, QueueEntry, StorageError, Store};

/// A recipient waiting in a domain queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Delivery id.
    pub delivery_id: Id,
    /// Earliest attempt, ms since the epoch.
    pub not_before_ms: u64,
}

/// All queues of one shard.
#[derive(Debug, Default)]
pub struct ShardQueue {
    domains: HashMap<Box<str>, VecDeque<Waiting>>,
    len: usize,
}

/// What a reload found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReloadStats {
    /// Entries loaded.
    pub entries: usize,
    /// Entries whose record could not be decoded (left on disk, reported).
    pub corrupt: usize,
}

impl ShardQueue {
    /// Adds a recipient that was just made durable.
    pub fn push(&mut self, notice: QueuedNotice) {
        self.domains
            .entry(notice.domain.into_boxed_str())
            .or_default()
            .push_back(Waiting {
                delivery_id: notice.delivery_id,
                not_before_ms: notice.not_before_ms,
            });
        self.len += 1;
    }

    /// Recipients queued on this shard.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of destination domains with at least one recipient.
    pub fn domain_count(&self) -> usize {
        self.domains.len()
    }

    /// The waiting recipients of one domain, oldest first.
    pub fn domain(&self, domain: &str) -> Option<&VecDeque<Waiting>> {
        self.domains.get(domain)
    }

    /// Rebuilds the queue of `shard` (of `shards`) from the spool with one range scan.
    pub fn reload(
        store: &Store,
        shard: usize,
        shards: usize,
    ) -> Result<(Self, ReloadStats), StorageError> {
        let (lo, hi) = shard_hash_range(shard, shards);
        let from = queue_key(lo, Id(0));
        let to = hi.map(|h| queue_key(h, Id(0)));
        let mut queue = Self::default();
        let mut stats = ReloadStats::default();
        store.scan(
            Cf::Queue,
            &from,
            to.as_ref().map(|k| &k[..]),
            |key, value| {
                let entry = serde_json::from_slice::<QueueEntry>(value);
                let id = key.get(8..16).and_then(|b| <[u8; 8]>::try_from(b).ok());
                match (entry, id) {
                    (Ok(entry), Some(id)) => {
                        let hash = key
                            .get(..8)
                            .and_then(|b| <[u8; 8]>::try_from(b).ok())
                            .map_or(0, u64::from_be_bytes);
                        queue.push(QueuedNotice {
                            delivery_id: Id(u64::from_be_bytes(id)),
                            domain_hash: hash,
                            domain: entry.domain,
                            not_before_ms: entry.not_before_ms,
                        });
                        stats.entries += 1;
                    }
                    _ => {
                        stats.corrupt += 1;
                        tracing::error!(key = ?key, "undecodable queue entry left in the spool");
                    }
                }
                true
            },
        )?;
        Ok((queue, stats))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;
    use crate::storage::keys::{domain_hash, owner_shard};
    use crate::storage::Op;

    fn entry(id: u64, domain: &str) -> Op {
        let e = QueueEntry {
            delivery_id: Id(id).to_string(),
            message_id: "m".into(),
            recipient: format!("u@{domain}"),
            domain: domain.into(),
            attempts: 0,
            not_before_ms: 5,
            created_ms: 5,
            priority: 1,
        };
        Op::Put {
            cf: Cf::Queue,
            key: queue_key(domain_hash(domain), Id(id)).to_vec(),
            value: serde_json::to_vec(&e).unwrap(),
        }
    }

    #[test]
    fn reload_splits_domains_over_shards_without_loss() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let domains: Vec<String> = (0..50).map(|i| format!("d{i}.test")).collect();
        let ops: Vec<Op> = (0..500u64)
            .map(|i| entry(i + 1, &domains[(i % 50) as usize]))
            .collect();
        store.write_ops(&ops, false).unwrap();
        store
            .write_ops(
                &[Op::Put {
                    cf: Cf::Queue,
                    key: queue_key(domain_hash("bad.test"), Id(9999)).to_vec(),
                    value: b"not json".to_vec(),
                }],
                false,
            )
            .unwrap();
        for shards in [1usize, 2, 3, 8] {
            let mut total = 0;
            let mut corrupt = 0;
            for s in 0..shards {
                let (q, stats) = ShardQueue::reload(&store, s, shards).unwrap();
                for d in &domains {
                    if q.domain(d).is_some() {
                        assert_eq!(owner_shard(domain_hash(d), shards), s);
                        assert_eq!(q.domain(d).map(VecDeque::len), Some(10));
                    }
                }
                total += stats.entries;
                corrupt += stats.corrupt;
            }
            assert_eq!(total, 500);
            assert_eq!(corrupt, 1);
        }
    }
}
