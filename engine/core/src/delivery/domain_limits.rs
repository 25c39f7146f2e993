//! Connection limits per destination domain (`DomainPolicy::max_connections`), shared by every
//! shard.
//!
//! A hot domain's mail is spread over all shards (`queue::spread`), so no single shard can count
//! the domain's connections any more. The count lives in one process-wide map behind a mutex,
//! like [`super::HostLimits`] does per host: it is touched only when a delivery worker (one
//! connection) starts or ends, never per message, so contention stays negligible and the limit
//! stays exact — a permit is taken under the lock before the connection is opened and given back
//! when the worker ends.
//!
//! Fairness when a domain is at its limit and several shards have mail for it: a shard that was
//! refused is marked **starved**; while any shard is starved, the free slots go to starved shards
//! first (a shard that is not starved is refused unless enough slots are free for the starved
//! ones as well, and is then marked starved itself). Every release of a domain that has starved
//! shards notifies [`DomainLimits::released`], which the dispatchers of all shards listen to,
//! so a slot freed on one thread is taken up by another without polling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use event_listener::{Event, EventListener};

/// Per-domain state: open connections and which shards wait for a slot.
#[derive(Debug, Default)]
struct Domain {
    open: usize,
    /// Bit `s % 64` set: shard `s` was refused a slot since it last got one.
    starved: u64,
}

/// Open outbound connections per destination domain (by the hash of its lower-cased name).
#[derive(Debug, Default)]
pub struct DomainLimits {
    domains: Mutex<HashMap<u64, Domain>>,
    released: Event,
}

/// One worker's share of its domain's limit; released on drop.
#[derive(Debug)]
pub struct DomainPermit {
    limits: Arc<DomainLimits>,
    domain: u64,
}

fn bit(shard: usize) -> u64 {
    1u64 << (shard % 64)
}

impl DomainLimits {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Domain>> {
        self.domains.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a slot of `domain` (its hash) for a worker on `shard` if fewer than `max` are open
    /// and the slots left are not needed by other starved shards; otherwise marks `shard`
    /// starved and answers `None` (the shard retries when [`Self::released`] fires).
    pub fn try_acquire(
        self: &Arc<Self>,
        domain: u64,
        max: usize,
        shard: usize,
    ) -> Option<DomainPermit> {
        let mut domains = self.lock();
        let d = domains.entry(domain).or_default();
        let mine = bit(shard);
        let others = (d.starved & !mine).count_ones() as usize;
        let reserved = if d.starved & mine == 0 { others } else { 0 };
        if d.open + reserved >= max {
            d.starved |= mine;
            return None;
        }
        d.open += 1;
        d.starved &= !mine;
        Some(DomainPermit {
            limits: self.clone(),
            domain,
        })
    }

    /// Listens for the release of a slot some shard waits for.
    pub fn released(&self) -> EventListener {
        self.released.listen()
    }

    /// Connections open to `domain` (its hash) now, over all shards.
    pub fn open(&self, domain: u64) -> usize {
        self.lock().get(&domain).map_or(0, |d| d.open)
    }

    /// Forgets that `shard` waits for `domain` (it has no ready mail for it any more), so the
    /// other shards are not kept below the limit for it.
    pub fn not_waiting(&self, domain: u64, shard: usize) {
        let mut domains = self.lock();
        if let Some(d) = domains.get_mut(&domain) {
            d.starved &= !bit(shard);
            if d.open == 0 && d.starved == 0 {
                domains.remove(&domain);
            }
        }
    }
}

impl Drop for DomainPermit {
    fn drop(&mut self) {
        let mut domains = self.limits.lock();
        let Some(d) = domains.get_mut(&self.domain) else {
            return;
        };
        d.open = d.open.saturating_sub(1);
        let wanted = d.starved != 0;
        if d.open == 0 && !wanted {
            domains.remove(&self.domain);
        }
        drop(domains);
        if wanted {
            self.limits.released.notify(usize::MAX);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn limit_is_exact_under_concurrent_acquire() {
        let limits = Arc::new(DomainLimits::default());
        let max = 3;
        let open = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let granted = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..4)
            .map(|shard| {
                let (limits, open, peak, granted) =
                    (limits.clone(), open.clone(), peak.clone(), granted.clone());
                std::thread::spawn(move || {
                    for _ in 0..20_000 {
                        if let Some(permit) = limits.try_acquire(7, max, shard) {
                            let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(now, Ordering::SeqCst);
                            granted.fetch_add(1, Ordering::SeqCst);
                            std::hint::spin_loop();
                            open.fetch_sub(1, Ordering::SeqCst);
                            drop(permit);
                        }
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(
            peak.load(Ordering::SeqCst) <= max,
            "peak {}",
            peak.load(Ordering::SeqCst)
        );
        assert!(granted.load(Ordering::SeqCst) > 0);
        assert_eq!(limits.open(7), 0);
    }

    #[test]
    fn limit_holds_and_drop_releases() {
        let limits = Arc::new(DomainLimits::default());
        let held: Vec<_> = (0..5).filter_map(|_| limits.try_acquire(1, 2, 0)).collect();
        assert_eq!(held.len(), 2);
        assert_eq!(limits.open(1), 2);
        // Another domain has its own count.
        assert!(limits.try_acquire(2, 2, 0).is_some());
        drop(held);
        assert_eq!(limits.open(1), 0);
    }

    #[test]
    fn a_starved_shard_gets_the_next_slot_and_is_woken() {
        let limits = Arc::new(DomainLimits::default());
        let mut held: Vec<_> = (0..2).filter_map(|_| limits.try_acquire(9, 2, 0)).collect();
        assert_eq!(held.len(), 2);
        // Shard 1 is refused and now waits.
        assert!(limits.try_acquire(9, 2, 1).is_none());
        let listener = limits.released();
        held.pop();
        futures::executor::block_on(listener);
        // Shard 0 freed the slot but cannot take it back while shard 1 waits for it.
        assert!(limits.try_acquire(9, 2, 0).is_none());
        let taken = limits.try_acquire(9, 2, 1);
        assert!(taken.is_some());
        // Now shard 0 is the starved one: shard 1 cannot grow past it either.
        held.pop();
        assert!(limits.try_acquire(9, 2, 1).is_none());
        assert_eq!(limits.open(9), 1);
        drop(taken);
        assert!(limits.try_acquire(9, 2, 0).is_some());
    }

    #[test]
    fn a_shard_that_stops_waiting_frees_the_reservation() {
        let limits = Arc::new(DomainLimits::default());
        let first = limits.try_acquire(4, 2, 0);
        assert!(first.is_some());
        let second = limits.try_acquire(4, 2, 0);
        assert!(second.is_some());
        assert!(limits.try_acquire(4, 2, 1).is_none());
        drop(second);
        // Reserved for shard 1 ...
        assert!(limits.try_acquire(4, 2, 0).is_none());
        // ... until it says it has nothing to send (shard 0 is starved now too, so clear it).
        limits.not_waiting(4, 1);
        limits.not_waiting(4, 0);
        assert!(limits.try_acquire(4, 2, 0).is_some());
        drop(first);
    }
}
