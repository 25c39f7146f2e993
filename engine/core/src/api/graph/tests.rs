#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::config::StorageConfig;
use crate::storage::{graph_counters, DeliveryLogRecord};

const H: u64 = 3_600_000;
/// 2026-11-01T00:00:00Z.
const BASE: u64 = 1_793_491_200_000;

fn record(
    t: u64,
    domain: &str,
    user: Option<&str>,
    status: DeliveryStatus,
    err: Option<u8>,
) -> DeliveryLogRecord {
    crate::storage::graph_counters::sample_record(t, domain, user, status, err)
}

fn store() -> (tempfile::TempDir, std::sync::Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ops = Vec::new();
    // Three days: day 0 hour 1, day 1 hour 12, day 2 hour 23; two users and three domains.
    for (day, hour) in [(0u64, 1u64), (1, 12), (2, 23)] {
        let t = BASE + day * 24 * H + hour * H + 1000;
        for (domain, user) in [
            ("a.test", Some("app")),
            ("b.test", None),
            ("c.test", Some("other")),
        ] {
            ops.extend(graph_counters::record_ops(&record(
                t,
                domain,
                user,
                DeliveryStatus::Queued,
                None,
            )));
            ops.extend(graph_counters::record_ops(&record(
                t,
                domain,
                user,
                DeliveryStatus::Succeeded,
                None,
            )));
        }
        ops.extend(graph_counters::record_ops(&record(
            t,
            "b.test",
            None,
            DeliveryStatus::Failed,
            Some(2),
        )));
        ops.extend(graph_counters::record_ops(&record(
            t,
            "a.test",
            Some("app"),
            DeliveryStatus::Failed,
            Some(1),
        )));
    }
    store.write_ops(&ops, false).unwrap();
    (dir, store)
}

fn query(kind: GraphKind) -> GraphQuery {
    GraphQuery {
        kind,
        from: Some("2026-11-01T00:00:00Z".into()),
        to: Some("2026-11-04T00:00:00Z".into()),
        bucket: GraphBucket::Day,
        time_zone: None,
        domain: None,
        api_user: None,
        top: None,
    }
}

#[test]
fn delivery_graph_per_status_per_day_and_hour_with_filters() {
    let (_d, store) = store();
    let g = graph(&store, &query(GraphKind::Delivery), None).unwrap();
    assert_eq!(g.buckets, ["2026-11-01", "2026-11-02", "2026-11-03"]);
    let line = |g: &Graph, s: &str| {
        g.series
            .iter()
            .find(|x| x.status == s)
            .unwrap()
            .values
            .clone()
    };
    assert_eq!(line(&g, "queued"), [3, 3, 3]);
    assert_eq!(line(&g, "failed"), [2, 2, 2]);
    assert_eq!(g.total, 24);
    // Hourly, in Tokyo: 72 buckets; the record at 23:00Z on day 2 lands on 11-04 08:00 +09:00.
    let mut q = query(GraphKind::Delivery);
    q.bucket = GraphBucket::Hour;
    q.time_zone = Some("Asia/Tokyo".into());
    let g = graph(&store, &q, None).unwrap();
    assert_eq!(g.buckets.len(), 72);
    let i = g
        .buckets
        .iter()
        .position(|b| b == "2026-11-04T08:00+09:00")
        .unwrap();
    assert_eq!(line(&g, "succeeded")[i], 3);
    // An API user sees only its own traffic whatever it asks for.
    let mut q = query(GraphKind::Delivery);
    q.api_user = Some("other".into());
    let g = graph(&store, &q, Some("app")).unwrap();
    assert_eq!(line(&g, "queued"), [1, 1, 1]);
    assert_eq!(line(&g, "failed"), [1, 1, 1]);
    let mut q = query(GraphKind::Delivery);
    q.domain = Some("B.test".into());
    assert_eq!(line(&graph(&store, &q, None).unwrap(), "failed"), [1, 1, 1]);
}

#[test]
fn error_and_domain_pies() {
    let (_d, store) = store();
    let g = graph(&store, &query(GraphKind::Error), None).unwrap();
    let keys: Vec<(&str, u64)> = g.slices.iter().map(|s| (s.key.as_str(), s.count)).collect();
    assert_eq!(keys, [("1", 3), ("2", 3)]);
    assert!(g.slices[0].label.is_some());
    assert!((g.slices[0].share - 0.5).abs() < 1e-9);

    // Whole days come from the daily counters, the partial ends from the hourly ones.
    let mut q = query(GraphKind::Domain);
    q.from = Some("2026-11-01T01:00:00Z".into());
    q.to = Some("2026-11-03T23:30:00Z".into());
    q.top = Some(2);
    let g = graph(&store, &q, None).unwrap();
    let keys: Vec<(&str, u64)> = g.slices.iter().map(|s| (s.key.as_str(), s.count)).collect();
    assert_eq!(keys, [("a.test", 9), ("b.test", 9), ("others", 6)]);
    assert_eq!(g.total, 24);
    let g = graph(&store, &query(GraphKind::Domain), Some("app")).unwrap();
    let keys: Vec<(&str, u64)> = g.slices.iter().map(|s| (s.key.as_str(), s.count)).collect();
    assert_eq!(keys, [("a.test", 9)]);
    let mut q = query(GraphKind::Domain);
    q.top = Some(0);
    assert!(graph(&store, &q, None).is_err());
}
