//! The merged result of a load run, as text and as one JSON line.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};
use hdrhistogram::Histogram;

use super::{Config, ThreadStats};
use crate::json;
use crate::message::MessageTemplate;

/// Totals of one run.
#[derive(Debug)]
pub struct Report {
    cfg: Config,
    /// Bytes sent per message after DATA.
    pub message_bytes: usize,
    /// Messages that got a 2xx after DATA.
    pub accepted: u64,
    /// Messages refused at MAIL, RCPT (all recipients), DATA or end of data.
    pub rejected: u64,
    /// Messages lost to an I/O failure or timeout.
    pub errors: u64,
    /// Messages never attempted (every thread gave up connecting).
    pub unsent: u64,
    /// Failed connection attempts (retried).
    pub connect_failures: u64,
    /// Sessions opened.
    pub sessions: u64,
    /// Recipients accepted in accepted messages.
    pub rcpts_accepted: u64,
    /// Recipients refused.
    pub rcpts_rejected: u64,
    /// At least one session pipelined.
    pub pipelined: bool,
    /// Wall time of the run.
    pub wall: Duration,
    /// Accept latency (end of data written → reply read), microseconds.
    pub latency: Histogram<u64>,
    /// First few problem replies.
    pub samples: Vec<String>,
    ids: Vec<String>,
}

impl Report {
    pub(crate) fn merge(
        cfg: &Config,
        tpl: &MessageTemplate,
        threads: Vec<ThreadStats>,
        wall: Duration,
        samples: Vec<String>,
    ) -> Result<Report> {
        let mut r = Report {
            cfg: cfg.clone(),
            message_bytes: tpl.len(),
            accepted: 0,
            rejected: 0,
            errors: 0,
            unsent: 0,
            connect_failures: 0,
            sessions: 0,
            rcpts_accepted: 0,
            rcpts_rejected: 0,
            pipelined: false,
            wall,
            latency: Histogram::new_with_bounds(1, 600_000_000, 3)?,
            samples,
            ids: Vec::new(),
        };
        for t in threads {
            r.latency.add(&t.hist)?;
            r.accepted += t.accepted;
            r.rejected += t.rejected;
            r.errors += t.errors;
            r.connect_failures += t.connect_failures;
            r.sessions += t.sessions;
            r.rcpts_accepted += t.rcpts_accepted;
            r.rcpts_rejected += t.rcpts_rejected;
            r.pipelined |= t.pipelined;
            r.ids.extend(t.ids.into_iter().map(|s| tpl.message_id(s)));
        }
        r.unsent = cfg
            .messages
            .saturating_sub(r.accepted + r.rejected + r.errors);
        Ok(r)
    }

    fn rate(&self, n: u64) -> f64 {
        n as f64 / self.wall.as_secs_f64().max(1e-9)
    }

    fn q(&self, q: f64) -> u64 {
        self.latency.value_at_quantile(q)
    }

    /// Writes the Message-ID of every accepted message, one per line.
    pub fn write_ids(&self, path: &Path) -> Result<()> {
        let f =
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
        let mut w = std::io::BufWriter::new(f);
        for id in &self.ids {
            writeln!(w, "{id}")?;
        }
        w.flush()?;
        Ok(())
    }

    /// Human-readable summary.
    pub fn text(&self) -> String {
        let c = &self.cfg;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "target {}  connections {}  messages {}  size {} (+headers = {} B after DATA)  rcpts {}  domains {}  pipelining {}  {}",
            c.target,
            c.connections,
            c.messages,
            c.size,
            self.message_bytes,
            c.rcpts,
            c.domains,
            match (self.pipelined, c.pipelining, self.sessions) {
                (true, _, _) => "on",
                (false, false, _) => "off",
                (false, true, 0) => "n/a (no session)",
                (false, true, _) => "not offered",
            },
            if c.reuse { "sessions reused" } else { "one connection per message" },
        );
        let _ = writeln!(
            s,
            "accepted {}  rejected {}  errors {}  unsent {}  sessions {}  connect failures {}  rcpts rejected {}",
            self.accepted, self.rejected, self.errors, self.unsent, self.sessions, self.connect_failures, self.rcpts_rejected
        );
        let _ = writeln!(
            s,
            "wall {:.3} s  {:.0} msg/s  {:.0} rcpt/s",
            self.wall.as_secs_f64(),
            self.rate(self.accepted),
            self.rate(self.rcpts_accepted)
        );
        let _ = writeln!(
            s,
            "accept latency us: p50 {}  p90 {}  p99 {}  p999 {}  max {}  mean {:.0}",
            self.q(0.5),
            self.q(0.9),
            self.q(0.99),
            self.q(0.999),
            self.latency.max(),
            self.latency.mean()
        );
        for x in &self.samples {
            let _ = writeln!(s, "  problem: {x}");
        }
        s
    }

    /// One-line JSON summary.
    pub fn json(&self) -> String {
        let c = &self.cfg;
        let samples: Vec<String> = self.samples.iter().map(|x| json::string(x)).collect();
        format!(
            concat!(
                "{{\"target\":{},\"connections\":{},\"messages\":{},\"size\":{},\"message_bytes\":{},",
                "\"rcpts\":{},\"domains\":{},\"pipelining\":{},\"reuse\":{},\"run_id\":{},",
                "\"accepted\":{},\"rejected\":{},\"errors\":{},\"unsent\":{},\"sessions\":{},",
                "\"connect_failures\":{},\"rcpts_accepted\":{},\"rcpts_rejected\":{},",
                "\"wall_s\":{:.4},\"msg_per_s\":{:.1},\"rcpt_per_s\":{:.1},",
                "\"latency_us\":{{\"p50\":{},\"p90\":{},\"p99\":{},\"p999\":{},\"max\":{},\"mean\":{:.1}}},",
                "\"problems\":[{}]}}"
            ),
            json::string(&c.target.to_string()),
            c.connections,
            c.messages,
            c.size,
            self.message_bytes,
            c.rcpts,
            c.domains,
            self.pipelined,
            c.reuse,
            json::string(&c.run_id),
            self.accepted,
            self.rejected,
            self.errors,
            self.unsent,
            self.sessions,
            self.connect_failures,
            self.rcpts_accepted,
            self.rcpts_rejected,
            self.wall.as_secs_f64(),
            self.rate(self.accepted),
            self.rate(self.rcpts_accepted),
            self.q(0.5),
            self.q(0.9),
            self.q(0.99),
            self.q(0.999),
            self.latency.max(),
            self.latency.mean(),
            samples.join(",")
        )
    }
}
