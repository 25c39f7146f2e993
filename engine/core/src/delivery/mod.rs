//! Delivery: outcome decisions, retry policy and the sandbox sink. The parts that talk to the
//! network live in the runtime; everything here is pure and unit-tested.

pub mod connection_plan;
pub mod domain_limits;
pub mod forward;
pub mod host_limits;
pub mod outcome;
pub mod plan;
pub mod pool;
pub mod record;
pub mod sandbox;

pub use domain_limits::{DomainLimits, DomainPermit};
pub use host_limits::{HostLimits, HostPermit};
pub use outcome::{decide, Attempt, Decision, RetryPolicy};
pub use record::{damaged_ops, decision_ops, Remote};
pub use sandbox::{SandboxRule, SandboxSink};
