//! The id → handle index: an open-addressing table that stores handles, not ids.
//!
//! A `HashMap<u64, u32>` costs 16 bytes per bucket (the pair is padded) plus a control byte,
//! ~35 bytes per entry at typical load. The id is already in the slab node, so each bucket here
//! holds only the handle and 32 bits of the hash (8 bytes): the tag settles almost every
//! mismatch without touching the node, and the home bucket is recomputed from it when the table
//! grows or shifts. Linear probing, backward-shift deletion (no tombstones), load ≤ 3/4.

/// An empty bucket. No real bucket equals it: handle `u32::MAX` is never allocated.
const EMPTY: u64 = u64::MAX;

const MIX: u64 = 0x9E37_79B9_7F4A_7C15;
const SEED: u64 = 0x243F_6A88_85A3_08D3;

/// Folded 64×64→128 multiply. Delivery ids are minted by the engine, never chosen by a client,
/// so a keyed hash buys nothing; folding the high half back in mixes both the timestamp (high)
/// and sequence (low) bits of hikyaku ids into the tag.
fn tag_of(id: u64) -> u32 {
    let p = u128::from(id ^ SEED) * u128::from(MIX);
    let h = (p as u64) ^ ((p >> 64) as u64);
    (h >> 32) as u32
}

fn pack(tag: u32, handle: u32) -> u64 {
    (u64::from(tag) << 32) | u64::from(handle)
}

/// Handles of live nodes, found by the id stored in the node.
#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    buckets: Vec<u64>,
    len: usize,
}

impl IdIndex {
    fn mask(&self) -> usize {
        self.buckets.len().wrapping_sub(1)
    }

    /// The bucket and handle holding `id`.
    fn find(&self, id: u64, id_of: impl Fn(u32) -> u64) -> Option<(usize, u32)> {
        if self.buckets.is_empty() {
            return None;
        }
        let tag = tag_of(id);
        let mask = self.mask();
        let mut i = tag as usize & mask;
        loop {
            let b = self.buckets[i];
            if b == EMPTY {
                return None;
            }
            let handle = b as u32;
            if (b >> 32) as u32 == tag && id_of(handle) == id {
                return Some((i, handle));
            }
            i = (i + 1) & mask;
        }
    }

    /// The handle of `id`; `id_of` reads the id of a node.
    pub(crate) fn get(&self, id: u64, id_of: impl Fn(u32) -> u64) -> Option<u32> {
        self.find(id, id_of).map(|(_, h)| h)
    }

    /// Adds `id` → `handle`; the caller has checked that `id` is absent.
    pub(crate) fn insert_new(&mut self, id: u64, handle: u32) {
        if (self.len + 1) * 4 > self.buckets.len() * 3 {
            self.grow();
        }
        self.place(pack(tag_of(id), handle));
        self.len += 1;
    }

    fn place(&mut self, packed: u64) {
        let mask = self.mask();
        let mut i = (packed >> 32) as usize & mask;
        while self.buckets[i] != EMPTY {
            i = (i + 1) & mask;
        }
        self.buckets[i] = packed;
    }

    fn grow(&mut self) {
        let size = (self.buckets.len() * 2).max(16);
        let old = std::mem::replace(&mut self.buckets, vec![EMPTY; size]);
        for b in old {
            if b != EMPTY {
                self.place(b);
            }
        }
    }

    /// Removes `id`, returning its handle.
    pub(crate) fn remove(&mut self, id: u64, id_of: impl Fn(u32) -> u64) -> Option<u32> {
        let (mut hole, handle) = self.find(id, id_of)?;
        let mask = self.mask();
        // Backward shift: pull later members of the cluster into the hole unless their home
        // lies cyclically in (hole, j], where they would become unreachable.
        let mut j = (hole + 1) & mask;
        while self.buckets[j] != EMPTY {
            let home = (self.buckets[j] >> 32) as usize & mask;
            let reachable = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !reachable {
                self.buckets[hole] = self.buckets[j];
                hole = j;
            }
            j = (j + 1) & mask;
        }
        self.buckets[hole] = EMPTY;
        self.len -= 1;
        Some(handle)
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// Bytes held by the buckets.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.buckets.capacity() * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn matches_a_hashmap_under_churn() {
        // Node "slab": handle → id.
        let mut ids: Vec<u64> = Vec::new();
        let mut idx = IdIndex::default();
        let mut model: HashMap<u64, u32> = HashMap::new();
        let mut rng = 0x9e37_79b9u64;
        for step in 0..200_000u64 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            // Small id space (with low bits zero) to force collisions and removals.
            let id = (rng % 5_000) << 20;
            let id_of = |h: u32| ids[h as usize];
            match (model.get(&id).copied(), step % 3) {
                (Some(h), 0) | (Some(h), 1) => {
                    assert_eq!(idx.remove(id, id_of), Some(h));
                    model.remove(&id);
                }
                (Some(h), _) => assert_eq!(idx.get(id, id_of), Some(h)),
                (None, _) => {
                    assert_eq!(idx.get(id, id_of), None);
                    let h = ids.len() as u32;
                    ids.push(id);
                    idx.insert_new(id, h);
                    model.insert(id, h);
                }
            }
            assert_eq!(idx.len(), model.len());
        }
        for (&id, &h) in &model {
            assert_eq!(idx.get(id, |h| ids[h as usize]), Some(h));
        }
    }
}
