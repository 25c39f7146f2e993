//! A report reads the same however it is laid out around its words (issue
//! 18 item 3): with CRLF line ends as with LF (SMTP carries CRLF, mailbox
//! files keep LF, and a Maildir or mbox handed to `hikyaku bounce parse`
//! may hold either), and as a single text part or as that part inside a
//! `multipart/mixed` (gateways and list servers wrap what they relay).
//! Every message of the shared corpus, of the imported corpora's dev split
//! and of the test messages written here is read both ways; the kind and
//! every failed recipient with its status must stay as they were.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/text_parts.rs"]
mod text_parts;

use text_parts::{all_dev_messages, assert_alike, field, reading, unix_with_header};

#[test]
fn a_report_reads_the_same_with_crlf_line_ends() {
    let msgs = all_dev_messages();
    assert!(msgs.len() >= 2000, "{} messages", msgs.len());
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        let lf: Vec<u8> = raw.iter().copied().filter(|&b| b != b'\r').collect();
        let mut crlf = Vec::with_capacity(lf.len() + lf.len() / 20);
        for &b in &lf {
            if b == b'\n' {
                crlf.push(b'\r');
            }
            crlf.push(b);
        }
        let (before, after) = (reading(&lf), reading(&crlf));
        if after != before {
            differ.push(format!("{path}:\n  {before:?}\n  {after:?}"));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} read differently:\n{}",
        differ.len(),
        msgs.len(),
        differ.join("\n")
    );
}

/// A single-part `text/plain` message with its text moved into the one
/// part of a `multipart/mixed`: its `Content-Type` and
/// `Content-Transfer-Encoding` fields go with it.
fn wrapped(unix: &[u8]) -> Option<Vec<u8>> {
    let split = memchr::memmem::find(unix, b"\n\n")?;
    let (head, body) = (
        std::str::from_utf8(&unix[..split]).ok()?,
        &unix[split + 2..],
    );
    let ctype = field(head.as_bytes(), "content-type").unwrap_or_else(|| "text/plain".into());
    if !ctype.to_ascii_lowercase().starts_with("text/plain") {
        return None;
    }
    let (mut top, mut part) = (Vec::new(), Vec::new());
    let mut in_part = false;
    for line in head.split('\n') {
        if !line.starts_with([' ', '\t']) {
            let name = line.split(':').next().unwrap_or("").trim();
            in_part = name.eq_ignore_ascii_case("content-type")
                || name.eq_ignore_ascii_case("content-transfer-encoding")
                || name.eq_ignore_ascii_case("mime-version");
        }
        if in_part {
            part.push(line);
        } else {
            top.push(line);
        }
    }
    part.retain(|l| !l.to_ascii_lowercase().starts_with("mime-version"));
    if part.is_empty() {
        part.push("Content-Type: text/plain");
    }
    let mut out = top.join("\n").into_bytes();
    out.extend_from_slice(
        b"\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"=_wrap_=\"\n\n--=_wrap_=\n",
    );
    out.extend_from_slice(part.join("\n").as_bytes());
    out.extend_from_slice(b"\n\n");
    out.extend_from_slice(body);
    out.extend_from_slice(b"\n--=_wrap_=--\n");
    Some(out)
}

#[test]
fn a_single_text_part_reads_the_same_inside_a_multipart() {
    let msgs = all_dev_messages();
    let mut tried = 0;
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        let Some(new) = unix_with_header(raw).and_then(|u| wrapped(&u).map(|w| (u, w))) else {
            continue;
        };
        tried += 1;
        let (before, after) = (reading(&new.0), reading(&new.1));
        if after != before {
            differ.push(format!("{path}:\n  {before:?}\n  {after:?}"));
        }
    }
    assert_alike("single-part messages wrapped", tried, 1000, &differ);
}

/// The retries ran out on a rate limit (`fresh_reports/dsn_fields/08-…`):
/// the text's paragraph quotes the same reply as the DSN's diagnostic, and
/// in capitals (a gateway that shouts) it is still that reply, no other
/// last cause: the expiry stands (3).
#[test]
fn a_reply_quoted_in_capitals_is_the_same_reply() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fresh_reports/dsn_fields/08-postfix-expired-4.7.650-ip-reputation.eml");
    let raw = std::fs::read_to_string(path).unwrap();
    let start = raw.find("<k.andersen@").unwrap();
    let end = start + raw[start..].find("\n\n").unwrap();
    let shouted = format!(
        "{}{}{}",
        &raw[..start],
        raw[start..end].to_ascii_uppercase(),
        &raw[end..]
    );
    for text in [raw.as_str(), shouted.as_str()] {
        let r = hikyaku_bounce::parse(text.as_bytes());
        let statuses: Vec<_> = r.recipients.iter().map(|f| f.status).collect();
        assert_eq!(statuses, vec![hikyaku_bounce::ErrorStatus::ResendTimeout]);
    }
}
