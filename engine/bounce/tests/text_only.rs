//! A report read from its text alone (an old MTA, or a DSN part lost on the
//! way) gives the status its DSN would give: each message here is written
//! twice, with and without its `message/delivery-status` part, in the
//! layouts of Sendmail and qmail (written for this test, not copied).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

fn sendmail(rcpt: &str, text: &str, dsn: Option<&str>) -> String {
    let dsn_part = dsn.map_or(String::new(), |d| {
        format!(
            "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.sender.example\n\n\
Final-Recipient: RFC822; {rcpt}\nAction: failed\n{d}\n\n"
        )
    });
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.sender.example>\n\
To: news@sender.example\nSubject: Returned mail: see transcript for details\n\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
The original message was received at Mon, 30 Nov 2026 08:00:00 +0900\n\
from app.sender.example [192.0.2.10]\n\n{text}\n\n{dsn_part}\
--b\nContent-Type: text/rfc822-headers\n\n\
From: news@sender.example\nTo: {rcpt}\nSubject: November news\n\n--b--\n"
    )
}

fn both(rcpt: &str, text: &str, dsn: &str) -> (ErrorStatus, ErrorStatus, Option<String>) {
    let with = parse(sendmail(rcpt, text, Some(dsn)).as_bytes());
    let without = parse(sendmail(rcpt, text, None).as_bytes());
    assert_eq!(with.kind, Kind::Dsn);
    assert_eq!(without.kind, Kind::NonStandard);
    assert_eq!(with.recipients.len(), 1);
    assert_eq!(without.recipients.len(), 1);
    assert_eq!(without.recipients[0].recipient, rcpt);
    (
        with.recipients[0].status,
        without.recipients[0].status,
        without.recipients[0].enhanced_status.clone(),
    )
}

#[test]
fn sendmail_giving_up_after_its_queue_lifetime_is_a_resend_timeout() {
    // The transcript line is the last attempt's answer; "Message will be
    // deleted from queue" is the verdict (the DSN's 4.4.7) where that
    // answer names no cause of its own (a failing server, a lookup).
    for last in [
        "Deferred: Name server: dest.example.: host name lookup failure",
        "Deferred: Connection timed out with mx.dest.example.",
        "Deferred: 421 mx.dest.example: Service not available",
    ] {
        let text = format!(
            "   ----- The following addresses had permanent fatal errors -----\n\
<jd@dest.example>\n\n   ----- Transcript of session follows -----\n\
<jd@dest.example>... {last}\n\
Message could not be delivered for 5 days\nMessage will be deleted from queue"
        );
        let (with, without, enh) = both(
            "jd@dest.example",
            &text,
            "Status: 4.4.7\nRemote-MTA: DNS; mx.dest.example",
        );
        assert_eq!(with, ErrorStatus::ResendTimeout, "{last}");
        assert_eq!(without, ErrorStatus::ResendTimeout, "{last}");
        assert_eq!(enh, None, "no code is made up");
    }
    // A cause the last answer names is kept, as for a DSN whose transient
    // code comes with words: the mailbox was full for five days.
    let text = "   ----- The following addresses had permanent fatal errors -----\n\
<jd@dest.example>\n\n   ----- Transcript of session follows -----\n\
<jd@dest.example>... Deferred: Mailbox full\n\
Message could not be delivered for 5 days\nMessage will be deleted from queue";
    let (_, without, _) = both("jd@dest.example", text, "Status: 4.4.7");
    assert_eq!(without, ErrorStatus::OverCapacity);
}

#[test]
fn a_code_in_the_recipients_reason_outranks_sendmails_own_summary() {
    // Sendmail ends every transcript with its own "554 5.0.0 Service
    // unavailable"; the recipient's `(reason: …)` line is the remote's
    // answer and decides, as its DSN's Diagnostic-Code does.
    for (reason, want) in [
        (
            "552 5.3.4 Message too big for system",
            ErrorStatus::Oversize,
        ),
        (
            "550 5.1.1 <jd@dest.example>... User unknown",
            ErrorStatus::UnknownUser,
        ),
        ("552 5.2.2 Mailbox full", ErrorStatus::OverCapacity),
    ] {
        let text = format!(
            "   ----- The following addresses had permanent fatal errors -----\n\
<jd@dest.example>\n    (reason: {reason})\n\n   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n>>> DATA\n<<< {reason}\n554 5.0.0 Service unavailable"
        );
        let (with, without, _) = both(
            "jd@dest.example",
            &text,
            &format!("Status: {}\nDiagnostic-Code: SMTP; {reason}", &reason[4..9]),
        );
        assert_eq!(with, want, "{reason}");
        assert_eq!(without, want, "{reason}");
    }
    // A code that names no cause (5.6.0, "other media error") still beats
    // the summary's generic wording: the verdict is the code's, not a
    // failing server's.
    let text = "   ----- The following addresses had permanent fatal errors -----\n\
<jd@dest.example>\n    (reason: 552 5.6.0 Headers too large (32 max))\n\n\
   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n>>> DATA\n<<< 552 5.6.0 Headers too large (32 max)\n\
554 5.0.0 Service unavailable";
    let (with, without, _) = both(
        "jd@dest.example",
        text,
        "Status: 5.6.0\nDiagnostic-Code: SMTP; 552 5.6.0 Headers too large (32 max)",
    );
    assert_eq!(without, with);
    assert_ne!(without, ErrorStatus::ReceiverError);
}

#[test]
fn qmail_giving_up_after_queuelifetime_is_a_resend_timeout() {
    let raw = "From: MAILER-DAEMON@mx.sender.example\nTo: news@sender.example\n\
Subject: failure notice\n\n\
Hi. This is the qmail-send program at mx.sender.example.\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
<jd@dest.example>:\n\
Connected to 192.0.2.25 but connection died. (#4.4.2)\n\
I'm not going to try again; this message has been in the queue too long.\n\n\
--- Below this line is a copy of the message.\n\n\
From: news@sender.example\nTo: jd@dest.example\nSubject: November news\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1);
    assert_eq!(r.recipients[0].status, ErrorStatus::ResendTimeout);
}

#[test]
fn postfix_temporary_failure_after_days_in_the_queue_is_a_resend_timeout() {
    // No code anywhere: Postfix's "temporary failure" is a soft error, and
    // the returned copy's trace shows the message queued for two days. The
    // copy's part lost the blank line after its `Content-Type`, so its own
    // header fields run on in the part's header block; they are still read
    // (Message-ID for matching, Received for the period).
    let report = |returned_at: &str| {
        format!(
            "From: MAILER-DAEMON@mx.sender.example (Mail Delivery System)\n\
To: news@sender.example\nSubject: Undelivered Mail Returned to Sender\n\
Date: {returned_at}\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Description: Notification\nContent-Type: text/plain\n\n\
This is the mail system at host mx.sender.example.\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients. It's attached below.\n\n\
                   The mail system\n\n\
<jd@dest.example>: temporary failure\n\n\
--b\nContent-Description: Undelivered Message\nContent-Type: message/rfc822\n\
Received: from app.sender.example (app.sender.example [192.0.2.10])\n\
\tby mx.sender.example (Postfix) with ESMTP id 4F2A1\n\
\tfor <jd@dest.example>; Sun, 29 Nov 2026 09:00:00 +0000 (UTC)\n\
Message-ID: <n-42@sender.example>\nFrom: news@sender.example\nTo: jd@dest.example\n\
Subject: November news\nContent-Type: multipart/mixed; boundary=\"inner\"\n\n\
--inner\nContent-Type: text/plain\n\nNews.\n--inner--\n\n--b--\n"
        )
    };
    let late = parse(report("Tue, 1 Dec 2026 09:30:00 +0000").as_bytes());
    assert_eq!(late.recipients.len(), 1);
    assert_eq!(late.recipients[0].status, ErrorStatus::ResendTimeout);
    assert_eq!(
        late.original_message_id.as_deref(),
        Some("n-42@sender.example")
    );
    // Returned within the hour: not a queue lifetime, the failing server's.
    let soon = parse(report("Sun, 29 Nov 2026 09:40:00 +0000").as_bytes());
    assert_eq!(soon.recipients[0].status, ErrorStatus::ReceiverError);
}

#[test]
fn an_auto_replied_report_in_an_mta_template_is_a_report_without_codes() {
    // Postfix marks its reports `Auto-Submitted: auto-replied`; a remote
    // reply quoted without a code ("refused to talk to me: service
    // refused") is still the report's, not a vacation message's.
    let report = |from: &str, body: &str| {
        format!(
            "From: {from}\nTo: news@sender.example\nSubject: Undelivered Mail Returned to Sender\n\
Auto-Submitted: auto-replied\n\n{body}"
        )
    };
    let postfix = "This is the mail system at host mx.sender.example.\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients. It's attached below.\n\n\
                   The mail system\n\n\
<jd@dest.example>: host mx.dest.example[192.0.2.25] refused to talk to me:\n\
    Service refused, please try later. POLICY_17\n";
    let r = parse(
        report(
            "MAILER-DAEMON@mx.sender.example (Mail Delivery System)",
            postfix,
        )
        .as_bytes(),
    );
    assert_eq!(r.kind, Kind::NonStandard);
    assert_eq!(r.recipients.len(), 1);
    assert_eq!(r.recipients[0].recipient, "jd@dest.example");
    // A person's auto-reply quoting the same words is not a report.
    let vacation = "I am away until Monday. Your mail about\n\n\
<jd@dest.example>: refused to talk to me\n\nwill be read then.\n";
    let r = parse(report("Ann <ann@dest.example>", vacation).as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
}

/// 8-bit text in a legacy charset, undeclared (a French or German server's
/// words, Latin-1 bytes): read as windows-1252, not as UTF-8 with
/// replacement characters that no phrase matches. Both in the text part
/// (no `charset`) and in the delivery-status part's diagnostic.
#[test]
fn undeclared_latin1_words_keep_their_cause() {
    let latin1 = |s: &str| -> Vec<u8> {
        s.chars()
            .map(|c| u8::try_from(u32::from(c)).unwrap())
            .collect()
    };
    let text = "<marie@exemple.fr>\n    (reason: 554 Boîte aux lettres pleine)";
    let raw = latin1(&sendmail("marie@exemple.fr", text, None));
    assert!(std::str::from_utf8(&raw).is_err());
    let r = parse(&raw);
    assert_eq!(r.recipients.len(), 1);
    assert_eq!(r.recipients[0].status, ErrorStatus::OverCapacity);

    // Declared with a name no decoder knows: the same.
    let unknown = sendmail("marie@exemple.fr", text, None).replace(
        "Content-Type: text/plain\n\nThe original",
        "Content-Type: text/plain; charset=unknown-8bit\n\nThe original",
    );
    assert!(unknown.contains("unknown-8bit"));
    let r = parse(&latin1(&unknown));
    assert_eq!(
        r.recipients[0].status,
        ErrorStatus::OverCapacity,
        "unknown-8bit"
    );

    let dsn = "Status: 5.0.0\nDiagnostic-Code: smtp; 554 Empfänger unbekannt";
    let raw = latin1(&sendmail(
        "jan@beispiel.de",
        "<jan@beispiel.de>\n    (reason: Service unavailable)",
        Some(dsn),
    ));
    let r = parse(&raw);
    assert_eq!(r.kind, Kind::Dsn);
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
}
