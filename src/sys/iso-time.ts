// @pure
// RFC 3339 timestamps in UTC with milliseconds ('2024-01-02T03:04:05.678Z'), as Date#toISOString
// writes them, built from the UTC fields: V8's toISOString first works out the local time zone
// offset, which loads ICU's time zone data (~1.1 MiB of RSS for the life of the process), though
// it does not use it. berthd writes every timestamp through here.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function isoTime(t: Date | number = Date.now()): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return d.toISOString(); // extended years, and its RangeError for invalid dates
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}
