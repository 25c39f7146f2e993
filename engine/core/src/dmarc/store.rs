//! The `dmarc_reports` column family: typed writes and reads of aggregate reports, and the
//! per-source-IP summary `dmarc.reports` answers with.
//!
//! Keys:
//! * `0x00 · domain · 0x00 · begin (8, BE, s) · fnv64(org_name, report_id) (8, BE)` → a
//!   [`StoredReport`] JSON. One domain's reports are one key range ordered by their period,
//!   so a query is one range scan; the hash of reporter and report id makes a report mailed
//!   twice (reporters retry) overwrite itself instead of being counted twice.
//! * `0x01 · time ms (8, BE) · received id (8, BE)` → a [`Malformed`] JSON: a report that did
//!   not parse, with the error;
//! * `0x02 · time ms (8, BE) · received id (8, BE)` → its raw mail, so it can be looked at
//!   (and re-parsed) after the received-message retention has passed.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::report::StoredReport;
use crate::ids::Id;
use crate::storage::{Cf, Op, StorageError, Store};

const REPORT: u8 = 0x00;
const MALFORMED: u8 = 0x01;
const RAW: u8 = 0x02;

/// A report mail that yielded no report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Malformed {
    /// Reception time, ms.
    pub time_ms: u64,
    /// The received message's id.
    pub received_id: String,
    /// Why it did not parse.
    pub error: String,
    /// Size of the raw mail.
    pub size: u64,
}

fn fnv(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.join("\0").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn domain_prefix(domain: &str) -> Vec<u8> {
    let mut k = vec![REPORT];
    k.extend_from_slice(domain.as_bytes());
    k.push(0);
    k
}

fn report_key(r: &StoredReport) -> Vec<u8> {
    let mut k = domain_prefix(&r.domain);
    k.extend_from_slice(&r.begin.to_be_bytes());
    k.extend_from_slice(&fnv(&[&r.org_name, &r.report_id]).to_be_bytes());
    k
}

fn timed_key(part: u8, time_ms: u64, id: Id) -> Vec<u8> {
    let mut k = vec![part];
    k.extend_from_slice(&time_ms.to_be_bytes());
    k.extend_from_slice(&id.to_be_bytes());
    k
}

/// The write that keeps a parsed report.
pub fn report_op(r: &StoredReport) -> Result<Op, StorageError> {
    Ok(Op::Put {
        cf: Cf::DmarcReports,
        key: report_key(r),
        value: serde_json::to_vec(r)?,
    })
}

/// The writes that keep a malformed report: the error and the raw mail.
pub fn malformed_ops(id: Id, m: &Malformed, raw: &[u8]) -> Result<[Op; 2], StorageError> {
    Ok([
        Op::Put {
            cf: Cf::DmarcReports,
            key: timed_key(MALFORMED, m.time_ms, id),
            value: serde_json::to_vec(m)?,
        },
        Op::Put {
            cf: Cf::DmarcReports,
            key: timed_key(RAW, m.time_ms, id),
            value: raw.to_vec(),
        },
    ])
}

/// Reports about `domain` whose period begins in `[from_s, to_s)`, oldest first, and the
/// number of records that did not decode.
pub fn reports(
    store: &Store,
    domain: &str,
    from_s: u64,
    to_s: u64,
) -> Result<(Vec<StoredReport>, usize), StorageError> {
    let mut from = domain_prefix(domain);
    let mut to = from.clone();
    from.extend_from_slice(&from_s.to_be_bytes());
    to.extend_from_slice(&to_s.to_be_bytes());
    let mut out = Vec::new();
    let mut corrupt = 0;
    store.scan(Cf::DmarcReports, &from, Some(&to), |_, v| {
        match serde_json::from_slice::<StoredReport>(v) {
            Ok(r) => out.push(r),
            Err(_) => corrupt += 1,
        }
        true
    })?;
    Ok((out, corrupt))
}

/// Malformed reports received in `[from_ms, to_ms)`.
pub fn malformed(store: &Store, from_ms: u64, to_ms: u64) -> Result<Vec<Malformed>, StorageError> {
    let bound = |t: u64| {
        let mut k = vec![MALFORMED];
        k.extend_from_slice(&t.to_be_bytes());
        k
    };
    let mut out = Vec::new();
    store.scan(
        Cf::DmarcReports,
        &bound(from_ms),
        Some(&bound(to_ms)),
        |_, v| {
            if let Ok(m) = serde_json::from_slice::<Malformed>(v) {
                out.push(m);
            }
            true
        },
    )?;
    Ok(out)
}

/// The raw mail of a malformed report.
pub fn malformed_raw(store: &Store, time_ms: u64, id: Id) -> Result<Option<Vec<u8>>, StorageError> {
    store.get(Cf::DmarcReports, &timed_key(RAW, time_ms, id))
}

/// What every reporter saw from one source IP, summed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSummary {
    /// The IP.
    pub source_ip: String,
    /// Messages.
    pub messages: u64,
    /// Reporting organisations.
    pub reporters: Vec<String>,
    /// Messages per disposition (`none`, `quarantine`, `reject`).
    pub disposition: BTreeMap<String, u64>,
    /// Messages whose DKIM was aligned and passed.
    pub dkim_aligned: u64,
    /// Messages whose SPF was aligned and passed.
    pub spf_aligned: u64,
    /// Messages passing DMARC (either aligned).
    pub dmarc_pass: u64,
    /// Messages per raw DKIM result (first signature of each row).
    pub dkim: BTreeMap<String, u64>,
    /// Messages per raw SPF result.
    pub spf: BTreeMap<String, u64>,
}

/// Sums reports per source IP, most messages first (pure).
pub fn by_source(reports: &[StoredReport]) -> Vec<SourceSummary> {
    let mut map: BTreeMap<String, SourceSummary> = BTreeMap::new();
    for report in reports {
        for row in &report.rows {
            let s = map
                .entry(row.source_ip.clone())
                .or_insert_with(|| SourceSummary {
                    source_ip: row.source_ip.clone(),
                    ..Default::default()
                });
            let n = row.count;
            s.messages += n;
            if !s.reporters.contains(&report.org_name) {
                s.reporters.push(report.org_name.clone());
            }
            *s.disposition.entry(row.disposition.clone()).or_default() += n;
            let dkim = row.dkim_aligned == "pass";
            let spf = row.spf_aligned == "pass";
            s.dkim_aligned += if dkim { n } else { 0 };
            s.spf_aligned += if spf { n } else { 0 };
            s.dmarc_pass += if dkim || spf { n } else { 0 };
            let first =
                |v: &[(String, String)]| v.first().map_or("none".to_string(), |(_, r)| r.clone());
            *s.dkim.entry(first(&row.dkim)).or_default() += n;
            *s.spf.entry(first(&row.spf)).or_default() += n;
        }
    }
    let mut out: Vec<SourceSummary> = map.into_values().collect();
    out.sort_by(|a, b| {
        b.messages
            .cmp(&a.messages)
            .then(a.source_ip.cmp(&b.source_ip))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dmarc::report::ReportRow;

    fn row(ip: &str, count: u64, disp: &str, dkim: &str, spf: &str) -> ReportRow {
        ReportRow {
            source_ip: ip.into(),
            count,
            disposition: disp.into(),
            dkim_aligned: dkim.into(),
            spf_aligned: spf.into(),
            header_from: "example.com".into(),
            envelope_from: "bounce.example.com".into(),
            dkim: vec![("example.com".into(), dkim.into())],
            spf: vec![("bounce.example.com".into(), spf.into())],
        }
    }

    fn report(org: &str, id: &str, begin: u64, rows: Vec<ReportRow>) -> StoredReport {
        StoredReport {
            org_name: org.into(),
            email: format!("noreply@{org}"),
            report_id: id.into(),
            begin,
            end: begin + 86_400,
            domain: "example.com".into(),
            policy: "p=none sp=none".into(),
            received_id: "0000000000000001".into(),
            rows,
        }
    }

    #[test]
    fn rows_are_summed_per_source_ip() {
        let reports = [
            report(
                "google.com",
                "1",
                0,
                vec![
                    row("192.0.2.1", 5, "none", "pass", "fail"),
                    row("192.0.2.9", 1, "reject", "fail", "fail"),
                ],
            ),
            report(
                "yahoo.com",
                "2",
                0,
                vec![row("192.0.2.1", 3, "quarantine", "fail", "pass")],
            ),
        ];
        let s = by_source(&reports);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].source_ip, "192.0.2.1");
        assert_eq!(
            (
                s[0].messages,
                s[0].dkim_aligned,
                s[0].spf_aligned,
                s[0].dmarc_pass
            ),
            (8, 5, 3, 8)
        );
        assert_eq!(s[0].reporters, ["google.com", "yahoo.com"]);
        assert_eq!(s[0].disposition.get("quarantine"), Some(&3));
        assert_eq!(s[1].dmarc_pass, 0);
        assert_eq!(s[1].disposition.get("reject"), Some(&1));
    }

    #[test]
    fn a_report_sent_twice_has_one_key_and_the_range_is_the_period() {
        let a = report("google.com", "1", 100, vec![]);
        let mut b = a.clone();
        b.received_id = "0000000000000002".into();
        assert_eq!(report_key(&a), report_key(&b));
        assert_ne!(
            report_key(&a),
            report_key(&report("google.com", "2", 100, vec![]))
        );
        // Another domain sharing a prefix is outside the domain's range.
        let mut other = a.clone();
        other.domain = "example.com.evil".into();
        assert!(!report_key(&other).starts_with(&domain_prefix("example.com")));
    }
}
