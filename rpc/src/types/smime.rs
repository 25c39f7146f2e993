//! `smime.*`: S/MIME signers. A certificate and its private key are registered for a sender
//! address or a whole domain; from then on every message whose header-From is that address
//! (or, when no address entry exists, in that domain) is signed as `multipart/signed`. The
//! private key never leaves the engine: listings show the certificate only.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Parameters of `smime.add`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SmimeAdd {
    /// Sender address (`news@example.com`) or domain (`example.com`); an address entry wins
    /// over its domain's. Case-insensitive; replaces an existing entry.
    pub address_or_domain: String,
    /// The signer certificate in PEM, optionally with chain certificates (intermediates),
    /// which are sent along in every signature.
    pub certificate_pem: String,
    /// The certificate's private key in PEM, unencrypted: PKCS #8 (`PRIVATE KEY`), PKCS #1
    /// (`RSA PRIVATE KEY`) or SEC1 P-256 (`EC PRIVATE KEY`). RSA 2048–8192 bits or ECDSA P-256.
    pub key_pem: String,
}

/// Parameters of `smime.remove`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SmimeTarget {
    /// Address or domain as registered (case-insensitive).
    pub address_or_domain: String,
}

/// One signer as the API shows it (never the key).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SmimeEntry {
    /// Lower-cased address or domain.
    pub address_or_domain: String,
    /// Subject of the signer certificate (RFC 4514).
    pub subject: String,
    /// Issuer of the signer certificate.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339); after it, mail from this sender is refused (451) until a
    /// new certificate is added, never sent unsigned.
    pub not_after: String,
    /// SHA-256 fingerprint of the certificate (hex).
    pub fingerprint_sha256: String,
    /// `rsa-2048`, `ecdsa-p256`, …
    pub key_algorithm: String,
    /// Chain certificates sent along with the signer certificate.
    pub chain_certificates: u32,
    /// Whether a usable private key is held (false: the stored entry no longer parses; its
    /// mail is refused until it is replaced).
    pub key_held: bool,
    /// Why the entry is unusable, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
    /// When it was added (RFC 3339).
    pub added: String,
}

/// Result of `smime.list`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SmimeList {
    /// Entries in address/domain order.
    pub entries: Vec<SmimeEntry>,
}
