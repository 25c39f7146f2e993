#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use crate::config::StorageConfig;
use crate::storage::{DeliveryStatus, Store};

fn record(
    t: u64,
    domain: &str,
    user: Option<&str>,
    status: DeliveryStatus,
    err: Option<u8>,
) -> DeliveryLogRecord {
    crate::storage::graph_counters::sample_record(t, domain, user, status, err)
}

#[test]
fn merges_count_per_dimension_and_retention_drops_old_buckets() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let h = 3_600_000u64;
    let base = 500_000 * h; // an hour boundary
    let mut ops = Vec::new();
    for _ in 0..3 {
        ops.extend(record_ops(&record(
            base + 10,
            "A.test",
            Some("App"),
            DeliveryStatus::Succeeded,
            None,
        )));
    }
    ops.extend(record_ops(&record(
        base + h + 5,
        "b.test",
        None,
        DeliveryStatus::Failed,
        Some(2),
    )));
    assert_eq!(
        record_ops(&record(0, "x", None, DeliveryStatus::Queued, None)).len(),
        3
    );
    store.write_ops(&ops, false).unwrap();

    let hour = bucket_of(Dim::Global, base);
    let mut global = Vec::new();
    scan(&store, Dim::Global, (hour, hour + 2), &[], |c| {
        global.push(c);
        true
    })
    .unwrap();
    assert_eq!(global.len(), 2);
    assert_eq!(
        (global[0].bucket, global[0].n, global[0].status),
        (hour, 3, DeliveryStatus::Succeeded.code())
    );
    assert_eq!((global[1].n, global[1].error_status), (1, 2));

    let mut per_user_domain = Vec::new();
    scan(&store, Dim::UserDomain, (hour, hour + 2), &["app"], |c| {
        per_user_domain.push(c);
        true
    })
    .unwrap();
    assert_eq!(per_user_domain.len(), 1);
    assert_eq!(per_user_domain[0].parts, ["app", "a.test"]);
    assert_eq!(per_user_domain[0].n, 3);

    let day = bucket_of(Dim::DomainDay, base);
    let mut domains = Vec::new();
    scan(&store, Dim::DomainDay, (day, day + 1), &[], |c| {
        domains.push((c.parts[0].clone(), c.n));
        true
    })
    .unwrap();
    domains.sort();
    assert_eq!(
        domains,
        [("a.test".to_string(), 3), ("b.test".to_string(), 1)]
    );

    // Retention at the second hour keeps it and drops the first (hour dimensions).
    store.write_ops(&retention_ops(base + h), false).unwrap();
    let mut left = Vec::new();
    scan(&store, Dim::Global, (hour, hour + 2), &[], |c| {
        left.push(c.bucket);
        true
    })
    .unwrap();
    assert_eq!(left, [hour + 1]);
}
