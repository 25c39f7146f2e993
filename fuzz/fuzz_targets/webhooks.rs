//! Fuzzes what the webhook side reads from operators and receivers: endpoint filters (a header
//! name and a Java-style pattern from `webhooks.create`, matched against header values of mail
//! from the internet), signing secrets, endpoint ids, event names and the `(host NAME [IP])`
//! suffix of remote SMTP replies.
//!
//! The input is split at the first two NUL bytes into a header name, a pattern and a value.
//! Invariants: no panic; a filter compiles only when its pattern is a regex on its own (so a
//! pattern cannot close the whole-value group it is wrapped in and match a prefix only);
//! `\Q…\E` around any value matches that value and nothing longer, and `\\Q` is a backslash
//! and a Q;
//! a secret that gives a key signs as `v1,` + base64 of 32 bytes; ids and event names round
//! trip; the remote host and IP come from the reply's last `(host …)` suffix.
#![no_main]

use base64::Engine;
use hikyaku_engine::policy::filter::Filter;
use hikyaku_engine::webhooks::event::{remote_of, EventKind};
use hikyaku_engine::webhooks::sign::{key_of, signature};
use hikyaku_engine::webhooks::store::{id_text, parse_id};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parts = text.splitn(3, '\0');
    let header = parts.next().unwrap_or("");
    let pattern = parts.next().unwrap_or("");
    let value = parts.next().unwrap_or("");

    if pattern.len() <= 256 {
        if Filter::compile(header, pattern).is_ok() && !pattern.contains("\\Q") {
            let alone = fancy_regex::Regex::new(pattern);
            assert!(
                alone.is_ok(),
                "filter {pattern:?} compiled but is no regex alone"
            );
        }
    }
    // `\Q…\E` quotes a literal: the filter matches exactly that value.
    if !value.contains("\\E") && value.len() <= 256 {
        let quoted = format!("\\Q{value}\\E");
        let filter = Filter::compile("Subject", &quoted).expect("a quoted literal compiles");
        assert!(filter.matches(value), "{quoted:?} does not match {value:?}");
        assert!(
            !filter.matches(&format!("{value}x")),
            "{quoted:?} matches more"
        );
    }
    // An escaped backslash before Q is a backslash and a Q, not a quote: `\\Q` + the value
    // escaped matches `\Q` + the value.
    if value.len() <= 256 {
        let pattern = format!("\\\\Q{}", fancy_regex::escape(value));
        let filter = Filter::compile("Subject", &pattern).expect("an escaped literal compiles");
        assert!(filter.matches(&format!("\\Q{value}")), "{pattern:?}");
    }

    if let Ok(key) = key_of(&text) {
        let sig = signature(&key, header, data.len() as u64, value.as_bytes());
        let mac = sig.strip_prefix("v1,").expect("signature starts with v1,");
        let raw = base64::engine::general_purpose::STANDARD
            .decode(mac)
            .expect("signature is base64");
        assert_eq!(raw.len(), 32);
    }

    if let Some(id) = parse_id(&text) {
        assert_ne!(id, 0);
        assert_eq!(parse_id(&id_text(id)), Some(id));
    }
    if let Some(kind) = EventKind::parse(&text) {
        assert_eq!(kind.name(), text);
    }

    let (host, ip) = remote_of(&text);
    if let Some(host) = &host {
        assert!(!host.is_empty() && !host.contains(char::is_whitespace));
        assert!(text.contains(" (host "));
    }
    if let Some(ip) = &ip {
        assert!(host.is_some() && !ip.contains(['[', ']']));
    }
});
