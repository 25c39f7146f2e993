//! The DNS view of sender authentication: DKIM, SPF and DMARC checks ask mail-auth, which wraps
//! a hickory resolver of its own. It is built here from the same servers routing uses
//! (`delivery.dns_servers`, or the system's resolv.conf when that is empty), so `dkim.check`,
//! `spf.check` and `dmarc.check` see what the MX routing sees (and, in tests, the project's own
//! test DNS server).
//!
//! mail-auth's resolver is tokio-native; it is only used on the control plane (the RPC thread),
//! never on a shard.

use hickory_resolver::config::ResolverOpts;
use mail_auth::MessageAuthenticator;

use crate::config::Config;

/// Why a resolver could not be built.
#[derive(Debug, thiserror::Error)]
#[error("building the DNS resolver for sender-authentication checks: {0}")]
pub struct AuthDnsError(String);

/// A mail-auth authenticator asking `config`'s DNS servers, with hickory's cache off so a
/// record published a moment ago is seen by the next check (operators re-check right after
/// publishing).
pub fn authenticator(config: &Config) -> Result<MessageAuthenticator, AuthDnsError> {
    let servers = &config.delivery.dns_servers;
    let (resolver_config, mut opts) = if servers.is_empty() {
        hickory_resolver::system_conf::read_system_conf()
            .map_err(|e| AuthDnsError(e.to_string()))?
    } else {
        (
            hikyaku_dns::resolver_config_for(servers),
            ResolverOpts::default(),
        )
    };
    opts.cache_size = 0;
    opts.timeout = std::time::Duration::from_secs(5);
    opts.attempts = 2;
    MessageAuthenticator::new(resolver_config, opts).map_err(|e| AuthDnsError(e.to_string()))
}
