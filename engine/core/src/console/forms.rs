//! Form and query-string fields: decoding, and the search filters they carry.
//!
//! The search forms use the parameter names of the RPC methods they call
//! (`deliveries.search`, `bounces.search`, `blocks.list`), so a console URL reads like the
//! API call it makes. Empty fields mean "no filter".

use hikyaku_rpc::types::blocks::{BlockQuery, ListName};
use hikyaku_rpc::types::bounces::BounceQuery;
use hikyaku_rpc::types::deliveries::{DeliveryQuery, Status};

/// Decoded `application/x-www-form-urlencoded` pairs.
pub fn decode(text: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(text).into_owned().collect()
}

/// `pairs` encoded as a query string (without the `?`).
pub fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

/// The first non-empty value of `name`, trimmed.
pub fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

fn owned(pairs: &[(String, String)], name: &str) -> Option<String> {
    field(pairs, name).map(str::to_string)
}

/// A filter the form gave in a shape the API does not take.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub(crate) field: &'static str,
    pub(crate) message: String,
}

/// Page sizes offered (the API allows 1–1000).
const PAGE_SIZE: u32 = 50;

/// The filters of a delivery-log search.
pub fn delivery_query(pairs: &[(String, String)]) -> Result<DeliveryQuery, FieldError> {
    let status = match field(pairs, "status") {
        None => None,
        Some("queued") => Some(Status::Queued),
        Some("succeeded") => Some(Status::Succeeded),
        Some("failed") => Some(Status::Failed),
        Some("deferred") => Some(Status::Deferred),
        Some(other) => {
            return Err(FieldError {
                field: "status",
                message: format!("{other:?} is not queued, succeeded, deferred or failed"),
            })
        }
    };
    Ok(DeliveryQuery {
        since: owned(pairs, "since"),
        until: owned(pairs, "until"),
        recipient: owned(pairs, "recipient"),
        domain: owned(pairs, "domain"),
        status,
        api_user: owned(pairs, "api_user"),
        message_id: owned(pairs, "message_id"),
        subject: owned(pairs, "subject"),
        cursor: owned(pairs, "cursor"),
        limit: Some(PAGE_SIZE),
    })
}

/// The filters of an error-log search.
pub fn bounce_query(pairs: &[(String, String)]) -> Result<BounceQuery, FieldError> {
    let error_status = match field(pairs, "error_status") {
        None => None,
        Some(text) => Some(text.parse::<u8>().map_err(|_| FieldError {
            field: "error_status",
            message: format!("{text:?} is not an error status number (1–11, 99)"),
        })?),
    };
    let source = match field(pairs, "source") {
        None => None,
        Some(s @ ("smtp" | "bounce")) => Some(s.to_string()),
        Some(other) => {
            return Err(FieldError {
                field: "source",
                message: format!("{other:?} is not smtp or bounce"),
            })
        }
    };
    Ok(BounceQuery {
        since: owned(pairs, "since"),
        until: owned(pairs, "until"),
        recipient: owned(pairs, "recipient"),
        domain: owned(pairs, "domain"),
        error_status,
        api_user: owned(pairs, "api_user"),
        message_id: owned(pairs, "message_id"),
        source,
        cursor: owned(pairs, "cursor"),
        limit: Some(PAGE_SIZE),
    })
}

/// The list and filter of a block/unsubscribe-list search.
pub fn block_query(pairs: &[(String, String)]) -> Result<BlockQuery, FieldError> {
    let list = match field(pairs, "list") {
        None | Some("block") => ListName::Block,
        Some("unsubscribe") => ListName::Unsubscribe,
        Some(other) => {
            return Err(FieldError {
                field: "list",
                message: format!("{other:?} is not block or unsubscribe"),
            })
        }
    };
    Ok(BlockQuery {
        list,
        contains: owned(pairs, "contains"),
        cursor: owned(pairs, "cursor"),
        limit: Some(PAGE_SIZE),
    })
}

/// The query string of the same search with another `cursor` (next page) or at another
/// path (download), keeping every other field; `csrf` is replaced by the session's.
pub fn same_search(pairs: &[(String, String)], csrf: &str, replace: &[(&str, &str)]) -> String {
    let skip = |k: &str| k == "csrf" || k == "cursor" || replace.iter().any(|(r, _)| *r == k);
    encode(
        pairs
            .iter()
            .filter(|(k, v)| !skip(k) && !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .chain(replace.iter().copied())
            .chain([("csrf", csrf)]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(q: &str) -> Vec<(String, String)> {
        decode(q.as_bytes())
    }

    #[test]
    fn search_fields_map_to_the_api_filters() {
        let q = delivery_query(&pairs(
            "recipient=a%40b.test&status=failed&domain=&subject=Hello+there&csrf=x",
        ))
        .unwrap();
        assert_eq!(q.recipient.as_deref(), Some("a@b.test"));
        assert_eq!(q.status, Some(Status::Failed));
        assert_eq!(q.domain, None, "empty field is no filter");
        assert_eq!(q.subject.as_deref(), Some("Hello there"));
        let e = delivery_query(&pairs("status=lost")).unwrap_err();
        assert_eq!(e.field, "status");
        let b = bounce_query(&pairs("error_status=2&source=bounce")).unwrap();
        assert_eq!(
            (b.error_status, b.source.as_deref()),
            (Some(2), Some("bounce"))
        );
        assert_eq!(
            bounce_query(&pairs("error_status=x")).unwrap_err().field,
            "error_status"
        );
        let l = block_query(&pairs("list=unsubscribe&contains=shop")).unwrap();
        assert_eq!(l.list, ListName::Unsubscribe);
        assert!(block_query(&pairs("list=other")).is_err());
    }

    #[test]
    fn next_page_links_keep_the_filters_and_renew_the_token() {
        let p = pairs("recipient=a%40b.test&cursor=old&csrf=stale&domain=");
        let next = same_search(&p, "fresh", &[("cursor", "c2")]);
        let back = pairs(&next);
        assert_eq!(field(&back, "recipient"), Some("a@b.test"));
        assert_eq!(field(&back, "cursor"), Some("c2"));
        assert_eq!(field(&back, "csrf"), Some("fresh"));
        assert_eq!(back.iter().filter(|(k, _)| k == "cursor").count(), 1);
        assert!(field(&back, "domain").is_none());
    }
}
