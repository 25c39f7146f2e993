//! `hikyaku received list|show`: what the receiving listener accepted (bounces, auto-replies,
//! DMARC reports, mail for inbound domains). The subcommands are declared here, next to
//! what runs them.

use std::io::Write;

use anyhow::Context;
use base64::Engine;
use clap::{Args, Subcommand, ValueEnum};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::received::{
    RawEncoding, ReceivedGet, ReceivedKind, ReceivedMessage, ReceivedPage, ReceivedQuery,
};

use super::Ctx;
use crate::output::{self, or_dash, wire_name, yes_no, Fields, Table};

/// `hikyaku received ...`.
#[derive(Debug, Subcommand)]
pub enum ReceivedCmd {
    /// List received messages with their envelopes, oldest first (received.list)
    List(ListArgs),
    /// One received message: its record and the message (received.get; service or group
    /// administrators)
    Show(ShowArgs),
}

/// `--kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Delivery status notifications and other bounces.
    Bounce,
    /// Abuse/feedback reports.
    Feedback,
    /// Auto-replies (vacation, out of office).
    AutoReply,
    /// Everything else (inbound mail, DMARC reports).
    Other,
}

impl From<KindArg> for ReceivedKind {
    fn from(k: KindArg) -> Self {
        match k {
            KindArg::Bounce => Self::Bounce,
            KindArg::Feedback => Self::Feedback,
            KindArg::AutoReply => Self::AutoReply,
            KindArg::Other => Self::Other,
        }
    }
}

/// `hikyaku received list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Inclusive start, RFC 3339 (default: 24 hours ago)
    #[arg(long, visible_alias = "from", value_name = "TIME")]
    pub since: Option<String>,
    /// Exclusive end, RFC 3339 (default: now)
    #[arg(long, visible_alias = "to", value_name = "TIME")]
    pub until: Option<String>,
    /// Only this kind
    #[arg(long, value_enum)]
    pub kind: Option<KindArg>,
    /// Only messages with this envelope recipient
    #[arg(long, value_name = "ADDR")]
    pub recipient: Option<String>,
    /// Only messages with an envelope recipient in this domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Page size, 1-1000 (server default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Continue after this cursor (from the previous page)
    #[arg(long)]
    pub cursor: Option<String>,
}

/// `hikyaku received show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Message id (from `received list` or the `250 ... queued as` reply)
    pub id: String,
    /// Write only the message, byte for byte, to stdout (ignores --json)
    #[arg(long)]
    pub raw: bool,
}

/// Runs a `received` subcommand.
pub async fn run(ctx: &Ctx, cmd: ReceivedCmd) -> anyhow::Result<()> {
    match cmd {
        ReceivedCmd::List(a) => {
            let q = ReceivedQuery {
                since: a.since,
                until: a.until,
                kind: a.kind.map(Into::into),
                recipient: a.recipient,
                domain: a.domain,
                cursor: a.cursor,
                limit: a.limit,
            };
            ctx.show(methods::RECEIVED_LIST, &q, render_page).await
        }
        ReceivedCmd::Show(a) if a.raw => {
            let q = ReceivedGet {
                id: a.id,
                encoding: RawEncoding::Base64,
            };
            let m = ctx.api()?.call(methods::RECEIVED_GET, &q).await?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(m.raw.as_bytes())
                .context("the server sent a raw message that is not base64")?;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)
                .and_then(|()| out.flush())
                .context("writing to standard output")
        }
        ReceivedCmd::Show(a) => {
            let q = ReceivedGet {
                id: a.id,
                encoding: RawEncoding::Text,
            };
            ctx.show(methods::RECEIVED_GET, &q, render_message).await
        }
    }
}

fn render_page(p: &ReceivedPage) -> String {
    let mut t = Table::new(&[
        "TIME",
        "ID",
        "KIND",
        "MAIL_FROM",
        "RECIPIENTS",
        "PEER",
        "SIZE",
        "SUBJECT",
    ])
    .right(&[6]);
    for r in &p.records {
        t.row(vec![
            r.time.clone(),
            r.id.clone(),
            wire_name(&r.kind),
            if r.mail_from.is_empty() {
                "<>".to_string()
            } else {
                r.mail_from.clone()
            },
            r.recipients.join(","),
            r.peer_ip.clone(),
            r.size.to_string(),
            or_dash(r.subject.as_ref()),
        ]);
    }
    let mut out = t.render();
    if let Some(c) = &p.next_cursor {
        out.push_str(&output::next_cursor(c));
    }
    out
}

fn render_message(m: &ReceivedMessage) -> String {
    let r = &m.record;
    let mut out = Fields::new()
        .add("id", &r.id)
        .add("time", &r.time)
        .add("kind", wire_name(&r.kind))
        .add("mail from", format!("<{}>", r.mail_from))
        .add("recipients", r.recipients.join(", "))
        .add("peer", &r.peer_ip)
        .add("helo", &r.helo)
        .add("tls", yes_no(r.tls))
        .add("size", r.size)
        .opt("subject", r.subject.as_ref())
        .opt("message-id", r.header_message_id.as_ref())
        .add("error-log records", r.error_log_records)
        .render();
    if m.lossy {
        out.push_str(
            "note: bytes that are not UTF-8 are shown as U+FFFD; --raw writes them as received\n",
        );
    }
    out.push('\n');
    out.push_str(&m.raw);
    if !m.raw.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::args::{Cli, Command};

    #[test]
    fn list_takes_from_and_to_as_aliases_and_kinds_in_kebab_case() {
        let cli = Cli::try_parse_from([
            "hikyaku",
            "received",
            "list",
            "--from",
            "2026-01-01T00:00:00Z",
            "--to",
            "2026-01-02T00:00:00Z",
            "--kind",
            "auto-reply",
            "--limit",
            "5",
        ])
        .unwrap();
        let Command::Received(ReceivedCmd::List(a)) = cli.command else {
            panic!("not received list")
        };
        assert_eq!(a.since.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(a.until.as_deref(), Some("2026-01-02T00:00:00Z"));
        assert_eq!(a.kind, Some(KindArg::AutoReply));
        assert_eq!(a.limit, Some(5));
        let cli = Cli::try_parse_from(["hikyaku", "received", "show", "0123", "--raw"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Received(ReceivedCmd::Show(ShowArgs { raw: true, .. }))
        ));
        assert!(Cli::try_parse_from(["hikyaku", "received", "show"]).is_err());
    }
}
