//! The one-click unsubscribe endpoint (RFC 8058): HTTPS on its own listener
//! (`unsubscribe.listen`, default 127.0.0.1:8526), served by the control-plane runtime.
//!
//! * `POST /u/TOKEN` with `List-Unsubscribe=One-Click` in the body (what mailbox providers
//!   send, and what the confirmation page's button sends) puts the recipient on the
//!   unsubscribe list, durably, then answers `200`.
//! * `GET /u/TOKEN` only shows a page with one button: mail scanners and link previews follow
//!   links, so a GET never changes anything.
//! * A forged or altered token gets `400`, a token whose delivery is past the log retention
//!   `404`; neither changes anything. Repeated requests answer `200` again (idempotent).

use std::sync::Arc;

use jsonrpsee::server::{HttpBody, HttpResponse};

use super::ApiContext;
use crate::unsubscribe::{self, Channel, UnsubscribeError};

/// Largest request body read (the form body is 26 bytes).
const MAX_BODY: usize = 4096;

/// The request body, or `None` when it is larger than [`MAX_BODY`] or broken off.
async fn read_form(body: hyper::body::Incoming) -> Option<Vec<u8>> {
    read_limited(body, MAX_BODY).await
}

/// A request body of at most `max` bytes, or `None` when it is larger or broken off (also
/// the web console's forms).
pub(super) async fn read_limited(body: hyper::body::Incoming, max: usize) -> Option<Vec<u8>> {
    use hyper::body::Body;
    let mut body = Box::pin(body);
    let mut out = Vec::new();
    loop {
        match std::future::poll_fn(|cx| body.as_mut().poll_frame(cx)).await {
            None => return Some(out),
            Some(Ok(frame)) => {
                if let Some(data) = frame.data_ref() {
                    out.extend_from_slice(data);
                    if out.len() > max {
                        return None;
                    }
                }
            }
            Some(Err(_)) => return None,
        }
    }
}

fn page(status: u16, title: &str, text: &str, form: Option<&str>) -> HttpResponse {
    let button = form
        .map(|action| {
            format!(
                "<form method=\"post\" action=\"{action}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><button type=\"submit\">Unsubscribe</button></form>"
            )
        })
        .unwrap_or_default();
    let html = format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"robots\" content=\"noindex\"><title>{title}</title></head><body><h1>{title}</h1><p>{text}</p>{button}</body></html>\n"
    );
    hyper::Response::builder()
        .status(status)
        .header("content-type", "text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .body(HttpBody::from(html))
        .unwrap_or_else(|_| hyper::Response::new(HttpBody::from("error")))
}

/// The token of a `/u/TOKEN` path.
fn token_of(path: &str) -> Option<&str> {
    let t = path.strip_prefix("/u/")?;
    (!t.is_empty() && !t.contains('/')).then_some(t)
}

/// Serves one request.
pub(crate) async fn handle(
    ctx: Arc<ApiContext>,
    req: hyper::Request<hyper::body::Incoming>,
) -> Result<HttpResponse, std::convert::Infallible> {
    let path = req.uri().path().to_string();
    let Some(token) = token_of(&path).map(str::to_string) else {
        return Ok(page(404, "Not found", "There is nothing here.", None));
    };
    if ctx.unsubscribe.verify(&token).is_none() {
        return Ok(page(
            400,
            "Invalid link",
            "This unsubscribe link is not valid.",
            None,
        ));
    }
    match *req.method() {
        hyper::Method::GET | hyper::Method::HEAD => Ok(page(
            200,
            "Unsubscribe",
            "Stop receiving this mail? Nothing changes until you press the button.",
            Some(&path),
        )),
        hyper::Method::POST => {
            let Some(body) = read_form(req.into_body()).await else {
                return Ok(page(413, "Too large", "The request is too large.", None));
            };
            let form = String::from_utf8_lossy(&body);
            if !form
                .split('&')
                .any(|kv| kv.trim() == "List-Unsubscribe=One-Click")
            {
                return Ok(page(
                    400,
                    "Missing confirmation",
                    "The request must carry List-Unsubscribe=One-Click (RFC 8058).",
                    None,
                ));
            }
            Ok(honour(&ctx, token).await)
        }
        _ => Ok(page(405, "Method not allowed", "Use GET or POST.", None)),
    }
}

async fn honour(ctx: &Arc<ApiContext>, token: String) -> HttpResponse {
    let store = ctx.store.clone();
    let signer = ctx.unsubscribe.clone();
    let now = crate::clock::now_ms();
    let decided = tokio::task::spawn_blocking(move || {
        unsubscribe::unsubscribe(&store, &signer, &token, Channel::Https, now)
    })
    .await;
    let (outcome, ops) = match decided {
        Ok(Ok(x)) => x,
        Ok(Err(UnsubscribeError::BadToken)) => {
            return page(
                400,
                "Invalid link",
                "This unsubscribe link is not valid.",
                None,
            )
        }
        Ok(Err(UnsubscribeError::Unknown)) => {
            return page(
                404,
                "Expired link",
                "This unsubscribe link has expired.",
                None,
            )
        }
        Ok(Err(e)) => {
            tracing::error!(error = %e, "unsubscribe failed");
            return page(503, "Try again", "Please try again later.", None);
        }
        Err(e) => {
            tracing::error!(error = %e, "unsubscribe task failed");
            return page(503, "Try again", "Please try again later.", None);
        }
    };
    if !ops.is_empty() {
        if let Err(e) = ctx.committer.commit(ops).await {
            tracing::error!(error = %e, "writing an unsubscribe failed");
            return page(503, "Try again", "Please try again later.", None);
        }
        tracing::info!(recipient = %outcome.recipient, channel = "https", "unsubscribed");
    }
    page(
        200,
        "Unsubscribed",
        "You will not receive this mail any more.",
        None,
    )
}
