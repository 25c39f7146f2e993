//! The fresh sets' check: every labelled failed recipient named with an
//! accepted status, nobody else named, every non-failure of its kind and
//! naming nobody, except the misses a test lists with their reasons.

use std::collections::BTreeSet;
use std::path::PathBuf;

use hikyaku_bounce::{parse, BounceReport};
use serde::Deserialize;

#[derive(Deserialize)]
struct Label {
    path: String,
    kind: String,
    #[serde(default)]
    recipients: Vec<String>,
    #[serde(default)]
    status: Vec<u8>,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fresh_reports")
}

/// The misses of one set, as `KNOWN` spells them, with what was read.
fn misses(set: &str) -> Vec<(String, String)> {
    let at = dir().join(set);
    let text = std::fs::read_to_string(at.join("labels.jsonl")).unwrap();
    let labels: Vec<Label> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut out = Vec::new();
    let paths: BTreeSet<&str> = labels.iter().map(|l| l.path.as_str()).collect();
    for path in paths {
        let r: BounceReport = parse(&std::fs::read(at.join(path)).unwrap());
        let mine: Vec<&Label> = labels.iter().filter(|l| l.path == path).collect();
        let labelled: BTreeSet<String> = mine
            .iter()
            .flat_map(|l| l.recipients.iter().map(|a| a.to_lowercase()))
            .collect();
        let failed = mine.iter().any(|l| l.kind == "failed");
        for l in &mine {
            if l.kind != "failed" {
                let want = if l.kind == "autoreply" {
                    "auto_reply"
                } else {
                    &l.kind
                };
                if !failed && r.kind.as_str() != want {
                    out.push((format!("{set}/{path} kind"), format!("{:?}", r.kind)));
                }
            }
            for a in &l.recipients {
                let a = a.to_lowercase();
                let got = r.recipients.iter().find(|f| f.recipient == a);
                let wrong = match (l.kind.as_str(), got) {
                    ("failed", None) => Some("not named".to_string()),
                    ("failed", Some(f)) => (!l.status.is_empty()
                        && !l.status.contains(&f.status.as_u8()))
                    .then(|| format!("status {}", f.status.as_u8())),
                    (_, Some(f)) => Some(format!("named {} though {}", f.status.as_u8(), l.kind)),
                    (_, None) => None,
                };
                if let Some(w) = wrong {
                    out.push((format!("{set}/{path} {a}"), w));
                }
            }
        }
        for f in &r.recipients {
            if !labelled.contains(&f.recipient) {
                out.push((
                    format!("{set}/{path} {}", f.recipient),
                    "named, not labelled".into(),
                ));
            }
        }
    }
    out
}

/// Fails on a miss `known` does not list, and on a listed one now right.
pub fn check(set: &str, known: &[(&str, &str)]) {
    let known: Vec<&str> = known
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| k.starts_with(&format!("{set}/")))
        .collect();
    let got = misses(set);
    let unknown: Vec<String> = got
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, w)| format!("{k}: {w}"))
        .collect();
    assert!(unknown.is_empty(), "new misses:\n{}", unknown.join("\n"));
    let fixed: Vec<&&str> = known
        .iter()
        .filter(|k| !got.iter().any(|(g, _)| g == *k))
        .collect();
    assert!(fixed.is_empty(), "now right, take out of KNOWN: {fixed:?}");
}
