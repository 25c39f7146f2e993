//! Formats that real reports pasted into issue trackers, help pages and
//! Japanese support pages showed misread (read locally for evaluation,
//! none copied: these messages are written here from the formats shown).
//! - A role address (`postmaster@`) listed alone under a start sentence is
//!   the failed recipient, as any other address there.
//! - QQ Mail's auto-replies say so only in their first line
//!   ("这是来自QQ邮箱的假期自动回复邮件。"), with no header.
//! - Japanese ISPs' causes: an address "不一致" (no such address) and a
//!   mailbox that "制限値に達して" (reached its limit).
//! - A postmaster's answer quoting a log line that the mail client wrapped
//!   before its fields ("from=<a@x> to=<b@y> proto=ESMTP" on a line of its
//!   own): the log's address, no failure (found by rewrapping every test
//!   message's text at 72 columns).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/named.rs"]
mod support;

use hikyaku_bounce::{parse, ErrorStatus, Kind};
use support::named;

#[test]
fn a_role_address_listed_under_the_start_sentence_failed() {
    let raw = "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n\
To: ana@sender.example\nSubject: Delivery Status Notification (Failure)\n\
Content-Type: text/plain; charset=UTF-8\n\n\
Delivery to the following recipient failed permanently:\n\n\
     postmaster@mx.dest.example\n\n\
Technical details of permanent failure:\n\
The recipient server did not accept our requests to connect.\n\
[(0) mx.dest.example. [192.0.2.25]:25: socket error]\n";
    let r = parse(raw.as_bytes());
    assert_eq!(r.kind, Kind::NonStandard, "{r:?}");
    assert_eq!(
        r.recipients
            .iter()
            .map(|f| f.recipient.as_str())
            .collect::<Vec<_>>(),
        vec!["postmaster@mx.dest.example"]
    );
    // A role address a sentence asks the reader to write to is no
    // recipient, below a start sentence or not.
    let contact = raw.replace(
        "Technical details of permanent failure:",
        "Please contact postmaster@sender.example for help.\n\n\
Technical details of permanent failure:",
    );
    assert_eq!(
        named(&contact)
            .into_iter()
            .map(|(a, _)| a)
            .collect::<Vec<_>>(),
        vec!["postmaster@mx.dest.example".to_string()]
    );
}

#[test]
fn qq_mails_auto_replies_say_so_in_their_first_line() {
    for body in [
        "这是来自QQ邮箱的假期自动回复邮件。\n您好，我最近正在休假中，无法亲自回复您的邮件。",
        "这是来自QQ邮箱的自动回复邮件。\n已收到你的邮件，我会尽快回复你。",
    ] {
        let raw = format!(
            "From: Li Wei <12345678@qq.com>\nTo: ana@sender.example\n\
Subject: Re: meeting notes\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=UTF-8\n\n{body}\n"
        );
        let r = parse(raw.as_bytes());
        assert_eq!(r.kind, Kind::AutoReply, "{body}: {r:?}");
        assert!(r.recipients.is_empty());
    }
}

fn japanese_isp_notice(cause: &str) -> String {
    format!(
        "From: Mail Administrator <postmaster@isp.example.ne.jp>\n\
To: ana@sender.example\nSubject: Returned mail\nMIME-Version: 1.0\n\
Content-Type: text/plain; charset=UTF-8\n\n\
{cause}\n\
To:taro.yamada@isp.example.ne.jp\nSubject:お知らせ\n(送った本文)\n"
    )
}

#[test]
fn japanese_isp_causes_above_the_returned_fields() {
    assert_eq!(
        named(&japanese_isp_notice("送信先E-mailアドレスの不一致です")),
        vec![(
            "taro.yamada@isp.example.ne.jp".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
    assert_eq!(
        named(&japanese_isp_notice(
            "あなた様がメールを送ったユーザーのメールボックスが制限値に達しており、\
お送りになったメールを受け取ることが出来ませんでした。"
        )),
        vec![(
            "taro.yamada@isp.example.ne.jp".to_string(),
            ErrorStatus::OverCapacity
        )]
    );
}

#[test]
fn a_pasted_log_lines_fields_wrapped_onto_their_own_line() {
    let raw = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/precision_traps/human_postmaster_answers_complaint.eml"),
    )
    .unwrap();
    let wrapped = raw.replace(
        "Client host [192.0.2.77] blocked using sbl.spamhaus.org; from=<derek",
        "Client host [192.0.2.77] blocked using sbl.spamhaus.org;\nfrom=<derek",
    );
    assert_ne!(wrapped, raw);
    for text in [&raw, &wrapped] {
        assert_eq!(named(text), Vec::<(String, ErrorStatus)>::new(), "{text}");
    }
}
