//! Forwarding a received bounce to the original sender (`bounce.forward_to_sender`): the
//! writes that queue it like any submitted message, built without I/O so the receiving
//! listener only commits them. The forward has the null envelope sender, so it can never
//! bounce back, and carries no policy (it is not application mail).

use hikyaku_smtp::{parse_address, Transaction};

use crate::ids::IdGen;
use crate::intake::{prepare, IntakeContext, QueuedNotice};
use crate::storage::Op;

/// What queuing the forwards writes, and the recipients for the owning shards' queues.
#[derive(Default)]
pub struct Forwards {
    /// Spool writes, for the same batch as the received message.
    pub ops: Vec<Op>,
    /// Queue notices once the batch is durable.
    pub notices: Vec<QueuedNotice>,
}

/// The writes forwarding `received` (as it arrived, from `peer_ip`) to each of `senders`. A
/// sender that is not a valid address, or a forward that cannot be prepared, is skipped with a
/// warning: the bounce itself is still kept.
pub fn forward_ops(
    senders: &[String],
    received: &Transaction,
    hostname: &str,
    peer_ip: std::net::IpAddr,
    ids: &mut IdGen,
    now_ms: u64,
) -> Forwards {
    let mut out = Forwards::default();
    for sender in senders {
        let Ok(to) = parse_address(sender, true) else {
            tracing::warn!(%sender, "bounce forward: not an address");
            continue;
        };
        let forward = Transaction {
            helo: hostname.to_string(),
            mail_from: None,
            recipients: vec![to],
            body: received.body.clone(),
            smtputf8: received.smtputf8,
            eight_bit_mime: received.eight_bit_mime,
            auth_user: None,
            tls: false,
        };
        let intake = IntakeContext {
            hostname,
            peer_ip,
            tls_version: None,
            tags: &[],
            policy: &crate::policy::NO_POLICY,
        };
        match prepare(&forward, &intake, ids, now_ms) {
            Ok(p) => {
                out.ops.extend(p.ops);
                out.notices.extend(p.notices);
            }
            Err(e) => tracing::warn!(error = %e, "bounce forward not prepared"),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received() -> Transaction {
        Transaction {
            helo: "mx.remote.example".into(),
            mail_from: None,
            recipients: Vec::new(),
            body: b"From: MAILER-DAEMON@remote.example\r\nSubject: failure\r\n\r\ngone\r\n"
                .to_vec(),
            smtputf8: false,
            eight_bit_mime: false,
            auth_user: None,
            tls: true,
        }
    }

    #[test]
    fn each_valid_sender_gets_one_queued_forward_with_a_null_sender() {
        let mut ids = IdGen::new(0);
        let senders = vec![
            "app@example.com".to_string(),
            "not an address".to_string(),
            "other@example.org".to_string(),
        ];
        let ip = std::net::IpAddr::from([192, 0, 2, 7]);
        let f = forward_ops(&senders, &received(), "mx.e2e.test", ip, &mut ids, 1_000);
        let mut domains: Vec<&str> = f.notices.iter().map(|n| n.domain.as_str()).collect();
        domains.sort_unstable();
        assert_eq!(domains, ["example.com", "example.org"]);
        assert!(!f.ops.is_empty());
        // Due at once.
        assert!(f.notices.iter().all(|n| n.not_before_ms <= 1_000));
        // Two messages, two deliveries: distinct ids.
        assert_ne!(f.notices[0].delivery_id, f.notices[1].delivery_id);
    }

    #[test]
    fn no_senders_no_writes() {
        let mut ids = IdGen::new(0);
        let ip = std::net::IpAddr::from([192, 0, 2, 7]);
        let f = forward_ops(&[], &received(), "mx.e2e.test", ip, &mut ids, 1_000);
        assert!(f.ops.is_empty() && f.notices.is_empty());
    }
}
