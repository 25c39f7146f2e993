//! End-to-end: the RPC access matrix (issue 17 §3). Every method of the table
//! (`hikyaku_rpc::methods::all()`) is called by every kind of caller — anonymous, API users
//! with each combination of rights, an account of each role — and from an address outside
//! `rpc.allowed_ips`; the answer must follow the access rule stated here from SPEC §11, not
//! read from the server. Hostile bodies (oversized, deeply nested, wrong types) get clear
//! JSON-RPC errors and store nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use hikyaku_e2e::{Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::errors::{FORBIDDEN, INVALID_PARAMS, IP_NOT_ALLOWED, UNAUTHENTICATED};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::{AddAccount, AddApiUser, Role};
use hikyaku_rpc::Access;
use serde_json::{json, Value};

/// Who calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    ApiUser { send: bool, transactional: bool },
    Account(Role),
}

/// The access rule of SPEC §11, restated independently of the server's `Caller::may`.
fn may(who: Who, access: Access) -> bool {
    match (who, access) {
        (_, Access::Public) => true,
        (Who::Anonymous, _) => false,
        (_, Access::Authenticated) => true,
        (Who::ApiUser { send, .. }, Access::Send) => send,
        (Who::ApiUser { transactional, .. }, Access::Report | Access::Transact) => transactional,
        (Who::ApiUser { .. }, Access::ServiceAdmin | Access::GroupAdmin) => false,
        (Who::Account(role), Access::Send) => role == Role::GroupAdmin,
        (Who::Account(_), Access::Report) => true,
        (Who::Account(role), Access::Transact | Access::ServiceAdmin) => {
            matches!(role, Role::GroupAdmin | Role::ServiceAdmin)
        }
        (Who::Account(role), Access::GroupAdmin) => role == Role::GroupAdmin,
    }
}

/// One HTTP/1.1 POST of `body` to the JSON-RPC listener at `addr`; returns the HTTP status
/// and the body.
fn post(addr: SocketAddr, bearer: Option<&str>, body: &[u8]) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let auth = bearer
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) and close before the whole body is written.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|x| x.1).unwrap_or("");
    (status, body.to_string())
}

/// A JSON-RPC call with `params` as given; returns the response object.
fn call(addr: SocketAddr, bearer: Option<&str>, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (status, text) = post(addr, bearer, body.to_string().as_bytes());
    assert_eq!(status, 200, "{method}: HTTP {status}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{method}: {e}: {text}"))
}

fn error_code(v: &Value) -> Option<i64> {
    v.get("error")
        .and_then(|e| e.get("code"))
        .and_then(Value::as_i64)
}

/// A daemon on every address (`::`), whose RPC allow list holds 127.0.0.0/8 only: a call
/// through `::1` comes from a real address outside the list.
fn daemon() -> (Daemon, SocketAddr, SocketAddr) {
    let mut d = Daemon::start_bound(
        "[rpc]\nallowed_ips = [\"127.0.0.0/8\"]\nmax_request_kb = 64\n",
        &[],
        Ipv6Addr::UNSPECIFIED.into(),
    );
    let inside = SocketAddr::new(Ipv4Addr::LOCALHOST.into(), d.rpc.port());
    let outside = SocketAddr::new(Ipv6Addr::LOCALHOST.into(), d.rpc.port());
    d.rpc = inside;
    (d, inside, outside)
}

#[test]
fn every_method_follows_its_access_rule_for_every_caller() {
    let (d, inside, outside) = daemon();
    let admin = d.login("admin", ADMIN_PASSWORD);
    let mut callers: Vec<(Who, Option<String>)> = vec![
        (Who::Anonymous, None),
        (Who::Account(Role::GroupAdmin), Some(admin.clone())),
    ];
    for (send, transactional) in [(true, false), (false, true), (true, true), (false, false)] {
        let key = d
            .call(
                Some(&admin),
                m::USERS_ADD_API_USER,
                &AddApiUser {
                    name: format!("api-{send}-{transactional}"),
                    password: None,
                    send,
                    transactional,
                },
            )
            .unwrap()
            .api_key;
        callers.push((
            Who::ApiUser {
                send,
                transactional,
            },
            Some(key),
        ));
    }
    for (name, role) in [
        ("service-admin", Role::ServiceAdmin),
        ("report-viewer", Role::ReportViewer),
    ] {
        let password = "matrix-Password-7731";
        d.call(
            Some(&admin),
            m::USERS_ADD_ACCOUNT,
            &AddAccount {
                name: name.into(),
                password: password.into(),
                role,
            },
        )
        .unwrap();
        callers.push((Who::Account(role), Some(d.login(name, password))));
    }

    let table = m::all();
    assert!(table.len() > 50, "{} methods", table.len());
    let mut checked = 0;
    for info in &table {
        for (who, token) in &callers {
            // A positional array is never valid params: an allowed caller gets past the
            // access check to the parameter parser (-32602) and nothing runs.
            let v = call(inside, token.as_deref(), info.name, json!([1]));
            let code = error_code(&v);
            let what = format!("{} ({:?}) as {who:?}: {v}", info.name, info.access);
            if may(*who, info.access) {
                assert!(
                    info.name == "rpc.discover" || code == Some(INVALID_PARAMS.into()),
                    "allowed call refused or not parsed: {what}"
                );
                assert!(
                    ![UNAUTHENTICATED, FORBIDDEN, IP_NOT_ALLOWED]
                        .map(i64::from)
                        .contains(&code.unwrap_or(0)),
                    "{what}"
                );
            } else {
                let want = if *who == Who::Anonymous {
                    UNAUTHENTICATED
                } else {
                    FORBIDDEN
                };
                assert_eq!(code, Some(want.into()), "refusal: {what}");
                let message = v["error"]["message"].as_str().unwrap_or("");
                assert!(message.contains(info.name), "{what}");
            }
            checked += 1;
        }
        // From outside the allow list every method, public ones too, is refused before the
        // credential is even looked at.
        for token in [None, Some(admin.as_str())] {
            let v = call(outside, token, info.name, json!({}));
            assert_eq!(
                error_code(&v),
                Some(IP_NOT_ALLOWED.into()),
                "{} from ::1: {v}",
                info.name
            );
            checked += 1;
        }
    }
    eprintln!(
        "{checked} calls checked ({} methods × {} callers + outside)",
        table.len(),
        callers.len()
    );
    // Nothing of that was queued or stored as a change.
    assert!(d.queue().is_empty());
}

/// Queue length and operation-log size, to show a refused request stored nothing.
fn stored(d: &Daemon, admin: &str) -> (usize, usize) {
    let log = call(d.rpc, Some(admin), "oplog.search", json!({}));
    let entries = log["result"]["entries"].as_array().map_or(0, Vec::len);
    (d.queue().len(), entries)
}

#[test]
fn hostile_bodies_get_clear_errors_and_store_nothing() {
    let (d, inside, _) = daemon();
    let admin = d.login("admin", ADMIN_PASSWORD);
    let before = stored(&d, &admin);
    let send = |params: Value| call(inside, Some(&admin), "send.single", params);
    let valid =
        json!({"from": "app@e2e.test", "to": ["r@example.com"], "subject": "s", "text": "t"});

    // Wrong types: -32602 naming the field.
    for (field, bad) in [
        ("to", json!(5)),
        ("subject", json!(["not", "a", "string"])),
        ("from", json!({"nested": true})),
        ("attachments", json!("file.txt")),
    ] {
        let mut p = valid.clone();
        p[field] = bad;
        let v = send(p);
        assert_eq!(error_code(&v), Some(INVALID_PARAMS.into()), "{field}: {v}");
        let message = v["error"]["message"].as_str().unwrap_or("");
        assert!(
            message.contains(field),
            "{field}: message does not name it: {v}"
        );
    }
    // A field that does not exist, a missing one, and params that are not an object.
    let mut p = valid.clone();
    p["bcc_everyone"] = json!(true);
    let v = send(p);
    assert_eq!(error_code(&v), Some(INVALID_PARAMS.into()), "{v}");
    let v = call(inside, Some(&admin), "blocks.add", json!({"list": "block"}));
    assert_eq!(error_code(&v), Some(INVALID_PARAMS.into()), "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("addresses"),
        "{v}"
    );
    let v = call(inside, Some(&admin), "send.single", json!("to everyone"));
    assert_eq!(error_code(&v), Some(INVALID_PARAMS.into()), "{v}");

    // Deep nesting, in a field and as the whole params: refused, the daemon stays up.
    for depth in [200, 5_000] {
        let deep = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let body = format!(
            r#"{{"jsonrpc":"2.0","id":1,"method":"send.single","params":{{"from":"app@e2e.test","to":{deep},"subject":"s","text":"t"}}}}"#
        );
        let (status, text) = post(inside, Some(&admin), body.as_bytes());
        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let code = error_code(&v);
        assert!(
            status == 200 && matches!(code, Some(-32700 | -32600 | -32602)),
            "depth {depth}: HTTP {status} {text}"
        );
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty()),
            "{text}"
        );
    }

    // Larger than rpc.max_request_kb (64 KiB here): refused before it is parsed.
    let mut p = valid.clone();
    p["text"] = json!("x".repeat(200 * 1024));
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "send.single", "params": p});
    let (status, text) = post(inside, Some(&admin), body.to_string().as_bytes());
    assert!(
        status == 413 || text.contains("too big") || text.contains("too large"),
        "oversized body: HTTP {status} {}",
        &text[..text.len().min(300)]
    );

    // The daemon still answers, and none of it was stored.
    assert_eq!(stored(&d, &admin), before);
    let v = send(valid);
    assert!(v.get("result").is_some(), "{v}");
    assert_eq!(d.queue().len(), before.0 + 1);
}

/// Whether the server has closed `s` (end of stream or a reset), without blocking.
fn closed(mut s: &TcpStream) -> bool {
    s.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
    let mut b = [0u8; 256];
    match s.read(&mut b) {
        Ok(0) => true,
        Ok(_) => closed(s),
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// 300 connections from one address that never finish their headers (a byte a second, more
/// than `rpc.max_connections` allows at once): a real call is still answered at once, and the
/// server's header timeout closes every slow connection although it keeps sending.
#[test]
fn slow_header_connections_neither_block_the_api_nor_stay_open() {
    let (d, inside, _) = daemon();
    let mut slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut s = TcpStream::connect(inside).unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nHost: e2e\r\nX-Slow: ")
                .unwrap();
            s
        })
        .collect();
    let t = std::time::Instant::now();
    let v = call(inside, None, "rpc.discover", json!({}));
    assert!(v.get("result").is_some(), "{v}");
    assert!(t.elapsed() < Duration::from_secs(2), "{:?}", t.elapsed());
    let token = d.login("admin", ADMIN_PASSWORD);
    let v = call(inside, Some(&token), "system.status", json!({}));
    assert!(v.get("result").is_some(), "{v}");

    let deadline = std::time::Instant::now() + Duration::from_secs(45);
    loop {
        for s in &mut slow {
            let _ = s.write_all(b"x");
        }
        let open = slow.iter().filter(|s| !closed(s)).count();
        if open == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{open} of 300 slow-header connections still open after 45 s"
        );
        std::thread::sleep(Duration::from_secs(1));
    }
}
