//! Event webhooks end to end, the event types `webhooks.rs` does not cause: `deferred` then
//! `succeeded` after a real retry, `unsubscribed` through the one-click HTTPS endpoint,
//! `bounced` from a DSN matched by VERP, `complained` from an ARF report on the receiving
//! listener; and the dead letters, listed by RPC and the CLI, then replayed. Every POST is
//! verified with `standardwebhooks` (see `webhooks_common`) and every event must arrive
//! exactly once.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod webhooks_common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};

use hikyaku_e2e::{binary, message_sink, python, wait_for, Captures, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::webhooks::{WebhookDeadLetters, WebhookDeadLettersQuery, WebhookId};
use webhooks_common::{arrivals, create, kinds_by_recipient, Receiver};

/// An SMTP sink that answers `451` to the first RCPT TO of each recipient and `250` to every
/// later one; returns its address and the RCPT attempts per recipient.
fn flaky_sink() -> (SocketAddr, Arc<Mutex<HashMap<String, u32>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let attempts: Arc<Mutex<HashMap<String, u32>>> = Default::default();
    let seen = attempts.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || {
                let mut w = stream.try_clone().unwrap();
                let mut r = BufReader::new(stream);
                let _ = w.write_all(b"220 flaky.test ESMTP\r\n");
                let (mut in_data, mut line) = (false, String::new());
                while r.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end().to_string();
                    line.clear();
                    if in_data {
                        if l == "." {
                            in_data = false;
                            let _ = w.write_all(b"250 2.0.0 kept\r\n");
                        }
                        continue;
                    }
                    let upper = l.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") {
                        b"250-flaky.test\r\n250 PIPELINING\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        let rcpt = l[8..].trim().trim_matches(['<', '>']).to_lowercase();
                        let mut seen = seen.lock().unwrap();
                        let n = seen.entry(rcpt).or_default();
                        *n += 1;
                        if *n == 1 {
                            b"451 4.3.0 try again later\r\n"
                        } else {
                            b"250 2.1.5 ok\r\n"
                        }
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = w.write_all(b"221 bye\r\n");
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    if w.write_all(reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, attempts)
}

fn send(d: &Daemon, from: &str, rcpt: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd(&format!("MAIL FROM:<{from}>")).starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{rcpt}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!("Subject: {subject}\r\n\r\nhello\r\n."));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// Sends `body` to the receiving listener with the null sender; returns the final reply.
fn inject(addr: SocketAddr, rcpt: &str, body: &str) -> String {
    let mut c = Raw::hello(addr);
    assert!(c.cmd("MAIL FROM:<>").starts_with("250"));
    let r = c.cmd(&format!("RCPT TO:<{rcpt}>"));
    assert!(r.starts_with("250"), "{r}");
    assert!(c.cmd("DATA").starts_with("354"));
    c.send(body.as_bytes());
    c.send(b".\r\n");
    c.reply()
}

/// Every verified POST, and every event id exactly once.
fn assert_each_once(r: &Receiver) {
    let posts = r.posts();
    assert!(
        posts.iter().all(|(ok, _)| *ok),
        "a POST failed verification"
    );
    let twice: Vec<_> = arrivals(r).into_iter().filter(|(_, n)| *n != 1).collect();
    assert!(
        twice.is_empty(),
        "events delivered more than once: {twice:?}"
    );
}

#[test]
fn deferred_then_succeeded_after_a_real_retry() {
    let (sink, attempts) = flaky_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\nretry_first_secs = 1\nretry_max_secs = 1\n"
    ));
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    create(&d, &token, &r, &["queued", "deferred", "succeeded"]);
    send(&d, "app@example.com", "later@flaky.test", "retry me");
    let kinds = wait_for("queued, deferred and succeeded", || {
        let by = kinds_by_recipient(&r.events());
        by.get("later@flaky.test")
            .filter(|k| k.last().is_some_and(|t| t == "succeeded"))
            .cloned()
    });
    assert_eq!(kinds, ["queued", "deferred", "succeeded"]);
    assert_eq!(attempts.lock().unwrap()["later@flaky.test"], 2);
    let events = r.events();
    let deferred = events.iter().find(|e| e["type"] == "deferred").unwrap();
    assert!(
        deferred["reply"].as_str().unwrap().starts_with("451"),
        "{deferred}"
    );
    let succeeded = events.iter().find(|e| e["type"] == "succeeded").unwrap();
    assert_eq!(deferred["delivery_id"], succeeded["delivery_id"]);
    assert_eq!(succeeded["status"], "succeeded");
    assert_each_once(&r);
}

/// The unfolded value of header `name` of the message delivered to `rcpt`, and its MAIL FROM.
fn delivered(seen: &Captures, rcpt: &str, name: &str) -> Option<(String, Option<String>)> {
    let all = seen.lock().unwrap();
    let msg = all.iter().find(|c| c.rcpts == [rcpt])?;
    let head = msg.data.split("\r\n\r\n").next()?;
    let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
    let value = unfolded
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")).map(str::to_string));
    Some((msg.from.clone(), value))
}

fn dsn(recipient: &str) -> String {
    format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.remote.test>\r\n\
To: <bounces@bounce.e2e.test>\r\n\
Subject: Undelivered Mail Returned to Sender\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\
\r\n\
--B\r\n\
Content-Type: text/plain\r\n\
\r\n\
Your message could not be delivered.\r\n\
--B\r\n\
Content-Type: message/delivery-status\r\n\
\r\n\
Reporting-MTA: dns; mx.remote.test\r\n\
\r\n\
Final-Recipient: rfc822; {recipient}\r\n\
Action: failed\r\n\
Status: 5.1.1\r\n\
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: User unknown\r\n\
\r\n\
--B--\r\n"
    )
}

fn arf(verp: &str, recipient: &str) -> String {
    format!(
        "From: FBL <fbl@isp.test>\r\n\
To: <abuse@bounce.e2e.test>\r\n\
Subject: Abuse report\r\n\
Message-ID: <arf-1@isp.test>\r\n\
MIME-Version: 1.0\r\n\
Content-Type: multipart/report; report-type=feedback-report; boundary=\"F\"\r\n\
\r\n\
--F\r\n\
Content-Type: text/plain\r\n\
\r\n\
This is an email abuse report.\r\n\
--F\r\n\
Content-Type: message/feedback-report\r\n\
\r\n\
Feedback-Type: abuse\r\n\
User-Agent: isp-fbl/1.0\r\n\
Version: 1\r\n\
Original-Mail-From: <{verp}>\r\n\
Original-Rcpt-To: <{recipient}>\r\n\
\r\n\
--F\r\n\
Content-Type: text/rfc822-headers\r\n\
\r\n\
From: news@shop.test\r\n\
To: {recipient}\r\n\
Subject: news 1\r\n\
--F--\r\n"
    )
}

#[test]
fn unsubscribed_bounced_and_complained_arrive_once() {
    let (sink, seen) = message_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n\
[bounce]\nreturn_path_domain = \"bounce.e2e.test\"\n\
[[policy.rules]]\nheader = \"Subject\"\nmatch = \"news .*\"\nunsubscribe = true\n"
    ));
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    create(&d, &token, &r, &["bounced", "unsubscribed", "complained"]);
    send(&d, "news@shop.test", "reader@dest.test", "news 1");
    send(&d, "news@shop.test", "gone@dest.test", "receipt 1");
    let (_, header) = wait_for("the news delivery", || {
        delivered(&seen, "reader@dest.test", "List-Unsubscribe")
    });
    let (verp, _) = wait_for("the receipt delivery", || {
        delivered(&seen, "gone@dest.test", "Subject")
    });
    assert!(verp.ends_with("@bounce.e2e.test"), "{verp}");

    // One-click unsubscribe, as a mailbox provider does it: POST the header's HTTPS URL.
    let header = header.expect("List-Unsubscribe on the news");
    let url = header
        .split(',')
        .map(|p| p.trim().trim_start_matches('<').trim_end_matches('>'))
        .find(|p| p.starts_with("https://"))
        .unwrap()
        .to_string();
    let status = python(
        r#"
import ssl, sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=b"List-Unsubscribe=One-Click", method="POST",
    headers={"Content-Type": "application/x-www-form-urlencoded"})
print(urllib.request.urlopen(req, context=ssl._create_unverified_context(), timeout=10).status)
"#,
        &[&url],
    );
    assert_eq!(status.trim(), "200");

    // A DSN for the delivered receipt, to its VERP return path.
    let reply = inject(d.receive, &verp, &dsn("gone@dest.test"));
    assert!(reply.starts_with("250"), "{reply}");
    // An ARF feedback report about the news, to the bounce domain.
    let reply = inject(
        d.receive,
        "abuse@bounce.e2e.test",
        &arf("b-x@bounce.e2e.test", "reader@dest.test"),
    );
    assert!(reply.starts_with("250"), "{reply}");

    let events = wait_for("unsubscribed, bounced and complained", || {
        let events = r.events();
        let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
        (kinds.len() >= 3).then_some(events)
    });
    let mut kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, ["bounced", "complained", "unsubscribed"]);
    let of = |t: &str| events.iter().find(|e| e["type"] == t).unwrap();

    let u = of("unsubscribed");
    assert_eq!(u["recipient"], "reader@dest.test");
    assert_eq!(u["domain"], "dest.test");
    assert_eq!(u["data"]["channel"], "https");
    assert!(u["delivery_id"].is_string());

    let b = of("bounced");
    assert_eq!(b["recipient"], "gone@dest.test");
    assert_eq!(b["error_status"], 2);
    assert_eq!(b["status"], "failed");
    assert_eq!(b["remote_host"], "mx.remote.test");
    assert!(
        verp.contains(b["delivery_id"].as_str().unwrap()),
        "{verp} {b}"
    );
    assert!(b["reply"].as_str().unwrap().contains("User unknown"), "{b}");

    let c = of("complained");
    assert_eq!(c["subject"], "Abuse report");
    assert_eq!(c["data"]["message_id"], "arf-1@isp.test");
    assert_eq!(c["data"]["recipients"][0], "abuse@bounce.e2e.test");
    assert_eq!(c["remote_ip"], "127.0.0.1");

    // Nothing more comes (e.g. a second event for the same record), and nothing twice.
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(r.events().len(), 3);
    assert_each_once(&r);
}

fn dead_page(d: &Daemon, token: &str, id: &str, cursor: Option<String>) -> WebhookDeadLetters {
    d.call(
        Some(token),
        m::WEBHOOKS_DEAD_LETTERS,
        &WebhookDeadLettersQuery {
            id: id.into(),
            limit: Some(2),
            cursor,
        },
    )
    .unwrap()
}

#[test]
fn dead_letters_are_listed_then_replayed() {
    // `max_pending = 1`: with the receiver down, the first event stays pending (retried) and
    // every later one is dead-lettered at once.
    let d = Daemon::start("sandbox = true\n[webhooks]\nmax_pending = 1\nretry_max_ms = 1000\n");
    let token = d.login("admin", ADMIN_PASSWORD);
    let r = Receiver::start();
    r.fail_for(3600.0);
    let created = create(&d, &token, &r, &["queued", "succeeded"]);
    let id = WebhookId {
        id: created.id.clone(),
    };
    for i in 0..3 {
        send(&d, "app@example.com", &format!("ok{i}@a.test"), "hi");
    }
    wait_for("five dead letters", || {
        let s = d.call(Some(&token), m::WEBHOOKS_STATUS, &id).unwrap();
        (s.dead_letters == 5 && s.pending == 1 && s.last_error.is_some()).then_some(())
    });

    // Pages of two, oldest first, each letter with when and why.
    let mut letters = Vec::new();
    let mut cursor = None;
    loop {
        let page = dead_page(&d, &token, &created.id, cursor.take());
        assert!(page.dead_letters.len() <= 2);
        letters.extend(page.dead_letters);
        match page.next_cursor {
            Some(c) => cursor = Some(c),
            None => break,
        }
    }
    assert_eq!(letters.len(), 5);
    for l in &letters {
        assert_eq!(l.error.as_deref(), Some("outbox full (max_pending 1)"));
        assert!(l.dead_lettered.as_deref().unwrap().ends_with('Z'));
        assert!(l.event["id"].as_str().unwrap().starts_with("ev_"));
    }
    let times: Vec<u64> = letters
        .iter()
        .map(|l| l.event["time_ms"].as_u64().unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    let bad = d
        .call(
            Some(&token),
            m::WEBHOOKS_DEAD_LETTERS,
            &WebhookDeadLettersQuery {
                id: created.id.clone(),
                limit: None,
                cursor: Some("zz".into()),
            },
        )
        .unwrap_err();
    assert!(bad.to_string().contains("cursor"), "{bad}");

    // The CLI shows the same letters.
    let out = Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", d.data.parent().unwrap().join("cli.toml"))
        .env("HIKYAKU_KEY", &token)
        .args(["webhooks", "dead-letters", &created.id])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for l in &letters {
        assert!(text.contains(l.event["id"].as_str().unwrap()), "{text}");
    }
    assert_eq!(
        text.matches("outbox full (max_pending 1)").count(),
        5,
        "{text}"
    );

    // The receiver recovers; replay queues the letters again and every event arrives once.
    r.fail_for(0.0);
    let replayed: hikyaku_rpc::types::webhooks::WebhookReplayed =
        d.call(Some(&token), m::WEBHOOKS_REPLAY, &id).unwrap();
    assert_eq!(replayed.replayed, 5);
    let by = wait_for("all six events", || {
        let by = kinds_by_recipient(&r.events());
        (by.values().map(Vec::len).sum::<usize>() == 6).then_some(by)
    });
    for i in 0..3 {
        assert_eq!(by[&format!("ok{i}@a.test")], ["queued", "succeeded"]);
    }
    assert!(dead_page(&d, &token, &created.id, None)
        .dead_letters
        .is_empty());
    let s = d.call(Some(&token), m::WEBHOOKS_STATUS, &id).unwrap();
    assert_eq!((s.pending, s.dead_letters), (0, 0));
    assert_each_once(&r);
}
