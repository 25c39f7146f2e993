//! Mail for an inbound domain, made into the JSON an inbound webhook receives (SPEC §7, §10):
//! the envelope, the usual header fields decoded, the text and HTML bodies, every header field
//! as received, the attachments (base64; above a size limit only their name, type and size),
//! and the sender-authentication results (SPF, DKIM, DMARC: [`auth`]).
//!
//! Pure: built from the raw message with mail-parser, no I/O; the receiving listener calls it
//! on the blocking pool and hands the JSON to the webhook outbox in the message's own batch.

pub mod auth;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use mail_parser::{Address, MessageParser, MimeHeaders};
use serde::Serialize;

pub use auth::AuthResults;

/// The SMTP envelope and connection facts of an inbound message.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InboundEnvelope {
    /// MAIL FROM (empty for the null reverse path).
    pub from: String,
    /// The RCPT TO addresses.
    pub to: Vec<String>,
    /// The client's address.
    pub remote_ip: String,
    /// HELO/EHLO argument.
    pub helo: String,
    /// Whether the message came over TLS.
    pub tls: bool,
}

/// A mailbox as the payload shows it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Mailbox {
    /// Display name, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The address.
    pub address: String,
}

/// One header field as received (unfolded value, not decoded).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct HeaderField {
    /// Field name as written.
    pub name: String,
    /// Raw value with the folding removed.
    pub value: String,
}

/// One attachment.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Attachment {
    /// File name (Content-Disposition or Content-Type `name`), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub filename: Option<String>,
    /// MIME type, e.g. `application/pdf`.
    pub content_type: String,
    /// Decoded size in bytes.
    pub size: usize,
    /// Decoded content, base64; absent when the attachment is larger than the limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// True when `content` was left out because of the size limit.
    pub omitted: bool,
}

/// The inbound payload.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct InboundMessage {
    /// The id of the received message (`received.get`).
    pub received_id: String,
    /// The envelope.
    pub envelope: InboundEnvelope,
    /// From.
    pub from: Vec<Mailbox>,
    /// To.
    pub to: Vec<Mailbox>,
    /// Cc.
    pub cc: Vec<Mailbox>,
    /// Reply-To.
    pub reply_to: Vec<Mailbox>,
    /// Subject, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Date, RFC 3339.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Message-ID without angle brackets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
    /// In-Reply-To ids without angle brackets.
    pub in_reply_to: Vec<String>,
    /// The first text/plain body, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The first text/html body, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
    /// Every header field of the message, in order.
    pub headers: Vec<HeaderField>,
    /// Attachments, in order.
    pub attachments: Vec<Attachment>,
    /// SPF, DKIM and DMARC results, when they were evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth: Option<AuthResults>,
}

fn mailboxes(a: Option<&Address<'_>>) -> Vec<Mailbox> {
    a.map(|a| {
        a.iter()
            .filter_map(|m| {
                Some(Mailbox {
                    name: m.name().map(str::to_string),
                    address: m.address()?.to_string(),
                })
            })
            .collect()
    })
    .unwrap_or_default()
}

fn unfold(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for (i, line) in value.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 {
            out.push(' ');
            out.push_str(line.trim_start());
        } else {
            out.push_str(line.trim_start());
        }
    }
    // Trimmed at both ends: a value that starts on the next line (`Subject:\r\n text`) would
    // otherwise keep the space standing for the line break (fuzz/inbound_mime checks it).
    out.trim().to_string()
}

/// Builds the payload of `raw`, received as `received_id` with `envelope`. Attachments larger
/// than `max_attachment_bytes` are listed without their content. A message mail-parser cannot
/// read at all still yields the envelope and an empty rest (the raw stays in `received.get`).
pub fn payload(
    received_id: &str,
    envelope: InboundEnvelope,
    raw: &[u8],
    max_attachment_bytes: usize,
    auth: Option<AuthResults>,
) -> InboundMessage {
    let mut out = InboundMessage {
        received_id: received_id.to_string(),
        envelope,
        from: Vec::new(),
        to: Vec::new(),
        cc: Vec::new(),
        reply_to: Vec::new(),
        subject: None,
        date: None,
        message_id: None,
        in_reply_to: Vec::new(),
        text: None,
        html: None,
        headers: Vec::new(),
        attachments: Vec::new(),
        auth,
    };
    let Some(m) = MessageParser::default().parse(raw) else {
        return out;
    };
    out.from = mailboxes(m.from());
    out.to = mailboxes(m.to());
    out.cc = mailboxes(m.cc());
    out.reply_to = mailboxes(m.reply_to());
    out.subject = m.subject().map(str::to_string);
    out.date = m.date().map(|d| d.to_rfc3339());
    out.message_id = m.message_id().map(str::to_string);
    out.in_reply_to = m
        .in_reply_to()
        .as_text_list()
        .map(|l| l.iter().map(|s| s.to_string()).collect())
        .or_else(|| m.in_reply_to().as_text().map(|s| vec![s.to_string()]))
        .unwrap_or_default();
    out.text = m.body_text(0).map(|t| t.into_owned());
    out.html = m.body_html(0).map(|t| t.into_owned());
    out.headers = m
        .headers_raw()
        .map(|(name, value)| HeaderField {
            name: name.to_string(),
            value: unfold(value),
        })
        .collect();
    out.attachments = m
        .attachments()
        .map(|part| {
            let content_type = part
                .content_type()
                .map(|ct| match ct.subtype() {
                    Some(sub) => format!("{}/{}", ct.ctype(), sub),
                    None => ct.ctype().to_string(),
                })
                .unwrap_or_else(|| "application/octet-stream".to_string())
                .to_ascii_lowercase();
            let bytes = part.contents();
            let omitted = bytes.len() > max_attachment_bytes;
            Attachment {
                filename: part.attachment_name().map(str::to_string),
                content_type,
                size: bytes.len(),
                content: (!omitted).then(|| B64.encode(bytes)),
                omitted,
            }
        })
        .collect();
    out
}

/// The outbox writes that post `raw` (received as `id` from `envelope`) to every inbound
/// webhook whose filter matches, with the sender-authentication results; empty when the
/// message has no recipient on an inbound domain or no webhook wants it (it stays listable in
/// `received.list`). Runs on the blocking pool: the SPF/DKIM/DMARC lookups block (see
/// [`auth`]), and only when a webhook could receive the message.
pub fn webhook_ops(
    store: &crate::storage::Store,
    config: &crate::config::Config,
    hostname: &str,
    id: crate::ids::Id,
    envelope: &crate::receiving::Envelope,
    raw: &[u8],
) -> Vec<crate::storage::Op> {
    use crate::webhooks::event::{rfc3339, Event, EventKind};
    let recipients: Vec<String> = envelope
        .recipients
        .iter()
        .filter(|r| config.receive.is_inbound(r))
        .cloned()
        .collect();
    let hook = store.webhooks();
    if recipients.is_empty() || !hook.is_active() {
        return Vec::new();
    }
    let results = match auth::evaluate(
        config,
        hostname,
        envelope.peer_ip,
        &envelope.helo,
        &envelope.mail_from,
        raw,
    ) {
        Ok(r) => Some(r),
        Err(e) => {
            tracing::info!(id = %id, error = %e, "inbound message posted without auth results");
            None
        }
    };
    let message = payload(
        &id.to_string(),
        InboundEnvelope {
            from: envelope.mail_from.clone(),
            to: recipients.clone(),
            remote_ip: envelope.peer_ip.to_string(),
            helo: envelope.helo.clone(),
            tls: envelope.tls,
        },
        raw,
        config
            .receive
            .inbound_attachment_max_kb
            .saturating_mul(1024),
        results,
    );
    let header = |name: &str| -> Option<String> {
        message
            .headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| h.value.clone())
    };
    let event = Event {
        id: format!("ev_i{id}"),
        kind: EventKind::Inbound,
        time: rfc3339(envelope.time_ms),
        time_ms: envelope.time_ms,
        delivery_id: None,
        message_id: None,
        api_user: None,
        recipient: recipients.first().cloned(),
        domain: recipients
            .first()
            .and_then(|r| r.rsplit_once('@'))
            .map(|(_, d)| d.to_ascii_lowercase()),
        status: None,
        error_status: None,
        reply: None,
        remote_host: None,
        remote_ip: Some(envelope.peer_ip.to_string()),
        tags: Vec::new(),
        subject: message.subject.clone(),
        data: serde_json::to_value(&message).ok(),
    };
    crate::webhooks::inbound_ops(hook, &event, &recipients, &header, envelope.time_ms)
}

#[cfg(test)]
mod tests;
