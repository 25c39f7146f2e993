//! `hikyaku dmarc record|check|reports`: the DMARC record to publish, the effective record of
//! a domain (inherited or its own) with our mail's alignment, and the aggregate reports
//! received, summed per source IP.

use std::collections::BTreeMap;

use clap::{Args, Subcommand, ValueEnum};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::dmarc::{
    DmarcCheck, DmarcDomain, DmarcPolicy, DmarcRecord, DmarcRecordQuery, DmarcReports,
    DmarcReportsQuery,
};

use super::Ctx;
use crate::output::{or_dash, wire_name, yes_no, Fields, Table};

/// `hikyaku dmarc ...`.
#[derive(Debug, Subcommand)]
pub enum DmarcCmd {
    /// The DMARC record to publish (dmarc.record)
    Record(RecordArgs),
    /// The effective record (own or inherited) and whether our mail aligns (dmarc.check)
    Check(DomainArg),
    /// Aggregate reports received, per source IP (dmarc.reports)
    Reports(ReportsArgs),
}

/// `--policy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Monitor only
    None,
    /// Failing mail to spam
    Quarantine,
    /// Failing mail refused
    Reject,
}

impl From<PolicyArg> for DmarcPolicy {
    fn from(p: PolicyArg) -> Self {
        match p {
            PolicyArg::None => Self::None,
            PolicyArg::Quarantine => Self::Quarantine,
            PolicyArg::Reject => Self::Reject,
        }
    }
}

/// `hikyaku dmarc record`.
#[derive(Debug, Args)]
pub struct RecordArgs {
    /// The header-From domain
    pub domain: String,
    /// p=
    #[arg(long, value_enum, default_value = "none")]
    pub policy: PolicyArg,
    /// pct=, 1-100 (server default 100)
    #[arg(long)]
    pub pct: Option<u8>,
    /// Report address (default: the configured dmarc.report_address)
    #[arg(long, value_name = "ADDR")]
    pub rua: Option<String>,
}

/// The domain argument.
#[derive(Debug, Args)]
pub struct DomainArg {
    /// The header-From domain
    pub domain: String,
}

/// `hikyaku dmarc reports`.
#[derive(Debug, Args)]
pub struct ReportsArgs {
    /// The domain reported on
    pub domain: String,
    /// Reports whose period begins at or after this time, RFC 3339 (default: 7 days ago)
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// ... and before this time (default: now)
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
}

/// Runs a `dmarc` subcommand.
pub async fn run(ctx: &Ctx, cmd: DmarcCmd) -> anyhow::Result<()> {
    match cmd {
        DmarcCmd::Record(a) => {
            let q = DmarcRecordQuery {
                domain: a.domain,
                policy: a.policy.into(),
                pct: a.pct,
                rua: a.rua,
            };
            ctx.show(methods::DMARC_RECORD, &q, render_record).await
        }
        DmarcCmd::Check(a) => {
            let q = DmarcDomain { domain: a.domain };
            ctx.show(methods::DMARC_CHECK, &q, render_check).await
        }
        DmarcCmd::Reports(a) => {
            let q = DmarcReportsQuery {
                domain: a.domain,
                from: a.from,
                to: a.to,
            };
            ctx.show(methods::DMARC_REPORTS, &q, render_reports).await
        }
    }
}

fn render_record(r: &DmarcRecord) -> String {
    let mut out = Fields::new()
        .add("name", &r.record_name)
        .add("type", "TXT")
        .add("value", &r.record_value)
        .render();
    if let Some(a) = &r.report_authorization {
        out.push_str(&format!(
            "\nthe report domain must also publish (RFC 7489 7.1):\n{}",
            Fields::new()
                .add("name", &a.record_name)
                .add("type", "TXT")
                .add("value", &a.record_value)
                .render()
        ));
    }
    out
}

fn render_check(c: &DmarcCheck) -> String {
    let side =
        |s: &hikyaku_rpc::types::dmarc::AlignmentSide| format!("{} ({})", s.dmarc_result, s.detail);
    let mut out = Fields::new()
        .add("domain", &c.domain)
        .add("record at", or_dash(c.record_name.as_ref()))
        .opt("record", c.record.as_ref())
        .add("inherited", yes_no(c.inherited))
        .opt("organisational domain", c.organisational_domain.as_ref())
        .add("policy", or_dash(c.policy.as_ref().map(wire_name)))
        .opt("pct", c.pct)
        .add(
            "rua",
            if c.rua.is_empty() {
                "-".to_string()
            } else {
                c.rua.join(", ")
            },
        )
        .add("spf alignment", side(&c.spf))
        .add("dkim alignment", side(&c.dkim))
        .add("our mail passes", yes_no(c.passes))
        .render();
    for n in &c.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn counts(m: &BTreeMap<String, u64>) -> String {
    if m.is_empty() {
        return "-".into();
    }
    m.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn render_reports(r: &DmarcReports) -> String {
    let mut t = Table::new(&[
        "SOURCE IP",
        "MESSAGES",
        "DISPOSITION",
        "DKIM",
        "SPF",
        "DKIM ALIGNED",
        "SPF ALIGNED",
        "DMARC PASS",
        "REPORTERS",
    ])
    .right(&[1, 5, 6, 7]);
    for s in &r.sources {
        t.row(vec![
            s.source_ip.clone(),
            s.messages.to_string(),
            counts(&s.disposition),
            counts(&s.dkim),
            counts(&s.spf),
            s.dkim_aligned.to_string(),
            s.spf_aligned.to_string(),
            s.dmarc_pass.to_string(),
            s.reporters.join(","),
        ]);
    }
    let mut out = format!(
        "{}: {} report(s) with periods beginning {} .. {}\n\n",
        r.domain,
        r.reports.len(),
        r.from,
        r.to
    );
    out.push_str(&t.render());
    if !r.malformed.is_empty() {
        let mut m = Table::new(&["RECEIVED", "ID", "SIZE", "ERROR"]).right(&[2]);
        for x in &r.malformed {
            m.row(vec![
                x.time.clone(),
                x.received_id.clone(),
                x.size.to_string(),
                x.error.clone(),
            ]);
        }
        out.push_str("\nreport mails that did not parse (kept raw; hikyaku received show ID):\n");
        out.push_str(&m.render());
    }
    out
}
