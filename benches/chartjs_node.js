// Chart.js 2.9.4 (or, with CHARTJS_MAJOR=4, Chart.js 4.4.1) on a Node
// canvas (@napi-rs/canvas, what render-ratio.sh's chartjs_reference.js
// runs) drawing one gallery spec, one chart at a time, each with its own
// title, in process: the anchor chartjs-small.sh holds the Chart.js
// renderer against for small charts.
// usage: [CHARTJS_MAJOR=4] node chartjs_node.js SPEC.json SECONDS   prints: renders/s
// (NODE_PATH: the packages render-ratio.sh installs under ~/.cache/chartgate-bench,
// and for Chart.js 4 tests/fidelity/node_modules, where it is `chartjs4`)
const fs = require('fs');
const [specPath, seconds] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath));
const { createCanvas } = require('@napi-rs/canvas');
const v4 = process.env.CHARTJS_MAJOR === '4';
const Chart = v4 ? require('chartjs4').Chart : require('chart.js');
if (v4) {
  Chart.register(...require('chartjs4').registerables);
  Object.assign(Chart.defaults, { animation: false, responsive: false });
} else {
  Chart.defaults.global.animation = false;
  Chart.defaults.global.responsive = false;
}
// The chart's title, where its Chart.js version reads it.
function titled(options, text) {
  const title = { display: true, text };
  return v4 ? { ...options, plugins: { ...options.plugins, title } } : { ...options, title };
}
const ratio = spec.devicePixelRatio || 2; // QuickChart's default, as the gateway's
function render(i) {
  // As chartjs-node-canvas (QuickChart) makes it: the CSS size, which
  // Chart.js's retinaScale grows by the ratio, and a `style` it reads.
  const canvas = createCanvas(spec.width, spec.height);
  canvas.style = {};
  const cfg = JSON.parse(JSON.stringify(spec.chart));
  // chartjs-node-canvas turns responsiveness and animation off over the
  // config's own (a config's `responsive: true` made Chart.js 4 on Node
  // several times slower).
  const options = { ...cfg.options, devicePixelRatio: ratio, responsive: false, animation: false };
  cfg.options = titled(options, 'Bench chart ' + i);
  const chart = new Chart(canvas.getContext('2d'), cfg);
  const png = canvas.toBuffer('image/png');
  chart.destroy();
  return png.length;
}
render(-1);
let n = 0;
const t0 = process.hrtime.bigint();
while (Number(process.hrtime.bigint() - t0) / 1e9 < Number(seconds)) { render(n); n++; }
console.log(`${(n / (Number(process.hrtime.bigint() - t0) / 1e9)).toFixed(1)}`);
