//! RocksDB key layout and the mapping of destination domains to shards.
//!
//! | column family | key | value |
//! |---|---|---|
//! | `messages` | message id (8, BE) | message bytes (with our `Received` header) |
//! | `message_meta` | message id (8, BE) | [`MessageMeta`](super::MessageMeta) JSON |
//! | `queue` | domain hash (8, BE) · delivery id (8, BE) | [`QueueEntry`](super::QueueEntry) JSON |
//! | `delivery_log` | time ms (8, BE) · delivery id (8, BE) · status (1) | [`DeliveryLogRecord`](super::DeliveryLogRecord) JSON |
//! | `users` | lower-cased user name | [`UserRecord`](super::UserRecord) JSON |
//! | `log_index` | kind (1) · day (4) · value · 0x00 · log key (see [`super::log_index`]) | empty |
//! | `suppression` | `b:`/`u:` + lower-cased address; `c:` + address (error counter, merge operands) | entry JSON; 4-byte BE count |
//! | `admin` | accounts, API keys, settings versions, idempotency keys, jobs, secrets, `damaged/` + delivery id, `event/` + time + delivery, `webhook/` + endpoint id, `totp/` + account, `oplog/` + id (8, BE; see [`super::oplog`]) | JSON (secrets: raw bytes) |
//! | `bounces` | time ms (8) · id (8) · n (1) (n = 0xFF: the raw bounce) | error-log record JSON |
//! | `received` | part (1) · time ms (8) · id (8) | received-message record JSON / raw bytes |
//! | `auth` | `dkim/` + domain + `/` + selector; `smime/` + address or domain | DKIM key JSON (PKCS #8 inside); S/MIME entry JSON |
//! | `outbox` | part (1: `0x00` pending, `0x01` dead letters) · endpoint id (8, BE) · sequence (8, BE) (see `crate::webhooks::store`) | webhook event JSON |
//! | `stats` | dim (1) · hour or day (4) · parts, each + `0x00` · status (1) · error status (1) (see [`super::graph_counters`]) | `u64` BE, merge-summed |
//! | `dmarc_reports` | `0x00` · domain · `0x00` · period begin s (8) · fnv64(reporter, report id) (8); `0x01`/`0x02` · time ms (8) · received id (8) (see `crate::dmarc::store`) | aggregate report JSON; malformed: error JSON / raw mail |
//!
//! Queue keys start with the 64-bit hash of the lower-cased destination domain, and a shard owns
//! a contiguous slice of the hash space: shard `i` of `n` owns hashes `h` with
//! `floor(h·n / 2^64) = i`. So every domain belongs to exactly one shard, each shard reloads its
//! queue with one range scan, and changing the shard count only moves slice boundaries.
//! That slice is the domain's *home*; the recipients of a hot domain are spread over all shards
//! by [`spread_owner`] instead (`queue::spread` decides which domains are hot), so the queue
//! key layout does not change: a shard's reload finds the spread entries of its home domains
//! and forwards them to their owners.
//! Delivery-log keys start with the time so retention is a range delete of the oldest prefix.

use crate::ids::Id;

/// FNV-1a over the lower-cased domain: stable across releases and platforms (the hash is
/// persisted in keys), and cheap. It is not keyed because it only spreads load across shards.
pub fn domain_hash(domain: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in domain.bytes() {
        h ^= u64::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The shard that owns a domain hash when there are `shards` shards.
pub fn owner_shard(hash: u64, shards: usize) -> usize {
    ((u128::from(hash) * shards as u128) >> 64) as usize
}

/// The shard that delivers a recipient of a *spread* (hot) domain: a mix of the domain hash with
/// the delivery id's millisecond and minting shard (`id >> 12`, see `crate::ids`). Intake
/// mints the ids of all recipients of one message on one shard in one millisecond, so they
/// land on the same shard and still go in one transaction; successive messages land on every
/// shard evenly.
pub fn spread_owner(hash: u64, delivery: Id, shards: usize) -> usize {
    // splitmix64's finaliser: every input bit moves the slice the result falls in.
    let mut z = hash ^ (delivery.0 >> 12).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    owner_shard(z ^ (z >> 31), shards)
}

/// Inclusive lower and exclusive upper bound (None = end of space) of a shard's hash slice.
pub fn shard_hash_range(shard: usize, shards: usize) -> (u64, Option<u64>) {
    let bound = |i: usize| -> Option<u64> {
        if i >= shards {
            None
        } else {
            // smallest h with floor(h*n/2^64) >= i  ==  ceil(i * 2^64 / n)
            let num = (i as u128) << 64;
            let n = shards as u128;
            Some(num.div_ceil(n) as u64)
        }
    };
    (bound(shard).unwrap_or(u64::MAX), bound(shard + 1))
}

/// Key of a queue entry.
pub fn queue_key(hash: u64, delivery: Id) -> [u8; 16] {
    let mut k = [0u8; 16];
    k[..8].copy_from_slice(&hash.to_be_bytes());
    k[8..].copy_from_slice(&delivery.to_be_bytes());
    k
}

/// Key of a delivery-log record.
pub fn log_key(time_ms: u64, delivery: Id, status: u8) -> [u8; 17] {
    let mut k = [0u8; 17];
    k[..8].copy_from_slice(&time_ms.to_be_bytes());
    k[8..16].copy_from_slice(&delivery.to_be_bytes());
    k[16] = status;
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_hash_ignores_case() {
        assert_eq!(domain_hash("Example.COM"), domain_hash("example.com"));
        assert_ne!(domain_hash("example.com"), domain_hash("example.net"));
    }

    #[test]
    fn ranges_partition_the_hash_space() {
        for n in 1..=7 {
            let mut expected_start = 0u64;
            for i in 0..n {
                let (lo, hi) = shard_hash_range(i, n);
                assert_eq!(lo, expected_start);
                assert_eq!(owner_shard(lo, n), i);
                match hi {
                    Some(hi) => {
                        assert_eq!(owner_shard(hi - 1, n), i);
                        assert_eq!(owner_shard(hi, n), i + 1);
                        expected_start = hi;
                    }
                    None => {
                        assert_eq!(i, n - 1);
                        assert_eq!(owner_shard(u64::MAX, n), i);
                    }
                }
            }
        }
    }

    #[test]
    fn spread_keeps_a_message_together_and_uses_every_shard() {
        let hash = domain_hash("gmail.com");
        let mut ids = crate::ids::IdGen::new(1);
        let mut per_shard = [0usize; 4];
        for ms in 0..4_000u64 {
            // One message with 5 recipients, minted in one millisecond.
            let owners: Vec<usize> = (0..5)
                .map(|_| spread_owner(hash, ids.next(1_000_000 + ms), 4))
                .collect();
            assert!(owners.iter().all(|&o| o == owners[0]), "{owners:?}");
            per_shard[owners[0]] += 1;
        }
        // Even within ±10 % (1,000 expected per shard).
        assert!(
            per_shard.iter().all(|&n| (900..=1_100).contains(&n)),
            "{per_shard:?}"
        );
        // A single shard owns everything.
        assert_eq!(spread_owner(hash, Id(12345 << 12), 1), 0);
    }

    proptest::proptest! {
        #[test]
        fn spread_owner_is_a_shard(h: u64, id: u64, n in 1usize..64) {
            proptest::prop_assert!(spread_owner(h, Id(id), n) < n);
        }


        #[test]
        fn owner_is_inside_its_range(h: u64, n in 1usize..64) {
            let s = owner_shard(h, n);
            let (lo, hi) = shard_hash_range(s, n);
            proptest::prop_assert!(h >= lo);
            if let Some(hi) = hi { proptest::prop_assert!(h < hi); }
        }
    }
}
