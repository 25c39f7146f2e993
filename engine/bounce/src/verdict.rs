//! The error status of one failed recipient from its texts: the diagnostic
//! (a DSN's `Diagnostic-Code` or the recipient's paragraph) first, more of
//! the recipient's text when that names no cause, and the resend-timeout
//! verdict for a failure whose every answer was transient and whose message
//! outlived a queue lifetime ([`Classified::after`]).

use crate::cause_votes::CauseVotes;
use crate::codes::{self, find_enhanced, find_reply_code, normalize_enhanced};
use crate::markers::Markers;
use crate::mime::View;
use crate::sendmail_summary::without_guess;
use crate::text::squash;
use crate::{detect, nonstd, Classifier, ErrorStatus, Evidence, FailedRecipient};

/// Classifies a diagnostic, retrying on more text when the recipient's own
/// paragraph carries no specific evidence: on `context` when only a code
/// decided; when only refusal wording decided ("Recipient address
/// rejected."), on `context` only if it is this recipient's own text
/// (`own_context`, the human-readable paragraph beside a DSN field), never
/// on a block that also holds other recipients' causes. Where the
/// recipient's own words (`own`: its own paragraphs, or its DSN
/// diagnostic) vote for a cause ([`CauseVotes`]), that cause stands and the
/// block is not read: a block holding several recipients' replies ("… 550
/// message expired in the queue" below) would give this one another's
/// cause.
pub(crate) fn classify_texts(
    cl: &Classifier,
    enhanced: Option<&str>,
    diag: &str,
    context: &str,
    own_context: bool,
    own: Option<&str>,
) -> Classified {
    // Sendmail's guess below a remote reply is no evidence of its own.
    let diag = &*without_guess(diag);
    let reply = find_reply_code(diag);
    // The code inside the diagnostic is the remote server's own word and
    // wins over the summarising DSN Status field, unless it is generic.
    let mut enh = enhanced.and_then(normalize_enhanced);
    if let Some(found) = find_enhanced(diag) {
        if enh
            .as_deref()
            .is_none_or(|e| codes::specificity(&found) >= codes::specificity(e))
        {
            enh = Some(found);
        }
    }
    let (mut status, mut evidence) = cl.classify_evidence(reply, enh.as_deref(), diag);
    let voted = own
        .filter(|_| evidence != Evidence::Cause)
        .and_then(|t| CauseVotes::builtin().verdict(t, enh.as_deref()));
    if let Some(voted) = voted.filter(|&v| v != status) {
        return Classified {
            status: voted,
            evidence,
            reply,
            enh,
            transient_words: false,
            gave_up: false,
            tls: false,
            time_bound: false,
        };
    }
    // A specific enhanced code of the recipient's own (`5.2.1` mailbox
    // disabled: subject and detail both named, a recipient's class) is its
    // server's word (Office 365's 5.1.10 maps to no such class); a
    // block holding other recipients' replies would give it theirs
    // ("… over quota (#5.2.2)" beside "… administratively disabled
    // (#5.2.1)"). Its own paragraph (`own_context`) is still read.
    let specific_own = enh.as_deref().is_some_and(|e| {
        find_enhanced(diag).as_deref() == Some(e)
            && codes::specificity(e) == 2
            && codes::map_enhanced(e)
                .is_some_and(|(s, _)| !matches!(s, ErrorStatus::ReceiverError | ErrorStatus::Other))
    });
    let retry = match evidence {
        Evidence::Cause => false,
        Evidence::Wording => own_context,
        Evidence::Code => own_context || !specific_own,
    };
    // The text whose words decided the status.
    let mut decided_by = diag;
    if retry && !context.is_empty() && context != diag {
        let guessless = without_guess(context);
        let (s2, evidence2) = cl.classify_evidence(
            reply.or_else(|| find_reply_code(&guessless)),
            enh.as_deref(),
            &guessless,
        );
        // Generic wording elsewhere in the block ("554 5.0.0 Service
        // unavailable", Sendmail's own summary below every transcript) says
        // less than a code in the recipient's own paragraph: it fills in
        // only where that paragraph has no code at all.
        let codeless = reply.is_none() && enh.is_none();
        if evidence2 == Evidence::Cause
            || evidence == Evidence::Code && evidence2 != evidence && codeless
        {
            status = s2;
            evidence = evidence2;
            decided_by = context;
        }
    }
    // A TLS failure names the receiver's trouble precisely (the shared
    // corpus's `failedstarttls`): no failing server in general. So does a
    // DANE policy's missing DNSSEC ("non DNSSEC destination").
    let tls = status == ErrorStatus::ReceiverError && evidence == Evidence::Cause && {
        let low = diag.to_ascii_lowercase();
        low.contains("tls") || low.contains("dnssec")
    };
    // A refusal of the kind that lasts only for a time (a rate limit,
    // greylisting): the retries' end may name the outcome instead.
    // Asked only where a code is transient and none permanent: a permanent
    // refusal never ends as a timeout, and a rate limit is answered with a
    // 4xx code.
    let transient_only =
        (reply.is_some() || enh.is_some()) && no_permanent_code(reply, enh.as_deref());
    let time_bound = status == ErrorStatus::Rejected
        && evidence == Evidence::Cause
        && transient_only
        && crate::markers::any_in(
            &Markers::builtin().time_bound,
            &decided_by.to_ascii_lowercase(),
        );
    Classified {
        status,
        evidence,
        reply,
        enh,
        transient_words: false,
        gave_up: false,
        tls,
        time_bound,
    }
}

/// A recipient's verdict when its own text named no cause (status "other",
/// decided by a code or by nothing): with one recipient, a cause named
/// above its block's start sentence (CompuServe: "Receiver not found:
/// <id>" / "Your message could not be delivered as addressed."; Road
/// Runner's reason line above the address), only a named cause; then a mail
/// system's subject (Sendmail's "Returned mail: User unknown", Dovecot's
/// "Automatically rejected mail" over empty text parts).
pub(crate) fn cause_elsewhere(
    k: Classified,
    single: bool,
    cl: &Classifier,
    view: &View,
    markers: &Markers,
    found: &nonstd::Found,
) -> Classified {
    if k.status != ErrorStatus::Other || k.evidence != Evidence::Code {
        return k;
    }
    if single {
        let statement = found.statement.as_deref().unwrap_or(&found.head);
        let above = classify_texts(cl, None, statement, "", false, None);
        if above.evidence == Evidence::Cause {
            return above;
        }
    }
    if !detect::forwarded_subject(&view.subject.to_lowercase(), markers) {
        let said = classify_texts(cl, None, &view.subject, "", false, None);
        if said.evidence != Evidence::Code {
            return said;
        }
    }
    k
}

/// A recipient's verdict that still rests on a code, on refusal wording
/// that names no cause ("Recipient address rejected: the mailbox has hit
/// its storage cap") or on nothing after [`cause_elsewhere`] takes the
/// cause its own words vote for ([`CauseVotes::verdict`]: "storage",
/// "junk", "syntax"), the last resort; not where an enhanced code names
/// the class of the trouble. The evidence stays what it was, so a queue
/// period can still end the retries.
pub(crate) fn loose_cause(k: Classified, own: Option<&str>) -> Classified {
    if k.evidence == Evidence::Cause {
        return k;
    }
    match own.and_then(|t| CauseVotes::builtin().verdict(t, k.enh.as_deref())) {
        Some(status) => Classified { status, ..k },
        None => k,
    }
}

/// What [`classify_texts`] decided, and on what evidence.
pub(crate) struct Classified {
    pub(crate) status: ErrorStatus,
    pub(crate) evidence: Evidence,
    pub(crate) reply: Option<u16>,
    pub(crate) enh: Option<String>,
    /// No code, and the text calls the failure transient
    /// (`data/markers.txt` `[transient]`); set by the caller.
    pub(crate) transient_words: bool,
    /// The receiver's trouble is its TLS (a handshake that failed, a
    /// certificate refused): a cause of its own, which the retries' end
    /// does not replace.
    pub(crate) tls: bool,
    /// The MTA says it gave up because its queue lifetime ran out
    /// (`[gave-up]`: Sendmail's "Message will be deleted from queue", the
    /// text its DSN's 4.4.7 stands for); set by the caller.
    pub(crate) gave_up: bool,
    /// The cause is a refusal that lasts only for a time (`[time-bound]`:
    /// a rate limit, too many connections, greylisting): retried until the
    /// queue gave up, its outcome is the resend timeout.
    pub(crate) time_bound: bool,
}

/// No code given is permanent: the reply (if any) is 4xx and the enhanced
/// code (if any) 4.x.x. A failure answered so may end as the resend timeout.
pub(crate) fn no_permanent_code(reply: Option<u16>, enh: Option<&str>) -> bool {
    reply.is_none_or(|c| (400..500).contains(&c)) && enh.is_none_or(|e| e.starts_with('4'))
}

/// How long an MTA must have kept a message before a transient refusal
/// counts as its queue lifetime running out. Shipped lifetimes are days
/// (Postfix and Sendmail 5 days, Exim's default retry rule 4 days, Exchange
/// 2 days); one day leaves room for shortened ones while a refusal reported
/// within minutes of arrival is never read as a timeout.
pub(crate) const QUEUE_LIFETIME_SECS: i64 = 24 * 3600;

impl Classified {
    /// No cause more specific than a failing server or "other": the
    /// retries' end may name the status instead.
    pub(crate) fn generic(&self) -> bool {
        matches!(self.status, ErrorStatus::ReceiverError | ErrorStatus::Other) && !self.tls
            || self.evidence == Evidence::Code
    }

    /// A final failure whose only codes are transient (4xx, 4.x.x) and whose
    /// DSN shows the message queued for days (`Arrival-Date` to
    /// `Last-Attempt-Date` or the report's `Date:`) was retried until the MTA
    /// gave up (Postfix `Action: failed` with `451 … try later` after its queue
    /// lifetime): the verdict is the resend timeout. Without a DSN the period
    /// comes from the report's words or the returned copy's trace
    /// ([`retry_period`]). A cause named by the text or by a specific code
    /// (mailbox full 4.2.2, "host not found") is kept; the generic verdicts (a
    /// failing server, other) give way, and so does a verdict read from the
    /// transient code alone (4.4.4 "unable to route", 4.7.1 with no words):
    /// the code is only the last of the retries' answers. A refusal that
    /// lasts only for a time (a rate limit, greylisting: `time_bound`)
    /// gives way too: the sender was asked to come back later, and ran out
    /// of time. `queued_secs` is asked only for a verdict that could give
    /// way.
    pub(crate) fn after(&self, queued_secs: impl FnOnce() -> Option<i64>) -> ErrorStatus {
        // Without any code, the MTA's own word for a soft failure (Postfix
        // "temporary failure", Sendmail "Deferred:") says the same.
        // A giving-up sentence says both: the failures were transient, and
        // the queue lifetime ran out.
        let any =
            self.reply.is_some() || self.enh.is_some() || self.transient_words || self.gave_up;
        let all = no_permanent_code(self.reply, self.enh.as_deref());
        let generic = self.generic() || self.time_bound;
        if any
            && all
            && generic
            && (self.gave_up || queued_secs().is_some_and(|s| s >= QUEUE_LIFETIME_SECS))
        {
            ErrorStatus::ResendTimeout
        } else {
            self.status
        }
    }
}

/// A JSON notification's failed recipient (Amazon SES/SNS): its status
/// and reply as a DSN block's are classified, the words' vote included.
pub(crate) fn json_failed(
    cl: &Classifier,
    j: &crate::json_notice::JsonRecipient,
) -> FailedRecipient {
    let diag = squash(j.diagnostic.trim_start_matches("smtp;").trim());
    // No block around it to read: the own words' vote in `classify_texts`
    // is the last resort too.
    let c = classify_texts(cl, j.status.as_deref(), &diag, "", false, Some(&diag));
    FailedRecipient {
        recipient: j.recipient.clone(),
        original_recipient: None,
        status: c.status,
        smtp_status: c.reply,
        enhanced_status: c.enh,
        diagnostic: diag,
        reporting_mta: j.reporting_mta.clone(),
        action: j.action.clone(),
    }
}
