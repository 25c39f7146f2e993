//! AUTH PLAIN and AUTH LOGIN (RFC 4954, RFC 4616, draft-murchison-sasl-login).
//!
//! The session only decodes the exchange; the I/O layer verifies the credentials (they
//! live in the user store, and hashing must not run inside the protocol code).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::{Event, Pending, Phase, Session};
use crate::reply::canned;

/// `Username:` and `Password:` in base64, the de-facto LOGIN prompts.
const LOGIN_USERNAME: &str = "VXNlcm5hbWU6";
const LOGIN_PASSWORD: &str = "UGFzc3dvcmQ6";

/// Where a SASL exchange stands while waiting for the client's next line.
#[derive(Debug)]
pub(super) enum SaslState {
    /// `AUTH PLAIN` without initial response: waiting for the credentials.
    Plain,
    /// `AUTH LOGIN`: waiting for the username.
    LoginUsername,
    /// `AUTH LOGIN`: waiting for the password.
    LoginPassword { username: String },
}

/// What a decoded client response asks for.
enum Decoded {
    Cancel,
    Invalid,
    Text(String),
}

/// Decodes one base64 SASL response; `*` cancels (RFC 4954 §4) and `=` is the empty one.
fn decode(line: &str) -> Decoded {
    let line = line.trim();
    if line == "*" {
        return Decoded::Cancel;
    }
    if line == "=" {
        return Decoded::Text(String::new());
    }
    match STANDARD.decode(line).map(String::from_utf8) {
        Ok(Ok(text)) => Decoded::Text(text),
        _ => Decoded::Invalid,
    }
}

impl Session {
    /// The AUTH command. It is refused while a transaction is open or once authenticated
    /// (RFC 4954 §4), and with `538` when it is not offered because TLS is missing.
    pub(super) fn auth(&mut self, args: &str) -> Option<Event> {
        if self.helo.is_none() {
            self.reply(canned::bad_sequence("Send EHLO first"));
            return None;
        }
        if self.auth_user.is_some() {
            self.reply(canned::bad_sequence("Already authenticated"));
            return None;
        }
        if self.envelope.is_some() {
            self.reply(canned::bad_sequence(
                "AUTH not allowed during a transaction",
            ));
            return None;
        }
        if !self.auth_offered() {
            self.reply(canned::encryption_required());
            return None;
        }
        let mut words = args.split_ascii_whitespace();
        let mechanism = words.next().unwrap_or_default();
        let initial = words.next();
        if words.next().is_some() {
            self.reply(canned::bad_arguments("AUTH mechanism [initial-response]"));
            return None;
        }
        let state = if mechanism.eq_ignore_ascii_case("PLAIN") {
            SaslState::Plain
        } else if mechanism.eq_ignore_ascii_case("LOGIN") {
            SaslState::LoginUsername
        } else if mechanism.is_empty() {
            self.reply(canned::bad_arguments("AUTH mechanism [initial-response]"));
            return None;
        } else {
            self.reply(canned::auth_mechanism_unknown());
            return None;
        };
        match initial {
            Some(response) => self.sasl_step(state, response),
            None => {
                let prompt = match state {
                    SaslState::Plain => "",
                    _ => LOGIN_USERNAME,
                };
                self.reply(canned::auth_challenge(prompt));
                self.phase = Phase::Sasl(state);
                None
            }
        }
    }

    /// A client response line during a SASL exchange.
    pub(super) fn sasl_line(&mut self, line: &[u8]) -> Option<Event> {
        let Phase::Sasl(state) = std::mem::replace(&mut self.phase, Phase::Command) else {
            return None;
        };
        match std::str::from_utf8(line) {
            Ok(line) => self.sasl_step(state, line),
            Err(_) => {
                self.reply(canned::bad_base64());
                None
            }
        }
    }

    /// Applies one response to the exchange; the phase is `Command` on entry.
    fn sasl_step(&mut self, state: SaslState, response: &str) -> Option<Event> {
        let text = match decode(response) {
            Decoded::Cancel => {
                self.reply(canned::auth_cancelled());
                return None;
            }
            Decoded::Invalid => {
                self.reply(canned::bad_base64());
                return None;
            }
            Decoded::Text(text) => text,
        };
        match state {
            SaslState::Plain => self.plain(&text),
            SaslState::LoginUsername => {
                self.reply(canned::auth_challenge(LOGIN_PASSWORD));
                self.phase = Phase::Sasl(SaslState::LoginPassword { username: text });
                None
            }
            SaslState::LoginPassword { username } => Some(self.authenticate(username, text)),
        }
    }

    /// RFC 4616 message: `authzid NUL authcid NUL passwd`. Acting for another identity is
    /// not supported, so a non-empty authzid must equal the authcid.
    fn plain(&mut self, message: &str) -> Option<Event> {
        let mut parts = message.split('\0');
        let (Some(authzid), Some(authcid), Some(password), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            self.reply(canned::bad_base64());
            return None;
        };
        if !authzid.is_empty() && authzid != authcid {
            self.reply(canned::auth_failed());
            return None;
        }
        Some(self.authenticate(authcid.to_owned(), password.to_owned()))
    }

    fn authenticate(&mut self, username: String, password: String) -> Event {
        self.phase = Phase::Pending(Pending::Auth {
            username: username.clone(),
        });
        Event::Authenticate { username, password }
    }
}
