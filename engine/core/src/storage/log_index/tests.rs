use super::*;
use crate::config::StorageConfig;

fn rec(
    time_ms: u64,
    id: u64,
    rcpt: &str,
    status: DeliveryStatus,
    user: Option<&str>,
) -> (DeliveryLogRecord, Id) {
    let domain = rcpt.rsplit('@').next().unwrap().to_ascii_lowercase();
    (
        DeliveryLogRecord {
            time_ms,
            delivery_id: Id(id).to_string(),
            message_id: format!("m{}", id / 10),
            api_user: user.map(str::to_string),
            source_ip: "127.0.0.1".into(),
            envelope_from: "s@app.test".into(),
            recipient: rcpt.into(),
            domain,
            status,
            error_status: None,
            smtp_reply: None,
            size: 10,
            subject: format!("Subject {id}"),
            tags: Vec::new(),
        },
        Id(id),
    )
}

fn store_with(records: &[(DeliveryLogRecord, Id)]) -> (tempfile::TempDir, std::sync::Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    for (r, id) in records {
        store
            .write_ops(&record_ops(r, *id).unwrap(), false)
            .unwrap();
    }
    (dir, store)
}

const D: u64 = DAY_MS;

#[test]
fn searches_by_each_index_case_insensitively() {
    let records = vec![
        rec(
            10 * D + 5,
            101,
            "Who@Example.COM",
            DeliveryStatus::Queued,
            Some("App1"),
        ),
        rec(
            10 * D + 9,
            101,
            "Who@Example.COM",
            DeliveryStatus::Succeeded,
            Some("App1"),
        ),
        rec(
            11 * D + 1,
            202,
            "other@example.net",
            DeliveryStatus::Failed,
            None,
        ),
        rec(
            12 * D + 1,
            303,
            "who@example.com",
            DeliveryStatus::Deferred,
            Some("app2"),
        ),
    ];
    let (_d, store) = store_with(&records);
    let all = LogQuery {
        from_ms: 0,
        to_ms: 20 * D,
        ..Default::default()
    };
    assert_eq!(search(&store, &all).unwrap().0.len(), 4);

    let q = LogQuery {
        recipient: Some("who@example.com".into()),
        ..all.clone()
    };
    let (found, corrupt) = search(&store, &q).unwrap();
    assert_eq!(found.len(), 3);
    assert_eq!(corrupt, 0);
    assert!(found.windows(2).all(|w| w[0].time_ms <= w[1].time_ms));

    let q = LogQuery {
        domain: Some("EXAMPLE.NET".into()),
        ..all.clone()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 1);
    let q = LogQuery {
        status: Some(DeliveryStatus::Succeeded),
        ..all.clone()
    };
    assert_eq!(
        search(&store, &q).unwrap().0[0].delivery_id,
        Id(101).to_string()
    );
    let q = LogQuery {
        submitter: Some("app1".into()),
        ..all.clone()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 2);
    let q = LogQuery {
        submitter: Some("127.0.0.1".into()),
        ..all.clone()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 1);
    let q = LogQuery {
        message_id: Some("m30".into()),
        ..all.clone()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 1);
    let q = LogQuery {
        subject_contains: Some("subject 20".into()),
        ..all.clone()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 1);
    // Time range narrows, index and filter combine.
    let q = LogQuery {
        from_ms: 10 * D + 6,
        to_ms: 12 * D,
        recipient: Some("WHO@example.com".into()),
        ..Default::default()
    };
    assert_eq!(search(&store, &q).unwrap().0.len(), 1);
    let q = LogQuery { limit: 2, ..all };
    assert_eq!(search(&store, &q).unwrap().0.len(), 2);
}

#[test]
fn retention_drops_old_records_and_their_index_entries() {
    let records = vec![
        rec(10 * D + 5, 1, "a@x.test", DeliveryStatus::Queued, None),
        rec(11 * D + 5, 2, "a@x.test", DeliveryStatus::Queued, None),
        rec(12 * D + 5, 3, "a@x.test", DeliveryStatus::Queued, None),
    ];
    let (_d, store) = store_with(&records);
    store.write_ops(&retention_ops(12 * D), false).unwrap();
    let all = LogQuery {
        from_ms: 0,
        to_ms: 20 * D,
        ..Default::default()
    };
    let left = search(&store, &all).unwrap().0;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].delivery_id, Id(3).to_string());
    let mut index_entries = 0;
    store
        .scan(Cf::LogIndex, b"", None, |_, _| {
            index_entries += 1;
            true
        })
        .unwrap();
    assert_eq!(
        index_entries, 5,
        "only the surviving record's 5 index entries remain"
    );
}

#[test]
fn pages_follow_the_cursor_with_and_without_an_index() {
    let records: Vec<_> = (0..25)
        .map(|i| {
            rec(
                D * (i / 10) + i,
                1000 + i,
                if i % 2 == 0 {
                    "even@example.com"
                } else {
                    "odd@example.com"
                },
                DeliveryStatus::Queued,
                Some("app"),
            )
        })
        .collect();
    let (_d, store) = store_with(&records);
    for recipient in [None, Some("EVEN@example.com".to_string())] {
        let expected = records
            .iter()
            .filter(|(r, _)| {
                recipient
                    .as_ref()
                    .is_none_or(|x| r.recipient.eq_ignore_ascii_case(x))
            })
            .count();
        let mut q = LogQuery {
            from_ms: 0,
            to_ms: 10 * D,
            recipient: recipient.clone(),
            limit: 4,
            ..Default::default()
        };
        let mut seen = Vec::new();
        loop {
            let (page, _) = search_keyed(&store, &q).unwrap();
            seen.extend(page.iter().map(|(_, r)| r.delivery_id.clone()));
            match page.last() {
                Some((k, _)) if page.len() == q.limit => q.after = Some(k.clone()),
                _ => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(seen.len(), expected, "{recipient:?}: every record once");
        assert_eq!(unique.len(), expected);
    }
}
