//! When the daily retention purge runs and what it deletes: a pure function of the settings,
//! the time of the last purge and the current time (no I/O, no clock reads), so it is tested
//! at chosen instants — daylight-saving changes and downtime included — instead of by waiting.
//! [`super::run_retention`] reads the clock and the last purge, asks [`RetentionPolicy::decide`],
//! and does the deletes.
//!
//! # Day counting
//!
//! Days are local calendar days in `delivery.retention_time_zone`, counted back from the day
//! of the purge: that day is day 0, the day before is day 1, and so on. With
//! `log_retention_days = N` the purge of day `D` (due at `retention_hour` local time) keeps days
//! 0 to N and deletes day N+1 and everything older: the cutoff is local midnight at the start
//! of `D − N`. So with the default 40, at 03:00 on 11 March the records of 30 January (day 40)
//! and later stay, those of 29 January (day 41) and earlier go.
//!
//! This is the reading under which "keep 40 days" never deletes a record younger than 40 × 24
//! hours (the cutoff is at least N local days and `retention_hour` hours before the purge; one
//! hour less across a spring-forward change when the hour is 0), which is what the rolling
//! cutoff of earlier releases guaranteed and what an operator asking "how long are logs
//! kept?" expects: a record lives between N and N+1 days, plus the purge hour, before it is
//! deleted. Counting today as day 1 would delete records only 39 days and a few hours old.
//!
//! # Catch-up and restarts
//!
//! The purge is due at each day's *slot* (`retention_hour`:00 local; in a spring-forward gap,
//! the first instant after it). A purge is due when the most recent slot at or before now is
//! later than the last purge: a daemon that was down at 03:00 purges at its next check, with
//! the cutoff of the missed slot's day, and one that restarts after purging does not purge
//! again that day. A wall clock set back before the last purge waits until a slot passes it.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};

use crate::config::DeliveryConfig;

/// Settings that cannot be used, each naming its key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    /// Zero days.
    #[error("delivery.log_retention_days: must be at least 1, got 0")]
    Days,
    /// Not an hour of the day.
    #[error("delivery.retention_hour: must be 0 to 23, got {0}")]
    Hour(u8),
    /// Neither an IANA name nor an offset.
    #[error("delivery.retention_time_zone: {0}")]
    Zone(String),
}

/// The time zone named by `text`: `UTC`, an IANA name (`Asia/Tokyo`) or a fixed offset
/// (`+09:00`, `-05:30`, `+9`). The error explains what was expected.
pub fn parse_zone(text: &str) -> Result<TimeZone, String> {
    let text = text.trim();
    if let Some(rest) = text.strip_prefix(['+', '-']) {
        let bad = || format!("{text:?} is not an offset such as +09:00");
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m): (i32, i32) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
        if !(0..=18).contains(&h) || !(0..=59).contains(&m) {
            return Err(bad());
        }
        let sign = if text.starts_with('-') { -1 } else { 1 };
        let offset = Offset::from_seconds(sign * (h * 3600 + m * 60)).map_err(|_| bad())?;
        return Ok(TimeZone::fixed(offset));
    }
    TimeZone::get(text).map_err(|_| {
        format!("{text:?} is not a known IANA time zone such as Asia/Tokyo, nor an offset such as +09:00")
    })
}

/// The compiled retention settings.
#[derive(Debug, Clone)]
pub struct RetentionPolicy {
    days: u64,
    hour: u8,
    zone: TimeZone,
}

/// What to do at a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Purge now: delete report data recorded before `cutoff_ms`. `slot_ms` is the scheduled
    /// instant this purge is for (earlier than now after downtime).
    Purge {
        /// The slot being served, ms since the epoch.
        slot_ms: u64,
        /// Local midnight starting the oldest day kept, ms since the epoch.
        cutoff_ms: u64,
    },
    /// Nothing to do before `next_ms` (the next slot; `u64::MAX` when the time cannot be
    /// represented, e.g. a clock far beyond year 9999).
    Wait {
        /// The next slot, ms since the epoch.
        next_ms: u64,
    },
}

fn to_ms(ts: Timestamp) -> u64 {
    u64::try_from(ts.as_millisecond()).unwrap_or(0)
}

impl RetentionPolicy {
    /// Keep `days` local days before the purge day (see the module docs), purging daily at
    /// `hour`:00 in `zone`.
    pub fn new(days: u64, hour: u8, zone: &str) -> Result<Self, RetentionError> {
        if days == 0 {
            return Err(RetentionError::Days);
        }
        if hour > 23 {
            return Err(RetentionError::Hour(hour));
        }
        let zone = parse_zone(zone).map_err(RetentionError::Zone)?;
        Ok(Self { days, hour, zone })
    }

    /// The policy of the `[delivery]` settings.
    pub fn from_config(config: &DeliveryConfig) -> Result<Self, RetentionError> {
        Self::new(
            config.log_retention_days,
            config.retention_hour,
            &config.retention_time_zone,
        )
    }

    /// The slot of local day `day`: `hour`:00 there, or the first instant after a gap.
    fn slot_on(&self, day: Date) -> Option<Timestamp> {
        let hour = i8::try_from(self.hour).ok()?;
        day.at(hour, 0, 0, 0)
            .to_zoned(self.zone.clone())
            .ok()
            .map(|z| z.timestamp())
    }

    /// Local midnight at the start of the oldest day the purge of `day` keeps (0 when that is
    /// before any representable time: nothing is that old).
    pub fn cutoff_for(&self, day: Date) -> u64 {
        let days = i64::try_from(self.days).unwrap_or(i64::MAX);
        Span::new()
            .try_days(days)
            .ok()
            .and_then(|span| day.checked_sub(span).ok())
            // `to_zoned` resolves a midnight skipped by a daylight-saving change to the first
            // instant of the day (01:00 where the clocks jump at midnight).
            .and_then(|oldest| oldest.to_zoned(self.zone.clone()).ok())
            .map_or(0, |z| to_ms(z.timestamp()))
    }

    /// Whether a purge is due at `now_ms` given the last one (`None`: never purged, e.g. a new
    /// spool or one from before the daily purge), and its cutoff.
    pub fn decide(&self, last_purge_ms: Option<u64>, now_ms: u64) -> Decision {
        let never = Decision::Wait { next_ms: u64::MAX };
        let Ok(now) = Timestamp::from_millisecond(i64::try_from(now_ms).unwrap_or(i64::MAX)) else {
            return never;
        };
        let today = now.to_zoned(self.zone.clone()).date();
        let Some(today_slot) = self.slot_on(today) else {
            return never;
        };
        let (slot_day, slot, next) = if today_slot <= now {
            let next = today.tomorrow().ok().and_then(|d| self.slot_on(d));
            (today, Some(today_slot), next)
        } else {
            let yesterday = today.yesterday().ok();
            (
                yesterday.unwrap_or(today),
                yesterday.and_then(|d| self.slot_on(d)),
                Some(today_slot),
            )
        };
        let next_ms = next.map_or(u64::MAX, to_ms);
        match slot.map(to_ms) {
            Some(slot_ms) if last_purge_ms.is_none_or(|last| last < slot_ms) => Decision::Purge {
                slot_ms,
                cutoff_ms: self.cutoff_for(slot_day),
            },
            _ => Decision::Wait { next_ms },
        }
    }
}

#[cfg(test)]
mod tests;
