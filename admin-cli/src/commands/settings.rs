//! `hikyaku settings get|set|validate|diff|apply|rollback`.

use anyhow::{bail, Context};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::settings::{
    Applied, GetSettings, SetSettings, SettingsDiff, SettingsDoc, Validation, Which,
};
use hikyaku_rpc::types::NoParams;

use super::{input_name, read_text, Ctx};
use crate::args_admin::SettingsCmd;
use crate::output::{self, Fields, Table};

/// Runs a `settings` subcommand.
pub async fn run(ctx: &Ctx, cmd: SettingsCmd) -> anyhow::Result<()> {
    match cmd {
        SettingsCmd::Get { draft } => {
            let which = if draft { Which::Draft } else { Which::Applied };
            ctx.show(methods::SETTINGS_GET, &GetSettings { which }, render_doc)
                .await
        }
        SettingsCmd::Set { file, merge } => {
            let text = read_text(&file)?;
            let settings: serde_json::Value = serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid JSON", input_name(&file)))?;
            let v =
                validation(ctx, methods::SETTINGS_SET, &SetSettings { settings, merge }).await?;
            if !v.valid {
                output::note(&format!(
                    "hikyaku: warning: draft version {} saved, but it is not valid ({} problem(s)); it cannot be applied",
                    v.version,
                    v.problems.len()
                ));
            }
            Ok(())
        }
        SettingsCmd::Validate => {
            let v = validation(ctx, methods::SETTINGS_VALIDATE, &NoParams {}).await?;
            if !v.valid {
                bail!(
                    "draft version {} is not valid ({} problem(s))",
                    v.version,
                    v.problems.len()
                );
            }
            Ok(())
        }
        SettingsCmd::Diff => {
            ctx.show(methods::SETTINGS_DIFF, &NoParams {}, render_diff)
                .await
        }
        SettingsCmd::Apply => {
            ctx.show(methods::SETTINGS_APPLY, &NoParams {}, render_applied)
                .await
        }
        SettingsCmd::Rollback => {
            ctx.show(methods::SETTINGS_ROLLBACK, &NoParams {}, render_applied)
                .await
        }
    }
}

/// Calls a method answering a [`Validation`], prints it, and returns it.
async fn validation<P: serde::Serialize>(
    ctx: &Ctx,
    method: hikyaku_rpc::Method<P, Validation>,
    params: &P,
) -> anyhow::Result<Validation> {
    let api = ctx.api()?;
    let value = api.call_value(method, params).await?;
    let v: Validation = api.decode(method, value.clone())?;
    if ctx.json {
        output::emit_json(&value)?;
    } else {
        output::emit(&render_validation(&v))?;
    }
    Ok(v)
}

fn render_doc(d: &SettingsDoc) -> String {
    let body = serde_json::to_string_pretty(&d.settings).unwrap_or_else(|_| d.settings.to_string());
    format!("version: {}\n{body}\n", d.version)
}

fn render_validation(v: &Validation) -> String {
    let mut out = Fields::new()
        .add("version", v.version)
        .add("valid", output::yes_no(v.valid))
        .render();
    if !v.problems.is_empty() {
        let mut t = Table::new(&["KEY", "PROBLEM"]);
        for p in &v.problems {
            t.row(vec![p.key.clone(), p.message.clone()]);
        }
        out.push('\n');
        out.push_str(&t.render());
    }
    out
}

fn render_diff(d: &SettingsDiff) -> String {
    let mut out = Fields::new()
        .add("applied_version", d.applied_version)
        .add("draft_version", d.draft_version)
        .render();
    if d.changes.is_empty() {
        out.push_str("no changes\n");
        return out;
    }
    let compact = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map_or_else(|| "-".to_string(), |v| v.to_string())
    };
    let mut t = Table::new(&["KEY", "APPLIED", "DRAFT"]);
    for c in &d.changes {
        t.row(vec![c.key.clone(), compact(&c.applied), compact(&c.draft)]);
    }
    out.push('\n');
    out.push_str(&t.render());
    out
}

fn render_applied(a: &Applied) -> String {
    Fields::new()
        .add("version", a.version)
        .add("shards", a.shards)
        .render()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hikyaku_rpc::types::settings::SettingsChange;
    use serde_json::json;

    #[test]
    fn diff_rendering() {
        let d = SettingsDiff {
            applied_version: 3,
            draft_version: 4,
            changes: vec![
                SettingsChange {
                    key: "delivery.default.max_connections".into(),
                    applied: Some(json!(10)),
                    draft: Some(json!(20)),
                },
                SettingsChange {
                    key: "relay.hosts".into(),
                    applied: None,
                    draft: Some(json!(["a", "b"])),
                },
            ],
        };
        assert_eq!(
            render_diff(&d),
            "applied_version: 3\ndraft_version: 4\n\n\
             KEY                               APPLIED  DRAFT\n\
             delivery.default.max_connections  10       20\n\
             relay.hosts                       -        [\"a\",\"b\"]\n"
        );
    }
}
