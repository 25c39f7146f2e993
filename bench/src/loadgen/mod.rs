//! The load generator: `connections` threads, each with one blocking SMTP session at a
//! time, take message numbers from a shared counter until `messages` are done.
//!
//! Each thread owns its statistics (an HDR histogram of accept latencies and
//! counters); they are merged once at the end, so the hot path shares nothing but the
//! counter.

mod report;
mod session;

pub use report::Report;

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use hdrhistogram::Histogram;

use crate::message::MessageTemplate;
use session::Session;

/// How many rejection replies the report shows.
const MAX_SAMPLES: usize = 5;

/// Everything that describes one load run.
#[derive(Debug, Clone)]
pub struct Config {
    /// Server to load.
    pub target: SocketAddr,
    /// Concurrent sessions (one thread each).
    pub connections: usize,
    /// Messages in the run, in total.
    pub messages: u64,
    /// Body payload bytes per message.
    pub size: usize,
    /// Recipients per message.
    pub rcpts: usize,
    /// Recipients are spread over `d1..dN.bench.test`.
    pub domains: usize,
    /// Pipeline MAIL, RCPT and DATA when the server offers PIPELINING.
    pub pipelining: bool,
    /// Keep a session for many messages (else one connection per message).
    pub reuse: bool,
    /// Name sent with EHLO.
    pub ehlo: String,
    /// Envelope sender.
    pub from: String,
    /// Local part prefix of recipients (`PREFIX<seq>.<n>@dK.bench.test`).
    pub rcpt_prefix: String,
    /// Parent domain of the recipient domains (`dK.<rcpt_domain>`).
    pub rcpt_domain: String,
    /// Socket read/write timeout.
    pub timeout: Duration,
    /// Consecutive connection failures a thread tolerates before it stops.
    pub retries: u32,
    /// Run id put into every Message-ID.
    pub run_id: String,
    /// Open-loop mode: start message `n` at `n / rate` seconds after the run began, whatever
    /// the replies (total messages per second over all connections). `None` = closed loop
    /// (each session sends its next message as soon as the previous one is answered).
    pub rate: Option<f64>,
}

impl Config {
    /// Resolves `HOST:PORT` to the first address it names.
    pub fn resolve(target: &str) -> Result<SocketAddr> {
        target
            .to_socket_addrs()
            .with_context(|| format!("resolving {target}"))?
            .next()
            .with_context(|| format!("{target} resolves to no address"))
    }

    /// Recipient `n` of message `seq`.
    pub fn rcpt(&self, seq: u64, n: usize) -> String {
        let slot = seq.wrapping_mul(self.rcpts as u64).wrapping_add(n as u64);
        let dom = slot % self.domains.max(1) as u64 + 1;
        format!(
            "{}{}.{}@d{}.{}",
            self.rcpt_prefix, seq, n, dom, self.rcpt_domain
        )
    }
}

/// What one thread counted.
#[derive(Debug)]
pub(crate) struct ThreadStats {
    pub hist: Histogram<u64>,
    pub accepted: u64,
    pub rejected: u64,
    pub errors: u64,
    pub connect_failures: u64,
    pub sessions: u64,
    pub rcpts_accepted: u64,
    pub rcpts_rejected: u64,
    pub pipelined: bool,
    /// Sequence numbers that got a 2xx after DATA.
    pub ids: Vec<u64>,
}

impl ThreadStats {
    fn new(keep_ids: bool) -> Result<Self> {
        Ok(ThreadStats {
            hist: Histogram::new_with_bounds(1, 600_000_000, 3)?,
            accepted: 0,
            rejected: 0,
            errors: 0,
            connect_failures: 0,
            sessions: 0,
            rcpts_accepted: 0,
            rcpts_rejected: 0,
            pipelined: false,
            ids: if keep_ids {
                Vec::new()
            } else {
                Vec::with_capacity(0)
            },
        })
    }
}

/// State shared by all threads.
#[derive(Debug)]
pub(crate) struct Shared {
    pub cfg: Config,
    pub next: AtomicU64,
    pub samples: Mutex<Vec<String>>,
    pub keep_ids: bool,
    pub start: Instant,
}

impl Shared {
    /// Claims the next message number, or `None` when the run is complete.
    pub fn claim(&self) -> Option<u64> {
        let seq = self.next.fetch_add(1, Ordering::Relaxed);
        (seq < self.cfg.messages).then_some(seq)
    }

    /// Keeps the first few problem replies for the report.
    pub fn sample(&self, what: String) {
        if let Ok(mut s) = self.samples.lock() {
            if s.len() < MAX_SAMPLES {
                s.push(what);
            }
        }
    }
}

/// Runs the load described by `cfg` to completion.
pub fn run(cfg: Config, keep_ids: bool) -> Result<Report> {
    let template = MessageTemplate::new(&cfg.run_id, &cfg.from, &cfg.rcpt(0, 0), cfg.size);
    let shared = Arc::new(Shared {
        next: AtomicU64::new(0),
        samples: Mutex::new(Vec::new()),
        keep_ids,
        cfg,
        start: Instant::now(),
    });
    let start = shared.start;
    let mut handles = Vec::new();
    for i in 0..shared.cfg.connections.max(1) {
        let shared = Arc::clone(&shared);
        let template = template.clone();
        let h = thread::Builder::new()
            .name(format!("loadgen-{i}"))
            .stack_size(256 * 1024)
            .spawn(move || worker(&shared, template))
            .context("spawning a session thread")?;
        handles.push(h);
    }
    let mut all = Vec::new();
    for h in handles {
        match h.join() {
            Ok(stats) => all.push(stats?),
            Err(_) => anyhow::bail!("a session thread panicked"),
        }
    }
    let wall = start.elapsed();
    let samples = shared.samples.lock().map(|s| s.clone()).unwrap_or_default();
    Report::merge(&shared.cfg, &template, all, wall, samples)
}

/// One thread: sessions until the counter runs out or connecting keeps failing.
fn worker(shared: &Shared, mut template: MessageTemplate) -> Result<ThreadStats> {
    let cfg = &shared.cfg;
    let mut st = ThreadStats::new(shared.keep_ids)?;
    let mut failures = 0u32;
    // Claim lazily: a message number is taken only once a session is ready for it.
    let mut pending: Option<u64> = None;
    while let Some(seq) = pending.take().or_else(|| shared.claim()) {
        let mut session = match Session::open(cfg) {
            Ok(s) => {
                failures = 0;
                st.sessions += 1;
                st.pipelined |= s.pipelining;
                s
            }
            Err(e) => {
                st.connect_failures += 1;
                failures += 1;
                if failures > cfg.retries {
                    shared.sample(format!(
                        "giving up after {failures} connection failures: {e:#}"
                    ));
                    // The claimed message is lost with this thread; it counts as an error.
                    st.errors += 1;
                    break;
                }
                pending = Some(seq);
                thread::sleep(Duration::from_millis(50 * u64::from(failures)));
                continue;
            }
        };
        let mut next = Some(seq);
        while let Some(seq) = next {
            pace(shared, seq);
            if let Err(e) = session.transaction(shared, &mut template, seq, &mut st) {
                st.errors += 1;
                shared.sample(format!("message {seq}: {e:#}"));
                break;
            }
            next = if cfg.reuse { shared.claim() } else { None };
        }
        session.quit();
    }
    Ok(st)
}

/// In open-loop mode, waits until message `seq` is due.
fn pace(shared: &Shared, seq: u64) {
    if let Some(rate) = shared.cfg.rate.filter(|r| *r > 0.0) {
        let due = shared.start + Duration::from_secs_f64(seq as f64 / rate);
        if let Some(wait) = due.checked_duration_since(Instant::now()) {
            thread::sleep(wait);
        }
    }
}
