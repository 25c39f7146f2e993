//! Accounts: logins, lockout, passwords and two-factor codes against a real spool.

use super::*;
use crate::config::StorageConfig;

/// Logs in at `now_ms` and makes the writes, as the API does.
fn try_login(
    store: &Store,
    name: &str,
    password: &str,
    code: Option<&str>,
    now_ms: u64,
) -> LoginOutcome {
    let attempt = LoginAttempt {
        name,
        password,
        totp: code,
        now_ms,
    };
    let (outcome, ops) = login(store, &attempt).unwrap();
    store.write_ops(&ops, true).unwrap();
    outcome
}

fn open() -> (tempfile::TempDir, std::sync::Arc<Store>) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
    (dir, store)
}

#[test]
fn ten_failures_lock_until_unlocked() {
    let (_dir, store) = open();
    create(&store, "Alice", "right password", Role::ServiceAdmin, 1).unwrap();
    for i in 1..LOCK_AFTER_FAILURES {
        assert_eq!(
            try_login(&store, "alice", "wrong", None, 1),
            LoginOutcome::Failed(Failure::WrongPassword),
            "attempt {i}"
        );
    }
    assert_eq!(
        try_login(&store, "alice", "wrong", None, 1),
        LoginOutcome::Locked {
            by: Some(Failure::WrongPassword)
        }
    );
    // Locked: even the right password is refused.
    assert_eq!(
        try_login(&store, "alice", "right password", None, 1),
        LoginOutcome::Locked { by: None }
    );
    store
        .write_ops(&unlock_ops(&store, "ALICE").unwrap(), true)
        .unwrap();
    assert!(
        matches!(try_login(&store, "alice", "right password", None, 1), LoginOutcome::Ok(r) if r.role == Role::ServiceAdmin)
    );
    assert_eq!(
        try_login(&store, "nobody", "x", None, 1),
        LoginOutcome::Failed(Failure::UnknownAccount)
    );
    assert_eq!(list(&store).unwrap().len(), 1);
}

#[test]
fn success_resets_the_counter() {
    let (_dir, store) = open();
    create(&store, "bob", "right password", Role::ReportViewer, 1).unwrap();
    for _ in 0..9 {
        try_login(&store, "bob", "wrong", None, 1);
    }
    assert!(matches!(
        try_login(&store, "bob", "right password", None, 1),
        LoginOutcome::Ok(_)
    ));
    assert_eq!(get(&store, "bob").unwrap().unwrap().failed_logins, 0);
    let policy = PasswordPolicy::new(12);
    let ops =
        change_password_ops(&store, "bob", ("right password", "new password"), &policy).unwrap();
    store.write_ops(&ops.unwrap(), true).unwrap();
    assert!(
        change_password_ops(&store, "bob", ("wrong", "new password 2"), &policy)
            .unwrap()
            .is_none()
    );
    assert!(matches!(
        change_password_ops(&store, "bob", ("new password", "password1234"), &policy),
        Err(UserError::Policy(PolicyError::Common))
    ));
    assert!(matches!(
        change_password_ops(&store, "bob", ("new password", "new password"), &policy),
        Err(UserError::Policy(PolicyError::Unchanged))
    ));
    // A reset: a one-time password that works and must then be changed.
    let (one_time, ops) = reset_password_ops(&store, "bob").unwrap();
    store.write_ops(&ops, true).unwrap();
    assert_eq!(one_time.len(), 20);
    assert!(matches!(
        try_login(&store, "bob", &one_time, None, 1),
        LoginOutcome::Ok(r) if r.must_change_password
    ));
    let ops = change_password_ops(&store, "bob", (&one_time, "a better password"), &policy)
        .unwrap()
        .unwrap();
    store.write_ops(&ops, true).unwrap();
    assert!(!get(&store, "bob").unwrap().unwrap().must_change_password);
    store
        .write_ops(&remove_ops(&store, "bob").unwrap().unwrap(), true)
        .unwrap();
    assert!(remove_ops(&store, "bob").unwrap().is_none());
}

/// The code of `key` for the step of `now_ms`, computed the long way (RFC 4226 §5.3).
fn code_at(secret_b32: &str, now_ms: u64) -> String {
    let totp = totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        totp_rs::Secret::Encoded(secret_b32.to_string())
            .to_bytes()
            .unwrap(),
        None,
        "t".into(),
    )
    .unwrap();
    totp.generate(now_ms / 1000)
}

#[test]
fn two_factor_codes_are_needed_single_use_and_count_as_failures() {
    let (_dir, store) = open();
    create(&store, "carol", "right password", Role::GroupAdmin, 1).unwrap();
    let t0 = 1_700_000_000_000;
    let (e, ops) = totp_new_key(&store, "carol", "hikyaku test", false).unwrap();
    store.write_ops(&ops, true).unwrap();
    assert!(e.uri.starts_with("otpauth://totp/"), "{}", e.uri);
    // Enrolled but not confirmed: no code needed yet.
    assert!(!two_factor_on(&store, "carol").unwrap());
    assert!(matches!(
        try_login(&store, "carol", "right password", None, t0),
        LoginOutcome::Ok(_)
    ));
    assert!(matches!(
        totp_confirm(&store, "carol", "000000", t0).unwrap(),
        Err(CodeRefused::Wrong)
    ));
    let ops = totp_confirm(&store, "carol", &code_at(&e.secret, t0), t0)
        .unwrap()
        .unwrap();
    store.write_ops(&ops, true).unwrap();
    assert!(two_factor_on(&store, "carol").unwrap());
    // A second enrolment is refused while it is on.
    assert!(matches!(
        totp_new_key(&store, "carol", "x", false),
        Err(UserError::TotpOn(_))
    ));
    // The confirming code's step is used up.
    let t1 = t0 + 30_000;
    assert_eq!(
        try_login(&store, "carol", "right password", None, t1),
        LoginOutcome::Failed(Failure::CodeMissing)
    );
    assert_eq!(
        try_login(
            &store,
            "carol",
            "right password",
            Some(&code_at(&e.secret, t0)),
            t0
        ),
        LoginOutcome::Failed(Failure::CodeReused)
    );
    let code = code_at(&e.secret, t1);
    assert!(matches!(
        try_login(&store, "carol", "right password", Some(&code), t1),
        LoginOutcome::Ok(_)
    ));
    assert_eq!(
        try_login(&store, "carol", "right password", Some(&code), t1),
        LoginOutcome::Failed(Failure::CodeReused)
    );
    // Wrong codes lock like wrong passwords (the reused code above counts too).
    let mut last = None;
    for _ in 0..9 {
        last = Some(try_login(
            &store,
            "carol",
            "right password",
            Some("123456"),
            t1,
        ));
    }
    assert_eq!(
        last,
        Some(LoginOutcome::Locked {
            by: Some(Failure::CodeWrong)
        })
    );
    // Re-issue: a new key, off until confirmed, the old codes no longer apply.
    store
        .write_ops(&unlock_ops(&store, "carol").unwrap(), true)
        .unwrap();
    let (e2, ops) = totp_new_key(&store, "carol", "x", true).unwrap();
    store.write_ops(&ops, true).unwrap();
    assert_ne!(e2.secret, e.secret);
    assert!(!two_factor_on(&store, "carol").unwrap());
    assert!(matches!(
        try_login(&store, "carol", "right password", None, t1 + 60_000),
        LoginOutcome::Ok(_)
    ));
    // Removing the account removes its key.
    store
        .write_ops(&remove_ops(&store, "carol").unwrap().unwrap(), true)
        .unwrap();
    assert!(totp::get(&store, "carol").unwrap().is_none());
    assert!(matches!(
        totp_confirm(&store, "nobody", "123456", t1),
        Err(UserError::NotFound(_))
    ));
}
