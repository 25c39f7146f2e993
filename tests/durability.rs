//! End-to-end: SIGTERM drains sessions in flight; kill -9 loses nothing that got a 250.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hikyaku_e2e::{Daemon, Raw};

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
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let addr = d.relay;
    let senders: Vec<_> = (0..8)
        .map(|t| {
            let acked = acked.clone();
            let stop = stop.clone();
            std::thread::spawn(move || {
                let mut c = Raw::hello(addr);
                for i in 0..10_000 {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let cmds = format!(
                        "MAIL FROM:<s@e2e.test>\r\nRCPT TO:<r{t}-{i}@d{}.example>\r\nDATA\r\n",
                        i % 7
                    );
                    if !c.try_send(cmds.as_bytes()) {
                        return;
                    }
                    let (Some(a), Some(b), Some(e)) = (c.try_reply(), c.try_reply(), c.try_reply())
                    else {
                        return;
                    };
                    if !(a.starts_with("250") && b.starts_with("250") && e.starts_with("354")) {
                        return;
                    }
                    if !c.try_send(format!("Subject: k{t}-{i}\r\n\r\nx\r\n.\r\n").as_bytes()) {
                        return;
                    }
                    match c
                        .try_reply()
                        .as_deref()
                        .and_then(|r| r.strip_prefix("250 2.0.0 Ok: queued as "))
                    {
                        Some(id) => acked.lock().unwrap().push(id.to_string()),
                        None => return,
                    }
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_millis(1500));
    d.signal(libc::SIGKILL);
    d.wait(Duration::from_secs(10));
    stop.store(true, Ordering::SeqCst);
    for s in senders {
        let _ = s.join();
    }
    let acked = acked.lock().unwrap().clone();
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
