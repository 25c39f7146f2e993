//! Connection limits per destination host (IP address), shared by every shard.
//!
//! Per-domain limits are exact without coordination because one shard owns each domain, but
//! many domains share one MX host (hosted mail), and those domains are spread over all shards.
//! A host's limit is therefore counted in one process-wide map behind a mutex, touched only
//! when a connection opens, closes or waits (not per message), so contention stays negligible.
//!
//! Fairness across shards when a host is at its cap. Within a shard, idle connections are
//! handed over to waiting domains directly (`runtime::conn_pool`); a connection cannot move to
//! another shard's thread, so for those the map keeps:
//!
//! * **waiters**: workers (of any shard) waiting for a slot. While there are any, a worker that
//!   is not waiting cannot take a slot the waiters need ([`HostLimits::try_acquire`] with
//!   `waiting = false` is refused and that worker joins the waiters);
//! * **promised**: idle connections that agreed to close for a waiter elsewhere
//!   ([`HostLimits::yield_for_waiter`]), so two idle connections do not both close for one
//!   waiter;
//! * a **release event** per host, notified whenever a slot frees up, which wakes the waiters of
//!   every shard at once instead of them polling.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use event_listener::{Event, EventListener};

#[derive(Debug, Default)]
struct Host {
    open: usize,
    waiters: usize,
    promised: usize,
    released: Arc<Event>,
}

/// Open outbound connections per remote IP address.
#[derive(Debug, Default)]
pub struct HostLimits {
    hosts: Mutex<HashMap<IpAddr, Host>>,
}

/// One open connection's share of its host's limit; released on drop.
#[derive(Debug)]
pub struct HostPermit {
    limits: Arc<HostLimits>,
    ip: IpAddr,
}

/// A worker's place among a host's waiters; dropping it leaves the queue.
#[derive(Debug)]
pub struct HostWaiter {
    limits: Arc<HostLimits>,
    ip: IpAddr,
    /// Resolves when a slot of the host is released.
    pub released: EventListener,
}

impl HostLimits {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<IpAddr, Host>> {
        self.hosts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Takes a slot for `ip` if fewer than `max` connections to it are open and, unless the
    /// caller is itself `waiting`, the free slots are more than the waiters need.
    pub fn try_acquire(
        self: &Arc<Self>,
        ip: IpAddr,
        max: usize,
        waiting: bool,
    ) -> Option<HostPermit> {
        let mut hosts = self.lock();
        let host = hosts.entry(ip).or_default();
        if host.open >= max || (!waiting && host.open + host.waiters >= max) {
            return None;
        }
        host.open += 1;
        Some(HostPermit {
            limits: self.clone(),
            ip,
        })
    }

    /// Joins the waiters of `ip`.
    pub fn wait(self: &Arc<Self>, ip: IpAddr) -> HostWaiter {
        let mut hosts = self.lock();
        let host = hosts.entry(ip).or_default();
        host.waiters += 1;
        let released = host.released.listen();
        HostWaiter {
            limits: self.clone(),
            ip,
            released,
        }
    }

    /// Called by an idle connection to `ip` with no use for it on its own shard: `true` when
    /// some waiter of another shard (there are `local_waiters` on the caller's) has no closing
    /// connection promised yet, and the caller should close to free its slot.
    pub fn yield_for_waiter(&self, ip: IpAddr, local_waiters: usize) -> bool {
        let mut hosts = self.lock();
        let Some(host) = hosts.get_mut(&ip) else {
            return false;
        };
        if host.waiters.saturating_sub(local_waiters) > host.promised {
            host.promised += 1;
            true
        } else {
            false
        }
    }

    /// Connections open to `ip` now.
    pub fn open(&self, ip: IpAddr) -> usize {
        self.lock().get(&ip).map_or(0, |h| h.open)
    }

    fn forget_if_idle(hosts: &mut HashMap<IpAddr, Host>, ip: IpAddr) {
        if hosts
            .get(&ip)
            .is_some_and(|h| h.open == 0 && h.waiters == 0 && h.promised == 0)
        {
            hosts.remove(&ip);
        }
    }
}

impl Drop for HostPermit {
    fn drop(&mut self) {
        let mut hosts = self.limits.lock();
        let Some(host) = hosts.get_mut(&self.ip) else {
            return;
        };
        host.open = host.open.saturating_sub(1);
        host.promised = host.promised.saturating_sub(1);
        let released = host.released.clone();
        HostLimits::forget_if_idle(&mut hosts, self.ip);
        drop(hosts);
        released.notify(usize::MAX);
    }
}

impl Drop for HostWaiter {
    fn drop(&mut self) {
        let mut hosts = self.limits.lock();
        if let Some(host) = hosts.get_mut(&self.ip) {
            host.waiters = host.waiters.saturating_sub(1);
            HostLimits::forget_if_idle(&mut hosts, self.ip);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_holds_across_threads_and_releases_on_drop() {
        let limits = Arc::new(HostLimits::default());
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let permits: Vec<_> = (0..3)
            .filter_map(|_| limits.try_acquire(ip, 2, false))
            .collect();
        assert_eq!(permits.len(), 2);
        let other = limits.clone();
        let denied = std::thread::spawn(move || other.try_acquire(ip, 2, false).is_none())
            .join()
            .unwrap();
        assert!(denied);
        drop(permits);
        assert_eq!(limits.open(ip), 0);
        assert!(limits.try_acquire(ip, 2, false).is_some());
    }

    #[test]
    fn waiters_are_served_before_newcomers_and_get_one_yield_each() {
        let limits = Arc::new(HostLimits::default());
        let ip: IpAddr = "192.0.2.2".parse().unwrap();
        let mut held: Vec<_> = (0..2)
            .filter_map(|_| limits.try_acquire(ip, 2, false))
            .collect();
        let waiter = limits.wait(ip);
        // One waiter on another shard: exactly one idle connection is asked to close.
        assert!(limits.yield_for_waiter(ip, 0));
        assert!(!limits.yield_for_waiter(ip, 0));
        // A waiter on the caller's own shard is served by hand-over, not by closing.
        assert!(!limits.yield_for_waiter(ip, 1));
        held.pop();
        // The freed slot cannot be taken by a newcomer while someone waits.
        assert!(limits.try_acquire(ip, 2, false).is_none());
        let permit = limits.try_acquire(ip, 2, true);
        assert!(permit.is_some());
        drop(waiter);
        drop(permit);
        drop(held);
        assert_eq!(limits.open(ip), 0);
        assert!(limits.lock().is_empty());
    }

    #[test]
    fn a_release_wakes_waiters() {
        let limits = Arc::new(HostLimits::default());
        let ip: IpAddr = "192.0.2.3".parse().unwrap();
        let permit = limits.try_acquire(ip, 1, false);
        let mut waiter = limits.wait(ip);
        let other = std::thread::spawn(move || {
            futures::executor::block_on(&mut waiter.released);
        });
        drop(permit);
        other.join().unwrap();
    }
}
