//! The phrase table against non-English failure wordings
//! (`tests/data/localized_replies.tsv`, written for this test): localised
//! Exchange/Office 365 and Gmail notices, MTA localisations and regional
//! providers' replies in 23 languages. Every row's reply must classify (SPEC
//! §13.5) as one of the statuses it accepts, with its codes and with every
//! code taken out.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

/// Rows the text alone cannot classify right, with the reason. The test
/// fails when one of them becomes right, so that the list stays honest.
const KNOWN: &[(&str, &str)] = &[];

#[test]
fn localized_replies_classify_as_written() {
    let rows = reply_table::rows("localized_replies.tsv");
    assert!(rows.len() >= 250, "only {} rows", rows.len());
    reply_table::check(&rows, KNOWN, false);
}

/// The same rows with every reply and enhanced code taken out: localised
/// notices often give the words alone, and the words must still say the
/// cause. The rows whose words name none are listed with the reason.
const KNOWN_WITHOUT_CODES: &[(&str, &str)] = &[];

#[test]
fn localized_replies_classify_without_their_codes() {
    reply_table::check(
        &reply_table::rows("localized_replies.tsv"),
        KNOWN_WITHOUT_CODES,
        true,
    );
}
