//! `system.*`: about the running engine.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Result of `system.status`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SystemStatus {
    /// Engine version.
    pub version: String,
    /// Host name used in greetings.
    pub hostname: String,
    /// Whether deliveries go to the internal sandbox sink.
    pub sandbox: bool,
    /// Number of shards.
    pub shards: u32,
    /// Seconds since start.
    pub uptime_secs: u64,
    /// Applied settings version.
    pub settings_version: u64,
    /// Deliveries found damaged in the spool (body or metadata missing or undecodable): never
    /// sent, recorded `failed` with error status 99, kept for inspection (`hikyakud queue
    /// damaged`). Anything but 0 deserves a look at the disk and the spool.
    #[serde(default)]
    pub damaged_deliveries: u64,
}
