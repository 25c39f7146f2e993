//! Recipients in the address forms beyond ASCII dot-atoms: an
//! internationalised address (RFC 6531) in a `message/global-delivery-status`
//! report (RFC 6533, `utf-8;` address type) and in a text-only report, and
//! an address literal (`postmaster@[192.0.2.9]`, RFC 5321 §4.1.3).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

fn postfix_text(rcpt: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@relay.example>\n\
To: sender@example.org\nSubject: Undelivered Mail Returned to Sender\n\
Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\
This is the mail system at host relay.example.\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients.\n\n\
<{rcpt}>: host mx.dest.example[192.0.2.9] said: 550 5.1.1 <{rcpt}>:\n    \
Recipient address rejected: User unknown (in reply to RCPT TO command)\n"
    )
}

fn only(raw: &str) -> (String, ErrorStatus) {
    let r = parse(raw.as_bytes());
    assert!(r.is_bounce, "{r:?}");
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    (r.recipients[0].recipient.clone(), r.recipients[0].status)
}

#[test]
fn an_internationalised_address_in_a_text_report() {
    for rcpt in [
        "josé.müller@bücher.example",
        "用户@例子.广告",
        "ユーザー@例え.jp",
    ] {
        assert_eq!(
            only(&postfix_text(rcpt)),
            (rcpt.to_string(), ErrorStatus::UnknownUser)
        );
    }
}

#[test]
fn an_address_literal_in_a_text_report() {
    assert_eq!(
        only(&postfix_text("postmaster@[192.0.2.9]")),
        (
            "postmaster@[192.0.2.9]".to_string(),
            ErrorStatus::UnknownUser
        )
    );
}

#[test]
fn a_global_delivery_status_report() {
    let raw = "From: Mail Delivery System <MAILER-DAEMON@relay.example>\n\
To: sender@example.org\nSubject: Undelivered Mail Returned to Sender\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=global-delivery-status; boundary=\"B\"\n\n\
--B\nContent-Type: text/plain; charset=utf-8\n\nThis is the mail system at host relay.example.\n\n\
--B\nContent-Type: message/global-delivery-status\n\nReporting-MTA: dns; relay.example\n\n\
Final-Recipient: utf-8; 用户@例子.广告\nAction: failed\nStatus: 5.2.2\n\
Diagnostic-Code: smtp; 552 5.2.2 <用户@例子.广告>: mailbox full\n\n--B--\n";
    assert_eq!(
        only(raw),
        ("用户@例子.广告".to_string(), ErrorStatus::OverCapacity)
    );
}
