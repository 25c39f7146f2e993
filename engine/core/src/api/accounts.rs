//! `users.*`: logins and sessions, the caller's own account (password, two-factor
//! enrolment), and the group administrator's management of API users and accounts.
//!
//! Account changes are computed by [`crate::accounts`] as writes and made here with one synced
//! batch each, on the blocking pool (argon2 and RocksDB reads would stall the server thread).

use std::sync::Arc;

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::{
    AccountInfo, ApiKey, ApiUserInfo, Identity, OneTimePassword, Session, TotpEnrollment, UserList,
};
use hikyaku_rpc::types::Done;
use jsonrpsee::RpcModule;

use super::auth::Caller;
use super::handlers::{blocking, register, register_audited, register_with_ip, role_of, wire_role};
use super::my_account::wire_language;
use super::oplog::Audit;
use super::time::format_ms;
use super::{ApiContext, ApiError};
use crate::accounts::totp::{CodeRefused, Enrollment};
use crate::accounts::{self, Failure, LoginAttempt, LoginOutcome};
use crate::clock::now_ms;
use crate::storage::Op;
use crate::users;
use serde_json::{json, Value};
use std::net::IpAddr;

/// Held from the limit check to the write of a new API user or account, so two calls at once
/// cannot both take the last place.
static ADDING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Refuses a new API user or account when `rpc.max_users` of them exist (SPEC §11: 10 by
/// default, API users and accounts together). Call with [`ADDING`] held.
fn check_user_limit(ctx: &ApiContext) -> Result<(), ApiError> {
    let max = ctx.config().rpc.max_users as usize;
    let count = users::list_users(&ctx.store)?.len() + accounts::list(&ctx.store)?.len();
    if count >= max {
        return Err(users::UserError::Limit { count, max }.into());
    }
    Ok(())
}

/// Makes `ops` with one synced write, off the server thread.
async fn write(ctx: &Arc<ApiContext>, ops: Vec<Op>) -> Result<(), ApiError> {
    if ops.is_empty() {
        return Ok(());
    }
    let store = ctx.store.clone();
    blocking(move || Ok(store.write_ops(&ops, true)?)).await
}

/// The calling account's name; API users have no password or second factor here.
fn own_account(c: &Caller, what: &str) -> Result<String, ApiError> {
    match c {
        Caller::Account { name, .. } => Ok(name.clone()),
        _ => Err(ApiError::Conflict(format!(
            "only accounts have {what}; API users authenticate with their key"
        ))),
    }
}

/// What authenticator apps show above the account name: the engine and its host name (a
/// colon would break the URI's label, so none is left in).
fn issuer(ctx: &ApiContext) -> String {
    format!("hikyaku {}", ctx.hostname.replace(':', "-"))
}

fn wire_enrollment(account: String, e: Enrollment) -> TotpEnrollment {
    TotpEnrollment {
        account,
        uri: e.uri,
        secret: e.secret,
    }
}

/// The caller-facing error of a refused login. An unknown account and a wrong password read
/// the same; once the password was right the caller is told that a code is needed or was
/// wrong, so a person knows what to type — the password is not guessable through that, as
/// every try counts towards the lockout.
fn refusal(account: &str, outcome: &LoginOutcome) -> ApiError {
    match outcome {
        LoginOutcome::Locked { .. } => ApiError::Locked(account.to_string()),
        LoginOutcome::Failed(Failure::CodeMissing) => ApiError::Unauthenticated(
            "two-factor authentication is on for this account: give the one-time code (totp)"
                .into(),
        ),
        LoginOutcome::Failed(Failure::CodeWrong) => {
            ApiError::Unauthenticated("wrong one-time code".into())
        }
        LoginOutcome::Failed(Failure::CodeReused) => ApiError::Unauthenticated(
            "this one-time code was used already; wait for the next one".into(),
        ),
        _ => ApiError::Unauthenticated("wrong account name or password".into()),
    }
}

/// The operation-log entry of a login attempt: `login`, `login_failed` (with the reason, or
/// `locked` when the account was locked already) or `locked` (this attempt locked it).
fn login_entry(
    ctx: &ApiContext,
    ip: IpAddr,
    tried: &str,
    outcome: &LoginOutcome,
) -> Result<Vec<Op>, ApiError> {
    let (actor, action, reason) = match outcome {
        LoginOutcome::Ok(record) => (record.name.as_str(), "login", None),
        LoginOutcome::Failed(f) => (tried, "login_failed", Some(f.as_str())),
        LoginOutcome::Locked { by: Some(f) } => (tried, "locked", Some(f.as_str())),
        LoginOutcome::Locked { by: None } => (tried, "login_failed", Some("locked")),
    };
    let details = reason.map_or(Value::Null, |r| json!({ "reason": r }));
    Audit::login(actor, ip, action).ops(ctx, Some(actor), details)
}

async fn login(
    ctx: Arc<ApiContext>,
    ip: IpAddr,
    p: hikyaku_rpc::types::users::Login,
) -> Result<Session, ApiError> {
    let store = ctx.store.clone();
    let (account, password, code) = (p.account.clone(), p.password, p.totp);
    let (outcome, ops) = blocking(move || {
        let attempt = LoginAttempt {
            name: &account,
            password: &password,
            totp: code.as_deref(),
            now_ms: now_ms(),
        };
        Ok(accounts::login(&store, &attempt)?)
    })
    .await?;
    // The attempt's entry goes with the counter it changes, and the session with both: all
    // or nothing.
    let mut ops = ops;
    ops.extend(login_entry(&ctx, ip, &p.account, &outcome)?);
    let session = match &outcome {
        LoginOutcome::Ok(record) => {
            let ttl_ms = u64::try_from(ctx.auth.session_ttl.as_millis()).unwrap_or(u64::MAX);
            let mut new = ctx.auth.sessions.open(record, now_ms(), ttl_ms)?;
            ops.append(&mut new.ops);
            Some(new)
        }
        _ => None,
    };
    write(&ctx, ops).await?;
    match (outcome, session) {
        (LoginOutcome::Ok(record), Some(new)) => {
            tracing::info!(account = %record.name, "login");
            let (token, expires) = (new.token.clone(), new.expires_ms());
            ctx.auth.sessions.insert(new);
            Ok(Session {
                token,
                expires: format_ms(expires),
                must_change_password: record.must_change_password,
                language: wire_language(record.language),
                time_zone: record.time_zone,
                account: record.name,
                role: wire_role(record.role),
            })
        }
        (other, _) => {
            let reason = match &other {
                LoginOutcome::Failed(f) | LoginOutcome::Locked { by: Some(f) } => f.as_str(),
                _ => "locked",
            };
            tracing::warn!(account = %p.account, reason, "failed login");
            Err(refusal(&p.account, &other))
        }
    }
}

/// Writes `ops` with the deletes of every session of `account`, then forgets them: the
/// account's password changed, its TOTP key was re-issued, or it was removed.
async fn write_ending_sessions(
    ctx: &Arc<ApiContext>,
    mut ops: Vec<Op>,
    account: &str,
) -> Result<(), ApiError> {
    ops.extend(ctx.auth.sessions.close_all_ops(account));
    write(ctx, ops).await?;
    ctx.auth.sessions.forget_all(account);
    Ok(())
}

/// Registers every `users.*` method.
pub(super) fn register_users(module: &mut RpcModule<ApiContext>) {
    register_with_ip(module, m::USERS_LOGIN, |ctx, _c, ip, p| login(ctx, ip, p));
    register_with_ip(module, m::USERS_LOGOUT, |ctx, c, ip, _p| async move {
        match &c {
            Caller::Account {
                token_hash, name, ..
            } => {
                let mut ops = ctx.auth.sessions.close_ops(token_hash);
                ops.extend(Audit::new(&c, ip, "logout").ops(&ctx, Some(name), Value::Null)?);
                write(&ctx, ops).await?;
                ctx.auth.sessions.forget(token_hash);
                Ok(Done { ok: true })
            }
            _ => Err(ApiError::Conflict(
                "API keys have no session; rotate the key to revoke it".into(),
            )),
        }
    });
    register(module, m::USERS_WHOAMI, |ctx, c, _p| async move {
        Ok(match c {
            Caller::ApiUser {
                name,
                send,
                transactional,
            } => Identity::ApiUser {
                name,
                send,
                transactional,
            },
            Caller::Account { name, role, .. } => {
                let store = ctx.store.clone();
                let who = name.clone();
                let record = blocking(move || Ok(accounts::get(&store, &who)?)).await?;
                let (language, time_zone, must_change_password) = record
                    .map(|r| {
                        (
                            wire_language(r.language),
                            r.time_zone,
                            r.must_change_password,
                        )
                    })
                    .unwrap_or_default();
                Identity::Account {
                    name,
                    role: wire_role(role),
                    language,
                    time_zone,
                    must_change_password,
                }
            }
            Caller::Anonymous => return Err(ApiError::Unauthenticated("no credential".into())),
        })
    });
    register_audited(
        module,
        m::USERS_CHANGE_PASSWORD,
        |ctx, c, audit, p| async move {
            let name = own_account(&c, "passwords")?;
            let store = ctx.store.clone();
            let who = name.clone();
            let policy = ctx.config().accounts.password_policy();
            let mut ops = blocking(move || {
                accounts::change_password_ops(&store, &who, (&p.current, &p.new), &policy).map_err(
                    |e| match e {
                        // The parameter is `new` here.
                        users::UserError::Policy(p) => ApiError::invalid("new", p.to_string()),
                        other => other.into(),
                    },
                )
            })
            .await?
            .ok_or_else(|| ApiError::invalid("current", "the current password is wrong"))?;
            ops.extend(audit.ops(&ctx, Some(&name), Value::Null)?);
            write_ending_sessions(&ctx, ops, &name).await?;
            Ok(Done { ok: true })
        },
    );
    register_totp(module);
    register_admin(module);
}

fn register_totp(module: &mut RpcModule<ApiContext>) {
    register_audited(
        module,
        m::USERS_TOTP_ENROLL,
        |ctx, c, audit, _p| async move {
            let name = own_account(&c, "a second factor")?;
            let (enrollment, mut ops) =
                accounts::totp_new_key(&ctx.store, &name, &issuer(&ctx), false)?;
            ops.extend(audit.ops(&ctx, Some(&name), Value::Null)?);
            write(&ctx, ops).await?;
            Ok(wire_enrollment(name, enrollment))
        },
    );
    register_audited(
        module,
        m::USERS_TOTP_CONFIRM,
        |ctx, c, audit, p| async move {
            let name = own_account(&c, "a second factor")?;
            match accounts::totp_confirm(&ctx.store, &name, &p.code, now_ms())? {
                Ok(mut ops) => {
                    ops.extend(audit.ops(&ctx, Some(&name), Value::Null)?);
                    write(&ctx, ops).await?
                }
                Err(CodeRefused::Wrong) => {
                    return Err(ApiError::invalid(
                        "code",
                        "not the current code of the enrolled key (is the phone's clock right?)",
                    ))
                }
                Err(CodeRefused::Reused) => {
                    return Err(ApiError::invalid(
                        "code",
                        "this code was used already; wait for the next one",
                    ))
                }
            }
            tracing::info!(account = %name, "two-factor authentication on");
            Ok(Done { ok: true })
        },
    );
    // A group administrator's answer to a lost authenticator. The new key is returned to the
    // administrator to hand over, and two-factor authentication stays off until the account
    // confirms it (`users.totp_confirm`): the other choice, keeping it on with the new key,
    // would lock the user out until the key reached them, and a group administrator can read
    // or replace everything of the account anyway. The account's sessions end, so a session
    // opened with the lost device does not outlive the key.
    register_audited(
        module,
        m::USERS_TOTP_REISSUE,
        |ctx, _c, audit, p| async move {
            let record = accounts::get(&ctx.store, &p.name)?
                .ok_or_else(|| users::UserError::NotFound(p.name.clone()))?;
            let (enrollment, mut ops) =
                accounts::totp_new_key(&ctx.store, &record.name, &issuer(&ctx), true)?;
            ops.extend(audit.ops(&ctx, Some(&record.name), Value::Null)?);
            write_ending_sessions(&ctx, ops, &record.name).await?;
            tracing::info!(account = %record.name, "TOTP key re-issued; two-factor off until confirmed");
            Ok(wire_enrollment(record.name, enrollment))
        },
    );
}

fn register_admin(module: &mut RpcModule<ApiContext>) {
    register(module, m::USERS_LIST, |ctx, _c, _p| async move {
        let api_users = users::list_users(&ctx.store)?
            .into_iter()
            .map(|u| ApiUserInfo {
                has_api_key: u.api_key_sha256.is_some(),
                has_password: !u.password_hash.is_empty(),
                created: format_ms(u.created_ms),
                name: u.name,
                send: u.send,
                transactional: u.transactional,
            })
            .collect();
        let mut list = Vec::new();
        for a in accounts::list(&ctx.store)? {
            list.push(AccountInfo {
                role: wire_role(a.role),
                locked: a.locked,
                failed_logins: a.failed_logins,
                two_factor: accounts::two_factor_on(&ctx.store, &a.name)?,
                must_change_password: a.must_change_password,
                created: format_ms(a.created_ms),
                name: a.name,
            });
        }
        Ok(UserList {
            api_users,
            accounts: list,
        })
    });
    register_audited(
        module,
        m::USERS_ADD_API_USER,
        |ctx, _c, audit, p| async move {
            let _adding = ADDING.lock().await;
            check_user_limit(&ctx)?;
            if accounts::get(&ctx.store, &p.name)?.is_some() {
                return Err(users::UserError::Exists(p.name).into());
            }
            let store = ctx.store.clone();
            let name = p.name.clone();
            let details = json!({
                "send": p.send,
                "transactional": p.transactional,
                "smtp_password": p.password.is_some(),
            });
            let api_key = users::random_token("hk_");
            let key = api_key.clone();
            let mut ops = blocking(move || {
                Ok(users::create_ops(
                    &store,
                    &p.name,
                    p.password.as_deref(),
                    (p.send, p.transactional),
                    Some(&key),
                    now_ms(),
                )?)
            })
            .await?;
            ops.extend(audit.ops(&ctx, Some(&name), details)?);
            write(&ctx, ops).await?;
            Ok(ApiKey { name, api_key })
        },
    );
    register_audited(
        module,
        m::USERS_ROTATE_KEY,
        |ctx, _c, audit, p| async move {
            let (api_key, mut ops) = users::rotate_key_ops(&ctx.store, &p.name)?;
            ops.extend(audit.ops(&ctx, Some(&p.name), Value::Null)?);
            write(&ctx, ops).await?;
            Ok(ApiKey {
                name: p.name,
                api_key,
            })
        },
    );
    register_audited(
        module,
        m::USERS_ADD_ACCOUNT,
        |ctx, _c, audit, p| async move {
            let _adding = ADDING.lock().await;
            check_user_limit(&ctx)?;
            if users::get(&ctx.store, &p.name)?.is_some() {
                return Err(users::UserError::Exists(p.name).into());
            }
            let store = ctx.store.clone();
            let (name, role) = (p.name.clone(), p.role);
            let policy = ctx.config().accounts.password_policy();
            let mut ops = blocking(move || {
                Ok(accounts::create_ops(
                    &store,
                    &p.name,
                    &p.password,
                    (role_of(p.role), &policy),
                    now_ms(),
                )?)
            })
            .await?;
            ops.extend(audit.ops(&ctx, Some(&name), json!({ "role": role }))?);
            write(&ctx, ops).await?;
            Ok(Done { ok: true })
        },
    );
    register_audited(module, m::USERS_REMOVE, |ctx, c, audit, p| async move {
        if let Caller::Account { name, .. } = &c {
            if name.eq_ignore_ascii_case(&p.name) {
                return Err(ApiError::Conflict(
                    "you cannot remove your own account".into(),
                ));
            }
        }
        let user_ops = users::remove_ops(&ctx.store, &p.name)?;
        let account_ops = accounts::remove_ops(&ctx.store, &p.name)?;
        let kind = match (&user_ops, &account_ops) {
            (None, None) => return Err(users::UserError::NotFound(p.name).into()),
            (Some(_), None) => "api_user",
            (None, Some(_)) => "account",
            (Some(_), Some(_)) => "api_user and account",
        };
        let mut ops: Vec<Op> = user_ops.into_iter().chain(account_ops).flatten().collect();
        ops.extend(audit.ops(&ctx, Some(&p.name), json!({ "kind": kind }))?);
        write_ending_sessions(&ctx, ops, &p.name).await?;
        Ok(Done { ok: true })
    });
    register_audited(module, m::USERS_UNLOCK, |ctx, _c, audit, p| async move {
        let mut ops = accounts::unlock_ops(&ctx.store, &p.name)?;
        ops.extend(audit.ops(&ctx, Some(&p.name), Value::Null)?);
        write(&ctx, ops).await?;
        Ok(Done { ok: true })
    }); // The administrator hands the one-time password over; the account's next login may only
        // change it (`auth::ONE_TIME_PASSWORD_MAY`). Its sessions end: whoever holds one may be
        // why the password is being reset.
    register_audited(
        module,
        m::USERS_RESET_PASSWORD,
        |ctx, _c, audit, p| async move {
            let store = ctx.store.clone();
            let name = p.name.clone();
            let (password, mut ops) =
                blocking(move || Ok(accounts::reset_password_ops(&store, &name)?)).await?;
            let record = accounts::get(&ctx.store, &p.name)?
                .ok_or_else(|| users::UserError::NotFound(p.name.clone()))?;
            ops.extend(audit.ops(&ctx, Some(&record.name), Value::Null)?);
            write_ending_sessions(&ctx, ops, &record.name).await?;
            tracing::info!(account = %record.name, "password reset to a one-time password");
            Ok(OneTimePassword {
                account: record.name,
                password,
            })
        },
    );
}
