//! `received.*`: every message accepted on the receiving listener (bounces, feedback reports,
//! auto-replies, DMARC reports, mail for inbound domains), kept with its envelope for the
//! error-log retention.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What a received message was, as bounce parsing classified it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ReceivedKind {
    /// A delivery status notification or a non-standard bounce (its failures are in the
    /// error log).
    Bounce,
    /// An abuse/feedback report (RFC 5965).
    Feedback,
    /// An auto-reply (vacation, out of office).
    AutoReply,
    /// Anything else: mail for an inbound domain, DMARC reports, ...
    Other,
}

/// Filters of `received.list`. The time range defaults to the last 24 hours.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReceivedQuery {
    /// Inclusive start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    /// Exclusive end (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Only this kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ReceivedKind>,
    /// Only messages with this envelope recipient, case-insensitive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient: Option<String>,
    /// Only messages with an envelope recipient in this domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Continue after this cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One received message, without its body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ReceivedRecord {
    /// Its id: the one in the `250 ... queued as <id>` reply (16 hex digits).
    pub id: String,
    /// When it was received (RFC 3339).
    pub time: String,
    /// Envelope sender (MAIL FROM); empty for the null reverse path `<>`.
    pub mail_from: String,
    /// Envelope recipients (RCPT TO).
    pub recipients: Vec<String>,
    /// IP address of the sending client.
    pub peer_ip: String,
    /// Its HELO/EHLO name.
    pub helo: String,
    /// Received over TLS.
    pub tls: bool,
    /// Size of the raw message in bytes.
    pub size: u64,
    /// Classification.
    pub kind: ReceivedKind,
    /// Decoded `Subject` header.
    pub subject: Option<String>,
    /// `Message-ID` header, without angle brackets.
    pub header_message_id: Option<String>,
    /// Number of error-log records (failed recipients) the message produced.
    pub error_log_records: u32,
    /// API users of the deliveries a bounce was matched to.
    pub api_users: Vec<String>,
}

/// A page of `received.list`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ReceivedPage {
    /// Records, oldest first.
    pub records: Vec<ReceivedRecord>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// How `received.get` returns the raw message.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RawEncoding {
    /// As text: bytes that are not UTF-8 become U+FFFD (see `lossy`).
    #[default]
    Text,
    /// Base64 (standard alphabet, padded): the exact bytes.
    Base64,
}

/// `received.get`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReceivedGet {
    /// The message id (from `received.list` or the `250` reply).
    pub id: String,
    /// Encoding of `raw` in the result (default `text`).
    #[serde(default)]
    pub encoding: RawEncoding,
}

/// Result of `received.get`: the record and the message as received.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ReceivedMessage {
    /// The record.
    pub record: ReceivedRecord,
    /// Keys of the error-log records it produced (hex).
    pub error_log_keys: Vec<String>,
    /// Encoding of `raw`.
    pub encoding: RawEncoding,
    /// True when `raw` is text and bytes that are not UTF-8 were replaced.
    pub lossy: bool,
    /// The message exactly as received (CRLF line ends, dot-unstuffed; without the
    /// engine's own `Received:` header).
    pub raw: String,
}
