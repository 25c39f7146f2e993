//! `hikyaku deliveries search|export`.

use std::io::Write;

use anyhow::{bail, Context};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::deliveries::{DeliveryPage, DeliveryQuery, ExportQuery};

use super::{all_pages, Ctx};
use crate::args::{DeliveriesCmd, DeliveryFilters, ExportArgs, SearchArgs};
use crate::output::{self, or_dash, wire_name, Table};

/// Runs a `deliveries` subcommand.
pub async fn run(ctx: &Ctx, cmd: DeliveriesCmd) -> anyhow::Result<()> {
    match cmd {
        DeliveriesCmd::Search(a) => search(ctx, a).await,
        DeliveriesCmd::Export(a) => export(ctx, a).await,
    }
}

/// The query of the filter flags.
pub fn query(f: DeliveryFilters, cursor: Option<String>, limit: Option<u32>) -> DeliveryQuery {
    DeliveryQuery {
        since: f.since,
        until: f.until,
        recipient: f.recipient,
        domain: f.domain,
        status: f.status.map(Into::into),
        api_user: f.api_user,
        message_id: f.message_id,
        subject: f.subject,
        cursor,
        limit,
    }
}

async fn search(ctx: &Ctx, a: SearchArgs) -> anyhow::Result<()> {
    let mut q = query(a.filters, a.cursor, a.limit);
    if !a.all {
        return ctx.show(methods::DELIVERIES_SEARCH, &q, render_page).await;
    }
    // --all: follow the cursor and print one page holding every record.
    let api = ctx.api()?;
    let records = all_pages(&api, methods::DELIVERIES_SEARCH, &mut q, "records", |q| {
        &mut q.cursor
    })
    .await?;
    let all = serde_json::json!({ "records": records, "next_cursor": null });
    if ctx.json {
        output::emit_json(&all)
    } else {
        let page: DeliveryPage = api.decode(methods::DELIVERIES_SEARCH, all)?;
        output::emit(&render_page(&page))
    }
}

fn render_page(p: &DeliveryPage) -> String {
    let mut t = Table::new(&[
        "TIME",
        "STATUS",
        "ERR",
        "RECIPIENT",
        "API_USER",
        "DELIVERY_ID",
        "SUBJECT",
    ]);
    for r in &p.records {
        t.row(vec![
            r.time.clone(),
            wire_name(&r.status),
            r.error_status
                .map_or_else(|| "-".to_string(), crate::i18n::error_status_cell),
            r.recipient.clone(),
            or_dash(r.api_user.as_ref()),
            r.delivery_id.clone(),
            r.subject.clone(),
        ]);
    }
    let mut out = t.render();
    if let Some(c) = &p.next_cursor {
        out.push_str(&output::next_cursor(c));
    }
    out
}

/// Streams the export chunk by chunk to stdout or `--output`; only one chunk is in memory.
async fn export(ctx: &Ctx, a: ExportArgs) -> anyhow::Result<()> {
    let mut q = ExportQuery {
        query: query(a.filters, None, a.chunk_size),
        format: a.format.into(),
    };
    let api = ctx.api()?;
    let (mut sink, name): (Box<dyn Write>, String) = match &a.output {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            (
                Box::new(std::io::BufWriter::new(file)),
                path.display().to_string(),
            )
        }
        None => (
            Box::new(std::io::stdout().lock()),
            "standard output".to_string(),
        ),
    };
    let mut total: u64 = 0;
    loop {
        let chunk = api.call(methods::DELIVERIES_EXPORT, &q).await?;
        sink.write_all(chunk.data.as_bytes())
            .and_then(|()| sink.flush())
            .with_context(|| format!("writing to {name}"))?;
        total += u64::from(chunk.records);
        match chunk.next_cursor {
            Some(c) if q.query.cursor.as_deref() == Some(c.as_str()) => {
                bail!("the server returned the same cursor twice")
            }
            Some(c) => q.query.cursor = Some(c),
            None => break,
        }
    }
    if a.output.is_some() {
        output::note(&format!("exported {total} record(s) to {name}"));
    }
    Ok(())
}
