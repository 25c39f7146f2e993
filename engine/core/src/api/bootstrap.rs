//! First start: create the first group administrator and a default API user, and show their
//! secrets once.
//!
//! The secrets come from `HIKYAKU_ADMIN_PASSWORD` and `HIKYAKU_API_KEY` when set (for
//! automated installs and tests), else they are random. Nothing is created when any account
//! exists already, so restarts never print or change credentials.

use crate::accounts::{self, Role};
use crate::storage::Store;
use crate::users::{self, random_token, UserError};

/// Name of the first group administrator.
pub const ADMIN_ACCOUNT: &str = "admin";
/// Name of the first API user.
pub const DEFAULT_API_USER: &str = "default";

/// What first start created.
#[derive(Debug, Clone)]
pub struct InitialCredentials {
    /// The group administrator's password.
    pub admin_password: String,
    /// The default API user's key (none when a user of that name existed already).
    pub api_key: Option<String>,
}

/// Creates the initial credentials when the spool has no account yet.
pub fn bootstrap_credentials(
    store: &Store,
    now_ms: u64,
) -> Result<Option<InitialCredentials>, UserError> {
    if !accounts::list(store)?.is_empty() {
        return Ok(None);
    }
    let admin_password = std::env::var("HIKYAKU_ADMIN_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| random_token(""));
    let api_key = std::env::var("HIKYAKU_API_KEY")
        .ok()
        .filter(|k| k.len() >= 20)
        .unwrap_or_else(|| random_token("hk_"));
    // The API user first: if the account write fails, the next start tries again, and an
    // existing "default" user is kept rather than failing.
    let api_key = match users::create(
        store,
        DEFAULT_API_USER,
        None,
        (true, true),
        Some(api_key),
        now_ms,
    ) {
        Ok(key) => key,
        Err(UserError::Exists(_)) => None,
        Err(e) => return Err(e),
    };
    accounts::create(
        store,
        ADMIN_ACCOUNT,
        &admin_password,
        Role::GroupAdmin,
        now_ms,
    )?;
    Ok(Some(InitialCredentials {
        admin_password,
        api_key,
    }))
}
