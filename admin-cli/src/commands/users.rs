//! `hikyaku login`, `logout`, `whoami` and `hikyaku users ...`.

mod my_account;
mod totp;

use std::io::IsTerminal;

use hikyaku_rpc::errors;
use hikyaku_rpc::methods;
use hikyaku_rpc::types::users::{
    AddAccount, AddApiUser, ApiKey, ChangePassword, Identity, Login, OneTimePassword, Session,
    UserList, UserName,
};
use hikyaku_rpc::types::{Done, NoParams};

use super::{read_stdin_lines, Api, Ctx};
use crate::args::LoginArgs;
use crate::args_admin::UsersCmd;
use crate::credentials::{env_var, save_entries, save_session, KeySource};
use crate::failure::usage;
use crate::i18n;
use crate::output::{self, wire_name, yes_no, Fields, Table};

/// One password from the first line of stdin (prompting on stderr when stdin is a terminal).
fn stdin_password(prompt: &str) -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        output::note(&format!("{prompt} (input is visible):"));
    }
    let mut lines = read_stdin_lines(1)?;
    Ok(lines.pop().unwrap_or_default())
}

/// `hikyaku login`.
pub async fn login(ctx: &Ctx, a: LoginArgs) -> anyhow::Result<()> {
    let Some(path) = ctx.creds.config_path.clone() else {
        return Err(usage(
            "nowhere to save the session: HOME is not set; pass --config or set HIKYAKU_CONFIG",
        ));
    };
    let password = if a.password_stdin {
        stdin_password("password")?
    } else {
        env_var("HIKYAKU_PASSWORD")
            .ok_or_else(|| usage("no password: pass --password-stdin or set HIKYAKU_PASSWORD"))?
    };
    // Log in without any configured credential: a stale token must not get in the way.
    let api = Api::connect(&ctx.creds.url, None, ctx.timeout)?;
    let params = Login {
        account: a.account,
        password,
        totp: a.totp,
    };
    let value = api.call_value(methods::USERS_LOGIN, &params).await?;
    let session: Session = api.decode(methods::USERS_LOGIN, value.clone())?;
    let language = i18n::from_wire(session.language).code();
    save_entries(
        &path,
        &[
            ("session", Some(&session.token)),
            ("language", Some(language)),
        ],
    )?;
    // The account's language applies from this login's own output on.
    i18n::adopt_account(session.language);
    let saved = i18n::message("session saved to {}", &[&path.display()]);
    if ctx.json {
        output::emit_json(&value)?;
        output::note(&saved);
    } else {
        let who = i18n::message(
            "logged in as {} ({}) until {}",
            &[
                &session.account,
                &wire_name(&session.role),
                &session.expires,
            ],
        );
        output::emit(&format!("{who}\n{saved}\n"))?;
    }
    if session.must_change_password {
        output::note(
            "hikyaku: note: this password is a one-time password; change it now with \
             hikyaku users change-password (nothing else is allowed until then)",
        );
    }
    if matches!(
        ctx.creds.key_source,
        KeySource::Flag | KeySource::Env | KeySource::ConfigKey
    ) {
        output::note("hikyaku: note: a key given by --key, HIKYAKU_KEY or the config file's `key` takes precedence over the saved session");
    }
    Ok(())
}

/// `hikyaku logout`: ends the session on the server and, when it was the saved one, forgets it.
pub async fn logout(ctx: &Ctx) -> anyhow::Result<()> {
    let saved = ctx.creds.key_source == KeySource::ConfigSession;
    let forget = || -> anyhow::Result<String> {
        match (&ctx.creds.config_path, saved) {
            (Some(path), true) => {
                save_session(path, None)?;
                Ok(format!("removed the saved session from {}", path.display()))
            }
            _ => Ok(String::new()),
        }
    };
    if ctx.creds.key.is_none() {
        return Err(usage("not logged in: no session saved and no key given"));
    }
    let api = ctx.api()?;
    match api.call_value(methods::USERS_LOGOUT, &NoParams {}).await {
        Ok(value) => {
            let removed = forget()?;
            if ctx.json {
                output::emit_json(&value)?;
                if !removed.is_empty() {
                    output::note(&removed);
                }
                Ok(())
            } else if removed.is_empty() {
                output::emit("logged out\n")
            } else {
                output::emit(&format!("logged out\n{removed}\n"))
            }
        }
        // The saved session expired already: forgetting it is all that is left to do.
        Err(e) if saved && e.error.code() == Some(errors::UNAUTHENTICATED) => {
            let removed = forget()?;
            output::note(&format!("the saved session had already expired; {removed}"));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

/// `hikyaku whoami`.
pub async fn whoami(ctx: &Ctx) -> anyhow::Result<()> {
    ctx.show(methods::USERS_WHOAMI, &NoParams {}, render_identity)
        .await
}

fn render_identity(i: &Identity) -> String {
    match i {
        Identity::ApiUser {
            name,
            send,
            transactional,
        } => Fields::new()
            .add("kind", "api_user")
            .add("name", name)
            .add("send", yes_no(*send))
            .add("transactional", yes_no(*transactional)),
        Identity::Account {
            name,
            role,
            language,
            time_zone,
            ..
        } => Fields::new()
            .add("kind", "account")
            .add("name", name)
            .add("role", wire_name(role))
            .add("language", i18n::from_wire(*language).code())
            .add("time_zone", time_zone.as_deref().unwrap_or("UTC")),
    }
    .render()
}

/// Runs a `users` subcommand.
pub async fn run(ctx: &Ctx, cmd: UsersCmd) -> anyhow::Result<()> {
    match cmd {
        UsersCmd::List => {
            ctx.show(methods::USERS_LIST, &NoParams {}, render_list)
                .await
        }
        UsersCmd::AddApiUser {
            name,
            password_stdin,
            no_send,
            no_transactional,
        } => {
            let password = if password_stdin {
                Some(stdin_password("SMTP AUTH password")?)
            } else {
                None
            };
            let params = AddApiUser {
                name,
                password,
                send: !no_send,
                transactional: !no_transactional,
            };
            ctx.show(methods::USERS_ADD_API_USER, &params, render_key)
                .await
        }
        UsersCmd::AddAccount {
            name,
            role,
            password_stdin,
        } => {
            let password = if password_stdin {
                stdin_password("password")?
            } else {
                env_var("HIKYAKU_NEW_PASSWORD").ok_or_else(|| {
                    usage("no password: pass --password-stdin or set HIKYAKU_NEW_PASSWORD")
                })?
            };
            let params = AddAccount {
                name: name.clone(),
                password,
                role: role.into(),
            };
            ctx.show(methods::USERS_ADD_ACCOUNT, &params, |_: &Done| {
                format!("account {name} created\n")
            })
            .await
        }
        UsersCmd::Remove { name } => {
            let msg = format!("{name} removed\n");
            ctx.show(methods::USERS_REMOVE, &UserName { name }, |_: &Done| msg)
                .await
        }
        UsersCmd::Unlock { name } => {
            let msg = format!("account {name} unlocked\n");
            ctx.show(methods::USERS_UNLOCK, &UserName { name }, |_: &Done| msg)
                .await
        }
        UsersCmd::RotateKey { name } => {
            ctx.show(methods::USERS_ROTATE_KEY, &UserName { name }, render_key)
                .await
        }
        UsersCmd::ResetPassword { name } => {
            ctx.show(
                methods::USERS_RESET_PASSWORD,
                &UserName { name },
                |p: &OneTimePassword| {
                    output::note(
                        "hikyaku: note: the one-time password is shown only once; the account \
                         must change it at its next login (hikyaku users change-password)",
                    );
                    Fields::new()
                        .add("account", &p.account)
                        .add("one_time_password", &p.password)
                        .render()
                },
            )
            .await
        }
        UsersCmd::UpdateMe {
            language,
            time_zone,
        } => my_account::update_me(ctx, language, time_zone).await,
        UsersCmd::TotpEnroll => totp::enroll(ctx).await,
        UsersCmd::TotpConfirm { code } => totp::confirm(ctx, code).await,
        UsersCmd::TotpReissue { name } => totp::reissue(ctx, name).await,
        UsersCmd::ChangePassword { password_stdin } => {
            let (current, new) = if password_stdin {
                if std::io::stdin().is_terminal() {
                    output::note(
                        "current password, then new password, one per line (input is visible):",
                    );
                }
                let mut lines = read_stdin_lines(2)?.into_iter();
                (
                    lines.next().unwrap_or_default(),
                    lines.next().unwrap_or_default(),
                )
            } else {
                match (env_var("HIKYAKU_PASSWORD"), env_var("HIKYAKU_NEW_PASSWORD")) {
                    (Some(c), Some(n)) => (c, n),
                    _ => return Err(usage(
                        "no passwords: pass --password-stdin (current, then new, one per line) \
                             or set HIKYAKU_PASSWORD and HIKYAKU_NEW_PASSWORD",
                    )),
                }
            };
            ctx.show(
                methods::USERS_CHANGE_PASSWORD,
                &ChangePassword { current, new },
                |_: &Done| format!("{}\n", i18n::message("password changed", &[])),
            )
            .await
        }
    }
}

fn render_key(k: &ApiKey) -> String {
    output::note("hikyaku: note: the API key is shown only once; store it now");
    Fields::new()
        .add("name", &k.name)
        .add("api_key", &k.api_key)
        .render()
}

fn render_list(l: &UserList) -> String {
    let mut api = Table::new(&[
        "NAME",
        "SEND",
        "TRANSACTIONAL",
        "API_KEY",
        "PASSWORD",
        "CREATED",
    ]);
    for u in &l.api_users {
        api.row(vec![
            u.name.clone(),
            yes_no(u.send),
            yes_no(u.transactional),
            yes_no(u.has_api_key),
            yes_no(u.has_password),
            u.created.clone(),
        ]);
    }
    let mut accounts = Table::new(&[
        "NAME",
        "ROLE",
        "LOCKED",
        "FAILED_LOGINS",
        "TWO_FACTOR",
        "CREATED",
    ])
    .right(&[3]);
    for a in &l.accounts {
        accounts.row(vec![
            a.name.clone(),
            wire_name(&a.role),
            yes_no(a.locked),
            a.failed_logins.to_string(),
            yes_no(a.two_factor),
            a.created.clone(),
        ]);
    }
    format!(
        "API users\n{}\nAccounts\n{}",
        api.render(),
        accounts.render()
    )
}
