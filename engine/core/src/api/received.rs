//! `received.list` and `received.get`: what the receiving listener accepted.
//!
//! Access: listing is a report (`Report`, like `bounces.search`); an API user sees only the
//! bounces matched to its own deliveries, never inbound mail or unmatched reports, which
//! belong to nobody's sending. Reading a whole message is `ServiceAdmin`: a raw message to an
//! inbound domain can carry anything, so report viewers and API users see envelopes only.

use base64::Engine;
use hikyaku_rpc::types::received::{
    RawEncoding, ReceivedGet, ReceivedKind as WireKind, ReceivedMessage, ReceivedPage,
    ReceivedQuery, ReceivedRecord,
};

use super::reports::{hex, page_limit, time_range, unhex};
use super::time::format_ms;
use super::ApiError;
use crate::ids::Id;
use crate::receiving::{self, Lookup, ReceivedKind};
use crate::storage::Store;

const DAY_MS: u64 = 86_400_000;

fn kind_of(k: WireKind) -> ReceivedKind {
    match k {
        WireKind::Bounce => ReceivedKind::Bounce,
        WireKind::Feedback => ReceivedKind::Feedback,
        WireKind::AutoReply => ReceivedKind::AutoReply,
        WireKind::Other => ReceivedKind::Other,
    }
}

fn wire_kind(k: ReceivedKind) -> WireKind {
    match k {
        ReceivedKind::Bounce => WireKind::Bounce,
        ReceivedKind::Feedback => WireKind::Feedback,
        ReceivedKind::AutoReply => WireKind::AutoReply,
        ReceivedKind::Other => WireKind::Other,
    }
}

fn wire(id: Id, r: receiving::ReceivedRecord) -> ReceivedRecord {
    ReceivedRecord {
        id: id.to_string(),
        time: format_ms(r.time_ms),
        mail_from: r.mail_from,
        recipients: r.recipients,
        peer_ip: r.peer_ip,
        helo: r.helo,
        tls: r.tls,
        size: r.size,
        kind: wire_kind(r.kind),
        subject: r.subject,
        header_message_id: r.header_message_id,
        error_log_records: u32::try_from(r.error_log_keys.len()).unwrap_or(u32::MAX),
        api_users: r.api_users,
    }
}

/// `received.list`; `own` is the calling API user, if the caller is one.
pub(crate) fn list(
    store: &Store,
    q: &ReceivedQuery,
    own: Option<&str>,
) -> Result<ReceivedPage, ApiError> {
    let (from_ms, to_ms) = time_range(q.since.as_deref(), q.until.as_deref(), DAY_MS)?;
    let limit = page_limit(q.limit, 100, 1000)? as usize;
    let query = receiving::ReceivedQuery {
        from_ms,
        to_ms,
        kind: q.kind.map(kind_of),
        recipient: q.recipient.clone(),
        domain: q.domain.clone(),
        api_user: own.map(str::to_string),
        after: q
            .cursor
            .as_deref()
            .map(|c| unhex("cursor", c))
            .transpose()?,
        limit,
    };
    let page = receiving::list(store, &query)?;
    if page.corrupt > 0 {
        tracing::warn!(
            count = page.corrupt,
            "received.list skipped records that do not decode"
        );
    }
    let next_cursor = (page.records.len() == limit)
        .then(|| page.records.last().map(|(k, _, _)| hex(k)))
        .flatten();
    Ok(ReceivedPage {
        records: page
            .records
            .into_iter()
            .map(|(_, id, r)| wire(id, r))
            .collect(),
        next_cursor,
    })
}

/// `received.get`.
pub(crate) fn get(store: &Store, q: &ReceivedGet) -> Result<ReceivedMessage, ApiError> {
    let id = Id::parse(&q.id).ok_or_else(|| {
        ApiError::invalid(
            "id",
            format!("{:?} is not a message id (16 hex digits)", q.id),
        )
    })?;
    let m = match receiving::get(store, id)? {
        Lookup::Found(m) => m,
        Lookup::Missing => {
            return Err(ApiError::NotFound(format!(
                "no received message {id} (never received, or past retention)"
            )))
        }
        Lookup::Corrupt(why) => {
            return Err(ApiError::Unavailable(format!(
                "received message {id} is damaged: {why}"
            )))
        }
    };
    let (raw, lossy) = match q.encoding {
        RawEncoding::Text => match String::from_utf8(m.raw) {
            Ok(text) => (text, false),
            Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), true),
        },
        RawEncoding::Base64 => (
            base64::engine::general_purpose::STANDARD.encode(&m.raw),
            false,
        ),
    };
    let error_log_keys = m.record.error_log_keys.clone();
    Ok(ReceivedMessage {
        record: wire(id, m.record),
        error_log_keys,
        encoding: q.encoding,
        lossy,
        raw,
    })
}
