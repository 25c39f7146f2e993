//! Hand-over of open outbound connections between the domains of one shard that share a
//! destination host. Generic over the connection (the runtime's SMTP session, or a plain value
//! in the tests below): the pool only needs its [`PoolKey`], and reads no clock of its own
//! (callers pass the time, `crate::clock`), so every rule is unit-tested without sockets.
//!
//! Workers are per domain, but many domains share one MX host (hosted mail) or all go to one
//! smart host, and such a host's connections are capped by `max_connections_per_host`. When
//! the cap is reached, a worker for another domain would otherwise wait for a connection to
//! be closed and then pay a new TCP, EHLO (and TLS) handshake, while the open connections sit
//! idle waiting for more mail of their own domain. Instead (the idea of Postfix's connection
//! cache, keyed by next-hop address):
//!
//! * a worker that finds every host of its domain at the cap registers as a **waiter** for
//!   those addresses and wakes an idle worker of each address ([`ConnPool::wait`]);
//! * an idle worker that sees more waiters than parked connections for its address stops
//!   waiting for its own domain and
//!   **parks** its connection, permit included ([`ConnPool::park`]), which wakes one waiter;
//! * the waiter **takes** it ([`ConnPool::take`]) and carries on with its own domain's mail on
//!   the same session (after the last transaction's reply, so no RSET is needed).
//!
//! A parked connection is only reused for the same address, host name, TLS policy and source
//! pool ([`PoolKey`]): a TLS session set up for one name is never used for another. A parked
//! connection that does not match a waiter is closed instead, which frees its slot. Parked
//! connections nobody takes are closed after [`PARK_KEEP`]. Everything is shard-local (no
//! locks); across shards the host cap itself is the only shared state.

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::rc::Rc;
use std::time::Duration;

use event_listener::{Event, EventListener};
use hikyaku_smtp::client::TlsPolicy;

/// Entries of addresses nobody uses any more are dropped by [`ConnPool::expired`] once the map
/// holds more than this many (idle workers' `wanted` registrations leave them behind).
const FORGET_ABOVE: usize = 1024;

/// How long a parked connection waits for a taker before it is closed.
pub const PARK_KEEP: Duration = Duration::from_secs(1);

/// What must match for a connection to be reused by another domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolKey {
    /// Remote address.
    pub addr: SocketAddr,
    /// Host name the session was opened for (TLS server name, logs).
    pub host: String,
    /// TLS policy the session was negotiated under.
    pub tls: TlsPolicy,
    /// The source addresses the domain's policy allows.
    pub sources: Vec<IpAddr>,
}

/// A connection the pool can hold: an open, idle-between-transactions session (with its share
/// of the host's cap, which it keeps while parked).
pub trait Pooled {
    /// What must match for another domain to reuse it.
    fn key(&self) -> &PoolKey;
}

struct Parked<C> {
    conn: C,
    /// When it was parked, ms (the caller's clock).
    since_ms: u64,
}

/// Per address: who waits for a connection, and who could give one.
struct Address<C> {
    waiters: usize,
    /// Notified when a connection to this address is parked.
    offered: Rc<Event>,
    /// Notified when a worker starts waiting for this address.
    wanted: Rc<Event>,
    parked: Vec<Parked<C>>,
}

impl<C> Default for Address<C> {
    fn default() -> Self {
        Address {
            waiters: 0,
            offered: Rc::default(),
            wanted: Rc::default(),
            parked: Vec::new(),
        }
    }
}

/// The shard's parked connections and waiters, by remote address.
pub struct ConnPool<C> {
    addresses: RefCell<HashMap<SocketAddr, Address<C>>>,
    /// Parked connections over all addresses, so the periodic expiry costs nothing when
    /// there are none (the usual case: hand-overs are taken at once) and the map is small.
    parked: std::cell::Cell<usize>,
}

impl<C> Default for ConnPool<C> {
    fn default() -> Self {
        ConnPool {
            addresses: RefCell::default(),
            parked: std::cell::Cell::new(0),
        }
    }
}

/// A worker's registration as a waiter; dropping it unregisters.
pub struct Waiting<'a, C> {
    pool: &'a ConnPool<C>,
    addrs: Vec<SocketAddr>,
    /// Resolves when a connection to one of the addresses is parked.
    pub offered: Vec<EventListener>,
}

impl<C> Drop for Waiting<'_, C> {
    fn drop(&mut self) {
        let mut map = self.pool.addresses.borrow_mut();
        for addr in &self.addrs {
            if let Some(a) = map.get_mut(addr) {
                a.waiters = a.waiters.saturating_sub(1);
            }
        }
        drop(map);
        for addr in &self.addrs {
            self.pool.forget_if_unused(*addr);
        }
    }
}

impl<C: Pooled> ConnPool<C> {
    /// A parked connection for `key`, if any. Parked connections to the same address that do
    /// not match are returned in `close`: closing them frees their slots of the host's cap.
    pub fn take(&self, key: &PoolKey, close: &mut Vec<C>) -> Option<C> {
        let mut map = self.addresses.borrow_mut();
        let a = map.get_mut(&key.addr)?;
        let found = a.parked.iter().rposition(|p| p.conn.key() == key);
        let taken = found.map(|i| a.parked.swap_remove(i).conn);
        let mut gone = usize::from(taken.is_some());
        if taken.is_none() && a.waiters > 0 {
            gone += a.parked.len();
            close.extend(a.parked.drain(..).map(|p| p.conn));
        }
        self.parked.set(self.parked.get().saturating_sub(gone));
        drop(map);
        self.forget_if_unused(key.addr);
        taken
    }

    /// Registers a waiter for `addrs` and wakes the idle workers of those addresses. The
    /// listeners are registered before anything is parked, so no offer is missed.
    pub fn wait(&self, addrs: &[SocketAddr]) -> Waiting<'_, C> {
        let mut offered = Vec::with_capacity(addrs.len());
        let mut wanted = Vec::with_capacity(addrs.len());
        {
            let mut map = self.addresses.borrow_mut();
            for addr in addrs {
                let a = map.entry(*addr).or_default();
                a.waiters += 1;
                offered.push(a.offered.listen());
                wanted.push(a.wanted.clone());
            }
        }
        // One more connection is wanted: wake one idle worker per address.
        for event in wanted {
            event.notify(1);
        }
        Waiting {
            pool: self,
            addrs: addrs.to_vec(),
            offered,
        }
    }

    /// Whether a worker of this shard waits for a connection to `addr` that no parked
    /// connection is already set aside for.
    pub fn needs(&self, addr: SocketAddr) -> bool {
        self.addresses
            .borrow()
            .get(&addr)
            .is_some_and(|a| a.waiters > a.parked.len())
    }

    /// Workers of this shard waiting for a connection to `addr`.
    pub fn waiters(&self, addr: SocketAddr) -> usize {
        self.addresses.borrow().get(&addr).map_or(0, |a| a.waiters)
    }

    /// Resolves when a worker starts waiting for `addr` (for idle workers to listen on).
    pub fn wanted(&self, addr: SocketAddr) -> EventListener {
        let event = self
            .addresses
            .borrow_mut()
            .entry(addr)
            .or_default()
            .wanted
            .clone();
        event.listen()
    }

    /// Parks `conn` for a waiter (at `now_ms`) and wakes one.
    pub fn park(&self, conn: C, now_ms: u64) {
        let addr = conn.key().addr;
        let offered = {
            let mut map = self.addresses.borrow_mut();
            let a = map.entry(addr).or_default();
            a.parked.push(Parked {
                conn,
                since_ms: now_ms,
            });
            self.parked.set(self.parked.get() + 1);
            a.offered.clone()
        };
        offered.notify(1);
    }

    /// Parked connections older than `keep` at `now_ms` (taken out; the caller closes them).
    pub fn expired(&self, keep: Duration, now_ms: u64) -> Vec<C> {
        let keep_ms = u64::try_from(keep.as_millis()).unwrap_or(u64::MAX);
        let mut out = Vec::new();
        if self.parked.get() == 0 && self.addresses.borrow().len() <= FORGET_ABOVE {
            return out;
        }
        let mut map = self.addresses.borrow_mut();
        for a in map.values_mut() {
            let mut i = 0;
            while i < a.parked.len() {
                if now_ms.saturating_sub(a.parked[i].since_ms) >= keep_ms {
                    out.push(a.parked.swap_remove(i).conn);
                } else {
                    i += 1;
                }
            }
        }
        map.retain(|_, a| a.waiters > 0 || !a.parked.is_empty() || a.wanted.total_listeners() > 0);
        self.parked.set(self.parked.get().saturating_sub(out.len()));
        out
    }
}

impl<C> ConnPool<C> {
    fn forget_if_unused(&self, addr: SocketAddr) {
        let mut map = self.addresses.borrow_mut();
        if let Some(a) = map.get(&addr) {
            if a.waiters == 0 && a.parked.is_empty() && a.wanted.total_listeners() == 0 {
                map.remove(&addr);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in connection: its key and a name to tell them apart.
    #[derive(Debug)]
    struct Fake(PoolKey, &'static str);

    impl Pooled for Fake {
        fn key(&self) -> &PoolKey {
            &self.0
        }
    }

    fn key(port: u16, host: &str, tls: TlsPolicy) -> PoolKey {
        PoolKey {
            addr: SocketAddr::from(([192, 0, 2, 1], port)),
            host: host.into(),
            tls,
            sources: Vec::new(),
        }
    }

    #[test]
    fn a_waiter_takes_a_parked_connection_with_the_same_key_only() {
        let pool: ConnPool<Fake> = ConnPool::default();
        let k = key(25, "mx.example.com", TlsPolicy::Opportunistic);
        assert!(!pool.needs(k.addr));
        let waiting = pool.wait(&[k.addr]);
        assert!(pool.needs(k.addr));
        assert_eq!(pool.waiters(k.addr), 1);
        pool.park(Fake(k.clone(), "a"), 0);
        // One waiter, one parked connection set aside for it: not needed any more.
        assert!(!pool.needs(k.addr));
        let mut close = Vec::new();
        // Another TLS policy or host name never gets it...
        let other_tls = key(25, "mx.example.com", TlsPolicy::Disabled);
        assert!(pool.take(&other_tls, &mut close).is_none());
        // ...and, since a waiter is registered, the mismatching one is given to close.
        assert_eq!(close.len(), 1);
        pool.park(Fake(k.clone(), "b"), 0);
        let other_host = key(25, "mx2.example.com", TlsPolicy::Opportunistic);
        close.clear();
        assert!(pool.take(&other_host, &mut close).is_none());
        assert_eq!(close.len(), 1);
        pool.park(Fake(k.clone(), "c"), 0);
        close.clear();
        let taken = pool.take(&k, &mut close);
        assert_eq!(taken.map(|c| c.1), Some("c"));
        assert!(close.is_empty());
        drop(waiting);
        assert_eq!(pool.waiters(k.addr), 0);
        assert!(
            pool.addresses.borrow().is_empty(),
            "unused addresses are forgotten"
        );
    }

    #[test]
    fn without_waiters_mismatching_connections_stay_parked() {
        let pool: ConnPool<Fake> = ConnPool::default();
        let k = key(25, "mx.example.com", TlsPolicy::Opportunistic);
        pool.park(Fake(k.clone(), "a"), 0);
        let mut close = Vec::new();
        let other = key(25, "mx.example.com", TlsPolicy::Required);
        assert!(pool.take(&other, &mut close).is_none());
        assert!(close.is_empty());
        assert!(pool.take(&k, &mut close).is_some());
        // Another address has nothing.
        assert!(pool
            .take(
                &key(587, "mx.example.com", TlsPolicy::Opportunistic),
                &mut close
            )
            .is_none());
    }

    #[test]
    fn parked_connections_expire_by_the_given_time() {
        let pool: ConnPool<Fake> = ConnPool::default();
        let k = key(25, "mx.example.com", TlsPolicy::Opportunistic);
        pool.park(Fake(k.clone(), "old"), 1_000);
        pool.park(Fake(k.clone(), "new"), 1_600);
        assert!(pool.expired(PARK_KEEP, 1_999).is_empty());
        let gone = pool.expired(PARK_KEEP, 2_000);
        assert_eq!(gone.iter().map(|c| c.1).collect::<Vec<_>>(), vec!["old"]);
        let gone = pool.expired(PARK_KEEP, 10_000);
        assert_eq!(gone.iter().map(|c| c.1).collect::<Vec<_>>(), vec!["new"]);
        assert!(pool.addresses.borrow().is_empty());
        assert_eq!(pool.parked.get(), 0);
    }

    #[test]
    fn waiting_wakes_idle_workers_and_parking_wakes_the_waiter() {
        let pool: ConnPool<Fake> = ConnPool::default();
        let k = key(25, "mx.example.com", TlsPolicy::Opportunistic);
        let wanted = pool.wanted(k.addr);
        let mut waiting = pool.wait(&[k.addr]);
        assert!(futures::executor::block_on(futures::future::poll_immediate(wanted)).is_some());
        let Some(offered) = waiting.offered.pop() else {
            panic!("no listener for the address");
        };
        pool.park(Fake(k, "a"), 0);
        assert!(futures::executor::block_on(futures::future::poll_immediate(offered)).is_some());
    }
}
