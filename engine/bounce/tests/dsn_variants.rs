//! RFC 3464 reports as real MTAs vary them: no address type, upper case
//! and base64, folded and multi-line diagnostics, a comment after the
//! status, blocks without a blank line between them, `Original-Recipient`
//! next to an alias, `X-Actual-Recipient`, a `text/plain` delivery-status
//! part, `utf-8` address types (RFC 6533), a transient status given up
//! after days, a quoted report with only an `Original-Recipient`, a Status
//! only translated from its reply code, a bare refusal with its cause in the
//! transcript, a forwarding service's report wrapping its destination's. Written
//! for this test; each must name its recipients with
//! the status an operator would give (SPEC §13.5).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Kind};

/// A Postfix-like report around `body` (the delivery-status part, sent
/// with `encoding` as its transfer encoding header line, or "").
fn report(body: &str, part_type: &str, encoding: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.our.example>\n\
         To: sender@our.example\n\
         Subject: Undelivered Mail Returned to Sender\n\
         Date: Mon, 1 Dec 2026 10:00:00 +0000\n\
         Message-ID: <dsnv@mx.our.example>\n\
         MIME-Version: 1.0\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\n\n\
         --B\nContent-Type: text/plain\n\n\
         This is the mail system at host mx.our.example.\n\
         Your message could not be delivered to one or more recipients.\n\n\
         --B\nContent-Type: {part_type}\n{encoding}\n{body}\n\
         --B\nContent-Type: message/rfc822-headers\n\n\
         From: sender@our.example\nTo: jd@dest.example\nSubject: hello\n\
         Message-ID: <orig@our.example>\n\n--B--\n"
    )
}

const HEAD: &str = "Reporting-MTA: dns; mx.our.example\n\n";

#[allow(clippy::type_complexity)]
const CASES: &[(&str, &str, &[(&str, u8)])] = &[
    (
        "no address type",
        "Final-Recipient: <jd@dest.example>\nAction: failed\nStatus: 5.1.1\n\
         Diagnostic-Code: smtp; 550 5.1.1 user unknown\n",
        &[("jd@dest.example", 2)],
    ),
    (
        "folded diagnostic",
        "Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.0.0\n\
         Diagnostic-Code: smtp; 550 Requested action not taken:\n    mailbox unavailable, \
         the mailbox does not\n    exist\n",
        &[("jd@dest.example", 2)],
    ),
    (
        "comment after the status",
        "Final-Recipient: rfc822; jd@dest.example\nAction: failed\n\
         Status: 5.1.1 (bad destination mailbox address)\n",
        &[("jd@dest.example", 2)],
    ),
    (
        "two recipients, two causes",
        "Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.1.1\n\
         Diagnostic-Code: smtp; 550 5.1.1 no such user\n\n\
         Final-Recipient: rfc822; ann@dest.example\nAction: failed\nStatus: 5.2.2\n\
         Diagnostic-Code: smtp; 552 5.2.2 over quota\n",
        &[("jd@dest.example", 2), ("ann@dest.example", 5)],
    ),
    (
        "no blank line between the blocks",
        "Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.1.1\n\
         Final-Recipient: rfc822; ann@dest.example\nAction: failed\nStatus: 5.2.2\n",
        &[("jd@dest.example", 2), ("ann@dest.example", 5)],
    ),
    (
        // Final-Recipient wins when it is a routable address: sisimai's
        // convention, which the shared corpus's labels follow.
        "Original-Recipient next to an alias",
        "Original-Recipient: rfc822; jd@dest.example\n\
         Final-Recipient: rfc822; jdoe@mailstore.dest.example\nAction: failed\n\
         Status: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 quota exceeded\n",
        &[("jdoe@mailstore.dest.example", 5)],
    ),
    (
        "multi-line reply in the diagnostic",
        "Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.1.1\n\
         Diagnostic-Code: smtp; 550-5.1.1 The email account that you tried to reach does\n    \
         not exist. Please try 550-5.1.1 double-checking the recipient's email\n    \
         address for typos 550 5.1.1 https://support.google.com/mail/?p=NoSuchUser\n",
        &[("jd@dest.example", 2)],
    ),
    (
        "given up after days on a transient failure",
        "Arrival-Date: Fri, 28 Nov 2026 10:00:00 +0000\n\n\
         Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 4.4.1\n\
         Last-Attempt-Date: Mon, 1 Dec 2026 10:00:00 +0000\n\
         Diagnostic-Code: X-Postfix; connect to mx.dest.example[192.0.2.9]:25: Connection \
         timed out\n",
        &[("jd@dest.example", 3)],
    ),
    (
        "X-Actual-Recipient",
        "Final-Recipient: rfc822; jd@dest.example\nX-Actual-Recipient: rfc822; jd@dest.example\n\
         Action: failed\nStatus: 5.3.4\n\
         Diagnostic-Code: smtp; 552 5.3.4 Message size exceeds fixed limit\n",
        &[("jd@dest.example", 8)],
    ),
    (
        "utf-8 address type",
        "Final-Recipient: utf-8; jd@dest.example\nAction: failed\nStatus: 5.1.2\n\
         Diagnostic-Code: smtp; 550 5.1.2 Host unknown\n",
        &[("jd@dest.example", 1)],
    ),
];

fn named(raw: &str) -> Vec<(String, u8)> {
    parse(raw.as_bytes())
        .recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status.as_u8()))
        .collect()
}

fn want(list: &[(&str, u8)]) -> Vec<(String, u8)> {
    list.iter().map(|(a, s)| (a.to_string(), *s)).collect()
}

#[test]
fn field_variants_name_their_recipients() {
    let mut wrong = Vec::new();
    for (what, fields, expected) in CASES {
        let got = named(&report(
            &format!("{HEAD}{fields}"),
            "message/delivery-status",
            "",
        ));
        if got != want(expected) {
            wrong.push(format!("{what}: got {got:?} want {expected:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn upper_case_fields_in_base64() {
    // "Final-Recipient: RFC822; JD@DEST.EXAMPLE", "Action: Failed",
    // "Status: 5.2.2", "Diagnostic-Code: SMTP; 552 5.2.2 Mailbox full".
    let encoded = "UmVwb3J0aW5nLU1UQTogZG5zOyBteC5vdXIuZXhhbXBsZQoKRmluYWwtUmVjaXBpZW50OiBSRkM4\n\
         MjI7IEpEQERFU1QuRVhBTVBMRQpBY3Rpb246IEZhaWxlZApTdGF0dXM6IDUuMi4yCkRpYWdub3N0\n\
         aWMtQ29kZTogU01UUDsgNTUyIDUuMi4yIE1haWxib3ggZnVsbAo=\n";
    let raw = report(
        encoded,
        "message/delivery-status",
        "Content-Transfer-Encoding: base64\n",
    );
    assert_eq!(named(&raw), want(&[("jd@dest.example", 5)]));
    assert_eq!(parse(raw.as_bytes()).kind, Kind::Dsn);
}

#[test]
fn delivery_status_sent_as_text_plain() {
    let fields = format!(
        "{HEAD}Final-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.7.1\n\
         Diagnostic-Code: smtp; 554 5.7.1 Service unavailable; client host blocked using \
         zen.spamhaus.org\n"
    );
    assert_eq!(
        named(&report(&fields, "text/plain", "")),
        want(&[("jd@dest.example", 4)])
    );
}

#[test]
fn a_report_whose_boundary_was_lost_to_a_blank_line_is_read_as_a_report() {
    // Exchange's folded-header fault: the blank line ends the header block
    // before `boundary=`, and the parser sees one part. The delimiter
    // lines say what the boundary was.
    let raw = "From: Microsoft Outlook <postmaster@relay.dest.example>\n\
To: news@sender.example\nSubject: Undeliverable: November news\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status;\n\n\
\tboundary=\"rep-7\"\n\n--rep-7\nContent-Type: text/plain\n\n\
Delivery has failed to these recipients or groups:\n\njdoe@dest.example\n\
The recipient's mailbox is full and can't accept messages now.\n\n\
--rep-7\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; relay.dest.example\n\n\
Final-Recipient: rfc822; jdoe@dest.example\nAction: failed\nStatus: 5.2.2\n\
Diagnostic-Code: smtp; 554 5.2.2 mailbox full\n\n--rep-7--\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::Dsn);
    let named: Vec<_> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.as_str(), f.status, f.enhanced_status.as_deref()))
        .collect();
    assert_eq!(
        named,
        vec![(
            "jdoe@dest.example",
            hikyaku_bounce::ErrorStatus::OverCapacity,
            Some("5.2.2")
        )]
    );
}

#[test]
fn a_quoted_report_with_only_an_original_recipient() {
    // RFC 3464 requires `Final-Recipient`; a report quoted whole in a
    // bounce of a bounce (its header block, then its fields as text) may
    // carry only the `Original-Recipient` of the address the sender used.
    let raw = "From: MAILER-DAEMON@relay.isp.example\nTo: news@sender.example\n\
Subject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=us-ascii\n\n\
The message returned below could not be delivered to one or more destinations.\n\n\
---------------------------------\nFrom MAILER-DAEMON  Tue Dec  1 10:00:00 2026\n\
Return-Path: <>\nFrom: MAILER-DAEMON@relay.isp.example (Mail Delivery System)\n\
Subject: Undelivered Mail Returned to Sender\nTo: news@sender.example\n\n\
Reporting-MTA: dns; relay.isp.example\n\n\
Original-Recipient: rfc822; jd@dest.example\nAction: failed\nStatus: 5.2.2\n\
Diagnostic-Code: smtp; 552 5.2.2 Mailbox full\n";
    assert_eq!(named(raw), want(&[("jd@dest.example", 5)]));
}

/// A Sendmail report of one recipient: its text part (`text`), then a DSN
/// block with `status` and `diag`, then the returned message with `body`.
fn sendmail(text: &str, status: &str, diag: &str, body: &str) -> String {
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.our.example>\n\
         To: list-bounces@our.example\n\
         Subject: Returned mail: see transcript for details\n\
         MIME-Version: 1.0\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"S\"\n\n\
         --S\n\n{text}\n\
         --S\nContent-Type: message/delivery-status\n\n\
         Reporting-MTA: dns; relay.our.example\n\n\
         Final-Recipient: RFC822; jd@dest.example\nAction: failed\nStatus: {status}\n\
         Diagnostic-Code: SMTP; {diag}\n\n\
         --S\nContent-Type: message/rfc822\n\n\
         From: list@our.example\nTo: list@our.example\nSubject: news\n\n{body}\n--S--\n"
    )
}

#[test]
fn a_status_translated_from_the_reply_code_gives_way_to_its_words() {
    // Sendmail's smtptodsn() gives 552 the Status 5.2.2 whatever the reply
    // says: "mailbox not found" is the reply's own word.
    let raw = sendmail(
        "   ----- The following addresses had permanent fatal errors -----\n<jd@dest.example>\n\
         \x20   (reason: 552 1 Requested mail action aborted, mailbox not found)\n",
        "5.2.2",
        "552 1 Requested mail action aborted, mailbox not found",
        "hello",
    );
    assert_eq!(named(&raw), want(&[("jd@dest.example", 2)]));
    // A Status of the server's own (5.2.2 with 552 and full-mailbox words)
    // stays what it says.
    let full = sendmail(
        "<jd@dest.example>\n    (reason: 552 5.2.2 Mailbox full)\n",
        "5.2.2",
        "552 5.2.2 Mailbox full",
        "hello",
    );
    assert_eq!(named(&full), want(&[("jd@dest.example", 5)]));
}

#[test]
fn a_bare_refusal_reads_the_transcripts_cause() {
    // "554 TRANSACTION FAILED" names no cause; the multi-line reply in the
    // transcript below the recipient does (AOL's RLY:B1, a blocked IP).
    let transcript = "   ----- The following addresses had permanent fatal errors -----\n\
        <jd@dest.example>\n    (reason: 554 TRANSACTION FAILED)\n\n\
        \x20  ----- Transcript of session follows -----\n\
        ... while talking to mx.dest.example.:\n>>> MAIL From:<list-bounces@our.example>\n\
        <<< 554- (RLY:B1) The IP address you are using to connect has been blocked\n\
        <<< 554- due to complaints from our members.\n<<< 554 TRANSACTION FAILED\n";
    let raw = sendmail(transcript, "5.0.0", "554 TRANSACTION FAILED", "hello");
    assert_eq!(named(&raw), want(&[("jd@dest.example", 4)]));
    // A returned message's words decide nothing, nor a temporary reply.
    let decoy = sendmail(
        "<jd@dest.example>: temporary failure\n",
        "4.0.0",
        "temporary failure",
        "Your mailbox is full of savings! Quota exceeded? Unknown user? Not here.",
    );
    assert!(
        named(&decoy).iter().all(|(_, s)| *s != 5 && *s != 2),
        "{:?}",
        named(&decoy)
    );
}

#[test]
fn a_report_wrapping_its_destinations_report() {
    // A forwarding service passing its destination's bounce on: the outer
    // block names no cause, the attached report does, for another address
    // (the forward's target): the forward failed.
    let raw = "From: Forwarding Service <postmaster@alumni.example.edu>\n\
To: list-bounces@our.example\nSubject: Delivery failure\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"W\"\n\n\
--W\n\nA message you sent to jd@alumni.example.edu was forwarded, and the destination \
returned the report attached below.\n\n\
--W\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; fwd.alumni.example.edu\n\n\
Final-Recipient: rfc822; jd@alumni.example.edu\nAction: failed\nStatus: 5.0.0\n\
Diagnostic-Code: X-Forwarding; destination returned a delivery failure report\n\n\
--W\nContent-Type: message/rfc822\n\n\
From: Mail Delivery System <Mailer-Daemon@mx.isp.example>\nTo: srs0=x@alumni.example.edu\n\
Subject: Mail delivery failed: returning message to sender\nX-Failed-Recipients: jdoe@isp.example\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
\x20 jdoe@isp.example\n    mailbox is full: retry timeout exceeded\n\n--W--\n";
    assert_eq!(named(raw), want(&[("jd@alumni.example.edu", 6)]));
}
