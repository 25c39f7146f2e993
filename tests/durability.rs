//! End-to-end: SIGTERM drains sessions in flight; kill -9 loses nothing that got a 250.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashSet;
use std::time::Duration;

use hikyaku_e2e::{Daemon, Flood, Raw};

#[test]
fn sigterm_finishes_the_transaction_in_flight_then_exits_zero() {
    let mut d = Daemon::start("");
    let mut busy = Raw::hello(d.relay);
    let mut idle = Raw::hello(d.relay);
    assert!(busy.cmd("MAIL FROM:<s@e2e.test>").starts_with("250"));
    assert!(busy.cmd("RCPT TO:<r@example.com>").starts_with("250"));
    assert!(busy.cmd("DATA").starts_with("354"));
    busy.send(b"Subject: in flight\r\n\r\nfirst half\r\n");
    d.signal(libc::SIGTERM);
    // The idle session is told at once.
    let r = idle.reply();
    assert!(r.starts_with("421 4.3.2"), "{r}");
    std::thread::sleep(Duration::from_millis(200));
    // New connections are refused while draining.
    assert!(
        std::net::TcpStream::connect(d.relay).is_err() || {
            let mut c = Raw::connect(d.relay);
            c.is_closed()
        }
    );
    busy.send(b"second half\r\n.\r\n");
    let r = busy.reply();
    assert!(r.starts_with("250 2.0.0"), "{r}");
    let r = busy.cmd("NOOP");
    assert!(r.starts_with("421 4.3.2"), "{r}");
    let status = d.wait(Duration::from_secs(20));
    assert!(status.success(), "exit status {status}");
    assert_eq!(d.queue().len(), 1);
}

/// Many clients send; the daemon is killed with SIGKILL mid-stream; after a restart every
/// message that got a 250 is in the queue.
#[test]
fn kill_9_loses_no_acknowledged_message() {
    let mut d = Daemon::start("");
    let flood = Flood::start(d.relay, 8);
    std::thread::sleep(Duration::from_millis(1500));
    d.signal(libc::SIGKILL);
    d.wait(Duration::from_secs(10));
    let acked: Vec<String> = flood.finish().into_iter().map(|(qid, _)| qid).collect();
    assert!(
        acked.len() > 50,
        "too few messages before the kill: {}",
        acked.len()
    );
    eprintln!("{} messages acknowledged before SIGKILL", acked.len());

    d.spawn();
    let queued: HashSet<String> = d
        .queue()
        .iter()
        .filter_map(|l| {
            l.split("\"message_id\":\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .map(str::to_string)
        })
        .collect();
    let missing: Vec<&String> = acked.iter().filter(|id| !queued.contains(*id)).collect();
    assert!(
        missing.is_empty(),
        "{} of {} acknowledged messages lost: {:?}",
        missing.len(),
        acked.len(),
        &missing[..missing.len().min(5)]
    );
    assert!(d.log().contains("queue reloaded"));
    assert!(d.stop().success());
}
