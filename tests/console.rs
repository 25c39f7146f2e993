//! End-to-end web console in a real browser: the daemon runs in sandbox mode, mail goes in
//! over SMTP (successes and failures), and headless Chromium logs in, reads the dashboard's
//! graphs, searches and downloads the delivery log, reads the error log, the lists and the
//! settings, is refused without the CSRF token, logs out, and is logged out when idle.
//! Screenshots go to the test's output directory (`HIKYAKU_SCREENSHOTS` overrides it: the
//! pictures in docs/operations.md are made with `HIKYAKU_SCREENSHOTS=docs/images`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use hikyaku_e2e::browser::Browser;
use hikyaku_e2e::{wait_for, Daemon, Raw, ADMIN_PASSWORD};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockChange, ListName};
use hikyaku_rpc::types::stats::{GraphBucket, GraphKind, GraphQuery};
use serde_json::json;

fn send(d: &Daemon, to: &str, subject: &str) {
    let mut c = Raw::hello(d.relay);
    assert!(c.cmd("MAIL FROM:<app@shop.test>").starts_with("250"));
    assert!(c.cmd(&format!("RCPT TO:<{to}>")).starts_with("250"));
    assert!(c.cmd("DATA").starts_with("354"));
    assert!(c
        .cmd(&format!("Subject: {subject}\r\n\r\nbody\r\n."))
        .starts_with("250"));
    c.cmd("QUIT");
}

fn shots() -> PathBuf {
    std::env::var_os("HIKYAKU_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("console-screenshots"))
}

fn text(b: &mut Browser, selector: &str) -> String {
    b.eval(&format!(
        "(document.querySelector({selector:?}) || {{innerText: ''}}).innerText"
    ))
    .as_str()
    .unwrap_or("")
    .to_string()
}

fn login(b: &mut Browser, base: &str, password: &str) {
    login_as(b, base, "admin", password, "");
}

fn login_as(b: &mut Browser, base: &str, account: &str, password: &str, totp: &str) {
    b.goto(&format!("{base}/"));
    assert!(b.eval("!!document.querySelector('form#login')") == json!(true));
    b.act(&format!(
        "document.querySelector('input[name=account]').value = {account:?};
         document.querySelector('input[name=password]').value = {password:?};
         document.querySelector('input[name=totp]').value = {totp:?};
         document.querySelector('form#login').submit()"
    ));
}

fn session_cookie(b: &mut Browser) -> Option<serde_json::Value> {
    b.cookies()
        .into_iter()
        .find(|c| c["name"] == "__Host-hikyaku-session")
}

#[test]
fn console_in_a_real_browser() {
    let d = Daemon::start("sandbox = true\n[console]\nidle_timeout_secs = 10\n");
    let base = format!("https://{}", d.console);
    let token = d.login("admin", ADMIN_PASSWORD);
    let t = Some(token.as_str());
    for i in 0..5 {
        send(&d, &format!("ok{i}@a.test"), "Order confirmation");
    }
    send(&d, "ok@b.test", "Welcome");
    send(&d, "user-unknown@b.test", "Welcome");
    send(&d, "mailbox-full@c.test", "Newsletter");
    let graph_query = |kind| GraphQuery {
        kind,
        from: None,
        to: None,
        bucket: GraphBucket::Hour,
        time_zone: None,
        domain: None,
        api_user: None,
        top: None,
    };
    // 8 queued + 6 succeeded + 2 failed.
    wait_for("every outcome counted", || {
        let g = d
            .call(t, m::STATS_GRAPH, &graph_query(GraphKind::Delivery))
            .unwrap();
        (g.total == 16).then_some(())
    });
    let errors = d
        .call(t, m::STATS_GRAPH, &graph_query(GraphKind::Error))
        .unwrap();
    let error_labels: Vec<String> = errors
        .slices
        .iter()
        .filter_map(|s| s.label.clone())
        .collect();
    assert_eq!(error_labels.len(), 2, "{errors:?}");
    d.call(
        t,
        m::BLOCKS_ADD,
        &BlockChange {
            list: ListName::Block,
            addresses: vec!["blocked-person@d.test".into()],
            reason: Some("console test".into()),
        },
    )
    .unwrap();
    let dir = shots();
    let mut b = Browser::launch(1400, 1000);

    // A wrong password: refused, with the reason on the page.
    login(&mut b, &base, "not the password");
    assert!(b.location().ends_with("/login"), "{}", b.location());
    assert!(
        text(&mut b, "[role=alert]").contains("password"),
        "{}",
        text(&mut b, "body")
    );

    // The login form, then the dashboard.
    b.goto(&format!("{base}/"));
    b.screenshot(&dir.join("console-login.png"));
    login(&mut b, &base, ADMIN_PASSWORD);
    assert!(b.location().ends_with("/dashboard"), "{}", b.location());
    let cookie = session_cookie(&mut b).expect("session cookie");
    assert_eq!(cookie["secure"], json!(true), "{cookie}");
    assert_eq!(cookie["httpOnly"], json!(true), "{cookie}");
    assert_eq!(cookie["sameSite"], json!("Strict"), "{cookie}");
    assert_eq!(
        b.eval("document.cookie"),
        json!(""),
        "no script may read the session"
    );
    assert_eq!(text(&mut b, "#account"), "admin");
    for chart in [
        "#delivery-graph svg",
        "#error-graph svg",
        "#domain-graph svg",
    ] {
        assert_eq!(
            b.eval(&format!("!!document.querySelector({chart:?})")),
            json!(true),
            "{chart} missing: {}",
            text(&mut b, "main")
        );
    }
    let error_chart = b
        .eval("document.querySelector('#error-graph svg').textContent")
        .as_str()
        .unwrap()
        .to_string();
    for label in &error_labels {
        assert!(
            error_chart.contains(label.as_str()),
            "{label} not in {error_chart}"
        );
    }
    let domain_chart = text(&mut b, "#domain-graph");
    let domain_svg = b
        .eval("document.querySelector('#domain-graph svg').textContent")
        .as_str()
        .unwrap()
        .to_string();
    assert!(domain_svg.contains("a.test"), "{domain_chart} {domain_svg}");
    assert!(text(&mut b, "#queue-depth").contains("Queued now"));
    b.screenshot(&dir.join("console-dashboard.png"));

    // The 7-day view through its tab (a link carrying the CSRF token).
    b.act("document.querySelector('#ranges a[href*=\"range=7d\"]').click()");
    assert!(b.location().contains("range=7d"), "{}", b.location());
    assert_eq!(text(&mut b, "#ranges a.on"), "Last 7 days");

    // Delivery-log search by recipient and status.
    b.goto(&format!("{base}/deliveries"));
    b.act(
        "document.querySelector('#delivery-search input[name=recipient]').value = 'user-unknown@b.test';
         document.querySelector('#delivery-search select[name=status]').value = 'failed';
         document.querySelector('#delivery-search').submit()",
    );
    let rows = b.eval(
        "Array.from(document.querySelectorAll('#records tbody tr')).map(r => r.querySelector('.recipient').innerText + ' ' + r.querySelector('.status').innerText)",
    );
    assert_eq!(
        rows,
        json!(["user-unknown@b.test failed"]),
        "{}",
        text(&mut b, "main")
    );
    b.screenshot(&dir.join("console-deliveries.png"));
    // The downloads carry the same filters.
    let csv = String::from_utf8(b.download("#download-csv", "hikyaku-deliveries.csv")).unwrap();
    assert_eq!(csv.lines().count(), 2, "header and one record: {csv}");
    assert!(csv.contains("user-unknown@b.test"), "{csv}");
    let jsonl =
        String::from_utf8(b.download("#download-jsonl", "hikyaku-deliveries.jsonl")).unwrap();
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), 1, "{jsonl}");
    let first: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(first["recipient"], "user-unknown@b.test");
    // Unfiltered, every record of the last 24 hours: 8 queued + 6 succeeded + 2 failed.
    b.goto(&format!("{base}/deliveries"));
    assert_eq!(
        b.eval("document.querySelectorAll('#records tbody tr').length"),
        json!(16)
    );

    // The error log.
    b.goto(&format!("{base}/errors"));
    let failed = text(&mut b, "#records");
    assert!(
        failed.contains("user-unknown@b.test") && failed.contains("mailbox-full@c.test"),
        "{failed}"
    );
    b.screenshot(&dir.join("console-errors.png"));

    // The block list, searched.
    b.goto(&format!("{base}/lists"));
    b.act(
        "document.querySelector('#list-search input[name=contains]').value = 'blocked-person';
         document.querySelector('#list-search').submit()",
    );
    assert!(text(&mut b, "#entries").contains("blocked-person@d.test"));

    // Settings: the applied document and a draft's diff.
    d.call_raw(
        t,
        "settings.set",
        r#"{"settings": {"relay": {"max_recipients": 77}}, "merge": true}"#,
    )
    .unwrap();
    b.goto(&format!("{base}/settings"));
    assert!(text(&mut b, "#applied").contains("\"relay\""));
    let diff = text(&mut b, "#draft-diff");
    assert!(
        diff.contains("relay.max_recipients") && diff.contains("77"),
        "{diff}"
    );
    b.screenshot(&dir.join("console-settings.png"));

    // CSRF: a form without the token, or a link with a wrong one, is refused (and the
    // session is still there afterwards).
    b.act(
        "document.querySelector('form[action=\"/logout\"] input[name=csrf]').remove();
         document.querySelector('form[action=\"/logout\"]').submit()",
    );
    assert!(text(&mut b, "[role=alert]").contains("not made for your current session"));
    b.goto(&format!("{base}/deliveries?recipient=x&csrf=forged"));
    assert!(text(&mut b, "[role=alert]").contains("not made for your current session"));
    b.goto(&format!("{base}/deliveries?recipient=x"));
    assert!(text(&mut b, "[role=alert]").contains("not made for your current session"));
    b.goto(&format!("{base}/settings"));
    assert_eq!(text(&mut b, "#account"), "admin");

    // Logout ends the session for the console and for the API alike.
    let session_token = session_cookie(&mut b).unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(d
        .call_raw(Some(&session_token), "users.whoami", "{}")
        .is_ok());
    b.act("document.querySelector('#logout').click()");
    assert!(text(&mut b, "[role=alert]").contains("logged out"));
    assert!(d
        .call_raw(Some(&session_token), "users.whoami", "{}")
        .is_err());
    b.goto(&format!("{base}/dashboard"));
    assert!(b.eval("!!document.querySelector('form#login')") == json!(true));

    // Idle for longer than `idle_timeout_secs`: the next page is the login form.
    login(&mut b, &base, ADMIN_PASSWORD);
    assert!(b.location().ends_with("/dashboard"));
    let idle_token = session_cookie(&mut b).unwrap()["value"]
        .as_str()
        .unwrap()
        .to_string();
    std::thread::sleep(Duration::from_secs(11));
    b.goto(&format!("{base}/deliveries"));
    assert!(
        text(&mut b, "[role=alert]").contains("without use"),
        "{}",
        text(&mut b, "body")
    );
    assert!(d.call_raw(Some(&idle_token), "users.whoami", "{}").is_err());
}

/// The console speaks TLS 1.2 and 1.3 only (the seed's minimum), checked with openssl.
#[test]
fn console_refuses_tls_below_1_2() {
    let d = Daemon::start("sandbox = true\n");
    let connect = |version: &str| {
        let out = Command::new("openssl")
            .args(["s_client", "-connect", &d.console.to_string(), version])
            .args(["-cipher", "DEFAULT@SECLEVEL=0"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let modern = connect("-tls1_2");
    assert!(
        modern.contains("Protocol") && modern.contains("TLSv1.2"),
        "{modern}"
    );
    let old = connect("-tls1_1");
    assert!(
        !old.contains("TLSv1.1") || old.contains("Cipher is (NONE)"),
        "{old}"
    );
}

/// The connection-IP allow-list of the API holds for the console too.
#[test]
fn console_login_from_an_address_off_the_allow_list_is_refused() {
    let d = Daemon::start("sandbox = true\n[rpc]\nallowed_ips = [\"10.9.9.0/24\"]\n");
    let mut b = Browser::launch(1000, 800);
    login(&mut b, &format!("https://{}", d.console), ADMIN_PASSWORD);
    assert!(b.location().ends_with("/login"), "{}", b.location());
    let alert = text(&mut b, "[role=alert]");
    assert!(alert.contains("127.0.0.1"), "{alert}");
    assert!(session_cookie(&mut b).is_none());
}

/// An account with two-factor authentication logs in to the console only with its one-time
/// code (made here by Python's pyotp from the enrolled `otpauth://` URI).
#[test]
fn console_login_needs_the_one_time_code_when_two_factor_is_on() {
    use hikyaku_rpc::types::users::{AddAccount, Role, TotpCode};
    use hikyaku_rpc::types::NoParams;
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    d.call(
        Some(&admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: "ops".into(),
            password: "ops-password-2026".into(),
            role: Role::ServiceAdmin,
        },
    )
    .unwrap();
    let ops = d.login("ops", "ops-password-2026");
    let enrolled = d
        .call(Some(&ops), m::USERS_TOTP_ENROLL, &NoParams {})
        .unwrap();
    let pyotp = |offset: i64| {
        hikyaku_e2e::python(
            "import sys, time, pyotp\n\
             t = pyotp.parse_uri(sys.argv[1])\n\
             print(t.at(int(time.time()) + int(sys.argv[2])))\n",
            &[&enrolled.uri, &offset.to_string()],
        )
        .trim()
        .to_string()
    };
    d.call(
        Some(&ops),
        m::USERS_TOTP_CONFIRM,
        &TotpCode { code: pyotp(0) },
    )
    .unwrap();
    let base = format!("https://{}", d.console);
    let mut b = Browser::launch(1000, 800);
    login_as(&mut b, &base, "ops", "ops-password-2026", "");
    assert!(b.location().ends_with("/login"), "{}", b.location());
    assert!(session_cookie(&mut b).is_none());
    // The next step's code: the confirmation used this one, and codes are single-use.
    login_as(&mut b, &base, "ops", "ops-password-2026", &pyotp(30));
    assert!(
        b.location().ends_with("/dashboard"),
        "{}",
        text(&mut b, "body")
    );
    assert_eq!(text(&mut b, "#account"), "ops");
}
