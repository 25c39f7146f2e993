//! `dkim.*`: creating keys, listing them, checking their DNS records, switching the signing key
//! and removing keys. Every change is written (synced) to the spool first, then applied to the
//! in-memory [`crate::dkim::Registry`] that delivery signs with.

use std::sync::Arc;

use hickory_resolver::net::{DnsError as NetDnsError, NetError};
use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::dkim::{
    DkimActivate, DkimAlgorithm, DkimCheck, DkimCheckQuery, DkimCreate, DkimKeyCheck, DkimKeyInfo,
    DkimKeyList, DkimKeyState, DkimListQuery, DkimRecordStatus, DkimRemove,
};
use hikyaku_rpc::types::Done;
use jsonrpsee::RpcModule;

use super::handlers::{blocking, register, register_audited};
use super::oplog::Audit;
use super::time::format_ms;
use super::{ApiContext, ApiError};
use crate::clock::now_ms;
use crate::dkim::store::{self, KeyStoreError};
use crate::dkim::{self as dk, Algorithm, DkimKey, KeyState};

impl From<KeyStoreError> for ApiError {
    fn from(e: KeyStoreError) -> Self {
        match e {
            KeyStoreError::Storage(s) => s.into(),
            KeyStoreError::Damaged { .. } => ApiError::Unavailable(e.to_string()),
        }
    }
}

fn wire_state(s: KeyState) -> DkimKeyState {
    match s {
        KeyState::Prepared => DkimKeyState::Prepared,
        KeyState::Active => DkimKeyState::Active,
        KeyState::Retired => DkimKeyState::Retired,
    }
}

fn info(k: &DkimKey) -> DkimKeyInfo {
    DkimKeyInfo {
        domain: k.domain.clone(),
        selector: k.selector.clone(),
        algorithm: match k.algorithm {
            Algorithm::Rsa2048 => DkimAlgorithm::Rsa2048,
            Algorithm::Ed25519 => DkimAlgorithm::Ed25519,
        },
        state: wire_state(k.state),
        record_name: k.record_name(),
        record_value: k.record_value(),
        created: format_ms(k.created_ms),
        activated: (k.activated_ms > 0).then(|| format_ms(k.activated_ms)),
    }
}

/// The lower-cased name after checking it is a DNS name; the error names `field`.
fn dns_name(field: &str, value: &str) -> Result<String, ApiError> {
    let v = value.trim().trim_end_matches('.').to_ascii_lowercase();
    if dk::valid_dns_name(&v) {
        Ok(v)
    } else {
        Err(ApiError::invalid(
            field,
            format!(
                "{value:?} is not a DNS name (letters, digits, '-', '_', dot-separated labels)"
            ),
        ))
    }
}

fn selector_name(value: &str) -> Result<String, ApiError> {
    let v = dns_name("selector", value)?;
    if v.contains('.') {
        return Err(ApiError::invalid(
            "selector",
            "a selector is one DNS label (no dots)",
        ));
    }
    Ok(v)
}

fn create(ctx: &ApiContext, audit: &Audit, p: &DkimCreate) -> Result<DkimKeyInfo, ApiError> {
    let domain = dns_name("domain", &p.domain)?;
    let selector = selector_name(&p.selector)?;
    if store::get(&ctx.store, &domain, &selector)?.is_some() {
        return Err(ApiError::Conflict(format!(
            "a key {selector}._domainkey.{domain} exists already; choose another selector (rotation uses a new one)"
        )));
    }
    let algorithm = match p.algorithm {
        DkimAlgorithm::Rsa2048 => Algorithm::Rsa2048,
        DkimAlgorithm::Ed25519 => Algorithm::Ed25519,
    };
    let generated = dk::generate(algorithm).map_err(|e| ApiError::Unavailable(e.to_string()))?;
    use base64::Engine;
    let key = DkimKey {
        domain,
        selector,
        algorithm,
        private_pkcs8: base64::engine::general_purpose::STANDARD.encode(&generated.private_pkcs8),
        public_key: generated.public_key,
        state: KeyState::Prepared,
        created_ms: now_ms(),
        activated_ms: 0,
    };
    let mut ops = vec![store::put_op(&key)?];
    let details = serde_json::json!({ "algorithm": key.algorithm.name() });
    ops.extend(audit.ops(ctx, Some(&key.record_name()), details)?);
    ctx.store.write_ops(&ops, true)?;
    Ok(info(&key))
}

fn list(ctx: &ApiContext, p: &DkimListQuery) -> Result<DkimKeyList, ApiError> {
    let domain = p
        .domain
        .as_deref()
        .map(|d| dns_name("domain", d))
        .transpose()?;
    let keys = store::list(&ctx.store, domain.as_deref())?;
    Ok(DkimKeyList {
        keys: keys.iter().map(info).collect(),
    })
}

/// What the configured resolver returns for `key`'s record.
async fn check_key(auth: &mail_auth::MessageAuthenticator, key: &DkimKey) -> DkimKeyCheck {
    let name = format!("{}.", key.record_name());
    let mut out = DkimKeyCheck {
        selector: key.selector.clone(),
        state: wire_state(key.state),
        record_name: key.record_name(),
        status: DkimRecordStatus::Missing,
        published: None,
        error: None,
    };
    match auth.resolver().txt_lookup(name.as_str()).await {
        Ok(lookup) => {
            let texts: Vec<String> = lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    hickory_resolver::proto::rr::RData::TXT(txt) => Some(
                        txt.txt_data
                            .iter()
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect();
            if let Some(matching) = texts.iter().find(|t| dk::record_matches(t, key)) {
                out.status = DkimRecordStatus::Matches;
                out.published = Some(matching.clone());
            } else if let Some(first) = texts.into_iter().next() {
                out.status = DkimRecordStatus::Mismatch;
                out.published = Some(first);
            }
        }
        Err(NetError::Dns(NetDnsError::NoRecordsFound(_))) => {}
        Err(e) => {
            out.status = DkimRecordStatus::LookupFailed;
            out.error = Some(e.to_string());
        }
    }
    out
}

async fn check(ctx: Arc<ApiContext>, p: DkimCheckQuery) -> Result<DkimCheck, ApiError> {
    let domain = dns_name("domain", &p.domain)?;
    let selector = p.selector.as_deref().map(selector_name).transpose()?;
    let store = ctx.store.clone();
    let d = domain.clone();
    let mut keys = blocking(move || Ok(store::list(&store, Some(&d))?)).await?;
    if let Some(s) = &selector {
        keys.retain(|k| &k.selector == s);
    }
    if keys.is_empty() {
        return Err(ApiError::NotFound(format!(
            "no DKIM key for {domain}{}; create one with dkim.create",
            selector
                .map(|s| format!(" with selector {s}"))
                .unwrap_or_default()
        )));
    }
    let auth = crate::authdns::authenticator(&ctx.config())
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let mut checks = Vec::with_capacity(keys.len());
    for key in &keys {
        checks.push(check_key(&auth, key).await);
    }
    let active_ok = checks
        .iter()
        .any(|c| c.state == DkimKeyState::Active && c.status == DkimRecordStatus::Matches);
    Ok(DkimCheck {
        domain,
        active_ok,
        keys: checks,
    })
}

async fn activate(
    ctx: Arc<ApiContext>,
    audit: Audit,
    p: DkimActivate,
) -> Result<DkimKeyInfo, ApiError> {
    let domain = dns_name("domain", &p.domain)?;
    let selector = selector_name(&p.selector)?;
    let store = ctx.store.clone();
    let d = domain.clone();
    let keys = blocking(move || Ok(store::list(&store, Some(&d))?)).await?;
    let Some(key) = keys.iter().find(|k| k.selector == selector).cloned() else {
        return Err(ApiError::NotFound(format!(
            "no DKIM key {selector}._domainkey.{domain}"
        )));
    };
    if !p.force {
        let auth = crate::authdns::authenticator(&ctx.config())
            .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        let verdict = check_key(&auth, &key).await;
        if verdict.status != DkimRecordStatus::Matches {
            let what = match verdict.status {
                DkimRecordStatus::Missing => "no TXT record is published".to_string(),
                DkimRecordStatus::Mismatch => format!(
                    "the published record carries another key: {}",
                    verdict.published.unwrap_or_default()
                ),
                _ => format!("the lookup failed: {}", verdict.error.unwrap_or_default()),
            };
            return Err(ApiError::invalid(
                "selector",
                format!(
                    "not activated: at {} {what}; publish {:?} there (or pass force: true)",
                    key.record_name(),
                    key.record_value()
                ),
            ));
        }
    }
    // Load the key before writing: a key that does not load must not become the active one.
    crate::dkim::MessageSigner::new(&key).map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let now = now_ms();
    let mut ops = store::activate_ops(&keys, &selector, now)?;
    let details = serde_json::json!({ "force": p.force });
    ops.extend(audit.ops(&ctx, Some(&key.record_name()), details)?);
    let c = ctx.clone();
    blocking(move || Ok(c.store.write_ops(&ops, true)?)).await?;
    let mut active = key;
    active.state = KeyState::Active;
    active.activated_ms = now;
    ctx.dkim
        .set_active(&active)
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(info(&active))
}

fn remove(ctx: &ApiContext, audit: &Audit, p: &DkimRemove) -> Result<Done, ApiError> {
    let domain = dns_name("domain", &p.domain)?;
    let selector = selector_name(&p.selector)?;
    let Some(key) = store::get(&ctx.store, &domain, &selector)? else {
        return Err(ApiError::NotFound(format!(
            "no DKIM key {selector}._domainkey.{domain}"
        )));
    };
    let mut ops = vec![store::delete_op(&domain, &selector)];
    ops.extend(audit.ops(ctx, Some(&key.record_name()), serde_json::Value::Null)?);
    ctx.store.write_ops(&ops, true)?;
    ctx.dkim.remove(&domain, &selector);
    Ok(Done { ok: true })
}

/// Binds the `dkim.*` methods.
pub(super) fn register_dkim(module: &mut RpcModule<ApiContext>) {
    register_audited(module, m::DKIM_CREATE, |ctx, _c, audit, p| async move {
        blocking(move || create(&ctx, &audit, &p)).await
    });
    register(module, m::DKIM_LIST, |ctx, _c, p| async move {
        blocking(move || list(&ctx, &p)).await
    });
    register(module, m::DKIM_CHECK, |ctx, _c, p| check(ctx, p));
    register_audited(module, m::DKIM_ACTIVATE, |ctx, _c, audit, p| {
        activate(ctx, audit, p)
    });
    register_audited(module, m::DKIM_REMOVE, |ctx, _c, audit, p| async move {
        blocking(move || remove(&ctx, &audit, &p)).await
    });
}
