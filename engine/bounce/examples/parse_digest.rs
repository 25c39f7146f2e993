//! Prints the whole parse result (`{:?}` of the `BounceReport`) of every
//! file under the directories or files given, one line per file, sorted by
//! path: run on two builds and `diff` the outputs to prove a change leaves
//! every result as it was.
//!
//! `cargo run --release -p hikyaku-bounce --example parse_digest -- DIR...`
//!
//! A file of an imported corpus's held-out split (`corpora/NAME/…`) is
//! listed but not parsed: its results must not be read while tuning.
#![allow(clippy::print_stdout)]

use hikyaku_bounce::corpora::{split_of, Split};
use std::path::{Path, PathBuf};

fn walk(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else {
            return;
        };
        for e in rd.flatten() {
            walk(&e.path(), out);
        }
    } else if p.is_file() {
        out.push(p.to_path_buf());
    }
}

/// Whether `p` lies in an imported corpus (`…/corpora/NAME/REL`) and its
/// `REL` falls in the held-out split.
fn held_out(p: &Path) -> bool {
    let s = p.to_string_lossy();
    let Some(at) = s.find("/corpora/") else {
        return false;
    };
    let rest = s.get(at + "/corpora/".len()..).unwrap_or("");
    rest.split_once('/')
        .is_some_and(|(_, rel)| split_of(rel) == Split::Held)
}

fn main() {
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        walk(Path::new(&a), &mut files);
    }
    files.sort();
    for f in files {
        if held_out(&f) {
            println!("{}\theld-out", f.display());
            continue;
        }
        let Ok(raw) = std::fs::read(&f) else {
            println!("{}\tunreadable", f.display());
            continue;
        };
        println!("{}\t{:?}", f.display(), hikyaku_bounce::parse(&raw));
    }
}
