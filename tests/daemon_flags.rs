//! End-to-end: what a new operator meets first on the daemon's command line — `--smart-host`,
//! and a diagnostic log that is plain text (no colour codes) when it is not a terminal, or JSON
//! lines with `--log-format json`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use hikyaku_e2e::{envelope_sink, wait_for, Daemon, Raw};

fn send_one(d: &Daemon, rcpt: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@e2e.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{rcpt}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    let r = c.cmd("Subject: flags\r\n\r\nhello\r\n.");
    assert!(r.starts_with("250"), "{r}");
    c.cmd("QUIT");
}

#[test]
fn smart_host_flag_sends_everything_to_the_relay() {
    let (sink, seen) = envelope_sink();
    let addr = sink.to_string();
    // No transport and no MX for these domains: only the flag can route them to the sink.
    let d = Daemon::start_with_args("sandbox = false", &["--smart-host", &addr]);
    send_one(&d, "someone@smart-host-one.invalid");
    send_one(&d, "other@smart-host-two.invalid");
    wait_for("two transactions at the smart host", || {
        (seen.lock().unwrap().len() >= 2).then_some(())
    });
    let senders: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|(_, f)| f.clone())
        .collect();
    assert!(senders.iter().all(|f| f == "app@e2e.test"), "{senders:?}");
}

#[test]
fn smart_host_flag_is_validated() {
    let d = Daemon::start("");
    let out = d.command(&["--smart-host", "no-port-here", "config", "check"], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("smart_host"), "{err}");
}

#[test]
fn text_log_has_no_colour_codes_when_not_a_terminal() {
    let d = Daemon::start("");
    send_one(&d, "someone@example.com");
    let log = d.log();
    assert!(log.contains("starting hikyakud"), "{log}");
    assert!(!log.contains('\u{1b}'), "ANSI escape in a log file:\n{log}");
}

#[test]
fn json_log_is_one_object_per_line() {
    let d = Daemon::start_with_args("", &["--log-format", "json"]);
    send_one(&d, "someone@example.com");
    let log = d.log();
    let mut seen_start = false;
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {line:?}\nwhole log:\n{log}"));
        assert!(v["level"].is_string(), "{line}");
        assert!(v["timestamp"].is_string(), "{line}");
        if v["message"] == "starting hikyakud" {
            seen_start = true;
            assert_eq!(v["sandbox"], false, "{line}");
        }
    }
    assert!(seen_start, "{log}");
}
