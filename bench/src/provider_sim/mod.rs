//! `hikyaku-provider-sim`: an SMTP server that behaves like a large mailbox provider toward
//! each source IP: it accepts messages up to a rate, then answers Gmail's `421 4.7.28` and
//! closes; an IP that keeps pushing gets blocked for a while; recipients whose local part
//! starts with a prefix get `550 5.1.1`; connections beyond a cap per IP get `421 4.7.0`.
//!
//! The SMTP itself is the sink's [`SinkSession`] (PIPELINING, 8BITMIME, SMTPUTF8, CHUNKING)
//! with a [`MailGate`] asking the [`Limiter`] before every MAIL. Like the sink, one thread per
//! connection with blocking sockets: at a provider's rates (hundreds of messages per second)
//! that costs less than a runtime and shares the code. Decisions are in [`limiter`]
//! (pure, tested with hand-driven time), counting in [`stats`].

pub mod limiter;
pub mod stats;

use std::io::{Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::sink::{Event, MailGate, SessionConfig, SinkSession};
pub use limiter::{Connect, Limiter, Limits, Mail};
pub use stats::Stats;

/// Longest silence from a client before its connection is dropped.
const IDLE: Duration = Duration::from_secs(300);

/// Settings of the simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Per-source-IP limits.
    pub limits: Limits,
    /// The SMTP session (host name, CHUNKING, the unknown-user RCPT rule).
    pub session: SessionConfig,
    /// Where the JSON summary is rewritten every second (and at exit).
    pub stats_file: Option<PathBuf>,
}

/// The running simulator.
#[derive(Debug)]
pub struct ProviderSim {
    cfg: SimConfig,
    session: Arc<SessionConfig>,
    started: Instant,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    limiter: Limiter,
    stats: Stats,
}

impl ProviderSim {
    /// A simulator with no history; its clock starts now.
    pub fn new(cfg: SimConfig) -> Result<Arc<ProviderSim>> {
        cfg.limits.validate()?;
        Ok(Arc::new(ProviderSim {
            session: Arc::new(cfg.session.clone()),
            state: Mutex::new(State {
                limiter: Limiter::new(cfg.limits.clone()),
                stats: Stats::default(),
            }),
            cfg,
            started: Instant::now(),
        }))
    }

    fn now(&self) -> Duration {
        self.started.elapsed()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The JSON summary as it stands.
    pub fn summary(&self) -> serde_json::Value {
        let now = self.now();
        self.lock().stats.json(now, self.cfg.limits.per_second())
    }

    /// Writes the summary to the stats file (through a temporary file and a rename, so a
    /// reader never sees half of it).
    pub fn write_stats(&self) -> Result<()> {
        let Some(path) = &self.cfg.stats_file else {
            return Ok(());
        };
        let tmp = tmp_path(path);
        std::fs::write(&tmp, format!("{}\n", self.summary()))
            .with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("renaming to {}", path.display()))
    }

    /// Accepts connections on `listener` on a thread of its own.
    pub fn spawn_listener(self: &Arc<Self>, listener: TcpListener) -> Result<()> {
        let me = Arc::clone(self);
        std::thread::Builder::new()
            .name("sim-accept".into())
            .spawn(move || me.serve(&listener))
            .context("spawning an accept thread")?;
        Ok(())
    }

    fn serve(self: &Arc<Self>, listener: &TcpListener) {
        loop {
            let (stream, peer) = match listener.accept() {
                Ok(x) => x,
                Err(e) => {
                    eprintln!("hikyaku-provider-sim: accept: {e}");
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            };
            let me = Arc::clone(self);
            let spawned = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || {
                    if let Err(e) = me.connection(stream, peer.ip()) {
                        if e.kind() != std::io::ErrorKind::ConnectionReset {
                            eprintln!("hikyaku-provider-sim: connection from {peer}: {e}");
                        }
                    }
                });
            if let Err(e) = spawned {
                eprintln!("hikyaku-provider-sim: cannot spawn a connection thread: {e}");
            }
        }
    }

    /// The greeting decision, counted.
    fn admit(&self, ip: IpAddr) -> Connect {
        let now = self.now();
        let mut st = self.lock();
        let verdict = st.limiter.connect(ip, now);
        let open = st.limiter.connections(ip);
        let s = st.stats.ip(ip);
        match verdict {
            Connect::Accept => {
                s.connections += 1;
                s.max_concurrent = s.max_concurrent.max(open);
            }
            Connect::Blocked(_) => s.refused_blocked += 1,
            Connect::TooMany => s.refused_too_many += 1,
        }
        verdict
    }

    fn connection(self: &Arc<Self>, mut stream: TcpStream, ip: IpAddr) -> std::io::Result<()> {
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(IDLE))?;
        match self.admit(ip) {
            Connect::Accept => {}
            Connect::Blocked(left) => {
                return stream.write_all(blocked_reply(ip, left).as_bytes());
            }
            Connect::TooMany => {
                return stream.write_all(too_many_reply(ip).as_bytes());
            }
        }
        let _open = OpenConnection { sim: self, ip };
        let gate = SimGate {
            sim: Arc::clone(self),
            ip,
        };
        let mut out = Vec::with_capacity(4096);
        let mut session =
            SinkSession::new(Arc::clone(&self.session), &mut out).with_gate(Box::new(gate));
        stream.write_all(&out)?;
        let mut buf = vec![0u8; 64 * 1024];
        while !session.closed() {
            let n = stream.read(&mut buf)?;
            if n == 0 {
                break;
            }
            out.clear();
            session.feed(&buf[..n], &mut out, &mut |ev| self.event(ip, ev));
            if !out.is_empty() {
                stream.write_all(&out)?;
            }
        }
        Ok(())
    }

    fn event(&self, ip: IpAddr, ev: Event) {
        let now = self.now();
        let mut st = self.lock();
        let s = st.stats.ip(ip);
        match ev {
            Event::Message { rcpts, .. } => s.message(rcpts, now),
            Event::RcptRejected => s.unknown_users += 1,
        }
    }

    /// The limiter's answer to a MAIL from `ip`, counted; `Some(reply)` refuses it.
    fn mail(&self, ip: IpAddr) -> Option<String> {
        let now = self.now();
        let mut st = self.lock();
        let verdict = st.limiter.mail(ip, now);
        let block_for = st.limiter.limits().block_for;
        let s = st.stats.ip(ip);
        s.mail_commands += 1;
        match verdict {
            Mail::Accept => {
                s.mail_admitted += 1;
                None
            }
            Mail::Throttled { blocked_now } => {
                s.throttled += 1;
                if blocked_now {
                    s.blocks.push((now, now + block_for));
                }
                Some(throttle_reply(ip))
            }
            Mail::Blocked => {
                s.mail_blocked += 1;
                Some(throttle_reply(ip))
            }
        }
    }
}

/// Gmail's wording for a sender over its rate (the enhanced code 4.7.28 is what shaping
/// rules match on).
pub fn throttle_reply(ip: IpAddr) -> String {
    format!(
        "421 4.7.28 [{ip}] Our system has detected an unusual rate of unsolicited mail \
         originating from your IP address. To protect our users from spam, mail sent from \
         your IP address has been temporarily rate limited."
    )
}

/// The greeting of a blocked IP: temporary (Yahoo's `[TS03]` style), so the sender keeps the
/// mail and the benchmark can still finish; the text names the block, not a rate limit.
pub fn blocked_reply(ip: IpAddr, left: Duration) -> String {
    format!(
        "421 4.7.0 [TS03] Messages from {ip} temporarily deferred: this IP is blocked for \
         another {} s after ignoring rate limiting\r\n",
        left.as_secs().max(1)
    )
}

/// The greeting beyond the connection cap.
pub fn too_many_reply(ip: IpAddr) -> String {
    format!("421 4.7.0 Too many concurrent SMTP connections from {ip}; try again later\r\n")
}

fn tmp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Asks the simulator before each MAIL of one connection.
#[derive(Debug)]
struct SimGate {
    sim: Arc<ProviderSim>,
    ip: IpAddr,
}

impl MailGate for SimGate {
    fn mail(&mut self) -> Option<String> {
        self.sim.mail(self.ip)
    }
}

/// Gives the connection's slot back to the limiter when the connection ends.
struct OpenConnection<'a> {
    sim: &'a ProviderSim,
    ip: IpAddr,
}

impl Drop for OpenConnection<'_> {
    fn drop(&mut self) {
        self.sim.lock().limiter.disconnect(self.ip);
    }
}
