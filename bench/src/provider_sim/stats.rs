//! What the provider simulator counts, per source IP, and its JSON summary: enough for a
//! benchmark script to tell how much was accepted, how often the sender was told to slow
//! down or was blocked, and how close it came to the allowed rate (the per-second timeline).

use std::collections::BTreeMap;
use std::net::IpAddr;
use std::time::Duration;

use serde_json::{json, Value};

/// Counters of one source IP.
#[derive(Debug, Default, Clone)]
pub struct IpStats {
    /// Connections greeted with 220.
    pub connections: u64,
    /// Connections refused at the greeting because the IP was blocked.
    pub refused_blocked: u64,
    /// Connections refused at the greeting over the connection cap.
    pub refused_too_many: u64,
    /// Most connections open at once.
    pub max_concurrent: u32,
    /// MAIL commands answered (let through or refused).
    pub mail_commands: u64,
    /// MAIL commands the rate limiter let through.
    pub mail_admitted: u64,
    /// Messages accepted (250 after the data).
    pub messages: u64,
    /// Recipients in accepted messages.
    pub rcpts: u64,
    /// RCPTs refused with 550 5.1.1 (unknown users).
    pub unknown_users: u64,
    /// `421 4.7.28` replies (rate limited).
    pub throttled: u64,
    /// MAIL commands refused because the IP was blocked meanwhile.
    pub mail_blocked: u64,
    /// Blocks begun, as (start, end) since the simulator started.
    pub blocks: Vec<(Duration, Duration)>,
    /// Messages accepted per second since the simulator started.
    pub timeline: Vec<u32>,
}

impl IpStats {
    /// Counts an accepted message at `now`.
    pub fn message(&mut self, rcpts: u32, now: Duration) {
        self.messages += 1;
        self.rcpts += u64::from(rcpts);
        let sec = usize::try_from(now.as_secs()).unwrap_or(usize::MAX);
        if sec < MAX_TIMELINE_SECS {
            if self.timeline.len() <= sec {
                self.timeline.resize(sec + 1, 0);
            }
            self.timeline[sec] += 1;
        }
    }

    /// Seconds blocked up to `now` (a block still running counts up to now).
    pub fn blocked_secs(&self, now: Duration) -> f64 {
        self.blocks
            .iter()
            .map(|(start, end)| (*end).min(now).saturating_sub(*start).as_secs_f64())
            .fold(0.0, |a, b| a + b)
    }

    /// Attempts the sender had to repeat: throttled or blocked MAILs and refused connections.
    pub fn deferred_attempts(&self) -> u64 {
        self.throttled + self.mail_blocked + self.refused_blocked + self.refused_too_many
    }

    /// Attempts: every MAIL command and every connection refused before one could be sent.
    pub fn attempts(&self) -> u64 {
        self.mail_commands + self.refused_blocked + self.refused_too_many
    }

    fn json(&self, now: Duration) -> Value {
        json!({
            "connections": self.connections,
            "refused_blocked": self.refused_blocked,
            "refused_too_many": self.refused_too_many,
            "max_concurrent": self.max_concurrent,
            "mail_commands": self.mail_commands,
            "mail_admitted": self.mail_admitted,
            "messages": self.messages,
            "rcpts": self.rcpts,
            "unknown_users": self.unknown_users,
            "throttled": self.throttled,
            "mail_blocked": self.mail_blocked,
            "blocks": self.blocks.len(),
            "blocked_s": round3(self.blocked_secs(now)),
            "attempts": self.attempts(),
            "deferred_attempts": self.deferred_attempts(),
        })
    }
}

/// Longest timeline kept (a day), so a forgotten simulator cannot grow without bound.
const MAX_TIMELINE_SECS: usize = 86_400;

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Every source IP's counters.
#[derive(Debug, Default)]
pub struct Stats {
    /// Per source IP.
    pub ips: BTreeMap<IpAddr, IpStats>,
}

impl Stats {
    /// The counters of `ip`, created on first use.
    pub fn ip(&mut self, ip: IpAddr) -> &mut IpStats {
        self.ips.entry(ip).or_default()
    }

    /// The summary at `now`: totals, per IP, and the per-second timeline of accepted messages
    /// over all IPs; `allowed_per_s_per_ip` is the limiter's long-run rate, so a script can
    /// compare the achieved rate with `allowed_per_s_per_ip × ips`.
    pub fn json(&self, now: Duration, allowed_per_s_per_ip: f64) -> Value {
        let mut total = IpStats::default();
        let mut timeline: Vec<u32> = Vec::new();
        for s in self.ips.values() {
            total.connections += s.connections;
            total.refused_blocked += s.refused_blocked;
            total.refused_too_many += s.refused_too_many;
            total.max_concurrent = total.max_concurrent.max(s.max_concurrent);
            total.mail_commands += s.mail_commands;
            total.mail_admitted += s.mail_admitted;
            total.messages += s.messages;
            total.rcpts += s.rcpts;
            total.unknown_users += s.unknown_users;
            total.throttled += s.throttled;
            total.mail_blocked += s.mail_blocked;
            total.blocks.extend_from_slice(&s.blocks);
            if timeline.len() < s.timeline.len() {
                timeline.resize(s.timeline.len(), 0);
            }
            for (t, n) in timeline.iter_mut().zip(&s.timeline) {
                *t += n;
            }
        }
        let first = timeline.iter().position(|n| *n > 0);
        let last = timeline.iter().rposition(|n| *n > 0);
        let per_ip: serde_json::Map<String, Value> = self
            .ips
            .iter()
            .map(|(ip, s)| (ip.to_string(), s.json(now)))
            .collect();
        json!({
            "uptime_s": round3(now.as_secs_f64()),
            "allowed_per_s_per_ip": allowed_per_s_per_ip,
            "source_ips": self.ips.len(),
            "total": total.json(now),
            "first_accept_s": first,
            "last_accept_s": last,
            "ips": per_ip,
            "timeline": timeline,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_timeline_and_blocked_time() {
        let a: IpAddr = "127.0.1.1".parse().unwrap();
        let b: IpAddr = "127.0.1.2".parse().unwrap();
        let mut st = Stats::default();
        st.ip(a).message(2, Duration::from_millis(1500));
        st.ip(a).message(1, Duration::from_millis(3200));
        st.ip(b).message(1, Duration::from_millis(1900));
        st.ip(b).throttled = 4;
        st.ip(b).refused_too_many = 1;
        st.ip(b).mail_commands = 5;
        st.ip(b)
            .blocks
            .push((Duration::from_secs(2), Duration::from_secs(12)));
        let j = st.json(Duration::from_secs(5), 2.5);
        assert_eq!(j["timeline"], json!([0, 2, 0, 1]));
        assert_eq!(j["first_accept_s"], json!(1));
        assert_eq!(j["last_accept_s"], json!(3));
        assert_eq!(j["total"]["messages"], json!(3));
        assert_eq!(j["total"]["rcpts"], json!(4));
        assert_eq!(j["total"]["blocks"], json!(1));
        // A block still running counts up to now only.
        assert_eq!(j["ips"]["127.0.1.2"]["blocked_s"], json!(3.0));
        assert_eq!(j["ips"]["127.0.1.2"]["attempts"], json!(6));
        assert_eq!(j["ips"]["127.0.1.2"]["deferred_attempts"], json!(5));
        assert_eq!(j["source_ips"], json!(2));
    }
}
