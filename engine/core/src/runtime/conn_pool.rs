//! Hand-over of open outbound connections between the domains of one shard that share a
//! destination host.
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
use std::time::{Duration, Instant};

use event_listener::{Event, EventListener};
use hikyaku_smtp::client::TlsPolicy;

use super::outbound::Outbound;
use crate::delivery::host_limits::HostPermit;
use crate::delivery::Remote;

/// Entries of addresses nobody uses any more are dropped by [`ConnPool::expired`] once the map
/// holds more than this many (idle workers' `wanted` registrations leave them behind).
const FORGET_ABOVE: usize = 1024;

/// How long a parked connection waits for a taker before it is closed.
pub(super) const PARK_KEEP: Duration = Duration::from_secs(1);

/// What must match for a connection to be reused by another domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PoolKey {
    /// Remote address.
    pub(super) addr: SocketAddr,
    /// Host name the session was opened for (TLS server name, logs).
    pub(super) host: String,
    /// TLS policy the session was negotiated under.
    pub(super) tls: TlsPolicy,
    /// The source addresses the domain's policy allows.
    pub(super) sources: Vec<IpAddr>,
}

/// An open, idle-between-transactions connection with its share of the host's cap.
pub(super) struct Conn {
    /// The session.
    pub(super) out: Outbound,
    /// Where it goes, for the delivery log.
    pub(super) remote: Remote,
    /// Held for the life of the connection.
    pub(super) permit: HostPermit,
    /// Its reuse key.
    pub(super) key: PoolKey,
    /// Messages sent on it so far (counts against `max_messages_per_connection`).
    pub(super) used: usize,
    /// Counts it in `hikyaku_smtp_connections_out` until dropped.
    pub(super) counted: crate::metrics::OutboundGuard,
}

struct Parked {
    conn: Conn,
    since: Instant,
}

/// Per address: who waits for a connection, and who could give one.
#[derive(Default)]
struct Address {
    waiters: usize,
    /// Notified when a connection to this address is parked.
    offered: Rc<Event>,
    /// Notified when a worker starts waiting for this address.
    wanted: Rc<Event>,
    parked: Vec<Parked>,
}

/// The shard's parked connections and waiters, by remote address.
#[derive(Default)]
pub(super) struct ConnPool {
    addresses: RefCell<HashMap<SocketAddr, Address>>,
    /// Parked connections over all addresses, so the periodic expiry costs nothing when
    /// there are none (the usual case: hand-overs are taken at once) and the map is small.
    parked: std::cell::Cell<usize>,
}

/// A worker's registration as a waiter; dropping it unregisters.
pub(super) struct Waiting<'a> {
    pool: &'a ConnPool,
    addrs: Vec<SocketAddr>,
    /// Resolves when a connection to one of the addresses is parked.
    pub(super) offered: Vec<EventListener>,
}

impl Drop for Waiting<'_> {
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

impl ConnPool {
    /// A parked connection for `key`, if any. Parked connections to the same address that do
    /// not match are returned in `close`: closing them frees their slots of the host's cap.
    pub(super) fn take(&self, key: &PoolKey, close: &mut Vec<Conn>) -> Option<Conn> {
        let mut map = self.addresses.borrow_mut();
        let a = map.get_mut(&key.addr)?;
        let found = a.parked.iter().rposition(|p| p.conn.key == *key);
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
    pub(super) fn wait(&self, addrs: &[SocketAddr]) -> Waiting<'_> {
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
    pub(super) fn needs(&self, addr: SocketAddr) -> bool {
        self.addresses
            .borrow()
            .get(&addr)
            .is_some_and(|a| a.waiters > a.parked.len())
    }

    /// Workers of this shard waiting for a connection to `addr`.
    pub(super) fn waiters(&self, addr: SocketAddr) -> usize {
        self.addresses.borrow().get(&addr).map_or(0, |a| a.waiters)
    }

    /// Resolves when a worker starts waiting for `addr` (for idle workers to listen on).
    pub(super) fn wanted(&self, addr: SocketAddr) -> EventListener {
        let event = self
            .addresses
            .borrow_mut()
            .entry(addr)
            .or_default()
            .wanted
            .clone();
        event.listen()
    }

    /// Parks `conn` for a waiter and wakes one.
    pub(super) fn park(&self, conn: Conn) {
        let addr = conn.key.addr;
        let offered = {
            let mut map = self.addresses.borrow_mut();
            let a = map.entry(addr).or_default();
            a.parked.push(Parked {
                conn,
                since: Instant::now(),
            });
            self.parked.set(self.parked.get() + 1);
            a.offered.clone()
        };
        offered.notify(1);
    }

    /// Parked connections older than `keep` (taken out; the caller closes them).
    pub(super) fn expired(&self, keep: Duration) -> Vec<Conn> {
        let mut out = Vec::new();
        if self.parked.get() == 0 && self.addresses.borrow().len() <= FORGET_ABOVE {
            return out;
        }
        let mut map = self.addresses.borrow_mut();
        for a in map.values_mut() {
            let mut i = 0;
            while i < a.parked.len() {
                if a.parked[i].since.elapsed() >= keep {
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

    fn forget_if_unused(&self, addr: SocketAddr) {
        let mut map = self.addresses.borrow_mut();
        if let Some(a) = map.get(&addr) {
            if a.waiters == 0 && a.parked.is_empty() && a.wanted.total_listeners() == 0 {
                map.remove(&addr);
            }
        }
    }
}
