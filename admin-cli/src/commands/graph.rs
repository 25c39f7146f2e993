//! `hikyaku graph delivery|error|domain`: `stats.graph` drawn in the terminal (braille lines
//! for deliveries, bars for the pies), or written as an SVG or PNG file with `--svg`/`--png`.
//! `--json` prints the graph data exactly as the server sent it.
//!
//! The drawing is `hikyaku-charts`, the same the web console inlines, in the CLI's language
//! (`crate::i18n`: the account's, or `--lang`): in Japanese the titles, axes, status and
//! error-status names come from the `[graph]`, `[values]` and `[error_status]` sections of
//! `data/ja.toml`, and a PNG is drawn with the charts' bundled Japanese face. `--json` is
//! the server's data, untranslated.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, ValueEnum};
use hikyaku_charts::{Face, Texts};
use hikyaku_rpc::methods;
use hikyaku_rpc::types::stats::{Graph, GraphBucket, GraphKind, GraphQuery};

use super::Ctx;
use crate::i18n::{self, Lang, Part};
use crate::output;

/// `hikyaku graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// Which graph: statuses per bucket (delivery), failures per error status (error), or
    /// records per destination domain (domain)
    #[arg(value_enum)]
    pub kind: KindArg,
    /// Inclusive start, RFC 3339 (default: 24 hours before --to)
    #[arg(long, value_name = "TIME")]
    pub from: Option<String>,
    /// Exclusive end, RFC 3339 (default: now)
    #[arg(long, value_name = "TIME")]
    pub to: Option<String>,
    /// Bucket of the delivery graph
    #[arg(long, value_enum, default_value_t = BucketArg::Hour)]
    pub bucket: BucketArg,
    /// Only this destination domain
    #[arg(long)]
    pub domain: Option<String>,
    /// Only this API user's traffic
    #[arg(long, value_name = "NAME")]
    pub api_user: Option<String>,
    /// IANA time zone (Asia/Tokyo) or offset (+09:00) of the labels and day buckets; default UTC
    #[arg(long, value_name = "TZ")]
    pub time_zone: Option<String>,
    /// Domains of the domain graph before "others" (server default 10)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=100))]
    pub top: Option<u32>,
    /// Write the chart as SVG to FILE instead of drawing it in the terminal
    #[arg(long, value_name = "FILE", conflicts_with = "png")]
    pub svg: Option<PathBuf>,
    /// Write the chart as PNG to FILE instead of drawing it in the terminal
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,
    /// Size of the SVG or PNG, in pixels
    #[arg(long, value_name = "WxH", default_value = "720x360", value_parser = parse_size)]
    pub size: (u32, u32),
    /// Columns of the terminal chart [default: $COLUMNS, else 80]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(40..=1000))]
    pub width: Option<u32>,
}

/// The graph kinds, as on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Records per status (queued, succeeded, deferred, failed) per hour or day.
    Delivery,
    /// Failed deliveries per error status.
    Error,
    /// Records per destination domain, top N and others.
    Domain,
}

/// `--bucket`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BucketArg {
    /// One point per hour.
    Hour,
    /// One point per day in the time zone.
    Day,
}

/// Parses `--size 720x360`.
fn parse_size(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("{s:?} is not WIDTHxHEIGHT in pixels, such as 720x360");
    let (w, h) = s.split_once(['x', 'X']).ok_or_else(bad)?;
    let (w, h): (u32, u32) = (
        w.trim().parse().map_err(|_| bad())?,
        h.trim().parse().map_err(|_| bad())?,
    );
    let range = hikyaku_charts::SIZE_RANGE;
    if !range.contains(&w) || !range.contains(&h) {
        return Err(format!(
            "{s:?}: width and height must be {} to {} pixels",
            range.start(),
            range.end()
        ));
    }
    Ok((w, h))
}

fn query(a: &GraphArgs) -> GraphQuery {
    GraphQuery {
        kind: match a.kind {
            KindArg::Delivery => GraphKind::Delivery,
            KindArg::Error => GraphKind::Error,
            KindArg::Domain => GraphKind::Domain,
        },
        from: a.from.clone(),
        to: a.to.clone(),
        bucket: match a.bucket {
            BucketArg::Hour => GraphBucket::Hour,
            BucketArg::Day => GraphBucket::Day,
        },
        time_zone: a.time_zone.clone(),
        domain: a.domain.clone(),
        api_user: a.api_user.clone(),
        top: a.top,
    }
}

/// Colours only for a terminal, and never against `NO_COLOR` (https://no-color.org).
fn use_color(stdout_is_terminal: bool, no_color: Option<&str>) -> bool {
    stdout_is_terminal && no_color.is_none_or(str::is_empty)
}

/// `--width`, else `$COLUMNS` when it is a number in range, else 80.
fn width(flag: Option<u32>, columns: Option<&str>) -> u32 {
    flag.or_else(|| {
        columns
            .and_then(|c| c.trim().parse().ok())
            .filter(|c| (40..=1000).contains(c))
    })
    .unwrap_or(80)
}

/// The charts' words in the language in use: English as the charts have them, or Japanese
/// from the catalog for the fixed texts, the graph's statuses and its error statuses (the
/// server's English label where the catalog has no name), drawn with the Japanese face.
fn texts(graph: &Graph) -> Texts {
    if i18n::lang() == Lang::En {
        return Texts::english();
    }
    let mut texts = Texts::english().translated(|en| i18n::tr(Part::Graph, en));
    texts.face = Face::Japanese;
    for s in &graph.series {
        let name = i18n::tr(Part::Value, &s.status);
        texts.statuses.insert(s.status.clone(), name);
    }
    if graph.kind == GraphKind::Error {
        for s in &graph.slices {
            let name = i18n::error_status_name(&s.key, s.label.as_deref().unwrap_or_default());
            if !name.is_empty() {
                texts.error_statuses.insert(s.key.clone(), name);
            }
        }
    }
    texts
}

/// Draws the graph into `path` (SVG or PNG) and returns the bytes written.
fn write_file(
    graph: &Graph,
    texts: &Texts,
    path: &Path,
    png: bool,
    size: (u32, u32),
) -> anyhow::Result<usize> {
    let bytes = if png {
        hikyaku_charts::png_with(graph, size, texts).context("cannot draw the PNG")?
    } else {
        hikyaku_charts::svg_with(graph, size, texts)
            .context("cannot draw the SVG")?
            .into_bytes()
    };
    std::fs::write(path, &bytes).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(bytes.len())
}

/// Runs `hikyaku graph`.
pub async fn run(ctx: &Ctx, a: GraphArgs) -> anyhow::Result<()> {
    let q = query(&a);
    let api = ctx.api()?;
    let value = api.call_value(methods::STATS_GRAPH, &q).await?;
    let graph: Graph = api.decode(methods::STATS_GRAPH, value.clone())?;
    let texts = texts(&graph);
    let file = match (&a.svg, &a.png) {
        (Some(p), _) => Some((p, false)),
        (None, Some(p)) => Some((p, true)),
        (None, None) => None,
    };
    if let Some((path, png)) = file {
        let n = write_file(&graph, &texts, path, png, a.size)?;
        let note = i18n::message(
            "wrote the {} graph to {} ({} bytes, {}, {}x{} px)",
            &[
                &output::wire_name(&graph.kind),
                &path.display(),
                &n,
                &if png { "PNG" } else { "SVG" },
                &a.size.0,
                &a.size.1,
            ],
        );
        // With --json, stdout carries only the data.
        return if ctx.json {
            output::note(&note);
            output::emit_json(&value)
        } else {
            output::emit(&format!("{note}\n"))
        };
    }
    if ctx.json {
        return output::emit_json(&value);
    }
    let color = use_color(
        std::io::stdout().is_terminal(),
        std::env::var("NO_COLOR").ok().as_deref(),
    );
    let columns = std::env::var("COLUMNS").ok();
    let width = width(a.width, columns.as_deref());
    let text = hikyaku_charts::terminal_with(&graph, width, color, &texts);
    output::emit(&text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::{Cli, Command};
    use clap::Parser;

    fn parse(args: &[&str]) -> Result<GraphArgs, clap::Error> {
        let cli = Cli::try_parse_from(std::iter::once("hikyaku").chain(args.iter().copied()))?;
        match cli.command {
            Command::Graph(a) => Ok(a),
            other => panic!("not graph: {other:?}"),
        }
    }

    #[test]
    fn flags_become_the_query() {
        let a = parse(&[
            "graph",
            "domain",
            "--from",
            "2026-05-01T00:00:00Z",
            "--to",
            "2026-05-02T00:00:00Z",
            "--bucket",
            "day",
            "--domain",
            "Example.COM",
            "--api-user",
            "app1",
            "--time-zone",
            "Asia/Tokyo",
            "--top",
            "5",
        ])
        .unwrap();
        let q = query(&a);
        assert_eq!(q.kind, GraphKind::Domain);
        assert_eq!(q.bucket, GraphBucket::Day);
        assert_eq!(q.from.as_deref(), Some("2026-05-01T00:00:00Z"));
        assert_eq!(q.to.as_deref(), Some("2026-05-02T00:00:00Z"));
        assert_eq!(q.domain.as_deref(), Some("Example.COM"));
        assert_eq!(q.api_user.as_deref(), Some("app1"));
        assert_eq!(q.time_zone.as_deref(), Some("Asia/Tokyo"));
        assert_eq!(q.top, Some(5));
        let q = query(&parse(&["graph", "delivery"]).unwrap());
        assert_eq!(
            (q.kind, q.bucket, q.top),
            (GraphKind::Delivery, GraphBucket::Hour, None)
        );
        assert_eq!(parse(&["graph", "error"]).unwrap().size, (720, 360));
    }

    #[test]
    fn bad_flags_are_usage_errors() {
        for args in [
            &["graph"][..],
            &["graph", "pie"],
            &["graph", "domain", "--top", "0"],
            &["graph", "domain", "--top", "101"],
            &["graph", "error", "--svg", "a.svg", "--png", "a.png"],
            &["graph", "error", "--size", "720"],
            &["graph", "error", "--size", "10x10"],
            &["graph", "delivery", "--bucket", "week"],
            &["graph", "delivery", "--width", "20"],
        ] {
            let e = parse(args).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{args:?}");
        }
    }

    #[test]
    fn sizes_widths_and_colour() {
        assert_eq!(parse_size("1200x600"), Ok((1200, 600)));
        assert_eq!(parse_size("800X400"), Ok((800, 400)));
        assert!(parse_size("x400").is_err());
        assert!(parse_size("9000x400").unwrap_err().contains("120 to 8192"));
        assert_eq!(width(Some(100), Some("50")), 100);
        assert_eq!(width(None, Some("132")), 132);
        assert_eq!(width(None, Some("12")), 80);
        assert_eq!(width(None, Some("wide")), 80);
        assert_eq!(width(None, None), 80);
        assert!(use_color(true, None));
        assert!(use_color(true, Some("")));
        assert!(!use_color(true, Some("1")));
        assert!(!use_color(false, None));
    }

    /// The `[graph]`, `[values]` and `[error_status]` sections of the catalog: what a
    /// Japanese chart can write.
    fn catalog_sections() -> Vec<(String, std::collections::BTreeMap<String, String>)> {
        let catalog: toml::Table = toml::from_str(include_str!("../../data/ja.toml")).unwrap();
        ["graph", "values", "error_status"]
            .into_iter()
            .map(|name| {
                let section = catalog[name].as_table().unwrap();
                let entries = section
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                (name.to_string(), entries)
            })
            .collect()
    }

    #[test]
    fn the_japanese_font_subset_covers_the_catalog() {
        // A failure here means a new Japanese word: run charts/fonts/make-subset.sh.
        for (section, entries) in catalog_sections() {
            for (key, text) in entries {
                let missing = hikyaku_charts::missing_glyphs(Face::Japanese, &text).unwrap();
                assert!(missing.is_empty(), "[{section}] {key}: {missing:?}");
            }
        }
    }

    #[test]
    fn every_chart_text_has_a_japanese_entry_with_its_arguments() {
        let sections = catalog_sections();
        let graph = &sections[0].1;
        let english = Texts::english();
        let mut untranslated = Vec::new();
        english.translated(|en| {
            match graph.get(en) {
                Some(ja) => assert_eq!(en.matches("{}").count(), ja.matches("{}").count(), "{en}"),
                None => untranslated.push(en.to_string()),
            }
            en.to_string()
        });
        assert!(untranslated.is_empty(), "no Japanese for {untranslated:?}");
        for status in ["queued", "succeeded", "deferred", "failed"] {
            assert!(sections[1].1.contains_key(status), "{status}");
        }
    }
}
