//! Who is calling, and may they: connection-IP allow-list, per-IP rate limit, credential
//! resolution (API key or session token) and the access rule of the method.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use hikyaku_rpc::Access;

use super::sessions::Sessions;
use super::{lock, ApiError, Buckets};
use crate::access::AllowList;
use crate::accounts::Role;
use crate::config::Config;
use crate::users::sha256_hex;

/// What a session opened with a one-time password (`users.reset_password`) may call.
const ONE_TIME_PASSWORD_MAY: [&str; 3] = ["users.change_password", "users.whoami", "users.logout"];

/// Facts of the HTTP connection, put into each request's extensions by the server.
#[derive(Debug, Clone)]
pub(crate) struct ConnInfo {
    /// Peer address.
    pub(crate) ip: IpAddr,
    /// The bearer token of the `Authorization` header, if any.
    pub(crate) bearer: Option<String>,
}

/// The authenticated caller of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Caller {
    /// No credential (public methods only).
    Anonymous,
    /// An API user's key.
    ApiUser {
        name: String,
        send: bool,
        transactional: bool,
    },
    /// An account's session.
    Account {
        name: String,
        role: Role,
        token_hash: String,
    },
}

impl Caller {
    /// The API user whose data alone this caller may see; `None` for accounts.
    pub(crate) fn own_api_user(&self) -> Option<&str> {
        match self {
            Caller::ApiUser { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Name for logs and error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Caller::Anonymous => "anonymous caller".into(),
            Caller::ApiUser { name, .. } => format!("API user {name:?}"),
            Caller::Account { name, role, .. } => format!("account {name:?} ({role:?})"),
        }
    }

    fn may(&self, access: Access) -> bool {
        use Role::*;
        match (self, access) {
            (_, Access::Public) => true,
            (Caller::Anonymous, _) => false,
            (_, Access::Authenticated) => true,
            (Caller::ApiUser { send, .. }, Access::Send) => *send,
            (Caller::ApiUser { transactional, .. }, Access::Report | Access::Transact) => {
                *transactional
            }
            (Caller::ApiUser { .. }, _) => false,
            (Caller::Account { role, .. }, Access::Send) => *role == GroupAdmin,
            (Caller::Account { .. }, Access::Report) => true,
            (Caller::Account { role, .. }, Access::Transact | Access::ServiceAdmin) => {
                matches!(role, GroupAdmin | ServiceAdmin)
            }
            (Caller::Account { role, .. }, Access::GroupAdmin) => *role == GroupAdmin,
        }
    }
}

/// Authentication state shared by all handlers.
pub(crate) struct AuthState {
    allow: RwLock<AllowList>,
    rate_per_sec: RwLock<u32>,
    buckets: Mutex<Buckets>,
    /// Account sessions (kept in the spool too: they survive restarts).
    pub(crate) sessions: Sessions,
    pub(crate) session_ttl: Duration,
}

impl AuthState {
    pub(crate) fn new(config: &Config, store: &crate::storage::Store) -> Result<Self, ApiError> {
        let allow = AllowList::parse(&config.rpc.allowed_ips)
            .map_err(|e| ApiError::invalid("rpc.allowed_ips", e.to_string()))?;
        Ok(Self {
            allow: RwLock::new(allow),
            rate_per_sec: RwLock::new(config.rpc.rate_limit_per_sec),
            buckets: Mutex::new(HashMap::new()),
            sessions: Sessions::load(store, crate::clock::now_ms())?,
            session_ttl: Duration::from_secs(u64::from(config.rpc.session_hours) * 3600),
        })
    }

    /// Takes new limits after `settings.apply`.
    pub(crate) fn reconfigure(&self, config: &Config) -> Result<(), ApiError> {
        let allow = AllowList::parse(&config.rpc.allowed_ips)
            .map_err(|e| ApiError::invalid("rpc.allowed_ips", e.to_string()))?;
        *self.allow.write().unwrap_or_else(|p| p.into_inner()) = allow;
        *self.rate_per_sec.write().unwrap_or_else(|p| p.into_inner()) =
            config.rpc.rate_limit_per_sec;
        Ok(())
    }

    /// The connection-IP allow-list and the per-IP rate limit alone, for `GET /metrics`
    /// (scrapers carry no credential; the IP list is the whole protection).
    pub(crate) fn check_ip(&self, ip: IpAddr) -> Result<(), ApiError> {
        let allowed = self.allow.read().map(|a| a.contains(ip)).unwrap_or(false);
        if !allowed {
            return Err(ApiError::IpNotAllowed(ip));
        }
        self.take_token(ip)
    }

    /// The checks every call goes through, in this order: IP, rate, credential, access rule.
    pub(crate) fn authorize(
        &self,
        store: &crate::storage::Store,
        conn: Option<&ConnInfo>,
        method: &str,
        access: Access,
    ) -> Result<Caller, ApiError> {
        let conn =
            conn.ok_or_else(|| ApiError::Unavailable("connection details missing".into()))?;
        let allowed = self
            .allow
            .read()
            .map(|a| a.contains(conn.ip))
            .unwrap_or(false);
        if !allowed {
            return Err(ApiError::IpNotAllowed(conn.ip));
        }
        self.take_token(conn.ip)?;
        let caller = match conn.bearer.as_deref() {
            None => Caller::Anonymous,
            Some(token) if token.starts_with("hs_") => self.session(token, method)?,
            Some(key) => match crate::users::by_api_key(store, key)? {
                Some(u) => Caller::ApiUser {
                    name: u.name,
                    send: u.send,
                    transactional: u.transactional,
                },
                None => {
                    return Err(ApiError::Unauthenticated(
                        "unknown API key (it may have been rotated or its user removed)".into(),
                    ))
                }
            },
        };
        if caller.may(access) {
            return Ok(caller);
        }
        Err(match caller {
            Caller::Anonymous => ApiError::Unauthenticated(format!(
                "{method} needs a credential: send 'Authorization: Bearer <API key or session token>'"
            )),
            other => ApiError::Forbidden(format!(
                "{} may not call {method} (access: {})",
                other.describe(),
                access_name(access)
            )),
        })
    }

    fn take_token(&self, ip: IpAddr) -> Result<(), ApiError> {
        let rate = *self.rate_per_sec.read().unwrap_or_else(|p| p.into_inner());
        let capacity = f64::from(rate) * 2.0;
        let now = Instant::now();
        let mut buckets = lock(&self.buckets);
        if buckets.len() > 100_000 {
            // Forget full buckets so a scan of many source addresses cannot grow the map
            // without bound.
            buckets.retain(|_, (_, t)| now.duration_since(*t) < Duration::from_secs(10));
        }
        let (tokens, last) = buckets.entry(ip).or_insert((capacity, now));
        *tokens =
            (*tokens + now.duration_since(*last).as_secs_f64() * f64::from(rate)).min(capacity);
        *last = now;
        if *tokens < 1.0 {
            return Err(ApiError::RateLimited(rate));
        }
        *tokens -= 1.0;
        Ok(())
    }

    fn session(&self, token: &str, method: &str) -> Result<Caller, ApiError> {
        let hash = sha256_hex(token);
        match self.sessions.get(&hash, crate::clock::now_ms()) {
            Ok(Some(s)) if s.must_change_password && !ONE_TIME_PASSWORD_MAY.contains(&method) => {
                Err(ApiError::Forbidden(format!(
                    "{method}: the password of {:?} is a one-time password; change it first \
                     (users.change_password, hikyaku users change-password), then log in again",
                    s.account
                )))
            }
            Ok(Some(s)) => Ok(Caller::Account {
                name: s.account,
                role: s.role,
                token_hash: hash,
            }),
            Err(()) => Err(ApiError::Unauthenticated(
                "session expired; log in again".into(),
            )),
            Ok(None) => Err(ApiError::Unauthenticated(
                "unknown session token (it was ended by a logout, a password change or a \
                 key re-issue, or it expired)"
                    .into(),
            )),
        }
    }
}

fn access_name(a: Access) -> &'static str {
    match a {
        Access::Public => "public",
        Access::Send => "API users with the sending right, group administrators",
        Access::Report => "API users with the transactional right, every account",
        Access::Transact => {
            "API users with the transactional right, service and group administrators"
        }
        Access::ServiceAdmin => "service and group administrators",
        Access::GroupAdmin => "group administrators",
        Access::Authenticated => "any credential",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(role: Role) -> Caller {
        Caller::Account {
            name: "a".into(),
            role,
            token_hash: String::new(),
        }
    }

    #[test]
    fn access_table() {
        let sender = Caller::ApiUser {
            name: "app".into(),
            send: true,
            transactional: false,
        };
        assert!(sender.may(Access::Send));
        assert!(!sender.may(Access::Report));
        assert!(!sender.may(Access::ServiceAdmin));
        let viewer = account(Role::ReportViewer);
        assert!(viewer.may(Access::Report));
        assert!(!viewer.may(Access::Transact));
        assert!(!viewer.may(Access::Send));
        let service = account(Role::ServiceAdmin);
        assert!(service.may(Access::ServiceAdmin));
        assert!(!service.may(Access::GroupAdmin));
        assert!(account(Role::GroupAdmin).may(Access::GroupAdmin));
        assert!(!Caller::Anonymous.may(Access::Authenticated));
        assert!(Caller::Anonymous.may(Access::Public));
    }

    #[test]
    fn rate_limit_refuses_beyond_the_burst() {
        let mut config = Config::default();
        config.rpc.rate_limit_per_sec = 5;
        let dir = tempfile::tempdir().unwrap();
        let store = crate::storage::Store::open(dir.path(), &Default::default()).unwrap();
        let auth = AuthState::new(&config, &store).unwrap();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let allowed = (0..100).filter(|_| auth.take_token(ip).is_ok()).count();
        // 2 s worth of burst, plus at most a token refilled while the loop ran.
        assert!((10..=11).contains(&allowed), "{allowed}");
        let other: IpAddr = "127.0.0.2".parse().unwrap();
        assert!(auth.take_token(other).is_ok());
    }
}
