// The canvas patternomaly draws its tiles on, here: it records what is
// drawn (fills and strokes, arcs flattened to lines, under translate and
// rotate) instead of drawing it, and `createPattern` returns the record as
// the pattern's data, `{"\u0000paint": {pattern: {size, ops}}}`.
(function (PAINT) {
  function recordingCanvas() {
    const canvas = { width: 300, height: 150 };
    const ops = [];
    let m = [1, 0, 0, 1, 0, 0];
    let path = [];
    const at = (x, y) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
    const emit = (fill, color, width, p) => ops.push({ fill, color: String(color), width, path: p });
    const ctx = {
      fillStyle: '#000', strokeStyle: '#000', lineWidth: 1, lineCap: 'butt', lineJoin: 'miter',
      beginPath() { path = []; },
      moveTo(x, y) { path.push('M', ...at(x, y)); },
      lineTo(x, y) { path.push(path.length ? 'L' : 'M', ...at(x, y)); },
      closePath() { path.push('Z'); },
      arc(x, y, r, a0, a1, ccw) {
        let sweep = a1 - a0;
        if (!ccw && sweep < 0) sweep = sweep % (2 * Math.PI) + 2 * Math.PI;
        if (ccw && sweep > 0) sweep = sweep % (2 * Math.PI) - 2 * Math.PI;
        const n = 48;
        for (let i = 0; i <= n; i++) {
          const a = a0 + sweep * i / n;
          path.push(path.length ? 'L' : 'M', ...at(x + r * Math.cos(a), y + r * Math.sin(a)));
        }
      },
      rect(x, y, w, h) { path.push('M', ...at(x, y), 'L', ...at(x + w, y), 'L', ...at(x + w, y + h), 'L', ...at(x, y + h), 'Z'); },
      fill() { emit(true, this.fillStyle, 0, path.slice()); },
      stroke() { emit(false, this.strokeStyle, this.lineWidth, path.slice()); },
      fillRect(x, y, w, h) { const p = path; path = []; this.rect(x, y, w, h); this.fill(); path = p; },
      strokeRect(x, y, w, h) { const p = path; path = []; this.rect(x, y, w, h); this.stroke(); path = p; },
      translate(x, y) { m = [m[0], m[1], m[2], m[3], m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]; },
      rotate(a) {
        const c = Math.cos(a), s = Math.sin(a);
        m = [m[0] * c + m[2] * s, m[1] * c + m[3] * s, m[2] * c - m[0] * s, m[3] * c - m[1] * s, m[4], m[5]];
      },
      createPattern(tile) {
        return { [PAINT]: { pattern: { size: tile.width, ops: tile.getContext('2d').ops } } };
      },
      ops,
    };
    canvas.getContext = () => ctx;
    return canvas;
  }
  return { createElement: () => recordingCanvas() };
})
