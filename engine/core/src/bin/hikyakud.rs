//! `hikyakud`: the hikyaku daemon, plus offline maintenance subcommands.
//!
//! With no arguments it runs on the embedded default configuration (sandbox mode, data in
//! `./data`, relay on 127.0.0.1:2525). Flags override the config file, which overrides defaults.

use std::io::{BufRead, IsTerminal, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand};
use hikyaku_engine::config::Config;
use hikyaku_engine::storage::log_index::{self, LogQuery};
use hikyaku_engine::storage::{Cf, DeliveryStatus, QueueEntry, Store};

#[derive(Parser)]
#[command(name = "hikyakud", version, about = "hikyaku mail delivery engine")]
struct Cli {
    #[command(flatten)]
    overrides: Overrides,
    /// Diagnostic log format on standard error: `text` (coloured only on a terminal) or
    /// `json` (one object per line, for log shippers such as journald or Vector).
    #[arg(long, global = true, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Settings that override the config file.
#[derive(Args)]
struct Overrides {
    /// TOML configuration file (default: the embedded defaults).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Data directory (spool, TLS certificate).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Relay (submission) listener address.
    #[arg(long)]
    relay_listen: Option<SocketAddr>,
    /// Receiving (bounce/inbound) listener address.
    #[arg(long)]
    receive_listen: Option<SocketAddr>,
    /// JSON-RPC listener address.
    #[arg(long)]
    rpc_listen: Option<SocketAddr>,
    /// One-click unsubscribe (HTTPS) listener address.
    #[arg(long)]
    unsubscribe_listen: Option<SocketAddr>,
    /// Web console (HTTPS) listener address.
    #[arg(long)]
    console_listen: Option<SocketAddr>,
    /// Number of shards (0 = one per CPU).
    #[arg(long)]
    shards: Option<usize>,
    /// Force sandbox mode on.
    #[arg(long, conflicts_with = "no_sandbox")]
    sandbox: bool,
    /// Force sandbox mode off.
    #[arg(long)]
    no_sandbox: bool,
    /// Send all mail to this relay (HOST:PORT) instead of looking up MX records; the same as
    /// `[delivery] smart_host`. Per-domain transports still win.
    #[arg(long, value_name = "HOST:PORT")]
    smart_host: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the engine (the default).
    Run,
    /// Manage API users (offline: stop the daemon first).
    #[command(subcommand)]
    User(UserCommand),
    /// Inspect the queue (read-only; works while the daemon runs).
    #[command(subcommand)]
    Queue(QueueCommand),
    /// Search the delivery log (read-only; works while the daemon runs).
    #[command(subcommand)]
    Log(LogCommand),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Bounce analysis helpers (offline).
    #[command(subcommand)]
    Bounce(BounceCommand),
    /// Measure this machine and derive settings from it.
    #[command(subcommand)]
    Tune(TuneCommand),
}

#[derive(Subcommand)]
enum TuneCommand {
    /// Measure CPUs, memory, limits, io_uring and fdatasync on the data directory's disk.
    Probe {
        /// The figures as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write a commented configuration, sysctl and limits files for a goal, from a probe.
    Config {
        /// What to optimise for.
        #[arg(long, value_enum)]
        profile: hikyaku_engine::tune::Profile,
        /// Directory for hikyaku-<profile>.toml, sysctl-hikyaku.conf and limits-hikyaku.conf
        /// (default: print the configuration only).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum BounceCommand {
    /// Parse bounce messages and print one result per failed recipient.
    Parse {
        /// Message files, mbox files, Maildirs or folders of them (`-` reads standard input).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an API user; the password is read from the first line of stdin.
    Add {
        /// User name (letters, digits, '.', '_', '-', '@').
        name: String,
    },
    /// List API users.
    List,
}

#[derive(Subcommand)]
enum QueueCommand {
    /// Print every queued recipient.
    List {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the deliveries found damaged in the spool (never sent, recorded failed).
    Damaged {
        /// One JSON object per line instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum LogCommand {
    /// Print delivery-log records, oldest first.
    Search {
        /// Recipient address (case-insensitive).
        #[arg(long)]
        recipient: Option<String>,
        /// Destination domain.
        #[arg(long)]
        domain: Option<String>,
        /// Status: queued, succeeded, failed or deferred.
        #[arg(long)]
        status: Option<String>,
        /// API user or source IP.
        #[arg(long)]
        submitter: Option<String>,
        /// Our message id (hex).
        #[arg(long)]
        message_id: Option<String>,
        /// Subject substring.
        #[arg(long)]
        subject: Option<String>,
        /// Only records from the last N hours (default: all retained).
        #[arg(long)]
        hours: Option<u64>,
        /// Most records printed.
        #[arg(long, default_value_t = 1000)]
        limit: usize,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate the configuration and print it as TOML with all defaults filled in.
    Check,
}

impl Overrides {
    fn load(&self) -> Result<Config> {
        let mut config = Config::load(self.config.as_deref())?;
        if let Some(d) = &self.data_dir {
            config.data_dir = d.clone();
        }
        if let Some(a) = self.relay_listen {
            config.relay.listen = a;
        }
        if let Some(a) = self.receive_listen {
            config.receive.listen = a;
        }
        if let Some(a) = self.rpc_listen {
            config.rpc.listen = a;
        }
        if let Some(a) = self.unsubscribe_listen {
            config.unsubscribe.listen = a;
        }
        if let Some(a) = self.console_listen {
            config.console.listen = a;
        }
        if let Some(n) = self.shards {
            config.shards = n;
        }
        if self.sandbox {
            config.sandbox = true;
        }
        if self.no_sandbox {
            config.sandbox = false;
        }
        if let Some(h) = &self.smart_host {
            config.delivery.smart_host = Some(h.clone());
        }
        config.validate()?;
        Ok(config)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hikyakud: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Diagnostics go to standard error. Colour codes only when it is a terminal (and `NO_COLOR` is
/// unset): in a file or journald they are noise that breaks grep and log parsers.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .init(),
        LogFormat::Text => {
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            builder.with_ansi(colour).init();
        }
    }
}

fn dispatch(cli: Cli) -> Result<()> {
    if let Some(Command::Bounce(BounceCommand::Parse { files, json })) = &cli.command {
        // Offline analysis needs no configuration at all.
        return bounce_parse(files, *json);
    }
    let config = cli.overrides.load()?;
    if let Some(Command::Tune(cmd)) = &cli.command {
        return tune(&config, cmd);
    }
    match cli.command.unwrap_or(Command::Run) {
        Command::Run => {
            tracing::info!(
                data_dir = %config.data_dir.display(),
                relay = %config.relay.listen,
                sandbox = config.sandbox,
                shards = config.effective_shards(),
                "starting hikyakud"
            );
            hikyaku_engine::runtime::run(config)?;
            Ok(())
        }
        Command::User(UserCommand::Add { name }) => {
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .context("reading the password from stdin")?;
            let password = password.trim_end_matches(['\r', '\n']);
            if password.is_empty() {
                bail!("no password on stdin (pipe it in: echo 'secret' | hikyakud user add NAME)");
            }
            let store = Store::open(&config.data_dir, &config.storage)?;
            hikyaku_engine::users::add_user(
                &store,
                &name,
                password,
                hikyaku_engine::clock::now_ms(),
            )?;
            println!("user {name} created");
            Ok(())
        }
        Command::User(UserCommand::List) => {
            let store = Store::open(&config.data_dir, &config.storage)?;
            for user in hikyaku_engine::users::list_users(&store)? {
                println!("{}", user.name);
            }
            Ok(())
        }
        Command::Queue(QueueCommand::List { json }) => queue_list(&config, json),
        Command::Queue(QueueCommand::Damaged { json }) => {
            let store = Store::open_read_only(&config.data_dir)
                .with_context(|| format!("opening the spool in {}", config.data_dir.display()))?;
            let damaged = hikyaku_engine::storage::spool::damaged(&store)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for d in &damaged {
                if json {
                    writeln!(out, "{}", serde_json::to_string(d)?)?;
                } else {
                    writeln!(
                        out,
                        "{}  {}  {}  {}",
                        hikyaku_engine::intake::rfc5322_date(d.time_ms),
                        d.delivery_id,
                        d.domain,
                        d.reason
                    )?;
                }
            }
            if !json {
                writeln!(out, "{} damaged deliver(y/ies)", damaged.len())?;
            }
            Ok(())
        }
        Command::Log(LogCommand::Search {
            recipient,
            domain,
            status,
            submitter,
            message_id,
            subject,
            hours,
            limit,
            json,
        }) => {
            let status = match status.as_deref() {
                None => None,
                Some(s) => Some(
                    serde_json::from_value::<DeliveryStatus>(serde_json::Value::String(
                        s.to_string(),
                    ))
                    .map_err(|_| {
                        anyhow::anyhow!(
                            "--status: expected queued, succeeded, failed or deferred, got {s:?}"
                        )
                    })?,
                ),
            };
            let now = hikyaku_engine::clock::now_ms();
            let query = LogQuery {
                from_ms: hours.map_or(0, |h| now.saturating_sub(h * 3_600_000)),
                to_ms: now + 60_000,
                recipient,
                domain,
                status,
                submitter,
                message_id,
                subject_contains: subject,
                limit,
                after: None,
            };
            let store = Store::open_read_only(&config.data_dir)
                .with_context(|| format!("opening the spool in {}", config.data_dir.display()))?;
            let (records, corrupt) = log_index::search(&store, &query)?;
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for r in &records {
                if json {
                    writeln!(out, "{}", serde_json::to_string(r)?)?;
                } else {
                    writeln!(
                        out,
                        "{}  {}  {:<9}  {:>3}  {}  {}",
                        hikyaku_engine::intake::rfc5322_date(r.time_ms),
                        r.delivery_id,
                        format!("{:?}", r.status).to_lowercase(),
                        r.error_status.map(|e| e.to_string()).unwrap_or_default(),
                        r.recipient,
                        r.smtp_reply.as_deref().unwrap_or("")
                    )?;
                }
            }
            if corrupt > 0 {
                bail!("{corrupt} delivery-log record(s) could not be decoded");
            }
            Ok(())
        }
        Command::Bounce(BounceCommand::Parse { files, json }) => bounce_parse(&files, json),
        Command::Tune(cmd) => tune(&config, &cmd),
        Command::Config(ConfigCommand::Check) => {
            print!(
                "{}",
                toml::to_string(&config).context("rendering the configuration")?
            );
            Ok(())
        }
    }
}

fn queue_list(config: &Config, json: bool) -> Result<()> {
    let store = Store::open_read_only(&config.data_dir)
        .with_context(|| format!("opening the spool in {}", config.data_dir.display()))?;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let mut count = 0usize;
    let mut bad = 0usize;
    let mut write_err = None;
    store.scan(Cf::Queue, b"", None, |_, value| {
        match serde_json::from_slice::<QueueEntry>(value) {
            Ok(entry) => {
                count += 1;
                let line = if json {
                    serde_json::to_string(&entry).unwrap_or_default()
                } else {
                    format!(
                        "{}  {}  {}  {}",
                        entry.delivery_id, entry.message_id, entry.domain, entry.recipient
                    )
                };
                if let Err(e) = writeln!(out, "{line}") {
                    write_err = Some(e);
                    return false;
                }
            }
            Err(_) => bad += 1,
        }
        true
    })?;
    if let Some(e) = write_err {
        return Err(e.into());
    }
    if !json {
        writeln!(out, "{count} queued recipient(s)")?;
    }
    if bad > 0 {
        bail!("{bad} queue record(s) could not be decoded");
    }
    Ok(())
}

/// Each message of each path (a file, an mbox, a Maildir or a folder: split as `hikyaku bounce
/// parse` splits them), one line per failed recipient or notice.
fn bounce_parse(files: &[PathBuf], json: bool) -> Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for file in files {
        let name = file.display().to_string();
        let messages = if name == "-" {
            let mut buf = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin().lock(), &mut buf)
                .context("reading standard input")?;
            hikyaku_bounce::mailbox::named(&name, buf)
        } else {
            hikyaku_bounce::mailbox::messages(file).with_context(|| format!("reading {name}"))?
        };
        if messages.is_empty() {
            eprintln!("hikyakud: no message found in {name}");
        }
        for (name, raw) in messages {
            if json {
                for row in hikyaku_bounce::cli_rows(&name, &raw) {
                    writeln!(out, "{row}")?;
                }
            } else {
                for line in hikyaku_bounce::human_lines(&name, &raw) {
                    writeln!(out, "{line}")?;
                }
            }
        }
    }
    Ok(())
}

fn tune(config: &Config, cmd: &TuneCommand) -> Result<()> {
    use hikyaku_engine::tune;
    eprintln!(
        "probing (about 2 s of fdatasync on {}) ...",
        config.data_dir.display()
    );
    let probe = tune::probe::run(&config.data_dir, hikyaku_engine::runtime::io_uring_check())
        .with_context(|| format!("probing {}", config.data_dir.display()))?;
    match cmd {
        TuneCommand::Probe { json } => {
            if *json {
                let mut v = serde_json::to_value(&probe)?;
                v["io_uring"] = match &probe.io_uring {
                    Ok(()) => serde_json::json!("works"),
                    Err(e) => serde_json::json!(e),
                };
                println!("{v}");
            } else {
                print!("{}", tune::render(&probe));
            }
        }
        TuneCommand::Config { profile, out } => {
            let toml = tune::profile::config_toml(&probe, *profile);
            match out {
                None => print!("{toml}"),
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                    let name = format!(
                        "hikyaku-{}.toml",
                        clap::ValueEnum::to_possible_value(profile)
                            .map_or("profile".to_string(), |v| v.get_name().to_string())
                    );
                    for (file, text) in [
                        (name.as_str(), toml),
                        (
                            "sysctl-hikyaku.conf",
                            tune::profile::sysctl(&probe, *profile),
                        ),
                        ("limits-hikyaku.conf", tune::profile::limits()),
                    ] {
                        let path = dir.join(file);
                        std::fs::write(&path, text)
                            .with_context(|| format!("writing {}", path.display()))?;
                        println!("{}", path.display());
                    }
                }
            }
        }
    }
    Ok(())
}
