//! A Canvas 2D context in Rust, for the Chart.js renderer: Chart.js runs in
//! the sandbox on a canvas that records its calls (`script::chartjs`), and
//! `replay` draws the recording on a tiny-skia pixmap with the Canvas
//! specification's semantics: paths built under the transform current when
//! each point is added, strokes in the user space current when stroking,
//! a clip stack that intersects and is restored with `restore()`, CSS
//! colors, linear and radial gradients, line dashes, global alpha, and text
//! in the embedded faces (`font`), measured for Chart.js with the same
//! metrics it is drawn with.
//!
//! The same replay writes SVG (`vector`), so both formats come from one
//! recording.
//!
//! Written here rather than taken from a crate: the one Canvas 2D crate on
//! tiny-skia (vl-convert-canvas2d 2.0.0-rc) gets the semantics above wrong
//! in ways Chart.js hits (zero-radius arcs, clips that replace instead of
//! intersect, rects that drop the current path).

mod font;
mod path;
mod raster;
mod replay;
mod vector;

pub(crate) use font::{measure, Font};
pub(crate) use raster::replay;
pub(crate) use vector::{set_max_svg_bytes, svg};
