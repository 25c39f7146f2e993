//! Formats that other projects' test messages showed misread (the Perl
//! Mail-DeliveryStatus-BounceParser's, Discourse's and GitLab's fixtures,
//! read locally; none is copied: these are written here from the formats
//! they show).
//! - AOL's AIRmail lists its users by screen name, with no domain and no
//!   returned copy: the name is an `aol.com` mailbox.
//! - A challenge service writes `Action: failed` among the per-message
//!   fields of its DSN and a 4.7.0 `Status` in the recipient's block: the
//!   misplaced field is the recipient's, and the notice a challenge.
//! - Bluebottle's challenge comes from the protected mailbox's own address.
//! - A notice from the null sender (`From: <>`) is a mail system's, even
//!   marked `auto-replied`: it says why delivery failed.
//! - A MIME boundary may hold an `@` (Postfix's "ID.time/host"): its
//!   delimiter lines name nobody when the raw body is read.
//! - Exim marks its every notice `Auto-Submitted: auto-replied` (Exim's
//!   test suite's mailboxes): a mail system's notice naming nobody is no
//!   automatic answer.
//! - Exim's heading "generated during the delivery attempts:" is template
//!   text: a recipient whose section names no cause has none (99), not a
//!   give-up after retrying.
//! - A failed pipe's output quoted by Exim (its environment: `RECIPIENT=a@x`,
//!   `SENDER=b@y`) lists no recipient.
//! - "I'm on holidays, and this is a dumb auto-responder." under `Precedence:
//!   bulk` (Roundup's tests) is an automatic answer.
//! - Exim's older callout failure ("Verification failed for <sender> /
//!   Unrouteable address / sender verify failure") and Exchange Online's
//!   "Sender throttled" are about the sender: a refusal (4), not the
//!   recipient's domain or mailbox (replies collected from ZoneMTA's rules
//!   and Microsoft's NDR pages).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/named.rs"]
mod support;

use hikyaku_bounce::{parse, ErrorStatus, Kind};
use support::named;

fn airmail(from: &str, names: &[&str]) -> String {
    let list: String = names.iter().map(|n| format!("\t{n}\n")).collect();
    format!(
        "From: Mail Delivery Subsystem <{from}>\nDate: Wed, 2 Aug 2006 09:10:11 EDT\n\
To: <news@sender.example>\nSubject: Mail Delivery Problem\nMailer: AIRmail [v110.15]\n\n\n\
Sorry news@sender.example. Your mail to the following recipients could not be delivered \
because they are not accepting mail with attachments or embedded images:\n{list}"
    )
}

#[test]
fn aols_screen_names_are_its_mailboxes() {
    let raw = airmail("MAILER-DAEMON@aol.com", &["PuzzleFan77", "kitecrafter"]);
    assert_eq!(
        named(&raw),
        vec![
            ("puzzlefan77@aol.com".to_string(), ErrorStatus::Rejected),
            ("kitecrafter@aol.com".to_string(), ErrorStatus::Rejected),
        ]
    );
}

#[test]
fn another_systems_bare_name_is_not_given_a_domain() {
    // A host's local mailbox: the domain is not guessed.
    let raw = airmail("MAILER-DAEMON@mail.dest.example", &["kitecrafter"]);
    assert!(named(&raw).is_empty());
}

fn dsn_with_action_above(status: &str, notice: &str, from: &str) -> String {
    format!(
        "From: {from}\nTo: news@sender.example\nSubject: Re: The spring catalogue\n\
MIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"RB\"\n\n\
--RB\nContent-Type: text/plain; charset=us-ascii\n\n{notice}\n\n\
--RB\nContent-Type: message/delivery-status\n\n\
Reporting-MTA: dns; screen.example\nRemote-MTA: dns; mx.dest.example\nAction: failed\n\
Arrival-Date: Mon, 15 Nov 2010 05:34:29 -0800\n\n\
Final-Recipient: rfc822; ana.lima@dest.example\n{status}\n\n\
--RB--\n"
    )
}

#[test]
fn a_challenge_dsn_with_its_action_among_the_message_fields_is_a_challenge() {
    let notice = "Hello,\n\nYour message about \"The spring catalogue\" has been waitlisted.\n\
Please add yourself to my Boxbe Guest List so your messages will go to my Inbox.\n\
Click the link below to be added:\nhttps://screen.example/guest?t=1";
    let raw = dsn_with_action_above(
        "Diagnostic-Code: X-Notice; Sender not pre-approved.\nStatus: 4.7.0",
        notice,
        "noreply@boxbe.com",
    );
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::ChallengeResponse, "{r:?}");
    assert!(r.recipients.is_empty(), "{r:?}");
}

#[test]
fn an_action_among_the_message_fields_is_the_recipients_own() {
    // The same misplaced field in a report that gave up: a failure, not a
    // delay still being tried.
    let notice = "Your message could not be delivered to ana.lima@dest.example.\n\
The delivery time expired before it could be delivered.";
    let raw = dsn_with_action_above(
        "Diagnostic-Code: smtp; 421 4.4.7 delivery time expired\nStatus: 4.4.7",
        notice,
        "MAILER-DAEMON@relay.sender.example",
    );
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::Dsn, "{r:?}");
    assert_eq!(
        named(&raw),
        vec![(
            "ana.lima@dest.example".to_string(),
            ErrorStatus::ResendTimeout
        )]
    );
}

#[test]
fn bluebottles_request_from_the_protected_mailbox_is_a_challenge() {
    let raw = "From: ana.lima@bluebottle.com\nTo: news@sender.example\n\
Subject: RE: The spring catalogue\nContent-Type: text/plain; charset=us-ascii\n\n\
Your message was received at Thu, 20 Aug 2009 12:15:39 +0000:\n\n\
To: ana.lima@bluebottle.com\nSubject: The spring catalogue\n\n\
This account is protected by Bluebottle.  Please click on the\n\
following link to have your address added to the recipient's allowed\n\
list and to ensure delivery of your email.\n\n\
https://www.bluebottle.com/verification/4821\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::ChallengeResponse, "{r:?}");
    assert!(r.recipients.is_empty());
}

fn one_line_notice(from: &str) -> String {
    format!(
        "From: {from}\nTo: news@sender.example\n\
In-Reply-To: <20091229121253.615A@relay.sender.example>\n\
Auto-Submitted: auto-replied\nDate: Tue, 29 Dec 2009 12:12:54 +0000\n\n\
You sent mail to ana.lima@dest.example. That's not a valid user here.\n"
    )
}

#[test]
fn a_notice_from_the_null_sender_is_a_mail_systems_report() {
    assert_eq!(
        named(&one_line_notice("<>")),
        vec![(
            "ana.lima@dest.example".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
}

#[test]
fn the_same_words_from_a_mailbox_marked_auto_replied_are_an_auto_reply() {
    // A person's mailbox answering automatically names nobody: its words
    // are no mail system's report.
    let r = parse(one_line_notice("Ana Lima <ana.lima@dest.example>").as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
}

#[test]
fn a_boundary_holding_an_at_sign_names_nobody() {
    // The report's text names no recipient and the returned copy has no
    // `To:`: the raw body is read again, and its delimiter lines are MIME.
    let b = "4A1C2D3E.1460023470/bounce@relay.dest.example";
    let raw = format!(
        "From: MAILER-DAEMON@relay.dest.example (Mail Delivery System)\n\
Subject: Undelivered Mail Returned to Sender\nTo: news@sender.example\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status;\n    boundary=\"{b}\"\n\n\
This is a MIME-encapsulated message.\n\n--{b}\nContent-Type: text/plain; charset=us-ascii\n\n\
Your email bounced\n\n--{b}\nContent-Type: message/rfc822\n\n\
From: news@sender.example\nSubject: hello\n\nThis is the body\n\n--{b}--\n"
    );
    let r = parse(raw.as_bytes());
    assert!(r.recipients.is_empty(), "{r:?}");
}

fn exim_notice(from: &str) -> String {
    format!(
        "Auto-Submitted: auto-replied\nFrom: {from}\nTo: news@sender.example\n\
Subject: Mail failure - no recipient addresses\nDate: Tue, 2 Mar 1999 09:44:33 +0000\n\n\
A message that you sent contained no recipient addresses, and therefore no\n\
delivery could be attempted.\n\n\
------ This is a copy of your message, including all the headers. ------\n\n\
From: news@sender.example\nTo:\nSubject: hello\n\nHello.\n"
    )
}

#[test]
fn a_mail_systems_notice_marked_auto_replied_is_no_auto_reply() {
    let r =
        parse(exim_notice("Mail Delivery System <Mailer-Daemon@relay.sender.example>").as_bytes());
    assert_eq!(r.kind, Kind::NotBounce, "{r:?}");
    assert!(r.recipients.is_empty());
    // The header alone from a person's mailbox is an automatic answer.
    let r = parse(exim_notice("Ana Lima <ana.lima@dest.example>").as_bytes());
    assert_eq!(r.kind, Kind::AutoReply, "{r:?}");
}

#[test]
fn exims_delivery_attempts_heading_names_no_cause() {
    let raw = "From: Mail Delivery System <Mailer-Daemon@relay.sender.example>\n\
To: news@sender.example\nSubject: Mail delivery failed: returning message to sender\n\
Auto-Submitted: auto-replied\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  ana@dest.example\n  bo@dest.example\n\n\
The following text was generated during the delivery attempts:\n\n\
------ ana@dest.example ------\n------ bo@dest.example ------\n\n\
This is the text the router returned.\n";
    assert_eq!(
        named(raw),
        vec![
            ("ana@dest.example".to_string(), ErrorStatus::Other),
            ("bo@dest.example".to_string(), ErrorStatus::Other),
        ]
    );
}

#[test]
fn a_failed_pipes_environment_lists_no_recipient() {
    let raw = "From: Mail Delivery System <Mailer-Daemon@relay.sender.example>\n\
To: news@sender.example\nSubject: Mail delivery failed: returning message to sender\n\
X-Failed-Recipients: system-filter\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  pipe to |/usr/local/bin/archive\n    generated by system-filter\n\n\
The following text was generated during the delivery attempt:\n\n\
------ pipe to |/usr/local/bin/archive\n       generated by system-filter ------\n\n\
----------env-----------\nHOME=\nLOCAL_PART=system-filter\n\
RECIPIENT=system-filter@relay.sender.example\nSENDER=news@sender.example\nUSER=system-filter\n\n\
------ This is a copy of the message, including all the headers. ------\n\n\
Received: from news by relay.sender.example with local\n\
\tfor ana.lima@dest.example; Tue, 2 Mar 1999 09:44:33 +0000\n\
To: ana.lima@dest.example\nFrom: news@sender.example\nSubject: hello\n\nHello.\n";
    let got = named(raw);
    assert!(
        got.iter()
            .all(|(a, _)| !a.contains('=') && a != "news@sender.example"),
        "{got:?}"
    );
    assert_eq!(
        got.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
        vec!["ana.lima@dest.example"]
    );
}

#[test]
fn a_holiday_auto_responder_is_an_auto_reply() {
    for header in ["Precedence: bulk", "Auto-Submitted: auto-generated"] {
        let raw = format!(
            "From: Ana Lima <ana.lima@dest.example>\nTo: tracker@sender.example\n\
Subject: Re: [issue42] The spring catalogue\n{header}\n\n\
Hi, I'm on holidays, and this is a dumb auto-responder.\n"
        );
        let r = parse(raw.as_bytes());
        assert_eq!(r.kind, Kind::AutoReply, "{header}: {r:?}");
        assert!(r.recipients.is_empty());
    }
}

#[test]
fn a_failed_sender_check_is_the_senders_refusal() {
    let cl = hikyaku_bounce::Classifier::builtin();
    for reply in [
        "550-Verification failed for <news@sender.example> 550-Unrouteable address 550 sender verify failure",
        "550 5.2.255 Sender throttled due to continuous invalid recipients errors.",
    ] {
        assert_eq!(cl.classify(None, None, reply), ErrorStatus::Rejected, "{reply}");
    }
}

fn pipelined(reply: &str) -> String {
    format!(
        "From: Mail Delivery System <Mailer-Daemon@relay.sender.example>\n\
To: news@sender.example\nSubject: Mail delivery failed: returning message to sender\n\n\
This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  ana@dest.example\n    host mx.dest.example [192.0.2.25]\n\
    SMTP error from remote mail server after pipelined MAIL FROM:<news@sender.example> SIZE=1882:\n\
    {reply}\n"
    )
}

#[test]
fn a_pipelined_mail_from_is_the_senders_stage() {
    assert_eq!(
        named(&pipelined("550 Authenticated connections only.")),
        vec![("ana@dest.example".to_string(), ErrorStatus::ReceiverError)]
    );
    // A bare refusal there is of the sender, not of the mailbox.
    assert_eq!(
        named(&pipelined("550 Not here")),
        vec![("ana@dest.example".to_string(), ErrorStatus::Rejected)]
    );
}

#[test]
fn a_message_attached_inside_the_returned_one_has_its_own_sender() {
    let raw = "From: imss@dest.example\nTo: <list-bounces@lists.sender.example>\n\
Subject: Mail could not be delivered\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"OUT\"\n\n--OUT\nContent-type: text/plain\n\n\
Sent <<< RCPT TO:<ana@dest.example>\nReceived >>> 550 5.1.1 unknown user.\n\n\
Unable to deliver message to <ana@dest.example>.\n\n--OUT\nContent-type: message/rfc822\n\n\
Received: from lists.sender.example by mx.dest.example\n\tfor <ana@dest.example>; Sat, 11 Mar 2006 20:32:28 -0800\n\
Subject: The results of your email commands\nFrom: list-bounces@lists.sender.example\n\
To: ana@dest.example\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"IN\"\n\n\
--IN\nContent-Type: text/plain\n\nThe results of your email command are provided below.\n\n\
--IN\nContent-Type: message/rfc822\n\nReturn-Path: <ana@dest.example>\n\
Received: from x by lists.sender.example\n\tfor <list-unsubscribe@lists.sender.example>; Sat, 11 Mar 2006 20:32:11 -0800\n\
From: <ana@dest.example>\nTo: list-unsubscribe@lists.sender.example\nSubject: hello\n\nhello\n\n--IN--\n\n--OUT--\n";
    assert_eq!(
        named(raw),
        vec![("ana@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}
