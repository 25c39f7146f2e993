//! Recognising what a message is before extracting failures: abuse reports
//! (RFC 5965), auto-replies (RFC 3834) and bounce signals in the headers.

use crate::markers::{any_in, Markers};
use crate::mime::View;
use crate::text::contains_ci;

/// RFC 5965 feedback report: by report type, by part, or by its fields
/// quoted in the text (forwarded reports).
pub fn is_feedback(view: &View) -> bool {
    if view.report_type.as_deref() == Some("feedback-report") || view.has_feedback_part {
        return true;
    }
    // Hotmail/Outlook JMRP: no ARF part, the complained-about message is
    // attached with the complainant in `X-HmXmrOriginalRecipient`.
    // A field of the attached message's own header block: its body (the
    // returned mail, often most of the report) is not read.
    let head = header_block(&view.attached_raw);
    if contains_ci(head, b"x-hmxmroriginalrecipient:")
        && has_header_line(head, b"x-hmxmroriginalrecipient:")
    {
        return true;
    }
    // A feedback loop's notice from before ARF (AOL's "Client TOS
    // Notification": "This is an email abuse report for an email message …
    // reported as spam by pressing the \"Report Spam\" button"), the
    // complained-about message attached.
    if view.has_attached_original
        && view.delivery_status.is_empty()
        && view.texts.iter().any(|t| {
            let b = t.as_bytes();
            contains_ci(b, b"abuse report")
                && (contains_ci(b, b"reported as spam") || contains_ci(b, b"report spam"))
        })
    {
        return true;
    }
    // Only texts holding the field name anywhere can hold it on a line.
    view.texts.iter().any(|t| {
        contains_ci(t.as_bytes(), b"feedback-type:")
            && crate::text::lines(t).any(|l| {
                let l = l.trim_start().as_bytes();
                l.len() > 14
                    && l.get(..14)
                        .is_some_and(|p| p.eq_ignore_ascii_case(b"feedback-type:"))
            })
    })
}

/// A message's header block: up to its first empty line.
fn header_block(raw: &[u8]) -> &[u8] {
    let end = raw
        .windows(2)
        .position(|w| w == b"\n\n")
        .map_or(raw.len(), |p| p + 1);
    raw.get(..end).unwrap_or(raw)
}

/// Whether a line of `raw` starts with `name` (lower case, with colon).
fn has_header_line(raw: &[u8], name: &[u8]) -> bool {
    crate::text::split_lf(raw).any(|l| {
        l.get(..name.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(name))
    })
}

/// Auto-reply wording in the body ("I am out of the office"), for messages
/// that carry no header or subject saying so. Only ever turns a message with
/// no bounce evidence into an auto-reply.
/// Lines are joined first: a sentence wraps anywhere ("I will have limited
/// / access to email while I am away").
pub fn autoreply_body(view: &View, markers: &Markers) -> bool {
    view.texts.iter().any(|t| {
        let joined = t.split_whitespace().collect::<Vec<_>>().join(" ");
        any_in(
            &markers.autoreply_body,
            &plain_apostrophes(&joined.to_lowercase()),
        )
    })
}

/// Typographic apostrophes (`I’m`, as mail clients type them) as the ASCII
/// one the marker tables use.
fn plain_apostrophes(s: &str) -> String {
    s.replace('\u{2019}', "'")
}

/// The sender as the `[bounce-from]` markers see it: the display name and
/// the address's local part with its `@`, not the domain. Mailing services
/// send newsletters from return-path domains such as `bounce.example.com`;
/// the domain says where bounces should go, not that the message is one.
fn sender_words(view: &View) -> String {
    let local = match view.from_addr.split_once('@') {
        Some((local, _)) => format!("{local}@"),
        None => view.from_addr.clone(),
    };
    format!("{} {local}", view.from_name.to_lowercase())
}

/// Headers and From/Subject say "this is a bounce".
pub fn bounce_signals(view: &View, markers: &Markers) -> bool {
    let from = sender_words(view);
    view.header("x-failed-recipients").is_some()
        || view.report_type.as_deref() == Some("delivery-status")
        || any_in(&markers.bounce_from, &from)
        || bounce_subject(view, markers)
}

/// The first text opens with an MTA template's fixed sentence ("Hi. This is
/// the qmail-send program at …", "This message was created automatically by
/// mail delivery software."), after at most two lines saying the message is
/// automatic ("Dies ist eine automatisch erstellte Nachricht."): a mail
/// system wrote it, whatever its From and Subject say (a relay rewriting the
/// sender, a subject lost). A person citing such a sentence writes something
/// of their own before it ("You may see this during the move:"), or quotes it.
pub fn template_opens_text(view: &View, markers: &Markers) -> bool {
    let Some(text) = view.texts.first() else {
        return false;
    };
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(3)
    {
        let lower = line.to_lowercase();
        if any_in(&markers.template, &lower) {
            return true;
        }
        if !any_in(&markers.automatic, &lower) {
            return false;
        }
    }
    false
}

/// The sender is a mail system (`MAILER-DAEMON`, `postmaster`, "Mail
/// Delivery System"), which vacation programs never are.
pub fn from_mail_system(view: &View, markers: &Markers) -> bool {
    any_in(&markers.bounce_from, &sender_words(view))
}

/// The `From:` field holds the null address (`From: <>`, a display name
/// and `<>`): only a mail system writes the envelope's null sender into the
/// header; a person's or a vacation program's mail is from a mailbox.
pub fn null_from(view: &View) -> bool {
    view.header("from")
        .is_some_and(|f| f.trim_end().ends_with("<>"))
}

/// Subject-level bounce signal only, to tell "Undeliverable: Automatic reply"
/// (a bounce) from "Automatic reply" (an auto-reply).
pub fn bounce_subject(view: &View, markers: &Markers) -> bool {
    let subject = plain_apostrophes(&view.subject.to_lowercase());
    !forwarded_subject(&subject, markers)
        && !autoreply_subject_prefix(&subject, markers)
        && any_in(&markers.bounce_subject, &subject)
}

/// The subject opens with an auto-reply's prefix ("Automatic reply: …",
/// "Out of Office AutoReply: …", "Auto: …"): what follows is the answered
/// message's own subject, which may well have been about a bounce.
fn autoreply_subject_prefix(lower_subject: &str, markers: &Markers) -> bool {
    let lead = untagged(lower_subject);
    let Some(colon) = lead.find([':', '：']) else {
        return false;
    };
    // With its colon: "auto:" is a marker of its own.
    let head = format!("{}:", lead.get(..colon).unwrap_or(""));
    head.len() <= MAX_PREFIX_BYTES && any_in(&markers.autoreply_subject, &head)
}

/// The longest prefix an auto-reply puts before the subject it answers.
const MAX_PREFIX_BYTES: usize = 40;

/// The one address a report's own subject names ("Delivery failure to
/// jdoe@dest.example", "Undeliverable mail: jdoe@dest.example"), for a
/// report whose text names none. Not after a forward's or a returned
/// subject's prefix (that is the sender's text), and not the report's own
/// addressee or sender.
pub fn subject_recipient(view: &View, markers: &Markers) -> Vec<String> {
    let lower = view.subject.to_lowercase();
    if forwarded_subject(&lower, markers)
        || report_subject_prefix(&lower, markers).is_some_and(|p| !address_after(view, &lower, p))
    {
        return Vec::new();
    }
    let mut found: Vec<String> = crate::text::find_addresses(&view.subject)
        .iter()
        .map(|f| crate::text::canonical(f.addr))
        .filter(|a| !view.to.contains(a) && *a != view.from_addr)
        .collect();
    found.sort();
    found.dedup();
    if found.len() == 1 {
        found
    } else {
        Vec::new()
    }
}

/// After a report's prefix, an address and nothing else ("Undeliverable:
/// ken@x.example") that is not the returned message's own subject: the
/// report names its recipient there, as "Undeliverable mail: a@x" does.
fn address_after(view: &View, lower_subject: &str, prefix: &str) -> bool {
    let Some(rest) = untagged(lower_subject).get(prefix.len()..) else {
        return false;
    };
    let rest = rest.trim().trim_start_matches('<').trim_end_matches('>');
    let found = crate::text::find_addresses(rest);
    let whole = found.len() == 1 && found.first().is_some_and(|f| f.addr.len() == rest.len());
    whole
        && !view.original.headers.iter().any(|h| {
            String::from_utf8_lossy(h).lines().any(|l| {
                l.get(..8)
                    .is_some_and(|k| k.eq_ignore_ascii_case("subject:"))
                    && l.get(8..)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(rest))
            })
        })
}

/// Whether a lower-cased subject opens with a forward's prefix ("Fwd:",
/// "[Fwd: …]", "WG:"): the rest is the forwarded message's subject, the
/// sender's text, which says nothing about this message.
pub fn forwarded_subject(lower_subject: &str, markers: &Markers) -> bool {
    let lead = untagged(lower_subject).trim_start_matches('[');
    markers
        .forward_subject_prefix
        .iter()
        .any(|p| lead.starts_with(p.as_str()))
}

/// The `[original-subject-prefix]` a report's subject opens with
/// ("undeliverable:", "non-delivery:"), given the lower-cased subject: what
/// follows it is the returned message's own subject.
pub fn report_subject_prefix<'m>(lower_subject: &str, markers: &'m Markers) -> Option<&'m str> {
    let lead = untagged(lower_subject);
    markers
        .original_subject_prefix
        .iter()
        .find(|p| lead.starts_with(p.as_str()))
        .map(String::as_str)
}

/// A subject without the tags gateways put before it on the way in
/// ("[EXTERNAL] ", "[SPAM] ", "***SPAM*** "): a bracketed word with no colon
/// in it (not "[Fwd: …]"), or a word between runs of stars.
fn untagged(subject: &str) -> &str {
    let mut s = subject.trim_start();
    loop {
        let rest = if let Some(inner) = s.strip_prefix('[') {
            inner
                .find(']')
                .filter(|&e| e <= 40 && !inner.get(..e).unwrap_or(":").contains(':'))
                .and_then(|e| inner.get(e + 1..))
        } else if let Some(inner) = s.strip_prefix("***") {
            inner
                .find("***")
                .filter(|&e| e <= 30)
                .and_then(|e| inner.get(e + 3..))
        } else {
            None
        };
        match rest {
            Some(r) => s = r.trim_start(),
            None => return s,
        }
    }
}

/// A message disposition notification (RFC 8098) saying the message was
/// shown, passed on or processed — a read receipt, from a person's client
/// or a mail system alike: it reports a delivery, no failure. ("deleted",
/// which Dovecot's Sieve sends for a rejection, is left to the rest.)
pub fn is_receipt(disposition: Option<&str>) -> bool {
    disposition.is_some_and(|d| {
        // "action-mode/sending-mode; type/modifier" (RFC 2298's "type/
        // modifier" too: "displayed/error" reports an error).
        let kind = d.rsplit(';').next().unwrap_or("").trim();
        let (ty, modifier) = kind.split_once('/').unwrap_or((kind, ""));
        matches!(ty.trim(), "displayed" | "dispatched" | "processed")
            && !matches!(modifier.trim(), "error" | "failed" | "failure")
    })
}

/// The value of a `Disposition:` field opening a line of `head` (lower
/// case) that also holds another RFC 8098 field: MDN fields in a text.
pub fn text_disposition(head: &str) -> Option<&str> {
    // Built once: a searcher's set-up costs more than most searches.
    static FIELD: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
    let at = FIELD
        .get_or_init(|| memchr::memmem::Finder::new(b"\ndisposition:"))
        .find(head.as_bytes())?;
    if !["reporting-ua:", "final-recipient:", "original-message-id:"]
        .iter()
        .any(|f| head.contains(f))
    {
        return None;
    }
    let rest = head.get(at + "\ndisposition:".len()..)?;
    Some(rest.split('\n').next().unwrap_or("").trim())
}

/// `Auto-Submitted: auto-replied` — many MTAs also put it on bounces, so it
/// only decides when no bounce evidence is found.
///
/// Dovecot's Sieve and LDA mark their rejection notices (an MDN saying the
/// recipient's system refused the message) `auto-replied (rejected)`: that
/// comment makes it a refusal, not a vacation note.
pub fn auto_replied_header(view: &View) -> bool {
    view.header("auto-submitted").is_some_and(|v| {
        let v = v.trim().to_ascii_lowercase();
        v.starts_with("auto-replied") && !v.contains("(rejected)")
    })
}

/// RFC 3834's `Auto-Submitted` with any value but `no`: sent by a program.
pub fn auto_submitted_header(view: &View) -> bool {
    view.header("auto-submitted")
        .is_some_and(|v| !v.trim().eq_ignore_ascii_case("no"))
}

/// Strong auto-reply evidence: vendor headers or a vacation subject.
pub fn is_autoreply(view: &View, markers: &Markers) -> bool {
    let vendor = [
        "x-autoreply",
        "x-autorespond",
        "x-autoresponder",
        "x-mail-autoreply",
        "x-amazon-auto-reply",
    ]
    .iter()
    .any(|h| view.header(h).is_some());
    // `Precedence: auto_reply` (and its `X-` spelling); `X-Autogenerated:
    // Reply`, as helpdesks (osTicket) know them from old clients.
    let precedence = ["precedence", "x-precedence"].iter().any(|h| {
        view.header(h)
            .is_some_and(|p| p.to_ascii_lowercase().contains("auto_reply"))
    });
    let autogenerated = view
        .header("x-autogenerated")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("reply"));
    vendor
        || precedence
        || autogenerated
        || any_in(
            &markers.autoreply_subject,
            &plain_apostrophes(&view.subject.to_lowercase()),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipts_by_disposition_type() {
        for d in [
            "manual-action/mdn-sent-manually; displayed",
            "automatic-action/mdn-sent-automatically; processed",
            "automatic-action/mdn-sent-automatically;dispatched",
        ] {
            assert!(is_receipt(Some(d)), "{d}");
        }
        for d in [
            // Sieve's rejection, a user's deletion: left to the rest.
            "automatic-action/mdn-sent-automatically; deleted",
            "manual-action/mdn-sent-manually; deleted",
            // RFC 2298's modifiers: the disposition itself failed.
            "automatic-action/mdn-sent-automatically; displayed/error",
            "manual-action/mdn-sent-manually; processed/failed",
        ] {
            assert!(!is_receipt(Some(d)), "{d}");
        }
        assert!(!is_receipt(None));
    }

    #[test]
    fn gateway_tags_are_not_the_subject() {
        assert_eq!(untagged("[external] undeliverable: x"), "undeliverable: x");
        assert_eq!(
            untagged("***spam*** [ext] non-delivery: x"),
            "non-delivery: x"
        );
        // A forward in brackets and an unclosed bracket stay.
        assert_eq!(
            untagged("[fwd: undeliverable: x]"),
            "[fwd: undeliverable: x]"
        );
        assert_eq!(untagged("[no end undeliverable"), "[no end undeliverable");
        let m = Markers::builtin();
        assert_eq!(
            report_subject_prefix("[external] undeliverable: your order", m),
            Some("undeliverable:")
        );
        assert!(forwarded_subject("[ext] fwd: returned mail", m));
    }
}
