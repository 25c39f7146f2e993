//! SMTP replies and every canned reply the session sends, kept in one place so that codes,
//! enhanced codes (RFC 3463) and wording are reviewed together.
//!
//! Enhanced status codes are attached to every 2xx/4xx/5xx reply except the greeting and
//! the HELO/EHLO response (RFC 2034 §3 exempts those, and clients parse EHLO keywords from
//! the start of the text). Intermediate 3xx replies (`354`, `334`) carry none: RFC 3463 has
//! no class 3.

/// One SMTP reply; kept as data so the I/O layer and the storage layer can build their own
/// (for example `250 2.0.0 Ok: queued as X` after a durable write).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The three-digit reply code (RFC 5321 §4.2).
    pub code: u16,
    /// The enhanced status code (`"2.1.0"`), `None` where RFC 2034 forbids it.
    pub enhanced: Option<&'static str>,
    /// Human-readable text; each `\n` starts another line of a multi-line reply.
    pub text: String,
}

impl Reply {
    /// Builds a reply; `text` may contain `\n` to make a multi-line reply.
    pub fn new(code: u16, enhanced: Option<&'static str>, text: impl Into<String>) -> Reply {
        Reply {
            code,
            enhanced,
            text: text.into(),
        }
    }

    /// Whether the reply accepts (2xx/3xx), so callers can count outcomes without parsing.
    pub fn is_positive(&self) -> bool {
        self.code < 400
    }

    /// Appends the wire form to `out`: every line gets the code, `-` on all but the last,
    /// and CRLF. Stray CRs in the text are dropped so a reply can never inject a line.
    pub fn write_to(&self, out: &mut Vec<u8>) {
        // A code outside 200..=599 would break the client's parser; clamp to a valid one.
        let code = if (200..=599).contains(&self.code) {
            self.code
        } else {
            451
        };
        let mut lines = self.text.split('\n').peekable();
        while let Some(line) = lines.next() {
            let sep = if lines.peek().is_some() { '-' } else { ' ' };
            out.extend_from_slice(code.to_string().as_bytes());
            out.push(sep as u8);
            if let Some(enhanced) = self.enhanced {
                out.extend_from_slice(enhanced.as_bytes());
                if !line.is_empty() {
                    out.push(b' ');
                }
            }
            out.extend(line.bytes().filter(|&b| b != b'\r'));
            out.extend_from_slice(b"\r\n");
        }
    }

    /// The wire form as a fresh buffer, for tests and logging.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_to(&mut out);
        out
    }

    /// `250 2.0.0 Ok: queued as <id>`: what the I/O layer sends once a message is durable.
    pub fn queued(id: &str) -> Reply {
        Reply::new(250, Some("2.0.0"), format!("Ok: queued as {id}"))
    }

    /// `451 4.3.0`: the message could not be stored; the client keeps it and retries.
    pub fn storage_failure() -> Reply {
        Reply::new(
            451,
            Some("4.3.0"),
            "Temporary failure storing the message, try again later",
        )
    }

    /// `452 4.3.1`: the mail system is full (RFC 3463 4.3.1, RFC 5321 452, as Postfix
    /// answers), for mail refused because the spool's disk is under its free-space reserve;
    /// the client keeps the message and retries. Other storage failures stay `451 4.3.0`:
    /// this one tells the sender's operator that waiting (or another MX) is the remedy.
    pub fn insufficient_storage() -> Reply {
        Reply::new(452, Some("4.3.1"), "Insufficient system storage")
    }

    /// `421 4.7.0`: the listener is at its connection limit; the client tries again later.
    pub fn too_many_connections(hostname: &str) -> Reply {
        Reply::new(
            421,
            Some("4.7.0"),
            format!("{hostname} Too many connections, try again later"),
        )
    }

    /// `421 4.3.2`: refuse a connection when the listener is full or shutting down.
    pub fn shutting_down(hostname: &str) -> Reply {
        Reply::new(
            421,
            Some("4.3.2"),
            format!("{hostname} Service shutting down, closing connection"),
        )
    }
}

/// Canned replies of the session. Functions rather than constants because `text` is a
/// `String`; they are only built once per command so the allocation does not matter.
pub(crate) mod canned {
    use super::Reply;

    pub fn greeting(host: &str) -> Reply {
        Reply::new(220, None, format!("{host} ESMTP hikyaku"))
    }
    pub fn ok() -> Reply {
        Reply::new(250, Some("2.0.0"), "Ok")
    }
    pub fn sender_ok() -> Reply {
        Reply::new(250, Some("2.1.0"), "Sender ok")
    }
    pub fn recipient_ok() -> Reply {
        Reply::new(250, Some("2.1.5"), "Recipient ok")
    }
    pub fn chunk_ok(n: usize) -> Reply {
        Reply::new(250, Some("2.0.0"), format!("{n} octets received"))
    }
    pub fn bye() -> Reply {
        Reply::new(221, Some("2.0.0"), "Bye")
    }
    pub fn help() -> Reply {
        Reply::new(
            214,
            Some("2.0.0"),
            "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP STARTTLS AUTH\nSee RFC 5321",
        )
    }
    pub fn vrfy() -> Reply {
        Reply::new(
            252,
            Some("2.5.2"),
            "Cannot VRFY user, but will accept message and attempt delivery",
        )
    }
    pub fn expn() -> Reply {
        Reply::new(502, Some("5.5.1"), "EXPN not available")
    }
    pub fn start_data() -> Reply {
        Reply::new(354, None, "End data with <CR><LF>.<CR><LF>")
    }
    pub fn start_tls() -> Reply {
        Reply::new(220, Some("2.0.0"), "Ready to start TLS")
    }
    pub fn unknown_command() -> Reply {
        Reply::new(500, Some("5.5.1"), "Command unrecognized")
    }
    pub fn syntax_error() -> Reply {
        Reply::new(500, Some("5.5.2"), "Syntax error")
    }
    pub fn line_too_long() -> Reply {
        Reply::new(500, Some("5.5.2"), "Line too long")
    }
    pub fn not_implemented(what: &str) -> Reply {
        Reply::new(502, Some("5.5.1"), format!("{what} not available"))
    }
    pub fn bad_sequence(text: &str) -> Reply {
        Reply::new(503, Some("5.5.1"), text)
    }
    pub fn bad_arguments(usage: &str) -> Reply {
        Reply::new(501, Some("5.5.4"), format!("Syntax: {usage}"))
    }
    pub fn bad_base64() -> Reply {
        Reply::new(501, Some("5.5.2"), "Invalid base64 data")
    }
    pub fn unknown_parameter(param: &str) -> Reply {
        Reply::new(555, Some("5.5.4"), format!("Unsupported parameter {param}"))
    }
    pub fn message_too_big() -> Reply {
        Reply::new(
            552,
            Some("5.3.4"),
            "Message size exceeds fixed maximum message size",
        )
    }
    pub fn too_many_recipients() -> Reply {
        Reply::new(452, Some("4.5.3"), "Too many recipients")
    }
    pub fn bad_sender() -> Reply {
        Reply::new(553, Some("5.1.7"), "Invalid sender address")
    }
    pub fn bad_recipient() -> Reply {
        Reply::new(553, Some("5.1.3"), "Invalid recipient address")
    }
    pub fn auth_required() -> Reply {
        Reply::new(530, Some("5.7.0"), "Authentication required")
    }
    pub fn domain_not_accepted() -> Reply {
        Reply::new(550, Some("5.7.1"), "Recipient domain not accepted here")
    }
    pub fn relay_denied() -> Reply {
        Reply::new(554, Some("5.7.1"), "Relay access denied")
    }
    pub fn encryption_required() -> Reply {
        Reply::new(
            538,
            Some("5.7.11"),
            "Encryption required for requested authentication mechanism",
        )
    }
    pub fn auth_challenge(b64: &str) -> Reply {
        Reply::new(334, None, b64)
    }
    pub fn auth_ok() -> Reply {
        Reply::new(235, Some("2.7.0"), "Authentication succeeded")
    }
    pub fn auth_failed() -> Reply {
        Reply::new(535, Some("5.7.8"), "Authentication credentials invalid")
    }
    pub fn auth_cancelled() -> Reply {
        Reply::new(501, Some("5.7.0"), "Authentication cancelled")
    }
    pub fn auth_mechanism_unknown() -> Reply {
        Reply::new(504, Some("5.5.4"), "Unrecognized authentication type")
    }
    pub fn bare_line_ending() -> Reply {
        Reply::new(
            550,
            Some("5.6.11"),
            "Bare CR or LF not allowed in message content (RFC 5321 section 2.3.8)",
        )
    }
    pub fn timeout(host: &str) -> Reply {
        Reply::new(
            421,
            Some("4.4.2"),
            format!("{host} Error: timeout exceeded"),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line() {
        assert_eq!(
            Reply::new(250, Some("2.1.0"), "Ok").to_bytes(),
            b"250 2.1.0 Ok\r\n"
        );
        assert_eq!(Reply::new(354, None, "Go").to_bytes(), b"354 Go\r\n");
        assert_eq!(
            Reply::too_many_connections("mx.example").to_bytes(),
            b"421 4.7.0 mx.example Too many connections, try again later\r\n"
        );
        assert_eq!(
            Reply::insufficient_storage().to_bytes(),
            b"452 4.3.1 Insufficient system storage\r\n"
        );
        assert!(!Reply::insufficient_storage().is_positive());
    }

    #[test]
    fn multi_line_and_injection() {
        assert_eq!(
            Reply::new(214, Some("2.0.0"), "a\nb").to_bytes(),
            b"214-2.0.0 a\r\n214 2.0.0 b\r\n"
        );
        assert_eq!(
            Reply::new(451, Some("4.3.0"), "x\r\n250 fake").to_bytes(),
            b"451-4.3.0 x\r\n451 4.3.0 250 fake\r\n"
        );
        assert_eq!(Reply::new(99, None, "x").to_bytes(), b"451 x\r\n");
    }
}
