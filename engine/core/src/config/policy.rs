//! The message policy as settings (SPEC §5, §6, §13.3): one ordered list of rules, each a
//! filter and the actions it triggers. Compiled into [`crate::policy::Policy`] when settings are
//! validated and applied; the names here are the ones operators' scripts merge-patch.

use std::net::SocketAddr;

use serde::{Deserialize, Serialize};

/// `[unsubscribe]`: the one-click unsubscribe endpoint (RFC 8058).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct UnsubscribeConfig {
    /// Address of the HTTPS listener (restart to change).
    pub listen: SocketAddr,
    /// What goes into the `List-Unsubscribe` URL (`<base_url>/u/<token>`): the public HTTPS
    /// name that reaches the listener (through a proxy or a port forward); empty =
    /// `https://<listen>`.
    pub base_url: String,
}

impl Default for UnsubscribeConfig {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8526)),
            base_url: String::new(),
        }
    }
}

impl UnsubscribeConfig {
    /// The base of the unsubscribe URLs.
    pub fn base_url(&self) -> String {
        if self.base_url.trim().is_empty() {
            format!("https://{}", self.listen)
        } else {
            self.base_url.trim().trim_end_matches('/').to_string()
        }
    }
}

/// `[policy]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PolicyConfig {
    /// Strip the `Received` headers the application or its MTA added (SPEC §6.2); our own
    /// trace header is added after.
    pub strip_received: bool,
    /// The rules, in order: for each action the first matching rule that sets it decides
    /// (forward copies accumulate).
    pub rules: Vec<RuleConfig>,
}

/// `[[policy.rules]]`: a filter and what it does.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Header name (`To` = the envelope recipient), case-insensitive.
    pub header: String,
    /// Java-style regex that must match the whole value.
    #[serde(rename = "match")]
    pub pattern: String,
    /// Priority class of matching recipients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<PriorityName>,
    /// Prohibited hours: matching recipients are held while the window is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hold: Option<HoldConfig>,
    /// Forwarding: a copy to another address, or the recipient rewritten to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forward: Option<ForwardConfig>,
    /// Add `List-Unsubscribe` and `List-Unsubscribe-Post` (RFC 8058).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unsubscribe: bool,
}

/// Priority classes (SPEC §5): higher is always picked first, lower keeps a share (8:3:1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PriorityName {
    /// Class 0.
    High,
    /// Class 1 (the default).
    Normal,
    /// Class 2.
    Low,
}

impl PriorityName {
    /// The queue's class number.
    pub fn class(self) -> u8 {
        match self {
            PriorityName::High => 0,
            PriorityName::Normal => 1,
            PriorityName::Low => 2,
        }
    }
}

/// A daily window, `from` inclusive to `to` exclusive, local time in `time_zone`; a window
/// with `from` > `to` spans midnight (21:00–08:00).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HoldConfig {
    /// Start, `HH:MM`.
    pub from: String,
    /// End, `HH:MM`.
    pub to: String,
    /// IANA time zone, e.g. `Asia/Tokyo` (default `UTC`).
    #[serde(default = "utc")]
    pub time_zone: String,
}

fn utc() -> String {
    "UTC".into()
}

/// Forwarding (seed "Email Forwarding").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ForwardConfig {
    /// The forwarding address.
    pub to: String,
    /// `copy` (the original recipient keeps its delivery, the address gets one more) or
    /// `rewrite` (the recipient is replaced by the address).
    #[serde(default)]
    pub mode: ForwardMode,
}

/// How a forward applies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ForwardMode {
    /// One more delivery to the forwarding address.
    #[default]
    Copy,
    /// The recipient is replaced.
    Rewrite,
}
