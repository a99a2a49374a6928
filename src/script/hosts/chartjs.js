// The Chart.js renderer's side in the engine: a Canvas 2D context that
// records every call as numbers (and strings by index) for the Rust canvas
// to replay, the few objects Chart.js looks for around a canvas, and
// QuickChart's defaults for v2 configs. `Chart` (Chart.js 2.9.4 with the
// moment it bundles, or Chart.js 3 or 4 with moment's adapter, and the plugins
// any chart of that version may use) is loaded into the context before
// this runs; `load(name)` runs one of the plugins only some configs use
// (`Library` in src/script/chartjs.rs). Without `window` and `document`,
// Chart.js 3 and 4 take their BasicPlatform, as on a Node canvas.
//
// The opcodes are `canvas2d::Op` in src/render/canvas2d/replay.rs; keep the
// two lists in step.
({
  draw(configText, [functionKey, paintKey], width, height, ratio, measure, load) {
    const nums = [];
    const strs = [];
    const index = new Map();
    const str = (s) => {
      s = String(s);
      let i = index.get(s);
      if (i === undefined) { i = strs.length; strs.push(s); index.set(s, i); }
      return i;
    };
    // Calls go straight to `nums.push` (one native call per canvas call,
    // no rest arrays): the recorder runs 7,000 times for the reference
    // chart. `op` is for the few calls of variable length. Values become
    // numbers once, in the Float64Array at the end.
    const op = (...a) => { for (const v of a) nums.push(v); };
    // The canvas's own classes, which Chart.js's `helpers.color` and the
    // colorschemes plugin test values against.
    function CanvasGradient() {}
    function CanvasPattern() {}
    globalThis.CanvasGradient = CanvasGradient;
    globalThis.CanvasPattern = CanvasPattern;
    let gradients = 0;
    const gradient = (code, args) => {
      const id = gradients++;
      op(code, id, ...args);
      const g = Object.create(CanvasGradient.prototype);
      g._id = id;
      g.addColorStop = (offset, color) => { op(38, id, offset, str(color)); };
      return g;
    };
    // A pattern from QuickChart's `pattern.draw` (patternomaly, recorded in
    // the sandbox as `{size, ops}`): its tile written once, as
    // `createPattern` copies a tile canvas; `null` for anything else.
    let patterns = 0;
    const pattern = (tile) => {
      const ops = tile && Array.isArray(tile.ops) ? tile.ops : null;
      if (!ops || !(tile.size > 0)) return null;
      const out = [ops.length];
      for (const o of ops) {
        const path = Array.isArray(o && o.path) ? o.path : [];
        const cmds = [];
        let n = 0;
        for (let i = 0; i < path.length; n++) {
          const kind = { M: 0, L: 1, Z: 2 }[path[i++]];
          if (kind === undefined) return null;
          cmds.push(kind);
          if (kind < 2) cmds.push(+path[i++], +path[i++]);
        }
        out.push(o.fill ? 1 : 0, str(o.color), +o.width || 0, n, ...cmds);
      }
      const id = patterns++;
      op(40, id, +tile.size, ...out);
      const p = Object.create(CanvasPattern.prototype);
      p._pattern = id;
      return p;
    };
    // QuickChart's helpers' values (`getGradientFill*`, `pattern.draw`),
    // made in the sandbox as data, as the canvas objects they stand for.
    const paint = (p, v) => {
      if (p && Array.isArray(p.gradient) && p.gradient.length === 4 && Array.isArray(p.stops)) {
        const g = gradient(36, p.gradient.map(Number));
        for (const stop of p.stops) if (Array.isArray(stop)) g.addColorStop(+stop[0], stop[1]);
        return g;
      }
      return (p && pattern(p.pattern)) || v;
    };
    const cap = { butt: 0, round: 1, square: 2 };
    const join = { miter: 0, round: 1, bevel: 2 };
    const align = { start: 0, end: 1, left: 2, right: 3, center: 4 };
    const baseline = { alphabetic: 0, top: 1, hanging: 2, middle: 3, ideographic: 4, bottom: 5 };
    const widths = new Map();
    const state = {
      fillStyle: '#000000', strokeStyle: '#000000', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter',
      miterLimit: 10, lineDashOffset: 0, globalAlpha: 1, font: '10px sans-serif', textAlign: 'start',
      textBaseline: 'alphabetic', globalCompositeOperation: 'source-over', dash: [],
    };
    const saved = [];
    const style = (solid, shaded, patterned) => (v) => {
      if (v && typeof v === 'object' && '_id' in v) nums.push(shaded, v._id);
      else if (v && typeof v === 'object' && '_pattern' in v) nums.push(patterned, v._pattern);
      else nums.push(solid, str(v));
    };
    const setters = {
      fillStyle: style(22, 23, 41), strokeStyle: style(24, 25, 42),
      lineWidth: (v) => nums.push(26, v), lineCap: (v) => v in cap && nums.push(27, cap[v]),
      lineJoin: (v) => v in join && nums.push(28, join[v]), miterLimit: (v) => nums.push(29, v),
      lineDashOffset: (v) => nums.push(31, v), globalAlpha: (v) => nums.push(32, v),
      font: (v) => nums.push(33, str(v)),
      textAlign: (v) => v in align && nums.push(34, align[v]),
      textBaseline: (v) => v in baseline && nums.push(35, baseline[v]),
      globalCompositeOperation: (v) => nums.push(39, str(v)),
    };
    const ctx = {
      save() { saved.push({ ...state }); nums.push(0); },
      restore() { if (saved.length) Object.assign(state, saved.pop()); nums.push(1); },
      transform(a, b, c, d, e, f) { nums.push(2, a, b, c, d, e, f); },
      setTransform(a, b, c, d, e, f) {
        if (a && typeof a === 'object') ({ a, b, c, d, e, f } = a);
        nums.push(3, a, b, c, d, e, f);
      },
      resetTransform() { nums.push(3, 1, 0, 0, 1, 0, 0); },
      translate(x, y) { nums.push(2, 1, 0, 0, 1, x, y); },
      scale(x, y) { nums.push(2, x, 0, 0, y, 0, 0); },
      rotate(t) { const c = Math.cos(t), s = Math.sin(t); nums.push(2, c, s, -s, c, 0, 0); },
      beginPath() { nums.push(4); },
      moveTo(x, y) { nums.push(5, x, y); },
      lineTo(x, y) { nums.push(6, x, y); },
      bezierCurveTo(a, b, c, d, x, y) { nums.push(7, a, b, c, d, x, y); },
      quadraticCurveTo(a, b, x, y) { nums.push(8, a, b, x, y); },
      arc(x, y, r, a0, a1, ccw) { nums.push(9, x, y, r, a0, a1, ccw ? 1 : 0); },
      rect(x, y, w, h) { nums.push(10, x, y, w, h); },
      closePath() { nums.push(11); },
      ellipse(x, y, rx, ry, rot, a0, a1, ccw) { nums.push(12, x, y, rx, ry, rot, a0, a1, ccw ? 1 : 0); },
      arcTo(x1, y1, x2, y2, r) { nums.push(13, x1, y1, x2, y2, r); },
      fill(rule) { nums.push(14, rule === 'evenodd' ? 1 : 0); },
      stroke() { nums.push(15); },
      clip(rule) { nums.push(16, rule === 'evenodd' ? 1 : 0); },
      fillRect(x, y, w, h) { nums.push(17, x, y, w, h); },
      strokeRect(x, y, w, h) { nums.push(18, x, y, w, h); },
      clearRect(x, y, w, h) { nums.push(19, x, y, w, h); },
      fillText(t, x, y, max) { nums.push(20, str(t), x, y, max === undefined ? NaN : max); },
      strokeText(t, x, y, max) { nums.push(21, str(t), x, y, max === undefined ? NaN : max); },
      // Widths by font, then text: Chart.js measures every label of an
      // axis, often more than once (1,009 calls for the reference chart).
      measureText(t) {
        const font = state.font;
        let byText = widths.get(font);
        if (byText === undefined) widths.set(font, (byText = new Map()));
        t = String(t);
        let w = byText.get(t);
        if (w === undefined) { w = measure(font, t); byText.set(t, w); }
        return { width: w };
      },
      setLineDash(d) {
        if (!Array.isArray(d) || d.some((v) => !(v >= 0) || !isFinite(v))) return;
        state.dash = d.length % 2 ? d.concat(d) : d.slice();
        op(30, state.dash.length, ...state.dash);
      },
      getLineDash() { return state.dash.slice(); },
      createLinearGradient(x0, y0, x1, y1) { return gradient(36, [x0, y0, x1, y1]); },
      createRadialGradient(x0, y0, r0, x1, y1, r1) { return gradient(37, [x0, y0, r0, x1, y1, r1]); },
      // Images are not drawn yet, nor patterns made from them: such a
      // pattern paints nothing, as a browser's canvas ignores an unknown
      // style. (QuickChart's `pattern.draw` patterns are drawn: `pattern`.)
      createPattern() { return null; },
      drawImage() {},
      getImageData(x, y, w, h) { return { width: w, height: h, data: new Uint8ClampedArray(4 * w * h) }; },
      putImageData() {},
      isPointInPath() { return false; },
    };
    for (const name of Object.keys(setters)) {
      Object.defineProperty(ctx, name, {
        get() { return state[name]; },
        // Chart.js sets the same style for every point and label it draws:
        // a value equal to the current one changes nothing on a canvas,
        // so it is not recorded (the replay keeps the same state stack).
        set(v) {
          if (state[name] === v) return;
          state[name] = v;
          setters[name](v);
        },
      });
    }
    const canvas = {
      width: width, height: height, style: {}, ownerDocument: null, parentNode: null,
      getContext() { return ctx; },
      getAttribute() { return null; }, setAttribute() {}, removeAttribute() {},
      addEventListener() {}, removeEventListener() {},
    };
    ctx.canvas = canvas;

    const config = JSON.parse(configText, (k, v) => {
      if (v === null || typeof v !== 'object') return v;
      if (functionKey in v) return (0, eval)('(\n' + v[functionKey] + '\n)');
      return paintKey in v ? paint(v[paintKey], v) : v;
    });
    if (config.type === 'donut') config.type = 'doughnut';
    // Chart.js 2 has no `Chart.register` (nor `Chart.version`).
    if (typeof Chart.register !== 'function') {
      quickchartDefaults(config);
      loadPlugins(config);
    } else {
      registerPlugins(config);
    }
    const options = config.options || (config.options = {});
    if (options.plugins && options.plugins.tickFormat) {
      config.plugins = (Array.isArray(config.plugins) ? config.plugins : []).concat([tickFormat()]);
    }
    options.responsive = false;
    options.maintainAspectRatio = false;
    options.animation = false;
    options.devicePixelRatio = ratio;
    options.events = [];
    new Chart(ctx, config);
    return { nums: new Float64Array(nums), strs };

    // What QuickChart does to a v2 config before Chart.js sees it, step by
    // step as its lib/charts.js does it (and as the contract words it): its chart-type rewrites
    // (`sparkline`, `progressBar`), straight lines unless a tension is
    // given, a y axis from zero when there are no scales, the colorschemes
    // plugin's Tableau10 for the types it names, datalabels on pie and
    // doughnut slices only, outlabels only where asked for. The other
    // types (gauges, box and violin plots) meet the colorschemes plugin
    // with its own defaults, as in QuickChart's process, where the plugin
    // is registered for good by the first chart that used it.
    function quickchartDefaults(config) {
      config.options = config.options || {};
      if (config.type === 'sparkline') sparkline(config);
      if (config.type === 'progressBar') progressBar(config);
      // Read after the rewrites: progressBar's options are a merged copy.
      const { type, options } = config;
      const data = config.data || (config.data = {});
      const datasets = Array.isArray(data.datasets) ? data.datasets : [];
      const round = ['pie', 'doughnut', 'polarArea', 'outlabeledPie', 'outlabeledDoughnut'].includes(type);
      const cartesian = ['bar', 'horizontalBar', 'line', 'scatter', 'bubble'].includes(type);
      if (cartesian && !options.scales) options.scales = { yAxes: [{ ticks: { beginAtZero: true } }] };
      const plugins = options.plugins || (options.plugins = {});
      if ((cartesian || round || type === 'radar') && !plugins.colorschemes) {
        plugins.colorschemes = { scheme: 'tableau.Tableau10' };
      }
      // Straight lines for every line dataset, also in mixed charts (the
      // contract's rule; QuickChart itself straightens line charts only).
      datasets.forEach((ds) => {
        if ((ds.type || type) === 'line') ds.lineTension = ds.lineTension || 0;
      });
      const labelDefaults = !plugins.datalabels;
      // Hidden labels, where no dataset asks for its own, are the plugin
      // turned off for this chart (`false`, which Chart.js 2 reads as
      // such): the same picture, without the plugin building a label for
      // each of the chart's points (a tenth of the reference chart's
      // JavaScript).
      const hiddenLabels = datasets.some((ds) => ds && ds.datalabels !== undefined) ? { display: false } : false;
      if (labelDefaults) plugins.datalabels = type === 'pie' || type === 'doughnut' ? { display: true } : hiddenLabels;
      // The outlabels plugin, registered for good in QuickChart's process
      // by the first round chart, would label any chart's arcs (a gauge's
      // as "undefined 18%"): here it labels only charts that ask for it.
      const askedOutlabels = !!plugins.outlabels || datasets.some((ds) => ds.outlabels);
      if (!askedOutlabels) plugins.outlabels = false;
      // As QuickChart: where only some datasets ask, the others get none;
      // asked-for outlabels replace the default datalabels.
      if (askedOutlabels && (round || type === 'radialGauge')) {
        if (!plugins.outlabels) datasets.forEach((ds) => { ds.outlabels = ds.outlabels || { display: false }; });
        if (labelDefaults) plugins.datalabels = hiddenLabels;
      }
      const pad = plugins.padBelowLegend;
      if (pad) {
        Chart.Legend.prototype.afterFit = function afterFit() { this.height += Number(pad) || 0; };
      }
    }

    // The plugins this chart uses beyond those every chart may: its type's
    // (QuickChart's gauges, box and violin plots, outlabeled pies), and
    // outlabels where asked for (else turned off, so not needed).
    function loadPlugins(config) {
      const type = config.type;
      if (type === 'radialGauge') load('radialGauge');
      if (type === 'gauge') load('gauge');
      if (['boxplot', 'horizontalBoxplot', 'violin', 'horizontalViolin'].includes(type)) load('boxplot');
      const outlabeled = type === 'outlabeledPie' || type === 'outlabeledDoughnut';
      if (outlabeled || config.options.plugins.outlabels !== false) load('outlabels');
    }

    // QuickChart's `tickFormat` plugin (its documentation's words; the
    // plugin's source is not public): the labels of every numeric axis
    // (linear, logarithmic, radial) whose ticks have no callback of the
    // config's become `prefix + Intl.NumberFormat(locale, options)
    // .format(value) + suffix`, the options being the plugin's own; with
    // `applyToDataLabels`, the datalabels too. Run before Chart.js builds
    // its scales, on the scale options it merged with its defaults: a
    // callback still Chart.js's own formatter is the config's default.
    // A logarithmic axis keeps the labels its formatter leaves out empty.
    function tickFormat() {
      return {
        id: 'tickFormat',
        beforeInit(chart) {
          const options = chart.config.options || chart.options;
          const o = options.plugins.tickFormat;
          const nf = new Intl.NumberFormat(o.locale, o);
          const text = (v) => String(o.prefix === undefined ? '' : o.prefix) + nf.format(v) +
            String(o.suffix === undefined ? '' : o.suffix);
          const own = Object.values(Chart.Ticks.formatters);
          const apply = (scale) => {
            const ticks = scale && scale.ticks;
            const type = scale && scale.type;
            if (!ticks || !['linear', 'logarithmic', 'radialLinear'].includes(type)) return;
            const theirs = ticks.callback;
            if (theirs && !own.includes(theirs)) return;
            ticks.callback = function (value, index, values) {
              const shown = theirs ? theirs.call(this, value, index, values) : value;
              return shown === '' || shown === null || shown === undefined ? shown : text(value);
            };
          };
          const scales = options.scales || {};
          if (Array.isArray(scales.xAxes) || Array.isArray(scales.yAxes)) {
            (scales.xAxes || []).forEach(apply);
            (scales.yAxes || []).forEach(apply);
          } else {
            Object.values(scales).forEach(apply);
          }
          apply(options.scale);
          if (o.applyToDataLabels) {
            const labels = options.plugins.datalabels || (options.plugins.datalabels = {});
            labels.formatter = (v) => (typeof v === 'number' ? text(v) : v);
          }
        },
      };
    }

    // Chart.js 3 and 4's plugins that register themselves nowhere: datalabels,
    // for the configs that set its options (annotation registers itself
    // and acts only on configs that set its options); and the sankey type,
    // loaded for the charts of that type only.
    function registerPlugins(config) {
      const plugins = config.options && config.options.plugins;
      if (plugins && plugins.datalabels) Chart.register(ChartDataLabels);
      if (config.type === 'sankey') load('sankey');
    }

    // QuickChart's `sparkline`: one line, no axes, legend or points, a
    // black 1 px line, the y range 5% wider than the data.
    function sparkline(config) {
      const datasets = (config.data && config.data.datasets) || [];
      if (datasets.length < 1) throw new Error('"sparkline" requires 1 dataset');
      config.type = 'line';
      const series = datasets[0].data || [];
      if (!config.data.labels) config.data.labels = Array(series.length);
      const options = config.options;
      options.legend = options.legend || { display: false };
      const elements = options.elements || (options.elements = {});
      elements.line = elements.line || { borderColor: '#000', borderWidth: 1 };
      elements.point = elements.point || { radius: 0 };
      const scales = options.scales || (options.scales = {});
      let min = Infinity;
      let max = -Infinity;
      for (const v of series) {
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
      scales.xAxes = scales.xAxes || [{ display: false }];
      scales.yAxes = scales.yAxes || [{ display: false, ticks: { min: min - min * 0.05, max: max + max * 0.05 } }];
    }

    // QuickChart's `progressBar`: a horizontal bar over a second, white
    // bar of the total (100 when only the value is given, shown then as a
    // percentage), without axes or legend, the value written on the bar.
    // Options merge as QuickChart merges them (npm's deepmerge: arrays
    // concatenated, the config's options last); the labels are the bars'
    // indices unless the config has a top-level `labels`, as there.
    function progressBar(config) {
      config.type = 'horizontalBar';
      const datasets = config.data.datasets || [];
      if (datasets.length < 1 || datasets.length > 2) throw new Error('progressBar chart requires 1 or 2 datasets');
      const length = (datasets[0].data || []).length;
      const percent = datasets.length === 1;
      if (percent) datasets.push({ data: Array(length).fill(100) });
      if ((datasets[1].data || []).length !== length) throw new Error('progressBar datasets must have the same size of data');
      config.data.labels = config.labels || Array.from(Array(length).keys());
      const total = datasets[1];
      total.backgroundColor = total.backgroundColor || '#fff';
      total.borderColor = total.borderColor || '#4e78a7';
      total.borderWidth = total.borderWidth || 1;
      const hidden = { display: false, drawTicks: false };
      config.options = deepmerge({
        legend: { display: false },
        scales: {
          xAxes: [{ ticks: { display: false, beginAtZero: true }, gridLines: hidden }],
          yAxes: [{ stacked: true, ticks: { display: false }, gridLines: { display: false, drawTicks: false, mirror: true } }],
        },
        plugins: {
          datalabels: {
            color: '#fff',
            formatter: (value) => (percent ? value + '%' : value),
            display: (ctx) => ctx.datasetIndex === 0,
          },
        },
      }, config.options);
    }

    // npm's deepmerge as QuickChart calls it: plain objects merged key by
    // key into a copy, arrays concatenated, anything else taken from `b`.
    function deepmerge(a, b) {
      const plain = (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v !== 'function';
      if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
      if (!plain(a) || !plain(b)) return b;
      const out = Object.assign({}, a);
      for (const k of Object.keys(b)) out[k] = k in a ? deepmerge(a[k], b[k]) : b[k];
      return out;
    }
  },
})
