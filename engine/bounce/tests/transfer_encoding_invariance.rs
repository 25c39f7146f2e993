//! A report reads the same whatever transfer encoding carries its text
//! (issue 18 item 3: structure, not bytes). Gateways re-encode what they
//! relay: Exchange and Japanese carriers send base64, list servers and
//! Notes quoted-printable. For every message of the shared corpus and of
//! the imported corpora's dev split, each unencoded text part (top-level or
//! inside multiparts, not inside an attached message) is re-encoded as
//! base64 and as quoted-printable; the kind and every failed recipient
//! with its status must stay as they were. mail-parser decodes, so the
//! encoders below (written to RFC 2045) are checked against an independent
//! implementation.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_bounce::corpora::dev_messages;
use hikyaku_bounce::{parse, ErrorStatus, Kind};

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Base64,
    QuotedPrintable,
}

fn base64(data: &[u8]) -> Vec<u8> {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    for (i, chunk) in data.chunks(3).enumerate() {
        if i > 0 && i % 19 == 0 {
            out.push(b'\n'); // 76 characters a line
        }
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize]);
            } else {
                out.push(b'=');
            }
        }
    }
    out.push(b'\n');
    out
}

/// RFC 2045 §6.7: `=XX` for `=`, controls and 8-bit bytes, and for a space
/// or tab ending a line; soft breaks keep lines within 76 characters.
fn quoted_printable(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in data.split(|&b| b == b'\n') {
        let mut width = 0;
        for (i, &b) in line.iter().enumerate() {
            let last = i + 1 == line.len();
            let plain =
                (b == b' ' || b == b'\t') && !last || (b'!'..=b'~').contains(&b) && b != b'=';
            let token = if plain {
                vec![b]
            } else {
                format!("={b:02X}").into_bytes()
            };
            if width + token.len() > 75 {
                out.extend_from_slice(b"=\n");
                width = 0;
            }
            width += token.len();
            out.extend_from_slice(&token);
        }
        out.push(b'\n');
    }
    out.pop();
    out
}

/// A header field's unfolded value in `head` (first occurrence).
fn field(head: &[u8], name: &str) -> Option<String> {
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

/// The boundary parameter of a multipart `Content-Type` value.
fn boundary(ctype: &str) -> Option<String> {
    let at = ctype.to_ascii_lowercase().find("boundary=")?;
    let v = ctype.get(at + 9..)?;
    let v = v.strip_prefix('"').map_or_else(
        || v.split([';', ' ']).next().unwrap_or(""),
        |q| q.split('"').next().unwrap_or(""),
    );
    (!v.is_empty()).then(|| v.to_string())
}

/// `entity` (header block, empty line, body; `\n` line ends) with its
/// unencoded text re-encoded, or `None` when it holds none.
fn reencode(entity: &[u8], how: Encoding) -> Option<Vec<u8>> {
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
        let delimiter = format!("--{}", boundary(&ctype)?).into_bytes();
        let mut out = head.to_vec();
        out.extend_from_slice(b"\n\n");
        let mut changed = false;
        let mut part: Vec<&[u8]> = Vec::new();
        let mut inside = false;
        let flush = |part: &mut Vec<&[u8]>, out: &mut Vec<u8>, changed: &mut bool| {
            let raw = part.join(&b'\n');
            match reencode(&raw, how) {
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
    if !lower.starts_with("text/") || !matches!(cte.as_deref(), None | Some("7bit" | "8bit")) {
        return None;
    }
    let mut out: Vec<u8> = String::from_utf8_lossy(head)
        .split('\n')
        .filter(|l| {
            !l.split(':')
                .next()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case("content-transfer-encoding"))
        })
        .collect::<Vec<_>>()
        .join("\n")
        .into_bytes();
    if String::from_utf8(head.to_vec()).is_err() {
        return None; // 8-bit header bytes: not rewritten through a string
    }
    let (name, encoded) = match how {
        Encoding::Base64 => ("base64", base64(body)),
        Encoding::QuotedPrintable => ("quoted-printable", quoted_printable(body)),
    };
    if !out.is_empty() {
        out.push(b'\n');
    }
    out.extend_from_slice(format!("Content-Transfer-Encoding: {name}\n\n").as_bytes());
    out.extend_from_slice(&encoded);
    Some(out)
}

fn reading(raw: &[u8]) -> (Kind, Vec<(String, ErrorStatus)>) {
    let r = parse(raw);
    let mut named: Vec<_> = r
        .recipients
        .into_iter()
        .map(|f| (f.recipient, f.status))
        .collect();
    named.sort_by(|a, b| a.0.cmp(&b.0));
    (r.kind, named)
}

#[test]
fn encoders_round_trip_through_mail_parser() {
    let text = "Delivery to the following recipient failed: =x\tjdoe@example.com \n\
                caf\u{e9} \u{30e6}\u{30fc}\u{30b6} "
        .repeat(5);
    for how in [Encoding::Base64, Encoding::QuotedPrintable] {
        let msg = format!("Content-Type: text/plain; charset=utf-8\n\n{text}");
        let new = reencode(msg.as_bytes(), how).unwrap();
        assert!(new.split(|&b| b == b'\n').all(|l| l.len() <= 76), "{how:?}");
        let parsed = mail_parser::MessageParser::default().parse(&new).unwrap();
        assert_eq!(parsed.body_text(0).unwrap(), text, "{how:?}");
    }
}

#[test]
fn a_report_reads_the_same_in_any_transfer_encoding() {
    let msgs = dev_messages();
    assert!(msgs.len() >= 1000, "{} messages", msgs.len());
    let mut tried = 0;
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        // CRLF read as LF: the re-encoder splits at `\n`.
        let unix: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
        // Fixtures that are a body without a header block stay out.
        let first = unix
            .split(|&b| b == b'\n')
            .find(|l| !l.starts_with(b"From "))
            .unwrap_or(&[]);
        let starts_with_field = first.iter().position(|&b| b == b':').is_some_and(|at| {
            at > 0
                && first[..at]
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || b == b'-')
        });
        if !starts_with_field {
            continue;
        }
        let before = reading(&unix);
        for how in [Encoding::Base64, Encoding::QuotedPrintable] {
            let Some(new) = reencode(&unix, how) else {
                continue;
            };
            tried += 1;
            let after = reading(&new);
            if after != before {
                // `TEI_DUMP=DIR` keeps each message read differently.
                if let Some(d) = std::env::var_os("TEI_DUMP") {
                    let name = format!("{}-{how:?}.eml", path.rsplit('/').next().unwrap_or("x"));
                    std::fs::write(std::path::Path::new(&d).join(name), &new).unwrap();
                }
                differ.push(format!("{path} {how:?}:\n  {before:?}\n  {after:?}"));
            }
        }
    }
    eprintln!("{tried} re-encoded messages of {}", msgs.len());
    assert!(tried >= 1000, "only {tried} messages re-encoded");
    assert!(
        differ.is_empty(),
        "{} of {tried} read differently:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
