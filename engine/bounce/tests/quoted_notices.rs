//! Bounces that carry wording of another kind of message (issue 18, fifth
//! round): a returned list notice, an `Auto-Submitted: auto-replied` header,
//! and a gateway's delay warning that also says "could not be delivered".
//! Messages written from the layouts of Domino, mail.ru and Symantec's SMTP
//! gateway, not copied from a corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

#[test]
fn a_returned_list_notice_is_still_a_failure() {
    // Domino returns a list manager's moderation notice: the notice's
    // wording is only the returned subject.
    let raw = "From: Postmaster@corp.example\nTo: team-bounces@lists.example.org\n\
Subject: DELIVERY FAILURE: User jdoe (jdoe@corp.example) not listed in Domino Directory\n\n\
Your message\n\n  Subject: Your message to Team awaits moderator approval\n\n\
was not delivered to:\n\n  jdoe@corp.example\n\nbecause:\n\n\
  User jdoe (jdoe@corp.example) not listed in Domino Directory\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].recipient, "jdoe@corp.example");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
    // The notice itself, sent by the list, stays a notice.
    let notice = "From: team-bounces@lists.example.org\nTo: jdoe@corp.example\n\
Subject: Your message to Team awaits moderator approval\n\n\
Your mail to 'Team' with the subject\n\n    Hello\n\n\
Is being held until the list moderator can review it for approval.\n\n\
The reason it is being held:\n\n    Post by non-member to a members-only list\n";
    assert!(parse(notice.as_bytes()).recipients.is_empty());
}

#[test]
fn a_mail_system_marked_auto_replied_still_bounces() {
    let raw = "From: Mail Delivery System <Mailer-Daemon@mx1.mail.example>\n\
To: news@sender.example\nSubject: Mail failure.\nAuto-Submitted: auto-replied\n\n\
Unfortunately, your message could not be delivered to one or more recipients:\n\n\
  Message was not accepted -- invalid mailbox.\n Local mailbox jdoe@mail.example is unavailable: user not found\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
    // A person's auto-reply with the same header is not a bounce.
    let vacation = "From: Jane Doe <jdoe@mail.example>\nTo: news@sender.example\n\
Subject: Re: News\nAuto-Submitted: auto-replied\n\n\
I am away until Monday; for urgent matters write to desk@mail.example.\n";
    assert!(parse(vacation.as_bytes()).recipients.is_empty());
}

#[test]
fn a_gateway_delay_warning_is_not_a_failure() {
    let raw = "From: Symantec_AntiVirus_for_SMTP_Gateways@gw.example\nTo: news@sender.example\n\
Subject: Delivery failure notification\n\n\
Your message with Subject: News\ncould not be delivered to the following recipients:\n\n\
jdoe@dest.example\n\nPlease do not resend your original message.\n\n\
Delivery attempts will continue to be made for 5 day(s).\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::Delayed, "{r:?}");
    assert!(r.recipients.is_empty());
}

#[test]
fn an_x400_address_is_its_smtp_attribute() {
    let raw = "From: System Administrator <postmaster@corp.example>\nTo: news@sender.example\n\
Subject: Undeliverable: News\n\n\
Your message\n\n  To:      news\n  Subject: News\n\n\
did not reach the following recipient(s):\n\n\
c=US;a= ;p=Corp;o=Site;dda:SMTP=jdoe@corp.example; on Fri, 4 Oct 2002 17:12:28 -0400\n\
    The recipient name is not recognized\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].recipient, "jdoe@corp.example");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
}

#[test]
fn a_transcript_above_the_statement_is_the_reply() {
    // InterScan puts the SMTP exchange before its statement.
    let raw = "From: imss@gw.example\nTo: news@sender.example\n\
Subject: Mail could not be delivered\n\n\
****** Message from InterScan Messaging Security Suite ******\n\n\
Sent <<< RCPT TO:<jdoe@dest.example>\nReceived >>> 550 5.1.1 unknown user.\n\n\
Unable to deliver message to <jdoe@dest.example> (and other recipients in the same domain).\n\n\
************************     End of message     **********************\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.recipients.len(), 1, "{r:?}");
    assert_eq!(r.recipients[0].status, ErrorStatus::UnknownUser);
}
