//! The result of parsing one message, and its CLI renderings.

use serde::Serialize;
use serde_json::{json, Value};

use crate::status::ErrorStatus;

/// What kind of message was analysed; decides whether failures are recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// RFC 3464 delivery status notification.
    Dsn,
    /// A bounce in one of the non-standard, human-readable formats.
    NonStandard,
    /// An RFC 5965 abuse/feedback report: a complaint, never a failure.
    Feedback,
    /// An RFC 3834 auto-reply (vacation, out of office): never a failure.
    AutoReply,
    /// A challenge-response request ("please verify you are human", "your
    /// message is held until you confirm"): the mail is waiting, not refused.
    ChallengeResponse,
    /// An anti-virus or content-filter notice (quarantine, banned attachment)
    /// that reports no refused recipient.
    ContentFilter,
    /// A delivery delay warning (`Action: delayed`, 4.x.x, "will keep
    /// trying"): the delivery may still succeed.
    Delayed,
    /// A mailing-list manager's notice to the poster or owner (held for
    /// moderation, awaiting approval).
    ListOwner,
    /// A DMARC aggregate or SMTP TLS (RFC 8460) report.
    Report,
    /// Anything else.
    NotBounce,
}

impl Kind {
    /// Every kind, for tables that list them all.
    pub const ALL: [Kind; 10] = [
        Kind::Dsn,
        Kind::NonStandard,
        Kind::Feedback,
        Kind::AutoReply,
        Kind::ChallengeResponse,
        Kind::ContentFilter,
        Kind::Delayed,
        Kind::ListOwner,
        Kind::Report,
        Kind::NotBounce,
    ];

    /// Whether messages of this kind report failed deliveries. Only these
    /// may fail a delivery or count towards blocking an address.
    pub fn is_failure(self) -> bool {
        matches!(self, Kind::Dsn | Kind::NonStandard)
    }

    /// The stable name used in logs, JSON and the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dsn => "dsn",
            Kind::NonStandard => "non_standard",
            Kind::Feedback => "feedback",
            Kind::AutoReply => "auto_reply",
            Kind::ChallengeResponse => "challenge_response",
            Kind::ContentFilter => "content_filter",
            Kind::Delayed => "delayed",
            Kind::ListOwner => "list_owner",
            Kind::Report => "report",
            Kind::NotBounce => "not_bounce",
        }
    }
}

/// One recipient whose delivery failed, as reported by the bounce.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedRecipient {
    /// The failed address, lower-cased for matching deliveries.
    pub recipient: String,
    /// The address the sender used, when the report names another one as
    /// failed: a DSN's `Original-Recipient` before an alias or forward
    /// (`Final-Recipient: jane.internal@…`, `Original-Recipient: jane@…`).
    /// The engine matches its deliveries by either.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub original_recipient: Option<String>,
    /// Classified error status (SPEC §13.5).
    pub status: ErrorStatus,
    /// Basic SMTP reply code, when the bounce quotes one.
    pub smtp_status: Option<u16>,
    /// RFC 3463 enhanced status code, when present.
    pub enhanced_status: Option<String>,
    /// The diagnostic text (one line, whitespace collapsed).
    pub diagnostic: String,
    /// The MTA that reported the failure.
    pub reporting_mta: Option<String>,
    /// DSN `Action` (`failed`, `delayed`), when given.
    pub action: Option<String>,
}

/// The analysis of one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BounceReport {
    /// True when the message reports at least one failed delivery.
    pub is_bounce: bool,
    /// Which family the message belongs to.
    pub kind: Kind,
    /// The failed recipients; empty unless `is_bounce`.
    pub recipients: Vec<FailedRecipient>,
    /// Addresses a non-failure notice is about (the recipients of a delay
    /// warning), for logs only: never failures.
    pub mentioned: Vec<String>,
    /// Message-ID of the returned original, to match the delivery.
    pub original_message_id: Option<String>,
    /// Subject of the bounce, for logs.
    pub subject: Option<String>,
}

impl FailedRecipient {
    /// Whether this failure is `address`'s: the failed address or the one
    /// the sender used before an alias or forward replaced it. The engine
    /// matches its deliveries by either (a VERP delivery's recipient, a
    /// Message-ID's recipients), so a report that carries both has named
    /// the delivery whichever of the two a reader calls the recipient.
    pub fn is_for(&self, address: &str) -> bool {
        self.recipient.eq_ignore_ascii_case(address)
            || self
                .original_recipient
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case(address))
    }
}

impl BounceReport {
    /// A report with no failures, for auto-replies, complaints and ordinary mail.
    pub fn none(kind: Kind) -> BounceReport {
        BounceReport {
            is_bounce: false,
            kind,
            recipients: Vec::new(),
            mentioned: Vec::new(),
            original_message_id: None,
            subject: None,
        }
    }
}

/// The JSON objects of `hikyakud bounce parse --json`: one per failed
/// recipient, or one with `"is_bounce": false` when there is none.
pub fn report_rows(file: &str, report: &BounceReport) -> Vec<Value> {
    if !report.is_bounce || report.recipients.is_empty() {
        return vec![json!({
            "file": file,
            "is_bounce": false,
            "kind": report.kind.as_str(),
            "mentioned": report.mentioned,
        })];
    }
    report
        .recipients
        .iter()
        .map(|r| {
            let mut row = json!({
                "file": file,
                "is_bounce": true,
                "kind": report.kind.as_str(),
                "recipient": r.recipient,
                "status": r.status.as_u8(),
                "reason": r.status.reason(),
                "smtp_status": r.smtp_status,
                "enhanced_status": r.enhanced_status,
                "diagnostic": r.diagnostic,
                "reporting_mta": r.reporting_mta,
            });
            if let Some(o) = &r.original_recipient {
                row["original_recipient"] = json!(o);
            }
            row
        })
        .collect()
}

/// Human one-line-per-recipient rendering for the CLI without `--json`.
pub fn human_lines(file: &str, report: &BounceReport) -> Vec<String> {
    if !report.is_bounce || report.recipients.is_empty() {
        let what = match report.kind {
            Kind::Feedback => "feedback report",
            Kind::AutoReply => "auto-reply",
            Kind::ChallengeResponse => "challenge-response request",
            Kind::ContentFilter => "content-filter notice",
            Kind::Delayed => "delay warning",
            Kind::ListOwner => "list-owner notice",
            Kind::Report => "DMARC/TLS report",
            Kind::Dsn | Kind::NonStandard | Kind::NotBounce => "not a bounce",
        };
        if report.mentioned.is_empty() {
            return vec![format!("{file}: {what}")];
        }
        return vec![format!("{file}: {what} ({})", report.mentioned.join(", "))];
    }
    report
        .recipients
        .iter()
        .map(|r| {
            let code = match (r.smtp_status, r.enhanced_status.as_deref()) {
                (Some(c), Some(e)) => format!("{c} {e}"),
                (Some(c), None) => c.to_string(),
                (None, Some(e)) => e.to_string(),
                (None, None) => "-".to_string(),
            };
            let recipient = match &r.original_recipient {
                Some(o) => format!("{} (sent to {o})", r.recipient),
                None => r.recipient.clone(),
            };
            format!(
                "{file}: {recipient} status={} ({}) code={code} mta={} diag={}",
                r.status.as_u8(),
                r.status.reason(),
                r.reporting_mta.as_deref().unwrap_or("-"),
                crate::text::clip(&r.diagnostic, 200)
            )
        })
        .collect()
}
