//! The spool writes that record a delivery decision: a delivery-log record (with its indexes),
//! for failures an error-log record, and the queue entry's removal (final outcomes) or update
//! (deferrals), in one batch.

use super::outcome::{Attempt, Decision};
use crate::bounces::smtp_failure_op;
use crate::ids::Id;
use crate::storage::keys::{domain_hash, queue_key};
use crate::storage::spool::{damaged_op, remove_entry_op, Damage};
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

/// Builds the batch for `decision` about `entry` after `attempt`. Returns the ops and, for
/// deferrals, the updated entry (whose `not_before_ms` is the retry time). An entry whose
/// delivery id does not parse is an error: its records could not be keyed (they used to go
/// under delivery 0, mixing unrelated deliveries).
pub fn decision_ops(
    entry: &QueueEntry,
    meta: Option<&MessageMeta>,
    attempt: &Attempt,
    decision: &Decision,
    remote: &Remote,
    now_ms: u64,
) -> Result<(Vec<Op>, Option<QueueEntry>), StorageError> {
    let delivery = Id::parse(&entry.delivery_id).ok_or_else(|| {
        StorageError::Other(format!(
            "queue entry has an invalid delivery id {:?}",
            entry.delivery_id
        ))
    })?;
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
    if decision.status == DeliveryStatus::Failed {
        ops.push(smtp_failure_op(&record, delivery, attempt, remote)?);
    }
    match (decision.status, decision.retry_at_ms) {
        (DeliveryStatus::Deferred, Some(retry_at)) => {
            let mut next = entry.clone();
            next.attempts = next.attempts.saturating_add(1);
            // A retry due inside the delivery's prohibited hours waits for the window's end.
            next.not_before_ms = entry
                .hold
                .as_ref()
                .and_then(|h| crate::policy::HoldWindow::from_config(h).ok())
                .map_or(retry_at, |w| w.next_allowed(retry_at));
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

/// What a damaged delivery says in the delivery log (error status 99, "other").
pub const DAMAGED_ERROR_STATUS: u8 = 99;

/// The batch for a delivery whose spool records are damaged (`storage::spool`): it is never
/// sent; it is recorded `failed` with a reply naming the damage (delivery log and error log),
/// its queue entry is removed and the raw entry kept under `damaged/` for inspection.
pub fn damaged_ops(damage: &Damage, now_ms: u64) -> Result<Vec<Op>, StorageError> {
    let entry = damage.entry.as_ref();
    let meta = damage.meta.as_deref();
    let reason = format!("not sent: spool damage: {}", damage.reason);
    let record = DeliveryLogRecord {
        time_ms: now_ms,
        delivery_id: damage.delivery.to_string(),
        message_id: entry.map(|e| e.message_id.clone()).unwrap_or_default(),
        api_user: meta.and_then(|m| m.submitter.api_user.clone()),
        source_ip: meta
            .map(|m| m.submitter.source_ip.clone())
            .unwrap_or_default(),
        envelope_from: meta.map(|m| m.envelope_from.clone()).unwrap_or_default(),
        recipient: entry.map(|e| e.recipient.clone()).unwrap_or_default(),
        domain: damage.domain.clone(),
        status: DeliveryStatus::Failed,
        error_status: Some(DAMAGED_ERROR_STATUS),
        smtp_reply: Some(reason.clone()),
        size: meta.map_or(0, |m| m.size),
        subject: meta.map(|m| m.subject.clone()).unwrap_or_default(),
        tags: meta.map(|m| m.tags.clone()).unwrap_or_default(),
    };
    let mut ops = log_index::record_ops(&record, damage.delivery)?;
    let attempt = Attempt::NoRoute { reason };
    ops.push(smtp_failure_op(
        &record,
        damage.delivery,
        &attempt,
        &Remote::default(),
    )?);
    ops.push(damaged_op(damage, now_ms)?);
    ops.push(remove_entry_op(damage));
    Ok(ops)
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
            hold: None,
            unsubscribe: false,
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
        let attempt = Attempt::Delivered {
            reply: "250 ok".into(),
        };
        let (ops, next) = decision_ops(&entry(), None, &attempt, &d, &remote, 5).unwrap();
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
        let attempt = Attempt::TempFail {
            reply: Some("451 later".into()),
            reason: "later".into(),
        };
        let (ops, next) =
            decision_ops(&entry(), None, &attempt, &d, &Remote::default(), 5).unwrap();
        let next = next.unwrap();
        assert_eq!((next.attempts, next.not_before_ms), (1, 600_000));
        assert!(ops
            .iter()
            .any(|o| matches!(o, Op::Put { cf: Cf::Queue, .. })));
    }

    #[test]
    fn a_failure_writes_an_error_log_record_with_reply_and_host() {
        let attempt = Attempt::PermFail {
            code: 550,
            enhanced: Some("5.1.1".into()),
            text: "no such user".into(),
        };
        let d = Decision {
            status: DeliveryStatus::Failed,
            error_status: Some(2),
            smtp_reply: attempt.summary(),
            retry_at_ms: None,
        };
        let remote = Remote {
            host: Some("mx.example.com".into()),
            ip: Some("192.0.2.1".into()),
            tls: None,
        };
        let (ops, _) = decision_ops(&entry(), None, &attempt, &d, &remote, 5).unwrap();
        let errors: Vec<crate::bounces::BounceRecord> = ops
            .iter()
            .filter_map(|o| match o {
                Op::Put {
                    cf: Cf::Bounces,
                    value,
                    ..
                } => Some(serde_json::from_slice(value).unwrap()),
                _ => None,
            })
            .collect();
        assert_eq!(errors.len(), 1);
        let e = &errors[0];
        assert_eq!(e.source, crate::bounces::ErrorSource::Smtp);
        assert_eq!(
            (e.error_status, e.smtp_status, e.enhanced_status.as_deref()),
            (2, Some(550), Some("5.1.1"))
        );
        assert_eq!(e.diagnostic, "no such user");
        assert_eq!(e.reason, "unknown user");
        assert_eq!(e.remote_host.as_deref(), Some("mx.example.com [192.0.2.1]"));
        assert_eq!(e.delivery_id.as_deref(), Some(entry().delivery_id.as_str()));
    }

    #[test]
    fn a_resend_timeout_quotes_the_last_temporary_reply() {
        let attempt = Attempt::TempFail {
            reply: Some("451 4.7.1 try later".into()),
            reason: "try later".into(),
        };
        let d = Decision {
            status: DeliveryStatus::Failed,
            error_status: Some(3),
            smtp_reply: attempt.summary(),
            retry_at_ms: None,
        };
        let (ops, _) = decision_ops(&entry(), None, &attempt, &d, &Remote::default(), 5).unwrap();
        let e: crate::bounces::BounceRecord = ops
            .iter()
            .find_map(|o| match o {
                Op::Put {
                    cf: Cf::Bounces,
                    value,
                    ..
                } => Some(serde_json::from_slice(value).unwrap()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            (e.error_status, e.smtp_status, e.enhanced_status.as_deref()),
            (3, Some(451), Some("4.7.1"))
        );
        assert_eq!(e.reason, "resend timeout");
    }

    #[test]
    fn an_invalid_delivery_id_is_an_error_not_delivery_zero() {
        let mut bad = entry();
        bad.delivery_id = "not-hex".into();
        let d = Decision {
            status: DeliveryStatus::Succeeded,
            error_status: None,
            smtp_reply: "250 ok".into(),
            retry_at_ms: None,
        };
        let attempt = Attempt::Delivered {
            reply: "250 ok".into(),
        };
        assert!(decision_ops(&bad, None, &attempt, &d, &Remote::default(), 5).is_err());
    }
}
