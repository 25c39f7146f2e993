//! Multi-line SMTP replies joined into one text. Gmail and Microsoft answer
//! in several lines (`550-5.1.1 The email account that you tried to reach
//! does not exist. Please try` / `550-5.1.1 double-checking …` / `550 5.1.1
//! … spaces.`); reports join them (Postfix's "said:", a DSN's
//! `Diagnostic-Code`, Exim's indented lines) with the line prefixes left
//! inside the sentence, where they split the phrase that names the cause
//! ("this user doesn't have a 550-5.1.1 yahoo.com account"). The phrase
//! table is matched on the text without them; the codes are read from the
//! text as written.

use crate::codes::normalize_enhanced;

/// A multi-line SMTP reply's continuation marker (`550-`) opens a word.
fn is_continuation(word: &str) -> bool {
    let b = word.as_bytes();
    b.len() >= 4
        && matches!(b.first(), Some(b'2' | b'4' | b'5'))
        && b.get(1).is_some_and(u8::is_ascii_digit)
        && b.get(2).is_some_and(u8::is_ascii_digit)
        && b.get(3) == Some(&b'-')
        // `550-Please`, `550-<a@b>`, `550-5.1.1`; not `555-1234` (a phone
        // number).
        && (b.len() == 4
            || b.get(4).is_some_and(|c| !c.is_ascii_digit())
            || matches!(b.get(4), Some(b'2' | b'4' | b'5')) && b.get(5) == Some(&b'.'))
}

/// Exchange quotes the remote reply after a `#` (`smtp04.example.com
/// #550-The domain … does not 550 exist. ##`): the marker behind it is one.
fn continuation_word(word: &str) -> Option<&str> {
    let w = word.strip_prefix('#').unwrap_or(word);
    is_continuation(w).then_some(w)
}

pub(crate) fn has_continuation(norm: &str) -> bool {
    // Every marker holds a `-` three digits into its word (found by a SIMD
    // search): only the words around those are tested.
    let b = norm.as_bytes();
    memchr::memchr_iter(b'-', b).any(|dash| {
        let Some(digits) = dash.checked_sub(3) else {
            return false;
        };
        let before = |i: usize| i.checked_sub(1).and_then(|p| b.get(p)).copied();
        let start = match before(digits) {
            None | Some(b' ') => digits,
            Some(b'#') if matches!(before(digits - 1), None | Some(b' ')) => digits - 1,
            _ => return false,
        };
        let end = b
            .get(dash..)
            .and_then(|rest| memchr::memchr(b' ', rest))
            .map_or(b.len(), |e| dash + e);
        norm.get(start..end).and_then(continuation_word).is_some()
    })
}

fn is_enhanced_word(word: &str) -> bool {
    normalize_enhanced(word.trim_end_matches([',', ';', ':']))
        .is_some_and(|e| e.len() == word.trim_end_matches([',', ';', ':']).len())
}

/// `norm` (normalised: lower case, single spaces) with the reply's line
/// prefixes taken out: each `550-` marker (with its enhanced code), and the
/// last line's `550 5.1.1` once a continuation was seen.
pub(crate) fn without_continuations(norm: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut code: Option<&str> = None;
    let mut words = norm.split(' ').peekable();
    while let Some(w) = words.next() {
        if let Some(w) = continuation_word(w) {
            code = w.get(..3);
            let rest = w.get(4..).unwrap_or("");
            if !rest.is_empty() && !is_enhanced_word(rest) {
                out.push(rest);
            }
            continue;
        }
        // The last line's prefix (`550 5.1.1`) after continuation lines.
        if code == Some(w) {
            if words.peek().is_some_and(|n| is_enhanced_word(n)) {
                words.next();
            }
            continue;
        }
        out.push(w);
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchanges_hash_before_the_reply_is_no_word() {
        let exchange = "smtp04.relay.example.com #550-the domain in the email address 'a@b.example' does not 550 exist. sorry. ##";
        assert!(has_continuation(exchange));
        assert_eq!(
            without_continuations(exchange),
            "smtp04.relay.example.com the domain in the email address 'a@b.example' does not exist. sorry. ##"
        );
    }

    #[test]
    fn joined_reply_lines_lose_their_prefixes() {
        let gmail =
            "550-5.1.1 the email account that you tried to reach does not exist. please try \
550-5.1.1 double-checking the recipient's email address for typos or 550-5.1.1 unnecessary \
spaces. 550 5.1.1 learn more at https://support.google.com/mail/?p=nosuchuser x1si";
        assert!(has_continuation(gmail));
        assert_eq!(
            without_continuations(gmail),
            "the email account that you tried to reach does not exist. please try \
double-checking the recipient's email address for typos or unnecessary spaces. \
learn more at https://support.google.com/mail/?p=nosuchuser x1si"
        );
        let yahoo = "554-delivery error: dd this user doesn't have a 554-yahoo.com account 554 [0]";
        assert_eq!(
            without_continuations(yahoo),
            "delivery error: dd this user doesn't have a yahoo.com account [0]"
        );
    }

    #[test]
    fn one_line_replies_and_other_hyphens_are_left_alone() {
        for t in [
            "550 5.1.1 user unknown",
            "error 550 mailbox unavailable",
            "host mx-550.example.com said 550 relaying denied",
            "ticket 555-1234 opened",
        ] {
            assert!(!has_continuation(t), "{t}");
        }
    }

    proptest::proptest! {
        /// The marker search finds a marker exactly where a word-by-word
        /// reading does, on texts dense in digits, hyphens and `#`.
        #[test]
        fn marker_search_agrees_with_reading_every_word(t in "[245#x .-]{0,40}") {
            let by_words = t.split(' ').any(|w| continuation_word(w).is_some());
            proptest::prop_assert_eq!(has_continuation(&t), by_words);
        }
    }
}
