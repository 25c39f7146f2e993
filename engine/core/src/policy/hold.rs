//! Prohibited hours (SPEC §5): a daily window in an IANA time zone during which matching
//! recipients are not delivered. A recipient due inside the window is held until the window's
//! end; the decision is a pure function of the time, so it is tested at chosen instants
//! (daylight-saving changes included) instead of by waiting.

use jiff::civil::Time;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// A window that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HoldError {
    /// Not `HH:MM`.
    #[error("{0:?} is not a time of day (HH:MM)")]
    Time(String),
    /// Start and end are the same instant of the day.
    #[error("from and to are equal ({0}): the window would be empty or the whole day")]
    Empty(String),
    /// Unknown IANA zone.
    #[error("unknown time zone {0:?}")]
    Zone(String),
}

/// A compiled window: local `from` (inclusive) to `to` (exclusive); `from > to` spans midnight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HoldWindow {
    from: Time,
    to: Time,
    zone_name: String,
    zone: TimeZone,
}

fn parse_time(text: &str) -> Result<Time, HoldError> {
    let bad = || HoldError::Time(text.to_string());
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    let (h, m): (i8, i8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
        return Err(bad());
    }
    Time::new(h, m, 0, 0).map_err(|_| bad())
}

impl HoldWindow {
    /// A window from `from` to `to` (`HH:MM`) in `zone` (IANA name).
    pub fn new(from: &str, to: &str, zone: &str) -> Result<HoldWindow, HoldError> {
        let (from_t, to_t) = (parse_time(from)?, parse_time(to)?);
        if from_t == to_t {
            return Err(HoldError::Empty(from.trim().to_string()));
        }
        let tz = TimeZone::get(zone.trim()).map_err(|_| HoldError::Zone(zone.to_string()))?;
        Ok(HoldWindow {
            from: from_t,
            to: to_t,
            zone_name: zone.trim().to_string(),
            zone: tz,
        })
    }

    /// The window as settings (kept with a queue entry, so retries respect it).
    pub fn to_config(&self) -> crate::config::policy::HoldConfig {
        crate::config::policy::HoldConfig {
            from: self.from.strftime("%H:%M").to_string(),
            to: self.to.strftime("%H:%M").to_string(),
            time_zone: self.zone_name.clone(),
        }
    }

    /// The window of `config` (as kept with a queue entry).
    pub fn from_config(config: &crate::config::policy::HoldConfig) -> Result<Self, HoldError> {
        Self::new(&config.from, &config.to, &config.time_zone)
    }

    /// The window as written (`21:00-08:00 Asia/Tokyo`), for logs and the delivery log.
    pub fn describe(&self) -> String {
        format!(
            "{}-{} {}",
            self.from.strftime("%H:%M"),
            self.to.strftime("%H:%M"),
            self.zone_name
        )
    }

    fn inside(&self, local: Time) -> bool {
        if self.from < self.to {
            self.from <= local && local < self.to
        } else {
            local >= self.from || local < self.to
        }
    }

    /// When a recipient due at `at_ms` may go: `None` when `at_ms` is outside the window, else
    /// the window's end (the next local `to` after `at_ms`), in ms since the epoch.
    pub fn release_at(&self, at_ms: u64) -> Option<u64> {
        let ts = Timestamp::from_millisecond(i64::try_from(at_ms).ok()?).ok()?;
        let local = ts.to_zoned(self.zone.clone());
        if !self.inside(local.time()) {
            return None;
        }
        let mut date = local.date();
        loop {
            // The local end time on `date`; a time skipped by a daylight-saving change resolves
            // to the instant after the gap (jiff's "compatible" disambiguation).
            let end = date.to_datetime(self.to).to_zoned(self.zone.clone()).ok()?;
            if end.timestamp() > ts {
                return u64::try_from(end.timestamp().as_millisecond()).ok();
            }
            date = date.tomorrow().ok()?;
        }
    }

    /// `at_ms`, or the window's end when `at_ms` falls inside it.
    pub fn next_allowed(&self, at_ms: u64) -> u64 {
        self.release_at(at_ms).unwrap_or(at_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(rfc3339: &str) -> u64 {
        rfc3339
            .parse::<Timestamp>()
            .unwrap()
            .as_millisecond()
            .try_into()
            .unwrap()
    }

    #[test]
    fn a_night_window_in_tokyo() {
        let w = HoldWindow::new("21:00", "08:00", "Asia/Tokyo").unwrap();
        // 22:30 JST = 13:30Z: held until 08:00 JST next day = 23:00Z.
        assert_eq!(
            w.release_at(ms("2026-12-01T13:30:00Z")),
            Some(ms("2026-12-01T23:00:00Z"))
        );
        // 03:00 JST (18:00Z the day before): released at 08:00 JST the same local day.
        assert_eq!(
            w.release_at(ms("2026-12-01T18:00:00Z")),
            Some(ms("2026-12-01T23:00:00Z"))
        );
        // 21:00 sharp is inside, 08:00 sharp is outside.
        assert!(w.release_at(ms("2026-12-01T12:00:00Z")).is_some());
        assert_eq!(w.release_at(ms("2026-12-01T23:00:00Z")), None);
        // Noon JST: not held.
        assert_eq!(w.release_at(ms("2026-12-01T03:00:00Z")), None);
        assert_eq!(
            w.next_allowed(ms("2026-12-01T03:00:00Z")),
            ms("2026-12-01T03:00:00Z")
        );
        assert_eq!(w.describe(), "21:00-08:00 Asia/Tokyo");
    }

    #[test]
    fn a_day_window_and_daylight_saving() {
        // 09:00-17:00 in New York; on 2026-03-08 clocks jump from 02:00 to 03:00 EST->EDT.
        let w = HoldWindow::new("09:00", "17:00", "America/New_York").unwrap();
        // 10:00 EDT = 14:00Z on 2026-03-09: released 17:00 EDT = 21:00Z.
        assert_eq!(
            w.release_at(ms("2026-03-09T14:00:00Z")),
            Some(ms("2026-03-09T21:00:00Z"))
        );
        // 10:00 EST = 15:00Z on 2026-03-06: released 17:00 EST = 22:00Z.
        assert_eq!(
            w.release_at(ms("2026-03-06T15:00:00Z")),
            Some(ms("2026-03-06T22:00:00Z"))
        );
        // A window ending in the skipped hour (01:00-02:30) ends at 03:00 EDT that night.
        let gap = HoldWindow::new("01:00", "02:30", "America/New_York").unwrap();
        assert_eq!(
            gap.release_at(ms("2026-03-08T06:30:00Z")),
            Some(ms("2026-03-08T07:30:00Z"))
        );
    }

    #[test]
    fn bad_windows_are_named() {
        assert_eq!(
            HoldWindow::new("25:00", "08:00", "UTC").unwrap_err(),
            HoldError::Time("25:00".into())
        );
        assert_eq!(
            HoldWindow::new("9", "08:00", "UTC").unwrap_err(),
            HoldError::Time("9".into())
        );
        assert!(matches!(
            HoldWindow::new("08:00", "08:00", "UTC"),
            Err(HoldError::Empty(_))
        ));
        assert_eq!(
            HoldWindow::new("21:00", "08:00", "Mars/Olympus").unwrap_err(),
            HoldError::Zone("Mars/Olympus".into())
        );
    }
}
