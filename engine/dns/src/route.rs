//! The routing decision, without any I/O: from DNS lookup results to the ordered list of hosts a
//! message for a domain should be offered to (RFC 5321 §5.1, RFC 7505 null MX).
//!
//! Kept pure so that every rule (ordering, implicit MX, null MX, which failures are permanent)
//! is unit-tested with hand-made lookup results and a seeded RNG, and so that the resolver
//! service can re-run the decision per waiter (each gets its own shuffle of equal preferences)
//! from one set of lookups.

use std::collections::HashMap;
use std::fmt;
use std::net::{IpAddr, Ipv6Addr};

use rand::seq::SliceRandom;
use rand::Rng;

/// Where a domain's mail goes, as decided by DNS. Outcomes are data, never `Err`, so the queue can
/// map them straight to delivery statuses (SPEC §13.4/§13.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteResult {
    /// Hosts to try in order: lowest MX preference first, equal preferences in random order.
    /// Hosts whose addresses could not be found are already left out.
    Hosts(Vec<MxHost>),
    /// The domain publishes a null MX (RFC 7505): it accepts no mail. Failed, error status 1.
    NullMx,
    /// The domain does not exist (NXDOMAIN). Failed, error status 1.
    NoSuchDomain,
    /// The domain exists but no mail host has an address: neither MX nor A/AAAA records for the
    /// domain itself, or every MX host is permanently without addresses. Failed, error status 1.
    NoAddress,
    /// A temporary DNS failure (SERVFAIL, REFUSED, timeout, network): deferred and retried.
    TempFail(String),
}

impl RouteResult {
    /// Whether the delivery should be failed now (error status 1, "unknown host") rather than
    /// delivered or deferred, so callers need not list the permanent variants themselves.
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::NullMx | Self::NoSuchDomain | Self::NoAddress)
    }
}

impl fmt::Display for RouteResult {
    /// Text for the delivery log's reply column when no SMTP reply exists.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Hosts(hosts) => {
                let names: Vec<&str> = hosts.iter().map(|h| h.name.as_str()).collect();
                write!(f, "mail hosts: {}", names.join(", "))
            }
            Self::NullMx => f.write_str("domain does not accept mail (null MX, RFC 7505)"),
            Self::NoSuchDomain => f.write_str("domain does not exist (NXDOMAIN)"),
            Self::NoAddress => f.write_str("no MX host or domain address (no MX and no A/AAAA)"),
            Self::TempFail(why) => write!(f, "temporary DNS failure: {why}"),
        }
    }
}

/// One host to connect to, with every address found for it (A first, then AAAA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MxHost {
    /// The exchange name (lower case, no trailing dot), or the domain itself for an implicit
    /// MX, or the bracketed literal for an address-literal domain; used for TLS names and logs.
    pub name: String,
    /// The MX preference (0 for implicit MX and address literals).
    pub preference: u16,
    /// Addresses to try for this host.
    pub addrs: Vec<IpAddr>,
}

/// One MX record as the routing rules need it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MxRecord {
    /// Lower values are tried first.
    pub preference: u16,
    /// The host name, lower case, without trailing dot; `"."` is the root (null MX).
    pub exchange: String,
}

/// The outcome of one DNS lookup, reduced to what routing distinguishes. Generic so that MX and
/// address lookups share the cache and the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution<T> {
    /// Records were found.
    Found(T),
    /// NXDOMAIN: the name does not exist (permanent).
    NxDomain,
    /// NOERROR without records of the asked type (permanent for that type).
    NoData,
    /// Could not get an answer now (SERVFAIL, REFUSED, timeout, I/O).
    TempFail(String),
}

/// What a domain string denotes before any DNS is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A domain name to look up: lower case, no trailing dot.
    Name(String),
    /// An address literal (`[192.0.2.1]`, `[IPv6:2001:db8::1]`): no DNS at all.
    Literal(IpAddr),
    /// Not a usable domain (empty or a malformed literal): permanently unroutable.
    Invalid,
}

/// Classifies a recipient domain, so address literals skip DNS and cache keys are canonical.
pub fn parse_target(domain: &str) -> Target {
    let d = domain.trim();
    if let Some(inner) = d.strip_prefix('[') {
        let Some(inner) = inner.strip_suffix(']') else {
            return Target::Invalid;
        };
        let tagged_v6 = inner
            .get(..5)
            .filter(|tag| tag.eq_ignore_ascii_case("ipv6:"))
            .and_then(|_| inner.get(5..));
        if let Some(v6) = tagged_v6 {
            return v6
                .parse::<Ipv6Addr>()
                .map_or(Target::Invalid, |ip| Target::Literal(IpAddr::V6(ip)));
        }
        return inner
            .parse::<IpAddr>()
            .map_or(Target::Invalid, Target::Literal);
    }
    let d = d.strip_suffix('.').unwrap_or(d);
    if d.is_empty() || d.starts_with('.') || d.contains("..") {
        return Target::Invalid;
    }
    Target::Name(d.to_ascii_lowercase())
}

/// The routing result for an address literal: one host, no DNS.
pub fn literal_route(domain: &str, ip: IpAddr) -> RouteResult {
    RouteResult::Hosts(vec![MxHost {
        name: domain.trim().to_string(),
        preference: 0,
        addrs: vec![ip],
    }])
}

/// RFC 7505: a null MX is a single MX record whose exchange is the root.
pub fn is_null_mx(records: &[MxRecord]) -> bool {
    matches!(records, [only] if only.exchange == ".")
}

/// The names whose A/AAAA records the decision needs after the MX answer: the MX exchanges, the
/// domain itself when there is no MX (implicit MX), or none when the MX answer already decides.
pub fn addresses_needed(domain: &str, mx: &Resolution<Vec<MxRecord>>) -> Vec<String> {
    match mx {
        Resolution::Found(records) if !records.is_empty() => {
            if is_null_mx(records) {
                return Vec::new();
            }
            let mut names: Vec<String> = Vec::with_capacity(records.len());
            for r in records {
                if r.exchange != "." && !names.contains(&r.exchange) {
                    names.push(r.exchange.clone());
                }
            }
            names
        }
        Resolution::Found(_) | Resolution::NoData => vec![domain.to_string()],
        Resolution::NxDomain | Resolution::TempFail(_) => Vec::new(),
    }
}

/// Orders MX records: lowest preference first, equal preferences shuffled with `rng` (so load
/// spreads over equal hosts, RFC 5321 §5.1), duplicates and root exchanges dropped.
pub fn order_mx<R: Rng + ?Sized>(records: &[MxRecord], rng: &mut R) -> Vec<MxRecord> {
    let mut sorted: Vec<MxRecord> = Vec::with_capacity(records.len());
    for r in records {
        if r.exchange != "." && !sorted.iter().any(|s| s.exchange == r.exchange) {
            sorted.push(r.clone());
        } else if let Some(s) = sorted.iter_mut().find(|s| s.exchange == r.exchange) {
            s.preference = s.preference.min(r.preference);
        }
    }
    sorted.sort_by_key(|r| r.preference);
    let mut start = 0;
    while start < sorted.len() {
        let pref = sorted[start].preference;
        let end = sorted[start..]
            .iter()
            .position(|r| r.preference != pref)
            .map_or(sorted.len(), |n| start + n);
        sorted[start..end].shuffle(rng);
        start = end;
    }
    sorted
}

/// Merges the A and AAAA answers for one name: any address wins; otherwise a temporary failure
/// on either side keeps the name undecided; otherwise NXDOMAIN if either said so, else NODATA.
pub fn combine_families(
    v4: Resolution<Vec<IpAddr>>,
    v6: Resolution<Vec<IpAddr>>,
) -> Resolution<Vec<IpAddr>> {
    let mut addrs = Vec::new();
    let mut temp = None;
    let mut nx = false;
    for side in [v4, v6] {
        match side {
            Resolution::Found(a) => addrs.extend(a),
            Resolution::TempFail(e) => temp = temp.or(Some(e)),
            Resolution::NxDomain => nx = true,
            Resolution::NoData => {}
        }
    }
    if !addrs.is_empty() {
        Resolution::Found(addrs)
    } else if let Some(e) = temp {
        Resolution::TempFail(e)
    } else if nx {
        Resolution::NxDomain
    } else {
        Resolution::NoData
    }
}

/// The decision itself. `addrs` holds the address answers for the names [`addresses_needed`]
/// returned; a missing entry counts as a temporary failure (it was never asked).
pub fn decide<R: Rng + ?Sized>(
    domain: &str,
    mx: &Resolution<Vec<MxRecord>>,
    addrs: &HashMap<String, Resolution<Vec<IpAddr>>>,
    rng: &mut R,
) -> RouteResult {
    let records = match mx {
        Resolution::NxDomain => return RouteResult::NoSuchDomain,
        Resolution::TempFail(e) => {
            return RouteResult::TempFail(format!("MX lookup for {domain}: {e}"))
        }
        Resolution::Found(records) if !records.is_empty() => records,
        Resolution::Found(_) | Resolution::NoData => return implicit_mx(domain, addrs.get(domain)),
    };
    if is_null_mx(records) {
        return RouteResult::NullMx;
    }
    let ordered = order_mx(records, rng);
    if ordered.is_empty() {
        // Only root exchanges, several of them: a broken null MX, treated as one.
        return RouteResult::NullMx;
    }
    let mut hosts = Vec::with_capacity(ordered.len());
    let mut first_temp: Option<String> = None;
    for r in ordered {
        match addrs.get(&r.exchange) {
            Some(Resolution::Found(a)) if !a.is_empty() => {
                hosts.push(MxHost {
                    name: r.exchange,
                    preference: r.preference,
                    addrs: a.clone(),
                });
            }
            Some(Resolution::Found(_) | Resolution::NxDomain | Resolution::NoData) => {}
            Some(Resolution::TempFail(e)) => {
                first_temp.get_or_insert_with(|| format!("address lookup for {}: {e}", r.exchange));
            }
            None => {
                first_temp.get_or_insert_with(|| {
                    format!("address lookup for {} was not made", r.exchange)
                });
            }
        }
    }
    if !hosts.is_empty() {
        RouteResult::Hosts(hosts)
    } else if let Some(e) = first_temp {
        RouteResult::TempFail(e)
    } else {
        RouteResult::NoAddress
    }
}

/// RFC 5321 §5.1: without MX records the domain itself is the single host, preference 0.
fn implicit_mx(domain: &str, addrs: Option<&Resolution<Vec<IpAddr>>>) -> RouteResult {
    match addrs {
        Some(Resolution::Found(a)) if !a.is_empty() => RouteResult::Hosts(vec![MxHost {
            name: domain.to_string(),
            preference: 0,
            addrs: a.clone(),
        }]),
        Some(Resolution::Found(_) | Resolution::NoData | Resolution::NxDomain) => {
            RouteResult::NoAddress
        }
        Some(Resolution::TempFail(e)) => {
            RouteResult::TempFail(format!("address lookup for {domain}: {e}"))
        }
        None => RouteResult::TempFail(format!("address lookup for {domain} was not made")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn mx(preference: u16, exchange: &str) -> MxRecord {
        MxRecord {
            preference,
            exchange: exchange.to_string(),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn found(ips: &[&str]) -> Resolution<Vec<IpAddr>> {
        Resolution::Found(ips.iter().map(|s| ip(s)).collect())
    }

    fn names(r: &RouteResult) -> Vec<String> {
        match r {
            RouteResult::Hosts(h) => h.iter().map(|h| h.name.clone()).collect(),
            other => panic!("expected hosts, got {other:?}"),
        }
    }

    #[test]
    fn targets_are_classified() {
        assert_eq!(
            parse_target("Example.TEST."),
            Target::Name("example.test".into())
        );
        assert_eq!(
            parse_target("[192.0.2.1]"),
            Target::Literal(ip("192.0.2.1"))
        );
        assert_eq!(
            parse_target("[IPv6:2001:db8::1]"),
            Target::Literal(ip("2001:db8::1"))
        );
        assert_eq!(
            parse_target("[ipv6:2001:db8::1]"),
            Target::Literal(ip("2001:db8::1"))
        );
        assert_eq!(parse_target("[192.0.2.300]"), Target::Invalid);
        assert_eq!(parse_target("[192.0.2.1"), Target::Invalid);
        assert_eq!(parse_target(""), Target::Invalid);
        assert_eq!(parse_target("a..b"), Target::Invalid);
    }

    #[test]
    fn mx_ordered_by_preference_with_seeded_shuffle() {
        let records = vec![
            mx(20, "c"),
            mx(10, "a"),
            mx(10, "b"),
            mx(30, "d"),
            mx(10, "e"),
        ];
        let mut seen_first = std::collections::HashSet::new();
        for seed in 0..32 {
            let ordered = order_mx(&records, &mut StdRng::seed_from_u64(seed));
            let prefs: Vec<u16> = ordered.iter().map(|r| r.preference).collect();
            assert_eq!(prefs, vec![10, 10, 10, 20, 30]);
            assert_eq!(ordered[3].exchange, "c");
            assert_eq!(ordered[4].exchange, "d");
            seen_first.insert(ordered[0].exchange.clone());
            // The same seed gives the same order: tests and benchmarks are reproducible.
            assert_eq!(
                ordered,
                order_mx(&records, &mut StdRng::seed_from_u64(seed))
            );
        }
        assert_eq!(
            seen_first.len(),
            3,
            "equal preferences must be shuffled: {seen_first:?}"
        );
    }

    #[test]
    fn duplicate_exchanges_keep_lowest_preference() {
        let ordered = order_mx(
            &[mx(20, "a"), mx(10, "b"), mx(5, "a")],
            &mut StdRng::seed_from_u64(1),
        );
        assert_eq!(ordered, vec![mx(5, "a"), mx(10, "b")]);
    }

    #[test]
    fn hosts_without_addresses_are_skipped() {
        let answer = Resolution::Found(vec![mx(10, "mx1"), mx(20, "mx2"), mx(30, "mx3")]);
        assert_eq!(addresses_needed("d", &answer), vec!["mx1", "mx2", "mx3"]);
        let mut addrs = HashMap::new();
        addrs.insert("mx1".to_string(), Resolution::NxDomain);
        addrs.insert("mx2".to_string(), found(&["192.0.2.2", "2001:db8::2"]));
        addrs.insert("mx3".to_string(), Resolution::TempFail("timeout".into()));
        let r = decide("d", &answer, &addrs, &mut StdRng::seed_from_u64(0));
        assert_eq!(
            r,
            RouteResult::Hosts(vec![MxHost {
                name: "mx2".into(),
                preference: 20,
                addrs: vec![ip("192.0.2.2"), ip("2001:db8::2")]
            }])
        );
    }

    #[test]
    fn all_hosts_failing_temporarily_is_tempfail_and_permanently_is_no_address() {
        let answer = Resolution::Found(vec![mx(10, "mx1"), mx(20, "mx2")]);
        let mut addrs = HashMap::new();
        addrs.insert("mx1".to_string(), Resolution::NoData);
        addrs.insert("mx2".to_string(), Resolution::TempFail("SERVFAIL".into()));
        let r = decide("d", &answer, &addrs, &mut StdRng::seed_from_u64(0));
        assert!(
            matches!(r, RouteResult::TempFail(ref e) if e.contains("mx2")),
            "{r:?}"
        );
        addrs.insert("mx2".to_string(), Resolution::NxDomain);
        let r = decide("d", &answer, &addrs, &mut StdRng::seed_from_u64(0));
        assert_eq!(r, RouteResult::NoAddress);
        assert!(r.is_permanent());
    }

    #[test]
    fn implicit_mx_uses_domain_addresses() {
        for answer in [Resolution::NoData, Resolution::Found(vec![])] {
            assert_eq!(addresses_needed("d.test", &answer), vec!["d.test"]);
            let mut addrs = HashMap::new();
            addrs.insert("d.test".to_string(), found(&["192.0.2.9"]));
            let r = decide("d.test", &answer, &addrs, &mut StdRng::seed_from_u64(0));
            assert_eq!(names(&r), vec!["d.test"]);
            addrs.insert("d.test".to_string(), Resolution::NoData);
            assert_eq!(
                decide("d.test", &answer, &addrs, &mut StdRng::seed_from_u64(0)),
                RouteResult::NoAddress
            );
            addrs.insert("d.test".to_string(), Resolution::TempFail("t".into()));
            let r = decide("d.test", &answer, &addrs, &mut StdRng::seed_from_u64(0));
            assert!(matches!(r, RouteResult::TempFail(_)));
        }
    }

    #[test]
    fn null_mx_nxdomain_and_tempfail() {
        let rng = &mut StdRng::seed_from_u64(0);
        let none = HashMap::new();
        let null = Resolution::Found(vec![mx(0, ".")]);
        assert!(addresses_needed("d", &null).is_empty());
        assert_eq!(decide("d", &null, &none, rng), RouteResult::NullMx);
        assert!(RouteResult::NullMx.is_permanent());
        // A root exchange next to real hosts is ignored, not a null MX.
        let mixed = Resolution::Found(vec![mx(0, "."), mx(10, "mx")]);
        assert_eq!(addresses_needed("d", &mixed), vec!["mx"]);
        let mut addrs = HashMap::new();
        addrs.insert("mx".to_string(), found(&["192.0.2.1"]));
        assert_eq!(names(&decide("d", &mixed, &addrs, rng)), vec!["mx"]);
        assert_eq!(
            decide("d", &Resolution::NxDomain, &none, rng),
            RouteResult::NoSuchDomain
        );
        assert!(addresses_needed("d", &Resolution::NxDomain).is_empty());
        let r = decide("d", &Resolution::TempFail("SERVFAIL".into()), &none, rng);
        assert!(matches!(r, RouteResult::TempFail(_)));
        assert!(!r.is_permanent());
    }

    #[test]
    fn families_combine() {
        let v4 = found(&["192.0.2.1"]);
        let v6 = found(&["2001:db8::1"]);
        assert_eq!(
            combine_families(v4.clone(), v6),
            found(&["192.0.2.1", "2001:db8::1"])
        );
        assert_eq!(
            combine_families(v4.clone(), Resolution::TempFail("x".into())),
            v4
        );
        assert_eq!(
            combine_families(Resolution::NoData, Resolution::TempFail("x".into())),
            Resolution::TempFail("x".into())
        );
        assert_eq!(
            combine_families(Resolution::NxDomain, Resolution::NxDomain),
            Resolution::NxDomain
        );
        assert_eq!(
            combine_families(Resolution::NoData, Resolution::NoData),
            Resolution::NoData
        );
    }

    #[test]
    fn literal_routes_directly() {
        let r = literal_route("[192.0.2.1]", ip("192.0.2.1"));
        assert_eq!(names(&r), vec!["[192.0.2.1]"]);
    }
}
