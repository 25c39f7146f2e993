//! Whole bounce messages written from the documented layouts of MTA and
//! provider templates (`tests/mta_templates/*.eml`: Domino and older Notes,
//! Sendmail without DSN, AOL, Yahoo, Hotmail, Courier, Exchange 2000/2003
//! and Office 365 in text, GroupWise, IMail, Gmail's current layouts, smail,
//! qmail relaying a remote refusal, Exim, MDaemon, Postfix text with two
//! recipients). Each names its failed recipients only where the template
//! puts them and gets the status an operator would give (SPEC §13.5).
//! The non-failures beside them (Sendmail, Exim and Office 365 delay
//! warnings, an Exchange out-of-office, a Mailman hold, a challenge, an
//! Amavis virus notice, a read receipt, a relay DSN in words, a human reply
//! mentioning a dead address) name nobody and get their own kind.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/templates.rs"]
mod templates;

use templates::{count_files, dir, wrong_cases, wrong_notices, Case, Notice};

/// File, then (recipient, status) in the order the message lists them.
const CASES: &[Case] = &[
    ("aol_old.eml", &[("jdoe@aol.com", 2)]),
    ("courier.eml", &[("jd@dest.example", 2)]),
    ("domino.eml", &[("john@notes.example.com", 2)]),
    ("domino2.eml", &[("jane@dest.example", 2)]),
    ("exchange2000.eml", &[("jd@exch.example.com", 7)]),
    ("exchange2003.eml", &[("jd@exch.example.com", 2)]),
    ("exim_quota.eml", &[("jd@dest.example", 5)]),
    ("gmail_new.eml", &[("jd@dest.example", 2)]),
    // "Message blocked" headline, but the quoted reply says over quota.
    ("gmail_quota.eml", &[("jd@dest.example", 5)]),
    ("gmail_relay.eml", &[("jd@dest.example", 7)]),
    ("groupwise.eml", &[("jd@gw.example.com", 2)]),
    // No reason given at all.
    ("hotmail_old.eml", &[("jd@hotmail.com", 99)]),
    ("imail.eml", &[("jd@imail.example.com", 2)]),
    ("mdaemon.eml", &[("jd@dest.example", 2)]),
    ("notes_old.eml", &[("john@notes.example.com", 2)]),
    ("o365_text.eml", &[("jd@dest.example", 2)]),
    (
        "postfix_text2.eml",
        &[("jd@dest.example", 4), ("ann@dest.example", 5)],
    ),
    ("qmail_remote.eml", &[("jd@dest.example", 2)]),
    // "The following message to <addr> was undeliverable" (gateway wording).
    ("undeliverable_to.eml", &[("member@dest.example", 2)]),
    ("sendmail_text.eml", &[("bob@dest.example", 2)]),
    ("smail.eml", &[("jd@dest.example", 2)]),
    ("yahoo.eml", &[("jd@yahoo.com", 2)]),
];

/// Non-failures: file and kind.
const NOTICES: &[Notice] = &[
    ("amavis_virus.eml", "content_filter"),
    ("challenge.eml", "challenge_response"),
    ("exchange_ooo.eml", "auto_reply"),
    ("exim_warning.eml", "delayed"),
    ("human_reply.eml", "not_bounce"),
    ("mailman_held.eml", "list_owner"),
    ("o365_delay.eml", "delayed"),
    ("read_receipt.eml", "not_bounce"),
    ("relayed.eml", "not_bounce"),
    ("sendmail_warning.eml", "delayed"),
];

#[test]
fn template_notices_name_nobody() {
    let wrong = wrong_notices(&dir(), NOTICES);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn template_messages_name_their_recipients_with_the_right_status() {
    let wrong = wrong_cases(&dir(), CASES);
    assert_eq!(
        // The `more_` and `old_` files are scored by their own test files.
        count_files(&dir(), |n| !n.starts_with("more_")
            && !n.starts_with("old_")),
        CASES.len() + NOTICES.len(),
        "every template message has a case"
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
