//! End-to-end: a queued delivery whose spool records are damaged — body missing, metadata
//! undecodable, queue entry undecodable — is never sent. The real daemon records it `failed`
//! (error status 99, the damage named), keeps the raw entry (`hikyakud queue damaged`), and
//! still delivers the intact mail next to it. The damage is made with the engine's own storage
//! functions while the daemon is stopped, as a disk fault or a bad restore would leave it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use hikyaku_e2e::{envelope_sink, free_port, Daemon, Raw, API_KEY};
use hikyaku_engine::config::StorageConfig;
use hikyaku_engine::ids::Id;
use hikyaku_engine::storage::keys::{domain_hash, queue_key};
use hikyaku_engine::storage::{Cf, Op, QueueEntry, Store};

/// Fast retries, so a deferred recipient is attempted again within a second.
const RETRY: &str =
    "[delivery]\nretry_first_secs = 1\nretry_max_secs = 1\nconnect_timeout_secs = 1\n";

fn send(d: &Daemon, rcpt: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{rcpt}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd("Subject: spool\r\n\r\nbody\r\n.");
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

fn queue(d: &Daemon) -> Vec<QueueEntry> {
    d.queue()
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn run(d: &Daemon, args: &[&str]) -> Vec<serde_json::Value> {
    let out = d.command(args, None);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Delivery-log records as JSON values.
fn log_records(d: &Daemon) -> Vec<serde_json::Value> {
    run(d, &["log", "search", "--json"])
}

fn wait_until(what: &str, d: &Daemon, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !f() {
        assert!(Instant::now() < deadline, "timed out: {what}\n{}", d.log());
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn damaged_deliveries_are_failed_kept_and_never_sent() {
    // Phase 1: nothing listens on the transport, so every delivery is deferred and stays queued.
    let closed = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let mut d = Daemon::start(&format!(
        "sandbox = false\n{RETRY}[delivery.default]\ntransport = \"{closed}\"\n"
    ));
    for rcpt in [
        "no-body@damage.test",
        "bad-meta@damage.test",
        "bad-entry@damage.test",
        "intact@damage.test",
    ] {
        send(&d, rcpt);
    }
    wait_until("four deferrals", &d, || {
        log_records(&d)
            .iter()
            .filter(|r| r["status"] == "deferred")
            .count()
            >= 4
    });
    assert!(d.stop().success());

    // Phase 2: damage three of the four, offline.
    let queued = queue(&d);
    assert_eq!(queued.len(), 4);
    let entry = |rcpt: &str| queued.iter().find(|e| e.recipient == rcpt).unwrap().clone();
    let message = |e: &QueueEntry| Id::parse(&e.message_id).unwrap().to_be_bytes().to_vec();
    let no_body = entry("no-body@damage.test");
    let bad_meta = entry("bad-meta@damage.test");
    let bad_entry = entry("bad-entry@damage.test");
    {
        let store = Store::open(&d.data, &StorageConfig::default()).unwrap();
        let ops = vec![
            Op::Delete {
                cf: Cf::Messages,
                key: message(&no_body),
            },
            Op::Put {
                cf: Cf::MessageMeta,
                key: message(&bad_meta),
                value: b"\x00\x01 not json".to_vec(),
            },
            Op::Put {
                cf: Cf::Queue,
                key: queue_key(
                    domain_hash(&bad_entry.domain),
                    Id::parse(&bad_entry.delivery_id).unwrap(),
                )
                .to_vec(),
                value: b"{\"truncated\":".to_vec(),
            },
        ];
        store.write_ops(&ops, true).unwrap();
        store.flush().unwrap();
    }

    // Phase 3: restart with a live next hop.
    let (sink, transactions) = envelope_sink();
    std::fs::write(
        &d.config_path,
        format!(
            "data_dir = {:?}\nhostname = \"mx.e2e.test\"\nsandbox = false\n{RETRY}[delivery.default]\ntransport = \"{sink}\"\n",
            d.data.display().to_string()
        ),
    )
    .unwrap();
    d.spawn();
    wait_until("the intact message delivered, the rest failed", &d, || {
        let records = log_records(&d);
        let final_status = |rcpt: &str, status: &str| {
            records
                .iter()
                .any(|r| r["recipient"] == rcpt && r["status"] == status)
        };
        final_status("intact@damage.test", "succeeded")
            && final_status("no-body@damage.test", "failed")
            && final_status("bad-meta@damage.test", "failed")
            && records.iter().any(|r| {
                r["delivery_id"] == bad_entry.delivery_id.as_str() && r["status"] == "failed"
            })
    });
    // Never sent: the sink saw one transaction, the intact message's.
    assert_eq!(transactions.lock().unwrap().len(), 1);

    let records = log_records(&d);
    let failure = |delivery: &str| {
        records
            .iter()
            .find(|r| r["delivery_id"] == delivery && r["status"] == "failed")
            .unwrap()
            .clone()
    };
    for (e, damage) in [
        (&no_body, "message body missing"),
        (&bad_meta, "message metadata corrupt"),
        (&bad_entry, "queue entry corrupt"),
    ] {
        let r = failure(&e.delivery_id);
        assert_eq!(r["error_status"], 99, "{r}");
        let reply = r["smtp_reply"].as_str().unwrap();
        assert!(
            reply.starts_with(&format!("not sent: spool damage: {damage}")),
            "{reply}"
        );
    }
    assert!(queue(&d).is_empty(), "damaged entries left in the queue");

    // Kept for inspection, with the raw entry.
    let damaged = run(&d, &["queue", "damaged", "--json"]);
    assert_eq!(damaged.len(), 3, "{damaged:?}");
    let kept = damaged
        .iter()
        .find(|r| r["delivery_id"] == bad_entry.delivery_id.as_str())
        .unwrap();
    assert_eq!(kept["raw_entry"], "{\"truncated\":");
    // And counted where operators look first.
    let status = d
        .call(
            Some(API_KEY),
            hikyaku_rpc::methods::SYSTEM_STATUS,
            &hikyaku_rpc::types::NoParams {},
        )
        .unwrap();
    assert_eq!(status.damaged_deliveries, 3);
    assert!(d.stop().success());
}
