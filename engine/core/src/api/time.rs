//! Wire times: RFC 3339 in, RFC 3339 UTC out.

use super::ApiError;

/// Milliseconds since the epoch from RFC 3339 (`2026-11-24T12:00:00Z`, offsets allowed).
pub(crate) fn parse_ms(field: &str, text: &str) -> Result<u64, ApiError> {
    let ts: jiff::Timestamp = text.parse().map_err(|e| {
        ApiError::invalid(
            field,
            format!("{text:?} is not an RFC 3339 time such as 2026-11-24T12:00:00Z ({e})"),
        )
    })?;
    u64::try_from(ts.as_millisecond())
        .map_err(|_| ApiError::invalid(field, format!("{text:?} is before 1970")))
}

/// RFC 3339 UTC with millisecond precision.
pub(crate) fn format_ms(ms: u64) -> String {
    let ms = i64::try_from(ms).unwrap_or(i64::MAX);
    match jiff::Timestamp::from_millisecond(ms) {
        Ok(ts) => format!("{ts:.3}"),
        Err(_) => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let ms = parse_ms("since", "2026-11-24T12:00:00+09:00").unwrap();
        assert_eq!(format_ms(ms), "2026-11-24T03:00:00.000Z");
        assert!(parse_ms("since", "yesterday")
            .unwrap_err()
            .to_string()
            .starts_with("since:"));
    }
}
