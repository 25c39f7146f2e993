//! End-to-end: the settings lifecycle through JSON-RPC against the real daemon: draft,
//! validation naming keys, diff, apply on every shard (observed on the SMTP relay and in
//! delivery outcomes), rollback.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_e2e::{wait_for, Daemon, Raw, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::deliveries::{DeliveryQuery, Status};
use hikyaku_rpc::types::send::SendSingle;
use hikyaku_rpc::types::settings::{GetSettings, SetSettings};
use hikyaku_rpc::types::NoParams;

fn key() -> Option<&'static str> {
    Some(API_KEY)
}

#[test]
fn settings_draft_diff_apply_rollback_change_the_running_relay() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let three_rcpts = |d: &Daemon| {
        let mut c = Raw::hello(d.relay);
        assert!(c.cmd("MAIL FROM:<a@app.test>").starts_with("250"));
        let replies: Vec<String> = (0..3)
            .map(|i| c.cmd(&format!("RCPT TO:<r{i}@example.net>")))
            .collect();
        replies
    };
    assert!(three_rcpts(&d).iter().all(|r| r.starts_with("250")));
    // An invalid draft is saved but refused, naming the key.
    let v = d
        .call(
            Some(&admin),
            m::SETTINGS_SET,
            &SetSettings {
                settings: serde_json::json!({"relay": {"max_recipients": 0}}),
                merge: true,
            },
        )
        .unwrap();
    assert!(!v.valid);
    assert_eq!(v.problems[0].key, "relay.max_recipients");
    let e = d
        .call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap_err();
    assert!(e.to_string().contains("relay.max_recipients"), "{e}");
    let e = d
        .call(
            Some(&admin),
            m::SETTINGS_SET,
            &SetSettings {
                settings: serde_json::json!({"relay": {"listen": "0.0.0.0:25"}}),
                merge: true,
            },
        )
        .unwrap();
    assert!(e.problems.iter().any(|p| p.key == "relay.listen"), "{e:?}");
    // A valid draft: diff, apply, observe, roll back.
    let mut doc = d
        .call(Some(&admin), m::SETTINGS_GET, &GetSettings::default())
        .unwrap()
        .settings;
    doc["relay"]["max_recipients"] = 2.into();
    let v = d
        .call(
            Some(&admin),
            m::SETTINGS_SET,
            &SetSettings {
                settings: doc,
                merge: false,
            },
        )
        .unwrap();
    assert!(v.valid, "{v:?}");
    let diff = d
        .call(Some(&admin), m::SETTINGS_DIFF, &NoParams {})
        .unwrap();
    assert_eq!(diff.changes.len(), 1, "{diff:?}");
    assert_eq!(diff.changes[0].key, "relay.max_recipients");
    let applied = d
        .call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    assert_eq!(applied.version, 1);
    assert_eq!(applied.shards, 2);
    let replies = three_rcpts(&d);
    assert!(
        replies[1].starts_with("250") && replies[2].starts_with("452"),
        "{replies:?}"
    );
    let back = d
        .call(Some(&admin), m::SETTINGS_ROLLBACK, &NoParams {})
        .unwrap();
    assert_eq!(back.version, 2);
    assert!(three_rcpts(&d).iter().all(|r| r.starts_with("250")));
    let status = d
        .call(Some(&admin), m::SYSTEM_STATUS, &NoParams {})
        .unwrap();
    assert_eq!(status.settings_version, 2);
}

#[test]
fn sandbox_replies_are_settings_too() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let bad = d
        .call(Some(&admin), m::SETTINGS_SET, &SetSettings { settings: serde_json::json!({"sandbox_replies": [{"prefix": "x", "reply": "hello"}]}), merge: true })
        .unwrap();
    assert_eq!(bad.problems[0].key, "sandbox_replies", "{bad:?}");
    let good = d
        .call(Some(&admin), m::SETTINGS_SET, &SetSettings { settings: serde_json::json!({
            "sandbox_replies": [{"prefix": "vip", "reply": "554 VIPs are refused here"}],
            "bounce": {"extra_rules": "{\"status\": 8, \"pattern\": \"vips are refused here\"}"}
        }), merge: true })
        .unwrap();
    assert!(good.valid, "{good:?}");
    d.call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    d.call(
        key(),
        m::SEND_SINGLE,
        &SendSingle {
            from: "shop@app.test".into(),
            to: vec![
                "vip.customer@example.net".into(),
                "user-unknown@example.net".into(),
            ],
            text: Some("Hello".into()),
            ..SendSingle::default()
        },
    )
    .unwrap();
    for (rcpt, status, error) in [
        ("vip.customer@example.net", "554 VIPs", 8),
        ("user-unknown@example.net", "550 5.1.1", 2),
    ] {
        let r = wait_for(rcpt, || {
            d.call(
                key(),
                m::DELIVERIES_SEARCH,
                &DeliveryQuery {
                    recipient: Some(rcpt.into()),
                    status: Some(Status::Failed),
                    ..Default::default()
                },
            )
            .unwrap()
            .records
            .into_iter()
            .next()
        });
        assert!(r.smtp_reply.unwrap().starts_with(status));
        // The operator's extra classifier rule decides the error status of the VIP reply.
        assert_eq!(r.error_status, Some(error), "{rcpt}");
    }
}
