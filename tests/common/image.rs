//! Decoded PNGs for tests that look at what was drawn.

/// A decoded PNG as straight RGBA.
pub struct Image {
    pub w: u32,
    pub h: u32,
    pub rgba: Vec<u8>,
}

impl Image {
    pub fn px(&self, x: u32, y: u32) -> [u8; 4] {
        let i = (y * self.w + x) as usize * 4;
        self.rgba[i..i + 4].try_into().unwrap()
    }

    pub fn pixels(&self) -> impl Iterator<Item = [u8; 4]> + '_ {
        self.rgba.chunks_exact(4).map(|p| [p[0], p[1], p[2], p[3]])
    }

    /// The bounding box (x0, y0, x1, y1) of the pixels within 3 per
    /// channel of `rgb`, if any.
    pub fn extent_of(&self, rgb: [u8; 3]) -> Option<(u32, u32, u32, u32)> {
        let mut b: Option<(u32, u32, u32, u32)> = None;
        for y in 0..self.h {
            for x in 0..self.w {
                let p = self.px(x, y);
                if p[3] > 0 && near(p, rgb) {
                    b = Some(b.map_or((x, y, x, y), |(a, c, d, e)| {
                        (a.min(x), c.min(y), d.max(x), e.max(y))
                    }));
                }
            }
        }
        b
    }
}

/// Whether `p` is within 3 per channel of `rgb`.
pub fn near(p: [u8; 4], rgb: [u8; 3]) -> bool {
    rgb.iter().zip(p).all(|(a, b)| a.abs_diff(b) <= 3)
}

/// Decodes a PNG, panicking if it is not one.
pub fn decode(bytes: &[u8]) -> Image {
    try_decode(bytes).unwrap_or_else(|e| panic!("{e}"))
}

/// Decodes a PNG (any color type, expanded to RGBA), or says why not.
pub fn try_decode(bytes: &[u8]) -> Result<Image, String> {
    let mut d = png::Decoder::new(bytes);
    d.set_transformations(png::Transformations::EXPAND);
    let mut r = d.read_info().map_err(|e| format!("PNG header: {e}"))?;
    let mut buf = vec![0; r.output_buffer_size()];
    let info = r
        .next_frame(&mut buf)
        .map_err(|e| format!("PNG data: {e}"))?;
    buf.truncate(info.buffer_size());
    let rgba = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        png::ColorType::GrayscaleAlpha => buf
            .chunks_exact(2)
            .flat_map(|p| [p[0], p[0], p[0], p[1]])
            .collect(),
        png::ColorType::Grayscale => buf.iter().flat_map(|&g| [g, g, g, 255]).collect(),
        other => return Err(format!("unexpected PNG color type {other:?}")),
    };
    Ok(Image {
        w: info.width,
        h: info.height,
        rgba,
    })
}
