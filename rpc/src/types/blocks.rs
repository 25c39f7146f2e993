//! `blocks.*`: the block list and the unsubscribe list.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Which suppression list.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ListName {
    /// Addresses never delivered to (error status 10).
    #[default]
    Block,
    /// Addresses that unsubscribed (error status 11).
    Unsubscribe,
}

/// `blocks.list`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlockQuery {
    /// Which list (default `block`).
    #[serde(default)]
    pub list: ListName,
    /// Only addresses containing this text (case-insensitive).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contains: Option<String>,
    /// Continue after this cursor.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One listed address.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct BlockEntry {
    /// Address (lower-cased).
    pub address: String,
    /// When it was added (RFC 3339).
    pub added: String,
    /// Why.
    pub reason: String,
}

/// A page of entries.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct BlockPage {
    /// Entries in address order.
    pub entries: Vec<BlockEntry>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// `blocks.add` / `blocks.remove`: one or many addresses.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct BlockChange {
    /// Which list (default `block`).
    #[serde(default)]
    pub list: ListName,
    /// Addresses (at most 10 000 per call).
    pub addresses: Vec<String>,
    /// Reason recorded with added entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How many addresses changed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct BlockChanged {
    /// Addresses added or removed.
    pub changed: u64,
    /// Addresses that were already present (add) or absent (remove).
    pub unchanged: u64,
}
