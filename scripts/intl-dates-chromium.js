// Writes src/intl/chromium_dates.tsv: how Chromium writes 2024-01-05T00:00Z
// with `toLocaleDateString`, `toLocaleString` and `Intl.DateTimeFormat` in
// the locales and numeric option bags dashboards pass (UTC), one case a line:
// locale, caller (`Date`, `All`, `Format`), options as JSON, what Chromium
// wrote (JSON). `src/intl/date_tests.rs` holds chartgate's formatter to it.
//
//   NODE_PATH=tests/fidelity/node_modules node scripts/intl-dates-chromium.js > src/intl/chromium_dates.tsv
'use strict';
const { chromium } = require('playwright-core');

const LOCALES = [
  'en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'it-IT', 'pt-BR', 'pt-PT', 'nl-NL', 'pl-PL', 'ru-RU',
  'ja-JP', 'zh-CN', 'zh-TW', 'ko-KR', 'tr-TR', 'sv-SE', 'da-DK', 'nb-NO', 'fi-FI', 'cs-CZ', 'hu-HU',
  'uk-UA', 'id-ID', 'vi-VN', 'hi-IN', 'en-IN', 'en-AU', 'en-CA', 'fr-CA', 'es-MX', 'de-CH', 'de-AT',
  'he-IL', 'el-GR', 'ro-RO', 'th-TH', 'ar-EG', 'fa-IR', 'de', 'fr', 'ja', 'zh', 'es',
];
const BAGS = [
  ['Date', {}], ['Format', {}], ['All', {}],
  ['Date', { year: 'numeric', month: 'numeric', day: 'numeric' }],
  ['Date', { year: 'numeric', month: '2-digit', day: '2-digit' }],
  ['Date', { year: '2-digit', month: '2-digit', day: '2-digit' }],
  ['Date', { year: '2-digit', month: 'numeric', day: 'numeric' }],
  ['Date', { month: 'numeric', day: 'numeric' }],
  ['Date', { month: '2-digit', day: '2-digit' }],
  ['Date', { month: '2-digit', day: 'numeric' }],
  ['Date', { year: 'numeric', month: 'numeric' }],
  ['Date', { year: 'numeric', month: '2-digit' }],
  ['Date', { year: '2-digit', month: '2-digit' }],
  ['Date', { day: 'numeric' }], ['Date', { month: 'numeric' }], ['Date', { year: 'numeric' }],
  ['All', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }],
  ['Format', { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' }],
  ['Format', { hour: 'numeric', minute: '2-digit' }],
  ['Format', { hour: 'numeric', minute: 'numeric', hour12: false }],
];
const AT = Date.UTC(2024, 0, 5);

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  const page = await browser.newPage();
  const rows = await page.evaluate(([locales, bags, at]) => {
    const out = [];
    for (const l of locales) for (const [caller, bag] of bags) {
      const o = Object.assign({ timeZone: 'UTC' }, bag);
      const d = new Date(at);
      const s = caller === 'Date' ? d.toLocaleDateString(l, o)
        : caller === 'All' ? d.toLocaleString(l, o) : new Intl.DateTimeFormat(l, o).format(d);
      out.push([l, caller, JSON.stringify(bag), JSON.stringify(s)].join('\t'));
    }
    return out;
  }, [LOCALES, BAGS, AT]);
  process.stdout.write('# ' + (await browser.version()) + ', ' + new Date(AT).toISOString() + '\n' + rows.join('\n') + '\n');
  await browser.close();
})();
