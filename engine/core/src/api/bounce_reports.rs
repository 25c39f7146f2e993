//! `bounces.search`, `bounces.export` and `stats.errors`.

use std::collections::BTreeMap;

use hikyaku_rpc::types::bounces::{
    BounceExportQuery, BouncePage, BounceQuery, BounceRecord, DomainErrors, ErrorStats,
    ErrorStatsQuery, StatusCount,
};
use hikyaku_rpc::types::deliveries::ExportChunk;

use super::reports::{export_chunk, hex, page_limit, scan_log, time_range, unhex};
use super::time::format_ms;
use super::ApiError;
use crate::bounces::{self, BounceQuery as StoreQuery};
use crate::storage::{DeliveryStatus, Store};

const DAY_MS: u64 = 86_400_000;

fn reason(status: u8) -> String {
    hikyaku_bounce::ErrorStatus::from_u8(status)
        .map(|s| s.reason().to_string())
        .unwrap_or_default()
}

fn store_query(
    q: &BounceQuery,
    own: Option<&str>,
    default_limit: u32,
    max_limit: u32,
) -> Result<StoreQuery, ApiError> {
    let (from_ms, to_ms) = time_range(q.since.as_deref(), q.until.as_deref(), DAY_MS)?;
    let limit = page_limit(q.limit, default_limit, max_limit)?;
    if let Some(s) = q.error_status {
        if hikyaku_bounce::ErrorStatus::from_u8(s).is_none() {
            return Err(ApiError::invalid(
                "error_status",
                format!("error statuses are 1-11 and 99, got {s}"),
            ));
        }
    }
    let source = match q.source.as_deref() {
        None => None,
        Some("smtp") => Some(bounces::ErrorSource::Smtp),
        Some("bounce") => Some(bounces::ErrorSource::Bounce),
        Some(other) => {
            return Err(ApiError::invalid(
                "source",
                format!("expected smtp or bounce, got {other:?}"),
            ))
        }
    };
    Ok(StoreQuery {
        from_ms,
        to_ms,
        recipient: q.recipient.clone(),
        domain: q.domain.clone(),
        error_status: q.error_status,
        api_user: own.map(str::to_string).or_else(|| q.api_user.clone()),
        message_id: q.message_id.clone(),
        source,
        after: q
            .cursor
            .as_deref()
            .map(|c| unhex("cursor", c))
            .transpose()?,
        limit: limit as usize,
    })
}

fn wire(r: bounces::BounceRecord) -> BounceRecord {
    BounceRecord {
        time: format_ms(r.time_ms),
        delivery_id: r.delivery_id,
        message_id: r.message_id,
        api_user: r.api_user,
        recipient: r.recipient,
        domain: r.domain,
        error_status: r.error_status,
        reason: r.reason,
        smtp_status: r.smtp_status,
        enhanced_status: r.enhanced_status,
        diagnostic: r.diagnostic,
        reporting_mta: r.reporting_mta,
        matched_by: r.matched_by,
        source: r.source.as_str().to_string(),
        remote_host: r.remote_host,
    }
}

fn run(store: &Store, q: &StoreQuery) -> Result<(Vec<BounceRecord>, Option<String>), ApiError> {
    let found = bounces::search(store, q)?;
    let next = (found.len() == q.limit)
        .then(|| found.last().map(|(k, _)| hex(k)))
        .flatten();
    Ok((found.into_iter().map(|(_, r)| wire(r)).collect(), next))
}

/// `bounces.search`.
pub(crate) fn search(
    store: &Store,
    q: &BounceQuery,
    own: Option<&str>,
) -> Result<BouncePage, ApiError> {
    let (records, next_cursor) = run(store, &store_query(q, own, 100, 1000)?)?;
    Ok(BouncePage {
        records,
        next_cursor,
    })
}

const CSV_COLUMNS: &str = "time,delivery_id,message_id,api_user,recipient,domain,error_status,reason,smtp_status,enhanced_status,diagnostic,reporting_mta,matched_by,source,remote_host\n";

/// `bounces.export`: one chunk.
pub(crate) fn export(
    store: &Store,
    q: &BounceExportQuery,
    own: Option<&str>,
) -> Result<ExportChunk, ApiError> {
    let (records, next_cursor) = run(store, &store_query(&q.query, own, 1000, 10_000)?)?;
    export_chunk(
        &records,
        q.format,
        q.query.cursor.is_none(),
        CSV_COLUMNS,
        |r| {
            vec![
                r.time.clone(),
                r.delivery_id.clone().unwrap_or_default(),
                r.message_id.clone().unwrap_or_default(),
                r.api_user.clone().unwrap_or_default(),
                r.recipient.clone(),
                r.domain.clone(),
                r.error_status.to_string(),
                r.reason.clone(),
                r.smtp_status.map(|s| s.to_string()).unwrap_or_default(),
                r.enhanced_status.clone().unwrap_or_default(),
                r.diagnostic.clone(),
                r.reporting_mta.clone().unwrap_or_default(),
                r.matched_by.clone().unwrap_or_default(),
                r.source.clone(),
                r.remote_host.clone().unwrap_or_default(),
            ]
        },
        next_cursor,
    )
}

/// `stats.errors`: every `failed` delivery-log record in the range, by error status.
pub(crate) fn errors(
    store: &Store,
    q: &ErrorStatsQuery,
    own: Option<&str>,
) -> Result<ErrorStats, ApiError> {
    let (from_ms, to_ms) = time_range(q.since.as_deref(), q.until.as_deref(), 7 * DAY_MS)?;
    let api_user = own.map(str::to_string).or_else(|| q.api_user.clone());
    let mut overall: BTreeMap<u8, u64> = BTreeMap::new();
    let mut per_domain: BTreeMap<String, BTreeMap<u8, u64>> = BTreeMap::new();
    let mut total = 0u64;
    scan_log(
        store,
        (from_ms, to_ms),
        api_user.as_deref(),
        q.domain.as_deref(),
        |r| {
            if r.status != DeliveryStatus::Failed {
                return true;
            }
            let status = r.error_status.unwrap_or(99);
            total += 1;
            *overall.entry(status).or_default() += 1;
            *per_domain
                .entry(r.domain.clone())
                .or_default()
                .entry(status)
                .or_default() += 1;
            true
        },
    )?;
    let counts = |m: &BTreeMap<u8, u64>| -> Vec<StatusCount> {
        m.iter()
            .map(|(s, c)| StatusCount {
                error_status: *s,
                reason: reason(*s),
                count: *c,
            })
            .collect()
    };
    let mut by_domain: Vec<DomainErrors> = per_domain
        .iter()
        .map(|(d, m)| DomainErrors {
            domain: d.clone(),
            total: m.values().sum(),
            by_status: counts(m),
        })
        .collect();
    by_domain.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.domain.cmp(&b.domain)));
    Ok(ErrorStats {
        total,
        by_status: counts(&overall),
        by_domain,
    })
}
