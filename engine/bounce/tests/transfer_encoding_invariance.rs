//! A report reads the same whatever transfer encoding carries its text
//! (issue 18 item 3: structure, not bytes). Gateways re-encode what they
//! relay: Exchange and Japanese carriers send base64, list servers and
//! Notes quoted-printable. For every message of the shared corpus, of the
//! imported corpora's dev split and of the test messages written here,
//! each unencoded text part (top-level or
//! inside multiparts, not inside an attached message) is re-encoded as
//! base64 and as quoted-printable; the kind and every failed recipient
//! with its status must stay as they were. mail-parser decodes, so the
//! encoders below (written to RFC 2045) are checked against an independent
//! implementation.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/text_parts.rs"]
mod text_parts;

use text_parts::{all_dev_messages, reading, rewrite_text_parts, unix_with_header, Rewrite};

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

/// `entity` with each unencoded text part re-encoded `how`.
fn reencode(entity: &[u8], how: Encoding) -> Option<Vec<u8>> {
    rewrite_text_parts(entity, &|ctype, cte, body| {
        if !matches!(cte, None | Some("7bit" | "8bit")) {
            return None;
        }
        Some(match how {
            Encoding::Base64 => Rewrite {
                content_type: ctype.to_string(),
                transfer_encoding: "base64",
                body: base64(body),
            },
            Encoding::QuotedPrintable => Rewrite {
                content_type: ctype.to_string(),
                transfer_encoding: "quoted-printable",
                body: quoted_printable(body),
            },
        })
    })
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
    let msgs = all_dev_messages();
    assert!(msgs.len() >= 2000, "{} messages", msgs.len());
    let mut tried = 0;
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        let Some(unix) = unix_with_header(raw) else {
            continue;
        };
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
