//! EHLO and HELO: the greeting that starts (and resets) the session state.

use super::Session;
use crate::reply::{canned, Reply};

impl Session {
    /// EHLO/HELO resets any transaction (RFC 5321 §4.1.4) and lists the extensions that
    /// are usable *now*: STARTTLS only before TLS, AUTH only where credentials cannot be
    /// sniffed (after TLS) or the listener explicitly allows it.
    pub(super) fn ehlo(&mut self, args: &str, extended: bool) {
        let Some(domain) = args.split_ascii_whitespace().next() else {
            let usage = if extended {
                "EHLO hostname"
            } else {
                "HELO hostname"
            };
            self.reply(canned::bad_arguments(usage));
            return;
        };
        self.envelope = None;
        self.helo = Some(domain.to_owned());
        let host = &self.config.hostname;
        if !extended {
            self.reply(Reply::new(250, None, host.clone()));
            return;
        }
        let mut lines = vec![
            format!("{host} Hello {domain}"),
            "PIPELINING".to_owned(),
            format!("SIZE {}", self.config.max_message_size),
            "8BITMIME".to_owned(),
            "SMTPUTF8".to_owned(),
            "ENHANCEDSTATUSCODES".to_owned(),
            "CHUNKING".to_owned(),
        ];
        if self.starttls_offered() {
            lines.push("STARTTLS".to_owned());
        }
        if self.auth_offered() {
            lines.push("AUTH PLAIN LOGIN".to_owned());
        }
        self.reply(Reply::new(250, None, lines.join("\n")));
    }
}
