//! Aggregate reports (RFC 7489 appendix C) without I/O: the mail → the XML → the rows we keep.
//!
//! Unpacking is ours rather than mail-auth's `Report::parse_rfc5322` because reporters label
//! their attachments inconsistently (`application/x-gzip`, `application/octet-stream` with a
//! `.xml.gz` name, a gzip or zip body with no name at all) and mail-auth picks the decoder from
//! the label; here the bytes decide (gzip and zip magic numbers), with a hard cap on the
//! unpacked size so a compression bomb costs at most [`MAX_XML`]. The XML itself is parsed by
//! mail-auth's `Report::parse_xml`.

use std::io::Read;

use mail_auth::report::{ActionDisposition, DkimResult, DmarcResult, Report, SpfResult};
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde::{Deserialize, Serialize};

/// Largest unpacked report accepted (the biggest daily reports of large receivers are a few
/// MiB of XML).
pub const MAX_XML: usize = 32 << 20;

/// Why a report mail yielded no report; kept with the raw mail.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// The mail does not parse as MIME.
    #[error("the message does not parse as MIME")]
    NotMime,
    /// No part is XML, gzip or zip.
    #[error("no XML, gzip or zip part in the message")]
    NoReport,
    /// Decompression failed.
    #[error("cannot unpack {0}")]
    Unpack(String),
    /// The unpacked report is larger than [`MAX_XML`].
    #[error("the unpacked report exceeds {} MiB", MAX_XML >> 20)]
    TooLarge,
    /// The XML is not an aggregate report.
    #[error("not an aggregate report: {0}")]
    Xml(String),
}

/// One row of a report: what one reporter saw from one source IP.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportRow {
    /// The sending IP (empty when the reporter left it out).
    pub source_ip: String,
    /// Messages.
    pub count: u64,
    /// What the receiver did: `none`, `quarantine`, `reject`.
    pub disposition: String,
    /// DMARC's DKIM result (aligned and passing): `pass` or `fail`.
    pub dkim_aligned: String,
    /// DMARC's SPF result (aligned and passing): `pass` or `fail`.
    pub spf_aligned: String,
    /// The header-From domain.
    pub header_from: String,
    /// The envelope-From domain, when reported.
    pub envelope_from: String,
    /// Raw DKIM results: (`d=` domain, result).
    pub dkim: Vec<(String, String)>,
    /// Raw SPF results: (domain, result).
    pub spf: Vec<(String, String)>,
}

/// A parsed report, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReport {
    /// Reporting organisation.
    pub org_name: String,
    /// Its contact address.
    pub email: String,
    /// Report id.
    pub report_id: String,
    /// Start of the reported period, seconds since the epoch.
    pub begin: u64,
    /// End of the reported period.
    pub end: u64,
    /// The domain the report is about (`policy_published/domain`), lower case.
    pub domain: String,
    /// Published policy as the reporter saw it.
    pub policy: String,
    /// Id of the received message it came in.
    pub received_id: String,
    /// The rows.
    pub rows: Vec<ReportRow>,
}

/// The XML of a report mail.
pub fn unpack(raw: &[u8]) -> Result<Vec<u8>, ReportError> {
    let message = MessageParser::new()
        .parse(raw)
        .ok_or(ReportError::NotMime)?;
    let mut last = ReportError::NoReport;
    for part in &message.parts {
        let bytes: &[u8] = match &part.body {
            PartType::Text(t) => t.as_bytes(),
            PartType::Binary(b) | PartType::InlineBinary(b) => b.as_ref(),
            _ => continue,
        };
        let named_xml = part
            .attachment_name()
            .is_some_and(|n| n.to_ascii_lowercase().ends_with(".xml"))
            || part
                .content_type()
                .and_then(|c| c.subtype())
                .is_some_and(|s| s.eq_ignore_ascii_case("xml"));
        let found = if bytes.starts_with(&[0x1f, 0x8b]) {
            gunzip(bytes)
        } else if bytes.starts_with(b"PK\x03\x04") {
            unzip(bytes)
        } else if named_xml || looks_like_xml(bytes) {
            Ok(bytes.to_vec())
        } else {
            continue;
        };
        match found {
            Ok(xml) if looks_like_xml(&xml) => return Ok(xml),
            Ok(_) => last = ReportError::Xml("the unpacked part is not XML".into()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

fn looks_like_xml(b: &[u8]) -> bool {
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let b = &b[start..];
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    b.starts_with(b"<?xml") || b.starts_with(b"<feedback")
}

fn capped(mut reader: impl Read) -> Result<Vec<u8>, ReportError> {
    let mut out = Vec::new();
    reader
        .by_ref()
        .take(MAX_XML as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|e| ReportError::Unpack(e.to_string()))?;
    if out.len() > MAX_XML {
        return Err(ReportError::TooLarge);
    }
    Ok(out)
}

fn gunzip(b: &[u8]) -> Result<Vec<u8>, ReportError> {
    capped(mail_auth::flate2::read::GzDecoder::new(b)).map_err(|e| match e {
        ReportError::Unpack(m) => ReportError::Unpack(format!("gzip: {m}")),
        other => other,
    })
}

fn unzip(b: &[u8]) -> Result<Vec<u8>, ReportError> {
    let mut archive = mail_auth::zip::ZipArchive::new(std::io::Cursor::new(b))
        .map_err(|e| ReportError::Unpack(format!("zip: {e}")))?;
    for i in 0..archive.len() {
        let file = archive
            .by_index(i)
            .map_err(|e| ReportError::Unpack(format!("zip: {e}")))?;
        if file.is_dir() {
            continue;
        }
        return capped(file);
    }
    Err(ReportError::Unpack("zip: the archive is empty".into()))
}

/// Parses a report mail into what is stored; `received_id` names the message it came in.
pub fn parse(raw: &[u8], received_id: &str) -> Result<StoredReport, ReportError> {
    let xml = unpack(raw)?;
    let report = Report::parse_xml(&xml).map_err(ReportError::Xml)?;
    let domain = report
        .policy_published
        .domain
        .trim()
        .trim_end_matches('.')
        .to_ascii_lowercase();
    if domain.is_empty() {
        return Err(ReportError::Xml(
            "policy_published/domain is missing".into(),
        ));
    }
    Ok(rows_of(report, domain, received_id))
}

/// The stored form of a parsed report (pure).
pub fn rows_of(report: Report, domain: String, received_id: &str) -> StoredReport {
    let p = &report.policy_published;
    let policy = format!("p={} sp={}", disposition_name(p.p), disposition_name(p.sp));
    let rows = report
        .record
        .iter()
        .map(|r| ReportRow {
            source_ip: r.row.source_ip.map(|ip| ip.to_string()).unwrap_or_default(),
            count: u64::from(r.row.count),
            disposition: action_name(r.row.policy_evaluated.disposition).into(),
            dkim_aligned: dmarc_name(r.row.policy_evaluated.dkim).into(),
            spf_aligned: dmarc_name(r.row.policy_evaluated.spf).into(),
            header_from: r.identifiers.header_from.to_ascii_lowercase(),
            envelope_from: r.identifiers.envelope_from.to_ascii_lowercase(),
            dkim: r
                .auth_results
                .dkim
                .iter()
                .map(|d| (d.domain.to_ascii_lowercase(), dkim_name(d.result).into()))
                .collect(),
            spf: r
                .auth_results
                .spf
                .iter()
                .map(|s| (s.domain.to_ascii_lowercase(), spf_name(s.result).into()))
                .collect(),
        })
        .collect();
    let meta = report.report_metadata;
    StoredReport {
        org_name: meta.org_name,
        email: meta.email,
        report_id: meta.report_id,
        begin: meta.date_range.begin,
        end: meta.date_range.end,
        domain,
        policy,
        received_id: received_id.to_string(),
        rows,
    }
}

fn disposition_name(d: mail_auth::report::Disposition) -> &'static str {
    use mail_auth::report::Disposition as D;
    match d {
        D::None => "none",
        D::Quarantine => "quarantine",
        D::Reject => "reject",
        D::Unspecified => "unspecified",
    }
}

fn action_name(d: ActionDisposition) -> &'static str {
    match d {
        ActionDisposition::None | ActionDisposition::Pass => "none",
        ActionDisposition::Quarantine => "quarantine",
        ActionDisposition::Reject => "reject",
        ActionDisposition::Unspecified => "unspecified",
    }
}

fn dmarc_name(r: DmarcResult) -> &'static str {
    match r {
        DmarcResult::Pass => "pass",
        DmarcResult::Fail => "fail",
        DmarcResult::Unspecified => "unspecified",
    }
}

fn dkim_name(r: DkimResult) -> &'static str {
    match r {
        DkimResult::None => "none",
        DkimResult::Pass => "pass",
        DkimResult::Fail => "fail",
        DkimResult::Policy => "policy",
        DkimResult::Neutral => "neutral",
        DkimResult::TempError => "temperror",
        DkimResult::PermError => "permerror",
    }
}

fn spf_name(r: SpfResult) -> &'static str {
    match r {
        SpfResult::None => "none",
        SpfResult::Neutral => "neutral",
        SpfResult::Pass => "pass",
        SpfResult::Fail => "fail",
        SpfResult::SoftFail => "softfail",
        SpfResult::TempError => "temperror",
        SpfResult::PermError => "permerror",
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
