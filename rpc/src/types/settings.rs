//! `settings.*`: the run-time settings lifecycle (SPEC §12).
//!
//! The settings document is the run-time editable part of the engine configuration, as JSON
//! with the same section and key names as the TOML file (`relay`, `receive`, `delivery`,
//! `bounce`, `policy`, `unsubscribe`, `rpc`, `sandbox_replies`): see docs/operations.md and
//! [`super::settings_schema`]. Edits go to a versioned draft; `settings.apply`
//! validates it and swaps it on every shard at once; `settings.rollback` re-applies the
//! previously applied version.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which version to read.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    /// What runs now.
    #[default]
    Applied,
    /// The draft being edited (the applied settings when there is no draft).
    Draft,
}

/// `settings.get`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct GetSettings {
    /// Applied (default) or draft.
    #[serde(default)]
    pub which: Which,
}

/// A settings document with its version.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SettingsDoc {
    /// Version number: applied versions count up from 1; a draft carries the version it will
    /// get when applied.
    pub version: u64,
    /// The settings.
    #[schemars(with = "super::settings_schema::SettingsDocument")]
    pub settings: serde_json::Value,
}

/// `settings.set`: replace the draft, or merge keys into it.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SetSettings {
    /// The new draft (whole) or the keys to change (`merge: true`, RFC 7386 merge patch).
    #[schemars(with = "super::settings_schema::SettingsDocument")]
    pub settings: serde_json::Value,
    /// Merge into the current draft instead of replacing it.
    #[serde(default)]
    pub merge: bool,
}

/// One validation problem.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct SettingsProblem {
    /// Dotted key (`delivery.default.max_connections`).
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// Result of `settings.validate` (and of `settings.set`, which validates too).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Validation {
    /// Draft version.
    pub version: u64,
    /// True when the draft can be applied.
    pub valid: bool,
    /// Every problem found.
    pub problems: Vec<SettingsProblem>,
}

/// One changed key between applied and draft.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SettingsChange {
    /// Dotted key.
    pub key: String,
    /// Applied value (absent: key added).
    pub applied: Option<serde_json::Value>,
    /// Draft value (absent: key removed).
    pub draft: Option<serde_json::Value>,
}

/// Result of `settings.diff`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct SettingsDiff {
    /// Applied version.
    pub applied_version: u64,
    /// Draft version.
    pub draft_version: u64,
    /// Changed keys in key order.
    pub changes: Vec<SettingsChange>,
}

/// Result of `settings.apply` and `settings.rollback`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Applied {
    /// The version now running.
    pub version: u64,
    /// Shards that switched to it.
    pub shards: u32,
}
