//! The one font of the image charts.
//!
//! plotters keeps registered fonts in a process-wide table (its API, not a choice made here);
//! registering the same bytes once per process is all this module does. The font is compiled
//! in, so a chart never depends on what the machine has installed.

use std::sync::OnceLock;

use plotters::style::{register_font, FontStyle};

use crate::ChartError;

/// DejaVu Sans (Bitstream Vera licence, `fonts/LICENSE-DejaVu.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

/// The family every text of the charts uses; plotters' own defaults (axis labels, legends)
/// ask for it too, and an SVG reader falls back to its own sans-serif.
pub const FAMILY: &str = "sans-serif";

/// The font for the bitmap's own text drawing (see `raster`).
pub fn face() -> Result<ab_glyph::FontRef<'static>, ChartError> {
    ab_glyph::FontRef::try_from_slice(DEJAVU_SANS).map_err(|_| ChartError::Font)
}

/// Registers the font under [`FAMILY`] the first time it is needed.
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
