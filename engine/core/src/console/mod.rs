//! The read-only web console (SPEC §9): login, dashboard with the delivery, error and domain
//! graphs, delivery- and error-log search with CSV/JSONL download, block and unsubscribe
//! lists, and the settings (applied document and the draft's diff).
//!
//! The console is a client of the JSON-RPC methods, called in process through a [`Backend`]:
//! every page calls the same methods with the same session token and the browser's IP
//! address, so it has exactly the RPC's accounts, lockout, access rules, connection-IP
//! allow-list and rate limit, and cannot show anything the API would not. What it adds is
//! HTML: pages rendered on the server from templates compiled into the binary (maud), the
//! charts as inline SVG (`hikyaku-charts`, the same drawing as `hikyaku graph --svg`), no
//! script and no external resource, so it works offline in any browser.
//!
//! This module is sans-I/O: [`Console::handle`] turns a parsed [`Request`] into a
//! [`Response`]; `api::console_http` is the HTTPS glue.

// `forms` and `session` parse what browsers send; public for fuzz/console_forms. The request
// handler ([`Console::handle`], its request and response types and the [`Backend`] trait) is
// public for fuzz/console_http, which drives it with a scripted backend.
pub mod forms;
mod pages;
mod routes;
pub mod session;

use std::future::Future;
use std::net::IpAddr;
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

pub(crate) use forms::decode as decode_form;
use session::IdleTracker;

/// An RPC call that failed: the JSON-RPC error's code and message, shown to the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RpcFailure {
    /// JSON-RPC error code.
    pub code: i32,
    /// Its message.
    pub message: String,
}

/// The JSON-RPC methods, as the console calls them.
pub trait Backend: Send + Sync {
    /// Calls `method` with by-name `params` as a request from `ip` carrying `token`.
    fn call(
        &self,
        method: &str,
        params: Value,
        ip: IpAddr,
        token: Option<&str>,
    ) -> impl Future<Output = Result<Value, RpcFailure>> + Send;
}

/// A typed call through a [`Backend`].
pub(crate) async fn call<B: Backend, P: Serialize, R: DeserializeOwned>(
    backend: &B,
    method: hikyaku_rpc::Method<P, R>,
    params: &P,
    ip: IpAddr,
    token: Option<&str>,
) -> Result<R, RpcFailure> {
    let params = serde_json::to_value(params).map_err(|e| RpcFailure {
        code: -32602,
        message: format!("encoding the parameters: {e}"),
    })?;
    let value = backend.call(method.name, params, ip, token).await?;
    serde_json::from_value(value).map_err(|e| RpcFailure {
        code: -32603,
        message: format!("unexpected result of {}: {e}", method.name),
    })
}

/// The request methods the console distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HttpMethod {
    /// `GET` (and `HEAD`, answered like GET).
    Get,
    /// `POST` with an `application/x-www-form-urlencoded` body.
    Post,
    /// Anything else (refused).
    Other,
}

/// One parsed request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The request method.
    pub method: HttpMethod,
    /// The path, without the query string.
    pub path: String,
    /// Query-string parameters, decoded.
    pub query: Vec<(String, String)>,
    /// Form fields of a POST, decoded.
    pub form: Vec<(String, String)>,
    /// The `Cookie` header.
    pub cookies: String,
    /// The browser's address.
    pub ip: IpAddr,
}

/// A download the HTTP layer streams chunk by chunk: `method` is `deliveries.export` or
/// `bounces.export`, called again with each `next_cursor` until the export is complete.
#[derive(Debug, Clone)]
pub struct Export {
    /// The export method.
    pub method: &'static str,
    /// Its params, the cursor added per chunk.
    pub params: Value,
    /// The viewer's session token.
    pub token: String,
    /// The browser's address.
    pub ip: IpAddr,
}

/// What goes back.
#[derive(Debug)]
pub enum Body {
    /// An HTML page (or a short text).
    Text(String),
    /// A streamed export.
    Export(Export),
}

/// One response.
#[derive(Debug)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Headers besides the security headers every response carries.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

impl Response {
    fn html(status: u16, html: String) -> Self {
        Self {
            status,
            headers: vec![("content-type", "text/html; charset=utf-8".into())],
            body: Body::Text(html),
        }
    }

    fn redirect(location: &str) -> Self {
        Self {
            status: 303,
            headers: vec![("location", location.to_string())],
            body: Body::Text(String::new()),
        }
    }

    fn with_cookie(mut self, cookie: String) -> Self {
        self.headers.push(("set-cookie", cookie));
        self
    }
}

/// Headers on every console response: no caching of pages that hold mail data, no framing,
/// nothing loaded from anywhere but the console itself, no referrer leaving it.
pub const SECURITY_HEADERS: [(&str, &str); 6] = [
    ("cache-control", "no-store"),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    (
        "content-security-policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("strict-transport-security", "max-age=31536000"),
];

/// The console: the backend it calls and the idle sessions it ends.
pub struct Console<B> {
    backend: B,
    idle: IdleTracker,
}

impl<B: Backend> Console<B> {
    /// A console calling `backend`, ending sessions idle for `idle_timeout`.
    pub fn new(backend: B, idle_timeout: Duration) -> Self {
        Self {
            backend,
            idle: IdleTracker::new(idle_timeout),
        }
    }

    /// The backend (the HTTP layer streams exports through it).
    pub fn backend(&self) -> &B {
        &self.backend
    }
}
