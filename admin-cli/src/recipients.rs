//! Recipient files of `hikyaku send bulk`: CSV, JSONL and JSON.
//!
//! * CSV (RFC 4180: quoted fields, `""` escapes, line breaks inside quotes, CRLF): a header row
//!   `to,<placeholder>...`, then one recipient per row. Blank lines are skipped.
//! * JSONL: one object per line; JSON: one array of objects. An object is either the wire form
//!   `{"to": "a@example.com", "values": {"name": "A"}}` or flat `{"to": "...", "name": "A"}`
//!   (every key but `to` and `values` is a placeholder; numbers and booleans become text).

use std::collections::BTreeMap;
use std::path::Path;

use hikyaku_rpc::types::send::BulkRecipient;
use serde_json::Value;

use crate::args_enums::RecipientsFormat;

/// The format of a recipient file: `--recipients-format`, else its extension.
pub fn detect_format(
    path: &Path,
    flag: Option<RecipientsFormat>,
) -> Result<RecipientsFormat, String> {
    if let Some(f) = flag {
        return Ok(f);
    }
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => Ok(RecipientsFormat::Csv),
        "jsonl" | "ndjson" => Ok(RecipientsFormat::Jsonl),
        "json" => Ok(RecipientsFormat::Json),
        _ => Err(format!(
            "cannot tell the format of {} from its extension (.csv, .jsonl, .json): pass --recipients-format",
            path.display()
        )),
    }
}

/// Parses a recipient file's text.
pub fn parse(text: &str, format: RecipientsFormat) -> Result<Vec<BulkRecipient>, String> {
    match format {
        RecipientsFormat::Csv => from_csv(text),
        RecipientsFormat::Jsonl => from_jsonl(text),
        RecipientsFormat::Json => from_json(text),
    }
}

/// Recipients from CSV with a `to,<placeholder>...` header row.
pub fn from_csv(text: &str) -> Result<Vec<BulkRecipient>, String> {
    let mut records = parse_csv(text)?.into_iter();
    let Some((_, header)) = records.next() else {
        return Ok(Vec::new());
    };
    let names: Vec<String> = header.iter().map(|h| h.trim().to_string()).collect();
    if !names.first().is_some_and(|n| n.eq_ignore_ascii_case("to")) {
        return Err("line 1: the header row must start with the column `to`".into());
    }
    for (i, n) in names.iter().enumerate().skip(1) {
        if n.is_empty() {
            return Err(format!("line 1: column {} has an empty name", i + 1));
        }
        if names[..i].contains(n) {
            return Err(format!("line 1: column {n:?} appears twice"));
        }
    }
    records
        .map(|(line, fields)| {
            if fields.len() != names.len() {
                return Err(format!(
                    "line {line}: {} field(s), but the header has {}",
                    fields.len(),
                    names.len()
                ));
            }
            let mut fields = fields.into_iter();
            let to = fields.next().unwrap_or_default().trim().to_string();
            if to.is_empty() {
                return Err(format!("line {line}: empty `to`"));
            }
            let values = names[1..].iter().cloned().zip(fields).collect();
            Ok(BulkRecipient { to, values })
        })
        .collect()
}

/// Splits RFC 4180 CSV into records, each with the line it starts on (1-based).
pub fn parse_csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let (mut line, mut record_line) = (1, 1);
    let mut in_quotes = false;
    let mut quoted = false; // the current field was quoted and its closing quote seen
    let mut field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    quoted = true;
                }
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            '"' if field_start => {
                in_quotes = true;
                field_start = false;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                field_start = true;
                quoted = false;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                fields.push(std::mem::take(&mut field));
                let blank = fields.len() == 1 && fields[0].is_empty() && !quoted;
                let done = std::mem::take(&mut fields);
                if !blank {
                    records.push((record_line, done));
                }
                line += 1;
                record_line = line;
                field_start = true;
                quoted = false;
            }
            ' ' | '\t' if quoted => {}
            _ if quoted => {
                return Err(format!(
                    "line {line}: unexpected {c:?} after a closing quote"
                ))
            }
            _ => {
                field.push(c);
                field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(format!("line {record_line}: quoted field is not closed"));
    }
    if !fields.is_empty() || !field.is_empty() || quoted {
        fields.push(field);
        records.push((record_line, fields));
    }
    Ok(records)
}

/// Recipients from JSON Lines.
pub fn from_jsonl(text: &str) -> Result<Vec<BulkRecipient>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).map_err(|e| format!("line {}: {e}", i + 1))?;
            from_value(v).map_err(|e| format!("line {}: {e}", i + 1))
        })
        .collect()
}

/// Recipients from a JSON array.
pub fn from_json(text: &str) -> Result<Vec<BulkRecipient>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let Value::Array(items) = v else {
        return Err("expected a JSON array of recipients".into());
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| from_value(v).map_err(|e| format!("recipient [{i}]: {e}")))
        .collect()
}

/// One recipient object, wire or flat form.
fn from_value(v: Value) -> Result<BulkRecipient, String> {
    let Value::Object(map) = v else {
        return Err("expected an object with `to`".into());
    };
    let mut to = None;
    let mut values = BTreeMap::new();
    for (k, v) in map {
        match k.as_str() {
            "to" => match v {
                Value::String(s) if !s.trim().is_empty() => to = Some(s.trim().to_string()),
                _ => return Err("`to` must be a non-empty string".into()),
            },
            "values" => {
                let Value::Object(vals) = v else {
                    return Err("`values` must be an object".into());
                };
                for (name, val) in vals {
                    let text = scalar(&name, val)?;
                    values.insert(name, text);
                }
            }
            _ => {
                let text = scalar(&k, v)?;
                values.insert(k, text);
            }
        }
    }
    let to = to.ok_or("missing `to`")?;
    Ok(BulkRecipient { to, values })
}

fn scalar(name: &str, v: Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        _ => Err(format!(
            "value of {name:?} must be a string, number or boolean"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(to: &str, values: &[(&str, &str)]) -> BulkRecipient {
        BulkRecipient {
            to: to.into(),
            values: values
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn csv_simple() {
        let got = from_csv("to,name,code\na@x.org,Alice,1\nb@x.org,Bob,2\n").unwrap();
        assert_eq!(
            got,
            [
                r("a@x.org", &[("name", "Alice"), ("code", "1")]),
                r("b@x.org", &[("name", "Bob"), ("code", "2")])
            ]
        );
    }

    #[test]
    fn csv_quoted_fields() {
        let text = "\u{feff}To, name ,note\r\n\
                    \"a@x.org\",\"Smith, Alice\",\"said \"\"hi\"\"\"\r\n\
                    \r\n\
                    b@x.org,\"two\nlines\",\"\"\r\n\
                    c@x.org,plain,no-newline-at-end";
        let got = from_csv(text).unwrap();
        assert_eq!(
            got,
            [
                r(
                    "a@x.org",
                    &[("name", "Smith, Alice"), ("note", "said \"hi\"")]
                ),
                r("b@x.org", &[("name", "two\nlines"), ("note", "")]),
                r(
                    "c@x.org",
                    &[("name", "plain"), ("note", "no-newline-at-end")]
                ),
            ]
        );
    }

    #[test]
    fn csv_records_know_their_lines() {
        let recs = parse_csv("h\n\"multi\nline\"\nlast\n").unwrap();
        assert_eq!(recs.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [1, 2, 4]);
        assert_eq!(
            parse_csv("a,,\n").unwrap(),
            [(1, vec!["a".to_string(), String::new(), String::new()])]
        );
        assert_eq!(parse_csv("").unwrap(), Vec::<(usize, Vec<String>)>::new());
    }

    #[test]
    fn csv_errors() {
        assert!(from_csv("email,name\na@x.org,A\n")
            .unwrap_err()
            .contains("`to`"));
        assert!(from_csv("to,name\na@x.org\n")
            .unwrap_err()
            .starts_with("line 2:"));
        assert!(from_csv("to,name,name\n").unwrap_err().contains("twice"));
        assert!(from_csv("to,name\n\"a@x.org,A\n")
            .unwrap_err()
            .contains("not closed"));
        assert!(from_csv("to,name\n\"a\"x,A\n")
            .unwrap_err()
            .contains("after a closing quote"));
        assert!(from_csv("to,name\n ,A\n")
            .unwrap_err()
            .contains("empty `to`"));
        assert_eq!(from_csv("to\n").unwrap(), []);
    }

    #[test]
    fn json_forms() {
        let jsonl = "{\"to\":\"a@x.org\",\"values\":{\"name\":\"A\"}}\n\n{\"to\":\"b@x.org\",\"name\":\"B\",\"n\":3}\n";
        assert_eq!(
            from_jsonl(jsonl).unwrap(),
            [
                r("a@x.org", &[("name", "A")]),
                r("b@x.org", &[("n", "3"), ("name", "B")])
            ]
        );
        assert!(from_jsonl("{\"to\":\"a@x.org\"}\n{\"name\":\"x\"}\n")
            .unwrap_err()
            .starts_with("line 2:"));
        assert_eq!(
            from_json("[{\"to\":\"a@x.org\"}]").unwrap(),
            [r("a@x.org", &[])]
        );
        assert!(from_json("{\"to\":\"a@x.org\"}").is_err());
        assert!(from_json("[{\"to\":\"a@x.org\",\"v\":[1]}]")
            .unwrap_err()
            .contains("[0]"));
    }

    #[test]
    fn format_detection() {
        assert_eq!(
            detect_format(Path::new("r.CSV"), None),
            Ok(RecipientsFormat::Csv)
        );
        assert_eq!(
            detect_format(Path::new("r.ndjson"), None),
            Ok(RecipientsFormat::Jsonl)
        );
        assert_eq!(
            detect_format(Path::new("-"), Some(RecipientsFormat::Json)),
            Ok(RecipientsFormat::Json)
        );
        assert!(detect_format(Path::new("-"), None).is_err());
    }
}
