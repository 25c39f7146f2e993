//! Rewriting a message's text parts, for invariance tests: the
//! same report in another transfer encoding or another charset must read
//! the same. Parts inside an attached message are left as they are.
#![allow(dead_code)] // each test crate uses its own share of these

use hikyaku_bounce::{parse, ErrorStatus, Kind};

/// A text part's replacement: its `Content-Type` value, its
/// `Content-Transfer-Encoding` and its body.
pub struct Rewrite {
    pub content_type: String,
    pub transfer_encoding: &'static str,
    pub body: Vec<u8>,
}

/// A header field's unfolded value in `head` (first occurrence).
pub fn field(head: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let mut value: Option<String> = None;
    for line in text.split('\n') {
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push(' ');
                v.push_str(line.trim());
                continue;
            }
            break;
        }
        if let Some((n, v)) = line.split_once(':') {
            if n.trim().eq_ignore_ascii_case(name) {
                value = Some(v.trim().to_string());
            }
        }
    }
    value
}

/// A parameter of a header value (`boundary`, `charset`), unquoted.
pub fn parameter(value: &str, name: &str) -> Option<String> {
    let lower = value.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))?;
    let v = value.get(at + name.len() + 1..)?;
    let v = v.strip_prefix('"').map_or_else(
        || v.split([';', ' ']).next().unwrap_or(""),
        |q| q.split('"').next().unwrap_or(""),
    );
    (!v.is_empty()).then(|| v.to_string())
}

/// `head` without the fields named in `drop` (folded lines included).
fn without_fields(head: &str, drop: &[&str]) -> String {
    let mut out = Vec::new();
    let mut skipping = false;
    for line in head.split('\n') {
        if line.starts_with([' ', '\t']) {
            if !skipping {
                out.push(line);
            }
            continue;
        }
        let name = line.split(':').next().unwrap_or("").trim();
        skipping = drop.iter().any(|d| name.eq_ignore_ascii_case(d));
        if !skipping {
            out.push(line);
        }
    }
    out.join("\n")
}

/// The closure a rewrite asks of each text part: its `Content-Type`
/// value, its `Content-Transfer-Encoding` (lower case, if any) and its
/// body as written.
pub type PartRewrite<'a> = &'a dyn Fn(&str, Option<&str>, &[u8]) -> Option<Rewrite>;

/// `entity` (header block, empty line, body; `\n` line ends) with each
/// text part `f` rewrites replaced, or `None` when it rewrote none.
pub fn rewrite_text_parts(entity: &[u8], f: PartRewrite<'_>) -> Option<Vec<u8>> {
    // A part may have no header fields: its body follows an empty line.
    let (head, body) = match entity.strip_prefix(b"\n") {
        Some(body) => (&b""[..], body),
        None => {
            let split = memchr::memmem::find(entity, b"\n\n")?;
            (&entity[..split], &entity[split + 2..])
        }
    };
    let ctype = field(head, "content-type").unwrap_or_else(|| "text/plain".into());
    let lower = ctype.to_ascii_lowercase();
    if lower.starts_with("multipart/") {
        let delimiter = format!("--{}", parameter(&ctype, "boundary")?).into_bytes();
        let mut out = head.to_vec();
        out.extend_from_slice(b"\n\n");
        let mut changed = false;
        let mut part: Vec<&[u8]> = Vec::new();
        let mut inside = false;
        let flush = |part: &mut Vec<&[u8]>, out: &mut Vec<u8>, changed: &mut bool| {
            let raw = part.join(&b'\n');
            match rewrite_text_parts(&raw, f) {
                Some(new) => {
                    *changed = true;
                    out.extend_from_slice(&new);
                }
                None => out.extend_from_slice(&raw),
            }
            out.push(b'\n');
            part.clear();
        };
        for line in body.split(|&b| b == b'\n') {
            if line.starts_with(&delimiter) {
                if inside {
                    flush(&mut part, &mut out, &mut changed);
                }
                out.extend_from_slice(line);
                out.push(b'\n');
                inside = !line[delimiter.len()..].starts_with(b"--");
            } else if inside {
                part.push(line);
            } else {
                out.extend_from_slice(line);
                out.push(b'\n');
            }
        }
        if inside {
            flush(&mut part, &mut out, &mut changed);
        }
        return changed.then_some(out);
    }
    let cte = field(head, "content-transfer-encoding").map(|c| c.to_ascii_lowercase());
    if !lower.starts_with("text/") {
        return None;
    }
    // 8-bit header bytes: not rewritten through a string.
    let head = std::str::from_utf8(head).ok()?;
    let rw = f(&ctype, cte.as_deref(), body)?;
    let mut out = without_fields(head, &["content-type", "content-transfer-encoding"]).into_bytes();
    if !out.is_empty() {
        out.push(b'\n');
    }
    out.extend_from_slice(
        format!(
            "Content-Type: {}\nContent-Transfer-Encoding: {}\n\n",
            rw.content_type, rw.transfer_encoding
        )
        .as_bytes(),
    );
    out.extend_from_slice(&rw.body);
    Some(out)
}

/// `raw` with CRLF read as LF (the rewriters split at `\n`), when it opens
/// with a header block.
pub fn unix_with_header(raw: &[u8]) -> Option<Vec<u8>> {
    let unix: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
    has_header_block(&unix).then_some(unix)
}

/// The `.eml` files under `dir`, as (path, bytes): the test messages
/// written here for each format (`tests/fresh_reports`, `tests/mta_templates`…).
pub fn fixture_messages(dir: &std::path::Path, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            fixture_messages(&p, out);
        } else if p.extension().is_some_and(|e| e == "eml") {
            if let Ok(raw) = std::fs::read(&p) {
                out.push((p.display().to_string(), raw));
            }
        }
    }
}

/// Every message tuning may read: the shared corpus, the imported corpora's
/// dev split and the test messages written here.
pub fn all_dev_messages() -> Vec<(String, Vec<u8>)> {
    let mut msgs = hikyaku_bounce::corpora::dev_messages();
    let tests = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    fixture_messages(&tests, &mut msgs);
    msgs
}

/// Whether `raw` opens with a header block (an mbox `From ` line passed
/// over): fixtures that are a body alone would have their first paragraph
/// taken for one.
fn has_header_block(raw: &[u8]) -> bool {
    let first = raw
        .split(|&b| b == b'\n')
        .find(|l| !l.starts_with(b"From "))
        .unwrap_or(&[]);
    first.iter().position(|&b| b == b':').is_some_and(|at| {
        at > 0
            && first[..at]
                .iter()
                .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// What a report says: its kind and each failed recipient with its status.
pub fn reading(raw: &[u8]) -> (Kind, Vec<(String, ErrorStatus)>) {
    let r = parse(raw);
    let mut named: Vec<_> = r
        .recipients
        .into_iter()
        .map(|f| (f.recipient, f.status))
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    (r.kind, named)
}

/// `raw` (`\n` line ends) without the top-level parts whose content type
/// (its type alone, lower case) `drop` names, or `None` when it drops
/// none: the same report without a part that only supports its text.
/// Bytes stay bytes (a part in a legacy charset is kept as written).
pub fn without_top_level_parts(raw: &[u8], drop: &dyn Fn(&str) -> bool) -> Option<Vec<u8>> {
    let unix: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
    let split = memchr::memmem::find(&unix, b"\n\n")?;
    let ctype = field(&unix[..split], "content-type")?;
    if !ctype.to_ascii_lowercase().starts_with("multipart/") {
        return None;
    }
    let delimiter = format!("\n--{}", parameter(&ctype, "boundary")?).into_bytes();
    let mut parts: Vec<&[u8]> = Vec::new();
    let mut rest = unix.as_slice();
    while let Some(at) = memchr::memmem::find(rest, &delimiter) {
        parts.push(&rest[..at]);
        rest = &rest[at + delimiter.len()..];
    }
    parts.push(rest);
    let dropped = |p: &[u8]| {
        let head = memchr::memmem::find(p, b"\n\n").map_or(p, |e| &p[..e]);
        field(head, "content-type").is_some_and(|c| {
            let c = c.to_ascii_lowercase();
            drop(c.split(';').next().unwrap_or("").trim())
        })
    };
    let kept: Vec<&[u8]> = parts
        .iter()
        .enumerate()
        .filter(|(i, p)| *i == 0 || !dropped(p))
        .map(|(_, p)| *p)
        .collect();
    (kept.len() < parts.len()).then(|| kept.join(delimiter.as_slice()))
}

/// An invariance check's verdict: at least `min` messages `tried` (`what`
/// says what was done to them), and none of them in `differ`.
pub fn assert_alike(what: &str, tried: usize, min: usize, differ: &[String]) {
    eprintln!("{tried} {what}");
    assert!(tried >= min, "only {tried} {what}");
    assert!(
        differ.is_empty(),
        "{} of {tried} {what} read otherwise:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
