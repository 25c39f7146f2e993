//! Reports written for the thirty-second round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, forty-ninth wave), labelled before the
//! parser ran on them: Notes and Domino of every version and nine languages
//! (`notes_domino_all`); Exchange 5.5 to 2007 in eleven languages (`exchange_legacy2`); the
//! qmail family and its localized templates (`qmail_variants2`); national ISPs and providers of
//! 22 countries outside North America, Britain and Australia, 1998–2012 (`isp_world_1998_2012`).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "notes_domino_all/22-domino-r5-en-rfc1893-cryptic-status.eml ops@portcanaveral-shipping.examp1e",
        "a top-level domain with a digit (\".examp1e\", a typo) is no mail domain to the address finder, which keeps certificate and log bytes out so",
    ),
    (
        "notes_domino_all/27-domino602-en-ambiguous-name.eml msmith@stratton-eng.example",
        "Domino's \"Ambiguous name … matches more than one entry\" (5.1.4) is read as an unknown user (2); the label says 99",
    ),
    (
        "qmail_variants2/22-qmail-portuguese-template-queue-timeout.eml compras@metalurgica-vale.example",
        "a translation of qmail's \"in the queue too long\" (\"ficou na fila tempo demais\") written for the set is no wording the tables know: the connection failure above it (7) is read",
    ),
];

#[test]
fn notes_and_domino_of_every_version() {
    fresh_sets::check("notes_domino_all", KNOWN);
}

#[test]
fn exchange_5_5_to_2007_in_eleven_languages() {
    fresh_sets::check("exchange_legacy2", KNOWN);
}

#[test]
fn the_qmail_family() {
    fresh_sets::check("qmail_variants2", KNOWN);
}

#[test]
fn isps_of_22_countries() {
    fresh_sets::check("isp_world_1998_2012", KNOWN);
}
