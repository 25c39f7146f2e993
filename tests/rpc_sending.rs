//! End-to-end: details of the sending API on the real daemon — the caller's IP in the
//! delivery log, bulk jobs that survive a shutdown and a kill -9, and malformed recipients
//! reported one by one with error status 9.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use hikyaku_e2e::{python, wait_for, Daemon, API_KEY};
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::bounces::ErrorStatsQuery;
use hikyaku_rpc::types::deliveries::{DeliveryQuery, DeliveryRecord, Status};
use hikyaku_rpc::types::send::{
    BulkRecipient, JobQuery, JobState, JobStatus, SendBulk, SendSingle,
};

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

fn bulk(recipients: Vec<String>) -> SendBulk {
    SendBulk {
        from: "news@app.test".into(),
        subject: "News for %%name%%".into(),
        text: Some("Dear %%name%%".into()),
        recipients: recipients
            .into_iter()
            .map(|to| BulkRecipient {
                values: BTreeMap::from([("name".to_string(), to.clone())]),
                to,
            })
            .collect(),
        ..SendBulk::default()
    }
}

fn records(d: &Daemon, recipient: &str) -> Vec<DeliveryRecord> {
    d.call(
        key(),
        m::DELIVERIES_SEARCH,
        &DeliveryQuery {
            recipient: Some(recipient.into()),
            ..Default::default()
        },
    )
    .unwrap()
    .records
}

fn job(d: &Daemon, id: &str, offset: u64, limit: u64) -> JobStatus {
    d.call(
        key(),
        m::SEND_JOB,
        &JobQuery {
            job_id: id.into(),
            offset,
            limit,
        },
    )
    .unwrap()
}

/// One JSON-RPC call over HTTP from a socket bound to `source` (the jsonrpsee client cannot
/// choose its local address; Python's http.client can).
fn call_from(
    d: &Daemon,
    source: &str,
    method: &str,
    params: &serde_json::Value,
) -> serde_json::Value {
    let body = serde_json::json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let script = r#"
import http.client, sys
host, port, source, key, body = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
c = http.client.HTTPConnection(host, port, timeout=30, source_address=(source, 0))
c.request("POST", "/", body=body.encode(), headers={"Content-Type": "application/json", "Authorization": "Bearer " + key})
r = c.getresponse()
sys.stdout.write(r.read().decode())
"#;
    let out = python(
        script,
        &[
            &d.rpc.ip().to_string(),
            &d.rpc.port().to_string(),
            source,
            API_KEY,
            &body.to_string(),
        ],
    );
    let reply: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        reply.get("error").is_none(),
        "{method} from {source}: {reply}"
    );
    reply["result"].clone()
}

#[test]
fn api_mail_records_the_callers_ip() {
    let d = Daemon::start("sandbox = true\n");
    let sent = call_from(
        &d,
        "127.0.0.2",
        "send.single",
        &serde_json::json!({
            "from": "shop@app.test", "to": ["single@example.net"], "text": "hi"
        }),
    );
    assert_eq!(sent["deliveries"][0]["recipient"], "single@example.net");
    let accepted = call_from(
        &d,
        "127.0.0.3",
        "send.bulk",
        &serde_json::json!({
            "from": "news@app.test", "text": "hi",
            "recipients": [{"to": "bulk1@example.net"}, {"to": "bulk2@example.net"}]
        }),
    );
    let job_id = accepted["job_id"].as_str().unwrap().to_string();
    wait_for("job done", || {
        (job(&d, &job_id, 0, 0).state == JobState::Done).then_some(())
    });
    for (recipient, ip) in [
        ("single@example.net", "127.0.0.2"),
        ("bulk1@example.net", "127.0.0.3"),
        ("bulk2@example.net", "127.0.0.3"),
    ] {
        let found = wait_for("records", || {
            let r = records(&d, recipient);
            (r.len() >= 2).then_some(r)
        });
        for r in &found {
            assert_eq!(r.source_ip, ip, "{recipient}: {r:?}");
        }
    }
    // The plain client on 127.0.0.1 is recorded as such.
    d.call(key(), m::SEND_SINGLE, &simple(&["local@example.net"]))
        .unwrap();
    let local = wait_for("record", || {
        records(&d, "local@example.net").into_iter().next()
    });
    assert_eq!(local.source_ip, "127.0.0.1");
}

/// Polls `send.job` until the job is no longer running (bulk jobs of 20 000 take a while).
fn until_finished(d: &Daemon, id: &str) -> JobStatus {
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        let s = job(d, id, 0, 0);
        if s.state != JobState::Running {
            return s;
        }
        assert!(Instant::now() < deadline, "job {id} still running: {s:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Polls `send.job` until some chunks are queued but not all; returns how many.
fn until_midway(d: &Daemon, id: &str, above: u64) -> u64 {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let s = job(d, id, 0, 0);
        assert_eq!(
            s.state,
            JobState::Running,
            "the job ended before it could be interrupted (queued {} of {}): make it bigger",
            s.queued,
            s.total
        );
        if s.queued > above {
            return s.queued;
        }
        assert!(
            Instant::now() < deadline,
            "job {id} makes no progress: {s:?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

#[test]
fn a_bulk_job_survives_a_shutdown_and_a_kill_9_and_queues_everyone_once() {
    const N: usize = 20_000;
    // Not sandbox: every message is deferred (closed port) and stays in the queue to count.
    let mut d = Daemon::start("");
    let recipients: Vec<String> = (0..N)
        .map(|i| format!("user{i}@dom{}.test", i % 50))
        .collect();
    let accepted = d
        .call(key(), m::SEND_BULK, &bulk(recipients.clone()))
        .unwrap();
    assert_eq!(accepted.total, N as u64);
    let id = accepted.job_id.clone();

    // A graceful stop in the middle of the job...
    let at_stop = until_midway(&d, &id, 256);
    assert!(d.stop().success());
    d.spawn();
    // ...resumes at the next start, where a kill -9 cuts it short again.
    let at_kill = until_midway(&d, &id, at_stop.max(1024));
    d.signal(libc::SIGKILL);
    d.wait(Duration::from_secs(10));
    eprintln!("stopped at {at_stop}, killed at {at_kill} of {N}");
    d.spawn();

    let done = until_finished(&d, &id);
    assert_eq!(done.state, JobState::Done, "{done:?}");
    assert_eq!((done.total, done.queued), (N as u64, N as u64));
    assert!(d.log().contains("resuming bulk job"), "{}", d.log());

    // Every recipient is in the queue exactly once...
    let mut per_recipient: HashMap<String, usize> = HashMap::new();
    for line in d.queue() {
        let entry: serde_json::Value = serde_json::from_str(&line).unwrap();
        *per_recipient
            .entry(entry["recipient"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let twice: Vec<_> = per_recipient.iter().filter(|(_, n)| **n > 1).collect();
    assert!(
        twice.is_empty(),
        "queued more than once: {:?}",
        &twice[..twice.len().min(5)]
    );
    let missing: Vec<_> = recipients
        .iter()
        .filter(|r| !per_recipient.contains_key(*r))
        .collect();
    assert!(
        missing.is_empty(),
        "never queued: {:?}",
        &missing[..missing.len().min(5)]
    );
    assert_eq!(per_recipient.len(), N);

    // ...and the job lists one delivery per recipient, in request order, across restarts.
    let mut ids = HashSet::new();
    for page in 0..2u64 {
        let s = job(&d, &id, page * 10_000, 10_000);
        for (i, r) in s.deliveries.iter().enumerate() {
            assert_eq!(r.recipient, recipients[page as usize * 10_000 + i]);
            ids.insert(r.delivery_id.clone());
        }
    }
    assert_eq!(ids.len(), N);
    assert!(d.stop().success());
}

#[test]
fn malformed_recipients_fail_with_status_9_one_by_one() {
    let d = Daemon::start("sandbox = true\n");
    let sent = d
        .call(
            key(),
            m::SEND_SINGLE,
            &simple(&["good@example.com", "bad@example..com"]),
        )
        .unwrap();
    assert_eq!(sent.deliveries.len(), 1);
    assert_eq!(sent.deliveries[0].recipient, "good@example.com");
    assert_eq!(sent.rejected.len(), 1, "{sent:?}");
    let bad = &sent.rejected[0];
    assert_eq!(
        (bad.recipient.as_str(), bad.field.as_str(), bad.error_status),
        ("bad@example..com", "to[1]", 9)
    );
    assert!(!bad.reason.is_empty());
    // The good one is delivered; the bad one is in the delivery log as failed, status 9.
    wait_for("good delivered", || {
        records(&d, "good@example.com")
            .into_iter()
            .find(|r| r.status == Status::Succeeded)
    });
    let logged = records(&d, "bad@example..com");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].status, Status::Failed);
    assert_eq!(logged[0].error_status, Some(9));
    assert_eq!(logged[0].delivery_id, bad.delivery_id);
    assert_eq!(logged[0].message_id, sent.message_id);
    let errors_stats = d
        .call(key(), m::STATS_ERRORS, &ErrorStatsQuery::default())
        .unwrap();
    let nine: u64 = errors_stats
        .by_status
        .iter()
        .filter(|s| s.error_status == 9)
        .map(|s| s.count)
        .sum();
    assert_eq!(nine, 1, "{errors_stats:?}");

    // No valid recipient at all: the whole call is refused, naming the field.
    let e = d
        .call(key(), m::SEND_SINGLE, &simple(&["@@", "bad@example..com"]))
        .unwrap_err();
    assert_eq!(e.code(), Some(errors::INVALID_PARAMS), "{e}");
    assert!(e.to_string().contains("to[0]"), "{e}");

    // Bulk: the malformed recipient is reported, the others are queued.
    let accepted = d
        .call(
            key(),
            m::SEND_BULK,
            &bulk(vec![
                "b1@example.com".into(),
                "not an address".into(),
                "b2@example.com".into(),
            ]),
        )
        .unwrap();
    assert_eq!(accepted.total, 2);
    assert_eq!(accepted.rejected.len(), 1);
    assert_eq!(accepted.rejected[0].field, "recipients[1].to");
    assert_eq!(accepted.rejected[0].error_status, 9);
    let s = wait_for("job done", || {
        let s = job(&d, &accepted.job_id, 0, 10);
        (s.state == JobState::Done).then_some(s)
    });
    assert_eq!((s.queued, s.rejected_total), (2, 1));
    assert_eq!(s.rejected, accepted.rejected);
    let names: Vec<&str> = s.deliveries.iter().map(|r| r.recipient.as_str()).collect();
    assert_eq!(names, ["b1@example.com", "b2@example.com"]);
    let logged = records(&d, "not an address");
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0].error_status, Some(9));
    assert_eq!(logged[0].subject, "News for not an address");

    // A bulk list without one valid address is refused as a whole.
    let e = d
        .call(key(), m::SEND_BULK, &bulk(vec!["@@".into(), "x@".into()]))
        .unwrap_err();
    assert_eq!(e.code(), Some(errors::INVALID_PARAMS), "{e}");
    assert!(e.to_string().contains("recipients[0].to"), "{e}");
}
