//! End-to-end: `GET /metrics` on the RPC listener. Mail goes in over SMTP and the API (some
//! delivered to a capturing sink, one refused by a rejecting server, some deferred, some
//! refused at intake), then the scrape is parsed by the reference Python parser
//! (`prometheus_client.parser.text_string_to_metric_families`) and its counters compared with
//! what was sent, the webhook outbox gauges included. A scrape from an address outside
//! `rpc.allowed_ips` is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;

use hikyaku_e2e::{message_sink, python, wait_for, Daemon, Raw, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::send::SendSingle;
use hikyaku_rpc::types::webhooks::WebhookCreate;

/// Scrapes `/metrics` from `source` (a local address to bind, e.g. 127.0.0.2) and parses it
/// with prometheus_client's text parser. Prints JSON: status, content type, the families'
/// types and every sample keyed `name{label="value",...}` (labels sorted by name).
const SCRAPE: &str = r#"
import http.client, json, sys
from prometheus_client.parser import text_string_to_metric_families
host, port, source = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = http.client.HTTPConnection(host, port, timeout=10, source_address=(source, 0))
c.request("GET", "/metrics")
r = c.getresponse()
body = r.read().decode()
out = {"status": r.status, "content_type": r.getheader("content-type"), "types": {}, "samples": {}, "body": ""}
if r.status == 200:
    for fam in text_string_to_metric_families(body):
        out["types"][fam.name] = fam.type
        for s in fam.samples:
            labels = ",".join('%s="%s"' % (k, v) for k, v in sorted(s.labels.items()))
            out["samples"]["%s{%s}" % (s.name, labels)] = s.value
else:
    out["body"] = body
print(json.dumps(out))
"#;

struct Scrape {
    status: u64,
    content_type: String,
    types: BTreeMap<String, String>,
    samples: BTreeMap<String, f64>,
    body: String,
}

impl Scrape {
    /// The value of `series` (`name{labels}`, labels sorted), 0 when absent.
    fn get(&self, series: &str) -> f64 {
        self.samples.get(series).copied().unwrap_or(0.0)
    }
}

fn scrape(d: &Daemon, source: &str) -> Scrape {
    let out = python(
        SCRAPE,
        &[&d.rpc.ip().to_string(), &d.rpc.port().to_string(), source],
    );
    let v: serde_json::Value = serde_json::from_str(out.trim()).unwrap();
    let map = |key: &str| v[key].as_object().cloned().unwrap_or_default();
    Scrape {
        status: v["status"].as_u64().unwrap(),
        content_type: v["content_type"].as_str().unwrap_or_default().to_string(),
        types: map("types")
            .into_iter()
            .map(|(k, t)| (k, t.as_str().unwrap_or_default().to_string()))
            .collect(),
        samples: map("samples")
            .into_iter()
            .map(|(k, x)| (k, x.as_f64().unwrap()))
            .collect(),
        body: v["body"].as_str().unwrap_or_default().to_string(),
    }
}

/// An SMTP server that refuses every recipient with `550 5.1.1` (a permanent failure).
fn rejecting_server() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let _ = w.write_all(b"220 reject.test ESMTP\r\n");
                let mut line = String::new();
                while r.read_line(&mut line).unwrap_or(0) > 0 {
                    let cmd = line.to_ascii_uppercase();
                    line.clear();
                    let reply: &[u8] = if cmd.starts_with("RCPT") {
                        b"550 5.1.1 <x@reject.test>: Recipient address rejected: User unknown\r\n"
                    } else if cmd.starts_with("QUIT") {
                        let _ = w.write_all(b"221 2.0.0 Bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if w.write_all(reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    addr
}

/// One message over the relay; panics unless every recipient and the data get `250`.
fn send(d: &Daemon, rcpts: &[&str]) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@app.test>").starts_with("250"));
    for r in rcpts {
        let reply = c.cmd(&format!("RCPT TO:<{r}>"));
        assert!(reply.starts_with("250"), "{r}: {reply}");
    }
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd("Subject: metrics\r\n\r\nbody\r\n.");
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

#[test]
fn metrics_count_what_was_sent_and_parse_with_the_prometheus_parser() {
    let (sink, seen) = message_sink();
    let reject = rejecting_server();
    let d = Daemon::start(&format!(
        "sandbox = false\n\
         [relay]\nallowed_ips = [\"127.0.0.1/32\"]\nmax_message_size_kb = 64\n\
         [rpc]\nallowed_ips = [\"127.0.0.1/32\"]\n\
         [delivery]\nsmart_host = \"{sink}\"\n\
         [delivery.domains.\"reject.test\"]\ntransport = \"{reject}\"\n\
         [delivery.domains.\"defer.test\"]\ntransport = \"127.0.0.1:9\"\n"
    ));

    // A webhook endpoint nobody listens on: its `queued` events stay in the outbox.
    let admin = d.login("admin", ADMIN_PASSWORD);
    let hook = d
        .call(
            Some(&admin),
            m::WEBHOOKS_CREATE,
            &WebhookCreate {
                url: "http://127.0.0.1:9/hook".into(),
                events: vec!["queued".into()],
                filter: None,
            },
        )
        .unwrap();

    // Accepted over SMTP: 4 messages, 7 recipients (3 delivered, 1 rejected, 3 deferred).
    send(&d, &["a@ok.test", "b@ok.test"]);
    send(&d, &["c@ok.test"]);
    send(&d, &["x@reject.test"]);
    send(&d, &["d1@defer.test", "d2@defer.test", "d3@defer.test"]);
    // Refused over SMTP: one over the size limit (declared at MAIL) ...
    let mut c = Raw::hello(d.relay);
    let r = c.cmd("MAIL FROM:<app@app.test> SIZE=1000000");
    assert!(r.starts_with("552"), "{r}");
    c.cmd("QUIT");
    // ... and one from 127.0.0.2, outside the relay's IP list.
    let denied = python(
        "import smtplib, sys\n\
         s = smtplib.SMTP(sys.argv[1], int(sys.argv[2]), source_address=('127.0.0.2', 0))\n\
         s.ehlo('outsider.test')\n\
         print(s.mail('app@app.test')[0])\n\
         s.quit()\n",
        &[&d.relay.ip().to_string(), &d.relay.port().to_string()],
    );
    assert!(matches!(denied.trim(), "530" | "554"), "{denied}");
    // Over the API: one message to one good recipient; the malformed one is recorded failed
    // (error status 9) at once.
    let sent = d
        .call(
            Some(API_KEY),
            m::SEND_SINGLE,
            &SendSingle {
                from: "shop@app.test".into(),
                to: vec!["e@ok.test".into(), "bad@example..com".into()],
                subject: "api".into(),
                text: Some("hello".into()),
                ..SendSingle::default()
            },
        )
        .unwrap();
    assert_eq!((sent.deliveries.len(), sent.rejected.len()), (1, 1));

    wait_for("4 recipients at the sink", || {
        let n: usize = seen.lock().unwrap().iter().map(|c| c.rcpts.len()).sum();
        (n >= 4).then_some(())
    });
    let s = wait_for("every outcome in /metrics", || {
        let s = scrape(&d, "127.0.0.1");
        let o = |st: &str| {
            s.get(&format!(
                "hikyaku_delivery_outcomes_total{{status=\"{st}\"}}"
            ))
        };
        (o("succeeded") >= 4.0 && o("failed") >= 2.0 && o("deferred") >= 3.0).then_some(s)
    });
    assert_eq!(s.status, 200);
    assert!(
        s.content_type.starts_with("text/plain; version=0.0.4"),
        "{}",
        s.content_type
    );

    // Intake, per listener.
    let intake = |name: &str, listener: &str| {
        s.get(&format!(
            "hikyaku_intake_{name}_total{{listener=\"{listener}\"}}"
        ))
    };
    assert_eq!(intake("accepted_messages", "relay"), 4.0);
    assert_eq!(intake("accepted_recipients", "relay"), 7.0);
    assert_eq!(intake("accepted_messages", "api"), 1.0);
    assert_eq!(intake("accepted_recipients", "api"), 1.0);
    assert_eq!(intake("accepted_messages", "receive"), 0.0);
    let refused = |reason: &str| {
        s.get(&format!(
            "hikyaku_intake_refused_total{{listener=\"relay\",reason=\"{reason}\"}}"
        ))
    };
    assert_eq!(refused("size"), 1.0);
    assert_eq!(refused("relay_denied"), 1.0);
    assert_eq!(refused("storage"), 0.0);
    assert_eq!(refused("connection_limit"), 0.0);

    // Delivery outcomes and error statuses: 3 SMTP + 1 API recipients delivered, the rejected
    // one failed with status 2 (unknown user), the malformed API one with 9, 3 deferred.
    let outcome = |st: &str| {
        s.get(&format!(
            "hikyaku_delivery_outcomes_total{{status=\"{st}\"}}"
        ))
    };
    assert_eq!(outcome("succeeded"), 4.0);
    assert_eq!(outcome("failed"), 2.0);
    assert_eq!(outcome("deferred"), 3.0);
    let failures: BTreeMap<String, f64> = s
        .samples
        .iter()
        .filter(|(k, v)| k.starts_with("hikyaku_delivery_failures_total{") && **v > 0.0)
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    assert_eq!(failures.len(), 2, "{failures:?}");
    assert!(
        failures.keys().any(|k| k.contains("error_status=\"2\"")),
        "{failures:?}"
    );
    assert!(
        failures.keys().any(|k| k.contains("error_status=\"9\"")),
        "{failures:?}"
    );
    // Every product status is listed, even at zero.
    for status in ["1", "3", "10", "11", "99"] {
        assert!(
            s.samples.keys().any(|k| k
                .starts_with("hikyaku_delivery_failures_total{error_status=\"")
                && k.contains(&format!("error_status=\"{status}\""))),
            "status {status} missing"
        );
    }

    // Latency histograms: one observation per accepted SMTP message, per final outcome.
    assert_eq!(
        s.types
            .get("hikyaku_smtp_accept_seconds")
            .map(String::as_str),
        Some("histogram")
    );
    assert_eq!(
        s.get("hikyaku_smtp_accept_seconds_count{listener=\"relay\"}"),
        4.0
    );
    assert_eq!(
        s.get("hikyaku_smtp_accept_seconds_bucket{le=\"+Inf\",listener=\"relay\"}"),
        4.0
    );
    assert!(s.get("hikyaku_smtp_accept_seconds_sum{listener=\"relay\"}") > 0.0);
    assert_eq!(
        s.get("hikyaku_delivery_seconds_count{status=\"succeeded\"}"),
        4.0
    );
    assert_eq!(
        s.get("hikyaku_delivery_seconds_count{status=\"failed\"}"),
        2.0
    );

    // Group commit: every durable write went through a group; each group is one fsync.
    let groups = s.get("hikyaku_commit_batch_requests_count{}");
    assert!(groups >= 5.0, "{groups}");
    assert_eq!(s.get("hikyaku_commit_fsync_seconds_count{}"), groups);
    assert!(s.get("hikyaku_commit_batch_requests_sum{}") >= groups);
    assert_eq!(s.get("hikyaku_commit_failures_total{}"), 0.0);

    // Connections: at least the 4 sends, the oversized one and the outsider's.
    assert!(s.get("hikyaku_smtp_connections_accepted_total{listener=\"relay\"}") >= 6.0);
    assert!(s.samples.contains_key("hikyaku_smtp_connections_out{}"));
    assert!(s
        .samples
        .contains_key("hikyaku_smtp_connections_in{listener=\"receive\"}"));

    // Queue depth: the three deferred recipients, all of one domain.
    assert_eq!(s.get("hikyaku_queue_recipients{}"), 3.0);
    assert_eq!(s.get("hikyaku_queue_deferred_recipients{}"), 3.0);
    assert_eq!(s.get("hikyaku_queue_held_recipients{}"), 0.0);
    assert_eq!(
        s.get("hikyaku_queue_domain_recipients{domain=\"defer.test\"}"),
        3.0
    );
    let listed = s
        .samples
        .keys()
        .filter(|k| k.starts_with("hikyaku_queue_domain_recipients{"))
        .count();
    assert_eq!(listed, 1);

    // RocksDB sizes, per column family: bodies were written, so some memtable holds bytes.
    assert!(s
        .samples
        .contains_key("hikyaku_rocksdb_sst_bytes{cf=\"messages\"}"));
    assert!(s
        .samples
        .contains_key("hikyaku_rocksdb_blob_bytes{cf=\"messages\"}"));
    let memtables: f64 = s
        .samples
        .iter()
        .filter(|(k, _)| k.starts_with("hikyaku_rocksdb_memtable_bytes{"))
        .map(|(_, v)| v)
        .sum();
    assert!(memtables > 0.0);

    // The webhook outbox: one `queued` event per accepted recipient (7 over SMTP, 1 over the
    // API), none posted (nothing listens), the oldest one a few seconds old at most.
    let endpoint = format!("{{endpoint=\"{}\"}}", hook.id);
    assert_eq!(
        s.get(&format!("hikyaku_webhook_outbox_pending{endpoint}")),
        8.0
    );
    let age = s.get(&format!(
        "hikyaku_webhook_outbox_oldest_age_seconds{endpoint}"
    ));
    assert!(age > 0.0 && age < 120.0, "{age}");

    // Connections in: all closed by now (the sessions ended with QUIT).
    wait_for("relay connections closed", || {
        let s = scrape(&d, "127.0.0.1");
        (s.get("hikyaku_smtp_connections_in{listener=\"relay\"}") == 0.0).then_some(())
    });
}

#[test]
fn a_scrape_from_outside_the_rpc_allow_list_is_refused() {
    let d = Daemon::start("[rpc]\nallowed_ips = [\"127.0.0.1/32\"]\n");
    let inside = scrape(&d, "127.0.0.1");
    assert_eq!(inside.status, 200);
    assert!(inside
        .samples
        .contains_key("hikyaku_intake_accepted_messages_total{listener=\"relay\"}"));
    let outside = scrape(&d, "127.0.0.2");
    assert_eq!(outside.status, 403, "{}", outside.body);
    assert!(outside.body.contains("127.0.0.2"), "{}", outside.body);
    assert!(outside.samples.is_empty());
}
