//! Tuning for a dedicated relay: measure the machine ([`probe`]), then derive a configuration
//! and OS settings from the measurements for a goal ([`profile`]). `hikyakud tune probe` and
//! `hikyakud tune config --profile …` are the commands; `tuning/sweep.sh` measures what the
//! knobs actually change, end to end.

pub mod probe;
pub mod profile;

pub use probe::Probe;
pub use profile::Profile;

/// The probe as a table, each figure with what it means for hikyaku.
pub fn render(p: &Probe) -> String {
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut row = |what: &str, value: String, meaning: String| {
        rows.push((what.to_string(), value, meaning));
    };
    row(
        "CPUs",
        p.cpus.to_string(),
        format!(
            "one shard per CPU (shards = 0 → {}); each owns its connections and queues",
            p.cpus
        ),
    );
    row(
        "NUMA nodes",
        p.numa_nodes.to_string(),
        if p.numa_nodes > 1 {
            "several nodes: keep shards = CPUs so each shard's memory stays local".into()
        } else {
            "one node: no placement concerns".into()
        },
    );
    row(
        "memory",
        format!(
            "{} MiB ({} MiB available)",
            p.mem_total_mb, p.mem_available_mb
        ),
        format!(
            "≈ 608 B per queued recipient (bench/RESULTS.md): room for ~{} M queued at half of it",
            p.mem_total_mb / 2 * 1024 * 1024 / 608 / 1_000_000
        ),
    );
    row(
        "kernel",
        p.kernel.clone(),
        "io_uring needs 5.8+; 5.12+ charges its memory to the cgroup instead of RLIMIT_MEMLOCK"
            .into(),
    );
    row(
        "io_uring",
        match &p.io_uring {
            Ok(()) => "works".into(),
            Err(e) => format!("FAILS: {e}"),
        },
        match &p.io_uring {
            Ok(()) => "glommio executors start here".into(),
            Err(_) => "hikyakud cannot run: raise LimitMEMLOCK or enable io_uring (kernel.io_uring_disabled)".into(),
        },
    );
    row(
        "locked memory",
        p.memlock_bytes
            .map_or("unlimited".into(), |b| format!("{} KiB", b / 1024)),
        "io_uring buffers (10 MiB per shard) count here on kernels before 5.12; tuning/limits.conf raises it".into(),
    );
    row(
        "open files",
        p.nofile.map_or("unlimited".into(), |n| n.to_string()),
        format!(
            "one per SMTP session and outbound connection plus RocksDB's files: about {} sessions at most",
            p.nofile.map_or(u64::MAX, |n| n.saturating_sub(1000) / 2)
        ),
    );
    let ports = u32::from(p.port_range.1).saturating_sub(u32::from(p.port_range.0)) + 1;
    row(
        "ephemeral ports",
        format!("{}-{}", p.port_range.0, p.port_range.1),
        format!("{ports} outbound connections at once to one destination address and port"),
    );
    for s in &p.sync {
        row(
            &format!("fdatasync × {}", s.writers),
            format!(
                "{:.0}/s, p50 {} µs, p99 {} µs",
                s.syncs_per_sec, s.p50_us, s.p99_us
            ),
            if s.writers == 1 {
                format!(
                    "every 250 waits for one sync: ≥ {} µs per acknowledged message when idle",
                    s.p50_us
                )
            } else {
                format!(
                    "{} concurrent syncs; group commit sends one per group instead, so intake is bounded by the group size × this rate",
                    s.writers
                )
            },
        );
    }
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (a, b, c) in rows {
        out.push_str(&format!(
            "{a}{}  {b}{}  {c}\n",
            " ".repeat(w0 - a.chars().count()),
            " ".repeat(w1 - b.chars().count())
        ));
    }
    out
}
