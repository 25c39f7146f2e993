//! Traffic shaping (issue 19): sites, provider limits, reactive rules and IP warm-up.
//!
//! * [`config`]: the `[shaping]` settings and the shipped provider file (`data/providers.toml`);
//! * [`plan`]: both compiled — sites with effective limits, rules, warm-up schedules — and
//!   which site a domain belongs to (a named provider by MX suffix or domain, else the set of
//!   its MX hosts);
//! * [`shaper`]: the process-wide state every shard consults (connections and rates per site
//!   and source IP, actions in force, rule windows), sans-I/O;
//! * [`status`]: what `shaping.status` reports.
//!
//! Shard ownership stays by domain; the site-level limits are counted here, in one place,
//! because a site spans the domains of every shard (see docs/architecture.md).

pub mod bucket;
pub mod config;
pub mod lane;
pub mod plan;
pub mod shaper;
pub mod spec;
pub mod status;
#[cfg(test)]
mod tests;

pub use config::{Action, Scope, ShapingConfig, SiteConfig};
pub use plan::{compile, Plan, SiteRef};
pub use shaper::{site_key, Fired, Gate, Shaper, SiteKey, SitePermit, WaitReason};

/// Problems with shaping values, each naming its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShapingError {
    /// A rate that is not `N/s`, `N/min` or `N/h`.
    #[error("{key}: expected a rate such as 100/s, 3000/min or 10000/h, got {value:?}")]
    Rate {
        /// The settings key.
        key: String,
        /// What was written.
        value: String,
    },
    /// A threshold that is not `N/DURATION`.
    #[error("{key}: expected a threshold such as 3/1min, got {value:?}")]
    Threshold {
        /// The settings key.
        key: String,
        /// What was written.
        value: String,
    },
    /// A duration that is not a number and a unit.
    #[error("{key}: expected a duration such as 30s, 5min or 2h, got {value:?}")]
    Duration {
        /// The settings key.
        key: String,
        /// What was written.
        value: String,
    },
    /// The shipped provider file does not parse (a build defect, caught by its test).
    #[error("the shipped provider file: {0}")]
    ProviderFile(String),
}
