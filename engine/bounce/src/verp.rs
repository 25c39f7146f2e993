//! The recipient a list manager encoded in its own return address (VERP,
//! variable envelope return paths): Mailman's `list-bounces+jdoe=example.com@
//! lists.example.org`, ezmlm's `list-return-123-jdoe=example.com@…` (the number is left out
//! on some lists). A
//! report comes back to that address, so the report's own `To:` (or the
//! `Delivered-To:`/`X-Original-To:`/`Envelope-To:` its last hop wrote) names
//! the subscriber the list sent to: Mailman reads its bounces so. Used only as
//! the last resort for a failure report whose text names nobody.

use crate::mime::View;
use crate::text::{canonical, find_addresses};

/// The one recipient the report's return addresses encode, if any.
pub fn recipient(view: &View) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    let headers = ["delivered-to", "x-original-to", "envelope-to"]
        .iter()
        .filter_map(|h| view.header(h))
        .flat_map(|v| find_addresses(v).into_iter().map(|f| canonical(f.addr)))
        .collect::<Vec<_>>();
    for addr in view.to.iter().chain(headers.iter()) {
        if let Some(r) = decode(addr) {
            if !found.contains(&r) {
                found.push(r);
            }
        }
    }
    match found.as_slice() {
        [only] => Some(only.clone()),
        _ => None,
    }
}

/// The address encoded in the local part of `addr`: after Mailman's `+`
/// or ezmlm's `-return-<number>-`, `mailbox=domain`.
pub fn decode(addr: &str) -> Option<String> {
    let (local, _) = addr.rsplit_once('@')?;
    let lower = local.to_ascii_lowercase();
    let encoded = if let Some(at) = lower.find("-return-") {
        let rest = lower.get(at + "-return-".len()..)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        match digits {
            0 => rest,
            _ => rest.get(digits..)?.strip_prefix('-')?,
        }
    } else {
        lower.split_once('+')?.1
    };
    let (mailbox, domain) = encoded.rsplit_once('=')?;
    let plausible = !mailbox.is_empty()
        && !mailbox.contains('=')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && domain
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    plausible.then(|| format!("{mailbox}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn mailman_and_ezmlm_forms() {
        assert_eq!(
            decode("test-a-bounces+jdoe=example.com@lists.example.org").as_deref(),
            Some("jdoe@example.com")
        );
        assert_eq!(
            decode("list-return-1234-john-doe=example.co.uk@lists.example.org").as_deref(),
            Some("john-doe@example.co.uk")
        );
        assert_eq!(
            decode("list-return-jdoe=example.com@lists.example.org").as_deref(),
            Some("jdoe@example.com"),
            "ezmlm without a message number"
        );
    }

    #[test]
    fn ordinary_addresses_encode_nobody() {
        for a in [
            "jdoe@example.com",
            "jdoe+tag@example.com",
            "list-bounces@lists.example.org",
            "bounces+1234@esp.example",
            "a+b=c@example.com",
            "x+=example.com@example.org",
        ] {
            assert_eq!(decode(a), None, "{a}");
        }
    }
}
