//! The dashboard: the three graphs over the chosen range and the queue's depth.

use maud::{html, PreEscaped};

use super::{count, error_box, Viewer};

/// The ranges offered: query value, label.
pub(crate) const RANGES: [(&str, &str); 3] = [
    ("24h", "Last 24 hours"),
    ("7d", "Last 7 days"),
    ("40d", "Last 40 days"),
];

/// One chart: its heading and the SVG, or why it could not be drawn.
pub(crate) struct Chart {
    pub(crate) id: &'static str,
    pub(crate) heading: &'static str,
    pub(crate) svg: Result<String, String>,
}

/// Queue depth, or why it is not shown (the viewer's role may not read it).
pub(crate) type QueueDepth = Result<(u64, u64), String>;

/// The dashboard page.
pub(crate) fn dashboard(
    viewer: &Viewer<'_>,
    range: &str,
    time_zone: &str,
    queue: &QueueDepth,
    charts: &[Chart],
) -> String {
    let tab = |value: &str| {
        super::super::forms::encode([("range", value), ("tz", time_zone), ("csrf", viewer.csrf)])
    };
    super::page(
        "Dashboard",
        "/dashboard",
        viewer,
        html! {
            div.tabs #ranges {
                @for (value, label) in RANGES {
                    a href={ "/dashboard?" (tab(value)) } class=[(value == range).then_some("on")] { (label) }
                }
                form method="get" action="/dashboard" style="display:inline" {
                    input type="hidden" name="range" value=(range);
                    input type="hidden" name="csrf" value=(viewer.csrf);
                    label { "Time zone " input type="text" name="tz" value=(time_zone) size="14"; }
                    " " button type="submit" { "Show" }
                }
            }
            div.cards {
                @match queue {
                    Ok((total, deferred)) => {
                        div.card #queue-depth { "Queued now" b { (count(*total)) } }
                        div.card #deferred { "Deferred" b { (count(*deferred)) } }
                    }
                    Err(why) => div.card { "Queue" br; small { (why) } }
                }
            }
            div.charts {
                @for c in charts {
                    section.chart id=(c.id) {
                        h2 { (c.heading) }
                        @match &c.svg {
                            // The SVG is produced by our own chart code from numbers and
                            // escaped labels; it is markup by design.
                            Ok(svg) => (PreEscaped(svg)),
                            Err(why) => (error_box(why)),
                        }
                    }
                }
            }
        },
    )
}
