// Writes src/intl/data.rs: the patterns Intl.NumberFormat puts around a
// number (signs, percent, currency and unit symbols, and their spacing) for
// the locales, currencies and units charts use, read from Node's ICU
// (CLDR) with formatToParts. ICU4X (icu_decimal) formats the number itself;
// its currency, percent and unit formatters are still experimental crates
// carrying every CLDR locale, so the few patterns around the number are
// taken from the same CLDR here instead.
//
//   node scripts/intl-data.js > src/intl/data.rs && cargo fmt
'use strict';

const LOCALES = [
  'en-US', 'en-GB', 'en-IN', 'en-CA', 'en-AU', 'de-DE', 'de-AT', 'de-CH',
  'fr-FR', 'fr-CA', 'fr-CH', 'es-ES', 'es-MX', 'it-IT', 'pt-BR', 'pt-PT',
  'nl-NL', 'ru-RU', 'pl-PL', 'sv-SE', 'da-DK', 'nb-NO', 'fi-FI', 'cs-CZ',
  'tr-TR', 'ja-JP', 'zh-CN', 'zh-TW', 'ko-KR', 'id-ID', 'vi-VN', 'hi-IN',
  'ar-EG', 'he-IL', 'uk-UA', 'th-TH', 'hu-HU', 'el-GR', 'ro-RO',
];
const CURRENCIES = [
  'USD', 'EUR', 'GBP', 'JPY', 'CNY', 'INR', 'BRL', 'CAD', 'AUD', 'CHF',
  'KRW', 'RUB', 'MXN', 'SEK', 'PLN', 'TRY', 'IDR', 'HKD', 'SGD', 'ZAR',
];
const DISPLAYS = ['symbol', 'narrowSymbol', 'code'];
const UNITS = [
  'percent', 'byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte', 'bit',
  'kilobit', 'megabit', 'gigabit', 'millisecond', 'second', 'minute', 'hour',
  'day', 'week', 'month', 'year', 'millimeter', 'centimeter', 'meter',
  'kilometer', 'inch', 'foot', 'mile', 'gram', 'kilogram', 'pound', 'liter',
  'milliliter', 'celsius', 'fahrenheit', 'degree', 'kilometer-per-hour',
  'mile-per-hour', 'meter-per-second',
];

const NUMBER = new Set(['integer', 'group', 'decimal', 'fraction', 'nan', 'infinity']);

// The parts of one formatted value as a pattern: `{}` where the number goes.
function pattern(locale, options, value) {
  let out = '';
  let inNumber = false;
  for (const part of new Intl.NumberFormat(locale, options).formatToParts(value)) {
    if (NUMBER.has(part.type)) {
      if (!inNumber) out += '{}';
      inNumber = true;
    } else {
      out += part.value;
      inNumber = false;
    }
  }
  return out;
}

// Positive, negative, and positive with signDisplay 'always'.
function patterns(locale, options, value) {
  return [
    pattern(locale, options, value),
    pattern(locale, options, -value),
    pattern(locale, { ...options, signDisplay: 'always' }, value),
  ];
}

// A pattern triple as one string: the positive pattern alone where the
// negative and plus patterns are the locale's signs put before it (CLDR's
// rule without an explicit negative subpattern), else all three joined by
// NUL.
function packed(locale, t) {
  const [neg, plus] = SIGNS(locale);
  if (t[1] === neg + t[0] && t[2] === plus + t[0]) return t[0];
  return t.join('\u0000');
}
function SIGNS(locale) {
  const t = patterns(locale, {}, 5);
  return [t[1].slice(0, t[1].indexOf('{}')), t[2].slice(0, t[2].indexOf('{}'))];
}

// An option absent, `numeric` or `2-digit`: the choices the tables index.
const CHOICES = [undefined, 'numeric', '2-digit'];

// 2024-01-05: a one-digit month and day, so a field's width shows.
const DAY = Date.UTC(2024, 0, 5);
const WIDTHS = { year: { '2024': 'y', '24': 'yy' }, month: { '1': 'M', '01': 'MM' }, day: { '5': 'd', '05': 'dd' } };

// Pattern of each year/month/day choice (index 9 y + 3 m + d, each 0 absent,
// 1 numeric, 2 2-digit), as ICU writes 2024-01-05 in `locale`.
function numericDates(locale) {
  const choice = CHOICES;
  const out = [];
  for (let i = 0; i < 27; i++) {
    const o = { timeZone: 'UTC', year: choice[Math.floor(i / 9)], month: choice[Math.floor(i / 3) % 3], day: choice[i % 3] };
    out.push(i === 0 ? '' : numericPattern(locale, o));
  }
  return out;
}

function numericPattern(locale, options) {
  let out = '';
  for (const part of new Intl.DateTimeFormat(locale, options).formatToParts(DAY)) {
    if (part.type === 'literal') {
      if (/[A-Za-z0-9]/.test(part.value)) return '';
      out += part.value;
    } else {
      const field = (WIDTHS[part.type] || {})[part.value];
      if (!field) return '';
      out += field;
    }
  }
  return out;
}

// Whether the hour is written with two digits (`p`) or one (`n`), in the
// locale's digits, for each hour/minute/second/hour12 choice (index
// 27 h + 9 m + 3 s + c: hour numeric or 2-digit; minute and second absent,
// numeric or 2-digit; hour12 absent, true or false), as ICU writes 09:05:07.
// ICU's pattern generator keeps the locale's pattern's hour width unless the
// skeleton it matched differs from the one asked for, which V8's choices
// make depend on the minute's and second's widths too.
function hourWidths(locale) {
  const choice = CHOICES;
  const clock = [undefined, true, false];
  let out = '';
  for (let i = 0; i < 54; i++) {
    const o = {
      timeZone: 'UTC', hour: choice[1 + Math.floor(i / 27)], minute: choice[Math.floor(i / 9) % 3],
      second: choice[Math.floor(i / 3) % 3], hour12: clock[i % 3],
    };
    const hour = new Intl.DateTimeFormat(locale, o).formatToParts(Date.UTC(2024, 0, 5, 9, 5, 7)).find((p) => p.type === 'hour');
    out += !hour ? '-' : hour.value.length === 2 ? 'p' : 'n';
  }
  return out;
}

const rs = (s) => JSON.stringify(s).replace(/\\u0000/g, '\\u{0}').replace(/[\u007f-\uffff]/g, (c) => '\\u{' + c.charCodeAt(0).toString(16) + '}');
const triple = (t) => '[' + t.map(rs).join(', ') + ']';

const lines = [];
const w = (s) => lines.push(s);
w('//! Generated by `node scripts/intl-data.js` from Node ' + process.version +
  ' (ICU ' + process.versions.icu + ', CLDR ' + process.versions.cldr + '); do not edit.');
w('//! Each pattern is `[positive, negative, positive with a plus sign]`, `{}`');
w('//! standing for the number as the locale writes it.');
w('');
w('pub(super) static LOCALES: [&str; ' + LOCALES.length + '] = [' + LOCALES.map(rs).join(', ') + '];');
w('');
w('pub(super) static DECIMAL: [[&str; 3]; ' + LOCALES.length + '] = [');
for (const l of LOCALES) w('    ' + triple(patterns(l, {}, 5)) + ',');
w('];');
w('');
w('pub(super) static PERCENT: [&str; ' + LOCALES.length + '] = [');
for (const l of LOCALES) w('    ' + rs(packed(l, patterns(l, { style: 'percent' }, 0.05))) + ',');
w('];');
w('');
w('/// Each currency with its digits after the point.');
w('pub(super) static CURRENCIES: [(&str, u8); ' + CURRENCIES.length + '] = [');
for (const c of CURRENCIES) {
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency: c }).resolvedOptions().maximumFractionDigits;
  w('    (' + rs(c) + ', ' + digits + '),');
}
w('];');
w('');
w('/// By locale, currency and display (`symbol`, `narrowSymbol`, `code`), each');
w('/// packed as `packed` in the script says; an empty `narrowSymbol` is the');
w('/// `symbol` one.');
w('pub(super) static CURRENCY: [[[&str; 3]; ' + CURRENCIES.length + ']; ' + LOCALES.length + '] = [');
for (const l of LOCALES) {
  w('    [');
  for (const c of CURRENCIES) {
    const each = DISPLAYS.map((d) => packed(l, patterns(l, { style: 'currency', currency: c, currencyDisplay: d }, 5)));
    if (each[1] === each[0]) each[1] = '';
    w('        [' + each.map(rs).join(', ') + '],');
  }
  w('    ],');
}
w('];');
w('');
w('pub(super) static UNITS: [&str; ' + UNITS.length + '] = [' + UNITS.map(rs).join(', ') + '];');
w('');
w('/// By locale and unit, `unitDisplay: \'short\'`.');
w('pub(super) static UNIT: [[&str; ' + UNITS.length + ']; ' + LOCALES.length + '] = [');
for (const l of LOCALES) {
  w('    [' + UNITS.map((u) => rs(packed(l, patterns(l, { style: 'unit', unit: u }, 5)))).join(', ') + '],');
}
w('];');
w('');
w('/// By locale and purely numeric date components (`numeric_date_index`: year,');
w('/// month, day each absent, `numeric` or `2-digit`), the pattern ICU\'s');
w('/// pattern generator gives (`y`, `yy`, `M`, `MM`, `d`, `dd` for the fields,');
w('/// anything else as written); empty where ICU writes anything else (a');
w('/// word, or the locale\'s dates are not Gregorian years in Latin digits).');
w('pub(super) static NUMERIC_DATE: [[&str; 27]; ' + LOCALES.length + '] = [');
for (const l of LOCALES) w('    [' + numericDates(l).map(rs).join(', ') + '],');
w('];');
w('');
w('/// By locale, `hourWidths` in the script: for each hour, minute, second and');
w('/// hour12 choice, whether ICU writes the hour with two digits (`p`) or one');
w('/// (`n`), in the locale\'s digits.');
w('pub(super) static HOUR_WIDTH: [&str; ' + LOCALES.length + '] = [');
for (const l of LOCALES) w('    ' + rs(hourWidths(l)) + ',');
w('];');
process.stdout.write(lines.join('\n') + '\n');
