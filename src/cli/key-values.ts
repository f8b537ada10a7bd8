// @pure
// `KEY=value` flag values (--label, --opt, --driver-opt, …) into a map: the first `=` splits, a
// bare `KEY` maps to '', a later one wins (the docker CLI's opts.ConvertKVStringsToMap).
export function keyValues(items: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of items) {
    const i = kv.indexOf('=');
    out[i < 0 ? kv : kv.slice(0, i)] = i < 0 ? '' : kv.slice(i + 1);
  }
  return out;
}
