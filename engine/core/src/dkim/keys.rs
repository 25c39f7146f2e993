//! Generating DKIM key pairs. ring signs with RSA and Ed25519 but cannot generate RSA keys, so
//! RSA-2048 keys come from the `rsa` crate (once per key; a few hundred milliseconds) and are
//! kept as PKCS #8, which ring loads for signing. The public half is published as the
//! SubjectPublicKeyInfo (what `openssl rsa -pubout` prints and every DKIM guide shows), or, for
//! Ed25519, as the raw 32-byte key (RFC 8463 §4.2).

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ring::signature::{Ed25519KeyPair, KeyPair};
use rsa::pkcs8::{EncodePrivateKey, EncodePublicKey};

use super::Algorithm;

/// Why a key could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum KeyGenError {
    /// The random source or the encoder failed.
    #[error("generating the {algorithm} key: {reason}")]
    Failed {
        /// Which algorithm.
        algorithm: &'static str,
        /// What failed.
        reason: String,
    },
}

/// A new key pair: the private key (PKCS #8 DER) and the public key as it goes into `p=`.
pub struct GeneratedKey {
    /// PKCS #8 DER of the private key.
    pub private_pkcs8: Vec<u8>,
    /// base64 of the public key for the `p=` tag.
    pub public_key: String,
}

/// Generates a key pair for `algorithm`.
pub fn generate(algorithm: Algorithm) -> Result<GeneratedKey, KeyGenError> {
    let fail = |reason: String| KeyGenError::Failed {
        algorithm: algorithm.name(),
        reason,
    };
    match algorithm {
        Algorithm::Rsa2048 => {
            let private = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
                .map_err(|e| fail(e.to_string()))?;
            let pkcs8 = private.to_pkcs8_der().map_err(|e| fail(e.to_string()))?;
            let spki = private
                .to_public_key()
                .to_public_key_der()
                .map_err(|e| fail(e.to_string()))?;
            Ok(GeneratedKey {
                private_pkcs8: pkcs8.as_bytes().to_vec(),
                public_key: B64.encode(spki.as_bytes()),
            })
        }
        Algorithm::Ed25519 => {
            let rng = ring::rand::SystemRandom::new();
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|e| fail(e.to_string()))?;
            let pair =
                Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|e| fail(e.to_string()))?;
            Ok(GeneratedKey {
                private_pkcs8: pkcs8.as_ref().to_vec(),
                public_key: B64.encode(pair.public_key().as_ref()),
            })
        }
    }
}

/// An active key of `algorithm` for `domain` and `selector`, freshly generated (tests of the
/// modules that sign or verify).
#[cfg(test)]
pub(crate) fn test_key(domain: &str, selector: &str, algorithm: Algorithm) -> super::DkimKey {
    #[allow(clippy::expect_used)]
    let g = generate(algorithm).expect("key generation");
    super::DkimKey {
        domain: domain.into(),
        selector: selector.into(),
        algorithm,
        private_pkcs8: B64.encode(&g.private_pkcs8),
        public_key: g.public_key,
        state: super::KeyState::Active,
        created_ms: 0,
        activated_ms: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ed25519_keys_load_in_ring_and_publish_32_bytes() {
        let k = generate(Algorithm::Ed25519).unwrap();
        assert!(Ed25519KeyPair::from_pkcs8(&k.private_pkcs8).is_ok());
        assert_eq!(B64.decode(&k.public_key).unwrap().len(), 32);
    }

    #[test]
    fn rsa_keys_load_in_ring_and_publish_an_spki() {
        let k = generate(Algorithm::Rsa2048).unwrap();
        let pair = ring::signature::RsaKeyPair::from_pkcs8(&k.private_pkcs8).unwrap();
        assert_eq!(pair.public().modulus_len(), 256);
        let spki = B64.decode(&k.public_key).unwrap();
        // SEQUENCE { SEQUENCE { rsaEncryption OID, NULL }, BIT STRING { RSAPublicKey } }
        assert_eq!(&spki[..4], &[0x30, 0x82, 0x01, 0x22]);
        assert_eq!(spki.len(), 294);
    }
}
