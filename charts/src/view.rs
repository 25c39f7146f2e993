//! What every chart says, whatever draws it: titles, the range in the graph's time zone,
//! legend entries with counts and shares, colours, number formats. Pure functions of a
//! [`Graph`], so the SVG, PNG and terminal charts cannot disagree and the wording is tested
//! once. The words come from [`Texts`], the caller's language.

use hikyaku_rpc::types::stats::{Graph, GraphKind, GraphSlice};

use crate::texts::{fill, Texts};

/// An sRGB colour.
pub type Rgb = (u8, u8, u8);

/// Colour of a delivery status line: the colours a reader expects (green for delivered, red
/// for failed), the same in every chart and in the terminal legend.
pub fn status_color(status: &str) -> Rgb {
    match status {
        "queued" => (31, 119, 180),
        "succeeded" => (44, 160, 44),
        "deferred" => (255, 127, 14),
        "failed" => (214, 39, 40),
        _ => (127, 127, 127),
    }
}

/// Slice colours, in order (Tableau 10 without its grey, which `others` takes).
const SLICE_COLORS: [Rgb; 9] = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (188, 189, 34),
    (23, 190, 207),
];

/// Grey of the `others` slice.
const OTHERS_COLOR: Rgb = (127, 127, 127);

/// One entry of a pie (and of its legend or terminal bars).
#[derive(Debug, Clone, PartialEq)]
pub struct SliceEntry {
    /// What the reader sees: `unknown user (2)` for an error status, the domain, `others`.
    pub name: String,
    /// The slice of the remaining domains (kept in sight when a legend is cut).
    pub others: bool,
    /// Records.
    pub count: u64,
    /// Share of the total, 0–1.
    pub share: f64,
    /// Fill colour.
    pub color: Rgb,
}

/// The slices of an error or domain graph as they are shown, `others` last whatever order
/// they came in.
pub fn slice_entries(graph: &Graph, texts: &Texts) -> Vec<SliceEntry> {
    let (mut rest, others): (Vec<&GraphSlice>, Vec<&GraphSlice>) =
        graph.slices.iter().partition(|s| !is_others(graph.kind, s));
    rest.extend(others);
    let mut palette = SLICE_COLORS.iter().cycle();
    rest.into_iter()
        .map(|s| SliceEntry {
            name: slice_name(graph.kind, s, texts),
            others: is_others(graph.kind, s),
            count: s.count,
            share: s.share,
            color: if is_others(graph.kind, s) {
                OTHERS_COLOR
            } else {
                palette.next().copied().unwrap_or(OTHERS_COLOR)
            },
        })
        .collect()
}

fn is_others(kind: GraphKind, s: &GraphSlice) -> bool {
    kind == GraphKind::Domain && s.key == "others"
}

/// An error status is named by the texts, else by the server's English `label`; the number
/// stays beside it because the error log and the API filter by number.
fn slice_name(kind: GraphKind, s: &GraphSlice, texts: &Texts) -> String {
    let named = texts.error_statuses.get(&s.key).or(s.label.as_ref());
    match (kind, named) {
        (GraphKind::Error, Some(name)) => format!("{name} ({})", s.key),
        (GraphKind::Error, None) => fill(&texts.unknown_error_status, &[&s.key]),
        _ if is_others(kind, s) => texts.others.clone(),
        _ => s.key.clone(),
    }
}

/// One line of a delivery graph as it is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesEntry<'a> {
    /// The status as on the wire (it picks the colour).
    pub status: &'a str,
    /// The status as the reader sees it.
    pub name: &'a str,
    /// One value per bucket.
    pub values: &'a [u64],
    /// Sum over the range.
    pub total: u64,
    /// Line colour.
    pub color: Rgb,
}

/// The lines of a delivery graph, in the server's order.
pub fn series_entries<'a>(graph: &'a Graph, texts: &'a Texts) -> Vec<SeriesEntry<'a>> {
    graph
        .series
        .iter()
        .map(|s| SeriesEntry {
            status: &s.status,
            name: texts.status(&s.status),
            values: &s.values,
            total: s.values.iter().sum(),
            color: status_color(&s.status),
        })
        .collect()
}

/// Largest value of any line (0 when there is none).
pub fn peak(graph: &Graph) -> u64 {
    graph
        .series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
}

/// `Delivery graph, 2026-05-01 10:00 – 2026-05-02 10:00`.
pub fn title(graph: &Graph, texts: &Texts) -> String {
    let name = match graph.kind {
        GraphKind::Delivery => &texts.delivery_graph,
        GraphKind::Error => &texts.error_graph,
        GraphKind::Domain => &texts.domain_graph,
    };
    fill(
        &texts.title,
        &[
            name,
            &local_time(&graph.from, &graph.time_zone),
            &local_time(&graph.to, &graph.time_zone),
        ],
    )
}

/// What is counted, the time zone and the total:
/// `records per status per hour · time zone Asia/Tokyo · 1,234 records`.
pub fn subtitle(graph: &Graph, texts: &Texts) -> String {
    let what = match graph.kind {
        GraphKind::Delivery if is_daily(graph) => &texts.per_day,
        GraphKind::Delivery => &texts.per_hour,
        GraphKind::Error => &texts.per_error_status,
        GraphKind::Domain => &texts.per_domain,
    };
    fill(
        &texts.subtitle,
        &[what, &graph.time_zone, &thousands(graph.total)],
    )
}

/// Whether the buckets are days (`2026-05-01`) rather than hours (`2026-05-01T10:00+09:00`).
pub fn is_daily(graph: &Graph) -> bool {
    graph.buckets.first().is_some_and(|b| !b.contains('T'))
}

/// A bucket label as an axis tick: the time zone is written once on the chart, so the hour
/// labels lose their offset and year (`05-01 10:00`); day labels stay whole.
pub fn short_bucket(label: &str) -> String {
    match label.split_once('T') {
        Some((date, time)) => {
            let date = date.get(5..).unwrap_or(date);
            let time = time.get(..5).unwrap_or(time);
            format!("{date} {time}")
        }
        None => label.to_string(),
    }
}

/// A bucket label in full but without its offset (written once on the chart):
/// `2026-05-01 10:00`, or the day as it is.
pub fn bucket_text(label: &str) -> String {
    match label.split_once('T') {
        Some((date, time)) => format!("{date} {}", time.get(..5).unwrap_or(time)),
        None => label.to_string(),
    }
}

/// An RFC 3339 instant as `YYYY-MM-DD HH:MM` in the graph's time zone (an IANA name or an
/// offset such as `+09:00`, as the server accepts). Shown as the server sent it when either
/// cannot be read here (a zone this machine's database lacks).
pub fn local_time(rfc3339: &str, time_zone: &str) -> String {
    let Ok(ts) = rfc3339.parse::<jiff::Timestamp>() else {
        return rfc3339.to_string();
    };
    match zone(time_zone) {
        Some(tz) => ts.to_zoned(tz).strftime("%Y-%m-%d %H:%M").to_string(),
        None => ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    }
}

fn zone(name: &str) -> Option<jiff::tz::TimeZone> {
    if let Some(rest) = name.strip_prefix(['+', '-']) {
        let (h, m) = rest.split_once(':').unwrap_or((rest, "0"));
        let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
        let sign = if name.starts_with('-') { -1 } else { 1 };
        let offset = jiff::tz::Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()?;
        return Some(jiff::tz::TimeZone::fixed(offset));
    }
    jiff::tz::TimeZone::get(name).ok()
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A share as `82.1 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hikyaku_rpc::types::stats::GraphSeries;

    fn graph(kind: GraphKind, slices: &[(&str, Option<&str>, u64)]) -> Graph {
        let total = slices.iter().map(|s| s.2).sum::<u64>();
        Graph {
            kind,
            from: "2026-05-01T01:00:00Z".into(),
            to: "2026-05-02T01:00:00Z".into(),
            time_zone: "Asia/Tokyo".into(),
            buckets: Vec::new(),
            series: Vec::new(),
            slices: slices
                .iter()
                .map(|(k, l, n)| GraphSlice {
                    key: (*k).into(),
                    label: l.map(Into::into),
                    count: *n,
                    share: *n as f64 / total as f64,
                })
                .collect(),
            total,
        }
    }

    #[test]
    fn numbers_and_shares() {
        let cases = [
            (0, "0"),
            (999, "999"),
            (1_000, "1,000"),
            (123_456, "123,456"),
            (1_234_567, "1,234,567"),
        ];
        for (n, text) in cases {
            assert_eq!(thousands(n), text);
        }
        assert_eq!(percent(0.821), "82.1 %");
        assert_eq!(percent(1.0), "100.0 %");
    }

    #[test]
    fn times_in_the_graph_zone() {
        let t = "2026-05-01T15:00:00Z";
        assert_eq!(local_time(t, "Asia/Tokyo"), "2026-05-02 00:00");
        assert_eq!(local_time(t, "+09:00"), "2026-05-02 00:00");
        assert_eq!(local_time(t, "-05:30"), "2026-05-01 09:30");
        assert_eq!(local_time(t, "UTC"), "2026-05-01 15:00");
        assert_eq!(local_time(t, "Nowhere/Atlantis"), "2026-05-01 15:00 UTC");
        assert_eq!(local_time("not a time", "UTC"), "not a time");
        assert_eq!(short_bucket("2026-05-01T10:00+09:00"), "05-01 10:00");
        assert_eq!(short_bucket("2026-05-01"), "2026-05-01");
        assert_eq!(bucket_text("2026-05-01T10:00-03:30"), "2026-05-01 10:00");
        assert_eq!(bucket_text("2026-05-01"), "2026-05-01");
    }

    #[test]
    fn titles_name_kind_range_and_zone() {
        let mut g = graph(GraphKind::Delivery, &[]);
        g.buckets = vec!["2026-05-01T10:00+09:00".into()];
        g.total = 1234;
        assert_eq!(
            title(&g, &Texts::english()),
            "Delivery graph, 2026-05-01 10:00 – 2026-05-02 10:00"
        );
        assert_eq!(
            subtitle(&g, &Texts::english()),
            "records per status per hour · time zone Asia/Tokyo · 1,234 records"
        );
        g.buckets = vec!["2026-05-01".into()];
        assert!(subtitle(&g, &Texts::english()).starts_with("records per status per day"));
        let e = graph(GraphKind::Error, &[("2", Some("unknown user"), 1)]);
        assert!(title(&e, &Texts::english()).starts_with("Error graph, "));
        assert!(subtitle(&e, &Texts::english()).starts_with("failed deliveries per error status"));
    }

    #[test]
    fn slices_keep_status_names_and_put_others_last() {
        let e = graph(
            GraphKind::Error,
            &[("2", Some("unknown user"), 3), ("99", None, 1)],
        );
        let names: Vec<String> = slice_entries(&e, &Texts::english())
            .into_iter()
            .map(|s| s.name)
            .collect();
        assert_eq!(names, ["unknown user (2)", "error status 99"]);

        // A server that sent `others` first still gets it drawn last, in grey.
        let d = graph(
            GraphKind::Domain,
            &[
                ("others", None, 5),
                ("a.test", None, 8),
                ("b.test", None, 4),
            ],
        );
        let entries = slice_entries(&d, &Texts::english());
        let names: Vec<&str> = entries.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["a.test", "b.test", "others"]);
        assert_eq!(entries[2].color, OTHERS_COLOR);
        assert_ne!(entries[0].color, entries[1].color);
        let sum: f64 = entries.iter().map(|s| s.share).sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }

    #[test]
    fn series_totals_and_peak() {
        let mut g = graph(GraphKind::Delivery, &[]);
        g.series = vec![
            GraphSeries {
                status: "queued".into(),
                values: vec![1, 7, 2],
            },
            GraphSeries {
                status: "failed".into(),
                values: vec![0, 0, 3],
            },
        ];
        let english = Texts::english();
        let s = series_entries(&g, &english);
        assert_eq!((s[0].total, s[1].total), (10, 3));
        assert_eq!(s[1].color, status_color("failed"));
        assert_eq!(peak(&g), 7);
        assert_eq!(peak(&graph(GraphKind::Delivery, &[])), 0);
    }
}
