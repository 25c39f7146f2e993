//! The scheduler facade: one slab, one timer wheel, one set of ready queues.

use crate::arena::Arena;
use crate::ready::{ReadyCore, Weights};
use crate::wheel::{WheelCore, DEFAULT_RESOLUTION_MS};
use crate::{DestId, EntryState, Priority, SchedulerError};

const DEFERRED: usize = 0;
const HELD: usize = 1;

/// A delivery as the scheduler sees it: the full record stays in storage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<T> {
    /// Delivery id (unique while scheduled).
    pub id: u64,
    /// Destination queue.
    pub dest: DestId,
    /// Priority class.
    pub priority: Priority,
    /// Earliest attempt (retry time or hold end), ms since the epoch. On a popped entry: the time
    /// it became ready (lowered to the force time by force send or release).
    pub not_before_ms: u64,
    /// Caller data carried along (keep it small: it is stored inline in the slab).
    pub payload: T,
}

/// Tuning of a [`Scheduler`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchedulerConfig {
    /// Wheel tick: deferred entries become ready at most this late (never early).
    pub resolution_ms: u64,
    /// Class shares within a destination.
    pub weights: Weights,
}

impl Default for SchedulerConfig {
    fn default() -> Self {
        SchedulerConfig {
            resolution_ms: DEFAULT_RESOLUTION_MS,
            weights: Weights::default(),
        }
    }
}

/// Counts of one destination, for the queue views of the RPC/CLI and for shaping decisions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DestStats {
    /// Ready entries per class `[high, normal, low]`.
    pub ready: [u32; 3],
    /// Entries waiting for a retry time.
    pub deferred: u32,
    /// Entries held by prohibited hours.
    pub held: u32,
}

impl DestStats {
    /// Ready entries of all classes.
    pub fn ready_total(&self) -> u32 {
        self.ready.iter().sum()
    }
}

/// Bytes held by a scheduler, by part (capacities, so what the allocator really holds).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MemoryUsage {
    /// The node slab.
    pub nodes: usize,
    /// The id → node index.
    pub index: usize,
    /// Wheel lists, per-destination records and the destination ring.
    pub queues: usize,
}

impl MemoryUsage {
    /// All bytes.
    pub fn total(&self) -> usize {
        self.nodes + self.index + self.queues
    }
}

/// The per-shard delivery scheduler.
///
/// Entries are either ready (in a destination's class queue) or waiting in the timer wheel
/// (deferred for a retry, or held for prohibited hours). The scheduler keeps its own notion of
/// "now": the latest `now_ms` it was given; time never goes backwards for it.
#[derive(Debug)]
pub struct Scheduler<T> {
    arena: Arena<T>,
    wheel: WheelCore,
    ready: ReadyCore,
    waiting: [usize; 2],
    now_ms: u64,
}

impl<T> Default for Scheduler<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Scheduler<T> {
    /// A scheduler with 1 s ticks and 8:3:1 class weights.
    pub fn new() -> Self {
        Scheduler {
            arena: Arena::default(),
            wheel: WheelCore::new(DEFAULT_RESOLUTION_MS),
            ready: ReadyCore::new(Weights::default()),
            waiting: [0; 2],
            now_ms: 0,
        }
    }

    /// A scheduler with explicit tuning; refuses a zero tick or a zero weight.
    pub fn with_config(config: SchedulerConfig) -> Result<Self, SchedulerError> {
        Ok(Scheduler {
            arena: Arena::default(),
            wheel: WheelCore::new(WheelCore::validate(config.resolution_ms)?),
            ready: ReadyCore::new(config.weights.validate()?),
            waiting: [0; 2],
            now_ms: 0,
        })
    }

    fn observe(&mut self, now_ms: u64) -> u64 {
        self.now_ms = self.now_ms.max(now_ms);
        self.now_ms
    }

    /// Adds a delivery: ready if `not_before_ms <= now_ms`, otherwise deferred until then.
    /// Returns where it went.
    pub fn enqueue(&mut self, entry: Entry<T>, now_ms: u64) -> Result<EntryState, SchedulerError> {
        let now = self.observe(now_ms);
        self.ready.dest_mut(entry.dest.0)?;
        let h = self.arena.insert(
            entry.id,
            entry.not_before_ms,
            entry.dest.0,
            entry.priority,
            EntryState::Deferred,
            entry.payload,
        )?;
        Ok(self.place(h, now))
    }

    /// Puts an unlinked node where its state and due time say (a due entry is always ready).
    fn place(&mut self, h: u32, now: u64) -> EntryState {
        let node = self.arena.node_mut(h);
        if node.due_ms <= now {
            node.state = EntryState::Ready;
            self.ready.push(&mut self.arena, h);
            return EntryState::Ready;
        }
        let state = node.state;
        let k = if state == EntryState::Held {
            HELD
        } else {
            DEFERRED
        };
        let dest = node.dest;
        if let Ok(q) = self.ready.dest_mut(dest) {
            q.waiting[k] += 1;
        }
        self.waiting[k] += 1;
        self.wheel.insert(&mut self.arena, h);
        state
    }

    /// Unlinks a node from wherever it is, keeping the counters right.
    fn unplace(&mut self, h: u32) {
        let node = self.arena.node(h);
        let (state, dest) = (node.state, node.dest);
        let k = match state {
            EntryState::Ready => {
                self.ready.unlink(&mut self.arena, h);
                return;
            }
            EntryState::Deferred => DEFERRED,
            EntryState::Held => HELD,
        };
        self.wheel.remove(&mut self.arena, h);
        self.waiting[k] -= 1;
        if let Ok(q) = self.ready.dest_mut(dest) {
            q.waiting[k] -= 1;
        }
    }

    /// Moves the clock to `now_ms` and every deferred or held entry due by then to its ready
    /// queue, in due order. Returns how many became ready.
    pub fn advance(&mut self, now_ms: u64) -> usize {
        let now = self.observe(now_ms);
        let ready = &mut self.ready;
        let waiting = &mut self.waiting;
        self.wheel.advance(&mut self.arena, now, &mut |arena, h| {
            let node = arena.node_mut(h);
            let k = if node.state == EntryState::Held {
                HELD
            } else {
                DEFERRED
            };
            node.state = EntryState::Ready;
            let dest = node.dest;
            waiting[k] -= 1;
            if let Ok(q) = ready.dest_mut(dest) {
                q.waiting[k] -= 1;
            }
            ready.push(arena, h);
        })
    }

    /// When the runtime should call [`Self::advance`] next: a lower bound of the next due time
    /// (never later than it, possibly earlier by up to a coarse wheel slot); `None` when nothing
    /// waits.
    pub fn next_due(&self) -> Option<u64> {
        self.wheel.next_due_ms()
    }

    /// The destination to serve next: destinations with ready work in round robin (the one
    /// returned goes to the back of the ring).
    pub fn next_ready_dest(&mut self) -> Option<DestId> {
        self.ready.next_dest().map(DestId)
    }

    /// Takes the next ready entry of `dest` (weighted round over the classes, FIFO within a
    /// class). The scheduler forgets it: after the attempt, [`Self::defer`] it or drop it.
    pub fn pop(&mut self, dest: DestId) -> Option<Entry<T>> {
        let h = self.ready.pop(&mut self.arena, dest.0)?;
        self.arena.remove(h).map(|t| Entry {
            id: t.id,
            dest: DestId(t.dest),
            priority: t.class,
            not_before_ms: t.due_ms,
            payload: t.payload,
        })
    }

    /// Re-inserts a popped entry after a temporary failure, to be retried at `until_ms`
    /// (judged against the scheduler's current time).
    pub fn defer(
        &mut self,
        mut entry: Entry<T>,
        until_ms: u64,
    ) -> Result<EntryState, SchedulerError> {
        entry.not_before_ms = until_ms;
        let now = self.now_ms;
        self.enqueue(entry, now)
    }

    /// Holds `id` until `until_ms` (prohibited hours): it leaves the ready queue or its retry
    /// slot and waits until the later of its retry time and `until_ms`. Force send ignores held
    /// entries. A hold that has already ended has no effect (the entry is ready).
    pub fn hold(&mut self, id: u64, until_ms: u64) -> Result<EntryState, SchedulerError> {
        let h = self.arena.handle(id).ok_or(SchedulerError::UnknownId(id))?;
        let node = self.arena.node(h);
        if node.state == EntryState::Ready && until_ms <= self.now_ms {
            // Keep its place in the queue.
            return Ok(EntryState::Ready);
        }
        self.unplace(h);
        let node = self.arena.node_mut(h);
        node.due_ms = node.due_ms.max(until_ms);
        node.state = EntryState::Held;
        let now = self.now_ms;
        Ok(self.place(h, now))
    }

    /// Ends the hold of `id` now: it becomes ready even if its retry time has not come (the
    /// policy decided it may go). An entry that is not held is left as it is.
    pub fn release(&mut self, id: u64) -> Result<EntryState, SchedulerError> {
        let h = self.arena.handle(id).ok_or(SchedulerError::UnknownId(id))?;
        let state = self.arena.node(h).state;
        if state != EntryState::Held {
            return Ok(state);
        }
        Ok(self.make_ready(h))
    }

    fn make_ready(&mut self, h: u32) -> EntryState {
        self.unplace(h);
        let now = self.now_ms;
        let node = self.arena.node_mut(h);
        node.due_ms = node.due_ms.min(now);
        node.state = EntryState::Ready;
        self.place(h, now)
    }

    /// Force send (SPEC §5): every deferred entry becomes ready now. Held entries stay held.
    /// Costs one pass over the slab. Returns how many moved.
    pub fn force_all(&mut self, now_ms: u64) -> usize {
        self.observe(now_ms);
        let budget = self.waiting[DEFERRED];
        self.force_where(budget, |_| true)
    }

    /// Force send for one destination: its deferred entries become ready now.
    pub fn force_dest(&mut self, dest: DestId, now_ms: u64) -> usize {
        self.observe(now_ms);
        let budget = self
            .ready
            .dest(dest.0)
            .map_or(0, |q| q.waiting[DEFERRED] as usize);
        self.force_where(budget, |d| d == dest.0)
    }

    /// Force send for one delivery: `Ok(true)` if it was deferred and is now ready, `Ok(false)`
    /// if it was already ready or is held.
    pub fn force_id(&mut self, id: u64, now_ms: u64) -> Result<bool, SchedulerError> {
        self.observe(now_ms);
        let h = self.arena.handle(id).ok_or(SchedulerError::UnknownId(id))?;
        if self.arena.node(h).state != EntryState::Deferred {
            return Ok(false);
        }
        self.make_ready(h);
        Ok(true)
    }

    /// Moves up to `budget` deferred entries whose destination matches, scanning the slab.
    fn force_where(&mut self, mut budget: usize, matches: impl Fn(u32) -> bool) -> usize {
        let mut moved = 0;
        let mut h = 0;
        while budget > 0 && h < self.arena.slots() {
            if self.arena.is_live(h) {
                let node = self.arena.node(h);
                if node.state == EntryState::Deferred && matches(node.dest) {
                    self.make_ready(h);
                    moved += 1;
                    budget -= 1;
                }
            }
            h += 1;
        }
        moved
    }

    /// Takes `id` out of the scheduler wherever it waits (message deleted, recipient blocked).
    pub fn remove(&mut self, id: u64) -> Option<Entry<T>> {
        let h = self.arena.handle(id)?;
        self.unplace(h);
        self.arena.remove(h).map(|t| Entry {
            id: t.id,
            dest: DestId(t.dest),
            priority: t.class,
            not_before_ms: t.due_ms,
            payload: t.payload,
        })
    }

    /// Where `id` waits, if it is scheduled.
    pub fn state(&self, id: u64) -> Option<EntryState> {
        self.arena.handle(id).map(|h| self.arena.node(h).state)
    }

    /// Whether `id` is scheduled.
    pub fn contains(&self, id: u64) -> bool {
        self.arena.handle(id).is_some()
    }

    /// All entries (ready + deferred + held).
    pub fn len(&self) -> usize {
        self.arena.len()
    }

    /// Whether nothing is scheduled.
    pub fn is_empty(&self) -> bool {
        self.arena.len() == 0
    }

    /// Entries waiting for a retry time.
    pub fn len_deferred(&self) -> usize {
        self.waiting[DEFERRED]
    }

    /// Entries held by prohibited hours.
    pub fn len_held(&self) -> usize {
        self.waiting[HELD]
    }

    /// Entries that may be popped now.
    pub fn len_ready(&self) -> usize {
        self.ready.len()
    }

    /// Destinations with ready work.
    pub fn ready_dests(&self) -> usize {
        self.ready.active_dests()
    }

    /// Counts of one destination (zeros for an unknown one).
    pub fn dest_stats(&self, dest: DestId) -> DestStats {
        let waiting = self.ready.dest(dest.0).map_or([0; 2], |q| q.waiting);
        DestStats {
            ready: self.ready.counts(dest.0),
            deferred: waiting[DEFERRED],
            held: waiting[HELD],
        }
    }

    /// The scheduler's current time (the latest `now_ms` it was given).
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// Bytes held, by part, for capacity planning and the benchmark's bytes-per-entry figure.
    pub fn memory_usage(&self) -> MemoryUsage {
        let (nodes, index) = self.arena.memory_bytes();
        MemoryUsage {
            nodes,
            index,
            queues: self.wheel.memory_bytes() + self.ready.memory_bytes(),
        }
    }
}
