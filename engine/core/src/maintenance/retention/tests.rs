use super::*;

/// Milliseconds of an RFC 3339 instant.
fn ms(text: &str) -> u64 {
    to_ms(text.parse::<Timestamp>().unwrap())
}

fn policy(days: u64, hour: u8, zone: &str) -> RetentionPolicy {
    RetentionPolicy::new(days, hour, zone).unwrap()
}

fn purge(slot: &str, cutoff: &str) -> Decision {
    Decision::Purge {
        slot_ms: ms(slot),
        cutoff_ms: ms(cutoff),
    }
}

fn wait(next: &str) -> Decision {
    Decision::Wait { next_ms: ms(next) }
}

#[test]
fn waits_for_the_hour_then_keeps_the_purge_day_and_n_days_before_it() {
    let p = policy(40, 3, "UTC");
    let yesterday = Some(ms("2026-03-10T03:00:05Z"));
    assert_eq!(
        p.decide(yesterday, ms("2026-03-11T02:59:59.999Z")),
        wait("2026-03-11T03:00:00Z")
    );
    // 11 March is day 0, 30 January day 40 (kept), 29 January day 41 (deleted).
    assert_eq!(
        p.decide(yesterday, ms("2026-03-11T03:00:00Z")),
        purge("2026-03-11T03:00:00Z", "2026-01-30T00:00:00Z")
    );
    // Checks later the same day find the purge done.
    let done = Some(ms("2026-03-11T03:00:00.400Z"));
    for now in ["2026-03-11T03:10:00Z", "2026-03-11T23:59:59.999Z"] {
        assert_eq!(p.decide(done, ms(now)), wait("2026-03-12T03:00:00Z"));
    }
    assert_eq!(
        p.decide(done, ms("2026-03-12T03:00:00Z")),
        purge("2026-03-12T03:00:00Z", "2026-01-31T00:00:00Z")
    );
}

#[test]
fn fixed_offsets_move_the_hour_and_the_day_boundaries() {
    let tokyo = policy(40, 3, "+09:00");
    let last = Some(ms("2026-03-09T18:00:01Z")); // 10 March, 03:00:01 +09:00
    assert_eq!(
        tokyo.decide(last, ms("2026-03-10T17:59:59Z")),
        wait("2026-03-10T18:00:00Z")
    );
    assert_eq!(
        tokyo.decide(last, ms("2026-03-10T18:00:00Z")),
        purge("2026-03-10T18:00:00Z", "2026-01-29T15:00:00Z")
    );
    let india_west = policy(40, 0, "-05:30");
    assert_eq!(
        india_west.decide(None, ms("2026-03-11T05:30:00Z")),
        purge("2026-03-11T05:30:00Z", "2026-01-30T05:30:00Z")
    );
    // An hour before that it is still 10 March there: the slot served is the 10th's.
    assert_eq!(
        india_west.decide(None, ms("2026-03-11T04:30:00Z")),
        purge("2026-03-10T05:30:00Z", "2026-01-29T05:30:00Z")
    );
}

#[test]
fn daylight_saving_changes_keep_one_purge_a_day_at_local_time() {
    let berlin = policy(40, 2, "Europe/Berlin");
    // 29 March 2026: 02:00 CET does not exist (clocks jump to 03:00 CEST = 01:00 UTC); the
    // purge runs at the first instant after the gap. The cutoff, 17 February, is in CET.
    let last = Some(ms("2026-03-28T01:00:01Z"));
    assert_eq!(
        berlin.decide(last, ms("2026-03-29T00:59:59Z")),
        wait("2026-03-29T01:00:00Z")
    );
    assert_eq!(
        berlin.decide(last, ms("2026-03-29T01:00:00Z")),
        purge("2026-03-29T01:00:00Z", "2026-02-16T23:00:00Z")
    );
    // 25 October 2026: 02:00 happens twice (CEST, then CET); the first one is the slot, and
    // the second finds the purge done.
    let last = Some(ms("2026-10-24T00:00:01Z"));
    assert_eq!(
        berlin.decide(last, ms("2026-10-25T00:00:00Z")),
        purge("2026-10-25T00:00:00Z", "2026-09-14T22:00:00Z")
    );
    let done = Some(ms("2026-10-25T00:00:01Z"));
    assert_eq!(
        berlin.decide(done, ms("2026-10-25T01:00:00Z")),
        wait("2026-10-26T01:00:00Z")
    );
    // A purge in summer time cutting in winter time: 5 April (CEST) keeps from 24 February
    // 00:00 CET.
    let berlin3 = policy(40, 3, "Europe/Berlin");
    assert_eq!(
        berlin3.decide(None, ms("2026-04-05T01:00:00Z")),
        purge("2026-04-05T01:00:00Z", "2026-02-23T23:00:00Z")
    );
}

#[test]
fn a_day_without_midnight_starts_when_its_first_instant_does() {
    // São Paulo, 4 November 2018: clocks went from 00:00 (-03) straight to 01:00 (-02).
    let p = policy(1, 0, "America/Sao_Paulo");
    assert_eq!(
        p.decide(None, ms("2018-11-05T12:00:00Z")),
        purge("2018-11-05T02:00:00Z", "2018-11-04T03:00:00Z")
    );
    assert_eq!(
        p.decide(Some(ms("2018-11-03T03:00:01Z")), ms("2018-11-04T03:00:00Z")),
        purge("2018-11-04T03:00:00Z", "2018-11-03T03:00:00Z")
    );
}

#[test]
fn downtime_is_caught_up_once_and_restarts_do_not_purge_twice() {
    let p = policy(40, 3, "UTC");
    // Down from 6 March to 01:00 on 11 March: the missed slot of the 10th is served at the
    // first check, with the 10th's cutoff.
    let before = Some(ms("2026-03-06T03:00:01Z"));
    assert_eq!(
        p.decide(before, ms("2026-03-11T01:00:00Z")),
        purge("2026-03-10T03:00:00Z", "2026-01-29T00:00:00Z")
    );
    let caught_up = Some(ms("2026-03-11T01:00:00Z"));
    assert_eq!(
        p.decide(caught_up, ms("2026-03-11T02:00:00Z")),
        wait("2026-03-11T03:00:00Z")
    );
    assert_eq!(
        p.decide(caught_up, ms("2026-03-11T03:00:00Z")),
        purge("2026-03-11T03:00:00Z", "2026-01-30T00:00:00Z")
    );
    // Down over the purge hour only: purged at the first check after it.
    assert_eq!(
        p.decide(Some(ms("2026-03-10T03:00:01Z")), ms("2026-03-11T05:00:00Z")),
        purge("2026-03-11T03:00:00Z", "2026-01-30T00:00:00Z")
    );
    // Restarted right after the purge: the mark read back says it is done.
    assert_eq!(
        p.decide(Some(ms("2026-03-11T03:00:02Z")), ms("2026-03-11T03:20:00Z")),
        wait("2026-03-12T03:00:00Z")
    );
    // Never purged (new spool, or one from before the daily purge): purge at the first check.
    assert_eq!(
        p.decide(None, ms("2026-03-11T02:00:00Z")),
        purge("2026-03-10T03:00:00Z", "2026-01-29T00:00:00Z")
    );
}

#[test]
fn a_clock_set_back_does_not_purge_again_the_same_day() {
    let p = policy(40, 3, "UTC");
    let done = Some(ms("2026-03-11T03:00:05Z"));
    assert_eq!(
        p.decide(done, ms("2026-03-11T02:30:00Z")),
        wait("2026-03-11T03:00:00Z")
    );
    assert_eq!(
        p.decide(done, ms("2026-03-11T03:00:00Z")),
        wait("2026-03-12T03:00:00Z")
    );
}

#[test]
fn settings_are_validated_with_the_key_named() {
    assert_eq!(
        RetentionPolicy::new(0, 3, "UTC").unwrap_err(),
        RetentionError::Days
    );
    let hour = RetentionPolicy::new(40, 24, "UTC").unwrap_err();
    assert_eq!(hour, RetentionError::Hour(24));
    assert_eq!(
        hour.to_string(),
        "delivery.retention_hour: must be 0 to 23, got 24"
    );
    for zone in ["Mars/Olympus_Mons", "+19:00", "+09:60", "+x", ""] {
        let e = RetentionPolicy::new(40, 3, zone).unwrap_err();
        assert!(matches!(e, RetentionError::Zone(_)), "{zone}");
        assert!(
            e.to_string().starts_with("delivery.retention_time_zone: "),
            "{e}"
        );
    }
    for (hour, zone) in [(0, "UTC"), (23, "Asia/Tokyo"), (3, " +09:00 "), (3, "-3")] {
        assert!(
            RetentionPolicy::new(40, hour, zone).is_ok(),
            "{hour} {zone}"
        );
    }
}

#[test]
fn unrepresentable_times_delete_nothing_and_wait() {
    // A retention longer than the calendar: nothing is older than the cutoff.
    let p = policy(u64::MAX, 3, "UTC");
    assert_eq!(
        p.decide(None, ms("2026-03-11T03:00:00Z")),
        Decision::Purge {
            slot_ms: ms("2026-03-11T03:00:00Z"),
            cutoff_ms: 0
        }
    );
    // A clock beyond year 9999 never purges.
    assert_eq!(
        policy(40, 3, "UTC").decide(None, u64::MAX),
        Decision::Wait { next_ms: u64::MAX }
    );
}
