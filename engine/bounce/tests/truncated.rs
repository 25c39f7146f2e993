//! Reports cut short (an archive or a relay that kept only the first
//! kilobytes): the closing delimiters are lost, and the MIME parser hands
//! the last part back still in its transfer encoding. Its text is decoded
//! as far as it goes, so that a quoted-printable soft break does not split
//! the failed address into a second, wrong one.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::ErrorStatus;

const HEAD: &str = "From: Microsoft Outlook <postmaster@outlook.example>\n\
To: news@sender.example\nSubject: Undeliverable: news\nMIME-Version: 1.0\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"R\"\n\n\
--R\nContent-Type: multipart/alternative; boundary=\"A\"\n\n--A\n";

#[path = "support/named.rs"]
mod support;
use support::named;

#[test]
fn a_quoted_printable_part_cut_short_is_decoded() {
    let raw = format!(
        "{HEAD}Content-Type: text/plain; charset=\"us-ascii\"\n\
Content-Transfer-Encoding: quoted-printable\n\n\
Delivery has failed to these recipients or groups:\n\n\
member-with-a-long-name@dest.example\n\
The e-mail address you entered couldn't be found. Please check the recipi=\n\
ent's e-mail address and try to resend the message.\n\n\
mx.dest.example gave this error:\n\
Remote server returned unknown recipient -> 550 <member-wi=\n\
th-a-long-name@dest.example>: User unknown\n\nOriginal message headers:\n\n\
Received: from mta.sender.example (192.0.2.1) by mx.out=\n"
    );
    assert_eq!(
        named(&raw),
        vec![(
            "member-with-a-long-name@dest.example".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
}

#[test]
fn a_base64_part_cut_short_is_decoded() {
    // "Delivery has failed to these recipients or groups:\n\nmember@dest.example\n
    // 550 5.1.1 User unknown\n" in base64, cut in its last line.
    let raw = format!(
        "{HEAD}Content-Type: text/plain; charset=\"utf-8\"\n\
Content-Transfer-Encoding: base64\n\n\
RGVsaXZlcnkgaGFzIGZhaWxlZCB0byB0aGVzZSByZWNpcGllbnRzIG9yIGdyb3VwczoKCm1lbWJl\n\
ckBkZXN0LmV4YW1wbGUKNTUwIDUuMS4xIFVzZXIgdW5rbm93bgpPcmlnaW5hbCBtZXNzYWdlIGhl\n\
YWRlcnM6CgpSZWNlaXZlZDogZnJvbSBtdGEuc2VuZGVyLmV4YW1wbGUgKDE5Mi4wLj"
    );
    assert_eq!(
        named(&raw),
        vec![("member@dest.example".to_string(), ErrorStatus::UnknownUser)]
    );
}

#[test]
fn a_returned_original_cut_short_is_still_the_original() {
    // A carrier's plain report, the attached original cut in its trace:
    // the parser hands the `message/rfc822` part back as text.
    let raw = "From: no-reply@carrier.example\nTo: news@sender.example\nSubject: Mail\n\
MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B\"\n\n--B\n\
Content-Type: text/plain; charset=\"ISO-2022-JP\"\n\n\
Your mail sent on: Thu, 29 Apr 2013 00:00:00 +0900\n     \
Could not be delivered to: <member@dest.example>\n     As their mailbox is full.\n\n\
--B\nContent-Type: message/rfc822\n\nReturn-Path: <news@sender.example>\n\
Received: from mta.sender.example ([192.0.2.1]) by mx.carrier.example id\n        <0000";
    assert_eq!(
        named(raw),
        vec![("member@dest.example".to_string(), ErrorStatus::OverCapacity)]
    );
}

#[test]
fn a_returned_notice_cut_before_its_failure_names_nobody() {
    // A bounce of a bounce, cut inside the returned report's trace: what is
    // left of that report names only the administrator's mailbox it was
    // delivered to (`Delivered-To:`, a `Return-Path: <>` copy), never a
    // failed recipient of the sender's message.
    let raw = "From: MAILER-DAEMON@relay.isp.example\nTo: news@sender.example\n\
Subject: Undelivered Mail Returned to Sender\n\n\
I'm sorry to have to inform you that the message returned\n\
below could not be delivered to one or more destinations.\n\n\
---------------------------------\n\
From MAILER-DAEMON  Thu Apr 29 23:34:45 2015\nReturn-Path: <>\n\
X-Original-To: mailadm+x@adm.isp.example\nDelivered-To: mailadm+x@adm.isp.example\n\
Received: from relay00.isp.example (relay00.isp.example [203.0.113.22])\n\
\tby adm00.isp.example (Postfix) with ESMTP id 19F35192E294\n\tfor <mailadm+x.adm";
    assert!(named(raw).is_empty(), "{:?}", named(raw));
}
