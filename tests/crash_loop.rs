//! End-to-end: the crash and SIGTERM guarantees as a bounded loop (issue 17 §2). The daemon
//! delivers to a local sink while SMTP clients, JSON-RPC `send.single` callers and a DSN
//! injector (receiving listener) keep it busy; each cycle ends it with `kill -9` (even
//! cycles) or SIGTERM (odd ones) and starts it again on the same data. At the end every
//! acknowledged message must have reached the sink, every accepted DSN must be in the error
//! log, and every acknowledged recipient must have its `queued` and `succeeded` webhook
//! events: lost must be 0; duplicates (at-least-once delivery after a kill) are counted.
//!
//! `HIKYAKU_CRASH_CYCLES` sets the number of cycles (3 by default, so `make test` stays quick;
//! 20 or more by hand, see bench/RESULTS.md).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod webhooks_common;

use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use hikyaku_e2e::{message_sink, Captures, Daemon, Raw, ADMIN_PASSWORD, API_KEY};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::bounces::BounceQuery;
use hikyaku_rpc::types::send::SendSingle;
use webhooks_common::{arrivals, create, Receiver};

/// What the clients got a positive answer for.
#[derive(Default)]
struct Acked {
    /// (Message-ID without brackets, recipient) of messages acknowledged over SMTP.
    smtp: Vec<(String, String)>,
    /// (Message-ID, recipient) of messages acknowledged by `send.single`.
    rpc: Vec<(String, String)>,
    /// Final-Recipient of each DSN the receiving listener accepted.
    dsns: Vec<String>,
}

type Shared = Arc<Mutex<Acked>>;

/// SMTP client `t` of `cycle`: one message per transaction until stopped or refused.
fn smtp_client(relay: SocketAddr, cycle: usize, t: usize, stop: Arc<AtomicBool>, acked: Shared) {
    let Some(mut c) = connect(relay) else { return };
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let id = format!("c{cycle}-s{t}-{i}@e2e.test");
        let rcpt = format!("c{cycle}-s{t}-{i}@d{}.example", i % 5);
        let cmds = format!("MAIL FROM:<app@e2e.test>\r\nRCPT TO:<{rcpt}>\r\nDATA\r\n");
        if !c.try_send(cmds.as_bytes()) {
            return;
        }
        let (Some(a), Some(b), Some(d)) = (c.try_reply(), c.try_reply(), c.try_reply()) else {
            return;
        };
        if !(a.starts_with("250") && b.starts_with("250") && d.starts_with("354")) {
            return;
        }
        let data = format!("Message-ID: <{id}>\r\nSubject: crash loop\r\n\r\nx\r\n.\r\n");
        if !c.try_send(data.as_bytes()) {
            return;
        }
        match c.try_reply() {
            Some(r) if r.starts_with("250") => acked.lock().unwrap().smtp.push((id, rcpt)),
            _ => return,
        }
    }
}

/// A connection that got its greeting and EHLO answered, or `None` (daemon down, draining).
fn connect(addr: SocketAddr) -> Option<Raw> {
    let s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(20))).ok()?;
    let mut c = Raw {
        writer: s.try_clone().ok()?,
        reader: std::io::BufReader::new(s),
    };
    if !c.try_reply()?.starts_with("220") || !c.try_send(b"EHLO load.e2e.test\r\n") {
        return None;
    }
    c.try_reply()?.starts_with("250").then_some(c)
}

/// `send.single` calls, one recipient each, until stopped.
fn rpc_client(url: String, cycle: usize, stop: Arc<AtomicBool>, acked: Shared) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let Ok(client) =
            hikyaku_rpc::client::Client::new(&url, Some(API_KEY), Duration::from_secs(20))
        else {
            return;
        };
        for i in 0.. {
            if stop.load(Ordering::SeqCst) {
                return;
            }
            let rcpt = format!("c{cycle}-r{i}@api.example");
            let params = SendSingle {
                from: "app@e2e.test".into(),
                to: vec![rcpt.clone()],
                subject: "crash loop".into(),
                text: Some("x".into()),
                ..SendSingle::default()
            };
            match client.call(m::SEND_SINGLE, &params).await {
                Ok(r) => acked.lock().unwrap().rpc.push((r.header_message_id, rcpt)),
                Err(_) => return,
            }
        }
    });
}

/// A DSN for `recipient` (unmatched: no delivery of ours), as a remote MTA sends it.
fn dsn(recipient: &str) -> String {
    format!(
        "From: MAILER-DAEMON@mx.remote.test\r\nTo: <b@bounce.e2e.test>\r\n\
         Subject: Undelivered Mail\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n\
         --B\r\nContent-Type: text/plain\r\n\r\nNot delivered.\r\n\
         --B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.remote.test\r\n\r\n\
         Final-Recipient: rfc822; {recipient}\r\nAction: failed\r\nStatus: 5.1.1\r\n\
         Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n\r\n--B--\r\n"
    )
}

/// Injects DSNs into the receiving listener until stopped.
fn dsn_client(receive: SocketAddr, cycle: usize, stop: Arc<AtomicBool>, acked: Shared) {
    let Some(mut c) = connect(receive) else {
        return;
    };
    for i in 0.. {
        if stop.load(Ordering::SeqCst) {
            return;
        }
        let gone = format!("gone-c{cycle}-{i}@example.net");
        if !c.try_send(b"MAIL FROM:<>\r\nRCPT TO:<b@bounce.e2e.test>\r\nDATA\r\n") {
            return;
        }
        let (Some(a), Some(b), Some(d)) = (c.try_reply(), c.try_reply(), c.try_reply()) else {
            return;
        };
        if !(a.starts_with("250") && b.starts_with("250") && d.starts_with("354")) {
            return;
        }
        if !c.try_send(format!("{}.\r\n", dsn(&gone)).as_bytes()) {
            return;
        }
        match c.try_reply() {
            Some(r) if r.starts_with("250") => acked.lock().unwrap().dsns.push(gone),
            _ => return,
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Starts the load of one cycle.
fn load(d: &Daemon, cycle: usize, stop: &Arc<AtomicBool>, acked: &Shared) -> Vec<JoinHandle<()>> {
    let mut threads = Vec::new();
    for t in 0..3 {
        let (stop, acked, relay) = (stop.clone(), acked.clone(), d.relay);
        threads.push(std::thread::spawn(move || {
            smtp_client(relay, cycle, t, stop, acked)
        }));
    }
    let (s, a, url) = (stop.clone(), acked.clone(), d.rpc_url());
    threads.push(std::thread::spawn(move || rpc_client(url, cycle, s, a)));
    let (s, a, receive) = (stop.clone(), acked.clone(), d.receive);
    threads.push(std::thread::spawn(move || dsn_client(receive, cycle, s, a)));
    threads
}

/// Message-ID header of a captured message.
fn message_id(data: &str) -> Option<String> {
    data.lines()
        .take_while(|l| !l.is_empty())
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .map(|l| l[11..].trim().trim_matches(['<', '>']).to_string())
}

/// How many times each Message-ID reached the sink.
fn deliveries(captures: &Captures) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    for c in captures.lock().unwrap().iter() {
        if let Some(id) = message_id(&c.data) {
            *n.entry(id).or_insert(0) += 1;
        }
    }
    n
}

/// Error-log records per recipient (all pages).
fn bounce_records(d: &Daemon, token: &str) -> HashMap<String, usize> {
    let mut n = HashMap::new();
    let mut cursor = None;
    loop {
        let page = d
            .call(
                Some(token),
                m::BOUNCES_SEARCH,
                &BounceQuery {
                    cursor: cursor.take(),
                    limit: Some(1000),
                    ..Default::default()
                },
            )
            .unwrap();
        for r in page.records {
            *n.entry(r.recipient.to_ascii_lowercase()).or_insert(0) += 1;
        }
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => return n,
        }
    }
}

/// (recipient, type) → distinct event ids received.
fn webhook_events(r: &Receiver) -> HashMap<(String, String), HashSet<String>> {
    let mut by: HashMap<(String, String), HashSet<String>> = HashMap::new();
    for (_, events) in r.posts() {
        for e in events {
            let key = (
                e["recipient"].as_str().unwrap_or_default().to_string(),
                e["type"].as_str().unwrap_or_default().to_string(),
            );
            by.entry(key)
                .or_default()
                .insert(e["id"].as_str().unwrap_or_default().to_string());
        }
    }
    by
}

#[test]
fn kill_9_and_sigterm_cycles_lose_nothing_acknowledged() {
    let cycles: usize = std::env::var("HIKYAKU_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let (sink, captures) = message_sink();
    let mut d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n\
         [bounce]\nreturn_path_domain = \"bounce.e2e.test\"\n"
    ));
    let token = d.login("admin", ADMIN_PASSWORD);
    let receiver = Receiver::start();
    create(&d, &token, &receiver, &["queued", "succeeded"]);
    let acked: Shared = Default::default();
    let (mut kills, mut terms) = (0, 0);
    for cycle in 0..cycles {
        let stop = Arc::new(AtomicBool::new(false));
        let threads = load(&d, cycle, &stop, &acked);
        std::thread::sleep(Duration::from_millis(800 + 300 * (cycle as u64 % 4)));
        if cycle % 2 == 0 {
            d.signal(libc::SIGKILL);
            d.wait(Duration::from_secs(20));
            kills += 1;
        } else {
            d.signal(libc::SIGTERM);
            let status = d.wait(Duration::from_secs(40));
            assert!(status.success(), "cycle {cycle}: SIGTERM exit {status}");
            terms += 1;
        }
        stop.store(true, Ordering::SeqCst);
        for t in threads {
            t.join().unwrap();
        }
        d.spawn();
    }

    let acked = std::mem::take(&mut *acked.lock().unwrap());
    let messages: Vec<&(String, String)> = acked.smtp.iter().chain(&acked.rpc).collect();
    assert!(
        acked.smtp.len() >= 10 * cycles && !acked.rpc.is_empty() && !acked.dsns.is_empty(),
        "too little load: {} SMTP, {} RPC, {} DSNs",
        acked.smtp.len(),
        acked.rpc.len(),
        acked.dsns.len()
    );
    // Let the restarted daemon finish: deliveries, error-log records, webhook events.
    let deadline = Instant::now() + Duration::from_secs(240);
    let (delivered, bounces, events) = loop {
        let delivered = deliveries(&captures);
        let bounces = bounce_records(&d, &token);
        let events = webhook_events(&receiver);
        let done = messages.iter().all(|(id, _)| delivered.contains_key(id))
            && acked.dsns.iter().all(|g| bounces.contains_key(g))
            && messages.iter().all(|(_, r)| {
                ["queued", "succeeded"]
                    .iter()
                    .all(|k| events.contains_key(&(r.clone(), k.to_string())))
            });
        if done || Instant::now() > deadline {
            break (delivered, bounces, events);
        }
        std::thread::sleep(Duration::from_millis(500));
    };

    let lost: Vec<&String> = messages
        .iter()
        .filter(|(id, _)| !delivered.contains_key(id))
        .map(|(id, _)| id)
        .collect();
    let duplicated = messages
        .iter()
        .filter(|(id, _)| delivered.get(id).is_some_and(|n| *n > 1))
        .count();
    let lost_dsns: Vec<&String> = acked
        .dsns
        .iter()
        .filter(|g| !bounces.contains_key(*g))
        .collect();
    let duplicated_dsns = acked
        .dsns
        .iter()
        .filter(|g| bounces.get(*g).is_some_and(|n| *n > 1))
        .count();
    let mut lost_events = Vec::new();
    let mut duplicated_events = 0;
    for (_, r) in &messages {
        for kind in ["queued", "succeeded"] {
            match events.get(&(r.clone(), kind.to_string())) {
                None => lost_events.push(format!("{r} {kind}")),
                Some(ids) if ids.len() > 1 => duplicated_events += 1,
                Some(_) => {}
            }
        }
    }
    let reposted = arrivals(&receiver).values().filter(|n| **n > 1).count();
    eprintln!(
        "crash loop: {cycles} cycles ({kills} kill -9, {terms} SIGTERM); messages acknowledged \
         {} (SMTP {}, RPC {}), delivered {}, lost {}, duplicated {duplicated}; DSNs accepted {}, \
         recorded {}, lost {}, duplicated {duplicated_dsns}; webhook events expected {}, lost {}, \
         duplicated {duplicated_events}, POSTed more than once {reposted}",
        messages.len(),
        acked.smtp.len(),
        acked.rpc.len(),
        messages.len() - lost.len(),
        lost.len(),
        acked.dsns.len(),
        acked.dsns.len() - lost_dsns.len(),
        lost_dsns.len(),
        messages.len() * 2,
        lost_events.len(),
    );
    assert!(
        lost.is_empty(),
        "lost messages: {:?}",
        &lost[..lost.len().min(10)]
    );
    assert!(lost_dsns.is_empty(), "lost DSNs: {lost_dsns:?}");
    assert!(
        lost_events.is_empty(),
        "lost webhook events: {:?}",
        &lost_events[..lost_events.len().min(10)]
    );
    assert!(d.stop().success());
}
