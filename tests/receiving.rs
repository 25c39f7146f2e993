//! End-to-end: the receiving listener keeps every message it answers `250` (issue 11, item 6).
//! Mail for an inbound domain, a DSN for a bounce domain and an auto-reply are sent to the real
//! daemon's receiving listener; `received.list`/`received.get` and the `hikyaku` CLI must show
//! each with its envelope, classification and exact bytes, also after a restart, and a refused
//! recipient must leave nothing behind.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;
use std::process::{Command, Output, Stdio};

use base64::Engine;
use hikyaku_e2e::{binary, python, Daemon, Raw, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::received::{
    RawEncoding, ReceivedGet, ReceivedKind, ReceivedPage, ReceivedQuery, ReceivedRecord,
};

const CONFIG: &str = "sandbox = true\n\
[receive]\ninbound_domains = [\"in.e2e.test\"]\n\
[bounce]\nreturn_path_domain = \"bounce.e2e.test\"\n";

/// A message with a line that needs dot-stuffing and a byte that is not UTF-8.
fn inbound_message() -> Vec<u8> {
    let mut m = b"From: Alice <alice@remote.test>\r\n\
To: info@in.e2e.test\r\n\
Subject: Quarterly report\r\n\
Message-ID: <q1@remote.test>\r\n\
\r\n\
Hello,\r\n\
.a line that starts with a dot\r\n\
caf"
    .to_vec();
    m.push(0xe9); // Latin-1 e-acute
    m.extend_from_slice(b"\r\n");
    m
}

/// Sends the message with Python's smtplib and returns the id of the `250 ... queued as`.
fn send_with_smtplib(addr: SocketAddr, message_path: &std::path::Path) -> String {
    let script = r#"
import smtplib, sys
host, port, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
body = open(path, "rb").read()
with smtplib.SMTP(host, port, local_hostname="client.remote.test") as s:
    s.ehlo()
    assert s.mail("alice@remote.test")[0] == 250
    assert s.rcpt("info@in.e2e.test")[0] == 250
    code, text = s.data(body)
    print(code, text.decode())
"#;
    let out = python(
        script,
        &[
            &addr.ip().to_string(),
            &addr.port().to_string(),
            message_path.to_str().unwrap(),
        ],
    );
    let line = out.trim();
    assert!(line.starts_with("250 "), "{line}");
    line.rsplit(' ').next().unwrap().to_string()
}

/// Sends `body` with a raw SMTP session; returns the final reply (or the RCPT refusal).
fn inject(addr: SocketAddr, mail_from: &str, rcpt: &str, body: &str) -> String {
    let mut c = Raw::hello(addr);
    assert!(c
        .cmd(&format!("MAIL FROM:<{mail_from}>"))
        .starts_with("250"));
    let r = c.cmd(&format!("RCPT TO:<{rcpt}>"));
    if !r.starts_with("250") {
        return r;
    }
    assert!(c.cmd("DATA").starts_with("354"));
    c.send(body.as_bytes());
    c.send(b".\r\n");
    c.reply()
}

fn queued_id(reply: &str) -> String {
    assert!(reply.starts_with("250"), "{reply}");
    reply.rsplit(' ').next().unwrap().to_string()
}

const DSN: &str = "From: Mail Delivery System <MAILER-DAEMON@mx.remote.test>\r\n\
To: <postmaster@bounce.e2e.test>\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
Your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.remote.test\r\n\
\r\n\
Final-Recipient: rfc822; stranger@example.com\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\
\r\n\
--B--\r\n";

const VACATION: &str = "From: b@example.net\r\nTo: x@bounce.e2e.test\r\n\
Auto-Submitted: auto-replied\r\nSubject: Out of office\r\n\r\nI am away.\r\n";

fn list(d: &Daemon, token: &str, q: ReceivedQuery) -> ReceivedPage {
    d.call(Some(token), m::RECEIVED_LIST, &q).unwrap()
}

fn find(page: &ReceivedPage, id: &str) -> ReceivedRecord {
    page.records
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("{id} not listed in {page:?}"))
        .clone()
}

fn raw_bytes(d: &Daemon, token: &str, id: &str) -> Vec<u8> {
    let got = d
        .call(
            Some(token),
            m::RECEIVED_GET,
            &ReceivedGet {
                id: id.into(),
                encoding: RawEncoding::Base64,
            },
        )
        .unwrap();
    assert_eq!(got.encoding, RawEncoding::Base64);
    base64::engine::general_purpose::STANDARD
        .decode(got.raw)
        .unwrap()
}

/// Runs the `hikyaku` CLI against the daemon with `token`.
fn cli(d: &Daemon, token: &str, args: &[&str]) -> Output {
    let config = d.data.parent().unwrap().join("cli.toml");
    let out = Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", &config)
        .env("HIKYAKU_KEY", token)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "hikyaku {args:?}: exit {:?}\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn every_accepted_message_is_kept_listed_and_readable_back() {
    let mut d = Daemon::start(CONFIG);
    let admin = d.login("admin", ADMIN_PASSWORD);

    // Inbound mail (not a bounce) through a real client: 250, and kept.
    let message_path = d.data.parent().unwrap().join("inbound.eml");
    std::fs::write(&message_path, inbound_message()).unwrap();
    let inbound = send_with_smtplib(d.receive, &message_path);

    // A DSN (unmatched: we never sent to that recipient) and an auto-reply to a bounce domain.
    let dsn = queued_id(&inject(d.receive, "", "postmaster@bounce.e2e.test", DSN));
    let vacation = queued_id(&inject(d.receive, "", "x@bounce.e2e.test", VACATION));

    // A recipient outside the bounce and inbound domains is refused, and nothing is kept.
    let refused = inject(
        d.receive,
        "a@remote.test",
        "someone@elsewhere.test",
        "x\r\n",
    );
    assert!(refused.starts_with("550 5.7.1"), "{refused}");

    let all = list(&d, &admin, ReceivedQuery::default());
    let ids: Vec<&str> = all.records.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, [&inbound, &dsn, &vacation], "{all:?}");
    assert!(all
        .records
        .iter()
        .all(|r| !r.recipients.iter().any(|a| a.contains("elsewhere"))));

    let r = find(&all, &inbound);
    assert_eq!(r.kind, ReceivedKind::Other);
    assert_eq!(r.mail_from, "alice@remote.test");
    assert_eq!(r.recipients, ["info@in.e2e.test"]);
    assert_eq!(r.peer_ip, "127.0.0.1");
    assert_eq!(r.helo, "client.remote.test");
    assert_eq!(r.subject.as_deref(), Some("Quarterly report"));
    assert_eq!(r.header_message_id.as_deref(), Some("q1@remote.test"));
    assert_eq!(r.size, inbound_message().len() as u64);
    assert_eq!(r.error_log_records, 0);

    let b = find(&all, &dsn);
    assert_eq!(b.kind, ReceivedKind::Bounce);
    assert_eq!(b.mail_from, "");
    assert_eq!(b.error_log_records, 1);
    assert_eq!(find(&all, &vacation).kind, ReceivedKind::AutoReply);

    // Filters.
    let bounces = list(
        &d,
        &admin,
        ReceivedQuery {
            kind: Some(ReceivedKind::Bounce),
            ..ReceivedQuery::default()
        },
    );
    assert_eq!(bounces.records.len(), 1);
    assert_eq!(bounces.records[0].id, dsn);
    let inbound_only = list(
        &d,
        &admin,
        ReceivedQuery {
            domain: Some("IN.e2e.test".into()),
            ..ReceivedQuery::default()
        },
    );
    assert_eq!(inbound_only.records.len(), 1);
    let first = list(
        &d,
        &admin,
        ReceivedQuery {
            limit: Some(2),
            ..ReceivedQuery::default()
        },
    );
    assert_eq!(first.records.len(), 2);
    let rest = list(
        &d,
        &admin,
        ReceivedQuery {
            cursor: first.next_cursor.clone(),
            ..ReceivedQuery::default()
        },
    );
    assert_eq!(rest.records.len(), 1);
    assert_eq!(rest.records[0].id, vacation);

    // The exact bytes come back (dot-unstuffed, the 8-bit byte intact); as text they are
    // marked lossy.
    assert_eq!(raw_bytes(&d, &admin, &inbound), inbound_message());
    assert_eq!(raw_bytes(&d, &admin, &dsn), DSN.as_bytes());
    let text = d
        .call(
            Some(&admin),
            m::RECEIVED_GET,
            &ReceivedGet {
                id: inbound.clone(),
                ..ReceivedGet::default()
            },
        )
        .unwrap();
    assert!(text.lossy);
    assert!(text.raw.contains("\r\n.a line that starts with a dot\r\n"));
    assert_eq!(text.record.id, inbound);
    let dsn_got = d
        .call(
            Some(&admin),
            m::RECEIVED_GET,
            &ReceivedGet {
                id: dsn.clone(),
                ..ReceivedGet::default()
            },
        )
        .unwrap();
    assert!(!dsn_got.lossy);
    assert_eq!(dsn_got.raw, DSN);
    assert_eq!(dsn_got.error_log_keys.len(), 1);

    // An API user lists only bounces matched to its own deliveries (none here) and may not
    // read whole messages.
    assert!(list(&d, API_KEY, ReceivedQuery::default())
        .records
        .is_empty());
    let forbidden = d
        .call(
            Some(API_KEY),
            m::RECEIVED_GET,
            &ReceivedGet {
                id: inbound.clone(),
                ..ReceivedGet::default()
            },
        )
        .unwrap_err()
        .to_string();
    assert!(
        forbidden.contains("service and group administrators"),
        "{forbidden}"
    );

    // Everything survives a restart.
    d.stop();
    d.spawn();
    let admin = d.login("admin", ADMIN_PASSWORD);
    let after = list(&d, &admin, ReceivedQuery::default());
    assert_eq!(after.records, all.records);
    assert_eq!(raw_bytes(&d, &admin, &inbound), inbound_message());

    // The CLI lists and shows it.
    let table = String::from_utf8(cli(&d, &admin, &["received", "list", "--kind", "other"]).stdout)
        .unwrap();
    assert!(table.starts_with("TIME"), "{table}");
    assert!(table.contains(&inbound), "{table}");
    assert!(table.contains("info@in.e2e.test"), "{table}");
    assert!(!table.contains(&dsn), "{table}");
    let json: serde_json::Value = serde_json::from_slice(
        &cli(&d, &admin, &["received", "list", "--json", "--limit", "10"]).stdout,
    )
    .unwrap();
    assert_eq!(json["records"].as_array().unwrap().len(), 3, "{json}");
    assert_eq!(json["records"][0]["kind"], "other");
    let shown = cli(&d, &admin, &["received", "show", &inbound, "--raw"]);
    assert_eq!(shown.stdout, inbound_message());
    let human = String::from_utf8(cli(&d, &admin, &["received", "show", &dsn]).stdout).unwrap();
    assert!(human.contains("kind: bounce"), "{human}");
    assert!(
        human.contains("Final-Recipient: rfc822; stranger@example.com"),
        "{human}"
    );
}
