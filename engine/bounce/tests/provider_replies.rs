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

/// The same rows with every reply and enhanced code taken out: old MTAs and
/// text-only reports give the words alone, and the words must still say the
/// cause. The rows whose words name none are listed with the reason.
const KNOWN_WITHOUT_CODES: &[(&str, &str)] = &[
    (
        "Server busy. Please try again later from [1.2.3.4]. (S77714) [DM6NAM11FT012.eop-nam11.prod.protection.outlook.com]",
        "throttling or a failing server: only Outlook's S77714 code tells",
    ),
    (
        "Service unavailable. Client blocked from sending from unregistered domains.",
        "Microsoft's rule is tied to 5.7.750; without it 'service unavailable' is a failing server",
    ),
    (
        "Service not available, closing transmission channel",
        "RFC 5321's 421 text; the table reads it as a refusal unless the 421 says otherwise",
    ),
    (
        "reply: read error from mx.example.com.",
        "a network error: timeout (3) or failing server (7), no word says which",
    ),
    (
        "Recipient addresses in this domain have moved",
        "a forwarding notice (6) only with its 5.1.6",
    ),
];

/// `text` without its reply codes (`550`, `550-`) and enhanced codes.
fn without_codes(text: &str) -> String {
    let code_like = |w: &str| {
        let w = w.trim_matches(|c: char| "()[],;:#".contains(c));
        let w = w.strip_suffix('-').unwrap_or(w);
        let reply =
            w.len() == 3 && w.starts_with(['2', '4', '5']) && w.chars().all(|c| c.is_ascii_digit());
        let parts: Vec<&str> = w.split('.').collect();
        let enhanced = parts.len() == 3
            && ["2", "4", "5"].contains(&parts[0])
            && parts[1..]
                .iter()
                .all(|p| (1..=3).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
        reply || enhanced
    };
    text.split_whitespace()
        .filter(|w| !code_like(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn provider_replies_classify_without_their_codes() {
    let cl = Classifier::builtin();
    let mut wrong = Vec::new();
    let mut known_right = Vec::new();
    for (line, want, reply) in rows() {
        let bare = without_codes(&reply);
        let got = cl.classify_evidence(None, None, &bare).0.as_u8();
        let ok = want.contains(&got);
        let known = KNOWN_WITHOUT_CODES.iter().any(|(r, _)| *r == bare);
        if known && ok {
            known_right.push(format!("line {line}: {bare}"));
        } else if !known && !ok {
            wrong.push(format!("line {line}: got {got} want {want:?}: {bare}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        known_right.is_empty(),
        "now right, take them off KNOWN_WITHOUT_CODES:\n{}",
        known_right.join("\n")
    );
}
