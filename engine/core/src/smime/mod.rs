//! S/MIME signing of outgoing mail (SPEC §6.6, §8; issue 13 part 4).
//!
//! An operator registers a certificate and its private key for a sender address or a whole
//! domain (`smime.add`); every message whose header-From matches (the exact address first,
//! else its domain) is turned, once at intake, into a detached `multipart/signed` message
//! (RFC 8551 §3.5.3) and the signed bytes are what the spool stores, so every retry sends the
//! same bytes and DKIM, applied later at delivery, covers the final body.
//!
//! The signing itself is sans-I/O and lives here: [`Credential`] parses and checks what the
//! operator gives ([`credential`]), [`sign_message`] rebuilds the message ([`mime`]) around a
//! CMS `SignedData` ([`cms`]). Only [`store`] touches RocksDB, and the runtime only calls
//! [`Table::signer_for`] and [`sign_message`] (off the shard's executor thread: an RSA-2048
//! signature costs about a millisecond of CPU).

pub mod cms;
pub mod credential;
pub mod mime;
pub mod store;

pub use credential::{CertSummary, Credential};
pub use mime::{sign_message, Signed};
pub use store::{Entry, Slot, Table};

/// Why a certificate, a key or a message could not be used for S/MIME.
#[derive(Debug, thiserror::Error)]
pub enum SmimeError {
    /// The certificate PEM is unusable (the text says why).
    #[error("certificate_pem: {0}")]
    Certificate(String),
    /// The private key PEM is unusable (the text says why).
    #[error("key_pem: {0}")]
    Key(String),
    /// The certificate is not valid at the time of use.
    #[error("certificate_pem: {0}")]
    Validity(String),
    /// The message cannot be signed as it is (structure, or 8-bit data that cannot be made
    /// 7-bit as RFC 8551 §3.1.2 requires of signed content).
    #[error("message cannot be S/MIME-signed: {0}")]
    Message(String),
    /// The stored entry no longer parses (see [`Slot::Broken`]).
    #[error("the stored S/MIME entry is unusable: {0}")]
    Unusable(String),
    /// The signature or its DER encoding failed.
    #[error("S/MIME signing failed: {0}")]
    Signing(String),
}

impl SmimeError {
    /// Whether the sender should retry later (the operator can fix the credential: an expired
    /// certificate, a key the signer refuses) rather than change the message.
    pub fn is_temporary(&self) -> bool {
        !matches!(self, SmimeError::Message(_))
    }
}

impl From<der::Error> for SmimeError {
    fn from(e: der::Error) -> Self {
        SmimeError::Signing(format!("DER encoding: {e}"))
    }
}

/// Signs `message` with `slot`'s signer at `now_ms`, after checking that its certificate is
/// valid now. `Ok(None)`: store the message as it is (it already is S/MIME).
pub fn sign_with(slot: &Slot, message: &[u8], now_ms: u64) -> Result<Option<Vec<u8>>, SmimeError> {
    match slot {
        Slot::Broken(reason) => Err(SmimeError::Unusable(reason.clone())),
        Slot::Ready(signer) => {
            signer.check_valid_at(now_ms / 1000)?;
            match sign_message(message, signer, now_ms)? {
                Signed::Signed(bytes) => Ok(Some(bytes)),
                Signed::AlreadySmime => Ok(None),
            }
        }
    }
}

/// The SMTP answer when signing fails: mail of a registered sender is never sent unsigned.
/// A message that cannot be made 7-bit is permanent (`554 5.6.3`, the client must change
/// it); a certificate or key problem is for the operator to fix, so the client keeps the
/// message and retries (`451 4.7.0`).
pub fn smtp_reply(e: &SmimeError) -> hikyaku_smtp::Reply {
    if e.is_temporary() {
        hikyaku_smtp::Reply::new(451, Some("4.7.0"), format!("{e}; try again later"))
    } else {
        hikyaku_smtp::Reply::new(554, Some("5.6.3"), e.to_string())
    }
}

#[cfg(test)]
mod tests;
