//! The phrase table's rules: the JSON-lines format of `data/phrases*.jsonl`
//! and of operators' extra rules, loaded into [`Rule`]s (patterns
//! normalised as texts are), and the rules standing for the subject-and-cause
//! word lists.

use serde::Deserialize;

use crate::cause_chars::CauseChars;
use crate::cause_words::CauseWords;
use crate::classifier::normalize;
use crate::codes::normalize_enhanced;
use crate::status::ErrorStatus;

/// Why a rule file could not be loaded; carries the line so settings UIs can
/// point at the mistake.
#[derive(Debug, thiserror::Error)]
pub enum RulesError {
    /// The line is not a JSON object of the rule format.
    #[error("line {line}: {source}")]
    Json {
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// The status number is not one of SPEC §13.5.
    #[error("line {line}: unknown error status {status}")]
    Status {
        /// 1-based line number.
        line: usize,
        /// The offending number.
        status: u16,
    },
    /// An empty pattern would match everything.
    #[error("line {line}: empty pattern")]
    EmptyPattern {
        /// 1-based line number.
        line: usize,
    },
    /// The automaton could not be built (pathological rule set).
    #[error("cannot build the phrase matcher: {0}")]
    Build(String),
}

#[derive(Deserialize)]
struct RawRule {
    status: u16,
    pattern: String,
    #[serde(default)]
    enhanced: Option<String>,
    #[serde(default)]
    reply_code: Option<u16>,
    /// Short or ambiguous cause words ("spam", "does not exist") lose to
    /// any longer, specific phrase.
    #[serde(default)]
    weak: bool,
    /// Refusal wording that names no cause ("rejected", "recipient address
    /// rejected", "mailbox unavailable"): loses to every cause.
    #[serde(default)]
    generic: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) pattern: String,
    pub(crate) status: ErrorStatus,
    pub(crate) enhanced: Option<String>,
    pub(crate) reply_code: Option<u16>,
    /// Code-like tokens (`IB401`, `POL-P1`) and three-letter abbreviations
    /// (`rbl`) must stand alone as words.
    pub(crate) token: bool,
    pub(crate) weak: bool,
    pub(crate) generic: bool,
    /// Lower rank wins ties; user rules come first.
    pub(crate) rank: usize,
}

pub(crate) fn parse_rules(
    text: &str,
    first_rank: usize,
    out: &mut Vec<(String, Rule)>,
) -> Result<(), RulesError> {
    for (idx, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with("//") {
            continue;
        }
        let lineno = idx + 1;
        let raw: RawRule = serde_json::from_str(t).map_err(|source| RulesError::Json {
            line: lineno,
            source,
        })?;
        let status = u8::try_from(raw.status)
            .ok()
            .and_then(ErrorStatus::from_u8)
            .ok_or(RulesError::Status {
                line: lineno,
                status: raw.status,
            })?;
        let pattern = normalize(&raw.pattern);
        if pattern.is_empty() {
            return Err(RulesError::EmptyPattern { line: lineno });
        }
        // So must three-letter abbreviations ("rbl", "spf"): inside a word
        // they are letters of it ("verbleibender Speicher", "Überblick").
        let token = !pattern.contains(' ')
            && (pattern.chars().any(|c| c.is_ascii_digit())
                || pattern.len() <= 3 && pattern.bytes().all(|b| b.is_ascii_alphabetic()));
        out.push((
            pattern.clone(),
            Rule {
                pattern,
                status,
                enhanced: raw.enhanced.as_deref().and_then(normalize_enhanced),
                reply_code: raw.reply_code,
                token,
                weak: raw.weak || raw.generic,
                generic: raw.generic,
                rank: first_rank + out.len(),
            },
        ));
    }
    Ok(())
}

/// The rules standing for the lines of `data/cause_words.txt`, then of
/// `data/cause_chars.txt`.
pub(crate) fn cause_rules(first_rank: usize) -> Vec<Rule> {
    let words = CauseWords::builtin()
        .causes
        .iter()
        .map(|c| (c.status, &c.describe));
    let chars = CauseChars::builtin()
        .causes
        .iter()
        .map(|c| (c.status, &c.describe));
    words
        .chain(chars)
        .enumerate()
        .map(|(i, (status, describe))| Rule {
            pattern: describe.clone(),
            status,
            enhanced: None,
            reply_code: None,
            token: false,
            weak: false,
            generic: false,
            rank: first_rank + i,
        })
        .collect()
}
