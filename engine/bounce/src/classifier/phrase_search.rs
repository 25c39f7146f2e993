//! The phrase search of [`Classifier`]: the best rule of the tables found
//! in a normalised text, by tier, code condition and length, and the
//! subject-and-cause readings looked for when no phrase names a cause
//! (`cause_words.rs`, `cause_chars.rs`) or when a phrase naming no subject
//! stands as a domain's cause.

use super::{Classifier, Rule};
use crate::cause_chars::CauseChars;
use crate::cause_words::CauseWords;
use crate::ErrorStatus;

/// Ranking of a phrase match: specific, conditioned, long, early.
type Score = (u8, u8, usize, std::cmp::Reverse<usize>);

fn is_word_byte(b: Option<&u8>) -> bool {
    b.is_some_and(|c| c.is_ascii_alphanumeric())
}

impl Classifier {
    /// The deciding phrase. Phrases split by the address they name ("user
    /// jdoe@example.com does not exist", "mailbox <jdoe@example.com> is
    /// full") are looked for again without the addresses; only a specific
    /// phrase found so counts.
    pub(super) fn phrase(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        norm: &str,
    ) -> Option<(&Rule, usize)> {
        let found = self.best_rule(reply_code, enhanced, norm);
        match found {
            Some((r, _)) if !r.weak => found,
            _ => without_addresses(norm)
                .and_then(|t| self.best_rule(reply_code, enhanced, &t).map(|(r, _)| r))
                .filter(|r| !r.weak)
                .map(|r| (r, 0))
                .or(found),
        }
    }

    /// Where the table's generic refusal phrases stand in `norm`.
    pub(super) fn generic_spans<'a>(
        &'a self,
        norm: &'a str,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.matcher
            .iter()
            .flat_map(move |m| m.find_overlapping_iter(norm.as_bytes()))
            .filter(|m| {
                self.rules
                    .get(m.pattern().as_usize())
                    .is_some_and(|r| r.generic)
            })
            .map(|m| (m.start(), m.end()))
    }

    fn best_rule(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        norm: &str,
    ) -> Option<(&Rule, usize)> {
        let matcher = self.matcher.as_ref()?;
        let hay = norm.as_bytes();
        // A scan notice's "virus" is no cause (`not_causes.rs`), nor an
        // advice's "if you believe this was rejected in error", nor a
        // template's heading ("generated during the delivery attempts:").
        // Their words are rejection, generic or weak words: the wordings
        // are looked for only once such a phrase is found.
        let mut not_causes = None;
        let mut best: Option<(Score, &Rule, usize)> = None;
        // A failing local program's wrapper ("command died with status",
        // "command output:"): what its output says of a connection is the
        // program's own trouble, not the retries running out.
        let mut program_failed: Option<(&Rule, usize)> = None;
        for m in matcher.find_overlapping_iter(hay) {
            let Some(rule) = self.rules.get(m.pattern().as_usize()) else {
                continue;
            };
            if (rule.status == ErrorStatus::Rejected || rule.generic || rule.weak)
                && crate::not_causes::inside(
                    not_causes.get_or_insert_with(|| crate::not_causes::spans(norm)),
                    &m.range(),
                )
            {
                continue;
            }
            // A link's path is a page's name ("https://isp.example/policy"):
            // its refusal words name no refusal. A cause word still counts
            // there: providers name the cause in their help pages' paths
            // (163.com's `help_spam_16.htm`, a block list's lookup page
            // `www.spamhaus.org/query/bl?ip=…`).
            if rule.generic
                && m.start() > 0
                && crate::address_context::in_url(norm.get(..m.start()).unwrap_or(""))
            {
                continue;
            }
            // Nor does an address's name: `dmarc@reports…`, `abuse@…`.
            if crate::address_context::inside_address(norm, m.start(), m.end()) {
                continue;
            }
            if rule.token
                && (m.start() > 0 && is_word_byte(hay.get(m.start() - 1))
                    || is_word_byte(hay.get(m.end())))
            {
                continue;
            }
            if rule.generic
                && rule.status == ErrorStatus::ReceiverError
                && rule.pattern.starts_with("command ")
            {
                program_failed = program_failed.or(Some((rule, m.start())));
            }
            let mut cond = 1u8;
            if let Some(e) = &rule.enhanced {
                // A provider phrase tied to its code means something else
                // (or nothing) with another code.
                if Some(e.as_str()) != enhanced {
                    continue;
                }
                cond = 3;
            }
            if let Some(c) = rule.reply_code {
                if Some(c) == reply_code {
                    cond = cond.max(2);
                }
            }
            // Expiry phrases ("in the queue too long") report the
            // consequence; any specific cause in the same text wins
            // (unless the provider's code says that expiry is the verdict).
            // A provider's own error token (`IB607`) is the most specific
            // evidence of all.
            let tier = match (rule.weak, rule.status) {
                _ if rule.generic => 0,
                (true, _) => 1,
                (false, _) if rule.token => 5,
                (false, ErrorStatus::ResendTimeout) if rule.enhanced.is_none() => 2,
                (false, _) => 4,
            };
            let score = (
                tier,
                cond,
                m.end() - m.start(),
                std::cmp::Reverse(rule.rank),
            );
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, rule, m.start()));
            }
        }
        if let (Some((score, rule, _)), Some(wrapper)) = (best, program_failed) {
            if score.0 == 2 && rule.status == ErrorStatus::ResendTimeout {
                return Some(wrapper);
            }
        }
        // A phrase naming no subject read as the mailbox's ("does not
        // exist.", "存在しません"), standing as the cause of a domain the
        // words name ("the domain name x does not exist", "宛先のドメイン名が
        // 存在しません"): the subject says whose it is.
        if let Some((score, rule, at)) = best {
            if score.0 == 4
                && rule.status == ErrorStatus::UnknownUser
                && rule.enhanced.is_none()
                && rule.reply_code.is_none()
            {
                if let Some(host) = self
                    .host_said(norm, at)
                    .or_else(|| self.domain_named_unknown(norm))
                {
                    return Some((host, at));
                }
            }
        }
        // A subject and its cause a few words apart (tier 3): looked for
        // only when no phrase naming a cause was found.
        if best
            .as_ref()
            .is_none_or(|((tier, ..), _, _)| *tier < CAUSE_WORDS_TIER)
        {
            // A reply or a paragraph states its cause near its start; the
            // search reads no further than CAUSE_SEARCH_BYTES, so that a
            // hostile 10 MB text costs no more than a paragraph.
            let head = head_of(norm, CAUSE_SEARCH_BYTES);
            let words = CauseWords::builtin();
            let found = words.find(head).map(|f| (f.cause, f.start)).or_else(|| {
                // Scripts without spaces: their rules follow the words'.
                CauseChars::builtin()
                    .find(head)
                    .map(|f| (words.causes.len() + f.cause, f.start))
            });
            if let Some((rule, start)) =
                found.and_then(|(i, at)| Some((self.cause_rules.get(i)?, at)))
            {
                // An address "not found" where its domain is not.
                let host = (rule.status == ErrorStatus::UnknownUser)
                    .then(|| self.domain_named_unknown(norm))
                    .flatten();
                return Some((host.unwrap_or(rule), start));
            }
        }
        best.map(|(_, r, at)| (r, at))
    }
}

impl Classifier {
    /// The cause rule of a domain said not to exist where a phrase starts
    /// at `at` in `norm`: the subject-and-cause reading finds a host
    /// subject before `at` whose cause covers it.
    fn host_said(&self, norm: &str, at: usize) -> Option<&Rule> {
        // Only the words around the phrase can make it a domain's: the
        // subject stands a few words before it, the cause runs on after.
        let mut from = at.saturating_sub(HOST_WINDOW_BYTES);
        while !norm.is_char_boundary(from) {
            from += 1;
        }
        let mut to = (at + HOST_WINDOW_BYTES).min(norm.len());
        while !norm.is_char_boundary(to) {
            to -= 1;
        }
        let window = norm.get(from..to)?;
        let at = at - from;
        let words = CauseWords::builtin();
        let (cause, covers) = match words.find(window) {
            Some(f) => (f.cause, f.start <= at && at < f.end),
            None => {
                let f = CauseChars::builtin().find(window)?;
                let near = f.start <= at && at - f.start <= HOST_CAUSE_BYTES;
                (words.causes.len() + f.cause, near)
            }
        };
        let rule = self.cause_rules.get(cause)?;
        (covers && rule.status == ErrorStatus::UnknownHost).then_some(rule)
    }
}

impl Classifier {
    /// The cause rule of a domain the text says does not exist or cannot
    /// be found, anywhere in its first part ("Address not found: … because
    /// the domain example.test couldn't be found"): a mailbox cannot be
    /// found where its domain is not, and the domain is the cause to fix.
    /// Only a text naming a domain and at most one address is read again.
    fn domain_named_unknown(&self, norm: &str) -> Option<&Rule> {
        const DOMAIN_WORDS: &[&str] = &[
            "domain",
            "domäne",
            "domaine",
            "dominio",
            "domínio",
            "domein",
            "домен",
            "domena",
            "ドメイン",
            "域名",
            "도메인",
            "โดเมน",
        ];
        let head = head_of(norm, CAUSE_SEARCH_BYTES);
        // One recipient's words: in a block of several, the domain may be
        // another's. One address named twice (Gmail's heading "x@d --
        // Address not found" over "wasn't delivered to x@d") is one.
        let found = crate::text::find_addresses(head);
        let first = found.first().map(|f| f.addr);
        if found
            .iter()
            .any(|f| first.is_some_and(|a| !f.addr.eq_ignore_ascii_case(a)))
        {
            return None;
        }
        let words = CauseWords::builtin();
        // Read from each domain word on: an earlier subject (the address
        // "not found") would be found first. Not from one inside an
        // address ("name@domain.com", "domain@x"): that is its name.
        DOMAIN_WORDS.iter().find_map(|w| {
            let (at, _) = head
                .match_indices(w)
                .find(|&(at, _)| !crate::address_context::inside_address(head, at, at + w.len()))?;
            let from = head.get(at..)?;
            let cause = match words.find(from) {
                Some(f) if f.start == 0 => f.cause,
                Some(_) => return None,
                None => words.causes.len() + CauseChars::builtin().find(from)?.cause,
            };
            let rule = self.cause_rules.get(cause)?;
            (rule.status == ErrorStatus::UnknownHost).then_some(rule)
        })
    }
}

/// How far around a phrase a domain's subject and its cause are looked
/// for: three words and the fillers between a subject and its cause, and
/// the longest cause.
const HOST_WINDOW_BYTES: usize = 160;

/// How far after a host subject, in bytes, a phrase may stand to be its
/// cause in a script without spaces (the gap and the subject itself).
const HOST_CAUSE_BYTES: usize = 48;

/// How much of a text the subject-and-cause search reads (a paragraph is
/// kept to 8 KB too).
const CAUSE_SEARCH_BYTES: usize = 8 * 1024;

/// The first `max` bytes of `text`, cut back to a character boundary.
fn head_of(text: &str, max: usize) -> &str {
    let mut end = max.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// The rank of a cause found by [`CauseWords`] among the phrase tiers:
/// above expiry notices (2), weak (1) and generic (0) words, below phrases
/// naming a cause (4) and provider tokens (5).
const CAUSE_WORDS_TIER: u8 = 3;

/// `norm` without its e-mail addresses (whole words holding `@`), or
/// `None` when it names none.
fn without_addresses(norm: &str) -> Option<String> {
    if !norm.contains('@') {
        return None;
    }
    let kept: Vec<&str> = norm
        .split(' ')
        .filter(|w| !w.split_once('@').is_some_and(|(_, d)| d.contains('.')))
        .collect();
    Some(kept.join(" "))
}
