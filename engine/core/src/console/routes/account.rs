//! `GET /account` and `POST /account`: "My account" through `users.change_password` and
//! `users.update_me`. A password change ends every session of the account (the API's rule),
//! so it leads back to the login form.

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::users::{ChangePassword, Language, UpdateMe};

use super::super::forms::field;
use super::super::pages::account::{account, AccountView};
use super::super::pages::{self, Viewer};
use super::super::session::{self, SESSION_COOKIE};
use super::super::{call, Backend, Console, Request, Response};
use super::Session;
use crate::users::sha256_hex;

impl<B: Backend> Console<B> {
    /// The page, with the outcome of a form just sent.
    pub(super) fn account_page(
        &self,
        s: &Session,
        outcome: Option<Result<&str, &str>>,
        status: u16,
    ) -> Response {
        let viewer = Viewer {
            account: &s.account,
            csrf: &s.csrf,
        };
        let view = AccountView {
            language: s.language,
            time_zone: s.time_zone.as_deref(),
            must_change_password: s.must_change_password,
            outcome,
        };
        Response::html(status, account(&viewer, &view))
    }

    /// A form of the page, sent.
    pub(super) async fn account_post(&self, req: &Request, s: Session) -> Response {
        if !session::same(field(&req.form, "csrf").unwrap_or(""), &s.csrf) {
            return Response::html(
                403,
                pages::bare(
                    "Stale form",
                    pages::error_box("This form was not made for your current session."),
                ),
            );
        }
        // Passwords are taken as typed (spaces included); other fields are trimmed.
        let raw = |name: &str| {
            req.form
                .iter()
                .find(|(k, _)| k == name)
                .map_or(String::new(), |(_, v)| v.clone())
        };
        let token = Some(s.token.as_str());
        match field(&req.form, "form") {
            Some("password") => {
                let params = ChangePassword {
                    current: raw("current"),
                    new: raw("new"),
                };
                match call(
                    &self.backend,
                    m::USERS_CHANGE_PASSWORD,
                    &params,
                    req.ip,
                    token,
                )
                .await
                {
                    Ok(_) => {
                        self.idle.end(&sha256_hex(&s.token));
                        Response::redirect("/?ended=password")
                            .with_cookie(session::set_cookie(SESSION_COOKIE, None))
                    }
                    Err(f) => self.account_page(&s, Some(Err(&f.message)), 400),
                }
            }
            Some("preferences") if !s.must_change_password => {
                let language = match field(&req.form, "language") {
                    Some("ja") => Some(Language::Ja),
                    Some("en") => Some(Language::En),
                    _ => None,
                };
                let params = UpdateMe {
                    language,
                    time_zone: field(&req.form, "time_zone")
                        .map(str::trim)
                        .filter(|z| !z.is_empty())
                        .map(str::to_string),
                };
                match call(&self.backend, m::USERS_UPDATE_ME, &params, req.ip, token).await {
                    Ok(me) => {
                        let s = Session {
                            language: me.language,
                            time_zone: me.time_zone,
                            ..s
                        };
                        self.account_page(&s, Some(Ok("Saved.")), 200)
                    }
                    Err(f) => self.account_page(&s, Some(Err(&f.message)), 400),
                }
            }
            _ => self.account_page(&s, Some(Err("Unknown form.")), 400),
        }
    }
}
