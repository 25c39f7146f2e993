//! Delivery settings (SPEC §5): routing overrides, per-domain speed and retry timing.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

use crate::maintenance::retention::{parse_zone, RetentionError};

/// Outbound STARTTLS policy for a destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Never deliver without TLS (defer instead).
    Required,
    /// STARTTLS when offered (the default), plain otherwise.
    Opportunistic,
    /// Never STARTTLS.
    Disabled,
}

/// Speed and routing for one destination domain (or the default for all others).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DomainPolicy {
    /// Simultaneous connections to the domain, over all shards (20, Postfix's
    /// `default_destination_concurrency_limit`: with 10, one hot domain could not keep both
    /// cores busy — bench/RESULTS.md, "One hot destination on every core").
    pub max_connections: usize,
    /// Messages sent over one connection before it is closed.
    pub max_messages_per_connection: usize,
    /// Pause between messages on one connection, ms.
    pub interval_ms: u64,
    /// STARTTLS policy.
    pub tls: TlsMode,
    /// Send to this `host:port` instead of the domain's MX ("forward a domain").
    pub transport: Option<String>,
    /// Local addresses to bind outgoing connections to (spread round robin); empty = the
    /// kernel's choice.
    pub source_ips: Vec<std::net::IpAddr>,
    /// Send with BDAT when the server offers CHUNKING and PIPELINING (one round trip per
    /// message instead of two); `false` always uses DATA, for a destination whose BDAT
    /// handling is broken.
    pub chunking: bool,
}

impl Default for DomainPolicy {
    fn default() -> Self {
        Self {
            max_connections: 20,
            max_messages_per_connection: 100,
            interval_ms: 0,
            tls: TlsMode::Opportunistic,
            transport: None,
            source_ips: Vec::new(),
            chunking: true,
        }
    }
}

/// The `[delivery]` section.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DeliveryConfig {
    /// Send all mail to this `host:port` instead of MX lookups (a per-domain `transport` wins).
    pub smart_host: Option<String>,
    /// DNS servers for MX/A/AAAA lookups; empty = the system's resolv.conf.
    pub dns_servers: Vec<SocketAddr>,
    /// First retry delay after a temporary failure, seconds (doubles each time).
    pub retry_first_secs: u64,
    /// Largest retry delay, seconds.
    pub retry_max_secs: u64,
    /// Resend period: a delivery still deferred this long after queuing fails (status 3).
    pub give_up_after_secs: u64,
    /// Connect timeout per destination address, seconds.
    pub connect_timeout_secs: u64,
    /// Longest wait for a server's reply to the greeting and each command up to the end of
    /// the data (and for each write of data), seconds; caps RFC 5321's 2–5 minutes, which the
    /// default keeps. A whole reply must arrive in it, however slowly it trickles in.
    pub command_timeout_secs: u64,
    /// Longest wait for the reply after the end of the data, seconds (RFC 5321: 10 minutes;
    /// giving up earlier risks a duplicate delivery).
    pub data_timeout_secs: u64,
    /// TCP port of MX hosts (25; other values are for test and benchmark set-ups whose local
    /// DNS points MX records at loopback sinks).
    pub mx_port: u16,
    /// Report-data retention in local days: the daily purge keeps the purge day and this
    /// many days before it, and range-deletes older delivery-log records, error-log records,
    /// raw bounces, received messages and graph counters (see `maintenance::retention`).
    pub log_retention_days: u64,
    /// Local hour (0–23) of the daily retention purge.
    pub retention_hour: u8,
    /// Time zone of the purge hour and of the day boundaries retention counts: `UTC`, an IANA
    /// name (`Asia/Tokyo`) or a fixed offset (`+09:00`).
    pub retention_time_zone: String,
    /// Simultaneous connections to one destination IP address over all shards and domains
    /// (many domains share hosted MX servers).
    pub max_connections_per_host: usize,
    /// Policy for every domain not listed in `domains`.
    pub default: DomainPolicy,
    /// Per-domain policies (lower-case domain names).
    pub domains: BTreeMap<String, DomainPolicy>,
}

impl Default for DeliveryConfig {
    fn default() -> Self {
        Self {
            smart_host: None,
            dns_servers: Vec::new(),
            retry_first_secs: 600,
            retry_max_secs: 3600,
            give_up_after_secs: 72 * 3600,
            connect_timeout_secs: 30,
            command_timeout_secs: 300,
            data_timeout_secs: 600,
            mx_port: 25,
            log_retention_days: 40,
            retention_hour: 3,
            retention_time_zone: "UTC".to_string(),
            max_connections_per_host: 50,
            default: DomainPolicy::default(),
            domains: BTreeMap::new(),
        }
    }
}

impl DeliveryConfig {
    /// The policy that applies to `domain` (lower-case).
    pub fn policy(&self, domain: &str) -> &DomainPolicy {
        self.domains.get(domain).unwrap_or(&self.default)
    }

    /// The SMTP client's timeouts: RFC 5321's, capped by `command_timeout_secs` and with
    /// `data_timeout_secs` after the end of the data.
    pub fn client_timeouts(&self) -> hikyaku_smtp::client::ClientTimeouts {
        let rfc = hikyaku_smtp::client::ClientTimeouts::default();
        let cap = std::time::Duration::from_secs(self.command_timeout_secs);
        hikyaku_smtp::client::ClientTimeouts {
            greeting: rfc.greeting.min(cap),
            ehlo: rfc.ehlo.min(cap),
            mail: rfc.mail.min(cap),
            rcpt: rfc.rcpt.min(cap),
            data_init: rfc.data_init.min(cap),
            data_block: rfc.data_block.min(cap),
            data_end: std::time::Duration::from_secs(self.data_timeout_secs),
        }
    }

    /// Range problems, each naming its key.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let host_port = |v: &str| {
            v.rsplit_once(':')
                .is_some_and(|(h, p)| !h.is_empty() && p.parse::<u16>().is_ok_and(|p| p > 0))
        };
        if let Some(h) = &self.smart_host {
            if !host_port(h) {
                out.push(format!(
                    "delivery.smart_host: expected host:port, got {h:?}"
                ));
            }
        }
        if self.retry_first_secs == 0 || self.retry_first_secs > self.retry_max_secs {
            out.push(format!(
                "delivery.retry_first_secs: must be 1 to retry_max_secs ({}), got {}",
                self.retry_max_secs, self.retry_first_secs
            ));
        }
        if self.give_up_after_secs < self.retry_first_secs {
            out.push(format!(
                "delivery.give_up_after_secs: must be at least retry_first_secs, got {}",
                self.give_up_after_secs
            ));
        }
        if !(1..=600).contains(&self.connect_timeout_secs) {
            out.push(format!(
                "delivery.connect_timeout_secs: must be 1 to 600, got {}",
                self.connect_timeout_secs
            ));
        }
        if !(1..=600).contains(&self.command_timeout_secs) {
            out.push(format!(
                "delivery.command_timeout_secs: must be 1 to 600, got {}",
                self.command_timeout_secs
            ));
        }
        if !(1..=3600).contains(&self.data_timeout_secs) {
            out.push(format!(
                "delivery.data_timeout_secs: must be 1 to 3600, got {}",
                self.data_timeout_secs
            ));
        }
        if self.log_retention_days == 0 {
            out.push(RetentionError::Days.to_string());
        }
        if self.retention_hour > 23 {
            out.push(RetentionError::Hour(self.retention_hour).to_string());
        }
        if let Err(e) = parse_zone(&self.retention_time_zone) {
            out.push(RetentionError::Zone(e).to_string());
        }
        if !(1..=100_000).contains(&self.max_connections_per_host) {
            out.push(format!(
                "delivery.max_connections_per_host: must be 1 to 100000, got {}",
                self.max_connections_per_host
            ));
        }
        let mut check_policy = |key: String, p: &DomainPolicy| {
            if !(1..=1000).contains(&p.max_connections) {
                out.push(format!(
                    "{key}.max_connections: must be 1 to 1000, got {}",
                    p.max_connections
                ));
            }
            if !(1..=100_000).contains(&p.max_messages_per_connection) {
                out.push(format!(
                    "{key}.max_messages_per_connection: must be 1 to 100000, got {}",
                    p.max_messages_per_connection
                ));
            }
            if let Some(t) = &p.transport {
                if !host_port(t) {
                    out.push(format!("{key}.transport: expected host:port, got {t:?}"));
                }
            }
        };
        check_policy("delivery.default".to_string(), &self.default);
        for (domain, p) in &self.domains {
            check_policy(format!("delivery.domains.{domain:?}"), p);
        }
        for domain in self.domains.keys() {
            if domain.to_ascii_lowercase() != *domain {
                out.push(format!(
                    "delivery.domains.{domain:?}: domain names must be lower case"
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_settings_are_checked_together_naming_their_keys() {
        let config = DeliveryConfig {
            log_retention_days: 0,
            retention_hour: 24,
            retention_time_zone: "Mars/Olympus_Mons".into(),
            ..DeliveryConfig::default()
        };
        let problems = config.problems();
        assert_eq!(
            problems,
            [
                "delivery.log_retention_days: must be at least 1, got 0",
                "delivery.retention_hour: must be 0 to 23, got 24",
                "delivery.retention_time_zone: \"Mars/Olympus_Mons\" is not a known IANA time \
                 zone such as Asia/Tokyo, nor an offset such as +09:00",
            ]
        );
        for zone in ["UTC", "Europe/Berlin", "+09:00", "-05:30", "+9"] {
            let config = DeliveryConfig {
                retention_time_zone: zone.into(),
                retention_hour: 23,
                ..DeliveryConfig::default()
            };
            assert!(config.problems().is_empty(), "{zone}");
        }
        let config = DeliveryConfig {
            retention_time_zone: "+25:00".into(),
            ..DeliveryConfig::default()
        };
        assert_eq!(
            config.problems(),
            ["delivery.retention_time_zone: \"+25:00\" is not an offset such as +09:00"]
        );
    }
}
