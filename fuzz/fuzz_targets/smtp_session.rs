//! Fuzzes the SMTP session with input mapped onto the SMTP alphabet.
//!
//! Raw random bytes almost never form `MAIL FROM:<...>`, so each input byte selects a
//! token (command word, line ending, dot, bracket, digit, base64 text ...) and the low bits
//! of some bytes pick chunk boundaries. Every event is answered as the I/O layer would.
//! Invariants: no panic; output is always a sequence of well-formed reply lines.
#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use hikyaku_smtp::{Access, BareLineEnding, Event, Reply, Session, SessionConfig, Timeouts};
use libfuzzer_sys::fuzz_target;

const TOKENS: &[&[u8]] = &[
    b"EHLO c",
    b"HELO c",
    b"MAIL FROM:",
    b"RCPT TO:",
    b"DATA",
    b"BDAT ",
    b"LAST",
    b"RSET",
    b"NOOP",
    b"QUIT",
    b"VRFY ",
    b"EXPN ",
    b"HELP",
    b"STARTTLS",
    b"AUTH PLAIN",
    b"AUTH LOGIN",
    b" ",
    b"\r\n",
    b"\n",
    b"\r",
    b".",
    b"<",
    b">",
    b":",
    b"@",
    b"\"",
    b"\\",
    b"=",
    b"*",
    b"a@x.test",
    b"x..y",
    b"example.com",
    b"SIZE=",
    b"BODY=8BITMIME",
    b"SMTPUTF8",
    b"AUTH=<>",
    b"0",
    b"1",
    b"2",
    b"3",
    b"5",
    b"9",
    b"10",
    b"100",
    b"AHVzZXIAc2VjcmV0",
    b"dXNlcg==",
    b"c2VjcmV0",
    b"=",
    b"\xc3\xa9",
    b"\x00",
    b"\xff",
];

fn config(flags: u8) -> SessionConfig {
    SessionConfig {
        hostname: "fuzz.test".to_owned(),
        max_message_size: 256,
        max_recipients: 3,
        starttls_available: flags & 1 != 0,
        plain_auth_allowed: flags & 2 != 0,
        bare_line_ending: if flags & 4 != 0 {
            BareLineEnding::Reject
        } else {
            BareLineEnding::Normalize
        },
        access: Access::Relay {
            ip_allowed: flags & 8 != 0,
        },
        timeouts: Timeouts::default(),
    }
}

fn check_output(out: &[u8]) {
    if out.is_empty() {
        return;
    }
    assert!(out.ends_with(b"\r\n"), "{out:?}");
    for line in out[..out.len() - 2].split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        assert!(line.len() >= 4, "{line:?}");
        assert!(line[..3].iter().all(u8::is_ascii_digit), "{line:?}");
        assert!(line[3] == b' ' || line[3] == b'-', "{line:?}");
        assert!(!line.contains(&b'\r'), "{line:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, data)) = data.split_first() else {
        return;
    };
    let mut session = Session::new(config(flags), IpAddr::V4(Ipv4Addr::LOCALHOST));
    let mut out = session.take_output();
    let mut chunk = Vec::new();
    let mut auth_ok = false;
    let mut closed = false;
    for (i, &b) in data.iter().enumerate() {
        chunk.extend_from_slice(TOKENS[usize::from(b) % TOKENS.len()]);
        // Bytes >= 0xF0 (and the last one) end a read.
        if b < 0xF0 && i + 1 != data.len() {
            continue;
        }
        session.feed(&chunk);
        chunk.clear();
        loop {
            match session.poll() {
                Event::NeedInput => break,
                Event::Close => {
                    closed = true;
                    break;
                }
                Event::StartTls => session.tls_established(),
                Event::Authenticate { .. } => {
                    auth_ok = !auth_ok;
                    session.auth_result(auth_ok);
                }
                Event::Message(t) => {
                    assert!(!t.recipients.is_empty());
                    assert!(t.body.len() <= 256);
                    session.message_result(Reply::queued("fuzz"));
                }
            }
        }
        out.extend(session.take_output());
        if closed {
            break;
        }
    }
    check_output(&out);
});
