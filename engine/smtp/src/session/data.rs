//! DATA and BDAT body receivers.
//!
//! Both feed a [`Body`], which applies the size limit and the bare-line-ending policy while
//! copying: runs of ordinary bytes are found with `memchr2` and copied in one go, only CR
//! and LF go through the state machine. The body is copied exactly once (input buffer to
//! body); the `Vec` then moves into the [`Transaction`].
//!
//! SMTP smuggling: DATA ends only at `CRLF . CRLF`. A bare LF or CR is never a line ending
//! for the purpose of finding the terminator or undoing dot-stuffing, whatever the policy,
//! so `<LF>.<LF>`, `<CR>.<CR>`, `<CRLF>.<LF>` and `<LF>.<CRLF>` stay message content.

use super::{BareLineEnding, Envelope, Event, Pending, Phase, Session, Transaction};
use crate::reply::{canned, Reply};

/// Largest buffer reserved up front from a client-declared size.
const MAX_PREALLOCATION: usize = 4 << 20;

/// Why a received body is refused once its end has been read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BodyError {
    TooBig,
    BareLineEnding,
}

/// A body being received, with its limit and policy.
#[derive(Debug)]
pub(super) struct Body {
    bytes: Vec<u8>,
    max: usize,
    policy: BareLineEnding,
    /// Set at the first violation; from then on bytes are only counted, not stored.
    error: Option<BodyError>,
    /// A CR was seen last and the next byte decides whether it is part of CRLF.
    pending_cr: bool,
}

impl Body {
    fn new(max: usize, policy: BareLineEnding, size_hint: usize) -> Body {
        Body {
            // Trust a declared size only up to a point: it is the client's claim, and idle
            // connections must not pin large buffers.
            bytes: Vec::with_capacity(size_hint.min(max).min(MAX_PREALLOCATION)),
            max,
            policy,
            error: None,
            pending_cr: false,
        }
    }

    fn fail(&mut self, error: BodyError) {
        if self.error.is_none() {
            self.error = Some(error);
            self.bytes = Vec::new();
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.error.is_some() || bytes.is_empty() {
            return;
        }
        if self.bytes.len() + bytes.len() > self.max {
            self.fail(BodyError::TooBig);
        } else {
            self.bytes.extend_from_slice(bytes);
        }
    }

    fn bare_line_ending(&mut self) {
        match self.policy {
            BareLineEnding::Normalize => self.push(b"\r\n"),
            BareLineEnding::Reject => self.fail(BodyError::BareLineEnding),
        }
    }

    /// Copies `input` (raw, no dot handling), resolving CR/LF pairs across calls.
    fn push_raw(&mut self, mut input: &[u8]) {
        while !input.is_empty() {
            if self.pending_cr {
                self.pending_cr = false;
                if input[0] == b'\n' {
                    self.push(b"\r\n");
                    input = &input[1..];
                } else {
                    self.bare_line_ending();
                }
                continue;
            }
            match memchr::memchr2(b'\r', b'\n', input) {
                None => {
                    self.push(input);
                    return;
                }
                Some(i) => {
                    self.push(&input[..i]);
                    if input[i] == b'\r' {
                        self.pending_cr = true;
                    } else {
                        self.bare_line_ending();
                    }
                    input = &input[i + 1..];
                }
            }
        }
    }

    /// The body is complete: a CR left dangling at the very end is bare.
    fn finish(mut self) -> Result<Vec<u8>, BodyError> {
        if self.pending_cr {
            self.pending_cr = false;
            self.bare_line_ending();
        }
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.bytes),
        }
    }
}

/// Where the DATA receiver stands relative to line starts (real CRLF only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DataState {
    /// Right after CRLF (or at the start of the body).
    LineStart,
    /// Inside a line.
    Mid,
    /// A `.` at a line start.
    Dot,
    /// `.` CR at a line start: LF would complete the terminator.
    DotCr,
}

/// Receives a DATA body up to `CRLF . CRLF`.
#[derive(Debug)]
pub(super) struct DataReceiver {
    state: DataState,
    body: Body,
}

impl DataReceiver {
    /// Consumes input; returns `Some(n)` when the terminator ends at `input[n - 1]`.
    fn ingest(&mut self, input: &[u8]) -> Option<usize> {
        let body = &mut self.body;
        let mut i = 0;
        while i < input.len() {
            match self.state {
                DataState::Mid => {
                    let rest = &input[i..];
                    if body.pending_cr {
                        // Only a CR pending inside a line can reach here.
                        body.pending_cr = false;
                        if rest[0] == b'\n' {
                            body.push(b"\r\n");
                            i += 1;
                            self.state = DataState::LineStart;
                        } else {
                            body.bare_line_ending();
                        }
                        continue;
                    }
                    match memchr::memchr2(b'\r', b'\n', rest) {
                        None => {
                            body.push(rest);
                            i = input.len();
                        }
                        Some(j) => {
                            body.push(&rest[..j]);
                            if rest[j] == b'\r' {
                                body.pending_cr = true;
                            } else {
                                body.bare_line_ending();
                            }
                            i += j + 1;
                        }
                    }
                }
                DataState::LineStart => {
                    if input[i] == b'.' {
                        i += 1;
                        self.state = DataState::Dot;
                    } else {
                        self.state = DataState::Mid;
                    }
                }
                DataState::Dot => {
                    // The dot at a line start is stuffing unless CRLF follows: drop it.
                    if input[i] == b'\r' {
                        i += 1;
                        self.state = DataState::DotCr;
                    } else {
                        self.state = DataState::Mid;
                    }
                }
                DataState::DotCr => {
                    if input[i] == b'\n' {
                        return Some(i + 1);
                    }
                    // `.` + bare CR: the dot was stuffing, the CR is content.
                    body.pending_cr = true;
                    self.state = DataState::Mid;
                }
            }
        }
        None
    }
}

/// Receives the octets of one BDAT chunk.
#[derive(Debug)]
pub(super) struct BdatReceiver {
    remaining: usize,
    size: usize,
    last: bool,
    /// The chunk is consumed only to stay in sync; the command was refused with this reply.
    refused: Option<Reply>,
}

impl Session {
    /// DATA: checks the envelope and switches to body reception.
    pub(super) fn data(&mut self, args: &str) -> Option<Event> {
        if !args.is_empty() {
            self.reply(canned::bad_arguments("DATA"));
            return None;
        }
        let refusal = match &self.envelope {
            Some(envelope) if envelope.bdat_body.is_some() => {
                Some(canned::bad_sequence("DATA not allowed after BDAT"))
            }
            _ => self.body_refusal(),
        };
        if let Some(reply) = refusal {
            self.reply(reply);
            return None;
        }
        let hint = self.envelope.as_ref().map_or(0, |e| e.size_hint);
        self.reply(canned::start_data());
        self.phase = Phase::Data(DataReceiver {
            state: DataState::LineStart,
            body: Body::new(
                self.config.max_message_size,
                self.config.bare_line_ending,
                hint,
            ),
        });
        None
    }

    /// BDAT <size> [LAST] (RFC 3030). A refused chunk is still read, otherwise its octets
    /// would be interpreted as commands.
    pub(super) fn bdat(&mut self, args: &str) {
        let mut words = args.split_ascii_whitespace();
        let size = words.next().and_then(|s| s.parse::<usize>().ok());
        let last = match words.next() {
            None => Some(false),
            Some(word) if word.eq_ignore_ascii_case("LAST") => Some(true),
            Some(_) => None,
        };
        let (Some(size), Some(last), None) = (size, last, words.next()) else {
            return self.reply(canned::bad_arguments("BDAT <size> [LAST]"));
        };
        let refused = self.body_refusal();
        if refused.is_none() {
            let (max, policy) = (self.config.max_message_size, self.config.bare_line_ending);
            if let Some(envelope) = &mut self.envelope {
                let hint = envelope.size_hint;
                envelope
                    .bdat_body
                    .get_or_insert_with(|| Body::new(max, policy, hint.max(size)));
            }
        }
        self.phase = Phase::Bdat(BdatReceiver {
            remaining: size,
            size,
            last,
            refused,
        });
    }

    /// Why DATA/BDAT cannot start now, if it cannot.
    fn body_refusal(&self) -> Option<Reply> {
        match &self.envelope {
            None if self.helo.is_none() => Some(canned::bad_sequence("Send EHLO/HELO first")),
            None => Some(canned::bad_sequence("Need MAIL command first")),
            Some(e) if e.recipients.is_empty() => {
                Some(canned::bad_sequence("Need RCPT command first"))
            }
            Some(_) => None,
        }
    }

    /// Feeds buffered input to the DATA receiver.
    pub(super) fn receive_data(&mut self) -> Option<Event> {
        let Phase::Data(receiver) = &mut self.phase else {
            return None;
        };
        let input = &self.input[self.pos..];
        match receiver.ingest(input) {
            None => {
                self.pos = self.input.len();
                None
            }
            Some(n) => {
                self.pos += n;
                let Phase::Data(receiver) = std::mem::replace(&mut self.phase, Phase::Command)
                else {
                    return None;
                };
                self.complete(receiver.body)
            }
        }
    }

    /// Feeds buffered input to the current BDAT chunk.
    pub(super) fn receive_bdat(&mut self) -> Option<Event> {
        let Phase::Bdat(receiver) = &mut self.phase else {
            return None;
        };
        let take = receiver.remaining.min(self.input.len() - self.pos);
        let chunk = &self.input[self.pos..self.pos + take];
        if receiver.refused.is_none() {
            if let Some(body) = self.envelope.as_mut().and_then(|e| e.bdat_body.as_mut()) {
                body.push_raw(chunk);
            }
        }
        self.pos += take;
        receiver.remaining -= take;
        if receiver.remaining > 0 {
            return None;
        }
        let Phase::Bdat(receiver) = std::mem::replace(&mut self.phase, Phase::Command) else {
            return None;
        };
        if let Some(reply) = receiver.refused {
            self.reply(reply);
            return None;
        }
        if !receiver.last {
            self.reply(canned::chunk_ok(receiver.size));
            return None;
        }
        let body = self.envelope.as_mut().and_then(|e| e.bdat_body.take())?;
        self.complete(body)
    }

    /// The body is complete: emit the transaction or refuse it and reset.
    fn complete(&mut self, body: Body) -> Option<Event> {
        let envelope = self.envelope.take().unwrap_or_default();
        let body = match body.finish() {
            Ok(body) => body,
            Err(error) => {
                self.reply(match error {
                    BodyError::TooBig => canned::message_too_big(),
                    BodyError::BareLineEnding => canned::bare_line_ending(),
                });
                return None;
            }
        };
        let Envelope {
            mail_from,
            recipients,
            smtputf8,
            eight_bit_mime,
            ..
        } = envelope;
        self.phase = Phase::Pending(Pending::Message);
        Some(Event::Message(Box::new(Transaction {
            helo: self.helo.clone().unwrap_or_default(),
            mail_from,
            recipients,
            body,
            smtputf8,
            eight_bit_mime,
            auth_user: self.auth_user.clone(),
            tls: self.tls,
        })))
    }
}
