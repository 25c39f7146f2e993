//! Accounts: the people who administer the engine through RPC and the CLI (SPEC §11).
//!
//! Stored in the admin column family under `account/<lower-case name>`. A login that fails
//! ten times in a row locks the account until a group administrator unlocks it; the counter is
//! written synchronously so a crash or restart does not reset it.

use serde::{Deserialize, Serialize};

use crate::storage::{Cf, Op, StorageError, Store};
use crate::users::{hash_password, password_matches, valid_name, UserError};

/// Consecutive failed logins that lock an account.
pub const LOCK_AFTER_FAILURES: u32 = 10;

/// An account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including accounts and API users.
    GroupAdmin,
    /// Settings, queue and reports.
    ServiceAdmin,
    /// Read-only reports.
    ReportViewer,
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// Name as created.
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Consecutive failed logins.
    pub failed_logins: u32,
    /// Locked by failures.
    pub locked: bool,
    /// Creation time, ms since the epoch.
    pub created_ms: u64,
}

/// What a login attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Right password, account usable.
    Ok(AccountRecord),
    /// Wrong password or unknown account (not told apart to the caller).
    Failed,
    /// The account is locked (also when this attempt's password was right).
    Locked,
}

fn key(name: &str) -> Vec<u8> {
    format!("account/{}", name.to_ascii_lowercase()).into_bytes()
}

fn put(store: &Store, record: &AccountRecord) -> Result<(), UserError> {
    store.write_ops(
        &[Op::Put {
            cf: Cf::Admin,
            key: key(&record.name),
            value: serde_json::to_vec(record).map_err(StorageError::from)?,
        }],
        true,
    )?;
    Ok(())
}

/// Reads one account.
pub fn get(store: &Store, name: &str) -> Result<Option<AccountRecord>, UserError> {
    match store.get(Cf::Admin, &key(name))? {
        Some(v) => serde_json::from_slice(&v)
            .map(Some)
            .map_err(|_| UserError::Corrupt(name.to_string())),
        None => Ok(None),
    }
}

/// Creates an account.
pub fn create(
    store: &Store,
    name: &str,
    password: &str,
    role: Role,
    now_ms: u64,
) -> Result<(), UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_string()));
    }
    let password_hash = hash_password(password)?;
    if get(store, name)?.is_some() {
        return Err(UserError::Exists(name.to_string()));
    }
    put(
        store,
        &AccountRecord {
            name: name.to_string(),
            password_hash,
            role,
            failed_logins: 0,
            locked: false,
            created_ms: now_ms,
        },
    )
}

/// Checks a login, counting failures and locking after [`LOCK_AFTER_FAILURES`].
pub fn login(store: &Store, name: &str, password: &str) -> Result<LoginOutcome, UserError> {
    let Some(mut record) = get(store, name)? else {
        // Same cost as a real check.
        let _ = password_matches("", password);
        return Ok(LoginOutcome::Failed);
    };
    if record.locked {
        return Ok(LoginOutcome::Locked);
    }
    if password_matches(&record.password_hash, password) {
        if record.failed_logins != 0 {
            record.failed_logins = 0;
            put(store, &record)?;
        }
        return Ok(LoginOutcome::Ok(record));
    }
    record.failed_logins = record.failed_logins.saturating_add(1);
    if record.failed_logins >= LOCK_AFTER_FAILURES {
        record.locked = true;
    }
    put(store, &record)?;
    Ok(if record.locked {
        LoginOutcome::Locked
    } else {
        LoginOutcome::Failed
    })
}

/// Unlocks an account and resets its failure counter.
pub fn unlock(store: &Store, name: &str) -> Result<(), UserError> {
    let mut record = get(store, name)?.ok_or_else(|| UserError::NotFound(name.to_string()))?;
    record.locked = false;
    record.failed_logins = 0;
    put(store, &record)
}

/// Sets a new password after checking the current one.
pub fn change_password(
    store: &Store,
    name: &str,
    current: &str,
    new: &str,
) -> Result<bool, UserError> {
    let mut record = get(store, name)?.ok_or_else(|| UserError::NotFound(name.to_string()))?;
    if !password_matches(&record.password_hash, current) {
        return Ok(false);
    }
    record.password_hash = hash_password(new)?;
    put(store, &record)?;
    Ok(true)
}

/// Deletes an account; false when there was none.
pub fn remove(store: &Store, name: &str) -> Result<bool, UserError> {
    if get(store, name)?.is_none() {
        return Ok(false);
    }
    store.write_ops(
        &[Op::Delete {
            cf: Cf::Admin,
            key: key(name),
        }],
        true,
    )?;
    Ok(true)
}

/// Every account, by name.
pub fn list(store: &Store) -> Result<Vec<AccountRecord>, UserError> {
    let mut out = Vec::new();
    let mut corrupt = None;
    store.scan(Cf::Admin, b"account/", Some(b"account0"), |k, v| {
        match serde_json::from_slice::<AccountRecord>(v) {
            Ok(r) => out.push(r),
            Err(_) => corrupt = Some(String::from_utf8_lossy(k).into_owned()),
        }
        true
    })?;
    match corrupt {
        Some(k) => Err(UserError::Corrupt(k)),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    #[test]
    fn ten_failures_lock_until_unlocked() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        create(&store, "Alice", "right password", Role::ServiceAdmin, 1).unwrap();
        for i in 1..LOCK_AFTER_FAILURES {
            assert_eq!(
                login(&store, "alice", "wrong").unwrap(),
                LoginOutcome::Failed,
                "attempt {i}"
            );
        }
        assert_eq!(
            login(&store, "alice", "wrong").unwrap(),
            LoginOutcome::Locked
        );
        // Locked: even the right password is refused.
        assert_eq!(
            login(&store, "alice", "right password").unwrap(),
            LoginOutcome::Locked
        );
        unlock(&store, "ALICE").unwrap();
        assert!(
            matches!(login(&store, "alice", "right password").unwrap(), LoginOutcome::Ok(r) if r.role == Role::ServiceAdmin)
        );
        assert_eq!(login(&store, "nobody", "x").unwrap(), LoginOutcome::Failed);
        assert_eq!(list(&store).unwrap().len(), 1);
    }

    #[test]
    fn success_resets_the_counter() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        create(&store, "bob", "right password", Role::ReportViewer, 1).unwrap();
        for _ in 0..9 {
            login(&store, "bob", "wrong").unwrap();
        }
        assert!(matches!(
            login(&store, "bob", "right password").unwrap(),
            LoginOutcome::Ok(_)
        ));
        assert_eq!(get(&store, "bob").unwrap().unwrap().failed_logins, 0);
        assert!(change_password(&store, "bob", "right password", "new password").unwrap());
        assert!(!change_password(&store, "bob", "wrong", "new password 2").unwrap());
        assert!(remove(&store, "bob").unwrap());
    }
}
