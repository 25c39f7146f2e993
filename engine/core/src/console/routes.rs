//! Which page answers which request, and the checks before it: a live console session, the
//! idle timeout, and the CSRF token of every form submission.
//!
//! URL map (docs/operations.md, "Web console"):
//! `GET /` login form · `POST /login` · `POST /logout` · `GET /dashboard` ·
//! `GET /deliveries` and `/deliveries/export` · `GET /errors` and `/errors/export` ·
//! `GET /lists` · `GET /settings` · `GET`/`POST /account`. A GET with any query parameter is
//! a form submission or a link the console made, and must carry the session's CSRF token, as
//! every POST does. A session opened with a one-time password is sent to `/account` from
//! every page until it has changed the password.

use std::time::Instant;

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::blocks::ListName;
use hikyaku_rpc::types::deliveries::ExportFormat;
use hikyaku_rpc::types::queue::SummaryQuery;
use hikyaku_rpc::types::settings::{GetSettings, Which};
use hikyaku_rpc::types::stats::{GraphBucket, GraphKind, GraphQuery};
use hikyaku_rpc::types::users::{Identity, Language};
use hikyaku_rpc::types::NoParams;
use serde_json::json;

use super::forms::{self, field};
use super::pages::{self, dashboard, logs, Viewer};
use super::session::{self, Activity, LOGIN_COOKIE, SESSION_COOKIE};
use super::{call, Backend, Body, Console, Export, HttpMethod, Request, Response, RpcFailure};
use crate::users::sha256_hex;

mod account;

/// A logged-in viewer of one request.
struct Session {
    token: String,
    account: String,
    csrf: String,
    language: Language,
    time_zone: Option<String>,
    must_change_password: bool,
}

/// Size of the dashboard's charts (the SVG scales to the page).
const CHART_SIZE: (u32, u32) = (720, 360);

fn status_text(f: &RpcFailure) -> String {
    f.message.clone()
}

impl<B: Backend> Console<B> {
    /// Answers one request. `now` drives the idle timeout, `now_ms` the dashboard's ranges.
    pub async fn handle(&self, req: Request, now: Instant, now_ms: u64) -> Response {
        use HttpMethod::*;
        match (req.method, req.path.as_str()) {
            (Get, "/") => self.login_page(&req, now).await,
            (Post, "/login") => self.login(&req, now).await,
            (Post, "/logout") => self.logout(&req, now).await,
            (Post, "/account") => match self.session(&req, now).await {
                Ok(s) => self.account_post(&req, s).await,
                Err(r) => r,
            },
            (
                Get,
                "/dashboard" | "/deliveries" | "/deliveries/export" | "/errors" | "/errors/export"
                | "/lists" | "/settings" | "/account",
            ) => {
                let s = match self.session(&req, now).await {
                    Ok(s) => s,
                    Err(r) => return r,
                };
                if req.path == "/account" {
                    return self.account_page(&s, None, 200);
                }
                if s.must_change_password {
                    return Response::redirect("/account");
                }
                if !req.query.is_empty() {
                    let given = field(&req.query, "csrf").unwrap_or("");
                    if !session::same(given, &s.csrf) {
                        return Response::html(
                            403,
                            pages::bare(
                                "Stale link",
                                pages::error_box(
                                    "This link or form was not made for your current session. Open the page from the navigation bar again.",
                                ),
                            ),
                        );
                    }
                }
                self.page(&req, &s, now_ms).await
            }
            (Other, _) => Response {
                status: 405,
                headers: vec![("allow", "GET, POST".into())],
                body: Body::Text("method not allowed\n".into()),
            },
            _ => Response::html(
                404,
                pages::bare("Not found", pages::error_box("There is no such page.")),
            ),
        }
    }

    async fn page(&self, req: &Request, s: &Session, now_ms: u64) -> Response {
        let viewer = Viewer {
            account: &s.account,
            csrf: &s.csrf,
        };
        let ip = req.ip;
        let token = Some(s.token.as_str());
        let html = match req.path.as_str() {
            "/dashboard" => self.dashboard(req, s, now_ms).await,
            "/deliveries" => {
                let q = forms::delivery_query(&req.query);
                let result = self
                    .log_search(m::DELIVERIES_SEARCH, q, req, s, |p| {
                        p.next_cursor.as_deref()
                    })
                    .await;
                logs::deliveries(&viewer, &req.query, &result)
            }
            "/errors" => {
                let q = forms::bounce_query(&req.query);
                let result = self
                    .log_search(m::BOUNCES_SEARCH, q, req, s, |p| p.next_cursor.as_deref())
                    .await;
                logs::errors(&viewer, &req.query, &result)
            }
            "/deliveries/export" | "/errors/export" => return self.export(req, s),
            "/lists" => {
                let (list, contains, result, next) = match forms::block_query(&req.query) {
                    Err(e) => (ListName::Block, String::new(), Err(e.to_string()), None),
                    Ok(q) => {
                        let r = call(&self.backend, m::BLOCKS_LIST, &q, ip, token)
                            .await
                            .map_err(|f| status_text(&f));
                        let next = r.as_ref().ok().and_then(|p| {
                            p.next_cursor
                                .as_deref()
                                .map(|c| forms::same_search(&req.query, &s.csrf, &[("cursor", c)]))
                        });
                        (q.list, q.contains.unwrap_or_default(), r, next)
                    }
                };
                pages::lists::lists(&viewer, list, &contains, &result, next.as_deref())
            }
            _ => {
                let applied = call(
                    &self.backend,
                    m::SETTINGS_GET,
                    &GetSettings {
                        which: Which::Applied,
                    },
                    ip,
                    token,
                )
                .await
                .map_err(|f| status_text(&f));
                let diff = call(&self.backend, m::SETTINGS_DIFF, &NoParams {}, ip, token)
                    .await
                    .map_err(|f| status_text(&f));
                pages::settings::settings(&viewer, &applied, &diff)
            }
        };
        Response::html(200, html)
    }

    /// One page of a log search and its next-page and download links.
    async fn log_search<P: serde::Serialize, R: serde::de::DeserializeOwned>(
        &self,
        method: hikyaku_rpc::Method<P, R>,
        query: Result<P, forms::FieldError>,
        req: &Request,
        s: &Session,
        next_cursor: impl Fn(&R) -> Option<&str>,
    ) -> Result<(R, logs::Links), String> {
        let q = query.map_err(|e| e.to_string())?;
        let page = call(&self.backend, method, &q, req.ip, Some(&s.token))
            .await
            .map_err(|f| status_text(&f))?;
        let links = links(req, &s.csrf, next_cursor(&page));
        Ok((page, links))
    }

    async fn dashboard(&self, req: &Request, s: &Session, now_ms: u64) -> String {
        let range = field(&req.query, "range")
            .filter(|r| matches!(*r, "7d" | "40d"))
            .unwrap_or("24h");
        let (hours, bucket) = match range {
            "7d" => (7 * 24, GraphBucket::Day),
            "40d" => (40 * 24, GraphBucket::Day),
            _ => (24, GraphBucket::Hour),
        };
        // The account's own zone unless the page asks for another (SPEC §13.2).
        let time_zone = field(&req.query, "tz")
            .map(str::to_string)
            .or_else(|| s.time_zone.clone())
            .unwrap_or_else(|| "UTC".into());
        let from = crate::api::time::format_ms(now_ms.saturating_sub(hours * 3_600_000));
        let query = |kind| GraphQuery {
            kind,
            from: Some(from.clone()),
            to: None,
            bucket,
            time_zone: Some(time_zone.clone()),
            domain: None,
            api_user: None,
            top: Some(8),
        };
        let (ip, token) = (req.ip, Some(s.token.as_str()));
        let graph = |kind| {
            let q = query(kind);
            async move { call(&self.backend, m::STATS_GRAPH, &q, ip, token).await }
        };
        let summary = SummaryQuery {
            domain: None,
            limit: Some(1),
        };
        let (delivery, error, domain, queue) = futures::join!(
            graph(GraphKind::Delivery),
            graph(GraphKind::Error),
            graph(GraphKind::Domain),
            call(&self.backend, m::QUEUE_SUMMARY, &summary, ip, token),
        );
        let draw = |g: Result<_, RpcFailure>| {
            g.map_err(|f| status_text(&f)).and_then(|g| {
                hikyaku_charts::svg(&g, CHART_SIZE).map_err(|e| format!("drawing failed: {e}"))
            })
        };
        let charts = [
            dashboard::Chart {
                id: "delivery-graph",
                heading: "Deliveries by status",
                svg: draw(delivery),
            },
            dashboard::Chart {
                id: "error-graph",
                heading: "Failures by error status",
                svg: draw(error),
            },
            dashboard::Chart {
                id: "domain-graph",
                heading: "Destination domains",
                svg: draw(domain),
            },
        ];
        let queue = queue
            .map(|q| (q.total, q.deferred))
            .map_err(|f| format!("not shown: {}", f.message));
        let viewer = Viewer {
            account: &s.account,
            csrf: &s.csrf,
        };
        dashboard::dashboard(&viewer, range, &time_zone, &queue, &charts)
    }

    fn export(&self, req: &Request, s: &Session) -> Response {
        let (format, ext, content_type) = match field(&req.query, "format") {
            Some("jsonl") => (ExportFormat::Jsonl, "jsonl", "application/x-ndjson"),
            _ => (ExportFormat::Csv, "csv", "text/csv; charset=utf-8"),
        };
        let deliveries = req.path.starts_with("/deliveries");
        let query = if deliveries {
            forms::delivery_query(&req.query).and_then(|mut q| {
                q.cursor = None;
                q.limit = Some(1000);
                to_value(&q)
            })
        } else {
            forms::bounce_query(&req.query).and_then(|mut q| {
                q.cursor = None;
                q.limit = Some(1000);
                to_value(&q)
            })
        };
        let query = match query {
            Ok(q) => q,
            Err(e) => {
                return Response::html(
                    400,
                    pages::bare("Bad filter", pages::error_box(&e.to_string())),
                )
            }
        };
        let (method, name) = if deliveries {
            (m::DELIVERIES_EXPORT.name, "deliveries")
        } else {
            (m::BOUNCES_EXPORT.name, "errors")
        };
        Response {
            status: 200,
            headers: vec![
                ("content-type", content_type.to_string()),
                (
                    "content-disposition",
                    format!("attachment; filename=\"hikyaku-{name}.{ext}\""),
                ),
            ],
            body: Body::Export(Export {
                method,
                params: json!({ "query": query, "format": format }),
                token: s.token.clone(),
                ip: req.ip,
            }),
        }
    }

    /// The session of the request's cookie, or the response that sends the browser to the
    /// login form (no session, logged out elsewhere, expired, or idle too long).
    async fn session(&self, req: &Request, now: Instant) -> Result<Session, Response> {
        let to_login = |why: &str| {
            Response::redirect(&format!("/?{}", forms::encode([("ended", why)])))
                .with_cookie(session::set_cookie(SESSION_COOKIE, None))
        };
        let Some(token) = session::cookie(&req.cookies, SESSION_COOKIE) else {
            return Err(Response::redirect("/"));
        };
        match self.idle.touch(&sha256_hex(token), now) {
            Activity::Active => {}
            Activity::Idle => {
                // End the RPC session too: an idle console login must not stay usable.
                let _ = call(
                    &self.backend,
                    m::USERS_LOGOUT,
                    &NoParams {},
                    req.ip,
                    Some(token),
                )
                .await;
                return Err(to_login("idle"));
            }
            Activity::Unknown => return Err(to_login("expired")),
        }
        match call(
            &self.backend,
            m::USERS_WHOAMI,
            &NoParams {},
            req.ip,
            Some(token),
        )
        .await
        {
            Ok(Identity::Account {
                name,
                language,
                time_zone,
                must_change_password,
                ..
            }) => Ok(Session {
                csrf: session::csrf_for(token),
                token: token.to_string(),
                account: name,
                language,
                time_zone,
                must_change_password,
            }),
            Ok(Identity::ApiUser { .. }) => Err(to_login("expired")),
            Err(f) if f.code == hikyaku_rpc::errors::IP_NOT_ALLOWED => Err(Response::html(
                403,
                pages::bare("Not allowed", pages::error_box(&f.message)),
            )),
            Err(_) => {
                self.idle.end(&sha256_hex(token));
                Err(to_login("expired"))
            }
        }
    }

    async fn login_page(&self, req: &Request, now: Instant) -> Response {
        if let Some(token) = session::cookie(&req.cookies, SESSION_COOKIE) {
            // A live session goes straight to the dashboard; a stale cookie shows the form.
            if self.idle.touch(&sha256_hex(token), now) == Activity::Active {
                return Response::redirect("/dashboard");
            }
        }
        let message = match field(&req.query, "ended") {
            Some("idle") => Some("Your session ended after a period without use. Log in again."),
            Some("logout") => Some("You have logged out."),
            Some("password") => Some("Your password was changed. Log in with the new one."),
            Some(_) => Some("Your session has ended. Log in again."),
            None => None,
        };
        fresh_login_form(200, message)
    }

    async fn login(&self, req: &Request, now: Instant) -> Response {
        let expected = session::cookie(&req.cookies, LOGIN_COOKIE).unwrap_or("");
        let given = field(&req.form, "csrf").unwrap_or("");
        if expected.is_empty() || !session::same(expected, given) {
            return fresh_login_form(403, Some("The login form expired. Try again."));
        }
        let mut params = json!({
            "account": field(&req.form, "account").unwrap_or(""),
            "password": req.form.iter().find(|(k, _)| k == "password").map_or("", |(_, v)| v.as_str()),
        });
        // Two-factor codes go along only when given (accounts without two-factor have none).
        if let Some(code) = field(&req.form, "totp") {
            params["totp"] = json!(code);
        }
        let result = match self
            .backend
            .call(m::USERS_LOGIN.name, params, req.ip, None)
            .await
        {
            Ok(v) => serde_json::from_value::<hikyaku_rpc::types::users::Session>(v).map_err(|e| {
                RpcFailure {
                    code: -32603,
                    message: format!("unexpected login result: {e}"),
                }
            }),
            Err(f) => Err(f),
        };
        match result {
            Ok(session) => {
                self.idle.start(&sha256_hex(&session.token), now);
                let first = if session.must_change_password {
                    "/account"
                } else {
                    "/dashboard"
                };
                Response::redirect(first)
                    .with_cookie(session::set_cookie(SESSION_COOKIE, Some(&session.token)))
                    .with_cookie(session::set_cookie(LOGIN_COOKIE, None))
            }
            Err(f) => fresh_login_form(401, Some(&f.message)),
        }
    }

    async fn logout(&self, req: &Request, now: Instant) -> Response {
        let Some(token) = session::cookie(&req.cookies, SESSION_COOKIE) else {
            return Response::redirect("/");
        };
        let given = field(&req.form, "csrf").unwrap_or("");
        if !session::same(given, &session::csrf_for(token)) {
            return Response::html(
                403,
                pages::bare(
                    "Stale form",
                    pages::error_box("This form was not made for your current session."),
                ),
            );
        }
        let _ = self.idle.touch(&sha256_hex(token), now);
        self.idle.end(&sha256_hex(token));
        let _ = call(
            &self.backend,
            m::USERS_LOGOUT,
            &NoParams {},
            req.ip,
            Some(token),
        )
        .await;
        Response::redirect("/?ended=logout").with_cookie(session::set_cookie(SESSION_COOKIE, None))
    }
}

fn to_value<T: serde::Serialize>(q: &T) -> Result<serde_json::Value, forms::FieldError> {
    serde_json::to_value(q).map_err(|e| forms::FieldError {
        field: "query",
        message: e.to_string(),
    })
}

/// The next-page and download links of a log search.
fn links(req: &Request, csrf: &str, next_cursor: Option<&str>) -> logs::Links {
    logs::Links {
        next: next_cursor.map(|c| forms::same_search(&req.query, csrf, &[("cursor", c)])),
        csv: forms::same_search(&req.query, csrf, &[("format", "csv")]),
        jsonl: forms::same_search(&req.query, csrf, &[("format", "jsonl")]),
    }
}

/// The login form with a new double-submit token (cookie and hidden field).
fn fresh_login_form(status: u16, message: Option<&str>) -> Response {
    let csrf = crate::users::random_token("lc_");
    Response::html(status, pages::login::login(&csrf, message))
        .with_cookie(session::set_cookie(LOGIN_COOKIE, Some(&csrf)))
}

#[cfg(test)]
mod tests;
