//! Server replies as the client sees them: the incremental reply reader and the per-recipient
//! results built from replies.
//!
//! The reader is deliberately strict about shape and lenient about content: every line must
//! start with a three-digit code in 200..=599 followed by `-`, ` ` or the end of the line
//! (RFC 5321 §4.2), all lines of one reply must carry the same code, and lines and replies
//! are bounded so that a hostile server cannot make us buffer without limit. Text that is not
//! UTF-8 is kept lossily; it only ends up in logs and delivery records.

use std::fmt;

/// Longest reply line we accept, line ending included. RFC 5321 §4.5.3.1.5 allows 512
/// octets; real servers exceed that in long multi-line texts, so we allow eight times that.
pub const MAX_REPLY_LINE: usize = 4096;
/// Most lines in one reply. EHLO lists are the longest real replies (a few dozen lines).
pub const MAX_REPLY_LINES: usize = 128;

/// One complete reply from the server, kept for delivery records and bounce messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerReply {
    /// The three-digit reply code.
    pub code: u16,
    /// The RFC 3463 enhanced status code (`"5.1.1"`) when the first line starts with one
    /// whose class matches the reply code; repeated on later lines it is stripped there too.
    pub enhanced: Option<String>,
    /// The text of all lines, without code and enhanced code, joined with a space.
    pub text: String,
}

impl ServerReply {
    /// Builds a reply, used for the outcomes the client synthesizes without asking the server
    /// (oversize, SMTPUTF8 not supported) so they look like any server verdict downstream.
    pub fn new(code: u16, enhanced: Option<&str>, text: impl Into<String>) -> ServerReply {
        ServerReply {
            code,
            enhanced: enhanced.map(str::to_owned),
            text: text.into(),
        }
    }

    /// Whether the reply is a 2xx success.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.code)
    }

    /// Whether the reply is a 4xx transient failure.
    pub fn is_transient(&self) -> bool {
        (400..500).contains(&self.code)
    }

    /// Whether the reply is a 5xx permanent failure.
    pub fn is_permanent(&self) -> bool {
        (500..600).contains(&self.code)
    }

    pub(super) fn from_lines(code: u16, lines: &[String]) -> ServerReply {
        let enhanced = lines
            .first()
            .and_then(|line| enhanced_code(line, code / 100))
            .map(str::to_owned);
        let mut text = String::new();
        for line in lines {
            let line = match &enhanced {
                Some(e) => line
                    .strip_prefix(e.as_str())
                    .filter(|rest| rest.is_empty() || rest.starts_with(' '))
                    .unwrap_or(line),
                None => line,
            };
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(line);
        }
        ServerReply {
            code,
            enhanced,
            text,
        }
    }
}

impl fmt::Display for ServerReply {
    /// `550 5.1.1 text`, the form stored in delivery records and shown to users.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(e) = &self.enhanced {
            write!(f, " {e}")?;
        }
        if !self.text.is_empty() {
            write!(f, " {}", self.text)?;
        }
        Ok(())
    }
}

/// The enhanced status code at the start of `line`, if it is `class.subject.detail` with the
/// class of the reply code (RFC 3463 §2: 2, 4 or 5; 1-3 digit subject and detail).
fn enhanced_code(line: &str, class: u16) -> Option<&str> {
    let token = line.split(' ').next()?;
    let mut parts = token.split('.');
    let (c, s, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |p: &str| (1..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    let ok = parts.next().is_none()
        && c.len() == 1
        && c.parse::<u16>().ok() == Some(class)
        && matches!(class, 2 | 4 | 5)
        && digits(s)
        && digits(d);
    ok.then_some(token)
}

/// What happened to one recipient; the engine maps it onto SPEC §13.4 statuses
/// (`succeeded` / `deferred` / `failed`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryResult {
    /// The server took responsibility for the message (2xx after the end of data).
    Delivered {
        /// The final reply, e.g. `250 2.0.0 Ok: queued as X`.
        reply: ServerReply,
    },
    /// Retry later: a 4xx reply, or no verdict at all (timeout, lost connection, protocol
    /// error, TLS policy), where `reply` is `None`.
    TempFail {
        /// The server's reply when there was one.
        reply: Option<ServerReply>,
        /// Short human description of where and why it failed.
        reason: String,
    },
    /// Do not retry: a 5xx reply (possibly synthesized by the client, see [`ServerReply::new`]).
    PermFail {
        /// The refusal.
        reply: ServerReply,
    },
}

impl DeliveryResult {
    /// A temporary failure without a server reply (timeouts, lost connections, TLS policy).
    pub fn temp(reason: impl Into<String>) -> DeliveryResult {
        DeliveryResult::TempFail {
            reply: None,
            reason: reason.into(),
        }
    }

    /// The result of a refusal at `stage`: 5xx permanent, 4xx temporary, anything else (a
    /// success code where a refusal or a different code was due) a temporary protocol error,
    /// because retrying is the safe choice when the server makes no sense.
    pub(super) fn refused(reply: &ServerReply, stage: &str) -> DeliveryResult {
        if reply.is_permanent() {
            DeliveryResult::PermFail {
                reply: reply.clone(),
            }
        } else if reply.is_transient() {
            DeliveryResult::TempFail {
                reply: Some(reply.clone()),
                reason: format!("{stage} deferred"),
            }
        } else {
            DeliveryResult::TempFail {
                reply: Some(reply.clone()),
                reason: format!("unexpected reply to {stage}"),
            }
        }
    }

    /// The server reply behind this result, if any.
    pub fn reply(&self) -> Option<&ServerReply> {
        match self {
            DeliveryResult::Delivered { reply } | DeliveryResult::PermFail { reply } => Some(reply),
            DeliveryResult::TempFail { reply, .. } => reply.as_ref(),
        }
    }
}

/// The verdict for one recipient of an [`OutboundMessage`](super::OutboundMessage).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientOutcome {
    /// The recipient as given in the message.
    pub recipient: String,
    /// What happened to it.
    pub result: DeliveryResult,
}

/// The verdicts for one message, one per recipient in the order they were given, so the
/// engine can zip them with its own delivery records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageOutcome {
    /// One entry per recipient, same order as `OutboundMessage::recipients`.
    pub recipients: Vec<RecipientOutcome>,
}

impl MessageOutcome {
    /// Gives every recipient the same result: what a connection failure means for the
    /// messages the engine meant to send over it (see `Client::connection_failure`).
    pub fn all(recipients: &[String], result: &DeliveryResult) -> MessageOutcome {
        MessageOutcome {
            recipients: recipients
                .iter()
                .map(|r| RecipientOutcome {
                    recipient: r.clone(),
                    result: result.clone(),
                })
                .collect(),
        }
    }
}

/// What the reader found in the buffered input.
#[derive(Debug)]
pub(super) enum Read {
    /// No complete reply yet.
    Incomplete,
    /// A complete reply: its code and the text of each line (after `ddd-` / `ddd `).
    Reply(u16, Vec<String>),
    /// The server is not speaking SMTP (or is hostile); the connection cannot continue.
    Error(String),
}

/// Buffers server bytes and cuts them into replies. Lines are consumed as they complete, so
/// the result never depends on how the stream was split into reads.
#[derive(Debug, Default)]
pub(super) struct ReplyReader {
    input: Vec<u8>,
    pos: usize,
    code: Option<u16>,
    lines: Vec<String>,
}

impl ReplyReader {
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        if self.pos > 0 {
            self.input.drain(..self.pos);
            self.pos = 0;
        }
        self.input.extend_from_slice(bytes);
    }

    /// Forgets everything buffered, including a partly read reply (after STARTTLS: bytes
    /// received in plain text must not be taken as replies sent over TLS).
    pub(super) fn clear(&mut self) {
        self.input.clear();
        self.pos = 0;
        self.code = None;
        self.lines.clear();
    }

    pub(super) fn next(&mut self) -> Read {
        loop {
            let buffered = &self.input[self.pos..];
            let Some(i) = memchr::memchr(b'\n', buffered) else {
                if buffered.len() >= MAX_REPLY_LINE {
                    return Read::Error("reply line too long".to_owned());
                }
                return Read::Incomplete;
            };
            if i >= MAX_REPLY_LINE {
                return Read::Error("reply line too long".to_owned());
            }
            let raw = &buffered[..i];
            let line = raw.strip_suffix(b"\r").unwrap_or(raw);
            self.pos += i + 1;
            let (code, last, text) = match parse_line(line) {
                Ok(parsed) => parsed,
                Err(e) => return Read::Error(e),
            };
            if self.code.is_some_and(|c| c != code) {
                return Read::Error("reply lines with different codes".to_owned());
            }
            if self.lines.len() >= MAX_REPLY_LINES {
                return Read::Error("reply has too many lines".to_owned());
            }
            self.code = Some(code);
            self.lines.push(text);
            if last {
                self.code = None;
                return Read::Reply(code, std::mem::take(&mut self.lines));
            }
        }
    }
}

/// Splits one reply line into code, "is the last line", and text.
fn parse_line(line: &[u8]) -> Result<(u16, bool, String), String> {
    let shown = || String::from_utf8_lossy(&line[..line.len().min(64)]).into_owned();
    if line.len() < 3 || !line[..3].iter().all(u8::is_ascii_digit) {
        return Err(format!("malformed reply line {:?}", shown()));
    }
    let code = line[..3]
        .iter()
        .fold(0u16, |acc, &d| acc * 10 + u16::from(d - b'0'));
    if !(200..=599).contains(&code) {
        return Err(format!("unexpected reply code {code}"));
    }
    let last = match line.get(3) {
        None | Some(b' ') => true,
        Some(b'-') => false,
        Some(_) => return Err(format!("malformed reply line {:?}", shown())),
    };
    let text = line.get(4..).unwrap_or_default();
    Ok((code, last, String::from_utf8_lossy(text).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(input: &[u8]) -> Vec<Result<ServerReply, String>> {
        let mut r = ReplyReader::default();
        r.feed(input);
        let mut out = Vec::new();
        loop {
            match r.next() {
                Read::Incomplete => return out,
                Read::Reply(code, lines) => out.push(Ok(ServerReply::from_lines(code, &lines))),
                Read::Error(e) => {
                    out.push(Err(e));
                    return out;
                }
            }
        }
    }

    #[test]
    fn single_and_multi_line() {
        let got =
            read_all(b"250 ok\r\n550-5.1.1 No such\r\n550-5.1.1 user\n550 5.1.1 here\r\n221\r\n");
        assert_eq!(got[0], Ok(ServerReply::new(250, None, "ok")));
        let r = got[1].clone().unwrap();
        assert_eq!(r, ServerReply::new(550, Some("5.1.1"), "No such user here"));
        assert_eq!(r.to_string(), "550 5.1.1 No such user here");
        assert_eq!(got[2], Ok(ServerReply::new(221, None, "")));
        assert_eq!(got[2].clone().unwrap().to_string(), "221");
    }

    #[test]
    fn enhanced_code_must_match_class() {
        let got = read_all(b"250 5.1.1 odd\r\n451 4.3.0\r\n550 5.1.1.1 x\r\n550 5.1234.1 x\r\n");
        assert_eq!(got[0], Ok(ServerReply::new(250, None, "5.1.1 odd")));
        assert_eq!(got[1], Ok(ServerReply::new(451, Some("4.3.0"), "")));
        assert_eq!(got[2].as_ref().unwrap().enhanced, None);
        assert_eq!(got[3].as_ref().unwrap().enhanced, None);
    }

    #[test]
    fn garbage_is_an_error() {
        for bad in [
            &b"hello\r\n"[..],
            b"25\r\n",
            b"099 x\r\n",
            b"600 x\r\n",
            b"250x\r\n",
            b"250-a\r\n251 b\r\n",
        ] {
            let got = read_all(bad);
            assert!(matches!(got.last(), Some(Err(_))), "{bad:?}: {got:?}");
        }
    }

    #[test]
    fn limits() {
        let long = [b'2'; MAX_REPLY_LINE];
        assert!(matches!(read_all(&long).last(), Some(Err(_))));
        let mut line = b"250 ".to_vec();
        line.resize(MAX_REPLY_LINE, b'a');
        line.extend_from_slice(b"\r\n");
        assert!(matches!(read_all(&line).last(), Some(Err(_))));
        let many = b"250-x\r\n".repeat(MAX_REPLY_LINES + 1);
        assert!(matches!(read_all(&many).last(), Some(Err(_))));
        let ok = [
            b"250-x\r\n".repeat(MAX_REPLY_LINES - 1),
            b"250 y\r\n".to_vec(),
        ]
        .concat();
        assert!(matches!(read_all(&ok).last(), Some(Ok(_))));
    }
}
