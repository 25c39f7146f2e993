//! Notices written in prose that quote failure words without reporting a
//! failure: a warning to a mailbox's owner that it is filling up (quoting
//! the refusal senders will get once it is full), a newsletter tool's
//! monthly report of the addresses it removed after bounces, and a delay
//! warning in prose whose "if it still cannot be delivered by …" is no
//! give-up. None names a failed recipient. Written for this test from how
//! such notices are worded, not copied from any corpus message.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Kind};

fn message(from: &str, subject: &str, body: &str) -> String {
    format!(
        "Return-Path: <>\nFrom: {from}\nTo: owner@customer.example\nSubject: {subject}\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <n-1@mail.example>\n\
Auto-Submitted: auto-generated\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    )
}

#[test]
fn a_quota_warning_to_the_mailbox_owner_fails_nobody() {
    let raw = message(
        "Mail Delivery System <Mailer-Daemon@mail3.host.example>",
        "Mail quota warning",
        "Your mailbox on the server is now more than 90% full.\n\n\
    Mailbox:  dana@customer.example\n    Usage:    92.4 MB of 100 MB (92%)\n\n\
If the mailbox becomes completely full, new messages sent to you will\n\
be returned to their senders with an error such as\n\
\"552 5.2.2 Mailbox full - quota exceeded\".\n",
    );
    let r = parse(raw.as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
    assert_eq!(r.kind, Kind::NotBounce, "{r:?}");
}

#[test]
fn a_newsletter_tools_report_of_removed_addresses_is_a_list_notice() {
    let raw = message(
        "Rundpost Berichte <berichte@rundpost.example>",
        "Ihr Monatsbericht: 3 unzustellbare Adressen",
        "Folgende 3 Adressen wurden automatisch von Ihrer Liste entfernt:\n\n\
  klaus@weinfreunde.example      Postfach existiert nicht (550 5.1.1)\n\
  info@gasthof.example           Domain existiert nicht\n\
  petra@langmail.example         Postfach voll (552 5.2.2)\n",
    );
    let r = parse(raw.as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
    assert_eq!(r.kind, Kind::ListOwner, "{r:?}");
}

#[test]
fn a_delay_in_prose_that_mentions_the_later_give_up_is_a_delay() {
    let raw = message(
        "Mail Hub <MAILER-DAEMON@hub.example>",
        "Delayed mail (still trying): Paper draft",
        "The message you sent on Monday to\n\n        a.mcbride@far.example\n\n\
has NOT been delivered yet. The hub will keep trying every hour for\n\
another 3 days. Only if it still cannot be delivered by Saturday will\n\
it be returned to you.\n",
    );
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::Delayed, "{r:?}");
    assert!(r.recipients.is_empty(), "{r:?}");
}
