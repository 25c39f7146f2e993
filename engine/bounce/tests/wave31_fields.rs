//! Reports written for the twenty-eighth round of issue 18 by helpers that never saw the
//! parser, its tables or its corpora (`fresh_reports/README.md`, thirty-first wave), labelled
//! before the parser ran on them: RFC 3464 notifications with the variety of their fields as
//! writers of 2000–2025 fill them (address types, Action and Status with comments, missing
//! fields, folded and joined diagnostics, blocks run together; `dsn_fields`), and failure
//! reports of 2008–2025 whose code is generic, missing or at odds with the words that state the
//! cause (`code_words`); and, in a thirty-second wave, the border between temporary and
//! permanent failures (`soft_hard`) and samples of what a sender's bounce address keeps, with
//! their encoding quirks (`fixture_like`); and, in a thirty-third wave, reports of 1997–2006
//! mail systems (`y2k_mtas`). The misses left are listed with their reasons; the
//! test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "y2k_mtas/04-exchange2000-dns-and-unspecified.eml gruiz@tillman-hardware.example",
        "RFC 5321's generic '554 Transaction failed' under Exchange's 'did not report a specific reason' reads as the receiving server's (7, generic); the label says 99",
    ),
    (
        "y2k_mtas/15-amavisd-virus-notice-to-forged-sender.eml kind",
        "amavisd's virus notice written as a DSN with 'Action: failed' and its own '554 5.7.1 VIRUS' reads as a failure (4), as three earlier writers labelled amavisd's DSNs (filter_src/01, 02, gateways/17) and the reference table's virusdetected does; this writer labels it a content-filter notice",
    ),
    (
        "y2k_mtas/15-amavisd-virus-notice-to-forged-sender.eml lkemp@ostrander-law.example",
        "the same: named as failed (4)",
    ),
    (
        "y2k_mtas/19-mercury32-malformed-address.eml rhian.price@valleynet,example",
        "an address with a comma for its domain's dot is no address to the reader (a comma ends one): not named",
    ),
    (
        "y2k_mtas/29-sendmail893-nondsn-three-recipients.eml pat.oneil.@delaware-tool.example",
        "'501 5.5.4 Invalid Address' on a local part ending in a dot reads as an unknown user (2): such local parts are real mailboxes at Japanese carriers (as cause_words/27); the label says 9",
    ),
    (
        "fixture_like/25-thunderbird-fwd-postfix-bounce-relay-denied.eml orders@baltic-supply.example",
        "a person's forward with the report attached names nobody (issue 18's first rule; precision_traps/forwarded_bounce_attached_rfc822), as nested_src/21; the label reads the attached report",
    ),
    (
        "code_words/19-ironport-510-unknown-address-error-remote-says-content.eml adjuster@brightwater-loss.example",
        "IronPort's label for its 5.1.0 ('Unknown address error') is read as a cause ('unknown' said of an address, 2) in the recipient's paragraph over the remote reply's content refusal, which names only 'rejected' (generic); the label says 4",
    ),
    (
        "dsn_fields/05-sendmail-expired-5-days-no-diagnostic.eml einkauf@werft-nord.example",
        "Sendmail's 'Deferred: Connection refused by' reads as the shared corpus labels it (lhost-sendmail-21, the same give-up after 8 hours: blocked, 4) over 'could not be delivered for 5 days'; the label says 3, as fresh_replies25 and fresh_replies26 say of such give-ups",
    ),
];

#[test]
fn causes_in_words_against_their_codes() {
    fresh_sets::check("code_words", KNOWN);
}

#[test]
fn on_the_border_between_temporary_and_permanent() {
    fresh_sets::check("soft_hard", KNOWN);
}

#[test]
fn samples_a_bounce_address_keeps() {
    fresh_sets::check("fixture_like", KNOWN);
}

#[test]
fn turn_of_the_century_mail_systems() {
    fresh_sets::check("y2k_mtas", KNOWN);
}

#[test]
fn notifications_with_every_field_form() {
    fresh_sets::check("dsn_fields", KNOWN);
}
