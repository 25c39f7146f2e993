//! Matching and blocking rules of issue 18: only failures count, and only for an address the
//! matched delivery was sent to.

use super::*;
use crate::config::StorageConfig;
use crate::ids::IdGen;

const T0: u64 = 1_760_000_000_000;

fn delivery(store: &Store, ids: &mut IdGen, recipient: &str) -> Id {
    let id = ids.next(T0);
    let record = DeliveryLogRecord {
        time_ms: T0,
        delivery_id: id.to_string(),
        message_id: ids.next(T0).to_string(),
        api_user: Some("app".into()),
        source_ip: "192.0.2.1".into(),
        envelope_from: "news@sender.test".into(),
        recipient: recipient.into(),
        domain: recipient.rsplit_once('@').map_or("", |(_, d)| d).into(),
        status: DeliveryStatus::Succeeded,
        error_status: None,
        smtp_reply: Some("250 ok".into()),
        size: 100,
        subject: "news".into(),
        tags: Vec::new(),
    };
    store
        .write_ops(&log_index::record_ops(&record, id).unwrap(), false)
        .unwrap();
    id
}

fn dsn(recipient: &str, action: &str, status: &str, human: &str) -> Vec<u8> {
    format!(
        "From: MAILER-DAEMON@mx.dest.test\r\nTo: bounce@bounce.test\r\nSubject: Returned mail\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n\
--b\r\nContent-Type: text/plain\r\n\r\n{human}\r\n\r\n\
--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.dest.test\r\n\r\n\
Final-Recipient: rfc822; {recipient}\r\nAction: {action}\r\nStatus: {status}\r\n\r\n--b--\r\n"
    )
    .into_bytes()
}

fn run(store: &Store, verp: &Verp, rcpt: &str, raw: &[u8], ids: &mut IdGen) -> Processed {
    let msg = Received {
        raw,
        envelope_rcpts: vec![rcpt.to_string()],
        now_ms: T0 + 60_000,
        id: ids.next(T0 + 60_000),
    };
    process(
        store,
        verp,
        hikyaku_bounce::Classifier::builtin(),
        &BounceConfig::default(),
        &msg,
    )
    .unwrap()
}

fn failed_delivery_ops(p: &Processed) -> usize {
    p.ops
        .iter()
        .filter(|op| {
            matches!(
                op,
                Op::Put {
                    cf: Cf::DeliveryLog,
                    ..
                }
            )
        })
        .count()
}

#[test]
fn verp_match_needs_the_deliverys_own_recipient() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(1);
    let verp = Verp::new(b"test secret");
    let id = delivery(&store, &mut ids, "member@dest.test");
    let rcpt = verp.encode(id, "bounce.test");

    // The bounce names somebody else (a list address, a colleague): recorded, unmatched,
    // no failed delivery, no count towards blocking.
    let other = run(
        &store,
        &verp,
        &rcpt,
        &dsn("all-members@list.test", "failed", "5.1.1", "User unknown"),
        &mut ids,
    );
    assert_eq!(other.records.len(), 1);
    assert_eq!(other.records[0].recipient, "all-members@list.test");
    assert_eq!(other.records[0].matched_by, None);
    assert_eq!(other.records[0].delivery_id, None);
    assert_eq!(other.records[0].kind.as_deref(), Some("dsn"));
    assert!(other.counted.is_empty());
    assert_eq!(failed_delivery_ops(&other), 0);

    // The delivery's own recipient: matched, failed, counted.
    let own = run(
        &store,
        &verp,
        &rcpt,
        &dsn("member@dest.test", "failed", "5.1.1", "User unknown"),
        &mut ids,
    );
    assert_eq!(own.records[0].matched_by.as_deref(), Some("verp"));
    assert_eq!(
        own.records[0].delivery_id.as_deref(),
        Some(id.to_string().as_str())
    );
    assert_eq!(own.counted.len(), 1);
    assert!(failed_delivery_ops(&own) > 0);
}

#[test]
fn non_failure_kinds_neither_fail_nor_count() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(1);
    let verp = Verp::new(b"test secret");
    let id = delivery(&store, &mut ids, "member@dest.test");
    let rcpt = verp.encode(id, "bounce.test");
    let cases: [(&[u8], hikyaku_bounce::Kind); 3] = [
        (
            &dsn("member@dest.test", "delayed", "4.4.7", "Delivery has been delayed."),
            hikyaku_bounce::Kind::Delayed,
        ),
        (
            &dsn(
                "member@dest.test",
                "failed",
                "5.0.0",
                "Your message is being held. Please verify you are human to have it delivered.",
            ),
            hikyaku_bounce::Kind::ChallengeResponse,
        ),
        (
            b"From: Mail Delivery System <Mailer-Daemon@mx.dest.test>\r\nTo: bounce@bounce.test\r\n\
Subject: BANNED CONTENTS ALERT\r\n\r\nA message to member@dest.test was quarantined: banned attachment.\r\n",
            hikyaku_bounce::Kind::ContentFilter,
        ),
    ];
    for (raw, kind) in cases {
        let p = run(&store, &verp, &rcpt, raw, &mut ids);
        assert_eq!(p.kind, Some(kind));
        assert!(p.records.is_empty(), "{kind:?} wrote error-log records");
        assert!(
            p.counted.is_empty() && p.ops.is_empty(),
            "{kind:?} wrote {:?}",
            p.ops.len()
        );
    }
}

/// An alias or forward at the receiver: the DSN's `Final-Recipient` is the internal target, its
/// `Original-Recipient` the address the delivery went to. The failure is the delivery's, and
/// the address counted is the one sent to, never the internal target.
#[test]
fn original_recipient_matches_the_delivery_an_alias_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let mut ids = IdGen::new(1);
    let verp = Verp::new(b"test secret");
    let id = delivery(&store, &mut ids, "jane@dest.test");
    let rcpt = verp.encode(id, "bounce.test");
    let raw = String::from_utf8(dsn(
        "jane.internal@store.dest.test",
        "failed",
        "5.1.1",
        "User unknown",
    ))
    .unwrap()
    .replace(
        "Final-Recipient: rfc822; jane.internal@store.dest.test\r\n",
        "Final-Recipient: rfc822; jane.internal@store.dest.test\r\n\
Original-Recipient: rfc822;jane@dest.test\r\n",
    );
    let p = run(&store, &verp, &rcpt, raw.as_bytes(), &mut ids);
    assert_eq!(p.records.len(), 1);
    assert_eq!(p.records[0].matched_by.as_deref(), Some("verp"));
    assert_eq!(p.records[0].recipient, "jane@dest.test");
    assert_eq!(p.counted.len(), 1);
    assert_eq!(p.counted[0].address, "jane@dest.test");
    assert!(failed_delivery_ops(&p) > 0);

    // Without a VERP return path nor a Message-ID of ours (unmatched), the address counted is
    // still the one the sender used.
    let p = run(
        &store,
        &verp,
        "bounce@bounce.test",
        raw.as_bytes(),
        &mut ids,
    );
    assert_eq!(p.records[0].matched_by, None);
    assert_eq!(p.records[0].recipient, "jane@dest.test");
    assert_eq!(p.counted[0].address, "jane@dest.test");
}
