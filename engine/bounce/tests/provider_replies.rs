//! The phrase table against providers' documented reply wordings
//! (`tests/data/provider_replies.tsv`, written for this test): every row's
//! reply must classify (SPEC §13.5) as one of the statuses it accepts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use hikyaku_bounce::Classifier;

/// Rows the text alone cannot classify right, with the reason. The test
/// fails when one of them becomes right, so that the list stays honest.
const KNOWN: &[(&str, &str)] = &[];

fn rows() -> Vec<(usize, Vec<u8>, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/provider_replies.tsv");
    let text = std::fs::read_to_string(&path).expect("provider_replies.tsv");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let (want, reply) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("line {}: no tab", i + 1));
            let want = want
                .split(',')
                .map(|w| {
                    w.trim()
                        .parse::<u8>()
                        .unwrap_or_else(|_| panic!("line {}: bad status {w:?}", i + 1))
                })
                .collect();
            (i + 1, want, reply.to_owned())
        })
        .collect()
}

#[test]
fn provider_replies_classify_as_documented() {
    let cl = Classifier::builtin();
    let rows = rows();
    assert!(rows.len() >= 250, "only {} rows", rows.len());
    let mut wrong = Vec::new();
    let mut known_right = Vec::new();
    for (line, want, reply) in &rows {
        let got = cl.classify_evidence(None, None, reply).0.as_u8();
        let ok = want.contains(&got);
        let known = KNOWN.iter().any(|(r, _)| r == reply);
        if known && ok {
            known_right.push(format!("line {line}: {reply}"));
        } else if !known && !ok {
            wrong.push(format!("line {line}: got {got} want {want:?}: {reply}"));
        }
    }
    for (reply, _) in KNOWN {
        assert!(
            rows.iter().any(|(_, _, r)| r == reply),
            "KNOWN row not in the data file: {reply}"
        );
    }
    assert!(
        wrong.is_empty(),
        "{} of {} rows misclassified:\n{}",
        wrong.len(),
        rows.len(),
        wrong.join("\n")
    );
    assert!(
        known_right.is_empty(),
        "KNOWN rows now classify right; take them off the list:\n{}",
        known_right.join("\n")
    );
}
