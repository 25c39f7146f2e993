//! Whole bounce messages of current mail servers the other template sets do
//! not cover (`tests/mta_templates_modern/`), written from those systems'
//! own bounce and DSN templates as their public source code or documented
//! samples give them: Stalwart Mail Server (`crates/smtp/src/queue/dsn.rs`
//! of stalwartlabs/mail-server: its failed, mixed and delay notices, with
//! the returned headers as `message/rfc822`), maddy (`internal/dsn/dsn.go`
//! of foxcpp/maddy: its human part and its delivery-status fields, which
//! go-message writes last-added first, so `Final-Recipient` closes each
//! block), Apache James (the `DSNBounce` mailet and the remote delivery
//! bouncer: a `Re:` subject, the original's date, and a `Status:` field
//! carrying the whole error text), Postal (`app/models/bounce_message.rb`
//! of postalserver/postal: a route's bounce naming no cause) and Exchange
//! Online's classic notice in Spanish, Portuguese and Italian. Each names
//! its failed recipients with the status an operator would give (SPEC
//! §13.5), decided before the parser ran; the delay warnings name nobody.
//! Rows the parser still reads otherwise are listed in `KNOWN` with the
//! reason; the test fails when one of them becomes right, so that the list
//! stays honest.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/templates.rs"]
mod templates;

use std::path::PathBuf;

use templates::{count_files, dir, wrong_cases, wrong_notices, Case, Notice};

/// `tests/mta_templates_modern/`.
fn modern_dir() -> PathBuf {
    dir().join("../mta_templates_modern")
}

/// File, then (recipient, status) in the order the message lists them.
const CASES: &[Case] = &[
    // --- Stalwart Mail Server
    ("stalwart_user.eml", &[("jd@dest.example", 2)]),
    ("stalwart_quota.eml", &[("ann@dest.example", 5)]),
    // "failed to lookup 'nxdomain.example': Domain not found", Status 5.0.0.
    ("stalwart_nxdomain.eml", &[("jd@nxdomain.example", 1)]),
    // A connection timeout until the queue expired: the temporary failure
    // made permanent keeps its words and gets Status 5.0.0.
    ("stalwart_expired.eml", &[("jd@slow.example", 3)]),
    // "Warning: Temporary and permanent failures": only the failed
    // recipient; the greylisted one may still be delivered.
    ("stalwart_mixed.eml", &[("jd@strict.example", 4)]),
    // --- maddy
    ("maddy_user.eml", &[("jd@dest.example", 2)]),
    // maddy rewrites a 552 to 452 and retries; after max_tries the DSN says
    // failed with the last (4.2.2) reply: the mailbox is full.
    ("maddy_quota_retries.eml", &[("ann@dest.example", 5)]),
    ("maddy_mx_lookup.eml", &[("jd@nxdomain.example", 1)]),
    ("maddy_relay.eml", &[("pat@other.example", 7)]),
    // --- Apache James
    ("james_user.eml", &[("jd@dest.example", 2)]),
    ("james_no_dns.eml", &[("jd@nxdomain.example", 1)]),
    ("james_size.eml", &[("lee@dest.example", 8)]),
    // --- Postal: a route in Bounce mode (or an endpoint's hard failure)
    // returns the message to its sender naming only `Rcpt To:`, no cause.
    (
        "postal_route_bounce.eml",
        &[("support@app.example.com", 99)],
    ),
    // --- Exchange Online, classic layout, localized
    ("exch_es_unknown.eml", &[("jd@exch.example.com", 2)]),
    // The receiving organisation refused it as spam.
    ("exch_pt_org_rejected.eml", &[("jd@dest.example", 4)]),
    // 5.1.8 "bad outbound sender": our own sender is blocked, the recipient
    // is not at fault.
    ("exch_it_bad_sender.eml", &[("jd@partner.example", 4)]),
];

/// Non-failures: file and kind.
const NOTICES: &[Notice] = &[
    ("stalwart_delay.eml", "delayed"),
    ("stalwart_delay_dns.eml", "delayed"),
];

/// (file, why) of the rows the parser still reads otherwise.
/// Empty since Postal's route bounce is read: its sender is the failed
/// address itself, which the returned message went to.
const KNOWN: &[(&str, &str)] = &[];

fn known(file: &str) -> bool {
    KNOWN.iter().any(|(f, _)| *f == file)
}

#[test]
fn modern_template_notices_name_nobody() {
    let wrong = wrong_notices(&modern_dir(), NOTICES);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn modern_template_messages_name_their_recipients_with_the_right_status() {
    assert_eq!(
        count_files(&modern_dir(), |n| n.ends_with(".eml")),
        CASES.len() + NOTICES.len(),
        "every modern template message has a case"
    );
    let checked: Vec<Case> = CASES.iter().filter(|(f, _)| !known(f)).copied().collect();
    let wrong = wrong_cases(&modern_dir(), &checked);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn modern_known_misses_are_still_missed() {
    for (file, why) in KNOWN {
        let case: Vec<Case> = CASES.iter().filter(|(f, _)| f == file).copied().collect();
        assert_eq!(case.len(), 1, "{file}: a KNOWN row needs its case");
        assert!(
            !wrong_cases(&modern_dir(), &case).is_empty(),
            "{file} is now right ({why}): take it off KNOWN"
        );
    }
}
