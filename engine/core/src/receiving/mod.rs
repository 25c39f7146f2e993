//! What the receiving listener keeps (issue 11, item 6): every message it acknowledges with
//! `250`, whatever it turned out to be — a bounce, a feedback report, an auto-reply, a DMARC
//! report, mail for an inbound domain — with its envelope and its classification.
//!
//! Until inbound processing exists this is the only place such mail goes, so nothing answered
//! `250` is dropped: the record and the raw message are part of the same durable batch as the
//! error-log records (`runtime/receive.rs` appends [`keep_ops`] before the commit, and a failed
//! commit is a `451`). Storage lives in [`store`]; this file turns a reception and the bounce
//! processing's outcome into a record (pure, no I/O).
//!
//! Retention is the error log's: `maintenance::apply_retention` range-deletes both together.

mod store;

pub use store::{
    get, keep_ops, list, retention_ops, ListPage, Lookup, ReceivedKind, ReceivedQuery,
    ReceivedRecord, StoredMessage,
};

use crate::bounces::Processed;
use crate::intake::HeaderFacts;
use crate::storage::{Cf, Op};

/// The SMTP envelope of a received message.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// Reception time, ms since the epoch.
    pub time_ms: u64,
    /// Reverse path; empty for the null path `<>`.
    pub mail_from: String,
    /// Accepted recipients, in RCPT order.
    pub recipients: Vec<String>,
    /// The client's address.
    pub peer_ip: std::net::IpAddr,
    /// HELO/EHLO argument.
    pub helo: String,
    /// Whether the message arrived over TLS.
    pub tls: bool,
}

/// The record of one received message: its envelope, a few header facts (for listing
/// without reading the body), and what bounce processing made of it.
pub fn record_of(envelope: Envelope, raw: &[u8], processed: &Processed) -> ReceivedRecord {
    let facts = HeaderFacts::scan(raw);
    // The error-log records are the `bounces` puts other than the raw copy they all name.
    let raw_keys: Vec<&str> = processed
        .records
        .iter()
        .map(|r| r.raw_key.as_str())
        .collect();
    let error_log_keys = processed
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Put {
                cf: Cf::Bounces,
                key,
                ..
            } => Some(store::hex(key)),
            _ => None,
        })
        .filter(|k| !raw_keys.contains(&k.as_str()))
        .collect();
    let mut api_users: Vec<String> = processed
        .records
        .iter()
        .filter_map(|r| r.api_user.clone())
        .collect();
    api_users.sort();
    api_users.dedup();
    ReceivedRecord {
        time_ms: envelope.time_ms,
        mail_from: envelope.mail_from,
        recipients: envelope.recipients,
        peer_ip: envelope.peer_ip.to_string(),
        helo: envelope.helo,
        tls: envelope.tls,
        size: raw.len() as u64,
        kind: ReceivedKind::of(processed.kind),
        subject: facts.subject,
        header_message_id: facts.message_id,
        error_log_keys,
        api_users,
    }
}

#[cfg(test)]
mod tests;
