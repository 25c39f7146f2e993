//! End-to-end: the operation log (issue 16 item 2) — logins (from two addresses), settings,
//! a block, an account, a DKIM key and a lockout, each found in `oplog.search` with who and
//! from where, and through `hikyaku oplog`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts_common;

use accounts_common::{add_account, cli, code, login, ok, oplog};
use hikyaku_e2e::{python, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::{BlockChange, ListName};
use hikyaku_rpc::types::dkim::{DkimAlgorithm, DkimCreate};
use hikyaku_rpc::types::oplog::{ActorKind, OplogEntry, OplogQuery};
use hikyaku_rpc::types::settings::SetSettings;
use hikyaku_rpc::types::NoParams;

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
