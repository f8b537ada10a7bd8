// @pure
// go-units as the docker CLI uses it: HumanDuration ("5 seconds", "About a minute") and
// HumanSizeWithPrecision (decimal units, %.3g: "4.26MB", "0B"), BytesSize for `system df`-style output.

/** go-units HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60000);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.floor(ms / 3600000 + 0.5);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(ms / 3600000 / 24 / 365)} years`;
}

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
