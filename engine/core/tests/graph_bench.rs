//! `stats.graph` latency over 40 days of counters for 1,000 domains (issue 15): fills a spool's
//! graph counters directly (every hour of 40 days, every domain, queued and succeeded, plus a
//! failure per domain per day), starts the real daemon on it and times `stats.graph` calls
//! over JSON-RPC. Ignored by `cargo test`: run it with `bash bench/graph-latency.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Instant;

use hikyaku_e2e::{Daemon, ADMIN_PASSWORD};
use hikyaku_engine::config::StorageConfig;
use hikyaku_engine::storage::{graph_counters, DeliveryLogRecord, DeliveryStatus, Store};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::stats::{GraphBucket, GraphKind, GraphQuery};

const H: u64 = 3_600_000;
const DOMAINS: usize = 1000;
const DAYS: u64 = 40;

fn record(t: u64, domain: &str, status: DeliveryStatus, err: Option<u8>) -> DeliveryLogRecord {
    DeliveryLogRecord {
        time_ms: t,
        delivery_id: "01".into(),
        message_id: "02".into(),
        api_user: None,
        source_ip: "127.0.0.1".into(),
        envelope_from: String::new(),
        recipient: format!("a@{domain}"),
        domain: domain.into(),
        status,
        error_status: err,
        smtp_reply: None,
        size: 1,
        subject: String::new(),
        tags: Vec::new(),
    }
}

#[test]
#[ignore = "benchmark: bash bench/graph-latency.sh"]
fn graph_latency_over_40_days_and_1000_domains() {
    let mut d = Daemon::start("sandbox = true\n");
    d.stop();
    let now = hikyaku_engine::clock::now_ms() / H * H;
    let start = now - DAYS * 24 * H;
    let filled = Instant::now();
    {
        let store = Store::open(&d.data, &StorageConfig::default()).unwrap();
        let domains: Vec<String> = (0..DOMAINS).map(|i| format!("d{i}.bench.test")).collect();
        let mut ops = Vec::new();
        for hour in 0..DAYS * 24 {
            let t = start + hour * H + 1;
            for (i, domain) in domains.iter().enumerate() {
                ops.extend(graph_counters::record_ops(&record(
                    t,
                    domain,
                    DeliveryStatus::Queued,
                    None,
                )));
                ops.extend(graph_counters::record_ops(&record(
                    t,
                    domain,
                    DeliveryStatus::Succeeded,
                    None,
                )));
                if hour % 24 == (i as u64) % 24 {
                    let err = Some(1 + (i % 11) as u8);
                    ops.extend(graph_counters::record_ops(&record(
                        t,
                        domain,
                        DeliveryStatus::Failed,
                        err,
                    )));
                }
            }
            store.write_ops(&ops, false).unwrap();
            ops.clear();
        }
        store.flush().unwrap();
    }
    let fill_s = filled.elapsed().as_secs_f64();
    d.spawn();
    let token = d.login("admin", ADMIN_PASSWORD);
    let t = Some(token.as_str());
    let from = jiff::Timestamp::from_millisecond(start as i64)
        .unwrap()
        .to_string();
    let to = jiff::Timestamp::from_millisecond(now as i64)
        .unwrap()
        .to_string();
    for (kind, bucket) in [
        (GraphKind::Delivery, GraphBucket::Day),
        (GraphKind::Delivery, GraphBucket::Hour),
        (GraphKind::Error, GraphBucket::Day),
        (GraphKind::Domain, GraphBucket::Day),
    ] {
        let q = GraphQuery {
            kind,
            from: Some(from.clone()),
            to: Some(to.clone()),
            bucket,
            time_zone: Some("Asia/Tokyo".into()),
            domain: None,
            api_user: None,
            top: Some(10),
        };
        let mut hist = hdrhistogram::Histogram::<u64>::new(3).unwrap();
        let mut total = 0;
        for _ in 0..30 {
            let began = Instant::now();
            let g = d.call(t, m::STATS_GRAPH, &q).unwrap();
            hist.record(began.elapsed().as_micros() as u64).unwrap();
            total = g.total;
        }
        println!(
            "{}",
            serde_json::json!({
                "kind": format!("{kind:?}").to_lowercase(), "bucket": format!("{bucket:?}").to_lowercase(),
                "domains": DOMAINS, "days": DAYS, "records_counted": total, "fill_s": (fill_s * 10.0).round() / 10.0,
                "p50_ms": hist.value_at_quantile(0.5) as f64 / 1000.0,
                "p99_ms": hist.value_at_quantile(0.99) as f64 / 1000.0,
            })
        );
        assert!(total > 0);
    }
}
