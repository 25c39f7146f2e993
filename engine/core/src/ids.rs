//! Message and delivery identifiers.
//!
//! A 64-bit id is `milliseconds since the Unix epoch (44 bits) | shard (8 bits) | sequence
//! (12 bits)`. Ids minted by one shard increase strictly, so they sort by creation time (the
//! delivery log and the queue range scans rely on that), and shards never collide because the
//! shard number is part of the id. When a shard mints more than 4096 ids in one millisecond it
//! borrows the next millisecond rather than wrapping.

use std::fmt;

/// A message (one stored body) or delivery (one recipient of a message) identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Id(pub u64);

impl Id {
    /// Big-endian bytes, so byte order equals numeric order in RocksDB keys.
    pub fn to_be_bytes(self) -> [u8; 8] {
        self.0.to_be_bytes()
    }

    /// Parses the 16-hex-digit form produced by `Display`. Only hex digits: `from_str_radix`
    /// alone also takes a leading `+` (caught by fuzz/unsubscribe: `+00000000000001f`).
    pub fn parse(text: &str) -> Option<Self> {
        if text.len() != 16 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        u64::from_str_radix(text, 16).ok().map(Id)
    }

    /// Milliseconds since the Unix epoch at which the id was minted.
    pub fn millis(self) -> u64 {
        self.0 >> 20
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:016x}", self.0)
    }
}

/// Per-shard id generator (not shared between threads: each shard owns one).
#[derive(Debug)]
pub struct IdGen {
    shard: u64,
    last_ms: u64,
    seq: u64,
}

const SEQ_BITS: u64 = 12;
const SHARD_BITS: u64 = 8;

impl IdGen {
    /// A generator for `shard` (only its low 8 bits are used; at most 256 shards exist).
    pub fn new(shard: usize) -> Self {
        Self {
            shard: (shard as u64) & ((1 << SHARD_BITS) - 1),
            last_ms: 0,
            seq: 0,
        }
    }

    /// The next id, given the current time in milliseconds.
    pub fn next(&mut self, now_ms: u64) -> Id {
        if now_ms > self.last_ms {
            self.last_ms = now_ms;
            self.seq = 0;
        } else {
            self.seq += 1;
            if self.seq >= 1 << SEQ_BITS {
                self.last_ms += 1;
                self.seq = 0;
            }
        }
        Id((self.last_ms << (SEQ_BITS + SHARD_BITS)) | (self.shard << SEQ_BITS) | self.seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_increase_and_carry_time() {
        let mut g = IdGen::new(3);
        let a = g.next(1_000);
        let b = g.next(1_000);
        let c = g.next(999); // clock went back: still increasing
        assert!(a < b && b < c);
        assert_eq!(a.millis(), 1_000);
        assert_eq!(Id::parse(&a.to_string()), Some(a));
    }

    #[test]
    fn sequence_overflow_borrows_next_millisecond() {
        let mut g = IdGen::new(0);
        let mut last = g.next(5);
        for _ in 0..10_000 {
            let id = g.next(5);
            assert!(id > last);
            last = id;
        }
    }

    #[test]
    fn only_sixteen_hex_digits_parse() {
        assert_eq!(Id::parse("00000000000000Af"), Some(Id(0xaf)));
        // Caught by fuzz/unsubscribe: a sign is not a digit.
        assert_eq!(Id::parse("+191f3a2b4c5d6e7"), None);
        assert_eq!(Id::parse("-191f3a2b4c5d6e7"), None);
        assert_eq!(Id::parse("0191f3a2b4c5d6e"), None);
    }

    #[test]
    fn shards_never_collide() {
        let mut a = IdGen::new(0);
        let mut b = IdGen::new(1);
        assert_ne!(a.next(7), b.next(7));
    }
}
