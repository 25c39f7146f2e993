//! Cause beats generic wording (issue 18, fifth round): when a reply names
//! a cause (unknown user, mailbox full, unknown host, message too large) that
//! cause decides over refusal wording that names none ("rejected",
//! "Recipient address rejected", "mailbox unavailable", "not accepted") and
//! over a generic or policy enhanced code (5.7.1, 5.0.0, 5.5.0, 4.0.0); a
//! specific enhanced code (5.1.1, 5.1.2, 5.2.2, 5.3.4) decides or agrees.
//! Whole reply lines in the layouts of several MTAs and providers, written
//! from their formats (Postfix access maps and policy servers, Sendmail,
//! Exim, Exchange, Yahoo, mail.ru, Zimbra), not copied from a corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Classifier, ErrorStatus};

/// The text names a cause; the enhanced code is generic or a policy code.
const CAUSE_OVER_GENERIC: &[(u8, &str)] = &[
    // Postfix with a recipient check that answers with the policy code.
    (
        2,
        "554 5.7.1 <jdoe@example.com>: Recipient address rejected: user jdoe@example.com does not exist",
    ),
    (
        2,
        "550 5.7.1 <jdoe@example.com>: Recipient address rejected: No such user (jdoe@example.com)",
    ),
    (5, "554 5.7.1 <jdoe@example.com>: Recipient address rejected: Mailbox full"),
    (
        1,
        "550 5.7.1 <jdoe@nx.example>: Recipient address rejected: Domain not found",
    ),
    (
        8,
        "554 5.7.1 Message rejected: message size exceeds the limit of this server",
    ),
    (
        2,
        "550 5.7.1 <jdoe@example.com>: Recipient address rejected: invalid recipient",
    ),
    (2, "550 5.7.1 <jdoe@example.com>: Recipient address rejected: User not found"),
    // Sendmail-style and gateway replies with the catch-all 5.0.0.
    (2, "550 5.0.0 <jdoe@example.com>... User unknown"),
    (2, "553 5.0.0 Recipient rejected: invalid recipient <jdoe@example.com>"),
    (5, "552 5.0.0 Rejected: mailbox over quota"),
    // The syntax-class 5.5.0 that some servers send with every refusal.
    (
        2,
        "550 5.5.0 Requested action not taken: mailbox unavailable, user not found",
    ),
    // mail.ru: the refusal wording comes first, the cause after it.
    (
        2,
        "550 Message was not accepted -- invalid mailbox. Local mailbox jdoe@mail.example is unavailable: user not found",
    ),
    // Temporary catch-all 4.0.0 with a named cause.
    (5, "452 4.0.0 <jdoe@example.com>: Recipient address rejected: quota exceeded"),
    // No enhanced code at all.
    (2, "550 Recipient address rejected: jdoe@example.com does not exist"),
    (2, "550 Mailbox unavailable or access denied - invalid recipient"),
    // One-word quota wording (EarthLink).
    (
        5,
        "550 jdoe@earthlink.example...User account is overquota",
    ),
    // The cause's words split by the address they name.
    (5, "550 5.7.1 Mailbox <jdoe@example.com> is full"),
    (2, "554 5.7.1 Recipient <jdoe@example.com> unknown"),
    (2, "550 5.0.0 Sorry, mailbox jdoe@example.com is disabled"),
    // Yahoo: a disabled mailbox is an unknown user, not a policy refusal.
    (
        2,
        "554 delivery error: dd Sorry your message to jdoe@yahoo.example cannot be delivered. This mailbox is disabled (554.30)",
    ),
];

/// A specific enhanced code decides when the wording is generic, and
/// agrees when it names the same cause.
const SPECIFIC_CODE: &[(u8, &str)] = &[
    (
        2,
        "550 5.1.1 <jdoe@example.com>: Recipient address rejected",
    ),
    (2, "550 5.1.1 <jdoe@example.com>... Rejected: access denied"),
    (1, "550 5.1.2 <jdoe@nx.example>: Recipient address rejected"),
    (
        5,
        "552 5.2.2 <jdoe@example.com>: Recipient address rejected: over quota",
    ),
    (
        5,
        "452 4.2.2 The email account that you tried to reach is over quota",
    ),
    (8, "552 5.3.4 Error: message file too big"),
    (8, "554 5.3.4 Message rejected: not accepted"),
];

/// Refusal wording with nothing more specific stays a rejection (or what
/// the code says), so the rule does not turn every refusal into a cause.
const GENERIC_STAYS: &[(u8, &str)] = &[
    (
        4,
        "550 5.7.1 <jdoe@example.com>: Recipient address rejected",
    ),
    (
        4,
        "550 5.7.1 Message rejected as spam by Content Filtering.",
    ),
    (
        4,
        "554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org",
    ),
    (4, "554 5.7.1 Your message was refused"),
    (7, "554 5.7.1 <jdoe@example.com>: Relay access denied"),
    // A cause word of the policy kind beats the generic wording as well.
    (4, "554 Transaction failed: message rejected as spam"),
    (7, "Delivery failed: system error while writing the mailbox"),
];

fn check(cases: &[(u8, &str)]) {
    let c = Classifier::builtin();
    let mut wrong = Vec::new();
    for (want, text) in cases {
        let got = c.classify(None, None, text);
        if got.as_u8() != *want {
            wrong.push(format!(
                "want {want} got {got} ({:?}): {text}",
                c.explain(None, None, text)
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn a_named_cause_beats_generic_wording_and_policy_codes() {
    check(CAUSE_OVER_GENERIC);
}

#[test]
fn a_specific_enhanced_code_decides_or_agrees() {
    check(SPECIFIC_CODE);
}

#[test]
fn generic_wording_alone_stays_a_refusal() {
    check(GENERIC_STAYS);
}

#[test]
fn the_generic_tier_is_open_to_operator_rules() {
    // An operator's own generic wording loses to a built-in cause word.
    let c = Classifier::with_extra_rules(
        "{\"status\": 4, \"pattern\": \"not delivered: recipient refused\", \"generic\": true}",
    )
    .unwrap();
    assert_eq!(
        c.classify(
            None,
            None,
            "550 not delivered: recipient refused, user not found"
        ),
        ErrorStatus::UnknownUser
    );
    assert_eq!(
        c.classify(None, None, "550 not delivered: recipient refused"),
        ErrorStatus::Rejected
    );
}

/// A DSN whose `Diagnostic-Code` keeps only the first line of the reply,
/// while the human-readable paragraph of the same recipient has all of it.
fn dsn(field: &str, paragraph: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)\n\
To: bounce@sender.example\nDate: Mon, 9 Feb 2015 18:38:41 -0600\n\
Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients.\n\n\
<jdoe@dest.example>: host mx.dest.example[192.0.2.1] said: {paragraph} (in reply to RCPT TO command)\n\n\
--b\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mx.sender.example\n\n\
Final-Recipient: rfc822; jdoe@dest.example\nAction: failed\nStatus: 5.0.0\n\
Diagnostic-Code: smtp; {field}\n\n\
--b\nContent-Type: text/rfc822-headers\n\n\
From: news@sender.example\nTo: jdoe@dest.example\nSubject: News\n\n--b--\n"
    )
}

#[test]
fn generic_wording_reads_on_in_the_recipients_own_paragraph() {
    let raw = dsn(
        "550 Recipient address rejected",
        "550 Recipient address rejected: User unknown in local recipient table",
    );
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
    // With nothing more in the paragraph the refusal stays a refusal.
    let raw = dsn(
        "550 Recipient address rejected",
        "550 Recipient address rejected",
    );
    assert_eq!(
        parse(raw.as_bytes()).recipients[0].status,
        ErrorStatus::Rejected
    );
}

#[test]
fn generic_wording_does_not_borrow_another_recipients_cause() {
    // Exim lists each recipient with its own reply; the second one's bare
    // refusal must not take the first one's "User unknown".
    let raw = "From: Mail Delivery System <Mailer-Daemon@mx.sender.example>\n\
To: bounce@sender.example\nSubject: Mail delivery failed: returning message to sender\n\
Date: Tue, 1 Dec 2026 10:00:00 +0000\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  a@example.com\n\
    host mx.example.com [192.0.2.1]\n\
    SMTP error from remote mail server after RCPT TO:<a@example.com>:\n\
    550 5.1.1 User unknown\n\
  b@example.net\n\
    host mx.example.net [192.0.2.2]\n\
    SMTP error from remote mail server after RCPT TO:<b@example.net>:\n\
    550 Recipient address rejected\n\n\
------ This is a copy of the message, including all the headers. ------\n\n\
Subject: hi\n\nhello\n";
    let r = parse(raw.as_bytes());
    let got: Vec<(&str, ErrorStatus)> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.as_str(), f.status))
        .collect();
    assert_eq!(
        got,
        vec![
            ("a@example.com", ErrorStatus::UnknownUser),
            ("b@example.net", ErrorStatus::Rejected)
        ]
    );
}

/// A blocklist listing is a refusal by policy even when the reply code is a
/// bare 550 (which alone reads as unknown user): "listed by" (sixth round,
/// zoonru dev split) as "listed in".
const BLOCKLIST: &[(u8, &str)] = &[
    (4, "550 bl.example.net Listed by CSS"),
    (4, "550 Your IP address 192.0.2.1 is listed by SORBS"),
    (
        4,
        "550 5.7.1 Service unavailable; client [192.0.2.1] listed in bl.example.org",
    ),
];

#[test]
fn a_blocklist_listing_is_a_rejection() {
    check(BLOCKLIST);
}

#[test]
fn a_role_address_opening_its_reason_line_is_the_recipient() {
    // OpenSMTPD's layout: the DSN says only `Status: 5.0.0`; the human
    // text has the "<addr>: reason" line, here for a postmaster address
    // (role addresses are otherwise read as advice, "contact postmaster@…").
    let raw = "From: MAILER-DAEMON@mx.sender.example\nTo: sender@sender.example\n\
Subject: Delivery status notification: error\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
    An error has occurred while attempting to deliver a message for\n\
    the following list of recipients:\n\n\
postmaster@gone.example: Domain does not exist\n\n\
    Below is a copy of the original message:\n\n\
--b\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; mx.sender.example\n\n\
Final-Recipient: rfc822; postmaster@gone.example\nAction: failed\nStatus: 5.0.0\n\n\
--b--\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1);
    assert_eq!(r.recipients[0].recipient, "postmaster@gone.example");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownHost);
}

/// A lone recipient's cause written above the start sentence is its cause;
/// with none anywhere the status stays "other".
#[test]
fn a_lone_recipients_cause_above_the_start_sentence() {
    let msg = |reason: &str| {
        format!(
            "From: Postmaster <postmaster@old.example>\nTo: sender@our.example\n\
             Subject: Undeliverable Message\n\n{reason}\n\n\
             Your message could not be delivered as addressed.\n\n\
             --- Returned Message ---\nTo: 76543.210@old.example\nSubject: hi\n"
        )
    };
    let status = |raw: String| parse(raw.as_bytes()).recipients.first().map(|f| f.status);
    assert_eq!(
        status(msg("Receiver not found: 76543.210")),
        Some(ErrorStatus::UnknownUser)
    );
    // No cause anywhere: still "other", not a guess.
    assert_eq!(status(msg("Receiver: 76543.210")), Some(ErrorStatus::Other));
    // Nor is the returned copy's `To:` named when the notice names nobody:
    // it is no evidence on its own (issue 18 item 1).
    assert_eq!(status(msg("Sorry.")), None);
}
