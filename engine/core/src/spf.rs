//! SPF (SPEC §8, issue 13 part 2): the record to publish for a domain, built from the
//! addresses mail leaves from, and a check of the published record against each of them.
//!
//! The record is built here (pure, [`build_record`]) but judged by mail-auth: [`check`] hands
//! every source IP to mail-auth's SPF evaluation through the configured resolver
//! ([`crate::authdns`]), so a record we print and a record a receiver evaluates are checked by
//! an implementation that is not ours. Only the control plane calls [`check`] (tokio).
//!
//! With no source IP and no include configured there is nothing honest to publish: the
//! kernel picks the outgoing address, which behind NAT is not the address receivers see, and
//! an `a mx` guess authorises the MX hosts (which usually do not send). [`build_record`] then
//! fails naming the settings to fill in.

use std::net::IpAddr;

use mail_auth::common::parse::TxtRecordParser;
use mail_auth::spf::verify::SpfParameters;
use mail_auth::{MessageAuthenticator, SpfResult};

use crate::config::{parse_ip_or_cidr, Config};

/// Why no record or check could be produced.
#[derive(Debug, thiserror::Error)]
pub enum SpfError {
    /// Neither source IPs nor includes are configured.
    #[error(
        "no sending address is configured: set delivery.default.source_ips (or a domain's \
         source_ips) to the addresses mail leaves from, spf.extra_ips for public addresses \
         behind NAT, or spf.include for a relay's record"
    )]
    NothingToAuthorise,
    /// The domain is not a DNS name.
    #[error("{0:?} is not a domain name")]
    BadDomain(String),
}

/// A record to publish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfRecord {
    /// Owner name of the TXT record (the domain itself).
    pub record_name: String,
    /// The TXT text.
    pub record_value: String,
    /// Advice about the record (length, private addresses).
    pub notes: Vec<String>,
}

/// One address (or range) mail leaves from, as SPF spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    /// The address (the first of a range).
    pub ip: IpAddr,
    /// Prefix length of a range from `spf.extra_ips`.
    pub prefix: Option<u8>,
}

impl Source {
    /// `ip4:…`/`ip6:…`, with the prefix of a range.
    pub fn mechanism(&self) -> String {
        let kind = if self.ip.is_ipv4() { "ip4" } else { "ip6" };
        match self.prefix {
            Some(p) => format!("{kind}:{}/{p}", self.ip),
            None => format!("{kind}:{}", self.ip),
        }
    }
}

/// Every address mail leaves from: the `source_ips` of `[delivery.default]` and of every
/// per-domain policy, then `spf.extra_ips`; sorted, without duplicates. Extra entries that do
/// not parse are skipped (settings validation refuses them before they get here).
pub fn sources(config: &Config) -> Vec<Source> {
    let d = &config.delivery;
    let mut out: Vec<Source> = d
        .default
        .source_ips
        .iter()
        .chain(d.domains.values().flat_map(|p| p.source_ips.iter()))
        .map(|&ip| Source { ip, prefix: None })
        .chain(
            config
                .spf
                .extra_ips
                .iter()
                .filter_map(|t| parse_ip_or_cidr(t).ok())
                .map(|(ip, prefix)| Source { ip, prefix }),
        )
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Lower-cases a domain and checks it is a DNS name.
pub fn normalise_domain(domain: &str) -> Result<String, SpfError> {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    if crate::config::is_domain(&d) && d.contains('.') {
        Ok(d)
    } else {
        Err(SpfError::BadDomain(domain.to_string()))
    }
}

/// The record for `domain`: `v=spf1`, the sources, the includes, `~all`. Soft fail rather than
/// `-all`: with DMARC published, receivers act on DMARC's policy, and a hard fail makes some
/// of them reject forwarded mail before DMARC (and DKIM, which survives forwarding) is looked at.
pub fn build_record(config: &Config, domain: &str) -> Result<SpfRecord, SpfError> {
    let domain = normalise_domain(domain)?;
    let sources = sources(config);
    if sources.is_empty() && config.spf.include.is_empty() {
        return Err(SpfError::NothingToAuthorise);
    }
    let mut terms = vec!["v=spf1".to_string()];
    terms.extend(sources.iter().map(Source::mechanism));
    terms.extend(
        config
            .spf
            .include
            .iter()
            .map(|i| format!("include:{}", i.trim_end_matches('.').to_ascii_lowercase())),
    );
    terms.push("~all".to_string());
    let value = terms.join(" ");
    let mut notes = Vec::new();
    let private: Vec<String> = sources
        .iter()
        .filter(|s| !is_public(s.ip))
        .map(|s| s.ip.to_string())
        .collect();
    if !private.is_empty() {
        notes.push(format!(
            "{} not a public address: receivers see the address after NAT; list that one in spf.extra_ips",
            private.join(", ") + if private.len() == 1 { " is" } else { " are" }
        ));
    }
    if value.len() > 255 {
        notes.push(format!(
            "the record is {} bytes: publish it as one TXT record of several quoted strings of at most 255 bytes each",
            value.len()
        ));
    }
    Ok(SpfRecord {
        record_name: domain,
        record_value: value,
        notes,
    })
}

fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            !(v4.is_private()
                || v4.is_loopback()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_documentation())
        }
        IpAddr::V6(v6) => {
            !(v6.is_loopback()
                || v6.is_unspecified()
                || (v6.segments()[0] & 0xfe00) == 0xfc00
                || (v6.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

/// What DNS holds for a domain's SPF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Published {
    /// One `v=spf1` record that mail-auth parses.
    Valid(String),
    /// No `v=spf1` record (SPF result `none` for every address).
    Missing,
    /// A `v=spf1` record mail-auth cannot parse (SPF `permerror`).
    Invalid(String),
    /// More than one `v=spf1` record (RFC 7208 §4.5: `permerror`).
    Multiple(Vec<String>),
    /// The lookup failed (timeout, SERVFAIL): nothing can be concluded.
    DnsError(String),
}

/// mail-auth's verdict for one source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The source.
    pub source: Source,
    /// SPF result (`pass`, `fail`, `softfail`, `neutral`, `none`, `temperror`, `permerror`).
    pub result: String,
    /// Only `pass` authorises.
    pub authorised: bool,
}

/// The outcome of [`check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpfCheck {
    /// The domain checked.
    pub domain: String,
    /// The published record.
    pub published: Published,
    /// One verdict per source.
    pub verdicts: Vec<Verdict>,
    /// Advice.
    pub notes: Vec<String>,
}

/// Classifies the TXT strings at a name (pure).
pub fn classify(records: Result<Vec<String>, String>) -> Published {
    let records = match records {
        Ok(r) => r,
        Err(e) => return Published::DnsError(e),
    };
    let spf: Vec<String> = records
        .into_iter()
        .filter(|r| {
            let l = r.trim_start().to_ascii_lowercase();
            l == "v=spf1" || l.starts_with("v=spf1 ")
        })
        .collect();
    match spf.as_slice() {
        [] => Published::Missing,
        [one] => match mail_auth::spf::Spf::parse(one.as_bytes()) {
            Ok(_) => Published::Valid(one.clone()),
            Err(_) => Published::Invalid(one.clone()),
        },
        _ => Published::Multiple(spf),
    }
}

/// The TXT strings at `name` (each record's character-strings joined, RFC 7208 §3.3); an
/// absent name or an absent TXT record is an empty list, other failures an error text.
pub async fn txt_records(auth: &MessageAuthenticator, name: &str) -> Result<Vec<String>, String> {
    use mail_auth::hickory_resolver::net::{DnsError, NetError};
    use mail_auth::hickory_resolver::proto::rr::RData;
    let fqdn = if name.ends_with('.') {
        name.to_string()
    } else {
        format!("{name}.")
    };
    match auth.resolver().txt_lookup(fqdn.as_str()).await {
        Ok(lookup) => Ok(lookup
            .answers()
            .iter()
            .filter_map(|r| match &r.data {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|s| String::from_utf8_lossy(s).into_owned())
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect()),
        Err(NetError::Dns(DnsError::NoRecordsFound(_))) => Ok(Vec::new()),
        Err(e) => Err(e.to_string()),
    }
}

/// Looks up `domain`'s record and asks mail-auth whether it authorises each source for the
/// MAIL FROM identity `postmaster@domain`, as a receiver would for our bounce address.
pub async fn check(
    auth: &MessageAuthenticator,
    config: &Config,
    domain: &str,
) -> Result<SpfCheck, SpfError> {
    let domain = normalise_domain(domain)?;
    let published = classify(txt_records(auth, &domain).await);
    let helo = config.effective_hostname();
    let sender = format!("postmaster@{domain}");
    let mut verdicts = Vec::new();
    let sources = sources(config);
    for source in &sources {
        let output = auth
            .verify_spf(SpfParameters::verify_mail_from(
                source.ip, &helo, &helo, &sender,
            ))
            .await;
        verdicts.push(Verdict {
            source: *source,
            result: output.result().to_string().to_ascii_lowercase(),
            authorised: output.result() == SpfResult::Pass,
        });
    }
    let mut notes = Vec::new();
    if sources.is_empty() {
        notes.push(
            "no source IP is configured (delivery.*.source_ips, spf.extra_ips): only the record itself was looked up"
                .to_string(),
        );
    }
    if sources.iter().any(|s| s.prefix.is_some()) {
        notes.push("a range is checked at its first address".to_string());
    }
    Ok(SpfCheck {
        domain,
        published,
        verdicts,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        let c = Config::from_toml(toml).unwrap();
        c.validate().unwrap();
        c
    }

    #[test]
    fn the_record_lists_every_source_once_and_parses_with_mail_auth() {
        let c = config(
            "[delivery.default]\nsource_ips = [\"198.51.100.7\", \"2001:db8::25\"]\n\
             [delivery.domains.\"big.test\"]\nsource_ips = [\"198.51.100.8\", \"198.51.100.7\"]\n\
             [spf]\ninclude = [\"_spf.Relay.test\"]\nextra_ips = [\"203.0.113.0/28\"]\n",
        );
        let r = build_record(&c, "Example.COM.").unwrap();
        assert_eq!(r.record_name, "example.com");
        assert_eq!(
            r.record_value,
            "v=spf1 ip4:198.51.100.7 ip4:198.51.100.8 ip4:203.0.113.0/28 ip6:2001:db8::25 \
             include:_spf.relay.test ~all"
        );
        assert_eq!(
            classify(Ok(vec![r.record_value.clone()])),
            Published::Valid(r.record_value)
        );
        // Documentation addresses are flagged as not public.
        assert!(r.notes.iter().any(|n| n.contains("198.51.100.7")));
    }

    #[test]
    fn nothing_configured_is_an_error_naming_the_settings() {
        let e = build_record(&config(""), "example.com").unwrap_err();
        assert!(matches!(e, SpfError::NothingToAuthorise));
        assert!(e.to_string().contains("source_ips") && e.to_string().contains("spf.include"));
        let include_only = config("[spf]\ninclude = [\"_spf.relay.test\"]\n");
        assert_eq!(
            build_record(&include_only, "example.com")
                .unwrap()
                .record_value,
            "v=spf1 include:_spf.relay.test ~all"
        );
        assert!(build_record(&include_only, "not a domain").is_err());
        assert!(build_record(&include_only, "localhost").is_err());
    }

    #[test]
    fn published_records_are_classified() {
        let txt = |v: &[&str]| Ok(v.iter().map(|s| s.to_string()).collect());
        assert_eq!(
            classify(txt(&["google-site-verification=x"])),
            Published::Missing
        );
        assert!(
            matches!(classify(txt(&["v=spf1 -all", "v=spf1 ~all"])), Published::Multiple(v) if v.len() == 2)
        );
        assert!(matches!(
            classify(txt(&["v=spf1 include -all"])),
            Published::Invalid(_)
        ));
        assert!(matches!(
            classify(Err("timeout".into())),
            Published::DnsError(_)
        ));
        assert!(matches!(
            classify(txt(&["v=spf10 -all"])),
            Published::Missing
        ));
    }
}
