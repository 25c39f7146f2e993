//! `dkim.*`: sender-domain keys. A key is created (the engine generates it and shows the TXT
//! record to publish), checked against DNS, activated (from then on every message whose
//! header-From domain is the key's domain is signed), and removed. Private keys never leave the
//! engine.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Key algorithm.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum DkimAlgorithm {
    /// `rsa-sha256`, 2048-bit key (the default: every verifier knows it).
    #[default]
    #[serde(rename = "rsa-2048")]
    Rsa2048,
    /// `ed25519-sha256` (RFC 8463).
    Ed25519,
}

/// Where a key is in its life.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DkimKeyState {
    /// Created; publish the record, check it, then activate.
    Prepared,
    /// Signs the domain's mail (one per domain).
    Active,
    /// Replaced by a newer selector; keep its record published until mail signed with it has
    /// been delivered (a few days), then remove it.
    Retired,
}

/// Parameters of `dkim.create`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimCreate {
    /// Sender domain (the header-From domain of the mail to sign).
    pub domain: String,
    /// Selector: a DNS label such as `s2026` (letters, digits, `-`, `_`).
    pub selector: String,
    /// Algorithm, default `rsa-2048`.
    #[serde(default)]
    pub algorithm: DkimAlgorithm,
}

/// One key as the API shows it (never the private key).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DkimKeyInfo {
    /// Domain.
    pub domain: String,
    /// Selector.
    pub selector: String,
    /// Algorithm.
    pub algorithm: DkimAlgorithm,
    /// State.
    pub state: DkimKeyState,
    /// DNS name to publish the TXT record at: `SELECTOR._domainkey.DOMAIN`.
    pub record_name: String,
    /// TXT record text to publish (`v=DKIM1; k=…; p=…`).
    pub record_value: String,
    /// Creation time (RFC 3339).
    pub created: String,
    /// When it became active (RFC 3339), if it ever did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated: Option<String>,
}

/// Result of `dkim.list`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DkimKeyList {
    /// Keys ordered by domain, then selector.
    pub keys: Vec<DkimKeyInfo>,
}

/// Parameters of `dkim.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimListQuery {
    /// Only this domain's keys.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Parameters of `dkim.check`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimCheckQuery {
    /// Domain whose keys are checked.
    pub domain: String,
    /// Only this selector (default: every key of the domain).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<String>,
}

/// What DNS says about one key's record.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DkimRecordStatus {
    /// A DKIM1 record with this key's public key is published.
    Matches,
    /// A record is published but carries another key (or another key type).
    Mismatch,
    /// No TXT record at the name.
    Missing,
    /// The lookup failed (timeout, SERVFAIL): try again.
    LookupFailed,
}

/// One key's check.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DkimKeyCheck {
    /// Selector.
    pub selector: String,
    /// State of the key.
    pub state: DkimKeyState,
    /// DNS name looked up.
    pub record_name: String,
    /// Verdict.
    pub status: DkimRecordStatus,
    /// The published text (character-strings joined), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The error of a failed lookup.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Result of `dkim.check`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DkimCheck {
    /// Domain.
    pub domain: String,
    /// Whether the active key's record is published and matches (false without an active key).
    pub active_ok: bool,
    /// Each key's verdict.
    pub keys: Vec<DkimKeyCheck>,
}

/// Parameters of `dkim.activate`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimActivate {
    /// Domain.
    pub domain: String,
    /// Selector to make active (the current active one, if any, becomes `retired`).
    pub selector: String,
    /// Activate even when DNS does not show the matching record yet (receivers will fail
    /// the signatures until it is published).
    #[serde(default)]
    pub force: bool,
}

/// Parameters of `dkim.remove`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DkimRemove {
    /// Domain.
    pub domain: String,
    /// Selector.
    pub selector: String,
}
