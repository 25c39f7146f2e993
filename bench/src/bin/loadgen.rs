//! `hikyaku-loadgen`: an SMTP load generator that sends a bounded number of messages
//! over N concurrent sessions and reports throughput and accept latency.

use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Result;
use clap::Parser;
use hikyaku_bench::loadgen::{self, Config};

/// SMTP load generator (blocking sockets, one thread per session).
#[derive(Debug, Parser)]
#[command(name = "hikyaku-loadgen", version)]
struct Args {
    /// Server to send to, HOST:PORT.
    #[arg(long, default_value = "127.0.0.1:25")]
    target: String,
    /// Concurrent sessions.
    #[arg(long, default_value_t = 20)]
    connections: usize,
    /// Messages to send in total; the run stops when all are done.
    #[arg(long, default_value_t = 10_000)]
    messages: u64,
    /// Body payload bytes per message (headers come on top, about 250 bytes).
    #[arg(long, default_value_t = 1024)]
    size: usize,
    /// Recipients per message.
    #[arg(long, default_value_t = 1)]
    rcpts: usize,
    /// Spread recipients over N domains dN.bench.test.
    #[arg(long, default_value_t = 1)]
    domains: usize,
    /// Pipeline MAIL+RCPT+DATA in one write when offered (RFC 2920; the default).
    #[arg(long, overrides_with = "no_pipelining")]
    pipelining: bool,
    /// Send one command per round trip.
    #[arg(long)]
    no_pipelining: bool,
    /// Reuse each session for many messages (the default).
    #[arg(long, overrides_with = "per_message")]
    reuse: bool,
    /// Open one connection per message.
    #[arg(long)]
    per_message: bool,
    /// Name sent in EHLO.
    #[arg(long, default_value = "loadgen.bench.test")]
    ehlo: String,
    /// Envelope sender.
    #[arg(long, default_value = "loadgen@bench.test")]
    from: String,
    /// Local part prefix of recipients (PREFIX<seq>.<n>@dK.bench.test).
    #[arg(long, default_value = "user")]
    rcpt_prefix: String,
    /// Parent domain of the recipient domains (PREFIX<seq>.<n>@dK.<RCPT_DOMAIN>).
    #[arg(long, default_value = "bench.test")]
    rcpt_domain: String,
    /// Socket timeout in seconds (connect, each read, each write).
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Consecutive connection failures tolerated per session thread.
    #[arg(long, default_value_t = 5)]
    retries: u32,
    /// Print the summary as one JSON line instead of text.
    #[arg(long)]
    json: bool,
    /// Write the Message-ID of every accepted message here, one per line.
    #[arg(long)]
    ids_file: Option<PathBuf>,
    /// Run id used in Message-IDs (default: derived from time and pid).
    #[arg(long)]
    run_id: Option<String>,
    /// Open loop: offered load in messages per second over all connections (default: closed
    /// loop, as fast as the server answers). Use it to measure accept latency below saturation.
    #[arg(long)]
    rate: Option<f64>,
}

fn main() -> Result<()> {
    let a = Args::parse();
    let run_id = a.run_id.unwrap_or_else(|| {
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        format!("{:x}{:04x}", t.as_millis(), std::process::id() & 0xffff)
    });
    anyhow::ensure!(a.rcpts >= 1, "--rcpts must be at least 1");
    let cfg = Config {
        target: Config::resolve(&a.target)?,
        connections: a.connections.max(1),
        messages: a.messages,
        size: a.size,
        rcpts: a.rcpts,
        domains: a.domains.max(1),
        pipelining: !a.no_pipelining,
        reuse: !a.per_message,
        ehlo: a.ehlo,
        from: a.from,
        rcpt_prefix: a.rcpt_prefix,
        rcpt_domain: a.rcpt_domain,
        timeout: Duration::from_secs(a.timeout.max(1)),
        retries: a.retries,
        run_id,
        rate: a.rate,
    };
    let report = loadgen::run(cfg, a.ids_file.is_some())?;
    if let Some(p) = &a.ids_file {
        report.write_ids(p)?;
    }
    if a.json {
        println!("{}", report.json());
    } else {
        print!("{}", report.text());
    }
    // Nothing accepted at all is a failed run; partial rejections are data, not failure.
    if report.accepted == 0 && a.messages > 0 {
        std::process::exit(1);
    }
    Ok(())
}
