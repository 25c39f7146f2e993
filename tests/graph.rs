//! End-to-end `stats.graph`: mail sent to the sandbox-mode daemon over SMTP (some recipients
//! succeed, some fail with known error statuses) shows up in the delivery, error and domain
//! graphs, with the same totals `stats.daily` computes from the delivery log itself.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_e2e::{wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::stats::{DailyQuery, GraphBucket, GraphKind, GraphQuery};

fn send(d: &Daemon, to: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@shop.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{to}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c.cmd("Subject: graph\r\n\r\nbody\r\n.").starts_with("250"));
    c.cmd("QUIT");
}

fn query(kind: GraphKind) -> GraphQuery {
    GraphQuery {
        kind,
        from: None,
        to: None,
        bucket: GraphBucket::Hour,
        time_zone: Some("+09:00".into()),
        domain: None,
        api_user: None,
        top: Some(2),
    }
}

#[test]
fn graphs_count_what_was_sent() {
    let d = Daemon::start("sandbox = true\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    let t = Some(token.as_str());
    for i in 0..4 {
        send(&d, &format!("ok{i}@a.test"));
    }
    send(&d, "ok@b.test");
    send(&d, "user-unknown@b.test");
    send(&d, "mailbox-full@c.test");
    // 7 queued + 5 succeeded + 2 failed.
    let delivery = wait_for("every outcome in the graph", || {
        let g = d
            .call(t, m::STATS_GRAPH, &query(GraphKind::Delivery))
            .unwrap();
        (g.total == 14).then_some(g)
    });
    // The last 24 hours, rounded out to whole hours.
    assert!((24..=25).contains(&delivery.buckets.len()), "{delivery:?}");
    assert!(delivery.buckets[0].ends_with("+09:00"));
    let sum = |s: &str| -> u64 {
        delivery
            .series
            .iter()
            .find(|x| x.status == s)
            .unwrap()
            .values
            .iter()
            .sum()
    };
    assert_eq!((sum("queued"), sum("succeeded"), sum("failed")), (7, 5, 2));
    let daily = d
        .call(
            t,
            m::STATS_DAILY,
            &serde_json::from_value::<DailyQuery>(serde_json::json!({})).unwrap(),
        )
        .unwrap();
    let from_log: u64 = daily
        .rows
        .iter()
        .map(|r| r.queued + r.succeeded + r.failed + r.deferred)
        .sum();
    assert_eq!(from_log, 14);

    let errors = d.call(t, m::STATS_GRAPH, &query(GraphKind::Error)).unwrap();
    let slices: Vec<(&str, u64)> = errors
        .slices
        .iter()
        .map(|s| (s.key.as_str(), s.count))
        .collect();
    assert_eq!(slices, [("2", 1), ("5", 1)]);

    let domains = d
        .call(t, m::STATS_GRAPH, &query(GraphKind::Domain))
        .unwrap();
    let slices: Vec<(&str, u64)> = domains
        .slices
        .iter()
        .map(|s| (s.key.as_str(), s.count))
        .collect();
    assert_eq!(slices, [("a.test", 8), ("b.test", 4), ("others", 2)]);

    let mut q = query(GraphKind::Error);
    q.domain = Some("c.test".into());
    let c = d.call(t, m::STATS_GRAPH, &q).unwrap();
    assert_eq!(c.slices.len(), 1);
    assert_eq!(c.slices[0].key, "5");
    let bad = d.call_raw(t, "stats.graph", r#"{"kind": "pie"}"#);
    let e = format!("{:?}", bad.unwrap_err());
    assert!(e.contains("pie") && e.contains("delivery"), "{e}");
}
