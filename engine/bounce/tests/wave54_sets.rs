//! Reports written for the thirty-third round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, fifty-fourth wave), labelled before the
//! parser ran on them: delivery status notifications in every shape the RFCs allow, as a mail
//! library's fixtures hold them (`library_dsns`); a newsletter tool's bounce mailbox, 2008–2018
//! (`newsletter_tools_2008_2018`); groupware reports mixing generic advice with the one specific
//! reason (`groupware_generic_text`).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[(
    "groupware_generic_text/12-domino12-database-corrupt.eml j.holtz@holtz-baustoffe.example",
    "Domino's \"Database is corrupt -- Cannot allocate space\" is read by its \"cannot allocate space\" as a full mailbox (5); the label says the server's trouble (7)",
)];

#[test]
fn dsns_in_every_shape() {
    fresh_sets::check("library_dsns", KNOWN);
}

#[test]
fn a_newsletter_tools_bounce_mailbox() {
    fresh_sets::check("newsletter_tools_2008_2018", KNOWN);
}

#[test]
fn generic_advice_beside_the_specific_reason() {
    fresh_sets::check("groupware_generic_text", KNOWN);
}
