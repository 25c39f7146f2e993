//! Scripted-server harness for the client tests: bytes from the "server" in, the client's
//! writes and events out.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use hikyaku_smtp::{Client, ClientConfig, ClientEvent, MessageOutcome, OutboundMessage, TlsPolicy};

pub fn client_config(tls_policy: TlsPolicy, tls_available: bool) -> ClientConfig {
    ClientConfig {
        helo_name: "client.test".to_owned(),
        tls_policy,
        tls_available,
        chunking: true,
    }
}

pub fn message(from: &str, to: &[&str], body: &[u8]) -> OutboundMessage {
    OutboundMessage {
        head: Vec::new(),
        mail_from: from.to_owned(),
        recipients: to.iter().map(|r| (*r).to_owned()).collect(),
        body: Arc::from(body),
        smtputf8: false,
        eight_bit: false,
        size: body.len(),
    }
}

/// Drives a client like the delivery runtime would: output is always flushed completely
/// (in `write_size` pieces), `Delivered` outcomes are collected, and `pump` stops at the
/// first event that needs a decision (`NeedInput`, `Ready`, `StartTls`, `Closed`).
pub struct Runtime {
    pub client: Client,
    pub written: Vec<u8>,
    pub outcomes: Vec<MessageOutcome>,
    pub write_size: usize,
}

impl Runtime {
    pub fn new(config: ClientConfig) -> Runtime {
        Runtime {
            client: Client::new(config),
            written: Vec::new(),
            outcomes: Vec::new(),
            write_size: usize::MAX,
        }
    }

    /// Opportunistic TLS, TLS available.
    pub fn plain() -> Runtime {
        Runtime::new(client_config(TlsPolicy::Opportunistic, true))
    }

    /// Writes out everything the client produced.
    pub fn flush(&mut self) {
        loop {
            let out = self.client.output();
            if out.is_empty() {
                return;
            }
            let n = out.len().min(self.write_size);
            self.written.extend_from_slice(&out[..n]);
            self.client.consume_output(n);
        }
    }

    pub fn pump(&mut self) -> ClientEvent {
        loop {
            let event = self.client.poll();
            self.flush();
            match event {
                ClientEvent::Delivered(outcome) => self.outcomes.push(outcome),
                other => return other,
            }
        }
    }

    /// The server sends `bytes`; returns what the client wrote in response.
    pub fn server(&mut self, bytes: &str) -> String {
        self.client.feed(bytes.as_bytes());
        self.pump();
        self.take_written()
    }

    pub fn take_written(&mut self) -> String {
        String::from_utf8(std::mem::take(&mut self.written)).unwrap()
    }

    /// Greeting plus an EHLO reply with `extensions` (one per line).
    pub fn connect(&mut self, extensions: &[&str]) {
        assert_eq!(self.server("220 mx.test ESMTP\r\n"), "EHLO client.test\r\n");
        let mut reply = String::new();
        let mut lines = vec!["mx.test Hello"];
        lines.extend_from_slice(extensions);
        for (i, line) in lines.iter().enumerate() {
            let sep = if i + 1 == lines.len() { ' ' } else { '-' };
            reply.push_str(&format!("250{sep}{line}\r\n"));
        }
        assert_eq!(self.server(&reply), "");
        assert_eq!(self.pump(), ClientEvent::Ready);
    }

    /// Sends a message and returns the client's writes.
    pub fn send(&mut self, msg: OutboundMessage) -> String {
        self.client.send(msg).unwrap();
        self.pump();
        self.take_written()
    }

    pub fn last_outcome(&self) -> &MessageOutcome {
        self.outcomes.last().unwrap()
    }
}
