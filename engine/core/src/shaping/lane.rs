//! The state of one (site, source IP) pair — a lane — and of an action in force: connection
//! count, rate buckets, warm-up bucket, and the factor an action or its ramp applies.

use super::bucket::{Bucket, Meter};
use super::config::Action;
use super::spec::Rate;

/// A rule's action in force on a site or a lane.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Active {
    /// What it does.
    pub action: Action,
    /// The rule (`shaping.rules[0]`, `provider rule 2`).
    pub rule: String,
    /// The reply that made it fire.
    pub reply: String,
    /// The domain that got that reply.
    pub domain: String,
    /// When it fired, ms since the epoch.
    pub since_ms: u64,
    /// When the action ends.
    pub until_ms: u64,
    /// When limits are back to normal.
    pub ramp_until_ms: u64,
    /// The factor during the action (`reduce`), and where the ramp starts.
    pub factor: f64,
    /// `bounce`'s reason.
    pub reason: Option<String>,
}

/// Where the ramp after a suspension starts: a quarter of the limits.
pub const SUSPEND_RAMP_FROM: f64 = 0.25;

/// What an action means at one instant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Effect {
    /// Limits times this factor (1.0 = normal).
    Factor(f64),
    /// No attempts until then.
    Suspended(u64),
    /// Queued mail fails until then.
    Bouncing(u64),
}

impl Active {
    /// The effect at `now_ms`; `None` once the ramp is over (the action can be dropped).
    pub fn effect(&self, now_ms: u64) -> Option<Effect> {
        if now_ms < self.until_ms {
            return Some(match self.action {
                Action::Suspend => Effect::Suspended(self.until_ms),
                Action::Bounce => Effect::Bouncing(self.until_ms),
                Action::Reduce => Effect::Factor(self.factor),
            });
        }
        if now_ms >= self.ramp_until_ms || self.action == Action::Bounce {
            return None;
        }
        let from = match self.action {
            Action::Suspend => SUSPEND_RAMP_FROM,
            _ => self.factor,
        };
        let span = (self.ramp_until_ms - self.until_ms).max(1) as f64;
        let done = (now_ms - self.until_ms) as f64 / span;
        Some(Effect::Factor(from + (1.0 - from) * done))
    }
}

/// Combines two effects: a stop wins over a factor, the later end over the earlier, the
/// smaller factor over the larger.
pub fn combine(a: Effect, b: Effect) -> Effect {
    use Effect::*;
    match (a, b) {
        (Bouncing(x), Bouncing(y)) => Bouncing(x.max(y)),
        (Bouncing(x), _) | (_, Bouncing(x)) => Bouncing(x),
        (Suspended(x), Suspended(y)) => Suspended(x.max(y)),
        (Suspended(x), _) | (_, Suspended(x)) => Suspended(x),
        (Factor(x), Factor(y)) => Factor(x.min(y)),
    }
}

/// One (site, source IP).
#[derive(Debug, Clone, Default)]
pub struct Lane {
    /// Connections open now.
    pub open: usize,
    /// New-connection bucket.
    pub connects: Option<Bucket>,
    /// Message-rate bucket.
    pub messages: Option<Bucket>,
    /// Warm-up bucket.
    pub warm: Option<Bucket>,
    /// Messages sent in the last minute.
    pub meter: Meter,
    /// An action on this lane only (`scope = "source_ip"`).
    pub active: Option<Active>,
    /// A rate learned when a `reduce` fired on a site without a configured rate: what the
    /// lane was sending in the minute before, so the factor has something to apply to.
    pub learned: Option<Rate>,
    /// Messages sent through the lane since start.
    pub sent: u64,
    /// Replies that matched a rule.
    pub matched: u64,
}

impl Lane {
    /// The lane's own effect at `now_ms`, dropping an action whose ramp is over.
    pub fn effect(&mut self, now_ms: u64) -> Effect {
        match self.active.as_ref().and_then(|a| a.effect(now_ms)) {
            Some(e) => e,
            None => {
                self.active = None;
                Effect::Factor(1.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn active(action: Action) -> Active {
        Active {
            action,
            rule: "r".into(),
            reply: "421 4.7.28".into(),
            domain: "d".into(),
            since_ms: 0,
            until_ms: 1000,
            ramp_until_ms: 3000,
            factor: 0.5,
            reason: None,
        }
    }

    #[test]
    fn an_action_holds_then_ramps_linearly_back_to_normal() {
        let s = active(Action::Suspend);
        assert_eq!(s.effect(0), Some(Effect::Suspended(1000)));
        assert_eq!(s.effect(999), Some(Effect::Suspended(1000)));
        assert_eq!(s.effect(1000), Some(Effect::Factor(SUSPEND_RAMP_FROM)));
        assert_eq!(s.effect(2000), Some(Effect::Factor(0.625)));
        assert_eq!(s.effect(3000), None);
        let r = active(Action::Reduce);
        assert_eq!(r.effect(500), Some(Effect::Factor(0.5)));
        assert_eq!(r.effect(2000), Some(Effect::Factor(0.75)));
        let b = active(Action::Bounce);
        assert_eq!(b.effect(10), Some(Effect::Bouncing(1000)));
        assert_eq!(b.effect(1000), None, "bouncing has no ramp");
    }

    #[test]
    fn stops_win_over_factors() {
        use Effect::*;
        assert_eq!(combine(Factor(0.5), Factor(0.25)), Factor(0.25));
        assert_eq!(combine(Factor(0.5), Suspended(7)), Suspended(7));
        assert_eq!(combine(Suspended(9), Suspended(7)), Suspended(9));
        assert_eq!(combine(Suspended(9), Bouncing(7)), Bouncing(7));
    }
}
