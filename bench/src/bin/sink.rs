//! `hikyaku-sink`: a fast SMTP sink that accepts everything (or what `--reply-rcpt`
//! rules let through), counts it and prints one JSON stats line on exit.

use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use hikyaku_bench::sink::{RcptRule, SessionConfig, Sink, SinkConfig};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// SMTP sink for end-to-end tests and benchmarks.
#[derive(Debug, Parser)]
#[command(name = "hikyaku-sink", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2600")]
    listen: String,
    /// Host name in the greeting and EHLO reply.
    #[arg(long, default_value = "sink.bench.test")]
    hostname: String,
    /// SIZE limit advertised in EHLO (not enforced).
    #[arg(long, default_value_t = 52_428_800)]
    max_size: u64,
    /// Append each received Message-ID (one per line, flushed per message).
    #[arg(long)]
    ids_file: Option<PathBuf>,
    /// Simulated RCPT reply by local-part prefix, e.g. 'nouser=550 5.1.1 no such user'
    /// (repeatable; first match wins).
    #[arg(long, value_parser = RcptRule::parse)]
    reply_rcpt: Vec<RcptRule>,
    /// Sleep this long before answering each end of data.
    #[arg(long, default_value_t = 0)]
    delay_ms: u64,
    /// Do not offer CHUNKING (BDAT), so clients must use DATA.
    #[arg(long)]
    no_chunking: bool,
    /// Print stats and exit after this many messages (0 = run until SIGTERM/SIGINT).
    #[arg(long, default_value_t = 0)]
    exit_after: u64,
}

fn main() -> Result<()> {
    let a = Args::parse();
    let cfg = SinkConfig {
        session: SessionConfig {
            hostname: a.hostname,
            max_size: a.max_size,
            rcpt_rules: a.reply_rcpt,
            capture_ids: false,
            chunking: !a.no_chunking,
        },
        delay: Duration::from_millis(a.delay_ms),
        exit_after: a.exit_after,
    };
    let sink = Sink::new(cfg, a.ids_file.as_deref())?;
    let listener = TcpListener::bind(&a.listen).with_context(|| format!("binding {}", a.listen))?;
    eprintln!("hikyaku-sink: listening on {}", listener.local_addr()?);
    let mut signals = Signals::new([SIGTERM, SIGINT]).context("installing signal handlers")?;
    let on_signal = Arc::clone(&sink);
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            on_signal.finish();
        }
    });
    sink.serve(listener)
}
