// The Chart.js renderer held against the real thing: every gallery spec the
// gateway draws with Chart.js (X-Chartgate-Renderer: chartjs) is drawn again
// by Chart.js 2.9.4 in Debian's Chromium, with QuickChart's v2 setup (the
// colorschemes plugin's Tableau10, datalabels registered and shown on pie
// and doughnut slices unless configured, the annotation and doughnutlabel
// plugins, straight lines, a y axis from zero when there are no scales, the
// background filled first), and the two pictures are compared pixel by pixel.
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

let gateway, browser, page;

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
  page = await browser.newPage({ deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><meta charset="utf-8"><body style="margin:0"></body>`);
  for (const lib of [
    "chart.js/dist/Chart.bundle.min.js",
    "chartjs-plugin-colorschemes/dist/chartjs-plugin-colorschemes.min.js",
    "chartjs-plugin-datalabels/dist/chartjs-plugin-datalabels.min.js",
    "chartjs-plugin-annotation/chartjs-plugin-annotation.min.js",
    "chartjs-plugin-doughnutlabel/dist/chartjs-plugin-doughnutlabel.js",
  ]) {
    await page.addScriptTag({ path: path.join(here, "node_modules", lib) });
  }
  // (chartjs-plugin-annotation 0.5.7 registers a plugin without an id.)
  await page.waitForFunction(() => window.Chart && ["colorschemes", "datalabels", "doughnutlabel"].every((id) => Chart.plugins.getAll().some((p) => p.id === id)) && Chart.plugins.count() === 7);
});

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
 * Draws `spec` with Chart.js 2.9.4 in Chromium, set up as QuickChart sets up
 * a v2 chart, and answers the share of its pixels that differ from `png` (the
 * gateway's picture, decoded by Chromium). Compared in the page: only the
 * figure crosses back.
 */
async function differingShare(spec, png) {
  return page.evaluate(async ({ src, W, H, DPR, BKG, b64, FUZZ }) => {
    const canvas = document.createElement("canvas");
    canvas.width = W;
    canvas.height = H;
    document.body.replaceChildren(canvas);
    const cfg = new Function("return (" + src + ")")();
    cfg.options = cfg.options || {};
    Object.assign(cfg.options, { animation: false, responsive: false, devicePixelRatio: DPR });
    const plugins = (cfg.options.plugins = cfg.options.plugins || {});
    if (!plugins.colorschemes) plugins.colorschemes = { scheme: "tableau.Tableau10" };
    if (!plugins.datalabels) plugins.datalabels = { display: cfg.type === "pie" || cfg.type === "doughnut" };
    const cartesian = ["bar", "horizontalBar", "line", "scatter", "bubble"].includes(cfg.type);
    if (cartesian && !cfg.options.scales) cfg.options.scales = { yAxes: [{ ticks: { beginAtZero: true } }] };
    for (const d of cfg.data.datasets || []) {
      if ((d.type || cfg.type) === "line" && d.lineTension === undefined) d.lineTension = 0;
    }
    cfg.plugins = [{ beforeDraw: (c) => { const x = c.ctx; x.save(); x.fillStyle = BKG; x.fillRect(0, 0, c.width, c.height); x.restore(); } }];
    new Chart(canvas.getContext("2d"), cfg);
    const theirs = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    if (img.width !== canvas.width || img.height !== canvas.height) return 1;
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    c.getContext("2d").drawImage(img, 0, 0);
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
    return differing / (mine.length / 4);
  }, { src: spec.chart, W: spec.width ?? 500, H: spec.height ?? 300, DPR: spec.devicePixelRatio ?? 2, BKG: spec.backgroundColor ?? "transparent", b64: png.toString("base64"), FUZZ: CHANNEL_FUZZ });
}

test("every chart the gateway draws with Chart.js matches Chart.js 2.9.4 in Chromium", async () => {
  const compared = [];
  for (const { name, spec } of gallery()) {
    if ((spec.version ?? 2) != 2 || (spec.format ?? "png") !== "png") continue;
    const res = await fetch(gateway.url + "/chart", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(spec) });
    assert.equal(res.status, 200, name);
    if (res.headers.get("x-chartgate-renderer") !== "chartjs") continue;
    const share = await differingShare(spec, Buffer.from(await res.arrayBuffer()));
    compared.push(`${name} ${(share * 100).toFixed(2)}%`);
    assert.ok(share < MAX_DIFFERING, `${name}: ${(share * 100).toFixed(2)}% of pixels differ from Chart.js`);
  }
  console.log("compared with Chart.js:", compared.join(", "));
  // The gallery's time scales and second axes: none may slip out unseen.
  assert.ok(compared.length >= 5, `only ${compared.length} gallery charts took the Chart.js renderer`);
});
