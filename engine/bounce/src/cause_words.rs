//! Causes named by a subject and what is said of it, a few words apart.
//!
//! The phrase table holds whole phrases ("mailbox is full", "account has
//! been disabled"); servers put the same few words together in more orders,
//! tenses and fillers than any list of phrases holds ("Mailbox deactivated
//! for this recipient", "This account is quota full", "Recipient address
//! rejected: suspended account"). This module finds a subject (the mailbox,
//! the domain) and a cause said of it in one clause, from the word lists of
//! `data/cause_words.txt`. The classifier ranks such a find below every
//! phrase of the table that names a cause and above weak and generic words.

use crate::status::ErrorStatus;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

const CAUSE_WORDS: &str = include_str!("../data/cause_words.txt");

/// Most words between a subject and the cause said after it.
const MAX_BETWEEN_AFTER: usize = 3;
/// Most words between a cause said before a subject and the subject.
const MAX_BETWEEN_BEFORE: usize = 1;

type Phrase = Vec<String>;

/// FNV-1a: the keys are short words looked up once per word of a reply, where
/// SipHash's setup cost showed in the profile; no key comes from a peer.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type WordMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// A list of phrases indexed by their first word, so that finding the
/// phrases standing at a word costs one hash lookup, not one comparison per
/// phrase (the search runs on every reply whose cause no phrase names).
#[derive(Debug, Default)]
struct Phrases {
    list: Vec<Phrase>,
    by_first: WordMap<Vec<usize>>,
}

impl Phrases {
    fn extend(&mut self, more: Vec<Phrase>) {
        for p in more {
            if let Some(first) = p.first() {
                self.by_first
                    .entry(first.clone())
                    .or_default()
                    .push(self.list.len());
                self.list.push(p);
            }
        }
    }

    /// The length (in words) of the longest phrase standing at `at`.
    fn longest_at(&self, tokens: &[Token<'_>], at: usize) -> Option<usize> {
        let first = tokens.get(at)?;
        self.by_first
            .get(first.word)?
            .iter()
            .filter_map(|&i| self.list.get(i))
            .filter(|p| matches_at(tokens, at, p))
            .map(Vec::len)
            .max()
    }
}

/// One `cause` line of the data file.
#[derive(Debug)]
pub(crate) struct Cause {
    pub(crate) status: ErrorStatus,
    subjects: usize,
    after: bool,
    words: Phrases,
    /// What the line says, for `Classifier::explain`.
    pub(crate) describe: String,
}

/// One `subjects` line, with the words that make such a subject someone
/// else's when they stand right before it (its `stop-before` line).
#[derive(Debug)]
struct Subjects {
    name: String,
    phrases: Phrases,
    stop_before: HashSet<String>,
}

#[derive(Debug, Default)]
pub(crate) struct CauseWords {
    subject_sets: Vec<Subjects>,
    pub(crate) causes: Vec<Cause>,
    stop: HashSet<String>,
    filler: Phrases,
    /// The sets having a subject that starts with a word: most words start
    /// none, and are passed over with this one lookup.
    sets_by_first: WordMap<Vec<usize>>,
}

/// A cause found in a text: the index of its `cause` line and where the
/// words stand (byte offsets in the text searched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub(crate) cause: usize,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

fn phrases(list: &str) -> Vec<Phrase> {
    list.split('|')
        .map(|p| p.split_whitespace().map(str::to_owned).collect::<Phrase>())
        .filter(|p| !p.is_empty())
        .collect()
}

impl CauseWords {
    /// The built-in word lists, parsed once per process.
    pub(crate) fn builtin() -> &'static CauseWords {
        static BUILTIN: OnceLock<CauseWords> = OnceLock::new();
        BUILTIN.get_or_init(|| CauseWords::parse(CAUSE_WORDS))
    }

    /// Lines it cannot read are left out (the shipped file is checked by a
    /// test), so a broken line costs coverage, never a panic.
    fn parse(text: &str) -> CauseWords {
        let mut out = CauseWords::default();
        for line in crate::text::lines(text).map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let Some((head, list)) = line.split_once('=') else {
                continue;
            };
            let head: Vec<&str> = head.split_whitespace().collect();
            match head.as_slice() {
                // A name, `stop`, `filler` or `stop-before` given again
                // extends its list (one block per language).
                ["subjects", name] => match out.subject_sets.iter_mut().find(|s| s.name == *name) {
                    Some(set) => set.phrases.extend(phrases(list)),
                    None => {
                        let mut set = Subjects {
                            name: (*name).to_owned(),
                            phrases: Phrases::default(),
                            stop_before: HashSet::new(),
                        };
                        set.phrases.extend(phrases(list));
                        out.subject_sets.push(set);
                    }
                },
                ["stop"] => out.stop.extend(words(list)),
                ["filler"] => out.filler.extend(phrases(list)),
                ["stop-before", names @ ..] => {
                    for set in out
                        .subject_sets
                        .iter_mut()
                        .filter(|s| names.contains(&s.name.as_str()))
                    {
                        set.stop_before.extend(words(list));
                    }
                }
                ["cause", status, name, side @ ("after" | "before")] => {
                    let status = status.parse::<u8>().ok().and_then(ErrorStatus::from_u8);
                    let subjects = out.subject_sets.iter().position(|s| s.name == *name);
                    if let (Some(status), Some(subjects)) = (status, subjects) {
                        let after = *side == "after";
                        // One cause per status, subject set and side: the
                        // languages' lines of one cause are one word list,
                        // tried once per subject found (the first line's
                        // rank).
                        if let Some(same) = out.causes.iter_mut().find(|c| {
                            c.status == status && c.subjects == subjects && c.after == after
                        }) {
                            same.words.extend(phrases(list));
                            same.describe.push_str(" | ");
                            same.describe.push_str(list.trim());
                            continue;
                        }
                        let mut words = Phrases::default();
                        words.extend(phrases(list));
                        out.causes.push(Cause {
                            status,
                            subjects,
                            after: *side == "after",
                            words,
                            describe: format!("[{name}] {side}: {}", list.trim()),
                        });
                    }
                }
                _ => {}
            }
        }
        for (set, subjects) in out.subject_sets.iter().enumerate() {
            for first in subjects.phrases.by_first.keys() {
                let sets = out.sets_by_first.entry(first.clone()).or_default();
                if !sets.contains(&set) {
                    sets.push(set);
                }
            }
        }
        out
    }

    /// The first cause (in text order) said of a subject in `norm`
    /// (normalised: lower case, single spaces).
    pub(crate) fn find(&self, norm: &str) -> Option<Found> {
        let tokens = tokens(norm);
        for i in 0..tokens.len() {
            // The longest subject standing here decides what the words are
            // about: "recipient domain" is a domain, not a recipient.
            let Some(sets) = tokens.get(i).and_then(|t| self.sets_by_first.get(t.word)) else {
                continue;
            };
            let Some((set, len)) = sets
                .iter()
                .filter_map(|&set| {
                    let len = self.subject_sets.get(set)?.phrases.longest_at(&tokens, i)?;
                    Some((set, len))
                })
                .max_by_key(|&(set, len)| (len, std::cmp::Reverse(set)))
            else {
                continue;
            };
            let owned_by_another = i > 0
                && tokens.get(i - 1).is_some_and(|t| {
                    self.subject_sets
                        .get(set)
                        .is_some_and(|s| s.stop_before.contains(t.word))
                });
            if owned_by_another {
                continue;
            }
            for (idx, cause) in self.causes.iter().enumerate() {
                if cause.subjects != set {
                    continue;
                }
                let span = if cause.after {
                    self.said_after(&tokens, i, len, cause)
                } else {
                    self.said_before(&tokens, i, len, cause)
                };
                if let Some((start, end)) = span {
                    return Some(Found {
                        cause: idx,
                        start,
                        end,
                    });
                }
            }
        }
        None
    }

    fn said_after(
        &self,
        tokens: &[Token<'_>],
        at: usize,
        len: usize,
        cause: &Cause,
    ) -> Option<(usize, usize)> {
        let first = tokens.get(at)?;
        let end = at + len;
        if tokens.get(end - 1)?.ends_clause {
            return None;
        }
        let (mut j, mut between) = (end, 0);
        while between <= MAX_BETWEEN_AFTER {
            if let Some(len) = cause.words.longest_at(tokens, j) {
                let last = tokens.get(j + len - 1)?;
                return Some((first.start, last.end));
            }
            // A relative clause or an auxiliary is skipped whole and not
            // counted ("the mailbox you are trying to reach has been
            // closed").
            if let Some(len) = self.filler.longest_at(tokens, j) {
                if tokens.get(j + len - 1)?.ends_clause {
                    return None;
                }
                j += len;
                continue;
            }
            let word = tokens.get(j)?;
            if word.ends_clause || self.stop.contains(word.word) {
                return None;
            }
            j += 1;
            between += 1;
        }
        None
    }

    fn said_before(
        &self,
        tokens: &[Token<'_>],
        at: usize,
        len: usize,
        cause: &Cause,
    ) -> Option<(usize, usize)> {
        let last = tokens.get(at + len - 1)?;
        for gap in 0..=MAX_BETWEEN_BEFORE {
            if gap > 0 {
                let between = tokens.get(at.checked_sub(gap)?)?;
                if between.ends_clause || self.stop.contains(between.word) {
                    return None;
                }
            }
            for p in &cause.words.list {
                let Some(k) = at.checked_sub(gap + p.len()) else {
                    continue;
                };
                let clause_inside = tokens
                    .get(k..at - gap)
                    .is_some_and(|ws| ws.iter().any(|t| t.ends_clause));
                if !clause_inside && matches_at(tokens, k, p) {
                    let first = tokens.get(k)?;
                    return Some((first.start, last.end));
                }
            }
        }
        None
    }
}

fn words(list: &str) -> HashSet<String> {
    list.split('|')
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect()
}

/// A word of the text with the punctuation around it taken off.
#[derive(Debug)]
struct Token<'a> {
    word: &'a str,
    start: usize,
    end: usize,
    /// The word ends a clause (`.`, `;`, `:`, `!`, `?` after it).
    ends_clause: bool,
}

/// Articles and prepositions joined to the next word by an apostrophe.
const ELISIONS: [&str; 12] = [
    "l'",
    "l\u{2019}",
    "d'",
    "d\u{2019}",
    "qu'",
    "qu\u{2019}",
    "dell'",
    "dell\u{2019}",
    "all'",
    "all\u{2019}",
    "nell'",
    "nell\u{2019}",
];

fn tokens(norm: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut offset = 0;
    for raw in norm.split(' ') {
        let start = offset;
        offset += raw.len() + 1;
        let trimmed = raw.trim_end_matches(['"', '\'', ')', ']', '>', ',']);
        let ends_clause = trimmed.ends_with(['.', ';', ':', '!', '?']);
        let word = trimmed
            .trim_end_matches(['.', ';', ':', '!', '?', ',', '"', '\'', ')', ']', '>'])
            .trim_start_matches(['"', '\'', '(', '[', '<']);
        let word = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("\u{2019}s"))
            .unwrap_or(word);
        // French and Italian elision: "l'adresse" is "adresse". Every
        // elision's apostrophe (ASCII, or U+2019 from its lead byte 0xE2)
        // lies in its first five bytes: most words are passed over on that.
        let apostrophe = word
            .as_bytes()
            .iter()
            .take(5)
            .any(|&b| b == b'\'' || b == 0xE2);
        let word = ELISIONS
            .iter()
            .filter(|_| apostrophe)
            .find_map(|e| word.strip_prefix(e).filter(|w| !w.is_empty()))
            .unwrap_or(word);
        if word.is_empty() {
            continue;
        }
        out.push(Token {
            word,
            start,
            end: start + raw.len(),
            ends_clause,
        });
    }
    out
}

fn matches_at(tokens: &[Token<'_>], at: usize, phrase: &[String]) -> bool {
    !phrase.is_empty()
        && phrase
            .iter()
            .enumerate()
            .all(|(k, w)| tokens.get(at + k).is_some_and(|t| t.word == w))
        // A phrase of several words stays in one clause.
        && tokens
            .get(at..at + phrase.len() - 1)
            .is_some_and(|ws| ws.iter().all(|t| !t.ends_clause))
}

#[cfg(test)]
#[path = "cause_words_tests.rs"]
mod tests;
