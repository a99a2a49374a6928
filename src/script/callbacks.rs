//! A render's callbacks: the functions a config carries (tick `callback`,
//! …), each compiled once from its canonical source in a context of its
//! own and called as Chart.js calls it, under the render's deadline and the
//! thread's script limits.

use super::sandbox::{self, Limits};
use super::ScriptError;
use crate::config::ScriptConfig;
use rquickjs::{CatchResultExt, Context, Function, Persistent};
use std::cell::RefCell;
use std::collections::HashMap;
use std::time::Instant;

thread_local! {
    /// The script limits of this thread's renders (`[script]`), set when a
    /// render thread starts; the defaults until then.
    static LIMITS: RefCell<ScriptConfig> = RefCell::new(ScriptConfig::default());
}

/// Sets the script limits of the calling thread's renders.
pub fn set_thread_limits(cfg: &ScriptConfig) {
    LIMITS.with(|l| *l.borrow_mut() = cfg.clone());
}

/// Calls a compiled callback: `this` and the arguments arrive as JSON,
/// `this` made into a scale-like object (`getLabelForValue`), the result
/// leaves as JSON (`undefined` and functions as nothing).
const CALL: &str = "(() => {
  const stringify = JSON.stringify, parse = JSON.parse, apply = Reflect.apply;
  const scale = (s) => s && Object.assign(s, {
    getLabelForValue(v) { return s.labels && s.labels[v] !== undefined ? s.labels[v] : v; },
  });
  return (f, self, args) => {
    const out = apply(f, scale(parse(self)), parse(args));
    return typeof out === 'function' ? undefined : stringify(out);
  };
})()";

/// One render's callback context.
pub struct Callbacks {
    call: Persistent<Function<'static>>,
    compiled: HashMap<String, Persistent<Function<'static>>>,
    limits: Limits,
    /// Last, so it is dropped after the functions saved from it.
    context: Context,
}

impl Callbacks {
    /// A fresh context for a render that must end by `deadline`.
    pub fn new(deadline: Instant) -> Result<Callbacks, ScriptError> {
        let limits = LIMITS.with(|l| Limits::of(&l.borrow(), deadline));
        let (context, call) = sandbox::fresh_context(&limits, 0, 0, 0, |ctx| {
            let call: Function = sandbox::eval(&ctx, CALL)?;
            Ok(Persistent::save(&ctx, call))
        })?;
        Ok(Callbacks {
            context,
            call,
            compiled: HashMap::new(),
            limits,
        })
    }

    /// Calls the function whose canonical source is `source`, with `this`
    /// and `args` given as JSON text; its result as JSON (`Null` for
    /// `undefined`).
    pub fn call(
        &mut self,
        source: &str,
        this: &str,
        args: &str,
    ) -> Result<serde_json::Value, ScriptError> {
        let (limits, compiled, call) = (&self.limits, &mut self.compiled, &self.call);
        sandbox::with_engine(limits, |_rt| {
            self.context.with(|ctx| {
                let f = match compiled.get(source) {
                    Some(f) => f.clone().restore(&ctx),
                    None => {
                        sandbox::eval::<Function>(&ctx, &format!("(\n{source}\n)")).inspect(|f| {
                            compiled.insert(source.to_owned(), Persistent::save(&ctx, f.clone()));
                        })
                    }
                }
                .map_err(|e| sandbox::describe(&ctx, e, limits))?;
                let call = call
                    .clone()
                    .restore(&ctx)
                    .map_err(|e| sandbox::describe(&ctx, e, limits))?;
                let out: Option<String> = call
                    .call((f, this, args))
                    .catch(&ctx)
                    .map_err(|e| sandbox::caught(e, limits))?;
                Ok(out
                    .and_then(|json| serde_json::from_str(&json).ok())
                    .unwrap_or(serde_json::Value::Null))
            })
        })
    }
}

impl Drop for Callbacks {
    fn drop(&mut self) {
        // Saved functions must be released before their context goes.
        self.compiled.clear();
    }
}
