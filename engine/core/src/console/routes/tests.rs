//! The checks in front of the pages, against a scripted backend: login CSRF, session cookie,
//! CSRF on parameters, idle timeout (which must end the API session too), logout.

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::super::session::{csrf_for, LOGIN_COOKIE, SESSION_COOKIE};
use super::super::{Backend, Body, Console, HttpMethod, Request, Response, RpcFailure};

/// Accepts password "right" for account "admin" with token `hs_t`, and the one-time password
/// "once" with token `hs_m` (a session that must change its password); records every call.
#[derive(Default)]
struct Scripted {
    calls: Mutex<Vec<(String, Option<String>)>>,
    params: Mutex<Vec<(String, Value)>>,
}

impl Scripted {
    fn calls_of(&self, method: &str) -> Vec<Option<String>> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, t)| t.clone())
            .collect()
    }
}

impl Backend for Scripted {
    async fn call(
        &self,
        method: &str,
        params: Value,
        _ip: IpAddr,
        token: Option<&str>,
    ) -> Result<Value, RpcFailure> {
        self.calls
            .lock()
            .unwrap()
            .push((method.to_string(), token.map(str::to_string)));
        self.params
            .lock()
            .unwrap()
            .push((method.to_string(), params.clone()));
        let fail = |message: &str| RpcFailure {
            code: -32001,
            message: message.into(),
        };
        match method {
            "users.login" if params["password"] == "right" => Ok(json!({
                "token": "hs_t", "expires": "2026-12-03T00:00:00Z", "account": "admin", "role": "group_admin"
            })),
            "users.login" if params["password"] == "once" => Ok(json!({
                "token": "hs_m", "expires": "2026-12-03T00:00:00Z", "account": "admin",
                "role": "group_admin", "must_change_password": true
            })),
            "users.login" => Err(fail("wrong account or password")),
            "users.whoami" if token == Some("hs_t") => {
                Ok(json!({"kind": "account", "name": "admin", "role": "group_admin"}))
            }
            "users.whoami" if token == Some("hs_m") => Ok(json!({
                "kind": "account", "name": "admin", "role": "group_admin",
                "must_change_password": true
            })),
            "users.change_password" if params["current"] == "once" => Ok(json!({"ok": true})),
            "users.change_password" => Err(RpcFailure {
                code: -32602,
                message: "current: the current password is wrong".into(),
            }),
            "users.update_me" if token == Some("hs_t") => Ok(json!({
                "account": "admin", "role": "group_admin",
                "language": params.get("language").cloned().unwrap_or(json!("en")),
                "time_zone": params.get("time_zone").cloned().unwrap_or(Value::Null),
            })),
            "users.logout" => Ok(json!({"done": true})),
            "blocks.list" => Ok(json!({"entries": [], "next_cursor": null})),
            _ => Err(fail("unauthenticated")),
        }
    }
}

fn request(method: HttpMethod, path: &str, query: &str, form: &str, cookies: &str) -> Request {
    Request {
        method,
        path: path.into(),
        query: super::forms::decode(query.as_bytes()),
        form: super::forms::decode(form.as_bytes()),
        cookies: cookies.into(),
        ip: IpAddr::from([127, 0, 0, 1]),
    }
}

fn header<'a>(r: &'a Response, name: &str) -> Vec<&'a str> {
    r.headers
        .iter()
        .filter(|(k, _)| *k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

fn html(r: &Response) -> &str {
    match &r.body {
        Body::Text(t) => t,
        Body::Export(_) => "",
    }
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    futures::executor::block_on(f)
}

fn console() -> Console<Scripted> {
    Console::new(Scripted::default(), Duration::from_secs(60))
}

/// Logs in and returns the session cookie header.
fn logged_in(c: &Console<Scripted>, now: Instant) -> String {
    let r = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/login",
            "",
            "account=admin&password=right&csrf=L",
            &format!("{LOGIN_COOKIE}=L"),
        ),
        now,
        0,
    ));
    assert_eq!(r.status, 303, "{}", html(&r));
    assert_eq!(header(&r, "location"), ["/dashboard"]);
    format!("{SESSION_COOKIE}=hs_t")
}

#[test]
fn login_needs_the_form_token_of_its_cookie() {
    let c = console();
    let now = Instant::now();
    let page = block_on(c.handle(request(HttpMethod::Get, "/", "", "", ""), now, 0));
    let set = header(&page, "set-cookie").join(" ");
    assert!(
        set.starts_with(LOGIN_COOKIE) && set.contains("HttpOnly"),
        "{set}"
    );
    let token = set.split(['=', ';']).nth(1).unwrap();
    assert!(
        html(&page).contains(token),
        "the form carries the cookie's token"
    );
    // Forged: no cookie, or a different value.
    for cookies in ["".to_string(), format!("{LOGIN_COOKIE}=other")] {
        let r = block_on(c.handle(
            request(
                HttpMethod::Post,
                "/login",
                "",
                "account=admin&password=right&csrf=L",
                &cookies,
            ),
            now,
            0,
        ));
        assert_eq!(r.status, 403);
    }
    assert!(
        c.backend.calls_of("users.login").is_empty(),
        "never reached the API"
    );
    let wrong = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/login",
            "",
            "account=admin&password=no&csrf=L",
            &format!("{LOGIN_COOKIE}=L"),
        ),
        now,
        0,
    ));
    assert_eq!(wrong.status, 401);
    assert!(html(&wrong).contains("wrong account or password"));
    let cookie = logged_in(&c, now);
    assert!(cookie.contains("hs_t"));
}

#[test]
fn pages_need_a_session_and_parameters_need_its_csrf_token() {
    let c = console();
    let now = Instant::now();
    let r = block_on(c.handle(request(HttpMethod::Get, "/lists", "", "", ""), now, 0));
    assert_eq!((r.status, header(&r, "location")), (303, vec!["/"]));
    let cookie = logged_in(&c, now);
    let ok = block_on(c.handle(request(HttpMethod::Get, "/lists", "", "", &cookie), now, 0));
    assert_eq!(ok.status, 200);
    let forged = block_on(c.handle(
        request(
            HttpMethod::Get,
            "/lists",
            "contains=x&csrf=forged",
            "",
            &cookie,
        ),
        now,
        0,
    ));
    assert_eq!(forged.status, 403);
    let q = format!("contains=x&csrf={}", csrf_for("hs_t"));
    let good = block_on(c.handle(request(HttpMethod::Get, "/lists", &q, "", &cookie), now, 0));
    assert_eq!(good.status, 200);
    assert_eq!(c.backend.calls_of("blocks.list").len(), 2);
}

#[test]
fn an_idle_session_is_logged_out_of_the_api_too() {
    let c = console();
    let t0 = Instant::now();
    let cookie = logged_in(&c, t0);
    let later = t0 + Duration::from_secs(61);
    let r = block_on(c.handle(
        request(HttpMethod::Get, "/lists", "", "", &cookie),
        later,
        0,
    ));
    assert_eq!(r.status, 303);
    assert_eq!(header(&r, "location"), ["/?ended=idle"]);
    assert!(header(&r, "set-cookie").join(" ").contains("Max-Age=0"));
    assert_eq!(
        c.backend.calls_of("users.logout"),
        [Some("hs_t".to_string())]
    );
}

#[test]
fn logout_needs_the_token_and_ends_the_session() {
    let c = console();
    let now = Instant::now();
    let cookie = logged_in(&c, now);
    let forged = block_on(c.handle(
        request(HttpMethod::Post, "/logout", "", "", &cookie),
        now,
        0,
    ));
    assert_eq!(forged.status, 403);
    assert!(c.backend.calls_of("users.logout").is_empty());
    let form = format!("csrf={}", csrf_for("hs_t"));
    let r = block_on(c.handle(
        request(HttpMethod::Post, "/logout", "", &form, &cookie),
        now,
        0,
    ));
    assert_eq!(header(&r, "location"), ["/?ended=logout"]);
    assert_eq!(c.backend.calls_of("users.logout").len(), 1);
    let after = block_on(c.handle(request(HttpMethod::Get, "/lists", "", "", &cookie), now, 0));
    assert_eq!(after.status, 303, "the console forgot the session");
}

#[test]
fn unknown_paths_and_methods_are_refused() {
    let c = console();
    let now = Instant::now();
    assert_eq!(
        block_on(c.handle(request(HttpMethod::Get, "/nope", "", "", ""), now, 0)).status,
        404
    );
    assert_eq!(
        block_on(c.handle(request(HttpMethod::Other, "/", "", "", ""), now, 0)).status,
        405
    );
}

#[test]
fn a_one_time_password_session_sees_only_my_account_until_it_changes_the_password() {
    let c = console();
    let now = Instant::now();
    let r = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/login",
            "",
            "account=admin&password=once&csrf=L",
            &format!("{LOGIN_COOKIE}=L"),
        ),
        now,
        0,
    ));
    assert_eq!(header(&r, "location"), ["/account"]);
    let cookie = format!("{SESSION_COOKIE}=hs_m");
    let dash = block_on(c.handle(
        request(HttpMethod::Get, "/dashboard", "", "", &cookie),
        now,
        0,
    ));
    assert_eq!(header(&dash, "location"), ["/account"]);
    let page = block_on(c.handle(
        request(HttpMethod::Get, "/account", "", "", &cookie),
        now,
        0,
    ));
    assert_eq!(page.status, 200);
    assert!(html(&page).contains("one-time password"));
    assert!(
        !html(&page).contains("preferences-form"),
        "only the password form"
    );

    // The form needs the session's token; a wrong current password is shown, not obeyed.
    let csrf = csrf_for("hs_m");
    let forged = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/account",
            "",
            "form=password&current=once&new=x",
            &cookie,
        ),
        now,
        0,
    ));
    assert_eq!(forged.status, 403);
    assert!(c.backend.calls_of("users.change_password").is_empty());
    let wrong = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/account",
            "",
            &format!("csrf={csrf}&form=password&current=nope&new=long-new-password"),
            &cookie,
        ),
        now,
        0,
    ));
    assert_eq!(wrong.status, 400);
    assert!(html(&wrong).contains("the current password is wrong"));
    let done = block_on(c.handle(
        request(
            HttpMethod::Post,
            "/account",
            "",
            &format!("csrf={csrf}&form=password&current=once&new=long-new-password"),
            &cookie,
        ),
        now,
        0,
    ));
    assert_eq!(header(&done, "location"), ["/?ended=password"]);
    assert!(header(&done, "set-cookie").join(" ").contains("Max-Age=0"));
    let sent = c.backend.params.lock().unwrap().clone();
    let (_, p) = sent
        .iter()
        .rev()
        .find(|(m, _)| m == "users.change_password")
        .unwrap();
    assert_eq!(p["new"], "long-new-password");
}

#[test]
fn language_and_time_zone_are_saved_through_update_me() {
    let c = console();
    let now = Instant::now();
    let cookie = logged_in(&c, now);
    let page = block_on(c.handle(
        request(HttpMethod::Get, "/account", "", "", &cookie),
        now,
        0,
    ));
    assert!(html(&page).contains("preferences-form"));
    let form = format!(
        "csrf={}&form=preferences&language=ja&time_zone=+Asia%2FTokyo+",
        csrf_for("hs_t")
    );
    let r = block_on(c.handle(
        request(HttpMethod::Post, "/account", "", &form, &cookie),
        now,
        0,
    ));
    assert_eq!(r.status, 200, "{}", html(&r));
    assert!(html(&r).contains("Saved."));
    assert!(html(&r).contains(r#"value="Asia/Tokyo""#));
    let sent = c.backend.params.lock().unwrap().clone();
    let (_, p) = sent.iter().find(|(m, _)| m == "users.update_me").unwrap();
    assert_eq!(p, &json!({"language": "ja", "time_zone": "Asia/Tokyo"}));
}
