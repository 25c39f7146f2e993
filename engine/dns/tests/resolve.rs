//! End-to-end routing: a [`TestDns`] on 127.0.0.1 and a [`DnsService`] pointed only at it.
//! Requests are made from a plain `futures` executor, not tokio, to show the handle is
//! runtime-agnostic.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::IpAddr;
use std::time::{Duration, Instant};

use futures::executor::block_on;
use hikyaku_dns::{
    CacheConfig, DnsConfig, DnsHandle, DnsService, MxHost, RouteResult, TestDns, Zone,
};

const ZONE: &str = "
# MX with equal and different preferences
example.test MX 10 mx1.example.test
example.test MX 10 mx2.example.test
example.test MX 20 mx3.example.test
mx1.example.test A 127.0.0.1
mx2.example.test A 127.0.0.2
mx2.example.test AAAA ::1
mx3.example.test A 127.0.0.3

plain.test A 127.0.0.5          ; no MX: implicit MX
empty.test NODATA               ; exists, nothing at all
nomail.test NULLMX
gone.test NXDOMAIN
broken.test SERVFAIL
refused.test REFUSED
slow.test TIMEOUT

# MX hosts that fail
partial.test MX 10 sick.partial.test
partial.test MX 20 ok.partial.test
sick.partial.test SERVFAIL
ok.partial.test A 127.0.0.9
allsick.test MX 10 sick.partial.test
allsick.test MX 20 refused.test
dangling.test MX 10 nowhere.test
";

/// Starts a server for `zone` and a service asking only it. The timeout is generous because tests
/// run in parallel on a loaded two-core machine; only the timeout test uses a short one.
fn start(zone: &str) -> (TestDns, DnsHandle, std::thread::JoinHandle<()>) {
    start_with_timeout(zone, Duration::from_secs(3))
}

fn start_with_timeout(
    zone: &str,
    timeout: Duration,
) -> (TestDns, DnsHandle, std::thread::JoinHandle<()>) {
    let server = TestDns::start(Zone::parse(zone).unwrap()).unwrap();
    let config = DnsConfig {
        timeout,
        attempts: 1,
        rng_seed: Some(7),
        ..DnsConfig::with_server(server.addr())
    };
    let (handle, thread) = DnsService::start(config).unwrap();
    (server, handle, thread)
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn hosts(r: RouteResult) -> Vec<MxHost> {
    match r {
        RouteResult::Hosts(h) => h,
        other => panic!("expected hosts, got {other:?}"),
    }
}

#[test]
fn mx_hosts_in_preference_order_with_addresses() {
    let (_server, dns, _t) = start(ZONE);
    let mut firsts = std::collections::HashSet::new();
    for _ in 0..16 {
        let h = hosts(block_on(dns.route("Example.TEST.")));
        assert_eq!(
            h.iter().map(|h| h.preference).collect::<Vec<_>>(),
            vec![10, 10, 20]
        );
        assert_eq!(
            h[2],
            MxHost {
                name: "mx3.example.test".into(),
                preference: 20,
                addrs: vec![ip("127.0.0.3")]
            }
        );
        let mx2 = h.iter().find(|h| h.name == "mx2.example.test").unwrap();
        assert_eq!(mx2.addrs, vec![ip("127.0.0.2"), ip("::1")]);
        firsts.insert(h[0].name.clone());
    }
    assert_eq!(
        firsts.len(),
        2,
        "equal preferences are shuffled per request"
    );
}

#[test]
fn implicit_mx_and_no_address() {
    let (_server, dns, _t) = start(ZONE);
    let h = hosts(block_on(dns.route("plain.test")));
    assert_eq!(
        h,
        vec![MxHost {
            name: "plain.test".into(),
            preference: 0,
            addrs: vec![ip("127.0.0.5")]
        }]
    );
    assert_eq!(block_on(dns.route("empty.test")), RouteResult::NoAddress);
}

#[test]
fn permanent_failures() {
    let (_server, dns, _t) = start(ZONE);
    assert_eq!(block_on(dns.route("nomail.test")), RouteResult::NullMx);
    assert_eq!(block_on(dns.route("gone.test")), RouteResult::NoSuchDomain);
    assert_eq!(
        block_on(dns.route("not-in-zone.test")),
        RouteResult::NoSuchDomain
    );
    assert_eq!(block_on(dns.route("dangling.test")), RouteResult::NoAddress);
    assert_eq!(block_on(dns.route("")), RouteResult::NoSuchDomain);
}

#[test]
fn servfail_refused_and_timeout_are_temporary() {
    let (_server, dns, _t) = start_with_timeout(ZONE, Duration::from_millis(300));
    for domain in ["broken.test", "refused.test"] {
        let r = block_on(dns.route(domain));
        assert!(matches!(r, RouteResult::TempFail(_)), "{domain}: {r:?}");
    }
    let started = Instant::now();
    let r = block_on(dns.route("slow.test"));
    assert!(matches!(r, RouteResult::TempFail(_)), "{r:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "timeout took {:?}",
        started.elapsed()
    );
}

#[test]
fn failing_mx_hosts_are_skipped_unless_all_fail() {
    let (_server, dns, _t) = start(ZONE);
    let h = hosts(block_on(dns.route("partial.test")));
    assert_eq!(
        h.iter().map(|h| h.name.as_str()).collect::<Vec<_>>(),
        vec!["ok.partial.test"]
    );
    let r = block_on(dns.route("allsick.test"));
    assert!(matches!(r, RouteResult::TempFail(_)), "{r:?}");
}

#[test]
fn address_literals_skip_dns() {
    let (server, dns, _t) = start(ZONE);
    let h = hosts(block_on(dns.route("[192.0.2.1]")));
    assert_eq!(h[0].addrs, vec![ip("192.0.2.1")]);
    let h = hosts(block_on(dns.route("[IPv6:2001:db8::1]")));
    assert_eq!(h[0].addrs, vec![ip("2001:db8::1")]);
    assert_eq!(block_on(dns.route("[nonsense]")), RouteResult::NoSuchDomain);
    assert_eq!(server.queries(), 0);
}

#[test]
fn answers_are_cached_until_their_ttl() {
    let zone = "short.test 1 MX 10 mx.short.test\nmx.short.test 1 A 127.0.0.1\n";
    let server = TestDns::start(Zone::parse(zone).unwrap()).unwrap();
    let cache = CacheConfig {
        min_ttl: Duration::ZERO,
        ..CacheConfig::default()
    };
    let config = DnsConfig {
        cache,
        ipv6: false,
        ..DnsConfig::with_server(server.addr())
    };
    let (dns, _t) = DnsService::start(config).unwrap();

    assert_eq!(
        hosts(block_on(dns.route("short.test")))[0].name,
        "mx.short.test"
    );
    let asked = server.queries();
    assert_eq!(asked, 2, "one MX and one A query");
    server.set_zone(
        Zone::parse("short.test 1 MX 10 other.short.test\nother.short.test A 127.0.0.2").unwrap(),
    );
    assert_eq!(
        hosts(block_on(dns.route("short.test")))[0].name,
        "mx.short.test",
        "served from cache"
    );
    assert_eq!(server.queries(), asked);

    std::thread::sleep(Duration::from_millis(1100));
    let h = hosts(block_on(dns.route("short.test")));
    assert_eq!(
        (h[0].name.as_str(), h[0].addrs.clone()),
        ("other.short.test", vec![ip("127.0.0.2")])
    );
    assert!(server.queries() > asked);
}

#[test]
fn negative_answers_are_cached() {
    let (server, dns, _t) = start(ZONE);
    assert_eq!(block_on(dns.route("gone.test")), RouteResult::NoSuchDomain);
    let asked = server.queries();
    assert_eq!(block_on(dns.route("gone.test")), RouteResult::NoSuchDomain);
    assert_eq!(server.queries(), asked);
}

#[test]
fn concurrent_requests_for_one_domain_share_lookups() {
    let (server, dns, _t) = start(ZONE);
    let requests = (0..32).map(|_| dns.route("example.test"));
    let results = block_on(futures::future::join_all(requests));
    for r in results {
        assert_eq!(hosts(r).len(), 3);
    }
    // One MX query plus A and AAAA for three hosts.
    assert_eq!(server.queries(), 7);
}

#[test]
fn handles_work_from_other_threads_and_the_service_stops_with_them() {
    let (_server, dns, thread) = start(ZONE);
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let dns = dns.clone();
            std::thread::spawn(move || block_on(dns.route("plain.test")))
        })
        .collect();
    for w in workers {
        assert_eq!(hosts(w.join().unwrap())[0].name, "plain.test");
    }
    drop(dns);
    thread.join().unwrap();
}

#[test]
fn large_answers_fall_back_to_tcp() {
    let mut text = String::new();
    for i in 0..60 {
        text.push_str(&format!(
            "big.test MX {i} mx{i}.a-rather-long-mail-exchanger-name.big.test\n"
        ));
    }
    text.push_str("mx0.a-rather-long-mail-exchanger-name.big.test A 127.0.0.1\n");
    let (_server, dns, _t) = start(&text);
    let h = hosts(block_on(dns.route("big.test")));
    assert_eq!(h[0].name, "mx0.a-rather-long-mail-exchanger-name.big.test");
}
