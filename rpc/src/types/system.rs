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
}
