//! `hikyaku oplog`: the operation log — logins, lockouts, settings and administrative changes,
//! with who, when, from which IP and what (oplog.search; group and service administrators).

use clap::Args;
use hikyaku_rpc::methods;
use hikyaku_rpc::types::oplog::{OplogEntry, OplogPage, OplogQuery};

use super::{all_pages, Ctx};
use crate::output::{self, or_dash, wire_name, Table};

/// `hikyaku oplog`.
#[derive(Debug, Args)]
pub struct OplogArgs {
    /// Inclusive start, RFC 3339 (default: everything kept)
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Exclusive end, RFC 3339 (default: now)
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Only what this account or API user did (for logins: the name tried)
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Only this action (login, login_failed, locked, settings.apply, ...) or a prefix ending
    /// in '*' (users.*)
    #[arg(long)]
    pub action: Option<String>,
    /// Page size, 1-1000 (server default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Continue after this cursor (from the previous page)
    #[arg(long, conflicts_with = "all")]
    pub cursor: Option<String>,
    /// Every page, not only the first
    #[arg(long)]
    pub all: bool,
}

/// Details wider than this are cut in the table (`--json` has them whole).
const DETAILS_WIDTH: usize = 120;

/// Runs `hikyaku oplog`.
pub async fn run(ctx: &Ctx, a: OplogArgs) -> anyhow::Result<()> {
    let mut q = OplogQuery {
        from: a.from,
        to: a.to,
        account: a.account,
        action: a.action,
        cursor: a.cursor,
        limit: a.limit,
    };
    if !a.all {
        return ctx.show(methods::OPLOG_SEARCH, &q, render_page).await;
    }
    let api = ctx.api()?;
    let entries = all_pages(&api, methods::OPLOG_SEARCH, &mut q, "entries", |q| {
        &mut q.cursor
    })
    .await?;
    if ctx.json {
        return output::emit_json(&entries);
    }
    let entries: Vec<OplogEntry> = entries
        .into_iter()
        .map(serde_json::from_value)
        .collect::<Result<_, _>>()?;
    output::emit(&render(&entries))
}

fn details(e: &OplogEntry) -> String {
    if e.details.is_null() {
        return "-".into();
    }
    let text = e.details.to_string();
    if text.chars().count() <= DETAILS_WIDTH {
        return text;
    }
    let cut: String = text.chars().take(DETAILS_WIDTH - 1).collect();
    format!("{cut}…")
}

fn render(entries: &[OplogEntry]) -> String {
    let mut t = Table::new(&[
        "TIME", "ACCOUNT", "KIND", "IP", "ACTION", "TARGET", "DETAILS",
    ]);
    for e in entries {
        t.row(vec![
            e.time.clone(),
            e.account.clone(),
            wire_name(&e.kind),
            e.ip.clone(),
            e.action.clone(),
            or_dash(e.target.as_ref()),
            details(e),
        ]);
    }
    t.render()
}

fn render_page(p: &OplogPage) -> String {
    let mut out = render(&p.entries);
    if let Some(c) = &p.next_cursor {
        out.push_str(&output::next_cursor(c));
    }
    out
}
