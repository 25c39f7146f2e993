//! Output: aligned plain-text tables, `key: value` lines, and JSON.
//!
//! Everything is deterministic (no colours, no terminal-width dependence) so that the human
//! form can be read by people and, in a pinch, by `awk`; scripts should use `--json`, which
//! prints exactly the JSON result of the call.

use std::io::Write;

use anyhow::Context;
use serde::Serialize;

use crate::i18n::{self, Part};

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Pad on the right (text).
    Left,
    /// Pad on the left (numbers).
    Right,
}

/// A plain-text table: a header row and rows of cells, columns separated by two spaces.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with these column headers (in the output language), all left-aligned.
    pub fn new(headers: &[&str]) -> Self {
        Self {
            headers: headers.iter().map(|h| i18n::tr(Part::Header, h)).collect(),
            align: vec![Align::Left; headers.len()],
            rows: Vec::new(),
        }
    }

    /// Right-aligns the given columns (0-based).
    pub fn right(mut self, columns: &[usize]) -> Self {
        for &c in columns {
            if let Some(a) = self.align.get_mut(c) {
                *a = Align::Right;
            }
        }
        self
    }

    /// Adds a row; missing cells are empty, extra cells are dropped.
    pub fn row(&mut self, mut cells: Vec<String>) {
        cells.resize(self.headers.len(), String::new());
        self.rows
            .push(cells.into_iter().map(|c| clean(&c)).collect());
    }

    /// Number of rows (header excluded).
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// The table as text, one line per row, each ending in a newline, without trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.headers).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                let pad = widths[i].saturating_sub(width(cell));
                match self.align[i] {
                    Align::Left => {
                        line.push_str(cell);
                        line.extend(std::iter::repeat_n(' ', pad));
                    }
                    Align::Right => {
                        line.extend(std::iter::repeat_n(' ', pad));
                        line.push_str(cell);
                    }
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// Terminal columns a text takes: East Asian wide and fullwidth characters (CJK, kana, hangul,
/// fullwidth forms, most emoji) take two, everything else one. An approximation of UAX #11
/// good enough to keep Japanese subjects aligned.
pub fn width(s: &str) -> usize {
    s.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD)
}

/// Control characters (a subject's tab or newline) would break the layout: show them as spaces.
fn clean(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect()
    } else {
        s.to_string()
    }
}

/// `key: value` lines for one object.
#[derive(Debug, Clone, Default)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// No fields yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field (its name in the output language).
    pub fn add(mut self, key: &str, value: impl std::fmt::Display) -> Self {
        self.0
            .push((i18n::tr(Part::Field, key), clean(&value.to_string())));
        self
    }

    /// Adds a field when the value is present.
    pub fn opt(self, key: &str, value: Option<impl std::fmt::Display>) -> Self {
        match value {
            Some(v) => self.add(key, v),
            None => self,
        }
    }

    /// The lines, each ending in a newline.
    pub fn render(&self) -> String {
        self.0.iter().map(|(k, v)| format!("{k}: {v}\n")).collect()
    }
}

/// `yes` or `no` (in the output language).
pub fn yes_no(b: bool) -> String {
    i18n::tr(Part::Value, if b { "yes" } else { "no" })
}

/// An optional value, `-` when absent.
pub fn or_dash<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| "-".to_string(), |v| v.to_string())
}

/// The wire name of a serde enum value (`succeeded`, `group_admin`), for display: in the
/// output language when the catalog names it.
pub fn wire_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => i18n::tr(Part::Value, &s),
        Ok(other) => other.to_string(),
        Err(_) => "?".to_string(),
    }
}

/// The line under a page of results that says how to get the next one.
pub fn next_cursor(cursor: &str) -> String {
    format!("{}\n", i18n::message("next cursor: {}", &[&cursor]))
}

/// Pretty JSON followed by a newline.
pub fn json_text<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<String> {
    let mut s = serde_json::to_string_pretty(v).context("encoding JSON")?;
    s.push('\n');
    Ok(s)
}

/// Writes text to stdout.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .context("writing to standard output")
}

/// Writes a value to stdout as pretty JSON.
pub fn emit_json<T: Serialize + ?Sized>(v: &T) -> anyhow::Result<()> {
    emit(&json_text(v)?)
}

/// Writes a line to stderr (notes and warnings that must not mix with the output).
pub fn note(text: &str) {
    let mut err = std::io::stderr().lock();
    // Nothing sensible to do when stderr is gone.
    let _ = writeln!(err, "{text}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_columns_are_aligned() {
        let mut t = Table::new(&["DOMAIN", "QUEUED", "OLDEST"]).right(&[1]);
        t.row(vec![
            "example.com".into(),
            "5".into(),
            "2026-01-01T00:00:00Z".into(),
        ]);
        t.row(vec!["a.jp".into(), "12345".into(), "-".into()]);
        assert_eq!(
            t.render(),
            "DOMAIN       QUEUED  OLDEST\n\
             example.com       5  2026-01-01T00:00:00Z\n\
             a.jp          12345  -\n"
        );
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn table_edge_cases() {
        let t = Table::new(&["A", "B"]);
        assert_eq!(t.len(), 0);
        assert_eq!(t.render(), "A  B\n");
        let mut t = Table::new(&["NAME", "SUBJECT"]);
        // Missing cells are empty (no trailing spaces), control characters become spaces,
        // widths are terminal columns (a kanji takes two), not bytes.
        t.row(vec!["x".into()]);
        t.row(vec!["日本語".into(), "line1\nline2\ttab".into()]);
        t.row(vec!["é".into(), "ok".into()]);
        assert_eq!(
            t.render(),
            "NAME    SUBJECT\nx\n日本語  line1 line2 tab\né       ok\n"
        );
        assert_eq!(width("ｶﾅ"), 2);
        assert_eq!(width("メール"), 6);
    }

    #[test]
    fn fields_and_helpers() {
        let f = Fields::new()
            .add("version", 3)
            .opt("error", None::<&str>)
            .opt("job", Some("j1"));
        assert_eq!(f.render(), "version: 3\njob: j1\n");
        assert_eq!(yes_no(true), "yes");
        assert_eq!(or_dash(None::<u8>), "-");
        assert_eq!(
            wire_name(&hikyaku_rpc::types::users::Role::GroupAdmin),
            "group_admin"
        );
        assert_eq!(
            json_text(&serde_json::json!({"a": 1})).unwrap(),
            "{\n  \"a\": 1\n}\n"
        );
    }
}
