//! The per-shard queue: recipients waiting for delivery, grouped by destination domain.
//!
//! Each shard queues the domains whose hash falls in its slice (see [`crate::storage::keys`])
//! and its share of the hot domains spread over all shards ([`spread`]); this structure is
//! single-threaded (`&mut self`, no locks). It wraps `hikyaku-scheduler`:
//! deferred recipients wait in a hierarchical timer wheel until their retry (or hold-until)
//! time, ready ones wait per domain in three priority classes served 8:3:1 by deficit round
//! robin, so lower classes are never starved. Only the delivery id, time, domain id and class
//! are kept in memory (about 51 bytes per recipient at a million); the full record stays in
//! RocksDB and is read when a delivery starts.

mod hold;
pub mod hot;
pub mod spread;

use hikyaku_scheduler::{DestTable, Entry, Priority, Scheduler};

use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::storage::keys::{queue_key, shard_hash_range};
use crate::storage::spool::Damage;
use crate::storage::{Cf, QueueEntry, StorageError, Store};

/// A recipient taken from the queue for delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    /// Delivery id.
    pub delivery_id: Id,
    /// The time it was due, ms since the epoch.
    pub not_before_ms: u64,
}

/// All queues of one shard.
#[derive(Debug)]
pub struct ShardQueue {
    scheduler: Scheduler<()>,
    domains: DestTable,
    /// Recipients held for a stopped shaping site ([`hold`]), so that `shaping.clear` can let
    /// them go before their hold ends.
    shaping_holds: hold::ShapingHolds,
}

impl Default for ShardQueue {
    fn default() -> Self {
        Self {
            scheduler: Scheduler::new(),
            domains: DestTable::new(),
            shaping_holds: hold::ShapingHolds::default(),
        }
    }
}

/// Scheduler class of a stored priority byte (0 high, 1 normal, 2 low).
fn class(priority: u8) -> Priority {
    match priority {
        0 => Priority::High,
        2 => Priority::Low,
        _ => Priority::Normal,
    }
}

/// What a reload found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ReloadStats {
    /// Entries loaded.
    pub entries: usize,
    /// Entries whose record could not be decoded (returned as [`Damage`] for the shard to
    /// record `failed` and keep for inspection).
    pub corrupt: usize,
}

impl ShardQueue {
    /// Adds a recipient that is due now (just made durable, or handed over by another shard).
    pub fn push(&mut self, notice: QueuedNotice) {
        let now = notice.not_before_ms;
        self.push_at(notice, now);
    }

    /// Adds a recipient; if its `not_before_ms` is after `now_ms` it waits in the timer wheel
    /// until [`ShardQueue::advance`] passes that time.
    pub fn push_at(&mut self, notice: QueuedNotice, now_ms: u64) {
        let dest = match self.domains.intern(&notice.domain) {
            Ok(d) => d,
            Err(e) => {
                tracing::error!(error = %e, domain = %notice.domain, "cannot queue: too many destinations");
                return;
            }
        };
        let entry = Entry {
            id: notice.delivery_id.0,
            dest,
            priority: class(notice.priority),
            not_before_ms: notice.not_before_ms,
            payload: (),
        };
        if let Err(e) = self.scheduler.enqueue(entry, now_ms) {
            // A duplicate id (e.g. handed over twice during a restart) is already queued.
            tracing::debug!(error = %e, delivery = %notice.delivery_id, "not queued again");
        }
    }

    /// Moves every deferred entry due at `now_ms` to its domain's ready queue; returns how many.
    pub fn advance(&mut self, now_ms: u64) -> usize {
        self.scheduler.advance(now_ms)
    }

    /// A lower bound of when the next deferred entry becomes due.
    pub fn next_due(&self) -> Option<u64> {
        self.scheduler.next_due()
    }

    /// Domains with ready recipients and their counts, in round-robin order.
    pub fn ready_domains(&mut self) -> Vec<(String, usize)> {
        let n = self.scheduler.ready_dests();
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let Some(dest) = self.scheduler.next_ready_dest() else {
                break;
            };
            let ready = self.scheduler.dest_stats(dest).ready_total() as usize;
            if ready == 0 {
                continue;
            }
            if let Some(name) = self.domains.name(dest) {
                if !out.iter().any(|(d, _): &(String, usize)| d == name) {
                    out.push((name.to_string(), ready));
                }
            }
        }
        out
    }

    /// Takes the next ready recipient of `domain` (higher classes first, lower ones keep their
    /// share). The caller records its outcome and pushes it back when deferred.
    pub fn pop(&mut self, domain: &str) -> Option<Waiting> {
        let dest = self.domains.get(domain)?;
        self.scheduler.pop(dest).map(|e| Waiting {
            delivery_id: Id(e.id),
            not_before_ms: e.not_before_ms,
        })
    }

    /// Force send: makes deferred entries ready now — all of them, those of one domain, or one
    /// delivery id. Returns how many moved.
    pub fn force(&mut self, domain: Option<&str>, delivery: Option<Id>, now_ms: u64) -> usize {
        match (domain, delivery) {
            (_, Some(id)) => usize::from(self.scheduler.force_id(id.0, now_ms).unwrap_or(false)),
            (Some(d), None) => self
                .domains
                .get(d)
                .map_or(0, |dest| self.scheduler.force_dest(dest, now_ms)),
            (None, None) => self.scheduler.force_all(now_ms),
        }
    }

    /// Holds a queued recipient until `until_ms` (prohibited hours); it is not delivered before.
    pub fn hold(&mut self, delivery: Id, until_ms: u64) -> bool {
        self.scheduler.hold(delivery.0, until_ms).is_ok()
    }

    /// Recipients queued on this shard (ready, deferred and held).
    pub fn len(&self) -> usize {
        self.scheduler.len()
    }

    /// Whether nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.scheduler.is_empty()
    }

    /// Number of destination domains with at least one ready recipient.
    pub fn domain_count(&self) -> usize {
        self.scheduler.ready_dests()
    }

    /// Recipients waiting for a retry time.
    pub fn deferred_len(&self) -> usize {
        self.scheduler.len_deferred()
    }

    /// Queue depth for `/metrics`: totals and the largest domains (ready + deferred + held),
    /// at most `crate::metrics::TOP_DOMAINS`. Walks every domain this shard has seen, so it
    /// runs per scrape, never per message.
    pub fn depth(&self) -> crate::metrics::QueueDepth {
        let domains = (0..self.domains.len())
            .filter_map(|i| {
                let dest = hikyaku_scheduler::DestId(u32::try_from(i).ok()?);
                let s = self.scheduler.dest_stats(dest);
                let n = u64::from(s.ready_total()) + u64::from(s.deferred) + u64::from(s.held);
                Some((self.domains.name(dest)?.to_string(), n)).filter(|_| n > 0)
            })
            .collect();
        crate::metrics::QueueDepth {
            total: self.scheduler.len() as u64,
            deferred: self.scheduler.len_deferred() as u64,
            held: self.scheduler.len_held() as u64,
            domains: crate::metrics::top_domains(domains),
        }
    }

    /// Ready recipients of one domain.
    pub fn ready_count(&self, domain: &str) -> usize {
        self.domains
            .get(domain)
            .map_or(0, |d| self.scheduler.dest_stats(d).ready_total() as usize)
    }

    /// Rebuilds the queue of `shard` (of `shards`) from the spool with one range scan of its
    /// home slice; entries that do not decode come back as damage (they cannot be queued: their
    /// domain is unknown). A backlog of a hot domain is spread over the shards as intake would
    /// (`spread::reload_owners`): the entries owned by other shards come back in
    /// [`Reloaded::forward`], by owner, for the caller to hand over.
    pub fn reload(
        store: &Store,
        shard: usize,
        shards: usize,
        now_ms: u64,
    ) -> Result<Reloaded, StorageError> {
        let (lo, hi) = shard_hash_range(shard, shards);
        let from = queue_key(lo, Id(0));
        let to = hi.map(|h| queue_key(h, Id(0)));
        let mut out = Reloaded {
            queue: Self::default(),
            stats: ReloadStats::default(),
            damaged: Vec::new(),
            forward: (0..shards).map(|_| Vec::new()).collect(),
        };
        // Entries of the domain hash being scanned (keys are ordered by it).
        let mut run: Vec<QueuedNotice> = Vec::new();
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
                        if run.first().is_some_and(|n| n.domain_hash != hash) {
                            out.place(std::mem::take(&mut run), shard, shards, now_ms);
                        }
                        run.push(QueuedNotice {
                            delivery_id: Id(u64::from_be_bytes(id)),
                            domain_hash: hash,
                            domain: entry.domain,
                            not_before_ms: entry.not_before_ms,
                            priority: entry.priority,
                            fresh: None,
                        });
                        out.stats.entries += 1;
                    }
                    (entry, _) => {
                        out.stats.corrupt += 1;
                        let error = entry.err().map_or("bad key".to_string(), |e| e.to_string());
                        tracing::error!(key = ?key, %error, "undecodable queue entry");
                        out.damaged
                            .extend(Damage::undecodable_entry(key, value, &error));
                    }
                }
                true
            },
        )?;
        out.place(run, shard, shards, now_ms);
        Ok(out)
    }
}

/// What [`ShardQueue::reload`] rebuilt.
#[derive(Debug)]
pub struct Reloaded {
    /// The shard's queue: its home domains' entries, less those forwarded.
    pub queue: ShardQueue,
    /// Counts.
    pub stats: ReloadStats,
    /// Entries that could not be decoded, for the shard to record `failed`.
    pub damaged: Vec<Damage>,
    /// Entries of spread (hot) domains owned by other shards, indexed by owner (the own
    /// shard's list stays empty).
    pub forward: Vec<Vec<QueuedNotice>>,
}

impl Reloaded {
    /// Queues one domain hash's entries here or sets them aside for their owners.
    fn place(&mut self, run: Vec<QueuedNotice>, shard: usize, shards: usize, now_ms: u64) {
        let Some(first) = run.first() else {
            return;
        };
        let ids: Vec<Id> = run.iter().map(|n| n.delivery_id).collect();
        let owners = spread::reload_owners(first.domain_hash, &ids, shards);
        for (notice, owner) in run.into_iter().zip(owners) {
            match self.forward.get_mut(owner) {
                Some(list) if owner != shard => list.push(notice),
                _ => self.queue.push_at(notice, now_ms),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lower_priority_keeps_its_share() {
        let mut q = ShardQueue::default();
        for i in 0..300u64 {
            q.push_at(
                QueuedNotice {
                    delivery_id: Id(i + 1),
                    domain_hash: 0,
                    domain: "p.test".into(),
                    not_before_ms: 0,
                    priority: (i % 3) as u8,
                    fresh: None,
                },
                0,
            );
        }
        // First 12 pops: 8 high, 3 normal, 1 low (8:3:1 deficit round robin).
        let first: Vec<u64> = (0..12)
            .filter_map(|_| q.pop("p.test"))
            .map(|w| w.delivery_id.0)
            .collect();
        let low = first.iter().filter(|id| (*id - 1) % 3 == 2).count();
        let high = first.iter().filter(|id| (*id - 1) % 3 == 0).count();
        assert_eq!((high, low), (8, 1), "{first:?}");
    }

    #[test]
    fn held_entries_wait_for_their_time() {
        let mut q = ShardQueue::default();
        let n = QueuedNotice {
            delivery_id: Id(9),
            domain_hash: 0,
            domain: "h.test".into(),
            not_before_ms: 5_000,
            priority: 1,
            fresh: None,
        };
        q.push_at(n, 5_000);
        assert!(q.hold(Id(9), 3_600_000));
        assert_eq!(q.advance(10_000), 0);
        assert_eq!(
            q.force(None, None, 10_000),
            0,
            "force send does not override a hold"
        );
        assert_eq!(q.advance(3_600_000), 1);
        assert_eq!(q.pop("h.test").map(|w| w.delivery_id), Some(Id(9)));
    }

    #[test]
    fn deferred_entries_wait_until_due_and_force_releases_them() {
        let mut q = ShardQueue::default();
        let n = |id: u64, d: &str, at: u64| QueuedNotice {
            delivery_id: Id(id),
            domain_hash: 0,
            domain: d.into(),
            not_before_ms: at,
            priority: 1,
            fresh: None,
        };
        q.push_at(n(1, "a.test", 100), 100);
        q.push_at(n(2, "a.test", 2_500), 100);
        q.push_at(n(3, "b.test", 9_000), 100);
        assert_eq!(q.len(), 3);
        assert_eq!(q.ready_domains(), vec![("a.test".to_string(), 1)]);
        assert_eq!(q.pop("a.test").map(|w| w.delivery_id), Some(Id(1)));
        assert_eq!(q.pop("a.test"), None);
        // The wheel's resolution is one second: due times are rounded up to the next tick.
        assert!(q.next_due().is_some_and(|due| due <= 3_000));
        assert_eq!(q.advance(2_000), 0);
        assert_eq!(q.advance(3_000), 1);
        assert_eq!(q.pop("a.test").map(|w| w.delivery_id), Some(Id(2)));
        assert_eq!(q.force(Some("other.test"), None, 3_000), 0);
        assert_eq!(q.force(Some("b.test"), None, 3_000), 1);
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
            hold: None,
            unsubscribe: false,
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
                let Reloaded {
                    queue: q,
                    stats,
                    damaged,
                    forward,
                } = ShardQueue::reload(&store, s, shards, 1).unwrap();
                // 10 entries per domain: no backlog to spread.
                assert!(forward.iter().all(Vec::is_empty));
                assert_eq!(damaged.len(), stats.corrupt);
                for d in &damaged {
                    assert_eq!(d.delivery, Id(9999));
                    assert_eq!(d.raw_entry.as_deref(), Some(&b"not json"[..]));
                    assert!(d.reason.starts_with("queue entry corrupt"), "{}", d.reason);
                }
                for d in &domains {
                    if q.ready_count(d) > 0 {
                        assert_eq!(owner_shard(domain_hash(d), shards), s);
                        assert_eq!(q.ready_count(d), 10);
                    }
                }
                total += stats.entries;
                corrupt += stats.corrupt;
            }
            assert_eq!(total, 500);
            assert_eq!(corrupt, 1);
        }
    }

    #[test]
    fn reload_spreads_a_hot_backlog_and_forwards_it() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let mut ids = crate::ids::IdGen::new(0);
        let hot: Vec<Id> = (0..400u64).map(|i| ids.next(1_000 + i)).collect();
        let mut ops: Vec<Op> = hot.iter().map(|id| entry(id.0, "hot.test")).collect();
        ops.push(entry(ids.next(3_000).0, "cold.test"));
        store.write_ops(&ops, false).unwrap();
        let shards = 3;
        let home = owner_shard(domain_hash("hot.test"), shards);
        let mut per_shard = vec![0usize; shards];
        for s in 0..shards {
            // At 10 ms the entries (due at 5 ms) are ready, so ready_count sees them all.
            let r = ShardQueue::reload(&store, s, shards, 10).unwrap();
            assert!(r.forward[s].is_empty(), "nothing is forwarded to itself");
            if s != home {
                assert_eq!(r.queue.ready_count("hot.test"), 0);
                assert!(r.forward.iter().all(Vec::is_empty));
                continue;
            }
            per_shard[s] += r.queue.ready_count("hot.test");
            for (owner, list) in r.forward.iter().enumerate() {
                for n in list {
                    assert_eq!(n.domain, "hot.test");
                    assert_eq!(
                        crate::storage::keys::spread_owner(n.domain_hash, n.delivery_id, shards),
                        owner
                    );
                }
                per_shard[owner] += list.len();
            }
        }
        assert_eq!(per_shard.iter().sum::<usize>(), 400, "{per_shard:?}");
        assert!(per_shard.iter().all(|&n| n > 80), "{per_shard:?}");
    }
}
