//! Hierarchical timing wheel for deferred entries (retry times, prohibited-hours holds).
//!
//! Time is counted in ticks of `resolution_ms`. An entry due at `due_ms` belongs to tick
//! `ceil(due_ms / resolution)` and fires once the clock reaches that tick, so it is never early
//! and at most one resolution late. There are [`LEVELS`] levels of 64 slots; level `L` slots
//! span `64^L` ticks. An entry sits on the level of the highest 6-bit group in which its tick
//! differs from the current tick, so its position is a pure function of `(tick, now)`: that is
//! what lets cancellation find the list of an entry without storing it in the node.
//! Ticks beyond the wheel span (`64^LEVELS` ticks: ~2,177 years at 1 s, ~795 days at 1 ms) go
//! to an overflow list that is re-sorted into the wheel when the clock reaches its range.
//!
//! Each level keeps a 64-bit occupancy bitmap, so advancing jumps straight to the
//! next occupied slot: a jump of days costs O(occupied slots + cascaded entries), never
//! O(elapsed ticks). Each entry is cascaded at most `LEVELS - 1` times.

use crate::arena::{Arena, List, NIL};
use crate::SchedulerError;

const SLOT_BITS: u32 = 6;
const SLOTS: usize = 1 << SLOT_BITS;
/// Number of wheel levels.
pub const LEVELS: usize = 6;
const WHEEL_BITS: u32 = SLOT_BITS * LEVELS as u32;

/// Default tick: one second is ample for mail retries and keeps cascades few.
pub const DEFAULT_RESOLUTION_MS: u64 = 1000;

/// Where an entry with a given tick lives relative to the current tick.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Loc {
    /// Already due: fires at the next advance.
    Expired,
    /// `(level, slot)`.
    Slot(usize, usize),
    /// Beyond the wheel span.
    Overflow,
}

/// The wheel's lists and clock; the nodes live in an [`Arena`] owned by the caller.
#[derive(Debug)]
pub(crate) struct WheelCore {
    resolution_ms: u64,
    now_tick: u64,
    slots: Box<[List]>,
    occupied: [u64; LEVELS],
    expired: List,
    overflow: List,
    /// Lower bound of the overflow ticks (not raised on removal; corrected when processed).
    overflow_min: u64,
    len: usize,
}

impl WheelCore {
    /// Refuses a zero tick (there is no "every millisecond and less").
    pub(crate) fn validate(resolution_ms: u64) -> Result<u64, SchedulerError> {
        if resolution_ms == 0 {
            return Err(SchedulerError::InvalidConfig(
                "resolution_ms must be at least 1",
            ));
        }
        Ok(resolution_ms)
    }

    /// A wheel at tick 0 (a zero resolution, refused by [`Self::validate`], is taken as 1).
    pub(crate) fn new(resolution_ms: u64) -> Self {
        WheelCore {
            resolution_ms: resolution_ms.max(1),
            now_tick: 0,
            slots: vec![List::EMPTY; LEVELS * SLOTS].into_boxed_slice(),
            occupied: [0; LEVELS],
            expired: List::EMPTY,
            overflow: List::EMPTY,
            overflow_min: u64::MAX,
            len: 0,
        }
    }

    pub(crate) fn resolution_ms(&self) -> u64 {
        self.resolution_ms
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    fn tick_of(&self, due_ms: u64) -> u64 {
        due_ms.div_ceil(self.resolution_ms)
    }

    fn locate(&self, tick: u64) -> Loc {
        if tick <= self.now_tick {
            return Loc::Expired;
        }
        let diff = tick ^ self.now_tick;
        let level = ((63 - diff.leading_zeros()) / SLOT_BITS) as usize;
        if level >= LEVELS {
            Loc::Overflow
        } else {
            let slot = (tick >> (SLOT_BITS * level as u32)) as usize & (SLOTS - 1);
            Loc::Slot(level, slot)
        }
    }

    /// Links an unlinked node by its `due_ms`.
    pub(crate) fn insert<T>(&mut self, arena: &mut Arena<T>, h: u32) {
        let tick = self.tick_of(arena.node(h).due_ms);
        self.link(arena, h, tick);
        self.len += 1;
    }

    fn link<T>(&mut self, arena: &mut Arena<T>, h: u32, tick: u64) {
        match self.locate(tick) {
            Loc::Expired => arena.push_back(&mut self.expired, h),
            Loc::Slot(level, slot) => {
                arena.push_back(&mut self.slots[level * SLOTS + slot], h);
                self.occupied[level] |= 1 << slot;
            }
            Loc::Overflow => {
                arena.push_back(&mut self.overflow, h);
                self.overflow_min = self.overflow_min.min(tick);
            }
        }
    }

    /// Unlinks a node that is in this wheel. Its `due_ms` must not have changed since insert.
    pub(crate) fn remove<T>(&mut self, arena: &mut Arena<T>, h: u32) {
        let tick = self.tick_of(arena.node(h).due_ms);
        match self.locate(tick) {
            Loc::Expired => arena.unlink(&mut self.expired, h),
            Loc::Slot(level, slot) => {
                let list = &mut self.slots[level * SLOTS + slot];
                arena.unlink(list, h);
                if list.is_empty() {
                    self.occupied[level] &= !(1 << slot);
                }
            }
            Loc::Overflow => {
                arena.unlink(&mut self.overflow, h);
                if self.overflow.is_empty() {
                    self.overflow_min = u64::MAX;
                }
            }
        }
        self.len -= 1;
    }

    /// The next list to process and the tick at which to process it.
    fn next_expiration(&self) -> Option<(Loc, u64)> {
        if !self.expired.is_empty() {
            return Some((Loc::Expired, self.now_tick));
        }
        // Every entry of level L is later than every entry of level L-1 (it differs from now in
        // a higher group), and its slot index is above now's index on that level, so the lowest
        // set bit of the lowest non-empty level is the earliest.
        for (level, &occ) in self.occupied.iter().enumerate() {
            if occ != 0 {
                let slot = u64::from(occ.trailing_zeros());
                let shift = SLOT_BITS * level as u32;
                let level_mask = (1u64 << (shift + SLOT_BITS)) - 1;
                let deadline = (self.now_tick & !level_mask) + (slot << shift);
                return Some((Loc::Slot(level, slot as usize), deadline));
            }
        }
        if !self.overflow.is_empty() {
            let deadline = (self.overflow_min >> WHEEL_BITS) << WHEEL_BITS;
            return Some((Loc::Overflow, deadline));
        }
        None
    }

    /// A lower bound (in ms) of the time at which the next entry fires: the runtime can sleep
    /// until then. It may be earlier than any entry (the start of a coarse slot); advancing to
    /// it then only cascades, and the following call answers more precisely. An already-due
    /// entry gives the current wheel time.
    pub(crate) fn next_due_ms(&self) -> Option<u64> {
        self.next_expiration()
            .map(|(_, tick)| tick.saturating_mul(self.resolution_ms))
    }

    /// Moves the clock to `now_ms` (never backwards) and hands every entry whose tick is
    /// reached to `fire`, unlinked, in non-decreasing due order. Returns how many fired.
    pub(crate) fn advance<T>(
        &mut self,
        arena: &mut Arena<T>,
        now_ms: u64,
        fire: &mut impl FnMut(&mut Arena<T>, u32),
    ) -> usize {
        let target = (now_ms / self.resolution_ms).max(self.now_tick);
        let mut fired = 0;
        while let Some((loc, deadline)) = self.next_expiration() {
            if deadline > target {
                break;
            }
            self.now_tick = self.now_tick.max(deadline);
            let chain = match loc {
                Loc::Expired => std::mem::take(&mut self.expired),
                Loc::Slot(level, slot) => {
                    self.occupied[level] &= !(1 << slot);
                    std::mem::take(&mut self.slots[level * SLOTS + slot])
                }
                Loc::Overflow => {
                    self.overflow_min = u64::MAX;
                    std::mem::take(&mut self.overflow)
                }
            };
            let mut cur = chain.head;
            while cur != NIL {
                let next = arena.node(cur).next;
                let tick = self.tick_of(arena.node(cur).due_ms);
                if tick <= self.now_tick {
                    arena.clear_links(cur);
                    self.len -= 1;
                    fired += 1;
                    fire(arena, cur);
                } else {
                    // Lands on a lower level (or back in overflow): it differs from the new
                    // `now_tick` only below the level it was on.
                    self.link(arena, cur, tick);
                }
                cur = next;
            }
        }
        self.now_tick = target;
        fired
    }

    /// Bytes of the wheel's own lists.
    pub(crate) fn memory_bytes(&self) -> usize {
        std::mem::size_of::<Self>() + self.slots.len() * std::mem::size_of::<List>()
    }
}

/// A standalone timer wheel: delivery ids with a payload, fired when due.
///
/// The [`crate::Scheduler`] shares its slab between the wheel and the ready queues; this type
/// is the same wheel with its own slab, for callers that only need timers.
#[derive(Debug)]
pub struct TimerWheel<T> {
    arena: Arena<T>,
    core: WheelCore,
}

impl<T> TimerWheel<T> {
    /// A wheel with ticks of `resolution_ms` (entries fire at most that late, never early).
    pub fn new(resolution_ms: u64) -> Result<Self, SchedulerError> {
        Ok(TimerWheel {
            arena: Arena::default(),
            core: WheelCore::new(WheelCore::validate(resolution_ms)?),
        })
    }

    /// Schedules `id` at `due_ms`, in O(1). A due time already past fires at the next advance.
    pub fn insert(&mut self, id: u64, due_ms: u64, payload: T) -> Result<(), SchedulerError> {
        let h = self.arena.insert(
            id,
            due_ms,
            0,
            crate::Priority::Normal,
            crate::EntryState::Deferred,
            payload,
        )?;
        self.core.insert(&mut self.arena, h);
        Ok(())
    }

    /// Removes `id` at once (O(1), no tombstone) and returns its due time and payload.
    pub fn cancel(&mut self, id: u64) -> Option<(u64, T)> {
        let h = self.arena.handle(id)?;
        self.core.remove(&mut self.arena, h);
        self.arena.remove(h).map(|t| (t.due_ms, t.payload))
    }

    /// Moves the clock to `now_ms` and calls `fire(id, payload)` for every entry due by then,
    /// in due order. Returns the number fired.
    pub fn advance(&mut self, now_ms: u64, mut fire: impl FnMut(u64, T)) -> usize {
        self.core.advance(&mut self.arena, now_ms, &mut |arena, h| {
            if let Some(t) = arena.remove(h) {
                fire(t.id, t.payload);
            }
        })
    }

    /// When to wake up next (a lower bound, see the module docs); `None` when empty.
    pub fn next_due(&self) -> Option<u64> {
        self.core.next_due_ms()
    }

    /// Whether `id` is scheduled.
    pub fn contains(&self, id: u64) -> bool {
        self.arena.handle(id).is_some()
    }

    /// Entries scheduled.
    pub fn len(&self) -> usize {
        self.core.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.core.len() == 0
    }

    /// The tick length given at construction.
    pub fn resolution_ms(&self) -> u64 {
        self.core.resolution_ms()
    }

    /// Heap and inline bytes held (slab and index by capacity, plus the wheel lists).
    pub fn memory_bytes(&self) -> usize {
        let (nodes, index) = self.arena.memory_bytes();
        nodes + index + self.core.memory_bytes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(w: &mut TimerWheel<()>, now: u64) -> Vec<u64> {
        let mut out = Vec::new();
        w.advance(now, |id, ()| out.push(id));
        out
    }

    #[test]
    fn fires_in_order_never_early() {
        let mut w = TimerWheel::new(1).unwrap();
        for (id, due) in [(1, 500), (2, 70), (3, 5000), (4, 70), (5, 1_000_000)] {
            w.insert(id, due, ()).unwrap();
        }
        assert_eq!(drain(&mut w, 69), Vec::<u64>::new());
        assert_eq!(drain(&mut w, 70), vec![2, 4]);
        assert_eq!(drain(&mut w, 4999), vec![1]);
        assert_eq!(w.next_due(), Some(5000));
        assert_eq!(drain(&mut w, 5000), vec![3]);
        assert_eq!(drain(&mut w, 2_000_000), vec![5]);
        assert!(w.is_empty());
        assert_eq!(w.next_due(), None);
    }

    #[test]
    fn coarse_resolution_rounds_up() {
        let mut w = TimerWheel::new(1000).unwrap();
        w.insert(1, 1500, ()).unwrap();
        assert_eq!(w.next_due(), Some(2000));
        assert!(drain(&mut w, 1999).is_empty());
        assert_eq!(drain(&mut w, 2000), vec![1]);
    }

    #[test]
    fn past_due_fires_at_next_advance() {
        let mut w = TimerWheel::new(1000).unwrap();
        drain(&mut w, 100_000);
        w.insert(9, 5, ()).unwrap();
        assert_eq!(w.next_due(), Some(100_000));
        assert_eq!(drain(&mut w, 50), vec![9]);
    }

    #[test]
    fn far_future_goes_through_overflow() {
        let mut w = TimerWheel::new(1).unwrap();
        let span = 1u64 << WHEEL_BITS;
        w.insert(1, 3 * span + 17, ()).unwrap();
        w.insert(2, u64::MAX, ()).unwrap();
        w.insert(3, span - 1, ()).unwrap();
        assert_eq!(drain(&mut w, span), vec![3]);
        assert!(drain(&mut w, 3 * span + 16).is_empty());
        assert_eq!(drain(&mut w, 3 * span + 17), vec![1]);
        assert!(drain(&mut w, u64::MAX - 1).is_empty());
        assert_eq!(drain(&mut w, u64::MAX), vec![2]);
    }

    #[test]
    fn time_jump_of_days_is_one_call() {
        let mut w = TimerWheel::new(1).unwrap();
        let day = 86_400_000u64;
        for i in 0..10_000u64 {
            w.insert(i, (i * 7919) % (3 * day) + 1, ()).unwrap();
        }
        let fired = drain(&mut w, 3 * day);
        assert_eq!(fired.len(), 10_000);
        assert!(w.is_empty());
    }

    #[test]
    fn cancel_is_immediate() {
        let mut w = TimerWheel::new(1).unwrap();
        w.insert(1, 100, 'a').unwrap();
        w.insert(2, 100, 'b').unwrap();
        w.insert(3, 1 << 40, 'c').unwrap();
        assert_eq!(w.cancel(1), Some((100, 'a')));
        assert_eq!(w.cancel(3), Some((1 << 40, 'c')));
        assert_eq!(w.cancel(3), None);
        assert_eq!(w.len(), 1);
        let mut got = Vec::new();
        w.advance(u64::MAX, |id, p| got.push((id, p)));
        assert_eq!(got, vec![(2, 'b')]);
    }

    #[test]
    fn cancel_after_cascade_finds_the_entry() {
        let mut w = TimerWheel::new(1).unwrap();
        w.insert(1, 300_000, ()).unwrap();
        w.insert(2, 300_001, ()).unwrap();
        // Advance into the level-3 slot so both cascade to lower levels.
        assert!(drain(&mut w, 299_990).is_empty());
        assert!(w.cancel(1).is_some());
        assert_eq!(drain(&mut w, 400_000), vec![2]);
    }

    #[test]
    fn zero_resolution_is_rejected() {
        assert!(TimerWheel::<()>::new(0).is_err());
    }
}
