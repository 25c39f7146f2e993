//! Account sessions: in memory for the check every call makes, and in the spool so that they
//! survive a restart (SPEC §11 asks for no re-login after a daemon restart within the session's
//! `rpc.session_hours`).
//!
//! Only the SHA-256 of a token is kept, in memory and on disk (`session/<hex hash>` in the
//! admin family: account, role, expiry in ms since the epoch), so reading the spool does not
//! give anyone a usable token. Expiry is wall-clock time, which is what survives a restart;
//! expired sessions are dropped when met, when a new session is opened and at start.
//!
//! Changes come back as writes for the caller's batch (the login's, with its failure counter
//! and operation-log entry; the password change's; the removal's), and the memory is changed
//! only after that batch is written ([`Sessions::insert`], [`Sessions::forget`]), so memory
//! never holds a session the spool does not, nor the reverse for longer than one write.

use std::collections::HashMap;
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::lock;
use crate::accounts::{AccountRecord, Role};
use crate::storage::{Cf, Op, StorageError, Store};
use crate::users::{random_token, sha256_hex};

const PREFIX: &[u8] = b"session/";

/// One open session (the map key, and the stored key's tail, is the token's hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct SessionEntry {
    pub(crate) account: String,
    pub(crate) role: Role,
    /// Expiry, ms since the epoch.
    pub(crate) expires_ms: u64,
    /// Opened with a one-time password: only `users.change_password` (and `whoami`,
    /// `logout`) may be called.
    #[serde(default)]
    pub(crate) must_change_password: bool,
}

/// A session made by [`Sessions::open`], not yet in effect: write [`NewSession::ops`], then
/// [`Sessions::insert`] it.
#[derive(Debug)]
pub(crate) struct NewSession {
    /// The bearer token, for the caller (never stored).
    pub(crate) token: String,
    hash: String,
    entry: SessionEntry,
    /// Its write, and the deletes of expired sessions found on the way.
    pub(crate) ops: Vec<Op>,
}

impl NewSession {
    /// Expiry, ms since the epoch.
    pub(crate) fn expires_ms(&self) -> u64 {
        self.entry.expires_ms
    }
}

fn key(hash: &str) -> Vec<u8> {
    let mut k = PREFIX.to_vec();
    k.extend_from_slice(hash.as_bytes());
    k
}

fn delete_op(hash: &str) -> Op {
    Op::Delete {
        cf: Cf::Admin,
        key: key(hash),
    }
}

/// The session table.
#[derive(Debug, Default)]
pub(crate) struct Sessions {
    map: Mutex<HashMap<String, SessionEntry>>,
}

impl Sessions {
    /// The sessions stored in the spool still valid at `now_ms`; expired ones are deleted.
    pub(crate) fn load(store: &Store, now_ms: u64) -> Result<Self, StorageError> {
        let mut map = HashMap::new();
        let mut gone = Vec::new();
        let mut end = PREFIX.to_vec();
        end.push(0xff);
        store.scan(Cf::Admin, PREFIX, Some(&end), |k, v| {
            let hash = String::from_utf8_lossy(&k[PREFIX.len()..]).into_owned();
            match serde_json::from_slice::<SessionEntry>(v) {
                Ok(e) if e.expires_ms > now_ms => {
                    map.insert(hash, e);
                }
                // Expired, or unreadable (it cannot be used either way).
                _ => gone.push(delete_op(&hash)),
            }
            true
        })?;
        if !gone.is_empty() {
            store.write_ops(&gone, false)?;
        }
        Ok(Self {
            map: Mutex::new(map),
        })
    }

    /// A new session for the account logged in, lasting `ttl_ms` from `now_ms`.
    pub(crate) fn open(
        &self,
        account: &AccountRecord,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Result<NewSession, StorageError> {
        let token = random_token("hs_");
        let hash = sha256_hex(&token);
        let entry = SessionEntry {
            account: account.name.clone(),
            role: account.role,
            expires_ms: now_ms.saturating_add(ttl_ms),
            must_change_password: account.must_change_password,
        };
        let mut ops = vec![Op::Put {
            cf: Cf::Admin,
            key: key(&hash),
            value: serde_json::to_vec(&entry)?,
        }];
        let mut map = lock(&self.map);
        let expired: Vec<String> = map
            .iter()
            .filter(|(_, s)| s.expires_ms <= now_ms)
            .map(|(h, _)| h.clone())
            .collect();
        for h in expired {
            map.remove(&h);
            ops.push(delete_op(&h));
        }
        Ok(NewSession {
            token,
            hash,
            entry,
            ops,
        })
    }

    /// Puts a session in effect (after its writes are made).
    pub(crate) fn insert(&self, s: NewSession) {
        lock(&self.map).insert(s.hash, s.entry);
    }

    /// The session of a token hash, if it is open at `now_ms`. `Err(())` when it expired
    /// (it is forgotten then; its stored copy goes at the next open or start).
    pub(crate) fn get(&self, hash: &str, now_ms: u64) -> Result<Option<SessionEntry>, ()> {
        let mut map = lock(&self.map);
        match map.get(hash) {
            Some(s) if s.expires_ms > now_ms => Ok(Some(s.clone())),
            Some(_) => {
                map.remove(hash);
                Err(())
            }
            None => Ok(None),
        }
    }

    /// The write ending one session (logout).
    pub(crate) fn close_ops(&self, hash: &str) -> Vec<Op> {
        vec![delete_op(hash)]
    }

    /// The writes ending every session of `account` (password changed, key re-issued, account
    /// removed).
    pub(crate) fn close_all_ops(&self, account: &str) -> Vec<Op> {
        lock(&self.map)
            .iter()
            .filter(|(_, s)| s.account.eq_ignore_ascii_case(account))
            .map(|(h, _)| delete_op(h))
            .collect()
    }

    /// Forgets one session in memory (after [`Sessions::close_ops`] are written).
    pub(crate) fn forget(&self, hash: &str) {
        lock(&self.map).remove(hash);
    }

    /// Forgets every session of `account` in memory (after [`Sessions::close_all_ops`]).
    pub(crate) fn forget_all(&self, account: &str) {
        lock(&self.map).retain(|_, s| !s.account.eq_ignore_ascii_case(account));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;

    const HOUR: u64 = 3_600_000;

    fn account(name: &str, role: Role) -> AccountRecord {
        AccountRecord {
            name: name.into(),
            password_hash: String::new(),
            role,
            failed_logins: 0,
            locked: false,
            created_ms: 0,
            must_change_password: false,
            language: Default::default(),
            time_zone: None,
        }
    }

    #[test]
    fn sessions_survive_a_reload_until_they_expire() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let t0 = 1_700_000_000_000;
        let s = Sessions::load(&store, t0).unwrap();
        let a = s
            .open(&account("Alice", Role::GroupAdmin), t0, 12 * HOUR)
            .unwrap();
        let b = s
            .open(&account("bob", Role::ReportViewer), t0, HOUR)
            .unwrap();
        let (ha, hb) = (sha256_hex(&a.token), sha256_hex(&b.token));
        assert!(a.token.starts_with("hs_"));
        store.write_ops(&a.ops, true).unwrap();
        store.write_ops(&b.ops, true).unwrap();
        s.insert(a);
        s.insert(b);
        // The token itself is nowhere in the spool, only its hash.
        let mut stored = Vec::new();
        store
            .scan(Cf::Admin, PREFIX, None, |k, v| {
                stored.push((k.to_vec(), v.to_vec()));
                true
            })
            .unwrap();
        assert_eq!(stored.len(), 2);
        // A "restart" two hours on: Alice's session is back, Bob's has expired and is deleted.
        let t1 = t0 + 2 * HOUR;
        let again = Sessions::load(&store, t1).unwrap();
        assert_eq!(again.get(&ha, t1).unwrap().unwrap().account, "Alice");
        assert_eq!(again.get(&hb, t1), Ok(None));
        assert_eq!(store.get(Cf::Admin, &key(&hb)).unwrap(), None);
        // Closing every session of an account: writes first, then memory.
        let ops = again.close_all_ops("ALICE");
        assert_eq!(ops.len(), 1);
        store.write_ops(&ops, true).unwrap();
        again.forget_all("alice");
        assert_eq!(again.get(&ha, t1), Ok(None));
        assert!(Sessions::load(&store, t1)
            .unwrap()
            .get(&ha, t1)
            .unwrap()
            .is_none());
        // Expiry at lookup.
        let c = again
            .open(&account("carol", Role::ServiceAdmin), t1, HOUR)
            .unwrap();
        let hc = sha256_hex(&c.token);
        again.insert(c);
        assert!(again.get(&hc, t1 + HOUR - 1).unwrap().is_some());
        assert_eq!(again.get(&hc, t1 + HOUR), Err(()));
    }
}
