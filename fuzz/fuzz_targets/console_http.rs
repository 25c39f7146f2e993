//! Fuzzes the web console as a whole: sequences of HTTP requests (method, path, query string,
//! form body, `Cookie` header, time passing) through `Console::handle` with a scripted
//! backend, the way `api::console_http` hands them over after parsing.
//!
//! Input: `[mode][backend text] NUL` then groups of five NUL-separated chunks, one request
//! each: `[control] NUL [path] NUL [query] NUL [form] NUL [cookies]`. `mode` chooses a login
//! done before the fuzzed requests (none, a normal session, a one-time-password session).
//! `control` is `[method][route][seconds][flags]` (method modulo 3: GET, POST, other): route
//! (modulo 32) picks one of the console's paths or, past the table, the path chunk as it is; `seconds` advances the clock (the idle timeout is
//! 60 s); `flags` add what a fuzzer cannot guess: the valid CSRF token in the query or the
//! form, the session cookie of a live or one-time session, the login form's double-submit
//! cookie and field. The backend text goes into what the backend answers (block-list entries,
//! error messages, the account's time zone, cursors), wrapped in a tag, so any of it reaching
//! a page unescaped shows.
//!
//! Invariants, per request: no panic; the status is one the console answers with; header
//! names are lower-case tokens and values hold no CR, LF or NUL; a `location` is a path on
//! the console (`/`, not `//`); no HTML carries the backend's tag unescaped; apart from the
//! login form (`GET /`, `POST /login`), no page (200/400) and no export is answered, and the
//! backend gets no call but `users.whoami` (and `users.logout` ending an idle session),
//! unless `users.whoami` accepted the request's session token first, and every call then
//! carries that token; a POST without the valid CSRF token of its form (the login cookie's
//! for `/login`, the session's otherwise) never reaches a state-changing method, nor does a
//! GET; a GET with query parameters but without the session's token reaches no data method.
#![no_main]

use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use hikyaku_engine::console::forms::{decode, field};
use hikyaku_engine::console::session::{cookie, csrf_for, LOGIN_COOKIE, SESSION_COOKIE};
use hikyaku_engine::console::{Backend, Body, Console, HttpMethod, Request, RpcFailure};
use libfuzzer_sys::fuzz_target;
use serde_json::{json, Value};

/// The console's paths (routes.rs), then a few it does not have.
const ROUTES: [&str; 16] = [
    "/",
    "/login",
    "/logout",
    "/dashboard",
    "/deliveries",
    "/deliveries/export",
    "/errors",
    "/errors/export",
    "/lists",
    "/settings",
    "/account",
    "/static/style.css",
    "/dashboard/",
    "//evil.example/",
    "/DASHBOARD",
    "/account?x",
];

/// Tokens the scripted backend accepts: a normal session and one that must change its
/// password (as the console's own route tests script them).
const LIVE: &str = "hs_t";
const ONE_TIME: &str = "hs_m";

/// Calls that change state on the server.
const STATE_CHANGING: [&str; 4] = [
    "users.login",
    "users.logout",
    "users.change_password",
    "users.update_me",
];

/// Calls that only check or end a session (allowed before a session is established).
const SESSION_CALLS: [&str; 3] = ["users.whoami", "users.logout", "users.login"];

/// A tag the console must escape wherever backend text lands in a page.
const TAG: &str = "<xfuzz>";

#[derive(Debug, Clone)]
struct Call {
    method: String,
    token: Option<String>,
    /// `users.whoami` answered with an account.
    accepted: bool,
}

struct Scripted {
    text: String,
    calls: Mutex<Vec<Call>>,
}

impl Scripted {
    fn answer(
        &self,
        method: &str,
        params: &Value,
        token: Option<&str>,
    ) -> Result<Value, RpcFailure> {
        let t = format!("{TAG}{}", self.text);
        let fail = |code: i32| RpcFailure {
            code,
            message: t.clone(),
        };
        let known = matches!(token, Some(LIVE | ONE_TIME));
        match method {
            "users.login" => match params["password"].as_str() {
                Some("right") => Ok(json!({
                    "token": LIVE, "expires": "2026-12-03T00:00:00Z", "account": "admin",
                    "role": "group_admin"
                })),
                Some("once") => Ok(json!({
                    "token": ONE_TIME, "expires": "2026-12-03T00:00:00Z", "account": "admin",
                    "role": "group_admin", "must_change_password": true
                })),
                _ => Err(fail(-32001)),
            },
            "users.whoami" if known => Ok(json!({
                "kind": "account", "name": format!("admin{t}"), "role": "group_admin",
                "must_change_password": token == Some(ONE_TIME),
                "time_zone": if self.text.len() % 2 == 0 { Value::Null } else { json!(t) },
            })),
            "users.whoami" if self.text.starts_with("ip") => {
                Err(fail(hikyaku_rpc::errors::IP_NOT_ALLOWED))
            }
            "users.whoami" if self.text.starts_with("api") => Ok(json!({
                "kind": "api_user", "name": t, "send": true, "transactional": false
            })),
            "users.logout" => Ok(json!({"done": true})),
            _ if !known => Err(fail(-32001)),
            "users.change_password" if params["current"] == "once" => Ok(json!({"ok": true})),
            "users.update_me" => Ok(json!({
                "account": "admin", "role": "group_admin",
                "language": params.get("language").cloned().unwrap_or(json!("en")),
                "time_zone": params.get("time_zone").cloned().unwrap_or(Value::Null),
            })),
            "blocks.list" => Ok(json!({
                "entries": [{"address": t, "added": "2026-12-01T00:00:00Z", "reason": t}],
                "next_cursor": if self.text.is_empty() { Value::Null } else { json!(t) },
            })),
            "queue.summary" => {
                Ok(json!({"total": 3, "deferred": 1, "domains_total": 0, "domains": []}))
            }
            _ => Err(fail(-32000)),
        }
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
        let result = self.answer(method, &params, token);
        let accepted = method == "users.whoami"
            && result
                .as_ref()
                .is_ok_and(|v| v.get("kind").and_then(Value::as_str) == Some("account"));
        self.calls.lock().unwrap().push(Call {
            method: method.to_string(),
            token: token.map(str::to_string),
            accepted,
        });
        result
    }
}

/// Runs `f`, which must finish at once: the scripted backend never waits.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut f = std::pin::pin!(f);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match f.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(v) => v,
        std::task::Poll::Pending => panic!("the console waited on a backend that never waits"),
    }
}

fn ip() -> IpAddr {
    IpAddr::from([127, 0, 0, 1])
}

/// The scripted login of `mode` (1: normal session, 2: one-time password).
fn log_in(c: &Console<Scripted>, mode: u8, now: Instant) {
    let password = match mode % 3 {
        1 => "right",
        2 => "once",
        _ => return,
    };
    let r = block_on(c.handle(
        Request {
            method: HttpMethod::Post,
            path: "/login".into(),
            query: Vec::new(),
            form: decode(format!("account=admin&password={password}&csrf=L").as_bytes()),
            cookies: format!("{LOGIN_COOKIE}=L"),
            ip: ip(),
        },
        now,
        0,
    ));
    assert_eq!(r.status, 303);
}

/// One request from its five chunks.
fn request(chunks: &[&[u8]]) -> (Request, u64) {
    let control = chunks[0];
    let byte = |i: usize| control.get(i).copied().unwrap_or(0);
    let method = match byte(0) % 3 {
        0 => HttpMethod::Get,
        1 => HttpMethod::Post,
        _ => HttpMethod::Other,
    };
    // Modulo 32: half the values pick a route, the other half the raw path (and a seed can
    // name route 0 without a NUL, which separates the chunks).
    let path = match ROUTES.get(usize::from(byte(1) % 32)) {
        Some(p) => (*p).to_string(),
        None => String::from_utf8_lossy(chunks[1]).into_owned(),
    };
    let flags = byte(3);
    let mut query = decode(chunks[2]);
    let mut form = decode(chunks[3]);
    let mut cookies = String::from_utf8_lossy(chunks[4]).into_owned();
    let token = match (flags & 4 != 0, flags & 8 != 0) {
        (true, _) => Some(LIVE),
        (false, true) => Some(ONE_TIME),
        _ => None,
    };
    if let Some(t) = token {
        cookies = format!("{SESSION_COOKIE}={t}; {cookies}");
        if flags & 1 != 0 {
            query.insert(0, ("csrf".into(), csrf_for(t)));
        }
        if flags & 2 != 0 {
            form.insert(0, ("csrf".into(), csrf_for(t)));
        }
    }
    if flags & 16 != 0 {
        cookies.push_str(&format!("; {LOGIN_COOKIE}=L"));
    }
    if flags & 32 != 0 {
        form.insert(0, ("csrf".into(), "L".into()));
    }
    let req = Request {
        method,
        path,
        query,
        form,
        cookies,
        ip: ip(),
    };
    (req, u64::from(byte(2)))
}

/// Whether the form carries the CSRF token the console must require for this POST.
fn form_csrf_valid(req: &Request) -> bool {
    let given = field(&req.form, "csrf").unwrap_or("");
    if req.path == "/login" {
        let expected = cookie(&req.cookies, LOGIN_COOKIE).unwrap_or("");
        return !expected.is_empty() && expected == given;
    }
    cookie(&req.cookies, SESSION_COOKIE).is_some_and(|t| csrf_for(t) == given)
}

fn check(
    req: &Request,
    status: u16,
    headers: &[(&'static str, String)],
    body: &Body,
    calls: &[Call],
) {
    assert!(
        matches!(status, 200 | 303 | 400 | 401 | 403 | 404 | 405),
        "status {status} for {} {:?}",
        req.path,
        req.method
    );
    for (name, value) in headers {
        assert!(
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "header name {name:?}"
        );
        assert!(
            !value.bytes().any(|b| matches!(b, b'\r' | b'\n' | 0)),
            "header {name}: {value:?}"
        );
        if *name == "location" {
            assert!(
                value.starts_with('/') && !value.starts_with("//") && !value.starts_with("/\\"),
                "redirect off the console: {value:?}"
            );
        }
    }
    if let Body::Text(html) = body {
        assert!(
            !html.contains(TAG),
            "unescaped backend text in {}: {html}",
            req.path
        );
    }

    let login_form = matches!(
        (req.method, req.path.as_str()),
        (HttpMethod::Get, "/") | (HttpMethod::Post, "/login")
    );
    let idle_end = headers
        .iter()
        .any(|(k, v)| *k == "location" && v == "/?ended=idle");
    // The token `users.whoami` accepted for this request, if any.
    let session = calls
        .iter()
        .find(|c| c.accepted)
        .and_then(|c| c.token.clone());
    if !login_form {
        let page = matches!(status, 200 | 400) || matches!(body, Body::Export(_));
        assert!(
            !page || session.is_some(),
            "page {status} for {} without a session: {calls:?}",
            req.path
        );
        let mut whoami_ok = false;
        for c in calls {
            if c.method == "users.whoami" {
                whoami_ok |= c.accepted;
                continue;
            }
            if SESSION_CALLS.contains(&c.method.as_str()) && !whoami_ok {
                // Only the logout of an idle session, or of `POST /logout` with its token.
                assert_eq!(
                    c.method, "users.logout",
                    "{} before a session: {calls:?}",
                    c.method
                );
                continue;
            }
            assert!(
                whoami_ok,
                "{} reached without a session: {calls:?}",
                c.method
            );
            assert_eq!(c.token, session, "{} with another token", c.method);
        }
    }
    let changes: Vec<&Call> = calls
        .iter()
        .filter(|c| STATE_CHANGING.contains(&c.method.as_str()))
        .filter(|c| !(idle_end && c.method == "users.logout"))
        .collect();
    let allowed = req.method == HttpMethod::Post && form_csrf_valid(req);
    assert!(
        changes.is_empty() || allowed,
        "{:?} {} without the form's CSRF token reached {changes:?}",
        req.method,
        req.path
    );
    if req.method == HttpMethod::Get && !req.query.is_empty() && req.path != "/" {
        let valid = session
            .as_deref()
            .is_some_and(|t| field(&req.query, "csrf") == Some(csrf_for(t).as_str()));
        let data = calls
            .iter()
            .any(|c| !SESSION_CALLS.contains(&c.method.as_str()));
        assert!(
            !data || valid,
            "GET {} with a query but no CSRF token: {calls:?}",
            req.path
        );
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let mut parts = rest.split(|b| *b == 0);
    let text = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let chunks: Vec<&[u8]> = parts.collect();
    let console = Console::new(
        Scripted {
            text,
            calls: Mutex::new(Vec::new()),
        },
        Duration::from_secs(60),
    );
    let mut now = Instant::now();
    log_in(&console, mode, now);
    for group in chunks.chunks(5).take(8) {
        let mut five: Vec<&[u8]> = group.to_vec();
        five.resize(5, &[]);
        let (req, seconds) = request(&five);
        now += Duration::from_secs(seconds);
        console.backend().calls.lock().unwrap().clear();
        let shown = req.clone();
        let r = block_on(console.handle(req, now, 1_780_000_000_000));
        let calls = console.backend().calls.lock().unwrap().clone();
        check(&shown, r.status, &r.headers, &r.body, &calls);
    }
});
