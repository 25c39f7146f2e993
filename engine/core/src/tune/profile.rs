//! Configurations derived from a probe for one goal, every value with the reason for it.
//! Pure: the same probe gives the same files, and tests check the rules directly.

use super::Probe;

/// What to optimise for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Profile {
    /// Most messages per second: big commit groups, big memtables, many connections.
    Throughput,
    /// Shortest time from DATA to `250` and to delivery: small commit groups.
    Latency,
    /// A small VM or a shared host: small caches and memtables, fewer shards.
    SmallMemory,
}

/// The values a profile sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Values {
    /// `shards`.
    pub shards: usize,
    /// `storage.max_commit_batch`.
    pub max_commit_batch: usize,
    /// `storage.memtable_budget_mb`.
    pub memtable_budget_mb: u64,
    /// `storage.block_cache_mb`.
    pub block_cache_mb: u64,
    /// `relay.max_connections`.
    pub relay_max_connections: u64,
    /// `delivery.max_connections_per_host`.
    pub max_connections_per_host: u64,
}

/// The values for `profile` on the probed machine.
pub fn values(p: &Probe, profile: Profile) -> Values {
    let mem = p.mem_total_mb.max(256);
    // Descriptors: keep 1000 for RocksDB and the rest, split between sessions in and out.
    let fd_budget = p.nofile.unwrap_or(1 << 20).saturating_sub(1000) / 2;
    match profile {
        Profile::Throughput => Values {
            shards: p.cpus,
            max_commit_batch: 1024,
            memtable_budget_mb: (mem / 16).clamp(64, 2048),
            block_cache_mb: (mem / 32).clamp(32, 2048),
            relay_max_connections: fd_budget.clamp(100, 10_000),
            max_connections_per_host: 50,
        },
        Profile::Latency => Values {
            shards: p.cpus,
            max_commit_batch: 64,
            memtable_budget_mb: (mem / 32).clamp(64, 1024),
            block_cache_mb: (mem / 32).clamp(32, 1024),
            relay_max_connections: fd_budget.clamp(100, 2000),
            max_connections_per_host: 20,
        },
        Profile::SmallMemory => Values {
            shards: (p.cpus / 2).max(1),
            max_commit_batch: 256,
            memtable_budget_mb: 32,
            block_cache_mb: 16,
            relay_max_connections: fd_budget.clamp(50, 500),
            max_connections_per_host: 10,
        },
    }
}

/// The commented configuration file for `profile` (to merge into the operator's own).
pub fn config_toml(p: &Probe, profile: Profile) -> String {
    let v = values(p, profile);
    let sync1 = p.sync.iter().find(|s| s.writers == 1);
    let name = match profile {
        Profile::Throughput => "throughput",
        Profile::Latency => "latency",
        Profile::SmallMemory => "small-memory",
    };
    let why_batch = match profile {
        Profile::Throughput => {
            "up to 1024 messages share one fsync under load; idle, a message still pays one"
        }
        Profile::Latency => {
            "small groups: a message waits behind at most 64 others' writes before its fsync"
        }
        Profile::SmallMemory => "256 messages per group bounds the writer's batch memory",
    };
    format!(
        "# hikyaku configuration, profile \"{name}\", derived by `hikyakud tune config` from this machine:\n\
# {cpus} CPUs, {mem} MiB, open files {nofile}, fdatasync p50 {p50} µs at one writer.\n\
# Merge into /etc/hikyaku/hikyaku.toml; every value says why it was chosen.\n\
\n\
# One shard per CPU{shards_why}.\n\
shards = {shards}\n\
\n\
[relay]\n\
# Descriptors: {nofile} open files, 1000 kept for RocksDB, the rest split between inbound\n\
# sessions and outbound connections.\n\
max_connections = {relay}\n\
\n\
[storage]\n\
# {why_batch}.\n\
max_commit_batch = {batch}\n\
# All memtables together: a 1/{mt_div} share of {mem} MiB absorbs intake bursts before flushes.\n\
memtable_budget_mb = {mt}\n\
# Block cache for queue entries, metadata and log indexes read back.\n\
block_cache_mb = {bc}\n\
\n\
[delivery]\n\
# Connections to one destination host across all its domains (big providers throttle more).\n\
max_connections_per_host = {per_host}\n",
        cpus = p.cpus,
        mem = p.mem_total_mb,
        nofile = p.nofile.map_or("unlimited".into(), |n| n.to_string()),
        p50 = sync1.map_or(0, |s| s.p50_us),
        shards_why = if v.shards == p.cpus {
            String::new()
        } else {
            format!(", halved to {} to leave CPUs to the rest of the machine", v.shards)
        },
        shards = v.shards,
        relay = v.relay_max_connections,
        batch = v.max_commit_batch,
        mt_div = if profile == Profile::SmallMemory { "fixed 32 MiB, not a".into() } else { (p.mem_total_mb.max(1) / v.memtable_budget_mb.max(1)).to_string() },
        mt = v.memtable_budget_mb,
        bc = v.block_cache_mb,
        per_host = v.max_connections_per_host,
    )
}

/// sysctl settings for the relay (`/etc/sysctl.d/60-hikyaku.conf`).
pub fn sysctl(p: &Probe, profile: Profile) -> String {
    let v = values(p, profile);
    let backlog = (v.relay_max_connections * 2).clamp(1024, 65_535);
    format!(
        "# Derived by `hikyakud tune config`; install in /etc/sysctl.d/60-hikyaku.conf, then sysctl --system.\n\
# Accept queue for bursts of new SMTP sessions (2 × relay.max_connections).\n\
net.core.somaxconn = {backlog}\n\
net.ipv4.tcp_max_syn_backlog = {backlog}\n\
# More ephemeral ports for outbound connections (now {lo}-{hi}).\n\
net.ipv4.ip_local_port_range = 10240 65535\n\
# Reuse TIME_WAIT sockets for new outbound connections to the same destination.\n\
net.ipv4.tcp_tw_reuse = 1\n\
net.ipv4.tcp_fin_timeout = 15\n\
fs.file-max = 2097152\n",
        lo = p.port_range.0,
        hi = p.port_range.1,
    )
}

/// Limits for the service user (`/etc/security/limits.d/hikyaku.conf`; the systemd unit sets
/// the same with `LimitNOFILE`/`LimitMEMLOCK`).
pub fn limits() -> String {
    "# Derived by `hikyakud tune config`; for a hikyakud started outside systemd.\n\
hikyaku soft nofile 1048576\n\
hikyaku hard nofile 1048576\n\
hikyaku soft memlock unlimited\n\
hikyaku hard memlock unlimited\n"
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tune::probe::SyncFigures;

    fn probe(cpus: usize, mem: u64, nofile: Option<u64>) -> Probe {
        Probe {
            cpus,
            numa_nodes: 1,
            mem_total_mb: mem,
            mem_available_mb: mem / 2,
            kernel: "6.18.0".into(),
            io_uring: Ok(()),
            memlock_bytes: Some(8 << 20),
            nofile,
            port_range: (32768, 60999),
            sync: vec![SyncFigures {
                writers: 1,
                syncs_per_sec: 8000.0,
                p50_us: 110,
                p99_us: 300,
            }],
        }
    }

    #[test]
    fn profiles_follow_the_machine() {
        let big = probe(16, 65536, Some(1_048_576));
        let t = values(&big, Profile::Throughput);
        assert_eq!((t.shards, t.max_commit_batch), (16, 1024));
        assert_eq!((t.memtable_budget_mb, t.block_cache_mb), (2048, 2048));
        assert_eq!(t.relay_max_connections, 10_000);
        let l = values(&big, Profile::Latency);
        assert!(l.max_commit_batch < t.max_commit_batch);
        let small = probe(2, 1024, Some(1024));
        let s = values(&small, Profile::SmallMemory);
        assert_eq!(
            (s.shards, s.memtable_budget_mb, s.block_cache_mb),
            (1, 32, 16)
        );
        assert_eq!(s.relay_max_connections, 50);
        // This machine: 2 CPUs, 24 GiB, 20000 files.
        let here = values(&probe(2, 24028, Some(20000)), Profile::Throughput);
        assert_eq!((here.shards, here.memtable_budget_mb), (2, 1501));
        assert_eq!(here.relay_max_connections, 9500);
    }

    #[test]
    fn the_files_parse_and_explain_themselves() {
        let p = probe(2, 24028, Some(20000));
        for profile in [Profile::Throughput, Profile::Latency, Profile::SmallMemory] {
            let text = config_toml(&p, profile);
            let parsed: crate::config::Config = toml::from_str(&text).unwrap();
            assert_eq!(parsed.shards, values(&p, profile).shards);
            assert!(parsed.validate().is_ok(), "{text}");
            // A comment above every value.
            let lines: Vec<&str> = text.lines().collect();
            for (i, l) in lines.iter().enumerate() {
                if l.contains(" = ") && !l.starts_with('#') {
                    assert!(lines[i - 1].starts_with('#'), "no reason above {l:?}");
                }
            }
        }
        assert!(sysctl(&p, Profile::Throughput).contains("net.core.somaxconn = 19000"));
        assert!(limits().contains("memlock unlimited"));
    }
}
