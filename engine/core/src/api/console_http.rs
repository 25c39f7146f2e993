//! HTTPS glue of the web console ([`crate::console`]): parses hyper requests into the
//! console's [`Request`], turns its [`Response`] into HTTP (with the security headers), streams
//! exports chunk by chunk, and calls the RPC methods in process with the browser's address and
//! session token as [`ConnInfo`] — so the console goes through the same checks as any API
//! client.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Instant;

use hyper::body::{Bytes, Frame};
use jsonrpsee::server::{HttpBody, HttpResponse};
use jsonrpsee::Methods;
use serde_json::{json, Value};

use super::auth::ConnInfo;
use crate::console::{
    Backend, Body, Console, Export, HttpMethod, Request, Response, RpcFailure, SECURITY_HEADERS,
};

/// Largest form body read (the login form is well under 1 KiB).
const MAX_FORM: usize = 16 * 1024;

/// The RPC method table, called in process.
pub(crate) struct RpcBackend {
    methods: Methods,
}

impl RpcBackend {
    pub(crate) fn new(methods: Methods) -> Self {
        Self { methods }
    }
}

impl Backend for RpcBackend {
    async fn call(
        &self,
        method: &str,
        params: Value,
        ip: IpAddr,
        token: Option<&str>,
    ) -> Result<Value, RpcFailure> {
        let mut methods = self.methods.clone();
        methods.extensions_mut().insert(ConnInfo {
            ip,
            bearer: token.map(str::to_string),
        });
        let request = json!({"jsonrpc": "2.0", "id": 0, "method": method, "params": params});
        let (raw, _) = methods
            .raw_json_request(&request.to_string(), 1)
            .await
            .map_err(|e| RpcFailure {
                code: -32603,
                message: format!("calling {method}: {e}"),
            })?;
        let mut reply: Value = serde_json::from_str(raw.get()).map_err(|e| RpcFailure {
            code: -32603,
            message: format!("reply of {method}: {e}"),
        })?;
        if let Some(error) = reply.get("error") {
            return Err(RpcFailure {
                code: error["code"]
                    .as_i64()
                    .and_then(|c| i32::try_from(c).ok())
                    .unwrap_or(-32603),
                message: error["message"].as_str().unwrap_or("error").to_string(),
            });
        }
        Ok(reply["result"].take())
    }
}

fn plain(status: u16, text: &str) -> HttpResponse {
    let mut b = hyper::Response::builder()
        .status(status)
        .header("content-type", "text/plain; charset=utf-8");
    for (k, v) in SECURITY_HEADERS {
        b = b.header(k, v);
    }
    b.body(HttpBody::from(text.to_string()))
        .unwrap_or_else(|_| hyper::Response::new(HttpBody::from("error")))
}

/// Serves one request.
pub(crate) async fn handle(
    console: Arc<Console<RpcBackend>>,
    ip: IpAddr,
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<HttpResponse, std::convert::Infallible> {
    let method = match *req.method() {
        hyper::Method::GET | hyper::Method::HEAD => HttpMethod::Get,
        hyper::Method::POST => HttpMethod::Post,
        _ => HttpMethod::Other,
    };
    let path = req.uri().path().to_string();
    let query = crate::console::decode_form(req.uri().query().unwrap_or("").as_bytes());
    let cookies = req
        .headers()
        .get_all(hyper::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join("; ");
    let form = if method == HttpMethod::Post {
        match super::unsubscribe_http::read_limited(req.into_body(), MAX_FORM).await {
            Some(bytes) => crate::console::decode_form(&bytes),
            None => return Ok(plain(413, "form too large\n")),
        }
    } else {
        Vec::new()
    };
    let request = Request {
        method,
        path,
        query,
        form,
        cookies,
        ip,
    };
    let response = console
        .handle(request, Instant::now(), crate::clock::now_ms())
        .await;
    Ok(into_http(console, response))
}

fn into_http(console: Arc<Console<RpcBackend>>, response: Response) -> HttpResponse {
    let mut b = hyper::Response::builder().status(response.status);
    for (k, v) in SECURITY_HEADERS {
        b = b.header(k, v);
    }
    for (k, v) in &response.headers {
        b = b.header(*k, v);
    }
    let body = match response.body {
        Body::Text(text) => HttpBody::from(text),
        Body::Export(export) => stream_export(console, export),
    };
    b.body(body)
        .unwrap_or_else(|_| hyper::Response::new(HttpBody::from("error")))
}

/// The export as a streamed body: one `*.export` call per chunk, each sent as it arrives. A
/// failed call ends the body with an error, so the browser reports an incomplete download
/// instead of saving a silently truncated file.
fn stream_export(console: Arc<Console<RpcBackend>>, export: Export) -> HttpBody {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, String>>(2);
    tokio::spawn(async move {
        let mut params = export.params;
        loop {
            let chunk = console
                .backend()
                .call(
                    export.method,
                    params.clone(),
                    export.ip,
                    Some(&export.token),
                )
                .await;
            let mut chunk = match chunk {
                Ok(c) => c,
                Err(f) => {
                    let _ = tx.send(Err(f.message)).await;
                    return;
                }
            };
            let data = chunk["data"].as_str().unwrap_or("").to_string();
            if !data.is_empty() && tx.send(Ok(Bytes::from(data))).await.is_err() {
                return; // the browser went away
            }
            match chunk["next_cursor"].take() {
                Value::String(c) => params["query"]["cursor"] = Value::String(c),
                _ => return,
            }
        }
    });
    let stream = futures::stream::unfold(rx, |mut rx| async move {
        let item = rx.recv().await?;
        let frame = item
            .map(Frame::data)
            .map_err(|e| -> jsonrpsee::core::BoxError { e.into() });
        Some((frame, rx))
    });
    HttpBody::new(http_body_util::StreamBody::new(stream))
}
