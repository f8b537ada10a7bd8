// @pure
// go-units as the docker CLI uses it: HumanDuration ("5 seconds", "About a minute") and
// HumanSizeWithPrecision (decimal units, %.3g: "4.26MB", "0B"), BytesSize for `system df`-style output.

export { humanDuration } from '../../api/human-duration.ts';

/** Go's %.{p}g: shortest of fixed/exponent with trailing zeros removed. */
export function formatG(v: number, precision: number): string {
  if (v === 0) return '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  const r = Number(v.toPrecision(precision));
  const e = Math.floor(Math.log10(Math.abs(r)));
  if (e < -4 || e >= precision) {
    const [m, x] = r.toExponential(precision - 1).split('e');
    const mant = m.includes('.') ? m.replace(/0+$/, '').replace(/\.$/, '') : m;
    const n = Number(x);
    return `${mant}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  void exp;
  return String(r);
}

const DECIMAL = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function scale(size: number, base: number, units: string[], precision: number): string {
  let i = 0;
  while (size >= base && i < units.length - 1) { size /= base; i++; }
  return `${formatG(size, precision)}${units[i]}`;
}

/** go-units HumanSizeWithPrecision(size, 3) — what `docker images` / `ps -s` print. */
export function humanSize(bytes: number, precision = 3): string {
  return scale(bytes, 1000, DECIMAL, precision);
}

/** go-units BytesSize (binary units, 4 significant digits). */
export function bytesSize(bytes: number): string {
  return scale(bytes, 1024, BINARY, 4);
}

/** go-units RAMInBytes / FromHumanSize for --memory: "512m", "1g", "1024" (binary multiples). */
export function ramInBytes(s: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b)?$/i.exec(s.trim());
  if (!m) throw new Error(`invalid size: '${s}'`);
  const mult: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };
  return Math.floor(Number(m[1]) * mult[m[2].toLowerCase()]);
}
