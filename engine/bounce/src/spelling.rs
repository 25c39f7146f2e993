//! Spelling variants folded to one form before phrase matching.
//!
//! The phrase table names each cause once ("mailbox is full", "does not
//! exist"), but servers and people write the same words as "mail box",
//! "mail-box", "doesn't exist" or "non-existent". Matching both the table's
//! patterns and the reply text after the same folding makes every rule
//! cover every spelling, instead of the table repeating each phrase per
//! spelling (and missing the ones nobody thought of). The variants are data
//! (`data/spellings.tsv`); only spelling is folded, never meaning.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::sync::OnceLock;

const SPELLINGS: &str = include_str!("../data/spellings.tsv");

struct Folding {
    matcher: AhoCorasick,
    canonical: Vec<&'static str>,
}

fn folding() -> Option<&'static Folding> {
    static FOLDING: OnceLock<Option<Folding>> = OnceLock::new();
    FOLDING
        .get_or_init(|| {
            let mut variants = Vec::new();
            let mut canonical = Vec::new();
            for line in SPELLINGS.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let Some((variant, form)) = line.split_once('\t') else {
                    continue;
                };
                if variant.contains('\'') {
                    variants.push(variant.replace('\'', "\u{2019}"));
                    canonical.push(form);
                }
                variants.push(variant.to_owned());
                canonical.push(form);
            }
            let matcher = AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&variants)
                .ok()?;
            Some(Folding { matcher, canonical })
        })
        .as_ref()
}

fn is_word_byte(b: Option<&u8>) -> bool {
    b.is_some_and(|c| c.is_ascii_alphanumeric() || *c >= 0x80)
}

/// `norm` (lower case, single spaces) with every spelling variant of
/// `data/spellings.tsv` that stands as whole words replaced by its
/// canonical form; `None` when there is none (the common case, one scan).
pub(crate) fn folded(norm: &str) -> Option<String> {
    let folding = folding()?;
    let bytes = norm.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    for m in folding.matcher.find_iter(norm) {
        let whole = !is_word_byte(m.start().checked_sub(1).and_then(|i| bytes.get(i)))
            && !is_word_byte(bytes.get(m.end()));
        if !whole {
            continue;
        }
        let Some(form) = folding.canonical.get(m.pattern().as_usize()) else {
            continue;
        };
        let o = out.get_or_insert_with(|| String::with_capacity(norm.len()));
        o.push_str(norm.get(copied..m.start()).unwrap_or_default());
        o.push_str(form);
        copied = m.end();
    }
    let mut o = out?;
    o.push_str(norm.get(copied..).unwrap_or_default());
    Some(o)
}

#[cfg(test)]
mod tests {
    use super::folded;

    #[test]
    fn folds_whole_words_only() {
        let cases = [
            ("the mail box is full", Some("the mailbox is full")),
            ("user doesn't exist", Some("user does not exist")),
            ("user doesn\u{2019}t exist", Some("user does not exist")),
            (
                "e-mail account can not be found",
                Some("email account cannot be found"),
            ),
            ("mailbox not available", Some("mailbox unavailable")),
            ("non-existent address", Some("nonexistent address")),
            // Inside a longer word nothing is folded.
            ("voicemail box", None),
            ("ex-e-mails", Some("ex-emails")),
            ("mailbox full", None),
        ];
        for (text, want) in cases {
            assert_eq!(folded(text).as_deref(), want, "{text:?}");
        }
    }

    #[test]
    fn every_row_is_a_variant_and_a_form() {
        for line in super::SPELLINGS.lines() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let (variant, form) = line.split_once('\t').unwrap_or_default();
            assert!(!variant.is_empty() && !form.is_empty(), "{line:?}");
            assert_eq!(variant, variant.to_lowercase(), "{line:?}");
            assert_eq!(form, form.to_lowercase(), "{line:?}");
            assert_ne!(variant, form, "{line:?}");
        }
    }
}
