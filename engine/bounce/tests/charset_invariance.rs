//! A report reads the same in whatever charset carries its text (issue 18
//! items 3 and 5): Japanese carriers send ISO-2022-JP and Shift_JIS, the
//! same providers' web mail UTF-8, and gateways convert between them. For
//! every message of the shared corpus, of the imported corpora's dev split
//! and of the test messages written here, each text part in a legacy
//! charset is converted to
//! UTF-8, and each UTF-8 part holding Japanese text to ISO-2022-JP and to
//! Shift_JIS (where every character has a code there); the kind and every
//! failed recipient with its status must stay as they were. The
//! conversions are encoding_rs's (the WHATWG tables), the decoding the
//! parser's (mail-parser's), so the check does not rest on one
//! implementation.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/text_parts.rs"]
mod text_parts;

use encoding_rs::{Encoding, ISO_2022_JP, SHIFT_JIS, UTF_8};
use text_parts::{
    all_dev_messages, parameter, reading, rewrite_text_parts, unix_with_header, Rewrite,
};

/// `ctype` with its charset parameter replaced by `charset`.
fn with_charset(ctype: &str, charset: &str) -> String {
    let kept: Vec<&str> = ctype
        .split(';')
        .map(str::trim)
        .filter(|p| !p.to_ascii_lowercase().starts_with("charset="))
        .collect();
    format!("{}; charset={charset}", kept.join("; "))
}

/// A part's body as its transfer encoding gives it (mail-parser's
/// decoders: the transfer encoding is not what is checked here).
fn decoded(cte: Option<&str>, body: &[u8]) -> Option<Vec<u8>> {
    match cte {
        None | Some("7bit" | "8bit" | "binary") => Some(body.to_vec()),
        Some("base64") => mail_parser::decoders::base64::base64_decode(body),
        Some("quoted-printable") => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(body)
        }
        Some(_) => None,
    }
}

/// Legacy-charset text parts converted to UTF-8.
fn to_utf8(entity: &[u8]) -> Option<Vec<u8>> {
    rewrite_text_parts(entity, &|ctype, cte, body| {
        let body = &decoded(cte, body)?;
        let label = parameter(ctype, "charset")?;
        // An ASCII label is no legacy charset: WHATWG reads it as
        // windows-1252, the parser any 8-bit bytes under it as UTF-8 (a
        // label senders get wrong).
        if label.eq_ignore_ascii_case("us-ascii") || label.eq_ignore_ascii_case("ascii") {
            return None;
        }
        let enc = Encoding::for_label(label.as_bytes())?;
        if enc == UTF_8 || body.is_ascii() && enc != ISO_2022_JP {
            return None;
        }
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        (!had_errors).then(|| Rewrite {
            content_type: with_charset(ctype, "utf-8"),
            transfer_encoding: "8bit",
            body: text.into_owned().into_bytes(),
        })
    })
}

/// Whether `text` holds kana or kanji.
fn japanese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3040}'..='\u{30ff}' | '\u{4e00}'..='\u{9fff}'))
}

/// UTF-8 text parts holding Japanese converted to `target`.
fn from_utf8(entity: &[u8], target: &'static Encoding) -> Option<Vec<u8>> {
    rewrite_text_parts(entity, &|ctype, cte, body| {
        let body = decoded(cte, body)?;
        let label = parameter(ctype, "charset")?;
        if Encoding::for_label(label.as_bytes())? != UTF_8 {
            return None;
        }
        let text = std::str::from_utf8(&body).ok().filter(|t| japanese(t))?;
        let (bytes, _, unmappable) = target.encode(text);
        (!unmappable).then(|| Rewrite {
            content_type: with_charset(ctype, target.name()),
            transfer_encoding: if target == ISO_2022_JP {
                "7bit"
            } else {
                "8bit"
            },
            body: bytes.into_owned(),
        })
    })
}

#[test]
fn the_conversions_round_trip_through_mail_parser() {
    let text = "宛先のユーザーが見つかりません: taro@example.jp\n";
    let msg = format!("Content-Type: text/plain; charset=utf-8\n\n{text}");
    for target in [ISO_2022_JP, SHIFT_JIS] {
        let converted = from_utf8(msg.as_bytes(), target).unwrap();
        let parsed = mail_parser::MessageParser::default()
            .parse(&converted)
            .unwrap();
        assert_eq!(parsed.body_text(0).unwrap(), text, "{}", target.name());
        let back = to_utf8(&converted).unwrap();
        let parsed = mail_parser::MessageParser::default().parse(&back).unwrap();
        assert_eq!(parsed.body_text(0).unwrap(), text, "{}", target.name());
    }
}

#[test]
fn a_report_reads_the_same_in_any_charset() {
    let msgs = all_dev_messages();
    assert!(msgs.len() >= 2000, "{} messages", msgs.len());
    let (mut legacy, mut japanese_utf8) = (0, 0);
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        let Some(unix) = unix_with_header(raw) else {
            continue;
        };
        let before = reading(&unix);
        let mut check = |what: &str, new: Vec<u8>| {
            let after = reading(&new);
            if after != before {
                differ.push(format!("{path} {what}:\n  {before:?}\n  {after:?}"));
            }
        };
        if let Some(new) = to_utf8(&unix) {
            legacy += 1;
            check("to UTF-8", new);
        }
        for target in [ISO_2022_JP, SHIFT_JIS] {
            if let Some(new) = from_utf8(&unix, target) {
                japanese_utf8 += 1;
                check(target.name(), new);
            }
        }
    }
    eprintln!("{legacy} legacy-charset messages to UTF-8, {japanese_utf8} Japanese conversions");
    assert!(legacy >= 100, "only {legacy} legacy-charset messages");
    assert!(
        japanese_utf8 >= 20,
        "only {japanese_utf8} Japanese conversions"
    );
    assert!(
        differ.is_empty(),
        "{} read differently:\n{}",
        differ.len(),
        differ.join("\n")
    );
}
