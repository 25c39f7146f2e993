//! `[accounts]`: what is kept about the people administering the engine, and what their
//! passwords must be (SPEC §11).

use serde::{Deserialize, Serialize};

/// Account settings. Editable at run time (`settings.set`, section `accounts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AccountsConfig {
    /// Operation-log entries (logins, settings and administrative changes) are kept this many
    /// days, then purged by the daily retention purge.
    pub oplog_retention_days: u64,
    /// Characters an account password needs at least (8 to 128). Passwords are also checked
    /// against a shipped list of the most common ones.
    pub password_min_length: usize,
}

impl Default for AccountsConfig {
    fn default() -> Self {
        Self {
            oplog_retention_days: crate::storage::oplog::DEFAULT_RETENTION_DAYS,
            password_min_length: 12,
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
        if !(8..=128).contains(&self.password_min_length) {
            out.push(format!(
                "accounts.password_min_length: must be 8 to 128, got {}",
                self.password_min_length
            ));
        }
        out
    }

    /// The password policy these settings make.
    pub fn password_policy(&self) -> crate::accounts::password_policy::PasswordPolicy {
        crate::accounts::password_policy::PasswordPolicy::new(self.password_min_length)
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
            password_min_length: 4,
        };
        assert_eq!(
            zero.problems(),
            [
                "accounts.oplog_retention_days: must be 1 to 36500, got 0",
                "accounts.password_min_length: must be 8 to 128, got 4"
            ]
        );
    }
}
