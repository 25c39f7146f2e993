//! hikyaku-rpc: the JSON-RPC 2.0 contract between `hikyakud` and its clients.
//!
//! Everything a client and the server must agree on lives here and nowhere else: the request
//! and response types (serde + JSON Schema), one [`Method`] descriptor per method that ties a
//! name to its parameter and result types and to the callers allowed to use it, the error codes,
//! and the OpenRPC document that `rpc.discover` serves and `docs/rpc.md` is generated from.
//! The crate has no dependency on the engine, so the admin CLI and third-party Rust clients
//! build without RocksDB.
//!
//! Parameters are always one JSON object passed by name (`"params": {"to": [...], ...}`),
//! which is why methods are described by typed descriptors rather than jsonrpsee's `#[rpc]`
//! traits: those map each Rust argument to a separate parameter, while one object per method
//! keeps the schema, the server and every client in step.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

#[cfg(feature = "client")]
pub mod client;
pub mod errors;
pub mod method;
pub mod methods;
pub mod openrpc;
pub mod types;

pub use method::{Access, Method, MethodInfo};
