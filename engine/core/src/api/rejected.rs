//! Recipients the sending API refuses for their format (SPEC §6.1: "invalid recipient → via
//! API, failed with status 9"). Each one gets a delivery id and a `failed` delivery-log record
//! with error status 9, written in the same batch as the call's mail, so it shows in
//! `deliveries.search`, `stats.daily` and `stats.errors` like any other failure; nothing is
//! queued for it.

use std::net::IpAddr;

use hikyaku_rpc::types::send::RejectedRecipient;

use super::message::Refused;
use crate::ids::Id;
use crate::storage::{log_index, DeliveryLogRecord, DeliveryStatus, Op, StorageError};

/// Error status of a malformed address (SPEC §13.5).
pub(crate) const ADDRESS_FORMAT: u8 = 9;

/// What the log records of one message's refused recipients share.
pub(crate) struct Facts<'a> {
    /// The message id the records carry (the call's message; for bulk, one of its own).
    pub(crate) message_id: Id,
    /// Submitting API user.
    pub(crate) api_user: Option<&'a str>,
    /// The caller's IP address.
    pub(crate) source_ip: IpAddr,
    /// Envelope sender ("" when unknown).
    pub(crate) envelope_from: &'a str,
    /// Subject as given.
    pub(crate) subject: &'a str,
    /// Size of the message the recipient would have got (0 when none was built).
    pub(crate) size: u64,
    /// Tags of the call.
    pub(crate) tags: &'a [String],
    /// Time of the refusal.
    pub(crate) now_ms: u64,
}

/// The wire entry and the log writes of one refused recipient.
pub(crate) fn record(
    refused: &Refused,
    delivery_id: Id,
    facts: &Facts<'_>,
) -> Result<(RejectedRecipient, Vec<Op>), StorageError> {
    let record = DeliveryLogRecord {
        time_ms: facts.now_ms,
        delivery_id: delivery_id.to_string(),
        message_id: facts.message_id.to_string(),
        api_user: facts.api_user.map(str::to_string),
        source_ip: facts.source_ip.to_string(),
        envelope_from: facts.envelope_from.to_string(),
        recipient: refused.recipient.clone(),
        domain: refused.domain(),
        status: DeliveryStatus::Failed,
        error_status: Some(ADDRESS_FORMAT),
        smtp_reply: Some(format!("refused by the API: {}", refused.reason)),
        size: facts.size,
        subject: facts.subject.to_string(),
        tags: facts.tags.to_vec(),
    };
    let ops = log_index::record_ops(&record, delivery_id)?;
    Ok((
        RejectedRecipient {
            recipient: refused.recipient.clone(),
            field: refused.field.clone(),
            delivery_id: delivery_id.to_string(),
            error_status: ADDRESS_FORMAT,
            reason: refused.reason.clone(),
        },
        ops,
    ))
}
