//! One-click unsubscribe (RFC 8058, SPEC §6.5): the headers added to matching mail, the token
//! they carry, and what honouring it does.
//!
//! **Token.** `<delivery id><MAC>`: 16 hex digits naming the delivery, then 80 bits of
//! HMAC-SHA256 over them with a secret generated at first start and kept in the spool (like the
//! VERP secret, but a separate key). The delivery names the recipient and the sender (API user)
//! through its delivery-log record, so the token stays 36 characters — short enough for the
//! local part of the mailto address (RFC 5321 allows 64) — and nothing about the recipient
//! is readable from it. A token is honoured as long as its delivery's log record is kept
//! (`delivery.log_retention_days`, 40 by default), far beyond the two days within which Gmail
//! and Yahoo require unsubscribes to take effect. Hex keeps it intact through MTAs that change
//! the case of local parts.
//!
//! **Scope.** The unsubscribe list is global (SPEC §5: a recipient on it fails with error
//! status 11 for every sender); the entry records which sender's mail it came from. One list
//! is what an operator of one relay for one company expects; per-sender lists would let a
//! second brand of the same company keep mailing someone who asked to stop.
//!
//! **Honouring** ([`unsubscribe`]) is idempotent: the first request puts the recipient on the
//! list and records an `unsubscribed` event; later ones change nothing and answer the same.

mod token;

pub use token::Signer;

use serde::{Deserialize, Serialize};

use crate::ids::Id;
use crate::storage::{Cf, DeliveryLogRecord, Op, StorageError, Store};
use crate::suppression::{self, List};

/// Why a request was not honoured.
#[derive(Debug, thiserror::Error)]
pub enum UnsubscribeError {
    /// Not a token, or its MAC does not match: forged or altered.
    #[error("invalid unsubscribe token")]
    BadToken,
    /// A valid token whose delivery is no longer in the log (past the retention).
    #[error("the delivery of this token is no longer known")]
    Unknown,
    /// Reading or encoding failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Where a request came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// `POST https://…/u/TOKEN`.
    Https,
    /// Mail to `u-TOKEN@…` on the receiving listener.
    Mailto,
}

/// An `unsubscribed` event, kept for the event webhooks (`event/` keys of the `admin` family,
/// time-ordered).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnsubscribedEvent {
    /// Event type, always `unsubscribed`.
    pub event: String,
    /// When, ms since the epoch.
    pub time_ms: u64,
    /// The recipient now on the unsubscribe list.
    pub recipient: String,
    /// The delivery whose link or address was used.
    pub delivery_id: String,
    /// The sender (API user) of that delivery, if any.
    pub api_user: Option<String>,
    /// `https` or `mailto`.
    pub channel: Channel,
}

/// What a request did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The recipient.
    pub recipient: String,
    /// It was on the list already (nothing written).
    pub already: bool,
}

/// What honouring a request writes, computed from the spool (run on a blocking thread); the
/// caller commits `ops` durably before answering.
pub fn unsubscribe(
    store: &Store,
    signer: &Signer,
    token: &str,
    channel: Channel,
    now_ms: u64,
) -> Result<(Outcome, Vec<Op>), UnsubscribeError> {
    let delivery = signer.verify(token).ok_or(UnsubscribeError::BadToken)?;
    let record =
        crate::bounces::delivery_record(store, delivery)?.ok_or(UnsubscribeError::Unknown)?;
    if suppression::contains(store, List::Unsubscribed, &record.recipient)? {
        return Ok((
            Outcome {
                recipient: record.recipient,
                already: true,
            },
            Vec::new(),
        ));
    }
    let ops = honour_ops(&record, delivery, channel, now_ms)?;
    Ok((
        Outcome {
            recipient: record.recipient,
            already: false,
        },
        ops,
    ))
}

fn honour_ops(
    record: &DeliveryLogRecord,
    delivery: Id,
    channel: Channel,
    now_ms: u64,
) -> Result<Vec<Op>, StorageError> {
    let via = match channel {
        Channel::Https => "https",
        Channel::Mailto => "mailto",
    };
    let reason = format!(
        "one-click unsubscribe ({via}) from mail of {} (delivery {})",
        record.api_user.as_deref().unwrap_or(&record.source_ip),
        record.delivery_id
    );
    let event = UnsubscribedEvent {
        event: "unsubscribed".into(),
        time_ms: now_ms,
        recipient: record.recipient.clone(),
        delivery_id: record.delivery_id.clone(),
        api_user: record.api_user.clone(),
        channel,
    };
    let mut key = b"event/".to_vec();
    key.extend_from_slice(&now_ms.to_be_bytes());
    key.extend_from_slice(&delivery.to_be_bytes());
    Ok(vec![
        suppression::add_op(List::Unsubscribed, &record.recipient, &reason, now_ms)?,
        Op::Put {
            cf: Cf::Admin,
            key,
            value: serde_json::to_vec(&event)?,
        },
    ])
}

/// The `unsubscribed` events recorded since `from_ms`, oldest first.
pub fn events(store: &Store, from_ms: u64) -> Result<Vec<UnsubscribedEvent>, StorageError> {
    let mut from = b"event/".to_vec();
    from.extend_from_slice(&from_ms.to_be_bytes());
    let mut out = Vec::new();
    store.scan(Cf::Admin, &from, Some(b"event0"), |_, v| {
        if let Ok(e) = serde_json::from_slice(v) {
            out.push(e);
        }
        true
    })?;
    Ok(out)
}

/// The RFC 8058 header fields for one delivery: an HTTPS URL under `base_url` and, when the
/// sender has a return-path (bounce) domain that reaches our receiving listener, a mailto.
pub fn header_fields(
    signer: &Signer,
    delivery: Id,
    base_url: &str,
    mail_domain: Option<&str>,
) -> String {
    let token = signer.token(delivery);
    let base = base_url.trim_end_matches('/');
    let mut value = format!("<{base}/u/{token}>");
    if let Some(domain) = mail_domain {
        value.push_str(&format!(",\r\n <mailto:u-{token}@{domain}>"));
    }
    format!("List-Unsubscribe: {value}\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
}

/// The token in a mailto recipient (`u-TOKEN@domain`), if it is one.
pub fn token_of_address(address: &str) -> Option<&str> {
    let (local, _) = address.trim_matches(['<', '>']).rsplit_once('@')?;
    local
        .strip_prefix("u-")
        .or_else(|| local.strip_prefix("U-"))
}

#[cfg(test)]
mod tests;
