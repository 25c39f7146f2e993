//! The phrase table against older and less common mail systems' failure
//! wordings (about 1993-2010: Sendmail, qmail, Exim 3/4, Postfix 1/2, smail,
//! MMDF, PMDF, Domino, GroupWise, Exchange 5.5-2010, Netscape/Sun messaging
//! servers, AOL/Hotmail/Yahoo classic, Courier, Cyrus, Dovecot and others;
//! `tests/data/old_mta_replies.tsv`, written for this test): every row's
//! reply must classify (SPEC §13.5) as one of the statuses it accepts, with
//! its codes and with every code taken out.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

/// Rows the text alone cannot classify right, with the reason. The test
/// fails when one of them becomes right, so that the list stays honest.
const KNOWN: &[(&str, &str)] = &[
    (
        "Deferred: 421 mx.example.com: Service not available, closing transmission channel",
        "RFC 5321's 421 text; receivers send it to refuse a client too, so the table reads it as a refusal",
    ),
];

#[test]
fn old_mta_replies_classify_as_written() {
    let rows = reply_table::rows("old_mta_replies.tsv");
    assert!(rows.len() >= 250, "only {} rows", rows.len());
    reply_table::check(&rows, KNOWN, false);
}

/// The same rows with every reply and enhanced code taken out: many of these
/// systems wrote the words alone. The rows whose words name no cause are
/// listed with the reason.
const KNOWN_WITHOUT_CODES: &[(&str, &str)] = &[
    (
        "Deferred: mx.example.com: Service not available, closing transmission channel",
        "RFC 5321's 421 text; receivers send it to refuse a client too, so the table reads it as a refusal",
    ),
    (
        "<user@example.com>: Recipient address rejected: example.com",
        "Postfix's refusal naming only the domain: only its 5.1.1 says the user is unknown",
    ),
];

#[test]
fn old_mta_replies_classify_without_their_codes() {
    reply_table::check(
        &reply_table::rows("old_mta_replies.tsv"),
        KNOWN_WITHOUT_CODES,
        true,
    );
}
