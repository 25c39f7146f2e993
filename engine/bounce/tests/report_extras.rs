//! What a report carries besides its failure statement: a provider's
//! contact line ("For assistance, contact the help desk at help@…", "If you
//! believe this message was rejected in error, please contact …"), a
//! signature, a letter's closing, a mailing list's footer, the list of
//! recipients a partial delivery did reach or is still trying. Their
//! addresses are a help desk, a mail team, a list, a delivered or delayed
//! recipient, never a failed one; the
//! contact line's hypothetical refusal is no cause. Each report is written
//! in the layout of one family of mail systems, the added lines in the
//! places and languages providers and lists put them.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

const ORIGINAL: &str = "From: News <news@sender.example>\nTo: member@dest.example\n\
Subject: December news\nMessage-ID: <n1@sender.example>\n\nHello.\n";

/// The failure statements of four families, each naming
/// `member@dest.example`, with the status their words give.
fn reports() -> Vec<(&'static str, String, ErrorStatus)> {
    vec![
        (
            "exim",
            "This message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n\
  member@dest.example\n    host mx.dest.example [192.0.2.7]\n    \
SMTP error from remote mail server after RCPT TO:<member@dest.example>:\n    \
550 5.1.1 User unknown"
                .to_string(),
            ErrorStatus::UnknownUser,
        ),
        (
            "sendmail",
            "The original message was received at Mon, 1 Dec 2026 10:00:00 +0000\n\
from mta.sender.example [192.0.2.1]\n\n   ----- The following addresses had permanent fatal errors -----\n\
<member@dest.example>\n    (reason: 552 5.2.2 Mailbox full)\n\n   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n>>> DATA\n<<< 552 5.2.2 <member@dest.example>... Mailbox full"
                .to_string(),
            ErrorStatus::OverCapacity,
        ),
        (
            "postfix",
            "This is the mail system at host relay.sender.example.\n\n\
I'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n\
<member@dest.example>: host mx.dest.example[192.0.2.7] said: 550 5.1.1\n    \
<member@dest.example>: Recipient address rejected: User unknown in virtual\n    \
mailbox table (in reply to RCPT TO command)"
                .to_string(),
            ErrorStatus::UnknownUser,
        ),
        (
            "web-mail",
            "Your message wasn't delivered to member@dest.example because the address couldn't \
be found, or is unable to receive mail."
                .to_string(),
            ErrorStatus::UnknownUser,
        ),
    ]
}

fn text_report(body: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@relay.sender.example>\n\
To: news@sender.example\nSubject: Undelivered Mail Returned to Sender\n\
Auto-Submitted: auto-replied\nMIME-Version: 1.0\n\
Content-Type: multipart/mixed; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\n{body}\n\n\
--b\nContent-Type: message/rfc822\n\n{ORIGINAL}\n--b--\n"
    )
}

#[path = "support/named.rs"]
mod support;
use support::named;

/// Each family's failure with each of `extras` below it (and above it when
/// `above`) names the failed member alone, with the family's status.
fn assert_only_the_member(extras: &[&str], above: bool) {
    for (family, failure, status) in reports() {
        let want = vec![("member@dest.example".to_string(), status)];
        for extra in extras {
            let below = text_report(&format!("{failure}\n\n{extra}"));
            assert_eq!(named(&below), want, "{family} with below it: {extra}");
            if above {
                let top = text_report(&format!("{extra}\n\n{failure}"));
                assert_eq!(named(&top), want, "{family} with above it: {extra}");
            }
        }
    }
}

/// Contact lines as providers write them: at the foot, above the report,
/// wrapped before the address, in other languages.
const CONTACTS: &[&str] = &[
    "For assistance, contact the help desk at help-desk@support.example.net.",
    "If you have any questions, please email our support team at\nsupport@isp.example.net",
    "Questions? Get in touch with us via care@isp.example.net (Mon-Fri).",
    "For more information, contact: postmaster-team@isp.example.net",
    "Bei Fragen wenden Sie sich bitte an hilfe@isp.example.de.",
    "Pour toute question, contactez le support à support@isp.example.fr.",
    "ご不明な点は support@isp.example.ne.jp までお問い合わせください。",
    "お問い合わせ先：help-desk@isp.example.ne.jp",
    "上記で解決できない場合は、<support@isp.example.ne.jp>\nへご連絡ください。",
    "If you believe this message was rejected in error, or the address should exist, please \
contact admin-team@relay.example.net with the error above.",
];

#[test]
fn a_contact_line_names_nobody_and_changes_no_status() {
    assert_only_the_member(CONTACTS, true);
}

#[test]
fn a_delay_warning_with_a_contact_line_fails_nobody() {
    let body = "This is the mail system at host relay.sender.example.\n\n\
####################################################################\n\
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\
####################################################################\n\n\
Your message could not be delivered for more than 4 hour(s).\n\
It will be retried until it is 5 day(s) old.\n\n\
<member@dest.example>: connect to mx.dest.example[192.0.2.7]:25: Connection timed out\n\n\
For assistance, contact the help desk at help-desk@support.example.net.";
    let r = parse(text_report(body).as_bytes());
    assert_eq!(r.kind, Kind::Delayed);
    assert!(r.recipients.is_empty(), "{:?}", r.recipients);
}

#[test]
fn a_real_rejection_keeps_its_status_under_the_advice() {
    // The advice's "rejected in error" is no cause; the reason above it is.
    let failure = "<member@dest.example>: host mx.dest.example[192.0.2.7] said: 554 5.7.1 \
Message rejected as spam by content filter (in reply to end of DATA command)\n\n\
If you believe this message was rejected in error, please contact abuse-desk@dest.example.";
    assert_eq!(
        named(&text_report(failure)),
        vec![("member@dest.example".to_string(), ErrorStatus::Rejected)]
    );
}

#[test]
fn contact_words_about_the_failed_address_still_name_it() {
    // The address is the sentence's subject again: a delivery to it, the
    // address "in question".
    let cases = [
        "Delivery failed: mailbox full. Please contact your administrator about the delivery to \
member@dest.example.",
        "Your message could not be delivered. The address in question, member@dest.example, \
does not exist.",
        "Unable to contact the mail server for member@dest.example: host not found.",
    ];
    for body in cases {
        let got = named(&text_report(body));
        assert_eq!(
            got.iter().map(|(a, _)| a.as_str()).collect::<Vec<_>>(),
            vec!["member@dest.example"],
            "{body}"
        );
    }
}

/// Signatures and footers: the address alone on its line below a `-- `
/// delimiter, a closing or Mailman's rule.
const FOOTERS: &[&str] = &[
    "-- \nExample ISP Mail Operations\nmail-ops@isp.example.net\nhttps://isp.example.net/help",
    "--\nmail-ops@isp.example.net",
    "Regards,\nThe Mail Team\nmail-ops@isp.example.net",
    "Mit freundlichen Grüßen\nIhr Mail-Team\nmail-team@isp.example.de",
    "_______________________________________________\nOps-Discuss mailing list\n\
ops-discuss@lists.example.org\nhttps://lists.example.org/mailman/listinfo/ops-discuss",
];

#[test]
fn a_signature_or_list_footer_names_nobody() {
    assert_only_the_member(FOOTERS, false);
}

#[test]
fn a_signature_above_a_forwarded_report_ends_at_its_blank_line() {
    // A person's signature, then the report they forward: read on.
    for (family, failure, status) in reports() {
        let body = format!(
            "Hi, this came back, can you check the address?\n\nThanks,\nJohn\n\n\
---------- Forwarded message ---------\n\n{failure}"
        );
        assert_eq!(
            named(&text_report(&body)),
            vec![("member@dest.example".to_string(), status)],
            "{family}"
        );
    }
}

#[test]
fn a_weak_address_below_the_start_marker_does_not_hide_the_recipient_above_it() {
    // The recipient alone on its line at the top; the start marker
    // ("undelivered message") below it, then a mail team's address.
    let body =
        "Hello,\n\nthis is the mail server of the campus. Your message reached our address\n\
member@dest.example, but this email address is wrong or no longer valid.\n\n\
A summary of the message you sent follows:\n--------------\nMessage removed\n\n\
The Mail Team <mail-ops@isp.example.net>";
    assert_eq!(
        named(&text_report(body)),
        vec![("member@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

/// The lists of recipients reached that partial deliveries put beside the
/// failure (Exchange's and web mail's wording, Sendmail's section header,
/// a relay's "relayed to").
const REACHED: &[&str] = &[
    "Your message was successfully delivered to the following recipients:\n\n\
    reached-one@ok.example.org\n    reached-two@ok.example.org",
    "   ----- The following addresses had successful delivery notifications -----\n\
<reached-one@ok.example.org>  (successfully delivered to mailbox)\n\
<reached-two@ok.example.org>  (relayed to non-DSN-aware mailer)",
    "The message was relayed to the following recipients; no further notification will be \
sent:\n\n    reached-one@ok.example.org",
    // A heading of one word, in capitals, with a count; a passive heading
    // with each reached recipient's 2xx reply.
    "DELIVERED (2):\n  reached-one@ok.example.org\n  reached-two@ok.example.org",
    "The following recipients were delivered (2):\n\
  reached-one@ok.example.org     250 2.0.0 Ok: queued as 42Kp1\n\
  reached-two@ok.example.org     250 2.6.0 Queued mail for delivery",
];

#[test]
fn the_recipients_a_partial_delivery_reached_are_not_failed() {
    assert_only_the_member(REACHED, true);
}

#[test]
fn a_delivery_receipt_alone_fails_nobody() {
    for reached in REACHED {
        let r = parse(text_report(reached).as_bytes());
        assert!(r.recipients.is_empty(), "{reached}: {:?}", r.recipients);
    }
}

/// Lists of recipients still being tried beside the failure: Sendmail's
/// section with its transcript, a relay's and Exchange's wordings.
const STILL_TRIED: &[&str] = &[
    "   ----- The following addresses had transient non-fatal errors -----\n\
<slow@later.example.org>\n\n   ----- Transcript of session follows -----\n\
<slow@later.example.org>... Deferred: Connection timed out with later.example.org.",
    "Delivery to the following recipients has been delayed; the server will keep trying for \
5 days:\n\n    slow@later.example.org",
    "Delivery is delayed to these recipients or groups:\n\nslow@later.example.org",
    // A header wrapped over three lines, its phrase on the first, a start
    // phrase ("the following recipients") beside it (IceWarp).
    "Delivery to the following recipients is still pending. The server will\n\
keep trying to deliver your message for 3 more days, you do not need to\n\
resend it:\n\n  slow@later.example.org\n\n  Reason: 421 4.4.2 Timeout while waiting for reply",
];

#[test]
fn the_recipients_still_tried_are_not_failed() {
    assert_only_the_member(STILL_TRIED, false);
}

#[test]
fn sendmail_mixed_report_fails_only_the_fatal_section() {
    let body = "The original message was received at Mon, 1 Dec 2026 10:00:00 +0000\n\
from mta.sender.example [192.0.2.1]\n\n\
   ----- The following addresses had permanent fatal errors -----\n<member@dest.example>\n\
    (reason: 550 5.1.1 <member@dest.example>... User unknown)\n\n\
   ----- The following addresses had transient non-fatal errors -----\n<slow@later.example.org>\n\n\
   ----- Transcript of session follows -----\n\
... while talking to mx.dest.example.:\n>>> RCPT To:<member@dest.example>\n\
<<< 550 5.1.1 <member@dest.example>... User unknown\n550 5.1.1 <member@dest.example>... User unknown\n\
<slow@later.example.org>... Deferred: Connection timed out with later.example.org.";
    let r = parse(text_report(body).as_bytes());
    assert_eq!(
        r.recipients
            .iter()
            .map(|f| (f.recipient.as_str(), f.status))
            .collect::<Vec<_>>(),
        vec![("member@dest.example", ErrorStatus::UnknownUser)]
    );
}

#[test]
fn a_warning_that_lists_its_recipient_stays_a_warning() {
    let body = "This message was created automatically by mail delivery software.\n\
A message that you sent has not yet been delivered to one or more of its\n\
recipients after more than 24 hours on the queue on relay.sender.example.\n\n\
The address to which the message has not yet been delivered is:\n\n  slow@later.example.org\n\
    host mx.later.example.org [192.0.2.9]\n\
    Delay reason: SMTP error from remote mail server after MAIL FROM:<news@sender.example>:\n\
    451 4.7.1 Greylisted, please try again later\n\n\
No action is required on your part. Delivery attempts will continue for\n\
some time, and this warning may be repeated at intervals if the message\n\
remains undelivered.";
    let r = parse(text_report(body).as_bytes());
    assert_eq!(r.kind, Kind::Delayed);
    assert!(r.recipients.is_empty(), "{:?}", r.recipients);
    assert_eq!(r.mentioned, vec!["slow@later.example.org"]);
}

/// Links and a mail team's name below a report: a help page whose query
/// holds an address, a `mailto:` link after its label ("mailto:" is no
/// "To:"), a team signing with its address.
const LINKS: &[&str] = &[
    "More information: https://help.isp.example.net/lookup?ref=mail-ops@isp.example.net&lang=en",
    "Help Center <https://help.isp.example.net/> | Postmaster <mailto:mail-ops@isp.example.net>",
    "The Mail Team <mail-ops@isp.example.net>",
];

#[test]
fn links_and_a_teams_address_name_nobody() {
    assert_only_the_member(LINKS, false);
}

#[test]
fn the_messages_recipient_list_and_a_new_address_are_no_failures() {
    // "addressed to:" lists the message's recipients ("to:" counts after a
    // delivery word only); "new address is" is where to write instead.
    let above = "Your message was addressed to: all-one@team.example.org, all-two@team.example.org";
    let below = "If the recipient has moved, their new address is moved-to@new.example.org; \
please update your records.";
    for (family, failure, _) in reports() {
        for body in [
            format!("{above}\n\n{failure}"),
            format!("{failure}\n\n{below}"),
        ] {
            let got: Vec<String> = named(&text_report(&body))
                .into_iter()
                .map(|(a, _)| a)
                .collect();
            assert_eq!(got, vec!["member@dest.example"], "{family}: {body}");
        }
    }
}

#[test]
fn a_typographic_bullet_marks_a_list_item() {
    // "• a@x" stands where "* a@x" does; the address in the advice below
    // stays advice.
    for bullet in ["•", "→", "▪", "–"] {
        let body = format!(
            "Delivery to the following recipient failed permanently:\n\n     {bullet} member@dest.example\n\n\
Technical details of permanent failure:\nSMTP Error: 550 5.7.1 Your message was blocked by a DNSBL. If \
you are not a spammer, send an e-mail message from another address to unblock@dnsbl.example \
with the blocked sender's name."
        );
        let got: Vec<String> = named(&text_report(&body))
            .into_iter()
            .map(|(a, _)| a)
            .collect();
        assert_eq!(got, vec!["member@dest.example"], "{bullet}");
    }
}

/// A link's path names a page, not a refusal: a statement without a cause
/// keeps its status under a footer linking to "…/policy", while a cause
/// word in a provider's help page path still counts.
#[test]
fn a_policy_links_path_is_no_refusal() {
    let statement = "Delivery to the following recipient failed permanently:\n\n     \
member@dest.example";
    let plain = named(&text_report(statement));
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert_ne!(plain[0].1, ErrorStatus::Rejected, "{plain:?}");
    for footer in [
        "Our policies: https://isp.example.net/policy",
        "See https://isp.example.net/help/policy.html and https://isp.example.net/blocked",
    ] {
        let with = named(&text_report(&format!("{statement}\n\n{footer}")));
        assert_eq!(with, plain, "with the footer: {footer}");
    }
    let spam_page = named(&text_report(
        "Delivery to the following recipient failed permanently:\n\n     \
member@dest.example\n\n550 MI:IMF 163 mx5 http://mail.163.com/help/help_spam_16.htm?ip=192.0.2.1",
    ));
    assert_eq!(
        spam_page,
        vec![("member@dest.example".to_string(), ErrorStatus::Rejected)]
    );
}

/// A report whose only address is a help desk's, its Japanese verb wrapped
/// onto the next line ("<support@…>" / "へご連絡ください。"), names nobody.
#[test]
fn a_contact_whose_verb_is_on_the_next_line_is_no_recipient() {
    let raw = text_report(
        "I'm sorry to have to inform you that the message returned\n\
below could not be delivered to one or more destinations.\n\n\
このメールと共に返信されているメールは一つ以上の宛先に対して配信できませんでした。\n\n\
上記のサイトでも解決できない場合は、<support@isp.example.ne.jp>\n\
へご連絡ください。",
    );
    assert_eq!(named(&raw), vec![]);
}

/// A team's or desk's signature line ("The Mail Team <mail-ops@…>") is the
/// sender's side: a report naming nobody else names nobody, in any of the
/// languages a team signs in; a person's name before an address still
/// stands where recipients stand.
#[test]
fn a_teams_signature_alone_names_nobody() {
    for sig in [
        "The Mail Team <mail-ops@isp.example.net>",
        "Customer Care <care@isp.example.net>",
        "ISP Mail Operations <noc@isp.example.net>",
        "\"Example Support\" <help@isp.example.net>",
        "サポートセンター <support@isp.example.ne.jp>",
    ] {
        let raw = text_report(&format!(
            "Your message could not be delivered to one or more recipients.\n\n{sig}"
        ));
        assert_eq!(named(&raw), vec![], "signed {sig}");
        // A report in name only (a delivery-status report without its DSN
        // part), its text saying nothing but the signature.
        let raw = report_in_name_only(&format!("See the attached message.\n\n{sig}"));
        assert_eq!(named(&raw), vec![], "a report signed {sig}");
    }
    let raw = text_report(
        "Your message could not be delivered to one or more recipients.\n\n\
Jane Member <member@dest.example>\n    550 5.1.1 User unknown",
    );
    assert_names_the_member(&raw, ErrorStatus::UnknownUser);
}

/// A `mailto:` link under a name is a page's contact; Outlook's rendering
/// of a recipient's link after the address itself still names it.
#[test]
fn a_mailto_link_under_a_name_is_no_recipient() {
    let raw = report_in_name_only(
        "See the attached message.\n\nHelp Center <https://help.isp.example.net/> | \
Postmaster <mailto:mail-ops@isp.example.net>",
    );
    assert_eq!(named(&raw), vec![]);
    let raw = report_in_name_only(
        "Delivery has failed to these recipients or groups:\n\n\
member@dest.example<mailto:member@dest.example>\n\
The email address you entered couldn't be found.",
    );
    assert_names_the_member(&raw, ErrorStatus::UnknownUser);
}

/// The original's identifier fields quoted in the text and folded after
/// their names ("Message-ID:" / "<2019…@host>") name nobody.
#[test]
fn a_folded_message_id_is_no_recipient() {
    let raw = text_report(
        "Your message could not be delivered to the following address.\n\n\
member@dest.example\n\n-------server message\n550 5.1.1 User unknown\n\n\
-------original mail info\nFrom: news@sender.example\nSubject: December news\n\
Message-ID:\n<20261201100000.FFFF002@mta.sender.example>\n\
References:\n <20261130.AAAA@mta.sender.example>",
    );
    assert_names_the_member(&raw, ErrorStatus::UnknownUser);
}

/// Exchange 2007 lists a failed recipient by display name with its link,
/// "Neko<mailto:a@x>", on a line of its own: a recipient, DSN part or not.
#[test]
fn exchanges_display_name_link_is_the_recipient() {
    let raw = text_report(
        "Delivery has failed to these recipients or distribution lists:\n\n\
Jane Member<mailto:member@dest.example>\n\
The recipient's e-mail address was not found in the recipient's e-mail system.",
    );
    assert_names_the_member(&raw, ErrorStatus::UnknownUser);
}

/// A recipient listed by a team's display name right below the failure
/// list's header is still the failed recipient, whether the name reads as a
/// team's ("Sales Team") or as a help desk's ("Support Team").
#[test]
fn a_team_named_recipient_under_the_failure_header_stays() {
    for name in ["Sales Team", "Support Team", "Customer Service"] {
        let raw = text_report(&format!(
            "Delivery has failed to these recipients or groups:\n\n\
{name} <member@dest.example>\n\
The email address you entered couldn't be found."
        ));
        assert_names_the_member(&raw, ErrorStatus::UnknownUser);
    }
}

/// A delivery-status report in name only (no DSN part) whose text is
/// `text`, with a returned original that names nobody.
fn report_in_name_only(text: &str) -> String {
    format!(
        "From: Mail System <mailer@relay.sender.example>\nTo: news@sender.example\n\
Subject: Report\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\n\n\
--b\nContent-Type: text/plain; charset=utf-8\n\n{text}\n\n\
--b\nContent-Type: message/rfc822\n\nFrom: nobody@sender.example\n\nHello.\n\n--b--\n"
    )
}

/// `raw` names `member@dest.example` alone, with `status`.
fn assert_names_the_member(raw: &str, status: ErrorStatus) {
    assert_eq!(
        named(raw),
        vec![("member@dest.example".to_string(), status)]
    );
}

/// A cause told above its recipient, then the list of the recipients
/// reached: the reached list's heading ("… delivered to the following
/// recipients:") is not where the failure starts, and the cause above
/// stays the failed recipient's (before, the report read as a receipt).
#[test]
fn a_cause_above_its_recipient_survives_a_reached_list_below() {
    for (cause, status) in [
        ("The user(s) account is disabled.", ErrorStatus::UnknownUser),
        (
            "The recipient's mailbox is full.",
            ErrorStatus::OverCapacity,
        ),
    ] {
        for gap in ["\n", "\n\n"] {
            let body = format!(
                "{cause}{gap}<member@dest.example>\n\n\
Your message was successfully delivered to the following recipients:\n\n    ok@reached.example.org"
            );
            assert_eq!(
                named(&text_report(&body)),
                vec![("member@dest.example".to_string(), status)],
                "{body}"
            );
        }
    }
}
