//! The SMTP server session: a sans-I/O state machine.
//!
//! The I/O layer owns the socket and the clock; this module owns every protocol decision.
//! The loop is always the same:
//!
//! 1. [`Session::new`] queues the greeting; write [`Session::output`] to the socket.
//! 2. Call [`Session::poll`]. It processes buffered input, appending replies to the output,
//!    until it needs something from the outside and says so with an [`Event`].
//! 3. Flush the output, then act on the event: read and [`Session::feed`] on `NeedInput`,
//!    perform the TLS handshake and call [`Session::tls_established`] on `StartTls`, verify the
//!    credentials and call [`Session::auth_result`] on `Authenticate`, durably store the
//!    message and call [`Session::message_result`] on `Message`, close on `Close`.
//!
//! **Outstanding events.** After `StartTls`, `Authenticate` or `Message` the session waits
//! for the matching answer. Until it arrives `poll()` processes no input at all and returns
//! `NeedInput`; input fed meanwhile stays buffered (pipelined commands after DATA are then
//! answered in order once the message has been stored, which is what RFC 2920 requires).
//! Answers that do not match the outstanding event are ignored.
//!
//! **Determinism.** Every decision depends only on the byte stream and the answers, never on
//! how the stream was split into reads: feeding the same bytes in any chunking yields the same
//! output and events (property tested). The one intended exception is STARTTLS: bytes that
//! were already buffered behind the STARTTLS line are discarded (CVE-2011-0411), bytes read
//! after the handshake are not.
//!
//! Phases are one file each: [`command`] dispatches command lines (plus the small verbs),
//! [`ehlo`] greets, [`envelope`] handles MAIL/RCPT, [`auth`] runs SASL, [`data`] receives
//! DATA and BDAT bodies.

mod auth;
mod command;
mod data;
mod ehlo;
mod envelope;

use std::net::IpAddr;
use std::time::Duration;

use crate::address::Address;
use crate::reply::{canned, Reply};

use auth::SaslState;
use data::{BdatReceiver, Body, DataReceiver};

/// Longest command line, CRLF included (RFC 5321 §4.5.3.1.4, SPEC §3).
pub const MAX_COMMAND_LINE: usize = 1000;
/// Longest SASL response line (RFC 4954 §4 requires at least 12288 octets).
pub const MAX_SASL_LINE: usize = 12288;

/// What to do with a bare CR or bare LF inside a message body.
///
/// Either way a bare line ending never terminates a message, which is what defeats SMTP
/// smuggling; the choice is only about whether such messages are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BareLineEnding {
    /// Store each bare CR or LF as CRLF, so dot-stuffing on the next hop escapes any
    /// `.` line that followed it.
    Normalize,
    /// Read the message to its real terminator, then refuse it with `550 5.6.11`.
    Reject,
}

/// Who may submit mail on this listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// A relay listener: only authenticated API users or allow-listed source IPs may send,
    /// so the relay is never open (SPEC §3).
    Relay {
        /// The peer's address is in the listener's connection-IP list.
        ip_allowed: bool,
    },
    /// A receiving listener (bounces and inbound mail, SPEC §7): anyone may send, but only to
    /// the listed domains; other recipients get `550 5.7.1` so the listener is never a relay.
    Receive {
        /// Accepted recipient domains, lower-case.
        domains: Vec<String>,
    },
}

/// RFC 5321 §4.5.3.2 timeouts; the I/O layer asks [`Session::current_timeout`] which applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Waiting for a command (5 minutes).
    pub command: Duration,
    /// Waiting for the next block of message data (3 minutes).
    pub data_block: Duration,
    /// Budget for storing a received message before answering (10 minutes).
    pub data_end: Duration,
}

impl Default for Timeouts {
    fn default() -> Timeouts {
        Timeouts {
            command: Duration::from_secs(5 * 60),
            data_block: Duration::from_secs(3 * 60),
            data_end: Duration::from_secs(10 * 60),
        }
    }
}

/// Per-listener settings, fixed for the lifetime of a session.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Our name in the greeting, EHLO and 421 replies.
    pub hostname: String,
    /// Largest accepted body in bytes, advertised as `SIZE`; larger ones get `552 5.3.4`.
    pub max_message_size: usize,
    /// Recipients accepted per transaction; beyond it `452 4.5.3`.
    pub max_recipients: usize,
    /// The listener has a certificate and the connection is not TLS yet.
    pub starttls_available: bool,
    /// AUTH may be used without TLS (loopback listeners).
    pub plain_auth_allowed: bool,
    /// Policy for bare CR / LF in message bodies.
    pub bare_line_ending: BareLineEnding,
    /// Who may relay.
    pub access: Access,
    /// Timeouts per phase.
    pub timeouts: Timeouts,
}

/// A completed mail transaction, handed to the I/O layer to be stored durably.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transaction {
    /// The HELO/EHLO argument, for the `Received:` header.
    pub helo: String,
    /// The reverse-path; `None` is the null path `<>` (bounces).
    pub mail_from: Option<Address>,
    /// Accepted recipients in RCPT order.
    pub recipients: Vec<Address>,
    /// The body with CRLF line endings, dot-unstuffed, without the terminator.
    pub body: Vec<u8>,
    /// The client asked for SMTPUTF8 (`MAIL FROM ... SMTPUTF8`).
    pub smtputf8: bool,
    /// The client declared `BODY=8BITMIME`.
    pub eight_bit_mime: bool,
    /// The API user that authenticated, if any.
    pub auth_user: Option<String>,
    /// The message arrived over TLS.
    pub tls: bool,
}

/// What the session needs from the I/O layer next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// Flush [`Session::output`], read more bytes and [`Session::feed`] them.
    NeedInput,
    /// Flush the output (the `220` must go out in plain text), run the TLS handshake, then
    /// call [`Session::tls_established`].
    StartTls,
    /// Check these credentials, then call [`Session::auth_result`].
    Authenticate {
        /// The SASL authentication identity.
        username: String,
        /// The password as sent.
        password: String,
    },
    /// Store the message durably, then call [`Session::message_result`] with the reply.
    Message(Box<Transaction>),
    /// Flush the output and close the connection.
    Close,
}

/// What the session is doing with incoming bytes.
#[derive(Debug)]
enum Phase {
    Command,
    Sasl(SaslState),
    Data(DataReceiver),
    Bdat(BdatReceiver),
    Pending(Pending),
    Closed,
}

/// The event the session is waiting to be answered.
#[derive(Debug)]
enum Pending {
    StartTls,
    Auth { username: String },
    Message,
}

/// The envelope of the transaction in progress.
#[derive(Debug, Default)]
struct Envelope {
    mail_from: Option<Address>,
    recipients: Vec<Address>,
    smtputf8: bool,
    eight_bit_mime: bool,
    /// The `SIZE=` declared on MAIL, used to pre-size the body buffer.
    size_hint: usize,
    /// Body collected so far by BDAT chunks (`None` until the first BDAT).
    bdat_body: Option<Body>,
}

/// One SMTP server conversation. See the module docs for the driving loop.
#[derive(Debug)]
pub struct Session {
    config: SessionConfig,
    peer: IpAddr,
    input: Vec<u8>,
    /// Bytes of `input` already processed; compacted on the next `feed`.
    pos: usize,
    out: Vec<u8>,
    phase: Phase,
    /// Skipping the rest of an over-long line.
    discarding_line: bool,
    helo: Option<String>,
    tls: bool,
    auth_user: Option<String>,
    envelope: Option<Envelope>,
    shutting_down: bool,
}

/// Result of looking for the next line in the input.
enum Line {
    Incomplete,
    TooLong,
    /// A complete line without its line ending.
    Complete(Vec<u8>),
}

impl Session {
    /// Starts a session and queues the `220` greeting.
    pub fn new(config: SessionConfig, peer: IpAddr) -> Session {
        let mut session = Session {
            out: Vec::with_capacity(512),
            input: Vec::new(),
            pos: 0,
            phase: Phase::Command,
            discarding_line: false,
            helo: None,
            tls: false,
            auth_user: None,
            envelope: None,
            shutting_down: false,
            peer,
            config,
        };
        session.reply(canned::greeting(&session.config.hostname));
        session
    }

    /// Appends bytes read from the peer; nothing is processed until [`Session::poll`].
    pub fn feed(&mut self, input: &[u8]) {
        if self.pos > 0 {
            self.input.drain(..self.pos);
            self.pos = 0;
        }
        self.input.extend_from_slice(input);
    }

    /// Processes buffered input until an [`Event`] is needed; see the module docs.
    pub fn poll(&mut self) -> Event {
        loop {
            let event = match &mut self.phase {
                Phase::Closed => return Event::Close,
                Phase::Pending(_) => return Event::NeedInput,
                Phase::Command => match self.next_line(MAX_COMMAND_LINE) {
                    Line::Incomplete => return Event::NeedInput,
                    Line::TooLong => {
                        self.reply(canned::line_too_long());
                        None
                    }
                    Line::Complete(line) => self.command(&line),
                },
                Phase::Sasl(_) => match self.next_line(MAX_SASL_LINE) {
                    Line::Incomplete => return Event::NeedInput,
                    Line::TooLong => {
                        self.phase = Phase::Command;
                        self.reply(canned::line_too_long());
                        None
                    }
                    Line::Complete(line) => self.sasl_line(&line),
                },
                Phase::Data(_) => match self.receive_data() {
                    Some(event) => Some(event),
                    None if self.pos == self.input.len() => return Event::NeedInput,
                    None => None,
                },
                Phase::Bdat(_) => match self.receive_bdat() {
                    Some(event) => Some(event),
                    None if self.pos == self.input.len() => return Event::NeedInput,
                    None => None,
                },
            };
            if let Some(event) = event {
                return event;
            }
        }
    }

    /// The replies not yet written to the socket.
    pub fn output(&self) -> &[u8] {
        &self.out
    }

    /// Marks the first `n` bytes of [`Session::output`] as written.
    pub fn consume_output(&mut self, n: usize) {
        let n = n.min(self.out.len());
        self.out.drain(..n);
    }

    /// Takes all pending output at once, for callers that write whole buffers.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// The TLS handshake succeeded: RFC 3207 §4.2 requires forgetting everything learnt in
    /// plain text (EHLO, AUTH, transaction). Any input still buffered was sent before the
    /// handshake and is discarded so it cannot be replayed as if it came over TLS.
    pub fn tls_established(&mut self) {
        if !matches!(self.phase, Phase::Pending(Pending::StartTls)) {
            return;
        }
        self.input.clear();
        self.pos = 0;
        self.discarding_line = false;
        self.tls = true;
        self.helo = None;
        self.auth_user = None;
        self.envelope = None;
        self.phase = Phase::Command;
    }

    /// Answers an outstanding `Authenticate`.
    pub fn auth_result(&mut self, ok: bool) {
        let Phase::Pending(Pending::Auth { username }) = &mut self.phase else {
            return;
        };
        if ok {
            self.auth_user = Some(std::mem::take(username));
            self.phase = Phase::Command;
            self.reply(canned::auth_ok());
        } else {
            self.phase = Phase::Command;
            self.reply(canned::auth_failed());
        }
    }

    /// Answers an outstanding `Message` with the reply to send (`250` once stored durably,
    /// `451 4.3.0` if storing failed). The transaction ends either way; EHLO and AUTH stay.
    pub fn message_result(&mut self, reply: Reply) {
        if !matches!(self.phase, Phase::Pending(Pending::Message)) {
            return;
        }
        self.phase = Phase::Command;
        self.envelope = None;
        self.reply(reply);
    }

    /// The current timeout expired: say so with `421 4.4.2` and close.
    pub fn timed_out(&mut self) {
        if matches!(self.phase, Phase::Closed) {
            return;
        }
        self.reply(canned::timeout(&self.config.hostname));
        self.phase = Phase::Closed;
    }

    /// Starts a graceful shutdown. Between transactions the session closes now with
    /// `421 4.3.2`; otherwise the transaction in progress may finish and the first command
    /// received outside a transaction is answered with `421 4.3.2`.
    pub fn begin_shutdown(&mut self) {
        self.shutting_down = true;
        let idle = matches!(self.phase, Phase::Command | Phase::Sasl(_));
        if idle && self.envelope.is_none() {
            self.close_for_shutdown();
        }
    }

    /// The RFC 5321 §4.5.3.2 timeout for what the session is waiting for now.
    pub fn current_timeout(&self) -> Duration {
        let t = &self.config.timeouts;
        match self.phase {
            Phase::Data(_) | Phase::Bdat(_) => t.data_block,
            Phase::Pending(Pending::Message) => t.data_end,
            _ => t.command,
        }
    }

    /// Whether TLS has been established on this connection.
    pub fn is_tls(&self) -> bool {
        self.tls
    }

    /// The API user that authenticated, for logging and delivery tagging.
    pub fn authenticated_user(&self) -> Option<&str> {
        self.auth_user.as_deref()
    }

    /// The peer address the session was created for.
    pub fn peer(&self) -> IpAddr {
        self.peer
    }

    /// Whether the session has finished (QUIT, timeout, shutdown); `poll()` returns `Close`.
    pub fn is_closed(&self) -> bool {
        matches!(self.phase, Phase::Closed)
    }

    fn reply(&mut self, reply: Reply) {
        reply.write_to(&mut self.out);
    }

    fn close_for_shutdown(&mut self) {
        self.reply(Reply::shutting_down(&self.config.hostname));
        self.phase = Phase::Closed;
    }

    /// AUTH is advertised now: over TLS, or where the listener allows it in plain text.
    fn auth_offered(&self) -> bool {
        self.tls || self.config.plain_auth_allowed
    }

    /// STARTTLS is advertised now.
    fn starttls_offered(&self) -> bool {
        self.config.starttls_available && !self.tls
    }

    /// Finds the next line (LF-terminated, CR stripped) within `limit` octets including the
    /// line ending. A longer line is reported once, then skipped up to its LF, which keeps the
    /// result independent of how the input was split.
    fn next_line(&mut self, limit: usize) -> Line {
        let buffered = &self.input[self.pos..];
        if self.discarding_line {
            match memchr::memchr(b'\n', buffered) {
                Some(i) => {
                    self.pos += i + 1;
                    self.discarding_line = false;
                }
                None => {
                    self.pos = self.input.len();
                    return Line::Incomplete;
                }
            }
        }
        let buffered = &self.input[self.pos..];
        match memchr::memchr(b'\n', buffered) {
            Some(i) if i < limit => {
                let mut line = &buffered[..i];
                if let Some(stripped) = line.strip_suffix(b"\r") {
                    line = stripped;
                }
                let line = line.to_vec();
                self.pos += i + 1;
                Line::Complete(line)
            }
            Some(i) => {
                self.pos += i + 1;
                Line::TooLong
            }
            None if buffered.len() >= limit => {
                self.pos = self.input.len();
                self.discarding_line = true;
                Line::TooLong
            }
            None => Line::Incomplete,
        }
    }
}
