//! "My account": `users.update_me`, and the account's time zone as the default of the calls
//! that count by local day (`stats.daily`, `stats.graph`) and of prohibited hours written
//! into a settings draft without a zone (SPEC §13.2: "the account's (or a given) time zone").

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::{Language as WireLanguage, MyAccount};
use jsonrpsee::RpcModule;
use serde_json::{json, Value};

use super::auth::Caller;
use super::handlers::{blocking, register_audited, wire_role};
use super::{ApiContext, ApiError};
use crate::accounts::preferences::{self, Language, Update};
use crate::storage::Store;

pub(super) fn wire_language(l: Language) -> WireLanguage {
    match l {
        Language::En => WireLanguage::En,
        Language::Ja => WireLanguage::Ja,
    }
}

fn language_of(l: WireLanguage) -> Language {
    match l {
        WireLanguage::En => Language::En,
        WireLanguage::Ja => Language::Ja,
    }
}

/// The time zone a day-counting call uses: the one given, else the calling account's, else
/// none (UTC). API users have no account and so no zone of their own.
pub(super) fn zone_for(
    store: &Store,
    caller: &Caller,
    given: Option<String>,
) -> Result<Option<String>, ApiError> {
    match (given, caller) {
        (Some(zone), _) => Ok(Some(zone)),
        (None, Caller::Account { name, .. }) => Ok(preferences::time_zone_of(store, name)?),
        (None, _) => Ok(None),
    }
}

/// Gives every prohibited-hours window in a settings draft (`policy.rules[].hold`) that the
/// caller wrote without a `time_zone` the caller's zone, so the stored draft says which zone
/// it means rather than silently meaning UTC.
pub(super) fn fill_hold_zones(settings: &mut Value, zone: &str) {
    let rules = settings
        .get_mut("policy")
        .and_then(|p| p.get_mut("rules"))
        .and_then(Value::as_array_mut);
    for rule in rules.into_iter().flatten() {
        if let Some(hold) = rule.get_mut("hold").and_then(Value::as_object_mut) {
            hold.entry("time_zone")
                .or_insert_with(|| Value::String(zone.to_string()));
        }
    }
}

/// Registers `users.update_me`.
pub(super) fn register_my_account(module: &mut RpcModule<ApiContext>) {
    register_audited(module, m::USERS_UPDATE_ME, |ctx, c, audit, p| async move {
        let Caller::Account { name, .. } = &c else {
            return Err(ApiError::Conflict(
                "only accounts have a language and time zone; API users have neither".into(),
            ));
        };
        let update = Update {
            language: p.language.map(language_of),
            time_zone: p.time_zone.clone(),
        };
        let (store, who) = (ctx.store.clone(), name.clone());
        let (record, mut ops) = blocking(move || {
            preferences::update_ops(&store, &who, &update)?
                .map_err(|e| ApiError::invalid("time_zone", e.to_string()))
        })
        .await?;
        let details = json!({ "language": p.language, "time_zone": p.time_zone });
        ops.extend(audit.ops(&ctx, Some(name), details)?);
        let store = ctx.store.clone();
        blocking(move || Ok(store.write_ops(&ops, true)?)).await?;
        Ok(MyAccount {
            account: record.name,
            role: wire_role(record.role),
            language: wire_language(record.language),
            time_zone: record.time_zone,
        })
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_windows_without_a_zone_get_the_callers() {
        let mut doc = json!({"policy": {"rules": [
            {"header": "To", "match": ".*", "hold": {"from": "21:00", "to": "08:00"}},
            {"header": "To", "match": ".*", "hold": {"from": "01:00", "to": "02:00", "time_zone": "UTC"}},
            {"header": "To", "match": ".*", "priority": "low"}
        ]}});
        fill_hold_zones(&mut doc, "Asia/Tokyo");
        let rules = &doc["policy"]["rules"];
        assert_eq!(rules[0]["hold"]["time_zone"], "Asia/Tokyo");
        assert_eq!(rules[1]["hold"]["time_zone"], "UTC");
        assert!(rules[2].get("hold").is_none());
        let mut other = json!({"delivery": {"retry_minutes": 5}});
        fill_hold_zones(&mut other, "Asia/Tokyo");
        assert_eq!(other, json!({"delivery": {"retry_minutes": 5}}));
    }
}
