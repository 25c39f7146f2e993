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
    /// IANA time zone (`Asia/Tokyo`) or fixed offset (`+09:00`); default UTC.
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
