//! End-to-end: every `failed` delivery writes an error-log record, whether the failure was a
//! synchronous reply of the next hop (`smtp`) or a bounce received later (`bounce`), and
//! synchronous unknown-user failures count towards automatic blocking exactly as bounces do.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;

use hikyaku_e2e::{free_port, wait_for, Daemon, Raw, Sink, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockPage, BlockQuery};
use hikyaku_rpc::types::bounces::{BounceExportQuery, BounceQuery, BounceRecord};
use hikyaku_rpc::types::deliveries::{DeliveryQuery, DeliveryRecord, ExportFormat, Status};

fn send(d: &Daemon, rcpt: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
    let r = c.cmd(&format!("RCPT TO:<{rcpt}>"));
    assert!(r.starts_with("250"), "{r}");
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!("Subject: {subject}\r\n\r\nhello\r\n."));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// A group administrator's session: mail relayed from loopback without AUTH belongs to no API
/// user, so only accounts see its records.
fn admin(d: &Daemon) -> String {
    d.login("admin", ADMIN_PASSWORD)
}

fn errors(d: &Daemon, t: &str, rcpt: &str) -> Vec<BounceRecord> {
    d.call(
        Some(t),
        m::BOUNCES_SEARCH,
        &BounceQuery {
            recipient: Some(rcpt.into()),
            ..Default::default()
        },
    )
    .unwrap()
    .records
}

fn failed(d: &Daemon, t: &str, rcpt: &str) -> Vec<DeliveryRecord> {
    d.call(
        Some(t),
        m::DELIVERIES_SEARCH,
        &DeliveryQuery {
            recipient: Some(rcpt.into()),
            status: Some(Status::Failed),
            ..Default::default()
        },
    )
    .unwrap()
    .records
}

fn blocked(d: &Daemon, t: &str) -> Vec<String> {
    let page: BlockPage = d
        .call(Some(t), m::BLOCKS_LIST, &BlockQuery::default())
        .unwrap();
    page.entries.into_iter().map(|e| e.address).collect()
}

/// Waits until `rcpt` has `n` error-log records and returns them.
fn wait_errors(d: &Daemon, t: &str, rcpt: &str, n: usize) -> Vec<BounceRecord> {
    wait_for(&format!("{n} error-log record(s) for {rcpt}"), || {
        let e = errors(d, t, rcpt);
        (e.len() >= n).then_some(e)
    })
}

#[test]
fn synchronous_unknown_user_is_logged_counted_and_blocked_after_n() {
    let d = Daemon::start("sandbox = true\n[bounce]\nblock_after = 2\n");
    let t = admin(&d);
    let rcpt = "user-unknown@example.com";
    send(&d, rcpt, "first");
    let first = wait_errors(&d, &t, rcpt, 1);
    let e = &first[0];
    assert_eq!(
        (e.source.as_str(), e.error_status, e.reason.as_str()),
        ("smtp", 2, "unknown user")
    );
    assert_eq!(e.smtp_status, Some(550));
    assert_eq!(e.enhanced_status.as_deref(), Some("5.1.1"));
    assert_eq!(e.remote_host.as_deref(), Some("sandbox"));
    let delivery = failed(&d, &t, rcpt);
    assert_eq!(delivery.len(), 1);
    assert_eq!(
        e.delivery_id.as_deref(),
        Some(delivery[0].delivery_id.as_str())
    );
    // One error of two: not blocked yet.
    assert!(blocked(&d, &t).is_empty());

    send(&d, rcpt, "second");
    wait_errors(&d, &t, rcpt, 2);
    let list = wait_for("the automatic block", || {
        let b = blocked(&d, &t);
        (!b.is_empty()).then_some(b)
    });
    assert_eq!(list, vec![rcpt.to_string()]);

    // From now on the recipient fails with status 10 before any delivery attempt, and that
    // failure is in the error log too.
    send(&d, rcpt, "third");
    let all = wait_errors(&d, &t, rcpt, 3);
    let last = all
        .iter()
        .find(|e| e.error_status == 10)
        .expect("status 10 record");
    assert_eq!(last.source, "smtp");
    assert!(last.remote_host.is_none(), "{last:?}");
    assert!(last.diagnostic.contains("block list"), "{last:?}");
    let statuses: Vec<Option<u8>> = failed(&d, &t, rcpt)
        .iter()
        .map(|r| r.error_status)
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == Some(10)).count(),
        1,
        "{statuses:?}"
    );

    // Filter by source, and the export carries it.
    let smtp_only = d
        .call(
            Some(&t),
            m::BOUNCES_SEARCH,
            &BounceQuery {
                source: Some("bounce".into()),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(smtp_only.records.is_empty());
    let csv = d
        .call(
            Some(&t),
            m::BOUNCES_EXPORT,
            &BounceExportQuery {
                query: BounceQuery::default(),
                format: ExportFormat::Csv,
            },
        )
        .unwrap()
        .data;
    assert!(
        csv.lines().next().unwrap().ends_with(",source,remote_host"),
        "{csv}"
    );
    assert_eq!(
        csv.lines().filter(|l| l.contains(",smtp,")).count(),
        3,
        "{csv}"
    );
}

#[test]
fn unknown_host_and_resend_timeout_reach_the_error_log() {
    let closed = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let d = Daemon::start("sandbox = true\n");
    let t = admin(&d);
    send(&d, "no-such-host@example.info", "unknown host");
    let e = wait_errors(&d, &t, "no-such-host@example.info", 1);
    assert_eq!((e[0].error_status, e[0].source.as_str()), (1, "smtp"));

    // A resend timeout needs a real deferral: a daemon that delivers to a closed port.
    let d2 = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nretry_first_secs = 1\nretry_max_secs = 1\ngive_up_after_secs = 2\nconnect_timeout_secs = 1\n[delivery.default]\ntransport = \"{closed}\"\n"
    ));
    let t2 = admin(&d2);
    send(&d2, "x@down.test", "timeout");
    let e = wait_errors(&d2, &t2, "x@down.test", 1);
    assert_eq!(
        (e[0].error_status, e[0].reason.as_str()),
        (3, "resend timeout")
    );
    assert_eq!(e[0].source, "smtp");
    // The connection was refused: no host answered, the reason names the address tried.
    assert!(e[0].diagnostic.contains("127.0.0.1"), "{:?}", e[0]);
}

#[test]
fn a_real_550_at_rcpt_blocks_and_the_next_message_makes_no_attempt() {
    let mut sink = Sink::start(&["--reply-rcpt", "nobody=550 5.1.1 no such user here"]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery.domains.\"sink.test\"]\ntransport = \"{}\"\n",
        sink.addr
    ));
    let t = admin(&d);
    send(&d, "nobody@sink.test", "first");
    let e = wait_errors(&d, &t, "nobody@sink.test", 1);
    assert_eq!(
        (e[0].error_status, e[0].smtp_status, e[0].source.as_str()),
        (2, Some(550), "smtp")
    );
    assert_eq!(e[0].diagnostic, "no such user here");
    let host = e[0].remote_host.clone().unwrap_or_default();
    assert!(host.contains(&sink.addr.ip().to_string()), "{host}");
    // Default threshold: one unknown-user error blocks.
    wait_for("the automatic block", || {
        blocked(&d, &t)
            .contains(&"nobody@sink.test".to_string())
            .then_some(())
    });
    send(&d, "nobody@sink.test", "second");
    wait_for("status 10", || {
        failed(&d, &t, "nobody@sink.test")
            .iter()
            .any(|r| r.error_status == Some(10))
            .then_some(())
    });
    // A delivered message proves the sink still answers and its counters are current.
    send(&d, "yes@sink.test", "third");
    wait_for("a success", || {
        d.call(
            Some(&t),
            m::DELIVERIES_SEARCH,
            &DeliveryQuery {
                recipient: Some("yes@sink.test".into()),
                status: Some(Status::Succeeded),
                ..Default::default()
            },
        )
        .unwrap()
        .records
        .first()
        .map(|_| ())
    });
    drop(d);
    let stats = sink.finish();
    // The blocked recipient was offered to the sink once, never again.
    assert!(stats.contains("\"rcpts_rejected\":1,"), "{stats}");
}
