//! `hikyaku stats`, `queue`, `system` and `discover`.

use hikyaku_rpc::methods;
use hikyaku_rpc::types::queue::{ForceSend, QueueSummary, SummaryQuery};
use hikyaku_rpc::types::stats::{DailyQuery, DailyStats};
use hikyaku_rpc::types::system::SystemStatus;
use hikyaku_rpc::types::NoParams;

use super::Ctx;
use crate::args_admin::{QueueCmd, StatsCmd, SystemCmd};
use crate::i18n;
use crate::output::{self, or_dash, yes_no, Fields, Table};

/// Runs a `stats` subcommand.
pub async fn stats(ctx: &Ctx, cmd: StatsCmd) -> anyhow::Result<()> {
    let a = match cmd {
        StatsCmd::Daily(a) => a,
        StatsCmd::Errors(a) => {
            let q = hikyaku_rpc::types::bounces::ErrorStatsQuery {
                since: a.since,
                until: a.until,
                domain: a.domain,
                api_user: a.api_user,
            };
            return ctx.show(methods::STATS_ERRORS, &q, render_errors).await;
        }
    };
    let q = DailyQuery {
        from: a.from,
        to: a.to,
        time_zone: a.time_zone,
        group_by: a.group_by.into(),
        api_user: a.api_user,
        domain: a.domain,
    };
    ctx.show(methods::STATS_DAILY, &q, render_daily).await
}

fn render_daily(s: &DailyStats) -> String {
    let grouped = s.rows.iter().any(|r| r.key.is_some());
    let mut headers = vec!["DAY"];
    if grouped {
        headers.push("KEY");
    }
    headers.extend(["QUEUED", "SUCCEEDED", "DEFERRED", "FAILED"]);
    let first_number = headers.len() - 4;
    let mut t = Table::new(&headers).right(&[
        first_number,
        first_number + 1,
        first_number + 2,
        first_number + 3,
    ]);
    for r in &s.rows {
        let mut cells = vec![r.day.clone()];
        if grouped {
            cells.push(or_dash(r.key.as_ref()));
        }
        cells.extend([r.queued, r.succeeded, r.deferred, r.failed].map(|n| n.to_string()));
        t.row(cells);
    }
    format!(
        "{}\n\n{}",
        i18n::message("time zone: {}", &[&s.time_zone]),
        t.render()
    )
}

fn render_errors(s: &hikyaku_rpc::types::bounces::ErrorStats) -> String {
    let mut t = Table::new(&["DOMAIN", "STATUS", "REASON", "COUNT"]).right(&[1, 3]);
    for c in &s.by_status {
        t.row(vec![
            "(all)".into(),
            c.error_status.to_string(),
            i18n::error_status_name(&c.error_status.to_string(), &c.reason),
            c.count.to_string(),
        ]);
    }
    for d in &s.by_domain {
        for c in &d.by_status {
            t.row(vec![
                d.domain.clone(),
                c.error_status.to_string(),
                i18n::error_status_name(&c.error_status.to_string(), &c.reason),
                c.count.to_string(),
            ]);
        }
    }
    format!(
        "{}\n\n{}",
        i18n::message("failures: {}", &[&s.total]),
        t.render()
    )
}

/// Runs a `queue` subcommand.
pub async fn queue(ctx: &Ctx, cmd: QueueCmd) -> anyhow::Result<()> {
    match cmd {
        QueueCmd::Summary { domain, limit } => {
            ctx.show(
                methods::QUEUE_SUMMARY,
                &SummaryQuery { domain, limit },
                render_summary,
            )
            .await
        }
        QueueCmd::ForceSend {
            domain,
            delivery_id,
        } => {
            ctx.show(
                methods::QUEUE_FORCE_SEND,
                &ForceSend {
                    domain,
                    delivery_id,
                },
                |r| Fields::new().add("forced", r.forced).render(),
            )
            .await
        }
    }
}

fn render_summary(s: &QueueSummary) -> String {
    let mut out = Fields::new()
        .add("total", s.total)
        .add("domains", s.domains_total)
        .render();
    out.push('\n');
    let mut t = Table::new(&["DOMAIN", "QUEUED", "DEFERRED", "OLDEST"]).right(&[1, 2]);
    for d in &s.domains {
        t.row(vec![
            d.domain.clone(),
            d.queued.to_string(),
            d.deferred.to_string(),
            or_dash(d.oldest.as_ref()),
        ]);
    }
    out.push_str(&t.render());
    if (t.len() as u64) < s.domains_total {
        out.push_str(&format!(
            "({} of {} domains shown)\n",
            t.len(),
            s.domains_total
        ));
    }
    out
}

/// Runs a `system` subcommand.
pub async fn system(ctx: &Ctx, cmd: SystemCmd) -> anyhow::Result<()> {
    let SystemCmd::Status = cmd;
    ctx.show(methods::SYSTEM_STATUS, &NoParams {}, render_status)
        .await
}

fn render_status(s: &SystemStatus) -> String {
    Fields::new()
        .add("version", &s.version)
        .add("hostname", &s.hostname)
        .add("sandbox", yes_no(s.sandbox))
        .add("shards", s.shards)
        .add("uptime", duration(s.uptime_secs))
        .add("settings_version", s.settings_version)
        .render()
}

/// `3d 4h 5m 6s`, leading zero units left out.
pub fn duration(secs: u64) -> String {
    let (d, h, m, s) = (secs / 86_400, secs / 3_600 % 24, secs / 60 % 60, secs % 60);
    let mut out = String::new();
    for (n, unit) in [(d, "d"), (h, "h"), (m, "m")] {
        if n > 0 || !out.is_empty() {
            out.push_str(&format!("{n}{unit} "));
        }
    }
    out.push_str(&format!("{s}s"));
    out
}

/// `hikyaku discover`: the OpenRPC document, as JSON in both output modes.
pub async fn discover(ctx: &Ctx) -> anyhow::Result<()> {
    let doc = ctx
        .api()?
        .call_value(methods::RPC_DISCOVER, &NoParams {})
        .await?;
    output::emit_json(&doc)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hikyaku_rpc::types::stats::DailyRow;

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(61), "1m 1s");
        assert_eq!(duration(86_400 + 5), "1d 0h 0m 5s");
    }

    #[test]
    fn daily_table() {
        let s = DailyStats {
            time_zone: "UTC".into(),
            rows: vec![DailyRow {
                day: "2026-01-01".into(),
                key: None,
                queued: 10,
                succeeded: 9,
                deferred: 100,
                failed: 1,
            }],
        };
        assert_eq!(
            render_daily(&s),
            "time zone: UTC\n\nDAY         QUEUED  SUCCEEDED  DEFERRED  FAILED\n2026-01-01      10          9       100       1\n"
        );
    }
}
