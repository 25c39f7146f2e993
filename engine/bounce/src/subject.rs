//! Whose cause a reply names: the recipient's domain, the recipient, or
//! the sender. The phrase table says what went wrong ("does not exist",
//! "not found"); the words before the phrase, the SMTP stage and a few codes
//! say of whom, and a cause that is the sender's is the receiver refusing
//! us (a rejection), whatever it would mean of the recipient.

use crate::status::ErrorStatus;

/// A generic "does not exist" / "not found" whose subject is a bare host
/// name (`553 mx.example.com does not exist`) is about the domain.
pub(crate) fn domain_subject(
    norm: &str,
    start: usize,
    weak: bool,
    status: ErrorStatus,
) -> ErrorStatus {
    if !(weak && status == ErrorStatus::UnknownUser) {
        return status;
    }
    let before = norm.get(..start).unwrap_or("").trim_end();
    let word = before.rsplit(' ').next().unwrap_or("");
    let word = word.trim_matches(|c: char| matches!(c, '"' | '\'' | '(' | ')' | ':' | ','));
    let host = word.contains('.')
        && !word.starts_with('.')
        && !word.ends_with('.')
        && word.chars().any(|c| c.is_ascii_alphabetic())
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    // "d.okafor wasn't found at example.net": the words name the domain
    // after them, so the dotted word before is the mailbox's name.
    let after = norm.get(start..).unwrap_or("");
    let mailbox_at_domain = after.split_once(" at ").is_some_and(|(phrase, rest)| {
        phrase.len() <= 24
            && rest
                .split(' ')
                .next()
                .is_some_and(|w| w.trim_end_matches(['.', ',', ';']).contains('.'))
    });
    if host && !mailbox_at_domain {
        ErrorStatus::UnknownHost
    } else {
        status
    }
}

/// A cause whose subject is the sender ("sender host not found", "sender's
/// domain unknown", "Sender address refused: Domain not found" is left to
/// [`sender_stage`]) is the receiver refusing us: recipient-side statuses
/// become a rejection, as at the sender stage.
pub(crate) fn sender_subject(norm: &str, start: usize, status: ErrorStatus) -> ErrorStatus {
    use ErrorStatus::*;
    if !matches!(status, UnknownHost | UnknownUser | AddressFormat) {
        return status;
    }
    let sender = |w: &str| matches!(w, "sender" | "sender's" | "sender\u{2019}s" | "senders");
    let mut before = norm.get(..start).unwrap_or("").trim_end().rsplit(' ');
    let mut last = before.next().unwrap_or("");
    // "Sender domain has no valid MX": a verb between subject and cause.
    if matches!(last, "has" | "have" | "is" | "was" | "does") {
        last = before.next().unwrap_or("");
    }
    // "sender host not found"; "sender domain no longer exists".
    let about_sender = sender(last)
        || matches!(last, "domain" | "host" | "hostname" | "address")
            && before.next().is_some_and(sender);
    if about_sender {
        Rejected
    } else {
        status
    }
}

/// A bare code's unknown user, given after the message was sent (`DATA`),
/// names no mailbox: every recipient had been taken, so the message was
/// refused ("after end of data: 550 Header value not allowed"). A cause in
/// words, or an enhanced code naming a class, still stands. Not so over
/// LMTP (RFC 2033) or with PRDR: their replies after the data are one per
/// recipient ("LMTP error after end of data: 550 …"), each that mailbox's.
pub(crate) fn data_stage(
    norm: &str,
    enhanced: Option<&str>,
    status: ErrorStatus,
    evidence: crate::classifier::Evidence,
) -> ErrorStatus {
    let open = enhanced.is_none_or(|e| e.ends_with(".0.0"));
    if status == ErrorStatus::UnknownUser
        && evidence != crate::classifier::Evidence::Cause
        && open
        && crate::markers::any_in(&crate::markers::Markers::builtin().data_stage, norm)
        && !per_recipient_after_data(norm)
    {
        ErrorStatus::Rejected
    } else {
        status
    }
}

/// A reply given over LMTP or under PRDR, whose answers after the data are
/// per recipient.
fn per_recipient_after_data(norm: &str) -> bool {
    norm.split(|c: char| !c.is_ascii_alphanumeric())
        .any(|w| w == "lmtp" || w == "prdr")
}

/// A failure reported after `MAIL FROM` concerns the sender, not the
/// recipient: "no such domain" or "user unknown" there mean that the
/// receiver refused us, so recipient-side statuses become a rejection.
pub(crate) fn sender_stage(norm: &str, enhanced: Option<&str>, status: ErrorStatus) -> ErrorStatus {
    use ErrorStatus::*;
    // RFC 3463's X.1.7 and X.1.8 are the sender's address and system ("553
    // 5.1.8 Domain does not exist: <sender>"): what does not exist is ours.
    let sender_code = enhanced.is_some_and(|e| e.ends_with(".1.7") || e.ends_with(".1.8"));
    // `data/markers.txt` `[sender-stage]`: the stage ("after MAIL FROM") or
    // the sender check itself ("Sender address rejected: Domain not found",
    // "Domain of sender address ... does not exist", "unauthorized
    // sender"): what was not found or not allowed is ours.
    // The status is checked first: the text is searched only when the
    // stage could change it.
    let recipient_side = matches!(
        status,
        UnknownHost | UnknownUser | ResendTimeout | ForwardingError | AddressFormat
    );
    if recipient_side && sender_code && status != ResendTimeout
        || recipient_side
            && crate::markers::any_in(&crate::markers::Markers::builtin().sender_stage, norm)
    {
        Rejected
    } else {
        status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classifier::Evidence;

    #[test]
    fn a_dotted_name_found_nowhere_at_a_domain_is_a_mailbox() {
        let unknown = |t: &str, phrase: &str| {
            domain_subject(t, t.find(phrase).unwrap(), true, ErrorStatus::UnknownUser)
        };
        // Exchange Online's NDR: the local part, then its domain.
        assert_eq!(
            unknown("d.okafor was not found at example.net.", "was not found"),
            ErrorStatus::UnknownUser
        );
        // A host name alone before the words is the domain's.
        assert_eq!(
            unknown("553 mx.example.com was not found", "was not found"),
            ErrorStatus::UnknownHost
        );
    }

    #[test]
    fn a_bare_code_after_lmtps_data_is_the_mailboxs() {
        let t = "lmtp error after end of data: 550 number 2 fails";
        assert_eq!(
            data_stage(t, None, ErrorStatus::UnknownUser, Evidence::Code),
            ErrorStatus::UnknownUser
        );
    }

    #[test]
    fn a_bare_code_after_data_refuses_the_message() {
        let after =
            "smtp error from remote mail server after end of data: 550 header value not allowed";
        let to = |s, e, ev| data_stage(after, e, s, ev);
        assert_eq!(
            to(ErrorStatus::UnknownUser, None, Evidence::Code),
            ErrorStatus::Rejected
        );
        assert_eq!(
            to(ErrorStatus::UnknownUser, Some("5.0.0"), Evidence::Wording),
            ErrorStatus::Rejected
        );
        // A cause in words, or a code naming the class, stands.
        assert_eq!(
            to(ErrorStatus::UnknownUser, None, Evidence::Cause),
            ErrorStatus::UnknownUser
        );
        assert_eq!(
            to(ErrorStatus::UnknownUser, Some("5.1.1"), Evidence::Code),
            ErrorStatus::UnknownUser
        );
        assert_eq!(
            to(ErrorStatus::OverCapacity, None, Evidence::Code),
            ErrorStatus::OverCapacity
        );
        // At RCPT, the same bare code is the mailbox's.
        let rcpt = "smtp error from remote mail server after rcpt to:<a@x>: 550 not here";
        assert_eq!(
            data_stage(rcpt, None, ErrorStatus::UnknownUser, Evidence::Code),
            ErrorStatus::UnknownUser
        );
    }
}
