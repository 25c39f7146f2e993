//! Scoring on bounce corpora imported from other projects (issue 18, items
//! 3–4): `corpora/<name>/` holds the messages, `LICENSE`, `SOURCE.md` and
//! our own `labels.jsonl`. Every corpus is split by a hash of the file name
//! into a development part (tuned on) and a held-out part (never looked at
//! while tuning: its misses are not even listed).
//!
//! Measures per corpus and split: recipient recall, precision of the named
//! recipients, status accuracy, and non-failure messages wrongly named.
//!
//! A reported recipient is a labelled one when either of its addresses is
//! (`FailedRecipient::is_for`): the failed address, or the address the sender
//! used before an alias or forward replaced it. That is how the engine
//! matches a failure to its delivery, and the corpora's labellers chose
//! differently between the two (flufl-bounce's labels give the address the
//! sender sent to, the shared corpus's the final one).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::scoring::ScoreError;
use crate::{parse_with, Classifier, Kind};

/// One labelled message of an imported corpus.
#[derive(Debug, Clone, Deserialize)]
pub struct ImportLabel {
    /// Path relative to the corpus folder.
    pub path: String,
    /// `failed`, or a non-failure kind: `delayed`, `feedback`, `autoreply`,
    /// `challenge_response`, `content_filter`, `list_owner`, `report`,
    /// `not_bounce`.
    pub kind: String,
    /// The failed recipients (for `failed`), or the addresses a notice is
    /// about; empty when the message names nobody.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// Accepted engine statuses; empty when the message gives no reason
    /// (the row then counts for recall only).
    #[serde(default)]
    pub status: Vec<u8>,
}

/// Which part of a corpus a file belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Split {
    /// Tuned on.
    Dev,
    /// Held out of tuning.
    Held,
}

impl Split {
    /// The split's name in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Split::Dev => "dev",
            Split::Held => "held-out",
        }
    }
}

/// FNV-1a (64 bit) of the path relative to the corpus folder; one file in
/// three (hash % 3 == 0) is held out. Fixed before any file was looked at.
pub fn split_of(path: &str) -> Split {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    if h % 3 == 0 {
        Split::Held
    } else {
        Split::Dev
    }
}

/// Counters for one split of one corpus.
#[derive(Debug, Default, Clone)]
pub struct SplitScore {
    /// Labelled messages.
    pub messages: usize,
    /// Expected failed recipients.
    pub expected: usize,
    /// Expected failed recipients that were reported.
    pub found: usize,
    /// Expected recipients whose label gives a status.
    pub status_rows: usize,
    /// Of those, reported with an accepted status.
    pub status_right: usize,
    /// Recipients reported as failed, over all messages.
    pub named: usize,
    /// Reported recipients that the labels call failed.
    pub named_right: usize,
    /// Messages labelled as non-failures.
    pub nonfailure: usize,
    /// Non-failure messages for which a failed recipient was reported (must be 0).
    pub nonfailure_named: usize,
    /// Non-failure messages given their labelled kind.
    pub kind_right: usize,
    /// Misses, listed for the development split only.
    pub misses: Vec<String>,
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

impl SplitScore {
    /// Recipient recall in percent.
    pub fn recall(&self) -> f64 {
        pct(self.found, self.expected)
    }
    /// Precision of named recipients in percent.
    pub fn precision(&self) -> f64 {
        pct(self.named_right, self.named)
    }
    /// Status accuracy in percent (missing recipients count as wrong).
    pub fn accuracy(&self) -> f64 {
        pct(self.status_right, self.status_rows)
    }
    /// Adds another score's counters (a sum over corpora or splits).
    pub fn add(&mut self, o: &SplitScore) {
        self.messages += o.messages;
        self.expected += o.expected;
        self.found += o.found;
        self.status_rows += o.status_rows;
        self.status_right += o.status_right;
        self.named += o.named;
        self.named_right += o.named_right;
        self.nonfailure += o.nonfailure;
        self.nonfailure_named += o.nonfailure_named;
        self.kind_right += o.kind_right;
    }
}

/// Whether a parsed kind is the labelled non-failure kind.
fn kind_matches(label: &str, kind: Kind) -> bool {
    let want = match label {
        "autoreply" => "auto_reply",
        other => other,
    };
    kind.as_str() == want
}

/// Scores one imported corpus folder (the one holding `labels.jsonl`).
pub fn score_imported(
    dir: &Path,
    cl: &Classifier,
) -> Result<BTreeMap<Split, SplitScore>, ScoreError> {
    let path = dir.join("labels.jsonl");
    let text = std::fs::read_to_string(&path).map_err(|source| ScoreError::Io {
        path: path.clone(),
        source,
    })?;
    let mut out: BTreeMap<Split, SplitScore> = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let label: ImportLabel = serde_json::from_str(line).map_err(|source| ScoreError::Json {
            path: path.clone(),
            line: i + 1,
            source,
        })?;
        let file = dir.join(&label.path);
        let raw = std::fs::read(&file).map_err(|source| ScoreError::Io { path: file, source })?;
        let report = parse_with(cl, &raw);
        let split = split_of(&label.path);
        let s = out.entry(split).or_default();
        let dev = split == Split::Dev;
        s.messages += 1;
        let failed = label.kind == "failed";
        let want: Vec<String> = label
            .recipients
            .iter()
            .map(|r| r.to_ascii_lowercase())
            .collect();
        for r in &report.recipients {
            s.named += 1;
            if failed && want.iter().any(|w| r.is_for(w)) {
                s.named_right += 1;
            } else if dev {
                s.misses
                    .push(format!("WRONG {} named {}", label.path, r.recipient));
            }
        }
        if !failed {
            s.nonfailure += 1;
            if !report.recipients.is_empty() {
                s.nonfailure_named += 1;
            }
            if kind_matches(&label.kind, report.kind) {
                s.kind_right += 1;
            } else if dev {
                s.misses.push(format!(
                    "KIND {} want {} got {}",
                    label.path,
                    label.kind,
                    report.kind.as_str()
                ));
            }
            continue;
        }
        for w in &want {
            s.expected += 1;
            let hit = report.recipients.iter().find(|r| r.is_for(w));
            if hit.is_some() {
                s.found += 1;
            } else if dev {
                s.misses.push(format!(
                    "MISSING {} {w} kind={}",
                    label.path,
                    report.kind.as_str()
                ));
            }
            if label.status.is_empty() {
                continue;
            }
            s.status_rows += 1;
            match hit {
                Some(r) if label.status.contains(&r.status.as_u8()) => s.status_right += 1,
                Some(r) if dev => s.misses.push(format!(
                    "STATUS {} {w} got {} want {:?} diag={}",
                    label.path,
                    r.status.as_u8(),
                    label.status,
                    crate::text::clip(&r.diagnostic, 160)
                )),
                _ => {}
            }
        }
    }
    Ok(out)
}

/// Both splits together.
pub fn total(scores: &BTreeMap<Split, SplitScore>) -> SplitScore {
    let mut t = SplitScore::default();
    for s in scores.values() {
        t.add(s);
    }
    t
}

/// The table printed by `bounce-score --imported` and by `cargo test`.
pub fn format_imported(name: &str, scores: &BTreeMap<Split, SplitScore>) -> String {
    let mut o = String::new();
    let all = total(scores);
    let rows = scores
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .chain(std::iter::once(("all", &all)));
    for (split, s) in rows {
        let _ = writeln!(
            o,
            "{name:<20} {split:<9} msgs {:>3}  recall {:>6.2}% ({}/{})  precision {:>6.2}% ({}/{})  \
             status {:>6.2}% ({}/{})  non-failures named {}/{}  kinds right {}/{}",
            s.messages,
            s.recall(),
            s.found,
            s.expected,
            s.precision(),
            s.named_right,
            s.named,
            s.accuracy(),
            s.status_right,
            s.status_rows,
            s.nonfailure_named,
            s.nonfailure,
            s.kind_right,
            s.nonfailure,
        );
    }
    o
}

/// The imported corpora shipped with this crate, by name.
pub fn imported_corpora() -> Vec<(String, PathBuf)> {
    let base = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
        .join("corpora");
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(&base)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.join("labels.jsonl").is_file())
                .map(|p| {
                    let name = p
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    (name, p)
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Every message tuning may read: the shared corpus (`maildir/bsd`) and the
/// dev split of each imported corpus, as (path, bytes). Held-out files are
/// never opened. For invariance tests that change messages and compare
/// readings.
pub fn dev_messages() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = crate::scoring::throughput_messages()
        .unwrap_or_default()
        .into_iter()
        .map(|(p, raw)| (p.display().to_string(), raw))
        .collect();
    for (_, dir) in imported_corpora() {
        let Ok(labels) = std::fs::read_to_string(dir.join("labels.jsonl")) else {
            continue;
        };
        for line in labels.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                continue;
            };
            let Some(rel) = v["path"].as_str().filter(|r| split_of(r) == Split::Dev) else {
                continue;
            };
            if let Ok(raw) = std::fs::read(dir.join(rel)) {
                out.push((dir.join(rel).display().to_string(), raw));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_the_documented_hash() {
        // FNV-1a 64 of "a" is 0xaf63dc4c8601ec8c; that number mod 3 is 1.
        assert_eq!(split_of("a"), Split::Dev);
        let held = (0..300)
            .filter(|i| split_of(&format!("eml/{i}.eml")) == Split::Held)
            .count();
        assert!((70..130).contains(&held), "{held} of 300 held out");
    }

    /// A report that names the failed address and the address the sender
    /// used (`Original-Recipient`) is scored by the engine's own matching
    /// rule: a label giving either is found and named right, its status
    /// read; another address is neither.
    #[test]
    fn either_address_of_an_alias_pair_is_the_recipient() {
        let dsn = "From: MAILER-DAEMON@mx.example\r\nTo: list-bounces@lists.example\r\n\
Subject: Delivery Status Notification (Failure)\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\
--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n\
Original-Recipient: rfc822;jane@example.org\r\nFinal-Recipient: rfc822;jane.internal@mx.example\r\n\
Action: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--b--\r\n";
        let dir = std::env::temp_dir().join(format!("hikyaku-corpora-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut labels = String::new();
        for (file, rcpt) in [
            ("original.eml", "Jane@example.org"),
            ("final.eml", "jane.internal@mx.example"),
            ("other.eml", "john@example.org"),
        ] {
            std::fs::write(dir.join(file), dsn).unwrap();
            labels.push_str(&format!(
                "{{\"path\": \"{file}\", \"kind\": \"failed\", \"recipients\": [\"{rcpt}\"], \"status\": [2]}}\n"
            ));
        }
        std::fs::write(dir.join("labels.jsonl"), labels).unwrap();
        let scores = score_imported(&dir, Classifier::builtin()).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let t = total(&scores);
        assert_eq!((t.expected, t.found), (3, 2));
        assert_eq!((t.named, t.named_right), (3, 2));
        assert_eq!((t.status_rows, t.status_right), (3, 2));
    }
}
