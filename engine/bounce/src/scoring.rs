//! Scoring against the labelled corpus, exactly as its README describes:
//! recipient recall and status accuracy over `scored` rows, per MTA/provider
//! prefix, the CRLF/CR copies, false positives, and reply-string accuracy.
//!
//! Lives in the library (not only in tests) so the bench binary, the
//! integration test and CI print the same numbers.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::{parse_with, BounceReport, Classifier};

/// Why the corpus could not be scored.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// A corpus file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A label line is not valid JSON.
    #[error("{path}:{line}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// The JSON error.
        source: serde_json::Error,
    },
    /// No labelled rows: a missing corpus must fail loudly, not pass.
    #[error("corpus at {0} is empty or missing")]
    Empty(PathBuf),
}

/// One labelled (message, recipient) row.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelRow {
    /// Path relative to the corpus folder.
    pub path: String,
    /// Expected failed recipient (none for undisclosed ones).
    pub recipient: Option<String>,
    /// sisimai's reason.
    pub reason: String,
    /// Every accepted engine status.
    #[serde(default)]
    pub engine_status_accept: Vec<u8>,
    /// Whether the row counts for accuracy.
    #[serde(default)]
    pub scored: bool,
}

#[derive(Debug, Deserialize)]
struct ReplyRow {
    text: String,
    #[serde(default)]
    engine_status_accept: Vec<u8>,
}

/// Counters for one group of rows.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    /// Scored rows.
    pub rows: usize,
    /// Rows whose recipient was reported.
    pub found: usize,
    /// Rows whose recipient was reported with an accepted status.
    pub right: usize,
}

impl Tally {
    /// found / rows in percent.
    pub fn recall(&self) -> f64 {
        pct(self.found, self.rows)
    }
    /// right / rows in percent.
    pub fn accuracy(&self) -> f64 {
        pct(self.right, self.rows)
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

/// Everything the README asks to report.
#[derive(Debug, Default, Clone)]
pub struct CorpusScore {
    /// All scored rows of `sisimai_labels.jsonl`.
    pub total: Tally,
    /// Per file-name prefix (`lhost-postfix`, `rhost-google`, …).
    pub per_prefix: BTreeMap<String, Tally>,
    /// The `dos/` and `mac/` copies.
    pub variants: Tally,
    /// Failures reported for `not/` messages (must be 0).
    pub not_false_positives: usize,
    /// Number of `not/` messages.
    pub not_messages: usize,
    /// Failures reported for vacation/feedback rows (must be 0).
    pub nonfailure_false_positives: usize,
    /// Vacation/feedback rows checked.
    pub nonfailure_rows: usize,
    /// Rows of delay warnings (`data/corpus_delay_warnings.txt`): scored as
    /// non-failures since issue 18.
    pub delay_rows: usize,
    /// Delay-warning rows whose recipient was reported as failed (must be 0).
    pub delay_false_positives: usize,
    /// Delay-warning rows recognised as [`crate::Kind::Delayed`].
    pub delay_recognised: usize,
    /// Reply strings classified right / total.
    pub reply_right: usize,
    /// Reply strings total.
    pub reply_total: usize,
    /// Human-readable misses, for tuning.
    pub misses: Vec<String>,
}

impl CorpusScore {
    /// Reply-string accuracy in percent.
    pub fn reply_accuracy(&self) -> f64 {
        pct(self.reply_right, self.reply_total)
    }
}

/// The prefix a corpus file name is grouped under.
pub fn prefix_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.strip_suffix(".eml").unwrap_or(name);
    match stem.rsplit_once('-') {
        Some((p, n)) if n.chars().all(|c| c.is_ascii_digit()) => p.to_string(),
        _ => stem.to_string(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ScoreError> {
    std::fs::read(path).map_err(|source| ScoreError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<T>, ScoreError> {
    let text = String::from_utf8_lossy(&read(path)?).into_owned();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line).map_err(|source| ScoreError::Json {
                path: path.to_path_buf(),
                line: i + 1,
                source,
            })?,
        );
    }
    Ok(out)
}

struct Cache<'c> {
    dir: PathBuf,
    cl: &'c Classifier,
    reports: HashMap<String, BounceReport>,
}

impl Cache<'_> {
    fn get(&mut self, rel: &str) -> Result<&BounceReport, ScoreError> {
        if !self.reports.contains_key(rel) {
            let raw = read(&self.dir.join(rel))?;
            self.reports
                .insert(rel.to_string(), parse_with(self.cl, &raw));
        }
        self.reports
            .get(rel)
            .ok_or_else(|| ScoreError::Empty(self.dir.clone()))
    }
}

/// `(path, recipient)` rows of the shared corpus that are delay warnings.
const DELAY_WARNINGS: &str = include_str!("../data/corpus_delay_warnings.txt");

fn is_delay_warning(row: &LabelRow) -> bool {
    let rcpt = row.recipient.as_deref().unwrap_or("");
    DELAY_WARNINGS
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .any(|(p, r)| p == row.path && r.trim().eq_ignore_ascii_case(rcpt))
}

fn score_rows(
    cache: &mut Cache<'_>,
    rows: &[LabelRow],
    out: &mut CorpusScore,
    variants: bool,
) -> Result<(), ScoreError> {
    for row in rows {
        let report = cache.get(&row.path)?.clone();
        if is_delay_warning(row) {
            out.delay_rows += 1;
            if report.kind == crate::Kind::Delayed {
                out.delay_recognised += 1;
            }
            let rcpt = row.recipient.as_deref().unwrap_or("");
            if report.recipients.iter().any(|r| r.is_for(rcpt)) {
                out.delay_false_positives += 1;
                out.misses
                    .push(format!("FP {} (delay warning) reported {rcpt}", row.path));
            }
            continue;
        }
        if matches!(row.reason.as_str(), "vacation" | "feedback") {
            out.nonfailure_rows += 1;
            if !report.recipients.is_empty() {
                out.nonfailure_false_positives += 1;
                out.misses.push(format!(
                    "FP {} ({}) reported {} failures",
                    row.path,
                    row.reason,
                    report.recipients.len()
                ));
            }
            continue;
        }
        if !row.scored {
            continue;
        }
        let want = row.recipient.as_deref().map(str::to_ascii_lowercase);
        let hit = match &want {
            Some(w) => report.recipients.iter().find(|r| r.is_for(w)),
            None => report.recipients.first(),
        };
        let mut t = Tally {
            rows: 1,
            ..Tally::default()
        };
        match hit {
            Some(r) => {
                t.found = 1;
                if row.engine_status_accept.contains(&r.status.as_u8()) {
                    t.right = 1;
                } else {
                    out.misses.push(format!(
                        "STATUS {} {} got {} want {:?} ({}) diag={}",
                        row.path,
                        want.as_deref().unwrap_or("-"),
                        r.status.as_u8(),
                        row.engine_status_accept,
                        row.reason,
                        crate::text::clip(&r.diagnostic, 160)
                    ));
                }
            }
            None => out.misses.push(format!(
                "MISSING {} {} got [{}] kind={:?}",
                row.path,
                want.as_deref().unwrap_or("-"),
                report
                    .recipients
                    .iter()
                    .map(|r| r.recipient.as_str())
                    .collect::<Vec<_>>()
                    .join(","),
                report.kind
            )),
        }
        let add = |a: &mut Tally| {
            a.rows += t.rows;
            a.found += t.found;
            a.right += t.right;
        };
        if variants {
            add(&mut out.variants);
        } else {
            add(&mut out.total);
            add(out.per_prefix.entry(prefix_of(&row.path)).or_default());
        }
    }
    Ok(())
}

/// Scores the whole corpus folder (the one holding `sisimai_labels.jsonl`).
pub fn score_corpus(dir: &Path, cl: &Classifier) -> Result<CorpusScore, ScoreError> {
    let mut out = CorpusScore::default();
    let labels: Vec<LabelRow> = read_jsonl(&dir.join("sisimai_labels.jsonl"))?;
    if labels.is_empty() {
        return Err(ScoreError::Empty(dir.to_path_buf()));
    }
    let mut cache = Cache {
        dir: dir.to_path_buf(),
        cl,
        reports: HashMap::new(),
    };
    score_rows(&mut cache, &labels, &mut out, false)?;
    let variants: Vec<LabelRow> = read_jsonl(&dir.join("sisimai_labels_crlf_cr_variants.jsonl"))?;
    score_rows(&mut cache, &variants, &mut out, true)?;

    let not_dir = dir.join("maildir/not");
    let entries = std::fs::read_dir(&not_dir).map_err(|source| ScoreError::Io {
        path: not_dir.clone(),
        source,
    })?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for name in names {
        let rel = format!("maildir/not/{name}");
        let report = cache.get(&rel)?;
        out.not_messages += 1;
        if !report.recipients.is_empty() || report.is_bounce {
            out.not_false_positives += 1;
            out.misses.push(format!(
                "FP {rel} reported {} failures",
                report.recipients.len()
            ));
        }
    }

    let replies: Vec<ReplyRow> = read_jsonl(&dir.join("smtp_reply_strings_labeled.jsonl"))?;
    for r in &replies {
        out.reply_total += 1;
        let got = cl.classify(None, None, &r.text);
        if r.engine_status_accept.contains(&got.as_u8()) {
            out.reply_right += 1;
        } else {
            out.misses.push(format!(
                "REPLY got {} want {:?}: {}",
                got.as_u8(),
                r.engine_status_accept,
                crate::text::clip(&r.text, 160)
            ));
        }
    }
    Ok(out)
}

/// The table printed by `bounce-score`.
pub fn format_table(s: &CorpusScore) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{:<28} {:>5} {:>8} {:>9}",
        "prefix", "rows", "recall%", "status%"
    );
    for (p, t) in &s.per_prefix {
        let _ = writeln!(
            o,
            "{:<28} {:>5} {:>8.1} {:>9.1}",
            p,
            t.rows,
            t.recall(),
            t.accuracy()
        );
    }
    let _ = writeln!(
        o,
        "{:<28} {:>5} {:>8.2} {:>9.2}",
        "TOTAL (bsd)",
        s.total.rows,
        s.total.recall(),
        s.total.accuracy()
    );
    let _ = writeln!(
        o,
        "{:<28} {:>5} {:>8.2} {:>9.2}",
        "CRLF/CR variants",
        s.variants.rows,
        s.variants.recall(),
        s.variants.accuracy()
    );
    let _ = writeln!(
        o,
        "not/ false positives: {} of {} messages",
        s.not_false_positives, s.not_messages
    );
    let _ = writeln!(
        o,
        "vacation/feedback rows with failures: {} of {}",
        s.nonfailure_false_positives, s.nonfailure_rows
    );
    let _ = writeln!(
        o,
        "delay warnings: {} rows, {} recognised as delayed, {} named as failed",
        s.delay_rows, s.delay_recognised, s.delay_false_positives
    );
    let _ = writeln!(
        o,
        "reply strings: {}/{} = {:.2}%",
        s.reply_right,
        s.reply_total,
        s.reply_accuracy()
    );
    o
}

/// Default corpus location: `../shared/corpus/bounces` beside the workspace (this crate is
/// `engine/bounce/` inside it). The crate
/// directory is taken from cargo at run time when it is set (`cargo test`/`cargo run`), so a
/// binary built from another checkout of the repository (a shared target directory) still
/// finds the corpus beside the checkout it runs for.
pub fn default_corpus_dir() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    crate_dir.join("../../../shared/corpus/bounces")
}

/// The throughput corpus: every message of the shared corpus's `maildir/bsd`
/// with its path, in path order, so the criterion bench and the throughput
/// examples measure the same bytes.
pub fn throughput_messages() -> std::io::Result<Vec<(PathBuf, Vec<u8>)>> {
    let dir = default_corpus_dir().join("maildir/bsd");
    let mut paths = std::fs::read_dir(&dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<Vec<_>>>()?;
    paths.sort();
    paths
        .into_iter()
        .map(|p| std::fs::read(&p).map(|raw| (p, raw)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(
            prefix_of("maildir/bsd/lhost-postfix-01.eml"),
            "lhost-postfix"
        );
        assert_eq!(prefix_of("maildir/bsd/rfc3464-12.eml"), "rfc3464");
        assert_eq!(prefix_of("x"), "x");
    }
}
