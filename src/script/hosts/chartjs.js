// The Chart.js renderer's side in the engine: a Canvas 2D context that
// records every call as numbers (and strings by index) for the Rust canvas
// to replay, the few objects Chart.js 2 looks for around a canvas, and
// QuickChart's defaults for v2 configs. `Chart` (Chart.js 2.9.4 with the
// moment it bundles) is loaded into the context before this runs.
//
// The opcodes are `canvas2d::Op` in src/render/canvas2d/replay.rs; keep the
// two lists in step.
({
  draw(configText, functionKey, width, height, ratio, measure) {
    const nums = [];
    const strs = [];
    const index = new Map();
    const str = (s) => {
      s = String(s);
      let i = index.get(s);
      if (i === undefined) { i = strs.length; strs.push(s); index.set(s, i); }
      return i;
    };
    // Calls go straight to `nums.push` (one call per canvas call, no rest
    // arrays): the recorder runs 7,000 times for the reference chart.
    // Values become numbers once, in the Float64Array at the end.
    const op = (...a) => { for (const v of a) nums.push(v); };
    let gradients = 0;
    const gradient = (code, args) => {
      const id = gradients++;
      op(code, id, ...args);
      return { _id: id, addColorStop(offset, color) { op(38, id, offset, str(color)); } };
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
    const style = (solid, shaded) => (v) => {
      if (v && typeof v === 'object' && '_id' in v) op(shaded, v._id); else op(solid, str(v));
    };
    const setters = {
      fillStyle: style(22, 23), strokeStyle: style(24, 25),
      lineWidth: (v) => nums.push(26, v), lineCap: (v) => v in cap && op(27, cap[v]),
      lineJoin: (v) => v in join && op(28, join[v]), miterLimit: (v) => op(29, v),
      lineDashOffset: (v) => op(31, v), globalAlpha: (v) => op(32, v), font: (v) => op(33, str(v)),
      textAlign: (v) => v in align && op(34, align[v]), textBaseline: (v) => v in baseline && op(35, baseline[v]),
      globalCompositeOperation: (v) => op(39, str(v)),
    };
    const ctx = {
      save() { saved.push({ ...state }); nums.push(0); },
      restore() { if (saved.length) Object.assign(state, saved.pop()); nums.push(1); },
      transform(a, b, c, d, e, f) { nums.push(2, a, b, c, d, e, f); },
      setTransform(a, b, c, d, e, f) {
        if (a && typeof a === 'object') ({ a, b, c, d, e, f } = a);
        op(3, a, b, c, d, e, f);
      },
      resetTransform() { op(3, 1, 0, 0, 1, 0, 0); },
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
      ellipse(x, y, rx, ry, rot, a0, a1, ccw) { op(12, x, y, rx, ry, rot, a0, a1, ccw ? 1 : 0); },
      arcTo(x1, y1, x2, y2, r) { op(13, x1, y1, x2, y2, r); },
      fill(rule) { nums.push(14, rule === 'evenodd' ? 1 : 0); },
      stroke() { nums.push(15); },
      clip(rule) { op(16, rule === 'evenodd' ? 1 : 0); },
      fillRect(x, y, w, h) { nums.push(17, x, y, w, h); },
      strokeRect(x, y, w, h) { op(18, x, y, w, h); },
      clearRect(x, y, w, h) { op(19, x, y, w, h); },
      fillText(t, x, y, max) { nums.push(20, str(t), x, y, max === undefined ? NaN : max); },
      strokeText(t, x, y, max) { op(21, str(t), x, y, max === undefined ? NaN : max); },
      measureText(t) {
        const key = state.font + '\u0000' + t;
        let w = widths.get(key);
        if (w === undefined) { w = measure(state.font, String(t)); widths.set(key, w); }
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
      // Patterns and images are not drawn yet: a pattern paints nothing,
      // as an unknown style is ignored by a browser's canvas.
      createPattern() { return null; },
      drawImage() {},
      getImageData(x, y, w, h) { return { width: w, height: h, data: new Uint8ClampedArray(4 * w * h) }; },
      putImageData() {},
      isPointInPath() { return false; },
    };
    for (const name of Object.keys(setters)) {
      Object.defineProperty(ctx, name, {
        get() { return state[name]; },
        set(v) { state[name] = v; setters[name](v); },
      });
    }
    const canvas = {
      width: width, height: height, style: {}, ownerDocument: null, parentNode: null,
      getContext() { return ctx; },
      getAttribute() { return null; }, setAttribute() {}, removeAttribute() {},
      addEventListener() {}, removeEventListener() {},
    };
    ctx.canvas = canvas;

    const config = JSON.parse(configText, (k, v) =>
      v !== null && typeof v === 'object' && functionKey in v ? (0, eval)('(\n' + v[functionKey] + '\n)') : v);
    quickchartDefaults(config);
    const options = config.options || (config.options = {});
    options.responsive = false;
    options.maintainAspectRatio = false;
    options.animation = false;
    options.devicePixelRatio = ratio;
    options.events = [];
    new Chart(ctx, config);
    return { nums: new Float64Array(nums), strs };

    // What QuickChart does to a v2 config before Chart.js sees it: straight
    // lines unless a tension is given, a y axis from zero when there are no
    // scales, and chartjs-plugin-colorschemes' Tableau10 for datasets
    // without colors (as the native renderer's `tableau10`).
    function quickchartDefaults(config) {
      const type = config.type;
      const options = config.options || (config.options = {});
      const cartesian = ['bar', 'horizontalBar', 'line', 'scatter', 'bubble'].includes(type);
      if (cartesian && !options.scales) options.scales = { yAxes: [{ ticks: { beginAtZero: true } }] };
      // datalabels is registered for every chart; without options of its
      // own, QuickChart shows values on pie and doughnut slices only.
      const plugins = options.plugins || (options.plugins = {});
      if (!plugins.datalabels) plugins.datalabels = { display: type === 'pie' || type === 'doughnut' };
      const tableau = ['#4E79A7', '#F28E2B', '#E15759', '#76B7B2', '#59A14F', '#EDC948', '#B07AA1', '#FF9DA7', '#9C755F', '#BAB0AC'];
      // As the plugin writes it: Color(c).alpha(0.5).rgbString().
      const half = (c) => 'rgba(' + [1, 3, 5].map((i) => parseInt(c.substr(i, 2), 16)).join(', ') + ', 0.5)';
      const datasets = (config.data && config.data.datasets) || [];
      // The plugin fills each color a dataset leaves undefined, one by one.
      const fill = (ds, key, value) => { if (ds[key] === undefined) ds[key] = value; };
      datasets.forEach((ds, i) => {
        const kind = ds.type || type;
        if (kind === 'line' && ds.lineTension === undefined) ds.lineTension = 0;
        const c = tableau[i % tableau.length];
        if (['line', 'radar', 'scatter'].includes(kind)) {
          fill(ds, 'backgroundColor', half(c));
          fill(ds, 'borderColor', c);
          fill(ds, 'pointBackgroundColor', half(c));
          fill(ds, 'pointBorderColor', c);
        } else if (['pie', 'doughnut', 'polarArea'].includes(kind)) {
          fill(ds, 'backgroundColor', (ds.data || []).map((_, j) => tableau[j % tableau.length]));
        } else {
          fill(ds, 'backgroundColor', c);
        }
      });
    }
  },
})
