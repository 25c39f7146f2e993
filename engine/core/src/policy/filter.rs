//! Filters (SPEC §13.3): a header name and a regular expression that must match the header's
//! whole value, as Java's `Pattern.matches()` does.
//!
//! **Regex engine.** The product's filters are written for Java's `Pattern`; the `regex` crate
//! lacks backreferences, look-around, atomic groups and possessive quantifiers, which Java has.
//! `fancy-regex` adds exactly those on top of `regex-automata` (a pattern without them runs on
//! the plain DFA/NFA engines, so the common filters cost what `regex` costs). Differences to
//! Java that remain, written down for operators (`docs/operations.md`):
//! - `\Q…\E` quoting is translated here into escaped literals (fancy-regex has no `\Q`);
//! - Java's `$` also matches before a final line terminator; with whole-value matching that
//!   only matters for values ending in a newline, which unfolded header values never do;
//! - POSIX classes are spelled `[[:alpha:]]` (Java: `\p{Alpha}`); Unicode properties (`\p{L}`,
//!   `\p{Lu}`, `\p{Greek}`) work in both;
//! - Java's embedded flags `(?idmsux)` work except `u` and `d`, which have no meaning here.
//!
//! **Whole value.** A pattern is compiled as `\A(?:pattern)\z`, so `.+@example\.com` selects
//! the recipients of example.com and a From filter needs `.*user@example\.com.*` (display
//! names), exactly as the seed documents.
//!
//! **Case.** `To` is the envelope recipient, and addresses compare case-insensitively
//! everywhere (SPEC §13.1), so a `To` filter matches without regard to case (`.+@Example\.com`
//! matches `a@example.com`, the seed's own example). Other headers match case-sensitively, as
//! in Java, unless the pattern says `(?i)`.

use fancy_regex::Regex;

/// Headers that may occur several times in a message: a filter on them would be ambiguous,
/// so validation refuses them (seed: "Multiple mail headers such as 'Received' cannot be
/// specified"). Trace and resent fields (RFC 5322 §3.6) and the common repeated ones.
const MULTI_VALUED: &[&str] = &[
    "received",
    "return-path",
    "resent-date",
    "resent-from",
    "resent-sender",
    "resent-to",
    "resent-cc",
    "resent-bcc",
    "resent-message-id",
    "comments",
    "keywords",
    "dkim-signature",
    "arc-seal",
    "arc-message-signature",
    "arc-authentication-results",
    "authentication-results",
    "received-spf",
];

/// A filter that does not compile.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FilterError {
    /// No header name.
    #[error("the header name is empty")]
    EmptyHeader,
    /// Not a valid header field name (RFC 5322 §3.6.8: printable ASCII except `:`).
    #[error("{0:?} is not a header field name")]
    BadHeader(String),
    /// A header that can occur several times.
    #[error("{0} can occur several times in a message and cannot be used in a filter")]
    MultiValued(String),
    /// The pattern does not compile; `position` is the byte offset in the pattern as written,
    /// when the engine names one.
    #[error("invalid regex{}: {message}", position.map(|p| format!(" at position {p}")).unwrap_or_default())]
    Regex {
        /// Byte offset in the pattern.
        position: Option<usize>,
        /// The engine's explanation.
        message: String,
    },
}

/// Which value a filter looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The envelope recipient (header name `To`).
    Recipient,
    /// A header of the message, by lower-cased name.
    Header(String),
}

/// A compiled filter.
#[derive(Debug, Clone)]
pub struct Filter {
    target: Target,
    regex: Regex,
}

impl Filter {
    /// Compiles `(header, pattern)`.
    pub fn compile(header: &str, pattern: &str) -> Result<Filter, FilterError> {
        let name = header.trim();
        if name.is_empty() {
            return Err(FilterError::EmptyHeader);
        }
        if !name.bytes().all(|b| (33..=126).contains(&b) && b != b':') {
            return Err(FilterError::BadHeader(name.to_string()));
        }
        let lower = name.to_ascii_lowercase();
        if MULTI_VALUED.contains(&lower.as_str()) {
            return Err(FilterError::MultiValued(name.to_string()));
        }
        let target = if lower == "to" {
            Target::Recipient
        } else {
            Target::Header(lower)
        };
        let (translated, offsets) = translate(pattern);
        // The pattern must be a regex on its own: wrapped first, `a)|(?:b` would close the
        // whole-value group and match any value starting with `a` (checked by fuzz/webhooks).
        Regex::new(&translated).map_err(|e| regex_error(&e, 0, &offsets))?;
        let flags = if target == Target::Recipient {
            "(?i)"
        } else {
            ""
        };
        let prefix = format!("{flags}\\A(?:");
        let whole = format!("{prefix}{translated})\\z");
        let regex = Regex::new(&whole).map_err(|e| regex_error(&e, prefix.len(), &offsets))?;
        Ok(Filter { target, regex })
    }

    /// What the filter looks at.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// Whether `value` matches as a whole. A pattern that exceeds the engine's backtracking
    /// limit (a pathological backreference) does not match.
    pub fn matches(&self, value: &str) -> bool {
        self.regex.is_match(value).unwrap_or(false)
    }
}

/// Translates Java-only syntax (`\Q…\E`) and returns, for each byte of the translated pattern,
/// the byte offset in the original (so errors point at what the operator wrote).
fn translate(pattern: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(pattern.len());
    let mut offsets = Vec::with_capacity(pattern.len());
    let mut rest = pattern.char_indices().peekable();
    while let Some((i, c)) = rest.next() {
        if c == '\\' && rest.peek().map(|(_, n)| *n) == Some('Q') {
            rest.next();
            // Literal until \E (or the end).
            let start = i + 2;
            let tail = &pattern[start..];
            let end = tail.find("\\E").map_or(pattern.len(), |e| start + e);
            for (j, lc) in pattern[start..end].char_indices() {
                let escaped = fancy_regex::escape(lc.encode_utf8(&mut [0u8; 4])).into_owned();
                for _ in 0..escaped.len() {
                    offsets.push(start + j);
                }
                out.push_str(&escaped);
            }
            while rest.peek().is_some_and(|(j, _)| *j < end + 2) {
                rest.next();
            }
            continue;
        }
        // Any other escape is copied as a pair, so the `Q` of an escaped backslash (`\\Q`)
        // stays a literal Q instead of opening a quote (checked by fuzz/webhooks).
        if c == '\\' {
            if let Some((j, n)) = rest.next() {
                offsets.push(i);
                out.push(c);
                for _ in 0..n.len_utf8() {
                    offsets.push(j);
                }
                out.push(n);
                continue;
            }
        }
        for _ in 0..c.len_utf8() {
            offsets.push(i);
        }
        out.push(c);
    }
    (out, offsets)
}

/// Maps an engine error back to a position in the pattern as written.
fn regex_error(e: &fancy_regex::Error, prefix: usize, offsets: &[usize]) -> FilterError {
    let message = e.to_string();
    let position = match e {
        fancy_regex::Error::ParseError(pos, _) => Some(*pos),
        _ => None,
    }
    .and_then(|p| p.checked_sub(prefix))
    .map(|p| offsets.get(p).copied().unwrap_or(offsets.len()));
    FilterError::Regex { position, message }
}

#[cfg(test)]
mod tests;
