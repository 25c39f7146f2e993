//! What one attempt's outcome leads to, at a given time: the decision (`outcome::decide`),
//! its spool writes (`record::decision_ops`) and, for a deferral, the queue notice of the
//! retry (held back to the end of the delivery's prohibited hours when it would fall inside).
//! The runtime reads the time from the engine's clock (`Shared::clock`) and passes it in, so
//! the whole schedule — retries, back-off, holds, giving up — is tested below with a
//! `ManualClock` and the real shard queue instead of waiting for it.

use hikyaku_bounce::Classifier;

use super::outcome::{decide, Attempt, Decision, RetryPolicy};
use super::record::{decision_ops, Remote};
use crate::ids::Id;
use crate::intake::QueuedNotice;
use crate::storage::keys::domain_hash;
use crate::storage::{MessageMeta, Op, QueueEntry, StorageError};

/// An attempt's outcome, planned.
#[derive(Debug)]
pub struct Planned {
    /// Status, error status, reply and retry time.
    pub decision: Decision,
    /// The writes recording it (one batch).
    pub ops: Vec<Op>,
    /// For a deferral: the recipient's place in the queue once the batch is durable.
    pub retry: Option<QueuedNotice>,
}

/// Plans the outcome `attempt` of `delivery` (its queue `entry`) at `now_ms`.
#[allow(clippy::too_many_arguments)]
pub fn plan_outcome(
    delivery: Id,
    entry: &QueueEntry,
    meta: Option<&MessageMeta>,
    attempt: &Attempt,
    remote: &Remote,
    retry: &RetryPolicy,
    classifier: &Classifier,
    now_ms: u64,
) -> Result<Planned, StorageError> {
    let decision = decide(
        attempt,
        entry.attempts.saturating_add(1),
        entry.created_ms,
        now_ms,
        retry,
        classifier,
    );
    let (ops, next) = decision_ops(entry, meta, attempt, &decision, remote, now_ms)?;
    Ok(Planned {
        decision,
        ops,
        retry: next.map(|next| QueuedNotice {
            delivery_id: delivery,
            domain_hash: domain_hash(&next.domain),
            domain: next.domain.clone(),
            not_before_ms: next.not_before_ms,
            priority: next.priority,
            fresh: None,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{Clock, ManualClock};
    use crate::queue::ShardQueue;
    use crate::storage::DeliveryStatus;

    /// 2026-01-05 12:00 UTC.
    const NOON: u64 = 1_767_614_400_000;
    const MINUTE: u64 = 60_000;

    fn entry(created_ms: u64) -> QueueEntry {
        QueueEntry {
            delivery_id: Id(77).to_string(),
            message_id: Id(70).to_string(),
            recipient: "u@example.com".into(),
            domain: "example.com".into(),
            attempts: 0,
            not_before_ms: created_ms,
            created_ms,
            priority: 1,
            hold: None,
            unsubscribe: false,
        }
    }

    fn deferral() -> Attempt {
        Attempt::TempFail {
            reply: Some("451 4.3.0 try later".into()),
            reason: "try later".into(),
        }
    }

    fn plan(entry: &QueueEntry, clock: &dyn Clock, retry: &RetryPolicy) -> Planned {
        let planned = plan_outcome(
            Id(77),
            entry,
            None,
            &deferral(),
            &Remote::default(),
            retry,
            Classifier::builtin(),
            clock.now_ms(),
        );
        match planned {
            Ok(p) => p,
            Err(e) => panic!("planning failed: {e}"),
        }
    }

    /// How many recipients the queue hands out at the clock's time.
    fn ready_at(q: &mut ShardQueue, clock: &dyn Clock) -> usize {
        q.advance(clock.now_ms());
        q.ready_domains().iter().map(|(_, n)| n).sum()
    }

    #[test]
    fn deferrals_come_back_after_the_back_off_on_the_clock_and_not_before() {
        let clock = ManualClock::new(NOON);
        let retry = RetryPolicy {
            first_ms: 10 * MINUTE,
            max_ms: 60 * MINUTE,
            give_up_after_ms: 4 * 60 * MINUTE,
        };
        let mut e = entry(NOON);
        let mut q = ShardQueue::default();
        // Each failure doubles the wait: 10, 20, 40, 60 (the cap), 60 minutes.
        for (attempt, wait) in [10, 20, 40, 60].into_iter().enumerate() {
            let p = plan(&e, &clock, &retry);
            assert_eq!(
                p.decision.status,
                DeliveryStatus::Deferred,
                "attempt {attempt}"
            );
            let Some(notice) = p.retry else {
                panic!("a deferral is queued again");
            };
            assert_eq!(notice.not_before_ms, clock.now_ms() + wait * MINUTE);
            q.push_at(notice, clock.now_ms());
            assert_eq!(ready_at(&mut q, &clock), 0, "not due at once");
            clock.advance(wait * MINUTE - 1);
            assert_eq!(ready_at(&mut q, &clock), 0, "not due 1 ms early");
            clock.advance(1);
            assert_eq!(ready_at(&mut q, &clock), 1, "due on time");
            assert!(q.pop("example.com").is_some());
            e.attempts += 1;
        }
        // 130 minutes in: the next deferral is still retried (at 190 minutes)...
        assert_eq!(clock.now_ms(), NOON + 130 * MINUTE);
        assert!(plan(&e, &clock, &retry).retry.is_some());
        // ...but when the retry would fall past the resend period (4 hours), it fails with
        // status 3.
        clock.set(NOON + 181 * MINUTE);
        let p = plan(&e, &clock, &retry);
        assert_eq!(p.decision.status, DeliveryStatus::Failed);
        assert_eq!(p.decision.error_status, Some(3));
        assert!(p.retry.is_none());
    }

    #[test]
    fn a_retry_due_in_prohibited_hours_waits_for_their_end() {
        // 20:55 UTC; the delivery may not go out 21:00-08:00.
        let clock = ManualClock::new(NOON + 8 * 60 * MINUTE + 55 * MINUTE);
        let retry = RetryPolicy {
            first_ms: 10 * MINUTE,
            ..RetryPolicy::default()
        };
        let mut e = entry(NOON);
        e.hold = Some(crate::config::policy::HoldConfig {
            from: "21:00".into(),
            to: "08:00".into(),
            time_zone: "UTC".into(),
        });
        let p = plan(&e, &clock, &retry);
        let Some(notice) = p.retry else {
            panic!("a deferral is queued again");
        };
        let next_morning = NOON + 20 * 60 * MINUTE;
        assert_eq!(notice.not_before_ms, next_morning, "21:05 is held to 08:00");
        let mut q = ShardQueue::default();
        q.push_at(notice, clock.now_ms());
        clock.set(next_morning - 1);
        assert_eq!(ready_at(&mut q, &clock), 0);
        clock.set(next_morning);
        assert_eq!(ready_at(&mut q, &clock), 1);

        // A retry due before the window starts is not held.
        let clock = ManualClock::new(NOON + 8 * 60 * MINUTE);
        let p = plan(&e, &clock, &retry);
        assert_eq!(
            p.retry.map(|n| n.not_before_ms),
            Some(clock.now_ms() + 10 * MINUTE)
        );
    }
}
