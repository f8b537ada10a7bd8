// @pure
// RFC 3339 timestamps in UTC with milliseconds ('2024-01-02T03:04:05.678Z'), as Date#toISOString
// writes them, and HTTP dates ('Mon, 02 Jan 2024 03:04:05 GMT'), as Date#toUTCString does, built
// from the UTC fields: V8's toISOString and toUTCString first work out the local time zone (offset
// and name), which loads ICU's time zone data and names (~1 MiB of RSS for the life of the
// process), though neither uses it. berthd writes every timestamp through here, and the Date
// header of its API answers (which node:http would write with toUTCString).

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function isoTime(t: Date | number = Date.now()): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return d.toISOString(); // extended years, and its RangeError for invalid dates
  return `${pad(y, 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** IMF-fixdate (RFC 9110), the HTTP Date header. */
export function httpDate(t: Date | number = Date.now()): string {
  const d = typeof t === 'number' ? new Date(t) : t;
  const y = d.getUTCFullYear();
  if (!(y >= 0 && y <= 9999)) return d.toUTCString();
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(y, 4)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`;
}
