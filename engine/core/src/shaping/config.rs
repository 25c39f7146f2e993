//! The `[shaping]` settings as written, and the shipped provider file in the same shape.
//!
//! Both are merged and compiled into a [`super::Plan`] by [`super::plan`]; nothing here is
//! used on a hot path.

use std::collections::BTreeMap;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::config::TlsMode;

/// `[shaping]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ShapingConfig {
    /// Site limits, reactive rules and warm-up on; `false` keeps only the per-domain speed
    /// table of `[delivery]` (the behaviour before shaping existed).
    pub enabled: bool,
    /// Use the sites and rules of the shipped provider file (`engine/core/data/providers.toml`);
    /// sites of the same name in `sites` override it field by field.
    pub provider_rules: bool,
    /// Limits of every site that neither the provider file nor `sites` names (each distinct
    /// set of MX hosts is a site of its own).
    pub default: SiteConfig,
    /// Named sites: providers' MX suffixes and domains with their limits.
    pub sites: BTreeMap<String, SiteConfig>,
    /// Reactive rules, tried in order after the provider file's.
    pub rules: Vec<RuleConfig>,
    /// Warm-up schedules of source IPs.
    pub warmup: Vec<WarmupConfig>,
}

impl Default for ShapingConfig {
    fn default() -> Self {
        ShapingConfig {
            enabled: true,
            provider_rules: true,
            default: SiteConfig::default(),
            sites: BTreeMap::new(),
            rules: Vec::new(),
            warmup: Vec::new(),
        }
    }
}

/// One site's match and limits; every limit is optional (unset = the provider file's value,
/// then the default's, then no limit).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteConfig {
    /// MX host-name suffixes (label boundary: `google.com` matches `aspmx.l.google.com`).
    pub mx_suffixes: Vec<String>,
    /// Domains that belong to the site whatever their MX (also used when mail is routed by a
    /// transport or smart host, without an MX lookup).
    pub domains: Vec<String>,
    /// Simultaneous connections per source IP.
    pub max_connections: Option<usize>,
    /// New connections per minute per source IP.
    pub connections_per_minute: Option<u32>,
    /// Messages over one connection before it is closed (the lower of this and the domain's).
    pub messages_per_connection: Option<usize>,
    /// Messages per source IP: `100/s`, `3000/min`, `10000/h`.
    pub rate: Option<String>,
    /// Messages that may go at once after a pause (token bucket size); default one second of
    /// the rate, at least 1.
    pub burst: Option<u32>,
    /// STARTTLS policy for the site, overriding the domain's.
    pub tls: Option<TlsMode>,
}

/// What a rule does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// No attempts for `duration`: the site's mail waits, then limits ramp back up.
    Suspend,
    /// Connections and rate times `factor` for `duration`, then ramp back up.
    Reduce,
    /// Queued mail for the site fails (permanently, with `reason`) for `duration`.
    Bounce,
}

/// Whether a rule acts on the whole site or on the site for the source IP that got the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Every source IP of the site.
    #[default]
    Site,
    /// Only the (site, source IP) pair that got the replies.
    SourceIp,
}

/// `[[shaping.rules]]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// A site name, a domain, or `*`.
    #[serde(default = "any_site")]
    pub site: String,
    /// Regular expression on the reply (code and enhanced code included), case-insensitive.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Fire after this many matches in the window (`3/1min`); default `1/1min` (at once).
    #[serde(default = "at_once")]
    pub threshold: String,
    /// What to do.
    pub action: Action,
    /// How long the action lasts (`30s`, `10min`, `4h`).
    pub duration: String,
    /// `reduce`: the factor applied to connections and rate (0 < f < 1); default 0.5.
    #[serde(default)]
    pub factor: Option<f64>,
    /// Site (default) or source IP.
    #[serde(default)]
    pub scope: Scope,
    /// How long limits take to climb back to normal after the action ends; default: the
    /// action's duration.
    #[serde(default)]
    pub ramp: Option<String>,
    /// `bounce`: the reason given to the failed recipients.
    #[serde(default)]
    pub reason: Option<String>,
    /// Why the rule exists (shown in `shaping.status`).
    #[serde(default)]
    pub comment: Option<String>,
}

fn any_site() -> String {
    "*".to_string()
}

fn at_once() -> String {
    "1/1min".to_string()
}

/// `[[shaping.warmup]]`: a new source IP's allowance per provider site, growing daily.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WarmupConfig {
    /// The source IP (one of the `source_ips` of the domain policies).
    pub source_ip: IpAddr,
    /// Day 1 of the schedule, `YYYY-MM-DD` (UTC).
    pub start: String,
    /// Messages per hour per site on day 1.
    #[serde(default = "first_day_per_hour")]
    pub per_hour: u64,
    /// Factor applied each day (2.0 = doubling daily).
    #[serde(default = "doubling")]
    pub growth: f64,
    /// The allowance stops growing here; at or above it the IP has no warm-up cap (0 = keep
    /// growing until it exceeds the site's rate).
    #[serde(default)]
    pub max_per_hour: u64,
}

fn first_day_per_hour() -> u64 {
    50
}

fn doubling() -> f64 {
    2.0
}

/// The provider file: the same `sites` and `rules` as `[shaping]`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderFile {
    /// Provider sites.
    pub sites: BTreeMap<String, SiteConfig>,
    /// Provider rules.
    pub rules: Vec<RuleConfig>,
}

/// The shipped provider file.
pub const PROVIDERS_TOML: &str = include_str!("../../data/providers.toml");

impl SiteConfig {
    /// `self` with every unset field taken from `base`.
    pub fn over(&self, base: &SiteConfig) -> SiteConfig {
        let pick =
            |v: &Vec<String>, b: &Vec<String>| if v.is_empty() { b.clone() } else { v.clone() };
        SiteConfig {
            mx_suffixes: pick(&self.mx_suffixes, &base.mx_suffixes),
            domains: pick(&self.domains, &base.domains),
            max_connections: self.max_connections.or(base.max_connections),
            connections_per_minute: self.connections_per_minute.or(base.connections_per_minute),
            messages_per_connection: self
                .messages_per_connection
                .or(base.messages_per_connection),
            rate: self.rate.clone().or_else(|| base.rate.clone()),
            burst: self.burst.or(base.burst),
            tls: self.tls.or(base.tls),
        }
    }
}
