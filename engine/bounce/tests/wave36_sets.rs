//! Reports written for the twenty-ninth round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, thirty-sixth wave), labelled before the
//! parser ran on them: what a Mailman 2 list's bounce address received from the mail systems and
//! ISPs of 1999–2012 worldwide, with the notices that reach it too (`mailman_era`); how the mail
//! systems of 1988–2000 returned mail (Sendmail 5, smail, MMDF, PP, ZMailer, UUCP, BITNET, VMS,
//! DECnet, cc:Mail, MS Mail, early Notes and Exchange, the online services) (`pre1998`); and what
//! a newsletter's or a web application's bounce mailbox receives from the providers of
//! 2005–2020, with the replies, challenges, complaints and reports beside them
//! (`newsletter_mailbox`). The misses left are listed with their reasons; the test fails when one
//! becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "pre1998/09-mmdf-unknown-host.eml bgreer@tortoise.cs.halvard.example.edu",
        "MMDF names the recipient as 'bgreer (host: tortoise.cs.halvard.example.edu) (queue: smtp)', a mailbox and a host apart: no address to the reader, not named",
    ),
    (
        "pre1998/12-uucp-rmail-user-unknown.eml jbailey@swamp.uucp",
        "a UUCP bang path ('swamp!jbailey'): no address to the reader, not named; the label writes it as jbailey@swamp.uucp",
    ),
    (
        "pre1998/16-pmdf4-decnet-unreachable-timeout.eml lhansen@rigel.stockton.example.edu",
        "a DECnet address ('RIGEL::LHANSEN'): no address to the reader, not named",
    ),
    (
        "pre1998/21-notes3-smtp-gateway-no-route-domain.eml nbergstrom@corbin-medical.example.com",
        "Notes's 'No route found to domain' of an Internet domain reads as the domain's (1), as in many_causes2 (the convention: 1 for an Internet domain, 7 for a Notes domain); the label says 7",
    ),
];

#[test]
fn what_a_mailman_lists_bounce_address_received() {
    fresh_sets::check("mailman_era", KNOWN);
}

#[test]
fn how_the_mail_systems_before_1998_returned_mail() {
    fresh_sets::check("pre1998", KNOWN);
}

#[test]
fn what_a_newsletters_bounce_mailbox_receives() {
    fresh_sets::check("newsletter_mailbox", KNOWN);
}
