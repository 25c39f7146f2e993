//! The delivery scheduler of one shard (SPEC §5): which queued delivery to attempt next.
//!
//! A shard thread owns the queues of its destinations, so everything here is single-threaded,
//! `&mut self`, pure (no I/O, no clock: callers pass `now_ms`) and allocation-light: every entry
//! is one 32-byte node (plus payload) in a slab shared by
//!
//! * a hierarchical [timer wheel](wheel) holding deferred entries (retry times, prohibited-hours
//!   holds) until they are due, and
//! * [ready queues](ready) per destination with three priority classes served by weighted
//!   round robin, so high priority goes first but low priority keeps a guaranteed share,
//!
//! tied together by the [`Scheduler`] facade (force send, hold/release, per-destination stats).
//! Destinations are interned into dense [`DestId`]s by a [`DestTable`].
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod arena;
pub mod dest;
mod index;
pub mod ready;
pub mod scheduler;
pub mod wheel;

pub use dest::DestTable;
pub use ready::{ReadyQueues, Weights, MAX_DESTS};
pub use scheduler::{DestStats, Entry, MemoryUsage, Scheduler, SchedulerConfig};
pub use wheel::{TimerWheel, DEFAULT_RESOLUTION_MS};

/// A destination (domain or MX site) as a dense index, so per-destination state is a vector
/// slot instead of a string-keyed map lookup on every pop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DestId(pub u32);

/// Priority class assigned by the priority filters (SPEC §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Priority {
    /// Served first: up to `Weights::high` pops per round.
    High,
    /// The class of unfiltered mail.
    #[default]
    Normal,
    /// Bulk mail: still served at least `Weights::low` times per round.
    Low,
}

impl Priority {
    /// All classes, highest first (the order of rounds and of per-class arrays).
    pub const ALL: [Priority; 3] = [Priority::High, Priority::Normal, Priority::Low];

    /// Position in per-class arrays such as `[high, normal, low]`.
    pub fn index(self) -> usize {
        match self {
            Priority::High => 0,
            Priority::Normal => 1,
            Priority::Low => 2,
        }
    }
}

/// Where an entry currently waits; decides which operations apply to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntryState {
    /// In a ready queue: may be popped now.
    Ready,
    /// In the wheel until its retry time; force send moves it to ready.
    Deferred,
    /// In the wheel until a prohibited-hours window ends; force send leaves it alone, only
    /// [`Scheduler::release`] or the end of the hold makes it ready.
    Held,
}

/// Why a scheduler operation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchedulerError {
    /// Each delivery id may be scheduled once; a second enqueue would deliver twice.
    #[error("delivery id {0} is already scheduled")]
    DuplicateId(u64),
    /// The id is not (or no longer) in the scheduler, e.g. popped for an attempt.
    #[error("delivery id {0} is not scheduled")]
    UnknownId(u64),
    /// Handles are `u32`; a shard never holds this many entries in practice.
    #[error("the scheduler is full ({0} entries)")]
    Full(usize),
    /// Destination ids index a dense table and must come from a [`DestTable`].
    #[error("destination id {0} is out of range")]
    DestOutOfRange(u32),
    /// A configuration value that would break a guarantee (zero tick, zero weight).
    #[error("invalid scheduler configuration: {0}")]
    InvalidConfig(&'static str),
}
