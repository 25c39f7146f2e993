//! Prints the whole parse result (`{:?}` of the `BounceReport`) of every
//! file under the directories or files given, one line per file, sorted by
//! path: run on two builds and `diff` the outputs to prove a change leaves
//! every result as it was.
//!
//! `cargo run --release -p hikyaku-bounce --example parse_digest -- DIR...`
#![allow(clippy::print_stdout)]

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

fn main() {
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        walk(Path::new(&a), &mut files);
    }
    files.sort();
    for f in files {
        let Ok(raw) = std::fs::read(&f) else {
            println!("{}\tunreadable", f.display());
            continue;
        };
        println!("{}\t{:?}", f.display(), hikyaku_bounce::parse(&raw));
    }
}
