//! End-to-end: S/MIME signers registered through the RPC and the CLI, mail sent over SMTP and
//! through `send.single`, captured at a sink and verified by `openssl cms -verify` against the
//! test's own CA (an implementation independent of the engine's).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{binary, message_sink, wait_for, Captures, Daemon, Raw, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::send::SendSingle;
use hikyaku_rpc::types::smime::{SmimeAdd, SmimeList, SmimeTarget};
use hikyaku_rpc::types::NoParams;

fn openssl(dir: &Path, args: &[&str]) -> Output {
    Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl (scripts/ensure-deps.sh installs it)")
}

fn ok(dir: &Path, args: &[&str]) {
    let o = openssl(dir, args);
    assert!(
        o.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// A CA, an RSA-2048 signer for sender@signed.test and an ECDSA P-256 signer for the domain
/// ec.test, all made by the openssl command line in `dir`.
fn make_pki(dir: &Path) {
    std::fs::write(
        dir.join("ext.cnf"),
        "[rsa]\nkeyUsage=digitalSignature\nextendedKeyUsage=emailProtection\n\
         subjectAltName=email:sender@signed.test\n\
         [ec]\nkeyUsage=digitalSignature\nextendedKeyUsage=emailProtection\n\
         subjectAltName=email:news@ec.test\n",
    )
    .unwrap();
    ok(
        dir,
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
            "3650",
            "-subj",
            "/CN=hikyaku e2e CA",
        ],
    );
    for (name, newkey) in [("rsa", "rsa:2048"), ("ec", "ec")] {
        let mut req = vec!["req", "-newkey", newkey, "-nodes", "-keyout"];
        let (key, csr, pem) = (
            format!("{name}.key"),
            format!("{name}.csr"),
            format!("{name}.pem"),
        );
        let subj = format!("/CN={name} signer");
        req.extend([key.as_str(), "-out", csr.as_str(), "-subj", subj.as_str()]);
        if name == "ec" {
            req.extend(["-pkeyopt", "ec_paramgen_curve:P-256"]);
        }
        ok(dir, &req);
        ok(
            dir,
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
                "365",
                "-extfile",
                "ext.cnf",
                "-extensions",
                name,
            ],
        );
    }
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

/// `openssl cms -verify` of `message` against the CA: Ok(signed content) or Err(stderr).
fn verify(dir: &Path, message: &str) -> Result<String, String> {
    let file = dir.join(format!(
        "got-{}.eml",
        std::process::id() as u64 ^ rand_suffix()
    ));
    std::fs::write(&file, message).unwrap();
    let o = openssl(
        dir,
        &[
            "cms",
            "-verify",
            "-CAfile",
            "ca.pem",
            "-purpose",
            "smimesign",
            "-in",
            file.to_str().unwrap(),
        ],
    );
    if o.status.success() {
        Ok(String::from_utf8_lossy(&o.stdout).into_owned())
    } else {
        Err(String::from_utf8_lossy(&o.stderr).into_owned())
    }
}

fn rand_suffix() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
}

fn send_smtp(d: &Daemon, from: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd(&format!("MAIL FROM:<{from}>")).starts_with("250"));
    assert!(c.cmd("RCPT TO:<rcpt@dest.test>").starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!(
        "From: <{from}>\r\nTo: rcpt@dest.test\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\n\
         Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         body of {subject} \u{3042}\r\n."
    ));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// The captured message whose Subject is `subject`.
fn captured(seen: &Captures, subject: &str) -> String {
    let needle = format!("Subject: {subject}\r\n");
    wait_for(&format!("{subject:?} at the sink"), || {
        let s = seen.lock().unwrap();
        s.iter()
            .find(|c| c.data.contains(&needle))
            .map(|c| c.data.clone())
    })
}

fn is_signed(message: &str) -> bool {
    let head = message.split("\r\n\r\n").next().unwrap();
    head.contains("Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"")
        && head.contains("micalg=sha-256")
}

fn cli(d: &Daemon, token: &str, args: &[&str]) -> Output {
    Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", d.data.parent().unwrap().join("cli.toml"))
        .env("HIKYAKU_KEY", token)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

fn cli_ok(d: &Daemon, token: &str, args: &[&str]) -> String {
    let o = cli(d, token, args);
    assert!(
        o.status.success(),
        "hikyaku {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn registered_senders_are_signed_over_smtp_and_the_api_and_verify_with_openssl() {
    let pki = tempfile::tempdir().unwrap();
    let dir = pki.path();
    make_pki(dir);
    let (sink, seen) = message_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n"
    ));
    let admin = d.login("admin", ADMIN_PASSWORD);

    // An address through the RPC, a domain (ECDSA) through the CLI.
    let added = d
        .call(
            Some(&admin),
            m::SMIME_ADD,
            &SmimeAdd {
                address_or_domain: "Sender@Signed.test".into(),
                certificate_pem: read(dir, "rsa.pem"),
                key_pem: read(dir, "rsa.key"),
            },
        )
        .unwrap();
    assert_eq!(added.address_or_domain, "sender@signed.test");
    assert_eq!(added.subject, "CN=rsa signer");
    assert_eq!(added.issuer, "CN=hikyaku e2e CA");
    assert_eq!(added.key_algorithm, "rsa-2048");
    assert!(added.key_held);
    let out = cli_ok(
        &d,
        &admin,
        &[
            "smime",
            "add",
            "ec.test",
            "--cert",
            dir.join("ec.pem").to_str().unwrap(),
            "--private-key",
            dir.join("ec.key").to_str().unwrap(),
        ],
    );
    assert!(out.contains("ecdsa-p256"), "{out}");

    // The listing shows the certificates, never a key.
    let raw = d
        .call_raw(Some(&admin), "smime.list", "{}")
        .unwrap()
        .to_string();
    assert!(
        !raw.contains("PRIVATE KEY") && !raw.contains("key_pem"),
        "{raw}"
    );
    let list: SmimeList = d.call(Some(&admin), m::SMIME_LIST, &NoParams {}).unwrap();
    let targets: Vec<_> = list
        .entries
        .iter()
        .map(|e| e.address_or_domain.as_str())
        .collect();
    assert_eq!(targets, ["ec.test", "sender@signed.test"]);
    let table = cli_ok(&d, &admin, &["smime", "list"]);
    assert!(
        table.contains("sender@signed.test") && table.contains("CN=ec signer"),
        "{table}"
    );

    // SMTP, exact address, RSA: verifies; one changed byte of the signed body does not.
    send_smtp(&d, "sender@signed.test", "smtp-rsa");
    let got = captured(&seen, "smtp-rsa");
    assert!(is_signed(&got), "{got}");
    let content = verify(dir, &got).unwrap();
    assert!(
        content.contains("Content-Transfer-Encoding: base64"),
        "8-bit made 7-bit: {content}"
    );
    assert!(got.is_ascii());
    let at = got.find("smime.p7s").unwrap();
    let body_at = got[..at].rfind("\r\n\r\n").unwrap() - 8; // inside the signed part's base64
    let mut tampered = got.clone().into_bytes();
    tampered[body_at] = if tampered[body_at] == b'A' {
        b'B'
    } else {
        b'A'
    };
    let err = verify(dir, &String::from_utf8(tampered).unwrap()).unwrap_err();
    assert!(
        err.contains("verification failure") || err.contains("digest"),
        "{err}"
    );

    // The API path, same signer.
    d.call(
        Some(API_KEY),
        m::SEND_SINGLE,
        &SendSingle {
            from: "Shop <sender@signed.test>".into(),
            to: vec!["rcpt@dest.test".into()],
            subject: "api-rsa".into(),
            text: Some("Hello from the API".into()),
            ..SendSingle::default()
        },
    )
    .unwrap();
    let got = captured(&seen, "api-rsa");
    assert!(is_signed(&got), "{got}");
    assert!(verify(dir, &got).unwrap().contains("Hello from the API"));

    // The domain entry (ECDSA) covers any address of the domain.
    send_smtp(&d, "news@ec.test", "smtp-ec");
    let got = captured(&seen, "smtp-ec");
    assert!(is_signed(&got));
    verify(dir, &got).unwrap();

    // No entry: not signed.
    send_smtp(&d, "someone@unsigned.test", "smtp-none");
    assert!(!is_signed(&captured(&seen, "smtp-none")));

    // Removal (RPC and CLI) stops signing.
    d.call(
        Some(&admin),
        m::SMIME_REMOVE,
        &SmimeTarget {
            address_or_domain: "sender@signed.test".into(),
        },
    )
    .unwrap();
    cli_ok(&d, &admin, &["smime", "remove", "EC.test"]);
    send_smtp(&d, "sender@signed.test", "after-remove-rsa");
    send_smtp(&d, "news@ec.test", "after-remove-ec");
    assert!(!is_signed(&captured(&seen, "after-remove-rsa")));
    assert!(!is_signed(&captured(&seen, "after-remove-ec")));
    let list: SmimeList = d.call(Some(&admin), m::SMIME_LIST, &NoParams {}).unwrap();
    assert!(list.entries.is_empty());
    let again = d.call(
        Some(&admin),
        m::SMIME_REMOVE,
        &SmimeTarget {
            address_or_domain: "sender@signed.test".into(),
        },
    );
    assert!(again.is_err());
}

#[test]
fn signers_survive_a_restart_and_bad_input_is_refused_naming_the_field() {
    let pki = tempfile::tempdir().unwrap();
    let dir = pki.path();
    make_pki(dir);
    let (sink, seen) = message_sink();
    let mut d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n"
    ));
    let admin = d.login("admin", ADMIN_PASSWORD);
    let add = |cert: &str, key: &str| {
        d.call(
            Some(&admin),
            m::SMIME_ADD,
            &SmimeAdd {
                address_or_domain: "signed.test".into(),
                certificate_pem: cert.into(),
                key_pem: key.into(),
            },
        )
    };
    let e = add("not a certificate", &read(dir, "rsa.key"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("certificate_pem"), "{e}");
    let e = add(&read(dir, "rsa.pem"), &read(dir, "ec.key"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("key_pem") && e.contains("does not match"), "{e}");
    let e = add(
        &read(dir, "rsa.pem"),
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n",
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("key_pem"), "{e}");
    // Only an administrator may register keys.
    let e = d
        .call(Some(API_KEY), m::SMIME_LIST, &NoParams {})
        .unwrap_err()
        .to_string();
    assert!(!e.is_empty());
    add(&read(dir, "rsa.pem"), &read(dir, "rsa.key")).unwrap();

    d.stop();
    d.spawn();
    send_smtp(&d, "anyone@signed.test", "after-restart");
    let got = captured(&seen, "after-restart");
    assert!(is_signed(&got), "{got}");
    verify(dir, &got).unwrap();
}
