//! The per-shard queue: recipients waiting for delivery, grouped by destination domain.
//!
//! Each shard owns the domains whose hash falls in its slice (see [`crate::storage::keys`]), so
//! this structure is single-threaded (`&mut self`, no locks) and holds only what scheduling
//! needs: the delivery id and the earliest attempt time, 16 bytes per recipient plus the
//! domain's entry. The full record stays in RocksDB and is read when a delivery starts.

use std::collections::{BTreeMap, HashMap, VecDeque};

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

/// All queues of one shard: ready recipients per domain, and a time-ordered map of the
/// deferred ones, which move to their domain's ready queue when due.
#[derive(Debug, Default)]
pub struct ShardQueue {
    domains: HashMap<Box<str>, VecDeque<Waiting>>,
    deferred: BTreeMap<(u64, Id), Box<str>>,
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
    /// Adds a recipient that was just made durable (or reloaded, or deferred again). Entries
    /// whose time has not come wait in the deferred map; [`ShardQueue::advance`] releases them.
    pub fn push(&mut self, notice: QueuedNotice) {
        self.push_at(notice, 0);
    }

    /// Like [`ShardQueue::push`], judging "due" against `now_ms`.
    pub fn push_at(&mut self, notice: QueuedNotice, now_ms: u64) {
        self.len += 1;
        if notice.not_before_ms > now_ms && now_ms > 0 {
            self.deferred.insert(
                (notice.not_before_ms, notice.delivery_id),
                notice.domain.into_boxed_str(),
            );
            return;
        }
        self.domains
            .entry(notice.domain.into_boxed_str())
            .or_default()
            .push_back(Waiting {
                delivery_id: notice.delivery_id,
                not_before_ms: notice.not_before_ms,
            });
    }

    /// Moves every deferred entry due at `now_ms` to its domain's ready queue; returns how many.
    pub fn advance(&mut self, now_ms: u64) -> usize {
        let mut moved = 0;
        while let Some(entry) = self.deferred.first_entry() {
            let (due, id) = *entry.key();
            if due > now_ms {
                break;
            }
            let domain = entry.remove();
            self.domains.entry(domain).or_default().push_back(Waiting {
                delivery_id: id,
                not_before_ms: due,
            });
            moved += 1;
        }
        moved
    }

    /// When the next deferred entry becomes due.
    pub fn next_due(&self) -> Option<u64> {
        self.deferred.keys().next().map(|(due, _)| *due)
    }

    /// Domains with ready recipients, with their counts.
    pub fn ready_domains(&self) -> Vec<(String, usize)> {
        self.domains
            .iter()
            .filter(|(_, q)| !q.is_empty())
            .map(|(d, q)| (d.to_string(), q.len()))
            .collect()
    }

    /// Takes the next ready recipient of `domain` (the caller records its outcome and pushes it
    /// back when deferred).
    pub fn pop(&mut self, domain: &str) -> Option<Waiting> {
        let q = self.domains.get_mut(domain)?;
        let w = q.pop_front();
        if q.is_empty() {
            self.domains.remove(domain);
        }
        if w.is_some() {
            self.len -= 1;
        }
        w
    }

    /// Force send: makes deferred entries ready now — all of them, those of one domain, or one
    /// delivery id. Returns how many moved.
    pub fn force(&mut self, domain: Option<&str>, delivery: Option<Id>) -> usize {
        let keys: Vec<(u64, Id)> = self
            .deferred
            .iter()
            .filter(|((_, id), d)| {
                domain.is_none_or(|want| want == &***d) && delivery.is_none_or(|want| want == *id)
            })
            .map(|(k, _)| *k)
            .collect();
        for key in &keys {
            if let Some(domain) = self.deferred.remove(key) {
                self.domains.entry(domain).or_default().push_back(Waiting {
                    delivery_id: key.1,
                    not_before_ms: key.0,
                });
            }
        }
        keys.len()
    }

    /// Recipients queued on this shard.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of destination domains with at least one ready recipient.
    pub fn domain_count(&self) -> usize {
        self.domains.len()
    }

    /// Recipients waiting for a retry time.
    pub fn deferred_len(&self) -> usize {
        self.deferred.len()
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
        now_ms: u64,
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
                        queue.push_at(
                            QueuedNotice {
                                delivery_id: Id(u64::from_be_bytes(id)),
                                domain_hash: hash,
                                domain: entry.domain,
                                not_before_ms: entry.not_before_ms,
                            },
                            now_ms,
                        );
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
    #[test]
    fn deferred_entries_wait_until_due_and_force_releases_them() {
        let mut q = ShardQueue::default();
        let n = |id: u64, d: &str, at: u64| QueuedNotice {
            delivery_id: Id(id),
            domain_hash: 0,
            domain: d.into(),
            not_before_ms: at,
        };
        q.push_at(n(1, "a.test", 100), 100);
        q.push_at(n(2, "a.test", 500), 100);
        q.push_at(n(3, "b.test", 900), 100);
        assert_eq!(q.len(), 3);
        assert_eq!(q.ready_domains(), vec![("a.test".to_string(), 1)]);
        assert_eq!(q.pop("a.test").map(|w| w.delivery_id), Some(Id(1)));
        assert_eq!(q.pop("a.test"), None);
        assert_eq!(q.next_due(), Some(500));
        assert_eq!(q.advance(499), 0);
        assert_eq!(q.advance(500), 1);
        assert_eq!(q.pop("a.test").map(|w| w.delivery_id), Some(Id(2)));
        assert_eq!(q.force(Some("other.test"), None), 0);
        assert_eq!(q.force(Some("b.test"), None), 1);
        assert_eq!(q.pop("b.test").map(|w| w.delivery_id), Some(Id(3)));
        assert!(q.is_empty());
    }

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
                let (q, stats) = ShardQueue::reload(&store, s, shards, 1).unwrap();
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
