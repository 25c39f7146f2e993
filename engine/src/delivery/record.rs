//! The spool writes that record a delivery decision: a delivery-log record (with its indexes)
//! and the queue entry's removal (final outcomes) or update (deferrals), in one batch.

use super::outcome::Decision;
use crate::ids::Id;
use crate::storage::keys::{domain_hash, queue_key};
use crate::storage::{
    log_index, Cf, DeliveryLogRecord, DeliveryStatus, MessageMeta, Op, QueueEntry, StorageError,
};

/// Where an attempt went (for the log).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remote {
    /// Host name tried last (MX name, transport or smart host), if any.
    pub host: Option<String>,
    /// Its address.
    pub ip: Option<String>,
    /// TLS version used, if any.
    pub tls: Option<String>,
}

/// Builds the batch for `decision` about `entry`. Returns the ops and, for deferrals, the
/// updated entry (whose `not_before_ms` is the retry time).
pub fn decision_ops(
    entry: &QueueEntry,
    meta: Option<&MessageMeta>,
    decision: &Decision,
    remote: &Remote,
    now_ms: u64,
) -> Result<(Vec<Op>, Option<QueueEntry>), StorageError> {
    let delivery = Id::parse(&entry.delivery_id).unwrap_or(Id(0));
    let key = queue_key(domain_hash(&entry.domain), delivery).to_vec();
    let mut smtp_reply = decision.smtp_reply.clone();
    if let Some(host) = &remote.host {
        let ip = remote
            .ip
            .as_deref()
            .map(|ip| format!(" [{ip}]"))
            .unwrap_or_default();
        let tls = remote
            .tls
            .as_deref()
            .map(|t| format!(" {t}"))
            .unwrap_or_default();
        smtp_reply = format!("{smtp_reply} (host {host}{ip}{tls})");
    }
    let record = DeliveryLogRecord {
        time_ms: now_ms,
        delivery_id: entry.delivery_id.clone(),
        message_id: entry.message_id.clone(),
        api_user: meta.and_then(|m| m.submitter.api_user.clone()),
        source_ip: meta
            .map(|m| m.submitter.source_ip.clone())
            .unwrap_or_default(),
        envelope_from: meta.map(|m| m.envelope_from.clone()).unwrap_or_default(),
        recipient: entry.recipient.clone(),
        domain: entry.domain.clone(),
        status: decision.status,
        error_status: decision.error_status,
        smtp_reply: Some(smtp_reply),
        size: meta.map_or(0, |m| m.size),
        subject: meta.map(|m| m.subject.clone()).unwrap_or_default(),
        tags: meta.map(|m| m.tags.clone()).unwrap_or_default(),
    };
    let mut ops = log_index::record_ops(&record, delivery)?;
    match (decision.status, decision.retry_at_ms) {
        (DeliveryStatus::Deferred, Some(retry_at)) => {
            let mut next = entry.clone();
            next.attempts = next.attempts.saturating_add(1);
            next.not_before_ms = retry_at;
            ops.push(Op::Put {
                cf: Cf::Queue,
                key,
                value: serde_json::to_vec(&next)?,
            });
            Ok((ops, Some(next)))
        }
        _ => {
            ops.push(Op::Delete { cf: Cf::Queue, key });
            Ok((ops, None))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> QueueEntry {
        QueueEntry {
            delivery_id: Id(77).to_string(),
            message_id: Id(70).to_string(),
            recipient: "u@example.com".into(),
            domain: "example.com".into(),
            attempts: 0,
            not_before_ms: 0,
            created_ms: 0,
            priority: 1,
        }
    }

    #[test]
    fn final_outcome_deletes_the_entry_and_logs() {
        let d = Decision {
            status: DeliveryStatus::Succeeded,
            error_status: None,
            smtp_reply: "250 ok".into(),
            retry_at_ms: None,
        };
        let remote = Remote {
            host: Some("mx.example.com".into()),
            ip: Some("192.0.2.1".into()),
            tls: Some("TLSv1.3".into()),
        };
        let (ops, next) = decision_ops(&entry(), None, &d, &remote, 5).unwrap();
        assert!(next.is_none());
        assert!(ops
            .iter()
            .any(|o| matches!(o, Op::Delete { cf: Cf::Queue, .. })));
        let log = ops
            .iter()
            .find_map(|o| match o {
                Op::Put {
                    cf: Cf::DeliveryLog,
                    value,
                    ..
                } => Some(serde_json::from_slice::<DeliveryLogRecord>(value).unwrap()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            log.smtp_reply.as_deref(),
            Some("250 ok (host mx.example.com [192.0.2.1] TLSv1.3)")
        );
    }

    #[test]
    fn deferral_updates_attempts_and_retry_time() {
        let d = Decision {
            status: DeliveryStatus::Deferred,
            error_status: None,
            smtp_reply: "451 later".into(),
            retry_at_ms: Some(600_000),
        };
        let (ops, next) = decision_ops(&entry(), None, &d, &Remote::default(), 5).unwrap();
        let next = next.unwrap();
        assert_eq!((next.attempts, next.not_before_ms), (1, 600_000));
        assert!(ops
            .iter()
            .any(|o| matches!(o, Op::Put { cf: Cf::Queue, .. })));
    }
}
