//! End-to-end: the `hikyaku` admin CLI binary against the real daemon.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{binary, Daemon, ADMIN_PASSWORD};

/// Runs `hikyaku` with the daemon's URL, `key` (if any) and an empty private config.
fn cli(d: &Daemon, key: Option<&str>, args: &[&str], stdin: Option<&str>) -> Output {
    let config = d.data.parent().unwrap().join("cli.toml");
    let mut cmd = Command::new(binary("hikyaku"));
    cmd.env_clear()
        .env("HIKYAKU_URL", d.rpc_url())
        .env("HIKYAKU_CONFIG", &config)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(k) = key {
        cmd.env("HIKYAKU_KEY", k);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn fails(o: &Output, code: i32, message: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("hikyaku: "), "{err}");
    assert!(err.contains(message), "expected {message:?} in: {err}");
}

/// The API key the daemon printed at first start.
fn printed_key(d: &Daemon) -> String {
    let out = d.stdout();
    let line = out
        .lines()
        .find(|l| l.contains("API key "))
        .expect("key printed at first start");
    line.split("API key ").nth(1).unwrap().trim().to_string()
}

fn wait_json(
    d: &Daemon,
    key: &str,
    args: &[&str],
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let v: serde_json::Value =
            serde_json::from_str(&ok(&cli(d, Some(key), args, None))).unwrap();
        if done(&v) {
            return v;
        }
        assert!(std::time::Instant::now() < deadline, "timed out: {v}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

#[test]
fn send_with_the_printed_key_then_find_the_delivery() {
    let d = Daemon::start("sandbox = true\n");
    let key = printed_key(&d);
    let out = ok(&cli(
        &d,
        Some(&key),
        &[
            "send",
            "--to",
            "a@example.com",
            "--subject",
            "Hi",
            "--text",
            "Hello",
        ],
        None,
    ));
    assert!(out.contains("a@example.com"), "{out}");
    let found = wait_json(
        &d,
        &key,
        &[
            "--json",
            "deliveries",
            "search",
            "--recipient",
            "A@example.com",
            "--status",
            "succeeded",
        ],
        |v| v["records"].as_array().is_some_and(|r| !r.is_empty()),
    );
    assert_eq!(found["records"][0]["api_user"], "default");
    // Human table output.
    let table = ok(&cli(
        &d,
        Some(&key),
        &["deliveries", "search", "--recipient", "a@example.com"],
        None,
    ));
    assert!(
        table.contains("RECIPIENT") && table.contains("succeeded"),
        "{table}"
    );
    // Bad input: a precise server error, exit 3.
    fails(
        &cli(
            &d,
            Some(&key),
            &["send", "--to", "not-an-address", "--text", "x"],
            None,
        ),
        3,
        "to[0]:",
    );
    // No server: exit 5 naming the URL.
    let dead = Command::new(binary("hikyaku"))
        .env_clear()
        .args([
            "--url",
            "http://127.0.0.1:9",
            "--key",
            &key,
            "system",
            "status",
        ])
        .output()
        .unwrap();
    fails(&dead, 5, "127.0.0.1:9");
    // Offline bounce parsing and completions need no server.
    let dsn = d.data.parent().unwrap().join("dsn.eml");
    std::fs::write(&dsn, "From: MAILER-DAEMON@x.test\r\nSubject: Undelivered Mail Returned to Sender\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x.test\r\n\r\nFinal-Recipient: rfc822; gone@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--B--\r\n").unwrap();
    let parsed = ok(&cli(
        &d,
        None,
        &["--json", "bounce", "parse", dsn.to_str().unwrap()],
        None,
    ));
    let row: serde_json::Value = serde_json::from_str(parsed.lines().next().unwrap()).unwrap();
    assert_eq!(row["recipient"], "gone@example.net");
    assert_eq!(row["status"], 2);
    assert!(ok(&cli(&d, None, &["completions", "bash"], None)).contains("hikyaku"));
}

#[test]
fn bulk_job_runs_to_completion_with_progress() {
    let d = Daemon::start("sandbox = true\n");
    let key = printed_key(&d);
    let dir = d.data.parent().unwrap();
    let template = dir.join("template.json");
    std::fs::write(
        &template,
        r#"{"from": "news@app.test", "subject": "Hi %%name%%", "text": "Dear %%name%%"}"#,
    )
    .unwrap();
    let recipients = dir.join("recipients.csv");
    let mut csv = String::from("to,name\n");
    for i in 0..250 {
        csv.push_str(&format!("user{i}@bulk.test,\"User, {i}\"\n"));
    }
    std::fs::write(&recipients, csv).unwrap();
    let out = ok(&cli(
        &d,
        Some(&key),
        &[
            "--json",
            "send",
            "bulk",
            "--template",
            template.to_str().unwrap(),
            "--recipients",
            recipients.to_str().unwrap(),
            "--wait",
        ],
        None,
    ));
    let status: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(status["state"], "done", "{out}");
    assert_eq!(status["queued"], 250);
    let rec = wait_json(
        &d,
        &key,
        &[
            "--json",
            "deliveries",
            "search",
            "--recipient",
            "user7@bulk.test",
        ],
        |v| v["records"].as_array().is_some_and(|r| !r.is_empty()),
    );
    assert_eq!(rec["records"][0]["subject"], "Hi User, 7");
    // A recipient without a value for a placeholder: nothing queued, the error names it.
    let jsonl = dir.join("recipients.jsonl");
    std::fs::write(&jsonl, "{\"to\": \"ok@bulk.test\", \"values\": {\"name\": \"A\"}}\n{\"to\": \"bad@bulk.test\", \"values\": {}}\n").unwrap();
    let o = cli(
        &d,
        Some(&key),
        &[
            "send",
            "bulk",
            "--template",
            template.to_str().unwrap(),
            "--recipients",
            jsonl.to_str().unwrap(),
            "--no-wait",
        ],
        None,
    );
    fails(
        &o,
        3,
        "recipients[1].values: no value for placeholder %%name%%",
    );
    let none = ok(&cli(
        &d,
        Some(&key),
        &[
            "--json",
            "deliveries",
            "search",
            "--recipient",
            "ok@bulk.test",
        ],
        None,
    ));
    assert!(none.contains("\"records\": []"), "nothing queued: {none}");
}

#[test]
fn roles_allow_list_and_lockout_are_enforced() {
    let d = Daemon::start("sandbox = true\n");
    // Log in as the first administrator; the session is saved in the CLI config file.
    let login = ok(&cli(
        &d,
        None,
        &["login", "--account", "admin", "--password-stdin"],
        Some(&format!("{ADMIN_PASSWORD}\n")),
    ));
    assert!(
        login.to_lowercase().contains("session") || login.contains("admin"),
        "{login}"
    );
    let who = ok(&cli(&d, None, &["--json", "whoami"], None));
    assert!(who.contains("group_admin"), "{who}");
    // A sender-only API user may send but not search.
    let created = ok(&cli(
        &d,
        None,
        &[
            "--json",
            "users",
            "add-api-user",
            "shop",
            "--no-transactional",
        ],
        None,
    ));
    let shop_key = serde_json::from_str::<serde_json::Value>(&created).unwrap()["api_key"]
        .as_str()
        .unwrap()
        .to_string();
    ok(&cli(
        &d,
        Some(&shop_key),
        &["send", "--to", "x@example.net", "--text", "hi"],
        None,
    ));
    fails(
        &cli(&d, Some(&shop_key), &["deliveries", "search"], None),
        4,
        "may not call deliveries.search",
    );
    // A report viewer may read but not apply settings.
    ok(&cli(
        &d,
        None,
        &[
            "users",
            "add-account",
            "viewer",
            "--role",
            "report-viewer",
            "--password-stdin",
        ],
        Some("viewer-password\n"),
    ));
    // Ten wrong passwords lock the account.
    for _ in 0..9 {
        fails(
            &cli(
                &d,
                None,
                &["login", "--account", "viewer", "--password-stdin"],
                Some("wrong\n"),
            ),
            4,
            "wrong account name or password",
        );
    }
    fails(
        &cli(
            &d,
            None,
            &["login", "--account", "viewer", "--password-stdin"],
            Some("wrong\n"),
        ),
        4,
        "locked",
    );
    fails(
        &cli(
            &d,
            None,
            &["login", "--account", "viewer", "--password-stdin"],
            Some("viewer-password\n"),
        ),
        4,
        "locked",
    );
    // The admin session (still saved) unlocks it.
    ok(&cli(
        &d,
        None,
        &["login", "--account", "admin", "--password-stdin"],
        Some(&format!("{ADMIN_PASSWORD}\n")),
    ));
    ok(&cli(&d, None, &["users", "unlock", "viewer"], None));
    ok(&cli(
        &d,
        None,
        &["login", "--account", "viewer", "--password-stdin"],
        Some("viewer-password\n"),
    ));
    fails(
        &cli(&d, None, &["settings", "apply"], None),
        4,
        "may not call settings.apply",
    );

    let closed = Daemon::start("sandbox = true\n[rpc]\nallowed_ips = [\"10.0.0.0/8\"]\n");
    fails(
        &cli(
            &closed,
            Some(&printed_key(&closed)),
            &["system", "status"],
            None,
        ),
        4,
        "not allowed",
    );
}

#[test]
fn settings_draft_diff_apply_rollback() {
    let d = Daemon::start("sandbox = true\n");
    ok(&cli(
        &d,
        None,
        &["login", "--account", "admin", "--password-stdin"],
        Some(&format!("{ADMIN_PASSWORD}\n")),
    ));
    let patch = d.data.parent().unwrap().join("patch.json");
    std::fs::write(&patch, r#"{"relay": {"max_recipients": 5}}"#).unwrap();
    ok(&cli(
        &d,
        None,
        &["settings", "set", patch.to_str().unwrap(), "--merge"],
        None,
    ));
    let diff = ok(&cli(&d, None, &["settings", "diff"], None));
    assert!(diff.contains("relay.max_recipients"), "{diff}");
    let applied = ok(&cli(&d, None, &["--json", "settings", "apply"], None));
    assert!(
        applied.contains("\"version\": 1") || applied.contains("\"version\":1"),
        "{applied}"
    );
    let now = ok(&cli(&d, None, &["--json", "settings", "get"], None));
    assert!(now.contains("\"max_recipients\": 5"), "{now}");
    ok(&cli(&d, None, &["settings", "rollback"], None));
    let back = ok(&cli(&d, None, &["--json", "settings", "get"], None));
    assert!(back.contains("\"max_recipients\": 1000"), "{back}");
    // An invalid draft names its key and is refused at apply.
    std::fs::write(&patch, r#"{"relay": {"max_recipients": 0}}"#).unwrap();
    let o = cli(
        &d,
        None,
        &["settings", "set", patch.to_str().unwrap(), "--merge"],
        None,
    );
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(all.contains("relay.max_recipients"), "{all}");
    fails(
        &cli(&d, None, &["settings", "apply"], None),
        3,
        "relay.max_recipients",
    );
}
