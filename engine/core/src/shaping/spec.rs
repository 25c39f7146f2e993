//! The small languages of the `[shaping]` settings: rates (`100/s`, `10000/h`), thresholds
//! (`3/1min`) and durations (`30s`, `5min`, `2h`). Parsed once when settings are compiled.

use super::ShapingError;

/// A count per period, e.g. `100/s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Events per period.
    pub count: f64,
    /// The period, ms.
    pub per_ms: u64,
}

impl Rate {
    /// Events per millisecond.
    pub fn per_ms_f(&self) -> f64 {
        self.count / self.per_ms as f64
    }

    /// Events per hour, rounded down (for status views).
    pub fn per_hour(&self) -> u64 {
        (self.per_ms_f() * 3_600_000.0) as u64
    }

    /// Parses `N/s`, `N/min`, `N/h` (also `N/sec`, `N/m`, `N/hour`, `N/d`).
    pub fn parse(key: &str, text: &str) -> Result<Rate, ShapingError> {
        let bad = || ShapingError::Rate {
            key: key.to_string(),
            value: text.to_string(),
        };
        let (n, unit) = text.trim().split_once('/').ok_or_else(bad)?;
        let count: f64 = n.trim().parse().map_err(|_| bad())?;
        let per_ms = unit_ms(unit.trim()).ok_or_else(bad)?;
        if !(count.is_finite() && count > 0.0) {
            return Err(bad());
        }
        Ok(Rate { count, per_ms })
    }
}

impl std::fmt::Display for Rate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.per_ms {
            1_000 => "s",
            60_000 => "min",
            3_600_000 => "h",
            86_400_000 => "d",
            _ => return write!(f, "{}/{}ms", self.count, self.per_ms),
        };
        write!(f, "{}/{unit}", self.count)
    }
}

fn unit_ms(unit: &str) -> Option<u64> {
    Some(match unit {
        "ms" => 1,
        "s" | "sec" | "second" => 1_000,
        "m" | "min" | "minute" => 60_000,
        "h" | "hour" => 3_600_000,
        "d" | "day" => 86_400_000,
        _ => return None,
    })
}

/// Parses a duration: a number and a unit (`500ms`, `30s`, `5min`/`5m`, `2h`, `1d`).
pub fn parse_duration_ms(key: &str, text: &str) -> Result<u64, ShapingError> {
    let bad = || ShapingError::Duration {
        key: key.to_string(),
        value: text.to_string(),
    };
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
    let (n, unit) = t.split_at(split);
    let n: u64 = n.parse().map_err(|_| bad())?;
    let ms = n
        .checked_mul(unit_ms(unit.trim()).ok_or_else(bad)?)
        .ok_or_else(bad)?;
    if ms == 0 {
        return Err(bad());
    }
    Ok(ms)
}

/// "Fire after this many matches in the window": `3/1min`, `1/1min` (at once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Threshold {
    /// Matches needed.
    pub count: u32,
    /// Window, ms.
    pub window_ms: u64,
}

impl Threshold {
    /// Parses `N/DURATION`; a bare unit means one of it (`3/min` = `3/1min`).
    pub fn parse(key: &str, text: &str) -> Result<Threshold, ShapingError> {
        let bad = || ShapingError::Threshold {
            key: key.to_string(),
            value: text.to_string(),
        };
        let (n, window) = text.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        let window = window.trim();
        let window_ms = match unit_ms(window) {
            Some(ms) => ms,
            None => parse_duration_ms(key, window).map_err(|_| bad())?,
        };
        if count == 0 || count > 100_000 {
            return Err(bad());
        }
        Ok(Threshold { count, window_ms })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_thresholds_and_durations_parse_or_name_their_key() {
        let r = Rate::parse("k", "100/s").unwrap();
        assert_eq!((r.count, r.per_ms), (100.0, 1000));
        assert_eq!(Rate::parse("k", "10000/h").unwrap().per_hour(), 10_000);
        assert_eq!(
            Rate::parse("k", " 3000 / min ").unwrap().per_hour(),
            180_000
        );
        assert_eq!(Rate::parse("k", "0.5/s").unwrap().to_string(), "0.5/s");
        for bad in [
            "100",
            "100/fortnight",
            "-1/s",
            "0/s",
            "x/s",
            "NaN/s",
            "inf/s",
        ] {
            let e = Rate::parse("shaping.sites.x.rate", bad)
                .unwrap_err()
                .to_string();
            assert!(e.contains("shaping.sites.x.rate"), "{e}");
        }
        assert_eq!(parse_duration_ms("k", "30s").unwrap(), 30_000);
        assert_eq!(parse_duration_ms("k", "5min").unwrap(), 300_000);
        assert_eq!(parse_duration_ms("k", "5m").unwrap(), 300_000);
        assert_eq!(parse_duration_ms("k", "2h").unwrap(), 7_200_000);
        for bad in ["", "30", "s", "0s", "30 parsecs", "99999999999999999999d"] {
            assert!(parse_duration_ms("k", bad).is_err(), "{bad}");
        }
        let t = Threshold::parse("k", "3/1min").unwrap();
        assert_eq!((t.count, t.window_ms), (3, 60_000));
        assert_eq!(Threshold::parse("k", "1/min").unwrap().window_ms, 60_000);
        assert_eq!(Threshold::parse("k", "5/30s").unwrap().window_ms, 30_000);
        for bad in ["0/1min", "3", "3/", "3/forever", "x/1min"] {
            assert!(Threshold::parse("k", bad).is_err(), "{bad}");
        }
    }
}
