//! Scores the labelled bounce corpus and enforces the accuracy thresholds.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::scoring::{default_corpus_dir, format_table, score_corpus};
use hikyaku_bounce::Classifier;

#[test]
fn corpus_meets_thresholds() {
    let dir = std::env::var("HIKYAKU_BOUNCE_CORPUS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| default_corpus_dir());
    assert!(
        dir.join("sisimai_labels.jsonl").is_file(),
        "bounce corpus missing at {} (expected ../shared/corpus/bounces beside the repo)",
        dir.display()
    );
    let s = score_corpus(&dir, Classifier::builtin()).expect("corpus scoring failed");
    let table = format_table(&s);
    println!("{table}");
    assert!(
        s.total.rows > 500,
        "corpus suspiciously small: {} rows\n{table}",
        s.total.rows
    );
    assert!(s.not_messages > 0, "maildir/not is empty\n{table}");
    // Targets (see RESULTS-earlier.md, issue 18 first round): recall >= 98.5 %, status accuracy >= 95 %,
    // reply strings >= 95 %, no false positives on not/, vacation/feedback or
    // delay-warning rows. Recall was 99 % before issue 18; the original's
    // To: is no longer evidence on its own, which costs lhost-v5sendmail-01
    // (a transcript that names no address) by design.
    assert!(
        s.total.recall() >= 98.5,
        "recipient recall {:.2}% < 98.5%\n{table}",
        s.total.recall()
    );
    assert!(
        s.total.accuracy() >= 95.0,
        "status accuracy {:.2}% < 95%\n{table}",
        s.total.accuracy()
    );
    assert!(
        s.reply_accuracy() >= 95.0,
        "reply-string accuracy {:.2}% < 95%\n{table}",
        s.reply_accuracy()
    );
    assert_eq!(
        s.not_false_positives, 0,
        "failures reported for maildir/not\n{table}"
    );
    assert_eq!(
        s.nonfailure_false_positives, 0,
        "failures reported for vacation/feedback rows\n{table}"
    );
    assert!(s.delay_rows > 0, "no delay-warning rows scored\n{table}");
    assert_eq!(
        s.delay_false_positives, 0,
        "delay warnings reported as failures\n{table}"
    );
}
