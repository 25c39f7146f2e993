//! End-to-end: accounts done fully (issue 16) — two-factor authentication (TOTP) with codes
//! computed by an independent implementation (Python's pyotp, from the `otpauth://` URI the
//! engine hands out), the user limit, sessions across restarts, the password policy and
//! one-time passwords; each through the RPC API and the `hikyaku` CLI. The operation log has
//! its own file (`oplog.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts_common;

use std::process::Output;

use accounts_common::{add_account, cli, code, fails, field, login, ok, oplog, pyotp_code, wrong};
use hikyaku_e2e::{Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::oplog::OplogQuery;
use hikyaku_rpc::types::settings::SetSettings;
use hikyaku_rpc::types::users::{
    AddAccount, AddApiUser, ChangePassword, Login, Role, TotpCode, UserName,
};
use hikyaku_rpc::types::NoParams;

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

    // The operation log has all of it, each failure with its reason.
    let log = oplog(
        &d,
        &admin,
        OplogQuery {
            account: Some("ops".into()),
            ..OplogQuery::default()
        },
    );
    let reasons: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "login_failed")
        .filter_map(|e| e.details["reason"].as_str())
        .collect();
    for reason in [
        "code_missing",
        "code_reused",
        "code_wrong",
        "wrong_password",
        "locked",
    ] {
        assert!(reasons.contains(&reason), "{reason} not in {reasons:?}");
    }
    assert!(log
        .iter()
        .any(|e| e.action == "locked" && e.details["reason"] == "code_wrong"));
    for action in ["users.totp_enroll", "users.totp_confirm", "login"] {
        assert!(log.iter().any(|e| e.action == action), "{action}: {log:#?}");
    }
    assert!(log.iter().all(|e| e.ip == "127.0.0.1"));
    let reissued = oplog(
        &d,
        &admin,
        OplogQuery {
            action: Some("users.totp_reissue".into()),
            ..OplogQuery::default()
        },
    );
    assert_eq!(reissued.len(), 1);
    assert_eq!(
        (reissued[0].account.as_str(), reissued[0].target.as_deref()),
        ("admin", Some("ops"))
    );
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

#[test]
fn the_eleventh_user_is_refused_until_the_limit_is_raised() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let add_api_user = |name: &str| {
        d.call(
            Some(&admin),
            m::USERS_ADD_API_USER,
            &AddApiUser {
                name: name.into(),
                password: None,
                send: true,
                transactional: false,
            },
        )
    };
    // `admin` and `default` exist from the first start: eight more make ten.
    for i in 0..4 {
        add_account(&d, &admin, &format!("person{i}"), "person-password");
        add_api_user(&format!("app{i}")).unwrap();
    }
    let err = add_api_user("app4").unwrap_err();
    assert_eq!(code(&err), errors::CONFLICT);
    assert!(
        err.to_string()
            .contains("user limit reached: 10 users exist and rpc.max_users allows 10"),
        "{err}"
    );
    // The CLI says the same, for accounts too.
    fails(
        &cli(
            &d,
            Some(&admin),
            &[
                "users",
                "add-account",
                "eleventh",
                "--role",
                "report-viewer",
                "--password-stdin",
            ],
            Some("eleventh-password\n"),
        ),
        3,
        "user limit reached",
    );
    // A setting raises it, at run time.
    d.call(
        Some(&admin),
        m::SETTINGS_SET,
        &SetSettings {
            settings: serde_json::json!({"rpc": {"max_users": 11}}),
            merge: true,
        },
    )
    .unwrap();
    d.call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    add_api_user("app4").unwrap();
    let err = add_api_user("app5").unwrap_err();
    assert!(err.to_string().contains("11 users exist"), "{err}");
    // Removing one makes room again.
    d.call(
        Some(&admin),
        m::USERS_REMOVE,
        &UserName {
            name: "app0".into(),
        },
    )
    .unwrap();
    add_api_user("app5").unwrap();
    let listed = d.call(Some(&admin), m::USERS_LIST, &NoParams {}).unwrap();
    assert_eq!(listed.api_users.len() + listed.accounts.len(), 11);
}

#[test]
fn sessions_survive_a_restart_but_not_a_logout_or_a_password_change() {
    let mut d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    add_account(&d, &admin, "ann", "ann-password");
    let kept = login(&d, "ann", "ann-password", None).unwrap();
    let ended = login(&d, "ann", "ann-password", None).unwrap();
    d.call(Some(&ended), m::USERS_LOGOUT, &NoParams {}).unwrap();
    // The CLI's saved session too.
    ok(&cli(
        &d,
        None,
        &["login", "--account", "admin", "--password-stdin"],
        Some(&format!("{ADMIN_PASSWORD}\n")),
    ));

    assert!(d.stop().success());
    d.spawn();
    let me = d.call(Some(&kept), m::USERS_WHOAMI, &NoParams {}).unwrap();
    assert!(
        matches!(me, hikyaku_rpc::types::users::Identity::Account { ref name, .. } if name == "ann"),
        "{me:?}"
    );
    let err = d
        .call(Some(&ended), m::USERS_WHOAMI, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    let who = ok(&cli(&d, None, &["whoami"], None));
    assert!(who.contains("admin"), "{who}");

    // A password change ends every session of the account, for good.
    d.call(
        Some(&kept),
        m::USERS_CHANGE_PASSWORD,
        &ChangePassword {
            current: "ann-password".into(),
            new: "ann-new-password".into(),
        },
    )
    .unwrap();
    assert!(d.stop().success());
    d.spawn();
    let err = d
        .call(Some(&kept), m::USERS_WHOAMI, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    d.call(Some(&admin), m::USERS_WHOAMI, &NoParams {}).unwrap();
}

#[test]
fn password_policy_and_one_time_passwords_through_rpc_and_the_cli() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    let add = |name: &str, password: &str| {
        d.call(
            Some(&admin),
            m::USERS_ADD_ACCOUNT,
            &AddAccount {
                name: name.into(),
                password: password.into(),
                role: Role::ServiceAdmin,
            },
        )
    };
    for (password, message) in [
        ("short-pw1", "at least 12 characters"),
        ("Password1234!", "most common passwords"),
        ("qwertyuiop123", "most common passwords"),
        ("pat-the-admin", "the account's name"),
    ] {
        let name = if password == "pat-the-admin" {
            "pat-the-admin"
        } else {
            "pat"
        };
        let err = add(name, password).unwrap_err();
        assert_eq!(code(&err), errors::INVALID_PARAMS, "{password}");
        assert!(err.to_string().contains(message), "{password}: {err}");
    }
    add("pat", "pat-long-password").unwrap();

    // A reset: the old password stops working, the one-time one opens a session that may only
    // change it.
    let otp = d
        .call(
            Some(&admin),
            m::USERS_RESET_PASSWORD,
            &UserName { name: "pat".into() },
        )
        .unwrap();
    assert_eq!(otp.account, "pat");
    assert_eq!(otp.password.len(), 20);
    let err = login(&d, "pat", "pat-long-password", None).unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    let session = d
        .call(
            None,
            m::USERS_LOGIN,
            &Login {
                account: "pat".into(),
                password: otp.password.clone(),
                totp: None,
            },
        )
        .unwrap();
    assert!(session.must_change_password);
    let restricted = session.token;
    let err = d
        .call(Some(&restricted), m::SYSTEM_STATUS, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::FORBIDDEN);
    assert!(err.to_string().contains("one-time password"), "{err}");
    d.call(Some(&restricted), m::USERS_WHOAMI, &NoParams {})
        .unwrap();
    let change = |current: &str, new: &str| {
        d.call(
            Some(&restricted),
            m::USERS_CHANGE_PASSWORD,
            &ChangePassword {
                current: current.into(),
                new: new.into(),
            },
        )
    };
    let err = change(&otp.password, "letmein12345").unwrap_err();
    assert!(err.to_string().starts_with("new:"), "{err}");
    let err = change(&otp.password, &otp.password).unwrap_err();
    assert!(err.to_string().contains("must differ"), "{err}");
    change(&otp.password, "pat-chose-this-one").unwrap();
    // The restricted session ended with the change; the one-time password is spent.
    let err = d
        .call(Some(&restricted), m::USERS_WHOAMI, &NoParams {})
        .unwrap_err();
    assert_eq!(code(&err), errors::UNAUTHENTICATED);
    login(&d, "pat", &otp.password, None).unwrap_err();
    let full = d
        .call(
            None,
            m::USERS_LOGIN,
            &Login {
                account: "pat".into(),
                password: "pat-chose-this-one".into(),
                totp: None,
            },
        )
        .unwrap();
    assert!(!full.must_change_password);
    d.call(Some(&full.token), m::SYSTEM_STATUS, &NoParams {})
        .unwrap();

    // The same through the CLI.
    let out = ok(&cli(
        &d,
        Some(&admin),
        &["users", "reset-password", "pat"],
        None,
    ));
    let one_time = field(&out, "one_time_password");
    let out = cli(
        &d,
        None,
        &["login", "--account", "pat", "--password-stdin"],
        Some(&format!("{one_time}\n")),
    );
    ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("one-time password"),
        "{out:?}"
    );
    fails(
        &cli(&d, None, &["system", "status"], None),
        4,
        "one-time password",
    );
    ok(&cli(
        &d,
        None,
        &["users", "change-password", "--password-stdin"],
        Some(&format!("{one_time}\npat-second-choice\n")),
    ));
    ok(&cli(
        &d,
        None,
        &["login", "--account", "pat", "--password-stdin"],
        Some("pat-second-choice\n"),
    ));
    ok(&cli(&d, None, &["system", "status"], None));

    // The minimum is a setting.
    d.call(
        Some(&admin),
        m::SETTINGS_SET,
        &SetSettings {
            settings: serde_json::json!({"accounts": {"password_min_length": 20}}),
            merge: true,
        },
    )
    .unwrap();
    d.call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    let err = add("quinn", "quinn-password-1").unwrap_err();
    assert!(err.to_string().contains("at least 20 characters"), "{err}");
    add("quinn", "quinn-has-a-long-password").unwrap();
    // Resets are in the operation log, never with the password.
    let resets = oplog(
        &d,
        &admin,
        OplogQuery {
            action: Some("users.reset_password".into()),
            ..OplogQuery::default()
        },
    );
    assert_eq!(resets.len(), 2);
    assert!(resets.iter().all(|e| e.account == "admin"
        && e.target.as_deref() == Some("pat")
        && !e.details.to_string().contains(&otp.password)));
}
