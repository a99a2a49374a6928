//! The engine itself: one QuickJS-ng runtime per thread (a runtime is not
//! shared between threads), a fresh context per evaluation, and the limits.
//! `with_engine` and `Limits` are shaped for more than configs: the next
//! users are a render's callbacks and Chart.js itself, each in a context
//! of its own under the render's deadline.

use super::{ScriptError, FUNCTION_KEY, PAINT_KEY};
use crate::config::ScriptConfig;
use rquickjs::context::intrinsic;
use rquickjs::module::{Evaluated as Evaluated_, WriteOptions};
use rquickjs::{
    CatchResultExt, CaughtError, Context, Ctx, Function, Module, Object, Persistent, Runtime, Value,
};
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// What a context holds: the standard built-ins a config may use, and
/// `Proxy`, through which Chart.js 3 and 4 resolve every option. Left out
/// on purpose: `Performance` (a clock), `WeakRef` (observes the collector),
/// `BigInt` (not chart data).
type Builtins = (
    intrinsic::Date,
    intrinsic::Eval,
    intrinsic::RegExpCompiler,
    intrinsic::RegExp,
    intrinsic::Json,
    intrinsic::Proxy,
    intrinsic::MapSet,
    intrinsic::TypedArrays,
    // Without it `import()` leaves an object the runtime cannot free.
    intrinsic::Promise,
);

const PRELUDE: &str = include_str!("prelude.js");

/// The host objects sessions call into (`session.rs`), each exported by
/// the prelude's module as a function making it: compiled with the prelude
/// once per thread, so no session parses its host again.
const HOSTS: [(&str, &str); 3] = [
    ("callbacksHost", include_str!("hosts/callbacks.js")),
    ("elementsHost", include_str!("hosts/elements.js")),
    ("chartjsHost", include_str!("hosts/chartjs.js")),
];

/// patternomaly 1.3.2 (MIT, `vendor/patternomaly.LICENSE`), QuickChart's
/// `pattern.draw`: run as it is, so its 21 shapes are its own.
const PATTERNOMALY: &str = include_str!("vendor/patternomaly.js");

/// The canvas patternomaly draws on, recording what it draws.
const RECORDING_CANVAS: &str = include_str!("recording_canvas.js");

/// patternomaly drawing on the recording canvas: its UMD wrapper sets
/// `pattern` on the `this` it is called with.
fn patternomaly() -> String {
    format!(
        "(() => {{ const document = ({RECORDING_CANVAS})({PAINT_KEY:?}); const holder = {{}}; \
         (function () {{\n{PATTERNOMALY}\n}}).call(holder); return holder.pattern; }})()"
    )
}

/// The file name errors are reported against.
const FILE: &str = "config";

/// A config's value, read by the engine.
#[derive(Debug)]
pub struct Evaluated {
    /// The value as JSON text, each function as `{FUNCTION_KEY: source}`
    /// (`canonical_functions` makes the sources canonical once it is read).
    pub json: String,
    /// The script read the clock (`Date.now()`, `new Date()`): evaluated
    /// again later it may give another chart.
    pub reads_clock: bool,
}

/// Evaluates a config written as a JavaScript expression. `width` and
/// `height` are the chart's CSS size, which QuickChart's gradient helpers
/// span by default.
pub fn evaluate(
    src: &str,
    cfg: &ScriptConfig,
    width: u32,
    height: u32,
) -> Result<Evaluated, ScriptError> {
    run(seed(src), &format!("(\n{src}\n)"), cfg, width, height)
}

/// Evaluates the code cut out of config `src` (`holes`, each an
/// expression, in the config's order) in one context: the JSON array of
/// their values. The same numbers come out of `Math.random` as when `src`
/// is evaluated whole, since its data around the holes calls nothing.
pub fn evaluate_holes(
    src: &str,
    holes: &[String],
    cfg: &ScriptConfig,
    width: u32,
    height: u32,
) -> Result<Evaluated, ScriptError> {
    run(seed(src), &array_of(holes), cfg, width, height)
}

/// One array expression holding each of `holes`, each on lines of its own
/// (so the engine's positions name a hole's line).
fn array_of(holes: &[String]) -> String {
    let mut expression = String::from("[");
    for hole in holes {
        expression.push_str("\n(\n");
        expression.push_str(hole);
        expression.push_str("\n),");
    }
    expression.push_str("\n]");
    expression
}

/// Compiles the functions cut out of a config (`sources`, each one
/// function expression) without running anything: a config whose code is
/// functions alone needs no evaluation (each is its own source), only the
/// syntax check the engine would have made. Compiled in this thread's
/// checking context, kept because no code ever runs in it.
pub fn check_syntax(sources: &[String], cfg: &ScriptConfig) -> Result<(), ScriptError> {
    let text = array_of(sources);
    let limits = Limits::of(cfg, Instant::now() + Duration::from_millis(cfg.time_ms));
    with_engine(&limits, |rt| {
        CHECKER.with(|cell| {
            let mut slot = cell.borrow_mut();
            if slot.is_none() {
                *slot = Some(new_context(rt, &limits)?);
            }
            let checker = slot.as_ref().expect("just made");
            checker.with(|ctx| {
                compile_only(&ctx, &text, FILE)
                    .map(drop)
                    .map_err(|e| describe(&ctx, e, &limits))
            })
        })
    })
}

thread_local! {
    /// The context `check_syntax` compiles in: made once per thread, since
    /// compiling alone leaves nothing behind that a later config could see.
    static CHECKER: RefCell<Option<Context>> = const { RefCell::new(None) };
}

/// Compiles `source` as a (sloppy) script without running it: the
/// compiled function, errors reported against `file`.
pub(super) fn compile_only<'js>(
    ctx: &Ctx<'js>,
    source: &str,
    file: &str,
) -> rquickjs::Result<Value<'js>> {
    use rquickjs::qjs;
    let file = std::ffi::CString::new(file).expect("no NUL in the file name");
    let len = source.len();
    let source = std::ffi::CString::new(source)?;
    let flags = (qjs::JS_EVAL_TYPE_GLOBAL | qjs::JS_EVAL_FLAG_COMPILE_ONLY) as i32;
    // SAFETY: `ctx` is a live context of this thread's runtime, both
    // strings are NUL-terminated and outlive the call, and the value it
    // returns is owned here: handed to `Value`, which frees it on drop.
    let compiled = unsafe {
        let raw = qjs::JS_Eval(
            ctx.as_raw().as_ptr(),
            source.as_ptr(),
            len as _,
            file.as_ptr(),
            flags,
        );
        Value::from_raw(ctx.clone(), raw)
    };
    if compiled.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    Ok(compiled)
}

/// Evaluates `expression` in a fresh context whose `Math.random` is seeded
/// with `seed`.
fn run(
    seed: u32,
    expression: &str,
    cfg: &ScriptConfig,
    width: u32,
    height: u32,
) -> Result<Evaluated, ScriptError> {
    let deadline = Instant::now() + Duration::from_millis(cfg.time_ms);
    let limits = Limits::of(cfg, deadline);
    with_engine(&limits, |rt| {
        let context = new_context(rt, &limits)?;
        let result = context.with(|ctx| {
            let host = Host::install(&ctx)
                .and_then(|host| Host::begin(&host.hooks, seed, width, height).map(|()| host))
                .map_err(|e| describe(&ctx, e, &limits))?;
            let value: Value = eval(&ctx, expression).map_err(|e| describe(&ctx, e, &limits))?;
            let json = host.to_json(&ctx, value, &limits)?;
            Ok(Evaluated {
                json,
                reads_clock: host.reads_clock(),
            })
        });
        // Out of memory, QuickJS may throw `null` (no room for an error
        // object): a failure with the heap near its limit is that limit.
        // (Measured only on failure: it walks the whole heap.)
        let near_limit = result.is_err()
            && rt.memory_usage().malloc_size as usize >= limits.memory_bytes / 10 * 9;
        drop(context);
        rt.run_gc();
        match result {
            Err(ScriptError::Failed(_)) if near_limit => Err(limits.memory()),
            other => other,
        }
    })
}

/// A fresh context with the prelude run (Date, seeded `Math.random`,
/// QuickChart's helpers), and what `setup` makes of the host object named
/// `host` (one of `HOSTS`).
pub(super) fn fresh_context<T>(
    limits: &Limits,
    start: (u32, u32, u32),
    host: &'static str,
    setup: impl for<'js> FnOnce(Ctx<'js>, Object<'js>) -> rquickjs::Result<T>,
) -> Result<(Context, T), ScriptError> {
    with_engine(limits, |rt| {
        let ready = make_ready(rt, limits, (host, 0), |_| Ok(()))?;
        begin(ready, limits, start, setup)
    })
}

/// As `fresh_context`, for a host that `prepare` loads a library into
/// first (Chart.js): the context `prepare_ahead` made for `(host, kind)`
/// when there is one, else one made now. Either way no code of a config
/// ran in it before `setup`.
pub(super) fn ready_context<T>(
    limits: &Limits,
    start: (u32, u32, u32),
    (host, kind): (&'static str, u8),
    prepare: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<()>,
    setup: impl for<'js> FnOnce(Ctx<'js>, Object<'js>) -> rquickjs::Result<T>,
) -> Result<(Context, T), ScriptError> {
    let ready = READY.with(|r| r.borrow_mut().take_if(|r| r.kind == (host, kind)));
    with_engine(limits, |rt| {
        let ready = match ready {
            Some(ready) => ready,
            None => make_ready(rt, limits, (host, kind), prepare)?,
        };
        begin(ready, limits, start, setup)
    })
}

/// Makes, now, the context the next `ready_context` for `(host, kind)` on
/// this thread will take, unless it is made already. For the time between
/// renders: loading Chart.js into a context costs a render about a fifth
/// of its time, which a thread with nothing to do can spend before the
/// render asks. Nothing of a config is in it, so it is as fresh as one
/// made at the render.
pub(super) fn prepare_ahead(
    limits: &Limits,
    (host, kind): (&'static str, u8),
    prepare: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<()>,
) -> Result<(), ScriptError> {
    if READY.with(|r| r.borrow().as_ref().is_some_and(|r| r.kind == (host, kind))) {
        return Ok(());
    }
    with_engine(limits, |rt| {
        let ready = make_ready(rt, limits, (host, kind), prepare)?;
        READY.with(|r| *r.borrow_mut() = Some(ready));
        Ok(())
    })
}

/// A context with the prelude run and a host object made, and whatever
/// the host's `prepare` loaded, before any code of a config.
struct Ready {
    /// The host's name and what was prepared (Chart.js's major version):
    /// only a render that would make the same context takes it.
    kind: (&'static str, u8),
    host: Persistent<Object<'static>>,
    /// The prelude's `begin` and `readsClock`.
    hooks: Persistent<Object<'static>>,
    /// Last, so it is dropped after the values saved from it.
    context: Context,
}

thread_local! {
    /// The context `prepare_ahead` made, if any: at most one per thread.
    static READY: RefCell<Option<Ready>> = const { RefCell::new(None) };
}

fn make_ready(
    rt: &Runtime,
    limits: &Limits,
    kind: (&'static str, u8),
    prepare: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<()>,
) -> Result<Ready, ScriptError> {
    let context = new_context(rt, limits)?;
    let (host, hooks) = context.with(|ctx| {
        let described = |e| describe(&ctx, e, limits);
        let installed = Host::install(&ctx).map_err(described)?;
        let host = installed
            .module
            .get::<_, Function>(kind.0)
            .and_then(|make| make.call::<_, Object>(()))
            .and_then(|host| prepare(&ctx).map(|()| host))
            .map_err(described)?;
        Ok::<_, ScriptError>((
            Persistent::save(&ctx, host),
            Persistent::save(&ctx, installed.hooks),
        ))
    })?;
    Ok(Ready {
        kind,
        host,
        hooks,
        context,
    })
}

/// Starts `ready` for one config: its seed and size, then `setup`.
fn begin<T>(
    ready: Ready,
    limits: &Limits,
    (seed, width, height): (u32, u32, u32),
    setup: impl for<'js> FnOnce(Ctx<'js>, Object<'js>) -> rquickjs::Result<T>,
) -> Result<(Context, T), ScriptError> {
    let Ready {
        host,
        hooks,
        context,
        ..
    } = ready;
    let made = context.with(|ctx| {
        let described = |e| describe(&ctx, e, limits);
        let hooks = hooks.restore(&ctx).map_err(described)?;
        Host::begin(&hooks, seed, width, height).map_err(described)?;
        let host = host.restore(&ctx).map_err(described)?;
        setup(ctx.clone(), host).map_err(described)
    })?;
    Ok((context, made))
}

/// Whether this thread holds a context made ahead for `kind`.
#[cfg(test)]
pub(super) fn is_ready(kind: (&'static str, u8)) -> bool {
    READY.with(|r| r.borrow().as_ref().is_some_and(|r| r.kind == kind))
}

/// Frees the context `prepare_ahead` made, if any: before anything else
/// runs on this thread's engine, whose memory limit it would share.
fn discard_ready() {
    if let Some(ready) = READY.with(|r| r.borrow_mut().take()) {
        drop(ready);
        collect();
    }
}

fn new_context(rt: &Runtime, limits: &Limits) -> Result<Context, ScriptError> {
    Context::custom::<Builtins>(rt).map_err(|_| limits.memory())
}

/// The limits of one evaluation, or of one render's callbacks.
#[derive(Clone)]
pub(super) struct Limits {
    memory_bytes: usize,
    /// The config.toml key `memory_bytes` came from, for the message.
    memory_key: &'static str,
    stack_bytes: usize,
    time_ms: u64,
    max_result_bytes: usize,
    deadline: Instant,
}

impl Limits {
    pub(super) fn of(cfg: &ScriptConfig, deadline: Instant) -> Limits {
        Limits {
            memory_bytes: cfg.memory_bytes,
            memory_key: "script.memory_bytes",
            stack_bytes: cfg.stack_bytes,
            time_ms: cfg.time_ms,
            max_result_bytes: cfg.max_result_bytes,
            deadline,
        }
    }

    /// A render by Chart.js: its own heap (`chartjs_memory_bytes`), the
    /// render's deadline.
    pub(super) fn for_chartjs(cfg: &ScriptConfig, deadline: Instant) -> Limits {
        Limits {
            memory_bytes: cfg.chartjs_memory_bytes,
            memory_key: "script.chartjs_memory_bytes",
            ..Limits::of(cfg, deadline)
        }
    }

    fn memory(&self) -> ScriptError {
        ScriptError::Limit(self.memory_message())
    }

    fn memory_message(&self) -> String {
        format!(
            "the script needed more than its memory limit of {} bytes ({})",
            self.memory_bytes, self.memory_key
        )
    }

    fn time(&self) -> ScriptError {
        ScriptError::Limit(format!(
            "the script ran past its time limit ({} ms for a config, script.time_ms; \
             callbacks share render.timeout_ms)",
            self.time_ms
        ))
    }

    fn stack(&self) -> ScriptError {
        ScriptError::Limit(format!(
            "the script recursed past its stack limit of {} bytes (script.stack_bytes)",
            self.stack_bytes
        ))
    }
}

/// The options the prelude sends as JSON. Options that are no object have
/// no properties, as ToObject gives a primitive none that Intl reads.
fn intl_options(json: &str) -> serde_json::Map<String, serde_json::Value> {
    serde_json::from_str(json).unwrap_or_default()
}

/// The locale the prelude sends: empty when none was given.
fn intl_locale(tag: &str) -> Option<&str> {
    (!tag.is_empty()).then_some(tag)
}

/// `Intl.NumberFormat(locale, options).format(x)` for the prelude's
/// `Intl`, `options` as JSON; what a browser refuses is a `RangeError`.
fn format_number<'js>(
    ctx: Ctx<'js>,
    locale: String,
    options: String,
    x: f64,
) -> rquickjs::Result<String> {
    let options = intl_options(&options);
    match crate::intl::NumberFormat::new(intl_locale(&locale), &options) {
        Ok(f) => Ok(f.format(x)),
        Err(message) => Err(rquickjs::Exception::throw_range(&ctx, &message)),
    }
}

/// `Intl.DateTimeFormat` and `Date.prototype.toLocale*String` for the
/// prelude: `caller` says which (`check`: the constructor's validation;
/// `format`; `date`, `time`, `all`: toLocaleDateString, toLocaleTimeString,
/// toLocaleString), `ms` the time value. What a browser refuses is its
/// `TypeError` or `RangeError`; a time value that is no date is
/// "Invalid Date", or `format`'s `RangeError`.
fn format_date<'js>(
    ctx: Ctx<'js>,
    locale: String,
    options: String,
    caller: String,
    ms: f64,
) -> rquickjs::Result<String> {
    use crate::intl::{DateTimeFormat, Defaults};
    let options = intl_options(&options);
    let locale = intl_locale(&locale);
    let defaults = match caller.as_str() {
        "date" => Defaults::Date,
        "time" => Defaults::Time,
        "all" => Defaults::All,
        _ => Defaults::Format,
    };
    let format =
        DateTimeFormat::new(locale, &options, defaults).map_err(|e| match e.type_error {
            true => rquickjs::Exception::throw_type(&ctx, &e.message),
            false => rquickjs::Exception::throw_range(&ctx, &e.message),
        })?;
    match (caller.as_str(), format.format(ms)) {
        ("check", _) => Ok(String::new()),
        (_, Some(text)) => Ok(text),
        ("format", None) => Err(rquickjs::Exception::throw_range(&ctx, "Invalid time value")),
        (_, None) => Ok("Invalid Date".into()),
    }
}

/// The prelude's hooks inside one context.
struct Host<'js> {
    /// `begin(seed, width, height)` and `readsClock()` (prelude.js).
    hooks: Object<'js>,
    stringify: Function<'js>,
    /// The prelude's module, whose exports make the sessions' hosts.
    module: Module<'js, Evaluated_>,
}

impl<'js> Host<'js> {
    /// Runs the prelude (Date that notes clock reads, seedable Math.random,
    /// QuickChart's helpers) and keeps its hooks, taken before any config
    /// code could replace `JSON.stringify` or `Function.prototype.toString`.
    fn install(ctx: &Ctx<'js>) -> rquickjs::Result<Host<'js>> {
        let module = prelude_module(ctx)?;
        let prelude: Function = module.get("prelude")?;
        let load = Function::new(
            ctx.clone(),
            |ctx: Ctx<'js>| -> rquickjs::Result<Value<'js>> { eval(&ctx, &patternomaly()) },
        )?;
        let number_format = Function::new(ctx.clone(), format_number)?;
        let date_format = Function::new(ctx.clone(), format_date)?;
        let hooks: Object = prelude.call((load, number_format, date_format))?;
        let stringify: Function = module.get("stringify")?;
        Ok(Host {
            hooks,
            stringify,
            module,
        })
    }

    /// Seeds `Math.random` and sets the chart's size, before a config's
    /// first code.
    fn begin(hooks: &Object<'js>, seed: u32, width: u32, height: u32) -> rquickjs::Result<()> {
        let begin: Function = hooks.get("begin")?;
        begin.call((seed, width, height))
    }

    fn reads_clock(&self) -> bool {
        self.hooks
            .get::<_, Function>("readsClock")
            .and_then(|f| f.call(()))
            .unwrap_or(true)
    }

    /// The value as JSON text, within the result-size limit.
    fn to_json(
        &self,
        ctx: &Ctx<'js>,
        value: Value<'js>,
        limits: &Limits,
    ) -> Result<String, ScriptError> {
        let text: Option<rquickjs::String> = self
            .stringify
            .call((value, FUNCTION_KEY))
            .catch(ctx)
            .map_err(|e| caught(e, limits))?;
        let Some(text) = text else {
            return Err(ScriptError::Failed(
                "the config evaluated to nothing (undefined); it must be an object like \
                 {type: 'bar', data: {...}}"
                    .into(),
            ));
        };
        let text = text.to_string().map_err(|_| limits.memory())?;
        if text.len() > limits.max_result_bytes {
            return Err(ScriptError::Limit(format!(
                "the config evaluated to {} bytes of data, over script.max_result_bytes ({})",
                text.len(),
                limits.max_result_bytes
            )));
        }
        Ok(text)
    }
}

thread_local! {
    /// The prelude compiled once per thread: parsing it took half of what
    /// a fresh context costs, and every config with code, every render
    /// with callbacks makes one.
    static PRELUDE_BYTECODE: RefCell<Option<Vec<u8>>> = const { RefCell::new(None) };
}

/// The prelude and `stringify` as one module, evaluated in `ctx` from
/// this thread's bytecode (compiled on first use).
fn prelude_module<'js>(ctx: &Ctx<'js>) -> rquickjs::Result<Module<'js, Evaluated_>> {
    let module = PRELUDE_BYTECODE.with(|cell| -> rquickjs::Result<_> {
        if cell.borrow().is_none() {
            let mut source = format!(
                "export const prelude = {PRELUDE};\nexport const stringify = {STRINGIFY};\n"
            );
            for (name, host) in HOSTS {
                source.push_str(&format!("export const {name} = () => {host};\n"));
            }
            let bytes =
                Module::declare(ctx.clone(), "prelude", source)?.write(WriteOptions::default())?;
            *cell.borrow_mut() = Some(bytes);
        }
        let bytes = cell.borrow();
        // SAFETY: the bytes are this thread's own compilation of our
        // prelude, by this very engine, never read from outside.
        unsafe { Module::load(ctx.clone(), bytes.as_deref().expect("just compiled")) }
    })?;
    let (module, _done) = module.eval()?;
    Ok(module)
}

/// `JSON.stringify` with each function kept as its source text. Taken at
/// install, before the config runs, so the config cannot swap them.
const STRINGIFY: &str = "(() => {
  const stringify = JSON.stringify, source = Function.prototype.toString, apply = Reflect.apply;
  const isPromise = (v) => v instanceof Promise;
  return (value, key) => {
    if (isPromise(value)) {
      throw new TypeError('the config evaluated to a Promise: modules (import()) and async code are not available');
    }
    return stringify(value, (k, v) => typeof v === 'function' ? { [key]: apply(source, v, []) } : v);
  };
})()";

pub(super) fn eval<'js, V: rquickjs::FromJs<'js>>(
    ctx: &Ctx<'js>,
    src: &str,
) -> rquickjs::Result<V> {
    let mut opts = rquickjs::context::EvalOptions::default();
    opts.strict = false;
    opts.filename = Some(FILE.into());
    ctx.eval_with_options(src, opts)
}

/// Seeds `Math.random` from the config's text: the same config draws the
/// same numbers on every replica.
pub(super) fn seed(src: &str) -> u32 {
    let hash = blake3::hash(src.as_bytes());
    u32::from_le_bytes(hash.as_bytes()[..4].try_into().expect("4 bytes"))
}

/// The error of a failed engine call, read while its exception is pending.
pub(super) fn describe(ctx: &Ctx<'_>, e: rquickjs::Error, limits: &Limits) -> ScriptError {
    match e {
        rquickjs::Error::Exception => caught(CaughtError::from_error(ctx, e), limits),
        rquickjs::Error::Allocation => limits.memory(),
        other => caught(CaughtError::Error(other), limits),
    }
}

pub(super) fn caught(e: CaughtError<'_>, limits: &Limits) -> ScriptError {
    if interrupted() {
        return limits.time();
    }
    let (message, stack) = match &e {
        CaughtError::Exception(ex) => (
            ex.message().unwrap_or_default(),
            ex.stack().unwrap_or_default(),
        ),
        // QuickJS throws `null` when it cannot even allocate the "out of
        // memory" error (JS_ThrowError2): so does a script that throws
        // null, which the message says too.
        CaughtError::Value(v) if v.is_null() => {
            return ScriptError::Limit(format!(
                "{} (or the script threw null)",
                limits.memory_message()
            ))
        }
        CaughtError::Value(v) => (format!("{v:?}"), String::new()),
        CaughtError::Error(rquickjs::Error::Allocation) => return limits.memory(),
        CaughtError::Error(err) => (err.to_string(), String::new()),
    };
    if message.contains("out of memory") {
        return limits.memory();
    }
    // The engine's own size bound (2^30 characters, 2^32 elements) is a
    // memory limit too, reached before `script.memory_bytes` counts it.
    if message.contains("invalid string length") || message.contains("invalid array length") {
        return ScriptError::Limit(format!(
            "the script asked for a string or array larger than the engine allows \
             (past any memory limit, {} = {})",
            limits.memory_key, limits.memory_bytes
        ));
    }
    if message.contains("stack size exceeded") || message.contains("stack overflow") {
        return limits.stack();
    }
    let kind = match &e {
        CaughtError::Exception(ex) => ex
            .get::<_, Option<String>>("name")
            .ok()
            .flatten()
            .unwrap_or_else(|| "Error".into()),
        _ => "Error".into(),
    };
    let at = position(&stack)
        .map(|(l, c)| format!(" at line {l}, column {c}"))
        .unwrap_or_default();
    ScriptError::Failed(format!("{kind}: {message}{at}"))
}

/// The first `config:LINE:COLUMN` of a stack, with the line the evaluation
/// wrapper adds taken off.
fn position(stack: &str) -> Option<(usize, usize)> {
    let at = stack.find(&format!("{FILE}:"))? + FILE.len() + 1;
    let mut parts = stack[at..].split(|c: char| !c.is_ascii_digit());
    let line: usize = parts.next()?.parse().ok()?;
    let column: usize = parts.next()?.parse().ok()?;
    // Line 1 is the wrapper's `(`: a position there says nothing.
    (line > 1).then(|| (line - 1, column))
}

thread_local! {
    /// This thread's runtime, made on first use and kept: a runtime costs
    /// more to make than a context, and holds nothing of a script once its
    /// context is dropped and the collector has run.
    static ENGINE: RefCell<Option<Runtime>> = const { RefCell::new(None) };

    /// A finished render's context and what was prepared in it (Chart.js's
    /// version), kept for `release_retired`: freeing Chart.js's heap costs
    /// a render about what loading it does, and it can wait until the
    /// render's answer has gone.
    static RETIRED: RefCell<Option<(Context, u8)>> = const { RefCell::new(None) };
}

/// Keeps `context`, whose render is done and in which `kind` was prepared,
/// for `release_retired` to free. At most one is kept per thread: a second
/// frees the first.
pub(super) fn retire(context: Context, kind: u8) {
    release_retired();
    RETIRED.with(|r| *r.borrow_mut() = Some((context, kind)));
}

/// Frees the context this thread's last render retired, and everything it
/// held. The render pool calls it once a render's answer is sent;
/// `with_engine` calls it first, so nothing starts beside a retired heap.
/// Says what was prepared in it, if there was one.
pub(super) fn release_retired() -> Option<u8> {
    let (context, kind) = RETIRED.with(|r| r.borrow_mut().take())?;
    drop(context);
    collect();
    Some(kind)
}

/// Runs the collector on this thread's engine: a dropped context's objects
/// point at each other, so only the collector frees them.
fn collect() {
    let rt = ENGINE.with(|e| e.borrow().clone());
    if let Some(rt) = rt {
        rt.run_gc();
    }
}

/// The deadline the interrupt handler checks, per thread, as nanoseconds
/// since `epoch()`: an atomic because the handler must be `Send`.
struct Deadline {
    nanos: AtomicU64,
    fired: AtomicBool,
}

thread_local! {
    static DEADLINE: Arc<Deadline> = Arc::new(Deadline { nanos: AtomicU64::new(u64::MAX), fired: AtomicBool::new(false) });
}

fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn interrupted() -> bool {
    DEADLINE.with(|d| d.fired.load(Ordering::Relaxed))
}

/// Runs `f` on this thread's engine with `limits` applied.
pub(super) fn with_engine<T>(
    limits: &Limits,
    f: impl FnOnce(&Runtime) -> Result<T, ScriptError>,
) -> Result<T, ScriptError> {
    // Whatever runs here starts on an empty heap, under its own limits
    // (`ready_context` took the ready context it uses before).
    release_retired();
    discard_ready();
    let rt = ENGINE.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.is_none() {
            let rt = Runtime::new().map_err(|_| limits.memory())?;
            let deadline = DEADLINE.with(Arc::clone);
            rt.set_interrupt_handler(Some(Box::new(move || {
                let now = epoch().elapsed().as_nanos() as u64;
                let over = now >= deadline.nanos.load(Ordering::Relaxed);
                if over {
                    deadline.fired.store(true, Ordering::Relaxed);
                }
                over
            })));
            *slot = Some(rt);
        }
        Ok::<_, ScriptError>(slot.as_ref().expect("just set").clone())
    })?;
    rt.set_memory_limit(limits.memory_bytes);
    rt.set_max_stack_size(limits.stack_bytes);
    DEADLINE.with(|d| {
        let nanos = limits
            .deadline
            .saturating_duration_since(epoch())
            .as_nanos() as u64;
        d.nanos.store(nanos, Ordering::Relaxed);
        d.fired.store(false, Ordering::Relaxed);
    });
    let out = f(&rt);
    DEADLINE.with(|d| d.nanos.store(u64::MAX, Ordering::Relaxed));
    out
}
