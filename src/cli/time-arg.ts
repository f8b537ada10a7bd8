// @pure
// Docker's timetypes.GetTimestamp: "10m", "1h30m" (relative to now), RFC 3339 dates, or unix
// seconds[.nanos] — as the `seconds.nanoseconds` string the API takes for since/until.
import { invalidArgument } from '../errors/errors.ts';

const UNIT: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseGoDuration(s: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ns|us|\u00b5s|ms|s|m|h)/y;
  let ms = 0;
  let i = 0;
  const neg = s.startsWith('-');
  if (neg || s.startsWith('+')) i = 1;
  if (i >= s.length) return undefined;
  while (i < s.length) {
    re.lastIndex = i;
    const m = re.exec(s);
    if (!m) return undefined;
    ms += Number(m[1]) * UNIT[m[2]];
    i = re.lastIndex;
  }
  return neg ? -ms : ms;
}

export function timestampArg(value: string, nowMs: number): string {
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  const d = parseGoDuration(value);
  if (d !== undefined) {
    const t = nowMs - d;
    return `${Math.floor(t / 1000)}.${String(Math.round((t % 1000) * 1e6)).padStart(9, '0')}`;
  }
  let iso = value;
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) iso += 'T00:00:00Z';
  else if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(iso)) iso += 'Z';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw invalidArgument(`failed to parse value as time or duration: "${value}"`);
  const frac = /\.(\d+)/.exec(iso.split('T')[1] ?? '')?.[1] ?? '';
  return `${Math.floor(ms / 1000)}.${frac.padEnd(9, '0').slice(0, 9)}`;
}
