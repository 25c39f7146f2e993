//! The shaper driven with plain numbers: sites, limits, rules, warm-up, status.

use std::net::IpAddr;
use std::sync::Arc;

use super::*;

fn plan(extra: &str) -> Plan {
    let text = format!("enabled = true\n{extra}");
    let c: ShapingConfig = toml::from_str(&text).unwrap();
    compile(&c).unwrap()
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

#[test]
fn the_shipped_provider_file_compiles_and_names_the_big_providers() {
    let p = plan("");
    for name in [
        "gmail", "outlook", "yahoo", "icloud", "docomo", "au", "softbank",
    ] {
        assert!(p.sites.iter().any(|s| &*s.name == name), "{name}");
    }
    assert!(p
        .rules
        .iter()
        .any(|r| r.regex.is_match("421 4.7.28 unusual rate").unwrap()));
    let gmail = site_key(&p, "example.org", &["ASPMX.L.GOOGLE.COM."]);
    assert_eq!(&*gmail.name, "gmail");
    assert_eq!(
        p.limits(&gmail.site).tls,
        Some(crate::config::TlsMode::Required)
    );
    assert_eq!(&*site_key(&p, "docomo.ne.jp", &[]).name, "docomo");
    assert_eq!(
        &*site_key(&p, "x.jp", &["mx.outlook.jp.mail.protection.outlook.com"]).name,
        "outlook"
    );
    // A suffix matches on a label boundary only.
    let other = site_key(&p, "a.test", &["mx.notgoogle.com"]);
    assert_eq!(&*other.name, "mx:mx.notgoogle.com");
    // Unnamed sites are the set of MX hosts: the same set in another order is the same site.
    let a = site_key(&p, "a.test", &["mx2.host.test", "mx1.host.test"]);
    let b = site_key(
        &p,
        "b.test",
        &["mx1.host.test.", "MX2.host.test", "mx1.host.test"],
    );
    assert_eq!(a, b);
    assert_eq!(&*a.name, "mx:mx1.host.test,mx2.host.test");
}

#[test]
fn settings_override_a_provider_site_field_by_field_and_bad_values_name_their_key() {
    let p = plan("[sites.gmail]\nrate = \"10/s\"\n");
    let g = site_key(&p, "gmail.com", &[]);
    let l = p.limits(&g.site);
    assert_eq!(l.rate.unwrap().per_hour(), 36_000);
    assert_eq!(l.max_connections, 20, "kept from the provider file");
    let off: ShapingConfig = toml::from_str("provider_rules = false").unwrap();
    assert!(compile(&off).unwrap().sites.is_empty());
    let bad: ShapingConfig = toml::from_str(
        "[sites.x]\nmx_suffixes = [\"a b\"]\nrate = \"fast\"\nmax_connections = 0\n\
         [[rules]]\nmatch = \"(\"\naction = \"suspend\"\nduration = \"forever\"\nthreshold = \"0/1min\"\n\
         [[warmup]]\nsource_ip = \"192.0.2.1\"\nstart = \"yesterday\"\n",
    )
    .unwrap();
    let problems = compile(&bad).unwrap_err().join("\n");
    for key in [
        "shaping.sites.x.mx_suffixes",
        "shaping.sites.x.rate",
        "shaping.sites.x.max_connections",
        "shaping.rules[0].match",
        "shaping.rules[0].duration",
        "shaping.rules[0].threshold",
        "shaping.warmup[0].start",
    ] {
        assert!(problems.contains(key), "{key} in {problems}");
    }
}

const SIM: &str = "provider_rules = false\n[sites.sim]\nmx_suffixes = [\"sim.test\"]\n";

#[test]
fn connections_per_site_and_ip_are_capped_and_released() {
    let p = plan(&format!(
        "{SIM}max_connections = 2\nconnections_per_minute = 60\n"
    ));
    let sh = Arc::new(Shaper::default());
    let site = site_key(&p, "d1.test", &["mx1.sim.test"]);
    let a = sh.open(&p, &site, Some(ip("10.0.0.1")), 0).unwrap();
    let _b = sh.open(&p, &site, Some(ip("10.0.0.1")), 0).unwrap();
    let full = sh.open(&p, &site, Some(ip("10.0.0.1")), 0).unwrap_err();
    assert!(
        matches!(
            full,
            Gate::Wait {
                reason: WaitReason::Connections,
                ..
            }
        ),
        "{full:?}"
    );
    // Another source IP has its own lane; another domain of the site shares this one.
    assert!(sh.open(&p, &site, Some(ip("10.0.0.2")), 0).is_ok());
    let same_site = site_key(&p, "d2.test", &["mx2.sim.test"]);
    assert!(sh.open(&p, &same_site, Some(ip("10.0.0.1")), 0).is_err());
    drop(a);
    let c = sh.open(&p, &same_site, Some(ip("10.0.0.1")), 0);
    assert!(c.is_ok());
    drop(c);
    // 60 a minute with a burst of 15: the bucket (not the cap) stops the rest.
    let mut opened = 0;
    for _ in 0..40 {
        if let Ok(permit) = sh.open(&p, &site, Some(ip("10.0.0.3")), 0) {
            opened += 1;
            drop(permit);
        }
    }
    assert_eq!(opened, 15);
    // A slot given back unused (its host was at its cap) refunds its new-connection token.
    let mut tried = 0;
    while let Ok(permit) = sh.open(&p, &site, Some(ip("10.0.0.4")), 0) {
        permit.expect("a permit when shaping is on").unused();
        tried += 1;
        if tried == 100 {
            break;
        }
    }
    assert_eq!(tried, 100, "unused slots never use up the bucket");
    // Disabled shaping imposes nothing.
    let off = plan(&format!("{SIM}max_connections = 1\n"));
    let off = Plan {
        enabled: false,
        ..off
    };
    assert!(matches!(sh.open(&off, &site, None, 0), Ok(None)));
}

#[test]
fn the_message_rate_is_per_source_ip_and_says_how_long_to_wait() {
    let p = plan(&format!("{SIM}rate = \"10/s\"\nburst = 2\n"));
    let sh = Shaper::default();
    let site = site_key(&p, "d.test", &["mx.sim.test"]);
    let one = Some(ip("10.0.0.1"));
    assert_eq!(sh.before_message(&p, &site, one, 0), Gate::Go);
    assert_eq!(sh.before_message(&p, &site, one, 0), Gate::Go);
    assert_eq!(
        sh.before_message(&p, &site, one, 0),
        Gate::Wait {
            until_ms: 100,
            reason: WaitReason::Rate
        }
    );
    assert_eq!(
        sh.before_message(&p, &site, Some(ip("10.0.0.2")), 0),
        Gate::Go
    );
    // Over ten seconds, at most the rate plus the burst goes.
    let mut sent = 0;
    for t in (0..10_000).step_by(10) {
        if sh.before_message(&p, &site, one, 100 + t) == Gate::Go {
            sent += 1;
        }
    }
    assert!((100..=102).contains(&sent), "{sent}");
}

const THROTTLE: &str = "[[rules]]\nsite = \"*\"\nmatch = \"4\\\\.7\\\\.28\"\nthreshold = \"3/1min\"\naction = \"suspend\"\nduration = \"30s\"\nramp = \"60s\"\n";

#[test]
fn a_suspend_rule_fires_at_its_threshold_holds_the_site_then_ramps_back() {
    let p = plan(&format!(
        "{SIM}rate = \"100/s\"\nmax_connections = 8\n{THROTTLE}"
    ));
    let sh = Arc::new(Shaper::default());
    let site = site_key(&p, "d.test", &["mx.sim.test"]);
    let ipa = Some(ip("10.0.0.1"));
    let reply = "421 4.7.28 Our system has detected an unusual rate";
    assert!(sh
        .observe(&p, &site, ipa, "d.test", "421 4.3.2 busy", 0)
        .is_empty());
    assert!(sh
        .observe(&p, &site, ipa, "d.test", reply, 1_000)
        .is_empty());
    assert!(sh
        .observe(&p, &site, ipa, "d.test", reply, 2_000)
        .is_empty());
    // Outside the window the first match no longer counts.
    assert!(sh
        .observe(&p, &site, ipa, "d.test", reply, 61_500)
        .is_empty());
    let fired = sh.observe(&p, &site, ipa, "d.test", reply, 61_800);
    assert_eq!(fired.len(), 1, "{fired:?}");
    assert_eq!(
        (
            fired[0].action.as_str(),
            fired[0].until_ms,
            fired[0].matches
        ),
        ("suspend", 91_800, 3)
    );
    assert_eq!(fired[0].rule, "shaping.rules[0]");
    let held = Gate::Wait {
        until_ms: 91_800,
        reason: WaitReason::Suspended,
    };
    assert_eq!(sh.site_gate(&p, &site, ipa, 70_000), held);
    assert_eq!(
        sh.site_gate(&p, &site, Some(ip("10.0.0.9")), 70_000),
        held,
        "site scope"
    );
    assert_eq!(sh.before_message(&p, &site, ipa, 70_000), held);
    assert!(sh.open(&p, &site, ipa, 70_000).is_err());
    // Replies to messages in flight do not extend the suspension.
    assert!(sh
        .observe(&p, &site, ipa, "d.test", reply, 70_000)
        .is_empty());
    // After it: a quarter of the limits, climbing to all of them over the ramp.
    assert_eq!(sh.site_gate(&p, &site, ipa, 92_000), Gate::Go);
    let st = sh.status(&p, Some("sim"), 92_000);
    assert_eq!(st.sites[0].source_ips[0].effective.max_connections, 2);
    assert_eq!(
        sh.status(&p, Some("sim"), 122_000).sites[0].source_ips[0]
            .effective
            .max_connections,
        5
    );
    assert_eq!(
        sh.status(&p, Some("sim"), 152_000).sites[0].source_ips[0]
            .effective
            .factor,
        1.0
    );
    assert!(sh.status(&p, Some("sim"), 152_000).sites[0]
        .action
        .is_none());
    assert_eq!(st.fired.len(), 1);
}

#[test]
fn reduce_learns_a_rate_when_none_is_set_and_bounce_fails_the_site_with_a_reason() {
    let rules = "[[rules]]\nmatch = \"slow down\"\naction = \"reduce\"\nfactor = 0.5\nduration = \"1min\"\nscope = \"source_ip\"\n\
                 [[rules]]\nsite = \"d.test\"\nmatch = \"5\\\\.7\\\\.1 blocked\"\naction = \"bounce\"\nduration = \"1h\"\nreason = \"provider blocked us\"\n";
    let p = plan(&format!("{SIM}{rules}"));
    let sh = Shaper::default();
    let site = site_key(&p, "d.test", &["mx.sim.test"]);
    let ipa = Some(ip("10.0.0.1"));
    // 120 messages in the minute before: no rate set, so nothing limits them.
    for t in 0..120 {
        assert_eq!(sh.before_message(&p, &site, ipa, t * 500), Gate::Go);
    }
    let fired = sh.observe(&p, &site, ipa, "d.test", "421 4.7.0 slow down", 60_000);
    assert_eq!(fired[0].source_ip, ipa);
    // Learned 120/min, halved: 1 per second.
    let mut sent = 0;
    for t in 0..10_000u64 {
        if sh.before_message(&p, &site, ipa, 60_000 + t) == Gate::Go {
            sent += 1;
        }
    }
    assert!((10..=12).contains(&sent), "{sent}");
    // Another IP is not reduced (source-IP scope).
    for _ in 0..50 {
        assert_eq!(
            sh.before_message(&p, &site, Some(ip("10.0.0.2")), 61_000),
            Gate::Go
        );
    }
    sh.observe(&p, &site, ipa, "d.test", "554 5.7.1 blocked", 70_000);
    assert_eq!(
        sh.site_gate(&p, &site, None, 71_000),
        Gate::Bounce("provider blocked us".into())
    );
    assert_eq!(sh.clear(Some("sim"), None), 2);
    assert_eq!(sh.site_gate(&p, &site, ipa, 71_000), Gate::Go);
}

#[test]
fn warm_up_gives_a_new_ip_its_daily_allowance_and_the_rest_goes_elsewhere() {
    // Day 3 of a schedule starting at 60/h doubling: 240/h, a burst of 4.
    let p = plan(&format!(
        "{SIM}[[warmup]]\nsource_ip = \"10.0.0.9\"\nstart = \"1970-01-01\"\nper_hour = 60\n"
    ));
    let sh = Shaper::default();
    let site = site_key(&p, "d.test", &["mx.sim.test"]);
    let now = 2 * 86_400_000 + 1000;
    let new = ip("10.0.0.9");
    let old = ip("10.0.0.1");
    let st = sh.status(&p, None, now);
    assert!(st.sites.iter().all(|s| s.source_ips.is_empty()));
    let mut picks = std::collections::HashMap::new();
    let mut t = now;
    for _ in 0..600 {
        let chosen = sh.pick_source(&p, &site, &[old, new], t).unwrap().unwrap();
        if sh.before_message(&p, &site, Some(chosen), t) == Gate::Go {
            *picks.entry(chosen).or_insert(0) += 1;
        }
        t += 1000;
    }
    // Ten minutes at 240/h: the burst of 4 plus 40.
    let warm = picks.get(&new).copied().unwrap_or(0);
    assert!((42..=46).contains(&warm), "{picks:?}");
    assert_eq!(picks.get(&old).copied().unwrap_or(0), 600 - warm);
    let lane = sh.status(&p, Some("sim"), t).sites[0]
        .source_ips
        .iter()
        .find(|l| l.source_ip == Some(new))
        .cloned()
        .unwrap();
    assert_eq!(
        (lane.warmup_day, lane.warmup_per_hour),
        (Some(3), Some(240))
    );
    // With only the warming IP, its allowance spent: wait for the next token.
    for _ in 0..10 {
        sh.before_message(&p, &site, Some(new), t);
    }
    assert!(matches!(
        sh.pick_source(&p, &site, &[new], t),
        Err(Gate::Wait {
            reason: WaitReason::Warmup,
            ..
        })
    ));
}

#[test]
fn a_firing_stored_in_the_spool_becomes_a_shaping_webhook_event() {
    let f = Fired {
        time_ms: 1_764_000_000_000,
        site: "gmail".into(),
        source_ip: Some(ip("192.0.2.10")),
        scope: "source_ip".into(),
        rule: "provider rule 0".into(),
        action: "suspend".into(),
        until_ms: 1_764_000_300_000,
        ramp_until_ms: 1_764_001_200_000,
        factor: None,
        matches: 3,
        reply: "421 4.7.28 unusual rate".into(),
        domain: "gmail.com".into(),
    };
    let op = crate::storage::shaping_log::fired_op(&f, 0).unwrap();
    let event = crate::webhooks::event::derive(&op).unwrap();
    assert_eq!(event.kind, crate::webhooks::event::EventKind::Shaping);
    assert_eq!(event.domain.as_deref(), Some("gmail.com"));
    let data = event.data.unwrap();
    assert_eq!(data["site"], "gmail");
    assert_eq!(data["source_ip"], "192.0.2.10");
    assert_eq!(data["action"], "suspend");
    // Two firings of one millisecond are two records, two event ids.
    let other =
        crate::webhooks::event::derive(&crate::storage::shaping_log::fired_op(&f, 1).unwrap())
            .unwrap();
    assert_ne!(event.id, other.id);
}
