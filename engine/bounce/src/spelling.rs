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
    /// The canonical form of each variant, in the matcher's pattern order.
    canonical: Vec<&'static str>,
    /// The canonical forms, each once, with the variants of each: for
    /// writing a phrase in every spelling without a search per variant.
    forms: AhoCorasick,
    variants_of: Vec<(&'static str, Vec<String>)>,
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
            let mut variants_of: Vec<(&'static str, Vec<String>)> = Vec::new();
            for (variant, form) in variants.iter().zip(&canonical) {
                match variants_of.iter_mut().find(|(f, _)| f == form) {
                    Some((_, vs)) => vs.push(variant.clone()),
                    None => variants_of.push((form, vec![variant.clone()])),
                }
            }
            let forms = AhoCorasick::new(variants_of.iter().map(|(f, _)| *f)).ok()?;
            Some(Folding {
                matcher,
                canonical,
                forms,
                variants_of,
            })
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

/// `phrase` in every spelling: folded, as written, and with each canonical
/// form in it (as whole words) written as each of its variants, one at a
/// time. For phrase lists matched as substrings of unfolded text (the
/// non-standard strategy's markers), so that "could not be delivered" also
/// finds "couldn't be delivered" without folding every line searched.
pub(crate) fn spellings_of(phrase: &str) -> Vec<String> {
    let base = folded(phrase).unwrap_or_else(|| phrase.to_owned());
    let mut out = vec![base.clone()];
    if phrase != base {
        out.push(phrase.to_owned());
    }
    let Some(folding) = folding() else {
        return out;
    };
    let bytes = base.as_bytes();
    for m in folding.forms.find_overlapping_iter(&base) {
        let (at, end) = (m.start(), m.end());
        if is_word_byte(at.checked_sub(1).and_then(|i| bytes.get(i)))
            || is_word_byte(bytes.get(end))
        {
            continue;
        }
        let Some((_, variants)) = folding.variants_of.get(m.pattern().as_usize()) else {
            continue;
        };
        for variant in variants {
            let spelled = format!(
                "{}{variant}{}",
                base.get(..at).unwrap_or_default(),
                base.get(end..).unwrap_or_default()
            );
            if !out.contains(&spelled) {
                out.push(spelled);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{folded, spellings_of};

    #[test]
    fn a_phrase_in_every_spelling() {
        let all = spellings_of("couldn't be delivered");
        assert_eq!(
            all.first().map(String::as_str),
            Some("could not be delivered")
        );
        for s in ["couldn't be delivered", "couldn\u{2019}t be delivered"] {
            assert!(all.iter().any(|a| a == s), "{s:?} in {all:?}");
        }
        assert_eq!(
            spellings_of("returned mail"),
            vec!["returned mail".to_owned()]
        );
        assert!(spellings_of("the mailbox is full")
            .iter()
            .any(|a| a == "the mail box is full"));
    }

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
