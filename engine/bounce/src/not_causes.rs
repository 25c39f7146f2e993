//! Wordings that hold a cause's word but state no cause
//! (`data/not_causes.txt`): an anti-virus scan notice appended to a report
//! ("This message has been scanned for viruses", "No virus found") is no
//! content rejection. The classifier drops every phrase match that lies
//! inside one of them, and the notice wordings every marker match that does
//! (a report with such a footer is no content-filter notice).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::classifier::normalize;

const LIST: &str = include_str!("../data/not_causes.txt");

/// The wordings, in the classifier's folded spelling.
fn matcher() -> Option<&'static AhoCorasick> {
    static M: OnceLock<Option<AhoCorasick>> = OnceLock::new();
    M.get_or_init(|| {
        // Folded for the classifier's text, and as written (lower case)
        // for the notice wordings' head, which is not folded.
        let mut words: Vec<String> = LIST
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .flat_map(|l| [normalize(l), l.to_lowercase()])
            .collect();
        words.sort();
        words.dedup();
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(words)
            .ok()
    })
    .as_ref()
}

/// Where the wordings occur in `text` (lower case; folded or not).
pub(crate) fn spans(text: &str) -> Vec<Range<usize>> {
    matcher().map_or_else(Vec::new, |m| {
        m.find_iter(text).map(|f| f.start()..f.end()).collect()
    })
}

/// Whether `at` lies inside any of `spans`.
pub(crate) fn inside(spans: &[Range<usize>], at: &Range<usize>) -> bool {
    spans.iter().any(|s| s.start <= at.start && at.end <= s.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_notices_are_found_in_folded_text() {
        let t = normalize("Virus-free. www.avast.com -- No virus found in this message.");
        let found: Vec<&str> = spans(&t).into_iter().filter_map(|r| t.get(r)).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(spans(&normalize("550 5.7.1 Message contains a virus")).is_empty());
        let spans = [1..2, 3..8];
        assert!(inside(&spans, &(3..8)));
        assert!(inside(&spans, &(4..7)));
        assert!(!inside(&spans, &(7..12)));
    }
}
