//! Reports written for the thirty-second round of issue 18 by helpers that never saw the parser,
//! its tables or its corpora (`fresh_reports/README.md`, forty-sixth wave), labelled before the
//! parser ran on them: captures of the kind developers keep as samples, with their quirks
//! (`fixture_like2`); four causes of every status in the wordings of many systems
//! (`status_spread3`); mail servers of 1998–2012 in their native layouts (`old_mta_2000s`);
//! reports in unusual MIME structures and encodings (`encoded_layouts`); North American, British
//! and Australian consumer ISPs of 1998–2012 (`isp_us_1998_2012`); SMTP session transcripts and
//! quoted replies in many shapes (`transcripts2`). The misses left are listed with their reasons;
//! the test fails when one becomes right.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/fresh_sets.rs"]
mod fresh_sets;

/// Misses left, as `set/file recipient` (or `set/file kind`), with why.
const KNOWN: &[(&str, &str)] = &[
    (
        "encoded_layouts/13-hosted-service-html-only-no-reason.eml lena.fischer@example.org",
        "a bare 550 after the end of data is read as the message's refusal (4, the reference corpus's reading of a refusal after DATA); the label says 99",
    ),
    (
        "fixture_like2/13-domino65-not-listed-and-file-missing.eml rkim@acme.example",
        "Domino's \"File does not exist\" (the recipient's mail file missing) is read as the recipient's (2); the label says a server error (7)",
    ),
    (
        "fixture_like2/25-gmx-forwarding-address-failed.eml k.mueller@mueller-haustechnik.example",
        "the forward target, quoted in the notice's reply line, is named beside the mailbox that forwards",
    ),
    (
        "fixture_like2/36-mdaemon9-invalid-address-base64-attachment.eml andy..harris@stonecraft.example",
        "\"501 5.5.4 Invalid Address\" is read as an unknown mailbox (2), as the reference corpus reads syntax refusals at RCPT (501 5.1.3 as 2); the label says 9",
    ),
    (
        "old_mta_2000s/40-isp-sendmail-procmail-spam-headers-only.eml ruthann.k@tristate-online.example",
        "Sendmail's bare \"Service unavailable\" (a local delivery agent's exit) is read as a server error (7); the cause is only in the returned copy's spam headers, which are never read for a cause",
    ),
    (
        "status_spread3/34-exim480-malformed-recipient-address.eml anna berg@nordkust.example",
        "an address with an unquoted space is no address to the address finder: its last word is read",
    ),
    (
        "status_spread3/34-exim480-malformed-recipient-address.eml berg@nordkust.example",
        "as above: the address's last word is named",
    ),
    (
        "transcripts2/11-mercury32-after-data-unable-to-process.eml h.greaves@dalesview-archive.example",
        "a bare 554 after the end of data is read as the message's refusal (4, the reference corpus's reading of a refusal after DATA); the label says 99",
    ),
    (
        "transcripts2/12-kerio-connect-spanish-generic.eml contabilidad@gestoria-pardo.example",
        "a bare 550 whose Spanish words name no cause is read as the mailbox's (2): the DSN's text tells no stage; the label says 99",
    ),
    (
        "transcripts2/40-postfix-smtp-client-errors-postmaster-notice.eml kind",
        "Postfix's notice to its postmaster (\"Postfix SMTP client: errors from\") is read as a report of the refused recipient, as the reference corpus reads it (lhost-postfix-75)",
    ),
    (
        "transcripts2/40-postfix-smtp-client-errors-postmaster-notice.eml frontdesk@kettleridge-imaging.example",
        "as above: the transcript's refused recipient is named",
    ),
];

#[test]
fn captures_kept_as_samples() {
    fresh_sets::check("fixture_like2", KNOWN);
}

#[test]
fn every_status_in_many_wordings() {
    fresh_sets::check("status_spread3", KNOWN);
}

#[test]
fn mail_servers_of_1998_to_2012() {
    fresh_sets::check("old_mta_2000s", KNOWN);
}

#[test]
fn unusual_mime_structures_and_encodings() {
    fresh_sets::check("encoded_layouts", KNOWN);
}

#[test]
fn consumer_isps_of_1998_to_2012() {
    fresh_sets::check("isp_us_1998_2012", KNOWN);
}

#[test]
fn session_transcripts_and_quoted_replies() {
    fresh_sets::check("transcripts2", KNOWN);
}
