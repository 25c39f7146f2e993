//! The transactional API's reads and list changes: delivery-log search and export, block
//! lists, daily statistics and the queue summary. Callers that are API users see only their
//! own deliveries: their name replaces any `api_user` filter they pass.

use std::collections::BTreeMap;

use hikyaku_rpc::types::blocks::{
    BlockChange, BlockChanged, BlockEntry, BlockPage, BlockQuery, ListName,
};
use hikyaku_rpc::types::deliveries::{
    DeliveryPage, DeliveryQuery, DeliveryRecord, ExportChunk, ExportFormat, ExportQuery, Status,
};
use hikyaku_rpc::types::queue::{DomainQueue, QueueSummary, SummaryQuery};
use hikyaku_rpc::types::stats::{DailyQuery, DailyRow, DailyStats, GroupBy};

use super::time::{format_ms, parse_ms};
use super::ApiError;
use crate::clock::now_ms;
use crate::storage::log_index::{search_keyed, LogQuery};
use crate::storage::{Cf, DeliveryLogRecord, DeliveryStatus, QueueEntry, Store};
use crate::suppression::{self, List};

const DAY_MS: u64 = 86_400_000;

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(field: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    let bad = || ApiError::invalid(field, "not a cursor returned by this method");
    if text.len() % 2 != 0 || text.len() > 256 {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).unwrap_or("zz"), 16).map_err(|_| bad()))
        .collect()
}

fn status_of(s: Status) -> DeliveryStatus {
    match s {
        Status::Queued => DeliveryStatus::Queued,
        Status::Succeeded => DeliveryStatus::Succeeded,
        Status::Failed => DeliveryStatus::Failed,
        Status::Deferred => DeliveryStatus::Deferred,
    }
}

fn wire_status(s: DeliveryStatus) -> Status {
    match s {
        DeliveryStatus::Queued => Status::Queued,
        DeliveryStatus::Succeeded => Status::Succeeded,
        DeliveryStatus::Failed => Status::Failed,
        DeliveryStatus::Deferred => Status::Deferred,
    }
}

/// The wire form of a log record.
pub(crate) fn wire_record(r: DeliveryLogRecord) -> DeliveryRecord {
    DeliveryRecord {
        time: format_ms(r.time_ms),
        delivery_id: r.delivery_id,
        message_id: r.message_id,
        api_user: r.api_user,
        source_ip: r.source_ip,
        envelope_from: r.envelope_from,
        recipient: r.recipient,
        domain: r.domain,
        status: wire_status(r.status),
        error_status: r.error_status,
        smtp_reply: r.smtp_reply,
        size: r.size,
        subject: r.subject,
        tags: r.tags,
    }
}

/// The `[since, until)` range of a query in ms: `until` defaults to a minute from now (so
/// records written this instant are included), `since` to `default_span_ms` before `until`.
pub(crate) fn time_range(
    since: Option<&str>,
    until: Option<&str>,
    default_span_ms: u64,
) -> Result<(u64, u64), ApiError> {
    let to_ms = match until {
        Some(t) => parse_ms("until", t)?,
        None => now_ms() + 60_000,
    };
    let from_ms = match since {
        Some(t) => parse_ms("since", t)?,
        None => to_ms.saturating_sub(default_span_ms),
    };
    if from_ms >= to_ms {
        return Err(ApiError::invalid("since", "must be before until"));
    }
    Ok((from_ms, to_ms))
}

/// A page size within `1..=max_limit` (`default_limit` when not given).
pub(crate) fn page_limit(
    limit: Option<u32>,
    default_limit: u32,
    max_limit: u32,
) -> Result<u32, ApiError> {
    let limit = limit.unwrap_or(default_limit);
    if limit == 0 || limit > max_limit {
        return Err(ApiError::invalid(
            "limit",
            format!("must be 1 to {max_limit}, got {limit}"),
        ));
    }
    Ok(limit)
}

fn log_query(
    q: &DeliveryQuery,
    own: Option<&str>,
    default_limit: u32,
    max_limit: u32,
) -> Result<LogQuery, ApiError> {
    let (from_ms, to_ms) = time_range(q.since.as_deref(), q.until.as_deref(), DAY_MS)?;
    let limit = page_limit(q.limit, default_limit, max_limit)?;
    let submitter = match own {
        Some(me) => Some(me.to_string()),
        None => q.api_user.clone(),
    };
    Ok(LogQuery {
        from_ms,
        to_ms,
        recipient: q.recipient.clone(),
        domain: q.domain.clone(),
        status: q.status.map(status_of),
        submitter,
        message_id: q.message_id.clone(),
        subject_contains: q.subject.clone(),
        limit: limit as usize,
        after: q
            .cursor
            .as_deref()
            .map(|c| unhex("cursor", c))
            .transpose()?,
    })
}

fn run(store: &Store, lq: &LogQuery) -> Result<(Vec<DeliveryRecord>, Option<String>), ApiError> {
    let (found, corrupt) = search_keyed(store, lq)?;
    if corrupt > 0 {
        tracing::warn!(corrupt, "delivery-log search skipped unreadable records");
    }
    let next = (found.len() == lq.limit)
        .then(|| found.last().map(|(k, _)| hex(k)))
        .flatten();
    Ok((
        found.into_iter().map(|(_, r)| wire_record(r)).collect(),
        next,
    ))
}

/// `deliveries.search`.
pub(crate) fn search(
    store: &Store,
    q: &DeliveryQuery,
    own: Option<&str>,
) -> Result<DeliveryPage, ApiError> {
    let lq = log_query(q, own, 100, 1000)?;
    let (records, next_cursor) = run(store, &lq)?;
    Ok(DeliveryPage {
        records,
        next_cursor,
    })
}

const CSV_COLUMNS: &str = "time,delivery_id,message_id,api_user,source_ip,envelope_from,recipient,domain,status,error_status,smtp_reply,size,subject,tags\n";

/// Appends one CSV line (RFC 4180 quoting).
pub(crate) fn csv_line(out: &mut String, cols: &[String]) {
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, c);
    }
    out.push('\n');
}

fn csv_field(out: &mut String, value: &str) {
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// One export chunk of `records` as CSV (`header` on the first chunk, `row` per record) or
/// JSONL, for the delivery log and the error log alike.
pub(crate) fn export_chunk<T: serde::Serialize>(
    records: &[T],
    format: ExportFormat,
    first: bool,
    header: &str,
    row: impl Fn(&T) -> Vec<String>,
    next_cursor: Option<String>,
) -> Result<ExportChunk, ApiError> {
    let mut data = String::new();
    match format {
        ExportFormat::Csv => {
            if first {
                data.push_str(header);
            }
            for r in records {
                csv_line(&mut data, &row(r));
            }
        }
        ExportFormat::Jsonl => {
            for r in records {
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

/// `deliveries.export`: one chunk.
pub(crate) fn export(
    store: &Store,
    q: &ExportQuery,
    own: Option<&str>,
) -> Result<ExportChunk, ApiError> {
    let lq = log_query(&q.query, own, 1000, 10_000)?;
    let (records, next_cursor) = run(store, &lq)?;
    export_chunk(
        &records,
        q.format,
        q.query.cursor.is_none(),
        CSV_COLUMNS,
        |r| {
            vec![
                r.time.clone(),
                r.delivery_id.clone(),
                r.message_id.clone(),
                r.api_user.clone().unwrap_or_default(),
                r.source_ip.clone(),
                r.envelope_from.clone(),
                r.recipient.clone(),
                r.domain.clone(),
                r.status.as_str().to_string(),
                r.error_status.map(|e| e.to_string()).unwrap_or_default(),
                r.smtp_reply.clone().unwrap_or_default(),
                r.size.to_string(),
                r.subject.clone(),
                r.tags.join(" "),
            ]
        },
        next_cursor,
    )
}

fn list_of(l: ListName) -> List {
    match l {
        ListName::Block => List::Blocked,
        ListName::Unsubscribe => List::Unsubscribed,
    }
}

/// `blocks.list`.
pub(crate) fn blocks_list(store: &Store, q: &BlockQuery) -> Result<BlockPage, ApiError> {
    let limit = page_limit(q.limit, 100, 1000)?;
    let (entries, more) = suppression::page(
        store,
        list_of(q.list),
        q.cursor.as_deref(),
        q.contains.as_deref(),
        limit as usize,
    )?;
    let next_cursor = more
        .then(|| entries.last().map(|e| e.address.to_lowercase()))
        .flatten();
    Ok(BlockPage {
        entries: entries
            .into_iter()
            .map(|e| BlockEntry {
                address: e.address.to_lowercase(),
                added: format_ms(e.added_ms),
                reason: e.reason,
            })
            .collect(),
        next_cursor,
    })
}

/// Validates `blocks.add/remove` and returns the writes plus the counts.
pub(crate) fn blocks_change(
    store: &Store,
    c: &BlockChange,
    add: bool,
    who: &str,
) -> Result<(Vec<crate::storage::Op>, BlockChanged), ApiError> {
    if c.addresses.is_empty() || c.addresses.len() > 10_000 {
        return Err(ApiError::invalid(
            "addresses",
            format!("1 to 10000 addresses per call, got {}", c.addresses.len()),
        ));
    }
    let list = list_of(c.list);
    let now = now_ms();
    let reason = c
        .reason
        .clone()
        .unwrap_or_else(|| format!("added through the API by {who}"));
    let mut ops = Vec::new();
    let mut changed = 0;
    let mut seen = std::collections::HashSet::new();
    for (i, a) in c.addresses.iter().enumerate() {
        let parsed = hikyaku_smtp::parse_address(a.trim(), true).map_err(|e| {
            ApiError::invalid(
                format!("addresses[{i}]"),
                format!("{a:?} is not a valid address ({e})"),
            )
        })?;
        let text = parsed.to_string();
        if !seen.insert(text.to_lowercase()) {
            continue;
        }
        let present = suppression::contains(store, list, &text)?;
        if add && !present {
            ops.push(suppression::add_op(list, &text, &reason, now)?);
            changed += 1;
        } else if !add && present {
            ops.push(suppression::remove_op(list, &text));
            changed += 1;
        }
    }
    Ok((
        ops,
        BlockChanged {
            changed,
            unchanged: c.addresses.len() as u64 - changed,
        },
    ))
}

/// Visits every readable delivery-log record in `[from, to)` of `api_user` (or, for
/// unauthenticated SMTP, that source IP) and `domain`, when given; unreadable records are
/// skipped. Shared by the statistics that aggregate the log.
pub(crate) fn scan_log(
    store: &Store,
    (from_ms, to_ms): (u64, u64),
    api_user: Option<&str>,
    domain: Option<&str>,
    mut visit: impl FnMut(DeliveryLogRecord) -> bool,
) -> Result<(), ApiError> {
    store.scan(
        Cf::DeliveryLog,
        &from_ms.to_be_bytes(),
        Some(&to_ms.to_be_bytes()),
        |_, v| {
            let Ok(r) = serde_json::from_slice::<DeliveryLogRecord>(v) else {
                return true;
            };
            let submitter = r.api_user.as_deref().unwrap_or(&r.source_ip);
            if api_user.is_some_and(|u| !u.eq_ignore_ascii_case(submitter))
                || domain.is_some_and(|d| !d.eq_ignore_ascii_case(&r.domain))
            {
                return true;
            }
            visit(r)
        },
    )?;
    Ok(())
}

/// `stats.daily`: counts every status change in the range, by local day.
pub(crate) fn daily(
    store: &Store,
    q: &DailyQuery,
    own: Option<&str>,
) -> Result<DailyStats, ApiError> {
    let tz_name = q.time_zone.clone().unwrap_or_else(|| "UTC".into());
    let tz = parse_tz(&tz_name)?;
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let parse_day = |field: &str, text: &Option<String>, default: jiff::civil::Date| match text {
        Some(t) => t.parse::<jiff::civil::Date>().map_err(|e| {
            ApiError::invalid(
                field,
                format!("{t:?} is not a day such as 2026-11-24 ({e})"),
            )
        }),
        None => Ok(default),
    };
    let to = parse_day("to", &q.to, today)?;
    let from = parse_day("from", &q.from, to.saturating_sub(jiff::ToSpan::days(6)))?;
    if from > to {
        return Err(ApiError::invalid("from", "must not be after to"));
    }
    if to.since(from).map(|s| s.get_days()).unwrap_or(0) > 400 {
        return Err(ApiError::invalid("from", "at most 400 days per call"));
    }
    let start = day_start_ms(from, &tz, "from")?;
    let end = day_start_ms(to.tomorrow().unwrap_or(to), &tz, "to")?;
    let api_user = own.map(str::to_string).or_else(|| q.api_user.clone());
    let mut rows: BTreeMap<(String, Option<String>), DailyRow> = BTreeMap::new();
    scan_log(
        store,
        (start, end),
        api_user.as_deref(),
        q.domain.as_deref(),
        |r| {
            let day = jiff::Timestamp::from_millisecond(i64::try_from(r.time_ms).unwrap_or(0))
                .map(|t| t.to_zoned(tz.clone()).date().to_string())
                .unwrap_or_default();
            let key = match q.group_by {
                GroupBy::Day => None,
                GroupBy::ApiUser => Some(r.api_user.clone().unwrap_or_else(|| r.source_ip.clone())),
                GroupBy::Domain => Some(r.domain.clone()),
            };
            let row = rows
                .entry((day.clone(), key.clone()))
                .or_insert_with(|| DailyRow {
                    day,
                    key,
                    ..DailyRow::default()
                });
            match r.status {
                DeliveryStatus::Queued => row.queued += 1,
                DeliveryStatus::Succeeded => row.succeeded += 1,
                DeliveryStatus::Deferred => row.deferred += 1,
                DeliveryStatus::Failed => row.failed += 1,
            }
            true
        },
    )?;
    Ok(DailyStats {
        time_zone: tz_name,
        rows: rows.into_values().collect(),
    })
}

pub(crate) fn parse_tz(name: &str) -> Result<jiff::tz::TimeZone, ApiError> {
    if let Some(rest) = name.strip_prefix(['+', '-']) {
        let bad = || {
            ApiError::invalid(
                "time_zone",
                format!("{name:?} is not an offset such as +09:00"),
            )
        };
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if h > 18 || m > 59 {
            return Err(bad());
        }
        let secs = (h * 3600 + m * 60) * if name.starts_with('-') { -1 } else { 1 };
        let offset = jiff::tz::Offset::from_seconds(secs).map_err(|_| bad())?;
        return Ok(jiff::tz::TimeZone::fixed(offset));
    }
    jiff::tz::TimeZone::get(name).map_err(|e| {
        ApiError::invalid(
            "time_zone",
            format!("{name:?} is not a known IANA time zone such as Asia/Tokyo ({e})"),
        )
    })
}

fn day_start_ms(
    day: jiff::civil::Date,
    tz: &jiff::tz::TimeZone,
    field: &str,
) -> Result<u64, ApiError> {
    let ts = day
        .to_zoned(tz.clone())
        .map_err(|e| ApiError::invalid(field, e.to_string()))?
        .timestamp();
    Ok(u64::try_from(ts.as_millisecond()).unwrap_or(0))
}

/// `queue.summary`, from the durable queue (the source of truth every shard reloads from).
pub(crate) fn queue_summary(store: &Store, q: &SummaryQuery) -> Result<QueueSummary, ApiError> {
    let limit = q.limit.unwrap_or(100) as usize;
    let mut per: BTreeMap<String, (u64, u64, u64)> = BTreeMap::new();
    let mut total = 0u64;
    store.scan(Cf::Queue, b"", None, |_, v| {
        if let Ok(e) = serde_json::from_slice::<QueueEntry>(v) {
            if q.domain
                .as_deref()
                .is_some_and(|d| !d.eq_ignore_ascii_case(&e.domain))
            {
                return true;
            }
            total += 1;
            let slot = per.entry(e.domain).or_insert((0, 0, u64::MAX));
            slot.0 += 1;
            if e.attempts > 0 {
                slot.1 += 1;
            }
            slot.2 = slot.2.min(e.created_ms);
        }
        true
    })?;
    let domains_total = per.len() as u64;
    let deferred = per.values().map(|(_, d, _)| d).sum();
    let mut domains: Vec<DomainQueue> = per
        .into_iter()
        .map(|(domain, (queued, deferred, oldest))| DomainQueue {
            domain,
            queued,
            deferred,
            oldest: (oldest != u64::MAX).then(|| format_ms(oldest)),
        })
        .collect();
    domains.sort_by(|a, b| {
        b.queued
            .cmp(&a.queued)
            .then_with(|| a.domain.cmp(&b.domain))
    });
    domains.truncate(limit);
    Ok(QueueSummary {
        total,
        deferred,
        domains_total,
        domains,
    })
}
