//! End-to-end: the message policy through the real daemon and a capturing sink — Received
//! stripping, forwarding (copy and rewrite), priority classes on a slow destination, prohibited
//! hours, the envelope-From precedence, and settings that refuse a bad filter with its position.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use hikyaku_e2e::{message_sink, wait_for, Captures, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::settings::SetSettings;
use hikyaku_rpc::types::NoParams;

/// Sends one message and returns the `250` reply.
fn send(d: &Daemon, from: &str, rcpts: &[&str], headers: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd(&format!("MAIL FROM:<{from}>")).starts_with("250"));
    for r in rcpts {
        let reply = c.cmd(&format!("RCPT TO:<{r}>"));
        assert!(reply.starts_with("250"), "{r}: {reply}");
    }
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!("{headers}\r\nbody\r\n."));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// A daemon delivering everything to `sink`, with `extra` settings.
fn daemon(sink: std::net::SocketAddr, extra: &str) -> Daemon {
    Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n{extra}"
    ))
}

fn wait_count(seen: &Captures, n: usize) -> Vec<hikyaku_e2e::Captured> {
    wait_for(&format!("{n} transaction(s) at the sink"), || {
        let s = seen.lock().unwrap();
        (s.len() >= n).then(|| s.clone())
    })
}

#[test]
fn received_headers_of_the_application_are_stripped() {
    let (sink, seen) = message_sink();
    let d = daemon(sink, "[policy]\nstrip_received = true\n");
    send(
        &d,
        "app@shop.test",
        &["a@dest.test"],
        "Received: from app-host by mta.shop.test;\r\n\tTue, 1 Dec 2026 10:00:00 +0000\r\nreceived: from laptop by app-host\r\nSubject: strip\r\nX-Kept: yes",
    );
    let got = wait_count(&seen, 1);
    let data = &got[0].data;
    let received: Vec<&str> = data
        .lines()
        .filter(|l| l.to_ascii_lowercase().starts_with("received:"))
        .collect();
    assert_eq!(received.len(), 1, "{data}");
    assert!(received[0].starts_with("Received: from client"), "{data}");
    assert!(data.contains("(hikyaku)"), "{data}");
    assert!(
        !data.contains("app-host"),
        "continuation line left behind:\n{data}"
    );
    assert!(data.contains("X-Kept: yes") && data.contains("Subject: strip"));
}

#[test]
fn forwarding_copies_and_rewrites_by_filter() {
    let (sink, seen) = message_sink();
    let d = daemon(
        sink,
        r#"[[policy.rules]]
header = "Subject"
match = "Order .*"
forward = { to = "archive@archive.test", mode = "copy" }
[[policy.rules]]
header = "To"
match = "support@.+"
forward = { to = "desk@helpdesk.test", mode = "rewrite" }
"#,
    );
    send(
        &d,
        "app@shop.test",
        &["buyer@dest.test"],
        "Subject: Order 42",
    );
    send(&d, "app@shop.test", &["Support@Shop.test"], "Subject: help");
    let got = wait_count(&seen, 3);
    let mut rcpts: Vec<String> = got.iter().flat_map(|c| c.rcpts.clone()).collect();
    rcpts.sort();
    assert_eq!(
        rcpts,
        vec![
            "archive@archive.test",
            "buyer@dest.test",
            "desk@helpdesk.test"
        ]
    );
    // The copy is the same message.
    let copy = got
        .iter()
        .find(|c| c.rcpts == ["archive@archive.test"])
        .unwrap();
    assert!(copy.data.contains("Subject: Order 42"));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        seen.lock().unwrap().len(),
        3,
        "support@ must not be delivered as well"
    );
}

#[test]
fn high_priority_overtakes_a_low_backlog_without_starving_it() {
    let (sink, seen) = message_sink();
    let d = daemon(
        sink,
        r#"[delivery.domains."slow.test"]
max_connections = 1
interval_ms = 40
[[policy.rules]]
header = "Subject"
match = "bulk .*"
priority = "low"
[[policy.rules]]
header = "X-Importance"
match = "urgent"
priority = "high"
"#,
    );
    let mut c = Raw::hello(d.relay);
    let mut one = |subject: &str, extra: &str| {
        assert!(c.cmd("MAIL FROM:<app@shop.test>").starts_with("250"));
        assert!(c.cmd("RCPT TO:<r@slow.test>").starts_with("250"));
        assert!(c.cmd("DATA").starts_with("354"));
        assert!(c
            .cmd(&format!("Subject: {subject}\r\n{extra}\r\nx\r\n."))
            .starts_with("250"));
    };
    for i in 0..40 {
        one(&format!("bulk {i}"), "X-Importance: none");
    }
    for i in 0..10 {
        one(&format!("urgent {i}"), "X-Importance: urgent");
    }
    c.cmd("QUIT");
    let got = wait_count(&seen, 50);
    let order: Vec<String> = got
        .iter()
        .map(|c| {
            c.data
                .lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or("")
                .to_string()
        })
        .collect();
    let first_urgent = order.iter().position(|s| s.starts_with("urgent")).unwrap();
    let last_urgent = order.iter().rposition(|s| s.starts_with("urgent")).unwrap();
    let bulk_after_urgent_queued = order[first_urgent..]
        .iter()
        .filter(|s| s.starts_with("bulk"))
        .count();
    assert!(
        bulk_after_urgent_queued >= 5,
        "the urgent mail must arrive while bulk is still waiting: {order:?}"
    );
    // 8:3:1 between the classes: the ten urgent messages go out within a dozen deliveries,
    // and the low class still gets its turn in between.
    assert!(last_urgent - first_urgent <= 13, "{order:?}");
    let bulk_between = order[first_urgent..=last_urgent]
        .iter()
        .filter(|s| s.starts_with("bulk"))
        .count();
    assert!(bulk_between >= 1, "low priority starved: {order:?}");
}

#[test]
fn prohibited_hours_hold_matching_recipients_until_the_window_ends() {
    // A window around the current UTC time, so the test holds whenever it runs; and one that
    // is closed now.
    let now = jiff_now_minutes();
    let hhmm = |m: i64| format!("{:02}:{:02}", m.rem_euclid(1440) / 60, m.rem_euclid(60));
    let (sink, seen) = message_sink();
    let d = daemon(
        sink,
        &format!(
            r#"[[policy.rules]]
header = "Subject"
match = "campaign .*"
hold = {{ from = "{}", to = "{}", time_zone = "UTC" }}
[[policy.rules]]
header = "Subject"
match = "other .*"
hold = {{ from = "{}", to = "{}", time_zone = "UTC" }}
"#,
            hhmm(now - 60),
            hhmm(now + 120),
            hhmm(now + 180),
            hhmm(now + 240),
        ),
    );
    send(
        &d,
        "app@shop.test",
        &["held@dest.test"],
        "Subject: campaign spring",
    );
    send(
        &d,
        "app@shop.test",
        &["free@dest.test"],
        "Subject: other spring",
    );
    let got = wait_count(&seen, 1);
    assert_eq!(got[0].rcpts, ["free@dest.test"]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(seen.lock().unwrap().len(), 1, "held mail was delivered");
    // Still queued, due at the window's end (to the minute), with the reason in the log.
    let queued = d.queue();
    assert_eq!(queued.len(), 1, "{queued:?}");
    let entry: serde_json::Value = serde_json::from_str(&queued[0]).unwrap();
    let due_min = entry["not_before_ms"].as_u64().unwrap() / 60_000;
    let end_min = (now + 120).rem_euclid(1440);
    assert_eq!((due_min % 1440) as i64, end_min, "{entry}");
    assert_eq!(entry["hold"]["time_zone"], "UTC");
    let log = d.command(
        &["log", "search", "--json", "--recipient", "held@dest.test"],
        None,
    );
    let log = String::from_utf8(log.stdout).unwrap();
    assert!(log.contains("held for prohibited hours"), "{log}");
}

/// Minutes since midnight UTC, now.
fn jiff_now_minutes() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    (secs / 60).rem_euclid(1440)
}

#[test]
fn the_sender_domains_rewrite_wins_over_the_global_one() {
    let (sink, seen) = message_sink();
    let d = daemon(
        sink,
        "[bounce]\nreturn_path_domain = \"bounce.global.test\"\nsender_domains = { \"brand.test\" = \"bounce.brand.test\" }\n",
    );
    send(&d, "news@brand.test", &["a@dest.test"], "Subject: brand");
    send(&d, "app@other.test", &["b@dest.test"], "Subject: other");
    let got = wait_count(&seen, 2);
    let from_of = |rcpt: &str| {
        got.iter()
            .find(|c| c.rcpts == [rcpt])
            .map(|c| c.from.clone())
            .unwrap()
    };
    assert!(
        from_of("a@dest.test").ends_with("@bounce.brand.test"),
        "{got:?}"
    );
    assert!(
        from_of("b@dest.test").ends_with("@bounce.global.test"),
        "{got:?}"
    );
    assert!(from_of("a@dest.test").starts_with("b-"));
}

#[test]
fn settings_refuse_a_bad_filter_naming_the_key_and_position() {
    let (sink, seen) = message_sink();
    let d = daemon(sink, "");
    let token = d.login("admin", ADMIN_PASSWORD);
    let set = |settings: serde_json::Value| {
        d.call(
            Some(&token),
            m::SETTINGS_SET,
            &SetSettings {
                settings,
                merge: true,
            },
        )
        .unwrap()
    };
    let bad = set(serde_json::json!({"policy": {"rules": [
        {"header": "Subject", "match": "sale (", "priority": "high"},
        {"header": "Received", "match": ".*", "priority": "low"},
    ]}}));
    assert!(!bad.valid);
    let problem = |key: &str| {
        bad.problems
            .iter()
            .find(|p| p.key == key)
            .unwrap_or_else(|| panic!("no problem for {key}: {:?}", bad.problems))
            .message
            .clone()
    };
    assert!(
        problem("policy.rules[0].match").starts_with("invalid regex at position"),
        "{:?}",
        bad.problems
    );
    assert!(problem("policy.rules[1].header").contains("several times"));
    let e = d
        .call(Some(&token), m::SETTINGS_APPLY, &NoParams {})
        .unwrap_err();
    assert!(e.to_string().contains("policy.rules[0].match"), "{e}");
    // A valid rule goes through draft -> apply and takes effect without a restart.
    let good = set(serde_json::json!({"policy": {"rules": [
        {"header": "To", "match": ".+@dest\\.test", "forward": {"to": "copy@archive.test", "mode": "copy"}},
    ]}}));
    assert!(good.valid, "{:?}", good.problems);
    d.call(Some(&token), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    send(
        &d,
        "app@shop.test",
        &["x@dest.test"],
        "Subject: after apply",
    );
    let got = wait_count(&seen, 2);
    let mut rcpts: Vec<String> = got.iter().flat_map(|c| c.rcpts.clone()).collect();
    rcpts.sort();
    assert_eq!(rcpts, ["copy@archive.test", "x@dest.test"]);
}
