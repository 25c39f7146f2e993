//! What a report names: each failed recipient with its status.

use hikyaku_bounce::{parse, ErrorStatus};

/// The failed recipients `raw` names, with their statuses, in order.
pub fn named(raw: &str) -> Vec<(String, ErrorStatus)> {
    parse(raw.as_bytes())
        .recipients
        .iter()
        .map(|f| (f.recipient.clone(), f.status))
        .collect()
}
