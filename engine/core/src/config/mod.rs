//! Engine configuration: TOML on disk, compiled defaults when absent, flags on top.
//!
//! The file is parsed with `deny_unknown_fields` so a misspelt key is a start-up error that names
//! it, and every value is then validated in one pass ([`Config::validate`]) so an operator sees all
//! problems at once instead of fixing them one restart at a time. Every key has a default, which is
//! what `hikyakud` runs with when no file is given (sandbox mode, `./data`, relay on
//! 127.0.0.1:2525): a new user can try the engine with no set-up at all.

mod accounts;
mod console;
mod delivery;
mod listener;
pub mod policy;
mod snapshot;
mod spf_dmarc;
mod validate;

pub use accounts::AccountsConfig;
pub use console::ConsoleConfig;
pub use delivery::{DeliveryConfig, DomainPolicy, TlsMode};
pub use listener::{LineEndingPolicy, RelayConfig, TimeoutsConfig};
pub use snapshot::Snapshot;
pub(crate) use spf_dmarc::is_domain;
pub use spf_dmarc::{parse_ip_or_cidr, DmarcConfig, SpfConfig};

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Why a configuration could not be loaded; each variant names what the operator must fix.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config file {path}: {source}")]
    Read {
        /// File that was asked for.
        path: PathBuf,
        /// Underlying I/O error.
        source: std::io::Error,
    },
    /// TOML syntax error, unknown key or a value of the wrong type (the message names the key).
    #[error("config file {path}: {message}")]
    Parse {
        /// File being parsed.
        path: PathBuf,
        /// toml's message, which names the key and line.
        message: String,
    },
    /// One or more values are out of range; all of them are listed.
    #[error("invalid configuration:\n  {}", .0.join("\n  "))]
    Invalid(Vec<String>),
}

/// The whole engine configuration (one snapshot; shards keep their own `Rc` copy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Directory holding the RocksDB spool and the generated TLS certificate.
    pub data_dir: PathBuf,
    /// Sandbox mode: deliveries go to the internal sink instead of the network.
    pub sandbox: bool,
    /// Number of shards (executors, one per core); 0 means one per online CPU.
    pub shards: usize,
    /// Name announced in the SMTP greeting and `Received` headers; empty = the system hostname.
    pub hostname: String,
    /// Seconds a SIGTERM drain waits for sessions in flight before closing them.
    pub drain_timeout_secs: u64,
    /// The relay (submission) listener.
    pub relay: RelayConfig,
    /// The receiving listener (bounces, inbound mail).
    pub receive: ReceiveConfig,
    /// The JSON-RPC listener.
    pub rpc: RpcConfig,
    /// Spool tuning.
    pub storage: StorageConfig,
    /// Outbound delivery.
    pub delivery: DeliveryConfig,
    /// DKIM signing choices (the keys themselves are managed through `dkim.*`).
    pub dkim: crate::dkim::DkimConfig,
    /// Extra sandbox-sink rules, checked before the built-in table (docs/operations.md).
    pub sandbox_replies: Vec<crate::delivery::SandboxRule>,
    /// Bounce handling.
    pub bounce: BounceConfig,
    /// The message policy: filters and their actions (SPEC §5, §6, §13.3).
    pub policy: policy::PolicyConfig,
    /// The one-click unsubscribe endpoint.
    pub unsubscribe: policy::UnsubscribeConfig,
    /// What `spf.record` publishes besides the source IPs.
    pub spf: SpfConfig,
    /// DMARC aggregate-report collection.
    pub dmarc: DmarcConfig,
    /// Event webhooks: batching, timeouts, retries, outbox bound (endpoints: `webhooks.*`).
    pub webhooks: crate::webhooks::WebhooksConfig,
    /// Traffic shaping: provider sites, limits per site and source IP, reactive rules, IP
    /// warm-up (`crate::shaping`).
    pub shaping: crate::shaping::ShapingConfig,
    /// The read-only web console (HTTPS).
    pub console: ConsoleConfig,
    /// Accounts: operation-log retention.
    pub accounts: AccountsConfig,
}

/// Receiving listener settings (bounces and inbound mail, SPEC §7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReceiveConfig {
    /// Address the receiving listener binds (every shard, SO_REUSEPORT).
    pub listen: SocketAddr,
    /// Simultaneous connections, 1–100; more get `421 4.7.0`.
    pub max_connections: usize,
    /// Minimum milliseconds per accepted message on one connection, 10–10000.
    pub reception_interval_ms: u64,
    /// Largest message accepted, KiB.
    pub max_message_size_kb: usize,
    /// Domains whose mail is accepted besides the bounce domains (inbound mail); other
    /// recipients get `550 5.7.1`.
    pub inbound_domains: Vec<String>,
    /// Attachments larger than this (KiB, decoded) are posted to inbound webhooks with their
    /// name, type and size but without their content (`omitted: true`).
    pub inbound_attachment_max_kb: usize,
}

impl ReceiveConfig {
    /// Whether `address` is on one of the inbound domains (case-insensitive).
    pub fn is_inbound(&self, address: &str) -> bool {
        address.rsplit_once('@').is_some_and(|(_, domain)| {
            self.inbound_domains
                .iter()
                .any(|d| d.eq_ignore_ascii_case(domain))
        })
    }
}

impl Default for ReceiveConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 2526)),
            max_connections: 100,
            reception_interval_ms: 10,
            max_message_size_kb: 10240,
            inbound_domains: Vec::new(),
            inbound_attachment_max_kb: 5120,
        }
    }
}

/// Bounce handling (SPEC §6.4, §7): return path, matching, auto-blocking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct BounceConfig {
    /// Bounce domain of the VERP return path for every sender domain without its own entry in
    /// `sender_domains`; empty = keep the original envelope sender (no VERP).
    pub return_path_domain: String,
    /// Sender domain → its own bounce domain.
    pub sender_domains: std::collections::BTreeMap<String, String>,
    /// Errors of the blocking statuses after which a recipient goes on the block list.
    pub block_after: u32,
    /// Error statuses (SPEC §13.5) that count towards blocking.
    pub block_statuses: Vec<u8>,
    /// Forward every matched bounce, whole, to the original envelope sender.
    pub forward_to_sender: bool,
    /// Extra classifier rules, one JSON object per line in the format of the shipped phrase
    /// table (`{"status": 2, "pattern": "no such mailbox"}`); they win ties against built-in
    /// rules and serve both delivery replies and received bounces.
    pub extra_rules: String,
}

impl Default for BounceConfig {
    fn default() -> Self {
        Self {
            return_path_domain: String::new(),
            sender_domains: std::collections::BTreeMap::new(),
            block_after: 1,
            block_statuses: vec![2],
            forward_to_sender: false,
            extra_rules: String::new(),
        }
    }
}

impl BounceConfig {
    /// The bounce domain for mail from `sender_domain`, if VERP applies.
    pub fn bounce_domain_for(&self, sender_domain: &str) -> Option<&str> {
        let own = self
            .sender_domains
            .iter()
            .find_map(|(k, v)| k.eq_ignore_ascii_case(sender_domain).then_some(v.as_str()));
        own.or((!self.return_path_domain.is_empty()).then_some(self.return_path_domain.as_str()))
    }

    /// The classifier of these settings: the built-in tables plus `extra_rules`.
    pub fn classifier(&self) -> Result<std::sync::Arc<hikyaku_bounce::Classifier>, String> {
        if self.extra_rules.trim().is_empty() {
            return Ok(std::sync::Arc::new(hikyaku_bounce::Classifier::new()));
        }
        hikyaku_bounce::Classifier::with_extra_rules(&self.extra_rules)
            .map(std::sync::Arc::new)
            .map_err(|e| e.to_string())
    }

    /// Every bounce domain (the receiving listener accepts mail for them).
    pub fn bounce_domains(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .sender_domains
            .values()
            .chain(std::iter::once(&self.return_path_domain))
            .filter(|d| !d.is_empty())
            .map(|d| d.to_ascii_lowercase())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

/// JSON-RPC listener settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RpcConfig {
    /// Address the JSON-RPC server binds (HTTP and WebSocket on the same port).
    pub listen: SocketAddr,
    /// Connection IPs allowed to call the API (addresses or CIDR ranges); others get
    /// error -32004 on every call.
    pub allowed_ips: Vec<String>,
    /// PEM certificate chain: when set (with `tls_key`) the API is served over TLS only.
    pub tls_cert: Option<PathBuf>,
    /// PEM private key for `tls_cert`.
    pub tls_key: Option<PathBuf>,
    /// Largest request body, KiB (a `send.bulk` of 100 000 recipients needs several MiB).
    pub max_request_kb: u32,
    /// Simultaneous API connections.
    pub max_connections: u32,
    /// Calls per second allowed from one IP address (token bucket; bursts of twice as many).
    pub rate_limit_per_sec: u32,
    /// Lifetime of an account's session token, hours.
    pub session_hours: u32,
    /// Most users, API users and accounts together (SPEC §11 default 10).
    pub max_users: u32,
}

impl Default for RpcConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8525)),
            allowed_ips: vec!["127.0.0.0/8".into(), "::1/128".into()],
            tls_cert: None,
            tls_key: None,
            max_request_kb: 65536,
            max_connections: 256,
            rate_limit_per_sec: 2000,
            session_hours: 12,
            max_users: 10,
        }
    }
}

/// Spool (RocksDB) tuning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StorageConfig {
    /// Most messages merged into one synced write (group commit).
    pub max_commit_batch: usize,
    /// Bytes of pending writes that close a commit group early.
    pub max_commit_bytes: usize,
    /// Commit requests that may wait for the writer before intake is slowed down (back-pressure).
    pub commit_queue_depth: usize,
    /// RocksDB block cache in MiB.
    pub block_cache_mb: usize,
    /// Total memory of all RocksDB memtables together, in MiB (a full budget triggers flushes).
    pub memtable_budget_mb: usize,
    /// Bodies at least this large go to RocksDB blob files instead of the LSM tree.
    pub blob_min_size: u64,
    /// Free space (MiB) kept on the spool's filesystem: below it new mail is refused (`451
    /// 4.3.0`), so what drains the queue can still be written (see `storage::space`).
    pub min_free_mb: u64,
}

impl Default for StorageConfig {
    fn default() -> Self {
        Self {
            max_commit_batch: 1024,
            max_commit_bytes: 64 << 20,
            commit_queue_depth: 4096,
            block_cache_mb: 256,
            memtable_budget_mb: 256,
            blob_min_size: 4096,
            min_free_mb: 256,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Self {
            data_dir: PathBuf::from("./data"),
            sandbox: true,
            shards: 0,
            hostname: String::new(),
            drain_timeout_secs: 30,
            relay: RelayConfig::default(),
            receive: ReceiveConfig::default(),
            rpc: RpcConfig::default(),
            storage: StorageConfig::default(),
            delivery: DeliveryConfig::default(),
            dkim: crate::dkim::DkimConfig::default(),
            sandbox_replies: Vec::new(),
            bounce: BounceConfig::default(),
            policy: policy::PolicyConfig::default(),
            unsubscribe: policy::UnsubscribeConfig::default(),
            spf: SpfConfig::default(),
            dmarc: DmarcConfig::default(),
            webhooks: crate::webhooks::WebhooksConfig::default(),
            shaping: crate::shaping::ShapingConfig::default(),
            console: ConsoleConfig::default(),
            accounts: AccountsConfig::default(),
        }
    }
}

impl Config {
    /// Loads and validates a file; `None` gives the embedded default.
    pub fn load(path: Option<&Path>) -> Result<Self, ConfigError> {
        let config = match path {
            None => Self::default(),
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_path_buf(),
                    source,
                })?;
                Self::from_toml(&text).map_err(|message| ConfigError::Parse {
                    path: path.to_path_buf(),
                    message,
                })?
            }
        };
        Ok(config)
    }

    /// Parses TOML text (no validation); the error message names the offending key.
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string().trim_end().to_string())
    }

    /// Checks every value, reporting all problems at once with their keys.
    pub fn validate(&self) -> Result<(), ConfigError> {
        let problems = validate::problems(self);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(ConfigError::Invalid(problems))
        }
    }

    /// Shard count after resolving `0` to the number of online CPUs.
    pub fn effective_shards(&self) -> usize {
        if self.shards > 0 {
            self.shards
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        }
    }

    /// Hostname after resolving the empty default to the system's name.
    pub fn effective_hostname(&self) -> String {
        if !self.hostname.is_empty() {
            return self.hostname.clone();
        }
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "localhost".to_string())
    }
}

#[cfg(test)]
mod tests;
