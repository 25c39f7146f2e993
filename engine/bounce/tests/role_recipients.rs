//! A role address (`noreply@`, `postmaster@`, `mailer-daemon@`) can be the
//! recipient that failed: mail is sent to such addresses. Where it opens its
//! own recipient block it is the recipient, and the addresses quoted in
//! that block (our own sender in the remote reply) or in the returned copy
//! (a list, another recipient) are not. Messages written from Postfix's and
//! qmail's formats; the same reports for an ordinary mailbox read alike.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

/// Postfix's block, its reply quoting our envelope sender; the body only,
/// as a report pasted or forwarded without its header.
fn postfix_body(rcpt: &str) -> String {
    format!(
        "This is the mail system at host mailer.sender.example.\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients. It's attached below.\n\n\
For further assistance, please send mail to postmaster.\n\n\
                   The mail system\n\n\
<{rcpt}>: host\n    mx1.dest.example[192.0.2.51] said: 550 5.1.1\n    \
<bounces+7f3a91c2@mail.sender.example>: unauthorized sender (in\n    \
reply to RCPT TO command)\n"
    )
}

/// qmail's "<addr>:" over its reason, the returned copy's trace naming the
/// mailbox the message was first delivered to.
fn qmail(rcpt: &str) -> String {
    format!(
        "Return-Path: <>\nDate: 13 Sep 2025 11:30:06 +0300\n\
From: postmaster@mx.dest.example\nTo: alerts@sender.example\nSubject: failure notice\n\n\
Hi. This is the qmail-send program at mx.dest.example.\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
<{rcpt}>:\n\
Message rejected. Not enough storage space in user's mailbox to accept message.\n\n\
--- Below this line is a copy of the message.\n\n\
Return-Path: <alerts@sender.example>\n\
Delivered-To: dest.example-info@dest.example\n\
Received: from mail.sender.example (192.0.2.7)\n\
\tby mx.dest.example with SMTP\n\tfor <info@dest.example>; 13 Sep 2025 08:25:43 +0300\n\
From: alerts@sender.example\nTo: {rcpt}\nSubject: Your invoice\n\nHello.\n"
    )
}

fn named(raw: &str) -> Vec<(String, ErrorStatus)> {
    parse(raw.as_bytes())
        .recipients
        .into_iter()
        .map(|r| (r.recipient, r.status))
        .collect()
}

#[test]
fn a_role_address_opening_its_block_is_the_recipient() {
    for rcpt in [
        "jane.doe@dest.example",
        "noreply@dest.example",
        "no-reply@dest.example",
        "postmaster@dest.example",
        "mailer-daemon@dest.example",
    ] {
        assert_eq!(
            named(&postfix_body(rcpt)),
            [(rcpt.to_string(), ErrorStatus::Rejected)],
            "Postfix, {rcpt}"
        );
        assert_eq!(
            named(&qmail(rcpt)),
            [(rcpt.to_string(), ErrorStatus::OverCapacity)],
            "qmail, {rcpt}"
        );
    }
}

/// Advice naming a role address is still nobody's failure: "please send
/// mail to <postmaster@x>: …" does not open a recipient's block.
#[test]
fn a_role_address_in_advice_is_not_a_recipient() {
    let raw = postfix_body("jane.doe@dest.example").replace(
        "For further assistance, please send mail to postmaster.",
        "For further assistance, please send mail to\n<postmaster@mailer.sender.example>.",
    );
    assert_eq!(
        named(&raw),
        [("jane.doe@dest.example".to_string(), ErrorStatus::Rejected)]
    );
}

/// Exchange 5.5's list ("did not reach the following recipient(s):" /
/// "a@x on <date>") above the returned copy, whose `To:` is a mailing list:
/// a role address listed there is the recipient, not the list.
fn exchange55(rcpt: &str) -> String {
    format!(
        "From: System Administrator <postmaster@mainex1.dest.example>\n\
To: news-admin@lists.sender.example\nSubject: Undeliverable: [News] Monthly digest\n\
Date: Fri, 20 Jul 2001 11:09:00 -0700\nX-Mailer: Internet Mail Service (5.5.2653.19)\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n\
--B\nContent-Type: text/plain\n\n\
Your message\n\n  To:      news@lists.sender.example\n  Subject: [News] Monthly digest\n\
  Sent:    Fri, 20 Jul 2001 08:53:08 -0700\n\n\
did not reach the following recipient(s):\n\n\
{rcpt} on Fri, 20 Jul 2001 11:08:59 -0700\n\
    The recipient name is not recognized\n\
\tThe MTS-ID of the original message is: c=us;a= ;p=dest;l=MAINEX101072018083MQDQNKX\n\
    MSEXCH:IMS:Dest:MAIN:MAINEX1 0 (000C05A6) Unknown Recipient\n\n\
--B\nContent-Type: message/rfc822\n\n\
Date: Fri, 20 Jul 2001 08:53:08 -0700\nFrom: Editor <editor@sender.example>\n\
Subject: [News] Monthly digest\nTo: news@lists.sender.example\n\nThis month.\n--B--\n"
    )
}

#[test]
fn a_role_address_in_exchanges_dated_list_is_the_recipient() {
    for rcpt in ["jane.doe@dest.example", "noreply@dest.example"] {
        assert_eq!(
            named(&exchange55(rcpt)),
            [(rcpt.to_string(), ErrorStatus::UnknownUser)],
            "{rcpt}"
        );
    }
}

/// Exchange's X.400 item ("c=US;…;dda:SMTP=a@x; on <date>") and a bulleted,
/// bracketed "* [a@x]: 550 …" line: a role address there is the recipient.
#[test]
fn a_role_address_in_an_x400_item_or_a_bracketed_bullet_is_the_recipient() {
    for rcpt in ["jane.doe@dest.example", "postmaster@dest.example"] {
        let x400 = exchange55(rcpt).replace(
            &format!("{rcpt} on Fri"),
            &format!("c=US;a= ;p=DEST;o=Nexus2;dda:SMTP={rcpt}; on Fri"),
        );
        assert_eq!(
            named(&x400),
            [(rcpt.to_string(), ErrorStatus::UnknownUser)],
            "X.400, {rcpt}"
        );
        let bullet = format!(
            "From: MAILER-DAEMON <mailer-daemon@mx.dest.example>\n\
To: alerts@sender.example\nSubject: Undeliverable: Your invoice\n\
Date: Mon, 03 Apr 2023 01:25:40 +0000\nContent-Type: text/plain\n\n\
Delivery has failed to these recipients or distribution lists:\n\n\
Server \"192.0.2.80:25\" returned an error:\n\n\
\t* [{rcpt}]: 550 {rcpt}...User account is overquota\n\n\n\
Original message details:\n\n\
\t* Received on: 2023-04-03 01:25:40 +0000 UTC\n\
\t* From: alerts@sender.example\n\t* To: accounts@dest.example\n\
\t* Subject: Your invoice\n"
        );
        assert_eq!(
            named(&bullet),
            [(rcpt.to_string(), ErrorStatus::OverCapacity)],
            "bullet, {rcpt}"
        );
    }
}

/// IMail's cause-labelled line ("Unknown user: a@x") names its recipient,
/// a role address too.
#[test]
fn a_role_address_after_a_cause_label_is_the_recipient() {
    for (rcpt, label, status) in [
        (
            "jane.doe@dest.example",
            "Unknown user",
            ErrorStatus::UnknownUser,
        ),
        (
            "noreply@dest.example",
            "Unknown user",
            ErrorStatus::UnknownUser,
        ),
        (
            "postmaster@dest.example",
            "User mailbox exceeds allowed size",
            ErrorStatus::OverCapacity,
        ),
    ] {
        let raw = format!(
            "From: Postmaster <postmaster@mail.dest.example>\n\
To: <alerts@sender.example>\nSubject: Undeliverable Mail\n\
Date: Wed, 6 Dec 2006 10:31:00 -0500\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=\"us-ascii\"\n\n\
{label}: {rcpt}\n\n\n\
Original message follows.\n\n\
Received: from mail.sender.example (192.0.2.7) by mail.dest.example\n\
From: alerts@sender.example\nTo: {rcpt}\nSubject: Your invoice\n\nHello.\n"
        );
        assert_eq!(named(&raw), [(rcpt.to_string(), status)], "{rcpt}");
    }
}

/// A transcript's command names the recipient the server refused
/// (Sendmail 5's report, whose returned copy went to a list).
#[test]
fn a_role_address_in_a_transcripts_rcpt_command_is_the_recipient() {
    for rcpt in ["jane.doe@dest.example", "noreply@dest.example"] {
        let raw = format!(
            "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sender.example>\n\
To: news-owner@lists.sender.example\nSubject: Returned mail: User unknown\n\
Date: Tue, 3 Mar 1998 10:00:00 +0900\n\n\
   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n\
>>> RCPT To:<{rcpt}>\n\
<<< 550 User unknown\n\n\
   ----- Unsent message follows -----\n\
From: editor@sender.example\nTo: news@lists.sender.example\nSubject: Digest\n\nThis month.\n"
        );
        assert_eq!(
            named(&raw),
            [(rcpt.to_string(), ErrorStatus::UnknownUser)],
            "{rcpt}"
        );
    }
}
