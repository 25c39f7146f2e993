//! Reports written for the thirtieth round of issue 18 by helpers that never saw the parser, its
//! tables or its corpora (`fresh_reports/README.md`, forty-second wave), labelled before the parser
//! ran on them: Exim's reports of 1998–2025 and its hosts' templates (`exim_variants`); mail in
//! twenty-two other languages that carries failure words but reports no failure, beside a few
//! genuine failures (`nonfail_intl2`); short classic samples of the kind mail libraries keep in
//! their test folders (`library_fixtures2`); what a Japanese sender receives from carriers, ISPs,
//! rental servers and gateways, in the four Japanese charsets (`japan4`); Postfix's reports of
//! 1.1 to 3.9 and its localized templates (`postfix_variants`); notifications covering 3 to 20
//! recipients at once, failed beside delayed, delivered, relayed and expanded ones
//! (`dsn_many_rcpts`). The misses left are listed with their reasons; the
//! test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "dsn_many_rcpts/20-domino-quota-size-no-diagnostic.eml fleet-uw@hartwell-insurance.example",
        "Domino's text names its recipients by Notes names ('Fleet Underwriting Team/Underwriting/Hartwell@Hartwell') and its DSN blocks carry no diagnostic: the block's first cause (a full mail file, 5) is read; the label says the size (8)",
    ),
    (
        "nonfail_intl2/08-cs-znuny-potvrzeni-pozadavku-nedorucitelne.eml kind",
        "a help desk's ticket acknowledgement marked auto-replied reads as an automatic reply (RFC 3834's automatic acknowledgement, as `[autoreply-body]`'s 'your ticket number is'); the label says not_bounce; a notice naming nobody either way",
    ),
];

#[test]
fn exim_and_its_hosts_templates() {
    fresh_sets::check("exim_variants", KNOWN);
}

#[test]
fn failure_words_in_mail_that_reports_none() {
    fresh_sets::check("nonfail_intl2", KNOWN);
}

#[test]
fn short_classic_samples() {
    fresh_sets::check("library_fixtures2", KNOWN);
}

#[test]
fn what_a_japanese_sender_receives() {
    fresh_sets::check("japan4", KNOWN);
}

#[test]
fn postfix_and_its_templates() {
    fresh_sets::check("postfix_variants", KNOWN);
}

#[test]
fn many_recipients_in_one_notification() {
    fresh_sets::check("dsn_many_rcpts", KNOWN);
}
