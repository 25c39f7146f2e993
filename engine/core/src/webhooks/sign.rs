//! Standard Webhooks signing (<https://www.standardwebhooks.com/>), without I/O.
//!
//! The secret is `whsec_` + base64 of 32 random bytes; the HMAC-SHA256 key is the decoded
//! bytes. The signed content is `"{webhook-id}.{webhook-timestamp}.{body}"` and the header
//! value `v1,<base64 MAC>`, so any Standard Webhooks library verifies our POSTs.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

/// Prefix of a secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// Signing failures.
#[derive(Debug, thiserror::Error)]
pub enum SignError {
    /// The stored secret is not `whsec_` + base64.
    #[error("the endpoint's secret is not whsec_ + base64")]
    BadSecret,
    /// The system random generator failed.
    #[error("the system random generator failed")]
    Random,
}

/// A new secret.
pub fn new_secret() -> Result<String, SignError> {
    let mut bytes = [0u8; 32];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| SignError::Random)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes)))
}

/// The HMAC key of a secret.
pub fn key_of(secret: &str) -> Result<hmac::Key, SignError> {
    let b64 = secret
        .strip_prefix(SECRET_PREFIX)
        .ok_or(SignError::BadSecret)?;
    let raw = STANDARD.decode(b64).map_err(|_| SignError::BadSecret)?;
    Ok(hmac::Key::new(hmac::HMAC_SHA256, &raw))
}

/// The `webhook-signature` header value for one POST.
pub fn signature(key: &hmac::Key, id: &str, timestamp: u64, body: &[u8]) -> String {
    let mut ctx = hmac::Context::with_key(key);
    ctx.update(id.as_bytes());
    ctx.update(b".");
    ctx.update(timestamp.to_string().as_bytes());
    ctx.update(b".");
    ctx.update(body);
    format!("v1,{}", STANDARD.encode(ctx.sign().as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The test vector of the Standard Webhooks reference libraries (their `webhook_test`):
    /// secret, id, timestamp and payload give this signature.
    #[test]
    fn reference_vector() {
        let key = key_of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let sig = signature(
            &key,
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1_614_265_330,
            br#"{"test": 2432232314}"#,
        );
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn secrets_are_fresh_and_usable() {
        let a = new_secret().unwrap();
        let b = new_secret().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(SECRET_PREFIX));
        assert_eq!(STANDARD.decode(&a[6..]).unwrap().len(), 32);
        assert!(key_of(&a).is_ok());
        assert!(matches!(key_of("nope"), Err(SignError::BadSecret)));
        assert!(matches!(key_of("whsec_!!"), Err(SignError::BadSecret)));
    }
}
