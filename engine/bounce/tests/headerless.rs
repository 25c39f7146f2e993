//! Bounce text without its header block (a body copied out of a mail client
//! or handed over by a webhook): the whole input is body, and the fixed
//! sentences of an MTA's template stand in for the missing `From:
//! MAILER-DAEMON` (`data/markers.txt` `[template]`). Texts written from the
//! Postfix, Exchange, Exim and Gmail layouts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::text::starts_with_header;
use hikyaku_bounce::{parse, ErrorStatus, Kind};

const POSTFIX_HEAD: &str = "This is the mail system at host relay.example.net.\n\n\
I'm sorry to have to inform you that your message could not\n\
be delivered to one or more recipients. It's attached below.\n\n\
For further assistance, please send mail to postmaster.\n\n\
                   The mail system\n\n";

fn failed(text: &str) -> Vec<(String, ErrorStatus)> {
    let r = parse(text.as_bytes());
    r.recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect()
}

#[test]
fn header_detection() {
    assert!(starts_with_header(b"From: a@b.example\n\nx"));
    assert!(starts_with_header(b"X-Failed-Recipients: a@b.example\n"));
    assert!(starts_with_header(b"From MAILER-DAEMON Thu Nov 23 2023\n"));
    assert!(!starts_with_header(b"This is the mail system at host x.\n"));
    assert!(!starts_with_header(b"** Address not found **\n"));
    assert!(!starts_with_header(
        b"Delivery has failed to these recipients or groups:\n"
    ));
    assert!(!starts_with_header(b"Hello"));
    assert!(!starts_with_header(b"{\"notificationType\":\"Bounce\"}"));
}

#[test]
fn postfix_text_with_a_reply() {
    let t = format!(
        "{POSTFIX_HEAD}<jd@dest.example>: host mx.dest.example[192.0.2.7] said: 550 5.1.1\n    \
         <jd@dest.example>: Recipient address rejected: User unknown (in reply to\n    RCPT TO command)\n"
    );
    assert_eq!(
        failed(&t),
        vec![("jd@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn an_address_inside_the_quoted_reply_is_not_a_recipient() {
    // The remote reply names our own bounce address; without a header
    // block nothing says it is ours, but it sits inside the recipient's
    // paragraph, indented below it.
    let t = format!(
        "{POSTFIX_HEAD}<jd@relay.example>: host\n    mx.relay.example[192.0.2.9] said: 550 5.7.1\n    \
         <bounce-77@news.example>: unauthorized sender (in\n    reply to RCPT TO command)\n\n\
         <ann@dest.example>: host mx.dest.example[192.0.2.7] said: 552 5.2.2 Mailbox\n    full (in reply to RCPT TO command)\n"
    );
    assert_eq!(
        failed(&t),
        vec![
            ("jd@relay.example".to_string(), ErrorStatus::Rejected),
            ("ann@dest.example".to_string(), ErrorStatus::OverCapacity)
        ]
    );
}

#[test]
fn reply_wordings() {
    for (reply, want) in [
        (
            "421 4.4.2 mx.dest.example Error: timeout exceeded",
            ErrorStatus::ResendTimeout,
        ),
        (
            "451 Message temporarily deferred due to unresolvable RFC.5321 from domain",
            ErrorStatus::Rejected,
        ),
        (
            "550 Your host is not allowed to connect to this server.",
            ErrorStatus::Rejected,
        ),
        (
            "554 RCPT (jd@dest.example) dosn't exist",
            ErrorStatus::UnknownUser,
        ),
        (
            "550 5.4.310 DNS domain dest.example does not exist [Message=InfoDomainNonexistent]",
            ErrorStatus::UnknownHost,
        ),
    ] {
        let t = format!(
            "{POSTFIX_HEAD}<jd@dest.example>: host mx.dest.example[192.0.2.7] said: {reply}\n"
        );
        assert_eq!(
            failed(&t),
            vec![("jd@dest.example".to_string(), want)],
            "{reply}"
        );
    }
}

#[test]
fn postfix_text_without_a_code() {
    let t = format!(
        "{POSTFIX_HEAD}<jd@dest.example>: Host or domain name not found. Name service error\n    \
         for name=dest.example type=A: Host not found\n"
    );
    assert_eq!(
        failed(&t),
        vec![("jd@dest.example".to_string(), ErrorStatus::UnknownHost)]
    );
}

#[test]
fn exchange_text_in_another_language() {
    let t = "Ihre Nachricht konnte nicht zugestellt werden.\n\n\
jd@dest.example<mailto:jd@dest.example>\n\n\
Diagnoseinformationen für Administratoren:\n\n\
Generierender Server: MBX01.dest.example\n\n\
jd@dest.example\n\
Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\n";
    assert_eq!(
        failed(t),
        vec![("jd@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn delay_warnings_without_a_header_name_nobody() {
    let gmail = "** Delivery incomplete **\n\nThere was a temporary problem delivering your message to jd@dest.example. \
Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.\n\n\
The response from the remote server was:\n451 4.3.0 Mail server temporarily rejected message.\n";
    let opensmtpd =
        "    Hi!\n\n    This is the MAILER-DAEMON, please DO NOT REPLY to this email.\n\n    \
A message is delayed for more than 4 hours for the following\n    list of recipients:\n\n\
jd@dest.example: Network error on destination MXs\n\n    \
Please note that this is only a temporary failure report.\n    \
The message is kept in the queue for up to 7 days.\n    \
You DO NOT NEED to re-send the message to these recipients.\n";
    for t in [gmail, opensmtpd] {
        let r = parse(t.as_bytes());
        assert!(r.recipients.is_empty(), "{t}");
        assert_eq!(r.kind, Kind::Delayed, "{t}");
    }
}

#[test]
fn plain_text_is_not_a_bounce() {
    for t in ["", "Hello", "Hi Bob,\n\nyour note to ann@dest.example could not be delivered, she left us.\nWrite to cy@dest.example instead.\n"] {
        let r = parse(t.as_bytes());
        assert!(r.recipients.is_empty(), "{t:?}");
        assert_eq!(r.kind, Kind::NotBounce, "{t:?}");
    }
}

#[test]
fn templates_read_the_same_without_their_header_block() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mta_templates");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    assert!(names.len() >= 30);
    // Messages whose only evidence is in their header block: a Sieve
    // reject with an empty text part says why in its subject alone; an
    // HTML report naming its recipient in running text ("Your message to
    // <a href="mailto:jd@…">jd@…</a> was rejected") is a report by its
    // sender and subject (a forward of one by a person reads the same).
    let header_only = [
        "more_dovecot_reject_sieve_no_text.eml",
        "more_mimecast_html.eml",
    ];
    names.retain(|p| {
        !header_only
            .iter()
            .any(|h| p.file_name().is_some_and(|n| n == *h))
    });
    for p in names {
        let raw = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).replace("\r\n", "\n");
        let body = raw.split_once("\n\n").map(|x| x.1).unwrap_or("");
        let whole = parse(raw.as_bytes());
        let bare = parse(body.as_bytes());
        assert_eq!(named(&whole), named(&bare), "{}", p.display());
    }
}

#[test]
fn a_byte_order_mark_is_not_part_of_the_message() {
    let msg = "From: Mail Delivery System <MAILER-DAEMON@relay.example.net>\n\
To: sender@our.example\nSubject: Undelivered Mail Returned to Sender\n\n";
    let t = format!(
        "\u{feff}{msg}{POSTFIX_HEAD}<jd@dest.example>: host mx.dest.example[192.0.2.7] said: 550 5.1.1 User unknown\n"
    );
    assert_eq!(
        failed(&t),
        vec![("jd@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn an_amazon_ses_notification_as_a_bare_json_body() {
    let t = r#"{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bounceSubType":"General","bouncedRecipients":[{"emailAddress":"jd@dest.example","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"}],"timestamp":"2026-11-02T00:06:40.502Z","reportingMTA":"dsn; a8-70.smtp-out.amazonses.com"},"mail":{"timestamp":"2026-11-02T00:06:39.000Z","source":"sender@our.example","destination":["jd@dest.example"]}}"#;
    assert_eq!(
        failed(t),
        vec![("jd@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn older_templates_without_a_header() {
    // Sixth round: template sentences found by reading the imported
    // corpora's dev texts without their headers (texts written here).
    let cases = [
        (
            "Your message\n\n  To:      news@list.example\n  Subject: December\n\n\
             did not reach the following recipient(s):\n\n\
             jd@dest.example on Mon, 1 Dec 2026 10:00:00 +0000\n    \
             The recipient name is not recognized\n",
            ErrorStatus::UnknownUser,
        ),
        (
            "This is the Mailer program at host mx.dest.example.\n\n\
             I'm sorry to have to inform you that the message returned\n\
             below could not be delivered to one or more destinations.\n\n\
             <jd@dest.example>: permission denied. Command output: Mail quota exceeded.\n",
            ErrorStatus::OverCapacity,
        ),
        (
            "------ Failed Recipients ------\n\n\
             <jd@dest.example>: Requested action not taken: mailbox unavailable. [SMTP Error Code 550]\n",
            ErrorStatus::UnknownUser,
        ),
        (
            // Dovecot's LDA/LMTP rejection.
            "Your message to <jd@dest.example> was automatically rejected:\n\
             Quota exceeded (mailbox for user is full)\n",
            ErrorStatus::OverCapacity,
        ),
        (
            // L-Soft LISTSERV's machine-readable error report.
            "An error was detected while processing the enclosed message.  A list of\n\
             the affected recipient follows.   This list is in a special format that\n\
             allows software like LISTSERV to automatically take action on incorrect\n\
             addresses.\n\n--> Error description:\nError-for:  jd@dest.example\n\
             Error-Code: 3\nError-Text: User unknown\n\nError-End:  One error reported.\n",
            ErrorStatus::UnknownUser,
        ),
        (
            // Lotus Notes writes two spaces before the dashes.
            "------- Failure Reasons  --------\n\n\
             User not listed in public Name & Address Book\njd@dest.example\n\n\
             ------- Returned Message --------\n\
             Received: from sender.example by mx.dest.example\nTo: jd@dest.example\n\nHello\n",
            ErrorStatus::UnknownUser,
        ),
        (
            // IMail: the only template sentence is the line that opens
            // the returned original.
            "Unknown user: jd@dest.example\n\n\nOriginal message follows.\n\n\
             Received: from sender.example [192.0.2.88] by mx.dest.example with ESMTP\n\
             To: jd@dest.example\nSubject: December\n\nHello\n",
            ErrorStatus::UnknownUser,
        ),
        (
            "Su mensaje no pudo ser entregado - Your message could not be delivered.\n\n\
             <jd@dest.example>:\nMailbox quota usage exceeded.\n",
            ErrorStatus::OverCapacity,
        ),
    ];
    for (text, status) in cases {
        assert_eq!(
            failed(text),
            vec![("jd@dest.example".to_string(), status)],
            "{text}"
        );
    }
}

/// A report whose sender is no known mail system address (a provider's
/// "Servizio" or `info@` sender) is still a report: its subject or its
/// structure says so ("Messaggio non recapitato", "mail failed, returning
/// to sender"). Every template reads the same with such a sender.
#[test]
fn templates_read_the_same_from_an_unknown_sender() {
    for (path, whole, other) in each_template(false) {
        assert_eq!(whole, other, "{path}");
    }
}

/// Without their subject as well (a relay or a client that dropped it), only
/// the text says "report": its opening template sentence, a start sentence
/// with codes or a returned original. A report the text alone cannot tell
/// from a person's message citing one names nobody then, but never anyone
/// else or with another status; and most templates still read the same.
#[test]
fn templates_without_their_sender_and_subject_lose_recipients_but_never_change_them() {
    let (mut named_whole, mut same) = (0, 0);
    for (path, whole, other) in each_template(true) {
        if whole.is_empty() {
            continue;
        }
        named_whole += 1;
        if other == whole {
            same += 1;
        } else {
            assert!(other.is_empty(), "{path}: {whole:?} became {other:?}");
        }
    }
    // 412 of 438 at the eleventh round (379 before `template_opens_text`).
    assert!(same >= 410, "{same} of {named_whole} read the same");
}

/// Each template's failed recipients as written, and with its From replaced
/// by an unknown sender (and its Subject dropped when `drop_subject`).
fn each_template(drop_subject: bool) -> Vec<(String, Named, Named)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    let mut names: Vec<_> = [
        "mta_templates",
        "mta_templates_native",
        "mta_templates_matrix",
    ]
    .iter()
    .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
    .filter_map(|e| e.ok().map(|e| e.path()))
    .filter(|p| p.extension().is_some_and(|x| x == "eml"))
    .collect();
    names.sort();
    assert!(names.len() >= 400, "{} templates", names.len());
    names
        .into_iter()
        .map(|p| {
            let raw = String::from_utf8_lossy(&std::fs::read(&p).unwrap()).replace("\r\n", "\n");
            let whole = named(&parse(raw.as_bytes()));
            // Only the report's own header: the returned original keeps its own.
            let (head, body) = raw.split_once("\n\n").unwrap_or((raw.as_str(), ""));
            let head: Vec<&str> = head
                .lines()
                .filter(|l| !(drop_subject && l.to_ascii_lowercase().starts_with("subject:")))
                .map(|l| {
                    if l.to_ascii_lowercase().starts_with("from:") {
                        "From: Servizio <info@dest.example>"
                    } else {
                        l
                    }
                })
                .collect();
            let renamed = format!("{}\n\n{body}", head.join("\n"));
            let other = named(&parse(renamed.as_bytes()));
            (p.display().to_string(), whole, other)
        })
        .collect()
}

type Named = Vec<(String, ErrorStatus)>;

/// The failed recipients of a report with their statuses.
fn named(r: &hikyaku_bounce::BounceReport) -> Named {
    r.recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect()
}
