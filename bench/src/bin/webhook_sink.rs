//! `hikyaku-webhook-sink`: an HTTP receiver for webhook benchmarks. Answers `200` to every
//! POST (HTTP/1.1 keep-alive, one thread per connection), reads each POST's JSON array of
//! events, and for every new event id records how long after its `time_ms` it arrived.
//! Exits when `--expect` unique events have arrived, or after `--idle-secs` without a new one,
//! printing one JSON line: events, unique, posts, delay p50/p99/max (ms).
//!
//! Written in Rust so the receiver's own CPU (it shares the machine with the engine) stays
//! small next to what it measures; a Python `http.server` spent a noticeable share of the two
//! cores at 200 POSTs/s.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use clap::Parser;
use hdrhistogram::Histogram;

/// Webhook receiver for benchmarks.
#[derive(Debug, Parser)]
#[command(name = "hikyaku-webhook-sink", version)]
struct Args {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:2790")]
    listen: String,
    /// Stop after this many unique events.
    #[arg(long)]
    expect: u64,
    /// Stop after this many seconds without a new event.
    #[arg(long, default_value_t = 30)]
    idle_secs: u64,
}

#[derive(Default)]
struct Seen {
    ids: HashSet<String>,
    events: u64,
    posts: u64,
    last: Option<Instant>,
}

struct State {
    seen: Mutex<Seen>,
    delays: Mutex<Histogram<u64>>,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// Serves one connection until it closes; malformed requests close it.
fn serve(stream: TcpStream, state: &State) -> Result<()> {
    let mut out = stream.try_clone()?;
    let mut input = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            if input.read_line(&mut header)? == 0 {
                return Ok(());
            }
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.trim().eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().context("content-length")?;
                }
            }
        }
        let mut body = vec![0u8; length];
        input.read_exact(&mut body)?;
        let arrived = now_ms();
        let events: Vec<serde_json::Value> = serde_json::from_slice(&body).unwrap_or_default();
        {
            let mut seen = state.seen.lock().unwrap_or_else(|p| p.into_inner());
            let mut delays = state.delays.lock().unwrap_or_else(|p| p.into_inner());
            seen.posts += 1;
            for e in &events {
                seen.events += 1;
                let id = e["id"].as_str().unwrap_or_default().to_string();
                if seen.ids.insert(id) {
                    let time = e["time_ms"].as_u64().unwrap_or(arrived);
                    let _ = delays.record(arrived.saturating_sub(time));
                    seen.last = Some(Instant::now());
                }
            }
        }
        out.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")?;
    }
}

fn main() -> Result<()> {
    let args = Args::parse();
    let listener = TcpListener::bind(&args.listen).with_context(|| args.listen.clone())?;
    let state = Arc::new(State {
        seen: Mutex::new(Seen::default()),
        delays: Mutex::new(Histogram::new(3)?),
    });
    let accept_state = state.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let state = accept_state.clone();
            std::thread::spawn(move || {
                let _ = serve(stream, &state);
            });
        }
    });
    let started = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let seen = state.seen.lock().unwrap_or_else(|p| p.into_inner());
        let idle = seen.last.unwrap_or(started).elapsed() > Duration::from_secs(args.idle_secs);
        if seen.ids.len() as u64 >= args.expect || idle {
            break;
        }
    }
    let seen = state.seen.lock().unwrap_or_else(|p| p.into_inner());
    let delays = state.delays.lock().unwrap_or_else(|p| p.into_inner());
    println!(
        "{}",
        serde_json::json!({
            "events": seen.events, "unique": seen.ids.len(), "posts": seen.posts,
            "latency_ms_p50": delays.value_at_quantile(0.50),
            "latency_ms_p99": delays.value_at_quantile(0.99),
            "latency_ms_max": delays.max(),
        })
    );
    Ok(())
}
