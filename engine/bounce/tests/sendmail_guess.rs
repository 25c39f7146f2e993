//! Sendmail's summary line under a session transcript is its own guess
//! when the remote reply had no enhanced code ("<<< 553 http://…spamhaus…"
//! then "550 5.1.1 <a@x>... User unknown"): the remote's words decide the
//! status, in reports without a DSN part (Sendmail before 8.8, copies that
//! lost their attachments, forwarded reports).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

fn report(reason: &str, transcript: &str) -> Vec<u8> {
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sender.example>\n\
To: news@sender.example\nSubject: Returned mail: see transcript for details\n\n\
The original message was received at Mon, 1 Dec 2026 10:00:00 +0000\n\
from mta.sender.example [192.0.2.1]\n\n   ----- The following addresses had permanent fatal errors -----\n\
<member@dest.example>\n    (reason: {reason})\n\n   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n>>> RCPT To:<member@dest.example>\n{transcript}\n\n\
   ----- Original message follows -----\n\nReturn-Path: <news@sender.example>\n\
From: news@sender.example\nTo: member@dest.example\nSubject: news\n\nHello.\n"
    )
    .into_bytes()
}

fn status_of(raw: &[u8]) -> ErrorStatus {
    let r = parse(raw);
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].recipient, "member@dest.example");
    r.recipients[0].status
}

#[test]
fn a_block_list_reply_is_no_unknown_user() {
    let raw = report(
        "553 http://www.spamhaus.org/query/bl?ip=192.0.2.1",
        "<<< 553 http://www.spamhaus.org/query/bl?ip=192.0.2.1\n\
550 5.1.1 <member@dest.example>... User unknown",
    );
    assert_eq!(status_of(&raw), ErrorStatus::Rejected);
}

#[test]
fn a_full_mailbox_under_a_remote_protocol_error() {
    let raw = report(
        "552 Mailbox quota exceeded",
        "<<< 552 Mailbox quota exceeded\n\
554 <member@dest.example>... Remote protocol error",
    );
    assert_eq!(status_of(&raw), ErrorStatus::OverCapacity);
}

#[test]
fn the_remote_reply_repeated_stays() {
    let raw = report(
        "550 5.1.1 <member@dest.example>... User unknown",
        "<<< 550 5.1.1 <member@dest.example>... User unknown\n\
550 5.1.1 <member@dest.example>... User unknown",
    );
    assert_eq!(status_of(&raw), ErrorStatus::UnknownUser);
    // The same reply code: Sendmail's line is the reply's own reading.
    let raw = report(
        "550 Requested action not taken",
        "<<< 550 Requested action not taken\n\
550 5.1.1 <member@dest.example>... User unknown",
    );
    assert_eq!(status_of(&raw), ErrorStatus::UnknownUser);
}
