//! The checks shared by the template tests (`mta_templates*.rs`): each
//! template message names the recipients its table gives, with their
//! statuses, or names nobody and has the table's kind; and each file of its
//! set has a row, so a message cannot be added without an expectation.

use std::path::{Path, PathBuf};

use hikyaku_bounce::parse;

/// A template file and the (recipient, SPEC §13.5 status) it must name.
pub type Case = (&'static str, &'static [(&'static str, u8)]);
/// A template file that must name nobody, and its kind.
pub type Notice = (&'static str, &'static str);

/// `tests/mta_templates/`.
pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/mta_templates")
}

/// One line per notice that names somebody or has another kind.
pub fn wrong_notices(dir: &Path, notices: &[Notice]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (file, kind) in notices {
        let r = parse(&std::fs::read(dir.join(file)).expect("template message"));
        if !r.recipients.is_empty() || r.kind.as_str() != *kind {
            let named: Vec<_> = r
                .recipients
                .iter()
                .map(|f| (&f.recipient, f.status.as_u8()))
                .collect();
            wrong.push(format!(
                "{file}: {} named {named:?}, want {kind}",
                r.kind.as_str()
            ));
        }
    }
    wrong
}

/// One line per message whose named recipients or statuses differ.
pub fn wrong_cases(dir: &Path, cases: &[Case]) -> Vec<String> {
    let mut wrong = Vec::new();
    for (file, want) in cases {
        let r = parse(&std::fs::read(dir.join(file)).expect("template message"));
        let got: Vec<(String, u8)> = r
            .recipients
            .iter()
            .map(|f| (f.recipient.clone(), f.status.as_u8()))
            .collect();
        let want: Vec<(String, u8)> = want.iter().map(|(a, s)| (a.to_string(), *s)).collect();
        if got != want {
            wrong.push(format!(
                "{file}: got {got:?} want {want:?} ({})",
                r.kind.as_str()
            ));
        }
    }
    wrong
}

/// Files of `dir` whose name passes `keep`.
pub fn count_files(dir: &Path, keep: impl Fn(&str) -> bool) -> usize {
    std::fs::read_dir(dir)
        .expect("template folder")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| keep(&e.file_name().to_string_lossy()))
        })
        .count()
}
