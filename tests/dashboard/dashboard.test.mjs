// /dashboard in a real headless Chromium (Debian's /usr/bin/chromium),
// driven by playwright-core, against the real binary after real traffic:
// every image loads, the console stays clean, the figures on the page are
// the figures of /stats, the page's own chart requests are not counted, and
// admin.token guards it. Leaves a screenshot (DASHBOARD_SCREENSHOT, default
// target/dashboard.png). DASHBOARD_TRAFFIC_MINUTES=N first sends N minutes of
// varying traffic, for a screenshot with history (docs/dashboard.png).
//
// Run by scripts/test.sh: node --test tests/dashboard/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import http from "node:http";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { existsSync } from "node:fs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.CHARTGATE_BIN || path.join(root, "target/debug/chartgate");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const SCREENSHOT = process.env.DASHBOARD_SCREENSHOT || path.join(root, "target/dashboard.png");
const TOKEN = "dashboard-test-token";
const DEMO_MINUTES = Number(process.env.DASHBOARD_TRAFFIC_MINUTES || 0);

let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch {
  throw new Error("playwright-core is missing: run scripts/test.sh (npm ci in tests/dashboard) first");
}
for (const [what, file] of [["chartgate binary (cargo build)", BIN], ["chromium (apt-get install chromium)", CHROMIUM]]) {
  if (!existsSync(file)) throw new Error(`${what} not found at ${file}`);
}

/** Starts the binary on a free port; resolves with its base URL. */
function startGateway(env = {}) {
  const child = spawn(BIN, ["--listen", "127.0.0.1:0"], {
    env: { ...process.env, ...env, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("chartgate did not start: " + out)), 20000);
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/chartgate listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child });
      }
    });
    child.on("exit", (code) => reject(new Error(`chartgate exited with ${code}: ${out}`)));
  });
}

/** One request; resolves with { status, headers, body }. */
function request(url, { method = "GET", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const json = async (url, opts) => JSON.parse((await request(url, opts)).body.toString());

const chart = (type, title, data, extra = {}) => ({
  type,
  data: { labels: ["Mon", "Tue", "Wed", "Thu", "Fri"], datasets: [{ label: title, data, ...extra }] },
  options: { title: { display: true, text: title } },
});

/** Dashboards embedding charts: [config, referer, views]. */
const TRAFFIC = [
  [chart("bar", "Revenue by quarter", [12, 19, 7, 15, 22]), "https://intranet.example/finance/q3?user=42", 40],
  [chart("line", "Active users", [320, 410, 385, 460, 502], { fill: true }), "https://grafana.example/d/ops?orgId=1", 25],
  [chart("doughnut", "Traffic sources", [45, 25, 20, 10, 5]), "https://wiki.example/marketing#top", 15],
  [chart("horizontalBar", "Latency by region", [120, 85, 143, 97, 60]), "https://grafana.example/d/ops?orgId=2", 10],
  [chart("radar", "Team skills", [4, 3, 5, 2, 4]), "https://wiki.example/teams", 6],
  [chart("pie", "Incidents by cause", [7, 3, 2, 1, 1]), null, 4],
];

async function sendTraffic(base) {
  for (const [config, referer, views] of TRAFFIC) {
    const url = `${base}/chart?` + new URLSearchParams({ c: JSON.stringify(config), w: 500, h: 300 });
    for (let i = 0; i < views; i++) {
      const r = await request(url, { headers: referer ? { Referer: referer } : {} });
      assert.equal(r.status, 200);
    }
  }
  // A stampede on a cold chart: one render, the others wait on it.
  const cold = `${base}/chart?` + new URLSearchParams({ c: JSON.stringify(chart("line", "Deploys per day", [3, 5, 2, 8, 6])) });
  const all = await Promise.all(Array.from({ length: 8 }, () => request(cold, { headers: { Referer: "https://status.example/" } })));
  assert.ok(all.every((r) => r.status === 200));
  // A short URL, created then viewed.
  const created = await json(`${base}/chart/create`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ chart: chart("bar", "Signups", [5, 9, 14, 20, 31]) }),
  });
  for (let i = 0; i < 3; i++) assert.equal((await request(created.url)).status, 200);
}

/** Minutes of traffic whose mix changes: more new charts, lower hit ratio. */
async function demoTraffic(base, minutes) {
  for (let m = 0; m < minutes; m++) {
    const until = (Math.floor(Date.now() / 60000) + 1) * 60000;
    const fresh = [1, 2, 6, 3, 1, 9, 2, 4][m % 8];
    for (let i = 0; i < fresh; i++) {
      const config = chart("bar", `Ad-hoc report ${m}-${i}`, [m, i, 3, 1, 4]);
      await request(`${base}/chart?` + new URLSearchParams({ c: JSON.stringify(config) }), { headers: { Referer: "https://notebooks.example/adhoc" } });
    }
    for (const [config, referer, views] of TRAFFIC) {
      const url = `${base}/chart?` + new URLSearchParams({ c: JSON.stringify(config), w: 500, h: 300 });
      const n = Math.round(views * (0.4 + ((m * 7 + views) % 10) / 10));
      for (let i = 0; i < n; i++) await request(url, { headers: referer ? { Referer: referer } : {} });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now())));
  }
}

let browser;
const gateways = [];

before(async () => {
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  for (const g of gateways) g.child.kill("SIGTERM");
});

/** Opens the dashboard; resolves once /stats was drawn and every image settled. */
async function openDashboard(url) {
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  const resp = await page.goto(url);
  assert.equal(resp.status(), 200);
  await page.waitForSelector("body[data-ready]");
  await page.waitForFunction(() => [...document.images].every((img) => img.complete), null, { timeout: 30000 });
  return { page, problems };
}

test("the dashboard shows /stats, every image loads, nothing of its own is counted", async () => {
  const g = await startGateway();
  gateways.push(g);
  await demoTraffic(g.url, DEMO_MINUTES);
  await sendTraffic(g.url);
  const before = await json(`${g.url}/stats?top=10&minutes=60`);
  assert.ok(before.totals.lookups >= 100, JSON.stringify(before.totals));

  const { page, problems } = await openDashboard(`${g.url}/dashboard`);
  const images = await page.$$eval("img", (imgs) => imgs.map((i) => ({ src: i.getAttribute("src"), w: i.naturalWidth })));
  assert.ok(images.length >= 4 + 6, `plots and thumbnails: ${images.length}`);
  for (const img of images) assert.ok(img.w > 0, `image did not load: ${img.src.slice(0, 120)}`);
  assert.ok(images.some((i) => i.src.startsWith("/chart?c=")), "plots are drawn by chartgate");
  assert.ok(images.some((i) => i.src.startsWith("/chart/render/")), "thumbnails of top charts");

  const after = await json(`${g.url}/stats?top=10&minutes=60`);
  assert.deepEqual(after.totals, before.totals, "the dashboard's own chart requests are not counted");

  const shown = await page.$$eval("[data-stat]", (nodes) => nodes.map((n) => [n.dataset.stat, n.dataset.value, n.textContent]));
  const get = (p) => p.split(".").reduce((o, k) => o?.[k], after);
  for (const [stat, value, text] of shown) {
    const want = stat === "totals.served"
      ? after.totals.hit_memory + after.totals.hit_redis + after.totals.coalesced
      : get(stat);
    assert.equal(value, want == null ? "" : String(want), stat);
    assert.notEqual(text, "–", `${stat} is shown`);
  }
  const ratio = await page.textContent('[data-stat="totals.hit_ratio"]');
  assert.equal(ratio, (after.totals.hit_ratio * 100).toFixed(1) + "%");
  const keys = await page.$$eval("#top tr", (rows) => rows.map((r) => r.dataset.key));
  assert.deepEqual(keys, after.top.map((c) => c.key), "top charts in /stats order");
  const sources = await page.$$eval("#sources tr", (rows) => rows.map((r) => r.dataset.source));
  assert.deepEqual(sources, after.sources.map((s) => s.source));
  assert.ok(sources.every((s) => !s.includes("?") && !s.includes("#")), "sources carry no query");
  assert.deepEqual(problems, [], "console errors and failed requests");

  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  await page.close();
});

test("with admin.token the page needs it, and works with ?token=", async () => {
  const g = await startGateway({ CHARTGATE_ADMIN__TOKEN: TOKEN });
  gateways.push(g);
  await sendTraffic(g.url);
  const denied = await request(`${g.url}/dashboard`);
  assert.equal(denied.status, 401);
  assert.equal(JSON.parse(denied.body.toString()).error, "unauthorized");
  assert.equal((await request(`${g.url}/dashboard?token=wrong-token-value`)).status, 401);

  const { page, problems } = await openDashboard(`${g.url}/dashboard?token=${TOKEN}`);
  const stats = await json(`${g.url}/stats?top=10`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  const lookups = await page.getAttribute('[data-stat="totals.lookups"]', "data-value");
  assert.equal(lookups, String(stats.totals.lookups));
  const broken = await page.$$eval("img", (imgs) => imgs.filter((i) => i.naturalWidth === 0).length);
  assert.equal(broken, 0);
  assert.deepEqual(problems, []);
  await page.close();
});
