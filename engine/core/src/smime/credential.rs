//! A signer's certificate chain and private key, parsed and checked once (at `smime.add`, and
//! when the table is loaded at start) so that signing a message only signs.

use std::time::Duration;

use der::asn1::ObjectIdentifier;
use der::Encode;
use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, RsaKeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use x509_cert::ext::pkix::{ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::Certificate;

use super::SmimeError;

/// id-kp-emailProtection (RFC 5280): the extended key usage S/MIME verifiers look for.
const EMAIL_PROTECTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");
/// anyExtendedKeyUsage (RFC 5280).
const ANY_EKU: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37.0");
/// id-ecPublicKey and the P-256 curve, to wrap a SEC1 key into PKCS #8 for ring.
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

/// The private key, in the form ring signs with.
#[derive(Debug)]
pub(crate) enum SigningKey {
    /// RSA, signed PKCS #1 v1.5 with SHA-256.
    Rsa(RsaKeyPair),
    /// ECDSA on P-256 with SHA-256, DER signature.
    EcdsaP256(EcdsaKeyPair),
}

/// What `smime.list` shows of a certificate (never the key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertSummary {
    /// Subject distinguished name (RFC 4514 text).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    /// Serial number, hex.
    pub serial: String,
    /// Start of validity, seconds since the epoch.
    pub not_before_secs: u64,
    /// End of validity, seconds since the epoch.
    pub not_after_secs: u64,
    /// SHA-256 of the certificate's DER, hex.
    pub fingerprint_sha256: String,
    /// `rsa-2048`, `ecdsa-p256`, …
    pub key_algorithm: String,
    /// Further certificates sent along (the chain).
    pub chain_certificates: usize,
}

/// A usable signer: its certificate first, the chain after it, and the matching key.
#[derive(Debug)]
pub struct Credential {
    pub(crate) chain: Vec<Certificate>,
    pub(crate) key: SigningKey,
    pub(crate) summary: CertSummary,
    pub(crate) rng: SystemRandom,
}

impl Credential {
    /// Parses `certificate_pem` (the signer certificate, optionally followed or preceded by
    /// chain certificates) and `key_pem` (PKCS #8, PKCS #1 RSA or SEC1 P-256, unencrypted),
    /// and checks that the key belongs to one of the certificates and that this certificate
    /// may sign mail. Every error names the field at fault. Validity in time is
    /// [`Credential::check_valid_at`]'s business: a stored entry whose certificate expired
    /// must still load, so that its mail is refused rather than sent unsigned.
    pub fn parse(certificate_pem: &str, key_pem: &str) -> Result<Self, SmimeError> {
        let certs = Certificate::load_pem_chain(certificate_pem.trim().as_bytes())
            .map_err(|e| SmimeError::Certificate(format!("not a PEM certificate chain ({e})")))?;
        if certs.is_empty() {
            return Err(SmimeError::Certificate("no certificate found".into()));
        }
        let key = parse_key(key_pem)?;
        let public = match &key {
            SigningKey::Rsa(k) => k.public().as_ref().to_vec(),
            SigningKey::EcdsaP256(k) => k.public_key().as_ref().to_vec(),
        };
        let position = certs
            .iter()
            .position(|c| {
                c.tbs_certificate
                    .subject_public_key_info
                    .subject_public_key
                    .raw_bytes()
                    == public.as_slice()
            })
            .ok_or_else(|| {
                SmimeError::Key("does not match the public key of any certificate given".into())
            })?;
        let mut chain = certs;
        let signer = chain.remove(position);
        chain.insert(0, signer);
        check_usage(&chain[0])?;
        let summary = summarize(&chain[0], &key, chain.len() - 1)?;
        Ok(Self {
            chain,
            key,
            summary,
            rng: SystemRandom::new(),
        })
    }

    /// The signer certificate's facts.
    pub fn summary(&self) -> &CertSummary {
        &self.summary
    }

    /// `Err` if the certificate is not valid at `now_secs` (checked again for every message:
    /// a certificate registered last year may have expired since).
    pub fn check_valid_at(&self, now_secs: u64) -> Result<(), SmimeError> {
        check_validity(&self.summary, now_secs)
    }
}

fn parse_key(key_pem: &str) -> Result<SigningKey, SmimeError> {
    let (label, der) = der::pem::decode_vec(key_pem.trim().as_bytes())
        .map_err(|e| SmimeError::Key(format!("not a PEM private key ({e})")))?;
    match label {
        "PRIVATE KEY" => {
            if let Ok(k) = RsaKeyPair::from_pkcs8(&der) {
                return Ok(SigningKey::Rsa(k));
            }
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &der, &SystemRandom::new())
                .map(SigningKey::EcdsaP256)
                .map_err(|e| {
                    SmimeError::Key(format!(
                        "PKCS #8 key is neither RSA (2048-8192 bits) nor ECDSA P-256 ({e})"
                    ))
                })
        }
        "RSA PRIVATE KEY" => RsaKeyPair::from_der(&der)
            .map(SigningKey::Rsa)
            .map_err(|e| SmimeError::Key(format!("RSA key refused ({e}); 2048-8192 bits"))),
        "EC PRIVATE KEY" => {
            let pkcs8 = sec1_to_pkcs8(&der)?;
            EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &pkcs8, &SystemRandom::new())
                .map(SigningKey::EcdsaP256)
                .map_err(|e| SmimeError::Key(format!("EC key refused ({e}); only P-256 is supported")))
        }
        "ENCRYPTED PRIVATE KEY" => Err(SmimeError::Key(
            "encrypted keys are not supported; give it unencrypted (openssl pkey -in KEY -out PLAIN)"
                .into(),
        )),
        other => Err(SmimeError::Key(format!(
            "unexpected PEM label {other:?}; expected PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY"
        ))),
    }
}

/// Wraps a SEC1 `ECPrivateKey` (what `openssl ecparam -genkey` writes) into the PKCS #8
/// `PrivateKeyInfo` ring reads: version 0, {id-ecPublicKey, prime256v1}, the SEC1 bytes.
fn sec1_to_pkcs8(sec1: &[u8]) -> Result<Vec<u8>, SmimeError> {
    let algorithm = x509_cert::spki::AlgorithmIdentifierOwned {
        oid: EC_PUBLIC_KEY,
        parameters: Some(der::Any::from(PRIME256V1)),
    };
    let info = (
        0u8,
        algorithm,
        der::asn1::OctetString::new(sec1.to_vec())
            .map_err(|e| SmimeError::Key(format!("EC key: {e}")))?,
    );
    encode_sequence(&info)
}

/// DER of SEQUENCE { fields... } for a tuple of encodable values.
fn encode_sequence(
    fields: &(
        u8,
        x509_cert::spki::AlgorithmIdentifierOwned,
        der::asn1::OctetString,
    ),
) -> Result<Vec<u8>, SmimeError> {
    let mut body = Vec::new();
    fields
        .0
        .encode_to_vec(&mut body)
        .and_then(|_| fields.1.encode_to_vec(&mut body))
        .and_then(|_| fields.2.encode_to_vec(&mut body))
        .map_err(|e| SmimeError::Key(format!("EC key: {e}")))?;
    let header = der::Header::new(der::Tag::Sequence, body.len())
        .map_err(|e| SmimeError::Key(format!("EC key: {e}")))?;
    let mut out = Vec::with_capacity(body.len() + 4);
    header
        .encode_to_vec(&mut out)
        .map_err(|e| SmimeError::Key(format!("EC key: {e}")))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// A certificate whose key usage or extended key usage excludes mail signing is refused now:
/// `openssl smime -verify` and mail clients would reject every message signed with it.
fn check_usage(cert: &Certificate) -> Result<(), SmimeError> {
    let tbs = &cert.tbs_certificate;
    if let Some((_, KeyUsage(usage))) = tbs
        .get::<KeyUsage>()
        .map_err(|e| SmimeError::Certificate(format!("keyUsage extension: {e}")))?
    {
        if !usage.contains(KeyUsages::DigitalSignature)
            && !usage.contains(KeyUsages::NonRepudiation)
        {
            return Err(SmimeError::Certificate(
                "its keyUsage allows neither digitalSignature nor nonRepudiation".into(),
            ));
        }
    }
    if let Some((_, ExtendedKeyUsage(purposes))) = tbs
        .get::<ExtendedKeyUsage>()
        .map_err(|e| SmimeError::Certificate(format!("extendedKeyUsage extension: {e}")))?
    {
        if !purposes
            .iter()
            .any(|p| *p == EMAIL_PROTECTION || *p == ANY_EKU)
        {
            return Err(SmimeError::Certificate(
                "its extendedKeyUsage lacks emailProtection".into(),
            ));
        }
    }
    Ok(())
}

fn summarize(
    cert: &Certificate,
    key: &SigningKey,
    chain: usize,
) -> Result<CertSummary, SmimeError> {
    let tbs = &cert.tbs_certificate;
    let der = cert
        .to_der()
        .map_err(|e| SmimeError::Certificate(format!("re-encoding: {e}")))?;
    let fingerprint = ring::digest::digest(&ring::digest::SHA256, &der);
    Ok(CertSummary {
        subject: tbs.subject.to_string(),
        issuer: tbs.issuer.to_string(),
        serial: hex(tbs.serial_number.as_bytes()),
        not_before_secs: secs(tbs.validity.not_before.to_unix_duration()),
        not_after_secs: secs(tbs.validity.not_after.to_unix_duration()),
        fingerprint_sha256: hex(fingerprint.as_ref()),
        key_algorithm: match key {
            SigningKey::Rsa(k) => format!("rsa-{}", k.public().modulus_len() * 8),
            SigningKey::EcdsaP256(_) => "ecdsa-p256".into(),
        },
        chain_certificates: chain,
    })
}

fn check_validity(s: &CertSummary, now_secs: u64) -> Result<(), SmimeError> {
    if now_secs < s.not_before_secs {
        return Err(SmimeError::Validity(format!(
            "certificate {:?} is not valid before {}",
            s.subject,
            crate::intake::rfc5322_date(s.not_before_secs.saturating_mul(1000))
        )));
    }
    if now_secs > s.not_after_secs {
        return Err(SmimeError::Validity(format!(
            "certificate {:?} expired on {}",
            s.subject,
            crate::intake::rfc5322_date(s.not_after_secs.saturating_mul(1000))
        )));
    }
    Ok(())
}

fn secs(d: Duration) -> u64 {
    d.as_secs()
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
