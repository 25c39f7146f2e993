//! Text on the bitmap, placed glyph by glyph from the font's own metrics.
//!
//! plotters 0.3.7 rasterises ab_glyph text itself, but aligns every glyph by its own bounding
//! box and drops the side bearings: at chart sizes (12–13 px) periods and commas float half
//! way up the line ("gmail·com", "1·234") and letters drift apart. This backend wraps the
//! bitmap one, passes every other call through, and draws text the usual way: glyphs on a
//! common baseline at their advance (with kerning), each outline at its positioned bounds.
//! The text box is the one plotters estimates for layout (advance width × size / 1.24), with
//! capitals centred in it, so labels sit where the layout expects them.
//!
//! A Japanese SVG uses the same wrapper to measure only ([`Glyphs::measuring`]): plotters
//! would measure with DejaVu Sans, whose missing CJK glyphs are narrower than the ones a
//! viewer draws, and the legend's box would cut the names.

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};

/// A backend that draws text with `font` and everything else with `inner`.
pub struct Glyphs<B> {
    inner: B,
    font: FontRef<'static>,
    /// Whether text is drawn here; else only measured here and drawn by `inner`.
    draws: bool,
}

impl<B> Glyphs<B> {
    /// Wraps `inner` to draw and measure text with `font`.
    pub fn new(inner: B, font: FontRef<'static>) -> Self {
        Glyphs {
            inner,
            font,
            draws: true,
        }
    }

    /// Wraps `inner` to measure text with `font`; `inner` still writes it (an SVG's `<text>`).
    pub fn measuring(inner: B, font: FontRef<'static>) -> Self {
        Glyphs {
            inner,
            font,
            draws: false,
        }
    }
}

/// Where a string's glyphs go, relative to the top left of its text box.
struct Layout {
    glyphs: Vec<ab_glyph::Glyph>,
    width: f32,
    height: f32,
}

fn layout(font: &FontRef<'static>, size: f64, text: &str) -> Layout {
    let scale = PxScale::from(size as f32);
    let scaled = font.as_scaled(scale);
    let height = (size / 1.24) as f32;
    // Capitals centred in the box: their top is the baseline minus the cap height.
    let cap = font
        .outline_glyph(scaled.scaled_glyph('H'))
        .map_or(height * 0.75, |o| o.px_bounds().height());
    let baseline = (height + cap) / 2.0;
    let mut glyphs = Vec::with_capacity(text.len());
    let mut x = 0.0;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(p) = prev {
            x += scaled.kern(p, id);
        }
        glyphs.push(id.with_scale_and_position(scale, point(x, baseline)));
        x += scaled.h_advance(id);
        prev = Some(id);
    }
    Layout {
        glyphs,
        width: x,
        height,
    }
}

impl<B: DrawingBackend> DrawingBackend for Glyphs<B> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.fill_polygon(vert, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.blit_bitmap(pos, size, src)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let l = layout(&self.font, style.size(), text);
        Ok((l.width.round() as u32, l.height.round() as u32))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        if !self.draws {
            return self.inner.draw_text(text, style, pos);
        }
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let l = layout(&self.font, style.size(), text);
        let dx = match style.anchor().h_pos {
            HPos::Left => 0.0,
            HPos::Center => -l.width / 2.0,
            HPos::Right => -l.width,
        };
        let dy = match style.anchor().v_pos {
            VPos::Top => 0.0,
            VPos::Center => -l.height / 2.0,
            VPos::Bottom => -l.height,
        };
        let transform = style.transform();
        let mut result = Ok(());
        for glyph in l.glyphs {
            let Some(outline) = self.font.outline_glyph(glyph) else {
                continue; // a space
            };
            let bounds = outline.px_bounds();
            outline.draw(|gx, gy, coverage| {
                if result.is_err() || coverage <= 0.0 {
                    return;
                }
                let x = (bounds.min.x + dx).round() as i32 + gx as i32;
                let y = (bounds.min.y + dy).round() as i32 + gy as i32;
                let (x, y) = transform.transform(x, y);
                let pixel = BackendColor {
                    alpha: color.alpha * f64::from(coverage.min(1.0)),
                    rgb: color.rgb,
                };
                result = self.inner.draw_pixel((pos.0 + x, pos.1 + y), pixel);
            });
            if result.is_err() {
                break;
            }
        }
        result
    }
}
