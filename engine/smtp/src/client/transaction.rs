//! One mail transaction: RSET?, MAIL, RCPT..., DATA, body, and the per-recipient verdicts.
//!
//! Decisions, with their reasons:
//!
//! * **Pipelining** (RFC 2920): when offered, `[RSET] MAIL RCPT... DATA` go out in one write
//!   and the replies are matched in order; otherwise one command per round trip, stopping
//!   early (no RCPT after a failed MAIL, no DATA when no RCPT was accepted).
//! * **MAIL refused**: every recipient gets the MAIL verdict (4xx deferred, 5xx failed); the
//!   pipelined RCPT replies (usually `503`) are read and ignored.
//! * **No recipient accepted but DATA got `354`** (possible when pipelined, as the server
//!   cannot know the client gave up): RFC 2920 §3.1 says the client "should send a single
//!   dot", so we send `.` CRLF (an empty message to nobody) and keep the RCPT verdicts.
//! * **DATA refused** (non-354): the accepted recipients get the DATA verdict.
//! * **Final reply**: 2xx delivers every recipient accepted at RCPT, 4xx defers and 5xx fails
//!   them; recipients refused at RCPT keep their own verdict.
//! * **RSET between messages**: RFC 5321 §4.1.1.4 ends the transaction with the reply to the
//!   end of data, whatever its code, so after that no RSET is needed. After any other end
//!   (MAIL refused, no recipient, DATA refused, the single dot) the server's state is less
//!   certain, so the next transaction starts with RSET (pipelined in front of MAIL when
//!   possible, which costs no round trip). A reply to RSET other than 421 is ignored: the
//!   MAIL reply that follows tells whether the server is usable.
//! * **8-bit without 8BITMIME**: sent as is without `BODY=`, as deployed MTAs do; no
//!   7-bit downgrade is attempted.
//! * **CHUNKING** (RFC 3030) is used when the server offers it together with PIPELINING:
//!   `[RSET] MAIL RCPT... BDAT <n> LAST` and the body go out in one write, so a message
//!   costs one round trip instead of two (DATA must wait for its `354` before the body).
//!   The server reads the chunk whatever the MAIL/RCPT verdicts (RFC 3030 §2), so the
//!   stream stays in step; the BDAT reply is the end-of-data verdict for the recipients
//!   accepted at RCPT. The body is sent as stored, after the same line-ending normalization
//!   as DATA (bare CR or LF become CRLF, a final CRLF is added when missing), with no dot
//!   stuffing. Without PIPELINING, DATA is used: BDAT would cost the same round trips.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use super::dot::DotStuffer;
use super::{
    Client, DeliveryResult, MessageOutcome, OutboundMessage, Phase, RecipientOutcome, ServerReply,
    BODY_BLOCK,
};

/// The reply the client is waiting for, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Rset,
    Mail,
    Rcpt(usize),
    Data,
    /// The reply to the end of data; `aborted` after the RFC 2920 single dot.
    EndOfData {
        aborted: bool,
    },
    /// The reply to `BDAT <n> LAST` (the whole body in one chunk).
    BdatLast,
}

/// The message body being written, a block at a time.
#[derive(Debug)]
pub(super) struct BodySender {
    body: Arc<[u8]>,
    stuffer: DotStuffer,
}

/// A transaction in flight.
#[derive(Debug)]
pub(super) struct Transaction {
    msg: OutboundMessage,
    /// Verdicts so far; `None` for recipients accepted at RCPT (or not answered yet).
    results: Vec<Option<DeliveryResult>>,
    accepted: Vec<bool>,
    /// The MAIL verdict when it was refused.
    mail_refused: Option<DeliveryResult>,
    expect: VecDeque<Expect>,
    pipelined: bool,
}

impl Transaction {
    fn any_accepted(&self) -> bool {
        self.mail_refused.is_none() && self.accepted.iter().any(|&a| a)
    }

    /// Gives every accepted recipient `result`.
    fn resolve_accepted(&mut self, result: &DeliveryResult) {
        for (slot, _) in self
            .results
            .iter_mut()
            .zip(&self.accepted)
            .filter(|(_, &accepted)| accepted)
        {
            *slot = Some(result.clone());
        }
    }

    /// The outcome, with `fallback` for every recipient without a verdict.
    pub(super) fn finish_with(self, fallback: &DeliveryResult) -> MessageOutcome {
        let Transaction {
            msg,
            results,
            mail_refused,
            ..
        } = self;
        MessageOutcome {
            recipients: msg
                .recipients
                .into_iter()
                .zip(results)
                .map(|(recipient, result)| RecipientOutcome {
                    recipient,
                    result: mail_refused
                        .clone()
                        .or(result)
                        .unwrap_or_else(|| fallback.clone()),
                })
                .collect(),
        }
    }
}

/// Whether the message needs the SMTPUTF8 extension.
fn needs_smtputf8(msg: &OutboundMessage) -> bool {
    msg.smtputf8 || !msg.mail_from.is_ascii() || msg.recipients.iter().any(|r| !r.is_ascii())
}

impl Client {
    pub(super) fn start_transaction(&mut self, msg: OutboundMessage) {
        let caps = &self.caps;
        let refusal = match caps.size {
            Some(limit) if limit > 0 && msg.size as u64 > limit => Some(ServerReply::new(
                552,
                Some("5.3.4"),
                format!(
                    "Message size {} exceeds the server's limit of {limit} (client check)",
                    msg.size
                ),
            )),
            _ if needs_smtputf8(&msg) && !caps.smtputf8 => Some(ServerReply::new(
                553,
                Some("5.6.7"),
                "The server does not support SMTPUTF8 required by this message (client check)",
            )),
            _ => None,
        };
        if let Some(reply) = refusal {
            let result = DeliveryResult::PermFail { reply };
            self.outcomes
                .push_back(MessageOutcome::all(&msg.recipients, &result));
            return;
        }

        let chunking = caps.chunking && caps.esmtp && self.config.chunking;
        let n = msg.recipients.len();
        let mut txn = Transaction {
            results: vec![None; n],
            accepted: vec![false; n],
            mail_refused: None,
            expect: VecDeque::with_capacity(n + 3),
            pipelined: caps.pipelining,
            msg,
        };
        if std::mem::replace(&mut self.dirty, true) {
            self.write_command("RSET");
            txn.expect.push_back(Expect::Rset);
        }
        if txn.pipelined || txn.expect.is_empty() {
            let mail = self.mail_command(&txn.msg);
            self.write_command(&mail);
            txn.expect.push_back(Expect::Mail);
        }
        if txn.pipelined {
            for (i, recipient) in txn.msg.recipients.iter().enumerate() {
                self.write_command(&format!("RCPT TO:<{recipient}>"));
                txn.expect.push_back(Expect::Rcpt(i));
            }
            if chunking {
                let head = bdat_body(&txn.msg.head);
                let body = bdat_body(&txn.msg.body);
                self.write_command(&format!("BDAT {} LAST", head.len() + body.len()));
                self.out.extend_from_slice(&head);
                self.out.extend_from_slice(&body);
                txn.expect.push_back(Expect::BdatLast);
            } else {
                self.write_command("DATA");
                txn.expect.push_back(Expect::Data);
            }
        }
        self.txn = Some(txn);
        self.phase = Phase::Transaction;
    }

    /// Handles the reply to the oldest outstanding command (421 is handled by the caller).
    pub(super) fn transaction_reply(&mut self, reply: ServerReply) {
        let Some(mut txn) = self.txn.take() else {
            return self.protocol_error("reply outside a transaction");
        };
        let Some(expect) = txn.expect.pop_front() else {
            self.txn = Some(txn);
            return self.protocol_error("unexpected reply");
        };
        // What to send next without pipelining; `None` = the transaction is over.
        let mut next: Option<String> = None;
        match expect {
            Expect::Rset => {
                if !txn.pipelined {
                    next = Some(self.mail_command(&txn.msg));
                    txn.expect.push_back(Expect::Mail);
                }
            }
            Expect::Mail => {
                if !reply.is_success() {
                    txn.mail_refused = Some(DeliveryResult::refused(&reply, "MAIL FROM"));
                } else if !txn.pipelined {
                    next = Some(format!("RCPT TO:<{}>", txn.msg.recipients[0]));
                    txn.expect.push_back(Expect::Rcpt(0));
                }
            }
            Expect::Rcpt(i) => {
                if txn.mail_refused.is_none() {
                    if reply.is_success() {
                        txn.accepted[i] = true;
                    } else {
                        txn.results[i] = Some(DeliveryResult::refused(&reply, "RCPT TO"));
                    }
                }
                if !txn.pipelined {
                    if i + 1 < txn.msg.recipients.len() {
                        next = Some(format!("RCPT TO:<{}>", txn.msg.recipients[i + 1]));
                        txn.expect.push_back(Expect::Rcpt(i + 1));
                    } else if txn.any_accepted() {
                        next = Some("DATA".to_owned());
                        txn.expect.push_back(Expect::Data);
                    }
                }
            }
            Expect::Data if reply.code == 354 => {
                if txn.any_accepted() {
                    // Stuffing adds one byte per dot line, plus the final CRLF . CRLF.
                    let body = &txn.msg.body;
                    self.out
                        .reserve(txn.msg.head.len() + body.len() + body.len() / 64 + 5);
                    push_head(&mut self.out, &txn.msg.head);
                    self.body = Some(BodySender {
                        body: Arc::clone(&txn.msg.body),
                        stuffer: DotStuffer::new(),
                    });
                    self.fill_body();
                    txn.expect.push_back(Expect::EndOfData { aborted: false });
                } else {
                    self.out.extend_from_slice(b".\r\n");
                    txn.expect.push_back(Expect::EndOfData { aborted: true });
                }
            }
            Expect::Data => {
                txn.resolve_accepted(&DeliveryResult::refused(&reply, "DATA"));
            }
            // Nobody accepted: the refusal of the chunk is expected, recipients keep their
            // RCPT verdicts, and the next transaction starts with RSET.
            Expect::BdatLast if txn.any_accepted() => {
                txn.resolve_accepted(&final_result(&reply, "BDAT"));
                self.dirty = false;
            }
            Expect::BdatLast => {}
            Expect::EndOfData { aborted: false } => {
                txn.resolve_accepted(&final_result(&reply, "end of data"));
                self.dirty = false;
            }
            Expect::EndOfData { aborted: true } => {}
        }
        if let Some(command) = next {
            self.write_command(&command);
        }
        if txn.expect.is_empty() {
            let outcome = txn.finish_with(&DeliveryResult::TempFail {
                reply: Some(reply),
                reason: "no verdict from the server".into(),
            });
            self.outcomes.push_back(outcome);
            self.phase = Phase::Ready;
        } else {
            self.txn = Some(txn);
        }
    }

    /// `MAIL FROM:<...>` with the ESMTP parameters the server understands: SIZE (RFC 1870),
    /// BODY=8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531; refused earlier when not offered).
    fn mail_command(&self, msg: &OutboundMessage) -> String {
        let caps = &self.caps;
        let mut mail = format!("MAIL FROM:<{}>", msg.mail_from);
        if caps.esmtp {
            if caps.size.is_some() {
                let _ = write!(mail, " SIZE={}", msg.size);
            }
            if msg.eight_bit && caps.eight_bit_mime {
                mail.push_str(" BODY=8BITMIME");
            }
            if needs_smtputf8(msg) {
                mail.push_str(" SMTPUTF8");
            }
        }
        mail
    }

    /// Tops up the output with the next block of dot-stuffed body.
    pub(super) fn fill_body(&mut self) {
        let Some(sender) = self.body.as_mut() else {
            return;
        };
        if self.out_pos > 0 {
            self.out.drain(..self.out_pos);
            self.out_pos = 0;
        }
        if sender.stuffer.fill(&sender.body, &mut self.out, BODY_BLOCK) {
            self.body = None;
        }
    }

    pub(super) fn transaction_timeout(&self) -> Duration {
        let t = &self.timeouts;
        match self.txn.as_ref().and_then(|txn| txn.expect.front()) {
            Some(Expect::Rcpt(_)) => t.rcpt,
            Some(Expect::Data) => t.data_init,
            Some(Expect::EndOfData { .. }) if self.body.is_some() || !self.output().is_empty() => {
                t.data_block
            }
            Some(Expect::EndOfData { .. } | Expect::BdatLast) if !self.output().is_empty() => {
                t.data_block
            }
            Some(Expect::EndOfData { .. } | Expect::BdatLast) => t.data_end,
            Some(Expect::Rset | Expect::Mail) | None => t.mail,
        }
    }
}

/// The verdict of the reply that ends a transaction, for the recipients accepted at RCPT.
fn final_result(reply: &ServerReply, stage: &str) -> DeliveryResult {
    if reply.is_success() {
        DeliveryResult::Delivered {
            reply: reply.clone(),
        }
    } else {
        DeliveryResult::refused(reply, stage)
    }
}

/// The body as one BDAT chunk: as stored when its line endings are all CRLF and it ends with
/// one (what intake stores), else a normalized copy (see the module docs).
/// The per-transaction header lines, dot-stuffed (they are ours and never start with a dot,
/// but the stream must stay sound whatever they hold). They end with CRLF, so the body's
/// stuffing starts at the beginning of a line.
fn push_head(out: &mut Vec<u8>, head: &[u8]) {
    for line in head.split_inclusive(|b| *b == b'\n') {
        if super::dot::needs_stuffing(line) {
            out.push(b'.');
        }
        out.extend_from_slice(line);
    }
}

fn bdat_body(body: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    let mut ends = memchr::memchr2_iter(b'\r', b'\n', body);
    let mut clean = body.is_empty() || body.ends_with(b"\r\n");
    while clean {
        match ends.next() {
            None => break,
            Some(i) if body[i] == b'\r' && body.get(i + 1) == Some(&b'\n') => {
                ends.next();
            }
            Some(_) => clean = false,
        }
    }
    if clean {
        return std::borrow::Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len() + body.len() / 32 + 2);
    let mut rest = body;
    while let Some(i) = memchr::memchr2(b'\r', b'\n', rest) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(b"\r\n");
        let skip = if rest[i] == b'\r' && rest.get(i + 1) == Some(&b'\n') {
            2
        } else {
            1
        };
        rest = &rest[i + skip..];
    }
    out.extend_from_slice(rest);
    if !out.is_empty() && !out.ends_with(b"\r\n") {
        out.extend_from_slice(b"\r\n");
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::bdat_body;

    #[test]
    fn bdat_bodies_are_normalized_only_when_needed() {
        let clean: &[u8] = b"a\r\nb\r\n";
        assert!(matches!(bdat_body(clean), std::borrow::Cow::Borrowed(_)));
        assert!(matches!(bdat_body(b""), std::borrow::Cow::Borrowed(_)));
        assert_eq!(&*bdat_body(b"a\nb\rc\r\n.d"), b"a\r\nb\r\nc\r\n.d\r\n");
        assert_eq!(&*bdat_body(b"x\r"), b"x\r\n");
        assert_eq!(&*bdat_body(b"\n\n"), b"\r\n\r\n");
    }
}
