//! The decisions an outbound connection's worker takes, as pure functions: what an idle
//! connection does next, whether a failed message on a reused connection says anything about
//! its recipients, the per-recipient verdicts of one transaction, what happens to a connection
//! once its worker is done, what a failed connection set-up leads to, and the message handed
//! to the SMTP client. The runtime (`runtime/delivery.rs`) only does the I/O around them, so
//! every rule here has a table test and no socket.

use std::time::Duration;

use hikyaku_smtp::client::{DeliveryResult, MessageOutcome, OutboundMessage, TlsPolicy};

use super::outcome::Attempt;
use crate::config::TlsMode;

/// The TLS policy a domain's `tls` setting asks of the SMTP client.
pub fn tls_policy(mode: TlsMode) -> TlsPolicy {
    match mode {
        TlsMode::Required => TlsPolicy::Required,
        TlsMode::Opportunistic => TlsPolicy::Opportunistic,
        TlsMode::Disabled => TlsPolicy::Disabled,
    }
}

/// The attempt a client verdict records.
pub fn attempt_of(result: &DeliveryResult) -> Attempt {
    match result {
        DeliveryResult::Delivered { reply } => Attempt::Delivered {
            reply: reply.to_string(),
        },
        DeliveryResult::TempFail { reply, reason } => Attempt::TempFail {
            reply: reply.as_ref().map(ToString::to_string),
            reason: reason.clone(),
        },
        DeliveryResult::PermFail { reply } => Attempt::PermFail {
            code: reply.code,
            enhanced: reply.enhanced.clone(),
            text: reply.text.clone(),
        },
    }
}

/// Why a recipient without a verdict is deferred when the connection gave no reason.
pub const NO_VERDICT: &str = "connection lost";

/// One attempt per recipient of a transaction of `count` recipients, in order: the client's
/// verdicts, and for every recipient it said nothing about (no outcome at all, or fewer
/// verdicts than recipients) a deferral naming why the connection ended (`closed`), so no
/// recipient is ever left without a record.
pub fn verdicts(
    count: usize,
    outcome: Option<MessageOutcome>,
    closed: Option<&str>,
) -> Vec<Attempt> {
    let mut given = outcome
        .map(|o| o.recipients)
        .unwrap_or_default()
        .into_iter();
    (0..count)
        .map(|_| match given.next() {
            Some(r) => attempt_of(&r.result),
            None => Attempt::TempFail {
                reply: None,
                reason: closed.unwrap_or(NO_VERDICT).to_string(),
            },
        })
        .collect()
}

/// Whether a transaction failed only because a *reused* connection was already dead: it is
/// closed, it had carried mail before, and no recipient got a server reply. The server most
/// likely closed it while it sat idle, which says nothing about these recipients; they go
/// back to the ready queue without an attempt recorded (as Postfix does with dead cached
/// connections). A fresh connection failing the same way records a deferral as usual.
pub fn dead_reused(closed: bool, reused: bool, attempts: &[Attempt]) -> bool {
    closed
        && reused
        && attempts
            .iter()
            .all(|a| matches!(a, Attempt::TempFail { reply: None, .. }))
}

/// What a connection with no ready recipient of its domain does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleAction {
    /// Idle for the whole keep time: stop, and close or hand over the connection.
    Expired,
    /// Wanted elsewhere (a waiter of the same host, or the shard drains): stop now.
    Release,
    /// Wait for more mail of the domain for at most this long, then decide again.
    Wait(Duration),
}

/// The idle decision after `idle` without work, keeping the connection at most `keep` and
/// looking again at least every `recheck`. `wanted` is asked only when the keep time is not
/// used up: it may promise the connection to a waiter (`HostLimits::yield_for_waiter`).
pub fn idle_action(
    idle: Duration,
    keep: Duration,
    recheck: Duration,
    wanted: impl FnOnce() -> bool,
) -> IdleAction {
    let Some(left) = keep.checked_sub(idle).filter(|l| !l.is_zero()) else {
        return IdleAction::Expired;
    };
    if wanted() {
        return IdleAction::Release;
    }
    IdleAction::Wait(left.min(recheck))
}

/// What happens to a connection when its worker stops using it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterUse {
    /// Parked for a worker of another domain waiting for the same host.
    Park,
    /// QUIT and close.
    Quit,
    /// Already closed: only its slot of the host's cap is released.
    Drop,
}

/// The fate of a connection that carried `used` of at most `max` messages. Only an open
/// connection with messages left, while the shard runs, is worth handing to a `needed`
/// waiter; a used-up one is closed.
pub fn after_use(closed: bool, used: usize, max: usize, draining: bool, needed: bool) -> AfterUse {
    if closed {
        AfterUse::Drop
    } else if used < max && !draining && needed {
        AfterUse::Park
    } else {
        AfterUse::Quit
    }
}

/// Most connection attempts to one domain's hosts in one round after falling back to plain
/// text (a broken STARTTLS under the opportunistic policy).
pub const MAX_OPEN_TRIES: usize = 8;

/// What a connection that did not get ready (greeting, EHLO, STARTTLS) leads to.
#[derive(Debug, Clone, PartialEq)]
pub enum OpenFailure {
    /// Broken STARTTLS under the opportunistic policy: the hosts again, without TLS.
    RetryPlain,
    /// A permanent refusal (5xx greeting or EHLO): every ready recipient gets it.
    Fail(Attempt),
    /// Try the next host; this is why this one failed.
    Next(String),
}

/// The decision after a failed set-up: `failure` is what the client says every message on it
/// would get, `closed` why the connection ended, `tries` the connections attempted so far.
pub fn open_failure(
    retry_without_tls: bool,
    tries: usize,
    failure: Option<&DeliveryResult>,
    closed: Option<&str>,
) -> OpenFailure {
    if retry_without_tls && tries < MAX_OPEN_TRIES {
        return OpenFailure::RetryPlain;
    }
    match failure.map(attempt_of) {
        Some(attempt @ Attempt::PermFail { .. }) => OpenFailure::Fail(attempt),
        Some(other) => OpenFailure::Next(other.summary()),
        None => OpenFailure::Next(closed.unwrap_or("connection closed").to_string()),
    }
}

/// After going over every host: `true` when the round ends the attempt (something was tried,
/// or nothing was even busy, e.g. no usable address), `false` when every host was at its cap
/// and the worker waits for a slot without recording anything.
pub fn round_failed(tries: usize, busy: usize) -> bool {
    tries > 0 || busy == 0
}

/// The message handed to the SMTP client for one transaction: `head` (per-transaction header
/// fields) before the shared `body`; the size announced is theirs together, and 8BITMIME is
/// asked for when the body has any byte above 127.
pub fn outbound_message(
    mail_from: String,
    recipients: Vec<String>,
    head: Vec<u8>,
    body: std::sync::Arc<[u8]>,
    smtputf8: bool,
) -> OutboundMessage {
    OutboundMessage {
        mail_from,
        recipients,
        size: head.len() + body.len(),
        smtputf8,
        eight_bit: body.iter().any(|b| *b >= 0x80),
        head,
        body,
    }
}

#[cfg(test)]
mod tests {
    use hikyaku_smtp::client::{RecipientOutcome, ServerReply};

    use super::*;

    fn ok() -> DeliveryResult {
        DeliveryResult::Delivered {
            reply: ServerReply::new(250, Some("2.0.0"), "queued"),
        }
    }

    fn outcome(results: &[DeliveryResult]) -> MessageOutcome {
        MessageOutcome {
            recipients: results
                .iter()
                .enumerate()
                .map(|(i, r)| RecipientOutcome {
                    recipient: format!("r{i}@example.com"),
                    result: r.clone(),
                })
                .collect(),
        }
    }

    fn lost(reason: &str) -> Attempt {
        Attempt::TempFail {
            reply: None,
            reason: reason.into(),
        }
    }

    #[test]
    fn verdicts_pad_every_recipient_without_one() {
        let perm = DeliveryResult::PermFail {
            reply: ServerReply::new(550, Some("5.1.1"), "no such user"),
        };
        let delivered = attempt_of(&ok());
        let refused = attempt_of(&perm);
        // (recipients, client outcome, why the connection ended, attempts recorded)
        type Case<'a> = (usize, Option<MessageOutcome>, Option<&'a str>, Vec<Attempt>);
        let cases: Vec<Case> = vec![
            (2, None, None, vec![lost(NO_VERDICT), lost(NO_VERDICT)]),
            (1, None, Some("timeout"), vec![lost("timeout")]),
            (
                2,
                Some(outcome(&[ok(), perm.clone()])),
                None,
                vec![delivered.clone(), refused.clone()],
            ),
            (
                3,
                Some(outcome(&[ok()])),
                Some("connection reset"),
                vec![
                    delivered.clone(),
                    lost("connection reset"),
                    lost("connection reset"),
                ],
            ),
            // More verdicts than recipients: the extra ones are ignored.
            (1, Some(outcome(&[perm, ok()])), None, vec![refused]),
            (0, Some(outcome(&[ok()])), None, vec![]),
        ];
        for (count, given, closed, want) in cases {
            assert_eq!(
                verdicts(count, given.clone(), closed),
                want,
                "{count} {given:?}"
            );
        }
    }

    #[test]
    fn only_a_silent_failure_of_a_reused_connection_is_dead() {
        let temp_with_reply = Attempt::TempFail {
            reply: Some("451 4.3.0 later".into()),
            reason: "later".into(),
        };
        let delivered = attempt_of(&ok());
        let cases = [
            (true, true, vec![lost("x"), lost("y")], true),
            (true, false, vec![lost("x")], false),
            (false, true, vec![lost("x")], false),
            (true, true, vec![lost("x"), temp_with_reply.clone()], false),
            (true, true, vec![temp_with_reply], false),
            (true, true, vec![delivered], false),
        ];
        for (closed, reused, attempts, want) in cases {
            assert_eq!(dead_reused(closed, reused, &attempts), want, "{attempts:?}");
        }
    }

    #[test]
    fn idle_connections_wait_in_slices_until_kept_long_enough_or_wanted() {
        let ms = Duration::from_millis;
        let cases = [
            // (idle, wanted, action)
            (0, false, IdleAction::Wait(ms(100))),
            (950, false, IdleAction::Wait(ms(50))),
            (999, true, IdleAction::Release),
            (1000, false, IdleAction::Expired),
            (1000, true, IdleAction::Expired),
            (5000, false, IdleAction::Expired),
            (0, true, IdleAction::Release),
        ];
        for (idle, wanted, want) in cases {
            assert_eq!(
                idle_action(ms(idle), ms(1000), ms(100), || wanted),
                want,
                "idle {idle} ms"
            );
        }
        // An expired connection is not offered to a waiter: the promise would be broken.
        let mut asked = false;
        idle_action(ms(1000), ms(1000), ms(100), || {
            asked = true;
            true
        });
        assert!(!asked);
    }

    #[test]
    fn connections_are_parked_only_when_open_useful_and_needed() {
        let cases = [
            // (closed, used, max, draining, needed, fate)
            (true, 1, 10, false, true, AfterUse::Drop),
            (false, 1, 10, false, true, AfterUse::Park),
            (false, 1, 10, false, false, AfterUse::Quit),
            (false, 10, 10, false, true, AfterUse::Quit),
            (false, 1, 10, true, true, AfterUse::Quit),
            (true, 10, 10, true, false, AfterUse::Drop),
        ];
        for (closed, used, max, draining, needed, want) in cases {
            assert_eq!(
                after_use(closed, used, max, draining, needed),
                want,
                "closed {closed} used {used}/{max} draining {draining} needed {needed}"
            );
        }
    }

    #[test]
    fn failed_set_ups_retry_plain_fail_permanently_or_move_on() {
        let perm = DeliveryResult::PermFail {
            reply: ServerReply::new(554, Some("5.7.1"), "go away"),
        };
        let temp = DeliveryResult::temp("TLS required but not offered");
        assert_eq!(open_failure(true, 1, None, None), OpenFailure::RetryPlain);
        assert_eq!(
            open_failure(true, MAX_OPEN_TRIES, None, Some("reset")),
            OpenFailure::Next("reset".into())
        );
        assert_eq!(
            open_failure(false, 1, Some(&perm), None),
            OpenFailure::Fail(attempt_of(&perm))
        );
        assert_eq!(
            open_failure(false, 1, Some(&temp), Some("closed")),
            OpenFailure::Next("TLS required but not offered".into())
        );
        assert_eq!(
            open_failure(false, 1, None, None),
            OpenFailure::Next("connection closed".into())
        );
        assert!(round_failed(1, 3));
        assert!(round_failed(0, 0));
        assert!(!round_failed(0, 2));
    }

    #[test]
    fn outbound_messages_announce_their_size_and_8bit_bodies() {
        let body: std::sync::Arc<[u8]> = b"Subject: x\r\n\r\nhello\r\n".to_vec().into();
        let m = outbound_message(
            "a@x".into(),
            vec!["b@y".into()],
            b"DKIM: 1\r\n".to_vec(),
            body.clone(),
            false,
        );
        assert_eq!(m.size, 9 + body.len());
        assert!(!m.eight_bit && !m.smtputf8);
        let utf8: std::sync::Arc<[u8]> = "Subject: é\r\n\r\n".as_bytes().to_vec().into();
        let m = outbound_message(String::new(), vec![], Vec::new(), utf8, true);
        assert!(m.eight_bit && m.smtputf8);
        assert_eq!(m.mail_from, "");
    }

    #[test]
    fn tls_settings_map_to_client_policies() {
        assert_eq!(tls_policy(TlsMode::Required), TlsPolicy::Required);
        assert_eq!(tls_policy(TlsMode::Opportunistic), TlsPolicy::Opportunistic);
        assert_eq!(tls_policy(TlsMode::Disabled), TlsPolicy::Disabled);
    }
}
