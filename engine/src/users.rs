//! API users: the credentials applications use for SMTP AUTH (and later for JSON-RPC).
//!
//! Passwords are stored as Argon2id PHC strings. Verification costs tens of milliseconds of CPU
//! by design, so callers on a shard run it with the runtime's blocking pool, never inline.

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::storage::{Cf, Op, StorageError, Store, UserRecord};

/// Failures of user management.
#[derive(Debug, thiserror::Error)]
pub enum UserError {
    /// Names are 1–64 characters of letters, digits, `.`, `_`, `-` and `@`.
    #[error("invalid user name {0:?}: use 1-64 letters, digits, '.', '_', '-' or '@'")]
    BadName(String),
    /// Passwords must be at least 8 characters.
    #[error("password too short: at least 8 characters are required")]
    WeakPassword,
    /// The name is taken (case-insensitively).
    #[error("user {0:?} already exists")]
    Exists(String),
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A stored record is unreadable.
    #[error("user record for {0:?} is corrupt")]
    Corrupt(String),
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Creates a user with a freshly salted Argon2id hash (written synchronously: offline command).
pub fn add_user(store: &Store, name: &str, password: &str, now_ms: u64) -> Result<(), UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_string()));
    }
    if password.chars().count() < 8 {
        return Err(UserError::WeakPassword);
    }
    let key = name.to_ascii_lowercase();
    if store.get(Cf::Users, key.as_bytes())?.is_some() {
        return Err(UserError::Exists(name.to_string()));
    }
    let salt = SaltString::generate(&mut OsRng);
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| UserError::Hash(e.to_string()))?
        .to_string();
    let record = UserRecord {
        name: name.to_string(),
        password_hash: hash,
        created_ms: now_ms,
    };
    let value = serde_json::to_vec(&record).map_err(StorageError::from)?;
    store.write_ops(
        &[Op::Put {
            cf: Cf::Users,
            key: key.into_bytes(),
            value,
        }],
        true,
    )?;
    Ok(())
}

/// Checks a name/password pair; returns the user's canonical name on success.
///
/// An unknown user still costs one hash verification so response time does not reveal which
/// names exist.
pub fn verify(store: &Arc<Store>, name: &str, password: &str) -> Result<Option<String>, UserError> {
    let key = name.to_ascii_lowercase();
    let record = match store.get(Cf::Users, key.as_bytes())? {
        Some(bytes) => Some(
            serde_json::from_slice::<UserRecord>(&bytes)
                .map_err(|_| UserError::Corrupt(name.to_string()))?,
        ),
        None => None,
    };
    let phc = record
        .as_ref()
        .map(|r| r.password_hash.as_str())
        .unwrap_or(DUMMY_HASH);
    let parsed = PasswordHash::new(phc).map_err(|e| UserError::Hash(e.to_string()))?;
    let ok = Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok();
    Ok(match record {
        Some(r) if ok => Some(r.name),
        _ => None,
    })
}

/// Hash of a random password, verified against for unknown users (timing equalisation).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3MKS1+BCh7YdOhM6TrfD5bKuXUSRmzt9WtUD9n42NKs";

/// Lists user names (for the offline `user list` command).
pub fn list_users(store: &Store) -> Result<Vec<UserRecord>, UserError> {
    let mut out = Vec::new();
    let mut corrupt = None;
    store.scan(Cf::Users, b"", None, |k, v| {
        match serde_json::from_slice::<UserRecord>(v) {
            Ok(r) => out.push(r),
            Err(_) => corrupt = Some(String::from_utf8_lossy(k).into_owned()),
        }
        true
    })?;
    if let Some(name) = corrupt {
        return Err(UserError::Corrupt(name));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    #[test]
    fn add_then_verify_case_insensitively() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        add_user(&store, "App1", "correct horse", 1).unwrap();
        assert_eq!(
            verify(&store, "app1", "correct horse").unwrap().as_deref(),
            Some("App1")
        );
        assert_eq!(verify(&store, "App1", "wrong password").unwrap(), None);
        assert_eq!(verify(&store, "nobody", "correct horse").unwrap(), None);
        assert!(matches!(
            add_user(&store, "APP1", "another pw", 2),
            Err(UserError::Exists(_))
        ));
        assert!(matches!(
            add_user(&store, "bad name", "long enough", 2),
            Err(UserError::BadName(_))
        ));
        assert!(matches!(
            add_user(&store, "ok", "short", 2),
            Err(UserError::WeakPassword)
        ));
        assert_eq!(list_users(&store).unwrap().len(), 1);
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
