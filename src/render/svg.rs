//! SVG output through plotters' `SVGBackend`, which writes into a String
//! and escapes all text.
//!
//! The backend works in the same sub-pixel units as the PNG canvas, so one
//! layout serves both formats; its `viewBox` maps those units back, and the
//! `width`/`height` attributes are rewritten to the chart's CSS size, which
//! is how a browser sizes an SVG whatever the device pixel ratio.

use super::painter::SUBPIXELS;
use super::RenderError;
use crate::chart::spec::Output;
use plotters::backend::SVGBackend;
use plotters_backend::DrawingBackend;

/// Draws with `draw` onto an SVG canvas for `out` and returns the document.
pub(crate) fn render(
    out: &Output,
    draw: impl FnOnce(&mut SVGBackend) -> Result<(), RenderError>,
) -> Result<String, RenderError> {
    let (pw, ph) = out.pixel_size();
    let units = (pw.saturating_mul(SUBPIXELS), ph.saturating_mul(SUBPIXELS));
    let mut doc = String::new();
    {
        let mut be = SVGBackend::with_string(&mut doc, units);
        draw(&mut be)?;
        be.present()
            .map_err(|e| RenderError::Invalid(format!("SVG output failed: {e}")))?;
    }
    Ok(resize(&doc, out.width.max(1), out.height.max(1)))
}

/// Replaces the size attributes plotters writes before `viewBox`.
fn resize(doc: &str, w: u32, h: u32) -> String {
    match doc.find(" viewBox=") {
        Some(i) if doc.starts_with("<svg ") => {
            format!("<svg width=\"{w}\" height=\"{h}\"{}", &doc[i..])
        }
        _ => doc.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_attributes_are_css_pixels() {
        let doc =
            "<svg width=\"4000\" height=\"2400\" viewBox=\"0 0 4000 2400\" xmlns=\"x\">\n</svg>\n";
        assert_eq!(
            resize(doc, 500, 300),
            "<svg width=\"500\" height=\"300\" viewBox=\"0 0 4000 2400\" xmlns=\"x\">\n</svg>\n"
        );
    }
}
