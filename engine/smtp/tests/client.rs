//! Scripted servers: replies in, exact commands and per-recipient outcomes out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/client.rs"]
mod harness;

use std::time::{Duration, Instant};

use harness::{client_config, message, Runtime};
use hikyaku_smtp::{
    ClientError, ClientEvent, DeliveryResult, OutboundMessage, ServerReply, TlsPolicy,
};

const PIPELINED: &[&str] = &[
    "PIPELINING",
    "SIZE 1000",
    "8BITMIME",
    "SMTPUTF8",
    "ENHANCEDSTATUSCODES",
];

fn reply(code: u16, enhanced: Option<&str>, text: &str) -> ServerReply {
    ServerReply::new(code, enhanced, text)
}

fn delivered(code: u16, enhanced: Option<&str>, text: &str) -> DeliveryResult {
    DeliveryResult::Delivered {
        reply: reply(code, enhanced, text),
    }
}

fn perm(code: u16, enhanced: Option<&str>, text: &str) -> DeliveryResult {
    DeliveryResult::PermFail {
        reply: reply(code, enhanced, text),
    }
}

fn results(rt: &Runtime) -> Vec<DeliveryResult> {
    rt.last_outcome()
        .recipients
        .iter()
        .map(|r| r.result.clone())
        .collect()
}

fn temp_reason(result: &DeliveryResult) -> &str {
    match result {
        DeliveryResult::TempFail { reason, .. } => reason,
        other => panic!("not a TempFail: {other:?}"),
    }
}

#[test]
fn greeting_ehlo_and_capabilities() {
    let mut rt = Runtime::plain();
    assert_eq!(rt.pump(), ClientEvent::NeedInput);
    assert_eq!(rt.client.timeout(), Duration::from_secs(300));
    // A multi-line greeting, split mid-line.
    assert_eq!(rt.server("220-mx.test ESMTP\r\n22"), "");
    assert_eq!(rt.server("0 welcome\r\n"), "EHLO client.test\r\n");
    assert_eq!(
        rt.server(
            "250-mx.test\r\n250-pipelining\r\n250-SIZE 1000\r\n250-auth=login\r\n250 8BITMIME\r\n"
        ),
        ""
    );
    assert_eq!(rt.pump(), ClientEvent::Ready);
    let caps = rt.client.capabilities();
    assert!(caps.esmtp && caps.pipelining && caps.eight_bit_mime && !caps.starttls);
    assert_eq!(caps.size, Some(1000));
    assert_eq!(caps.auth, ["LOGIN"]);
    assert!(!rt.client.tls());
    // Ready is a state: polling again says the same.
    assert_eq!(rt.pump(), ClientEvent::Ready);
}

#[test]
fn helo_fallback_without_extensions() {
    let mut rt = Runtime::plain();
    rt.server("220 old.test\r\n");
    assert_eq!(rt.server("502 5.5.1 what\r\n"), "HELO client.test\r\n");
    assert_eq!(rt.server("250 old.test\r\n"), "");
    assert_eq!(rt.pump(), ClientEvent::Ready);
    assert!(!rt.client.capabilities().esmtp);
    let mut msg = message("a@x.test", &["b@y.test"], b"hi\r\n");
    msg.eight_bit = true;
    assert_eq!(rt.send(msg), "MAIL FROM:<a@x.test>\r\n");
    assert_eq!(rt.server("250 ok\r\n"), "RCPT TO:<b@y.test>\r\n");
    assert_eq!(rt.server("250 ok\r\n"), "DATA\r\n");
    assert_eq!(rt.server("354 go\r\n"), "hi\r\n.\r\n");
    assert_eq!(rt.server("250 queued\r\n"), "");
    assert_eq!(results(&rt), [delivered(250, None, "queued")]);
}

#[test]
fn refused_greeting_and_ehlo() {
    // 554: no service here. QUIT politely, defer the messages (another MX may work).
    let mut rt = Runtime::plain();
    assert_eq!(rt.server("554 5.7.1 go away\r\n"), "QUIT\r\n");
    assert_eq!(rt.server("221 bye\r\n"), "");
    let ClientEvent::Closed { reason } = rt.pump() else {
        panic!()
    };
    assert!(reason.contains("554 5.7.1 go away"), "{reason}");
    let failure = rt.client.connection_failure().unwrap();
    assert_eq!(failure.reply(), Some(&reply(554, Some("5.7.1"), "go away")));
    assert!(matches!(failure, DeliveryResult::TempFail { .. }));

    // 421: the server is closing; no QUIT.
    let mut rt = Runtime::plain();
    assert_eq!(rt.server("421 4.3.2 busy\r\n"), "");
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    assert!(matches!(
        rt.client.connection_failure(),
        Some(DeliveryResult::TempFail { reply: Some(r), .. }) if r.code == 421
    ));

    // EHLO 4xx: no HELO fallback, defer.
    let mut rt = Runtime::plain();
    rt.server("220 mx\r\n");
    assert_eq!(rt.server("450 later\r\n"), "QUIT\r\n");
    // Connection lost while waiting for 221 is a normal end.
    rt.client.connection_lost();
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    assert!(rt.client.connection_failure().is_some());

    // HELO refused too.
    let mut rt = Runtime::plain();
    rt.server("220 mx\r\n");
    rt.server("500 no\r\n");
    assert_eq!(rt.server("550 no helo\r\n"), "QUIT\r\n");
}

#[test]
fn pipelined_transaction() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    let msg = message(
        "a@x.test",
        &["b@y.test", "c@y.test", "d@y.test"],
        b"Subject: x\r\n\r\n.hi\r\n",
    );
    assert_eq!(
        rt.send(msg),
        "MAIL FROM:<a@x.test> SIZE=19\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\n\
         RCPT TO:<d@y.test>\r\nDATA\r\n"
    );
    assert_eq!(rt.client.timeout(), Duration::from_secs(300));
    // Replies arrive in pieces; nothing is sent before the 354.
    assert_eq!(
        rt.server("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550-5.1.1 no such\r\n"),
        ""
    );
    assert_eq!(rt.server("550 5.1.1 user\r\n450 4.2.1 busy\r\n"), "");
    assert_eq!(rt.client.timeout(), Duration::from_secs(120));
    assert_eq!(
        rt.server("354 go ahead\r\n"),
        "Subject: x\r\n\r\n..hi\r\n.\r\n"
    );
    assert_eq!(rt.client.timeout(), Duration::from_secs(600));
    assert_eq!(rt.server("250 2.0.0 queued as X\r\n"), "");
    assert_eq!(rt.pump(), ClientEvent::Ready);
    let got = results(&rt);
    assert_eq!(got[0], delivered(250, Some("2.0.0"), "queued as X"));
    assert_eq!(got[1], perm(550, Some("5.1.1"), "no such user"));
    assert_eq!(temp_reason(&got[2]), "RCPT TO deferred");
    assert_eq!(got[2].reply(), Some(&reply(450, Some("4.2.1"), "busy")));
    let names: Vec<&str> = rt
        .last_outcome()
        .recipients
        .iter()
        .map(|r| r.recipient.as_str())
        .collect();
    assert_eq!(names, ["b@y.test", "c@y.test", "d@y.test"]);

    // A completed transaction needs no RSET before the next one.
    let out = rt.send(message("", &["e@y.test"], b"x\r\n"));
    assert_eq!(out, "MAIL FROM:<> SIZE=3\r\nRCPT TO:<e@y.test>\r\nDATA\r\n");
}

#[test]
fn one_command_at_a_time_without_pipelining() {
    let mut rt = Runtime::plain();
    rt.connect(&["SIZE 0"]);
    let msg = message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n");
    assert_eq!(rt.send(msg), "MAIL FROM:<a@x.test> SIZE=3\r\n");
    assert_eq!(rt.server("250 ok\r\n"), "RCPT TO:<b@y.test>\r\n");
    assert_eq!(rt.server("550 no\r\n"), "RCPT TO:<c@y.test>\r\n");
    assert_eq!(rt.server("250 ok\r\n"), "DATA\r\n");
    assert_eq!(rt.server("354 go\r\n"), "x\r\n.\r\n");
    assert_eq!(rt.server("451 4.3.0 try later\r\n"), "");
    let got = results(&rt);
    assert_eq!(got[0], perm(550, None, "no"));
    assert_eq!(temp_reason(&got[1]), "end of data deferred");
    assert_eq!(
        got[1].reply(),
        Some(&reply(451, Some("4.3.0"), "try later"))
    );
    // The final reply ends the transaction whatever its code: no RSET.
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"")),
        "MAIL FROM:<a@x.test> SIZE=0\r\n"
    );
}

#[test]
fn mail_refused() {
    // Pipelined: the RCPT and DATA replies are read and ignored; all get MAIL's verdict.
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n"));
    assert_eq!(
        rt.server("451 4.7.1 greylisted\r\n503 no\r\n503 no\r\n"),
        ""
    );
    assert_eq!(rt.server("503 5.5.1 no valid recipients\r\n"), "");
    let got = results(&rt);
    assert!(got
        .iter()
        .all(|r| r.reply() == Some(&reply(451, Some("4.7.1"), "greylisted"))));
    assert_eq!(temp_reason(&got[0]), "MAIL FROM deferred");
    // Not a clean end: RSET goes first, in the same pipelined write.
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n")),
        "RSET\r\nMAIL FROM:<a@x.test> SIZE=3\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
    );
    assert_eq!(
        rt.server("250 ok\r\n250 ok\r\n250 ok\r\n354 go\r\n"),
        "x\r\n.\r\n"
    );

    // Without pipelining no RCPT is sent after a refused MAIL; RSET waits for its reply.
    let mut rt = Runtime::plain();
    rt.connect(&[]);
    rt.send(message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n"));
    assert_eq!(rt.server("550 5.7.1 sender blocked\r\n"), "");
    assert_eq!(
        results(&rt),
        [
            perm(550, Some("5.7.1"), "sender blocked"),
            perm(550, Some("5.7.1"), "sender blocked")
        ]
    );
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n")),
        "RSET\r\n"
    );
    // Even a strange RSET reply is ignored: MAIL's reply decides.
    assert_eq!(rt.server("500 what\r\n"), "MAIL FROM:<a@x.test>\r\n");
}

#[test]
fn no_recipient_accepted() {
    // RFC 2920 §3.1: DATA answered 354 although every RCPT failed -> a single dot.
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test"], b"secret\r\n"));
    assert_eq!(
        rt.server("250 ok\r\n550 5.1.1 unknown\r\n354 go\r\n"),
        ".\r\n"
    );
    assert_eq!(rt.server("554 5.5.1 no recipients\r\n"), "");
    assert_eq!(results(&rt), [perm(550, Some("5.1.1"), "unknown")]);
    assert!(rt
        .send(message("a@x.test", &["b@y.test"], b"x\r\n"))
        .starts_with("RSET\r\nMAIL"));

    // DATA properly refused.
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    assert_eq!(
        rt.server("250 ok\r\n450 4.2.0 later\r\n554 5.5.1 no\r\n"),
        ""
    );
    assert_eq!(temp_reason(&results(&rt)[0]), "RCPT TO deferred");

    // Without pipelining DATA is not even sent.
    let mut rt = Runtime::plain();
    rt.connect(&[]);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    assert_eq!(rt.server("250 ok\r\n"), "RCPT TO:<b@y.test>\r\n");
    assert_eq!(rt.server("550 no\r\n"), "");
    assert_eq!(results(&rt), [perm(550, None, "no")]);
    assert_eq!(rt.pump(), ClientEvent::Ready);
}

#[test]
fn data_refused_applies_to_accepted_recipients() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n250 ok\r\n452 4.5.3 too many\r\n554 5.7.1 policy\r\n");
    let got = results(&rt);
    assert_eq!(got[0], perm(554, Some("5.7.1"), "policy"));
    assert_eq!(temp_reason(&got[1]), "RCPT TO deferred");
    // A success code where 354 was due is a protocol oddity: defer.
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n250 ok\r\n250 ok\r\n");
    assert_eq!(temp_reason(&results(&rt)[0]), "unexpected reply to DATA");
}

#[test]
fn final_permanent_failure() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n250 ok\r\n354 go\r\n");
    rt.server("552-5.3.4 message\r\n552 5.3.4 too big\r\n");
    assert_eq!(results(&rt), [perm(552, Some("5.3.4"), "message too big")]);
}

#[test]
fn size_and_smtputf8_are_checked_locally() {
    let mut rt = Runtime::plain();
    rt.connect(&["PIPELINING", "SIZE 10"]);
    let mut msg = message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n");
    msg.size = 11;
    assert_eq!(rt.send(msg), "");
    let got = results(&rt);
    assert_eq!(got.len(), 2);
    assert!(
        matches!(&got[0], DeliveryResult::PermFail { reply } if reply.code == 552
        && reply.enhanced.as_deref() == Some("5.3.4"))
    );
    assert_eq!(rt.pump(), ClientEvent::Ready);

    let mut msg = message("a@x.test", &["b@y.test"], b"x\r\n");
    msg.smtputf8 = true;
    assert_eq!(rt.send(msg), "");
    assert!(
        matches!(&results(&rt)[0], DeliveryResult::PermFail { reply } if reply.code == 553
        && reply.enhanced.as_deref() == Some("5.6.7"))
    );
    // A non-ASCII address implies SMTPUTF8.
    assert_eq!(rt.send(message("a@x.test", &["jörg@y.test"], b"x\r\n")), "");
    assert!(matches!(&results(&rt)[0], DeliveryResult::PermFail { reply } if reply.code == 553));
    // Nothing was written, so nothing needs resetting.
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n")),
        "MAIL FROM:<a@x.test> SIZE=3\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
    );
}

#[test]
fn mail_parameters() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    let mut msg = message("jörg@x.test", &["b@y.test"], b"x\r\n");
    msg.eight_bit = true;
    assert!(rt
        .send(msg)
        .starts_with("MAIL FROM:<jörg@x.test> SIZE=3 BODY=8BITMIME SMTPUTF8\r\n"));
    // 8-bit to a server without 8BITMIME: sent as is, without BODY=.
    let mut rt = Runtime::plain();
    rt.connect(&[]);
    let mut msg = message("a@x.test", &["b@y.test"], b"\xe9\r\n");
    msg.eight_bit = true;
    assert_eq!(rt.send(msg), "MAIL FROM:<a@x.test>\r\n");
}

#[test]
fn body_encoding() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message(
        "a@x.test",
        &["b@y.test"],
        b".\r\n..\nlast line without CRLF",
    ));
    assert_eq!(
        rt.server("250 ok\r\n250 ok\r\n354 go\r\n"),
        "..\r\n...\r\nlast line without CRLF\r\n.\r\n"
    );
}

#[test]
fn ten_megabyte_body_in_blocks() {
    let mut rt = Runtime::plain();
    rt.connect(&["PIPELINING"]);
    let line = b".a line of text that starts with a dot, like a badly wrapped paragraph\r\n";
    let body = line.repeat((10 << 20) / line.len());
    let mut msg = message("a@x.test", &["b@y.test"], &body);
    msg.size = body.len();
    rt.send(msg);
    rt.write_size = 8192;
    let start = Instant::now();
    rt.client.feed(b"250 ok\r\n250 ok\r\n354 go\r\n");
    // While the body is being written the data-block timeout applies.
    assert_eq!(rt.client.poll(), ClientEvent::NeedInput);
    assert_eq!(rt.client.timeout(), Duration::from_secs(180));
    rt.flush();
    assert_eq!(rt.client.timeout(), Duration::from_secs(600));
    let written = std::mem::take(&mut rt.written);
    assert_eq!(written.len(), body.len() + body.len() / line.len() + 3);
    assert!(written.starts_with(b"..a line"));
    assert!(written.ends_with(b"paragraph\r\n.\r\n"));
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    rt.server("250 ok\r\n");
    assert!(matches!(results(&rt)[0], DeliveryResult::Delivered { .. }));
}

#[test]
fn starttls_upgrade() {
    let mut rt = Runtime::plain();
    rt.server("220 mx\r\n");
    assert_eq!(
        rt.server("250-mx\r\n250-SIZE 5\r\n250 STARTTLS\r\n"),
        "STARTTLS\r\n"
    );
    // Bytes behind the 220 were sent in plain text: dropped (response injection).
    rt.client.feed(b"220 2.0.0 go\r\n250 injected\r\n");
    assert_eq!(rt.pump(), ClientEvent::StartTls);
    assert_eq!(rt.pump(), ClientEvent::StartTls);
    rt.client.tls_established();
    assert!(rt.client.tls());
    assert_eq!(
        rt.client.capabilities().size,
        None,
        "plain-text capabilities forgotten"
    );
    assert_eq!(rt.pump(), ClientEvent::NeedInput);
    assert_eq!(rt.take_written(), "EHLO client.test\r\n");
    // STARTTLS offered again (some servers do): not repeated.
    assert_eq!(
        rt.server("250-mx\r\n250-PIPELINING\r\n250 STARTTLS\r\n"),
        ""
    );
    assert_eq!(rt.pump(), ClientEvent::Ready);
    assert!(rt.client.capabilities().pipelining);
}

#[test]
fn starttls_not_used() {
    // Disabled policy, or the runtime cannot do TLS: plain text.
    for (policy, available) in [
        (TlsPolicy::Disabled, true),
        (TlsPolicy::Opportunistic, false),
    ] {
        let mut rt = Runtime::new(client_config(policy, available));
        rt.connect(&["STARTTLS"]);
    }
    // Opportunistic and refused: go on in plain text (RFC 3207 §4).
    let mut rt = Runtime::plain();
    rt.server("220 mx\r\n");
    rt.server("250-mx\r\n250 STARTTLS\r\n");
    assert_eq!(rt.server("454 4.7.0 TLS not available\r\n"), "");
    assert_eq!(rt.pump(), ClientEvent::Ready);
    assert!(!rt.client.tls());
}

#[test]
fn tls_required() {
    let required = |available| Runtime::new(client_config(TlsPolicy::Required, available));
    let check_closed = |rt: &mut Runtime, want: &str| {
        assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
        assert_eq!(temp_reason(rt.client.connection_failure().unwrap()), want);
    };
    // Not offered.
    let mut rt = required(true);
    rt.server("220 mx\r\n");
    assert_eq!(rt.server("250-mx\r\n250 PIPELINING\r\n"), "QUIT\r\n");
    rt.server("221 bye\r\n");
    check_closed(&mut rt, "TLS required but not available");
    // Offered but we cannot do TLS.
    let mut rt = required(false);
    rt.server("220 mx\r\n");
    assert_eq!(rt.server("250-mx\r\n250 STARTTLS\r\n"), "QUIT\r\n");
    rt.server("221 bye\r\n");
    check_closed(&mut rt, "TLS required but not available");
    // Refused.
    let mut rt = required(true);
    rt.server("220 mx\r\n");
    rt.server("250-mx\r\n250 STARTTLS\r\n");
    assert_eq!(rt.server("454 4.7.0 no\r\n"), "QUIT\r\n");
    rt.server("221 bye\r\n");
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    assert!(
        matches!(rt.client.connection_failure(), Some(DeliveryResult::TempFail { reply: Some(r), .. }) if r.code == 454)
    );
    // Handshake failed.
    let mut rt = required(true);
    rt.server("220 mx\r\n");
    rt.server("250-mx\r\n250 STARTTLS\r\n");
    rt.server("220 go\r\n");
    rt.client.tls_failed();
    check_closed(&mut rt, "TLS required but the handshake failed");
    assert!(!rt.client.retry_without_tls());
    // With TLS, Required delivers normally.
    let mut rt = required(true);
    rt.server("220 mx\r\n");
    rt.server("250-mx\r\n250 STARTTLS\r\n");
    rt.server("220 go\r\n");
    rt.client.tls_established();
    assert_eq!(rt.pump(), ClientEvent::NeedInput);
    assert_eq!(rt.take_written(), "EHLO client.test\r\n");
    assert_eq!(rt.server("250 mx\r\n"), "");
    assert_eq!(rt.pump(), ClientEvent::Ready);
}

#[test]
fn opportunistic_handshake_failure_asks_for_plain_retry() {
    let mut rt = Runtime::plain();
    rt.server("220 mx\r\n");
    rt.server("250-mx\r\n250 STARTTLS\r\n");
    rt.server("220 go\r\n");
    rt.client.tls_failed();
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    assert!(rt.client.retry_without_tls());
    assert_eq!(rt.take_written(), "");
}

#[test]
fn service_closing_mid_transaction() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n"));
    assert_eq!(rt.server("250 ok\r\n550 no\r\n421 4.7.0 closing\r\n"), "");
    let got = results(&rt);
    assert_eq!(got[0], perm(550, None, "no"));
    assert_eq!(got[1].reply(), Some(&reply(421, Some("4.7.0"), "closing")));
    assert!(matches!(got[1], DeliveryResult::TempFail { .. }));
    let ClientEvent::Closed { reason } = rt.pump() else {
        panic!()
    };
    assert!(reason.contains("421"));
    assert_eq!(
        rt.client.send(message("a@x.test", &["b@y.test"], b"")),
        Err(ClientError::NotReady)
    );
}

#[test]
fn lost_connection_and_timeouts() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n250 ok\r\n354 go\r\n");
    rt.client.connection_lost();
    assert_eq!(
        rt.pump(),
        ClientEvent::Closed {
            reason: "connection lost".into()
        }
    );
    assert_eq!(temp_reason(&results(&rt)[0]), "connection lost");
    assert_eq!(rt.outcomes.len(), 1);

    let mut rt = Runtime::plain();
    rt.connect(&[]);
    rt.send(message("a@x.test", &["b@y.test", "c@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n");
    rt.server("250 ok\r\n");
    rt.client.timed_out();
    assert_eq!(
        rt.pump(),
        ClientEvent::Closed {
            reason: "timeout".into()
        }
    );
    assert!(results(&rt).iter().all(|r| temp_reason(r) == "timeout"));
    assert_eq!(
        rt.take_written(),
        "",
        "nothing more is written after a timeout"
    );
    // Idempotent after close.
    rt.client.timed_out();
    rt.client.connection_lost();
    assert_eq!(rt.outcomes.len(), 1);
}

#[test]
fn quit_and_send_errors() {
    let mut rt = Runtime::plain();
    assert_eq!(
        rt.client.send(message("a@x.test", &["b@y.test"], b"")),
        Err(ClientError::NotReady)
    );
    rt.connect(&[]);
    assert_eq!(
        rt.client.send(message("a@x.test", &[], b"")),
        Err(ClientError::NoRecipients)
    );
    for bad in ["b@y.test>\r\nRSET", "b@y\n", "<b@y>"] {
        assert!(matches!(
            rt.client.send(message("a@x.test", &[bad], b"")),
            Err(ClientError::InvalidAddress(_))
        ));
    }
    rt.client.quit();
    assert_eq!(rt.pump(), ClientEvent::NeedInput);
    assert_eq!(rt.take_written(), "QUIT\r\n");
    assert_eq!(rt.server("221 2.0.0 bye\r\n"), "");
    assert_eq!(
        rt.pump(),
        ClientEvent::Closed {
            reason: "QUIT".into()
        }
    );
    assert_eq!(rt.client.connection_failure(), None);

    // quit() before Ready: QUIT goes out as soon as the greeting exchange is done.
    let mut rt = Runtime::plain();
    rt.client.quit();
    rt.server("220 mx\r\n");
    assert_eq!(rt.server("250 mx\r\n"), "QUIT\r\n");
}

#[test]
fn garbage_is_a_protocol_error() {
    for garbage in [
        "HTTP/1.1 400 Bad Request\r\n",
        "250-ok\r\n550 mixed\r\n",
        "999 x\r\n",
    ] {
        let mut rt = Runtime::plain();
        rt.connect(PIPELINED);
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
        assert_eq!(rt.server(garbage), "");
        let reason = temp_reason(&results(&rt)[0]).to_owned();
        assert!(reason.starts_with("protocol error"), "{reason}");
        assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    }
    // Before any transaction.
    let mut rt = Runtime::plain();
    rt.server("SSH-2.0-OpenSSH\r\n");
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
    assert!(rt.client.connection_failure().is_some());
    // An endless line is cut off at the limit.
    let mut rt = Runtime::plain();
    rt.client
        .feed(&[b'2'; hikyaku_smtp::client::MAX_REPLY_LINE]);
    assert!(matches!(rt.pump(), ClientEvent::Closed { .. }));
}

#[test]
fn several_messages_on_one_connection() {
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    let msgs: Vec<OutboundMessage> = (0..3)
        .map(|i| message("a@x.test", &[&format!("r{i}@y.test")], b"x\r\n"))
        .collect();
    for msg in msgs {
        rt.send(msg);
        rt.server("250 ok\r\n250 ok\r\n354 go\r\n");
        rt.server("250 2.0.0 ok\r\n");
        assert_eq!(rt.pump(), ClientEvent::Ready);
    }
    assert_eq!(rt.outcomes.len(), 3);
    assert!(rt
        .outcomes
        .iter()
        .all(|o| matches!(o.recipients[0].result, DeliveryResult::Delivered { .. })));
}

const CHUNKING: &[&str] = &["PIPELINING", "SIZE 1000", "CHUNKING", "ENHANCEDSTATUSCODES"];

#[test]
fn chunking_sends_the_whole_message_in_one_round_trip() {
    let mut rt = Runtime::plain();
    rt.connect(CHUNKING);
    let msg = message(
        "a@x.test",
        &["b@y.test", "c@y.test"],
        b"Subject: x\r\n\r\n.hi\r\n",
    );
    // No dot stuffing, no 354: commands, chunk header and body in one write.
    assert_eq!(
        rt.send(msg),
        "MAIL FROM:<a@x.test> SIZE=19\r\nRCPT TO:<b@y.test>\r\nRCPT TO:<c@y.test>\r\n\
         BDAT 19 LAST\r\nSubject: x\r\n\r\n.hi\r\n"
    );
    assert_eq!(
        rt.server("250 2.1.0 ok\r\n250 2.1.5 ok\r\n550 5.1.1 no such user\r\n"),
        ""
    );
    assert_eq!(rt.client.timeout(), Duration::from_secs(600));
    assert_eq!(rt.server("250 2.0.0 queued as Y\r\n"), "");
    assert_eq!(rt.pump(), ClientEvent::Ready);
    let got = results(&rt);
    assert_eq!(got[0], delivered(250, Some("2.0.0"), "queued as Y"));
    assert_eq!(got[1], perm(550, Some("5.1.1"), "no such user"));
    // Clean end: no RSET; a body with bare LFs is normalized and the size follows.
    assert_eq!(
        rt.send(message("", &["e@y.test"], b"a\nb")),
        "MAIL FROM:<> SIZE=3\r\nRCPT TO:<e@y.test>\r\nBDAT 6 LAST\r\na\r\nb\r\n"
    );
    rt.server("250 ok\r\n250 ok\r\n451 4.3.0 try later\r\n");
    assert_eq!(temp_reason(&results(&rt)[0]), "BDAT deferred");
    assert_eq!(
        results(&rt)[0].reply(),
        Some(&reply(451, Some("4.3.0"), "try later"))
    );
}

#[test]
fn chunking_with_every_recipient_refused_keeps_rcpt_verdicts() {
    let mut rt = Runtime::plain();
    rt.connect(CHUNKING);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    rt.server("250 ok\r\n550 5.1.1 unknown\r\n554 5.5.1 no valid recipients\r\n");
    assert_eq!(results(&rt), [perm(550, Some("5.1.1"), "unknown")]);
    // The server's state after a refused chunk is less certain: RSET first.
    assert!(rt
        .send(message("a@x.test", &["b@y.test"], b"x\r\n"))
        .starts_with("RSET\r\nMAIL"));
    // MAIL refused: all recipients get its verdict, the chunk's 503 is read and ignored.
    let mut rt = Runtime::plain();
    rt.connect(CHUNKING);
    rt.send(message("a@x.test", &["b@y.test"], b"x\r\n"));
    rt.server("452 4.3.1 full\r\n503 no\r\n503 no\r\n");
    assert_eq!(temp_reason(&results(&rt)[0]), "MAIL FROM deferred");
    assert_eq!(rt.pump(), ClientEvent::Ready);
}

#[test]
fn chunking_without_pipelining_uses_data() {
    let mut rt = Runtime::plain();
    rt.connect(&["CHUNKING"]);
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n")),
        "MAIL FROM:<a@x.test>\r\n"
    );
    assert_eq!(rt.server("250 ok\r\n"), "RCPT TO:<b@y.test>\r\n");
    assert_eq!(rt.server("250 ok\r\n"), "DATA\r\n");
}

#[test]
fn chunking_can_be_turned_off_per_destination() {
    let mut rt = Runtime::new(hikyaku_smtp::ClientConfig {
        chunking: false,
        ..client_config(TlsPolicy::Opportunistic, true)
    });
    rt.connect(CHUNKING);
    assert_eq!(
        rt.send(message("a@x.test", &["b@y.test"], b"x\r\n")),
        "MAIL FROM:<a@x.test> SIZE=3\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
    );
}

/// Per-transaction header lines (a DKIM signature, unsubscribe fields) go before the shared
/// body in both DATA and BDAT, counted in SIZE and in the chunk length, and a head line that
/// starts with a dot is stuffed like any other line.
#[test]
fn the_head_precedes_the_body_in_data_and_bdat() {
    let head = b"DKIM-Signature: v=1; a=ed25519-sha256;\r\n\tb=abc\r\n.Odd: x\r\n".to_vec();
    let body = b"Subject: x\r\n\r\n.hi\r\n";
    let with_head = |to: &str| {
        let mut msg = message("a@x.test", &[to], body);
        msg.size = head.len() + body.len();
        msg.head = head.clone();
        msg
    };
    let mut rt = Runtime::plain();
    rt.connect(PIPELINED);
    assert_eq!(
        rt.send(with_head("b@y.test")),
        "MAIL FROM:<a@x.test> SIZE=76\r\nRCPT TO:<b@y.test>\r\nDATA\r\n"
    );
    assert_eq!(
        rt.server("250 ok\r\n250 ok\r\n354 go\r\n"),
        "DKIM-Signature: v=1; a=ed25519-sha256;\r\n\tb=abc\r\n..Odd: x\r\nSubject: x\r\n\r\n..hi\r\n.\r\n"
    );

    let mut rt = Runtime::plain();
    rt.connect(CHUNKING);
    assert_eq!(
        rt.send(with_head("b@y.test")),
        "MAIL FROM:<a@x.test> SIZE=76\r\nRCPT TO:<b@y.test>\r\nBDAT 76 LAST\r\n\
         DKIM-Signature: v=1; a=ed25519-sha256;\r\n\tb=abc\r\n.Odd: x\r\nSubject: x\r\n\r\n.hi\r\n"
    );
}
