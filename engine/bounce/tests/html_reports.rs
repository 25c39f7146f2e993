//! Reports sent as HTML alone (Exchange and Office 365, web mail) read as
//! their plain-text twins read, and a returned message's body, whatever it
//! says, never names a failed recipient. The messages are written for
//! this test in the layouts those systems use, with the source wrapped as
//! their HTML writers wrap it (`<br>` then CRLF, folded sentences,
//! character references, mailto links).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus, Kind};

fn html_only(from: &str, subject: &str, html: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: news@sender.example\r\nSubject: {subject}\r\n\
MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n"
    )
    .into_bytes()
}

fn named(raw: &[u8]) -> Vec<(String, ErrorStatus)> {
    parse(raw)
        .recipients
        .into_iter()
        .map(|f| (f.recipient, f.status))
        .collect()
}

#[test]
fn an_office_365_style_report_with_its_source_wrapped() {
    let html = "<html>\r\n<head><style>.x { color: #000 }</style></head>\r\n<body>\r\n\
<p><b>Your message to <a href=\"mailto:jdoe@dest.example\">jdoe@dest.example</a>\r\n\
couldn&#39;t be delivered.</b></p>\r\n\
<p>jdoe wasn&#39;t found at dest.example.</p>\r\n\
<p>Remote server returned&nbsp;'550 5.1.1\r\n RESOLVER.ADR.RecipNotFound; not found'</p>\r\n\
</body>\r\n</html>";
    let raw = html_only(
        "Microsoft Outlook <postmaster@relay.sender.example>",
        "Undeliverable: November news",
        html,
    );
    assert_eq!(
        named(&raw),
        vec![("jdoe@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn a_recipient_paragraph_split_by_the_source_newlines_keeps_its_reply() {
    // The reply is in the recipient's paragraph as a browser shows it; read
    // by source lines it would end at "<br>\r\n" and lose the reply.
    let html = "<div>Delivery to the following recipient failed permanently:<br>\r\n\
<br>\r\n&nbsp;&nbsp;&nbsp;&nbsp; jdoe@dest.example<br>\r\n<br>\r\n\
Technical details of permanent failure:<br>\r\n\
The error that the other server returned was:<br>\r\n\
552 5.2.2 The recipient&#x27;s mailbox is full<br>\r\n</div>";
    let raw = html_only(
        "Mail Delivery Subsystem <mailer-daemon@relay.sender.example>",
        "Delivery Status Notification (Failure)",
        html,
    );
    assert_eq!(
        named(&raw),
        vec![("jdoe@dest.example".to_string(), ErrorStatus::OverCapacity)]
    );
}

#[test]
fn an_example_address_in_html_prose_is_not_a_recipient() {
    // The raw-body fallback reads the HTML rendered, not as one long line
    // of source that puts the example next to every failure word.
    let html = "<p>Message not delivered to the following:</p>\n\
<p>jdoe&nbsp;&nbsp;&nbsp;No matches in the directory</p>\n\
<p>The directory could not find the name. If you are sure of it, try\n\
the form first.last, e.g., if ann.smith@dest.example fails, try\n\
anne.smith@dest.example.</p>";
    let raw = html_only(
        "MAILER-DAEMON@mx.dest.example",
        "Returned mail - directory error",
        html,
    );
    assert_eq!(named(&raw), vec![]);
}

#[test]
fn a_digest_of_forwarded_messages_that_speak_of_failures_names_nobody() {
    let inner = |n: u8| {
        format!(
            "--d\n\nTo: reader{n}@home.example\nFrom: offers@shop.example\nSubject: Deals\n\n\
Your mailbox is full of savings! Unknown user? Not with us. This mail could not be \
delivered any cheaper, and delivery failed elsewhere, not here.\n\n"
        )
    };
    let raw = format!(
        "From: Ann Example <ann@home.example>\nTo: list@home.example\nSubject: digest\n\
MIME-Version: 1.0\nContent-Type: multipart/digest; boundary=d\n\n{}{}--d--\n",
        inner(1),
        inner(2)
    );
    let r = parse(raw.as_bytes());
    assert!(r.recipients.is_empty(), "{:?}", r.recipients);
    assert_eq!(r.kind, Kind::NotBounce);
}

#[test]
fn a_plain_part_that_only_points_to_the_html_does_not_hide_it() {
    let raw = "From: Mail Delivery System <mailer-daemon@relay.sender.example>\n\
To: news@sender.example\nSubject: Undeliverable: November news\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=alt\n\n\
--alt\nContent-Type: text/plain; charset=utf-8\n\n\
This notification is in HTML. Please view it in an HTML-capable reader.\n\n\
--alt\nContent-Type: text/html; charset=utf-8\n\n\
<p>Your message could not be delivered to the following recipient:</p>\n\
<p>jdoe@dest.example<br>\n550 5.1.1 &lt;jdoe@dest.example&gt;: Recipient address rejected: \
User unknown in virtual mailbox table</p>\n--alt--\n";
    assert_eq!(
        named(raw.as_bytes()),
        vec![("jdoe@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn equal_alternatives_are_read_once() {
    // Exchange writes the report in full twice; read twice, a recipient
    // would be named twice.
    let text = "Delivery has failed to these recipients or groups:\n\njdoe@dest.example\n\
The email address you entered couldn't be found.\n\n\
Diagnostic information for administrators:\n\n\
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'\n";
    let html = text
        .split("\n\n")
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>\n")))
        .collect::<String>();
    let raw = format!(
        "From: Microsoft Outlook <postmaster@relay.sender.example>\n\
To: news@sender.example\nSubject: Undeliverable: November news\nMIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=alt\n\n\
--alt\nContent-Type: text/plain; charset=utf-8\n\n{text}\n\
--alt\nContent-Type: text/html; charset=utf-8\n\n{html}\n--alt--\n"
    );
    assert_eq!(
        named(raw.as_bytes()),
        vec![("jdoe@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
    let view = hikyaku_bounce::mime::view(raw.as_bytes()).unwrap();
    assert_eq!(view.texts.len(), 1);
}
