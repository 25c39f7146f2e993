//! Settings compiled for use: one immutable snapshot per applied version.
//!
//! Validation says whether settings are acceptable; compiling turns them into what the hot
//! paths use — the relay allow list, the sandbox sink, the error-status classifier, the policy's
//! compiled filters, the retry timing — once, on the control plane, when settings are applied (and at start).
//! Every shard then swaps one `Arc<Snapshot>` between two tasks, so a session or a delivery
//! sees one consistent version of all of them, and nothing is parsed or compiled per message.

use std::sync::Arc;

use super::{Config, ConfigError};
use crate::access::AllowList;
use crate::delivery::{RetryPolicy, SandboxSink};
use crate::policy::Policy;

/// The compiled form of one settings version.
#[derive(Debug)]
pub struct Snapshot {
    /// The settings as written.
    pub config: Arc<Config>,
    /// `relay.allowed_ips`, parsed.
    pub relay_allow: AllowList,
    /// The sandbox sink with `sandbox_replies`.
    pub sandbox: SandboxSink,
    /// The classifier with `bounce.extra_rules`.
    pub classifier: Arc<hikyaku_bounce::Classifier>,
    /// `[policy]`, compiled.
    pub policy: Policy,
    /// The retry timing of `[delivery]`, in milliseconds.
    pub retry: RetryPolicy,
    /// `[shaping]` with the provider file, compiled.
    pub shaping: crate::shaping::Plan,
}

impl Snapshot {
    /// Compiles `config`; every problem is reported, each naming its key.
    pub fn compile(config: Arc<Config>) -> Result<Arc<Snapshot>, ConfigError> {
        let mut problems = Vec::new();
        let relay_allow = AllowList::parse(&config.relay.allowed_ips)
            .map_err(|e| problems.push(format!("relay.allowed_ips: {e}")))
            .unwrap_or_default();
        let sandbox = SandboxSink::with_overrides(&config.sandbox_replies)
            .map_err(|e| problems.push(format!("sandbox_replies: {e}")))
            .ok();
        let classifier = config
            .bounce
            .classifier()
            .map_err(|e| problems.push(format!("bounce.extra_rules: {e}")))
            .ok();
        let policy = Policy::compile(&config.policy)
            .map_err(|p| problems.extend(p))
            .ok();
        let shaping = crate::shaping::compile(&config.shaping)
            .map_err(|p| problems.extend(p))
            .ok();
        match (sandbox, classifier, policy, shaping) {
            (Some(sandbox), Some(classifier), Some(policy), Some(shaping))
                if problems.is_empty() =>
            {
                let d = &config.delivery;
                let retry = RetryPolicy {
                    first_ms: d.retry_first_secs.saturating_mul(1000),
                    max_ms: d.retry_max_secs.saturating_mul(1000),
                    give_up_after_ms: d.give_up_after_secs.saturating_mul(1000),
                };
                Ok(Arc::new(Snapshot {
                    retry,
                    config,
                    relay_allow,
                    sandbox,
                    classifier,
                    policy,
                    shaping,
                }))
            }
            _ => Err(ConfigError::Invalid(problems)),
        }
    }
}
