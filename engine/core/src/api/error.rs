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

impl ApiError {
    /// A parameter object that did not deserialize: serde's message with the dotted path of
    /// the value it stopped at (`to`, `attachments[0].content`), so that a wrong type names
    /// its field as a missing or unknown one already does. `text` is what was parsed.
    pub(crate) fn from_params(text: &str, e: &serde_json::Error) -> Self {
        let path = offset_of(text, e.line(), e.column()).and_then(|at| path_at(text, at));
        match path {
            Some(field) => ApiError::Invalid {
                field,
                message: format!("invalid params: {e}"),
            },
            None => ApiError::Params(format!("invalid params: {e}")),
        }
    }
}

/// Byte offset of serde_json's 1-based line and column (the byte the error was found at).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start: usize = text
        .split_inclusive('\n')
        .take(line.checked_sub(1)?)
        .map(str::len)
        .sum();
    Some((start + column).min(text.len()))
}

/// One open container while scanning JSON text.
enum Open {
    /// An object and the key whose value is being read, if any.
    Object(Option<String>),
    /// An array and the index of the element being read.
    Array(usize),
}

/// The dotted path of the value that `text[..at]` stops inside, or `None` at the top level.
/// A plain scan (strings and brackets only): the text need not be valid JSON past `at`.
fn path_at(text: &str, at: usize) -> Option<String> {
    let bytes = text.as_bytes().get(..at)?;
    let mut stack: Vec<Open> = Vec::new();
    let mut last_string: Option<String> = None;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                let end = string_end(bytes, i + 1);
                last_string = text.get(i + 1..end).map(str::to_string);
                i = end;
            }
            b'{' => stack.push(Open::Object(None)),
            b'[' => stack.push(Open::Array(0)),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(Open::Object(key)) = stack.last_mut() {
                    *key = last_string.take();
                }
            }
            b',' => match stack.last_mut() {
                Some(Open::Array(n)) => *n += 1,
                Some(Open::Object(key)) => *key = None,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    let mut path = String::new();
    for open in &stack {
        match open {
            Open::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Open::Object(None) => break,
            Open::Array(n) => path.push_str(&format!("[{n}]")),
        }
    }
    (!path.is_empty() && !path.starts_with('[')).then_some(path)
}

/// Index of the closing quote of a string whose content starts at `from` (or the end).
fn string_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(&b) = bytes.get(from) {
        match b {
            b'\\' => from += 2,
            b'"' => return from,
            _ => from += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(text: &str) -> Option<String> {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct P {
            to: Vec<String>,
            subject: String,
            #[serde(default)]
            attachments: Vec<A>,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct A {
            name: String,
            size: u32,
        }
        let e = serde_json::from_str::<P>(text).unwrap_err();
        match ApiError::from_params(text, &e) {
            ApiError::Invalid { field, message } => {
                assert!(message.starts_with("invalid params: "), "{message}");
                Some(field)
            }
            _ => None,
        }
    }

    #[test]
    fn wrong_types_name_their_field() {
        assert_eq!(
            field_of(r#"{"to": 5, "subject": "s"}"#).as_deref(),
            Some("to")
        );
        assert_eq!(
            field_of(r#"{"to": ["a", 7], "subject": "s"}"#).as_deref(),
            Some("to[1]")
        );
        assert_eq!(
            field_of("{\"to\": [],\n \"subject\": {\"x\": \"a\\\"b\"}}").as_deref(),
            Some("subject")
        );
        assert_eq!(
            field_of(
                r#"{"to": [], "subject": "s", "attachments": [{"name": "n", "size": "big"}]}"#
            )
            .as_deref(),
            Some("attachments[0].size")
        );
    }

    #[test]
    fn top_level_errors_keep_serde_s_message() {
        // A missing field is named by serde itself; there is no value to point at.
        assert_eq!(field_of(r#"{"subject": "s"}"#), None);
        let e = serde_json::from_str::<u32>("[1]").unwrap_err();
        assert!(matches!(
            ApiError::from_params("[1]", &e),
            ApiError::Params(_)
        ));
    }
}
