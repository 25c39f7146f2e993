//! Reports written for the thirty-fourth round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, fifty-seventh wave), labelled before the
//! parser ran on them: web-hosting mail stacks, 2008–2026 (`hosting_panels`); Exchange's and
//! Exchange Online's reports in twenty locales (`exchange_ndr_languages`); Japanese carriers, ISPs
//! and servers (`japan6`, issue 18 item 5).
//! The misses left are listed with their reasons; the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "japan6/23-cybozu-office-send-error-no-reason.eml tanabe@umeda-trading.example",
        "a groupware's notice that a message could not be sent lists the message's fields ('宛先 : a@x', 'To'), which are never evidence on their own (issue 18 item 1): not named",
    ),
    (
        "japan6/30-exchange2010-ja-softbank-sender-domain-refused.eml aya-fujita.55@softbank.ne.jp",
        "'553 mirai-denki.local does not exist' names the sender's domain, which the reply does not call the sender's: read as the recipient's unknown host (1); the label says the sender refused (4)",
    ),
];

#[test]
fn web_hosting_mail_stacks() {
    fresh_sets::check("hosting_panels", KNOWN);
}

#[test]
fn exchange_reports_in_twenty_locales() {
    fresh_sets::check("exchange_ndr_languages", KNOWN);
}

#[test]
fn japanese_carriers_isps_and_servers() {
    fresh_sets::check("japan6", KNOWN);
}
