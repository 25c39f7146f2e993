//! Charts of `stats.graph` results ([`Graph`]): SVG for pages (the web console inlines
//! [`svg`]), PNG files, and text for the terminal (`hikyaku graph`).
//!
//! Every chart is a pure function of the graph the server sent: nothing is fetched or read at
//! draw time, so a chart can be redrawn from saved JSON. What the charts say (titles, the
//! range in the graph's time zone, legend entries with counts and shares, colours) is decided
//! once in `view`, so the three outputs cannot disagree; `draw` lays it out with plotters for
//! both image backends (`raster` puts the PNG's text on a proper baseline), `terminal` with
//! braille (textplots) and bars.
//!
//! Dependencies are chosen to stay pure Rust with nothing from the system: plotters without
//! its default features (which would bring font-kit, and through it fontconfig and freetype),
//! text measured and rasterised by ab_glyph from DejaVu Sans shipped in `fonts/` (licence in
//! `fonts/LICENSE-DejaVu.txt`), the bitmap encoded by the `png` crate in memory. The SVG names
//! `sans-serif` and embeds nothing, so it is self-contained and takes the page's fonts.
//!
//! The words are the caller's ([`Texts`]): [`svg`], [`png`] and [`terminal`] speak the
//! product's English (error statuses named by the server's `label`), the `*_with` variants
//! whatever the caller passes, such as `hikyaku graph`'s Japanese for an account in `ja`.
//! DejaVu Sans has no Japanese, so Japanese texts ([`Face::Japanese`]) are drawn in the PNG
//! with a subset of Noto Sans CJK JP shipped in `fonts/` (SIL Open Font License 1.1, in
//! `fonts/LICENSE-NotoSansCJK.txt`): Noto Sans CJK JP Regular 2.004 from Debian's
//! `fonts-noto-cjk`, cut by `fonts/make-subset.sh` (fontTools' `pyftsubset`) to the
//! characters of the CLI's Japanese graph, status and error-status names plus ASCII and the
//! charts' punctuation; some 25 KB instead of a 19 MB collection. [`missing_glyphs`] says what
//! a face cannot draw, so a caller's test catches a new word the subset lacks.

mod draw;
mod font;
mod raster;
mod terminal;
mod texts;
mod view;

use hikyaku_rpc::types::stats::Graph;
use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};

pub use terminal::{terminal, terminal_with};
pub use texts::{Face, Texts};

/// The characters of `text` the bundled font of `face` cannot draw (spaces aside).
pub fn missing_glyphs(face: Face, text: &str) -> Result<Vec<char>, ChartError> {
    font::missing_glyphs(face, text)
}

/// Smallest and largest width or height of an image chart, in pixels: below, nothing is
/// legible; above, a PNG's buffer (3 bytes a pixel) stops being a reasonable allocation.
pub const SIZE_RANGE: std::ops::RangeInclusive<u32> = 120..=8192;

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The requested size is outside [`SIZE_RANGE`].
    #[error("chart size {width}x{height} is outside 120 to 8192 pixels a side")]
    Size {
        /// Requested width.
        width: u32,
        /// Requested height.
        height: u32,
    },
    /// A bundled font could not be read or registered with plotters.
    #[error("a bundled font (DejaVu Sans or the Noto Sans CJK JP subset) could not be loaded")]
    Font,
    /// plotters failed while drawing.
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    /// The bitmap could not be encoded as PNG.
    #[error("encoding the PNG failed: {0}")]
    Encode(String),
}

fn check_size((width, height): (u32, u32)) -> Result<(), ChartError> {
    if SIZE_RANGE.contains(&width) && SIZE_RANGE.contains(&height) {
        Ok(())
    } else {
        Err(ChartError::Size { width, height })
    }
}

/// The graph as an SVG document of `size` pixels (with `width`, `height` and a `viewBox`, so
/// it scales when inlined in a page). Self-contained: no external fonts, images or URLs.
/// In English; [`svg_with`] takes the texts.
pub fn svg(graph: &Graph, size: (u32, u32)) -> Result<String, ChartError> {
    svg_with(graph, size, &Texts::english())
}

/// [`svg`] in the words of `texts`. The document names `sans-serif` whatever the language
/// (the viewer has Japanese fonts where Japanese is read); Japanese text is measured with
/// the bundled Japanese face so the legend's box fits it.
pub fn svg_with(graph: &Graph, size: (u32, u32), texts: &Texts) -> Result<String, ChartError> {
    check_size(size)?;
    font::ensure()?;
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, size);
        match texts.face {
            Face::Latin => {
                let root = backend.into_drawing_area();
                draw::chart(&root, graph, texts)?;
                root.present().map_err(draw::failed)?;
            }
            Face::Japanese => {
                let face = font::face(texts.face)?;
                let root = raster::Glyphs::measuring(backend, face).into_drawing_area();
                draw::chart(&root, graph, texts)?;
                root.present().map_err(draw::failed)?;
            }
        }
    }
    Ok(out)
}

/// The graph as a PNG image (8-bit RGB) of `size` pixels. In English; [`png_with`] takes the
/// texts.
pub fn png(graph: &Graph, size: (u32, u32)) -> Result<Vec<u8>, ChartError> {
    png_with(graph, size, &Texts::english())
}

/// [`png`] in the words of `texts`, drawn with the bundled font of `texts.face`.
pub fn png_with(graph: &Graph, size: (u32, u32), texts: &Texts) -> Result<Vec<u8>, ChartError> {
    check_size(size)?;
    font::ensure()?;
    let (width, height) = size;
    let mut pixels = vec![0u8; width as usize * height as usize * 3];
    {
        let bitmap = BitMapBackend::with_buffer(&mut pixels, size);
        let root = raster::Glyphs::new(bitmap, font::face(texts.face)?).into_drawing_area();
        draw::chart(&root, graph, texts)?;
        root.present().map_err(draw::failed)?;
    }
    let mut out = Vec::new();
    let mut encoder = ::png::Encoder::new(&mut out, width, height);
    encoder.set_color(::png::ColorType::Rgb);
    encoder.set_depth(::png::BitDepth::Eight);
    let encode = |e: ::png::EncodingError| ChartError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(encode)?;
    writer.write_image_data(&pixels).map_err(encode)?;
    writer.finish().map_err(encode)?;
    Ok(out)
}

#[cfg(test)]
mod tests;
