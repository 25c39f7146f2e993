//! DMARC (SPEC §7, §8; issue 13 part 3): the record to publish, the effective record of a
//! domain with its inheritance and our mail's alignment, and the aggregate reports receivers
//! mail to the report address.
//!
//! * [`record`]: building and explaining records, no I/O;
//! * [`check`]: the DNS side of `dmarc.check` (control plane, tokio, through
//!   [`crate::authdns`]); alignment is mail-auth's verdict, not ours;
//! * [`report`]: report mail → XML (gzip/zip/plain) → rows, no I/O;
//! * [`store`]: the `dmarc_reports` column family and the per-source-IP summary.
//!
//! Report mail is filed by the receiving listener ([`receive_ops`]) in the same durable batch
//! as the received message itself: a report that parses is stored per domain; one that does
//! not is stored raw with its error. Either way the mail is answered `250` and kept in
//! `received`: a malformed report is never dropped.

pub mod check;
pub mod record;
pub mod report;
pub mod store;

pub use check::{check, DmarcCheck, Side};
pub use record::{build as build_record, Policy, RecordRequest, RecordToPublish};
pub use report::{ReportError, ReportRow, StoredReport};
pub use store::{by_source, Malformed, SourceSummary};

use crate::ids::Id;
use crate::storage::{Op, StorageError};

/// Why a DMARC request failed.
#[derive(Debug, thiserror::Error)]
pub enum DmarcError {
    /// A request field is wrong.
    #[error("{field}: {message}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A lookup failed (timeout, SERVFAIL): nothing can be said.
    #[error("DNS lookup failed: {0}")]
    Dns(String),
}

impl DmarcError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        DmarcError::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// The writes that file a report mail received as message `id` at `now_ms`: the parsed report,
/// or the raw mail with the parse error. Parsing is CPU work: call it off the shard's executor
/// (the receiving listener runs it on the blocking pool with bounce processing).
pub fn receive_ops(id: Id, now_ms: u64, raw: &[u8]) -> Result<Vec<Op>, StorageError> {
    match report::parse(raw, &id.to_string()) {
        Ok(parsed) => {
            tracing::info!(
                id = %id,
                domain = %parsed.domain,
                reporter = %parsed.org_name,
                rows = parsed.rows.len(),
                "DMARC aggregate report stored"
            );
            Ok(vec![store::report_op(&parsed)?])
        }
        Err(e) => {
            tracing::warn!(id = %id, error = %e, "DMARC report did not parse; kept raw with the error");
            let m = Malformed {
                time_ms: now_ms,
                received_id: id.to_string(),
                error: e.to_string(),
                size: raw.len() as u64,
            };
            Ok(store::malformed_ops(id, &m, raw)?.into())
        }
    }
}
