//! The provider simulator's per-source-IP decisions, free of I/O and of the clock: every call
//! takes `now` (time since the simulator started), so the tests drive time by hand.
//!
//! The model is the one large mailbox providers describe for their inbound limits: a token
//! bucket of messages per source IP (refilled at `rate` per `window`, holding at most `burst`),
//! a cap on simultaneous connections per source IP, and a block for a source IP that keeps
//! sending after it was told to slow down (more than `block_after` throttle replies within
//! `block_window`), lasting `block_for`.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::time::Duration;

/// Limits that do not make sense together.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum LimitsError {
    /// A zero-length window.
    #[error("--window must be longer than zero")]
    Window,
    /// A bucket that can never hold a message while the rate lets some through.
    #[error("--burst must be at least 1 when --rate is above 0")]
    Burst,
    /// No connection could ever be accepted.
    #[error("--max-connections must be at least 1")]
    Connections,
    /// A block window of zero length.
    #[error("--block-window must be longer than zero")]
    BlockWindow,
}

/// The limits applied to every source IP.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Messages accepted per `window` (0: every MAIL is throttled).
    pub rate: u32,
    /// The period `rate` is counted over.
    pub window: Duration,
    /// Most messages accepted back to back (the bucket's size; it starts full).
    pub burst: u32,
    /// More throttle replies than this within `block_window` get the IP blocked.
    pub block_after: u32,
    /// The period throttle replies are counted over.
    pub block_window: Duration,
    /// How long a block lasts (zero: never block).
    pub block_for: Duration,
    /// Simultaneous connections per source IP.
    pub max_connections: u32,
}

impl Limits {
    /// Checks the limits belong together.
    pub fn validate(&self) -> Result<(), LimitsError> {
        if self.window.is_zero() {
            return Err(LimitsError::Window);
        }
        if self.rate > 0 && self.burst == 0 {
            return Err(LimitsError::Burst);
        }
        if self.max_connections == 0 {
            return Err(LimitsError::Connections);
        }
        if self.block_window.is_zero() {
            return Err(LimitsError::BlockWindow);
        }
        Ok(())
    }

    /// Messages per second the bucket lets through in the long run.
    pub fn per_second(&self) -> f64 {
        f64::from(self.rate) / self.window.as_secs_f64()
    }
}

/// The answer to a new connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Connect {
    /// Greet it (it now counts against the connection cap until [`Limiter::disconnect`]).
    Accept,
    /// The IP is blocked for this much longer.
    Blocked(Duration),
    /// The IP already has `max_connections` open.
    TooMany,
}

/// The answer to a MAIL command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mail {
    /// A token was taken: the transaction may go on.
    Accept,
    /// Rate limited; `blocked_now` when this reply pushed the IP over the block threshold.
    Throttled {
        /// The IP is blocked from this reply on.
        blocked_now: bool,
    },
    /// The IP is blocked (a connection opened before the block began).
    Blocked,
}

/// One source IP's state.
#[derive(Debug)]
struct IpState {
    tokens: f64,
    refilled: Duration,
    throttles: VecDeque<Duration>,
    blocked_until: Option<Duration>,
    connections: u32,
}

/// Every source IP's state under one set of limits.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    ips: HashMap<IpAddr, IpState>,
}

impl Limiter {
    /// A limiter with no history.
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            ips: HashMap::new(),
        }
    }

    /// The limits in force.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    fn state(&mut self, ip: IpAddr, now: Duration) -> &mut IpState {
        let burst = f64::from(self.limits.burst);
        self.ips.entry(ip).or_insert_with(|| IpState {
            tokens: burst,
            refilled: now,
            throttles: VecDeque::new(),
            blocked_until: None,
            connections: 0,
        })
    }

    /// How much longer `ip` is blocked at `now` (ending an expired block).
    fn blocked(&mut self, ip: IpAddr, now: Duration) -> Option<Duration> {
        let st = self.state(ip, now);
        match st.blocked_until {
            Some(until) if until > now => Some(until - now),
            Some(_) => {
                st.blocked_until = None;
                None
            }
            None => None,
        }
    }

    /// A new connection from `ip`.
    pub fn connect(&mut self, ip: IpAddr, now: Duration) -> Connect {
        if let Some(left) = self.blocked(ip, now) {
            return Connect::Blocked(left);
        }
        let max = self.limits.max_connections;
        let st = self.state(ip, now);
        if st.connections >= max {
            return Connect::TooMany;
        }
        st.connections += 1;
        Connect::Accept
    }

    /// A connection [`Connect::Accept`]ed earlier has ended.
    pub fn disconnect(&mut self, ip: IpAddr) {
        if let Some(st) = self.ips.get_mut(&ip) {
            st.connections = st.connections.saturating_sub(1);
        }
    }

    /// Connections open from `ip`.
    pub fn connections(&self, ip: IpAddr) -> u32 {
        self.ips.get(&ip).map_or(0, |st| st.connections)
    }

    /// A MAIL command from `ip`: takes a token, or throttles (and perhaps blocks).
    pub fn mail(&mut self, ip: IpAddr, now: Duration) -> Mail {
        if self.blocked(ip, now).is_some() {
            return Mail::Blocked;
        }
        let l = self.limits.clone();
        let st = self.state(ip, now);
        let elapsed = now.saturating_sub(st.refilled).as_secs_f64();
        st.tokens = (st.tokens + elapsed * l.per_second()).min(f64::from(l.burst));
        st.refilled = now;
        if l.rate > 0 && st.tokens >= 1.0 {
            st.tokens -= 1.0;
            return Mail::Accept;
        }
        while st
            .throttles
            .front()
            .is_some_and(|t| now.saturating_sub(*t) >= l.block_window)
        {
            st.throttles.pop_front();
        }
        st.throttles.push_back(now);
        let over = st.throttles.len() > l.block_after as usize;
        let blocked_now = over && !l.block_for.is_zero();
        if blocked_now {
            st.blocked_until = Some(now + l.block_for);
            st.throttles.clear();
        } else if over {
            // Blocking is off: keep the window from growing without bound.
            st.throttles.pop_front();
        }
        Mail::Throttled { blocked_now }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 1, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(127, 0, 1, 2));

    fn limits() -> Limits {
        Limits {
            rate: 60,
            window: Duration::from_secs(60),
            burst: 3,
            block_after: 2,
            block_window: Duration::from_secs(10),
            block_for: Duration::from_secs(30),
            max_connections: 2,
        }
    }

    fn s(secs: f64) -> Duration {
        Duration::from_secs_f64(secs)
    }

    #[test]
    fn burst_then_the_refill_rate_per_ip() {
        let mut l = Limiter::new(limits());
        for _ in 0..3 {
            assert_eq!(l.mail(A, s(0.0)), Mail::Accept);
        }
        assert_eq!(l.mail(A, s(0.0)), Mail::Throttled { blocked_now: false });
        // Another IP has its own bucket.
        assert_eq!(l.mail(B, s(0.0)), Mail::Accept);
        // 1 message per second: half a second is not enough, one second is.
        assert_eq!(l.mail(A, s(0.5)), Mail::Throttled { blocked_now: false });
        assert_eq!(l.mail(A, s(1.0)), Mail::Accept);
        // A long pause refills only up to the burst.
        for _ in 0..3 {
            assert_eq!(l.mail(A, s(100.0)), Mail::Accept);
        }
        assert!(matches!(l.mail(A, s(100.0)), Mail::Throttled { .. }));
    }

    #[test]
    fn pushing_on_after_throttles_blocks_for_a_while() {
        let mut l = Limiter::new(Limits {
            burst: 1,
            ..limits()
        });
        assert_eq!(l.mail(A, s(0.0)), Mail::Accept);
        assert_eq!(l.mail(A, s(0.1)), Mail::Throttled { blocked_now: false });
        assert_eq!(l.mail(A, s(0.2)), Mail::Throttled { blocked_now: false });
        assert_eq!(l.mail(A, s(0.3)), Mail::Throttled { blocked_now: true });
        assert_eq!(l.mail(A, s(5.0)), Mail::Blocked);
        assert_eq!(l.connect(A, s(10.3)), Connect::Blocked(s(20.0)));
        assert_eq!(l.connect(B, s(10.3)), Connect::Accept);
        // Once the block is over the IP starts again with a fresh throttle count.
        assert_eq!(l.connect(A, s(30.3)), Connect::Accept);
        assert_eq!(l.mail(A, s(30.3)), Mail::Accept);
        assert_eq!(l.mail(A, s(30.4)), Mail::Throttled { blocked_now: false });
    }

    #[test]
    fn throttles_spread_wider_than_the_block_window_do_not_block() {
        let mut l = Limiter::new(Limits {
            rate: 0,
            ..limits()
        });
        for i in 0..20 {
            let verdict = l.mail(A, s(f64::from(i) * 6.0));
            assert_eq!(verdict, Mail::Throttled { blocked_now: false }, "at {i}");
        }
        // Zero block duration turns blocking off however hard the IP pushes.
        let mut l = Limiter::new(Limits {
            rate: 0,
            block_for: Duration::ZERO,
            ..limits()
        });
        for _ in 0..20 {
            assert_eq!(l.mail(A, s(1.0)), Mail::Throttled { blocked_now: false });
        }
    }

    #[test]
    fn connection_cap_per_ip() {
        let mut l = Limiter::new(limits());
        assert_eq!(l.connect(A, s(0.0)), Connect::Accept);
        assert_eq!(l.connect(A, s(0.0)), Connect::Accept);
        assert_eq!(l.connect(A, s(0.0)), Connect::TooMany);
        assert_eq!(l.connect(B, s(0.0)), Connect::Accept);
        assert_eq!(l.connections(A), 2);
        l.disconnect(A);
        assert_eq!(l.connect(A, s(1.0)), Connect::Accept);
    }

    #[test]
    fn limits_are_validated() {
        assert_eq!(limits().validate(), Ok(()));
        let bad = |f: fn(&mut Limits)| {
            let mut l = limits();
            f(&mut l);
            l.validate()
        };
        assert_eq!(bad(|l| l.window = Duration::ZERO), Err(LimitsError::Window));
        assert_eq!(bad(|l| l.burst = 0), Err(LimitsError::Burst));
        assert_eq!(
            bad(|l| {
                l.burst = 0;
                l.rate = 0;
            }),
            Ok(())
        );
        assert_eq!(
            bad(|l| l.max_connections = 0),
            Err(LimitsError::Connections)
        );
        assert_eq!(
            bad(|l| l.block_window = Duration::ZERO),
            Err(LimitsError::BlockWindow)
        );
        assert!((limits().per_second() - 1.0).abs() < 1e-9);
    }
}
