//! Event webhooks end to end: a real HTTP receiver (Python `http.server`, `webhooks_common`)
//! verifies every POST with the independent `standardwebhooks` package, using exactly the
//! example printed in docs/operations.md, and records the events; the tests count them by
//! event id. The event types caused by retries and the receiving side are in
//! `webhook_events.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod webhooks_common;

use std::path::Path;
use std::time::{Duration, Instant};

use hikyaku_e2e::{python, wait_for, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::BlockChange;
use hikyaku_rpc::types::webhooks::WebhookId;
use webhooks_common::{create, kinds_by_recipient, Receiver, DOC_EXAMPLE};

/// Sends one message per recipient list over SMTP.
fn send(d: &Daemon, batches: &[Vec<String>]) {
    let lists = serde_json::to_string(batches).unwrap();
    python(
        r#"
import smtplib, sys, json
with smtplib.SMTP(sys.argv[1], int(sys.argv[2])) as s:
    for rcpts in json.loads(sys.argv[3]):
        s.sendmail("app@example.com", rcpts, "Subject: hook\r\n\r\nbody\r\n")
"#,
        &[
            &d.relay.ip().to_string(),
            &d.relay.port().to_string(),
            &lists,
        ],
    );
}

#[test]
fn every_event_type_arrives_once_in_order_and_signed() {
    let d = Daemon::start("sandbox = true\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    let all = [
        "queued",
        "succeeded",
        "deferred",
        "failed",
        "bounced",
        "blocked",
        "unsubscribed",
        "complained",
    ];
    let created = create(&d, &token, &r, &all);
    assert!(created.secret.starts_with("whsec_"));
    d.call(
        Some(&token),
        m::BLOCKS_ADD,
        &BlockChange {
            list: Default::default(),
            addresses: vec!["stop@b.test".into()],
            reason: None,
        },
    )
    .unwrap();
    send(
        &d,
        &[
            vec!["ok@a.test".into()],
            vec!["user-unknown@a.test".into()],
            vec!["tempfail@a.test".into()],
            vec!["stop@b.test".into()],
        ],
    );
    let events = wait_for("the four deliveries' events", || {
        let by = kinds_by_recipient(&r.events());
        let done = by.get("ok@a.test").is_some_and(|k| k.len() == 2)
            && by.get("user-unknown@a.test").is_some_and(|k| k.len() == 2)
            && by.get("tempfail@a.test").is_some_and(|k| k.len() >= 2)
            && by.get("stop@b.test").is_some_and(|k| k.len() == 2);
        done.then(|| r.events())
    });
    let by = kinds_by_recipient(&events);
    assert_eq!(by["ok@a.test"], ["queued", "succeeded"]);
    assert_eq!(by["user-unknown@a.test"], ["queued", "failed"]);
    assert_eq!(by["tempfail@a.test"][..2], ["queued", "deferred"]);
    assert_eq!(by["stop@b.test"], ["queued", "blocked"]);
    // Fields of a delivery event.
    let failed = events.iter().find(|e| e["type"] == "failed").unwrap();
    assert_eq!(failed["error_status"], 2);
    assert_eq!(failed["domain"], "a.test");
    assert!(failed["delivery_id"].is_string() && failed["message_id"].is_string());
    assert!(failed["reply"].as_str().unwrap().starts_with("550"));
    let blocked = events.iter().find(|e| e["type"] == "blocked").unwrap();
    assert_eq!(blocked["error_status"], 10);
    // Every POST verified with standardwebhooks; nothing arrived twice (no retry happened).
    let posts = r.posts();
    assert!(!posts.is_empty() && posts.iter().all(|(ok, _)| *ok));
    let total: usize = posts.iter().map(|(_, e)| e.len()).sum();
    assert_eq!(total, events.len());

    // The documented example rejects a forged signature and a tampered body.
    let out = python(
        &format!(
            "{DOC_EXAMPLE}\n{}",
            r#"
import sys, time, hmac, hashlib, base64
secret = sys.argv[1]
key = base64.b64decode(secret[len("whsec_"):])
body = b'[{"id":"ev_x","type":"queued"}]'
ts = str(int(time.time()))
good = base64.b64encode(hmac.new(key, b"msg_1." + ts.encode() + b"." + body, hashlib.sha256).digest()).decode()
headers = {"Webhook-Id": "msg_1", "Webhook-Timestamp": ts, "Webhook-Signature": "v1," + good}
assert verify(secret, headers, body)[0]["id"] == "ev_x"
for forged_body, sig in [(body.replace(b"queued", b"failed"), good), (body, base64.b64encode(b"x" * 32).decode())]:
    try:
        verify(secret, dict(headers, **{"Webhook-Signature": "v1," + sig}), forged_body)
        print("accepted")
    except Exception:
        print("rejected")
"#
        ),
        &[&created.secret],
    );
    assert_eq!(
        out.split_whitespace().collect::<Vec<_>>(),
        ["rejected", "rejected"]
    );
    // The example is the one the documentation shows.
    let docs = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/operations.md"),
    )
    .unwrap();
    assert!(
        docs.contains(DOC_EXAMPLE),
        "docs/operations.md lacks the example"
    );
}

#[test]
fn a_receiver_failing_for_ten_seconds_loses_nothing() {
    let d = Daemon::start("sandbox = true\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    r.fail_for(10.0);
    let created = create(&d, &token, &r, &["queued", "succeeded"]);
    let started = Instant::now();
    let rcpts: Vec<Vec<String>> = (0..20).map(|i| vec![format!("r{i}@c.test")]).collect();
    send(&d, &rcpts);
    let status = wait_for("a failed POST in webhooks.status", || {
        let s = d
            .call(
                Some(&token),
                m::WEBHOOKS_STATUS,
                &WebhookId {
                    id: created.id.clone(),
                },
            )
            .unwrap();
        s.last_error.is_some().then_some(s)
    });
    assert!(status.last_error.unwrap().contains("500"));
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let by = kinds_by_recipient(&r.events());
        if (0..20).all(|i| {
            by.get(&format!("r{i}@c.test"))
                .is_some_and(|k| k.len() == 2)
        }) {
            for i in 0..20 {
                assert_eq!(by[&format!("r{i}@c.test")], ["queued", "succeeded"]);
            }
            break;
        }
        assert!(
            Instant::now() < deadline,
            "events missing after the receiver recovered"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(started.elapsed() >= Duration::from_secs(9));
    let s = d
        .call(
            Some(&token),
            m::WEBHOOKS_STATUS,
            &WebhookId { id: created.id },
        )
        .unwrap();
    assert_eq!((s.pending, s.dead_letters), (0, 0));
}

#[test]
fn kill_9_with_five_thousand_events_pending_loses_none() {
    let mut d = Daemon::start("sandbox = true\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    r.fail_for(3600.0);
    let created = create(&d, &token, &r, &["queued", "succeeded"]);
    // 50 messages × 50 recipients = 2,500 deliveries = 5,000 events.
    let batches: Vec<Vec<String>> = (0..50)
        .map(|m| {
            (0..50)
                .map(|i| format!("k{m}-{i}@d{}.test", i % 5))
                .collect()
        })
        .collect();
    send(&d, &batches);
    let id = WebhookId {
        id: created.id.clone(),
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = d.call(Some(&token), m::WEBHOOKS_STATUS, &id).unwrap();
        if s.pending >= 5_000 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "only {} events pending",
            s.pending
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    d.signal(9);
    d.wait(Duration::from_secs(10));
    r.fail_for(0.0);
    d.spawn();
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let events = r.events();
        if events.len() >= 5_000 {
            let by = kinds_by_recipient(&events);
            assert_eq!(by.len(), 2_500);
            assert!(by.values().all(|k| k == &["queued", "succeeded"]));
            assert_eq!(events.len(), 5_000);
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{} of 5000 events after restart",
            events.len()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    assert!(r.posts().iter().all(|(ok, _)| *ok));
}
