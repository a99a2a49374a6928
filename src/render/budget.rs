//! The render budget: what a chart will cost to draw, estimated from its
//! spec and output size before any render worker is taken.
//!
//! Cost is counted in device pixels touched (a fill or stroke touches about
//! its area; every primitive also pays a fixed overhead in pixel
//! equivalents). The estimate is an upper bound in spirit, not a
//! measurement: it exists to refuse charts that are orders of magnitude too
//! expensive (2,000 markers each covering a 4096x4096 canvas, a dash pattern
//! that cuts a long line into millions of pieces) with a 422 naming the part
//! that is too expensive, instead of tying a worker up until the deadline.
//! The per-primitive deadline checks in `painter` remain the guard for what
//! the estimate lets through.

use super::polyline::Dashes;
use crate::chart::spec::{ChartKind, ChartRequest, Dataset, Datum, Font, PointStyle};
use std::f64::consts::PI;

/// Fixed cost of one drawing call (path setup, clipping, a span list), in
/// pixel equivalents: a million tiny markers are not free.
const CALL_PX: f64 = 500.0;

/// Why a chart is over budget: the most expensive part and its estimate.
#[derive(Clone, Debug, PartialEq)]
pub struct OverBudget {
    pub what: String,
    pub mpx: f64,
    pub budget_mpx: f64,
}

impl std::fmt::Display for OverBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "this chart would take too long to draw: {} cost about {:.0} megapixels of drawing, \
             over the render budget of {:.0} (render.budget_mpx); use fewer or smaller points, \
             a simpler dash pattern or a smaller image",
            self.what, self.mpx, self.budget_mpx
        )
    }
}

/// `Err` naming the most expensive part when `req`'s estimated cost is over
/// `budget_mpx` megapixels.
pub fn check(req: &ChartRequest, budget_mpx: f64) -> Result<(), OverBudget> {
    let parts = estimate(req);
    let total: f64 = parts.iter().map(|(_, px)| px).sum();
    if total <= budget_mpx * 1e6 {
        return Ok(());
    }
    let (what, _) = parts
        .into_iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .expect("the canvas is always a part");
    Err(OverBudget {
        what,
        mpx: total / 1e6,
        budget_mpx,
    })
}

/// The estimated cost of each part of `req`, in device pixels.
pub(crate) fn estimate(req: &ChartRequest) -> Vec<(String, f64)> {
    let c = Canvas::of(req);
    let spec = &req.chart;
    // Background, plot fill, encoding: a few passes over every pixel.
    let mut parts = vec![("the image size".to_owned(), 4.0 * c.area)];
    parts.push(("the labels".to_owned(), labels(&c, req)));
    for (i, ds) in spec.datasets.iter().enumerate().filter(|(_, d)| !d.hidden) {
        let name = |what: &str| format!("dataset {i}'s {what}");
        parts.push((name("points"), markers(&c, ds)));
        parts.push((name("line"), line(&c, ds)));
        parts.push((name("shapes"), shapes(&c, ds)));
    }
    parts
}

/// The output in device pixels.
struct Canvas {
    dpr: f64,
    w: f64,
    h: f64,
    area: f64,
}

impl Canvas {
    fn of(req: &ChartRequest) -> Canvas {
        let (w, h) = req.output.pixel_size();
        let (w, h) = (f64::from(w), f64::from(h));
        Canvas {
            dpr: req.output.device_pixel_ratio,
            w,
            h,
            area: w * h,
        }
    }

    /// Pixels a filled shape of `area` device pixels touches: never more
    /// than the canvas (the rasterizer clips), plus the call's overhead.
    fn fill(&self, area: f64) -> f64 {
        area.clamp(0.0, self.area) + CALL_PX
    }
}

fn markers(c: &Canvas, ds: &Dataset) -> f64 {
    let drawn = matches!(
        ds.kind,
        ChartKind::Line | ChartKind::Scatter | ChartKind::Radar | ChartKind::Bubble
    );
    if !drawn {
        return 0.0;
    }
    ds.data
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if ds.point_style_at(i) == PointStyle::None {
                return 0.0;
            }
            let (r, stroke) = match d {
                Datum::Gap => return 0.0,
                Datum::Xyr(_, _, r) if ds.kind == ChartKind::Bubble => (*r, ds.border_width),
                _ => (ds.point_radius_at(i), ds.point_border_width(i)),
            };
            let stroke = stroke.max(0.0);
            if r.is_nan() || r <= 0.0 {
                return 0.0;
            }
            let reach = (r.abs() + stroke) * c.dpr;
            // Fill and outline: each about the disc's area.
            2.0 * c.fill(PI * reach * reach)
        })
        .sum()
}

fn line(c: &Canvas, ds: &Dataset) -> f64 {
    let stroked = matches!(ds.kind, ChartKind::Line | ChartKind::Radar)
        || (ds.kind == ChartKind::Scatter && ds.show_line);
    if !stroked || ds.border_width <= 0.0 {
        return 0.0;
    }
    let segments = ds.data.len().saturating_sub(1) as f64;
    let len = length(c, ds);
    let width = (ds.border_width * c.dpr).max(1.0);
    let mut cost = len * width + segments * CALL_PX;
    if let Dashes::Pattern { lengths, .. } = Dashes::new(&ds.border_dash, 1.0 / c.dpr) {
        // One drawing call per dash piece.
        let period: f64 = lengths.iter().sum::<f64>() * c.dpr;
        cost += len * lengths.len() as f64 / period.max(1.0) * CALL_PX;
    }
    // Filled areas cover at most the plot once per dataset, in strips.
    if ds.fill != crate::chart::spec::Fill::None {
        cost += c.fill(c.area) + segments * CALL_PX;
    }
    cost
}

/// How long a dataset's line is, in device pixels, at most: its total
/// variation along each axis, relative to its own range (the axis spans at
/// least that range), times the canvas's extent. A dense line of 20,000
/// points is long only as far as it really zigzags.
fn length(c: &Canvas, ds: &Dataset) -> f64 {
    let segments = ds.data.len().saturating_sub(1) as f64;
    let (mut xs, mut ys) = (Variation::default(), Variation::default());
    for (i, d) in ds.data.iter().enumerate() {
        match *d {
            Datum::Gap => {}
            Datum::Y(y) => {
                xs.add(i as f64);
                ys.add(y);
            }
            Datum::Xy(x, y) | Datum::Xyr(x, y, _) => {
                xs.add(x);
                ys.add(y);
            }
        }
    }
    let (w, h) = if ds.kind == ChartKind::Radar {
        // Around a circle of radius R: the circumference, plus the radial
        // zigzag.
        let r = c.w.min(c.h) / 2.0;
        (2.0 * PI * r, r)
    } else {
        (c.w, c.h)
    };
    // Clipped to the canvas, no segment is longer than its width + height.
    (xs.relative() * w + ys.relative() * h).min(segments * (c.w + c.h))
}

/// The total variation of a sequence and its range.
#[derive(Default)]
struct Variation {
    last: Option<f64>,
    total: f64,
    min: f64,
    max: f64,
}

impl Variation {
    fn add(&mut self, v: f64) {
        if !v.is_finite() {
            return;
        }
        match self.last {
            None => (self.min, self.max) = (v, v),
            Some(l) => {
                // Halved before subtracting: never overflows to infinity.
                self.total += (v / 2.0 - l / 2.0).abs();
                (self.min, self.max) = (self.min.min(v), self.max.max(v));
            }
        }
        self.last = Some(v);
    }

    /// Total variation in multiples of the range (0 for a flat sequence).
    fn relative(&self) -> f64 {
        let range = self.max / 2.0 - self.min / 2.0;
        if range > 0.0 {
            self.total / range
        } else {
            0.0
        }
    }
}

fn shapes(c: &Canvas, ds: &Dataset) -> f64 {
    match ds.kind {
        // Bars and slices share the plot: together they cover it about
        // once, plus a call (fill and border) each.
        ChartKind::Bar | ChartKind::Pie | ChartKind::Doughnut | ChartKind::PolarArea => {
            2.0 * c.area + ds.data.len() as f64 * 2.0 * CALL_PX
        }
        _ => 0.0,
    }
}

/// Text: titles, legend entries and every category label (measured for
/// layout, and on radar charts all drawn), each glyph about an em square.
fn labels(c: &Canvas, req: &ChartRequest) -> f64 {
    let spec = &req.chart;
    let text = |s: &str, f: &Font| {
        let em = f.size.max(0.0) * c.dpr;
        c.fill(s.chars().count() as f64 * em * em)
    };
    let mut cost = 0.0;
    if let Some(t) = &spec.title {
        cost += t.lines.iter().map(|l| text(l, &t.font)).sum::<f64>();
    }
    if spec.legend.display {
        let f = &spec.legend.font;
        cost += spec.datasets.iter().map(|d| text(&d.label, f)).sum::<f64>();
    }
    let tick = if spec.kind == ChartKind::Radar {
        &spec.r.ticks
    } else {
        &spec.x.ticks
    };
    cost += spec.labels.iter().map(|l| text(l, tick)).sum::<f64>();
    cost
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::params;
    use crate::config::Limits;

    fn request(query: &str) -> ChartRequest {
        params::from_query(query, &Limits::default()).expect("valid chart")
    }

    fn chart(config: &str, size: &str) -> ChartRequest {
        let c: String = form_urlencoded::byte_serialize(config.as_bytes()).collect();
        request(&format!("c={c}&{size}"))
    }

    fn line_of(n: usize, extra: &str) -> String {
        let data: Vec<String> = (0..n).map(|i| ((i * 37) % 100).to_string()).collect();
        let labels: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        format!(
            "{{type:'line',data:{{labels:[{}],datasets:[{{label:'a',data:[{}]{extra}}}]}}}}",
            labels.join(","),
            data.join(",")
        )
    }

    #[test]
    fn everyday_charts_fit_the_default_budget() {
        for (config, size) in [
            (line_of(1000, ""), "w=800&h=400"),
            (line_of(20_000, ""), "w=2000&h=1500&devicePixelRatio=2"),
            (
                line_of(2000, ",borderDash:[5,5]"),
                "w=4096&h=4096&devicePixelRatio=1",
            ),
            (
                line_of(100, ",pointRadius:30"),
                "w=4096&h=4096&devicePixelRatio=1",
            ),
        ] {
            let req = chart(&config, size);
            assert_eq!(check(&req, 4000.0), Ok(()), "{size}");
        }
    }

    #[test]
    fn marker_and_dash_bombs_are_named() {
        let markers = chart(
            &line_of(2000, ",pointRadius:10000"),
            "w=4096&h=4096&devicePixelRatio=1",
        );
        let over = check(&markers, 4000.0).unwrap_err();
        assert_eq!(over.what, "dataset 0's points");
        assert!(over.to_string().contains("render.budget_mpx"));
        let dashes = chart(
            &line_of(20_000, ",borderDash:[1,1]"),
            "w=4096&h=4096&devicePixelRatio=1",
        );
        assert_eq!(check(&dashes, 4000.0).unwrap_err().what, "dataset 0's line");
    }
}
