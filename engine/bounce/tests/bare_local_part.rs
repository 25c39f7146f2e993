//! A local mailbox listed by its bare name: Exim's "The following
//! address(es) failed:" / "  jdoe", Sendmail's "jdoe... User unknown". The
//! returned copy's envelope recipient (`Received: … for <jdoe@host>`) or
//! Exim's `X-Failed-Recipients` header is the failed address; an address
//! elsewhere in the text (a greeting, "Your message was addressed to: …",
//! a help address) is not.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/named.rs"]
mod support;

use hikyaku_bounce::ErrorStatus;
use support::named;

const ABOVE: &[&str] = &[
    "Your message was addressed to: all-one@team.example.org, all-two@team.example.org",
    "Hello, see help@isp.example.net for help with this notice.",
];

fn exim(above: &str, header: bool) -> String {
    let xfr = if header {
        "X-Failed-Recipients: jdoe@mail.dest.example\n"
    } else {
        ""
    };
    format!(
        "From: Mail Delivery System <Mailer-Daemon@mail.dest.example>\n\
To: app@sender.example\nSubject: Mail delivery failed: returning message to sender\n{xfr}\n\
{above}\n\nThis message was created automatically by mail delivery software.\n\n\
A message that you sent could not be delivered to one or more of its\n\
recipients. This is a permanent error. The following address(es) failed:\n\n  jdoe\n\
    mailbox is full: retry timeout exceeded\n\n\
------ This is a copy of the message, including all the headers. ------\n\n\
Return-path: <app@sender.example>\n\
Received: from mx.sender.example ([192.0.2.1])\n\tby mail.dest.example with esmtp (Exim 4.96)\n\
\tfor jdoe@mail.dest.example; Tue, 01 Dec 2026 10:00:00 +0000\n\
From: app@sender.example\nTo: list@lists.sender.example\nSubject: news\n\nHello.\n"
    )
}

fn sendmail(above: &str) -> String {
    format!(
        "From: Mail Delivery Subsystem <MAILER-DAEMON@host.dest.example>\n\
To: app@sender.example\nSubject: Returned mail: see transcript for details\n\n\
{above}\n\nThe original message was received at Tue, 1 Dec 2026 10:00:00 +0000\n\
from mx.sender.example [192.0.2.1]\n\n\
   ----- The following addresses had permanent fatal errors -----\njdoe\n\
    (reason: 550 5.1.1 jdoe... User unknown)\n\n   ----- Transcript of session follows -----\n\
jdoe... User unknown\n\n   ----- Original message follows -----\n\n\
Return-Path: <app@sender.example>\n\
Received: from mx.sender.example (mx.sender.example [192.0.2.1])\n\
\tby host.dest.example (8.18.1/8.18.1) with ESMTP id 5B1A0000001\n\
\tfor <jdoe@host.dest.example>; Tue, 1 Dec 2026 10:00:00 +0000\n\
From: app@sender.example\nTo: list@lists.sender.example\nSubject: news\n\nHello.\n"
    )
}

#[test]
fn exims_bare_name_is_the_failed_recipient_not_an_address_above() {
    for header in [true, false] {
        for above in ABOVE {
            assert_eq!(
                named(&exim(above, header)),
                vec![(
                    "jdoe@mail.dest.example".to_string(),
                    ErrorStatus::OverCapacity
                )],
                "header {header}: {above}"
            );
        }
    }
}

#[test]
fn sendmails_bare_name_is_the_failed_recipient_not_an_address_above() {
    for above in ABOVE {
        assert_eq!(
            named(&sendmail(above)),
            vec![(
                "jdoe@host.dest.example".to_string(),
                ErrorStatus::UnknownUser
            )],
            "{above}"
        );
    }
}

#[test]
fn without_another_address_the_trace_names_it_as_before() {
    assert_eq!(
        named(&sendmail("")),
        vec![(
            "jdoe@host.dest.example".to_string(),
            ErrorStatus::UnknownUser
        )]
    );
}
