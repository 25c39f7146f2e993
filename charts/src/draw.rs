//! The image charts, for any plotters backend (SVG and bitmap draw the same picture).
//!
//! Layout: a header with the title and, under it, what is counted, the time zone and the
//! total; below, either the delivery line chart (bucket labels on the time axis, counts on
//! the other, a legend with each status's total) or a pie beside its legend (colour, name,
//! count, share). A graph with nothing counted keeps the header and axes and says "no data".

use hikyaku_rpc::types::stats::{Graph, GraphKind};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::font::FAMILY;
use crate::texts::{fill, Texts};
use crate::view::{self, Rgb, SliceEntry};
use crate::ChartError;

type Area<DB> = DrawingArea<DB, Shift>;

/// Maps a plotters error to ours.
pub fn failed(e: impl std::fmt::Display) -> ChartError {
    ChartError::Draw(e.to_string())
}

fn rgb((r, g, b): Rgb) -> RGBColor {
    RGBColor(r, g, b)
}

/// Text sizes and spacing, proportional to the picture (720×360 is the reference).
#[derive(Debug, Clone, Copy)]
struct Scale(f64);

impl Scale {
    fn of((w, h): (u32, u32)) -> Self {
        Scale((f64::from(w.min(2 * h)) / 720.0).clamp(0.5, 4.0))
    }

    fn px(self, at_reference: f64) -> f64 {
        at_reference * self.0
    }

    fn i(self, at_reference: f64) -> i32 {
        self.px(at_reference).round() as i32
    }

    fn u(self, at_reference: f64) -> u32 {
        self.px(at_reference).round().max(1.0) as u32
    }
}

fn text_style(size: f64, color: &RGBColor, h: HPos, v: VPos) -> TextStyle<'static> {
    let mut style = TextStyle::from((FAMILY, size).into_font()).pos(Pos::new(h, v));
    style.color = color.to_backend_color();
    style
}

/// Draws the whole chart on `root`.
pub fn chart<DB: DrawingBackend>(
    root: &Area<DB>,
    graph: &Graph,
    texts: &Texts,
) -> Result<(), ChartError> {
    root.fill(&WHITE).map_err(failed)?;
    let s = Scale::of(root.dim_in_pixel());
    let (header, body) = root.split_vertically(s.i(58.0));
    header
        .draw(&Text::new(
            view::title(graph, texts),
            (s.i(12.0), s.i(8.0)),
            text_style(s.px(20.0), &BLACK, HPos::Left, VPos::Top),
        ))
        .map_err(failed)?;
    header
        .draw(&Text::new(
            view::subtitle(graph, texts),
            (s.i(12.0), s.i(34.0)),
            text_style(s.px(13.0), &RGBColor(80, 80, 80), HPos::Left, VPos::Top),
        ))
        .map_err(failed)?;
    match graph.kind {
        GraphKind::Delivery => lines(&body, graph, texts, s),
        GraphKind::Error | GraphKind::Domain => pie(&body, graph, texts, s),
    }
}

fn no_data<DB: DrawingBackend>(area: &Area<DB>, texts: &Texts, s: Scale) -> Result<(), ChartError> {
    let (w, h) = area.dim_in_pixel();
    area.draw(&Text::new(
        texts.no_data.as_str(),
        (w as i32 / 2, h as i32 / 2),
        text_style(
            s.px(22.0),
            &RGBColor(120, 120, 120),
            HPos::Center,
            VPos::Center,
        ),
    ))
    .map_err(failed)
}

/// The delivery graph: one line per status over the buckets.
fn lines<DB: DrawingBackend>(
    area: &Area<DB>,
    graph: &Graph,
    texts: &Texts,
    s: Scale,
) -> Result<(), ChartError> {
    let n = graph.buckets.len();
    let peak = view::peak(graph);
    // Headroom above the highest point so the top line stays off the frame.
    let y_top = (peak + (peak / 10).max(1)).max(1);
    let x_last = n.saturating_sub(1).max(1);
    let mut chart = ChartBuilder::on(area)
        .margin_left(s.i(12.0))
        .margin_right(s.i(20.0))
        .margin_bottom(s.i(8.0))
        .margin_top(s.i(4.0))
        .x_label_area_size(s.u(44.0))
        .y_label_area_size(s.u(64.0))
        .build_cartesian_2d(0usize..x_last, 0u64..y_top)
        .map_err(failed)?;
    let (w, _) = area.dim_in_pixel();
    let tick = |i: &usize| {
        graph
            .buckets
            .get(*i)
            .map(|b| view::short_bucket(b))
            .unwrap_or_default()
    };
    let count = |v: &u64| view::thousands(*v);
    let label_font = (FAMILY, s.px(12.0));
    chart
        .configure_mesh()
        .x_labels((w as usize / s.u(110.0) as usize).clamp(2, n.max(2)))
        .y_labels(6)
        .x_label_formatter(&tick)
        .y_label_formatter(&count)
        .x_desc(fill(&texts.time_axis, &[&graph.time_zone]))
        .y_desc(texts.count_axis.as_str())
        .label_style(label_font)
        .axis_desc_style((FAMILY, s.px(13.0)))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
        .draw()
        .map_err(failed)?;
    if graph.total == 0 {
        return no_data(&chart.plotting_area().strip_coord_spec(), texts, s);
    }
    let width = s.u(2.0);
    for entry in view::series_entries(graph, texts) {
        let color = rgb(entry.color);
        let points: Vec<(usize, u64)> = entry.values.iter().copied().enumerate().collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(width)))
            .map_err(failed)?
            .label(format!("{} ({})", entry.name, view::thousands(entry.total)))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width))
            });
        // A single bucket is a point, not a line: mark it.
        if points.len() == 1 {
            chart
                .draw_series(
                    points
                        .iter()
                        .map(|p| Circle::new(*p, s.u(4.0), color.filled())),
                )
                .map_err(failed)?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(label_font)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .draw()
        .map_err(failed)
}

/// The error and domain graphs: a pie with its legend on the right.
fn pie<DB: DrawingBackend>(
    area: &Area<DB>,
    graph: &Graph,
    texts: &Texts,
    s: Scale,
) -> Result<(), ChartError> {
    let (w, _) = area.dim_in_pixel();
    let (left, right) = area.split_horizontally(w * 45 / 100);
    let entries = view::slice_entries(graph, texts);
    if graph.total == 0 || entries.iter().all(|e| e.count == 0) {
        return no_data(area, texts, s);
    }
    let (lw, lh) = left.dim_in_pixel();
    let (x0, y0) = left.get_base_pixel();
    let center = (x0 + lw as i32 / 2, y0 + lh as i32 / 2);
    let radius = f64::from(lw.min(lh)) * 0.36;
    let sizes: Vec<f64> = entries.iter().map(|e| e.count as f64).collect();
    let colors: Vec<RGBColor> = entries.iter().map(|e| rgb(e.color)).collect();
    // Shares written beside the wedges big enough to carry them; the legend has them all.
    let labels: Vec<String> = entries
        .iter()
        .map(|e| {
            if e.share >= 0.04 {
                view::percent(e.share)
            } else {
                String::new()
            }
        })
        .collect();
    let mut pie = Pie::new(&center, &radius, &sizes, &colors, &labels);
    pie.start_angle(-90.0);
    pie.label_style((FAMILY, s.px(12.0)).into_font().color(&BLACK));
    pie.label_offset(s.px(6.0));
    left.draw(&pie).map_err(failed)?;
    legend(&right, &entries, texts, s)
}

/// Legend lines `■ name  1,234 (82.1 %)`; when they cannot all fit, the last lines give the
/// number left out and `others`, which always shows.
fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    entries: &[SliceEntry],
    texts: &Texts,
    s: Scale,
) -> Result<(), ChartError> {
    let (_, h) = area.dim_in_pixel();
    let line = s.px(20.0);
    let fits = ((f64::from(h) - s.px(16.0)) / line).floor().max(1.0) as usize;
    let shown: Vec<Option<&SliceEntry>> = if entries.len() <= fits {
        entries.iter().map(Some).collect()
    } else {
        let keep_last = usize::from(entries.last().is_some_and(|e| e.others));
        let head = fits.saturating_sub(1 + keep_last);
        let mut v: Vec<Option<&SliceEntry>> = entries[..head].iter().map(Some).collect();
        v.push(None);
        if keep_last == 1 {
            v.extend(entries.last().map(Some));
        }
        v
    };
    let hidden = entries.len() - shown.iter().flatten().count();
    let top = (f64::from(h) - line * shown.len() as f64).max(0.0) / 2.0;
    let box_side = s.i(12.0);
    for (i, entry) in shown.iter().enumerate() {
        let y = (top + line * i as f64 + line / 2.0).round() as i32;
        let x = s.i(8.0);
        let text = match entry {
            Some(e) => {
                area.draw(&Rectangle::new(
                    [(x, y - box_side / 2), (x + box_side, y + box_side / 2)],
                    rgb(e.color).filled(),
                ))
                .map_err(failed)?;
                format!(
                    "{}  {} ({})",
                    e.name,
                    view::thousands(e.count),
                    view::percent(e.share)
                )
            }
            None => fill(&texts.more, &[&hidden.to_string()]),
        };
        area.draw(&Text::new(
            text,
            (x + box_side + s.i(8.0), y),
            text_style(s.px(13.0), &BLACK, HPos::Left, VPos::Center),
        ))
        .map_err(failed)?;
    }
    Ok(())
}
