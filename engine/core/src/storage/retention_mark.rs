//! When the daily retention purge last ran (`admin` family, one key): read at each check so a
//! restart neither purges twice in a day nor skips one. The mark is written in the purge's own
//! batch, so a purge lost in a crash (the batch is not synced) loses its mark with it and is
//! simply done again.

use super::{Cf, Op, StorageError, Store};

const KEY: &[u8] = b"retention/last_purge";

/// Time of the last purge, ms since the epoch; `None` before the first one. A value of the
/// wrong size reads as `None` too: the worst that does is one purge more.
pub fn last_purge(store: &Store) -> Result<Option<u64>, StorageError> {
    Ok(store
        .get(Cf::Admin, KEY)?
        .and_then(|v| <[u8; 8]>::try_from(v.as_slice()).ok())
        .map(u64::from_be_bytes))
}

/// The write that records a purge at `ms` (to go into the purge's batch).
pub fn mark_op(ms: u64) -> Op {
    Op::Put {
        cf: Cf::Admin,
        key: KEY.to_vec(),
        value: ms.to_be_bytes().to_vec(),
    }
}
