//! What an account password must be (SPEC §11): at least `accounts.password_min_length`
//! characters (12 by default, at least 8), not one of the most common passwords — a list
//! shipped with the engine, `data/common-passwords.txt` — nor such a password with digits and
//! punctuation added at its end ("Sunshine2026!"), and not the account's name.
//!
//! These are the checks that stop the guesses an attacker tries first (NIST SP 800-63B §5.1.1.2
//! asks for exactly these: a minimum length and a blocklist of common and expected values);
//! composition rules ("one digit, one symbol") are deliberately absent, as the same guidance
//! advises. The list is small and compiled in: no file to install, no lookup to fail.

/// The shipped list (see the file's header).
const COMMON: &str = include_str!("../../data/common-passwords.txt");

/// The floor under `accounts.password_min_length` (and the length every API user's SMTP
/// password needs).
pub const MIN_LENGTH_FLOOR: usize = 8;

/// Why a password was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    /// Too short.
    #[error("password too short: at least {min} characters are required (accounts.password_min_length), got {got}")]
    TooShort {
        /// The minimum.
        min: usize,
        /// Its length.
        got: usize,
    },
    /// On the list of common passwords, or a common password with digits or punctuation
    /// appended.
    #[error("password refused: it is (or is built on) one of the most common passwords; choose one that is not")]
    Common,
    /// The account's own name.
    #[error("password refused: it is the account's name")]
    IsName,
    /// The same as the password it replaces.
    #[error("the new password must differ from the current one")]
    Unchanged,
}

/// The compiled policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    min_length: usize,
}

impl PasswordPolicy {
    /// A policy requiring `min_length` characters (never fewer than [`MIN_LENGTH_FLOOR`]).
    pub fn new(min_length: usize) -> Self {
        Self {
            min_length: min_length.max(MIN_LENGTH_FLOOR),
        }
    }

    /// Checks `password` for the account `account`.
    pub fn check(&self, account: &str, password: &str) -> Result<(), PolicyError> {
        let got = password.chars().count();
        if got < self.min_length {
            return Err(PolicyError::TooShort {
                min: self.min_length,
                got,
            });
        }
        let lower = password.to_lowercase();
        if lower == account.to_lowercase() {
            return Err(PolicyError::IsName);
        }
        let stem = lower.trim_end_matches(|c: char| c.is_ascii_digit() || c.is_ascii_punctuation());
        if is_common(&lower) || (stem.chars().count() >= 4 && is_common(stem)) {
            return Err(PolicyError::Common);
        }
        Ok(())
    }
}

fn is_common(lower: &str) -> bool {
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_there_lower_case_and_without_duplicates() {
        let entries: Vec<&str> = COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(entries.len() >= 200, "{}", entries.len());
        assert!(entries.iter().all(|e| *e == e.to_lowercase()));
        let mut sorted = entries.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), entries.len());
    }

    #[test]
    fn table_of_verdicts() {
        let p = PasswordPolicy::new(12);
        let cases: &[(&str, Result<(), PolicyError>)] = &[
            ("short-pw", Err(PolicyError::TooShort { min: 12, got: 8 })),
            ("password1234", Err(PolicyError::Common)),
            ("Password1234", Err(PolicyError::Common)),
            (
                "qwertyuiop",
                Err(PolicyError::TooShort { min: 12, got: 10 }),
            ),
            ("Sunshine2026!", Err(PolicyError::Common)),
            ("iloveyou!!!!", Err(PolicyError::Common)),
            ("hikyaku12345", Err(PolicyError::Common)),
            ("Alice-Smith1", Err(PolicyError::IsName)),
            ("correct horse battery staple", Ok(())),
            ("ops-password-2026", Ok(())),
            // A common word inside a longer password is fine: only whole passwords and their
            // stems are refused.
            ("sunshine over kyoto", Ok(())),
            // Stems shorter than four characters do not count ("1234" + "!!!!..." is common
            // anyway, but "ab" + digits is a length question).
            ("ab1234567890", Ok(())),
        ];
        for (pw, want) in cases {
            assert_eq!(&p.check("alice-smith1", pw), want, "{pw}");
        }
        // The floor holds whatever the setting says.
        assert_eq!(
            PasswordPolicy::new(1).check("a", "seven77"),
            Err(PolicyError::TooShort { min: 8, got: 7 })
        );
    }
}
