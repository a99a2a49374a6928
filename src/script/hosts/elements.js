// The host side, made once per context. `data(json)` takes the chart's
// `data` (labels and datasets as the config gave them). `points` calls `f`
// for each point of dataset `di` (as a formatter, `(value, ctx)`, or as
// an option, `(ctx)`); `legend` calls a `labels.filter` with each legend
// item and the data. The answers come back as an array, read by
// `Session::call` (`undefined` is `None`: "the default" to Chart.js).
(() => {
  const parse = JSON.parse, isArray = Array.isArray;
  let data = { labels: [], datasets: [] }, chart = {};
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
        out[i] = formatter ? f(raw, ctx) : f(ctx);
      }
      return out;
    },
    legend(f, itemsJson) {
      return parse(itemsJson).map((item) => f(item, data));
    },
  };
})()
