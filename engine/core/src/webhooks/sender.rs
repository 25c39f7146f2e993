//! One sender task per endpoint on the control plane's tokio runtime: reads the endpoint's
//! outbox in order, posts batches, deletes them on 2xx, retries with backoff, dead-letters.
//!
//! Nothing here is on the intake or delivery path: a slow endpoint only makes its own outbox
//! range longer (bounded by `max_pending`, see [`super::Hook`]).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use super::retry::{self, Next, RetryState};
use super::router::EndpointState;
use super::sign;
use super::store::{self, outbox_key, DeadInfo, DEAD, PENDING};
use super::{WebhookError, WebhooksConfig};
use crate::clock::now_ms;
use crate::storage::{Cf, Committer, Op, Store};

type Https = hyper_rustls::HttpsConnector<HttpConnector>;

/// What the senders need from the engine.
#[derive(Clone)]
pub struct Env {
    /// The spool.
    pub store: Arc<Store>,
    /// Durable writes (dead letters).
    pub committer: Committer,
    /// The `[webhooks]` settings in force (read per batch, so `settings.apply` takes effect).
    pub config: Arc<dyn Fn() -> WebhooksConfig + Send + Sync>,
}

/// The HTTP client: HTTP/1.1 over TCP or TLS (webpki roots, plus `ca_file`).
pub fn client(config: &WebhooksConfig) -> Result<Client<Https, Full<Bytes>>, WebhookError> {
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &config.ca_file {
        let file = std::fs::File::open(path)
            .map_err(|e| WebhookError::Client(format!("{}: {e}", path.display())))?;
        for cert in rustls_pemfile::certs(&mut std::io::BufReader::new(file)) {
            let cert =
                cert.map_err(|e| WebhookError::Client(format!("{}: {e}", path.display())))?;
            roots
                .add(cert)
                .map_err(|e| WebhookError::Client(format!("{}: {e}", path.display())))?;
        }
    }
    let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|e| WebhookError::Client(e.to_string()))?
    .with_root_certificates(roots)
    .with_no_client_auth();
    let mut http = HttpConnector::new();
    http.enforce_http(false);
    http.set_connect_timeout(Some(Duration::from_millis(config.timeout_ms)));
    http.set_nodelay(true);
    let https = hyper_rustls::HttpsConnectorBuilder::new()
        .with_tls_config(tls)
        .https_or_http()
        .enable_http1()
        .wrap_connector(http);
    Ok(Client::builder(TokioExecutor::new()).build(https))
}

/// Starts the sender of every endpoint the router has now.
pub fn start_all(env: &Env) {
    for route in env.store.webhooks().router().routes() {
        spawn(env.clone(), route.endpoint.id);
    }
}

/// Starts the sender of one endpoint (after `webhooks.create`); it stops by itself when the
/// endpoint is removed.
pub fn spawn(env: Env, id: u64) {
    tokio::spawn(async move {
        if let Err(e) = run(env, id).await {
            tracing::error!(endpoint = %store::id_text(id), error = %e, "webhook sender stopped");
        }
    });
}

/// A batch being delivered; kept as is across retries, so its `webhook-id` is stable.
struct Batch {
    id: String,
    keys: Vec<Vec<u8>>,
    values: Vec<Vec<u8>>,
    body: Bytes,
    /// Sequence of the first event (what the persisted [`RetryState`] is about).
    head_seq: u64,
    first_attempt_ms: u64,
    failures: u32,
    /// The last failure, recorded with the events if they are dead-lettered.
    last_error: Option<String>,
    /// A [`RetryState`] record exists for the endpoint (delete it when the batch is done).
    persisted: bool,
}

/// The JSON array of stored event values (each already JSON).
pub fn batch_body(values: &[Vec<u8>]) -> Vec<u8> {
    let mut body = Vec::with_capacity(values.iter().map(|v| v.len() + 1).sum::<usize>() + 2);
    body.push(b'[');
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            body.push(b',');
        }
        body.extend_from_slice(v);
    }
    body.push(b']');
    body
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, WebhookError> + Send + 'static,
) -> Result<T, WebhookError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| WebhookError::Client(format!("worker failed: {e}")))?
}

async fn run(env: Env, id: u64) -> Result<(), WebhookError> {
    let Some(route) = env.store.webhooks().router().get(id).map(|r| {
        (
            r.state.clone(),
            r.endpoint.url.clone(),
            r.endpoint.secret.clone(),
        )
    }) else {
        return Ok(());
    };
    let (state, url, secret) = route;
    let key = sign::key_of(&secret)?;
    let client = client(&(env.config)())?;
    let mut batch: Option<Batch> = None;
    let store = env.store.clone();
    let mut saved = blocking(move || Ok(store::retry_state(&store, id)?)).await?;
    // The lowest sequence not yet sent, as far as this sender knows (see `next_batch`).
    let mut cursor = 0u64;
    while !state.removed.load(Ordering::SeqCst) {
        let config = (env.config)();
        env.store.webhooks().set_max_pending(config.max_pending);
        let current = match batch.take() {
            Some(b) => b,
            None => match next_batch(&env, &state, id, &config, &mut cursor).await? {
                Some(mut b) => {
                    // The first batch after a start continues the retry window of the head
                    // batch a previous run left failing (see `retry::resume`).
                    if let Some(saved) = saved.take() {
                        (b.first_attempt_ms, b.failures) =
                            retry::resume(Some(saved), b.head_seq, b.first_attempt_ms);
                        b.persisted = true;
                    }
                    b
                }
                None => continue,
            },
        };
        let result = post(&client, &url, &key, &current, config.timeout_ms).await;
        match result {
            Ok(()) => {
                let n = current.keys.len() as u64;
                if let Some(last) = current.keys.last().and_then(|k| store::seq_of(k)) {
                    cursor = last.saturating_add(1);
                }
                let persisted = current.persisted;
                let mut ops: Vec<Op> = current
                    .keys
                    .into_iter()
                    .map(|key| Op::Delete {
                        cf: Cf::Outbox,
                        key,
                    })
                    .collect();
                if persisted {
                    ops.push(store::delete_retry_op(id));
                }
                // Not synced: a crash before the WAL reaches the disk re-sends the batch
                // (at-least-once; receivers dedupe by event id) instead of costing an fsync.
                let store = env.store.clone();
                blocking(move || Ok(store.write_ops(&ops, false)?)).await?;
                state.pending.fetch_sub(
                    n.min(state.pending.load(Ordering::SeqCst)),
                    Ordering::SeqCst,
                );
            }
            Err(error) => {
                let mut current = current;
                current.failures += 1;
                tracing::warn!(endpoint = %store::id_text(id), %error, failures = current.failures, "webhook POST failed");
                current.last_error = Some(error.clone());
                set_error(&state, Some(error));
                // Persist the window's start and the failure count (not synced: a crash loses
                // at most the last few failures of the count, never the start once written).
                let op = store::put_retry_op(
                    id,
                    &RetryState {
                        head_seq: current.head_seq,
                        first_attempt_ms: current.first_attempt_ms,
                        failures: current.failures,
                    },
                )?;
                let store = env.store.clone();
                blocking(move || Ok(store.write_ops(&[op], false)?)).await?;
                current.persisted = true;
                let jitter: f64 = rand::random();
                match config.schedule().next(
                    current.failures,
                    current.first_attempt_ms,
                    now_ms(),
                    jitter,
                ) {
                    Next::RetryIn(ms) => {
                        sleep_unless_removed(&state, ms).await;
                        batch = Some(current);
                    }
                    Next::DeadLetter => dead_letter(&env, &state, id, current).await?,
                }
            }
        }
    }
    Ok(())
}

/// Waits for events, then for up to `batch_ms` more while the batch is not full. Reads start at
/// `cursor` (just after the last batch sent), so they do not step over the tombstones of
/// everything sent before; when nothing is found there, one read from the start of the range
/// catches an event whose sequence was assigned before, but committed after, a later one
/// (sequences are taken when a batch is built, and batches can commit out of that order).
async fn next_batch(
    env: &Env,
    state: &EndpointState,
    id: u64,
    config: &WebhooksConfig,
    cursor: &mut u64,
) -> Result<Option<Batch>, WebhookError> {
    let max = config.batch_max.max(1);
    let read = |env: &Env, from: u64| {
        let store = env.store.clone();
        blocking(move || Ok(store::read_from(&store, PENDING, id, from, max)?))
    };
    let mut items = read(env, *cursor).await?;
    if items.is_empty() && *cursor > 0 {
        items = read(env, 0).await?;
        if let Some(first) = items.first().and_then(|(k, _)| store::seq_of(k)) {
            *cursor = first;
        }
    }
    if items.is_empty() {
        // Woken after a write that routed events here; the timeout is a safety net.
        let _ = tokio::time::timeout(Duration::from_millis(500), state.notify.notified()).await;
        return Ok(None);
    }
    if items.len() < max {
        tokio::time::sleep(Duration::from_millis(config.batch_ms)).await;
        items = read(env, *cursor).await?;
    }
    let first = items
        .first()
        .and_then(|(k, _)| store::seq_of(k))
        .unwrap_or(0);
    let (keys, values): (Vec<_>, Vec<_>) = items.into_iter().unzip();
    let body = Bytes::from(batch_body(&values));
    Ok(Some(Batch {
        id: format!("msg_{id:016x}_{first:016x}_{}", keys.len()),
        keys,
        values,
        body,
        head_seq: first,
        first_attempt_ms: now_ms(),
        failures: 0,
        last_error: None,
        persisted: false,
    }))
}

async fn post(
    client: &Client<Https, Full<Bytes>>,
    url: &str,
    key: &ring::hmac::Key,
    batch: &Batch,
    timeout_ms: u64,
) -> Result<(), String> {
    let timestamp = now_ms() / 1000;
    let signature = sign::signature(key, &batch.id, timestamp, &batch.body);
    let request = hyper::Request::post(url)
        .header("content-type", "application/json")
        .header("user-agent", concat!("hikyaku/", env!("CARGO_PKG_VERSION")))
        .header("webhook-id", &batch.id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(Full::new(batch.body.clone()))
        .map_err(|e| format!("request: {e}"))?;
    let exchange = async {
        let response = client.request(request).await.map_err(|e| {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg.push_str(&format!(": {s}"));
                source = s.source();
            }
            msg
        })?;
        let status = response.status();
        // Read the (small) answer so the connection can be reused.
        let _ = response.into_body().collect().await;
        if status.is_success() {
            Ok(())
        } else {
            Err(format!("HTTP {status}"))
        }
    };
    match tokio::time::timeout(Duration::from_millis(timeout_ms), exchange).await {
        Ok(r) => r,
        Err(_) => Err(format!("timed out after {timeout_ms} ms")),
    }
}

async fn dead_letter(
    env: &Env,
    state: &EndpointState,
    id: u64,
    batch: Batch,
) -> Result<(), WebhookError> {
    let n = batch.keys.len() as u64;
    let info = DeadInfo {
        dead_ms: now_ms(),
        error: batch
            .last_error
            .clone()
            .unwrap_or_else(|| "retry window over".into()),
    };
    let mut ops = Vec::with_capacity(batch.keys.len() * 3 + 1);
    for (key, value) in batch.keys.into_iter().zip(batch.values) {
        let seq = store::seq_of(&key).unwrap_or(0);
        ops.push(Op::Put {
            cf: Cf::Outbox,
            key: outbox_key(DEAD, id, seq),
            value,
        });
        let (info_key, info_value) = store::dead_info_put(id, seq, &info);
        ops.push(Op::Put {
            cf: Cf::Outbox,
            key: info_key,
            value: info_value,
        });
        ops.push(Op::Delete {
            cf: Cf::Outbox,
            key,
        });
    }
    ops.push(store::delete_retry_op(id));
    env.committer.commit(ops).await?;
    state.pending.fetch_sub(
        n.min(state.pending.load(Ordering::SeqCst)),
        Ordering::SeqCst,
    );
    tracing::warn!(endpoint = %store::id_text(id), events = n, batch = %batch.id, "webhook batch dead-lettered after retrying");
    Ok(())
}

fn set_error(state: &EndpointState, error: Option<String>) {
    // The last error stays until another one replaces it: `webhooks.status` shows it with
    // its time, next to the pending count that tells whether the endpoint recovered.
    if let Some(e) = error {
        let mut last = state.last_error.lock().unwrap_or_else(|p| p.into_inner());
        *last = Some(format!("{}: {e}", super::event::rfc3339(now_ms())));
    }
}

async fn sleep_unless_removed(state: &EndpointState, ms: u64) {
    let until = tokio::time::Instant::now() + Duration::from_millis(ms);
    while !state.removed.load(Ordering::SeqCst) && tokio::time::Instant::now() < until {
        let step = until.saturating_duration_since(tokio::time::Instant::now());
        tokio::time::sleep(step.min(Duration::from_secs(1))).await;
    }
}

/// Moves up to `max` dead letters of an endpoint back to its pending events, with new
/// sequence numbers (after everything pending now), and drops what was recorded about them.
/// Returns the writes and the count.
pub fn replay_ops(store: &Store, id: u64, max: usize) -> Result<(Vec<Op>, u64), WebhookError> {
    let dead = store::read(store, DEAD, id, max)?;
    let hook = store.webhooks();
    let mut ops = Vec::with_capacity(dead.len() * 3);
    for (key, value) in &dead {
        ops.push(Op::Put {
            cf: Cf::Outbox,
            key: outbox_key(PENDING, id, hook.next_seq()),
            value: value.clone(),
        });
        ops.push(Op::Delete {
            cf: Cf::Outbox,
            key: key.clone(),
        });
        ops.push(Op::Delete {
            cf: Cf::Outbox,
            key: outbox_key(store::DEAD_INFO, id, store::seq_of(key).unwrap_or(0)),
        });
    }
    Ok((ops, dead.len() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_a_json_array_of_the_events() {
        assert_eq!(batch_body(&[]), b"[]");
        let body = batch_body(&[br#"{"a":1}"#.to_vec(), br#"{"b":2}"#.to_vec()]);
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v, serde_json::json!([{"a": 1}, {"b": 2}]));
    }
}
