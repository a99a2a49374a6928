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

/// The host side, made once per context. `data(json)` takes the chart's
/// `data` (labels and datasets as the config gave them). `points` calls `f`
/// for each point of dataset `di` (as a formatter, `(value, ctx)`, or as
/// an option, `(ctx)`); `legend` calls a `labels.filter` with each legend
/// item and the data. Each answer comes back as it is, or for
/// `undefined` (which means "the default" to Chart.js), marked `UNDEFINED`.
const HOST: &str = "(() => {
  const stringify = JSON.stringify, parse = JSON.parse, isArray = Array.isArray;
  const UNDEFINED = '\\u0000undefined';
  let data = { labels: [], datasets: [] }, chart = {};
  const wrap = (r) => r === undefined || typeof r === 'function' ? UNDEFINED : r;
  return {
    data(json, width, height) {
      data = parse(json) || {};
      if (!isArray(data.labels)) data.labels = [];
      if (!isArray(data.datasets)) data.datasets = [];
      chart = { data, config: { data }, width, height, options: {} };
    },
    points(f, di, formatter) {
      const dataset = data.datasets[di] || {};
      const values = isArray(dataset.data) ? dataset.data : [];
      const out = new Array(values.length);
      // One context object, moved from point to point, `parsed` made only
      // when read, and `f` called directly (as Chart.js and the plugin
      // call it, `this` undefined): a fresh object and an argument array
      // per point were most of a formatter's cost.
      let i = 0, raw;
      const ctx = { chart, dataIndex: 0, index: 0, datasetIndex: di, dataset, raw: undefined,
                    active: false, type: 'data', mode: 'default',
                    get parsed() { return raw !== null && typeof raw === 'object' ? raw : { x: i, y: raw }; } };
      for (; i < values.length; i++) {
        raw = values[i];
        ctx.dataIndex = ctx.index = i;
        ctx.raw = raw;
        out[i] = wrap(formatter ? f(raw, ctx) : f(ctx));
      }
      return stringify(out);
    },
    legend(f, itemsJson) {
      return stringify(parse(itemsJson).map((item) => wrap(f(item, data))));
    },
  };
})()";

/// How `undefined` comes back from the engine (JSON has no `undefined`).
const UNDEFINED: &str = "\u{0}undefined";

/// How a function is called for each point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// `(value, ctx)`: datalabels' `formatter`.
    Formatter,
    /// `(ctx)`: every other scriptable option.
    Option,
}

/// One chart's scriptable options, called in a context of their own.
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
        Session::new(limits, (width, height), HOST, |host| {
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
        let out = self.0.call(source, |host, f| {
            host.get::<_, Function>("points")?
                .call((f, dataset as u32, formatter))
        })?;
        Ok(answers(&out))
    }

    /// A legend `labels.filter`'s answer for each of `items` (a JSON array
    /// of legend items as Chart.js makes them).
    pub fn legend(&mut self, source: &str, items: &str) -> Result<Vec<Option<Value>>, ScriptError> {
        let out = self.0.call(source, |host, f| {
            host.get::<_, Function>("legend")?.call((f, items))
        })?;
        Ok(answers(&out))
    }
}

/// The answers read back: `None` for each `UNDEFINED`.
fn answers(json: &str) -> Vec<Option<Value>> {
    let Ok(Value::Array(items)) = serde_json::from_str(json) else {
        return Vec::new();
    };
    items
        .into_iter()
        .map(|item| (item != UNDEFINED).then_some(item))
        .collect()
}
