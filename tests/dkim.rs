//! End-to-end DKIM: keys created over RPC and the CLI, published on the project's test DNS
//! server, checked and activated; mail sent over SMTP arrives at a capturing sink signed, and
//! two independent verifiers accept it — mail-auth (through a resolver asking the test DNS
//! server) and dkimpy (Python, from PyPI) — for RSA-2048 and Ed25519; changing a signed header
//! or the body makes both reject it. Rotation switches the selector; removal stops signing.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

use hikyaku_dns::{TestDns, Zone};
use hikyaku_e2e::{binary, message_sink, python, wait_for, Captures, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::dkim::{
    DkimActivate, DkimAlgorithm, DkimCheckQuery, DkimCreate, DkimKeyInfo, DkimKeyState,
    DkimListQuery, DkimRecordStatus, DkimRemove,
};
use hikyaku_rpc::types::dmarc::DmarcDomain;
use mail_auth::{AuthenticatedMessage, DkimResult, MessageAuthenticator};

fn send(d: &Daemon, from: &str, to: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c
        .cmd(&format!(
            "MAIL FROM:<bounce@{}>",
            from.split('@').nth(1).unwrap()
        ))
        .starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{to}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!(
        "From: Shop <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nHello,\r\n\r\nthis is the body.\r\n."
    ));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

fn received(seen: &Captures, subject: &str) -> String {
    wait_for(&format!("the message {subject:?} at the sink"), || {
        seen.lock()
            .unwrap()
            .iter()
            .find(|c| c.data.contains(&format!("Subject: {subject}\r\n")))
            .map(|c| c.data.clone())
    })
}

/// mail-auth's verdicts, asking `dns` for the key records.
fn mail_auth_verdicts(dns: &TestDns, message: &str) -> Vec<DkimResult> {
    let config = hikyaku_dns::resolver_config_for(&[dns.addr()]);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let auth = MessageAuthenticator::new(config, Default::default()).unwrap();
        let parsed = AuthenticatedMessage::parse(message.as_bytes()).unwrap();
        auth.verify_dkim(&parsed)
            .await
            .iter()
            .map(|o| o.result().clone())
            .collect()
    })
}

/// dkimpy's verdict ("pass"/"fail"), with `record` as the DNS answer for the selector.
fn dkimpy_verdict(message: &str, record: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.eml");
    std::fs::write(&path, message).unwrap();
    python(
        r#"
import sys, dkim
record = sys.argv[2].encode()
msg = open(sys.argv[1], 'rb').read()
ok = dkim.verify(msg, dnsfunc=lambda name, timeout=5: record)
print('pass' if ok else 'fail')
"#,
        &[path.to_str().unwrap(), record],
    )
    .trim()
    .to_string()
}

/// A test DNS server (empty zone), a capturing sink, and a daemon delivering to the sink and
/// resolving through the DNS server, with `extra` settings; plus an administrator session.
fn start(extra: &str) -> (TestDns, Captures, Daemon, String) {
    let dns = TestDns::start(Zone::new()).unwrap();
    let (sink, seen) = message_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\ndns_servers = [\"{}\"]\n{extra}",
        dns.addr()
    ));
    let token = d.login("admin", ADMIN_PASSWORD);
    (dns, seen, d, token)
}

fn cli(d: &Daemon, token: &str, args: &[&str]) -> std::process::Output {
    Command::new(binary("hikyaku"))
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_KEY", token)
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn signed_mail_verifies_with_mail_auth_and_dkimpy_and_tampering_fails() {
    let (dns, seen, d, token) = start("");
    let t = Some(token.as_str());

    // RSA over RPC, Ed25519 over the CLI.
    let rsa: DkimKeyInfo = d
        .call(
            t,
            m::DKIM_CREATE,
            &DkimCreate {
                domain: "Shop.test".into(),
                selector: "s1".into(),
                algorithm: DkimAlgorithm::Rsa2048,
            },
        )
        .unwrap();
    assert_eq!(rsa.record_name, "s1._domainkey.shop.test");
    assert!(
        rsa.record_value.starts_with("v=DKIM1; k=rsa; p=MIIBIjAN"),
        "{}",
        rsa.record_value
    );
    assert_eq!(rsa.state, DkimKeyState::Prepared);
    let out = cli(
        &d,
        &token,
        &[
            "dkim",
            "create",
            "news.test",
            "ed1",
            "--algorithm",
            "ed25519",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        text.contains("ed1._domainkey.news.test  IN TXT  \"v=DKIM1; k=ed25519; p="),
        "{text}"
    );
    let listed = d
        .call(t, m::DKIM_LIST, &DkimListQuery { domain: None })
        .unwrap();
    let ed = listed
        .keys
        .iter()
        .find(|k| k.domain == "news.test")
        .unwrap()
        .clone();
    assert_eq!(listed.keys.len(), 2);
    let json = serde_json::to_string(&listed).unwrap();
    assert!(
        !json.contains("PRIVATE") && !json.contains("pkcs8"),
        "{json}"
    );
    assert!(json.contains("\"algorithm\":\"rsa-2048\""), "{json}");

    // Not published yet: the check says so and activation is refused.
    let check = d
        .call(
            t,
            m::DKIM_CHECK,
            &DkimCheckQuery {
                domain: "shop.test".into(),
                selector: None,
            },
        )
        .unwrap();
    assert_eq!(check.keys[0].status, DkimRecordStatus::Missing);
    assert!(!check.active_ok);
    let refused = d.call(
        t,
        m::DKIM_ACTIVATE,
        &DkimActivate {
            domain: "shop.test".into(),
            selector: "s1".into(),
            force: false,
        },
    );
    let e = format!("{:?}", refused.unwrap_err());
    assert!(e.contains("no TXT record is published"), "{e}");

    // A wrong record is a mismatch; the right one matches and activation goes through.
    dns.set_zone(Zone::new().txt(&rsa.record_name, "v=DKIM1; k=rsa; p=AAAA"));
    let check = d
        .call(
            t,
            m::DKIM_CHECK,
            &DkimCheckQuery {
                domain: "shop.test".into(),
                selector: None,
            },
        )
        .unwrap();
    assert_eq!(check.keys[0].status, DkimRecordStatus::Mismatch);
    dns.set_zone(
        Zone::new()
            .txt(&rsa.record_name, &rsa.record_value)
            .txt(&ed.record_name, &ed.record_value),
    );
    let out = cli(&d, &token, &["dkim", "check", "shop.test"]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("matches"),
        "{out:?}"
    );
    let active = d
        .call(
            t,
            m::DKIM_ACTIVATE,
            &DkimActivate {
                domain: "shop.test".into(),
                selector: "s1".into(),
                force: false,
            },
        )
        .unwrap();
    assert_eq!(active.state, DkimKeyState::Active);
    let out = cli(&d, &token, &["dkim", "activate", "news.test", "ed1"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // dmarc.check sees the active key: DKIM aligns for mail from shop.test.
    dns.set_zone(
        Zone::new()
            .txt(&rsa.record_name, &rsa.record_value)
            .txt(&ed.record_name, &ed.record_value)
            .txt("_dmarc.shop.test", "v=DMARC1; p=reject"),
    );
    let dmarc = d
        .call(
            t,
            m::DMARC_CHECK,
            &DmarcDomain {
                domain: "shop.test".into(),
            },
        )
        .unwrap();
    assert!(dmarc.dkim.passes, "{dmarc:?}");
    assert_eq!(dmarc.dkim.domain.as_deref(), Some("shop.test"), "{dmarc:?}");
    assert!(dmarc.passes, "{dmarc:?}");

    // Signed mail, both algorithms, two independent verifiers.
    for (from, subject, record) in [
        ("news@shop.test", "rsa signed", &rsa.record_value),
        ("hello@news.test", "ed25519 signed", &ed.record_value),
    ] {
        send(&d, from, "someone@dest.test", subject);
        let data = received(&seen, subject);
        assert!(data.starts_with("DKIM-Signature: "), "{data}");
        assert_eq!(
            mail_auth_verdicts(&dns, &data),
            vec![DkimResult::Pass],
            "{data}"
        );
        assert_eq!(dkimpy_verdict(&data, record), "pass", "{data}");
        let tampered = data.replace(&format!("Subject: {subject}"), "Subject: changed");
        assert_ne!(mail_auth_verdicts(&dns, &tampered), vec![DkimResult::Pass]);
        assert_eq!(dkimpy_verdict(&tampered, record), "fail");
        let tampered = data.replace("this is the body.", "this is another body.");
        assert_eq!(dkimpy_verdict(&tampered, record), "fail");
    }

    // A domain without a key is not signed.
    send(&d, "x@unsigned.test", "someone@dest.test", "not signed");
    assert!(!received(&seen, "not signed").contains("DKIM-Signature"));

    // Rotation: a second selector, published and activated, signs from then on.
    let s2: DkimKeyInfo = d
        .call(
            t,
            m::DKIM_CREATE,
            &DkimCreate {
                domain: "shop.test".into(),
                selector: "s2".into(),
                algorithm: DkimAlgorithm::Ed25519,
            },
        )
        .unwrap();
    dns.set_zone(
        Zone::new()
            .txt(&rsa.record_name, &rsa.record_value)
            .txt(&s2.record_name, &s2.record_value),
    );
    d.call(
        t,
        m::DKIM_ACTIVATE,
        &DkimActivate {
            domain: "shop.test".into(),
            selector: "s2".into(),
            force: false,
        },
    )
    .unwrap();
    let keys = d
        .call(
            t,
            m::DKIM_LIST,
            &DkimListQuery {
                domain: Some("shop.test".into()),
            },
        )
        .unwrap()
        .keys;
    let state = |s: &str| keys.iter().find(|k| k.selector == s).unwrap().state;
    assert_eq!(
        (state("s1"), state("s2")),
        (DkimKeyState::Retired, DkimKeyState::Active)
    );
    send(&d, "news@shop.test", "someone@dest.test", "after rotation");
    let data = received(&seen, "after rotation");
    assert!(data.contains("s=s2;"), "{data}");
    assert_eq!(mail_auth_verdicts(&dns, &data), vec![DkimResult::Pass]);

    // Removing the active key stops signing; bad input is refused with the field named.
    d.call(
        t,
        m::DKIM_REMOVE,
        &DkimRemove {
            domain: "shop.test".into(),
            selector: "s2".into(),
        },
    )
    .unwrap();
    send(&d, "news@shop.test", "someone@dest.test", "after removal");
    assert!(!received(&seen, "after removal").contains("DKIM-Signature"));
    let bad = d.call(
        t,
        m::DKIM_CREATE,
        &DkimCreate {
            domain: "bad domain".into(),
            selector: "s1".into(),
            algorithm: DkimAlgorithm::Rsa2048,
        },
    );
    assert!(format!("{:?}", bad.unwrap_err()).contains("domain"));
    let dup = d.call(
        t,
        m::DKIM_CREATE,
        &DkimCreate {
            domain: "news.test".into(),
            selector: "ed1".into(),
            algorithm: DkimAlgorithm::Ed25519,
        },
    );
    assert!(format!("{:?}", dup.unwrap_err()).contains("exists already"));
}

#[test]
fn keys_survive_a_restart_and_keep_signing() {
    let (dns, seen, mut d, token) = start("[dkim]\nsign_with_parent = true\n");
    let t = Some(token.as_str());
    let key: DkimKeyInfo = d
        .call(
            t,
            m::DKIM_CREATE,
            &DkimCreate {
                domain: "corp.test".into(),
                selector: "k1".into(),
                algorithm: DkimAlgorithm::Ed25519,
            },
        )
        .unwrap();
    d.call(
        t,
        m::DKIM_ACTIVATE,
        &DkimActivate {
            domain: "corp.test".into(),
            selector: "k1".into(),
            force: true,
        },
    )
    .unwrap();
    d.stop();
    d.spawn();
    dns.set_zone(Zone::new().txt(&key.record_name, &key.record_value));
    // sign_with_parent: mail from a subdomain is signed with the parent's key.
    send(
        &d,
        "alerts@eu.corp.test",
        "someone@dest.test",
        "parent signed",
    );
    let data = received(&seen, "parent signed");
    assert!(data.contains("d=corp.test;"), "{data}");
    assert_eq!(mail_auth_verdicts(&dns, &data), vec![DkimResult::Pass]);
    assert_eq!(dkimpy_verdict(&data, &key.record_value), "pass");
}
