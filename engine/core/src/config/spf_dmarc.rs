//! The `[spf]` and `[dmarc]` sections: what `spf.record` puts in the record besides the
//! source-IP pool, and where DMARC aggregate reports are to be sent (SPEC §7, §8).

use serde::{Deserialize, Serialize};

use super::Config;

/// The `[spf]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SpfConfig {
    /// Domains whose SPF records also authorise our mail (`include:` mechanisms), e.g. the
    /// relay provider of a smart host. At most 10: every include costs DNS lookups and SPF
    /// allows 10 per evaluation (RFC 7208 §4.6.4).
    pub include: Vec<String>,
    /// Addresses or CIDR ranges mail leaves from besides `source_ips` (the public address of
    /// a NAT, or the pool of a smart host): published as `ip4:`/`ip6:` and checked by
    /// `spf.check` like the source IPs.
    pub extra_ips: Vec<String>,
}

/// The `[dmarc]` section.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DmarcConfig {
    /// Where aggregate reports are sent (`rua=mailto:…` of `dmarc.record`): an address on a
    /// bounce or inbound domain, so the receiving listener accepts the reports and files them
    /// per domain. Empty = no report collection (`dmarc.record` then needs an explicit `rua`).
    pub report_address: String,
}

impl DmarcConfig {
    /// Whether `recipient` is the report address (case-insensitive).
    pub fn is_report_address(&self, recipient: &str) -> bool {
        !self.report_address.is_empty() && recipient.eq_ignore_ascii_case(&self.report_address)
    }
}

/// A textual address or CIDR range of `spf.extra_ips`, as SPF writes it (`192.0.2.0/24`).
pub fn parse_ip_or_cidr(text: &str) -> Result<(std::net::IpAddr, Option<u8>), String> {
    let (ip, prefix) = match text.split_once('/') {
        Some((ip, p)) => (ip, Some(p)),
        None => (text, None),
    };
    let ip: std::net::IpAddr = ip
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not an IP address or CIDR range"))?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    let prefix = prefix
        .map(|p| match p.trim().parse::<u8>() {
            Ok(n) if n <= max => Ok(n),
            _ => Err(format!("{text:?}: the prefix length must be 0 to {max}")),
        })
        .transpose()?;
    Ok((ip, prefix))
}

/// Problems of both sections, each naming its key.
pub(super) fn problems(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let spf = &config.spf;
    if spf.include.len() > 10 {
        out.push(format!(
            "spf.include: at most 10 (SPF allows 10 DNS lookups), got {}",
            spf.include.len()
        ));
    }
    for d in &spf.include {
        if !is_domain(d) {
            out.push(format!("spf.include: {d:?} is not a domain name"));
        }
    }
    for ip in &spf.extra_ips {
        if let Err(e) = parse_ip_or_cidr(ip) {
            out.push(format!("spf.extra_ips: {e}"));
        }
    }
    let address = config.dmarc.report_address.trim();
    if !address.is_empty() {
        match address.rsplit_once('@') {
            Some((local, domain)) if !local.is_empty() && is_domain(domain) => {
                let accepted = config
                    .bounce
                    .bounce_domains()
                    .iter()
                    .chain(&config.receive.inbound_domains)
                    .any(|d| d.eq_ignore_ascii_case(domain));
                if !accepted {
                    out.push(format!(
                        "dmarc.report_address: {domain:?} is not a domain the receiving listener accepts; \
                         add it to receive.inbound_domains (or use an address on a bounce domain)"
                    ));
                }
            }
            _ => out.push(format!(
                "dmarc.report_address: {address:?} is not an email address"
            )),
        }
    }
    out
}

/// A syntactically valid DNS name: dot-separated labels of letters, digits and hyphens.
pub(crate) fn is_domain(d: &str) -> bool {
    let d = d.strip_suffix('.').unwrap_or(d);
    !d.is_empty()
        && d.len() <= 253
        && d.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(toml: &str) -> Config {
        Config::from_toml(toml).unwrap()
    }

    #[test]
    fn the_report_address_must_be_on_an_accepted_domain() {
        let bad = config("[dmarc]\nreport_address = \"dmarc@elsewhere.test\"\n");
        let p = problems(&bad);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].starts_with("dmarc.report_address:") && p[0].contains("inbound_domains"));
        let inbound = config(
            "[receive]\ninbound_domains = [\"in.test\"]\n[dmarc]\nreport_address = \"DMARC@In.Test\"\n",
        );
        assert!(problems(&inbound).is_empty());
        let bounce = config(
            "[bounce]\nreturn_path_domain = \"b.test\"\n[dmarc]\nreport_address = \"r@b.test\"\n",
        );
        assert!(problems(&bounce).is_empty());
        assert!(config("[dmarc]\nreport_address = \"nobody\"\n")
            .validate()
            .is_err());
    }

    #[test]
    fn spf_settings_are_checked() {
        let c = config(
            "[spf]\ninclude = [\"_spf.relay.test\", \"bad domain\"]\nextra_ips = [\"192.0.2.0/24\", \"2001:db8::/129\", \"x\"]\n",
        );
        let p = problems(&c);
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p.iter().all(|m| m.starts_with("spf.")));
        assert_eq!(
            parse_ip_or_cidr("192.0.2.0/24").unwrap(),
            ("192.0.2.0".parse().unwrap(), Some(24))
        );
    }
}
