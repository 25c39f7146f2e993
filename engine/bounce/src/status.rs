//! The engine's error statuses (SPEC §13.5).

use serde::{Deserialize, Serialize};

/// Why a delivery failed, in the engine's own small vocabulary (SPEC §13.5).
///
/// The numbers are part of the public contract (error log, webhooks, CLI), so
/// they are fixed here rather than derived from the declaration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "u8", try_from = "u8")]
pub enum ErrorStatus {
    /// The recipient domain does not exist or has no usable MX/A.
    UnknownHost = 1,
    /// The mailbox does not exist (or is disabled).
    UnknownUser = 2,
    /// Retried until the resend period ran out.
    ResendTimeout = 3,
    /// Refused by the receiver's policy (spam, reputation, authentication).
    Rejected = 4,
    /// Mailbox or receiving system full.
    OverCapacity = 5,
    /// The receiver forwarded the message and the forward failed.
    ForwardingError = 6,
    /// The receiving server is misconfigured or failing.
    ReceiverError = 7,
    /// The message is too large for the receiver.
    Oversize = 8,
    /// The recipient address is malformed.
    AddressFormat = 9,
    /// Suppressed by the block list.
    Blocked = 10,
    /// Suppressed by the unsubscribe list.
    Unsubscribed = 11,
    /// Any other permanent failure.
    Other = 99,
}

impl ErrorStatus {
    /// Every status, so tools can list and validate them.
    pub const ALL: [ErrorStatus; 12] = [
        ErrorStatus::UnknownHost,
        ErrorStatus::UnknownUser,
        ErrorStatus::ResendTimeout,
        ErrorStatus::Rejected,
        ErrorStatus::OverCapacity,
        ErrorStatus::ForwardingError,
        ErrorStatus::ReceiverError,
        ErrorStatus::Oversize,
        ErrorStatus::AddressFormat,
        ErrorStatus::Blocked,
        ErrorStatus::Unsubscribed,
        ErrorStatus::Other,
    ];

    /// The stable number stored in logs and shown to users.
    pub fn as_u8(self) -> u8 {
        self as u8
    }

    /// Maps a stored number back; `None` for numbers the SPEC does not define,
    /// so corrupt settings or rule files are rejected instead of guessed.
    pub fn from_u8(n: u8) -> Option<ErrorStatus> {
        ErrorStatus::ALL.iter().copied().find(|s| s.as_u8() == n)
    }

    /// The short English reason of SPEC §13.5, for humans and JSON output.
    pub fn reason(self) -> &'static str {
        match self {
            ErrorStatus::UnknownHost => "unknown host",
            ErrorStatus::UnknownUser => "unknown user",
            ErrorStatus::ResendTimeout => "resend timeout",
            ErrorStatus::Rejected => "receipt rejection",
            ErrorStatus::OverCapacity => "over capacity",
            ErrorStatus::ForwardingError => "forwarding error",
            ErrorStatus::ReceiverError => "receiving server error",
            ErrorStatus::Oversize => "oversize",
            ErrorStatus::AddressFormat => "address format error",
            ErrorStatus::Blocked => "blocked address",
            ErrorStatus::Unsubscribed => "unsubscribed",
            ErrorStatus::Other => "other",
        }
    }
}

impl From<ErrorStatus> for u8 {
    fn from(s: ErrorStatus) -> u8 {
        s.as_u8()
    }
}

impl TryFrom<u8> for ErrorStatus {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, Self::Error> {
        ErrorStatus::from_u8(n).ok_or_else(|| format!("unknown error status {n}"))
    }
}

impl std::fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.as_u8(), self.reason())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for s in ErrorStatus::ALL {
            assert_eq!(ErrorStatus::from_u8(s.as_u8()), Some(s));
        }
        assert_eq!(ErrorStatus::from_u8(12), None);
        assert_eq!(ErrorStatus::Other.as_u8(), 99);
    }
}
