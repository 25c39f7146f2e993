//! `stats.graph`: the delivery, error and domain graphs, read from the graph counters
//! (`storage::graph_counters`), never from the delivery log: a 40-day graph reads at most a
//! few keys per hour (or, for the domain pie, per day and domain).

use std::collections::HashMap;

use hikyaku_bounce::ErrorStatus;
use hikyaku_rpc::types::stats::{
    Graph, GraphBucket, GraphKind, GraphQuery, GraphSeries, GraphSlice,
};

use super::reports::{parse_tz, time_range};
use super::ApiError;
use crate::storage::graph_counters::{bucket_of, scan, Count, Dim};
use crate::storage::{DeliveryStatus, Store};

const HOUR_MS: u64 = 3_600_000;
const DAY_MS: u64 = 86_400_000;
/// The longest range one call may cover.
const MAX_RANGE_MS: u64 = 400 * DAY_MS;

const STATUSES: [DeliveryStatus; 4] = [
    DeliveryStatus::Queued,
    DeliveryStatus::Succeeded,
    DeliveryStatus::Deferred,
    DeliveryStatus::Failed,
];

fn status_name(s: DeliveryStatus) -> &'static str {
    match s {
        DeliveryStatus::Queued => "queued",
        DeliveryStatus::Succeeded => "succeeded",
        DeliveryStatus::Deferred => "deferred",
        DeliveryStatus::Failed => "failed",
    }
}

/// The filters that decide which dimension is read.
struct Filter {
    user: Option<String>,
    domain: Option<String>,
}

impl Filter {
    /// The hourly dimension and leading parts that hold exactly the filtered records.
    fn hourly(&self) -> (Dim, Vec<&str>) {
        match (self.user.as_deref(), self.domain.as_deref()) {
            (None, None) => (Dim::Global, vec![]),
            (None, Some(d)) => (Dim::Domain, vec![d]),
            (Some(u), None) => (Dim::User, vec![u]),
            (Some(u), Some(d)) => (Dim::UserDomain, vec![u, d]),
        }
    }
}

/// Every counter of the filtered records in `[from_ms, to_ms)` (whole hours).
fn counts(store: &Store, f: &Filter, from_ms: u64, to_ms: u64) -> Result<Vec<Count>, ApiError> {
    let (dim, lead) = f.hourly();
    let mut out = Vec::new();
    scan(
        store,
        dim,
        (bucket_of(dim, from_ms), bucket_of(dim, to_ms)),
        &lead,
        |c| {
            out.push(c);
            true
        },
    )?;
    Ok(out)
}

/// Records per domain in `[from_ms, to_ms)`: whole UTC days from the daily counters, the
/// hours at either end from the hourly ones.
fn per_domain(
    store: &Store,
    f: &Filter,
    from_ms: u64,
    to_ms: u64,
) -> Result<HashMap<String, u64>, ApiError> {
    let mut totals: HashMap<String, u64> = HashMap::new();
    let user: Vec<&str> = f.user.as_deref().into_iter().collect();
    let (hour_dim, day_dim) = if f.user.is_some() {
        (Dim::UserDomain, Dim::UserDomainDay)
    } else {
        (Dim::Domain, Dim::DomainDay)
    };
    let first_day = from_ms.div_ceil(DAY_MS);
    let end_day = to_ms / DAY_MS;
    let mut add = |c: Count| {
        if let Some(domain) = c.parts.last() {
            if f.domain.as_deref().is_none_or(|d| d == domain) {
                *totals.entry(domain.clone()).or_default() += c.n;
            }
        }
        true
    };
    if first_day < end_day {
        let days = (
            u32::try_from(first_day).unwrap_or(u32::MAX),
            u32::try_from(end_day).unwrap_or(u32::MAX),
        );
        scan(store, day_dim, days, &user, &mut add)?;
        for (a, b) in [(from_ms, first_day * DAY_MS), (end_day * DAY_MS, to_ms)] {
            scan(
                store,
                hour_dim,
                (bucket_of(hour_dim, a), bucket_of(hour_dim, b)),
                &user,
                &mut add,
            )?;
        }
    } else {
        scan(
            store,
            hour_dim,
            (bucket_of(hour_dim, from_ms), bucket_of(hour_dim, to_ms)),
            &user,
            &mut add,
        )?;
    }
    Ok(totals)
}

fn slices(mut counted: Vec<(String, Option<String>, u64)>, top: usize) -> (Vec<GraphSlice>, u64) {
    counted.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
    let total: u64 = counted.iter().map(|c| c.2).sum();
    let share = |n: u64| {
        if total == 0 {
            0.0
        } else {
            n as f64 / total as f64
        }
    };
    let mut out: Vec<GraphSlice> = counted
        .iter()
        .take(top)
        .map(|(key, label, n)| GraphSlice {
            key: key.clone(),
            label: label.clone(),
            count: *n,
            share: share(*n),
        })
        .collect();
    let rest: u64 = counted.iter().skip(top).map(|c| c.2).sum();
    if rest > 0 {
        out.push(GraphSlice {
            key: "others".into(),
            label: None,
            count: rest,
            share: share(rest),
        });
    }
    (out, total)
}

/// `stats.graph`; `own` is the calling API user, whose own traffic is all it may see.
pub(crate) fn graph(store: &Store, q: &GraphQuery, own: Option<&str>) -> Result<Graph, ApiError> {
    let (from, to) = time_range(q.from.as_deref(), q.to.as_deref(), DAY_MS)?;
    if to - from > MAX_RANGE_MS {
        return Err(ApiError::invalid("from", "at most 400 days per call"));
    }
    let from = from / HOUR_MS * HOUR_MS;
    let to = to.div_ceil(HOUR_MS) * HOUR_MS;
    let tz_name = q.time_zone.clone().unwrap_or_else(|| "UTC".into());
    let tz = parse_tz(&tz_name)?;
    let f = Filter {
        user: own.or(q.api_user.as_deref()).map(str::to_ascii_lowercase),
        domain: q.domain.as_deref().map(str::to_ascii_lowercase),
    };
    let local = |ms: u64| {
        jiff::Timestamp::from_millisecond(i64::try_from(ms).unwrap_or(0))
            .map(|t| t.to_zoned(tz.clone()))
            .ok()
    };
    let mut graph = Graph {
        kind: q.kind,
        from: super::time::format_ms(from),
        to: super::time::format_ms(to),
        time_zone: tz_name.clone(),
        buckets: Vec::new(),
        series: Vec::new(),
        slices: Vec::new(),
        total: 0,
    };
    match q.kind {
        GraphKind::Delivery => {
            // Bucket labels: each hour's local start, or each local day.
            let label = |ms: u64| match (q.bucket, local(ms)) {
                (GraphBucket::Hour, Some(z)) => z.strftime("%Y-%m-%dT%H:%M%:z").to_string(),
                (GraphBucket::Day, Some(z)) => z.date().to_string(),
                (_, None) => ms.to_string(),
            };
            let mut index: HashMap<String, usize> = HashMap::new();
            let mut hour = from;
            while hour < to {
                let l = label(hour);
                if !index.contains_key(&l) {
                    index.insert(l.clone(), graph.buckets.len());
                    graph.buckets.push(l);
                }
                hour += HOUR_MS;
            }
            let mut values = vec![vec![0u64; graph.buckets.len()]; STATUSES.len()];
            for c in counts(store, &f, from, to)? {
                let Some(s) = STATUSES.iter().position(|s| s.code() == c.status) else {
                    continue;
                };
                if let Some(&i) = index.get(&label(u64::from(c.bucket) * HOUR_MS)) {
                    values[s][i] += c.n;
                    graph.total += c.n;
                }
            }
            graph.series = STATUSES
                .iter()
                .zip(values)
                .map(|(s, values)| GraphSeries {
                    status: status_name(*s).into(),
                    values,
                })
                .collect();
        }
        GraphKind::Error => {
            let mut by: HashMap<u8, u64> = HashMap::new();
            for c in counts(store, &f, from, to)? {
                if c.status == DeliveryStatus::Failed.code() {
                    *by.entry(c.error_status).or_default() += c.n;
                }
            }
            let counted = by
                .into_iter()
                .map(|(e, n)| {
                    let label = ErrorStatus::from_u8(e).map(|s| s.reason().to_string());
                    (e.to_string(), label, n)
                })
                .collect();
            (graph.slices, graph.total) = slices(counted, usize::MAX);
        }
        GraphKind::Domain => {
            let top = q.top.unwrap_or(10);
            if !(1..=100).contains(&top) {
                return Err(ApiError::invalid("top", "must be 1 to 100"));
            }
            let counted = per_domain(store, &f, from, to)?
                .into_iter()
                .map(|(d, n)| (d, None, n))
                .collect();
            (graph.slices, graph.total) = slices(counted, top as usize);
        }
    }
    Ok(graph)
}

#[cfg(test)]
mod tests;
