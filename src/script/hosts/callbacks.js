// The host side of a render's calls: its `each` calls a callback once per
// element of one axis's `shared` list (its labels, tick values or tick
// objects), in one crossing into the engine, each call's arguments made
// here from that list as Chart.js makes them (`value`: the element, its
// index, or the element's `.value`; then the index and the list), with
// `this` a scale-like object (`getLabelForValue`) for category axes. The
// results come back as one array, read by `Session::call`.
(() => {
  const parse = JSON.parse;
  return { each(f, sharedJson, value, category) {
    const shared = parse(sharedJson);
    const self = category ? {
      labels: shared,
      getLabelForValue(v) { return shared[v] !== undefined ? shared[v] : v; },
    } : undefined;
    const out = new Array(shared.length);
    for (let i = 0; i < shared.length; i++) {
      const v = value === 'index' ? i : value === 'field' ? shared[i].value : shared[i];
      // Called directly, with no argument array made per call.
      out[i] = self ? f.call(self, v, i, shared) : f(v, i, shared);
    }
    return out;
  } };
})()
