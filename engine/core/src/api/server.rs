//! The HTTP/WebSocket server on the control-plane thread.
//!
//! Connections are accepted here rather than by jsonrpsee's own server so that each request
//! can carry the peer's IP address and bearer token (in its extensions) to the checks of
//! [`super::auth`], and so that TLS (rustls) can wrap the socket when configured. The sending
//! methods take the peer's IP from there too, as the `source_ip` of the mail they queue.

use std::net::SocketAddr;
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::FutureExt;
use jsonrpsee::server::{serve_with_graceful_shutdown, stop_channel, ServerConfig, ServerHandle};
use jsonrpsee::Methods;
use tower::Service;

use super::auth::ConnInfo;
use super::{handlers, ApiContext, ApiError};

/// A running API server; [`ApiServer::stop`] ends it.
pub struct ApiServer {
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The bound address (useful with port 0).
    pub local_addr: SocketAddr,
}

impl ApiServer {
    /// Stops accepting, lets calls in flight finish, and joins the thread.
    pub fn stop(mut self) {
        let _ = self.handle.stop();
        if let Some(t) = self.thread.take() {
            if t.join().is_err() {
                tracing::error!("RPC thread panicked");
            }
        }
    }
}

fn bearer(req: &hyper::Request<hyper::body::Incoming>) -> Option<String> {
    let value = req.headers().get("authorization")?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty())
}

/// Binds the listener and starts the control-plane thread.
pub fn start(ctx: ApiContext) -> Result<ApiServer, ApiError> {
    let config = ctx.config();
    let rpc = config.rpc.clone();
    let tls = match (&rpc.tls_cert, &rpc.tls_key) {
        (Some(cert), Some(key)) => Some(
            crate::tls::server_config(Some(cert), Some(key), &config.data_dir, &ctx.hostname)
                .map_err(|e| ApiError::Unavailable(format!("rpc TLS: {e}")))?,
        ),
        _ => None,
    };
    let std_listener = std::net::TcpListener::bind(rpc.listen).map_err(|e| {
        ApiError::Unavailable(format!("binding the RPC listener {}: {e}", rpc.listen))
    })?;
    std_listener
        .set_nonblocking(true)
        .map_err(|e| ApiError::Unavailable(format!("RPC listener: {e}")))?;
    let local_addr = std_listener
        .local_addr()
        .map_err(|e| ApiError::Unavailable(format!("RPC listener: {e}")))?;
    // The one-click unsubscribe endpoint: HTTPS with the relay's certificate (the configured
    // one, or the self-signed one generated at first start).
    let unsub_tls = crate::tls::server_config(
        config.relay.tls_cert.as_deref(),
        config.relay.tls_key.as_deref(),
        &config.data_dir,
        &ctx.hostname,
    )
    .map_err(|e| ApiError::Unavailable(format!("unsubscribe TLS: {e}")))?;
    let unsub_listener = std::net::TcpListener::bind(config.unsubscribe.listen).map_err(|e| {
        ApiError::Unavailable(format!(
            "binding the unsubscribe listener {}: {e}",
            config.unsubscribe.listen
        ))
    })?;
    unsub_listener
        .set_nonblocking(true)
        .map_err(|e| ApiError::Unavailable(format!("unsubscribe listener: {e}")))?;
    let console = config
        .console
        .enabled
        .then(|| bind_console(&config, &ctx.hostname))
        .transpose()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(4)
        .thread_name("control-plane")
        .enable_all()
        .build()
        .map_err(|e| ApiError::Unavailable(format!("control-plane runtime: {e}")))?;
    let (stop_handle, server_handle) = stop_channel();
    let ctx = Arc::new(ctx);
    let methods: Methods = handlers::module(ctx.clone()).into();
    let server_config = ServerConfig::builder()
        .max_request_body_size(rpc.max_request_kb.saturating_mul(1024))
        .max_response_body_size(64 << 20)
        .max_connections(rpc.max_connections)
        .build();
    let builder = jsonrpsee::server::Server::builder()
        .set_config(server_config)
        .to_service_builder();
    let acceptor = tls.map(tokio_rustls::TlsAcceptor::from);
    let thread = std::thread::Builder::new()
        .name("control-plane".into())
        .spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::error!(error = %e, "RPC listener");
                        return;
                    }
                };
                match tokio::net::TcpListener::from_std(unsub_listener) {
                    Ok(l) => {
                        let ctx = ctx.clone();
                        tokio::spawn(serve_https(
                            "one-click unsubscribe endpoint",
                            l,
                            tokio_rustls::TlsAcceptor::from(unsub_tls),
                            stop_handle.clone(),
                            move |_ip, req| super::unsubscribe_http::handle(ctx.clone(), req),
                        ));
                    }
                    Err(e) => tracing::error!(error = %e, "unsubscribe listener"),
                }
                if let Some((listener, tls, idle)) = console {
                    match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => {
                            let console = Arc::new(crate::console::Console::new(
                                super::console_http::RpcBackend::new(methods.clone()),
                                idle,
                            ));
                            tokio::spawn(serve_https(
                                "web console",
                                l,
                                tokio_rustls::TlsAcceptor::from(tls),
                                stop_handle.clone(),
                                move |ip, req| super::console_http::handle(console.clone(), ip, req),
                            ));
                        }
                        Err(e) => tracing::error!(error = %e, "console listener"),
                    }
                }
                // Bulk jobs cut short by the last shutdown or crash go on where they stopped.
                match ctx.jobs.resume(&ctx) {
                    Ok(0) => {}
                    Ok(n) => tracing::info!(jobs = n, "bulk jobs resumed"),
                    Err(e) => tracing::error!(error = %e, "resuming bulk jobs failed"),
                }
                // One sender task per event-webhook endpoint.
                super::webhooks::start(&ctx);
                tracing::info!(listen = %local_addr, tls = acceptor.is_some(), "JSON-RPC API ready");
                loop {
                    let (sock, peer) = tokio::select! {
                        r = listener.accept() => match r {
                            Ok(x) => x,
                            Err(e) => {
                                tracing::warn!(error = %e, "RPC accept failed");
                                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                                continue;
                            }
                        },
                        _ = stop_handle.clone().shutdown() => break,
                    };
                    let ip = peer.ip().to_canonical();
                    let methods = methods.clone();
                    let stop = stop_handle.clone();
                    let builder = builder.clone();
                    let metrics_ctx = ctx.clone();
                    let svc = tower::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                        if req.uri().path() == "/metrics" {
                            let ctx = metrics_ctx.clone();
                            let method = req.method().clone();
                            let fut: BoxFuture<'static, Result<jsonrpsee::server::HttpResponse, jsonrpsee::core::BoxError>> =
                                async move { Ok(serve_metrics(&ctx, ip, &method).await) }.boxed();
                            return fut;
                        }
                        let info = ConnInfo {
                            ip,
                            bearer: bearer(&req),
                        };
                        req.extensions_mut().insert(info);
                        let mut svc = builder.clone().build(methods.clone(), stop.clone());
                        let fut: BoxFuture<'static, Result<jsonrpsee::server::HttpResponse, jsonrpsee::core::BoxError>> =
                            async move { svc.call(req).await }.boxed();
                        fut
                    });
                    let shutdown = stop_handle.clone().shutdown();
                    match &acceptor {
                        Some(acceptor) => {
                            let acceptor = acceptor.clone();
                            tokio::spawn(async move {
                                match acceptor.accept(sock).await {
                                    Ok(tls) => {
                                        // Spawned rather than awaited here: awaiting it inside
                                        // this block trips rustc's higher-ranked Send check.
                                        tokio::spawn(serve_with_graceful_shutdown(tls, svc, shutdown));
                                    }
                                    Err(e) => tracing::debug!(%peer, error = %e, "RPC TLS handshake failed"),
                                }
                            });
                        }
                        None => {
                            tokio::spawn(serve_with_graceful_shutdown(sock, svc, shutdown));
                        }
                    }
                }
                tracing::info!("JSON-RPC API stopped");
            });
        })
        .map_err(|e| ApiError::Unavailable(format!("control-plane thread: {e}")))?;
    Ok(ApiServer {
        handle: server_handle,
        thread: Some(thread),
        local_addr,
    })
}

/// `GET /metrics`: the Prometheus text exposition, behind the RPC connection-IP allow-list
/// and rate limit but without a credential (scrapers rarely carry one). The queue depth comes
/// from the shards over the control channel (bounded wait: a shard busy draining leaves the
/// queue metrics out rather than stalling the scrape); RocksDB sizes and the webhook outbox
/// (one key per endpoint) are read on the blocking pool.
async fn serve_metrics(
    ctx: &Arc<ApiContext>,
    ip: std::net::IpAddr,
    method: &hyper::Method,
) -> jsonrpsee::server::HttpResponse {
    use jsonrpsee::server::HttpBody;
    let reply = |status: u16, content_type: &str, body: String| {
        hyper::Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(HttpBody::from(body))
            .unwrap_or_else(|_| hyper::Response::new(HttpBody::from("error")))
    };
    if method != hyper::Method::GET && method != hyper::Method::HEAD {
        return reply(405, "text/plain", "only GET /metrics\n".into());
    }
    if let Err(e) = ctx.auth.check_ip(ip) {
        let status = match e {
            ApiError::RateLimited(_) => 429,
            _ => 403,
        };
        return reply(status, "text/plain", format!("{e}\n"));
    }
    let queue = tokio::time::timeout(std::time::Duration::from_secs(2), ctx.link.queue_depth())
        .await
        .ok()
        .and_then(Result::ok);
    let store = ctx.store.clone();
    let (rocks, outbox) = tokio::task::spawn_blocking(move || {
        let outbox = crate::webhooks::outbox_gauges(&store, crate::clock::now_ms())
            .into_iter()
            .map(
                |(endpoint, pending, oldest_age_seconds)| crate::metrics::OutboxGauge {
                    endpoint,
                    pending,
                    oldest_age_seconds,
                },
            )
            .collect();
        (store.sizes(), outbox)
    })
    .await
    .unwrap_or_default();
    let gathered = crate::metrics::Gathered {
        queue,
        rocks,
        outbox,
        space: Some(ctx.store.space().status()),
    };
    match crate::metrics::render(&ctx.metrics, gathered) {
        Ok(text) => reply(200, crate::metrics::CONTENT_TYPE, text),
        Err(e) => {
            tracing::error!(error = %e, "encoding /metrics failed");
            reply(500, "text/plain", format!("{e}\n"))
        }
    }
}

/// Binds the console's listener and loads its certificate (its own, or the relay's).
fn bind_console(
    config: &crate::config::Config,
    hostname: &str,
) -> Result<
    (
        std::net::TcpListener,
        Arc<rustls::ServerConfig>,
        std::time::Duration,
    ),
    ApiError,
> {
    let c = &config.console;
    let (cert, key) = match (&c.tls_cert, &c.tls_key) {
        (Some(cert), Some(key)) => (Some(cert.as_path()), Some(key.as_path())),
        _ => (
            config.relay.tls_cert.as_deref(),
            config.relay.tls_key.as_deref(),
        ),
    };
    let tls = crate::tls::server_config(cert, key, &config.data_dir, hostname)
        .map_err(|e| ApiError::Unavailable(format!("console TLS: {e}")))?;
    let listener = std::net::TcpListener::bind(c.listen).map_err(|e| {
        ApiError::Unavailable(format!("binding the console listener {}: {e}", c.listen))
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ApiError::Unavailable(format!("console listener: {e}")))?;
    Ok((
        listener,
        tls,
        std::time::Duration::from_secs(c.idle_timeout_secs),
    ))
}

/// Accepts HTTPS connections on `listener` until the server stops, answering each request
/// with `handler(peer IP, request)` (the unsubscribe endpoint and the web console).
async fn serve_https<F, Fut>(
    name: &'static str,
    listener: tokio::net::TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    stop: jsonrpsee::server::StopHandle,
    handler: F,
) where
    F: Fn(std::net::IpAddr, hyper::Request<hyper::body::Incoming>) -> Fut
        + Clone
        + Send
        + Sync
        + 'static,
    Fut: std::future::Future<
            Output = Result<jsonrpsee::server::HttpResponse, std::convert::Infallible>,
        > + Send
        + 'static,
{
    if let Ok(addr) = listener.local_addr() {
        tracing::info!(listen = %addr, "{name} ready");
    }
    loop {
        let (sock, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "{name}: accept failed");
                    tokio::time::sleep(std::time::Duration::from_millis(10)).await;
                    continue;
                }
            },
            _ = stop.clone().shutdown() => return,
        };
        let acceptor = acceptor.clone();
        let handler = handler.clone();
        let shutdown = stop.clone().shutdown();
        tokio::spawn(async move {
            match acceptor.accept(sock).await {
                Ok(tls) => {
                    let ip = peer.ip().to_canonical();
                    let svc = tower::service_fn(move |req| handler(ip, req));
                    tokio::spawn(serve_with_graceful_shutdown(tls, svc, shutdown));
                }
                Err(e) => tracing::debug!(%peer, error = %e, "{name}: TLS handshake failed"),
            }
        });
    }
}
