//! End-to-end: accounts done fully (issue 16) — two-factor authentication (TOTP) through the
//! RPC API and the `hikyaku` CLI, with codes computed by an independent implementation
//! (Python's pyotp, from the `otpauth://` URI the engine hands out).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{binary, python, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::client::ClientError;
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::{AddAccount, Login, Role, TotpCode, UserName};
use hikyaku_rpc::types::NoParams;

/// The code pyotp makes from `uri` for `offset_secs` from now (30: the next step, which the
/// engine accepts as clock drift and which no earlier login can have used).
fn pyotp_code(uri: &str, offset_secs: i64) -> String {
    python(
        "import sys, time, pyotp\n\
         t = pyotp.parse_uri(sys.argv[1])\n\
         print(t.at(int(time.time()) + int(sys.argv[2])))\n",
        &[uri, &offset_secs.to_string()],
    )
    .trim()
    .to_string()
}

/// A 6-digit code that is not `code`.
fn wrong(code: &str) -> String {
    let first = code.as_bytes()[0] - b'0';
    format!("{}{}", (first + 5) % 10, &code[1..])
}

fn code(e: &ClientError) -> i32 {
    e.code().unwrap_or_else(|| panic!("transport error: {e}"))
}

fn add_account(d: &Daemon, admin: &str, name: &str, password: &str) {
    d.call(
        Some(admin),
        m::USERS_ADD_ACCOUNT,
        &AddAccount {
            name: name.into(),
            password: password.into(),
            role: Role::ServiceAdmin,
        },
    )
    .unwrap();
}

fn login(
    d: &Daemon,
    account: &str,
    password: &str,
    totp: Option<String>,
) -> Result<String, ClientError> {
    d.call(
        None,
        m::USERS_LOGIN,
        &Login {
            account: account.into(),
            password: password.into(),
            totp,
        },
    )
    .map(|s| s.token)
}

#[test]
fn totp_through_rpc_enroll_confirm_single_use_lockout_and_reissue() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    add_account(&d, &admin, "ops", "ops-password");
    let ops = login(&d, "ops", "ops-password", None).unwrap();

    let e = d
        .call(Some(&ops), m::USERS_TOTP_ENROLL, &NoParams {})
        .unwrap();
    assert_eq!(e.account, "ops");
    assert!(
        e.uri
            .starts_with("otpauth://totp/hikyaku%20mx.e2e.test:ops?secret="),
        "{}",
        e.uri
    );
    assert!(e.uri.contains(&e.secret), "{e:?}");
    // Enrolled but not confirmed: logins need no code yet; a wrong code does not confirm.
    login(&d, "ops", "ops-password", None).unwrap();
    let err = d
        .call(
            Some(&ops),
            m::USERS_TOTP_CONFIRM,
            &TotpCode {
                code: wrong(&pyotp_code(&e.uri, 0)),
            },
        )
        .unwrap_err();
    assert_eq!(code(&err), errors::INVALID_PARAMS);
    d.call(
        Some(&ops),
        m::USERS_TOTP_CONFIRM,
        &TotpCode {
            code: pyotp_code(&e.uri, 0),
        },
    )
    .unwrap();
    let listed = d.call(Some(&admin), m::USERS_LIST, &NoParams {}).unwrap();
    assert!(listed
        .accounts
        .iter()
        .any(|a| a.name == "ops" && a.two_factor));
    // Enrolling again while it is on is refused (a stolen session cannot replace the key).
    let err = d
        .call(Some(&ops), m::USERS_TOTP_ENROLL, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::CONFLICT);

    // Without a code: refused, and the message says what is missing.
    let err = login(&d, "ops", "ops-password", None).unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    assert!(err.to_string().contains("two-factor"), "{err}");
    // With the next step's code: in. The same code again: refused.
    let next = pyotp_code(&e.uri, 30);
    let token = login(&d, "ops", "ops-password", Some(next.clone())).unwrap();
    d.call(Some(&token), m::USERS_WHOAMI, &NoParams {}).unwrap();
    let err = login(&d, "ops", "ops-password", Some(next)).unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    assert!(err.to_string().contains("used already"), "{err}");
    // A wrong password with a right code is still a wrong password.
    let err = login(&d, "ops", "wrong-password", Some(pyotp_code(&e.uri, 30))).unwrap_err();
    assert!(
        err.to_string().contains("wrong account name or password"),
        "{err}"
    );

    // Ten wrong codes in a row lock the account (the counter starts from an unlock).
    d.call(
        Some(&admin),
        m::USERS_UNLOCK,
        &UserName { name: "ops".into() },
    )
    .unwrap();
    let bad = wrong(&pyotp_code(&e.uri, 0));
    for i in 1..10 {
        let err = login(&d, "ops", "ops-password", Some(bad.clone())).unwrap_err();
        assert_eq!(code(&err), errors::UNAUTHENTICATED, "attempt {i}: {err}");
        assert!(err.to_string().contains("wrong one-time code"), "{err}");
    }
    let err = login(&d, "ops", "ops-password", Some(bad)).unwrap_err();
    assert_eq!(code(&err), errors::ACCOUNT_LOCKED);
    // Locked: even the right code is refused until a group administrator unlocks it.
    let err = login(&d, "ops", "ops-password", Some(pyotp_code(&e.uri, 30))).unwrap_err();
    assert_eq!(code(&err), errors::ACCOUNT_LOCKED);
    let listed = d.call(Some(&admin), m::USERS_LIST, &NoParams {}).unwrap();
    assert!(listed.accounts.iter().any(|a| a.name == "ops" && a.locked));
    d.call(
        Some(&admin),
        m::USERS_UNLOCK,
        &UserName { name: "ops".into() },
    )
    .unwrap();

    // Only group administrators re-issue; the account's sessions end; two-factor is off until
    // the new key is confirmed, and the old key's codes mean nothing.
    let err = d
        .call(
            Some(&ops),
            m::USERS_TOTP_REISSUE,
            &UserName { name: "ops".into() },
        )
        .unwrap_err();
    assert_eq!(code(&err), errors::FORBIDDEN);
    let again = d
        .call(
            Some(&admin),
            m::USERS_TOTP_REISSUE,
            &UserName { name: "ops".into() },
        )
        .unwrap();
    assert_ne!(again.secret, e.secret);
    let err = d
        .call(Some(&token), m::USERS_WHOAMI, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    let ops = login(&d, "ops", "ops-password", None).unwrap();
    d.call(
        Some(&ops),
        m::USERS_TOTP_CONFIRM,
        &TotpCode {
            code: pyotp_code(&again.uri, 0),
        },
    )
    .unwrap();
    let err = login(&d, "ops", "ops-password", Some(pyotp_code(&e.uri, 30))).unwrap_err();
    assert!(err.to_string().contains("wrong one-time code"), "{err}");
    login(&d, "ops", "ops-password", Some(pyotp_code(&again.uri, 30))).unwrap();
    // API users have no second factor.
    let err = d
        .call(
            Some(hikyaku_e2e::API_KEY),
            m::USERS_TOTP_ENROLL,
            &NoParams {},
        )
        .unwrap_err();
    assert_eq!(code(&err), errors::CONFLICT);
}

/// Runs `hikyaku` with the daemon's URL, `key` (if any) and a private config file.
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

fn fails(o: &Output, exit: i32, message: &str) {
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(exit), "stderr: {err}");
    assert!(err.contains(message), "expected {message:?} in: {err}");
}

/// The value of a `key: value` line.
fn field(text: &str, key: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix(&format!("{key}: ")))
        .unwrap_or_else(|| panic!("no {key} in {text}"))
        .to_string()
}

fn cli_login(d: &Daemon, totp: Option<&str>) -> Output {
    let mut args = vec!["login", "--account", "clio", "--password-stdin"];
    if let Some(code) = totp {
        args.extend(["--totp", code]);
    }
    cli(d, None, &args, Some("clio-password\n"))
}

#[test]
fn totp_through_the_cli_enroll_with_a_qr_code_login_lockout_and_reissue() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    add_account(&d, &admin, "clio", "clio-password");
    ok(&cli_login(&d, None));

    let enrolled = ok(&cli(&d, None, &["users", "totp-enroll"], None));
    let uri = field(&enrolled, "uri");
    assert!(uri.starts_with("otpauth://totp/"), "{enrolled}");
    assert!(uri.contains(&field(&enrolled, "secret")), "{enrolled}");
    // The QR code: lines of half blocks, the quiet zone a row of full blocks.
    assert!(
        enrolled
            .lines()
            .any(|l| l.len() > 60 && l.chars().all(|c| c == '\u{2588}')),
        "{enrolled}"
    );
    assert!(enrolled.contains('\u{2580}') || enrolled.contains('\u{2584}'));
    ok(&cli(
        &d,
        None,
        &["users", "totp-confirm", &pyotp_code(&uri, 0)],
        None,
    ));
    let listed = ok(&cli(&d, Some(&admin), &["users", "list"], None));
    let row = listed.lines().find(|l| l.starts_with("clio ")).unwrap();
    assert!(row.contains(" yes "), "two-factor column: {listed}");

    fails(&cli_login(&d, None), 4, "two-factor authentication is on");
    let next = pyotp_code(&uri, 30);
    let out = ok(&cli_login(&d, Some(&next)));
    assert!(out.contains("logged in as clio"), "{out}");
    fails(&cli_login(&d, Some(&next)), 4, "used already");

    // Ten wrong codes lock it.
    ok(&cli(&d, Some(&admin), &["users", "unlock", "clio"], None));
    let bad = wrong(&pyotp_code(&uri, 0));
    for _ in 1..10 {
        fails(&cli_login(&d, Some(&bad)), 4, "wrong one-time code");
    }
    fails(&cli_login(&d, Some(&bad)), 4, "locked");
    fails(&cli_login(&d, Some(&pyotp_code(&uri, 30))), 4, "locked");

    // Re-issue by a group administrator: a new key, printed with its QR code; two-factor off
    // until confirmed.
    ok(&cli(&d, Some(&admin), &["users", "unlock", "clio"], None));
    let reissued = ok(&cli(
        &d,
        Some(&admin),
        &["users", "totp-reissue", "clio"],
        None,
    ));
    assert!(reissued.contains("off for clio"), "{reissued}");
    let new_uri = field(&reissued, "uri");
    assert_ne!(new_uri, uri);
    ok(&cli_login(&d, None));
    ok(&cli(
        &d,
        None,
        &["users", "totp-confirm", &pyotp_code(&new_uri, 0)],
        None,
    ));
    fails(&cli_login(&d, None), 4, "two-factor");
    ok(&cli_login(&d, Some(&pyotp_code(&new_uri, 30))));
    // --json prints the enrolment as the API returns it.
    let json = ok(&cli(
        &d,
        Some(&admin),
        &["--json", "users", "totp-reissue", "clio"],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["uri"].as_str().unwrap().starts_with("otpauth://"), "{v}");
}
