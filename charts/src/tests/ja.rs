//! The charts in Japanese: the words of [`Texts`] reach every output, and the PNG draws them
//! with the bundled Japanese face (DejaVu Sans would leave empty boxes).

use super::*;

/// Japanese texts as `hikyaku graph` makes them from its catalog (admin-cli/data/ja.toml).
fn japanese() -> Texts {
    let words: &[(&str, &str)] = &[
        ("Delivery graph", "配信グラフ"),
        ("Error graph", "エラーグラフ"),
        ("Domain graph", "ドメイングラフ"),
        ("{}, {} – {}", "{} {} – {}"),
        ("records per status per hour", "時間別・ステータス別の件数"),
        (
            "failed deliveries per error status",
            "エラーステータス別の配信失敗数",
        ),
        ("records per destination domain", "宛先ドメイン別の件数"),
        (
            "{} · time zone {} · {} records",
            "{} · タイムゾーン {} · {} 件",
        ),
        ("time ({})", "日時（{}）"),
        ("records", "件数"),
        ("no data", "データなし"),
        ("… {} more", "… ほか {} 件"),
        ("error status {}", "エラーステータス {}"),
        ("others", "その他"),
        ("peak {} at {}", "最大 {}（{}）"),
    ];
    let mut t = Texts::english().translated(|en| {
        words
            .iter()
            .find(|(e, _)| *e == en)
            .map_or(en, |(_, ja)| ja)
            .to_string()
    });
    t.face = Face::Japanese;
    for (wire, name) in [
        ("queued", "キュー投入"),
        ("succeeded", "配信成功"),
        ("deferred", "配信遅延"),
        ("failed", "配信失敗"),
    ] {
        t.statuses.insert(wire.into(), name.into());
    }
    for (code, name) in [("1", "ホスト不明"), ("2", "ユーザ不明")] {
        t.error_statuses.insert(code.into(), name.into());
    }
    t
}

#[test]
fn svg_speaks_japanese_in_titles_axes_legends_and_slices() {
    let ja = japanese();
    let g = delivery(24);
    let svg = svg_with(&g, (720, 360), &ja).unwrap();
    let parsed = Svg::parse(&svg);
    assert_self_contained(&svg, &parsed, (720, 360));
    assert!(
        parsed.has_text("配信グラフ 2026-05-01 10:00 – 2026-05-02 10:00"),
        "{:?}",
        parsed.texts
    );
    assert!(parsed.has_text("時間別・ステータス別の件数 · タイムゾーン Asia/Tokyo · "));
    assert!(parsed.has_text("日時（Asia/Tokyo）"));
    assert!(parsed.texts.iter().any(|t| t == "件数"));
    let total: u64 = g.series[1].values.iter().sum();
    assert!(parsed.has_text(&format!("配信成功 ({total})")));
    assert!(!parsed.has_text("succeeded"), "{:?}", parsed.texts);
    // Colours follow the wire status, not the name shown.
    assert!(svg.contains("#2CA02C"), "succeeded's green");

    // The error status named in Japanese, the one without a name keeps the server's label,
    // one without either says its number.
    let mut e = errors();
    e.slices.push(GraphSlice {
        key: "42".into(),
        label: None,
        count: 0,
        share: 0.0,
    });
    let parsed = Svg::parse(&svg_with(&e, (720, 360), &ja).unwrap());
    assert!(parsed.has_text("エラーグラフ 2026-05-01 09:00 – 2026-05-02 09:00"));
    assert!(
        parsed.has_text("ユーザ不明 (2)  1,234 (89.0 %)"),
        "{:?}",
        parsed.texts
    );
    assert!(parsed.has_text("over capacity (5)  150"));
    assert!(parsed.has_text("エラーステータス 42  0 (0.0 %)"));

    let parsed = Svg::parse(&svg_with(&domains(), (720, 360), &ja).unwrap());
    assert!(parsed.has_text("その他  500 (5.0 %)"), "{:?}", parsed.texts);
    assert!(parsed.has_text("gmail.com  8,000 (80.0 %)"));

    let parsed = Svg::parse(&svg_with(&empty(GraphKind::Error), (720, 360), &ja).unwrap());
    assert!(parsed.has_text("データなし"));
    assert!(parsed.has_text("· 0 件"));
}

#[test]
fn a_cut_japanese_legend_keeps_others_and_counts_the_rest() {
    let many: Vec<(String, u64)> = (0..40)
        .map(|i| (format!("d{i:02}.test"), 100 - i))
        .collect();
    let mut slices: Vec<(&str, Option<&str>, u64)> =
        many.iter().map(|(d, n)| (d.as_str(), None, *n)).collect();
    slices.push(("others", None, 10));
    let g = pie(GraphKind::Domain, &slices);
    let parsed = Svg::parse(&svg_with(&g, (720, 360), &japanese()).unwrap());
    assert!(parsed.texts.iter().any(|t| t.starts_with("その他  10 (")));
    let shown = parsed.texts.iter().filter(|t| t.contains(" %)")).count();
    let more = format!("… ほか {} 件", 41 - shown);
    assert!(parsed.has_text(&more), "{more} in {:?}", parsed.texts);
}

/// The PNG's title band (the header above the chart) as rows of grey levels.
fn title_band(bytes: &[u8]) -> Vec<Vec<u8>> {
    let img = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .unwrap()
        .to_luma8();
    (0..32)
        .map(|y| (0..img.width()).map(|x| img.get_pixel(x, y).0[0]).collect())
        .collect()
}

fn dark(band: &[Vec<u8>]) -> usize {
    band.iter().flatten().filter(|v| **v < 90).count()
}

#[test]
fn png_draws_japanese_with_the_japanese_face() {
    // Two titles of the same length that differ only in their Japanese words: drawn from
    // real glyphs they differ; a face without the glyphs draws the same boxes for both.
    let ja = japanese();
    let mut other = ja.clone();
    other.error_graph = "ドメイン配信".into();
    assert_eq!(
        ja.error_graph.chars().count(),
        other.error_graph.chars().count()
    );
    let g = errors();
    let a = png_with(&g, (720, 360), &ja).unwrap();
    let b = png_with(&g, (720, 360), &other).unwrap();
    let (band_a, band_b) = (title_band(&a), title_band(&b));
    assert!(dark(&band_a) > 300, "{} dark pixels", dark(&band_a));
    assert_ne!(band_a, band_b, "Japanese titles drawn as glyphs, not boxes");

    // The control: DejaVu Sans has no glyph for them.
    let mut latin = ja.clone();
    latin.face = Face::Latin;
    let mut latin_other = other.clone();
    latin_other.face = Face::Latin;
    let boxes_a = title_band(&png_with(&g, (720, 360), &latin).unwrap());
    let boxes_b = title_band(&png_with(&g, (720, 360), &latin_other).unwrap());
    assert_eq!(
        boxes_a, boxes_b,
        "without the glyphs both titles look alike"
    );

    // The whole chart still decodes at its size, with its colours.
    let decoded = image::load_from_memory(&a).unwrap().to_rgb8();
    assert_eq!(decoded.dimensions(), (720, 360));
    let blue = decoded.pixels().filter(|p| p.0 == [31, 119, 180]).count();
    assert!(blue > 50, "{blue} pixels of the first wedge");
    let d = png_with(&delivery(24), (720, 360), &ja).unwrap();
    assert_eq!(&d[..8], b"\x89PNG\r\n\x1a\n");
}

#[test]
fn the_japanese_face_covers_the_texts_and_dejavu_does_not() {
    let ja = japanese();
    for text in ja.all() {
        assert_eq!(
            missing_glyphs(Face::Japanese, text).unwrap(),
            Vec::<char>::new(),
            "{text}"
        );
    }
    let ascii: String = (0x20u8..0x7f).map(char::from).collect();
    assert!(missing_glyphs(Face::Japanese, &ascii).unwrap().is_empty());
    assert_eq!(
        missing_glyphs(Face::Latin, "配信 graph 配").unwrap(),
        ['配', '信']
    );
    assert_eq!(missing_glyphs(Face::Japanese, "韓").unwrap(), ['韓']);
}

#[test]
fn terminal_aligns_japanese_names_by_columns() {
    let ja = japanese();
    let g = delivery(24);
    let text = terminal_with(&g, 80, false, &ja);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "配信グラフ 2026-05-01 10:00 – 2026-05-02 10:00");
    let legend: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| l.starts_with("━━ "))
        .collect();
    assert_eq!(legend.len(), 4, "{text}");
    assert!(legend[1].starts_with("━━ 配信成功  "), "{text}");
    assert!(legend.iter().any(|l| l.contains("最大 ")), "{text}");
    // The totals end in the same column: names of 4 and 5 wide characters padded alike.
    let total_end = |l: &str| {
        let before_peak = l.split("  最大").next().unwrap_or(l);
        unicode_width::UnicodeWidthStr::width(before_peak.trim_end())
    };
    let ends: Vec<usize> = legend.iter().map(|l| total_end(l)).collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{ends:?}\n{text}");

    let text = terminal_with(&errors(), 60, false, &ja);
    let rows: Vec<&str> = text.lines().skip(3).collect();
    assert!(rows[0].starts_with("ユーザ不明 (2)     █"), "{text}");
    assert!(rows[2].starts_with("ホスト不明 (1)     ▏"), "{text}");
    for row in &rows {
        assert!(unicode_width::UnicodeWidthStr::width(*row) <= 60, "{row}");
    }
    let bar_start = |r: &str| {
        let at = r.find(['█', '▏']).unwrap();
        unicode_width::UnicodeWidthStr::width(&r[..at])
    };
    assert_eq!(bar_start(rows[0]), bar_start(rows[1]), "{text}");
    assert!(terminal_with(&empty(GraphKind::Domain), 80, false, &ja).contains("データなし"));
}
