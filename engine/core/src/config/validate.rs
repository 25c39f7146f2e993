//! Range checks for every configuration value, collected so all problems are reported together.

use super::Config;
use crate::access::AllowList;

/// Every problem in `config`, each naming its key.
pub(super) fn problems(config: &Config) -> Vec<String> {
    let mut out = Vec::new();
    let mut check = |ok: bool, key: &str, msg: String| {
        if !ok {
            out.push(format!("{key}: {msg}"));
        }
    };
    let r = &config.relay;
    check(
        config.shards <= 255,
        "shards",
        format!("must be 0 (one per CPU) to 255, got {}", config.shards),
    );
    check(
        r.max_connections >= 1,
        "relay.max_connections",
        format!("must be at least 1, got {}", r.max_connections),
    );
    check(
        r.reception_interval_ms <= 60_000,
        "relay.reception_interval_ms",
        format!("must be 0 to 60000, got {}", r.reception_interval_ms),
    );
    check(
        (1..=1024 * 1024).contains(&r.max_message_size_kb),
        "relay.max_message_size_kb",
        format!("must be 1 to 1048576, got {}", r.max_message_size_kb),
    );
    check(
        (1..=100_000).contains(&r.max_recipients),
        "relay.max_recipients",
        format!("must be 1 to 100000, got {}", r.max_recipients),
    );
    check(
        r.tls_cert.is_some() == r.tls_key.is_some(),
        "relay.tls_cert",
        "tls_cert and tls_key must be set together".to_string(),
    );
    for (name, secs) in [
        ("command_secs", r.timeouts.command_secs),
        ("data_block_secs", r.timeouts.data_block_secs),
        ("data_end_secs", r.timeouts.data_end_secs),
    ] {
        check(
            (1..=3600).contains(&secs),
            &format!("relay.timeouts.{name}"),
            format!("must be 1 to 3600, got {secs}"),
        );
    }
    let relay_allow = AllowList::parse(&r.allowed_ips).err();
    check(
        relay_allow.is_none(),
        "relay.allowed_ips",
        relay_allow.map(|e| e.to_string()).unwrap_or_default(),
    );
    let sandbox = crate::delivery::SandboxSink::with_overrides(&config.sandbox_replies).err();
    check(
        sandbox.is_none(),
        "sandbox_replies",
        sandbox.map(|e| e.to_string()).unwrap_or_default(),
    );
    let rc = &config.receive;
    check(
        (1..=100).contains(&rc.max_connections),
        "receive.max_connections",
        format!("must be 1 to 100, got {}", rc.max_connections),
    );
    check(
        (10..=10_000).contains(&rc.reception_interval_ms),
        "receive.reception_interval_ms",
        format!("must be 10 to 10000, got {}", rc.reception_interval_ms),
    );
    check(
        (1..=1024 * 1024).contains(&rc.max_message_size_kb),
        "receive.max_message_size_kb",
        format!("must be 1 to 1048576, got {}", rc.max_message_size_kb),
    );
    let b = &config.bounce;
    check(
        b.block_after >= 1,
        "bounce.block_after",
        format!("must be at least 1, got {}", b.block_after),
    );
    check(
        b.block_statuses
            .iter()
            .all(|s| (1..=11).contains(s) || *s == 99),
        "bounce.block_statuses",
        format!("error statuses are 1-11 and 99, got {:?}", b.block_statuses),
    );
    for d in b.bounce_domains().iter().chain(&rc.inbound_domains) {
        check(
            hikyaku_smtp::parse_address(&format!("x@{d}"), true).is_ok(),
            "bounce.return_path_domain",
            format!("{d:?} is not a domain"),
        );
    }
    let rules = if b.extra_rules.trim().is_empty() {
        None
    } else {
        hikyaku_bounce::Classifier::with_extra_rules(&b.extra_rules).err()
    };
    check(
        rules.is_none(),
        "bounce.extra_rules",
        rules.map(|e| e.to_string()).unwrap_or_default(),
    );
    let rpc = &config.rpc;
    let rpc_allow = AllowList::parse(&rpc.allowed_ips).err();
    check(
        rpc_allow.is_none(),
        "rpc.allowed_ips",
        rpc_allow.map(|e| e.to_string()).unwrap_or_default(),
    );
    check(
        rpc.tls_cert.is_some() == rpc.tls_key.is_some(),
        "rpc.tls_cert",
        "tls_cert and tls_key must be set together".to_string(),
    );
    check(
        (16..=1024 * 1024).contains(&rpc.max_request_kb),
        "rpc.max_request_kb",
        format!("must be 16 to 1048576, got {}", rpc.max_request_kb),
    );
    check(
        rpc.max_connections >= 1,
        "rpc.max_connections",
        format!("must be at least 1, got {}", rpc.max_connections),
    );
    check(
        rpc.rate_limit_per_sec >= 1,
        "rpc.rate_limit_per_sec",
        format!("must be at least 1, got {}", rpc.rate_limit_per_sec),
    );
    check(
        (1..=24 * 30).contains(&rpc.session_hours),
        "rpc.session_hours",
        format!("must be 1 to 720, got {}", rpc.session_hours),
    );
    check(
        (2..=100_000).contains(&rpc.max_users),
        "rpc.max_users",
        format!("must be 2 to 100000, got {}", rpc.max_users),
    );
    let s = &config.storage;
    if s.max_commit_batch == 0 {
        out.push("storage.max_commit_batch: must be at least 1, got 0".to_string());
    }
    if s.commit_queue_depth == 0 {
        out.push("storage.commit_queue_depth: must be at least 1, got 0".to_string());
    }
    if !(16..=65_536).contains(&s.memtable_budget_mb) {
        out.push(format!(
            "storage.memtable_budget_mb: must be 16 to 65536, got {}",
            s.memtable_budget_mb
        ));
    }
    if s.max_commit_bytes < 1 << 20 {
        out.push(format!(
            "storage.max_commit_bytes: must be at least 1048576, got {}",
            s.max_commit_bytes
        ));
    }
    out.extend(config.delivery.problems());
    out.extend(config.webhooks.problems());
    out.extend(config.console.problems());
    out.extend(config.accounts.problems());
    out.extend(super::spf_dmarc::problems(config));
    if let Err(problems) = crate::policy::Policy::compile(&config.policy) {
        out.extend(problems);
    }
    if let Err(problems) = crate::shaping::compile(&config.shaping) {
        out.extend(problems);
    }
    let base = config.unsubscribe.base_url.trim();
    if !base.is_empty() && !base.starts_with("https://") {
        out.push(format!(
            "unsubscribe.base_url: must be an https:// URL (RFC 8058), got {base:?}"
        ));
    }
    if config.hostname.contains(char::is_whitespace) {
        out.push(format!(
            "hostname: must not contain spaces, got {:?}",
            config.hostname
        ));
    }
    out
}
