//! The script sandbox: configs that hold code (callbacks, `Math.*`, data
//! computed in place, QuickChart's helpers) are evaluated here, in an
//! embedded QuickJS-ng engine that can reach nothing of the host.
//!
//! What a script sees: the standard built-ins (Math, JSON, Date, Number,
//! String, Array, Object, RegExp, Map, Set, typed arrays, Promise) and
//! QuickChart's helpers (`getGradientFill`, `getGradientFillHelper`,
//! `pattern.draw`, from `prelude.js`). Nothing else exists in the engine:
//! no modules (`import()` has no loader), no process, files, network,
//! timers, `performance` or environment. Every evaluation gets a fresh
//! context, so nothing one config does is visible to another.
//!
//! Limits (`[script]` in config.toml): heap (`memory_bytes`), time
//! (`time_ms`, through the engine's interrupt handler, which also stops a
//! backtracking regex), stack (`stack_bytes`), and the size of the result
//! (`max_result_bytes`). Past one: `ScriptError::Limit` naming it.
//!
//! The result is data: the config's value as JSON text (`JSON.stringify`
//! with functions kept as their source, see `canon.rs`), which the chart
//! reader then reads like any other config. A function is kept as its
//! canonical source alone: run later, it will see its arguments and the
//! built-ins, never variables of the config around it, which is what makes
//! a key derived from its source text honest. At render, `Callbacks` calls
//! them in a context of the render's own.

mod callbacks;
mod canon;
pub mod chartjs;
mod elements;
mod sandbox;
mod session;

#[cfg(test)]
mod ahead_tests;

pub use callbacks::{set_thread_limits, Callbacks, Value as CallbackValue};
pub use canon::canonical_source;
pub(crate) use canon::{canonical_functions, regex_follows};
pub use elements::{Call, Elements};
pub use sandbox::{check_syntax, evaluate, evaluate_holes, Evaluated};

/// For a render thread once a render's answer has gone: frees what a
/// Chart.js render left in the engine, and when `idle` (no render waits),
/// makes the context of the thread's next Chart.js render ahead.
pub fn between_renders(idle: bool) {
    if let Some(version) = sandbox::release_retired().filter(|_| idle) {
        chartjs::prepare_ahead(version);
    }
}

/// The key under which a function travels in evaluated JSON:
/// `{"\u0000function": "<canonical source>"}`. The literal reader refuses
/// keys that start with NUL, so only the engine can produce one.
pub const FUNCTION_KEY: &str = "\u{0}function";

/// The key of a gradient or pattern made by QuickChart's helpers.
pub const PAINT_KEY: &str = "\u{0}paint";

/// Why a script was not accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScriptError {
    /// Past a limit: 422. Names the limit and its configured value.
    Limit(String),
    /// A syntax or runtime error: 400, with the engine's message and position.
    Failed(String),
}
