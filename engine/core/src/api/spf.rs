//! `spf.record` and `spf.check` (see [`crate::spf`]).

use hikyaku_rpc::types::spf::{SpfCheck, SpfDomain, SpfRecord, SpfRecordStatus, SpfVerdict};

use super::ApiError;
use crate::config::Config;
use crate::spf::{self, Published, SpfError};

impl From<SpfError> for ApiError {
    fn from(e: SpfError) -> Self {
        match e {
            SpfError::BadDomain(_) => ApiError::invalid("domain", e.to_string()),
            // What to configure is the caller's to fix, so it is a parameter-class error
            // naming the settings rather than a server failure.
            SpfError::NothingToAuthorise => ApiError::Conflict(e.to_string()),
        }
    }
}

/// `spf.record`.
pub(crate) fn record(config: &Config, p: &SpfDomain) -> Result<SpfRecord, ApiError> {
    let r = spf::build_record(config, &p.domain)?;
    Ok(SpfRecord {
        record_name: r.record_name,
        record_value: r.record_value,
        notes: r.notes,
    })
}

/// `spf.check`.
pub(crate) async fn check(config: &Config, p: &SpfDomain) -> Result<SpfCheck, ApiError> {
    let auth =
        crate::authdns::authenticator(config).map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let c = spf::check(&auth, config, &p.domain).await?;
    let (status, records, error) = match c.published {
        Published::Valid(r) => (SpfRecordStatus::Valid, vec![r], None),
        Published::Missing => (SpfRecordStatus::Missing, vec![], None),
        Published::Invalid(r) => (SpfRecordStatus::Invalid, vec![r], None),
        Published::Multiple(v) => (SpfRecordStatus::Multiple, v, None),
        Published::DnsError(e) => (SpfRecordStatus::DnsError, vec![], Some(e)),
    };
    let verdicts: Vec<SpfVerdict> = c
        .verdicts
        .iter()
        .map(|v| SpfVerdict {
            ip: v.source.ip.to_string(),
            result: v.result.clone(),
            authorised: v.authorised,
        })
        .collect();
    let unauthorised: Vec<String> = verdicts
        .iter()
        .filter(|v| !v.authorised)
        .map(|v| v.ip.clone())
        .collect();
    let ok = status == SpfRecordStatus::Valid && unauthorised.is_empty() && !verdicts.is_empty();
    Ok(SpfCheck {
        domain: c.domain,
        status,
        records,
        error,
        verdicts,
        unauthorised,
        ok,
        notes: c.notes,
    })
}

/// Binds `spf.record` and `spf.check`.
pub(super) fn register_spf(module: &mut jsonrpsee::RpcModule<super::ApiContext>) {
    use hikyaku_rpc::methods as m;
    super::handlers::register(module, m::SPF_RECORD, |ctx, _c, p| async move {
        record(&ctx.config(), &p)
    });
    super::handlers::register(module, m::SPF_CHECK, |ctx, _c, p| async move {
        check(&ctx.config(), &p).await
    });
}
