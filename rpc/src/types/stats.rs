//! `stats.*`: daily counts (SPEC §9).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How rows are split besides the day.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One row per day.
    #[default]
    Day,
    /// One row per day and API user.
    ApiUser,
    /// One row per day and destination domain.
    Domain,
}

/// `stats.daily`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DailyQuery {
    /// First day, `YYYY-MM-DD` in `time_zone` (default: 6 days before `to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day, inclusive (default: today in `time_zone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// IANA time zone (`Asia/Tokyo`) or fixed offset (`+09:00`); default: the calling
    /// account's time zone, else UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Split rows by API user or domain.
    #[serde(default)]
    pub group_by: GroupBy,
    /// Only this API user (forced to the caller for API users).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_user: Option<String>,
    /// Only this destination domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

/// Counts of status changes in one day (and group).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq, Default)]
pub struct DailyRow {
    /// Day, `YYYY-MM-DD` in the requested time zone.
    pub day: String,
    /// API user or domain, when grouped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Recipients queued.
    pub queued: u64,
    /// Deliveries succeeded.
    pub succeeded: u64,
    /// Deliveries deferred (attempts, not recipients).
    pub deferred: u64,
    /// Deliveries failed.
    pub failed: u64,
}

/// Result of `stats.daily`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct DailyStats {
    /// The time zone the days are in.
    pub time_zone: String,
    /// Rows by day, then key.
    pub rows: Vec<DailyRow>,
}

/// Which graph `stats.graph` draws.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GraphKind {
    /// Records per status per bucket (a line per status).
    Delivery,
    /// Failures per error status over the range (a pie).
    Error,
    /// Records per destination domain over the range, top N and "others" (a pie).
    Domain,
}

/// Bucket size of a delivery graph.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum GraphBucket {
    /// One point per hour.
    #[default]
    Hour,
    /// One point per local day (in `time_zone`).
    Day,
}

/// Parameters of `stats.graph`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct GraphQuery {
    /// Which graph.
    pub kind: GraphKind,
    /// Inclusive start (RFC 3339); default: `to` minus 24 hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Exclusive end (RFC 3339); default: now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Bucket of the delivery graph (default `hour`).
    #[serde(default)]
    pub bucket: GraphBucket,
    /// Time zone of the bucket labels and day buckets: IANA name or offset (default: the
    /// calling account's time zone, else UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    /// Only this destination domain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
    /// Only this API user's traffic (API users always get only their own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_user: Option<String>,
    /// Slices of the domain graph before "others" (default 10, at most 100).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub top: Option<u32>,
}

/// One line of a delivery graph.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct GraphSeries {
    /// Status: queued, succeeded, deferred or failed.
    pub status: String,
    /// One value per bucket, in the order of `buckets`.
    pub values: Vec<u64>,
}

/// One slice of a pie.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct GraphSlice {
    /// Error status number (error graph) or domain (domain graph; `others` for the rest).
    pub key: String,
    /// Error-status name (error graph).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Records.
    pub count: u64,
    /// Share of the total, 0–1.
    pub share: f64,
}

/// Result of `stats.graph`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq)]
pub struct Graph {
    /// Which graph.
    pub kind: GraphKind,
    /// Start and end of the range (RFC 3339, UTC), rounded out to whole hours.
    pub from: String,
    /// End of the range.
    pub to: String,
    /// Time zone of the labels.
    pub time_zone: String,
    /// Bucket labels (local start time of each bucket), delivery graph only.
    pub buckets: Vec<String>,
    /// Lines, delivery graph only.
    pub series: Vec<GraphSeries>,
    /// Slices, error and domain graphs, largest first (`others` last).
    pub slices: Vec<GraphSlice>,
    /// Total records counted.
    pub total: u64,
}
