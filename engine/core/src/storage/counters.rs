//! Counters that several shards bump at once, kept exact by a RocksDB merge operator.
//!
//! The error counter of an address (automatic blocking, SPEC §7) is bumped by whichever shard
//! records a failure: the shard owning the recipient's domain for a synchronous `550`, any
//! shard for a received bounce. A read-modify-write there loses increments when two shards read
//! the same value at once; a merge operand (`+1`) is applied by RocksDB in order, so the stored
//! count is always the number of bumps. Deciding on the threshold then happens after the
//! commit, by reading the merged value (see `suppression::auto_block`).
//!
//! Values are 4-byte big-endian `u32`s, the format the counters had before the merge operator,
//! so old spools read unchanged. The operator is installed on the `suppression` family only;
//! other keys of that family are never merged.

use rocksdb::{MergeOperands, Options};

use super::{Cf, Op};

/// Name RocksDB records in the OPTIONS file; changing it makes old spools refuse to open.
const NAME: &str = "hikyaku.counter_add.v1";

fn value(bytes: &[u8]) -> u32 {
    <[u8; 4]>::try_from(bytes).map_or(0, u32::from_be_bytes)
}

/// Sums the existing value and every operand (saturating). A malformed value counts as 0
/// rather than failing the read of the whole family.
fn add(_key: &[u8], existing: Option<&[u8]>, operands: &MergeOperands) -> Option<Vec<u8>> {
    let mut total = existing.map_or(0, value);
    for op in operands {
        total = total.saturating_add(value(op));
    }
    Some(total.to_be_bytes().to_vec())
}

/// Installs the counter merge operator on the family that holds counters.
pub fn install(cf: Cf, options: &mut Options) {
    if cf == Cf::Suppression {
        options.set_merge_operator_associative(NAME, add);
    }
}

/// The write that adds `n` to the counter under `key`.
pub fn add_op(cf: Cf, key: Vec<u8>, n: u32) -> Op {
    Op::Merge {
        cf,
        key,
        value: n.to_be_bytes().to_vec(),
    }
}

/// Decodes a stored counter.
pub fn decode(bytes: &[u8]) -> u32 {
    value(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StorageConfig;
    use crate::storage::Store;

    #[test]
    fn concurrent_bumps_are_never_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        // A value written the old way (a plain put) is the starting point.
        store
            .write_ops(
                &[Op::Put {
                    cf: Cf::Suppression,
                    key: b"c:x".to_vec(),
                    value: 3u32.to_be_bytes().to_vec(),
                }],
                false,
            )
            .unwrap();
        std::thread::scope(|s| {
            for _ in 0..4 {
                let store = &store;
                s.spawn(move || {
                    for _ in 0..250 {
                        store
                            .write_ops(&[add_op(Cf::Suppression, b"c:x".to_vec(), 1)], false)
                            .unwrap();
                    }
                });
            }
        });
        let v = store.get(Cf::Suppression, b"c:x").unwrap().unwrap();
        assert_eq!(decode(&v), 1003);
        // And after a reopen (operands flushed and compacted the same way).
        store.flush().unwrap();
        drop(store);
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        store
            .write_ops(&[add_op(Cf::Suppression, b"c:x".to_vec(), 1)], false)
            .unwrap();
        let v = store.get(Cf::Suppression, b"c:x").unwrap().unwrap();
        assert_eq!(decode(&v), 1004);
        // A read-only open (the offline commands) merges unflushed operands the same way.
        let read_only = Store::open_read_only(dir.path()).unwrap();
        let v = read_only.get(Cf::Suppression, b"c:x").unwrap().unwrap();
        assert_eq!(decode(&v), 1004);
    }
}
