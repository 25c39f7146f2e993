//! A list manager's own return address encodes the subscriber it sent to
//! (Mailman's `list-bounces+jdoe=example.com@…`, ezmlm's
//! `list-return-12-jdoe=example.com@…`): a failure report whose text names
//! nobody (a relay's "not a valid user of the system") names that subscriber,
//! as Mailman reads its bounces. An automatic answer to the same address
//! names nobody, and an address the text gives wins.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/named.rs"]
mod support;

use hikyaku_bounce::{parse, ErrorStatus, Kind};
use support::named;

fn report(to: &str, text: &str) -> String {
    format!(
        "From: ndr@relay.example.net\nTo: {to}\n\
Subject: Mail delivery failed: returning message to sender\n\
MIME-Version: 1.0\nContent-Type: text/plain\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its recipients.\n\n\
{text}\n"
    )
}

const NOBODY: &str = "One or more of the recipients are not a valid user of the system. \
Please check to be sure the email address is correct.";

#[test]
fn mailman_return_address_names_the_subscriber() {
    let raw = report("test-a-bounces+jdoe=example.com@lists.example.org", NOBODY);
    assert_eq!(
        named(&raw),
        vec![("jdoe@example.com".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn ezmlm_return_address_names_the_subscriber() {
    let raw = report(
        "team-return-4711-j.doe=example.co.uk@lists.example.org",
        NOBODY,
    );
    assert_eq!(
        named(&raw),
        vec![("j.doe@example.co.uk".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn an_address_the_text_gives_wins() {
    let raw = report(
        "test-a-bounces+jdoe=example.com@lists.example.org",
        "  other@example.net\n    550 5.1.1 User unknown",
    );
    assert_eq!(
        named(&raw),
        vec![("other@example.net".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn an_automatic_answer_to_the_list_names_nobody() {
    let raw =
        "From: Jane <jane@example.com>\nTo: test-a-bounces+jane=example.com@lists.example.org\n\
Subject: Out of office: [Test-A] meeting notes\nAuto-Submitted: auto-replied\n\n\
I am away until Monday and will read your message when I am back.\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::AutoReply);
    assert!(r.recipients.is_empty());
}
