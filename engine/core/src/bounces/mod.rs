//! Bounces that come back (issue 6, items 5–7): VERP return paths, matching a received bounce
//! to its delivery, the error log, auto-blocking. Parsing and classification live in the
//! `hikyaku-bounce` crate; this module adds what needs the spool. No runtime imports: the
//! receiving listener (`runtime/connection.rs`) calls [`process`] on its blocking pool.

mod log;
mod process;
mod verp;

pub use log::{retention_op, search, smtp_failure_op, BounceQuery, BounceRecord, ErrorSource};
pub(crate) use process::delivery_record;
pub use process::{process, Processed, Received};
pub use verp::Verp;
