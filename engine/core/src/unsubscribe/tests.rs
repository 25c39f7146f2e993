use super::*;
use crate::config::StorageConfig;
use crate::storage::{log_index, DeliveryStatus};

fn record(delivery: Id) -> DeliveryLogRecord {
    DeliveryLogRecord {
        time_ms: delivery.millis(),
        delivery_id: delivery.to_string(),
        message_id: Id(1).to_string(),
        api_user: Some("shop".into()),
        source_ip: "192.0.2.1".into(),
        envelope_from: "news@shop.example".into(),
        recipient: "Reader@Example.com".into(),
        domain: "example.com".into(),
        status: DeliveryStatus::Queued,
        error_status: None,
        smtp_reply: None,
        size: 10,
        subject: "s".into(),
        tags: vec![],
    }
}

#[test]
fn a_valid_token_unsubscribes_once_and_records_an_event() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let delivery = crate::ids::IdGen::new(0).next(1_800_000_000_000);
    store
        .write_ops(
            &log_index::record_ops(&record(delivery), delivery).unwrap(),
            false,
        )
        .unwrap();
    let signer = Signer::new(b"k");
    let token = signer.token(delivery);
    let (outcome, ops) = unsubscribe(&store, &signer, &token, Channel::Https, 5).unwrap();
    assert_eq!(
        outcome,
        Outcome {
            recipient: "Reader@Example.com".into(),
            already: false
        }
    );
    store.write_ops(&ops, false).unwrap();
    assert_eq!(
        suppression::check(&store, "reader@example.com").unwrap(),
        Some(List::Unsubscribed)
    );
    let entry = &suppression::list(&store, List::Unsubscribed).unwrap()[0];
    assert!(
        entry.reason.contains("(https) from mail of shop"),
        "{}",
        entry.reason
    );
    let events = events(&store, 0).unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].channel, Channel::Https);
    assert_eq!(events[0].api_user.as_deref(), Some("shop"));
    // Idempotent: a second request (or the mailto) writes nothing.
    let (again, ops) = unsubscribe(&store, &signer, &token, Channel::Mailto, 6).unwrap();
    assert!(again.already && ops.is_empty());
}

#[test]
fn forged_altered_and_unknown_tokens_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let signer = Signer::new(b"k");
    let forged = Signer::new(b"attacker").token(Id(42));
    assert!(matches!(
        unsubscribe(&store, &signer, &forged, Channel::Https, 1),
        Err(UnsubscribeError::BadToken)
    ));
    // Valid MAC, but no such delivery in the log.
    assert!(matches!(
        unsubscribe(&store, &signer, &signer.token(Id(42)), Channel::Https, 1),
        Err(UnsubscribeError::Unknown)
    ));
    assert!(suppression::list(&store, List::Unsubscribed)
        .unwrap()
        .is_empty());
}

#[test]
fn header_fields_carry_the_url_and_the_mailto() {
    let signer = Signer::new(b"k");
    let h = header_fields(
        &signer,
        Id(7),
        "https://u.example.com/",
        Some("bounce.example.com"),
    );
    let token = signer.token(Id(7));
    assert_eq!(
        h,
        format!("List-Unsubscribe: <https://u.example.com/u/{token}>,\r\n <mailto:u-{token}@bounce.example.com>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
    );
    assert_eq!(
        token_of_address(&format!("<u-{token}@bounce.example.com>")),
        Some(token.as_str())
    );
    assert_eq!(token_of_address("b-1-2@bounce.example.com"), None);
    let no_mail = header_fields(&signer, Id(7), "https://u.example.com", None);
    assert!(!no_mail.contains("mailto"));
}
