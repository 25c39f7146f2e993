//! Freshly accepted deliveries kept in memory for their first attempt.
//!
//! Intake has just written the body, the metadata and the queue entry; reading them back from
//! RocksDB for the first attempt (three lookups and two JSON decodes, and a blob-file read for
//! large bodies once the memtable is flushed) is pure overhead when the same process still has
//! them. Intake therefore hands them along with the queue notice, and the owning shard keeps
//! them here until the delivery is popped. The cache is bounded in bytes per shard; when it is
//! full, new entries are simply not kept (and evicted ones dropped) and the delivery reads the
//! spool as before, so memory per queued message stays constant however long the queue grows.
//! The spool stays the source of truth: only entries that were just made durable get here, and
//! each is used at most once.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use crate::storage::{MessageMeta, QueueEntry};

/// What intake already holds for one delivery.
#[derive(Debug, PartialEq)]
pub struct FreshDelivery {
    /// The queue entry as written.
    pub entry: QueueEntry,
    /// The message's metadata (shared by its recipients).
    pub meta: Arc<MessageMeta>,
    /// The stored body (shared by its recipients).
    pub body: Arc<[u8]>,
}

impl FreshDelivery {
    /// What the entry accounts for against the budget: the body is counted for every
    /// recipient, which overestimates multi-recipient messages (the safe side).
    fn cost(&self) -> usize {
        self.body.len() + 256
    }
}

/// A shard's cache of fresh deliveries by delivery id, bounded by `budget` bytes.
#[derive(Debug)]
pub struct HotCache {
    map: HashMap<u64, Arc<FreshDelivery>>,
    /// Insertion order, for eviction; may hold ids already taken (skipped, compacted).
    order: VecDeque<u64>,
    bytes: usize,
    budget: usize,
}

impl HotCache {
    /// An empty cache holding at most `budget` bytes.
    pub fn new(budget: usize) -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
            bytes: 0,
            budget,
        }
    }

    /// Keeps `fresh` for delivery `id`, evicting the oldest entries if needed; an entry larger
    /// than the whole budget is not kept.
    pub fn insert(&mut self, id: u64, fresh: Arc<FreshDelivery>) {
        let cost = fresh.cost();
        if cost > self.budget {
            return;
        }
        while self.bytes + cost > self.budget {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some(evicted) = self.map.remove(&old) {
                self.bytes -= evicted.cost();
            }
        }
        if let Some(replaced) = self.map.insert(id, fresh) {
            self.bytes -= replaced.cost();
        }
        self.bytes += cost;
        self.order.push_back(id);
        if self.order.len() > 2 * self.map.len() + 64 {
            let map = &self.map;
            self.order.retain(|id| map.contains_key(id));
        }
    }

    /// Takes the entry for delivery `id`, if it is still here.
    pub fn take(&mut self, id: u64) -> Option<Arc<FreshDelivery>> {
        let fresh = self.map.remove(&id)?;
        self.bytes -= fresh.cost();
        Some(fresh)
    }

    /// Bytes accounted now.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Entries held now.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh(id: u64, body: usize) -> Arc<FreshDelivery> {
        Arc::new(FreshDelivery {
            entry: QueueEntry {
                delivery_id: format!("{id:x}"),
                message_id: "m".into(),
                recipient: "a@b".into(),
                domain: "b".into(),
                attempts: 0,
                not_before_ms: 0,
                created_ms: 0,
                priority: 1,
                hold: None,
                unsubscribe: false,
            },
            meta: Arc::new(MessageMeta {
                message_id: "m".into(),
                header_message_id: "h".into(),
                envelope_from: String::new(),
                submitter: crate::storage::Submitter {
                    api_user: None,
                    source_ip: String::new(),
                },
                size: body as u64,
                subject: String::new(),
                received_ms: 0,
                recipients: 1,
                smtputf8: false,
                tags: Vec::new(),
                from_domain: String::new(),
            }),
            body: Arc::from(vec![b'x'; body]),
        })
    }

    #[test]
    fn entries_are_taken_once_and_the_budget_holds() {
        let mut c = HotCache::new(10 * (1000 + 256));
        for id in 0..25 {
            c.insert(id, fresh(id, 1000));
            assert!(c.bytes() <= 10 * 1256);
        }
        // The 10 newest survive; the oldest were evicted.
        assert_eq!(c.len(), 10);
        assert!(c.take(3).is_none());
        let got = c.take(24).unwrap();
        assert_eq!(got.entry.delivery_id, "18");
        assert!(c.take(24).is_none());
        assert_eq!(c.bytes(), 9 * 1256);
        // Too big for the whole budget: not kept, nothing evicted for it.
        c.insert(99, fresh(99, 20_000));
        assert!(c.take(99).is_none());
        assert_eq!(c.len(), 9);
    }

    #[test]
    fn taken_ids_do_not_pile_up_in_the_eviction_order() {
        let mut c = HotCache::new(1 << 20);
        for id in 0..10_000 {
            c.insert(id, fresh(id, 10));
            assert!(c.take(id).is_some());
        }
        assert!(c.is_empty());
        assert!(c.order.len() <= 64 + 1);
        assert_eq!(c.bytes(), 0);
    }
}
