//! Benchmark harness for hikyaku: an SMTP load generator (`hikyaku-loadgen`), a fast
//! SMTP sink (`hikyaku-sink`) and the small, I/O-free pieces they share.
//!
//! The protocol pieces ([`reply`] for reading server replies, [`data`] for finding the
//! end of a DATA section and the Message-ID in it, [`message`] for building test
//! messages once and patching only their ids) do no I/O and are unit tested; the
//! binaries wire them to blocking sockets, one thread per connection. That is the
//! cheapest model for a tool that shares two cores with the server it measures: no
//! runtime, one `write` per pipelined command group, one `read` per reply batch.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod data;
pub mod json;
pub mod loadgen;
pub mod message;
pub mod provider_sim;
pub mod reply;
pub mod sink;
