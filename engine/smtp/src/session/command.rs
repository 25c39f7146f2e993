//! Command dispatch and the verbs too small for a file of their own.
//!
//! Commands are tokenized here rather than with `smtp-proto`: its request parser caps lines
//! at 4096 octets (we need 1000), refuses the irregular local parts SPEC §13.1 accepts, and
//! would need re-framing around our DATA/BDAT receivers. A verb and its argument string is
//! all the tokenizing SMTP needs; MAIL/RCPT arguments are parsed in `envelope.rs`.

use super::{Event, Pending, Phase, Session};
use crate::reply::canned;

/// The verbs we know, matched case-insensitively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Ehlo,
    Helo,
    Mail,
    Rcpt,
    Data,
    Bdat,
    Rset,
    Noop,
    Quit,
    Vrfy,
    Expn,
    Help,
    StartTls,
    Auth,
}

fn verb(word: &str) -> Option<Verb> {
    const VERBS: [(&str, Verb); 14] = [
        ("EHLO", Verb::Ehlo),
        ("HELO", Verb::Helo),
        ("MAIL", Verb::Mail),
        ("RCPT", Verb::Rcpt),
        ("DATA", Verb::Data),
        ("BDAT", Verb::Bdat),
        ("RSET", Verb::Rset),
        ("NOOP", Verb::Noop),
        ("QUIT", Verb::Quit),
        ("VRFY", Verb::Vrfy),
        ("EXPN", Verb::Expn),
        ("HELP", Verb::Help),
        ("STARTTLS", Verb::StartTls),
        ("AUTH", Verb::Auth),
    ];
    VERBS
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(word))
        .map(|&(_, v)| v)
}

impl Session {
    /// Handles one complete command line (line ending already stripped).
    pub(super) fn command(&mut self, line: &[u8]) -> Option<Event> {
        if self.shutting_down && self.envelope.is_none() {
            self.close_for_shutdown();
            return Some(Event::Close);
        }
        let Ok(line) = std::str::from_utf8(line) else {
            self.reply(canned::syntax_error());
            return None;
        };
        let (word, args) = match line.split_once(' ') {
            Some((word, args)) => (word, args.trim()),
            None => (line, ""),
        };
        let Some(verb) = verb(word) else {
            self.reply(if word.is_empty() {
                canned::syntax_error()
            } else {
                canned::unknown_command()
            });
            return None;
        };
        match verb {
            Verb::Ehlo => self.ehlo(args, true),
            Verb::Helo => self.ehlo(args, false),
            Verb::Mail => self.mail(args),
            Verb::Rcpt => self.rcpt(args),
            Verb::Data => return self.data(args),
            Verb::Bdat => self.bdat(args),
            Verb::Auth => return self.auth(args),
            Verb::StartTls => return self.starttls(args),
            Verb::Rset => {
                self.envelope = None;
                self.reply(canned::ok());
            }
            Verb::Noop => self.reply(canned::ok()),
            Verb::Quit => {
                self.reply(canned::bye());
                self.phase = Phase::Closed;
                return Some(Event::Close);
            }
            Verb::Vrfy if args.is_empty() => self.reply(canned::bad_arguments("VRFY <address>")),
            Verb::Vrfy => self.reply(canned::vrfy()),
            Verb::Expn => self.reply(canned::expn()),
            Verb::Help => self.reply(canned::help()),
        }
        None
    }

    /// STARTTLS (RFC 3207). Everything already buffered behind this line was sent in plain
    /// text before the handshake; it is dropped here (and again when TLS is established).
    fn starttls(&mut self, args: &str) -> Option<Event> {
        if !self.starttls_offered() {
            self.reply(canned::not_implemented("STARTTLS"));
            return None;
        }
        if !args.is_empty() {
            self.reply(canned::bad_arguments("STARTTLS"));
            return None;
        }
        self.reply(canned::start_tls());
        self.input.clear();
        self.pos = 0;
        self.phase = Phase::Pending(Pending::StartTls);
        Some(Event::StartTls)
    }
}
