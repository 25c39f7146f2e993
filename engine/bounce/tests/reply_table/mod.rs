//! Shared by the reply-table tests (`provider_replies.rs`,
//! `old_mta_replies.rs`): a file of `want<TAB>reply[<TAB>who]` rows, each reply
//! classified as written or with every code taken out, against a list of
//! known exceptions that must stay honest.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;

use hikyaku_bounce::Classifier;

/// One row: its line number, the accepted statuses and the reply.
pub type Row = (usize, Vec<u8>, String);

/// The rows of `tests/data/<file>`.
pub fn rows(file: &str) -> Vec<Row> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|(i, l)| {
            let (want, reply) = l
                .split_once('\t')
                .unwrap_or_else(|| panic!("{file} line {}: no tab", i + 1));
            let want = want
                .split(',')
                .map(|w| {
                    w.trim()
                        .parse::<u8>()
                        .unwrap_or_else(|_| panic!("{file} line {}: bad status {w:?}", i + 1))
                })
                .collect();
            // A third column, when there is one, names the sender of the reply.
            let reply = reply.split('\t').next().unwrap_or(reply);
            (i + 1, want, reply.to_owned())
        })
        .collect()
}

/// `text` without its reply codes (`550`, `550-`) and enhanced codes.
pub fn without_codes(text: &str) -> String {
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

/// Every row classifies as one of its statuses, except the `known` ones
/// (reply text, reason), which must still be in the file and still be
/// wrong. `strip`: classify each reply with its codes taken out.
pub fn check(rows: &[Row], known: &[(&str, &str)], strip: bool) {
    let cl = Classifier::builtin();
    let text = |reply: &str| {
        if strip {
            without_codes(reply)
        } else {
            reply.to_owned()
        }
    };
    let mut wrong = Vec::new();
    let mut known_right = Vec::new();
    for (line, want, reply) in rows {
        let reply = text(reply);
        // As the SMTP client classifies a live reply, the vote included.
        let got = cl.classify(None, None, &reply).as_u8();
        let ok = want.contains(&got);
        let is_known = known.iter().any(|(r, _)| *r == reply);
        if is_known && ok {
            known_right.push(format!("line {line}: {reply}"));
        } else if !is_known && !ok {
            wrong.push(format!("line {line}: got {got} want {want:?}: {reply}"));
        }
    }
    for (reply, _) in known {
        assert!(
            rows.iter().any(|(_, _, r)| text(r) == *reply),
            "known row not in the data file: {reply}"
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
        "known rows now classify right; take them off the list:\n{}",
        known_right.join("\n")
    );
}
