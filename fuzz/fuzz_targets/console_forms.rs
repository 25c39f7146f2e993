//! Fuzzes what the web console reads from a browser: `application/x-www-form-urlencoded`
//! bodies and query strings, the search filters they carry, and the `Cookie` header.
//!
//! The input is split at the first NUL into a form/query and a `Cookie` header value.
//! Invariants: no panic; encoding decoded pairs and decoding again gives the same pairs;
//! every filter a search form yields is trimmed and non-empty; the query string of "the same
//! search, next page" keeps the other non-empty fields in order and carries exactly one
//! `csrf`, the session's; a cookie value found is non-empty, trimmed and without `;`, and a
//! value the console sets is read back; CSRF tokens are 32 hex digits and the constant-time
//! comparison is equality.
#![no_main]

use hikyaku_engine::console::forms::{
    block_query, bounce_query, decode, delivery_query, encode, same_search,
};
use hikyaku_engine::console::session::{cookie, csrf_for, same, set_cookie, SESSION_COOKIE};
use libfuzzer_sys::fuzz_target;

fn filter_ok(name: &str, v: &Option<String>) {
    if let Some(v) = v {
        assert!(!v.is_empty() && v.trim() == v, "{name} filter {v:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let (form, cookies) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], String::from_utf8_lossy(&data[i + 1..])),
        None => (data, Default::default()),
    };

    let pairs = decode(form);
    let encoded = encode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(decode(encoded.as_bytes()), pairs, "form round trip");

    if let Ok(q) = delivery_query(&pairs) {
        for (n, v) in [
            ("since", &q.since),
            ("until", &q.until),
            ("recipient", &q.recipient),
            ("domain", &q.domain),
            ("api_user", &q.api_user),
            ("message_id", &q.message_id),
            ("subject", &q.subject),
            ("cursor", &q.cursor),
        ] {
            filter_ok(n, v);
        }
    }
    if let Ok(q) = bounce_query(&pairs) {
        for (n, v) in [
            ("recipient", &q.recipient),
            ("domain", &q.domain),
            ("source", &q.source),
            ("cursor", &q.cursor),
        ] {
            filter_ok(n, v);
        }
    }
    if let Ok(q) = block_query(&pairs) {
        filter_ok("contains", &q.contains);
    }

    let csrf = csrf_for(&cookies);
    assert!(csrf.len() == 32 && csrf.bytes().all(|b| b.is_ascii_hexdigit()));
    let next = decode(same_search(&pairs, &csrf, &[("cursor", "c1")]).as_bytes());
    let kept: Vec<&(String, String)> = pairs
        .iter()
        .filter(|(k, v)| k != "csrf" && k != "cursor" && !v.trim().is_empty())
        .collect();
    assert_eq!(next.len(), kept.len() + 2);
    assert!(
        next.iter().zip(&kept).all(|(a, b)| a == *b),
        "fields lost or reordered"
    );
    assert_eq!(next[kept.len()], ("cursor".to_string(), "c1".to_string()));
    assert_eq!(next.iter().filter(|(k, _)| k == "csrf").count(), 1);
    assert_eq!(next[kept.len() + 1].1, csrf);

    for name in [SESSION_COOKIE, "a", ""] {
        if let Some(v) = cookie(&cookies, name) {
            assert!(
                !v.is_empty() && v.trim() == v && !v.contains(';'),
                "cookie {v:?}"
            );
        }
    }
    let value = cookies.trim();
    if !value.is_empty() && !value.contains(';') {
        let header = set_cookie(SESSION_COOKIE, Some(value));
        assert_eq!(
            cookie(&header, SESSION_COOKIE),
            Some(value),
            "set cookie not read back"
        );
    }
    let mid = (0..=cookies.len() / 2)
        .rev()
        .find(|i| cookies.is_char_boundary(*i))
        .unwrap_or(0);
    let (a, b) = cookies.split_at(mid);
    assert_eq!(same(a, b), a == b);
    assert!(same(&cookies, &cookies));
});
