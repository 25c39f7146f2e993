//! Reports that list their failed recipients one a line, each after its own
//! cause ("Mailbox full: a@x" / "User unknown: b@y"): IMail's layout, and
//! that of many list managers' and gateways' summaries; and several on one
//! line after a recipient field ("could not be delivered to: a@x, b@y"),
//! where every address of the list stands where the first does (before,
//! only the first was named). Every recipient is named with the cause of its
//! own line, whatever the other lines say and whether or not another line's
//! label is also a recipient field ("Unknown user:" ends in "user:"). Before,
//! a line whose label named a cause but no recipient field lost its
//! recipient beside such a field, and a Japanese label ("宛先不明：") was too
//! short to count as the recipient's own explanation, so the next line's
//! cause was read for it.
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

const CAUSES: [(&str, ErrorStatus); 6] = [
    ("Unknown user", ErrorStatus::UnknownUser),
    ("User unknown", ErrorStatus::UnknownUser),
    ("Mailbox full", ErrorStatus::OverCapacity),
    ("Quota exceeded", ErrorStatus::OverCapacity),
    ("Host unknown", ErrorStatus::UnknownHost),
    ("Message too large", ErrorStatus::Oversize),
];

#[test]
fn every_pair_of_labelled_lines_names_both_with_their_own_cause() {
    let layouts: [fn(&str, &str) -> String; 4] = [
        |cause, addr| format!("{cause}: {addr}"),
        |cause, addr| format!("  - {cause}: <{addr}>"),
        |cause, addr| format!("{cause}\u{ff1a}{addr}"),
        |cause, addr| format!("{cause} : {addr}"),
    ];
    let mut checked = 0;
    for layout in layouts {
        for (first, s1) in CAUSES {
            for (second, s2) in CAUSES {
                let text = format!(
                    "{}\n{}",
                    layout(first, "carol@dest.example"),
                    layout(second, "bob@dest.example")
                );
                assert_eq!(
                    named(&report(&text)),
                    vec![
                        ("carol@dest.example".to_string(), s1),
                        ("bob@dest.example".to_string(), s2)
                    ],
                    "{text}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 4 * 36);
}

#[test]
fn labelled_lines_under_a_heading_and_with_reply_codes() {
    let text = "The following recipients failed:\n\n  550 User unknown: a@dest.example\n  \
552 Mailbox full: b@dest.example\n  554 Relaying denied: c@other.example";
    assert_eq!(
        named(&report(text)),
        vec![
            ("a@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("b@dest.example".to_string(), ErrorStatus::OverCapacity),
            ("c@other.example".to_string(), ErrorStatus::ReceiverError),
        ]
    );
}

#[test]
fn japanese_labels_keep_their_own_cause() {
    for text in [
        "宛先不明：carol@dest.example\nメールボックスがいっぱいです：bob@dest.example",
        "宛先不明：carol@dest.example\n\nメールボックスがいっぱいです：bob@dest.example",
    ] {
        assert_eq!(
            named(&report(text)),
            vec![
                ("carol@dest.example".to_string(), ErrorStatus::UnknownUser),
                ("bob@dest.example".to_string(), ErrorStatus::OverCapacity),
            ],
            "{text}"
        );
    }
}

#[test]
fn refusal_wording_alone_is_no_label() {
    // "Rejected:" says no cause: its address is not placed as a recipient
    // beside a labelled one.
    let text = "Rejected: bob@dest.example\nUser unknown: carol@dest.example";
    assert_eq!(
        named(&report(text)),
        vec![("carol@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn a_label_in_a_quoted_subject_names_nobody() {
    let raw = "From: Ann Example <ann@example.org>\nTo: list@lists.example\n\
Subject: Re: odd subject\n\nDid anyone else get this one?\n\n\
> Subject: Mailbox full: bob@dest.example\n> Date: Mon, 1 Jun 2026 10:00:00 +0000\n\n\
Looks like spam to me.\n\nAnn\n";
    let r = parse(raw.as_bytes());
    assert!(!r.is_bounce && r.recipients.is_empty(), "{r:?}");
}

#[test]
fn a_reply_quoting_a_listed_recipient_is_no_new_line_of_the_list() {
    // Gmail's layout of 2013 with two recipients listed and the server's
    // reply quoting the first: the reply explains the list, it does not
    // start another recipient's paragraph that would cut the second one's.
    let text = "Delivery to the following recipient failed permanently:\n\n     \
carol@dest.example\n\n     bob@dest.example\n\n\
Technical details of permanent failure:\nGoogle tried to deliver your message, but it was \
rejected by the server for the recipient domain dest.example by mx.dest.example.\n\n\
The error that the other server returned was:\n\
550 5.1.1 Recipient rejected: <carol@dest.example>";
    assert_eq!(
        named(&report(text)),
        vec![
            ("carol@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("bob@dest.example".to_string(), ErrorStatus::UnknownUser),
        ]
    );
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

#[test]
fn an_error_above_its_recipient_in_the_same_block_is_its_own() {
    // One block per recipient, the error first ("Error: …" / "Recipient:
    // a@x"), blocks apart by a blank line. Before, each recipient read on
    // past the blank line into the next block and took its error.
    let pairs = [
        ("550 5.1.1 user unknown", ErrorStatus::UnknownUser),
        ("552 5.2.2 quota exceeded", ErrorStatus::OverCapacity),
        ("552 5.3.4 message too large", ErrorStatus::Oversize),
    ];
    for (label, field) in [("Error", "Recipient"), ("Diagnostic", "Failed address")] {
        for (a, sa) in pairs {
            for (b, sb) in pairs {
                let text = format!(
                    "Your message could not be delivered.\n\n{label}: {a}\n{field}: \
carol@dest.example\n\n{label}: {b}\n{field}: bob@dest.example"
                );
                assert_eq!(
                    named(&report(&text)),
                    vec![
                        ("carol@dest.example".to_string(), sa),
                        ("bob@dest.example".to_string(), sb)
                    ],
                    "{text}"
                );
            }
        }
    }
}

#[test]
fn an_error_below_its_recipient_is_still_read_below() {
    // The usual order, blocks apart: the block above ends in the previous
    // recipient's error, which is not this one's.
    let text = "Your message could not be delivered.\n\nRecipient: carol@dest.example\n\
Error: 552 5.2.2 quota exceeded\n\nRecipient: bob@dest.example\nError: 550 5.1.1 user unknown";
    assert_eq!(
        named(&report(text)),
        vec![
            ("carol@dest.example".to_string(), ErrorStatus::OverCapacity),
            ("bob@dest.example".to_string(), ErrorStatus::UnknownUser)
        ]
    );
}

#[test]
fn recipients_on_one_line_each_take_their_own_reason() {
    // "a@x: reason; b@y: reason": before, the second address stood in
    // running text and was not named, and a shared reason was read for both.
    for sep in ["; ", ", ", " | ", "; <"] {
        let (open, close) = if sep.ends_with('<') {
            ("<", ">")
        } else {
            ("", "")
        };
        let text = format!(
            "Delivery to the following recipients failed.\n\n\
{open}anna@dest.example{close}: 550 5.1.1 user unknown{sep}bert@other.example{close}: 552 5.2.2 \
mailbox full{sep}cleo@third.example{close}: 552 message size exceeds fixed maximum"
        );
        assert_eq!(
            named(&report(&text)),
            vec![
                ("anna@dest.example".to_string(), ErrorStatus::UnknownUser),
                ("bert@other.example".to_string(), ErrorStatus::OverCapacity),
                ("cleo@third.example".to_string(), ErrorStatus::Oversize),
            ],
            "{text}"
        );
    }
    // A list sharing one reason shares it, the reason's lines below too.
    let text = "Delivery to the following recipients failed.\n\n\
anna@dest.example, bert@other.example: 550 5.1.1\n    user unknown";
    assert_eq!(
        named(&report(text)),
        ["anna@dest.example", "bert@other.example"]
            .map(|a| (a.to_string(), ErrorStatus::UnknownUser))
            .to_vec()
    );
}

#[test]
fn a_colon_after_words_is_no_second_recipient() {
    // The second address stands in the first one's reason, not after a
    // separator: it is no recipient of its own.
    let text = "Delivery to the following recipients failed.\n\n\
anna@dest.example: 550 5.7.1 relaying via gw@dest.example: denied by policy";
    assert_eq!(
        named(&report(text)),
        vec![("anna@dest.example".to_string(), ErrorStatus::Rejected)]
    );
}

#[test]
fn a_status_column_of_codes_alone_gives_each_recipient_its_cause() {
    // A table of recipients and enhanced codes, no words: each code is its
    // row's reason (before, the first row's code was read for all, the
    // codes alone being too short to be an explanation), and a 2.x.x row
    // is a recipient reached.
    let text = "recipient                          status   final\n\
----------------------------------  -------  -----\n\
anna@dest.example                  5.1.1    yes\n\
bert@other.example                 5.2.2    yes\n\
cleo@third.example                 5.7.1    yes\n\
dora@fourth.example                2.0.0    yes\n\n\
Recipients with a 2.x.x status received the message.";
    assert_eq!(
        named(&report(text)),
        vec![
            ("anna@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("bert@other.example".to_string(), ErrorStatus::OverCapacity),
            ("cleo@third.example".to_string(), ErrorStatus::Rejected),
        ]
    );
}

#[test]
fn recipients_under_a_heading_of_one_word_of_success_were_reached() {
    for heading in [
        "DELIVERED:",
        "Delivered (2):",
        "=== Relayed ===",
        "Successful recipients:",
    ] {
        let text = format!(
            "Your message could not be delivered to some or all of its recipients.\n\n\
FAILED (permanent):\n  anna@dest.example: 550 5.1.1 user unknown\n\n\
{heading}\n  bert@other.example\n  cleo@third.example\n"
        );
        assert_eq!(
            named(&report(&text)),
            vec![("anna@dest.example".to_string(), ErrorStatus::UnknownUser)],
            "{text}"
        );
    }
    // A reached recipient's line with its 2xx reply, under a sentence.
    let text = "The following recipients were delivered (1):\n  bert@other.example  250 2.0.0 Ok: queued\n\n\
The following recipients FAILED (1):\n  anna@dest.example  Host or domain name not found";
    assert_eq!(
        named(&report(text)),
        vec![("anna@dest.example".to_string(), ErrorStatus::UnknownHost)]
    );
}

#[test]
fn domino_pairs_give_each_address_the_reason_above_it() {
    // Domino's "Failure Reasons": a reason line over each address. Before,
    // the second reason ("Unable to deliver message", a start phrase) began
    // the error block below the first address, which was lost, and each
    // address took the reason below it.
    let text = "------- Failure Reasons  --------\n\n\
User anna (anna@dest.example) not listed in public Name & Address Book\n\
anna@dest.example\n\
Unable to deliver message: mail file for Bert Berg/DEST has exceeded its size quota\n\
bert@dest.example\n\
Unable to find any MX or A record for domain third.example; domain does not exist\n\
cleo@third.example";
    assert_eq!(
        named(&report(text)),
        vec![
            ("anna@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("bert@dest.example".to_string(), ErrorStatus::OverCapacity),
            ("cleo@third.example".to_string(), ErrorStatus::UnknownHost),
        ]
    );
}

#[test]
fn a_reference_to_a_note_takes_the_notes_reason() {
    // A CRM's summary: "see [n]" on each line, the notes below. Before,
    // every recipient took the first note's reason from the block.
    let text = "Not delivered:\n\n\
    anna@dest.example ............ see [1]\n\
    bert@other.example ........... see [2]\n\
    cleo@third.example ........... see [3]\n\n\
Notes\n-----\n\
[1] mx1.dest.example said: 550 5.1.1 Recipient address rejected:\n    User unknown in local recipient table\n\
[2] mail.other.example said: 554 5.7.1 Service unavailable;\n    Client host [198.51.100.14] blocked using bl.spamcop.net\n\
[3] We gave up after 5 days of retries: mx.third.example did not respond\n    (connection timed out on every attempt)";
    assert_eq!(
        named(&report(text)),
        vec![
            ("anna@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("bert@other.example".to_string(), ErrorStatus::Rejected),
            ("cleo@third.example".to_string(), ErrorStatus::ResendTimeout),
        ]
    );
}

#[test]
fn items_under_a_heading_that_names_their_cause_take_it() {
    // Recipients grouped by cause under headings; before, each read on
    // into the next heading (and plural subjects named no cause).
    let text = "Your message could not be delivered to 4 of its recipients.\n\n\
The following addresses do not exist:\n\n    anna@dest.example\n    bert@dest.example\n\n\
The following mailboxes are full:\n  - cleo@third.example\n\n\
The message was too big for these recipients\n(their server's limit is 25 MB):\n  - dora@fourth.example\n\n\
These domains could not be found:\n  - eve@nxdomain.example";
    assert_eq!(
        named(&report(text)),
        vec![
            ("anna@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("bert@dest.example".to_string(), ErrorStatus::UnknownUser),
            ("cleo@third.example".to_string(), ErrorStatus::OverCapacity),
            ("dora@fourth.example".to_string(), ErrorStatus::Oversize),
            ("eve@nxdomain.example".to_string(), ErrorStatus::UnknownHost),
        ]
    );
}

#[test]
fn recipients_listed_above_one_shared_error_share_it() {
    // Exim's grouping: several addresses, then the one error below them;
    // a gateway's "- all refused with:" below its list. Before, the first
    // addresses took a cause from elsewhere in the block.
    for shared in [
        "      host mx1.dest.example [192.0.2.25]: 550 5.7.1 Message rejected as spam",
        "  - all refused with:\n    554 5.7.1 Rejected: sender domain fails DMARC policy",
    ] {
        let list = [
            "  anna@dest.example",
            "  bert@dest.example",
            "  cleo@dest.example",
        ];
        let text = format!(
            "could not be delivered to the following recipients:\n\n{}\n{shared}\n\n{}\n{}",
            list.join("\n"),
            "  dora@gone.example",
            "      Unrouteable address - the domain gone.example does not exist"
        );
        assert_eq!(
            named(&report(&text)),
            vec![
                ("anna@dest.example".to_string(), ErrorStatus::Rejected),
                ("bert@dest.example".to_string(), ErrorStatus::Rejected),
                ("cleo@dest.example".to_string(), ErrorStatus::Rejected),
                ("dora@gone.example".to_string(), ErrorStatus::UnknownHost),
            ],
            "{text}"
        );
    }
}

#[test]
fn a_recipients_specific_code_is_not_overruled_by_anothers_words() {
    // qmail-ldap: each recipient's own reason with its code; the one whose
    // words name no cause keeps its specific code (5.2.1, disabled), not
    // the other's quota words in the block.
    let text = "Hi. This is the qmail-send program at mx2.host.example.\n\
I'm afraid I wasn't able to deliver your message to the following addresses.\n\
This is a permanent error; I've given up. Sorry it didn't work out.\n\n\
<anna@dest.example>:\nThe users mailfolder is over the allowed quota (size). (#5.2.2)\n\n\
<bert@dest.example>:\nMailaddress is administrativly disabled. (#5.2.1)";
    assert_eq!(
        named(&report(text)),
        vec![
            ("anna@dest.example".to_string(), ErrorStatus::OverCapacity),
            ("bert@dest.example".to_string(), ErrorStatus::UnknownUser),
        ]
    );
}
