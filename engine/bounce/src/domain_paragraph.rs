//! A report's paragraph about a recipient's domain rather than its address
//! (Mercury: "Mail for the remaining addresses could not be sent because
//! the domain b.example does not exist"; "The mail server for b.example
//! … refused the message … with the reply:" / "552 5.3.4 …"): the reason of
//! every recipient there that has no words of its own, and no reason for
//! a recipient at another domain, whose paragraph it may follow.

use crate::text::find_addresses;

/// Whether `text` names `domain` as a word: not inside an address, a host
/// name (`mail.b.example`) or a longer domain (`b.example.org`).
pub fn names_domain(text: &str, domain: &str) -> bool {
    if domain.len() < 4 || !domain.contains('.') {
        return false;
    }
    let low = text.to_ascii_lowercase();
    let b = low.as_bytes();
    let part = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'@' | b'_');
    let mut from = 0;
    while let Some(at) = low.get(from..).and_then(|t| t.find(domain)) {
        let (s, e) = (from + at, from + at + domain.len());
        let before = s.checked_sub(1).and_then(|i| b.get(i)).copied();
        // A sentence's full stop may close the domain ("… at b.example.").
        let after = b.get(e).copied();
        let closes = after.is_none_or(|c| !part(c))
            || after == Some(b'.') && b.get(e + 1).is_none_or(|&c| !part(c));
        if before.is_none_or(|c| !part(c)) && closes {
            return true;
        }
        from = e;
    }
    false
}

/// The paragraph of `lines[from..cut]` (paragraphs split at blank lines)
/// that names `domain` and no address, read on to the reply code that
/// follows it.
pub fn about_domain(lines: &[&str], from: usize, cut: usize, domain: &str) -> Option<String> {
    let slice = lines.get(from..cut.min(lines.len()))?;
    let paragraphs: Vec<String> = slice
        .split(|l| l.trim().is_empty())
        .filter(|p| !p.is_empty())
        .map(|p| {
            p.iter()
                .take(crate::paragraph::MAX_PARAGRAPH_LINES)
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    let at = paragraphs
        .iter()
        .position(|p| find_addresses(p).is_empty() && names_domain(p, domain))?;
    let mut out = paragraphs.get(at)?.clone();
    // The server's reply it introduces follows (Gmail: "… rejected by the
    // server for the recipient domain b.example …" / "The error that the
    // other server returned was:" / "550-5.1.1 …").
    for next in paragraphs.iter().skip(at + 1).take(2) {
        // (A reply may quote an address; a list of addresses is no reply.)
        if has_code(&out) || !has_code(next) && !find_addresses(next).is_empty() {
            break;
        }
        out.push(' ');
        out.push_str(next);
    }
    Some(out)
}

fn has_code(t: &str) -> bool {
    crate::codes::find_reply_code(t).is_some() || crate::codes::find_enhanced(t).is_some()
}

/// The domain of a canonical address.
pub fn domain_of(addr: &str) -> &str {
    addr.rsplit_once('@').map_or("", |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_named_as_a_word() {
        let t = "because the domain b.example does not exist.";
        assert!(names_domain(t, "b.example"));
        assert!(names_domain("no such domain: b.example.", "b.example"));
        for t in [
            "mx.b.example refused it",
            "a@b.example is unknown",
            "b.example.org does not exist",
            "sub-b.example",
        ] {
            assert!(!names_domain(t, "b.example"), "{t}");
        }
    }

    #[test]
    fn the_paragraph_about_a_domain() {
        let lines = [
            "  a@x.example",
            "  c@b.example",
            "",
            "The server for b.example refused the message, with the reply:",
            "",
            "   552 5.3.4 Message size exceeds fixed limit",
            "",
            "No further attempts will be made.",
        ];
        let p = about_domain(&lines, 0, lines.len(), "b.example").unwrap_or_default();
        assert!(p.contains("552 5.3.4"), "{p}");
        assert_eq!(about_domain(&lines, 0, lines.len(), "x.example"), None);
    }
}
