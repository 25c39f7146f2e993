//! Non-standard reports (the crate's third strategy): the failure told in
//! text, its recipients in their paragraphs (`nonstd`), accepted only when
//! the message is a mail system's report and the text says something
//! failed (issue 18, item 1).

use crate::analysis::{Analysis, Signals};
use crate::classifier::Evidence;
use crate::markers;
use crate::nonstd::{self, Candidate};
use crate::report::{BounceReport, FailedRecipient, Kind};
use crate::text::squash;
use crate::verdict::{self, classify_texts};
use crate::{detect, expanded, notice, parse_at, refusal, retry_period, trace};

/// The report, or `None` when the text reports no failure.
pub(crate) fn report(a: &Analysis<'_>, s: &Signals) -> Option<BounceReport> {
    let mut cands = listed_candidates(a);
    let mut accept = !cands.is_empty()
        && (s.signals && (report_said(a) || says_failure(a, s, &cands))
            || a.found.has_start
                && a.found.strong
                && (a.found.has_codes || a.view.has_attached_original));
    // (Or a program's: a mailbox rule passing the report on, attached,
    // under its own `Auto-Submitted`; a person's forward is neither.)
    let machine = s.signals || detect::auto_submitted_header(a.view);
    if !accept && machine && !a.nested && !a.view.attached_raw.is_empty() {
        // A gateway's notice that names nobody, forwarding the real
        // delivery-status report as its attachment.
        let inner = parse_at(a.cl, &a.view.attached_raw, true);
        if matches!(inner.kind, Kind::Dsn | Kind::NonStandard) && !inner.recipients.is_empty() {
            return Some(BounceReport {
                subject: a.subject.clone(),
                ..inner
            });
        }
    }
    if !accept && s.signals {
        if let Some(fb) = last_resort(a) {
            cands = fb;
            accept = true;
        }
    }
    if accept {
        cands = failed_header_wins(a, cands);
    }
    if !accept || a.view.header("x-failed-recipients").is_none() && auto_reply_only(a, s, &cands) {
        return None;
    }
    let single = cands.len() == 1;
    let recipients = cands
        .iter()
        .map(|c| failed_recipient(a, c, single))
        .collect();
    Some(a.failure_report(Kind::NonStandard, recipients))
}

/// The text's recipients, narrowed to those that stand as failed.
fn listed_candidates(a: &Analysis<'_>) -> Vec<Candidate> {
    let (found, markers, cl) = (&a.found, a.markers, a.cl);
    // A reply ("RE: why do my mails bounce?", even from `postmaster@`)
    // whose recipients all stand in the lines it quotes reports the
    // answered message's failure, not one of its own.
    if found.only_quoted && crate::ordinary::replied(&a.view.subject, markers) {
        return Vec::new();
    }
    let mut cands = found.candidates.clone();
    // A local recipient listed by its bare name below the start sentence
    // is the failed one, whatever address other lines of the text hold.
    // (With no address in the text, the recipients of last resort below
    // are read anyway.)
    if found.has_start && !found.strong && !cands.is_empty() {
        if let Some(r) = trace::bare_listed(a.view, &found.head) {
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
        let speaks = |c: &Candidate| {
            let low = c.diagnostic.to_lowercase();
            refusal(&c.diagnostic)
                || markers::any_in(&markers.permanent, &low)
                || markers::any_in(&markers.start, &low)
                || cl.names_cause(&c.diagnostic)
        };
        // (And those named each in a failure sentence of their own: "and
        // delivery to b@y failed because …" beside a paragraph with a code.)
        if cands.iter().any(speaks) {
            cands.retain(|c| speaks(c) || found.told.contains(&c.recipient));
        }
    }
    cands
}

/// The message calls itself a report: `X-Failed-Recipients`, a
/// delivery-status report type, a bounce subject.
fn report_said(a: &Analysis<'_>) -> bool {
    a.view.header("x-failed-recipients").is_some()
        || a.view.report_type.as_deref() == Some("delivery-status")
        || detect::bounce_subject(a.view, a.markers)
}

/// Item 1 of issue 18: a sender's name alone (`nobody@`, "Mail System",
/// `bounce@`: web scripts and newsletters send as those too) is no
/// evidence that anything failed. With nothing else saying "report", the
/// text must: a start sentence over recipients in their place, a template
/// sentence, a reply code where a reply stands (not a phone number's
/// digits: `codes::reply_stated`), permanent-failure wording of the
/// sender's own (not a quoted question's) over recipients in their place
/// or in a recipient's paragraph, a returned original over recipients in
/// their place (a forward attaches a message too), or a cause named in a
/// recipient's paragraph. Mail from a mail system's address is not all
/// reports: announcements, a postmaster's answers.
fn says_failure(a: &Analysis<'_>, s: &Signals, cands: &[Candidate]) -> bool {
    let (found, markers) = (&a.found, a.markers);
    let permanent_in =
        |c: &Candidate| markers::any_in(&markers.permanent, &c.diagnostic.to_lowercase());
    found.strong && (found.has_start || a.view.has_attached_original)
        || found.states_reply
        || a.words.permanent
            && unquoted_words(a).permanent
            && (found.strong || cands.iter().any(permanent_in))
        || s.template_text
        || cands.iter().any(|c| a.cl.names_cause(&c.diagnostic))
}

/// The notice wording of the error block without the lines it quotes (an
/// answer quoting "… are undeliverable" says nothing failed).
fn unquoted_words(a: &Analysis<'_>) -> notice::Wording {
    let found = &a.found;
    if found.quoted_spans.is_empty() {
        return a.words;
    }
    let mut own = String::with_capacity(found.head.len());
    let mut at = 0;
    for &(from, to) in &found.quoted_spans {
        own.push_str(found.head.get(at..from).unwrap_or(""));
        at = to.max(at);
    }
    own.push_str(found.head.get(at..).unwrap_or(""));
    notice::wording(a.markers, &notice::head_of(a.view, a.markers, &own))
}

/// A mail system's report that names no recipient in the text: the
/// returned copy's trace, or the subject's address, when something says
/// it is a report.
fn last_resort(a: &Analysis<'_>) -> Option<Vec<Candidate>> {
    let view = a.view;
    let (fb, sure) = trace::fallback_recipients(view);
    let fb = if fb.is_empty() {
        detect::subject_recipient(view, a.markers)
    } else {
        fb
    };
    if fb.is_empty() && (a.found.has_start || detect::bounce_subject(view, a.markers)) {
        let each = trace::local_parts_labelled(view, &view.texts.join("\n"));
        if !each.is_empty() {
            return Some(
                each.into_iter()
                    .flat_map(|(r, block)| nonstd::candidates(vec![r], &squash(&block)))
                    .collect(),
            );
        }
    }
    let fb = if fb.is_empty() {
        trace::local_part_listed(view, &a.found.head)
            .or_else(|| crate::display_names::name_listed(view, &a.found.head))
            .or_else(|| crate::verp::recipient(view))
            .into_iter()
            .collect()
    } else {
        fb
    };
    // A provider naming its users by their bare names (AOL's screen names).
    let fb = if fb.is_empty() {
        crate::screen_names::listed(view, &a.found.head, a.markers)
    } else {
        fb
    };
    if fb.is_empty() || !(sure || a.found.has_start || detect::bounce_subject(view, a.markers)) {
        return None;
    }
    let context = a
        .found
        .candidates
        .first()
        .map(|c| c.context.clone())
        .unwrap_or_default();
    let context = if context.is_empty() {
        squash(&view.texts.join("\n"))
    } else {
        context
    };
    // A notice whose text parts are empty still says why in its subject
    // ("Automatically rejected mail").
    let context = if context.trim().is_empty() {
        view.subject.clone()
    } else {
        context
    };
    Some(nonstd::candidates(fb, &context))
}

/// `X-Failed-Recipients` (Exim, Google) names the failures explicitly:
/// when the text only names the bounce's own addressee (the sender greeted
/// by name), or no address of the text stands where recipients do and the
/// header names none of them ("Your message was addressed to: a@x" above
/// Exim's list of a bare local part), the header wins.
fn failed_header_wins(a: &Analysis<'_>, cands: Vec<Candidate>) -> Vec<Candidate> {
    let view = a.view;
    let xfr = crate::trace::declared_failures(view);
    let header_wins = !xfr.is_empty()
        && cands.iter().all(|c| {
            !xfr.contains(&c.recipient) && (view.to.contains(&c.recipient) || !a.found.strong)
        });
    if !header_wins {
        return cands;
    }
    let context = cands
        .first()
        .map(|c| c.context.clone())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| squash(&view.texts.join("\n")));
    nonstd::candidates(xfr, &context)
}

/// An `auto-replied` message is no report unless something more says so.
///
/// A mail system that marks its bounce `auto-replied` (mail.ru) and names
/// a cause in words ("user not found") without a code is still bouncing:
/// a vacation program neither sends as `MAILER-DAEMON` nor says why
/// delivery failed. Nor does it write an MTA's template ("This is the mail
/// system at host …", "The following addresses had permanent fatal
/// errors"): from a mail system, that is a report even when its reply
/// carries no code ("Address rejected", "service refused").
fn auto_reply_only(a: &Analysis<'_>, s: &Signals, cands: &[Candidate]) -> bool {
    let view = a.view;
    if !detect::auto_replied_header(view) || a.found.has_codes {
        return false;
    }
    // A provider's friendly notice comes from `no-reply@`, its subject
    // saying what failed ("We couldn't deliver your email"); a vacation
    // answer's subject does not.
    let from_mail_system = detect::from_mail_system(view, a.markers)
        || detect::null_from(view)
        || detect::bounce_subject(view, a.markers) && !detect::is_autoreply(view, a.markers);
    let worded_cause = || {
        cands
            .iter()
            .any(|c| a.cl.classify_evidence(None, None, &c.diagnostic).1 == Evidence::Cause)
    };
    // (Nor does it name a recipient in a failure sentence: "We could not
    // send it to a@x", from a gateway's postmaster.)
    let told = || cands.iter().any(|c| a.found.told.contains(&c.recipient));
    !(from_mail_system && (worded_cause() || s.template_head || told()))
}

/// One recipient of the text, its status from its paragraph.
fn failed_recipient(a: &Analysis<'_>, c: &Candidate, single: bool) -> FailedRecipient {
    let (cl, markers) = (a.cl, a.markers);
    // An item of a list whose heading names the cause ("The following
    // mailboxes are full:"): the heading is its own words; what was read
    // on below it is the next list's.
    // A statement standing above a lone address ("The user(s) account is
    // disabled." / "" / "<a@x>") gives way to the text read on below it
    // when that names a cause itself.
    let statement = c.heading.ends_with(['.', '。']);
    let listed = (c.own_text.is_empty()
        && !c.heading.is_empty()
        && cl.names_cause(&c.heading)
        && !(statement && cl.names_cause(&c.diagnostic)))
    .then_some(&c.heading);
    let diagnostic = listed.unwrap_or(&c.diagnostic);
    let own = listed
        .map(String::as_str)
        .or(Some(c.own_text.as_str()).filter(|t| !t.is_empty()));
    // Beside other recipients, the whole block holds their replies and
    // their lists' headings: no evidence for one quoting a server's reply
    // or a status code of its own (qmail's "… homedir creation. vpopmail
    // (#5.9.9)" beside another's "user is over quota"), nor for an item of
    // a list under a heading.
    let own_reply = crate::codes::find_reply_code(&c.own_text).is_some()
        || crate::codes::find_enhanced(&c.own_text).is_some();
    let under_heading = c.own_text.is_empty() && !c.heading.is_empty();
    let context = if !single && (own_reply || under_heading) {
        ""
    } else {
        c.context.as_str()
    };
    let mut k = classify_texts(cl, None, diagnostic, context, false, own);
    let lower = diagnostic.to_lowercase();
    k.transient_words =
        k.reply.is_none() && k.enh.is_none() && markers::any_in(&markers.transient, &lower);
    // A failure stated over days ("undeliverable for 3 days") is the end
    // of the retries, as the Sendmail wording is.
    // (The whole block is read only for a verdict that could give way: no
    // cause, no permanent code. MMDF states the period above its list:
    // "After 7 days (168 hours), your message could not be fully
    // delivered.")
    let could_give_way = k.generic() && verdict::no_permanent_code(k.reply, k.enh.as_deref());
    let over_days = |t: &str| {
        retry_period::undelivered_secs(t).is_some_and(|s| s >= verdict::QUEUE_LIFETIME_SECS)
    };
    k.gave_up = markers::any_in(&markers.gave_up, &lower)
        || could_give_way
            && single
            && (markers::any_in(&markers.gave_up, &a.found.head) || over_days(&a.found.head))
        || k.generic() && over_days(&lower);
    let k = verdict::cause_elsewhere(k, single, cl, a.view, markers, &a.found);
    let mut k = verdict::loose_cause(k, own);
    // One recipient, and the report says its forward failed, in a
    // paragraph of its own ("O reencaminhamento falhou de forma
    // permanente" below the target's reply): the reply's cause is the
    // target's, as a DSN's is read (`analysis/delivery_status.rs`).
    if single
        && crate::forwarded::target_side(k.status)
        && crate::forwarded::mentions_forward(&a.found.head)
        && crate::forwarded::forward_failed(&crate::classifier::normalize(&a.found.head))
    {
        k.status = crate::ErrorStatus::ForwardingError;
    }
    FailedRecipient {
        recipient: c.recipient.clone(),
        original_recipient: expanded::asked_original(&c.diagnostic, &c.recipient),
        status: k.after(|| a.stated_period()),
        smtp_status: k.reply,
        enhanced_status: k.enh,
        diagnostic: diagnostic.clone(),
        reporting_mta: a.view.from_addr.split_once('@').map(|(_, d)| d.to_string()),
        action: Some("failed".to_string()),
    }
}
