use super::*;
use crate::config::StorageConfig;
use crate::storage::Submitter;

fn store() -> (tempfile::TempDir, Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    (dir, store)
}

const DOMAIN: &str = "example.com";

fn entry(delivery: Id, message: Id) -> QueueEntry {
    QueueEntry {
        delivery_id: delivery.to_string(),
        message_id: message.to_string(),
        recipient: "u@example.com".into(),
        domain: DOMAIN.into(),
        attempts: 0,
        not_before_ms: 0,
        created_ms: 1,
        priority: 1,
        hold: None,
        unsubscribe: false,
    }
}

fn meta(message: Id) -> MessageMeta {
    MessageMeta {
        message_id: message.to_string(),
        header_message_id: "m@example.com".into(),
        envelope_from: "app@example.org".into(),
        submitter: Submitter {
            api_user: None,
            source_ip: "192.0.2.9".into(),
        },
        size: 5,
        subject: "s".into(),
        received_ms: 1,
        recipients: 1,
        smtputf8: false,
        tags: vec![],
        from_domain: String::new(),
    }
}

/// Writes the parts of one delivery; `None` leaves a part out, `Some(bytes)` stores it raw.
fn write(
    store: &Store,
    delivery: Id,
    message: Id,
    entry: Option<Vec<u8>>,
    meta: Option<Vec<u8>>,
    body: Option<Vec<u8>>,
) {
    let mut ops = Vec::new();
    if let Some(v) = entry {
        ops.push(Op::Put {
            cf: Cf::Queue,
            key: queue_key(domain_hash(DOMAIN), delivery).to_vec(),
            value: v,
        });
    }
    if let Some(v) = meta {
        ops.push(Op::Put {
            cf: Cf::MessageMeta,
            key: message.to_be_bytes().to_vec(),
            value: v,
        });
    }
    if let Some(v) = body {
        ops.push(Op::Put {
            cf: Cf::Messages,
            key: message.to_be_bytes().to_vec(),
            value: v,
        });
    }
    store.write_ops(&ops, false).unwrap();
}

fn json<T: Serialize>(v: &T) -> Option<Vec<u8>> {
    Some(serde_json::to_vec(v).unwrap())
}

fn damage_reason(store: &Store, delivery: Id) -> String {
    match read_delivery(store, DOMAIN, delivery).unwrap() {
        DeliveryRead::Damaged(d) => d.reason,
        other => panic!("expected damage, got {other:?}"),
    }
}

#[test]
fn an_intact_delivery_reads_ready() {
    let (_d, store) = store();
    let (del, msg) = (Id(11), Id(10));
    write(
        &store,
        del,
        msg,
        json(&entry(del, msg)),
        json(&meta(msg)),
        Some(b"hello".to_vec()),
    );
    match read_delivery(&store, DOMAIN, del).unwrap() {
        DeliveryRead::Ready(s) => {
            assert_eq!(s.entry, entry(del, msg));
            assert_eq!(*s.meta, meta(msg));
            assert_eq!(&s.body[..], b"hello");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_queue_entry_is_gone_not_damaged() {
    let (_d, store) = store();
    assert!(matches!(
        read_delivery(&store, DOMAIN, Id(5)).unwrap(),
        DeliveryRead::Gone
    ));
}

#[test]
fn every_kind_of_damage_is_named() {
    let (_d, store) = store();
    let msg = Id(100);
    // Undecodable queue entry.
    write(&store, Id(1), msg, Some(b"{not json".to_vec()), None, None);
    assert!(damage_reason(&store, Id(1)).starts_with("queue entry corrupt"));
    // Metadata missing.
    write(
        &store,
        Id(2),
        Id(200),
        json(&entry(Id(2), Id(200))),
        None,
        Some(b"x".to_vec()),
    );
    assert_eq!(damage_reason(&store, Id(2)), "message metadata missing");
    // Metadata corrupt.
    write(
        &store,
        Id(3),
        Id(300),
        json(&entry(Id(3), Id(300))),
        Some(b"[]".to_vec()),
        Some(b"x".to_vec()),
    );
    assert!(damage_reason(&store, Id(3)).starts_with("message metadata corrupt"));
    // Body missing.
    write(
        &store,
        Id(4),
        Id(400),
        json(&entry(Id(4), Id(400))),
        json(&meta(Id(400))),
        None,
    );
    assert_eq!(damage_reason(&store, Id(4)), "message body missing");
    // Body empty.
    write(
        &store,
        Id(6),
        Id(600),
        json(&entry(Id(6), Id(600))),
        json(&meta(Id(600))),
        Some(Vec::new()),
    );
    assert_eq!(
        damage_reason(&store, Id(6)),
        "message body corrupt: empty body"
    );
    // A message id that is not one.
    let mut bad = entry(Id(7), Id(700));
    bad.message_id = "zz".into();
    write(&store, Id(7), Id(700), json(&bad), None, None);
    assert!(damage_reason(&store, Id(7)).contains("no valid message id"));
}

#[test]
fn damaged_deliveries_are_kept_counted_and_their_entry_removed() {
    let (_d, store) = store();
    write(
        &store,
        Id(1),
        Id(100),
        Some(b"garbage".to_vec()),
        None,
        None,
    );
    write(
        &store,
        Id(2),
        Id(200),
        json(&entry(Id(2), Id(200))),
        None,
        None,
    );
    let mut ops = Vec::new();
    for id in [Id(1), Id(2)] {
        let DeliveryRead::Damaged(d) = read_delivery(&store, DOMAIN, id).unwrap() else {
            panic!("not damaged");
        };
        ops.push(damaged_op(&d, 42).unwrap());
        ops.push(remove_entry_op(&d));
    }
    store.write_ops(&ops, false).unwrap();
    assert_eq!(damaged_count(&store).unwrap(), 2);
    let kept = damaged(&store).unwrap();
    assert_eq!(kept[0].raw_entry.as_deref(), Some("garbage"));
    assert_eq!(kept[1].reason, "message metadata missing");
    assert_eq!(kept[1].time_ms, 42);
    for id in [Id(1), Id(2)] {
        assert!(matches!(
            read_delivery(&store, DOMAIN, id).unwrap(),
            DeliveryRead::Gone
        ));
    }
}
