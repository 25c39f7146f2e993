//! A report reads the same in capitals (issue 18 item 3): old MTAs, X.400
//! and mainframe gateways and some list servers write their notices in
//! upper case, and a reading that matched only the lower-case spelling of a
//! template's words would miss them. Every unencoded `text/plain` part of
//! the shared corpus, of the imported corpora's dev split and of the test
//! messages written here is upper-cased (ASCII letters only: the addresses
//! are compared in lower case, as the engine matches them); the kind and
//! every failed recipient with its status must stay as they were.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "support/text_parts.rs"]
mod text_parts;

use text_parts::{
    all_dev_messages, assert_alike, reading, rewrite_text_parts, unix_with_header, Rewrite,
};

/// `unix` with every unencoded `text/plain` part in ASCII capitals.
fn shouted(unix: &[u8]) -> Option<Vec<u8>> {
    rewrite_text_parts(unix, &|ctype, cte, body| {
        let lower = ctype.to_ascii_lowercase();
        // ISO-2022 and UTF-7 write other scripts in ASCII bytes; a JSON
        // notice's keys are case-sensitive by its own definition.
        if !matches!(cte, None | Some("7bit" | "8bit"))
            || body.trim_ascii_start().starts_with(b"{")
            || !lower.starts_with("text/plain")
            || lower.contains("2022")
            || lower.contains("utf-7")
        {
            return None;
        }
        Some(Rewrite {
            content_type: ctype.to_string(),
            transfer_encoding: if cte == Some("8bit") { "8bit" } else { "7bit" },
            body: body.to_ascii_uppercase(),
        })
    })
}

#[test]
fn a_report_reads_the_same_in_capitals() {
    let msgs = all_dev_messages();
    let mut tried = 0;
    let mut differ = Vec::new();
    for (path, raw) in &msgs {
        let Some((unix, loud)) = unix_with_header(raw).and_then(|u| shouted(&u).map(|s| (u, s)))
        else {
            continue;
        };
        tried += 1;
        let (before, after) = (reading(&unix), reading(&loud));
        if after != before {
            differ.push(format!("{path}:\n  {before:?}\n  {after:?}"));
        }
    }
    assert_alike("messages upper-cased", tried, 5000, &differ);
}
