//! Accounts: the people who administer the engine through RPC and the CLI (SPEC §11).
//!
//! Stored in the admin column family under `account/<lower-case name>`. A login that fails
//! ten times in a row locks the account until a group administrator unlocks it; the counter is
//! written synchronously so a crash or restart does not reset it. With two-factor
//! authentication on ([`totp`]) a login also needs a one-time code, and a missing, wrong or
//! reused code is a failure like a wrong password.
//!
//! Changes are returned as writes (`*_ops`) rather than made here, so that the API writes each
//! one in the same batch as its operation-log record.

pub mod password_policy;
pub mod preferences;
pub mod totp;

use serde::{Deserialize, Serialize};

use crate::storage::{Cf, Op, StorageError, Store};
use crate::users::{hash_password, password_matches, valid_name, UserError};
use password_policy::{PasswordPolicy, PolicyError};
use totp::{CodeRefused, Enrollment, Refusal, TotpRecord};

/// Consecutive failed logins that lock an account.
pub const LOCK_AFTER_FAILURES: u32 = 10;

/// An account's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including accounts and API users.
    GroupAdmin,
    /// Settings, queue and reports.
    ServiceAdmin,
    /// Read-only reports.
    ReportViewer,
}

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRecord {
    /// Name as created.
    pub name: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Consecutive failed logins.
    pub failed_logins: u32,
    /// Locked by failures.
    pub locked: bool,
    /// Creation time, ms since the epoch.
    pub created_ms: u64,
    /// The password is a one-time password from a reset: sessions may only change it.
    #[serde(default)]
    pub must_change_password: bool,
    /// Language of the CLI's messages ("My account").
    #[serde(default)]
    pub language: preferences::Language,
    /// Time zone report days and prohibited hours default to; `None` is UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// One login attempt.
#[derive(Debug, Clone, Copy)]
pub struct LoginAttempt<'a> {
    /// Account name as typed.
    pub name: &'a str,
    /// Password.
    pub password: &'a str,
    /// One-time code, if one was given (empty counts as none).
    pub totp: Option<&'a str>,
    /// Now, ms since the epoch (the code's time step is taken from it).
    pub now_ms: u64,
}

/// Why a login failed (each counts towards the lockout, except an unknown account, which has
/// no counter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// No such account.
    UnknownAccount,
    /// Wrong password.
    WrongPassword,
    /// Right password, but two-factor authentication is on and no code was given.
    CodeMissing,
    /// Right password, wrong one-time code.
    CodeWrong,
    /// Right password, a one-time code already used.
    CodeReused,
}

impl Failure {
    /// Short name for logs and the operation log.
    pub fn as_str(self) -> &'static str {
        match self {
            Failure::UnknownAccount => "unknown_account",
            Failure::WrongPassword => "wrong_password",
            Failure::CodeMissing => "code_missing",
            Failure::CodeWrong => "code_wrong",
            Failure::CodeReused => "code_reused",
        }
    }
}

/// What a login attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Right password (and code), account usable.
    Ok(AccountRecord),
    /// Refused.
    Failed(Failure),
    /// The account is locked (also when this attempt's password was right). `by` is the
    /// failure of this attempt when it was the one that locked it.
    Locked {
        /// This attempt's failure, when it locked the account.
        by: Option<Failure>,
    },
}

fn key(name: &str) -> Vec<u8> {
    format!("account/{}", name.to_ascii_lowercase()).into_bytes()
}

fn put_op(record: &AccountRecord) -> Result<Op, UserError> {
    Ok(Op::Put {
        cf: Cf::Admin,
        key: key(&record.name),
        value: serde_json::to_vec(record).map_err(StorageError::from)?,
    })
}

/// Reads one account.
pub fn get(store: &Store, name: &str) -> Result<Option<AccountRecord>, UserError> {
    match store.get(Cf::Admin, &key(name))? {
        Some(v) => serde_json::from_slice(&v)
            .map(Some)
            .map_err(|_| UserError::Corrupt(name.to_string())),
        None => Ok(None),
    }
}

fn existing(store: &Store, name: &str) -> Result<AccountRecord, UserError> {
    get(store, name)?.ok_or_else(|| UserError::NotFound(name.to_string()))
}

/// The writes creating an account (checked: name, `policy`, not taken).
pub fn create_ops(
    store: &Store,
    name: &str,
    password: &str,
    (role, policy): (Role, &PasswordPolicy),
    now_ms: u64,
) -> Result<Vec<Op>, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_string()));
    }
    policy.check(name, password)?;
    new_account_ops(store, name, password, role, now_ms)
}

fn new_account_ops(
    store: &Store,
    name: &str,
    password: &str,
    role: Role,
    now_ms: u64,
) -> Result<Vec<Op>, UserError> {
    if !valid_name(name) {
        return Err(UserError::BadName(name.to_string()));
    }
    let password_hash = hash_password(password)?;
    if get(store, name)?.is_some() {
        return Err(UserError::Exists(name.to_string()));
    }
    Ok(vec![
        put_op(&AccountRecord {
            name: name.to_string(),
            password_hash,
            role,
            failed_logins: 0,
            locked: false,
            created_ms: now_ms,
            must_change_password: false,
            language: preferences::Language::default(),
            time_zone: None,
        })?,
        // A key left by an earlier account of the same name must not apply to this one.
        totp::delete_op(name),
    ])
}

/// Creates an account (synced write) with only the 8-character floor of a password: the
/// first start's administrator, whose password is random unless the operator chose it
/// (`HIKYAKU_ADMIN_PASSWORD`). Accounts made through the API go through [`create_ops`].
pub fn create(
    store: &Store,
    name: &str,
    password: &str,
    role: Role,
    now_ms: u64,
) -> Result<(), UserError> {
    store.write_ops(&new_account_ops(store, name, password, role, now_ms)?, true)?;
    Ok(())
}

/// Checks a login: the password, then the one-time code when two-factor authentication is on.
/// Returns the outcome and the writes it implies (the failure counter, the lock, the code's
/// step), which the caller makes synchronously — with its own record of the attempt, in the
/// same batch — before answering, so a crash cannot forget a failure.
pub fn login(store: &Store, a: &LoginAttempt<'_>) -> Result<(LoginOutcome, Vec<Op>), UserError> {
    let Some(mut record) = get(store, a.name)? else {
        // Same cost as a real check.
        let _ = password_matches("", a.password);
        return Ok((LoginOutcome::Failed(Failure::UnknownAccount), Vec::new()));
    };
    if record.locked {
        return Ok((LoginOutcome::Locked { by: None }, Vec::new()));
    }
    let mut ops = Vec::new();
    let failure = if !password_matches(&record.password_hash, a.password) {
        Some(Failure::WrongPassword)
    } else {
        match totp::get(store, &record.name)? {
            Some(mut t) if t.enabled => match a.totp.filter(|c| !c.trim().is_empty()) {
                None => Some(Failure::CodeMissing),
                Some(code) => match t.accept(&record.name, code, a.now_ms / 1000) {
                    Ok(()) => {
                        ops.push(t.put_op(&record.name)?);
                        None
                    }
                    Err(Refusal::Code(CodeRefused::Wrong)) => Some(Failure::CodeWrong),
                    Err(Refusal::Code(CodeRefused::Reused)) => Some(Failure::CodeReused),
                    Err(Refusal::Key(e)) => return Err(e.into()),
                },
            },
            _ => None,
        }
    };
    let Some(failure) = failure else {
        if record.failed_logins != 0 {
            record.failed_logins = 0;
            ops.push(put_op(&record)?);
        }
        return Ok((LoginOutcome::Ok(record), ops));
    };
    record.failed_logins = record.failed_logins.saturating_add(1);
    record.locked = record.failed_logins >= LOCK_AFTER_FAILURES;
    ops.push(put_op(&record)?);
    let outcome = if record.locked {
        LoginOutcome::Locked { by: Some(failure) }
    } else {
        LoginOutcome::Failed(failure)
    };
    Ok((outcome, ops))
}

/// The writes unlocking an account and resetting its failure counter.
pub fn unlock_ops(store: &Store, name: &str) -> Result<Vec<Op>, UserError> {
    let mut record = existing(store, name)?;
    record.locked = false;
    record.failed_logins = 0;
    Ok(vec![put_op(&record)?])
}

/// The writes setting a new password (checked against `policy`, and not the current one),
/// after checking the current one; `None` when the current password is wrong. A one-time
/// password is done with then.
pub fn change_password_ops(
    store: &Store,
    name: &str,
    (current, new): (&str, &str),
    policy: &PasswordPolicy,
) -> Result<Option<Vec<Op>>, UserError> {
    let mut record = existing(store, name)?;
    if !password_matches(&record.password_hash, current) {
        return Ok(None);
    }
    if new == current {
        return Err(PolicyError::Unchanged.into());
    }
    policy.check(&record.name, new)?;
    record.password_hash = hash_password(new)?;
    record.must_change_password = false;
    Ok(Some(vec![put_op(&record)?]))
}

/// A group administrator's reset: a random one-time password (returned, shown once) that the
/// account must change at its next login; the account is unlocked too, as a reset usually
/// follows a lockout. Returns the password and the writes.
pub fn reset_password_ops(store: &Store, name: &str) -> Result<(String, Vec<Op>), UserError> {
    let mut record = existing(store, name)?;
    // 20 characters of base64url: 120 random bits, and no character that is hard to type.
    let one_time: String = crate::users::random_token("").chars().take(20).collect();
    record.password_hash = hash_password(&one_time)?;
    record.must_change_password = true;
    record.locked = false;
    record.failed_logins = 0;
    Ok((one_time, vec![put_op(&record)?]))
}

/// The writes deleting an account and its TOTP key; `None` when there is none.
pub fn remove_ops(store: &Store, name: &str) -> Result<Option<Vec<Op>>, UserError> {
    if get(store, name)?.is_none() {
        return Ok(None);
    }
    Ok(Some(vec![
        Op::Delete {
            cf: Cf::Admin,
            key: key(name),
        },
        totp::delete_op(name),
    ]))
}

/// Every account, by name.
pub fn list(store: &Store) -> Result<Vec<AccountRecord>, UserError> {
    let mut out = Vec::new();
    let mut corrupt = None;
    store.scan(Cf::Admin, b"account/", Some(b"account0"), |k, v| {
        match serde_json::from_slice::<AccountRecord>(v) {
            Ok(r) => out.push(r),
            Err(_) => corrupt = Some(String::from_utf8_lossy(k).into_owned()),
        }
        true
    })?;
    match corrupt {
        Some(k) => Err(UserError::Corrupt(k)),
        None => Ok(out),
    }
}

/// Whether logins of `name` need a one-time code.
pub fn two_factor_on(store: &Store, name: &str) -> Result<bool, UserError> {
    Ok(totp::get(store, name)?.is_some_and(|t| t.enabled))
}

/// A new TOTP key for the account `name` (enrolment by the account itself, `force = false`,
/// refused while two-factor authentication is on; re-issue by a group administrator,
/// `force = true`). Two-factor authentication is off until the key is confirmed, and the old
/// key stops working at once. Returns what the user needs and the writes.
pub fn totp_new_key(
    store: &Store,
    name: &str,
    issuer: &str,
    force: bool,
) -> Result<(Enrollment, Vec<Op>), UserError> {
    let record = existing(store, name)?;
    if !force && two_factor_on(store, &record.name)? {
        return Err(UserError::TotpOn(record.name));
    }
    let key = TotpRecord::generate();
    let enrollment = key.enrollment(issuer, &record.name)?;
    Ok((enrollment, vec![key.put_op(&record.name)?]))
}

/// Turns two-factor authentication on for `name` when `code` comes from its enrolled key;
/// `Err(refusal)` inside when the code is wrong or used.
pub fn totp_confirm(
    store: &Store,
    name: &str,
    code: &str,
    now_ms: u64,
) -> Result<Result<Vec<Op>, CodeRefused>, UserError> {
    let record = existing(store, name)?;
    let mut key = match totp::get(store, &record.name)? {
        None => return Err(UserError::TotpNotEnrolled(record.name)),
        Some(k) if k.enabled => return Err(UserError::TotpOn(record.name)),
        Some(k) => k,
    };
    match key.accept(&record.name, code, now_ms / 1000) {
        Ok(()) => {
            key.enabled = true;
            Ok(Ok(vec![key.put_op(&record.name)?]))
        }
        Err(Refusal::Code(c)) => Ok(Err(c)),
        Err(Refusal::Key(e)) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests;
