//! Property tests: no loss, no duplicates, never early, no starvation, exact force send.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, HashMap};

use hikyaku_scheduler::{
    DestId, Entry, EntryState, Priority, Scheduler, SchedulerConfig, TimerWheel, Weights,
};
use proptest::prelude::*;

fn prio(i: u8) -> Priority {
    Priority::ALL[usize::from(i % 3)]
}

#[derive(Debug, Clone)]
enum Op {
    Enqueue { dest: u32, prio: u8, delay: u64 },
    Advance(u64),
    Pop,
    PopAndDefer(u64),
    Hold { pick: usize, delay: u64 },
    Release(usize),
    ForceId(usize),
    ForceAll,
    Remove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    let delay = prop_oneof![Just(0u64), 1u64..5_000, 1u64..10_000_000, 1u64..(1 << 40)];
    prop_oneof![
        4 => (0u32..6, any::<u8>(), delay)
            .prop_map(|(dest, prio, delay)| Op::Enqueue { dest, prio, delay }),
        3 => prop_oneof![0u64..2_000, 0u64..200_000, 0u64..50_000_000].prop_map(Op::Advance),
        3 => Just(Op::Pop),
        1 => (1u64..3_000_000).prop_map(Op::PopAndDefer),
        1 => (any::<usize>(), 0u64..1_000_000).prop_map(|(pick, delay)| Op::Hold { pick, delay }),
        1 => any::<usize>().prop_map(Op::Release),
        1 => any::<usize>().prop_map(Op::ForceId),
        1 => Just(Op::ForceAll),
        1 => any::<usize>().prop_map(Op::Remove),
    ]
}

/// Model: id → current not-before time of every scheduled entry.
struct Model {
    s: Scheduler<u64>,
    res: u64,
    live: BTreeMap<u64, u64>,
    next_id: u64,
    popped: u64,
}

impl Model {
    fn pick(&self, i: usize) -> Option<u64> {
        if self.live.is_empty() {
            return None;
        }
        self.live.keys().nth(i % self.live.len()).copied()
    }

    /// (a)+(b): the entry must be scheduled (no duplicate) and due.
    fn check_popped(&mut self, e: &Entry<u64>) {
        let nb = self
            .live
            .remove(&e.id)
            .expect("popped an entry that is not scheduled");
        assert_eq!(e.payload, e.id, "payload travels with the entry");
        assert!(
            nb <= self.s.now_ms(),
            "popped {} before {nb} at {}",
            e.id,
            self.s.now_ms()
        );
        assert!(e.not_before_ms <= self.s.now_ms());
        self.popped += 1;
    }

    fn pop_any(&mut self) -> Option<Entry<u64>> {
        let d = self.s.next_ready_dest()?;
        let e = self
            .s
            .pop(d)
            .expect("next_ready_dest returned an empty destination");
        self.check_popped(&e);
        Some(e)
    }

    /// Liveness: whatever is due at tick granularity is ready after an advance.
    fn check_due_are_ready(&self) {
        let now = self.s.now_ms();
        for (&id, &nb) in &self.live {
            let fire_at = nb.div_ceil(self.res).saturating_mul(self.res);
            if fire_at <= now {
                assert_eq!(self.s.state(id), Some(EntryState::Ready), "id {id} nb {nb}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// (a) every entry is popped exactly once when time passes all due times, and
    /// (b) no entry comes out before its not-before time.
    #[test]
    fn no_loss_no_duplicate_never_early(
        res in prop_oneof![Just(1u64), Just(1000u64), Just(60_000u64)],
        start in 0u64..1_000_000_000_000,
        ops in proptest::collection::vec(op(), 1..300),
    ) {
        let config = SchedulerConfig { resolution_ms: res, ..SchedulerConfig::default() };
        let mut m = Model {
            s: Scheduler::with_config(config).unwrap(),
            res,
            live: BTreeMap::new(),
            next_id: 1,
            popped: 0,
        };
        m.s.advance(start);
        for op in ops {
            let now = m.s.now_ms();
            match op {
                Op::Enqueue { dest, prio: p, delay } => {
                    let id = m.next_id;
                    m.next_id += 1;
                    let e = Entry { id, dest: DestId(dest), priority: prio(p), not_before_ms: now + delay, payload: id };
                    m.s.enqueue(e, now).unwrap();
                    m.live.insert(id, now + delay);
                }
                Op::Advance(step) => {
                    m.s.advance(now + step);
                    m.check_due_are_ready();
                }
                Op::Pop => { m.pop_any(); }
                Op::PopAndDefer(delay) => {
                    if let Some(e) = m.pop_any() {
                        let id = e.id;
                        m.s.defer(e, now + delay).unwrap();
                        m.live.insert(id, now + delay);
                    }
                }
                Op::Hold { pick, delay } => {
                    if let Some(id) = m.pick(pick) {
                        m.s.hold(id, now + delay).unwrap();
                        let nb = m.live.get_mut(&id).unwrap();
                        *nb = (*nb).max(now + delay);
                    }
                }
                Op::Release(pick) => {
                    if let Some(id) = m.pick(pick) {
                        if m.s.state(id) == Some(EntryState::Held) {
                            m.live.insert(id, m.live[&id].min(now));
                        }
                        m.s.release(id).unwrap();
                    }
                }
                Op::ForceId(pick) => {
                    if let Some(id) = m.pick(pick) {
                        if m.s.force_id(id, now).unwrap() {
                            m.live.insert(id, m.live[&id].min(now));
                        }
                    }
                }
                Op::ForceAll => {
                    let deferred: Vec<u64> = m.live.keys().copied()
                        .filter(|&id| m.s.state(id) == Some(EntryState::Deferred)).collect();
                    prop_assert_eq!(m.s.force_all(now), deferred.len());
                    for id in deferred {
                        m.live.insert(id, m.live[&id].min(now));
                    }
                }
                Op::Remove(pick) => {
                    if let Some(id) = m.pick(pick) {
                        prop_assert_eq!(m.s.remove(id).map(|e| e.id), Some(id));
                        m.live.remove(&id);
                    }
                }
            }
            prop_assert_eq!(m.s.len(), m.live.len());
            prop_assert_eq!(m.s.len(), m.s.len_ready() + m.s.len_deferred() + m.s.len_held());
        }
        // Run time past everything and drain.
        let end = m.live.values().copied().max().unwrap_or(0).saturating_add(2 * res);
        m.s.advance(end);
        m.check_due_are_ready();
        while m.pop_any().is_some() {}
        prop_assert!(m.live.is_empty(), "lost: {:?}", m.live);
        prop_assert!(m.s.is_empty());
        prop_assert_eq!(m.s.next_due(), None);
    }

    /// (c) starvation freedom. With `W` the sum of the weights:
    /// 1. while class `c` is non-empty at each pop, at most `W - w_c` consecutive pops go to
    ///    other classes;
    /// 2. in any `W` consecutive pops during which `c` never becomes empty, `c` gets at least
    ///    `w_c` of them.
    #[test]
    fn lower_classes_are_not_starved(
        w in (1u8..10, 1u8..10, 1u8..10),
        ops in proptest::collection::vec(prop_oneof![3 => (0u8..3).prop_map(Some), 2 => Just(None)], 1..2000),
    ) {
        let weights = Weights { high: w.0, normal: w.1, low: w.2 };
        let ws = [usize::from(w.0), usize::from(w.1), usize::from(w.2)];
        let total: usize = ws.iter().sum();
        let mut s = Scheduler::<()>::with_config(SchedulerConfig { weights, ..SchedulerConfig::default() }).unwrap();
        let d = DestId(0);
        // Per pop: classes non-empty before it, the class served, classes non-empty after it.
        let mut log: Vec<([bool; 3], usize, [bool; 3])> = Vec::new();
        for (id, op) in ops.into_iter().enumerate() {
            match op {
                Some(c) => {
                    s.enqueue(Entry { id: id as u64, dest: d, priority: prio(c), not_before_ms: 0, payload: () }, 0).unwrap();
                }
                None => {
                    let before = s.dest_stats(d).ready.map(|n| n > 0);
                    if let Some(e) = s.pop(d) {
                        let c = e.priority.index();
                        prop_assert!(before[c]);
                        let after = s.dest_stats(d).ready.map(|n| n > 0);
                        log.push((before, c, after));
                    } else {
                        prop_assert_eq!(before, [false; 3]);
                    }
                }
            }
        }
        for c in 0..3 {
            for win in log.windows(total - ws[c] + 1) {
                if win.iter().all(|(b, _, _)| b[c]) {
                    prop_assert!(win.iter().any(|(_, x, _)| *x == c), "class {} waited a whole window (weights {:?})", c, ws);
                }
            }
            for win in log.windows(total) {
                let kept = win.iter().all(|(b, _, _)| b[c])
                    && win[..win.len() - 1].iter().all(|(_, _, a)| a[c]);
                if kept {
                    let got = win.iter().filter(|(_, x, _)| *x == c).count();
                    prop_assert!(got >= ws[c], "class {} got {} of {} (weights {:?})", c, got, total, ws);
                }
            }
        }
    }

    /// (d) force send moves exactly the deferred entries that match, and nothing else.
    #[test]
    fn force_moves_exactly_the_matching_deferred(
        entries in proptest::collection::vec((0u32..5, 0u64..3, any::<bool>()), 0..200),
        which in prop_oneof![Just(None), (0u32..6).prop_map(|d| Some(Some(d))), any::<usize>().prop_map(|_| Some(None))],
        pick in any::<usize>(),
    ) {
        let now = 1_000_000u64;
        let mut s = Scheduler::<()>::new();
        for (i, &(dest, kind, held)) in entries.iter().enumerate() {
            let nb = match kind { 0 => 0, 1 => now + 60_000, _ => now + 86_400_000 };
            s.enqueue(Entry { id: i as u64, dest: DestId(dest), priority: Priority::Normal, not_before_ms: nb, payload: () }, now).unwrap();
            if held {
                s.hold(i as u64, now + 3_600_000).unwrap();
            }
        }
        let before: HashMap<u64, (u32, EntryState)> = (0..entries.len() as u64)
            .map(|id| (id, (entries[id as usize].0, s.state(id).unwrap()))).collect();
        let (moved, dest_filter, id_filter) = match which {
            None => (s.force_all(now), None, None),
            Some(Some(d)) => (s.force_dest(DestId(d), now), Some(d), None),
            Some(None) => {
                if entries.is_empty() { return Ok(()); }
                let id = (pick % entries.len()) as u64;
                (usize::from(s.force_id(id, now).unwrap()), None, Some(id))
            }
        };
        let matches = |id: u64, dest: u32| {
            dest_filter.is_none_or(|d| d == dest) && id_filter.is_none_or(|x| x == id)
        };
        let mut expected = 0;
        for (id, (dest, st)) in before {
            let after = s.state(id).unwrap();
            if st == EntryState::Deferred && matches(id, dest) {
                expected += 1;
                prop_assert_eq!(after, EntryState::Ready);
            } else {
                prop_assert_eq!(after, st);
            }
        }
        prop_assert_eq!(moved, expected);
    }

    /// The standalone wheel fires exactly the entries whose tick is reached.
    #[test]
    fn wheel_matches_a_sorted_model(
        res in prop_oneof![Just(1u64), Just(7u64), Just(1000u64)],
        items in proptest::collection::vec(prop_oneof![0u64..10_000, 0u64..100_000_000, any::<u64>()], 0..200),
        steps in proptest::collection::vec(prop_oneof![0u64..1000, 0u64..10_000_000, 0u64..(1 << 50)], 1..40),
        cancels in proptest::collection::vec(any::<usize>(), 0..20),
    ) {
        let mut w = TimerWheel::new(res).unwrap();
        let mut model: BTreeMap<u64, u64> = BTreeMap::new();
        for (id, &due) in items.iter().enumerate() {
            w.insert(id as u64, due, due).unwrap();
            model.insert(id as u64, due);
        }
        for c in cancels {
            let id = (c % items.len().max(1)) as u64;
            prop_assert_eq!(w.cancel(id).map(|x| x.0), model.remove(&id));
        }
        let mut now = 0u64;
        for step in steps {
            now = now.saturating_add(step);
            if let Some(next) = w.next_due() {
                let earliest = model.values().map(|d| d.div_ceil(res).saturating_mul(res)).min().unwrap();
                prop_assert!(next <= earliest);
            }
            let mut fired = Vec::new();
            w.advance(now, |id, due| fired.push((id, due)));
            let mut last_tick = 0;
            for (id, due) in fired {
                prop_assert_eq!(model.remove(&id), Some(due));
                prop_assert!(due <= now, "early: {} at {}", due, now);
                prop_assert!(due.div_ceil(res) >= last_tick, "out of order");
                last_tick = due.div_ceil(res);
            }
            for &due in model.values() {
                prop_assert!(due.div_ceil(res) > now / res, "late: {} at {}", due, now);
            }
            prop_assert_eq!(w.len(), model.len());
        }
    }
}
