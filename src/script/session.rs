//! A context kept for many calls of a config's functions: a render's tick
//! callbacks (`callbacks.rs`) and a chart's per-point options
//! (`elements.rs`). It holds a host object (the JavaScript side that makes
//! each call's arguments as Chart.js makes them) and compiles each function
//! once from its canonical source; every call runs under its limits.

use super::sandbox::{self, Limits};
use super::ScriptError;
use rquickjs::{Array, Context, Ctx, Function, Object, Persistent, Type, Value};
use std::collections::HashMap;

pub(super) struct Session {
    host: Persistent<Object<'static>>,
    compiled: HashMap<String, Persistent<Function<'static>>>,
    limits: Limits,
    /// Last, so it is dropped after the values saved from it.
    context: Context,
}

impl Session {
    /// A fresh context for a chart of `width` × `height` CSS pixels, its
    /// host the prelude's `host` (see `sandbox::HOSTS`), after `setup` ran
    /// on it.
    pub(super) fn new(
        limits: Limits,
        (width, height): (u32, u32),
        host: &'static str,
        setup: impl for<'js> FnOnce(&Object<'js>) -> rquickjs::Result<()>,
    ) -> Result<Session, ScriptError> {
        let (context, host) =
            sandbox::fresh_context(&limits, (0, width, height), host, |ctx, host| {
                setup(&host)?;
                Ok(Persistent::save(&ctx, host))
            })?;
        Ok(Session {
            host,
            compiled: HashMap::new(),
            limits,
            context,
        })
    }

    /// `call` given the host and the function whose canonical source is
    /// `source`: the answers in the array it returns (see `answers`).
    pub(super) fn call(
        &mut self,
        source: &str,
        call: impl for<'js> FnOnce(&Object<'js>, Function<'js>) -> rquickjs::Result<Array<'js>>,
    ) -> Result<Vec<Option<serde_json::Value>>, ScriptError> {
        let (limits, compiled, host) = (&self.limits, &mut self.compiled, &self.host);
        sandbox::with_engine(limits, |_rt| {
            self.context.with(|ctx| {
                let described = |e| sandbox::describe(&ctx, e, limits);
                let f = match compiled.get(source) {
                    Some(f) => f.clone().restore(&ctx),
                    None => {
                        sandbox::eval::<Function>(&ctx, &format!("(\n{source}\n)")).inspect(|f| {
                            compiled.insert(source.to_owned(), Persistent::save(&ctx, f.clone()));
                        })
                    }
                }
                .map_err(described)?;
                let host = host.clone().restore(&ctx).map_err(described)?;
                call(&host, f)
                    .and_then(|out| answers(&ctx, out))
                    .map_err(described)
            })
        })
    }
}

/// A host's array of answers as data, read here rather than through
/// `JSON.stringify` and a parse (which were a third of a formatter's cost):
/// `None` for `undefined` and functions (Chart.js's "the default"); each
/// value as `JSON.parse(JSON.stringify(v))` would give it, `null` for a
/// number JSON has not.
fn answers<'js>(
    ctx: &Ctx<'js>,
    out: Array<'js>,
) -> rquickjs::Result<Vec<Option<serde_json::Value>>> {
    use serde_json::Value as Json;
    out.iter::<Value>()
        .map(|v| {
            let v = v?;
            Ok(match v.type_of() {
                Type::Undefined | Type::Uninitialized | Type::Function | Type::Constructor => None,
                Type::Null => Some(Json::Null),
                Type::Bool => Some(Json::Bool(v.as_bool().unwrap_or_default())),
                Type::Int => Some(Json::from(v.as_int().unwrap_or_default())),
                Type::Float => Some(number(v.as_float().unwrap_or(f64::NAN))),
                Type::String => Some(Json::String(v.get::<String>()?)),
                _ => match ctx.json_stringify(v)? {
                    Some(text) => serde_json::from_str(&text.to_string()?).ok(),
                    None => None,
                },
            })
        })
        .collect()
}

/// A number as JSON text would carry it: integers as integers.
fn number(v: f64) -> serde_json::Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 1e21 {
        if v >= 0.0 {
            return serde_json::Value::from(v as u64);
        }
        return serde_json::Value::from(v as i64);
    }
    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
}
