//! `bounces.search`, `bounces.export` and `stats.errors`.

use std::collections::BTreeMap;

use hikyaku_rpc::types::bounces::{
    BounceExportQuery, BouncePage, BounceQuery, BounceRecord, DomainErrors, ErrorStats,
    ErrorStatsQuery, StatusCount,
};
use hikyaku_rpc::types::deliveries::{ExportChunk, ExportFormat};

use super::reports::{csv_line, hex, unhex};
use super::time::{format_ms, parse_ms};
use super::ApiError;
use crate::bounces::{self, BounceQuery as StoreQuery};
use crate::clock::now_ms;
use crate::storage::{Cf, DeliveryLogRecord, DeliveryStatus, Store};

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
    let to_ms = match &q.until {
        Some(t) => parse_ms("until", t)?,
        None => now_ms() + 60_000,
    };
    let from_ms = match &q.since {
        Some(t) => parse_ms("since", t)?,
        None => to_ms.saturating_sub(DAY_MS),
    };
    if from_ms >= to_ms {
        return Err(ApiError::invalid("since", "must be before until"));
    }
    let limit = q.limit.unwrap_or(default_limit);
    if limit == 0 || limit > max_limit {
        return Err(ApiError::invalid(
            "limit",
            format!("must be 1 to {max_limit}, got {limit}"),
        ));
    }
    if let Some(s) = q.error_status {
        if hikyaku_bounce::ErrorStatus::from_u8(s).is_none() {
            return Err(ApiError::invalid(
                "error_status",
                format!("error statuses are 1-11 and 99, got {s}"),
            ));
        }
    }
    Ok(StoreQuery {
        from_ms,
        to_ms,
        recipient: q.recipient.clone(),
        domain: q.domain.clone(),
        error_status: q.error_status,
        api_user: own.map(str::to_string).or_else(|| q.api_user.clone()),
        message_id: q.message_id.clone(),
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

const CSV_COLUMNS: &str = "time,delivery_id,message_id,api_user,recipient,domain,error_status,reason,smtp_status,enhanced_status,diagnostic,reporting_mta,matched_by\n";

/// `bounces.export`: one chunk.
pub(crate) fn export(
    store: &Store,
    q: &BounceExportQuery,
    own: Option<&str>,
) -> Result<ExportChunk, ApiError> {
    let (records, next_cursor) = run(store, &store_query(&q.query, own, 1000, 10_000)?)?;
    let mut data = String::new();
    match q.format {
        ExportFormat::Csv => {
            if q.query.cursor.is_none() {
                data.push_str(CSV_COLUMNS);
            }
            for r in &records {
                csv_line(
                    &mut data,
                    &[
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
                    ],
                );
            }
        }
        ExportFormat::Jsonl => {
            for r in &records {
                let line = serde_json::to_string(r)
                    .map_err(|e| ApiError::Unavailable(format!("encoding a record: {e}")))?;
                data.push_str(&line);
                data.push('\n');
            }
        }
    }
    Ok(ExportChunk {
        data,
        records: u32::try_from(records.len()).unwrap_or(u32::MAX),
        next_cursor,
    })
}

/// `stats.errors`: every `failed` delivery-log record in the range, by error status.
pub(crate) fn errors(
    store: &Store,
    q: &ErrorStatsQuery,
    own: Option<&str>,
) -> Result<ErrorStats, ApiError> {
    let to_ms = match &q.until {
        Some(t) => parse_ms("until", t)?,
        None => now_ms() + 60_000,
    };
    let from_ms = match &q.since {
        Some(t) => parse_ms("since", t)?,
        None => to_ms.saturating_sub(7 * DAY_MS),
    };
    if from_ms >= to_ms {
        return Err(ApiError::invalid("since", "must be before until"));
    }
    let api_user = own.map(str::to_string).or_else(|| q.api_user.clone());
    let mut overall: BTreeMap<u8, u64> = BTreeMap::new();
    let mut per_domain: BTreeMap<String, BTreeMap<u8, u64>> = BTreeMap::new();
    let mut total = 0u64;
    store.scan(
        Cf::DeliveryLog,
        &from_ms.to_be_bytes(),
        Some(&to_ms.to_be_bytes()),
        |_, v| {
            let Ok(r) = serde_json::from_slice::<DeliveryLogRecord>(v) else {
                return true;
            };
            if r.status != DeliveryStatus::Failed {
                return true;
            }
            if q.domain
                .as_deref()
                .is_some_and(|d| !d.eq_ignore_ascii_case(&r.domain))
            {
                return true;
            }
            let submitter = r.api_user.as_deref().unwrap_or(&r.source_ip);
            if api_user
                .as_deref()
                .is_some_and(|u| !u.eq_ignore_ascii_case(submitter))
            {
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
