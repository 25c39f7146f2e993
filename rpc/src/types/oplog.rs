//! `oplog.*`: the operation log (SPEC §11) — logins and administrative changes, with who,
//! when, from where and what.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Filters of an operation-log search. The time range defaults to everything kept
/// (`accounts.oplog_retention_days`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OplogQuery {
    /// Inclusive start (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Exclusive end (RFC 3339); default a minute from now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Who acted (account or API user name; for logins, the account name tried), compared
    /// case-insensitively.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// Action, exact (`login_failed`, `settings.apply`) or a prefix ending in `*`
    /// (`users.*`, `login*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    /// Continue after this cursor (from the previous page's `next_cursor`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// Page size, 1–1000 (default 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// What kind of credential acted.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// An account (a session, or a login attempt naming it).
    Account,
    /// An API user's key.
    ApiUser,
    /// No credential.
    Anonymous,
}

/// One operation-log entry.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OplogEntry {
    /// When (RFC 3339, UTC).
    pub time: String,
    /// Who: account or API user name.
    pub account: String,
    /// What kind of credential.
    pub kind: ActorKind,
    /// The caller's IP address.
    pub ip: String,
    /// What: `login`, `login_failed`, `locked`, `logout`, or the method name of the change
    /// (`settings.apply`, `users.add_account`, `blocks.add`, `dkim.create`, ...).
    pub action: String,
    /// What it was done to (an account, a domain and selector, a webhook id, ...), if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Further facts: the settings diff of an apply, counts, a failure's reason.
    #[serde(default, skip_serializing_if = "serde_json::Value::is_null")]
    pub details: serde_json::Value,
}

/// A page of the operation log, oldest first.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct OplogPage {
    /// Entries.
    pub entries: Vec<OplogEntry>,
    /// Pass as `cursor` to get the next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}
