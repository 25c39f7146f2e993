//! `[console]`: the web console's HTTPS listener and session idle timeout.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The read-only web console (docs/operations.md, "Web console"). Fixed at start: a new
/// listener or certificate needs a restart, like the other listeners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConsoleConfig {
    /// Serve the console at all.
    pub enabled: bool,
    /// HTTPS listener address.
    pub listen: SocketAddr,
    /// PEM certificate chain; empty = the relay's certificate (the configured one, or the
    /// self-signed one generated at first start).
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// A console session unused this long ends (the login's own lifetime,
    /// `rpc.session_hours`, still applies).
    pub idle_timeout_secs: u64,
}

impl Default for ConsoleConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            tls_cert: None,
            tls_key: None,
            idle_timeout_secs: 1800,
        }
    }
}

impl ConsoleConfig {
    /// Problems of this section, each naming its key.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.tls_cert.is_some() != self.tls_key.is_some() {
            out.push("console.tls_cert: tls_cert and tls_key must be set together".to_string());
        }
        if !(10..=86_400).contains(&self.idle_timeout_secs) {
            out.push(format!(
                "console.idle_timeout_secs: must be 10 to 86400, got {}",
                self.idle_timeout_secs
            ));
        }
        out
    }
}
