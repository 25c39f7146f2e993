//! hikyaku-engine: the mail delivery engine behind `hikyakud`.
//!
//! Shape (see `docs/architecture.md`): one glommio shard per core accepts SMTP on a shared
//! SO_REUSEPORT port and runs sessions with the sans-I/O state machine from `hikyaku-smtp`;
//! accepted messages become one RocksDB batch (body, metadata, one queue entry and one
//! delivery-log record per recipient) that a single writer thread fsyncs together with every
//! other shard's pending batches (group commit) before `250` is sent; recipients then move over
//! the channel mesh to the shard that owns their destination domain.
//!
//! Only [`runtime`] imports glommio; everything else is plain Rust that tests drive directly.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod access;
pub mod accounts;
pub mod api;
pub mod authdns;
pub mod bounces;
pub mod clock;
pub mod config;
pub mod console;
pub mod control;
pub mod delivery;
pub mod dkim;
pub mod dmarc;
pub mod ids;
pub mod inbound;
pub mod intake;
pub mod maintenance;
pub mod metrics;
pub mod policy;
pub mod queue;
pub mod receiving;
pub mod runtime;
pub mod shaping;
pub mod smime;
pub mod spf;
pub mod storage;
pub mod suppression;
pub mod tls;
pub mod tls_client;
pub mod tune;
pub mod unsubscribe;
pub mod users;
pub mod webhooks;
