//! `send.*`: the sending API (SPEC §4).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A file attached to a message.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// File name shown to the recipient.
    pub filename: String,
    /// MIME type; `application/octet-stream` when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The file's bytes in standard base64 (RFC 4648 §4, padding optional).
    pub content: String,
}

/// One custom header.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// Field name (printable ASCII, no colon); structural headers such as `From`, `To`,
    /// `Subject`, `Content-Type` and `MIME-Version` are set by their own parameters instead.
    pub name: String,
    /// Field value (UTF-8; encoded per RFC 2047 when needed).
    pub value: String,
}

/// `send.single`: one message to one or more recipients.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SendSingle {
    /// Header From: `addr@example.com` or `Name <addr@example.com>`.
    pub from: String,
    /// Recipients shown in To.
    #[serde(default)]
    pub to: Vec<String>,
    /// Recipients shown in Cc.
    #[serde(default)]
    pub cc: Vec<String>,
    /// Hidden recipients.
    #[serde(default)]
    pub bcc: Vec<String>,
    /// Reply-To address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Subject (UTF-8).
    #[serde(default)]
    pub subject: String,
    /// Plain-text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// HTML body (sent as multipart/alternative with `text` when both are given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Attachments.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Custom headers.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Envelope sender (MAIL FROM); the From address when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_from: Option<String>,
    /// Tags that flow into the delivery log.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Same key within 24 h returns the first call's result and sends nothing new.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
}

/// One queued recipient.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct DeliveryRef {
    /// The recipient address as queued.
    pub recipient: String,
    /// Its delivery id, the key of the delivery log.
    pub delivery_id: String,
}

/// A recipient the API refused for its format (SPEC §6.1: failed with error status 9) while
/// the rest of the call went ahead. It is not queued; the delivery log has one `failed` record
/// for it, with this delivery id and error status 9.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct RejectedRecipient {
    /// The recipient exactly as given.
    pub recipient: String,
    /// The parameter that held it, e.g. `to[1]` or `recipients[17].to`.
    pub field: String,
    /// Delivery id of its `failed` record in the delivery log.
    pub delivery_id: String,
    /// Always 9 (address format error, SPEC §13.5).
    pub error_status: u8,
    /// What is wrong with the address.
    pub reason: String,
}

/// Result of `send.single`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SendResult {
    /// The engine's message id (delivery-log `message_id`).
    pub message_id: String,
    /// The Message-ID header of the built message.
    pub header_message_id: String,
    /// One entry per queued recipient.
    pub deliveries: Vec<DeliveryRef>,
    /// Recipients refused for their format (not queued). A call whose every recipient is
    /// malformed is refused as a whole instead, with a JSON-RPC error naming the field.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedRecipient>,
    /// True when an idempotency key matched an earlier call and nothing new was queued.
    pub duplicate: bool,
}

/// One recipient of a bulk send with its merge values.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BulkRecipient {
    /// Recipient address.
    pub to: String,
    /// Values for the `%%name%%` placeholders of the template.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// `send.bulk`: one template, many recipients, one message each.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SendBulk {
    /// Header From (may contain placeholders).
    pub from: String,
    /// Subject template.
    #[serde(default)]
    pub subject: String,
    /// Plain-text template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// HTML template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Custom headers (values may contain placeholders).
    #[serde(default)]
    pub headers: Vec<Header>,
    /// Reply-To address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// Envelope sender; the From address when omitted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope_from: Option<String>,
    /// Tags for every message of the job.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Up to 100 000 recipients.
    pub recipients: Vec<BulkRecipient>,
}

/// Result of `send.bulk`: the job was validated, stored durably and accepted; queuing runs in
/// the background and resumes after a restart.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct BulkAccepted {
    /// Job id for `send.job`.
    pub job_id: String,
    /// Number of recipients accepted (each gets one message).
    pub total: u64,
    /// Recipients refused for their format, in request order (not counted in `total`). A job
    /// whose every recipient is malformed is refused as a whole instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedRecipient>,
}

/// `send.job`: progress of a bulk job, with one page of its delivery ids.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct JobQuery {
    /// The job id returned by `send.bulk`.
    pub job_id: String,
    /// First delivery to list (0-based, in recipient order).
    #[serde(default)]
    pub offset: u64,
    /// Most deliveries to list (default 0: progress only; at most 10 000).
    #[serde(default)]
    pub limit: u64,
}

/// State of a bulk job.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Messages are being built and queued.
    Running,
    /// Every recipient is queued.
    Done,
    /// Queuing stopped (storage failure or a message that could not be built); `queued`
    /// tells how far it got. A job cut short by a shutdown or crash is not failed: it resumes
    /// when the daemon starts again.
    Failed,
}

/// Progress of a bulk job.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct JobStatus {
    /// Job id.
    pub job_id: String,
    /// Current state.
    pub state: JobState,
    /// Recipients accepted into the job.
    pub total: u64,
    /// Recipients durably queued so far.
    pub queued: u64,
    /// Why the job failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The requested page of deliveries (recipient order).
    pub deliveries: Vec<DeliveryRef>,
    /// How many recipients `send.bulk` refused for their format.
    #[serde(default)]
    pub rejected_total: u64,
    /// The first of them (at most 1 000, request order); `send.bulk`'s answer lists them all,
    /// and each has a `failed` delivery-log record with error status 9.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<RejectedRecipient>,
}
