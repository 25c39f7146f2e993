//! Connection limits per destination host (IP address), shared by every shard.
//!
//! Per-domain limits are exact without coordination because one shard owns each domain, but
//! many domains share one MX host (hosted mail), and those domains are spread over all shards.
//! A host's limit is therefore counted in one process-wide map behind a mutex, touched only
//! when a connection opens or closes (not per message), so contention stays negligible.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

/// Open outbound connections per remote IP address.
#[derive(Debug, Default)]
pub struct HostLimits {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One open connection's share of its host's limit; released on drop.
#[derive(Debug)]
pub struct HostPermit {
    limits: Arc<HostLimits>,
    ip: IpAddr,
}

impl HostLimits {
    /// Takes a slot for `ip` if fewer than `max` connections to it are open.
    pub fn try_acquire(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<HostPermit> {
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= max {
            return None;
        }
        *n += 1;
        Some(HostPermit {
            limits: self.clone(),
            ip,
        })
    }

    /// Connections open to `ip` now.
    pub fn open(&self, ip: IpAddr) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(&ip)
            .copied()
            .unwrap_or(0)
    }
}

impl Drop for HostPermit {
    fn drop(&mut self) {
        let mut open = self.limits.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.ip);
            }
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
        let permits: Vec<_> = (0..3).filter_map(|_| limits.try_acquire(ip, 2)).collect();
        assert_eq!(permits.len(), 2);
        let other = limits.clone();
        let denied = std::thread::spawn(move || other.try_acquire(ip, 2).is_none())
            .join()
            .unwrap();
        assert!(denied);
        drop(permits);
        assert_eq!(limits.open(ip), 0);
        assert!(limits.try_acquire(ip, 2).is_some());
    }
}
