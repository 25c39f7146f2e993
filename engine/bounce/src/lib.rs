//! Sans-I/O bounce analysis for hikyaku (SPEC §7, §13.5).
//!
//! [`parse`] turns the raw bytes of a message received on a bounce domain
//! into failed recipients with an error status. Strategies, in order: RFC
//! 3464 delivery-status parts, then one general reader for the non-standard
//! human-readable formats driven by `data/markers.txt`. Abuse reports,
//! auto-replies, DMARC/TLS reports, challenge-response requests,
//! content-filter and list-manager notices and delay warnings are recognised
//! as their own kinds ([`notice`]) and never yield failures. A recipient is
//! reported only with evidence of failure for that address: a DSN block, a
//! failure paragraph naming it, `X-Failed-Recipients`, or (when the text
//! reports a failure without naming anybody) the one envelope recipient of
//! the returned copy's trace; never the original's `To:`/`Cc:` (issue 18). The [`Classifier`]
//! is public so that the SMTP client classifies live replies the same way.
//!
//! Bounce text handed over without its header block is read as body, and
//! the fixed sentences of MTA bounce templates (`[template]` in
//! `data/markers.txt`) then stand in for the missing `MAILER-DAEMON` sender.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod above;
pub mod address_context;
mod analysis;
mod cause_chars;
mod cause_votes;
mod cause_words;
pub mod classifier;
pub mod codes;
pub mod corpora;
pub mod detect;
mod display_names;
mod domain_paragraph;
pub mod dsn;
mod dsn_stand_ins;
pub mod expanded;
mod forwarded;
pub mod header_fields;
pub mod html;
pub mod json_notice;
pub mod mailbox;
pub mod markers;
pub mod mime;
mod mime_repair;
mod mistyped;
mod multiline;
pub mod nonstd;
mod not_causes;
pub mod notice;
pub mod ordinary;
pub mod paragraph;
mod positions;
mod raw_transfer;
mod regions;
pub mod report;
mod report_lines;
pub mod retry_period;
mod rule_table;
mod scan_result;
pub mod scoring;
mod screen_names;
mod sendmail_summary;
mod sentences;
mod session_transcript;
mod spelling;
pub mod status;
mod subject;
pub mod text;
mod text_report;
pub mod trace;
mod verdict;
pub mod verp;

pub use classifier::{Classifier, Evidence, RulesError};
pub use report::{BounceReport, FailedRecipient, Kind};
pub use status::ErrorStatus;

use codes::find_reply_code;
use markers::Markers;

/// Parses one message with the built-in tables.
pub fn parse(raw: &[u8]) -> BounceReport {
    parse_with(Classifier::builtin(), raw)
}

/// The CLI's JSON rows for one file (see [`report::report_rows`]).
pub fn cli_rows(file: &str, raw: &[u8]) -> Vec<serde_json::Value> {
    report::report_rows(file, &parse(raw))
}

/// The CLI's human lines for one file.
pub fn human_lines(file: &str, raw: &[u8]) -> Vec<String> {
    report::human_lines(file, &parse(raw))
}

/// Parses one message with a given classifier (e.g. one extended by settings).
pub fn parse_with(cl: &Classifier, raw: &[u8]) -> BounceReport {
    parse_at(cl, raw, false)
}

/// A non-failure report of `kind`, naming the addresses it is about.
fn notice_report(kind: Kind, subject: Option<String>, mentioned: Vec<String>) -> BounceReport {
    BounceReport {
        subject,
        mentioned,
        ..BounceReport::none(kind)
    }
}

/// Whether `text` quotes a permanent SMTP refusal (a 5xx reply code).
fn refusal(text: &str) -> bool {
    find_reply_code(text).is_some_and(|c| (500..600).contains(&c))
}

/// `nested`: parsing a message attached to a bounce (one level only).
fn parse_at(cl: &Classifier, raw: &[u8], nested: bool) -> BounceReport {
    let raw = text::normalize_newlines(raw);
    // A UTF-8 byte-order mark (files saved by Windows editors) is no part
    // of the message: with it the first header line is not a header.
    let raw = raw.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&raw);
    let raw = text::skip_leading_blank_lines(raw);
    // Text without a header block is all body: an empty header block first.
    let body_only;
    let raw = if raw.is_empty() || text::starts_with_header(raw) {
        raw
    } else {
        body_only = [b"\n".as_slice(), raw].concat();
        body_only.as_slice()
    };
    let Some(view) = mime::view(raw) else {
        return BounceReport::none(Kind::NotBounce);
    };
    let markers = Markers::builtin();
    let report = analysis::analyse(cl, &view, markers, nested);
    // A person's reply, list traffic or a tracker's notice quotes bounces
    // and logs but reports no failure of its own (issue 18, first rule).
    if !nested && !report.recipients.is_empty() && ordinary::is_ordinary(&view, markers) {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    // A list manager's own mail to its owner (Mailman's bounce action
    // notice, an uncaught bounce passed on) tells of a member's failure
    // with the triggering bounce attached: the list's notice, not a
    // failure of the mail this report answers. From the list's own
    // address only: an Exchange NDR of such a notice copies its
    // `X-List-Administrivia` and `Sender:`.
    if !nested
        && !report.recipients.is_empty()
        && view.header("x-list-administrivia").is_some()
        && ordinary::list_role(&view.from_addr)
    {
        let mentioned = report
            .recipients
            .iter()
            .map(|r| r.recipient.clone())
            .collect();
        return notice_report(Kind::ListOwner, report.subject, mentioned);
    }
    // The same for a list discussion of spam filters or challenge systems:
    // its words are not a notice's. A list manager's own mail to its owner
    // (Mailman's `X-List-Administrivia`) may pass a real notice on.
    if !nested
        && matches!(report.kind, Kind::ChallengeResponse | Kind::ContentFilter)
        && view.header("x-list-administrivia").is_none()
        && ordinary::is_list_discussion(&view, markers)
    {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    if !nested
        && matches!(report.kind, Kind::ContentFilter | Kind::ListOwner)
        && ordinary::is_person_reply(&view, markers)
    {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    // A service telling its user that its own mail to an address has kept
    // bouncing (`[bouncing-notice]`): read from its text only, never over a
    // delivery-status report.
    if !nested
        && report.kind == Kind::NonStandard
        && view.texts.iter().any(|t| {
            // Lower-cased only where a word of the list may stand (its
            // words, in any case).
            let b = t.as_bytes();
            (crate::text::contains_ci(b, b"ouncing") || crate::text::contains_ci(b, b"aused"))
                && markers::any_in(&markers.bouncing_notice, &t.to_lowercase())
        })
    {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    report
}

/// The kind of a message that reports no failure: a list manager's own
/// mail (Mailman marks it `X-List-Administrivia`: held posts, probes,
/// bounce digests to the owner), an auto-reply or nothing.
fn leftover_kind(view: &mime::View, markers: &Markers) -> Kind {
    if view.header("x-list-administrivia").is_some() {
        Kind::ListOwner
    } else if detect::auto_replied_header(view) && !detect::from_mail_system(view, markers)
        || detect::is_autoreply(view, markers)
        || detect::autoreply_body(view, markers)
    {
        // (Exim marks its every notice `auto-replied`: from a mail system's
        // sender that header alone makes no automatic answer.)
        Kind::AutoReply
    } else {
        Kind::NotBounce
    }
}
