//! `hikyaku blocks list|add|remove`.

use hikyaku_rpc::methods;
use hikyaku_rpc::types::blocks::{BlockChange, BlockChanged, BlockPage, BlockQuery};

use super::{all_pages, read_text, Ctx};
use crate::args_admin::{BlockAddresses, BlocksCmd, BlocksListArgs};
use crate::failure::usage;
use crate::output::{self, Fields, Table};

/// Most addresses the server takes per call.
const PER_CALL: usize = 10_000;

/// Runs a `blocks` subcommand.
pub async fn run(ctx: &Ctx, cmd: BlocksCmd) -> anyhow::Result<()> {
    match cmd {
        BlocksCmd::List(a) => list(ctx, a).await,
        BlocksCmd::Add(a) => change(ctx, a.addresses, a.reason, true).await,
        BlocksCmd::Remove(a) => change(ctx, a, None, false).await,
    }
}

async fn list(ctx: &Ctx, a: BlocksListArgs) -> anyhow::Result<()> {
    let mut q = BlockQuery {
        list: a.list.into(),
        contains: a.contains,
        cursor: a.cursor,
        limit: a.limit,
    };
    if !a.all {
        return ctx.show(methods::BLOCKS_LIST, &q, render_page).await;
    }
    let api = ctx.api()?;
    let entries = all_pages(&api, methods::BLOCKS_LIST, &mut q, "entries", |q| {
        &mut q.cursor
    })
    .await?;
    let all = serde_json::json!({ "entries": entries, "next_cursor": null });
    if ctx.json {
        output::emit_json(&all)
    } else {
        let page: BlockPage = api.decode(methods::BLOCKS_LIST, all)?;
        output::emit(&render_page(&page))
    }
}

fn render_page(p: &BlockPage) -> String {
    let mut t = Table::new(&["ADDRESS", "ADDED", "REASON"]);
    for e in &p.entries {
        t.row(vec![e.address.clone(), e.added.clone(), e.reason.clone()]);
    }
    let mut out = t.render();
    if let Some(c) = &p.next_cursor {
        out.push_str(&output::next_cursor(c));
    }
    out
}

/// Addresses of one address-per-line text: blank lines and `#` comments are skipped.
pub fn address_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

async fn change(
    ctx: &Ctx,
    a: BlockAddresses,
    reason: Option<String>,
    add: bool,
) -> anyhow::Result<()> {
    let mut addresses = a.addresses;
    if let Some(f) = &a.file {
        addresses.extend(address_lines(&read_text(f)?));
    }
    if addresses.is_empty() {
        return Err(usage("no addresses given"));
    }
    let method = if add {
        methods::BLOCKS_ADD
    } else {
        methods::BLOCKS_REMOVE
    };
    let list = a.list.into();
    if addresses.len() <= PER_CALL {
        let params = BlockChange {
            list,
            addresses,
            reason,
        };
        return ctx.show(method, &params, render_changed).await;
    }
    // More than one call's worth: send in slices and report the sums.
    let api = ctx.api()?;
    let mut sum = BlockChanged {
        changed: 0,
        unchanged: 0,
    };
    for slice in addresses.chunks(PER_CALL) {
        let params = BlockChange {
            list,
            addresses: slice.to_vec(),
            reason: reason.clone(),
        };
        let r = api.call(method, &params).await?;
        sum.changed += r.changed;
        sum.unchanged += r.unchanged;
    }
    if ctx.json {
        output::emit_json(&sum)
    } else {
        output::emit(&render_changed(&sum))
    }
}

fn render_changed(r: &BlockChanged) -> String {
    Fields::new()
        .add("changed", r.changed)
        .add("unchanged", r.unchanged)
        .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn address_file_lines() {
        assert_eq!(
            address_lines("# list\na@x.org\n\n  b@x.org  \r\n#c@x.org\n"),
            ["a@x.org", "b@x.org"]
        );
    }
}
