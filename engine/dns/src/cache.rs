//! DNS answer cache: per RRset, kept for the answer's TTL within configured bounds, with a bounded
//! size and least-recently-used eviction.
//!
//! The clock is a parameter (`now: Instant`) of every call, so expiry is tested by passing a later
//! instant instead of sleeping. Temporary failures are never cached: the next delivery attempt
//! should ask again.

use std::borrow::Borrow;
use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use crate::route::{MxRecord, Resolution};

/// Bounds for cached answers. Floors stop a zero-TTL domain from costing a lookup per message;
/// ceilings let changed MX records take effect within a known time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    /// Maximum number of RRsets kept per record type (MX, A, AAAA); 0 disables caching.
    pub capacity: usize,
    /// Shortest time any answer is kept, even with a smaller TTL.
    pub min_ttl: Duration,
    /// Longest time any answer is kept, even with a larger TTL.
    pub max_ttl: Duration,
    /// How long a negative answer (NXDOMAIN, NODATA) is kept when it carried no SOA minimum.
    pub negative_ttl: Duration,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            capacity: 10_000,
            min_ttl: Duration::from_secs(5),
            max_ttl: Duration::from_secs(3600),
            negative_ttl: Duration::from_secs(300),
        }
    }
}

impl CacheConfig {
    /// How long to keep an answer: the records' TTL (or, for a negative answer, the SOA-derived
    /// negative TTL, else [`CacheConfig::negative_ttl`]) clamped to `[min_ttl, max_ttl]`.
    /// `None` for answers that must not be cached (temporary failures).
    pub fn keep_for<T>(
        &self,
        resolution: &Resolution<T>,
        ttl_secs: Option<u32>,
    ) -> Option<Duration> {
        let raw = match resolution {
            Resolution::Found(_) => Duration::from_secs(u64::from(ttl_secs.unwrap_or(0))),
            Resolution::NxDomain | Resolution::NoData => {
                ttl_secs.map_or(self.negative_ttl, |s| Duration::from_secs(u64::from(s)))
            }
            Resolution::TempFail(_) => return None,
        };
        let floor = self.min_ttl.min(self.max_ttl);
        Some(raw.clamp(floor, self.max_ttl))
    }
}

struct Slot<V> {
    value: V,
    expires: Instant,
    tick: u64,
}

/// A bounded map whose entries expire at a given instant. Least recently used entries are evicted
/// first when full (a `BTreeMap` from use-tick to key keeps that O(log n)).
pub struct TtlCache<K, V> {
    entries: HashMap<K, Slot<V>>,
    by_use: BTreeMap<u64, K>,
    tick: u64,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V: Clone> TtlCache<K, V> {
    /// An empty cache that holds at most `capacity` entries.
    pub fn new(capacity: usize) -> Self {
        Self {
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
            tick: 0,
            capacity,
        }
    }

    /// The value for `key` if it has not expired at `now`; marks it recently used.
    pub fn get<Q>(&mut self, key: &Q, now: Instant) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let slot = self.entries.get_mut(key)?;
        if slot.expires <= now {
            let tick = slot.tick;
            self.entries.remove(key);
            self.by_use.remove(&tick);
            return None;
        }
        self.tick += 1;
        if let Some(k) = self.by_use.remove(&slot.tick) {
            self.by_use.insert(self.tick, k);
        }
        slot.tick = self.tick;
        Some(slot.value.clone())
    }

    /// Stores `value` until `now + ttl`, evicting the least recently used entries if full.
    pub fn insert(&mut self, key: K, value: V, ttl: Duration, now: Instant) {
        if self.capacity == 0 || ttl.is_zero() {
            return;
        }
        let Some(expires) = now.checked_add(ttl) else {
            return;
        };
        if let Some(old) = self.entries.remove(&key) {
            self.by_use.remove(&old.tick);
        }
        while self.entries.len() >= self.capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        self.tick += 1;
        self.by_use.insert(self.tick, key.clone());
        self.entries.insert(
            key,
            Slot {
                value,
                expires,
                tick: self.tick,
            },
        );
    }

    /// Number of entries held, expired ones included until they are touched or evicted.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Forgets everything, e.g. after the operator changed DNS settings.
    pub fn clear(&mut self) {
        self.entries.clear();
        self.by_use.clear();
    }
}

/// The resolver service's cache: one [`TtlCache`] per record type, keyed by lower-case name
/// without trailing dot. A and AAAA are separate because they are separate RRsets with their own
/// TTLs and negative answers.
pub struct DnsCache {
    config: CacheConfig,
    mx: TtlCache<String, Resolution<Vec<MxRecord>>>,
    a: TtlCache<String, Resolution<Vec<IpAddr>>>,
    aaaa: TtlCache<String, Resolution<Vec<IpAddr>>>,
}

/// Which address RRset a cached address answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// A records.
    V4,
    /// AAAA records.
    V6,
}

impl DnsCache {
    /// An empty cache with the given bounds.
    pub fn new(config: CacheConfig) -> Self {
        let cap = config.capacity;
        Self {
            config,
            mx: TtlCache::new(cap),
            a: TtlCache::new(cap),
            aaaa: TtlCache::new(cap),
        }
    }

    /// The bounds this cache applies.
    pub fn config(&self) -> &CacheConfig {
        &self.config
    }

    /// A cached MX answer for `name`, if still valid at `now`.
    pub fn get_mx(&mut self, name: &str, now: Instant) -> Option<Resolution<Vec<MxRecord>>> {
        self.mx.get(name, now)
    }

    /// Caches an MX answer; `ttl_secs` is the smallest record TTL, or the negative TTL.
    pub fn put_mx(
        &mut self,
        name: &str,
        answer: &Resolution<Vec<MxRecord>>,
        ttl_secs: Option<u32>,
        now: Instant,
    ) {
        if let Some(ttl) = self.config.keep_for(answer, ttl_secs) {
            self.mx.insert(name.to_string(), answer.clone(), ttl, now);
        }
    }

    /// A cached A or AAAA answer for `name`, if still valid at `now`.
    pub fn get_addrs(
        &mut self,
        family: Family,
        name: &str,
        now: Instant,
    ) -> Option<Resolution<Vec<IpAddr>>> {
        match family {
            Family::V4 => self.a.get(name, now),
            Family::V6 => self.aaaa.get(name, now),
        }
    }

    /// Caches an A or AAAA answer; `ttl_secs` as for [`DnsCache::put_mx`].
    pub fn put_addrs(
        &mut self,
        family: Family,
        name: &str,
        answer: &Resolution<Vec<IpAddr>>,
        ttl_secs: Option<u32>,
        now: Instant,
    ) {
        let Some(ttl) = self.config.keep_for(answer, ttl_secs) else {
            return;
        };
        let cache = match family {
            Family::V4 => &mut self.a,
            Family::V6 => &mut self.aaaa,
        };
        cache.insert(name.to_string(), answer.clone(), ttl, now);
    }

    /// Total entries over all record types.
    pub fn len(&self) -> usize {
        self.mx.len() + self.a.len() + self.aaaa.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every answer.
    pub fn clear(&mut self) {
        self.mx.clear();
        self.a.clear();
        self.aaaa.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn mx(exchange: &str) -> Resolution<Vec<MxRecord>> {
        Resolution::Found(vec![MxRecord {
            preference: 10,
            exchange: exchange.to_string(),
        }])
    }

    #[test]
    fn answers_expire_after_ttl() {
        let t0 = Instant::now();
        let mut c = DnsCache::new(CacheConfig::default());
        c.put_mx("d.test", &mx("mx.d.test"), Some(60), t0);
        assert_eq!(c.get_mx("d.test", t0 + secs(59)), Some(mx("mx.d.test")));
        assert_eq!(c.get_mx("d.test", t0 + secs(60)), None);
        assert!(c.is_empty(), "an expired entry is dropped when touched");
    }

    #[test]
    fn ttl_is_clamped_to_floor_and_ceiling() {
        let t0 = Instant::now();
        let mut c = DnsCache::new(CacheConfig::default());
        c.put_mx("zero.test", &mx("a"), Some(0), t0);
        c.put_mx("huge.test", &mx("b"), Some(86_400 * 7), t0);
        assert!(
            c.get_mx("zero.test", t0 + secs(4)).is_some(),
            "floor of 5 s"
        );
        assert!(c.get_mx("zero.test", t0 + secs(5)).is_none());
        assert!(c.get_mx("huge.test", t0 + secs(3599)).is_some());
        assert!(
            c.get_mx("huge.test", t0 + secs(3600)).is_none(),
            "ceiling of 1 h"
        );
    }

    #[test]
    fn negative_answers_use_soa_ttl_or_default_and_tempfail_is_not_cached() {
        let t0 = Instant::now();
        let mut c = DnsCache::new(CacheConfig::default());
        c.put_mx("nx.test", &Resolution::NxDomain, Some(30), t0);
        c.put_mx("nodata.test", &Resolution::NoData, None, t0);
        c.put_mx(
            "tmp.test",
            &Resolution::TempFail("SERVFAIL".into()),
            Some(300),
            t0,
        );
        assert_eq!(
            c.get_mx("nx.test", t0 + secs(29)),
            Some(Resolution::NxDomain)
        );
        assert_eq!(c.get_mx("nx.test", t0 + secs(30)), None);
        assert_eq!(
            c.get_mx("nodata.test", t0 + secs(299)),
            Some(Resolution::NoData)
        );
        assert_eq!(c.get_mx("nodata.test", t0 + secs(300)), None);
        assert_eq!(c.get_mx("tmp.test", t0), None);
    }

    #[test]
    fn families_are_separate() {
        let t0 = Instant::now();
        let mut c = DnsCache::new(CacheConfig::default());
        let v4 = Resolution::Found(vec!["192.0.2.1".parse().unwrap()]);
        c.put_addrs(Family::V4, "h.test", &v4, Some(60), t0);
        c.put_addrs(Family::V6, "h.test", &Resolution::NoData, Some(10), t0);
        assert_eq!(c.get_addrs(Family::V4, "h.test", t0 + secs(30)), Some(v4));
        assert_eq!(c.get_addrs(Family::V6, "h.test", t0 + secs(30)), None);
    }

    #[test]
    fn least_recently_used_is_evicted() {
        let t0 = Instant::now();
        let mut c: TtlCache<String, u32> = TtlCache::new(2);
        c.insert("a".into(), 1, secs(60), t0);
        c.insert("b".into(), 2, secs(60), t0);
        assert_eq!(c.get("a", t0), Some(1)); // "b" is now the least recently used
        c.insert("c".into(), 3, secs(60), t0);
        assert_eq!(c.len(), 2);
        assert_eq!(c.get("b", t0), None);
        assert_eq!(c.get("a", t0), Some(1));
        assert_eq!(c.get("c", t0), Some(3));
        // Replacing a key does not grow the cache or evict another.
        c.insert("c".into(), 4, secs(60), t0);
        assert_eq!(
            (c.len(), c.get("a", t0), c.get("c", t0)),
            (2, Some(1), Some(4))
        );
    }

    #[test]
    fn zero_capacity_caches_nothing() {
        let t0 = Instant::now();
        let mut c = DnsCache::new(CacheConfig {
            capacity: 0,
            ..CacheConfig::default()
        });
        c.put_mx("d.test", &mx("m"), Some(60), t0);
        assert_eq!(c.get_mx("d.test", t0), None);
    }
}
