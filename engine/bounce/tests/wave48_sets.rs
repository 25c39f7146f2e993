//! Reports written for the thirty-second round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, forty-eighth wave), labelled before the
//! parser ran on them, rebuilt from what people pasted and vendors published: forums and
//! question-and-answer pages (`pasted_forums3`); mailing-list archives (`pasted_lists3`); issue
//! threads of mail software and applications (`pasted_issues`); pages in twenty other languages
//! (`pasted_intl3`); non-failures a bounce processor receives (`pasted_nonfail3`); providers' and
//! vendors' documentation (`provider_samples`). The misses left are listed with their reasons;
//! the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "pasted_intl3/39-sv-exchange2013-det-gick-inte-att-leverera-ogiltigt-format.eml 'lars andersson@byggfirman-norrland.example'",
        "an address with an unquoted space is no address to the address finder: its last word is read",
    ),
    (
        "pasted_intl3/39-sv-exchange2013-det-gick-inte-att-leverera-ogiltigt-format.eml andersson@byggfirman-norrland.example",
        "as above: the address's last word is named",
    ),
    (
        "pasted_issues/28-opensmtpd-envelope-expired-misleading-wording.eml a.escalier@etu.univ-lyon.example",
        "OpenSMTPD's report headed \"Your message was successfully delivered\" (a known bug) over \"Envelope expired\" is read as the success it says",
    ),
    (
        "pasted_lists3/08-qmail-sourceware-list-address-not-in-to-cc.eml global-allow-subscribe-daniel.santos=pobox.example@sourceware.example",
        "the address to write to (\"by sending email … to:\" / the address alone below) is read as a listed recipient: \"sending email\" is no contact word (it would be in a failure's \"could not send email to\")",
    ),
    (
        "pasted_nonfail3/34-request-tracker-autoreply-ticket-created.eml kind",
        "a ticket system's automatic acknowledgement is read as an auto-reply; the label says not_bounce",
    ),
    (
        "provider_samples/26-exim-forwarder-to-zoho-policy-error.eml m.tran@lotusbay-travel.example",
        "the forward target's \"552 5.1.1 … Mailbox delivery failure policy error\" is read as its unknown user (2); the label says the forward's failure (6) or a policy refusal (4)",
    ),
];

#[test]
fn pasted_in_forums() {
    fresh_sets::check("pasted_forums3", KNOWN);
}

#[test]
fn quoted_in_list_archives() {
    fresh_sets::check("pasted_lists3", KNOWN);
}

#[test]
fn pasted_in_issue_threads() {
    fresh_sets::check("pasted_issues", KNOWN);
}

#[test]
fn pasted_in_twenty_languages() {
    fresh_sets::check("pasted_intl3", KNOWN);
}

#[test]
fn non_failures_a_bounce_processor_receives() {
    fresh_sets::check("pasted_nonfail3", KNOWN);
}

#[test]
fn providers_and_vendors_documentation() {
    fresh_sets::check("provider_samples", KNOWN);
}
