//! `users.*`: API users, accounts and sessions (SPEC §11).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An account's role.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including accounts and API users.
    GroupAdmin,
    /// Settings, queue and reports.
    ServiceAdmin,
    /// Read-only reports.
    ReportViewer,
}

/// `users.login`: exchange an account's password (and, with two-factor authentication on,
/// a one-time code) for a session token.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Login {
    /// Account name.
    pub account: String,
    /// Password.
    pub password: String,
    /// The current 6-digit code of the account's authenticator (RFC 6238), required once
    /// two-factor authentication is on; a missing or wrong code counts as a failed login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub totp: Option<String>,
}

/// A session: send `Authorization: Bearer <token>` until it expires.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct Session {
    /// Bearer token.
    pub token: String,
    /// Expiry (RFC 3339).
    pub expires: String,
    /// Account name.
    pub account: String,
    /// Its role.
    pub role: Role,
    /// The password is a one-time password from `users.reset_password`: this session may
    /// only call `users.change_password` (and `whoami`, `logout`) until it is changed.
    #[serde(default)]
    pub must_change_password: bool,
    /// The account's language, for clients that print messages (the CLI saves it).
    #[serde(default)]
    pub language: Language,
    /// The account's time zone (IANA name or offset); reports and prohibited hours default to
    /// it. `None` means UTC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// The language an account reads the CLI in (SPEC §11 "My account").
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English (the default).
    #[default]
    En,
    /// Japanese.
    Ja,
}

/// `users.update_me`: the calling account's own preferences; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UpdateMe {
    /// `ja` or `en`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
    /// IANA time zone (`Asia/Tokyo`), an offset (`+09:00`), or `UTC`. Report days
    /// (`stats.daily`, `stats.graph`) and prohibited hours set without a time zone use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// The calling account's preferences, as stored.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct MyAccount {
    /// Account name.
    pub account: String,
    /// Its role.
    pub role: Role,
    /// Language of the CLI's messages.
    pub language: Language,
    /// Time zone (`None`: UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
}

/// What kind of credential made the call.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Identity {
    /// An API user's key.
    ApiUser {
        /// Name.
        name: String,
        /// May send.
        send: bool,
        /// May use the transactional API (own data only).
        transactional: bool,
    },
    /// An account's session.
    Account {
        /// Name.
        name: String,
        /// Role.
        role: Role,
        /// Language of the CLI's messages.
        #[serde(default)]
        language: Language,
        /// Time zone (`None`: UTC).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        time_zone: Option<String>,
        /// The password is a one-time password that must be changed before anything else.
        #[serde(default)]
        must_change_password: bool,
    },
}

/// An API user as listed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ApiUserInfo {
    /// Name (also the SMTP AUTH user name).
    pub name: String,
    /// May send.
    pub send: bool,
    /// May use the transactional API.
    pub transactional: bool,
    /// Has an API key (users created with `hikyakud user add` may have only a password).
    pub has_api_key: bool,
    /// Has an SMTP AUTH password.
    pub has_password: bool,
    /// Creation time (RFC 3339).
    pub created: String,
}

/// An account as listed.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct AccountInfo {
    /// Name.
    pub name: String,
    /// Role.
    pub role: Role,
    /// Locked after too many failed logins.
    pub locked: bool,
    /// Consecutive failed logins.
    pub failed_logins: u32,
    /// Two-factor authentication (TOTP) is on: logins need a one-time code.
    #[serde(default)]
    pub two_factor: bool,
    /// The password was reset and must be changed at the next login.
    #[serde(default)]
    pub must_change_password: bool,
    /// Creation time (RFC 3339).
    pub created: String,
}

/// Result of `users.list`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct UserList {
    /// API users.
    pub api_users: Vec<ApiUserInfo>,
    /// Accounts.
    pub accounts: Vec<AccountInfo>,
}

/// `users.add_api_user`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AddApiUser {
    /// Name: 1–64 letters, digits, `.`, `_`, `-`, `@`.
    pub name: String,
    /// SMTP AUTH password (at least 8 characters); none means the user cannot use SMTP AUTH.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// Sending right (default true).
    #[serde(default = "yes")]
    pub send: bool,
    /// Transactional-API right (default true).
    #[serde(default = "yes")]
    pub transactional: bool,
}

fn yes() -> bool {
    true
}

/// A new API key; shown once, stored only as a hash.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct ApiKey {
    /// API user name.
    pub name: String,
    /// The key, for `Authorization: Bearer` (and `HIKYAKU_KEY`).
    pub api_key: String,
}

/// `users.add_account`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct AddAccount {
    /// Name: 1–64 letters, digits, `.`, `_`, `-`, `@`.
    pub name: String,
    /// Password: at least `accounts.password_min_length` characters (12), not a common
    /// password, not the account's name.
    pub password: String,
    /// Role.
    pub role: Role,
}

/// Names one API user or account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct UserName {
    /// Name.
    pub name: String,
}

/// A one-time password from `users.reset_password`; shown once, to be changed at first login.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct OneTimePassword {
    /// The account.
    pub account: String,
    /// The password.
    pub password: String,
}

/// `users.change_password`: the caller's own account password.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// Current password.
    pub current: String,
    /// New password: at least `accounts.password_min_length` characters (12), not a common
    /// password, not the account's name, not the current one.
    pub new: String,
}

/// A TOTP key (RFC 6238: SHA-1, 6 digits, 30-second steps) waiting for confirmation: load it
/// into an authenticator app, then call `users.totp_confirm` with a code it shows.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
pub struct TotpEnrollment {
    /// The account the key belongs to.
    pub account: String,
    /// `otpauth://totp/...` URI (what a QR code for the app encodes).
    pub uri: String,
    /// The same key in base32, for typing into an app by hand.
    pub secret: String,
}

/// `users.totp_confirm`: a code from the authenticator, proving it holds the enrolled key.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TotpCode {
    /// The 6-digit code shown now.
    pub code: String,
}
