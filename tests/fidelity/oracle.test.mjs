// The Chart.js renderer held against the real thing: every gallery spec the
// gateway draws with Chart.js (X-Chartgate-Renderer: chartjs) is drawn again
// by Chart.js 2.9.4 in Debian's Chromium, with the plugins QuickChart
// bundles for v2 and QuickChart's v2 setup as its lib/charts.js writes it
// (`quickchart` below, written here from that source, apart from the
// gateway's own code: the sparkline and progressBar rewrites, the
// colorschemes plugin's Tableau10 for the types QuickChart names, datalabels
// shown on pie and doughnut slices unless configured, outlabels off unless
// configured, straight lines, a y axis from zero when there are no scales,
// the background filled first), or, for a v3 or v4 config, by Chart.js
// 3.9.1 or 4.4.1 with moment's adapter and the datalabels and annotation
// releases for that version, and the two pictures are compared pixel by
// pixel.
//
// A pixel differs when a channel is off by more than 38 (15% of 255, as
// ImageMagick's `-fuzz 15%`). Measured when this test was written, the
// routed charts differ in 0.1-0.9% of pixels, all on glyph and line edges
// (antialiasing: tiny-skia's and Skia's coverage differ by a level or two
// there). A misplaced tick label, a point moved by one pixel along a line,
// a missing legend entry or a wrong color each move well over 2%, the bound.
//
// Chromium draws with the fonts chartgate draws with: Chart.js's default
// list ('Helvetica Neue', Helvetica, Arial, sans-serif) is pinned to DejaVu
// Sans, chartgate's first face. Left to fontconfig, Debian's Noto packages
// (which the tests of fonts.dirs install) make `sans-serif` Noto Sans, and
// fonts-liberation (a Chromium recommend) makes Helvetica and Arial
// Liberation Sans: every label would differ for a reason that is not ours.
//
// Run by scripts/test.sh: node --test tests/fidelity/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");
const BIN = process.env.CHARTGATE_BIN || path.join(root, "target/debug/chartgate");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const MAX_DIFFERING = 0.02;
const CHANNEL_FUZZ = 38;

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  throw new Error("playwright-core is missing: run scripts/test.sh (npm ci in tests/fidelity) first");
}
for (const [what, file] of [["chartgate binary (cargo build)", BIN], ["chromium (apt-get install chromium)", CHROMIUM]]) {
  if (!existsSync(file)) throw new Error(`${what} not found at ${file}`);
}

let gateway, browser;
/** A page per Chart.js major version, its libraries loaded. */
const pages = {};

before(async () => {
  gateway = await new Promise((resolve, reject) => {
    const child = spawn(BIN, ["--listen", "127.0.0.1:0"], { env: { ...process.env, RUST_LOG: "warn" }, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/chartgate listening on (http:\/\/\S+)/);
      if (m) resolve({ url: m[1], child });
    });
    child.on("exit", (code) => reject(new Error(`chartgate exited with ${code}: ${out}`)));
  });
  const fontconfig = path.join(mkdtempSync(path.join(os.tmpdir(), "chartgate-oracle-")), "fonts.conf");
  writeFileSync(fontconfig, `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="strong"><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>
${["Helvetica Neue", "Helvetica", "Arial"].map((f) => `  <match target="pattern">
    <test qual="any" name="family"><string>${f}</string></test>
    <edit name="family" mode="assign" binding="strong"><string>DejaVu Sans</string></edit>
  </match>`).join("\n")}
</fontconfig>
`);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--allow-file-access-from-files"],
    env: { ...process.env, FONTCONFIG_FILE: fontconfig },
  });
  pages[2] = await pageWith([
    "chart.js/dist/Chart.bundle.min.js",
    "chartjs-plugin-colorschemes/dist/chartjs-plugin-colorschemes.min.js",
    "chartjs-plugin-datalabels/dist/chartjs-plugin-datalabels.min.js",
    "chartjs-plugin-annotation/chartjs-plugin-annotation.min.js",
    "chartjs-plugin-doughnutlabel/dist/chartjs-plugin-doughnutlabel.js",
    "chartjs-plugin-piechart-outlabels/dist/chartjs-plugin-piechart-outlabels.min.js",
    "chartjs-chart-radial-gauge/build/Chart.RadialGauge.umd.min.js",
    "chartjs-chart-box-and-violin-plot/build/Chart.BoxPlot.min.js",
    "chartjs-gauge/dist/chartjs-gauge.min.js",
  ]);
  // (chartjs-plugin-annotation 0.5.7 registers a plugin without an id.)
  await pages[2].waitForFunction(() => window.Chart && ["colorschemes", "datalabels", "doughnutlabel", "outlabels"].every((id) => Chart.plugins.getAll().some((p) => p.id === id))
    && ["radialGauge", "gauge", "boxplot", "violin"].every((type) => Chart.controllers[type]));
  await pages[2].addScriptTag({ content: `window.quickchart = ${quickchart.toString()};` });
  // Chart.js 4 with moment's adapter, the v4 releases of datalabels and
  // annotation (which registers itself), and sankey (likewise); QuickChart
  // adds no defaults there.
  // Chart.js 3.9.1 likewise, with annotation's release for Chart.js 3.
  for (const [version, chart, annotation] of [[3, "chartjs3/dist/chart.min.js", "annotation2"], [4, "chartjs4/dist/chart.umd.js", "annotation3"]]) {
    pages[version] = await pageWith([
      "moment/min/moment.min.js",
      chart,
      "chartjs-adapter-moment/dist/chartjs-adapter-moment.min.js",
      "datalabels2/dist/chartjs-plugin-datalabels.min.js",
      `${annotation}/dist/chartjs-plugin-annotation.min.js`,
      "chartjs-chart-sankey/dist/chartjs-chart-sankey.min.js",
    ]);
    await pages[version].waitForFunction((v) => window.Chart && Chart.version.startsWith(v) && window.ChartDataLabels && Chart.registry.plugins.get("annotation")
      && Chart.registry.controllers.get("sankey"), `${version}.`);
    await pages[version].addScriptTag({ content: "window.quickchart = (chart) => { if (chart.options?.plugins?.datalabels) Chart.register(ChartDataLabels); return chart; };" });
  }
});

/** A blank page with these npm files loaded, in order. */
async function pageWith(libs) {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><meta charset="utf-8"><body style="margin:0"></body>`);
  for (const lib of libs) await page.addScriptTag({ path: path.join(here, "node_modules", lib) });
  return page;
}

/**
 * QuickChart's preparation of a v2 config (typpo/quickchart lib/charts.js,
 * `renderChartJs`), in the page: what a config becomes before Chart.js
 * draws it on quickchart.io.
 */
function quickchart(chart) {
  const options = (chart.options = chart.options || {});
  if (chart.type === "donut") chart.type = "doughnut";
  if (chart.type === "sparkline") {
    chart.type = "line";
    const series = chart.data.datasets[0].data;
    if (!chart.data.labels) chart.data.labels = Array(series.length);
    options.legend = options.legend || { display: false };
    options.elements = options.elements || {};
    options.elements.line = options.elements.line || { borderColor: "#000", borderWidth: 1 };
    options.elements.point = options.elements.point || { radius: 0 };
    options.scales = options.scales || {};
    const min = Math.min(...series), max = Math.max(...series);
    options.scales.xAxes = options.scales.xAxes || [{ display: false }];
    options.scales.yAxes = options.scales.yAxes || [{ display: false, ticks: { min: min - min * 0.05, max: max + max * 0.05 } }];
  }
  if (chart.type === "progressBar") {
    chart.type = "horizontalBar";
    const sets = chart.data.datasets;
    const n = sets[0].data.length;
    const percent = sets.length === 1;
    if (percent) sets.push({ data: Array(n).fill(100) });
    chart.data.labels = chart.labels || Array.from(Array(n).keys());
    sets[1].backgroundColor = sets[1].backgroundColor || "#fff";
    sets[1].borderColor = sets[1].borderColor || "#4e78a7";
    sets[1].borderWidth = sets[1].borderWidth || 1;
    // deepmerge(defaults, options): the config's options win, arrays concatenate.
    const merge = (a, b) => {
      if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
      const plain = (v) => v && typeof v === "object" && !Array.isArray(v);
      if (!plain(a) || !plain(b)) return b;
      const out = { ...a };
      for (const k of Object.keys(b)) out[k] = k in a ? merge(a[k], b[k]) : b[k];
      return out;
    };
    chart.options = merge({
      legend: { display: false },
      scales: {
        xAxes: [{ ticks: { display: false, beginAtZero: true }, gridLines: { display: false, drawTicks: false } }],
        yAxes: [{ stacked: true, ticks: { display: false }, gridLines: { display: false, drawTicks: false, mirror: true } }],
      },
      plugins: { datalabels: { color: "#fff", formatter: (v) => (percent ? `${v}%` : v), display: (c) => c.datasetIndex === 0 } },
    }, options);
  }
  const o = chart.options;
  const round = ["pie", "doughnut", "polarArea", "outlabeledPie", "outlabeledDoughnut"].includes(chart.type);
  const cartesian = ["bar", "horizontalBar", "line", "scatter", "bubble"].includes(chart.type);
  if (cartesian && !o.scales) o.scales = { yAxes: [{ ticks: { beginAtZero: true } }] };
  o.plugins = o.plugins || {};
  if ((cartesian || round || chart.type === "radar") && !o.plugins.colorschemes) o.plugins.colorschemes = { scheme: "tableau.Tableau10" };
  // Straight lines for every line dataset, mixed charts too: the contract's
  // rule (QuickChart's code straightens type 'line' charts only).
  for (const d of chart.data.datasets) if ((d.type || chart.type) === "line") d.lineTension = d.lineTension || 0;
  const labelDefaults = !o.plugins.datalabels;
  if (labelDefaults) o.plugins.datalabels = { display: chart.type === "pie" || chart.type === "doughnut" };
  // Plugins act only on configs that name them: outlabels, registered for
  // good in QuickChart's process, would otherwise label a gauge's arcs.
  if (!o.plugins.outlabels && !chart.data.datasets.some((d) => d.outlabels)) o.plugins.outlabels = false;
  if (round || chart.type === "radialGauge") {
    let outlabels = false;
    for (const d of chart.data.datasets) {
      if (d.outlabels || o.plugins.outlabels) outlabels = true;
      else d.outlabels = { display: false };
    }
    if (outlabels && labelDefaults) o.plugins.datalabels = { display: false };
  }
  return chart;
}

after(async () => {
  await browser?.close();
  gateway?.child.kill();
});

/** The gallery's specs, as the gateway takes them in a POST body. */
function gallery() {
  const dir = path.join(root, "tests/gallery");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => ({ name: f, spec: JSON.parse(readFileSync(path.join(dir, f), "utf8")) }));
}

/**
 * Draws `spec` with its Chart.js in Chromium (2.9.4, set up as QuickChart
 * sets up a v2 chart; 3.9.1 for v3, 4.4.1 for v4), and answers the share of its
 * pixels that differ from `image` (the gateway's picture, PNG or SVG of
 * `type`, decoded and drawn at the canvas's size by Chromium). Compared in
 * the page: only the figure crosses back.
 */
async function differingShare(spec, image, type = "image/png") {
  const major = String(spec.version ?? 2)[0];
  const version = major === "2" ? 2 : major === "3" ? 3 : 4;
  return pages[version].evaluate(async ({ src, W, H, DPR, BKG, b64, TYPE, FUZZ, MAX }) => {
    const canvas = document.createElement("canvas");
    canvas.width = W;
    canvas.height = H;
    document.body.replaceChildren(canvas);
    const cfg = window.quickchart(new Function("return (" + src + ")")());
    cfg.options = Object.assign(cfg.options || {}, { animation: false, responsive: false, devicePixelRatio: DPR });
    cfg.plugins = [{ id: "background", beforeDraw: (c) => { const x = c.ctx; x.save(); x.fillStyle = BKG; x.fillRect(0, 0, c.width, c.height); x.restore(); } }];
    new Chart(canvas.getContext("2d"), cfg);
    const theirs = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const img = new Image();
    img.src = `data:${TYPE};base64,` + b64;
    await img.decode();
    // A PNG is the canvas's size in pixels; an SVG is sized in CSS pixels
    // and drawn at the canvas's resolution.
    if (TYPE === "image/png" && (img.width !== canvas.width || img.height !== canvas.height)) return { share: 1, theirs: null };
    const c = document.createElement("canvas");
    c.width = canvas.width;
    c.height = canvas.height;
    c.getContext("2d").drawImage(img, 0, 0, c.width, c.height);
    const mine = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let differing = 0;
    for (let i = 0; i < mine.length; i += 4) {
      for (let k = 0; k < 4; k++) {
        if (Math.abs(mine[i + k] - theirs[i + k]) > FUZZ) {
          differing++;
          break;
        }
      }
    }
    const share = differing / (mine.length / 4);
    return { share, theirs: share < MAX ? null : canvas.toDataURL("image/png") };
  }, { src: typeof spec.chart === "string" ? spec.chart : JSON.stringify(spec.chart), W: spec.width ?? 500, H: spec.height ?? 300, DPR: spec.devicePixelRatio ?? 2, BKG: spec.backgroundColor ?? "transparent", b64: image.toString("base64"), TYPE: type, FUZZ: CHANNEL_FUZZ, MAX: MAX_DIFFERING });
}

/**
 * Every gallery chart the gateway draws with Chart.js, fetched in `format`,
 * held against its Chart.js in Chromium; answers the figures compared.
 */
async function compareGallery(format) {
  const compared = [];
  for (const { name, spec } of gallery()) {
    if ((spec.format ?? "png") !== "png") continue;
    const res = await fetch(gateway.url + "/chart", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...spec, format }) });
    assert.equal(res.status, 200, name);
    if (res.headers.get("x-chartgate-renderer") !== "chartjs") continue;
    const type = res.headers.get("content-type");
    assert.equal(type, format === "svg" ? "image/svg+xml" : "image/png", name);
    const mine = Buffer.from(await res.arrayBuffer());
    const { share, theirs } = await differingShare(spec, mine, type);
    compared.push(`${name} ${(share * 100).toFixed(2)}%`);
    let kept = "";
    if (theirs) {
      // Both pictures, to look at side by side.
      const dir = mkdtempSync(path.join(os.tmpdir(), "chartgate-oracle-"));
      writeFileSync(path.join(dir, "chartjs.png"), Buffer.from(theirs.split(",")[1], "base64"));
      writeFileSync(path.join(dir, `chartgate.${format}`), mine);
      kept = ` (both pictures in ${dir})`;
    }
    assert.ok(share < MAX_DIFFERING, `${name} (${format}): ${(share * 100).toFixed(2)}% of pixels differ from Chart.js${kept}`);
  }
  // The gallery's time scales and second axes: none may slip out unseen.
  assert.ok(compared.length >= 5, `only ${compared.length} gallery charts took the Chart.js renderer`);
  return compared;
}

test("every chart the gateway draws with Chart.js matches its Chart.js (2.9.4, 3.9.1 or 4.4.1) in Chromium", async () => {
  console.log("compared with Chart.js:", (await compareGallery("png")).join(", "));
});

// The same recording written as SVG, as a browser shows it: the same
// bound. Chromium shapes the SVG's text itself, in the DejaVu Sans the
// document names first.
test("their SVG, as Chromium draws it, matches Chart.js too", async () => {
  console.log("SVG compared with Chart.js:", (await compareGallery("svg")).join(", "));
});
