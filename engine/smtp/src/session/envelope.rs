//! MAIL and RCPT: the envelope, the access rule and the recipient limit.
//!
//! The path between `<` and `>` is cut out here (respecting quoted strings, which may
//! contain `>`) and handed to [`parse_address`], so irregular local parts get the §13.1
//! quoting treatment instead of a syntax error.

use super::{Access, Envelope, Session};
use crate::address::{parse_address, Address, AddressError};
use crate::reply::canned;

/// A path split off a MAIL/RCPT argument string.
struct PathArgs<'a> {
    /// The text between `<` and `>`, source route removed; empty for `<>`.
    path: &'a str,
    /// Everything after `>`: the ESMTP parameters.
    params: &'a str,
}

/// Splits `FROM:<path> params` (after checking the `FROM:`/`TO:` keyword).
fn split_path<'a>(args: &'a str, keyword: &str) -> Option<PathArgs<'a>> {
    let rest = args
        .get(..keyword.len())
        .filter(|k| k.eq_ignore_ascii_case(keyword))
        .and_then(|_| args.get(keyword.len()..))?;
    let rest = rest.trim_start().strip_prefix('<')?;
    let end = closing_bracket(rest)?;
    let mut path = &rest[..end];
    // RFC 5321 §4.1.2 source routes (`@a,@b:user@c`) must be accepted and ignored.
    if path.starts_with('@') {
        path = path.split_once(':').map_or("", |(_, mailbox)| mailbox);
        if path.is_empty() {
            return None;
        }
    }
    Some(PathArgs {
        path,
        params: rest[end + 1..].trim(),
    })
}

/// Index of the `>` closing the path, skipping quoted strings and escapes.
fn closing_bracket(s: &str) -> Option<usize> {
    let mut in_quote = false;
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' if in_quote => escaped = true,
            b'"' => in_quote = !in_quote,
            b'>' if !in_quote => return Some(i),
            _ => {}
        }
    }
    None
}

/// The outcome of parsing MAIL FROM parameters.
enum MailParams {
    Ok {
        size: usize,
        smtputf8: bool,
        eight_bit_mime: bool,
    },
    Invalid,
    Unknown(String),
}

fn mail_params(params: &str) -> MailParams {
    let mut size = 0;
    let mut smtputf8 = false;
    let mut eight_bit_mime = false;
    for param in params.split_ascii_whitespace() {
        let (key, value) = match param.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (param, None),
        };
        let key = key.to_ascii_uppercase();
        match (key.as_str(), value) {
            ("SIZE", Some(v)) => match v.parse::<u64>() {
                Ok(n) => size = usize::try_from(n).unwrap_or(usize::MAX),
                Err(_) => return MailParams::Invalid,
            },
            ("BODY", Some(v)) if v.eq_ignore_ascii_case("7BIT") => eight_bit_mime = false,
            ("BODY", Some(v)) if v.eq_ignore_ascii_case("8BITMIME") => eight_bit_mime = true,
            ("SMTPUTF8", None) => smtputf8 = true,
            // RFC 4954 §5: the submitter identity is informational; we trust AUTH itself.
            ("AUTH", Some(_)) => {}
            _ => return MailParams::Unknown(param.to_owned()),
        }
    }
    MailParams::Ok {
        size,
        smtputf8,
        eight_bit_mime,
    }
}

impl Session {
    /// MAIL FROM. The access rule runs before anything is parsed so an unauthorised client
    /// learns nothing, and it tells the client whether authenticating could help: `530`
    /// when AUTH is (or after STARTTLS will be) offered, `554` when it never will.
    pub(super) fn mail(&mut self, args: &str) {
        if self.helo.is_none() {
            return self.reply(canned::bad_sequence("Send EHLO/HELO first"));
        }
        if self.envelope.is_some() {
            return self.reply(canned::bad_sequence("Nested MAIL command"));
        }
        if !self.may_relay() {
            return self.reply(if self.auth_offered() || self.starttls_offered() {
                canned::auth_required()
            } else {
                canned::relay_denied()
            });
        }
        let Some(PathArgs { path, params }) = split_path(args, "FROM:") else {
            return self.reply(canned::bad_arguments("MAIL FROM:<address> [parameters]"));
        };
        let (size, smtputf8, eight_bit_mime) = match mail_params(params) {
            MailParams::Ok {
                size,
                smtputf8,
                eight_bit_mime,
            } => (size, smtputf8, eight_bit_mime),
            MailParams::Invalid => {
                return self.reply(canned::bad_arguments("MAIL FROM:<address> SIZE=<number>"))
            }
            MailParams::Unknown(param) => return self.reply(canned::unknown_parameter(&param)),
        };
        if size > self.config.max_message_size {
            return self.reply(canned::message_too_big());
        }
        let mail_from = match parse_path(path, smtputf8) {
            Ok(from) => from,
            Err(_) => return self.reply(canned::bad_sender()),
        };
        self.envelope = Some(Envelope {
            mail_from,
            smtputf8,
            eight_bit_mime,
            size_hint: size,
            ..Envelope::default()
        });
        self.reply(canned::sender_ok());
    }

    /// RCPT TO. No RCPT parameters are advertised (no DSN), so any parameter is `555`.
    pub(super) fn rcpt(&mut self, args: &str) {
        let Some(envelope) = &self.envelope else {
            return self.reply(canned::bad_sequence("Need MAIL command first"));
        };
        if envelope.bdat_body.is_some() {
            return self.reply(canned::bad_sequence("RCPT not allowed after BDAT"));
        }
        let smtputf8 = envelope.smtputf8;
        let full = envelope.recipients.len() >= self.config.max_recipients;
        let Some(PathArgs { path, params }) = split_path(args, "TO:") else {
            return self.reply(canned::bad_arguments("RCPT TO:<address>"));
        };
        if let Some(param) = params.split_ascii_whitespace().next() {
            return self.reply(canned::unknown_parameter(param));
        }
        let recipient = match parse_path(path, smtputf8) {
            Ok(Some(address)) => address,
            _ => return self.reply(canned::bad_recipient()),
        };
        if full {
            return self.reply(canned::too_many_recipients());
        }
        if let Access::Receive { domains } = &self.config.access {
            let domain = recipient.domain_lowercase();
            if !domains.contains(&domain) {
                return self.reply(canned::domain_not_accepted());
            }
        }
        if let Some(envelope) = &mut self.envelope {
            envelope.recipients.push(recipient);
        }
        self.reply(canned::recipient_ok());
    }

    fn may_relay(&self) -> bool {
        match &self.config.access {
            Access::Relay { ip_allowed } => *ip_allowed || self.auth_user.is_some(),
            Access::Receive { .. } => true,
        }
    }
}

/// `<>` is the null path; anything else must be an address.
fn parse_path(path: &str, smtputf8: bool) -> Result<Option<Address>, AddressError> {
    if path.is_empty() {
        Ok(None)
    } else {
        parse_address(path, smtputf8).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        let p = split_path("FROM:<a@b.c> SIZE=10", "FROM:").unwrap();
        assert_eq!((p.path, p.params), ("a@b.c", "SIZE=10"));
        let p = split_path("from: <\"x>y\"@b.c>", "FROM:").unwrap();
        assert_eq!((p.path, p.params), ("\"x>y\"@b.c", ""));
        let p = split_path("TO:<@r1,@r2:u@d.e>", "TO:").unwrap();
        assert_eq!(p.path, "u@d.e");
        assert!(split_path("TO:u@d.e", "TO:").is_none());
        assert!(split_path("TO:<u@d.e", "TO:").is_none());
        assert!(split_path("FROM<u@d.e>", "FROM:").is_none());
        assert!(split_path("TO:<@r1>", "TO:").is_none());
    }
}
