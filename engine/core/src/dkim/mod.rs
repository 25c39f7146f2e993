//! DKIM (RFC 6376, RFC 8463): sender-domain keys, the DNS record to publish for each, and the
//! signature every outgoing message gets when its header-From domain has an active key.
//!
//! - [`keys`]: generating a key pair (RSA-2048 or Ed25519) and the TXT record text;
//! - [`store`]: the key records in the spool (`auth` family), private keys included: they never
//!   leave through the API;
//! - [`registry`]: the active keys in memory, shared by the API (which changes them) and the
//!   delivery shards (which sign with them);
//! - [`sign`]: signing one outgoing message (sans I/O; the runtime runs it off the shard's
//!   executor thread).
//!
//! Where signing happens: at delivery, once per SMTP transaction, after the per-recipient
//! header fields (one-click unsubscribe) are added, so every header the receiver sees is
//! covered. Signing once at intake would save nothing for single-recipient mail (the common
//! case for an API relay: one signature either way), would sign headers that are not final for
//! per-recipient mail, and would put ~1 ms of RSA on the path to the `250`; a retry re-signs
//! (a few per cent of deliveries), which keeps `t=` honest. Measured in `bench/dkim-cost.sh`.

pub mod keys;
pub mod registry;
pub mod sign;
pub mod store;

use serde::{Deserialize, Serialize};

pub use keys::{generate, GeneratedKey};
pub use registry::Registry;
pub use sign::{MessageSigner, SignError};

/// `[dkim]` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DkimConfig {
    /// Sign mail whose From domain has no key of its own with the nearest parent domain's
    /// active key (`news.example.com` signed as `d=example.com`; DMARC's relaxed alignment
    /// accepts it). Off by default: the signing domain is then always the From domain.
    pub sign_with_parent: bool,
}

/// Signature algorithm of a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// `rsa-sha256` with a 2048-bit key (the default: every verifier knows it).
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    /// `ed25519-sha256` (RFC 8463): small and fast, not yet verified everywhere, so usually
    /// published beside an RSA selector.
    Ed25519,
}

impl Algorithm {
    /// The name used in the API and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Rsa2048 => "rsa-2048",
            Algorithm::Ed25519 => "ed25519",
        }
    }

    /// The `k=` tag value of the DNS record.
    pub fn key_type(self) -> &'static str {
        match self {
            Algorithm::Rsa2048 => "rsa",
            Algorithm::Ed25519 => "ed25519",
        }
    }
}

/// Where a key is in its life: created and waiting for its record to be published, signing,
/// or replaced by a newer selector (kept so its record can stay published while mail signed
/// with it is still in flight, until removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyState {
    /// Generated; not used for signing until activated.
    Prepared,
    /// Signs the domain's mail (at most one per domain).
    Active,
    /// Was active; a newer selector replaced it.
    Retired,
}

/// One DKIM key as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DkimKey {
    /// Signing domain (`d=`), lower case.
    pub domain: String,
    /// Selector (`s=`), lower case.
    pub selector: String,
    /// Algorithm.
    pub algorithm: Algorithm,
    /// Private key, PKCS #8 DER, base64. Never sent through the API.
    pub private_pkcs8: String,
    /// Public key as published in `p=` (base64 of the SubjectPublicKeyInfo for RSA, of the
    /// raw 32-byte key for Ed25519).
    pub public_key: String,
    /// Life-cycle state.
    pub state: KeyState,
    /// Creation time, ms since the epoch.
    pub created_ms: u64,
    /// When it last became active, ms since the epoch (0: never).
    #[serde(default)]
    pub activated_ms: u64,
}

impl DkimKey {
    /// The DNS name of the record: `SELECTOR._domainkey.DOMAIN`.
    pub fn record_name(&self) -> String {
        format!("{}._domainkey.{}", self.selector, self.domain)
    }

    /// The TXT record text to publish.
    pub fn record_value(&self) -> String {
        format!(
            "v=DKIM1; k={}; p={}",
            self.algorithm.key_type(),
            self.public_key
        )
    }
}

/// Checks a domain name or selector given by an operator: DNS labels of letters, digits and
/// hyphens (and `_`, which selectors may use), 1–63 bytes each, 253 in all.
pub fn valid_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// Whether a published TXT record text (as fetched, character-strings joined) carries
/// `public_key` in its `p=` tag and is a DKIM1 record of the same key type. Tags are compared
/// after removing folding white space, as RFC 6376 §3.2 allows it anywhere in a tag list.
pub fn record_matches(published: &str, key: &DkimKey) -> bool {
    let mut p = None;
    let mut k = "rsa".to_string();
    let mut version_ok = true;
    for tag in published.split(';') {
        let Some((name, value)) = tag.split_once('=') else {
            continue;
        };
        let value: String = value.chars().filter(|c| !c.is_whitespace()).collect();
        match name.trim() {
            "v" => version_ok = value == "DKIM1",
            "k" => k = value.to_ascii_lowercase(),
            "p" => p = Some(value),
            _ => {}
        }
    }
    version_ok && k == key.algorithm.key_type() && p.as_deref() == Some(key.public_key.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DkimKey {
        DkimKey {
            domain: "example.com".into(),
            selector: "s1".into(),
            algorithm: Algorithm::Ed25519,
            private_pkcs8: String::new(),
            public_key: "AbC+/=".into(),
            state: KeyState::Prepared,
            created_ms: 0,
            activated_ms: 0,
        }
    }

    #[test]
    fn record_text_and_name() {
        let k = key();
        assert_eq!(k.record_name(), "s1._domainkey.example.com");
        assert_eq!(k.record_value(), "v=DKIM1; k=ed25519; p=AbC+/=");
    }

    #[test]
    fn published_records_are_compared_tag_by_tag() {
        let k = key();
        assert!(record_matches("v=DKIM1; k=ed25519; p=AbC+/=", &k));
        assert!(record_matches("k=ed25519;p=AbC +/=;t=s", &k));
        assert!(!record_matches("v=DKIM1; k=rsa; p=AbC+/=", &k));
        assert!(!record_matches("v=DKIM1; k=ed25519; p=other", &k));
        assert!(!record_matches("v=DKIM1; k=ed25519; p=", &k));
        assert!(!record_matches("v=DKIM2; k=ed25519; p=AbC+/=", &k));
    }

    #[test]
    fn names_are_checked() {
        assert!(valid_dns_name("example.com"));
        assert!(valid_dns_name("s2026_1"));
        assert!(!valid_dns_name(""));
        assert!(!valid_dns_name("a..b"));
        assert!(!valid_dns_name("-a.b"));
        assert!(!valid_dns_name("a b"));
        assert!(!valid_dns_name(&"a".repeat(64)));
    }
}
