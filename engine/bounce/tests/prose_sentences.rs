//! A report that names one recipient where recipients stand ("a@x: 550
//! …") and another only inside a sentence of its own: "We couldn't find
//! anyone called b@y.", "The mailbox b@y is full, so …", "Sua mensagem
//! para b@y não pôde ser entregue", "b@y 宛のメールは … 届きませんでした"
//! (the sentence wrapped onto the next line), "Для b@y доставка
//! прекращена". Each sentence names its recipient with the cause it gives;
//! the help desk and the suggested address beside them stay unnamed. And
//! `X-Failed-Recipients` listing both makes a recipient told in a sentence
//! no lead-in marks a failure too. Written for this test from how such
//! notices are worded, not copied from any corpus message.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::{parse, ErrorStatus};

fn report(extra_header: &str, body: &str) -> String {
    format!(
        "From: Mail System <postmaster@isp.example>\n\
To: sender@example.org\nSubject: Your message could not be delivered\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\nMessage-ID: <p-1@isp.example>\n\
{extra_header}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\
Content-Transfer-Encoding: 8bit\n\n{body}\n\
Questions? Write to helpdesk@isp.example.\n\n\
-- Your message --\n\nFrom: sender@example.org\n\
To: first@dest.example, second@other.example\nSubject: hi\n\nhello\n"
    )
}

fn named(raw: &str) -> Vec<(String, ErrorStatus)> {
    let r = parse(raw.as_bytes());
    assert!(r.is_bounce, "{r:?}");
    let mut v: Vec<_> = r
        .recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The first recipient, where recipients stand.
const FIRST: &str = "first@dest.example: the server said \"550 5.1.1 User unknown\".\n\n";

#[test]
fn a_recipient_told_in_its_own_sentence_is_named_with_its_cause() {
    use ErrorStatus::*;
    let cases: &[(&str, ErrorStatus)] = &[
        (
            "We couldn't find anyone called second@other.example. Maybe you meant\nsecnd@other.example?\n",
            UnknownUser,
        ),
        (
            "The mailbox second@other.example is full, so it could not\naccept your message.\n",
            OverCapacity,
        ),
        (
            "Sua mensagem para second@other.example não pôde ser entregue porque\na caixa postal está cheia.\n",
            OverCapacity,
        ),
        (
            "second@other.example 宛のメールは、メッセージのサイズが上限を超えているため\n受信できませんでした。\n",
            Oversize,
        ),
        (
            "Для second@other.example доставка прекращена: почтовый ящик переполнен.\n",
            OverCapacity,
        ),
    ];
    for (sentence, want) in cases {
        let got = named(&report("", &format!("{FIRST}{sentence}")));
        assert_eq!(
            got,
            vec![
                ("first@dest.example".to_string(), UnknownUser),
                ("second@other.example".to_string(), *want)
            ],
            "{sentence}"
        );
    }
}

#[test]
fn x_failed_recipients_places_a_recipient_named_only_in_prose() {
    let body = format!(
        "{FIRST}Nobody at Other uses the address second@other.example any more;\n\
the account was closed in May.\n"
    );
    let with = named(&report(
        "X-Failed-Recipients: first@dest.example, second@other.example\n",
        &body,
    ));
    assert_eq!(
        with,
        vec![
            ("first@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("second@other.example".to_string(), ErrorStatus::UnknownUser)
        ]
    );
    // Without the header, the sentence alone is no recipient's place: only
    // the first is named.
    let without = named(&report("", &body));
    assert_eq!(
        without,
        vec![("first@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn a_servers_reply_quoting_an_address_places_no_other_recipient() {
    // The forward target in the server's reply under the recipient that
    // forwards is that recipient's explanation.
    let body = "first@dest.example: forwarding to second@other.example failed.\n\
  The server said: 550 Unknown user second@other.example\n";
    let got = named(&report("", body));
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].0, "first@dest.example");
}

#[test]
fn an_address_continuing_a_sentence_from_the_line_above_is_read_in_it() {
    // The sentence began on the line above: the address is the one reached,
    // the suggestion or the help desk it names, not an item of a list.
    for tail in [
        "Your message was delivered to the third recipient,\nthird@dest.example, without any trouble.\n",
        "He asked us to pass on his new address: he is now reachable at\nnew.home@else.example from Monday on.\n",
        "If you are a member, please ask the school office\n(office@dest.example) to add you to the group.\n",
    ] {
        let got = named(&report("", &format!("{FIRST}{tail}")));
        assert_eq!(
            got,
            vec![("first@dest.example".to_string(), ErrorStatus::UnknownUser)],
            "{tail}"
        );
    }
    // Wrapped before the address, the failure sentence still names it.
    let got = named(&report(
        "",
        &format!("{FIRST}Delivery to the second address you wrote to failed: delivery to\nsecond@other.example failed because the mailbox is full.\n"),
    ));
    assert_eq!(got.len(), 2, "{got:?}");
    assert_eq!(
        got[1],
        (
            "second@other.example".to_string(),
            ErrorStatus::OverCapacity
        )
    );
}

#[test]
fn an_x400_identifier_without_its_closing_bracket_is_no_recipient() {
    let raw = "From: Lee.Fontaine@pilot.cs.wisc.example\nTo: owner-list@isi.example\n\
Subject: Delivery Report (failure) for Lee.Fontaine@pilot.cs.wisc.example\n\n\
Your message was not delivered to\n        Lee.Fontaine@pilot.cs.wisc.example for the following reason:\n\
        Message looping detected\n\n\
* Subject-Submission-Identifier: [/PRMD=xnren/ADMD= /C=us/;<9012121704.AA08993@decpa.pa.dec]\n";
    let got = named(raw);
    assert_eq!(
        got,
        vec![(
            "lee.fontaine@pilot.cs.wisc.example".to_string(),
            ErrorStatus::ReceiverError
        )]
    );
}

#[test]
fn recipients_reached_and_signatures_told_beside_the_failure_are_not_named() {
    for tail in [
        // Reached, told after the address, its sentence wrapped.
        "Your CC to his colleague Ruth (ruth@dest.example)\nwent through fine, so she has a copy.\n",
        "なお、もう一つの宛先である ruth@dest.example 様には\n正常に配信されております。\n",
        "Die Kopie an unsere Buchhaltung\n(ruth@dest.example) wurde dagegen ordnungsgemäß\nzugestellt.\n",
        // A signature below a closing and a blank line, or below a dash.
        "Met vriendelijke groet,\n\nHelpdesk Polderweb\nhelpdesk@isp.example  -  088 000 0000\n",
        "For the big one, share a link instead.\n\n— Quillbridge Mail\nhelp@isp.example\n",
        // A forward target in Chinese, the sentence wrapped before it.
        "收件人的信箱設定會把郵件自動轉寄到\nfwd@else.example，而對方的伺服器又把郵件轉寄回原來的信箱。\n",
    ] {
        let got = named(&report("", &format!("{FIRST}{tail}")));
        assert_eq!(
            got,
            vec![("first@dest.example".to_string(), ErrorStatus::UnknownUser)],
            "{tail}"
        );
    }
}

#[test]
fn a_failure_sentence_begun_above_the_start_line_names_its_recipient() {
    // The start sentence ends a paragraph whose first line names the
    // recipient; the list below suggests addresses and names no failure.
    let body = "Nobody by the name anneliese@dest.example receives\n\
mail here, so your message \"AGM minutes\" was not delivered to\nher.\n\n\
The names in our member directory that come closest are:\n\n\
  - annelie@dest.example (Annelie Grau, allotments)\n\
  - a.grauer@dest.example (Anneliese Grauer, treasurer)\n\n\
If one of those is the person you meant, please resend to them.\n";
    let got = named(&report("", body));
    assert_eq!(
        got,
        vec![(
            "anneliese@dest.example".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
}
