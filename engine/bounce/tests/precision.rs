//! Issue 18 items 1–2, one test per rule: a recipient is named only with
//! evidence of failure for that address, and non-failure notices are their
//! own kinds with no failed recipient.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, Kind};

fn names(raw: &str) -> (Kind, Vec<String>, Vec<String>) {
    let r = parse(raw.as_bytes());
    assert_eq!(r.is_bounce, !r.recipients.is_empty());
    (
        r.kind,
        r.recipients.iter().map(|f| f.recipient.clone()).collect(),
        r.mentioned,
    )
}

const ORIGINAL: &str = "Received: from mta.sender.example by mx.list.example with ESMTP id 1\n\
\tfor <member@dest.example>; Mon, 1 Dec 2026 10:00:00 +0000\n\
From: News <news@sender.example>\n\
To: all-members@list.example\n\
Cc: colleague@other.example\n\
Subject: December news\n\
Message-ID: <n1@sender.example>\n\n\
Please confirm your subscription by clicking here. Verify you are human.\n";

fn report(human: &str, status: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.dest.example\nTo: bounce@sender.example\nSubject: Returned mail\n\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n{human}\n\n\
--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.dest.example\n\n{status}\n\n\
--b\nContent-Type: message/rfc822\n\n{ORIGINAL}\n--b--\n"
    )
}

#[test]
fn challenge_response_sent_as_a_report_is_not_a_failure() {
    let raw = report(
        "Your message to member@dest.example is being held. To have your message delivered, \
         please verify you are human by clicking the link below.",
        "Final-Recipient: rfc822; member@dest.example\nAction: failed\nStatus: 5.0.0",
    );
    let (kind, named, mentioned) = names(&raw);
    assert_eq!(kind, Kind::ChallengeResponse);
    assert!(named.is_empty());
    assert_eq!(mentioned, vec!["member@dest.example"]);
}

#[test]
fn a_remote_refusal_outranks_notice_wording() {
    // The same wording, but a server quoted a 5xx refusal for the address.
    let raw = report(
        "Delivery failed. Your message has been quarantined.",
        "Final-Recipient: rfc822; member@dest.example\nAction: failed\nStatus: 5.7.1\n\
Diagnostic-Code: smtp; 554 5.7.1 Message rejected: banned attachment",
    );
    let (kind, named, _) = names(&raw);
    assert_eq!(kind, Kind::Dsn);
    assert_eq!(named, vec!["member@dest.example"]);
}

#[test]
fn wording_in_the_returned_original_does_not_count() {
    // ORIGINAL says "confirm your subscription" and "verify you are human":
    // the sender's own text, not the notice.
    let raw = report(
        "The following address had permanent fatal errors.",
        "Final-Recipient: rfc822; member@dest.example\nAction: failed\nStatus: 5.1.1\n\
Diagnostic-Code: smtp; 550 5.1.1 User unknown",
    );
    let (kind, named, _) = names(&raw);
    assert_eq!(kind, Kind::Dsn);
    assert_eq!(named, vec!["member@dest.example"]);
}

#[test]
fn content_filter_notice_to_the_list_owner() {
    let raw = "From: Content Filter <postmaster@filter.example>\nTo: list-owner@list.example\n\
Subject: BANNED CONTENTS ALERT\n\n\
A message from you to member@dest.example was quarantined because it contains a banned \
attachment (.exe). No action is required.\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::ContentFilter);
    assert!(named.is_empty());
}

#[test]
fn held_for_moderation_is_a_list_owner_notice() {
    let raw = "From: list-bounces@list.example\nTo: news@sender.example\n\
Subject: Your message to Members awaits moderator approval\n\n\
Your mail to 'Members' with the subject December news is being held until the list \
moderator can review it for approval.\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::ListOwner);
    assert!(named.is_empty());
}

#[test]
fn trace_recipient_not_the_list_in_to() {
    // The failure text names nobody; the returned copy's To: is a list and
    // its Cc a colleague. Only the trace says where this copy went.
    let raw = format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.example>\nTo: bounce@sender.example\n\
Subject: Returned mail: see transcript for details\n\n\
The original message was received at Mon, 1 Dec 2026 10:00:00 +0000\n\n\
   ----- Transcript of session follows -----\n\
550 5.1.1 User unknown\n\n\
   ----- Unsent message follows -----\n{ORIGINAL}"
    );
    let (kind, named, _) = names(&raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(named, vec!["member@dest.example"]);
}

#[test]
fn original_to_alone_is_never_evidence() {
    let original = ORIGINAL.replace("\tfor <member@dest.example>;", "\tid 2;");
    let raw = format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.example>\nTo: bounce@sender.example\n\
Subject: Returned mail: see transcript for details\n\n\
   ----- Transcript of session follows -----\n\
550 5.1.1 User unknown\n\n\
   ----- Unsent message follows -----\n{original}"
    );
    let (_, named, _) = names(&raw);
    assert!(
        named.is_empty(),
        "named {named:?} from the original's To/Cc"
    );
}

#[test]
fn dsn_delay_is_not_a_failure() {
    let raw = report(
        "Delivery to the following recipient has been delayed. No action is required.",
        "Final-Recipient: rfc822; member@dest.example\nAction: delayed\nStatus: 4.4.7\n\
Will-Retry-Until: Wed, 3 Dec 2026 10:00:00 +0000",
    );
    let (kind, named, mentioned) = names(&raw);
    assert_eq!(kind, Kind::Delayed);
    assert!(named.is_empty());
    assert_eq!(mentioned, vec!["member@dest.example"]);
}

#[test]
fn mixed_dsn_names_only_the_failed_block() {
    let raw = report(
        "Some recipients failed.",
        "Final-Recipient: rfc822; member@dest.example\nAction: failed\nStatus: 5.1.1\n\n\
Final-Recipient: rfc822; late@dest.example\nAction: delayed\nStatus: 4.4.1",
    );
    let (kind, named, _) = names(&raw);
    assert_eq!(kind, Kind::Dsn);
    assert_eq!(named, vec!["member@dest.example"]);
}

#[test]
fn exim_delay_warning_is_delayed() {
    let raw =
        "From: Mail Delivery System <Mailer-Daemon@mx.sender.example>\nTo: news@sender.example\n\
Subject: Warning: message 1abc-000 delayed 24 hours\nAuto-Submitted: auto-replied\n\n\
This message was created automatically by mail delivery software.\n\
A message that you sent has not yet been delivered to one or more of its\n\
recipients after more than 24 hours on the queue on mx.sender.example.\n\n\
The address to which the message has not yet been delivered is:\n\n\
  member@dest.example\n\n\
No action is required on your part. Delivery attempts will continue for\n\
some time, and this warning may be repeated at intervals.\n";
    let (kind, named, mentioned) = names(raw);
    assert_eq!(kind, Kind::Delayed);
    assert!(named.is_empty());
    assert_eq!(mentioned, vec!["member@dest.example"]);
}

#[test]
fn dmarc_and_tls_reports() {
    let dmarc = "From: noreply-dmarc-support@google.com\nTo: dmarc@sender.example\n\
Subject: Report domain: sender.example Submitter: google.com Report-ID: 123\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"z\"\n\n\
--z\nContent-Type: text/plain\n\nThis is an aggregate report from google.com.\n\
--z\nContent-Type: application/zip; name=\"google.com!sender.example!1!2.zip\"\n\
Content-Transfer-Encoding: base64\n\nUEsDBA==\n--z--\n";
    assert_eq!(names(dmarc).0, Kind::Report);
    let tls = "From: tlsrpt@mail.example\nTo: tls@sender.example\nSubject: Report Domain: sender.example\n\
MIME-Version: 1.0\nContent-Type: multipart/report; report-type=tlsrpt; boundary=\"t\"\n\n\
--t\nContent-Type: text/plain\n\nTLS report\n\
--t\nContent-Type: application/tlsrpt+gzip\nContent-Transfer-Encoding: base64\n\nH4sI\n--t--\n";
    assert_eq!(names(tls).0, Kind::Report);
}

#[test]
fn out_of_office_in_the_body_only() {
    let raw = "From: Someone <someone@dest.example>\nTo: news@sender.example\n\
Subject: Prom biroja: December news\n\n\
Thank you for your email.\nI am out of office and will be back on Tuesday.\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::AutoReply);
    assert!(named.is_empty());
}

#[test]
fn an_original_message_details_block_is_not_a_recipient_list() {
    // Vade Secure's text bounce describes the returned message in an
    // "Original message details" block; its `To:` is the original's
    // header (often a list), never evidence of failure.
    let raw = "From: MAILER-DAEMON <mailer-daemon@filter.dest.example>\n\
To: list-bounces+member=dest.example@list.example\n\
Subject: Undeliverable: news\nAuto-Submitted: auto-replied\nContent-Type: text/plain\n\n\
Delivery has failed to these recipients or distribution lists:\n\n\
Server \"192.0.2.7:25\" returned an error:\n\n\
\t* [member@dest.example]: 550 member@dest.example...User account is overquota\n\n\n\
Original message details:\n\n\
\t* Received on: 2026-12-01 10:00:00 +0000 UTC\n\
\t* From: editor@list.example\n\
\t* To: all-members@list.example\n\
\t* Subject: news\n\n\n\
Original message headers:\n\n...\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(named, vec!["member@dest.example"]);
}

#[test]
fn a_newsletter_from_a_bounce_domain_is_not_a_bounce() {
    // Mailing services send from their return-path domain; "bounce" there
    // says where bounces go, not that this is one.
    let raw = "From: \"Weekly Tips\" <do_not_reply@bounce.tips.example>\n\
To: reader@home.example\nSubject: Weekly Tips: patch your media player\n\n\
This week's tips.\n\nQuestions? Write to\n\nfeedback@tips.example\n\n\
To unsubscribe:\n\nreader@home.example\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::NotBounce);
    assert!(named.is_empty());
}

#[test]
fn an_autoresponder_asking_to_prove_being_human_is_a_challenge() {
    // The wording is wrapped in the middle of the phrase.
    let raw = "From: <cr@host.example>\nTo: sender@sender.example\n\
Subject: Your email requires verification verify#abc\nX-Autorespond: abc\n\
Precedence: auto_reply\n\n\
The message you sent requires that you verify that you\n\
are a real live human being and not a spam source.\n\n\
To complete this verification, simply reply to this message.\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::ChallengeResponse);
    assert!(named.is_empty());
}

#[test]
fn a_challenge_system_signing_its_notice_is_a_challenge_by_its_name() {
    // Nothing but the product's name says challenge: in the sender's name
    // and address that is the system's own notice; the same words from a
    // person ("what TMDA and Boxbe do") are talk about it.
    let notice = "From: Mailblocks <notify@mailblocks.example>\nTo: sender@sender.example\n\
Subject: Your message to jd@dest.example\n\n\
jd@dest.example uses Mailblocks. Your message is waiting in the Mailblocks\n\
queue until you reply to this note.\n";
    let (kind, named, _) = names(notice);
    assert_eq!(kind, Kind::ChallengeResponse);
    assert!(named.is_empty());
    let talk = notice.replace(
        "From: Mailblocks <notify@mailblocks.example>",
        "From: Jane Doe <jane@home.example>",
    );
    assert_eq!(names(&talk).0, Kind::NotBounce);
}

#[test]
fn an_automatic_answer_asking_to_click_and_verify_is_a_challenge() {
    // "Click here to verify" alone is what sign-up and phishing mail say;
    // in an answer to a message (auto-replied, or with the sender's message
    // attached) it is a challenge.
    let raw = "From: Jane Doe <jd@dest.example>\nTo: sender@sender.example\n\
Subject: hello\nAuto-Submitted: auto-replied\n\n\
Your message to me is waiting. Click here to verify your address:\n\
https://verify.dest.example/v?id=1\n";
    assert_eq!(names(raw).0, Kind::ChallengeResponse);
    let plain = raw.replace("Auto-Submitted: auto-replied\n", "");
    assert_eq!(names(&plain).0, Kind::NotBounce);
}

#[test]
fn a_mailbox_answering_in_its_own_name_is_named_only_when_it_fails() {
    // The returned message went to the sender's own address: a vacation
    // note attaching it names nobody; a route bouncing it in its own name
    // (Postal: "Mail Delivery Service <support@…>") names that address.
    let attached = "--b\nContent-Type: message/rfc822\n\n\
From: app@sender.example\nTo: jd@dest.example\nSubject: hello\n\
Message-ID: <m1@sender.example>\n\nhello\n--b--\n";
    let vacation = format!(
        "From: Jane Doe <jd@dest.example>\nTo: app@sender.example\n\
Subject: Out of office: hello\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\
I am out of the office until Monday and will answer your message then.\n{attached}"
    );
    let (kind, named, _) = names(&vacation);
    assert_eq!(kind, Kind::AutoReply);
    assert!(named.is_empty());
    let bounce = format!(
        "From: Mail Delivery Service <jd@dest.example>\nTo: app@sender.example\n\
Subject: Mail Delivery Failed (hello)\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\n\
This is the mail delivery service responsible for delivering mail to jd@dest.example.\n\n\
The message you've sent cannot be delivered. Your original message is attached to this message.\n\n\
Mail from: app@sender.example\nRcpt To: jd@dest.example\n\n{attached}"
    );
    assert_eq!(names(&bounce).1, vec!["jd@dest.example".to_string()]);
}

#[test]
fn an_automatic_acknowledgement_is_an_auto_reply_a_persons_is_not() {
    // An intake's receipt ("Eingangsbestätigung", "This is an automatic
    // confirmation") answers every message: an auto-reply (RFC 3834). A
    // person writing "we have received your message" is not one.
    let intake = "From: Poststelle <poststelle@behoerde.example>\nTo: antrag@foi.example\n\
Subject: Eingangsbestätigung\n\nSehr geehrte Damen und Herren,\n\n\
Ihre Nachricht ist bei uns eingegangen und wird bearbeitet.\n";
    assert_eq!(names(intake).0, Kind::AutoReply);
    let desk = "From: Help Desk <help@vendor.example>\nTo: app@sender.example\n\
Subject: Your request\n\nThis is an automatic confirmation: your request reached us and \
will be answered within two working days.\n";
    assert_eq!(names(desk).0, Kind::AutoReply);
    let person = "From: Bob <bob@x.example>\nTo: alice@y.example\nSubject: Re: the contract\n\n\
Hi Alice, we have received your message and will look into it tomorrow.\n";
    assert_eq!(names(person).0, Kind::NotBounce);
}

#[test]
fn a_partial_delivery_names_its_failure_even_without_a_cause() {
    // A failure list under its start sentence, then the recipients
    // reached: the list is the failure whether or not it says why. Without
    // the start sentence (and the report's subject) it is a receipt.
    let partial = "From: Mail Delivery System <MAILER-DAEMON@mx.dest.example>\n\
To: app@sender.example\nSubject: Returned mail\n\n\
The following addresses had permanent fatal errors.\n\n<jdoe@dest.example>\n\n\
Your message was successfully delivered to the following recipients:\n\n    ann@reached.example\n";
    assert_eq!(names(partial).1, vec!["jdoe@dest.example".to_string()]);
    let receipt = partial
        .replace(
            "The following addresses had permanent fatal errors.\n\n",
            "",
        )
        .replace("Returned mail", "Delivery report");
    let (kind, named, _) = names(&receipt);
    assert_eq!(kind, Kind::NotBounce);
    assert!(named.is_empty());
}

#[test]
fn a_filter_holding_suspected_spam_is_a_notice_and_its_contact_no_recipient() {
    let raw = "From: Postmaster <postmaster@dest.example>\nTo: undisclosed-recipients:;\n\
Subject: Blocked Message (RBL block)\n\n\
Message sent from your address:\nSubject: hello\nFrom: sender@sender.example\nRecipient(s):\n\
member@dest.example\n\n\
Message was suspected as SPAM message and will be delivered to recipient with delay.\n\n\
Any help or comment please send to helpdesk@dest.example\n";
    let (kind, named, mentioned) = names(raw);
    assert_eq!(kind, Kind::ContentFilter);
    assert!(named.is_empty());
    assert!(!mentioned.contains(&"helpdesk@dest.example".to_string()));
}

#[test]
fn sendmail_names_the_address_it_was_asked_to_deliver_to() {
    // An alias expanded to a forward target that failed: Sendmail's text
    // lists the target with `(expanded from: <addr>)` below it; the address
    // the sender used (its DSN's `Final-Recipient`) is the failed one.
    let raw = "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.example>\n\
To: list-bounces@list.example\nSubject: Returned mail: Too many hops 26 (25 max)\n\n\
The original message was received at Sat, 14 Oct 2000 06:14:45 +0200\nfrom localhost\n\n\
   ----- The following addresses had permanent fatal errors -----\n\
member@forward.example\n    (expanded from: <member@dest.example>)\n\n\
   ----- Transcript of session follows -----\n\
554 Too many hops 26 (25 max): from list-bounces@list.example via localhost, to member@dest.example\n";
    let (kind, failed, _) = names(raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(failed, vec!["member@dest.example".to_string()]);
    // Without the expansion line the listed address is the failed one.
    let plain = raw.replace("    (expanded from: <member@dest.example>)\n", "");
    assert_eq!(names(&plain).1, vec!["member@forward.example".to_string()]);
}

#[test]
fn quoted_header_fields_name_nobody_when_a_recipient_is_named() {
    // Sun/iPlanet Messaging Server quotes the original's header fields
    // before naming the failed recipient: the quoted `To:` (a list) is not
    // a failure.
    let raw = "From: Mail Delivery Subsystem <postmaster@mx.dest.example>\n\
To: list-bounces@list.example\nSubject: Delivery Notification: Delivery has failed\n\n\
This report relates to a message you sent with the following header fields:\n\n\
  Message-id: <n1@list.example>\n  Date: Tue, 26 Dec 2000 10:00:00 -0500\n\
  From: news@list.example\n  To: all-members@list.example\n\n\
Your message cannot be delivered to the following recipients:\n\n\
  Recipient address: member@dest.example\n  Reason: recipient reached disk quota\n";
    assert_eq!(names(raw).1, vec!["member@dest.example".to_string()]);
    // When the quoted fields are all there is (Yahoo: "I wasn't able to
    // deliver the following message." / `To:`), they are still read.
    let yahoo = "From: MAILER-DAEMON@yahoo.example\nTo: list-bounces@list.example\n\
Subject: Failure Notice\n\n\
I'm afraid I wasn't able to deliver the following message.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
Subject: December news\nTo: member@yahoo.example\n\n\
---Below this line is a copy of the message.\n";
    assert_eq!(names(yahoo).1, vec!["member@yahoo.example".to_string()]);
}

#[test]
fn a_sender_name_alone_is_no_evidence_of_failure() {
    // Web scripts send as `nobody@`, newsletters as `bounce@`, admins as
    // "Mail System": without a report subject, a start or template
    // sentence, a reply code, a returned original or a cause next to an
    // address, such a message names nobody, however its addresses stand.
    for from in [
        "nobody@www.shop.example",
        "\"Mail System\" <mailsystem@corp.example>",
        "bounce@news.shop.example",
        "Postmaster <postmaster@corp.example>",
    ] {
        let raw = format!(
            "From: {from}\nTo: owner@shop.example\nSubject: Contact form: new enquiry\n\n\
A visitor filled in the contact form.\n\n\
Name: Ann Example\n\
ann@home.example\n\n\
Copy sent to:\n\
sales@shop.example\n"
        );
        let (kind, named, _) = names(&raw);
        assert_eq!(kind, Kind::NotBounce, "{from}");
        assert!(named.is_empty(), "{from}: {named:?}");
    }
    // The same sender with a reply code beside the address is a report.
    let raw = "From: Postmaster <postmaster@corp.example>\nTo: owner@shop.example\n\
Subject: Your mail\n\n\
ann@home.example\n    550 5.1.1 mailbox unavailable\n";
    let (kind, named, _) = names(raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(named, vec!["ann@home.example".to_string()]);
}

#[test]
fn a_transcript_naming_the_alias_target_again_is_the_same_recipient() {
    // Sendmail lists the target with the address asked for below it, then
    // its transcript names the target again with its own summary line: one
    // failure, for the address asked for.
    let raw = "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.dest.example>\n\
To: list-bounces@list.example\nSubject: Returned mail: see transcript for details\n\n\
   ----- The following addresses had permanent fatal errors -----\n\
old@forward.example\n    (reason: 550 5.1.1 <old@forward.example>... User Unknown)\n    \
(expanded from: <member@dest.example>)\n\n\
   ----- Transcript of session follows -----\n\
... while talking to mx.forward.example.:\n>>> DATA\n\
<<< 550 5.1.1 <old@forward.example>... User Unknown\n\
550 5.1.1 old@forward.example... User unknown\n";
    let (kind, failed, _) = names(raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(failed, vec!["member@dest.example".to_string()]);
}

#[test]
fn the_envelope_sender_quoted_in_a_reply_is_not_a_recipient() {
    // The remote refused our VERP sender; the returned copy's Return-Path
    // says it is ours. Only the recipient the notice names has failed.
    let raw = "From: MAILER-DAEMON@relay.esp.example\nTo: news@sender.example\n\
Subject: Delivery Status Notification (Failure)\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain\n\n\
The following message to <member@dest.example> was undeliverable.\n\
The reason for the problem:\n\
5.1.0 - Unknown address error 550-'5.7.1 <b-42-member=dest.example@bounce.esp.example>... Access denied'\n\n\
--b\nContent-Type: message/rfc822\n\n\
Return-Path: <b-42-member=dest.example@bounce.esp.example>\n\
From: news@sender.example\nTo: member@dest.example\nSubject: November news\n\nNews.\n--b--\n";
    let (kind, failed, _) = names(raw);
    assert_eq!(kind, Kind::NonStandard);
    assert_eq!(failed, vec!["member@dest.example".to_string()]);
}

#[test]
fn a_persons_reply_about_a_virus_is_no_filter_notice() {
    let body = "> Beware of the new virus mail going round!\n\n\
That warning is a known hoax. No virus was found in any attachment,\n\
and no message was quarantined; please do not forward it again.\n";
    let raw = format!(
        "From: Jeff <jeff@home.example>\nTo: os2-l@list.example\n\
Subject: Re: New Virus Alert!\n\n{body}"
    );
    assert_eq!(names(&raw).0, Kind::NotBounce);
    // A scanner's own notice in a reply's form, from the mail system, stays one.
    let notice = format!(
        "From: Postmaster <postmaster@mx.dest.example>\nTo: jeff@home.example\n\
Subject: Re: New Virus Alert!\n\n\
A virus was found in your message and it was quarantined.\n\
Virus name: EICAR-Test-File\n\n{body}"
    );
    assert_eq!(names(&notice).0, Kind::ContentFilter);
}

#[test]
fn auto_replies_without_their_header_fields() {
    // A client or a forwarder dropped `Auto-Submitted`/`X-Autoreply`: the
    // subject or the body still says it.
    for (subject, body) in [
        (
            "Re: Winter offers (Automatic Response)",
            "Thank you for your message.\n",
        ),
        (
            "Re: Winter offers",
            "I am away on vacation until December 20th and will read email then.\n",
        ),
        (
            "Re: Winter offers",
            "Hello,\n\nThanks for your email. I\u{2019}m traveling at the moment so it may take \
             some time to respond.\n",
        ),
    ] {
        let raw = format!(
            "From: Julie <julie@dest.example>\nTo: news@sender.example\nSubject: {subject}\n\n{body}"
        );
        let (kind, named, _) = names(&raw);
        assert_eq!(kind, Kind::AutoReply, "{subject} / {body}");
        assert!(named.is_empty());
    }
}

#[test]
fn a_forwarded_message_whose_subject_speaks_of_failure_is_no_report() {
    // A person forwards a newsletter; its subject (repeated after "Fwd:")
    // is the newsletter's own text, however much it sounds like a report.
    for prefix in ["Fwd: ", "[Fwd: ", "WG: ", "TR: "] {
        let raw = format!(
            "From: Ann Example <ann@home.example>\nTo: bob@work.example\n\
Subject: {prefix}Delivery failed? Mailbox full? Not with our offer\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=f\n\n--f\nContent-Type: text/plain\n\n\
Bob, have a look at this, and write to carol@shop.example if you want one.\n\n\
--f\nContent-Type: message/rfc822\n\n\
From: offers@shop.example\nTo: ann@home.example\n\
Subject: Delivery failed? Mailbox full? Not with our offer\n\nBuy now.\n--f--\n"
        );
        let (kind, named, _) = names(&raw);
        assert!(named.is_empty(), "{prefix}: {named:?}");
        assert_eq!(kind, Kind::NotBounce, "{prefix}");
    }
}

#[test]
fn a_mail_system_sender_and_a_weak_word_near_an_address_are_no_report() {
    // A system account's digest of a spam-filter discussion: "spam",
    // "policy" and "rejected" are said of much besides a failure, so
    // they are no evidence that the address near them failed.
    let raw = "From: Mail Delivery System <mailer@lists.example>\nTo: admins@lists.example\n\
Subject: Weekly filter digest\n\n\
Mark <mark@home.example> asked whether the new spam rules are too strict;\n\
Jo <jo@work.example> thinks the policy is fine as it stands.\n";
    let (kind, named, _) = names(raw);
    assert!(named.is_empty(), "{named:?}");
    assert_eq!(kind, Kind::NotBounce);
}

#[test]
fn a_part_the_parser_cannot_delimit_is_read_decoded() {
    // Exchange's known header fault: a blank line inside the folded
    // `Content-Type`, so the boundary is lost and the quoted-printable
    // text is read raw; its soft break splits the address in two.
    let raw = "From: Microsoft Outlook <postmaster@relay.dest.example>\n\
To: news@sender.example\nSubject: Undeliverable: November news\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; differences=Content-Type;\n\n\
\tboundary=\"alt-1\"\n\n--alt-1\nContent-Type: text/plain; charset=us-ascii\n\
Content-Transfer-Encoding: quoted-printable\n\n\
mx.dest.example rejected your message to the following email addresses:\n\n\
jane.doe@corp.dest.example (jane.doe@corp.dest.example)<mailto:jane.doe@corp.de=\n\
st.example>\nThe recipient's mailbox is full and can't accept messages now. Please try r=\n\
esending your message later.\n\n--alt-1--\n";
    let (_, named, _) = names(raw);
    assert_eq!(named, vec!["jane.doe@corp.dest.example".to_string()]);
    // The same text in base64: nothing of it reads until decoded.
    let text = "mx.dest.example rejected your message to the following email addresses:\n\n\
jane.doe@corp.dest.example\nThe recipient's mailbox is full and can't accept messages now.\n";
    let b64 = base64_lines(text.as_bytes());
    let raw = raw
        .replace("quoted-printable", "base64")
        .split("\n\nmx.dest.example")
        .next()
        .map(|head| format!("{head}\n\n{b64}\n--alt-1--\n"))
        .unwrap();
    let (_, named, _) = names(&raw);
    assert_eq!(named, vec!["jane.doe@corp.dest.example".to_string()]);
}

/// Base64 in 76-column lines (RFC 2045), for the test above.
fn base64_lines(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in bytes.chunks(3) {
        let n = c
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            out.push(if i <= c.len() {
                A[(n >> (18 - 6 * i) & 63) as usize] as char
            } else {
                '='
            });
        }
    }
    out.as_bytes()
        .chunks(76)
        .map(|l| String::from_utf8_lossy(l).into_owned())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn a_contact_link_in_an_html_alternative_is_no_recipient() {
    // The plain part names nobody; read raw, the HTML alternative's tags
    // stood between "via email at" and the help desk's address.
    let raw = "From: \"Email Delivery Failure\" <canned.response@dest.example>\n\
To: news@sender.example\nSubject: Re: November news\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"alt\"\n\n\
--alt\nContent-Type: text/plain; charset=us-ascii\n\n\
A message with the above subject line could not be delivered: it held at least one\n\
invalid address. If you have any questions, please contact the Service Desk at\n\
707 555-0100 or via email at servicedesk@dest.example.\n\n\
--alt\nContent-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: quoted-printable\n\n\
<p>A message with the above subject line could not be delivered: it held at least one invalid address.<br>\
If you have any questions, please contact the Service Desk at 707 555-0100 or via email at <a href=3D\"mai=\n\
lto:servicedesk@dest.example\">servicedesk@dest.example</a>.</p>\n--alt--\n";
    let (_, named, _) = names(raw);
    assert!(named.is_empty(), "{named:?}");
}
