//! Scriptable options: where Chart.js and its plugins take a function in
//! place of a value (`backgroundColor: (ctx) => …`, datalabels'
//! `formatter`, a legend's `labels.filter`), the function is called here
//! for each data point through `script::Elements`, and its answers are read
//! like values given per point. Only configs the sandbox evaluated hold
//! functions, so the engine is made only for them, once per chart.

use super::node::{Node, Res};
use crate::chart::ChartError;
use crate::config::ScriptConfig;
use crate::script::{Call, Elements, ScriptError};
use serde_json::Value;
use std::cell::RefCell;

/// What the engine needs to call a chart's functions.
#[derive(Clone, Copy)]
pub struct Scripting<'a> {
    pub cfg: &'a ScriptConfig,
    /// The chart's CSS size, as `ctx.chart.width` and `height`.
    pub width: u32,
    pub height: u32,
}

/// One chart's scriptable options: its `data`, and the engine context
/// made on the first function.
pub(super) struct Scripted<'a> {
    scripting: Option<Scripting<'a>>,
    data: Option<&'a Value>,
    elements: RefCell<Option<Elements>>,
}

/// An option given once, or answered per point by a function.
pub(super) enum PerPoint<'v> {
    Same(&'v Value),
    /// `None` where the function answered `undefined` (the default).
    Each(Vec<Option<Value>>),
}

impl PerPoint<'_> {
    /// The value at point `i`; `None` for the option's default.
    pub(super) fn at(&self, i: usize) -> Option<&Value> {
        match self {
            PerPoint::Same(v) => Some(v),
            PerPoint::Each(items) => items.get(i)?.as_ref().filter(|v| !v.is_null()),
        }
    }
}

impl<'a> Scripted<'a> {
    pub(super) fn new(scripting: Option<Scripting<'a>>, data: Option<&'a Value>) -> Self {
        Scripted {
            scripting,
            data,
            elements: RefCell::new(None),
        }
    }

    /// `node[key]` for each point of dataset `dataset`: `None` when not
    /// given; a function's answers when it is one.
    pub(super) fn per_point<'v>(
        &self,
        node: &Node<'v>,
        key: &str,
        dataset: usize,
        call: Call,
    ) -> Res<Option<PerPoint<'v>>> {
        match node.function(key) {
            Some(source) => {
                let path = node.path_of(key);
                self.with(&path, |e| e.points(&source, dataset, call))
                    .map(|v| Some(PerPoint::Each(v)))
            }
            None => Ok(node.get(key).map(PerPoint::Same)),
        }
    }

    /// A `labels.filter` at `path` asked about each legend item of `items`
    /// (JSON): whether each is kept (Chart.js keeps an item on a truthy
    /// answer).
    pub(super) fn legend_filter(&self, source: &str, path: &str, items: &str) -> Res<Vec<bool>> {
        let answers = self.with(path, |e| e.legend(source, items))?;
        Ok(answers
            .iter()
            .map(|a| a.as_ref().is_some_and(truthy))
            .collect())
    }

    /// Runs `f` on the chart's engine context, made on first use.
    fn with<T>(
        &self,
        path: &str,
        f: impl FnOnce(&mut Elements) -> Result<T, ScriptError>,
    ) -> Res<T> {
        let Some(s) = self.scripting else {
            return Err(ChartError::bad(format!(
                "{path} is a function, which needs the script sandbox"
            )));
        };
        let failed = |e: ScriptError| match e {
            ScriptError::Limit(m) => ChartError::limit(m),
            ScriptError::Failed(m) => {
                ChartError::bad(format!("the function at {path} failed: {m}"))
            }
        };
        let mut slot = self.elements.borrow_mut();
        if slot.is_none() {
            let data = self
                .data
                .map(Value::to_string)
                .unwrap_or_else(|| "{}".into());
            *slot = Some(Elements::new(s.cfg, &data, s.width, s.height).map_err(failed)?);
        }
        f(slot.as_mut().expect("just made")).map_err(failed)
    }
}

/// JavaScript's truthiness of a JSON value.
pub(super) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}
