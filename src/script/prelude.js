// Run once in every fresh context before a config or a render's callbacks.
// Returns, to the host alone, `begin(seed, width, height)`, called once
// before any config code runs: `seed` seeds Math.random from the config's
// text, so one config draws one picture on every replica, and the size is
// what QuickChart's gradient helpers span. (A context may be made, and
// Chart.js loaded into it, before its config is known: `begin` is what is
// left to do then.) And `readsClock()`, saying whether the clock was read
// since `begin` (then the result depends on when it ran: never aliased by
// URL).
(function (loadPatternomaly, numberFormat, dateFormat) {
  'use strict';
  let readClock = false;
  let s = 0;
  let width = 0;
  let height = 0;
  const RealDate = Date;
  function Date_(...args) {
    if (!new.target) {
      readClock = true;
      return RealDate();
    }
    if (args.length === 0) readClock = true;
    // Components name a UTC time: local time here is UTC (see below).
    if (args.length >= 2) args = [RealDate.UTC(...args)];
    return Reflect.construct(RealDate, args, new.target);
  }
  // Local time is UTC, whatever the server's zone: one config draws one
  // picture on every replica (moment, under Chart.js's time scales, reads
  // and sets dates through the local accessors).
  const proto = RealDate.prototype;
  for (const part of ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds']) {
    proto['get' + part] = proto['getUTC' + part];
    if (part !== 'Day') proto['set' + part] = proto['setUTC' + part];
  }
  proto.getTimezoneOffset = function getTimezoneOffset() { return 0; };
  Date_.prototype = RealDate.prototype;
  Object.defineProperty(RealDate.prototype, 'constructor', { value: Date_, writable: true, configurable: true });
  Date_.now = function now() { readClock = true; return RealDate.now(); };
  Date_.UTC = RealDate.UTC;
  Date_.parse = RealDate.parse;
  globalThis.Date = Date_;

  // A console that goes nowhere: Chart.js 2 warns through it about
  // deprecated options (`_deprecated`), plugins and configs log through
  // it, and a browser or Node always has one; nothing a config logs may
  // reach the server's log.
  const quiet = () => undefined;
  globalThis.console = Object.freeze({
    log: quiet, info: quiet, warn: quiet, error: quiet, debug: quiet, trace: quiet,
  });

  // mulberry32: small, fast, and the same sequence everywhere for one seed.
  Math.random = function random() {
    s = (s + 0x6D2B79F5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  // QuickJS has no Intl: `numberFormat` is src/intl (ICU4X and CLDR),
  // writing numbers as a browser's Intl.NumberFormat does, and throwing
  // what it throws for options it refuses (from the constructor, as a
  // browser does).
  const localeOf = (locales) => {
    const l = Array.isArray(locales) ? locales[0] : locales;
    return l === undefined || l === null ? '' : String(l);
  };
  function NumberFormat(locales, options) {
    const locale = localeOf(locales);
    const text = JSON.stringify(options === undefined || options === null ? {} : options);
    numberFormat(locale, text, 0);
    const resolved = Object.assign({ locale: locale || 'en-US' }, options);
    return Object.freeze({
      format: (n) => numberFormat(locale, text, Number(n)),
      resolvedOptions: () => Object.assign({}, resolved),
    });
  }
  Number.prototype.toLocaleString = function toLocaleString(locales, options) {
    const text = JSON.stringify(options === undefined || options === null ? {} : options);
    return numberFormat(localeOf(locales), text, Number(this));
  };
  // Dates likewise (`dateFormat` is src/intl/date.rs): QuickJS writes one
  // format whatever the locale and options, and has no DateTimeFormat.
  const optionsText = (options) => JSON.stringify(options === undefined || options === null ? {} : options);
  function DateTimeFormat(locales, options) {
    const locale = localeOf(locales);
    const text = optionsText(options);
    dateFormat(locale, text, 'check', 0);
    const resolved = Object.assign({ locale: locale || 'en-US', calendar: 'gregory', numberingSystem: 'latn', timeZone: 'UTC' }, options);
    return Object.freeze({
      format: (d) => dateFormat(locale, text, 'format', d === undefined ? Date_.now() : Number(d)),
      resolvedOptions: () => Object.assign({}, resolved),
    });
  }
  const getTime = proto.getTime;
  for (const [name, caller] of [['toLocaleString', 'all'], ['toLocaleDateString', 'date'], ['toLocaleTimeString', 'time']]) {
    proto[name] = { [name](locales, options) {
      return dateFormat(localeOf(locales), optionsText(options), caller, getTime.call(this));
    } }[name];
  }
  globalThis.Intl = Object.freeze({ NumberFormat, DateTimeFormat });

  // QuickChart's helpers (lib/charts.js). They return data, not functions:
  // a gradient or pattern is a value of the chart, drawn by the renderer.
  const PAINT = '\u0000paint';
  globalThis.getGradientFill = function getGradientFill(colorOptions, linearGradient) {
    const line = linearGradient === undefined ? [0, 0, width, 0] : linearGradient;
    const stops = Array.from(colorOptions, (o) => [Number(o.offset), String(o.color)]);
    return { [PAINT]: { gradient: Array.from(line, Number), stops } };
  };
  globalThis.getGradientFillHelper = function getGradientFillHelper(direction, colors, dimensions) {
    const d = dimensions || {};
    const w = d.width || width;
    const h = d.height || height;
    const n = colors.length;
    const options = Array.from(colors, (color, i) => ({ color, offset: i / (n - 1 || 1) }));
    let line = [0, 0, w, 0];
    if (direction === 'vertical') line = [0, 0, 0, h];
    else if (direction === 'both') line = [0, 0, w, h];
    return globalThis.getGradientFill(options, line);
  };
  // patternomaly itself (`vendor/`, with `recording_canvas.js` as its
  // document), evaluated on first use only: most configs never draw one.
  let patternomaly;
  globalThis.pattern = {
    draw(shape, backgroundColor, patternColor, size) {
      if (!patternomaly) patternomaly = loadPatternomaly();
      return patternomaly.draw(shape, backgroundColor, patternColor, Math.min(200, Number(size) || 20));
    },
  };
  return {
    begin(seed, w, h) {
      s = seed >>> 0;
      width = w;
      height = h;
      readClock = false;
    },
    readsClock: () => readClock,
  };
})
