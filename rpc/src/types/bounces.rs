//! `bounces.*` and `stats.errors`: the error log (SPEC §9) and the error graph's data.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::deliveries::ExportFormat;

/// Filters of an error-log search: the delivery-log filters plus the error status. The time
/// range defaults to the last 24 hours.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BounceQuery {
    /// Inclusive start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Exclusive end (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Failed recipient, case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Recipient domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Error status (1–11, 99).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_status: Option<u8>,
    /// API user of the matched delivery (forced to the caller for API users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_user: Option<String>,
    /// Our message id of the matched delivery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Only failures from this source: `smtp` (our delivery attempt was refused, or the
    /// recipient was suppressed) or `bounce` (a bounce received later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Continue after this cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One error-log record: a failure of our own delivery attempt (`source` = `smtp`) or a
/// failed recipient of a received bounce (`bounce`).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct BounceRecord {
    /// When the failure was recorded or the bounce arrived (RFC 3339).
    pub time: String,
    /// The matched delivery; absent for unmatched bounces.
    pub delivery_id: Option<String>,
    /// Our message id of the matched delivery.
    pub message_id: Option<String>,
    /// API user of the matched delivery.
    pub api_user: Option<String>,
    /// Failed recipient.
    pub recipient: String,
    /// Its domain.
    pub domain: String,
    /// Error status (SPEC §13.5).
    pub error_status: u8,
    /// The error status's meaning.
    pub reason: String,
    /// Basic reply code quoted by the bounce.
    pub smtp_status: Option<u16>,
    /// Enhanced status code.
    pub enhanced_status: Option<String>,
    /// Diagnostic text.
    pub diagnostic: String,
    /// Reporting MTA.
    pub reporting_mta: Option<String>,
    /// `verp`, `message_id`, or absent when unmatched (and for `smtp` records, whose delivery
    /// is known).
    pub matched_by: Option<String>,
    /// `smtp` or `bounce`.
    #[serde(default = "bounce_source")]
    pub source: String,
    /// For `smtp` records, the host that refused the delivery (name and address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_host: Option<String>,
}

fn bounce_source() -> String {
    "bounce".into()
}

/// A page of the error log.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct BouncePage {
    /// Records, oldest first.
    pub records: Vec<BounceRecord>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// `bounces.export`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BounceExportQuery {
    /// Filters; `limit` is the chunk size (default 1000, at most 10 000).
    #[serde(default)]
    pub query: BounceQuery,
    /// Output format.
    #[serde(default)]
    pub format: ExportFormat,
}

/// `stats.errors`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ErrorStatsQuery {
    /// Inclusive start (RFC 3339; default 7 days before `until`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Exclusive end (RFC 3339; default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only this destination domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Only this API user (forced to the caller for API users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_user: Option<String>,
}

/// Count of one error status.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct StatusCount {
    /// Error status.
    pub error_status: u8,
    /// Its meaning.
    pub reason: String,
    /// Failures with it.
    pub count: u64,
}

/// One domain's error counts.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct DomainErrors {
    /// Destination domain.
    pub domain: String,
    /// Failures of that domain.
    pub total: u64,
    /// By error status.
    pub by_status: Vec<StatusCount>,
}

/// Result of `stats.errors`: failures per error status, overall and per domain (the error
/// graph of SPEC §9). Counts every `failed` delivery-log record in the range, whether the
/// failure came from an SMTP reply during delivery or from a received bounce.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ErrorStats {
    /// All failures.
    pub total: u64,
    /// Overall, by error status.
    pub by_status: Vec<StatusCount>,
    /// Per domain, most failures first.
    pub by_domain: Vec<DomainErrors>,
}
