//! `dmarc.*`: the record to publish, the effective record of a domain (with inheritance from
//! its organisational domain) and our mail's alignment, and the aggregate reports received.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A DMARC policy.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DmarcPolicy {
    /// Monitor only.
    None,
    /// Failing mail goes to spam.
    Quarantine,
    /// Failing mail is refused.
    Reject,
}

/// Parameters of `dmarc.record`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DmarcRecordQuery {
    /// The header-From domain.
    pub domain: String,
    /// `p=`.
    pub policy: DmarcPolicy,
    /// `pct=`, 1–100 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct: Option<u8>,
    /// Report address (`rua`, with or without `mailto:`); default `dmarc.report_address`.
    /// It must be on a domain the receiving listener accepts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rua: Option<String>,
}

/// A TXT record: name and value.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct TxtRecord {
    /// Owner name.
    pub record_name: String,
    /// Text.
    pub record_value: String,
}

/// Result of `dmarc.record`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DmarcRecord {
    /// `_dmarc.DOMAIN`.
    pub record_name: String,
    /// The TXT text.
    pub record_value: String,
    /// The report address used.
    pub rua: String,
    /// When the report address is outside the domain, the record the report domain must
    /// publish so receivers send reports there (RFC 7489 §7.1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_authorization: Option<TxtRecord>,
}

/// Parameters of `dmarc.check`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DmarcDomain {
    /// The header-From domain.
    pub domain: String,
}

/// One side (SPF or DKIM) of our mail's alignment.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct AlignmentSide {
    /// The authenticated domain (the envelope domain; DKIM `d=`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Whether that authentication passes.
    pub passes: bool,
    /// mail-auth's DMARC result for the side: `pass`, `fail` (passes, not aligned), `none`,
    /// `temperror`, `permerror`.
    pub dmarc_result: String,
    /// Why, in words.
    pub detail: String,
}

/// Result of `dmarc.check`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DmarcCheck {
    /// The domain checked.
    pub domain: String,
    /// Where the effective record is published (`_dmarc.NAME`), if anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_name: Option<String>,
    /// Its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<String>,
    /// True when the record is the organisational domain's (the domain publishes none).
    pub inherited: bool,
    /// The organisational domain found by the tree walk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisational_domain: Option<String>,
    /// The policy for mail from the domain (`p`, or `sp` when inherited).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<DmarcPolicy>,
    /// `pct=` of the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pct: Option<u8>,
    /// Report addresses of the record.
    pub rua: Vec<String>,
    /// The policy mail-auth's DMARC verification applies (should equal `policy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail_auth_policy: Option<DmarcPolicy>,
    /// The names queried, longest first.
    pub queried: Vec<String>,
    /// SPF alignment of mail this engine sends from the domain.
    pub spf: AlignmentSide,
    /// DKIM alignment of mail this engine sends from the domain.
    pub dkim: AlignmentSide,
    /// Whether our mail passes DMARC.
    pub passes: bool,
    /// Advice.
    pub notes: Vec<String>,
}

/// Parameters of `dmarc.reports`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DmarcReportsQuery {
    /// The domain reported on (`policy_published/domain`).
    pub domain: String,
    /// Reports whose period begins at or after this time (RFC 3339; default 7 days ago).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// ... and before this time (default now).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
}

/// One report received.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct ReportInfo {
    /// Reporting organisation.
    pub org_name: String,
    /// Report id.
    pub report_id: String,
    /// Start of the period (RFC 3339).
    pub begin: String,
    /// End of the period.
    pub end: String,
    /// Published policy as the reporter saw it.
    pub policy: String,
    /// Messages covered.
    pub messages: u64,
    /// The received message it came in (`received.get`).
    pub received_id: String,
}

/// What the reporters saw from one source IP.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SourceRow {
    /// The sending IP.
    pub source_ip: String,
    /// Messages.
    pub messages: u64,
    /// Reporting organisations.
    pub reporters: Vec<String>,
    /// Messages per disposition applied (`none`, `quarantine`, `reject`).
    pub disposition: BTreeMap<String, u64>,
    /// Messages whose DKIM was aligned and passed.
    pub dkim_aligned: u64,
    /// Messages whose SPF was aligned and passed.
    pub spf_aligned: u64,
    /// Messages that passed DMARC.
    pub dmarc_pass: u64,
    /// Messages per raw DKIM result.
    pub dkim: BTreeMap<String, u64>,
    /// Messages per raw SPF result.
    pub spf: BTreeMap<String, u64>,
}

/// A report mail that did not parse (kept raw with the error).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct MalformedReport {
    /// When it arrived.
    pub time: String,
    /// The received message (`received.get` shows it).
    pub received_id: String,
    /// Why it did not parse.
    pub error: String,
    /// Size in bytes.
    pub size: u64,
}

/// Result of `dmarc.reports`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct DmarcReports {
    /// The domain.
    pub domain: String,
    /// Start of the range.
    pub from: String,
    /// End of the range.
    pub to: String,
    /// Per source IP, most messages first.
    pub sources: Vec<SourceRow>,
    /// The reports summed.
    pub reports: Vec<ReportInfo>,
    /// Report mails received in the range that did not parse (any domain: their domain is
    /// unknown).
    pub malformed: Vec<MalformedReport>,
}
