//! Scripted sessions: bytes in, exact replies and events out.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::{codes, config, Client, Seen};
use hikyaku_smtp::{Access, BareLineEnding, Reply, SessionConfig};

fn client() -> Client {
    Client::new(config())
}

fn with(f: impl FnOnce(&mut SessionConfig)) -> Client {
    let mut c = config();
    f(&mut c);
    Client::new(c)
}

#[test]
fn greeting_and_ehlo() {
    let mut c = client();
    assert_eq!(c.greeting(), "220 mx.test ESMTP hikyaku\r\n");
    assert_eq!(
        c.send(b"EHLO client.test\r\n"),
        "250-mx.test Hello client.test\r\n250-PIPELINING\r\n250-SIZE 1000\r\n250-8BITMIME\r\n\
         250-SMTPUTF8\r\n250-ENHANCEDSTATUSCODES\r\n250-CHUNKING\r\n250 STARTTLS\r\n"
    );
    assert_eq!(c.send(b"HELO client.test\r\n"), "250 mx.test\r\n");
    assert_eq!(c.send(b"EHLO\r\n"), "501 5.5.4 Syntax: EHLO hostname\r\n");
    assert_eq!(c.send(b"helo\r\n"), "501 5.5.4 Syntax: HELO hostname\r\n");
}

#[test]
fn ehlo_offers_auth_only_when_allowed() {
    let mut c = with(|c| c.plain_auth_allowed = true);
    c.greeting();
    let out = c.send(b"EHLO c\r\n");
    assert!(
        out.contains("250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"),
        "{out}"
    );

    let mut c = with(|c| c.starttls_available = false);
    c.greeting();
    let out = c.send(b"EHLO c\r\n");
    assert!(!out.contains("STARTTLS") && !out.contains("AUTH"), "{out}");
}

#[test]
fn small_commands() {
    let mut c = client();
    c.greeting();
    assert_eq!(c.send(b"NOOP\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(c.send(b"noop whatever\r\n"), "250 2.0.0 Ok\r\n");
    assert_eq!(c.send(b"RSET\r\n"), "250 2.0.0 Ok\r\n");
    assert!(c.send(b"VRFY bob\r\n").starts_with("252 2.5.2 "));
    assert!(c.send(b"VRFY\r\n").starts_with("501 5.5.4 "));
    assert!(c.send(b"EXPN list\r\n").starts_with("502 5.5.1 "));
    let help = c.send(b"HELP\r\n");
    assert_eq!(codes(&help), ["214"]);
    assert!(help.starts_with("214-2.0.0 "));
    assert_eq!(c.send(b"FOO bar\r\n"), "500 5.5.1 Command unrecognized\r\n");
    assert_eq!(c.send(b"\r\n"), "500 5.5.2 Syntax error\r\n");
    assert_eq!(c.send(b"\xff\xfe\r\n"), "500 5.5.2 Syntax error\r\n");
    assert_eq!(c.send(b"QUIT\r\n"), "221 2.0.0 Bye\r\n");
    assert_eq!(c.seen, [Seen::Close]);
    assert!(c.session.is_closed());
    assert_eq!(c.send(b"NOOP\r\n"), "");
}

#[test]
fn bare_lf_commands_are_accepted() {
    let mut c = client();
    c.greeting();
    assert_eq!(codes(&c.send(b"EHLO c\nNOOP\n")), ["250", "250"]);
}

#[test]
fn wrong_sequence() {
    let mut c = client();
    c.greeting();
    assert_eq!(
        c.send(b"MAIL FROM:<a@x.test>\r\n"),
        "503 5.5.1 Send EHLO/HELO first\r\n"
    );
    assert_eq!(c.send(b"DATA\r\n"), "503 5.5.1 Send EHLO/HELO first\r\n");
    c.send(b"EHLO c\r\n");
    assert_eq!(
        c.send(b"RCPT TO:<b@y.test>\r\n"),
        "503 5.5.1 Need MAIL command first\r\n"
    );
    assert_eq!(c.send(b"DATA\r\n"), "503 5.5.1 Need MAIL command first\r\n");
    assert_eq!(codes(&c.send(b"MAIL FROM:<a@x.test>\r\n")), ["250"]);
    assert_eq!(
        c.send(b"MAIL FROM:<a@x.test>\r\n"),
        "503 5.5.1 Nested MAIL command\r\n"
    );
    assert_eq!(c.send(b"DATA\r\n"), "503 5.5.1 Need RCPT command first\r\n");
    // RSET clears the transaction but keeps EHLO.
    assert_eq!(codes(&c.send(b"RSET\r\nMAIL FROM:<>\r\n")), ["250", "250"]);
    assert!(c.messages().is_empty());
}

#[test]
fn mail_and_rcpt_syntax() {
    let mut c = client();
    c.greeting();
    c.send(b"EHLO c\r\n");
    assert!(c.send(b"MAIL FROM:a@x.test\r\n").starts_with("501 5.5.4 "));
    assert!(c.send(b"MAIL TO:<a@x.test>\r\n").starts_with("501 5.5.4 "));
    assert_eq!(
        c.send(b"MAIL FROM:<nobody>\r\n"),
        "553 5.1.7 Invalid sender address\r\n"
    );
    assert_eq!(
        c.send(b"MAIL FROM:<a@x.test> FOO=1\r\n"),
        "555 5.5.4 Unsupported parameter FOO=1\r\n"
    );
    assert!(c
        .send(b"MAIL FROM:<a@x.test> SIZE=abc\r\n")
        .starts_with("501 5.5.4 "));
    assert!(c
        .send(b"MAIL FROM:<a@x.test> BODY=BINARYMIME\r\n")
        .starts_with("555 5.5.4 "));
    assert_eq!(
        c.send(b"MAIL FROM:<a@x.test> SIZE=1001\r\n"),
        "552 5.3.4 Message size exceeds fixed maximum message size\r\n"
    );
    assert_eq!(
        codes(&c.send(b"mail from: <a@x.test> SIZE=1000 BODY=8BITMIME AUTH=<>\r\n")),
        ["250"]
    );
    assert!(c.send(b"RCPT TO:b@y.test\r\n").starts_with("501 5.5.4 "));
    assert_eq!(
        c.send(b"RCPT TO:<b@y..test>\r\n"),
        "553 5.1.3 Invalid recipient address\r\n"
    );
    assert_eq!(
        c.send(b"RCPT TO:<>\r\n"),
        "553 5.1.3 Invalid recipient address\r\n"
    );
    assert_eq!(
        c.send(b"RCPT TO:<j\xc3\xb6rg@y.test>\r\n"),
        "553 5.1.3 Invalid recipient address\r\n"
    );
    assert!(c
        .send(b"RCPT TO:<b@y.test> NOTIFY=NEVER\r\n")
        .starts_with("555 5.5.4 "));
    assert_eq!(
        codes(&c.send(b"RCPT TO:<irregular..pattern@y.test>\r\nrcpt to:<hello\\(^^)@y.test>\r\n")),
        ["250", "250"]
    );
    c.send(b"DATA\r\nhi\r\n.\r\n");
    let m = c.messages()[0].clone();
    assert!(m.eight_bit_mime && !m.smtputf8);
    assert_eq!(m.mail_from.unwrap().to_string(), "a@x.test");
    let rcpts: Vec<String> = m.recipients.iter().map(|a| a.to_string()).collect();
    assert_eq!(
        rcpts,
        ["\"irregular..pattern\"@y.test", "\"hello\\\\(^^)\"@y.test"]
    );
}

#[test]
fn smtputf8_addresses() {
    let mut c = client();
    c.envelope();
    c.send(b"RSET\r\n");
    assert_eq!(
        c.send(b"MAIL FROM:<j\xc3\xb6rg@x.test>\r\n"),
        "553 5.1.7 Invalid sender address\r\n"
    );
    let out = c.send(
        "MAIL FROM:<jörg@bücher.test> SMTPUTF8\r\nRCPT TO:<δ@y.test>\r\nDATA\r\nx\r\n.\r\n"
            .as_bytes(),
    );
    assert_eq!(codes(&out), ["250", "250", "354", "250"]);
    let m = c.messages()[0];
    assert!(m.smtputf8);
    assert!(m.recipients[0].is_utf8());
}

#[test]
fn null_sender_and_source_route() {
    let mut c = client();
    c.greeting();
    let out = c.send(b"EHLO c\r\nMAIL FROM:<>\r\nRCPT TO:<@relay.test:b@y.test>\r\nDATA\r\n.\r\n");
    assert_eq!(codes(&out), ["250", "250", "250", "354", "250"]);
    let m = c.messages()[0];
    assert_eq!(m.mail_from, None);
    assert_eq!(m.recipients[0].to_string(), "b@y.test");
    assert!(m.body.is_empty());
}

#[test]
fn recipient_limit() {
    let mut c = client();
    c.envelope();
    let out = c.send(b"RCPT TO:<c@y.test>\r\nRCPT TO:<d@y.test>\r\nRCPT TO:<e@y.test>\r\n");
    assert_eq!(
        out,
        "250 2.1.5 Recipient ok\r\n250 2.1.5 Recipient ok\r\n452 4.5.3 Too many recipients\r\n"
    );
    c.send(b"DATA\r\nx\r\n.\r\n");
    assert_eq!(c.messages()[0].recipients.len(), 3);
}

#[test]
fn data_message_and_transaction_fields() {
    let mut c = client();
    c.envelope();
    assert_eq!(
        c.send(b"DATA\r\n"),
        "354 End data with <CR><LF>.<CR><LF>\r\n"
    );
    assert_eq!(c.send(b"Subject: hi\r\n\r\n..dot\r\n.x\r\nbody\r\n"), "");
    assert_eq!(c.send(b".\r\n"), "250 2.0.0 Ok: queued as Q1\r\n");
    let m = c.messages()[0];
    assert_eq!(m.body, b"Subject: hi\r\n\r\n.dot\r\nx\r\nbody\r\n");
    assert_eq!(m.helo, "client.test");
    assert_eq!(m.recipients.len(), 1);
    assert!(!m.tls && m.auth_user.is_none());
    // The transaction was reset: a new one needs MAIL.
    assert!(c.send(b"RCPT TO:<b@y.test>\r\n").starts_with("503"));
}

#[test]
fn multiple_messages_in_one_session_pipelined() {
    let mut c = client();
    c.greeting();
    let out = c.send(
        b"EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\none\r\n.\r\n\
          MAIL FROM:<a@x.test>\r\nRCPT TO:<c@y.test>\r\nDATA\r\ntwo\r\n.\r\nQUIT\r\n",
    );
    assert_eq!(
        codes(&out),
        ["250", "250", "250", "354", "250", "250", "250", "354", "250", "221"]
    );
    assert!(out.contains("queued as Q1") && out.contains("queued as Q2"));
    let bodies: Vec<&[u8]> = c.messages().iter().map(|m| &m.body[..]).collect();
    assert_eq!(bodies, [&b"one\r\n"[..], &b"two\r\n"[..]]);
    assert_eq!(c.seen.last(), Some(&Seen::Close));
}

#[test]
fn pending_message_blocks_further_input() {
    let mut c = client();
    c.hold_messages = true;
    c.envelope();
    let out = c.send(b"DATA\r\nx\r\n.\r\nNOOP\r\n");
    assert_eq!(codes(&out), ["354"]);
    assert_eq!(c.session.current_timeout(), Duration::from_secs(600));
    assert_eq!(c.send(b""), "");
    c.session.message_result(Reply::storage_failure());
    c.hold_messages = false;
    assert_eq!(
        c.send(b""),
        "451 4.3.0 Temporary failure storing the message, try again later\r\n250 2.0.0 Ok\r\n"
    );
}

#[test]
fn smuggling_forms_do_not_end_data() {
    for smuggle in [
        &b"\n.\n"[..],
        b"\r.\r",
        b"\r\n.\n",
        b"\n.\r\n",
        b"\r.\r\n",
        b"\r\n.\r",
    ] {
        let mut c = client();
        c.envelope();
        c.send(b"DATA\r\n");
        let mut msg = b"a".to_vec();
        msg.extend_from_slice(smuggle);
        msg.extend_from_slice(b"MAIL FROM:<evil@x.test>\r\nRCPT TO:<v@y.test>\r\nDATA\r\n");
        assert_eq!(c.send(&msg), "", "{smuggle:?} ended the message");
        assert_eq!(codes(&c.send(b"\r\n.\r\n")), ["250"]);
        let m = c.messages();
        assert_eq!(m.len(), 1);
        // Normalized: every line ending in the stored body is CRLF.
        let body = &m[0].body;
        for (i, &b) in body.iter().enumerate() {
            if b == b'\n' {
                assert_eq!(body[i - 1], b'\r', "{smuggle:?}: {body:?}");
            }
            if b == b'\r' {
                assert_eq!(body.get(i + 1), Some(&b'\n'), "{smuggle:?}: {body:?}");
            }
        }
        assert!(body.ends_with(b"DATA\r\n\r\n"), "{body:?}");
    }
}

#[test]
fn normalize_converts_bare_line_endings() {
    let mut c = client();
    c.envelope();
    c.send(b"DATA\r\na\nb\rc\r\n.d\n.\r\r\n.\r\n");
    // A dot after a bare LF is not at a line start, so it is kept (and will be
    // dot-stuffed on the next hop).
    assert_eq!(c.messages()[0].body, b"a\r\nb\r\nc\r\nd\r\n.\r\n\r\n");
}

#[test]
fn reject_refuses_bare_line_endings_after_the_terminator() {
    let mut c = with(|c| c.bare_line_ending = BareLineEnding::Reject);
    c.envelope();
    let out = c.send(b"DATA\r\nfine\r\nbad\n.\nstill data\r\n.\r\nNOOP\r\n");
    assert_eq!(
        out,
        "354 End data with <CR><LF>.<CR><LF>\r\n\
         550 5.6.11 Bare CR or LF not allowed in message content (RFC 5321 section 2.3.8)\r\n\
         250 2.0.0 Ok\r\n"
    );
    assert!(c.messages().is_empty());
    // The transaction is reset; a clean message afterwards is accepted.
    let out = c.send(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nok\r\n.\r\n");
    assert_eq!(codes(&out), ["250", "250", "354", "250"]);
    assert_eq!(c.messages()[0].body, b"ok\r\n");
}

#[test]
fn size_limit_discards_until_terminator() {
    let mut c = client();
    c.envelope();
    c.send(b"DATA\r\n");
    let line = [b'x'; 98];
    for _ in 0..20 {
        c.send(&line);
        assert_eq!(c.send(b"\r\n"), "");
    }
    assert_eq!(
        c.send(b".\r\nNOOP\r\n"),
        "552 5.3.4 Message size exceeds fixed maximum message size\r\n250 2.0.0 Ok\r\n"
    );
    assert!(c.messages().is_empty());
    // Exactly at the limit is fine.
    c.send(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\n");
    for _ in 0..10 {
        c.send(&line);
        c.send(b"\r\n");
    }
    assert_eq!(codes(&c.send(b".\r\n")), ["250"]);
    assert_eq!(c.messages()[0].body.len(), 1000);
}

#[test]
fn command_line_limit() {
    let mut c = client();
    c.greeting();
    c.send(b"EHLO c\r\n");
    // 1000 octets including CRLF is allowed.
    let mut ok = b"NOOP ".to_vec();
    ok.resize(998, b'a');
    ok.extend_from_slice(b"\r\n");
    assert_eq!(c.send(&ok), "250 2.0.0 Ok\r\n");
    // 1001 is not, and the tail of the line is not a command.
    let mut long = b"NOOP ".to_vec();
    long.resize(999, b'a');
    long.extend_from_slice(b"\r\n");
    assert_eq!(c.send(&long), "500 5.5.2 Line too long\r\n");
    let mut long = b"NOOP ".to_vec();
    long.resize(1500, b'a');
    long.extend_from_slice(b"QUIT\r\nNOOP\r\n");
    assert_eq!(c.send(&long[..1200]), "500 5.5.2 Line too long\r\n");
    assert_eq!(c.send(&long[1200..]), "250 2.0.0 Ok\r\n");
    // A long RCPT line: the address has no limit of its own, the line does.
    let mut rcpt = b"MAIL FROM:<a@x.test>\r\nRCPT TO:<".to_vec();
    rcpt.resize(1100, b'a');
    rcpt.extend_from_slice(b"@y.test>\r\n");
    assert_eq!(codes(&c.send(&rcpt)), ["250", "500"]);
}

#[test]
fn access_denied_with_auth_possible_is_530() {
    let mut c = with(|c| c.access = Access::Relay { ip_allowed: false });
    c.greeting();
    let out = c.send(b"EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\r\n.\r\n");
    assert_eq!(codes(&out), ["250", "530", "503", "503", "500", "500"]);
    assert!(out.contains("530 5.7.0 Authentication required\r\n"));
    assert!(c.messages().is_empty());
}

#[test]
fn access_denied_without_any_auth_is_554() {
    let mut c = with(|c| {
        c.access = Access::Relay { ip_allowed: false };
        c.starttls_available = false;
    });
    c.greeting();
    let out = c.send(b"EHLO c\r\nMAIL FROM:<a@x.test>\r\nBDAT 3 LAST\r\nabc");
    assert_eq!(
        out.lines()
            .filter(|l| !l.starts_with("250"))
            .collect::<Vec<_>>(),
        [
            "554 5.7.1 Relay access denied",
            "503 5.5.1 Need MAIL command first"
        ]
    );
    assert!(c.messages().is_empty());
}

#[test]
fn auth_plain_initial_response_then_relay() {
    let mut c = with(|c| {
        c.access = Access::Relay { ip_allowed: false };
        c.plain_auth_allowed = true;
    });
    c.greeting();
    // "\0user\0wrong" then "\0user\0secret"
    let out = c.send(b"EHLO c\r\nAUTH PLAIN AHVzZXIAd3Jvbmc=\r\nMAIL FROM:<a@x.test>\r\n");
    assert_eq!(codes(&out), ["250", "535", "530"]);
    assert!(out.contains("535 5.7.8 Authentication credentials invalid\r\n"));
    let out = c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n");
    assert_eq!(out, "235 2.7.0 Authentication succeeded\r\n");
    assert_eq!(c.session.authenticated_user(), Some("user"));
    assert_eq!(
        c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"),
        "503 5.5.1 Already authenticated\r\n"
    );
    let out = c.send(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\r\n.\r\n");
    assert_eq!(codes(&out), ["250", "250", "354", "250"]);
    assert_eq!(c.messages()[0].auth_user.as_deref(), Some("user"));
    assert_eq!(c.seen[0], Seen::Auth("user".into(), "wrong".into()));
}

#[test]
fn auth_plain_continuation_and_cancel() {
    let mut c = with(|c| c.plain_auth_allowed = true);
    c.greeting();
    c.send(b"EHLO c\r\n");
    assert_eq!(c.send(b"AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(c.send(b"*\r\n"), "501 5.7.0 Authentication cancelled\r\n");
    assert_eq!(c.send(b"AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(c.send(b"!!!\r\n"), "501 5.5.2 Invalid base64 data\r\n");
    assert_eq!(c.send(b"AUTH PLAIN\r\n"), "334 \r\n");
    // authzid differs from authcid: refused without asking the store.
    assert_eq!(
        c.send(b"b3RoZXIAdXNlcgBzZWNyZXQ=\r\n"),
        "535 5.7.8 Authentication credentials invalid\r\n"
    );
    assert_eq!(
        c.send(b"AUTH CRAM-MD5\r\n"),
        "504 5.5.4 Unrecognized authentication type\r\n"
    );
    assert_eq!(c.send(b"AUTH PLAIN\r\n"), "334 \r\n");
    assert_eq!(
        c.send(b"dXNlcgB1c2VyAHNlY3JldA==\r\n"),
        "235 2.7.0 Authentication succeeded\r\n"
    );
    assert!(
        c.seen
            .iter()
            .filter(|s| matches!(s, Seen::Auth(..)))
            .count()
            == 1
    );
}

#[test]
fn auth_login() {
    let mut c = with(|c| c.plain_auth_allowed = true);
    c.greeting();
    c.send(b"EHLO c\r\n");
    assert_eq!(c.send(b"AUTH LOGIN\r\n"), "334 VXNlcm5hbWU6\r\n");
    assert_eq!(c.send(b"dXNlcg==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(
        c.send(b"d3Jvbmc=\r\n"),
        "535 5.7.8 Authentication credentials invalid\r\n"
    );
    assert_eq!(c.send(b"AUTH LOGIN dXNlcg==\r\n"), "334 UGFzc3dvcmQ6\r\n");
    assert_eq!(c.send(b"*\r\n"), "501 5.7.0 Authentication cancelled\r\n");
    assert_eq!(
        c.send(b"AUTH LOGIN dXNlcg==\r\nc2VjcmV0\r\n"),
        "334 UGFzc3dvcmQ6\r\n235 2.7.0 Authentication succeeded\r\n"
    );
    assert_eq!(c.session.authenticated_user(), Some("user"));
}

#[test]
fn auth_requires_tls_and_sequence() {
    let mut c = client();
    c.greeting();
    assert_eq!(
        c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"),
        "503 5.5.1 Send EHLO first\r\n"
    );
    c.send(b"EHLO c\r\n");
    assert_eq!(
        c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n"),
        "538 5.7.11 Encryption required for requested authentication mechanism\r\n"
    );
    c.send(b"STARTTLS\r\n");
    c.send(b"EHLO c\r\nMAIL FROM:<a@x.test>\r\n");
    assert_eq!(
        c.send(b"AUTH LOGIN\r\n"),
        "503 5.5.1 AUTH not allowed during a transaction\r\n"
    );
    c.send(b"RSET\r\n");
    assert_eq!(codes(&c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n")), ["235"]);
}

#[test]
fn starttls_discards_buffered_input_and_resets() {
    let mut c = with(|c| c.access = Access::Relay { ip_allowed: false });
    c.greeting();
    let out =
        c.send(b"EHLO c\r\nSTARTTLS\r\nMAIL FROM:<injected@x.test>\r\nRCPT TO:<v@y.test>\r\n");
    assert_eq!(out.lines().last(), Some("220 2.0.0 Ready to start TLS"));
    assert_eq!(c.seen, [Seen::StartTls]);
    assert!(c.session.is_tls());
    // The injected commands are gone; EHLO is required again.
    assert_eq!(
        c.send(b"MAIL FROM:<a@x.test>\r\n"),
        "503 5.5.1 Send EHLO/HELO first\r\n"
    );
    let ehlo = c.send(b"EHLO c\r\n");
    assert!(
        !ehlo.contains("STARTTLS") && ehlo.ends_with("250 AUTH PLAIN LOGIN\r\n"),
        "{ehlo}"
    );
    assert_eq!(
        c.send(b"STARTTLS\r\n"),
        "502 5.5.1 STARTTLS not available\r\n"
    );
    assert_eq!(codes(&c.send(b"AUTH PLAIN AHVzZXIAc2VjcmV0\r\n")), ["235"]);
    c.send(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nDATA\r\nx\r\n.\r\n");
    let m = c.messages()[0];
    assert!(m.tls);
    assert_eq!(m.recipients[0].to_string(), "b@y.test");
}

#[test]
fn starttls_discards_input_fed_before_handshake() {
    let mut c = client();
    c.greeting();
    c.session.feed(b"EHLO c\r\nSTARTTLS\r\n");
    let mut events = Vec::new();
    loop {
        match c.session.poll() {
            hikyaku_smtp::Event::StartTls => break,
            e => events.push(e),
        }
    }
    c.session.feed(b"MAIL FROM:<injected@x.test>\r\n");
    assert_eq!(c.session.poll(), hikyaku_smtp::Event::NeedInput);
    c.session.tls_established();
    c.session.take_output();
    assert_eq!(c.send(b"NOOP\r\n"), "250 2.0.0 Ok\r\n");
}

#[test]
fn starttls_syntax() {
    let mut c = client();
    c.greeting();
    assert!(c.send(b"STARTTLS now\r\n").starts_with("501 5.5.4"));
}

#[test]
fn bdat_chunks() {
    let mut c = client();
    c.envelope();
    let out = c.send(b"BDAT 5\r\nhello");
    assert_eq!(out, "250 2.0.0 5 octets received\r\n");
    assert_eq!(c.session.current_timeout(), Duration::from_secs(300));
    assert_eq!(c.send(b"BDAT 9\r\n wor"), "");
    assert_eq!(c.session.current_timeout(), Duration::from_secs(180));
    assert_eq!(c.send(b"ld\r\n\r"), "250 2.0.0 9 octets received\r\n");
    assert_eq!(
        c.send(b"BDAT 3 LAST\r\n\n.\n"),
        "250 2.0.0 Ok: queued as Q1\r\n"
    );
    // The CR ending chunk 2 pairs with the LF starting chunk 3; bare LFs are normalised;
    // no dot handling in BDAT.
    assert_eq!(c.messages()[0].body, b"hello world\r\n\r\n.\r\n");
}

#[test]
fn bdat_zero_last_and_pipelined() {
    let mut c = client();
    c.greeting();
    let out = c.send(
        b"EHLO c\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\nBDAT 4\r\nQUITBDAT 0 LAST\r\nNOOP\r\n",
    );
    assert_eq!(codes(&out), ["250", "250", "250", "250", "250", "250"]);
    assert_eq!(c.messages()[0].body, b"QUIT");
}

#[test]
fn bdat_errors_consume_the_chunk() {
    let mut c = client();
    c.greeting();
    c.send(b"EHLO c\r\n");
    assert_eq!(
        c.send(b"BDAT 6 LAST\r\nQUIT\r\n"),
        "503 5.5.1 Need MAIL command first\r\n"
    );
    c.send(b"MAIL FROM:<a@x.test>\r\n");
    assert_eq!(
        c.send(b"BDAT 6 LAST\r\nQUIT\r\n"),
        "503 5.5.1 Need RCPT command first\r\n"
    );
    assert!(c.send(b"BDAT x\r\n").starts_with("501 5.5.4"));
    assert!(c.send(b"BDAT 1 MORE\r\n").starts_with("501 5.5.4"));
    c.send(b"RCPT TO:<b@y.test>\r\nBDAT 1\r\nx");
    assert_eq!(
        c.send(b"DATA\r\n"),
        "503 5.5.1 DATA not allowed after BDAT\r\n"
    );
    assert_eq!(
        c.send(b"RCPT TO:<c@y.test>\r\n"),
        "503 5.5.1 RCPT not allowed after BDAT\r\n"
    );
    assert!(c.messages().is_empty());
    assert!(!c.session.is_closed());
}

#[test]
fn bdat_size_limit_and_reject_policy() {
    let mut c = client();
    c.envelope();
    let chunk = vec![b'x'; 600];
    let mut input = b"BDAT 600\r\n".to_vec();
    input.extend_from_slice(&chunk);
    input.extend_from_slice(b"BDAT 600 LAST\r\n");
    input.extend_from_slice(&chunk);
    input.extend_from_slice(b"NOOP\r\n");
    assert_eq!(
        c.send(&input),
        "250 2.0.0 600 octets received\r\n552 5.3.4 Message size exceeds fixed maximum message size\r\n250 2.0.0 Ok\r\n"
    );
    assert!(c.messages().is_empty());

    let mut c = with(|c| c.bare_line_ending = BareLineEnding::Reject);
    c.envelope();
    assert_eq!(
        codes(&c.send(b"BDAT 2\r\na\rBDAT 1 LAST\r\n\n")),
        ["250", "250"]
    );
    assert_eq!(c.messages()[0].body, b"a\r\n");
    c.send(b"MAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n");
    assert_eq!(codes(&c.send(b"BDAT 2 LAST\r\na\r")), ["550"]);
    assert_eq!(c.messages().len(), 1);
}

#[test]
fn timeout_closes_with_421() {
    let mut c = client();
    c.greeting();
    assert_eq!(c.session.current_timeout(), Duration::from_secs(300));
    c.session.timed_out();
    assert_eq!(c.send(b""), "421 4.4.2 mx.test Error: timeout exceeded\r\n");
    assert_eq!(c.seen, [Seen::Close]);
}

#[test]
fn shutdown_between_transactions_closes_now() {
    let mut c = client();
    c.greeting();
    c.send(b"EHLO c\r\n");
    c.session.begin_shutdown();
    assert_eq!(
        c.send(b"NOOP\r\n"),
        "421 4.3.2 mx.test Service shutting down, closing connection\r\n"
    );
    assert_eq!(c.seen, [Seen::Close]);
}

#[test]
fn shutdown_lets_the_transaction_finish() {
    let mut c = client();
    c.envelope();
    c.send(b"DATA\r\npart");
    c.session.begin_shutdown();
    let out = c.send(b"\r\n.\r\nMAIL FROM:<a@x.test>\r\n");
    assert_eq!(
        out,
        "250 2.0.0 Ok: queued as Q1\r\n421 4.3.2 mx.test Service shutting down, closing connection\r\n"
    );
    assert_eq!(c.messages().len(), 1);
    assert_eq!(c.seen.last(), Some(&Seen::Close));
}

#[test]
fn answers_without_outstanding_event_are_ignored() {
    let mut c = client();
    c.greeting();
    c.session.auth_result(true);
    c.session.message_result(Reply::queued("X"));
    c.session.tls_established();
    assert_eq!(c.session.authenticated_user(), None);
    assert!(!c.session.is_tls());
    assert_eq!(c.send(b""), "");
}

#[test]
fn output_can_be_consumed_partially() {
    let mut c = client();
    assert_eq!(c.session.output(), b"220 mx.test ESMTP hikyaku\r\n");
    c.session.consume_output(4);
    assert_eq!(c.session.output(), b"mx.test ESMTP hikyaku\r\n");
    c.session.consume_output(1000);
    assert!(c.session.output().is_empty());
}

#[test]
fn large_body_is_received_in_chunks() {
    let mut c = with(|c| c.max_message_size = 20 << 20);
    c.envelope();
    c.send(b"DATA\r\n");
    let line = [b"y".repeat(78), b"\r\n".to_vec()].concat();
    let block: Vec<u8> = line.repeat(800);
    for _ in 0..160 {
        assert_eq!(c.send(&block), "");
    }
    assert_eq!(codes(&c.send(b".\r\n")), ["250"]);
    assert_eq!(c.messages()[0].body.len(), 160 * 800 * 80);
}

#[test]
fn shutdown_answers_any_line_with_421() {
    let mut c = client();
    c.envelope();
    c.session.begin_shutdown();
    // A transaction is open: it may continue, RSET ends it, then anything gets 421.
    let out = c.send(b"RSET\r\nBOGUS\r\nNOOP\r\n");
    assert_eq!(
        out,
        "250 2.0.0 Ok\r\n421 4.3.2 mx.test Service shutting down, closing connection\r\n"
    );
}

#[test]
fn sasl_line_too_long_aborts_the_exchange() {
    let mut c = with(|c| c.plain_auth_allowed = true);
    c.greeting();
    c.send(b"EHLO c\r\n");
    assert_eq!(c.send(b"AUTH PLAIN\r\n"), "334 \r\n");
    let mut long = vec![b'A'; 13000];
    long.extend_from_slice(b"\r\nNOOP\r\n");
    assert_eq!(c.send(&long), "500 5.5.2 Line too long\r\n250 2.0.0 Ok\r\n");
    assert!(c.send(b"AUTH PLAIN a b\r\n").starts_with("501 5.5.4"));
    assert!(c.send(b"AUTH\r\n").starts_with("501 5.5.4"));
    assert!(c.seen.is_empty());
}

#[test]
fn receiving_listener_accepts_only_its_domains_from_anyone() {
    let mut c = with(|c| {
        c.access = Access::Receive {
            domains: vec!["bounce.example.com".into()],
        }
    });
    c.greeting();
    let out = c.send(
        b"EHLO remote\r\nMAIL FROM:<>\r\nRCPT TO:<b-1@Bounce.Example.com>\r\nRCPT TO:<x@example.net>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n",
    );
    assert_eq!(codes(&out), ["250", "250", "250", "550", "354", "250"]);
    assert!(out.contains("550 5.7.1 Recipient domain not accepted here\r\n"));
    assert_eq!(c.messages().len(), 1);
    assert_eq!(c.messages()[0].recipients.len(), 1);
}
