//! `hikyaku shaping`: traffic shaping per site and source IP (shaping.status, shaping.clear).

use clap::Subcommand;
use hikyaku_rpc::methods;
use hikyaku_rpc::types::shaping::{
    ActionInForce, ShapingClear, ShapingCleared, ShapingQuery, ShapingStatus,
};

use super::Ctx;
use crate::output::{or_dash, Table};

/// `hikyaku shaping …`.
#[derive(Debug, Subcommand)]
pub enum ShapingCmd {
    /// Limits in force per site and source IP, actions and why, warm-up, latest firings
    Status {
        /// Only this site (gmail, mx:mx1.example.net)
        #[arg(long)]
        site: Option<String>,
    },
    /// End the actions in force (a site, one source IP of it, or all)
    Clear {
        /// The site (default: every site)
        #[arg(long)]
        site: Option<String>,
        /// Only this source IP of the site
        #[arg(long, value_name = "IP", requires = "site")]
        source_ip: Option<String>,
    },
}

/// Runs `hikyaku shaping …`.
pub async fn run(ctx: &Ctx, cmd: ShapingCmd) -> anyhow::Result<()> {
    match cmd {
        ShapingCmd::Status { site } => {
            ctx.show(methods::SHAPING_STATUS, &ShapingQuery { site }, render)
                .await
        }
        ShapingCmd::Clear { site, source_ip } => {
            ctx.show(
                methods::SHAPING_CLEAR,
                &ShapingClear { site, source_ip },
                |r: &ShapingCleared| format!("{} action(s) cleared\n", r.cleared),
            )
            .await
        }
    }
}

fn action(a: Option<&ActionInForce>) -> String {
    a.map_or_else(
        || "-".to_string(),
        |a| format!("{} until {} ({})", a.action, a.until, a.rule),
    )
}

fn render(s: &ShapingStatus) -> String {
    let mut t = Table::new(&[
        "SITE",
        "SOURCE IP",
        "CONN",
        "MAX CONN",
        "MSG/H",
        "FACTOR",
        "SENT/MIN",
        "ACTION",
        "WARM-UP",
    ]);
    for site in &s.sites {
        if site.source_ips.is_empty() {
            t.row(vec![
                site.site.clone(),
                "-".into(),
                "0".into(),
                site.limits.max_connections.to_string(),
                or_dash(site.limits.messages_per_hour),
                format!("{:.2}", site.limits.factor),
                "0".into(),
                action(site.action.as_ref()),
                "-".into(),
            ]);
        }
        for lane in &site.source_ips {
            let warm = match (lane.warmup_day, lane.warmup_per_hour) {
                (Some(d), Some(h)) => format!("day {d}: {h}/h"),
                (Some(d), None) => format!("day {d}: done"),
                _ => "-".into(),
            };
            t.row(vec![
                site.site.clone(),
                or_dash(lane.source_ip.as_ref()),
                lane.open_connections.to_string(),
                lane.effective.max_connections.to_string(),
                or_dash(lane.effective.messages_per_hour),
                format!("{:.2}", lane.effective.factor),
                lane.sent_last_minute.to_string(),
                action(lane.action.as_ref().or(site.action.as_ref())),
                warm,
            ]);
        }
    }
    let mut out = if s.enabled {
        String::new()
    } else {
        "shaping is off (shaping.enabled = false): per-domain limits only\n".to_string()
    };
    out.push_str(&t.render());
    if !s.fired.is_empty() {
        let mut f = Table::new(&[
            "TIME",
            "SITE",
            "SOURCE IP",
            "RULE",
            "ACTION",
            "UNTIL",
            "REPLY",
        ]);
        for e in &s.fired {
            f.row(vec![
                e.time.clone(),
                e.site.clone(),
                or_dash(e.source_ip.as_ref()),
                e.rule.clone(),
                e.action.clone(),
                e.until.clone(),
                e.reply.chars().take(80).collect(),
            ]);
        }
        out.push('\n');
        out.push_str(&f.render());
    }
    out
}
