//! `[shaping]` and the provider file compiled: sites with their effective limits, rules with
//! their regexes, warm-up schedules — and the pure question "which site is this domain in".

use std::net::IpAddr;
use std::sync::Arc;

use fancy_regex::Regex;

use super::config::{Action, ProviderFile, RuleConfig, Scope, ShapingConfig, SiteConfig};
use super::spec::{parse_duration_ms, Rate, Threshold};
use super::ShapingError;
use crate::config::TlsMode;

/// Default simultaneous connections per (site, source IP) when nothing sets it: above the
/// per-host cap's default, so only explicit settings make it bind.
pub const DEFAULT_MAX_CONNECTIONS: usize = 100;

/// Effective limits of one site, per source IP.
#[derive(Debug, Clone, PartialEq)]
pub struct Limits {
    /// Simultaneous connections.
    pub max_connections: usize,
    /// New connections per minute.
    pub connections_per_minute: Option<u32>,
    /// Messages per connection.
    pub messages_per_connection: Option<usize>,
    /// Message rate.
    pub rate: Option<Rate>,
    /// Token-bucket size of the rate.
    pub burst: f64,
    /// STARTTLS policy override.
    pub tls: Option<TlsMode>,
}

/// A named site.
#[derive(Debug, Clone)]
pub struct Site {
    /// Its name (`gmail`, or an operator's).
    pub name: Arc<str>,
    /// Lower-case MX suffixes, without a leading dot.
    pub mx_suffixes: Vec<String>,
    /// Lower-case member domains.
    pub domains: Vec<String>,
    /// Its limits.
    pub limits: Limits,
    /// Whether it comes from the provider file (and was not redefined in settings).
    pub shipped: bool,
}

/// Where a rule comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleSource {
    /// The shipped provider file.
    Provider,
    /// `[[shaping.rules]]` of the settings.
    Settings,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Position in [`Plan::rules`] (stable for one settings version).
    pub index: usize,
    /// Where it is written, and its position there (for messages: `shaping.rules[2]`).
    pub source: RuleSource,
    /// Position in its source.
    pub position: usize,
    /// `*`, a site name or a domain.
    pub site: String,
    /// The pattern as written.
    pub pattern: String,
    /// The pattern compiled, case-insensitive.
    pub regex: Regex,
    /// When to fire.
    pub threshold: Threshold,
    /// What to do.
    pub action: Action,
    /// How long, ms.
    pub duration_ms: u64,
    /// Ramp back to normal, ms.
    pub ramp_ms: u64,
    /// `reduce`'s factor.
    pub factor: f64,
    /// Site or source IP.
    pub scope: Scope,
    /// `bounce`'s reason.
    pub reason: Option<String>,
    /// Why it exists.
    pub comment: Option<String>,
}

impl Rule {
    /// The name operators see: `provider rule 3` or `shaping.rules[0]`.
    pub fn label(&self) -> String {
        match self.source {
            RuleSource::Provider => format!("provider rule {}", self.position),
            RuleSource::Settings => format!("shaping.rules[{}]", self.position),
        }
    }

    /// Whether the rule watches `site` (name) / `domain`.
    pub fn applies(&self, site: &str, domain: &str) -> bool {
        self.site == "*" || self.site == site || self.site == domain
    }
}

/// A compiled warm-up schedule.
#[derive(Debug, Clone, PartialEq)]
pub struct Warmup {
    /// The IP.
    pub source_ip: IpAddr,
    /// Day 1, ms since the epoch (00:00 UTC).
    pub start_ms: u64,
    /// Day-1 messages per hour per site.
    pub per_hour: u64,
    /// Daily factor.
    pub growth: f64,
    /// Cap of the allowance (0 = none).
    pub max_per_hour: u64,
}

const DAY_MS: u64 = 86_400_000;

impl Warmup {
    /// The schedule's day at `now_ms` (1 on the start day; 0 before it).
    pub fn day(&self, now_ms: u64) -> u64 {
        if now_ms < self.start_ms {
            0
        } else {
            (now_ms - self.start_ms) / DAY_MS + 1
        }
    }

    /// Messages per hour per site allowed at `now_ms`; `None` once the schedule is over (the
    /// allowance reached `max_per_hour`, or `site_per_hour`, the site's normal rate).
    pub fn allowance(&self, now_ms: u64, site_per_hour: Option<u64>) -> Option<u64> {
        let day = self.day(now_ms).max(1);
        let grown = self.per_hour as f64 * self.growth.powi((day - 1).min(64) as i32);
        let cap = match (self.max_per_hour, site_per_hour) {
            (0, None) => u64::MAX as f64,
            (0, Some(s)) => s as f64,
            (m, None) => m as f64,
            (m, Some(s)) => m.min(s) as f64,
        };
        if grown >= cap {
            None
        } else {
            Some(grown.max(1.0) as u64)
        }
    }
}

/// Everything shaping needs, compiled once per settings version.
#[derive(Debug, Clone)]
pub struct Plan {
    /// `shaping.enabled`.
    pub enabled: bool,
    /// Limits of unnamed sites.
    pub default: Limits,
    /// Named sites, longest MX suffix first within equal precedence.
    pub sites: Vec<Site>,
    /// Rules: the provider file's, then the settings'.
    pub rules: Vec<Rule>,
    /// Warm-up schedules.
    pub warmup: Vec<Warmup>,
}

impl Default for Plan {
    fn default() -> Self {
        Plan {
            enabled: false,
            default: limits(&SiteConfig::default(), "shaping.default", &mut Vec::new()),
            sites: Vec::new(),
            rules: Vec::new(),
            warmup: Vec::new(),
        }
    }
}

fn limits(c: &SiteConfig, key: &str, problems: &mut Vec<String>) -> Limits {
    let rate = c.rate.as_deref().and_then(|r| {
        Rate::parse(&format!("{key}.rate"), r)
            .map_err(|e| problems.push(e.to_string()))
            .ok()
    });
    let max_connections = c.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS);
    if !(1..=10_000).contains(&max_connections) {
        problems.push(format!(
            "{key}.max_connections: must be 1 to 10000, got {max_connections}"
        ));
    }
    if c.connections_per_minute == Some(0) {
        problems.push(format!("{key}.connections_per_minute: must be at least 1"));
    }
    if c.messages_per_connection == Some(0) {
        problems.push(format!("{key}.messages_per_connection: must be at least 1"));
    }
    if c.burst == Some(0) {
        problems.push(format!("{key}.burst: must be at least 1"));
    }
    let burst = match (c.burst, rate) {
        (Some(b), _) => f64::from(b),
        (None, Some(r)) => (r.per_ms_f() * 1000.0).max(1.0),
        (None, None) => 1.0,
    };
    Limits {
        max_connections,
        connections_per_minute: c.connections_per_minute,
        messages_per_connection: c.messages_per_connection,
        rate,
        burst,
        tls: c.tls,
    }
}

fn lower_names(names: &[String], key: &str, problems: &mut Vec<String>) -> Vec<String> {
    names
        .iter()
        .map(|n| {
            n.trim()
                .trim_start_matches('.')
                .trim_end_matches('.')
                .to_ascii_lowercase()
        })
        .filter(|n| {
            let ok = crate::config::is_domain(n);
            if !ok {
                problems.push(format!("{key}: {n:?} is not a domain name"));
            }
            ok
        })
        .collect()
}

fn rule(
    r: &RuleConfig,
    source: RuleSource,
    position: usize,
    problems: &mut Vec<String>,
) -> Option<Rule> {
    let key = match source {
        RuleSource::Provider => format!("providers.toml rules[{position}]"),
        RuleSource::Settings => format!("shaping.rules[{position}]"),
    };
    let before = problems.len();
    let regex = Regex::new(&format!("(?i){}", r.pattern))
        .map_err(|e| problems.push(format!("{key}.match: {e}")))
        .ok();
    let threshold = Threshold::parse(&format!("{key}.threshold"), &r.threshold)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    let duration_ms = parse_duration_ms(&format!("{key}.duration"), &r.duration)
        .map_err(|e| problems.push(e.to_string()))
        .ok();
    let ramp_ms = match &r.ramp {
        Some(t) => parse_duration_ms(&format!("{key}.ramp"), t)
            .map_err(|e| problems.push(e.to_string()))
            .ok(),
        None => duration_ms,
    };
    let factor = r.factor.unwrap_or(0.5);
    if !(factor > 0.0 && factor < 1.0) {
        problems.push(format!(
            "{key}.factor: must be between 0 and 1 (exclusive), got {factor}"
        ));
    }
    if r.factor.is_some() && r.action != Action::Reduce {
        problems.push(format!("{key}.factor: only `reduce` takes a factor"));
    }
    if r.site.trim().is_empty() {
        problems.push(format!("{key}.site: must be `*`, a site name or a domain"));
    }
    if problems.len() > before {
        return None;
    }
    Some(Rule {
        index: 0,
        source,
        position,
        site: r.site.trim().to_ascii_lowercase(),
        pattern: r.pattern.clone(),
        regex: regex?,
        threshold: threshold?,
        action: r.action,
        duration_ms: duration_ms?,
        ramp_ms: ramp_ms?,
        factor,
        scope: r.scope,
        reason: r.reason.clone(),
        comment: r.comment.clone(),
    })
}

/// The shipped provider file, parsed (a defect in it is a build-time test failure).
pub fn provider_file() -> Result<ProviderFile, ShapingError> {
    toml::from_str(super::config::PROVIDERS_TOML)
        .map_err(|e| ShapingError::ProviderFile(e.to_string()))
}

/// Compiles `[shaping]` with the provider file; every problem names its key.
pub fn compile(c: &ShapingConfig) -> Result<Plan, Vec<String>> {
    let mut problems = Vec::new();
    let providers = if c.provider_rules {
        provider_file().map_err(|e| vec![e.to_string()])?
    } else {
        ProviderFile::default()
    };
    let default = limits(&c.default, "shaping.default", &mut problems);
    let mut sites = Vec::new();
    let mut names: Vec<&String> = providers.sites.keys().chain(c.sites.keys()).collect();
    names.sort();
    names.dedup();
    for name in names {
        let key = format!("shaping.sites.{name}");
        if !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        {
            problems.push(format!(
                "{key}: site names are lower-case letters, digits, '-' and '_'"
            ));
            continue;
        }
        let shipped = providers.sites.get(name);
        let own = c.sites.get(name);
        let merged = match (own, shipped) {
            (Some(o), Some(s)) => o.over(s),
            (Some(o), None) => o.clone(),
            (None, Some(s)) => s.clone(),
            (None, None) => continue,
        }
        .over(&c.default);
        if merged.mx_suffixes.is_empty() && merged.domains.is_empty() {
            problems.push(format!("{key}: needs mx_suffixes or domains"));
        }
        sites.push(Site {
            name: Arc::from(name.as_str()),
            mx_suffixes: lower_names(
                &merged.mx_suffixes,
                &format!("{key}.mx_suffixes"),
                &mut problems,
            ),
            domains: lower_names(&merged.domains, &format!("{key}.domains"), &mut problems),
            limits: limits(&merged, &key, &mut problems),
            shipped: own.is_none(),
        });
    }
    let mut rules = Vec::new();
    let all = providers
        .rules
        .iter()
        .enumerate()
        .map(|(i, r)| (RuleSource::Provider, i, r))
        .chain(
            c.rules
                .iter()
                .enumerate()
                .map(|(i, r)| (RuleSource::Settings, i, r)),
        );
    for (source, position, r) in all {
        if let Some(mut compiled) = rule(r, source, position, &mut problems) {
            compiled.index = rules.len();
            rules.push(compiled);
        }
    }
    let mut warmup = Vec::new();
    for (i, w) in c.warmup.iter().enumerate() {
        let key = format!("shaping.warmup[{i}]");
        let start = w
            .start
            .parse::<jiff::civil::Date>()
            .ok()
            .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
            .map(|z| z.timestamp().as_millisecond().max(0) as u64);
        let Some(start_ms) = start else {
            problems.push(format!(
                "{key}.start: expected a date YYYY-MM-DD, got {:?}",
                w.start
            ));
            continue;
        };
        if w.per_hour == 0 {
            problems.push(format!("{key}.per_hour: must be at least 1"));
        }
        if !(w.growth >= 1.0 && w.growth <= 10.0) {
            problems.push(format!("{key}.growth: must be 1 to 10, got {}", w.growth));
        }
        if c.warmup[..i].iter().any(|o| o.source_ip == w.source_ip) {
            problems.push(format!(
                "{key}.source_ip: {} has two schedules",
                w.source_ip
            ));
        }
        warmup.push(Warmup {
            source_ip: w.source_ip,
            start_ms,
            per_hour: w.per_hour,
            growth: w.growth,
            max_per_hour: w.max_per_hour,
        });
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Plan {
        enabled: c.enabled,
        default,
        sites,
        rules,
        warmup,
    })
}

/// Whether `host` is `suffix` or ends with `.suffix`.
fn under(host: &str, suffix: &str) -> bool {
    host == suffix
        || (host.len() > suffix.len()
            && host.ends_with(suffix)
            && host.as_bytes()[host.len() - suffix.len() - 1] == b'.')
}

impl Plan {
    /// The site of `domain` routed to `mx_hosts`: a named site listing the domain, else the
    /// named site with the longest MX suffix matching one of the hosts, else the unnamed site
    /// of exactly that set of hosts (`mx:` + the sorted host names), so domains hosted
    /// together share limits even when no one named their provider.
    pub fn site_for(&self, domain: &str, mx_hosts: &[&str]) -> SiteRef {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        if let Some(i) = self.sites.iter().position(|s| s.domains.contains(&domain)) {
            return SiteRef::Named(i);
        }
        let mut best: Option<(usize, usize)> = None;
        for host in mx_hosts {
            let host = host.trim_end_matches('.').to_ascii_lowercase();
            for (i, s) in self.sites.iter().enumerate() {
                for suffix in &s.mx_suffixes {
                    if under(&host, suffix) && best.is_none_or(|(_, len)| suffix.len() > len) {
                        best = Some((i, suffix.len()));
                    }
                }
            }
        }
        if let Some((i, _)) = best {
            return SiteRef::Named(i);
        }
        let mut hosts: Vec<String> = mx_hosts
            .iter()
            .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
            .collect();
        hosts.sort_unstable();
        hosts.dedup();
        if hosts.is_empty() {
            return SiteRef::Unnamed(Arc::from(format!("domain:{domain}")));
        }
        SiteRef::Unnamed(Arc::from(format!("mx:{}", hosts.join(","))))
    }

    /// The site's name.
    pub fn name<'a>(&'a self, site: &'a SiteRef) -> &'a str {
        match site {
            SiteRef::Named(i) => self.sites.get(*i).map_or("", |s| &s.name),
            SiteRef::Unnamed(n) => n,
        }
    }

    /// The site's limits.
    pub fn limits(&self, site: &SiteRef) -> &Limits {
        match site {
            SiteRef::Named(i) => self.sites.get(*i).map_or(&self.default, |s| &s.limits),
            SiteRef::Unnamed(_) => &self.default,
        }
    }

    /// The warm-up schedule of `ip`, if any.
    pub fn warmup_of(&self, ip: Option<IpAddr>) -> Option<&Warmup> {
        let ip = ip?;
        self.warmup.iter().find(|w| w.source_ip == ip)
    }
}

/// A site as resolved by [`Plan::site_for`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteRef {
    /// Index into [`Plan::sites`].
    Named(usize),
    /// An unnamed site, by its key.
    Unnamed(Arc<str>),
}
