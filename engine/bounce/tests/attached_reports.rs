//! A delivery-status report passed on attached (`message/rfc822`) by a
//! program: a mailbox rule forwarding bounces to IT under its own
//! `Auto-Submitted`, its text naming nobody. The attached report is read, as
//! a gateway's is. A person's forward of the same attachment, with no such
//! header and no sign of a mail system, still names nobody.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

fn forward(extra_header: &str) -> String {
    format!(
        "From: Shop <noreply@shop.example>\n\
To: it@shop.example\nSubject: WG: Undelivered Mail Returned to Sender\n{extra_header}\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"f1\"\n\n\
--f1\nContent-Type: text/plain; charset=utf-8\n\n\
Forwarded automatically by the rule \"bounces to IT\".\n\n\
--f1\nContent-Type: message/rfc822\n\n\
Return-Path: <>\nFrom: MAILER-DAEMON@out.shop.example (Mail Delivery System)\n\
To: noreply@shop.example\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"r1\"\n\n\
--r1\nContent-Type: text/plain\n\nThis is the mail system at host out.shop.example.\n\n\
I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n\
<orders@client.example>: host mx.client.example[192.0.2.7] said: 554 5.7.1\n    \
<orders@client.example>: Relay access denied (in reply to RCPT TO command)\n\n\
--r1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; out.shop.example\n\n\
Final-Recipient: rfc822; orders@client.example\nAction: failed\nStatus: 5.7.1\n\
Diagnostic-Code: smtp; 554 5.7.1 <orders@client.example>: Relay access denied\n\n\
--r1--\n\n--f1--\n"
    )
}

#[test]
fn a_rules_forward_of_a_report_is_that_report() {
    let r = parse(forward("Auto-Submitted: auto-forwarded\n").as_bytes());
    assert!(r.is_bounce, "{r:?}");
    assert_eq!(r.kind, Kind::Dsn);
    let named: Vec<_> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.as_str(), f.status))
        .collect();
    assert_eq!(
        named,
        [("orders@client.example", ErrorStatus::ReceiverError)]
    );
}

#[test]
fn a_persons_forward_of_a_report_names_nobody() {
    let r = parse(forward("").as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
}
