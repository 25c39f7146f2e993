//! MX routing for hikyaku (SPEC §5 "Routing").
//!
//! The delivery shards run on glommio, while hickory's resolver is tokio-native. This crate keeps
//! them apart the way DESIGN.md prescribes for the control plane: [`DnsService`] owns one thread
//! with a current-thread tokio runtime and the resolver, and shards talk to it through the
//! runtime-agnostic [`DnsHandle`] (a bounded flume channel carrying `(request, oneshot)`).
//!
//! The pieces are split so that the rules can be tested without a network:
//! - [`route`]: the pure RFC 5321 §5.1 / RFC 7505 decision from lookup results to a [`RouteResult`];
//! - [`cache`]: a TTL cache with an injected clock and a bounded size;
//! - [`service`]: the resolver thread that performs lookups, consults the cache and answers;
//! - [`testserver`] and [`zone`]: an in-memory authoritative DNS server on 127.0.0.1 for tests and
//!   benchmarks, and the zone it serves.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod cache;
pub mod route;
pub mod service;
pub mod testserver;
pub mod zone;

pub use cache::{CacheConfig, DnsCache, Family, TtlCache};
pub use route::{MxHost, MxRecord, Resolution, RouteResult};
pub use service::{resolver_config_for, DnsConfig, DnsError, DnsHandle, DnsService};
pub use testserver::TestDns;
pub use zone::{Zone, ZoneError};
