//! `hikyaku users update-me`: the calling account's language and time zone.

use hikyaku_rpc::methods;
use hikyaku_rpc::types::users::{Language, MyAccount, UpdateMe};

use super::super::Ctx;
use crate::credentials::save_entries;
use crate::failure::usage;
use crate::i18n::{self, Lang};
use crate::output::{self, wire_name, Fields};

/// Runs `hikyaku users update-me`. The new language is also saved in the config file, so the
/// CLI speaks it from this call's own output on (unless `--lang`/`HIKYAKU_LANG` chose one).
pub async fn update_me(
    ctx: &Ctx,
    language: Option<Lang>,
    time_zone: Option<String>,
) -> anyhow::Result<()> {
    if language.is_none() && time_zone.is_none() {
        return Err(usage(
            "nothing to change: pass --language ja|en and/or --time-zone TZ",
        ));
    }
    let params = UpdateMe {
        language: language.map(|l| match l {
            Lang::En => Language::En,
            Lang::Ja => Language::Ja,
        }),
        time_zone,
    };
    let api = ctx.api()?;
    let value = api.call_value(methods::USERS_UPDATE_ME, &params).await?;
    let me: MyAccount = api.decode(methods::USERS_UPDATE_ME, value.clone())?;
    // Only a session's language is saved: a key given by flag or environment may belong to
    // another account than the config file's session.
    if let Some(path) = ctx.creds.config_path.as_deref().filter(|p| p.exists()) {
        save_entries(
            path,
            &[("language", Some(i18n::from_wire(me.language).code()))],
        )?;
    }
    i18n::adopt_account(me.language);
    if ctx.json {
        return output::emit_json(&value);
    }
    output::emit(
        &Fields::new()
            .add("account", &me.account)
            .add("role", wire_name(&me.role))
            .add("language", i18n::from_wire(me.language).code())
            .add("time_zone", me.time_zone.as_deref().unwrap_or("UTC"))
            .render(),
    )
}
