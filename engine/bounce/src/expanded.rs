//! Sendmail's `(expanded from: <addr>)` line.
//!
//! Sendmail names an alias's or `.forward`'s target (another address, a
//! program `"|/usr/bin/procmail"` or a file `/var/mail/jd`) and, below it,
//! `(expanded from: <addr>)`: the address it was asked to deliver to, the
//! one its own DSN gives as `Final-Recipient`, the one the sender knows and
//! so the failed recipient. Postfix's `(expanded from <addr>)`, without the
//! colon, reports the target in its DSN too and is left as it is.

use crate::text::{canonical, find_addresses};

/// The asked address when `line` (`low`: in lower case) is an
/// `(expanded from: <addr>)` line.
pub fn asked_address(low: &str, line: &str) -> Option<String> {
    if !low.trim_start().starts_with("(expanded from:") {
        return None;
    }
    find_addresses(line).first().map(|f| canonical(f.addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asked_address() {
        let l = "    (expanded from: <JD@sm.example.com>)";
        let low = l.to_ascii_lowercase();
        assert_eq!(asked_address(&low, l).as_deref(), Some("jd@sm.example.com"));
        assert_eq!(asked_address("(reason: can't create output)", "x"), None);
        let postfix = "<jd@t.example> (expanded from <jd@sm.example.com>): user unknown";
        assert_eq!(asked_address(&postfix.to_ascii_lowercase(), postfix), None);
    }
}
