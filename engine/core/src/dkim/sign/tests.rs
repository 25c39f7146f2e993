//! Signatures made here are checked by mail-auth's verifier (through a real resolver asking
//! the project's test DNS server for the published record), RSA and Ed25519; changing a signed
//! header or the body must break them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use mail_auth::{AuthenticatedMessage, DkimResult, MessageAuthenticator};

use super::MessageSigner;
use crate::dkim::{Algorithm, DkimKey};

const MESSAGE: &[u8] = b"From: Shop <news@shop.test>\r\nTo: a@dest.test\r\nSubject: Hello\r\nDate: Tue, 1 Dec 2026 10:00:00 +0000\r\nMessage-ID: <1@shop.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nbody line one\r\n\r\n\r\n";

fn key(algorithm: Algorithm) -> DkimKey {
    crate::dkim::keys::test_key("shop.test", "s1", algorithm)
}

/// mail-auth's verdicts for `message`, with `key`'s record published by a test DNS server.
fn verify(key: &DkimKey, message: &[u8]) -> Vec<DkimResult> {
    let zone = hikyaku_dns::Zone::new().txt(&key.record_name(), &key.record_value());
    let dns = hikyaku_dns::TestDns::start(zone).unwrap();
    let config = hikyaku_dns::resolver_config_for(&[dns.addr()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let auth = MessageAuthenticator::new(config, Default::default()).unwrap();
        let parsed = AuthenticatedMessage::parse(message).unwrap();
        auth.verify_dkim(&parsed)
            .await
            .iter()
            .map(|o| o.result().clone())
            .collect()
    })
}

fn signed(signer: &MessageSigner, prefix: &[u8], message: &[u8]) -> Vec<u8> {
    let header = signer.sign(&[prefix, message]).unwrap();
    [header.as_slice(), prefix, message].concat()
}

#[test]
fn rsa_and_ed25519_signatures_verify_and_break_when_tampered() {
    for algorithm in [Algorithm::Rsa2048, Algorithm::Ed25519] {
        let key = key(algorithm);
        let signer = MessageSigner::new(&key).unwrap();
        let prefix = b"List-Unsubscribe: <https://u.shop.test/u/T>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
        let message = signed(&signer, prefix, MESSAGE);
        let text = String::from_utf8_lossy(&message).to_string();
        assert!(text.starts_with("DKIM-Signature: "), "{text}");
        assert!(text.contains("c=relaxed/relaxed"), "{text}");
        assert!(!text.contains(" l="), "{text}");
        let h: String = text
            .split("h=")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        for name in [
            "From",
            "To",
            "Subject",
            "Date",
            "Message-ID",
            "MIME-Version",
            "Content-Type",
            "List-Unsubscribe",
            "List-Unsubscribe-Post",
        ] {
            assert!(
                h.split(':').any(|x| x.eq_ignore_ascii_case(name)),
                "{name} not in h={h}"
            );
        }
        assert_eq!(
            verify(&key, &message),
            vec![DkimResult::Pass],
            "{algorithm:?}"
        );

        let tampered = text.replace("Subject: Hello", "Subject: Hellp");
        assert_ne!(verify(&key, tampered.as_bytes()), vec![DkimResult::Pass]);
        let tampered = text.replace("body line one", "body line 1");
        assert_ne!(verify(&key, tampered.as_bytes()), vec![DkimResult::Pass]);
        // Relaxed canonicalisation: trailing blank lines and white-space runs do not matter.
        let reflowed = text.replace("body line one", "body  line one");
        assert_eq!(verify(&key, reflowed.as_bytes()), vec![DkimResult::Pass]);
    }
}

#[test]
fn a_damaged_key_is_an_error_not_a_panic() {
    let mut key = key(Algorithm::Ed25519);
    key.private_pkcs8 = "not base64!".into();
    assert!(MessageSigner::new(&key).is_err());
    key.private_pkcs8 = B64.encode(b"not a key");
    assert!(MessageSigner::new(&key).is_err());
}
