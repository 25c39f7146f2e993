//! The sink's SMTP server session as a pure state machine: bytes in, reply bytes and
//! events out. The socket loop in the parent module feeds it whatever `read` returned,
//! so pipelined command groups are answered with one write.

use crate::data::{DataEnd, HeaderCapture};

/// Longest command line accepted.
const MAX_LINE: usize = 4096;
/// Header bytes kept per message to find the Message-ID.
const MAX_HEADER: usize = 64 * 1024;

/// A simulated RCPT reply: recipients whose local part starts with `prefix` get `reply`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RcptRule {
    /// Local-part prefix to match (case-sensitive).
    pub prefix: String,
    /// Full reply line without CRLF, e.g. `550 5.1.1 no such user`.
    pub reply: String,
}

impl RcptRule {
    /// Parses `prefix=CODE text`.
    pub fn parse(s: &str) -> Result<RcptRule, String> {
        let (prefix, reply) = s
            .split_once('=')
            .ok_or_else(|| format!("{s:?}: expected PREFIX=REPLY"))?;
        let code = reply
            .get(..3)
            .filter(|c| c.bytes().all(|b| b.is_ascii_digit()));
        if code.is_none() || !matches!(reply.as_bytes().get(3), None | Some(b' ')) {
            return Err(format!("{reply:?}: a reply starts with a 3-digit code"));
        }
        Ok(RcptRule {
            prefix: prefix.to_string(),
            reply: reply.to_string(),
        })
    }
}

/// Settings every session shares.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    /// Name in the greeting and EHLO reply.
    pub hostname: String,
    /// Advertised SIZE limit.
    pub max_size: u64,
    /// Simulated RCPT replies, first match wins.
    pub rcpt_rules: Vec<RcptRule>,
    /// Extract Message-IDs (costs a header copy per message).
    pub capture_ids: bool,
    /// Advertise and accept CHUNKING (RFC 3030 `BDAT`), as Postfix's smtpd does by default.
    pub chunking: bool,
}

/// What a session reports to the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A message was accepted.
    Message {
        /// Recipients accepted for it.
        rcpts: u32,
        /// DATA bytes, terminator included (still dot-stuffed).
        bytes: u64,
        /// Its Message-ID header value, when ids are captured.
        message_id: Option<String>,
    },
    /// A recipient was refused by a rule.
    RcptRejected,
}

/// A decision taken before each `MAIL` command is handled, so a server built on this session
/// (the provider simulator) can refuse a transaction the way a provider's rate limiter does.
pub trait MailGate: std::fmt::Debug + Send {
    /// `None` lets the command through; `Some(reply)` answers that reply line (no CRLF) and
    /// closes the session, as providers do with `421` (RFC 5321 §3.8).
    fn mail(&mut self) -> Option<String>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Command,
    Data,
    /// Inside a BDAT chunk: `bdat_left` octets still to read.
    Bdat,
    Closed,
}

/// One SMTP server session.
#[derive(Debug)]
pub struct SinkSession {
    cfg: std::sync::Arc<SessionConfig>,
    state: State,
    line: Vec<u8>,
    line_too_long: bool,
    has_mail: bool,
    rcpts: u32,
    data_bytes: u64,
    end: DataEnd,
    header: HeaderCapture,
    queued: u64,
    bdat_left: u64,
    bdat_last: bool,
    /// The reply to the current chunk when it is refused (its octets are still read).
    bdat_refusal: Option<&'static [u8]>,
    /// Consulted before each MAIL command (none in the plain sink).
    gate: Option<Box<dyn MailGate>>,
}

impl SinkSession {
    /// A new session; `greeting` receives the 220 line to send first.
    pub fn new(cfg: std::sync::Arc<SessionConfig>, greeting: &mut Vec<u8>) -> SinkSession {
        greeting
            .extend_from_slice(format!("220 {} ESMTP hikyaku-sink\r\n", cfg.hostname).as_bytes());
        SinkSession {
            cfg,
            state: State::Command,
            line: Vec::with_capacity(256),
            line_too_long: false,
            has_mail: false,
            rcpts: 0,
            data_bytes: 0,
            end: DataEnd::new(),
            header: HeaderCapture::new(MAX_HEADER),
            queued: 0,
            bdat_left: 0,
            bdat_last: false,
            bdat_refusal: None,
            gate: None,
        }
    }

    /// The session with `gate` deciding on every MAIL command.
    pub fn with_gate(mut self, gate: Box<dyn MailGate>) -> SinkSession {
        self.gate = Some(gate);
        self
    }

    /// True once QUIT was answered.
    pub fn closed(&self) -> bool {
        self.state == State::Closed
    }

    /// Consumes `input`, appending replies to `out` and reporting events.
    pub fn feed(&mut self, mut input: &[u8], out: &mut Vec<u8>, ev: &mut impl FnMut(Event)) {
        while !input.is_empty() && self.state != State::Closed {
            match self.state {
                State::Data => {
                    let (chunk, done) = match self.end.feed(input) {
                        Some(n) => (&input[..n], true),
                        None => (input, false),
                    };
                    if self.cfg.capture_ids {
                        self.header.feed(chunk);
                    }
                    self.data_bytes += chunk.len() as u64;
                    input = &input[chunk.len()..];
                    if done {
                        self.state = State::Command;
                        self.complete_message(out, ev);
                    }
                }
                State::Bdat => {
                    let take = usize::try_from(self.bdat_left)
                        .unwrap_or(usize::MAX)
                        .min(input.len());
                    let chunk = &input[..take];
                    if self.bdat_refusal.is_none() {
                        if self.cfg.capture_ids {
                            self.header.feed(chunk);
                        }
                        self.data_bytes += take as u64;
                    }
                    self.bdat_left -= take as u64;
                    input = &input[take..];
                    if self.bdat_left == 0 {
                        self.end_chunk(out, ev);
                    }
                }
                State::Command => {
                    let Some(nl) = memchr::memchr(b'\n', input) else {
                        self.push_line(input);
                        return;
                    };
                    self.push_line(&input[..=nl]);
                    input = &input[nl + 1..];
                    let line = std::mem::take(&mut self.line);
                    if std::mem::take(&mut self.line_too_long) {
                        out.extend_from_slice(b"500 5.5.0 Error: line too long\r\n");
                    } else {
                        self.command(&line, out, ev);
                    }
                    self.line = line;
                    self.line.clear();
                }
                State::Closed => {}
            }
        }
    }

    fn push_line(&mut self, part: &[u8]) {
        if self.line.len() + part.len() > MAX_LINE {
            self.line_too_long = true;
        } else {
            self.line.extend_from_slice(part);
        }
    }

    /// The reply to a BDAT chunk once all its octets are in; the last one completes the message.
    fn end_chunk(&mut self, out: &mut Vec<u8>, ev: &mut impl FnMut(Event)) {
        self.state = State::Command;
        if let Some(refusal) = self.bdat_refusal.take() {
            out.extend_from_slice(refusal);
            return;
        }
        if !self.bdat_last {
            out.extend_from_slice(b"250 2.0.0 Ok: chunk received\r\n");
            return;
        }
        self.complete_message(out, ev);
    }

    /// A whole message is in (end of DATA or the last BDAT chunk): report it, answer 250.
    fn complete_message(&mut self, out: &mut Vec<u8>, ev: &mut impl FnMut(Event)) {
        self.queued += 1;
        let message_id = if self.cfg.capture_ids {
            self.header.message_id()
        } else {
            None
        };
        ev(Event::Message {
            rcpts: self.rcpts,
            bytes: self.data_bytes,
            message_id,
        });
        out.extend_from_slice(format!("250 2.0.0 Ok: queued as S{:x}\r\n", self.queued).as_bytes());
        self.reset();
    }

    /// `BDAT <size> [LAST]`: a chunk is read whole even when refused (RFC 3030 §2), so the
    /// octets are never taken for commands.
    fn bdat(&mut self, line: &str, out: &mut Vec<u8>, ev: &mut impl FnMut(Event)) {
        let mut args = line.split_ascii_whitespace().skip(1);
        let size = args.next().and_then(|s| s.parse::<u64>().ok());
        let last = match args.next() {
            None => Some(false),
            Some(word) if word.eq_ignore_ascii_case("LAST") => Some(true),
            Some(_) => None,
        };
        let (Some(size), Some(last), None) = (size, last, args.next()) else {
            out.extend_from_slice(b"501 5.5.4 Syntax: BDAT <size> [LAST]\r\n");
            return;
        };
        self.bdat_refusal = if !self.has_mail {
            Some(b"503 5.5.1 Error: need MAIL command\r\n")
        } else if self.rcpts == 0 {
            Some(b"554 5.5.1 Error: no valid recipients\r\n")
        } else {
            None
        };
        if self.bdat_refusal.is_some() && last {
            // The transaction is over either way.
            self.reset();
        }
        self.bdat_left = size;
        self.bdat_last = last;
        self.state = State::Bdat;
        if size == 0 {
            self.end_chunk(out, ev);
        }
    }

    fn reset(&mut self) {
        self.has_mail = false;
        self.rcpts = 0;
        self.data_bytes = 0;
        self.header.reset();
    }

    fn command(&mut self, raw: &[u8], out: &mut Vec<u8>, ev: &mut impl FnMut(Event)) {
        let line = String::from_utf8_lossy(raw);
        let line = line.trim_end_matches(['\r', '\n']);
        let verb = line
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => {
                let h = &self.cfg.hostname;
                let chunking = if self.cfg.chunking {
                    "250-CHUNKING\r\n"
                } else {
                    ""
                };
                let s = format!(
                    "250-{h}\r\n250-PIPELINING\r\n250-SIZE {}\r\n250-8BITMIME\r\n{chunking}250-SMTPUTF8\r\n250 ENHANCEDSTATUSCODES\r\n",
                    self.cfg.max_size
                );
                self.reset();
                out.extend_from_slice(s.as_bytes());
                return;
            }
            "HELO" => {
                self.reset();
                out.extend_from_slice(format!("250 {}\r\n", self.cfg.hostname).as_bytes());
                return;
            }
            "MAIL" if self.has_mail => b"503 5.5.1 Error: nested MAIL command\r\n",
            "MAIL" => {
                if let Some(refusal) = self.gate.as_mut().and_then(|g| g.mail()) {
                    out.extend_from_slice(refusal.as_bytes());
                    out.extend_from_slice(b"\r\n");
                    self.reset();
                    self.state = State::Closed;
                    return;
                }
                self.reset();
                self.has_mail = true;
                b"250 2.1.0 Ok\r\n"
            }
            "RCPT" if !self.has_mail => b"503 5.5.1 Error: need MAIL command\r\n",
            "RCPT" => {
                let local = local_part(line);
                if let Some(rule) = self
                    .cfg
                    .rcpt_rules
                    .iter()
                    .find(|r| local.starts_with(&r.prefix))
                {
                    if rule.reply.starts_with('2') {
                        self.rcpts += 1;
                    } else {
                        ev(Event::RcptRejected);
                    }
                    out.extend_from_slice(rule.reply.as_bytes());
                    out.extend_from_slice(b"\r\n");
                    return;
                }
                self.rcpts += 1;
                b"250 2.1.5 Ok\r\n"
            }
            "DATA" if !self.has_mail => b"503 5.5.1 Error: need MAIL command\r\n",
            "DATA" if self.rcpts == 0 => b"554 5.5.1 Error: no valid recipients\r\n",
            "DATA" => {
                self.state = State::Data;
                self.end = DataEnd::new();
                b"354 End data with <CR><LF>.<CR><LF>\r\n"
            }
            "BDAT" if self.cfg.chunking => {
                self.bdat(line, out, ev);
                return;
            }
            "RSET" => {
                self.reset();
                b"250 2.0.0 Ok\r\n"
            }
            "NOOP" => b"250 2.0.0 Ok\r\n",
            "VRFY" => b"252 2.0.0 Send some mail, I'll try my best\r\n",
            "QUIT" => {
                self.state = State::Closed;
                b"221 2.0.0 Bye\r\n"
            }
            _ => b"502 5.5.2 Error: command not recognized\r\n",
        };
        out.extend_from_slice(reply);
    }
}

/// Local part of the address in `RCPT TO:<local@domain> …` (empty if none).
fn local_part(line: &str) -> &str {
    let addr = match line.find('<') {
        Some(i) => &line[i + 1..],
        None => line
            .split_once(':')
            .map(|x| x.1.trim_start())
            .unwrap_or_default(),
    };
    let end = addr.find(['@', '>', ' ']).unwrap_or(addr.len());
    &addr[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn session(rules: Vec<RcptRule>) -> SinkSession {
        let cfg = SessionConfig {
            hostname: "sink.test".into(),
            max_size: 1000,
            rcpt_rules: rules,
            capture_ids: true,
            chunking: true,
        };
        SinkSession::new(Arc::new(cfg), &mut Vec::new())
    }

    fn run(s: &mut SinkSession, chunks: &[&[u8]]) -> (String, Vec<Event>) {
        let (mut out, mut evs) = (Vec::new(), Vec::new());
        for c in chunks {
            s.feed(c, &mut out, &mut |e| evs.push(e));
        }
        (String::from_utf8(out).unwrap(), evs)
    }

    #[test]
    fn pipelined_transaction_with_stuffed_body() {
        let mut s = session(vec![]);
        let input: &[u8] = b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\nMessage-ID: <m1@x>\r\n\r\n..hidden\r\n.\r\nQUIT\r\n";
        let (out, evs) = run(&mut s, &[input]);
        assert!(
            out.starts_with("250-sink.test\r\n250-PIPELINING\r\n"),
            "{out}"
        );
        assert!(out.ends_with("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.1.5 Ok\r\n354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as S1\r\n221 2.0.0 Bye\r\n"), "{out}");
        assert_eq!(
            evs,
            vec![Event::Message {
                rcpts: 2,
                bytes: 35,
                message_id: Some("<m1@x>".into())
            }]
        );
        assert!(s.closed());
    }

    #[test]
    fn byte_by_byte_input() {
        let input = b"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\r\n.\r\nMAIL FROM:<a@b>\r\n";
        let mut s = session(vec![]);
        let chunks: Vec<&[u8]> = input.chunks(1).collect();
        let (out, evs) = run(&mut s, &chunks);
        assert_eq!(evs.len(), 1);
        assert!(out.ends_with("queued as S1\r\n250 2.1.0 Ok\r\n"), "{out}");
    }

    #[test]
    fn rcpt_rules_and_no_valid_recipients() {
        let rule = RcptRule::parse("bad=550 5.1.1 no such user").unwrap();
        assert!(RcptRule::parse("bad=nope").is_err());
        assert!(RcptRule::parse("nothing").is_err());
        let mut s = session(vec![rule]);
        let (out, evs) = run(
            &mut s,
            &[b"MAIL FROM:<>\r\nRCPT TO:<bad1@x>\r\nDATA\r\nRSET\r\n"],
        );
        assert_eq!(out, "250 2.1.0 Ok\r\n550 5.1.1 no such user\r\n554 5.5.1 Error: no valid recipients\r\n250 2.0.0 Ok\r\n");
        assert_eq!(evs, vec![Event::RcptRejected]);
        assert_eq!(local_part("RCPT TO:<good@x> NOTIFY=NEVER"), "good");
        assert_eq!(local_part("RCPT TO: bad7@x"), "bad7");
    }

    #[test]
    fn sequencing_and_long_lines() {
        let mut s = session(vec![]);
        let (out, _) = run(&mut s, &[b"RCPT TO:<a@b>\r\nDATA\r\nFOO\r\n"]);
        assert_eq!(out.matches("503").count(), 2);
        assert!(out.ends_with("502 5.5.2 Error: command not recognized\r\n"));
        let long = vec![b'A'; MAX_LINE + 10];
        let (out, _) = run(&mut s, &[&long, b"\r\nNOOP\r\n"]);
        assert_eq!(out, "500 5.5.0 Error: line too long\r\n250 2.0.0 Ok\r\n");
    }

    #[test]
    fn bdat_chunks_pipelined_and_split_anywhere() {
        let input: &[u8] = b"EHLO x\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 10\r\nMessage-IDBDAT 14 LAST\r\n: <m2@x>\r\n\r\nhiQUIT\r\n";
        for size in [1, 3, input.len()] {
            let mut s = session(vec![]);
            let chunks: Vec<&[u8]> = input.chunks(size).collect();
            let (out, evs) = run(&mut s, &chunks);
            assert!(out.contains("250-CHUNKING\r\n"), "{out}");
            assert!(
                out.ends_with("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n250 2.0.0 Ok: chunk received\r\n250 2.0.0 Ok: queued as S1\r\n221 2.0.0 Bye\r\n"),
                "{out}"
            );
            assert_eq!(
                evs,
                vec![Event::Message {
                    rcpts: 1,
                    bytes: 24,
                    message_id: Some("<m2@x>".into())
                }]
            );
        }
    }

    #[test]
    fn refused_bdat_chunks_are_still_read_whole() {
        let mut s = session(vec![RcptRule::parse("bad=550 5.1.1 no").unwrap()]);
        let (out, evs) = run(
            &mut s,
            &[b"BDAT 6 LAST\r\nNOOP\r\nMAIL FROM:<>\r\nRCPT TO:<bad@x>\r\nBDAT 4 LAST\r\nRSETBDAT 0 LAST\r\nBDAT x\r\nBDAT 1 FIRST\r\n"],
        );
        assert_eq!(
            out,
            "503 5.5.1 Error: need MAIL command\r\n250 2.1.0 Ok\r\n550 5.1.1 no\r\n554 5.5.1 Error: no valid recipients\r\n503 5.5.1 Error: need MAIL command\r\n501 5.5.4 Syntax: BDAT <size> [LAST]\r\n501 5.5.4 Syntax: BDAT <size> [LAST]\r\n"
        );
        assert_eq!(evs, vec![Event::RcptRejected]);
    }

    #[derive(Debug)]
    struct EverySecond(u32);

    impl MailGate for EverySecond {
        fn mail(&mut self) -> Option<String> {
            self.0 += 1;
            (self.0 % 2 == 0).then(|| "421 4.7.28 slow down".to_string())
        }
    }

    #[test]
    fn a_gate_refusing_mail_closes_the_session_and_ignores_the_rest() {
        let mut s = session(vec![]).with_gate(Box::new(EverySecond(0)));
        let (out, evs) = run(
            &mut s,
            &[b"MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\r\n.\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n"],
        );
        assert_eq!(evs.len(), 1);
        assert!(
            out.ends_with("queued as S1\r\n421 4.7.28 slow down\r\n"),
            "{out}"
        );
        assert!(s.closed());
    }

    #[test]
    fn chunking_can_be_turned_off() {
        let cfg = SessionConfig {
            hostname: "sink.test".into(),
            max_size: 1000,
            rcpt_rules: vec![],
            capture_ids: false,
            chunking: false,
        };
        let mut s = SinkSession::new(Arc::new(cfg), &mut Vec::new());
        let (out, _) = run(&mut s, &[b"EHLO x\r\nBDAT 0 LAST\r\n"]);
        assert!(!out.contains("CHUNKING"), "{out}");
        assert!(
            out.ends_with("502 5.5.2 Error: command not recognized\r\n"),
            "{out}"
        );
    }
}
