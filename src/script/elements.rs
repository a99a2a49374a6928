//! Scriptable options of a chart's elements, resolved when the config is
//! read: a dataset's `backgroundColor: (ctx) => …`, the datalabels
//! plugin's `formatter`, `display`, `color`, …, and the legend's
//! `labels.filter`. Each is called once per data point (or legend item)
//! with the context Chart.js gives it (`dataIndex`, `datasetIndex`,
//! `dataset`, `raw`, `parsed`, `chart.data`), and the answers become data
//! of the chart: two configs whose functions answer alike draw alike and
//! share a key.
//!
//! They run when the config is read, not at render, because their answers
//! depend on nothing the render knows (no chart area in a static picture),
//! and so the renderer stays free of the engine for them. One context per
//! chart, made on first use, holding the chart's data parsed once.

use super::sandbox::Limits;
use super::session::Session;
use super::ScriptError;
use crate::config::ScriptConfig;
use rquickjs::Function;
use serde_json::Value;
use std::time::{Duration, Instant};

/// How a function is called for each point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `(value, ctx)`: datalabels' `formatter`.
    Formatter,
    /// `(ctx)`: every other scriptable option.
    Option,
}

/// One chart's scriptable options, called in a context of their own; its
/// host is `hosts/elements.js`.
pub struct Elements(Session);

impl Elements {
    /// A context holding `data_json` (the config's `data`), for a chart of
    /// `width` × `height` CSS pixels; its calls share one `cfg.time_ms`.
    pub fn new(
        cfg: &ScriptConfig,
        data_json: &str,
        width: u32,
        height: u32,
    ) -> Result<Elements, ScriptError> {
        let limits = Limits::of(cfg, Instant::now() + Duration::from_millis(cfg.time_ms));
        Session::new(limits, (width, height), "elementsHost", |host| {
            host.get::<_, Function>("data")?
                .call((data_json, width, height))
        })
        .map(Elements)
    }

    /// The answers of the function whose canonical source is `source` for
    /// each point of dataset `dataset`, in order: `None` for `undefined`.
    pub fn points(
        &mut self,
        source: &str,
        dataset: usize,
        call: Call,
    ) -> Result<Vec<Option<Value>>, ScriptError> {
        let formatter = call == Call::Formatter;
        self.0.call(source, |host, f| {
            host.get::<_, Function>("points")?
                .call((f, dataset as u32, formatter))
        })
    }

    /// A legend `labels.filter`'s answer for each of `items` (a JSON array
    /// of legend items as Chart.js makes them).
    pub fn legend(&mut self, source: &str, items: &str) -> Result<Vec<Option<Value>>, ScriptError> {
        self.0.call(source, |host, f| {
            host.get::<_, Function>("legend")?.call((f, items))
        })
    }
}
