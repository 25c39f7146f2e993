//! Why the runtime could not start, or a shard stopped abnormally. Each cause is a variant
//! with its source error, so the binary reports the chain and tests can match on the cause.

use std::io;
use std::net::SocketAddr;

use crate::storage::StorageError;

/// Why the engine could not start or stopped abnormally.
#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    /// Invalid configuration.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// The spool could not be opened.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// TLS set-up failed.
    #[error(transparent)]
    Tls(#[from] crate::tls::TlsError),
    /// Executors, threads, signal handlers or a service could not be created.
    #[error("starting the runtime: {0}")]
    Start(#[from] StartError),
    /// A shard failed (e.g. could not bind its listener).
    #[error("shard {shard}: {source}")]
    Shard {
        /// Shard number.
        shard: usize,
        /// What went wrong.
        #[source]
        source: ShardError,
    },
}

/// What could not be set up before the shards start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// The first administrator account (first start only).
    #[error("creating the first administrator: {0}")]
    Bootstrap(#[source] crate::users::UserError),
    /// The group-commit writer thread.
    #[error("spool writer thread: {0}")]
    Writer(#[source] io::Error),
    /// The settings in force did not compile.
    #[error("compiling the settings: {0}")]
    Settings(#[source] crate::config::ConfigError),
    /// The outbound TLS configuration.
    #[error("outbound TLS: {0}")]
    OutboundTls(#[source] rustls::Error),
    /// The DNS resolver service.
    #[error("DNS service: {0}")]
    Dns(#[source] hikyaku_dns::DnsError),
    /// The DKIM keys in the spool.
    #[error("loading DKIM keys: {0}")]
    Dkim(#[source] crate::dkim::store::KeyStoreError),
    /// The JSON-RPC API.
    #[error("JSON-RPC API: {0}")]
    Api(#[source] crate::api::ApiError),
    /// The CPU set or the glommio executors.
    #[error("starting executors: {0}")]
    Executors(#[source] io::Error),
    /// The signal handlers or their thread.
    #[error("signal handling: {0}")]
    Signals(#[source] io::Error),
}

/// Why one shard stopped abnormally (sent back from its thread, hence `Send`).
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The channel mesh between shards could not be joined.
    #[error("joining the channel mesh: {0}")]
    Mesh(#[source] io::Error),
    /// The shard's stop channel is missing (more shards than channels).
    #[error("no stop channel for shard {0}")]
    NoStopChannel(usize),
    /// Its queue could not be reloaded from the spool.
    #[error("reloading the queue: {0}")]
    Reload(#[source] StorageError),
    /// A listener could not be bound.
    #[error("binding the {listener} listener {addr}: {source}")]
    Bind {
        /// Which listener (`relay`, `receiving`).
        listener: &'static str,
        /// Its address.
        addr: SocketAddr,
        /// Why.
        #[source]
        source: io::Error,
    },
    /// Its executor thread failed.
    #[error("executor: {0}")]
    Executor(#[source] io::Error),
}
