//! Behaviour of the scheduler facade through its public API.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_scheduler::{
    DestId, DestStats, Entry, EntryState, Priority, Scheduler, SchedulerConfig, SchedulerError,
};

fn entry(id: u64, dest: u32, priority: Priority, not_before_ms: u64) -> Entry<u32> {
    Entry {
        id,
        dest: DestId(dest),
        priority,
        not_before_ms,
        payload: id as u32 * 10,
    }
}

#[test]
fn ready_or_deferred_on_enqueue() {
    let mut s = Scheduler::new();
    assert_eq!(
        s.enqueue(entry(1, 0, Priority::Normal, 500), 1000),
        Ok(EntryState::Ready)
    );
    assert_eq!(
        s.enqueue(entry(2, 0, Priority::Normal, 5000), 1000),
        Ok(EntryState::Deferred)
    );
    assert_eq!(
        s.enqueue(entry(2, 0, Priority::Normal, 0), 1000),
        Err(SchedulerError::DuplicateId(2))
    );
    assert_eq!((s.len(), s.len_ready(), s.len_deferred()), (2, 1, 1));
    assert_eq!(s.next_ready_dest(), Some(DestId(0)));
    let e = s.pop(DestId(0)).unwrap();
    assert_eq!((e.id, e.payload, e.not_before_ms), (1, 10, 500));
    assert!(s.pop(DestId(0)).is_none());
    assert_eq!(s.next_due(), Some(5000));
    assert_eq!(s.advance(4999), 0);
    assert_eq!(s.advance(5000), 1);
    assert_eq!(s.pop(DestId(0)).unwrap().id, 2);
    assert!(s.is_empty());
}

#[test]
fn defer_after_failure_and_retry() {
    let mut s = Scheduler::new();
    s.enqueue(entry(7, 3, Priority::High, 0), 10_000).unwrap();
    let e = s.pop(DestId(3)).unwrap();
    assert!(!s.contains(7));
    assert_eq!(s.defer(e, 10_000 + 600_000), Ok(EntryState::Deferred));
    assert_eq!(s.dest_stats(DestId(3)).deferred, 1);
    s.advance(10_000 + 599_999);
    assert_eq!(s.len_ready(), 0);
    s.advance(10_000 + 600_000);
    let e = s.pop(DestId(3)).unwrap();
    assert_eq!((e.id, e.priority, e.payload), (7, Priority::High, 70));
}

#[test]
fn hold_release_and_force() {
    let mut s = Scheduler::with_config(SchedulerConfig {
        resolution_ms: 1,
        ..SchedulerConfig::default()
    })
    .unwrap();
    let now = 1_000;
    s.enqueue(entry(1, 0, Priority::Normal, 0), now).unwrap(); // ready
    s.enqueue(entry(2, 0, Priority::Normal, 50_000), now)
        .unwrap(); // deferred
    s.enqueue(entry(3, 1, Priority::Low, 60_000), now).unwrap(); // deferred
    s.enqueue(entry(4, 1, Priority::Low, 70_000), now).unwrap(); // deferred, then held
    assert_eq!(s.hold(4, 90_000), Ok(EntryState::Held));
    assert_eq!(s.hold(1, 80_000), Ok(EntryState::Held));
    assert_eq!(s.hold(9, 80_000), Err(SchedulerError::UnknownId(9)));
    assert_eq!(
        s.dest_stats(DestId(1)),
        DestStats {
            ready: [0; 3],
            deferred: 1,
            held: 1
        }
    );
    assert_eq!(s.force_dest(DestId(1), now), 1);
    assert_eq!(s.state(3), Some(EntryState::Ready));
    assert_eq!(s.state(4), Some(EntryState::Held));
    assert_eq!(s.force_id(4, now), Ok(false));
    assert_eq!(s.force_id(2, now), Ok(true));
    assert_eq!(s.force_id(2, now), Ok(false));
    assert_eq!(s.force_all(now), 0);
    assert_eq!(s.release(1), Ok(EntryState::Ready));
    assert_eq!(s.release(1), Ok(EntryState::Ready));
    assert_eq!((s.len_ready(), s.len_held(), s.len_deferred()), (3, 1, 0));
    // Forced entries report the force time, never a future one.
    let e = s.pop(DestId(1)).unwrap();
    assert_eq!((e.id, e.not_before_ms), (3, now));
    // The hold of 4 ends by time.
    assert!(s.next_due().unwrap() <= 90_000);
    s.advance(90_000);
    assert_eq!(s.state(4), Some(EntryState::Ready));
}

#[test]
fn hold_keeps_the_later_retry_time() {
    let mut s = Scheduler::with_config(SchedulerConfig {
        resolution_ms: 1,
        ..SchedulerConfig::default()
    })
    .unwrap();
    s.enqueue(entry(1, 0, Priority::Normal, 10_000), 0).unwrap();
    s.hold(1, 5_000).unwrap();
    s.advance(9_999);
    assert_eq!(s.state(1), Some(EntryState::Held));
    s.advance(10_000);
    assert_eq!(s.state(1), Some(EntryState::Ready));
    // An already-ended hold leaves a ready entry where it is.
    assert_eq!(s.hold(1, 10_000), Ok(EntryState::Ready));
}

#[test]
fn remove_from_anywhere() {
    let mut s = Scheduler::new();
    s.enqueue(entry(1, 0, Priority::Normal, 0), 100).unwrap();
    s.enqueue(entry(2, 0, Priority::Normal, 1 << 50), 100)
        .unwrap();
    s.enqueue(entry(3, 0, Priority::Normal, 10_000), 100)
        .unwrap();
    s.hold(3, 20_000).unwrap();
    for id in [2, 1, 3] {
        assert_eq!(s.remove(id).unwrap().id, id);
    }
    assert!(s.remove(1).is_none());
    assert!(s.is_empty());
    assert_eq!((s.len_ready(), s.len_deferred(), s.len_held()), (0, 0, 0));
    assert_eq!(s.dest_stats(DestId(0)), DestStats::default());
    assert_eq!(s.next_due(), None);
    assert_eq!(s.next_ready_dest(), None);
}

#[test]
fn destinations_are_served_round_robin() {
    let mut s = Scheduler::new();
    for d in 0..3u32 {
        for i in 0..3u64 {
            s.enqueue(entry(u64::from(d) * 100 + i, d, Priority::Normal, 0), 0)
                .unwrap();
        }
    }
    assert_eq!(s.ready_dests(), 3);
    let mut order = Vec::new();
    while let Some(d) = s.next_ready_dest() {
        order.push(s.pop(d).unwrap().id);
    }
    assert_eq!(order, vec![0, 100, 200, 1, 101, 201, 2, 102, 202]);
}

#[test]
fn invalid_config_is_refused() {
    let bad = SchedulerConfig {
        resolution_ms: 0,
        ..SchedulerConfig::default()
    };
    assert!(Scheduler::<()>::with_config(bad).is_err());
}

#[test]
fn memory_per_entry_is_small() {
    let mut s = Scheduler::<()>::new();
    let n = 100_000u64;
    for i in 0..n {
        s.enqueue(
            Entry {
                id: i << 20,
                dest: DestId((i % 1000) as u32),
                priority: Priority::Normal,
                not_before_ms: 1 + (i * 7919) % 259_200_000,
                payload: (),
            },
            0,
        )
        .unwrap();
    }
    let per = s.memory_usage().total() as f64 / n as f64;
    assert!(per < 100.0, "{per} bytes per entry");
}
