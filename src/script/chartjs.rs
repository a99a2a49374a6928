//! Chart.js itself in the sandbox: a fresh context per chart with the
//! prelude, the config's Chart.js (2.9.4 with the plugins and chart types
//! QuickChart bundles for v2, 3.9.1 or 4.4.1) loaded from this thread's
//! bytecode, and the host in `hosts/chartjs.js` drawing the config
//! on a canvas that records its calls. The recording is data, replayed on a
//! Rust canvas by the renderer (`render::canvas2d`): the engine never holds
//! pixels, and the renderer never runs JavaScript.
//!
//! Everything a config can do here it does inside the context of its own
//! render, under the render's deadline and `script.chartjs_memory_bytes`: a
//! config that changes `Chart.defaults` or a prototype leaves nothing behind.

use super::sandbox::{self, Limits};
use super::{ScriptError, FUNCTION_KEY, PAINT_KEY};
use rquickjs::{qjs, Ctx, Function, Object, TypedArray, Value};
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// Chart.js 2.9.4's bundle (MIT, `vendor/chart.js.LICENSE`) and the plugins
/// and chart types QuickChart bundles for v2, each as npm ships it;
/// `vendor/MANIFEST` pins them and `scripts/vendor-js.sh` fetches them.
const CHARTJS_2: &str = include_str!("vendor/chart.js-2.9.4.bundle.min.js");
const DATALABELS: &str = include_str!("vendor/chartjs-plugin-datalabels-0.7.0.min.js");
const DOUGHNUTLABEL: &str = include_str!("vendor/chartjs-plugin-doughnutlabel-2.0.3.js");
const ANNOTATION: &str = include_str!("vendor/chartjs-plugin-annotation-0.5.7.min.js");
const COLORSCHEMES: &str = include_str!("vendor/chartjs-plugin-colorschemes-0.4.0.min.js");
const OUTLABELS: &str = include_str!("vendor/chartjs-plugin-piechart-outlabels-0.1.4.min.js");
const RADIAL_GAUGE: &str = include_str!("vendor/chartjs-chart-radial-gauge-1.0.3.umd.min.js");
const GAUGE: &str = include_str!("vendor/chartjs-gauge-0.3.0.min.js");
const BOXPLOT: &str = include_str!("vendor/chartjs-chart-box-and-violin-plot-2.4.0.min.js");

/// Chart.js 4.4.1's UMD build (MIT, `vendor/chart.js-4.LICENSE`), with
/// moment and its adapter for time scales, and the v4 releases of the
/// datalabels and annotation plugins.
const CHARTJS_4: &str = include_str!("vendor/chart.js-4.4.1.umd.js");
const MOMENT: &str = include_str!("vendor/moment-2.30.1.min.js");
const MOMENT_ADAPTER: &str = include_str!("vendor/chartjs-adapter-moment-1.0.1.min.js");
const DATALABELS_2: &str = include_str!("vendor/chartjs-plugin-datalabels-2.2.0.min.js");
const ANNOTATION_3: &str = include_str!("vendor/chartjs-plugin-annotation-3.1.0.min.js");

/// Chart.js 3.9.1's UMD build (MIT, `vendor/chart.js-3.LICENSE`), with the
/// same moment, adapter and datalabels as Chart.js 4, and the annotation
/// release for Chart.js 3.
const CHARTJS_3: &str = include_str!("vendor/chart.js-3.9.1.min.js");
const ANNOTATION_2: &str = include_str!("vendor/chartjs-plugin-annotation-2.2.1.min.js");

/// chartjs-chart-sankey 0.12.1 (MIT), the `sankey` type for Chart.js 3 and
/// 4 (it registers itself with whichever `Chart` is loaded).
const SANKEY: &str = include_str!("vendor/chartjs-chart-sankey-0.12.1.min.js");

/// A script the renderer runs in a chart's context, from this thread's
/// bytecode. `Chart` (v2), `Chart3` and `Chart4` load Chart.js and the
/// plugins every chart of that version may use; the others, which only some configs
/// use (QuickChart's v2 types and outlabels, v3+'s sankey), load when the host asks for them (`hosts/chartjs.js`, `load`):
/// reading all of them for every chart cost ~3 ms a render, ~10% of a
/// small chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Library {
    Chart,
    Chart3,
    Chart4,
    Outlabels,
    RadialGauge,
    Gauge,
    BoxPlot,
    Sankey,
}

impl Library {
    /// How many there are: `BYTECODE` keeps one slot each, at `self as usize`.
    const COUNT: usize = 8;

    /// The ones the host may ask for by name.
    const PLUGINS: [Library; 5] = [
        Library::Outlabels,
        Library::RadialGauge,
        Library::Gauge,
        Library::BoxPlot,
        Library::Sankey,
    ];

    /// Chart.js itself for a config of `version`: 2, 3, or 4 (for 4 and
    /// later).
    fn chart(version: u8) -> Library {
        match version {
            2 => Library::Chart,
            3 => Library::Chart3,
            _ => Library::Chart4,
        }
    }

    /// The name the host asks for it by.
    fn name(self) -> &'static str {
        match self {
            Library::Chart => "chart.js",
            Library::Chart3 => "chart.js 3",
            Library::Chart4 => "chart.js 4",
            Library::Outlabels => "outlabels",
            Library::RadialGauge => "radialGauge",
            Library::Gauge => "gauge",
            Library::BoxPlot => "boxplot",
            Library::Sankey => "sankey",
        }
    }

    /// Its source as one global script. The annotation plugin finds
    /// Chart.js as `window.Chart`, and chartjs-gauge adds `ellipse` to
    /// `CanvasRenderingContext2D.prototype` where a browser lacks it (the
    /// recording canvas has its own): each is given what it reads alone,
    /// since Chart.js itself would take a global `window` for a browser's
    /// DOM.
    fn source(self) -> String {
        match self {
            Library::Chart => format!(
                "{CHARTJS_2}\n;{COLORSCHEMES}\n;{DATALABELS}\n;{DOUGHNUTLABEL}\n\
                 ;(function (window) {{\n{ANNOTATION}\n}}).call(this, this);\n"
            ),
            Library::Chart3 => format!(
                "{MOMENT}\n;{CHARTJS_3}\n;{MOMENT_ADAPTER}\n;{DATALABELS_2}\n;{ANNOTATION_2}\n"
            ),
            Library::Chart4 => format!(
                "{MOMENT}\n;{CHARTJS_4}\n;{MOMENT_ADAPTER}\n;{DATALABELS_2}\n;{ANNOTATION_3}\n"
            ),
            Library::Outlabels => OUTLABELS.to_owned(),
            Library::RadialGauge => RADIAL_GAUGE.to_owned(),
            Library::Gauge => format!(
                "(function (CanvasRenderingContext2D) {{\n{GAUGE}\n}}).call(this, function () {{}});\n"
            ),
            Library::BoxPlot => BOXPLOT.to_owned(),
            Library::Sankey => SANKEY.to_owned(),
        }
    }
}

/// What Chart.js drew: the canvas calls as opcodes and numbers, and the
/// strings they name by index (`render::canvas2d::replay` reads them).
#[derive(Debug, Default)]
pub struct Recording {
    pub nums: Vec<f64>,
    pub strs: Vec<String>,
}

/// The chart's size as the canvas sees it: CSS pixels and the device pixel
/// ratio Chart.js scales its drawing by.
#[derive(Clone, Copy, Debug)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub ratio: f64,
}

/// Runs Chart.js `version` (2, 3, or 4 for 4 and later) on `config`
/// (evaluated JSON, functions as `{FUNCTION_KEY: source}`), measuring text
/// with `measure(font, text)`, and returns what it drew, under this
/// thread's script limits.
pub fn record(
    config: &str,
    version: u8,
    canvas: Canvas,
    deadline: Instant,
    measure: fn(&str, &str) -> f64,
) -> Result<Recording, ScriptError> {
    let limits = Limits::for_chartjs(&super::callbacks::thread_config(), deadline);
    let seed = sandbox::seed(config);
    let (context, recording) = sandbox::ready_context(
        &limits,
        (seed, canvas.width, canvas.height),
        (HOST, version),
        |ctx| load(ctx, Library::chart(version)),
        |ctx, host| {
            let draw: Function = host.get("draw")?;
            let measure = Function::new(ctx.clone(), move |font: String, text: String| {
                measure(&font, &text)
            })?;
            let load = Function::new(ctx.clone(), |ctx: Ctx<'_>, name: String| {
                let library = Library::PLUGINS.into_iter().find(|l| l.name() == name);
                let library = library.ok_or_else(|| {
                    rquickjs::Exception::throw_reference(&ctx, &format!("no library {name}"))
                })?;
                load(&ctx, library)
            })?;
            let out: Object = draw.call((
                config,
                vec![FUNCTION_KEY, PAINT_KEY],
                canvas.width,
                canvas.height,
                canvas.ratio,
                measure,
                load,
            ))?;
            let nums: TypedArray<f64> = out.get("nums")?;
            let nums = AsRef::<[f64]>::as_ref(&nums).to_vec();
            let strs: Vec<String> = out.get("strs")?;
            Ok(Recording { nums, strs })
        },
    )?;
    // Freed once the answer has gone (the render pool calls
    // `between_renders`), or before this thread's next context.
    sandbox::retire(context, version);
    Ok(recording)
}

/// The prelude's host the Chart.js renderer draws through.
const HOST: &str = "chartjsHost";

/// How long making a context ahead may take: it runs no config, so only a
/// machine too busy for it gets near this, and then the render makes its
/// own under its deadline.
const PREPARE_BUDGET: Duration = Duration::from_secs(2);

/// Between renders, with none waiting: makes the context of this thread's
/// next Chart.js render now, with `version` (the one its last render drew)
/// loaded, so that render starts drawing at once (`sandbox::prepare_ahead`).
pub(super) fn prepare_ahead(version: u8) {
    let limits = Limits::for_chartjs(
        &super::callbacks::thread_config(),
        Instant::now() + PREPARE_BUDGET,
    );
    let made = sandbox::prepare_ahead(&limits, (HOST, version), |ctx| {
        load(ctx, Library::chart(version))
    });
    if let Err(e) = made {
        tracing::debug!(error = ?e, "could not make a Chart.js context ahead");
    }
}

thread_local! {
    /// Each library compiled once per thread, at `library as usize`:
    /// parsing Chart.js's 226 KB costs more than a render's own
    /// JavaScript, reading its bytecode a few ms.
    static BYTECODE: RefCell<[Option<Vec<u8>>; Library::COUNT]> =
        const { RefCell::new([const { None }; Library::COUNT]) };
}

/// Runs `library` in `ctx` as the global script it is (a UMD wrapper sets
/// `Chart`, or registers a plugin with it), from this thread's bytecode.
fn load(ctx: &Ctx<'_>, library: Library) -> rquickjs::Result<()> {
    let slot = library as usize;
    BYTECODE.with(|cell| {
        if cell.borrow()[slot].is_none() {
            let compiled = compile(ctx, &library.source(), library.name())?;
            cell.borrow_mut()[slot] = Some(compiled);
        }
        let bytes = cell.borrow();
        run_bytecode(ctx, bytes[slot].as_deref().expect("just compiled"))
    })
}

/// Compiles `source` as a global script and writes its bytecode.
/// rquickjs writes bytecode for modules only, and Chart.js's bundle is a
/// sloppy-mode script that reads `this`: QuickJS's own calls do it.
fn compile(ctx: &Ctx<'_>, source: &str, file: &str) -> rquickjs::Result<Vec<u8>> {
    let compiled = sandbox::compile_only(ctx, source, file)?;
    let raw = ctx.as_raw().as_ptr();
    let mut size = 0;
    // SAFETY: `compiled` is a live function object of this context; the
    // buffer QuickJS returns is `size` bytes, copied and then freed with
    // the context's allocator, as `JS_WriteObject` requires.
    unsafe {
        let buf = qjs::JS_WriteObject(
            raw,
            &mut size,
            compiled.as_raw(),
            qjs::JS_WRITE_OBJ_BYTECODE as i32,
        );
        if buf.is_null() {
            return Err(rquickjs::Error::Exception);
        }
        let bytes = std::slice::from_raw_parts(buf, size as usize).to_vec();
        qjs::js_free(raw, buf.cast());
        Ok(bytes)
    }
}

/// Reads bytecode `compile` wrote and runs it.
fn run_bytecode(ctx: &Ctx<'_>, bytes: &[u8]) -> rquickjs::Result<()> {
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: the bytes are this thread's own compilation by this engine,
    // never read from outside. Each raw value is owned by a `Value`, which
    // frees it on drop; `JS_EvalFunction` consumes the reference it is
    // given, so it gets one of its own.
    let result = unsafe {
        let function = Value::from_raw(
            ctx.clone(),
            qjs::JS_ReadObject(
                raw,
                bytes.as_ptr(),
                bytes.len() as _,
                qjs::JS_READ_OBJ_BYTECODE as i32,
            ),
        );
        if function.is_exception() {
            return Err(rquickjs::Error::Exception);
        }
        let function = qjs::JS_DupValue(raw, function.as_raw());
        Value::from_raw(ctx.clone(), qjs::JS_EvalFunction(raw, function))
    };
    if result.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(())
}
