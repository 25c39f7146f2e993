//! Shaping rule firings, kept in the admin column family under
//! `shaping/<time_ms BE><sequence BE>`: the durable log behind `shaping.status`'s history and
//! the source of the `shaping` webhook event (`webhooks::event::derive`).

use super::{Cf, Op, StorageError, Store};
use crate::shaping::Fired;

/// Key prefix.
pub const PREFIX: &[u8] = b"shaping/";

/// The write of one firing; `seq` tells apart firings of the same millisecond.
pub fn fired_op(f: &Fired, seq: u32) -> Result<Op, serde_json::Error> {
    let mut key = PREFIX.to_vec();
    key.extend_from_slice(&f.time_ms.to_be_bytes());
    key.extend_from_slice(&seq.to_be_bytes());
    Ok(Op::Put {
        cf: Cf::Admin,
        key,
        value: serde_json::to_vec(f)?,
    })
}

/// Firings recorded since `from_ms`, oldest first, at most `limit`.
pub fn since(store: &Store, from_ms: u64, limit: usize) -> Result<Vec<Fired>, StorageError> {
    let mut from = PREFIX.to_vec();
    from.extend_from_slice(&from_ms.to_be_bytes());
    let mut out = Vec::new();
    store.scan(Cf::Admin, &from, Some(b"shaping0"), |_, v| {
        if let Ok(f) = serde_json::from_slice(v) {
            out.push(f);
        }
        out.len() < limit
    })?;
    Ok(out)
}
