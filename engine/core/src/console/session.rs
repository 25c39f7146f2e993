//! Console sessions: the cookie that carries an RPC session token, the CSRF tokens tied to it,
//! and the idle timeout.
//!
//! A console login is an ordinary `users.login` session (same accounts, lockout and lifetime
//! as the RPC); the console only adds an idle timeout on top, tracked here by the hash of the
//! token. The token travels in a `__Host-` cookie (`Secure`, `HttpOnly`, `SameSite=Strict`,
//! `Path=/`, no `Domain`), so no script and no other site can read or send it. Every form
//! carries a CSRF token derived from the session token (a keyed hash, so it can be checked
//! without storing it); the login form, which has no session yet, uses a double-submit cookie.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::users::sha256_hex;

/// Cookie holding the session token.
pub const SESSION_COOKIE: &str = "__Host-hikyaku-session";
/// Cookie holding the login form's CSRF token (double submit).
pub const LOGIN_COOKIE: &str = "__Host-hikyaku-login";

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A `Set-Cookie` value with the console's attributes; `None` deletes the cookie.
pub fn set_cookie(name: &str, value: Option<&str>) -> String {
    match value {
        Some(v) => format!("{name}={v}; Path=/; Secure; HttpOnly; SameSite=Strict"),
        None => format!("{name}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"),
    }
}

/// The CSRF token of the forms of one session.
pub fn csrf_for(session_token: &str) -> String {
    let mut hex = sha256_hex(&format!("hikyaku console csrf\0{session_token}"));
    hex.truncate(32);
    hex
}

/// Equality that takes the same time wherever the inputs differ.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// What the idle tracker says about a session token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activity {
    /// Used within the idle timeout; its last use is now.
    Active,
    /// Not used for longer than the idle timeout: it has been forgotten and must be closed.
    Idle,
    /// Not a console session (never logged in here, logged out, or forgotten).
    Unknown,
}

/// Last use of every console session, by token hash.
pub(crate) struct IdleTracker {
    timeout: Duration,
    last_use: Mutex<HashMap<String, Instant>>,
}

impl IdleTracker {
    pub(crate) fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            last_use: Mutex::new(HashMap::new()),
        }
    }

    fn map(&self) -> std::sync::MutexGuard<'_, HashMap<String, Instant>> {
        self.last_use.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a session that just logged in (and forgets sessions long idle, so the map
    /// cannot grow with abandoned logins).
    pub(crate) fn start(&self, token_hash: &str, now: Instant) {
        let timeout = self.timeout;
        let mut map = self.map();
        map.retain(|_, t| now.saturating_duration_since(*t) <= timeout);
        map.insert(token_hash.to_string(), now);
    }

    /// Records a use of the session at `now`, unless it has been idle too long.
    pub(crate) fn touch(&self, token_hash: &str, now: Instant) -> Activity {
        let mut map = self.map();
        match map.get_mut(token_hash) {
            None => Activity::Unknown,
            Some(t) if now.saturating_duration_since(*t) > self.timeout => {
                map.remove(token_hash);
                Activity::Idle
            }
            Some(t) => {
                *t = now;
                Activity::Active
            }
        }
    }

    /// Forgets a session (logout).
    pub(crate) fn end(&self, token_hash: &str) {
        self.map().remove(token_hash);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let h = "a=1; __Host-hikyaku-session=hs_abc ; __Host-hikyaku-login=xyz";
        assert_eq!(cookie(h, SESSION_COOKIE), Some("hs_abc"));
        assert_eq!(cookie(h, LOGIN_COOKIE), Some("xyz"));
        assert_eq!(cookie(h, "__Host-hikyaku"), None);
        assert_eq!(cookie("__Host-hikyaku-session=", SESSION_COOKIE), None);
    }

    #[test]
    fn cookies_carry_the_protective_attributes() {
        let c = set_cookie(SESSION_COOKIE, Some("hs_x"));
        for attr in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(c.contains(attr), "{c}");
        }
        assert!(!c.contains("Domain"));
        assert!(set_cookie(SESSION_COOKIE, None).contains("Max-Age=0"));
    }

    #[test]
    fn csrf_tokens_differ_per_session_and_compare_exactly() {
        let a = csrf_for("hs_one");
        assert_eq!(a.len(), 32);
        assert_ne!(a, csrf_for("hs_two"));
        assert!(same(&a, &csrf_for("hs_one")));
        assert!(!same(&a, &a[..31]));
        assert!(!same(&a, &csrf_for("hs_two")));
    }

    #[test]
    fn sessions_end_after_the_idle_timeout_only() {
        let t = IdleTracker::new(Duration::from_secs(60));
        let t0 = Instant::now();
        assert_eq!(t.touch("h", t0), Activity::Unknown);
        t.start("h", t0);
        assert_eq!(t.touch("h", t0 + Duration::from_secs(59)), Activity::Active);
        // Each use restarts the clock.
        assert_eq!(
            t.touch("h", t0 + Duration::from_secs(118)),
            Activity::Active
        );
        assert_eq!(t.touch("h", t0 + Duration::from_secs(179)), Activity::Idle);
        assert_eq!(
            t.touch("h", t0 + Duration::from_secs(180)),
            Activity::Unknown
        );
        t.start("g", t0);
        t.end("g");
        assert_eq!(t.touch("g", t0), Activity::Unknown);
    }
}
