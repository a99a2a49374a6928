//! PNG encoding tuned for charts: few colors, large flat areas.
//!
//! Charts are written as indexed PNGs (1, 2, 4 or 8 bits per pixel, alpha in
//! `tRNS`) whenever a palette of at most 256 colors can hold them: exactly
//! when the image has that few colors, else with the 32 most used colors
//! (the spec's own colors, the background, solid text) exact and the rare
//! ones rounded to fewer bits per channel, 1 to 5 low bits as needed. Only
//! antialiased edge pixels, where a few levels of coverage are invisible,
//! lose precision. Images that need more (over 4096 colors, or still over
//! 256 with 5 bits dropped) are written exact as RGBA, or RGB when opaque.
//! Colors are counted in runs of equal pixels, so the flat areas that make
//! up most of a chart cost almost nothing to index.
//!
//! Measured (release build on this 2-core machine, which other builds shared,
//! so compare rows rather than trust the last digit; median encode time and
//! size) on the reference chart (800×400, 1000-point line, transparent) and
//! averaged over the 13 chart families of the benches (500×300 at ratio 2):
//!
//! | encoding                          | reference        | families, mean   | max error |
//! |-----------------------------------|------------------|------------------|-----------|
//! | indexed, no filter, fdeflate      | 0.43 ms, 46.5 KB | 0.57 ms, 182 KB  | 4/255     |
//! | indexed, Sub, fdeflate            | 0.44 ms, 46.8 KB | 0.54 ms, 40.7 KB | 4/255     |
//! | indexed, Up, fdeflate             | 0.39 ms, 34.3 KB | 0.52 ms, 38.9 KB | 4/255     |
//! | **indexed, Paeth, fdeflate**      | 0.42 ms, 21.3 KB | 0.58 ms, 23.5 KB | 4/255     |
//! | indexed, adaptive, fdeflate       | 0.49 ms, 20.0 KB | 0.71 ms, 22.4 KB | 4/255     |
//! | indexed, Paeth, zlib default      | 1.75 ms, 14.7 KB | 5.27 ms, 18.8 KB | 4/255     |
//! | RGBA, no filter, fdeflate         | 0.42 ms, 95.0 KB | 4.21 ms, 597 KB  | exact     |
//! | RGBA, Paeth, fdeflate             | 0.52 ms, 52.0 KB | 1.13 ms, 59.6 KB | exact     |
//! | RGBA, adaptive, fdeflate          | 0.77 ms, 47.1 KB | 1.99 ms, 56.3 KB | exact     |
//! | RGBA, no filter, zlib default     | 8.01 ms, 26.2 KB | 12.8 ms, 33.7 KB | exact     |
//! | RGBA, Paeth, zlib default         | 8.72 ms, 30.5 KB | 14.3 ms, 41.8 KB | exact     |
//!
//! `Compression::Fast` (fdeflate) codes runs and literals only, so the
//! filter decides the size: Paeth turns both horizontal and vertical
//! repeats into zero runs and halves the output for no extra time; adaptive
//! filtering saves another 5% for 20% more time. zlib compresses a third
//! better but takes 4 to 20 times as long, more than drawing the chart
//! (about 0.65 ms for the reference). Indexing quarters the bytes to filter
//! and compress, which is what makes the output both small and fast; the
//! price is at most 4/255 per channel here (16/255 in the worst charts),
//! on edge pixels only.

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

/// For a picture with gradients: no palette, since a ramp of colors is
/// neither few colors nor edge pixels, and rounding it drew bands.
pub(crate) const SMOOTH: Settings = Settings {
    palette: false,
    ..CHOSEN
};

/// Encodes `pixmap` as PNG with the chosen settings.
pub(crate) fn png(pixmap: &Pixmap) -> Result<Vec<u8>, RenderError> {
    png_with(pixmap, CHOSEN)
}

pub(crate) fn png_with(pixmap: &Pixmap, s: Settings) -> Result<Vec<u8>, RenderError> {
    let (w, h) = (pixmap.width(), pixmap.height());
    let data = pixmap.data();
    if s.palette {
        if let Some((colors, pixels)) = census(data).and_then(|c| c.indexed(data)) {
            return indexed(w, h, &colors, &pixels, s);
        }
    }
    truecolor(w, h, data, s)
}

/// Images with more distinct colors than this are not worth indexing.
const MAX_DISTINCT: usize = 4096;
/// Colors this common are kept exact when the palette has to be reduced:
/// they are the spec's own colors and the background.
const POPULAR: usize = 32;
/// The most low bits a reduced palette drops from a channel.
const MAX_DROP_BITS: u32 = 5;

/// Calls `f(color, n)` for each run of `n` equal pixels of `data`
/// (premultiplied RGBA as little-endian words). Charts are mostly long
/// runs, so per-run work is nearly free: runs are skipped over as 64-bit
/// words, eight pixels a step while they last, and a run's end inside a
/// word is found from the word's difference, not by another comparison
/// (the reference chart has 37,000 runs of 8.7 pixels on average, so the
/// branches per run are what this costs).
fn runs(data: &[u8], mut f: impl FnMut(u32, usize)) {
    let end = data.len() - data.len() % 4;
    let word = |i: usize| u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
    let pair = |i: usize| {
        let b: [u8; 8] = data[i..i + 8].try_into().expect("eight bytes");
        u64::from_le_bytes(b)
    };
    let mut i = 0;
    while i < end {
        let c = word(i);
        let cc = u64::from(c) << 32 | u64::from(c);
        let mut j = i + 4;
        while j + 32 <= end
            && pair(j) == cc
            && pair(j + 8) == cc
            && pair(j + 16) == cc
            && pair(j + 24) == cc
        {
            j += 32;
        }
        loop {
            if j + 8 > end {
                if j < end && word(j) == c {
                    j += 4;
                }
                break;
            }
            let differs = pair(j) ^ cc;
            if differs != 0 {
                // The low word is the first pixel: equal when it is zero.
                j += 4 * usize::from(differs as u32 == 0);
                break;
            }
            j += 8;
        }
        f(c, (j - i) / 4);
        i = j;
    }
}

/// Open-addressing map from a color to its id, in order of first sight.
struct Ids {
    keys: Vec<u32>,
    vals: Vec<u16>,
    colors: Vec<u32>,
}

impl Ids {
    const SLOTS: usize = MAX_DISTINCT * 2;
    const EMPTY: u16 = u16::MAX;

    fn new() -> Ids {
        Ids {
            keys: vec![0; Self::SLOTS],
            vals: vec![Self::EMPTY; Self::SLOTS],
            colors: Vec::new(),
        }
    }

    #[inline(always)]
    fn slot(&self, c: u32) -> usize {
        let mut slot = (c.wrapping_mul(0x9E37_79B1) >> 19) as usize % Self::SLOTS;
        while self.vals[slot] != Self::EMPTY && self.keys[slot] != c {
            slot = (slot + 1) % Self::SLOTS;
        }
        slot
    }

    /// The id of `c`, new if unseen; `None` once `MAX_DISTINCT` are taken.
    #[inline(always)]
    fn id(&mut self, c: u32) -> Option<usize> {
        let slot = self.slot(c);
        if self.vals[slot] == Self::EMPTY {
            if self.colors.len() == MAX_DISTINCT {
                return None;
            }
            self.vals[slot] = self.colors.len() as u16;
            self.keys[slot] = c;
            self.colors.push(c);
        }
        Some(usize::from(self.vals[slot]))
    }
}

/// The distinct colors of an image, how often each occurs, and the image
/// as runs of color ids when that is compact.
struct Census {
    ids: Ids,
    counts: Vec<usize>,
    /// `(id, length)` of each run, unless there were too many to keep.
    runs: Option<Vec<(u16, u32)>>,
}

/// Counts the colors of `data`; `None` past `MAX_DISTINCT`.
fn census(data: &[u8]) -> Option<Census> {
    let mut ids = Ids::new();
    let mut counts: Vec<usize> = Vec::new();
    // A chart is a few runs per row; noisy images are scanned twice instead.
    let max_runs = data.len() / 32;
    let mut list = Some(Vec::with_capacity(1024));
    let mut full = false;
    runs(data, |c, n| {
        let Some(id) = ids.id(c) else {
            full = true;
            return;
        };
        match counts.get_mut(id) {
            Some(k) => *k += n,
            None => counts.push(n),
        }
        if list.as_ref().is_some_and(|l: &Vec<_>| l.len() >= max_runs) {
            list = None;
        }
        if let Some(l) = list.as_mut() {
            l.push((id as u16, n as u32));
        }
    });
    (!full).then_some(Census {
        ids,
        counts,
        runs: list,
    })
}

impl Census {
    /// A palette of at most 256 straight-alpha colors and `data` as indices
    /// into it: exact when the image has few enough colors, else with the
    /// rare colors (antialiased edges) rounded to fewer bits.
    fn indexed(mut self, data: &[u8]) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
        let (palette, lut) = self.palette()?;
        let mut pixels = Vec::with_capacity(data.len() / 4);
        match self.runs.take() {
            Some(list) => {
                for (id, n) in list {
                    pixels.resize(pixels.len() + n as usize, lut[usize::from(id)]);
                }
            }
            None => runs(data, |c, n| {
                let ix = self.ids.id(c).map_or(0, |id| lut[id]);
                pixels.resize(pixels.len() + n, ix);
            }),
        }
        Some((palette, pixels))
    }

    /// The palette and each color id's index in it.
    fn palette(&self) -> Option<(Vec<[u8; 4]>, Vec<u8>)> {
        let straight: Vec<[u8; 4]> = self
            .ids
            .colors
            .iter()
            .map(|c| demultiply(c.to_le_bytes()))
            .collect();
        if straight.len() <= 256 {
            let lut = (0..straight.len()).map(|i| i as u8).collect();
            return Some((straight, lut));
        }
        let mut by_use: Vec<usize> = (0..straight.len()).collect();
        by_use.sort_by_key(|&i| std::cmp::Reverse(self.counts[i]));
        let mut exact = vec![false; straight.len()];
        by_use.iter().take(POPULAR).for_each(|&i| exact[i] = true);
        (1..=MAX_DROP_BITS).find_map(|bits| reduce(&straight, &exact, bits))
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
    fn long_runs_round_trip() {
        let mut p = Pixmap::new(64, 64).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let v = (i / 500) as u8 * 20;
            px.copy_from_slice(&[v, v, v, 255]);
        }
        let census = census(p.data()).unwrap();
        assert!(census.runs.is_some(), "few runs are kept");
        let (_, pixels) = decode(&png(&p).unwrap());
        assert_eq!(pixels[3 * 4095], 8 * 20);
        assert_eq!(pixels[3 * 499..3 * 501], [0, 0, 0, 20, 20, 20]);
    }

    #[test]
    fn runs_cover_every_pixel_in_order() {
        let mut data = vec![0u8; 4 * 100];
        data[4 * 40..4 * 41].copy_from_slice(&[1, 2, 3, 4]);
        data[4 * 99..].copy_from_slice(&[9, 9, 9, 9]);
        let mut seen = Vec::new();
        runs(&data, |c, n| seen.push((c, n)));
        let one = u32::from_le_bytes([1, 2, 3, 4]);
        let nine = u32::from_le_bytes([9; 4]);
        assert_eq!(seen, [(0, 40), (one, 1), (0, 58), (nine, 1)]);
    }

    #[test]
    fn runs_end_where_a_naive_scan_ends_them() {
        // Runs of 1 to 19 pixels from three colors, so run ends fall at
        // every position within the 64-bit words and the 32-byte steps.
        let (mut data, mut seed) = (Vec::new(), 7u32);
        while data.len() < 4 * 3000 {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let (len, color) = (1 + (seed >> 16) % 19, (seed >> 8) % 3);
            for _ in 0..len {
                data.extend_from_slice(&[color as u8, 0, 0, 255]);
            }
        }
        let mut naive: Vec<(u32, usize)> = Vec::new();
        for px in data.chunks_exact(4) {
            let c = u32::from_le_bytes(px.try_into().unwrap());
            match naive.last_mut() {
                Some((last, n)) if *last == c => *n += 1,
                _ => naive.push((c, 1)),
            }
        }
        let mut seen = Vec::new();
        runs(&data, |c, n| seen.push((c, n)));
        assert_eq!(seen, naive);
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
