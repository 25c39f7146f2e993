//! `hikyaku bounces search|export` (the error log) and `hikyaku bounce parse` (offline).

use std::io::{Read, Write};

use anyhow::{bail, Context};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::bounces::{BounceExportQuery, BouncePage, BounceQuery};

use super::Ctx;
use crate::args_admin::{BounceCmd, BounceFilters, BouncesCmd};
use crate::output::{self, or_dash, Table};

/// Runs a `bounces` subcommand.
pub async fn run(ctx: &Ctx, cmd: BouncesCmd) -> anyhow::Result<()> {
    match cmd {
        BouncesCmd::Search(a) => {
            let q = query(a.filters, a.cursor, a.limit);
            ctx.show(methods::BOUNCES_SEARCH, &q, render_page).await
        }
        BouncesCmd::Export(a) => {
            let mut q = BounceExportQuery {
                query: query(a.filters, None, a.chunk_size),
                format: a.format.into(),
            };
            let api = ctx.api()?;
            let mut out = std::io::stdout().lock();
            loop {
                let chunk = api.call(methods::BOUNCES_EXPORT, &q).await?;
                out.write_all(chunk.data.as_bytes())
                    .and_then(|()| out.flush())
                    .context("writing to standard output")?;
                match chunk.next_cursor {
                    Some(c) if q.query.cursor.as_deref() == Some(c.as_str()) => {
                        bail!("the server returned the same cursor twice")
                    }
                    Some(c) => q.query.cursor = Some(c),
                    None => return Ok(()),
                }
            }
        }
    }
}

fn query(f: BounceFilters, cursor: Option<String>, limit: Option<u32>) -> BounceQuery {
    BounceQuery {
        since: f.since,
        until: f.until,
        recipient: f.recipient,
        domain: f.domain,
        error_status: f.error_status,
        api_user: f.api_user,
        message_id: f.message_id,
        source: f.source,
        cursor,
        limit,
    }
}

fn render_page(p: &BouncePage) -> String {
    let mut t = Table::new(&[
        "TIME",
        "STATUS",
        "SOURCE",
        "REASON",
        "RECIPIENT",
        "DELIVERY_ID",
        "MATCHED",
        "DIAGNOSTIC",
    ]);
    for r in &p.records {
        t.row(vec![
            r.time.clone(),
            r.error_status.to_string(),
            r.source.clone(),
            crate::i18n::error_status_name(&r.error_status.to_string(), &r.reason),
            r.recipient.clone(),
            or_dash(r.delivery_id.as_ref()),
            or_dash(r.matched_by.as_ref()),
            r.diagnostic.clone(),
        ]);
    }
    let mut out = t.render();
    if let Some(c) = &p.next_cursor {
        out.push_str(&output::next_cursor(c));
    }
    out
}

/// `hikyaku bounce parse PATH...`: the same per-recipient output as `hikyakud bounce parse`,
/// without a server, for message files, mbox files and Maildir folders (offline analysis of any
/// mailbox, issue 18). One line per failed recipient (or notice) and then a summary table per
/// kind and error status; with `--json`, one JSON object per line and no table.
pub fn parse(ctx: &Ctx, cmd: BounceCmd) -> anyhow::Result<()> {
    let BounceCmd::Parse { files } = cmd;
    let mut text = String::new();
    let mut summary = hikyaku_bounce::mailbox::Summary::default();
    for path in files {
        let name = path.display().to_string();
        let messages = if name == "-" {
            let mut raw = Vec::new();
            std::io::stdin()
                .read_to_end(&mut raw)
                .context("reading standard input")?;
            hikyaku_bounce::mailbox::named(&name, raw)
        } else {
            hikyaku_bounce::mailbox::messages(&path)
                .with_context(|| format!("cannot read {name}"))?
        };
        if messages.is_empty() {
            // Said, not silently summed as nothing: an empty folder or a wrong path.
            eprintln!("hikyaku: no message found in {name}");
        }
        for (name, raw) in messages {
            let report = hikyaku_bounce::parse(&raw);
            summary.add(&report);
            if ctx.json {
                for row in hikyaku_bounce::report::report_rows(&name, &report) {
                    text.push_str(&row.to_string());
                    text.push('\n');
                }
            } else {
                for line in hikyaku_bounce::report::human_lines(&name, &report) {
                    text.push_str(&line);
                    text.push('\n');
                }
            }
        }
    }
    if !ctx.json {
        text.push('\n');
        text.push_str(&summary.table());
    }
    output::emit(&text)
}
