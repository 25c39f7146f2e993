//! The phrase table against providers' documented reply wordings
//! (`tests/data/provider_replies.tsv`, written for this test): every row's
//! reply must classify (SPEC §13.5) as one of the statuses it accepts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

/// Rows the text alone cannot classify right, with the reason. The test
/// fails when one of them becomes right, so that the list stays honest.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn provider_replies_classify_as_documented() {
    let rows = reply_table::rows("provider_replies.tsv");
    assert!(rows.len() >= 250, "only {} rows", rows.len());
    reply_table::check(&rows, KNOWN, false);
}

/// The same rows with every reply and enhanced code taken out: old MTAs and
/// text-only reports give the words alone, and the words must still say the
/// cause. The rows whose words name none are listed with the reason.
const KNOWN_WITHOUT_CODES: &[(&str, &str)] = &[
    (
        "Server busy. Please try again later from [1.2.3.4]. (S77714) [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]",
        "throttling or a failing server: only Outlook's S77714 code tells",
    ),
    (
        "Service not available, closing transmission channel",
        "RFC 5321's 421 text; the table reads it as a refusal unless the 421 says otherwise",
    ),
    (
        "reply: read error from mx.example.com.",
        "a network error: timeout (3) or failing server (7), no word says which",
    ),
];

#[test]
fn provider_replies_classify_without_their_codes() {
    reply_table::check(
        &reply_table::rows("provider_replies.tsv"),
        KNOWN_WITHOUT_CODES,
        true,
    );
}
