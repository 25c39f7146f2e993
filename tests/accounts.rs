//! End-to-end: accounts done fully (issue 16) — two-factor authentication (TOTP) through the
//! RPC API and the `hikyaku` CLI, with codes computed by an independent implementation
//! (Python's pyotp, from the `otpauth://` URI the engine hands out); the operation log of
//! logins and changes, with who and from which address, through RPC and the CLI.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Write;
use std::process::{Command, Output, Stdio};

use hikyaku_e2e::{binary, python, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::client::ClientError;
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockChange, ListName};
use hikyaku_rpc::types::dkim::{DkimAlgorithm, DkimCreate};
use hikyaku_rpc::types::oplog::{ActorKind, OplogEntry, OplogQuery};
use hikyaku_rpc::types::settings::SetSettings;
use hikyaku_rpc::types::users::{
    AddAccount, AddApiUser, ChangePassword, Login, Role, TotpCode, UserName,
};
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

/// The entries of the operation log matching `q` (as the admin), every page.
fn oplog(d: &Daemon, token: &str, mut q: OplogQuery) -> Vec<OplogEntry> {
    let mut all = Vec::new();
    q.limit = Some(3); // small pages: the cursor is exercised too
    loop {
        let page = d.call(Some(token), m::OPLOG_SEARCH, &q).unwrap();
        all.extend(page.entries);
        match page.next_cursor {
            Some(c) => q.cursor = Some(c),
            None => return all,
        }
    }
}

/// The one entry of `action` on `target`, checked for who and from where.
fn entry<'a>(
    log: &'a [OplogEntry],
    action: &str,
    target: &str,
    account: &str,
    ip: &str,
) -> &'a OplogEntry {
    let found: Vec<&OplogEntry> = log
        .iter()
        .filter(|e| e.action == action && e.target.as_deref() == Some(target))
        .collect();
    assert_eq!(found.len(), 1, "{action} {target} in {log:#?}");
    let e = found[0];
    assert_eq!(e.account, account, "{e:?}");
    assert_eq!(e.ip, ip, "{e:?}");
    e
}

/// A login from another loopback address (Python binds the client socket), so the log shows
/// the caller's real address rather than a constant.
fn login_from(d: &Daemon, source_ip: &str, account: &str, password: &str) -> String {
    python(
        "import sys, json, http.client\n\
         ip, port, src, account, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]\n\
         c = http.client.HTTPConnection(ip, port, source_address=(src, 0), timeout=10)\n\
         body = json.dumps({'jsonrpc': '2.0', 'id': 1, 'method': 'users.login',\n\
                            'params': {'account': account, 'password': password}})\n\
         c.request('POST', '/', body, {'Content-Type': 'application/json'})\n\
         print(c.getresponse().read().decode())\n",
        &[
            &d.rpc.ip().to_string(),
            &d.rpc.port().to_string(),
            source_ip,
            account,
            password,
        ],
    )
}

#[test]
fn the_operation_log_records_logins_and_changes_with_who_and_from_where() {
    let d = Daemon::start("sandbox = true\n");
    let local = "127.0.0.1";
    let admin = d.login("admin", ADMIN_PASSWORD);
    // A failed login from elsewhere, and a login to an unknown account.
    let answer = login_from(&d, "127.0.0.2", "admin", "not the password");
    assert!(
        answer.contains("wrong account name or password"),
        "{answer}"
    );
    login(&d, "nobody", "whatever", None).unwrap_err();
    // Settings: a draft change, its apply, a rollback.
    let set = |v: serde_json::Value| {
        d.call(
            Some(&admin),
            m::SETTINGS_SET,
            &SetSettings {
                settings: v,
                merge: true,
            },
        )
        .unwrap()
    };
    assert!(set(serde_json::json!({"accounts": {"oplog_retention_days": 120}})).valid);
    d.call(Some(&admin), m::SETTINGS_APPLY, &NoParams {})
        .unwrap();
    d.call(Some(&admin), m::SETTINGS_ROLLBACK, &NoParams {})
        .unwrap();
    // A block added by the API user, an account created, a DKIM key created.
    d.call(
        Some(hikyaku_e2e::API_KEY),
        m::BLOCKS_ADD,
        &BlockChange {
            list: ListName::Block,
            addresses: vec!["Spam@Example.NET".into()],
            reason: None,
        },
    )
    .unwrap();
    add_account(&d, &admin, "auditor", "auditor-password");
    d.call(
        Some(&admin),
        m::DKIM_CREATE,
        &DkimCreate {
            domain: "shop.example".into(),
            selector: "s1".into(),
            algorithm: DkimAlgorithm::Ed25519,
        },
    )
    .unwrap();
    // A locked account, the way a guesser locks it.
    add_account(&d, &admin, "victim", "victim-password");
    for _ in 0..10 {
        login(&d, "victim", "guess", None).unwrap_err();
    }
    // Reads are not recorded.
    d.call(Some(&admin), m::USERS_LIST, &NoParams {}).unwrap();

    let log = oplog(&d, &admin, OplogQuery::default());
    entry(&log, "login", "admin", "admin", local);
    let failed = entry(&log, "login_failed", "admin", "admin", "127.0.0.2");
    assert_eq!(failed.details["reason"], "wrong_password");
    let unknown = entry(&log, "login_failed", "nobody", "nobody", local);
    assert_eq!(unknown.details["reason"], "unknown_account");
    // Settings entries carry the diff.
    let drafted = log.iter().find(|e| e.action == "settings.set").unwrap();
    assert_eq!(
        (drafted.account.as_str(), drafted.ip.as_str()),
        ("admin", local)
    );
    let change =
        serde_json::json!([{"key": "accounts.oplog_retention_days", "from": 90, "to": 120}]);
    assert_eq!(drafted.details["changes"], change, "{drafted:?}");
    let applied = log.iter().find(|e| e.action == "settings.apply").unwrap();
    assert_eq!(applied.details["changes"], change, "{applied:?}");
    assert_eq!(applied.details["version"], 1);
    let rolled = log
        .iter()
        .find(|e| e.action == "settings.rollback")
        .unwrap();
    assert_eq!(
        rolled.details["changes"],
        serde_json::json!([{"key": "accounts.oplog_retention_days", "from": 120, "to": 90}])
    );
    let block = entry(&log, "blocks.add", "block", "default", local);
    assert_eq!(block.kind, ActorKind::ApiUser);
    assert_eq!(
        block.details["addresses"],
        serde_json::json!(["Spam@Example.NET"])
    );
    let created = entry(&log, "users.add_account", "auditor", "admin", local);
    assert_eq!(created.details["role"], "service_admin");
    entry(
        &log,
        "dkim.create",
        "s1._domainkey.shop.example",
        "admin",
        local,
    );
    let locked = entry(&log, "locked", "victim", "victim", local);
    assert_eq!(locked.details["reason"], "wrong_password");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "login_failed" && e.account == "victim")
            .count(),
        9
    );
    assert!(!log.iter().any(|e| e.action.starts_with("users.list")));
    assert!(!log.iter().any(|e| e.action.starts_with("send")));
    // Oldest first.
    let times: Vec<&String> = log.iter().map(|e| &e.time).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");

    // Filters: account (case-insensitive), action exact or prefix, time range.
    let mine = oplog(
        &d,
        &admin,
        OplogQuery {
            account: Some("AUDITOR".into()),
            ..OplogQuery::default()
        },
    );
    assert!(mine.is_empty(), "{mine:?}");
    let users = oplog(
        &d,
        &admin,
        OplogQuery {
            action: Some("users.*".into()),
            ..OplogQuery::default()
        },
    );
    assert_eq!(users.len(), 2, "{users:?}");
    let future = oplog(
        &d,
        &admin,
        OplogQuery {
            from: Some("2100-01-01T00:00:00Z".into()),
            to: Some("2100-01-02T00:00:00Z".into()),
            ..OplogQuery::default()
        },
    );
    assert!(future.is_empty());

    // Service administrators may read it; report viewers and API users may not.
    let auditor = login(&d, "auditor", "auditor-password", None).unwrap();
    assert!(!oplog(&d, &auditor, OplogQuery::default()).is_empty());
    let err = d
        .call(
            Some(hikyaku_e2e::API_KEY),
            m::OPLOG_SEARCH,
            &OplogQuery::default(),
        )
        .unwrap_err();
    assert_eq!(code(&err), errors::FORBIDDEN);

    // The CLI shows the same log.
    let out = ok(&cli(
        &d,
        Some(&admin),
        &["oplog", "--action", "login_failed", "--account", "admin"],
        None,
    ));
    let row = out
        .lines()
        .find(|l| l.contains("127.0.0.2"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        row.contains("login_failed") && row.contains("wrong_password"),
        "{out}"
    );
    let json = ok(&cli(
        &d,
        Some(&admin),
        &["--json", "oplog", "--all", "--action", "dkim.*"],
        None,
    ));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v.as_array().map(Vec::len), Some(1), "{v}");
    assert_eq!(v[0]["target"], "s1._domainkey.shop.example");
    // The CLI's own login is logged like any other.
    ok(&cli(
        &d,
        None,
        &["login", "--account", "auditor", "--password-stdin"],
        Some("auditor-password\n"),
    ));
    let logins = oplog(
        &d,
        &admin,
        OplogQuery {
            account: Some("auditor".into()),
            action: Some("login".into()),
            ..OplogQuery::default()
        },
    );
    assert_eq!(logins.len(), 2, "{logins:?}");
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
