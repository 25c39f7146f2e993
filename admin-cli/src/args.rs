//! The command line: global options and the command tree (clap derive).
//!
//! Commands follow the JSON-RPC namespaces (`send`, `deliveries`, `blocks`, `stats`, `queue`,
//! `settings`, `users`, `system`); session commands (`login`, `logout`, `whoami`) sit at the top.
//! Everything here is declarative; the commands themselves live in [`crate::commands`].

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::args_admin::{BlocksCmd, QueueCmd, SettingsCmd, StatsCmd, SystemCmd, UsersCmd};
use crate::args_enums::{ExportFormatArg, RecipientsFormat, StatusArg};
use hikyaku_rpc::types::send::Header;

/// `hikyaku`: the admin command line of the hikyaku mail engine.
#[derive(Debug, Parser)]
#[command(
    name = "hikyaku",
    version,
    about = "Admin command line for the hikyaku mail engine (a JSON-RPC client)",
    after_help = "Exit status: 0 ok, 1 local problem, 2 usage error, 3 JSON-RPC error from the server, \
                  4 authentication or authorization error, 5 server unreachable."
)]
pub struct Cli {
    /// Options accepted by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted by every command (before or after the command name).
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Server URL [env: HIKYAKU_URL] [default: http://127.0.0.1:8525]
    #[arg(long, global = true, value_name = "URL")]
    pub url: Option<String>,
    /// API key or session token, sent as `Authorization: Bearer` [env: HIKYAKU_KEY]
    #[arg(long, global = true, value_name = "KEY")]
    pub key: Option<String>,
    /// Config file, TOML with optional keys url, key, session
    /// [env: HIKYAKU_CONFIG] [default: $HOME/.config/hikyaku/cli.toml]
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print the JSON result of the call (pretty-printed) instead of the human form
    #[arg(long, global = true)]
    pub json: bool,
    /// Language of the human output [env: HIKYAKU_LANG] [default: the logged-in account's
    /// language, else en]
    #[arg(long, global = true, value_enum, value_name = "LANG")]
    pub lang: Option<crate::i18n::Lang>,
    /// Seconds to wait for each answer
    #[arg(long, global = true, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
}

/// The command tree.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Send one message (send.single); `send bulk` and `send job` for bulk jobs
    Send(SendCmd),
    /// Search and export the delivery log
    #[command(subcommand)]
    Deliveries(DeliveriesCmd),
    /// The error log of received bounces
    #[command(subcommand)]
    Bounces(crate::args_admin::BouncesCmd),
    /// Parse bounce messages offline (no server needed)
    #[command(subcommand)]
    Bounce(crate::args_admin::BounceCmd),
    /// Messages accepted on the receiving listener (bounces, auto-replies, inbound mail)
    #[command(subcommand)]
    Received(crate::commands::received::ReceivedCmd),
    /// SPF: the record to publish, and a check of the published one
    #[command(subcommand)]
    Spf(crate::commands::spf::SpfCmd),
    /// DMARC: the record to publish, the effective record and alignment, aggregate reports
    #[command(subcommand)]
    Dmarc(crate::commands::dmarc::DmarcCmd),
    /// DKIM keys of sender domains: create, publish, check, activate, rotate
    #[command(subcommand)]
    Dkim(crate::commands::dkim::DkimCmd),
    /// S/MIME signers of sender addresses and domains: add, list, remove
    #[command(subcommand)]
    Smime(crate::commands::smime::SmimeCmd),
    /// Event webhooks: endpoints, delivery state, dead letters
    #[command(subcommand)]
    Webhooks(crate::commands::webhooks::WebhooksCmd),
    /// The block list and the unsubscribe list
    #[command(subcommand)]
    Blocks(BlocksCmd),
    /// Delivery statistics
    #[command(subcommand)]
    Stats(StatsCmd),
    /// Delivery, error and domain graphs in the terminal, or as SVG/PNG files (stats.graph)
    Graph(crate::commands::graph::GraphArgs),
    /// The delivery queue
    #[command(subcommand)]
    Queue(QueueCmd),
    /// Run-time settings: draft, validate, diff, apply, rollback
    #[command(subcommand)]
    Settings(SettingsCmd),
    /// Log in to an account and save the session token in the config file
    Login(LoginArgs),
    /// End the current session and forget the saved one
    Logout,
    /// Who the current credential is
    Whoami,
    /// API users and accounts
    #[command(subcommand)]
    Users(UsersCmd),
    /// The operation log: logins, lockouts, settings and administrative changes (oplog.search)
    Oplog(crate::commands::oplog::OplogArgs),
    /// Traffic shaping per site and source IP: limits in force, suspensions, warm-up
    #[command(subcommand)]
    Shaping(crate::commands::shaping::ShapingCmd),
    /// About the running engine
    #[command(subcommand)]
    System(SystemCmd),
    /// Print the server's OpenRPC document (rpc.discover)
    Discover,
    /// Print a shell completion script to stdout (needs no server)
    Completions {
        /// Shell to generate for
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// `hikyaku send`: one message, or a bulk subcommand.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct SendCmd {
    /// `bulk` or `job`; none sends one message.
    #[command(subcommand)]
    pub sub: Option<SendSub>,
    /// The message, when no subcommand is given.
    #[command(flatten)]
    pub single: SendSingleArgs,
}

/// Bulk sending.
#[derive(Debug, Subcommand)]
pub enum SendSub {
    /// Start a bulk job from a template and a recipient file (send.bulk)
    Bulk(BulkArgs),
    /// Progress of a bulk job and a page of its deliveries (send.job)
    Job(JobArgs),
}

/// `hikyaku send ...`: the fields of `send.single`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("recipients").args(["to", "cc", "bcc"]).required(true).multiple(true)))]
pub struct SendSingleArgs {
    /// Header From, `addr` or `Name <addr>` [env: HIKYAKU_FROM] [default: hikyaku@localhost]
    #[arg(long, value_name = "ADDR")]
    pub from: Option<String>,
    /// Recipient shown in To (repeatable)
    #[arg(long, value_name = "ADDR")]
    pub to: Vec<String>,
    /// Recipient shown in Cc (repeatable)
    #[arg(long, value_name = "ADDR")]
    pub cc: Vec<String>,
    /// Hidden recipient (repeatable)
    #[arg(long, value_name = "ADDR")]
    pub bcc: Vec<String>,
    /// Reply-To address
    #[arg(long, value_name = "ADDR")]
    pub reply_to: Option<String>,
    /// Subject
    #[arg(long, short = 's', default_value = "")]
    pub subject: String,
    /// Plain-text body
    #[arg(long, conflicts_with = "text_file")]
    pub text: Option<String>,
    /// Plain-text body from a file (`-`: stdin)
    #[arg(long, value_name = "FILE")]
    pub text_file: Option<PathBuf>,
    /// HTML body
    #[arg(long, conflicts_with = "html_file")]
    pub html: Option<String>,
    /// HTML body from a file (`-`: stdin)
    #[arg(long, value_name = "FILE")]
    pub html_file: Option<PathBuf>,
    /// Attach a file (repeatable); the content type is guessed from the extension
    #[arg(long = "attach", value_name = "PATH")]
    pub attach: Vec<PathBuf>,
    /// Custom header `Name: value` (repeatable)
    #[arg(long = "header", value_name = "NAME: VALUE", value_parser = parse_header)]
    pub headers: Vec<Header>,
    /// Envelope sender (MAIL FROM); the From address when omitted
    #[arg(long, value_name = "ADDR")]
    pub envelope_from: Option<String>,
    /// Tag recorded in the delivery log (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// The same key within 24 h returns the first result and sends nothing new
    #[arg(long, value_name = "KEY")]
    pub idempotency_key: Option<String>,
}

/// `hikyaku send bulk`.
#[derive(Debug, Args)]
pub struct BulkArgs {
    /// JSON file with the send.bulk fields except `recipients` (from, subject, text, html,
    /// headers, reply_to, envelope_from, tags); `from` defaults as for `hikyaku send`
    #[arg(long, value_name = "FILE.json")]
    pub template: PathBuf,
    /// Recipients: CSV with header row `to,<placeholder>...`, JSONL (one object per line) or a
    /// JSON array; objects are `{"to": ..., "values": {...}}` or flat `{"to": ..., "name": ...}`
    #[arg(long, value_name = "FILE")]
    pub recipients: PathBuf,
    /// Format of the recipient file, when its extension does not tell (`-` for stdin)
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub recipients_format: Option<RecipientsFormat>,
    /// Wait for the job to finish, showing progress on stderr (default when stdout is a terminal)
    #[arg(long, conflicts_with = "no_wait")]
    pub wait: bool,
    /// Return as soon as the job is accepted
    #[arg(long)]
    pub no_wait: bool,
}

/// `hikyaku send job`.
#[derive(Debug, Args)]
pub struct JobArgs {
    /// Job id returned by `send bulk`
    pub job_id: String,
    /// First delivery to list (0-based, recipient order)
    #[arg(long, default_value_t = 0)]
    pub offset: u64,
    /// Most deliveries to list (0: progress only; at most 10000)
    #[arg(long, default_value_t = 0)]
    pub limit: u64,
}

/// `hikyaku deliveries ...`.
#[derive(Debug, Subcommand)]
pub enum DeliveriesCmd {
    /// Search the delivery log (deliveries.search)
    Search(SearchArgs),
    /// Export the delivery log as CSV or JSONL, streamed chunk by chunk (deliveries.export)
    Export(ExportArgs),
}

/// Filters shared by `deliveries search` and `deliveries export`.
#[derive(Debug, Clone, Args)]
pub struct DeliveryFilters {
    /// Inclusive start, RFC 3339 (default: 24 hours ago)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Exclusive end, RFC 3339
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Recipient address
    #[arg(long, value_name = "ADDR")]
    pub recipient: Option<String>,
    /// Destination domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Status
    #[arg(long, value_enum)]
    pub status: Option<StatusArg>,
    /// API user (or source IP of unauthenticated SMTP)
    #[arg(long, value_name = "NAME")]
    pub api_user: Option<String>,
    /// The engine's message id
    #[arg(long, value_name = "ID")]
    pub message_id: Option<String>,
    /// Substring of the subject, case-insensitive
    #[arg(long, value_name = "TEXT")]
    pub subject: Option<String>,
}

/// `hikyaku deliveries search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: DeliveryFilters,
    /// Page size, 1-1000 (server default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Continue after this cursor (from the previous page)
    #[arg(long)]
    pub cursor: Option<String>,
    /// Follow next_cursor until every matching record is fetched
    #[arg(long)]
    pub all: bool,
}

/// `hikyaku deliveries export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Csv)]
    pub format: ExportFormatArg,
    /// Filters.
    #[command(flatten)]
    pub filters: DeliveryFilters,
    /// Records per chunk (server default 1000, at most 10000)
    #[arg(long, value_name = "N")]
    pub chunk_size: Option<u32>,
    /// Write to this file instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `hikyaku login`.
#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Account name
    #[arg(long)]
    pub account: String,
    /// Read the password from the first line of stdin (otherwise from env HIKYAKU_PASSWORD)
    #[arg(long)]
    pub password_stdin: bool,
    /// The one-time code of the account's authenticator app (needed once two-factor
    /// authentication is on)
    #[arg(long, value_name = "CODE")]
    pub totp: Option<String>,
}

/// Parses `--header 'Name: value'`.
pub fn parse_header(s: &str) -> Result<Header, String> {
    let Some((name, value)) = s.split_once(':') else {
        return Err(format!("{s:?} is not `Name: value` (no colon)"));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("{s:?} has an empty header name"));
    }
    if let Some(c) = name.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(format!("header name {name:?} contains {c:?}"));
    }
    Ok(Header {
        name: name.to_string(),
        value: value.trim().to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn header_flag_parsing() {
        let h = parse_header("X-Campaign: spring 2026").unwrap();
        assert_eq!(
            (h.name.as_str(), h.value.as_str()),
            ("X-Campaign", "spring 2026")
        );
        // Only the first colon separates; the value keeps the rest, trimmed.
        let h = parse_header("List-Unsubscribe:  <mailto:u@example.com>  ").unwrap();
        assert_eq!(h.name, "List-Unsubscribe");
        assert_eq!(h.value, "<mailto:u@example.com>");
        let h = parse_header("X-Empty:").unwrap();
        assert_eq!(h.value, "");
        assert!(parse_header("no colon here").is_err());
        assert!(parse_header(": value").is_err());
        assert!(parse_header("Bad Name: v").is_err());
    }

    #[test]
    fn send_requires_a_recipient_unless_subcommand() {
        let e = Cli::try_parse_from(["hikyaku", "send", "--subject", "x"]).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        let cli = Cli::try_parse_from(["hikyaku", "send", "--cc", "a@example.com"]).unwrap();
        assert!(matches!(
            cli.command,
            Command::Send(SendCmd { sub: None, .. })
        ));
        let cli = Cli::try_parse_from(["hikyaku", "send", "job", "j1", "--json"]).unwrap();
        assert!(cli.global.json);
        assert!(matches!(
            cli.command,
            Command::Send(SendCmd {
                sub: Some(SendSub::Job(_)),
                ..
            })
        ));
        let cli = Cli::try_parse_from([
            "hikyaku",
            "send",
            "bulk",
            "--template",
            "t.json",
            "--recipients",
            "r.csv",
        ])
        .unwrap();
        assert!(matches!(
            cli.command,
            Command::Send(SendCmd {
                sub: Some(SendSub::Bulk(_)),
                ..
            })
        ));
    }

    #[test]
    fn repeatable_flags_and_conflicts() {
        let cli = Cli::try_parse_from([
            "hikyaku", "send", "--to", "a@x.org", "--to", "b@x.org", "--header", "X-A: 1",
            "--header", "X-B: 2", "--tag", "t1", "--tag", "t2",
        ])
        .unwrap();
        let Command::Send(SendCmd { single, .. }) = cli.command else {
            panic!("not send")
        };
        assert_eq!(single.to, ["a@x.org", "b@x.org"]);
        assert_eq!(single.headers.len(), 2);
        assert_eq!(single.tags, ["t1", "t2"]);
        assert!(Cli::try_parse_from([
            "hikyaku",
            "send",
            "--to",
            "a@x.org",
            "--text",
            "x",
            "--text-file",
            "f"
        ])
        .is_err());
        assert!(
            Cli::try_parse_from(["hikyaku", "send", "--to", "a@x.org", "--header", "nocolon"])
                .is_err()
        );
        assert!(Cli::try_parse_from([
            "hikyaku",
            "queue",
            "force-send",
            "--domain",
            "d",
            "--delivery-id",
            "i"
        ])
        .is_err());
        assert!(Cli::try_parse_from(["hikyaku", "blocks", "add"]).is_err());
        assert!(Cli::try_parse_from(["hikyaku", "blocks", "add", "--file", "f"]).is_ok());
        assert!(
            Cli::try_parse_from(["hikyaku", "stats", "daily", "--group-by", "api-user"]).is_ok()
        );
        assert!(Cli::try_parse_from([
            "hikyaku",
            "users",
            "add-account",
            "n",
            "--role",
            "report-viewer"
        ])
        .is_ok());
    }
}
