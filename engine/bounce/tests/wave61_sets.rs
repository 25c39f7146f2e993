//! Reports written for the thirty-fifth round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, sixty-first wave), labelled before the
//! parser ran on them: Unix and other transfer agents of 1990–1999 (`old_mta_1990s4`), what reached
//! mailing lists' bounce addresses in 1998–2012 (`list_bounces3`), and the line between delay
//! warnings and give-ups, 1998–2026 (`warnings_finals3`).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "old_mta_1990s4/08-sendmail567ida-unknown-mailer-error.eml tvance@ee.marlow.example.edu",
        "the report names only the delivery program (\"|/usr/local/lib/mh/slocal -user tvance\"... unknown mailer error 1), no address or bare local part of the recipient: not named",
    ),
    (
        "warnings_finals3/23-netqmail106-greeting-421-queue-too-long.eml familie.haas@tirolnet-mail.example",
        "qmail's 'in the queue too long' after a refused greeting (421) is read by the refusal (4), as the reference corpus reads lhost-qmail-04; the label says 3",
    ),
    (
        "warnings_finals3/30-courier068-undeliverable-last-reply-452.eml submissions@tidepool-review.example",
        "a give-up whose only reply is 452 (mailbox full) is read as the full mailbox (5), as the reference corpus reads lhost-qmail-06 and lhost-exim-07; the label says 3",
    ),
];

#[test]
fn transfer_agents_of_the_1990s() {
    fresh_sets::check("old_mta_1990s4", KNOWN);
}

#[test]
fn what_reached_lists_bounce_addresses() {
    fresh_sets::check("list_bounces3", KNOWN);
}

#[test]
fn between_warnings_and_give_ups() {
    fresh_sets::check("warnings_finals3", KNOWN);
}
