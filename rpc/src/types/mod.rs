//! Request and response types, one module per namespace.
//!
//! Times on the wire are RFC 3339 strings (`2026-11-24T12:00:00Z`); the server stores UTC and
//! answers in UTC. Optional fields may be omitted; unknown fields are refused so that a typo in
//! a client is an error rather than a silently ignored filter.

pub mod blocks;
pub mod bounces;
pub mod deliveries;
pub mod dkim;
pub mod dmarc;
pub mod oplog;
pub mod queue;
pub mod received;
pub mod send;
pub mod settings;
pub mod settings_schema;
pub mod shaping;
pub mod smime;
pub mod spf;
pub mod stats;
pub mod system;
pub mod users;
pub mod webhooks;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A method that takes no parameters accepts an empty object (or no `params` at all).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NoParams {}

/// A result that carries nothing but success.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Done {
    /// Always true.
    pub ok: bool,
}
