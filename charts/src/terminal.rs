//! Charts as text for a terminal: the delivery graph as braille lines (textplots), the pies
//! as horizontal bars with count and share. The same title and subtitle as the image charts.
//! Columns are counted as a terminal shows them (Unicode East Asian width): a Japanese status
//! name takes two columns a character, and the bars still line up.

use hikyaku_rpc::types::stats::{Graph, GraphKind};
use textplots::{
    Chart, ColorPlot, LabelBuilder, LabelFormat, Plot, Shape, TickDisplay, TickDisplayBuilder,
};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::texts::{fill, Texts};
use crate::view::{self, Rgb};

/// Narrowest output: textplots needs 32 braille points (16 columns) plus the tick labels, and
/// the bars need room for a name, a bar and a count.
const MIN_WIDTH: u32 = 40;

/// Rows of braille in the delivery chart (four points each).
const ROWS: u32 = 12;

/// Columns textplots appends to the right of the braille for the count ticks (` 1,234,567`).
const TICK_COLUMNS: u32 = 11;

/// The graph as text at most `width` columns wide (clamped to at least 40). With `color`, the
/// legend and bars carry ANSI 24-bit colours; the braille lines are coloured by textplots'
/// `colored`, which also checks that standard output is a terminal and honours `NO_COLOR`.
/// In English; [`terminal_with`] takes the texts.
pub fn terminal(graph: &Graph, width: u32, color: bool) -> String {
    terminal_with(graph, width, color, &Texts::english())
}

/// [`terminal`] in the words of `texts`.
pub fn terminal_with(graph: &Graph, width: u32, color: bool, texts: &Texts) -> String {
    let width = width.max(MIN_WIDTH);
    let mut out = format!(
        "{}\n{}\n\n",
        view::title(graph, texts),
        view::subtitle(graph, texts)
    );
    if graph.total == 0 {
        out.push_str(&texts.no_data);
        out.push('\n');
        return out;
    }
    match graph.kind {
        GraphKind::Delivery => lines(&mut out, graph, texts, width, color),
        GraphKind::Error | GraphKind::Domain => bars(&mut out, graph, texts, width, color),
    }
    out
}

fn paint(text: &str, (r, g, b): Rgb, color: bool) -> String {
    if color {
        format!("\x1b[38;2;{r};{g};{b}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Columns a text takes in a terminal (wide characters two).
fn columns(s: &str) -> usize {
    s.width()
}

/// `s` followed by spaces up to `width` columns (`{:<w$}` counts characters, not columns).
fn pad(s: &str, width: usize) -> String {
    format!("{s}{}", " ".repeat(width.saturating_sub(columns(s))))
}

/// `s` cut to at most `width` columns, ending with `…` when cut.
fn cut(s: &str, width: usize) -> String {
    if columns(s) <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// The delivery graph: braille lines, the first and last bucket under the time axis, and a
/// legend line per status with its total and its peak.
fn lines(out: &mut String, graph: &Graph, texts: &Texts, width: u32, color: bool) {
    let entries = view::series_entries(graph, texts);
    let n = graph.buckets.len();
    let points: Vec<Vec<(f32, f32)>> = entries
        .iter()
        .map(|e| {
            let mut p: Vec<(f32, f32)> = e
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| (i as f32, *v as f32))
                .collect();
            // One bucket: draw it as a level line across the chart.
            if let [only] = p[..] {
                p.push((1.0, only.1));
            }
            p
        })
        .collect();
    let shapes: Vec<Shape> = points.iter().map(|p| Shape::Lines(p)).collect();
    let peak = view::peak(graph);
    let y_top = (peak + (peak / 10).max(1)) as f32;
    let x_last = n.saturating_sub(1).max(1) as f32;
    let chart_columns = width - TICK_COLUMNS;
    let mut chart = Chart::new_with_y_range(chart_columns * 2, ROWS * 4, 0.0, x_last, 0.0, y_top);
    let mut c: &mut Chart = &mut chart;
    c = c.y_tick_display(TickDisplay::Sparse);
    c = c.x_label_format(LabelFormat::None);
    c = c.y_label_format(LabelFormat::Custom(Box::new(|v| {
        view::thousands(v.max(0.0).round() as u64)
    })));
    for (shape, entry) in shapes.iter().zip(&entries) {
        let (r, g, b) = entry.color;
        c = if color {
            c.linecolorplot(shape, rgb::RGB8 { r, g, b })
        } else {
            c.lineplot(shape)
        };
    }
    c.axis();
    c.figures();
    let drawn = c.to_string();
    // textplots ends with an x-axis line of its own labels (turned off): replace it with the
    // first and last bucket, which say more than bucket numbers.
    let mut rows: Vec<&str> = drawn.lines().collect();
    while rows.last().is_some_and(|r| r.trim().is_empty()) {
        rows.pop();
    }
    for row in rows {
        out.push_str(row.trim_end());
        out.push('\n');
    }
    let first = graph.buckets.first().map(|b| view::bucket_text(b));
    let last = graph.buckets.last().map(|b| view::bucket_text(b));
    let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
    let span = chart_columns as usize + 1;
    let gap = span.saturating_sub(columns(&first) + columns(&last)).max(2);
    if n > 1 {
        out.push_str(&format!("{first}{}{last}\n", " ".repeat(gap)));
    } else {
        out.push_str(&format!("{first}\n"));
    }
    out.push('\n');
    let name_w = entries.iter().map(|e| columns(e.name)).max().unwrap_or(0);
    let total_w = entries
        .iter()
        .map(|e| columns(&view::thousands(e.total)))
        .max()
        .unwrap_or(0);
    for e in &entries {
        let peak_at = e
            .values
            .iter()
            .enumerate()
            .max_by_key(|(i, v)| (**v, std::cmp::Reverse(*i)))
            .filter(|(_, v)| **v > 0)
            .and_then(|(i, v)| Some((graph.buckets.get(i)?, v)));
        let peak = match peak_at {
            Some((bucket, v)) => format!(
                "  {}",
                fill(
                    &texts.peak,
                    &[&view::thousands(*v), &view::bucket_text(bucket)]
                )
            ),
            None => String::new(),
        };
        out.push_str(&format!(
            "{} {}  {:>total_w$}{peak}\n",
            paint("━━", e.color, color),
            pad(e.name, name_w),
            view::thousands(e.total),
        ));
    }
}

/// Eighths of a block, for bars finer than one column.
const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/// A bar of `share` × `width` columns, at least a sliver when the share is not zero.
fn bar(share: f64, width: usize) -> String {
    let eighths = (share.clamp(0.0, 1.0) * width as f64 * 8.0).round() as usize;
    let eighths = if share > 0.0 { eighths.max(1) } else { 0 };
    let mut s = "█".repeat(eighths / 8);
    if eighths % 8 > 0 {
        s.push(EIGHTHS[eighths % 8]);
    }
    s
}

/// The pies: `name  ████████  1,234 (82.1 %)`, one line per slice, `others` last. A full bar
/// is the whole total, so the bars compare like the wedges they stand for.
fn bars(out: &mut String, graph: &Graph, texts: &Texts, width: u32, color: bool) {
    let entries = view::slice_entries(graph, texts);
    let counts: Vec<String> = entries.iter().map(|e| view::thousands(e.count)).collect();
    let shares: Vec<String> = entries
        .iter()
        .map(|e| format!("({})", view::percent(e.share)))
        .collect();
    let count_w = counts.iter().map(|c| columns(c)).max().unwrap_or(0);
    let share_w = shares.iter().map(|c| columns(c)).max().unwrap_or(0);
    // Long names (domains) must leave a bar of at least 10 columns.
    let fixed = count_w + share_w + 5;
    let name_cap = (width as usize).saturating_sub(fixed + 10).max(8);
    let name_w = entries
        .iter()
        .map(|e| columns(&e.name))
        .max()
        .unwrap_or(0)
        .min(name_cap);
    let bar_w = (width as usize).saturating_sub(name_w + fixed).max(10);
    for ((e, count), share) in entries.iter().zip(&counts).zip(&shares) {
        let name = pad(&cut(&e.name, name_w), name_w);
        let b = bar(e.share, bar_w);
        let gap = " ".repeat(bar_w - columns(&b));
        out.push_str(&format!(
            "{name}  {}{gap}  {count:>count_w$} {share:>share_w$}\n",
            paint(&b, e.color, color),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_proportional_with_eighths() {
        assert_eq!(bar(1.0, 10), "██████████");
        assert_eq!(bar(0.5, 10), "█████");
        assert_eq!(bar(0.0, 10), "");
        // 1/80 of ten columns is one eighth; anything above zero shows.
        assert_eq!(bar(0.0125, 10), "▏");
        assert_eq!(bar(0.000_01, 10), "▏");
        assert_eq!(bar(0.55, 10), "█████▌");
        for share in [0.0, 0.1, 0.333, 0.5, 0.999, 1.0] {
            assert!(columns(&bar(share, 20)) <= 20);
        }
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(columns("配信成功"), 8);
        assert_eq!(pad("配信成功", 10), "配信成功  ");
        assert_eq!(pad("queued", 8), "queued  ");
        assert_eq!(cut("ユーザ不明 (2)", 8), "ユーザ…");
        assert_eq!(cut("ユーザ不明 (2)", 9), "ユーザ不…");
        assert_eq!(cut("abcdef", 4), "abc…");
        assert_eq!(cut("abc", 4), "abc");
    }

    #[test]
    fn paint_only_with_color() {
        assert_eq!(paint("━━", (1, 2, 3), false), "━━");
        assert_eq!(paint("━━", (1, 2, 3), true), "\x1b[38;2;1;2;3m━━\x1b[0m");
    }
}
