//! Secrets the engine generates once and keeps in the spool (`admin` family): the VERP key,
//! the unsubscribe-token key. 32 random bytes each, written with a synced write the first
//! time they are needed, so a restart (or a second process on the same spool) reads the same.

use super::{Cf, Op, StorageError, Store};

/// The secret stored under `key`, created (and synced) when absent.
pub fn load_or_create(store: &Store, key: &[u8]) -> Result<Vec<u8>, StorageError> {
    if let Some(secret) = store.get(Cf::Admin, key)? {
        return Ok(secret);
    }
    let mut secret = [0u8; 32];
    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut secret);
    store.write_ops(
        &[Op::Put {
            cf: Cf::Admin,
            key: key.to_vec(),
            value: secret.to_vec(),
        }],
        true,
    )?;
    Ok(secret.to_vec())
}
