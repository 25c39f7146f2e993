//! The administrative part of the command tree: blocks, stats, queue, settings, users, system.

use std::path::PathBuf;

use clap::{Args, Subcommand};

use crate::args_enums::{GroupByArg, ListArg, RoleArg};

/// `hikyaku blocks ...`.
#[derive(Debug, Subcommand)]
pub enum BlocksCmd {
    /// List a suppression list (blocks.list)
    List(BlocksListArgs),
    /// Add addresses (blocks.add)
    Add(BlocksAddArgs),
    /// Remove addresses (blocks.remove)
    Remove(BlockAddresses),
}

/// `hikyaku blocks list`.
#[derive(Debug, Args)]
pub struct BlocksListArgs {
    /// Which list
    #[arg(long, value_enum, default_value_t)]
    pub list: ListArg,
    /// Only addresses containing this text
    #[arg(long, value_name = "TEXT")]
    pub contains: Option<String>,
    /// Page size, 1-1000 (server default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Continue after this cursor
    #[arg(long)]
    pub cursor: Option<String>,
    /// Follow next_cursor until the whole list is fetched
    #[arg(long)]
    pub all: bool,
}

/// Addresses to add or remove, from the command line and/or a file.
#[derive(Debug, Args)]
pub struct BlockAddresses {
    /// Which list
    #[arg(long, value_enum, default_value_t)]
    pub list: ListArg,
    /// Addresses
    #[arg(value_name = "ADDRESS", required_unless_present = "file")]
    pub addresses: Vec<String>,
    /// File with one address per line (`-`: stdin; blank lines and `#` comments skipped)
    #[arg(long, short = 'f', value_name = "FILE")]
    pub file: Option<PathBuf>,
}

/// `hikyaku blocks add`.
#[derive(Debug, Args)]
pub struct BlocksAddArgs {
    /// The addresses.
    #[command(flatten)]
    pub addresses: BlockAddresses,
    /// Reason recorded with the entries
    #[arg(long)]
    pub reason: Option<String>,
}

/// `hikyaku stats ...`.
#[derive(Debug, Subcommand)]
pub enum StatsCmd {
    /// Daily counts per status (stats.daily)
    Daily(DailyArgs),
    /// Failures per error status, overall and per domain (stats.errors)
    Errors(ErrorsArgs),
}

/// `hikyaku stats errors`.
#[derive(Debug, Args)]
pub struct ErrorsArgs {
    /// Inclusive start, RFC 3339 (default: 7 days before --until)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Exclusive end, RFC 3339 (default: now)
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Only this destination domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Only this API user
    #[arg(long, value_name = "NAME")]
    pub api_user: Option<String>,
}

/// `hikyaku bounces ...`.
#[derive(Debug, Subcommand)]
pub enum BouncesCmd {
    /// Search the error log (bounces.search)
    Search(BounceSearchArgs),
    /// Export the error log as CSV or JSONL, streamed chunk by chunk (bounces.export)
    Export(BounceExportArgs),
}

/// Filters of the error log.
#[derive(Debug, Clone, Args)]
pub struct BounceFilters {
    /// Inclusive start, RFC 3339 (default: 24 hours ago)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Exclusive end, RFC 3339
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// Failed recipient
    #[arg(long, value_name = "ADDR")]
    pub recipient: Option<String>,
    /// Recipient domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Error status (1-11, 99)
    #[arg(long, value_name = "N")]
    pub error_status: Option<u8>,
    /// API user of the matched delivery
    #[arg(long, value_name = "NAME")]
    pub api_user: Option<String>,
    /// The engine's message id
    #[arg(long, value_name = "ID")]
    pub message_id: Option<String>,
    /// Only failures of our own delivery attempts (smtp) or of received bounces (bounce)
    #[arg(long, value_parser = ["smtp", "bounce"])]
    pub source: Option<String>,
}

/// `hikyaku bounces search`.
#[derive(Debug, Args)]
pub struct BounceSearchArgs {
    /// Filters.
    #[command(flatten)]
    pub filters: BounceFilters,
    /// Page size, 1-1000 (server default 100)
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
    /// Continue after this cursor (from the previous page)
    #[arg(long)]
    pub cursor: Option<String>,
}

/// `hikyaku bounces export`.
#[derive(Debug, Args)]
pub struct BounceExportArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = crate::args_enums::ExportFormatArg::Csv)]
    pub format: crate::args_enums::ExportFormatArg,
    /// Filters.
    #[command(flatten)]
    pub filters: BounceFilters,
    /// Records per chunk (server default 1000, at most 10000)
    #[arg(long, value_name = "N")]
    pub chunk_size: Option<u32>,
}

/// `hikyaku bounce ...` (offline).
#[derive(Debug, Subcommand)]
pub enum BounceCmd {
    /// Parse bounce messages and print each failed recipient and a summary per kind and status
    Parse {
        /// Message files, mbox files, Maildirs or folders of them, read with their subfolders (`-`
        /// for standard input)
        #[arg(required = true)]
        files: Vec<std::path::PathBuf>,
    },
}

/// `hikyaku stats daily`.
#[derive(Debug, Args)]
pub struct DailyArgs {
    /// First day, YYYY-MM-DD (default: 6 days before --to)
    #[arg(long, value_name = "DAY")]
    pub from: Option<String>,
    /// Last day, inclusive (default: today)
    #[arg(long, value_name = "DAY")]
    pub to: Option<String>,
    /// IANA time zone (Asia/Tokyo) or offset (+09:00); default UTC
    #[arg(long, value_name = "TZ")]
    pub time_zone: Option<String>,
    /// Split rows by API user or domain
    #[arg(long, value_enum, default_value_t)]
    pub group_by: GroupByArg,
    /// Only this API user
    #[arg(long, value_name = "NAME")]
    pub api_user: Option<String>,
    /// Only this destination domain
    #[arg(long)]
    pub domain: Option<String>,
}

/// `hikyaku queue ...`.
#[derive(Debug, Subcommand)]
pub enum QueueCmd {
    /// Queued and deferred counts per destination domain (queue.summary)
    Summary {
        /// Only this domain
        #[arg(long)]
        domain: Option<String>,
        /// Most domains listed, largest queue first (server default 100)
        #[arg(long, value_name = "N")]
        limit: Option<u32>,
    },
    /// Retry deferred entries now: all, one domain, or one delivery (queue.force_send)
    ForceSend {
        /// Only this domain
        #[arg(long, conflicts_with = "delivery_id")]
        domain: Option<String>,
        /// Only this delivery
        #[arg(long, value_name = "ID")]
        delivery_id: Option<String>,
    },
}

/// `hikyaku settings ...`.
#[derive(Debug, Subcommand)]
pub enum SettingsCmd {
    /// Print the applied settings, or the draft (settings.get)
    Get {
        /// The draft instead of the applied settings
        #[arg(long)]
        draft: bool,
    },
    /// Replace the draft with a JSON file, or merge-patch it (settings.set)
    Set {
        /// JSON file (`-`: stdin)
        #[arg(value_name = "FILE.json")]
        file: PathBuf,
        /// Merge into the draft (RFC 7386) instead of replacing it
        #[arg(long)]
        merge: bool,
    },
    /// Validate the draft; exits 1 when it is not valid (settings.validate)
    Validate,
    /// Keys that differ between applied and draft (settings.diff)
    Diff,
    /// Apply the draft on every shard (settings.apply)
    Apply,
    /// Re-apply the previously applied version (settings.rollback)
    Rollback,
}

/// `hikyaku users ...`.
#[derive(Debug, Subcommand)]
pub enum UsersCmd {
    /// API users and accounts (users.list)
    List,
    /// Create an API user and print its API key, shown once (users.add_api_user)
    AddApiUser {
        /// Name: letters, digits, `.`, `_`, `-`, `@`
        name: String,
        /// Read an SMTP AUTH password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
        /// Without the sending right
        #[arg(long)]
        no_send: bool,
        /// Without the transactional-API right
        #[arg(long)]
        no_transactional: bool,
    },
    /// Create an account with a role (users.add_account)
    ///
    /// The password comes from the first line of stdin (--password-stdin) or from env
    /// HIKYAKU_NEW_PASSWORD.
    AddAccount {
        /// Name: letters, digits, `.`, `_`, `-`, `@`
        name: String,
        /// Role
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Read the password from the first line of stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// Delete an API user or an account (users.remove)
    Remove {
        /// Name
        name: String,
    },
    /// Unlock an account locked by failed logins (users.unlock)
    Unlock {
        /// Account name
        name: String,
    },
    /// Give an account a one-time password, shown once; its next login must change it
    /// (users.reset_password)
    ResetPassword {
        /// Account name
        name: String,
    },
    /// Issue a new API key; the old one stops working (users.rotate_key)
    RotateKey {
        /// API user name
        name: String,
    },
    /// Change the calling account's password (users.change_password)
    ///
    /// The passwords come from the first two lines of stdin (--password-stdin: current, then
    /// new) or from env HIKYAKU_PASSWORD (current) and HIKYAKU_NEW_PASSWORD (new).
    ChangePassword {
        /// Read the current password, then the new one, from the first two lines of stdin
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set the calling account's language (the CLI's messages) and time zone (report days,
    /// graphs and prohibited hours written without one) (users.update_me)
    UpdateMe {
        /// ja or en
        #[arg(long, value_enum)]
        language: Option<crate::i18n::Lang>,
        /// IANA time zone (Asia/Tokyo), an offset (+09:00) or UTC
        #[arg(long, value_name = "TZ")]
        time_zone: Option<String>,
    },
    /// Start two-factor authentication for the calling account: prints the key as a QR code
    /// for an authenticator app, then confirm with totp-confirm (users.totp_enroll)
    TotpEnroll,
    /// Turn two-factor authentication on with a code from the app (users.totp_confirm)
    TotpConfirm {
        /// The 6-digit code the app shows now
        code: String,
    },
    /// Issue a new TOTP key for an account (lost authenticator); two-factor stays off until
    /// the account confirms the new key (users.totp_reissue)
    TotpReissue {
        /// Account name
        name: String,
    },
}

/// `hikyaku system ...`.
#[derive(Debug, Subcommand)]
pub enum SystemCmd {
    /// Version, mode, shards, uptime and settings version (system.status)
    Status,
}
