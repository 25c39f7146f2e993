//! Fuzzes the SMTP client with server byte streams mapped onto the reply alphabet.
//!
//! Random bytes almost never form `250-PIPELINING`, so each input byte selects a token (a
//! whole reply, a code, a separator, raw bytes) and bytes >= 0xF0 end a read. The first byte
//! picks the TLS policy, whether TLS is available and whether BDAT may be used. Every event
//! is answered as the runtime would, including STARTTLS handshakes that alternately succeed
//! and fail, timeouts and EOF.
//! Invariants: no panic; the client always finishes; every message handed to `send` gets
//! exactly one outcome with its recipients in order; output only ever holds whole commands
//! or DATA content (never a bare LF).
#![no_main]

use std::sync::Arc;

use hikyaku_smtp::{Client, ClientConfig, ClientEvent, OutboundMessage, TlsPolicy};
use libfuzzer_sys::fuzz_target;

const TOKENS: &[&[u8]] = &[
    b"220 mx\r\n",
    b"220-mx\r\n",
    b"250 ok\r\n",
    b"250-mx\r\n",
    b"250-PIPELINING\r\n",
    b"250-SIZE 64\r\n",
    b"250-SIZE\r\n",
    b"250-STARTTLS\r\n",
    b"250-SMTPUTF8\r\n",
    b"250-8BITMIME\r\n",
    b"250 CHUNKING\r\n",
    b"250-AUTH PLAIN\r\n",
    b"354 go\r\n",
    b"421 4.3.2 bye\r\n",
    b"450 4.2.0 later\r\n",
    b"454 4.7.0 no tls\r\n",
    b"502 5.5.1 no\r\n",
    b"550-5.1.1 no\r\n",
    b"550 5.1.1 no\r\n",
    b"554 5.7.1 no\r\n",
    b"221 bye\r\n",
    b"250",
    b"550",
    b"354",
    b"-",
    b" ",
    b"\r\n",
    b"\n",
    b"\r",
    b"5.1.1",
    b"\x00",
    b"\xff",
    b"\xc3\xa9",
];

fn messages() -> Vec<OutboundMessage> {
    let msg = |from: &str, to: &[&str], body: &[u8], size: usize, utf8: bool| OutboundMessage {
        mail_from: from.to_owned(),
        recipients: to.iter().map(|r| (*r).to_owned()).collect(),
        // Per-transaction header fields (DKIM, unsubscribe) on the internationalised one.
        head: if utf8 {
            b"X-Head: 1\r\n".to_vec()
        } else {
            Vec::new()
        },
        body: Arc::from(body),
        smtputf8: utf8,
        eight_bit: utf8,
        size,
    };
    vec![
        msg(
            "a@x.test",
            &["b@y.test", "c@y.test"],
            b".a\r\n..\nb\r.",
            12,
            false,
        ),
        msg("", &["d@y.test"], b"x", 100, false),
        msg(
            "jörg@x.test",
            &["e@y.test", "f@y.test", "g@y.test"],
            b"",
            0,
            true,
        ),
    ]
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, data)) = data.split_first() else {
        return;
    };
    let tls_policy = match flags % 3 {
        0 => TlsPolicy::Opportunistic,
        1 => TlsPolicy::Required,
        _ => TlsPolicy::Disabled,
    };
    let mut client = Client::new(ClientConfig {
        helo_name: "fuzz.test".to_owned(),
        tls_policy,
        tls_available: flags & 4 != 0,
        chunking: flags & 16 == 0,
    });
    let mut reads: Vec<Vec<u8>> = Vec::new();
    let mut chunk = Vec::new();
    for (i, &b) in data.iter().enumerate() {
        chunk.extend_from_slice(TOKENS[usize::from(b) % TOKENS.len()]);
        if b >= 0xF0 || i + 1 == data.len() {
            reads.push(std::mem::take(&mut chunk));
        }
    }
    let mut reads = reads.into_iter();
    let all = messages();
    let mut msgs = all.iter().cloned();
    let mut sent = 0;
    let mut outcomes = Vec::new();
    let mut handshake_ok = flags & 8 != 0;
    let mut written = Vec::new();
    for _ in 0..10_000 {
        let event = client.poll();
        let _ = client.timeout();
        while !client.output().is_empty() {
            written.extend_from_slice(client.output());
            let n = client.output().len();
            client.consume_output(n);
        }
        match event {
            ClientEvent::NeedInput => match reads.next() {
                Some(r) if r.first() == Some(&b'\x00') => client.timed_out(),
                Some(r) => client.feed(&r),
                None => client.connection_lost(),
            },
            ClientEvent::StartTls => {
                handshake_ok = !handshake_ok;
                if handshake_ok {
                    client.tls_established();
                } else {
                    client.tls_failed();
                }
            }
            ClientEvent::Ready => match msgs.next() {
                Some(m) => {
                    client.send(m).unwrap();
                    sent += 1;
                }
                None => client.quit(),
            },
            ClientEvent::Delivered(o) => outcomes.push(o),
            ClientEvent::Closed { .. } => {
                assert_eq!(outcomes.len(), sent);
                for (o, m) in outcomes.iter().zip(&all) {
                    assert!(o
                        .recipients
                        .iter()
                        .map(|r| &r.recipient)
                        .eq(m.recipients.iter()));
                }
                // Commands and stuffed data only: every LF is part of CRLF.
                for (i, &b) in written.iter().enumerate() {
                    if b == b'\n' {
                        assert!(i > 0 && written[i - 1] == b'\r');
                    }
                }
                return;
            }
        }
    }
    panic!("client did not finish");
});
