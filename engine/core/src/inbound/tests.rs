#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;

use super::*;

const MESSAGE: &str = "From: \"Ann Example\" <ann@sender.test>\r\n\
To: info@mailform.example.com, Bob <bob@example.com>\r\n\
Cc: carol@example.com\r\n\
Reply-To: replies@sender.test\r\n\
Subject: =?UTF-8?B?44GT44KT44Gr44Gh44Gv?=\r\n\
Date: Tue, 1 Dec 2026 10:00:00 +0900\r\n\
Message-ID: <m1@sender.test>\r\n\
In-Reply-To: <earlier@example.com>\r\n\
X-Folded: first\r\n\t second\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"b1\"\r\n\
\r\n\
--b1\r\n\
Content-Type: multipart/alternative; boundary=\"b2\"\r\n\
\r\n\
--b2\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
\r\n\
plain text\r\n\
--b2\r\n\
Content-Type: text/html; charset=utf-8\r\n\
\r\n\
<p>html</p>\r\n\
--b2--\r\n\
--b1\r\n\
Content-Type: application/pdf; name=\"small.pdf\"\r\n\
Content-Disposition: attachment; filename=\"small.pdf\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
JVBERi0xLjQK\r\n\
--b1\r\n\
Content-Type: image/png\r\n\
Content-Disposition: attachment; filename=\"big.png\"\r\n\
Content-Transfer-Encoding: base64\r\n\
\r\n\
iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\r\n\
--b1--\r\n";

fn envelope() -> InboundEnvelope {
    InboundEnvelope {
        from: "ann@sender.test".into(),
        to: vec!["info@mailform.example.com".into()],
        remote_ip: "192.0.2.1".into(),
        helo: "mx.sender.test".into(),
        tls: true,
    }
}

#[test]
fn a_value_starting_on_the_next_line_is_unfolded_without_a_leading_space() {
    // fuzz/inbound_mime's trimmed-value check: the value was " folded only".
    let raw = b"From: a@example.net\r\nSubject:\r\n folded only\r\nX-Empty:\r\n\r\nbody\r\n";
    let p = payload("0000000000000001", envelope(), raw, 20, None);
    let value = |name: &str| {
        p.headers
            .iter()
            .find(|h| h.name == name)
            .map(|h| h.value.as_str())
    };
    assert_eq!(value("Subject"), Some("folded only"));
    assert_eq!(value("X-Empty"), Some(""));
}

#[test]
fn the_payload_has_the_fields_bodies_headers_and_attachments() {
    let p = payload("00000000000000ab", envelope(), MESSAGE.as_bytes(), 20, None);
    assert_eq!(p.received_id, "00000000000000ab");
    assert_eq!(p.from[0].name.as_deref(), Some("Ann Example"));
    assert_eq!(p.from[0].address, "ann@sender.test");
    let to: Vec<&str> = p.to.iter().map(|m| m.address.as_str()).collect();
    assert_eq!(to, ["info@mailform.example.com", "bob@example.com"]);
    assert_eq!(p.cc[0].address, "carol@example.com");
    assert_eq!(p.reply_to[0].address, "replies@sender.test");
    assert_eq!(p.subject.as_deref(), Some("こんにちは"));
    assert_eq!(p.date.as_deref(), Some("2026-12-01T10:00:00+09:00"));
    assert_eq!(p.message_id.as_deref(), Some("m1@sender.test"));
    assert_eq!(p.in_reply_to, ["earlier@example.com"]);
    assert_eq!(p.text.as_deref().map(str::trim), Some("plain text"));
    assert_eq!(p.html.as_deref().map(str::trim), Some("<p>html</p>"));
    let folded = p.headers.iter().find(|h| h.name == "X-Folded").unwrap();
    assert_eq!(folded.value, "first second");
    assert_eq!(p.headers.len(), 11);
    assert_eq!(p.attachments.len(), 2);
    let small = &p.attachments[0];
    assert_eq!(small.filename.as_deref(), Some("small.pdf"));
    assert_eq!(small.content_type, "application/pdf");
    assert_eq!(small.size, 9);
    assert!(!small.omitted);
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(small.content.as_deref().unwrap())
        .unwrap();
    assert_eq!(decoded, b"%PDF-1.4\n");
    let big = &p.attachments[1];
    assert_eq!((big.content_type.as_str(), big.size), ("image/png", 70));
    assert!(big.omitted && big.content.is_none());
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["envelope"]["to"][0], "info@mailform.example.com");
    assert!(json.get("auth").is_none());
}

#[test]
fn an_unreadable_message_still_has_its_envelope() {
    let p = payload("1", envelope(), b"", 10, None);
    assert_eq!(p.envelope.helo, "mx.sender.test");
    assert!(p.headers.is_empty() && p.attachments.is_empty());
}

#[test]
fn auth_results_come_from_mail_auth_through_the_configured_resolver() {
    use crate::dkim::{Algorithm, MessageSigner};
    let key = crate::dkim::keys::test_key("sender.test", "s1", Algorithm::Ed25519);
    let zone = hikyaku_dns::Zone::new()
        .txt(&key.record_name(), &key.record_value())
        .txt("sender.test", "v=spf1 ip4:192.0.2.1 -all")
        .txt("_dmarc.sender.test", "v=DMARC1; p=reject");
    let dns = hikyaku_dns::TestDns::start(zone).unwrap();
    let mut config = crate::config::Config::default();
    config.delivery.dns_servers = vec![dns.addr()];
    let signature = MessageSigner::new(&key)
        .unwrap()
        .sign(&[MESSAGE.as_bytes()])
        .unwrap();
    let signed = [signature.as_slice(), MESSAGE.as_bytes()].concat();
    let ip: std::net::IpAddr = "192.0.2.1".parse().unwrap();
    let r = auth::evaluate(
        &config,
        "mx.us.test",
        ip,
        "mx.sender.test",
        "ann@sender.test",
        &signed,
    )
    .unwrap();
    assert_eq!(
        (r.spf.as_str(), r.spf_domain.as_str()),
        ("pass", "sender.test")
    );
    assert_eq!(r.dkim.len(), 1);
    assert_eq!(r.dkim[0].result, "pass");
    assert_eq!(r.dkim[0].domain.as_deref(), Some("sender.test"));
    assert_eq!(
        (r.dmarc.as_str(), r.dmarc_policy.as_str()),
        ("pass", "reject")
    );
    // From another address, unsigned: SPF fails and DMARC with it.
    let other: std::net::IpAddr = "198.51.100.7".parse().unwrap();
    let r = auth::evaluate(
        &config,
        "mx.us.test",
        other,
        "x",
        "ann@sender.test",
        MESSAGE.as_bytes(),
    )
    .unwrap();
    assert_eq!(r.spf, "fail");
    assert!(r.dkim.is_empty());
    assert!(r.dmarc.starts_with("fail"), "{}", r.dmarc);
}
