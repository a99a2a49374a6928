// Chart.js 2.9.4 on a Node canvas (@napi-rs/canvas, what render-ratio.sh's
// chartjs_reference.js runs) drawing one gallery spec, one chart at a
// time, each with its own title, in process: the anchor chartjs-small.sh
// holds the Chart.js renderer against for small charts.
// usage: node chartjs_node.js SPEC.json SECONDS   prints: renders/s
// (NODE_PATH: the packages render-ratio.sh installs under ~/.cache/chartgate-bench)
const fs = require('fs');
const [specPath, seconds] = process.argv.slice(2);
const spec = JSON.parse(fs.readFileSync(specPath));
const { createCanvas } = require('@napi-rs/canvas');
const Chart = require('chart.js');
Chart.defaults.global.animation = false;
Chart.defaults.global.responsive = false;
const ratio = spec.devicePixelRatio || 2; // QuickChart's default, as the gateway's
function render(i) {
  // As chartjs-node-canvas (QuickChart) makes it: the CSS size, which
  // Chart.js's retinaScale grows by the ratio, and a `style` it reads.
  const canvas = createCanvas(spec.width, spec.height);
  canvas.style = {};
  const cfg = JSON.parse(JSON.stringify(spec.chart));
  cfg.options = Object.assign({}, cfg.options, { devicePixelRatio: ratio });
  cfg.options.title = { display: true, text: 'Bench chart ' + i };
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
