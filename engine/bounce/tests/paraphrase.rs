//! Does a reply keep its status when its cause is worded another way?
//!
//! The phrase table and the cause word lists are written from the wordings
//! seen and documented; servers and people write the same causes with other
//! spellings ("mail box", "doesn't"), other words ("quota full", "mailbox
//! deactivated") and other orders. This test rewrites every labelled reply
//! whose bare status is right (the shared corpus's reply strings, the
//! provider and old-MTA tables) one substitution at a time, using the groups
//! of `tests/data/paraphrases.txt`, and checks that each rewritten reply
//! keeps an accepted status. Rows a substitution makes wrong for a reason
//! are listed in `KNOWN`; the test fails when one of them is right again,
//! so that the list stays honest.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod reply_table;

use hikyaku_bounce::Classifier;
use serde::Deserialize;

/// (start of the reply, the substitution or "" for any, why it changes the
/// reply's status).
const KNOWN: &[(&str, &str, &str)] = &[
    (
        "sabineko@example.co.jp Invalid Address, ERROR_CODE",
        "",
        "the report's own \"Invalid Address\" beside a quota line: the table's exact \
         \"mailbox full\" outranks it, the same cause in other words does not",
    ),
    (
        "553 5.1.3 ",
        "",
        "an address-format reply (\"Invalid recipient address format\") rewritten into \
         \"unknown user address format\" says something else",
    ),
    (
        "550 5.1.2 Recipient domain does not exist",
        "domain does not exist -> unknown host",
        "\"Recipient domain does not exist\" rewritten into \"Recipient unknown host\" names \
         a recipient",
    ),
    (
        "550 5.4.316 ",
        "",
        "Exchange Online's exact \"Message expired, connection refused\" (with its 5.4.316) \
         outranks \"connection refused\"; an expiry in other words does not",
    ),
    (
        "6/19/2018 7:32:05 AM - Server at SG2APC01HT007",
        "",
        "the same Exchange Online 5.4.316 text inside a report",
    ),
    (
        "421 4.7.0 Connection refused due to",
        "",
        "the exact \"spam activity\" outranks \"Connection refused\"; the weak \"junk mail\" \
         does not",
    ),
];

#[derive(Deserialize)]
struct Labeled {
    text: String,
    engine_status_accept: Vec<u8>,
}

fn groups(file: &str) -> Vec<Vec<String>> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(file);
    std::fs::read_to_string(&path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| l.split(" | ").map(|w| w.trim().to_owned()).collect())
        .collect()
}

fn rows() -> Vec<(Vec<u8>, String)> {
    let path =
        hikyaku_bounce::scoring::default_corpus_dir().join("smtp_reply_strings_labeled.jsonl");
    let jsonl = std::fs::read_to_string(&path).unwrap();
    let mut rows: Vec<(Vec<u8>, String)> = jsonl
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let d: Labeled = serde_json::from_str(l).unwrap();
            (d.engine_status_accept, d.text.replace('\n', " "))
        })
        .collect();
    for file in ["provider_replies.tsv", "old_mta_replies.tsv"] {
        rows.extend(reply_table::rows(file).into_iter().map(|(_, w, r)| (w, r)));
    }
    rows
}

fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// Every rewrite of `text` that puts one member of a group where another
/// stands as whole words (compared in lower case).
fn variants(text: &str, groups: &[Vec<String>]) -> Vec<(String, String)> {
    let lower = text.to_lowercase();
    // Lower-casing may change byte lengths outside ASCII: rewrite only
    // texts where positions agree.
    if lower.len() != text.len() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for group in groups {
        for from in group {
            for (at, _) in lower.match_indices(from.as_str()) {
                let end = at + from.len();
                if is_word(lower[..at].chars().next_back()) || is_word(lower[end..].chars().next())
                {
                    continue;
                }
                for to in group.iter().filter(|t| *t != from) {
                    let v = format!("{}{to}{}", &text[..at], &text[end..]);
                    out.push((format!("{from} -> {to}"), v));
                }
            }
        }
    }
    out
}

#[test]
fn a_cause_keeps_its_status_in_other_words() {
    let cl = Classifier::builtin();
    let groups = groups("paraphrases.txt");
    let (mut checked, mut wrong, mut known_seen) = (0, Vec::new(), vec![false; KNOWN.len()]);
    for (accept, reply) in rows() {
        if !accept.contains(&cl.classify(None, None, &reply).as_u8()) {
            continue;
        }
        for (how, v) in variants(&reply, &groups) {
            checked += 1;
            let got = cl.classify(None, None, &v).as_u8();
            if accept.contains(&got) {
                continue;
            }
            let known = KNOWN.iter().position(|(start, sub, _)| {
                reply.starts_with(start) && (sub.is_empty() || *sub == how)
            });
            match known {
                Some(k) => known_seen[k] = true,
                None => wrong.push(format!("[{how}] got {got}, want {accept:?}: {v}")),
            }
        }
    }
    assert!(
        checked > 5_000,
        "only {checked} rewrites: the tables went missing?"
    );
    assert!(
        wrong.is_empty(),
        "{} of {checked} rewrites change status:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let stale: Vec<&str> = KNOWN
        .iter()
        .zip(&known_seen)
        .filter(|(_, seen)| !**seen)
        .map(|((start, ..), _)| *start)
        .collect();
    assert!(
        stale.is_empty(),
        "KNOWN rows now keep their status; take them off: {stale:?}"
    );
}

/// Causes said in free word order (`tests/data/cause_wordings.tsv`), with
/// their codes and with every code taken out.
#[test]
fn causes_in_free_word_order() {
    let rows = reply_table::rows("cause_wordings.tsv");
    assert!(rows.len() >= 50, "only {} rows", rows.len());
    reply_table::check(&rows, &[], false);
    reply_table::check(&rows, &[], true);
}

/// The localized table's rows with the same cause in other words of their
/// language (`tests/data/paraphrases_localized.txt`).
#[test]
fn a_localized_cause_keeps_its_status_in_other_words() {
    let cl = Classifier::builtin();
    let groups = groups("paraphrases_localized.txt");
    let (mut checked, mut wrong) = (0, Vec::new());
    for (_, accept, reply) in reply_table::rows("localized_replies.tsv") {
        if !accept.contains(&cl.classify(None, None, &reply).as_u8()) {
            continue;
        }
        for (how, v) in variants(&reply, &groups) {
            checked += 1;
            let got = cl.classify(None, None, &v).as_u8();
            if !accept.contains(&got) {
                wrong.push(format!("[{how}] got {got}, want {accept:?}: {v}"));
            }
        }
    }
    assert!(checked > 50, "only {checked} rewrites");
    assert!(
        wrong.is_empty(),
        "{} of {checked} rewrites change status:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
