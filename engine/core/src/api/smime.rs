//! `smime.*`: registering, listing and removing S/MIME signers. A change is committed durably
//! first, then applied to the in-memory [`crate::smime::Table`] that intake (shards and API)
//! signs with, so a signer the caller was told about survives a restart and is used at once.

use std::sync::Arc;

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::smime::{SmimeAdd, SmimeEntry, SmimeList, SmimeTarget};
use hikyaku_rpc::types::Done;
use jsonrpsee::RpcModule;

use super::handlers::{blocking, register, register_audited};
use super::oplog::Audit;
use super::time::format_ms;
use super::{ApiContext, ApiError};
use crate::clock::now_ms;
use crate::smime::{CertSummary, Credential, Entry, Slot, SmimeError};

/// The lower-cased address or domain, checked; the error names the field.
fn target(value: &str) -> Result<String, ApiError> {
    let v = value.trim().trim_end_matches('.').to_ascii_lowercase();
    let bad = |why: &str| {
        ApiError::invalid(
            "address_or_domain",
            format!("{value:?} is not an address or a domain: {why}"),
        )
    };
    let domain = match v.rsplit_once('@') {
        Some((local, domain)) => {
            if local.is_empty()
                || local.len() > 64
                || local
                    .bytes()
                    .any(|b| b <= b' ' || b >= 0x7f || b"<>()[]\\,;:\"@".contains(&b))
            {
                return Err(bad(
                    "the local part is empty or holds characters mail addresses cannot",
                ));
            }
            domain
        }
        None => v.as_str(),
    };
    if !crate::dkim::valid_dns_name(domain) {
        return Err(bad("the domain must be dot-separated DNS labels"));
    }
    Ok(v)
}

impl From<SmimeError> for ApiError {
    fn from(e: SmimeError) -> Self {
        match e {
            SmimeError::Certificate(m) | SmimeError::Validity(m) => {
                ApiError::invalid("certificate_pem", m)
            }
            SmimeError::Key(m) => ApiError::invalid("key_pem", m),
            SmimeError::Message(_) => ApiError::invalid("message", e.to_string()),
            SmimeError::Unusable(_) | SmimeError::Signing(_) => {
                ApiError::Unavailable(e.to_string())
            }
        }
    }
}

fn view(target: &str, added_ms: u64, slot: Result<&CertSummary, &str>) -> SmimeEntry {
    match slot {
        Ok(s) => SmimeEntry {
            address_or_domain: target.to_string(),
            subject: s.subject.clone(),
            issuer: s.issuer.clone(),
            serial: s.serial.clone(),
            not_before: format_ms(s.not_before_secs.saturating_mul(1000)),
            not_after: format_ms(s.not_after_secs.saturating_mul(1000)),
            fingerprint_sha256: s.fingerprint_sha256.clone(),
            key_algorithm: s.key_algorithm.clone(),
            chain_certificates: u32::try_from(s.chain_certificates).unwrap_or(u32::MAX),
            key_held: true,
            problem: None,
            added: format_ms(added_ms),
        },
        Err(problem) => SmimeEntry {
            address_or_domain: target.to_string(),
            subject: String::new(),
            issuer: String::new(),
            serial: String::new(),
            not_before: String::new(),
            not_after: String::new(),
            fingerprint_sha256: String::new(),
            key_algorithm: String::new(),
            chain_certificates: 0,
            key_held: false,
            problem: Some(problem.to_string()),
            added: format_ms(added_ms),
        },
    }
}

async fn add(ctx: Arc<ApiContext>, audit: Audit, p: SmimeAdd) -> Result<SmimeEntry, ApiError> {
    let target = target(&p.address_or_domain)?;
    let now = now_ms();
    // Parsing checks the RSA key (ring verifies it: milliseconds of CPU), so off the async
    // thread.
    let (entry, credential) = blocking(move || {
        let credential = Credential::parse(&p.certificate_pem, &p.key_pem)?;
        credential.check_valid_at(now / 1000)?;
        let entry = Entry {
            target,
            certificate_pem: p.certificate_pem,
            key_pem: p.key_pem,
            added_ms: now,
        };
        Ok((entry, credential))
    })
    .await?;
    let shown = view(&entry.target, now, Ok(credential.summary()));
    let mut ops = vec![entry.put_op()?];
    let details = serde_json::json!({
        "subject": shown.subject,
        "fingerprint_sha256": shown.fingerprint_sha256,
    });
    ops.extend(audit.ops(&ctx, Some(&entry.target), details)?);
    ctx.committer.commit(ops).await?;
    ctx.smime.insert(&entry.target, Arc::new(credential));
    tracing::info!(target = %entry.target, subject = %shown.subject,
        fingerprint = %shown.fingerprint_sha256, "S/MIME signer registered");
    Ok(shown)
}

fn list(ctx: &ApiContext) -> Result<SmimeList, ApiError> {
    let mut entries = Vec::new();
    for e in Entry::load_all(&ctx.store)? {
        let shown = match ctx.smime.slot(&e.target) {
            Some(Slot::Ready(c)) => view(&e.target, e.added_ms, Ok(c.summary())),
            Some(Slot::Broken(why)) => view(&e.target, e.added_ms, Err(&why)),
            // Stored but not in the table (added by another process, e.g. an offline tool):
            // read it the way a restart would.
            None => match Credential::parse(&e.certificate_pem, &e.key_pem) {
                Ok(c) => view(&e.target, e.added_ms, Ok(c.summary())),
                Err(why) => view(&e.target, e.added_ms, Err(&why.to_string())),
            },
        };
        entries.push(shown);
    }
    Ok(SmimeList { entries })
}

async fn remove(ctx: Arc<ApiContext>, audit: Audit, p: SmimeTarget) -> Result<Done, ApiError> {
    let target = target(&p.address_or_domain)?;
    let (store, t) = (ctx.store.clone(), target.clone());
    if blocking(move || Ok(Entry::get(&store, &t)?))
        .await?
        .is_none()
    {
        return Err(ApiError::NotFound(format!(
            "no S/MIME signer for {target:?} (smime.list shows them)"
        )));
    }
    let mut ops = vec![Entry::delete_op(&target)];
    ops.extend(audit.ops(&ctx, Some(&target), serde_json::Value::Null)?);
    ctx.committer.commit(ops).await?;
    ctx.smime.remove(&target);
    tracing::info!(target = %target, "S/MIME signer removed");
    Ok(Done { ok: true })
}

pub(super) fn register_smime(module: &mut RpcModule<ApiContext>) {
    register_audited(module, m::SMIME_ADD, |ctx, _c, audit, p| add(ctx, audit, p));
    register(module, m::SMIME_LIST, |ctx, _c, _p| async move {
        blocking(move || list(&ctx)).await
    });
    register_audited(module, m::SMIME_REMOVE, |ctx, _c, audit, p| {
        remove(ctx, audit, p)
    });
}

#[cfg(test)]
mod tests {
    use super::target;

    #[test]
    fn targets_are_lower_cased_addresses_or_domains() {
        assert_eq!(target(" News@Example.COM ").unwrap(), "news@example.com");
        assert_eq!(target("Example.com.").unwrap(), "example.com");
        for bad in [
            "",
            "@example.com",
            "a b@example.com",
            "x@",
            "exa mple.com",
            "a@b@",
        ] {
            let e = target(bad).unwrap_err().to_string();
            assert!(e.starts_with("address_or_domain:"), "{bad:?}: {e}");
        }
    }
}
