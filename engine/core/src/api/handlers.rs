//! Binds every method of `hikyaku_rpc::methods` to its implementation. Each registration
//! goes through [`register`], which runs the IP/rate/credential/access checks of the method's
//! table entry and parses the by-name parameter object before the handler sees anything, so a
//! handler cannot forget a check and a malformed request is an error, never a panic.

use std::future::Future;
use std::net::IpAddr;
use std::sync::Arc;

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::system::{SpoolSpace, SystemStatus};
use hikyaku_rpc::types::users::Role as WireRole;
use hikyaku_rpc::Method;
use jsonrpsee::types::{ErrorObjectOwned, Params};
use jsonrpsee::{Extensions, RpcModule};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::auth::{Caller, ConnInfo};
use super::my_account::{fill_hold_zones, zone_for};
use super::oplog::Audit;
use super::{jobs, reports, sending, ApiContext, ApiError};
use crate::accounts::Role;

fn parse<P: DeserializeOwned>(params: &Params<'_>) -> Result<P, ApiError> {
    let raw = params.as_str().map(str::trim).unwrap_or("");
    let text = if raw.is_empty() || raw == "null" || raw == "[]" {
        "{}"
    } else {
        raw
    };
    if !text.starts_with('{') {
        return Err(ApiError::Params(
            "params must be one object of named parameters, e.g. {\"to\": [...]}".into(),
        ));
    }
    serde_json::from_str(text).map_err(|e| ApiError::from_params(text, &e))
}

pub(super) fn register<P, R, F, Fut>(
    module: &mut RpcModule<ApiContext>,
    method: Method<P, R>,
    handler: F,
) where
    P: DeserializeOwned + Send + 'static,
    R: Serialize + Clone + Send + 'static,
    F: Fn(Arc<ApiContext>, Caller, P) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, ApiError>> + Send + 'static,
{
    register_with_ip(module, method, move |ctx, caller, _ip, p| {
        handler(ctx, caller, p)
    });
}

/// [`register`] for handlers that also need the caller's IP address (the sending methods
/// record it as the mail's `source_ip`).
pub(super) fn register_with_ip<P, R, F, Fut>(
    module: &mut RpcModule<ApiContext>,
    method: Method<P, R>,
    handler: F,
) where
    P: DeserializeOwned + Send + 'static,
    R: Serialize + Clone + Send + 'static,
    F: Fn(Arc<ApiContext>, Caller, IpAddr, P) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, ApiError>> + Send + 'static,
{
    let name = method.name;
    let access = method.access;
    let result = module.register_async_method(
        name,
        move |params: Params<'static>, ctx: Arc<ApiContext>, ext: Extensions| {
            let handler = handler.clone();
            async move {
                let conn = ext.get::<ConnInfo>();
                let caller = ctx
                    .auth
                    .authorize(&ctx.store, conn, name, access)
                    .map_err(ErrorObjectOwned::from)?;
                // `authorize` refuses a request without connection details, so this is the
                // peer's address; the fallback only keeps the types simple.
                let ip = conn.map_or(IpAddr::from([127, 0, 0, 1]), |c| c.ip);
                let p: P = parse(&params).map_err(ErrorObjectOwned::from)?;
                handler(ctx, caller, ip, p)
                    .await
                    .map_err(ErrorObjectOwned::from)
            }
        },
    );
    if let Err(e) = result {
        tracing::error!(method = name, error = %e, "registering an RPC method failed");
    }
}

/// [`register`] for methods that change something: the handler also gets the call's
/// [`Audit`] (caller, IP, and the method's name as the action) and puts the operation-log
/// entry it makes into the change's own batch.
pub(super) fn register_audited<P, R, F, Fut>(
    module: &mut RpcModule<ApiContext>,
    method: Method<P, R>,
    handler: F,
) where
    P: DeserializeOwned + Send + 'static,
    R: Serialize + Clone + Send + 'static,
    F: Fn(Arc<ApiContext>, Caller, Audit, P) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<R, ApiError>> + Send + 'static,
{
    let action = method.name;
    register_with_ip(module, method, move |ctx, caller, ip, p| {
        let audit = Audit::new(&caller, ip, action);
        handler(ctx, caller, audit, p)
    });
}

/// Runs blocking store work (scans, argon2) off the async thread.
pub(super) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Unavailable(format!("worker failed: {e}")))?
}

pub(super) fn wire_role(r: Role) -> WireRole {
    match r {
        Role::GroupAdmin => WireRole::GroupAdmin,
        Role::ServiceAdmin => WireRole::ServiceAdmin,
        Role::ReportViewer => WireRole::ReportViewer,
    }
}

pub(super) fn role_of(r: WireRole) -> Role {
    match r {
        WireRole::GroupAdmin => Role::GroupAdmin,
        WireRole::ServiceAdmin => Role::ServiceAdmin,
        WireRole::ReportViewer => Role::ReportViewer,
    }
}

/// The key idempotency records and jobs are filed under.
fn caller_key(c: &Caller) -> String {
    match c {
        Caller::ApiUser { name, .. } => format!("u:{name}"),
        Caller::Account { name, .. } => format!("a:{name}"),
        Caller::Anonymous => "anonymous".into(),
    }
}

fn is_group_admin(c: &Caller) -> bool {
    matches!(
        c,
        Caller::Account {
            role: Role::GroupAdmin,
            ..
        }
    )
}

/// The module with every method.
pub(crate) fn module(ctx: Arc<ApiContext>) -> RpcModule<ApiContext> {
    let mut module = RpcModule::from_arc(ctx);
    register_sending(&mut module);
    register_reports(&mut module);
    register_settings(&mut module);
    super::accounts::register_users(&mut module);
    super::my_account::register_my_account(&mut module);
    super::dkim::register_dkim(&mut module);
    super::smime::register_smime(&mut module);
    super::spf::register_spf(&mut module);
    super::dmarc::register_dmarc(&mut module);
    super::webhooks::register_webhooks(&mut module);
    super::shaping::register_shaping(&mut module);
    register(&mut module, m::OPLOG_SEARCH, |ctx, _c, p| async move {
        let days = ctx.config().accounts.oplog_retention_days;
        blocking(move || super::oplog::search(&ctx.store, days, &p)).await
    });
    register(&mut module, m::SYSTEM_STATUS, |ctx, _c, _p| async move {
        let config = ctx.config();
        Ok(SystemStatus {
            version: env!("CARGO_PKG_VERSION").into(),
            hostname: ctx.hostname.clone(),
            sandbox: config.sandbox,
            shards: u32::try_from(ctx.link.shards()).unwrap_or(u32::MAX),
            uptime_secs: ctx.started.elapsed().as_secs(),
            settings_version: ctx.settings.applied_version(),
            damaged_deliveries: crate::storage::spool::damaged_count(&ctx.store)?,
            spool: spool_space(ctx.store.space().status()),
        })
    });
    register(&mut module, m::RPC_DISCOVER, |_ctx, _c, _p| async move {
        Ok(hikyaku_rpc::openrpc::document(env!("CARGO_PKG_VERSION")))
    });
    module
}

fn spool_space(s: crate::storage::space::SpaceStatus) -> SpoolSpace {
    SpoolSpace {
        free_bytes: s.free_bytes,
        reserve_bytes: s.reserve_bytes,
        intake_paused: s.intake_paused,
        write_failing_since: s.failing_since_ms.map(super::time::format_ms),
        recoveries: s.recoveries,
    }
}

fn register_sending(module: &mut RpcModule<ApiContext>) {
    register_with_ip(module, m::SEND_SINGLE, |ctx, c, ip, p| async move {
        let key = caller_key(&c);
        let sender = sending::Sender {
            caller_key: &key,
            api_user: c.own_api_user(),
            source_ip: ip,
        };
        sending::send_single(&ctx, sender, p).await
    });
    register_with_ip(module, m::SEND_BULK, |ctx, c, ip, p| async move {
        let origin = jobs::Origin {
            owner: caller_key(&c),
            api_user: c.own_api_user().map(str::to_string),
            source_ip: ip,
        };
        ctx.jobs.start(ctx.clone(), origin, p).await
    });
    register(module, m::SEND_JOB, |ctx, c, p| async move {
        let (key, admin) = (caller_key(&c), is_group_admin(&c));
        blocking(move || ctx.jobs.status(&ctx.store, &key, admin, &p)).await
    });
}

fn register_reports(module: &mut RpcModule<ApiContext>) {
    register(module, m::DELIVERIES_SEARCH, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || reports::search(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::DELIVERIES_EXPORT, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || reports::export(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::BLOCKS_LIST, |ctx, _c, p| async move {
        blocking(move || reports::blocks_list(&ctx.store, &p)).await
    });
    for (method, add) in [(m::BLOCKS_ADD, true), (m::BLOCKS_REMOVE, false)] {
        register_audited(module, method, move |ctx, c, audit, p| async move {
            let (mut ops, changed) = reports::blocks_change(&ctx.store, &p, add, &c.describe())?;
            if !ops.is_empty() {
                let list = serde_json::to_value(p.list).unwrap_or_default();
                let details = serde_json::json!({
                    "changed": changed.changed,
                    "unchanged": changed.unchanged,
                    // The first hundred: enough to tell what a call was about.
                    "addresses": p.addresses.iter().take(100).collect::<Vec<_>>(),
                });
                ops.extend(audit.ops(&ctx, list.as_str(), details)?);
                ctx.committer.commit(ops).await?;
            }
            Ok(changed)
        });
    }
    register(module, m::BOUNCES_SEARCH, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || super::bounce_reports::search(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::BOUNCES_EXPORT, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || super::bounce_reports::export(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::RECEIVED_LIST, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || super::received::list(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::RECEIVED_GET, |ctx, _c, p| async move {
        blocking(move || super::received::get(&ctx.store, &p)).await
    });
    register(module, m::STATS_ERRORS, |ctx, c, p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || super::bounce_reports::errors(&ctx.store, &p, own.as_deref())).await
    });
    register(module, m::STATS_GRAPH, |ctx, c, mut p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || {
            p.time_zone = zone_for(&ctx.store, &c, p.time_zone.take())?;
            super::graph::graph(&ctx.store, &p, own.as_deref())
        })
        .await
    });
    register(module, m::STATS_DAILY, |ctx, c, mut p| async move {
        let own = c.own_api_user().map(str::to_string);
        blocking(move || {
            p.time_zone = zone_for(&ctx.store, &c, p.time_zone.take())?;
            reports::daily(&ctx.store, &p, own.as_deref())
        })
        .await
    });
    register(module, m::QUEUE_SUMMARY, |ctx, _c, p| async move {
        blocking(move || reports::queue_summary(&ctx.store, &p)).await
    });
    register_audited(
        module,
        m::QUEUE_FORCE_SEND,
        |ctx, _c, audit, p| async move {
            if p.domain.is_some() && p.delivery_id.is_some() {
                return Err(ApiError::invalid(
                    "delivery_id",
                    "give domain or delivery_id, not both",
                ));
            }
            let delivery = match &p.delivery_id {
                Some(text) => Some(crate::ids::Id::parse(text).ok_or_else(|| {
                    ApiError::invalid(
                        "delivery_id",
                        format!("{text:?} is not a delivery id (16 hex digits)"),
                    )
                })?),
                None => None,
            };
            let domain = p.domain.map(|d| d.to_ascii_lowercase());
            let target = domain.clone().or(p.delivery_id.clone());
            let forced = ctx.link.force_send(domain, delivery).await?;
            // The shards hold the queue: no batch of ours to join, so the entry follows.
            audit
                .record(
                    &ctx,
                    target.as_deref(),
                    serde_json::json!({ "forced": forced }),
                )
                .await?;
            Ok(hikyaku_rpc::types::queue::Forced {
                forced: forced as u64,
            })
        },
    );
}

async fn swap_in(
    ctx: &ApiContext,
    version: u64,
    config: crate::config::Config,
) -> Result<u32, ApiError> {
    // Validated when the version was committed; compiling cannot fail on valid settings, and
    // if it does the engine keeps the previous snapshot.
    let snapshot = crate::config::Snapshot::compile(Arc::new(config))
        .map_err(|e| ApiError::invalid("settings", e.to_string()))?;
    let shards = ctx.link.apply(snapshot.clone()).await?;
    ctx.auth.reconfigure(&snapshot.config)?;
    *ctx.snapshot.write().unwrap_or_else(|p| p.into_inner()) = snapshot;
    tracing::info!(version, "settings applied on every shard");
    Ok(u32::try_from(shards).unwrap_or(u32::MAX))
}

fn register_settings(module: &mut RpcModule<ApiContext>) {
    use hikyaku_rpc::types::settings::{Applied, SettingsDoc, Which};
    register(module, m::SETTINGS_GET, |ctx, _c, p| async move {
        let applied = ctx.config();
        Ok(match p.which {
            Which::Applied => SettingsDoc {
                version: ctx.settings.applied_version(),
                settings: super::settings::document(&applied),
            },
            Which::Draft => {
                let (version, settings) = ctx.settings.draft(&applied);
                SettingsDoc { version, settings }
            }
        })
    });
    register_audited(module, m::SETTINGS_SET, |ctx, c, audit, mut p| async move {
        if let Some(zone) = zone_for(&ctx.store, &c, None)? {
            fill_hold_zones(&mut p.settings, &zone);
        }
        let entry = |details| audit.ops(&ctx, None, details);
        ctx.settings
            .set(&ctx.store, &ctx.config(), (p.settings, p.merge), &entry)
    });
    register(module, m::SETTINGS_VALIDATE, |ctx, _c, _p| async move {
        Ok(ctx.settings.validate(&ctx.config()))
    });
    register(module, m::SETTINGS_DIFF, |ctx, _c, _p| async move {
        Ok(ctx.settings.diff(&ctx.config()))
    });
    register_audited(module, m::SETTINGS_APPLY, |ctx, _c, audit, _p| async move {
        let entry = |details| audit.ops(&ctx, None, details);
        let (version, config) = ctx
            .settings
            .commit_draft(&ctx.store, &ctx.config(), &entry)?;
        let shards = swap_in(&ctx, version, config).await?;
        Ok(Applied { version, shards })
    });
    register_audited(
        module,
        m::SETTINGS_ROLLBACK,
        |ctx, _c, audit, _p| async move {
            let entry = |details| audit.ops(&ctx, None, details);
            let (version, config) =
                ctx.settings
                    .commit_rollback(&ctx.store, &ctx.config(), &entry)?;
            let shards = swap_in(&ctx, version, config).await?;
            Ok(Applied { version, shards })
        },
    );
}

/// Method names registered, for the test that keeps the table and the server in step.
#[cfg(test)]
pub(crate) fn registered_names(module: &RpcModule<ApiContext>) -> Vec<String> {
    let mut names: Vec<String> = module.method_names().map(str::to_string).collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, StorageConfig};
    use crate::storage::{Committer, Store};

    #[test]
    fn every_method_of_the_table_is_served_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), &StorageConfig::default()).unwrap();
        let (committer, writer) =
            Committer::start(store.clone(), &StorageConfig::default()).unwrap();
        let (link, _rxs) = crate::control::EngineLink::new(1, 4);
        let ctx = ApiContext::new(
            crate::config::Snapshot::compile(Arc::new(Config::default())).unwrap(),
            store,
            committer,
            link,
            "h".into(),
            Default::default(),
        )
        .unwrap();
        let served = registered_names(&module(Arc::new(ctx)));
        let mut table: Vec<String> = m::all().iter().map(|i| i.name.to_string()).collect();
        table.sort();
        assert_eq!(served, table);
        writer.join();
    }
}
