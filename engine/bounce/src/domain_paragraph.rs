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
    lower_names_domain(&text.to_ascii_lowercase(), domain)
}

/// [`names_domain`] on text already in lower case.
fn lower_names_domain(low: &str, domain: &str) -> bool {
    if domain.len() < 4 || !domain.contains('.') {
        return false;
    }
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

/// A report's paragraphs (split at blank lines), read once for all its
/// recipients: a report naming thousands is not split again for each.
pub struct Paragraphs {
    /// Each paragraph's text, whether it names an address, whether it
    /// holds a reply code.
    items: Vec<(String, bool, bool)>,
    /// The texts in lower case, searched for each recipient's domain.
    lower: Vec<String>,
}

/// The most paragraphs read for a domain's.
const MAX_PARAGRAPHS: usize = 64;

/// The most paragraphs about one domain taken together.
const MAX_ABOUT: usize = 3;

impl Paragraphs {
    /// The paragraphs of `lines[from..cut]`.
    pub fn of(lines: &[&str], from: usize, cut: usize) -> Self {
        let slice = lines.get(from..cut.min(lines.len())).unwrap_or(&[]);
        let items = slice
            .split(|l| l.trim().is_empty())
            .filter(|p| !p.is_empty())
            .take(MAX_PARAGRAPHS)
            .map(|p| {
                let text = p
                    .iter()
                    .take(crate::paragraph::MAX_PARAGRAPH_LINES)
                    .map(|l| crate::text::clip(l.trim(), crate::paragraph::MAX_PARAGRAPH_BYTES))
                    .collect::<Vec<_>>()
                    .join(" ");
                let named = !find_addresses(&text).is_empty();
                let code = has_code(&text);
                (text, named, code)
            })
            .collect::<Vec<_>>();
        let lower = items
            .iter()
            .map(|(t, _, _)| t.to_ascii_lowercase())
            .collect();
        Self { items, lower }
    }

    /// The paragraphs that name `domain` and no address, with the reply
    /// that follows the last of them.
    pub fn about(&self, domain: &str) -> Option<String> {
        let about: Vec<usize> = (0..self.items.len())
            .filter(|&i| {
                self.items.get(i).is_some_and(|(_, named, _)| !named)
                    && self
                        .lower
                        .get(i)
                        .is_some_and(|low| lower_names_domain(low, domain))
            })
            .take(MAX_ABOUT)
            .collect();
        let at = *about.last()?;
        // Each paragraph about the domain ("… could not be delivered to
        // anyone at the domain b.example." / "We have been trying since …
        // the mail server for b.example … we have now given up").
        let mut out = about
            .iter()
            .filter_map(|&i| self.items.get(i).map(|(t, _, _)| t.as_str()))
            .collect::<Vec<_>>()
            .join(" ");
        let coded = about
            .iter()
            .any(|&i| self.items.get(i).is_some_and(|(_, _, c)| *c));
        // The server's reply it introduces follows (Gmail: "… rejected by
        // the server for the recipient domain b.example …" / "The error
        // that the other server returned was:" / "550-5.1.1 …"), a reply
        // that may quote an address; not a paragraph in words, which may
        // be about another domain.
        if let Some((next, _, true)) = self.items.get(at + 1).filter(|_| !coded) {
            out.push(' ');
            out.push_str(next);
        }
        Some(out)
    }
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
        let all = Paragraphs::of(&lines, 0, lines.len());
        let p = all.about("b.example").unwrap_or_default();
        assert!(p.contains("552 5.3.4"), "{p}");
        assert_eq!(all.about("x.example"), None);
    }
}
