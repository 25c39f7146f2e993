//! The fonts of the image charts, compiled in so a chart never depends on what the machine
//! has installed.
//!
//! plotters keeps registered fonts in a process-wide table (its API, not a choice made here);
//! DejaVu Sans is registered there once per process and measures the SVG's English text. The
//! PNG's text, and the measuring of a Japanese SVG's, go through `raster::Glyphs` with the
//! face the texts ask for.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef};
use plotters::style::{register_font, FontStyle};

use crate::texts::Face;
use crate::ChartError;

/// DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// Noto Sans CJK JP cut to the Japanese texts of the charts (SIL OFL 1.1,
/// `fonts/LICENSE-NotoSansCJK.txt`; made by `fonts/make-subset.sh`).
static NOTO_SANS_CJK_JP_SUBSET: &[u8] = include_bytes!("../fonts/NotoSansCJKjp-subset.otf");

/// The family every text of the charts uses; plotters' own defaults (axis labels, legends)
/// ask for it too, and an SVG reader falls back to its own sans-serif.
pub const FAMILY: &str = "sans-serif";

/// The font for the bitmap's own text drawing (see `raster`).
pub fn face(face: Face) -> Result<FontRef<'static>, ChartError> {
    let bytes = match face {
        Face::Latin => DEJAVU_SANS,
        Face::Japanese => NOTO_SANS_CJK_JP_SUBSET,
    };
    FontRef::try_from_slice(bytes).map_err(|_| ChartError::Font)
}

/// The characters of `text` that `face` has no glyph for (spaces and controls aside), in
/// order of first appearance: a PNG would draw them as empty boxes.
pub fn missing_glyphs(face: Face, text: &str) -> Result<Vec<char>, ChartError> {
    let font = self::face(face)?;
    let mut missing = Vec::new();
    for c in text.chars() {
        if !c.is_whitespace() && !c.is_control() && font.glyph_id(c).0 == 0 && !missing.contains(&c)
        {
            missing.push(c);
        }
    }
    Ok(missing)
}

/// Registers DejaVu Sans under [`FAMILY`] the first time it is needed.
pub fn ensure() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        // Bold and italic fall back to the normal face.
        register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}
