//! The phrase table against older and less common mail systems' failure
//! wordings (about 1993-2010: Sendmail, qmail, Exim 3/4, Postfix 1/2, smail,
//! MMDF, PMDF, Domino, GroupWise, Exchange 5.5-2010, Netscape/Sun messaging
//! servers, AOL/Hotmail/Yahoo classic, Courier, Cyrus, Dovecot and others;
//! `tests/data/old_mta_replies.tsv`, written for this test): every row's
//! reply must classify (SPEC §13.5) as one of the statuses it accepts, with
//! its codes and with every code taken out.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use hikyaku_bounce::Classifier;

/// Rows the text alone cannot classify right, with the reason. The test
/// fails when one of them becomes right, so that the list stays honest.
const KNOWN: &[(&str, &str)] = &[
    (
        "Deferred: 421 mx.example.com: Service not available, closing transmission channel",
        "RFC 5321's 421 text; receivers send it to refuse a client too, so the table reads it as a refusal",
    ),
    (
        "511 sorry, can't find a valid MX for sender domain (#5.1.1 - chkuser)",
        "chkuser gives our sender's domain 5.1.1 (unknown user); the strong code outranks the words",
    ),
];

fn rows() -> Vec<(usize, Vec<u8>, String)> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/old_mta_replies.tsv");
    let text = std::fs::read_to_string(&path).expect("old_mta_replies.tsv");
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
fn old_mta_replies_classify_as_written() {
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

/// The same rows with every reply and enhanced code taken out: many of these
/// systems wrote the words alone. The rows whose words name no cause are
/// listed with the reason.
const KNOWN_WITHOUT_CODES: &[(&str, &str)] = &[
    (
        "Deferred: mx.example.com: Service not available, closing transmission channel",
        "RFC 5321's 421 text; receivers send it to refuse a client too, so the table reads it as a refusal",
    ),
    (
        "<user@example.com>: Recipient address rejected: example.com",
        "Postfix's refusal naming only the domain: only its 5.1.1 says the user is unknown",
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
fn old_mta_replies_classify_without_their_codes() {
    let cl = Classifier::builtin();
    let rows = rows();
    let mut wrong = Vec::new();
    let mut known_right = Vec::new();
    for (line, want, reply) in &rows {
        let bare = without_codes(reply);
        let got = cl.classify_evidence(None, None, &bare).0.as_u8();
        let ok = want.contains(&got);
        let known = KNOWN_WITHOUT_CODES.iter().any(|(r, _)| *r == bare);
        if known && ok {
            known_right.push(format!("line {line}: {bare}"));
        } else if !known && !ok {
            wrong.push(format!("line {line}: got {got} want {want:?}: {bare}"));
        }
    }
    for (bare, _) in KNOWN_WITHOUT_CODES {
        assert!(
            rows.iter().any(|(_, _, r)| without_codes(r) == *bare),
            "KNOWN_WITHOUT_CODES row not in the data file: {bare}"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        known_right.is_empty(),
        "now right, take them off KNOWN_WITHOUT_CODES:\n{}",
        known_right.join("\n")
    );
}
