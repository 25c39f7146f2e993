//! The settings, read-only: the applied document and what the draft would change.

use hikyaku_rpc::types::settings::{SettingsDiff, SettingsDoc};
use maud::html;

use super::{error_box, Viewer};

/// The settings page.
pub(crate) fn settings(
    viewer: &Viewer<'_>,
    applied: &Result<SettingsDoc, String>,
    diff: &Result<SettingsDiff, String>,
) -> String {
    let show = |v: &Option<serde_json::Value>| {
        v.as_ref()
            .map_or_else(|| "—".to_string(), |v| v.to_string())
    };
    super::page(
        "Settings",
        "/settings",
        viewer,
        html! {
            p { "Read-only: change settings with " code { "hikyaku settings" } " or " code { "settings.set" } " / " code { "settings.apply" } "." }
            h2 { "Draft changes" }
            @match diff {
                Err(why) => (error_box(why)),
                Ok(d) if d.changes.is_empty() => p #no-draft { "The draft is the applied version " (d.applied_version) "; nothing to apply." }
                Ok(d) => {
                    p { "Draft " (d.draft_version) " against applied version " (d.applied_version) ":" }
                    table #draft-diff {
                        thead { tr { th { "Key" } th { "Applied" } th { "Draft" } } }
                        tbody {
                            @for c in &d.changes {
                                tr { td { code { (c.key) } } td { code { (show(&c.applied)) } } td { code { (show(&c.draft)) } } }
                            }
                        }
                    }
                }
            }
            h2 { "Applied settings" }
            @match applied {
                Err(why) => (error_box(why)),
                Ok(doc) => {
                    p { "Version " (doc.version) "." }
                    pre #applied { (serde_json::to_string_pretty(&doc.settings).unwrap_or_default()) }
                }
            }
        },
    )
}
