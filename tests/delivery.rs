//! End-to-end: delivery from the real daemon — sandbox outcomes, smart host and per-domain
//! transport to a local sink, MX routing through a local DNS server, failures and retries.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::SocketAddr;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hikyaku_e2e::{binary, free_port, Daemon, Flood, Raw, Sink};

fn send(d: &Daemon, rcpts: &[&str], message_id: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
    for r in rcpts {
        let reply = c.cmd(&format!("RCPT TO:<{r}>"));
        assert!(reply.starts_with("250"), "{r}: {reply}");
    }
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd(&format!(
        "Subject: delivery test\r\nMessage-ID: <{message_id}>\r\n\r\nhello\r\n."
    ));
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

/// Log records (JSON lines) once `done` holds for them, or panic after 30 s.
fn wait_log(d: &Daemon, what: &str, done: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let out = d.command(&["log", "search", "--json"], None);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let lines: Vec<String> = String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        if done(&lines) {
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; log:\n{}\ndaemon:\n{}",
            lines.join("\n"),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn has(lines: &[String], rcpt: &str, status: &str) -> bool {
    lines.iter().any(|l| {
        l.contains(&format!("\"recipient\":\"{rcpt}\""))
            && l.contains(&format!("\"status\":\"{status}\""))
    })
}

fn error_status(lines: &[String], rcpt: &str) -> Option<u64> {
    lines
        .iter()
        .rev()
        .find(|l| {
            l.contains(&format!("\"recipient\":\"{rcpt}\"")) && l.contains("\"status\":\"failed\"")
        })
        .and_then(|l| {
            l.split("\"error_status\":")
                .nth(1)?
                .split([',', '}'])
                .next()?
                .parse()
                .ok()
        })
}

#[test]
fn sandbox_simulates_every_outcome_without_network() {
    let d = Daemon::start("sandbox = true\n");
    let rcpts = [
        "ok@example.com",
        "user-unknown@example.com",
        "mailbox-full@example.net",
        "tempfail@example.org",
        "no-such-host@example.info",
    ];
    send(&d, &rcpts, "sandbox@e2e.test");
    let lines = wait_log(&d, "sandbox outcomes", |l| {
        has(l, "ok@example.com", "succeeded")
            && has(l, "user-unknown@example.com", "failed")
            && has(l, "mailbox-full@example.net", "failed")
            && has(l, "tempfail@example.org", "deferred")
            && has(l, "no-such-host@example.info", "failed")
    });
    assert_eq!(error_status(&lines, "user-unknown@example.com"), Some(2));
    assert_eq!(error_status(&lines, "mailbox-full@example.net"), Some(5));
    assert_eq!(error_status(&lines, "no-such-host@example.info"), Some(1));
    // Only the deferred recipient is still queued.
    let q = d.queue();
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(q[0].contains("tempfail@example.org") && q[0].contains("\"attempts\":1"));
}

#[test]
fn smart_host_delivers_every_message_once_to_the_sink() {
    let sink = Sink::start(&[]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\n",
        sink.addr
    ));
    for i in 0..20 {
        send(
            &d,
            &[&format!("r{i}@d{}.example", i % 3)],
            &format!("smart-{i}@e2e.test"),
        );
    }
    wait_log(&d, "20 successes", |l| {
        l.iter()
            .filter(|x| x.contains("\"status\":\"succeeded\""))
            .count()
            == 20
    });
    let mut got = sink.received();
    got.sort();
    let mut want: Vec<String> = (0..20).map(|i| format!("<smart-{i}@e2e.test>")).collect();
    want.sort();
    let got_ids: Vec<String> = got
        .iter()
        .map(|s| {
            if s.starts_with('<') {
                s.clone()
            } else {
                format!("<{s}>")
            }
        })
        .collect();
    assert_eq!(got_ids, want);
    assert!(d.queue().is_empty());
}

#[test]
fn transport_override_with_permanent_and_temporary_failures() {
    let sink = Sink::start(&["--reply-rcpt", "nobody=550 5.1.1 no such user"]);
    let closed = SocketAddr::from(([127, 0, 0, 1], free_port()));
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nretry_first_secs = 1\nretry_max_secs = 1\ngive_up_after_secs = 3\nconnect_timeout_secs = 2\n[delivery.domains.\"sink.test\"]\ntransport = \"{}\"\n[delivery.domains.\"down.test\"]\ntransport = \"{closed}\"\n",
        sink.addr
    ));
    send(
        &d,
        &["yes@sink.test", "nobody@sink.test", "x@down.test"],
        "transport@e2e.test",
    );
    let lines = wait_log(&d, "outcomes and expiry", |l| {
        has(l, "yes@sink.test", "succeeded")
            && has(l, "nobody@sink.test", "failed")
            && has(l, "x@down.test", "deferred")
            && has(l, "x@down.test", "failed")
    });
    assert_eq!(error_status(&lines, "nobody@sink.test"), Some(2));
    // Retried until the resend period ran out: error status 3.
    assert_eq!(error_status(&lines, "x@down.test"), Some(3));
    assert!(d.queue().is_empty());
}

#[test]
fn mx_routing_through_a_local_dns_server() {
    let sink = Sink::start(&[]);
    let mut dns = Command::new(binary("hikyaku-testdns"));
    let dns_port = free_port();
    let dir = tempfile::tempdir().unwrap();
    let zone = dir.path().join("zone.txt");
    std::fs::write(
        &zone,
        "mx.test MX 10 dead.mx.test\nmx.test MX 20 live.mx.test\ndead.mx.test A 127.0.0.2\nlive.mx.test A 127.0.0.1\nimplicit.test A 127.0.0.1\nnull.test MX 0 .\ngone.test NXDOMAIN\n",
    )
    .unwrap();
    let mut dns = dns
        .arg("--listen")
        .arg(format!("127.0.0.1:{dns_port}"))
        .arg("--zone")
        .arg(&zone)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\ndns_servers = [\"127.0.0.1:{dns_port}\"]\nmx_port = {}\nconnect_timeout_secs = 2\n",
        sink.addr.port()
    ));
    send(
        &d,
        &["a@mx.test", "b@implicit.test", "c@null.test", "d@gone.test"],
        "mx@e2e.test",
    );
    let lines = wait_log(&d, "MX outcomes", |l| {
        has(l, "a@mx.test", "succeeded")
            && has(l, "b@implicit.test", "succeeded")
            && has(l, "c@null.test", "failed")
            && has(l, "d@gone.test", "failed")
    });
    assert_eq!(error_status(&lines, "c@null.test"), Some(1));
    assert_eq!(error_status(&lines, "d@gone.test"), Some(1));
    assert!(lines
        .iter()
        .any(|l| l.contains("a@mx.test") && l.contains("live.mx.test")));
    let _ = dns.kill();
    let _ = dns.wait();
}

/// kill -9 while messages are being accepted and delivered: after a restart every message that
/// got a 250 reaches the sink (at least once); duplicates are counted and reported.
#[test]
fn kill_9_during_delivery_loses_nothing_acknowledged() {
    let sink = Sink::start(&[]);
    let mut d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\nretry_first_secs = 1\nretry_max_secs = 1\n",
        sink.addr
    ));
    let flood = Flood::start(d.relay, 4);
    std::thread::sleep(Duration::from_millis(1500));
    d.signal(libc::SIGKILL);
    d.wait(Duration::from_secs(10));
    let acked: Vec<String> = flood.finish().into_iter().map(|(_, mid)| mid).collect();
    assert!(
        acked.len() > 50,
        "too few messages before the kill: {}",
        acked.len()
    );
    d.spawn();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got: std::collections::HashSet<String> = sink.received().into_iter().collect();
        let missing = acked.iter().filter(|id| !got.contains(*id)).count();
        if missing == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{missing} of {} acknowledged messages never reached the sink",
            acked.len()
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let received = sink.received();
    let unique: std::collections::HashSet<&String> = received.iter().collect();
    eprintln!(
        "{} acknowledged, {} received, {} delivered twice (in flight at the kill)",
        acked.len(),
        received.len(),
        received.len() - unique.len()
    );
    assert!(d.stop().success());
}

fn stat(json: &str, key: &str) -> u64 {
    json.split(&format!("\"{key}\":"))
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{key} not in {json}"))
}

/// `max_connections` holds at the destination, and connections carry several messages.
#[test]
fn per_domain_connection_limit_and_reuse_are_observed_at_the_sink() {
    let mut sink = Sink::start(&["--delay-ms", "20"]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\n[delivery.domains.\"limited.test\"]\nmax_connections = 2\nmax_messages_per_connection = 5\n",
        sink.addr
    ));
    for i in 0..30 {
        send(
            &d,
            &[&format!("r{i}@limited.test")],
            &format!("lim-{i}@e2e.test"),
        );
    }
    wait_log(&d, "30 successes", |l| {
        l.iter()
            .filter(|x| x.contains("\"status\":\"succeeded\""))
            .count()
            == 30
    });
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 30, "{stats}");
    assert!(stat(&stats, "max_concurrent") <= 2, "{stats}");
    let connections = stat(&stats, "connections");
    assert!(
        (6..30).contains(&connections),
        "expected reuse (5 per connection): {stats}"
    );
}

/// Outbound STARTTLS: a second hikyakud (with its generated certificate) is the smart host.
#[test]
fn outbound_starttls_to_the_next_hop() {
    let next = Daemon::start("");
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\n",
        next.relay
    ));
    send(&d, &["tls@example.com"], "tls@e2e.test");
    let lines = wait_log(&d, "delivery over TLS", |l| {
        has(l, "tls@example.com", "succeeded")
    });
    assert!(
        lines
            .iter()
            .any(|l| l.contains("succeeded") && l.contains("TLSv1.3")),
        "{lines:?}"
    );
    let q = next.queue();
    assert_eq!(q.len(), 1, "{q:?}");
    assert!(q[0].contains("tls@example.com"));
}

#[test]
fn outgoing_connections_bind_the_configured_source_addresses() {
    let (sink, senders) = hikyaku_e2e::envelope_sink();
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{sink}\"\n[delivery.default]\nsource_ips = [\"127.0.0.2\", \"127.0.0.3\"]\nmax_messages_per_connection = 1\n"
    ));
    let mut c = Raw::hello(d.relay);
    for i in 0..4 {
        assert!(c.cmd("MAIL FROM:<app@app.test>").starts_with("250"));
        assert!(c
            .cmd(&format!("RCPT TO:<r{i}@example.net>"))
            .starts_with("250"));
        assert!(c.cmd("DATA").starts_with("354"));
        c.send(format!("Subject: {i}\r\n\r\nbody\r\n.\r\n").as_bytes());
        assert!(c.reply().starts_with("250"));
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    while senders.lock().unwrap().len() < 4 {
        assert!(
            Instant::now() < deadline,
            "not delivered: {:?}",
            senders.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut peers: Vec<String> = senders
        .lock()
        .unwrap()
        .iter()
        .map(|(ip, _)| ip.to_string())
        .collect();
    peers.sort();
    peers.dedup();
    assert_eq!(
        peers,
        ["127.0.0.2", "127.0.0.3"],
        "connections came from both source addresses"
    );
}

/// Many domains on one MX host, spread over both shards: the per-host limit holds across
/// shards even though each domain alone would allow more connections.
#[test]
fn per_host_connection_limit_holds_across_domains_and_shards() {
    let mut sink = Sink::start(&["--delay-ms", "20"]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\nmax_connections_per_host = 3\n[delivery.default]\nmax_connections = 4\nmax_messages_per_connection = 2\n",
        sink.addr
    ));
    for i in 0..40 {
        send(
            &d,
            &[&format!("r{i}@d{}.hosted.test", i % 8)],
            &format!("host-{i}@e2e.test"),
        );
    }
    wait_log(&d, "40 successes", |l| {
        l.iter()
            .filter(|x| x.contains("\"status\":\"succeeded\""))
            .count()
            == 40
    });
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 40, "{stats}");
    assert!(stat(&stats, "max_concurrent") <= 3, "{stats}");
    assert!(
        stat(&stats, "max_concurrent") >= 2,
        "limit reached, not serialised: {stats}"
    );
}

/// Hosted mail: far more domains than the host allows connections. Idle connections are
/// handed over between domains of a shard (and slots yielded between shards), so every message
/// arrives over fewer connections than there are domains, never more than the cap at once.
#[test]
fn domains_sharing_a_host_share_its_connections() {
    let mut sink = Sink::start(&["--delay-ms", "2"]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\nmax_connections_per_host = 4\n",
        sink.addr
    ));
    let out = Command::new(binary("hikyaku-loadgen"))
        .args(["--target", &d.relay.to_string()])
        .args([
            "--connections",
            "8",
            "--messages",
            "600",
            "--domains",
            "120",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.received().len() < 600 {
        assert!(
            Instant::now() < deadline,
            "only {} of 600 delivered",
            sink.received().len()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 600, "{stats}");
    assert!(stat(&stats, "max_concurrent") <= 4, "{stats}");
    assert!(
        stat(&stats, "connections") < 60,
        "connections were not shared between domains: {stats}"
    );
}

/// A server that hangs up on every connection after its first message, as servers with short
/// idle timeouts do: the next message must not be deferred because the connection kept for
/// reuse turned out dead; it goes out over a new connection at once.
#[test]
fn a_dead_idle_connection_does_not_defer_the_next_message() {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = connections.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let _ = out.write_all(b"220 idle.test ESMTP\r\n");
                let (mut in_data, mut line) = (false, String::new());
                while lines.read_line(&mut line).unwrap_or(0) > 0 {
                    let l = line.trim_end().to_ascii_uppercase();
                    line.clear();
                    if in_data {
                        if l == "." {
                            let _ = out.write_all(b"250 2.0.0 queued\r\n");
                            // Hang up right after the first message.
                            let _ = out.shutdown(std::net::Shutdown::Both);
                            return;
                        }
                        continue;
                    }
                    let reply: &[u8] = if l.starts_with("EHLO") {
                        b"250-idle.test\r\n250 PIPELINING\r\n"
                    } else if l.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else {
                        b"250 ok\r\n"
                    };
                    if out.write_all(reply).is_err() {
                        return;
                    }
                }
            });
        }
    });
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{addr}\"\n"
    ));
    send(&d, &["first@idle.test"], "idle-1@e2e.test");
    wait_log(&d, "first delivered", |l| {
        has(l, "first@idle.test", "succeeded")
    });
    // The worker keeps the (now dead) connection for more mail of idle.test for a second.
    send(&d, &["second@idle.test"], "idle-2@e2e.test");
    let lines = wait_log(&d, "second delivered", |l| {
        has(l, "second@idle.test", "succeeded")
    });
    assert!(
        !has(&lines, "second@idle.test", "deferred"),
        "deferred because of a dead idle connection: {lines:?}"
    );
    assert_eq!(connections.load(std::sync::atomic::Ordering::SeqCst), 2);
}

/// Recipients of one message at one domain go in one transaction (one body on the wire), as
/// Postfix groups them; another domain gets its own.
#[test]
fn recipients_of_a_message_at_one_domain_share_a_transaction() {
    let mut sink = Sink::start(&[]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\n",
        sink.addr
    ));
    send(
        &d,
        &[
            "a@batch.test",
            "b@batch.test",
            "c@batch.test",
            "d@other.test",
        ],
        "batch@e2e.test",
    );
    wait_log(&d, "4 successes", |l| {
        [
            "a@batch.test",
            "b@batch.test",
            "c@batch.test",
            "d@other.test",
        ]
        .iter()
        .all(|r| has(l, r, "succeeded"))
    });
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 2, "{stats}");
    assert_eq!(stat(&stats, "rcpts"), 4, "{stats}");
}
