use std::sync::Arc;
use std::time::Duration;

use super::*;

/// The value of the series `name{labels}` in a scrape (labels as written, e.g.
/// `listener="relay"`), or `None` when it is absent.
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

fn scrape(m: &Arc<Metrics>, q: Option<QueueDepth>) -> String {
    render(
        m,
        Gathered {
            queue: q,
            ..Gathered::default()
        },
    )
    .unwrap()
}

#[test]
fn intake_counters_per_listener_and_reason() {
    let m = Arc::new(Metrics::new());
    m.accepted(Listener::Relay, 3);
    m.accepted(Listener::Relay, 1);
    m.accepted(Listener::Api, 2);
    m.refused(Listener::Relay, Refusal::RelayDenied);
    m.refused(Listener::Receive, Refusal::Size);
    let t = scrape(&m, None);
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_accepted_messages_total{listener="relay"}"#
        ),
        Some(2.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_accepted_recipients_total{listener="relay"}"#
        ),
        Some(4.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_accepted_messages_total{listener="api"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_accepted_messages_total{listener="receive"}"#
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_refused_total{listener="relay",reason="relay_denied"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_refused_total{listener="receive",reason="size"}"#
        ),
        Some(1.0)
    );
    // The API has no SMTP-level refusals: no such series.
    assert_eq!(
        value(
            &t,
            r#"hikyaku_intake_refused_total{listener="api",reason="size"}"#
        ),
        None
    );
    assert!(t.contains("# TYPE hikyaku_intake_refused_total counter"));
}

#[test]
fn session_refusals_are_read_from_reply_lines() {
    assert_eq!(
        Refusal::of_reply_line(b"554 5.7.1 Relay access denied\r\n"),
        Some(Refusal::RelayDenied)
    );
    assert_eq!(
        Refusal::of_reply_line(b"530 5.7.0 Authentication required\r\n"),
        Some(Refusal::RelayDenied)
    );
    assert_eq!(
        Refusal::of_reply_line(b"552 5.3.4 Message size exceeds\r\n"),
        Some(Refusal::Size)
    );
    assert_eq!(
        Refusal::of_reply_line(b"550 5.6.11 Bare CR\r\n"),
        Some(Refusal::BareLineEnding)
    );
    // Not refusals of a message: a cancelled AUTH, a bad recipient, a positive reply.
    assert_eq!(
        Refusal::of_reply_line(b"501 5.7.0 Authentication cancelled\r\n"),
        None
    );
    assert_eq!(
        Refusal::of_reply_line(b"553 5.1.3 Invalid recipient address\r\n"),
        None
    );
    assert_eq!(Refusal::of_reply_line(b"250 2.0.0 Ok\r\n"), None);
    assert_eq!(Refusal::of_reply_line(b""), None);
}

#[test]
fn outcomes_error_statuses_and_delivery_latency() {
    let m = Arc::new(Metrics::new());
    m.outcome(Outcome::Succeeded, None, 1_000, 1_400);
    m.outcome(Outcome::Failed, Some(2), 1_000, 3_000);
    m.outcome(Outcome::Failed, Some(2), 1_000, 3_000);
    m.outcome(Outcome::Failed, Some(42), 0, 0);
    m.outcome(Outcome::Failed, Some(200), 0, 0);
    m.outcome(Outcome::Deferred, None, 0, 10);
    let t = scrape(&m, None);
    assert_eq!(
        value(&t, r#"hikyaku_delivery_outcomes_total{status="succeeded"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_delivery_outcomes_total{status="failed"}"#),
        Some(4.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_delivery_outcomes_total{status="deferred"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_delivery_failures_total{error_status="2",reason="unknown_user"}"#
        )
        .or_else(|| {
            // The reason text is the classifier's; find the status-2 series whatever it says.
            t.lines()
                .find(|l| l.starts_with(r#"hikyaku_delivery_failures_total{error_status="2","#))
                .and_then(|l| l.rsplit(' ').next()?.parse().ok())
        }),
        Some(2.0)
    );
    // Every product status is listed even at zero; an unknown one only once seen.
    assert!(t.contains(r#"hikyaku_delivery_failures_total{error_status="99","#));
    assert!(t.contains(r#"hikyaku_delivery_failures_total{error_status="42",reason="other"} 1"#));
    assert!(t.contains(r#"hikyaku_delivery_failures_total{error_status="0",reason="other"} 1"#));
    assert!(!t.contains(r#"error_status="43""#));
    // 400 ms succeeded: in the 0.5 s bucket, not the 0.25 s one; deferrals are not final.
    assert_eq!(
        value(
            &t,
            r#"hikyaku_delivery_seconds_bucket{status="succeeded",le="0.25"}"#
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_delivery_seconds_bucket{status="succeeded",le="0.5"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_delivery_seconds_count{status="succeeded"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_delivery_seconds_sum{status="succeeded"}"#),
        Some(0.4)
    );
    assert_eq!(
        value(&t, r#"hikyaku_delivery_seconds_count{status="failed"}"#),
        Some(4.0)
    );
}

#[test]
fn histogram_buckets_are_cumulative_with_inf() {
    static BOUNDS: &[u64] = &[10, 100];
    let h = AtomicHistogram::new(BOUNDS, 1.0);
    for v in [0, 10, 11, 100, 101, 5000] {
        h.observe(v);
    }
    let s = h.snapshot();
    assert_eq!(s.count, 6);
    assert_eq!(s.sum, 5222.0);
    // Per bucket (le is inclusive): {0, 10}, {11, 100}; 101 and 5000 only in +Inf.
    assert_eq!(s.buckets, vec![(10.0, 2), (100.0, 2)]);
    let m = Arc::new(Metrics::new());
    m.commit(1, Duration::from_micros(80), true);
    m.commit(300, Duration::from_millis(3), false);
    let t = scrape(&m, None);
    assert_eq!(
        value(&t, r#"hikyaku_commit_batch_requests_bucket{le="1"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_commit_batch_requests_bucket{le="256"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_commit_batch_requests_bucket{le="512"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_commit_batch_requests_bucket{le="+Inf"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_commit_fsync_seconds_bucket{le="0.0001"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_commit_fsync_seconds_count"#),
        Some(2.0)
    );
    assert_eq!(value(&t, r#"hikyaku_commit_failures_total"#), Some(1.0));
}

#[test]
fn accept_latency_and_connections() {
    let m = Arc::new(Metrics::new());
    m.accept_latency(Listener::Relay, Duration::from_micros(700));
    m.accept_latency(Listener::Api, Duration::from_secs(1)); // not an SMTP accept: ignored
    m.connection_opened(Listener::Relay);
    m.connection_opened(Listener::Relay);
    m.connection_closed(Listener::Relay);
    m.connection_opened(Listener::Receive);
    let out = m.outbound_opened();
    let out2 = m.outbound_opened();
    drop(out);
    let t = scrape(&m, None);
    assert_eq!(
        value(
            &t,
            r#"hikyaku_smtp_accept_seconds_bucket{listener="relay",le="0.0005"}"#
        ),
        Some(0.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_smtp_accept_seconds_bucket{listener="relay",le="0.001"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_smtp_accept_seconds_count{listener="receive"}"#
        ),
        Some(0.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_smtp_connections_in{listener="relay"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_smtp_connections_in{listener="receive"}"#),
        Some(1.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_smtp_connections_accepted_total{listener="relay"}"#
        ),
        Some(2.0)
    );
    assert_eq!(value(&t, "hikyaku_smtp_connections_out"), Some(1.0));
    drop(out2);
    assert_eq!(
        value(&scrape(&m, None), "hikyaku_smtp_connections_out"),
        Some(0.0)
    );
}

#[test]
fn queue_depth_merges_shards_and_keeps_the_top_ten() {
    let m = Arc::new(Metrics::new());
    let shard = |base: u64, names: &[&str]| QueueDepth {
        total: base * 10,
        deferred: base,
        held: 1,
        domains: top_domains(
            names
                .iter()
                .enumerate()
                .map(|(i, d)| (d.to_string(), base + i as u64))
                .collect(),
        ),
    };
    let names: Vec<String> = (0..12).map(|i| format!("d{i:02}.example")).collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut total = shard(100, &refs);
    assert_eq!(total.domains.len(), TOP_DOMAINS);
    total.merge(shard(1000, &["big.example", "second.example"]));
    total.merge(QueueDepth {
        domains: vec![("empty.example".into(), 0)],
        ..QueueDepth::default()
    });
    assert_eq!(total.total, 11_000);
    assert_eq!(total.deferred, 1_100);
    assert_eq!(total.held, 2);
    assert_eq!(total.domains.len(), TOP_DOMAINS);
    assert_eq!(total.domains[0], ("second.example".into(), 1001));
    assert_eq!(total.domains[1], ("big.example".into(), 1000));
    assert_eq!(total.domains[2], ("d11.example".into(), 111));
    let t = scrape(&m, Some(total));
    assert_eq!(value(&t, "hikyaku_queue_recipients"), Some(11_000.0));
    assert_eq!(
        value(&t, "hikyaku_queue_deferred_recipients"),
        Some(1_100.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_queue_domain_recipients{domain="big.example"}"#
        ),
        Some(1000.0)
    );
    assert_eq!(
        t.matches("hikyaku_queue_domain_recipients{").count(),
        TOP_DOMAINS
    );
    assert!(!t.contains("empty.example"));
    // Shards that did not answer: queue metrics absent, not zero.
    assert!(!scrape(&m, None).contains("hikyaku_queue_recipients"));
}

#[test]
fn rocksdb_sizes_per_column_family() {
    let m = Arc::new(Metrics::new());
    let rocks = RocksSizes {
        families: vec![
            FamilySizes {
                name: "messages",
                sst_bytes: Some(4096),
                live_data_bytes: Some(1000),
                memtable_bytes: Some(2048),
                blob_bytes: Some(1 << 20),
            },
            FamilySizes {
                name: "queue",
                sst_bytes: Some(0),
                live_data_bytes: None,
                memtable_bytes: Some(10),
                blob_bytes: None,
            },
        ],
    };
    let t = render(
        &m,
        Gathered {
            rocks,
            ..Gathered::default()
        },
    )
    .unwrap();
    assert_eq!(
        value(&t, r#"hikyaku_rocksdb_sst_bytes{cf="messages"}"#),
        Some(4096.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_rocksdb_blob_bytes{cf="messages"}"#),
        Some(1_048_576.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_rocksdb_memtable_bytes{cf="queue"}"#),
        Some(10.0)
    );
    assert_eq!(
        value(&t, r#"hikyaku_rocksdb_live_data_bytes{cf="queue"}"#),
        None
    );
}

#[test]
fn label_values_are_escaped() {
    let m = Arc::new(Metrics::new());
    let q = QueueDepth {
        total: 1,
        domains: vec![("we\"ird\\.example".into(), 1)],
        ..QueueDepth::default()
    };
    let t = scrape(&m, Some(q));
    assert!(
        t.contains(r#"hikyaku_queue_domain_recipients{domain="we\"ird\\.example"} 1"#),
        "{t}"
    );
}

#[test]
fn shard_queue_depth_counts_ready_deferred_and_held_per_domain() {
    use crate::ids::Id;
    use crate::intake::QueuedNotice;
    let notice = |id: u64, domain: &str, not_before_ms: u64| QueuedNotice {
        delivery_id: Id(id),
        domain_hash: crate::storage::keys::domain_hash(domain),
        domain: domain.into(),
        not_before_ms,
        priority: 1,
        fresh: None,
    };
    let mut q = crate::queue::ShardQueue::default();
    q.push_at(notice(1, "a.test", 1_000), 1_000); // ready
    q.push_at(notice(2, "a.test", 60_000), 1_000); // deferred
    q.push_at(notice(3, "b.test", 1_000), 1_000);
    assert!(q.hold(Id(3), 90_000)); // held
    q.push_at(notice(4, "c.test", 1_000), 1_000);
    assert!(q.pop("c.test").is_some()); // being delivered: not queued
    let depth = q.depth();
    assert_eq!((depth.total, depth.deferred, depth.held), (3, 1, 1));
    assert_eq!(
        depth.domains,
        vec![("a.test".to_string(), 2), ("b.test".to_string(), 1)]
    );
}

/// What the per-message metric calls cost: one accepted SMTP message (two counters and its
/// accept latency) plus one recorded outcome (a one-recipient tally), alone and with two
/// threads hitting the same atomics. Prints the figures (bench/RESULTS.md §7); fails if they
/// grow past 1 µs, which only a lock or an allocation per call would cause.
#[test]
fn hot_path_cost_per_message() {
    const N: u64 = 2_000_000;
    let m = Arc::new(Metrics::new());
    let work = |m: &Metrics| {
        let started = std::time::Instant::now();
        for i in 0..N {
            m.accepted(Listener::Relay, 1);
            m.accept_latency(Listener::Relay, Duration::from_micros(i % 5_000));
            // A batch of one recipient (the common case: one outcome per delivery), the
            // worst case of the tally since nothing is shared with other recipients.
            let mut tally = OutcomeTally::default();
            tally.add(Outcome::Succeeded, None, 0, i % 100_000);
            m.apply(&tally);
        }
        started.elapsed() / u32::try_from(N).unwrap()
    };
    let alone = work(&m);
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let m = m.clone();
            std::thread::spawn(move || work(&m))
        })
        .collect();
    let contended: Vec<Duration> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    eprintln!("metrics per message: {alone:?} alone, {contended:?} with two threads");
    assert!(alone < Duration::from_micros(1), "{alone:?}");
    assert!(
        contended.iter().all(|d| *d < Duration::from_micros(1)),
        "{contended:?}"
    );
    assert_eq!(
        value(
            &scrape(&m, None),
            r#"hikyaku_intake_accepted_messages_total{listener="relay"}"#
        ),
        Some((3 * N) as f64)
    );
}

#[test]
fn webhook_outbox_per_endpoint() {
    let m = Arc::new(Metrics::new());
    let t = render(
        &m,
        Gathered {
            outbox: vec![
                OutboxGauge {
                    endpoint: "wh_1".into(),
                    pending: 42,
                    oldest_age_seconds: 12.5,
                },
                OutboxGauge {
                    endpoint: "wh_2".into(),
                    pending: 0,
                    oldest_age_seconds: 0.0,
                },
            ],
            ..Gathered::default()
        },
    )
    .unwrap();
    assert_eq!(
        value(&t, r#"hikyaku_webhook_outbox_pending{endpoint="wh_1"}"#),
        Some(42.0)
    );
    assert_eq!(
        value(
            &t,
            r#"hikyaku_webhook_outbox_oldest_age_seconds{endpoint="wh_1"}"#
        ),
        Some(12.5)
    );
    assert_eq!(
        value(&t, r#"hikyaku_webhook_outbox_pending{endpoint="wh_2"}"#),
        Some(0.0)
    );
    assert!(t.contains("# TYPE hikyaku_webhook_outbox_oldest_age_seconds gauge"));
}

#[test]
fn a_batch_tally_adds_up_to_the_same_as_single_outcomes() {
    let one_by_one = Arc::new(Metrics::new());
    let batched = Arc::new(Metrics::new());
    let mut tally = OutcomeTally::default();
    let cases = [
        (Outcome::Succeeded, None, 1_000, 1_400),
        (Outcome::Succeeded, None, 0, 7_200_000),
        (Outcome::Failed, Some(2), 0, 30),
        (Outcome::Failed, Some(99), 0, 300_000_000),
        (Outcome::Failed, Some(150), 5, 5),
        (Outcome::Deferred, None, 0, 10),
    ];
    for (o, e, q, n) in cases {
        one_by_one.outcome(o, e, q, n);
        tally.add(o, e, q, n);
    }
    batched.apply(&tally);
    let a = scrape(&one_by_one, None);
    assert_eq!(a, scrape(&batched, None));
    assert_eq!(
        value(&a, r#"hikyaku_delivery_outcomes_total{status="failed"}"#),
        Some(3.0)
    );
    assert_eq!(
        value(&a, r#"hikyaku_delivery_seconds_count{status="succeeded"}"#),
        Some(2.0)
    );
    assert_eq!(
        value(&a, r#"hikyaku_delivery_seconds_sum{status="succeeded"}"#),
        Some(7_200.4)
    );
    // An empty tally changes nothing.
    batched.apply(&OutcomeTally::default());
    assert_eq!(a, scrape(&batched, None));
}

#[test]
fn the_spool_disk_state_is_exported_only_when_known() {
    let m = Arc::new(Metrics::new());
    let none = scrape(&m, None);
    assert!(!none.contains("hikyaku_spool_free_bytes"));
    let t = render(
        &m,
        Gathered {
            space: Some(crate::storage::space::SpaceStatus {
                free_bytes: 5 << 20,
                reserve_bytes: 8 << 20,
                intake_paused: true,
                failing_since_ms: Some(1_700_000_000_000),
                recoveries: 2,
            }),
            ..Gathered::default()
        },
    )
    .unwrap();
    assert_eq!(value(&t, "hikyaku_spool_free_bytes"), Some(5_242_880.0));
    assert_eq!(value(&t, "hikyaku_spool_reserve_bytes"), Some(8_388_608.0));
    assert_eq!(value(&t, "hikyaku_spool_intake_paused"), Some(1.0));
    assert_eq!(value(&t, "hikyaku_spool_write_failing"), Some(1.0));
    assert_eq!(value(&t, "hikyaku_spool_recoveries_total"), Some(2.0));
}
