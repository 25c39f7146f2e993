//! Scripted-session harness shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, Ipv4Addr};
use std::time::Duration;

use hikyaku_smtp::{
    Access, BareLineEnding, Event, Reply, Session, SessionConfig, Timeouts, Transaction,
};

pub const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

pub fn config() -> SessionConfig {
    SessionConfig {
        hostname: "mx.test".to_owned(),
        max_message_size: 1000,
        max_recipients: 3,
        starttls_available: true,
        plain_auth_allowed: false,
        bare_line_ending: BareLineEnding::Normalize,
        access: Access::Relay { ip_allowed: true },
        timeouts: Timeouts {
            command: Duration::from_secs(300),
            data_block: Duration::from_secs(180),
            data_end: Duration::from_secs(600),
        },
    }
}

/// What the harness saw, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    StartTls,
    Auth(String, String),
    Message(Box<Transaction>),
    Close,
}

/// Drives a session like the I/O layer would, answering every event: TLS always succeeds,
/// the password "secret" is the only valid one, messages are queued with increasing ids.
pub struct Client {
    pub session: Session,
    pub seen: Vec<Seen>,
    queued: usize,
    /// Leave `Message` events unanswered (to test pending behaviour).
    pub hold_messages: bool,
}

impl Client {
    pub fn new(config: SessionConfig) -> Client {
        Client {
            session: Session::new(config, PEER),
            seen: Vec::new(),
            queued: 0,
            hold_messages: false,
        }
    }

    /// The greeting, for tests that want to skip it.
    pub fn greeting(&mut self) -> String {
        String::from_utf8(self.session.take_output()).unwrap()
    }

    /// Feeds `input`, polls until input is needed or the session closes, and returns the
    /// replies produced.
    pub fn send(&mut self, input: &[u8]) -> String {
        self.session.feed(input);
        self.pump();
        String::from_utf8(self.session.take_output()).unwrap()
    }

    pub fn pump(&mut self) {
        loop {
            match self.session.poll() {
                Event::NeedInput => return,
                Event::Close => {
                    if self.seen.last() != Some(&Seen::Close) {
                        self.seen.push(Seen::Close);
                    }
                    return;
                }
                Event::StartTls => {
                    self.seen.push(Seen::StartTls);
                    self.session.tls_established();
                }
                Event::Authenticate { username, password } => {
                    let ok = password == "secret";
                    self.seen.push(Seen::Auth(username, password));
                    self.session.auth_result(ok);
                }
                Event::Message(t) => {
                    self.seen.push(Seen::Message(t));
                    if self.hold_messages {
                        return;
                    }
                    self.queued += 1;
                    self.session
                        .message_result(Reply::queued(&format!("Q{}", self.queued)));
                }
            }
        }
    }

    pub fn messages(&self) -> Vec<&Transaction> {
        self.seen
            .iter()
            .filter_map(|s| match s {
                Seen::Message(t) => Some(&**t),
                _ => None,
            })
            .collect()
    }

    /// EHLO + MAIL + RCPT, asserting success.
    pub fn envelope(&mut self) {
        self.greeting();
        let out = self.send(b"EHLO client.test\r\nMAIL FROM:<a@x.test>\r\nRCPT TO:<b@y.test>\r\n");
        assert!(
            out.ends_with("250 2.1.0 Sender ok\r\n250 2.1.5 Recipient ok\r\n"),
            "{out}"
        );
    }
}

/// Reply codes (first three characters of every final line) in order.
pub fn codes(out: &str) -> Vec<&str> {
    out.split("\r\n")
        .filter(|l| l.len() >= 4 && &l[3..4] == " ")
        .map(|l| &l[..3])
        .collect()
}
