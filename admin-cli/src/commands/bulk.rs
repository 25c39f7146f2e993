//! `hikyaku send bulk` and `hikyaku send job`.

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{anyhow, bail, Context};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::send::{BulkAccepted, JobQuery, JobState, JobStatus, SendBulk};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::Value;

use super::send::{default_from, deliveries_table, rejected_table};
use super::{input_name, read_text, Api, Ctx};
use crate::args::{BulkArgs, JobArgs};
use crate::failure::usage;
use crate::output::{self, wire_name, Fields};
use crate::recipients;

/// How often a waiting `send bulk` polls `send.job`.
const POLL: Duration = Duration::from_millis(200);

/// `hikyaku send bulk`.
pub async fn bulk(ctx: &Ctx, a: BulkArgs) -> anyhow::Result<()> {
    let template_text = read_text(&a.template)?;
    let mut params = template(&template_text, default_from(None))
        .with_context(|| format!("template {}", input_name(&a.template)))?;
    let format = recipients::detect_format(&a.recipients, a.recipients_format).map_err(usage)?;
    let text = read_text(&a.recipients)?;
    params.recipients = recipients::parse(&text, format)
        .map_err(|e| anyhow!("recipients file {}: {e}", input_name(&a.recipients)))?;
    if params.recipients.is_empty() {
        bail!(
            "recipients file {} lists no recipients",
            input_name(&a.recipients)
        );
    }
    let wait = a.wait || (!a.no_wait && std::io::stdout().is_terminal());

    let api = ctx.api()?;
    let value = api.call_value(methods::SEND_BULK, &params).await?;
    let accepted: BulkAccepted = api.decode(methods::SEND_BULK, value.clone())?;
    if !wait {
        return if ctx.json {
            output::emit_json(&value)
        } else {
            output::emit(&render_accepted(&accepted))
        };
    }
    if !ctx.json && !accepted.rejected.is_empty() {
        // The full list comes only with the acceptance; send.job keeps the first 1 000.
        output::note(&format!(
            "{} recipients rejected (not queued, logged as failed with error status 9):\n{}",
            accepted.rejected.len(),
            rejected_table(&accepted.rejected).render().trim_end()
        ));
    }

    let id = &accepted.job_id;
    let (value, status) = wait_for_job(&api, &accepted).await.with_context(|| {
        format!("waiting for job {id} (it keeps running: see `hikyaku send job {id}`)")
    })?;
    if ctx.json {
        output::emit_json(&value)?;
    } else {
        output::emit(&render_job(&status))?;
    }
    if status.state == JobState::Failed {
        bail!(
            "job {id} failed after queuing {} of {}: {}",
            status.queued,
            status.total,
            status.error.as_deref().unwrap_or("no reason given")
        );
    }
    Ok(())
}

fn render_accepted(a: &BulkAccepted) -> String {
    let mut out = Fields::new()
        .add("job_id", &a.job_id)
        .add("total", a.total)
        .add("rejected", a.rejected.len())
        .render();
    if !a.rejected.is_empty() {
        out.push('\n');
        out.push_str(&rejected_table(&a.rejected).render());
    }
    out
}

/// The send.bulk parameters from a template file (every field but `recipients`); `from`
/// defaults to `default_from`.
pub fn template(text: &str, default_from: String) -> anyhow::Result<SendBulk> {
    let mut v: Value = serde_json::from_str(text).context("not valid JSON")?;
    let Some(obj) = v.as_object_mut() else {
        bail!("expected a JSON object with the send.bulk fields");
    };
    if obj.contains_key("recipients") {
        bail!("`recipients` belongs in the --recipients file, not in the template");
    }
    obj.entry("from").or_insert(Value::String(default_from));
    obj.insert("recipients".into(), Value::Array(Vec::new()));
    serde_json::from_value(v).context("not a send.bulk template")
}

/// Polls send.job until the job is no longer running, with a progress bar on stderr.
async fn wait_for_job(api: &Api, accepted: &BulkAccepted) -> anyhow::Result<(Value, JobStatus)> {
    let bar = ProgressBar::with_draw_target(Some(accepted.total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix} [{bar:40}] {pos}/{len} queued ({percent}%, {elapsed})",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(format!("job {}", accepted.job_id));
    let query = JobQuery {
        job_id: accepted.job_id.clone(),
        offset: 0,
        limit: 0,
    };
    loop {
        let value = match api.call_value(methods::SEND_JOB, &query).await {
            Ok(v) => v,
            Err(e) => {
                end(&bar);
                return Err(e.into());
            }
        };
        let status: JobStatus = api.decode(methods::SEND_JOB, value.clone())?;
        bar.set_length(status.total);
        bar.set_position(status.queued);
        match status.state {
            JobState::Running => tokio::time::sleep(POLL).await,
            JobState::Done | JobState::Failed => {
                end(&bar);
                return Ok((value, status));
            }
        }
    }
}

/// Leaves the bar as it is and ends its line, so that what follows starts on a new one.
fn end(bar: &ProgressBar) {
    bar.abandon();
    if !bar.is_hidden() {
        output::note("");
    }
}

/// `hikyaku send job`.
pub async fn job(ctx: &Ctx, a: JobArgs) -> anyhow::Result<()> {
    let query = JobQuery {
        job_id: a.job_id,
        offset: a.offset,
        limit: a.limit,
    };
    ctx.show(methods::SEND_JOB, &query, render_job).await
}

fn render_job(s: &JobStatus) -> String {
    let mut out = Fields::new()
        .add("job_id", &s.job_id)
        .add("state", wire_name(&s.state))
        .add("total", s.total)
        .add("queued", s.queued)
        .add("rejected", s.rejected_total)
        .opt("error", s.error.as_ref())
        .render();
    if !s.deliveries.is_empty() {
        out.push('\n');
        out.push_str(&deliveries_table(&s.deliveries).render());
    }
    if !s.rejected.is_empty() {
        out.push_str("\nrejected (not queued, logged as failed with error status 9):\n");
        out.push_str(&rejected_table(&s.rejected).render());
        if s.rejected_total > s.rejected.len() as u64 {
            out.push_str(&format!(
                "... and {} more (deliveries search --status failed)\n",
                s.rejected_total - s.rejected.len() as u64
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_parsing() {
        let t = template(
            r#"{"subject": "Hi %%name%%", "text": "x", "tags": ["t"]}"#,
            "d@x.org".into(),
        )
        .unwrap();
        assert_eq!(t.from, "d@x.org");
        assert_eq!(t.subject, "Hi %%name%%");
        assert!(t.recipients.is_empty());
        let t = template(r#"{"from": "me@x.org"}"#, "d@x.org".into()).unwrap();
        assert_eq!(t.from, "me@x.org");
        assert!(template(r#"{"from": "a@x.org", "recipients": []}"#, String::new()).is_err());
        let e = format!(
            "{:#}",
            template(r#"{"subjekt": "x"}"#, String::new()).unwrap_err()
        );
        assert!(e.contains("subjekt"), "{e}");
        assert!(template("[]", String::new()).is_err());
    }
}
