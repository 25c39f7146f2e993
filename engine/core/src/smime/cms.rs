//! The detached CMS `SignedData` (RFC 5652 §5) of an S/MIME signature: SHA-256 digest,
//! signed attributes (content type, signing time, message digest), the signer's certificate
//! and its chain, one `SignerInfo` identified by issuer and serial number.
//!
//! The ASN.1 types come from the `cms` crate; the signature is ring's (RSA PKCS #1 v1.5 or
//! ECDSA P-256), the same primitives DKIM uses, so no second crypto stack is built.

use std::time::{Duration, UNIX_EPOCH};

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use der::asn1::{ObjectIdentifier, OctetString, SetOfVec};
use der::{Any, Encode};
use x509_cert::attr::Attribute;
use x509_cert::spki::AlgorithmIdentifierOwned;
use x509_cert::time::Time;

use super::credential::{Credential, SigningKey};
use super::SmimeError;

const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ID_SIGNED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.2");
const ID_CONTENT_TYPE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.3");
const ID_MESSAGE_DIGEST: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.4");
const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
const ID_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ECDSA_WITH_SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2");

/// DER of a `ContentInfo` holding a detached `SignedData` over `content` (the exact bytes of
/// the first MIME part), signed at `now_secs`.
pub fn detached_signature(
    content: &[u8],
    signer: &Credential,
    now_secs: u64,
) -> Result<Vec<u8>, SmimeError> {
    let digest = ring::digest::digest(&ring::digest::SHA256, content);
    let signing_time = Time::try_from(UNIX_EPOCH + Duration::from_secs(now_secs))?;
    let signed_attrs: SetOfVec<Attribute> = SetOfVec::try_from(vec![
        attribute(ID_CONTENT_TYPE, Any::encode_from(&ID_DATA)?)?,
        attribute(ID_SIGNING_TIME, Any::encode_from(&signing_time)?)?,
        attribute(
            ID_MESSAGE_DIGEST,
            Any::encode_from(&OctetString::new(digest.as_ref())?)?,
        )?,
    ])?;
    // RFC 5652 §5.4: the signature covers the DER of the attributes as an explicit SET OF,
    // not their [0] IMPLICIT form inside SignerInfo.
    let to_sign = signed_attrs.to_der()?;
    let (signature, signature_algorithm) = sign(signer, &to_sign)?;
    let cert = &signer.chain[0];
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: cert.tbs_certificate.issuer.clone(),
            serial_number: cert.tbs_certificate.serial_number.clone(),
        }),
        digest_alg: sha256(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm,
        signature: OctetString::new(signature)?,
        unsigned_attrs: None,
    };
    let certificates = CertificateSet::try_from(
        signer
            .chain
            .iter()
            .cloned()
            .map(CertificateChoices::Certificate)
            .collect::<Vec<_>>(),
    )?;
    let signed_data = SignedData {
        version: CmsVersion::V1,
        digest_algorithms: SetOfVec::try_from(vec![sha256()])?,
        encap_content_info: EncapsulatedContentInfo {
            econtent_type: ID_DATA,
            econtent: None,
        },
        certificates: Some(certificates),
        crls: None,
        signer_infos: SignerInfos::try_from(vec![signer_info])?,
    };
    let info = ContentInfo {
        content_type: ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data)?,
    };
    Ok(info.to_der()?)
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, SmimeError> {
    Ok(Attribute {
        oid,
        values: SetOfVec::try_from(vec![value])?,
    })
}

/// SHA-256 without parameters (RFC 5754 §2: implementations SHOULD omit them).
fn sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ID_SHA256,
        parameters: None,
    }
}

/// The signature over `data` and the algorithm identifier that names it.
fn sign(
    signer: &Credential,
    data: &[u8],
) -> Result<(Vec<u8>, AlgorithmIdentifierOwned), SmimeError> {
    match &signer.key {
        SigningKey::Rsa(key) => {
            let mut sig = vec![0; key.public().modulus_len()];
            key.sign(
                &ring::signature::RSA_PKCS1_SHA256,
                &signer.rng,
                data,
                &mut sig,
            )
            .map_err(|_| SmimeError::Signing("the RSA signature failed".into()))?;
            // rsaEncryption with NULL parameters, as OpenSSL and most clients write it.
            Ok((
                sig,
                AlgorithmIdentifierOwned {
                    oid: RSA_ENCRYPTION,
                    parameters: Some(Any::from(der::asn1::Null)),
                },
            ))
        }
        SigningKey::EcdsaP256(key) => {
            let sig = key
                .sign(&signer.rng, data)
                .map_err(|_| SmimeError::Signing("the ECDSA signature failed".into()))?;
            Ok((
                sig.as_ref().to_vec(),
                AlgorithmIdentifierOwned {
                    oid: ECDSA_WITH_SHA256,
                    parameters: None,
                },
            ))
        }
    }
}
