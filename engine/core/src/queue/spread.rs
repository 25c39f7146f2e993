//! Which shard queues a recipient: its domain's home shard, or — for a hot domain — any shard.
//!
//! A domain's home is the shard whose hash slice holds it (`storage::keys::owner_shard`). One
//! shard delivering everything for a domain keeps its connections together (a quiet domain
//! gets one connection, reused), but a domain taking most of the traffic (gmail.com for many
//! senders) would then be delivered by one core while the others idle. So a domain is *spread*
//! once it is hot: its recipients go to `storage::keys::spread_owner` (recipients of one message
//! stay on one shard), and its `max_connections` is counted process-wide
//! (`delivery::domain_limits`), so the limit stays exact wherever the mail is queued.
//!
//! Hot means at least [`HOT_RECIPIENTS`] recipients routed by one router (a shard's intake or
//! the control plane) in the current or the previous [`WINDOW_MS`]. Each router decides on its
//! own, from the ids' minting times, with no shared state; a wrong guess only costs balance or a
//! few more connections, never exactness. The spool reload applies the same idea to the entries
//! it finds ([`reload_owners`]).

use std::collections::HashMap;

use crate::ids::Id;
use crate::storage::keys::{owner_shard, spread_owner};

/// Recipients per window (per router) from which a domain is spread over all shards. At this
/// rate a domain keeps a connection busy on every shard anyway, so spreading costs no extra
/// connection set-up; below it, one shard's connections serve the domain well.
pub const HOT_RECIPIENTS: u32 = 64;

/// The counting window, ms.
pub const WINDOW_MS: u64 = 1_000;

/// Recipients routed per domain in the current and the previous window (one per router).
#[derive(Debug, Default)]
pub struct HotDomains {
    window: u64,
    current: HashMap<u64, u32>,
    previous: HashMap<u64, u32>,
}

impl HotDomains {
    /// Counts one recipient of `domain_hash` minted at `now_ms`; answers whether the domain is
    /// hot (to be spread). Old windows are dropped as time passes, so memory stays bounded by
    /// the domains seen in two windows.
    pub fn observe(&mut self, domain_hash: u64, now_ms: u64) -> bool {
        self.heat(domain_hash, now_ms) != Heat::Cold
    }

    /// [`Self::observe`], telling also whether this recipient made the domain hot.
    pub fn heat(&mut self, domain_hash: u64, now_ms: u64) -> Heat {
        let window = now_ms / WINDOW_MS;
        if window > self.window {
            self.previous = if window == self.window + 1 {
                std::mem::take(&mut self.current)
            } else {
                self.current.clear();
                HashMap::new()
            };
            self.window = window;
        }
        let n = self.current.entry(domain_hash).or_insert(0);
        *n = n.saturating_add(1);
        let before = self.previous.get(&domain_hash).copied().unwrap_or(0);
        if before >= HOT_RECIPIENTS || *n > HOT_RECIPIENTS {
            Heat::Hot
        } else if *n == HOT_RECIPIENTS {
            Heat::BecameHot
        } else {
            Heat::Cold
        }
    }

    /// The shard that queues a recipient, counting it; and whether the domain just became hot
    /// (for the caller to log).
    pub fn owner(&mut self, domain_hash: u64, delivery: Id, shards: usize) -> (usize, bool) {
        if shards <= 1 {
            return (0, false);
        }
        match self.heat(domain_hash, delivery.millis()) {
            Heat::Cold => (owner_shard(domain_hash, shards), false),
            heat => (
                spread_owner(domain_hash, delivery, shards),
                heat == Heat::BecameHot,
            ),
        }
    }
}

/// A domain's state for one router.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heat {
    /// Below [`HOT_RECIPIENTS`]: queued at home.
    Cold,
    /// This recipient reached [`HOT_RECIPIENTS`] (in a window after a cold one).
    BecameHot,
    /// Spread.
    Hot,
}

/// Owners of one domain's entries found by a reload (they are adjacent in the spool: keys
/// start with the domain hash): a backlog of at least [`HOT_RECIPIENTS`] is spread, a smaller
/// one stays home.
pub fn reload_owners(domain_hash: u64, deliveries: &[Id], shards: usize) -> Vec<usize> {
    let spread = shards > 1 && deliveries.len() >= HOT_RECIPIENTS as usize;
    deliveries
        .iter()
        .map(|&id| {
            if spread {
                spread_owner(domain_hash, id, shards)
            } else {
                owner_shard(domain_hash, shards)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IdGen;
    use crate::storage::keys::domain_hash;

    #[test]
    fn a_quiet_domain_stays_home_and_a_hot_one_spreads() {
        let mut hot = HotDomains::default();
        let mut ids = IdGen::new(0);
        let (quiet, busy) = (domain_hash("quiet.test"), domain_hash("busy.test"));
        let home = owner_shard(busy, 4);
        let mut owners = [0usize; 4];
        for i in 0..1_000u64 {
            let id = ids.next(5_000_000 + i / 2);
            owners[hot.owner(busy, id, 4).0] += 1;
            if i % 100 == 0 {
                let q = ids.next(5_000_000 + i / 2);
                assert_eq!(hot.owner(quiet, q, 4), (owner_shard(quiet, 4), false));
            }
        }
        // The first HOT_RECIPIENTS - 1 recipients went home before the domain counted as hot.
        assert!(owners[home] >= HOT_RECIPIENTS as usize - 1);
        assert!(owners.iter().all(|&n| n > 150), "{owners:?}");
    }

    #[test]
    fn hotness_lasts_one_more_window_then_ends() {
        let mut hot = HotDomains::default();
        let d = domain_hash("d.test");
        let results: Vec<bool> = (0..HOT_RECIPIENTS)
            .map(|_| hot.observe(d, 10_000))
            .collect();
        assert!(!results[0]);
        assert!(results[HOT_RECIPIENTS as usize - 1]);
        assert_eq!(hot.heat(d, 10_500), Heat::Hot);
        // Next window: still hot from the previous one.
        assert!(hot.observe(d, 11_000));
        // Two windows later with little mail: home again.
        assert!(!hot.observe(d, 13_000));
        assert!(!hot.observe(d, 14_000));
    }

    #[test]
    fn reload_spreads_only_a_backlog() {
        let d = domain_hash("backlog.test");
        let mut ids = IdGen::new(2);
        let few: Vec<Id> = (0..10).map(|i| ids.next(1_000 + i)).collect();
        assert!(reload_owners(d, &few, 3)
            .iter()
            .all(|&o| o == owner_shard(d, 3)));
        let many: Vec<Id> = (0..600).map(|i| ids.next(2_000 + i)).collect();
        let owners = reload_owners(d, &many, 3);
        for s in 0..3 {
            assert!(owners.iter().filter(|&&o| o == s).count() > 100, "{s}");
        }
        assert!(reload_owners(d, &many, 1).iter().all(|&o| o == 0));
    }
}
