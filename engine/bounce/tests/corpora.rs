//! Scores every imported corpus (`corpora/*/`, see `hikyaku_bounce::corpora`)
//! per split and enforces issue 18's targets: no non-failure message named as
//! a failure, and recall, precision and status accuracy per corpus.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::corpora::{format_imported, imported_corpora, score_imported, total, Split};
use hikyaku_bounce::Classifier;

#[test]
fn imported_corpora_meet_targets() {
    let corpora = imported_corpora();
    assert!(corpora.len() >= 41, "expected forty-one imported corpora");
    let mut tables = String::new();
    let mut scored = Vec::new();
    for (name, dir) in &corpora {
        assert!(dir.join("LICENSE").is_file(), "{name}: LICENSE missing");
        assert!(dir.join("SOURCE.md").is_file(), "{name}: SOURCE.md missing");
        let scores = score_imported(dir, Classifier::builtin()).expect("scoring failed");
        tables.push_str(&format_imported(name, &scores));
        scored.push((name.clone(), scores));
    }
    println!("{tables}");
    // Issue 18's targets, on the mail the parser was not tuned on: every
    // corpus's held-out split together.
    let mut held = hikyaku_bounce::corpora::SplitScore::default();
    for (_, scores) in &scored {
        if let Some(s) = scores.get(&Split::Held) {
            held.add(s);
        }
    }
    println!(
        "held-out, all corpora: recall {:.2}% ({}/{}), precision {:.2}% ({}/{}), status {:.2}% ({}/{}), non-failures named {}/{}",
        held.recall(), held.found, held.expected,
        held.precision(), held.named_right, held.named,
        held.accuracy(), held.status_right, held.status_rows,
        held.nonfailure_named, held.nonfailure
    );
    assert!(
        held.recall() >= 97.0,
        "held-out recall below 97 %\n{tables}"
    );
    assert!(
        held.accuracy() >= 93.0,
        "held-out status accuracy below 93 %\n{tables}"
    );
    assert_eq!(
        held.nonfailure_named, 0,
        "held-out non-failures named\n{tables}"
    );
    for (name, scores) in &scored {
        assert_eq!(
            scores.len(),
            2,
            "{name}: both splits must hold messages\n{tables}"
        );
        for (split, s) in scores {
            assert_eq!(
                s.nonfailure_named,
                0,
                "{name} {}: non-failure messages named as failures\n{tables}",
                split.as_str()
            );
        }
        let all = total(scores);
        let (recall_floor, precision_floor, status_floor) = floors(name);
        assert!(
            all.recall() >= recall_floor,
            "{name}: recall {:.2}%\n{tables}",
            all.recall()
        );
        assert!(
            all.precision() >= precision_floor,
            "{name}: precision {:.2}%\n{tables}",
            all.precision()
        );
        assert!(
            all.accuracy() >= status_floor,
            "{name}: status accuracy {:.2}%\n{tables}",
            all.accuracy()
        );
    }
}

/// Recall, precision and status floors per corpus (both splits together).
fn floors(name: &str) -> (f64, f64, f64) {
    match name {
        // Came in the fifth round; its held-out misses are not opened, so the
        // floors guard the level reached (RESULTS.md).
        "flufl-bounce" => (95.5, 94.0, 90.0),
        // Came in the sixth round and were read right from the first score:
        // the floors guard that level (RESULTS.md).
        "baunsu" | "go-gmime" => (100.0, 100.0, 100.0),
        // Also sixth round: one dev status was wrong at the first score
        // ("Listed by CSS"); the floors guard the level after that rule.
        "zoonru-bounce-handler" => (100.0, 100.0, 100.0),
        // Seventh round. spamassassin: its one dev miss left is a Dovecot
        // rejection whose MIME parts are broken; the floors guard the level
        // reached. mailparser: its only failure is held out and its status
        // was wrong at the first score; not opened, so no status floor.
        "spamassassin" => (92.5, 100.0, 92.5),
        // Seventh round, found after the round's rule changes; read right
        // from its first score.
        "froide" => (100.0, 100.0, 100.0),
        "mailparser" => (100.0, 100.0, 0.0),
        // Eighth round. mail-auth, talon and imap-tools hold non-failures only (the
        // floors are vacuous; what guards them is "non-failures named 0").
        // mimekit: its four DSNs are all held out and one status was wrong
        // at the first score; not opened, so the floors guard that level.
        "mail-auth" | "talon" | "imap-tools" => (100.0, 100.0, 100.0),
        "mimekit" => (100.0, 100.0, 66.0),
        // Ninth round: recall, precision and status were 100 % in both splits
        // at the first score (two non-failures got another non-failure kind,
        // which the floors do not measure); the floors guard that level.
        // parsedmarc holds non-failures only (vacuous floors, guarded by
        // "non-failures named 0").
        "chatwoot" | "cpython-email" | "mox" | "parsedmarc" | "spamscope-mail-parser" => {
            (100.0, 100.0, 100.0)
        }
        // Ninth round, second search. chasquid: both DSNs (dev) read right at
        // the first score. jwz: both failures are held out; at the first score
        // both were found, but five addresses were named for the two and
        // neither status was right (not opened), so the floors guard that
        // level.
        "chasquid" => (100.0, 100.0, 100.0),
        // The precision traps of the same round (tests/precision_traps.rs)
        // took one of the five back: 50 %.
        "jwz" => (100.0, 50.0, 0.0),
        // Tenth round, corpus search: recall, precision and status were 100 %
        // in both splits at the first score (mailcore2's one failure, in dev,
        // read right; php-mime-mail-parser's DSN skeleton names nobody;
        // ddeboer-imap holds non-failures only, so its floors are vacuous and
        // "non-failures named 0" guards it; webklex-php-imap's Exim DSN, in
        // dev, read right). One dev non-failure of mailcore2 got another
        // non-failure kind, which the floors do not measure.
        "php-mime-mail-parser" | "mailcore2" | "ddeboer-imap" | "webklex-php-imap" => {
            (100.0, 100.0, 100.0)
        }
        // Eleventh round, corpus search. kumomta and small-sources: recall,
        // precision and status 100 % in both splits at the first score; the
        // floors guard that level. zetacomponents-mail: its one dev failure
        // read right; its one held-out failure (after the RFC 3464 example was
        // taken out as a duplicate of the shared corpus) was found with a wrong
        // status (not opened), so the status floor guards 50 %.
        // Seventeenth round, corpus search. small-sources-2: its two
        // failures (dev) read right at the first score, its held-out split
        // holds non-failures only; one dev non-failure (amavis's quarantined
        // phishing input, "click here to verify your ID") was a challenge
        // until a request to click counted only in an answer to a message.
        // Thirty-third round, corpus search. small-sources-3: one dev status
        // was wrong at the first score (a DSN block with no recipient field,
        // its address only in `X-Failed-Recipients`); read right since.
        // deltachat (same search): recall, precision and status 100 % in
        // both splits at the first score, no non-failure named.
        // Thirty-fourth round, corpus search. small-sources-4: its two
        // failures (held out) and its read receipt (dev) right at the first
        // score.
        // Thirty-fifth round: small-sources-5, at its first score the
        // held-out report and both dev notices right, the dev person's
        // Outlook Express forward of a Sendmail report missed.
        "kumomta" | "small-sources" | "small-sources-2" | "small-sources-3" | "small-sources-4"
        | "small-sources-5" | "deltachat" => (100.0, 100.0, 100.0),
        "zetacomponents-mail" => (100.0, 100.0, 50.0),
        // Thirty-fifth round: sisimai's `maildir/err` (set-of-emails-err).
        // At the first score dev 21/23 found (a person's inline forward of a
        // report, an emoji local part), held-out 11/11 found, 10/11 right.
        "set-of-emails-err" => (100.0, 100.0, 95.0),
        // Issue target 93 % status on held-out splits; bounce-email-py as a
        // whole is below it (see RESULTS.md), so 90 % guards against
        // regressions.
        _ => (97.0, 97.0, 90.0),
    }
}
