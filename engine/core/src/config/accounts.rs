//! `[accounts]`: what is kept about the people administering the engine (SPEC §11).

use serde::{Deserialize, Serialize};

/// Account settings. Editable at run time (`settings.set`, section `accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Operation-log entries (logins, settings and administrative changes) are kept this many
    /// days, then purged by the daily retention purge.
    pub oplog_retention_days: u64,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            oplog_retention_days: crate::storage::oplog::DEFAULT_RETENTION_DAYS,
        }
    }
}

impl AccountsConfig {
    /// Problems of this section, each naming its key.
    pub(super) fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !(1..=36_500).contains(&self.oplog_retention_days) {
            out.push(format!(
                "accounts.oplog_retention_days: must be 1 to 36500, got {}",
                self.oplog_retention_days
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_is_checked_by_key() {
        assert!(AccountsConfig::default().problems().is_empty());
        let zero = AccountsConfig {
            oplog_retention_days: 0,
        };
        assert_eq!(
            zero.problems(),
            ["accounts.oplog_retention_days: must be 1 to 36500, got 0"]
        );
    }
}
