//! "My account" (SPEC §11): the language an account reads the CLI in and the time zone its
//! report days and prohibited hours default to. Stored on the account record, so they follow
//! the account to every client and survive restarts.

use serde::{Deserialize, Serialize};

use super::{existing, put_op, AccountRecord};
use crate::storage::{Op, Store};
use crate::users::UserError;

/// Language of the CLI's human output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Japanese.
    Ja,
}

/// A change of preferences; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Update {
    /// New language.
    pub language: Option<Language>,
    /// New time zone: an IANA name, an offset or `UTC`.
    pub time_zone: Option<String>,
}

/// Why an update was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PreferenceError {
    /// Not a time zone jiff knows.
    #[error("{0}")]
    TimeZone(String),
}

/// Checks a time zone and returns the form stored: `UTC` is stored as no zone at all, so an
/// account that never chose one and one that chose UTC read the same.
pub fn normalise_time_zone(text: &str) -> Result<Option<String>, PreferenceError> {
    let text = text.trim();
    crate::maintenance::retention::parse_zone(text).map_err(PreferenceError::TimeZone)?;
    Ok(if text.eq_ignore_ascii_case("utc") {
        None
    } else {
        Some(text.to_string())
    })
}

/// The account after `update`, and its write. The time zone is checked first, so a refused
/// update changes nothing.
pub fn update_ops(
    store: &Store,
    name: &str,
    update: &Update,
) -> Result<Result<(AccountRecord, Vec<Op>), PreferenceError>, UserError> {
    let mut record = existing(store, name)?;
    if let Some(tz) = &update.time_zone {
        match normalise_time_zone(tz) {
            Ok(zone) => record.time_zone = zone,
            Err(e) => return Ok(Err(e)),
        }
    }
    if let Some(language) = update.language {
        record.language = language;
    }
    let op = put_op(&record)?;
    Ok(Ok((record, vec![op])))
}

/// The time zone report days default to for `name`: its own, or `None` (UTC) when it has none
/// or does not exist (an API user).
pub fn time_zone_of(store: &Store, name: &str) -> Result<Option<String>, UserError> {
    Ok(super::get(store, name)?.and_then(|r| r.time_zone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_are_checked_and_utc_is_no_zone() {
        assert_eq!(
            normalise_time_zone("Asia/Tokyo"),
            Ok(Some("Asia/Tokyo".into()))
        );
        assert_eq!(normalise_time_zone(" +09:00 "), Ok(Some("+09:00".into())));
        assert_eq!(normalise_time_zone("utc"), Ok(None));
        let err = normalise_time_zone("Mars/Olympus_Mons").unwrap_err();
        assert!(
            err.to_string().contains("not a known IANA time zone"),
            "{err}"
        );
    }
}
