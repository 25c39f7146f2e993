//! `dmarc.record`, `dmarc.check` and `dmarc.reports` (see [`crate::dmarc`]).

use hikyaku_rpc::types::dmarc::{
    AlignmentSide, DmarcCheck, DmarcDomain, DmarcPolicy, DmarcRecord, DmarcRecordQuery,
    DmarcReports, DmarcReportsQuery, MalformedReport, ReportInfo, SourceRow, TxtRecord,
};

use super::time::{format_ms, parse_ms};
use super::ApiError;
use crate::clock::now_ms;
use crate::config::Config;
use crate::dmarc::{self, DmarcError, Policy, RecordRequest, Side};
use crate::storage::Store;

const WEEK_MS: u64 = 7 * 86_400_000;

impl From<DmarcError> for ApiError {
    fn from(e: DmarcError) -> Self {
        match e {
            DmarcError::Invalid { field, message } => ApiError::invalid(field, message),
            DmarcError::Dns(_) => ApiError::Unavailable(e.to_string()),
        }
    }
}

fn policy(p: DmarcPolicy) -> Policy {
    match p {
        DmarcPolicy::None => Policy::None,
        DmarcPolicy::Quarantine => Policy::Quarantine,
        DmarcPolicy::Reject => Policy::Reject,
    }
}

fn wire_policy(p: Policy) -> DmarcPolicy {
    match p {
        Policy::None => DmarcPolicy::None,
        Policy::Quarantine => DmarcPolicy::Quarantine,
        Policy::Reject => DmarcPolicy::Reject,
    }
}

/// `dmarc.record`.
pub(crate) fn record(config: &Config, p: &DmarcRecordQuery) -> Result<DmarcRecord, ApiError> {
    let r = dmarc::build_record(
        config,
        &RecordRequest {
            domain: &p.domain,
            policy: policy(p.policy),
            pct: p.pct,
            rua: p.rua.as_deref(),
        },
    )?;
    Ok(DmarcRecord {
        record_name: r.record_name,
        record_value: r.record_value,
        rua: r.rua,
        report_authorization: r
            .report_authorization
            .map(|(record_name, record_value)| TxtRecord {
                record_name,
                record_value,
            }),
    })
}

fn side(s: Side) -> AlignmentSide {
    AlignmentSide {
        domain: s.domain,
        passes: s.passes,
        dmarc_result: s.dmarc_result,
        detail: s.detail,
    }
}

/// `dmarc.check`; `dkim_domain` is the `d=` our signer uses for the domain, if any.
pub(crate) async fn check(
    config: &Config,
    p: &DmarcDomain,
    dkim_domain: Option<String>,
) -> Result<DmarcCheck, ApiError> {
    let auth =
        crate::authdns::authenticator(config).map_err(|e| ApiError::Unavailable(e.to_string()))?;
    let c = dmarc::check(&auth, config, &p.domain, dkim_domain).await?;
    let e = c.effective.as_ref();
    Ok(DmarcCheck {
        record_name: e.map(|e| format!("_dmarc.{}", e.found.name)),
        record: e.map(|e| e.found.text.clone()),
        inherited: e.is_some_and(|e| e.inherited),
        organisational_domain: e.map(|e| e.organisational_domain.clone()),
        policy: e.and_then(|e| e.policy).map(wire_policy),
        pct: e.and_then(|e| dmarc::record::pct_of(&e.found.text)),
        rua: e
            .map(|e| {
                e.found
                    .record
                    .rua
                    .iter()
                    .map(|u| u.uri().to_string())
                    .collect()
            })
            .unwrap_or_default(),
        mail_auth_policy: c.mail_auth_policy.map(wire_policy),
        domain: c.domain,
        queried: c.queried,
        spf: side(c.spf),
        dkim: side(c.dkim),
        passes: c.passes,
        notes: c.notes,
    })
}

/// `dmarc.reports`: reports whose period begins in the range, summed per source IP.
pub(crate) fn reports(store: &Store, p: &DmarcReportsQuery) -> Result<DmarcReports, ApiError> {
    let domain = crate::spf::normalise_domain(&p.domain)
        .map_err(|e| ApiError::invalid("domain", e.to_string()))?;
    let to_ms = match &p.to {
        Some(t) => parse_ms("to", t)?,
        None => now_ms() + 60_000,
    };
    let from_ms = match &p.from {
        Some(t) => parse_ms("from", t)?,
        None => to_ms.saturating_sub(WEEK_MS),
    };
    if from_ms >= to_ms {
        return Err(ApiError::invalid("from", "must be before to"));
    }
    let (found, corrupt) =
        dmarc::store::reports(store, &domain, from_ms / 1000, to_ms.div_ceil(1000))?;
    if corrupt > 0 {
        tracing::warn!(domain = %domain, corrupt, "stored DMARC reports that do not decode were skipped");
    }
    let sources = dmarc::by_source(&found)
        .into_iter()
        .map(|s| SourceRow {
            source_ip: s.source_ip,
            messages: s.messages,
            reporters: s.reporters,
            disposition: s.disposition,
            dkim_aligned: s.dkim_aligned,
            spf_aligned: s.spf_aligned,
            dmarc_pass: s.dmarc_pass,
            dkim: s.dkim,
            spf: s.spf,
        })
        .collect();
    let reports = found
        .iter()
        .map(|r| ReportInfo {
            org_name: r.org_name.clone(),
            report_id: r.report_id.clone(),
            begin: format_ms(r.begin.saturating_mul(1000)),
            end: format_ms(r.end.saturating_mul(1000)),
            policy: r.policy.clone(),
            messages: r.rows.iter().map(|x| x.count).sum(),
            received_id: r.received_id.clone(),
        })
        .collect();
    let malformed = dmarc::store::malformed(store, from_ms, to_ms)?
        .into_iter()
        .map(|m| MalformedReport {
            time: format_ms(m.time_ms),
            received_id: m.received_id,
            error: m.error,
            size: m.size,
        })
        .collect();
    Ok(DmarcReports {
        domain,
        from: format_ms(from_ms),
        to: format_ms(to_ms),
        sources,
        reports,
        malformed,
    })
}

/// Binds `dmarc.record`, `dmarc.check` and `dmarc.reports`.
pub(super) fn register_dmarc(module: &mut jsonrpsee::RpcModule<super::ApiContext>) {
    use super::handlers::{blocking, register};
    use hikyaku_rpc::methods as m;
    register(module, m::DMARC_RECORD, |ctx, _c, p| async move {
        record(&ctx.config(), &p)
    });
    register(module, m::DMARC_CHECK, |ctx, _c, p| async move {
        let config = ctx.config();
        // The d= our signer would put on mail from the domain (its own key or, with
        // dkim.sign_with_parent, a parent's): the same lookup delivery makes.
        let dkim_domain = ctx
            .dkim
            .signer_for(
                &p.domain.trim().to_ascii_lowercase(),
                config.dkim.sign_with_parent,
            )
            .map(|s| s.domain().to_string());
        check(&config, &p, dkim_domain).await
    });
    register(module, m::DMARC_REPORTS, |ctx, _c, p| async move {
        blocking(move || reports(&ctx.store, &p)).await
    });
}
