//! Failed recipients listed on one line after a recipient field ("could not
//! be delivered to: a@x, b@y"): every address of the list stands where the
//! first does. Before, only the first was named, the others being read as
//! running text beside a recipient in its place.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

fn report(lines: &str) -> String {
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example>\n\
To: sender@example.org\nSubject: Returned mail\n\
Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\
{lines}\n\n\nOriginal message follows.\n\n\
From: sender@example.org\nTo: team@dest.example\nSubject: hi\n\nhello\n"
    )
}

fn named(raw: &str) -> Vec<(String, ErrorStatus)> {
    let r = parse(raw.as_bytes());
    assert!(r.is_bounce, "{r:?}");
    r.recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect()
}

#[test]
fn every_address_of_a_list_after_a_recipient_field_is_named() {
    for list in [
        "carol@dest.example, bob@dest.example, dave@dest.example",
        "<carol@dest.example>; <bob@dest.example>; <dave@dest.example>",
        "carol@dest.example, bob@dest.example and dave@dest.example",
        "<carol@dest.example>,<bob@dest.example>, and <dave@dest.example>",
    ] {
        let text = format!("Your message could not be delivered to: {list}\nReason: user unknown");
        assert_eq!(
            named(&report(&text)),
            ["carol", "bob", "dave"]
                .map(|l| (format!("{l}@dest.example"), ErrorStatus::UnknownUser))
                .to_vec(),
            "{text}"
        );
    }
}

#[test]
fn an_address_after_words_is_no_list_item() {
    // The second address follows a sentence, not a separator: the
    // contact is not a failed recipient.
    let text = "Your message could not be delivered to: carol@dest.example, please write to \
help@relay.example\nReason: user unknown";
    assert_eq!(
        named(&report(text)),
        vec![("carol@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}
