//! DKIM key records in the spool: `auth` family, key `dkim/DOMAIN/SELECTOR` (both lower
//! case), value [`DkimKey`] JSON. The spool directory is the only place private keys live; the
//! API returns records without them (see `api::dkim`).

use super::{DkimKey, KeyState};
use crate::storage::{Cf, Op, StorageError, Store};

const PREFIX: &[u8] = b"dkim/";

fn key_of(domain: &str, selector: &str) -> Vec<u8> {
    format!(
        "dkim/{}/{}",
        domain.to_ascii_lowercase(),
        selector.to_ascii_lowercase()
    )
    .into_bytes()
}

/// Reading or writing key records failed.
#[derive(Debug, thiserror::Error)]
pub enum KeyStoreError {
    /// The spool failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A record does not decode (written by a newer version, or damaged).
    #[error("DKIM key record {key} does not decode: {reason}")]
    Damaged {
        /// The record's key.
        key: String,
        /// Why.
        reason: String,
    },
}

fn decode(key: &[u8], value: &[u8]) -> Result<DkimKey, KeyStoreError> {
    serde_json::from_slice(value).map_err(|e| KeyStoreError::Damaged {
        key: String::from_utf8_lossy(key).into_owned(),
        reason: e.to_string(),
    })
}

/// The write of `key` (created or changed).
pub fn put_op(key: &DkimKey) -> Result<Op, KeyStoreError> {
    Ok(Op::Put {
        cf: Cf::Auth,
        key: key_of(&key.domain, &key.selector),
        value: serde_json::to_vec(key).map_err(StorageError::Encode)?,
    })
}

/// The deletion of one key.
pub fn delete_op(domain: &str, selector: &str) -> Op {
    Op::Delete {
        cf: Cf::Auth,
        key: key_of(domain, selector),
    }
}

/// One key, if stored.
pub fn get(store: &Store, domain: &str, selector: &str) -> Result<Option<DkimKey>, KeyStoreError> {
    let key = key_of(domain, selector);
    store
        .get(Cf::Auth, &key)?
        .map(|v| decode(&key, &v))
        .transpose()
}

/// Every key (of `domain` only, when given), ordered by domain then selector.
pub fn list(store: &Store, domain: Option<&str>) -> Result<Vec<DkimKey>, KeyStoreError> {
    let from = match domain {
        Some(d) => format!("dkim/{}/", d.to_ascii_lowercase()).into_bytes(),
        None => PREFIX.to_vec(),
    };
    let mut to = from.clone();
    if let Some(last) = to.last_mut() {
        *last += 1;
    }
    let mut out = Vec::new();
    let mut failed = None;
    store.scan(Cf::Auth, &from, Some(&to), |k, v| match decode(k, v) {
        Ok(key) => {
            out.push(key);
            true
        }
        Err(e) => {
            failed = Some(e);
            false
        }
    })?;
    match failed {
        Some(e) => Err(e),
        None => Ok(out),
    }
}

/// The writes that make `selector` the active key of `domain`: it becomes `Active` (at
/// `now_ms`) and the previously active one, if any, `Retired` — one batch, so there is never a
/// moment with two active keys or none.
pub fn activate_ops(
    keys_of_domain: &[DkimKey],
    selector: &str,
    now_ms: u64,
) -> Result<Vec<Op>, KeyStoreError> {
    let mut ops = Vec::new();
    for key in keys_of_domain {
        let mut changed = key.clone();
        if key.selector.eq_ignore_ascii_case(selector) {
            changed.state = KeyState::Active;
            changed.activated_ms = now_ms;
        } else if key.state == KeyState::Active {
            changed.state = KeyState::Retired;
        } else {
            continue;
        }
        ops.push(put_op(&changed)?);
    }
    Ok(ops)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dkim::Algorithm;

    fn key(domain: &str, selector: &str, state: KeyState) -> DkimKey {
        DkimKey {
            domain: domain.into(),
            selector: selector.into(),
            algorithm: Algorithm::Ed25519,
            private_pkcs8: "x".into(),
            public_key: "y".into(),
            state,
            created_ms: 1,
            activated_ms: 0,
        }
    }

    #[test]
    fn keys_are_listed_per_domain_and_activation_retires_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &Default::default()).unwrap();
        let ops = vec![
            put_op(&key("a.test", "s1", KeyState::Active)).unwrap(),
            put_op(&key("a.test", "s2", KeyState::Prepared)).unwrap(),
            put_op(&key("ab.test", "s1", KeyState::Prepared)).unwrap(),
        ];
        store.write_ops(&ops, false).unwrap();
        assert_eq!(list(&store, None).unwrap().len(), 3);
        let of_a = list(&store, Some("A.test")).unwrap();
        assert_eq!(of_a.len(), 2);
        store
            .write_ops(&activate_ops(&of_a, "s2", 5).unwrap(), false)
            .unwrap();
        let s1 = get(&store, "a.test", "s1").unwrap().unwrap();
        let s2 = get(&store, "a.test", "S2").unwrap().unwrap();
        assert_eq!(
            (s1.state, s2.state, s2.activated_ms),
            (KeyState::Retired, KeyState::Active, 5)
        );
        store
            .write_ops(&[delete_op("a.test", "s1")], false)
            .unwrap();
        assert!(get(&store, "a.test", "s1").unwrap().is_none());
    }
}
