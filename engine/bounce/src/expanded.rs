//! Sendmail's `(expanded from: <addr>)` below a failed program or file.
//!
//! When an alias or a `.forward` delivers to a pipe or a file and that
//! fails, Sendmail's text bounce names the target (`"|/usr/bin/procmail"`,
//! `/var/mail/jd`), which is no address, and below it the address it was
//! asked to deliver to: the one the sender knows and the failed recipient.

use crate::text::{canonical, find_addresses};

/// The asked address of an `(expanded from: <addr>)` line (`low` is the
/// line in lower case) when no recipient opened its paragraph (`has_owner`
/// false): the target above it was a program or a file.
pub fn asked_alone(low: &str, line: &str, has_owner: bool) -> Option<String> {
    if has_owner || !low.trim_start().starts_with("(expanded from:") {
        return None;
    }
    find_addresses(line).first().map(|f| canonical(f.addr))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_asked_address_below_a_program() {
        let l = "    (expanded from: <JD@sm.example.com>)";
        let low = l.to_ascii_lowercase();
        assert_eq!(
            asked_alone(&low, l, false).as_deref(),
            Some("jd@sm.example.com")
        );
        // Below an address, the owner branch of `nonstd::collect` decides.
        assert_eq!(asked_alone(&low, l, true), None);
        assert_eq!(
            asked_alone("(reason: can't create output)", "x", false),
            None
        );
    }
}
