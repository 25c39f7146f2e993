//! `hikyaku spf record|check`: the SPF record to publish for a domain, and whether the
//! published one authorises every address mail leaves from.

use clap::{Args, Subcommand};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::spf::{SpfCheck, SpfDomain, SpfRecord};

use super::Ctx;
use crate::output::{wire_name, yes_no, Fields, Table};

/// `hikyaku spf ...`.
#[derive(Debug, Subcommand)]
pub enum SpfCmd {
    /// The SPF record to publish (spf.record)
    Record(DomainArg),
    /// Look up the published record and evaluate it for every source IP (spf.check)
    Check(DomainArg),
}

/// The domain argument.
#[derive(Debug, Args)]
pub struct DomainArg {
    /// The domain (the envelope-From domain: the bounce domain when VERP rewrites it)
    pub domain: String,
}

/// Runs an `spf` subcommand.
pub async fn run(ctx: &Ctx, cmd: SpfCmd) -> anyhow::Result<()> {
    match cmd {
        SpfCmd::Record(a) => {
            let q = SpfDomain { domain: a.domain };
            ctx.show(methods::SPF_RECORD, &q, render_record).await
        }
        SpfCmd::Check(a) => {
            let q = SpfDomain { domain: a.domain };
            ctx.show(methods::SPF_CHECK, &q, render_check).await
        }
    }
}

fn render_record(r: &SpfRecord) -> String {
    let mut out = Fields::new()
        .add("name", &r.record_name)
        .add("type", "TXT")
        .add("value", &r.record_value)
        .render();
    for n in &r.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}

fn render_check(c: &SpfCheck) -> String {
    let mut out = Fields::new()
        .add("domain", &c.domain)
        .add("record", wire_name(&c.status))
        .opt(
            "published",
            (!c.records.is_empty()).then(|| c.records.join(" | ")),
        )
        .opt("error", c.error.as_ref())
        .add("all authorised", yes_no(c.ok))
        .render();
    if !c.verdicts.is_empty() {
        let mut t = Table::new(&["SOURCE IP", "SPF RESULT", "AUTHORISED"]);
        for v in &c.verdicts {
            t.row(vec![v.ip.clone(), v.result.clone(), yes_no(v.authorised)]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    if !c.unauthorised.is_empty() {
        out.push_str(&format!("not authorised: {}\n", c.unauthorised.join(", ")));
    }
    for n in &c.notes {
        out.push_str(&format!("note: {n}\n"));
    }
    out
}
