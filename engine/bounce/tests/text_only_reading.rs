//! A report read from its words alone names the cause its delivery-status
//! part names (issue 18 item 3). Reports reach us without that part: a
//! user forwards the notice, a gateway drops parts it does not know, a
//! help page or an issue pastes the text, and old or hand-written
//! notices never had one. Each message here is a real format's report
//! (written here from the format) whose human-readable text states the
//! cause plainly; with its `message/delivery-status` part taken out, each
//! failed recipient must keep the status the whole report gives it.
//! - Exchange Online: "d.okafor wasn't found at example.net." is the
//!   mailbox (2), not its domain: the dotted word before the words is the
//!   local part, the domain comes after "at".
//! - Gmail's sections: "x@d -- Address not found … because the domain d
//!   couldn't be found" names one address twice, and its domain (1).
//! - Kerio Connect: "The domain name of the recipient address does not
//!   exist" is the domain's (1); so is Sun Messaging Server's Spanish
//!   "Se encontró un nombre de host/dominio no válido".
//! - A template's gloss of the code ("You do not have permission to send
//!   to this recipient" for any 5.7.1, Gmail's "Address not found" for any
//!   5.1.x) gives way to the remote reply it quotes ("Relaying denied",
//!   "mail for x loops back to myself").
//! - "the recipient's email server refused the connection" is a
//!   connection refused (3, the retries' end), not a refusal of the mail;
//!   Exchange Online's Russian "отклонила отправку с IP-адреса" is (4).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/text_parts.rs"]
mod text_parts;

use text_parts::{all_dev_messages, assert_alike, reading, without_top_level_parts};

/// `raw` (`\n` line ends) without its top-level `message/delivery-status`
/// part (RFC 6533's `message/global-delivery-status` too), or `None` when
/// it has none.
fn without_delivery_status(raw: &[u8]) -> Option<Vec<u8>> {
    without_top_level_parts(raw, &|t| {
        matches!(
            t,
            "message/delivery-status" | "message/global-delivery-status"
        )
    })
}

/// The test message `name` (under `tests/`) read whole and without its
/// delivery-status part.
fn both_readings(name: &str) -> (Reading, Reading) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name);
    let raw = std::fs::read(path).unwrap();
    let text_only = without_delivery_status(&raw).expect(name);
    (reading(&raw), reading(&text_only))
}

#[test]
fn the_text_alone_names_the_cause_the_dsn_names() {
    for name in [
        "fresh_reports/m365_docs/01-exo-en-5.1.10-recipient-not-found.eml",
        "fresh_reports/modern_src/20-m365-recipient-not-found.eml",
        "fresh_reports/pasted_lists3/09-exchange-online-two-recipients-not-found.eml",
        "fresh_reports/many_causes/07-gmail-2019-three-sections-nosuchuser-nxdomain-blocked.eml",
        "fresh_reports/app_relay_dsns/15-kerio-connect-host-not-found.eml",
        "fresh_reports/m365_docs/22-exo-en-5.4.316-expired-connection-refused.eml",
        "fresh_reports/pasted_issues/09-gmail-dsn-modoboa-loops-back-to-myself.eml",
        "fresh_reports/legacy_bounces_real_world/17-exchange2003-multi-relay-denied-bad-format.eml",
        "fresh_reports/isp_world_1998_2012/12-prodigy-mx-dos-destinatarios.eml",
        "fresh_reports/exchange_ndr_languages/15-ru-exchange-online-enhanced-5.7.708.eml",
    ] {
        let (whole, words) = both_readings(name);
        assert!(!words.1.is_empty(), "{name}: {words:?}");
        // Each recipient the text names has the status the whole report
        // gives it (the text of Exchange 2003 leaves out an address it
        // could not write, `r.ortega@meridianlabs..example`).
        for named in &words.1 {
            assert!(whole.1.contains(named), "{name}: {named:?} in {whole:?}");
        }
    }
}

/// Sun/Oracle Messaging Server (iPlanet, Sun ONE, Java System) writes
/// each recipient as a block of fields ("Recipient address:", "Original
/// address:", "Reason:") under a section's header, and mixes failed,
/// delayed and delivered sections in one report. Read from its text alone,
/// each report names the recipients its DSN names, each with its status:
/// the delivered and delayed sections' blocks are no failures (their
/// headers wrap before "to the following recipients:"), an "Original
/// address:" is its block's recipient as the sender wrote it, and a
/// delay notice ("enqueued and undeliverable for 1 day … will continue to
/// be queued") fails nobody.
#[test]
fn sun_messaging_server_blocks_read_from_the_text_alone() {
    for name in [
        "fresh_reports/groupware_generic_text/30-sun-ms7-alias-forward-rejected.eml",
        "fresh_reports/groupware_ndrs/38-sun-messaging-server-three-recipients-forward-failed.eml",
        "fresh_reports/isp_mtas_1998_2008/12-iplanet-illegal-host-and-forward-rejected.eml",
        "fresh_reports/isp_mtas_1998_2008/13-sunone-delivery-delayed.eml",
        "fresh_reports/list_standalone/16-sun-jsms-2006-delivered-and-cannot-deliver-sections.eml",
        "fresh_reports/many_causes2/17-iplanet52-size-user-policy.eml",
        "fresh_reports/mixed/19-sun-messaging-failed-and-delivered.eml",
        "fresh_reports/multi_cause_blocks/39-sun-messaging-recipient-address-blocks.eml",
        "fresh_reports/multi_mem3/07-sunms-delivered-and-failed.eml",
        "fresh_reports/multi_mem/30-sun-messaging-mixed.eml",
        "fresh_reports/multi_pasted/32-sun-messaging-server-quota-alias-host.eml",
        "fresh_reports/multi_rcpt_mixed/35-sunjava-failed-delayed-delivered.eml",
        "fresh_reports/multi_rcpt_mixed/37-oracle-ms-all-delayed-three.eml",
        "fresh_reports/multi_rcpt_reports2/16-sunmessaging63-failed-and-delivered.eml",
        "fresh_reports/status_spread4/26-sun-jsms63-original-address-forward-rejected.eml",
        "fresh_reports/warnings_finals3/40-sun-messaging-server-mixed-spf-rejected-and-delayed.eml",
    ] {
        let (whole, words) = both_readings(name);
        assert_eq!(words.1, whole.1, "{name}");
    }
    // The original address is kept beside its recipient, as from a DSN.
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fresh_reports/multi_mem/30-sun-messaging-mixed.eml");
    let raw = std::fs::read(path).unwrap();
    let r = hikyaku_bounce::parse(&without_delivery_status(&raw).unwrap());
    let quota = r
        .recipients
        .iter()
        .find(|f| f.recipient == "rbighorn@ms1.tallpines.example")
        .expect("the over-quota block");
    assert_eq!(
        quota.original_recipient.as_deref(),
        Some("r.bighorn@tallpines.example")
    );
    assert_eq!(quota.status, hikyaku_bounce::ErrorStatus::OverCapacity);
}

/// A mixed report's delivered, relayed and delayed recipients are no
/// failures from its text either: Stalwart's sections ("Delivery to the
/// following addresses was successful", "There was a temporary problem
/// delivering to these addresses"), Sendmail's transcript line for a
/// recipient it relayed ("<a@x>... relayed; expect no further
/// notifications", below "had successful delivery notifications"). And
/// the failed list beside a delayed one fails, reasons or none (Exchange
/// 2003 and IIS: "Delivery to the following recipients failed." over
/// bare addresses, "… has been delayed." over others; Courier's "DELAYED
/// MAIL" section, whose heading's paragraph ends "you will be notified if
/// it cannot be delivered": a condition, no failure).
#[test]
fn a_mixed_reports_other_sections_are_no_failures_from_its_text() {
    for name in [
        "fresh_reports/delays_src/26-stalwart-mixed-delay-and-failure.eml",
        "fresh_reports/dsn/17-stalwart-partial-delivered-delayed-failed.eml",
        "fresh_reports/dsn_edge/20-stalwart-partial-delivered-delayed-failed.eml",
        "fresh_reports/timeouts_src/34-stalwart-mixed-temporary-and-permanent.eml",
        "mta_templates_modern/stalwart_mixed.eml",
        "fresh_reports/delays_mem/45-stalwart-mixed.eml",
        "fresh_reports/dsn_list_era/24-courier065-failed-and-delayed.eml",
        "fresh_reports/mixed/02-sendmail-fatal-plus-relayed.eml",
        "fresh_reports/multi_pasted/03-sendmail811-partial-relayed.eml",
        "fresh_reports/multi_rcpt_mixed/06-sendmail-success-and-failure.eml",
        "fresh_reports/mta/11-exchange2003-dsn-failed-and-delay.eml",
        "fresh_reports/multi_mem/20-exchange2003-dsn-delayed.eml",
        "fresh_reports/layouts/15-iis-smtp-relayed-and-failed.eml",
        "fresh_reports/warnings_finals3/39-iis-smtp-mixed-failure-size-and-delay.eml",
        "fresh_reports/delays_mem/13-courier-mixed.eml",
        "fresh_reports/mixed/18-courier-undeliverable-and-delayed.eml",
        "fresh_reports/mta/09-courier-undeliverable-and-delayed.eml",
        "fresh_reports/multi_rcpt_mixed/31-courier-failed-and-delayed.eml",
    ] {
        let (whole, words) = both_readings(name);
        assert!(!whole.1.is_empty(), "{name}");
        let names = |r: &Reading| r.1.iter().map(|(a, _)| a.clone()).collect::<Vec<_>>();
        assert_eq!(names(&words), names(&whole), "{name}");
    }
}

type Reading = (
    hikyaku_bounce::Kind,
    Vec<(String, hikyaku_bounce::ErrorStatus)>,
);

/// A warning, a relay notice or a receipt fails nobody, read from its text
/// alone as with its DSN: every message of the shared corpus, of the
/// imported corpora's dev split and of the test messages written here
/// whose whole reading names no failed recipient names none without its
/// `message/delivery-status` part. (Failing a delivery on a warning would
/// fail mail that is still being tried, and can block its address.) The
/// warnings' own statements decide: Exchange's "Delivery will continue to
/// be attempted" and Postfix's "THIS IS A WARNING ONLY" banner in the
/// languages of their localised templates, Exim's "Delivery attempts will
/// continue for some time", Gmail's "Delivery incomplete", and Postfix's
/// "It will be retried until it is 2 day(s) old" over a 5xx greeting it
/// retries.
#[test]
fn a_report_whose_dsn_fails_nobody_fails_nobody_from_its_text() {
    // Postfix's address verification report ("Enclosed is the mail
    // delivery report that you requested" over "delivery via local:
    // delivers to mailbox"), which only `sendmail -bv` asks for: its
    // wrapped "(expanded from" lines still hide the words after each
    // address.
    const KNOWN: &[&str] = &["postfix_variants/19-pf211-verify-status-report.eml"];
    let mut tried = 0;
    let mut named = Vec::new();
    for (path, raw) in all_dev_messages() {
        let Some(text_only) = without_delivery_status(&raw) else {
            continue;
        };
        let whole = reading(&raw);
        if !whole.1.is_empty() {
            continue;
        }
        tried += 1;
        let words = reading(&text_only);
        if !words.1.is_empty() && !KNOWN.iter().any(|k| path.ends_with(k)) {
            named.push(format!("{path}: {whole:?} -> {words:?}"));
        }
    }
    assert_alike(
        "reports naming nobody read without their DSN part",
        tried,
        500,
        &named,
    );
}

#[test]
fn the_delivery_status_part_is_what_is_taken_out() {
    let raw = "From: MAILER-DAEMON@x.example\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n\
--b1\nContent-Type: text/plain\n\nCould not deliver to a@d.example.\n\
--b1\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; x.example\n\nFinal-Recipient: rfc822; a@d.example\n\
Action: failed\nStatus: 5.1.1\n\
--b1--\n";
    let out = String::from_utf8(without_delivery_status(raw.as_bytes()).unwrap()).unwrap();
    assert!(out.contains("Could not deliver"), "{out}");
    assert!(!out.contains("Final-Recipient"), "{out}");
    assert!(out.ends_with("--b1--\n"), "{out}");
    assert!(without_delivery_status(b"From: a@b\n\nhello\n").is_none());
}

/// A warning says so in its body, whatever its subject: with the
/// `Subject:` a gateway dropped, Gmail's Spanish warning ("ESTE ES
/// ÚNICAMENTE UN MENSAJE DE ADVERTENCIA"), @nifty's ("現在まだ配送されて
/// いません") and patched qmail's ("This is only a warning") still fail
/// nobody.
#[test]
fn a_warning_without_its_subject_is_still_a_warning() {
    for name in [
        "fresh_reports/warnings_finals3/15-gmail2012-es-aviso-retraso-connection-refused.eml",
        "fresh_reports/localized_mem2/35-jp-isp-delay-shiftjis.eml",
        "fresh_reports/qmail_variants2/36-patched-qmail-delay-warning.eml",
    ] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests")
            .join(name);
        let raw = std::fs::read(path).unwrap();
        let split = memchr::memmem::find(&raw, b"\n\n").unwrap();
        let mut out = Vec::new();
        let mut skipping = false;
        for line in raw[..split].split(|&b| b == b'\n') {
            if !line.starts_with(b" ") && !line.starts_with(b"\t") {
                skipping = line.to_ascii_lowercase().starts_with(b"subject:");
            }
            if !skipping {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        assert!(out.len() < split, "{name} has a subject");
        out.extend_from_slice(&raw[split + 1..]);
        let (kind, named) = reading(&out);
        assert_eq!(kind, hikyaku_bounce::Kind::Delayed, "{name}: {named:?}");
        assert!(named.is_empty(), "{name}: {named:?}");
    }
}
