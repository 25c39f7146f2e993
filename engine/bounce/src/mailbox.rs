//! Offline analysis of a whole mailbox (issue 18, item 6): the messages of an
//! mbox file, a Maildir (`cur/` and `new/`) or a folder (with its subfolders) of message files,
//! and a summary of what they were, per kind and error status.
//!
//! Reading is here (not in the CLIs) so `hikyaku bounce parse` and
//! `hikyakud bounce parse` split mailboxes the same way.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::report::{BounceReport, Kind};

/// Why a mailbox could not be read.
#[derive(Debug, thiserror::Error)]
pub enum MailboxError {
    /// A file or folder could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> MailboxError + '_ {
    move |source| MailboxError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether `raw` is an mbox: it starts with a `From ` separator line.
pub fn is_mbox(raw: &[u8]) -> bool {
    raw.starts_with(b"From ")
}

/// Splits an mbox (mboxrd or mboxo) into messages: a `From ` line at the start
/// or after an empty line separates them, and one level of `>From ` quoting
/// is undone.
pub fn split_mbox(raw: &[u8]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut cur: Option<Vec<u8>> = None;
    let mut prev_blank = true;
    for line in raw.split_inclusive(|&b| b == b'\n') {
        let blank = line.iter().all(|b| matches!(b, b'\r' | b'\n'));
        if prev_blank && is_separator(line) {
            if let Some(m) = cur.take() {
                out.push(m);
            }
            cur = Some(Vec::new());
            prev_blank = false;
            continue;
        }
        if let Some(m) = cur.as_mut() {
            let unquoted = line
                .strip_prefix(b">")
                .filter(|rest| {
                    let r = rest.iter().position(|&b| b != b'>').unwrap_or(rest.len());
                    rest.get(r..).is_some_and(|t| t.starts_with(b"From "))
                })
                .unwrap_or(line);
            m.extend_from_slice(unquoted);
        }
        prev_blank = blank;
    }
    if let Some(m) = cur {
        out.push(m);
    }
    out
}

/// A `From ` separator line: `From <sender> <date>`, the date ending in a
/// year. Body text that starts with "From " after a blank line (unquoted by
/// a careless writer) has no such date and stays in its message.
fn is_separator(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"From ") else {
        return false;
    };
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<&str> = text.split_whitespace().collect();
    fields.len() >= 3
        && fields
            .iter()
            .any(|f| f.len() == 4 && f.bytes().all(|b| b.is_ascii_digit()))
}

/// The entries of `dir`, sorted: its files, and its subfolders (names starting with `.` skipped:
/// a Maildir++ subfolder or a tool's state is not a message of this folder).
fn entries(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), MailboxError> {
    let mut all: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io(dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
        })
        .collect();
    all.sort();
    let (dirs, files) = all.into_iter().partition(|p| p.is_dir());
    Ok((files, dirs))
}

/// How deep `messages` reads into a plain folder's subfolders.
const MAX_DEPTH: usize = 16;

/// The message files under `dir`: a Maildir's `cur/` and `new/` (never `tmp/`, where mail is
/// still being written), or a plain folder's files and then, depth first, its subfolders' (a
/// tree of exported messages, a folder of Maildirs). Subfolders deeper than `MAX_DEPTH` are not
/// read: a symbolic link back up the tree must not loop.
fn message_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), MailboxError> {
    if dir.join("cur").is_dir() || dir.join("new").is_dir() {
        for sub in ["cur", "new"] {
            let d = dir.join(sub);
            if d.is_dir() {
                out.extend(entries(&d)?.0);
            }
        }
        return Ok(());
    }
    let (files, dirs) = entries(dir)?;
    out.extend(files);
    if depth < MAX_DEPTH {
        for d in dirs {
            message_files(&d, depth + 1, out)?;
        }
    }
    Ok(())
}

/// The messages at `path`, each with a name for output: a file (one message,
/// or an mbox: `file:N`), a Maildir (its `cur/` and `new/`), or a folder of
/// message files, mbox files and Maildirs, read with its subfolders.
pub fn messages(path: &Path) -> Result<Vec<(String, Vec<u8>)>, MailboxError> {
    if path.is_dir() {
        let mut files = Vec::new();
        message_files(path, 0, &mut files)?;
        let mut out = Vec::new();
        for f in files {
            out.extend(file_messages(&f)?);
        }
        return Ok(out);
    }
    file_messages(path)
}

fn file_messages(path: &Path) -> Result<Vec<(String, Vec<u8>)>, MailboxError> {
    let raw = std::fs::read(path).map_err(io(path))?;
    let name = path.display().to_string();
    Ok(named(&name, raw))
}

/// Names the messages of one file's bytes (`name`, or `name:N` for an mbox).
pub fn named(name: &str, raw: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    if is_mbox(&raw) {
        split_mbox(&raw)
            .into_iter()
            .enumerate()
            .map(|(i, m)| (format!("{name}:{}", i + 1), m))
            .collect()
    } else {
        vec![(name.to_string(), raw)]
    }
}

/// Counts of analysed messages and failed recipients per kind and status.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Messages per kind.
    pub messages: BTreeMap<&'static str, usize>,
    /// Failed recipients per (kind, status number, reason).
    pub failures: BTreeMap<(&'static str, u8, &'static str), usize>,
}

impl Summary {
    /// Adds one analysed message.
    pub fn add(&mut self, report: &BounceReport) {
        *self.messages.entry(report.kind.as_str()).or_default() += 1;
        for r in &report.recipients {
            *self
                .failures
                .entry((report.kind.as_str(), r.status.as_u8(), r.status.reason()))
                .or_default() += 1;
        }
    }

    /// The table: messages per kind (every kind listed), then failed
    /// recipients per kind and error status.
    pub fn table(&self) -> String {
        let mut o = String::new();
        let total: usize = self.messages.values().sum();
        let _ = writeln!(o, "{:<20} {:>8}", "kind", "messages");
        for k in Kind::ALL {
            let n = self.messages.get(k.as_str()).copied().unwrap_or(0);
            let _ = writeln!(o, "{:<20} {:>8}", k.as_str(), n);
        }
        let _ = writeln!(o, "{:<20} {:>8}", "total", total);
        o.push('\n');
        let _ = writeln!(
            o,
            "{:<20} {:>6}  {:<22} {:>10}",
            "kind", "status", "reason", "recipients"
        );
        for ((kind, status, reason), n) in &self.failures {
            let _ = writeln!(o, "{kind:<20} {status:>6}  {reason:<22} {n:>10}");
        }
        let failed: usize = self.failures.values().sum();
        let _ = writeln!(o, "{:<20} {:>6}  {:<22} {:>10}", "total", "", "", failed);
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mbox_split_and_unquote() {
        assert!(is_separator(
            b"From MAILER-DAEMON Tue Dec  2 09:00:00 2026\n"
        ));
        assert!(!is_separator(b"From inside a line is kept\n"));
        let mbox = b"From a@b Mon Dec  1 00:00:00 2026\nSubject: one\n\nbody\n>From here\n\n\
From c@d Mon Dec  1 00:00:01 2026\nSubject: two\n\nFrom inside a line is kept\n";
        let m = split_mbox(mbox);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0], b"Subject: one\n\nbody\nFrom here\n\n".to_vec());
        assert_eq!(
            m[1],
            b"Subject: two\n\nFrom inside a line is kept\n".to_vec()
        );
        assert_eq!(named("x", b"Subject: s\n\nb".to_vec()).len(), 1);
        assert_eq!(named("x", mbox.to_vec())[1].0, "x:2");
    }

    #[test]
    fn maildir_reads_cur_and_new_only() {
        let dir = std::env::temp_dir().join(format!("hk-maildir-{}", std::process::id()));
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("cur/1"), b"Subject: a\n\nx").unwrap();
        std::fs::write(dir.join("new/2"), b"Subject: b\n\nx").unwrap();
        std::fs::write(dir.join("tmp/3"), b"Subject: c\n\nx").unwrap();
        let m = messages(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn a_plain_folder_is_read_with_its_subfolders_and_maildirs() {
        let dir = std::env::temp_dir().join(format!("hk-tree-{}", std::process::id()));
        for sub in ["a/b", "box/cur", "box/tmp", ".hidden"] {
            std::fs::create_dir_all(dir.join(sub)).unwrap();
        }
        std::fs::write(dir.join("top.eml"), b"Subject: a\n\nx").unwrap();
        std::fs::write(dir.join("a/b/deep.eml"), b"Subject: b\n\nx").unwrap();
        std::fs::write(dir.join("box/cur/1"), b"Subject: c\n\nx").unwrap();
        std::fs::write(dir.join("box/tmp/2"), b"Subject: d\n\nx").unwrap();
        std::fs::write(dir.join(".hidden/3"), b"Subject: e\n\nx").unwrap();
        let m = messages(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let names: Vec<&str> = m.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names[0].ends_with("top.eml"), "{names:?}");
        assert!(names[1].ends_with("deep.eml"), "{names:?}");
        assert!(names[2].ends_with("box/cur/1"), "{names:?}");
    }

    #[test]
    fn summary_counts_kinds_and_statuses() {
        let mut s = Summary::default();
        s.add(&crate::parse(
            b"From: MAILER-DAEMON@x.example\nSubject: Undelivered Mail Returned to Sender\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n--b\n\
Content-Type: message/delivery-status\n\nFinal-Recipient: rfc822; a@example.com\n\
Action: failed\nStatus: 5.1.1\n\n--b--\n",
        ));
        s.add(&crate::parse(b"Subject: hello\n\nhi\n"));
        assert_eq!(s.messages.get("dsn"), Some(&1));
        assert_eq!(s.messages.get("not_bounce"), Some(&1));
        assert_eq!(s.failures.get(&("dsn", 2, "unknown user")), Some(&1));
        let t = s.table();
        assert!(t.contains("challenge_response"), "{t}");
        assert!(t
            .lines()
            .any(|l| l.starts_with("dsn") && l.contains("unknown user")));
    }
}
