//! Drawing: a `ChartRequest` in, encoded image bytes out.
//!
//! The HTTP and cache layers see only the `Renderer` trait, so they never know
//! how a chart is drawn (and tests can put a misbehaving renderer behind it).
//! `PlottersRenderer` is the real one: it lays a chart out and draws it with
//! plotters, onto an antialiasing tiny-skia canvas for PNG or plotters' SVG
//! backend for SVG.
//!
//! How a render flows: `renderer` checks the request and picks the backend;
//! `compose` fills the background and cuts bands for the `title` and
//! `legend`; a family module draws the rest: `cartesian` (fitting two
//! `axis`es and drawing `bar`, `line` and `points` through `plot`, from
//! `data`), `radial` (pie, doughnut, polarArea) or `radar`, the last two on
//! the `rscale` radial scale. Everything is drawn through `painter`, in CSS
//! pixels, which scales, clips (`clip`), simplifies and dashes (`polyline`)
//! and hands plotters-backend calls to `skia` (PNG, then `encode`) or to
//! plotters' SVG backend (`svg`). `scale`, `ticks` and `numfmt` choose
//! ranges, ticks and labels; `fonts` holds the font set and lays
//! text out (fallback, bidi, shaping); `text` and `glyphs` measure and
//! rasterize it.

pub mod budget;
pub mod fonts;
pub mod pool;

mod axis;
mod bar;
mod callbacks;
mod canvas2d;
mod cartesian;
mod clip;
mod compose;
mod data;
mod datalabels;
mod encode;
mod geom;
mod glyphs;
mod legend;
mod line;
mod numfmt;
mod painter;
mod plot;
mod points;
mod polyline;
mod radar;
mod radial;
mod renderer;
mod rscale;
mod rule;
mod scale;
mod shade;
mod skia;
mod stamp;
mod stroke;
mod svg;
mod text;
mod ticks;
mod time;
mod title;
mod yielding;

pub use renderer::PlottersRenderer;

/// Bounds the calling thread's per-thread render caches in bytes: its
/// glyph masks (`render.glyph_cache_bytes`), its shaped lines of text
/// (`render.layout_cache_bytes`) and the marker stamps of each of its
/// renders (`render.stamp_cache_bytes`), and the SVG a render of Chart.js's
/// calls writes (`render.max_svg_bytes`). The pool calls it on each render
/// thread.
pub(crate) fn bound_thread_caches(cfg: &crate::config::RenderConfig) {
    glyphs::set_cache_bytes(cfg.glyph_cache_bytes);
    fonts::set_layout_cache_bytes(cfg.layout_cache_bytes);
    stamp::set_cache_bytes(cfg.stamp_cache_bytes);
    canvas2d::set_max_svg_bytes(cfg.max_svg_bytes);
}

use crate::chart::ChartRequest;
use bytes::Bytes;
use std::time::Instant;

/// Why a render produced no image.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenderError {
    /// The spec is valid but cannot be drawn (for example a data range that
    /// overflows f64): the client's fault, 422.
    Invalid(String),
    /// A script the render ran (a callback, Chart.js with the config's
    /// functions) reached a sandbox limit other than time: 422, naming it.
    Limit(String),
    /// The render ran past its deadline: 504.
    Timeout,
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Invalid(m) | RenderError::Limit(m) => f.write_str(m),
            RenderError::Timeout => f.write_str("the render ran past its deadline"),
        }
    }
}

/// Spec in, bytes out. Implementations must be deterministic: the same request
/// gives the same bytes on every thread, run and replica (the ETag promises it).
pub trait Renderer: Send + Sync + 'static {
    /// Draws `req`. `deadline` is when the caller stops waiting; long renders
    /// should check it between steps and return `RenderError::Timeout`.
    fn render(&self, req: &ChartRequest, deadline: Instant) -> Result<Bytes, RenderError>;
}
