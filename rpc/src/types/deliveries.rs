//! `deliveries.*`: the delivery log (SPEC §9).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Delivery status (SPEC §13.4).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Accepted from the application.
    Queued,
    /// Accepted by the destination server.
    Succeeded,
    /// Permanently failed (see `error_status`).
    Failed,
    /// Temporarily failed; will be retried.
    Deferred,
}

impl Status {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Succeeded => "succeeded",
            Status::Failed => "failed",
            Status::Deferred => "deferred",
        }
    }
}

/// Filters of a delivery-log search. Every filter is optional; the time range defaults to the
/// last 24 hours.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    /// Inclusive start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Exclusive end (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Recipient address, compared case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Destination domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// API user (or, for unauthenticated SMTP, the source IP). Forced to the caller for API users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_user: Option<String>,
    /// The engine's message id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// Substring of the subject, case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Continue after this cursor (from the previous page's `next_cursor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One delivery-log record.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DeliveryRecord {
    /// Time of the status change (RFC 3339, UTC).
    pub time: String,
    /// Delivery id.
    pub delivery_id: String,
    /// Message id.
    pub message_id: String,
    /// API user that submitted it, if authenticated.
    pub api_user: Option<String>,
    /// Submitting client's IP address.
    pub source_ip: String,
    /// Envelope sender.
    pub envelope_from: String,
    /// Recipient.
    pub recipient: String,
    /// Destination domain.
    pub domain: String,
    /// New status.
    pub status: Status,
    /// Error status (SPEC §13.5) of a failure.
    pub error_status: Option<u8>,
    /// Last SMTP reply.
    pub smtp_reply: Option<String>,
    /// Message size in bytes.
    pub size: u64,
    /// Subject.
    pub subject: String,
    /// Tags given with `send.*`.
    #[serde(default)]
    pub tags: Vec<String>,
}

/// One page of results.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DeliveryPage {
    /// Records, oldest first.
    pub records: Vec<DeliveryRecord>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// Export formats.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// RFC 4180 CSV with a header line on the first chunk.
    #[default]
    Csv,
    /// One JSON object per line.
    Jsonl,
}

/// `deliveries.export`: the search filters plus a format. The export is streamed in chunks:
/// each call returns the next chunk and a cursor, so neither side holds the whole log.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// Filters; `limit` is the chunk size (default 1000, at most 10 000).
    #[serde(default)]
    pub query: DeliveryQuery,
    /// Output format.
    #[serde(default)]
    pub format: ExportFormat,
}

/// One chunk of an export.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ExportChunk {
    /// Lines of CSV or JSONL, each ending in a newline.
    pub data: String,
    /// Records in this chunk.
    pub records: u32,
    /// Cursor of the next chunk; absent when the export is complete.
    pub next_cursor: Option<String>,
}
