//! "My account": change the password, the language (of the CLI) and the time zone (report
//! days, graphs, prohibited hours written without one). A session opened with a one-time
//! password sees only this page until the password is changed.

use hikyaku_rpc::types::users::Language;
use maud::html;

use super::{error_box, Viewer};

/// What the page shows about the account, and the outcome of the last form sent.
pub(crate) struct AccountView<'a> {
    pub(crate) language: Language,
    pub(crate) time_zone: Option<&'a str>,
    pub(crate) must_change_password: bool,
    /// `Ok(message)` after a change, `Err(message)` when it was refused.
    pub(crate) outcome: Option<Result<&'a str, &'a str>>,
}

/// The page.
pub(crate) fn account(viewer: &Viewer<'_>, v: &AccountView<'_>) -> String {
    super::page(
        "My account",
        "/account",
        viewer,
        html! {
            @match v.outcome {
                Some(Ok(message)) => div.notice role="status" #outcome { (message) },
                Some(Err(message)) => (error_box(message)),
                None => {},
            }
            @if v.must_change_password {
                (error_box("You logged in with a one-time password. Choose your own password to continue."))
            }
            h2 { "Password" }
            form.search method="post" action="/account" #password-form {
                input type="hidden" name="csrf" value=(viewer.csrf);
                input type="hidden" name="form" value="password";
                label { "Current password" input type="password" name="current" autocomplete="current-password" required; }
                label { "New password" input type="password" name="new" autocomplete="new-password" required; }
                button type="submit" { "Change password" }
            }
            @if !v.must_change_password {
                h2 { "Language and time zone" }
                p { "The language is that of the hikyaku command line's messages; the time zone is used for report days, graphs and prohibited hours written without one." }
                form.search method="post" action="/account" #preferences-form {
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    input type="hidden" name="form" value="preferences";
                    label { "Language"
                        select name="language" {
                            option value="en" selected[v.language == Language::En] { "English" }
                            option value="ja" selected[v.language == Language::Ja] { "日本語" }
                        }
                    }
                    label { "Time zone" input type="text" name="time_zone" value=(v.time_zone.unwrap_or("UTC")) placeholder="Asia/Tokyo"; }
                    button type="submit" { "Save" }
                }
            }
        },
    )
}
