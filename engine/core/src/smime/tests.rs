//! The signing module against certificates made by the `openssl` command line, and its output
//! verified by `openssl cms -verify` (an implementation independent of ours).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::*;

const NOW_MS: u64 = 1_800_000_000_000;

/// A CA and signers made once per test run.
struct Pki {
    dir: tempfile::TempDir,
}

impl Pki {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }
}

fn openssl(dir: &Path, args: &[&str]) -> std::process::Output {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl is installed by scripts/ensure-deps.sh");
    out
}

fn ok(dir: &Path, args: &[&str]) {
    let out = openssl(dir, args);
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const EXT: &str = "[v3]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,nonRepudiation\n\
extendedKeyUsage=emailProtection\nsubjectAltName=email:sender@example.com\n\
[web]\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n";

fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("ext.cnf"), EXT).unwrap();
        ok(
            d,
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "36500",
                "-subj",
                "/CN=Test CA",
            ],
        );
        for (name, newkey, ext) in [
            ("rsa", vec!["-newkey", "rsa:2048"], "v3"),
            (
                "ec",
                vec!["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"],
                "v3",
            ),
            ("web", vec!["-newkey", "rsa:2048"], "web"),
        ] {
            let mut req = vec!["req", "-nodes", "-keyout"];
            let key = format!("{name}.key");
            let csr = format!("{name}.csr");
            let pem = format!("{name}.pem");
            let subj = format!("/CN={name} signer/emailAddress=sender@example.com");
            req.extend([key.as_str(), "-out", csr.as_str(), "-subj", subj.as_str()]);
            req.extend(newkey);
            ok(d, &req);
            ok(
                d,
                &[
                    "x509",
                    "-req",
                    "-in",
                    &csr,
                    "-CA",
                    "ca.pem",
                    "-CAkey",
                    "ca.key",
                    "-CAcreateserial",
                    "-out",
                    &pem,
                    "-days",
                    "36500",
                    "-extfile",
                    "ext.cnf",
                    "-extensions",
                    ext,
                ],
            );
        }
        // The same EC key in SEC1 form, as `openssl ecparam -genkey` writes it.
        ok(d, &["ec", "-in", "ec.key", "-out", "ec-sec1.key"]);
        Pki { dir }
    })
}

fn credential(name: &str) -> Credential {
    let p = pki();
    Credential::parse(
        &p.read(&format!("{name}.pem")),
        &p.read(&format!("{name}.key")),
    )
    .unwrap()
}

/// `openssl cms -verify` of `message` against the test CA; Ok(content) or Err(stderr).
fn verify(message: &[u8]) -> Result<Vec<u8>, String> {
    let p = pki();
    let file = p
        .dir
        .path()
        .join(format!("msg-{}.eml", rand::random::<u64>()));
    std::fs::write(&file, message).unwrap();
    // No `-binary`: with it OpenSSL keeps the CR of the line break before the closing
    // delimiter in the content it hashes; without it, it hashes the canonical CRLF form,
    // which is what RFC 8551 signs.
    let out = openssl(
        p.dir.path(),
        &[
            "cms",
            "-verify",
            "-CAfile",
            "ca.pem",
            "-in",
            file.to_str().unwrap(),
            "-purpose",
            "smimesign",
        ],
    );
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

fn signed(message: &[u8], c: &Credential) -> Vec<u8> {
    match sign_message(message, c, NOW_MS).unwrap() {
        Signed::Signed(b) => b,
        Signed::AlreadySmime => panic!("not signed"),
    }
}

fn top_header(message: &[u8]) -> String {
    let text = String::from_utf8_lossy(message);
    text.split("\r\n\r\n").next().unwrap().to_string()
}

const PLAIN: &[u8] = b"From: Sender <sender@example.com>\r\nTo: r@example.net\r\n\
Subject: hi\r\nMessage-ID: <1@example.com>\r\nMIME-Version: 1.0\r\n\
Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nhello\r\n";

#[test]
fn rsa_signature_verifies_with_openssl_and_keeps_the_envelope_headers() {
    let c = credential("rsa");
    let out = signed(PLAIN, &c);
    let content = verify(&out).unwrap();
    assert_eq!(
        content,
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\nhello\r\n"
    );
    let head = top_header(&out);
    for kept in [
        "From: Sender",
        "To: r@example.net",
        "Subject: hi",
        "Message-ID: <1@",
    ] {
        assert!(head.contains(kept), "{kept} missing from {head}");
    }
    assert!(head.contains("multipart/signed; protocol=\"application/pkcs7-signature\""));
    assert!(head.contains("micalg=sha-256"));
    assert_eq!(head.matches("MIME-Version").count(), 1);
    assert!(!head.contains("Content-Transfer-Encoding"));
}

#[test]
fn ecdsa_p256_signature_verifies_and_sec1_keys_are_read() {
    let out = signed(PLAIN, &credential("ec"));
    verify(&out).unwrap();
    let p = pki();
    let sec1 = Credential::parse(&p.read("ec.pem"), &p.read("ec-sec1.key")).unwrap();
    assert_eq!(sec1.summary().key_algorithm, "ecdsa-p256");
    verify(&signed(PLAIN, &sec1)).unwrap();
}

#[test]
fn one_changed_byte_of_the_signed_part_fails_verification() {
    let out = signed(PLAIN, &credential("rsa"));
    let at = memchr::memmem::find(&out, b"hello").unwrap();
    let mut tampered = out.clone();
    tampered[at] = b'j';
    let err = verify(&tampered).unwrap_err();
    assert!(
        err.contains("digest failure") || err.contains("verification failure"),
        "{err}"
    );
}

#[test]
fn the_chain_is_included_and_the_signer_found_in_any_order() {
    let p = pki();
    let chain = format!("{}{}", p.read("ca.pem"), p.read("rsa.pem"));
    let c = Credential::parse(&chain, &p.read("rsa.key")).unwrap();
    assert_eq!(c.summary().chain_certificates, 1);
    assert!(c.summary().subject.contains("rsa signer"));
    let out = signed(PLAIN, &c);
    verify(&out).unwrap();
}

#[test]
fn eight_bit_bodies_are_made_base64_and_still_verify() {
    let msg =
        "From: sender@example.com\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 8bit\r\n\r\nこんにちは\r\n";
    let out = signed(msg.as_bytes(), &credential("rsa"));
    assert!(out.is_ascii(), "signed message must be 7-bit clean");
    let content = verify(&out).unwrap();
    let text = String::from_utf8(content).unwrap();
    assert!(text.contains("Content-Transfer-Encoding: base64\r\n"));
    assert!(!text.contains("8bit"));
    let b64 = text.split("\r\n\r\n").nth(1).unwrap().replace("\r\n", "");
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    assert_eq!(decoded, "こんにちは\r\n".as_bytes());
}

#[test]
fn eight_bit_parts_of_a_multipart_are_converted_and_7bit_parts_kept() {
    let msg = "From: sender@example.com\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
preamble\r\n--b1\r\nContent-Type: text/plain\r\n\r\nplain ascii\r\n--b1\r\n\
Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<p>é</p>\r\n--b1--\r\n";
    let out = signed(msg.as_bytes(), &credential("rsa"));
    assert!(out.is_ascii());
    let text = String::from_utf8(verify(&out).unwrap()).unwrap();
    assert!(text.starts_with(
        "Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\npreamble\r\n--b1\r\n"
    ));
    assert!(text.contains("Content-Type: text/plain\r\n\r\nplain ascii\r\n--b1\r\n"));
    assert!(text.contains("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+w6k8L3A+\r\n\r\n--b1--\r\n"), "{text}");
}

#[test]
fn bare_lf_is_made_crlf_and_a_missing_content_type_is_written_out() {
    let out = signed(
        b"From: sender@example.com\nSubject: x\n\nline1\nline2\n",
        &credential("rsa"),
    );
    let content = verify(&out).unwrap();
    assert_eq!(
        content,
        b"Content-Type: text/plain; charset=us-ascii\r\n\r\nline1\r\nline2\r\n"
    );
}

#[test]
fn unconvertible_8bit_is_refused_as_permanent() {
    let msg = b"From: sender@example.com\r\nContent-Type: message/rfc822\r\n\r\nSubject: \xe9\r\n\r\nx\xe9\r\n";
    let e = sign_message(msg, &credential("rsa"), NOW_MS).unwrap_err();
    assert!(matches!(e, SmimeError::Message(_)), "{e}");
    assert!(!e.is_temporary());
    assert_eq!(smtp_reply(&e).to_bytes()[..3], *b"554");
}

#[test]
fn already_signed_mail_is_left_alone() {
    let msg =
        b"From: sender@example.com\r\nContent-Type: multipart/signed; boundary=x\r\n\r\n--x--\r\n";
    assert_eq!(
        sign_message(msg, &credential("rsa"), NOW_MS).unwrap(),
        Signed::AlreadySmime
    );
}

#[test]
fn add_time_checks_name_the_field() {
    let p = pki();
    let e = Credential::parse("junk", &p.read("rsa.key")).unwrap_err();
    assert!(e.to_string().starts_with("certificate_pem:"), "{e}");
    let e = Credential::parse(&p.read("rsa.pem"), "junk").unwrap_err();
    assert!(e.to_string().starts_with("key_pem:"), "{e}");
    let e = Credential::parse(&p.read("rsa.pem"), &p.read("ec.key")).unwrap_err();
    assert!(e.to_string().contains("does not match"), "{e}");
    let e = Credential::parse(&p.read("web.pem"), &p.read("web.key")).unwrap_err();
    assert!(e.to_string().contains("emailProtection"), "{e}");
}

#[test]
fn validity_is_checked_at_the_time_of_use() {
    let c = credential("rsa");
    let s = c.summary().clone();
    assert!(c.check_valid_at(s.not_before_secs + 10).is_ok());
    let e = c.check_valid_at(s.not_after_secs + 1).unwrap_err();
    assert!(e.to_string().contains("expired"), "{e}");
    let e = sign_with(
        &Slot::Ready(std::sync::Arc::new(c)),
        PLAIN,
        (s.not_after_secs + 1) * 1000,
    )
    .unwrap_err();
    assert!(e.is_temporary());
    assert_eq!(smtp_reply(&e).to_bytes()[..3], *b"451");
    assert!(sign_with(&Slot::Broken("bad".into()), PLAIN, NOW_MS).is_err());
}

#[test]
fn summary_shows_the_certificate_not_the_key() {
    let c = credential("rsa");
    let s = c.summary();
    assert_eq!(s.issuer, "CN=Test CA");
    assert_eq!(s.key_algorithm, "rsa-2048");
    assert_eq!(s.fingerprint_sha256.len(), 64);
    let p = pki();
    let fp = openssl(
        p.dir.path(),
        &[
            "x509",
            "-in",
            "rsa.pem",
            "-noout",
            "-fingerprint",
            "-sha256",
        ],
    );
    let fp = String::from_utf8_lossy(&fp.stdout)
        .to_ascii_lowercase()
        .replace(':', "");
    assert!(
        fp.contains(&s.fingerprint_sha256),
        "{fp} vs {}",
        s.fingerprint_sha256
    );
}

#[test]
fn the_table_matches_the_exact_address_first_then_the_domain() {
    let t = Table::default();
    t.insert("example.com", std::sync::Arc::new(credential("rsa")));
    t.insert("ceo@example.com", std::sync::Arc::new(credential("ec")));
    let algo = |a: &str| match t.signer_for(a) {
        Some(Slot::Ready(c)) => Some(c.summary().key_algorithm.clone()),
        _ => None,
    };
    assert_eq!(algo("CEO@Example.com").as_deref(), Some("ecdsa-p256"));
    assert_eq!(algo("other@example.com").as_deref(), Some("rsa-2048"));
    assert_eq!(algo("x@example.org"), None);
    assert_eq!(algo("x@sub.example.com"), None);
    let from = b"From: \"Boss\" <ceo@example.com>\r\nSubject: s\r\n\r\nbody\r\n";
    assert!(matches!(t.signer_for_message(from), Some(Slot::Ready(_))));
    t.remove("example.com");
    assert_eq!(algo("other@example.com"), None);
}
