//! Prints the corpus score table (see `hikyaku_bounce::scoring`).
//!
//! Usage: `bounce-score [CORPUS_DIR] [--misses]`, `bounce-score --imported [--misses]`
//! (the corpora under `corpora/`, misses of their development split only) or
//! `bounce-score --parse FILE...`.

use std::path::PathBuf;
use std::process::ExitCode;

use hikyaku_bounce::scoring::{default_corpus_dir, format_table, score_corpus};
use hikyaku_bounce::Classifier;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let misses = args.iter().any(|a| a == "--misses");
    if args.first().map(String::as_str) == Some("--explain") {
        for t in args.iter().skip(1) {
            let c = Classifier::builtin();
            println!(
                "{} <- {:?}",
                c.classify(None, None, t).as_u8(),
                c.explain(None, None, t)
            );
        }
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("--imported") {
        for (name, dir) in hikyaku_bounce::corpora::imported_corpora() {
            match hikyaku_bounce::corpora::score_imported(&dir, Classifier::builtin()) {
                Ok(scores) => {
                    if misses {
                        for m in scores.values().flat_map(|s| s.misses.iter()) {
                            println!("{name}: {m}");
                        }
                    }
                    print!(
                        "{}",
                        hikyaku_bounce::corpora::format_imported(&name, &scores)
                    );
                }
                Err(e) => {
                    eprintln!("bounce-score: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        return ExitCode::SUCCESS;
    }
    if args.first().map(String::as_str) == Some("--parse") {
        for f in args.iter().skip(1) {
            match std::fs::read(f) {
                Ok(raw) => {
                    for l in hikyaku_bounce::human_lines(f, &raw) {
                        println!("{l}");
                    }
                }
                Err(e) => eprintln!("{f}: {e}"),
            }
        }
        return ExitCode::SUCCESS;
    }
    let dir = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(default_corpus_dir);
    match score_corpus(&dir, Classifier::builtin()) {
        Ok(s) => {
            if misses {
                for m in &s.misses {
                    println!("{m}");
                }
            }
            print!("{}", format_table(&s));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("bounce-score: {e}");
            ExitCode::FAILURE
        }
    }
}
