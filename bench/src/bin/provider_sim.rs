//! `hikyaku-provider-sim`: a simulated large mailbox provider on loopback (several listening
//! addresses as its MX hosts) that rate-limits, blocks and refuses unknown users per source
//! IP, and writes a JSON summary (every second to `--stats-file`, and on stdout at exit).

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Parser;
use hikyaku_bench::provider_sim::{Limits, ProviderSim, SimConfig};
use hikyaku_bench::sink::{RcptRule, SessionConfig};
use signal_hook::consts::{SIGINT, SIGTERM};
use signal_hook::iterator::Signals;

/// Simulated mailbox provider for shaping benchmarks.
#[derive(Debug, Parser)]
#[command(name = "hikyaku-provider-sim", version)]
struct Args {
    /// Address to listen on (repeatable: one per simulated MX host, e.g. 127.0.2.1:2700).
    #[arg(long, required = true)]
    listen: Vec<String>,
    /// Host name in the greeting and EHLO reply.
    #[arg(long, default_value = "mx.provider-sim.test")]
    hostname: String,
    /// Messages accepted per source IP per window (0: throttle every MAIL).
    #[arg(long, default_value_t = 3000)]
    rate: u32,
    /// The window of --rate, seconds.
    #[arg(long, default_value_t = 60.0)]
    window_secs: f64,
    /// Messages a source IP may send back to back (the token bucket's size; default: five
    /// seconds' worth of --rate, at least 1).
    #[arg(long)]
    burst: Option<u32>,
    /// Block a source IP that draws more than this many throttle replies within
    /// --block-window-secs.
    #[arg(long, default_value_t = 50)]
    block_after: u32,
    /// The window of --block-after, seconds.
    #[arg(long, default_value_t = 60.0)]
    block_window_secs: f64,
    /// How long a block lasts, seconds (0: never block).
    #[arg(long, default_value_t = 60.0)]
    block_secs: f64,
    /// Simultaneous connections per source IP.
    #[arg(long, default_value_t = 30)]
    max_connections: u32,
    /// Recipients whose local part starts with this get 550 5.1.1 (empty: none).
    #[arg(long, default_value = "unknown")]
    unknown_prefix: String,
    /// Do not offer CHUNKING (BDAT).
    #[arg(long)]
    no_chunking: bool,
    /// Rewrite the JSON summary here every second (and at exit).
    #[arg(long)]
    stats_file: Option<PathBuf>,
}

fn secs(name: &str, v: f64) -> Result<Duration> {
    Duration::try_from_secs_f64(v).with_context(|| format!("--{name}: {v} is not a duration"))
}

fn main() -> Result<()> {
    let a = Args::parse();
    let window = secs("window-secs", a.window_secs)?;
    let five_secs = (f64::from(a.rate) * 5.0 / a.window_secs.max(1e-9)).ceil();
    let burst = a
        .burst
        .unwrap_or_else(|| five_secs.clamp(1.0, f64::from(u32::MAX)) as u32);
    let mut rcpt_rules = Vec::new();
    if !a.unknown_prefix.is_empty() {
        rcpt_rules.push(RcptRule {
            prefix: a.unknown_prefix.clone(),
            reply:
                "550 5.1.1 The email account that you tried to reach does not exist (user unknown)"
                    .to_string(),
        });
    }
    let cfg = SimConfig {
        limits: Limits {
            rate: a.rate,
            window,
            burst,
            block_after: a.block_after,
            block_window: secs("block-window-secs", a.block_window_secs)?,
            block_for: secs("block-secs", a.block_secs)?,
            max_connections: a.max_connections,
        },
        session: SessionConfig {
            hostname: a.hostname,
            max_size: 52_428_800,
            rcpt_rules,
            capture_ids: false,
            chunking: !a.no_chunking,
        },
        stats_file: a.stats_file,
    };
    let sim = ProviderSim::new(cfg)?;
    for addr in &a.listen {
        let listener = TcpListener::bind(addr).with_context(|| format!("binding {addr}"))?;
        eprintln!(
            "hikyaku-provider-sim: listening on {}",
            listener.local_addr()?
        );
        sim.spawn_listener(listener)?;
    }
    let mut signals = Signals::new([SIGTERM, SIGINT]).context("installing signal handlers")?;
    let writer = std::sync::Arc::clone(&sim);
    std::thread::spawn(move || loop {
        std::thread::sleep(Duration::from_secs(1));
        if let Err(e) = writer.write_stats() {
            eprintln!("hikyaku-provider-sim: {e:#}");
        }
    });
    if signals.forever().next().is_some() {
        sim.write_stats()?;
        println!("{}", sim.summary());
    }
    Ok(())
}
