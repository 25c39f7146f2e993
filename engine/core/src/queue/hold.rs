//! Holding a whole destination: what shaping does while a site is suspended.

use std::collections::HashMap;

use super::ShardQueue;

/// The delivery ids held per domain and when their hold ends. Entries are only ids: a held
/// recipient that is meanwhile deleted is simply not found when released. Lists whose hold has
/// ended are dropped at the next hold, so the map stays as large as what is held.
#[derive(Debug, Default)]
pub(super) struct ShapingHolds {
    by_domain: HashMap<String, (u64, Vec<u64>)>,
}

impl ShardQueue {
    /// Holds every ready recipient of `domain` until `until_ms` (keeping each one's priority
    /// class): no attempt is made or recorded for them meanwhile, force send leaves them alone,
    /// and the timer wheel makes them ready again at that time. Returns how many were held.
    pub fn hold_ready(&mut self, domain: &str, until_ms: u64) -> usize {
        let Some(dest) = self.domains.get(domain) else {
            return 0;
        };
        let ready: Vec<_> = std::iter::from_fn(|| self.scheduler.pop(dest)).collect();
        if ready.is_empty() {
            return 0;
        }
        let now = self.scheduler.now_ms();
        let holds = &mut self.shaping_holds.by_domain;
        holds.retain(|_, (until, _)| *until > now);
        let (until, ids) = holds.entry(domain.to_string()).or_default();
        *until = (*until).max(until_ms);
        let mut held = 0;
        for entry in ready {
            let id = entry.id;
            if self.scheduler.defer(entry, until_ms).is_ok()
                && self.scheduler.hold(id, until_ms).is_ok()
            {
                ids.push(id);
                held += 1;
            }
        }
        held
    }

    /// Ends every shaping hold of this shard now (after `shaping.clear`): the recipients become
    /// ready, and the next worker for each domain asks the shaper again, so a site that is
    /// still stopped is held again at once. Returns how many were released.
    pub fn release_shaping_holds(&mut self) -> usize {
        let now = self.scheduler.now_ms();
        let mut released = 0;
        for (_, (until, ids)) in self.shaping_holds.by_domain.drain() {
            // A hold that has ended released its recipients itself; whatever holds them now
            // (a policy hold after a retry) is not shaping's.
            if until <= now {
                continue;
            }
            for id in ids {
                if self.scheduler.release(id) == Ok(hikyaku_scheduler::EntryState::Ready) {
                    released += 1;
                }
            }
        }
        released
    }
}

#[cfg(test)]
mod tests {
    use crate::ids::Id;
    use crate::intake::QueuedNotice;
    use crate::queue::ShardQueue;

    fn notice(id: u64, domain: &str, priority: u8) -> QueuedNotice {
        QueuedNotice {
            delivery_id: Id(id),
            domain_hash: crate::storage::keys::domain_hash(domain),
            domain: domain.into(),
            not_before_ms: 0,
            priority,
            fresh: None,
        }
    }

    #[test]
    fn a_held_domain_waits_until_the_end_and_force_send_leaves_it() {
        let mut q = ShardQueue::default();
        for (id, p) in [(1, 0), (2, 1), (3, 2)] {
            q.push_at(notice(id, "held.test", p), 1_000);
        }
        q.push_at(notice(4, "other.test", 1), 1_000);
        assert_eq!(q.hold_ready("held.test", 31_000), 3);
        assert_eq!(q.ready_count("held.test"), 0);
        assert_eq!(q.ready_count("other.test"), 1);
        assert_eq!(q.force(Some("held.test"), None, 2_000), 0);
        q.advance(30_000);
        assert_eq!(q.ready_count("held.test"), 0);
        q.advance(32_000);
        assert_eq!(q.ready_count("held.test"), 3);
        // Classes kept: high first.
        assert_eq!(q.pop("held.test").map(|w| w.delivery_id), Some(Id(1)));
        assert_eq!(q.hold_ready("nowhere.test", 5), 0);
    }

    #[test]
    fn released_holds_are_ready_at_once_and_only_shaping_holds_are_released() {
        let mut q = ShardQueue::default();
        for id in 1..=3 {
            q.push_at(notice(id, "held.test", 1), 1_000);
        }
        // Waiting for a retry, and held by the message policy (prohibited hours): neither is
        // shaping's to release.
        let mut retry = notice(4, "later.test", 1);
        retry.not_before_ms = 50_000;
        q.push_at(retry, 1_000);
        q.push_at(notice(5, "policy.test", 1), 1_000);
        assert!(q.hold(Id(5), 70_000));
        assert_eq!(q.hold_ready("held.test", 60_000), 3);
        assert_eq!(q.ready_count("held.test"), 0);
        assert_eq!(q.release_shaping_holds(), 3);
        assert_eq!(q.ready_count("held.test"), 3);
        assert_eq!(q.ready_count("later.test"), 0);
        assert_eq!(q.ready_count("policy.test"), 0);
        // Nothing is left to release; a new hold is tracked again.
        assert_eq!(q.release_shaping_holds(), 0);
        assert_eq!(q.hold_ready("held.test", 60_000), 3);
        assert_eq!(q.release_shaping_holds(), 3);
    }
}
