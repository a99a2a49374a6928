//! `PlottersRenderer`: checks a request, draws it through `compose` onto the
//! backend its format asks for, and encodes the result.

use super::callbacks;
use super::canvas2d;
use super::compose;
use super::encode;
use super::painter::{Painter, SUBPIXELS};
use super::shade;
use super::skia::SkiaBackend;
use super::svg;
use super::{RenderError, Renderer};
use crate::chart::spec::{ChartJs, ChartRequest, Format, Output};
use crate::script::chartjs::{self, Recording};
use crate::script::ScriptError;
use bytes::Bytes;
use std::time::Instant;
use tiny_skia::Pixmap;

/// Largest device-pixel side and area drawn, whatever the request says: the
/// HTTP layer enforces tighter configured limits; this keeps a direct
/// caller from allocating without bound.
const MAX_SIDE: u32 = 16_384;
const MAX_PIXELS: u64 = 64 * 1024 * 1024;

/// The renderer behind the gateway: plotters onto tiny-skia (PNG) or
/// plotters' SVG backend (SVG). Stateless, so one instance serves every
/// render thread.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlottersRenderer;

impl PlottersRenderer {
    pub fn new() -> Self {
        PlottersRenderer
    }
}

impl Renderer for PlottersRenderer {
    fn render(&self, req: &ChartRequest, deadline: Instant) -> Result<Bytes, RenderError> {
        check(&req.output)?;
        let _callbacks = callbacks::begin(deadline);
        match (req.output.format, &req.chartjs) {
            (Format::Png, Some(chartjs)) => chartjs_png(req, chartjs, deadline).map(exact),
            (Format::Png, None) => png(req, deadline).map(exact),
            (Format::Svg, Some(chartjs)) => {
                let recording = record(req, chartjs, deadline)?;
                canvas2d::svg(&recording, &req.output, deadline).map(|doc| exact(doc.into_bytes()))
            }
            (Format::Svg, None) => svg(req, deadline).map(|doc| exact(doc.into_bytes())),
        }
    }
}

/// The body without spare capacity. `Bytes::from(Vec)` keeps the whole
/// allocation (the PNG encoder reserves raw size / 16, often several times
/// the result), while the memory tier weighs a body by its length: without
/// this, a 32 MiB tier held ~100 MiB (found by benches/soak.sh).
fn exact(mut body: Vec<u8>) -> Bytes {
    body.shrink_to_fit();
    Bytes::from(body)
}

fn check(out: &Output) -> Result<(), RenderError> {
    let dpr = out.device_pixel_ratio;
    if !(dpr.is_finite() && dpr > 0.0) {
        return Err(RenderError::Invalid(format!(
            "devicePixelRatio must be a positive number, not {dpr}"
        )));
    }
    let (w, h) = out.pixel_size();
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(RenderError::Invalid(format!(
            "a {w}x{h} pixel image is too large to draw"
        )));
    }
    Ok(())
}

fn png(req: &ChartRequest, deadline: Instant) -> Result<Vec<u8>, RenderError> {
    let (w, h) = req.output.pixel_size();
    let mut be = SkiaBackend::new(w, h, SUBPIXELS)
        .ok_or_else(|| RenderError::Invalid(format!("cannot allocate a {w}x{h} canvas")))?
        .with_deadline(deadline);
    {
        let mut p = Painter::new(&mut be, req.output.device_pixel_ratio, deadline);
        compose::draw(&mut p, &req.chart, &req.output)?;
        p.check_deadline()?;
    }
    let pixmap = be.into_pixmap();
    if req.chart.has_gradient() {
        return encode::png_with(&pixmap, encode::SMOOTH);
    }
    encode::png(&pixmap)
}

/// A chart drawn by Chart.js itself: recorded in the sandbox, replayed on
/// a tiny-skia canvas, laid over the background.
fn chartjs_png(
    req: &ChartRequest,
    chart: &ChartJs,
    deadline: Instant,
) -> Result<Vec<u8>, RenderError> {
    let recording = record(req, chart, deadline)?;
    let out = &req.output;
    let (w, h) = out.pixel_size();
    let mut drawn = Pixmap::new(w, h)
        .ok_or_else(|| RenderError::Invalid(format!("cannot allocate a {w}x{h} canvas")))?;
    canvas2d::replay(&recording, &mut drawn, deadline)?;
    if out.background.3 == 0 {
        // Laid over nothing, the picture is itself: no second canvas.
        return encode::png_with(&drawn, encode::SMOOTH);
    }
    let mut pixmap = Pixmap::new(w, h).expect("the same size was allocated");
    pixmap.fill(shade::color(out.background));
    pixmap.draw_pixmap(
        0,
        0,
        drawn.as_ref(),
        &tiny_skia::PixmapPaint::default(),
        tiny_skia::Transform::identity(),
        None,
    );
    encode::png_with(&pixmap, encode::SMOOTH)
}

/// The config drawn by Chart.js in the sandbox, as its canvas calls.
fn record(
    req: &ChartRequest,
    chart: &ChartJs,
    deadline: Instant,
) -> Result<Recording, RenderError> {
    let out = &req.output;
    let canvas = chartjs::Canvas {
        width: out.width,
        height: out.height,
        ratio: out.device_pixel_ratio,
    };
    chartjs::record(
        &chart.config,
        chart.version,
        canvas,
        deadline,
        canvas2d::measure,
    )
    .map_err(|e| match e {
        _ if Instant::now() > deadline => RenderError::Timeout,
        ScriptError::Limit(m) => {
            RenderError::Limit(format!("Chart.js could not draw this config: {m}"))
        }
        ScriptError::Failed(m) => {
            RenderError::Invalid(format!("Chart.js could not draw this config: {m}"))
        }
    })
}

fn svg(req: &ChartRequest, deadline: Instant) -> Result<String, RenderError> {
    svg::render(&req.output, |be| {
        let mut p = Painter::new(be, req.output.device_pixel_ratio, deadline);
        compose::draw(&mut p, &req.chart, &req.output)
    })
}
