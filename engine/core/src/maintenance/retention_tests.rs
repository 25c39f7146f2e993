//! The daily purge end to end on a real spool, driven by a [`ManualClock`]: report data of 45
//! local days, the clock stepped through the purge hour while another thread keeps writing
//! intake records, and a count of what is left per local day in every family.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use super::*;
use crate::bounces::Processed;
use crate::clock::ManualClock;
use crate::config::StorageConfig;
use crate::delivery::{Attempt, Remote};
use crate::ids::IdGen;
use crate::receiving::{Envelope, Lookup};
use crate::storage::graph_counters::{self, Dim};
use crate::storage::{DeliveryLogRecord, DeliveryStatus};

const HOUR: u64 = 3_600_000;
const DAY: u64 = 86_400_000;
/// Shard number in the ids of the 45 days written up front, and of the concurrent intake.
const FIXTURE: usize = 1;
const INTAKE: usize = 2;
/// Local midnight starting 11 March 2026 in Tokyo (+09:00, no daylight saving), the purge
/// day `D`: local days are not UTC days, so a cutoff at UTC midnight would show.
const D0: u64 = 1_773_154_800_000; // 2026-03-10T15:00:00Z

fn shard_of(id: u64) -> usize {
    usize::try_from((id >> 12) & 0xff).unwrap()
}

/// Local-day age of `t` on the day starting at `day0`: 0 for that day (and later), 1 for the
/// day before, and so on.
fn age(t: u64, day0: u64) -> u64 {
    if t >= day0 {
        0
    } else {
        (day0 - t - 1) / DAY + 1
    }
}

/// Writes one failed delivery as intake and delivery do: its delivery-log record with the
/// index entries and graph counters, its error-log record, a raw bounce, and a message kept by
/// the receiving listener, in one batch. Returns its id (minted at `now_ms`).
fn write_set(store: &Store, ids: &mut IdGen, now_ms: u64, domain: &str) -> Id {
    let id = ids.next(now_ms);
    let t = id.millis();
    let record = DeliveryLogRecord {
        time_ms: t,
        delivery_id: id.to_string(),
        message_id: id.to_string(),
        api_user: None,
        source_ip: "127.0.0.1".into(),
        envelope_from: "s@app.test".into(),
        recipient: format!("a@{domain}"),
        domain: domain.into(),
        status: DeliveryStatus::Failed,
        error_status: Some(1),
        smtp_reply: None,
        size: 10,
        subject: String::new(),
        tags: Vec::new(),
    };
    let attempt = Attempt::PermFail {
        code: 550,
        enhanced: Some("5.1.1".into()),
        text: "no such user".into(),
    };
    let mut ops = log_index::record_ops(&record, id).unwrap();
    ops.push(crate::bounces::smtp_failure_op(&record, id, &attempt, &Remote::default()).unwrap());
    // A raw bounce, keyed as the error log keeps them (`time | id | 0xff`).
    let mut raw_key = t.to_be_bytes().to_vec();
    raw_key.extend_from_slice(&id.to_be_bytes());
    raw_key.push(0xff);
    ops.push(Op::Put {
        cf: Cf::Bounces,
        key: raw_key,
        value: b"raw bounce".to_vec(),
    });
    let raw = format!("Subject: at {t}\r\n\r\nhi\r\n").into_bytes();
    let envelope = Envelope {
        time_ms: t,
        mail_from: String::new(),
        recipients: vec!["bounces@app.test".into()],
        peer_ip: "192.0.2.7".parse().unwrap(),
        helo: "mx.remote.test".into(),
        tls: false,
    };
    let kept = crate::receiving::record_of(envelope, &raw, &Processed::default());
    ops.extend(crate::receiving::keep_ops(id, &kept, raw).unwrap());
    store.write_ops(&ops, false).unwrap();
    id
}

/// How many of the fixture's records each family holds per local-day age (ages counted from
/// `day0`). Keys carry the time and the id (whose shard tells the fixture from intake); the
/// graph counters are read for the fixture's domain.
fn census(store: &Store, day0: u64) -> BTreeMap<&'static str, BTreeMap<u64, u64>> {
    let mut out: BTreeMap<&'static str, BTreeMap<u64, u64>> = BTreeMap::new();
    let mut count = |family: &'static str, t: u64, n: u64| {
        *out.entry(family)
            .or_default()
            .entry(age(t, day0))
            .or_default() += n;
    };
    let time_and_shard = |k: &[u8], at: usize| {
        let t = u64::from_be_bytes(k[at..at + 8].try_into().unwrap());
        let id = u64::from_be_bytes(k[at + 8..at + 16].try_into().unwrap());
        (t, shard_of(id))
    };
    for (cf, family, at) in [
        (Cf::DeliveryLog, "delivery log", 0),
        (Cf::Bounces, "error log and raw bounces", 0),
        (Cf::Received, "received mail", 1),
    ] {
        let mut found = Vec::new();
        store
            .scan(cf, b"", None, |k, _| {
                found.push(time_and_shard(k, at));
                true
            })
            .unwrap();
        for (t, shard) in found {
            if shard == FIXTURE {
                count(family, t, 1);
            }
        }
    }
    // The fixture's days and a few after them (the scans go bucket by bucket, day by day).
    let (from, to) = (D0 - 50 * DAY, D0 + 3 * DAY);
    let buckets = (
        graph_counters::bucket_of(Dim::Domain, from),
        graph_counters::bucket_of(Dim::Domain, to),
    );
    let mut hours = Vec::new();
    graph_counters::scan(store, Dim::Domain, buckets, &["dest.test"], |c| {
        hours.push((u64::from(c.bucket) * HOUR, c.n));
        true
    })
    .unwrap();
    for (t, n) in hours {
        count("graph counters (hourly)", t, n);
    }
    // The indexes, through a search that reads the log by them.
    let by_domain = log_index::LogQuery {
        from_ms: from,
        to_ms: to,
        domain: Some("dest.test".into()),
        ..log_index::LogQuery::default()
    };
    for (_, r) in log_index::search_keyed(store, &by_domain).unwrap().0 {
        count("log index (by domain)", r.time_ms, 1);
    }
    out
}

/// The census of a fixture holding `ages` whole (3 records a day; error log and received mail
/// keep a record and a raw message each).
fn expected(ages: std::ops::RangeInclusive<u64>) -> BTreeMap<&'static str, BTreeMap<u64, u64>> {
    [
        ("delivery log", 3),
        ("error log and raw bounces", 6),
        ("received mail", 6),
        ("graph counters (hourly)", 3),
        ("log index (by domain)", 3),
    ]
    .into_iter()
    .map(|(family, n)| (family, ages.clone().map(|a| (a, n)).collect()))
    .collect()
}

/// Every family still holds every record the intake thread wrote.
/// Index entries of UTC days before `cutoff_ms`'s (the indexes' granularity is a UTC day).
fn index_entries_before(store: &Store, cutoff_ms: u64) -> usize {
    let cutoff_day = u32::try_from(cutoff_ms / DAY).unwrap();
    let mut n = 0;
    store
        .scan(Cf::LogIndex, b"", None, |k, _| {
            let day = u32::from_be_bytes(k[1..5].try_into().unwrap());
            n += usize::from(day < cutoff_day);
            true
        })
        .unwrap();
    n
}

fn assert_intake_kept(store: &Store, written: &[Id]) {
    for id in written {
        let t = id.millis();
        let log_key = crate::storage::keys::log_key(t, *id, DeliveryStatus::Failed.code());
        assert!(store.get(Cf::DeliveryLog, &log_key).unwrap().is_some());
        let mut error_key = t.to_be_bytes().to_vec();
        error_key.extend_from_slice(&id.to_be_bytes());
        error_key.push(0);
        assert!(store.get(Cf::Bounces, &error_key).unwrap().is_some());
        assert!(matches!(
            crate::receiving::get(store, *id).unwrap(),
            Lookup::Found(_)
        ));
    }
}

#[test]
fn the_daily_purge_deletes_day_41_keeps_day_40_while_intake_continues() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    let policy = RetentionPolicy::new(40, 3, "Asia/Tokyo").unwrap();
    // 45 local days before and including D: the first and last millisecond of each, and noon.
    // Oldest first: ids carry their time, and a generator never goes back in time.
    let mut ids = IdGen::new(FIXTURE);
    for k in (0..45).rev() {
        let start = D0 - k * DAY;
        for t in [start, start + 12 * HOUR, start + DAY - 1] {
            write_set(&store, &mut ids, t, "dest.test");
        }
    }
    assert_eq!(census(&store, D0), expected(0..=44));
    // Yesterday's purge happened (the mark a running daemon would have left).
    let yesterday = D0 - DAY + 3 * HOUR + 5_000;
    store
        .write_ops(&[retention_mark::mark_op(yesterday)], false)
        .unwrap();

    let clock = Arc::new(ManualClock::new(D0));
    let stop = AtomicBool::new(false);
    let intake_count = AtomicUsize::new(0);
    let written = std::thread::scope(|s| {
        let intake = s.spawn(|| {
            let mut ids = IdGen::new(INTAKE);
            let mut written = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                written.push(write_set(&store, &mut ids, clock.now_ms(), "intake.test"));
                intake_count.fetch_add(1, Ordering::SeqCst);
            }
            written
        });
        // Each step lets intake write a few more batches first, so the purge and the
        // checks run between intake writes, not before them.
        let step = |to: u64| {
            let seen = intake_count.load(Ordering::SeqCst);
            while intake_count.load(Ordering::SeqCst) < seen + 5 {
                std::thread::yield_now();
            }
            clock.set(to);
            run_retention(&store, clock.as_ref(), &policy).unwrap()
        };
        let slot = D0 + 3 * HOUR;
        // Before the purge hour: nothing is due, nothing goes.
        for t in [D0, D0 + HOUR, D0 + 2 * HOUR, slot - 1] {
            assert_eq!(step(t), RetentionOutcome::Waited { next_ms: slot });
        }
        assert_eq!(census(&store, D0), expected(0..=44));
        let cutoff = D0 - 40 * DAY;
        assert!(index_entries_before(&store, cutoff) > 0);
        // At 03:00: day 41 and older go, day 40 (from its first millisecond) stays.
        assert_eq!(
            step(slot),
            RetentionOutcome::Purged {
                slot_ms: slot,
                cutoff_ms: cutoff,
                jobs: 0,
                idempotency_keys: 0,
            }
        );
        assert_eq!(census(&store, D0), expected(0..=40));
        assert_eq!(index_entries_before(&store, cutoff), 0);
        // Checks later the same day purge nothing more.
        for t in [slot + 10 * 60_000, D0 + 12 * HOUR, D0 + DAY - 1] {
            assert_eq!(
                step(t),
                RetentionOutcome::Waited {
                    next_ms: slot + DAY
                }
            );
        }
        assert_eq!(census(&store, D0), expected(0..=40));
        // The next day's purge takes the next day off the end.
        assert!(matches!(
            step(slot + DAY),
            RetentionOutcome::Purged { cutoff_ms, .. } if cutoff_ms == cutoff + DAY
        ));
        assert_eq!(census(&store, D0 + DAY), expected(1..=40));
        stop.store(true, Ordering::SeqCst);
        intake.join().unwrap()
    });
    assert!(written.len() >= 5 * 10, "intake wrote {}", written.len());
    assert!(written.iter().all(|id| shard_of(id.0) == INTAKE));
    assert_intake_kept(&store, &written);

    // A restart reads the mark back: no second purge that day.
    drop(store);
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    clock.set(D0 + DAY + 4 * HOUR);
    assert_eq!(
        run_retention(&store, clock.as_ref(), &policy).unwrap(),
        RetentionOutcome::Waited {
            next_ms: D0 + 2 * DAY + 3 * HOUR
        }
    );
    assert_eq!(census(&store, D0 + DAY), expected(1..=40));
    assert_intake_kept(&store, &written);
}
