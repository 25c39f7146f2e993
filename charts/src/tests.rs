//! The three outputs checked on what they contain: the SVG through an XML parser (quick-xml),
//! the PNG decoded back by the `image` crate, the terminal text line by line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hikyaku_rpc::types::stats::{Graph, GraphKind, GraphSeries, GraphSlice};
use quick_xml::events::Event;
use quick_xml::XmlVersion;

use super::*;

fn delivery(hours: usize) -> Graph {
    let buckets: Vec<String> = (0..hours)
        .map(|h| {
            format!(
                "2026-05-{:02}T{:02}:00+09:00",
                1 + (10 + h) / 24,
                (10 + h) % 24
            )
        })
        .collect();
    let wave = |k: u64| -> Vec<u64> { (0..hours as u64).map(|i| (i * k + k) % 17).collect() };
    let series: Vec<GraphSeries> = [
        ("queued", 5),
        ("succeeded", 4),
        ("deferred", 1),
        ("failed", 2),
    ]
    .into_iter()
    .map(|(status, k)| GraphSeries {
        status: status.into(),
        values: wave(k),
    })
    .collect();
    let total = series.iter().flat_map(|s| &s.values).sum();
    Graph {
        kind: GraphKind::Delivery,
        from: "2026-05-01T01:00:00Z".into(),
        to: format!(
            "2026-05-{:02}T{:02}:00:00Z",
            1 + (1 + hours) / 24,
            (1 + hours) % 24
        ),
        time_zone: "Asia/Tokyo".into(),
        buckets,
        series,
        slices: Vec::new(),
        total,
    }
}

fn pie(kind: GraphKind, slices: &[(&str, Option<&str>, u64)]) -> Graph {
    let total: u64 = slices.iter().map(|s| s.2).sum();
    Graph {
        kind,
        from: "2026-05-01T00:00:00Z".into(),
        to: "2026-05-02T00:00:00Z".into(),
        time_zone: "+09:00".into(),
        buckets: Vec::new(),
        series: Vec::new(),
        slices: slices
            .iter()
            .map(|(key, label, count)| GraphSlice {
                key: (*key).into(),
                label: label.map(Into::into),
                count: *count,
                share: if total == 0 {
                    0.0
                } else {
                    *count as f64 / total as f64
                },
            })
            .collect(),
        total,
    }
}

fn errors() -> Graph {
    pie(
        GraphKind::Error,
        &[
            ("2", Some("unknown user"), 1_234),
            ("5", Some("over capacity"), 150),
            ("1", Some("unknown host"), 3),
        ],
    )
}

fn domains() -> Graph {
    pie(
        GraphKind::Domain,
        &[
            ("gmail.com", None, 8_000),
            ("yahoo.co.jp", None, 1_500),
            ("others", None, 500),
        ],
    )
}

fn empty(kind: GraphKind) -> Graph {
    let mut g = match kind {
        GraphKind::Delivery => delivery(24),
        _ => pie(kind, &[]),
    };
    for s in &mut g.series {
        s.values.iter_mut().for_each(|v| *v = 0);
    }
    g.total = 0;
    g
}

/// The SVG as a real XML parser (quick-xml, end names checked) reads it: the root element's
/// attributes, the text of every `<text>`, and the name of every element.
struct Svg {
    root: Vec<(String, String)>,
    texts: Vec<String>,
    elements: Vec<String>,
}

impl Svg {
    fn parse(svg: &str) -> Svg {
        let mut reader = quick_xml::Reader::from_str(svg);
        reader.config_mut().check_end_names = true;
        let v = XmlVersion::Implicit1_0;
        let mut parsed = Svg {
            root: Vec::new(),
            texts: Vec::new(),
            elements: Vec::new(),
        };
        let mut open: Vec<String> = Vec::new();
        loop {
            let event = reader.read_event().expect("well-formed XML");
            let name_of = |e: &quick_xml::events::BytesStart| e.name().into_inner().to_string();
            match event {
                Event::Start(e) | Event::Empty(e) if parsed.elements.is_empty() => {
                    parsed.root = e
                        .attributes()
                        .map(|a| {
                            let a = a.unwrap();
                            let key = a.key.into_inner().to_string();
                            (key, a.normalized_value(v).unwrap().into_owned())
                        })
                        .collect();
                    parsed.elements.push(name_of(&e));
                    open.push(name_of(&e));
                }
                Event::Start(e) => {
                    if name_of(&e) == "text" {
                        parsed.texts.push(String::new());
                    }
                    parsed.elements.push(name_of(&e));
                    open.push(name_of(&e));
                }
                Event::Empty(e) => parsed.elements.push(name_of(&e)),
                Event::End(_) => {
                    open.pop().expect("an end tag closes an open element");
                }
                Event::Text(t) if open.last().is_some_and(|n| n == "text") => {
                    let last = parsed.texts.last_mut().unwrap();
                    last.push_str(&t.xml_content(v));
                }
                Event::GeneralRef(r) if open.last().is_some_and(|n| n == "text") => {
                    let name = r.into_inner();
                    let resolved = quick_xml::escape::resolve_predefined_entity(&name)
                        .expect("only predefined entities");
                    parsed.texts.last_mut().unwrap().push_str(resolved);
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert!(open.is_empty(), "unclosed elements: {open:?}");
        for t in &mut parsed.texts {
            *t = t.trim().to_string();
        }
        parsed
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.root
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn has_text(&self, needle: &str) -> bool {
        self.texts.iter().any(|t| t.contains(needle))
    }
}

/// A page inlines the SVG: it must say its size, scale (viewBox) and fetch nothing.
fn assert_self_contained(svg: &str, parsed: &Svg, (w, h): (u32, u32)) {
    assert_eq!(parsed.elements[0], "svg");
    assert_eq!(parsed.attr("width"), Some(w.to_string().as_str()));
    assert_eq!(parsed.attr("height"), Some(h.to_string().as_str()));
    assert_eq!(
        parsed.attr("viewBox"),
        Some(format!("0 0 {w} {h}").as_str())
    );
    assert_eq!(parsed.attr("xmlns"), Some("http://www.w3.org/2000/svg"));
    for external in ["href", "url(", "@import", "<image", "<script", "@font-face"] {
        assert!(
            !svg.contains(external),
            "SVG refers outside itself: {external}"
        );
    }
    assert_eq!(svg.matches("http").count(), 1, "only the xmlns");
}

#[test]
fn delivery_svg_has_title_axes_legend_and_time_zone() {
    let g = delivery(24);
    let svg = svg(&g, (720, 360)).unwrap();
    let parsed = Svg::parse(&svg);
    assert_self_contained(&svg, &parsed, (720, 360));
    assert!(
        parsed.has_text("Delivery graph, 2026-05-01 10:00 – 2026-05-02 10:00"),
        "{:?}",
        parsed.texts
    );
    assert!(parsed.has_text("time zone Asia/Tokyo"));
    assert!(
        parsed.has_text("time (Asia/Tokyo)"),
        "time axis description"
    );
    assert!(parsed.has_text("records"), "count axis description");
    // Time ticks are bucket labels in the graph's zone; the first bucket starts the axis.
    assert!(
        parsed.texts.iter().any(|t| t == "05-01 10:00"),
        "{:?}",
        parsed.texts
    );
    for s in &g.series {
        let total: u64 = s.values.iter().sum();
        let entry = format!("{} ({total})", s.status);
        assert!(parsed.has_text(&entry), "legend entry {entry}");
    }
    // One line per status, in its colour.
    let lines = parsed.elements.iter().filter(|e| *e == "polyline").count();
    assert!(lines >= 4, "{lines} polylines");
    for (r, g, b) in [(44, 160, 44), (214, 39, 40)] {
        assert!(
            svg.contains(&format!("#{r:02X}{g:02X}{b:02X}")),
            "colour {r},{g},{b}"
        );
    }
    assert!(!parsed.has_text("no data"));
}

#[test]
fn pies_are_pies_with_label_and_share_in_the_legend() {
    let svg_text = svg(&errors(), (720, 360)).unwrap();
    let parsed = Svg::parse(&svg_text);
    assert_self_contained(&svg_text, &parsed, (720, 360));
    assert!(parsed.has_text("Error graph, 2026-05-01 09:00 – 2026-05-02 09:00"));
    assert!(parsed.has_text("time zone +09:00"));
    assert!(
        parsed.has_text("unknown user (2)  1,234 (89.0 %)"),
        "{:?}",
        parsed.texts
    );
    assert!(parsed.has_text("over capacity (5)  150 (10.8 %)"));
    assert!(parsed.has_text("unknown host (1)  3 (0.2 %)"));
    // Wedges are filled polygons, one per slice.
    assert_eq!(
        parsed.elements.iter().filter(|e| *e == "polygon").count(),
        3
    );
    // The share beside the big wedges, not beside the 0.2 % sliver.
    assert!(parsed.texts.iter().any(|t| t == "89.0 %"));
    assert!(!parsed.texts.iter().any(|t| t == "0.2 %"));

    let parsed = Svg::parse(&svg(&domains(), (720, 360)).unwrap());
    assert!(parsed.has_text("Domain graph"));
    let legend: Vec<&String> = parsed.texts.iter().filter(|t| t.contains(" %)")).collect();
    assert_eq!(
        legend,
        [
            "gmail.com  8,000 (80.0 %)",
            "yahoo.co.jp  1,500 (15.0 %)",
            "others  500 (5.0 %)"
        ]
    );
}

#[test]
fn long_legends_keep_others_and_say_what_is_left_out() {
    let many: Vec<(String, u64)> = (0..40)
        .map(|i| (format!("d{i:02}.test"), 100 - i))
        .collect();
    let mut slices: Vec<(&str, Option<&str>, u64)> =
        many.iter().map(|(d, n)| (d.as_str(), None, *n)).collect();
    slices.push(("others", None, 10));
    let parsed = Svg::parse(&svg(&pie(GraphKind::Domain, &slices), (720, 360)).unwrap());
    assert!(parsed.has_text("d00.test  100"));
    assert!(parsed.texts.iter().any(|t| t.starts_with("others  10 (")));
    let shown = parsed.texts.iter().filter(|t| t.contains(" %)")).count();
    let more = format!("… {} more", 41 - shown);
    assert!(parsed.has_text(&more), "{more} in {:?}", parsed.texts);
    assert!(shown < 41 && shown > 5);
}

#[test]
fn empty_graphs_still_render_saying_no_data() {
    for kind in [GraphKind::Delivery, GraphKind::Error, GraphKind::Domain] {
        let g = empty(kind);
        let svg_text = svg(&g, (720, 360)).unwrap();
        let parsed = Svg::parse(&svg_text);
        assert_self_contained(&svg_text, &parsed, (720, 360));
        assert!(parsed.has_text("no data"), "{kind:?}");
        assert!(parsed.has_text("graph, 2026-05-0"), "{kind:?} title");
        assert!(parsed.has_text("· 0 records"));
        let decoded = image::load_from_memory(&png(&g, (400, 200)).unwrap()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (400, 200));
        let text = terminal(&g, 80, false);
        assert!(text.contains("no data"), "{text}");
    }
    // The delivery graph keeps its axes when empty.
    let parsed = Svg::parse(&svg(&empty(GraphKind::Delivery), (720, 360)).unwrap());
    assert!(parsed.has_text("time (Asia/Tokyo)"));
}

#[test]
fn single_bucket_draws_a_point() {
    let g = delivery(1);
    let parsed = Svg::parse(&svg(&g, (720, 360)).unwrap());
    assert!(parsed.elements.iter().any(|e| e == "circle"));
    let text = terminal(&g, 80, false);
    assert!(text.contains("2026-05-01 10:00"), "{text}");
}

#[test]
fn png_has_the_signature_decodes_and_shows_the_chart() {
    // Each with a colour it must show: succeeded's line, the first wedge.
    for (g, size, colour) in [
        (delivery(24), (720, 360), [44, 160, 44]),
        (errors(), (640, 480), [31, 119, 180]),
        (domains(), (1200, 300), [31, 119, 180]),
    ] {
        let bytes = png(&g, size).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let decoded = image::load_from_memory_with_format(&bytes, image::ImageFormat::Png)
            .unwrap()
            .to_rgb8();
        assert_eq!(decoded.dimensions(), size);
        // Drawn, not blank: a white background, dark text pixels, and the chart's colours.
        let pixels: Vec<[u8; 3]> = decoded.pixels().map(|p| p.0).collect();
        assert_eq!(pixels[0], [255, 255, 255]);
        let dark = pixels.iter().filter(|p| p.iter().all(|c| *c < 90)).count();
        assert!(dark > 500, "{dark} dark pixels: is the text drawn?");
        let painted = pixels.iter().filter(|p| **p == colour).count();
        assert!(painted > 50, "{painted} pixels of {colour:?}");
    }
}

#[test]
fn sizes_out_of_range_are_errors() {
    for size in [(0, 360), (720, 0), (100, 360), (9000, 360)] {
        let e = svg(&errors(), size).unwrap_err();
        assert!(matches!(e, ChartError::Size { .. }), "{e}");
        assert!(png(&errors(), size).is_err());
    }
    assert!(svg(&errors(), (120, 120)).is_ok());
}

#[test]
fn terminal_delivery_has_every_status_and_the_first_and_last_bucket() {
    let g = delivery(24);
    let text = terminal(&g, 80, false);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "Delivery graph, 2026-05-01 10:00 – 2026-05-02 10:00"
    );
    assert!(lines[1].contains("time zone Asia/Tokyo"));
    assert!(
        text.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "braille"
    );
    let axis = lines
        .iter()
        .find(|l| l.starts_with("2026-05-01 10:00"))
        .expect("time axis line");
    assert!(axis.trim_end().ends_with("2026-05-02 09:00"), "{axis}");
    for s in &g.series {
        let total: u64 = s.values.iter().sum();
        let legend = lines
            .iter()
            .find(|l| l.starts_with(&format!("━━ {}", s.status)))
            .unwrap_or_else(|| panic!("legend of {} in\n{text}", s.status));
        assert!(legend.contains(&format!(" {total}")), "{legend}");
    }
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");
    assert!(!text.contains('\x1b'));
    // With colour, the legend carries each status's colour.
    let colored = terminal(&g, 80, true);
    assert!(colored.contains("\x1b[38;2;44;160;44m━━\x1b[0m succeeded"));
}

/// Shares written in the terminal output, in order.
fn shares(text: &str) -> Vec<f64> {
    text.lines()
        .filter_map(|l| {
            let open = l.rfind('(')?;
            let v = l[open + 1..].strip_suffix(" %)")?;
            v.trim().parse().ok()
        })
        .collect()
}

#[test]
fn terminal_pies_are_bars_with_counts_and_shares() {
    let text = terminal(&errors(), 80, false);
    let rows: Vec<&str> = text.lines().skip(3).collect();
    assert_eq!(rows.len(), 3, "{text}");
    assert!(rows[0].starts_with("unknown user (2)   █"), "{text}");
    assert!(rows[0].ends_with("1,234 (89.0 %)"), "{text}");
    assert!(rows[1].starts_with("over capacity (5)  █"));
    assert!(
        rows[2].starts_with("unknown host (1)   ▏"),
        "a sliver for 0.2 %"
    );
    let sum: f64 = shares(&text).iter().sum();
    assert!((sum - 100.0).abs() <= 0.2, "{sum}");
    // Bars compare like wedges: 89 % is about eight times 10.8 %.
    let blocks = |r: &str| r.chars().filter(|c| *c == '█').count();
    assert!(blocks(rows[0]) > 7 * blocks(rows[1]));

    let text = terminal(&domains(), 60, false);
    let rows: Vec<&str> = text.lines().skip(3).collect();
    assert!(rows[0].starts_with("gmail.com"));
    assert!(rows[2].starts_with("others"), "others last");
    assert!(rows[2].ends_with("  500  (5.0 %)"), "aligned: {text}");
    assert_eq!(shares(&text), [80.0, 15.0, 5.0]);
    assert!(rows.iter().all(|l| l.chars().count() <= 60), "{text}");
}

#[test]
fn terminal_truncates_long_names_to_the_width() {
    let long = "a-very-long-subdomain.of-a-very-long-domain-name.example.co.jp";
    let g = pie(GraphKind::Domain, &[(long, None, 3), ("b.test", None, 1)]);
    let text = terminal(&g, 50, false);
    for row in text.lines().skip(3) {
        assert!(row.chars().count() <= 50, "{row}");
    }
    let first = text.lines().nth(3).unwrap();
    assert!(first.starts_with("a-very-long-subdomain"), "{text}");
    assert!(first.contains("… "), "{text}");
    assert_eq!(shares(&text), [75.0, 25.0]);
}

/// The same charts with Japanese texts and the Japanese face.
mod ja;
