//! `hikyaku webhooks create|list|remove|status|dead-letters|replay`: event webhook endpoints. `create`
//! prints the signing secret once; receivers verify each POST with it (docs/operations.md,
//! "Webhooks").

use clap::{Args, Subcommand};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::webhooks::{
    WebhookCreate, WebhookCreated, WebhookDeadLetters, WebhookDeadLettersQuery, WebhookFilter,
    WebhookId, WebhookList, WebhookReplayed, WebhookStatus,
};
use hikyaku_rpc::types::{Done, NoParams};

use super::Ctx;
use crate::output::{or_dash, Fields, Table};

/// `hikyaku webhooks ...`.
#[derive(Debug, Subcommand)]
pub enum WebhooksCmd {
    /// Create an endpoint for event types and print its id and signing secret, shown once
    /// (webhooks.create)
    Create(CreateArgs),
    /// List endpoints (webhooks.list)
    List,
    /// Delete an endpoint with its pending events and dead letters (webhooks.remove)
    Remove(IdArgs),
    /// Pending events, oldest age, last error and dead letters of an endpoint
    /// (webhooks.status)
    Status(IdArgs),
    /// Dead-lettered events of an endpoint, oldest first, with when and why
    /// (webhooks.dead_letters)
    DeadLetters(DeadLettersArgs),
    /// Queue an endpoint's dead letters again (webhooks.replay)
    Replay(IdArgs),
}

/// `hikyaku webhooks dead-letters`.
#[derive(Debug, Args)]
pub struct DeadLettersArgs {
    /// Endpoint id (wh_…)
    pub id: String,
    /// Page size (1-1000, default 100)
    #[arg(long)]
    pub limit: Option<u32>,
    /// Continue after this cursor (printed after a full page)
    #[arg(long)]
    pub cursor: Option<String>,
}

/// `hikyaku webhooks create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// URL the events are POSTed to (http:// or https://)
    pub url: String,
    /// Event types, comma-separated: queued, succeeded, deferred, failed, bounced, blocked,
    /// unsubscribed, complained, inbound
    #[arg(long, value_delimiter = ',', required = true)]
    pub events: Vec<String>,
    /// Filter header (To = the envelope recipient); needs --match
    #[arg(long, requires = "pattern")]
    pub header: Option<String>,
    /// Filter regex (Java syntax, whole value), e.g. 'info@mailform\.example\.com'
    #[arg(long = "match", id = "pattern", requires = "header")]
    pub pattern: Option<String>,
}

/// An endpoint id.
#[derive(Debug, Args)]
pub struct IdArgs {
    /// Endpoint id (wh_…)
    pub id: String,
}

/// Runs a `webhooks` subcommand.
pub async fn run(ctx: &Ctx, cmd: WebhooksCmd) -> anyhow::Result<()> {
    match cmd {
        WebhooksCmd::Create(a) => {
            let filter = match (a.header, a.pattern) {
                (Some(header), Some(pattern)) => Some(WebhookFilter { header, pattern }),
                _ => None,
            };
            let p = WebhookCreate {
                url: a.url,
                events: a.events,
                filter,
            };
            ctx.show(methods::WEBHOOKS_CREATE, &p, |c: &WebhookCreated| {
                let mut out = Fields::new()
                    .add("id", &c.id)
                    .add("secret", &c.secret)
                    .render();
                out.push_str("The secret is shown only now: keep it to verify signatures.\n");
                out
            })
            .await
        }
        WebhooksCmd::List => {
            ctx.show(methods::WEBHOOKS_LIST, &NoParams {}, |l: &WebhookList| {
                let mut t = Table::new(&["ID", "URL", "EVENTS", "FILTER", "CREATED"]);
                for w in &l.webhooks {
                    t.row(vec![
                        w.id.clone(),
                        w.url.clone(),
                        w.events.join(","),
                        or_dash(
                            w.filter
                                .as_ref()
                                .map(|f| format!("{} ~ {}", f.header, f.pattern)),
                        ),
                        w.created.clone(),
                    ]);
                }
                t.render()
            })
            .await
        }
        WebhooksCmd::Remove(a) => {
            let id = a.id.clone();
            ctx.show(
                methods::WEBHOOKS_REMOVE,
                &WebhookId { id: a.id },
                move |_: &Done| format!("removed {id}\n"),
            )
            .await
        }
        WebhooksCmd::Status(a) => {
            ctx.show(
                methods::WEBHOOKS_STATUS,
                &WebhookId { id: a.id },
                |s: &WebhookStatus| {
                    Fields::new()
                        .add("id", &s.id)
                        .add("pending", s.pending)
                        .add("oldest pending", format!("{:.1} s", s.oldest_pending_secs))
                        .add("dead letters", s.dead_letters)
                        .add("last error", or_dash(s.last_error.as_ref()))
                        .render()
                },
            )
            .await
        }
        WebhooksCmd::DeadLetters(a) => {
            let p = WebhookDeadLettersQuery {
                id: a.id,
                limit: a.limit,
                cursor: a.cursor,
            };
            ctx.show(
                methods::WEBHOOKS_DEAD_LETTERS,
                &p,
                |page: &WebhookDeadLetters| {
                    let mut t =
                        Table::new(&["EVENT", "TYPE", "RECIPIENT", "DEAD-LETTERED", "ERROR"]);
                    for d in &page.dead_letters {
                        let field = |k: &str| or_dash(d.event.get(k).and_then(|v| v.as_str()));
                        t.row(vec![
                            field("id"),
                            field("type"),
                            field("recipient"),
                            or_dash(d.dead_lettered.as_ref()),
                            or_dash(d.error.as_ref()),
                        ]);
                    }
                    let mut out = t.render();
                    if let Some(c) = &page.next_cursor {
                        out.push_str(&format!("next page: --cursor {c}\n"));
                    }
                    out
                },
            )
            .await
        }
        WebhooksCmd::Replay(a) => {
            ctx.show(
                methods::WEBHOOKS_REPLAY,
                &WebhookId { id: a.id },
                |r: &WebhookReplayed| format!("{} dead letter(s) queued again\n", r.replayed),
            )
            .await
        }
    }
}
