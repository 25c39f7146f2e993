//! The shape of the settings document, for the OpenRPC schema of `settings.set` and
//! `settings.get`. The engine validates the document against its own configuration types;
//! these mirror the sections a script most often writes — the message policy and the
//! unsubscribe endpoint — so that they are documented field by field (the other sections are
//! objects with the keys of `engine/core/hikyaku.sample.toml`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A settings document (whole, or a merge patch of it).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct SettingsDocument {
    /// SMTP relay: limits, allowed IPs, reception interval (keys of `[relay]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relay: Option<serde_json::Map<String, serde_json::Value>>,
    /// Receiving listener (keys of `[receive]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receive: Option<serde_json::Map<String, serde_json::Value>>,
    /// Delivery speed, retries, per-domain policies (keys of `[delivery]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<serde_json::Map<String, serde_json::Value>>,
    /// Return path, auto-blocking, classifier rules (keys of `[bounce]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bounce: Option<serde_json::Map<String, serde_json::Value>>,
    /// The message policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<PolicySection>,
    /// The one-click unsubscribe endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsubscribe: Option<UnsubscribeSection>,
    /// DKIM signing choices (keys of `[dkim]`: `sign_with_parent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dkim: Option<serde_json::Map<String, serde_json::Value>>,
    /// What `spf.record` publishes besides the source IPs (keys of `[spf]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spf: Option<serde_json::Map<String, serde_json::Value>>,
    /// DMARC aggregate-report collection (keys of `[dmarc]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dmarc: Option<serde_json::Map<String, serde_json::Value>>,
    /// Event webhooks: batching, timeout, retries, outbox bound, CA file (keys of
    /// `[webhooks]`; endpoints are managed by `webhooks.*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webhooks: Option<serde_json::Map<String, serde_json::Value>>,
    /// Operation-log retention (keys of `[accounts]`: `oplog_retention_days`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounts: Option<serde_json::Map<String, serde_json::Value>>,
    /// `allowed_ips`, `rate_limit_per_sec` and `max_users` of the API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rpc: Option<serde_json::Map<String, serde_json::Value>>,
    /// Extra sandbox-sink rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sandbox_replies: Option<Vec<serde_json::Value>>,
}

/// `policy`: Received stripping and the ordered rules (SPEC §5, §6, §13.3).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct PolicySection {
    /// Strip the Received headers the application or its MTA added.
    #[serde(default)]
    pub strip_received: bool,
    /// Rules in order: for each action the first matching rule decides; forward copies
    /// accumulate.
    #[serde(default)]
    pub rules: Vec<PolicyRule>,
}

/// One rule: a filter and at least one action.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct PolicyRule {
    /// Header name, case-insensitive; `To` is the envelope recipient. Headers that can occur
    /// several times (`Received`, …) are refused.
    pub header: String,
    /// Java `Pattern` regex that must match the whole value (`.+@example\.com`).
    #[serde(rename = "match")]
    pub pattern: String,
    /// `high`, `normal` or `low`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    /// Prohibited hours: `{from: "21:00", to: "08:00", time_zone: "Asia/Tokyo"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<HoldWindow>,
    /// Forwarding: `{to: "archive@example.net", mode: "copy" | "rewrite"}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<Forward>,
    /// Add `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).
    #[serde(default)]
    pub unsubscribe: bool,
}

/// A daily window in an IANA time zone; `from > to` spans midnight.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct HoldWindow {
    /// Start, `HH:MM` (inclusive).
    pub from: String,
    /// End, `HH:MM` (exclusive).
    pub to: String,
    /// IANA zone. Left out, it becomes the zone of the account that writes the draft
    /// (`users.update_me`), else `UTC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// Where matching mail is forwarded.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct Forward {
    /// The forwarding address.
    pub to: String,
    /// `copy` (default: one more delivery) or `rewrite` (the recipient is replaced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
}

/// `unsubscribe`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
pub struct UnsubscribeSection {
    /// HTTPS listener address (restart-only; shown, not editable at run time).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    /// Public base of the unsubscribe URLs (`https://…`); empty = `https://<listen>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
}
