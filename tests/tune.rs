//! End-to-end: `hikyakud tune probe` measures this machine and `tune config` writes files that
//! the daemon itself accepts (`config check` validates the generated configuration).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

use hikyaku_e2e::binary;

fn run(args: &[&str]) -> String {
    let out = Command::new(binary("hikyakud"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn probe_reports_the_machine_and_profiles_validate() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&run(&["--data-dir", data, "tune", "probe", "--json"])).unwrap();
    assert!(json["cpus"].as_u64().unwrap() >= 1);
    assert!(json["mem_total_mb"].as_u64().unwrap() > 0);
    assert_eq!(json["io_uring"], "works", "{json}");
    let sync = json["sync"].as_array().unwrap();
    let writers: Vec<u64> = sync
        .iter()
        .map(|s| s["writers"].as_u64().unwrap())
        .collect();
    assert_eq!(writers, [1, 4, 16]);
    assert!(sync
        .iter()
        .all(|s| s["syncs_per_sec"].as_f64().unwrap() > 0.0));
    // Nothing left behind on the data directory.
    assert_eq!(std::fs::read_dir(data).unwrap().count(), 0);
    let table = run(&["--data-dir", data, "tune", "probe"]);
    assert!(
        table.contains("fdatasync × 16") && table.contains("io_uring"),
        "{table}"
    );

    for profile in ["throughput", "latency", "small-memory"] {
        let out = dir.path().join(profile);
        let out = out.to_str().unwrap();
        run(&[
            "--data-dir",
            data,
            "tune",
            "config",
            "--profile",
            profile,
            "--out",
            out,
        ]);
        let config = format!("{out}/hikyaku-{profile}.toml");
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(text.contains(&format!("profile \"{profile}\"")), "{text}");
        // The daemon accepts what the tool wrote.
        let checked = run(&["--config", &config, "config", "check"]);
        assert!(checked.contains("max_commit_batch"), "{checked}");
        for f in ["sysctl-hikyaku.conf", "limits-hikyaku.conf"] {
            assert!(std::path::Path::new(&format!("{out}/{f}")).exists());
        }
    }
}
