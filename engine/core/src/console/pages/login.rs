//! The login form: account, password and (for accounts with two-factor authentication) the
//! one-time code, posted to `/login` with the double-submit CSRF token.

use maud::html;

/// The login page; `message` explains a failed attempt or an ended session.
pub(crate) fn login(csrf: &str, message: Option<&str>) -> String {
    super::bare(
        "Log in",
        html! {
            form.login method="post" action="/login" #login {
                h1 { "hikyaku console" }
                @if let Some(m) = message { (super::error_box(m)) }
                input type="hidden" name="csrf" value=(csrf);
                label { "Account" input type="text" name="account" autocomplete="username" required autofocus; }
                label { "Password" input type="password" name="password" autocomplete="current-password" required; }
                label { "One-time code (if two-factor is on)" input type="text" name="totp" inputmode="numeric" autocomplete="one-time-code"; }
                button type="submit" { "Log in" }
            }
        },
    )
}
