//! Crisp rules for the PNG backend: vertical and horizontal lines one device
//! pixel wide, centered on a pixel column or row and ending on pixel edges,
//! which is how Chart.js aligns grid lines and axis borders.
//!
//! tiny-skia draws such a line as an antialiased hairline and runs its
//! 16-lane pipeline once per pixel of a vertical one: the reference chart's
//! 77 grid lines were a tenth of its render. Every pixel of a crisp rule is
//! covered fully, so it is written here directly, with tiny-skia's own
//! blend (`stamp::over`) and the color tiny-skia's paint gives that pixel:
//! the same bytes (the test below compares them over a busy background).

use super::stamp;
use tiny_skia::{Paint, PathBuilder, Pixmap, Transform};

/// Draws the line from `a` to `b` (device pixels) in `paint` if it is a
/// crisp rule; `false` (nothing drawn) when tiny-skia must draw it. Ends
/// between pixel edges (a chart area's top is rarely whole) are left to
/// tiny-skia: the partly covered pixel at each end is a hairline of its own.
pub(crate) fn draw(pixmap: &mut Pixmap, a: (f32, f32), b: (f32, f32), paint: &Paint) -> bool {
    let Some(rule) = Rule::of(a, b) else {
        return false;
    };
    let Some(s) = full_coverage(paint) else {
        return false;
    };
    let (x0, y0, x1, y1) = rule.cells();
    let (w, h) = (pixmap.width() as i64, pixmap.height() as i64);
    let (x0, x1) = (x0.max(0), x1.min(w));
    let (y0, y1) = (y0.max(0), y1.min(h));
    let data = pixmap.data_mut();
    for y in y0..y1 {
        for x in x0..x1 {
            let i = (y * w + x) as usize * 4;
            stamp::over(&mut data[i..i + 4], s);
        }
    }
    for (p, q) in rule.ends() {
        hairline(pixmap, p, q, paint);
    }
    true
}

/// An axis-aligned line centered on a pixel column (`vertical`) or row at
/// `at`, from `from` to `to` along it (`from < to`).
struct Rule {
    vertical: bool,
    at: f32,
    from: f32,
    to: f32,
}

impl Rule {
    fn of((ax, ay): (f32, f32), (bx, by): (f32, f32)) -> Option<Rule> {
        let fine = |v: f32| v.is_finite() && v.abs() < 1e7;
        let centered = |v: f32| fine(v) && (v - 0.5).fract() == 0.0;
        let rule = |vertical, at, p: f32, q: f32| {
            (centered(at) && fine(p) && fine(q) && (p - q).abs() >= 2.0).then_some(Rule {
                vertical,
                at,
                from: p.min(q),
                to: p.max(q),
            })
        };
        if ax == bx {
            rule(true, ax, ay, by)
        } else if ay == by {
            rule(false, ay, ax, bx)
        } else {
            None
        }
    }

    /// The fully covered pixels: `x0..x1`, `y0..y1`.
    fn cells(&self) -> (i64, i64, i64, i64) {
        let (across, along) = ((self.at - 0.5) as i64, self.whole());
        if self.vertical {
            (across, along.0, across + 1, along.1)
        } else {
            (along.0, across, along.1, across + 1)
        }
    }

    /// The whole pixel edges the rule spans.
    fn whole(&self) -> (i64, i64) {
        (self.from.ceil() as i64, self.to.floor() as i64)
    }

    /// The pieces past the whole pixel edges, as lines.
    fn ends(&self) -> impl Iterator<Item = ((f32, f32), (f32, f32))> + '_ {
        let (p, q) = self.whole();
        [(self.from, p as f32), (q as f32, self.to)]
            .into_iter()
            .filter(|(s, e)| e > s)
            .map(|(s, e)| {
                if self.vertical {
                    ((self.at, s), (self.at, e))
                } else {
                    ((s, self.at), (e, self.at))
                }
            })
    }
}

/// tiny-skia's antialiased hairline from `a` to `b`.
fn hairline(pixmap: &mut Pixmap, a: (f32, f32), b: (f32, f32), paint: &Paint) {
    let mut pb = PathBuilder::new();
    pb.move_to(a.0, a.1);
    pb.line_to(b.0, b.1);
    if let Some(path) = pb.finish() {
        let stroke = stamp::stroke_of(1.0);
        pixmap.stroke_path(&path, paint, &stroke, Transform::identity(), None);
    }
}

/// What tiny-skia writes for `paint` at full coverage onto a transparent
/// pixel (premultiplied); `None` for paint that is not one solid color.
/// (Computed, not drawn: a probe pixmap per call compiled a raster pipeline
/// for every grid line and every stroke.)
pub(crate) fn full_coverage(paint: &Paint) -> Option<[u8; 4]> {
    match paint.shader {
        tiny_skia::Shader::SolidColor(c) if paint.anti_alias => {
            let p = c.premultiply().to_color_u8();
            Some([p.red(), p.green(), p.blue(), p.alpha()])
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A background with every level of every channel somewhere.
    fn busy() -> Pixmap {
        let mut p = Pixmap::new(64, 48).unwrap();
        for (i, px) in p.data_mut().chunks_exact_mut(4).enumerate() {
            let a = (i * 37 % 256) as u8;
            let c = |k: usize| ((i * k % 256) as u8).min(a);
            px.copy_from_slice(&[c(7), c(13), c(29), a]);
        }
        p
    }

    #[test]
    fn crisp_rules_are_the_bytes_tiny_skia_draws() {
        let lines = [
            ((10.5, 3.0), (10.5, 40.0)),
            ((20.5, 45.0), (20.5, 0.0)),
            ((2.0, 7.5), (60.0, 7.5)),
            ((63.5, -5.0), (63.5, 60.0)),
            ((-4.0, 47.5), (70.0, 47.5)),
            ((30.5, 5.3), (30.5, 41.75)),
            ((31.5, 44.9), (31.5, 2.02)),
            ((3.4, 20.5), (50.6, 20.5)),
            ((40.5, 2.5), (40.5, 9.0)),
        ];
        let colors = [
            (0, 0, 0, 26),
            (31, 119, 180, 255),
            (255, 99, 132, 128),
            (1, 2, 3, 1),
        ];
        for (a, b) in lines {
            for (r, g, bl, al) in colors {
                let mut paint = Paint::default();
                paint.set_color_rgba8(r, g, bl, al);
                paint.anti_alias = true;
                let (mut ours, mut theirs) = (busy(), busy());
                assert!(draw(&mut ours, a, b, &paint), "{a:?}-{b:?} is crisp");
                hairline(&mut theirs, a, b, &paint);
                assert!(
                    ours.data() == theirs.data(),
                    "{a:?}-{b:?} in {:?}",
                    (r, g, bl, al)
                );
            }
        }
    }

    #[test]
    fn full_coverage_is_what_tiny_skia_writes() {
        for i in 0..4096u32 {
            let c = |k: u32| (i.wrapping_mul(k) >> 3) as u8;
            let mut paint = Paint::default();
            paint.set_color_rgba8(c(97), c(131), c(193), c(59));
            paint.anti_alias = true;
            let mut probe = Pixmap::new(1, 1).unwrap();
            let rect = tiny_skia::Rect::from_xywh(0.0, 0.0, 1.0, 1.0).unwrap();
            probe.fill_rect(rect, &paint, Transform::identity(), None);
            assert_eq!(full_coverage(&paint).unwrap(), probe.data()[..4], "{i}");
        }
    }

    #[test]
    fn other_lines_are_left_to_tiny_skia() {
        let paint = Paint::default();
        let mut p = busy();
        for (a, b) in [
            ((10.0, 3.0), (10.0, 40.0)),
            ((10.5, 3.2), (10.5, 4.0)),
            ((1.0, 1.0), (9.0, 9.0)),
            ((4.5, 4.0), (4.5, 4.0)),
        ] {
            assert!(!draw(&mut p, a, b, &paint), "{a:?}-{b:?}");
        }
        assert_eq!(p.data(), busy().data());
    }
}
