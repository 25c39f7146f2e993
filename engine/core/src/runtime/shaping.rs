//! Shaping glue for the delivery workers: holds or bounces a domain whose site is stopped,
//! paces messages on a connection, and feeds replies to the shaper, recording what fires.
//! Every decision is `crate::shaping`'s; this only sleeps, requeues and writes.

use std::net::IpAddr;
use std::time::Duration;

use super::shard::ShardCtx;
use crate::delivery::Attempt;
use crate::shaping::{Gate, SiteKey};

/// A wait longer than this gives the connection up (the recipients are held and the worker
/// ends) instead of sleeping on it: an idle SMTP session is itself a load on the provider,
/// and some close them after a few seconds.
pub(super) const INLINE_WAIT_MS: u64 = 2_000;

/// Whether the next message may go on a connection from `source` to `site`.
pub(super) enum Pace {
    /// Send it.
    Go,
    /// Stop using the connection; put the recipients back (the next worker holds or bounces
    /// the domain as the site's state says).
    Stop,
}

/// Waits (briefly) until the site's rate and the source IP's warm-up allow the next message.
pub(super) async fn pace(ctx: &ShardCtx, site: &SiteKey, source: Option<IpAddr>) -> Pace {
    loop {
        let settings = ctx.settings();
        let now = ctx.now_ms();
        match ctx
            .shared
            .shaper
            .before_message(&settings.shaping, site, source, now)
        {
            Gate::Go => return Pace::Go,
            Gate::Wait { until_ms, .. } if until_ms.saturating_sub(now) <= INLINE_WAIT_MS => {
                let wait = until_ms.saturating_sub(now).max(1);
                glommio::timer::sleep(Duration::from_millis(wait)).await;
            }
            Gate::Wait { .. } | Gate::Bounce(_) => return Pace::Stop,
        }
    }
}

/// Holds the domain's ready recipients until `until_ms` (no attempt is recorded).
pub(super) fn hold(ctx: &ShardCtx, domain: &str, until_ms: u64, why: &str) {
    let held = ctx.queue.borrow_mut().hold_ready(domain, until_ms);
    if held > 0 {
        tracing::info!(%domain, held, until_ms, why, "shaping: recipients held");
    }
}

/// After `shaping.clear` (seen within a dispatcher turn, at most a second), lets every
/// recipient this shard holds for a stopped site go now instead of at the end of the hold.
pub(super) fn release_if_cleared(ctx: &ShardCtx) {
    let generation = ctx.shared.shaper.clear_generation();
    if ctx.delivery.shaping_clears.replace(generation) == generation {
        return;
    }
    let released = ctx.queue.borrow_mut().release_shaping_holds();
    if released > 0 {
        tracing::info!(released, "shaping cleared: held recipients released");
    }
}

/// The permanent failure given to a site's queued mail while a `bounce` rule is in force.
pub(super) fn bounce_attempt(reason: String) -> Attempt {
    Attempt::PermFail {
        code: 554,
        enhanced: Some("5.7.1".to_string()),
        text: reason,
    }
}

/// Feeds the replies of a transaction (or of a failed connection) to the rules; every firing
/// is logged and written to the spool (which posts the `shaping` webhook event).
pub(super) fn observe<'a>(
    ctx: &ShardCtx,
    site: &SiteKey,
    source: Option<IpAddr>,
    domain: &str,
    attempts: impl IntoIterator<Item = &'a Attempt>,
) {
    let settings = ctx.settings();
    if !settings.shaping.enabled || settings.shaping.rules.is_empty() {
        return;
    }
    let now = ctx.now_ms();
    let mut fired = Vec::new();
    let mut seen = Vec::new();
    for attempt in attempts {
        // A reply, or why no session came about (`connect to …: Connection refused`), so a
        // rule can also stop a site whose hosts are all unreachable.
        let reply = match attempt {
            Attempt::TempFail { .. } | Attempt::PermFail { .. } => attempt.summary(),
            _ => continue,
        };
        // One transaction's recipients often share one reply: count it once.
        if seen.contains(&reply) {
            continue;
        }
        fired.extend(ctx.shared.shaper.observe(
            &settings.shaping,
            site,
            source,
            domain,
            &reply,
            now,
        ));
        seen.push(reply);
    }
    if fired.is_empty() {
        return;
    }
    let mut ops = Vec::new();
    for (i, f) in fired.iter().enumerate() {
        tracing::warn!(site = %f.site, source_ip = ?f.source_ip, rule = %f.rule, action = %f.action,
            until_ms = f.until_ms, reply = %f.reply, "shaping rule fired");
        ctx.shared.metrics.shaping_fired(&f.action);
        match crate::storage::shaping_log::fired_op(f, i as u32) {
            Ok(op) => ops.push(op),
            Err(e) => tracing::error!(error = %e, "encoding a shaping record failed"),
        }
    }
    let committer = ctx.shared.committer.clone();
    glommio::spawn_local(async move {
        if let Err(e) = committer.commit(ops).await {
            tracing::error!(error = %e, "recording a shaping rule firing failed");
        }
    })
    .detach();
}
