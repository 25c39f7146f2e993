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
    /// The spool's disk: free space, the intake reserve, and recovery from a full disk.
    #[serde(default)]
    pub spool: SpoolSpace,
}

/// The spool's filesystem as the engine sees it (read every half second).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SpoolSpace {
    /// Bytes free for the engine on the spool's filesystem.
    pub free_bytes: u64,
    /// `storage.min_free_mb` in bytes: below it new mail is refused (`451 4.3.0`, JSON-RPC
    /// storage error) while deliveries, outcomes and deletes go on.
    pub reserve_bytes: u64,
    /// New mail is being refused for lack of space.
    pub intake_paused: bool,
    /// Spool writes have been failing since this time (RFC 3339); the engine reopens the
    /// database by itself once the reserve is free again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_failing_since: Option<String>,
    /// Times the database was reopened after failed writes, since start.
    pub recoveries: u64,
}
