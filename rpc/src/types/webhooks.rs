//! `webhooks.*`: event webhooks (SPEC §10). An endpoint receives the events it subscribed to,
//! batched as a JSON array and signed the Standard Webhooks way with its secret (shown once,
//! by `webhooks.create`). Failed POSTs are retried with backoff for 24 h, then dead-lettered
//! (kept; `webhooks.dead_letters` lists them, `webhooks.replay` queues them again).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A filter (SPEC §13.3): a header name and a Java-style regex the whole value must match.
/// `To` is the envelope recipient; for delivery events `Subject` is the message's subject.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebhookFilter {
    /// Header name, e.g. `To`.
    pub header: String,
    /// Regex, e.g. `info@mailform\.example\.com`.
    #[serde(rename = "match")]
    pub pattern: String,
}

/// Parameters of `webhooks.create`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebhookCreate {
    /// `http://` or `https://` URL the events are POSTed to.
    pub url: String,
    /// Event types: `queued`, `succeeded`, `deferred`, `failed`, `bounced`, `blocked`,
    /// `unsubscribed`, `complained`, `inbound`.
    pub events: Vec<String>,
    /// Only events whose header value matches.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<WebhookFilter>,
}

/// Result of `webhooks.create`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct WebhookCreated {
    /// Endpoint id (`wh_…`).
    pub id: String,
    /// Signing secret (`whsec_…`), shown only now.
    pub secret: String,
}

/// An endpoint (without its secret).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct WebhookInfo {
    /// Endpoint id.
    pub id: String,
    /// URL.
    pub url: String,
    /// Subscribed event types.
    pub events: Vec<String>,
    /// Filter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<WebhookFilter>,
    /// Creation time (RFC 3339).
    pub created: String,
}

/// Result of `webhooks.list`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct WebhookList {
    /// Endpoints, oldest first.
    pub webhooks: Vec<WebhookInfo>,
}

/// Parameters naming one endpoint.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebhookId {
    /// Endpoint id (`wh_…`).
    pub id: String,
}

/// Result of `webhooks.status`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct WebhookStatus {
    /// Endpoint id.
    pub id: String,
    /// Events waiting to be posted.
    pub pending: u64,
    /// Age of the oldest pending event in seconds (0 when none).
    pub oldest_pending_secs: f64,
    /// The last delivery error with its time, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
    /// Dead letters kept (replayable).
    pub dead_letters: u64,
}

/// Result of `webhooks.replay`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct WebhookReplayed {
    /// Dead letters queued again.
    pub replayed: u64,
}

/// Parameters of `webhooks.dead_letters`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct WebhookDeadLettersQuery {
    /// Endpoint id (`wh_…`).
    pub id: String,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Continue after this cursor (`next_cursor` of the previous page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

/// One dead-lettered event.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct WebhookDeadLetter {
    /// The event, exactly as it will be posted again by `webhooks.replay`.
    pub event: serde_json::Value,
    /// When it was dead-lettered (RFC 3339), if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dead_lettered: Option<String>,
    /// Why: the last error of its batch, or `outbox full (max_pending N)` for an event that
    /// never was pending; if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A page of `webhooks.dead_letters`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct WebhookDeadLetters {
    /// Dead letters, oldest first (the order `webhooks.replay` queues them in).
    pub dead_letters: Vec<WebhookDeadLetter>,
    /// Cursor of the next page (absent on the last page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
