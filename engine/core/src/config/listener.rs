//! Settings of the SMTP relay listener (SPEC §3): limits, access and TLS.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// What to do with a bare CR or bare LF inside message content (SMTP smuggling defence).
///
/// In both modes only `<CRLF>.<CRLF>` ends DATA. `normalize` (the default, like Postfix's
/// `smtpd_forbid_bare_newline = normalize`) stores bare line endings as CRLF, which keeps mail
/// from sloppy applications flowing while making a smuggled `<LF>.<LF>` harmless downstream
/// (it is dot-stuffed on the way out). `reject` refuses such messages with `550 5.6.11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LineEndingPolicy {
    /// Store bare CR/LF as CRLF.
    Normalize,
    /// Refuse the message.
    Reject,
}

/// RFC 5321 §4.5.3.2 server timeouts, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimeoutsConfig {
    /// Waiting for the next command (RFC: at least 5 minutes).
    pub command_secs: u64,
    /// Waiting for the next block of message content (3 minutes, as for clients).
    pub data_block_secs: u64,
    /// Waiting for the end of the message once content started (10 minutes).
    pub data_end_secs: u64,
}

impl Default for TimeoutsConfig {
    fn default() -> Self {
        Self {
            command_secs: 300,
            data_block_secs: 180,
            data_end_secs: 600,
        }
    }
}

/// The relay listener where applications submit mail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RelayConfig {
    /// Address to bind; every shard binds it with SO_REUSEPORT.
    pub listen: SocketAddr,
    /// Simultaneous connections across all shards; more get `421 4.7.0`.
    pub max_connections: usize,
    /// Minimum milliseconds per accepted message on one connection (flow control); 0 = off.
    pub reception_interval_ms: u64,
    /// Largest message accepted, in KiB (advertised with SIZE; larger gets `552 5.3.4`).
    pub max_message_size_kb: usize,
    /// Recipients per message; more get `452 4.5.3`.
    pub max_recipients: usize,
    /// Source addresses and CIDR ranges allowed to relay without AUTH.
    pub allowed_ips: Vec<String>,
    /// Offer AUTH without TLS; unset means "yes when the listen address is loopback".
    pub plain_auth_allowed: Option<bool>,
    /// PEM certificate chain for STARTTLS; unset = a self-signed one generated in the data dir.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Offer STARTTLS at all.
    pub starttls: bool,
    /// Bare CR/LF handling in message content.
    pub bare_line_ending: LineEndingPolicy,
    /// Protocol timeouts.
    pub timeouts: TimeoutsConfig,
}

impl Default for RelayConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 2525)),
            max_connections: 1000,
            reception_interval_ms: 0,
            max_message_size_kb: 10 * 1024,
            max_recipients: 1000,
            allowed_ips: vec!["127.0.0.0/8".to_string(), "::1/128".to_string()],
            plain_auth_allowed: None,
            tls_cert: None,
            tls_key: None,
            starttls: true,
            bare_line_ending: LineEndingPolicy::Normalize,
            timeouts: TimeoutsConfig::default(),
        }
    }
}

impl RelayConfig {
    /// Whether AUTH may be offered before STARTTLS on this listener.
    pub fn effective_plain_auth(&self) -> bool {
        self.plain_auth_allowed
            .unwrap_or_else(|| self.listen.ip().is_loopback())
    }
}
