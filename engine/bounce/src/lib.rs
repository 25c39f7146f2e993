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

pub mod address_context;
mod cause_chars;
mod cause_votes;
mod cause_words;
pub mod classifier;
pub mod codes;
pub mod corpora;
pub mod detect;
pub mod dsn;
pub mod expanded;
pub mod html;
pub mod json_notice;
pub mod mailbox;
pub mod markers;
pub mod mime;
mod mime_repair;
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
pub mod retry_period;
mod rule_table;
pub mod scoring;
mod sendmail_summary;
mod spelling;
pub mod status;
mod subject;
pub mod text;
pub mod trace;
mod verdict;

pub use classifier::{Classifier, Evidence, RulesError};
pub use report::{BounceReport, FailedRecipient, Kind};
pub use status::ErrorStatus;

use codes::find_reply_code;
use markers::Markers;
use text::squash;
use verdict::classify_texts;

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
    let report = analyse(cl, &view, markers, nested);
    // A person's reply, list traffic or a tracker's notice quotes bounces
    // and logs but reports no failure of its own (issue 18, first rule).
    if !nested && !report.recipients.is_empty() && ordinary::is_ordinary(&view, markers) {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    // The same for a list discussion of spam filters or challenge systems:
    // its words are not a notice's. A list manager's own mail to its owner
    // (Mailman's `X-List-Administrivia`) may pass a real notice on.
    if !nested
        && matches!(report.kind, Kind::ChallengeResponse | Kind::ContentFilter)
        && view.header("x-list-administrivia").is_none()
        && ordinary::is_list_traffic(&view, markers)
    {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    if !nested
        && matches!(report.kind, Kind::ContentFilter | Kind::ListOwner)
        && ordinary::is_person_reply(&view, markers)
    {
        return notice_report(leftover_kind(&view, markers), report.subject, Vec::new());
    }
    report
}

/// The kind of a message that reports no failure: an auto-reply or nothing.
fn leftover_kind(view: &mime::View, markers: &Markers) -> Kind {
    if detect::auto_replied_header(view)
        || detect::is_autoreply(view, markers)
        || detect::autoreply_body(view, markers)
    {
        Kind::AutoReply
    } else {
        Kind::NotBounce
    }
}

/// Everything after the MIME view: the strategies in order.
fn analyse(cl: &Classifier, view: &mime::View, markers: &Markers, nested: bool) -> BounceReport {
    let subject = Some(view.subject.clone()).filter(|s| !s.is_empty());
    if detect::is_feedback(view) {
        return notice_report(Kind::Feedback, subject, Vec::new());
    }
    if notice::is_report(view) {
        return notice_report(Kind::Report, subject, Vec::new());
    }
    let found = nonstd::scan(view, markers);
    // A read receipt, its fields in their part or written into the text
    // (a relay that dropped the part's type: looked for in a report so
    // labelled or in a text read as DSN fields below, not in every text).
    let text_receipt =
        || view.disposition.is_none() && detect::is_receipt(detect::text_disposition(&found.head));
    if detect::is_receipt(view.disposition.as_deref())
        || view.report_type.as_deref() == Some("disposition-notification") && text_receipt()
    {
        return notice_report(leftover_kind(view, markers), subject, Vec::new());
    }
    // Matched on collapsed whitespace: templates wrap their sentences anywhere.
    let head = notice::head_of(view, markers, &found.head);
    let mut words = notice::wording(markers, &head);
    // A challenge system's name, or a request to click and verify, is a
    // challenge with the other, from that system, or in an answer to a
    // message (an auto-reply, a reply, a returned original): a sign-up
    // confirmation or a phishing mail asks the same of nobody's message.
    if !words.challenge && (words.challenge_product || words.challenge_ask) {
        // (A person's reply quoting such a request is no challenge.)
        let answers = || {
            (detect::auto_replied_header(view)
                || view.header("in-reply-to").is_some()
                || view.has_attached_original)
                && !ordinary::is_person_reply(view, markers)
        };
        words.challenge = if words.challenge_product {
            words.challenge_ask || notice::product_sender(markers, &view.from_addr, &view.from_name)
        } else {
            answers()
        };
    }
    let wording = notice::wording_kind(words);
    let xfailed = view.header("x-failed-recipients").is_some();
    let original_message_id = view
        .original
        .message_id
        .clone()
        .or_else(|| found.inline_message_id.clone());
    let from_domain = view.from_addr.split_once('@').map(|(_, d)| d.to_string());

    // 1. RFC 3464.
    let sent_at = view.header("date").and_then(dsn::timestamp);
    // The retry period when a DSN block states none (see `Classified::after`).
    let stated_period = || {
        retry_period::stated_secs(&squash(&view.texts.join("\n")))
            .or_else(|| retry_period::since_original(&view.original.headers, sent_at))
    };
    let mut dsn_rcpts = dsn::parse(&view.delivery_status, sent_at);
    if dsn_rcpts.is_empty() {
        dsn_rcpts = dsn::parse_in_texts(&view.texts, sent_at);
        if !dsn_rcpts.is_empty() && text_receipt() {
            return notice_report(leftover_kind(view, markers), subject, Vec::new());
        }
    }
    if !dsn_rcpts.is_empty() {
        let (delayed, failed): (Vec<_>, Vec<_>) = dsn_rcpts
            .iter()
            .filter(|d| !dsn::is_success(d.action.as_deref()))
            .partition(|d| notice::dsn_delayed(d));
        if failed.is_empty() {
            let mentioned: Vec<String> = delayed.iter().map(|d| d.recipient.clone()).collect();
            let kind = if mentioned.is_empty() {
                Kind::NotBounce
            } else {
                Kind::Delayed
            };
            return BounceReport {
                original_message_id,
                ..notice_report(kind, subject, mentioned)
            };
        }
        // A challenge or a filter notice dressed as a DSN: only a remote
        // server's quoted refusal makes it a failure, in the DSN's
        // `Diagnostic-Code` or in the recipient's own paragraph of the text
        // (a DSN whose fields say only `Status: 5.0.0`).
        if let Some(kind) = wording {
            let refused = |d: &&dsn::DsnRecipient| {
                d.diagnostic.as_deref().is_some_and(refusal)
                    || found
                        .candidates
                        .iter()
                        .any(|c| c.recipient == d.recipient && refusal(&c.diagnostic))
            };
            if !failed.iter().any(refused) {
                let mentioned = failed.iter().map(|d| d.recipient.clone()).collect();
                return notice_report(kind, subject, mentioned);
            }
        }
        let mut recipients: Vec<FailedRecipient> = Vec::new();
        let single = failed.len() == 1;
        for d in failed {
            if recipients.iter().any(|r| r.recipient == d.recipient) {
                continue;
            }
            let cand = found.candidates.iter().find(|c| c.recipient == d.recipient);
            let context = cand
                .map(|c| c.diagnostic.as_str())
                .or_else(|| found.candidates.first().map(|c| c.context.as_str()))
                .unwrap_or("");
            let diag = d.diagnostic.clone().unwrap_or_else(|| context.to_string());
            let mut c = classify_texts(
                cl,
                d.status.as_deref(),
                &diag,
                context,
                cand.is_some(),
                d.diagnostic.as_deref(),
            );
            // A recipient block with no diagnostic and at most a generic
            // Status (or none, which RFC 3464 requires but some MTAs leave
            // out) says no more than "failed": the text may say why.
            if d.diagnostic.is_none() {
                c = verdict::cause_elsewhere(c, single, cl, view, markers, &found);
            }
            let own = d
                .diagnostic
                .as_deref()
                .or(cand.map(|c| c.own_text.as_str()).filter(|t| !t.is_empty()));
            let c = verdict::loose_cause(c, own);
            let status = c.after(|| d.queued_secs.or_else(stated_period));
            recipients.push(FailedRecipient {
                recipient: d.recipient.clone(),
                original_recipient: d.original.clone(),
                status,
                smtp_status: c.reply,
                enhanced_status: c.enh,
                diagnostic: squash(&diag),
                reporting_mta: d.reporting_mta.clone().or_else(|| d.remote_mta.clone()),
                action: d.action.clone(),
            });
        }
        return BounceReport {
            is_bounce: true,
            kind: Kind::Dsn,
            recipients,
            mentioned: Vec::new(),
            original_message_id,
            subject,
        };
    }

    // 1b. JSON notifications (Amazon SES/SNS).
    let json = json_notice::parse(&view.texts);
    if !json.is_empty() {
        let recipients = json.iter().map(|j| verdict::json_failed(cl, j)).collect();
        return BounceReport {
            is_bounce: true,
            kind: Kind::NonStandard,
            recipients,
            mentioned: Vec::new(),
            original_message_id,
            subject,
        };
    }

    // 2. Auto-replies with clear evidence.
    // A template sentence stands in for the sender only where there is
    // none (bounce text without its header block): with a From, it is a
    // person or a notice citing the sentence ("you may receive 'Delivery
    // has failed to these recipients or groups'"), and a mail system's
    // own From, subject or report says bounce by itself.
    let template_head = markers::any_in(&markers.template, &found.head);
    let template_text = template_head || markers::any_in(&markers.template, &found.opener);
    let signals = detect::bounce_signals(view, markers)
        || view.from_addr.is_empty() && template_text
        || detect::template_opens_text(view, markers);
    if detect::is_autoreply(view, markers) && !detect::bounce_subject(view, markers) {
        // An automatic reply that asks the sender to prove being human is a
        // challenge: cPanel's BoxTrapper sends its challenges with
        // `X-Autorespond`. Filter or list wording in an auto-reply is more
        // often a footer ("scanned … by MailScanner") and does not count.
        let kind = match wording {
            Some(Kind::ChallengeResponse) => Kind::ChallengeResponse,
            _ => Kind::AutoReply,
        };
        return notice_report(kind, subject, Vec::new());
    }

    // 2b. Notices in words: challenge, list manager, content filter, delay.
    let named: Vec<String> = found
        .candidates
        .iter()
        .map(|c| c.recipient.clone())
        .collect();
    if let Some(kind) = wording {
        // A bounce of a notice (Domino returning Mailman's "awaits moderator
        // approval" with "User … not listed in Domino Directory") quotes the
        // notice's wording; a recipient paragraph naming a recipient-side
        // cause in a mail system's report is the failure, not the notice.
        let recipient_cause = |c: &nonstd::Candidate| {
            signals
                && matches!(
                    cl.classify_evidence(None, None, &c.diagnostic),
                    (
                        ErrorStatus::UnknownUser
                            | ErrorStatus::UnknownHost
                            | ErrorStatus::OverCapacity
                            | ErrorStatus::AddressFormat,
                        Evidence::Cause
                    )
                )
        };
        if !xfailed
            && !found
                .candidates
                .iter()
                .any(|c| refusal(&c.diagnostic) || recipient_cause(c))
        {
            return notice_report(kind, subject, named);
        }
    }
    // A delivery receipt names its recipients as a failure report would.
    // A partial delivery lists its reached recipients apart (`nonstd`
    // skips them): a paragraph naming a cause is the part that failed.
    // (An auto-reply listing where it was delivered stays an auto-reply.)
    if !xfailed
        && notice::text_success(words)
        && !found
            .candidates
            .iter()
            .any(|c| refusal(&c.diagnostic) || cl.names_cause(&c.diagnostic))
    {
        return notice_report(leftover_kind(view, markers), subject, Vec::new());
    }
    // A mixed report lists its delayed recipients apart (`found.delayed`):
    // a recipient outside that list with a 5xx refusal failed, and so does
    // one with a cause in words unless the report says it is a warning
    // only (a warning's own recipient, outside another list's header).
    let mixed = !found.delayed.is_empty()
        && found.candidates.iter().any(|c| {
            refusal(&c.diagnostic) || !words.delay_certain && cl.names_cause(&c.diagnostic)
        });
    if !xfailed && !mixed && (signals || found.has_start) && notice::text_delayed(words) {
        let mut named = named;
        for d in &found.delayed {
            if !named.contains(d) {
                named.push(d.clone());
            }
        }
        return BounceReport {
            original_message_id,
            ..notice_report(Kind::Delayed, subject, named)
        };
    }

    // 3. Non-standard formats.
    let auto_replied = detect::auto_replied_header(view);
    let mut cands = found.candidates.clone();
    // A local recipient listed by its bare name below the start sentence
    // is the failed one, whatever address other lines of the text hold.
    // (With no address in the text, the recipients of last resort below
    // are read anyway.)
    if found.has_start && !found.strong && !cands.is_empty() {
        if let Some(r) = trace::bare_listed(view, &found.head) {
            if !cands.iter().any(|c| c.recipient == r) {
                let context = found.candidates.first().map(|c| c.context.clone());
                cands = nonstd::candidates(vec![r], &context.unwrap_or_default());
            }
        }
    }
    // Several addresses in running text and none where recipients stand
    // (Gmail's "wasn't delivered to a@x because …"): those whose own
    // paragraph speaks of a failure are the recipients; a signature's, a
    // link's or a mail team's address beside them is not. When none
    // speaks, all stay: the statement may stand apart from its addresses.
    if !found.strong && cands.len() > 1 {
        let speaks = |c: &nonstd::Candidate| {
            let low = c.diagnostic.to_lowercase();
            refusal(&c.diagnostic)
                || markers::any_in(&markers.permanent, &low)
                || markers::any_in(&markers.start, &low)
                || cl.names_cause(&c.diagnostic)
        };
        if cands.iter().any(speaks) {
            cands.retain(speaks);
        }
    }
    // Item 1 of issue 18: a sender's name alone (`nobody@`, "Mail System",
    // `bounce@`: web scripts and newsletters send as those too) is no
    // evidence that anything failed. With nothing else saying "report",
    // the text must: a start sentence over recipients in their place, a
    // template sentence, a reply code where a reply stands (not a phone
    // number's digits: `codes::reply_stated`), permanent-failure wording
    // of the sender's own (not a quoted question's) over recipients in
    // their place or in a recipient's paragraph, a returned original over
    // recipients in their place (a forward attaches a message too), or a
    // cause named in a recipient's paragraph. Mail from a mail system's
    // address is not all reports: announcements, a postmaster's answers.
    let report_said = xfailed
        || view.report_type.as_deref() == Some("delivery-status")
        || detect::bounce_subject(view, markers);
    // (An answer quoting "… are undeliverable" says nothing failed.)
    let unquoted_words = || {
        if found.quoted_spans.is_empty() {
            return words;
        }
        let mut own = String::with_capacity(found.head.len());
        let mut at = 0;
        for &(from, to) in &found.quoted_spans {
            own.push_str(found.head.get(at..from).unwrap_or(""));
            at = to.max(at);
        }
        own.push_str(found.head.get(at..).unwrap_or(""));
        notice::wording(markers, &notice::head_of(view, markers, &own))
    };
    let text_says_failure = || {
        found.strong && (found.has_start || view.has_attached_original)
            || found.states_reply
            || words.permanent
                && unquoted_words().permanent
                && (found.strong
                    || cands
                        .iter()
                        .any(|c| markers::any_in(&markers.permanent, &c.diagnostic.to_lowercase())))
            || template_text
            || cands.iter().any(|c| cl.names_cause(&c.diagnostic))
    };
    let mut accept = !cands.is_empty()
        && (signals && (report_said || text_says_failure())
            || found.has_start && found.strong && (found.has_codes || view.has_attached_original));
    if !accept && signals && !nested && !view.attached_raw.is_empty() {
        // A gateway's notice that names nobody, forwarding the real
        // delivery-status report as its attachment.
        let inner = parse_at(cl, &view.attached_raw, true);
        if inner.kind == Kind::Dsn && !inner.recipients.is_empty() {
            return BounceReport { subject, ..inner };
        }
    }
    if !accept && signals {
        let (fb, sure) = trace::fallback_recipients(view);
        let fb = if fb.is_empty() {
            detect::subject_recipient(view, markers)
        } else {
            fb
        };
        if !fb.is_empty() && (sure || found.has_start || detect::bounce_subject(view, markers)) {
            let context = found
                .candidates
                .first()
                .map(|c| c.context.clone())
                .unwrap_or_default();
            let context = if context.is_empty() {
                squash(&view.texts.join("\n"))
            } else {
                context
            };
            // A notice whose text parts are empty still says why in its
            // subject ("Automatically rejected mail").
            let context = if context.trim().is_empty() {
                view.subject.clone()
            } else {
                context
            };
            cands = nonstd::candidates(fb, &context);
            accept = true;
        }
    }
    // `X-Failed-Recipients` (Exim, Google) names the failures explicitly;
    // when the text only names the bounce's own addressee (the sender
    // greeted by name), the header wins.
    let xfr = view
        .header("x-failed-recipients")
        .map(|x| {
            text::find_addresses(x)
                .iter()
                .map(|f| text::canonical(f.addr))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    // So it does when no address of the text stands where recipients do
    // and the header names none of them ("Your message was addressed to:
    // a@x" above Exim's list of a bare local part).
    if accept
        && !xfr.is_empty()
        && cands.iter().all(|c| {
            !xfr.contains(&c.recipient) && (view.to.contains(&c.recipient) || !found.strong)
        })
    {
        let context = cands
            .first()
            .map(|c| c.context.clone())
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| squash(&view.texts.join("\n")));
        cands = nonstd::candidates(xfr, &context);
    }
    // A mail system that marks its bounce `auto-replied` (mail.ru) and
    // names a cause in words ("user not found") without a code is still
    // bouncing: a vacation program neither sends as `MAILER-DAEMON` nor
    // says why delivery failed.
    let worded_cause = || {
        detect::from_mail_system(view, markers)
            && cands
                .iter()
                .any(|c| cl.classify_evidence(None, None, &c.diagnostic).1 == Evidence::Cause)
    };
    // Nor does a vacation program write an MTA's template ("This is the
    // mail system at host …", "The following addresses had permanent fatal
    // errors"): from a mail system, that is a report even when its reply
    // carries no code ("Address rejected", "service refused").
    let mta_template = template_head && detect::from_mail_system(view, markers);
    if accept && auto_replied && !(found.has_codes || xfailed || worded_cause() || mta_template) {
        accept = false;
    }
    if accept {
        let single = cands.len() == 1;
        let recipients = cands
            .iter()
            .map(|c| {
                let own = Some(c.own_text.as_str()).filter(|t| !t.is_empty());
                let mut k = classify_texts(cl, None, &c.diagnostic, &c.context, false, own);
                let lower = c.diagnostic.to_lowercase();
                k.transient_words = k.reply.is_none()
                    && k.enh.is_none()
                    && markers::any_in(&markers.transient, &lower);
                // A failure stated over days ("undeliverable for 3 days")
                // is the end of the retries, as the Sendmail wording is.
                k.gave_up = markers::any_in(&markers.gave_up, &lower)
                    || k.generic()
                        && retry_period::undelivered_secs(&lower)
                            .is_some_and(|s| s >= verdict::QUEUE_LIFETIME_SECS);
                let k = verdict::cause_elsewhere(k, single, cl, view, markers, &found);
                let k = verdict::loose_cause(k, own);
                FailedRecipient {
                    recipient: c.recipient.clone(),
                    original_recipient: expanded::postfix_original(&c.diagnostic, &c.recipient),
                    status: k.after(stated_period),
                    smtp_status: k.reply,
                    enhanced_status: k.enh,
                    diagnostic: c.diagnostic.clone(),
                    reporting_mta: from_domain.clone(),
                    action: Some("failed".to_string()),
                }
            })
            .collect();
        return BounceReport {
            is_bounce: true,
            kind: Kind::NonStandard,
            recipients,
            mentioned: Vec::new(),
            original_message_id,
            subject,
        };
    }

    // 4. What is left.
    notice_report(leftover_kind(view, markers), subject, Vec::new())
}
