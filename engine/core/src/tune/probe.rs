//! `hikyakud tune probe`: what this machine offers hikyaku, measured.
//!
//! Everything comes from the kernel's own files (`/proc`, `/sys`) and from short measurements
//! on the data directory's file system: fdatasync latency and rate with 1, 4 and 16 writers
//! (the cost of every `250`, and how far group commit can go), and whether an io_uring
//! executor starts (the caller passes that check in; it lives in `runtime/`, the only place
//! that imports glommio). The parsers are pure and tested on captured text.

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::Serialize;

/// fdatasync figures for one number of concurrent writers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncFigures {
    /// Writers, each on its own file.
    pub writers: usize,
    /// Completed write + fdatasync pairs per second, all writers together.
    pub syncs_per_sec: f64,
    /// Median latency of one pair, µs.
    pub p50_us: u64,
    /// 99th percentile, µs.
    pub p99_us: u64,
}

/// What the probe found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe {
    /// Online CPUs.
    pub cpus: usize,
    /// NUMA nodes (1 when the kernel shows none).
    pub numa_nodes: usize,
    /// Total memory, MiB.
    pub mem_total_mb: u64,
    /// Memory available now, MiB.
    pub mem_available_mb: u64,
    /// Kernel release.
    pub kernel: String,
    /// `Ok` when an io_uring executor started; else why not.
    pub io_uring: Result<(), String>,
    /// Soft RLIMIT_MEMLOCK in bytes (`None` = unlimited).
    pub memlock_bytes: Option<u64>,
    /// Soft RLIMIT_NOFILE (`None` = unlimited).
    pub nofile: Option<u64>,
    /// Ephemeral port range.
    pub port_range: (u16, u16),
    /// fdatasync on the data directory's file system.
    pub sync: Vec<SyncFigures>,
}

/// The soft limit of `name` (e.g. "Max open files") in `/proc/self/limits` text.
pub fn soft_limit(limits: &str, name: &str) -> Option<Option<u64>> {
    let line = limits.lines().find(|l| l.starts_with(name))?;
    let soft = line[name.len()..].split_whitespace().next()?;
    Some(if soft == "unlimited" {
        None
    } else {
        Some(soft.parse().ok()?)
    })
}

/// A `/proc/meminfo` field in MiB.
pub fn meminfo_mb(meminfo: &str, field: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line[field.len()..]
        .trim_start_matches(':')
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(kb / 1024)
}

/// `ip_local_port_range` text.
pub fn port_range(text: &str) -> Option<(u16, u16)> {
    let mut it = text.split_whitespace().map(|p| p.parse().ok());
    Some((it.next()??, it.next()??))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

fn numa_nodes() -> usize {
    std::fs::read_dir("/sys/devices/system/node")
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    let n = e.file_name();
                    let n = n.to_string_lossy();
                    n.starts_with("node") && n[4..].chars().all(|c| c.is_ascii_digit())
                })
                .count()
        })
        .unwrap_or(0)
        .max(1)
}

/// Writes 4 KiB and fdatasyncs it, over and over for `time`, with `writers` threads on files
/// of their own in `dir`.
pub fn measure_sync(dir: &Path, writers: usize, time: Duration) -> std::io::Result<SyncFigures> {
    let start = Instant::now();
    let results: Vec<std::io::Result<Vec<u64>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..writers)
            .map(|i| {
                s.spawn(move || -> std::io::Result<Vec<u64>> {
                    let path = dir.join(format!(".hikyaku-probe-{i}"));
                    let mut f = OpenOptions::new()
                        .create(true)
                        .truncate(true)
                        .write(true)
                        .open(&path)?;
                    let block = [0x5au8; 4096];
                    let mut lat = Vec::new();
                    while start.elapsed() < time {
                        let t = Instant::now();
                        f.write_all(&block)?;
                        f.sync_data()?;
                        lat.push(u64::try_from(t.elapsed().as_micros()).unwrap_or(u64::MAX));
                    }
                    drop(f);
                    std::fs::remove_file(&path)?;
                    Ok(lat)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("probe thread panicked")))
            })
            .collect()
    });
    let elapsed = start.elapsed().as_secs_f64();
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    all.sort_unstable();
    let pct = |p: f64| {
        all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    Ok(SyncFigures {
        writers,
        syncs_per_sec: all.len() as f64 / elapsed.max(1e-9),
        p50_us: pct(0.50),
        p99_us: pct(0.99),
    })
}

/// Runs the probe; `io_uring` is the runtime's check, `data_dir` where the spool lives.
pub fn run(data_dir: &Path, io_uring: Result<(), String>) -> std::io::Result<Probe> {
    std::fs::create_dir_all(data_dir)?;
    let limits = read("/proc/self/limits");
    let meminfo = read("/proc/meminfo");
    let mut sync = Vec::new();
    for writers in [1, 4, 16] {
        sync.push(measure_sync(data_dir, writers, Duration::from_millis(700))?);
    }
    Ok(Probe {
        cpus: std::thread::available_parallelism().map_or(1, usize::from),
        numa_nodes: numa_nodes(),
        mem_total_mb: meminfo_mb(&meminfo, "MemTotal").unwrap_or(0),
        mem_available_mb: meminfo_mb(&meminfo, "MemAvailable").unwrap_or(0),
        kernel: read("/proc/sys/kernel/osrelease").trim().to_string(),
        io_uring,
        memlock_bytes: soft_limit(&limits, "Max locked memory").flatten(),
        nofile: soft_limit(&limits, "Max open files").flatten(),
        port_range: port_range(&read("/proc/sys/net/ipv4/ip_local_port_range"))
            .unwrap_or((32768, 60999)),
        sync,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: &str =
        "Limit                     Soft Limit           Hard Limit           Units     \n\
Max open files            20000                20000                files     \n\
Max locked memory         8388608              8388608              bytes     \n\
Max cpu time              unlimited            unlimited            seconds   \n";

    #[test]
    fn proc_files_parse() {
        assert_eq!(soft_limit(LIMITS, "Max open files"), Some(Some(20000)));
        assert_eq!(
            soft_limit(LIMITS, "Max locked memory"),
            Some(Some(8_388_608))
        );
        assert_eq!(soft_limit(LIMITS, "Max cpu time"), Some(None));
        assert_eq!(soft_limit(LIMITS, "Max nothing"), None);
        let mem =
            "MemTotal:       24604892 kB\nMemFree:         1000 kB\nMemAvailable:   20480000 kB\n";
        assert_eq!(meminfo_mb(mem, "MemTotal"), Some(24028));
        assert_eq!(meminfo_mb(mem, "MemAvailable"), Some(20000));
        assert_eq!(port_range("32768\t60999\n"), Some((32768, 60999)));
        assert_eq!(port_range("x"), None);
    }

    #[test]
    fn fdatasync_is_measured_on_the_given_directory() {
        let dir = tempfile::tempdir().unwrap();
        let f = measure_sync(dir.path(), 2, Duration::from_millis(50)).unwrap();
        assert_eq!(f.writers, 2);
        assert!(
            f.syncs_per_sec > 0.0 && f.p50_us > 0 && f.p99_us >= f.p50_us,
            "{f:?}"
        );
        // The probe cleans up after itself.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
