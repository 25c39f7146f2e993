//! The first strategy: RFC 3464 delivery-status fields, in their part or
//! in the text, each failed block classified with the text's paragraph
//! about its recipient.

use crate::classifier::{normalize, Evidence};
use crate::codes::find_reply_code;
use crate::notice;
use crate::report::{BounceReport, FailedRecipient, Kind};
use crate::text::squash;
use crate::verdict::{self, classify_texts};
use crate::{dsn, forwarded, leftover_kind, refusal, ErrorStatus};

use super::{text_receipt, Analysis};

impl Analysis<'_> {
    /// RFC 3464 delivery-status fields (the first strategy), in their part or in the text.
    pub(super) fn delivery_status(&self) -> Option<BounceReport> {
        let view = self.view;
        // A block naming no address (a pipe or file, or no recipient field):
        // the mailbox the text or `X-Failed-Recipients` names.
        let resolved = crate::dsn_stand_ins::resolved(
            &view.delivery_status,
            &view.texts,
            view.header("x-failed-recipients"),
        );
        let parts = resolved.as_deref().unwrap_or(&view.delivery_status);
        let mut dsn_rcpts = dsn::parse(parts, self.sent_at);
        if dsn_rcpts.is_empty() {
            dsn_rcpts = dsn::parse_in_texts(&view.texts, self.sent_at);
            if !dsn_rcpts.is_empty() && text_receipt(view, &self.found) {
                return Some(self.notice(leftover_kind(view, self.markers), Vec::new()));
            }
        }
        if dsn_rcpts.is_empty() {
            return None;
        }
        let (delayed, failed): (Vec<_>, Vec<_>) = dsn_rcpts
            .iter()
            .filter(|d| !dsn::is_success(d.action.as_deref()))
            .partition(|d| {
                notice::dsn_delayed(d)
                    || notice::dsn_undecided(d) && notice::text_delayed(self.words)
            });
        if failed.is_empty() {
            let mentioned: Vec<String> = delayed.iter().map(|d| d.recipient.clone()).collect();
            let kind = if mentioned.is_empty() {
                Kind::NotBounce
            } else {
                Kind::Delayed
            };
            return Some(BounceReport {
                original_message_id: self.original_message_id.clone(),
                ..self.notice(kind, mentioned)
            });
        }
        // A challenge or a filter notice dressed as a DSN: only a remote
        // server's quoted refusal makes it a failure, in the DSN's
        // `Diagnostic-Code` or in the recipient's own paragraph of the text
        // (a DSN whose fields say only `Status: 5.0.0`).
        if let Some(kind) = self.wording {
            let refused = |d: &&dsn::DsnRecipient| {
                d.diagnostic.as_deref().is_some_and(refusal)
                    || self
                        .found
                        .candidates
                        .iter()
                        .any(|c| c.recipient == d.recipient && refusal(&c.diagnostic))
            };
            if !failed.iter().any(refused) {
                let mentioned = failed.iter().map(|d| d.recipient.clone()).collect();
                return Some(self.notice(kind, mentioned));
            }
        }
        let single = failed.len() == 1;
        let mut recipients: Vec<FailedRecipient> = Vec::new();
        for d in &failed {
            // An alias expanded to several mailboxes (Kerio's "forwarded
            // to" members, each with its own cause): each member is a
            // recipient of its own, not the alias.
            let expanded = d.original.as_ref().is_some_and(|o| {
                failed
                    .iter()
                    .any(|e| e.original.as_ref() == Some(o) && e.recipient != d.recipient)
            });
            if !recipients.iter().any(|r| r.recipient == d.recipient) {
                let mut r = self.dsn_recipient(d, single, expanded);
                if single {
                    if let Some(smtp) = crate::trace::x500_stand_in(view, &r.recipient) {
                        r.recipient = smtp;
                    }
                }
                recipients.push(r);
            }
        }
        if let [r] = recipients.as_mut_slice() {
            if r.status == ErrorStatus::Other {
                if let Some(status) = self.wrapped_cause(&r.recipient) {
                    r.status = status;
                }
            }
        }
        Some(self.failure_report(Kind::Dsn, recipients))
    }

    /// A report naming no cause that returns another report (a forwarding
    /// service passing on its destination's bounce: "Diagnostic-Code:
    /// X-Forwarding; destination returned a delivery failure report (see
    /// attached)"): the attached report's one cause, for the same
    /// recipient; another recipient there is the forward's target, and
    /// the forward failed.
    fn wrapped_cause(&self, recipient: &str) -> Option<ErrorStatus> {
        if self.nested || self.view.attached_raw.is_empty() {
            return None;
        }
        let inner = crate::parse_at(self.cl, &self.view.attached_raw, true);
        let [r] = inner.recipients.as_slice() else {
            return None;
        };
        match r.status {
            ErrorStatus::Other => None,
            s if r.recipient == recipient => Some(s),
            _ => Some(ErrorStatus::ForwardingError),
        }
    }

    /// One failed DSN block, its status from its fields and the text's
    /// paragraph about it.
    fn dsn_recipient(
        &self,
        d: &dsn::DsnRecipient,
        single: bool,
        expanded: bool,
    ) -> FailedRecipient {
        let found = &self.found;
        let cand = found.candidates.iter().find(|c| c.recipient == d.recipient);
        let context = cand
            .map(|c| c.diagnostic.as_str())
            .or_else(|| found.candidates.first().map(|c| c.context.as_str()))
            .unwrap_or("");
        // Where the recipient has no text of its own, the block stands in:
        // with several recipients it holds the others' replies, whose codes
        // are not this one's (Sendmail's "r.chen" / "(reason: User
        // unknown)" in a block quoting 5.7.23 for another), and a specific
        // Status of its own says more.
        let specific = d
            .status
            .as_deref()
            .is_some_and(|s| !crate::cause_votes::class_open(Some(s)));
        let shared = !single && specific && cand.is_none_or(|c| c.own_text.is_empty());
        // Without a diagnostic field, the recipient's own words in the text
        // are its diagnostic; the paragraph read on from its address may
        // run into another's transcript.
        let diag = d.diagnostic.clone().unwrap_or_else(|| {
            if shared {
                String::new()
            } else {
                cand.map(|c| c.own_text.trim())
                    .filter(|t| !single && !t.is_empty())
                    .unwrap_or(context)
                    .to_string()
            }
        });
        // Nor is another recipient's paragraph read for a cause the Status
        // leaves open: "(reason: 550 Host unknown)" is the next address's.
        // With several recipients, one the text lists without words of its
        // own reads the whole block, which holds the others' replies: a
        // diagnostic of its own quoting a server's reply code is its word.
        // One reply for several recipients, each with its share ("a@x:
        // blocked,b@y:550 5.1.1 … User unknown"): its share is its word.
        let share = d
            .diagnostic
            .as_deref()
            .filter(|_| !single)
            .and_then(|t| crate::paragraph::reply_share(t, &d.recipient));
        let shown = diag.clone();
        let diag = match &share {
            Some(part) => format!(
                "{} {part}",
                find_reply_code(&diag).map_or(String::new(), |c| c.to_string())
            ),
            None => diag,
        };
        let mute = share.is_some()
            || !single
                && cand.is_some_and(|c| c.own_text.is_empty())
                && d.diagnostic
                    .as_deref()
                    .is_some_and(|t| find_reply_code(t).is_some());
        let context = if shared && cand.is_none() || mute {
            ""
        } else {
            context
        };
        let classify = |status: Option<&str>| {
            classify_texts(
                self.cl,
                status,
                &diag,
                context,
                cand.is_some(),
                d.diagnostic.as_deref(),
            )
        };
        // A Status translated from the reply code (`derived_from_reply`)
        // gives way to the reply's own words when they name a cause.
        let derived = d.status.as_deref().is_some_and(|s| {
            crate::codes::find_enhanced(&diag).is_none()
                && find_reply_code(&diag)
                    .is_some_and(|r| crate::codes::derived_from_reply(r, s.trim()))
        });
        let mut c = match derived.then(|| classify(None)) {
            Some(words) if words.evidence == Evidence::Cause => verdict::Classified {
                enh: d
                    .status
                    .as_deref()
                    .and_then(crate::codes::normalize_enhanced),
                ..words
            },
            _ => classify(d.status.as_deref()),
        };
        // A recipient block with no diagnostic and at most a generic
        // Status (or none, which RFC 3464 requires but some MTAs leave
        // out) says no more than "failed": the text may say why.
        if d.diagnostic.is_none() {
            c = verdict::cause_elsewhere(c, single, self.cl, self.view, self.markers, found);
        } else if single
            // One recipient whose permanent reply is refusal wording that
            // names no cause ("554 TRANSACTION FAILED"): the text's cause,
            // as the transcript's multi-line reply gives it (AOL's RLY:B1
            // "… blocked due to complaints from AOL members").
            && c.evidence == Evidence::Wording
            && find_reply_code(&diag).is_some_and(|r| r >= 500)
        {
            // From the recipient's first mention on: the text's preamble
            // above it is the same for every report of its system.
            let statement = found.statement.as_deref().unwrap_or(&found.head);
            let below = statement
                .find(d.recipient.as_str())
                .and_then(|at| statement.get(at..))
                .unwrap_or("");
            let told = classify_texts(self.cl, None, below, "", false, None);
            if told.evidence == Evidence::Cause {
                c.status = told.status;
                c.evidence = told.evidence;
            }
        }
        // The text's paragraph about the recipient tells the stage the DSN
        // field leaves out (Postfix: "… said: 553 <sender's domain> does not
        // exist (in reply to MAIL FROM command)"): the sender was refused.
        let recipient_side = matches!(
            c.status,
            ErrorStatus::UnknownHost
                | ErrorStatus::UnknownUser
                | ErrorStatus::AddressFormat
                | ErrorStatus::ForwardingError
        );
        // Or that the refusal came after the message was sent ("(in reply
        // to end of DATA command)"): a bare code's unknown user refused the
        // message, not a mailbox.
        if let Some(own) = cand.filter(|c| recipient_side && !c.own_text.is_empty()) {
            let norm = normalize(&own.own_text);
            c.status = crate::subject::sender_stage(&norm, c.enh.as_deref(), c.status);
            c.status = crate::subject::data_stage(&norm, c.enh.as_deref(), c.status, c.evidence);
        }
        let own = d
            .diagnostic
            .as_deref()
            .or(cand.map(|c| c.own_text.as_str()).filter(|t| !t.is_empty()));
        let mut c = verdict::loose_cause(c, own);
        // The block's diagnostic or the recipient's own paragraph says the
        // retries ran out (Exim's "retry timeout exceeded" under its rate-
        // limited 451): the queue lifetime is over, whatever dates the
        // report keeps (a report without its returned copy has none).
        c.gave_up = [d.diagnostic.as_deref(), cand.map(|c| c.own_text.as_str())]
            .into_iter()
            .flatten()
            .any(|t| crate::markers::any_in(&self.markers.gave_up, &t.to_lowercase()));
        let mut status = c.after(|| d.queued_secs.or_else(|| self.stated_period()));
        // The retries ran out, and the text's paragraph about the recipient
        // gives the last attempt's cause (Exchange: "550 4.4.7
        // QUEUE.Expired" in the DSN, "… blocked using zen…" under
        // "Diagnostic information for administrators"): that cause is why.
        if status == ErrorStatus::ResendTimeout {
            if let Some(own) = cand.filter(|c| !c.own_text.is_empty()) {
                // Without the expiry itself, which the text quotes too.
                // (In any case: a text in capitals quotes the same reply.)
                let expiry = squash(d.diagnostic.as_deref().unwrap_or(""));
                let expiry = match expiry.get(..5) {
                    Some(p) if p.eq_ignore_ascii_case("smtp;") => expiry.get(5..).unwrap_or(""),
                    _ => expiry.as_str(),
                };
                let rest = crate::text::replace_ci(&own.own_text, expiry.trim(), " ");
                let (last, evidence) = self.cl.classify_evidence(None, None, &rest);
                // A network or routing code (X.4.x: "451 4.4.0 … Connection
                // dropped"), the last attempt's beside the expiry's own
                // X.4.7, is the trouble the retries were about.
                let attempts = own.own_text.replace("4.4.7", " ").replace("5.4.7", " ");
                let network = crate::codes::find_enhanced(&rest)
                    .or_else(|| crate::codes::find_enhanced(&attempts))
                    .is_some_and(|e| e.get(1..3) == Some(".4"));
                if evidence == Evidence::Cause
                    && !network
                    && !matches!(
                        last,
                        ErrorStatus::ReceiverError
                            | ErrorStatus::Other
                            | ErrorStatus::ResendTimeout
                    )
                {
                    status = last;
                }
            }
        }
        // The diagnostic is another mailbox's reply (it quotes an address
        // that is not the recipient's: the forward target's), and the text
        // says the recipient's forward failed (its own paragraph, or the
        // whole report of one recipient): a forwarding error, not the
        // target's unknown user on a working address.
        let others = || {
            let quoted = crate::text::find_addresses(d.diagnostic.as_deref().unwrap_or(""));
            !quoted.is_empty()
                && quoted
                    .iter()
                    .all(|f| crate::text::canonical(f.addr) != d.recipient)
        };
        let told = cand
            .map(|c| c.diagnostic.as_str())
            .or(single.then_some(found.head.as_str()))
            .unwrap_or("");
        // Exim names the mailbox that redirected below the target it
        // tried ("  b@home.example" / "    (generated from a@x)"), and its
        // DSN block gives that mailbox with the target's reply.
        let redirected = || {
            let from = format!("generated from {})", d.recipient);
            found.head.to_lowercase().contains(&from)
        };
        if forwarded::target_side(status)
            && others()
            && (forwarded::mentions_forward(&found.head)
                && (forwarded::forward_failed(&normalize(told))
                    || single && forwarded::forward_failed(&normalize(&found.head)))
                || redirected())
        {
            status = ErrorStatus::ForwardingError;
        }
        // The DSN's Final-Recipient is the forward target the text names
        // as such ("転送先 : b@x", "Forwarded to: b@x"), its
        // Original-Recipient the mailbox that forwards: that mailbox is
        // ours, and its forward failed.
        let mut recipient = d.recipient.clone();
        if let Some(asked) = d.original.as_ref().filter(|o| **o != d.recipient) {
            if forwarded::target_side(status) && !expanded && self.forward_target(&d.recipient) {
                recipient.clone_from(asked);
                status = ErrorStatus::ForwardingError;
            }
        }
        FailedRecipient {
            recipient,
            original_recipient: d.original.clone(),
            status,
            smtp_status: c.reply,
            enhanced_status: c.enh,
            diagnostic: squash(&shown),
            reporting_mta: d.reporting_mta.clone().or_else(|| d.remote_mta.clone()),
            action: d.action.clone(),
        }
    }

    /// Whether the text names `addr` as a forward target (`[forward-target]`
    /// labels).
    fn forward_target(&self, addr: &str) -> bool {
        self.view.texts.iter().any(|t| {
            t.lines().any(|l| {
                l.contains('@')
                    && crate::expanded::forward_targets(&l.to_lowercase(), self.markers)
                        .iter()
                        .any(|a| a == addr)
            })
        })
    }
}
