//! `shaping.*`: traffic shaping per site and source IP — the limits in force, the rules that
//! fired and why, the warm-up of new IPs.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `shaping.status` parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ShapingQuery {
    /// Only this site (`gmail`, `mx:mx1.example.net`); default every site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
}

/// Limits as they apply now, per source IP.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct EffectiveLimits {
    /// Simultaneous connections (0 while suspended).
    pub max_connections: u64,
    /// New connections per minute (unset: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connections_per_minute: Option<f64>,
    /// Messages per connection (unset: the domain's `max_messages_per_connection`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_per_connection: Option<u64>,
    /// Messages per hour (unset: no limit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messages_per_hour: Option<u64>,
    /// The factor in force: 1 normal, below 1 reduced or ramping back, 0 suspended.
    pub factor: f64,
}

/// A rule's action in force.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ActionInForce {
    /// `suspend`, `reduce` or `bounce`.
    pub action: String,
    /// The rule (`shaping.rules[0]`, `provider rule 2`).
    pub rule: String,
    /// The reply that made it fire.
    pub reply: String,
    /// The domain that got it.
    pub domain: String,
    /// When it fired (RFC 3339).
    pub since: String,
    /// When the action ends.
    pub until: String,
    /// When limits are back to normal (the ramp's end).
    pub ramp_until: String,
    /// `reduce`'s factor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub factor: Option<f64>,
    /// `bounce`'s reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One source IP of a site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct LaneStatus {
    /// The source IP (unset: the kernel chooses, no `source_ips` configured).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// Connections open now.
    pub open_connections: u64,
    /// Messages sent in the last minute.
    pub sent_last_minute: u64,
    /// Messages sent since the engine started.
    pub sent: u64,
    /// Replies that matched a rule since the engine started.
    pub matched_replies: u64,
    /// What applies now.
    pub effective: EffectiveLimits,
    /// An action on this source IP only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionInForce>,
    /// Warm-up: the schedule's day (1 = first).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_day: Option<u64>,
    /// Warm-up: messages per hour allowed today to this site (unset with a day: the
    /// schedule is over).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warmup_per_hour: Option<u64>,
}

/// One site.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SiteStatus {
    /// Name.
    pub site: String,
    /// `provider` (the shipped file), `settings`, or `mx_set` (an unnamed set of MX hosts).
    pub origin: String,
    /// MX suffixes of a named site.
    pub mx_suffixes: Vec<String>,
    /// The configured limits, per source IP.
    pub limits: EffectiveLimits,
    /// A site-wide action in force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<ActionInForce>,
    /// Per source IP that sent to the site.
    pub source_ips: Vec<LaneStatus>,
}

/// A rule firing.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Firing {
    /// When (RFC 3339).
    pub time: String,
    /// The site.
    pub site: String,
    /// The source IP it applies to (unset: the whole site).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
    /// The rule.
    pub rule: String,
    /// `suspend`, `reduce` or `bounce`.
    pub action: String,
    /// Until when.
    pub until: String,
    /// Matching replies counted.
    pub matches: u32,
    /// The reply that completed the threshold.
    pub reply: String,
    /// The domain it came from.
    pub domain: String,
}

/// `shaping.status` result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ShapingStatus {
    /// `shaping.enabled`.
    pub enabled: bool,
    /// Named sites (provider file, settings) and every unnamed site that has sent.
    pub sites: Vec<SiteStatus>,
    /// The latest firings since the engine started, newest last (all are in the spool and
    /// were posted as `shaping` webhook events).
    pub fired: Vec<Firing>,
}

/// `shaping.clear` parameters: ends the actions in force.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ShapingClear {
    /// The site; default every site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site: Option<String>,
    /// Only the action on this source IP (and the site's own is kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_ip: Option<String>,
}

/// `shaping.clear` result.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ShapingCleared {
    /// Actions ended.
    pub cleared: u64,
}
