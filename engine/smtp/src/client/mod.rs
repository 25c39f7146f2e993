//! The SMTP client: a sans-I/O state machine that delivers messages over one connection.
//!
//! The delivery runtime owns the socket, TLS and the clock; this module owns every protocol
//! decision, so it can be tested with scripted server replies. The loop:
//!
//! 1. Connect, then [`Client::new`] (it waits for the `220` greeting).
//! 2. Call [`Client::poll`] and act on the [`ClientEvent`], always flushing
//!    [`Client::output`] first (write, [`Client::consume_output`], until it is empty):
//!    * `NeedInput`: read with [`Client::timeout`] and [`Client::feed`] the bytes (or call
//!      [`Client::connection_lost`] on EOF / error, [`Client::timed_out`] on timeout);
//!    * `StartTls`: run the TLS handshake, then [`Client::tls_established`] or
//!      [`Client::tls_failed`];
//!    * `Ready`: [`Client::send`] the next message or [`Client::quit`];
//!    * `Delivered`: record the per-recipient outcome and poll again;
//!    * `Closed`: close the socket. If [`Client::connection_failure`] is `Some`, it is the
//!      result for every message that was meant for this connection but never sent.
//!
//! `Ready` and `StartTls` are states, not one-shot notifications: polling again without
//! answering returns them again. `Delivered` is returned once per message.
//!
//! **Determinism.** Replies are only read while one is expected, and in order, so the events
//! depend only on the server's byte stream, never on how it was split into reads (property
//! tested). The exception is STARTTLS: bytes buffered behind the `220` are discarded (a
//! man in the middle could have injected them before the handshake; CVE-2011-0411).
//!
//! Decisions, with their reasons, are documented where they are made: connection set-up and
//! failures in this file, the mail transaction (pipelining, RSET, refusals) in
//! `transaction.rs`, DATA encoding in `dot.rs`, reply parsing and limits in `reply.rs`.

mod capabilities;
mod config;
mod dot;
mod reply;
mod transaction;

use std::time::Duration;

pub use capabilities::Capabilities;
pub use config::{ClientConfig, ClientTimeouts, OutboundMessage, TlsPolicy};
pub use reply::{
    DeliveryResult, MessageOutcome, RecipientOutcome, ServerReply, MAX_REPLY_LINE, MAX_REPLY_LINES,
};

use reply::{Read, ReplyReader};
use transaction::{BodySender, Transaction};

/// What the runtime must do next; see the module docs for the loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// Flush [`Client::output`], read, then [`Client::feed`].
    NeedInput,
    /// Flush [`Client::output`] (the STARTTLS command is already answered), run the TLS
    /// handshake, then call [`Client::tls_established`] or [`Client::tls_failed`].
    StartTls,
    /// Idle between transactions: [`Client::send`] a message or [`Client::quit`].
    Ready,
    /// A message is finished; per-recipient results in the order of its recipients.
    Delivered(MessageOutcome),
    /// The conversation is over: flush what is left in [`Client::output`] if the socket is
    /// still writable (at most a few commands; never needed for correctness), then close it.
    /// Every message handed to [`Client::send`] has had its `Delivered`.
    Closed {
        /// Why, for logs ("QUIT" on a normal end).
        reason: String,
    },
}

/// Misuse of the client by the runtime (never a server problem: those become outcomes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClientError {
    /// `send` was called while the client was not `Ready`.
    #[error("the SMTP client is not ready for a message")]
    NotReady,
    /// A message without recipients cannot start a transaction.
    #[error("a message needs at least one recipient")]
    NoRecipients,
    /// An address contained CR, LF, NUL or angle brackets, which would corrupt (or inject)
    /// commands.
    #[error("address cannot be sent in an SMTP command: {0:?}")]
    InvalidAddress(String),
}

/// Where the conversation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Greeting,
    Ehlo,
    Helo,
    StartTls,
    TlsHandshake,
    Ready,
    Transaction,
    Quit,
    Closed,
}

/// How much dot-stuffed body is queued at a time. Unlimited: the whole message is queued on
/// `354`, because the runtime writes [`Client::output`] with one `write_all` per event and
/// then reads; with smaller blocks it would wait for a reply to data it never sent. The
/// stuffer and [`Client::consume_output`] already support blocks (bounded memory per
/// connection) for a runtime that flushes until the output is empty.
const BODY_BLOCK: usize = usize::MAX;

/// One SMTP client connection. See the module docs for the driving loop.
#[derive(Debug)]
pub struct Client {
    config: ClientConfig,
    timeouts: ClientTimeouts,
    reader: ReplyReader,
    out: Vec<u8>,
    /// Bytes of `out` already written.
    out_pos: usize,
    phase: Phase,
    caps: Capabilities,
    tls: bool,
    txn: Option<Transaction>,
    body: Option<BodySender>,
    outcomes: std::collections::VecDeque<MessageOutcome>,
    /// The last transaction did not end with a reply to the end of data: RSET before MAIL.
    dirty: bool,
    quit_requested: bool,
    failure: Option<DeliveryResult>,
    close_reason: Option<String>,
    retry_without_tls: bool,
}

impl Client {
    /// A client for a freshly connected socket, with the RFC 5321 default timeouts.
    pub fn new(config: ClientConfig) -> Client {
        Client::with_timeouts(config, ClientTimeouts::default())
    }

    /// A client with custom timeouts (tests, or operators with impatient destinations).
    pub fn with_timeouts(config: ClientConfig, timeouts: ClientTimeouts) -> Client {
        Client {
            config,
            timeouts,
            reader: ReplyReader::default(),
            out: Vec::with_capacity(512),
            out_pos: 0,
            phase: Phase::Greeting,
            caps: Capabilities::default(),
            tls: false,
            txn: None,
            body: None,
            outcomes: std::collections::VecDeque::new(),
            dirty: false,
            quit_requested: false,
            failure: None,
            close_reason: None,
            retry_without_tls: false,
        }
    }

    /// Appends bytes read from the server; nothing is processed until [`Client::poll`].
    pub fn feed(&mut self, bytes: &[u8]) {
        self.reader.feed(bytes);
    }

    /// Processes buffered replies until the runtime has to act; see the module docs.
    pub fn poll(&mut self) -> ClientEvent {
        loop {
            if let Some(outcome) = self.outcomes.pop_front() {
                return ClientEvent::Delivered(outcome);
            }
            match self.phase {
                Phase::Closed => {
                    return ClientEvent::Closed {
                        reason: self.close_reason.clone().unwrap_or_else(|| "QUIT".into()),
                    }
                }
                Phase::TlsHandshake => return ClientEvent::StartTls,
                Phase::Ready if self.quit_requested => {
                    self.write_command("QUIT");
                    self.phase = Phase::Quit;
                    continue;
                }
                Phase::Ready => return ClientEvent::Ready,
                // The reply to the end of data cannot come before the data has been sent.
                Phase::Transaction if self.body.is_some() => return ClientEvent::NeedInput,
                _ => {}
            }
            match self.reader.next() {
                Read::Incomplete => return ClientEvent::NeedInput,
                Read::Error(e) => self.protocol_error(&e),
                Read::Reply(code, lines) => self.reply(code, &lines),
            }
        }
    }

    /// The bytes to write to the socket (commands, then message data in blocks).
    pub fn output(&self) -> &[u8] {
        &self.out[self.out_pos..]
    }

    /// Marks the first `n` bytes of [`Client::output`] as written (any further block of
    /// message data would be produced here when the output runs low).
    pub fn consume_output(&mut self, n: usize) {
        self.out_pos = self.out_pos.saturating_add(n).min(self.out.len());
        if self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        if self.body.is_some() && self.out.len() - self.out_pos < (64 << 10) {
            self.fill_body();
        }
    }

    /// The TLS handshake succeeded: forget the plain-text capabilities and EHLO again
    /// (RFC 3207 §4.2).
    pub fn tls_established(&mut self) {
        if self.phase != Phase::TlsHandshake {
            return;
        }
        self.tls = true;
        self.caps = Capabilities::default();
        self.reader.clear();
        self.send_ehlo();
    }

    /// The TLS handshake failed; the connection is unusable. With `Required` the messages
    /// are deferred; with `Opportunistic` [`Client::retry_without_tls`] tells the runtime to
    /// reconnect with [`TlsPolicy::Disabled`], since a server with broken TLS usually still
    /// accepts mail in plain text.
    pub fn tls_failed(&mut self) {
        if self.phase != Phase::TlsHandshake {
            return;
        }
        if self.config.tls_policy == TlsPolicy::Required {
            self.close_now(
                DeliveryResult::temp("TLS required but the handshake failed"),
                "TLS handshake failed",
            );
        } else {
            self.retry_without_tls = true;
            self.close_now(
                DeliveryResult::temp("TLS handshake failed"),
                "TLS handshake failed; retry without STARTTLS",
            );
        }
        self.discard_output();
    }

    /// Starts a transaction for `msg`; only valid after `Ready`.
    ///
    /// Messages the server is known to refuse are answered at once without a round trip
    /// (the next `poll` returns their `Delivered`): a size above the advertised SIZE limit
    /// gets a synthesized `552 5.3.4` (RFC 1870 §6), SMTPUTF8 content for a server without
    /// SMTPUTF8 a synthesized `553 5.6.7` (RFC 6531 §3.2 forbids sending it; there is no
    /// downgrade).
    pub fn send(&mut self, msg: OutboundMessage) -> Result<(), ClientError> {
        if self.phase != Phase::Ready || self.quit_requested || !self.outcomes.is_empty() {
            return Err(ClientError::NotReady);
        }
        if msg.recipients.is_empty() {
            return Err(ClientError::NoRecipients);
        }
        if let Some(a) = std::iter::once(&msg.mail_from)
            .chain(&msg.recipients)
            .find(|a| {
                a.bytes()
                    .any(|b| matches!(b, b'\r' | b'\n' | 0 | b'<' | b'>'))
            })
        {
            return Err(ClientError::InvalidAddress(a.clone()));
        }
        self.start_transaction(msg);
        Ok(())
    }

    /// Ends the conversation politely with QUIT once the current step is done (at once when
    /// `Ready`); `poll` then returns `Closed` after the server's `221`.
    pub fn quit(&mut self) {
        if self.phase != Phase::Closed {
            self.quit_requested = true;
        }
    }

    /// The RFC 5321 §4.5.3.2 timeout for what the client is waiting for now.
    pub fn timeout(&self) -> Duration {
        let t = &self.timeouts;
        match self.phase {
            Phase::Greeting => t.greeting,
            Phase::Ehlo | Phase::Helo | Phase::StartTls | Phase::TlsHandshake => t.ehlo,
            Phase::Transaction => self.transaction_timeout(),
            Phase::Ready | Phase::Quit | Phase::Closed => t.mail,
        }
    }

    /// The current timeout expired. The message in flight (if any) is deferred with reason
    /// "timeout" and the connection is closed without QUIT: the server is not answering.
    pub fn timed_out(&mut self) {
        match self.phase {
            Phase::Closed => {}
            Phase::Quit => self.phase = Phase::Closed,
            _ => self.close_now(DeliveryResult::temp("timeout"), "timeout"),
        }
        self.discard_output();
    }

    /// The socket reached EOF or failed. The message in flight is deferred with reason
    /// "connection lost". After QUIT this is the normal end.
    pub fn connection_lost(&mut self) {
        match self.phase {
            Phase::Closed => {}
            Phase::Quit => self.phase = Phase::Closed,
            _ => self.close_now(DeliveryResult::temp("connection lost"), "connection lost"),
        }
        self.discard_output();
    }

    /// The server's extensions from its last EHLO reply.
    pub fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    /// Whether the conversation runs over TLS.
    pub fn tls(&self) -> bool {
        self.tls
    }

    /// Why this connection could not (or can no longer) take messages, as the result for
    /// every message that was meant for it but not handed to [`Client::send`]. `None` while
    /// the connection is usable and after a normal QUIT.
    ///
    /// Every failure before the first transaction is temporary, even a `554` greeting or a
    /// `5xx` to HELO: RFC 5321 §3.1 lets a server refuse service to one client, which says
    /// nothing about the recipients, and another MX or a later attempt may succeed (the
    /// resend period ends it eventually, SPEC §5).
    pub fn connection_failure(&self) -> Option<&DeliveryResult> {
        self.failure.as_ref()
    }

    /// After `Closed`: the TLS handshake failed under the `Opportunistic` policy and the
    /// runtime should reconnect with [`TlsPolicy::Disabled`].
    pub fn retry_without_tls(&self) -> bool {
        self.retry_without_tls
    }

    /// Whether the conversation is over (`poll` returns `Closed` once outcomes are drained).
    pub fn is_closed(&self) -> bool {
        self.phase == Phase::Closed
    }

    /// The socket is unusable: nothing queued will ever be written.
    fn discard_output(&mut self) {
        self.body = None;
        self.out.clear();
        self.out_pos = 0;
    }

    fn write_command(&mut self, command: &str) {
        if self.out_pos > 0 {
            self.out.drain(..self.out_pos);
            self.out_pos = 0;
        }
        self.out.extend_from_slice(command.as_bytes());
        self.out.extend_from_slice(b"\r\n");
    }

    fn send_ehlo(&mut self) {
        let command = format!("EHLO {}", self.config.helo_name);
        self.write_command(&command);
        self.phase = Phase::Ehlo;
    }

    /// Dispatches one complete reply by phase.
    fn reply(&mut self, code: u16, lines: &[String]) {
        let reply = ServerReply::from_lines(code, lines);
        // RFC 5321 §3.8: 421 means the server is closing the channel; sending QUIT would be
        // pointless, and everything unfinished is deferred.
        if code == 421 && self.phase != Phase::Quit {
            let reason = format!("server closing: {reply}");
            self.close_now(
                DeliveryResult::TempFail {
                    reply: Some(reply),
                    reason: "service not available".into(),
                },
                &reason,
            );
            return;
        }
        match self.phase {
            Phase::Greeting if code == 220 => self.send_ehlo(),
            Phase::Greeting => self.fail_and_quit(&reply, "greeting"),
            Phase::Ehlo if reply.is_success() => {
                self.caps = Capabilities::from_ehlo(lines);
                self.after_hello();
            }
            // RFC 5321 §3.2: a server that does not know EHLO answers 5xx; fall back to HELO.
            Phase::Ehlo if reply.is_permanent() => {
                let command = format!("HELO {}", self.config.helo_name);
                self.write_command(&command);
                self.phase = Phase::Helo;
            }
            Phase::Ehlo => self.fail_and_quit(&reply, "EHLO"),
            Phase::Helo if reply.is_success() => {
                self.caps = Capabilities::default();
                self.after_hello();
            }
            Phase::Helo => self.fail_and_quit(&reply, "HELO"),
            Phase::StartTls if code == 220 => {
                self.reader.clear();
                self.phase = Phase::TlsHandshake;
            }
            Phase::StartTls if self.config.tls_policy == TlsPolicy::Required => {
                self.fail_and_quit(&reply, "STARTTLS (TLS required)");
            }
            // RFC 3207 §4: after a refused STARTTLS the client may go on in plain text.
            Phase::StartTls => self.phase = Phase::Ready,
            Phase::Transaction => self.transaction_reply(reply),
            Phase::Quit => self.phase = Phase::Closed,
            Phase::TlsHandshake | Phase::Ready | Phase::Closed => {}
        }
    }

    /// After a successful EHLO/HELO: STARTTLS if possible, enforce the TLS policy, or go idle.
    fn after_hello(&mut self) {
        let policy = self.config.tls_policy;
        if self.tls {
            self.phase = Phase::Ready;
        } else if self.caps.starttls && policy != TlsPolicy::Disabled && self.config.tls_available {
            self.write_command("STARTTLS");
            self.phase = Phase::StartTls;
        } else if policy == TlsPolicy::Required {
            self.failure = Some(DeliveryResult::temp("TLS required but not available"));
            self.close_reason = Some("TLS required but not available".into());
            self.write_command("QUIT");
            self.phase = Phase::Quit;
        } else {
            self.phase = Phase::Ready;
        }
    }

    /// A refusal before any transaction: record it for the unsent messages, QUIT politely
    /// (RFC 5321 §3.1 asks for QUIT even after a `554` greeting).
    fn fail_and_quit(&mut self, reply: &ServerReply, stage: &str) {
        let reason = format!("{stage} refused: {reply}");
        self.failure = Some(DeliveryResult::TempFail {
            reply: Some(reply.clone()),
            reason: format!("{stage} refused"),
        });
        self.close_reason = Some(reason);
        self.write_command("QUIT");
        self.phase = Phase::Quit;
    }

    /// The server spoke something other than SMTP: nothing it says can be trusted any more,
    /// so defer everything and drop the connection without QUIT.
    fn protocol_error(&mut self, error: &str) {
        if self.phase == Phase::Quit {
            self.phase = Phase::Closed;
            return;
        }
        let reason = format!("protocol error: {error}");
        self.close_now(DeliveryResult::temp(reason.clone()), &reason);
    }

    /// Closes at once: the message in flight gets `result` for every recipient without a
    /// verdict yet, and so do the messages never sent ([`Client::connection_failure`]).
    fn close_now(&mut self, result: DeliveryResult, reason: &str) {
        if let Some(txn) = self.txn.take() {
            self.outcomes.push_back(txn.finish_with(&result));
        }
        // Stop producing DATA, but leave commands already queued: the runtime flushes them
        // before it sees `Closed`, so what reaches the wire does not depend on read timing.
        self.body = None;
        self.failure = Some(result);
        self.close_reason = Some(reason.to_owned());
        self.phase = Phase::Closed;
    }
}
