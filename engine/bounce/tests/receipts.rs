//! Issue 18 item 2: a message disposition notification (RFC 8098) that
//! says the message was displayed, dispatched or processed is a read
//! receipt — a delivery, not a failure — from a person's client or from a
//! mail system's address, with its fields in their own part or written
//! into the text by a relay that dropped the part's type. Dovecot's Sieve
//! sends its rejections as MDNs too ("deleted"): those still fail.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Kind};

const ORIGINAL: &str = "From: Jane Sender <jane@sender.example>\n\
To: Joe Recipient <joe@dest.example>\n\
Subject: First draft of the report\n\
Message-ID: <draft-1@sender.example>\n\n\
Here is the draft.\n";

fn mdn(from: &str, fields_type: &str, disposition: &str) -> String {
    format!(
        "From: {from}\nTo: jane@sender.example\nSubject: Read: First draft of the report\n\
MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=disposition-notification; boundary=\"m\"\n\n\
--m\nContent-Type: text/plain\n\n\
The message sent on 2026-12-01 to Joe Recipient <joe@dest.example> with subject\n\
\"First draft of the report\" has been displayed. This is no guarantee that the\n\
message has been read or understood.\n\n\
--m\n{fields_type}\n\
Reporting-UA: mx.dest.example; Dovecot Mail Delivery Agent\n\
Final-Recipient: rfc822; joe@dest.example\n\
Original-Message-ID: <draft-1@sender.example>\n\
Disposition: {disposition}\n\n\
--m\nContent-Type: message/rfc822\n\n{ORIGINAL}\n--m--\n"
    )
}

#[test]
fn a_read_receipt_names_nobody_whoever_sends_it() {
    for from in [
        "Joe Recipient <joe@dest.example>",
        "Mail Delivery System <MAILER-DAEMON@mx.dest.example>",
        "postmaster@dest.example",
    ] {
        for disposition in [
            "manual-action/MDN-sent-manually; displayed",
            "automatic-action/MDN-sent-automatically; processed",
            "automatic-action/MDN-sent-automatically; dispatched",
        ] {
            for fields_type in ["Content-Type: message/disposition-notification\n", ""] {
                let r = parse(mdn(from, fields_type, disposition).as_bytes());
                assert!(
                    r.recipients.is_empty() && !r.is_bounce,
                    "{from} / {disposition} / {fields_type:?}: {:?} {:?}",
                    r.kind,
                    r.recipients
                );
                assert_eq!(r.kind, Kind::NotBounce, "{from} / {disposition}");
            }
        }
    }
}

#[test]
fn a_sieve_rejection_sent_as_an_mdn_still_fails() {
    let raw = "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.example>\n\
To: jane@sender.example\nSubject: Automatically rejected mail\nAuto-Submitted: auto-replied (rejected)\n\
MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=disposition-notification; boundary=\"r\"\n\n\
--r\nContent-Type: text/plain\n\n\
Your message to <joe@dest.example> was automatically rejected:\n\
Mailbox is closed: this address is no longer in use.\n\n\
--r\nContent-Type: message/disposition-notification\n\n\
Reporting-UA: mx.dest.example; Dovecot Mail Delivery Agent\n\
Final-Recipient: rfc822; joe@dest.example\n\
Original-Message-ID: <draft-1@sender.example>\n\
Disposition: automatic-action/MDN-sent-automatically; deleted\n\n\
--r\nContent-Type: message/rfc822\n\n"
        .to_string()
        + ORIGINAL
        + "\n--r--\n";
    let r = parse(raw.as_bytes());
    let named: Vec<&str> = r.recipients.iter().map(|f| f.recipient.as_str()).collect();
    assert_eq!(named, ["joe@dest.example"], "{r:?}");
}
