//! The last resort of a recipient's status: words that lean towards one
//! cause, counted over the recipient's own text (`data/cause_votes.txt`).
//!
//! The phrase tables (`classifier`) and the subject-and-cause lists
//! (`cause_words`, `cause_chars`) read what servers write word for word and
//! the few orders their words come in. Notices written for people, and
//! servers nobody has catalogued, name the same causes in words the tables
//! do not hold ("The mailbox has hit its storage cap"). Measured on wordings
//! written for the twentieth round of issue 18, before this existed, the
//! tables misread 37 of 60. Nearly every such wording still holds a word or
//! two that only one cause uses (storage, junk, syntax, forwarded): a vote
//! of those words decides where the status would otherwise rest on a reply
//! code or on nothing. A tie decides nothing.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::classifier::normalize;
use crate::status::ErrorStatus;
use crate::subject::sender_stage;

const CAUSE_VOTES: &str = include_str!("../data/cause_votes.txt");

/// How much of a text is read: a recipient's paragraph, not a returned
/// message.
const MAX_BYTES: usize = 4 * 1024;

#[derive(Debug)]
pub(crate) struct CauseVotes {
    /// Words that make an address's or a host's trouble the sender's
    /// (`sender = …`): "The sending host failed DNS checks" is a refusal.
    sender: Option<AhoCorasick>,
    /// The status each pattern of `matcher` votes for, and the status
    /// whose vote it needs beside it (`vote 1 with 2`), if any.
    statuses: Vec<(ErrorStatus, Option<ErrorStatus>)>,
    /// `None` only for an empty list.
    matcher: Option<AhoCorasick>,
}

impl CauseVotes {
    /// The built-in lists, parsed once per process.
    pub(crate) fn builtin() -> &'static CauseVotes {
        static BUILTIN: OnceLock<CauseVotes> = OnceLock::new();
        BUILTIN.get_or_init(|| CauseVotes::parse(CAUSE_VOTES))
    }

    /// Lines it cannot read are left out (the shipped file is checked by a
    /// test).
    fn parse(text: &str) -> CauseVotes {
        let mut statuses = Vec::new();
        let mut words = Vec::new();
        let mut sender: Vec<String> = Vec::new();
        for line in text.lines().map(str::trim) {
            if let Some(list) = line.strip_prefix("sender =") {
                sender.extend(
                    list.split('|')
                        .map(str::trim)
                        .filter(|w| !w.is_empty())
                        .map(str::to_owned),
                );
                continue;
            }
            let Some(rest) = line.strip_prefix("vote ") else {
                continue;
            };
            let Some((head, list)) = rest.split_once('=') else {
                continue;
            };
            let status = |s: &str| s.parse::<u8>().ok().and_then(ErrorStatus::from_u8);
            let head: Vec<&str> = head.split_whitespace().collect();
            let (status, needs) = match head.as_slice() {
                [s] => (status(s), None),
                [s, "with", t] => match status(t) {
                    Some(t) => (status(s), Some(t)),
                    None => continue,
                },
                _ => continue,
            };
            let Some(status) = status else {
                continue;
            };
            for w in list.split('|').map(str::trim).filter(|w| !w.is_empty()) {
                statuses.push((status, needs));
                words.push(w.to_owned());
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&words)
            .ok();
        let sender = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&sender)
            .ok();
        CauseVotes {
            sender,
            statuses,
            matcher,
        }
    }

    /// The status a failure takes from the words of `text` where no
    /// enhanced code names the trouble's class ([`class_open`]): the vote,
    /// an unknown host, unknown user or address format made a rejection
    /// where the sender's stage or check says it is ours
    /// (`subject::sender_stage`).
    pub(crate) fn verdict(&self, text: &str, enhanced: Option<&str>) -> Option<ErrorStatus> {
        if !class_open(enhanced) {
            return None;
        }
        let norm = normalize(head(text));
        let voted = self.vote(&norm)?;
        Some(sender_stage(&norm, enhanced, voted))
    }

    /// The status most of the words of `norm` (normalised text) vote for,
    /// when one has more votes than any other.
    fn vote(&self, norm: &str) -> Option<ErrorStatus> {
        let matcher = self.matcher.as_ref()?;
        // Addresses, host names and links are names, not words
        // ("spam@…", "route3.mx.example.net", "…/email-routing/postmaster").
        let kept: Vec<&str> = norm.split(' ').filter(|w| !is_name(w)).collect();
        let hay = kept.join(" ");
        let bytes = hay.as_bytes();
        let word_byte = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
        let mut votes: Vec<(ErrorStatus, u32)> = Vec::new();
        let mut paired: Vec<(ErrorStatus, ErrorStatus)> = Vec::new();
        // A scan notice, an advice or a policy pointer holds cause words
        // and states no cause ("read our Anti-Spam Policy"): its words do
        // not vote (`data/not_causes.txt`).
        let aside = crate::not_causes::spans(&hay);
        for m in matcher.find_iter(&hay) {
            if crate::not_causes::inside(&aside, &m.range()) {
                continue;
            }
            // Whole words; not a command's parameter ("SIZE=1024"), a DSN
            // field's type ("Remote-MTA: dns; mx.example") nor a field's
            // label ("Size (in bytes): 39").
            if m.start() > 0 && word_byte(m.start() - 1)
                || word_byte(m.end())
                || matches!(bytes.get(m.end()), Some(b'=' | b';'))
                || is_label(hay.get(m.end()..).unwrap_or(""))
            {
                continue;
            }
            match self.statuses.get(m.pattern().as_usize()) {
                Some(&(status, None)) => add(&mut votes, status),
                Some(&(status, Some(needs))) => paired.push((status, needs)),
                None => {}
            }
        }
        // A word that needs another's vote beside it ("domain" with an
        // unknown user's "does not exist") counts once the others are in.
        for (status, needs) in paired {
            if votes.iter().any(|&(s, _)| s == needs) {
                add(&mut votes, status);
            }
        }
        votes.sort_by_key(|&(_, n)| std::cmp::Reverse(n));
        let winner = match votes.as_slice() {
            [(s, _)] => *s,
            [(s, a), (_, b), ..] if a > b => *s,
            _ => return None,
        };
        // An address, a domain or a host said of the sender is ours: the
        // receiver refused us.
        let whole = |m: &aho_corasick::Match| {
            !(m.start() > 0 && word_byte(m.start() - 1) || word_byte(m.end()))
        };
        let of_sender = self
            .sender
            .as_ref()
            .is_some_and(|a| a.find_iter(&hay).any(|m| whole(&m)));
        Some(match winner {
            ErrorStatus::UnknownHost | ErrorStatus::UnknownUser | ErrorStatus::AddressFormat
                if of_sender =>
            {
                ErrorStatus::Rejected
            }
            s => s,
        })
    }
}

/// What follows a word makes it a field's label with a value: a colon
/// right after it, or after a short parenthesis, then a number ("Size:
/// 39", "Size (in bytes): 39", "邮件大小：182 KB"). A colon before words is a statement's
/// ("DNS: no records found").
fn is_label(rest: &str) -> bool {
    let rest = rest.trim_start_matches(' ');
    let after_colon = match rest.strip_prefix('(') {
        Some(r) => r
            .get(..r.len().min(24))
            .and_then(|r| r.find(')').and_then(|i| r.get(i + 1..)))
            .map(|a| a.trim_start_matches(' '))
            .and_then(strip_colon),
        None => strip_colon(rest),
    };
    after_colon.is_some_and(|a| {
        a.trim_start_matches(' ')
            .starts_with(|c: char| c.is_ascii_digit())
    })
}

/// `s` after its leading colon, ASCII or full-width ("サイズ：96 KB", the
/// colon of Chinese and Japanese forms).
fn strip_colon(s: &str) -> Option<&str> {
    s.strip_prefix(':').or_else(|| s.strip_prefix('：'))
}

/// A word holding an address, a host name or a path: a `.`, `/` or `@`
/// with a letter or digit on both sides.
fn is_name(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(3).any(|w| {
        matches!(w, [x, b'.' | b'/' | b'@', y] if x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric())
    })
}

/// The part of `text` whose words vote: its first [`MAX_BYTES`] (cut back
/// to a character boundary), and none of
/// a failed local program's output (Postfix's "Command died with status 2:
/// … Command output: usage: …"): a usage line, a disk usage or a stack
/// trace is the program's own talk. A cause it states in a phrase of the
/// table is read before the votes.
fn head(text: &str) -> &str {
    let text = crate::text::find_ci(text.as_bytes(), b"command output:")
        .and_then(|at| text.get(..at))
        .unwrap_or(text);
    let mut end = MAX_BYTES.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(..end).unwrap_or(text)
}

/// Whether the words may still choose the cause: no enhanced code, or one
/// of subject 0 (`5.0.0`, "other"). A code of another subject names the
/// class of the trouble (`5.6.0` content, `5.7.1` policy: "Headers too
/// large" is no size) even where it maps to no specific status.
pub(crate) fn class_open(enhanced: Option<&str>) -> bool {
    enhanced.is_none_or(|e| e.split('.').nth(1) == Some("0"))
}

fn add(votes: &mut Vec<(ErrorStatus, u32)>, status: ErrorStatus) {
    match votes.iter_mut().find(|(s, _)| *s == status) {
        Some((_, n)) => *n += 1,
        None => votes.push((status, 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::CauseVotes;
    use crate::status::ErrorStatus::{self, *};

    fn decide(text: &str) -> Option<ErrorStatus> {
        CauseVotes::builtin().verdict(text, None)
    }

    #[test]
    fn shipped_file_is_read_whole() {
        let cv = CauseVotes::builtin();
        let words: usize = super::CAUSE_VOTES
            .lines()
            .filter(|l| l.starts_with("vote "))
            .map(|l| l.split_once('=').map_or(0, |(_, w)| w.split('|').count()))
            .sum();
        assert_eq!(cv.statuses.len(), words, "a vote line was not understood");
    }

    #[test]
    fn the_word_only_one_cause_uses_decides() {
        for (text, want) in [
            ("The mailbox has hit its storage cap", Some(OverCapacity)),
            (
                "Your message was identified as junk and discarded",
                Some(Rejected),
            ),
            (
                "The recipient address is missing an at sign",
                Some(AddressFormat),
            ),
            (
                "Mail for this user is redirected elsewhere",
                Some(ForwardingError),
            ),
            (
                "The email size is above the server's maximum",
                Some(Oversize),
            ),
            ("It sat in the queue until it expired", Some(ResendTimeout)),
            // "Trying", "days" and "hours" vote for nothing (boilerplate, periods).
            ("After several days of trying, it was not delivered", None),
            // A tie, and words about everything: no decision.
            ("The domain does not exist", None),
            ("The recipient's server did not accept the message", None),
            ("The domain part of the address does not exist", None),
            (
                "host route3.mx.example.net said: see https://x.example/email-routing",
                None,
            ),
            ("(and other recipients in the same domain)", None),
            // Whole words only, addresses left out.
            ("Delivery to spam-trap@x.example failed", None),
            ("Recipient address contains spaces", Some(AddressFormat)),
            ("The sending host failed DNS checks", Some(Rejected)),
            (
                "MAIL FROM:<a@x.example> SIZE=1024: 551 forbidden by invalid RDNS",
                Some(Rejected),
            ),
            // A DSN field's type, a policy pointer, a field's label with a
            // value: no votes. A colon before words is a statement's.
            (
                "Action: failed Status: 5.0.0 Remote-MTA: dns; mx.example",
                None,
            ),
            ("Please read our Anti-Spam Policy", None),
            (
                "RCPT TO: a@x.example Size (in bytes): 39 Number of lines: 2",
                None,
            ),
            ("邮件大小：    182 KB 附件： 报表.xlsx", None),
            ("サイズ：　96 KB", None),
            ("Message size: exceeds the limit", Some(Oversize)),
            ("DNS: no records found for the domain", Some(UnknownHost)),
        ] {
            assert_eq!(decide(text), want, "{text:?}");
        }
    }
}
