//! Error-status classification of SMTP replies and bounce diagnostics.
//!
//! Used both for bounces and, by the SMTP client, for live replies. Order
//! (SPEC §13.5): a specific enhanced status code, then the phrase table (data
//! files shipped in `data/`, extensible at construction), then a generic
//! enhanced code, then the basic reply code.
//!
//! **Cause beats generic wording.** A reply often says *that* it refused
//! and *why*: `554 5.7.1 <a@b>: Recipient address rejected: user a@b does
//! not exist`. The evidence is ranked by how much it says about the cause,
//! most specific first:
//!
//! 1. a provider's own error token (`IB607`, `POL-P1`);
//! 2. a specific enhanced code (`5.1.1`, `5.1.2`, `5.2.2`, `5.3.4`, `5.7.26`,
//!    [`Strength::Strong`]): it decides, and a phrase naming another cause
//!    overrules it only when the basic reply code sides with the phrase
//!    (`552 … over quota (#5.1.1)`) or between mailbox full and too large,
//!    which servers mix up;
//! 3. a phrase naming a cause: unknown user, mailbox full, unknown host,
//!    message too large, relay denied, a block list, spam (rules without a
//!    flag, longest first; expiry notices lose to any stated cause; also
//!    looked for with the addresses taken out, so that `Mailbox <a@b> is
//!    full` and `user a@b does not exist` name their cause);
//!    A subject and a cause said of it a few words apart ("Mailbox
//!    deactivated for this recipient", "account is quota full": the word
//!    lists of `data/cause_words.txt`, `cause_words.rs`) rank below every
//!    such phrase and above the weaker evidence below;
//! 4. a short or ambiguous cause word (`weak`: "does not exist", "user not
//!    found", "spam", "dmarc");
//! 5. refusal wording that names no cause (`generic`: "rejected",
//!    "refused", "not accepted", "access denied", "Recipient address
//!    rejected", "mailbox unavailable", "service unavailable", "policy");
//! 6. a generic or policy enhanced code (`5.7.1`, `5.0.0`, `5.5.0`, `4.0.0`,
//!    [`Strength::Weak`]) — below even generic wording, because servers send
//!    these codes with every kind of refusal (`421 4.2.1 Service refused`,
//!    `550 5.5.0 Service refused`, `541 5.4.1 Mail rejected`: the wording says
//!    rejection, the code says nothing);
//! 7. the basic reply code.
//!
//! The bounce parser adds one last resort below 6 and 7 for a failed
//! recipient's own paragraph: the vote of words that lean towards one
//! cause (`cause_votes`, "storage", "junk", "syntax").
//!
//! sisimai's reason detection orders its evidence the same way: it tries the
//! reasons that name a cause (mailbox full, message too big, suspended,
//! moved, relaying denied, unknown user) before the refusal classes
//! (filtered, rejected, blocked), and lets a `5.1.1` status decide unless the
//! text matches another reason. When only generic
//! wording or a code decided ([`Evidence`]), the parser reads the same
//! recipient's other text (the human-readable paragraph beside a DSN field)
//! for a cause.
//!
//! Other refinements: rules tied to an enhanced code fire only with that
//! code; failures reported after `MAIL FROM` are rejections of the sender.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::cause_votes::CauseVotes;
use crate::codes::{find_enhanced, find_reply_code, map_enhanced, normalize_enhanced, Strength};
pub use crate::rule_table::RulesError;
use crate::rule_table::{cause_rules, parse_rules, Rule};
use crate::status::ErrorStatus;
use crate::subject::{data_stage, domain_subject, sender_stage, sender_subject};

const GENERIC_RULES: &str = include_str!("../data/phrases.jsonl");
const SISIMAI_RULES: &str = include_str!("../data/phrases_sisimai.jsonl");
const LOCALIZED_RULES: &str = include_str!("../data/phrases_localized.jsonl");

/// What a classification rests on, weakest last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// A specific enhanced code or a phrase naming a cause.
    Cause,
    /// Only refusal wording that names no cause ("Recipient address
    /// rejected"): the text of the same recipient elsewhere in the bounce
    /// may name the cause.
    Wording,
    /// Only a generic enhanced code or the basic reply code.
    Code,
}

/// Phrase table plus RFC 3463/5321 knowledge, built once and shared.
///
/// The table is data so that operators can extend it from settings without a
/// release (SPEC §13.5).
#[derive(Debug)]
pub struct Classifier {
    rules: Vec<Rule>,
    /// `None` only for an empty rule set.
    matcher: Option<AhoCorasick>,
    /// One rule per cause line of `data/cause_words.txt` and then of
    /// `data/cause_chars.txt`, ranked after the table.
    cause_rules: Vec<Rule>,
}

/// Lower-cases and collapses every run of whitespace to one space, so phrases
/// match across folded lines and odd spaces (U+202F, tabs, CRLF).
/// Spelling variants ("mail box", "doesn't") are folded to one form
/// (`spelling.rs`), so a pattern covers every spelling of its words.
pub(crate) fn normalize(text: &str) -> String {
    let out = squashed_lower(text);
    let out = if crate::multiline::has_continuation(&out) {
        crate::multiline::without_continuations(&out)
    } else {
        out
    };
    crate::spelling::folded(&out).unwrap_or(out)
}

fn squashed_lower(text: &str) -> String {
    if text.is_ascii() {
        // The same result a word at a time: `char::is_whitespace` in ASCII
        // is the six bytes `squash_ascii` splits on.
        let mut out = crate::text::squash_ascii(text);
        out.make_ascii_lowercase();
        return out;
    }
    let mut out = String::with_capacity(text.len());
    let mut space = true;
    for ch in text.chars() {
        if ch.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            space = false;
            if ch.is_ascii() {
                out.push(ch.to_ascii_lowercase());
            } else {
                out.extend(ch.to_lowercase());
            }
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

impl Classifier {
    fn build(extra: &str) -> Result<Classifier, RulesError> {
        let mut pairs = Vec::new();
        parse_rules(extra, 0, &mut pairs)?;
        parse_rules(GENERIC_RULES, pairs.len(), &mut pairs)?;
        parse_rules(SISIMAI_RULES, pairs.len(), &mut pairs)?;
        parse_rules(LOCALIZED_RULES, pairs.len(), &mut pairs)?;
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(pairs.iter().map(|(p, _)| p.as_bytes()))
            .map_err(|e| RulesError::Build(e.to_string()))?;
        let first_rank = pairs.len();
        Ok(Classifier {
            rules: pairs.into_iter().map(|(_, r)| r).collect(),
            matcher: Some(matcher),
            cause_rules: cause_rules(first_rank),
        })
    }

    /// The built-in tables, parsed once per process.
    ///
    /// Shared so that every parse and every live SMTP reply avoids rebuilding
    /// the automaton.
    pub fn builtin() -> &'static Classifier {
        static BUILTIN: OnceLock<Classifier> = OnceLock::new();
        BUILTIN.get_or_init(Classifier::new)
    }

    /// A classifier with only the built-in tables.
    pub fn new() -> Classifier {
        match Classifier::build("") {
            Ok(c) => c,
            // The shipped data are covered by tests; an empty matcher keeps
            // the code paths panic-free should they ever be broken.
            Err(_) => Classifier {
                rules: Vec::new(),
                matcher: None,
                cause_rules: cause_rules(0),
            },
        }
    }

    /// The built-in tables extended by operator rules (same JSON-lines format
    /// as `data/phrases.jsonl`); extra rules win ties against built-in ones.
    pub fn with_extra_rules(text: &str) -> Result<Classifier, RulesError> {
        Classifier::build(text)
    }

    /// Number of phrase rules, for diagnostics and settings validation.
    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Classifies one failure from its reply code, enhanced code and text:
    /// the SMTP client's live replies. Where only a code, refusal wording
    /// that names no cause or nothing decided and no enhanced code names
    /// the trouble's class, the text's words vote
    /// (`cause_votes`: "550 The mailbox has hit its storage cap" is over
    /// capacity, not the unknown user 550 alone would say).
    ///
    /// Missing codes are looked for in `text`, so a raw reply line is enough.
    pub fn classify(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> ErrorStatus {
        let (status, evidence) = self.classify_evidence(reply_code, enhanced, text);
        let status = if evidence == Evidence::Cause {
            status
        } else {
            let enhanced = enhanced
                .and_then(normalize_enhanced)
                .or_else(|| find_enhanced(text));
            CauseVotes::builtin()
                .verdict(text, enhanced.as_deref())
                .unwrap_or(status)
        };
        // The reply quotes the address it refuses, and that address is
        // mistyped: its unknown user or failed lookup is its format's.
        if crate::mistyped::reads_as_slip(status)
            && crate::text::find_addresses(text)
                .iter()
                .any(|f| crate::mistyped::mistyped(f.addr))
        {
            return ErrorStatus::AddressFormat;
        }
        status
    }

    /// Like [`Classifier::classify`], also telling whether the decision rests
    /// on specific evidence (a specific enhanced code or a phrase) rather than
    /// a generic code, so callers can retry with more context.
    pub fn classify_detail(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> (ErrorStatus, bool) {
        let (status, evidence) = self.classify_evidence(reply_code, enhanced, text);
        (status, evidence != Evidence::Code)
    }

    /// Like [`Classifier::classify`], also telling what kind of evidence
    /// decided (see [`Evidence`]).
    pub fn classify_evidence(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> (ErrorStatus, Evidence) {
        let enhanced = enhanced
            .and_then(normalize_enhanced)
            .or_else(|| find_enhanced(text));
        let reply_code = reply_code.or_else(|| find_reply_code(text));
        let norm = normalize(text);
        let (status, evidence) = self.decide(reply_code, enhanced.as_deref(), &norm);
        let status = data_stage(&norm, enhanced.as_deref(), status, evidence);
        (sender_stage(&norm, enhanced.as_deref(), status), evidence)
    }

    /// The precedence of SPEC §13.5 on already normalised text (see the
    /// module documentation).
    fn decide(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        norm: &str,
    ) -> (ErrorStatus, Evidence) {
        let mapped = enhanced.and_then(map_enhanced);
        let found = self.phrase(reply_code, enhanced, norm);
        let phrase = found.map(|(r, _)| r);
        // A forward that failed: what follows is its target's cause.
        let said = phrase.map(|r| r.status).or(mapped.map(|(s, _)| s));
        // (Or no cause at all: "error forwarding the message" says it.)
        if said.is_none_or(crate::forwarded::target_side) && crate::forwarded::forward_failed(norm)
        {
            return (ErrorStatus::ForwardingError, Evidence::Cause);
        }
        // Two codes that agree on the address's syntax (553 with 5.1.3)
        // say more than a weak word or a subject and its cause read as an
        // unknown user: "invalid" ("dirección no válida") says unknown and
        // malformed alike.
        // 501 (a parameter's syntax) to RCPT is its address's.
        let syntax_codes = matches!(mapped, Some((ErrorStatus::AddressFormat, _)))
            && reply_code.is_some_and(|c| {
                c == 501 || status_from_reply_code(c) == ErrorStatus::AddressFormat
            });
        // A syntax code with any reply (`550 5.1.3 Destination address is
        // invalid`) decides between the two readings of "invalid".
        let syntax_code = matches!(mapped, Some((ErrorStatus::AddressFormat, _)));
        if (syntax_codes
            && phrase.is_some_and(|r| {
                r.status == ErrorStatus::UnknownUser
                    && (r.weak
                        || r.pattern.contains("invalid")
                        || self.cause_rules.iter().any(|c| std::ptr::eq(c, r)))
            }))
            || syntax_code
                && norm.contains("invalid")
                && phrase.is_some_and(|r| r.status == ErrorStatus::UnknownUser)
            // Nor does refusal wording that names no cause ("553 5.1.3
            // Rejected"): the syntax code says why.
            || syntax_code && phrase.is_some_and(|r| r.generic)
        {
            return (ErrorStatus::AddressFormat, Evidence::Cause);
        }
        if let Some((status, Strength::Strong)) = mapped {
            let overrides = phrase.is_some_and(|r| {
                !r.weak
                    && r.status != status
                    // A provider's own error token (`IB607`) is more specific
                    // than the RFC 3463 code it sends along.
                    && (r.token
                        // A longer phrase that refines one the code agrees
                        // with (`…SubmissionQuotaExceededException`, the
                        // sender's quota, holds `QuotaExceededException`,
                        // a full mailbox's): the longer one says more.
                        || self.refines(r, status)
                        // A phrase of the table that quotes the code itself
                        // (qmail's "user over quota. (#5.1.1)") was read
                        // with it.
                        || enhanced.is_some_and(|e| r.pattern.contains(e))
                        // Two of three: the basic reply code and the phrase
                        // agree against the enhanced code (`552 ... over
                        // quota (#5.1.1)`).
                        || reply_code.map(status_from_reply_code) == Some(r.status)
                        // X.2.2 (mailbox full) and X.2.3 (message too
                        // large) are mixed up by servers (Postfix maildir
                        // quotas give 5.2.3): between those two the text
                        // says which.
                        || size_or_quota(status) && size_or_quota(r.status)
                        // A mailbox that does not exist cannot be full, nor
                        // a full one unknown: servers answer every refusal
                        // of a mailbox with one code ("550 5.1.1 … Mailbox
                        // over quota", "552 5.2.2 … user does not exist");
                        // the words name which.
                        || mailbox_pair(status, r.status)
                        // Postfix's address verification answers every failed
                        // probe with its own 5.1.1 ("550 5.1.1 <a@x>: Recipient
                        // address rejected: undeliverable address: mail for x
                        // loops back to myself"): the probe's reason says why.
                        || norm.contains("undeliverable address:")
                        // A phrase the table ties to this very code reads
                        // the code as its writer meant it (ezmlm-reject
                        // refuses a content type with X.2.3, the size code).
                        || r.enhanced.as_deref().is_some_and(|e| Some(e) == enhanced)
                        // A refusal of the sending host ("Client host
                        // [x] blocked using zen.spamhaus.org") or of
                        // relaying ("5.1.2 Relay not allowed") says why
                        // whatever address status is sent with it.
                        || matches!(status, ErrorStatus::UnknownUser | ErrorStatus::UnknownHost)
                            && !r.generic
                            && (r.status == ErrorStatus::Rejected
                                || r.status == ErrorStatus::ReceiverError
                                    && r.pattern.contains("relay")))
            });
            return match phrase {
                Some(r) if overrides => (r.status, Evidence::Cause),
                _ => (status, Evidence::Cause),
            };
        }
        // The retries' end in words ("we have stopped trying") beside a
        // permanent reply that is no routing trouble or expiry (`550 5.0.0
        // Rejected`, X.4.x aside): the refusal ended them, not the queue's
        // lifetime. The codes decide.
        let permanent_refusal = reply_code.is_some_and(|c| (500..600).contains(&c))
            && enhanced.is_none_or(|e| e.starts_with('5') && !e.starts_with("5.4."));
        let found = found.filter(|(rule, _)| {
            !(rule.status == ErrorStatus::ResendTimeout
                && rule.reply_code.is_none()
                && rule.enhanced.is_none()
                && permanent_refusal)
        });
        if let Some((rule, start)) = found {
            // Refusal wording that names no cause, alone under a bare 550
            // or 554 ("550 Message rejected"): no cause
            // (`[no-cause-refusal]`).
            if rule.generic
                && matches!(reply_code, Some(550 | 554))
                && enhanced.is_none_or(|e| e.ends_with(".0.0"))
                && self.only_refusal(norm)
            {
                return (ErrorStatus::Other, Evidence::Code);
            }
            let evidence = if rule.generic {
                Evidence::Wording
            } else {
                Evidence::Cause
            };
            return (
                sender_subject(
                    norm,
                    start,
                    domain_subject(norm, start, rule.weak, rule.status),
                ),
                evidence,
            );
        }
        if let Some((status, _)) = mapped {
            return (status, Evidence::Code);
        }
        // A 550 or 554 that only says the delivery failed ("554 5.0.0
        // Delivery failed", "550 Requested action not taken") names no
        // cause: RFC 5321's last-resort reading of those two codes (a
        // mailbox, a refusal) is no reason (`[no-cause]`). The other codes
        // keep theirs (553 a mailbox name, 451 a local error).
        if no_cause(reply_code, norm) {
            return (ErrorStatus::Other, Evidence::Code);
        }
        (
            reply_code.map_or(ErrorStatus::Other, status_from_reply_code),
            Evidence::Code,
        )
    }

    /// Whether `norm` refuses the message in no-cause words
    /// (`[no-cause-refusal]`) and says no other refusal: every generic
    /// phrase of the table it holds stands inside those words.
    fn only_refusal(&self, norm: &str) -> bool {
        let list = &crate::markers::Markers::builtin().no_cause_refusal;
        let Some(ac) = list.automaton() else {
            return false;
        };
        let spans: Vec<(usize, usize)> = ac.find_iter(norm).map(|m| (m.start(), m.end())).collect();
        !spans.is_empty()
            && self
                .generic_spans(norm)
                .all(|(a, b)| spans.iter().any(|&(s, e)| s <= a && b <= e))
    }

    /// The phrase table alone; `None` when no phrase matches.
    ///
    /// Tokens beat specific rules, which beat `weak` cause words, which beat
    /// `generic` refusal wording; then conditioned rules (with a code) beat
    /// plain ones, then longer phrases beat shorter ones because they are
    /// more specific.
    pub fn match_phrase(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> Option<ErrorStatus> {
        self.explain(reply_code, enhanced, text).map(|(s, _)| s)
    }

    /// The phrase that decides, with its status: for operators tuning rules.
    pub fn explain(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> Option<(ErrorStatus, &str)> {
        self.deciding_rule(reply_code, enhanced, text)
            .map(|r| (r.status, r.pattern.as_str()))
    }

    /// The rule whose phrase decides `text`, codes found in it where not
    /// given.
    fn deciding_rule(
        &self,
        reply_code: Option<u16>,
        enhanced: Option<&str>,
        text: &str,
    ) -> Option<&Rule> {
        let enhanced = enhanced
            .and_then(normalize_enhanced)
            .or_else(|| find_enhanced(text));
        let reply_code = reply_code.or_else(|| find_reply_code(text));
        self.phrase(reply_code, enhanced.as_deref(), &normalize(text))
            .map(|(r, _)| r)
    }

    /// Whether `rule`'s phrase holds a shorter phrase of the table that
    /// says `status`: it refines that phrase's reading. Asked only where a
    /// specific code and a phrase disagree.
    fn refines(&self, rule: &Rule, status: ErrorStatus) -> bool {
        rule.enhanced.is_none()
            && self.rules.iter().any(|r| {
                r.status == status
                    && !r.weak
                    && !r.generic
                    && r.enhanced.is_none()
                    && r.pattern.len() < rule.pattern.len()
                    && rule.pattern.contains(r.pattern.as_str())
            })
    }

    /// Whether `text` names a cause in words: a phrase of the table, or a
    /// subject and its cause, but not a generic word ("rejected") nor a
    /// weak rejection word ("spam", "virus", "policy": said of much
    /// besides a failure). A weak recipient-side word still counts
    /// ("finns inte", "does not exist": said of the address above it).
    pub fn names_cause(&self, text: &str) -> bool {
        self.deciding_rule(None, None, text)
            .is_some_and(|r| !(r.generic || r.weak && r.status == ErrorStatus::Rejected))
    }
}

/// Mailbox full or message too large: the pair servers confuse.
fn size_or_quota(s: ErrorStatus) -> bool {
    matches!(s, ErrorStatus::OverCapacity | ErrorStatus::Oversize)
}

/// A 550 or 554 that names no cause: codes alone, or words that only say
/// the delivery failed or the message was refused (`[no-cause]`). RFC
/// 5321's last-resort reading of those two codes (a mailbox, a refusal) is
/// no reason; the other codes keep theirs (553 a mailbox name, 451 a local
/// error).
fn no_cause(reply_code: Option<u16>, norm: &str) -> bool {
    let markers = crate::markers::Markers::builtin();
    matches!(reply_code, Some(550 | 554))
        && (wordless(norm)
            || crate::markers::any_in(&markers.no_cause, norm)
            || crate::markers::any_in(&markers.no_cause_refusal, norm))
}

/// Words that introduce a reply ("Remote host said:", "Response:") or are
/// its bare label ("Error").
const LEAD_INS: &[&str] = &[
    "smtp", "said", "response", "reply", "replied", "remote", "host", "server", "error",
];

/// A reply of codes alone ("550", "smtp; 550 5.0.0", "Response: 550 <a@x>",
/// "554 5.0.0 Error"): no word of three letters outside its addresses,
/// codes and lead-ins.
fn wordless(norm: &str) -> bool {
    !norm
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | ':' | ',' | '(' | ')' | '.'))
        .filter(|w| !w.contains('@') && !w.starts_with('<'))
        .any(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 3 && !LEAD_INS.contains(&w))
}

/// An unknown mailbox read as full by its code, or a full one as unknown.
fn mailbox_pair(code: ErrorStatus, words: ErrorStatus) -> bool {
    matches!(
        (code, words),
        (ErrorStatus::UnknownUser, ErrorStatus::OverCapacity)
            | (ErrorStatus::OverCapacity, ErrorStatus::UnknownUser)
    )
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier::new()
    }
}

/// RFC 5321 basic reply codes, the last resort of the classification.
pub fn status_from_reply_code(code: u16) -> ErrorStatus {
    match code {
        550 => ErrorStatus::UnknownUser,
        551 => ErrorStatus::ForwardingError,
        552 => ErrorStatus::OverCapacity,
        553 => ErrorStatus::AddressFormat,
        554 => ErrorStatus::Rejected,
        521 | 556 => ErrorStatus::ReceiverError,
        530 | 535 | 538 => ErrorStatus::Rejected,
        452 => ErrorStatus::OverCapacity,
        // RFC 5321's "local error in processing".
        421 | 451 => ErrorStatus::ReceiverError,
        _ => ErrorStatus::Other,
    }
}

mod phrase_search;

#[cfg(test)]
#[path = "classifier_tests.rs"]
mod tests;
