//! PNG encoding tuned for charts: few colors, large flat areas.
//!
//! A chart rarely has more than 256 distinct RGBA values, so it is written
//! as an indexed PNG (1, 2, 4 or 8 bits per pixel, with `tRNS` for alpha)
//! when it can be, else as RGBA (RGB when fully opaque). Pixels are
//! demultiplied from tiny-skia's premultiplied storage; a palette needs
//! only its ≤ 256 entries demultiplied.
//!
//! Measured on the reference chart (800×400, 1000-point line, transparent
//! background; release build, this 2-core machine), median of 200 runs:
//! MEASUREMENTS

use super::RenderError;
use png::{AdaptiveFilterType, BitDepth, ColorType, Compression, Encoder, FilterType};
use std::borrow::Cow;
use std::collections::HashMap;
use tiny_skia::Pixmap;

/// How to encode; `CHOSEN` is what measurement picked.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings {
    pub(crate) compression: Compression,
    pub(crate) filter: FilterType,
    pub(crate) adaptive: bool,
    /// Try an indexed PNG first.
    pub(crate) palette: bool,
}

pub(crate) const CHOSEN: Settings = Settings {
    compression: Compression::Fast,
    filter: FilterType::Paeth,
    adaptive: false,
    palette: true,
};

/// Encodes `pixmap` as PNG with the chosen settings.
pub(crate) fn png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    png_with(pixmap, CHOSEN)
}

pub(crate) fn png_with(pixmap: &Pixmap, s: Settings) -> Result<Vec<u8>, RenderError> {
    let (w, h) = (pixmap.width(), pixmap.height());
    if s.palette {
        if let Some((colors, pixels)) = census(pixmap.data()).and_then(|c| c.indexed()) {
            return indexed(w, h, &colors, &pixels, s);
        }
    }
    truecolor(w, h, pixmap.data(), s)
}

/// Images with more distinct colors than this are not worth indexing.
const MAX_DISTINCT: usize = 4096;
/// Colors this common are kept exact when the palette has to be reduced:
/// they are the spec's own colors and the background.
const POPULAR: usize = 32;
/// The most low bits a reduced palette drops from a channel.
const MAX_DROP_BITS: u32 = 5;

/// The distinct colors of an image and which one each pixel is.
struct Census {
    /// Premultiplied RGBA, in order of first appearance.
    colors: Vec<u32>,
    counts: Vec<u32>,
    ids: Vec<u16>,
}

/// Counts the colors of `data` (premultiplied RGBA); `None` past
/// `MAX_DISTINCT`. Runs of one color, the bulk of a chart, skip the hash.
fn census(data: &[u8]) -> Option<Census> {
    const SLOTS: usize = MAX_DISTINCT * 2;
    const EMPTY: u16 = u16::MAX;
    let mut keys = vec![0u32; SLOTS];
    let mut vals = vec![EMPTY; SLOTS];
    let mut colors = Vec::new();
    let mut counts: Vec<u32> = Vec::new();
    let mut ids = vec![0u16; data.len() / 4];
    let color = |px: &[u8]| u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
    let mut last = !data.get(..4).map_or(0, color);
    let mut last_id = 0u16;
    for (out, px) in ids.iter_mut().zip(data.chunks_exact(4)) {
        let c = color(px);
        if c != last {
            let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 19) as usize % SLOTS;
            while vals[slot] != EMPTY && keys[slot] != c {
                slot = (slot + 1) % SLOTS;
            }
            if vals[slot] == EMPTY {
                if colors.len() == MAX_DISTINCT {
                    return None;
                }
                vals[slot] = colors.len() as u16;
                keys[slot] = c;
                colors.push(c);
                counts.push(0);
            }
            last = c;
            last_id = vals[slot];
        }
        counts[usize::from(last_id)] += 1;
        *out = last_id;
    }
    Some(Census {
        colors,
        counts,
        ids,
    })
}

impl Census {
    /// A palette of at most 256 straight-alpha colors and the image as
    /// indices into it: exact when the image has few enough colors, else
    /// with the rare colors (antialiased edges) rounded to fewer bits.
    fn indexed(&self) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
        let lut = |(palette, lut): (Vec<[u8; 4]>, Vec<u8>)| {
            let pixels = self.ids.iter().map(|&id| lut[usize::from(id)]).collect();
            (palette, pixels)
        };
        let straight: Vec<[u8; 4]> = self
            .colors
            .iter()
            .map(|c| demultiply(c.to_le_bytes()))
            .collect();
        if straight.len() <= 256 {
            let ids = (0..straight.len()).map(|i| i as u8).collect();
            return Some(lut((straight, ids)));
        }
        let mut by_use: Vec<usize> = (0..straight.len()).collect();
        by_use.sort_by_key(|&i| std::cmp::Reverse(self.counts[i]));
        let mut exact = vec![false; straight.len()];
        by_use.iter().take(POPULAR).for_each(|&i| exact[i] = true);
        (1..=MAX_DROP_BITS)
            .find_map(|bits| reduce(&straight, &exact, bits))
            .map(lut)
    }
}

/// The palette with non-`exact` colors rounded to multiples of 2^`bits`,
/// and each color's index in it; `None` if that still leaves over 256.
fn reduce(straight: &[[u8; 4]], exact: &[bool], bits: u32) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
    let round = |v: u8| ((u32::from(v) + (1 << (bits - 1))) >> bits << bits).min(255) as u8;
    let mut palette: Vec<[u8; 4]> = Vec::with_capacity(256);
    let mut index: HashMap<[u8; 4], u8> = HashMap::with_capacity(512);
    let mut lut = Vec::with_capacity(straight.len());
    for (c, &keep) in straight.iter().zip(exact) {
        let q = if keep { *c } else { c.map(round) };
        let q = if q[3] == 0 { [0; 4] } else { q };
        let i = match index.get(&q) {
            Some(&i) => i,
            None if palette.len() == 256 => return None,
            None => {
                palette.push(q);
                index.insert(q, (palette.len() - 1) as u8);
                (palette.len() - 1) as u8
            }
        };
        lut.push(i);
    }
    Some((palette, lut))
}

fn demultiply(c: [u8; 4]) -> [u8; 4] {
    let a = u32::from(c[3]);
    if a == 0 {
        return [0; 4];
    }
    let d = |v: u8| ((u32::from(v) * 255 + a / 2) / a).min(255) as u8;
    [d(c[0]), d(c[1]), d(c[2]), c[3]]
}

fn indexed(
    w: u32,
    h: u32,
    colors: &[[u8; 4]],
    pixels: &[u8],
    s: Settings,
) -> Result<Vec<u8>, RenderError> {
    let plte: Vec<u8> = colors.iter().flat_map(|c| [c[0], c[1], c[2]]).collect();
    let last_clear = colors.iter().rposition(|c| c[3] < 255);
    let trns: Vec<u8> =
        last_clear.map_or(Vec::new(), |n| colors[..=n].iter().map(|c| c[3]).collect());
    let depth = match colors.len() {
        0..=2 => BitDepth::One,
        3..=4 => BitDepth::Two,
        5..=16 => BitDepth::Four,
        _ => BitDepth::Eight,
    };
    let data = pack(pixels, w as usize, depth as u8);
    write(
        w,
        h,
        ColorType::Indexed,
        depth,
        Some((plte, trns)),
        &data,
        s,
    )
}

/// Packs one index per byte into rows of `bits`-bit indices.
fn pack(pixels: &[u8], w: usize, bits: u8) -> Cow<'_, [u8]> {
    if bits == 8 || w == 0 {
        return Cow::Borrowed(pixels);
    }
    let per = usize::from(8 / bits);
    let row_bytes = w.div_ceil(per);
    let mut out = vec![0u8; row_bytes * (pixels.len() / w)];
    for (row, dst) in pixels.chunks_exact(w).zip(out.chunks_exact_mut(row_bytes)) {
        for (i, &p) in row.iter().enumerate() {
            let shift = 8 - bits as usize * (i % per + 1);
            dst[i / per] |= p << shift;
        }
    }
    Cow::Owned(out)
}

fn truecolor(w: u32, h: u32, data: &[u8], s: Settings) -> Result<Vec<u8>, RenderError> {
    let opaque = data.chunks_exact(4).all(|p| p[3] == 255);
    if opaque {
        let rgb: Vec<u8> = data
            .chunks_exact(4)
            .flat_map(|p| [p[0], p[1], p[2]])
            .collect();
        return write(w, h, ColorType::Rgb, BitDepth::Eight, None, &rgb, s);
    }
    let rgba: Vec<u8> = data
        .chunks_exact(4)
        .flat_map(|p| demultiply([p[0], p[1], p[2], p[3]]))
        .collect();
    write(w, h, ColorType::Rgba, BitDepth::Eight, None, &rgba, s)
}

type Palette = Option<(Vec<u8>, Vec<u8>)>;

fn write(
    w: u32,
    h: u32,
    color: ColorType,
    depth: BitDepth,
    palette: Palette,
    data: &[u8],
    s: Settings,
) -> Result<Vec<u8>, RenderError> {
    let fail = |e: png::EncodingError| RenderError::Invalid(format!("PNG encoding failed: {e}"));
    let mut out = Vec::with_capacity(data.len() / 16 + 1024);
    let mut e = Encoder::new(&mut out, w, h);
    e.set_color(color);
    e.set_depth(depth);
    if let Some((plte, trns)) = palette {
        e.set_palette(plte);
        if !trns.is_empty() {
            e.set_trns(trns);
        }
    }
    e.set_compression(s.compression);
    e.set_filter(s.filter);
    e.set_adaptive_filter(if s.adaptive {
        AdaptiveFilterType::Adaptive
    } else {
        AdaptiveFilterType::NonAdaptive
    });
    let mut writer = e.write_header().map_err(fail)?;
    writer.write_image_data(data).map_err(fail)?;
    writer.finish().map_err(fail)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> (png::OutputInfo, Vec<u8>) {
        let mut d = png::Decoder::new(bytes);
        d.set_transformations(png::Transformations::EXPAND);
        let mut r = d.read_info().unwrap();
        let mut buf = vec![0; r.output_buffer_size()];
        let info = r.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info, buf)
    }

    fn pixmap(colors: &[[u8; 4]], w: u32, h: u32) -> Pixmap {
        let mut p = Pixmap::new(w, h).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            px.copy_from_slice(&colors[i % colors.len()]);
        }
        p
    }

    #[test]
    fn few_colors_make_a_small_indexed_png_that_round_trips() {
        let colors = [[0, 0, 0, 0], [27, 27, 27, 128], [255, 0, 0, 255]];
        let bytes = png(&pixmap(&colors, 7, 3)).unwrap();
        let (info, pixels) = decode(&bytes);
        assert_eq!((info.width, info.height), (7, 3));
        assert_eq!(
            &pixels[..12],
            &[0, 0, 0, 0, 54, 54, 54, 128, 255, 0, 0, 255]
        );
        let raw = png::Decoder::new(&bytes[..]).read_info().unwrap();
        assert_eq!(raw.info().color_type, ColorType::Indexed);
        assert_eq!(raw.info().bit_depth, BitDepth::Two);
    }

    #[test]
    fn many_colors_reduce_to_a_close_palette() {
        let colors: Vec<[u8; 4]> = (0..300u32)
            .map(|i| [(i % 256) as u8, (i / 256) as u8 * 40, 0, 255])
            .collect();
        let bytes = png(&pixmap(&colors, 300, 2)).unwrap();
        let raw = png::Decoder::new(&bytes[..]).read_info().unwrap();
        assert_eq!(raw.info().color_type, ColorType::Indexed);
        let (info, pixels) = decode(&bytes);
        assert_eq!(
            info.color_type,
            ColorType::Rgb,
            "opaque palettes need no tRNS"
        );
        for (px, c) in pixels.chunks_exact(3).zip(colors.iter().cycle()) {
            assert!(
                px.iter().zip(c).all(|(a, b)| a.abs_diff(*b) <= 16),
                "{px:?} vs {c:?}"
            );
        }
    }

    #[test]
    fn photographic_images_stay_exact_truecolor() {
        let colors: Vec<[u8; 4]> = (0..5000u32)
            .map(|i| [(i % 256) as u8, (i / 256) as u8, 7, 255])
            .collect();
        let bytes = png(&pixmap(&colors, 5000, 2)).unwrap();
        let (info, pixels) = decode(&bytes);
        assert_eq!(info.color_type, ColorType::Rgb);
        assert_eq!(&pixels[3 * 4999..3 * 5000], &[135, 19, 7]);
    }
}
