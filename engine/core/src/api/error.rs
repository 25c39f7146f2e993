//! API errors and their JSON-RPC codes.

use hikyaku_rpc::errors;
use jsonrpsee::types::ErrorObjectOwned;

/// Why a call failed. Every variant's message is shown to the caller as is, so it names the
/// field, value or rule involved.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Bad parameters.
    #[error("{field}: {message}")]
    Invalid {
        /// Dotted name of the offending parameter.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// The parameters are not a JSON object matching the method's schema.
    #[error("{0}")]
    Params(String),
    /// Missing or unknown credential.
    #[error("{0}")]
    Unauthenticated(String),
    /// The credential may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The connection IP is not on `rpc.allowed_ips`.
    #[error("connections from {0} are not allowed (rpc.allowed_ips)")]
    IpNotAllowed(std::net::IpAddr),
    /// Rate limit.
    #[error("rate limit of {0} calls per second exceeded; retry later")]
    RateLimited(u32),
    /// Account locked.
    #[error(
        "account {0:?} is locked after 10 failed logins; a group administrator must unlock it"
    )]
    Locked(String),
    /// Unknown object.
    #[error("{0}")]
    NotFound(String),
    /// Conflicting state.
    #[error("{0}")]
    Conflict(String),
    /// Storage or shard failure.
    #[error("{0}")]
    Unavailable(String),
}

impl ApiError {
    /// Shorthand for [`ApiError::Invalid`].
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            field: field.into(),
            message: message.into(),
        }
    }

    fn code(&self) -> i32 {
        match self {
            ApiError::Invalid { .. } | ApiError::Params(_) => errors::INVALID_PARAMS,
            ApiError::Unauthenticated(_) => errors::UNAUTHENTICATED,
            ApiError::Forbidden(_) => errors::FORBIDDEN,
            ApiError::IpNotAllowed(_) => errors::IP_NOT_ALLOWED,
            ApiError::RateLimited(_) => errors::RATE_LIMITED,
            ApiError::Locked(_) => errors::ACCOUNT_LOCKED,
            ApiError::NotFound(_) => errors::NOT_FOUND,
            ApiError::Conflict(_) => errors::CONFLICT,
            ApiError::Unavailable(_) => errors::UNAVAILABLE,
        }
    }
}

impl From<ApiError> for ErrorObjectOwned {
    fn from(e: ApiError) -> Self {
        let data = match &e {
            ApiError::Invalid { field, .. } => Some(serde_json::json!({ "field": field })),
            _ => None,
        };
        ErrorObjectOwned::owned(e.code(), e.to_string(), data)
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        tracing::error!(error = %e, "storage failure in an API call");
        ApiError::Unavailable(format!("storage failure: {e}"))
    }
}

impl From<crate::users::UserError> for ApiError {
    fn from(e: crate::users::UserError) -> Self {
        use crate::users::UserError as U;
        match e {
            U::BadName(_) => ApiError::invalid("name", e.to_string()),
            U::WeakPassword => ApiError::invalid("password", e.to_string()),
            U::Policy(_) => ApiError::invalid("password", e.to_string()),
            U::Exists(_) => ApiError::Conflict(e.to_string()),
            U::NotFound(_) => ApiError::NotFound(e.to_string()),
            U::Limit { .. } => ApiError::Conflict(e.to_string()),
            U::Storage(s) => s.into(),
            U::TotpOn(_) => ApiError::Conflict(e.to_string()),
            U::TotpNotEnrolled(_) => ApiError::Conflict(e.to_string()),
            U::Hash(_) | U::Corrupt(_) | U::Totp(_) => ApiError::Unavailable(e.to_string()),
        }
    }
}

impl From<crate::control::ControlError> for ApiError {
    fn from(e: crate::control::ControlError) -> Self {
        ApiError::Unavailable(e.to_string())
    }
}
