//! `spf.*`: the SPF record to publish for a domain, and a check of the published one against
//! every address mail leaves from.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Parameters of `spf.record` and `spf.check`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpfDomain {
    /// The domain (for SPF, the envelope-From domain: the bounce domain when VERP rewrites it).
    pub domain: String,
}

/// The record to publish.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SpfRecord {
    /// Owner name of the TXT record (the domain).
    pub record_name: String,
    /// The TXT text, e.g. `v=spf1 ip4:192.0.2.1 ~all`.
    pub record_value: String,
    /// Advice (private addresses, length).
    pub notes: Vec<String>,
}

/// What DNS holds.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SpfRecordStatus {
    /// One valid `v=spf1` record.
    Valid,
    /// No `v=spf1` record.
    Missing,
    /// A `v=spf1` record that does not parse (receivers: permerror).
    Invalid,
    /// Several `v=spf1` records (receivers: permerror).
    Multiple,
    /// The lookup failed; nothing can be concluded.
    DnsError,
}

/// mail-auth's SPF verdict for one source address.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SpfVerdict {
    /// The address (a range of `spf.extra_ips` is checked at its first address).
    pub ip: String,
    /// `pass`, `fail`, `softfail`, `neutral`, `none`, `temperror` or `permerror`.
    pub result: String,
    /// Only `pass` authorises.
    pub authorised: bool,
}

/// Result of `spf.check`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SpfCheck {
    /// The domain checked.
    pub domain: String,
    /// What DNS holds.
    pub status: SpfRecordStatus,
    /// The published record(s) (several when `multiple`).
    pub records: Vec<String>,
    /// The lookup error, when `dns_error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// One verdict per source address.
    pub verdicts: Vec<SpfVerdict>,
    /// The addresses the record does not authorise.
    pub unauthorised: Vec<String>,
    /// Whether every source address is authorised by a valid record.
    pub ok: bool,
    /// Advice.
    pub notes: Vec<String>,
}
