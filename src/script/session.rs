//! A context kept for many calls of a config's functions: a render's tick
//! callbacks (`callbacks.rs`) and a chart's per-point options
//! (`elements.rs`). It holds a host object (the JavaScript side that makes
//! each call's arguments as Chart.js makes them) and compiles each function
//! once from its canonical source; every call runs under its limits.

use super::sandbox::{self, Limits};
use super::ScriptError;
use rquickjs::{Context, Function, Object, Persistent};
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
    /// host the object `host_source` evaluates to, after `setup` ran on it.
    pub(super) fn new(
        limits: Limits,
        (width, height): (u32, u32),
        host_source: &str,
        setup: impl for<'js> FnOnce(&Object<'js>) -> rquickjs::Result<()>,
    ) -> Result<Session, ScriptError> {
        let (context, host) = sandbox::fresh_context(&limits, 0, width, height, |ctx| {
            let host: Object = sandbox::eval(&ctx, host_source)?;
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
    /// `source`: its text answer (JSON the host made).
    pub(super) fn call(
        &mut self,
        source: &str,
        call: impl for<'js> FnOnce(&Object<'js>, Function<'js>) -> rquickjs::Result<String>,
    ) -> Result<String, ScriptError> {
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
                call(&host, f).map_err(described)
            })
        })
    }
}
