//! Fuzzes the parameters of every RPC method as the server reads them.
//!
//! The first input byte picks a method (modulo the table), the rest is the `params` text,
//! normalised and parsed exactly as `api::handlers::parse` does (empty, `null` and `[]` mean
//! `{}`; anything not starting with `{` is refused; then `serde_json::from_str` into the
//! method's parameter type).
//! Invariants: no panic; parameters the server accepts serialise to JSON (the CLI and the
//! Rust clients send them that way) which parses again into the same type and serialises to
//! the same JSON (round trip); the table below covers every method of `methods::all()`.
#![no_main]

use std::sync::Once;

use hikyaku_rpc::method::Method;
use hikyaku_rpc::methods::*;
use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

type Check = fn(&str);

/// The parse-and-round-trip check of one method's parameter type.
fn check<P: DeserializeOwned + Serialize, R>(_: Method<P, R>) -> Check {
    |text| {
        let raw = text.trim();
        let text = if raw.is_empty() || raw == "null" || raw == "[]" {
            "{}"
        } else {
            raw
        };
        if !text.starts_with('{') {
            return;
        }
        let Ok(parsed) = serde_json::from_str::<P>(text) else {
            return;
        };
        let first = serde_json::to_value(&parsed).expect("accepted params serialise");
        let again: P = match serde_json::from_value(first.clone()) {
            Ok(p) => p,
            Err(e) => panic!("serialised params {first} do not parse again: {e}"),
        };
        let second = serde_json::to_value(&again).expect("accepted params serialise");
        assert_eq!(first, second, "params round trip changed");
    }
}

macro_rules! table {
    ($($m:ident),* $(,)?) => {
        const TABLE_LEN: usize = [$(stringify!($m)),*].len();
        fn table() -> [(&'static str, Check); TABLE_LEN] {
            [$(($m.name, check($m))),*]
        }
    };
}

table!(
    SEND_SINGLE,
    SEND_BULK,
    SEND_JOB,
    DELIVERIES_SEARCH,
    DELIVERIES_EXPORT,
    BOUNCES_SEARCH,
    BOUNCES_EXPORT,
    RECEIVED_LIST,
    RECEIVED_GET,
    STATS_ERRORS,
    STATS_GRAPH,
    BLOCKS_LIST,
    BLOCKS_ADD,
    BLOCKS_REMOVE,
    STATS_DAILY,
    SPF_RECORD,
    SPF_CHECK,
    DMARC_RECORD,
    DMARC_CHECK,
    DMARC_REPORTS,
    QUEUE_SUMMARY,
    QUEUE_FORCE_SEND,
    SETTINGS_GET,
    SETTINGS_SET,
    SETTINGS_VALIDATE,
    SETTINGS_DIFF,
    SETTINGS_APPLY,
    SETTINGS_ROLLBACK,
    DKIM_CREATE,
    DKIM_LIST,
    DKIM_CHECK,
    DKIM_ACTIVATE,
    DKIM_REMOVE,
    SMIME_ADD,
    SMIME_LIST,
    SMIME_REMOVE,
    USERS_LOGIN,
    USERS_LOGOUT,
    USERS_WHOAMI,
    USERS_CHANGE_PASSWORD,
    USERS_UPDATE_ME,
    USERS_LIST,
    USERS_ADD_API_USER,
    USERS_ROTATE_KEY,
    USERS_ADD_ACCOUNT,
    USERS_REMOVE,
    USERS_UNLOCK,
    USERS_RESET_PASSWORD,
    USERS_TOTP_ENROLL,
    USERS_TOTP_CONFIRM,
    USERS_TOTP_REISSUE,
    OPLOG_SEARCH,
    WEBHOOKS_CREATE,
    WEBHOOKS_LIST,
    WEBHOOKS_REMOVE,
    WEBHOOKS_STATUS,
    WEBHOOKS_REPLAY,
    WEBHOOKS_DEAD_LETTERS,
    SHAPING_STATUS,
    SHAPING_CLEAR,
    SYSTEM_STATUS,
    RPC_DISCOVER,
);

static COVERED: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    let table = table();
    COVERED.call_once(|| {
        let mut ours: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
        let mut all: Vec<&str> = all().iter().map(|m| m.name).collect();
        ours.sort_unstable();
        all.sort_unstable();
        assert_eq!(ours, all, "the fuzz table must list every RPC method");
    });
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (_, check) = table[usize::from(pick) % table.len()];
    check(text);
});
