//! What `shaping.status` reports: per site and source IP, the limits in force now and why.

use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use super::lane::{Active, Effect};
use super::plan::{Limits, Plan, SiteRef};
use super::shaper::{Fired, Shaper};

/// Limits as they apply now (after any factor).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EffectiveLimits {
    /// Simultaneous connections.
    pub max_connections: usize,
    /// New connections per minute.
    pub connections_per_minute: Option<f64>,
    /// Messages per connection.
    pub messages_per_connection: Option<usize>,
    /// Messages per hour (the rate, or the rate learned when a reduce fired).
    pub messages_per_hour: Option<u64>,
    /// The factor in force (1 = normal; 0 = suspended).
    pub factor: f64,
}

/// One source IP of a site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LaneStatus {
    /// The IP (`null` = the kernel's choice, no `source_ips` set).
    pub source_ip: Option<IpAddr>,
    /// Connections open now.
    pub open_connections: usize,
    /// Messages sent in the last minute.
    pub sent_last_minute: u64,
    /// Messages sent since start.
    pub sent: u64,
    /// Replies that matched a rule since start.
    pub matched_replies: u64,
    /// What applies now.
    pub effective: EffectiveLimits,
    /// An action on this IP only.
    pub action: Option<Active>,
    /// Warm-up: the schedule's day (1 = first).
    pub warmup_day: Option<u64>,
    /// Warm-up: messages per hour allowed today (`null` with a day = the schedule is over).
    pub warmup_per_hour: Option<u64>,
}

/// One site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteStatus {
    /// Name.
    pub site: String,
    /// From the provider file, the settings, or unnamed (an MX set).
    pub origin: &'static str,
    /// MX suffixes (named sites).
    pub mx_suffixes: Vec<String>,
    /// The configured limits, per source IP.
    pub limits: EffectiveLimits,
    /// A site-wide action in force.
    pub action: Option<Active>,
    /// Per source IP.
    pub source_ips: Vec<LaneStatus>,
}

/// The whole answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShapingStatus {
    /// `shaping.enabled`.
    pub enabled: bool,
    /// Sites, named ones first.
    pub sites: Vec<SiteStatus>,
    /// The latest rule firings (newest last).
    pub fired: Vec<Fired>,
}

fn effective(limits: &Limits, factor: f64, learned: Option<super::spec::Rate>) -> EffectiveLimits {
    let rate = limits.rate.or(learned);
    EffectiveLimits {
        max_connections: if factor <= 0.0 {
            0
        } else {
            ((limits.max_connections as f64 * factor).floor() as usize).max(1)
        },
        connections_per_minute: limits.connections_per_minute.map(|c| f64::from(c) * factor),
        messages_per_connection: limits.messages_per_connection,
        messages_per_hour: rate.map(|r| (r.per_hour() as f64 * factor) as u64),
        factor,
    }
}

fn factor_of(e: Effect) -> f64 {
    match e {
        Effect::Factor(f) => f,
        Effect::Suspended(_) | Effect::Bouncing(_) => 0.0,
    }
}

impl Shaper {
    /// The status of every site with traffic or a name (one site with `only`).
    pub fn status(&self, plan: &Plan, only: Option<&str>, now_ms: u64) -> ShapingStatus {
        let mut s = self.lock();
        let mut names: Vec<(Arc<str>, SiteRef)> = plan
            .sites
            .iter()
            .enumerate()
            .map(|(i, site)| (site.name.clone(), SiteRef::Named(i)))
            .collect();
        let mut unnamed: Vec<Arc<str>> = s
            .lanes
            .keys()
            .map(|(n, _)| n.clone())
            .chain(s.sites.keys().cloned())
            .filter(|n| !plan.sites.iter().any(|site| site.name == *n))
            .collect();
        unnamed.sort();
        unnamed.dedup();
        names.extend(
            unnamed
                .into_iter()
                .map(|n| (n.clone(), SiteRef::Unnamed(n))),
        );
        let mut sites = Vec::new();
        for (name, site_ref) in names {
            if only.is_some_and(|o| o != name.as_ref()) {
                continue;
            }
            let limits = plan.limits(&site_ref);
            let site_action = s
                .sites
                .get(&name)
                .filter(|a| a.effect(now_ms).is_some())
                .cloned();
            let site_effect = site_action
                .as_ref()
                .and_then(|a| a.effect(now_ms))
                .unwrap_or(Effect::Factor(1.0));
            let mut lanes: Vec<LaneStatus> = Vec::new();
            for ((n, ip), lane) in s.lanes.iter_mut() {
                if *n != name {
                    continue;
                }
                let e = super::lane::combine(site_effect, lane.effect(now_ms));
                let warm = plan.warmup_of(*ip);
                lanes.push(LaneStatus {
                    source_ip: *ip,
                    open_connections: lane.open,
                    sent_last_minute: lane.meter.last_minute(now_ms),
                    sent: lane.sent,
                    matched_replies: lane.matched,
                    effective: effective(limits, factor_of(e), lane.learned),
                    action: lane.active.clone(),
                    warmup_day: warm.map(|w| w.day(now_ms)),
                    warmup_per_hour: warm
                        .and_then(|w| w.allowance(now_ms, limits.rate.map(|r| r.per_hour()))),
                });
            }
            lanes.sort_by_key(|l| l.source_ip);
            let origin = match &site_ref {
                SiteRef::Named(i) if plan.sites.get(*i).is_some_and(|s| s.shipped) => "provider",
                SiteRef::Named(_) => "settings",
                SiteRef::Unnamed(_) => "mx_set",
            };
            sites.push(SiteStatus {
                site: name.to_string(),
                origin,
                mx_suffixes: match &site_ref {
                    SiteRef::Named(i) => plan
                        .sites
                        .get(*i)
                        .map(|s| s.mx_suffixes.clone())
                        .unwrap_or_default(),
                    SiteRef::Unnamed(_) => Vec::new(),
                },
                limits: effective(limits, 1.0, None),
                action: site_action,
                source_ips: lanes,
            });
        }
        ShapingStatus {
            enabled: plan.enabled,
            sites,
            fired: s
                .fired
                .iter()
                .filter(|f| only.is_none_or(|o| o == f.site))
                .cloned()
                .collect(),
        }
    }
}
