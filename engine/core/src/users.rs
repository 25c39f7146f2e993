//! API users: the credentials applications use for SMTP AUTH and for the JSON-RPC API.
//!
//! Passwords are stored as Argon2id PHC strings. Verification costs tens of milliseconds of CPU
//! by design, so callers on a shard run it with the runtime's blocking pool, never inline.
//! API keys are 256-bit random tokens; only their SHA-256 is stored (a fast hash is enough for
//! a secret with that much entropy, and it lets every RPC call be checked in microseconds),
//! with an index from the hash to the user in the admin column family.

use std::sync::Arc;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;

use crate::storage::{Cf, Op, StorageError, Store, UserRecord};

/// Failures of user and account management.
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
    /// No such user or account.
    #[error("no user or account named {0:?}")]
    NotFound(String),
    /// The configured maximum number of users is reached.
    #[error("user limit reached: {count} users exist and rpc.max_users allows {max} (API users and accounts together); remove one (hikyaku users remove NAME) or raise rpc.max_users (settings.set with merge, then settings.apply)")]
    Limit {
        /// API users and accounts now.
        count: usize,
        /// `rpc.max_users`.
        max: usize,
    },
    /// Hashing failed.
    #[error("password hashing failed: {0}")]
    Hash(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A stored record is unreadable.
    #[error("user record for {0:?} is corrupt")]
    Corrupt(String),
    /// Two-factor authentication is on already (enrolment, confirmation).
    #[error("two-factor authentication is already on for {0:?}; a group administrator can issue a new key (users.totp_reissue)")]
    TotpOn(String),
    /// `users.totp_confirm` without a key enrolled.
    #[error("no TOTP key is enrolled for {0:?}: call users.totp_enroll first")]
    TotpNotEnrolled(String),
    /// The account password policy refused a password.
    #[error(transparent)]
    Policy(#[from] crate::accounts::password_policy::PolicyError),
    /// The TOTP key could not be made or read.
    #[error(transparent)]
    Totp(#[from] crate::accounts::totp::TotpError),
}

/// Whether `name` is acceptable for an API user or an account.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'))
}

/// Argon2id PHC string of a password, checking the minimum length first.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    if password.chars().count() < 8 {
        return Err(UserError::WeakPassword);
    }
    let salt = SaltString::generate(&mut OsRng);
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| UserError::Hash(e.to_string()))?
        .to_string())
}

/// Checks a password against a PHC string; an empty or unparsable hash never matches, but
/// still costs one verification so timing does not reveal it.
pub fn password_matches(phc: &str, password: &str) -> bool {
    let (phc, real) = if phc.is_empty() {
        (DUMMY_HASH, false)
    } else {
        (phc, true)
    };
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
        && real
}

/// Hex SHA-256, for API keys and session tokens (random secrets, so no salt is needed).
pub fn sha256_hex(secret: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, secret.as_bytes());
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh random token with a prefix telling what it is (`hk_` API key, `hs_` session).
pub fn random_token(prefix: &str) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn api_key_index(hash: &str) -> Vec<u8> {
    format!("apikey/{hash}").into_bytes()
}

/// Creates an API user (written synchronously). `password` enables SMTP AUTH; `api_key`
/// (normally a fresh [`random_token`]) is stored as its hash and returned in clear this once.
pub fn create(
    store: &Store,
    name: &str,
    password: Option<&str>,
    rights: (bool, bool),
    api_key: Option<String>,
    now_ms: u64,
) -> Result<Option<String>, UserError> {
    let ops = create_ops(store, name, password, rights, api_key.as_deref(), now_ms)?;
    store.write_ops(&ops, true)?;
    Ok(api_key)
}

/// The writes of [`create`] (checked: name, password, not taken), for a caller that adds its
/// own to the batch.
pub fn create_ops(
    store: &Store,
    name: &str,
    password: Option<&str>,
    rights: (bool, bool),
    api_key: Option<&str>,
    now_ms: u64,
) -> Result<Vec<Op>, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_string()));
    }
    let password_hash = match password {
        Some(p) => hash_password(p)?,
        None => String::new(),
    };
    let key = name.to_ascii_lowercase();
    if store.get(Cf::Users, key.as_bytes())?.is_some() {
        return Err(UserError::Exists(name.to_string()));
    }
    let record = UserRecord {
        name: name.to_string(),
        password_hash,
        created_ms: now_ms,
        api_key_sha256: api_key.map(sha256_hex),
        send: rights.0,
        transactional: rights.1,
    };
    let mut ops = vec![Op::Put {
        cf: Cf::Users,
        key: key.into_bytes(),
        value: serde_json::to_vec(&record).map_err(StorageError::from)?,
    }];
    if let Some(h) = &record.api_key_sha256 {
        ops.push(Op::Put {
            cf: Cf::Admin,
            key: api_key_index(h),
            value: record.name.to_ascii_lowercase().into_bytes(),
        });
    }
    Ok(ops)
}

/// Creates a user with a password only (the offline `hikyakud user add` command).
pub fn add_user(store: &Store, name: &str, password: &str, now_ms: u64) -> Result<(), UserError> {
    create(store, name, Some(password), (true, true), None, now_ms).map(|_| ())
}

/// Reads one API user.
pub fn get(store: &Store, name: &str) -> Result<Option<UserRecord>, UserError> {
    match store.get(Cf::Users, name.to_ascii_lowercase().as_bytes())? {
        Some(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|_| UserError::Corrupt(name.to_string())),
        None => Ok(None),
    }
}

/// Finds the API user an API key belongs to.
pub fn by_api_key(store: &Store, api_key: &str) -> Result<Option<UserRecord>, UserError> {
    let hash = sha256_hex(api_key);
    let Some(name) = store.get(Cf::Admin, &api_key_index(&hash))? else {
        return Ok(None);
    };
    let name = String::from_utf8_lossy(&name).into_owned();
    Ok(get(store, &name)?.filter(|r| r.api_key_sha256.as_deref() == Some(hash.as_str())))
}

/// Issues a new API key for an existing user; the old key stops working at once.
pub fn rotate_key(store: &Store, name: &str) -> Result<String, UserError> {
    let (api_key, ops) = rotate_key_ops(store, name)?;
    store.write_ops(&ops, true)?;
    Ok(api_key)
}

/// The new key and the writes of [`rotate_key`].
pub fn rotate_key_ops(store: &Store, name: &str) -> Result<(String, Vec<Op>), UserError> {
    let mut record = get(store, name)?.ok_or_else(|| UserError::NotFound(name.to_string()))?;
    let mut ops = Vec::new();
    if let Some(old) = &record.api_key_sha256 {
        ops.push(Op::Delete {
            cf: Cf::Admin,
            key: api_key_index(old),
        });
    }
    let api_key = random_token("hk_");
    let hash = sha256_hex(&api_key);
    ops.push(Op::Put {
        cf: Cf::Admin,
        key: api_key_index(&hash),
        value: record.name.to_ascii_lowercase().into_bytes(),
    });
    record.api_key_sha256 = Some(hash);
    ops.push(Op::Put {
        cf: Cf::Users,
        key: record.name.to_ascii_lowercase().into_bytes(),
        value: serde_json::to_vec(&record).map_err(StorageError::from)?,
    });
    Ok((api_key, ops))
}

/// Deletes an API user and its key index. Returns false when there was none.
pub fn remove(store: &Store, name: &str) -> Result<bool, UserError> {
    match remove_ops(store, name)? {
        Some(ops) => {
            store.write_ops(&ops, true)?;
            Ok(true)
        }
        None => Ok(false),
    }
}

/// The writes of [`remove`]; `None` when there is no such user.
pub fn remove_ops(store: &Store, name: &str) -> Result<Option<Vec<Op>>, UserError> {
    let Some(record) = get(store, name)? else {
        return Ok(None);
    };
    let mut ops = vec![Op::Delete {
        cf: Cf::Users,
        key: name.to_ascii_lowercase().into_bytes(),
    }];
    if let Some(h) = &record.api_key_sha256 {
        ops.push(Op::Delete {
            cf: Cf::Admin,
            key: api_key_index(h),
        });
    }
    Ok(Some(ops))
}

/// Checks a name/password pair (SMTP AUTH); returns the user's canonical name on success.
///
/// An unknown user still costs one hash verification so response time does not reveal which
/// names exist. Users without the sending right cannot submit, so they fail here too.
pub fn verify(store: &Arc<Store>, name: &str, password: &str) -> Result<Option<String>, UserError> {
    let record = get(store, name)?;
    let phc = record
        .as_ref()
        .map(|r| r.password_hash.as_str())
        .unwrap_or("");
    let ok = password_matches(phc, password);
    Ok(match record {
        Some(r) if ok && r.send => Some(r.name),
        _ => None,
    })
}

/// Hash of a random password, verified against for unknown users (timing equalisation).
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$3MKS1+BCh7YdOhM6TrfD5bKuXUSRmzt9WtUD9n42NKs";

/// Lists API users.
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
    fn api_keys_resolve_and_rotate() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let key = create(
            &store,
            "app",
            None,
            (true, false),
            Some(random_token("hk_")),
            1,
        )
        .unwrap()
        .unwrap();
        assert!(key.starts_with("hk_"));
        let user = by_api_key(&store, &key).unwrap().unwrap();
        assert_eq!(user.name, "app");
        assert!(user.send && !user.transactional);
        assert!(by_api_key(&store, "hk_wrong").unwrap().is_none());
        // No password: SMTP AUTH always fails.
        assert_eq!(verify(&store, "app", "").unwrap(), None);
        let new_key = rotate_key(&store, "APP").unwrap();
        assert!(by_api_key(&store, &key).unwrap().is_none());
        assert!(by_api_key(&store, &new_key).unwrap().is_some());
        assert!(remove(&store, "app").unwrap());
        assert!(by_api_key(&store, &new_key).unwrap().is_none());
        assert!(!remove(&store, "app").unwrap());
    }

    #[test]
    fn dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
