//! End-to-end: a next hop that misbehaves — stalls after EHLO, sends a multi-megabyte reply
//! line, drops the connection in the middle of the data, trickles its replies a byte at a
//! time — costs at most the configured timeouts: its recipients are deferred (delivery log),
//! nothing is buffered without bound, and another domain of the same shard keeps delivering
//! at its usual rate meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hikyaku_e2e::{Daemon, Raw, Sink};

/// How a faulty sink misbehaves.
#[derive(Clone, Copy)]
enum Fault {
    /// Greets and answers EHLO, then reads and never answers again.
    StallAfterEhlo,
    /// Answers MAIL FROM with one reply line of several megabytes.
    HugeReply,
    /// Accepts up to DATA, reads part of the message, then closes the connection.
    DropMidData,
    /// Sends every reply one byte at a time, 300 ms apart: each read gets a byte well within
    /// any timeout, but a whole reply takes longer than the command timeout.
    Trickle,
}

/// A loopback SMTP server with `fault`; counts the connections it accepted.
fn faulty_sink(fault: Fault) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || serve(stream, fault));
        }
    });
    (addr, accepted)
}

fn serve(stream: TcpStream, fault: Fault) {
    let mut out = stream.try_clone().unwrap();
    let mut lines = BufReader::new(stream);
    let say = |out: &mut TcpStream, text: &str| -> bool {
        if let Fault::Trickle = fault {
            for b in text.bytes() {
                if out.write_all(&[b]).is_err() {
                    return false;
                }
                std::thread::sleep(Duration::from_millis(300));
            }
            true
        } else {
            out.write_all(text.as_bytes()).is_ok()
        }
    };
    if !say(&mut out, "220 faulty.test ESMTP\r\n") {
        return;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let upper = line.trim_end().to_ascii_uppercase();
        let reply = if upper.starts_with("EHLO") {
            if let Fault::StallAfterEhlo = fault {
                let _ = say(&mut out, "250-faulty.test\r\n250 PIPELINING\r\n");
                // Read whatever comes, answer nothing, until the client gives up.
                let mut sink = [0u8; 4096];
                while matches!(lines.read(&mut sink), Ok(n) if n > 0) {}
                return;
            }
            "250-faulty.test\r\n250 8BITMIME\r\n".to_string()
        } else if upper.starts_with("MAIL") {
            if let Fault::HugeReply = fault {
                // 4 MB without a line end, then one: the client must give up long before.
                let chunk = vec![b'x'; 64 * 1024];
                let _ = out.write_all(b"250 ");
                for _ in 0..64 {
                    if out.write_all(&chunk).is_err() {
                        return;
                    }
                }
                let _ = out.write_all(b"\r\n");
                continue;
            }
            "250 2.1.0 ok\r\n".to_string()
        } else if upper.starts_with("DATA") {
            if let Fault::DropMidData = fault {
                let _ = say(&mut out, "354 go ahead\r\n");
                let mut part = [0u8; 16];
                let _ = lines.read(&mut part);
                return; // closes both halves
            }
            // Not reached by the other faults.
            "354 go ahead\r\n".to_string()
        } else if upper.starts_with("QUIT") {
            let _ = say(&mut out, "221 bye\r\n");
            return;
        } else {
            "250 ok\r\n".to_string()
        };
        if !say(&mut out, &reply) {
            return;
        }
    }
}

/// Submits one message per recipient over one SMTP session.
fn submit(d: &Daemon, rcpts: &[String]) {
    let mut c = Raw::hello(d.relay);
    for (i, r) in rcpts.iter().enumerate() {
        assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
        let reply = c.cmd(&format!("RCPT TO:<{r}>"));
        assert!(reply.starts_with("250"), "{r}: {reply}");
        assert!(c.cmd("DATA").starts_with("354"));
        let body = format!(
            "Subject: fault test {i}\r\nMessage-ID: <{r}>\r\n\r\n{}\r\n.",
            "x".repeat(2000)
        );
        let reply = c.cmd(&body);
        assert!(reply.starts_with("250"), "{reply}");
    }
    c.cmd("QUIT");
}

/// The delivery log as JSON lines.
fn log_lines(d: &Daemon) -> Vec<String> {
    let out = d.command(&["log", "search", "--json", "--limit", "1000"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn record<'a>(lines: &'a [String], rcpt: &str, status: &str) -> Option<&'a String> {
    lines.iter().find(|l| {
        l.contains(&format!("\"recipient\":\"{rcpt}\""))
            && l.contains(&format!("\"status\":\"{status}\""))
    })
}

/// Waits until `f` holds of the delivery log (at most `limit`), returning the log.
fn wait_log(d: &Daemon, what: &str, limit: Duration, f: impl Fn(&[String]) -> bool) -> Vec<String> {
    let deadline = Instant::now() + limit;
    loop {
        let lines = log_lines(d);
        if f(&lines) {
            return lines;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {what}; log:\n{}\ndaemon:\n{}",
            lines.join("\n"),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Delivers `n` messages to the healthy domain and returns how long until all succeeded.
fn healthy_run(d: &Daemon, tag: &str, n: usize) -> Duration {
    let rcpts: Vec<String> = (0..n).map(|i| format!("{tag}-{i}@healthy.test")).collect();
    let start = Instant::now();
    submit(d, &rcpts);
    wait_log(
        d,
        &format!("{n} deliveries ({tag})"),
        Duration::from_secs(60),
        |l| rcpts.iter().all(|r| record(l, r, "succeeded").is_some()),
    );
    start.elapsed()
}

#[test]
fn faulty_next_hops_are_deferred_within_the_timeouts_and_do_not_slow_other_domains() {
    let healthy = Sink::start(&[]);
    let faults = [
        ("stall.test", Fault::StallAfterEhlo),
        ("huge.test", Fault::HugeReply),
        ("drop.test", Fault::DropMidData),
        ("trickle.test", Fault::Trickle),
    ];
    let sinks: Vec<(&str, SocketAddr, Arc<AtomicUsize>)> = faults
        .iter()
        .map(|(domain, fault)| {
            let (addr, accepted) = faulty_sink(*fault);
            (*domain, addr, accepted)
        })
        .collect();
    // One shard: the faulty domains and the healthy one share an executor, so a blocked
    // shard would show as a slower healthy domain. Retries far away: one attempt each.
    let mut toml = format!(
        "sandbox = false\nshards = 1\n[delivery]\nconnect_timeout_secs = 2\ncommand_timeout_secs = 2\ndata_timeout_secs = 3\nretry_first_secs = 600\nretry_max_secs = 600\n[delivery.domains.\"healthy.test\"]\ntransport = \"{}\"\n",
        healthy.addr
    );
    for (domain, addr, _) in &sinks {
        toml.push_str(&format!(
            "[delivery.domains.\"{domain}\"]\ntransport = \"{addr}\"\nmax_connections = 4\n"
        ));
    }
    let d = Daemon::start(&toml);

    // Baseline: the healthy domain alone (after one warm-up message).
    healthy_run(&d, "warm", 1);
    const N: usize = 60;
    let alone = healthy_run(&d, "alone", N);

    // Four recipients per faulty domain: up to four connections each stuck in its fault.
    let faulty: Vec<String> = sinks
        .iter()
        .flat_map(|(domain, _, _)| (0..4).map(move |i| format!("f{i}@{domain}")))
        .collect();
    let submitted = Instant::now();
    submit(&d, &faulty);
    let stuck_deadline = Instant::now() + Duration::from_secs(10);
    while sinks.iter().any(|(_, _, n)| n.load(Ordering::SeqCst) == 0) {
        assert!(
            Instant::now() < stuck_deadline,
            "the faulty sinks were not contacted"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let beside = healthy_run(&d, "beside", N);

    // Every faulty recipient deferred, with the reason, within the timeouts (2 s per wait
    // for a reply, 3 s after the data; the trickling greeting alone would take 6 s).
    let lines = wait_log(
        &d,
        "faulty recipients deferred",
        Duration::from_secs(30),
        |l| faulty.iter().all(|r| record(l, r, "deferred").is_some()),
    );
    let deferred_after = submitted.elapsed();
    let reason = |domain: &str| -> String {
        let r = record(&lines, &format!("f0@{domain}"), "deferred").unwrap();
        r.split("\"smtp_reply\":\"")
            .nth(1)
            .unwrap_or("")
            .split('"')
            .next()
            .unwrap_or("")
            .to_string()
    };
    assert!(
        reason("stall.test").contains("timeout"),
        "{}",
        reason("stall.test")
    );
    assert!(
        reason("trickle.test").contains("timeout"),
        "{}",
        reason("trickle.test")
    );
    assert!(
        reason("huge.test").contains("too long"),
        "{}",
        reason("huge.test")
    );
    let dropped = reason("drop.test");
    assert!(
        !dropped.is_empty() && !dropped.contains("timeout"),
        "{dropped}"
    );
    for r in &faulty {
        assert!(
            record(&lines, r, "succeeded").is_none(),
            "{r} was not delivered"
        );
    }
    // Bounded by the timeouts, not by the servers: a domain's four messages fit one connection,
    // so they go one after the other, each stalled one ending its connection after one 2 s
    // timeout (about 8 s for the stalling hop; the trickling greeting defers all four at once).
    // Generous slack for a busy machine.
    assert!(
        deferred_after < Duration::from_secs(20),
        "deferring took {deferred_after:?}"
    );
    // Still queued for their retry, one attempt each.
    let queue = d.queue();
    for r in &faulty {
        let entry = queue
            .iter()
            .find(|q| q.contains(&format!("\"{r}\"")))
            .unwrap_or_else(|| panic!("{r} not queued: {queue:?}"));
        assert!(entry.contains("\"attempts\":1"), "{entry}");
    }

    // The healthy domain kept its pace beside the faulty ones.
    println!(
        "healthy domain, {N} messages: alone {alone:?}, beside four faulty next hops {beside:?}; \
         {} faulty recipients deferred {deferred_after:?} after submission",
        faulty.len()
    );
    assert!(
        beside <= alone * 4 + Duration::from_secs(3),
        "healthy domain slowed from {alone:?} to {beside:?}"
    );
    // The daemon is still well: a last message goes straight through.
    healthy_run(&d, "after", 1);
}
