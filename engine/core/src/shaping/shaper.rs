//! The process-wide shaper: every shard asks it before opening a connection, before each
//! message, and tells it every reply that is not a success.
//!
//! Why one shared structure and not per-shard state: a site (every Gmail-hosted domain) spans
//! the domains of all shards, and a provider counts per source IP, so its limits are only exact
//! when counted in one place. The cost is one uncontended mutex and one hash lookup per
//! message (see bench/RESULTS.md, "Shaping"). The shaper is sans-I/O: callers pass the time and
//! the compiled [`Plan`] of the settings version they run with, so it is unit-tested with
//! plain numbers.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::bucket::Bucket;
use super::config::{Action, Scope};
use super::lane::{combine, Active, Effect, Lane};
use super::plan::{Plan, SiteRef};
use super::spec::Rate;

/// A resolved site: its name (the key of its state) and where its limits are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteKey {
    /// Name (`gmail`, `mx:a.example,b.example`).
    pub name: Arc<str>,
    /// Its entry in the plan.
    pub site: SiteRef,
}

/// Resolves the site of a domain routed to `mx_hosts`.
pub fn site_key(plan: &Plan, domain: &str, mx_hosts: &[&str]) -> SiteKey {
    let site = plan.site_for(domain, mx_hosts);
    SiteKey {
        name: Arc::from(plan.name(&site)),
        site,
    }
}

/// Why a caller must wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WaitReason {
    /// A rule suspended the site or the source IP.
    Suspended,
    /// `max_connections` reached.
    Connections,
    /// `connections_per_minute` used up.
    ConnectionRate,
    /// The message rate.
    Rate,
    /// The source IP's warm-up allowance.
    Warmup,
}

/// The answer to "may I go on".
#[derive(Debug, Clone, PartialEq)]
pub enum Gate {
    /// Go.
    Go,
    /// Not before `until_ms`.
    Wait {
        /// When to ask again.
        until_ms: u64,
        /// Why.
        reason: WaitReason,
    },
    /// Fail the site's queued mail with this reason (a `bounce` rule in force).
    Bounce(String),
}

/// A rule that fired, for the log, the spool record and the `shaping` webhook event.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fired {
    /// When, ms since the epoch.
    pub time_ms: u64,
    /// The site.
    pub site: String,
    /// The source IP that got the replies (`null`: the kernel's choice).
    pub source_ip: Option<IpAddr>,
    /// `site` or `source_ip`.
    pub scope: String,
    /// The rule.
    pub rule: String,
    /// `suspend`, `reduce` or `bounce`.
    pub action: String,
    /// Until when, ms since the epoch.
    pub until_ms: u64,
    /// Limits back to normal at.
    pub ramp_until_ms: u64,
    /// `reduce`'s factor.
    pub factor: Option<f64>,
    /// Matching replies counted in the window.
    pub matches: u32,
    /// The reply that completed the threshold.
    pub reply: String,
    /// The domain it came from.
    pub domain: String,
}

/// A connection's share of its lane; released on drop.
#[derive(Debug)]
pub struct SitePermit {
    shaper: Arc<Shaper>,
    key: (Arc<str>, Option<IpAddr>),
}

impl SitePermit {
    /// Gives the slot back unused (the host was at its cap after all): the new-connection
    /// token it took is refunded, so `connections_per_minute` counts only connections made.
    pub fn unused(self) {
        let mut s = self.shaper.lock();
        if let Some(bucket) = s
            .lanes
            .get_mut(&self.key)
            .and_then(|lane| lane.connects.as_mut())
        {
            bucket.refund();
        }
        drop(s);
    }
}

impl Drop for SitePermit {
    fn drop(&mut self) {
        let mut s = self.shaper.lock();
        if let Some(lane) = s.lanes.get_mut(&self.key) {
            lane.open = lane.open.saturating_sub(1);
        }
    }
}

type LaneKey = (Arc<str>, Option<IpAddr>);

#[derive(Debug, Default)]
pub(super) struct State {
    pub(super) lanes: HashMap<LaneKey, Lane>,
    /// Site-wide actions (`scope = "site"`).
    pub(super) sites: HashMap<Arc<str>, Active>,
    /// Match times per (rule, site, source IP or none for site scope).
    hits: HashMap<(usize, Arc<str>, Option<IpAddr>), VecDeque<u64>>,
    /// Round-robin position per site over source IPs.
    rr: HashMap<Arc<str>, usize>,
    /// The latest firings, newest last.
    pub(super) fired: VecDeque<Fired>,
}

/// Firings kept in memory for `shaping.status` (all of them are also in the spool).
const FIRED_KEPT: usize = 100;

/// The shaper (one per process).
#[derive(Debug, Default)]
pub struct Shaper {
    state: Mutex<State>,
    /// Counts `clear` calls: each shard compares it with the last value it saw and then lets
    /// its held recipients go at once (the next worker holds again what is still stopped).
    clears: AtomicU64,
}

fn lane_key(site: &SiteKey, ip: Option<IpAddr>) -> LaneKey {
    (site.name.clone(), ip)
}

impl Shaper {
    /// How many times `clear` was called (see the field): a shard that sees it change releases
    /// the recipients it holds for stopped sites.
    pub fn clear_generation(&self) -> u64 {
        self.clears.load(Ordering::SeqCst)
    }

    pub(super) fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The effect in force on `(site, ip)`: the site's action combined with the lane's.
    fn effect(state: &mut State, site: &SiteKey, ip: Option<IpAddr>, now_ms: u64) -> Effect {
        let site_effect = match state.sites.get(&site.name).and_then(|a| a.effect(now_ms)) {
            Some(e) => e,
            None => {
                state.sites.remove(&site.name);
                Effect::Factor(1.0)
            }
        };
        // Asking must not create a lane: only connections and messages do (status lists lanes).
        let Some(lane) = state.lanes.get_mut(&lane_key(site, ip)) else {
            return site_effect;
        };
        let e = combine(site_effect, lane.effect(now_ms));
        if e == Effect::Factor(1.0) {
            lane.learned = None;
        }
        e
    }

    fn stop(effect: Effect, state: &State, site: &SiteKey, ip: Option<IpAddr>) -> Option<Gate> {
        match effect {
            Effect::Suspended(until_ms) => Some(Gate::Wait {
                until_ms,
                reason: WaitReason::Suspended,
            }),
            Effect::Bouncing(_) => {
                let from_lane = state
                    .lanes
                    .get(&lane_key(site, ip))
                    .and_then(|l| l.active.as_ref());
                let a = from_lane.or_else(|| state.sites.get(&site.name));
                let reason = a.and_then(|a| a.reason.clone()).unwrap_or_else(|| {
                    a.map_or("bounced by a shaping rule".to_string(), |a| {
                        format!("bounced by {} after: {}", a.rule, a.reply)
                    })
                });
                Some(Gate::Bounce(reason))
            }
            Effect::Factor(_) => None,
        }
    }

    /// Whether the site (for `ip`) takes mail now: a suspension or a bounce in force.
    pub fn site_gate(&self, plan: &Plan, site: &SiteKey, ip: Option<IpAddr>, now_ms: u64) -> Gate {
        if !plan.enabled {
            return Gate::Go;
        }
        let mut s = self.lock();
        let e = Self::effect(&mut s, site, ip, now_ms);
        Self::stop(e, &s, site, ip).unwrap_or(Gate::Go)
    }

    /// Chooses the source IP for a new connection among `candidates` (already of the right
    /// family; empty = the kernel chooses): an IP still warming up while its allowance has a
    /// token (so a new IP gets exactly its schedule's share), else the next usable IP round
    /// robin. `Err` with the earliest time one is usable when none is.
    pub fn pick_source(
        &self,
        plan: &Plan,
        site: &SiteKey,
        candidates: &[IpAddr],
        now_ms: u64,
    ) -> Result<Option<IpAddr>, Gate> {
        if !plan.enabled || candidates.is_empty() {
            return Ok(candidates.first().copied());
        }
        let limits = plan.limits(&site.site).clone();
        let mut s = self.lock();
        let start = *s.rr.entry(site.name.clone()).or_default();
        let mut earliest: Option<(u64, WaitReason)> = None;
        let mut fallback = None;
        let n = candidates.len();
        for k in 0..n {
            let ip = candidates[(start + k) % n];
            let effect = Self::effect(&mut s, site, Some(ip), now_ms);
            if let Some(Gate::Wait { until_ms, reason }) = Self::stop(effect, &s, site, Some(ip)) {
                earliest = Some(earliest.map_or((until_ms, reason), |e| {
                    if until_ms < e.0 {
                        (until_ms, reason)
                    } else {
                        e
                    }
                }));
                continue;
            }
            let lane = s.lanes.entry(lane_key(site, Some(ip))).or_default();
            match plan
                .warmup_of(Some(ip))
                .and_then(|w| w.allowance(now_ms, limits.rate.map(|r| r.per_hour())))
            {
                Some(per_hour) => {
                    let rate = Rate {
                        count: per_hour as f64,
                        per_ms: 3_600_000,
                    };
                    let burst = warm_burst(per_hour);
                    let bucket = lane.warm.get_or_insert_with(|| Bucket::full(burst, now_ms));
                    if bucket.available(rate, 1.0, burst, now_ms) >= 1.0 {
                        s.rr.insert(site.name.clone(), start + k + 1);
                        return Ok(Some(ip));
                    }
                    let wait = ((1.0 - bucket.available(rate, 1.0, burst, now_ms))
                        / rate.per_ms_f())
                    .ceil() as u64;
                    let until = now_ms + wait.max(1);
                    earliest = Some(earliest.map_or((until, WaitReason::Warmup), |e| {
                        if until < e.0 {
                            (until, WaitReason::Warmup)
                        } else {
                            e
                        }
                    }));
                }
                None => {
                    if fallback.is_none() {
                        fallback = Some((k, ip));
                    }
                }
            }
        }
        if let Some((k, ip)) = fallback {
            s.rr.insert(site.name.clone(), start + k + 1);
            return Ok(Some(ip));
        }
        let (until_ms, reason) = earliest.unwrap_or((now_ms + 1000, WaitReason::Warmup));
        Err(Gate::Wait { until_ms, reason })
    }

    /// A slot for a new connection from `ip` to `site`: within `max_connections` and
    /// `connections_per_minute` (times the factor of an action in force).
    pub fn open(
        self: &Arc<Self>,
        plan: &Plan,
        site: &SiteKey,
        ip: Option<IpAddr>,
        now_ms: u64,
    ) -> Result<Option<SitePermit>, Gate> {
        if !plan.enabled {
            return Ok(None);
        }
        let limits = plan.limits(&site.site);
        let mut s = self.lock();
        let effect = Self::effect(&mut s, site, ip, now_ms);
        if let Some(stop) = Self::stop(effect, &s, site, ip) {
            return Err(stop);
        }
        let factor = match effect {
            Effect::Factor(f) => f,
            _ => 1.0,
        };
        let lane = s.lanes.entry(lane_key(site, ip)).or_default();
        let max = ((limits.max_connections as f64 * factor).floor() as usize).max(1);
        if lane.open >= max {
            return Err(Gate::Wait {
                until_ms: now_ms + 100,
                reason: WaitReason::Connections,
            });
        }
        if let Some(cpm) = limits.connections_per_minute {
            let rate = Rate {
                count: f64::from(cpm),
                per_ms: 60_000,
            };
            let burst = (f64::from(cpm) / 4.0).max(1.0);
            let bucket = lane
                .connects
                .get_or_insert_with(|| Bucket::full(burst, now_ms));
            if let Err(wait) = bucket.take(rate, factor, burst, now_ms) {
                return Err(Gate::Wait {
                    until_ms: now_ms + wait,
                    reason: WaitReason::ConnectionRate,
                });
            }
        }
        lane.open += 1;
        Ok(Some(SitePermit {
            shaper: self.clone(),
            key: lane_key(site, ip),
        }))
    }

    /// Whether the next message may go now from `ip` to `site` (the rate and the warm-up
    /// allowance, times the factor in force); counts it when it may.
    pub fn before_message(
        &self,
        plan: &Plan,
        site: &SiteKey,
        ip: Option<IpAddr>,
        now_ms: u64,
    ) -> Gate {
        if !plan.enabled {
            return Gate::Go;
        }
        let limits = plan.limits(&site.site).clone();
        let warm = plan
            .warmup_of(ip)
            .and_then(|w| w.allowance(now_ms, limits.rate.map(|r| r.per_hour())));
        let mut s = self.lock();
        let effect = Self::effect(&mut s, site, ip, now_ms);
        if let Some(stop) = Self::stop(effect, &s, site, ip) {
            return stop;
        }
        let factor = match effect {
            Effect::Factor(f) => f,
            _ => 1.0,
        };
        let lane = s.lanes.entry(lane_key(site, ip)).or_default();
        if let Some(per_hour) = warm {
            let rate = Rate {
                count: per_hour as f64,
                per_ms: 3_600_000,
            };
            let burst = warm_burst(per_hour);
            let bucket = lane.warm.get_or_insert_with(|| Bucket::full(burst, now_ms));
            if let Err(wait) = bucket.take(rate, 1.0, burst, now_ms) {
                return Gate::Wait {
                    until_ms: now_ms + wait,
                    reason: WaitReason::Warmup,
                };
            }
        }
        let rate = limits
            .rate
            .or(if factor < 1.0 { lane.learned } else { None });
        if let Some(rate) = rate {
            let burst = if limits.rate.is_some() {
                limits.burst
            } else {
                (rate.per_ms_f() * 1000.0).max(1.0)
            };
            let bucket = lane
                .messages
                .get_or_insert_with(|| Bucket::full(burst, now_ms));
            if let Err(wait) = bucket.take(rate, factor, burst * factor.max(0.01), now_ms) {
                if let Some(w) = lane.warm.as_mut() {
                    w.refund();
                }
                return Gate::Wait {
                    until_ms: now_ms + wait,
                    reason: WaitReason::Rate,
                };
            }
        }
        lane.meter.add(now_ms);
        lane.sent += 1;
        Gate::Go
    }

    /// Feeds a reply that was not a success (`421 4.7.28 …`) to the rules; returns the
    /// firings it caused.
    pub fn observe(
        &self,
        plan: &Plan,
        site: &SiteKey,
        ip: Option<IpAddr>,
        domain: &str,
        reply: &str,
        now_ms: u64,
    ) -> Vec<Fired> {
        if !plan.enabled || plan.rules.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut s = self.lock();
        for rule in plan.rules.iter().filter(|r| r.applies(&site.name, domain)) {
            if !rule.regex.is_match(reply).unwrap_or(false) {
                continue;
            }
            s.lanes.entry(lane_key(site, ip)).or_default().matched += 1;
            let scope_ip = match rule.scope {
                Scope::Site => None,
                Scope::SourceIp => ip,
            };
            // A rule whose action is already in force for this target is not counted again:
            // replies to messages already in flight when it fired must not extend it.
            let in_force = match rule.scope {
                Scope::Site => s.sites.get(&site.name),
                Scope::SourceIp => s
                    .lanes
                    .get(&lane_key(site, ip))
                    .and_then(|l| l.active.as_ref()),
            }
            .is_some_and(|a| a.rule == rule.label() && now_ms < a.until_ms);
            if in_force {
                continue;
            }
            let window = s
                .hits
                .entry((rule.index, site.name.clone(), scope_ip))
                .or_default();
            window.push_back(now_ms);
            while window
                .front()
                .is_some_and(|&t| t + rule.threshold.window_ms <= now_ms)
            {
                window.pop_front();
            }
            while window.len() > rule.threshold.count as usize {
                window.pop_front();
            }
            if window.len() < rule.threshold.count as usize {
                continue;
            }
            let matches = window.len() as u32;
            window.clear();
            let active = Active {
                action: rule.action,
                rule: rule.label(),
                reply: reply.chars().take(300).collect(),
                domain: domain.to_string(),
                since_ms: now_ms,
                until_ms: now_ms + rule.duration_ms,
                ramp_until_ms: now_ms + rule.duration_ms + rule.ramp_ms,
                factor: if rule.action == Action::Reduce {
                    rule.factor
                } else {
                    1.0
                },
                reason: rule.reason.clone(),
            };
            if rule.action == Action::Reduce && plan.limits(&site.site).rate.is_none() {
                // Nothing to reduce yet: learn what each affected lane was sending.
                for (key, lane) in s.lanes.iter_mut() {
                    if key.0 == site.name && (scope_ip.is_none() || key.1 == scope_ip) {
                        let per_min = lane.meter.last_minute(now_ms).max(1);
                        lane.learned = Some(Rate {
                            count: per_min as f64,
                            per_ms: 60_000,
                        });
                        lane.messages = None;
                    }
                }
            }
            let fired = Fired {
                time_ms: now_ms,
                site: site.name.to_string(),
                source_ip: scope_ip,
                scope: match rule.scope {
                    Scope::Site => "site",
                    Scope::SourceIp => "source_ip",
                }
                .to_string(),
                rule: active.rule.clone(),
                action: format!("{:?}", rule.action).to_ascii_lowercase(),
                until_ms: active.until_ms,
                ramp_until_ms: active.ramp_until_ms,
                factor: (rule.action == Action::Reduce).then_some(rule.factor),
                matches,
                reply: active.reply.clone(),
                domain: domain.to_string(),
            };
            match rule.scope {
                Scope::Site => {
                    s.sites.insert(site.name.clone(), active);
                }
                Scope::SourceIp => {
                    s.lanes.entry(lane_key(site, ip)).or_default().active = Some(active);
                }
            }
            s.fired.push_back(fired.clone());
            while s.fired.len() > FIRED_KEPT {
                s.fired.pop_front();
            }
            out.push(fired);
        }
        out
    }

    /// Ends the actions in force on `site` (every site when `None`), for one source IP or all;
    /// returns how many were cleared.
    pub fn clear(&self, site: Option<&str>, ip: Option<IpAddr>) -> usize {
        self.clears.fetch_add(1, Ordering::SeqCst);
        let mut s = self.lock();
        let mut n = 0;
        if ip.is_none() {
            let before = s.sites.len();
            s.sites
                .retain(|name, _| site.is_some_and(|x| x != name.as_ref()));
            n += before - s.sites.len();
        }
        for (key, lane) in s.lanes.iter_mut() {
            let hit =
                site.is_none_or(|x| x == key.0.as_ref()) && ip.is_none_or(|i| key.1 == Some(i));
            if hit {
                if lane.active.take().is_some() {
                    n += 1;
                }
                lane.learned = None;
                lane.messages = None;
            }
        }
        s.hits.retain(|(_, name, hit_ip), _| {
            !(site.is_none_or(|x| x == name.as_ref()) && (ip.is_none() || *hit_ip == ip))
        });
        n
    }
}

fn warm_burst(per_hour: u64) -> f64 {
    (per_hour as f64 / 60.0).max(1.0)
}
