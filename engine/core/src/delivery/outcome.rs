//! Delivery outcomes as data, and the decision each one leads to (SPEC §5, §13.4, §13.5).
//!
//! An attempt ends in one of a few shapes; `decide` turns it into the new delivery status, the
//! error status for failures and the retry time for deferrals. It is a pure function of the
//! attempt, the entry's history and the retry policy, so every rule is unit-tested without
//! sockets or clocks.

use hikyaku_bounce::Classifier;

use crate::storage::DeliveryStatus;

/// How one delivery attempt for one recipient ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Attempt {
    /// 2xx after DATA.
    Delivered {
        /// The server's reply.
        reply: String,
    },
    /// 4xx, connection failure, timeout, TLS required but unavailable.
    TempFail {
        /// The server's reply, when there was one.
        reply: Option<String>,
        /// What went wrong, for the log.
        reason: String,
    },
    /// 5xx.
    PermFail {
        /// Basic reply code.
        code: u16,
        /// Enhanced status code (RFC 3463), e.g. "5.1.1".
        enhanced: Option<String>,
        /// Reply text.
        text: String,
    },
    /// The domain cannot be routed at all: NXDOMAIN, null MX, no MX and no address.
    NoRoute {
        /// Why, for the log.
        reason: String,
    },
    /// Suppressed before any connection: on the block list.
    Blocked,
    /// Suppressed before any connection: on the unsubscribe list.
    Unsubscribed,
}

impl Attempt {
    /// Parses `"550 5.1.1 text"` (the enhanced code is optional) into the matching attempt.
    pub fn from_reply_line(line: &str) -> Option<Attempt> {
        let line = line.trim();
        let code: u16 = line.get(..3)?.parse().ok()?;
        if !(200..600).contains(&code) {
            return None;
        }
        let rest = line.get(3..).unwrap_or("").trim_start_matches([' ', '-']);
        let (enhanced, text) = match rest.split_once(' ') {
            Some((first, tail)) if is_enhanced(first) => {
                (Some(first.to_string()), tail.to_string())
            }
            _ if is_enhanced(rest) => (Some(rest.to_string()), String::new()),
            _ => (None, rest.to_string()),
        };
        Some(match code {
            200..=299 => Attempt::Delivered {
                reply: line.to_string(),
            },
            400..=499 => Attempt::TempFail {
                reply: Some(line.to_string()),
                reason: text,
            },
            500..=599 => Attempt::PermFail {
                code,
                enhanced,
                text,
            },
            _ => return None,
        })
    }

    /// One line for logs and docs.
    pub fn summary(&self) -> String {
        match self {
            Attempt::Delivered { reply } => reply.clone(),
            Attempt::TempFail { reply: Some(r), .. } => r.clone(),
            Attempt::TempFail {
                reply: None,
                reason,
            } => reason.clone(),
            Attempt::PermFail {
                code,
                enhanced,
                text,
            } => match enhanced {
                Some(e) => format!("{code} {e} {text}"),
                None => format!("{code} {text}"),
            },
            Attempt::NoRoute { reason } => reason.clone(),
            Attempt::Blocked => "recipient is on the block list".to_string(),
            Attempt::Unsubscribed => "recipient is on the unsubscribe list".to_string(),
        }
    }
}

fn is_enhanced(s: &str) -> bool {
    let mut parts = s.split('.');
    let ok = |p: Option<&str>, max: usize| {
        p.is_some_and(|p| !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit()))
    };
    matches!(s.as_bytes().first(), Some(b'2' | b'4' | b'5'))
        && ok(parts.next(), 1)
        && ok(parts.next(), 3)
        && ok(parts.next(), 3)
        && parts.next().is_none()
}

/// Retry timing (SPEC §5: 10 minutes, growing to 1 hour; give up after 72 hours).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// First retry delay, ms.
    pub first_ms: u64,
    /// Largest retry delay, ms.
    pub max_ms: u64,
    /// Resend period from first queuing, ms; past it a deferral becomes a failure (status 3).
    pub give_up_after_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            first_ms: 10 * 60_000,
            max_ms: 60 * 60_000,
            give_up_after_ms: 72 * 3_600_000,
        }
    }
}

impl RetryPolicy {
    /// Delay before attempt number `attempts + 1`, doubling from `first_ms` up to `max_ms`.
    pub fn delay_ms(&self, attempts: u32) -> u64 {
        let shift = attempts.saturating_sub(1).min(20);
        self.first_ms.saturating_mul(1u64 << shift).min(self.max_ms)
    }
}

/// What to record and do after an attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// New status.
    pub status: DeliveryStatus,
    /// Error status for failures.
    pub error_status: Option<u8>,
    /// Reply or reason for the log.
    pub smtp_reply: String,
    /// For deferrals, when to try again (ms since epoch).
    pub retry_at_ms: Option<u64>,
}

/// Decides the outcome of attempt number `attempts` (1 = first) of an entry queued at
/// `created_ms`.
pub fn decide(
    attempt: &Attempt,
    attempts: u32,
    created_ms: u64,
    now_ms: u64,
    policy: &RetryPolicy,
    classifier: &Classifier,
) -> Decision {
    let reply = attempt.summary();
    let failed = |status: u8| Decision {
        status: DeliveryStatus::Failed,
        error_status: Some(status),
        smtp_reply: reply.clone(),
        retry_at_ms: None,
    };
    match attempt {
        Attempt::Delivered { .. } => Decision {
            status: DeliveryStatus::Succeeded,
            error_status: None,
            smtp_reply: reply.clone(),
            retry_at_ms: None,
        },
        Attempt::PermFail {
            code,
            enhanced,
            text,
        } => failed(
            classifier
                .classify(Some(*code), enhanced.as_deref(), text)
                .as_u8(),
        ),
        Attempt::NoRoute { .. } => failed(1),
        Attempt::Blocked => failed(10),
        Attempt::Unsubscribed => failed(11),
        Attempt::TempFail { .. } => {
            let retry_at = now_ms.saturating_add(policy.delay_ms(attempts));
            if retry_at > created_ms.saturating_add(policy.give_up_after_ms) {
                failed(3)
            } else {
                Decision {
                    status: DeliveryStatus::Deferred,
                    error_status: None,
                    smtp_reply: reply.clone(),
                    retry_at_ms: Some(retry_at),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &Attempt, attempts: u32, now: u64) -> Decision {
        decide(
            a,
            attempts,
            0,
            now,
            &RetryPolicy::default(),
            Classifier::builtin(),
        )
    }

    #[test]
    fn replies_parse_into_attempts() {
        assert!(matches!(
            Attempt::from_reply_line("250 2.0.0 ok"),
            Some(Attempt::Delivered { .. })
        ));
        match Attempt::from_reply_line("550 5.1.1 no such user").unwrap() {
            Attempt::PermFail {
                code,
                enhanced,
                text,
            } => {
                assert_eq!(
                    (code, enhanced.as_deref(), text.as_str()),
                    (550, Some("5.1.1"), "no such user")
                );
            }
            other => panic!("{other:?}"),
        }
        match Attempt::from_reply_line("554 Transaction failed").unwrap() {
            Attempt::PermFail { enhanced, .. } => assert_eq!(enhanced, None),
            other => panic!("{other:?}"),
        }
        assert!(Attempt::from_reply_line("hello").is_none());
        assert!(Attempt::from_reply_line("199 x").is_none());
    }

    #[test]
    fn permanent_failures_get_classified_statuses() {
        let status = |line: &str| run(&Attempt::from_reply_line(line).unwrap(), 1, 0).error_status;
        assert_eq!(
            status("550 5.1.1 The email account that you tried to reach does not exist"),
            Some(2)
        );
        assert_eq!(status("552 5.2.2 mailbox full"), Some(5));
        assert_eq!(
            status("552 5.3.4 Message size exceeds fixed maximum message size"),
            Some(8)
        );
        assert_eq!(status("550 5.7.1 Message rejected as spam"), Some(4));
        assert_eq!(
            run(
                &Attempt::NoRoute {
                    reason: "nx".into()
                },
                1,
                0
            )
            .error_status,
            Some(1)
        );
        assert_eq!(run(&Attempt::Blocked, 1, 0).error_status, Some(10));
        assert_eq!(run(&Attempt::Unsubscribed, 1, 0).error_status, Some(11));
        assert_eq!(
            run(
                &Attempt::Delivered {
                    reply: "250 ok".into()
                },
                1,
                0
            )
            .status,
            DeliveryStatus::Succeeded
        );
    }

    #[test]
    fn deferrals_back_off_then_expire_with_status_3() {
        let temp = Attempt::TempFail {
            reply: Some("451 4.3.0 later".into()),
            reason: "later".into(),
        };
        let min = 60_000;
        let d = run(&temp, 1, 0);
        assert_eq!(
            (d.status, d.retry_at_ms),
            (DeliveryStatus::Deferred, Some(10 * min))
        );
        assert_eq!(run(&temp, 2, 0).retry_at_ms, Some(20 * min));
        assert_eq!(run(&temp, 3, 0).retry_at_ms, Some(40 * min));
        assert_eq!(run(&temp, 4, 0).retry_at_ms, Some(60 * min));
        assert_eq!(run(&temp, 30, 0).retry_at_ms, Some(60 * min));
        let late = run(&temp, 50, 72 * 60 * min - 30 * min);
        assert_eq!(
            (late.status, late.error_status),
            (DeliveryStatus::Failed, Some(3))
        );
    }
}
