//! `queue.*`: what waits for delivery.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `queue.summary`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    /// Only this domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Most domains listed, largest queue first (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One destination domain's queue.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct DomainQueue {
    /// Destination domain.
    pub domain: String,
    /// Entries waiting in total.
    pub queued: u64,
    /// Of which deferred after at least one failed attempt.
    pub deferred: u64,
    /// When the oldest entry was queued (RFC 3339).
    pub oldest: Option<String>,
}

/// Result of `queue.summary`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct QueueSummary {
    /// Entries in the whole queue.
    pub total: u64,
    /// Of which deferred after at least one failed attempt.
    #[serde(default)]
    pub deferred: u64,
    /// Domains with entries.
    pub domains_total: u64,
    /// Per domain, largest first.
    pub domains: Vec<DomainQueue>,
}

/// `queue.force_send`: retry deferred entries now. Give at most one of `domain` and
/// `delivery_id`; neither means every deferred entry.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ForceSend {
    /// Only this domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Only this delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_id: Option<String>,
}

/// How many entries were made due.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Forced {
    /// Entries moved from waiting to ready.
    pub forced: u64,
}
