//! `webhooks.*`: event webhook endpoints. A change is written (synced) first, then the spool's
//! router is rebuilt from the stored endpoints and swapped, and the endpoint's sender task is
//! started (or stops by itself once its endpoint is gone).

use std::sync::{Arc, Weak};

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::webhooks::{
    WebhookCreate, WebhookCreated, WebhookDeadLetter, WebhookDeadLetters, WebhookDeadLettersQuery,
    WebhookFilter, WebhookId, WebhookInfo, WebhookList, WebhookReplayed, WebhookStatus,
};
use hikyaku_rpc::types::Done;
use jsonrpsee::RpcModule;

use super::handlers::{blocking, register, register_audited};
use super::oplog::Audit;
use super::reports::page_limit;
use super::time::format_ms;
use super::{ApiContext, ApiError};
use crate::clock::now_ms;
use crate::webhooks::sender::{self, Env};
use crate::webhooks::store::{self as wstore, Endpoint, FilterSpec, DEAD, PENDING};
use crate::webhooks::{sign, EventKind, Router, WebhookError};

/// Serialises endpoint changes: each rebuilds the router from the stored endpoints.
static CHANGES: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Dead letters moved back per commit by `webhooks.replay`.
const REPLAY_CHUNK: usize = 10_000;

impl From<WebhookError> for ApiError {
    fn from(e: WebhookError) -> Self {
        match e {
            WebhookError::Storage(s) => s.into(),
            WebhookError::Filter(f) => ApiError::invalid("filter", f.to_string()),
            other => ApiError::Unavailable(other.to_string()),
        }
    }
}

/// The senders' view of the engine; holds the context weakly (no cycle through the tasks).
fn env(ctx: &Arc<ApiContext>) -> Env {
    let weak: Weak<ApiContext> = Arc::downgrade(ctx);
    Env {
        store: ctx.store.clone(),
        committer: ctx.committer.clone(),
        config: Arc::new(move || {
            weak.upgrade()
                .map(|c| c.config().webhooks.clone())
                .unwrap_or_default()
        }),
    }
}

/// Starts the sender of every stored endpoint (control-plane start-up).
pub(super) fn start(ctx: &Arc<ApiContext>) {
    let env = env(ctx);
    env.store
        .webhooks()
        .set_max_pending(ctx.config().webhooks.max_pending);
    sender::start_all(&env);
}

fn info(e: &Endpoint) -> WebhookInfo {
    WebhookInfo {
        id: wstore::id_text(e.id),
        url: e.url.clone(),
        events: e.events.iter().map(|k| k.name().to_string()).collect(),
        filter: e.filter.as_ref().map(|f| WebhookFilter {
            header: f.header.clone(),
            pattern: f.pattern.clone(),
        }),
        created: format_ms(e.created_ms),
    }
}

fn parse_id(text: &str) -> Result<u64, ApiError> {
    wstore::parse_id(text).ok_or_else(|| ApiError::invalid("id", "not a webhook id (wh_…)"))
}

fn validate(p: &WebhookCreate) -> Result<Vec<EventKind>, ApiError> {
    let url: hyper::Uri = p
        .url
        .parse()
        .map_err(|e| ApiError::invalid("url", format!("not a URL: {e}")))?;
    if !matches!(url.scheme_str(), Some("http" | "https")) || url.host().is_none() {
        return Err(ApiError::invalid(
            "url",
            "must be an http:// or https:// URL",
        ));
    }
    if p.events.is_empty() {
        return Err(ApiError::invalid("events", "name at least one event type"));
    }
    let mut kinds = Vec::new();
    for name in &p.events {
        let kind = EventKind::parse(name).ok_or_else(|| {
            let all: Vec<&str> = EventKind::ALL.iter().map(|k| k.name()).collect();
            ApiError::invalid(
                "events",
                format!("unknown event type {name:?} (known: {})", all.join(", ")),
            )
        })?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    if let Some(f) = &p.filter {
        crate::policy::filter::Filter::compile(&f.header, &f.pattern)
            .map_err(|e| ApiError::invalid("filter", e.to_string()))?;
    }
    Ok(kinds)
}

/// Rebuilds the router from the stored endpoints and installs it.
async fn reload(ctx: &Arc<ApiContext>) -> Result<(), ApiError> {
    let store = ctx.store.clone();
    blocking(move || {
        let hook = store.webhooks();
        let router = Router::build(wstore::endpoints(&store)?, &hook.router())?;
        hook.install(router);
        Ok(())
    })
    .await
}

async fn create(
    ctx: Arc<ApiContext>,
    audit: Audit,
    p: WebhookCreate,
) -> Result<WebhookCreated, ApiError> {
    let events = validate(&p)?;
    let secret = sign::new_secret().map_err(WebhookError::from)?;
    let id = loop {
        let candidate: u64 = rand::random();
        let store = ctx.store.clone();
        if candidate != 0 && !blocking(move || Ok(wstore::exists(&store, candidate)?)).await? {
            break candidate;
        }
    };
    let endpoint = Endpoint {
        id,
        url: p.url,
        events,
        filter: p.filter.map(|f| FilterSpec {
            header: f.header,
            pattern: f.pattern,
        }),
        secret: secret.clone(),
        created_ms: now_ms(),
    };
    let _guard = CHANGES.lock().await;
    let mut ops = vec![wstore::put_endpoint_op(&endpoint)?];
    // The URL and events, never the secret.
    let details = serde_json::json!({ "url": endpoint.url, "events": p.events });
    ops.extend(audit.ops(&ctx, Some(&wstore::id_text(id)), details)?);
    ctx.committer.commit(ops).await?;
    reload(&ctx).await?;
    sender::spawn(env(&ctx), id);
    tracing::info!(endpoint = %wstore::id_text(id), url = %endpoint.url, "webhook endpoint created");
    Ok(WebhookCreated {
        id: wstore::id_text(id),
        secret,
    })
}

async fn remove(ctx: Arc<ApiContext>, audit: Audit, p: WebhookId) -> Result<Done, ApiError> {
    let id = parse_id(&p.id)?;
    let _guard = CHANGES.lock().await;
    let store = ctx.store.clone();
    if !blocking(move || Ok(wstore::exists(&store, id)?)).await? {
        return Err(ApiError::NotFound(format!("no webhook {}", p.id)));
    }
    let mut ops = wstore::remove_endpoint_ops(id);
    ops.extend(audit.ops(&ctx, Some(&p.id), serde_json::Value::Null)?);
    ctx.committer.commit(ops).await?;
    reload(&ctx).await?;
    tracing::info!(endpoint = %p.id, "webhook endpoint removed");
    Ok(Done { ok: true })
}

async fn status(ctx: Arc<ApiContext>, p: WebhookId) -> Result<WebhookStatus, ApiError> {
    let id = parse_id(&p.id)?;
    let route = ctx.store.webhooks().router();
    let Some(route) = route.get(id) else {
        return Err(ApiError::NotFound(format!("no webhook {}", p.id)));
    };
    let last_error = route
        .state
        .last_error
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let store = ctx.store.clone();
    let (pending, dead, oldest) = blocking(move || {
        Ok((
            wstore::count(&store, PENDING, id)?.0,
            wstore::count(&store, DEAD, id)?.0,
            wstore::oldest_pending_ms(&store, id)?,
        ))
    })
    .await?;
    Ok(WebhookStatus {
        id: wstore::id_text(id),
        pending,
        oldest_pending_secs: oldest.map_or(0.0, |t| now_ms().saturating_sub(t) as f64 / 1000.0),
        last_error,
        dead_letters: dead,
    })
}

async fn replay(
    ctx: Arc<ApiContext>,
    audit: Audit,
    p: WebhookId,
) -> Result<WebhookReplayed, ApiError> {
    let id = parse_id(&p.id)?;
    let _guard = CHANGES.lock().await;
    let router = ctx.store.webhooks().router();
    let Some(route) = router.get(id) else {
        return Err(ApiError::NotFound(format!("no webhook {}", p.id)));
    };
    let mut replayed = 0u64;
    loop {
        let store = ctx.store.clone();
        let (ops, n) = blocking(move || Ok(sender::replay_ops(&store, id, REPLAY_CHUNK)?)).await?;
        if n == 0 {
            break;
        }
        ctx.committer.commit(ops).await?;
        route
            .state
            .pending
            .fetch_add(n, std::sync::atomic::Ordering::SeqCst);
        route.state.notify.notify_one();
        replayed += n;
    }
    // Many batches (one per chunk): the entry follows the last.
    audit
        .record(
            &ctx,
            Some(&p.id),
            serde_json::json!({ "replayed": replayed }),
        )
        .await?;
    tracing::info!(endpoint = %p.id, replayed, "webhook dead letters queued again");
    Ok(WebhookReplayed { replayed })
}

/// The wire form of a dead letter; an event that does not decode is shown as its text
/// (replay posts the stored bytes either way).
fn dead_letter_wire(letter: wstore::DeadLetter) -> WebhookDeadLetter {
    let event = serde_json::from_slice(&letter.event).unwrap_or_else(|_| {
        serde_json::Value::String(String::from_utf8_lossy(&letter.event).into_owned())
    });
    WebhookDeadLetter {
        event,
        dead_lettered: letter.info.as_ref().map(|i| format_ms(i.dead_ms)),
        error: letter.info.map(|i| i.error),
    }
}

async fn dead_letters(
    ctx: Arc<ApiContext>,
    p: WebhookDeadLettersQuery,
) -> Result<WebhookDeadLetters, ApiError> {
    let id = parse_id(&p.id)?;
    let limit = page_limit(p.limit, 100, 1000)? as usize;
    let after = match p.cursor.as_deref() {
        Some(c) if c.len() == 16 => Some(
            u64::from_str_radix(c, 16)
                .map_err(|_| ApiError::invalid("cursor", "not a cursor returned by this method"))?,
        ),
        Some(_) => {
            return Err(ApiError::invalid(
                "cursor",
                "not a cursor returned by this method",
            ))
        }
        None => None,
    };
    let store = ctx.store.clone();
    let (exists, letters) = blocking(move || {
        Ok((
            wstore::exists(&store, id)?,
            wstore::dead_letters(&store, id, after, limit)?,
        ))
    })
    .await?;
    if !exists {
        return Err(ApiError::NotFound(format!("no webhook {}", p.id)));
    }
    let next_cursor = (letters.len() == limit)
        .then(|| letters.last().map(|l| format!("{:016x}", l.seq)))
        .flatten();
    Ok(WebhookDeadLetters {
        dead_letters: letters.into_iter().map(dead_letter_wire).collect(),
        next_cursor,
    })
}

/// Binds `webhooks.*`.
pub(super) fn register_webhooks(module: &mut RpcModule<ApiContext>) {
    register_audited(module, m::WEBHOOKS_CREATE, |ctx, _c, audit, p| {
        create(ctx, audit, p)
    });
    register(module, m::WEBHOOKS_LIST, |ctx, _c, _p| async move {
        let store = ctx.store.clone();
        let endpoints = blocking(move || Ok(wstore::endpoints(&store)?)).await?;
        let mut webhooks: Vec<WebhookInfo> = endpoints.iter().map(info).collect();
        webhooks.sort_by(|a, b| a.created.cmp(&b.created));
        Ok(WebhookList { webhooks })
    });
    register_audited(module, m::WEBHOOKS_REMOVE, |ctx, _c, audit, p| {
        remove(ctx, audit, p)
    });
    register(module, m::WEBHOOKS_STATUS, |ctx, _c, p| status(ctx, p));
    register_audited(module, m::WEBHOOKS_REPLAY, |ctx, _c, audit, p| {
        replay(ctx, audit, p)
    });
    register(module, m::WEBHOOKS_DEAD_LETTERS, |ctx, _c, p| {
        dead_letters(ctx, p)
    });
}
