//! Color glyphs: the bitmaps of a CBDT or sbix font (Noto Color Emoji's
//! emoji are 136×128 PNGs in one 109 ppem strike), decoded and drawn scaled
//! through a transform, for both renderers.
//!
//! Scaling a 109-pixel emoji to a 12-pixel label in one bilinear step reads
//! one source pixel in nine and aliases. Skia samples such bitmaps from
//! mipmaps; here the strike is halved (a 2×2 box filter, as a mip level is
//! made) until at most a 2× step is left, then drawn bilinear.

use super::{face, FontId};
use rustybuzz::ttf_parser::{GlyphId, RasterImageFormat};
use std::borrow::Cow;
use tiny_skia::{
    BlendMode, FilterQuality, IntSize, Mask, Pixmap, PixmapMut, PixmapPaint, Rect, Transform,
};

/// Bytes a decoded strike may take: Noto's are 70 KB. A font whose bitmaps
/// are larger is drawn without them rather than costing a render megabytes
/// per glyph.
const MAX_DECODED: usize = 1 << 20;

/// A color glyph's bitmap and where it sits on the line.
pub(crate) struct Bitmap {
    /// Premultiplied, as tiny-skia draws.
    pixmap: Pixmap,
    /// From the bitmap's pixels to ems of the line: origin at the pen on
    /// the baseline, y down.
    place: Transform,
}

impl Bitmap {
    /// The bitmap's corners through `t` (ems of the line to device pixels):
    /// the device pixels it may touch.
    pub(crate) fn bounds(&self, t: Transform) -> Option<Rect> {
        let (w, h) = (self.pixmap.width() as f32, self.pixmap.height() as f32);
        let mut corners =
            [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)].map(|(x, y)| tiny_skia::Point::from_xy(x, y));
        t.pre_concat(self.place).map_points(&mut corners);
        Rect::from_points(&corners)
    }

    /// Draws the bitmap through `t` (ems of the line to device pixels) at
    /// `opacity`, inside `clip`.
    pub(crate) fn draw(
        &self,
        t: Transform,
        dst: &mut PixmapMut,
        opacity: f32,
        clip: Option<&Mask>,
    ) {
        let full = t.pre_concat(self.place);
        // Device pixels per bitmap pixel, by area: the step left to scale.
        let mut step = (full.sx * full.sy - full.kx * full.ky).abs().sqrt();
        let mut src = Cow::Borrowed(&self.pixmap);
        while step < 0.5 && src.width() > 1 && src.height() > 1 {
            src = Cow::Owned(halve(&src));
            step *= 2.0;
        }
        let to_src = full.pre_scale(
            self.pixmap.width() as f32 / src.width() as f32,
            self.pixmap.height() as f32 / src.height() as f32,
        );
        let paint = PixmapPaint {
            opacity,
            blend_mode: BlendMode::SourceOver,
            quality: FilterQuality::Bilinear,
        };
        let src: &Pixmap = &src;
        dst.draw_pixmap(0, 0, src.as_ref(), &paint, to_src, clip);
    }
}

/// Draws color glyphs, each through its transform, at `opacity` inside
/// `clip`: what a line of text with emoji adds after its outlines.
pub(crate) fn draw_all(
    glyphs: &[(Bitmap, Transform)],
    dst: &mut PixmapMut,
    opacity: f32,
    clip: Option<&Mask>,
) {
    for (bitmap, t) in glyphs {
        bitmap.draw(*t, dst, opacity, clip);
    }
}

/// The color bitmap of `glyph` in face `font`, decoded; `None` for faces
/// with outlines, glyphs without a bitmap, and bitmaps that are not PNG.
pub(crate) fn bitmap(font: FontId, glyph: u16) -> Option<Bitmap> {
    let f = face(font);
    if !f.color {
        return None;
    }
    let image = f.tables.glyph_raster_image(GlyphId(glyph), u16::MAX)?;
    if image.format != RasterImageFormat::PNG || image.pixels_per_em == 0 {
        return None;
    }
    let pixmap = decode(image.data)?;
    let k = 1.0 / f32::from(image.pixels_per_em);
    // `y` is the bitmap's bottom edge above the baseline, in strike pixels.
    let top = f32::from(image.y) + f32::from(image.height);
    let place = Transform::from_row(k, 0.0, 0.0, k, f32::from(image.x) * k, -top * k);
    Some(Bitmap { pixmap, place })
}

/// A PNG as a premultiplied pixmap.
fn decode(data: &[u8]) -> Option<Pixmap> {
    let mut decoder = png::Decoder::new_with_limits(data, png::Limits { bytes: MAX_DECODED });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).ok()?;
    let (w, h) = (info.width, info.height);
    let channels = info.color_type.samples();
    let mut rgba = Vec::with_capacity(w as usize * h as usize * 4);
    for px in buf[..info.buffer_size()].chunks_exact(channels) {
        let (rgb, a) = match *px {
            [g] => ([g; 3], 255),
            [g, a] => ([g; 3], a),
            [r, g, b] => ([r, g, b], 255),
            [r, g, b, a] => ([r, g, b], a),
            _ => return None,
        };
        let pre = |v: u8| ((u32::from(v) * u32::from(a) + 127) / 255) as u8;
        rgba.extend([pre(rgb[0]), pre(rgb[1]), pre(rgb[2]), a]);
    }
    Pixmap::from_vec(rgba, IntSize::from_wh(w, h)?)
}

/// One mip level down: each pixel the mean of a 2×2 block (edge pixels
/// repeated when a side is odd).
fn halve(src: &Pixmap) -> Pixmap {
    let (w, h) = (src.width(), src.height());
    let (hw, hh) = (w.div_ceil(2), h.div_ceil(2));
    let data = src.data();
    let at = |x: u32, y: u32, c: usize| {
        u32::from(data[(y.min(h - 1) * w + x.min(w - 1)) as usize * 4 + c])
    };
    let mut out = Vec::with_capacity((hw * hh * 4) as usize);
    for y in 0..hh {
        for x in 0..hw {
            for c in 0..4 {
                let (x2, y2) = (2 * x, 2 * y);
                let sum =
                    at(x2, y2, c) + at(x2 + 1, y2, c) + at(x2, y2 + 1, c) + at(x2 + 1, y2 + 1, c);
                out.push(((sum + 2) / 4) as u8);
            }
        }
    }
    IntSize::from_wh(hw, hh)
        .and_then(|size| Pixmap::from_vec(out, size))
        .unwrap_or_else(|| src.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut e = png::Encoder::new(&mut out, width, height);
        e.set_color(png::ColorType::Rgba);
        e.set_depth(png::BitDepth::Eight);
        e.write_header().unwrap().write_image_data(rgba).unwrap();
        out
    }

    #[test]
    fn bitmaps_decode_premultiplied() {
        let pixmap = decode(&png_of(2, 1, &[255, 0, 0, 255, 255, 255, 255, 128])).unwrap();
        assert_eq!(pixmap.data(), &[255, 0, 0, 255, 128, 128, 128, 128]);
        assert!(decode(b"not a png").is_none());
    }

    #[test]
    fn a_mip_level_averages_blocks_and_keeps_odd_edges() {
        let mut src = Pixmap::new(3, 2).unwrap();
        for (i, px) in src.data_mut().chunks_exact_mut(4).enumerate() {
            let v = if i % 3 == 0 { 200 } else { 100 };
            px.copy_from_slice(&[v, v, v, 255]);
        }
        let half = halve(&src);
        assert_eq!((half.width(), half.height()), (2, 1));
        // (200 + 100 + 200 + 100) / 4, and the odd column with itself.
        assert_eq!(&half.data()[..4], &[150, 150, 150, 255]);
        assert_eq!(&half.data()[4..], &[100, 100, 100, 255]);
    }
}
