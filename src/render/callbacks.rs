//! The script callbacks of the render on this thread: tick labels from a
//! config's `ticks.callback`, called as Chart.js calls it.
//!
//! A render that needs none never makes a script context. One that does
//! makes it on first use (`renderer.rs` opens the scope with the render's
//! deadline and closes it when the render ends): a thread-local rather
//! than a parameter, because the axes that call it sit five calls below
//! the renderer and nothing between them has to know.

use super::scale::Tick;
use super::RenderError;
use crate::chart::literal::js_number;
use crate::chart::spec::Callback;
use crate::script::{CallbackValue, Callbacks, ScriptError};
use serde_json::Value;
use std::borrow::Cow;
use std::cell::RefCell;
use std::time::Instant;

thread_local! {
    static SCOPE: RefCell<Option<Scope>> = const { RefCell::new(None) };
}

struct Scope {
    deadline: Instant,
    callbacks: Option<Callbacks>,
}

/// The callbacks of one render; they go when it is dropped.
pub(crate) struct RenderScope(());

/// Opens the callback scope of a render that must end by `deadline`.
pub(crate) fn begin(deadline: Instant) -> RenderScope {
    SCOPE.with(|s| {
        *s.borrow_mut() = Some(Scope {
            deadline,
            callbacks: None,
        })
    });
    RenderScope(())
}

impl Drop for RenderScope {
    fn drop(&mut self) {
        SCOPE.with(|s| s.borrow_mut().take());
    }
}

/// The ticks of a value axis as `cb` labels them: a tick whose callback
/// answers `null` or `undefined` is dropped, grid line and all.
pub(crate) fn tick_labels(cb: &Callback, ticks: Vec<Tick>) -> Result<Vec<Tick>, RenderError> {
    let values = ticks.iter().map(|t| t.value);
    let (shared, value) = if cb.v3 {
        let objects: Vec<Value> = values.map(|v| serde_json::json!({ "value": v })).collect();
        (Value::from(objects), CallbackValue::Field)
    } else {
        (
            Value::from(values.collect::<Vec<f64>>()),
            CallbackValue::Element,
        )
    };
    let labels = each(cb, &shared.to_string(), value, false)?;
    Ok(ticks
        .into_iter()
        .zip(labels)
        .filter_map(|(mut tick, label)| {
            tick.label = Some(label_of(label)?);
            Some(tick)
        })
        .collect())
}

/// The labels of a category axis as `cb` gives them (v2: the label is the
/// value; v3: the index is, and `this.getLabelForValue(i)` the label).
/// `null` leaves a category unlabelled.
pub(crate) fn category_labels<'a>(
    cb: &Callback,
    labels: &'a [String],
) -> Result<Cow<'a, [String]>, RenderError> {
    let shared = match &cb.labels {
        Some(given) => given.clone(),
        None => Value::from(labels.to_vec()).to_string(),
    };
    let value = if cb.v3 {
        CallbackValue::Index
    } else {
        CallbackValue::Element
    };
    let out = each(cb, &shared, value, true)?;
    Ok(Cow::Owned(
        out.into_iter()
            .map(|v| label_of(v).unwrap_or_default())
            .collect(),
    ))
}

/// A callback's answer as a label: text as it is, a number as JavaScript
/// prints it, lines of an array joined by a space; `None` for nothing.
fn label_of(v: Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s),
        Value::Number(n) => Some(js_number(n.as_f64().unwrap_or(0.0))),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => Some(
            items
                .into_iter()
                .filter_map(label_of)
                .collect::<Vec<_>>()
                .join(" "),
        ),
        Value::Object(_) => Some("[object Object]".into()),
    }
}

/// `cb` called once per element of an axis's `shared` list.
fn each(
    cb: &Callback,
    shared: &str,
    value: CallbackValue,
    category: bool,
) -> Result<Vec<Value>, RenderError> {
    with_callbacks(|c| c.each(&cb.source, shared, value, category))
}

/// Runs `f` on this render's callback context, made on first use.
fn with_callbacks<T>(
    f: impl FnOnce(&mut Callbacks) -> Result<T, ScriptError>,
) -> Result<T, RenderError> {
    SCOPE.with(|s| {
        let mut scope = s.borrow_mut();
        let scope = scope
            .as_mut()
            .ok_or_else(|| RenderError::Invalid("a callback outside a render".into()))?;
        let deadline = scope.deadline;
        let failed = |e: ScriptError| match e {
            _ if Instant::now() >= deadline => RenderError::Timeout,
            ScriptError::Limit(m) => RenderError::Limit(m),
            ScriptError::Failed(m) => RenderError::Invalid(format!("a tick callback failed: {m}")),
        };
        if scope.callbacks.is_none() {
            scope.callbacks = Some(Callbacks::new(deadline).map_err(failed)?);
        }
        f(scope.callbacks.as_mut().expect("just made")).map_err(failed)
    })
}
