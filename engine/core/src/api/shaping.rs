//! `shaping.status` and `shaping.clear`: the shaper's state (shared with the shards) in wire
//! form.

use std::sync::Arc;

use hikyaku_rpc::methods as m;
use hikyaku_rpc::types::shaping as wire;
use jsonrpsee::RpcModule;

use super::handlers::{register, register_audited};
use super::time::format_ms;
use super::{ApiContext, ApiError};
use crate::clock::now_ms;
use crate::shaping::lane::Active;
use crate::shaping::status::{EffectiveLimits, ShapingStatus};

fn limits(l: &EffectiveLimits) -> wire::EffectiveLimits {
    wire::EffectiveLimits {
        max_connections: l.max_connections as u64,
        connections_per_minute: l.connections_per_minute,
        messages_per_connection: l.messages_per_connection.map(|m| m as u64),
        messages_per_hour: l.messages_per_hour,
        factor: l.factor,
    }
}

fn action(a: &Active) -> wire::ActionInForce {
    let name = format!("{:?}", a.action).to_ascii_lowercase();
    wire::ActionInForce {
        factor: (name == "reduce").then_some(a.factor),
        action: name,
        rule: a.rule.clone(),
        reply: a.reply.clone(),
        domain: a.domain.clone(),
        since: format_ms(a.since_ms),
        until: format_ms(a.until_ms),
        ramp_until: format_ms(a.ramp_until_ms),
        reason: a.reason.clone(),
    }
}

/// The wire form of the shaper's status.
pub(crate) fn to_wire(s: ShapingStatus) -> wire::ShapingStatus {
    wire::ShapingStatus {
        enabled: s.enabled,
        sites: s
            .sites
            .into_iter()
            .map(|site| wire::SiteStatus {
                site: site.site,
                origin: site.origin.to_string(),
                mx_suffixes: site.mx_suffixes,
                limits: limits(&site.limits),
                action: site.action.as_ref().map(action),
                source_ips: site
                    .source_ips
                    .into_iter()
                    .map(|l| wire::LaneStatus {
                        source_ip: l.source_ip.map(|ip| ip.to_string()),
                        open_connections: l.open_connections as u64,
                        sent_last_minute: l.sent_last_minute,
                        sent: l.sent,
                        matched_replies: l.matched_replies,
                        effective: limits(&l.effective),
                        action: l.action.as_ref().map(action),
                        warmup_day: l.warmup_day,
                        warmup_per_hour: l.warmup_per_hour,
                    })
                    .collect(),
            })
            .collect(),
        fired: s
            .fired
            .into_iter()
            .map(|f| wire::Firing {
                time: format_ms(f.time_ms),
                site: f.site,
                source_ip: f.source_ip.map(|ip| ip.to_string()),
                rule: f.rule,
                action: f.action,
                until: format_ms(f.until_ms),
                matches: f.matches,
                reply: f.reply,
                domain: f.domain,
            })
            .collect(),
    }
}

/// Registers `shaping.*`.
pub(super) fn register_shaping(module: &mut RpcModule<ApiContext>) {
    register(
        module,
        m::SHAPING_STATUS,
        |ctx: Arc<ApiContext>, _c, p| async move {
            let snapshot = ctx.snapshot();
            Ok(to_wire(ctx.shaper.status(
                &snapshot.shaping,
                p.site.as_deref(),
                now_ms(),
            )))
        },
    );
    register_audited(module, m::SHAPING_CLEAR, |ctx, _c, audit, p| async move {
        let ip = match &p.source_ip {
            Some(text) => Some(text.parse::<std::net::IpAddr>().map_err(|_| {
                ApiError::invalid("source_ip", format!("{text:?} is not an IP address"))
            })?),
            None => None,
        };
        if ip.is_some() && p.site.is_none() {
            return Err(ApiError::invalid("site", "give the site of the source_ip"));
        }
        let cleared = ctx.shaper.clear(p.site.as_deref(), ip);
        let target = p.site.clone().unwrap_or_else(|| "*".to_string());
        audit
            .record(
                &ctx,
                Some(&target),
                serde_json::json!({ "source_ip": p.source_ip, "cleared": cleared }),
            )
            .await?;
        Ok(wire::ShapingCleared {
            cleared: cleared as u64,
        })
    });
}
