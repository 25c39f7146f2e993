//! End-to-end: "My account" (issue 16 item 3, SPEC §11/§13.2) — an account's language and
//! time zone through `users.update_me` and the `hikyaku` CLI: the CLI speaks the account's
//! language after `hikyaku login` (headers, field names, error-status names, its own
//! messages), `--lang`/`HIKYAKU_LANG` override it for a call, `--json` stays untouched; report
//! days and prohibited hours written without a zone take the account's.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod accounts_common;

use std::process::{Command, Stdio};

use accounts_common::{add_account, cli, code, fails, field, ok, oplog};
use hikyaku_e2e::{binary, Daemon, ADMIN_PASSWORD};
use hikyaku_rpc::errors;
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::oplog::OplogQuery;
use hikyaku_rpc::types::settings::{GetSettings, SetSettings, Which};
use hikyaku_rpc::types::stats::{DailyQuery, GraphKind, GraphQuery};
use hikyaku_rpc::types::users::{AddApiUser, Identity, Language, UpdateMe};
use hikyaku_rpc::types::NoParams;
use serde_json::json;

const PASSWORD: &str = "kei-long-password";

fn me(d: &Daemon, token: &str) -> (Language, Option<String>) {
    match d.call(Some(token), m::USERS_WHOAMI, &NoParams {}).unwrap() {
        Identity::Account {
            language,
            time_zone,
            ..
        } => (language, time_zone),
        other => panic!("not an account: {other:?}"),
    }
}

#[test]
fn language_and_time_zone_through_rpc() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    add_account(&d, &admin, "kei", PASSWORD);
    let kei = d.login("kei", PASSWORD);
    assert_eq!(me(&d, &kei), (Language::En, None));

    // A zone nobody knows is refused, naming the field, and changes nothing (not even the
    // language given with it).
    let err = d
        .call(
            Some(&kei),
            m::USERS_UPDATE_ME,
            &UpdateMe {
                language: Some(Language::Ja),
                time_zone: Some("Mars/Olympus_Mons".into()),
            },
        )
        .unwrap_err();
    assert_eq!(code(&err), errors::INVALID_PARAMS);
    assert!(err.to_string().contains("time_zone"), "{err}");
    assert_eq!(me(&d, &kei), (Language::En, None));

    let mine = d
        .call(
            Some(&kei),
            m::USERS_UPDATE_ME,
            &UpdateMe {
                language: Some(Language::Ja),
                time_zone: Some("Asia/Tokyo".into()),
            },
        )
        .unwrap();
    assert_eq!(
        (
            mine.account.as_str(),
            mine.language,
            mine.time_zone.as_deref()
        ),
        ("kei", Language::Ja, Some("Asia/Tokyo"))
    );
    assert_eq!(me(&d, &kei), (Language::Ja, Some("Asia/Tokyo".into())));
    // Only the zone: the language stays.
    let mine = d
        .call(
            Some(&kei),
            m::USERS_UPDATE_ME,
            &UpdateMe {
                language: None,
                time_zone: Some("+05:30".into()),
            },
        )
        .unwrap();
    assert_eq!(
        (mine.language, mine.time_zone.as_deref()),
        (Language::Ja, Some("+05:30"))
    );
    d.call(
        Some(&kei),
        m::USERS_UPDATE_ME,
        &UpdateMe {
            language: None,
            time_zone: Some("Asia/Tokyo".into()),
        },
    )
    .unwrap();

    // API users have neither.
    let key = d
        .call(
            Some(&admin),
            m::USERS_ADD_API_USER,
            &AddApiUser {
                name: "app".into(),
                password: None,
                send: true,
                transactional: true,
            },
        )
        .unwrap()
        .api_key;
    let err = d
        .call(Some(&key), m::USERS_UPDATE_ME, &UpdateMe::default())
        .unwrap_err();
    assert_eq!(code(&err), errors::CONFLICT, "{err}");

    // Report days: the account's zone unless the call names one; the admin has none (UTC).
    let daily = |token: &str, zone: Option<&str>| {
        d.call(
            Some(token),
            m::STATS_DAILY,
            &DailyQuery {
                time_zone: zone.map(Into::into),
                ..DailyQuery::default()
            },
        )
        .unwrap()
        .time_zone
    };
    assert_eq!(daily(&kei, None), "Asia/Tokyo");
    assert_eq!(daily(&kei, Some("Europe/Paris")), "Europe/Paris");
    assert_eq!(daily(&admin, None), "UTC");
    let graph = d
        .call(
            Some(&kei),
            m::STATS_GRAPH,
            &GraphQuery {
                kind: GraphKind::Delivery,
                from: None,
                to: None,
                bucket: Default::default(),
                time_zone: None,
                domain: None,
                api_user: None,
                top: None,
            },
        )
        .unwrap();
    assert_eq!(graph.time_zone, "Asia/Tokyo");

    // Prohibited hours written without a zone mean the writer's zone; a given zone stays.
    let rules = json!({"policy": {"rules": [
        {"header": "To", "match": ".*@night\\.example", "hold": {"from": "21:00", "to": "08:00"}},
        {"header": "To", "match": ".*@utc\\.example", "hold": {"from": "01:00", "to": "02:00", "time_zone": "UTC"}}
    ]}});
    let checked = d
        .call(
            Some(&kei),
            m::SETTINGS_SET,
            &SetSettings {
                settings: rules,
                merge: true,
            },
        )
        .unwrap();
    assert!(checked.valid, "{checked:?}");
    let draft = d
        .call(
            Some(&kei),
            m::SETTINGS_GET,
            &GetSettings {
                which: Which::Draft,
            },
        )
        .unwrap();
    let holds = &draft.settings["policy"]["rules"];
    assert_eq!(holds[0]["hold"]["time_zone"], "Asia/Tokyo", "{holds}");
    assert_eq!(holds[1]["hold"]["time_zone"], "UTC", "{holds}");

    // Stored with the account: a restart keeps it; the operation log has the changes.
    let mut d = d;
    d.stop();
    d.spawn();
    let kei = d.login("kei", PASSWORD);
    assert_eq!(me(&d, &kei), (Language::Ja, Some("Asia/Tokyo".into())));
    let admin = d.login("admin", ADMIN_PASSWORD);
    let entries = oplog(
        &d,
        &admin,
        OplogQuery {
            action: Some("users.update_me".into()),
            ..OplogQuery::default()
        },
    );
    // Three accepted updates; the refused one wrote nothing.
    assert_eq!(entries.len(), 3, "{entries:?}");
    assert!(entries.iter().all(|e| e.account == "kei"), "{entries:?}");
}

/// `hikyaku` against an unreachable server with the given config file.
fn unreachable_cli(config: &std::path::Path) -> std::process::Output {
    Command::new(binary("hikyaku"))
        .env_clear()
        .env("HIKYAKU_URL", "http://127.0.0.1:9")
        .env("HIKYAKU_CONFIG", config)
        .args(["whoami"])
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn the_cli_speaks_the_accounts_language() {
    let d = Daemon::start("sandbox = true\n");
    let admin = d.login("admin", ADMIN_PASSWORD);
    add_account(&d, &admin, "kei", PASSWORD);
    let config = d.data.parent().unwrap().join("cli.toml");

    // English until the account chooses Japanese.
    let out = ok(&cli(
        &d,
        None,
        &["login", "--account", "kei", "--password-stdin"],
        Some(PASSWORD),
    ));
    assert!(out.contains("logged in as kei"), "{out}");
    let out = ok(&cli(
        &d,
        None,
        &[
            "users",
            "update-me",
            "--language",
            "ja",
            "--time-zone",
            "Asia/Tokyo",
        ],
        None,
    ));
    // The change applies from its own answer on, and is saved for the next calls.
    assert_eq!(field(&out, "言語"), "ja", "{out}");
    assert_eq!(field(&out, "タイムゾーン"), "Asia/Tokyo", "{out}");
    let saved = std::fs::read_to_string(&config).unwrap();
    assert!(saved.contains("language = \"ja\""), "{saved}");

    let out = ok(&cli(&d, None, &["whoami"], None));
    assert_eq!(field(&out, "名前"), "kei", "{out}");
    assert_eq!(field(&out, "ロール"), "サービス管理者", "{out}");
    let out = ok(&cli(&d, None, &["deliveries", "search"], None));
    assert!(out.starts_with("日時"), "{out}");
    // --lang and HIKYAKU_LANG override for one call; --json is never translated.
    let out = ok(&cli(&d, None, &["--lang", "en", "whoami"], None));
    assert_eq!(field(&out, "role"), "service_admin", "{out}");
    let out = ok(&cli(&d, None, &["--json", "whoami"], None));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (v["role"].as_str(), v["language"].as_str()),
        (Some("service_admin"), Some("ja"))
    );

    // The CLI's own messages: the server cannot be reached.
    let o = unreachable_cli(&config);
    assert_eq!(o.status.code(), Some(5));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("に接続できません"), "{err}");

    // Error-status names: a malformed recipient is refused with status 9, named in Japanese.
    let out = ok(&cli(
        &d,
        Some(&admin),
        &[
            "--lang",
            "ja",
            "send",
            "--from",
            "app@example.com",
            "--to",
            "good@example.com",
            "--to",
            "bad@example..com",
            "-s",
            "hello",
            "--text",
            "body",
        ],
        None,
    ));
    assert!(out.contains("アドレス形式エラー"), "{out}");
    assert!(out.contains("宛先"), "{out}");

    // A fresh login follows the account's language (another machine, another config file).
    std::fs::remove_file(&config).unwrap();
    let out = ok(&cli(
        &d,
        None,
        &["login", "--account", "kei", "--password-stdin"],
        Some(PASSWORD),
    ));
    assert!(out.contains("としてログインしました"), "{out}");
    // Back to English.
    let out = ok(&cli(
        &d,
        None,
        &["users", "update-me", "--language", "en"],
        None,
    ));
    assert_eq!(field(&out, "language"), "en", "{out}");
    let out = ok(&cli(&d, None, &["whoami"], None));
    assert_eq!(field(&out, "time_zone"), "Asia/Tokyo", "{out}");
    // Nothing to change is a usage error.
    fails(
        &cli(&d, None, &["users", "update-me"], None),
        2,
        "nothing to change",
    );
}
