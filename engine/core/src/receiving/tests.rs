use super::*;
use crate::bounces::BounceRecord;
use crate::config::StorageConfig;
use crate::ids::{Id, IdGen};
use crate::storage::Store;

const T0: u64 = 1_700_000_000_000;
const DAY: u64 = 86_400_000;

fn envelope(time_ms: u64, rcpt: &str) -> Envelope {
    Envelope {
        time_ms,
        mail_from: "sender@remote.test".into(),
        recipients: vec![rcpt.into()],
        peer_ip: "192.0.2.7".parse().unwrap(),
        helo: "mx.remote.test".into(),
        tls: false,
    }
}

fn keep(store: &Store, ids: &mut IdGen, time_ms: u64, rcpt: &str, kind: ReceivedKind) -> Id {
    let id = ids.next(time_ms);
    let raw = format!("Subject: at {time_ms}\r\nMessage-ID: <{id}@remote.test>\r\n\r\nhi\r\n");
    let mut record = record_of(
        envelope(time_ms, rcpt),
        raw.as_bytes(),
        &Processed::default(),
    );
    record.kind = kind;
    store
        .write_ops(&keep_ops(id, &record, raw.into_bytes()).unwrap(), false)
        .unwrap();
    id
}

fn everything() -> ReceivedQuery {
    ReceivedQuery {
        to_ms: u64::MAX,
        ..ReceivedQuery::default()
    }
}

#[test]
fn kept_messages_list_by_time_and_filter_and_read_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(3);
    let a = keep(&store, &mut ids, T0, "info@in.test", ReceivedKind::Other);
    let b = keep(
        &store,
        &mut ids,
        T0 + 10,
        "b@bounce.test",
        ReceivedKind::Bounce,
    );
    let c = keep(
        &store,
        &mut ids,
        T0 + 20,
        "Sales@IN.test",
        ReceivedKind::Other,
    );

    let all = list(&store, &everything()).unwrap();
    assert_eq!(all.corrupt, 0);
    let listed: Vec<Id> = all.records.iter().map(|(_, id, _)| *id).collect();
    assert_eq!(listed, [a, b, c]);
    let (_, _, first) = &all.records[0];
    assert_eq!(first.subject.as_deref(), Some(&*format!("at {T0}")));
    assert_eq!(
        first.header_message_id.as_deref(),
        Some(&*format!("{a}@remote.test"))
    );
    assert_eq!(first.peer_ip, "192.0.2.7");

    let only = |q: ReceivedQuery| -> Vec<Id> {
        list(&store, &q)
            .unwrap()
            .records
            .into_iter()
            .map(|(_, id, _)| id)
            .collect()
    };
    // Time range [from, to).
    assert_eq!(
        only(ReceivedQuery {
            from_ms: T0 + 10,
            to_ms: T0 + 20,
            ..everything()
        }),
        [b]
    );
    assert_eq!(
        only(ReceivedQuery {
            kind: Some(ReceivedKind::Other),
            ..everything()
        }),
        [a, c]
    );
    assert_eq!(
        only(ReceivedQuery {
            domain: Some("IN.TEST".into()),
            ..everything()
        }),
        [a, c]
    );
    assert_eq!(
        only(ReceivedQuery {
            recipient: Some("sales@in.test".into()),
            ..everything()
        }),
        [c]
    );
    // Nothing here was matched to an API user's delivery.
    assert!(only(ReceivedQuery {
        api_user: Some("default".into()),
        ..everything()
    })
    .is_empty());
    // Paging: the key of the last record is the cursor.
    let page = list(
        &store,
        &ReceivedQuery {
            limit: 2,
            ..everything()
        },
    )
    .unwrap();
    assert_eq!(page.records.len(), 2);
    let cursor = page.records[1].0.clone();
    assert_eq!(
        only(ReceivedQuery {
            after: Some(cursor),
            ..everything()
        }),
        [c]
    );

    let Lookup::Found(m) = get(&store, b).unwrap() else {
        panic!("not found")
    };
    assert_eq!(m.record.kind, ReceivedKind::Bounce);
    assert_eq!(
        m.raw,
        format!(
            "Subject: at {}\r\nMessage-ID: <{b}@remote.test>\r\n\r\nhi\r\n",
            T0 + 10
        )
        .as_bytes()
    );
    assert_eq!(get(&store, Id(b.0 + 1)).unwrap(), Lookup::Missing);
}

#[test]
fn retention_range_deletes_records_and_bodies_before_the_cutoff() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(0);
    let old = keep(
        &store,
        &mut ids,
        T0 - 41 * DAY,
        "a@in.test",
        ReceivedKind::Other,
    );
    let edge = keep(
        &store,
        &mut ids,
        T0 - 40 * DAY,
        "a@in.test",
        ReceivedKind::Other,
    );
    let recent = keep(&store, &mut ids, T0 - DAY, "a@in.test", ReceivedKind::Other);

    // The error log's retention (40 days here) applies to received messages too.
    crate::maintenance::apply_retention(&store, T0, 40).unwrap();
    let left: Vec<Id> = list(&store, &everything())
        .unwrap()
        .records
        .into_iter()
        .map(|(_, id, _)| id)
        .collect();
    assert_eq!(left, [edge, recent]);
    // The body went with the record (Missing, not Corrupt).
    assert_eq!(get(&store, old).unwrap(), Lookup::Missing);
    assert!(matches!(get(&store, edge).unwrap(), Lookup::Found(_)));

    // The ops alone, at an explicit cutoff: everything strictly before it goes.
    store.write_ops(&retention_ops(T0 - DAY), false).unwrap();
    assert_eq!(get(&store, edge).unwrap(), Lookup::Missing);
    assert!(matches!(get(&store, recent).unwrap(), Lookup::Found(_)));
}

#[test]
fn a_damaged_entry_is_reported_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(0);
    let good = keep(&store, &mut ids, T0, "a@in.test", ReceivedKind::Other);
    let bad = ids.next(T0 + 1);
    let ops = keep_ops(
        bad,
        &record_of(envelope(T0 + 1, "a@in.test"), b"x", &Processed::default()),
        b"x".to_vec(),
    )
    .unwrap();
    let Op::Put { key, .. } = &ops[0] else {
        panic!("not a put")
    };
    store
        .write_ops(
            &[Op::Put {
                cf: Cf::Received,
                key: key.clone(),
                value: b"{not json".to_vec(),
            }],
            false,
        )
        .unwrap();
    let page = list(&store, &everything()).unwrap();
    assert_eq!(page.corrupt, 1);
    assert_eq!(page.records.len(), 1);
    assert_eq!(page.records[0].1, good);
    assert!(matches!(get(&store, bad).unwrap(), Lookup::Corrupt(_)));
}

#[test]
fn a_bounce_records_its_kind_error_log_keys_and_api_users() {
    let bounce_key = vec![1u8; 17];
    let raw_key = vec![0xffu8; 17];
    // From JSON, so the test does not depend on the error log's newer optional fields.
    let record: BounceRecord = serde_json::from_value(serde_json::json!({
        "time_ms": T0,
        "delivery_id": "0000000000000001",
        "message_id": "0000000000000002",
        "api_user": "shop",
        "recipient": "gone@example.net",
        "domain": "example.net",
        "error_status": 2,
        "reason": "user unknown",
        "smtp_status": 550,
        "enhanced_status": "5.1.1",
        "diagnostic": "gone",
        "reporting_mta": null,
        "matched_by": "verp",
        "raw_key": store::hex(&raw_key),
    }))
    .unwrap();
    let processed = Processed {
        ops: vec![
            Op::Put {
                cf: Cf::Bounces,
                key: raw_key,
                value: b"raw".to_vec(),
            },
            Op::Put {
                cf: Cf::Bounces,
                key: bounce_key.clone(),
                value: b"{}".to_vec(),
            },
            Op::Put {
                cf: Cf::DeliveryLog,
                key: vec![2; 17],
                value: b"{}".to_vec(),
            },
        ],
        records: vec![record.clone(), record],
        kind: Some(hikyaku_bounce::Kind::Dsn),
        ..Processed::default()
    };
    let mut env = envelope(T0, "b-1@bounce.test");
    env.mail_from = String::new();
    let r = record_of(env, b"Subject: Undelivered\r\n\r\n", &processed);
    assert_eq!(r.kind, ReceivedKind::Bounce);
    assert_eq!(r.error_log_keys, [store::hex(&bounce_key)]);
    assert_eq!(r.api_users, ["shop"]);
    assert_eq!(r.mail_from, "");
    assert_eq!(r.size, 24);

    let kinds = [
        (None, ReceivedKind::Other),
        (Some(hikyaku_bounce::Kind::NotBounce), ReceivedKind::Other),
        (
            Some(hikyaku_bounce::Kind::NonStandard),
            ReceivedKind::Bounce,
        ),
        (
            Some(hikyaku_bounce::Kind::AutoReply),
            ReceivedKind::AutoReply,
        ),
        (Some(hikyaku_bounce::Kind::Feedback), ReceivedKind::Feedback),
    ];
    for (parsed, kept) in kinds {
        assert_eq!(ReceivedKind::of(parsed), kept, "{parsed:?}");
    }
}

#[test]
fn a_read_only_open_of_a_spool_without_the_family_finds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("spool");
    {
        // A spool written before the `received` family existed.
        let mut opts = rocksdb::Options::default();
        opts.create_if_missing(true);
        opts.create_missing_column_families(true);
        let older: Vec<&str> = Cf::ALL
            .iter()
            .filter(|c| **c != Cf::Received)
            .map(|c| c.name())
            .collect();
        let db = rocksdb::DB::open_cf(&opts, &path, older).unwrap();
        db.put_cf(db.cf_handle("bounces").unwrap(), b"k", b"v")
            .unwrap();
    }
    let store = Store::open_read_only(dir.path()).unwrap();
    assert_eq!(store.get(Cf::Bounces, b"k").unwrap(), Some(b"v".to_vec()));
    assert_eq!(list(&store, &everything()).unwrap().records.len(), 0);
    assert_eq!(get(&store, Id(1 << 20)).unwrap(), Lookup::Missing);
    drop(store);
    // The daemon's open adds the family.
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(0);
    let id = keep(&store, &mut ids, T0, "a@in.test", ReceivedKind::Other);
    assert!(matches!(get(&store, id).unwrap(), Lookup::Found(_)));
}
