//! End-to-end: one hot destination domain is delivered by both shards (its recipients are
//! spread, live and at a restart), and its `max_connections` holds over both at the sink.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;
use std::time::{Duration, Instant};

use hikyaku_e2e::{binary, Daemon, Sink, ADMIN_PASSWORD};

const DOMAIN: &str = "d1.bench.test";

fn stat(json: &str, key: &str) -> u64 {
    json.split(&format!("\"{key}\":"))
        .nth(1)
        .and_then(|r| r.split([',', '}']).next())
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("{key} not in {json}"))
}

/// `n` messages of one recipient each, all at [`DOMAIN`], over 8 client connections (the
/// kernel spreads them over both shards' listeners).
fn load(d: &Daemon, n: usize) {
    let out = Command::new(binary("hikyaku-loadgen"))
        .args(["--target", &d.relay.to_string()])
        .args(["--connections", "8", "--messages", &n.to_string()])
        .args(["--domains", "1"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn wait_received(sink: &Sink, n: usize, d: &Daemon) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while sink.received().len() < n {
        assert!(
            Instant::now() < deadline,
            "only {} of {n} delivered; daemon:\n{}",
            sink.received().len(),
            d.log()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Distinct recipients with a delivery-log record of `status` so far.
fn count_status(d: &Daemon, status: &str) -> usize {
    let out = d.command(
        &[
            "log", "search", "--json", "--status", status, "--limit", "10000",
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut recipients: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split("\"recipient\":\"").nth(1))
        .filter_map(|r| r.split('"').next())
        .map(str::to_string)
        .collect();
    recipients.sort();
    recipients.dedup();
    recipients.len()
}

#[test]
fn a_hot_domain_is_spread_over_shards_within_its_connection_limit() {
    let mut sink = Sink::start(&["--delay-ms", "5"]);
    let d = Daemon::start(&format!(
        "sandbox = false\n[delivery]\nsmart_host = \"{}\"\n[delivery.domains.\"{DOMAIN}\"]\nmax_connections = 3\nmax_messages_per_connection = 10\n",
        sink.addr
    ));
    load(&d, 600);
    wait_received(&sink, 600, &d);
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 600, "{stats}");
    assert!(stat(&stats, "max_concurrent") <= 3, "{stats}");
    assert!(
        stat(&stats, "max_concurrent") >= 2,
        "limit reached, not serialised: {stats}"
    );
    assert!(
        d.log()
            .contains("hot domain: its recipients are spread over all shards"),
        "{}",
        d.log()
    );
}

/// A backlog of one domain found at start is spread over the shards (the home shard forwards
/// the others' share), force send by domain reaches every shard, and the domain's limit holds
/// while both shards deliver it.
#[test]
fn a_hot_backlog_is_spread_at_restart_and_its_limit_holds() {
    let mut sink = Sink::start(&["--delay-ms", "5"]);
    // Every domain routed to a closed port first: everything is deferred.
    let mut d = Daemon::start(&format!(
        "[delivery.domains.\"{DOMAIN}\"]\nmax_connections = 2\nmax_messages_per_connection = 10\ntransport = \"127.0.0.1:9\"\n"
    ));
    load(&d, 300);
    let deadline = Instant::now() + Duration::from_secs(60);
    while count_status(&d, "deferred") < 300 {
        assert!(Instant::now() < deadline, "not all deferred: {}", d.log());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(d.stop().success());
    let config = std::fs::read_to_string(&d.config_path).unwrap();
    std::fs::write(
        &d.config_path,
        // The domain's own transport (the first one; the default stays closed).
        config.replacen(
            "transport = \"127.0.0.1:9\"",
            &format!("transport = \"{}\"", sink.addr),
            1,
        ),
    )
    .unwrap();
    assert!(std::fs::read_to_string(&d.config_path)
        .unwrap()
        .contains(&sink.addr.to_string()));
    d.spawn();
    let forwarded: u64 = d
        .log()
        .lines()
        .filter(|l| l.contains("queue reloaded"))
        .filter_map(|l| l.split("forwarded=").nth(1))
        .filter_map(|r| r.split(|c: char| !c.is_ascii_digit()).next())
        .filter_map(|v| v.parse::<u64>().ok())
        .sum();
    assert!(
        (50..=250).contains(&forwarded),
        "the home shard forwards about half: {forwarded}\n{}",
        d.log()
    );
    // Force send by domain: the entries are on both shards now.
    let admin = d.login("admin", ADMIN_PASSWORD);
    let mut forced = 0;
    let deadline = Instant::now() + Duration::from_secs(30);
    while forced < 300 {
        assert!(Instant::now() < deadline, "forced only {forced}");
        let r = d
            .call_raw(
                Some(&admin),
                "queue.force_send",
                &format!("{{\"domain\": \"{DOMAIN}\"}}"),
            )
            .unwrap();
        forced += r["forced"].as_u64().unwrap_or_else(|| panic!("{r}"));
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(forced, 300);
    wait_received(&sink, 300, &d);
    let stats = sink.finish();
    assert_eq!(stat(&stats, "messages"), 300, "{stats}");
    assert!(stat(&stats, "max_concurrent") <= 2, "{stats}");
}
