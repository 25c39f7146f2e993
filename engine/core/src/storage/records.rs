//! Records persisted in the spool. JSON keeps them readable with `ldb` and tolerant of added
//! fields (`#[serde(default)]`), which matters more for an operator's spool than a few bytes.

use serde::{Deserialize, Serialize};

/// Status of a delivery (SPEC §13.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    /// Accepted from the application.
    Queued,
    /// The destination accepted it.
    Succeeded,
    /// Permanently failed (with an error status).
    Failed,
    /// Temporarily failed; will be retried.
    Deferred,
}

impl DeliveryStatus {
    /// One byte for keys, stable on disk.
    pub fn code(self) -> u8 {
        match self {
            Self::Queued => 0,
            Self::Succeeded => 1,
            Self::Failed => 2,
            Self::Deferred => 3,
        }
    }
}

/// Who handed the message to us: an authenticated API user, or else the source address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitter {
    /// API user name when the client authenticated.
    pub api_user: Option<String>,
    /// Source IP of the submitting connection.
    pub source_ip: String,
}

/// Per-message facts shared by all its deliveries (stored once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MessageMeta {
    /// Our message id (hex).
    pub message_id: String,
    /// `Message-ID` header value (ours if the application sent none).
    pub header_message_id: String,
    /// Envelope sender; empty for the null reverse-path.
    pub envelope_from: String,
    /// Submitter.
    pub submitter: Submitter,
    /// Stored size in bytes.
    pub size: u64,
    /// Decoded `Subject`.
    pub subject: String,
    /// Reception time, ms since the epoch.
    pub received_ms: u64,
    /// Number of recipients (queue entries) created for it.
    pub recipients: u32,
    /// The client used SMTPUTF8.
    pub smtputf8: bool,
    /// Tags from the sending API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Domain of the header `From` address, lower case; empty when there is none (or the
    /// record predates it). Chooses the DKIM key at delivery.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from_domain: String,
}

/// One recipient waiting in its destination domain's queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueEntry {
    /// Delivery id (hex).
    pub delivery_id: String,
    /// Message id (hex) of the body.
    pub message_id: String,
    /// Recipient in wire form.
    pub recipient: String,
    /// Lower-cased destination domain.
    pub domain: String,
    /// Delivery attempts made so far.
    #[serde(default)]
    pub attempts: u32,
    /// Not before this time (ms since the epoch): retry time or a hold.
    #[serde(default)]
    pub not_before_ms: u64,
    /// When the entry was created (start of the resend period).
    pub created_ms: u64,
    /// 0 = high, 1 = normal, 2 = low.
    #[serde(default = "normal_priority")]
    pub priority: u8,
    /// Prohibited hours that apply to this delivery (a policy rule matched at intake): retries
    /// that would fall inside the window wait for its end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<crate::config::policy::HoldConfig>,
    /// Add the one-click unsubscribe headers (a policy rule matched at intake); they carry a
    /// token of this delivery, so it goes out in a transaction of its own.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsubscribe: bool,
}

fn normal_priority() -> u8 {
    1
}

/// One delivery status change (SPEC §9).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeliveryLogRecord {
    /// Time of the change, ms since the epoch.
    pub time_ms: u64,
    /// Delivery id (hex).
    pub delivery_id: String,
    /// Message id (hex).
    pub message_id: String,
    /// API user, when authenticated.
    pub api_user: Option<String>,
    /// Source IP of the submitting client.
    pub source_ip: String,
    /// Envelope sender.
    pub envelope_from: String,
    /// Recipient in wire form.
    pub recipient: String,
    /// Lower-cased destination domain.
    pub domain: String,
    /// New status.
    pub status: DeliveryStatus,
    /// Error status (SPEC §13.5) for failures.
    #[serde(default)]
    pub error_status: Option<u8>,
    /// Last SMTP reply, when there was one.
    #[serde(default)]
    pub smtp_reply: Option<String>,
    /// Message size in bytes.
    pub size: u64,
    /// Decoded subject.
    pub subject: String,
    /// Tags from the sending API.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// An API user: SMTP AUTH password and/or JSON-RPC API key, with its rights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    /// Name as created (lookups are case-insensitive).
    pub name: String,
    /// Argon2id PHC string; empty when the user has no SMTP AUTH password.
    pub password_hash: String,
    /// Creation time, ms since the epoch.
    pub created_ms: u64,
    /// Hex SHA-256 of the API key, when one was issued (the key itself is never stored).
    #[serde(default)]
    pub api_key_sha256: Option<String>,
    /// Sending right (SMTP and `send.*`).
    #[serde(default = "yes")]
    pub send: bool,
    /// Transactional-API right (own deliveries, blocks, statistics).
    #[serde(default = "yes")]
    pub transactional: bool,
}

fn yes() -> bool {
    true
}
