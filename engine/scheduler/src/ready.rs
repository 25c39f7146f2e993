//! Ready queues: entries that may be attempted now, per destination and priority class.
//!
//! # Fairness between classes (per destination)
//!
//! Pops of one destination are served in rounds of deficit round robin with unit cost: the
//! high class gets up to `w_high` pops, then normal up to `w_normal`, then low up to `w_low`
//! (default 8:3:1). A class that is empty when its turn comes forfeits the rest of that turn,
//! and a destination that empties starts its next round with the high class. Hence:
//!
//! * with every class non-empty, each window of `W = w_high + w_normal + w_low` consecutive pops
//!   of a destination contains exactly `w_high` high, `w_normal` normal and `w_low` low pops
//!   (8:3:1 → of 1,000 pops, 668 high, 249 normal, 83 low);
//! * **bounded wait**: while class `c` is non-empty at each pop, at most `W - w_c` consecutive
//!   pops of the destination go to other classes (the other classes' turns are at most their
//!   weights, and a round restarting at high after the destination emptied is no longer). With
//!   8:3:1 low is served at least once in every 12 pops, normal once in every 10;
//! * **share**: in any `W` consecutive pops during which `c` never becomes empty, `c` gets at
//!   least `w_c` (a turn of `c` is `w_c` consecutive pops and the gap between turns is at most
//!   `W - w_c`). A class that empties mid-turn forfeits the rest of its turn, as in DRR;
//! * empty classes give their share to the others in proportion (high+low alone: 8:1).
//!
//! # Fairness between destinations
//!
//! Destinations with ready work sit in a ring; [`ReadyQueues::next_dest`] (and
//! `Scheduler::next_ready_dest`) returns the front one and rotates it to the back, so the
//! runtime serves destinations round robin. Destinations that emptied are dropped from the ring
//! lazily, when they reach its front.

use std::collections::VecDeque;

use crate::arena::{Arena, List};
use crate::{DestId, Priority, SchedulerError};

/// Highest destination id accepted (the per-destination table is a dense vector).
pub const MAX_DESTS: u32 = 1 << 24;

/// Relative shares of the three priority classes within one destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights {
    /// Consecutive pops granted to the high class per round.
    pub high: u8,
    /// Consecutive pops granted to the normal class per round.
    pub normal: u8,
    /// Consecutive pops granted to the low class per round.
    pub low: u8,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            high: 8,
            normal: 3,
            low: 1,
        }
    }
}

impl Weights {
    /// A zero weight would starve a class, which is exactly what the queues promise not to do.
    pub fn validate(self) -> Result<Self, SchedulerError> {
        if self.high == 0 || self.normal == 0 || self.low == 0 {
            return Err(SchedulerError::InvalidConfig(
                "every class weight must be at least 1",
            ));
        }
        Ok(self)
    }

    fn get(self, class: usize) -> u8 {
        match class {
            0 => self.high,
            1 => self.normal,
            _ => self.low,
        }
    }
}

/// Per-destination lists, counters and round-robin state (48 bytes).
#[derive(Debug, Clone, Default)]
pub(crate) struct DestQueue {
    lists: [List; 3],
    ready: [u32; 3],
    /// `[deferred, held]` entries of this destination in the wheel (kept by the scheduler).
    pub(crate) waiting: [u32; 2],
    turn: u8,
    left: u8,
    in_ring: bool,
}

impl DestQueue {
    fn total(&self) -> u32 {
        self.ready[0] + self.ready[1] + self.ready[2]
    }
}

/// The ready lists; nodes live in an [`Arena`] owned by the caller.
#[derive(Debug)]
pub(crate) struct ReadyCore {
    dests: Vec<DestQueue>,
    ring: VecDeque<u32>,
    weights: Weights,
    len: usize,
    active: usize,
}

impl ReadyCore {
    /// Empty queues; `weights` must have been validated.
    pub(crate) fn new(weights: Weights) -> Self {
        ReadyCore {
            dests: Vec::new(),
            ring: VecDeque::new(),
            weights,
            len: 0,
            active: 0,
        }
    }

    /// The per-destination record, created on first use.
    pub(crate) fn dest_mut(&mut self, dest: u32) -> Result<&mut DestQueue, SchedulerError> {
        if dest >= MAX_DESTS {
            return Err(SchedulerError::DestOutOfRange(dest));
        }
        let i = dest as usize;
        if i >= self.dests.len() {
            let weights = self.weights;
            self.dests.resize_with(i + 1, || DestQueue {
                left: weights.high,
                ..DestQueue::default()
            });
        }
        Ok(&mut self.dests[i])
    }

    pub(crate) fn dest(&self, dest: u32) -> Option<&DestQueue> {
        self.dests.get(dest as usize)
    }

    /// Appends a node (its `dest` must already have a record, see [`Self::dest_mut`]).
    pub(crate) fn push<T>(&mut self, arena: &mut Arena<T>, h: u32) {
        let (dest, class) = {
            let n = arena.node(h);
            (n.dest as usize, n.class.index())
        };
        let q = &mut self.dests[dest];
        arena.push_back(&mut q.lists[class], h);
        if q.total() == 0 {
            self.active += 1;
        }
        q.ready[class] += 1;
        self.len += 1;
        if !q.in_ring {
            q.in_ring = true;
            self.ring.push_back(dest as u32);
        }
    }

    /// Unlinks a ready node.
    pub(crate) fn unlink<T>(&mut self, arena: &mut Arena<T>, h: u32) {
        let (dest, class) = {
            let n = arena.node(h);
            (n.dest as usize, n.class.index())
        };
        let weights = self.weights;
        let q = &mut self.dests[dest];
        arena.unlink(&mut q.lists[class], h);
        q.ready[class] -= 1;
        self.len -= 1;
        if q.total() == 0 {
            self.active -= 1;
            q.turn = 0;
            q.left = weights.high;
        }
    }

    /// Takes the next node of `dest` by the weighted round (see the module docs).
    pub(crate) fn pop<T>(&mut self, arena: &mut Arena<T>, dest: u32) -> Option<u32> {
        let weights = self.weights;
        let q = self.dests.get_mut(dest as usize)?;
        if q.total() == 0 {
            return None;
        }
        // At most three turn changes reach a non-empty class.
        for _ in 0..4 {
            let c = q.turn as usize;
            if q.left > 0 && q.ready[c] > 0 {
                q.left -= 1;
                let h = arena.pop_front(&mut q.lists[c])?;
                q.ready[c] -= 1;
                self.len -= 1;
                if q.total() == 0 {
                    self.active -= 1;
                    q.turn = 0;
                    q.left = weights.high;
                }
                return Some(h);
            }
            q.turn = (q.turn + 1) % 3;
            q.left = weights.get(q.turn as usize);
        }
        None
    }

    /// The destination to serve next, rotated to the back of the ring.
    pub(crate) fn next_dest(&mut self) -> Option<u32> {
        while let Some(d) = self.ring.pop_front() {
            let q = &mut self.dests[d as usize];
            if q.total() > 0 {
                self.ring.push_back(d);
                return Some(d);
            }
            q.in_ring = false;
        }
        None
    }

    /// Ready entries per class `[high, normal, low]` of `dest`.
    pub(crate) fn counts(&self, dest: u32) -> [u32; 3] {
        self.dest(dest).map_or([0; 3], |q| q.ready)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Destinations with at least one ready entry.
    pub(crate) fn active_dests(&self) -> usize {
        self.active
    }

    /// Bytes held by the destination table and the ring (by capacity).
    pub(crate) fn memory_bytes(&self) -> usize {
        self.dests.capacity() * std::mem::size_of::<DestQueue>()
            + self.ring.capacity() * std::mem::size_of::<u32>()
    }
}

/// Standalone ready queues with their own slab (the [`crate::Scheduler`] embeds the same
/// structure sharing the wheel's slab).
#[derive(Debug)]
pub struct ReadyQueues<T> {
    arena: Arena<T>,
    core: ReadyCore,
}

impl<T> ReadyQueues<T> {
    /// Empty queues with the given class weights.
    pub fn new(weights: Weights) -> Result<Self, SchedulerError> {
        Ok(ReadyQueues {
            arena: Arena::default(),
            core: ReadyCore::new(weights.validate()?),
        })
    }

    /// Appends `id` to its destination and class (FIFO within a class).
    pub fn push(
        &mut self,
        id: u64,
        dest: DestId,
        priority: Priority,
        payload: T,
    ) -> Result<(), SchedulerError> {
        self.core.dest_mut(dest.0)?;
        let h = self
            .arena
            .insert(id, 0, dest.0, priority, crate::EntryState::Ready, payload)?;
        self.core.push(&mut self.arena, h);
        Ok(())
    }

    /// The next entry of `dest` by the weighted round: `(id, priority, payload)`.
    pub fn pop(&mut self, dest: DestId) -> Option<(u64, Priority, T)> {
        let h = self.core.pop(&mut self.arena, dest.0)?;
        self.arena.remove(h).map(|t| (t.id, t.class, t.payload))
    }

    /// Removes `id` wherever it waits.
    pub fn remove(&mut self, id: u64) -> Option<(DestId, Priority, T)> {
        let h = self.arena.handle(id)?;
        self.core.unlink(&mut self.arena, h);
        self.arena
            .remove(h)
            .map(|t| (DestId(t.dest), t.class, t.payload))
    }

    /// The destination to serve next (round robin over destinations with work).
    pub fn next_dest(&mut self) -> Option<DestId> {
        self.core.next_dest().map(DestId)
    }

    /// Ready entries of `dest` in `priority`.
    pub fn count(&self, dest: DestId, priority: Priority) -> u32 {
        self.core.counts(dest.0)[priority.index()]
    }

    /// Ready entries in total.
    pub fn len(&self) -> usize {
        self.core.len()
    }

    /// Whether nothing is ready.
    pub fn is_empty(&self) -> bool {
        self.core.len() == 0
    }

    /// Destinations with ready work.
    pub fn active_dests(&self) -> usize {
        self.core.active_dests()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(per_class: u64) -> ReadyQueues<()> {
        let mut q = ReadyQueues::new(Weights::default()).unwrap();
        let mut id = 0;
        for p in Priority::ALL {
            for _ in 0..per_class {
                q.push(id, DestId(0), p, ()).unwrap();
                id += 1;
            }
        }
        q
    }

    #[test]
    fn shares_with_all_classes_busy() {
        let mut q = filled(2000);
        let mut got = [0u32; 3];
        for _ in 0..1000 {
            let (_, p, ()) = q.pop(DestId(0)).unwrap();
            got[p.index()] += 1;
        }
        // 1000 = 83 rounds of 12 + 4 high pops.
        assert_eq!(got, [668, 249, 83]);
    }

    #[test]
    fn every_window_of_twelve_serves_low() {
        let mut q = filled(500);
        let seq: Vec<Priority> = (0..600).map(|_| q.pop(DestId(0)).unwrap().1).collect();
        for w in seq.windows(12) {
            assert_eq!(w.iter().filter(|p| **p == Priority::Low).count(), 1);
            assert_eq!(w.iter().filter(|p| **p == Priority::Normal).count(), 3);
        }
    }

    #[test]
    fn empty_classes_pass_their_turn() {
        let mut q = ReadyQueues::new(Weights::default()).unwrap();
        for i in 0..100 {
            q.push(i, DestId(3), Priority::Low, ()).unwrap();
        }
        q.push(1000, DestId(3), Priority::High, ()).unwrap();
        // High first, then only low remains.
        assert_eq!(q.pop(DestId(3)).unwrap().0, 1000);
        for i in 0..100 {
            assert_eq!(q.pop(DestId(3)).unwrap().0, i);
        }
        assert!(q.pop(DestId(3)).is_none());
        assert!(q.pop(DestId(99)).is_none());
    }

    #[test]
    fn fifo_within_class_and_remove() {
        let mut q = ReadyQueues::new(Weights::default()).unwrap();
        for i in 0..5 {
            q.push(i, DestId(1), Priority::Normal, ()).unwrap();
        }
        assert_eq!(q.remove(2), Some((DestId(1), Priority::Normal, ())));
        assert_eq!(q.remove(2), None);
        assert_eq!(q.count(DestId(1), Priority::Normal), 4);
        let ids: Vec<u64> = std::iter::from_fn(|| q.pop(DestId(1)).map(|e| e.0)).collect();
        assert_eq!(ids, vec![0, 1, 3, 4]);
        assert!(q.is_empty());
    }

    #[test]
    fn destinations_rotate() {
        let mut q = ReadyQueues::new(Weights::default()).unwrap();
        for d in 0..3u32 {
            for i in 0..2u64 {
                q.push(u64::from(d) * 10 + i, DestId(d), Priority::Normal, ())
                    .unwrap();
            }
        }
        assert_eq!(q.active_dests(), 3);
        let order: Vec<u32> = (0..6).map(|_| q.next_dest().unwrap().0).collect();
        assert_eq!(order, vec![0, 1, 2, 0, 1, 2]);
        q.pop(DestId(1));
        q.pop(DestId(1));
        let order: Vec<u32> = (0..4).map(|_| q.next_dest().unwrap().0).collect();
        assert_eq!(order, vec![0, 2, 0, 2]);
        // Coming back puts it at the end exactly once.
        q.push(99, DestId(1), Priority::Low, ()).unwrap();
        q.push(98, DestId(1), Priority::Low, ()).unwrap();
        let order: Vec<u32> = (0..3).map(|_| q.next_dest().unwrap().0).collect();
        assert_eq!(order, vec![0, 2, 1]);
    }

    #[test]
    fn rejects_zero_weight_and_huge_dest() {
        assert!(ReadyQueues::<()>::new(Weights {
            high: 1,
            normal: 0,
            low: 1
        })
        .is_err());
        let mut q = ReadyQueues::new(Weights::default()).unwrap();
        assert_eq!(
            q.push(1, DestId(MAX_DESTS), Priority::Low, ()),
            Err(SchedulerError::DestOutOfRange(MAX_DESTS))
        );
    }
}
