//! Everything after the MIME view: the strategies in the crate's order.
//! One [`Analysis`] holds what every strategy reads (the view, the text
//! scan, the notice wording), so each strategy is a method that either
//! answers or passes the message on to the next.

use crate::classifier::Evidence;
use crate::markers::{self, Markers};
use crate::nonstd::{self, Found};
use crate::notice::{self, Wording};
use crate::report::{BounceReport, FailedRecipient, Kind};
use crate::text::squash;
use crate::verdict;
use crate::{detect, dsn, json_notice, leftover_kind, mime, notice_report, ordinary, refusal};
use crate::{retry_period, text_report, Classifier, ErrorStatus};

mod delivery_status;

/// What the strategies share about one message.
pub(crate) struct Analysis<'a> {
    pub(crate) cl: &'a Classifier,
    pub(crate) view: &'a mime::View,
    pub(crate) markers: &'a Markers,
    /// Parsing a message attached to a bounce (one level only).
    pub(crate) nested: bool,
    pub(crate) subject: Option<String>,
    /// The text scan: recipients in their paragraphs, the error block.
    pub(crate) found: Found,
    /// Notice wordings of the error block.
    pub(crate) words: Wording,
    /// The notice kind those wordings say, if any.
    pub(crate) wording: Option<Kind>,
    pub(crate) original_message_id: Option<String>,
    /// The report's own `Date`, for retry periods.
    sent_at: Option<i64>,
}

/// Whether the sender is a mail system's, in words of its template or
/// signals of its headers (computed once, after the structured strategies).
pub(crate) struct Signals {
    /// A template sentence in the error block.
    pub(crate) template_head: bool,
    /// … or in the line opening the returned original.
    pub(crate) template_text: bool,
    /// A mail system's sender, subject or report, or a template's text.
    pub(crate) signals: bool,
}

/// The strategies in order; see the crate documentation.
pub(crate) fn analyse(
    cl: &Classifier,
    view: &mime::View,
    markers: &Markers,
    nested: bool,
) -> BounceReport {
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
    if detect::is_receipt(view.disposition.as_deref())
        || view.report_type.as_deref() == Some("disposition-notification")
            && text_receipt(view, &found)
    {
        // A receipt is its own reader's word, not an auto-reply: neither
        // its subject ("Empfangsbestätigung (angezeigt)": a receipt's
        // subject shares words with an acknowledgement's) nor its
        // `Auto-Submitted: auto-replied` (RFC 8098 asks it of every receipt
        // sent without a person's action) makes one. A vacation program
        // that wraps its absence note as a receipt still says so, in its
        // subject or its words.
        let kind = match leftover_kind(view, markers) {
            Kind::AutoReply
                if !(detect::auto_replied_header(view)
                    && (detect::is_autoreply(view, markers)
                        || detect::autoreply_body(view, markers))) =>
            {
                Kind::NotBounce
            }
            other => other,
        };
        return notice_report(kind, subject, Vec::new());
    }
    let words = challenge_words(view, markers, &found);
    let a = Analysis {
        cl,
        view,
        markers,
        nested,
        subject,
        wording: notice::wording_kind(words),
        original_message_id: view
            .original
            .message_id
            .clone()
            .or_else(|| found.inline_message_id.clone()),
        found,
        words,
        sent_at: view.header("date").and_then(dsn::timestamp),
    };
    if let Some(r) = a.delivery_status().or_else(|| a.json_notifications()) {
        return r;
    }
    let s = a.signals();
    if let Some(r) = a.notices(&s).or_else(|| text_report::report(&a, &s)) {
        return r;
    }
    notice_report(leftover_kind(view, markers), a.subject, Vec::new())
}

/// Receipt fields written into the text of a message with no disposition
/// part of its own.
fn text_receipt(view: &mime::View, found: &Found) -> bool {
    view.disposition.is_none() && detect::is_receipt(detect::text_disposition(&found.head))
}

/// The error block's notice wording (matched on collapsed whitespace:
/// templates wrap their sentences anywhere), with a challenge decided.
///
/// A challenge system's name, or a request to click and verify, is a
/// challenge with the other, from that system, or in an answer to a
/// message (an auto-reply, a reply, a returned original): a sign-up
/// confirmation or a phishing mail asks the same of nobody's message.
fn challenge_words(view: &mime::View, markers: &Markers, found: &Found) -> Wording {
    let head = notice::head_of(view, markers, &found.head);
    let mut words = notice::wording(markers, &head);
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
    words
}

impl Analysis<'_> {
    /// The retry period when a DSN block states none (see
    /// `Classified::after`): stated in the text, or since the original's
    /// own date.
    pub(crate) fn stated_period(&self) -> Option<i64> {
        retry_period::stated_secs(&squash(&self.view.texts.join("\n")))
            .or_else(|| retry_period::since_original(&self.view.original.headers, self.sent_at))
    }

    /// A report with no failure: `kind`, naming `mentioned`.
    fn notice(&self, kind: Kind, mentioned: Vec<String>) -> BounceReport {
        notice_report(kind, self.subject.clone(), mentioned)
    }

    /// JSON notifications (Amazon SES/SNS).
    fn json_notifications(&self) -> Option<BounceReport> {
        let mut json = json_notice::parse(&self.view.texts);
        let objects = || self.view.texts.iter().any(|t| json_notice::has_object(t));
        if json.is_empty() && objects() && self.signals().signals {
            json = json_notice::parse_any(&self.view.texts);
        }
        if json.is_empty() {
            let delayed = json_notice::delayed(&self.view.texts);
            return (!delayed.is_empty()).then(|| self.notice(Kind::Delayed, delayed));
        }
        let recipients = json
            .iter()
            .map(|j| verdict::json_failed(self.cl, j))
            .collect();
        Some(self.failure_report(Kind::NonStandard, recipients))
    }

    /// A report of failed `recipients`, of `kind`.
    pub(crate) fn failure_report(
        &self,
        kind: Kind,
        mut recipients: Vec<FailedRecipient>,
    ) -> BounceReport {
        // A mistyped address's unknown user, failed domain lookup or
        // unnamed failure is its format's (`text::mistyped`).
        for r in &mut recipients {
            if crate::mistyped::reads_as_slip(r.status) && crate::mistyped::mistyped(&r.recipient) {
                r.status = ErrorStatus::AddressFormat;
            }
        }
        BounceReport {
            is_bounce: true,
            kind,
            recipients,
            mentioned: Vec::new(),
            original_message_id: self.original_message_id.clone(),
            subject: self.subject.clone(),
        }
    }

    /// A template sentence stands in for the sender only where there is
    /// none (bounce text without its header block): with a From, it is a
    /// person or a notice citing the sentence ("you may receive 'Delivery
    /// has failed to these recipients or groups'"), and a mail system's
    /// own From, subject or report says bounce by itself.
    fn signals(&self) -> Signals {
        let (view, markers, found) = (self.view, self.markers, &self.found);
        let template_head = markers::any_in(&markers.template, &found.head);
        let template_text = template_head || markers::any_in(&markers.template, &found.opener);
        Signals {
            template_head,
            template_text,
            signals: detect::bounce_signals(view, markers)
                || detect::null_from(view)
                || view.from_addr.is_empty() && template_text
                || detect::template_opens_text(view, markers),
        }
    }

    /// Auto-replies with clear evidence, then notices in words (the second
    /// strategy): challenge, list manager, content filter, receipt, delay.
    fn notices(&self, s: &Signals) -> Option<BounceReport> {
        let (view, markers, found, cl) = (self.view, self.markers, &self.found, self.cl);
        // (From the null sender, `From: <>`, it is a mail system's notice,
        // which the text strategy reads: no vacation program writes that.)
        if detect::is_autoreply(view, markers)
            && !detect::bounce_subject(view, markers)
            && !detect::null_from(view)
        {
            // An automatic reply that asks the sender to prove being human is a
            // challenge: cPanel's BoxTrapper sends its challenges with
            // `X-Autorespond`. Filter or list wording in an auto-reply is more
            // often a footer ("scanned … by MailScanner") and does not count.
            let kind = match self.wording {
                Some(Kind::ChallengeResponse) => Kind::ChallengeResponse,
                _ => Kind::AutoReply,
            };
            return Some(self.notice(kind, Vec::new()));
        }
        let xfailed = view.header("x-failed-recipients").is_some();
        let named: Vec<String> = found
            .candidates
            .iter()
            .map(|c| c.recipient.clone())
            .collect();
        if let Some(kind) = self.wording {
            // A bounce of a notice (Domino returning Mailman's "awaits moderator
            // approval" with "User … not listed in Domino Directory") quotes the
            // notice's wording; a recipient paragraph naming a recipient-side
            // cause in a mail system's report is the failure, not the notice.
            let recipient_cause = |c: &nonstd::Candidate| {
                s.signals
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
            // A list manager's own report on its members (LISTSERV's daily
            // error monitoring report, its error report to the owner) quotes
            // their servers' refusals: with no sign of a mail system's
            // report, the refusals are the members' history, not a failure.
            // (A subject saying "undeliverable" is no sign: a newsletter
            // tool's monthly report of the addresses it removed says so too.)
            let list_report = kind == Kind::ListOwner
                && !(detect::from_mail_system(view, markers)
                    || view.report_type.as_deref() == Some("delivery-status")
                    || s.signals && !detect::bounce_subject(view, markers));
            if !xfailed
                && (list_report
                    || !found
                        .candidates
                        .iter()
                        .any(|c| refusal(&c.diagnostic) || recipient_cause(c)))
            {
                return Some(self.notice(kind, named));
            }
        }
        // A warning to a mailbox's owner that it is filling up quotes the
        // refusal senders will get once it is full: nothing failed yet.
        // (Also a courtesy notice to the sender that says the message was
        // delivered and need not be resent: a warning's words, no delay.)
        if !xfailed && self.words.quota_warning && (!self.words.delay_certain || self.words.success)
        {
            return Some(self.notice(leftover_kind(view, markers), Vec::new()));
        }
        // A delivery receipt names its recipients as a failure report would.
        // A partial delivery lists its reached recipients apart (`nonstd`
        // skips them): a paragraph naming a cause is the part that failed.
        // (An auto-reply listing where it was delivered stays an auto-reply.)
        if !xfailed
            && notice::text_success(self.words)
            && !found
                .candidates
                .iter()
                .any(|c| refusal(&c.diagnostic) || cl.names_cause(&c.diagnostic))
        {
            return Some(self.notice(leftover_kind(view, markers), Vec::new()));
        }
        // A mixed report lists its delayed recipients apart (`found.delayed`):
        // a recipient outside that list with a 5xx refusal failed, and so does
        // one with a cause in words unless the report says it is a warning
        // only (a warning's own recipient, outside another list's header).
        // (Or, with nothing said of them, where the report says some
        // delivery failed for good: Exchange 2003's "Delivery to the
        // following recipients failed." over its list, beside the delayed
        // one.)
        let mixed = !found.delayed.is_empty()
            && (self.words.permanent && !self.words.delay_certain && !found.candidates.is_empty()
                || found.candidates.iter().any(|c| {
                    refusal(&c.diagnostic)
                        || !self.words.delay_certain && cl.names_cause(&c.diagnostic)
                }));
        // A warning's recipients are still tried: a report saying its errors
        // are permanent whose every recipient was refused with a 5xx is a
        // failure, whatever reassurance its template adds ("YOU DO NOT NEED
        // TO RESEND THIS MESSAGE" above MDaemon's 5xx list), unless it says
        // the retries go on (Postfix retries a 5xx greeting: "It will be
        // retried until it is 2 day(s) old").
        let all_refused = || {
            self.words.permanent
                && !self.words.retrying
                && !found.candidates.is_empty()
                && found.candidates.iter().all(|c| refusal(&c.diagnostic))
        };
        // `X-Failed-Recipients` says the named recipients failed, unless the
        // text says in so many words that it is a warning (Exim's "Delay
        // reason:", "This is a warning only"): writers of delay warnings
        // add the header where Exim puts it on its bounces only.
        // (Not a person's reply quoting a warning it asks about: the
        // warning was the answered message's, as a quoted failure is.)
        let quoted_reply = crate::ordinary::replied(&view.subject, markers)
            && (found.only_quoted
                || !detect::from_mail_system(view, markers) && !delay_said_unquoted(view, markers));
        if (!xfailed || self.words.delay_certain)
            && !mixed
            && !quoted_reply
            && (s.signals || found.has_start)
            && notice::text_delayed(self.words)
            && !all_refused()
        {
            let mut named = named;
            for d in &found.delayed {
                if !named.contains(d) {
                    named.push(d.clone());
                }
            }
            return Some(BounceReport {
                original_message_id: self.original_message_id.clone(),
                ..self.notice(Kind::Delayed, named)
            });
        }
        None
    }
}

/// Whether the texts' own lines (not those a reply quotes with `>`) say
/// the delivery is delayed.
fn delay_said_unquoted(view: &mime::View, markers: &Markers) -> bool {
    let mut own = String::new();
    for t in &view.texts {
        for line in t.lines().filter(|l| !l.trim_start().starts_with('>')) {
            own.push_str(&line.to_lowercase());
            own.push(' ');
        }
    }
    notice::text_delayed(notice::wording(markers, &own))
}
