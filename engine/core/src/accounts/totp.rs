//! Two-factor authentication of accounts: TOTP (RFC 6238) with the parameters every
//! authenticator app understands — HMAC-SHA-1, 6 digits, 30-second steps — and a 160-bit key
//! (RFC 4226 §4 recommends 160 bits).
//!
//! A code is accepted for the step it was made for, the one before or the one after (clock
//! drift between the phone and the server, and the seconds it takes to type it). Each code is
//! good for one login only: the record remembers the last step a code was accepted for, and a
//! code of that step or an earlier one is refused even when it is right. That also refuses a
//! code of the *previous* step once a newer one has been used, which costs nothing a user would
//! notice and closes the replay window completely.
//!
//! The key is a secret: it is stored only in the spool's admin family (mode 0700, like the VERP
//! and unsubscribe keys of `storage::secrets`), under its own key rather than in the account
//! record, so that account listings and log lines never carry it; it leaves the server once, in
//! the answer to the enrolment (or re-issue) that created it. Its `Debug` form is redacted.
//!
//! The arithmetic (which step matches, whether it was used) is [`TotpRecord::accept`], a pure
//! function of the record, the code and the time; the HMAC is totp-rs's.

use serde::{Deserialize, Serialize};
use totp_rs::{Algorithm, TOTP};

use crate::storage::{Cf, Op, StorageError, Store};

/// Seconds per step (RFC 6238 default; authenticator apps assume it).
pub const STEP_SECS: u64 = 30;
/// Steps accepted on either side of the current one.
const SKEW_STEPS: u64 = 1;
/// Digits per code.
const DIGITS: usize = 6;
/// Key length: 160 bits.
const KEY_BYTES: usize = 20;

/// Why a TOTP key could not be used or made.
#[derive(Debug, thiserror::Error)]
pub enum TotpError {
    /// totp-rs refused the parameters (a `:` in the issuer or the account name).
    #[error("cannot build the TOTP key URI: {0}")]
    Uri(String),
    /// The stored key is not base32 of the right length.
    #[error("the stored TOTP key of {0:?} is corrupt")]
    Corrupt(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
}

/// Why a code was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeRefused {
    /// Not the code of any step in the window (or not 6 digits).
    Wrong,
    /// Right, but its step (or a later one) was used already.
    Reused,
}

/// An account's TOTP key and state, stored under `totp/<lower-case account name>`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpRecord {
    /// The key, base32 without padding (as the URI carries it).
    secret: String,
    /// Confirmed with a code: logins need one. False between enrolment (or re-issue) and
    /// confirmation.
    pub enabled: bool,
    /// The last step a code was accepted for (0: none yet).
    pub last_step: u64,
}

impl std::fmt::Debug for TotpRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TotpRecord")
            .field("secret", &"<redacted>")
            .field("enabled", &self.enabled)
            .field("last_step", &self.last_step)
            .finish()
    }
}

/// What an enrolment hands to the user, once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrollment {
    /// `otpauth://totp/...`.
    pub uri: String,
    /// The key in base32.
    pub secret: String,
}

fn key(account: &str) -> Vec<u8> {
    format!("totp/{}", account.to_ascii_lowercase()).into_bytes()
}

fn encode(bytes: &[u8]) -> String {
    // RFC 4648 base32 without padding, as in otpauth URIs.
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return None,
        };
        buffer = (buffer << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
    }
    Some(out)
}

/// Compares two short strings in time independent of where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl TotpRecord {
    /// A fresh random key, not yet enabled.
    pub fn generate() -> Self {
        let mut bytes = [0u8; KEY_BYTES];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
        Self {
            secret: encode(&bytes),
            enabled: false,
            last_step: 0,
        }
    }

    fn totp(&self, issuer: &str, account: &str) -> Result<TOTP, TotpError> {
        let secret = decode(&self.secret)
            .filter(|s| s.len() == KEY_BYTES)
            .ok_or_else(|| TotpError::Corrupt(account.to_string()))?;
        TOTP::new(
            Algorithm::SHA1,
            DIGITS,
            // Unused: `accept` walks the window itself to learn which step matched.
            1,
            STEP_SECS,
            secret,
            Some(issuer.to_string()),
            account.to_string(),
        )
        .map_err(|e| TotpError::Uri(e.to_string()))
    }

    /// The URI and base32 key for an authenticator app. `issuer` is what the app shows above
    /// the account name; neither may contain `:`.
    pub fn enrollment(&self, issuer: &str, account: &str) -> Result<Enrollment, TotpError> {
        let totp = self.totp(issuer, account)?;
        Ok(Enrollment {
            uri: totp.get_url(),
            secret: totp.get_secret_base32(),
        })
    }

    /// Checks `code` at `now_secs` and, when it is accepted, records its step so it cannot be
    /// used again. Spaces in the code (apps show `123 456`) are ignored.
    pub fn accept(&mut self, account: &str, code: &str, now_secs: u64) -> Result<(), Refusal> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::Code(CodeRefused::Wrong));
        }
        // The issuer does not enter the HMAC.
        let totp = self.totp("hikyaku", account).map_err(Refusal::Key)?;
        let now_step = now_secs / STEP_SECS;
        let first = now_step.saturating_sub(SKEW_STEPS);
        let mut matched = None;
        // Every step of the window is computed, so the time taken does not say which matched.
        for step in first..=now_step + SKEW_STEPS {
            if same(totp.generate(step * STEP_SECS).as_bytes(), code.as_bytes()) {
                matched = Some(step);
            }
        }
        match matched {
            None => Err(Refusal::Code(CodeRefused::Wrong)),
            Some(step) if step <= self.last_step => Err(Refusal::Code(CodeRefused::Reused)),
            Some(step) => {
                self.last_step = step;
                Ok(())
            }
        }
    }

    /// The write storing this record for `account`.
    pub fn put_op(&self, account: &str) -> Result<Op, StorageError> {
        Ok(Op::Put {
            cf: Cf::Admin,
            key: key(account),
            value: serde_json::to_vec(self)?,
        })
    }
}

/// Why [`TotpRecord::accept`] refused.
#[derive(Debug)]
pub enum Refusal {
    /// The code.
    Code(CodeRefused),
    /// The stored key is unusable.
    Key(TotpError),
}

/// The write deleting `account`'s record (account removed).
pub fn delete_op(account: &str) -> Op {
    Op::Delete {
        cf: Cf::Admin,
        key: key(account),
    }
}

/// `account`'s record, if it ever enrolled.
pub fn get(store: &Store, account: &str) -> Result<Option<TotpRecord>, TotpError> {
    match store.get(Cf::Admin, &key(account))? {
        Some(v) => serde_json::from_slice(&v)
            .map(Some)
            .map_err(|_| TotpError::Corrupt(account.to_string())),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1 column: the key is the ASCII "12345678901234567890"; the RFC
    // prints 8 digits, apps use the last 6.
    const RFC_KEY: &[u8] = b"12345678901234567890";

    fn rfc_record() -> TotpRecord {
        TotpRecord {
            secret: encode(RFC_KEY),
            enabled: true,
            last_step: 0,
        }
    }

    #[test]
    fn base32_round_trips_and_matches_rfc_4648() {
        assert_eq!(encode(b"foobar"), "MZXW6YTBOI");
        assert_eq!(decode("MZXW6YTBOI").unwrap(), b"foobar");
        let r = TotpRecord::generate();
        assert_eq!(decode(&r.secret).unwrap().len(), KEY_BYTES);
        assert_eq!(decode("abc"), None);
    }

    #[test]
    fn rfc_6238_vectors_are_accepted_once() {
        for (time, code) in [
            (59u64, "287082"),
            (1_111_111_109, "081804"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            let mut r = rfc_record();
            assert!(r.accept("a", code, time).is_ok(), "{time}");
            assert_eq!(r.last_step, time / STEP_SECS);
            assert!(matches!(
                r.accept("a", code, time),
                Err(Refusal::Code(CodeRefused::Reused))
            ));
        }
    }

    #[test]
    fn the_window_is_one_step_either_side() {
        let t = 1_111_111_109;
        let mut r = rfc_record();
        // Made 30 s earlier or later: accepted.
        assert!(r.accept("a", "081804", t + STEP_SECS).is_ok());
        let mut r = rfc_record();
        assert!(r.accept("a", "081 804", t - STEP_SECS).is_ok());
        // Two steps away: wrong.
        let mut r = rfc_record();
        assert!(matches!(
            r.accept("a", "081804", t + 2 * STEP_SECS),
            Err(Refusal::Code(CodeRefused::Wrong))
        ));
        for bad in ["", "08180", "0818045", "abcdef"] {
            assert!(matches!(
                r.accept("a", bad, t),
                Err(Refusal::Code(CodeRefused::Wrong))
            ));
        }
        assert_eq!(r.last_step, 0);
    }

    #[test]
    fn an_older_step_after_a_newer_one_is_refused() {
        let t = 1_111_111_109;
        let mut r = rfc_record();
        let next = r
            .totp("x", "a")
            .unwrap()
            .generate((t / STEP_SECS + 1) * STEP_SECS);
        assert!(r.accept("a", &next, t).is_ok());
        assert!(matches!(
            r.accept("a", "081804", t),
            Err(Refusal::Code(CodeRefused::Reused))
        ));
    }

    #[test]
    fn enrollment_uri_carries_the_key_and_debug_hides_it() {
        let r = TotpRecord::generate();
        let e = r.enrollment("hikyaku mx.example", "alice").unwrap();
        assert!(
            e.uri
                .starts_with("otpauth://totp/hikyaku%20mx.example:alice?secret="),
            "{}",
            e.uri
        );
        assert!(e.uri.contains(&e.secret));
        assert_eq!(e.secret, r.secret);
        assert!(!format!("{r:?}").contains(&r.secret));
        assert!(matches!(
            r.enrollment("a:b", "alice"),
            Err(TotpError::Uri(_))
        ));
    }
}
