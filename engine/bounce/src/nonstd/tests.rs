//! Tests of the non-standard reader (`nonstd/`).

use super::*;

fn view_of(text: &str) -> View {
    View {
        texts: vec![text.to_string()],
        to: vec!["sender@example.org".into()],
        ..View::default()
    }
}

#[test]
fn example_lists_name_nobody() {
    let v = view_of(
        "Please send a list of valid addresses, e.g.\n\n    a.b@dept.example\n    \
         help@dept.example\n\nMail to other addresses gets 550 5.1.1 User unknown.\n",
    );
    assert!(scan(&v, Markers::builtin()).candidates.is_empty());
    // A list a failure sentence introduces is the failures.
    let v =
        view_of("The following addresses failed:\n\n    a.b@dept.example\n    help@dept.example\n");
    assert_eq!(scan(&v, Markers::builtin()).candidates.len(), 2);
}

#[test]
fn qmail_style() {
    let v = view_of("Hi. This is the qmail-send program at mx.example.jp.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<kijitora@example.ne.jp>:\nremote host said: 550 Unknown user\n\n--- Below this line is a copy of the message.\n\nFrom: sender@example.org\nTo: other@example.com\n");
    let f = scan(&v, Markers::builtin());
    assert!(f.has_start && f.strong);
    assert_eq!(f.candidates.len(), 1);
    assert_eq!(f.candidates[0].recipient, "kijitora@example.ne.jp");
    assert!(f.candidates[0].diagnostic.contains("550 Unknown user"));
}

#[test]
fn exim_style_skips_mail_from() {
    let v = view_of("A message that you sent could not be delivered to one or more of its\nrecipients. The following address(es) failed:\n\n  neko@example.jp\n    SMTP error from remote mail server after MAIL FROM:<sender2@example.org>:\n    host mx [192.0.2.1]: 552 5.2.2 Mailbox full\n\n------ This is a copy of the message, including all the headers. ------\nTo: neko@example.jp\n");
    let f = scan(&v, Markers::builtin());
    assert_eq!(
        f.candidates
            .iter()
            .map(|c| c.recipient.as_str())
            .collect::<Vec<_>>(),
        vec!["neko@example.jp"]
    );
    assert!(f.candidates[0].diagnostic.contains("552 5.2.2"));
}

#[test]
fn address_alone_then_explanation() {
    let v = view_of(
        "Your message could not be delivered.\n\n   a@example.com\n\nThe mailbox is full.\n",
    );
    let f = scan(&v, Markers::builtin());
    assert_eq!(f.candidates[0].recipient, "a@example.com");
    assert!(f.candidates[0].diagnostic.contains("mailbox is full"));
}

#[test]
fn reads_on_to_the_quoted_reply() {
    let v = view_of("Delivery to the following recipient failed permanently:\n\n     a@example.com\n\nTechnical details of permanent failure:\nGoogle tried to deliver your message, but it was rejected by the server.\n\nThe error that the other server returned was:\n550 5.1.1 <a@example.com>... User Unknown\n");
    let f = scan(&v, Markers::builtin());
    assert!(f.candidates[0].diagnostic.contains("550 5.1.1"));
}

#[test]
fn weak_positions_are_flagged() {
    let v =
        view_of("Delivery failed for the message sent to kuro@example.net because of a policy\n");
    let f = scan(&v, Markers::builtin());
    assert!(!f.strong);
    assert_eq!(f.candidates[0].recipient, "kuro@example.net");
}
