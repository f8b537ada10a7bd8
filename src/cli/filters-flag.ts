// @pure
// --filter key=value (repeatable) → Docker's filters map; `--filter "label=a=b"` keeps the value whole.
import { invalidArgument } from '../errors/errors.ts';

export function parseFilterFlags(values: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const v of values) {
    const i = v.indexOf('=');
    if (i <= 0) throw invalidArgument(`bad format of filter (expected name=value)`);
    const k = v.slice(0, i).trim().toLowerCase();
    (out[k] ??= []).push(v.slice(i + 1).trim());
  }
  return out;
}
