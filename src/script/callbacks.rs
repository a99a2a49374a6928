//! A render's callbacks: the functions a config carries (tick `callback`,
//! …), each compiled once from its canonical source in a context of its
//! own and called as Chart.js calls it, under the render's deadline and the
//! thread's script limits.

use super::sandbox::Limits;
use super::session::Session;
use super::ScriptError;
use crate::config::ScriptConfig;
use rquickjs::Function;
use std::cell::RefCell;
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

/// The calling thread's script limits (`[script]`).
pub(super) fn thread_config() -> ScriptConfig {
    LIMITS.with(|l| l.borrow().clone())
}

/// What a callback gets as its `value`, from the axis's list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value {
    /// The list's element (v2 ticks and category labels).
    Element,
    /// The element's index (v3 category ticks).
    Index,
    /// The element's `value` field (v3 tick objects).
    Field,
}

/// One render's callback context; its host is `hosts/callbacks.js`.
pub struct Callbacks(Session);

impl Callbacks {
    /// A fresh context for a render that must end by `deadline`.
    pub fn new(deadline: Instant) -> Result<Callbacks, ScriptError> {
        let limits = LIMITS.with(|l| Limits::of(&l.borrow(), deadline));
        Session::new(limits, (0, 0), "callbacksHost", |_| Ok(())).map(Callbacks)
    }

    /// Calls the function whose canonical source is `source` once for each
    /// element of `shared` (a JSON array: one axis's labels, tick values or
    /// tick objects), its value taken as `value` says, `this` a scale for a
    /// `category` axis; the results in order (`Null` for `undefined`).
    pub fn each(
        &mut self,
        source: &str,
        shared: &str,
        value: Value,
        category: bool,
    ) -> Result<Vec<serde_json::Value>, ScriptError> {
        let value = match value {
            Value::Element => "element",
            Value::Index => "index",
            Value::Field => "field",
        };
        let out = self.0.call(source, |host, f| {
            host.get::<_, Function>("each")?
                .call((f, shared, value, category))
        })?;
        Ok(out.into_iter().map(Option::unwrap_or_default).collect())
    }
}
