//! `hikyaku-sink`: accepts every connection on its own thread, answers through
//! [`SinkSession`], counts what it received and, on request, appends each message's
//! Message-ID to a file (flushed per message, so a test may read it at any time).

mod session;

pub use session::{Event, MailGate, RcptRule, SessionConfig, SinkSession};

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

/// Settings of the sink server.
#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// Session settings.
    pub session: SessionConfig,
    /// Sleep before answering each end of data.
    pub delay: Duration,
    /// Exit after this many messages (0 = never).
    pub exit_after: u64,
}

/// Counters of the whole sink.
#[derive(Debug, Default)]
pub struct Stats {
    /// Messages accepted.
    pub messages: AtomicU64,
    /// Recipients accepted in accepted messages.
    pub rcpts: AtomicU64,
    /// Recipients refused by rules.
    pub rcpts_rejected: AtomicU64,
    /// DATA bytes received.
    pub bytes: AtomicU64,
    /// Connections accepted.
    pub connections: AtomicU64,
    /// Connections open right now.
    pub active: AtomicU64,
    /// Most connections open at once (what per-destination concurrency limits are checked
    /// against).
    pub max_active: AtomicU64,
    /// Nanoseconds since start of the first and the latest message.
    first_ns: AtomicU64,
    last_ns: AtomicU64,
}

/// The running sink.
#[derive(Debug)]
pub struct Sink {
    cfg: SinkConfig,
    cfg_session: Arc<SessionConfig>,
    started: Instant,
    /// Live counters.
    pub stats: Stats,
    ids: Option<Mutex<BufWriter<File>>>,
    finished: AtomicBool,
}

impl Sink {
    /// Prepares a sink; `ids_file` is opened for appending.
    pub fn new(mut cfg: SinkConfig, ids_file: Option<&Path>) -> Result<Arc<Sink>> {
        let ids = match ids_file {
            Some(p) => {
                let f = OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(p)
                    .with_context(|| format!("opening {}", p.display()))?;
                Some(Mutex::new(BufWriter::new(f)))
            }
            None => None,
        };
        cfg.session.capture_ids = ids.is_some();
        Ok(Arc::new(Sink {
            cfg_session: Arc::new(cfg.session.clone()),
            cfg,
            started: Instant::now(),
            stats: Stats::default(),
            ids,
            finished: AtomicBool::new(false),
        }))
    }

    /// Accepts connections forever (until the process exits).
    pub fn serve(self: &Arc<Self>, listener: TcpListener) -> Result<()> {
        loop {
            let (stream, _) = match listener.accept() {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("hikyaku-sink: accept: {e}");
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            self.stats.connections.fetch_add(1, Ordering::Relaxed);
            let now_active = self.stats.active.fetch_add(1, Ordering::SeqCst) + 1;
            self.stats
                .max_active
                .fetch_max(now_active, Ordering::SeqCst);
            let me = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    if let Err(e) = me.connection(stream) {
                        if e.kind() != std::io::ErrorKind::ConnectionReset {
                            eprintln!("hikyaku-sink: connection: {e}");
                        }
                    }
                });
            if let Err(e) = spawned {
                self.stats.active.fetch_sub(1, Ordering::SeqCst);
                eprintln!("hikyaku-sink: cannot spawn a connection thread: {e}");
            }
        }
    }

    fn connection(&self, mut stream: TcpStream) -> std::io::Result<()> {
        // A session stops counting as active when QUIT arrives (before the 221 goes out), so a
        // client that opens its next connection right after the 221 is not seen overlapping.
        let mut active = ActiveSession(Some(&self.stats.active));
        stream.set_nodelay(true)?;
        let mut out = Vec::with_capacity(4096);
        let mut session = SinkSession::new(Arc::clone(&self.cfg_session), &mut out);
        stream.write_all(&out)?;
        let mut buf = vec![0u8; 64 * 1024];
        let mut exit_now = false;
        while !session.closed() {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.clear();
            let mut done = 0u32;
            session.feed(&buf[..n], &mut out, &mut |ev| {
                if let Event::Message { .. } = ev {
                    done += 1;
                }
                exit_now |= self.event(ev);
            });
            if done > 0 && !self.cfg.delay.is_zero() {
                std::thread::sleep(self.cfg.delay * done);
            }
            if session.closed() {
                active.end();
            }
            if !out.is_empty() {
                stream.write_all(&out)?;
            }
            if exit_now {
                self.finish();
            }
        }
        Ok(())
    }

    /// Counts an event; true when `--exit-after` is reached.
    fn event(&self, ev: Event) -> bool {
        let s = &self.stats;
        match ev {
            Event::RcptRejected => {
                s.rcpts_rejected.fetch_add(1, Ordering::Relaxed);
                false
            }
            Event::Message {
                rcpts,
                bytes,
                message_id,
            } => {
                let now = u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX);
                let _ = s
                    .first_ns
                    .compare_exchange(0, now, Ordering::Relaxed, Ordering::Relaxed);
                s.last_ns.fetch_max(now, Ordering::Relaxed);
                s.rcpts.fetch_add(u64::from(rcpts), Ordering::Relaxed);
                s.bytes.fetch_add(bytes, Ordering::Relaxed);
                if let (Some(ids), Some(id)) = (&self.ids, message_id) {
                    if let Ok(mut w) = ids.lock() {
                        let r = writeln!(w, "{id}").and_then(|_| w.flush());
                        if let Err(e) = r {
                            eprintln!("hikyaku-sink: writing ids: {e}");
                        }
                    }
                }
                let n = s.messages.fetch_add(1, Ordering::Relaxed) + 1;
                self.cfg.exit_after > 0 && n >= self.cfg.exit_after
            }
        }
    }

    /// One JSON line with the counters.
    pub fn stats_json(&self) -> String {
        let s = &self.stats;
        let msgs = s.messages.load(Ordering::Relaxed);
        let first = s.first_ns.load(Ordering::Relaxed);
        let last = s.last_ns.load(Ordering::Relaxed);
        let window = last.saturating_sub(first) as f64 / 1e9;
        let rate = if msgs > 1 && window > 0.0 {
            (msgs - 1) as f64 / window
        } else {
            0.0
        };
        format!(
            "{{\"messages\":{},\"rcpts\":{},\"rcpts_rejected\":{},\"bytes\":{},\"connections\":{},\"max_concurrent\":{},\"uptime_s\":{:.3},\"first_to_last_s\":{:.3},\"msg_per_s\":{:.1}}}",
            msgs,
            s.rcpts.load(Ordering::Relaxed),
            s.rcpts_rejected.load(Ordering::Relaxed),
            s.bytes.load(Ordering::Relaxed),
            s.connections.load(Ordering::Relaxed),
            s.max_active.load(Ordering::Relaxed),
            self.started.elapsed().as_secs_f64(),
            window,
            rate
        )
    }

    /// Flushes the ids file, prints the stats line and exits the process (once).
    pub fn finish(&self) -> ! {
        if !self.finished.swap(true, Ordering::SeqCst) {
            if let Some(ids) = &self.ids {
                if let Ok(mut w) = ids.lock() {
                    let _ = w.flush();
                }
            }
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", self.stats_json());
            let _ = out.flush();
            std::process::exit(0);
        }
        // Another thread is already exiting; wait for it.
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

/// Decrements the active-session count once: at QUIT or when the connection ends.
struct ActiveSession<'a>(Option<&'a AtomicU64>);

impl ActiveSession<'_> {
    fn end(&mut self) {
        if let Some(counter) = self.0.take() {
            counter.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

impl Drop for ActiveSession<'_> {
    fn drop(&mut self) {
        self.end();
    }
}
