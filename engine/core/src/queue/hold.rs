//! Holding a whole destination: what shaping does while a site is suspended.

use super::ShardQueue;

impl ShardQueue {
    /// Holds every ready recipient of `domain` until `until_ms` (keeping each one's priority
    /// class): no attempt is made or recorded for them meanwhile, force send leaves them alone,
    /// and the timer wheel makes them ready again at that time. Returns how many were held.
    pub fn hold_ready(&mut self, domain: &str, until_ms: u64) -> usize {
        let Some(dest) = self.domains.get(domain) else {
            return 0;
        };
        let ready: Vec<_> = std::iter::from_fn(|| self.scheduler.pop(dest)).collect();
        let mut held = 0;
        for entry in ready {
            let id = entry.id;
            if self.scheduler.defer(entry, until_ms).is_ok()
                && self.scheduler.hold(id, until_ms).is_ok()
            {
                held += 1;
            }
        }
        held
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
}
