//! End-to-end: the JSON-RPC API of the real daemon through the real jsonrpsee client
//! (`hikyaku_rpc::client`): sending, search, bulk jobs, roles, IP allow-list, lockout,
//! settings lifecycle and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;

use hikyaku_e2e::{wait_for, Daemon, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockChange, BlockQuery, ListName};
use hikyaku_rpc::types::deliveries::{DeliveryQuery, ExportFormat, ExportQuery, Status};
use hikyaku_rpc::types::queue::{ForceSend, SummaryQuery};
use hikyaku_rpc::types::send::{BulkRecipient, JobQuery, JobState, SendBulk, SendSingle};
use hikyaku_rpc::types::settings::GetSettings;
use hikyaku_rpc::types::stats::{DailyQuery, GroupBy};
use hikyaku_rpc::types::users::{AddAccount, AddApiUser, Login, Role, UserName};
use hikyaku_rpc::types::NoParams;

fn key() -> Option<&'static str> {
    Some(API_KEY)
}

fn simple(to: &[&str]) -> SendSingle {
    SendSingle {
        from: "Shop <shop@app.test>".into(),
        to: to.iter().map(|s| s.to_string()).collect(),
        subject: "Hello".into(),
        text: Some("Hello there".into()),
        ..SendSingle::default()
    }
}

fn code(e: hikyaku_rpc::client::ClientError) -> i32 {
    e.code().unwrap_or_else(|| panic!("transport error: {e}"))
}

#[test]
fn send_single_then_find_the_outcome_by_recipient() {
    let d = Daemon::start("sandbox = true\n");
    let mut p = simple(&["Someone@Example.NET", "user-unknown@example.org"]);
    p.tags = vec!["welcome".into()];
    p.html = Some("<p>Hello</p>".into());
    let sent = d.call(key(), m::SEND_SINGLE, &p).unwrap();
    assert_eq!(sent.deliveries.len(), 2);
    assert!(!sent.duplicate);
    // Case-insensitive recipient search finds the sandbox outcome.
    let ok = wait_for("succeeded", || {
        let page = d
            .call(
                key(),
                m::DELIVERIES_SEARCH,
                &DeliveryQuery {
                    recipient: Some("someone@example.net".into()),
                    status: Some(Status::Succeeded),
                    ..Default::default()
                },
            )
            .unwrap();
        page.records.into_iter().next()
    });
    assert_eq!(ok.delivery_id, sent.deliveries[0].delivery_id);
    assert_eq!(ok.api_user.as_deref(), Some("default"));
    assert_eq!(ok.tags, vec!["welcome".to_string()]);
    let failed = wait_for("failed", || {
        d.call(
            key(),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("USER-UNKNOWN@example.org".into()),
                status: Some(Status::Failed),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(failed.error_status, Some(2));
    // Export streams the same records as CSV with a header.
    let chunk = d
        .call(
            key(),
            m::DELIVERIES_EXPORT,
            &ExportQuery {
                query: DeliveryQuery {
                    message_id: Some(sent.message_id.clone()),
                    ..Default::default()
                },
                format: ExportFormat::Csv,
            },
        )
        .unwrap();
    assert!(
        chunk.data.starts_with("time,delivery_id,"),
        "{}",
        chunk.data
    );
    assert!(
        chunk.records >= 4,
        "queued + outcome for two recipients: {}",
        chunk.data
    );
    // Daily statistics count them.
    let stats = d
        .call(
            key(),
            m::STATS_DAILY,
            &DailyQuery {
                time_zone: Some("Asia/Tokyo".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let total: u64 = stats.rows.iter().map(|r| r.queued).sum();
    assert_eq!(total, 2, "{stats:?}");
}

#[test]
fn idempotency_key_returns_the_first_result() {
    let d = Daemon::start("sandbox = true\n");
    let mut p = simple(&["a@example.net"]);
    p.idempotency_key = Some("order-42".into());
    let first = d.call(key(), m::SEND_SINGLE, &p).unwrap();
    let second = d.call(key(), m::SEND_SINGLE, &p).unwrap();
    assert!(second.duplicate);
    assert_eq!(first.deliveries, second.deliveries);
    let page = d
        .call(
            key(),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("a@example.net".into()),
                status: Some(Status::Queued),
                ..Default::default()
            },
        )
        .unwrap();
    assert_eq!(page.records.len(), 1, "sent once");
}

#[test]
fn bulk_job_runs_to_completion_and_bad_placeholders_queue_nothing() {
    let d = Daemon::start("sandbox = true\n");
    let recipients: Vec<BulkRecipient> = (0..600)
        .map(|i| BulkRecipient {
            to: format!("user{i}@bulk{}.test", i % 7),
            values: BTreeMap::from([("name".to_string(), format!("User {i}"))]),
        })
        .collect();
    let mut bulk = SendBulk {
        from: "news@app.test".into(),
        subject: "Hi %%name%%".into(),
        text: Some("Dear %%name%%, 100%% real.".into()),
        recipients,
        ..SendBulk::default()
    };
    // One recipient lacks a value: the whole call fails, naming it, and nothing is queued.
    bulk.recipients[17].values.clear();
    let err = d.call(key(), m::SEND_BULK, &bulk).unwrap_err();
    assert!(
        err.to_string()
            .contains("recipients[17].values: no value for placeholder %%name%%"),
        "{err}"
    );
    let summary = d
        .call(key(), m::DELIVERIES_SEARCH, &DeliveryQuery::default())
        .unwrap();
    assert!(summary.records.is_empty());

    bulk.recipients[17]
        .values
        .insert("name".into(), "Seventeen".into());
    let accepted = d.call(key(), m::SEND_BULK, &bulk).unwrap();
    assert_eq!(accepted.total, 600);
    let status = wait_for("job done", || {
        let s = d
            .call(
                key(),
                m::SEND_JOB,
                &JobQuery {
                    job_id: accepted.job_id.clone(),
                    offset: 17,
                    limit: 1,
                },
            )
            .unwrap();
        (s.state == JobState::Done).then_some(s)
    });
    assert_eq!(status.queued, 600);
    assert_eq!(status.deliveries[0].recipient, "user17@bulk3.test");
    // The personalised message was stored: the subject in the log carries the value.
    let rec = wait_for("record", || {
        d.call(
            key(),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("user17@bulk3.test".into()),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(rec.subject, "Hi Seventeen");
    // Another caller cannot see the job.
    let other = d
        .call(
            Some(&d.login("admin", ADMIN_PASSWORD)),
            m::USERS_ADD_API_USER,
            &AddApiUser {
                name: "other".into(),
                password: None,
                send: true,
                transactional: true,
            },
        )
        .unwrap();
    let e = d
        .call(
            Some(&other.api_key),
            m::SEND_JOB,
            &JobQuery {
                job_id: accepted.job_id,
                offset: 0,
                limit: 0,
            },
        )
        .unwrap_err();
    assert_eq!(code(e), errors::NOT_FOUND);
}

#[test]
fn roles_and_rights_are_enforced() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let sender = d
        .call(
            Some(&admin),
            m::USERS_ADD_API_USER,
            &AddApiUser {
                name: "sender".into(),
                password: None,
                send: true,
                transactional: false,
            },
        )
        .unwrap();
    d.call(
        Some(&admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: "viewer".into(),
            password: "viewer-password".into(),
            role: Role::ReportViewer,
        },
    )
    .unwrap();
    d.call(
        Some(&admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: "ops".into(),
            password: "ops-password".into(),
            role: Role::ServiceAdmin,
        },
    )
    .unwrap();
    let viewer = d.login("viewer", "viewer-password");
    let ops = d.login("ops", "ops-password");

    // No credential.
    assert_eq!(
        code(
            d.call(None, m::DELIVERIES_SEARCH, &DeliveryQuery::default())
                .unwrap_err()
        ),
        errors::UNAUTHENTICATED
    );
    assert_eq!(
        code(
            d.call(Some("hk_not_a_key"), m::SYSTEM_STATUS, &NoParams {})
                .unwrap_err()
        ),
        errors::UNAUTHENTICATED
    );
    // Sending right only: may send, may not search.
    d.call(
        Some(&sender.api_key),
        m::SEND_SINGLE,
        &simple(&["x@example.net"]),
    )
    .unwrap();
    assert_eq!(
        code(
            d.call(
                Some(&sender.api_key),
                m::DELIVERIES_SEARCH,
                &DeliveryQuery::default()
            )
            .unwrap_err()
        ),
        errors::FORBIDDEN
    );
    // Report viewer: reads reports, nothing else.
    d.call(
        Some(&viewer),
        m::DELIVERIES_SEARCH,
        &DeliveryQuery::default(),
    )
    .unwrap();
    assert_eq!(
        code(
            d.call(
                Some(&viewer),
                m::BLOCKS_ADD,
                &BlockChange {
                    list: ListName::Block,
                    addresses: vec!["a@b.c".into()],
                    reason: None
                }
            )
            .unwrap_err()
        ),
        errors::FORBIDDEN
    );
    assert_eq!(
        code(
            d.call(Some(&viewer), m::SETTINGS_APPLY, &NoParams {})
                .unwrap_err()
        ),
        errors::FORBIDDEN
    );
    assert_eq!(
        code(
            d.call(Some(&viewer), m::SEND_SINGLE, &simple(&["x@example.net"]))
                .unwrap_err()
        ),
        errors::FORBIDDEN
    );
    // Service administrator: settings and queue, not users.
    d.call(Some(&ops), m::SETTINGS_GET, &GetSettings::default())
        .unwrap();
    d.call(Some(&ops), m::QUEUE_SUMMARY, &SummaryQuery::default())
        .unwrap();
    assert_eq!(
        code(d.call(Some(&ops), m::USERS_LIST, &NoParams {}).unwrap_err()),
        errors::FORBIDDEN
    );
    // API users see only their own deliveries.
    let mine = d
        .call(
            key(),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                api_user: Some("sender".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        mine.records
            .iter()
            .all(|r| r.api_user.as_deref() == Some("default")),
        "{mine:?}"
    );
    let all = d
        .call(
            Some(&admin),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                api_user: Some("sender".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(!all.records.is_empty());
    // Logout ends the session.
    d.call(Some(&viewer), m::USERS_LOGOUT, &NoParams {})
        .unwrap();
    assert_eq!(
        code(
            d.call(Some(&viewer), m::SYSTEM_STATUS, &NoParams {})
                .unwrap_err()
        ),
        errors::UNAUTHENTICATED
    );
}

#[test]
fn connection_ip_allow_list_refuses_others() {
    let d = Daemon::start("sandbox = true\n[rpc]\nallowed_ips = [\"10.0.0.0/8\"]\n");
    let e = d.call(key(), m::SYSTEM_STATUS, &NoParams {}).unwrap_err();
    assert_eq!(code(e), errors::IP_NOT_ALLOWED);
    let e = d
        .call(
            None,
            m::USERS_LOGIN,
            &Login {
                account: "admin".into(),
                password: ADMIN_PASSWORD.into(),
                totp: None,
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("127.0.0.1"), "{e}");
}

#[test]
fn ten_failed_logins_lock_the_account_until_unlocked() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    d.call(
        Some(&admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: "eve".into(),
            password: "eve-password".into(),
            role: Role::ReportViewer,
        },
    )
    .unwrap();
    let login = |pw: &str| {
        d.call(
            None,
            m::USERS_LOGIN,
            &Login {
                account: "eve".into(),
                password: pw.into(),
                totp: None,
            },
        )
    };
    for _ in 0..9 {
        assert_eq!(code(login("wrong").unwrap_err()), errors::UNAUTHENTICATED);
    }
    assert_eq!(code(login("wrong").unwrap_err()), errors::ACCOUNT_LOCKED);
    assert_eq!(
        code(login("eve-password").unwrap_err()),
        errors::ACCOUNT_LOCKED
    );
    let users = d.call(Some(&admin), m::USERS_LIST, &NoParams {}).unwrap();
    assert!(users.accounts.iter().any(|a| a.name == "eve" && a.locked));
    d.call(
        Some(&admin),
        m::USERS_UNLOCK,
        &UserName { name: "eve".into() },
    )
    .unwrap();
    login("eve-password").unwrap();
}

#[test]
fn bad_input_gets_precise_errors_and_queues_nothing() {
    let d = Daemon::start("sandbox = true\n[relay]\nmax_message_size_kb = 64\n");
    let cases: Vec<(&str, &str, &str)> = vec![
        ("send.single", "[1, 2]", "one object of named parameters"),
        (
            "send.single",
            r#"{"from": "a@b.test", "to": ["x@y.test"], "text": "t", "colour": 1}"#,
            "unknown field `colour`",
        ),
        (
            "send.single",
            r#"{"to": ["x@y.test"], "text": "t"}"#,
            "missing field `from`",
        ),
        (
            "send.single",
            r#"{"from": "a@b.test", "to": ["not an address"], "text": "t"}"#,
            "to[0]:",
        ),
        (
            "send.single",
            r#"{"from": "a@b.test", "to": ["x@y.test"], "text": "t", "attachments": [{"filename": "f", "content": "%%%"}]}"#,
            "attachments[0].content: not valid base64",
        ),
        (
            "send.single",
            r#"{"from": "a@b.test", "to": ["x@y.test"], "text": "t", "headers": [{"name": "Bad Name", "value": "v"}]}"#,
            "headers[0].name",
        ),
        ("deliveries.search", r#"{"since": "yesterday"}"#, "since:"),
        ("deliveries.search", r#"{"cursor": "zz"}"#, "cursor:"),
        ("deliveries.search", r#"{"limit": 5000}"#, "limit:"),
        (
            "stats.daily",
            r#"{"time_zone": "Mars/Olympus"}"#,
            "time_zone:",
        ),
        (
            "queue.force_send",
            r#"{"delivery_id": "xyz"}"#,
            "delivery_id:",
        ),
        ("blocks.add", r#"{"addresses": ["@@"]}"#, "addresses[0]"),
    ];
    for (method, params, expected) in cases {
        let e = d.call_raw(key(), method, params).unwrap_err();
        assert_eq!(
            e.code(),
            Some(errors::INVALID_PARAMS),
            "{method} {params}: {e}"
        );
        assert!(e.to_string().contains(expected), "{method} {params}: {e}");
    }
    let mut big = simple(&["x@y.test"]);
    big.text = Some("x".repeat(100 * 1024));
    let e = d.call(key(), m::SEND_SINGLE, &big).unwrap_err();
    assert!(
        e.to_string().contains("message: the built message has"),
        "{e}"
    );
    let e = d.call_raw(key(), "no.such_method", "{}").unwrap_err();
    assert_eq!(e.code(), Some(-32601));
    let page = d
        .call(key(), m::DELIVERIES_SEARCH, &DeliveryQuery::default())
        .unwrap();
    assert!(page.records.is_empty(), "nothing queued: {page:?}");
}

#[test]
fn blocks_suppress_delivery_and_force_send_retries_deferred() {
    // Not sandbox: everything goes to a closed port and is deferred.
    let d = Daemon::start("");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let changed = d
        .call(
            key(),
            m::BLOCKS_ADD,
            &BlockChange {
                list: ListName::Block,
                addresses: vec!["Blocked@Example.net".into(), "blocked@example.net".into()],
                reason: Some("test".into()),
            },
        )
        .unwrap();
    assert_eq!((changed.changed, changed.unchanged), (1, 1));
    let listed = d
        .call(key(), m::BLOCKS_LIST, &BlockQuery::default())
        .unwrap();
    assert_eq!(listed.entries.len(), 1);
    assert_eq!(listed.entries[0].address, "blocked@example.net");
    d.call(
        key(),
        m::SEND_SINGLE,
        &simple(&["blocked@example.net", "someone@example.net"]),
    )
    .unwrap();
    let blocked = wait_for("blocked outcome", || {
        d.call(
            key(),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("blocked@example.net".into()),
                status: Some(Status::Failed),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .into_iter()
        .next()
    });
    assert_eq!(blocked.error_status, Some(10));
    wait_for("deferred", || {
        let s = d
            .call(Some(&admin), m::QUEUE_SUMMARY, &SummaryQuery::default())
            .unwrap();
        (s.total == 1 && s.domains[0].deferred == 1).then_some(())
    });
    let forced = d
        .call(
            key(),
            m::QUEUE_FORCE_SEND,
            &ForceSend {
                domain: Some("example.net".into()),
                delivery_id: None,
            },
        )
        .unwrap();
    assert_eq!(forced.forced, 1);
    let removed = d
        .call(
            key(),
            m::BLOCKS_REMOVE,
            &BlockChange {
                list: ListName::Block,
                addresses: vec!["blocked@example.net".into()],
                reason: None,
            },
        )
        .unwrap();
    assert_eq!(removed.changed, 1);
    let stats = d
        .call(
            Some(&admin),
            m::STATS_DAILY,
            &DailyQuery {
                group_by: GroupBy::Domain,
                time_zone: Some("+09:00".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(
        stats
            .rows
            .iter()
            .any(|r| r.key.as_deref() == Some("example.net") && r.failed == 1),
        "{stats:?}"
    );
}

#[test]
fn rate_limit_and_discovery() {
    let d = Daemon::start("sandbox = true\n[rpc]\nrate_limit_per_sec = 5\n");
    let doc = d.call(None, m::RPC_DISCOVER, &NoParams {}).unwrap();
    assert_eq!(doc["openrpc"], "1.3.2");
    assert!(doc["methods"].as_array().unwrap().len() >= 25);
    let limited = (0..40)
        .filter(|_| matches!(d.call(key(), m::SYSTEM_STATUS, &NoParams {}), Err(e) if e.code() == Some(errors::RATE_LIMITED)))
        .count();
    assert!(limited > 0, "no call was rate limited");
}

#[test]
fn tls_websocket_and_request_size_limit() {
    // A certificate for the API, made with the openssl CLI.
    let dir = tempfile::tempdir().unwrap();
    let (cert, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    let ok = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
        ])
        .arg(&key_pem)
        .arg("-out")
        .arg(&cert)
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(ok.success());
    let d = Daemon::start(&format!(
        "sandbox = true\n[rpc]\ntls_cert = {:?}\ntls_key = {:?}\nmax_request_kb = 16\n",
        cert.display().to_string(),
        key_pem.display().to_string()
    ));
    let script = r#"
import json, ssl, sys, http.client
port, key = int(sys.argv[1]), sys.argv[2]
ctx = ssl._create_unverified_context()
c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx, timeout=10)
def call(body):
    c.request("POST", "/", body=body, headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
    r = c.getresponse()
    return r.status, r.read().decode()
print(call(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "system.status", "params": {}}))[1])
print(c.sock.version())
big = {"jsonrpc": "2.0", "id": 2, "method": "send.single", "params": {"from": "a@b.test", "to": ["c@d.test"], "text": "x" * 40000}}
try:
    print(call(json.dumps(big)))
except (OSError, http.client.HTTPException) as e:
    # The server may answer 413 and close before reading the whole body.
    print("413 closed", e)
"#;
    let out = hikyaku_e2e::python(script, &[&d.rpc.port().to_string(), API_KEY]);
    assert!(out.contains("\"sandbox\":true"), "{out}");
    assert!(
        out.contains("too big") || out.contains("413"),
        "oversize request: {out}"
    );
    assert!(out.contains("TLSv1.3"), "{out}");
    // Plain HTTP to the TLS port gets no JSON-RPC answer.
    assert!(d.call(key(), m::SYSTEM_STATUS, &NoParams {}).is_err());
}

#[test]
fn websocket_clients_are_served_with_the_same_checks() {
    use jsonrpsee::core::client::ClientT;
    let d = Daemon::start("sandbox = true\n");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut headers = jsonrpsee::http_client::HeaderMap::new();
        headers.insert(
            "authorization",
            format!("Bearer {API_KEY}").parse().unwrap(),
        );
        let ws = jsonrpsee::ws_client::WsClientBuilder::default()
            .set_headers(headers)
            .build(format!("ws://{}", d.rpc))
            .await
            .unwrap();
        let status: serde_json::Value = ws
            .request("system.status", jsonrpsee::rpc_params![])
            .await
            .unwrap();
        assert_eq!(status["sandbox"], true);
        let anon = jsonrpsee::ws_client::WsClientBuilder::default()
            .build(format!("ws://{}", d.rpc))
            .await
            .unwrap();
        let e = anon
            .request::<serde_json::Value, _>("deliveries.search", jsonrpsee::rpc_params![])
            .await
            .unwrap_err();
        assert!(e.to_string().contains("needs a credential"), "{e}");
    });
}
